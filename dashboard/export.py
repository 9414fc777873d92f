"""Tables as formatted spreadsheets (.xlsx) and CSV, safe to open.

Text a user typed must never become a live formula in Excel. In a CSV (which Excel parses)
any string that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe.
An .xlsx needs no such guard and shows none: the writer stores every string as a string
(never as a formula), and text columns carry the text format ("@"), so a cell edited in
Excel stays text too. Numbers stay numbers and dates dates: digits are a display format.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pandas as pd
import rustpy_xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DHAKA = ZoneInfo("Asia/Dhaka")
CELL_LIMIT = 32_767  # characters Excel keeps in a cell (rust_xlsxwriter refuses more)
CUT = "…"


def neutralise(value):
    """A cell value as text Excel will show literally (numbers and dates pass through), cut
    to what a cell holds."""
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
        if len(value) > CELL_LIMIT:
            value = value[: CELL_LIMIT - len(CUT)] + CUT
    return value


def neutralised(series: pd.Series, guard: bool = True) -> pd.Series:
    """`neutralise` over a whole column at once, as text; missing values stay missing. Text
    longer than a cell holds is cut (by characters, so no character is split) and ends in an
    ellipsis, rather than making the whole download fail. Without `guard` (an .xlsx) no
    apostrophe is added."""
    text = series.astype("string")
    if guard:
        risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
        text = text.mask(risky, "'" + text)
    long = (text.str.len() > CELL_LIMIT).fillna(False).astype(bool)
    if long.any():
        text = text.mask(long, text.str.slice(0, CELL_LIMIT - len(CUT)) + CUT)
    return text


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = neutralised(out[column])
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
    and a second sheet with the filters used and when the file was made (Asia/Dhaka).

    Written by rustpy-xlsxwriter (Python over rust_xlsxwriter, the Rust port of XlsxWriter):
    a 100,000-row table takes about a second where XlsxWriter's per-cell Python takes ten or
    more (bench/bench_pages.py)."""
    labels = column_labels or {}
    kinds = [_kind(frame[name]) for name in frame.columns]
    cells = pd.DataFrame(
        {
            f"c{c}": _cells(frame[name], kind)
            for c, (name, kind) in enumerate(zip(frame.columns, kinds, strict=True))
        },
        index=range(len(frame)),
    )
    cells.columns = _unique([str(labels.get(name, name)) for name in frame.columns])
    widths = [
        _width(label, frame[name]) for label, name in zip(cells.columns, frame.columns, strict=True)
    ]
    made = dt.datetime.now(DHAKA).strftime("%d/%m/%Y %H:%M")
    about = pd.DataFrame(
        {
            "ফিল্টার (Filter)": ["তৈরি (Made)", "সারি (Rows)", *map(str, filters)],
            "মান (Value)": [
                made + " (Asia/Dhaka)",
                str(len(frame)),
                *neutralised(pd.Series([str(v) for v in filters.values()], dtype=object), False),
            ],
        }
    )
    sheet, info = _sheet_name(title), _sheet_name(filters_sheet)
    if info == sheet:
        info = _sheet_name(f"{filters_sheet} 2")
    header = (
        rustpy_xlsxwriter.Format()
        .set_bold()
        .set_background_color("#DDEBE4")
        .set_border("thin")
        .set_text_wrap()
        .set_align("top")
    )
    buffer = io.BytesIO()
    rustpy_xlsxwriter.write_worksheets(
        [(sheet, cells), (info, about)],
        buffer,
        freeze_panes={sheet: {"row": 1, "col": 0}},
        header_format={sheet: header, info: header},
        column_formats={sheet: [_format(kind) for kind in kinds], info: [_format("text")] * 2},
        column_widths={sheet: widths, info: [28, 50]},
        autofilter={sheet: True},
    )
    return buffer.getvalue()


NUMBER_FORMATS = {"integer": "0", "number": "0.00", "date": "dd/mm/yyyy", "text": "@"}


def _format(kind: str):
    cell_format = rustpy_xlsxwriter.Format()
    return (
        cell_format.set_num_format(NUMBER_FORMATS[kind]) if kind in NUMBER_FORMATS else cell_format
    )


def _width(label: str, series: pd.Series) -> int:
    # pandas 3 keeps missing values missing through astype(str): count them as empty.
    longest = series.head(200).astype(str).str.len().max()
    width = max(len(label), 0 if pd.isna(longest) else int(longest))
    return min(max(width + 2, 8), 60)


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of [ ] : * ? / \\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31]
    return cleaned or "Sheet1"


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    present = series.dropna()
    if len(present) and all(isinstance(value, dt.date) for value in present.tolist()):
        return "date"
    return "text"  # mixed columns (a date here, a remark there) keep every value as text


def _cells(series: pd.Series, kind: str) -> pd.Series:
    """A column's cell values, ready to write: numbers, dates without a time zone,
    neutralised text; missing values stay missing (empty cells)."""
    values = series.reset_index(drop=True)
    if kind == "text":
        text = neutralised(values, guard=False)
        return text.astype(object).where(text.notna(), None)
    if kind == "date":
        moments = pd.to_datetime(values, errors="coerce")
        return moments.dt.tz_localize(None) if moments.dt.tz is not None else moments
    return pd.to_numeric(values, errors="coerce").astype(float)
