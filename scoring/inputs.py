"""The frame scoring takes: its columns, named once (scoring.md sections 1-5).

One row per indicator. data/scores.py builds it from the database (stored scores and the
explanation), loaders/pipeline.py from a workbook's plan drafts (the check); both complete it
with `complete`, so every builder gives the kernel the same columns with the same defaults.

    unit_kind, weight, method            the indicator (scoring/indicators.py)
    t100 t90 t80 t70 t60                 TARGETS: the five-level ladder (dates as day numbers)
    q1 q2 q3 q4                          QUARTER_TARGETS
    a1 a2 a3 a4 / s1 s2 s3 s4            ACHIEVEMENTS and their REPORTS' statuses, per quarter
    todate_q todate_a todate_s           TO_DATE: the latest report to date (corrections.py)
    defect, governance_plan_type         corrections.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.terms import QUARTERS, TARGET_LEVELS

TARGETS = tuple(f"t{level}" for level in TARGET_LEVELS)
QUARTER_TARGETS = tuple(f"q{q}" for q in QUARTERS)
ACHIEVEMENTS = tuple(f"a{q}" for q in QUARTERS)
REPORTS = tuple(f"s{q}" for q in QUARTERS)
TO_DATE = ("todate_q", "todate_a", "todate_s")

# Every input column with its value when nothing is known: NaN for numbers, None for text.
DEFAULTS: dict[str, object] = {
    "unit_kind": None,
    "weight": np.nan,
    "method": None,
    **dict.fromkeys(TARGETS, np.nan),
    **dict.fromkeys(QUARTER_TARGETS, np.nan),
    **dict.fromkeys(ACHIEVEMENTS, np.nan),
    **dict.fromkeys(REPORTS),
    "todate_q": np.nan,
    "todate_a": np.nan,
    "todate_s": None,
    "defect": None,
    "governance_plan_type": None,
}
INPUT_COLUMNS = tuple(DEFAULTS)


def empty_row() -> dict:
    """One indicator with nothing set: every input column at its default."""
    return dict(DEFAULTS)


def complete(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every input column, the missing ones at their defaults (text as object
    columns, so a missing status stays None)."""
    missing = {
        column: (
            np.full(len(frame), np.nan)
            if default is not None
            else pd.Series(np.full(len(frame), None, dtype=object), index=frame.index)
        )
        for column, default in DEFAULTS.items()
        if column not in frame
    }
    if not missing:
        return frame
    return frame.assign(**missing)
