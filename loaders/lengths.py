"""Text longer than the database or a spreadsheet can hold, found while checking, with its
place. A 40,000-character indicator name broke every .xlsx download that included it (Excel
keeps at most 32,767 characters a cell); a sheet name over 100 characters or a unit over 60
broke the import on PostgreSQL. The limits follow the columns in data/models.py; free text
(names, remarks, values as written) gets a bound a plan never needs to exceed.
"""

from __future__ import annotations

from core.drafts import IndicatorDraft, PlanDraft
from core.issues import Issue, make_issue

FILE_NAME = 300  # submissions.file_name
SHEET_NAME = 100  # plans.sheet_name, indicators.source_sheet, progress.source_sheet
CODE = 20  # areas/activities/indicators.code
CODE_RAW = 60  # activities/indicators.code_raw
UNIT = 60  # indicators.unit_label
NAME = 2_000  # names of areas, activities and indicators; the title
TEXT = 5_000  # remarks, values and targets as written, the annual target


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def shorter_file_name(name: str) -> str:
    """A file name cut to what the record keeps, its beginning and its extension kept."""
    if len(name) <= FILE_NAME:
        return name
    return name[: FILE_NAME - 61] + "…" + name[-60:]


def file_name_issue(name: str) -> Issue | None:
    """A warning for a file name longer than the record keeps (it is stored shortened)."""
    if len(name) <= FILE_NAME:
        return None
    return make_issue(
        "text-too-long",
        file=shorter_file_name(name),
        value=_shown(name),
        expected=FILE_NAME,
        detail=len(name),
        severity="warning",
    )


def _limited_texts(ind: IndicatorDraft) -> list[tuple]:
    """Every text of the indicator that has a limit: (text, limit, row, column)."""
    columns = ind.columns or {}
    row = ind.row
    found = [
        (ind.name, NAME, row, columns.get("name", columns.get("code"))),
        (ind.code, CODE, row, columns.get("code")),
        (ind.code_raw, CODE_RAW, row, columns.get("code")),
        (ind.unit_label, UNIT, row, columns.get("unit")),
        (ind.remarks, TEXT, row, columns.get("remarks")),
        (ind.annual_target_raw, TEXT, row, None),
    ]
    found += [(raw, TEXT, row, None) for raw in ind.targets_raw.values()]
    found += [(raw, TEXT, row, None) for raw in ind.quarter_targets_raw.values()]
    for achievement in ind.achievements:
        at = (achievement.row, achievement.column)
        found += [(achievement.raw, TEXT, *at), (achievement.value, TEXT, *at)]
    return found


def length_issues(draft: PlanDraft) -> list[Issue]:
    """Errors for every text of the plan longer than its limit, located by sheet, row and
    (where the reader knows it) column."""
    issues: list[Issue] = []
    sheet = draft.sheet if len(draft.sheet) <= SHEET_NAME else _shown(draft.sheet)

    def check(value, limit: int, row=None, column=None) -> None:
        if isinstance(value, str) and len(value) > limit:
            issues.append(
                make_issue(
                    "text-too-long",
                    file=draft.file_name,
                    sheet=sheet,
                    row=row,
                    column=column,
                    value=_shown(value),
                    expected=limit,
                    detail=len(value),
                )
            )

    check(draft.sheet, SHEET_NAME)
    check(draft.title, NAME)
    for area in draft.areas:
        check(area.name, NAME, area.row)
        check(area.code, CODE, area.row)
    for activity in draft.activities:
        check(activity.name, NAME, activity.row)
        check(activity.code, CODE, activity.row)
        check(activity.code_raw, CODE_RAW, activity.row)
    for ind in draft.indicators:
        for value, limit, row, column in _limited_texts(ind):
            check(value, limit, row, column)
    return issues
