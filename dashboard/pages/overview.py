"""Overview: offices, plans and reports; reporting completeness and timeliness by ministry;
mean composite by ministry with its spread; the distribution; movement; the worst lagging
indicators; who has not sent their report."""

import numpy as np
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard import cache
from dashboard.components.chart import show_chart
from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.filters import sidebar_filters
from dashboard.i18n import PLAN_TYPES, fmt_number, lang, pick, tr
from dashboard.session import current_scope

BINS = 20  # score bands of five marks

TEXTS = {
    "title": ("সারসংক্ষেপ", "Overview"),
    "offices": ("অফিস", "Offices"),
    "offices_with_plans": ("পরিকল্পনাসহ অফিস", "Offices with plans"),
    "plans": ("পরিকল্পনা", "Plans"),
    "reports": ("এই ত্রৈমাসিকের প্রতিবেদন", "Reports this quarter"),
    "offices_reporting": ("প্রতিবেদন দিয়েছে এমন অফিস", "Offices reporting"),
    "by_quarter": ("ত্রৈমাসিকভিত্তিক প্রতিবেদন", "Reports by quarter"),
    "quarter": ("ত্রৈমাসিক", "Quarter"),
    "reporting": ("মন্ত্রণালয়ভিত্তিক প্রতিবেদন প্রাপ্তি", "Reporting by ministry"),
    "completeness": ("সম্পূর্ণতা %", "Completeness %"),
    "timeliness": ("সময়মতো %", "On time %"),
    "on_time": ("সময়মতো প্রতিবেদন দিয়েছে", "Offices reporting on time"),
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "composite": (
        "মন্ত্রণালয়ভিত্তিক গড় প্রক্ষেপিত সমন্বিত নম্বর (±১ মানবিচ্যুতি)",
        "Mean projected composite by ministry (±1 sd)",
    ),
    "mean": ("গড়", "Mean"),
    "distribution": (
        "অফিসের প্রক্ষেপিত সমন্বিত নম্বরের বণ্টন",
        "Distribution of offices' projected composite",
    ),
    "score": ("নম্বর (১০০-এর মধ্যে)", "Score (of 100)"),
    "count": ("অফিস সংখ্যা", "Number of offices"),
    "movement": ("আগের ত্রৈমাসিকের তুলনায়", "Change since the previous quarter"),
    "up": ("বেড়েছে", "Up"),
    "down": ("কমেছে", "Down"),
    "same": ("অপরিবর্তিত", "Same"),
    "worst": ("সবচেয়ে পিছিয়ে থাকা সূচক (সারা দেশে)", "Worst lagging indicators (nationally)"),
    "missing": ("যারা এই ত্রৈমাসিকের প্রতিবেদন পাঠায়নি", "Who has not sent this quarter's report"),
    "none": ("কোনো তথ্য নেই।", "No data."),
    "all_sent": ("সবাই প্রতিবেদন পাঠিয়েছে।", "Everyone has reported."),
    "at_risk": ("ঝুঁকিতে থাকা নম্বর", "Score at risk"),
    "plan": ("পরিকল্পনা", "Plan"),
    "code": ("কোড", "Code"),
    "indicator": ("সূচক", "Indicator"),
    "office": ("অফিস", "Office"),
    "level": ("স্তর", "Level"),
}

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q"))
fy, q = filters.fiscal_year, filters.quarter
name_col = "name_bn" if lang() == "bn" else "name_en"

counts = cache.query("counts", scope, fy, q)
for column, key in zip(
    st.columns(5),
    ("offices", "offices_with_plans", "plans", "reports", "offices_reporting"),
    strict=True,
):
    column.metric(tr(TEXTS, key), fmt_number(counts[key]))

left, right = st.columns(2)
with left:
    st.subheader(tr(TEXTS, "by_quarter"))
    by_quarter = cache.query("reports_by_quarter", scope, fy)
    if by_quarter.empty:
        st.info(tr(TEXTS, "none"))
    else:
        figure = px.bar(
            by_quarter,
            x="quarter",
            y="offices",
            labels={"quarter": tr(TEXTS, "quarter"), "offices": tr(TEXTS, "offices_reporting")},
        )
        figure.update_xaxes(
            tickmode="array", tickvals=[1, 2, 3, 4], ticktext=["Q1", "Q2", "Q3", "Q4"]
        )
        figure.update_layout(height=300, margin={"t": 10})
        show_chart(figure)
