"""Overview: who is behind. The scope's composite to date and projected; the ministries worst
first, each with the number of its offices behind; the distribution of office scores; the
ministries ranked (top and bottom); composite marks at risk by ministry and plan; reporting
against the calendar; a map of the 64 districts that drills down to a district. Every chart
says what it shows and has its table and download."""

import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import cache
from dashboard.components.chart import show_chart
from dashboard.components.district_map import district_figure, show_district_map
from dashboard.components.download import download_buttons
from dashboard.components.table import show_short_table, show_table, show_table_behind
from dashboard.filters import explain_empty, sidebar_filters
from dashboard.i18n import (
    OFFICE_LEVEL_NAMES,
    PLAN_TYPE_NAMES,
    bengali_digits,
    fmt_date,
    fmt_number,
    lang,
    pick,
    tr,
)
from dashboard.session import current_scope
from data import desk, queries
from reports import league, overdue
from reports.text import Style

BINS = 20  # score bands of five marks
TOP = 10

TEXTS = {
    "title": ("সারসংক্ষেপ: কে পিছিয়ে আছে", "Overview: who is behind"),
    "headline": (
        "{fy}, {quarter}: {offices}টি অফিসের গড় সমন্বিত নম্বর এ পর্যন্ত **{score}**, বছর শেষে প্রক্ষেপিত **{projected}**। "
        "**{behind}টি অফিস পিছিয়ে** (প্রক্ষেপিত নম্বর {threshold}-এর নিচে); **{missing}টি অফিস** {quarter}ের প্রতিবেদন পাঠায়নি (শেষ তারিখ {due})।",
        "{fy}, {quarter}: the {offices} offices' mean composite is **{score}** to date and **{projected}** projected for the year. "
        "**{behind} offices are behind** (projected below {threshold}); **{missing} offices** have not sent their {quarter} report (due {due}).",
    ),
    "offices": ("অফিস", "Offices"),
    "to_date": ("গড় সমন্বিত নম্বর (এ পর্যন্ত)", "Mean composite to date"),
    "projected": ("গড় প্রক্ষেপিত নম্বর", "Mean projected composite"),
    "behind": ("পিছিয়ে থাকা অফিস", "Offices behind"),
    "not_sent": ("প্রতিবেদন পাঠায়নি", "Reports not sent"),
    "worst": (
        "মন্ত্রণালয়ভিত্তিক: সবচেয়ে পিছিয়ে প্রথমে",
        "Ministries, worst first",
    ),
    "worst_caption": (
        "প্রতিটি দণ্ড: মন্ত্রণালয়/বিভাগ ও তার আওতাধীন সব অফিসের গড় প্রক্ষেপিত সমন্বিত নম্বর; পাশে কতগুলো অফিস পিছিয়ে (প্রক্ষেপিত নম্বর {threshold}-এর নিচে)। রেখা: {threshold}।",
        "Each bar: the mean projected composite of a ministry's offices (its own and all under it); beside it, how many of them are behind (projected below {threshold}). Line: {threshold}.",
    ),
    "n_behind": ("{n}টি পিছিয়ে / {total}", "{n} behind / {total}"),
    "table": ("সারণি", "Table"),
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "mean_to_date": ("গড় (এ পর্যন্ত)", "Mean to date"),
    "mean_projected": ("গড় (প্রক্ষেপিত)", "Mean projected"),
    "behind_share": ("পিছিয়ে %", "Behind %"),
    "marks_at_risk": ("ঝুঁকিতে থাকা সমন্বিত নম্বর", "Composite marks at risk"),
    "distribution": (
        "অফিসের প্রক্ষেপিত সমন্বিত নম্বরের বণ্টন",
        "Distribution of offices' projected composite",
    ),
    "distribution_caption": (
        "কতগুলো অফিস কোন নম্বরের ঘরে (৫ নম্বরের ব্যবধানে); লাল: পিছিয়ে থাকা (প্রক্ষেপিত নম্বর {threshold}-এর নিচে)।",
        "How many offices score in each band of five marks; red: behind (projected below {threshold}).",
    ),
    "band": ("নম্বরের ঘর", "Score band"),
    "score": ("নম্বর (১০০-এর মধ্যে)", "Score (of 100)"),
    "count": ("অফিস সংখ্যা", "Number of offices"),
    "ranked": ("মন্ত্রণালয়/বিভাগের অবস্থান (নিজস্ব এপিএ)", "Ministries ranked (their own APA)"),
    "ranked_caption": (
        "প্রথম ও শেষ {n}টি, এ পর্যন্ত অর্জিত নম্বর অনুসারে; পুরো তালিকা অবস্থান তালিকার পাতায়।",
        "The first and last {n} by score to date; the full table is on the league table page.",
    ),
    "top": ("শীর্ষে", "Top"),
    "bottom": ("সবশেষে", "Bottom"),
    "open_league": ("পুরো অবস্থান তালিকা", "The full league table"),
    "risk": ("মন্ত্রণালয়ভিত্তিক ঝুঁকিতে থাকা নম্বর", "Score at risk by ministry"),
    "risk_caption": (
        "পিছিয়ে থাকা সূচকগুলোর কারণে বছর শেষে যে সমন্বিত নম্বর হারানোর ঝুঁকি, সব অফিস মিলিয়ে, পরিকল্পনাভিত্তিক (সর্বোচ্চ {n}টি মন্ত্রণালয়)।",
        "The composite marks the lagging indicators may cost by year end, summed over the offices, by plan ({n} ministries at most).",
    ),
    "plan": ("পরিকল্পনা", "Plan"),
    "reporting": ("মন্ত্রণালয়ভিত্তিক প্রতিবেদন প্রাপ্তি", "Reporting by ministry"),
    "reporting_caption": (
        "{quarter}ের প্রতিবেদন: নির্ধারিত তারিখের ({due}) মধ্যে, পরে, বা এখনও পাঠায়নি — সবচেয়ে বেশি বাকি যাদের (সর্বোচ্চ {n}টি)।",
        "{quarter} reports: by the due date ({due}), after it, or not yet — most missing first ({n} at most).",
    ),
    "on_time": ("সময়মতো", "On time"),
    "late": ("বিলম্বে", "Late"),
    "missing": ("পাঠায়নি", "Not sent"),
    "open_calendar": ("প্রতিবেদন ক্যালেন্ডার ও তাগিদপত্রের তালিকা", "Reporting calendar and reminder list"),
    "map": ("জেলাভিত্তিক মানচিত্র", "Districts"),
    "map_caption": (
        "প্রতিটি জেলা রাঙানো হয়েছে সেখানকার মাঠ পর্যায়ের অফিসগুলোর (জেলা ও উপজেলা) গড় প্রক্ষেপিত সমন্বিত নম্বর দিয়ে; ধূসর: তথ্য নেই। জেলার কেন্দ্রের বিন্দুতে ক্লিক করলে সে জেলার অফিসগুলো দেখা যাবে।",
        "Each district is coloured by the mean projected composite of its field offices (district and upazila); grey: no data. Click a district's centre point to see its offices.",
    ),
    "district": ("জেলা", "District"),
    "choose_district": ("জেলা বেছে নিন", "Choose a district"),
    "district_offices": (
        "{district}: মাঠ পর্যায়ের অফিস, সবচেয়ে পিছিয়ে প্রথমে",
        "{district}: field offices, worst first",
    ),
    "office": ("অফিস", "Office"),
    "office_to_date": ("সমন্বিত নম্বর (এ পর্যন্ত)", "Composite to date"),
    "office_projected": ("প্রক্ষেপিত সমন্বিত নম্বর", "Projected composite"),
    "level": ("স্তর", "Level"),
    "agency": ("দপ্তর/সংস্থা", "Agency"),
    "lagging": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "none": ("কোনো তথ্য নেই।", "No data."),
    "hover": (
        "{name}: গড় {score} ({n}টি অফিস, {behind}টি পিছিয়ে)",
        "{name}: mean {score} ({n} offices, {behind} behind)",
    ),
    "all": ("সব", "All"),
}

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q"))
fy, q = filters.fiscal_year, filters.quarter
style = Style(lang(), bengali_digits())
name_col = "name_bn" if lang() == "bn" else "name_en"
facts = cache.query(desk.headline, scope, fy, q)
threshold = fmt_number(facts["threshold"], 0)
status = cache.query(desk.reporting_status, scope, fy, q)
calendar = overdue.from_status(status, fy, q, facts["due"])

