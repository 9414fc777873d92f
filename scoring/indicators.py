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

from core.terms import METHODS, REPORTED_STATUSES, STATUSES, TARGET_LEVELS, UNIT_KINDS
from scoring.inputs import QUARTER_TARGETS
from scoring.inputs import TARGETS as INPUT_TARGETS
from scoring.rules import Rules

LEVEL_VALUES = np.array(TARGET_LEVELS, dtype=float)
TARGETS = list(INPUT_TARGETS)
DEFAULT_METHOD = {"number": "sum", "percent": "average", "date": "date"}

# The kernel works on small integer codes; the names come back once, at the end.
SUM, CUMULATIVE, AVERAGE, DATE = range(4)
RULES = (
    "not-reported",
    "single-date",
    "single-target-pro-rata",
    "at-or-beyond-best",
    "interpolate",
    "step",
    "below-worst",
    "ladder-not-monotonic",
    "no-targets",
    "year-end-unreported-zero",
)
# The statuses the kernel gives, as codes in this order (needs_correction: corrections.py).
KERNEL_STATUSES = ("on_track", "lagging", "not_reported", "missed", "not_yet_due", "not_scored")
assert set(KERNEL_STATUSES) <= set(STATUSES)
_RULE = {name: code for code, name in enumerate(RULES)}
_STATUS = {name: code for code, name in enumerate(KERNEL_STATUSES)}
_RULE_NAMES = np.array(RULES, dtype=object)
_STATUS_NAMES = np.array(KERNEL_STATUSES, dtype=object)
_DIRECTIONS = np.array(["lower", "higher"], dtype=object)


def quarter_end(fiscal_year_start: dt.date, quarter: int) -> dt.date:
    """Q1 ends 30 September, Q2 31 December, Q3 31 March, Q4 30 June."""
    year = fiscal_year_start.year
    return {
        1: dt.date(year, 9, 30),
        2: dt.date(year, 12, 31),
        3: dt.date(year + 1, 3, 31),
        4: dt.date(year + 1, 6, 30),
    }[quarter]


# The j-th set level (best first) of a ladder whose set levels make the bit pattern p
# (bit i: level i set), as _NTH_SET[p, j]; 0 past the last one.
_NTH_SET = np.array(
    [[i for i in range(5) if p >> i & 1] + [0] * (5 - bin(p).count("1")) for p in range(32)],
    dtype=np.intp,
)


def _ladder(targets: np.ndarray, is_date: np.ndarray):
    """Direction, monotonicity and the best/worst set levels of each row's ladder.

    `targets` is level-major, shape (5, n): one contiguous row of numbers per target level,
    which keeps every step below a pass over contiguous memory. Goodness (`good`) is larger
    the better whichever the direction, so one interpolation serves both; `pattern` says
    which levels are set (bit i: level i)."""
    is_set = ~np.isnan(targets)
    n = targets.shape[1]
    n_set = is_set.sum(axis=0)
    best = targets[4].copy()
    for level in (3, 2, 1, 0):  # the best set level wins
        np.copyto(best, targets[level], where=is_set[level])
    worst = targets[0].copy()
    for level in (1, 2, 3, 4):  # the worst set level wins
        np.copyto(worst, targets[level], where=is_set[level])
    higher = ~is_date & ((n_set < 2) | (best > worst))
    sign = np.where(higher, 1.0, -1.0)
    good = targets * sign
    monotonic = np.ones(n, dtype=bool)
    previous = np.full(n, np.inf)
    pattern = np.zeros(n, dtype=np.intp)
    for level in range(5):
        value = good[level]
        present = is_set[level]
        monotonic &= ~present | (value < previous)
        np.copyto(previous, value, where=present)
        pattern |= present.astype(np.intp) << level
    return n_set, best, worst, higher, sign, good, pattern, monotonic


