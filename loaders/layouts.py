"""From a sheet's rows to plan drafts: find the header by its words, tell each column's role,
walk the rows.

Headers are found by their words in Bengali or English, never by position, so other offices'
column orders, extra columns and wordings still read. One module serves every layout the
samples and seeds show:

- standard: `ক্রম | কার্যক্রম | সূচক | একক | মান | five targets` (e-governance), with the area
  and its weight first (GRS, Citizen's Charter), with earlier years' actuals (RTI);
- progress: the same plus an achievement column for a quarter (seed 002);
- nis: a `লক্ষ্যমাত্রা` row and an `অর্জন` row per indicator, four quarter columns, a to-date
  column, section headings carrying the area weight, the header repeated mid-sheet;
- agency-matrix: one progress column per office (seed 001), giving one plan per office;
- the APA's own table (its Section 3) in every year's form: the 2019-20 form (strategic
  objectives and their weights merged down many rows, heading rows across the table that
  start the ministry's and the mandatory objectives), and the 2020-21-onward form (areas,
  calculation method, projections) with its governance part, `[এম.১.১]...` rows in
  প্রাপ্ত নম্বর that carry the annexed action plans' marks.

Achievements come as one quarter's column, the four quarters side by side, or one column to
date (`মোট অর্জন`, or the annual evaluation's `অর্জন (জুলাই ২০২৩ - জুন ২০২৪)`, read as the
achievement to date at the end of Q4).

Reading happened before (loaders/read.py); values are normalised here with loaders/normalise.py
and every problem met is kept on the draft (`PlanDraft.problems`) for the checks to report.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property

from core.drafts import (
    AchievementDraft,
    ActivityDraft,
    AreaDraft,
    IndicatorDraft,
    PlanDraft,
    Problem,
)
from core.terms import TARGET_LEVELS
from loaders import normalise as n
from loaders.read import Sheet, column_letter, excel_row

HEADER_SCAN_ROWS = 60

# Words that name a column, in the order they are tried: the more specific first, because
# "কর্মসম্পাদন সূচকের মান" (the indicator's weight) also contains "কর্মসম্পাদন সূচক".
IGNORED = (
    "অর্জিত মান",
    "achieved score",
    "score obtained",
    # the achievement as a share of the target: a derived figure, not what was achieved
    "অর্জনের হার",
    "অর্জনের শতকরা হার",
    "achievement rate",
    "rate of achievement",
)
PROJECTION = ("প্রক্ষেপণ", "projection")
PRIOR_ACTUAL = ("প্রকৃত অর্জন", "actual achievement", "actuals")
REMARKS = ("মন্তব্য", "remark", "comment")
EVIDENCE = ("প্রমাণক", "evidence")
RESPONSIBLE = ("দায়িত্বপ্রাপ্ত", "বাস্তবায়নকারী", "দায়িত্ব", "responsib")
METHOD = ("গণনা পদ্ধতি", "calculation method", "method")
TO_DATE = ("মোট অর্জন", "to date", "cumulative achievement", "total achievement")
PROGRESS = ("অগ্রগতি", "progress")
ACHIEVEMENT = ("অর্জন", "achievement", "achieved")
TARGET = ("লক্ষ্যমাত্রা", "target")
UNIT = ("একক", "unit")
WEIGHT = ("সূচকের মান", "indicator weight", "weight of indicator", "weight of performance")
INDICATOR = ("কর্মসম্পাদন সূচক", "সূচক", "indicator")
AREA = ("ক্ষেত্র", "কৌশলগত উদ্দেশ্য", "area", "objective")
ACTIVITY = ("কার্যক্রম", "activity", "activities")
PLAIN_WEIGHT = ("মান", "weight")
AREA_WEIGHT = (
    "ক্ষেত্রের মান",
    "উদ্দেশ্যের মান",  # the 2019-20 form: কৌশলগত উদ্দেশ্যের মান
    "area weight",
    "weight of area",
    "objective weight",
    "weight of objective",
    "weight of strategic objective",
)
SERIAL = ("ক্রম", "ক্রমিক", "sl", "serial", "no.", "no")
# The NIS plan's column that says whether a row holds targets or achievements (`লক্ষ্যমাত্রা
# /অর্জন`); not an achievement column headed `লক্ষ্যমাত্রার বিপরীতে অর্জন`.
NIS_LABEL = re.compile(r"(লক্ষ্যমাত্রা|target)\s*/\s*(অর্জন|achievement)")

# Title lines that describe who a plan is for rather than naming an office.
NOT_AN_OFFICE = (
    "জন্য",
    "সংযোজনী",
    "কর্মপরিকল্পনা",
    "কর্ম-পরিকল্পনা",
    "কার্যবিবরণী",
    "প্রতিবেদন",
    "পর্যায়ের অফিস",
    " for ",
    "annex",
    "plan",
    "report",
)
OFFICE_LABEL = re.compile(r"(নাম|office|name)\s*[:：ঃ]\s*(.+)$", re.IGNORECASE)
# The line every government document starts with: above the office, never the office.
GOVERNMENT = ("গণপ্রজাতন্ত্রী বাংলাদেশ সরকার", "people's republic of bangladesh")
# Titles of a part of a document (`সেকশন ৩: কর্মসম্পাদন পরিকল্পনা`), and letterhead lines.
SECTION_TITLE = re.compile(r"^(সেকশন|section|অংশ|পরিশিষ্ট|appendix|schedule)\b", re.IGNORECASE)
LETTERHEAD = ("www.", "http", "@", "শাখা", "সচিবালয়", "secretariat", "ফোন", "phone", "ফ্যাক্স")
# Words an office's name ends with; a line holding one is more likely the office.
OFFICE_WORDS = (
    "মন্ত্রণালয়",
    "বিভাগ",
    "অধিদপ্তর",
    "অধিদফতর",
    "পরিদপ্তর",
    "দপ্তর",
    "দফতর",
    "কার্যালয়",
    "অফিস",
    "বোর্ড",
    "ব্যুরো",
    "কমিশন",
    "কর্তৃপক্ষ",
    "কাউন্সিল",
    "সংস্থা",
    "ministry",
    "division",
    "directorate",
    "department",
    "office",
    "board",
    "bureau",
    "commission",
    "authority",
    "council",
    "agency",
)
_OFFICE_IN_TITLE = re.compile(
    "^(.{2,80}?(?:" + "|".join(OFFICE_WORDS[:15]) + r"))(?:ের|এর|-এর|'র|র)?(?=[\s,])"
)
# Heading rows across a table that start a part of it (never indicators).
SECTION_WORDS = (
    ("governance", ("সুশাসন", "সংস্কারমূলক", "governance", "reform")),
    ("mandatory", ("আবশ্যিক", "mandatory")),
    (
        "own",
        (
            "কৌশলগত উদ্দেশ্য",
            "কর্মসম্পাদনের ক্ষেত্র",
            "কর্মসম্পাদন ক্ষেত্র",
            "strategic objective",
            "areas of performance",
        ),
    ),
)
# The APA's Section 2 (`চূড়ান্ত ফলাফল/প্রভাব`): outcome indicators, not a plan.
OUTCOME = ("চূড়ান্ত ফলাফল", "ফলাফল/প্রভাব", "outcome/impact", "outcomes/impact", "final outcome")
# Headers only the APA's own table has (projections, strategic objectives).
APA_HEADERS = (
    "প্রক্ষেপণ",
    "projection",
    "কৌশলগত উদ্দেশ্য",
    "strategic objective",
    # the APA's `লক্ষ্যমাত্রা/নির্ণায়ক` (target/criteria value) and calculation method; the
    # action plans head their targets `লক্ষ্যমাত্রা` and have no method
    "নির্ণায়ক",
    "criteria value",
    "গণনা পদ্ধতি",
    "calculation method",
)
# The title of the APA's own table: `সেকশন ৩: কর্মসম্পাদন পরিকল্পনা`.
APA_SECTION = re.compile(r"^(?:সেকশন|section)\s*[-:]?\s*(?:৩|3)\b", re.IGNORECASE)
# An APA governance row's action plan, by its position when its words do not say (`[এম.১.৩]`).
GOVERNANCE_ORDER = {"1": "nis", "2": "egov", "3": "grs", "4": "citizen_charter", "5": "rti"}
MARKS_UNIT = ("প্রাপ্ত নম্বর", "প্রাপ্ত মান", "marks obtained", "obtained marks", "marks")
# What reading met that leaves a value unknown: the indicator needs correction.
UNREADABLE = (
    "unparseable-number",
    "unparseable-percent",
    "unparseable-date",
    "leaked-number-format",
    "cell-error",
    "unreadable-value",
)


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def _marks_unit(label: str) -> bool:
    """A unit label that says marks obtained (`প্রাপ্ত নম্বর`): an APA governance row."""
    return _has(label.casefold(), MARKS_UNIT)


_is_marks_unit = n.kept_by_text(_marks_unit, maxsize=1024)  # a sheet's few units


def _names(text: str, words: tuple[str, ...]) -> bool:
    """Like `_has`, but English words only as whole words (`plan`, `plans`; not `Planning`)."""
    return any(
        word in text if pattern is None else pattern.search(text)
        for pattern, word in _name_patterns(words)
    )


@functools.cache  # a few tuples of words, all written in this module
def _name_patterns(words: tuple[str, ...]) -> tuple[tuple[re.Pattern | None, str], ...]:
    """For each word, the pattern `_names` looks for when it is an English word, else None."""
    return tuple(
        (re.compile(rf"(?<![a-z]){re.escape(word.strip())}s?(?![a-z])"), word)
        if re.fullmatch(r"[a-z]+", word.strip())
        else (None, word)
        for word in words
    )


@dataclass
class Columns:
    """What each column of a table holds (0-based column indexes)."""

    serial: int | None = None
    area: int | None = None
    area_weight: int | None = None
    activity: int | None = None
    indicator: int | None = None
    unit: int | None = None
    weight: int | None = None
    method: int | None = None
    responsible: int | None = None
    remarks: int | None = None
    evidence: int | None = None
    annual_target: int | None = None
    nis_label: int | None = (
        None  # "লক্ষ্যমাত্রা /অর্জন": says whether a row holds targets or achievements
    )
    to_date: int | None = None
    to_date_quarter: int | None = None  # the quarter a to-date header runs to (`জুলাই-ডিসেম্বর`)
    targets: dict[int, int] = field(default_factory=dict)  # level -> column
    quarters: dict[int, int] = field(
        default_factory=dict
    )  # quarter -> column (NIS: targets and achievements)
    quarter_targets: dict[int, int] = field(default_factory=dict)  # quarter -> target column
    achievements: dict[int, int] = field(default_factory=dict)  # quarter -> achievement column
    unknown_quarter: list[int] = field(
        default_factory=list
    )  # achievement columns of no known quarter
    offices: dict[int, str] = field(default_factory=dict)  # column -> office as its header names it
    prior: dict[int, str | None] = field(
        default_factory=dict
    )  # column -> fiscal year of its actuals

    def set_once(self, role: str, column: int) -> None:
        if getattr(self, role) is None:
            setattr(self, role, column)

    def copy(self) -> Columns:
        """A copy with containers of its own: what copy.deepcopy gives, since they hold only
        column numbers, quarters, levels and header words (immutable), at less cost."""
        return Columns(**{f.name: copy.copy(getattr(self, f.name)) for f in fields(self)})


@dataclass
class Table:
    header_rows: list[int]  # 0-based rows of the header block
    data_start: int
    columns: Columns
    header_texts: dict[int, str]  # column -> its header words joined


def _header_parts(sheet: Sheet, rows: list[int], column: int) -> list[str]:
    parts: list[str] = []
    for r in rows:
        text = n.clean_text(sheet.rows[r][column]) if column < len(sheet.rows[r]) else None
        if text and text not in parts:
            parts.append(text)
    return parts


def _is_number_row(cells: list) -> bool:
    """The row of column numbers `১ ২ ৩ ...` printed under many headers."""
    return _are_numbers([n.clean_text(c) for c in cells])


def _are_numbers(texts: list[str | None]) -> bool:
    """`_is_number_row` of a row's cleaned texts."""
    values = [v for v in texts if v]
    if len(values) < 3:
        return False
    numbers = []
    for v in values:  # most rows stop at their first text
        digits = n.ascii_digits(v).rstrip(".")
        if not digits.isdigit():
            return False
        numbers.append(int(digits))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_header_like(cells: list) -> bool:
    """A row of level names, percents or quarter labels only: part of a header block."""
    return _are_header_words([n.clean_text(c) for c in cells])


