"""What a workbook would cost to read, measured on its stored XML before anything parses it.

python-calamine holds each sheet as a dense grid from its first to its last cell, copies a
shared string into every cell that uses it, and expands OpenDocument's repeated rows and
cells. A few kilobytes can therefore ask for gigabytes: one cell at XFD1048576 (no
`<dimension>` needed), a 500,000-character string used by 20,000 cells, a row of 16,384
cells repeated a million times, `<text:s text:c="1000000000"/>`. Such a request is not an
exception Python can catch: the reader aborts the whole process. So read.py asks this module
first, and refuses a workbook whose sheets would exceed its limits.

The scans stream each part from the zip in chunks (bounded memory) and count what calamine
would build: for every sheet its extent (rows and columns from A1 to its last cell), the text
its cells would hold (shared strings counted at every use) and its merged ranges. Regular
expressions do the counting for the usual .xlsx (every cell and row carries its `r`
reference); a sheet whose cells leave out `r` is walked tag by tag, as calamine walks it.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from defusedxml import ElementTree

from loaders.parts import worked_out

CHUNK = 4 * 2**20
PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
ROW_TAG = re.compile(rb"<" + PREFIX + rb"row[\s/>]")
TOKEN = re.compile(rb"<(/?)" + PREFIX + rb"(row|c)\b([^>]*?)(/?)>")
ATTR_R = re.compile(rb'\br="([A-Za-z]*)([0-9]*)"')
ITEM_TAG = re.compile(rb"<" + PREFIX + rb"si[\s/>]")
SHARED_ITEM = re.compile(rb"<" + PREFIX + rb"si\b[^>]*?(?:/>|>(.*?)</" + PREFIX + rb"si>)", re.S)
# The same items, the usual `<si><t>text</t></si>` giving its text (group 1) directly and any
# other its body (group 2): no call per item for the usual ones
SHARED_ITEM_TEXT = re.compile(
    rb"<" + PREFIX + rb"si\b[^>]*?(?:/>|><" + PREFIX + rb"t(?:\s[^>]*)?>([^<]*)</" + PREFIX
    + rb"t></" + PREFIX + rb"si>|>(.*?)</" + PREFIX + rb"si>)",
    re.S,
)  # fmt: skip
PHONETIC = re.compile(rb"<" + PREFIX + rb"rPh\b.*?</" + PREFIX + rb"rPh>", re.S)
ANY_TAG = re.compile(rb"<[^>]*>")
# `:c `, `:c>`, `:row ` or `:row>` anywhere (one pass: the regular expression engine looks for
# the rare `:` at C speed, where four counts would read the part four times)
FOREIGN = re.compile(rb":(?:c|row)[ >]")


@dataclass
class SheetCost:
    """One sheet as the reader would hold it: `rows` × `columns` cells from A1, `text` bytes
    of cell text, and its merged ranges (counted; read.py clips and resolves them)."""

    name: str
    rows: int = 0
    columns: int = 0
    text: int = 0
    merges: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def column_number(letters: str) -> int:
    """1-based: A → 1, XFD → 16384."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _chunks(archive: zipfile.ZipFile, member: str, boundary: re.Pattern | None) -> Iterator[bytes]:
    """The member's bytes in pieces that each end before a `boundary` tag (so no element a
    pattern matches is cut in two), or the whole rest at the end. A part of one piece (every
    sheet up to CHUNK) comes whole: the next read is tried before the piece is cut, so it is
    not searched for a boundary and its patterns do not run twice."""
    carry = b""
    with archive.open(member) as stream:
        chunk = stream.read(CHUNK)
        while chunk:
            following = stream.read(CHUNK)
            buffer = carry + chunk
            if not following:  # the last piece: nothing to cut
                carry = buffer
                break
            chunk = following
            cut = _last_boundary(buffer, boundary)
            if cut <= 0:
                carry = buffer
                continue
            yield buffer[:cut]
            carry = buffer[cut:]
    if carry:
        yield carry


