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
from sqlalchemy import Connection, Engine, delete, func, select

from core.terms import ACHIEVEMENT_STATUSES
from data.db import bump_data_version
from data.models import (
    FiscalYear,
    Indicator,
    IndicatorScore,
    OfficeScore,
    Plan,
    PlanScore,
    RuleSet,
    RuleSetPlanType,
)
from data.rules import rules_by_year_id
from scoring import Rules, composite, is_own, marks_frame, plan_totals, score_rows
from scoring.indicators import METHODS, UNITS
from scoring.inputs import (
    ACHIEVEMENTS,
    QUARTER_TARGETS,
    QUARTERS,
    REPORTS,
    TARGET_LEVELS,
    TARGETS,
)


def _frame(connection: Connection, query) -> pd.DataFrame:
    # The driver's plain tuples: pandas probes SQLAlchemy Row objects for attributes, which
    # costs more than the query.
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


# ------------------------------------------------------------------ the full rebuild, fast
#
# A full rebuild reads only what scoring needs, with the driver's plain cursor (dates turned
# into day numbers by the database), scores each fiscal year's quarters in one pass, and
# writes only the rows that differ from what is stored: a rebuild that changes nothing
# writes nothing, and readers are never blocked (SQLite's WAL and PostgreSQL's MVCC both
# show them the old rows until the one commit). When most rows change (a new rule set), the
# tables are emptied and loaded in bulk instead, their secondary indexes rebuilt once.

REWRITE_SHARE = 0.3  # above this share of changed rows, rewrite the table in bulk


def _day_number(dialect: str, column: str) -> str:
    """SQL for a DATE column as a day number (date.toordinal()), NULL for NULL."""
    if dialect == "postgresql":
        return f"(({column}) - DATE '0001-01-01' + 1)::float8"
    return f"(julianday({column}) - 1721424.5)"  # julianday('0001-01-01') = 1721425.5


