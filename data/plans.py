"""A stored plan as an outline (areas, activities, indicators, targets), for templates."""

from __future__ import annotations

from sqlalchemy import Connection, select

from core.terms import QUARTERS, TARGET_LEVELS
from data.models import Activity, Area, FiscalYear, Indicator, Plan, PlanType


def plan_types(connection: Connection) -> list[dict]:
    rows = connection.execute(
        select(PlanType.code, PlanType.name_bn, PlanType.name_en).order_by(PlanType.sort_order)
    )
    return [dict(row._mapping) for row in rows]


def plan_outline(
    connection: Connection, office_id: int, fiscal_year: str, plan_type: str
) -> dict | None:
    """The office's current plan of that type and year, or None when it has none."""
    plan = connection.execute(
        select(Plan.id, Plan.title, Plan.total_weight)
        .join(FiscalYear, FiscalYear.id == Plan.fiscal_year_id)
        .where(
            Plan.office_id == office_id,
            FiscalYear.label == fiscal_year,
            Plan.plan_type == plan_type,
            Plan.is_current.is_(True),
        )
    ).first()
    if plan is None:
        return None
    areas = connection.execute(
        select(Area.id, Area.code, Area.name, Area.weight)
        .where(Area.plan_id == plan.id)
        .order_by(Area.sort_order)
    ).all()
    area_index = {a.id: n for n, a in enumerate(areas)}
    activities = {
        a.id: a
        for a in connection.execute(
            select(Activity.id, Activity.code, Activity.name).where(Activity.plan_id == plan.id)
        )
    }
    indicators = []
    for row in connection.execute(
        select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.sort_order)
    ):
        activity = activities.get(row.activity_id)
        indicators.append(
            {
                "area_index": area_index.get(row.area_id),
                "activity_id": row.activity_id,
                "activity_code": activity.code if activity else None,
                "activity_name": activity.name if activity else None,
                "code": row.code,
                "code_raw": row.code_raw,
                "name": row.name,
                "unit_label": row.unit_label,
                "unit_kind": row.unit_kind,
                "weight": row.weight,
                "method": row.method,
                "targets": {
                    level: getattr(row, f"target_{level}_date") or getattr(row, f"target_{level}")
                    for level in TARGET_LEVELS
                },
                "quarter_targets": {q: getattr(row, f"q{q}_target") for q in QUARTERS},
                "responsible": row.responsible,
            }
        )
    return {
        "plan_id": plan.id,
        "title": plan.title,
        "total_weight": plan.total_weight,
        "areas": [{"code": a.code, "name": a.name, "weight": a.weight} for a in areas],
        "indicators": indicators,
    }
