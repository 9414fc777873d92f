"""The steps around the indicator kernel (scoring/indicators.py) that the kernel does not know:
reports that give achievements to date, indicators that need correction, and the APA's
governance rows, which score marks obtained. Pure functions over the same frames.

    frame ──use_reports_to_date──▶ score_indicators ──governance_marks──▶ needs_correction

`score_rows` runs them in that order; data/scores.py, data/explain.py and the dry run
(loaders/pipeline.py) all score through it, so a stored score, its explanation and the check
agree. Optional input columns, besides the kernel's:

    defect               the issue code that makes the indicator "needs correction", or None
    governance_plan_type the action plan whose marks an APA governance row carries, or None
    todate_q todate_a todate_s   the latest report to date: its quarter (NaN: none), value
                         and status, e.g. the annual evaluation's whole-year figure at Q4
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.terms import NEEDS_CORRECTION, QUARTERS
from scoring.indicators import score_indicators
from scoring.rules import Rules

UNREADABLE = "unreadable"  # a progress status: the achievement could not be read


def _column(frame: pd.DataFrame, name: str, default=None) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(default, index=frame.index, dtype=object if default is None else float)


def use_reports_to_date(frame: pd.DataFrame, quarter: int) -> pd.DataFrame:
    """The kernel's quarterly inputs where a report gives the achievement to date.

    A report to date at quarter t (≤ `quarter`) replaces the quarters up to t: a1..at are
    cleared and at holds the figure to date, so every calculation method (sum, cumulative,
    average, date) gets it back as the achievement to date at t; later quarters add to it as
    usual. Rows without such a report are returned as they are.
    """
    if "todate_q" not in frame:
        return frame
    at = pd.to_numeric(frame["todate_q"], errors="coerce").to_numpy(dtype=float)
    applies = ~np.isnan(at) & (at <= quarter)
    if not applies.any():
        return frame
    frame = frame.copy()
    for q in QUARTERS:
        clear = applies & (at >= q)
        frame.loc[clear, f"a{q}"] = np.nan
        frame.loc[clear, f"s{q}"] = None
        here = applies & (at == q)
        frame.loc[here, f"a{q}"] = pd.to_numeric(frame.loc[here, "todate_a"], errors="coerce")
        frame.loc[here, f"s{q}"] = frame.loc[here, "todate_s"].fillna("reported")
    return frame


def governance_marks(frame: pd.DataFrame, scored: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """An APA governance row (`[এম.১.১]`, unit প্রাপ্ত নম্বর) scores the marks obtained, capped
    at its weight (scoring.md section 2): weighted score = min(achieved, weight), raw score =
    that as a percent of the weight; the projection likewise."""
    governs = _column(frame, "governance_plan_type").notna().to_numpy()
    if not governs.any():
        return scored
    columns = {c: scored[c].to_numpy() for c in scored.columns}
    apply_governance_marks(columns, governs, frame["weight"].to_numpy(dtype=float), rules)
    scored = scored.copy()
    for column in ("raw_score", "weighted_score", "projected_score", "status"):
        scored[column] = columns[column]
    scored["score_at_risk"] = columns["score_at_risk"]
    scored["rule"] = columns["rule"]
    return scored


def apply_governance_marks(
    scored: dict[str, np.ndarray], governs: np.ndarray, weight: np.ndarray, rules: Rules
) -> None:
    """governance_marks on plain arrays (`scored`: the kernel's columns by name, replaced in
    the dict, never changed in place): the rows where `governs` score marks obtained."""
    achieved = scored["achieved"].astype(float, copy=False)
    projected = scored["projected"].astype(float, copy=False)
    status = scored["status"]
    with np.errstate(divide="ignore", invalid="ignore"):
        marks = np.clip(np.minimum(achieved, weight), 0.0, None)
        raw = np.where(weight > 0, marks / weight * 100.0, np.nan)
        projected_raw = np.clip(np.minimum(projected, weight), 0.0, None) / weight * 100.0
    projected_raw = np.where(np.isin(status, ["not_reported", "missed"]), 0.0, projected_raw)
    projected_raw = np.where(status == "not_yet_due", np.nan, projected_raw)
    judged = np.isin(status, ["on_track", "lagging"])
    new_status = np.where(
        judged,
        np.where(projected_raw < rules.lagging_threshold, "lagging", "on_track"),
        status,
    )
    at_risk = np.where(
        new_status == "not_yet_due", 0.0, weight * (100.0 - np.nan_to_num(projected_raw)) / 100.0
    )
    has_value = ~np.isnan(achieved)
    scored["raw_score"] = np.where(governs, raw, scored["raw_score"])
    scored["weighted_score"] = np.where(
        governs, np.where(has_value, marks, np.nan), scored["weighted_score"]
    )
    scored["projected_score"] = np.where(governs, projected_raw, scored["projected_score"])
    scored["status"] = np.where(governs, new_status, status).astype(object)
    scored["score_at_risk"] = np.where(governs, at_risk, scored["score_at_risk"])
    scored["rule"] = np.where(governs & has_value, "marks-obtained", scored["rule"]).astype(object)


def needs_correction(frame: pd.DataFrame, scored: pd.DataFrame, quarter: int) -> pd.DataFrame:
    """Indicators that cannot be scored until corrected (scoring.md section 5): a defect of the
    plan (an unreadable target or weight, a ladder out of order), or an achievement that could
    not be read in a quarter up to `quarter`. They count 0: no raw or weighted score, their
    weight still in the plan's total, their whole weight at risk."""
    # numpy rather than pandas operations: a check scores plans of a few rows, where each
    # pandas operation costs more than the rows.
    unreadable = np.zeros(len(frame), dtype=bool)
    for q in range(1, quarter + 1):
        unreadable |= _column(frame, f"s{q}").to_numpy(dtype=object) == UNREADABLE
    defect = _column(frame, "defect").to_numpy(dtype=object)
    rule = scored["rule"].to_numpy(dtype=object)
    if not needs_correction_mask(defect, rule, unreadable).any():
        return scored  # the usual case: no other column read
    columns = {c: scored[c].to_numpy() for c in CORRECTED}
    apply_needs_correction(columns, defect, unreadable, frame["weight"].to_numpy(dtype=float))
    scored = scored.copy()
    for column in CORRECTED:
        scored[column] = columns[column]
    return scored


