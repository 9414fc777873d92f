"""Stored scores: load plans and current progress, score them (scoring/), write the tables.

`rebuild_scores(engine)` recomputes everything; `rebuild_scores(connection, plan_ids=[...])`
recomputes only those plans (and their offices' composites) inside the caller's transaction,
which is how an import keeps scores in step with what it stored.

A plan is scored for every quarter up to the latest quarter any office has reported in its
fiscal year; a plan without a report in such a quarter gets not-reported rows.
Date values are day numbers (date.toordinal()) in and out, as in data/models.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, and_, delete, func, select

from data.models import (
    FiscalYear,
    Indicator,
    IndicatorScore,
    OfficeScore,
    Plan,
    PlanScore,
    Progress,
    ProgressReport,
    RuleSet,
    RuleSetPlanType,
)
from scoring import Rules, composite, is_own, marks_frame, plan_totals, score_rows

CHUNK_PLANS = 20_000
UNIX_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()
TARGET_LEVELS = (100, 90, 80, 70, 60)


def _ordinal(series: pd.Series) -> pd.Series:
    """Dates (or None) → day numbers as float (NaN for None)."""
    values = pd.to_datetime(series, errors="coerce").to_numpy("datetime64[D]")
    days = values.astype("int64").astype(float) + UNIX_EPOCH_ORDINAL
    return pd.Series(np.where(np.isnat(values), np.nan, days), index=series.index)


def _frame(connection: Connection, query) -> pd.DataFrame:
    # The driver's plain tuples: pandas probes SQLAlchemy Row objects for attributes, which
    # costs more than the query. (Dates may come back as ISO text on SQLite; _ordinal parses.)
    result = connection.execute(query)
    return pd.DataFrame.from_records(result.cursor.fetchall(), columns=list(result.keys()))


def load_rules(connection: Connection) -> dict[int, tuple[Rules, object]]:
    """{fiscal_year_id: (Rules, start_date)} from the rule sets (data, per fiscal year)."""
    years = pd.DataFrame(
        connection.execute(
            select(
                FiscalYear.id,
                FiscalYear.start_date,
                FiscalYear.rule_set_id,
                RuleSet.between_levels,
                RuleSet.lagging_threshold,
                RuleSet.year_end_unreported_is_zero,
            ).join(RuleSet, RuleSet.id == FiscalYear.rule_set_id)
        ).all()
    )
    marks = _frame(
        connection,
        select(RuleSetPlanType.rule_set_id, RuleSetPlanType.plan_type, RuleSetPlanType.marks),
    )
    rules = {}
    for row in years.itertuples():
        m = marks[marks.rule_set_id == row.rule_set_id]
        rules[row.id] = (
            Rules(
                between_levels=row.between_levels,
                lagging_threshold=row.lagging_threshold,
                year_end_unreported_is_zero=row.year_end_unreported_is_zero,
                marks=dict(zip(m.plan_type, m.marks, strict=True)),
            ),
            row.start_date,
        )
    return rules


def rules_for_year(connection: Connection, label: str) -> tuple[Rules, object] | None:
    """(Rules, start_date) of the fiscal year labelled e.g. "2024-25", or None if unknown."""
    year_id = connection.scalar(select(FiscalYear.id).where(FiscalYear.label == label))
    if year_id is None:
        return None
    return load_rules(connection)[year_id]


def _indicator_frame(connection: Connection, plan_filter) -> pd.DataFrame:
    columns = [
        Indicator.id.label("indicator_id"),
        Indicator.plan_id,
        Indicator.area_id,
        Indicator.unit_kind,
        Indicator.weight,
        Indicator.method,
        Indicator.q1_target.label("q1"),
        Indicator.q2_target.label("q2"),
        Indicator.q3_target.label("q3"),
        Indicator.q4_target.label("q4"),
        Plan.office_id,
        Plan.fiscal_year_id,
        Plan.plan_type,
        Indicator.defect,
        Indicator.governance_plan_type,
    ]
    for level in TARGET_LEVELS:
        columns.append(getattr(Indicator, f"target_{level}").label(f"n{level}"))
        columns.append(getattr(Indicator, f"target_{level}_date").label(f"d{level}"))
    frame = _frame(
        connection,
        select(*columns).join(Plan, Plan.id == Indicator.plan_id).where(plan_filter),
    )
    for level in TARGET_LEVELS:
        dates = _ordinal(frame[f"d{level}"])
        frame[f"t{level}"] = np.where(
            frame["unit_kind"] == "date", dates, frame[f"n{level}"].astype(float)
        )
    frame = frame.drop(columns=[f"{p}{lv}" for lv in TARGET_LEVELS for p in ("n", "d")])
    for q in range(1, 5):
        frame[f"q{q}"] = frame[f"q{q}"].astype(float)
    frame["weight"] = frame["weight"].astype(float)
    return frame


def _progress_frame(connection: Connection, plan_filter) -> pd.DataFrame:
    """Current achievements pivoted to a1..a4 (values) and s1..s4 (report status); the latest
    report to date as todate_q, todate_a, todate_s (scoring/corrections.py)."""
    rows = _frame(
        connection,
        select(
            Progress.indicator_id,
            ProgressReport.quarter,
            Progress.value_num,
            Progress.value_date,
            Progress.status,
            ProgressReport.to_date,
        )
        .join(ProgressReport, ProgressReport.id == Progress.report_id)
        .join(Plan, Plan.id == ProgressReport.plan_id)
        .where(plan_filter, ProgressReport.is_current.is_(True)),
    )
    if rows.empty:
        return pd.DataFrame(columns=["indicator_id"])
    rows["value"] = np.where(
        rows["value_date"].notna(), _ordinal(rows["value_date"]), rows["value_num"].astype(float)
    )
    rows["status"] = rows["status"].fillna("reported")
    to_date = rows["to_date"].astype(bool)
    quarterly, latest = rows[~to_date], rows[to_date]
    values = quarterly.pivot(index="indicator_id", columns="quarter", values="value")
    statuses = quarterly.pivot(index="indicator_id", columns="quarter", values="status")
    values.columns = [f"a{q}" for q in values.columns]
    statuses.columns = [f"s{q}" for q in statuses.columns]
    frame = values.join(statuses, how="outer")
    if not latest.empty:
        latest = latest.sort_values("quarter").groupby("indicator_id").last()
        frame = frame.join(
            latest[["quarter", "value", "status"]].rename(
                columns={"quarter": "todate_q", "value": "todate_a", "status": "todate_s"}
            ),
            how="outer",
        )
    return frame.rename_axis("indicator_id").reset_index()


def _reported_quarters(connection: Connection, plan_filter) -> pd.DataFrame:
    """(office_id, fiscal_year_id, quarter) to score: every quarter up to the latest one any
    office has reported in that fiscal year, so an office that sent nothing shows as not
    reported rather than vanishing from the quarter."""
    latest = _frame(
        connection,
        select(ProgressReport.fiscal_year_id, func.max(ProgressReport.quarter).label("latest"))
        .where(ProgressReport.is_current.is_(True))
        .group_by(ProgressReport.fiscal_year_id),
    )
    offices = _frame(
        connection, select(Plan.office_id, Plan.fiscal_year_id).where(plan_filter).distinct()
    )
    frame = offices.merge(latest, on="fiscal_year_id")
    if frame.empty:
        return pd.DataFrame(columns=["office_id", "fiscal_year_id", "quarter"])
    frame["quarter"] = frame["latest"].apply(lambda n: list(range(1, int(n) + 1)))
    return frame.explode("quarter").drop(columns="latest").astype({"quarter": int})


def score_frames(
    indicators: pd.DataFrame,
    progress: pd.DataFrame,
    reported: pd.DataFrame,
    rules: dict,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pure step: (indicator score rows, plan score rows) for every reported quarter."""
    frame = indicators.merge(progress, on="indicator_id", how="left")
    for q in range(1, 5):
        for prefix in ("a", "s"):
            if f"{prefix}{q}" not in frame:
                frame[f"{prefix}{q}"] = np.nan if prefix == "a" else None
    indicator_parts, plan_parts = [], []
    for (fiscal_year_id, quarter), offices in reported.groupby(["fiscal_year_id", "quarter"]):
        subset = frame[
            (frame.fiscal_year_id == fiscal_year_id) & frame.office_id.isin(offices.office_id)
        ]
        if subset.empty:
            continue
        rule_set, start = rules[fiscal_year_id]
        scored = score_rows(subset, rule_set, start, int(quarter))
        scored = pd.concat(
            [
                subset[
                    [
                        "indicator_id",
                        "plan_id",
                        "area_id",
                        "office_id",
                        "fiscal_year_id",
                        "plan_type",
                        "weight",
                    ]
                ],
                scored,
            ],
            axis=1,
        )
        scored["quarter"] = int(quarter)
        indicator_parts.append(scored)
        # An APA's governance rows are the action plans' marks: outside the APA's own score.
        totals = plan_totals(
            scored[is_own(subset).to_numpy()],
            by=["plan_id", "office_id", "fiscal_year_id", "plan_type"],
        )
        totals["quarter"] = int(quarter)
        plan_parts.append(totals)
    if not indicator_parts:
        return pd.DataFrame(), pd.DataFrame()
    return pd.concat(indicator_parts, ignore_index=True), pd.concat(plan_parts, ignore_index=True)


