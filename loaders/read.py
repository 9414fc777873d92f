"""Workbook bytes → sheets of cell values. Reading only: no interpretation, no checks of content.

Untrusted workbooks are untrusted: the file's size, its zip directory (member count, sizes,
compression ratios), DTDs in its XML parts and its sheets' declared dimensions are checked
*before* anything is parsed, so a zip or XML bomb, thousands of sheets or a million rows are
refused within seconds and in bounded memory. What the sheets would cost once parsed (their
extent from A1, the cells and text they hold, their merged ranges) is measured on the stored
XML by loaders/bounds.py and bounded too, because python-calamine cannot be stopped once it
asks for more memory than there is. Values come from python-calamine, which returns a formula
cell's cached value and evaluates nothing. Merged cells are resolved: every cell of a merged
range holds the top-left value, and `Sheet.is_continuation` tells which repeat it. Merged
ranges are clipped to the sheet's data first (a merge may reach XFD1048576 and cover nothing).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from defusedxml import ElementTree

from core.issues import Refusal
from loaders import bounds, formats
from loaders.parts import worked_out

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XML_HEAD_BYTES = 64 * 1024
WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
KEPT_PART_BYTES = 4 * 2**20  # a part read whole up to this size is kept for the next reader


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 2**20
    max_uncompressed: int = 250 * 2**20
    max_ratio: int = 200
    max_members: int = 2_000
    max_sheets: int = 100
    max_rows: int = 20_000
    max_columns: int = 300
    max_cells: int = 1_000_000  # per workbook: every sheet's rows × columns, from A1
    max_text: int = 64 * 2**20  # bytes of cell text per workbook, a shared string at every use
    max_merges: int = 20_000  # merged ranges per workbook
    max_merged_cells: int = 200_000  # cells inside merged ranges (clipped to the data)


class UnreadableWorkbook(Refusal):
    """The whole file is refused: a registered code (core/issues.py), its wording and
    parameters; `issue()` is the report's issue, `message_en`/`message_bn` its messages."""

    def __init__(self, code: str, file_name: str, **arguments) -> None:
        super().__init__(code, file=file_name, **arguments)
        self.file_name = file_name


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    _origins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for r0, c0, r1, c1 in self.merged:  # row by row, as nested loops would (a later wins)
            cells = itertools.product(range(r0, r1 + 1), range(c0, c1 + 1))
            self._origins.update(dict.fromkeys(cells, (r0, c0)))

    def origin(self, row: int, col: int) -> tuple[int, int]:
        return self._origins.get((row, col), (row, col))

    def is_continuation(self, row: int, col: int) -> bool:
        if not self._origins:  # a sheet without merged ranges: nothing to look up
            return False
        origin = self._origins.get((row, col))
        return origin is not None and origin != (row, col)

    def from_above(self, row: int, col: int) -> bool:
        """`is_continuation(row, col) and origin(row, col)[0] != row` in one lookup: the cell
        repeats a merged cell of a row above."""
        origin = self._origins.get((row, col)) if self._origins else None
        return origin is not None and origin[0] != row

    def from_left(self, row: int, col: int) -> bool:
        """`is_continuation(row, col) and origin(row, col)[0] == row` in one lookup: the cell
        repeats a merged cell of its own row, to its left."""
        origin = self._origins.get((row, col)) if self._origins else None
        return origin is not None and origin[0] == row and origin[1] != col

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Workbook:
    file_name: str
    sha256: str
    size: int
    format: str
    sheets: list[Sheet]
    cells: int = 0  # rows × columns the reader held, every sheet (the upload's cell budget)


def excel_row(row: int) -> int:
    return row + 1


@functools.lru_cache(maxsize=1024)  # every cell of a column asks again
def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- refusals


def _refuse(code: str, name: str, **arguments) -> UnreadableWorkbook:
    return UnreadableWorkbook(code, name, **arguments)


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


