"""Reporting calendar: the fiscal year's due dates (data in the rule set), and for a quarter who
has reported on time, late or not at all, by ministry, with the reminder list of offices whose
report is overdue (how many days, which plans, the focal point where known) as a download."""

import datetime as dt
from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from dashboard import cache
from dashboard.components.chart import show_chart
from dashboard.components.download import document_button, download_buttons
from dashboard.components.table import MAX_ROWS, show_table, show_table_behind
from dashboard.filters import explain_empty, sidebar_filters
from dashboard.i18n import bengali_digits, fmt_date, fmt_number, lang, pick, tr
from dashboard.session import current_scope
from data import desk
from reports import overdue
from reports.text import Style

TEXTS = {
    "title": ("প্রতিবেদন ক্যালেন্ডার", "Reporting calendar"),
    "calendar": ("এপিএ ক্যালেন্ডার {fy}", "APA calendar {fy}"),
    "event": ("কার্যক্রম", "What is due"),
    "due": ("নির্ধারিত তারিখ", "Due"),
    "when": ("আজ থেকে", "From today"),
    "passed": ("{n} দিন আগে পেরিয়েছে", "passed {n} days ago"),
    "ahead": ("আর {n} দিন", "in {n} days"),
    "today": ("আজ", "today"),
    "quarter_due": (
        "{quarter}-এর প্রতিবেদন জমার শেষ তারিখ {due} ({when})",
        "The {quarter} report was due on {due} ({when})",
    ),
    "offices": ("পরিকল্পনাসহ অফিস", "Offices with plans"),
    "on_time": ("সময়মতো", "On time"),
    "late": ("বিলম্বে", "Late"),
    "missing": ("পাঠায়নি", "Not sent"),
    "by_ministry": (
        "মন্ত্রণালয়ভিত্তিক: কতগুলো অফিস সময়মতো, বিলম্বে বা এখনও প্রতিবেদন পাঠায়নি",
        "By ministry: offices that reported on time, late, or not yet",
    ),
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "reminders": ("তাগিদপত্রের তালিকা: যারা প্রতিবেদন পাঠায়নি", "Reminder list: who has not reported"),
    "download": ("তাগিদপত্রের তালিকা (.xlsx) ডাউনলোড", "Download the reminder list (.xlsx)"),
    "all_sent": ("সবাই প্রতিবেদন পাঠিয়েছে।", "Everyone has reported."),
    "none": ("এই অর্থবছরে কোনো পরিকল্পনা নেই।", "No plans for this fiscal year."),
}
COLOURS = {"on_time": "#2e7d32", "late": "#f9a825", "missing": "#c62828"}

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q", "ministry"))
fy, q = filters.fiscal_year, filters.quarter
style = Style(lang(), bengali_digits())
today = overdue.today()


def from_today(day: dt.date) -> str:
    days = (day - today).days
    if days == 0:
        return tr(TEXTS, "today")
    return tr(TEXTS, "passed" if days < 0 else "ahead", n=fmt_number(abs(days)))


left, right = st.columns([3, 2])
with left:
    st.subheader(tr(TEXTS, "calendar", fy=style.fiscal_year(fy)))
    calendar = cache.query(desk.deadlines, scope, fy)
    table = calendar.assign(
        event=calendar["name_bn" if lang() == "bn" else "name_en"],
        due_text=calendar["due"].map(fmt_date),
        when=calendar["due"].map(from_today),
    )[["event", "due_text", "when"]]
    show_table(
        table,
        hide_index=True,
        column_config={
            "event": tr(TEXTS, "event"),
            "due_text": tr(TEXTS, "due"),
            "when": tr(TEXTS, "when"),
        },
    )

status = cache.query(desk.reporting_status, scope, fy, q, ministry_id=filters.ministry_id)
with right:
    if status.empty:
        explain_empty(scope, filters, tr(TEXTS, "none"))
        st.stop()
    due = status["due"].iloc[0]
    st.subheader(
        tr(TEXTS, "quarter_due", quarter=style.quarter(q), due=fmt_date(due), when=from_today(due))
    )
    missing_ids = tuple(status.loc[status["state"] == "missing", "office_id"].astype(int))
    focal = cache.query(desk.focal_points, scope, missing_ids) if missing_ids else {}
    result = overdue.from_status(status, fy, q, due, today, focal)
    counts = status["state"].value_counts()
    # Two rows of two: four national counts (23,940) do not fit side by side in this column.
    keys = ("offices", "on_time", "late", "missing")
    for column, key in zip([*st.columns(2), *st.columns(2)], keys, strict=True):
        value = len(status) if key == "offices" else int(counts.get(key, 0))
        column.metric(tr(TEXTS, key), fmt_number(value))

st.subheader(tr(TEXTS, "by_ministry"))
ministries = result.by_ministry
names = ministries["ministry_bn" if lang() == "bn" else "ministry_en"]
shown = ministries.head(40)
figure = go.Figure(
    [
        go.Bar(
            y=names.head(40),
            x=shown[state],
            name=tr(TEXTS, state),
            orientation="h",
            marker_color=COLOURS[state],
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
        for state in ("missing", "late", "on_time")
    ]
)
figure.update_layout(
    barmode="stack",
    height=max(300, 22 * len(shown)),
    margin={"t": 10},
    yaxis={"autorange": "reversed"},
    xaxis_title=tr(TEXTS, "offices"),
    legend={"orientation": "h", "y": 1.05},
)
show_chart(figure)
ministry_table = overdue.ministry_table(result, style)
show_table_behind(pick(("সারণি", "Table")), "ministries-table", ministry_table, hide_index=True)
download_buttons(ministry_table, "reporting-by-ministry", filters.describe())

st.subheader(tr(TEXTS, "reminders"))
if result.offices.empty:
    st.success(tr(TEXTS, "all_sent"))
else:
    document_button(
        tr(TEXTS, "download"),
        lambda page_style: overdue.to_xlsx(result, page_style),
        "overdue",
        "xlsx",
        filters.describe(),
        rows=len(result.offices),
        primary=True,
    )
    # The page shows the first rows (the download has them all): only those are written out.
    first_offices = replace(result, offices=result.offices.head(MAX_ROWS))
    reminders = overdue.table(first_offices, style)
    show_table(reminders, hide_index=True, total=len(result.offices))
