"""The data model (SQLAlchemy 2.0, typed).

Read docs/architecture.md first. In short:

- the office tree (`Office`, with a materialised `path` for subtree queries) and the
  geography it sits in (`AdminDivision`, `District`, `Upazila`);
- fiscal years and their rule sets (`FiscalYear`, `RuleSet`, `RuleSetPlanType`,
  `RuleSetLevel`, `RuleSetDeadline`): the scoring rules and the reporting calendar are data,
  because they change by year;
- what offices send (`Submission`) and what it holds: plans (`Plan`, `Area`, `Activity`,
  `Indicator`) and quarterly progress (`ProgressReport`, `Progress`);
- the stored scores the dashboard reads (`IndicatorScore`, `PlanScore`, `OfficeScore`) and
  the digests a full rebuild finds changes by (`ScoreDigest`);
- users and the audit trail (`User`, `AuditEvent`).

Dates in score tables (achieved/expected/projected of date indicators) are day numbers
(`date.toordinal()`), the same numbers scoring.md interpolates on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


# --------------------------------------------------------------------------- geography


class AdminDivision(Base):
    """One of the 8 administrative divisions (বিভাগ)."""

    __tablename__ = "admin_divisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_bn: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class District(Base):
    """One of the 64 districts (জেলা)."""

    __tablename__ = "districts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin_division_id: Mapped[int] = mapped_column(ForeignKey("admin_divisions.id"), index=True)
    name_bn: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class Upazila(Base):
    """One of the 495 upazilas (উপজেলা)."""

    __tablename__ = "upazilas"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    name_bn: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


# --------------------------------------------------------------------------- offices


class Office(Base):
    """A government office: ministry/division, agency, divisional, district or upazila office.

    `path` is the materialised path of ids from the top ("/3/41/977/"), so a subtree is
    `path LIKE '/3/41/%'` — used by drill-down and by access scopes. `ministry_id` and
    `agency_id` repeat the ancestors at those levels so filters need no recursion.
    """

    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name_bn: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    short_bn: Mapped[str | None] = mapped_column(String(60))
    short_en: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    admin_division_id: Mapped[int | None] = mapped_column(ForeignKey("admin_divisions.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    upazila_id: Mapped[int | None] = mapped_column(ForeignKey("upazilas.id"))
    path: Mapped[str] = mapped_column(String(200), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    parent: Mapped[Office | None] = relationship(remote_side=[id], foreign_keys=[parent_id])


# --------------------------------------------------------------------------- rules


class PlanType(Base):
    """apa, nis, egov, grs, citizen_charter, rti."""

    __tablename__ = "plan_types"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_bn: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer)


class RuleSet(Base):
    """The scoring rules of one or more fiscal years (scoring.md): data, not constants."""

    __tablename__ = "rule_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_bn: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # "interpolate" (linear between levels) or "step" (the lower level's score).
    between_levels: Mapped[str] = mapped_column(String(20), default="interpolate")
    # Projected score below this is lagging (পিছিয়ে আছে); 80 = উত্তম.
    lagging_threshold: Mapped[float] = mapped_column(Float, default=80.0)
    # At the year-end evaluation an unreported indicator counts 0.
    year_end_unreported_is_zero: Mapped[bool] = mapped_column(Boolean, default=True)
    # Days after a quarter's end by which its report is due (timeliness).
    report_due_days: Mapped[int] = mapped_column(Integer, default=10)
    description: Mapped[str | None] = mapped_column(Text)

    plan_types: Mapped[list[RuleSetPlanType]] = relationship(
        cascade="all, delete-orphan", order_by="RuleSetPlanType.sort_order"
    )
    levels: Mapped[list[RuleSetLevel]] = relationship(
        cascade="all, delete-orphan", order_by="RuleSetLevel.level.desc()"
    )
    deadlines: Mapped[list[RuleSetDeadline]] = relationship(
        cascade="all, delete-orphan", order_by="RuleSetDeadline.sort_order"
    )


class RuleSetPlanType(Base):
    """A plan type's marks in the composite score (APA 70, NIS 10, e-Gov 10, GRS 4, CC 3, RTI 3)."""

    __tablename__ = "rule_set_plan_types"
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"), primary_key=True)
    plan_type: Mapped[str] = mapped_column(ForeignKey("plan_types.code"), primary_key=True)
    marks: Mapped[float] = mapped_column(Float)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class RuleSetLevel(Base):
    """One of the five target levels and its names (অসাধারণ 100 ... চলতি মানের নিম্নে 60)."""

    __tablename__ = "rule_set_levels"
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_bn: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class RuleSetDeadline(Base):
    """A date of the APA calendar (domain.md): when a quarter's progress report, the annual
    report, the half-yearly review or the results are due. For the fiscal year starting on
    1 July of year Y the date is (Y + year_offset, month, day); `quarter` names the quarter
    whose report it is (4: the annual report), None for the other events."""

    __tablename__ = "rule_set_deadlines"
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"), primary_key=True)
    event: Mapped[str] = mapped_column(String(30), primary_key=True)
    quarter: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    year_offset: Mapped[int] = mapped_column(Integer, default=0)
    name_bn: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class FiscalYear(Base):
    """A fiscal year, July to June, labelled "2024-25"."""

    __tablename__ = "fiscal_years"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(7), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"))
    # "apa" up to 2024-25; the successor performance system from 2025-26 on.
    system: Mapped[str] = mapped_column(String(20), default="apa")

    rule_set: Mapped[RuleSet] = relationship()


