"""The same rules as scoring.indicators, written row by row in plain Python.

Slow on purpose and easy to read: the tests check the vectorised functions against it, and
bench/bench_scoring.py measures the vectorised speed-up against it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

from core.terms import QUARTERS, TARGET_LEVELS
from scoring.indicators import DEFAULT_METHOD, quarter_end


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def raw_score(a: float, targets: list[float], is_date: bool, between: str = "interpolate"):
    """(raw score, rule) of one achievement against its five-level ladder."""
    if _nan(a):
        return math.nan, "not-reported"
    levels = [(lv, t) for lv, t in zip(TARGET_LEVELS, targets, strict=True) if not _nan(t)]
    if not levels:
        return math.nan, "no-targets"
    if len(levels) == 1:
        t = levels[0][1]
        if is_date:
            return (100.0 if a <= t else 0.0), "single-date"
        if t > 0:
            return 100.0 * min(1.0, max(a, 0.0) / t), "single-target-pro-rata"
        return (100.0 if a >= t else 0.0), "single-target-pro-rata"
    higher = False if is_date else levels[0][1] > levels[-1][1]
    sign = 1.0 if higher else -1.0
    good = [(lv, t * sign) for lv, t in levels]
    if any(b >= a_ for (_, a_), (_, b) in itertools.pairwise(good)):
        return math.nan, "ladder-not-monotonic"
    g = a * sign
    if g >= good[0][1]:
        return 100.0, "at-or-beyond-best"
    for (la, ta), (lb, tb) in itertools.pairwise(good):
        if tb <= g < ta:
            if between == "step":
                return float(lb), "step"
            return lb + (la - lb) * (g - tb) / (ta - tb), "interpolate"
    return 0.0, "below-worst"


def _not_monotonic(targets: list[float], is_date: bool) -> bool:
    """Two or more set levels that do not run strictly from best to worst (§1)."""
    levels = [t for t in targets if not _nan(t)]
    if len(levels) < 2:
        return False
    sign = 1.0 if (not is_date and levels[0] > levels[-1]) else -1.0
    return any(b * sign >= a * sign for a, b in itertools.pairwise(levels))


def score_row(row: dict, rules, fiscal_year_start: dt.date, quarter: int) -> dict:
    """One indicator at the end of `quarter`: achieved, expected, projected, scores, status."""
    is_date = row["unit_kind"] == "date"
    given = row.get("method")
    if is_date:
        method = "date"
    elif given in ("sum", "cumulative", "average", "date"):  # else the unit's default
        method = given
    else:
        method = DEFAULT_METHOD.get(row["unit_kind"], "sum")
    targets = [row[f"t{lv}"] for lv in TARGET_LEVELS]
    values = [row[f"a{q}"] for q in range(1, quarter + 1)]
    statuses = [row[f"s{q}"] for q in range(1, quarter + 1)]
    reported_flags = [isinstance(s, str) and s != "" for s in statuses]
    reported = any(reported_flags)
    numbers = [v for v in values if not _nan(v)]
    if method == "sum":
        achieved = (
            sum(0.0 if _nan(v) else v for v, r in zip(values, reported_flags, strict=True) if r)
            if reported
            else math.nan
        )
    elif method == "cumulative":
        achieved = numbers[-1] if numbers else (0.0 if reported else math.nan)
    elif method == "average":
        achieved = sum(numbers) / len(numbers) if numbers else (0.0 if reported else math.nan)
    else:
        achieved = min(numbers) if numbers else math.nan
    set_targets = [t for t in targets if not _nan(t)]
    best = set_targets[0] if set_targets else math.nan
    worst = set_targets[-1] if set_targets else math.nan
    q_targets = [row[f"q{q}"] for q in QUARTERS]
    has_q = any(not _nan(q) for q in q_targets)
    annual = best if set_targets else sum(q for q in q_targets if not _nan(q))
    end = quarter_end(fiscal_year_start, quarter).toordinal()
    if is_date:
        expected = best if best <= end else math.nan
    elif has_q and method == "sum":
        expected = sum(q for q in q_targets[:quarter] if not _nan(q))
    elif has_q:
        expected = 0.0 if _nan(q_targets[quarter - 1]) else q_targets[quarter - 1]
    elif method == "average":
        expected = annual
    else:
        expected = annual * quarter / 4.0
    full_year = sum(q for q in q_targets if not _nan(q)) if (has_q and method == "sum") else annual
    if is_date:
        projected = end + 1.0 if _nan(achieved) else achieved
    elif method == "average":
        projected = achieved
    else:
        projected = achieved * full_year / expected if expected > 0 else achieved
    raw, _rule = raw_score(achieved, targets, is_date, rules.between_levels)
    projected_score, _ = raw_score(projected, targets, is_date, rules.between_levels)
    due = (best <= end) if is_date else (expected > 0)
    missed = is_date and _nan(achieved) and worst < end and bool(set_targets)
    status = "lagging" if projected_score < rules.lagging_threshold else "on_track"
    if not reported and due:
        status = "not_reported"
    if missed:
        status = "missed"
    if not due and not (is_date and not _nan(achieved)) and not missed:
        status = "not_yet_due"
    if _not_monotonic(targets, is_date) or len(set_targets) == 0:
        status = "not_scored"  # whether or not anything is reported
    if missed or status == "not_reported":
        projected_score = 0.0  # missed counts 0 even on a ladder that is not scored
    if status == "not_yet_due":
        projected_score = math.nan
    weight = row["weight"]
    return {
        "achieved": achieved,
        "expected": expected,
        "raw_score": raw,
        "weighted_score": weight * raw / 100.0,
        "projected_score": projected_score,
        "status": status,
    }
