"""Database access: one setting (APA_DATABASE_URL) chooses SQLite or PostgreSQL.

- Unset: a SQLite file at instance/apa.sqlite3 (WAL), created on first use.
- `postgresql://user@host:port/db`: PostgreSQL through psycopg 3.

The schema is always built by the Alembic migrations in data/migrations (`upgrade`),
never by `create_all`, so every database has the same history.
"""

from __future__ import annotations

import os
import weakref
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "instance" / "apa.sqlite3"
SETTING = "APA_DATABASE_URL"


def database_url(url: str | None = None) -> str:
    """The database URL: the argument, else APA_DATABASE_URL, else the embedded SQLite file."""
    url = url or os.environ.get(SETTING) or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for the URL (see `database_url`). Creates the SQLite folder if needed."""
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


@cache
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for a URL (one pool per database)."""
    return make_engine(url)


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "data" / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration and add the reference data it needs.

    App servers starting together on one database run the migrations once: the others wait
    (PostgreSQL: an advisory lock; SQLite: the database's write lock, taken before alembic
    reads the schema's version) and then find the schema at its head."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as connection:
        sqlite = is_sqlite(engine)
        config = alembic_config(engine)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        if set(MigrationContext.configure(connection).get_current_heads()) == heads:
            connection.rollback()  # at its head already: no lock, nothing to wait for
            return
        if sqlite:
            # Outside a transaction, then one that holds the write lock from its start.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            lock(connection, MIGRATION_LOCK)  # held until the commit below
        # Batch migrations rebuild tables that others point at (migration 0004 rebuilds
        # `submissions`): SQLite checks the foreign keys once all migrations have run.
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                connection.rollback()
                raise RuntimeError(f"the migrations broke foreign keys: {broken[:5]}")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def sync_sequences(connection) -> None:
    """After bulk inserts with ids chosen by us (master data, demo data), move PostgreSQL's id
    sequences past them, so rows inserted later (imports, users, audit) get free ids. SQLite
    needs nothing: it takes the next id from the table itself."""
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import Integer, text

    from data.models import Base

    for table in Base.metadata.sorted_tables:
        id_column = table.columns.get("id")
        if id_column is None or not isinstance(id_column.type, Integer):
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


# Namespaces of the advisory locks `lock` takes (PostgreSQL's two-key form).
IMPORT_LOCK = 1101  # key: an office id (data/imports.py)
AUDIT_LOCK = 1102  # key: 0, the audit trail's hash chain (data/audit.py)
MIGRATION_LOCK = 1103  # key: 0, the schema migrations (upgrade)


def lock(connection, namespace: int, keys=(0,)) -> None:
    """Serialise the writers of `keys` until this transaction ends. PostgreSQL: advisory
    transaction locks, taken in order of key (so two writers never wait on each other in a
    circle). SQLite has one writer at a time: the database's write lock is taken now, by a
    write that changes nothing, instead of at the transaction's first real write, so what the
    transaction reads next cannot change under it."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text

        for key in sorted(set(keys)):
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
                {"namespace": namespace, "key": key},
            )
    else:
        driver_sql(connection, "UPDATE app_meta SET value = value WHERE 0")


def analyze(engine: Engine) -> None:
    """Give the query planner the tables' statistics after a bulk load (the demo build).
    PostgreSQL's autovacuum gathers them only some time after a load, SQLite never by itself:
    without them PostgreSQL took 19 s for the national drill-down, and SQLite reads a plan's
    scores through the fiscal-year index instead of the office's."""
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()


def is_empty(engine: Engine) -> bool:
    """True when the database has no offices yet (a fresh embedded database)."""
    from data.models import Office

    with Session(engine) as session:
        return session.scalar(select(Office.id).limit(1)) is None


_DRIVER_SQL: dict[tuple[int, str], str] = {}  # a statement without parameters, compiled


def driver_sql(connection, *sqls: str) -> list | None:
    """Plain SQL statements without parameters, run in turn through one driver cursor in the
    caller's transaction: the last one's rows as the driver's plain tuples (None if it
    returns none). Where SQLAlchemy's execution and result rows cost more than the
    statements themselves: the few small statements every import runs, a rebuild's reads."""
    cursor = connection.connection.cursor()
    try:
        for sql in sqls:
            cursor.execute(sql)
        return cursor.fetchall() if cursor.description is not None else None
    finally:
        cursor.close()


def driver_rows(connection, *statements) -> tuple[tuple[tuple, ...], ...]:
    """Each statement's rows as the driver's plain tuples, through one driver cursor in the
    caller's transaction, each statement compiled once per dialect: for the few rows read on
    every file checked (the offices' and rule tables' versions), where SQLAlchemy's execution
    and result rows cost several times the lookups themselves. `statements` are module-level
    selects without parameters."""
    dialect = connection.dialect
    sqls = []
    for statement in statements:
        key = (id(statement), dialect.name)
        if key not in _DRIVER_SQL:
            _DRIVER_SQL[key] = str(statement.compile(dialect=dialect))
        sqls.append(_DRIVER_SQL[key])
    cursor = connection.connection.cursor()
    try:
        found = []
        for sql in sqls:
            cursor.execute(sql)
            found.append(tuple(tuple(row) for row in cursor.fetchall()))
        return tuple(found)
    finally:
        cursor.close()


# insert_rows' SQL and bind processors per dialect object (one an engine), table and columns:
# looking up each column's type for the dialect and making its processor cost more than the
# rows of a small insert.
_INSERT_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _insert_plan(dialect, table, names: tuple[str, ...]):
    """(SQL, each column's bind processor or None) of an INSERT of `names` into `table`;
    None when a column left out has a default SQLAlchemy would fill in."""
    plans = _INSERT_PLANS.setdefault(dialect, {})
    key = (table, names)
    if key not in plans:
        if any(c.default is not None for c in table.c if c.key not in names):
            plans[key] = None
            return None
        quote = dialect.identifier_preparer.quote
        columns = [table.c[name] for name in names]
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)})"
            f" VALUES ({', '.join(['?'] * len(names))})"
        )
        processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
        plans[key] = (sql, processors)
    return plans[key]