def _raw_codes(
    achievement: np.ndarray, ladder: tuple, is_date: np.ndarray, between_levels: str
) -> tuple[np.ndarray, np.ndarray]:
    """Raw score 0-100 of each achievement against its ladder, and the code of the rule that
    applied (RULES). `ladder` is `_ladder`'s result for the same rows."""
    n_set, best, _worst, _higher, sign, good, pattern, monotonic = ladder
    n = len(achievement)
    score = np.full(n, np.nan)
    rule = np.zeros(n, dtype=np.int8)  # not-reported
    has_value = ~np.isnan(achievement)

    # Single set level (§1.5): quantities pro rata, a date on or before it.
    single = has_value & (n_set == 1)
    if single.any():
        a, b, dates = achievement[single], best[single], is_date[single]
        with np.errstate(divide="ignore", invalid="ignore"):
            pro_rata = 100.0 * np.minimum(1.0, np.maximum(a, 0.0) / b)
        pro_rata = np.where(b > 0, pro_rata, np.where(a >= b, 100.0, 0.0))
        score[single] = np.where(dates, np.where(a <= b, 100.0, 0.0), pro_rata)
        rule[single] = np.where(dates, _RULE["single-date"], _RULE["single-target-pro-rata"])

    # Two or more set levels (§1.2-1.4). The set levels run from best to worst, strictly, so
    # the number of them better than the achievement says where it falls: 0 at or beyond
    # the best, all of them below the worst, else between the level before and that one.
    g = achievement * sign
    better = np.zeros(n, dtype=np.intp)
    with np.errstate(invalid="ignore"):
        for level in range(5):
            better += good[level] > g  # an unset level (NaN) is never better
    on_ladder = has_value & (n_set >= 2) & monotonic
    flat = good.ravel()
    columns = np.arange(n)
    upper = _NTH_SET[pattern, np.maximum(better - 1, 0)]
    lower = _NTH_SET[pattern, np.minimum(better, 4)]
    upper_good, lower_good = flat[upper * n + columns], flat[lower * n + columns]
    la, lb = LEVEL_VALUES[upper], LEVEL_VALUES[lower]
    at_best = better == 0
    below = better >= n_set
    if between_levels == "interpolate":
        with np.errstate(divide="ignore", invalid="ignore"):
            between = lb + (la - lb) * (g - lower_good) / (upper_good - lower_good)
    else:
        between = lb
    ladder_score = np.where(at_best, 100.0, np.where(below, 0.0, between))
    inside_rule = _RULE["interpolate" if between_levels == "interpolate" else between_levels]
    ladder_rule = np.where(
        at_best, _RULE["at-or-beyond-best"], np.where(below, _RULE["below-worst"], inside_rule)
    )
    np.copyto(score, ladder_score, where=on_ladder)
    np.copyto(rule, ladder_rule, where=on_ladder, casting="unsafe")

    rule[has_value & (n_set >= 2) & ~monotonic] = _RULE["ladder-not-monotonic"]
    rule[has_value & (n_set == 0)] = _RULE["no-targets"]
    return score, rule


def raw_scores(
    achievement: np.ndarray,
    targets: np.ndarray,
    is_date: np.ndarray,
    between_levels: str = "interpolate",
) -> tuple[np.ndarray, np.ndarray]:
    """Raw score 0-100 of each achievement against its ladder, and the rule that applied."""
    ladder = _ladder(np.ascontiguousarray(np.asarray(targets, dtype=float).T), is_date)
    score, rule = _raw_codes(np.asarray(achievement, dtype=float), ladder, is_date, between_levels)
    return score, _RULE_NAMES[rule]


def _is(series: pd.Series, values) -> np.ndarray:
    """Which cells of a text column hold one of `values` (missing: no), as a numpy mask."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _codes(series, tuple(values)) >= 0
    return series.isin(values).to_numpy(dtype=bool, na_value=False)


def _codes(series: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """A text column as the position of each cell in `names` (-1: none of them, missing).
    A categorical column (what data/scores.py reads) is looked up by its few categories."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        lookup = np.array([names.index(c) if c in names else -1 for c in categories] + [-1])
        return lookup.astype(np.int8)[series.cat.codes.to_numpy()]
    code = np.full(len(series), -1, dtype=np.int8)
    for position, name in enumerate(names):
        code[_is(series, [name])] = position
    return code