def _are_header_words(texts: list[str | None]) -> bool:
    """`_is_header_like` of a row's cleaned texts."""
    values = [v for v in texts if v]
    return bool(values) and all(
        _kept_header_word(v) if len(v) <= n.SHORT_TEXT else _is_header_word(v) for v in values
    )


def _is_header_word(v: str) -> bool:
    """A level name, a percent, a quarter label, a to-date or ignored column's words, or a
    fiscal year: what the rows of a header block below its first hold."""
    return (
        n.level_of(v) is not None
        or n.quarter_in(v) is not None
        or _has(v.casefold(), TO_DATE + IGNORED)
        or (len(v) <= 12 and n.fiscal_year_in(v) is not None)  # `২০২১-২২` under প্রকৃত অর্জন
    )


_kept_header_word = functools.lru_cache(maxsize=16384)(_is_header_word)


def _header_score(cells: list) -> int:
    texts = [(text or "").casefold() for text in n.clean_texts(cells)]  # _text of every cell
    if len({t for t in texts if t}) < 3:
        return 0  # a title line (`সেকশন ৩: কৌশলগত উদ্দেশ্য, ..., কর্মসম্পাদন সূচক`) is no header
    joined = " | ".join(texts)
    if not _has(joined, INDICATOR):
        return 0
    score = 1
    for words in (ACTIVITY, UNIT, PLAIN_WEIGHT, TARGET, AREA):
        score += _has(joined, words)
    return score