def _fetch(connection: Connection, sql: str) -> list[tuple]:
    """Rows as the driver's plain tuples (pandas and SQLAlchemy rows cost more than the query)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _numeric(rows: list[tuple], width: int) -> np.ndarray:
    """Rows of numbers and NULLs as one float array, column-major (NULL → NaN)."""
    if not rows:
        return np.empty((width, 0))
    return np.array(rows, dtype=float).T


def _code(column: str, names) -> str:
    """SQL: a text column as its position in `names`, NULL for anything else."""
    cases = " ".join(
        f"WHEN '{name.replace(chr(39), chr(39) * 2)}' THEN {n}" for n, name in enumerate(names)
    )
    return f"CASE {column} {cases} END" if cases else "NULL"


def _names(codes: np.ndarray, names) -> np.ndarray:
    """Codes (NaN for none) back to text (None)."""
    lookup = np.array([*names, None], dtype=object)
    at = np.where(np.isnan(codes), len(names), codes).astype(np.intp)
    return lookup[at]


# A progress row's status, as the kernel reads it: NULL is a report; a status it does not
# know counts as no report (scoring/indicators.py, REPORT_STATUSES).
PROGRESS_STATUSES = (*ACHIEVEMENT_STATUSES, "other")  # as codes, in this order


def scoring_input(
    connection: Connection, plan_ids: Iterable[int] | None = None, area: bool = False
) -> pd.DataFrame:
    """The frame scoring takes (scoring.inputs) for every current plan, or for the current
    ones among `plan_ids`: indicators with their plan's office, fiscal year and type, and their
    current progress. Ordered by indicator id; dates as day numbers (the database computes
    them); text the kernel only compares comes as categories. `area` adds area_id."""
    dialect = connection.dialect.name
    truth = "TRUE" if dialect == "postgresql" else "1"
    where = f"p.is_current = {truth}"
    if plan_ids is not None:
        where += f" AND p.id IN ({', '.join(str(int(i)) for i in plan_ids) or 'NULL'})"
    plan_types = [t for (t,) in _fetch(connection, "SELECT DISTINCT plan_type FROM plans")]
    targets = ", ".join(
        f"CASE WHEN i.unit_kind = 'date' THEN {_day_number(dialect, f'i.target_{lv}_date')}"
        f" ELSE i.target_{lv} END"
        for lv in TARGET_LEVELS
    )
    columns = _numeric(
        _fetch(
            connection,
            f"SELECT i.id, i.plan_id, p.office_id, p.fiscal_year_id, {_code('p.plan_type', plan_types)},"
            f" {_code('i.unit_kind', UNITS)}, {_code('i.method', METHODS)}, i.weight,"
            f" i.q1_target, i.q2_target, i.q3_target, i.q4_target, {targets}"
            f"{', i.area_id' if area else ''}"
            f" FROM indicators i JOIN plans p ON p.id = i.plan_id WHERE {where} ORDER BY i.id",
        ),
        17 + area,
    )
    ids = columns[0].astype(np.int64)
    n = len(ids)
    texts = {"defect": np.full(n, None, dtype=object)}
    texts["governance_plan_type"] = np.full(n, None, dtype=object)
    rare = _fetch(
        connection,
        "SELECT i.id, i.defect, i.governance_plan_type FROM indicators i"
        f" JOIN plans p ON p.id = i.plan_id WHERE {where}"
        " AND (i.defect IS NOT NULL OR i.governance_plan_type IS NOT NULL)",
    )
    if rare:
        at = np.searchsorted(ids, np.array([r[0] for r in rare], dtype=np.int64))
        texts["defect"][at] = [r[1] for r in rare]
        texts["governance_plan_type"][at] = [r[2] for r in rare]
    frame = {
        "indicator_id": ids,
        "plan_id": columns[1].astype(np.int64),
        "office_id": columns[2].astype(np.int64),
        "fiscal_year_id": columns[3].astype(np.int64),
        "plan_type": _names(columns[4], plan_types),
        "unit_kind": pd.Categorical.from_codes(
            np.nan_to_num(columns[5], nan=-1).astype(np.int8), UNITS
        ),
        "method": pd.Categorical.from_codes(
            np.nan_to_num(columns[6], nan=-1).astype(np.int8), METHODS
        ),
        "weight": columns[7],
        **{q: columns[8 + n_] for n_, q in enumerate(QUARTER_TARGETS)},
        **{t: columns[12 + n_] for n_, t in enumerate(TARGETS)},
        **texts,
    }
    if area:
        frame["area_id"] = columns[17]
    frame.update(_progress(connection, where, dialect, ids))
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in frame.items()}
    )


def _progress(connection: Connection, where: str, dialect: str, ids: np.ndarray) -> dict:
    """Current achievements per quarter (a1..a4) with their reports' statuses (s1..s4), and
    the latest report to date (todate_q, todate_a, todate_s: scoring/corrections.py)."""
    truth = "TRUE" if dialect == "postgresql" else "1"
    n = len(ids)
    achieved = np.full((4, n), np.nan)
    reports = np.full((4, n), None, dtype=object)
    todate = {"todate_q": np.full(n, np.nan), "todate_a": np.full(n, np.nan)}
    todate["todate_s"] = np.full(n, None, dtype=object)
    status = f"CASE WHEN g.status IS NULL THEN 0 ELSE coalesce({_code('g.status', PROGRESS_STATUSES)}, 4) END"
    indicator, quarter, to_date, state, value = _numeric(
        _fetch(
            connection,
            f"SELECT g.indicator_id, r.quarter, CASE WHEN r.to_date THEN 1 ELSE 0 END, {status},"
            f" CASE WHEN g.value_date IS NOT NULL THEN {_day_number(dialect, 'g.value_date')}"
            " ELSE g.value_num END"
            " FROM progress g JOIN progress_reports r ON r.id = g.report_id"
            f" JOIN plans p ON p.id = r.plan_id WHERE {where} AND r.is_current = {truth}",
        ),
        5,
    )
    if n and len(indicator):
        row = np.searchsorted(ids, indicator.astype(np.int64))
        quarter = quarter.astype(np.int64)
        to_date = to_date == 1
        status = np.array(PROGRESS_STATUSES, dtype=object)[state.astype(np.intp)]
        for q in QUARTERS:
            here = ~to_date & (quarter == q)
            achieved[q - 1, row[here]] = value[here]
            reports[q - 1, row[here]] = status[here]
        if to_date.any():
            # The latest report to date per indicator (the last non-empty value of each
            # column, as pandas' groupby().last() gives it).
            latest = (
                pd.DataFrame({"row": row[to_date], "q": quarter[to_date], "a": value[to_date]})
                .assign(s=pd.Series(status[to_date], dtype=object))
                .sort_values("q", kind="stable")
                .groupby("row")
                .last()
            )
            at = latest.index.to_numpy()
            todate["todate_q"][at] = latest["q"].to_numpy(dtype=float)
            todate["todate_a"][at] = latest["a"].to_numpy(dtype=float)
            todate["todate_s"][at] = latest["s"].to_numpy(dtype=object)
    return {
        **{a: achieved[n_] for n_, a in enumerate(ACHIEVEMENTS)},
        **{s: reports[n_] for n_, s in enumerate(REPORTS)},
        **todate,
    }


def _latest_quarters(connection: Connection) -> dict[int, int]:
    """{fiscal_year_id: the latest quarter any office has a current report for}."""
    truth = "TRUE" if connection.dialect.name == "postgresql" else "1"
    return {
        int(fy): int(q)
        for fy, q in _fetch(
            connection,
            "SELECT fiscal_year_id, max(quarter) FROM progress_reports"
            f" WHERE is_current = {truth} GROUP BY fiscal_year_id",
        )
    }


def _score_all(frame: pd.DataFrame, latest: dict[int, int], rules: dict):
    """(indicator score rows, plan score rows) of every current plan, for every quarter up to
    its fiscal year's latest reported one; rows ordered by (indicator, quarter)."""
    indicator_parts, plan_parts = [], []
    fiscal_years = frame["fiscal_year_id"].to_numpy()
    for fiscal_year_id in np.unique(fiscal_years):
        last = latest.get(int(fiscal_year_id))
        if last is None:
            continue
        subset = frame[fiscal_years == fiscal_year_id].reset_index(drop=True)
        rule_set, start = rules[int(fiscal_year_id)]
        own = is_own(subset).to_numpy()
        keys = subset[
            ["indicator_id", "plan_id", "office_id", "fiscal_year_id", "plan_type", "weight"]
        ]
        for quarter in range(1, last + 1):
            scored = pd.concat([keys, score_rows(subset, rule_set, start, quarter)], axis=1)
            scored["quarter"] = quarter
            indicator_parts.append(scored)
            totals = plan_totals(
                scored[own], by=["plan_id", "office_id", "fiscal_year_id", "plan_type"]
            )
            totals["quarter"] = quarter
            plan_parts.append(totals)
    if not indicator_parts:
        return pd.DataFrame(columns=INDICATOR_COLUMNS), pd.DataFrame(columns=PLAN_COLUMNS)
    scored = pd.concat(indicator_parts, ignore_index=True)
    plans = pd.concat(plan_parts, ignore_index=True)
    scored = scored.sort_values(["indicator_id", "quarter"], kind="stable", ignore_index=True)
    plans = plans.sort_values(["plan_id", "quarter"], kind="stable", ignore_index=True)
    return scored, plans


