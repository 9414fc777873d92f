"""Drill-down: government → ministry/division → agency → divisional, district, upazila offices.

The node being looked at is in the URL (?node=<office id>); a breadcrumb leads back up; a
chart shows the children's mean projected composite with its spread; selecting a row in the
table opens the next level (or the office page at the bottom of the tree).
"""

import plotly.graph_objects as go
import streamlit as st

from dashboard import cache
from dashboard.components.chart import show_chart
from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.escape import bounded_int, literal
from dashboard.filters import TEXTS as FILTER_TEXTS
from dashboard.filters import sidebar_filters
from dashboard.i18n import OFFICE_LEVEL_NAMES, lang, name_of, pick, tr
from dashboard.session import current_scope
from data import queries

TEXTS = {
    "title": ("ড্রিল-ডাউন", "Drill-down"),
    "government": ("সরকার", "Government"),
    "name": ("নাম", "Name"),
    "level": ("স্তর", "Level"),
    "mean": ("গড় প্রক্ষেপিত নম্বর", "Mean projected score"),
    "std": ("বিচ্যুতি", "Spread (sd)"),
    "min": ("সর্বনিম্ন", "Min"),
    "max": ("সর্বোচ্চ", "Max"),
    "offices": ("নম্বরপ্রাপ্ত অফিস", "Offices scored"),
    "lagging": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "descendants": ("মোট অফিস", "Offices in subtree"),
    "pick": ("পরের স্তরে যেতে একটি সারি বেছে নিন।", "Select a row to open the next level."),
    "leaf": (
        "এটি সর্বনিম্ন স্তর: এর সূচকগুলো অফিসের পাতায় দেখুন।",
        "This is the bottom of the tree: the office page shows its indicators.",
    ),
    "open_office": ("অফিসের পাতা খুলুন", "Open the office page"),
    "none": ("এখানে কোনো অফিস নেই।", "No offices here."),
    "under": ("যার আওতায়", "Under"),
}

scope = current_scope()
st.title(tr(TEXTS, "title"))
filters = sidebar_filters(scope, ("fy", "q"))
raw = st.query_params.get("node")
node = None
if raw not in (None, ""):
    node = bounded_int(raw)  # digits only, within the ids' range
    if node is None or cache.query(queries.office, scope, node) is None:
        st.error(
            tr(
                FILTER_TEXTS,
                "bad",
                key="node",
                value=literal(raw),
                why=tr(FILTER_TEXTS, "not_found"),
                fallback=tr(TEXTS, "government"),
            ),
            icon=":material/error:",
        )
        node = None
        st.query_params.pop("node", None)

# Breadcrumb: government › ministry › agency › ...
crumbs = st.columns(6, gap="small")
if crumbs[0].button(tr(TEXTS, "government"), key="crumb-top", icon=":material/account_balance:"):
    st.query_params.pop("node", None)
    st.rerun()
if node is not None:
    trail = cache.query(queries.breadcrumb, scope, node)
    for i, row in enumerate(trail.itertuples(), start=1):
        label = f"› {name_of(row._asdict())}"
        if crumbs[min(i, 5)].button(label, key=f"crumb-{row.id}"):
            st.query_params["node"] = str(row.id)
            st.rerun()

children = cache.query(queries.children, scope, filters.fiscal_year, filters.quarter, node)
name_col = "name_bn" if lang() == "bn" else "name_en"
if children.empty:
    st.info(tr(TEXTS, "leaf"))
    if node is not None:
        st.page_link(
            "dashboard/pages/office.py",
            label=tr(TEXTS, "open_office"),
            query_params={"office": node, "fy": filters.fiscal_year, "q": filters.quarter},
            icon=":material/apartment:",
        )
    st.stop()

chart = children.dropna(subset=["mean"]).sort_values("mean")
figure = go.Figure(
    go.Bar(
        x=chart["mean"],
        y=chart[name_col],
        orientation="h",
        error_x={"type": "data", "array": chart["std"].fillna(0)},
        marker_color="#006a4e",
        customdata=chart["offices"],
        hovertemplate="%{y}: %{x:.1f} (n=%{customdata})<extra></extra>",
    )
)
figure.update_layout(
    height=min(max(300, 20 * len(chart)), 1400),
    margin={"t": 10},
    xaxis_title=tr(TEXTS, "mean"),
    xaxis_range=[0, 100],
)
show_chart(figure)

table = children.assign(level=children["level"].map(lambda v: pick(OFFICE_LEVEL_NAMES[v])))
table = table[
    ["id", name_col, "level", "mean", "std", "min", "max", "offices", "lagging", "descendants"]
]
st.caption(tr(TEXTS, "pick"))
selection = show_table(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key=f"drill-{node}",
    column_config={
        "id": "ID",
        name_col: tr(TEXTS, "name"),
        "level": tr(TEXTS, "level"),
        "mean": st.column_config.NumberColumn(tr(TEXTS, "mean"), format="%.1f"),
        "std": st.column_config.NumberColumn(tr(TEXTS, "std"), format="%.1f"),
        "min": st.column_config.NumberColumn(tr(TEXTS, "min"), format="%.1f"),
        "max": st.column_config.NumberColumn(tr(TEXTS, "max"), format="%.1f"),
        "offices": tr(TEXTS, "offices"),
        "lagging": tr(TEXTS, "lagging"),
        "descendants": tr(TEXTS, "descendants"),
    },
)
place = (
    tr(TEXTS, "government") if node is None else name_of(cache.query(queries.office, scope, node))
)
download_buttons(
    table.drop(columns="id"),
    "drill-down",
    {**filters.describe(), tr(TEXTS, "under"): place},
    {
        name_col: tr(TEXTS, "name"),
        **{key: tr(TEXTS, key) for key in ("level", "mean", "std", "min", "max")},
        **{key: tr(TEXTS, key) for key in ("offices", "lagging", "descendants")},
    },
)
rows = selection.selection.rows if selection else []
if rows:
    chosen = int(table.iloc[rows[0]]["id"])
    if cache.query(queries.children, scope, filters.fiscal_year, filters.quarter, chosen).empty:
        # The lowest level is no dead end: an office with none under it opens its own page.
        st.switch_page(
            "dashboard/pages/office.py",
            query_params={"office": chosen, "fy": filters.fiscal_year, "q": filters.quarter},
        )
    st.query_params["node"] = str(chosen)
    st.rerun()
if node is not None:
    st.page_link(
        "dashboard/pages/office.py",
        label=tr(TEXTS, "open_office"),
        query_params={"office": node, "fy": filters.fiscal_year, "q": filters.quarter},
        icon=":material/apartment:",
    )
