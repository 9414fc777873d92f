"""APA workbooks the tests write, in the forms of ../shared/docs/domain.md ("The APA document
itself"): the 2019-20 form and the 2020-21-onward form with its governance part, with title
lines, headers over three rows, merged objectives and weights, a row of column numbers,
heading rows across the table, notes under it, and cells written the ways offices write them
(Bengali-digit text, numbers, percent- and date-formatted cells, `dd.mm.yy` text).

A cell value may be `(value, number_format)`: the value written with that Excel format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

LEVEL_NAMES = ["অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে"]
LEVEL_PERCENTS = ["১০০%", "৯০%", "৮০%", "৭০%", "৬০%"]
BN = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def bn(value) -> str:
    return str(value).translate(BN)


@dataclass
class Indicator:
    activity: str
    indicator: str
    unit: str
    weight: object
    targets: list
    achievements: list = field(default_factory=list)  # one value per achievement column
    method: str | None = None
    actuals: list = field(default_factory=lambda: ["-", "-"])
    responsible: str = "ফোকাল পয়েন্ট"


@dataclass
class Area:
    name: str
    weight: object
    indicators: list[Indicator]


def _put(ws, row: int, column: int, value) -> None:
    if isinstance(value, tuple):
        value, number_format = value
        ws.cell(row, column, value).number_format = number_format
    elif value is not None:
        cell = ws.cell(row, column, value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"


def _across(ws, row: int, first: int, last: int, text: str) -> None:
    ws.cell(row, first, text)
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def apa_2020(
    path,
    areas: list[Area],
    governance: list[Area] | None = None,
    *,
    office: str = "বাণিজ্য মন্ত্রণালয়",
    title: str = "বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) ২০২৩-২৪",
    fiscal_year: str = "২০২৩-২৪",
    achievement_headers: list[str] | None = None,
    quarters_under: str | None = None,
    first_column: int = 2,
    sheet: str = "সেকশন ৩",
):
    """The 2020-21-onward form, starting at `first_column` (column B: column A left empty, as
    many offices leave it). `achievement_headers` name the achievement columns; with
    `quarters_under`, that header is merged above them (four quarters side by side)."""
    achievement_headers = achievement_headers or []
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    c0 = first_column
    for r, line in enumerate(
        ["গণপ্রজাতন্ত্রী বাংলাদেশ সরকার", office, title, "সেকশন ৩: কর্মসম্পাদন পরিকল্পনা"], start=1
    ):
        if line:
            ws.cell(r, c0, line)
    h = 6
    single = [
        "কর্মসম্পাদনের ক্ষেত্র",
        "ক্ষেত্রের মান",
        "কার্যক্রম",
        "কর্মসম্পাদন সূচক",
        "গণনা পদ্ধতি",
        "একক",
        "কর্মসম্পাদন সূচকের মান",
    ]
    for i, text in enumerate(single):
        ws.cell(h, c0 + i, text)
        ws.merge_cells(start_row=h, start_column=c0 + i, end_row=h + 2, end_column=c0 + i)
    actual = c0 + len(single)
    _across(ws, h, actual, actual + 1, "প্রকৃত অর্জন")
    for i, year in enumerate(["২০২১-২২", "২০২২-২৩"]):
        ws.cell(h + 1, actual + i, year)
        ws.merge_cells(
            start_row=h + 1, start_column=actual + i, end_row=h + 2, end_column=actual + i
        )
    target = actual + 2
    _across(ws, h, target, target + 4, f"লক্ষ্যমাত্রা/নির্ণায়ক {fiscal_year}")
    for i in range(5):
        ws.cell(h + 1, target + i, LEVEL_NAMES[i])
        ws.cell(h + 2, target + i, LEVEL_PERCENTS[i])
    projection = target + 5
    for i, year in enumerate(["প্রক্ষেপণ ২০২৪-২৫", "প্রক্ষেপণ ২০২৫-২৬"]):
        ws.cell(h, projection + i, year)
        ws.merge_cells(
            start_row=h, start_column=projection + i, end_row=h + 2, end_column=projection + i
        )
    achieved = projection + 2
    if quarters_under:
        _across(ws, h, achieved, achieved + len(achievement_headers) - 1, quarters_under)
        for i, text in enumerate(achievement_headers):
            ws.cell(h + 1, achieved + i, text)
            ws.merge_cells(
                start_row=h + 1, start_column=achieved + i, end_row=h + 2, end_column=achieved + i
            )
    else:
        for i, text in enumerate(achievement_headers):
            ws.cell(h, achieved + i, text)
            ws.merge_cells(
                start_row=h, start_column=achieved + i, end_row=h + 2, end_column=achieved + i
            )
    responsible = achieved + len(achievement_headers)
    ws.cell(h, responsible, "বাস্তবায়নের দায়িত্বপ্রাপ্ত")
    ws.merge_cells(start_row=h, start_column=responsible, end_row=h + 2, end_column=responsible)
    for i in range(c0, responsible + 1):
        ws.cell(h + 3, i, bn(i - c0 + 1))  # the row of column numbers
    r = h + 4
    _across(ws, r, c0, responsible, "মন্ত্রণালয়/বিভাগের কর্মসম্পাদনের ক্ষেত্র")
    r += 1
    rows = {}

    def write(area_list):
        nonlocal r
        for area in area_list:
            first = r
            for ind in area.indicators:
                _put(ws, r, c0 + 2, ind.activity)
                _put(ws, r, c0 + 3, ind.indicator)
                _put(ws, r, c0 + 4, ind.method)
                _put(ws, r, c0 + 5, ind.unit)
                _put(ws, r, c0 + 6, ind.weight)
                for i, v in enumerate(ind.actuals):
                    _put(ws, r, actual + i, v)
                for i, v in enumerate(ind.targets):
                    _put(ws, r, target + i, v)
                _put(
                    ws,
                    r,
                    projection,
                    ind.targets[0] if not isinstance(ind.targets[0], tuple) else "-",
                )
                for i, v in enumerate(ind.achievements):
                    _put(ws, r, achieved + i, v)
                _put(ws, r, responsible, ind.responsible)
                rows[ind.indicator] = r
                r += 1
            _put(ws, first, c0, area.name)
            _put(ws, first, c0 + 1, area.weight)
            if r - 1 > first:
                ws.merge_cells(start_row=first, start_column=c0, end_row=r - 1, end_column=c0)
                ws.merge_cells(
                    start_row=first, start_column=c0 + 1, end_row=r - 1, end_column=c0 + 1
                )

    write(areas)
    if governance:
        _across(ws, r, c0, responsible, "সুশাসন ও সংস্কারমূলক কর্মসম্পাদনের ক্ষেত্র")
        r += 1
        write(governance)
    _across(ws, r + 1, c0, responsible, "* সাময়িক (provisional) তথ্য")
    ws.cell(r + 3, responsible, "স্বাক্ষর: সচিব")
    book.save(path)
    return path, rows, {"target": target, "achieved": achieved, "weight": c0 + 6}


def apa_2019(
    path,
    own: list[Area],
    mandatory: list[Area],
    *,
    office: str = "বাণিজ্য মন্ত্রণালয়",
    achievement_header: str = "অর্জন ২০১৯-২০ (১ম প্রান্তিক)",
):
    """The 2019-20 form: strategic objectives and their weights merged down, actuals of two
    earlier years, the targets under `লক্ষ্যমাত্রা/নির্ণায়ক ২০১৯-২০`, one achievement column,
    and heading rows across the table for the ministry's and the mandatory objectives (whose
    codes start from [১] again)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "সেকশন ৩"
    for r, line in enumerate(
        [
            "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার",
            office,
            "বার্ষিক কর্মসম্পাদন চুক্তি, জুলাই ১, ২০১৯ - জুন ৩০, ২০২০",
            "সেকশন ৩: কৌশলগত উদ্দেশ্য, অগ্রাধিকার, কার্যক্রম, কর্মসম্পাদন সূচক এবং লক্ষ্যমাত্রাসমূহ",
        ],
        start=1,
    ):
        ws.cell(r, 1, line)
    h = 6
    single = [
        "কৌশলগত উদ্দেশ্য",
        "কৌশলগত উদ্দেশ্যের মান",
        "কার্যক্রম",
        "কর্মসম্পাদন সূচক",
        "একক",
        "কর্মসম্পাদন সূচকের মান",
        "প্রকৃত অর্জন ২০১৭-১৮",
        "প্রকৃত অর্জন* ২০১৮-১৯",
    ]
    for i, text in enumerate(single, start=1):
        ws.cell(h, i, text)
        ws.merge_cells(start_row=h, start_column=i, end_row=h + 2, end_column=i)
    target = len(single) + 1
    _across(ws, h, target, target + 4, "লক্ষ্যমাত্রা/নির্ণায়ক ২০১৯-২০")
    for i in range(5):
        ws.cell(h + 1, target + i, LEVEL_NAMES[i])
        ws.cell(h + 2, target + i, LEVEL_PERCENTS[i])
    achieved = target + 5
    for i, text in enumerate([achievement_header, "বাস্তবায়নের জন্য দায়িত্বপ্রাপ্ত"]):
        ws.cell(h, achieved + i, text)
        ws.merge_cells(
            start_row=h, start_column=achieved + i, end_row=h + 2, end_column=achieved + i
        )
    last = achieved + 1
    r = h + 3
    rows = {}
    for heading, areas in (
        ("মন্ত্রণালয়/বিভাগের কৌশলগত উদ্দেশ্যসমুহ", own),
        ("আবশ্যিক কৌশলগত উদ্দেশ্যসমুহ", mandatory),
    ):
        _across(ws, r, 1, last, heading)
        r += 1
        for area in areas:
            first = r
            for ind in area.indicators:
                for column, value in enumerate(
                    [None, None, ind.activity, ind.indicator, ind.unit, ind.weight, *ind.actuals],
                    start=1,
                ):
                    _put(ws, r, column, value)
                for i, v in enumerate(ind.targets):
                    _put(ws, r, target + i, v)
                for i, v in enumerate(ind.achievements):
                    _put(ws, r, achieved + i, v)
                _put(ws, r, last, ind.responsible)
                rows[(heading[:3], ind.indicator)] = r
                r += 1
            _put(ws, first, 1, area.name)
            _put(ws, first, 2, area.weight)
            if r - 1 > first:
                ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
                ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
    _across(ws, r, 1, last, "*সাময়িক")
    book.save(path)
    return path, rows, {"target": target, "achieved": achieved}


