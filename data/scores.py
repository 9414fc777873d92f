"""Stored scores: load plans and current progress, score them (scoring/), write the tables.

`rebuild_scores(engine)` recomputes everything; `rebuild_scores(connection, plan_ids=[...])`
recomputes only those plans (and their offices' composites) inside the caller's transaction,
which is how an import keeps scores in step with what it stored.

A plan is scored for every quarter up to the latest quarter any office has reported in its
fiscal year; a plan without a report in such a quarter gets not-reported rows.
Date values are day numbers (date.toordinal()) in and out, as in data/models.py.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Connection, Engine, Float, Integer, String, func, select

from core.terms import ACHIEVEMENT_STATUSES
from data.bulk import bulk_connection
from data.db import IMPORT_LOCK, bump_data_version, driver_sql, lock
from data.models import (
    FiscalYear,
    Indicator,
    IndicatorScore,
    OfficeScore,
    PlanScore,
    RuleSet,
    RuleSetPlanType,
    ScoreDigest,
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
from scoring.stacked import score_columns
from scoring.totals import composite_small, plan_totals_small


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


def _records(
    frame, columns: Iterable[str], nulls: bool, at: np.ndarray | None = None
) -> Iterator[tuple]:
    """Rows as tuples of plain Python values, for the driver, made as it takes them (a list
    of a million tuples costs more than the driver's work on it). With `nulls`, NaN becomes
    None (COPY would store NaN); SQLite stores a NaN it is given as NULL, so it skips that
    step. `frame`: a DataFrame, or columns as numpy arrays by name (an import's few rows:
    pandas frames cost more than the rows). `at`: the rows to give, in that order (all, as
    they are, when None)."""
    values = []
    for column in columns:
        cells = np.asarray(frame[column])
        if at is not None:
            cells = cells[at]
        if not nulls or cells.dtype.kind in "iub":  # no NaN in these
            values.append(cells.tolist())  # numpy's tolist makes the Python values in C
            continue
        missing = np.isnan(cells) if cells.dtype.kind == "f" else pd.isna(cells)  # vectorised
        if not missing.any():
            values.append(cells.tolist())
            continue
        cells = cells.astype(object)
        cells[missing] = None
        values.append(cells.tolist())
    return zip(*values, strict=True)


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


# The types COPY's binary format gives each column as (data/models.py's types; the most
# specific first): the driver turns Python's ints and floats into their bytes in C, and the
# server takes them as they are, where the text format had both sides print and parse every
# number. The values stored are the same: floats to the bit either way.
_COPY_TYPES = ((BigInteger, "int8"), (Integer, "int4"), (Float, "float8"), (String, "text"))


def _copy_types(table, columns: list[str]) -> list[str] | None:
    """The PostgreSQL type of each column for a binary COPY, or None if one is not known."""
    types = []
    for column in columns:
        kind = table.__table__.columns[column].type
        found = next((name for base, name in _COPY_TYPES if isinstance(kind, base)), None)
        if found is None:
            return None
        types.append(found)
    return types


def _write(
    connection: Connection,
    table,
    columns,
    frame: pd.DataFrame,
    into: str = "",
    at: np.ndarray | None = None,
    freeze: bool = False,
) -> None:
    """Bulk insert of `frame`'s `columns` (the rows `at`, in that order, if given) into the
    table (or the table named `into`): PostgreSQL's COPY in its binary format (a million
    score rows in seconds, where INSERTs take minutes), elsewhere the driver's executemany
    (dict parameters cost more than SQL here). The rows hold only numbers, text and None.
    `freeze`: COPY ... FREEZE, for a table made in the same transaction (_build_aside_and_swap):
    its rows are stored frozen and its pages marked all-visible, so neither the first readers
    (hint bits) nor autovacuum (freezing) write the table again, and index-only scans need no
    heap visit from the start."""
    columns = list(columns)
    if not len(frame[columns[0]]) or (at is not None and not len(at)):
        return
    names = ", ".join(columns)
    into = into or table.__tablename__
    postgresql = connection.dialect.name == "postgresql"
    rows = _records(frame, columns, nulls=postgresql, at=at)
    if postgresql:
        types = _copy_types(table, columns)
        options = [*(["FORMAT BINARY"] if types else []), *(["FREEZE"] if freeze else [])]
        with_options = f" WITH ({', '.join(options)})" if options else ""
        # The DBAPI connection under `connection`: the same transaction.
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {into} ({names}) FROM STDIN{with_options}") as copy,
        ):
            if types:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {into} ({names}) VALUES ({', '.join(['?'] * len(columns))})"
    cursor = connection.connection.cursor()  # the driver's own, in the same transaction
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


SCORE_TABLES = tuple(t.__tablename__ for t in (IndicatorScore, PlanScore, OfficeScore))


def _hold_off_writers(connection: Connection) -> None:
    """A full rebuild keeps other score writers (imports) waiting until it commits, so it
    neither overwrites their scores with ones computed without their rows nor loses theirs
    when it replaces a table; readers go on. PostgreSQL: a lock that lets SELECTs through,
    on the score tables and on the tables whose keys they reference that imports write (a
    table built aside takes that lock on them for its foreign keys; taken first, in this
    order, it cannot wait in a circle with an import). SQLite: its one write lock, now."""
    if connection.dialect.name == "postgresql":
        tables = ", ".join(("plans", "indicators", *SCORE_TABLES, "score_digests"))
        connection.exec_driver_sql(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    else:
        lock(connection, IMPORT_LOCK)


def _office_scores(
    connection: Connection,
    office_ids: list[int] | None,
    rules: dict,
    written: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None,
):
    """Composite per office, fiscal year and quarter from the current plans' stored scores and
    the APA's governance rows (scoring.composite: the governance part counted once). A full
    rebuild gives them as it has just written them (`written`: plan scores, governance rows,
    score at risk) instead of reading them back."""
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
    if written is None:
        frame, governance = _frame(connection, plan_query), _frame(connection, governance_query)
    else:
        frame, governance, risk = written
        frame = frame[[c.name for c in plan_query.selected_columns]]
    if frame.empty:
        return frame
    for column in ("percent", "projected_percent"):
        frame[column] = frame[column].astype(float)
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
    if written is None:
        risk = _frame(connection, risk_query)
    out = out.merge(risk, on=["office_id", "fiscal_year_id", "quarter"], how="left")
    return out


# ------------------------------------------------------------------ the full rebuild, fast
#
# A full rebuild reads only what scoring needs, as numbers (dates turned into day numbers and
# text the kernel compares into codes by the database; PostgreSQL sends them in binary),
# scores each fiscal year's quarters in one pass, and writes only the rows that differ from
# what is stored: a rebuild that changes nothing writes nothing, and readers are never
# blocked (SQLite's WAL and PostgreSQL's MVCC both show them the old rows until the one
# commit). When most rows change (a new rule set), the table is loaded afresh in bulk instead
# (_rewrite). Indicator scores are compared through per-plan digests (_sync_indicator_scores).

REWRITE_SHARE = 0.3  # above this share of changed rows, rewrite the table in bulk


def _day_number(dialect: str, column: str) -> str:
    """SQL for a DATE column as a day number (date.toordinal()), NULL for NULL."""
    if dialect == "postgresql":
        return f"(({column}) - DATE '0001-01-01' + 1)::float8"
    return f"(julianday({column}) - 1721424.5)"  # julianday('0001-01-01') = 1721425.5


def _numbers(
    connection: Connection, columns: list[str], tail: str, by_first: bool | str = False
) -> np.ndarray:
    """`SELECT columns tail` where every column is a number or NULL, as one float array,
    column-major (NULL → NaN); `by_first`: rows ordered by the first column (or by the SQL
    given, which orders them as the first column does: the id a packed word starts with,
    whose order SQLite's plan may already give without sorting). SQLite: the
    driver's tuples into numpy. PostgreSQL: the server packs every row's values as float8
    bytes into one bytea (NULL as NaN), which numpy reads as it is: no Python object per
    value, and no message per row as COPY sends them."""
    if connection.dialect.name == "postgresql":
        values = " || ".join(f"float8send(coalesce(({c})::float8, 'NaN'))" for c in columns)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(f"SELECT string_agg({values}, ''::bytea) {tail}", binary=True)
            packed = cursor.fetchone()[0] or b""
        finally:
            cursor.close()
        out = (
            np.frombuffer(packed, dtype=">f8").reshape(-1, len(columns)).T.astype(float, order="C")
        )
        if by_first:
            out = out[:, np.argsort(out[0], kind="stable")]
        return out
    order = f" ORDER BY {columns[0] if by_first is True else by_first}" if by_first else ""
    rows = driver_sql(connection, f"SELECT {', '.join(columns)} {tail}{order}")
    # fromiter over the values in a row (None → NaN): half the time of np.array(rows).
    values = np.fromiter(chain.from_iterable(rows), float, len(rows) * len(columns))
    return values.reshape(len(rows), len(columns)).T


# Several small non-negative integers of a row (ids, quarters, codes) travel as one number:
# on SQLite each value read costs a Python object, whatever its size. A word holds at most
# 53 bits, the integers a float64 holds exactly (_numbers' arrays; PostgreSQL's float8).
WORD_BITS = 53


def _packed(fields: list[tuple[str, int]]) -> tuple[list[str], list[list[int]]]:
    """(SQL columns, each column's fields' bits) for `fields`, (SQL of a non-negative integer,
    its largest value), packed in order into as few words as hold them, the first field of a
    word in its highest bits. Each field gets one bit more than its largest value needs, so
    a row written meanwhile by another transaction cannot spill into its neighbour."""
    columns: list[str] = []
    layout: list[list[int]] = []
    for sql, most in fields:
        bits = max(int(most), 1).bit_length() + 1
        if layout and sum(layout[-1]) + bits <= WORD_BITS:
            columns[-1] = f"({columns[-1]}) * {1 << bits} + ({sql})"
            layout[-1].append(bits)
        else:
            columns.append(f"CAST(({sql}) AS BIGINT)")
            layout.append([bits])
    return columns, layout


def _unpacked(words: np.ndarray, layout: list[list[int]]) -> list[np.ndarray]:
    """The fields of _packed's words (one row per word column) as int64 arrays, in order."""
    fields = []
    for word, sizes in zip(words, layout, strict=True):
        word = word.astype(np.int64)
        parts = []
        for bits in reversed(sizes):
            parts.append(word & ((1 << bits) - 1))
            word = word >> bits
        fields.extend(reversed(parts))
    return fields


_ID_TABLES = ("plans", "offices", "fiscal_years", "indicators")


def _largest_ids(connection: Connection) -> dict[str, int]:
    """The largest id of each table scoring_input reads (the packed fields' sizes), in one
    round trip (each from its b-tree)."""
    (row,) = driver_sql(
        connection, "SELECT " + ", ".join(f"(SELECT max(id) FROM {t})" for t in _ID_TABLES)
    )
    return {table: value or 0 for table, value in zip(_ID_TABLES, row, strict=True)}


def _code(column: str, names) -> str:
    """SQL: a text column as its position in `names`, NULL for anything else."""
    cases = " ".join(
        f"WHEN '{name.replace(chr(39), chr(39) * 2)}' THEN {n}" for n, name in enumerate(names)
    )
    return f"CASE {column} {cases} END" if cases else "NULL"


# A progress row's status, as the kernel reads it: NULL is a report; a status it does not
# know counts as no report (scoring/indicators.py, REPORT_STATUSES).
PROGRESS_STATUSES = (*ACHIEVEMENT_STATUSES, "other")  # as codes, in this order


# Made once: pandas validates a list of categories on every call.
_DTYPES = {
    "unit_kind": pd.CategoricalDtype(UNITS),
    "method": pd.CategoricalDtype(METHODS),
    **dict.fromkeys(REPORTS, pd.CategoricalDtype(PROGRESS_STATUSES)),
}


def scoring_input(
    connection: Connection,
    plan_ids: Iterable[int] | None = None,
    area: bool = False,
    reader: Connection | None = None,
) -> pd.DataFrame:
    """The frame scoring takes (scoring.inputs) for every current plan, or for the current
    ones among `plan_ids`: indicators with their plan's office, fiscal year and type, and their
    current progress. Ordered by indicator id; dates as day numbers (the database computes
    them); text the kernel only compares comes as categories. `area` adds area_id. `reader`:
    a second connection that sees what `connection` sees (_reader), which reads the progress
    meanwhile (scoring_columns)."""
    frame = scoring_columns(connection, plan_ids, area, reader)
    for column, dtype in _DTYPES.items():
        frame[column] = pd.Categorical.from_codes(frame[column], dtype=dtype)
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in frame.items()}
    )