def _records(frame: pd.DataFrame, columns: Iterable[str]) -> list[tuple]:
    """Rows as tuples of plain Python values (None for NaN), for the driver's executemany."""
    values = []
    for column in columns:
        series = frame[column]
        cells = series.to_numpy(dtype=object, copy=True)  # Python ints, floats, strings
        cells[series.isna().to_numpy()] = None  # vectorised: a per-value test took seconds
        values.append(cells.tolist())
    return list(zip(*values, strict=True))


INDICATOR_COLUMNS = (
    "indicator_id",
    "quarter",
    "plan_id",
    "office_id",
    "fiscal_year_id",
    "plan_type",
    "achieved",
    "expected",
    "projected",
    "raw_score",
    "weighted_score",
    "projected_score",
    "status",
    "score_at_risk",
    "rule",
)
OFFICE_COLUMNS = (
    "office_id",
    "fiscal_year_id",
    "quarter",
    "composite",
    "projected_composite",
    "plan_count",
    "reported_plan_count",
    "lagging_count",
    "score_at_risk",
)
PLAN_COLUMNS = (
    "plan_id",
    "quarter",
    "office_id",
    "fiscal_year_id",
    "plan_type",
    "score",
    "total_weight",
    "percent",
    "projected_percent",
    "indicator_count",
    "reported_count",
    "lagging_count",
)


