"""The rows of the demo: a plan's tables from its catalog entry, and made-up progress.

A catalog plan is turned into rows once (`PlanRows`: areas, activities and indicators with
every value already in the driver's form); each office's copy only adds its ids. Progress is
drawn from one `random.Random` in a fixed order, so a seed gives the same data every run.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from core.terms import QUARTERS, TARGET_LEVELS
from demo.catalog import PlanSpec

IN_PROGRESS = "কার্যক্রম চলমান রয়েছে"
NOT_ACHIEVED = "অর্জিত হয়নি"

AREA_COLUMNS = ["plan_id", "sort_order", "code", "name", "weight", "weight_raw"]
ACTIVITY_COLUMNS = ["plan_id", "area_id", "sort_order", "code", "code_raw", "name"]
INDICATOR_FACTS = [
    "sort_order",
    "code",
    "code_raw",
    "name",
    "unit_label",
    "unit_kind",
    "weight",
    "weight_raw",
    "method",
    "responsible",
    "targets_raw",
    *(f"target_{level}" for level in TARGET_LEVELS),
    *(f"target_{level}_date" for level in TARGET_LEVELS),
    *(f"q{q}_target" for q in QUARTERS),
]
INDICATOR_COLUMNS = ["plan_id", "area_id", "activity_id", *INDICATOR_FACTS]
PROGRESS_COLUMNS = [
    "report_id",
    "indicator_id",
    "value_num",
    "value_date",
    "value_text",
    "value_raw",
    "status",
]


def shift(value, years: int):
    """A catalog value for another fiscal year: ISO dates move by whole years."""
    if isinstance(value, str):
        day = dt.date.fromisoformat(value)
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)
    return value


@dataclass(frozen=True)
class Scored:
    """What the progress of one indicator is drawn from."""

    position: int  # its place among the plan's indicators
    kind: str  # number, percent, date
    best: object  # the 100% target (a date for dates)
    expected: tuple  # per quarter, for numbers: the quarterly target or a share of the best


@dataclass(frozen=True)
class PlanRows:
    """One catalog plan as rows without ids: areas, activities (with their area's place) and
    indicators (with their area's and activity's places), values in the driver's form."""

    spec: PlanSpec
    total_weight: float
    areas: tuple
    activities: tuple  # (area place, row)
    indicators: tuple  # (area place, activity place, row)
    scored: tuple  # Scored, one per indicator


def plan_rows(spec: PlanSpec, years: int, convert) -> PlanRows:
    """The rows of a catalog plan `years` after its own fiscal year. `convert(model_column,
    value)` turns a value into the driver's form, e.g. ("indicators.targets_raw", {...})."""
    areas, activities, indicators, scored = [], [], [], []
    order = 0
    for a_order, area in enumerate(spec.areas, start=1):
        weight_raw = None if area.weight is None else f"{area.weight:g}"
        areas.append(
            (a_order, str(a_order), area.name, convert("areas.weight", area.weight), weight_raw)
        )
        for act_order, (act_code, act_name, specs) in enumerate(area.activities, start=1):
            activities.append((a_order - 1, (act_order, act_code, f"[{act_code}]", act_name)))
            for ind in specs:
                order += 1
                targets = [shift(t, years) for t in ind.targets]
                is_date = ind.unit_kind == "date"
                raw = {
                    str(lv): (None if t is None else str(t))
                    for lv, t in zip(TARGET_LEVELS, targets, strict=True)
                }
                quarters = [
                    shift(qt, years) if not isinstance(qt, str) else None
                    for qt in ind.quarter_targets
                ]
                facts = [
                    order,
                    ind.code,
                    f"[{ind.code}]",
                    ind.name,
                    ind.unit_label,
                    ind.unit_kind,
                    ind.weight,
                    f"{ind.weight:g}",
                    ind.method,
                    ind.responsible,
                    raw,
                    *(None if is_date else t for t in targets),
                    *(t if is_date else None for t in targets),
                    *quarters,
                ]
                row = tuple(
                    convert(f"indicators.{name}", value)
                    for name, value in zip(INDICATOR_FACTS, facts, strict=True)
                )
                indicators.append((a_order - 1, len(activities) - 1, row))
                scored.append(_scored(order - 1, ind, targets))
    return PlanRows(
        spec,
        convert("plans.total_weight", sum(i.weight for i in spec.indicators)),
        tuple(areas),
        tuple(activities),
        tuple(indicators),
        tuple(scored),
    )


def _scored(position: int, ind, targets: list) -> Scored:
    best = targets[0]
    quarters = ind.quarter_targets
    none_set = all(q is None for q in quarters)
    expected = (
        tuple(
            qt if isinstance(qt, (int, float)) else (best / 4 if none_set else 0) for qt in quarters
        )
        if ind.unit_kind == "number"
        else (0, 0, 0, 0)
    )
    return Scored(position, ind.unit_kind, best, expected)


def value(rng: random.Random, ind: Scored, quarter: int, quarter_ends: list, skill: float):
    """One quarter's achievement for an indicator: (num, date, text, status) or None."""
    if rng.random() < 0.04:
        return (None, None, IN_PROGRESS, "in_progress")
    if rng.random() < 0.015:
        return (None, None, NOT_ACHIEVED, "not_achieved")
    if ind.kind == "date":
        # Done around the target: good offices early, weak ones late.
        lateness = int(rng.gauss(-4 if skill > 0.8 else 10, 8))
        done = ind.best + dt.timedelta(days=lateness)
        start = (
            quarter_ends[quarter - 2] if quarter > 1 else quarter_ends[0] - dt.timedelta(days=92)
        )
        if start < done <= quarter_ends[quarter - 1]:
            return (None, done, None, "reported")
        return None  # not done in this quarter
    if ind.kind == "percent":
        achieved = min(100.0, max(0.0, rng.gauss(ind.best * (0.85 + 0.2 * skill), 6)))
        return (round(achieved, 1), None, None, "reported")
    expected = ind.expected[quarter - 1]
    if not expected:
        return (0.0 if rng.random() < 0.7 else 1.0, None, None, "reported")
    achieved = max(0.0, round(rng.gauss(expected * (0.6 + 0.5 * skill), max(expected * 0.25, 0.4))))
    return (float(achieved), None, None, "reported")