with right:
    st.subheader(tr(TEXTS, "movement"))
    moved = cache.query("movement", scope, fy, q)
    if moved.empty:
        st.info(tr(TEXTS, "none"))
    else:
        moved["label"] = moved["direction"].map(lambda d: tr(TEXTS, d))
        figure = px.pie(
            moved,
            names="label",
            values="offices",
            hole=0.5,
            color="direction",
            color_discrete_map={"up": "#2e7d32", "down": "#c62828", "same": "#9e9e9e"},
        )
        figure.update_layout(height=300, margin={"t": 10})
        show_chart(figure)

st.subheader(tr(TEXTS, "reporting"))
reporting = cache.query("reporting_by_ministry", scope, fy, q)
if reporting.empty:
    st.info(tr(TEXTS, "none"))
else:
    table = reporting[[name_col, "offices", "reported", "on_time", "completeness", "timeliness"]]
    show_table(
        table,
        hide_index=True,
        height=300,
        column_config={
            name_col: tr(TEXTS, "ministry"),
            "offices": tr(TEXTS, "offices_with_plans"),
            "reported": tr(TEXTS, "offices_reporting"),
            "on_time": tr(TEXTS, "on_time"),
            "completeness": st.column_config.ProgressColumn(
                tr(TEXTS, "completeness"), min_value=0, max_value=100, format="%.0f%%"
            ),
            "timeliness": st.column_config.ProgressColumn(
                tr(TEXTS, "timeliness"), min_value=0, max_value=100, format="%.0f%%"
            ),
        },
    )
    download_buttons(table, "reporting-by-ministry", filters.describe())

st.subheader(tr(TEXTS, "composite"))
composite = cache.query("composite_by_ministry", scope, fy, q)
if composite.empty:
    st.info(tr(TEXTS, "none"))
else:
    figure = go.Figure(
        go.Bar(
            x=composite["mean"],
            y=composite[name_col],
            orientation="h",
            error_x={"type": "data", "array": composite["std"].fillna(0)},
            marker_color="#006a4e",
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(300, 18 * len(composite)),
        margin={"t": 10},
        yaxis={"autorange": "reversed"},
        xaxis_title=tr(TEXTS, "score"),
    )
    show_chart(figure)
    download_buttons(
        composite.drop(columns=["ministry_id"]), "composite-by-ministry", filters.describe()
    )

left, right = st.columns(2)
with left:
    st.subheader(tr(TEXTS, "distribution"))
    scores = cache.query("office_composites", scope, fy, q)
    if scores.empty:
        st.info(tr(TEXTS, "none"))
    else:
        # Counted here, not by Plotly, so the count axis can carry Bengali digits too.
        counts, edges = np.histogram(
            scores["projected_composite"].dropna(), bins=BINS, range=(0, 100)
        )
        figure = px.bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            labels={"x": tr(TEXTS, "score"), "y": tr(TEXTS, "count")},
        )
        figure.update_traces(width=100 / BINS * 0.95)
        figure.update_layout(height=320, margin={"t": 10})
        show_chart(figure)
with right:
    st.subheader(tr(TEXTS, "worst"))
    worst = cache.query("worst_lagging", scope, fy, q)
    if worst.empty:
        st.info(tr(TEXTS, "none"))
    else:
        worst = worst.assign(plan=worst["plan_type"].map(lambda p: pick(PLAN_TYPES[p])))
        table = worst[["plan", "code", "name", "offices", "score_at_risk"]]
        show_table(
            table,
            hide_index=True,
            height=320,
            column_config={
                "plan": tr(TEXTS, "plan"),
                "code": tr(TEXTS, "code"),
                "name": tr(TEXTS, "indicator"),
                "offices": tr(TEXTS, "offices"),
                "score_at_risk": st.column_config.NumberColumn(tr(TEXTS, "at_risk"), format="%.1f"),
            },
        )
        download_buttons(table, "worst-lagging", filters.describe())

st.subheader(tr(TEXTS, "missing"))
missing = cache.query("missing_reports", scope, fy, q)
if missing.empty:
    st.success(tr(TEXTS, "all_sent"))
else:
    table = missing[["id", name_col, "level", "ministry_bn" if lang() == "bn" else "ministry_en"]]
    show_table(
        table,
        hide_index=True,
        height=250,
        column_config={
            "id": "ID",
            name_col: tr(TEXTS, "office"),
            "level": tr(TEXTS, "level"),
            table.columns[3]: tr(TEXTS, "ministry"),
        },
    )
    download_buttons(table, "missing-reports", filters.describe())
