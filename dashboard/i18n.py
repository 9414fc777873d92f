"""Bengali first: the chosen language, texts in both languages, numbers and dates.

Each module keeps its own texts as `TEXTS = {"key": ("বাংলা", "English")}` and calls
`tr(TEXTS, "key")`. Numbers can be shown with Bengali digits; dates are day/month/year.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from core.terms import to_bengali_digits

LANGS = ("bn", "en")
T = TypeVar("T")

PLAN_TYPE_NAMES = {
    "apa": ("কৌশলগত উদ্দেশ্য (এপিএ)", "APA objectives"),
    "nis": ("শুদ্ধাচার", "Integrity (NIS)"),
    "egov": ("ই-গভর্ন্যান্স ও উদ্ভাবন", "E-governance"),
    "grs": ("অভিযোগ প্রতিকার", "Grievance redress"),
    "citizen_charter": ("সেবা প্রদান প্রতিশ্রুতি", "Citizen's charter"),
    "rti": ("তথ্য অধিকার", "Right to information"),
}
OFFICE_LEVEL_NAMES = {
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "agency": ("দপ্তর/সংস্থা", "Agency"),
    "divisional": ("বিভাগীয় কার্যালয়", "Divisional office"),
    "district": ("জেলা কার্যালয়", "District office"),
    "upazila": ("উপজেলা কার্যালয়", "Upazila office"),
}
STATUS_NAMES = {
    "on_track": ("সঠিক পথে", "On track"),
    "lagging": ("পিছিয়ে আছে", "Lagging"),
    "missed": ("সময় পেরিয়ে গেছে", "Missed"),
    "not_yet_due": ("এখনও সময় হয়নি", "Not yet due"),
    "not_reported": ("প্রতিবেদন নেই", "Not reported"),
    "not_scored": ("নম্বর হয়নি", "Not scored"),
    "needs_correction": ("সংশোধন প্রয়োজন", "Needs correction"),
}


# The language and digits pinned on this thread: while a deferred download builds its table on
# Streamlit's download thread, which has no session (`with_settings`), and while a run formats
# many values (`settled`).
_carried = threading.local()


def lang() -> str:
    carried = getattr(_carried, "settings", None)
    return carried[0] if carried else st.session_state.get("lang", "bn")


def bengali_digits() -> bool:
    carried = getattr(_carried, "settings", None)
    return carried[1] if carried else st.session_state.get("bn_digits", lang() == "bn")


@contextmanager
def settled() -> Iterator[None]:
    """Within the block, the language and digits as they are now, read from the session once.

    Each read of `st.session_state` costs some 10-20 µs (a lock, the widget state), and a
    table formats its cells one by one: a 500-row table read them some 10,000 times a run.
    Nothing inside a page changes them (the language radio and the digits toggle are read
    before the page runs), so pinning them for a table or a loop changes nothing shown."""
    previous = getattr(_carried, "settings", None)
    _carried.settings = (lang(), bengali_digits())
    try:
        yield
    finally:
        _carried.settings = previous


def with_settings(function: Callable[[], T]) -> Callable[[], T]:
    """`function`, to be called later on another thread, with this run's language and digits."""
    settings = (lang(), bengali_digits())

    def call() -> T:
        _carried.settings = settings
        try:
            return function()
        finally:
            _carried.settings = None

    return call


def status_label(status, rule=None) -> str:
    """An indicator's status in the chosen language; one that needs correction says why
    (the issue code of docs/import-issues.md, e.g. `unparseable-date`)."""
    if not isinstance(status, str) or status not in STATUS_NAMES:
        return "–"
    label = pick(STATUS_NAMES[status])
    if status == "needs_correction" and isinstance(rule, str) and rule:
        label = f"{label}: {rule}"
    return label


def tr(texts: dict[str, tuple[str, str]], key: str, /, **values) -> str:
    bn, en = texts[key]
    text = bn if lang() == "bn" else en
    return text.format(**values) if values else text


def pick(pair: tuple[str, str]) -> str:
    return pair[0] if lang() == "bn" else pair[1]


def name_of(row, prefix: str = "name") -> str:
    """The Bengali or English name of a row with name_bn/name_en columns."""
    return row[f"{prefix}_bn"] if lang() == "bn" else row[f"{prefix}_en"]


def digits(text: str) -> str:
    return to_bengali_digits(text) if bengali_digits() else text


def fmt_number(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return digits(f"{value:,.{decimals}f}")


def fmt_date(value: dt.date | None) -> str:
    if value is None:
        return "–"
    return digits(value.strftime("%d/%m/%Y"))


def fmt_value(value, unit_kind: str, decimals: int = 1) -> str:
    """A number, or for date indicators a day number shown as dd/mm/yyyy."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit_kind == "date":
        return fmt_date(dt.date.fromordinal(int(value)))
    return fmt_number(value, decimals)
