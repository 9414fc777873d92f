"""Reference data: plan types, the rule sets and the fiscal years they govern.

The numbers come from ../shared/docs/scoring.md (the APA guideline): the six plan types and
their marks in the composite (70/10/10/4/3/3), the five levels, linear interpolation between
levels, lagging below 80 (উত্তম). An administrator changes them as data, per fiscal year.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAN_TYPES = [
    ("apa", "কৌশলগত উদ্দেশ্য (এপিএ)", "APA strategic objectives", 1),
    ("nis", "জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা", "National Integrity Strategy (NIS)", 2),
    ("egov", "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা", "E-Governance and Innovation", 3),
    ("grs", "অভিযোগ প্রতিকার ব্যবস্থা কর্মপরিকল্পনা", "Grievance Redress System (GRS)", 4),
    ("citizen_charter", "সেবা প্রদান প্রতিশ্রুতি কর্মপরিকল্পনা", "Citizen's Charter", 5),
    ("rti", "তথ্য অধিকার কর্মপরিকল্পনা", "Right to Information (RTI)", 6),
]
MARKS = {"apa": 70, "nis": 10, "egov": 10, "grs": 4, "citizen_charter": 3, "rti": 3}
LEVELS = [
    (100, "অসাধারণ", "Excellent"),
    (90, "অতি উত্তম", "Very good"),
    (80, "উত্তম", "Good"),
    (70, "চলতি মান", "Fair"),
    (60, "চলতি মানের নিম্নে", "Below fair"),
]
RULE_SETS = [
    (
        1,
        "apa-2019",
        "এপিএ নির্দেশিকা (২০১৯-২০ থেকে)",
        "APA guideline (from 2019-20)",
        "Composite = own objectives (70) + action plans (30). Linear interpolation between levels; lagging below 80.",
    ),
    (
        2,
        "successor-2025",
        "নতুন কর্মসম্পাদন ব্যবস্থা (২০২৫-২৬ থেকে)",
        "Successor performance system (from 2025-26)",
        "The APA was succeeded from FY2025-26; until its frameworks are entered, the APA rules are used.",
    ),
]
FISCAL_YEARS = [(y, 1 if y < 2025 else 2, "apa" if y < 2025 else "successor") for y in range(2019, 2027)]


def upgrade() -> None:
    plan_types = sa.table(
        "plan_types", sa.column("code"), sa.column("name_bn"), sa.column("name_en"),
        sa.column("sort_order"),
    )
    rule_sets = sa.table(
        "rule_sets", sa.column("id"), sa.column("code"), sa.column("name_bn"),
        sa.column("name_en"), sa.column("between_levels"), sa.column("lagging_threshold"),
        sa.column("year_end_unreported_is_zero"), sa.column("report_due_days"),
        sa.column("description"),
    )
    rs_plan_types = sa.table(
        "rule_set_plan_types", sa.column("rule_set_id"), sa.column("plan_type"),
        sa.column("marks"), sa.column("sort_order"),
    )
    rs_levels = sa.table(
        "rule_set_levels", sa.column("rule_set_id"), sa.column("level"), sa.column("name_bn"),
        sa.column("name_en"),
    )
    fiscal_years = sa.table(
        "fiscal_years", sa.column("id"), sa.column("label"), sa.column("start_date"),
        sa.column("end_date"), sa.column("rule_set_id"), sa.column("system"),
    )
    op.bulk_insert(plan_types, [
        {"code": c, "name_bn": bn, "name_en": en, "sort_order": o} for c, bn, en, o in PLAN_TYPES
    ])
    op.bulk_insert(rule_sets, [
        {"id": i, "code": c, "name_bn": bn, "name_en": en, "between_levels": "interpolate",
         "lagging_threshold": 80.0, "year_end_unreported_is_zero": True, "report_due_days": 10,
         "description": d}
        for i, c, bn, en, d in RULE_SETS
    ])
    op.bulk_insert(rs_plan_types, [
        {"rule_set_id": rs, "plan_type": c, "marks": MARKS[c], "sort_order": o}
        for rs, *_ in RULE_SETS for c, _bn, _en, o in PLAN_TYPES
    ])
    op.bulk_insert(rs_levels, [
        {"rule_set_id": rs, "level": lv, "name_bn": bn, "name_en": en}
        for rs, *_ in RULE_SETS for lv, bn, en in LEVELS
    ])
    op.bulk_insert(fiscal_years, [
        {"id": y - 2000, "label": f"{y}-{(y + 1) % 100:02d}", "start_date": date(y, 7, 1),
         "end_date": date(y + 1, 6, 30), "rule_set_id": rs, "system": system}
        for y, rs, system in FISCAL_YEARS
    ])


def downgrade() -> None:
    for table in ("fiscal_years", "rule_set_levels", "rule_set_plan_types", "rule_sets", "plan_types"):
        op.execute(sa.text(f"DELETE FROM {table}"))
