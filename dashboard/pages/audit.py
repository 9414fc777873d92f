"""The audit trail: who imported, superseded, changed or downloaded what, and when."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.i18n import digits, fmt_date, lang, pick, tr
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
ACTION_LABELS = {
    "sign-in": ("সাইন ইন", "Signed in"),
    "sign-in-failed": ("সাইন ইন ব্যর্থ", "Sign-in failed"),
    "sign-out": ("সাইন আউট", "Signed out"),
    "session-ended": ("সেশন শেষ", "Session ended"),
    "import": ("আমদানি", "Import"),
    "supersede": ("প্রতিস্থাপন", "Superseded"),
    "import-refused": ("আমদানি প্রত্যাখ্যাত", "Import refused"),
    "check-refused": ("যাচাইয়ে প্রত্যাখ্যাত", "Refused at the check"),
    "download": ("ডাউনলোড", "Download"),
    "template-download": ("টেমপ্লেট ডাউনলোড", "Template download"),
    "user-created": ("ব্যবহারকারী তৈরি", "User created"),
    "user-changed": ("ব্যবহারকারী পরিবর্তন", "User changed"),
    "user-unlocked": ("ব্যবহারকারী আনলক", "User unlocked"),
    "password-changed": ("পাসওয়ার্ড পরিবর্তন", "Password changed"),
    "sessions-ended": ("সব সেশন শেষ", "Sessions ended"),
    "permission-refused": ("অনুমতি নেই", "Permission refused"),
    "rules-changed": ("নিয়ম পরিবর্তন", "Rules changed"),
}
OBJECT_LABELS = {
    "user": ("ব্যবহারকারী", "user"),
    "file": ("ফাইল", "file"),
    "template": ("টেমপ্লেট", "template"),
    "submission": ("জমা", "submission"),
    "plan": ("পরিকল্পনা", "plan"),
    "report": ("প্রতিবেদন", "report"),
    "rule_set": ("নিয়মের সেট", "rule set"),
}
DETAIL_LABELS = {
    "reason": ("কারণ", "reason"),
    "filters": ("ফিল্টার", "filters"),
    "rows": ("সারি", "rows"),
    "sha256": ("SHA-256", "SHA-256"),
    "codes": ("সমস্যার কোড", "issue codes"),
    "what": ("কী", "what"),
}


def action_label(action) -> str:
    pair = ACTION_LABELS.get(action)
    return pick(pair) if pair else str(action or "–")


def object_label(kind, name) -> str:
    """What an event was about: its kind in the chosen language, and its name or id."""
    kind = pick(OBJECT_LABELS[kind]) if kind in OBJECT_LABELS else (kind or "")
    return digits(f"{kind} {name or ''}".strip())


def details_text(details) -> str:
    """An event's details as "label: value; ..." in the chosen language, not a dictionary."""
    if not details:
        return ""
    if not isinstance(details, dict):
        return str(details)
    parts = []
    for key, value in details.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} = {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        label = pick(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key.replace("_", " ")
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


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
    format_func={None: tr(TEXTS, "all"), **{a: action_label(a) for a in ACTIONS}}.get,
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
        tr(TEXTS, "action"): found["action"].map(action_label),
        tr(TEXTS, "object"): [
            object_label(kind, name)
            for kind, name in zip(found["object_type"], found["object_id"], strict=True)
        ],
        tr(TEXTS, "office"): found["office_bn" if lang() == "bn" else "office_en"].fillna(""),
        tr(TEXTS, "details"): found["details"].map(details_text),
    }
)
show_table(table, hide_index=True, width="stretch")
download_buttons(
    table,
    "audit-trail",
    {
        tr(TEXTS, "user"): username or tr(TEXTS, "all"),
        tr(TEXTS, "action"): action_label(action) if action else tr(TEXTS, "all"),
        tr(TEXTS, "since"): fmt_date(since),
        tr(TEXTS, "until"): fmt_date(until),
    },
)
