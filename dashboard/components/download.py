"""Download buttons under every table: a formatted .xlsx and a CSV, made on click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.export import to_csv, to_xlsx
from dashboard.i18n import bengali_digits, lang, tr, with_settings
from dashboard.session import current_user_name
from data.audit import record_event
from reports.text import Style

TEXTS = {
    "xlsx": ("এক্সেল (.xlsx) ডাউনলোড", "Download .xlsx"),
    "csv": ("সিএসভি ডাউনলোড", "Download CSV"),
}


def _audited(make: Callable[[], object], name: str, kind: str, filters: dict, rows) -> Callable:
    """`make`, recording in the audit trail who downloaded which table with which filters when
    it runs. Streamlit runs it when the button is clicked, so a click needs no rerun of the
    page: with a rerun, the button's file was registered anew while the browser fetched it,
    and now and then the download never came."""
    engine, user = cache.engine(), current_user_name()

    def build():
        data = make()
        details = {"filters": filters, "rows": rows}
        record_event(engine, user, "download", object_type=kind, object_id=name, details=details)
        return data

    return build


def download_buttons(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    filters: dict[str, str],
    column_labels: dict[str, str] | None = None,
    rows: int | None = None,
    tag: str | None = None,
) -> None:
    """An .xlsx and a CSV button, their files named by the table and `tag` (the filters:
    `lagging-2024-25-Q2-ictd.xlsx`; by default those of this run's sidebar filters), else the
    day. The files are made only when a button is clicked, so a
    page run pays nothing for them; `frame` may be a function that builds the table then
    (with `rows`, its length, for the audit trail)."""
    stamp = tag or st.session_state.get("filters_tag") or dt.date.today().strftime("%Y-%m-%d")
    left, right = st.columns([1, 1], gap="small", width=420)
    if isinstance(frame, pd.DataFrame):
        count, table = len(frame), lambda: frame
    else:
        count, table = rows, with_settings(frame)

    def xlsx():
        return to_xlsx(table(), name, filters, column_labels)

    def csv():
        return to_csv(table(), column_labels)

    left.download_button(
        tr(TEXTS, "xlsx"),
        data=_audited(xlsx, name, "xlsx", filters, count),
        file_name=f"{name}-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{name}",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        tr(TEXTS, "csv"),
        data=_audited(csv, name, "csv", filters, count),
        file_name=f"{name}-{stamp}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
    )


DOCUMENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_button(
    label: str,
    make: Callable[[Style], bytes],
    name: str,
    kind: str,
    filters: dict[str, str],
    rows: int | None = None,
    primary: bool = False,
) -> None:
    """A download button for one of the desk's documents (reports/): `make(style)` writes it
    on click, in the page's language and digits; the download is audited like the tables'."""
    stamp = dt.date.today().strftime("%Y-%m-%d")
    build = with_settings(lambda: make(Style(lang(), bengali_digits())))
    st.download_button(
        label,
        data=_audited(build, name, kind, filters, rows),
        file_name=f"{name}-{stamp}.{kind}",
        mime=DOCUMENT_TYPES[kind],
        key=f"{kind}-{name}",
        icon=":material/description:" if kind == "docx" else ":material/download:",
        type="primary" if primary else "secondary",
        on_click="ignore",
    )