def _header_block(sheet: Sheet, start: int) -> list[int]:
    """The header row and the rows below it that belong to it (vertical merges, level rows)."""
    last = start
    for first_row, _c0, last_row, _c1 in sheet.merged:
        if first_row == start:
            last = max(last, last_row)
    rows = list(range(start, last + 1))
    r = last + 1
    while (
        r < len(sheet.rows) and _is_header_like(sheet.rows[r]) and not _is_number_row(sheet.rows[r])
    ):
        rows.append(r)
        r += 1
    return rows


class _Header:
    """One column's header words, top to bottom, and what they say (worked out once)."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts
        self.joined = " ".join(parts).casefold()
        self.last = parts[-1].casefold()

    def has(self, words: tuple[str, ...]) -> bool:
        return _has(self.joined, words)

    @cached_property
    def level(self) -> int | None:
        """The target level the lowest header naming one names (`অতি উত্তম`, `৯০%`)."""
        return next(
            (n.level_of(p) for p in reversed(self.parts) if n.level_of(p) is not None), None
        )

    @cached_property
    def quarter(self) -> int | None:
        return n.quarter_in(self.last) or n.quarter_in(self.joined)

    @property
    def reports(self) -> bool:
        """An achievement or progress column."""
        return self.has(ACHIEVEMENT + PROGRESS)


def _is_to_date(h: _Header) -> bool:
    """The achievement to date: `ক্রমপুঞ্জিভূত অর্জন`, a total, or the whole year's."""
    return (
        _has(h.last, TO_DATE)
        or (h.has(ACHIEVEMENT) and h.has(("মোট",)))
        or (h.reports and n.is_whole_year(h.joined))
    )


# What a column holds, from its header words: (role, words, condition), tried in this order
# and the first that matches wins (the more specific first: "কর্মসম্পাদন সূচকের মান", the
# indicator's weight, also contains "কর্মসম্পাদন সূচক"). A row matches when the header has
# one of its `words` (None: any header) and its `condition` holds (None: always).
ROLES: tuple[tuple[str, tuple[str, ...] | None, Callable[[_Header], object] | None], ...] = (
    ("ignored", IGNORED + PROJECTION, None),
    # Earlier years' actuals; one of this year (its fiscal year is the plan's) is the year's
    # achievement to date, which `read_sheet` sorts out once the year is known.
    ("prior", PRIOR_ACTUAL, lambda h: n.quarter_in(h.joined) is None),
    ("remarks", REMARKS, None),
    ("evidence", EVIDENCE, None),
    ("responsible", RESPONSIBLE, None),
    ("method", METHOD, None),
    ("nis_label", None, lambda h: NIS_LABEL.search(h.last)),
    ("target", None, lambda h: h.level is not None),
    ("to_date", None, _is_to_date),
    # `অর্জন (জুলাই-ডিসেম্বর ২০২৩)`: to date at the end of Q2, not one quarter's figure.
    ("to_date_months", ACHIEVEMENT + PROGRESS, lambda h: h.quarter is None and n.to_date_quarter(h.joined)),
    ("quarter_target", TARGET, lambda h: h.quarter is not None and not h.reports),
    ("quarter", None, lambda h: h.quarter is not None),
    ("office", PROGRESS, None),
    ("unknown_quarter", ACHIEVEMENT, None),
    ("annual_target", TARGET, None),
    ("unit", UNIT, None),
    ("weight", WEIGHT, None),
    ("indicator", INDICATOR, None),
    ("area_weight", AREA_WEIGHT, None),
    ("area", AREA, None),
    ("activity", ACTIVITY, None),
    ("plain_weight", None, lambda h: h.last.strip(" :") in PLAIN_WEIGHT),
    ("serial", None, lambda h: h.last.strip(" .:") in SERIAL or h.last.startswith("ক্রম")),
)  # fmt: skip


def _place_to_date(h: _Header, columns: Columns, column: int) -> None:
    columns.set_once("to_date", column)
    if columns.to_date == column and not n.is_whole_year(h.joined):
        columns.to_date_quarter = n.quarter_in(h.joined) or n.to_date_quarter(h.joined)


def _place_to_date_months(h: _Header, columns: Columns, column: int) -> None:
    columns.set_once("to_date", column)
    if columns.to_date == column:
        columns.to_date_quarter = n.to_date_quarter(h.joined)


def _place_plain_weight(h: _Header, columns: Columns, column: int) -> None:
    # "মান" right of the area is the area's weight; elsewhere the indicator's.
    if columns.area is not None and columns.weight is None and columns.indicator is None:
        columns.set_once("area_weight", column)
    else:
        columns.set_once("weight", column)