# --------------------------------------------------------------------------- submissions


class Submission(Base):
    """One imported workbook. Refused workbooks leave no row (the database stays as it was)."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # The same bytes for the same offices are one submission (re-importing them changes
    # nothing); for other offices they are another. sha256 of the file's sha256 and the ids
    # of the offices its stored plans are for (data.imports.duplicate_key).
    duplicate_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(String(20), default="upload")  # upload, cli, demo
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    plan_count: Mapped[int] = mapped_column(Integer, default=0)
    indicator_count: Mapped[int] = mapped_column(Integer, default=0)
    progress_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    # The validation report as JSON ({"issues": [...], ...}).
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


# --------------------------------------------------------------------------- plans


class Plan(Base):
    """An office's plan of one type for one fiscal year, in one revision.

    A newer revision supersedes the older (`is_current` False, `superseded_by_id` set);
    the older stays, with its progress, as history.
    """

    __tablename__ = "plans"
    __table_args__ = (
        Index("ix_plans_current", "office_id", "fiscal_year_id", "plan_type", "is_current"),
        Index("ix_plans_fy_type", "fiscal_year_id", "plan_type"),
        # The plan a new revision superseded, found by an import (data.imports).
        Index("ix_plans_superseded_by", "superseded_by_id"),
        # One current plan per office, fiscal year and plan type, whatever runs at once.
        Index(
            "ux_plans_one_current",
            "office_id",
            "fiscal_year_id",
            "plan_type",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"))
    plan_type: Mapped[str] = mapped_column(ForeignKey("plan_types.code"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)  # the title line as written
    sheet_name: Mapped[str | None] = mapped_column(String(100))
    total_weight: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    areas: Mapped[list[Area]] = relationship(order_by="Area.sort_order", viewonly=True)
    indicators: Mapped[list[Indicator]] = relationship(
        order_by="Indicator.sort_order", viewonly=True
    )


class Area(Base):
    """কর্মসম্পাদন ক্ষেত্র / কৌশলগত উদ্দেশ্য, with its weight (মান)."""

    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    weight: Mapped[float | None] = mapped_column(Float)
    weight_raw: Mapped[str | None] = mapped_column(String(60))


class Activity(Base):
    """কার্যক্রম, code like [১.১] → "1.1"."""

    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    sort_order: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(20))
    code_raw: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text)


class Indicator(Base):
    """কর্মসম্পাদন সূচক: a unit, a weight, five targets, and how quarters combine.

    Targets are numbers (`target_100`...) or, for date indicators, dates
    (`target_100_date`...); `targets_raw` keeps them as written. Percent values are on a
    0-100 scale.
    """

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    sort_order: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(20))  # normalised, ASCII: "1.1.1"
    code_raw: Mapped[str | None] = mapped_column(String(60))  # as written: "[[১.১.১]"
    name: Mapped[str] = mapped_column(Text)
    unit_label: Mapped[str | None] = mapped_column(String(60))  # as written: "সংখ্যা"
    unit_kind: Mapped[str] = mapped_column(String(10))  # number, percent, date
    weight: Mapped[float | None] = mapped_column(Float)
    weight_raw: Mapped[str | None] = mapped_column(String(60))
    method: Mapped[str | None] = mapped_column(String(12))  # sum, cumulative, average, date
    target_100: Mapped[float | None] = mapped_column(Float)
    target_90: Mapped[float | None] = mapped_column(Float)
    target_80: Mapped[float | None] = mapped_column(Float)
    target_70: Mapped[float | None] = mapped_column(Float)
    target_60: Mapped[float | None] = mapped_column(Float)
    target_100_date: Mapped[dt.date | None] = mapped_column(Date)
    target_90_date: Mapped[dt.date | None] = mapped_column(Date)
    target_80_date: Mapped[dt.date | None] = mapped_column(Date)
    target_70_date: Mapped[dt.date | None] = mapped_column(Date)
    target_60_date: Mapped[dt.date | None] = mapped_column(Date)
    targets_raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"100": "০৯/০৩/২৫", ...}
    # Quarterly targets (the NIS plan); dates as ISO strings in quarter_targets_raw.
    q1_target: Mapped[float | None] = mapped_column(Float)
    q2_target: Mapped[float | None] = mapped_column(Float)
    q3_target: Mapped[float | None] = mapped_column(Float)
    q4_target: Mapped[float | None] = mapped_column(Float)
    quarter_targets_raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    annual_target_raw: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(300))
    # Earlier years' actuals: [{"fiscal_year": "2022-23", "value": 12.0, "raw": "১২"}].
    prior_actuals: Mapped[list[Any] | None] = mapped_column(JSON)
    source_sheet: Mapped[str | None] = mapped_column(String(100))
    source_row: Mapped[int | None] = mapped_column(Integer)
    # An APA governance row (`[এম.১.১]`, unit প্রাপ্ত নম্বর): the action plan whose marks it
    # carries (nis, egov, grs, citizen_charter, rti); outside the APA's own score.
    governance_plan_type: Mapped[str | None] = mapped_column(String(20))
    # The issue code that makes the indicator "needs correction" (an unreadable target or
    # weight, a leaked number format, a ladder out of order): it counts 0 until corrected.
    defect: Mapped[str | None] = mapped_column(String(40))


# --------------------------------------------------------------------------- progress


class ProgressReport(Base):
    """An office's quarterly progress report on one plan, from one submission.

    A newer report for the same plan and quarter supersedes the older (history kept).
    Reporting completeness and timeliness are read from this table.
    """

    __tablename__ = "progress_reports"
    __table_args__ = (
        Index("ix_progress_reports_current", "plan_id", "quarter", "is_current"),
        Index("ix_progress_reports_office", "office_id", "fiscal_year_id", "quarter"),
        # A fiscal year's latest current quarter from the index alone (data.scores).
        Index("ix_progress_reports_latest", "fiscal_year_id", "is_current", "quarter"),
        # One current report per plan and quarter.
        Index(
            "ux_progress_reports_one_current",
            "plan_id",
            "quarter",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"))
    quarter: Mapped[int] = mapped_column(Integer)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id"))
    # The values are achievements to date at the end of `quarter` (a report with only a
    # to-date column; the annual evaluation at Q4), not the quarter's own figures.
    to_date: Mapped[bool] = mapped_column(Boolean, default=False)


class Progress(Base):
    """One indicator's achievement in one quarter, as a number, a date or text.

    `value_raw` keeps the text as written; `status` says what a text answer means
    ("in_progress" for কার্যক্রম চলমান রয়েছে, "not_achieved" for অর্জিত হয়নি).
    """

    __tablename__ = "progress"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    value_num: Mapped[float | None] = mapped_column(Float)
    value_date: Mapped[dt.date | None] = mapped_column(Date)
    value_text: Mapped[str | None] = mapped_column(Text)
    value_raw: Mapped[str | None] = mapped_column(Text)
    # reported, in_progress, not_achieved; unreadable (kept as written; needs correction)
    status: Mapped[str | None] = mapped_column(String(20))
    remarks: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    source_sheet: Mapped[str | None] = mapped_column(String(100))
    source_row: Mapped[int | None] = mapped_column(Integer)


# --------------------------------------------------------------------------- stored scores


class IndicatorScore(Base):
    """Scores of one indicator at the end of one quarter (scoring.md sections 1, 3, 4).

    Repeats plan, office, fiscal year and plan type so the dashboard filters without joins.
    """

    __tablename__ = "indicator_scores"
    __table_args__ = (
        Index("ix_indicator_scores_office", "office_id", "fiscal_year_id", "quarter"),
        Index("ix_indicator_scores_plan", "plan_id", "quarter"),
        # Covers the national aggregates of lagging indicators (migration 0011), and every
        # query by fiscal year, quarter and status (its prefix: migration 0013 dropped the
        # index of those three alone).
        Index(
            "ix_indicator_scores_lagging",
            "fiscal_year_id",
            "quarter",
            "status",
            "plan_id",
            "office_id",
            "plan_type",
            "score_at_risk",
        ),
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"))
    plan_type: Mapped[str] = mapped_column(String(20))
    achieved: Mapped[float | None] = mapped_column(Float)  # to date; dates as day numbers
    expected: Mapped[float | None] = mapped_column(Float)  # expected to date
    projected: Mapped[float | None] = mapped_column(Float)  # projected year-end achievement
    raw_score: Mapped[float | None] = mapped_column(Float)  # 0-100, of achieved to date
    weighted_score: Mapped[float | None] = mapped_column(Float)
    projected_score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))  # see core.terms.STATUSES
    score_at_risk: Mapped[float | None] = mapped_column(Float)
    rule: Mapped[str | None] = mapped_column(String(40))  # which rule of scoring.md applied


class PlanScore(Base):
    """A plan's score at the end of one quarter (out of its total; percent 0-100)."""

    __tablename__ = "plan_scores"
    __table_args__ = (Index("ix_plan_scores_fyq", "fiscal_year_id", "quarter", "plan_type"),)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"))
    plan_type: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    total_weight: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    projected_percent: Mapped[float | None] = mapped_column(Float)
    indicator_count: Mapped[int] = mapped_column(Integer, default=0)
    reported_count: Mapped[int] = mapped_column(Integer, default=0)
    lagging_count: Mapped[int] = mapped_column(Integer, default=0)