def _floats(frame: pd.DataFrame, columns) -> np.ndarray:
    """Numeric columns as one level-major array, shape (len(columns), n)."""
    return np.stack([frame[c].to_numpy(dtype=float, na_value=np.nan) for c in columns])


UNITS = UNIT_KINDS  # as codes, in this order


def _method_codes(frame: pd.DataFrame, unit: np.ndarray) -> np.ndarray:
    """Each row's calculation method (SUM, CUMULATIVE, AVERAGE, DATE): the given one when it
    is known, else the unit's default (§3); a date is always DATE."""
    code = np.where(unit == UNITS.index("percent"), AVERAGE, SUM).astype(np.int8)
    given = _codes(frame["method"], METHODS)
    np.copyto(code, given, where=given >= 0)
    code[unit == UNITS.index("date")] = DATE
    return code


def score_indicators(
    indicators: pd.DataFrame,
    rules: Rules,
    fiscal_year_start: dt.date,
    quarter: int,
    year_end: bool = False,
) -> pd.DataFrame:
    """Scores of every indicator at the end of `quarter` (1-4)."""
    frame = indicators
    unit = _codes(frame["unit_kind"], UNITS)
    is_date = unit == UNITS.index("date")
    method = _method_codes(frame, unit)
    weight = frame["weight"].to_numpy(dtype=float, na_value=np.nan)
    targets = _floats(frame, TARGETS)
    values = _floats(frame, [f"a{q}" for q in range(1, quarter + 1)])
    status = np.stack([_is(frame[f"s{q}"], REPORTED_STATUSES) for q in range(1, quarter + 1)])
    q_targets = _floats(frame, list(QUARTER_TARGETS))
    parts = [
        _score_block(
            is_date[a:b],
            method[a:b],
            weight[a:b],
            targets[:, a:b],
            values[:, a:b],
            status[:, a:b],
            q_targets[:, a:b],
            rules,
            quarter_end(fiscal_year_start, quarter).toordinal(),
            quarter,
            year_end,
        )
        for a, b in _blocks(len(frame))
    ]
    out = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    return pd.DataFrame(
        {
            "achieved": out["achieved"],
            "expected": out["expected"],
            "projected": out["projected"],
            "raw_score": out["raw"],
            "weighted_score": out["weighted"],
            "projected_score": out["projected_score"],
            "status": pd.Series(_STATUS_NAMES[out["state"]], index=frame.index, dtype=object),
            "score_at_risk": out["at_risk"],
            "direction": pd.Series(
                _DIRECTIONS[out["higher"].astype(np.int8)], index=frame.index, dtype=object
            ),
            "rule": pd.Series(_RULE_NAMES[out["rule"]], index=frame.index, dtype=object),
        },
        index=frame.index,
    )


BLOCK = 32_768  # rows per pass: a block's arrays stay in the CPU's cache between the steps


def _blocks(n: int):
    return [(a, min(a + BLOCK, n)) for a in range(0, n, BLOCK)] or [(0, 0)]


