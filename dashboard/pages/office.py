"""Office: composite and plan scores per quarter, area scores, each indicator with its target
ladder, achievement per quarter, achieved to date against expected, projected score, status
and who is responsible, and the office's lagging indicators."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.terms import TARGET_LEVELS
from dashboard import cache
from dashboard.components.chart import show_chart
from dashboard.components.download import document_button, download_buttons
from dashboard.components.table import show_table
from dashboard.escape import bounded_int, literal
from dashboard.filters import TEXTS as FILTER_TEXTS
from dashboard.filters import keep, sidebar_filters, wanted
from dashboard.i18n import (
    OFFICE_LEVEL_NAMES,
    PLAN_TYPE_NAMES,
    bengali_digits,
    digits,
    fmt_number,
    fmt_value,
    name_of,
    pick,
    status_label,
    tr,
)
from dashboard.session import current_scope
from data import queries
from reports import minutes

TEXTS = {
    "title": ("অফিসের অগ্রগতি", "Office progress"),
    "search": ("অফিস খুঁজুন (নামের অংশ)", "Find an office (part of its name)"),
    "choose": ("অফিস বেছে নিন", "Choose an office"),
    "composite": ("সমন্বিত নম্বর (অর্জিত ও প্রক্ষেপিত)", "Composite score (to date and projected)"),
    "to_date": ("এ পর্যন্ত", "To date"),
    "projected": ("প্রক্ষেপিত", "Projected"),
    "plans": ("পরিকল্পনাভিত্তিক নম্বর (%)", "Plan scores (%)"),
    "quarter": ("ত্রৈমাসিক", "Quarter"),
    "percent": ("শতাংশ", "Percent"),
    "plan": ("পরিকল্পনা", "Plan"),
    "indicators": ("সূচকসমূহ", "Indicators"),
    "lagging": ("এই অফিসের পিছিয়ে থাকা সূচক", "This office's lagging indicators"),
    "none": (
        "এই অর্থবছরে এই অফিসের কোনো পরিকল্পনা নেই।",
        "This office has no plans for this fiscal year.",
    ),
    "no_lagging": ("কোনো সূচক পিছিয়ে নেই।", "No indicator is lagging."),
    "code": ("কোড", "Code"),
    "name": ("সূচক", "Indicator"),
    "unit": ("একক", "Unit"),
    "weight": ("মান", "Weight"),
    "ladder": ("লক্ষ্যমাত্রা ১০০/৯০/৮০/৭০/৬০", "Targets 100/90/80/70/60"),
    "expected": ("প্রত্যাশিত", "Expected"),
    "achieved": ("অর্জিত (এ পর্যন্ত)", "Achieved to date"),
    "raw": ("নম্বর", "Score"),
    "projected_score": ("প্রক্ষেপিত নম্বর", "Projected score"),
    "status": ("অবস্থা", "Status"),
    "responsible": ("দায়িত্বপ্রাপ্ত", "Responsible"),
    "at_risk": ("ঝুঁকিতে থাকা নম্বর", "Score at risk"),
    "areas": ("ক্ষেত্রভিত্তিক নম্বর", "Area scores"),
    "minutes": (
        "পর্যালোচনা সভার কার্যবিবরণী, খসড়া (.docx)",
        "Review-meeting minutes, drafted (.docx)",
    ),
    "with_children": (
        "আওতাধীন অফিসসহ (প্রতিটির জন্য একটি কলাম)",
        "With the offices under it (a column each)",
    ),
    "area": ("কর্মসম্পাদন ক্ষেত্র", "Area"),
    "opened_on_own": ("আপনার অফিস দেখানো হচ্ছে।", "Showing your office."),
    "opened_on_risk": (
        "এই ত্রৈমাসিকে সবচেয়ে বেশি নম্বর ঝুঁকিতে থাকা অফিস দেখানো হচ্ছে; অন্য অফিস খুঁজে নিন।",
        "Showing the office with the most score at risk this quarter; find another below.",
    ),
    "no_office": (
        "এই ত্রৈমাসিকে আপনার এখতিয়ারে কোনো অফিসের নম্বর ঝুঁকিতে নেই; নাম বা কোড দিয়ে একটি অফিস খুঁজুন।",
        "No office in your scope has score at risk this quarter; find an office by name or code.",
    ),
}

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q"))
raw = wanted("office")
office = None
if raw not in (None, ""):
    office_id = bounded_int(raw)  # digits only, within the ids' range
    office = None if office_id is None else cache.query(queries.office, scope, office_id)
    if office is None:
        st.error(
            tr(
                FILTER_TEXTS,
                "bad",
                key="office",
                value=literal(raw),
                why=tr(FILTER_TEXTS, "not_found"),
                fallback="–",
            ),
            icon=":material/error:",
        )
if office is None:
    # The page opens on something useful: the user's own office, or (national users) the
    # office with the most score at risk in the quarter.
    start = scope.office_id or cache.query(
        queries.most_at_risk_office, scope, filters.fiscal_year, filters.quarter
    )
    office = None if start is None else cache.query(queries.office, scope, int(start))
    if office is not None:
        st.caption(tr(TEXTS, "opened_on_own" if scope.office_id else "opened_on_risk"))

with st.expander(tr(TEXTS, "search"), expanded=office is None):
    text = st.text_input(tr(TEXTS, "search"), key="office-search")
    found = cache.query(queries.search_offices, scope, text)
    if not found.empty:
        names = {
            row.id: f"{name_of(row._asdict())} ({pick(OFFICE_LEVEL_NAMES[row.level])})"
            for row in found.itertuples()
        }
        chosen = st.selectbox(
            tr(TEXTS, "choose"),
            [None, *names],
            format_func=lambda i: "–" if i is None else names[i],
        )
        if chosen is not None:
            keep("office", chosen)
            st.rerun()
if office is None:
    st.info(tr(TEXTS, "no_office"), icon=":material/info:")
    st.stop()
keep("office", office["id"])

st.subheader(name_of(office))
if office.get("ministry_bn"):
    st.caption(f"{name_of(office, 'ministry')} · {pick(OFFICE_LEVEL_NAMES[office['level']])}")

engine = cache.engine()
with_children = st.checkbox(tr(TEXTS, "with_children"), key="minutes-with-children")
document_button(
    tr(TEXTS, "minutes"),
    lambda style: minutes.to_docx(
        minutes.minutes(
            engine, scope, office["id"], filters.fiscal_year, filters.quarter, with_children
        ),
        style,
    ),
    f"minutes-{office['code'].replace(':', '-')}",
    "docx",
    {**filters.describe(), tr(FILTER_TEXTS, "office"): name_of(office)},
)

composite, plans = cache.query(queries.office_quarters, scope, office["id"], filters.fiscal_year)
if composite.empty and plans.empty:
    st.info(tr(TEXTS, "none"))
    st.stop()
left, right = st.columns(2)
with left:
    st.markdown(f"**{tr(TEXTS, 'composite')}**")
    long = composite.melt(
        id_vars="quarter",
        value_vars=["composite", "projected_composite"],
        var_name="kind",
        value_name="score",
    )
    long["kind"] = long["kind"].map(
        {"composite": tr(TEXTS, "to_date"), "projected_composite": tr(TEXTS, "projected")}
    )
    figure = px.bar(
        long,
        x="quarter",
        y="score",
        color="kind",
        barmode="group",
        range_y=[0, 100],
        labels={"quarter": tr(TEXTS, "quarter"), "score": "", "kind": ""},
    )
    figure.update_xaxes(
        tickmode="array", tickvals=[1, 2, 3, 4], ticktext=[digits(f"Q{q}") for q in (1, 2, 3, 4)]
    )
    figure.update_layout(height=320, margin={"t": 10})
    show_chart(figure)
with right:
    st.markdown(f"**{tr(TEXTS, 'plans')}**")
    plans = plans.assign(plan=plans["plan_type"].map(lambda p: pick(PLAN_TYPE_NAMES[p])))
    figure = px.line(
        plans,
        x="quarter",
        y="projected_percent",
        color="plan",
        markers=True,
        range_y=[0, 105],
        labels={
            "quarter": tr(TEXTS, "quarter"),
            "projected_percent": tr(TEXTS, "percent"),
            "plan": tr(TEXTS, "plan"),
        },
    )
    figure.update_xaxes(
        tickmode="array", tickvals=[1, 2, 3, 4], ticktext=[digits(f"Q{q}") for q in (1, 2, 3, 4)]
    )
    figure.update_layout(height=320, margin={"t": 10})
    show_chart(figure)

indicators = cache.query(
    queries.office_indicators, scope, office["id"], filters.fiscal_year, filters.quarter
)


def ladder(row) -> str:
    if row["unit_kind"] == "date":
        values = [row[f"target_{lv}_date"] for lv in TARGET_LEVELS]
        return " / ".join(
            "–" if v is None or pd.isna(v) else v.strftime("%d/%m/%y") for v in values
        )
    return " / ".join(
        fmt_number(
            row[f"target_{lv}"],
            0 if pd.isna(row[f"target_{lv}"]) or float(row[f"target_{lv}"]).is_integer() else 1,
        )
        for lv in TARGET_LEVELS
    )


table = pd.DataFrame(
    {
        # An APA governance row carries an action plan's marks: named after both.
        "plan": [
            pick(PLAN_TYPE_NAMES[p])
            + (f" → {pick(PLAN_TYPE_NAMES[g])}" if isinstance(g, str) else "")
            for p, g in zip(
                indicators["plan_type"], indicators["governance_plan_type"], strict=True
            )
        ],
        "code": indicators["code"].astype(object).fillna("–"),
        "name": indicators["name"],
        "unit": indicators["unit_label"].astype(object).fillna("–"),
        "weight": [
            fmt_number(w, 0 if pd.isna(w) or float(w).is_integer() else 2)
            for w in indicators["weight"]
        ],
        "ladder": indicators.apply(ladder, axis=1),
        **{f"Q{q}": indicators[f"q{q}"].astype(object).fillna("–") for q in (1, 2, 3, 4)},
        "expected": [
            fmt_value(v, k)
            for v, k in zip(indicators["expected"], indicators["unit_kind"], strict=True)
        ],
        "achieved": [
            fmt_value(v, k)
            for v, k in zip(indicators["achieved"], indicators["unit_kind"], strict=True)
        ],
        "raw": pd.to_numeric(indicators["raw_score"], errors="coerce").astype(float),
        "projected_score": indicators["projected_score"],
        "status": [
            status_label(s, r)
            for s, r in zip(indicators["status"], indicators["rule"], strict=True)
        ],
        "responsible": indicators["responsible"].astype(object).fillna("–"),
        "at_risk": indicators["score_at_risk"],
    }
)
labels = {
    key: tr(TEXTS, key)
    for key in (
        "plan",
        "code",
        "name",
        "unit",
        "weight",
        "ladder",
        "expected",
        "achieved",
        "raw",
        "projected_score",
        "status",
        "responsible",
        "at_risk",
    )
}
labels.update({f"Q{q}": digits(f"Q{q}") for q in (1, 2, 3, 4)})

st.subheader(tr(TEXTS, "lagging"))
# Lagging, and needing correction (they count 0 until a corrected plan or report arrives).
lagging = table[
    indicators["status"].isin(["lagging", "missed", "not_reported", "needs_correction"])
].sort_values("at_risk", ascending=False)
if lagging.empty:
    st.success(tr(TEXTS, "no_lagging"))
else:
    show_table(lagging, hide_index=True, column_config=labels)
    download_buttons(
        lagging.assign(weight=indicators["weight"]),  # numbers as numbers in the file
        "office-lagging",
        {**filters.describe(), tr(FILTER_TEXTS, "office"): name_of(office)},
        labels,
    )

st.subheader(tr(TEXTS, "indicators"))
show_table(
    table,
    hide_index=True,
    column_config={
        **labels,
        "raw": st.column_config.NumberColumn(labels["raw"], format="%.1f"),
        "projected_score": st.column_config.ProgressColumn(
            labels["projected_score"], min_value=0, max_value=100, format="%.0f"
        ),
    },
)
download_buttons(
    table.assign(weight=indicators["weight"]),
    "office-indicators",
    {**filters.describe(), tr(FILTER_TEXTS, "office"): name_of(office)},
    labels,
)

st.subheader(tr(TEXTS, "areas"))
areas = (
    indicators.groupby(["plan_type", "area_id"], sort=False)
    .agg(score=("weighted_score", "sum"), weight=("weight", "sum"))
    .reset_index()
)
areas["plan"] = areas["plan_type"].map(lambda p: pick(PLAN_TYPE_NAMES[p]))
area_names = cache.query(queries.area_names, scope, office["id"], filters.fiscal_year)
areas["area"] = areas["area_id"].map(area_names).fillna("–")
areas["percent"] = areas["score"] / areas["weight"] * 100
if bengali_digits():
    areas["percent"] = [fmt_number(value) + "%" for value in areas["percent"]]
show_table(
    areas[["plan", "area", "score", "weight", "percent"]],
    hide_index=True,
    column_config={
        "plan": labels["plan"],
        "area": tr(TEXTS, "area"),
        "score": st.column_config.NumberColumn(labels["raw"], format="%.2f"),
        "weight": labels["weight"],
        "percent": (
            st.column_config.TextColumn("%")  # a progress bar draws ASCII digits only
            if bengali_digits()
            else st.column_config.ProgressColumn("%", min_value=0, max_value=100, format="%.0f%%")
        ),
    },
)
