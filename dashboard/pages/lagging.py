"""Lagging indicators across offices, sorted by score at risk, with who is responsible."""

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.filters import sidebar_filters
from dashboard.i18n import LEVELS, PLAN_TYPES, STATUSES, fmt_number, fmt_value, lang, pick, tr
from dashboard.session import current_scope

TEXTS = {
    "title": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "responsible": ("দায়িত্বপ্রাপ্ত (নামের অংশ)", "Responsible (part of the name)"),
    "shown": (
        "ঝুঁকিতে থাকা নম্বর অনুসারে প্রথম {n}টি দেখানো হচ্ছে; ডাউনলোডে সবগুলো ({total}টি) আছে।",
        "Showing the first {n} by score at risk; the download has all {total}.",
    ),
    "none": ("এই ফিল্টারে কোনো পিছিয়ে থাকা সূচক নেই।", "No lagging indicators for these filters."),
    "office": ("অফিস", "Office"),
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "level": ("স্তর", "Level"),
    "plan": ("পরিকল্পনা", "Plan"),
    "code": ("কোড", "Code"),
    "name": ("সূচক", "Indicator"),
    "target": ("লক্ষ্যমাত্রা (অসাধারণ)", "Target (excellent)"),
    "expected": ("প্রত্যাশিত (এ পর্যন্ত)", "Expected to date"),
    "achieved": ("অর্জিত (এ পর্যন্ত)", "Achieved to date"),
    "projected_score": ("প্রক্ষেপিত নম্বর", "Projected score"),
    "status": ("অবস্থা", "Status"),
    "at_risk": ("ঝুঁকিতে থাকা নম্বর", "Score at risk"),
    "who": ("দায়িত্বপ্রাপ্ত", "Responsible"),
}
SHOW = 500

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q", "ministry", "agency", "level", "plan", "status"))
responsible = st.sidebar.text_input(
    tr(TEXTS, "responsible"),
    value=str(st.query_params.get("who", ""))[:200],  # a link's text, bounded
    max_chars=200,
    key="f_who",
).strip()
if responsible:
    st.query_params["who"] = responsible
else:
    st.query_params.pop("who", None)

args = dict(
    ministry_id=filters.ministry_id,
    agency_id=filters.agency_id,
    level=filters.level,
    plan_type=filters.plan_type,
    status=filters.status,
    responsible=responsible or None,
)
everything = cache.query("lagging", scope, filters.fiscal_year, filters.quarter, limit=None, **args)
if everything.empty:
    st.info(tr(TEXTS, "none"))
    st.stop()

office_col, ministry_col = (
    ("office_bn", "ministry_bn") if lang() == "bn" else ("office_en", "ministry_en")
)


def target(kind: str, number, day) -> str:
    if kind == "date":
        return "–" if day is None or pd.isna(day) else fmt_value(day.toordinal(), "date")
    return fmt_number(number, 1)


def lagging_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as shown and downloaded: names in the chosen language, values formatted by
    their unit (dates as day/month/year)."""
    kinds = rows["unit_kind"].tolist()
    return pd.DataFrame(
        {
            "office": rows[office_col],
            "ministry": rows[ministry_col],
            "level": rows["level"].map(lambda v: pick(LEVELS[v])),
            "plan": rows["plan_type"].map(lambda p: pick(PLAN_TYPES[p])),
            "code": rows["code"],
            "name": rows["name"],
            "target": [
                target(*values)
                for values in zip(kinds, rows["target_100"], rows["target_100_date"], strict=True)
            ],
            "expected": [fmt_value(v, k) for v, k in zip(rows["expected"], kinds, strict=True)],
            "achieved": [fmt_value(v, k) for v, k in zip(rows["achieved"], kinds, strict=True)],
            "projected_score": rows["projected_score"],
            "status": rows["status"].map(lambda s: pick(STATUSES[s])),
            "at_risk": rows["score_at_risk"],
            "who": rows["responsible"],
        }
    )


# Only the rows shown are formatted on each run; the download formats all of them on click.
table = lagging_table(everything.head(SHOW))
labels = {key: tr(TEXTS, key) for key in table.columns}
st.caption(tr(TEXTS, "shown", n=fmt_number(len(table)), total=fmt_number(len(everything))))
show_table(
    table,
    hide_index=True,
    column_config={
        **labels,
        "projected_score": st.column_config.ProgressColumn(
            labels["projected_score"], min_value=0, max_value=100, format="%.0f"
        ),
        "at_risk": st.column_config.NumberColumn(labels["at_risk"], format="%.2f"),
    },
)
download_buttons(
    lambda: lagging_table(everything),
    "lagging-indicators",
    {**filters.describe(), tr(TEXTS, "who"): responsible or "–"},
    labels,
    rows=len(everything),
)