# Roles that are not one column of their own (the others: `Columns.set_once(role, column)`).
PLACE: dict[str, Callable[[_Header, Columns, int], None]] = {
    "ignored": lambda h, columns, column: None,
    "prior": lambda h, columns, column: columns.prior.__setitem__(column, n.fiscal_year_in(h.joined)),
    "target": lambda h, columns, column: columns.targets.setdefault(h.level, column),
    "to_date": _place_to_date,
    "to_date_months": _place_to_date_months,
    "quarter_target": lambda h, columns, column: columns.quarter_targets.setdefault(h.quarter, column),
    "quarter": lambda h, columns, column: columns.quarters.setdefault(h.quarter, column),
    "office": lambda h, columns, column: columns.offices.__setitem__(column, h.parts[-1]),
    "unknown_quarter": lambda h, columns, column: columns.unknown_quarter.append(column),
    "plain_weight": _place_plain_weight,
}  # fmt: skip


def _role(parts: list[str], columns: Columns, column: int) -> None:
    """Tell what one column holds from its header words (top to bottom): the first row of
    `ROLES` that matches."""
    if not parts:
        return
    if sum(map(len, parts)) <= n.SHORT_TEXT:
        role, header = _kept_role(tuple(parts))
    else:
        role, header = _role_of(tuple(parts))
    if role is None:
        return
    place = PLACE.get(role)
    if place is None:
        columns.set_once(role, column)
    else:
        place(header, columns, column)


def _role_of(parts: tuple[str, ...]) -> tuple[str | None, _Header]:
    """The first row of `ROLES` the header words match (None: no role), with the header."""
    header = _Header(list(parts))
    for role, words, condition in ROLES:
        if (words is None or header.has(words)) and (condition is None or condition(header)):
            return role, header
    return None, header


# Templates head their columns alike in every workbook: a header's role is worked out once
# (the role depends on the words only; where it is placed depends on the table).
_kept_role = functools.lru_cache(maxsize=4096)(_role_of)


def find_table(sheet: Sheet) -> Table | None:
    """The first plan table in the sheet: its header block and what each column holds."""
    best_row, best_score = None, 0
    for r, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        score = _header_score(cells)
        if score >= 3 and score > best_score:
            best_row, best_score = r, score
            break
    if best_row is None:
        return None
    rows = _header_block(sheet, best_row)
    columns = Columns()
    texts: dict[int, str] = {}
    for c in range(sheet.width):
        parts = _header_parts(sheet, rows, c)
        if parts:
            texts[c] = " ".join(parts)
        _role(parts, columns, c)
    if columns.indicator is None:
        return None
    if not (
        columns.weight is not None
        or columns.targets
        or columns.annual_target is not None
        or columns.quarters
        or columns.unknown_quarter
        or columns.to_date is not None
        or columns.offices
    ):
        return None  # indicators without weights, targets or achievements: an annex (methods)
    if any(_has(text.casefold(), OUTCOME) for text in texts.values()):
        return None  # the APA's Section 2, outcomes and impact: no plan to score
    # In the NIS layout the quarter columns hold targets in one row and achievements in the
    # next; elsewhere a quarter column holds that quarter's achievement.
    if columns.nis_label is not None:
        columns.quarter_targets = columns.quarter_targets or dict(columns.quarters)
    else:
        columns.achievements = dict(columns.quarters)
        columns.quarters = {}
    data_start = rows[-1] + 1
    while data_start < len(sheet.rows) and _is_number_row(sheet.rows[data_start]):
        data_start += 1
    return Table(rows, data_start, columns, texts)


# ---------------------------------------------------------------- plan facts from titles


def _title_lines(sheet: Sheet, table: Table) -> list[str]:
    lines: list[str] = []
    for cells in sheet.rows[: table.header_rows[0]]:
        for text in n.clean_texts(cells):  # a title merged across the row: one cache lookup each
            if text and text not in lines:
                lines.append(text)
    return lines


def _is_candidate(line: str) -> bool:
    """A title line that may be the office's name: short, not a plan title, a section title,
    the government line or a letterhead line."""
    words = line.casefold()
    return (
        len(line) <= 80
        and n.plan_type_in(line) is None
        and n.fiscal_year_in(line) is None
        and not _names(words, NOT_AN_OFFICE + GOVERNMENT + LETTERHEAD)
        and not SECTION_TITLE.match(line)
    )


def _office_in_title(line: str) -> str | None:
    """`বাণিজ্য মন্ত্রণালয়ের ২০২৩-২৪ অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি` → `বাণিজ্য মন্ত্রণালয়`."""
    match = _OFFICE_IN_TITLE.match(line)
    if match is None:
        return None
    found = match.group(1).strip(" ,।")
    if _names(found.casefold(), (*NOT_AN_OFFICE, "পর্যায়", "level")) or n.plan_type_in(found):
        return None
    return found


def office_from_titles(lines: list[str]) -> str | None:
    """The office the title lines name.

    In order: a labelled line (`অফিসের নাম : ...`); else the office lines above the plan's
    title (the last, most specific, of `ministry / division`), preferring lines with an
    office word (মন্ত্রণালয়, বিভাগ, অধিদপ্তর, কার্যালয়...) and never the government line
    above them, a section title (`সেকশন ৩: ...`) or the letterhead's address; else the first
    such line below the title; else the office the title itself names in the genitive.
    """
    for line in lines:
        match = OFFICE_LABEL.search(line)
        if match:
            return match.group(2).strip(" ।.")
    titles = [i for i, line in enumerate(lines) if n.plan_type_in(line) or n.fiscal_year_in(line)]
    first_title = titles[0] if titles else len(lines)
    candidates = [(i, line) for i, line in enumerate(lines) if _is_candidate(line)]
    worded = [(i, line) for i, line in candidates if _has(line.casefold(), OFFICE_WORDS)]
    for group in (worded, candidates):
        above = [line for i, line in group if i < first_title]
        below = [line for i, line in group if i > first_title]
        if above:
            return above[-1].strip(" ।.")
        if below:
            return below[0].strip(" ।.")
    for i in titles:
        found = _office_in_title(lines[i])
        if found:
            return found
    return None


def _first(values: Iterable):
    """The first value that is not None; the values after it are not worked out."""
    return next((v for v in values if v is not None), None)


@dataclass
class SheetFacts:
    plan_type: str | None
    fiscal_year: str | None
    quarter: int | None
    office_text: str | None
    title: str | None


