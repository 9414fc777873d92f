"""Indicator scores, vectorised over a DataFrame (../shared/docs/scoring.md sections 1, 3, 4).

Input columns, one row per indicator:
    unit_kind          number | percent | date
    weight             float (NaN when missing)
    method             sum | cumulative | average | date | None (default by unit, §3)
    t100 t90 t80 t70 t60   five targets; dates as day numbers (date.toordinal()); NaN = unset
    q1 q2 q3 q4        quarterly targets (NaN when none)
    a1 a2 a3 a4        achievement per quarter (dates as day numbers; NaN = no value)
    s1 s2 s3 s4        status of each quarter's report: "reported", "in_progress",
                       "not_achieved", or None/NaN = nothing reported

A text answer ("in_progress", "not_achieved") is a report without a value: for quantities it
adds 0 to a sum, for a date indicator it means "not done yet".

Output columns: achieved, expected, projected, raw_score, weighted_score, projected_score,
status, score_at_risk, direction, rule. Status "not_reported" is scoring.md's lagging case
"nothing is reported although something is expected"; lagging lists show both.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.terms import METHODS, REPORTED_STATUSES, TARGET_LEVELS
from scoring.rules import Rules

LEVEL_VALUES = np.array(TARGET_LEVELS, dtype=float)
TARGETS = ["t100", "t90", "t80", "t70", "t60"]
DEFAULT_METHOD = {"number": "sum", "percent": "average", "date": "date"}


def quarter_end(fiscal_year_start: dt.date, quarter: int) -> dt.date:
    """Q1 ends 30 September, Q2 31 December, Q3 31 March, Q4 30 June."""
    year = fiscal_year_start.year
    return {
        1: dt.date(year, 9, 30),
        2: dt.date(year, 12, 31),
        3: dt.date(year + 1, 3, 31),
        4: dt.date(year + 1, 6, 30),
    }[quarter]


def _ladder(targets: np.ndarray, is_date: np.ndarray):
    """Direction, monotonicity and the best/worst set levels of each row's ladder."""
    is_set = ~np.isnan(targets)
    n_set = is_set.sum(axis=1)
    rows = np.arange(len(targets))
    best_idx = np.where(n_set > 0, is_set.argmax(axis=1), 0)
    worst_idx = np.where(n_set > 0, 4 - is_set[:, ::-1].argmax(axis=1), 0)
    best = targets[rows, best_idx]
    worst = targets[rows, worst_idx]
    higher = np.where(is_date, False, np.where(n_set >= 2, best > worst, True))
    sign = np.where(higher, 1.0, -1.0)
    # Goodness: larger is better whichever the direction, so one interpolation serves both.
    good = targets * sign[:, None]
    monotonic = np.ones(len(targets), dtype=bool)
    previous = np.full(len(targets), np.inf)
    for level in range(5):
        value = good[:, level]
        present = is_set[:, level]
        monotonic &= ~present | (value < previous)
        previous = np.where(present, value, previous)
    return is_set, n_set, best, worst, higher, sign, good, monotonic