if facts["offices"] == 0:
    explain_empty(scope, filters)
    st.stop()
st.markdown(
    tr(
        TEXTS,
        "headline",
        fy=style.fiscal_year(fy),
        quarter=style.quarter(q),
        offices=fmt_number(facts["offices"]),
        score=fmt_number(facts["composite"], 2),
        projected=fmt_number(facts["projected"], 2),
        behind=fmt_number(facts["behind"]),
        threshold=threshold,
        missing=fmt_number(len(calendar.offices)),
        due=fmt_date(facts["due"]),
    )
)
for column, key, value in zip(
    st.columns(5),
    ("offices", "to_date", "projected", "behind", "not_sent"),
    (
        fmt_number(facts["offices"]),
        fmt_number(facts["composite"], 2),
        fmt_number(facts["projected"], 2),
        fmt_number(facts["behind"]),
        fmt_number(len(calendar.offices)),
    ),
    strict=True,
):
    column.metric(tr(TEXTS, key), value)

# --- who is behind: ministries worst first
st.subheader(tr(TEXTS, "worst"))
st.caption(tr(TEXTS, "worst_caption", threshold=threshold))
# The marks at risk are summed once for this chart and the one by ministry and plan below.
risk = cache.query(desk.at_risk_by_ministry_and_plan, scope, fy, q)
behind = desk.ministries_behind(cache.query(desk.ministry_scores, scope, fy, q), risk)
figure = go.Figure(
    go.Bar(
        x=behind["projected"],
        y=behind[name_col],
        orientation="h",
        marker_color=np.where(behind["projected"] < facts["threshold"], "#c62828", "#006a4e"),
        text=[
            tr(TEXTS, "n_behind", n=fmt_number(n), total=fmt_number(t))
            for n, t in zip(behind["behind"], behind["offices"], strict=True)
        ],
        textposition="outside",
        hovertemplate="%{y}: %{x:.1f}<extra></extra>",
    )
)
figure.add_vline(x=facts["threshold"], line_dash="dot", line_color="#555")
figure.update_layout(
    height=max(300, 20 * len(behind)),
    margin={"t": 10},
    yaxis={"autorange": "reversed"},
    xaxis={"range": [0, 118], "title": tr(TEXTS, "mean_projected")},
)
show_chart(figure)
behind_table = behind[
    [name_col, "offices", "behind", "behind_share", "composite", "projected", "composite_at_risk"]
]
behind_labels = {
    name_col: tr(TEXTS, "ministry"),
    "offices": tr(TEXTS, "offices"),
    "behind": tr(TEXTS, "behind"),
    "behind_share": tr(TEXTS, "behind_share"),
    "composite": tr(TEXTS, "mean_to_date"),
    "projected": tr(TEXTS, "mean_projected"),
    "composite_at_risk": tr(TEXTS, "marks_at_risk"),
}
show_table_behind(
    tr(TEXTS, "table"),
    "behind-table",
    behind_table,
    hide_index=True,
    column_config={
        **behind_labels,
        "behind_share": st.column_config.NumberColumn(behind_labels["behind_share"], format="%.0f"),
        "composite": st.column_config.NumberColumn(behind_labels["composite"], format="%.2f"),
        "projected": st.column_config.NumberColumn(behind_labels["projected"], format="%.2f"),
        "composite_at_risk": st.column_config.NumberColumn(
            behind_labels["composite_at_risk"], format="%.1f"
        ),
    },
)
download_buttons(behind_table, "ministries-behind", filters.describe(), behind_labels)