def _last_boundary(buffer: bytes, boundary: re.Pattern | None) -> int:
    if boundary is None:
        return buffer.rfind(b"<")
    start = max(0, len(buffer) - CHUNK // 4)
    last = -1
    for match in boundary.finditer(buffer, start):
        last = match.start()
    return last


# ---------------------------------------------------------------- .xlsx / .xlsm


def shared_string_sizes(archive: zipfile.ZipFile) -> list[int]:
    """The UTF-8 size of each shared string (the one calamine reads, xl/sharedStrings.xml),
    its phonetic runs left out as calamine leaves them out."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    sizes: list[int] = []
    for chunk in _chunks(archive, "xl/sharedStrings.xml", ITEM_TAG):
        if b"rPh" in chunk:
            sizes.extend(_text_size(PHONETIC.sub(b"", b)) for b in SHARED_ITEM.findall(chunk))
        else:
            sizes.extend(
                len(text) + (_text_size(body) if body else 0)
                for text, body in SHARED_ITEM_TEXT.findall(chunk)
            )
    return sizes


def _text_size(body: bytes) -> int:
    """The bytes of `body` outside its tags (ANY_TAG). The usual item, `<t>text</t>`, is
    measured by where its two tags end, without a regular expression per item."""
    if body.count(b"<") == 2 and body[:1] == b"<":
        first = body.find(b">")
        last = body.rfind(b"<")
        end = body.find(b">", last)
        if 0 < first < last and end != -1:
            return len(body) - (first + 1) - (end + 1 - last)
    return len(body) - sum(map(len, ANY_TAG.findall(body)))


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every sheet, resolved as calamine resolves them."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
        return list(worked_out("sheet parts", _sheet_parts, book, rels))
    except Exception:  # a damaged part: calamine will say so, with its own message
        return []


def _sheet_parts(book_part: bytes, rels_part: bytes) -> tuple[tuple[str, str], ...]:
    book = ElementTree.fromstring(book_part)
    rels = ElementTree.fromstring(rels_part)
    targets = {el.get("Id"): el.get("Target", "") for el in rels.iter() if el.get("Id")}
    parts = []
    for sheet in book.iter():
        if not (sheet.tag.endswith("}sheet") or sheet.tag == "sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id") or k == "id"), None)
        target = targets.get(rid, "")
        if target.startswith("/xl/"):
            member = target[1:]
        elif target.startswith("xl/"):
            member = target
        else:
            member = "xl/" + target
        parts.append((sheet.get("name", member), member))
    return tuple(parts)


@cache
def _patterns(prefix: bytes) -> dict[str, re.Pattern]:
    """The fast path's patterns for one namespace prefix (b"" or b"x:"): each begins with a
    literal, which the regular expression engine finds at C speed (one pattern with
    alternatives would be tried at every `<` of the part, twice as slow as these together)."""
    p = re.escape(prefix)
    return {
        "cell_ref": re.compile(b"<" + p + rb'c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"'),
        # `<c` not followed by white space, `/` or `>`: <col>, <cols>, <cfRule> ... (few)
        "not_cell": re.compile(b"<" + p + rb"c(?=[^\s/>])"),
        "row": re.compile(b"<" + p + rb"row[\s/>]"),
        "row_ref": re.compile(b"<" + p + rb'row\s[^>]*?\br="([0-9]{1,7})"'),
        # a shared-string cell's index, found from its `t="s"`: one literal to look for, where
        # `<c\s[^>]*?\bt="s"` tried every cell. Every cell the longer pattern finds, this finds
        # (it may count more, say a `xt="s"` elsewhere: the cost is overstated, never under)
        "shared": re.compile(rb't="s"[^>]*>\s*<' + p + rb"v>\s*([0-9]{1,10})\s*<"),
        "row_start": re.compile(b"<" + p + rb"row[\s>]"),
    }


def _count(chunk: bytes, prefix: bytes, name: bytes) -> int:
    tag = b"<" + prefix + name
    return chunk.count(tag + b" ") + chunk.count(tag + b">") + chunk.count(tag + b"/")


def _prefix(archive: zipfile.ZipFile, member: str) -> bytes:
    with archive.open(member) as stream:
        head = stream.read(64 * 1024)
    root = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]", head)
    return root.group(1) or b"" if root else b""


def xlsx_sheet_cost(
    archive: zipfile.ZipFile, name: str, member: str, shared: list[int]
) -> SheetCost:
    """The extent, text and merges of one worksheet part.

    Cells are `<c` followed by white space, `/` or `>` (one count of `<c` less the few other
    tags that begin so), rows `<row` so followed: a cell or row under any white space counts,
    so the references are trusted only when every one of them carries its own."""
    cost = SheetCost(name)
    if member not in archive.namelist():
        return cost
    prefix = _prefix(archive, member)
    patterns = _patterns(prefix)
    cell_start = b"<" + prefix + b"c"
    cells = with_ref = rows = rows_with_ref = foreign = 0
    letters: set[bytes] = set()
    numbers: set[bytes] = set()
    uses: Counter[bytes] = Counter()
    for chunk in _chunks(archive, member, patterns["row_start"]):
        cells += chunk.count(cell_start) - len(patterns["not_cell"].findall(chunk))
        if chunk.endswith(cell_start):  # counted above, though nothing follows it
            cells -= 1
        refs = patterns["cell_ref"].findall(chunk)
        with_ref += len(refs)
        if refs:  # the letters and the numbers apart, at C speed
            found_letters, found_numbers = zip(*refs, strict=True)
            letters.update(found_letters)
            numbers.update(found_numbers)
        rows += len(patterns["row"].findall(chunk))
        rows_with_ref += len(patterns["row_ref"].findall(chunk))
        if shared:  # without shared strings (openpyxl writes none) no use adds any text
            uses.update(patterns["shared"].findall(chunk))
        if b"<" + prefix + b"mergeCell" in chunk:  # one pass for the sheets without merges
            cost.merges += _count(chunk, prefix, b"mergeCell")
        if not prefix:  # a cell or row under some prefix would escape the counts above
            foreign += len(FOREIGN.findall(chunk))
    if cells == with_ref and rows == rows_with_ref and not foreign:
        if letters:
            cost.columns = max(column_number(x.decode()) for x in letters)
            cost.rows = max(int(x) for x in numbers)
    else:  # some cell or row leaves out its reference: follow positions as calamine does
        cost.rows, cost.columns = _walk_positions(archive, member)
        cost.merges = max(cost.merges, _count_any_prefix(archive, member, b"mergeCell"))
    for index, count in uses.items():
        position = int(index)
        if position < len(shared):
            cost.text += shared[position] * count
    return cost


def _count_any_prefix(archive: zipfile.ZipFile, member: str, name: bytes) -> int:
    pattern = re.compile(b"<" + PREFIX + name + rb"[\s/>]")
    return sum(len(pattern.findall(chunk)) for chunk in _chunks(archive, member, ROW_TAG))


def _walk_positions(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    row = col = 0
    last_row = last_col = 0
    for chunk in _chunks(archive, member, ROW_TAG):
        for closing, tag, attributes, empty in TOKEN.findall(chunk):
            if tag == b"row":
                if closing:
                    row, col = row + 1, 0
                    continue
                ref = ATTR_R.search(attributes)
                if ref and ref.group(2):
                    row = int(ref.group(2)) - 1
                if empty:
                    row, col = row + 1, 0
                continue
            if closing:
                continue
            ref = ATTR_R.search(attributes)
            if ref:
                if ref.group(1):
                    col = column_number(ref.group(1).decode()) - 1
                if ref.group(2):
                    row = int(ref.group(2)) - 1
            last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
            col += 1
    return last_row, last_col


# ---------------------------------------------------------------- .ods


class _OdsCounter:
    """An XML parser target that counts what calamine's OpenDocument reader would build."""

    def __init__(self) -> None:
        self.sheets: list[SheetCost] = []
        self.sheet: SheetCost | None = None
        self.row_repeats = 1
        self.row_position = 0  # rows so far, repeats counted
        self.first_row: int | None = None
        self.last_row = 0  # one past the last row holding a value
        self.cells_in_row = 0
        self.row_extent = 0
        self.row_text = 0
        self.cell_repeats = 1
        self.cell_has_value = False
        self.cell_is_text = False
        self.cell_text = 0
        self.in_cell = False

    @staticmethod
    def _local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    @staticmethod
    def _attr(attrs: dict, local: str) -> str | None:
        for key, value in attrs.items():
            if key.rsplit("}", 1)[-1] == local:
                return value
        return None

    def _count(self, attrs: dict, local: str) -> int:
        value = self._attr(attrs, local)
        try:
            return max(1, int(value)) if value is not None else 1
        except ValueError:
            return 1

    def start(self, tag: str, attrs: dict) -> None:
        local = self._local(tag)
        if local == "table" and self.sheet is None:
            self.sheet = SheetCost(self._attr(attrs, "name") or f"Sheet{len(self.sheets) + 1}")
            self.row_position, self.first_row, self.last_row = 0, None, 0
        elif local == "table-row" and self.sheet is not None:
            self.row_repeats = self._count(attrs, "number-rows-repeated")
            self.cells_in_row = self.row_extent = self.row_text = 0
        elif local in ("table-cell", "covered-table-cell") and self.sheet is not None:
            self.in_cell = True
            self.cell_repeats = self._count(attrs, "number-columns-repeated")
            value_type = self._attr(attrs, "value-type")
            self.cell_is_text = value_type == "string" and self._attr(attrs, "string-value") is None
            self.cell_has_value = value_type is not None or self._attr(attrs, "formula") is not None
            string_value = self._attr(attrs, "string-value") or ""
            formula = self._attr(attrs, "formula") or ""
            self.cell_text = len(string_value.encode()) + len(formula.encode())
            spans = ("number-columns-spanned", "number-rows-spanned")
            if any(self._count(attrs, span) > 1 for span in spans):
                self.sheet.merges += 1
        elif local == "s" and self.in_cell and self.cell_is_text:
            self.cell_text += self._count(attrs, "c")
        elif local == "p" and self.in_cell and self.cell_is_text:
            self.cell_text += 1

    def data(self, text: str) -> None:
        if self.in_cell and self.cell_is_text:
            self.cell_text += len(text.encode())

    def end(self, tag: str) -> None:
        local = self._local(tag)
        if local in ("table-cell", "covered-table-cell") and self.in_cell:
            self.in_cell = False
            self.cells_in_row += self.cell_repeats
            if self.cell_has_value:
                self.row_extent = self.cells_in_row
                self.row_text += self.cell_text * self.cell_repeats
        elif local == "table-row" and self.sheet is not None:
            if self.row_extent:
                if self.first_row is None:
                    self.first_row = self.row_position
                self.last_row = self.row_position + self.row_repeats
                self.sheet.columns = max(self.sheet.columns, self.row_extent)
                self.sheet.text += self.row_text * self.row_repeats
            self.row_position += self.row_repeats
        elif local == "table" and self.sheet is not None:
            self.sheet.rows = self.last_row
            self.sheets.append(self.sheet)
            self.sheet = None

    def close(self) -> list[SheetCost]:
        return self.sheets


def ods_sheet_costs(archive: zipfile.ZipFile) -> list[SheetCost]:
    """Every table of content.xml, its repeated rows and cells counted as calamine expands
    them (empty cells only when a value follows them in the row)."""
    counter = _OdsCounter()
    parser = ElementTree.DefusedXMLParser(target=counter, forbid_dtd=True)
    with archive.open("content.xml") as stream:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
    parser.close()
    return counter.sheets