def sheet_facts(
    sheet: Sheet, table: Table, file_name: str, lines: list[str] | None = None
) -> SheetFacts:
    """The plan's facts from its title `lines` (`_title_lines`, when not given), sheet and
    file names and headers."""
    if lines is None:
        lines = _title_lines(sheet, table)
    title = " / ".join(lines) or None
    cols = table.columns
    target_headers = " ".join(
        table.header_texts.get(c, "")
        for c in [*cols.targets.values(), cols.annual_target]
        if c is not None
    )
    all_headers = " ".join(table.header_texts.values())
    plan_type = _first(n.plan_type_in(text) for text in (*lines, sheet.name, file_name))
    fiscal_year = _first(
        n.fiscal_year_in(text) for text in (*lines, target_headers, sheet.name, file_name)
    )
    if fiscal_year is None:
        fiscal_year = _year_from_neighbours(table)
    quarter = _first(n.quarter_in(text) for text in (*lines, sheet.name))
    if quarter is None and (cols.offices or cols.unknown_quarter):
        quarter = n.quarter_in(all_headers)
    if plan_type is None and (
        _has(all_headers.casefold(), APA_HEADERS) or any(APA_SECTION.match(line) for line in lines)
    ):
        plan_type = "apa"  # an APA's Section 3 that does not repeat the APA's name
    return SheetFacts(plan_type, fiscal_year, quarter, office_from_titles(lines), title)


def _year_from_neighbours(table: Table) -> str | None:
    """The plan's fiscal year from the years around it: the year after the last actuals
    (`প্রকৃত অর্জন ২০২২-২৩`), the year before the first projection (`প্রক্ষেপণ ২০২৪-২৫`)."""
    actuals = [fy for fy in table.columns.prior.values() if fy]
    projections = [
        fy
        for text in table.header_texts.values()
        if _has(text.casefold(), PROJECTION) and (fy := n.fiscal_year_in(text))
    ]
    if actuals:
        start = int(max(actuals)[:4]) + 1
    elif projections:
        start = int(min(projections)[:4]) - 1
    else:
        return None
    return f"{start}-{str(start + 1)[2:]}"


# ---------------------------------------------------------------- rows


def _section_of(text: str) -> str | None:
    words = text.casefold()
    for section, names in SECTION_WORDS:
        if _has(words, names):
            return section
    return None


def _cell(sheet: Sheet, r: int, c: int | None):
    if c is None or c >= len(sheet.rows[r]):
        return None
    return sheet.rows[r][c]


def _fresh(sheet: Sheet, r: int, c: int | None):
    """The cell's value unless it only repeats a merged cell from a row above."""
    if c is None or sheet.from_above(r, c):
        return None
    return _cell(sheet, r, c)


