"""Cell formats decide (loaders/formats.py): a number in a percent-formatted cell is a percent
of 100, a date-formatted number is a date; column letters stay right when column A is empty;
the styles part is read safely."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from loaders.formats import DATE, PERCENT, format_kind
from loaders.normalise import Percent, parse_percent, parse_value
from loaders.read import read_workbook


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("0%", PERCENT),
        ("0.00%", PERCENT),
        ("[$-5000445]0.00%", PERCENT),
        ("#,##0.0%;[Red]-#,##0.0%", PERCENT),
        ("dd/mm/yyyy", DATE),
        ("[$-5000445]dd/mm/yyyy", DATE),
        ("d-mmm-yy", DATE),
        ("mmmm", DATE),
        ('"তারিখ: "dd.mm.yy', DATE),
        ("h:mm:ss", None),
        ("[h]:mm", None),
        ("General", None),
        ("#,##0.00", None),
        ("0", None),
        ('0.0" জন"', None),
        ("@", None),
        (None, None),
    ],
)
def test_format_kinds(code, kind):
    assert format_kind(code) == kind


def _book(path, cells: dict[str, tuple]):
    book = openpyxl.Workbook()
    ws = book.active
    for ref, (value, number_format) in cells.items():
        ws[ref] = value
        if number_format:
            ws[ref].number_format = number_format
    book.save(path)
    return path


def test_percent_and_date_cells_read_by_their_format(tmp_path):
    path = _book(
        tmp_path / "formats.xlsx",
        {
            "C3": (1, "0%"),
            "D3": (0.9, "0%"),
            "E3": (0.8333, "0.00%"),
            "F3": (1, None),  # a plain 1 stays 1
            "G3": (0.9, None),
            "H3": (45291, "[$-5000445]dd/mm/yyyy"),
            "I3": (45291, None),  # a plain number is a number, not a date
            "J3": ("৯৫%", "0%"),  # text stays text
            "K3": (dt.date(2024, 5, 15), "dd/mm/yyyy"),
        },
    )
    (sheet,) = read_workbook(path).sheets
    row = sheet.rows[2]
    assert row[2] == 100 and isinstance(row[2], Percent)
    assert row[3] == 90 and isinstance(row[3], Percent)
    assert row[4] == pytest.approx(83.33)
    assert row[5] == 1 and not isinstance(row[5], Percent)
    assert row[6] == 0.9 and not isinstance(row[6], Percent)
    assert row[7] == dt.date(2023, 12, 31)
    assert row[8] == 45291
    assert row[9] == "৯৫%"
    assert row[10] == dt.date(2024, 5, 15)
    # What the values mean to an indicator in percent: the format decides, 1 → 100.
    assert [parse_percent(v).value for v in row[2:7]] == [100, 90, pytest.approx(83.33), 1, 90]
    assert parse_percent(row[2]).raw == "100%"
    assert parse_value(row[7], "date").value == dt.date(2023, 12, 31)


def test_columns_keep_their_letters_when_column_a_is_empty(tmp_path):
    """The reader gives rows from column A even where the sheet's first used column is C, so
    column letters and merged ranges point at the right cells."""
    book = openpyxl.Workbook()
    ws = book.active
    ws["C2"] = "শিরোনাম"
    ws["D4"] = "ক"
    ws["E4"] = 0.5
    ws["E4"].number_format = "0%"
    ws.merge_cells("C5:D6")
    ws["C5"] = "একত্র"
    ws["C8"] = "শেষ"
    path = tmp_path / "offset.xlsx"
    book.save(path)
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows[1][2] == "শিরোনাম"
    assert sheet.rows[3][3] == "ক" and sheet.rows[3][4] == 50
    assert [sheet.rows[r][c] for r in (4, 5) for c in (2, 3)] == ["একত্র"] * 4
    assert sheet.rows[0][:2] == [None, None]


def _rewrite(path, member: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, data if item.filename == member else source.read(item))
    return buffer.getvalue()


def test_unreadable_styles_leave_the_values(tmp_path):
    """Styles that cannot be understood cost the formats, never the workbook."""
    from loaders.formats import number_formats

    path = _book(tmp_path / "styles.xlsx", {"B2": (0.9, "0%"), "C2": ("লেখা", None)})
    broken = _rewrite(path, "xl/styles.xml", b"<styleSheet><cellXfs><xf numFmtId=")
    assert number_formats(zipfile.ZipFile(io.BytesIO(broken)), ["Sheet"]) == {}
    odd = _rewrite(
        path,
        "xl/styles.xml",
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<numFmts><numFmt numFmtId="x" formatCode="0%"/></numFmts>'
        b'<cellXfs><xf numFmtId="y"/><xf numFmtId="9"/></cellXfs></styleSheet>',
    )
    (sheet,) = read_workbook(odd, file_name="styles.xlsx").sheets
    assert sheet.rows[1][1:] == [90, "লেখা"]  # cell style 1 is the built-in percent


def test_a_dtd_in_the_styles_is_refused(tmp_path):
    path = _book(tmp_path / "dtd.xlsx", {"B2": (0.9, "0%")})
    evil = _rewrite(
        path,
        "xl/styles.xml",
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><styleSheet>&a;</styleSheet>',
    )
    from loaders.read import UnreadableWorkbook

    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(evil, file_name="dtd.xlsx")
    assert refused.value.code == "xml-bomb"
