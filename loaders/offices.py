"""Which office each plan of a checked workbook is for: the office-match policy.

data/office_match.py scores names; this module decides. The office the uploader names (an id,
a code such as "min:ictd", or a name) applies to every plan that does not name its own (an
agency matrix names one office per column); a certain match on one sheet names the office of
the workbook's other sheets (one office sends one workbook); a plan is refused when no office
matches or when its office is outside the uploader's scope, and warned about when the match
is uncertain. Sheets meant for another level of office are left out, and a plan the workbook
gives twice is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.issues import make_issue
from data import office_match
from data.scope import Scope
from loaders.report import FileReport

if TYPE_CHECKING:
    from loaders.pipeline import CheckedPlan


def match_offices(
    connection,  # a database connection (SQL lives in data/)
    plans: list[CheckedPlan],
    named: str | None,
    file_name: str,
    scope: Scope | None,
) -> None:
    index = office_match.office_index(connection)
    chosen = index.by_reference(named) if named else None
    if named and chosen is None:
        for plan in plans:
            plan.issues.append(
                make_issue(
                    "office-not-matched", file=file_name, sheet=plan.draft.sheet, value=named
                )
            )
        return
    matches = {}
    for plan in plans:
        text = plan.draft.office_text
        if text and text not in matches:
            matches[text] = index.match(text)
    certain = [m for m in matches.values() if m is not None and m.score >= office_match.CERTAIN]
    workbook_office = chosen or (certain[0] if certain else None)
    for plan in plans:
        draft = plan.draft
        match = matches.get(draft.office_text) if draft.office_text else None
        if draft.layout == "agency-matrix" and match is not None:
            plan.office = match  # each column names its own office
        elif chosen is not None:
            plan.office = chosen
        elif match is not None:
            plan.office = match
        else:
            plan.office = workbook_office
        if plan.office is None:
            plan.issues.append(
                make_issue(
                    "office-not-matched",
                    file=file_name,
                    sheet=draft.sheet,
                    value=draft.office_text or "",
                )
            )
            continue
        draft.office_id = plan.office.office_id
        draft.office_name = plan.office.name_bn
        draft.office_match_score = plan.office.score
        if scope is not None and not scope.contains(plan.office.path):
            plan.issues.append(
                make_issue(
                    "office-out-of-scope",
                    file=file_name,
                    sheet=draft.sheet,
                    value=f"{plan.office.name_bn} / {plan.office.name_en}",
                    expected=_scope_name(index, scope),
                )
            )
        if plan.office is match and match.score < office_match.CERTAIN:
            plan.issues.append(
                make_issue(
                    "office-match-uncertain",
                    file=file_name,
                    sheet=draft.sheet,
                    value=draft.office_text,
                    expected=f"{match.name_bn} / {match.name_en}",
                    detail=f"{match.score:.0f}",
                )
            )


def _scope_name(index: office_match.OfficeIndex, scope: Scope) -> str:
    office = index.offices.get(scope.office_id) if scope.office_id is not None else None
    return f"{office.name_bn} / {office.name_en}" if office is not None else (scope.path or "")


def plans_for_their_offices(
    plans: list[CheckedPlan], report: FileReport, file_name: str
) -> list[CheckedPlan]:
    """Leave out sheets meant for another level of office (a district and an upazila version
    of one plan in one workbook), and refuse a plan the workbook gives twice."""
    kept: list[CheckedPlan] = []
    seen: dict[tuple, CheckedPlan] = {}
    for plan in plans:
        draft, office = plan.draft, plan.office
        if office is not None and draft.for_levels and office.level not in draft.for_levels:
            report.add(
                make_issue(
                    "plan-not-for-this-office",
                    file=file_name,
                    sheet=draft.sheet,
                    value=office.name_bn,
                    expected="/".join(sorted(draft.for_levels)),
                    detail=office.level,
                )
            )
            continue
        key = (draft.office_id, draft.plan_type, draft.fiscal_year)
        if office is not None and key in seen:
            plan.issues.append(
                make_issue(
                    "duplicate-plan",
                    file=file_name,
                    sheet=draft.sheet,
                    value=office.name_bn,
                    expected=draft.plan_type,
                    detail=f"'{seen[key].draft.sheet}', '{draft.sheet}'",
                )
            )
        seen.setdefault(key, plan)
        kept.append(plan)
    return kept
