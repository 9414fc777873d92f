"""Cell values as offices write them → clean values. Pure functions: no I/O.

Bengali and ASCII digits mixed; dates in every form of ../shared/docs/domain.md (two-digit
years, `/ - .` separators, Excel date cells, truncated or wrong years, day/month swaps);
percents written `৯০`, `৯০%` or `0.9`; weights with leading zeros; values with notes
(`০১ (২৫ জন)`); codes with typos (`[[১.১.১]`) or without brackets (`১.১ নৈতিকতা ...`); text
answers (`কার্যক্রম চলমান রয়েছে`). A parser never raises: what it cannot read comes back with
a `problem` code (core/issues.py) and the text as written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from core.terms import TO_ASCII_DIGITS

Value = float | dt.date | str | None
T = TypeVar("T")

UNSET = {"", "-", "--", "---", "—", "–", "−", "n/a", "na", "প্রযোজ্য নয়", "নাই", "x"}
EXCEL_EPOCH = dt.date(1899, 12, 30)


class Percent(float):
    """A number Excel shows as a percent (its cell is formatted `0%`): the value as shown, on a
    0-100 scale (the cell's 0.9 is `Percent(90.0)`). loaders/formats.py makes them."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Percent({float(self)!r})"


@dataclass(frozen=True)
class Parsed:
    value: Value
    kind: str  # number, percent, date, text, empty
    raw: str | None
    note: str | None = None
    status: str | None = None  # reported, in_progress, not_achieved
    problem: str | None = None
    detail: str | None = None


# Cells repeat (headers, units, "-", status words): the text functions below keep the
# answers for short texts, which a sheet asks for many times (a bounded cache, short texts
# only, so a hostile workbook cannot fill memory through it).
SHORT_TEXT = 200
# A long cell (an indicator's or a title's 300 characters) is cleaned again by every test of
# its row and, in an agency matrix, once per office column; NFC of Bengali text costs some
# 0.1 µs a character. The cleaning, digits and title or header words of texts up to LONG_TEXT
# characters are kept too, LONG_KEPT answers each (at most 16 KiB a text: 12 MiB in all).
LONG_TEXT = 4096
LONG_KEPT = 64


def kept_by_text(function: Callable[[str], T], maxsize: int = 4096) -> Callable[[str], T]:
    """`function` of one text with its answers kept: a short text's in a cache of `maxsize`,
    a long one's (up to LONG_TEXT) in one of LONG_KEPT; longer texts are worked out again."""
    short = functools.lru_cache(maxsize=maxsize)(function)
    long = functools.lru_cache(maxsize=LONG_KEPT)(function)

    def kept(text: str) -> T:
        size = len(text)
        if size <= SHORT_TEXT:
            return short(text)
        return long(text) if size <= LONG_TEXT else function(text)

    return kept


def _ascii_digits(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(TO_ASCII_DIGITS)


ascii_digits = kept_by_text(_ascii_digits, maxsize=16384)


@functools.lru_cache(maxsize=16384)
def _clean(text: str) -> str | None:
    return " ".join(unicodedata.normalize("NFC", text).split()) or None


def clean_text(value: object) -> str | None:
    """The cell as text: NFC, whitespace collapsed; None when empty."""
    if value is None:
        return None
    if type(value) is str and len(value) <= SHORT_TEXT:  # most cells: one cache lookup
        return _clean(value)
    if isinstance(value, Percent):
        return f"{float(value):g}%"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    text = value if type(value) is str else str(value)
    if len(text) <= SHORT_TEXT:
        return _clean(text)
    if len(text) <= LONG_TEXT:
        return _long_clean(text)
    return _clean.__wrapped__(text)


_long_clean = functools.lru_cache(maxsize=LONG_KEPT)(_clean.__wrapped__)


def clean_texts(values: list[object]) -> list[str | None]:
    """`clean_text` of every value of a row, the usual short text or number with one cache
    lookup."""
    clean, number = _clean, _number_text
    return [
        None
        if value is None
        else clean(value)
        if (kind := type(value)) is str and len(value) <= SHORT_TEXT
        else number(kind, value)
        if kind in _NUMBER_TYPES
        else clean_text(value)
        for value in values
    ]


_NUMBER_TYPES = frozenset({float, int})  # exactly these: Percent and bool read otherwise


@functools.lru_cache(maxsize=16384)
def _number_text(_kind: type, value: float | int) -> str | None:
    """`clean_text` of a number (its type is part of the key: 1 == 1.0 reads `1` both ways,
    but the key keeps them apart all the same)."""
    return clean_text(value)


def is_unset(value: object) -> bool:
    text = clean_text(value)
    return text is None or text.casefold() in UNSET


def _empty(raw: str | None) -> Parsed:
    return Parsed(None, "empty", raw)


# An Excel number-format code written into a cell instead of its value (`$-5000445]0.2f%`,
# `[$-445]dd/mm/yyyy`, `#,##0.00`, `General`): what converters leave when they lose the value.
_LEAKED_FORMAT = re.compile(
    r"""\$-[0-9a-f]{3,8}\]                        # a locale tag, its `[` often lost
    | \[\$[^\]]*\]                              # a currency or locale tag
    | \#[#,0.]*0 | 0[#,]\# | [#0]\.[#0]*\#      # digit placeholders
    | ^[#0]+(?:\.[#0-9]+)?[a-z]%?$                # `0.2f%`, `0.00e`
    | ^(?:d{1,4}|m{1,5}|y{2,4})(?:\s*[/.\-]\s*(?:d{1,4}|m{1,5}|y{2,4})){1,2}$  # dd/mm/yyyy
    | ^(?:general|standard|@)$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_leaked_format(value: object) -> bool:
    """True for text that is an Excel number-format code rather than a value."""
    if not isinstance(value, str):
        return False
    text = clean_text(value) or ""
    return bool(text) and bool(_LEAKED_FORMAT.search(text))


def _leaked(raw: str | None) -> Parsed:
    return Parsed(raw, "text", raw, problem="leaked-number-format")


# Excel's error values: a formula that failed (`#REF!` after a deleted row, `#DIV/0!`).
CELL_ERRORS = frozenset(
    {"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)


def is_cell_error(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in CELL_ERRORS


def _unusable(value: object, raw: str | None) -> Parsed | None:
    """A cell that holds no value at all: a leaked number format or an error value."""
    if is_cell_error(value):
        return Parsed(raw, "text", raw, problem="cell-error")
    if is_leaked_format(value):
        return _leaked(raw)
    return None


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+)\s*(.*)$", re.DOTALL)


def _split_number(text: str) -> tuple[float, str] | None:
    match = _NUMBER.match(ascii_digits(text))
    if not match:
        return None
    digits = match.group(1).replace(",", "")
    try:
        return float(digits), match.group(2).strip()
    except ValueError:
        return None


def parse_number(value: object) -> Parsed:
    """`১০` 10, `০১` 1, `১,২০০` 1200, `০১ (২৫ জন)` 1 with a note, `২টি` 2."""
    raw = clean_text(value)
    if is_unset(value):
        return _empty(raw)
    if isinstance(value, bool):
        return Parsed(None, "text", raw, problem="unparseable-number")
    if isinstance(value, (int, float)):
        return Parsed(float(value), "number", raw)
    if (unusable := _unusable(value, raw)) is not None:
        return unusable
    if isinstance(value, dt.date):
        return Parsed(None, "text", raw, problem="unparseable-number")
    split = _split_number(raw)
    if split is None:
        return Parsed(raw, "text", raw, problem="unparseable-number")
    number, rest = split
    rest = raw[len(raw) - len(rest) :] if rest else ""  # the note as written, Bengali digits kept
    if rest.startswith(("/", "-", ".")) and (
        any(ch.isdigit() for ch in ascii_digits(rest)[:3]) or parse_date(raw).kind == "date"
    ):
        # `১৫/১০/২০২৪`, `30-Sep-24`: a date, not a number with a note.
        return Parsed(raw, "text", raw, problem="unparseable-number")
    return Parsed(number, "number", raw, note=rest or None)


def parse_weight(value: object) -> Parsed:
    """`parse_number`, a negative number unreadable. Kept for plain values, like
    `parse_value` below: a sheet's weights are a few values, asked for on every row."""
    kind = type(value)
    if kind in _KEPT_TYPES and (kind is not str or len(value) <= SHORT_TEXT):
        return _kept_weight(kind, value)
    return _parse_weight(value)


def _parse_weight(value: object) -> Parsed:
    parsed = parse_number(value)
    if parsed.kind == "number" and parsed.value < 0:
        return Parsed(parsed.raw, "text", parsed.raw, problem="unparseable-number")
    return parsed


def parse_percent(value: object) -> Parsed:
    """Always on a 0-100 scale: `৯০%` 90, `৯০` 90, `0.9` 90 (a fraction), `৯৪.৬৩%` 94.63.

    The cell's format decides first: a percent-formatted cell arrives as a `Percent`, already
    on the 0-100 scale (its 1 is 100%). Otherwise a number below 1 (and above 0) is read as a
    fraction; 1 itself stays 1% (loaders/layouts.py reads a whole ladder written as fractions,
    1, 0.9, 0.8..., as one).
    """
    raw = clean_text(value)
    if is_unset(value):
        return _empty(raw)
    if isinstance(value, Percent):
        return Parsed(float(value), "percent", raw)
    if (unusable := _unusable(value, raw)) is not None:
        return unusable
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        return Parsed(number * 100 if 0 < number < 1 else number, "percent", raw)
    if isinstance(value, dt.date):
        return Parsed(raw, "text", raw, problem="unparseable-percent")
    text = ascii_digits(raw)
    split = _split_number(text.replace("%", " % ", 1))
    if split is None:
        return Parsed(raw, "text", raw, problem="unparseable-percent")
    number, rest = split
    if rest.startswith(("/", "-", ".")) and any(ch.isdigit() for ch in rest[:3]):
        return Parsed(raw, "text", raw, problem="unparseable-percent")  # a date, `২৩/০৫/২০`
    has_sign = rest.startswith("%") or "শতাংশ" in rest
    rest = rest.removeprefix("%").strip()
    if not has_sign and 0 < number < 1:
        number *= 100
    return Parsed(number, "percent", raw, note=rest or None)


# ---------------------------------------------------------------- dates

MONTHS = {
    "জানুয়ারি": 1, "জানুয়ারী": 1, "january": 1, "jan": 1,
    "ফেব্রুয়ারি": 2, "ফেব্রুয়ারী": 2, "february": 2, "feb": 2,
    "মার্চ": 3, "march": 3, "mar": 3,
    "এপ্রিল": 4, "april": 4, "apr": 4,
    "মে": 5, "may": 5,
    "জুন": 6, "june": 6, "jun": 6,
    "জুলাই": 7, "july": 7, "jul": 7,
    "আগস্ট": 8, "অগাস্ট": 8, "august": 8, "aug": 8,
    "সেপ্টেম্বর": 9, "september": 9, "sep": 9, "sept": 9,
    "অক্টোবর": 10, "october": 10, "oct": 10,
    "নভেম্বর": 11, "november": 11, "nov": 11,
    "ডিসেম্বর": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTHS = {unicodedata.normalize("NFC", k): v for k, v in MONTHS.items()}
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
# `৩১ ডিসেম্বর ২০২৩`, `30 June, 2024`, `30-Sep-24` (the way Excel shows a date typed as text)
_WORDS = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+|\s*[-/.]\s*)([^\d\s,\-/.]+)\.?,?(?:\s+|\s*[-/.]\s*)(\d{2}|\d{4})$"
)


def fiscal_year_bounds(fiscal_year: str) -> tuple[dt.date, dt.date]:
    """`2024-25` → 1 July 2024 .. 30 June 2025."""
    start = int(fiscal_year[:4])
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


def _date(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _in_year(day: int, month: int, fiscal_year: str) -> dt.date | None:
    start, _end = fiscal_year_bounds(fiscal_year)
    return _date(start.year if month >= 7 else start.year + 1, month, day)


def parse_date(value: object, fiscal_year: str | None = None) -> Parsed:
    """Day/month/year in any of the forms offices use; see the module docstring.

    With the plan's fiscal year: a date outside it whose day and month fall inside it is taken
    in the fiscal year (`১১/০২/২০২২` in a 2023-24 plan → 11/02/2024, problem
    date-year-corrected); a date that is only valid, or only inside the year, with day and
    month swapped is swapped (day-month-swapped).
    """
    raw = clean_text(value)
    if is_unset(value):
        return _empty(raw)
    if isinstance(value, dt.datetime):
        return _placed(value.date(), None, raw, fiscal_year)
    if isinstance(value, dt.date):
        return _placed(value, None, raw, fiscal_year)
    if (unusable := _unusable(value, raw)) is not None:
        return unusable
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # an Excel serial day number (1954..2119)
            return _placed(EXCEL_EPOCH + dt.timedelta(days=int(value)), None, raw, fiscal_year)
        return Parsed(raw, "text", raw, problem="unparseable-date")
    text = ascii_digits(raw).casefold().strip(" ।.,;")
    text = re.sub(r"\s*(?:খ্রি[ঃ:.]?|খ্রিস্টাব্দ|ইং)\s*$", "", text)
    if match := _ISO.match(text):
        found = _date(int(match[1]), int(match[2]), int(match[3]))
        return _placed(found, None, raw, fiscal_year) if found else _bad(raw)
    if match := _WORDS.match(text):
        month = _MONTHS.get(match[2].strip("."))
        found = _date(int(match[3]), month, int(match[1])) if month else None
        return _placed(found, None, raw, fiscal_year) if found else _bad(raw)
    match = _DMY.match(text)
    if not match:
        return _date_with_note(raw, text, fiscal_year)
    day, month, year = int(match[1]), int(match[2]), int(match[3])
    found = _date(year, month, day)
    swapped = _date(year, day, month) if day <= 12 and day != month else None
    if found is None and swapped is None:
        return _bad(raw)
    if found is None:
        return Parsed(swapped, "date", raw, problem="day-month-swapped", detail=swapped.isoformat())
    if (
        fiscal_year
        and swapped is not None
        and not _inside(found, fiscal_year)
        and _inside(swapped, fiscal_year)
    ):
        return Parsed(swapped, "date", raw, problem="day-month-swapped", detail=swapped.isoformat())
    return _placed(found, (day, month), raw, fiscal_year)


_DMY_INSIDE = re.compile(
    r"(?<![\d/.\-])\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*(?:\d{4}|\d{2})(?![\d/.\-])"
)


def _date_with_note(raw: str | None, text: str, fiscal_year: str | None) -> Parsed:
    """One date with words around it (`১৫/০৯/২০২৩ (সম্পন্ন)`, `৩১.১২.২৩ এর মধ্যে`): that date,
    the words kept as its note; two dates or none are no date."""
    found = _DMY_INSIDE.findall(text)
    if len(found) != 1:
        return _bad(raw)
    parsed = parse_date(found[0], fiscal_year)
    if parsed.kind != "date":
        return _bad(raw)
    note = text.replace(found[0], " ").strip(" ()[],;:-।") or None
    return Parsed(parsed.value, "date", raw, note, None, parsed.problem, parsed.detail)


def _bad(raw: str | None) -> Parsed:
    return Parsed(raw, "text", raw, problem="unparseable-date")


def _inside(date: dt.date, fiscal_year: str) -> bool:
    start, end = fiscal_year_bounds(fiscal_year)
    return start <= date <= end


def _placed(found: dt.date, day_month, raw: str | None, fiscal_year: str | None) -> Parsed:
    """The date, or the same day and month within the fiscal year when its year is wrong."""
    if fiscal_year is None or _inside(found, fiscal_year):
        return Parsed(found, "date", raw)
    day, month = day_month or (found.day, found.month)
    corrected = _in_year(day, month, fiscal_year)
    if corrected is None:
        return Parsed(found, "date", raw)
    return Parsed(
        corrected,
        "date",
        raw,
        problem="date-year-corrected",
        detail=f"{found.isoformat()} → {corrected.isoformat()}",
    )


# ---------------------------------------------------------------- values by unit

IN_PROGRESS = ("চলমান", "প্রক্রিয়াধীন", "চলছে", "in progress", "ongoing", "under process")
NOT_ACHIEVED = ("হয়নি", "হয় নি", "অর্জিত হয়নি", "অর্জন হয়নি", "not achieved", "not done", "নাই")
DONE = ("সম্পন্ন", "অর্জিত", "done", "achieved", "completed")


def text_status(text: object) -> str | None:
    """What a text answer says: in progress, not achieved, or done (checked in that order,
    because "অর্জিত হয়নি" contains "অর্জিত")."""
    words = (clean_text(text) or "").casefold()
    if not words:
        return None
    if any(w in words for w in NOT_ACHIEVED):
        return "not_achieved"
    if any(w in words for w in IN_PROGRESS):
        return "in_progress"
    if any(w in words for w in DONE):
        return "reported"
    return None


UNUSABLE = ("leaked-number-format", "cell-error")


# Cell values whose reading is kept (their type is part of the key: Percent(1.0) == 1.0).
_KEPT_TYPES = frozenset({str, int, float, Percent, dt.date, dt.datetime, type(None)})


def parse_value(
    value: object, unit_kind: str, fiscal_year: str | None = None, achievement: bool = False
) -> Parsed:
    """A target or an achievement in its indicator's unit. An achievement may be a text
    answer (kept as text with its status); a target that is not a value is unreadable.

    Answers for plain values are kept (bounded, short texts only, like the text functions
    above): sheets repeat `-`, units, percents and status words, and Parsed is frozen."""
    kind = type(value)
    if kind in _KEPT_TYPES and (kind is not str or len(value) <= SHORT_TEXT):
        return _kept_value(kind, value, unit_kind, fiscal_year, achievement)
    return _parse_value(value, unit_kind, fiscal_year, achievement)


@functools.lru_cache(maxsize=4096)
def _kept_weight(_kind: type, value: object) -> Parsed:
    return _parse_weight(value)


@functools.lru_cache(maxsize=16384)
def _kept_value(
    _kind: type, value: object, unit_kind: str, fiscal_year: str | None, achievement: bool
) -> Parsed:
    return _parse_value(value, unit_kind, fiscal_year, achievement)


def _parse_value(
    value: object, unit_kind: str, fiscal_year: str | None, achievement: bool
) -> Parsed:
    if unit_kind == "date":
        parsed = parse_date(value, fiscal_year)
    elif unit_kind == "percent":
        parsed = parse_percent(value)
    else:
        parsed = parse_number(value)
    if parsed.kind != "text" or not achievement or parsed.problem in UNUSABLE:
        return parsed
    status = text_status(parsed.raw)
    if status is not None:
        return Parsed(parsed.raw, "text", parsed.raw, status=status)
    if unit_kind != "date" and parse_date(value).kind == "date":
        return Parsed(parsed.raw, "text", parsed.raw, problem="unreadable-value")
    if parsed.problem in ("unparseable-number", "unparseable-percent") and not any(
        ch.isdigit() for ch in ascii_digits(parsed.raw or "")
    ):
        return Parsed(parsed.raw, "text", parsed.raw, problem="unreadable-value")
    return parsed


# ---------------------------------------------------------------- codes and headings

# `[এম.১.১]` / `[M.1.1]`: the governance part of an APA (its মেন্ডেটরি, mandatory, rows).
_GOVERNANCE = r"(?:এম|M)\s*[.\-]?\s*"
_CODE = re.compile(
    rf"^[\[\(\{{]*\s*({_GOVERNANCE})?(\d+(?:\s*\.\s*\d+){{0,4}})\s*\.?\s*[\]\)\}}]*\s*[।.:)]?\s*",
    re.IGNORECASE,
)
_CODES_INSIDE = re.compile(
    rf"\[+\s*(?:{_GOVERNANCE})?\d+(?:\s*\.\s*\d+){{0,4}}\s*\]+", re.IGNORECASE
)


def parse_code(text: object) -> tuple[str | None, str | None, str]:
    """(`1.1.1`, the code as written, the rest) from `[১.১.১] name`, `[[১.১.১] name`,
    `১.১ name`, `১. name`; (None, None, text) when the text starts with no code.

    Worked out once per short text: a row's indicator, activity and area cells are asked
    again by every test of the row's kind (layouts.py)."""
    raw = clean_text(text) or ""
    return _kept_code(raw) if len(raw) <= SHORT_TEXT else _parse_code(raw)


def _parse_code(raw: str) -> tuple[str | None, str | None, str]:
    ascii_text = ascii_digits(raw)
    match = _CODE.match(ascii_text)
    if not match:
        return None, None, raw
    written = raw[: match.end()].strip()
    rest = raw[match.end() :].strip()
    bracketed = "[" in written or "(" in written
    # A bare number is a code only when a dot follows it (`১.`, `১.১`), not `১০ জন`.
    if not bracketed and "." not in written:
        return None, None, raw
    if rest and rest[0] in "/-":
        return None, None, raw  # a date such as ০৬/০৭/২৪
    code = re.sub(r"\s+", "", match.group(2))
    if match.group(1):
        code = f"M.{code}"
    return code, written, rest


def codes_in(text: object) -> list[tuple[str, str, str]]:
    """Every bracketed code in a cell with the words after it:
    `[২.২.১] প্রশিক্ষণ আয়োজিত [২.২.২] বার্ষিক প্রতিবেদন প্রেরিত` → two items."""
    raw = clean_text(text) or ""
    if len(raw) <= SHORT_TEXT:
        return list(_kept_codes(raw))  # a list of its own: the caller may change it
    return _codes_in(raw)


def _codes_in(raw: str) -> list[tuple[str, str, str]]:
    ascii_text = ascii_digits(raw)
    found = list(_CODES_INSIDE.finditer(ascii_text))
    items = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(raw)
        code = re.sub(r"[\[\]\s]", "", match.group(0))
        code = re.sub(r"^(?:এম|m)[.\-]?", "M.", code, flags=re.IGNORECASE)
        items.append((code, raw[match.start() : match.end()], raw[match.end() : end].strip()))
    return items


# Short texts' codes kept (bounded, like the text functions above): the answers are tuples.
_kept_code = functools.lru_cache(maxsize=16384)(_parse_code)
_kept_codes = functools.lru_cache(maxsize=16384)(lambda raw: tuple(_codes_in(raw)))


def heading_weight(text: object) -> tuple[str, float | None]:
    """`১. প্রাতিষ্ঠানিক ব্যবস্থা ৬` → (`প্রাতিষ্ঠানিক ব্যবস্থা`, 6.0)."""
    _code, _raw, rest = parse_code(text)
    rest = rest or (clean_text(text) or "")
    match = re.search(r"\s+([0-9০-৯]+(?:\.[0-9০-৯]+)?)\s*$", rest)
    if not match:
        return rest, None
    return rest[: match.start()].strip(), float(ascii_digits(match.group(1)))


# ---------------------------------------------------------------- words in titles and headers


def unit_kind(label: object) -> str:
    """তারিখ → date; % → percent; everything else (সংখ্যা, জন, টি, দিন, লক্ষ টাকা...) → number.

    `সংখ্যা ও তারিখ` is a count whose dates are notes, so a number.
    """
    text = (clean_text(label) or "").casefold()
    return _kept_unit_kind(text)


def _unit_kind(text: str) -> str:
    if "%" in text or "শতাংশ" in text or "শতকরা" in text or "percent" in text:
        return "percent"
    dated = "তারিখ" in text or re.search(r"(?<![a-z])date(?![a-z])", text)
    if dated and "সংখ্যা" not in text and "number" not in text:
        return "date"
    return "number"


def method_of(label: object) -> str | None:
    text = (clean_text(label) or "").casefold()
    return _kept_method(text)


def _method_of(text: str) -> str | None:
    for words, method in (
        (("ক্রমপুঞ্জিভূত", "ক্রমপুঞ্জীভূত", "cumulative"), "cumulative"),
        (("সমষ্টি", "sum", "total"), "sum"),
        (("গড়", "average", "mean"), "average"),
        (("তারিখ", "date"), "date"),
    ):
        if any(w in text for w in words):
            return method
    return None


# A sheet's units and methods are a few labels, asked for on every row (bounded, short only).
_kept_unit_kind = kept_by_text(_unit_kind)
_kept_method = kept_by_text(_method_of)


_FISCAL_YEAR = re.compile(r"(?<![\d/.\-])(20\d{2})\s*[-–/]\s*(20\d{2}|\d{2})(?![\d/.\-])")


def fiscal_year_in(text: object) -> str | None:
    """`২০২৪-২৫`, `২০২৪-২০২৫`, `FY 2023-2024` → `2024-25` / `2023-24`; never a date."""
    for match in _FISCAL_YEAR.finditer(ascii_digits(clean_text(text) or "")):
        first = int(match.group(1))
        second = match.group(2)
        second = int(second) if len(second) == 4 else 2000 + int(second)
        if second == first + 1:
            return f"{first}-{str(second)[2:]}"
    return None


ORDINALS = {
    1: ("১ম", "প্রথম", "1st", "first"),
    2: ("২য়", "দ্বিতীয়", "2nd", "second"),
    3: ("৩য়", "তৃতীয়", "3rd", "third"),
    4: ("৪র্থ", "চতুর্থ", "4th", "fourth"),
}
_ORDINALS = {  # NFC, made once
    quarter: tuple(unicodedata.normalize("NFC", name) for name in names)
    for quarter, names in ORDINALS.items()
}
QUARTER_WORDS = ("ত্রৈমাসিক", "ত্রৈমাসিকে", "কোয়ার্টার", "প্রান্তিক", "quarter")
QUARTER_MONTHS = {7: 1, 10: 2, 1: 3, 4: 4}
QUARTER_END_MONTHS = {9: 1, 12: 2, 3: 3, 6: 4}


_SHORT_MONTH_RANGE = re.compile(
    r"\b(jul|oct|jan|apr)[a-z]*\.?\s*(?:\d{2,4}\s*)?(?:-|–|—|to)\s*(sep|dec|mar|jun)[a-z]*\b"
)
_SHORT_QUARTERS = {("jul", "sep"): 1, ("oct", "dec"): 2, ("jan", "mar"): 3, ("apr", "jun"): 4}
YEAR_WORDS = ("বার্ষিক অর্জন", "annual", "yearly", "year-end", "year end", "সারা বছর", "বছরব্যাপী")
_YEAR_WORDS = tuple(unicodedata.normalize("NFC", w) for w in YEAR_WORDS)  # NFC, made once


# Full month names (not the three-letter English abbreviations nor মে (May), which hide inside
# words), longest first so that `জানুয়ারী` is not read as a shorter name; one pattern, one pass.
_MONTH_NAMES = sorted(
    (name for name in _MONTHS if len(name) > 2 and not (name.isascii() and len(name) <= 3)),
    key=len,
    reverse=True,
)
_MONTH_PATTERN = re.compile("|".join(re.escape(name) for name in _MONTH_NAMES))


def _months(words: str) -> list[int]:
    """The months a text names, in the order written."""
    return [_MONTHS[match.group(0)] for match in _MONTH_PATTERN.finditer(words)]


def is_whole_year(text: object) -> bool:
    """An achievement header for the whole year: `অর্জন (জুলাই ২০২৩ - জুন ২০২৪)`, `বার্ষিক
    অর্জন`, `Annual achievement`, `Jul-Jun`: the annual evaluation's achievement to date."""
    clean = clean_text(text) or ""
    return _kept_whole_year(clean)


def _is_whole_year(clean: str) -> bool:
    words = unicodedata.normalize("NFC", clean).casefold()
    if not words:
        return False
    if any(w in words for w in _YEAR_WORDS):
        return True
    months = _months(words)
    if len(months) >= 2 and months[0] == 7 and months[-1] == 6:
        return True
    return bool(re.search(r"\bjul[a-z]*\.?\s*(?:\d{2,4}\s*)?(?:-|–|—|to)\s*jun", words))


UP_TO_WORDS = ("পর্যন্ত", "up to", "upto", "till", "until", "as of", "as on")


def to_date_quarter(text: object) -> int | None:
    """The quarter whose end a to-date header runs to: `অর্জন (জুলাই-ডিসেম্বর ২০২৩)` → 2,
    `Jul-Mar` → 3, `ডিসেম্বর ২০২৩ পর্যন্ত অর্জন` → 2 (a span from July, or "up to" the last
    month of a quarter). A single quarter's months (`জুলাই-সেপ্টেম্বর`) and the whole year are
    told by `quarter_in` and `is_whole_year`."""
    clean = clean_text(text) or ""
    return _kept_to_date_quarter(clean)


def _to_date_quarter(clean: str) -> int | None:
    words = unicodedata.normalize("NFC", clean).casefold()
    if not words:
        return None
    months = _months(words)
    if len(months) >= 2 and months[0] == 7 and months[-1] in QUARTER_END_MONTHS:
        return QUARTER_END_MONTHS[months[-1]]
    if match := re.search(
        r"\bjul[a-z]*\.?\s*(?:\d{2,4}\s*)?(?:-|–|—|to)\s*(sep|dec|mar|jun)", words
    ):
        return {"sep": 1, "dec": 2, "mar": 3, "jun": 4}[match.group(1)]
    if months and months[-1] in QUARTER_END_MONTHS and any(w in words for w in UP_TO_WORDS):
        return QUARTER_END_MONTHS[months[-1]]
    return None


HALF_YEAR_WORDS = ("অর্ধবার্ষিক", "ষাণ্মাসিক", "half-yearly", "half yearly", "mid-year", "mid year")
EVALUATION_WORDS = ("মূল্যায়ন", "evaluation")
# The words in NFC, as the texts they are looked for in (made once, not at every call)
_HALF_YEAR_WORDS = tuple(unicodedata.normalize("NFC", w) for w in HALF_YEAR_WORDS)
_EVALUATION_WORDS = tuple(unicodedata.normalize("NFC", w) for w in EVALUATION_WORDS)


def evaluation_quarter(text: object) -> int | None:
    """The quarter an evaluation report's figures run to: the half-yearly evaluation
    (`অর্ধবার্ষিক মূল্যায়ন`) to Q2, the annual evaluation (`... মূল্যায়ন প্রতিবেদন`) to Q4."""
    clean = clean_text(text) or ""
    return _kept_evaluation(clean)


def _evaluation_quarter(clean: str) -> int | None:
    words = unicodedata.normalize("NFC", clean).casefold()
    if any(w in words for w in _HALF_YEAR_WORDS):
        return 2
    if any(w in words for w in _EVALUATION_WORDS):
        return 4
    return None


def quarter_in(text: object) -> int | None:
    """১ম ত্রৈমাসিক, ২য় কোয়ার্টার, ৩য় প্রান্তিক, Q2, `(অক্টোবর-ডিসেম্বর/২৩)`, `Jan-Mar 2024`
    → the quarter; a whole-year span (`জুলাই ২০২১- জুন ২০২২`) is not a quarter."""
    clean = clean_text(text) or ""
    return _kept_quarter_in(clean)


def _quarter_in(clean: str) -> int | None:
    words = unicodedata.normalize("NFC", clean).casefold()
    if not words:
        return None
    if match := re.search(r"\bq\s*([1-4])\b", ascii_digits(words)):
        return int(match.group(1))
    if any(q in words for q in QUARTER_WORDS):
        for quarter, names in _ORDINALS.items():
            if any(name in words for name in names):
                return quarter
        if match := re.search(r"(?:quarter|কোয়ার্টার)\s*([1-4])", ascii_digits(words)):
            return int(match.group(1))
    months = _months(words)
    if len(months) >= 2:
        first, last = months[0], months[-1]
        if first in QUARTER_MONTHS and QUARTER_END_MONTHS.get(last) == QUARTER_MONTHS[first]:
            return QUARTER_MONTHS[first]
    if match := _SHORT_MONTH_RANGE.search(words):
        return _SHORT_QUARTERS.get((match.group(1), match.group(2)))
    return None


# Title lines, sheet names and headers are asked about again for every sheet of a template
# (bounded, short texts only, like the text functions above).
_kept_whole_year = kept_by_text(_is_whole_year)
_kept_to_date_quarter = kept_by_text(_to_date_quarter)
_kept_evaluation = kept_by_text(_evaluation_quarter)
_kept_quarter_in = kept_by_text(_quarter_in)


PLAN_TYPE_WORDS = (
    ("egov", ("ই-গভর্ন্যান্স", "ই-গভর্নেন্স", "ই-গভর্ণেন্স", "উদ্ভাবন", "e-governance", "e-government", "innovation")),
    ("grs", ("অভিযোগ প্রতিকার", "grs", "grievance")),
    ("citizen_charter", ("সেবা প্রদান প্রতিশ্রুতি", "সিটিজেনস চার্টার", "সিটিজেন চার্টার", "citizen's charter", "citizen charter", "citizens charter")),
    ("rti", ("তথ্য অধিকার", "right to information", "rti")),
    ("nis", ("শুদ্ধাচার", "national integrity", "integrity", "nis")),
    ("apa", ("বার্ষিক কর্মসম্পাদন চুক্তি", "কর্মসম্পাদন চুক্তি", "এপিএ", "annual performance agreement", "apa")),
)  # fmt: skip


def plan_type_in(text: object) -> str | None:
    """The plan type a title, sheet or file name names, the earliest mention winning; an
    action plan named in an APA's words (`বার্ষিক কর্মসম্পাদন চুক্তি ... সংযোজনী ৫: ই-গভর্ন্যান্স
    ও উদ্ভাবন কর্মপরিকল্পনা`) is that action plan, an annex of the APA."""
    words = (clean_text(text) or "").casefold()
    return _kept_plan_type(words)


def _plan_type_in(words: str) -> str | None:
    best: tuple[int, str] | None = None
    for code, names in PLAN_TYPE_WORDS:
        if code == "apa" and best is not None:
            break  # the APA's own words only when no action plan is named (last in PLAN_TYPE_WORDS)
        for name in names:
            name = unicodedata.normalize("NFC", name)
            if name.isascii() and len(name) <= 4:
                match = re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", words)
                position = match.start() if match else -1
            else:
                position = words.find(name)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, code)
    return best[1] if best else None


_kept_plan_type = kept_by_text(_plan_type_in)


LEVEL_WORDS = (
    (60, ("চলতি মানের নিম্নে", "below fair", "poor")),
    (70, ("চলতি মান", "fair")),
    (90, ("অতি উত্তম", "very good")),
    (80, ("উত্তম", "good")),
    (100, ("অসাধারণ", "excellent", "outstanding")),
)


def level_of(text: object) -> int | None:
    """The target level a header names: words (`অতি উত্তম`) or the percent (`৯০%`)."""
    words = unicodedata.normalize("NFC", clean_text(text) or "").casefold()
    if not words:
        return None
    return _kept_level(words)


def _level_of(words: str) -> int | None:
    for level, names in LEVEL_WORDS:
        if any(unicodedata.normalize("NFC", name) in words for name in names):
            return level
    match = re.fullmatch(r"(100|90|80|70|60)\s*%", ascii_digits(words))
    return int(match.group(1)) if match else None


_kept_level = kept_by_text(_level_of)


def office_levels_in(text: object) -> set[str]:
    """The office levels a title or sheet name says a plan is for: `(উপজেলা)` → {"upazila"};
    `জেলা/উপজেলা পর্যায়ের` → both; nothing said → an empty set."""
    words = (clean_text(text) or "").casefold()
    levels = set()
    if "উপজেলা" in words or "upazila" in words:
        levels.add("upazila")
    rest = words.replace("উপজেলা", " ").replace("upazila", " ")
    if "জেলা" in rest or "district" in rest:
        levels.add("district")
    if "বিভাগীয়" in rest or "আঞ্চলিক" in rest or "divisional" in rest or "regional" in rest:
        levels.add("divisional")
    return levels
