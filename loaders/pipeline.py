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
from core.terms import ACHIEVEMENT_STATUSES, METHODS, QUARTERS, TARGET_LEVELS, UNIT_KINDS
from data import audit as data_audit
from data import imports as data_imports
from data import office_match
from data.rules import year_rules
from data.scope import Scope
from loaders.checks import check_plan, mark_needs_correction
from loaders.layouts import read_sheet
from loaders.lengths import file_name_issue, length_issues, shorter_file_name
from loaders.normalise import fiscal_year_bounds
from loaders.offices import match_offices, plans_for_their_offices
from loaders.read import Limits, UnreadableWorkbook, read_workbook
from loaders.report import FileReport, plain, unreadable
from loaders.report import to_json as to_json  # where it was: the JSON now lives in report.py
from scoring import NEEDS_CORRECTION, Rules
from scoring.inputs import DEFAULTS
from scoring.stacked import score_columns
from scoring.totals import plan_score_of

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
            if ind.defect or status == NEEDS_CORRECTION or unreadable(ind)
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
    rules: dict[str, tuple | None] = {}
    if engine is not None:
        # Offices matched, and the fiscal years the dashboard holds with their rules (both
        # kept between files while their rows are unchanged), on one connection; without a
        # database the year is not checked.
        with engine.connect() as connection:
            match_offices(connection, checked, office, name, scope)
            rules = year_rules(connection)
        checked = plans_for_their_offices(checked, report, name)
    known_years = set(rules) if engine is not None else None
    for plan in checked:
        plan.strict = strict
        plan.issues.extend(_fact_issues(plan.draft, known_years))
        plan.issues.extend(check_plan(plan.draft))
        plan.issues.extend(length_issues(plan.draft))
        mark_needs_correction(plan.draft, plan.issues)
    _score(checked, rules)
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


NUMBERS = tuple(column for column, default in DEFAULTS.items() if default is not None)
CATEGORIES = {"unit": UNIT_KINDS, "method": METHODS}  # as positions (scoring.stacked)
REPORTS = tuple(f"s{q}" for q in QUARTERS)
TEXTS = ("todate_s", "defect", "governance_plan_type")
_NUMBER_AT = {column: n for n, column in enumerate(NUMBERS)}
_CODES = {column: {name: n for n, name in enumerate(names)} for column, names in CATEGORIES.items()}
_STATUS_AT = {name: n for n, name in enumerate(ACHIEVEMENT_STATUSES)}


def _status_code(status) -> int:
    return _STATUS_AT.get(status, -1) if isinstance(status, str) else -1


def indicator_columns(drafts: list[PlanDraft]) -> dict[str, np.ndarray]:
    """The plan drafts' indicators, one after the other, as the plain columns
    scoring.stacked.score_columns takes: numbers as floats, units, methods and report statuses
    as positions in their lists, the other text as objects. No frame: pandas' cost per column
    is more than scoring a plan of 5-40 indicators."""
    indicators = [ind for draft in drafts for ind in draft.indicators]
    count = len(indicators)
    numbers = np.full((count, len(NUMBERS)), np.nan)
    texts = {column: np.full(count, None, dtype=object) for column in TEXTS}
    codes = {column: np.full(count, -1, dtype=np.int8) for column in CATEGORIES}
    reports = {column: np.full(count, -1, dtype=np.int64) for column in REPORTS}
    weight = _NUMBER_AT["weight"]
    targets = [(level, _NUMBER_AT[f"t{level}"]) for level in TARGET_LEVELS]
    quarters = [(q, _NUMBER_AT[f"q{q}"]) for q in QUARTERS]
    todate_q, todate_a = _NUMBER_AT["todate_q"], _NUMBER_AT["todate_a"]
    defect, governs, todate_s = texts["defect"], texts["governance_plan_type"], texts["todate_s"]
    for at, ind in enumerate(indicators):
        row = numbers[at]
        codes["unit"][at] = _CODES["unit"].get(ind.unit_kind, -1)  # -1: missing
        codes["method"][at] = _CODES["method"].get(ind.method, -1)
        defect[at], governs[at] = ind.defect, ind.governance_plan_type
        row[weight] = np.nan if ind.weight is None else float(ind.weight)
        for level, column in targets:
            row[column] = _number(ind.targets.get(level), ind.unit_kind)
        for q, column in quarters:
            row[column] = _number(ind.quarter_targets.get(q), ind.unit_kind)
        for achievement in ind.achievements:
            q = achievement.quarter
            if achievement.to_date:
                if np.isnan(row[todate_q]) or q >= row[todate_q]:
                    row[todate_q] = float(q)
                    row[todate_a] = _number(achievement.value, ind.unit_kind)
                    todate_s[at] = achievement.status
                continue
            row[_NUMBER_AT[f"a{q}"]] = _number(achievement.value, ind.unit_kind)
            reports[f"s{q}"][at] = _status_code(achievement.status)
    columns = {column: numbers[:, n] for n, column in enumerate(NUMBERS)}
    return columns | texts | codes | reports


