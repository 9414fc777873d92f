"""Every issue code, from a small workbook the test writes with exactly one defect, located
by sheet, row and column; refused files and refused imports leave the database as it was."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from core.issues import ISSUE_TYPES
from data.models import AuditEvent, Indicator, Plan, Progress, ProgressReport, Submission
from data.scope import EVERYTHING, Scope
from loaders.pipeline import check_file, import_file
from loaders.read import Limits

OFFICE = "জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ"
TITLE = "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৪-২৫"
HEADER = [
    "কার্যক্রমের ক্ষেত্র",
    "মান",
    "কার্যক্রম",
    "কর্মসম্পাদন সূচক",
    "একক",
    "কর্মসম্পাদন সূচকের মান",
    "অসাধারণ",
    "অতি উত্তম",
    "উত্তম",
    "চলতি মান",
    "চলতি মানের নিম্নে",
    "১ম ত্রৈমাসিক অর্জন",
]
# area, area weight, activity, indicator, unit, weight, 5 targets, Q1 achievement
GOOD_ROWS = [
    ["[১] সেবা সহজিকরণ", "১৬", "[১.১] উদ্ভাবন", "[১.১.১] ধারণা বাস্তবায়িত", "তারিখ", "১০",
     "০৯/০৩/২৫", "১৬/০৩/২৫", "২৩/০৩/২৫", "৩০/০৩/২৫", "০৬/০৪/২৫", None],
    [None, None, "[১.২] ই-নথি", "[১.২.১] নোট নিষ্পত্তিকৃত", "%", "৬", "৯০%", "৮০%", "৭০%", "৬০%",
     "-", "৮৫%"],
    ["[২] সক্ষমতা", "৪", "[২.১] প্রশিক্ষণ", "[২.১.১] প্রশিক্ষণ আয়োজিত", "সংখ্যা", "৪", "৪", "৩",
     "২", "১", "-", "১"],
]  # fmt: skip
FIRST_DATA_ROW = 4  # title, office line, header, then data


def write_workbook(path, rows=None, *, title=TITLE, office=OFFICE, header=None, sheet="প্ল্যান"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws.append([f"অফিসের নাম : {office}" if office else None])
    ws.append(header or HEADER)
    for row in GOOD_ROWS if rows is None else rows:
        ws.append(row)
    book.save(path)
    return path


def with_cell(row_index: int, column: int, value):
    rows = [list(r) for r in GOOD_ROWS]
    rows[row_index][column] = value
    return rows


def located(checked) -> set[tuple]:
    return {(i.sheet, i.row, i.column, i.code) for i in checked.report.issues}


def codes(checked) -> set[str]:
    return {i.code for i in checked.report.issues}


def test_a_clean_workbook_has_no_issues_and_scores(master, tmp_path):
    checked = check_file(write_workbook(tmp_path / "clean.xlsx"), engine=master)
    assert checked.report.issues == []
    (plan,) = checked.plans
    assert (plan.draft.plan_type, plan.draft.fiscal_year, plan.draft.quarter) == (
        "egov",
        "2024-25",
        1,
    )
    assert plan.office.name_bn == OFFICE
    assert plan.score is not None and plan.score["quarter"] == 1


# (name, rows, expected (row, column, code)); rows are GOOD_ROWS with one cell changed.
ONE_DEFECT = [
    ("weight", with_cell(0, 5, "দশ"), (4, "F", "unparseable-number")),
    ("percent", with_cell(1, 6, "নব্বই শতাংশ"), (5, "G", "unparseable-percent")),
    ("date", with_cell(0, 6, "৩২/১৩/২৫"), (4, "G", "unparseable-date")),
    ("text-achievement", with_cell(2, 11, "ভালো"), (6, "L", "unreadable-value")),
    ("swapped", with_cell(0, 6, "০৩/২৮/২৫"), (4, "G", "day-month-swapped")),
    ("wrong-year", with_cell(0, 6, "০৯/০৩/২০২২"), (4, "G", "date-year-corrected")),
    ("outside-year", with_cell(0, 10, "২৯/০২/২০২৪"), (4, "K", "date-outside-fiscal-year")),
    ("code", with_cell(2, 3, "[[২.১.১] প্রশিক্ষণ আয়োজিত"), (6, "D", "code-repaired")),
    ("ladder", with_cell(2, 8, "৫"), (6, "G", "ladder-not-monotonic")),
    ("unit", with_cell(2, 4, None), (6, "E", "missing-unit")),
    ("no-weight", with_cell(2, 5, None), (6, "F", "missing-weight")),
    ("area-sum", with_cell(0, 1, "২০"), (4, None, "weight-sum-mismatch")),
    (
        "no-targets",
        [*GOOD_ROWS[:2], [*GOOD_ROWS[2][:6], None, None, None, None, None, None]],
        (6, "G", "missing-targets"),
    ),
    ("same-row-twice", [*GOOD_ROWS, list(GOOD_ROWS[2])], (7, "D", "duplicate-indicator-code")),
    (
        "same-code",
        [*GOOD_ROWS, [None, None, None, "[২.১.১] অন্য সূচক", "সংখ্যা", "০", "২", "১", "-", "-", "-", None]],
        (7, "D", "duplicate-code"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "expected"), ONE_DEFECT, ids=[d[0] for d in ONE_DEFECT])
def test_one_defect_one_located_issue(master, tmp_path, name, rows, expected):
    checked = check_file(write_workbook(tmp_path / f"{name}.xlsx", rows), engine=master)
    row, column, code = expected
    found = located(checked)
    assert ("প্ল্যান", row, column, code) in found, found
    issue = next(i for i in checked.report.issues if i.code == code)
    assert issue.severity == ISSUE_TYPES[code].severity
    assert f"{name}.xlsx" in issue.message_en and f"{name}.xlsx" in issue.message_bn
    assert "প্ল্যান" in issue.message_en and f"row {row}" in issue.message_en
    if issue.value:
        assert issue.value in issue.message_en and issue.value in issue.message_bn
    assert checked.ok == (issue.severity != "error") or len(found) > 1


@pytest.mark.parametrize(
    ("name", "title", "office", "header", "expected"),
    [
        ("no-type", "কর্মপরিকল্পনা ২০২৪-২৫", OFFICE, None, "plan-type-unknown"),
        ("no-year", "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা", OFFICE, None, "fiscal-year-unknown"),
        ("no-office", TITLE, "অজানা কোনো দপ্তর", None, "office-not-matched"),
        ("unsure-office", TITLE, "সমবায় কার্যালয় ঢাকা", None, "office-match-uncertain"),
        ("no-quarter", TITLE, OFFICE, [*HEADER[:-1], "অর্জন"], "quarter-unknown"),
    ],
)
def test_plan_facts_that_cannot_be_told(master, tmp_path, name, title, office, header, expected):
    path = write_workbook(tmp_path / f"{name}.xlsx", title=title, office=office, header=header)
    checked = check_file(path, engine=master)
    assert expected in codes(checked)
    assert not checked.ok
    assert ISSUE_TYPES[expected].severity == "error"


def test_sheet_without_a_table_and_table_without_indicators(master, tmp_path):
    path = tmp_path / "notes.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "নোট"
    book.active.append(["এই শিটে শুধু নোট আছে"])
    empty = book.create_sheet("খালি")
    empty.append([TITLE])
    empty.append(HEADER)
    book.save(path)
    checked = check_file(path, engine=master)
    assert ("নোট", None, None, "no-table-found") in located(checked)
    assert "no-indicators" in codes(checked)
    assert not checked.ok


def test_a_flood_of_issues_is_capped(master, tmp_path):
    rows = [
        [None, None, None, f"[৩.{n}.১] সূচক {n}", "সংখ্যা", "এক", "৪", "৩", "২", "১", "-", None]
        for n in range(1, 301)
    ]
    checked = check_file(write_workbook(tmp_path / "flood.xlsx", rows), engine=master)
    assert len(checked.report.issues) == 201
    assert checked.report.issues[-1].code == "too-many-issues"
    assert checked.report.issues[-1].value == "100"
    assert not checked.ok


def test_upazila_version_is_left_out_and_a_repeated_plan_is_refused(master, tmp_path):
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    for n, name in enumerate(["ই-গভর্ন্যান্স", "ই-গভর্ন্যান্স (২)", "ই-গভর্ন্যান্স (উপজেলা)"]):
        ws = book.active if n == 0 else book.create_sheet()
        ws.title = name
        ws.append([TITLE])
        ws.append([f"অফিসের নাম : {OFFICE}"])
        ws.append(HEADER)
        for row in GOOD_ROWS:
            ws.append(row)
    book.save(path)
    checked = check_file(path, engine=master)
    assert ("ই-গভর্ন্যান্স (উপজেলা)", None, None, "plan-not-for-this-office") in located(checked)
    assert ("ই-গভর্ন্যান্স (২)", None, None, "duplicate-plan") in located(checked)
    assert [p.ok for p in checked.plans] == [True, False]


# ---------------------------------------------------------------- files that are refused


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _minimal_xlsx(workbook_xml: str, sheets: dict[str, str]) -> bytes:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/{name}"/>'
        for n, name in enumerate(sheets, start=1)
    )
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/{name}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for name in sheets
            )
            + "</Types>",
            "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": workbook_xml,
            "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels
            + "</Relationships>",
            **{f"xl/worksheets/{name}": xml for name, xml in sheets.items()},
        }
    )


def _workbook_xml(count: int) -> str:
    sheets = "".join(
        f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, count + 1)
    )
    return (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


SHEET_XML = (
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
)


def _million_rows() -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 2001))
    sheet = SHEET_XML.format(dimension="A1:A1000000", rows=rows)
    return _minimal_xlsx(_workbook_xml(1), {"sheet1.xml": sheet})


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="&lol9;" sheetId="1"/></sheets></workbook>'
)


def _encrypted() -> bytes:
    # What a password-protected .xlsx is: an OLE2 compound file with these streams.
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )


def _sample_half(samples_dir) -> bytes:
    data = (samples_dir / "plandiv-egov-q2-progress-2023-24.xlsx").read_bytes()
    return data[: len(data) // 2]


REFUSED = [
    ("text.xlsx", lambda _: "এটি ওয়ার্কবুক নয়".encode(), None, "not-a-workbook"),
    ("empty.xlsx", lambda _: b"", None, "not-a-workbook"),
    ("picture.xlsx", lambda _: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, None, "not-a-workbook"),
    ("letter.docx", lambda _: _zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<T/>"}), None, "not-a-workbook"),
    ("locked.xlsx", lambda _: _encrypted(), None, "encrypted-workbook"),
    ("half.xlsx", _sample_half, None, "truncated-workbook"),
    ("bomb.xlsx", lambda _: _zip({"xl/workbook.xml": b"<a/>", "zeros.bin": b"\x00" * (3 * 2**20)}), Limits(max_uncompressed=2**20), "zip-bomb"),
    ("ratio.xlsx", lambda _: _zip({"xl/workbook.xml": b"<a/>", "zeros.bin": b"\x00" * (3 * 2**20)}), None, "zip-bomb"),
    ("laughs.xlsx", lambda _: _minimal_xlsx(BILLION_LAUGHS, {"sheet1.xml": SHEET_XML.format(dimension="A1", rows="")}), None, "xml-bomb"),
    ("sheets.xlsx", lambda _: _minimal_xlsx(_workbook_xml(2000), {"sheet1.xml": SHEET_XML.format(dimension="A1", rows="")}), None, "too-many-sheets"),
    ("million.xlsx", lambda _: _million_rows(), None, "too-many-rows"),
    ("wide.xlsx", lambda _: _minimal_xlsx(_workbook_xml(1), {"sheet1.xml": SHEET_XML.format(dimension="A1:ZZZ10", rows="")}), None, "too-many-columns"),
    ("big.xlsx", lambda _: b"PK\x03\x04" + b"\x00" * (2 * 2**20), Limits(max_bytes=2**20), "file-too-large"),
    ("broken.xlsx", lambda _: _minimal_xlsx(_workbook_xml(1), {"sheet1.xml": "<worksheet><sheetData><row><c>"}), None, "unreadable-workbook"),
]  # fmt: skip


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            m.__tablename__: connection.scalar(select(func.count()).select_from(m))
            for m in (Submission, Plan, Indicator, ProgressReport, Progress)
        }


def _refusals(engine) -> list[str]:
    with engine.connect() as connection:
        details = connection.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "import-refused")
        ).all()
    return [code for d in details for code in d["codes"]]


@pytest.mark.parametrize(("name", "make", "limits", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_files_are_refused_cleanly(master, samples_dir, tmp_path, name, make, limits, code):
    path = tmp_path / name
    path.write_bytes(make(samples_dir))
    before = _counts(master)
    checked = check_file(path, engine=master, limits=limits)
    assert [i.code for i in checked.report.issues] == [code]
    issue = checked.report.issues[0]
    assert issue.severity == "error" and name in issue.message_en and name in issue.message_bn
    outcome = import_file(master, path, uploaded_by="test", limits=limits, scope=EVERYTHING)
    assert outcome.status == "refused"
    assert _counts(master) == before
    assert _refusals(master) == [code]  # the audit trail keeps the refusal (issue 11)


# ---------------------------------------------------------------- imports


def test_reimport_supersession_and_history(master, tmp_path):
    first = import_file(
        master, write_workbook(tmp_path / "q1.xlsx"), uploaded_by="test", scope=EVERYTHING
    )
    assert (first.status, first.result.plans_added, first.result.reports_added) == ("added", 1, 1)
    same = import_file(master, tmp_path / "q1.xlsx", uploaded_by="test", scope=EVERYTHING)
    assert same.status == "unchanged"

    # The same plan with a corrected Q1 achievement: the report is superseded, the plan kept.
    fixed = import_file(
        master,
        write_workbook(tmp_path / "q1b.xlsx", with_cell(2, 11, "২")),
        uploaded_by="test",
        scope=EVERYTHING,
    )
    assert (fixed.result.plans_unchanged, fixed.result.reports_superseded) == (1, 1)
    with master.connect() as connection:
        reports = connection.execute(
            select(ProgressReport.is_current, ProgressReport.superseded_by_id).order_by(
                ProgressReport.id
            )
        ).all()
    assert [r.is_current for r in reports] == [False, True]
    assert reports[0].superseded_by_id is not None

    # A changed target: a new revision; the older plan stays, and Q1 moves to the new one.
    revised_rows = [list(r) for r in GOOD_ROWS]
    revised_rows[2][6] = "৫"
    for row in revised_rows:
        row[11] = None  # the new revision reports no quarter yet
    revised = import_file(
        master,
        write_workbook(tmp_path / "rev.xlsx", revised_rows),
        uploaded_by="test",
        scope=EVERYTHING,
    )
    assert revised.result.plans_superseded == 1
    with master.connect() as connection:
        plans = connection.execute(
            select(Plan.id, Plan.revision, Plan.is_current).order_by(Plan.id)
        ).all()
        assert [(p.revision, p.is_current) for p in plans] == [(1, False), (2, True)]
        current = connection.execute(
            select(func.count())
            .select_from(Progress)
            .join(ProgressReport, ProgressReport.id == Progress.report_id)
            .where(ProgressReport.plan_id == plans[1].id, ProgressReport.is_current.is_(True))
        ).scalar_one()
    assert current == 2  # the percent and the corrected count, carried over


def test_out_of_scope_upload_is_refused_and_changes_nothing(master, tmp_path):
    with master.connect() as connection:
        from data.models import Office

        ictd = connection.execute(
            select(Office.id, Office.path).where(Office.code == "min:ictd")
        ).one()
    before = _counts(master)
    outcome = import_file(
        master,
        write_workbook(tmp_path / "other.xlsx"),
        uploaded_by="ictd-uploader",
        scope=Scope(path=ictd.path, office_id=ictd.id),
    )
    assert outcome.status == "refused"
    assert "may not import" in outcome.refusal and "অনুমতি" in outcome.refusal_bn
    assert _counts(master) == before


def _two_plans(path):
    """An e-governance plan without defects and a GRS plan whose first target is unreadable."""
    book = openpyxl.Workbook()
    for n, (title, rows) in enumerate(
        [(TITLE, GOOD_ROWS), ("অভিযোগ প্রতিকার কর্মপরিকল্পনা ২০২৪-২৫", with_cell(0, 6, "৩২/১৩/২৫"))]
    ):
        ws = book.active if n == 0 else book.create_sheet()
        ws.title = f"S{n}"
        ws.append([title])
        ws.append([f"অফিসের নাম : {OFFICE}"])
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_an_error_stops_only_its_indicator(master, tmp_path):
    outcome = import_file(
        master, _two_plans(tmp_path / "mixed.xlsx"), uploaded_by="test", scope=EVERYTHING
    )
    assert outcome.status == "added" and outcome.refused_plans == []
    assert outcome.result.plans_added == 2
    with master.connect() as connection:
        defects = dict(
            connection.execute(
                select(Indicator.code, Indicator.defect)
                .join(Plan, Plan.id == Indicator.plan_id)
                .where(Plan.plan_type == "grs")
            ).all()
        )
    assert defects == {"1.1.1": "unparseable-date", "1.2.1": None, "2.1.1": None}


def test_strict_mode_refuses_a_plan_with_an_error_the_rest_imports(master, tmp_path):
    path = _two_plans(tmp_path / "mixed.xlsx")
    checked = check_file(path, engine=master, strict=True)
    assert [(p.draft.sheet, p.importable) for p in checked.plans] == [("S0", True), ("S1", False)]
    outcome = import_file(master, path, uploaded_by="test", strict=True, scope=EVERYTHING)
    assert outcome.status == "partial"
    assert outcome.result.plans_added == 1
    assert [p.draft.sheet for p in outcome.refused_plans] == ["S1"]
    assert [i.code for i in outcome.refused_plans[0].refusals] == ["unparseable-date"]


def test_the_kept_rules_follow_a_changed_rule_set(engine):
    from sqlalchemy import select

    from data.models import FiscalYear
    from data.rules import change_rule_set, year_rules

    first = year_rules(engine)
    assert year_rules(engine) is first  # kept between files
    with engine.connect() as connection:
        label, rule_set = connection.execute(
            select(FiscalYear.label, FiscalYear.rule_set_id)
        ).first()
    before = first[label][0].lagging_threshold
    with engine.begin() as connection:
        change_rule_set(connection, rule_set, lagging_threshold=before - 7, between_levels="step")
    changed = year_rules(engine)[label][0]
    assert changed.lagging_threshold == before - 7
    assert changed.between_levels == "step"


def test_the_check_and_the_rescoring_share_one_build_of_the_rules(engine):
    """An import's check reads the rules by fiscal year label, its rescoring by fiscal year
    id: one load of the rule sets gives both (the first import on a server builds it once)."""
    from sqlalchemy import select

    from data.models import FiscalYear
    from data.rules import rules_by_year_id, year_rules

    by_label = year_rules(engine)
    with engine.connect() as connection:
        by_id = rules_by_year_id(connection)
        years = dict(connection.execute(select(FiscalYear.label, FiscalYear.id)).all())
    assert by_label and set(by_label) == set(years)
    for label, rules in by_label.items():
        assert rules is by_id.get(years[label])
