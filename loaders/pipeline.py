"""Check and import workbooks: read → layouts → offices → checks → scores → (import).

`check_file` is the dry run behind `python -m loaders check` and the upload page's preview: it
writes nothing, applies every rule the import applies (the uploader's scope, fiscal years the
dashboard knows, strict mode) and scores everything it can, whatever else is wrong and whether
or not the office is known. `import_file` runs the same steps and stores the importable plans
through data/imports.py in one transaction (all or nothing for the workbook).

A defect stops only what it touches (scoring.md section 5): a plan is refused only when it
cannot be placed (no indicator rows, no plan type or fiscal year, no office matched, outside
the scope, given twice); an indicator an error touches is stored as "needs correction" and
counts 0. In strict mode a plan with any error is refused, as before.
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

from core.drafts import IndicatorDraft, PlanDraft
from core.issues import Issue, make_issue
from data import audit as data_audit
from data import imports as data_imports
from data import office_match
from data.rules import fiscal_year_labels
from data.scope import Scope
from data.scores import rules_for_year
from loaders.checks import check_plan, mark_needs_correction
from loaders.layouts import read_sheet
from loaders.lengths import file_name_issue, length_issues, shorter_file_name
from loaders.normalise import fiscal_year_bounds
from loaders.read import Limits, UnreadableWorkbook, read_workbook
from loaders.report import FileReport
from scoring import NEEDS_CORRECTION, Rules, is_own, plan_score, score_rows

LEVELS = (100, 90, 80, 70, 60)
NOTES_SHEETS = ("নির্দেশনা", "instruction")  # a template's own instructions: not a plan


@dataclass
class CheckedPlan:
    """One plan found in a workbook, with its office match, its issues and its scores."""

    draft: PlanDraft
    office: office_match.OfficeMatch | None = None
    issues: list[Issue] = field(default_factory=list)
    score: dict | None = None  # the plan's own totals (scoring.plan_score) at its quarter
    # raw, weighted, status per indicator (draft order), the governance rows included
    indicator_scores: list[dict] = field(default_factory=list)
    strict: bool = False  # refuse the plan for any error, not only for plan-level ones

    @property
    def ok(self) -> bool:
        """No error at all."""
        return not any(issue.severity == "error" for issue in self.issues)

    @property
    def refusals(self) -> list[Issue]:
        """The errors that keep the plan out of the database (every error in strict mode)."""
        if self.strict:
            return [issue for issue in self.issues if issue.severity == "error"]
        return [issue for issue in self.issues if issue.refuses_plan]

    @property
    def importable(self) -> bool:
        return not self.refusals

    @property
    def needs_correction(self) -> list[IndicatorDraft]:
        """Indicators stored as "needs correction" (an error touches them)."""
        statuses = [s.get("status") for s in self.indicator_scores] or [None] * len(
            self.draft.indicators
        )
        return [
            ind
            for ind, status in zip(self.draft.indicators, statuses, strict=True)
            if ind.defect or status == NEEDS_CORRECTION or _unreadable(ind)
        ]


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
    scope: Scope | None = None,
    strict: bool = False,
) -> CheckedFile:
    """Read, normalise, match offices, check and score one workbook; write nothing.

    `office` names the office for every plan that does not name its own (an agency matrix
    names one office per column): an id, a code such as "min:ictd", or a name. `scope` is the
    uploader's: a plan for an office outside it is refused, as the import would. `strict`
    refuses a plan with any error.
    """
    path, name = _source_name(source, file_name)
    long_name = file_name_issue(name)
    name = shorter_file_name(name)  # what the record keeps
    try:
        try:
            workbook = read_workbook(source, file_name=name, limits=limits or Limits())
        except OSError as error:  # a missing, unreadable or non-file path
            raise UnreadableWorkbook(
                "unreadable-workbook",
                name,
                variant="cannot_open",
                reason=error.strerror or error,
            ) from error
    except UnreadableWorkbook as error:
        sha = hashlib.sha256(source).hexdigest() if isinstance(source, bytes) else None
        report = FileReport(path=path, file_name=name, sha256=sha, plans=[], issues=[])
        report.add(error.issue(name))
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
        _match_offices(engine, checked, office, name, scope)
        checked = _plans_for_their_offices(checked, report, name)
    known_years = _known_years(engine)
    rules: dict[str, tuple] = {}  # fiscal year → (Rules, start), read once per workbook
    for plan in checked:
        plan.strict = strict
        plan.issues.extend(_fact_issues(plan.draft, known_years))
        plan.issues.extend(check_plan(plan.draft))
        plan.issues.extend(length_issues(plan.draft))
        mark_needs_correction(plan.draft, plan.issues)
        _score(engine, plan, rules)
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


def _known_years(engine) -> set[str] | None:
    """The fiscal years the dashboard holds (None without a database: not checked)."""
    return None if engine is None else fiscal_year_labels(engine)


def _match_offices(
    engine, plans: list[CheckedPlan], named: str | None, file_name: str, scope: Scope | None
) -> None:
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


def _fact_issues(draft: PlanDraft, known_years: set[str] | None) -> list[Issue]:
    issues = []
    where = {"file": draft.file_name, "sheet": draft.sheet}
    if draft.plan_type is None:
        issues.append(make_issue("plan-type-unknown", **where, value=draft.title or draft.sheet))
    if draft.fiscal_year is None:
        issues.append(make_issue("fiscal-year-unknown", **where, value=draft.title or draft.sheet))
    elif known_years is not None and draft.fiscal_year not in known_years:
        issues.append(make_issue("fiscal-year-unknown", **where, value=draft.fiscal_year))
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


def _unreadable(ind: IndicatorDraft) -> bool:
    return any(a.status == "unreadable" for a in ind.achievements)


def indicator_frame(draft: PlanDraft) -> pd.DataFrame:
    """A plan draft's indicators in the shape scoring.score_rows takes."""
    rows = []
    for ind in draft.indicators:
        row = {
            "unit_kind": ind.unit_kind,
            "weight": np.nan if ind.weight is None else float(ind.weight),
            "method": ind.method,
            "defect": ind.defect,
            "governance_plan_type": ind.governance_plan_type,
            "todate_q": np.nan,
            "todate_a": np.nan,
            "todate_s": None,
        }
        for level in LEVELS:
            row[f"t{level}"] = _number(ind.targets.get(level), ind.unit_kind)
        for q in range(1, 5):
            row[f"q{q}"] = _number(ind.quarter_targets.get(q), ind.unit_kind)
            row[f"a{q}"] = np.nan
            row[f"s{q}"] = None
        for achievement in ind.achievements:
            q = achievement.quarter
            if achievement.to_date:
                if np.isnan(row["todate_q"]) or q >= row["todate_q"]:
                    row["todate_q"] = float(q)
                    row["todate_a"] = _number(achievement.value, ind.unit_kind)
                    row["todate_s"] = achievement.status
                continue
            row[f"a{q}"] = _number(achievement.value, ind.unit_kind)
            row[f"s{q}"] = achievement.status
        rows.append(row)
    return pd.DataFrame(rows)


def _rules(engine, fiscal_year: str, known: dict[str, tuple]) -> tuple:
    """(Rules, start date) of the fiscal year; the defaults when the dashboard does not hold
    the year, or without a database."""
    if fiscal_year not in known:
        found = None
        if engine is not None:
            with engine.connect() as connection:
                found = rules_for_year(connection, fiscal_year)
        known[fiscal_year] = found or (Rules(), fiscal_year_bounds(fiscal_year)[0])
    return known[fiscal_year]


def _score(engine, plan: CheckedPlan, known_rules: dict[str, tuple]) -> None:
    """Every score the draft allows, with the fiscal year's rules: the office is not needed."""
    draft = plan.draft
    quarter = draft.quarter or (max(draft.reported_quarters) if draft.reported_quarters else None)
    if quarter is None or not draft.indicators or draft.fiscal_year is None:
        return
    rules, start = _rules(engine, draft.fiscal_year, known_rules)
    frame = indicator_frame(draft)
    # The annual evaluation (a report to date at Q4): an indicator it leaves out counts 0.
    year_end = quarter == 4 and draft.is_to_date_report(4) and rules.year_end_unreported_is_zero
    scored = score_rows(frame, rules, start, quarter, year_end=year_end)
    scored["weight"] = frame["weight"]
    own = is_own(frame).to_numpy()
    plan.score = (plan_score(scored[own]) if own.any() else {}) | {"quarter": quarter}
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
    status = scores.get("status")
    scorable = (
        status != NEEDS_CORRECTION
        and ind.defect is None
        and not _unreadable(ind)
        and any(ind.targets.get(level) is not None for level in LEVELS)
    )
    found = {
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
        # A report to date (the annual evaluation) gives its figure at its quarter (Q4).
        "achievements": {str(a.quarter): _json_value(_numeric(a.value)) for a in ind.achievements},
        "achievements_to_date": any(a.to_date for a in ind.achievements),
        "scorable": scorable,
        "needs_correction": None if scorable else (ind.defect or _achievement_defect(ind)),
        "raw_score": scores.get("raw_score") if scorable else None,
        "weighted_score": scores.get("weighted_score") if scorable else None,
        "status": status,
        "sheet": ind.sheet,
        "row": ind.row,
    }
    if ind.is_governance:
        found["plan_type"] = ind.governance_plan_type
        found["marks"] = found["weighted_score"]  # marks obtained, capped at the weight
    return found


def _achievement_defect(ind: IndicatorDraft) -> str | None:
    return "unreadable-achievement" if _unreadable(ind) else None


def _numeric(value):
    """Numbers and dates as themselves; a text answer has no value in the JSON."""
    return None if isinstance(value, str) else value