class OfficeScore(Base):
    """An office's composite (APA) score at the end of one quarter, out of 100."""

    __tablename__ = "office_scores"
    __table_args__ = (Index("ix_office_scores_fyq", "fiscal_year_id", "quarter"),)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    composite: Mapped[float | None] = mapped_column(Float)
    projected_composite: Mapped[float | None] = mapped_column(Float)
    plan_count: Mapped[int] = mapped_column(Integer, default=0)
    reported_plan_count: Mapped[int] = mapped_column(Integer, default=0)
    lagging_count: Mapped[int] = mapped_column(Integer, default=0)
    score_at_risk: Mapped[float | None] = mapped_column(Float)


class ScoreDigest(Base):
    """A digest of one plan's stored indicator score rows (data/scores.py writes it with them):
    a full rebuild compares its new rows' digest with this one, and its row count with the
    table's, instead of reading a million stored rows back to find what changed."""

    __tablename__ = "score_digests"
    plan_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[int] = mapped_column(BigInteger)


# --------------------------------------------------------------------------- users, audit


class User(Base):
    """A user with a role scoped to the office tree (scope_office_id NULL = everything)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))  # argon2; NULL for OIDC
    # cabinet (everything), ministry, agency, office: the scope's level.
    scope_level: Mapped[str] = mapped_column(String(20))
    scope_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    can_upload: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # unused: see SignInLimit
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Bumped on deactivation, password change and "sign out everywhere": a session (or a
    # signed cookie) carrying an older epoch is over.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class BrowserSession(Base):
    """A signed-in browser (data/sessions.py): its cookie holds a signed random token, the
    table its SHA-256, so a reload resumes the session and sign-out ends it server-side.
    A session of an older `epoch` than its user's is over (deactivation, password change,
    "sign out everywhere")."""

    __tablename__ = "browser_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SignInLimit(Base):
    """Sign-in attempts counted per username, per client address and in all (data/users.py):
    each attempt is reserved here, atomically, before its password is checked."""

    __tablename__ = "sign_in_limits"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # user:x, address:y, all
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed or still being checked
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who imported, superseded, changed or downloaded what, and when. Insert-only (triggers
    refuse UPDATE and DELETE, migration 0004); each event's `hash` covers its content and the
    previous event's hash, so a changed, removed or inserted row breaks the chain
    (`python -m data.audit verify`)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    username: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(100))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class DataVersion(Base):
    """One row (id 1) whose version every import and rebuild bumps in its own transaction:
    app servers key their caches by it (dashboard/cache.py, data.db.data_version)."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class AppMeta(Base):
    """Key/value facts about this database, e.g. demo=1 when it holds demo data."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