class _Walker:
    """Walks a table's rows into one plan draft (the agency matrix copies it per office)."""

    def __init__(
        self,
        sheet: Sheet,
        table: Table,
        plan: PlanDraft,
        texts: dict[int, list[str | None]] | None = None,
    ) -> None:
        self.sheet = sheet
        self.table = table
        self.cols = table.columns
        self.plan = plan
        self.header_values = {
            c: n.clean_text(_cell(sheet, table.header_rows[0], c)) for c in table.header_texts
        }
        # The header's first row as (column, text), its empty cells left out
        self._header_cells = [(c, text) for c, text in self.header_values.items() if text]
        self.section = "own"
        # The rows' texts (`texts`), shared by the walkers of one sheet (an agency matrix's)
        self._texts: dict[int, list[str | None]] = {} if texts is None else texts
        # (level, column, its key in IndicatorDraft.columns, its letter), for every row
        self.target_columns = [
            (level, c, f"target_{level}", _letter(c)) for level, c in self.cols.targets.items()
        ]
        # Quarterly columns make a to-date column redundant when they hold every quarter up to
        # the report's (it repeats their sum); beside one later quarter's column (`২য়
        # ত্রৈমাসিক` and `মোট অর্জন (জুলাই-ডিসেম্বর)`), the to-date column is the achievement to
        # date, of which the quarter's own figure is only a part.
        quarters = set(self.cols.achievements)
        if self.cols.unknown_quarter and plan.quarter:
            quarters.add(plan.quarter)
        latest = max(quarters, default=None)
        self.to_date_first = (
            self.cols.to_date is not None
            and self.cols.nis_label is None
            and latest is not None
            and not set(range(1, latest + 1)) <= quarters
        )
        self.to_date_at = plan.quarter or latest
        self.quarterly = bool(
            self.cols.achievements or self.cols.quarters or self.cols.unknown_quarter
        )

    # -- bookkeeping

    def problem(self, parsed: n.Parsed, r: int, c: int | None, part: str = "plan") -> None:
        if parsed.problem:
            self.plan.problems.append(
                Problem(parsed.problem, excel_row(r), _letter(c), parsed.raw, parsed.detail, part)
            )

    def parse(self, r: int, c: int | None, unit_kind: str, achievement: bool = False):
        row = self.sheet.rows[r]
        value = row[c] if c is not None and c < len(row) else None  # _cell, inlined
        parsed = n.parse_value(value, unit_kind, self.plan.fiscal_year, achievement=achievement)
        if parsed.problem:
            self.problem(parsed, r, c, "report" if achievement else "plan")
        return parsed

    @staticmethod
    def flag(indicator: IndicatorDraft, parsed: n.Parsed) -> None:
        """A target or weight that cannot be read: the indicator needs correction."""
        if parsed.problem in UNREADABLE and indicator.defect is None:
            indicator.defect = parsed.problem

    # -- row kinds

    def texts(self, r: int) -> list[str | None]:
        """Row `r`'s cells as clean text (n.clean_text), worked out once: every test of a
        row's kind below reads them."""
        texts = self._texts.get(r)
        if texts is None:
            texts = self._texts[r] = n.clean_texts(self.sheet.rows[r])
        return texts

    def text(self, r: int, c: int | None) -> str | None:
        """`n.clean_text(_cell(sheet, r, c))`, from the row's kept texts."""
        if c is None:
            return None
        texts = self.texts(r)
        return texts[c] if c < len(texts) else None

    def fresh_text(self, r: int, c: int | None) -> str | None:
        """`n.clean_text(_fresh(sheet, r, c))`, from the row's kept texts."""
        if c is None or self.sheet.from_above(r, c):
            return None
        return self.text(r, c)

    def is_repeated_header(self, r: int) -> bool:
        """Two cells as the header's first row has them, the row of column numbers, or a row
        of header words only."""
        texts = self.texts(r)
        width = len(texts)
        same = 0
        for c, text in self._header_cells:
            if c < width and texts[c] == text:
                same += 1
                if same >= 2:
                    return True
        return _are_numbers(texts) or _are_header_words(texts)

    def heading(self, r: int) -> bool:
        """A section heading across the row: `১. প্রাতিষ্ঠানিক ব্যবস্থা ৬` (NIS areas)."""
        values = set(self.texts(r)) - {None}
        if len(values) != 1:
            return False
        text = values.pop()
        code, _code_raw, rest = n.parse_code(text)
        if code is None or "." in code or not any(ch.isalpha() for ch in rest):
            return False
        name, weight = n.heading_weight(text)
        self.plan.areas.append(
            AreaDraft(
                name=name or rest, row=excel_row(r), code=code, weight=weight, weight_raw=text
            )
        )
        self.activity_index = None
        return True

    def across(self, r: int) -> bool:
        """A heading row across the table (`মন্ত্রণালয়/বিভাগের কৌশলগত উদ্দেশ্যসমুহ`, `আবশ্যিক
        কৌশলগত উদ্দেশ্যসমুহ`, `সুশাসন ও সংস্কারমূলক কর্মসম্পাদনের ক্ষেত্র`) starts a part of the
        table; a note merged across the row (`* সাময়িক`) is skipped. Neither is an indicator."""
        texts = self.texts(r)
        values = set(texts) - {None}
        if len(values) != 1:
            return False
        text = next(iter(values))
        if n.parse_code(text)[0] is not None:
            return False  # an area or NIS heading with its code: handled by the row itself
        section = _section_of(text)
        if section is not None:
            self.section = section
            return True
        filled = sum(1 for text in texts if text)
        return filled >= 3  # one text merged across the row: a note, not an indicator

    def continues(self, r: int, previous: IndicatorDraft) -> bool:
        """A row that only carries the rest of the indicator's (or activity's) name above, as
        a Word table pasted into Excel wraps it: no code of its own where the table codes its
        indicators, and nothing in any other column. Its words join the name above."""
        if previous.code is None or previous.code_raw is None:
            return False  # a table without codes: a row of words may be an indicator
        words = {self.cols.indicator, self.cols.activity}
        text = None
        for c, cell_text in enumerate(self.texts(r)):  # n.clean_text of every cell, kept
            if cell_text is None or self.sheet.from_above(r, c):
                continue
            if c not in words:
                return False
            if c == self.cols.indicator:
                text = cell_text
        if text is None or n.parse_code(text)[0] is not None or n.codes_in(text):
            return text is None and any(
                self.fresh_text(r, c) for c in words if c is not None
            )  # the activity's name wrapped: nothing to add to the indicator
        previous.name = f"{previous.name} {text}".strip()
        return True

    def run(self) -> None:
        self.activity_index: int | None = None
        last_indicators: list[IndicatorDraft] = []
        for r in range(self.table.data_start, len(self.sheet.rows)):
            if not any(self.texts(r)):
                continue
            if self.is_repeated_header(r) or self.across(r):
                continue
            label = (self.text(r, self.cols.nis_label) or "").casefold()  # _text of the cell
            if label and _has(label, ACHIEVEMENT) and not _has(label, TARGET) and last_indicators:
                self.achievement_row(r, last_indicators[-1])
                continue
            if self.cols.area is None and self.heading(r):
                continue  # `১. প্রাতিষ্ঠানিক ব্যবস্থা ৬`, merged across the row or not
            indicator_text = _fresh(self.sheet, r, self.cols.indicator)
            if last_indicators and self.continues(r, last_indicators[-1]):
                continue
            if self.fresh_text(r, self.cols.indicator) is None:  # n.clean_text(indicator_text)
                # Not an indicator: a section heading (NIS areas), or a note or signature line.
                if self.cols.area is None:
                    self.heading(r)
                continue
            self.area(r)
            self.activity(r)
            last_indicators = self.indicators(r, indicator_text)

    def area(self, r: int) -> None:
        text = self.fresh_text(r, self.cols.area)
        if text is None:
            return
        code, _raw, rest = n.parse_code(text)
        if code and code.startswith("M."):
            self.section = "governance"
        weight = n.parse_weight(_fresh(self.sheet, r, self.cols.area_weight))
        self.problem(weight, r, self.cols.area_weight)
        self.plan.areas.append(
            AreaDraft(
                name=rest or text,
                row=excel_row(r),
                code=code,
                weight=weight.value if isinstance(weight.value, float) else None,
                weight_raw=weight.raw,
                section=self.section,
            )
        )
        self.activity_index = None

    def activity(self, r: int) -> None:
        text = self.fresh_text(r, self.cols.activity)
        if text is None:
            return
        code, code_raw, rest = n.parse_code(text)
        self.plan.activities.append(
            ActivityDraft(
                name=rest or text,
                row=excel_row(r),
                code=code,
                code_raw=code_raw,
                area_index=len(self.plan.areas) - 1 if self.plan.areas else None,
            )
        )
        self.activity_index = len(self.plan.activities) - 1

    def indicators(self, r: int, text) -> list[IndicatorDraft]:
        coded = n.codes_in(text)
        if len(coded) <= 1:
            code, code_raw, name = n.parse_code(text)
            coded = [(code, code_raw, name or n.clean_text(text))]
        made = []
        for code, code_raw, name in coded:
            indicator = self.indicator(r, code, code_raw, name, with_values=len(coded) == 1)
            self.plan.indicators.append(indicator)
            made.append(indicator)
        return made

    def indicator(self, r, code, code_raw, name, with_values: bool) -> IndicatorDraft:
        """The indicator of row `r`: what names it, then (`with_values`: one indicator on the
        row) its plan values, targets, earlier years' actuals and achievements."""
        cols = self.cols
        self.fractions = False
        activity = (
            self.plan.activities[self.activity_index] if self.activity_index is not None else None
        )
        code = self.indicator_code(r, code, code_raw, activity)
        unit_label = self.text(r, cols.unit) if with_values else None
        if (code and code.startswith("M.")) or _is_marks_unit(unit_label or ""):
            self.section = "governance"
        indicator = IndicatorDraft(
            name=name or "",
            sheet=self.sheet.name,
            row=excel_row(r),
            code=code,
            code_raw=code_raw,
            area_index=len(self.plan.areas) - 1 if self.plan.areas else None,
            activity_index=self.activity_index,
            unit_label=unit_label,
            unit_kind=n.unit_kind(unit_label) if unit_label else self.guess_unit(r),
            section=self.section,
        )
        if self.section == "governance":
            indicator.governance_plan_type = self.governance_plan_type(indicator, activity)
        indicator.columns = {"code": _letter(cols.indicator), "unit": _letter(cols.unit)}
        if with_values:
            self.plan_values(indicator, r)
            self.targets(indicator, r)
            self.prior_actuals(indicator, r)
            self.achievements(indicator, r)
        return indicator

    def indicator_code(self, r, code, code_raw, activity) -> str | None:
        """The row's code; a NIS row's from its activity. A malformed code is reported."""
        if (
            code is None
            and activity is not None
            and activity.code
            and self.cols.nis_label is not None
        ):
            # NIS rows carry their code on the activity (`১.১ নৈতিকতা কমিটির সভা আয়োজন`).
            code = activity.code
        if code_raw and (
            code_raw.count("[") > 1
            or code_raw.count("]") > 1
            or code_raw.count("[") != code_raw.count("]")
        ):
            self.plan.problems.append(
                Problem("code-repaired", excel_row(r), _letter(self.cols.indicator), code_raw, code)
            )
        return code

    def plan_values(self, indicator: IndicatorDraft, r: int) -> None:
        """Weight, calculation method, who is responsible, remarks and evidence."""
        cols, sheet = self.cols, self.sheet
        weight = n.parse_weight(_cell(sheet, r, cols.weight))
        self.problem(weight, r, cols.weight)
        self.flag(indicator, weight)
        indicator.weight = weight.value if isinstance(weight.value, float) else None
        indicator.weight_raw = weight.raw
        indicator.columns["weight"] = _letter(cols.weight)
        method_label = self.text(r, cols.method)
        indicator.method, indicator.method_label = n.method_of(method_label), method_label
        indicator.responsible = self.text(r, cols.responsible)
        indicator.remarks = self.text(r, cols.remarks)
        indicator.evidence = self.text(r, cols.evidence)

    def targets(self, indicator: IndicatorDraft, r: int) -> None:
        """The five levels' targets (or the one annual target) and the quarterly targets."""
        cols, sheet, kind = self.cols, self.sheet, indicator.unit_kind
        for level, c, key, letter in self.target_columns:
            indicator.columns[key] = letter
            if sheet.from_left(r, c):
                # One target merged across the level columns: set at its first level only.
                indicator.targets[level], indicator.targets_raw[level] = None, None
                continue
            parsed = self.parse(r, c, kind)
            self.flag(indicator, parsed)
            indicator.targets[level] = _usable(parsed)
            indicator.targets_raw[level] = parsed.raw
        self.fractions = kind == "percent" and self.fraction_ladder(r)
        if self.fractions:
            for level, c in cols.targets.items():
                indicator.targets[level] = float(_cell(sheet, r, c)) * 100
        if cols.annual_target is not None:
            parsed = self.parse(r, cols.annual_target, kind)
            self.flag(indicator, parsed)
            indicator.annual_target, indicator.annual_target_raw = _usable(parsed), parsed.raw
            indicator.columns["annual_target"] = _letter(cols.annual_target)
            if not cols.targets:
                # One annual target: the single set level of §1.5.
                indicator.targets = dict.fromkeys(TARGET_LEVELS) | {100: indicator.annual_target}
                indicator.targets_raw = {100: parsed.raw}
        for quarter, c in cols.quarter_targets.items():
            parsed = self.parse(r, c, kind)
            self.flag(indicator, parsed)
            indicator.quarter_targets[quarter] = _usable(parsed)
            indicator.quarter_targets_raw[quarter] = parsed.raw
            indicator.columns[f"q{quarter}_target"] = _letter(c)

    def prior_actuals(self, indicator: IndicatorDraft, r: int) -> None:
        """Earlier years' actuals, kept as written, for reading only: a note there (`নতুন
        সূচক`) is no defect of this year's plan."""
        for c, fiscal_year in self.cols.prior.items():
            parsed = n.parse_value(_cell(self.sheet, r, c), indicator.unit_kind, fiscal_year)
            if parsed.raw is not None:
                indicator.prior_actuals.append(
                    {"fiscal_year": fiscal_year, "value": _json(parsed.value), "raw": parsed.raw}
                )

    def achievements(self, indicator: IndicatorDraft, r: int) -> None:
        """What the row reports: to date, by quarter, or in a column of no named quarter."""
        cols = self.cols
        if self.to_date_first:
            # First, so that the quarter's own column only stands in where it is left blank.
            self.achievement(indicator, r, cols.to_date, self.to_date_at, to_date=True)
        for quarter, c in cols.achievements.items():
            self.achievement(indicator, r, c, quarter)
        for c in cols.unknown_quarter:
            if self.plan.quarter is None:
                if self.text(r, c) is not None:
                    self.plan.problems.append(
                        Problem(
                            "quarter-unknown",
                            excel_row(self.table.header_rows[0]),
                            _letter(c),
                            self.table.header_texts.get(c),
                            part="report",
                        )
                    )
                continue
            self.achievement(indicator, r, c, self.plan.quarter)
        if cols.to_date is not None and cols.nis_label is None and not self.quarterly:
            # The only achievement column is to date: at the report's quarter, or, with none
            # named (the annual evaluation's whole-year column), at the end of the year.
            self.achievement(indicator, r, cols.to_date, self.plan.quarter or 4, to_date=True)

    def governance_plan_type(self, indicator: IndicatorDraft, activity) -> str | None:
        """The action plan whose marks an APA governance row carries: its words name it
        (`শুদ্ধাচার কর্মপরিকল্পনা বাস্তবায়িত` → nis), else its place (`[এম.১.৩]` → grs)."""
        for text in (indicator.name, activity.name if activity else None):
            found = n.plan_type_in(text)
            if found and found != "apa":
                return found
        for code in (indicator.code, activity.code if activity else None):
            parts = (code or "").split(".")
            if len(parts) >= 3 and parts[0] == "M":
                return GOVERNANCE_ORDER.get(parts[2])
        return None

    def fraction_ladder(self, r: int) -> bool:
        """A percent ladder written as fractions in plain cells (1, 0.9, 0.8, 0.7, 0.6): the
        1 is 100% like the rest (a lone 1 would otherwise read as 1%)."""
        values = [_cell(self.sheet, r, c) for c in self.cols.targets.values()]
        numbers = [
            v
            for v in values
            if isinstance(v, (int, float)) and not isinstance(v, (bool, n.Percent))
        ]
        return (
            len(numbers) >= 2
            and all(0 <= v <= 1 for v in numbers)
            and any(v == 1 for v in numbers)
            and all(isinstance(v, (int, float)) or n.is_unset(v) for v in values)
        )

    def guess_unit(self, r: int) -> str:
        """Without a unit column, the targets tell: a date ladder is a date indicator."""
        for c in [*self.cols.targets.values(), self.cols.annual_target]:
            value = _cell(self.sheet, r, c)
            text = self.text(r, c) or ""
            if "%" in text:
                return "percent"
            if n.is_unset(value) or not text:
                continue
            if n.parse_date(value).kind == "date" and n.parse_number(value).kind != "number":
                return "date"
        return "number"

    def achievement(self, indicator, r, c, quarter, to_date=False) -> None:
        value = _cell(self.sheet, r, c)
        if n.is_unset(value):
            return
        if any(a.quarter == quarter for a in indicator.achievements):
            return  # a second column for the same quarter (`অর্জনের হার`): the first counts
        parsed = self.parse(r, c, indicator.unit_kind, achievement=True)
        if parsed.kind == "empty":
            return
        number = parsed.value
        if (
            getattr(self, "fractions", False)
            and isinstance(value, (int, float))
            and not isinstance(value, n.Percent)
            and 0 <= value <= 1
        ):
            number = float(value) * 100  # beside a ladder of fractions, 1 is 100%
        unreadable = parsed.problem in UNREADABLE
        indicator.achievements.append(
            AchievementDraft(
                quarter=quarter,
                value=parsed.raw if unreadable else number,
                kind="text" if unreadable else parsed.kind,
                raw=parsed.raw,
                row=excel_row(r),
                column=_letter(c),
                status="unreadable" if unreadable else (parsed.status or "reported"),
                to_date=to_date,
            )
        )

    def achievement_row(self, r: int, indicator: IndicatorDraft) -> None:
        for quarter, c in self.cols.quarters.items():
            self.achievement(indicator, r, c, quarter)
        if self.cols.to_date is not None and not self.cols.quarters:
            self.achievement(indicator, r, self.cols.to_date, self.plan.quarter or 4, to_date=True)