def scoring_columns(
    connection: Connection,
    plan_ids: Iterable[int] | None = None,
    area: bool = False,
    reader: Connection | None = None,
) -> dict[str, np.ndarray]:
    """scoring_input's columns as plain arrays, the unit, the method and the report statuses
    s1..s4 as their positions in UNITS, METHODS and PROGRESS_STATUSES (-1: none): what an
    import's rescoring hands the kernel (scoring.stacked.score_columns) without a frame.
    With a `reader` (a full rebuild's second connection on PostgreSQL: _reader), the progress
    rows are read through it in a thread of their own while this one reads the plans and
    indicators: the server runs the two queries at once, one core each."""
    dialect = connection.dialect.name
    truth = "TRUE" if dialect == "postgresql" else "1"
    where = f"p.is_current = {truth}"
    if plan_ids is not None:
        where += f" AND p.id IN ({', '.join(str(int(i)) for i in plan_ids) or 'NULL'})"
    largest = _largest_ids(connection)
    progress_sql, progress_layout = _progress_query(dialect, where, largest["indicators"])
    if reader is None:
        frame = _plans_and_indicators(connection, where, largest, area)
        fetched = _numbers(connection, *progress_sql)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            progress = pool.submit(_numbers, reader, *progress_sql)
            frame = _plans_and_indicators(connection, where, largest, area)
            fetched = progress.result()  # the thread's error, if any, raised here
    frame.update(_progress(fetched, progress_layout, frame["indicator_id"]))
    return frame


