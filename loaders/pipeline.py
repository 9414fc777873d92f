"""Check and import workbooks: read → layouts → offices → checks → scores → (import).

`check_file` is the dry run behind `python -m loaders check` and the upload page's preview: it
writes nothing. `import_file` runs the same steps and stores the plans without errors through
data/imports.py in one transaction (all or nothing for the workbook).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data import audit as data_audit
from data import imports as data_imports
from data import office_match
from data.scope import EVERYTHING, Scope
from data.scores import rules_for_year
from loaders.checks import check_plan
from loaders.drafts import IndicatorDraft, PlanDraft
from loaders.issues import Issue, make_issue
from loaders.layouts import read_sheet
from loaders.lengths import file_name_issue, length_issues, shorter_file_name
from loaders.normalise import fiscal_year_bounds
from loaders.read import Limits, UnreadableWorkbook, read_workbook
from loaders.report import FileReport
from scoring import Rules, plan_score, score_indicators

LEVELS = (100, 90, 80, 70, 60)
NOTES_SHEETS = ("নির্দেশনা", "instruction")  # a template's own instructions: not a plan


@dataclass
class CheckedPlan:
    """One plan found in a workbook, with its office match, its issues and its scores."""

    draft: PlanDraft
    office: office_match.OfficeMatch | None = None
    issues: list[Issue] = field(default_factory=list)
    score: dict | None = None  # plan totals (scoring.plan_score) at the plan's quarter
    indicator_scores: list[dict] = field(
        default_factory=list
    )  # raw, weighted, status per indicator

    @property
    def ok(self) -> bool:
        return not any(issue.severity == "error" for issue in self.issues)


@dataclass
class CheckedFile:
    path: str
    report: FileReport
    plans: list[CheckedPlan] = field(default_factory=list)
    cells: int = 0  # rows × columns the reader held (an upload's cell budget counts them)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def sha256(self) -> str | None:
        return self.report.sha256


# ---------------------------------------------------------------- checking


def _source_name(source, file_name: str | None) -> tuple[str, str]:
    if isinstance(source, (bytes, bytearray)):
        name = file_name or "upload.xlsx"
        return name, name
    path = os.fspath(source)
    return path, file_name or Path(path).name


def check_file(
    source: str | os.PathLike | bytes,
    *,
    file_name: str | None = None,
    engine=None,
    office: str | None = None,
    limits: Limits | None = None,
) -> CheckedFile:
    """Read, normalise, match offices, check and score one workbook; write nothing.

    `office` names the office for every plan that does not name its own (an agency matrix
    names one office per column): an id, a code such as "min:ictd", or a name.
    """
    path, name = _source_name(source, file_name)
    long_name = file_name_issue(name)
    name = shorter_file_name(name)  # what the record keeps
    try:
        workbook = read_workbook(source, file_name=name, limits=limits or Limits())
    except UnreadableWorkbook as error:
        sha = hashlib.sha256(source).hexdigest() if isinstance(source, bytes) else None
        report = FileReport(path=path, file_name=name, sha256=sha, plans=[], issues=[])
        report.add(
            make_issue(
                error.code,
                file=name,
                sheet=error.sheet,
                value=error.value,
                detail=(error.message_en, error.message_bn),
            )
        )
        report.finish()
        return CheckedFile(path, report)

    report = FileReport(path=path, file_name=name, sha256=workbook.sha256, plans=[], issues=[])
    if long_name is not None:
        report.add(long_name)
    checked: list[CheckedPlan] = []
    for sheet in workbook.sheets:
        drafts = read_sheet(sheet, name)
        if not drafts:
            is_notes = any(w in sheet.name.casefold() for w in NOTES_SHEETS)
            if not is_notes and any(any(v is not None for v in row) for row in sheet.rows):
                report.add(make_issue("no-table-found", file=name, sheet=sheet.name))
            continue
        checked.extend(CheckedPlan(draft) for draft in drafts)
    _fill_from_workbook(checked)
    if engine is not None:
        _match_offices(engine, checked, office, name)
        checked = _plans_for_their_offices(checked, report, name)
    for plan in checked:
        plan.issues.extend(_fact_issues(plan.draft))
        plan.issues.extend(check_plan(plan.draft))
        plan.issues.extend(length_issues(plan.draft))
    if engine is not None:
        for plan in checked:
            if plan.ok:
                _score(engine, plan)
    for plan in checked:
        report.plans.append(plan.draft)
        for issue in plan.issues:
            report.add(issue)
    if not checked and not report.errors:
        report.add(make_issue("no-indicators", file=name))
    report.finish()
    return CheckedFile(path, report, checked, workbook.cells)


def _fill_from_workbook(plans: list[CheckedPlan]) -> None:
    """Facts a sheet does not state are taken from the workbook's other sheets: one office
    sends one workbook for one fiscal year (the field-office sample names its office only on
    its NIS sheet)."""
    years = Counter(p.draft.fiscal_year for p in plans if p.draft.fiscal_year)
    if years:
        year = years.most_common(1)[0][0]
        for p in plans:
            p.draft.fiscal_year = p.draft.fiscal_year or year


def _match_offices(engine, plans: list[CheckedPlan], named: str | None, file_name: str) -> None:
    with engine.connect() as connection:
        index = office_match.OfficeIndex(connection)
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


def _plans_for_their_offices(
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


def _fact_issues(draft: PlanDraft) -> list[Issue]:
    issues = []
    where = {"file": draft.file_name, "sheet": draft.sheet}
    if draft.plan_type is None:
        issues.append(make_issue("plan-type-unknown", **where, value=draft.title or draft.sheet))
    if draft.fiscal_year is None:
        issues.append(make_issue("fiscal-year-unknown", **where, value=draft.title or draft.sheet))
    if not draft.indicators:
        issues.append(make_issue("no-indicators", **where))
    return issues


# ---------------------------------------------------------------- scores of the dry run


def _number(value, unit_kind: str) -> float:
    if value is None or isinstance(value, str):
        return np.nan
    if isinstance(value, dt.date):
        return float(value.toordinal())
    return float(value)


def indicator_frame(draft: PlanDraft) -> pd.DataFrame:
    """A plan draft's indicators in the shape scoring.score_indicators takes."""
    rows = []
    for ind in draft.indicators:
        row = {
            "unit_kind": ind.unit_kind,
            "weight": np.nan if ind.weight is None else float(ind.weight),
            "method": ind.method,
        }
        for level in LEVELS:
            row[f"t{level}"] = _number(ind.targets.get(level), ind.unit_kind)
        for q in range(1, 5):
            row[f"q{q}"] = _number(ind.quarter_targets.get(q), ind.unit_kind)
            row[f"a{q}"] = np.nan
            row[f"s{q}"] = None
        for achievement in ind.achievements:
            if achievement.to_date:
                continue
            q = achievement.quarter
            row[f"a{q}"] = _number(achievement.value, ind.unit_kind)
            row[f"s{q}"] = achievement.status
        rows.append(row)
    return pd.DataFrame(rows)


