"""Reading only: values, merged cells resolved, formulas never evaluated."""

import hashlib

import openpyxl
import pytest

from loaders.read import Limits, UnreadableWorkbook, column_letter, excel_row, read_workbook

FIELD = "field-office-plans-2024-25.xlsx"


def test_sample_sheets_values_and_hash(samples_dir):
    workbook = read_workbook(samples_dir / FIELD)
    assert [s.name for s in workbook.sheets] == [
        "ই-গভর্ন্যান্স",
        "অভিযোগ প্রতিকার",
        "সেবা প্রদান প্রতিশ্রুতি",
        "তথ্য অধিকার (জেলা)",
        "তথ্য অধিকার (উপজেলা)",
        "শুদ্ধাচার",
    ]
    assert workbook.sha256 == hashlib.sha256((samples_dir / FIELD).read_bytes()).hexdigest()
    assert workbook.format == "xlsx"
    egov = workbook.sheets[0]
    assert egov.rows[7][2].startswith("[[১.১.১]")
    assert egov.rows[7][7] == "২৩/০৩/২৫"


def test_merged_cells_are_resolved(samples_dir):
    grs = read_workbook(samples_dir / FIELD).sheets[1]
    # A7:A9 holds the area প্রাতিষ্ঠানিক; B7:B9 its weight ২০.
    assert [grs.rows[r][0] for r in (6, 7, 8)] == ["প্রাতিষ্ঠানিক"] * 3
    assert [grs.is_continuation(r, 0) for r in (6, 7, 8)] == [False, True, True]
    assert grs.origin(8, 1) == (6, 1)
    # G3:K3, the target header, across five columns.
    assert {grs.rows[2][c] for c in range(6, 11)} == {"লক্ষ্যমাত্রা ২০২৪-২০২৫"}


def test_formulas_give_cached_values_only(tmp_path):
    path = tmp_path / "formula.xlsm"
    book = openpyxl.Workbook()
    book.active.append(["=1+1", '=HYPERLINK("http://example.invalid","x")', "লেখা"])
    book.save(path)  # openpyxl stores no cached value: nothing may be computed from the formula
    (sheet,) = read_workbook(path).sheets
    values = sheet.rows[0] if sheet.rows else []
    assert 2 not in values and 2.0 not in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "লেখা" in values


def test_trailing_empty_rows_and_columns_are_trimmed(tmp_path):
    path = tmp_path / "trim.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "ক"
    book.active["B2"] = 2
    book.active["F20"] = " "
    book.save(path)
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows == [["ক", None], [None, 2.0]]


def test_limits_on_rows_are_applied_while_reading(tmp_path):
    path = tmp_path / "rows.xlsx"
    book = openpyxl.Workbook()
    for n in range(60):
        book.active.append([n])
    book.save(path)
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(path, limits=Limits(max_rows=50))
    assert refused.value.code == "too-many-rows"
    assert "60" in refused.value.message_en and "৬০" not in refused.value.message_en


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letter):
    assert column_letter(index) == letter
    assert excel_row(index) == index + 1
