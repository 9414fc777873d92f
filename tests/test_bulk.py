"""data/bulk.py writes what a Core insert would write: the drivers' own forms of dates, times,
JSON and booleans, and the models' defaults for the columns left out."""

import datetime as dt

import pytest
from sqlalchemy import insert, select

from data.bulk import BulkWriter, bulk_connection
from data.models import Submission

COLUMNS = ["file_name", "sha256", "duplicate_key", "uploaded_by", "uploaded_at", "report"]
AT = dt.datetime(2024, 10, 7, 11, 30, 5, 120000, tzinfo=dt.UTC)
REPORT = {"issues": [{"code": "x", "bn": "ত্রুটি", "row": 3}], "ok": False}


def _values(n: int) -> dict:
    return {
        "file_name": f"ফাইল-{n}.xlsx",
        "sha256": "a" * 64,
        "duplicate_key": f"{n:064d}",
        "uploaded_by": "tester",
        "uploaded_at": AT,
        "report": REPORT if n % 2 else None,
    }


def _read(engine, ids):
    columns = [c for c in Submission.__table__.columns if c.name != "id"]
    with engine.connect() as connection:
        return connection.execute(
            select(*columns).where(Submission.id.in_(ids)).order_by(Submission.id)
        ).all()


def test_bulk_rows_read_back_as_core_inserted_rows(engine):
    with engine.begin() as connection:
        connection.execute(insert(Submission), [{"id": n, **_values(n)} for n in (1, 2)])
    with bulk_connection(engine) as connection:
        writer = BulkWriter(connection, [Submission], {Submission: COLUMNS})
        assert writer.next_id[Submission] == 3
        first = writer.take_ids(Submission, 2)
        for offset, n in enumerate((1, 2)):
            values = _values(n)
            row = [writer.converter(Submission, c)(values[c]) for c in COLUMNS]
            # Another key: the unique duplicate_key of a Core row must not repeat.
            row[2] = f"{n + 10:064d}"
            writer.rows(Submission).append((first + offset, *row))
        writer.flush()
        assert writer.counts == {"submissions": 2}
    core, bulk = _read(engine, [1, 2]), _read(engine, [3, 4])
    key = list(Submission.__table__.columns.keys()).index("duplicate_key") - 1
    strip = lambda rows: [tuple(v for i, v in enumerate(r) if i != key) for r in rows]  # noqa: E731
    assert strip(bulk) == strip(core)
    assert bulk[0].report == REPORT and bulk[1].report is None
    assert bulk[0].source == "upload" and bulk[0].is_demo is False and bulk[0].plan_count == 0
    assert bulk[0].uploaded_at.replace(tzinfo=dt.UTC) == AT


def test_sqlite_keeps_its_foreign_key_checks_after_a_bulk_build(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("the pragmas are SQLite's")
    with bulk_connection(engine) as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