def _score(engine, plan: CheckedPlan) -> None:
    draft = plan.draft
    quarter = draft.quarter or (max(draft.reported_quarters) if draft.reported_quarters else None)
    if quarter is None or not draft.indicators or draft.fiscal_year is None:
        return
    with engine.connect() as connection:
        found = rules_for_year(connection, draft.fiscal_year)
    rules, start = found if found else (Rules(), fiscal_year_bounds(draft.fiscal_year)[0])
    frame = indicator_frame(draft)
    scored = score_indicators(frame, rules, start, quarter)
    scored["weight"] = frame["weight"]
    plan.score = plan_score(scored) | {"quarter": quarter}
    plan.indicator_scores = [
        {
            "raw_score": _plain(row.raw_score),
            "weighted_score": _plain(row.weighted_score),
            "status": row.status,
        }
        for row in scored.itertuples()
    ]


def _plain(value):
    return None if value is None or pd.isna(value) else round(float(value), 6)


# ---------------------------------------------------------------- the JSON document


def _json_value(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return float(value)


def _indicator_json(ind: IndicatorDraft, scores: dict | None) -> dict:
    scores = scores or {}
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit_kind,
        "unit_label": ind.unit_label,
        "weight": ind.weight,
        "method": ind.method,
        "targets": {str(level): _json_value(_numeric(ind.targets.get(level))) for level in LEVELS},
        "quarter_targets": {
            str(q): _json_value(_numeric(v)) for q, v in sorted(ind.quarter_targets.items())
        },
        "achievements": {
            str(a.quarter): _json_value(_numeric(a.value))
            for a in ind.achievements
            if not a.to_date
        },
        "raw_score": scores.get("raw_score"),
        "weighted_score": scores.get("weighted_score"),
        "status": scores.get("status"),
        "sheet": ind.sheet,
        "row": ind.row,
    }


