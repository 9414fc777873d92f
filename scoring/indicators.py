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
import functools
from typing import NamedTuple

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
SUM, CUMULATIVE, AVERAGE, DATE = range(4)  # SUM first and DATE last: _method_codes
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


# Look-up tables for the ladder (§1.2-1.4), so that no step below branches row by row.
#
# A row's ladder is known by `pattern` (bit i: level i is set; + 32 when it cannot be scored
# as a ladder: fewer than two set levels, or out of order). An achievement on it is known by
# `better`, how many set levels are better than it. The set levels run from best to worst,
# strictly, so those better come first: the achievement lies between the last of them (upper)
# and the first of the rest (lower). At [pattern * 6 + better] the tables give the upper and
# lower level's row in `Ladder.good` and their level values; at or beyond the best, and below
# the worst, the two values are equal (100, 0) and the rows hold 1 and 0, so that the same
# interpolation gives that value; off the ladder, NaN.
_ONE_ROW, _ZERO_ROW = 5, 6  # Ladder.good's rows after the five levels


def _ladder_tables():
    upper_row, lower_row, upper_value, lower_value, rule = [], [], [], [], []
    for pattern in range(64):
        levels = [level for level in range(5) if pattern >> level & 1]
        off_ladder = pattern >= 32
        for better in range(6):
            inside = not off_ladder and 0 < better < len(levels)
            upper_row.append(levels[better - 1] if inside else _ONE_ROW)
            lower_row.append(levels[better] if inside else _ZERO_ROW)
            if off_ladder:
                values, code = (np.nan, np.nan), _RULE["not-reported"]
            elif better == 0:
                values, code = (100.0, 100.0), _RULE["at-or-beyond-best"]
            elif better >= len(levels):
                values, code = (0.0, 0.0), _RULE["below-worst"]
            else:
                values, code = LEVEL_VALUES[[levels[better - 1], levels[better]]], -1
            upper_value.append(values[0])
            lower_value.append(values[1])
            rule.append(code)
    rule = np.array(rule, dtype=np.int8)
    rules = {
        between: np.where(rule < 0, _RULE[between], rule) for between in ("interpolate", "step")
    }
    return (
        np.array(upper_row),
        np.array(lower_row),
        np.array(upper_value),
        np.array(lower_value),
        {between: codes.astype(np.int8) for between, codes in rules.items()},
    )


_UPPER_ROW, _LOWER_ROW, _UPPER_VALUE, _LOWER_VALUE, _LADDER_RULE = _ladder_tables()
# The first and the last set level of each pattern (the best and worst target; for none, a
# level that is NaN anyway).
_FIRST_ROW = np.array([(p & -p).bit_length() - 1 if p else 0 for p in range(32)])
_LAST_ROW = np.array([p.bit_length() - 1 if p else 0 for p in range(32)])


class Ladder(NamedTuple):
    """What the scoring needs to know of each row's five-level ladder (arrays of one block)."""

    good: np.ndarray  # shape (7, n): the targets times `sign` (larger is better, NaN = unset),
    #                   then a row of ones and a row of zeros (see the tables above)
    n_set: np.ndarray  # how many levels are set
    best: np.ndarray  # the best set level's target (NaN: none set)
    worst: np.ndarray  # the worst set level's target
    higher: np.ndarray  # higher is better (else lower, as for dates)
    sign: np.ndarray  # 1.0 where higher is better, else -1.0
    out_of_order: np.ndarray  # two or more set levels that do not run strictly best to worst
    key: np.ndarray  # pattern * 6, for the tables above


def _pick(choices: np.ndarray, which: np.ndarray) -> np.ndarray:
    """choices[which[i], i] for each column i of a (k, n) array: a row chosen per column
    without branching (numpy's choices branch row by row, slowly when they vary)."""
    n = choices.shape[1]
    return _take(choices, np.multiply(which, n, dtype=np.intp))


def _pick_by(choices: np.ndarray, rows: np.ndarray, key: np.ndarray) -> np.ndarray:
    """_pick(choices, rows[key]), with the look-up table `rows` scaled once, not each cell."""
    return _take(choices, (rows * choices.shape[1]).take(key, mode="clip"))


def _take(choices: np.ndarray, at: np.ndarray) -> np.ndarray:
    """choices.ravel()[at[i] + i]: `at` the start of each column's row, changed in place. The
    positions are valid by construction, so "clip" skips their checks."""
    at += _columns(choices.shape[1])
    return choices.ravel().take(at, mode="clip")


