"""A clean plan workbook for an office: one sheet per plan type, pre-filled with the plan's
indicators and targets where the plan is known, with data validation, a protected header and
an instructions sheet in Bengali and English. A filled template imports back exactly: its
headers are words the reader (loaders/layouts.py) recognises, not positions.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from core.terms import METHODS, QUARTERS, TARGET_LEVELS, to_bengali_digits
from data import plans
from data.office_match import office_index

LEVEL_HEADERS = {
    100: "অসাধারণ ১০০% / Excellent",
    90: "অতি উত্তম ৯০% / Very good",
    80: "উত্তম ৮০% / Good",
    70: "চলতি মান ৭০% / Fair",
    60: "চলতি মানের নিম্নে ৬০% / Poor",
}
ORDINAL = {1: "১ম", 2: "২য়", 3: "৩য়", 4: "৪র্থ"}
COLUMNS = [
    ("area", "কর্মসম্পাদন ক্ষেত্র / Area", 28),
    ("area_weight", "ক্ষেত্রের মান / Area weight", 10),
    ("activity", "কার্যক্রম / Activity", 32),
    ("indicator", "কর্মসম্পাদন সূচক / Performance indicator", 40),
    ("unit", "একক / Unit", 10),
    ("weight", "সূচকের মান / Indicator weight", 10),
    ("method", "গণনা পদ্ধতি / Calculation method", 12),
    *((f"t{level}", LEVEL_HEADERS[level], 12) for level in TARGET_LEVELS),
    *((f"q{q}", f"লক্ষ্যমাত্রা {ORDINAL[q]} কোয়ার্টার / Target Q{q}", 11) for q in QUARTERS),
    *((f"a{q}", f"অর্জন {ORDINAL[q]} কোয়ার্টার / Achievement Q{q}", 13) for q in QUARTERS),
    ("responsible", "বাস্তবায়নের দায়িত্বপ্রাপ্ত ব্যক্তি/পদ / Responsible", 20),
    ("remarks", "মন্তব্য / Remarks", 20),
    ("evidence", "প্রমাণক / Evidence", 20),
]
INDEX = {key: n for n, (key, _label, _width) in enumerate(COLUMNS)}
UNITS = ["তারিখ", "সংখ্যা", "%", "জন", "টি", "দিন", "লক্ষ টাকা"]
METHOD_WORDS = ["সমষ্টি", "ক্রমপুঞ্জিভূত", "গড়", "তারিখ"]  # the template's names of METHODS
METHOD_LABELS = dict(zip(METHODS, METHOD_WORDS, strict=True))
UNIT_LABELS = {"date": "তারিখ", "percent": "%", "number": "সংখ্যা"}
HEADER_ROW = 3  # 0-based: two title lines, a blank line, the header
EMPTY_ROWS = 30
INSTRUCTIONS = [
    ("এই ওয়ার্কবুক কীভাবে পূরণ করবেন", "How to fill in this workbook"),
    (
        "প্রতিটি শিট একটি পরিকল্পনা; শিরোনাম ও কলামের নাম বদলাবেন না।",
        "Each sheet is one plan; do not change the titles or the column headers.",
    ),
    (
        "প্রতিটি কর্মসম্পাদন সূচকের জন্য একটি সারি; কোড লিখুন [১.১.১] আকারে।",
        "One row per performance indicator; write codes as [1.1.1].",
    ),
    (
        "একক: তারিখ, সংখ্যা, % ইত্যাদি; তারিখ লিখুন দিন/মাস/বছর আকারে (৩১/১২/২০২৪)।",
        "Units: date (তারিখ), count (সংখ্যা), % and others; write dates as day/month/year (31/12/2024).",
    ),
    (
        "বাংলা (০-৯) বা ইংরেজি (0-9) অঙ্ক দুটোই চলবে; শতাংশ ৯০ বা ৯০% লিখুন।",
        "Bengali (০-৯) or English (0-9) digits are both fine; write percents as 90 or 90%.",
    ),
    (
        "অর্জনের কলামে প্রতিটি ত্রৈমাসিকের অর্জন লিখুন; কাজ চলমান থাকলে লিখুন 'কার্যক্রম চলমান রয়েছে', না হলে 'অর্জিত হয়নি'।",
        "Write each quarter's achievement in its column; if work is under way write 'কার্যক্রম চলমান রয়েছে', if not done 'অর্জিত হয়নি'.",
    ),
    (
        "পূরণ শেষে ড্যাশবোর্ডের 'আপলোড' পাতায় ফাইলটি দিন; আমদানির আগে প্রতিটি সমস্যা সারি ও কলামসহ দেখানো হবে।",
        "When done, upload the file on the dashboard's Upload page; every problem is shown with its row and column before anything is imported.",
    ),
]


def _code(code: str | None, name: str | None) -> str:
    if not code:
        return name or ""
    return f"[{to_bengali_digits(code)}] {name or ''}".strip()


class _Formats:
    def __init__(self, book) -> None:
        self.title = book.add_format({"bold": True, "font_size": 13, "locked": True})
        self.header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "bg_color": "#DDEBF7",
                "border": 1,
                "locked": True,
            }
        )
        self.cell = book.add_format(
            {"text_wrap": True, "valign": "top", "border": 1, "locked": False}
        )
        # Text that begins like a formula keeps Excel's quote prefix: editing the cell in
        # Excel leaves it text, never a live formula.
        self.quoted = book.add_format(
            {"text_wrap": True, "valign": "top", "border": 1, "locked": False, "quote_prefix": True}
        )
        self.number = book.add_format(
            {"valign": "top", "border": 1, "locked": False, "num_format": "0.##"}
        )
        self.date = book.add_format(
            {"valign": "top", "border": 1, "locked": False, "num_format": "dd/mm/yyyy"}
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _write_text(sheet, row: int, col: int, text: str, fmt: _Formats) -> None:
    """Text someone typed (an indicator's name, a unit, who is responsible) as text."""
    style = fmt.quoted if text.startswith(FORMULA_STARTS) else fmt.cell
    sheet.write_string(row, col, text, style)


def _write_value(sheet, row: int, col: int, value, unit_kind: str, fmt: _Formats) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt.cell)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt.date)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, float(value), fmt.number)
    else:
        _write_text(sheet, row, col, str(value), fmt)


