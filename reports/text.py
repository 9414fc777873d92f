"""Words, numbers and dates for the documents, in Bengali or English (no Streamlit here, so
the pages and the command line share them).

`Style(lang, bengali_digits)` says how a document writes: Bengali first, Bengali digits by
default in Bengali; dates day/month/year.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass

from core.terms import to_bengali_digits

# Bengali ordinal suffixes: ১ম ২য় ৩য় ৪র্থ ৫ম ৬ষ্ঠ ৭ম ৮ম ৯ম ১০ম, then ১১তম ১২তম ...
BN_ORDINAL_SUFFIX = {
    1: "ম",
    2: "য়",
    3: "য়",
    4: "র্থ",
    5: "ম",
    6: "ষ্ঠ",
    7: "ম",
    8: "ম",
    9: "ম",
    10: "ম",
}
BN_MONTHS = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The office level as the published table heads its name column.
LEVEL_HEADINGS = {
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "agency": ("দপ্তর/সংস্থা", "Agency"),
    "divisional": ("বিভাগীয় কার্যালয়", "Divisional office"),
    "district": ("জেলা কার্যালয়", "District office"),
    "upazila": ("উপজেলা কার্যালয়", "Upazila office"),
}
PLAN_NAMES = {
    "apa": ("বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ): কৌশলগত উদ্দেশ্য", "APA: strategic objectives"),
    "nis": ("জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা", "National Integrity Strategy action plan"),
    "egov": ("ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা", "E-governance and innovation action plan"),
    "grs": ("অভিযোগ প্রতিকার ব্যবস্থা কর্মপরিকল্পনা", "Grievance redress action plan"),
    "citizen_charter": ("সেবা প্রদান প্রতিশ্রুতি কর্মপরিকল্পনা", "Citizen's charter action plan"),
    "rti": ("তথ্য অধিকার কর্মপরিকল্পনা", "Right to information action plan"),
}
PLAN_SHORT = {
    "apa": ("এপিএ", "APA"),
    "nis": ("শুদ্ধাচার", "NIS"),
    "egov": ("ই-গভর্ন্যান্স", "e-Gov"),
    "grs": ("অভিযোগ প্রতিকার", "GRS"),
    "citizen_charter": ("সেবা প্রদান প্রতিশ্রুতি", "Citizen's charter"),
    "rti": ("তথ্য অধিকার", "RTI"),
}


@dataclass(frozen=True)
class Style:
    """How a document writes: its language ("bn" or "en") and whether digits are Bengali."""

    lang: str = "bn"
    bengali_digits: bool | None = None  # None: Bengali digits in Bengali, ASCII in English

    def __post_init__(self) -> None:
        if self.lang not in ("bn", "en"):
            raise ValueError("lang must be 'bn' or 'en'")
        if self.bengali_digits is None:
            object.__setattr__(self, "bengali_digits", self.lang == "bn")

    @property
    def bn(self) -> bool:
        return self.lang == "bn"

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[0] if self.bn else pair[1]

    def digits(self, text: object) -> str:
        text = str(text)
        return to_bengali_digits(text) if self.bengali_digits else text

    def number(self, value, decimals: int = 2) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return self.digits(f"{value:,.{decimals}f}")

    def amount(self, value) -> str:
        """A quantity as the minutes write it: whole numbers under ten with a leading zero
        (০৩), others with as many decimals as they need (৯৫.২২)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        value = float(value)
        if value.is_integer():
            return self.digits(f"{int(value):02d}" if 0 <= value < 10 else f"{int(value):,}")
        return self.digits(f"{value:,.2f}".rstrip("0").rstrip("."))

    def date(self, value: dt.date | None, sep: str = "/") -> str:
        if value is None:
            return "–"
        return self.digits(value.strftime(f"%d{sep}%m{sep}%Y"))

    def long_date(self, value: dt.date) -> str:
        """১০ ডিসেম্বর ২০২৩ / 10 December 2023."""
        months = BN_MONTHS if self.bn else EN_MONTHS
        return self.digits(f"{value.day} {months[value.month - 1]} {value.year}")

    def ordinal(self, n: int) -> str:
        """১ম ২য় ৩য় ৪র্থ ৫ম ৬ষ্ঠ ... ১০ম ১১তম / 1st 2nd 3rd 4th ... 11th 21st."""
        if self.bn:  # NFC, so that য় compares equal however a caller typed it
            return unicodedata.normalize("NFC", self.digits(n) + BN_ORDINAL_SUFFIX.get(n, "তম"))
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return self.digits(n) + suffix

    def position(self, n: int, tied: bool) -> str:
        """A league position; shared positions as the Cabinet Division writes them:
        ৮ম (যৌথভাবে) / 8th (joint)."""
        text = self.ordinal(n)
        joint = unicodedata.normalize("NFC", self.pick(("(যৌথভাবে)", "(joint)")))
        return f"{text} {joint}" if tied else text

    def quarter(self, q: int) -> str:
        """১ম ত্রৈমাসিক / Q1."""
        return f"{self.ordinal(q)} ত্রৈমাসিক" if self.bn else self.digits(f"Q{q}")

    def fiscal_year(self, label: str) -> str:
        return self.digits(label)

    def plan(self, plan_type: str) -> str:
        return self.pick(PLAN_NAMES.get(plan_type, (plan_type, plan_type)))

    def plan_short(self, plan_type: str) -> str:
        return self.pick(PLAN_SHORT.get(plan_type, (plan_type, plan_type)))

    def name(self, row, prefix: str = "name") -> str:
        """The Bengali or English name of a row (a dict or a Series) with *_bn/*_en."""
        value = row.get(f"{prefix}_{self.lang}") or row.get(f"{prefix}_bn") or ""
        return str(value)


def quarter_months(start: dt.date, quarter: int, style: Style) -> str:
    """The months a quarter covers: "অক্টোবর-ডিসেম্বর ২০২৪" / "October-December 2024"."""
    first = (start.month - 1 + 3 * (quarter - 1)) % 12
    year = start.year + (start.month - 1 + 3 * (quarter - 1)) // 12
    months = BN_MONTHS if style.bn else EN_MONTHS
    return style.digits(f"{months[first]}-{months[(first + 2) % 12]} {year}")