def _plans_and_indicators(
    connection: Connection, where: str, largest: dict[str, int], area: bool
) -> dict[str, np.ndarray]:
    """scoring_columns' columns but the progress ones."""
    dialect = connection.dialect.name
    # The plan types among the plans read (an import's few: not a scan of every plan).
    plan_types = [
        t
        for (t,) in driver_sql(
            connection, f"SELECT DISTINCT p.plan_type FROM plans p WHERE {where}"
        )
    ]
    targets = [
        f"CASE WHEN i.unit_kind = 'date' THEN {_day_number(dialect, f'i.target_{lv}_date')}"
        f" ELSE i.target_{lv} END"
        for lv in TARGET_LEVELS
    ]
    # Each row's values cost the driver more than the query (SQLite: a Python object each), so
    # the plans' columns come once per plan, and the small integers of a row as one number
    # (_packed): the ids, and the codes of the unit and the method with a flag for the rare
    # text columns.
    plan_words, plan_layout = _packed(
        [
            ("p.id", largest["plans"]),
            ("p.office_id", largest["offices"]),
            ("p.fiscal_year_id", largest["fiscal_years"]),
            (f"coalesce({_code('p.plan_type', plan_types)}, {len(plan_types)})", len(plan_types)),
        ]
    )
    plans = _unpacked(
        _numbers(connection, plan_words, f"FROM plans p WHERE {where}", by_first="p.id"),
        plan_layout,
    )
    rare = "i.defect IS NOT NULL OR i.governance_plan_type IS NOT NULL"
    kinds = (
        f"coalesce({_code('i.unit_kind', UNITS)}, 7) + 8 * coalesce({_code('i.method', METHODS)}, 7)"
        f" + 64 * (CASE WHEN {rare} THEN 1 ELSE 0 END)"
    )
    words, layout = _packed(
        [
            ("i.id", largest["indicators"]),
            ("i.plan_id", largest["plans"]),
            (kinds, 127),
        ]
    )
    values = [
        "i.weight",
        *(f"i.q{q}_target" for q in QUARTERS),
        *targets,
        *(["i.area_id"] if area else []),
    ]
    columns = _numbers(
        connection,
        [*words, *values],
        f"FROM indicators i JOIN plans p ON p.id = i.plan_id WHERE {where}",
        by_first="i.id",
    )
    ids, plan_ids, kinds = _unpacked(columns[: len(words)], layout)
    columns = columns[len(words) :]
    n = len(ids)
    plan_at = np.searchsorted(plans[0], plan_ids)
    unit, method = kinds % 8, kinds // 8 % 8
    texts = {"defect": np.full(n, None, dtype=object)}
    texts["governance_plan_type"] = np.full(n, None, dtype=object)
    if (kinds >= 64).any():  # a scan of its own only when some indicator has them
        found = driver_sql(
            connection,
            "SELECT i.id, i.defect, i.governance_plan_type FROM indicators i"
            f" JOIN plans p ON p.id = i.plan_id WHERE {where} AND ({rare})",
        )
        at = np.searchsorted(ids, np.array([r[0] for r in found], dtype=np.int64))
        texts["defect"][at] = [r[1] for r in found]
        texts["governance_plan_type"][at] = [r[2] for r in found]
    frame = {
        "indicator_id": ids,
        "plan_id": plan_ids,
        "office_id": plans[1][plan_at],
        "fiscal_year_id": plans[2][plan_at],
        "plan_type": np.array([*plan_types, None], dtype=object)[plans[3][plan_at]],
        "unit_kind": np.where(unit == 7, -1, unit).astype(np.int8),
        "method": np.where(method == 7, -1, method).astype(np.int8),
        "weight": columns[0],
        **{q: columns[1 + n_] for n_, q in enumerate(QUARTER_TARGETS)},
        **{t: columns[5 + n_] for n_, t in enumerate(TARGETS)},
        **texts,
    }
    if area:
        frame["area_id"] = columns[10]
    return frame


def _day(value) -> float:
    """A DATE value as the database gives it back as a day number (_day_number): NaN for
    none; a datetime is stored as its date."""
    return float(value.toordinal()) if value is not None else np.nan


def _number(value) -> float:
    """A FLOAT value as the database gives it back (NULL: NaN)."""
    return np.nan if value is None else float(value)


def written_columns(
    plans: list[dict], indicators: list[dict], progress: list[tuple[dict, int, bool]]
) -> dict[str, np.ndarray]:
    """scoring_columns' arrays for current plans the caller has just written in this
    transaction, from the rows as it gave them to the INSERTs instead of read back: `plans`
    (id, office_id, fiscal_year_id, plan_type), their indicators (with their ids, ordered by
    id) and the progress rows of their current reports, each with its report's quarter and
    whether it is to date. Every value as the database would give it back to
    scoring_columns' queries: floats (NULL: NaN), dates as day numbers, the unit, method and
    status as the same codes."""
    plan_of = {p["id"]: p for p in plans}
    n = len(indicators)
    ids = np.fromiter((i["id"] for i in indicators), np.int64, n)
    plan_rows = [plan_of[i["plan_id"]] for i in indicators]
    unit_code = {u: k for k, u in enumerate(UNITS)}
    method_code = {m: k for k, m in enumerate(METHODS)}
    values = {}
    for lv, t in zip(TARGET_LEVELS, TARGETS, strict=True):
        values[t] = np.array(
            [
                _day(i[f"target_{lv}_date"])
                if i["unit_kind"] == "date"
                else _number(i[f"target_{lv}"])
                for i in indicators
            ],
            dtype=float,
        )
    for q, name in zip(QUARTERS, QUARTER_TARGETS, strict=True):
        values[name] = np.array([_number(i[f"q{q}_target"]) for i in indicators], dtype=float)
    status_code = {s: k for k, s in enumerate(PROGRESS_STATUSES)}
    frame = {
        "indicator_id": ids,
        "plan_id": np.fromiter((i["plan_id"] for i in indicators), np.int64, n),
        "office_id": np.fromiter((p["office_id"] for p in plan_rows), np.int64, n),
        "fiscal_year_id": np.fromiter((p["fiscal_year_id"] for p in plan_rows), np.int64, n),
        "plan_type": np.array([p["plan_type"] for p in plan_rows] + [None], dtype=object)[:n],
        "unit_kind": np.array([unit_code.get(i["unit_kind"], -1) for i in indicators], np.int8),
        "method": np.array([method_code.get(i["method"], -1) for i in indicators], np.int8),
        "weight": np.array([_number(i["weight"]) for i in indicators], dtype=float),
        **{name: values[name] for name in QUARTER_TARGETS},
        **{name: values[name] for name in TARGETS},
        "defect": np.array([i["defect"] for i in indicators] + [None], dtype=object)[:n],
        "governance_plan_type": np.array(
            [i["governance_plan_type"] for i in indicators] + [None], dtype=object
        )[:n],
    }
    size = len(progress)
    frame.update(
        _progress_columns(
            ids,
            np.fromiter((g["indicator_id"] for g, _q, _t in progress), np.int64, size),
            np.fromiter((q for _g, q, _t in progress), np.int64, size),
            np.fromiter((bool(t) for _g, _q, t in progress), bool, size),
            np.fromiter(
                (
                    0 if g["status"] is None else status_code.get(g["status"], 4)
                    for g, _q, _t in progress
                ),
                np.int64,
                size,
            ),
            np.fromiter(
                (
                    _day(g["value_date"])
                    if g["value_date"] is not None
                    else _number(g["value_num"])
                    for g, _q, _t in progress
                ),
                float,
                size,
            ),
        )
    )
    return frame


def _joined(first: dict[str, np.ndarray], second: dict[str, np.ndarray]) -> dict:
    """Two sets of scoring_columns' arrays (of different indicators) as one, by indicator id."""
    joined = {k: np.concatenate([v, second[k]]) for k, v in first.items()}
    order = np.argsort(joined["indicator_id"], kind="stable")
    return {k: v[order] for k, v in joined.items()}


def _progress_query(
    dialect: str, where: str, largest_indicator: int
) -> tuple[tuple[list[str], str], list[list[int]]]:
    """((columns, tail) of the current progress rows for _numbers, the layout of their packed
    words): the indicator, the report's quarter, whether it is to date, its status, the value."""
    truth = "TRUE" if dialect == "postgresql" else "1"
    status = f"CASE WHEN g.status IS NULL THEN 0 ELSE coalesce({_code('g.status', PROGRESS_STATUSES)}, 4) END"
    # The indicator, and the report's quarter, whether it is to date and the status, as one
    # number (_packed).
    words, layout = _packed(
        [
            ("g.indicator_id", largest_indicator),
            (f"r.quarter + 8 * (CASE WHEN r.to_date THEN 1 ELSE 0 END) + 16 * ({status})", 127),
        ]
    )
    columns = [
        *words,
        f"CASE WHEN g.value_date IS NOT NULL THEN {_day_number(dialect, 'g.value_date')}"
        " ELSE g.value_num END",
    ]
    tail = (
        "FROM progress g JOIN progress_reports r ON r.id = g.report_id"
        f" JOIN plans p ON p.id = r.plan_id WHERE {where} AND r.is_current = {truth}"
    )
    return (columns, tail), layout


