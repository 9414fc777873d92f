"""What a workbook holds, after reading and normalising and before checking and storing.

The layouts (loaders/layouts.py) turn sheets into `PlanDraft`s; the checks read drafts and
yield issues; the importer stores drafts through data/. Every draft remembers where it came
from (sheet, row, column letter) so each problem can be located.

Values are already normalised: numbers as float (percent on a 0-100 scale), dates as
`datetime.date`, text answers as str with a `status`; the text as written is kept beside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Value = float | dt.date | str | None


@dataclass
class Problem:
    """Something reading or normalising met, kept on the draft for the checks to report.

    `code` is a stable issue code (core/issues.py); `column` a letter; `value` the cell as
    written; `detail` optional extra words (e.g. the value that was used instead).
    """

    code: str
    row: int | None
    column: str | None
    value: str | None
    detail: str | None = None
    # Whose entry it is: "plan" (the approved plan: codes, units, weights, targets) or
    # "report" (the office's own entries for the period: achievements and their dates).
    part: str = "plan"


@dataclass
class AreaDraft:
    """কর্মসম্পাদন ক্ষেত্র / কৌশলগত উদ্দেশ্য, with its weight (মান) when the sheet gives one."""

    name: str
    row: int
    code: str | None = None
    weight: float | None = None
    weight_raw: str | None = None
    section: str = "own"  # own, mandatory (2019-20 and earlier) or governance (see IndicatorDraft)


@dataclass
class ActivityDraft:
    """কার্যক্রম, code "1.1" from "[১.১]"."""

    name: str
    row: int
    code: str | None = None
    code_raw: str | None = None
    area_index: int | None = None  # index into PlanDraft.areas


@dataclass
class AchievementDraft:
    """One reported value: a quarter's own achievement, or (`to_date`) the achievement to date
    at the end of `quarter`, as a sheet with only a to-date column gives it (the annual
    evaluation's whole-year column is the achievement to date at the end of Q4)."""

    quarter: int
    value: Value
    kind: str  # number, percent, date, text
    raw: str | None
    row: int
    column: str  # letter, e.g. "L"
    # reported, in_progress, not_achieved; unreadable: the cell could not be read, so the
    # indicator needs correction for this quarter and the ones after it.
    status: str = "reported"
    to_date: bool = False


@dataclass
class IndicatorDraft:
    """কর্মসম্পাদন সূচক with everything the sheet says about it."""

    name: str
    sheet: str
    row: int
    code: str | None = None  # ASCII, normalised: "1.1.1"
    code_raw: str | None = None  # as written: "[[১.১.১]"
    area_index: int | None = None
    activity_index: int | None = None
    unit_label: str | None = None
    unit_kind: str = "number"  # number, percent, date
    weight: float | None = None
    weight_raw: str | None = None
    method: str | None = None  # sum, cumulative, average, date (None: default by unit)
    method_label: str | None = None
    # Five-level targets {100: v, 90: v, 80: v, 70: v, 60: v}; None = unset level.
    targets: dict[int, Value] = field(default_factory=dict)
    targets_raw: dict[int, str | None] = field(default_factory=dict)
    # Quarterly targets {1: v, ...} (the NIS plan) and the annual target as written.
    quarter_targets: dict[int, Value] = field(default_factory=dict)
    quarter_targets_raw: dict[int, str | None] = field(default_factory=dict)
    annual_target: Value = None
    annual_target_raw: str | None = None
    achievements: list[AchievementDraft] = field(default_factory=list)
    responsible: str | None = None
    # [{"fiscal_year": "2022-23", "value": 12.0, "raw": "১২"}]
    prior_actuals: list[dict] = field(default_factory=list)
    remarks: str | None = None
    evidence: str | None = None
    # Where each field was read: {"weight": "E", "target_100": "F", ...}.
    columns: dict[str, str] = field(default_factory=dict)
    # own; mandatory (the 2019-20 form's আবশ্যিক কৌশলগত উদ্দেশ্যসমুহ, scored with the rest); or
    # governance: an APA row `[এম.১.১]...` in প্রাপ্ত নম্বর that carries the marks of one annexed
    # action plan (`governance_plan_type`), outside the APA's own 70 (scoring.md section 2).
    section: str = "own"
    governance_plan_type: str | None = None
    # The issue code that makes the indicator "needs correction" (scoring.md section 5): an
    # unreadable target or weight, a leaked number format, a ladder out of order. None: scorable.
    defect: str | None = None

    @property
    def is_governance(self) -> bool:
        return self.section == "governance"


@dataclass
class PlanDraft:
    """One plan found in one sheet (or, for an agency matrix, one agency's column)."""

    file_name: str
    sheet: str
    layout: str  # standard, nis, progress, agency-matrix
    title: str | None = None  # the title lines above the table, joined
    plan_type: str | None = None  # apa, nis, egov, grs, citizen_charter, rti
    fiscal_year: str | None = None  # "2024-25"
    quarter: int | None = None  # the quarter a progress report is for
    office_text: str | None = None  # the office as the workbook names it
    office_id: int | None = None  # matched against master data (or named by the caller)
    office_name: str | None = None
    office_match_score: float | None = None  # 0-100
    # The office levels the sheet says the plan is for (a template workbook may hold a
    # district and an upazila version of one plan); empty when it does not say.
    for_levels: set[str] = field(default_factory=set)
    header_rows: list[int] = field(default_factory=list)
    areas: list[AreaDraft] = field(default_factory=list)
    activities: list[ActivityDraft] = field(default_factory=list)
    indicators: list[IndicatorDraft] = field(default_factory=list)
    # What reading and normalising met (unreadable cells, repaired codes, corrected years...).
    problems: list[Problem] = field(default_factory=list)

    @property
    def total_weight(self) -> float | None:
        """The plan's own total: an APA's governance rows are the action plans' marks, not
        part of it."""
        weights = [
            i.weight for i in self.indicators if i.weight is not None and not i.is_governance
        ]
        return sum(weights) if weights else None

    @property
    def reported_quarters(self) -> list[int]:
        return sorted({a.quarter for i in self.indicators for a in i.achievements})

    def is_to_date_report(self, quarter: int) -> bool:
        """Whether the figures for `quarter` are achievements to date (not the quarter's own)."""
        return any(
            a.to_date for i in self.indicators for a in i.achievements if a.quarter == quarter
        )
