"""Downloads: formatted, readable, and never a live formula."""

import datetime as dt
import io

import openpyxl
import pandas as pd

from dashboard.export import to_csv, to_xlsx

DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=x", "\r=y"]


def frame(n=3):
    return pd.DataFrame(
        {
            "office": ["জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ", *DANGEROUS[: n - 1]],
            "score": [91.25, 75.0, None][:n],
            "count": [1, 2, 3][:n],
            "date": [dt.date(2025, 3, 9), None, dt.date(2024, 10, 15)][:n],
        }
    )


def test_xlsx_is_formatted_and_records_the_filters():
    data = to_xlsx(frame(), "Lagging", {"অর্থবছর (Fiscal year)": "2024-25"}, {"office": "অফিস"})
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Lagging"]
    assert sheet["A1"].value == "অফিস"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1")
    assert sheet["B2"].value == 91.25 and sheet["B2"].number_format == "0.00"
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["D2"].value.date() == dt.date(2025, 3, 9)
    info = workbook.worksheets[1]
    values = {row[0].value: row[1].value for row in info.iter_rows()}
    assert values["অর্থবছর (Fiscal year)"] == "2024-25"
    assert "Asia/Dhaka" in values["তৈরি (Made)"]


def test_no_user_text_becomes_a_formula():
    data = to_xlsx(pd.DataFrame({"text": DANGEROUS}), "t", {"note": '=HYPERLINK("x")'})
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
    # In an .xlsx text is stored as text (never a formula) in text-formatted cells, so it
    # needs no apostrophe and shows none; a cell edited in Excel stays text.
    cells = workbook["t"]["A"][1:]
    shown = [c.value for c in cells]
    assert shown[:5] == DANGEROUS[:5]
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    assert [r[1].value for r in workbook.worksheets[1].iter_rows()][-1] == '=HYPERLINK("x")'
    csv = to_csv(pd.DataFrame({"text": DANGEROUS})).decode("utf-8-sig")
    assert all(("'" + d.strip()) in csv or ("'" + d) in csv for d in DANGEROUS[:4])
    assert "\n=1+1" not in csv


def test_csv_keeps_bengali_for_excel():
    data = to_csv(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    assert "নারায়ণগঞ্জ" in data.decode("utf-8-sig")


def test_a_hundred_thousand_rows():
    big = pd.DataFrame({"office": ["অফিস"] * 100_000, "score": range(100_000)})
    data = to_xlsx(big, "big", {})
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["big"]
    assert sheet.max_row == 100_001


def test_mixed_and_missing_text_cells():
    mixed = pd.DataFrame({"remark": [None, "=x", 5, "কার্যক্রম চলমান", dt.date(2024, 9, 30)]})
    data = to_xlsx(mixed, "m", {})
    cells = [c.value for c in openpyxl.load_workbook(io.BytesIO(data))["m"]["A"][1:]]
    assert cells == [None, "=x", "5", "কার্যক্রম চলমান", "2024-09-30"]
    csv = to_csv(mixed.assign(n=range(5))).decode("utf-8-sig").splitlines()
    assert csv[1:] == [",0", "'=x,1", "5,2", "কার্যক্রম চলমান,3", "2024-09-30,4"]