def _office_json(plan: CheckedPlan) -> dict | None:
    if plan.office is None:
        return None
    return {
        "id": plan.office.office_id,
        "code": plan.office.code,
        "name_bn": plan.office.name_bn,
        "name_en": plan.office.name_en,
        "as_written": plan.draft.office_text,
        "confidence": round(plan.office.score, 1),
    }


def to_json(checked: CheckedFile) -> dict:
    """The document of `python -m loaders check --json` for one file.

    Each plan gives its own indicators (`indicators`; an APA's own part, out of its 70) and,
    for an APA, its governance rows apart (`governance`: the five action plans' marks, 30);
    `score` is the plan's own score; every scorable indicator has its raw and weighted score.
    `importable` says whether the import would store the plan, and `refused_because` why not.
    """
    plans = []
    for plan in checked.plans:
        draft = plan.draft
        scores = plan.indicator_scores or [None] * len(draft.indicators)
        rows = [
            (ind, _indicator_json(ind, s)) for ind, s in zip(draft.indicators, scores, strict=True)
        ]
        own = [found for ind, found in rows if not ind.is_governance]
        governance = [found for ind, found in rows if ind.is_governance]
        totals = plan.score or {}
        plans.append(
            {
                "sheet": draft.sheet,
                "plan_type": draft.plan_type,
                "fiscal_year": draft.fiscal_year,
                "office": _office_json(plan),
                "office_as_written": draft.office_text,
                "quarter": draft.quarter,
                "layout": draft.layout,
                "ok": plan.ok,
                "importable": plan.importable,
                "refused_because": sorted({issue.code for issue in plan.refusals}),
                "total_weight": draft.total_weight,
                "areas": [
                    {"code": a.code, "name": a.name, "weight": a.weight, "section": a.section}
                    for a in draft.areas
                    if a.section != "governance"
                ],
                "score": _plain(totals.get("score")),
                "percent": _plain(totals.get("percent")),
                "needs_correction": sum(
                    1 for found in own if not found["scorable"] and found["needs_correction"]
                ),
                "indicators": own,
                "governance": governance,
                "governance_weight": sum(g["weight"] or 0 for g in governance)
                if governance
                else None,
                "governance_marks": None
                if not governance or all(g["marks"] is None for g in governance)
                else sum(g["marks"] or 0 for g in governance),
            }
        )
    return {
        "path": checked.path,
        "ok": checked.ok,
        "importable": any(plan.importable for plan in checked.plans),
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
        """added, partial (some plans left out), unchanged, or refused."""
        if self.result is None:
            return "refused"
        if self.result.status == "added" and self.refused_plans:
            return "partial"
        return self.result.status


def left_out_reasons(plan: CheckedPlan) -> tuple[str, str]:
    """Why a plan was left out of an import, in English and Bengali (its refusing errors)."""
    seen_en, seen_bn = [], []
    for issue in plan.refusals:
        if issue.text_en not in seen_en:
            seen_en.append(issue.text_en)
            seen_bn.append(issue.text_bn)
    return "; ".join(seen_en), "; ".join(seen_bn)


def _reasons(plans: list[CheckedPlan]) -> tuple[str, str]:
    parts = [(p.draft.sheet, *left_out_reasons(p)) for p in plans]
    return (
        " · ".join(f"sheet '{sheet}': {en}" for sheet, en, _bn in parts),
        " · ".join(f"শিট '{sheet}': {bn}" for sheet, _en, bn in parts),
    )


def _file_reasons(checked: CheckedFile) -> tuple[str, str]:
    errors = checked.report.errors
    return "; ".join(i.text_en for i in errors), "; ".join(i.text_bn for i in errors)


def import_file(
    engine,
    source: str | os.PathLike | bytes,
    *,
    file_name: str | None = None,
    office: str | None = None,
    uploaded_by: str = "cli",
    source_kind: str = "cli",
    scope: Scope | None = None,
    limits: Limits | None = None,
    strict: bool = False,
    audit_details: dict | None = None,
) -> ImportOutcome:
    """Check the workbook (with the uploader's scope), then store its importable plans in one
    transaction: every plan that can be placed, its indicators that need correction marked
    (in strict mode, only plans without any error).

    A workbook none of whose plans can be stored, or whose storing fails, leaves the database
    exactly as it was; `refused_plans` names the plans left out, each with its reasons.
    `scope` must be given (`data.scope.EVERYTHING` for a national import): without one the
    import is refused (`scope-missing`), it never means every office.
    """
    checked = check_file(
        source,
        file_name=file_name,
        engine=engine,
        office=office,
        limits=limits,
        scope=scope,
        strict=strict,
    )
    good = [p for p in checked.plans if p.importable]
    refused = [p for p in checked.plans if not p.importable]
    if not good or checked.sha256 is None:
        reasons_en, reasons_bn = _reasons(refused) if refused else _file_reasons(checked)
        nothing = make_issue("workbook-not-imported")
        outcome = ImportOutcome(
            checked,
            None,
            refused,
            nothing.text_en + (f": {reasons_en}" if reasons_en else ""),
            nothing.text_bn + (f": {reasons_bn}" if reasons_bn else ""),
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