def _usable(parsed: n.Parsed):
    """A target's value when it is one (a number or a date), else None."""
    return parsed.value if parsed.kind in ("number", "percent", "date") else None


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _letter(c: int | None) -> str | None:
    return None if c is None else column_letter(c)


def _layout(columns: Columns) -> str:
    if columns.nis_label is not None:
        return "nis"
    if len(columns.offices) >= 1:
        return "agency-matrix"
    if columns.achievements or columns.unknown_quarter:
        return "progress"
    return "standard"


def read_sheet(sheet: Sheet, file_name: str) -> list[PlanDraft]:
    """Every plan in a sheet: one, or one per office column of an agency matrix; [] if none."""
    table = find_table(sheet)
    if table is None:
        return []
    lines = _title_lines(sheet, table)  # once for the facts and the evaluation's quarter
    facts = sheet_facts(sheet, table, file_name, lines)
    cols = table.columns
    evaluated = _first(n.evaluation_quarter(line) for line in lines)
    if facts.quarter is None and cols.to_date_quarter and not (cols.achievements or cols.quarters):
        facts.quarter = cols.to_date_quarter  # the one column runs to date (`জুলাই-ডিসেম্বর`)
    if facts.quarter is None and evaluated and not (cols.achievements or cols.quarters):
        # An evaluation report's one achievement column (`অর্জন`): its figures to date, at the
        # end of the year (annual evaluation) or of Q2 (half-yearly evaluation).
        if cols.to_date is None and len(cols.unknown_quarter) == 1:
            cols.to_date = cols.unknown_quarter.pop()
        if cols.to_date is not None:
            facts.quarter = evaluated
    for c, fiscal_year in list(cols.prior.items()):
        # `প্রকৃত অর্জন ২০২৩-২৪` in a 2023-24 plan: this year's achievement to date.
        if fiscal_year is not None and fiscal_year == facts.fiscal_year and cols.to_date is None:
            del cols.prior[c]
            cols.to_date = c
    layout = _layout(table.columns)
    for_levels = n.office_levels_in(sheet.name) or n.office_levels_in(facts.title)

    def new_plan() -> PlanDraft:
        """The sheet's plan before its rows are walked (an agency matrix: one per office)."""
        return PlanDraft(
            file_name=file_name,
            sheet=sheet.name,
            layout=layout,
            title=facts.title,
            plan_type=facts.plan_type,
            fiscal_year=facts.fiscal_year,
            quarter=facts.quarter,
            office_text=facts.office_text,
            header_rows=[excel_row(r) for r in table.header_rows],
            for_levels=set(for_levels),
        )

    plan = new_plan()
    offices = dict(table.columns.offices)
    if not offices:
        _Walker(sheet, table, plan).run()
        if plan.quarter is None and plan.reported_quarters:
            plan.quarter = max(plan.reported_quarters)  # the latest quarter reported
        if plan.plan_type is None and any(i.is_governance for i in plan.indicators):
            plan.plan_type = "apa"  # only an APA has a governance part
        for index, area in enumerate(plan.areas):
            rows = [i for i in plan.indicators if i.area_index == index]
            if rows and all(i.is_governance for i in rows):
                area.section = "governance"  # its rows carry marks obtained
        return [plan]
    plans = []
    texts: dict[int, list[str | None]] = {}  # the rows' texts, worked out by the first walker
    for c, header in offices.items():
        one = new_plan()  # what copy.deepcopy(plan) gave, without its cost per field
        one.office_text = header
        cols = table.columns.copy()
        cols.offices = {}
        if plan.quarter is None:
            one.problems.append(
                Problem(
                    "quarter-unknown", excel_row(table.header_rows[0]), column_letter(c), header
                )
            )
        else:
            cols.achievements = {plan.quarter: c}
        _Walker(
            sheet, Table(table.header_rows, table.data_start, cols, table.header_texts), one, texts
        ).run()
        plans.append(one)
    return plans