def _numeric(value):
    """Numbers and dates as themselves; a text answer has no value in the JSON."""
    return None if isinstance(value, str) else value


def to_json(checked: CheckedFile) -> dict:
    """The document of `python -m loaders check --json` for one file."""
    plans = []
    for plan in checked.plans:
        draft = plan.draft
        scores = plan.indicator_scores or [None] * len(draft.indicators)
        plans.append(
            {
                "sheet": draft.sheet,
                "plan_type": draft.plan_type,
                "fiscal_year": draft.fiscal_year,
                "office": None
                if plan.office is None
                else {
                    "id": plan.office.office_id,
                    "code": plan.office.code,
                    "name_bn": plan.office.name_bn,
                    "name_en": plan.office.name_en,
                    "as_written": draft.office_text,
                    "confidence": round(plan.office.score, 1),
                },
                "quarter": draft.quarter,
                "layout": draft.layout,
                "ok": plan.ok,
                "total_weight": draft.total_weight,
                "score": None if plan.score is None else _plain(plan.score.get("score")),
                "indicators": [
                    _indicator_json(ind, s) for ind, s in zip(draft.indicators, scores, strict=True)
                ],
            }
        )
    return {
        "path": checked.path,
        "ok": checked.ok,
        "sha256": checked.sha256,
        "plans": plans,
        "issues": checked.report.issues_json(),
    }


# ---------------------------------------------------------------- importing


@dataclass
class ImportOutcome:
    checked: CheckedFile
    result: data_imports.ImportResult | None
    refused_plans: list[CheckedPlan] = field(default_factory=list)
    refusal: str | None = None  # why the whole workbook was refused (English)
    refusal_bn: str | None = None

    @property
    def status(self) -> str:
        if self.result is None:
            return "refused"
        return self.result.status


def import_file(
    engine,
    source: str | os.PathLike | bytes,
    *,
    file_name: str | None = None,
    office: str | None = None,
    uploaded_by: str = "cli",
    source_kind: str = "cli",
    scope: Scope = EVERYTHING,
    limits: Limits | None = None,
    audit_details: dict | None = None,
) -> ImportOutcome:
    """Check the workbook, then store its plans without errors in one transaction.

    Plans with errors are refused and reported; a workbook none of whose plans can be stored,
    or whose storing fails, leaves the database exactly as it was.
    """
    checked = check_file(source, file_name=file_name, engine=engine, office=office, limits=limits)
    good = [p for p in checked.plans if p.ok]
    refused = [p for p in checked.plans if not p.ok]
    if not good or checked.sha256 is None:
        outcome = ImportOutcome(
            checked,
            None,
            refused,
            "no plan in the workbook can be imported",
            "ওয়ার্কবুকের কোনো পরিকল্পনা আমদানি করা যায়নি",
        )
        _record_refusal(engine, outcome, uploaded_by, source_kind, details=audit_details)
        return outcome
    try:
        result = data_imports.import_workbook(
            engine,
            file_name=checked.report.file_name,
            sha256=checked.sha256,
            plans=[p.draft for p in good],
            report={"issues": checked.report.issues_json()},
            uploaded_by=uploaded_by,
            source=source_kind,
            scope=scope,
            audit_details=audit_details,
        )
    except data_imports.ImportRefused as error:
        outcome = ImportOutcome(checked, None, checked.plans, error.message_en, error.message_bn)
        _record_refusal(engine, outcome, uploaded_by, source_kind, error.code, audit_details)
        return outcome
    return ImportOutcome(checked, result, refused)


def _record_refusal(
    engine, outcome: ImportOutcome, uploaded_by: str, source_kind: str, code=None, details=None
):
    """A refused import leaves no submission, but an event: who tried what, and why not."""
    report = outcome.checked.report
    codes = sorted({issue.code for issue in report.errors} | ({code} if code else set()))
    offices = {p.draft.office_id for p in outcome.checked.plans if p.draft.office_id}
    data_audit.record_event(
        engine,
        uploaded_by,
        "import-refused",
        object_type="file",
        object_id=report.file_name,
        office_id=offices.pop() if len(offices) == 1 else None,
        details={
            "file": report.file_name,
            "sha256": report.sha256,
            "source": source_kind,
            "codes": codes,
            "why": outcome.refusal,
            **(details or {}),
        },
    )