@functools.cache
def _columns(n: int) -> np.ndarray:
    columns = np.arange(n)
    columns.flags.writeable = False
    return columns


def _zero_for_nan(x: np.ndarray, zeros: np.ndarray) -> np.ndarray:
    """x with 0 for NaN, for a sum that starts at 0.0 (which keeps the sign of a zero from
    mattering): fmax and fmin each skip a NaN, and unlike a choice they never branch. (Against
    an array of zeros: numpy runs them much faster than against the number 0.)"""
    return np.fmax(x, zeros) + np.fmin(x, zeros)


def _ladder(targets: list[np.ndarray], is_date: np.ndarray) -> Ladder:
    """`targets`: one array per level, best (100) first."""
    n = len(is_date)
    good = np.empty((7, n))
    np.stack(targets, out=good[:5])
    good[_ONE_ROW], good[_ZERO_ROW] = 1.0, 0.0
    is_set = ~np.isnan(good[:5])
    n_set = is_set.sum(axis=0, dtype=np.int8)
    pattern = np.zeros(n, dtype=np.uint8)
    for level in range(5):
        pattern |= is_set[level].view(np.uint8) << level
    pattern = pattern.astype(np.intp)
    best = _pick_by(good, _FIRST_ROW, pattern)
    worst = _pick_by(good, _LAST_ROW, pattern)
    higher = (n_set < 2) | (best > worst)
    higher &= ~is_date
    sign = higher * 2.0 - 1.0
    good[:5] *= sign
    # Strictly best to worst: each set level worse than every set level before it. Where that
    # holds, the smallest so far is the previous set level; where not, the row is out already.
    out_of_order = np.zeros(n, dtype=bool)
    smallest = np.full(n, np.inf)
    for value in good[:5]:  # an unset level (NaN) compares False, fmin skips it
        out_of_order |= value >= smallest
        np.fmin(smallest, value, out=smallest)
    out_of_order &= n_set >= 2
    pattern += (out_of_order | (n_set < 2)) * 32
    pattern *= 6
    return Ladder(good, n_set, best, worst, higher, sign, out_of_order, pattern)