def _plan_sheet(
    book, fmt: _Formats, office: dict, fiscal_year: str, plan_type: dict, outline
) -> None:
    sheet = book.add_worksheet(plan_type["name_bn"][:31])
    sheet.write_string(0, 0, f"{plan_type['name_bn']} {to_bengali_digits(fiscal_year)}", fmt.title)
    sheet.write_string(1, 0, f"অফিসের নাম : {office['name_bn']}", fmt.title)  # master data
    for col, (_key, label, width) in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW, col, label, fmt.header)
        sheet.set_column(col, col, width)
    sheet.set_row(HEADER_ROW, 60)
    indicators = outline["indicators"] if outline else []
    last = HEADER_ROW + max(len(indicators), EMPTY_ROWS)
    first = HEADER_ROW + 1
    for row in range(first, last + 1):
        for col in range(len(COLUMNS)):
            sheet.write_blank(row, col, None, fmt.cell)
    seen_areas: set[int] = set()
    seen_activities: set[int] = set()
    for n, ind in enumerate(indicators):
        row = first + n
        area = ind["area_index"]
        if area is not None and area not in seen_areas:
            seen_areas.add(area)
            info = outline["areas"][area]
            _write_text(sheet, row, INDEX["area"], _code(info["code"], info["name"]), fmt)
            _write_value(sheet, row, INDEX["area_weight"], info["weight"], "number", fmt)
        if ind["activity_id"] is not None and ind["activity_id"] not in seen_activities:
            seen_activities.add(ind["activity_id"])
            activity = _code(ind["activity_code"], ind["activity_name"])
            _write_text(sheet, row, INDEX["activity"], activity, fmt)
        _write_text(sheet, row, INDEX["indicator"], _code(ind["code"], ind["name"]), fmt)
        unit = ind["unit_label"] or UNIT_LABELS[ind["unit_kind"]]
        _write_text(sheet, row, INDEX["unit"], unit, fmt)
        _write_value(sheet, row, INDEX["weight"], ind["weight"], "number", fmt)
        if ind["method"]:
            sheet.write_string(row, INDEX["method"], METHOD_LABELS[ind["method"]], fmt.cell)
        for level in TARGET_LEVELS:
            _write_value(
                sheet, row, INDEX[f"t{level}"], ind["targets"][level], ind["unit_kind"], fmt
            )
        for q in QUARTERS:
            _write_value(
                sheet, row, INDEX[f"q{q}"], ind["quarter_targets"][q], ind["unit_kind"], fmt
            )
        if ind["responsible"]:
            _write_text(sheet, row, INDEX["responsible"], ind["responsible"], fmt)
    _validate(sheet, first, last)
    sheet.freeze_panes(HEADER_ROW + 1, INDEX["indicator"] + 1)
    # The header and titles are locked; the cells to fill are not (formatted unlocked).
    sheet.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "insert_rows": True,
            "sort": True,
            "autofilter": True,
        },
    )


