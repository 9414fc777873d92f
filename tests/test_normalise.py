"""Every normaliser case, one table per function (../shared/docs/domain.md, 'The tables as
they really come')."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.terms import BENGALI_DIGITS
from loaders import normalise as n

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected", "note", "problem"),
    [
        ("১০", 10.0, None, None),
        ("০১", 1.0, None, None),
        ("০৪", 4.0, None, None),
        ("১,২০০", 1200.0, None, None),
        ("৯৪.৬৩", 94.63, None, None),
        ("০১ (২৫ জন)", 1.0, "(২৫ জন)", None),
        ("২টি", 2.0, "টি", None),
        ("১০ জন", 10.0, "জন", None),
        ("০১ ০১/০৭/২৪", 1.0, "০১/০৭/২৪", None),
        (12.0, 12.0, None, None),
        (3, 3.0, None, None),
        ("দশ", "দশ", None, "unparseable-number"),
        ("১৫/১০/২০২৪", "১৫/১০/২০২৪", None, "unparseable-number"),
        ("-", None, None, None),
        ("--", None, None, None),
        (None, None, None, None),
    ],
)
def test_parse_number(value, expected, note, problem):
    parsed = n.parse_number(value)
    assert (parsed.value, parsed.note, parsed.problem) == (expected, note, problem)


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        ("৯০%", 90.0, None),
        ("৯০", 90.0, None),
        ("১০০%", 100.0, None),
        ("৯৪.৬৩%", 94.63, None),
        ("0.9", 90.0, None),
        (0.9, 90.0, None),
        (85, 85.0, None),
        ("৯০ শতাংশ", 90.0, None),
        ("নব্বই", "নব্বই", "unparseable-percent"),
        ("-", None, None),
    ],
)
def test_parse_percent(value, expected, problem):
    parsed = n.parse_percent(value)
    assert (parsed.value, parsed.problem) == (expected, problem)


@pytest.mark.parametrize(
    ("value", "fiscal_year", "expected", "problem"),
    [
        ("০৯/০৩/২৫", "2024-25", D(2025, 3, 9), None),
        ("১৫-১০-২০২৪", "2024-25", D(2024, 10, 15), None),
        ("৩১.১০.২৩", "2023-24", D(2023, 10, 31), None),
        ("05/02/2020", None, D(2020, 2, 5), None),
        ("31/07/24", "2024-25", D(2024, 7, 31), None),
        ("২০২৪-১০-১৫", None, D(2024, 10, 15), None),
        ("১৫ অক্টোবর ২০২৪", None, D(2024, 10, 15), None),
        ("15 Oct 2024", None, D(2024, 10, 15), None),
        (dt.datetime(2024, 9, 1), None, D(2024, 9, 1), None),
        (D(2024, 9, 1), "2024-25", D(2024, 9, 1), None),
        (45566.0, None, D(2024, 10, 1), None),  # an Excel serial day number
        # truncated and wrong years, in the plan's fiscal year
        ("২৩/০৫/২০", "2023-24", D(2024, 5, 23), "date-year-corrected"),
        ("১১/০২/২০২২", "2023-24", D(2024, 2, 11), "date-year-corrected"),
        ("২৩/০৫/২০", None, D(2020, 5, 23), None),
        # day and month swapped
        ("১০/২৫/২০২৪", None, D(2024, 10, 25), "day-month-swapped"),
        ("০৩/২৮/২৫", "2024-25", D(2025, 3, 28), "day-month-swapped"),
        # unreadable
        ("৩২/১৩/২৫", "2024-25", "৩২/১৩/২৫", "unparseable-date"),
        ("শীঘ্রই", None, "শীঘ্রই", "unparseable-date"),
        ("-", None, None, None),
    ],
)
def test_parse_date(value, fiscal_year, expected, problem):
    parsed = n.parse_date(value, fiscal_year)
    assert (parsed.value, parsed.problem) == (expected, problem)


@pytest.mark.parametrize(
    ("value", "unit", "achievement", "expected", "kind", "status", "problem"),
    [
        ("কার্যক্রম চলমান রয়েছে", "number", True, "কার্যক্রম চলমান রয়েছে", "text", "in_progress", None),
        ("অর্জিত হয়নি", "number", True, "অর্জিত হয়নি", "text", "not_achieved", None),
        ("এ পর্যন্ত অর্জন হয়নি", "date", True, "এ পর্যন্ত অর্জন হয়নি", "text", "not_achieved", None),
        ("সম্পন্ন", "number", True, "সম্পন্ন", "text", "reported", None),
        ("ভালো", "number", True, "ভালো", "text", None, "unreadable-value"),
        ("ভালো", "number", False, "ভালো", "text", None, "unparseable-number"),
        ("৯০%", "percent", True, 90.0, "percent", None, None),
        ("১৫/১০/২৪", "date", True, D(2024, 10, 15), "date", None, None),
        ("১", "number", True, 1.0, "number", None, None),
    ],
)
def test_parse_value(value, unit, achievement, expected, kind, status, problem):
    parsed = n.parse_value(value, unit, "2024-25", achievement=achievement)
    assert (parsed.value, parsed.kind, parsed.status, parsed.problem) == (
        expected,
        kind,
        status,
        problem,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[১.১] সেবা সহজিকরণ", ("1.1", "[১.১]", "সেবা সহজিকরণ")),
        ("[[১.১.১] সেবা", ("1.1.1", "[[১.১.১]", "সেবা")),
        ("১.১ নৈতিকতা কমিটির সভা আয়োজন", ("1.1", "১.১", "নৈতিকতা কমিটির সভা আয়োজন")),
        ("[১.১.১.১] স্টেকহোল্ডারের", ("1.1.1.1", "[১.১.১.১]", "স্টেকহোল্ডারের")),
        ("[১] ই-গভর্ন্যান্স", ("1", "[১]", "ই-গভর্ন্যান্স")),
        ("১. প্রাতিষ্ঠানিক ব্যবস্থা ৬", ("1", "১.", "প্রাতিষ্ঠানিক ব্যবস্থা ৬")),
        ("[১.১.১ ] সূচক", ("1.1.1", "[১.১.১ ]", "সূচক")),
        ("(১.২.১) সূচক", ("1.2.1", "(১.২.১)", "সূচক")),
        ("[2.1.1] indicator", ("2.1.1", "[2.1.1]", "indicator")),
        ("সেবা", (None, None, "সেবা")),
        ("১০ জন", (None, None, "১০ জন")),
        ("০৬/০৭/২৪", (None, None, "০৬/০৭/২৪")),
    ],
)
def test_parse_code(text, expected):
    assert n.parse_code(text) == expected


def test_codes_in_one_cell_and_heading_weights():
    assert n.codes_in("[২.২.১] প্রশিক্ষণ আয়োজিত [২.২.২] বার্ষিক প্রতিবেদন প্রেরিত") == [
        ("2.2.1", "[২.২.১]", "প্রশিক্ষণ আয়োজিত"),
        ("2.2.2", "[২.২.২]", "বার্ষিক প্রতিবেদন প্রেরিত"),
    ]
    assert n.heading_weight("১. প্রাতিষ্ঠানিক ব্যবস্থা ৬") == ("প্রাতিষ্ঠানিক ব্যবস্থা", 6.0)
    assert n.heading_weight("২. ক্রয়ের ক্ষেত্রে শুদ্ধাচার") == ("ক্রয়ের ক্ষেত্রে শুদ্ধাচার", None)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("তারিখ", "date"),
        ("%", "percent"),
        ("শতাংশ", "percent"),
        ("সংখ্যা", "number"),
        ("জন", "number"),
        ("টি", "number"),
        ("লক্ষ টাকা", "number"),
        ("দিন", "number"),
        ("সংখ্যা ও তারিখ", "number"),
        ("Date", "date"),
        (None, "number"),
    ],
)
def test_unit_kind(label, kind):
    assert n.unit_kind(label) == kind


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("সমষ্টি", "sum"),
        ("ক্রমপুঞ্জিভূত", "cumulative"),
        ("গড়", "average"),
        ("তারিখ", "date"),
        ("-", None),
    ],
)
def test_method_of(text, method):
    assert n.method_of(text) == method


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("২০২৪-২৫", "2024-25"),
        ("লক্ষ্যমাত্রা ২০২৪-২০২৫", "2024-25"),
        ("2023-24", "2023-24"),
        ("FY 2023-2024", "2023-24"),
        ("২০২৪-২০২৫ অর্থ বছরের লক্ষ্যমাত্রা", "2024-25"),
        ("১৫-১০-২০২৪", None),
        ("২০২৩-২০২৫", None),
        ("জুলাই ২০২৩-সেপ্টেম্বর ২০২৩", None),
    ],
)
def test_fiscal_year_in(text, year):
    assert n.fiscal_year_in(text) == year


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("১ম ত্রৈমাসিক", 1),
        ("২য় কোয়ার্টার", 2),
        ("৩য় প্রান্তিক", 3),
        ("৪র্থ কোয়ার্টার", 4),
        ("Q2", 2),
        ("2nd quarter", 2),
        ("অর্জন (জুলাই-সেপ্টেম্বর ২০২১)", 1),
        ("২য় ত্রৈমাসিক (অক্টোবর-ডিসেম্বর/২৩) অর্জন", 2),
        ("জানুয়ারি-মার্চ", 3),
        ("এপ্রিল-জুন", 4),
        ("July-September", 1),
        ("অর্জন (জুলাই ২০২১- জুন ২০২২)", None),
        ("১", None),
    ],
)
def test_quarter_in(text, quarter):
    assert n.quarter_in(text) == quarter


@pytest.mark.parametrize(
    ("text", "plan_type"),
    [
        ("ই-গভর্নেন্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৪-২৫", "egov"),
        ("অভিযোগ প্রতিকার ব্যবস্থা সংক্রান্ত কর্মপরিকল্পনা", "grs"),
        ("সেবা প্রদান প্রতিশ্রুতি (সিটিজেনস চার্টার)", "citizen_charter"),
        ("তথ্য অধিকার বিষয়ে ২০২৪-২৫ অর্থবছরের বার্ষিক কর্মপরিকল্পনা", "rti"),
        ("জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা", "nis"),
        ("বার্ষিক কর্মসম্পাদন চুক্তি", "apa"),
        ("Right to Information action plan", "rti"),
        ("সংযোজনী ৪-৮: সংস্কার ও সুশাসনমূলক কার্যক্রমের বাস্তবায়ন সংক্রান্ত কর্মপরিকল্পনাসমূহ", None),
        ("ডাক, টেলিযোগাযোগ ও তথ্যপ্রযুক্তি মন্ত্রণালয়", None),
    ],
)
def test_plan_type_in(text, plan_type):
    assert n.plan_type_in(text) == plan_type


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("অসাধারণ", 100),
        ("অতি উত্তম", 90),
        ("উত্তম", 80),
        ("চলতি মান", 70),
        ("চলতি মানের নিম্নে", 60),
        ("১০০%", 100),
        ("অসাধারণ ১০০%", 100),
        ("Very good", 90),
        ("Poor", 60),
        ("কর্মসম্পাদন সূচকের মান", None),
        ("লক্ষ্যমাত্রা ২০২৪-২০২৫", None),
    ],
)
def test_level_of(text, level):
    assert n.level_of(text) == level


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("তথ্য অধিকার (উপজেলা)", {"upazila"}),
        ("তথ্য অধিকার (জেলা)", {"district"}),
        ("জেলা/উপজেলা পর্যায়ের কার্যালয়ের জন্য", {"district", "upazila"}),
        ("আঞ্চলিক/ বিভাগীয় কার্যালয় ও জেলাপর্যায়ের কার্যালয়সমূহ", {"divisional", "district"}),
        ("ই-গভর্ন্যান্স", set()),
    ],
)
def test_office_levels_in(text, levels):
    assert n.office_levels_in(text) == levels


@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2098, 12, 31)))
def test_any_date_written_in_bengali_digits_reads_back(date):
    written = f"{date.day:02d}/{date.month:02d}/{date.year}".translate(
        str.maketrans("0123456789", BENGALI_DIGITS)
    )
    assert n.parse_date(written).value == date


@given(st.integers(min_value=0, max_value=10**9))
def test_bengali_digits_read_as_ascii(number):
    bengali = str(number).translate(str.maketrans("0123456789", BENGALI_DIGITS))
    assert n.ascii_digits(bengali) == str(number)
    assert n.parse_number(bengali).value == float(number)
