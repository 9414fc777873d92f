"""Review-meeting minutes, drafted from the stored plans, reports and scores (.docx).

The form is the seeds' (../shared/seeds 000 and 003): a header block (government, ministry,
office, the title "... ২০২৪-২৫ অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) টিমের সভার কার্যবিবরণী",
chair, date, time, place and attendance left to fill), then for each plan a table

    ক্রম | কার্যক্রম | আলোচনা ও সিদ্ধান্ত | বাস্তবায়নকারী

one row per indicator, the discussion written from the data the way the seeds write it
("এ কার্যক্রমের লক্ষ্যমাত্রা ০৩ টি। ১ম ত্রৈমাসিকে অর্জিত হয়েছে ০১ টি। ..."), lagging rows shaded
with a proposed decision. The ministry form (seed 001): one table per plan for an office and
the offices under it, a progress column per office, then the decisions.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from core.terms import PLAN_TYPES, QUARTERS
from data import desk, queries
from data.scope import Scope
from reports.text import Style, quarter_months

DHAKA = ZoneInfo("Asia/Dhaka")
LAGGING = ("lagging", "missed", "not_reported")
BENGALI_FONT = "Nikosh"  # the Bangladesh government's Unicode Bengali font; Word falls back
LAGGING_FILL = "FBE3E1"
BLANK = "............................................"

WORDS = {
    "government": ("গণপ্রজাতন্ত্রী বাংলাদেশ সরকার", "Government of the People's Republic of Bangladesh"),
    "title": (
        "{office}-এর {fy} অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) টিমের সভার কার্যবিবরণী",
        "Minutes of the APA team meeting of {office}, fiscal year {fy}",
    ),
    "title_with": (
        "{office} ও আওতাধীন দপ্তর/সংস্থার {fy} অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) বাস্তবায়ন অগ্রগতি বিষয়ক সভার কার্যবিবরণী",
        "Minutes of the meeting on APA progress of {office} and the offices under it, fiscal year {fy}",
    ),
    "period": (
        "({quarter}: {months} পর্যন্ত অগ্রগতি)",
        "(progress to {quarter}: {months})",
    ),
    "draft": (
        "খসড়া: ড্যাশবোর্ডে সংরক্ষিত পরিকল্পনা, অগ্রগতি ও নম্বর থেকে {date} তারিখে তৈরি; সভার পর সংশোধন করুন।",
        "Draft made on {date} from the plans, progress and scores stored in the dashboard; amend after the meeting.",
    ),
    "chair": ("সভাপতি", "Chair"),
    "date": ("সভার তারিখ", "Date"),
    "time": ("সভার সময়", "Time"),
    "place": ("সভার স্থান", "Place"),
    "attendance": ("সভার উপস্থিতি", "Attendance"),
    "annex": ("পরিশিষ্ট “ক” দৃষ্টব্য", "See annex A"),
    "opening": (
        "সভাপতি উপস্থিত সকলকে স্বাগত জানিয়ে সভার কার্যক্রম শুরু করেন। অতঃপর এপিএ ফোকাল পয়েন্ট কর্মকর্তা {fy} অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি ও সংযুক্ত কর্মপরিকল্পনাসমূহের {quarter} পর্যন্ত বাস্তবায়ন অগ্রগতি উপস্থাপন করেন। {quarter} পর্যন্ত সমন্বিত নম্বর {score} (প্রক্ষেপিত {projected}); {total}টি সূচকের মধ্যে {lagging}টি পিছিয়ে আছে। বিস্তারিত আলোচনান্তে নিম্নরূপ সিদ্ধান্ত গৃহীত হয়।",
        "The chair welcomed those present and opened the meeting. The APA focal point presented progress on the APA and its action plans for {fy} to {quarter}. The composite score to date is {score} (projected {projected}); {lagging} of {total} indicators are lagging. After discussion the meeting decided as follows.",
    ),
    "closing": (
        "অন্য কোনো আলোচনা না থাকায় সভায় উপস্থিত সকলকে ধন্যবাদ জানিয়ে সভার সমাপ্তি ঘোষণা করা হয়।",
        "There being no other business, the chair thanked those present and closed the meeting.",
    ),
    "serial": ("ক্রম", "No."),
    "activity": ("কার্যক্রম", "Activity"),
    "discussion": ("আলোচনা ও সিদ্ধান্ত", "Discussion and decision"),
    "responsible": ("বাস্তবায়নকারী", "Responsible"),
    "indicator": ("কর্মসম্পাদন সূচক", "Performance indicator"),
    "target": ("লক্ষ্যমাত্রা", "Target"),
    "progress_of": ("{office}-এর অগ্রগতি", "{office}: progress"),
    "review": (
        "(ক) {fy} অর্থবছরের {quarter} ({months}) পর্যন্ত বাস্তবায়ন অগ্রগতি পর্যালোচনা:",
        "(a) Progress to {quarter} ({months}), fiscal year {fy}:",
    ),
    "decisions": ("(খ) সভার সিদ্ধান্ত: সভায় নিম্নোক্ত সিদ্ধান্ত গৃহীত হয়:", "(b) Decisions:"),
    "decision": ("সিদ্ধান্ত", "Decision"),
    "no_decisions": (
        "সকল সূচকে অগ্রগতি সন্তোষজনক; ধারা অব্যাহত রাখার সিদ্ধান্ত হয়।",
        "Progress is on track on every indicator; the meeting decided to keep it so.",
    ),
    "closing_with": ("(গ) অতঃপর: ", "(c) "),
    "signature": ("সভাপতি", "Chair"),
    "no_plans": (
        "এই অর্থবছরে এই অফিসের কোনো পরিকল্পনা সংরক্ষিত নেই।",
        "No plan of this office is stored for this fiscal year.",
    ),
}

# Sentences of the discussion (seed 000's wording).
SAY = {
    "target_date": ("এ কার্যক্রমের লক্ষ্যমাত্রা {value} তারিখ।", "The target is {value}."),
    "target": ("এ কার্যক্রমের লক্ষ্যমাত্রা {value}।", "The target is {value}."),
    "quarter_targets": ("ত্রৈমাসিক লক্ষ্যমাত্রা {values}।", "Quarterly targets: {values}."),
    "achieved_q": ("{quarter}ে অর্জিত হয়েছে {value}।", "{quarter}: {value} achieved."),
    "percent_q": ("{quarter}ে অর্জন {value}।", "{quarter}: {value}."),
    "none_q": ("{quarter}ে অর্জন হয়নি।", "{quarter}: nothing achieved."),
    "date_done": ("{value} তারিখে লক্ষ্যমাত্রা অর্জিত হয়েছে।", "Achieved on {value}."),
    "text_q": ("{quarter}ে: {value}।", "{quarter}: {value}."),
    "silent_q": ("{quarter}ের অগ্রগতি পাওয়া যায়নি।", "{quarter}: no progress reported."),
    "to_date": ("এ পর্যন্ত মোট অর্জন {value}।", "Achieved to date: {value}."),
    "to_date_avg": ("এ পর্যন্ত গড় অর্জন {value}।", "Average to date: {value}."),
    "date_pending": ("এ পর্যন্ত অর্জিত হয়নি।", "Not achieved yet."),
    "expected": ("এ পর্যন্ত প্রত্যাশিত অগ্রগতি {value}।", "Expected to date: {value}."),
    "lagging": (
        "অগ্রগতি লক্ষ্যমাত্রার তুলনায় পিছিয়ে আছে (প্রক্ষেপিত নম্বর {score})।",
        "Progress is behind the target (projected score {score}).",
    ),
    "missed": ("নির্ধারিত সময়সীমা অতিক্রান্ত হয়েছে।", "The deadline has passed."),
    "not_reported": ("অগ্রগতির তথ্য পাওয়া যায়নি।", "No progress has been reported."),
    "on_track": ("লক্ষ্যমাত্রা অর্জনের পথে রয়েছে।", "On track."),
    "not_yet_due": ("লক্ষ্যমাত্রা অর্জনের সময় এখনো আসেনি।", "Not yet due."),
    "decide_lagging": (
        "সিদ্ধান্ত (প্রস্তাবিত): পরবর্তী ত্রৈমাসিকে ঘাটতি পূরণ করে লক্ষ্যমাত্রা অর্জনের জন্য কর্মপরিকল্পনা গ্রহণ করতে হবে।",
        "Proposed decision: make good the shortfall next quarter with a plan to reach the target.",
    ),
    "decide_missed": (
        "সিদ্ধান্ত (প্রস্তাবিত): কার্যক্রমটি দ্রুত সম্পন্ন করে প্রমাণকসহ অবহিত করতে হবে।",
        "Proposed decision: complete the activity at once and report it with evidence.",
    ),
    "decide_not_reported": (
        "সিদ্ধান্ত (প্রস্তাবিত): অগ্রগতি প্রতিবেদন প্রমাণকসহ দ্রুত প্রেরণ করতে হবে।",
        "Proposed decision: send the progress report with evidence at once.",
    ),
}
TEXT_ANSWERS = {
    "in_progress": ("কার্যক্রম চলমান রয়েছে", "in progress"),
    "not_achieved": ("অর্জিত হয়নি", "not achieved"),
}
UNIT_WORDS = {"সংখ্যা": "টি", "সংখ্যা ও তারিখ": "টি"}


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _code(code, style: Style) -> str:
    return style.digits(f"[{code}]") if code else ""


def _unit(row, style: Style) -> str:
    label = row.get("unit_label") or ""
    if not style.bn:
        return {"সংখ্যা": "", "জন": "persons", "দিন": "days", "টি": ""}.get(label, "")
    return UNIT_WORDS.get(label, label if label not in ("%", "তারিখ") else "")


def quantity(value, row, style: Style) -> str:
    """A number with its unit as the minutes write it: ০৩ টি, ৯৫.২২%, ১৫.১০.২০২৪."""
    if _nan(value):
        return "–"
    kind = row.get("unit_kind")
    if kind == "date":
        day = value if isinstance(value, dt.date) else dt.date.fromordinal(int(value))
        return style.date(day, ".")
    if kind == "percent":
        return style.amount(value) + "%"
    unit = _unit(row, style)
    return f"{style.amount(value)} {unit}".strip()


def _target(row) -> object:
    if row.get("unit_kind") == "date":
        value = row.get("target_100_date")
        return None if _nan(value) else pd.Timestamp(value).date()
    return row.get("target_100")


def discussion(row: dict, quarter: int, style: Style) -> tuple[str, str | None]:
    """(what the meeting discussed, the proposed decision or None) for one indicator row of
    data.desk.minutes_rows."""
    say = lambda key, **values: style.pick(SAY[key]).format(**values)  # noqa: E731
    parts = []
    target = _target(row)
    if not _nan(target):
        key = "target_date" if row.get("unit_kind") == "date" else "target"
        parts.append(say(key, value=quantity(target, row, style)))
    q_targets = [row.get(f"q{q}_target") for q in QUARTERS]
    if any(not _nan(v) for v in q_targets) and row.get("unit_kind") != "date":
        parts.append(
            say("quarter_targets", values=", ".join(quantity(v, row, style) for v in q_targets))
        )
    kind = row.get("unit_kind")
    for q in range(1, quarter + 1):
        status = row.get(f"q{q}_status")
        name = style.quarter(q)
        if _nan(status) or status is None:
            if kind != "date":
                parts.append(say("silent_q", quarter=name))
            continue
        if status in TEXT_ANSWERS:
            parts.append(say("text_q", quarter=name, value=style.pick(TEXT_ANSWERS[status])))
            continue
        if kind == "date":
            day = row.get(f"q{q}_date")
            if not _nan(day):
                parts.append(say("date_done", value=style.date(pd.Timestamp(day).date(), ".")))
            continue
        value = row.get(f"q{q}_num")
        if _nan(value):
            parts.append(
                say("text_q", quarter=name, value=style.digits(row.get(f"q{q}_raw") or "–"))
            )
        elif float(value) == 0:
            parts.append(say("none_q", quarter=name))
        elif kind == "percent":
            parts.append(say("percent_q", quarter=name, value=quantity(value, row, style)))
        else:
            parts.append(say("achieved_q", quarter=name, value=quantity(value, row, style)))
    achieved = row.get("achieved")
    if kind == "date":
        if _nan(achieved) and row.get("status") in (*LAGGING, "on_track"):
            parts.append(say("date_pending"))
    elif quarter > 1 and not _nan(achieved):
        key = "to_date_avg" if row.get("method") == "average" or kind == "percent" else "to_date"
        parts.append(say(key, value=quantity(achieved, row, style)))
    status = row.get("status")
    decision = None
    if status == "lagging":
        expected = row.get("expected")
        if not _nan(expected) and kind != "date":
            parts.append(say("expected", value=quantity(expected, row, style)))
        parts.append(say("lagging", score=style.number(row.get("projected_score"), 2)))
        decision = say("decide_lagging")
    elif status == "missed":
        parts.append(say("missed"))
        decision = say("decide_missed")
    elif status == "not_reported":
        parts.append(say("not_reported"))
        decision = say("decide_not_reported")
    elif status in ("on_track", "not_yet_due"):
        parts.append(say(status))
    return " ".join(parts), decision


# ------------------------------------------------------------------ the document


@dataclass
class Minutes:
    office: dict
    fiscal_year: str
    quarter: int
    start: dt.date
    rows: pd.DataFrame  # data.desk.minutes_rows
    composite: dict  # composite, projected_composite
    others: list[tuple[dict, pd.DataFrame]]  # the offices under it, for the ministry form


def minutes(
    engine,
    scope: Scope,
    office: str | int,
    fiscal_year: str,
    quarter: int,
    with_agencies: bool = False,
) -> Minutes:
    """Gather what the minutes of `office` (a code or id) for the quarter need."""
    found = desk.office_by_code(engine, scope, str(office))
    if found is None:
        raise LookupError(f"no office {office!r} in scope")
    info = desk.fiscal_year_rules(engine, fiscal_year)
    if info is None:
        raise LookupError(f"unknown fiscal year {fiscal_year!r}")
    rows = desk.minutes_rows(engine, scope, found["id"], fiscal_year, quarter)
    composite, _plans = queries.office_quarters(engine, scope, found["id"], fiscal_year)
    at_q = composite[composite["quarter"] == quarter]
    scores = at_q.iloc[0].to_dict() if len(at_q) else {}
    others = []
    if with_agencies:
        children = queries.offices(engine, scope, parent_id=found["id"])
        for child in children.to_dict("records"):
            child_rows = desk.minutes_rows(engine, scope, child["id"], fiscal_year, quarter)
            if not child_rows.empty:
                others.append((desk.office_by_code(engine, scope, str(child["id"])), child_rows))
    return Minutes(found, fiscal_year, quarter, info["start_date"], rows, scores, others)


def _fonts(document, style: Style) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), BENGALI_FONT if style.bn else "Calibri")
    normal.element.get_or_add_rPr().append(_element("w:lang", {"w:bidi": "bn-BD"}))
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), "22")
    normal.element.get_or_add_rPr().append(size_cs)


def _element(tag: str, attributes: dict[str, str]):
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(key), value)
    return element


def _centred(document, text: str, bold: bool = False, size: int | None = None, italic=False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def _table(document, header: list[str], widths: list[float]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        cell.width = Cm(width)
        _shade(cell, "DDEBE4")
    # The header row repeats on every page, as in the seeds' multi-page tables.
    table.rows[0]._tr.get_or_add_trPr().append(_element("w:tblHeader", {"w:val": "true"}))
    return table


def _row(table, values: list[str], widths: list[float], fill: str | None = None) -> None:
    cells = table.add_row().cells
    for cell, value, width in zip(cells, values, widths, strict=True):
        cell.text = value
        cell.width = Cm(width)
        if fill:
            _shade(cell, fill)


def _header_block(document, result: Minutes, style: Style, with_agencies: bool) -> None:
    word = lambda key, **values: style.pick(WORDS[key]).format(**values)  # noqa: E731
    office = result.office
    _centred(document, word("government"), bold=True)
    if office.get("ministry_bn") and office["level"] != "ministry":
        _centred(document, style.name(office, "ministry"))
    if office.get("parent_bn") and office["level"] not in ("ministry", "agency"):
        _centred(document, style.name(office, "parent"))
    _centred(document, style.name(office))
    document.add_paragraph()
    fy = style.fiscal_year(result.fiscal_year)
    _centred(
        document,
        word("title_with" if with_agencies else "title", office=style.name(office), fy=fy),
        bold=True,
        size=13,
    )
    _centred(
        document,
        word(
            "period",
            quarter=style.quarter(result.quarter),
            months=quarter_months(result.start, result.quarter, style),
        ),
    )
    made = dt.datetime.now(DHAKA).date()
    _centred(document, word("draft", date=style.date(made)), italic=True, size=9)
    facts = document.add_table(rows=0, cols=2)
    for key, value in (
        ("chair", BLANK),
        ("date", BLANK),
        ("time", BLANK),
        ("place", BLANK),
        ("attendance", word("annex")),
    ):
        cells = facts.add_row().cells
        cells[0].text = f"{word(key)} :"
        cells[1].text = value
        cells[0].width, cells[1].width = Cm(4), Cm(12)
    document.add_paragraph()


def _activity_text(row: dict, style: Style) -> str:
    activity = f"{_code(row.get('activity_code'), style)} {row.get('activity') or ''}".strip()
    indicator = f"{_code(row.get('code'), style)} {row.get('name') or ''}".strip()
    if activity and row.get("activity") != row.get("name"):
        return f"{activity}\n{indicator}"
    return indicator or activity


def _serial(n: int, style: Style) -> str:
    return style.digits(f"{n:02d}")


def to_docx(result: Minutes, style: Style) -> bytes:
    """The minutes as a Word document (the ministry form when `result.others` is filled)."""
    word = lambda key, **values: style.pick(WORDS[key]).format(**values)  # noqa: E731
    document = Document()
    _fonts(document, style)
    section = document.sections[0]
    with_agencies = bool(result.others)
    if with_agencies:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    _header_block(document, result, style, with_agencies)
    rows = result.rows
    if rows.empty:
        document.add_paragraph(word("no_plans"))
    else:
        lagging = int(rows["status"].isin(LAGGING).sum())
        document.add_paragraph(
            word(
                "opening",
                fy=style.fiscal_year(result.fiscal_year),
                quarter=style.quarter(result.quarter),
                score=style.number(result.composite.get("composite"), 2),
                projected=style.number(result.composite.get("projected_composite"), 2),
                total=style.digits(len(rows)),
                lagging=style.digits(lagging),
            )
        )
    if with_agencies:
        _matrix(document, result, style)
    else:
        _plan_tables(document, result, style)
    document.add_paragraph()
    document.add_paragraph((word("closing_with") if with_agencies else "") + word("closing"))
    document.add_paragraph()
    signature = document.add_paragraph(f"{BLANK}\n{word('signature')}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _plan_tables(document, result: Minutes, style: Style) -> None:
    word = lambda key: style.pick(WORDS[key])  # noqa: E731
    widths = [1.2, 5.6, 7.6, 3.4]
    for plan_type in PLAN_TYPES:
        rows = result.rows[result.rows["plan_type"] == plan_type]
        if rows.empty:
            continue
        heading = document.add_paragraph()
        heading.paragraph_format.keep_with_next = True
        run = heading.add_run(f"{style.plan(plan_type)} {style.fiscal_year(result.fiscal_year)}")
        run.bold = True
        table = _table(
            document,
            [word("serial"), word("activity"), word("discussion"), word("responsible")],
            widths,
        )
        for n, row in enumerate(rows.to_dict("records"), start=1):
            text, decision = discussion(row, result.quarter, style)
            if decision:
                text = f"{text}\n{decision}"
            _row(
                table,
                [_serial(n, style), _activity_text(row, style), text, row.get("responsible") or ""],
                widths,
                LAGGING_FILL if row.get("status") in LAGGING else None,
            )
        document.add_paragraph()


def _short(office: dict, style: Style) -> str:
    return office.get(f"short_{style.lang}") or style.name(office)


def _value_as_written(row: dict, quarter: int, style: Style) -> str:
    status = row.get(f"q{quarter}_status")
    if _nan(status) or status is None:
        return "–"
    if status in TEXT_ANSWERS:
        return style.pick(TEXT_ANSWERS[status])
    raw = row.get(f"q{quarter}_raw")
    return style.digits(raw) if raw else "–"


def _matrix(document, result: Minutes, style: Style) -> None:
    """Seed 001's form: per plan, one row per indicator, a progress column per office."""
    word = lambda key, **values: style.pick(WORDS[key]).format(**values)  # noqa: E731
    offices = [(result.office, result.rows), *result.others]
    document.add_paragraph(
        word(
            "review",
            fy=style.fiscal_year(result.fiscal_year),
            quarter=style.quarter(result.quarter),
            months=quarter_months(result.start, result.quarter, style),
        )
    )
    usable = 26.1
    fixed = [1.0, 4.6, 4.6, 1.8]
    each = max((usable - sum(fixed)) / len(offices), 1.2)
    widths = fixed + [each] * len(offices)
    decisions: list[tuple[str, str]] = []
    for plan_type in PLAN_TYPES:
        keyed: dict[tuple, dict] = {}
        values: dict[tuple, dict[int, str]] = {}
        for position, (office, rows) in enumerate(offices):
            for row in rows[rows["plan_type"] == plan_type].to_dict("records"):
                key = (row.get("code"), row.get("name"))
                keyed.setdefault(key, row)
                values.setdefault(key, {})[position] = _value_as_written(row, result.quarter, style)
                if row.get("status") in LAGGING:
                    text, decision = discussion(row, result.quarter, style)
                    decisions.append(
                        (
                            f"{_short(office, style)}: {_code(row.get('code'), style)} "
                            f"{row.get('name')} — {decision}",
                            row.get("responsible") or _short(office, style),
                        )
                    )
        if not keyed:
            continue
        heading = document.add_paragraph()
        heading.paragraph_format.keep_with_next = True
        heading.add_run(
            f"{style.plan(plan_type)} {style.fiscal_year(result.fiscal_year)}"
        ).bold = True
        table = _table(
            document,
            [word("serial"), word("activity"), word("indicator"), word("target")]
            + [word("progress_of", office=_short(office, style)) for office, _ in offices],
            widths,
        )
        for n, (key, row) in enumerate(keyed.items(), start=1):
            activity = (
                f"{_code(row.get('activity_code'), style)} {row.get('activity') or ''}".strip()
            )
            _row(
                table,
                [
                    style.digits(f"{n}."),
                    activity,
                    f"{_code(row.get('code'), style)} {row.get('name')}",
                    quantity(_target(row), row, style),
                ]
                + [values[key].get(p, "–") for p in range(len(offices))],
                widths,
            )
        document.add_paragraph()
    document.add_paragraph(word("decisions"))
    widths = [1.2, 18.0, 6.9]
    table = _table(document, [word("serial"), word("decision"), word("responsible")], widths)
    if not decisions:
        decisions = [(word("no_decisions"), "")]
    for n, (text, who) in enumerate(decisions, start=1):
        _row(table, [style.digits(f"{n}."), text, who], widths)
