"""Checks over plan drafts: one small generator per rule; each yields issues and never raises.

`check_plan(plan)` runs them all, starting with the problems reading and normalising met
(`PlanDraft.problems`), so a plan's issues come from one place. `mark_needs_correction` then
marks the indicators an error touches (scoring.md section 5): they count 0 until corrected,
and the rest of the plan is stored and scored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import pairwise

from core.drafts import IndicatorDraft, PlanDraft
from core.issues import Issue, make_issue
from core.terms import TARGET_LEVELS
from loaders.normalise import fiscal_year_bounds

TOLERANCE = 1e-6
UNIT_NAMES = {"number": "সংখ্যা / number", "percent": "% / percent", "date": "তারিখ / date"}


def _at(plan: PlanDraft, indicator: IndicatorDraft | None = None, field: str | None = None) -> dict:
    where = {"file": plan.file_name, "sheet": plan.sheet}
    if indicator is not None:
        where["row"] = indicator.row
        where["column"] = indicator.columns.get(field) if field else None
    return where


def _label(indicator: IndicatorDraft) -> str:
    return f"{indicator.code} {indicator.name}".strip() if indicator.code else indicator.name


def problems(plan: PlanDraft) -> Iterator[Issue]:
    """What reading and normalising met, as issues."""
    for problem in plan.problems:
        yield make_issue(
            problem.code,
            file=plan.file_name,
            sheet=plan.sheet,
            row=problem.row,
            column=problem.column,
            value=problem.value,
            detail=problem.detail or "",
            part=problem.part,
        )


def ladder_in_order(plan: PlanDraft) -> Iterator[Issue]:
    """The set targets only fall or only rise from 100 to 60; dates only get later."""
    for ind in plan.indicators:
        values = [ind.targets.get(level) for level in TARGET_LEVELS]
        present = [v for v in values if isinstance(v, (int, float, dt.date))]
        if len(present) < 2:
            continue
        if ind.unit_kind == "date" or isinstance(present[0], dt.date):
            ok = all(a < b for a, b in pairwise(present))
        else:
            falling = all(a > b for a, b in pairwise(present))
            rising = all(a < b for a, b in pairwise(present))
            ok = falling or rising
        if not ok:
            shown = ", ".join(ind.targets_raw.get(level) or "-" for level in TARGET_LEVELS)
            yield make_issue("ladder-not-monotonic", **_at(plan, ind, "target_100"), value=shown)


def dates_in_fiscal_year(plan: PlanDraft) -> Iterator[Issue]:
    if not plan.fiscal_year:
        return
    start, end = fiscal_year_bounds(plan.fiscal_year)
    for ind in plan.indicators:
        if not any(isinstance(v, dt.date) for v in ind.targets.values()) and not any(
            isinstance(a.value, dt.date) for a in ind.achievements
        ):
            continue  # no date among its targets and achievements (most indicators)
        found = [
            (f"target_{lv}", None, ind.targets.get(lv), ind.targets_raw.get(lv))
            for lv in TARGET_LEVELS
        ]
        found += [(None, a.column, a.value, a.raw) for a in ind.achievements]
        for field, column, value, raw in found:
            if isinstance(value, dt.date) and not start <= value <= end:
                where = _at(plan, ind, field)
                if column:
                    where["column"] = column
                yield make_issue(
                    "date-outside-fiscal-year",
                    **where,
                    value=raw or value.isoformat(),
                    expected=plan.fiscal_year,
                    part="plan" if field else "report",
                )


def weights_add_up(plan: PlanDraft) -> Iterator[Issue]:
    """Indicator weights against their area's weight, and the areas' against the plan's."""
    for index, area in enumerate(plan.areas):
        weights = [
            i.weight for i in plan.indicators if i.area_index == index and i.weight is not None
        ]
        if area.weight is None or not weights:
            continue
        total = sum(weights)
        if abs(total - area.weight) > TOLERANCE:
            yield make_issue(
                "weight-sum-mismatch",
                file=plan.file_name,
                sheet=plan.sheet,
                row=area.row,
                value=area.name,
                expected=f"{area.weight:g}",
                detail=f"{total:g}",
            )


def codes_unique(plan: PlanDraft) -> Iterator[Issue]:
    """A code used twice is an error when it is the same indicator twice (a repeated row), a
    warning when two different indicators share it (a typo in the plan, as in seed 001)."""
    seen: dict[tuple[str, str], list[IndicatorDraft]] = {}
    for ind in plan.indicators:
        if ind.code:
            # The 2019-20 form numbers its mandatory objectives from [১] again.
            seen.setdefault((ind.section, ind.code), []).append(ind)
    for (_section, code), same in seen.items():
        if len(same) < 2:
            continue
        rows = ", ".join(str(i.row) for i in same)
        names = {" ".join(i.name.split()) for i in same}
        code_type = "duplicate-indicator-code" if len(names) == 1 else "duplicate-code"
        yield make_issue(code_type, **_at(plan, same[1], "code"), value=code, detail=rows)


def indicators_complete(plan: PlanDraft) -> Iterator[Issue]:
    for ind in plan.indicators:
        if not ind.unit_label:
            yield make_issue(
                "missing-unit",
                **_at(plan, ind, "unit"),
                value=_label(ind),
                expected=UNIT_NAMES[ind.unit_kind],
            )
        if ind.weight is None and not ind.weight_raw:  # an unreadable weight is its own issue
            yield make_issue("missing-weight", **_at(plan, ind, "weight"), value=_label(ind))
        if not any(v is not None for v in ind.targets.values()):
            yield make_issue("missing-targets", **_at(plan, ind, "target_100"), value=_label(ind))


def governance_marks(plan: PlanDraft) -> Iterator[Issue]:
    """An APA governance row reports marks obtained: at most the row's weight."""
    for ind in plan.indicators:
        if not ind.is_governance or ind.weight is None:
            continue
        for a in ind.achievements:
            if isinstance(a.value, float) and a.value > ind.weight + TOLERANCE:
                yield make_issue(
                    "marks-above-weight",
                    file=plan.file_name,
                    sheet=plan.sheet,
                    row=a.row,
                    column=a.column,
                    value=a.raw,
                    expected=f"{ind.weight:g}",
                    part="report",
                )


CHECKS: list[Callable[[PlanDraft], Iterator[Issue]]] = [
    problems,
    ladder_in_order,
    dates_in_fiscal_year,
    weights_add_up,
    codes_unique,
    indicators_complete,
    governance_marks,
]


def check_plan(plan: PlanDraft) -> Iterator[Issue]:
    for check in CHECKS:
        yield from check(plan)


def mark_needs_correction(plan: PlanDraft, issues: list[Issue]) -> None:
    """Every indicator an error of the approved plan touches needs correction: the error sits
    on its row, in one of its own columns (a target, its weight, its code), not in its area's
    weight nor in an achievement (an unreadable achievement touches only its quarter, through
    the achievement's status)."""
    by_row: dict[int, list[IndicatorDraft]] = {}
    for ind in plan.indicators:
        by_row.setdefault(ind.row, []).append(ind)
    for issue in issues:
        if issue.severity != "error" or issue.part != "plan" or issue.row is None:
            continue
        for ind in by_row.get(issue.row, []):
            own = set(ind.columns.values())
            if ind.defect is None and (issue.column is None or issue.column in own):
                ind.defect = issue.code
