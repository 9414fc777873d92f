"""Pure scoring functions (no I/O): ../shared/docs/scoring.md, vectorised over pandas columns.

score_indicators(frame, rules, fiscal_year_start, quarter)  indicator scores (§1, §3, §4)
score_rows(frame, rules, fiscal_year_start, quarter)        the same, with reports to date,
                                                            governance rows and indicators
                                                            that need correction (§2, §5)
score_quarters (scoring.stacked)                            score_rows for quarters 1..n in one call
plan_totals / plan_score / area_scores                      totals (§2)
composite / composite_parts / governance_rows               the composite, counted once (§2)
Rules                                                       a fiscal year's rule set
INPUT_COLUMNS / complete                                    the input frame (scoring.inputs)
"""

from scoring.corrections import NEEDS_CORRECTION, is_own, score_rows
from scoring.indicators import quarter_end, raw_scores, score_indicators
from scoring.inputs import INPUT_COLUMNS, complete
from scoring.rules import APA_MARKS, Rules
from scoring.totals import (
    area_scores,
    composite,
    composite_parts,
    governance_rows,
    marks_frame,
    plan_score,
    plan_totals,
)

__all__ = [
    "APA_MARKS",
    "INPUT_COLUMNS",
    "NEEDS_CORRECTION",
    "Rules",
    "area_scores",
    "complete",
    "composite",
    "composite_parts",
    "governance_rows",
    "is_own",
    "marks_frame",
    "plan_score",
    "plan_totals",
    "quarter_end",
    "raw_scores",
    "score_indicators",
    "score_rows",
]