def needs_correction_mask(defect: np.ndarray, rule: np.ndarray, unreadable: np.ndarray):
    """The rows that need correction: a defect (not empty), a ladder out of order, or an
    achievement that could not be read."""
    flagged = pd.notna(defect)
    flagged[flagged] = [str(value) != "" for value in defect[flagged]]
    return flagged | (rule == "ladder-not-monotonic") | unreadable


CORRECTED = ("raw_score", "weighted_score", "projected_score", "status", "score_at_risk", "rule")


def apply_needs_correction(
    scored: dict[str, np.ndarray], defect: np.ndarray, unreadable: np.ndarray, weight: np.ndarray
) -> bool:
    """needs_correction on plain arrays: `defect` (object, None for none), `unreadable` (an
    achievement up to the row's quarter could not be read). Replaces the CORRECTED columns in
    `scored` (never in place); False when no row needs correction (nothing replaced)."""
    mask = needs_correction_mask(defect, scored["rule"], unreadable)
    if not mask.any():
        return False
    has_defect = pd.notna(defect)
    reason = np.where(
        has_defect,
        defect,
        np.where(unreadable, "unreadable-achievement", "ladder-not-monotonic"),
    )
    for column in ("raw_score", "weighted_score", "projected_score"):
        scored[column] = np.where(mask, np.nan, scored[column])
    scored["status"] = np.where(mask, NEEDS_CORRECTION, scored["status"]).astype(object)
    scored["score_at_risk"] = np.where(mask, weight, scored["score_at_risk"])
    scored["rule"] = np.where(mask, reason, scored["rule"]).astype(object)
    return True


SMALL = 4096  # up to this many rows, score_rows works on plain arrays (scoring/stacked.py)


def score_rows(
    frame: pd.DataFrame,
    rules: Rules,
    fiscal_year_start: dt.date,
    quarter: int,
    year_end: bool = False,
) -> pd.DataFrame:
    """Scores of every row at the end of `quarter`: the kernel with the steps around it.

    A frame of a few rows (a check's plans) is scored on plain arrays (scoring.stacked), where
    each pandas step below costs more than the rows; the two give the same to the last bit
    (tests/test_scoring.py)."""
    if len(frame) <= SMALL:
        from scoring.stacked import score_frame  # stacked builds on this module's steps

        return score_frame(frame, rules, fiscal_year_start, quarter, year_end)
    return score_rows_by_frames(frame, rules, fiscal_year_start, quarter, year_end)


def score_rows_by_frames(
    frame: pd.DataFrame,
    rules: Rules,
    fiscal_year_start: dt.date,
    quarter: int,
    year_end: bool = False,
) -> pd.DataFrame:
    """score_rows step by step on frames (a full rebuild's hundreds of thousands of rows)."""
    inputs = use_reports_to_date(frame, quarter)
    scored = score_indicators(inputs, rules, fiscal_year_start, quarter, year_end)
    scored = governance_marks(inputs, scored, rules)
    return needs_correction(inputs, scored, quarter)


def is_own(frame: pd.DataFrame) -> pd.Series:
    """The rows that make up their plan's own score (not an APA's governance rows)."""
    return _column(frame, "governance_plan_type").isna()
