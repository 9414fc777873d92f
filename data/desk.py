"""The Cabinet Division's desk: the queries behind the league table, the reporting calendar,
the review minutes, the overview and the lagging views (reports/ and the pages format them).

Plain functions over an Engine and a Scope returning DataFrames, like data/queries.py, and
like them filtered by the caller's scope. Two ideas of their own:

- **Score at risk in composite marks** (scoring.md section 4): an indicator's score at risk
  is in its plan's own units; lists that mix plans convert it with the plan type's marks in
  the fiscal year's rule set over the plan's total weight (`COMPOSITE_AT_RISK`). Computed
  here, in the queries, not stored: the score tables stay as data/scores.py writes them.
- **The APA calendar** is data: each rule set's due dates (`rule_set_deadlines`); a quarter's
  report is due on its deadline, or `report_due_days` after the quarter's end where a rule set
  has none.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Numeric, Select, and_, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from core.terms import LAGGING_STATUSES, PLAN_TYPES, QUARTERS
from data.models import (
    Activity,
    Area,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Office,
    OfficeScore,
    Plan,
    PlanScore,
    Progress,
    ProgressReport,
    RuleSet,
    RuleSetDeadline,
    RuleSetPlanType,
    User,
)
from data.queries import _df, _fy_filter, offices_in_scope
from data.scope import Scope
from scoring import quarter_end

# An indicator's score at risk in composite marks: × the plan type's marks / the plan total.
COMPOSITE_AT_RISK = (
    IndicatorScore.score_at_risk * RuleSetPlanType.marks / func.nullif(PlanScore.total_weight, 0)
)
MARKS_DIGITS = 9  # sums of marks in composite marks compared to this many decimals


def with_marks(query: Select) -> Select:
    """`query` (over indicator_scores) joined to what `COMPOSITE_AT_RISK` needs: the plan's
    stored total for the quarter and its type's marks in the fiscal year's rule set."""
    return (
        query.outerjoin(
            PlanScore,
            and_(
                PlanScore.plan_id == IndicatorScore.plan_id,
                PlanScore.quarter == IndicatorScore.quarter,
            ),
        )
        .join(FiscalYear, FiscalYear.id == IndicatorScore.fiscal_year_id)
        .outerjoin(
            RuleSetPlanType,
            and_(
                RuleSetPlanType.rule_set_id == FiscalYear.rule_set_id,
                RuleSetPlanType.plan_type == IndicatorScore.plan_type,
            ),
        )
    )


# ------------------------------------------------------------------ fiscal years, calendar


def previous_fiscal_year(label: str) -> str:
    """ "2024-25" → "2023-24"."""
    start = int(label[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def fiscal_year_rules(engine: Engine, fiscal_year: str) -> dict | None:
    """The fiscal year's id, start date, rule set and lagging threshold; None if unknown."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                FiscalYear.id,
                FiscalYear.label,
                FiscalYear.start_date,
                FiscalYear.rule_set_id,
                RuleSet.lagging_threshold,
                RuleSet.report_due_days,
            )
            .join(RuleSet, RuleSet.id == FiscalYear.rule_set_id)
            .where(FiscalYear.label == fiscal_year)
        ).first()
    return dict(row._mapping) if row else None


def deadlines(engine: Engine, _scope: Scope, fiscal_year: str) -> pd.DataFrame:
    """The fiscal year's calendar (the same for everyone): event, quarter, due date, names."""
    info = fiscal_year_rules(engine, fiscal_year)
    columns = ["event", "quarter", "due", "name_bn", "name_en"]
    if info is None:
        return pd.DataFrame(columns=columns)
    frame = _df(
        engine,
        select(
            RuleSetDeadline.event,
            RuleSetDeadline.quarter,
            RuleSetDeadline.month,
            RuleSetDeadline.day,
            RuleSetDeadline.year_offset,
            RuleSetDeadline.name_bn,
            RuleSetDeadline.name_en,
        )
        .where(RuleSetDeadline.rule_set_id == info["rule_set_id"])
        .order_by(RuleSetDeadline.sort_order),
    )
    year = info["start_date"].year
    frame["due"] = [
        dt.date(year + int(offset), int(month), int(day))
        for offset, month, day in zip(
            frame["year_offset"], frame["month"], frame["day"], strict=True
        )
    ]
    frame["quarter"] = frame["quarter"].astype("Int64")
    return frame[columns]