def _composite_key(frame: dict, keys: list[str], sizes: list[int]) -> np.ndarray:
    key = np.zeros(len(frame[keys[0]]), dtype=np.int64)
    for name, size in zip(keys, sizes, strict=True):
        key = key * size + np.asarray(frame[name], dtype=np.int64)
    return key


def _text_values(series: pd.Series) -> list[str]:
    """The distinct text values of a column, missing ones left out."""
    return sorted({value for value in series.dropna().unique() if isinstance(value, str)})


def _secondary_indexes(connection: Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a SQLite table's own indexes."""
    return [
        (name, sql)
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            (table,),
        ).all()
    ]


def _rewrite(connection: Connection, table, columns, frame: pd.DataFrame) -> None:
    """Empty the table and load `frame` in bulk: PostgreSQL's TRUNCATE and COPY with the
    checks set aside; SQLite's DELETE and executemany with the indexes rebuilt once."""
    name = table.__tablename__
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"TRUNCATE {name}")
        restore = _set_aside_checks(connection, [name])
        _write(connection, table, columns, _records(frame, columns))
        for statement in restore:
            connection.exec_driver_sql(statement)
        return
    indexes = _secondary_indexes(connection, name)
    for index, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{index}"')
    connection.exec_driver_sql(f"DELETE FROM {name}")
    _write(connection, table, columns, _records(frame, columns))
    for _index, sql in indexes:
        connection.exec_driver_sql(sql)