def insert_rows(connection, statement, rows: list[dict]) -> None:
    """`connection.execute(statement, rows)` for an INSERT of a table's rows (dicts with the
    same keys). On SQLite through the driver's executemany instead, each value converted by
    its column type's bind processor, as SQLAlchemy converts it (the same stored values):
    SQLAlchemy's executemany of dict rows cost more than writing the rows (per row and
    column, and a statement to compile for every new engine: the upload page's worker makes
    one a file). Elsewhere (PostgreSQL's "insertmanyvalues" sends one statement for the
    rows), and for rows that leave out a column with a default SQLAlchemy would fill in:
    SQLAlchemy's execute."""
    if not rows:
        return
    dialect = connection.dialect
    plan = (
        _insert_plan(dialect, statement.table, tuple(rows[0])) if dialect.name == "sqlite" else None
    )
    if plan is None:
        connection.execute(statement, rows)
        return
    sql, processors = plan
    names = tuple(rows[0])
    values = []
    for name, process in zip(names, processors, strict=True):
        cells = [row[name] for row in rows]
        values.append(cells if process is None else [process(v) for v in cells])
    cursor = connection.connection.cursor()  # the driver's own, in the same transaction
    try:
        cursor.executemany(sql, list(zip(*values, strict=True)))
    finally:
        cursor.close()


def bump_data_version(connection) -> None:
    """Mark the data as changed, in the caller's transaction (imports, rebuilds): every app
    server's caches are keyed by the version (dashboard/cache.py)."""
    driver_sql(connection, "UPDATE data_version SET version = version + 1 WHERE id = 1")


def data_version(engine: Engine) -> int:
    """The current data version: one primary-key read."""
    with engine.connect() as connection:
        return int(
            connection.exec_driver_sql("SELECT version FROM data_version WHERE id = 1").scalar()
            or 0
        )