# ---------------------------------------------------------------- a small plan, reused


def own_areas(achievements: list[list] | None = None) -> list[Area]:
    """Two areas (weights 12 and 8) with five indicators of every kind: a date written as a
    date cell, a count in Bengali-digit text, a percent ladder in percent-formatted cells
    (1, 0.9, ...: 100%, 90%), a percent in `৯৫%` text, a count in numbers."""
    values = achievements or [[] for _ in range(5)]
    pct = "0%"
    return [
        Area(
            "[১] রপ্তানি বাণিজ্য সম্প্রসারণ",
            "১২",
            [
                Indicator(
                    "[১.১] নীতি প্রণয়ন",
                    "[১.১.১] নীতি প্রণীত",
                    "তারিখ",
                    "৪",
                    [
                        dt.date(2023, 12, 30),
                        dt.date(2024, 1, 6),
                        dt.date(2024, 1, 13),
                        "২০.০১.২৪",
                        "২৭.০১.২৪",
                    ],
                    values[0],
                    method="তারিখ",
                ),
                Indicator(
                    "[১.২] সফর আয়োজন",
                    "[১.২.১] সফর আয়োজিত",
                    "সংখ্যা",
                    "০৪",
                    ["১০", "০৯", "০৮", "০৭", "০৬"],
                    values[1],
                    method="সমষ্টি",
                ),
                Indicator(
                    "[১.৩] আবেদন নিষ্পত্তি",
                    "[১.৩.১] আবেদন নিষ্পত্তিকৃত",
                    "%",
                    4,
                    [(1, pct), (0.9, pct), (0.8, pct), (0.7, pct), (0.6, pct)],
                    values[2],
                    method="গড়",
                ),
            ],
        ),
        Area(
            "[২] বাজার ব্যবস্থাপনা",
            8,
            [
                Indicator(
                    "[২.১] সিদ্ধান্ত বাস্তবায়ন",
                    "[২.১.১] সিদ্ধান্ত বাস্তবায়িত",
                    "%",
                    "৩",
                    ["১০০%", "৯৫%", "৯০%", "৮৫%", "৮০%"],
                    values[3],
                    method="গড়",
                ),
                Indicator(
                    "[২.২] বাজার মনিটরিং",
                    "[২.২.১] মনিটরিং সম্পন্ন",
                    "সংখ্যা",
                    5,
                    [40, 36, 32, 28, 24],
                    values[4],
                    method="সমষ্টি",
                ),
            ],
        ),
    ]


