"""Workbook bytes → sheets of cell values. Reading only: no interpretation, no checks of content.

Untrusted workbooks are untrusted: the file's size, its zip directory (member count, sizes,
compression ratios), DTDs in its XML parts and its sheets' declared dimensions are checked
*before* anything is parsed, so a zip or XML bomb, thousands of sheets or a million rows are
refused within seconds and in bounded memory. Values come from python-calamine, which returns
a formula cell's cached value and evaluates nothing. Merged cells are resolved: every cell of
a merged range holds the top-left value, and `Sheet.is_continuation` tells which repeat it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from defusedxml import ElementTree

from loaders import formats

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XML_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 2**20
    max_uncompressed: int = 250 * 2**20
    max_ratio: int = 200
    max_members: int = 2_000
    max_sheets: int = 100
    max_rows: int = 20_000
    max_columns: int = 300


class UnreadableWorkbook(Exception):
    """The whole file is refused; `code` is a stable issue code (loaders/issues.py)."""

    def __init__(
        self,
        code: str,
        file_name: str,
        message_en: str,
        message_bn: str,
        sheet: str | None = None,
        value: str | None = None,
    ) -> None:
        super().__init__(f"{file_name}: {message_en}")
        self.code = code
        self.file_name = file_name
        self.message_en = message_en
        self.message_bn = message_bn
        self.sheet = sheet
        self.value = value


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    _origins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for r0, c0, r1, c1 in self.merged:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self._origins[(r, c)] = (r0, c0)

    def origin(self, row: int, col: int) -> tuple[int, int]:
        return self._origins.get((row, col), (row, col))

    def is_continuation(self, row: int, col: int) -> bool:
        return self._origins.get((row, col), (row, col)) != (row, col)

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


def excel_row(row: int) -> int:
    return row + 1


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- refusals


def _refuse(code: str, name: str, en: str, bn: str, sheet=None, value=None) -> UnreadableWorkbook:
    return UnreadableWorkbook(code, name, en, bn, sheet, value)


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _check_zip(data: bytes, name: str, limits: Limits) -> tuple[zipfile.ZipFile, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise _refuse(
            "truncated-workbook",
            name,
            f"the file is damaged or incomplete ({error}); expected a complete Excel workbook.",
            "ফাইলটি ক্ষতিগ্রস্ত বা অসম্পূর্ণ; সম্পূর্ণ এক্সেল ওয়ার্কবুক প্রত্যাশিত।",
        ) from error
    if len(members) > limits.max_members:
        raise _refuse(
            "zip-bomb",
            name,
            f"the file holds {len(members):,} parts; a workbook has at most {limits.max_members:,}.",
            f"ফাইলে {len(members):,}টি অংশ আছে; ওয়ার্কবুকে সর্বোচ্চ {limits.max_members:,}টি থাকে।",
            value=str(len(members)),
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise _refuse(
            "zip-bomb",
            name,
            f"the file would unpack to {_mib(total)}; at most {_mib(limits.max_uncompressed)} is accepted.",
            f"ফাইলটি খুললে {_mib(total)} হয়; সর্বোচ্চ {_mib(limits.max_uncompressed)} গ্রহণযোগ্য।",
            value=str(total),
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 2**20 and ratio > limits.max_ratio:
            raise _refuse(
                "zip-bomb",
                name,
                f"part {member.filename} is compressed {ratio:,.0f} times; at most {limits.max_ratio} is accepted.",
                f"অংশ {member.filename} {ratio:,.0f} গুণ সংকুচিত; সর্বোচ্চ {limits.max_ratio} গুণ গ্রহণযোগ্য।",
                value=member.filename,
            )
    names = {m.filename for m in members}
    if "xl/workbook.xml" in names:
        kind = "xlsm" if "xl/vbaProject.bin" in names or name.lower().endswith(".xlsm") else "xlsx"
    elif "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
        kind = "ods"
    else:
        raise _refuse(
            "not-a-workbook",
            name,
            "the file is a zip archive but not an Excel or OpenDocument workbook; expected .xlsx, .xlsm, .xls or .ods.",
            "ফাইলটি জিপ আর্কাইভ, কিন্তু এক্সেল বা ওপেনডকুমেন্ট ওয়ার্কবুক নয়; .xlsx, .xlsm, .xls বা .ods প্রত্যাশিত।",
        )
    return archive, kind


def _xml_head(archive: zipfile.ZipFile, member: str) -> bytes:
    try:
        with archive.open(member) as stream:
            return stream.read(XML_HEAD_BYTES)
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as error:
        raise _refuse(
            "truncated-workbook",
            archive.filename or member,
            f"part {member} cannot be read ({error}); expected a complete workbook.",
            f"অংশ {member} পড়া যায়নি; সম্পূর্ণ ওয়ার্কবুক প্রত্যাশিত।",
        ) from error


def _check_xml(archive: zipfile.ZipFile, name: str, kind: str, limits: Limits) -> None:
    """No DTDs anywhere (xlsx needs none; entity expansion is how XML bombs work); sheet
    count and declared dimensions within limits."""
    for member in archive.namelist():
        if not member.endswith((".xml", ".rels")):
            continue
        head = _xml_head(archive, member)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _refuse(
                "xml-bomb",
                name,
                f"part {member} declares a DTD or entities, which workbooks never need; refused as unsafe.",
                f"অংশ {member}-এ DTD বা এনটিটি ঘোষণা আছে, যা ওয়ার্কবুকে লাগে না; অনিরাপদ বলে গ্রহণ করা হয়নি।",
                value=member,
            )
    if kind not in ("xlsx", "xlsm"):
        return
    try:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except Exception as error:  # defusedxml raises its own errors for forbidden constructs
        raise _refuse(
            "xml-bomb" if "Forbidden" in type(error).__name__ else "truncated-workbook",
            name,
            f"the workbook part cannot be read safely ({type(error).__name__}).",
            "ওয়ার্কবুকের মূল অংশ নিরাপদে পড়া যায়নি।",
        ) from error
    sheets = [el for el in root.iter() if el.tag.endswith("}sheet") or el.tag == "sheet"]
    _check_sheet_count(len(sheets), name, limits)
    for member in archive.namelist():
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member):
            continue
        match = re.search(
            rb'<dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"', _xml_head(archive, member)
        )
        if match and match.group(4):
            rows = int(match.group(4))
            columns = _column_number(match.group(3).decode())
            _check_size(rows, columns, name, member, limits)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _check_sheet_count(count: int, name: str, limits: Limits) -> None:
    if count > limits.max_sheets:
        raise _refuse(
            "too-many-sheets",
            name,
            f"the workbook has {count:,} sheets; at most {limits.max_sheets} are accepted.",
            f"ওয়ার্কবুকে {count:,}টি শিট আছে; সর্বোচ্চ {limits.max_sheets}টি গ্রহণযোগ্য।",
            value=str(count),
        )


def _check_size(rows: int, columns: int, name: str, sheet: str, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise _refuse(
            "too-many-rows",
            name,
            f"sheet {sheet} has {rows:,} rows; at most {limits.max_rows:,} are accepted.",
            f"শিট {sheet}-এ {rows:,}টি সারি আছে; সর্বোচ্চ {limits.max_rows:,}টি গ্রহণযোগ্য।",
            sheet=sheet,
            value=str(rows),
        )
    if columns > limits.max_columns:
        raise _refuse(
            "too-many-columns",
            name,
            f"sheet {sheet} has {columns:,} columns; at most {limits.max_columns} are accepted.",
            f"শিট {sheet}-এ {columns:,}টি কলাম আছে; সর্বোচ্চ {limits.max_columns}টি গ্রহণযোগ্য।",
            sheet=sheet,
            value=str(columns),
        )


def _check_ole(data: bytes, name: str) -> None:
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise _refuse(
            "encrypted-workbook",
            name,
            "the workbook is protected by a password; save it without a password and upload again.",
            "ওয়ার্কবুকটি পাসওয়ার্ড দিয়ে সুরক্ষিত; পাসওয়ার্ড ছাড়া সংরক্ষণ করে আবার পাঠান।",
        )


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


def _rows(sheet, name: str, limits: Limits) -> list[list[object]]:
    _check_size(sheet.height, sheet.width, name, sheet.name, limits)
    # calamine's rows begin at row 1 but at the first used column: pad them back to column A,
    # so that column letters and merged ranges (absolute) point at the right cells.
    lead = [None] * (sheet.start[1] if sheet.start else 0)
    rows: list[list[object]] = []
    for n, row in enumerate(sheet.iter_rows()):
        if n >= limits.max_rows:
            _check_size(n + 1, 0, name, sheet.name, limits)
        rows.append(lead + [_value(v) for v in row])
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max(
        (max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0
    )
    return [r[:width] + [None] * (width - len(r[:width])) for r in rows]


def _merged(sheet) -> list[tuple[int, int, int, int]]:
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # formats without merge information
        return []
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]


def _resolve(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = value


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
        raise _refuse(
            "not-a-workbook",
            name,
            "the file is not a workbook; expected an Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) file.",
            "ফাইলটি ওয়ার্কবুক নয়; এক্সেল (.xlsx, .xlsm, .xls) বা ওপেনডকুমেন্ট (.ods) ফাইল প্রত্যাশিত।",
        )
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        _check_sheet_count(len(names), name, limits)
        styles = formats.number_formats(archive, names) if kind in ("xlsx", "xlsm") else {}
        sheets = []
        for sheet_name in names:
            sheet = book.get_sheet_by_name(sheet_name)
            rows = _rows(sheet, name, limits)
            formats.apply(rows, styles.get(sheet_name))  # percent and date cells
            merged = _merged(sheet)
            _resolve(rows, merged)
            sheets.append(Sheet(sheet_name, rows, merged))
    except UnreadableWorkbook:
        raise
    except Exception as error:
        raise _refuse(
            "unreadable-workbook",
            name,
            f"the workbook cannot be read ({error}); expected a workbook Excel can open.",
            f"ওয়ার্কবুকটি পড়া যায়নি ({error}); এক্সেলে খোলা যায় এমন ওয়ার্কবুক প্রত্যাশিত।",
        ) from error
    return Workbook(name, sha, len(data), kind, sheets)


def _too_large(name: str, size: int, limits: Limits) -> UnreadableWorkbook:
    return _refuse(
        "file-too-large",
        name,
        f"the file is {_mib(size)}; at most {_mib(limits.max_bytes)} is accepted.",
        f"ফাইলটি {_mib(size)}; সর্বোচ্চ {_mib(limits.max_bytes)} গ্রহণযোগ্য।",
        value=str(size),
    )