def _raw_codes(
    achievement: np.ndarray, ladder: Ladder, is_date: np.ndarray, between_levels: str, rules=True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Raw score 0-100 of each achievement against its ladder, and (if `rules`) the code of the
    rule that applied (RULES): not-reported, single-date, single-target-pro-rata, or one of the
    ladder's. Rows whose ladder is out of order or has no level get NaN and are left to the
    caller (`raw_scores`, `_score_block`), which knows whether to name them."""
    n = len(achievement)
    has_value = ~np.isnan(achievement)

    # Two or more set levels (§1.2-1.4): the tables above. An unset level (NaN) is never
    # better, and neither is any level than a missing achievement (NaN: a NaN score).
    g = achievement * ladder.sign
    better = np.zeros(n, dtype=np.int8)
    for good in ladder.good[:5]:
        better += good > g
    key = ladder.key + better
    lower_value = _LOWER_VALUE.take(key, mode="clip")
    if between_levels == "interpolate":
        upper_good = _pick_by(ladder.good, _UPPER_ROW, key)
        lower_good = _pick_by(ladder.good, _LOWER_ROW, key)
        upper_value = _UPPER_VALUE.take(key, mode="clip")
        score = lower_value + (upper_value - lower_value) * (g - lower_good) / (
            upper_good - lower_good
        )
        # At or beyond the best or below the worst, 100 + 0 × g: NaN if g is infinite.
        np.copyto(score, lower_value, where=np.isinf(g) & (upper_value == lower_value))
    else:
        score = np.where(has_value, lower_value, np.nan)
    rule = None
    if rules:
        rule = _LADDER_RULE[between_levels].take(key, mode="clip")
        rule *= has_value  # not-reported is 0

    # Single set level (§1.5), a few rows: quantities pro rata, a date on or before it.
    single = np.flatnonzero(has_value & (ladder.n_set == 1))
    if len(single):
        a, b, dates = achievement[single], ladder.best[single], is_date[single]
        pro_rata = 100.0 * np.minimum(1.0, np.maximum(a, 0.0) / b)
        pro_rata = np.where(b > 0, pro_rata, np.where(a >= b, 100.0, 0.0))
        score[single] = np.where(dates, np.where(a <= b, 100.0, 0.0), pro_rata)
        if rules:
            rule[single] = np.where(dates, _RULE["single-date"], _RULE["single-target-pro-rata"])
    return score, rule


def raw_scores(
    achievement: np.ndarray,
    targets: np.ndarray,
    is_date: np.ndarray,
    between_levels: str = "interpolate",
) -> tuple[np.ndarray, np.ndarray]:
    """Raw score 0-100 of each achievement against its ladder, and the rule that applied."""
    achievement = np.asarray(achievement, dtype=float)
    is_date = np.asarray(is_date, dtype=bool)
    with np.errstate(all="ignore"):  # NaN means "none" here: arithmetic on it is expected
        ladder = _ladder(list(np.asarray(targets, dtype=float).T), is_date)
        score, rule = _raw_codes(achievement, ladder, is_date, between_levels)
    has_value = ~np.isnan(achievement)
    rule[has_value & ladder.out_of_order] = _RULE["ladder-not-monotonic"]
    rule[has_value & (ladder.n_set == 0)] = _RULE["no-targets"]
    return score, _RULE_NAMES[rule]


# Up to this many rows a text column is looked up cell by cell in Python: pandas' isin costs
# more than that for the few rows a check or an import scores (a plan: 5-200).
SMALL = 4096


def _is(series: pd.Series, values) -> np.ndarray:
    """Which cells of a text column hold one of `values` (missing: no), as a numpy mask."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _codes(series, tuple(values)) >= 0
    if len(series) <= SMALL:
        wanted = set(values)
        cells = series.to_numpy(dtype=object)
        return np.fromiter(
            (isinstance(cell, str) and cell in wanted for cell in cells), bool, len(cells)
        )
    return series.isin(values).to_numpy(dtype=bool, na_value=False)


def _codes(series: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """A text column as the position of each cell in `names` (-1: none of them, missing).
    A categorical column (what data/scores.py reads) is looked up by its few categories."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # compared by category: no look-ups
        values = series.array
        cells = values.codes
        code = np.full(len(series), -1, dtype=np.int8)
        for at, category in enumerate(values.categories):
            if category in names:
                code += (cells == at).view(np.int8) * np.int8(names.index(category) + 1)
        return code
    if len(series) <= SMALL:
        position = {name: at for at, name in enumerate(names)}
        cells = series.to_numpy(dtype=object)
        return np.fromiter(
            (position.get(cell, -1) if isinstance(cell, str) else -1 for cell in cells),
            np.int8,
            len(cells),
        )
    code = np.full(len(series), -1, dtype=np.int8)
    for position, name in enumerate(names):
        code[_is(series, [name])] = position
    return code


def _floats(frame: pd.DataFrame, columns) -> list[np.ndarray]:
    """Numeric columns as numpy arrays (float columns as they are, without a copy)."""
    return [frame[c].to_numpy(dtype=float, na_value=np.nan) for c in columns]


UNITS = UNIT_KINDS  # as codes, in this order


def _method_codes(frame: pd.DataFrame, unit: np.ndarray) -> np.ndarray:
    """Each row's calculation method (SUM, CUMULATIVE, AVERAGE, DATE): the given one when it
    is known, else the unit's default (§3); a date is always DATE."""
    return _method_from_codes(_codes(frame["method"], METHODS), unit)


def _method_from_codes(given: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """_method_codes from the given methods' positions in METHODS (-1: none)."""
    default = (unit == UNITS.index("percent")).view(np.int8) * np.int8(AVERAGE)  # or SUM, 0
    code = given + (given < 0).view(np.int8) * (default - given)
    return np.maximum(code, (unit == UNITS.index("date")).view(np.int8) * np.int8(DATE))


# The numeric output columns, in the order of the output; the kernel writes them into one
# array (one row each), which becomes the output frame's numbers without a copy.
_NUMBERS = (
    "achieved",
    "expected",
    "projected",
    "raw_score",
    "weighted_score",
    "projected_score",
    "score_at_risk",
)


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
    unit = _codes(frame["unit_kind"], UNITS)
    is_date = unit == UNITS.index("date")
    inputs = {
        "is_date": is_date,
        "method": _method_codes(frame, unit),
        "weight": frame["weight"].to_numpy(dtype=float, na_value=np.nan),
        "targets": _floats(frame, TARGETS),
        "values": _floats(frame, [f"a{q}" for q in range(1, quarter + 1)]),
        "reported": [_is(frame[f"s{q}"], REPORTED_STATUSES) for q in range(1, quarter + 1)],
        "q_targets": _floats(frame, QUARTER_TARGETS),
    }
    end = quarter_end(fiscal_year_start, quarter).toordinal()
    numbers, texts = score_in_blocks(inputs, n, rules, year_end, end=end, quarter=quarter)
    scored = pd.DataFrame(numbers.T, index=frame.index, columns=list(_NUMBERS), copy=False)
    for at, name in ((6, "status"), (8, "direction"), (9, "rule")):
        series = pd.Series(texts[name], index=frame.index, dtype=object, copy=False)
        scored.insert(at, name, series)
    return scored


def score_in_blocks(
    inputs: dict, size: int, rules: Rules, year_end: bool, **same_for_all
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The kernel (`_score_block`) over `size` rows, BLOCK rows at a time: `inputs` holds its
    arguments by row (arrays, or lists of arrays), `same_for_all` those every row shares.
    Returns the numbers (one row per name of `_NUMBERS`) and "status", "direction" and
    "rule" as arrays of their names."""
    numbers = np.empty((len(_NUMBERS), size))
    state = np.empty(size, dtype=np.int8)
    rule = np.empty(size, dtype=np.int8)
    higher = np.empty(size, dtype=bool)
    for start in range(0, size, BLOCK):
        rows = slice(start, min(start + BLOCK, size))
        block = {
            key: [part[rows] for part in value] if isinstance(value, list) else value[rows]
            for key, value in inputs.items()
        }
        with np.errstate(all="ignore"):  # NaN means "none" here: arithmetic on it is expected
            out = _score_block(**block, **same_for_all, rules=rules, year_end=year_end)
        for at, name in enumerate(_NUMBERS):
            numbers[at, rows] = out[name]
        state[rows], rule[rows], higher[rows] = out["state"], out["rule"], out["higher"]
    texts = {
        "status": _STATUS_NAMES[state],
        "direction": _DIRECTIONS[higher.view(np.int8)],
        "rule": _RULE_NAMES[rule],
    }
    return numbers, texts


BLOCK = 32_768  # rows per pass: a block's arrays stay in the CPU's cache between the steps


def _score_block(
    is_date, method, weight, targets, values, reported, q_targets, rules, end, quarter, year_end
) -> dict:
    """The kernel on one block of rows: `targets`, `values` (a1..), `reported` (s1..) and
    `q_targets` are lists of arrays, one per level or quarter. `quarter` and `end` (its last
    day's number) are one for all rows, or arrays of each row's (scoring/stacked.py: several
    quarters in one call; a row's values and reports after its quarter are NaN and False)."""
    n = len(is_date)

    # §3 achievement to date: each indicator's is a row of `choices` picked by its method.
    # SUM: the total of the quarters reported (row 0); CUMULATIVE: the last quarter with a
    # number (row 3 + q), else row 1; AVERAGE: the mean of the numbers (row 2); DATE: the
    # earliest (row 3). Sums start at 0.0 and run quarter by quarter, as the reference's do.
    zeros = np.zeros(n)
    choices = np.empty((4 + len(values), n))
    total, no_number, mean, done = choices[:4]
    np.stack(values, out=choices[4:])
    total.fill(0.0)
    any_report = np.logical_or.reduce(reported)
    np.copyto(no_number, np.where(any_report, 0.0, np.nan))  # reported without a number: 0
    done.fill(np.nan)
    number_total = np.zeros(n)
    numbers = np.zeros(n, dtype=np.int8)
    last = np.full(n, 1, dtype=np.int8)  # the row of the last quarter with a number
    for q, (value, report) in enumerate(zip(values, reported, strict=True), start=1):
        numeric = ~np.isnan(value)
        numbers += numeric
        np.maximum(last, numeric.view(np.int8) * np.int8(3 + q), out=last)
        number = _zero_for_nan(value, zeros)
        total += np.where(report, number, 0.0)  # a text answer adds nothing
        number_total += number
        np.fmin(done, value, out=done)  # fmin skips a NaN
    nothing = ~any_report
    np.copyto(total, np.nan, where=nothing)
    np.divide(number_total, np.maximum(numbers, 1), out=mean)
    np.copyto(mean, np.nan, where=nothing & (numbers == 0))
    is_cumulative = (method == CUMULATIVE).view(np.int8)
    achieved = _pick(choices, method + is_cumulative * (last - CUMULATIVE))

    # Best (annual) target and the ladder.
    ladder = _ladder(targets, is_date)
    has_q = np.zeros(n, dtype=bool)
    q_all = np.zeros(n)
    per_row = np.ndim(quarter) > 0
    if per_row:
        q_sum, q_nth = np.zeros(n), np.zeros(n)
    for q, q_target in enumerate(q_targets, start=1):
        is_set = ~np.isnan(q_target)
        has_q |= is_set
        q_all += _zero_for_nan(q_target, zeros)
        if per_row:
            here = quarter == q
            np.copyto(q_sum, q_all, where=here)
            np.copyto(q_nth, q_target, where=here & is_set)
        elif q == quarter:
            q_sum, q_nth = q_all.copy(), np.where(is_set, q_target, 0.0)
    annual = ladder.best.copy()
    np.copyto(annual, q_all, where=ladder.n_set == 0)
    is_average = method == AVERAGE
    sum_q = has_q & (method == SUM)
    due_date = ladder.best <= end

    # §4 expected to date: a row of `choices` again, the last that applies: a share of the
    # annual target; the annual target (average); the quarter's own target; the sum of the
    # quarters' targets to date (sum); the date target if it is due (date).
    choices = np.stack(
        (annual * quarter / 4.0, annual, q_nth, q_sum, np.where(due_date, ladder.best, np.nan))
    )
    which = np.maximum(is_average.view(np.int8), has_q.view(np.int8) * np.int8(2))
    np.maximum(which, sum_q.view(np.int8) * np.int8(3), out=which)
    np.maximum(which, is_date.view(np.int8) * np.int8(4), out=which)
    expected = _pick(choices, which)

    # §4 projected year-end achievement: the achievement scaled to the full year; as it is
    # (average, or nothing expected yet); for a date, the day after the quarter if not done.
    full_year = np.where(sum_q, q_all, annual)
    no_achievement = np.isnan(achieved)
    choices = np.stack(
        (
            achieved * full_year / expected,
            achieved,
            np.where(no_achievement, end + 1.0, achieved),
        )
    )
    positive = expected > 0
    which = (~positive | is_average).view(np.int8)
    np.maximum(which, is_date.view(np.int8) * np.int8(2), out=which)
    projected = _pick(choices, which)

    raw, rule = _raw_codes(achieved, ladder, is_date, rules.between_levels)
    projected_score, _ = _raw_codes(projected, ladder, is_date, rules.between_levels, False)

    # Status: the codes (_STATUS) rise with precedence, so the highest that applies wins.
    due = np.where(is_date, due_date, positive)
    missed = is_date & no_achievement & (ladder.worst < end)  # NaN: no level set
    state = (projected_score < rules.lagging_threshold).view(np.int8)  # 1: lagging
    not_reported = nothing & due
    not_yet = ~due & ~(is_date & ~no_achievement) & ~missed
    no_targets = ladder.n_set == 0
    not_scored = ladder.out_of_order | no_targets
    for code, applies in (
        (_STATUS["not_reported"], not_reported),
        (_STATUS["missed"], missed),
        (_STATUS["not_yet_due"], not_yet),
        (_STATUS["not_scored"], not_scored),
    ):
        np.maximum(state, applies.view(np.int8) * np.int8(code), out=state)

    np.copyto(projected_score, 0.0, where=missed | (state == _STATUS["not_reported"]))
    not_yet_due = state == _STATUS["not_yet_due"]
    np.copyto(projected_score, np.nan, where=not_yet_due)
    if year_end:
        zero = nothing & ~not_scored
        np.copyto(raw, 0.0, where=zero)
        np.copyto(rule, _RULE["year-end-unreported-zero"], where=zero)
    np.copyto(rule, _RULE["ladder-not-monotonic"], where=ladder.out_of_order)
    np.copyto(rule, _RULE["no-targets"], where=no_targets)

    weighted = weight * raw / 100.0
    at_risk = weight * (100.0 - _zero_for_nan(projected_score, zeros)) / 100.0
    np.copyto(at_risk, 0.0, where=not_yet_due)
    np.copyto(at_risk, np.nan, where=not_scored)
    return {
        "achieved": achieved,
        "expected": expected,
        "projected": projected,
        "raw_score": raw,
        "weighted_score": weighted,
        "projected_score": projected_score,
        "score_at_risk": at_risk,
        "state": state,
        "higher": ladder.higher,
        "rule": rule,
    }
