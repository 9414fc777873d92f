"""On the first run of the embedded default, build the demo data (demo/) with a progress bar."""

from __future__ import annotations

import os

import streamlit as st

from data.db import SETTING
from data.demo_store import holds_plans

TEXTS = {
    "building": ("প্রথমবার চালু হচ্ছে: ডেমো ডেটা তৈরি হচ্ছে…", "First run: building demo data…"),
    "done": ("ডেমো ডেটা তৈরি হয়েছে।", "Demo data built."),
}


def build_demo_if_empty(engine) -> None:
    """Only the embedded default (no APA_DATABASE_URL) is filled automatically, when it holds
    no plans: empty, or with only the master data `python -m loaders` loads."""
    if os.environ.get(SETTING) or holds_plans(engine):
        return
    from dashboard.i18n import tr
    from demo import build_demo

    bar = st.progress(0.0, text=tr(TEXTS, "building"))

    def progress(fraction: float, message_bn: str, message_en: str) -> None:
        message = message_bn if st.session_state.get("lang", "bn") == "bn" else message_en
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    build_demo(engine, progress=progress)
    bar.empty()
    st.cache_data.clear()
    st.toast(tr(TEXTS, "done"))