def report_due_date(engine: Engine, fiscal_year: str, quarter: int) -> dt.date | None:
    """The last day on which the quarter's report is on time (the calendar's deadline, else
    the quarter's end + the rule set's report_due_days)."""
    info = fiscal_year_rules(engine, fiscal_year)
    if info is None:
        return None
    calendar = deadlines(engine, Scope(), fiscal_year)
    match = calendar[calendar["quarter"] == quarter]
    if not match.empty:
        return match["due"].iloc[0]
    return quarter_end(info["start_date"], quarter) + dt.timedelta(days=info["report_due_days"])


def rule_set_deadlines(engine: Engine) -> pd.DataFrame:
    """Every rule set's calendar as stored (for the administrators' rules page)."""
    return _df(
        engine,
        select(
            RuleSet.name_bn.label("rule_set_bn"),
            RuleSet.name_en.label("rule_set_en"),
            RuleSetDeadline.event,
            RuleSetDeadline.name_bn,
            RuleSetDeadline.name_en,
            RuleSetDeadline.quarter,
            RuleSetDeadline.day,
            RuleSetDeadline.month,
            RuleSetDeadline.year_offset,
        )
        .join(RuleSet, RuleSet.id == RuleSetDeadline.rule_set_id)
        .order_by(RuleSet.id, RuleSetDeadline.sort_order),
    )


# ------------------------------------------------------------------ offices


def office_by_code(engine: Engine, scope: Scope, code: str) -> dict | None:
    """One office in scope by its code ("min:ictd") or id ("42"); None if not found."""
    ministry = aliased(Office)
    parent = aliased(Office)
    query = (
        select(
            Office.id,
            Office.code,
            Office.name_bn,
            Office.name_en,
            Office.short_bn,
            Office.short_en,
            Office.level,
            Office.path,
            Office.parent_id,
            Office.ministry_id,
            ministry.name_bn.label("ministry_bn"),
            ministry.name_en.label("ministry_en"),
            parent.name_bn.label("parent_bn"),
            parent.name_en.label("parent_en"),
        )
        .outerjoin(ministry, ministry.id == Office.ministry_id)
        .outerjoin(parent, parent.id == Office.parent_id)
        .where(scope.office_filter(Office.path))
    )
    code = str(code).strip()
    query = query.where(Office.id == int(code) if code.isdigit() else Office.code == code)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(row._mapping) if row else None


# ------------------------------------------------------------------ league table