def _rules(fiscal_year: str, known: dict[str, tuple | None]) -> tuple:
    """(Rules, start date) of the fiscal year; the defaults when the dashboard does not hold
    the year, or without a database."""
    return known.get(fiscal_year) or (Rules(), fiscal_year_bounds(fiscal_year)[0])


def _score(plans: list[CheckedPlan], known_rules: dict[str, tuple | None]) -> None:
    """Every score the drafts allow, with their fiscal year's rules: the office is not needed.

    Plans of one fiscal year scored at one quarter are scored together (one call of the
    kernel for the workbook's sheets: every row is scored on its own)."""
    groups: dict[tuple, list[tuple[CheckedPlan, int]]] = {}
    for plan in plans:
        draft = plan.draft
        quarter = draft.quarter or (
            max(draft.reported_quarters) if draft.reported_quarters else None
        )
        if quarter is None or not draft.indicators or draft.fiscal_year is None:
            continue
        rules, _start = _rules(draft.fiscal_year, known_rules)
        # The annual evaluation (a report to date at Q4): an indicator it leaves out counts 0.
        year_end = quarter == 4 and draft.is_to_date_report(4) and rules.year_end_unreported_is_zero
        groups.setdefault((draft.fiscal_year, quarter, year_end), []).append((plan, quarter))
    for (fiscal_year, quarter, year_end), members in groups.items():
        rules, start = _rules(fiscal_year, known_rules)
        columns = indicator_columns([plan.draft for plan, _q in members])
        scored = score_columns(columns, rules, start, quarter, quarter, year_end)
        weight = columns["weight"]
        own = pd.isna(columns["governance_plan_type"])
        raw = scored["raw_score"]
        weighted = scored["weighted_score"]
        status = scored["status"]
        projected = scored["projected_score"]
        first = 0
        for plan, _q in members:
            rows = slice(first, first + len(plan.draft.indicators))
            first += len(plan.draft.indicators)
            mine = own[rows]
            if len(members) == 1 and mine.all():  # the usual workbook: one plan, all its own
                totals = plan_score_of(weight, weighted, projected, raw, status)
            elif mine.any():  # the plan's own rows, taken in one step
                take = rows.start + np.flatnonzero(mine)
                totals = plan_score_of(
                    weight[take], weighted[take], projected[take], raw[take], status[take]
                )
            else:
                totals = {}
            plan.score = totals | {"quarter": quarter}
            plan.indicator_scores = [
                {"raw_score": plain(r), "weighted_score": plain(w), "status": st}
                for r, w, st in zip(
                    raw[rows].tolist(), weighted[rows].tolist(), status[rows].tolist(), strict=True
                )  # Python floats: numpy's scalars cost more to make, and round the same
            ]


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
