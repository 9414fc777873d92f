"""League table: offices ranked by composite score at any level of the tree, in the form the
Cabinet Division publishes (ক্রম | মন্ত্রণালয়/বিভাগ | প্রাপ্ত নম্বর | অবস্থান), with ties shared,
the changes since the previous quarter and the same quarter last year, and a formatted .xlsx."""

import plotly.graph_objects as go
import streamlit as st

from dashboard import cache
from dashboard.components.chart import show_chart
from dashboard.components.download import document_button
from dashboard.components.table import show_table
from dashboard.filters import explain_empty, in_url, sidebar_filters
from dashboard.i18n import OFFICE_LEVEL_NAMES, bengali_digits, fmt_number, lang, name_of, pick, tr
from dashboard.session import current_scope
from data import desk, queries
from reports import league
from reports.text import Style

TEXTS = {
    "title": ("অবস্থান তালিকা (লীগ টেবিল)", "League table"),
    "level": ("কোন স্তরের অফিস", "Offices of level"),
    "under": ("যার আওতাধীন", "Under"),
    "all": ("সব", "All"),
    "basis": ("নম্বর", "Score"),
    "to_date": ("এ পর্যন্ত অর্জিত", "To date"),
    "projected": ("প্রক্ষেপিত (বছর শেষে)", "Projected (year end)"),
    "offices": ("অফিস", "Offices ranked"),
    "average": ("গড়", "Average"),
    "highest": ("সর্বোচ্চ", "Highest"),
    "lowest": ("সর্বনিম্ন", "Lowest"),
    "at_least_90": ("৯০ বা তার বেশি", "90 or more"),
    "at_least_80": ("৮০ বা তার বেশি", "80 or more"),
    "chart": (
        "প্রতিটি অফিসের সমন্বিত নম্বর (১০০-এর মধ্যে), সর্বোচ্চ থেকে; রেখা: ৮০ ও ৯০",
        "Each office's composite score (of 100), best first; lines at 80 and 90",
    ),
    "download": ("লীগ টেবিল (.xlsx) ডাউনলোড", "Download the league table (.xlsx)"),
    "none": ("এই স্তরে নম্বরপ্রাপ্ত কোনো অফিস নেই।", "No office of this level has a score."),
    "unscored": (
        "{n}টি অফিসের এই ত্রৈমাসিকের নম্বর নেই (পরিকল্পনা নেই), তাই তালিকায় নেই।",
        "{n} offices have no score for this quarter (no plan) and are not ranked.",
    ),
    "ties": (
        "দুই দশমিক পর্যন্ত সমান নম্বর একই অবস্থান পায় (যৌথভাবে); পরের অবস্থান বাদ যায় না।",
        "Scores equal to two decimals share a position (joint); the next position is not skipped.",
    ),
    "no_last_year": (
        "গত বছরের একই ত্রৈমাসিকের নম্বর সংরক্ষিত নেই, তাই সে কলাম খালি।",
        "No scores are stored for the same quarter last year, so that column is empty.",
    ),
}
ABOVE = {"agency": "ministry", "divisional": "agency", "district": "agency", "upazila": "agency"}
CHART_MAX = 80

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q"))
levels = list(OFFICE_LEVEL_NAMES)
wanted = st.query_params.get("level", "ministry")
level = st.sidebar.selectbox(
    tr(TEXTS, "level"),
    levels,
    index=levels.index(wanted) if wanted in levels else 0,
    format_func={v: pick(c) for v, c in OFFICE_LEVEL_NAMES.items()}.get,
    key="league-level",
)
in_url("level", level)
under = None
if level in ABOVE:
    parents = cache.query(queries.offices, scope, level=ABOVE[level])
    names = {row.id: name_of(row._asdict()) for row in parents.itertuples()}
    raw = st.query_params.get("under")
    chosen = int(raw) if raw and str(raw).isdigit() and int(raw) in names else None
    options = [None, *names]
    under = st.sidebar.selectbox(
        tr(TEXTS, "under"),
        options,
        index=options.index(chosen),
        format_func={None: tr(TEXTS, "all"), **names}.get,
        key="league-under",
    )
if under is None:
    st.query_params.pop("under", None)
else:
    in_url("under", under)
bases = list(league.BASES)
basis = st.sidebar.radio(
    tr(TEXTS, "basis"),
    bases,
    index=bases.index(st.query_params.get("basis", "to_date"))
    if st.query_params.get("basis") in bases
    else 0,
    format_func={b: tr(TEXTS, b) for b in bases}.get,
    key="league-basis",
)
in_url("basis", basis)

frame = cache.query(
    desk.league_scores, scope, filters.fiscal_year, filters.quarter, level, under_id=under
)
ranked, unscored = league.rank_offices(frame, basis)
parent = cache.query(queries.office, scope, under) if under is not None else None
result = league.League(filters.fiscal_year, filters.quarter, level, basis, parent, ranked, unscored)
style = Style(lang(), bengali_digits())
st.caption(league.title(result, style))
if ranked.empty:
    explain_empty(scope, filters, tr(TEXTS, "none"))
    st.stop()

summary = result.summary
for column, key, decimals in zip(
    st.columns(6),
    ("offices", "average", "highest", "lowest", "at_least_90", "at_least_80"),
    (0, 2, 2, 2, 0, 0),
    strict=True,
):
    column.metric(tr(TEXTS, key), fmt_number(summary[key], decimals))

document_button(
    tr(TEXTS, "download"),
    lambda page_style: league.to_xlsx(result, page_style),
    f"league-{level}",
    "xlsx",
    {**filters.describe(), "level": level, "under": str(under or "–"), "basis": basis},
    rows=len(ranked),
    primary=True,
)

table = league.table(result, style)
# A change that cannot be computed (Q1 has no previous quarter; no scores a year before) is
# left out of the page (the caption says why); the download keeps the column, empty.
shown = table.drop(columns=[c for c in table.columns[4:6] if table[c].isna().all()])
show_table(
    shown,
    hide_index=True,
    height=min(38 * (len(table) + 1), 700),
    column_config={
        column: st.column_config.NumberColumn(column, format="%.2f")
        for column in shown.columns
        if column in (table.columns[2], table.columns[4], table.columns[5])
    },
)
st.caption(tr(TEXTS, "ties"))
if ranked["change_last_year"].isna().all():
    st.caption(tr(TEXTS, "no_last_year"))
if len(unscored):
    st.caption(tr(TEXTS, "unscored", n=fmt_number(len(unscored))))

if len(ranked) <= CHART_MAX:
    st.subheader(tr(TEXTS, "chart"))
    names = [style.name(row) for row in ranked.to_dict("records")]
    colours = [
        "#006a4e" if s >= 90 else "#7cb342" if s >= 80 else "#c62828" for s in ranked["score"]
    ]
    figure = go.Figure(
        go.Bar(
            x=ranked["score"],
            y=names,
            orientation="h",
            marker_color=colours,
            text=table[table.columns[3]],
            textposition="outside",
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    for line in (80, 90):
        figure.add_vline(x=line, line_dash="dot", line_color="#555")
    figure.update_layout(
        height=max(300, 22 * len(ranked)),
        margin={"t": 10},
        yaxis={"autorange": "reversed"},
        xaxis={"range": [0, 105]},
    )
    show_chart(figure)
