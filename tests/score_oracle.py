"""The stored scores as main's code computed them before the fast rebuild (issue 15): its
readers (SQLAlchemy queries, pandas merges and pivots) and its per-quarter scoring loop, kept
here as the oracle the rebuild's stored rows are compared with (tests/test_scoring_store.py).
Not used by the application."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from core.terms import TARGET_LEVELS
from data.models import Indicator, Plan, Progress, ProgressReport
from scoring import is_own, plan_totals, score_rows

UNIX_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()


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


def oracle_scores(connection: Connection, rules: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicator score rows, plan score rows) of every current plan, as main computed them."""
    plans = Plan.is_current.is_(True)
    # In indicator order, as SQLite returns them: PostgreSQL returns a join's rows in no fixed
    # order, and a plan's sums (plan_totals) depend on the order in their last bit.
    indicators = _indicator_frame(connection, plans).sort_values("indicator_id", ignore_index=True)
    return score_frames(
        indicators,
        _progress_frame(connection, plans),
        _reported_quarters(connection, plans),
        rules,
    )
