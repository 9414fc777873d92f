"""The audit trail: who imported, superseded, changed or downloaded what, and when."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.i18n import fmt_date, lang, tr
from dashboard.session import current_scope
from data.audit import ACTIONS, events

TEXTS = {
    "title": ("নিরীক্ষা", "Audit trail"),
    "not_allowed": ("এই পাতা শুধু প্রশাসকদের জন্য।", "This page is for administrators only."),
    "user": ("ব্যবহারকারী", "User"),
    "action": ("কাজ", "Action"),
    "all": ("সব", "All"),
    "since": ("থেকে", "From"),
    "until": ("পর্যন্ত", "Until"),
    "at": ("সময় (ঢাকা)", "Time (Dhaka)"),
    "object": ("বিষয়", "Object"),
    "office": ("অফিস", "Office"),
    "details": ("বিস্তারিত", "Details"),
    "none": ("এই ফিল্টারে কোনো ঘটনা নেই।", "No events for these filters."),
}
DHAKA = dt.timezone(dt.timedelta(hours=6))

user = st.session_state.get("user")
if user is None or not user.is_admin:
    st.error(tr(TEXTS, "not_allowed"))
    st.stop()
st.title(tr(TEXTS, "title"))
left, middle, right, far = st.columns(4)
username = left.text_input(tr(TEXTS, "user"), key="audit-user").strip() or None
action = middle.selectbox(
    tr(TEXTS, "action"),
    [None, *ACTIONS],
    format_func=lambda a: tr(TEXTS, "all") if a is None else a,
)
since = right.date_input(
    tr(TEXTS, "since"), value=dt.date.today() - dt.timedelta(days=30), format="DD/MM/YYYY"
)
until = far.date_input(tr(TEXTS, "until"), value=dt.date.today(), format="DD/MM/YYYY")
found = events(
    cache.engine(), current_scope(), username=username, action=action, since=since, until=until
)
if found.empty:
    st.info(tr(TEXTS, "none"))
    st.stop()
at = pd.to_datetime(found["at"], utc=True).dt.tz_convert(DHAKA)
table = pd.DataFrame(
    {
        tr(TEXTS, "at"): [f"{fmt_date(t.date())} {t:%H:%M:%S}" for t in at],
        tr(TEXTS, "user"): found["username"],
        tr(TEXTS, "action"): found["action"],
        tr(TEXTS, "object"): found["object_type"].fillna("") + " " + found["object_id"].fillna(""),
        tr(TEXTS, "office"): found["office_bn" if lang() == "bn" else "office_en"].fillna(""),
        tr(TEXTS, "details"): found["details"].map(lambda d: "" if d is None else str(d)),
    }
)
show_table(table, hide_index=True, width="stretch")
download_buttons(
    table,
    "audit-trail",
    {"user": username or "", "action": action or "", "since": str(since), "until": str(until)},
)
