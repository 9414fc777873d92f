"""What the demo builder (the demo/ package) asks of the database: whether there is room for
a demo, the fiscal year and the offices it builds on, its facts in app_meta, the reset of
`--force`, the row counts it prints. The rows themselves go through data/bulk.py."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, insert, select, text

from data.db import is_empty, upgrade
from data.models import (
    Activity,
    AppMeta,
    Area,
    Base,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Office,
    OfficeScore,
    Plan,
    PlanScore,
    Progress,
    ProgressReport,
    Submission,
)


def holds_plans(target: Engine | Connection) -> bool:
    """True when any plan or submission is stored (imports or an earlier demo). A database
    without them gets the demo on the embedded default's first run, even when
    `python -m loaders` has loaded the master data into it already."""
    if isinstance(target, Engine):
        with target.connect() as connection:
            return holds_plans(connection)
    connection = target
    return (
        connection.scalar(select(Plan.id).limit(1)) is not None
        or connection.scalar(select(Submission.id).limit(1)) is not None
    )


def fiscal_year(connection: Connection, label: str):
    """(id, start_date) of a fiscal year by its label, or None."""
    return connection.execute(
        select(FiscalYear.id, FiscalYear.start_date).where(FiscalYear.label == label)
    ).first()


def office_codes(connection: Connection) -> list[str]:
    return list(connection.scalars(select(Office.code).order_by(Office.id)))


def offices(connection: Connection) -> list[tuple[int, str]]:
    """(id, level) of every office, in id order."""
    return [
        tuple(row)
        for row in connection.execute(select(Office.id, Office.level).order_by(Office.id))
    ]


def write_meta(connection: Connection, facts: dict[str, str]) -> None:
    connection.execute(insert(AppMeta), [{"key": k, "value": v} for k, v in facts.items()])


def demo_meta(connection: Connection) -> str | None:
    return connection.scalar(select(AppMeta.value).where(AppMeta.key == "demo"))


def reset(engine: Engine) -> bool:
    """Start a demo database afresh (for --force): every table dropped and migrated again.
    The audit trail is insert-only, so its rows cannot be deleted, only the whole table
    dropped by its owner. Returns False, changing nothing, unless the database holds demo
    data (or nothing)."""
    with engine.connect() as connection:
        demo = demo_meta(connection)
    if demo != "1" and not is_empty(engine):
        return False
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP FUNCTION IF EXISTS audit_events_insert_only()"))
    upgrade(engine)
    return True


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.__tablename__: connection.scalar(select(func.count()).select_from(t))
            for t in (
                Office,
                Plan,
                Area,
                Activity,
                Indicator,
                ProgressReport,
                Progress,
                IndicatorScore,
                PlanScore,
                OfficeScore,
                Submission,
            )
        }
