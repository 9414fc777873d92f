"""The report of one checked workbook: every issue, capped, as JSON and as a table; and the
JSON document of `python -m loaders check --json` (`to_json`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from core.drafts import IndicatorDraft, PlanDraft
from core.issues import Issue, make_issue
from core.terms import NEEDS_CORRECTION, TARGET_LEVELS

if TYPE_CHECKING:
    from loaders.pipeline import CheckedFile, CheckedPlan

MAX_ISSUES = 200
ISSUE_KEYS = (
    "severity",
    "code",
    "part",
    "sheet",
    "row",
    "column",
    "value",
    "message_bn",
    "message_en",
)


@dataclass
class FileReport:
    path: str
    file_name: str
    sha256: str | None
    plans: list[PlanDraft] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    left_out: int = 0  # issues past MAX_ISSUES, counted not kept
    error_count: int = 0  # every error, kept or left out: one is enough to refuse

    def __post_init__(self) -> None:
        self._kept: tuple[list[Issue], set[Issue]] = (self.issues, set(self.issues))

    def add(self, issue: Issue) -> None:
        # An agency matrix gives one plan per office from the same rows: one issue each. The
        # kept issues as a set (issues are frozen, so hashable): `issue in self.issues`
        # compared it field by field with every one (a tuple of 12 fields each time).
        issues, kept = self._kept
        if issues is not self.issues or len(kept) != len(issues):  # changed outside add()
            issues, kept = self._kept = (self.issues, set(self.issues))
        if issue in kept:
            return
        self.error_count += issue.severity == "error"
        if len(issues) < MAX_ISSUES:
            issues.append(issue)
            kept.add(issue)
        else:
            self.left_out += 1

    def finish(self) -> None:
        """Errors first; then the one warning that counts what the cap left out."""
        self.issues.sort(key=lambda i: (i.severity != "error", i.sheet or "", i.row or 0))
        if self.left_out:
            self.issues.append(
                make_issue("too-many-issues", file=self.file_name, value=self.left_out)
            )
            self.left_out = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def issues_json(self) -> list[dict]:
        return [{k: getattr(i, k) for k in ISSUE_KEYS} for i in self.issues]


def issues_frame(reports: list[FileReport]) -> pd.DataFrame:
    """One row per issue of every report (the upload page's table and its download)."""
    rows = [{"file": r.file_name, **i.to_dict()} for r in reports for i in r.issues]
    columns = [
        "file",
        "severity",
        "code",
        "part",
        "sheet",
        "row",
        "column",
        "value",
        "message_bn",
        "message_en",
        "text_bn",
        "text_en",
    ]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- the JSON document


def unreadable(ind: IndicatorDraft) -> bool:
    """An achievement of the indicator could not be read."""
    return any(a.status == "unreadable" for a in ind.achievements)


def plain(value):
    """A score as a plain float rounded to 6 places; None for a missing one."""
    if isinstance(value, float):  # the usual score (numpy's floats are floats): no pd.isna
        return None if value != value else round(float(value), 6)
    return None if value is None or pd.isna(value) else round(float(value), 6)


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
        and not unreadable(ind)
        and any(ind.targets.get(level) is not None for level in TARGET_LEVELS)
    )
    found = {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit_kind,
        "unit_label": ind.unit_label,
        "weight": ind.weight,
        "method": ind.method,
        "targets": {
            str(level): _json_value(_numeric(ind.targets.get(level))) for level in TARGET_LEVELS
        },
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
    return "unreadable-achievement" if unreadable(ind) else None


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
                "score": plain(totals.get("score")),
                "percent": plain(totals.get("percent")),
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
