"""Hostile workbooks, a few kilobytes each, built byte by byte (issue 11): merge bombs, cells
far beyond the data, shared strings used thousands of times, OpenDocument's repeated rows and
cells. tests/test_hostile_workbooks.py measures what reading them costs."""

import io
import zipfile

CT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WBRELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""


def xlsx(
    sheet_data: bytes, merges: bytes = b"", sst: list[str] | bytes = (), dimension: bytes = b""
) -> bytes:
    if isinstance(sst, (list, tuple)):
        sst = b"".join(b"<si><t>" + s.encode() + b"</t></si>" for s in sst)
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + dimension
        + b"<sheetData>"
        + sheet_data
        + b"</sheetData>"
        + merges
        + b"</worksheet>"
    )
    sstx = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + sst
        + b"</sst>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WBRELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", sstx)
    return buf.getvalue()


ODS_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"""


def ods(table_body: bytes) -> bytes:
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">'
        + table_body
        + b"</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        z.writestr("content.xml", content)
    return buf.getvalue()


def cell(ref, v):
    return f'<c r="{ref}"><v>{v}</v></c>'.encode()


def _rows(refs_and_values) -> bytes:
    rows: dict[int, list[bytes]] = {}
    for ref, value in refs_and_values:
        row = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(row, []).append(cell(ref, value))
    return b"".join(
        b'<row r="%d">' % r + b"".join(cs) + b"</row>" for r, cs in sorted(rows.items())
    )


def _merges(refs) -> bytes:
    refs = list(refs)
    body = b"".join(f'<mergeCell ref="{ref}"/>'.encode() for ref in refs)
    return b'<mergeCells count="%d">' % len(refs) + body + b"</mergeCells>"


HOSTILE = {
    # name: (bytes, the issue code that refuses it, or None when it reads, clipped)
    "one merge over the whole sheet (A1:XFD1048576)": (
        lambda: xlsx(_rows([("A1", 1), ("B2", 2)]), _merges(["A1:XFD1048576"])),
        None,
    ),
    "20,000 small merges inside the data": (
        lambda: xlsx(
            _rows([("A1", 1), ("KN2000", 2)]),
            _merges(
                f"{c}{r}:{c}{r + 1}" for r in range(1, 2000, 2) for c in "ABCDEFGHIJKLMNOPQRST"
            ),
        ),
        None,
    ),
    "20,000 merges over the whole data": (
        lambda: xlsx(_rows([("A1", 1), ("KN2000", 2)]), _merges(["A1:KN2000"] * 20_000)),
        "too-many-merged-cells",
    ),
    "50,000 merges": (
        lambda: xlsx(_rows([("A1", 1)]), _merges(f"A{r}:B{r}" for r in range(1, 50_001))),
        "too-many-merged-cells",
    ),
    "a cell at XFD1048576 and no dimension": (
        lambda: xlsx(_rows([("A1", 1), ("XFD1048576", 2)])),
        "too-many-rows",
    ),
    "a cell at KN20000 (6,000,000 cells)": (
        lambda: xlsx(_rows([("A1", 1), ("KN20000", 2)])),
        "too-many-cells",
    ),
    "cells without references, the last far down": (
        lambda: xlsx(b"<row><c><v>1</v></c></row>" * 3 + b'<row r="900000"><c><v>2</v></c></row>'),
        "too-many-rows",
    ),
    "a far cell under another namespace prefix": (
        lambda: xlsx(
            _rows([("A1", 1)])
            + b'<x:row r="1048576" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<x:c r="XFD1048576"><x:v>2</x:v></x:c></x:row>'
        ),
        "too-many-rows",
    ),
    "a 500,000-character shared string in 20,000 cells": (
        lambda: xlsx(
            b"".join(
                b'<row r="%d">' % r
                + b"".join(f'<c r="{c}{r}" t="s"><v>0</v></c>'.encode() for c in "ABCDEFGHIJ")
                + b"</row>"
                for r in range(1, 2001)
            ),
            sst=["x" * 500_000],
        ),
        "too-much-text",
    ),
    "ods: a row of 1,000 numbers repeated 100,000 times": (
        lambda: ods(
            b'<table:table-row table:number-rows-repeated="100000"><table:table-cell '
            b'office:value-type="float" office:value="1" table:number-columns-repeated="1000"/>'
            b"</table:table-row>"
        ),
        "too-many-rows",
    ),
    "ods: 299 numbers repeated over 19,000 rows": (
        lambda: ods(
            b'<table:table-row table:number-rows-repeated="19000"><table:table-cell '
            b'office:value-type="float" office:value="1" table:number-columns-repeated="299"/>'
            b"</table:table-row>"
        ),
        "too-many-cells",
    ),
    "ods: a text of a billion spaces": (
        lambda: ods(
            b'<table:table-row><table:table-cell office:value-type="string"><text:p>a'
            b'<text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row>'
        ),
        "too-much-text",
    ),
}
