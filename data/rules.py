"""The fiscal years' rule sets, as administrators see and change them (scoring.md: rules are
data, not constants)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, select, update

from data.db import driver_rows
from data.kept import kept
from data.models import FiscalYear, RuleSet, RuleSetPlanType

BETWEEN_LEVELS = ("interpolate", "step")


def fiscal_year_labels(engine: Engine) -> set[str]:
    """The fiscal years the dashboard holds ("2024-25", ...): a plan for another is refused."""
    with engine.connect() as connection:
        return set(connection.scalars(select(FiscalYear.label)))


# What data.scores.load_rules reads (a few rows): the fiscal years with their rule sets, and
# the plan types' marks.
RULE_ROWS = (
    select(FiscalYear.__table__, RuleSet.__table__).outerjoin(
        RuleSet, RuleSet.id == FiscalYear.rule_set_id
    ),
    select(RuleSetPlanType.__table__),
)


def _rule_rows_version(connection: Connection) -> tuple:
    """The rule tables' rows as the driver's plain tuples (data.db.driver_rows)."""
    return driver_rows(connection, *RULE_ROWS)


def _kept(connection: Connection, what: str, build) -> dict:
    """`build(connection)`, kept while the rule tables hold the same rows: building the rules
    (data.scores.load_rules) costs more than reading those few rows, which every call reads
    to see whether they changed, in the caller's transaction: a changed rule set is seen by
    the next file or import."""
    return kept(connection, what, _rule_rows_version(connection), lambda: build(connection))


def rules_by_year_id(connection: Connection) -> dict[int, tuple]:
    """{fiscal_year_id: (Rules, start date)}: data.scores.load_rules, kept between imports."""
    return _kept(connection, "rules", _rules_by_id_and_label)[0]


def year_rules(engine: Engine | Connection) -> dict[str, tuple | None]:
    """{fiscal year label: (Rules, start date)} of every fiscal year the dashboard holds (None
    for a year without a rule set), for the checks of many files in a row (kept while the
    rule tables are unchanged); on the caller's connection when given one."""
    if isinstance(engine, Connection):
        return _kept(engine, "rules", _rules_by_id_and_label)[1]
    with engine.connect() as connection:
        return _kept(connection, "rules", _rules_by_id_and_label)[1]


def _rules_by_id_and_label(connection: Connection) -> tuple[dict, dict]:
    """Both from one load_rules: an import's check reads them by label, its rescoring by id,
    so the first import after a rule set changes (or on a new server) builds them once."""
    from data.scores import load_rules

    by_id = load_rules(connection)
    labels = connection.execute(select(FiscalYear.id, FiscalYear.label)).all()
    return by_id, {label: by_id.get(year_id) for year_id, label in labels}


def rule_sets(engine: Engine) -> pd.DataFrame:
    query = select(
        RuleSet.id,
        RuleSet.code,
        RuleSet.name_bn,
        RuleSet.name_en,
        RuleSet.between_levels,
        RuleSet.lagging_threshold,
        RuleSet.report_due_days,
    ).order_by(RuleSet.id)
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(query).mappings().all(), columns=query.selected_columns.keys()
        )
        years = connection.execute(
            select(FiscalYear.rule_set_id, FiscalYear.label).order_by(FiscalYear.label)
        ).all()
    labels: dict[int, list[str]] = {}
    for rule_set_id, label in years:
        labels.setdefault(rule_set_id, []).append(label)
    frame["fiscal_years"] = frame["id"].map(lambda i: ", ".join(labels.get(i, [])))
    return frame


def change_rule_set(
    connection: Connection, rule_set_id: int, *, lagging_threshold: float, between_levels: str
) -> None:
    """Change a rule set; the caller records it in the audit trail and rebuilds the scores."""
    if between_levels not in BETWEEN_LEVELS:
        raise ValueError(f"between_levels must be one of {BETWEEN_LEVELS}")
    if not 0 <= lagging_threshold <= 100:
        raise ValueError("the lagging threshold is a score between 0 and 100")
    connection.execute(
        update(RuleSet)
        .where(RuleSet.id == rule_set_id)
        .values(lagging_threshold=lagging_threshold, between_levels=between_levels)
    )


def update_rules(engine: Engine, actor, rule_set_id: int, **values) -> dict:
    """Change a rule set, record who did, and rescore everything, in one transaction. The
    actor (the signed-in user) must be a national administrator (data.users)."""
    from data import audit
    from data.scores import rebuild_scores
    from data.users import require_national_admin

    with engine.begin() as connection:
        admin = require_national_admin(connection, engine, actor)
        change_rule_set(connection, rule_set_id, **values)
        scores = rebuild_scores(connection)
        audit.record(
            connection, admin.username, "rules-changed", "rule_set", rule_set_id, None, values
        )
        return scores
