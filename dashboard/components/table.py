"""Tables on the page: `st.dataframe`, with Bengali digits in every number, code and date when
they are chosen.

The numbers stay numbers underneath (so a column still sorts by value); only what is shown
changes, through a pandas Styler, whose display values Streamlit draws. Progress bars draw their
own label and keep ASCII digits.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from dashboard.i18n import bengali_digits, digits, fmt_date, fmt_number, settled, tr

# Columns drawn by Streamlit itself, where a Styler's display value is not used.
_OWN_LABELS = {"progress", "checkbox", "link", "line_chart", "bar_chart", "area_chart", "image"}
_DECIMALS = re.compile(r"%[,]?\.(\d+)f")


TEXTS = {
    "first_rows": (
        "প্রথম {shown}টি সারি দেখানো হচ্ছে (মোট {total}টি); ডাউনলোডে সবগুলো আছে।",
        "Showing the first {shown} rows of {total}; the download has them all.",
    ),
}
# A page shows at most this many rows of a table (its download has all): a long table is read
# in the spreadsheet, and drawing Bengali digits costs about 30 µs a cell.
MAX_ROWS = 500


def show_table(
    frame: pd.DataFrame,
    column_config: dict | None = None,
    max_rows: int = MAX_ROWS,
    total: int | None = None,
    **kwargs,
):
    """`st.dataframe(frame, column_config=..., **kwargs)` over the first `max_rows` rows;
    returns what it returns (the selection, for tables that open the next level). `total`:
    the whole table's length when `frame` holds only its first rows (a page that builds only
    what is shown)."""
    # The Styler formats cell by cell inside st.dataframe: the settings read once, not per cell.
    with settled():
        return _show_table(frame, column_config, max_rows, total, **kwargs)


def show_short_table(frame: pd.DataFrame, decimals: dict[str, int] | None = None):
    """A few rows as a plain HTML table (`st.table`, no index), for a short table read at a
    glance that needs no sorting, search or scrolling: the data grid costs the browser far more
    to draw (its script, a canvas, and a second drawing once its width is known). Every value
    through the table's Styler as `show_table` shows it (Bengali digits when chosen); a number
    column with `decimals` gets that many."""
    with settled():
        formatters = {
            column: _formatter(frame[column], (decimals or {}).get(column), str(column))
            for column in frame.columns
        }
        return st.table(frame.style.format(formatters, na_rep="–"), hide_index=True)


def show_table_behind(label: str, key: str, frame: pd.DataFrame, **kwargs) -> None:
    """`show_table(frame, **kwargs)` in a collapsed expander, run only once it is opened
    (`.open`; opening it reruns the page): a page's tables behind "Table" are drawn by the
    browser only for those who open them; the data grid was about a third of a page's drawing.
    `key` must be unique on the page."""
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        if box.open:
            show_table(frame, **kwargs)


def _show_table(
    frame: pd.DataFrame, column_config: dict | None, max_rows: int, total: int | None, **kwargs
):
    total = len(frame) if total is None else total
    if total > max_rows:
        st.caption(tr(TEXTS, "first_rows", shown=fmt_number(max_rows), total=fmt_number(total)))
        frame = frame.head(max_rows)
    if not bengali_digits() or frame.empty:
        return st.dataframe(frame, column_config=column_config, **kwargs)
    config = dict(column_config or {})
    formatters = {}
    for column in frame.columns:
        spec = config.get(column)
        type_config = (spec.get("type_config") or {}) if isinstance(spec, dict) else {}
        if type_config.get("type") in _OWN_LABELS:
            continue
        decimals = _decimals(type_config.get("format"))
        if type_config.get("format") is not None:
            # The column config's format would override the Styler's display value.
            config[column] = {**spec, "type_config": {**type_config, "format": None}}
        formatters[column] = _formatter(frame[column], decimals, str(column))
    styled = frame.style.format(formatters, na_rep="–")
    return st.dataframe(styled, column_config=config, **kwargs)


def _decimals(printf: str | None) -> int | None:
    found = _DECIMALS.search(printf or "")
    return int(found.group(1)) if found else None


def _formatter(column: pd.Series, decimals: int | None, name: str):
    if pd.api.types.is_bool_dtype(column):
        return None
    if name.lower() == "id" or name.endswith("_id"):
        return lambda value: digits(str(value))  # an identifier, not a quantity: no separators
    if pd.api.types.is_integer_dtype(column):
        return lambda value: fmt_number(value, decimals or 0)
    if pd.api.types.is_float_dtype(column):
        if decimals is None:
            return _number
        return lambda value: fmt_number(value, decimals)
    if pd.api.types.is_datetime64_any_dtype(column):
        return _moment
    return _any_value


def _any_value(value) -> str:
    """Text as written (with Bengali digits); numbers and dates in mixed columns likewise."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dt.datetime):
        return _moment(value)
    if isinstance(value, dt.date):
        return fmt_date(value)
    return digits(str(value))


def _moment(value: dt.datetime) -> str:
    return digits(value.strftime("%d/%m/%Y %H:%M"))


def _number(value) -> str:
    """Up to two decimals, as many as the value needs: 10, 21.6, 0.25."""
    return digits(f"{value:,.2f}".rstrip("0").rstrip("."))