def raw_scores(
    achievement: np.ndarray,
    targets: np.ndarray,
    is_date: np.ndarray,
    between_levels: str = "interpolate",
) -> tuple[np.ndarray, np.ndarray]:
    """Raw score 0-100 of each achievement against its ladder, and the rule that applied."""
    is_set, n_set, best, _worst, _higher, sign, good, monotonic = _ladder(targets, is_date)
    g = achievement * sign
    score = np.full(len(achievement), np.nan)
    rule = np.full(len(achievement), "not-reported", dtype=object)
    has_value = ~np.isnan(achievement)

    # Single set level (§1.5): quantities pro rata, a date on or before it.
    single = has_value & (n_set == 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pro_rata = 100.0 * np.minimum(1.0, np.maximum(achievement, 0.0) / best)
    pro_rata = np.where(best > 0, pro_rata, np.where(achievement >= best, 100.0, 0.0))
    date_single = np.where(achievement <= best, 100.0, 0.0)
    score = np.where(single, np.where(is_date, date_single, pro_rata), score)
    rule = np.where(single, np.where(is_date, "single-date", "single-target-pro-rata"), rule)

    # Two or more set levels (§1.2-1.4).
    ladder = has_value & (n_set >= 2) & monotonic
    ladder_score = np.full(len(achievement), np.nan)
    ladder_rule = np.full(len(achievement), "", dtype=object)
    best_good = best * sign
    at_best = g >= best_good
    ladder_score = np.where(at_best, 100.0, ladder_score)
    ladder_rule = np.where(at_best, "at-or-beyond-best", ladder_rule)
    # Walk the set levels from best to worst; each consecutive pair is a segment.
    upper_good = np.where(is_set[:, 0], good[:, 0], np.nan)
    upper_level = np.where(is_set[:, 0], 100.0, np.nan)
    for i in range(1, 5):
        present = is_set[:, i]
        lower_good = good[:, i]
        in_segment = (
            present
            & ~np.isnan(upper_good)
            & np.isnan(ladder_score)
            & (g >= lower_good)
            & (g < upper_good)
        )
        lb, la = LEVEL_VALUES[i], upper_level
        with np.errstate(divide="ignore", invalid="ignore"):
            interpolated = lb + (la - lb) * (g - lower_good) / (upper_good - lower_good)
        value = interpolated if between_levels == "interpolate" else np.full_like(g, lb)
        ladder_score = np.where(in_segment, value, ladder_score)
        ladder_rule = np.where(in_segment, between_levels, ladder_rule)
        # The present level is the upper end of the next segment.
        upper_good = np.where(present, lower_good, upper_good)
        upper_level = np.where(present, lb, upper_level)
    below = np.isnan(ladder_score)
    ladder_score = np.where(below, 0.0, ladder_score)
    ladder_rule = np.where(below, "below-worst", ladder_rule)
    score = np.where(ladder, ladder_score, score)
    rule = np.where(ladder, ladder_rule, rule)

    not_monotonic = has_value & (n_set >= 2) & ~monotonic
    rule = np.where(not_monotonic, "ladder-not-monotonic", rule)
    rule = np.where(has_value & (n_set == 0), "no-targets", rule)
    return score, rule


def score_indicators(
    indicators: pd.DataFrame,
    rules: Rules,
    fiscal_year_start: dt.date,
    quarter: int,
    year_end: bool = False,
) -> pd.DataFrame:
    """Scores of every indicator at the end of `quarter` (1-4)."""
    frame = indicators
    n = len(frame)
    unit = frame["unit_kind"].to_numpy(dtype=object)
    is_date = unit == "date"
    given = frame["method"].astype(object)
    method = (
        given.where(given.isin(METHODS))
        .fillna(frame["unit_kind"].astype(object).map(DEFAULT_METHOD))
        .fillna("sum")
        .to_numpy(dtype=object)
    )
    method = np.where(is_date, "date", method)
    weight = frame["weight"].to_numpy(dtype=float)
    targets = frame[TARGETS].to_numpy(dtype=float)
    quarters = range(1, quarter + 1)
    values = np.column_stack([frame[f"a{q}"].to_numpy(dtype=float) for q in quarters])
    status = np.column_stack([frame[f"s{q}"].isin(REPORTED_STATUSES).to_numpy() for q in quarters])
    q_targets = np.column_stack([frame[f"q{q}"].to_numpy(dtype=float) for q in range(1, 5)])
    reported = status.any(axis=1)

    # §3 achievement to date.
    counted = np.where(status & np.isnan(values), 0.0, values)  # text answers add nothing
    with np.errstate(invalid="ignore"):
        total = np.where(reported, np.nansum(np.where(status, counted, 0.0), axis=1), np.nan)
        numeric = ~np.isnan(values)
        mean = np.where(
            numeric.any(axis=1),
            np.nansum(np.where(numeric, values, 0.0), axis=1) / np.maximum(numeric.sum(axis=1), 1),
            np.where(reported, 0.0, np.nan),
        )
        last_idx = np.where(
            numeric.any(axis=1), numeric.shape[1] - 1 - numeric[:, ::-1].argmax(axis=1), 0
        )
        latest = np.where(
            numeric.any(axis=1), values[np.arange(n), last_idx], np.where(reported, 0.0, np.nan)
        )
        done = np.where(
            numeric.any(axis=1), np.nanmin(np.where(numeric, values, np.inf), axis=1), np.nan
        )
    achieved = np.select(
        [method == "sum", method == "cumulative", method == "average", method == "date"],
        [total, latest, mean, done],
        default=total,
    )

    # Best (annual) target and the ladder.
    _is_set, n_set, best, worst, higher, _sign, _good, monotonic = _ladder(targets, is_date)
    has_q = ~np.isnan(q_targets).all(axis=1)
    q_sum = np.nansum(q_targets[:, :quarter], axis=1)
    q_nth = q_targets[:, quarter - 1]
    annual = np.where(n_set > 0, best, np.nansum(q_targets, axis=1))

    # §4 expected to date.
    end = quarter_end(fiscal_year_start, quarter).toordinal()
    expected = np.select(
        [
            is_date,
            has_q & (method == "sum"),
            has_q,
            method == "average",
        ],
        [
            np.where(best <= end, best, np.nan),
            q_sum,
            np.nan_to_num(q_nth, nan=0.0),
            annual,
        ],
        default=annual * quarter / 4.0,
    )

    # §4 projected year-end achievement.
    with np.errstate(divide="ignore", invalid="ignore"):
        full_year = np.where(has_q & (method == "sum"), np.nansum(q_targets, axis=1), annual)
        scaled = achieved * full_year / expected
    projected = np.select(
        [is_date, method == "average"],
        [np.where(np.isnan(achieved), end + 1.0, achieved), achieved],
        default=np.where(expected > 0, scaled, achieved),
    )

    raw, rule = raw_scores(achieved, targets, is_date, rules.between_levels)
    projected_score, _ = raw_scores(projected, targets, is_date, rules.between_levels)

    due = np.where(is_date, best <= end, expected > 0)
    missed = is_date & np.isnan(achieved) & (worst < end) & (n_set > 0)
    status_out = np.where(projected_score < rules.lagging_threshold, "lagging", "on_track")
    status_out = np.where(~reported & due, "not_reported", status_out)
    status_out = np.where(missed, "missed", status_out)
    not_yet = ~due & ~(is_date & ~np.isnan(achieved)) & ~missed
    status_out = np.where(not_yet, "not_yet_due", status_out)
    bad_ladder = (n_set >= 2) & ~monotonic
    status_out = np.where(bad_ladder | (n_set == 0), "not_scored", status_out)

    projected_score = np.where(missed, 0.0, projected_score)
    projected_score = np.where(status_out == "not_reported", 0.0, projected_score)
    projected_score = np.where(status_out == "not_yet_due", np.nan, projected_score)
    if year_end:
        raw = np.where(~reported & ~bad_ladder & (n_set > 0), 0.0, raw)
        rule = np.where(~reported & ~bad_ladder & (n_set > 0), "year-end-unreported-zero", rule)
    rule = np.where(bad_ladder, "ladder-not-monotonic", rule)
    rule = np.where(n_set == 0, "no-targets", rule)

    weighted = weight * raw / 100.0
    at_risk = np.where(
        status_out == "not_yet_due", 0.0, weight * (100.0 - np.nan_to_num(projected_score)) / 100.0
    )
    at_risk = np.where(np.isin(status_out, ["not_scored"]), np.nan, at_risk)
    return pd.DataFrame(
        {
            "achieved": achieved,
            "expected": expected,
            "projected": projected,
            "raw_score": raw,
            "weighted_score": weighted,
            "projected_score": projected_score,
            "status": status_out,
            "score_at_risk": at_risk,
            "direction": np.where(higher, "higher", "lower"),
            "rule": rule,
        },
        index=frame.index,
    )
