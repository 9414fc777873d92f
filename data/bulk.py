"""Bulk writing: millions of rows with ids chosen by the caller, in the fastest form each
driver takes (the demo builder's writes; see docs/architecture.md, "Bulk writes").

- SQLite: the driver's own `executemany` on plain tuples, without SQLAlchemy's per-row work,
  inside one transaction, with the foreign-key checks and the fsyncs off while it runs
  (`bulk_connection`): the caller writes parents before children with the ids it chose (a
  flush writes the tables in the order given), and the same rows pass PostgreSQL's checks.
- PostgreSQL: `COPY ... FROM STDIN` through psycopg, every constraint checked as it loads.

A caller fills `BulkWriter.rows(Model)` with tuples in the order of `BulkWriter.columns`,
values already in the driver's form (`BulkWriter.converter` gives the conversion of a
column, e.g. a date to SQLite's text), and calls `maybe_flush` now and then and `flush` at
the end. Columns the caller leaves out get the model's default, as an ORM or Core insert
would give them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, func, select

CHUNK = 50_000  # rows held per table before they are written


@contextmanager
def bulk_connection(engine: Engine, durable: bool = False) -> Iterator[Connection]:
    """One connection in one transaction for a bulk build. On SQLite the foreign-key checks
    are off and the page cache is larger while it runs, and so are the fsyncs unless
    `durable` (a rebuild of live data keeps them; a demo build can start again). These pragmas
    only take effect outside a transaction, so they are set before it starts and restored
    after it ends."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection  # outside SQLAlchemy's transaction
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
            if not durable:
                raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-524288")  # 512 MiB: the build's pages stay in memory
        try:
            with connection.begin():
                yield connection
        finally:
            if sqlite:
                raw.execute("PRAGMA cache_size=-65536")  # data/db.py's setting
                raw.execute("PRAGMA synchronous=NORMAL")
                raw.execute("PRAGMA foreign_keys=ON")


def _identity(value):
    return value


class BulkWriter:
    """Row buffers per table with running ids, written parents first."""

    def __init__(self, connection: Connection, models: list, columns: dict[Any, list[str]]):
        self.connection = connection
        self.dialect = connection.dialect
        self.models = models  # parents first: a flush writes them in this order
        self.columns = {m: ["id", *columns[m]] for m in models}
        self.next_id = {m: (connection.scalar(select(func.max(m.id))) or 0) + 1 for m in models}
        self.buffers: dict[Any, list[tuple]] = {m: [] for m in models}
        self.counts = {m.__tablename__: 0 for m in models}
        self._defaults = {m: self._default_columns(m) for m in models}

    def rows(self, model) -> list[tuple]:
        """The buffer to append rows to (tuples in the order of `columns[model]`)."""
        return self.buffers[model]

    def take_ids(self, model, count: int) -> int:
        """Reserve `count` ids of a table; returns the first."""
        first = self.next_id[model]
        self.next_id[model] += count
        return first

    def converter(self, model, column: str) -> Callable[[Any], Any]:
        """The function that turns a Python value of this column into the driver's form."""
        col = model.__table__.columns[column]
        if self.dialect.name == "postgresql":
            if col.type._type_affinity.__name__ == "JSON":
                return lambda value: None if value is None else json.dumps(value)
            return _identity
        return col.type.dialect_impl(self.dialect).bind_processor(self.dialect) or _identity

    def _default_columns(self, model) -> list[tuple[str, Any]]:
        """Columns the caller leaves out that have a Python default, with the default's
        value in the driver's form (callable defaults are called once per build)."""
        given = set(self.columns[model])
        out = []
        for col in model.__table__.columns:
            if col.name in given or col.default is None:
                continue
            value = col.default.arg(None) if col.default.is_callable else col.default.arg
            out.append((col.name, self.converter(model, col.name)(value)))
        return out

    def maybe_flush(self) -> None:
        if any(len(rows) >= CHUNK for rows in self.buffers.values()):
            self.flush()

    def flush(self) -> None:
        for model in self.models:
            rows = self.buffers[model]
            if not rows:
                continue
            defaults = self._defaults[model]
            if defaults:
                extra = tuple(value for _name, value in defaults)
                rows = [row + extra for row in rows]
            names = self.columns[model] + [name for name, _value in defaults]
            self._write(model.__tablename__, names, rows)
            self.counts[model.__tablename__] += len(rows)
            self.buffers[model] = []

    def _write(self, table: str, names: list[str], rows: list[tuple]) -> None:
        cursor = self.connection.connection.driver_connection.cursor()
        try:
            if self.dialect.name == "postgresql":
                with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(names))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows
                )
        finally:
            cursor.close()
