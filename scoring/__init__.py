"""Pure scoring functions (no I/O): ../shared/docs/scoring.md, vectorised over pandas columns.

score_indicators(frame, rules, fiscal_year_start, quarter)  indicator scores (§1, §3, §4)
plan_totals / plan_score / area_scores / composite / roll_up  totals (§2)
Rules                                                       a fiscal year's rule set
"""

from scoring.indicators import quarter_end, raw_scores, score_indicators
from scoring.rules import APA_MARKS, Rules
from scoring.totals import area_scores, composite, plan_score, plan_totals, roll_up

__all__ = [
    "APA_MARKS",
    "Rules",
    "area_scores",
    "composite",
    "plan_score",
    "plan_totals",
    "quarter_end",
    "raw_scores",
    "roll_up",
    "score_indicators",
]