def _progress(columns: np.ndarray, layout: list[list[int]], ids: np.ndarray) -> dict:
    """Current achievements per quarter (a1..a4) with their reports' statuses (s1..s4), and
    the latest report to date (todate_q, todate_a, todate_s: scoring/corrections.py), from
    _progress_query's rows (`columns`: _numbers') for the indicators `ids`."""
    words = len(layout)
    indicator, report = _unpacked(columns[:words], layout)
    return _progress_columns(
        ids, indicator, report % 8, report // 8 % 2 == 1, report // 16, columns[words]
    )


def _progress_columns(
    ids: np.ndarray,
    indicator: np.ndarray,
    quarter: np.ndarray,
    to_date: np.ndarray,
    state: np.ndarray,
    value: np.ndarray,
) -> dict:
    """_progress' columns from the current progress rows of the indicators `ids` (ordered):
    each row's indicator, its report's quarter and whether it is to date, its status as a
    position in PROGRESS_STATUSES, and its value (a date as a day number; NaN: none)."""
    n = len(ids)
    achieved = np.full((4, n), np.nan)
    reports = np.full((4, n), -1, dtype=np.int8)  # positions in PROGRESS_STATUSES; -1: none
    todate = {"todate_q": np.full(n, np.nan), "todate_a": np.full(n, np.nan)}
    todate["todate_s"] = np.full(n, None, dtype=object)
    if n and len(indicator):
        row = np.searchsorted(ids, indicator)
        status = np.array(PROGRESS_STATUSES, dtype=object)[state]
        for q in QUARTERS:
            here = ~to_date & (quarter == q)
            achieved[q - 1, row[here]] = value[here]
            reports[q - 1, row[here]] = state[here]
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
        # As codes (categories in scoring_input): the kernel compares a few codes rather
        # than a million texts.
        **{s: reports[n_] for n_, s in enumerate(REPORTS)},
        **todate,
    }