def _score_block(
    is_date, method, weight, targets, values, status, q_targets, rules, end, quarter, year_end
) -> dict:
    """The kernel on one block of rows (arrays level- or quarter-major, see score_indicators)."""
    reported = status.any(axis=0)

    # §3 achievement to date (arrays are quarter-major: one row per quarter).
    numeric = ~np.isnan(values)
    any_numeric = numeric.any(axis=0)
    counted = np.where(status & ~numeric, 0.0, values)  # text answers add nothing
    total = np.where(reported, np.where(status, counted, 0.0).sum(axis=0), np.nan)
    no_number = np.where(reported, 0.0, np.nan)
    with np.errstate(invalid="ignore"):
        mean = np.where(
            any_numeric,
            np.where(numeric, values, 0.0).sum(axis=0) / np.maximum(numeric.sum(axis=0), 1),
            no_number,
        )
    latest = no_number.copy()
    for q in range(quarter):  # the last quarter with a number wins
        np.copyto(latest, values[q], where=numeric[q])
    done = np.where(any_numeric, np.where(numeric, values, np.inf).min(axis=0), np.nan)
    achieved = total
    for code, by_method in ((CUMULATIVE, latest), (AVERAGE, mean), (DATE, done)):
        np.copyto(achieved, by_method, where=method == code)

    # Best (annual) target and the ladder.
    ladder = _ladder(targets, is_date)
    n_set, best, worst, higher, _sign, _good, _pattern, monotonic = ladder
    q_set = ~np.isnan(q_targets)
    has_q = q_set.any(axis=0)
    q_zero = np.where(q_set, q_targets, 0.0)
    q_sum = q_zero[:quarter].sum(axis=0)
    q_all = q_zero.sum(axis=0)
    q_nth = q_zero[quarter - 1]
    annual = np.where(n_set > 0, best, q_all)
    is_sum = method == SUM
    is_average = method == AVERAGE

    # §4 expected to date.
    expected = annual * quarter / 4.0
    np.copyto(expected, annual, where=is_average)
    np.copyto(expected, q_nth, where=has_q)
    sum_q = has_q & is_sum
    np.copyto(expected, q_sum, where=sum_q)
    np.copyto(expected, np.where(best <= end, best, np.nan), where=is_date)

    # §4 projected year-end achievement.
    full_year = np.where(sum_q, q_all, annual)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = achieved * full_year / expected
        projected = np.where(expected > 0, scaled, achieved)
    np.copyto(projected, achieved, where=is_average)
    np.copyto(projected, np.where(np.isnan(achieved), end + 1.0, achieved), where=is_date)

    raw, rule = _raw_codes(achieved, ladder, is_date, rules.between_levels)
    projected_score, _ = _raw_codes(projected, ladder, is_date, rules.between_levels)

    due = np.where(is_date, best <= end, expected > 0)
    missed = is_date & np.isnan(achieved) & (worst < end) & (n_set > 0)
    state = np.where(projected_score < rules.lagging_threshold, 1, 0).astype(np.int8)
    state[~reported & due] = _STATUS["not_reported"]
    state[missed] = _STATUS["missed"]
    not_yet = ~due & ~(is_date & ~np.isnan(achieved)) & ~missed
    state[not_yet] = _STATUS["not_yet_due"]
    bad_ladder = (n_set >= 2) & ~monotonic
    not_scored = bad_ladder | (n_set == 0)
    state[not_scored] = _STATUS["not_scored"]

    projected_score[missed] = 0.0
    projected_score[state == _STATUS["not_reported"]] = 0.0
    projected_score[state == _STATUS["not_yet_due"]] = np.nan
    if year_end:
        zero = ~reported & ~bad_ladder & (n_set > 0)
        raw[zero] = 0.0
        rule[zero] = _RULE["year-end-unreported-zero"]
    rule[bad_ladder] = _RULE["ladder-not-monotonic"]
    rule[n_set == 0] = _RULE["no-targets"]

    weighted = weight * raw / 100.0
    at_risk = weight * (100.0 - np.nan_to_num(projected_score)) / 100.0
    at_risk[state == _STATUS["not_yet_due"]] = 0.0
    at_risk[not_scored] = np.nan
    return {
        "achieved": achieved,
        "expected": expected,
        "projected": projected,
        "raw": raw,
        "weighted": weighted,
        "projected_score": projected_score,
        "state": state,
        "at_risk": at_risk,
        "higher": higher,
        "rule": rule,
    }
