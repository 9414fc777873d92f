"""Lagging indicators across offices, sorted by score at risk in composite marks (scoring.md
section 4: plans mix here), with who is responsible; and the views that act at scale: by
ministry, by indicator across offices, by office, each a table with its download, a row's
detail one click away."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.filters import explain_empty, in_url, sidebar_filters
from dashboard.i18n import (
    OFFICE_LEVEL_NAMES,
    PLAN_TYPE_NAMES,
    digits,
    fmt_number,
    fmt_value,
    lang,
    pick,
    settled,
    status_label,
    tr,
)
from dashboard.session import current_scope
from data import desk, queries

TEXTS = {
    "title": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "responsible": ("দায়িত্বপ্রাপ্ত (নামের অংশ)", "Responsible (part of the name)"),
    "shown": (
        "ঝুঁকিতে থাকা সমন্বিত নম্বর অনুসারে প্রথম {n}টি দেখানো হচ্ছে; ডাউনলোডে সবগুলো ({total}টি) আছে।",
        "Showing the first {n} by composite marks at risk; the download has all {total}.",
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
    "at_risk": ("ঝুঁকিতে থাকা নম্বর (পরিকল্পনার একক)", "Score at risk (plan units)"),
    "marks": ("ঝুঁকিতে থাকা সমন্বিত নম্বর", "Composite marks at risk"),
    "who": ("দায়িত্বপ্রাপ্ত", "Responsible"),
    "view": ("দেখুন", "View"),
    "detail": ("সূচকের তালিকা", "Indicator list"),
    "by_ministry": ("মন্ত্রণালয়ভিত্তিক", "By ministry"),
    "by_indicator": ("সূচকভিত্তিক (অফিসজুড়ে)", "By indicator, across offices"),
    "by_office": ("অফিসভিত্তিক", "By office"),
    "pick": ("বিস্তারিত দেখতে একটি সারি বেছে নিন।", "Select a row to see its detail."),
    "marks_note": (
        "ঝুঁকিতে থাকা সমন্বিত নম্বর = সূচকের ঝুঁকিতে থাকা নম্বর × পরিকল্পনার সমন্বিত নম্বর ÷ পরিকল্পনার মোট মান; বিভিন্ন পরিকল্পনার সূচক এতে তুলনীয়।",
        "Composite marks at risk = the indicator's score at risk × its plan's marks in the composite ÷ the plan's total; indicators of different plans compare on it.",
    ),
    "indicators": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "offices": ("অফিস", "Offices"),
    "having": ("যে অফিসে সূচকটি আছে", "Offices that have it"),
    "per_office": ("অফিসপ্রতি", "Per office"),
    "projected_composite": ("প্রক্ষেপিত সমন্বিত নম্বর", "Projected composite"),
    "only_indicator": ("শুধু এই সূচক: {code} {name}", "Only this indicator: {code} {name}"),
    "clear": ("সব সূচক দেখুন", "Show every indicator"),
    "date": ("তারিখ", "date"),
}
DATED = ("target", "expected", "achieved")
VIEWS = ("detail", "by_ministry", "by_indicator", "by_office")
SHOW = 500


def show_view(view: str, scope, filters, args: dict) -> None:
    """One of the views at scale: a table, its download, a selected row opens its detail."""
    fy, q = filters.fiscal_year, filters.quarter
    name = "name_bn" if lang() == "bn" else "name_en"
    if view == "by_ministry":
        rows = cache.query(desk.lagging_by_ministry, scope, fy, q, **args)
        table = rows[[name, "indicators", "offices", "composite_at_risk", "per_office"]]
        labels = {name: tr(TEXTS, "ministry")}
    elif view == "by_indicator":
        rows = cache.query(desk.lagging_by_indicator, scope, fy, q, **args)
        rows = rows.assign(plan=rows["plan_type"].map(lambda p: pick(PLAN_TYPE_NAMES[p])))
        table = rows[
            [
                "plan",
                "code",
                "name",
                "offices",
                "having",
                "composite_at_risk",
                "per_office",
                "score_at_risk",
            ]
        ]
        labels = {
            "plan": tr(TEXTS, "plan"),
            "code": tr(TEXTS, "code"),
            "name": tr(TEXTS, "name"),
            "having": tr(TEXTS, "having"),
            "score_at_risk": tr(TEXTS, "at_risk"),
        }
    else:
        rows = cache.query(desk.lagging_by_office, scope, fy, q, **args)
        rows = rows.assign(level=rows["level"].map(lambda v: pick(OFFICE_LEVEL_NAMES[v])))
        ministry = "ministry_bn" if lang() == "bn" else "ministry_en"
        table = rows[
            [name, ministry, "level", "indicators", "composite_at_risk", "projected_composite"]
        ]
        labels = {
            name: tr(TEXTS, "office"),
            ministry: tr(TEXTS, "ministry"),
            "level": tr(TEXTS, "level"),
            "projected_composite": tr(TEXTS, "projected_composite"),
        }
    if rows.empty:
        explain_empty(scope, filters, tr(TEXTS, "none"))
        return
    labels.update(
        {
            "indicators": tr(TEXTS, "indicators"),
            "offices": tr(TEXTS, "offices"),
            "composite_at_risk": tr(TEXTS, "marks"),
            "per_office": tr(TEXTS, "per_office"),
        }
    )
    st.caption(tr(TEXTS, "pick"))
    config = {key: labels.get(key, key) for key in table.columns}
    for key in ("composite_at_risk", "per_office", "score_at_risk", "projected_composite"):
        if key in config:
            config[key] = st.column_config.NumberColumn(labels[key], format="%.2f")
    selection = show_table(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"lagging-{view}",
        column_config=config,
    )
    download_buttons(
        table, f"lagging-{view.replace('_', '-')}", filters.describe(), labels, tag=filters.tag()
    )
    chosen = selection.selection.rows if selection else []
    if not chosen:
        return
    row = rows.iloc[chosen[0]]
    if view == "by_office":
        st.switch_page(
            "dashboard/pages/office.py",
            query_params={"office": int(row["office_id"]), "fy": fy, "q": q},
        )
    if view == "by_ministry":
        st.query_params["ministry"] = str(int(row["ministry_id"]))
    else:
        st.query_params["code"] = str(row["code"])
        st.query_params["indicator"] = str(row["name"])
        st.query_params["plan"] = str(row["plan_type"])
    st.query_params["view"] = "detail"
    st.session_state.pop("lagging-view", None)
    st.rerun()


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
    in_url("who", responsible)
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
view = st.segmented_control(
    tr(TEXTS, "view"),
    VIEWS,
    default=st.query_params.get("view") if st.query_params.get("view") in VIEWS else "detail",
    format_func=lambda v: tr(TEXTS, v),
    key="lagging-view",
)
view = view or "detail"
in_url("view", view)
st.caption(tr(TEXTS, "marks_note"))
if view != "detail":
    show_view(view, scope, filters, args)
    st.stop()

code = st.query_params.get("code")
if code:
    args |= {"code": code, "name": st.query_params.get("indicator") or None}
    st.info(tr(TEXTS, "only_indicator", code=digits(code), name=args["name"] or ""))
    if st.button(tr(TEXTS, "clear"), key="lagging-clear-code"):
        st.query_params.pop("code", None)
        st.query_params.pop("indicator", None)
        st.rerun()
# The page shows the first SHOW rows and counts the rest; only the download reads them all.
shown, total = cache.query(
    queries.lagging_shown, scope, filters.fiscal_year, filters.quarter, limit=SHOW, **args
)
if total == 0:
    explain_empty(scope, filters, tr(TEXTS, "none"))
    st.stop()

office_col, ministry_col = (
    ("office_bn", "ministry_bn") if lang() == "bn" else ("office_en", "ministry_en")
)


def target(kind: str, number, day) -> str:
    if kind == "date":
        return "–" if day is None or pd.isna(day) else fmt_value(day.toordinal(), "date")
    return fmt_number(number, 1)


@settled()  # formats every row's values: the settings read once
def lagging_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as shown and downloaded: names in the chosen language, values formatted by
    their unit (dates as day/month/year)."""
    kinds = rows["unit_kind"].tolist()
    return pd.DataFrame(
        {
            "office": rows[office_col],
            "ministry": rows[ministry_col],
            "level": rows["level"].map(lambda v: pick(OFFICE_LEVEL_NAMES[v])),
            "plan": rows["plan_type"].map(lambda p: pick(PLAN_TYPE_NAMES[p])),
            "code": rows["code"].astype(object).fillna("–"),
            "name": rows["name"],
            "target": [
                target(*values)
                for values in zip(kinds, rows["target_100"], rows["target_100_date"], strict=True)
            ],
            "expected": [fmt_value(v, k) for v, k in zip(rows["expected"], kinds, strict=True)],
            "achieved": [fmt_value(v, k) for v, k in zip(rows["achieved"], kinds, strict=True)],
            "projected_score": rows["projected_score"],
            "status": [
                status_label(s, r) for s, r in zip(rows["status"], rows["rule"], strict=True)
            ],
            "marks": rows["composite_at_risk"],
            "at_risk": rows["score_at_risk"],
            "who": rows["responsible"].astype(object).fillna("–"),
        }
    )


