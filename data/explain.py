"""A score, step by step, for one office, fiscal year and quarter (`python -m scoring explain`).

It scores the office's current plans with the same pure functions the stored scores come from
(`scoring.score_rows`, `scoring.plan_totals`, `scoring.composite_parts`), prints each
indicator's rule with its arithmetic, the area and plan sums, each plan's contribution to the
composite (an action plan that is not stored counted from the APA's governance row), and the
composite stored in the database beside it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pandas as pd
from sqlalchemy import Engine, or_, select

from data.models import FiscalYear, Office, OfficeScore, Plan
from data.scores import load_rules, scoring_input
from scoring import (
    area_scores,
    composite,
    composite_parts,
    governance_rows,
    is_own,
    marks_frame,
    plan_totals,
    score_rows,
)
from scoring.inputs import TARGET_LEVELS as LEVELS

PLAN_NAMES = {
    "apa": ("কৌশলগত উদ্দেশ্য", "APA strategic objectives"),
    "nis": ("শুদ্ধাচার", "National Integrity Strategy"),
    "egov": ("ই-গভর্ন্যান্স ও উদ্ভাবন", "E-Governance and Innovation"),
    "grs": ("অভিযোগ প্রতিকার", "Grievance Redress"),
    "citizen_charter": ("সেবা প্রদান প্রতিশ্রুতি", "Citizen's Charter"),
    "rti": ("তথ্য অধিকার", "Right to Information"),
}


class ExplainError(ValueError):
    pass


def _fmt(value, unit_kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit_kind == "date":
        return dt.date.fromordinal(int(value)).strftime("%d/%m/%Y")
    return f"{value:g}" if float(value).is_integer() else f"{value:.4g}"


def arithmetic(row: pd.Series) -> str:
    """The rule of scoring.md that gave this raw score, with its numbers."""
    unit = row["unit_kind"]
    a = row["achieved"]
    rule = row["rule"]
    targets = {lv: row[f"t{lv}"] for lv in LEVELS}
    if rule in ("interpolate", "step"):
        higher = row["direction"] == "higher"
        set_levels = [lv for lv in LEVELS if not math.isnan(targets[lv])]
        for la, lb in itertools.pairwise(set_levels):
            ta, tb = targets[la], targets[lb]
            inside = tb <= a < ta if higher else ta < a <= tb
            if inside:
                if rule == "step":
                    return f"step: between {la} and {lb} → {lb}"
                return (
                    f"interpolate {lb}..{la}: {lb} + {la - lb} × ({_fmt(a, unit)} − {_fmt(tb, unit)})"
                    f" / ({_fmt(ta, unit)} − {_fmt(tb, unit)}) = {row['raw_score']:.4g}"
                )
    if rule == "single-target-pro-rata":
        return f"pro rata: 100 × min(1, {_fmt(a, unit)} / {_fmt(targets[100], unit)}) = {row['raw_score']:.4g}"
    if rule == "single-date":
        return f"single date: done {_fmt(a, unit)} vs {_fmt(targets[100], unit)}"
    if rule == "at-or-beyond-best":
        return "at or beyond the best level → 100"
    if rule == "below-worst":
        return "worse than the worst set level → 0"
    if rule == "marks-obtained":
        return f"marks obtained: min({_fmt(a, unit)}, weight {_fmt(row['weight'], unit)})"
    if row["status"] == "needs_correction":
        return f"needs correction ({rule}): counts 0"
    return rule


def _office(engine: Engine, office: str) -> tuple[int, str, str]:
    with engine.connect() as connection:
        query = select(Office.id, Office.name_bn, Office.name_en)
        row = None
        if office.isdigit():
            row = connection.execute(query.where(Office.id == int(office))).first()
        row = row or connection.execute(query.where(Office.code == office)).first()
        if row is None:
            matches = connection.execute(
                query.where(
                    or_(Office.name_en.ilike(f"%{office}%"), Office.name_bn.like(f"%{office}%"))
                ).limit(5)
            ).all()
            if len(matches) != 1:
                found = "; ".join(m.name_en for m in matches) or "none"
                raise ExplainError(
                    f"office {office!r} matches {len(matches)} offices ({found}); give its id or code"
                )
            row = matches[0]
    return row.id, row.name_bn, row.name_en


def explain_office(
    engine: Engine, office: str, fiscal_year: str, quarter: int, lang: str = "en"
) -> str:
    office_id, name_bn, name_en = _office(engine, office)
    bn = lang == "bn"
    with engine.connect() as connection:
        fy = connection.execute(
            select(FiscalYear.id).where(FiscalYear.label == fiscal_year)
        ).scalar()
        if fy is None:
            raise ExplainError(f"unknown fiscal year {fiscal_year}")
        rules = load_rules(connection)
        plan_filter = (
            (Plan.office_id == office_id) & (Plan.fiscal_year_id == fy) & Plan.is_current.is_(True)
        )
        plan_ids = connection.execute(select(Plan.id).where(plan_filter)).scalars().all()
        frame = scoring_input(connection, plan_ids, area=True)
        stored = connection.execute(
            select(OfficeScore.composite).where(
                OfficeScore.office_id == office_id,
                OfficeScore.fiscal_year_id == fy,
                OfficeScore.quarter == quarter,
            )
        ).scalar()
    if frame.empty:
        raise ExplainError(f"{name_en} has no plans for {fiscal_year}")
    rule_set, start = rules[fy]
    scored = pd.concat([frame, score_rows(frame, rule_set, start, quarter)], axis=1)
    with engine.connect() as connection:
        names = dict(connection.execute(select(Plan.id, Plan.title).where(plan_filter)).all())
    from data.models import Indicator

    with engine.connect() as connection:
        labels = {
            r.id: (r.code, r.name)
            for r in connection.execute(
                select(Indicator.id, Indicator.code, Indicator.name).where(
                    Indicator.plan_id.in_(list(names))
                )
            )
        }
    lines = [
        f"{name_bn if bn else name_en} — {fiscal_year}, Q{quarter}",
        f"rules: {rule_set.between_levels} between levels, lagging below {rule_set.lagging_threshold:g}",
        "",
    ]
    own = is_own(scored).to_numpy()
    totals = plan_totals(scored[own], by=["plan_id", "plan_type"])
    governance = governance_rows(scored[~own]).assign(quarter=quarter, fiscal_year_id=fy)
    plans = totals.assign(quarter=quarter, fiscal_year_id=fy)
    marks = marks_frame({fy: rule_set})
    by = ["fiscal_year_id", "quarter"]
    parts = composite_parts(plans, governance, marks, by=by)
    order = list(PLAN_NAMES)
    for plan_id, plan in sorted(
        scored.groupby("plan_id"), key=lambda p: order.index(p[1].plan_type.iloc[0])
    ):
        plan_type = plan.plan_type.iloc[0]
        lines.append(
            f"== {PLAN_NAMES[plan_type][0 if bn else 1]} ({plan_type}) — {names.get(plan_id) or ''}"
        )
        for area_id, area in plan.groupby("area_id", sort=False, dropna=False):
            for _, row in area.iterrows():
                code, name = labels[row.indicator_id]
                ladder = " / ".join(_fmt(row[f"t{lv}"], row.unit_kind) for lv in LEVELS)
                governs = row.get("governance_plan_type")
                part = f" (governance: {governs})" if isinstance(governs, str) else ""
                lines.append(
                    f"  [{code}] {name[:60]}{part}\n"
                    f"      unit {row.unit_kind}, weight {_fmt(row.weight, 'number')}, targets {ladder}\n"
                    f"      achieved to date {_fmt(row.achieved, row.unit_kind)}"
                    f" (expected {_fmt(row.expected, row.unit_kind)}); {arithmetic(row)}\n"
                    f"      raw {_fmt(row.raw_score, 'number')} → weighted {_fmt(row.weighted_score, 'number')};"
                    f" projected score {_fmt(row.projected_score, 'number')}, {row.status}"
                )
            (total,) = area_scores(area, by="plan_id").itertuples()
            area_name = "–" if pd.isna(area_id) else int(area_id)
            lines.append(
                f"    area {area_name}: {_fmt(total.score, 'number')} of {_fmt(total.weight, 'number')}"
            )
        t = totals.set_index("plan_id").loc[plan_id]
        share = parts[(parts.plan_type == plan_type) & (parts.source == "plan")].iloc[0]
        lines.append(
            f"  plan score {_fmt(t.score, 'number')} of {_fmt(t.total_weight, 'number')}"
            f" = {_fmt(t.percent, 'number')}% × {share.marks:g} marks / 100 = {share.contribution:.4g}"
        )
        lines.append("")
    for share in parts[parts.source == "apa"].itertuples():
        lines.append(
            f"== {PLAN_NAMES[share.plan_type][0 if bn else 1]} ({share.plan_type}): not stored;"
            f" from the APA's governance row: {_fmt(share.percent, 'number')}% × {share.marks:g}"
            f" marks / 100 = {share.contribution:.4g}"
        )
    (total,) = composite(plans, governance, marks, by=by).itertuples()
    lines.append(f"composite = {total.composite:.4g} of 100 (stored: {_fmt(stored, 'number')})")
    return "\n".join(lines)
