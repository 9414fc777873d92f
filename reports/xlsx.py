"""Formatted workbooks for the documents (league table, reminder list).

reports/ cannot use dashboard/export.py (dashboard/ is the Streamlit layer), and its documents
are small (52 ministries, a few thousand overdue offices) but need more than a data dump: a
printed title, numbers that stay numbers yet show Bengali digits, several sheets. XlsxWriter,
already a dependency for the import templates, writes them cell by cell.

Safety as in dashboard/export.py: text is written as text, never as a formula, and text that
starts like a formula gets a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's number format with the Bengali numeral system (LCID 0x0445, numerals 05): numbers
# stay numbers (sortable, summable) and show as ৯২.৫৩; real APA files carry this format too.
BENGALI_NUMBERS = "[$-5000445]"


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@dataclass
class Sheet:
    """One sheet: a table whose first row is its header, with a title printed above it."""

    name: str
    table: pd.DataFrame
    title: str = ""
    decimals: dict[str, int] = field(default_factory=dict)  # column → decimals (numbers)
    widths: dict[str, int] = field(default_factory=dict)


def workbook(sheets: list[Sheet], bengali_digits: bool) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    header = book.add_format(
        {"bold": True, "bg_color": "#DDEBE4", "border": 1, "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"text_wrap": True, "valign": "top"})
    prefix = BENGALI_NUMBERS if bengali_digits else ""
    number_formats: dict[int, object] = {}

    def number_format(decimals: int):
        if decimals not in number_formats:
            pattern = "0" if decimals == 0 else "0." + "0" * decimals
            number_formats[decimals] = book.add_format(
                {"num_format": prefix + pattern, "valign": "top"}
            )
        return number_formats[decimals]

    date_format = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    used: set[str] = set()
    for sheet in sheets:
        name = _sheet_name(sheet.name, used)
        worksheet = book.add_worksheet(name)
        worksheet.set_landscape()
        worksheet.set_paper(9)  # A4
        worksheet.fit_to_pages(1, 0)
        worksheet.repeat_rows(0)
        if sheet.title:
            worksheet.set_header("&C&12&B" + sheet.title.replace("&", "&&"))
        columns = list(sheet.table.columns)
        for c, column in enumerate(columns):
            worksheet.write_string(0, c, str(column), header)
            width = sheet.widths.get(column) or _width(str(column), sheet.table[column])
            worksheet.set_column(c, c, width)
        for r, row in enumerate(sheet.table.itertuples(index=False), start=1):
            for c, value in enumerate(row):
                column = columns[c]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    worksheet.write_blank(r, c, None)
                elif isinstance(value, bool):
                    worksheet.write_boolean(r, c, value)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    decimals = sheet.decimals.get(column, 0 if float(value).is_integer() else 2)
                    worksheet.write_number(r, c, float(value), number_format(decimals))
                elif isinstance(value, dt.date):
                    moment = (
                        value
                        if isinstance(value, dt.datetime)
                        else dt.datetime.combine(value, dt.time.min)
                    )
                    worksheet.write_datetime(r, c, moment.replace(tzinfo=None), date_format)
                elif value is pd.NA or value is pd.NaT:
                    worksheet.write_blank(r, c, None)
                else:
                    worksheet.write_string(r, c, neutralise(str(value)), text)
        worksheet.freeze_panes(1, 0)
        if len(sheet.table):
            worksheet.autofilter(0, 0, len(sheet.table), max(len(columns) - 1, 0))
    book.close()
    return buffer.getvalue()


def _width(label: str, series: pd.Series) -> int:
    longest = series.head(200).map(lambda v: len(str(v))).max() if len(series) else 0
    return min(max(len(label), int(longest or 0)) + 2, 60)


def _sheet_name(name: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "Sheet"
    candidate, n = cleaned, 2
    while candidate in used:
        candidate = f"{cleaned[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate
