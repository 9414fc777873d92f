"""The filter component: fiscal year, quarter, ministry, agency, office level, plan type.

Filters live in the URL (st.query_params) so a view can be shared as a link. Every value read
from the URL is checked; a bad one gets a clear message in both languages and the default.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import cache
from dashboard.escape import bounded_int, literal
from dashboard.i18n import LEVELS, PLAN_TYPES, STATUSES, digits, name_of, pick, tr
from data.scope import Scope

TEXTS = {
    "filters": ("ফিল্টার", "Filters"),
    "fy": ("অর্থবছর", "Fiscal year"),
    "q": ("ত্রৈমাসিক", "Quarter"),
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "agency": ("দপ্তর/সংস্থা", "Agency"),
    "level": ("অফিসের স্তর", "Office level"),
    "plan": ("পরিকল্পনা", "Plan"),
    "status": ("অবস্থা", "Status"),
    "all": ("সব", "All"),
    "bad": (
        "লিংকের মান গ্রহণযোগ্য নয়: {key}={value} ({why})। এর বদলে {fallback} দেখানো হচ্ছে।",
        "The link's value {key}={value} is not valid ({why}); showing {fallback} instead.",
    ),
    "not_a_year": ("এমন অর্থবছর নেই", "no such fiscal year"),
    "not_a_quarter": ("ত্রৈমাসিক ১-৪ হতে হবে", "the quarter must be 1-4"),
    "not_found": ("পাওয়া যায়নি বা আপনার এখতিয়ারের বাইরে", "not found or outside your scope"),
    "unknown": ("অজানা মান", "unknown value"),
}


@dataclass(frozen=True)
class Filters:
    fiscal_year: str
    quarter: int
    ministry_id: int | None = None
    agency_id: int | None = None
    level: str | None = None
    plan_type: str | None = None
    status: str | None = None

    def describe(self) -> dict[str, str]:
        """The filters as labelled text, for the filters sheet of a download."""
        out = {
            f"{TEXTS['fy'][0]} ({TEXTS['fy'][1]})": self.fiscal_year,
            f"{TEXTS['q'][0]} ({TEXTS['q'][1]})": f"Q{self.quarter}",
        }
        for key, value in (
            ("ministry", self.ministry_id),
            ("agency", self.agency_id),
            ("level", self.level),
            ("plan", self.plan_type),
            ("status", self.status),
        ):
            if value is not None:
                out[f"{TEXTS[key][0]} ({TEXTS[key][1]})"] = str(value)
        return out


def _bad(key: str, value: str, why: str, fallback: str) -> None:
    st.error(
        tr(
            TEXTS,
            "bad",
            key=key,
            value=literal(value),
            why=tr(TEXTS, why),
            fallback=literal(fallback),
        ),
        icon=":material/error:",
    )


def _int_param(key: str) -> int | str | None:
    """A link's integer (an id, a quarter), bounded; anything else comes back as the text."""
    raw = st.query_params.get(key)
    if raw in (None, ""):
        return None
    number = bounded_int(raw)
    return raw if number is None else number


def _set(key: str, value) -> None:
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)


def default_fiscal_year() -> str:
    return cache.demo_info(cache.url()).get("demo_fiscal_year", "2024-25")


def sidebar_filters(
    scope: Scope, fields: tuple[str, ...] = ("fy", "q", "ministry", "agency", "level", "plan")
) -> Filters:
    """Render the filters in the sidebar, synced with the URL; returns the valid values."""
    url = cache.url()
    years = cache.fiscal_years(url)
    fy = st.query_params.get("fy") or default_fiscal_year()
    if fy not in years:
        _bad("fy", fy, "not_a_year", default_fiscal_year())
        fy = default_fiscal_year()
    latest = cache.latest_quarter(url, fy) or 1
    quarter = _int_param("q") or latest
    if quarter not in (1, 2, 3, 4):
        _bad("q", str(st.query_params.get("q")), "not_a_quarter", f"Q{latest}")
        quarter = latest
    st.sidebar.subheader(tr(TEXTS, "filters"))
    # Labels are computed here, not in format_func: format functions must not read session
    # state (AppTest calls them outside the session).
    year_labels = {y: digits(y) for y in years}
    quarter_labels = {q: digits(f"Q{q}") for q in (1, 2, 3, 4)}
    fy = st.sidebar.selectbox(
        tr(TEXTS, "fy"), years, index=years.index(fy), format_func=year_labels.get, key="f_fy"
    )
    quarter = st.sidebar.radio(
        tr(TEXTS, "q"),
        [1, 2, 3, 4],
        index=quarter - 1,
        horizontal=True,
        key="f_q",
        format_func=quarter_labels.get,
    )
    _set("fy", fy)
    _set("q", quarter)
    ministry_id = agency_id = level = plan_type = status = None
    all_label = tr(TEXTS, "all")
    if "ministry" in fields:
        ministries = cache.query("offices", scope, level="ministry")
        ids = [None, *ministries["id"].tolist()]
        names = {row.id: name_of(row._asdict()) for row in ministries.itertuples()}
        wanted = _int_param("ministry")
        if wanted is not None and wanted not in names:
            _bad("ministry", str(st.query_params.get("ministry")), "not_found", all_label)
            wanted = None
        ministry_id = st.sidebar.selectbox(
            tr(TEXTS, "ministry"),
            ids,
            index=ids.index(wanted),
            key="f_ministry",
            format_func={None: all_label, **names}.get,
        )
        _set("ministry", ministry_id)
    if "agency" in fields and ministry_id is not None:
        agencies = cache.query("offices", scope, level="agency", parent_id=ministry_id)
        ids = [None, *agencies["id"].tolist()]
        names = {row.id: name_of(row._asdict()) for row in agencies.itertuples()}
        wanted = _int_param("agency")
        if wanted is not None and wanted not in names:
            _bad("agency", str(st.query_params.get("agency")), "not_found", all_label)
            wanted = None
        agency_id = st.sidebar.selectbox(
            tr(TEXTS, "agency"),
            ids,
            index=ids.index(wanted),
            key="f_agency",
            format_func={None: all_label, **names}.get,
        )
        _set("agency", agency_id)
    else:
        st.query_params.pop("agency", None)
    for key, choices, attr in (
        ("level", LEVELS, "level"),
        ("plan", PLAN_TYPES, "plan_type"),
        ("status", STATUSES, "status"),
    ):
        if key not in fields:
            continue
        wanted = st.query_params.get(key) or None
        if wanted is not None and wanted not in choices:
            _bad(key, wanted, "unknown", all_label)
            wanted = None
        options = [None, *choices]
        shown = {None: all_label, **{v: pick(c) for v, c in choices.items()}}
        value = st.sidebar.selectbox(
            tr(TEXTS, key),
            options,
            index=options.index(wanted),
            key=f"f_{key}",
            format_func=shown.get,
        )
        _set(key, value)
        if attr == "level":
            level = value
        elif attr == "plan_type":
            plan_type = value
        else:
            status = value
    return Filters(fy, quarter, ministry_id, agency_id, level, plan_type, status)