def _sync(connection: Connection, table, keys: list[str], columns, frame: pd.DataFrame) -> int:
    """Make the table hold exactly `frame`'s rows (`columns`, unique on `keys`), writing only
    the rows that differ from the stored ones. Returns the number of rows written."""
    columns = list(columns)
    name = table.__tablename__
    # Everything as numbers, so the driver's rows become one float array in one step: text
    # as its position among the new rows' values (-1 for any other, NULL for NULL).
    texts = {c: _text_values(frame[c]) for c in columns if frame[c].dtype.kind not in "biuf"}
    selected = [
        f"CASE WHEN {c} IS NULL THEN NULL ELSE coalesce({_code(c, texts[c])}, -1) END"
        if c in texts
        else c
        for c in columns
    ]
    stored = _numeric(_fetch(connection, f"SELECT {', '.join(selected)} FROM {name}"), len(columns))
    old = dict(zip(columns, stored, strict=True))
    if not stored.shape[1] or frame.empty:  # nothing to compare: load in bulk
        _rewrite(connection, table, columns, frame)
        return len(frame)
    sizes = [int(max(old[k].max(), frame[k].max())) + 1 for k in keys]
    old_key = _composite_key(old, keys, sizes)
    new_key = _composite_key({k: frame[k].to_numpy() for k in keys}, keys, sizes)
    _, old_at, new_at = np.intersect1d(old_key, new_key, assume_unique=True, return_indices=True)
    same = np.ones(len(old_at), dtype=bool)
    for column in columns:
        if column in keys:
            continue
        if column in texts:
            codes = pd.Categorical(frame[column], categories=texts[column]).codes
            values = np.where(codes < 0, np.nan, codes)
        else:
            values = frame[column].to_numpy(dtype=float, na_value=np.nan)
        a, b = old[column][old_at], values[new_at]
        same &= (a == b) | (np.isnan(a) & np.isnan(b))
    gone = np.ones(len(old_key), dtype=bool)
    gone[old_at[same]] = False  # stored rows to delete: changed or no longer there
    fresh = np.ones(len(new_key), dtype=bool)
    fresh[new_at[same]] = False  # rows to insert: changed or new
    if fresh.sum() + gone.sum() > REWRITE_SHARE * len(frame):
        _rewrite(connection, table, columns, frame)
        return len(frame)
    if gone.any():
        marker = "%s" if connection.dialect.name == "postgresql" else "?"
        where = " AND ".join(f"{k} = {marker}" for k in keys)
        doomed = list(zip(*(old[k][gone].astype(np.int64).tolist() for k in keys), strict=True))
        connection.exec_driver_sql(f"DELETE FROM {name} WHERE {where}", doomed)
    if fresh.any():
        _write(connection, table, columns, _records(frame[fresh], columns))
    return int(fresh.sum())


def _rebuild_all(connection: Connection, rules: dict, progress) -> dict:
    """The full rebuild: read, score, write what changed (see above)."""
    frame = scoring_input(connection)
    if progress:
        progress(0.3)
    scored, plans = _score_all(frame, _latest_quarters(connection), rules)
    if progress:
        progress(0.6)
    written = _sync(
        connection, IndicatorScore, ["indicator_id", "quarter"], INDICATOR_COLUMNS, scored
    )
    written += _sync(connection, PlanScore, ["plan_id", "quarter"], PLAN_COLUMNS, plans)
    offices = _office_scores(connection, None, rules)[0]
    if offices.empty:
        offices = pd.DataFrame(columns=OFFICE_COLUMNS)
    written += _sync(
        connection, OfficeScore, ["office_id", "fiscal_year_id", "quarter"], OFFICE_COLUMNS, offices
    )
    if progress:
        progress(1.0)
    return {
        "indicator_scores": len(scored),
        "plan_scores": len(plans),
        "office_scores": len(offices),
        "rows_written": written,
    }


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
    rules = rules_by_year_id(connection)  # load_rules, kept while the rule tables are the same
    if plan_ids is None:
        counts = _rebuild_all(connection, rules, progress)
        bump_data_version(connection)
        counts["seconds"] = round(time.perf_counter() - started, 2)
        return counts
    plan_ids = sorted(set(plan_ids))
    offices = _frame(
        connection,
        select(Plan.office_id, Plan.fiscal_year_id).where(Plan.id.in_(plan_ids)).distinct(),
    )
    office_ids = offices.office_id.tolist()
    # Every plan of the affected offices and years, current or not: superseded plans lose
    # their scores, current ones are rescored.
    affected = select(Plan.id).where(
        Plan.office_id.in_(office_ids),
        Plan.fiscal_year_id.in_(offices.fiscal_year_id.unique().tolist()),
    )
    connection.execute(delete(IndicatorScore).where(IndicatorScore.plan_id.in_(affected)))
    connection.execute(delete(PlanScore).where(PlanScore.plan_id.in_(affected)))
    connection.execute(delete(OfficeScore).where(OfficeScore.office_id.in_(office_ids)))
    counts = {"indicator_scores": 0, "plan_scores": 0, "office_scores": 0}
    if office_ids:
        frame = scoring_input(connection, connection.execute(affected).scalars().all())
        scored, plans = _score_all(frame, _latest_quarters(connection), rules)
        _write(connection, IndicatorScore, INDICATOR_COLUMNS, _records(scored, INDICATOR_COLUMNS))
        _write(connection, PlanScore, PLAN_COLUMNS, _records(plans, PLAN_COLUMNS))
        counts["indicator_scores"], counts["plan_scores"] = len(scored), len(plans)
        _, office_rows = _office_scores(connection, office_ids, rules)
        _write(connection, OfficeScore, OFFICE_COLUMNS, office_rows)
        counts["office_scores"] = len(office_rows)
    if progress:
        progress(1.0)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts
