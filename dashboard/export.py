"""Tables as formatted spreadsheets (.xlsx) and CSV, safe to open.

Text a user typed must never become a live formula in Excel: any string that starts with
=, +, -, @, a tab or a carriage return is written with a leading apostrophe, in both formats,
and XlsxWriter is told not to turn strings into formulas at all.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from zoneinfo import ZoneInfo

import pandas as pd
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DHAKA = ZoneInfo("Asia/Dhaka")


def neutralise(value):
    """A cell value as text Excel will show literally (numbers and dates pass through)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(frame: pd.DataFrame, column_labels: dict[str, str] | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads Bengali correctly."""
    out = _safe(frame).rename(columns=column_labels or {})
    return out.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(
    frame: pd.DataFrame,
    title: str,
    filters: dict[str, str],
    column_labels: dict[str, str] | None = None,
    filters_sheet: str = "ফিল্টার (Filters)",
) -> bytes:
    """A formatted workbook: header row frozen, autofilter, widths, number and date formats,
    and a second sheet with the filters used and when the file was made (Asia/Dhaka)."""
    labels = column_labels or {}
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    header = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBE4", "border": 1, "text_wrap": True, "valign": "top"}
    )
    number = workbook.add_format({"num_format": "0.00"})
    integer = workbook.add_format({"num_format": "0"})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet(title[:31])
    columns = list(frame.columns)
    kinds = {}
    for c, name in enumerate(columns):
        series = frame[name]
        if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
            kinds[name] = "integer"
        elif pd.api.types.is_float_dtype(series):
            kinds[name] = "number"
        elif pd.api.types.is_datetime64_any_dtype(series) or (
            len(series.dropna()) and isinstance(series.dropna().iloc[0], dt.date)
        ):
            kinds[name] = "date"
        else:
            kinds[name] = "text"
        label = str(labels.get(name, name))
        sheet.write_string(0, c, label, header)
        # pandas 3 keeps missing values missing through astype(str): count them as empty.
        longest = series.head(200).astype(str).str.len().max()
        width = max(len(label), 0 if pd.isna(longest) else int(longest))
        sheet.set_column(c, c, min(max(width + 2, 8), 60))
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for c, value in enumerate(row):
            name = columns[c]
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
                continue
            kind = kinds[name]
            if kind == "date" and isinstance(value, dt.date):
                moment = (
                    value
                    if isinstance(value, dt.datetime)
                    else dt.datetime.combine(value, dt.time())
                )
                sheet.write_datetime(r, c, moment.replace(tzinfo=None), date)
            elif kind in ("number", "integer") and isinstance(value, (int, float)):
                sheet.write_number(r, c, float(value), integer if kind == "integer" else number)
            else:
                sheet.write_string(r, c, str(neutralise(str(value))))
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)
    info = workbook.add_worksheet(filters_sheet[:31])
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 50)
    made = dt.datetime.now(DHAKA).strftime("%d/%m/%Y %H:%M")
    info.write_string(0, 0, "তৈরি (Made)", header)
    info.write_string(0, 1, made + " (Asia/Dhaka)")
    info.write_string(1, 0, "সারি (Rows)", header)
    info.write_number(1, 1, len(frame))
    for r, (key, value) in enumerate(filters.items(), start=2):
        info.write_string(r, 0, str(key), header)
        info.write_string(r, 1, str(neutralise(str(value))))
    workbook.close()
    return buffer.getvalue()
