"""The schema comes from the migrations and holds the reference data scoring needs."""

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from data.db import database_url
from data.models import Base, FiscalYear, RuleSet, RuleSetPlanType


def test_migrations_build_every_table(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_rule_sets_are_data(engine):
    with Session(engine) as session, session.begin():
        fy = session.scalar(select(FiscalYear).where(FiscalYear.label == "2024-25"))
        marks = {pt.plan_type: pt.marks for pt in fy.rule_set.plan_types}
        assert marks == {"apa": 70, "nis": 10, "egov": 10, "grs": 4, "citizen_charter": 3, "rti": 3}
        assert sum(marks.values()) == 100
        assert [lv.level for lv in fy.rule_set.levels] == [100, 90, 80, 70, 60]
        assert fy.rule_set.lagging_threshold == 80
        # The APA was succeeded from 2025-26: that year has its own rule set.
        successor = session.scalar(select(FiscalYear).where(FiscalYear.label == "2025-26"))
        assert successor.system == "successor"
        assert successor.rule_set_id != fy.rule_set_id


def test_rule_set_can_be_changed_per_year(engine):
    with Session(engine) as session, session.begin():
        rs = session.scalar(select(RuleSet).where(RuleSet.code == "successor-2025"))
        rs.between_levels = "step"
    with Session(engine) as session, session.begin():
        steps = session.scalar(select(func.count()).where(RuleSet.between_levels == "step"))
        assert steps == 1
        assert session.scalar(select(func.count()).select_from(RuleSetPlanType)) == 12


def test_database_url_normalises_postgres_urls(monkeypatch):
    monkeypatch.delenv("APA_DATABASE_URL", raising=False)
    assert database_url().startswith("sqlite:///")
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_models_match_migrations(engine):
    """A change to data/models.py must come with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