def governance_areas(marks: list | None = None) -> list[Area]:
    """The governance part: one `[এম.১]` area (30) with the five action plans' rows."""
    marks = marks or [[] for _ in range(5)]
    rows = [
        ("শুদ্ধাচার", 10),
        ("ই-গভর্ন্যান্স/ উদ্ভাবন", 10),
        ("অভিযোগ প্রতিকার", 4),
        ("সেবা প্রদান প্রতিশ্রুতি", 3),
        ("তথ্য অধিকার", 3),
    ]
    return [
        Area(
            "[এম.১] সুশাসন ও সংস্কারমূলক কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
            "৩০",
            [
                Indicator(
                    f"[এম.১.{bn(n)}] {name} কর্মপরিকল্পনা বাস্তবায়ন",
                    f"[এম.১.{bn(n)}.১] {name} কর্মপরিকল্পনা বাস্তবায়িত",
                    "প্রাপ্ত নম্বর",
                    bn(weight),
                    [bn(weight), *(bn(round(weight * f, 1)) for f in (0.9, 0.8, 0.7, 0.6))],
                    marks[n - 1],
                    method="ক্রমপুঞ্জিভূত",
                )
                for n, (name, weight) in enumerate(rows, start=1)
            ],
        )
    ]


def column(index: int) -> str:
    return get_column_letter(index)
