"""`score_rows` (corrections.py) on plain arrays: for every quarter from 1 to `last` in one call
(score_quarters: an import rescores its offices for all their quarters at once), or for one
quarter as score_rows' frame (score_frame: what score_rows does for a few rows, a check's plans).

Each indicator's row is repeated once per quarter, its achievements and reports after that
quarter cleared, and the kernel (indicators.score_in_blocks) scores the stack with each row's
own quarter and quarter end. The steps around the kernel run on the same arrays
(corrections.apply_governance_marks, apply_needs_correction). No pandas operation runs per
quarter: on the 20-200 rows an import rescores, pandas' fixed cost per call was most of the
time. The results equal `score_rows` quarter by quarter to the last bit (tests/test_scoring.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.terms import ACHIEVEMENT_STATUSES, METHODS, REPORTED_STATUSES
from scoring.corrections import UNREADABLE, apply_governance_marks, apply_needs_correction
from scoring.indicators import (
    _NUMBERS,
    TARGETS,
    UNITS,
    _codes,
    _floats,
    _method_from_codes,
    quarter_end,
    score_in_blocks,
)
from scoring.inputs import QUARTER_TARGETS
from scoring.rules import Rules

_REPORTED = np.array([name in REPORTED_STATUSES for name in ACHIEVEMENT_STATUSES])
_UNREADABLE = ACHIEVEMENT_STATUSES.index(UNREADABLE)


def _status_codes(series: pd.Series) -> np.ndarray:
    """A report status column as positions in ACHIEVEMENT_STATUSES (-1: none or unknown)."""
    return _codes(series, ACHIEVEMENT_STATUSES).astype(np.int64)


def _column(frame: pd.DataFrame, name: str, dtype=object) -> np.ndarray:
    if name in frame:
        return frame[name].to_numpy(dtype=dtype, na_value=None if dtype is object else np.nan)
    return np.full(len(frame), None if dtype is object else np.nan, dtype=dtype)


def frame_columns(frame: pd.DataFrame, last: int) -> dict[str, np.ndarray]:
    """The columns of a scoring input frame (data/scores.py) that score_columns takes, for
    quarters up to `last`."""
    columns = {
        **{
            f"a{q}": frame[f"a{q}"].to_numpy(dtype=float, na_value=np.nan)
            for q in range(1, last + 1)
        },
        **{f"s{q}": _status_codes(frame[f"s{q}"]) for q in range(1, last + 1)},
        "todate_q": _column(frame, "todate_q", float),
        "todate_a": _column(frame, "todate_a"),
        "todate_s": _column(frame, "todate_s"),
        "weight": frame["weight"].to_numpy(dtype=float, na_value=np.nan),
        "governance_plan_type": _column(frame, "governance_plan_type"),
        "defect": _column(frame, "defect"),
    }
    unit = _codes(frame["unit_kind"], UNITS)
    columns["unit"], columns["method"] = unit, _codes(frame["method"], METHODS)
    for name, values in zip(TARGETS, _floats(frame, TARGETS), strict=True):
        columns[name] = values
    for name, values in zip(QUARTER_TARGETS, _floats(frame, QUARTER_TARGETS), strict=True):
        columns[name] = values
    return columns


def score_quarters(
    frame: pd.DataFrame,
    rules: Rules,
    fiscal_year_start: dt.date,
    last: int,
    first: int = 1,
    year_end: bool = False,
) -> dict[str, np.ndarray]:
    """`score_rows(frame, rules, fiscal_year_start, q, year_end)` for q = `first`..`last`, as
    arrays of len(frame) × (last - first + 1) rows in the order (row, quarter): "row" (the
    frame's position), "quarter", the kernel's numbers (achieved ... score_at_risk),
    "status", "direction" and "rule"."""
    return score_columns(
        frame_columns(frame, last), rules, fiscal_year_start, last, first, year_end
    )


def score_columns(
    columns: dict[str, np.ndarray],
    rules: Rules,
    fiscal_year_start: dt.date,
    last: int,
    first: int = 1,
    year_end: bool = False,
) -> dict[str, np.ndarray]:
    """score_quarters on plain columns (frame_columns' names): a1..a`last` as floats, s1..s`last`
    as positions in ACHIEVEMENT_STATUSES (-1: none), unit and method as positions in UNITS and
    METHODS (-1: missing), todate_q, weight, targets and quarter targets as floats, todate_a as
    floats or text, todate_s, governance_plan_type and defect as objects (None: none). A
    check's dry run builds these directly (loaders.pipeline): no frame to take apart."""
    n = len(columns["weight"])
    count = last - first + 1
    row = np.repeat(np.arange(n), count)
    quarter = np.tile(np.arange(first, last + 1, dtype=np.int64), n)
    end = np.array([quarter_end(fiscal_year_start, q).toordinal() for q in range(1, last + 1)])
    end = end[quarter - 1]

    # use_reports_to_date: a report to date at t (up to the row's quarter) replaces a1..at.
    values = [columns[f"a{q}"][row] for q in range(1, last + 1)]
    codes = [columns[f"s{q}"][row] for q in range(1, last + 1)]
    at = columns["todate_q"][row]
    applies = ~np.isnan(at) & (at <= quarter)
    if applies.any():
        todate_a = columns["todate_a"]
        if todate_a.dtype == object:
            todate_a = pd.to_numeric(pd.Series(todate_a), errors="coerce")
            todate_a = todate_a.to_numpy(dtype=float, na_value=np.nan)
        todate_a = todate_a[row]
        todate_s = columns["todate_s"]
        todate_code = _status_codes(pd.Series(todate_s, dtype=object))
        todate_code[pd.isna(todate_s)] = ACHIEVEMENT_STATUSES.index("reported")
        todate_code = todate_code[row]
    for q in range(1, last + 1):
        later = quarter < q  # the kernel at the row's quarter does not look at them
        values[q - 1][later] = np.nan
        codes[q - 1][later] = -1
        if applies.any():
            clear = applies & (at >= q)
            values[q - 1][clear] = np.nan
            codes[q - 1][clear] = -1
            here = applies & (at == q)
            values[q - 1][here] = todate_a[here]
            codes[q - 1][here] = todate_code[here]
    reported = [(code >= 0) & _REPORTED[code] for code in codes]
    unreadable = np.zeros(n * count, dtype=bool)
    for code in codes:
        unreadable |= code == _UNREADABLE

    unit = columns["unit"]
    inputs = {
        "is_date": (unit == UNITS.index("date"))[row],
        "method": _method_from_codes(columns["method"], unit)[row],
        "weight": columns["weight"][row],
        "targets": [columns[name][row] for name in TARGETS],
        "values": values,
        "reported": reported,
        "q_targets": [columns[name][row] for name in QUARTER_TARGETS],
        "quarter": quarter,
        "end": end,
    }
    numbers, texts = score_in_blocks(inputs, n * count, rules, year_end)
    scored = {name: numbers[at_] for at_, name in enumerate(_NUMBERS)}
    scored.update(texts)
    weight = inputs["weight"]
    governs = pd.notna(columns["governance_plan_type"])[row]
    if governs.any():
        apply_governance_marks(scored, governs, weight, rules)
    apply_needs_correction(scored, columns["defect"][row], unreadable, weight)
    scored["row"], scored["quarter"] = row, quarter
    return scored


def score_frame(
    frame: pd.DataFrame,
    rules: Rules,
    fiscal_year_start: dt.date,
    quarter: int,
    year_end: bool = False,
) -> pd.DataFrame:
    """score_rows' frame for one quarter, through the arrays above: what score_rows does for a
    frame of a few rows (corrections.SMALL), where pandas' steps cost more than the rows."""
    scored = score_quarters(frame, rules, fiscal_year_start, quarter, quarter, year_end)
    columns = {}
    for name in (*_NUMBERS[:6], "status", "score_at_risk", "direction", "rule"):
        values = scored[name]
        if values.dtype == object:
            values = pd.Series(values, index=frame.index, dtype=object, copy=False)
        columns[name] = values
    return pd.DataFrame(columns, index=frame.index, copy=False)