class _Archive(zipfile.ZipFile):
    """A workbook's zip that keeps the small parts it has read: the guards here, the cost
    scan (bounds.py) and the format scan (formats.py) read the same parts in turn. A part is
    kept only once it has been read whole, as the caller asked, so every check sees the bytes
    and the errors (a bad CRC, a truncated part) where it saw them before."""

    def __init__(self, file) -> None:
        super().__init__(file)
        self._kept: dict[str, bytes] = {}

    def read(self, name, pwd=None) -> bytes:
        if isinstance(name, str) and name in self._kept:
            return self._kept[name]
        with super().open(name, "r", pwd) as stream:  # ZipFile.read, which calls open()
            data = stream.read()
        if isinstance(name, str) and len(data) <= KEPT_PART_BYTES:
            self._kept[name] = data
        return data

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode == "r" and isinstance(name, str) and pwd is None:
            if name in self._kept:
                return io.BytesIO(self._kept[name])
            if self.getinfo(name).file_size <= XML_HEAD_BYTES:
                return io.BytesIO(self.read(name))  # what the head's reader reads whole anyway
        return super().open(name, mode, pwd, force_zip64=force_zip64)


def _check_zip(data: bytes, name: str, limits: Limits) -> tuple[zipfile.ZipFile, str]:
    try:
        archive = _Archive(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise _refuse("truncated-workbook", name, reason=error) from error
    if len(members) > limits.max_members:
        raise _refuse(
            "zip-bomb",
            name,
            variant="parts",
            value=len(members),
            parts=f"{len(members):,}",
            limit=f"{limits.max_members:,}",
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise _refuse(
            "zip-bomb", name, value=total, size=_mib(total), limit=_mib(limits.max_uncompressed)
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 2**20 and ratio > limits.max_ratio:
            raise _refuse(
                "zip-bomb",
                name,
                variant="ratio",
                value=member.filename,
                member=member.filename,
                ratio=f"{ratio:,.0f}",
                limit=limits.max_ratio,
            )
    names = {m.filename for m in members}
    if "xl/workbook.xml" in names:
        kind = "xlsm" if "xl/vbaProject.bin" in names or name.lower().endswith(".xlsm") else "xlsx"
    elif "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
        kind = "ods"
    else:
        raise _refuse("not-a-workbook", name, variant="zip")
    return archive, kind


def _xml_head(archive: zipfile.ZipFile, member: str) -> bytes:
    try:
        with archive.open(member) as stream:
            return stream.read(XML_HEAD_BYTES)
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as error:
        raise _refuse(
            "truncated-workbook",
            archive.filename or member,
            variant="part",
            member=member,
            reason=error,
        ) from error


def _check_xml(archive: zipfile.ZipFile, name: str, kind: str, limits: Limits) -> None:
    """No DTDs anywhere (xlsx needs none; entity expansion is how XML bombs work); sheet
    count and declared dimensions within limits."""
    for member in archive.namelist():
        if not member.endswith((".xml", ".rels")):
            continue
        head = _xml_head(archive, member)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _refuse("xml-bomb", name, value=member, member=member)
    if kind == "ods":
        _check_ods(archive, name, limits)
        return
    if kind not in ("xlsx", "xlsm"):
        return
    try:
        sheet_count = worked_out("sheet count", _sheet_count, archive.read("xl/workbook.xml"))
    except Exception as error:  # defusedxml raises its own errors for forbidden constructs
        raise _refuse(
            "xml-bomb" if "Forbidden" in type(error).__name__ else "truncated-workbook",
            name,
            variant="workbook_part",
            reason=type(error).__name__,
        ) from error
    _check_sheet_count(sheet_count, name, limits)
    for member in archive.namelist():
        if not WORKSHEET_PART.fullmatch(member):
            continue
        match = DIMENSION.search(_xml_head(archive, member))
        if match and match.group(4):
            rows = int(match.group(4))
            columns = _column_number(match.group(3).decode())
            _check_size(rows, columns, name, member, limits)
    _check_shared_strings(archive, name, limits)
    shared = bounds.shared_string_sizes(archive)
    parts = bounds.xlsx_sheet_parts(archive)
    _check_costs((bounds.xlsx_sheet_cost(archive, n, m, shared) for n, m in parts), name, limits)


def _sheet_count(workbook_part: bytes) -> int:
    root = ElementTree.fromstring(workbook_part)
    return sum(1 for el in root.iter() if el.tag.endswith("}sheet") or el.tag == "sheet")


def _check_shared_strings(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    try:
        size = archive.getinfo("xl/sharedStrings.xml").file_size
    except KeyError:
        return
    if size > limits.max_text:
        raise _too_much_text(name, None, size, limits)


def _check_ods(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """OpenDocument's repeated rows and cells, counted as the reader would expand them."""
    try:
        costs = bounds.ods_sheet_costs(archive)
    except Exception as error:  # a DTD (defusedxml) or XML that is not well formed
        forbidden = "Forbidden" in type(error).__name__
        raise _refuse(
            "xml-bomb" if forbidden else "truncated-workbook",
            name,
            variant="content_part",
            reason=type(error).__name__,
        ) from error
    _check_sheet_count(len(costs), name, limits)
    _check_costs(costs, name, limits)


def _check_costs(costs, name: str, limits: Limits) -> None:
    """Every sheet's extent, and the workbook's cells, text and merged ranges, within limits."""
    cells = text = merges = 0
    for cost in costs:
        _check_size(cost.rows, cost.columns, name, cost.name, limits)
        cells += cost.cells
        if cells > limits.max_cells:
            raise _too_many_cells(name, cost.name, cells, limits)
        text += cost.text
        if text > limits.max_text:
            raise _too_much_text(name, cost.name, text, limits)
        merges += cost.merges
        if merges > limits.max_merges:
            raise _refuse(
                "too-many-merged-cells",
                name,
                sheet=cost.name,
                value=merges,
                count=f"{merges:,}",
                limit=f"{limits.max_merges:,}",
            )


def _too_many_cells(name: str, sheet: str | None, cells: int, limits: Limits) -> UnreadableWorkbook:
    return _refuse(
        "too-many-cells",
        name,
        variant="sheet" if sheet else None,
        sheet=sheet,
        value=cells,
        count=f"{cells:,}",
        limit=f"{limits.max_cells:,}",
    )


def _too_much_text(name: str, sheet: str | None, size: int, limits: Limits) -> UnreadableWorkbook:
    return _refuse(
        "too-much-text",
        name,
        variant="sheet" if sheet else None,
        sheet=sheet,
        value=size,
        size=_mib(size),
        limit=_mib(limits.max_text),
    )


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _check_sheet_count(count: int, name: str, limits: Limits) -> None:
    if count > limits.max_sheets:
        raise _refuse(
            "too-many-sheets", name, value=count, count=f"{count:,}", limit=limits.max_sheets
        )


def _check_size(rows: int, columns: int, name: str, sheet: str, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise _refuse(
            "too-many-rows",
            name,
            sheet=sheet,
            value=rows,
            count=f"{rows:,}",
            limit=f"{limits.max_rows:,}",
        )
    if columns > limits.max_columns:
        raise _refuse(
            "too-many-columns",
            name,
            sheet=sheet,
            value=columns,
            count=f"{columns:,}",
            limit=limits.max_columns,
        )


def _check_ole(data: bytes, name: str) -> None:
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise _refuse("encrypted-workbook", name)


# ---------------------------------------------------------------- reading


def _value(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


_AS_READ = frozenset({float, int, bool, type(None)})  # values `_value` gives back as they are


def _values(row: list[object]) -> list[object]:
    """`_value` of every cell of a row; numbers and text without a call per cell."""
    return [
        (v.strip() or None) if (kind := type(v)) is str else v if kind in _AS_READ else _value(v)
        for v in row
    ]


def _extent(row: list[object]) -> int:
    """One past the row's last value (0: none)."""
    for i in range(len(row) - 1, -1, -1):
        if row[i] is not None:
            return i + 1
    return 0


def _rows(sheet, name: str, limits: Limits, cells_before: int) -> list[list[object]]:
    _check_size(sheet.height, sheet.width, name, sheet.name, limits)
    if cells_before + sheet.height * sheet.width > limits.max_cells:  # .xls: not scanned before
        raise _too_many_cells(name, sheet.name, cells_before + sheet.height * sheet.width, limits)
    # calamine's rows begin at row 1 but at the first used column: pad them back to column A,
    # so that column letters and merged ranges (absolute) point at the right cells.
    lead = [None] * (sheet.start[1] if sheet.start else 0)
    rows: list[list[object]] = []
    for n, row in enumerate(sheet.iter_rows()):
        if n >= limits.max_rows:
            _check_size(n + 1, 0, name, sheet.name, limits)
        rows.append(lead + _values(row) if lead else _values(row))
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = _width(rows)
    return [r if len(r) == width else r[:width] + [None] * (width - len(r[:width])) for r in rows]


def _width(rows: list[list[object]]) -> int:
    """One past the last column holding a value in any row (max of `_extent`), found from the
    right, column by column, when every row is as long (as the reader gives them)."""
    length = len(rows[0]) if rows else 0
    if any(len(r) != length for r in rows):
        return max(map(_extent, rows), default=0)
    for c in range(length - 1, -1, -1):
        if any(r[c] is not None for r in rows):
            return c + 1
    return 0


def _merged(sheet) -> list[tuple[int, int, int, int]]:
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # formats without merge information
        return []
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]


def _clip(
    merged: list[tuple[int, int, int, int]],
    rows: list[list[object]],
    name: str,
    sheet: str,
    limits: Limits,
    covered_before: int,
) -> tuple[list[tuple[int, int, int, int]], int]:
    """Merged ranges cut to the sheet's data (a range may reach XFD1048576 and cover two
    cells of it), ranges of one cell left out; refused once the workbook's merged ranges
    cover more than `limits.max_merged_cells` cells. Returns (ranges, cells covered so far)."""
    height, width = len(rows), (len(rows[0]) if rows else 0)
    clipped = []
    covered = covered_before
    for r0, c0, r1, c1 in merged:
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        if r0 > r1 or c0 > c1 or (r0, c0) == (r1, c1):
            continue
        covered += (r1 - r0 + 1) * (c1 - c0 + 1)
        if covered > limits.max_merged_cells:
            where = f"{column_letter(c0)}{excel_row(r0)}:{column_letter(c1)}{excel_row(r1)}"
            raise _refuse(
                "too-many-merged-cells",
                name,
                variant="cells",
                sheet=sheet,
                value=where,
                count=f"{covered:,}",
                limit=f"{limits.max_merged_cells:,}",
            )
        clipped.append((r0, c0, r1, c1))
    return clipped, covered


def _resolve(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    """Every cell of a (clipped) merged range holds its top-left value."""
    for r0, c0, r1, c1 in merged:
        value = rows[r0][c0]
        for r in range(r0, r1 + 1):
            rows[r][c0 : c1 + 1] = [value] * (c1 - c0 + 1)


def read_workbook(
    source: str | os.PathLike | bytes,
    file_name: str | None = None,
    limits: Limits | None = None,
) -> Workbook:
    """Every sheet's values; raises UnreadableWorkbook for a file that is refused."""
    limits = limits or Limits()
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        name = file_name or "workbook"
    else:
        path = Path(source)
        name = file_name or path.name
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_large(name, size, limits)
        data = path.read_bytes()
    if len(data) > limits.max_bytes:
        raise _too_large(name, len(data), limits)
    sha = hashlib.sha256(data).hexdigest()
    if data.startswith(ZIP_MAGIC):
        archive, kind = _check_zip(data, name, limits)
        _check_xml(archive, name, kind, limits)
    elif data.startswith(OLE_MAGIC):
        _check_ole(data, name)
        kind = "xls"
    else:
        raise _refuse("not-a-workbook", name)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        _check_sheet_count(len(names), name, limits)
        styles = formats.number_formats(archive, names) if kind in ("xlsx", "xlsm") else {}
        sheets = []
        cells = covered = 0
        for sheet_name in names:
            sheet = book.get_sheet_by_name(sheet_name)
            rows = _rows(sheet, name, limits, cells)
            cells += sheet.height * sheet.width
            formats.apply(rows, styles.get(sheet_name))  # percent and date cells
            merged, covered = _clip(_merged(sheet), rows, name, sheet_name, limits, covered)
            _resolve(rows, merged)
            sheets.append(Sheet(sheet_name, rows, merged))
            del sheet  # calamine's copy of the sheet, before the next one is read
    except UnreadableWorkbook:
        raise
    except MemoryError as error:
        raise _refuse("check-limit-exceeded", name, variant="memory") from error
    except Exception as error:
        raise _refuse("unreadable-workbook", name, reason=error) from error
    return Workbook(name, sha, len(data), kind, sheets, cells)


def _too_large(name: str, size: int, limits: Limits) -> UnreadableWorkbook:
    return _refuse(
        "file-too-large", name, value=size, size=_mib(size), limit=_mib(limits.max_bytes)
    )
