"""Download buttons under every table: a formatted .xlsx and a CSV, made on click."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.export import to_csv, to_xlsx
from dashboard.i18n import tr
from dashboard.session import current_user_name
from data.audit import record_event

TEXTS = {
    "xlsx": ("এক্সেল (.xlsx) ডাউনলোড", "Download .xlsx"),
    "csv": ("সিএসভি ডাউনলোড", "Download CSV"),
}


def _record(name: str, kind: str, filters: dict[str, str], rows: int) -> None:
    """The audit trail keeps who downloaded which table with which filters."""
    record_event(
        cache.engine(),
        current_user_name(),
        "download",
        object_type=kind,
        object_id=name,
        details={"filters": filters, "rows": rows},
    )


# Small tables are written on every run (cheap, and the browser gets the file at once); big
# ones are written only when the button is clicked.
EAGER_ROWS = 20_000


def download_buttons(
    frame: pd.DataFrame,
    name: str,
    filters: dict[str, str],
    column_labels: dict[str, str] | None = None,
) -> None:
    stamp = dt.date.today().strftime("%Y-%m-%d")
    left, right = st.columns([1, 1], gap="small", width=420)
    eager = len(frame) <= EAGER_ROWS

    def xlsx():
        return to_xlsx(frame, name, filters, column_labels)

    def csv():
        return to_csv(frame, column_labels)

    left.download_button(
        tr(TEXTS, "xlsx"),
        data=xlsx() if eager else xlsx,
        file_name=f"{name}-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{name}",
        icon=":material/download:",
        on_click=_record,
        args=(name, "xlsx", filters, len(frame)),
    )
    right.download_button(
        tr(TEXTS, "csv"),
        data=csv() if eager else csv,
        file_name=f"{name}-{stamp}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click=_record,
        args=(name, "csv", filters, len(frame)),
    )
