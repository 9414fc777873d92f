"""The filter component: fiscal year, quarter, ministry, agency, office level, plan type.

Filters follow the user: they live in the URL (st.query_params, so a view can be shared as a
link) and in the session (`kept()`), so a page opened from the sidebar, a language switch or a
link without them keeps what the user chose. Every value read from the URL is checked; a bad
one gets a clear message in both languages and the default. The quarter a page opens on is the
latest with real coverage in the user's scope, and the sidebar says how far it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from dashboard import cache
from dashboard.escape import bounded_int, literal
from dashboard.i18n import (
    OFFICE_LEVEL_NAMES,
    PLAN_TYPE_NAMES,
    STATUS_NAMES,
    digits,
    fmt_number,
    lang,
    pick,
    tr,
)
from data import queries
from data.queries import default_quarter
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
    "office": ("অফিস", "Office"),
    "all": ("সব", "All"),
    "coverage": (
        "{quarter}: {expected}টি অফিসের মধ্যে {reported}টি এ পর্যন্ত প্রতিবেদন পাঠিয়েছে",
        "{quarter}: {reported} of {expected} offices reported so far",
    ),
    "bad": (
        "লিংকের মান গ্রহণযোগ্য নয়: {key}={value} ({why})। এর বদলে {fallback} দেখানো হচ্ছে।",
        "The link's value {key}={value} is not valid ({why}); showing {fallback} instead.",
    ),
    "not_a_year": ("এমন অর্থবছর নেই", "no such fiscal year"),
    "not_a_quarter": ("ত্রৈমাসিক ১-৪ হতে হবে", "the quarter must be 1-4"),
    "not_found": ("পাওয়া যায়নি বা আপনার এখতিয়ারের বাইরে", "not found or outside your scope"),
    "unknown": ("অজানা মান", "unknown value"),
    "empty_no_plans": (
        "{fy} অর্থবছরে আপনার এখতিয়ারের কোনো অফিসের পরিকল্পনা এখনও আমদানি হয়নি; আপলোড পাতায় এপিএ আমদানি করুন বা অন্য অর্থবছর বেছে নিন।",
        "No office in your scope has a plan for {fy} yet: import the APAs on the upload page, or choose another fiscal year.",
    ),
    "empty_not_reported": (
        "{quarter}-এর প্রতিবেদন আপনার এখতিয়ারের কোনো অফিস এখনও পাঠায়নি ({expected}টির মধ্যে {reported}টি); আগের ত্রৈমাসিক বেছে নিন বা প্রতিবেদনের জন্য অপেক্ষা করুন।",
        "Nobody in your scope has reported {quarter} yet ({reported} of {expected} offices): choose an earlier quarter, or wait for the reports.",
    ),
    "empty_narrow": (
        "এই ফিল্টারগুলোর ({chosen}) সাথে কিছু মেলে না; একটি ফিল্টার সরিয়ে দেখুন।",
        "Nothing matches these filters ({chosen}): try removing one.",
    ),
    "empty_nothing": (
        "{quarter}-এ এখানে দেখানোর মতো কিছু নেই ({expected}টি অফিসের মধ্যে {reported}টি প্রতিবেদন পাঠিয়েছে)।",
        "Nothing to show here for {quarter} ({reported} of {expected} offices reported).",
    ),
}
KEPT = ("fy", "q", "ministry", "agency", "level", "plan", "office")  # follow the user's pages


@dataclass(frozen=True)
class Filters:
    fiscal_year: str
    quarter: int
    ministry_id: int | None = None
    agency_id: int | None = None
    level: str | None = None
    plan_type: str | None = None
    status: str | None = None
    # What the user saw for each chosen filter (names, not ids), and short codes for file names.
    shown: dict[str, str] = field(default_factory=dict, compare=False)
    codes: dict[str, str] = field(default_factory=dict, compare=False)

    def describe(self) -> dict[str, str]:
        """The filters as labelled text (names, in the page's language), for a download's
        filters sheet."""
        return {tr(TEXTS, key): value for key, value in self.shown.items()}

    def tag(self) -> str:
        """The filters for a file name: `2024-25-Q2-ictd`."""
        place = self.codes.get("agency") or self.codes.get("ministry")
        return "-".join(filter(None, (self.fiscal_year, f"Q{self.quarter}", place)))


def kept() -> dict[str, str]:
    """The filters the user chose, as URL values, kept across pages for the session."""
    return st.session_state.setdefault("kept_filters", {})


def in_url(key: str, value) -> None:
    """Show `value` in the URL as the query parameter `key`, unless the URL holds just that
    already. Every write sends the browser a message (a state change of the whole app there;
    a changed address adds a history entry), so a value the page opened with is not written
    again: most runs change no parameter at all."""
    if st.query_params.get_all(key) != [str(value)]:
        st.query_params[key] = str(value)


def keep(key: str, value) -> None:
    """Remember a filter in the session and show it in the URL (None forgets it)."""
    if value is None:
        kept().pop(key, None)
        st.query_params.pop(key, None)
    else:
        kept()[key] = str(value)
        in_url(key, value)


def _changed(key: str) -> None:
    """A filter widget changed: keep its value before the run draws the sidebar's links."""
    value = st.session_state.get(f"f_{key}")
    if key == "ministry":  # an agency belongs to its ministry
        kept().pop("agency", None)
        st.query_params.pop("agency", None)
        st.session_state.pop("f_agency", None)
    if value is None:
        kept().pop(key, None)
    else:
        kept()[key] = str(value)


def wanted(key: str) -> str | None:
    """A filter's value: the URL's, else the one kept in the session."""
    return st.query_params.get(key) or kept().get(key) or None


def wanted_int(key: str) -> int | str | None:
    """A filter's integer (an id, a quarter), bounded; anything else comes back as the text."""
    raw = wanted(key)
    number = None if raw is None else bounded_int(raw)
    return raw if number is None else number


def _bad(key: str, value, why: str, fallback: str) -> None:
    text = tr(
        TEXTS,
        "bad",
        key=key,
        value=literal(str(value)),
        why=tr(TEXTS, why),
        fallback=literal(fallback),
    )
    st.error(text, icon=":material/error:")


def default_fiscal_year() -> str:
    return cache.demo_info(cache.url()).get("demo_fiscal_year", "2024-25")


def _picker(key: str, options: dict, why: str = "not_found"):
    """One sidebar selectbox over `options` (value -> label, "All" first), starting on the
    wanted value; returns the choice, kept in the session and the URL."""
    value = wanted_int(key) if key in ("ministry", "agency") else wanted(key)
    if value is not None and value not in options:
        _bad(key, value, why, tr(TEXTS, "all"))
        value = None
    labels = {None: tr(TEXTS, "all"), **options}
    values = list(labels)
    choice = st.sidebar.selectbox(
        tr(TEXTS, key),
        values,
        index=values.index(value),
        key=f"f_{key}",
        format_func=labels.get,
        on_change=_changed,
        args=(key,),
    )
    keep(key, choice)
    return choice


def _offices(scope: Scope, level: str, parent_id: int | None = None) -> tuple[dict, dict]:
    found = cache.query(queries.offices, scope, level=level, parent_id=parent_id)
    # Column by column (hundreds of agencies at national scale), the language read once.
    ids = found["id"].tolist()
    names = found["name_bn" if lang() == "bn" else "name_en"].tolist()
    codes = [code.split(":")[-1] for code in found["code"].tolist()]
    return dict(zip(ids, names, strict=True)), dict(zip(ids, codes, strict=True))


def sidebar_filters(
    scope: Scope, fields: tuple[str, ...] = ("fy", "q", "ministry", "agency", "level", "plan")
) -> Filters:
    """Render the filters in the sidebar, kept in the session and the URL; the valid values."""
    years = cache.fiscal_years(cache.url())
    fy = wanted("fy") or default_fiscal_year()
    if fy not in years:
        _bad("fy", fy, "not_a_year", default_fiscal_year())
        fy = default_fiscal_year() if default_fiscal_year() in years else years[-1]
    coverage = cache.query(queries.quarter_coverage, scope, fy)
    quarter = wanted_int("q") or default_quarter(coverage)
    if quarter not in (1, 2, 3, 4):
        _bad("q", quarter, "not_a_quarter", f"Q{default_quarter(coverage)}")
        quarter = default_quarter(coverage)
    st.sidebar.subheader(tr(TEXTS, "filters"))
    # Labels are computed here, not in format_func: format functions must not read session
    # state (AppTest calls them outside the session).
    year_labels = {y: digits(y) for y in years}
    fy = st.sidebar.selectbox(
        tr(TEXTS, "fy"),
        years,
        index=years.index(fy),
        format_func=year_labels.get,
        key="f_fy",
        on_change=_changed,
        args=("fy",),
    )
    quarter_labels = {q: digits(f"Q{q}") for q in (1, 2, 3, 4)}
    quarter = st.sidebar.radio(
        tr(TEXTS, "q"),
        [1, 2, 3, 4],
        index=quarter - 1,
        horizontal=True,
        key="f_q",
        format_func=quarter_labels.get,
        on_change=_changed,
        args=("q",),
    )
    keep("fy", fy)
    keep("q", quarter)
    row = coverage.set_index("quarter").loc[quarter]
    if row["reported"] < row["expected"]:
        st.sidebar.caption(
            tr(
                TEXTS,
                "coverage",
                quarter=quarter_labels[quarter],
                reported=fmt_number(int(row["reported"])),
                expected=fmt_number(int(row["expected"])),
            )
        )
    chosen: dict = {"fy": digits(fy), "q": quarter_labels[quarter]}
    codes: dict = {}
    ministry_id = agency_id = None
    if "ministry" in fields:
        names, short = _offices(scope, "ministry")
        ministry_id = _picker("ministry", names)
        chosen["ministry"], codes["ministry"] = names.get(ministry_id), short.get(ministry_id)
    if "agency" in fields and ministry_id is not None:
        names, short = _offices(scope, "agency", ministry_id)
        agency_id = _picker("agency", names)
        chosen["agency"], codes["agency"] = names.get(agency_id), short.get(agency_id)
    elif "agency" in fields:
        keep("agency", None)
    picked = {}
    for key, choices in (
        ("level", OFFICE_LEVEL_NAMES),
        ("plan", PLAN_TYPE_NAMES),
        ("status", STATUS_NAMES),
    ):
        if key in fields:
            picked[key] = _picker(key, {v: pick(c) for v, c in choices.items()}, "unknown")
            chosen[key] = pick(choices[picked[key]]) if picked[key] else None
    shown = {k: v for k, v in chosen.items() if v is not None}
    codes = {k: v for k, v in codes.items() if v}
    found = Filters(
        fy,
        quarter,
        ministry_id,
        agency_id,
        picked.get("level"),
        picked.get("plan"),
        picked.get("status"),
        shown,
        codes,
    )
    st.session_state["filters_tag"] = found.tag()  # download file names (app.py clears it)
    return found


def explain_empty(scope: Scope, filters: Filters, what: str | None = None) -> None:
    """An empty state that says why (no plans yet, nothing reported yet, filters too narrow)
    and what to do; `what` is the page's own sentence, shown first."""
    coverage = cache.query(queries.quarter_coverage, scope, filters.fiscal_year)
    row = coverage.set_index("quarter").loc[filters.quarter]
    values = {
        "fy": digits(filters.fiscal_year),
        "quarter": digits(f"Q{filters.quarter}"),
        "reported": fmt_number(int(row["reported"])),
        "expected": fmt_number(int(row["expected"])),
    }
    narrowing = [value for key, value in filters.shown.items() if key not in ("fy", "q") and value]
    if row["expected"] == 0:
        reason = tr(TEXTS, "empty_no_plans", **values)
    elif row["reported"] == 0:
        reason = tr(TEXTS, "empty_not_reported", **values)
    elif narrowing:
        reason = tr(TEXTS, "empty_narrow", chosen=", ".join(narrowing))
    else:
        reason = tr(TEXTS, "empty_nothing", **values)
    st.info(f"{what} {reason}" if what else reason, icon=":material/info:")