def _latest_quarters(connection: Connection, year_ids: list[int] | None = None) -> dict[int, int]:
    """{fiscal_year_id: the latest quarter any office has a current report for}, of every
    fiscal year or of `year_ids`: one index lookup per year (ix_progress_reports_latest,
    migration 0012), not a scan of every report as a GROUP BY would be."""
    if year_ids is not None and not year_ids:
        return {}
    truth = "TRUE" if connection.dialect.name == "postgresql" else "1"
    among = "" if year_ids is None else f" WHERE id IN ({', '.join(str(int(y)) for y in year_ids)})"
    return {
        int(fy): int(q)
        for fy, q in driver_sql(
            connection,
            "SELECT id, (SELECT max(quarter) FROM progress_reports"
            f" WHERE fiscal_year_id = fiscal_years.id AND is_current = {truth})"
            f" FROM fiscal_years{among}",
        )
        if q is not None
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
        quarters = []
        for quarter in range(1, last + 1):
            scored = pd.concat([keys, score_rows(subset, rule_set, start, quarter)], axis=1)
            scored["quarter"] = quarter
            quarters.append(scored)
            totals = plan_totals(
                scored[own], by=["plan_id", "office_id", "fiscal_year_id", "plan_type"]
            )
            totals["quarter"] = quarter
            plan_parts.append(totals)
        indicator_parts.append(_by_indicator_and_quarter(quarters))
    if not indicator_parts:  # nothing reported yet: no rows, with the columns rows would have
        empty = pd.DataFrame(columns=[*INDICATOR_COLUMNS, "weight"])
        return empty, pd.DataFrame(columns=PLAN_COLUMNS)
    scored = indicator_parts[0]
    if len(indicator_parts) > 1:  # indicator ids are unique: the sort's order is the only one
        scored = pd.concat(indicator_parts, ignore_index=True)
        scored = scored.sort_values(["indicator_id", "quarter"], kind="stable", ignore_index=True)
    plans = pd.concat(plan_parts, ignore_index=True)
    plans = plans.sort_values(["plan_id", "quarter"], kind="stable", ignore_index=True)
    return scored, plans


def _by_indicator_and_quarter(quarters: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows of one fiscal year's quarters (the same indicators, in the same order) ordered
    by (indicator, quarter). When the indicator ids ascend, as scoring_input gives them, that
    is row i of each quarter in turn: every column written once, in strides, into one array
    per dtype (pandas' concatenation and then sorting took ten times as long)."""
    first = quarters[0]
    ids = first["indicator_id"].to_numpy()
    if (
        len(quarters) == 1
        or not (np.diff(ids) > 0).all()
        or not all(isinstance(dtype, np.dtype) for dtype in first.dtypes)
        or any(not q.dtypes.equals(first.dtypes) for q in quarters)
    ):
        scored = pd.concat(quarters, ignore_index=True)
        return scored.sort_values(["indicator_id", "quarter"], kind="stable", ignore_index=True)
    step = len(quarters)
    by_dtype: dict[np.dtype, list[str]] = {}
    for column, dtype in first.dtypes.items():
        by_dtype.setdefault(dtype, []).append(column)
    frames = []
    for dtype, columns in by_dtype.items():
        block = np.empty((len(columns), len(ids) * step), dtype=dtype)
        for row, column in enumerate(columns):
            for at, quarter in enumerate(quarters):
                block[row, at::step] = quarter[column].to_numpy()
        # one block per dtype, not copied again; object columns stay object (not text dtype)
        frames.append(pd.DataFrame(block.T, columns=columns, dtype=dtype, copy=False))
    return pd.concat(frames, axis=1)[list(first.columns)]


def _composite_key(frame: dict, keys: list[str], sizes: list[int]) -> np.ndarray:
    key = np.zeros(len(frame[keys[0]]), dtype=np.int64)
    for name, size in zip(keys, sizes, strict=True):
        key = key * size + np.asarray(frame[name], dtype=np.int64)
    return key


def _text_values(series: pd.Series) -> list[str]:
    """The distinct text values of a column, missing ones left out."""
    return sorted({value for value in series.dropna().unique() if isinstance(value, str)})


def _stored(connection: Connection, table, columns: list[str], texts: dict, where: str = ""):
    """The stored rows' `columns` as float arrays by name: text as its position among
    `texts[column]` (-1 for any other value, NaN for NULL)."""
    selected = [
        f"CASE WHEN {c} IS NULL THEN NULL ELSE coalesce({_code(c, texts[c])}, -1) END"
        if c in texts
        else c
        for c in columns
    ]
    tail = f"FROM {table.__tablename__} {where}"
    # The integer columns without NULLs (ids, quarters, counts) as few numbers (_packed),
    # sized by their range, read first in one pass of their own (no Python object per value).
    whole = [
        c
        for c in columns
        if isinstance(table.__table__.columns[c].type, Integer)
        and not table.__table__.columns[c].nullable
    ]
    ranges = driver_sql(
        connection, f"SELECT {', '.join(f'min({c}), max({c})' for c in whole)} {tail}"
    )[0]
    if len(whole) < 2 or ranges[0] is None or min(ranges[::2]) < 0:
        stored = _numbers(connection, selected, tail)
        return dict(zip(columns, stored, strict=True))
    words, layout = _packed([(c, most) for c, most in zip(whole, ranges[1::2], strict=True)])
    rest = [(c, sql) for c, sql in zip(columns, selected, strict=True) if c not in whole]
    stored = _numbers(connection, [*words, *(sql for _c, sql in rest)], tail)
    unpacked = _unpacked(stored[: len(words)], layout)
    return {
        **{c: v.astype(float) for c, v in zip(whole, unpacked, strict=True)},
        **{c: v for (c, _sql), v in zip(rest, stored[len(words) :], strict=True)},
    }


def _differences(old: dict, frame: pd.DataFrame, keys: list[str], columns, texts: dict):
    """(stored rows to delete: changed or gone, new rows to insert: changed or new), as masks."""
    if not len(old[keys[0]]) or frame.empty:
        return np.ones(len(old[keys[0]]), dtype=bool), np.ones(len(frame), dtype=bool)
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
    gone[old_at[same]] = False
    fresh = np.ones(len(new_key), dtype=bool)
    fresh[new_at[same]] = False
    return gone, fresh


def _apply(connection: Connection, table, keys, columns, old, gone, frame, fresh) -> int:
    """Delete the `gone` stored rows (by key), insert the `fresh` new ones."""
    if gone.any():
        marker = "%s" if connection.dialect.name == "postgresql" else "?"
        where = " AND ".join(f"{k} = {marker}" for k in keys)
        doomed = list(zip(*(old[k][gone].astype(np.int64).tolist() for k in keys), strict=True))
        connection.exec_driver_sql(f"DELETE FROM {table.__tablename__} WHERE {where}", doomed)
    if fresh.any():
        _write(connection, table, columns, frame[fresh])
    return int(fresh.sum())


def _sync(connection: Connection, table, keys: list[str], columns, frame: pd.DataFrame) -> int:
    """Make the table hold exactly `frame`'s rows (`columns`, unique on `keys`), writing only
    the rows that differ from the stored ones (all of them in bulk when most differ).
    Returns the number of rows written."""
    columns = list(columns)
    texts = {c: _text_values(frame[c]) for c in _text_columns(table, columns)}
    old = _stored(connection, table, columns, texts)
    gone, fresh = _differences(old, frame, keys, columns, texts)
    if fresh.sum() + gone.sum() > REWRITE_SHARE * len(frame):
        _rewrite(connection, table, columns, frame)
        return len(frame)
    return _apply(connection, table, keys, columns, old, gone, frame, fresh)


def _text_columns(table, columns) -> list[str]:
    return [c for c in columns if isinstance(table.__table__.columns[c].type, String)]


# Indicator scores: a million rows, so a full rebuild does not read them all back. Each
# plan's rows have a digest (score_digests, written with the rows); the plans whose new
# digest or row count differs from the stored ones are compared row by row, the others are
# left as they are. The row count (from the table itself, through its plan index) catches
# rows deleted behind the digests' back; rows are written by this module only.

DIGEST_SEED = np.uint64(0x9E3779B97F4A7C15)


def _mix(words: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the result depends on every bit of the input."""
    words = (words ^ (words >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    words = (words ^ (words >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return words ^ (words >> np.uint64(31))


def _text_word(value) -> int:
    """A text value as 64 bits (its BLAKE2b digest); None and NaN as one word of their own."""
    if not isinstance(value, str):
        return 0
    return _word_of_text(value)


@lru_cache(maxsize=4096)
def _word_of_text(value: str) -> int:
    # Kept: the text columns hold a few values (plan types, statuses, rules).
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "little")


SMALL = 10_000  # rows below which plain Python beats pandas' fixed costs (an import's rescoring)


def _plan_digests(frame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plan ids, their row counts, their digests as int64) of indicator score rows (a
    DataFrame, or columns as numpy arrays by name): each row
    hashed over INDICATOR_COLUMNS (numbers by their float64 bits, NULL as NaN), the rows of a
    plan summed modulo 2^64."""
    size = len(frame["plan_id"])
    if not size:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    texts = set(_text_columns(IndicatorScore, INDICATOR_COLUMNS))
    row = np.full(size, DIGEST_SEED, dtype=np.uint64)
    for column in INDICATOR_COLUMNS:
        if column in texts:
            if size < SMALL:
                words = np.fromiter(map(_text_word, frame[column]), np.uint64, size)
            else:
                codes, values = pd.factorize(np.asarray(frame[column], dtype=object))
                words = np.array([*map(_text_word, values), 0], dtype=np.uint64)[codes]
        else:
            numbers = np.asarray(frame[column], dtype=float)
            words = np.where(np.isnan(numbers), np.nan, numbers).view(np.uint64)
        row = _mix(row ^ words)
    plan = np.asarray(frame["plan_id"], dtype=np.int64)
    order = np.argsort(plan, kind="stable")
    plan_ids, starts, counts = np.unique(plan[order], return_index=True, return_counts=True)
    digests = np.add.reduceat(row[order], starts).view(np.int64)
    return plan_ids, counts.astype(np.int64), digests


def _pairs_found(keys: np.ndarray, values: np.ndarray, rows: list[tuple]) -> np.ndarray:
    """For each (key, value), whether `rows` holds that pair (keys unique in both)."""
    if not rows or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    stored = np.array(rows, dtype=np.int64)
    stored = stored[np.argsort(stored[:, 0])]
    at = np.minimum(np.searchsorted(stored[:, 0], keys), len(stored) - 1)
    return (stored[at, 0] == keys) & (stored[at, 1] == values)


def _write_digests(connection: Connection, plan_ids, digests) -> None:
    _write(connection, ScoreDigest, ["plan_id", "digest"], {"plan_id": plan_ids, "digest": digests})


def _forget_digests(connection: Connection, plan_ids) -> None:
    plan_ids = sorted(int(i) for i in plan_ids)
    for start in range(0, len(plan_ids), 10_000):
        chunk = ", ".join(map(str, plan_ids[start : start + 10_000]))
        connection.exec_driver_sql(f"DELETE FROM score_digests WHERE plan_id IN ({chunk})")


def _sync_indicator_scores(connection: Connection, frame: pd.DataFrame) -> int:
    """_sync for indicator scores, comparing row by row only the plans whose digest or row
    count changed. Returns the number of rows written."""
    keys, columns = ["indicator_id", "quarter"], list(INDICATOR_COLUMNS)
    plan_ids, counts, digests = _plan_digests(frame)
    stored_counts = driver_sql(
        connection, "SELECT plan_id, count(*) FROM indicator_scores GROUP BY plan_id"
    )
    same = _pairs_found(plan_ids, counts, stored_counts) & _pairs_found(
        plan_ids, digests, driver_sql(connection, "SELECT plan_id, digest FROM score_digests")
    )
    stored_plans = np.array([p for p, _n in stored_counts], dtype=np.int64)
    changed = np.union1d(plan_ids[~same], np.setdiff1d(stored_plans, plan_ids))
    if not len(changed):
        return 0
    texts = {c: _text_values(frame[c]) for c in _text_columns(IndicatorScore, columns)}
    if 2 * len(changed) > len(stored_plans):  # most plans: one plain read of the table
        old = _stored(connection, IndicatorScore, columns, texts)
        kept = np.isin(old["plan_id"], changed)
        old = {c: v[kept] for c, v in old.items()}
    else:
        ids = ", ".join(map(str, changed.tolist()))
        old = _stored(connection, IndicatorScore, columns, texts, f"WHERE plan_id IN ({ids})")
    candidates = frame[np.isin(frame["plan_id"].to_numpy(), changed)]
    gone, fresh = _differences(old, candidates, keys, columns, texts)
    if fresh.sum() + gone.sum() > REWRITE_SHARE * len(frame):
        _rewrite(connection, IndicatorScore, columns, frame)
        connection.exec_driver_sql("DELETE FROM score_digests")
        _write_digests(connection, plan_ids, digests)
        return len(frame)
    written = _apply(connection, IndicatorScore, keys, columns, old, gone, candidates, fresh)
    _forget_digests(connection, changed)
    renewed = np.isin(plan_ids, changed)
    _write_digests(connection, plan_ids[renewed], digests[renewed])
    return written


# Emptying a table and loading it in bulk: SQLite in the rebuild's transaction (readers in
# WAL mode see the old rows until it commits), with the secondary indexes dropped and made
# again once. PostgreSQL checks foreign keys and updates indexes row by row as rows arrive
# (a million rows: minutes), and TRUNCATE or dropping them would lock readers out for the
# whole load, so the rows go into a new table built aside (indexes and constraints made
# once, at the end) which then replaces the old one in one short step.


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
    """Make the table hold exactly `frame`'s rows, loaded in bulk."""
    name = table.__tablename__
    if connection.dialect.name == "postgresql":
        _build_aside_and_swap(connection, table, columns, frame)
        return
    indexes = _secondary_indexes(connection, name)
    statistics = _index_statistics(connection, [index for index, _sql in indexes])
    for index, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{index}"')
    connection.exec_driver_sql(f"DELETE FROM {name}")
    _write(connection, table, columns, frame)
    for _index, sql in indexes:
        connection.exec_driver_sql(sql)
    if statistics:
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", statistics
        )
        connection.exec_driver_sql("ANALYZE sqlite_master")  # the planner rereads them


def _index_statistics(connection: Connection, indexes: list[str]) -> list[tuple]:
    """The planner's statistics of SQLite indexes (their sqlite_stat1 rows, which ANALYZE
    wrote: data.db.analyze). DROP INDEX deletes an index's rows and CREATE INDEX makes none,
    so _rewrite puts them back: without them the planner read an office's scores through the
    lagging index (a whole quarter of the country) instead of the office's index."""
    if (
        not indexes
        or not connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first()
    ):
        return []
    marks = ", ".join("?" * len(indexes))
    return [
        tuple(row)
        for row in connection.exec_driver_sql(
            f"SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN ({marks})", tuple(indexes)
        )
    ]


# The index whose order a table built aside is loaded in (PostgreSQL). A b-tree build sorts
# its entries, and PostgreSQL's sort first checks whether they already are in order; rows
# loaded in the order of the costliest index (many columns, a text column among the first,
# long runs of equal leading keys) make its build and that of every index that is a prefix
# of it a pass over the rows instead of a sort: for indicator scores, the lagging index, which
# with ix_indicator_scores_fyq (its prefix, dropped since: migration 0013) took two thirds of
# the index builds' time. It is also the order the pages read them in (a fiscal year's
# quarter; by status for the lagging lists).
# Any order gives the same table: only the builds' time depends on it.
_LOAD_ORDER = {IndicatorScore.__tablename__: "ix_indicator_scores_lagging"}
BUILD_MEMORY = "256MB"  # maintenance_work_mem while a table built aside gets its indexes


def _load_order(table, frame: pd.DataFrame) -> np.ndarray | None:
    """The rows of `frame` in the order of the table's _LOAD_ORDER index (as its b-tree sorts
    them: text by its bytes, as the C collation does; NULL last), or None to keep theirs."""
    index_name = _LOAD_ORDER.get(table.__tablename__)
    if index_name is None or not len(frame):
        return None
    (index,) = (i for i in table.__table__.indexes if i.name == index_name)
    keys = []
    for column in index.columns:
        values = frame[column.name]
        if isinstance(column.type, String):
            codes, uniques = pd.factorize(values, sort=True)
            keys.append(np.where(codes < 0, len(uniques), codes))
        elif values.dtype.kind in "iu":
            keys.append(values.to_numpy())  # as they are: lexsort sorts integers faster
        else:
            keys.append(values.to_numpy(dtype=float, na_value=np.nan))  # NaN sorts last
    return np.lexsort(keys[::-1])


def _build_aside_and_swap(connection: Connection, table, columns, frame: pd.DataFrame) -> None:
    """PostgreSQL: load `frame` into a copy of the table made aside (COPY FREEZE, in the order
    of _LOAD_ORDER), give it the table's indexes, statistics and constraints (as the database
    has them: pg_indexes, pg_get_constraintdef) under temporary names, and its owner and
    privileges (_access_of), then drop the old table and give the new one its name and
    theirs. Only the last step locks readers out, and only until the rebuild commits, right
    after."""
    name = table.__tablename__
    aside = f"{name}_aside"
    run = connection.exec_driver_sql
    names = {"table": name}
    constraints = run(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %(table)s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC",
        names,
    ).all()
    indexes = run(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %(table)s"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint"
        " WHERE conrelid = %(table)s::regclass)",
        names,
    ).all()
    ordered = _LOAD_ORDER.get(name)  # built first, without parallel workers (below)
    indexes.sort(key=lambda row: row[0] != ordered)
    at = _load_order(table, frame)
    run(f"DROP TABLE IF EXISTS {aside}")
    run(f"CREATE TABLE {aside} (LIKE {name} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    _write(connection, table, columns, frame, into=aside, at=at, freeze=True)
    # More memory for the index builds (and the foreign keys' checks, which use it) until the
    # table is built: a build's sort stays in memory and it gets two parallel workers, not
    # one (each needs 32 MB of it); a setting already higher is left as it is.
    settings = run(
        "SELECT current_setting('maintenance_work_mem'),"
        " current_setting('max_parallel_maintenance_workers')"
    ).one()
    run(
        "SELECT set_config('maintenance_work_mem', %(more)s, true)"
        " WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes(%(more)s)",
        {"more": BUILD_MEMORY},
    )
    # The rows are in the order of the `ordered` index: a build alone reads them in that
    # order and its sort finds them sorted (one pass), where parallel workers would each get
    # pages from all over the table, and sort them, and the leader merge their runs.
    workers = "SELECT set_config('max_parallel_maintenance_workers', %(workers)s, true)"
    renames = []
    for n, (index, definition) in enumerate(indexes):
        run(workers, {"workers": "0" if index == ordered else settings[1]})
        using = definition[definition.index(" USING ") :]
        unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
        run(f"CREATE {unique}INDEX {aside}_i{n} ON {aside}{using}")
        renames.append(f'ALTER INDEX {aside}_i{n} RENAME TO "{index}"')
    run(workers, {"workers": settings[1]})
    # The planner's statistics, as autovacuum would gather them later; gathered before the
    # foreign keys are checked, they let each check's query (an anti-join of the table's
    # rows with the referenced table's) run in parallel, where the estimate of a table never
    # analysed kept it on one core.
    run(f"ANALYZE {aside}")
    for n, (constraint, definition) in enumerate(constraints):
        run(f"ALTER TABLE {aside} ADD CONSTRAINT {aside}_c{n} {definition}")
        renames.append(f'ALTER TABLE {name} RENAME CONSTRAINT {aside}_c{n} TO "{constraint}"')
    run("SELECT set_config('maintenance_work_mem', %(memory)s, true)", {"memory": settings[0]})
    for statement in _access_of(connection, name, aside):
        run(statement)
    run(f"DROP TABLE {name}")
    run(f"ALTER TABLE {aside} RENAME TO {name}")
    for statement in renames:
        run(statement)


def _access_of(connection: Connection, name: str, aside: str) -> list[str]:
    """The statements that give table `aside` the owner and privileges of table `name`.
    A table made by CREATE TABLE belongs to the role that makes it and grants nothing to
    anyone: a rebuild run by another role than the owner (a superuser, say) would leave a
    table the migrations could no longer alter, and one that grants to the app's own roles
    (a dashboard connecting with SELECT only) would lock them out of every score."""
    run = connection.exec_driver_sql
    owner, owned = run(
        "SELECT quote_ident(pg_get_userbyid(relowner)), pg_get_userbyid(relowner) = current_user"
        " FROM pg_class WHERE oid = %(table)s::regclass",
        {"table": name},
    ).one()
    grants = run(
        "SELECT a.privilege_type, CASE a.grantee WHEN 0 THEN 'PUBLIC'"
        " ELSE quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable"
        " FROM pg_class c, aclexplode(c.relacl) a"
        " WHERE c.oid = %(table)s::regclass AND a.grantee <> c.relowner"
        " ORDER BY 2, 1",
        {"table": name},
    ).all()
    statements = [] if owned else [f"ALTER TABLE {aside} OWNER TO {owner}"]
    return statements + [
        f"GRANT {privilege} ON {aside} TO {grantee}" + (" WITH GRANT OPTION" if grantable else "")
        for privilege, grantee, grantable in grants
    ]


def _governance(frame: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """The APA's governance rows among `scored` (from the scoring input `frame`), as
    _office_scores reads them: the marks obtained and projected of the plan type they carry."""
    carried = frame.loc[
        frame["governance_plan_type"].notna(), ["indicator_id", "governance_plan_type"]
    ]
    rows = scored[np.isin(scored["indicator_id"].to_numpy(), carried["indicator_id"].to_numpy())]
    rows = rows.merge(carried, on="indicator_id", how="left")
    weight = rows["weight"].to_numpy(dtype=float, na_value=np.nan)
    projected = rows["projected_score"].to_numpy(dtype=float, na_value=np.nan)
    return pd.DataFrame(
        {
            "office_id": rows["office_id"].to_numpy(),
            "fiscal_year_id": rows["fiscal_year_id"].to_numpy(),
            "quarter": rows["quarter"].to_numpy(),
            "plan_type": rows["governance_plan_type"].to_numpy(dtype=object),
            "weight": weight,
            "marks": rows["weighted_score"].to_numpy(dtype=float, na_value=np.nan),
            "projected_marks": weight * projected / 100.0,
        }
    )


def _risk(scored: pd.DataFrame) -> pd.DataFrame:
    """Score at risk per office, fiscal year and quarter, as SQL's sum() gives it from the
    rows as written: added one by one in the rows' order (np.add.at, not numpy's pairwise
    sum), NULLs left out, NULL where all are."""
    keys = ["office_id", "fiscal_year_id", "quarter"]
    grouped = scored.groupby(keys, sort=True)
    group = grouped.ngroup().to_numpy()
    values = scored["score_at_risk"].to_numpy(dtype=float, na_value=np.nan)
    present = ~np.isnan(values)
    total = np.zeros(grouped.ngroups)
    np.add.at(total, group[present], values[present])
    total[np.bincount(group[present], minlength=grouped.ngroups) == 0] = np.nan
    out = grouped.size().reset_index()[keys]
    out["score_at_risk"] = total
    return out


@contextmanager
def _reader(connection: Connection) -> Iterator[Connection | None]:
    """PostgreSQL: a second connection, in a read-only transaction in the rebuild's snapshot
    (exported), for the full rebuild's read of the progress rows in a thread beside its own
    read of the indicators: the server runs the two queries at once, one core each, where one
    connection's run one after the other (a query's aggregate runs on one core). Only while
    the rebuild's transaction has written nothing (another connection cannot see a
    transaction's own changes). None on SQLite: its driver builds every row read in Python,
    under Python's lock, so two threads reading took more time than one (measured: the
    national read 4.2 s alone, 5.9 s in two threads)."""
    if connection.dialect.name != "postgresql":
        yield None
        return
    # No transaction id yet: nothing written.
    snapshot = connection.exec_driver_sql(
        "SELECT pg_export_snapshot() WHERE pg_current_xact_id_if_assigned() IS NULL"
    ).scalar()
    if snapshot is None:
        yield None
        return
    with connection.engine.connect().execution_options(isolation_level="REPEATABLE READ") as reader:
        reader.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        reader.exec_driver_sql("SET TRANSACTION READ ONLY")
        yield reader


def _rebuild_all(connection: Connection, rules: dict, progress) -> dict:
    """The full rebuild: read, score, write what changed (see above)."""
    _hold_off_writers(connection)
    # The reader's transaction ends with the read: its share locks (on plans, among the tables
    # it read) would keep the swap of a table built aside (which drops the old table's foreign
    # keys, so locks the tables they reference) waiting for ever.
    with _reader(connection) as reader:
        frame = scoring_input(connection, reader=reader)
    if progress:
        progress(0.3)
    scored, plans = _score_all(frame, _latest_quarters(connection), rules)
    if progress:
        progress(0.6)
    written = _sync_indicator_scores(connection, scored)
    written += _sync(connection, PlanScore, ["plan_id", "quarter"], PLAN_COLUMNS, plans)
    offices = _office_scores(
        connection, None, rules, (plans, _governance(frame, scored), _risk(scored))
    )
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
    written: dict | None = None,
) -> dict:
    """Recompute stored scores for all current plans, or for `plan_ids` and their offices.
    `written` (with `plan_ids`, in the caller's transaction): {plan id: (plan row, indicator
    rows, progress rows)} of plans the caller has just written, as written_columns takes
    them, scored from those rows instead of read back."""
    if isinstance(target, Engine) and plan_ids is None:
        # Foreign-key checks off: four lookups for each of a million rows, and every key a
        # full rebuild writes was read in the same transaction, under the write lock.
        with bulk_connection(target, durable=True) as connection:
            return _rebuild(connection, plan_ids, progress)
    if isinstance(target, Engine):
        with target.begin() as connection:
            return _rebuild(connection, plan_ids, progress, written)
    return _rebuild(target, plan_ids, progress, written)


def _rebuild(connection: Connection, plan_ids, progress, written=None) -> dict:
    started = time.perf_counter()
    rules = rules_by_year_id(connection)  # load_rules, kept while the rule tables are the same
    if plan_ids is None:
        counts = _rebuild_all(connection, rules, progress)
        bump_data_version(connection)
        counts["seconds"] = round(time.perf_counter() - started, 2)
        return counts
    counts = _rescore_offices(connection, sorted(set(plan_ids)), rules, written)
    if progress:
        progress(1.0)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


# ------------------------------------------------------------------ an import's rescoring
#
# An import rescores the offices it touched: every plan of theirs in the fiscal years it
# touched, for every quarter up to the year's latest reported one, and their composites. A
# few hundred rows at most, so the cost is in fixed costs per call: the scores of all quarters
# come from one kernel call (scoring.stacked), the totals and composites from plain Python
# (scoring.totals' small-input functions, equal to the full rebuild's to the last bit), and
# nothing written is read back.


def _rescore_offices(
    connection: Connection, plan_ids: list[int], rules: dict, written: dict | None = None
) -> dict:
    # Every plan of the affected offices and years, current or not: superseded plans lose
    # their scores, current ones are rescored. Plain SQL through the driver: building these
    # statements in SQLAlchemy (an aliased table among them) cost more than running them.
    given = ", ".join(str(int(i)) for i in plan_ids) or "NULL"
    affected = driver_sql(
        connection,
        "SELECT id, office_id, fiscal_year_id, is_current FROM plans"
        f" WHERE office_id IN (SELECT office_id FROM plans WHERE id IN ({given}))"
        f" AND fiscal_year_id IN (SELECT fiscal_year_id FROM plans WHERE id IN ({given}))",
    )
    counts = {"indicator_scores": 0, "plan_scores": 0, "office_scores": 0}
    if not affected:
        return counts
    affected_ids = [plan for plan, _office, _year, _current in affected]
    office_ids = sorted({office for _plan, office, _year, _current in affected})
    year_ids = sorted({year for _plan, _office, year, _current in affected})
    plans_in = ", ".join(map(str, sorted(affected_ids)))
    driver_sql(
        connection,
        f"DELETE FROM indicator_scores WHERE plan_id IN ({plans_in})",
        f"DELETE FROM plan_scores WHERE plan_id IN ({plans_in})",
        f"DELETE FROM office_scores WHERE office_id IN ({', '.join(map(str, office_ids))})"
        f" AND fiscal_year_id IN ({', '.join(map(str, year_ids))})",
        f"DELETE FROM score_digests WHERE plan_id IN ({plans_in})",
    )
    # The current plans the caller has just written come from its rows (`written`: the
    # arguments of written_columns by plan id), the others are read.
    current = sorted(plan for plan, _office, _year, is_current in affected if is_current)
    known = [plan for plan in current if written and plan in written]
    rest = [plan for plan in current if not (written and plan in written)]
    columns = scoring_columns(connection, rest) if rest or not known else None
    if known:
        plans, indicators, progress = [], [], []
        for plan in known:
            plan_row, plan_indicators, plan_progress = written[plan]
            plans.append(plan_row)
            indicators += plan_indicators
            progress += plan_progress
        indicators.sort(key=lambda row: row["id"])
        mine = written_columns(plans, indicators, progress)
        columns = mine if columns is None else _joined(mine, columns)
    scored, plans, offices = _score_offices(columns, _latest_quarters(connection, year_ids), rules)
    if scored is None:
        return counts
    _write(connection, IndicatorScore, INDICATOR_COLUMNS, scored)
    digest_plans, _rows, digests = _plan_digests(scored)
    _write_digests(connection, digest_plans, digests)
    _write(connection, PlanScore, PLAN_COLUMNS, plans)
    _write(connection, OfficeScore, OFFICE_COLUMNS, offices)
    counts["indicator_scores"] = len(scored["indicator_id"])
    counts["plan_scores"] = len(plans["plan_id"])
    counts["office_scores"] = len(offices["office_id"])
    return counts


# A report status's position in PROGRESS_STATUSES (scoring_columns) → in ACHIEVEMENT_STATUSES
# (the kernel's; -1: none or "other"), at [code + 1] (-1: no report).
_KERNEL_STATUS = np.array(
    [
        -1,
        *(
            ACHIEVEMENT_STATUSES.index(s) if s in ACHIEVEMENT_STATUSES else -1
            for s in PROGRESS_STATUSES
        ),
    ],
    dtype=np.int64,
)


def _kernel_columns(columns: dict[str, np.ndarray], last: int) -> dict[str, np.ndarray]:
    """scoring_columns' arrays as scoring.stacked.score_columns takes them (what
    frame_columns takes from scoring_input's frame)."""
    kernel = {name: columns[name] for name in (*TARGETS, *QUARTER_TARGETS)}
    for q in range(1, last + 1):
        kernel[f"a{q}"] = columns[f"a{q}"]
        kernel[f"s{q}"] = _KERNEL_STATUS[columns[f"s{q}"].astype(np.int64) + 1]
    for name in ("todate_q", "todate_a", "todate_s", "weight", "governance_plan_type", "defect"):
        kernel[name] = columns[name]
    kernel["unit"], kernel["method"] = columns["unit_kind"], columns["method"]
    return kernel


def _score_offices(columns: dict[str, np.ndarray], latest: dict[int, int], rules: dict):
    """(indicator score rows, plan score rows, office score rows), each as numpy columns by
    name, of a few offices' current plans (scoring_columns), as the full rebuild computes
    them (_score_all, _office_scores), or Nones when no quarter is reported."""
    parts = []
    fiscal_years = columns["fiscal_year_id"]
    for fiscal_year_id in np.unique(fiscal_years):
        last = latest.get(int(fiscal_year_id))
        if last is None:
            continue
        this_year = fiscal_years == fiscal_year_id
        subset = columns if this_year.all() else {k: v[this_year] for k, v in columns.items()}
        rule_set, start = rules[int(fiscal_year_id)]
        scored = score_columns(_kernel_columns(subset, last), rule_set, start, last)
        row = scored.pop("row")
        for column in ("indicator_id", "plan_id", "office_id", "fiscal_year_id", "weight"):
            scored[column] = subset[column][row]
        scored["plan_type"] = subset["plan_type"][row]
        scored["governance_plan_type"] = subset["governance_plan_type"][row]
        parts.append(scored)
    if not parts:
        return None, None, None
    scored = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    plans = _plan_rows(scored)
    offices = _office_rows(scored, plans, rules)
    scored.pop("governance_plan_type")
    return scored, plans, offices


def _plan_rows(scored: dict) -> dict:
    """plan_totals of the own rows per plan and quarter, ordered by plan and quarter."""
    own = pd.isna(scored["governance_plan_type"])
    plan = scored["plan_id"][own]
    quarter = scored["quarter"][own]
    key = plan.astype(np.int64) * 8 + quarter
    keys, groups = np.unique(key, return_inverse=True)
    totals = plan_totals_small(
        groups.ravel(),
        len(keys),
        *(
            scored[c][own].astype(float)
            for c in ("weight", "weighted_score", "projected_score", "raw_score")
        ),
        scored["status"][own],
    )
    first = np.zeros(len(keys), dtype=np.intp)
    first[groups.ravel()[::-1]] = np.arange(len(groups))[::-1]
    out = {
        "plan_id": plan[first],
        "quarter": quarter[first],
        "office_id": scored["office_id"][own][first],
        "fiscal_year_id": scored["fiscal_year_id"][own][first],
        "plan_type": scored["plan_type"][own][first],
    }
    out.update(totals)
    return out


def _office_rows(scored: dict, plans: dict, rules: dict) -> dict:
    """_office_scores' rows from the rows just scored (the full rebuild's order: plans by plan
    and quarter, governance rows and the score at risk by indicator and quarter)."""
    plan_keys = list(
        zip(
            plans["office_id"].tolist(),
            plans["fiscal_year_id"].tolist(),
            plans["quarter"].tolist(),
            strict=True,
        )
    )
    governs = np.flatnonzero(pd.notna(scored["governance_plan_type"]))
    weight = scored["weight"][governs].astype(float)
    governance = list(
        zip(
            zip(
                scored["office_id"][governs].tolist(),
                scored["fiscal_year_id"][governs].tolist(),
                scored["quarter"][governs].tolist(),
                strict=True,
            ),
            scored["governance_plan_type"][governs].tolist(),
            weight.tolist(),
            scored["weighted_score"][governs].tolist(),
            (weight * scored["projected_score"][governs] / 100.0).tolist(),
            strict=True,
        )
    )
    marks = {
        (year, plan_type): float(value)
        for year, (rule_set, _start) in rules.items()
        for plan_type, value in rule_set.marks.items()
    }
    composites = composite_small(
        list(
            zip(
                plan_keys,
                plans["plan_type"].tolist(),
                plans["percent"].tolist(),
                plans["projected_percent"].tolist(),
                strict=True,
            )
        ),
        governance,
        marks,
    )
    keys = list(composites)
    at = {key: n for n, key in enumerate(keys)}
    plan_group = [at[key] for key in plan_keys]
    size = len(keys)
    risk_group = [
        at.get(key, size)
        for key in zip(
            scored["office_id"].tolist(),
            scored["fiscal_year_id"].tolist(),
            scored["quarter"].tolist(),
            strict=True,
        )
    ]
    # As SQL's sum() gives it from the rows as written: one by one in the rows' order (_risk).
    risk, present = [0.0] * (size + 1), [False] * (size + 1)
    for group, value in zip(risk_group, scored["score_at_risk"].tolist(), strict=True):
        if value == value:
            risk[group] += value
            present[group] = True
    return {
        "office_id": np.array([k[0] for k in keys], dtype=np.int64),
        "fiscal_year_id": np.array([k[1] for k in keys], dtype=np.int64),
        "quarter": np.array([k[2] for k in keys], dtype=np.int64),
        "composite": np.array([composites[k][0] for k in keys], dtype=float),
        "projected_composite": np.array([composites[k][1] for k in keys], dtype=float),
        "plan_count": np.bincount(plan_group, minlength=size).astype(np.int64),
        "reported_plan_count": np.bincount(
            plan_group, weights=~np.isnan(plans["score"]), minlength=size
        ).astype(np.int64),
        "lagging_count": np.bincount(
            plan_group, weights=plans["lagging_count"], minlength=size
        ).astype(np.int64),
        "score_at_risk": np.array(
            [r if p else np.nan for r, p in zip(risk[:size], present[:size], strict=True)]
        ),
    }
