"""Issue 11, findings 7 and 9 (templates): long and odd text. Before: one 40,000-character
indicator name made every .xlsx download that included it fail; a file name over 300
characters, a sheet name over 100 or a unit over 60 crashed the import on PostgreSQL; a
template cell beginning with '=' became a formula when edited in Excel."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
from sqlalchemy import func, select

from dashboard.export import CELL_LIMIT, to_csv, to_xlsx
from data.models import Indicator, Plan, Submission
from data.scope import EVERYTHING
from loaders.pipeline import check_file, import_file
from tests.test_loader_checks import GOOD_ROWS, write_workbook

LONG_NAME = "ক" * 40_000


def _rows_with(row: int, column: int, value):
    rows = [list(r) for r in GOOD_ROWS]
    rows[row][column] = value
    return rows


def _errors(checked) -> list[tuple]:
    return [
        (i.code, i.sheet, i.row, i.column)
        for i in checked.report.issues
        if i.code == "text-too-long"
    ]


def test_a_40000_character_indicator_name_is_refused_with_its_place(master, tmp_path):
    path = write_workbook(tmp_path / "long.xlsx", _rows_with(0, 3, "[১.১.১] " + LONG_NAME))
    checked = check_file(path, engine=master)
    assert _errors(checked) == [("text-too-long", "প্ল্যান", 4, "D")]
    (issue,) = [i for i in checked.report.issues if i.code == "text-too-long"]
    assert "characters; at most 2000 are accepted" in issue.message_en
    assert len(issue.value) <= 60
    outcome = import_file(master, path, scope=EVERYTHING)
    assert outcome.status == "refused"
    with master.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Plan)) == 0


def test_a_unit_over_60_characters_is_refused_with_its_column(master, tmp_path):
    path = write_workbook(tmp_path / "unit.xlsx", _rows_with(1, 4, "%" + "x" * 80))
    checked = check_file(path, engine=master)
    assert ("text-too-long", "প্ল্যান", 5) in [e[:3] for e in _errors(checked)]
    assert import_file(master, path, scope=EVERYTHING).status == "refused"


def test_a_sheet_name_over_100_characters_is_refused(master, tmp_path):
    path = write_workbook(tmp_path / "sheet.xlsx")
    long_sheet = "প" * 150
    patched = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace("প্ল্যান".encode(), long_sheet.encode())
            target.writestr(item, data)
    checked = check_file(patched.getvalue(), file_name="sheet.xlsx", engine=master)
    assert _errors(checked), checked.report.issues
    outcome = import_file(master, patched.getvalue(), file_name="sheet.xlsx", scope=EVERYTHING)
    assert outcome.status == "refused"


def test_a_file_name_over_300_characters_is_stored_shortened(master, tmp_path):
    data = write_workbook(tmp_path / "plain.xlsx").read_bytes()
    name = "পরিকল্পনা-" * 40 + ".xlsx"
    outcome = import_file(master, data, file_name=name, scope=EVERYTHING)
    assert outcome.status == "added", outcome.refusal
    warning = [i for i in outcome.checked.report.issues if i.code == "text-too-long"]
    assert warning and warning[0].severity == "warning"
    with master.connect() as connection:
        stored = connection.scalar(select(Submission.file_name))
    assert len(stored) == 300 and stored.endswith(".xlsx")


def test_downloads_cut_text_longer_than_a_cell_holds():
    frame = pd.DataFrame({"name": [LONG_NAME, "=1+1", None], "n": [1, 2, 3]})
    data = to_xlsx(frame, "long", {"filter": "=evil" + "x" * 40_000})
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cell = sheet.cell(row=2, column=1).value
    assert len(cell) == CELL_LIMIT and cell.endswith("…") and cell.startswith("ক")
    assert sheet.cell(row=3, column=1).value == "=1+1"  # text, not a formula (no apostrophe)
    assert sheet.cell(row=3, column=1).data_type == "s"
    csv = to_csv(frame).decode("utf-8-sig")
    assert "…" in csv and LONG_NAME not in csv


def test_template_cells_that_begin_like_a_formula_keep_the_quote_prefix(master, tmp_path):
    from loaders.template import template_bytes

    rows = _rows_with(0, 3, '[১.১.১] =HYPERLINK("http://evil.example","x")')
    rows = [list(r) for r in rows]
    rows[1][4] = "-"  # a unit that begins like a formula too
    path = write_workbook(tmp_path / "formula.xlsx", rows)
    assert import_file(master, path, scope=EVERYTHING).status == "added"
    with master.connect() as connection:
        names = connection.scalars(select(Indicator.name)).all()
    assert any(name.startswith("=HYPERLINK") for name in names)
    data = template_bytes(master, office="ag:doc:dist:43", fiscal_year="2024-25")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা"[:31]]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "-", "+", "@"))]
    assert risky
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix


def test_each_too_long_text_of_an_indicator_is_found_and_the_rest_pass():
    """length_issues' one-pass test of an indicator lets through only indicators with nothing
    too long: a long achievement, a long code and a remark between NAME and TEXT."""
    from core.drafts import AchievementDraft, IndicatorDraft, PlanDraft
    from loaders import lengths

    long_value = "৫" * (lengths.TEXT + 1)
    fine = IndicatorDraft(name="সূচক", sheet="S", row=5, remarks="ম" * (lengths.NAME + 1))
    reported = IndicatorDraft(name="সূচক", sheet="S", row=6)
    reported.achievements.append(AchievementDraft(1, long_value, "text", long_value, 6, "L"))
    coded = IndicatorDraft(name="সূচক", sheet="S", row=7, code="1." * lengths.CODE)
    plan = PlanDraft(file_name="f.xlsx", sheet="S", layout="standard")
    plan.indicators = [fine, reported, coded]
    found = [(i.row, i.column) for i in lengths.length_issues(plan)]
    assert found == [(6, "L"), (6, "L"), (7, None)]


def test_a_report_keeps_an_issue_once_also_one_given_when_made():
    from core.issues import make_issue
    from loaders.report import FileReport

    first = make_issue("missing-unit", file="f.xlsx", sheet="S", row=4, value="x")
    again = make_issue("missing-unit", file="f.xlsx", sheet="S", row=4, value="x")
    other = make_issue("missing-unit", file="f.xlsx", sheet="S", row=5, value="x")
    report = FileReport(path="f.xlsx", file_name="f.xlsx", sha256=None, issues=[first])
    report.add(again)
    report.add(other)
    report.add(other)
    assert report.issues == [first, other] and report.error_count == 0  # warnings
    report.issues = []  # replaced from outside: the set follows
    report.add(again)
    assert report.issues == [again]