def lagging_download(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows for analysis: targets, expected and achieved values as numbers (digits are a
    display format), and for date indicators as dates, in columns of their own."""
    table = lagging_table(rows)
    dates = rows["unit_kind"].eq("date").to_numpy()
    for key, number, day in (
        ("target", rows["target_100"], rows["target_100_date"]),
        ("expected", rows["expected"], None),
        ("achieved", rows["achieved"], None),
    ):
        values = pd.to_numeric(number, errors="coerce").astype(float).to_numpy()
        table[key] = pd.Series(values, index=table.index).mask(dates)
        if dates.any():
            if day is None:
                day = [
                    dt.date.fromordinal(int(v)) if is_date and not pd.isna(v) else None
                    for v, is_date in zip(values, dates, strict=True)
                ]
            table[f"{key}_date"] = [
                d if is_date and d is not None and not pd.isna(d) else None
                for d, is_date in zip(day, dates, strict=True)
            ]
    return table


# Only the rows shown are read and formatted on each run; the download reads and formats all
# of them on click.
table = lagging_table(shown)
labels = {key: tr(TEXTS, key) for key in table.columns}
st.caption(tr(TEXTS, "shown", n=fmt_number(len(table)), total=fmt_number(total)))
show_table(
    table,
    hide_index=True,
    column_config={
        **labels,
        "projected_score": st.column_config.ProgressColumn(
            labels["projected_score"], min_value=0, max_value=100, format="%.0f"
        ),
        "at_risk": st.column_config.NumberColumn(labels["at_risk"], format="%.2f"),
        "marks": st.column_config.NumberColumn(labels["marks"], format="%.2f"),
    },
)
date_labels = {f"{key}_date": f"{tr(TEXTS, key)} ({tr(TEXTS, 'date')})" for key in DATED}
engine = cache.engine()  # the download is made on another thread, outside this run's cache
download_buttons(
    lambda: lagging_download(
        queries.lagging(engine, scope, filters.fiscal_year, filters.quarter, limit=None, **args)
    ),
    "lagging",
    {**filters.describe(), tr(TEXTS, "who"): responsible or "–"},
    labels | date_labels,
    rows=total,
    tag=filters.tag(),
)