def _write(connection: Connection, table, columns: Iterable[str], rows: list[tuple]) -> None:
    """Bulk insert: PostgreSQL's COPY (a million score rows in seconds, where INSERTs take
    minutes), elsewhere the driver's executemany (dict parameters cost more than SQL here).
    The rows hold only numbers, text and None, which COPY takes as they are."""
    columns = list(columns)
    if not rows:
        return
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        # The DBAPI connection under `connection`: the same transaction.
        copy_sql = f"COPY {table.__tablename__} ({names}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.__tablename__} ({names}) VALUES ({', '.join([marker] * len(columns))})"
    )
    for start in range(0, len(rows), 50_000):
        connection.exec_driver_sql(sql, rows[start : start + 50_000])


SCORE_TABLES = tuple(t.__tablename__ for t in (IndicatorScore, PlanScore, OfficeScore))


def _set_aside_checks(connection: Connection, tables) -> list[str]:
    """PostgreSQL checks foreign keys and updates secondary indexes row by row as rows arrive
    (a million score rows: about two minutes); checking and indexing the whole table once
    afterwards takes seconds. Drops them and returns the statements that put them back, as
    the database has them (`pg_get_constraintdef`, `pg_indexes`)."""
    names = {"tables": list(tables)}
    foreign_keys = connection.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%(tables)s)",
        names,
    ).all()
    indexes = connection.exec_driver_sql(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_index x "
        "ON x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass "
        "WHERE i.tablename = ANY(%(tables)s) AND NOT x.indisprimary AND NOT x.indisunique",
        names,
    ).all()
    for table, name, _definition in foreign_keys:
        connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in foreign_keys
    ]


def _office_scores(connection: Connection, office_ids: list[int] | None, rules: dict):
    """Composite per office, fiscal year and quarter from the current plans' stored scores and
    the APA's governance rows (scoring.composite: the governance part counted once)."""
    plan_query = select(
        PlanScore.office_id,
        PlanScore.fiscal_year_id,
        PlanScore.quarter,
        PlanScore.plan_type,
        PlanScore.score,
        PlanScore.percent,
        PlanScore.projected_percent,
        PlanScore.lagging_count,
    )
    risk_query = select(
        IndicatorScore.office_id,
        IndicatorScore.fiscal_year_id,
        IndicatorScore.quarter,
        func.sum(IndicatorScore.score_at_risk).label("score_at_risk"),
    ).group_by(IndicatorScore.office_id, IndicatorScore.fiscal_year_id, IndicatorScore.quarter)
    governance_query = (
        select(
            IndicatorScore.office_id,
            IndicatorScore.fiscal_year_id,
            IndicatorScore.quarter,
            Indicator.governance_plan_type.label("plan_type"),
            Indicator.weight,
            IndicatorScore.weighted_score.label("marks"),
            (Indicator.weight * IndicatorScore.projected_score / 100.0).label("projected_marks"),
        )
        .join(Indicator, Indicator.id == IndicatorScore.indicator_id)
        .where(Indicator.governance_plan_type.is_not(None))
    )
    if office_ids is not None:
        plan_query = plan_query.where(PlanScore.office_id.in_(office_ids))
        risk_query = risk_query.where(IndicatorScore.office_id.in_(office_ids))
        governance_query = governance_query.where(IndicatorScore.office_id.in_(office_ids))
    frame = _frame(connection, plan_query)
    if frame.empty:
        return frame, []
    for column in ("percent", "projected_percent"):
        frame[column] = frame[column].astype(float)
    governance = _frame(connection, governance_query)
    for column in ("weight", "marks", "projected_marks"):
        governance[column] = governance[column].astype(float)
    frame["reported"] = frame["score"].notna()
    grouped = frame.groupby(["office_id", "fiscal_year_id", "quarter"])
    counts = pd.DataFrame(
        {
            "plan_count": grouped.size(),
            "reported_plan_count": grouped["reported"].sum(),
            "lagging_count": grouped["lagging_count"].sum(),
        }
    ).reset_index()
    out = composite(frame, governance, marks_frame({fy: r for fy, (r, _s) in rules.items()}))
    out = out.merge(counts, on=["office_id", "fiscal_year_id", "quarter"])
    out = out.merge(
        _frame(connection, risk_query), on=["office_id", "fiscal_year_id", "quarter"], how="left"
    )
    return out, _records(out, OFFICE_COLUMNS)