def _validate(sheet, first: int, last: int) -> None:
    def column(key: str, options: dict) -> None:
        col = INDEX[key]
        sheet.data_validation(first, col, last, col, options)

    column(
        "unit",
        {
            "validate": "list",
            "source": UNITS,
            "error_type": "warning",
            "input_title": "একক / Unit",
            "input_message": "তারিখ, সংখ্যা, % ...",
            "error_message": "তালিকা থেকে একক বেছে নিন / choose a unit from the list",
        },
    )
    column("method", {"validate": "list", "source": METHOD_WORDS, "error_type": "warning"})
    for key in ("area_weight", "weight"):
        column(
            key,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_message": "শূন্য বা বেশি সংখ্যা / a number, zero or more",
            },
        )
    for q in QUARTERS:
        column(
            f"a{q}",
            {
                "validate": "any",
                "input_title": "অর্জন / Achievement",
                "input_message": "সংখ্যা, তারিখ (দিন/মাস/বছর) বা 'কার্যক্রম চলমান রয়েছে' / "
                "a number, a date (d/m/y) or a status",
            },
        )


def _instructions(book, fmt: _Formats) -> None:
    sheet = book.add_worksheet("নির্দেশনা · Instructions")
    sheet.set_column(0, 1, 70)
    for row, (bn, en) in enumerate(INSTRUCTIONS):
        style = fmt.header if row == 0 else fmt.cell
        sheet.write_string(row, 0, bn, style)
        sheet.write_string(row, 1, en, style)
    sheet.protect()


def template_bytes(
    engine,
    *,
    office: str,
    fiscal_year: str,
    plan_types_wanted: list[str] | None = None,
    downloaded_by: str | None = None,
) -> bytes:
    """The workbook for an office (id, code or name), one fiscal year and some or all plan
    types; made for `downloaded_by`, it goes on the audit trail as a template download."""
    with engine.connect() as connection:
        match = office_index(connection).by_reference(str(office))
        if match is None:
            raise ValueError(f"no office matches {office!r}")
        office_row = {"id": match.office_id, "name_bn": match.name_bn, "name_en": match.name_en}
        types = [
            t
            for t in plans.plan_types(connection)
            if not plan_types_wanted or t["code"] in plan_types_wanted
        ]
        outlines = {
            t["code"]: plans.plan_outline(connection, match.office_id, fiscal_year, t["code"])
            for t in types
        }
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _Formats(book)
    for plan_type in types:
        _plan_sheet(book, fmt, office_row, fiscal_year, plan_type, outlines[plan_type["code"]])
    _instructions(book, fmt)
    book.close()
    if downloaded_by is not None:
        from data.audit import record_event

        record_event(
            engine,
            downloaded_by,
            "template-download",
            object_type="template",
            object_id=fiscal_year,
            office_id=match.office_id,
            details={"plan_types": plan_types_wanted or "all"},
        )
    return buffer.getvalue()


def write_template(
    engine, *, office: str, fiscal_year: str, plan_types: list[str] | None, output
) -> Path:
    path = Path(output)
    path.write_bytes(
        template_bytes(engine, office=office, fiscal_year=fiscal_year, plan_types_wanted=plan_types)
    )
    return path
