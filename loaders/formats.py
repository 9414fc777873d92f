"""Cell number formats of an .xlsx/.xlsm: which numeric cells Excel shows as percents or dates.

python-calamine gives values only. The format decides what a number means, though: 0.9 in a
cell formatted `0%` is 90%, and 1 is 100% (a plain 1 is just 1); a serial day number in a
date-formatted cell is a date even where the reader did not recognise the format (a Bengali
locale prefix such as `[$-5000445]dd/mm/yyyy`). This module reads the styles part
(`xl/styles.xml`: `numFmts` and `cellXfs`) and the `s` attribute of each numeric cell, and
`apply` puts the meaning into the values read: a `normalise.Percent` (the value as shown,
0.9 → 90) or a `datetime.date`.

Error cells (`#REF!`, `#DIV/0!`, a formula whose cached result is an error) come back from
python-calamine as empty strings, which would read as an unset level; they are found here too
(`t="e"`) and given back as the error text, so that the indicator is flagged where it is.

Untrusted files stay untrusted: read.py has already refused DTDs and oversized parts; the
styles part is parsed with defusedxml; worksheets are scanned with one bounded regular
expression that only matches cells whose style is a percent or date format, so a sheet
without such cells costs one pass of a C regex search and nothing else.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile

from defusedxml import ElementTree

from loaders.normalise import EXCEL_EPOCH, Percent
from loaders.parts import worked_out

PERCENT, DATE = "percent", "date"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Excel's built-in format ids (ECMA-376 part 1, 18.8.30): 9 and 10 are percents; these are dates
# (14-17, 22 and the East Asian date ids); 18-21 and 45-47 are times of day, left alone.
BUILTIN_PERCENT = {9, 10}
BUILTIN_DATE = {14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)}
# Quoted text, escaped characters and bracketed parts ([$-5000445], [Red], [<100]) say nothing
# about the kind of value.
_STRIP = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_CELL_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_ERROR_CELL = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*)>(.{0,2000}?)</c>', re.DOTALL)
_ERROR_VALUE = re.compile(rb"<v>([^<]{1,30})</v>")


def format_kind(code: str | None) -> str | None:
    """PERCENT, DATE or None for a number format code such as `0%`, `dd/mm/yyyy`,
    `[$-5000445]0.00%`, `#,##0`."""
    if not code:
        return None
    if _ELAPSED.search(code):
        return None  # [h]:mm, elapsed time
    section = _STRIP.sub("", code.split(";")[0]).casefold()
    if "%" in section:
        return PERCENT
    if "general" in section:
        return None
    if "y" in section or "d" in section:
        return DATE
    if "m" in section and "h" not in section and "s" not in section:
        return DATE  # `mmm-yy` has a y; a lone month (`mmmm`) is still a date
    return None


def _style_kinds(archive: zipfile.ZipFile, names: set[str]) -> dict[int, str]:
    """{cellXfs index: PERCENT | DATE} from the styles part."""
    if "xl/styles.xml" not in names:
        return {}
    return dict(worked_out("style kinds", _kinds_of_styles, archive.read("xl/styles.xml")))


def _kinds_of_styles(styles_part: bytes) -> tuple[tuple[int, str], ...]:
    root = ElementTree.fromstring(styles_part)
    custom = {
        int(el.get("numFmtId", "-1")): el.get("formatCode")
        for el in root.iter(f"{MAIN}numFmt")
        if el.get("numFmtId", "").isdigit()
    }
    kinds: dict[int, str] = {}
    cell_xfs = root.find(f"{MAIN}cellXfs")
    if cell_xfs is None:
        return ()
    for index, xf in enumerate(cell_xfs.iter(f"{MAIN}xf")):
        number = xf.get("numFmtId", "0")
        if not number.isdigit():
            continue
        number_id = int(number)
        if number_id in custom:
            kind = format_kind(custom[number_id])
        elif number_id in BUILTIN_PERCENT:
            kind = PERCENT
        elif number_id in BUILTIN_DATE:
            kind = DATE
        else:
            kind = None
        if kind:
            kinds[index] = kind
    return tuple(kinds.items())


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """{sheet name: its worksheet part}, from the workbook part and its relationships."""
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in names:
        return {}
    rels = archive.read(rels_name)
    book = archive.read("xl/workbook.xml")
    found = worked_out("sheets and parts", _sheets_and_parts, rels, book)
    return {sheet: part for sheet, part in found if part in names}


def _sheets_and_parts(rels_part: bytes, book_part: bytes) -> tuple[tuple[str, str | None], ...]:
    """(sheet name, the part its relationship names) of every sheet, in order."""
    targets = {}
    for rel in ElementTree.fromstring(rels_part).iter(f"{PACKAGE_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(part)
    return tuple(
        (sheet.get("name"), targets.get(sheet.get(f"{REL}id")))
        for sheet in ElementTree.fromstring(book_part).iter(f"{MAIN}sheet")
    )


def _column_index(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number - 1


def _cells(xml: bytes, kinds: dict[int, str]) -> dict[tuple[int, int], str]:
    """{(row, column) 0-based: kind} of the numeric cells styled with one of `kinds`."""
    styles = "|".join(str(index) for index in sorted(kinds))
    pattern = re.compile(rb'<c\b[^>]*?\bs="(' + styles.encode() + rb')"[^>]*>')
    found = {}
    for match in pattern.finditer(xml):
        attributes = match.group(0)
        cell_type = _CELL_TYPE.search(attributes)
        if cell_type and cell_type.group(1) not in (b"n",):
            continue  # text, booleans, errors: their value says what it is
        where = _CELL_REF.search(attributes)
        if where is None:
            continue
        row, column = int(where.group(2)) - 1, _column_index(where.group(1))
        found[(row, column)] = kinds[int(match.group(1))]
    return found


def _errors(xml: bytes) -> dict[tuple[int, int], str]:
    """{(row, column) 0-based: the error text} of the sheet's error cells (`t="e"`)."""
    if b't="e"' not in xml:
        return {}
    found = {}
    for match in _ERROR_CELL.finditer(xml):
        where = _CELL_REF.search(match.group(1))
        value = _ERROR_VALUE.search(match.group(2))
        if where is None or value is None:
            continue
        row, column = int(where.group(2)) - 1, _column_index(where.group(1))
        found[(row, column)] = value.group(1).decode("ascii", "replace")
    return found