# --- the distribution, and the ministries ranked
left, right = st.columns(2)
with left:
    st.subheader(tr(TEXTS, "distribution"))
    st.caption(tr(TEXTS, "distribution_caption", threshold=threshold))
    scores = cache.query(queries.office_composites, scope, fy, q)
    # Counted here, not by Plotly, so the count axis can carry Bengali digits too.
    counts, edges = np.histogram(scores["projected_composite"].dropna(), bins=BINS, range=(0, 100))
    centres = (edges[:-1] + edges[1:]) / 2
    figure = go.Figure(
        go.Bar(
            x=centres,
            y=counts,
            width=100 / BINS * 0.95,
            marker_color=np.where(edges[1:] <= facts["threshold"], "#c62828", "#006a4e"),
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    figure.update_layout(
        height=340,
        margin={"t": 10},
        xaxis_title=tr(TEXTS, "score"),
        yaxis_title=tr(TEXTS, "count"),
    )
    show_chart(figure)
    bands = [f"{int(a)}–{int(b)}" for a, b in itertools.pairwise(edges)]
    distribution = {tr(TEXTS, "band"): bands, tr(TEXTS, "count"): counts.astype(int)}
    distribution = pd.DataFrame(distribution)
    show_table_behind(tr(TEXTS, "table"), "distribution-table", distribution, hide_index=True)
    download_buttons(distribution, "score-distribution", filters.describe())
with right:
    st.subheader(tr(TEXTS, "ranked"))
    st.caption(tr(TEXTS, "ranked_caption", n=fmt_number(TOP)))
    ranked, unscored = league.rank_offices(
        cache.query(desk.league_scores, scope, fy, q, "ministry"), "to_date"
    )
    if ranked.empty:
        explain_empty(scope, filters)
    else:
        result = league.League(fy, q, "ministry", "to_date", None, ranked, unscored)
        published = league.table(result, style, with_code=False).iloc[:, :4]
        for key, part in (("top", published.head(TOP)), ("bottom", published.tail(TOP))):
            st.markdown(f"**{tr(TEXTS, key)}**")
            # Ten short rows, read at a glance: a plain table, not the data grid.
            show_short_table(part, decimals={part.columns[2]: 2})
        download_buttons(published, "ministries-ranked", filters.describe())
        st.page_link(
            "dashboard/pages/league.py",
            label=tr(TEXTS, "open_league"),
            query_params={"fy": fy, "q": q},
            icon=":material/leaderboard:",
        )

# --- score at risk by ministry and plan
st.subheader(tr(TEXTS, "risk"))
RISK_MAX = 25
st.caption(tr(TEXTS, "risk_caption", n=fmt_number(RISK_MAX)))
if risk.empty:
    explain_empty(scope, filters)
else:
    wide = risk.pivot_table(
        index=["ministry_id", "name_bn", "name_en"],
        columns="plan_type",
        values="composite_at_risk",
        aggfunc="sum",
        fill_value=0.0,
    ).reset_index()
    plans = [p for p in PLAN_TYPE_NAMES if p in wide.columns]
    wide["total"] = wide[plans].sum(axis=1)
    wide = wide.sort_values("total", ascending=False).reset_index(drop=True)
    top = wide.head(RISK_MAX)
    figure = go.Figure(
        [
            go.Bar(
                y=top[name_col],
                x=top[plan],
                name=pick(PLAN_TYPE_NAMES[plan]),
                orientation="h",
                hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            )
            for plan in plans
        ]
    )
    figure.update_layout(
        barmode="stack",
        height=max(300, 24 * len(top)),
        margin={"t": 10},
        yaxis={"autorange": "reversed"},
        xaxis_title=tr(TEXTS, "marks_at_risk"),
        legend={"orientation": "h", "y": 1.06},
    )
    show_chart(figure)
    risk_table = wide[[name_col, *plans, "total"]]
    risk_labels = {
        name_col: tr(TEXTS, "ministry"),
        "total": tr(TEXTS, "marks_at_risk"),
        **{p: pick(PLAN_TYPE_NAMES[p]) for p in plans},
    }
    show_table_behind(
        tr(TEXTS, "table"),
        "risk-table",
        risk_table,
        hide_index=True,
        column_config={
            key: st.column_config.NumberColumn(label, format="%.1f") if key != name_col else label
            for key, label in risk_labels.items()
        },
    )
    download_buttons(risk_table, "score-at-risk-by-ministry", filters.describe(), risk_labels)

# --- reporting against the calendar
st.subheader(tr(TEXTS, "reporting"))
REPORTING_MAX = 25
st.caption(
    tr(
        TEXTS,
        "reporting_caption",
        quarter=style.quarter(q),
        due=fmt_date(facts["due"]),
        n=fmt_number(REPORTING_MAX),
    )
)
by_ministry = calendar.by_ministry
if by_ministry.empty:
    explain_empty(scope, filters)
else:
    shown = by_ministry.head(REPORTING_MAX)
    names = shown["ministry_bn" if lang() == "bn" else "ministry_en"]
    figure = go.Figure(
        [
            go.Bar(
                y=names,
                x=shown[state],
                name=tr(TEXTS, state),
                orientation="h",
                marker_color=colour,
                hovertemplate="%{y}: %{x}<extra></extra>",
            )
            for state, colour in (
                ("missing", "#c62828"),
                ("late", "#f9a825"),
                ("on_time", "#2e7d32"),
            )
        ]
    )
    figure.update_layout(
        barmode="stack",
        height=max(300, 24 * len(shown)),
        margin={"t": 10},
        yaxis={"autorange": "reversed"},
        xaxis_title=tr(TEXTS, "offices"),
        legend={"orientation": "h", "y": 1.06},
    )
    show_chart(figure)
    reporting_table = overdue.ministry_table(calendar, style)
    show_table_behind(tr(TEXTS, "table"), "reporting-table", reporting_table, hide_index=True)
    download_buttons(reporting_table, "reporting-by-ministry", filters.describe())
    st.page_link(
        "dashboard/pages/calendar.py",
        label=tr(TEXTS, "open_calendar"),
        query_params={"fy": fy, "q": q},
        icon=":material/event:",
    )

# --- the map of the districts
st.subheader(tr(TEXTS, "map"))
st.caption(tr(TEXTS, "map_caption"))
districts = cache.query(desk.district_scores, scope, fy, q)
names = {}
for row in cache.query(desk.district_names, scope).itertuples():
    names[int(row.id)] = row.name_bn if lang() == "bn" else row.name_en
hover = {
    int(row.district_id): tr(
        TEXTS,
        "hover",
        name=names.get(int(row.district_id), ""),
        score=fmt_number(row.projected, 1),
        n=fmt_number(row.offices),
        behind=fmt_number(row.behind),
    )
    for row in districts.itertuples()
}
raw = st.query_params.get("district")
chosen = int(raw) if raw and str(raw).isdigit() and int(raw) in names else None
clicked = show_district_map(
    district_figure(
        districts, "projected", tr(TEXTS, "mean_projected"), names, hover, selected=chosen
    ),
    key="district-map",
)
if clicked is not None and clicked != chosen:
    st.query_params["district"] = str(clicked)
    st.rerun()
with_data = [int(i) for i in districts["district_id"]]
options = [None, *sorted(with_data, key=lambda i: names.get(i, ""))]


def _pick_district() -> None:
    value = st.session_state["district-pick"]
    if value is None:
        st.query_params.pop("district", None)
    else:
        st.query_params["district"] = str(value)


# The URL is the truth (a shared link opens the district); the picker follows it.
st.session_state["district-pick"] = chosen if chosen in options else None
st.selectbox(
    tr(TEXTS, "choose_district"),
    options,
    format_func={None: "–", **names}.get,
    placeholder="–",
    key="district-pick",
    on_change=_pick_district,
)
map_table = districts.assign(name=districts["district_id"].map(names))[
    ["name", "offices", "behind", "composite", "projected"]
].sort_values("projected")
map_labels = {
    "name": tr(TEXTS, "district"),
    "offices": tr(TEXTS, "offices"),
    "behind": tr(TEXTS, "behind"),
    "composite": tr(TEXTS, "mean_to_date"),
    "projected": tr(TEXTS, "mean_projected"),
}
show_table_behind(
    tr(TEXTS, "table"),
    "districts-table",
    map_table,
    hide_index=True,
    column_config={
        **map_labels,
        "composite": st.column_config.NumberColumn(map_labels["composite"], format="%.2f"),
        "projected": st.column_config.NumberColumn(map_labels["projected"], format="%.2f"),
    },
)
download_buttons(map_table, "districts", filters.describe(), map_labels)
if chosen is not None:
    st.subheader(tr(TEXTS, "district_offices", district=names.get(chosen, "")))
    offices = cache.query(desk.district_offices, scope, fy, q, chosen)
    office_table = offices.assign(
        level=offices["level"].map(lambda v: pick(OFFICE_LEVEL_NAMES[v])),
        name=offices[name_col],
        agency=offices["agency_bn" if lang() == "bn" else "agency_en"],
    )[["office_id", "name", "agency", "level", "composite", "projected_composite", "lagging_count"]]
    office_labels = {
        "office_id": "ID",
        "name": tr(TEXTS, "office"),
        "agency": tr(TEXTS, "agency"),
        "level": tr(TEXTS, "level"),
        "composite": tr(TEXTS, "office_to_date"),
        "projected_composite": tr(TEXTS, "office_projected"),
        "lagging_count": tr(TEXTS, "lagging"),
    }
    show_table(
        office_table,
        hide_index=True,
        column_config={
            **office_labels,
            "composite": st.column_config.NumberColumn(office_labels["composite"], format="%.2f"),
            "projected_composite": st.column_config.NumberColumn(
                office_labels["projected_composite"], format="%.2f"
            ),
        },
    )
    download_buttons(
        office_table,
        "district-offices",
        {**filters.describe(), "district": str(chosen)},
        office_labels,
    )