def league_scores(
    engine: Engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    level: str = "ministry",
    under_id: int | None = None,
) -> pd.DataFrame:
    """Offices of `level` in scope (under office `under_id` when given) with their stored
    composites: this quarter, the previous quarter, and the same quarter a year before."""
    ministry = aliased(Office)
    parent = aliased(Office)
    query = (
        select(
            Office.id.label("office_id"),
            Office.code,
            Office.name_bn,
            Office.name_en,
            Office.level,
            ministry.name_bn.label("ministry_bn"),
            ministry.name_en.label("ministry_en"),
            parent.name_bn.label("parent_bn"),
            parent.name_en.label("parent_en"),
        )
        .outerjoin(ministry, ministry.id == Office.ministry_id)
        .outerjoin(parent, parent.id == Office.parent_id)
        .where(scope.office_filter(Office.path), Office.level == level)
        .order_by(Office.id)
    )
    if under_id is not None:
        under = select(Office.path).where(Office.id == under_id).scalar_subquery()
        query = query.where(Office.path.like(under + "%"), Office.id != under_id)
    offices = _df(engine, query)
    columns = ["composite", "projected_composite", "plan_count", "reported_plan_count"]
    if offices.empty:
        for column in columns:
            offices[column] = pd.Series(dtype=float)
        for suffix in ("_prev_q", "_last_year"):
            for column in ("composite", "projected_composite"):
                offices[column + suffix] = pd.Series(dtype=float)
        return offices

    def scores(label: str, q: int, suffix: str) -> pd.DataFrame:
        frame = _df(
            engine,
            select(OfficeScore.office_id, *(getattr(OfficeScore, c) for c in columns))
            .join(Office, Office.id == OfficeScore.office_id)
            .where(
                scope.office_filter(Office.path),
                Office.level == level,
                _fy_filter(OfficeScore.fiscal_year_id, label),
                OfficeScore.quarter == q,
            ),
        )
        return frame.rename(columns={c: c + suffix for c in columns})

    frame = offices.merge(scores(fiscal_year, quarter, ""), on="office_id", how="left")
    before = (
        scores(fiscal_year, quarter - 1, "_prev_q")
        if quarter > 1
        else pd.DataFrame(columns=["office_id"])
    )
    last_year = scores(previous_fiscal_year(fiscal_year), quarter, "_last_year")
    for extra in (before, last_year):
        frame = frame.merge(
            extra[[c for c in extra.columns if not c.startswith(("plan_", "reported_"))]],
            on="office_id",
            how="left",
        )
    for suffix in ("_prev_q", "_last_year"):
        for column in ("composite", "projected_composite"):
            if column + suffix not in frame:
                frame[column + suffix] = float("nan")
            frame[column + suffix] = pd.to_numeric(frame[column + suffix]).astype(float)
    for column in ("composite", "projected_composite"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


# ------------------------------------------------------------------ reporting calendar


def reporting_status(
    engine: Engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    ministry_id: int | None = None,
) -> pd.DataFrame:
    """Every office in scope with a current plan for the year: its plans, which of them have a
    current report for the quarter, when the first arrived, and against the due date its state:
    on_time, late or missing (some plan without a report).

    Counted per office in the database (one row per office, not one per plan: 24,000 rather
    than 144,000 at national scale); which plan types are missing comes as one flag per type."""
    ministry = aliased(Office)
    in_scope = [scope.office_filter(Office.path)]
    if ministry_id is not None:
        in_scope.append(Office.ministry_id == ministry_id)
    fy_id = select(FiscalYear.id).where(FiscalYear.label == fiscal_year).scalar_subquery()
    # A plan has at most one current report per quarter (a unique index): its arrival.
    received = ProgressReport.received_at
    missing = received.is_(None)
    per_office = (
        select(
            Plan.office_id,
            func.count(Plan.id).label("plans"),
            func.count(received).label("reported"),
            func.min(received).label("first_received"),
            func.max(received).label("last_received"),
            *(
                func.max(case((and_(missing, Plan.plan_type == code), 1), else_=0)).label(
                    f"missing_{code}"
                )
                for code in PLAN_TYPES
            ),
        )
        .join(Office, Office.id == Plan.office_id)
        .outerjoin(
            ProgressReport,
            and_(
                ProgressReport.plan_id == Plan.id,
                ProgressReport.is_current.is_(True),
                ProgressReport.quarter == quarter,
                ProgressReport.fiscal_year_id == fy_id,
            ),
        )
        .where(*in_scope, Plan.is_current.is_(True), Plan.fiscal_year_id == fy_id)
        .group_by(Plan.office_id)
        .subquery()
    )
    frame = _df(
        engine,
        select(
            Office.id.label("office_id"),
            Office.code,
            Office.name_bn,
            Office.name_en,
            Office.level,
            Office.ministry_id,
            ministry.name_bn.label("ministry_bn"),
            ministry.name_en.label("ministry_en"),
            per_office.c.plans,
            per_office.c.reported,
            per_office.c.first_received,
            per_office.c.last_received,
            *(per_office.c[f"missing_{code}"] for code in PLAN_TYPES),
        )
        .join(per_office, per_office.c.office_id == Office.id)
        .outerjoin(ministry, ministry.id == Office.ministry_id)
        .order_by(Office.id),
    )
    columns = [
        "office_id",
        "code",
        "name_bn",
        "name_en",
        "level",
        "ministry_id",
        "ministry_bn",
        "ministry_en",
        "plans",
        "reported",
        "missing_plans",
        "first_received",
        "state",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    for column in ("first_received", "last_received"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    missing_plans = pd.Series("", index=frame.index)
    for code in PLAN_TYPES:  # in the order of PLAN_TYPES: "apa,nis,..."
        missing_plans += np.where(frame[f"missing_{code}"].astype(bool), code + ",", "")
    frame["missing_plans"] = missing_plans.str.removesuffix(",")
    due = report_due_date(engine, fiscal_year, quarter)
    deadline = pd.Timestamp(dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min, dt.UTC))
    frame["state"] = "on_time"
    frame.loc[frame["last_received"] >= deadline, "state"] = "late"
    frame.loc[frame["reported"] < frame["plans"], "state"] = "missing"
    frame["due"] = due
    return frame[[*columns, "due"]]


def focal_points(engine: Engine, scope: Scope, office_ids: list[int]) -> dict[int, str]:
    """Who answers for an office's reports, where known: the active users scoped to exactly
    that office who may upload ("name <e-mail>")."""
    if not office_ids:
        return {}
    frame = _df(
        engine,
        select(User.scope_office_id, User.display_name, User.email)
        .join(Office, Office.id == User.scope_office_id)
        .where(
            scope.office_filter(Office.path),
            User.scope_office_id.in_([int(i) for i in office_ids]),
            User.can_upload.is_(True),
            User.is_active.is_(True),
        )
        .order_by(User.id),
    )
    found: dict[int, list[str]] = {}
    for office_id, name, email in frame.itertuples(index=False):
        found.setdefault(int(office_id), []).append(f"{name} <{email}>" if email else name)
    return {office_id: "; ".join(names) for office_id, names in found.items()}


# ------------------------------------------------------------------ review minutes


def minutes_rows(
    engine: Engine, scope: Scope, office_id: int, fiscal_year: str, quarter: int
) -> pd.DataFrame:
    """Each indicator of the office's current plans, in plan order, with its activity, targets,
    what each quarter up to `quarter` reported (as a number, a date and as written), and its
    scores at the end of `quarter`."""
    base = _df(
        engine,
        select(
            Plan.id.label("plan_id"),
            Plan.plan_type,
            Plan.title.label("plan_title"),
            Area.name.label("area"),
            Activity.code.label("activity_code"),
            Activity.name.label("activity"),
            Indicator.id.label("indicator_id"),
            Indicator.sort_order,
            Indicator.code,
            Indicator.name,
            Indicator.unit_label,
            Indicator.unit_kind,
            Indicator.weight,
            Indicator.method,
            Indicator.target_100,
            Indicator.target_100_date,
            Indicator.q1_target,
            Indicator.q2_target,
            Indicator.q3_target,
            Indicator.q4_target,
            Indicator.responsible,
            IndicatorScore.achieved,
            IndicatorScore.expected,
            IndicatorScore.projected,
            IndicatorScore.raw_score,
            IndicatorScore.projected_score,
            IndicatorScore.status,
            IndicatorScore.score_at_risk,
        )
        .join(Plan, Plan.id == Indicator.plan_id)
        .join(Office, Office.id == Plan.office_id)
        .outerjoin(Area, Area.id == Indicator.area_id)
        .outerjoin(Activity, Activity.id == Indicator.activity_id)
        .outerjoin(
            IndicatorScore,
            and_(IndicatorScore.indicator_id == Indicator.id, IndicatorScore.quarter == quarter),
        )
        .where(
            Office.id == office_id,
            scope.office_filter(Office.path),
            Plan.is_current.is_(True),
            _fy_filter(Plan.fiscal_year_id, fiscal_year),
        ),
    )
    if base.empty:
        return base
    order = {code: n for n, code in enumerate(PLAN_TYPES)}
    base = base.sort_values(
        ["plan_type", "sort_order"], key=lambda s: s.map(order) if s.name == "plan_type" else s
    ).reset_index(drop=True)
    progress = _df(
        engine,
        select(
            Progress.indicator_id,
            ProgressReport.quarter,
            Progress.value_num,
            Progress.value_date,
            Progress.value_raw,
            Progress.status,
        )
        .join(ProgressReport, ProgressReport.id == Progress.report_id)
        .where(
            ProgressReport.is_current.is_(True),
            ProgressReport.quarter <= quarter,
            ProgressReport.plan_id.in_(base["plan_id"].unique().tolist()),
        ),
    )
    for q in QUARTERS:
        part = progress[progress["quarter"] == q].set_index("indicator_id")
        for column in ("value_num", "value_date", "value_raw", "status"):
            base[f"q{q}_{column.removeprefix('value_')}"] = (
                base["indicator_id"].map(part[column]) if not part.empty else None
            )
    return base


# ------------------------------------------------------------------ overview


def headline(engine: Engine, scope: Scope, fiscal_year: str, quarter: int) -> dict:
    """The scope's offices at a glance: their mean composite to date and projected, how many
    are behind (projected below the rule set's lagging threshold), and the due date."""
    info = fiscal_year_rules(engine, fiscal_year)
    threshold = info["lagging_threshold"] if info else 80.0
    with engine.connect() as connection:
        row = connection.execute(
            select(
                func.count(OfficeScore.office_id),
                func.avg(OfficeScore.composite),
                func.avg(OfficeScore.projected_composite),
                func.sum(case((OfficeScore.projected_composite < threshold, 1), else_=0)),
            )
            .join(Office, Office.id == OfficeScore.office_id)
            .where(
                scope.office_filter(Office.path),
                _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
                OfficeScore.quarter == quarter,
            )
        ).one()
    return {
        "offices": int(row[0] or 0),
        "composite": None if row[1] is None else float(row[1]),
        "projected": None if row[2] is None else float(row[2]),
        "behind": int(row[3] or 0),
        "threshold": float(threshold),
        "due": report_due_date(engine, fiscal_year, quarter),
    }


def ministry_scores(engine: Engine, scope: Scope, fiscal_year: str, quarter: int) -> pd.DataFrame:
    """Per ministry: offices scored, their mean composite to date and projected, and how many
    are behind (projected below the lagging threshold); unsorted (see `ministries_behind`)."""
    info = fiscal_year_rules(engine, fiscal_year)
    threshold = info["lagging_threshold"] if info else 80.0
    ministry = aliased(Office)
    return _df(
        engine,
        select(
            ministry.id.label("ministry_id"),
            ministry.name_bn,
            ministry.name_en,
            func.count(OfficeScore.office_id).label("offices"),
            func.avg(OfficeScore.composite).label("composite"),
            func.avg(OfficeScore.projected_composite).label("projected"),
            func.sum(case((OfficeScore.projected_composite < threshold, 1), else_=0)).label(
                "behind"
            ),
        )
        .join(Office, Office.id == OfficeScore.office_id)
        .join(ministry, ministry.id == Office.ministry_id)
        .where(
            scope.office_filter(Office.path),
            _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
            OfficeScore.quarter == quarter,
        )
        .group_by(ministry.id, ministry.name_bn, ministry.name_en),
    )


def ministries_behind(scores: pd.DataFrame, at_risk: pd.DataFrame) -> pd.DataFrame:
    """`ministry_scores` with the composite marks at risk of each ministry's lagging indicators
    (`at_risk_by_ministry_and_plan` summed over the plan types) and the share behind, worst
    first. The overview gives it the two as its cache holds them: the marks at risk are
    summed over the lagging indicators once for both of its charts."""
    risk = at_risk.groupby("ministry_id", as_index=False)["composite_at_risk"].sum()
    out = scores.merge(risk, on="ministry_id", how="left")
    out["composite_at_risk"] = out["composite_at_risk"].fillna(0.0)
    out["behind_share"] = out["behind"] / out["offices"] * 100
    return out.sort_values(["projected", "ministry_id"]).reset_index(drop=True)


def behind_by_ministry(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int
) -> pd.DataFrame:
    """Per ministry, worst first: offices scored, their mean composite to date and projected,
    how many are behind (projected below the lagging threshold), and the composite marks at
    risk in their lagging indicators."""
    return ministries_behind(
        ministry_scores(engine, scope, fiscal_year, quarter),
        at_risk_by_ministry_and_plan(engine, scope, fiscal_year, quarter),
    )


def _lagging_per_plan(scope: Scope, fiscal_year: str, quarter: int):
    """The lagging indicators' score at risk summed per plan (in the plan's own units), read
    from the index that holds every column it needs (migration 0011): the national overview
    then joins some 70,000 plans to their totals, marks and offices, not 120,000 indicators.
    Scoped by the plan's office (one per plan) before summing when the scope is not
    everything."""
    query = select(
        IndicatorScore.plan_id,
        IndicatorScore.office_id,
        IndicatorScore.plan_type,
        func.sum(IndicatorScore.score_at_risk).label("score_at_risk"),
    ).where(
        _fy_filter(IndicatorScore.fiscal_year_id, fiscal_year),
        IndicatorScore.quarter == quarter,
        IndicatorScore.status.in_(LAGGING_STATUSES),
    )
    # The scope's offices first, then their lagging rows by the office index: joined
    # instead, SQLite would read all 1.4 million rows in plan order to spare a sort.
    query = query.where(offices_in_scope(scope, IndicatorScore.office_id))
    return query.group_by(
        IndicatorScore.plan_id, IndicatorScore.office_id, IndicatorScore.plan_type
    ).subquery("lagging_per_plan")


def at_risk_by_ministry_and_plan(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int
) -> pd.DataFrame:
    """Composite marks at risk in lagging indicators, per ministry and plan type. Each plan's
    sum is converted to composite marks once (× its type's marks / its total, as
    `COMPOSITE_AT_RISK` converts each indicator's: the same up to rounding)."""
    ministry = aliased(Office)
    plan = _lagging_per_plan(scope, fiscal_year, quarter)
    marks = plan.c.score_at_risk * RuleSetPlanType.marks / func.nullif(PlanScore.total_weight, 0)
    query = (
        select(
            ministry.id.label("ministry_id"),
            ministry.name_bn,
            ministry.name_en,
            plan.c.plan_type,
            func.sum(marks).label("composite_at_risk"),
        )
        .select_from(plan)
        .outerjoin(
            PlanScore, and_(PlanScore.plan_id == plan.c.plan_id, PlanScore.quarter == quarter)
        )
        .outerjoin(
            RuleSetPlanType,
            and_(
                RuleSetPlanType.rule_set_id
                == select(FiscalYear.rule_set_id)
                .where(FiscalYear.label == fiscal_year)
                .scalar_subquery(),
                RuleSetPlanType.plan_type == plan.c.plan_type,
            ),
        )
        .join(Office, Office.id == plan.c.office_id)
        .join(ministry, ministry.id == Office.ministry_id)
        .group_by(ministry.id, ministry.name_bn, ministry.name_en, plan.c.plan_type)
        .order_by(ministry.id, plan.c.plan_type)
    )
    return _df(engine, query)


def district_names(engine: Engine, _scope: Scope) -> pd.DataFrame:
    """The 64 districts' names (master data, the same for everyone)."""
    from data.models import District

    return _df(
        engine, select(District.id, District.name_bn, District.name_en).order_by(District.id)
    )


def district_scores(engine: Engine, scope: Scope, fiscal_year: str, quarter: int) -> pd.DataFrame:
    """Per district: the field offices in it (district and upazila offices) that have a
    composite, their mean to date and projected, and how many are behind."""
    from data.models import District

    info = fiscal_year_rules(engine, fiscal_year)
    threshold = info["lagging_threshold"] if info else 80.0
    return _df(
        engine,
        select(
            District.id.label("district_id"),
            District.name_bn,
            District.name_en,
            func.count(OfficeScore.office_id).label("offices"),
            func.avg(OfficeScore.composite).label("composite"),
            func.avg(OfficeScore.projected_composite).label("projected"),
            func.sum(case((OfficeScore.projected_composite < threshold, 1), else_=0)).label(
                "behind"
            ),
        )
        .join(Office, Office.district_id == District.id)
        .join(OfficeScore, OfficeScore.office_id == Office.id)
        .where(
            scope.office_filter(Office.path),
            _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
            OfficeScore.quarter == quarter,
        )
        .group_by(District.id, District.name_bn, District.name_en)
        .order_by(District.id),
    )


def district_offices(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int, district_id: int
) -> pd.DataFrame:
    """The field offices of one district with their composites, lowest projected first."""
    agency = aliased(Office)
    return _df(
        engine,
        select(
            Office.id.label("office_id"),
            Office.name_bn,
            Office.name_en,
            Office.level,
            agency.name_bn.label("agency_bn"),
            agency.name_en.label("agency_en"),
            OfficeScore.composite,
            OfficeScore.projected_composite,
            OfficeScore.lagging_count,
        )
        .join(OfficeScore, OfficeScore.office_id == Office.id)
        .outerjoin(agency, agency.id == Office.agency_id)
        .where(
            scope.office_filter(Office.path),
            Office.district_id == district_id,
            _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
            OfficeScore.quarter == quarter,
        )
        .order_by(OfficeScore.projected_composite, Office.id),
    )


# ------------------------------------------------------------------ lagging at scale


def _lagging_base(
    columns,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    ministry_id: int | None = None,
    agency_id: int | None = None,
    level: str | None = None,
    plan_type: str | None = None,
    status: str | None = None,
    responsible: str | None = None,
) -> Select:
    """Lagging indicator scores in scope with the filters of the lagging page."""
    query = with_marks(select(*columns).select_from(IndicatorScore))
    query = query.join(Office, Office.id == IndicatorScore.office_id).where(
        scope.office_filter(Office.path),
        offices_in_scope(scope, IndicatorScore.office_id),
        _fy_filter(IndicatorScore.fiscal_year_id, fiscal_year),
        IndicatorScore.quarter == quarter,
        IndicatorScore.status.in_([status] if status else LAGGING_STATUSES),
    )
    if ministry_id:
        query = query.where(Office.ministry_id == ministry_id)
    if agency_id:
        query = query.where(Office.agency_id == agency_id)
    if level:
        query = query.where(Office.level == level)
    if plan_type:
        query = query.where(IndicatorScore.plan_type == plan_type)
    if responsible:
        query = query.join(Indicator, Indicator.id == IndicatorScore.indicator_id).where(
            Indicator.responsible.like(f"%{responsible}%")
        )
    return query


def lagging_by_ministry(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int, **filters
) -> pd.DataFrame:
    """Per ministry: lagging indicators, offices with any, composite marks at risk (total and
    per such office), worst first."""
    ministry = aliased(Office)
    at_risk = func.sum(COMPOSITE_AT_RISK)
    query = _lagging_base(
        [
            ministry.id.label("ministry_id"),
            ministry.name_bn,
            ministry.name_en,
            func.count().label("indicators"),
            func.count(func.distinct(IndicatorScore.office_id)).label("offices"),
            at_risk.label("composite_at_risk"),
        ],
        scope,
        fiscal_year,
        quarter,
        **filters,
    )
    frame = _df(
        engine,
        query.join(ministry, ministry.id == Office.ministry_id)
        .group_by(ministry.id, ministry.name_bn, ministry.name_en)
        .order_by(at_risk.desc().nulls_last()),
    )
    frame["per_office"] = frame["composite_at_risk"] / frame["offices"]
    return frame


def lagging_by_indicator(
    engine: Engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    limit: int | None = None,
    **filters,
) -> pd.DataFrame:
    """Per indicator (plan type, code, name) across offices: in how many offices it lags, out
    of how many that have it, and what it costs in composite marks (total and per office)."""
    at_risk = func.sum(COMPOSITE_AT_RISK)
    keys = [IndicatorScore.plan_type, Indicator.code, Indicator.name]
    query = _lagging_base(
        [
            *keys,
            func.count(func.distinct(IndicatorScore.office_id)).label("offices"),
            at_risk.label("composite_at_risk"),
            func.sum(IndicatorScore.score_at_risk).label("score_at_risk"),
        ],
        scope,
        fiscal_year,
        quarter,
        **{k: v for k, v in filters.items() if k != "responsible"},
    )
    query = query.join(Indicator, Indicator.id == IndicatorScore.indicator_id)
    if filters.get("responsible"):
        query = query.where(Indicator.responsible.like(f"%{filters['responsible']}%"))
    query = query.group_by(*keys).order_by(at_risk.desc().nulls_last())
    if limit:
        query = query.limit(limit)
    frame = _df(engine, query)
    if frame.empty:
        frame["having"] = pd.Series(dtype=int)
        frame["per_office"] = pd.Series(dtype=float)
        return frame
    # How many offices in scope have each of these indicators this quarter (the denominator).
    having = (
        select(*keys, func.count(func.distinct(IndicatorScore.office_id)).label("having"))
        .select_from(IndicatorScore)
        .join(Indicator, Indicator.id == IndicatorScore.indicator_id)
        .join(Office, Office.id == IndicatorScore.office_id)
        .where(
            scope.office_filter(Office.path),
            offices_in_scope(scope, IndicatorScore.office_id),
            _fy_filter(IndicatorScore.fiscal_year_id, fiscal_year),
            IndicatorScore.quarter == quarter,
            IndicatorScore.plan_type.in_(frame["plan_type"].unique().tolist()),
            Indicator.code.in_(frame["code"].dropna().unique().tolist()),
        )
    )
    for key, column in (
        ("ministry_id", Office.ministry_id),
        ("agency_id", Office.agency_id),
        ("level", Office.level),
    ):
        if filters.get(key):
            having = having.where(column == filters[key])
    counts = _df(engine, having.group_by(*keys))
    frame = frame.merge(counts, on=["plan_type", "code", "name"], how="left")
    frame["per_office"] = frame["composite_at_risk"] / frame["offices"]
    return frame


def lagging_by_office(
    engine: Engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    limit: int | None = None,
    **filters,
) -> pd.DataFrame:
    """The offices with the most composite marks at risk in their lagging indicators."""
    ministry = aliased(Office)
    at_risk = func.sum(COMPOSITE_AT_RISK)
    query = _lagging_base(
        [
            Office.id.label("office_id"),
            Office.name_bn,
            Office.name_en,
            Office.level,
            ministry.name_bn.label("ministry_bn"),
            ministry.name_en.label("ministry_en"),
            func.count().label("indicators"),
            at_risk.label("composite_at_risk"),
        ],
        scope,
        fiscal_year,
        quarter,
        **filters,
    )
    query = (
        query.join(ministry, ministry.id == Office.ministry_id)
        .group_by(
            Office.id,
            Office.name_bn,
            Office.name_en,
            Office.level,
            ministry.name_bn,
            ministry.name_en,
        )
        # Rounded, so offices equal in marks are in the order of their ids: a sum's last bit
        # depends on the order the database adds in, which follows its plan (ANALYZE).
        .order_by(func.round(cast(at_risk, Numeric), MARKS_DIGITS).desc().nulls_last(), Office.id)
    )
    if limit:
        query = query.limit(limit)
    frame = _df(engine, query)
    frame["composite_at_risk"] = frame["composite_at_risk"].astype(float).round(MARKS_DIGITS)
    if frame.empty:
        frame["projected_composite"] = pd.Series(dtype=float)
        return frame
    composites = _df(
        engine,
        select(OfficeScore.office_id, OfficeScore.projected_composite).where(
            OfficeScore.office_id.in_(frame["office_id"].astype(int).tolist()),
            OfficeScore.quarter == quarter,
            _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
        ),
    )
    return frame.merge(composites, on="office_id", how="left")


def office_composite_at_risk(
    engine: Engine, scope: Scope, office_id: int, fiscal_year: str, quarter: int
) -> pd.DataFrame:
    """Every scored indicator of one office with its score at risk in composite marks (all
    statuses, for checks: summed, it is the marks the office's plans may still lose)."""
    query = with_marks(
        select(
            IndicatorScore.indicator_id,
            IndicatorScore.plan_type,
            IndicatorScore.status,
            IndicatorScore.score_at_risk,
            COMPOSITE_AT_RISK.label("composite_at_risk"),
            literal(1).label("one"),
        ).select_from(IndicatorScore)
    )
    return _df(
        engine,
        query.join(Office, Office.id == IndicatorScore.office_id).where(
            Office.id == office_id,
            scope.office_filter(Office.path),
            _fy_filter(IndicatorScore.fiscal_year_id, fiscal_year),
            IndicatorScore.quarter == quarter,
        ),
    ).drop(columns="one")