def number_formats(
    archive: zipfile.ZipFile, sheet_names: list[str] | None = None
) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet name: {(row, column): PERCENT | DATE | the error text}} for the numeric cells of
    those formats and the error cells, in the sheets named (every sheet when None).

    A workbook whose styles cannot be read gives {} (values are still read; only their
    formats are not known), never an exception."""
    try:
        names = set(archive.namelist())
        kinds = _style_kinds(archive, names)
        parts = _sheet_parts(archive, names)
        wanted = parts if sheet_names is None else sheet_names
        found = {}
        for name in wanted:
            if name not in parts:
                continue
            xml = archive.read(parts[name])
            found[name] = (_cells(xml, kinds) if kinds else {}) | _errors(xml)
        return found
    except (ElementTree.ParseError, KeyError, ValueError, zipfile.BadZipFile, OSError):
        return {}


def apply(rows: list[list[object]], cells: dict[tuple[int, int], str] | None) -> None:
    """Give the values of percent- and date-formatted numeric cells their meaning, and error
    cells their error text, in place."""
    for (r, c), kind in (cells or {}).items():
        if r >= len(rows) or c >= len(rows[r]):
            continue
        value = rows[r][c]
        if kind not in (PERCENT, DATE):
            if value is None or value == "":
                rows[r][c] = kind  # `#REF!`: the reader gave nothing
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if kind == PERCENT:
            rows[r][c] = Percent(round(float(value) * 100, 10))
        elif kind == DATE and 1 <= value < 2_958_466:  # Excel's days 1900-01-01 .. 9999-12-31
            rows[r][c] = EXCEL_EPOCH + dt.timedelta(days=int(value))