def rebuild_scores(
    target: Engine | Connection,
    plan_ids: list[int] | None = None,
    progress: Callable[[float], None] | None = None,
) -> dict:
    """Recompute stored scores for all current plans, or for `plan_ids` and their offices."""
    if isinstance(target, Engine):
        with target.begin() as connection:
            return _rebuild(connection, plan_ids, progress)
    return _rebuild(target, plan_ids, progress)


def _rebuild(connection: Connection, plan_ids, progress) -> dict:
    started = time.perf_counter()
    rules = load_rules(connection)
    set_aside: list[str] = []
    if plan_ids is None:
        if connection.dialect.name == "postgresql":
            # Empties the tables and their indexes outright (DELETE leaves a million dead rows
            # that every insert below would wade through); still inside the transaction.
            connection.exec_driver_sql(f"TRUNCATE {', '.join(SCORE_TABLES)}")
            set_aside = _set_aside_checks(connection, SCORE_TABLES)
        else:
            connection.execute(delete(IndicatorScore))
            connection.execute(delete(PlanScore))
            connection.execute(delete(OfficeScore))
        bounds = connection.execute(select(func.min(Plan.id), func.max(Plan.id))).one()
        chunks = (
            []
            if bounds[0] is None
            else [
                and_(Plan.id >= lo, Plan.id < lo + CHUNK_PLANS, Plan.is_current.is_(True))
                for lo in range(bounds[0], bounds[1] + 1, CHUNK_PLANS)
            ]
        )
        office_ids = None
    else:
        plan_ids = sorted(set(plan_ids))
        offices = _frame(
            connection,
            select(Plan.office_id, Plan.fiscal_year_id).where(Plan.id.in_(plan_ids)).distinct(),
        )
        office_ids = offices.office_id.tolist()
        # Every plan of the affected offices and years, current or not: superseded plans
        # lose their scores, current ones are rescored.
        affected = select(Plan.id).where(
            Plan.office_id.in_(office_ids),
            Plan.fiscal_year_id.in_(offices.fiscal_year_id.unique().tolist()),
        )
        connection.execute(delete(IndicatorScore).where(IndicatorScore.plan_id.in_(affected)))
        connection.execute(delete(PlanScore).where(PlanScore.plan_id.in_(affected)))
        connection.execute(delete(OfficeScore).where(OfficeScore.office_id.in_(office_ids)))
        chunks = [and_(Plan.id.in_(affected), Plan.is_current.is_(True))] if office_ids else []
    counts = {"indicator_scores": 0, "plan_scores": 0, "office_scores": 0}
    for n, plan_filter in enumerate(chunks, start=1):
        indicators = _indicator_frame(connection, plan_filter)
        if indicators.empty:
            continue
        scored, plans = score_frames(
            indicators,
            _progress_frame(connection, plan_filter),
            _reported_quarters(connection, plan_filter),
            rules,
        )
        if scored.empty:
            continue
        _write(connection, IndicatorScore, INDICATOR_COLUMNS, _records(scored, INDICATOR_COLUMNS))
        _write(connection, PlanScore, PLAN_COLUMNS, _records(plans, PLAN_COLUMNS))
        counts["indicator_scores"] += len(scored)
        counts["plan_scores"] += len(plans)
        if progress:
            progress(n / len(chunks))
    _, office_rows = _office_scores(connection, office_ids, rules)
    _write(connection, OfficeScore, OFFICE_COLUMNS, office_rows)
    for statement in set_aside:  # foreign keys and indexes back, checked over the whole table
        connection.exec_driver_sql(statement)
    counts["office_scores"] = len(office_rows)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts
