"""A corpus of workbooks laid out the way ministries and field offices really lay them out
(../shared/docs/domain.md, "The tables as they really come"; the seeds and samples), each
written here with openpyxl (or by hand, for .ods) together with its expected reading.

The expectation is written from the layout intended, never by running the loader: each
indicator is declared once with the cells as an office writes them *and* the values they mean
(`Ind`), the layout functions place it (recording its row and the letter of each column), and
`score_oracle` scores the meant values by ../shared/docs/scoring.md, independently of scoring/.

tests/test_real_layouts.py asserts every workbook; `python -m tests.real_layouts` prints the
accuracy over the corpus (weights/units/targets read right, defects at their rows, plan type
and fiscal year, raw and plan scores).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

from core.terms import TARGET_LEVELS as LEVELS

LEVEL_NAMES = ["অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে"]
LEVEL_PERCENTS = ["১০০%", "৯০%", "৮০%", "৭০%", "৬০%"]
LEVEL_EN = ["Excellent", "Very good", "Good", "Fair", "Poor"]
TARGET_KEYS = [f"t{level}" for level in LEVELS]
BN = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
LEAKED = "$-5000445]0.2f%"
QUARTER_ENDS = {1: (9, 30), 2: (12, 31), 3: (3, 31), 4: (6, 30)}


def bn(value) -> str:
    return str(value).translate(BN)


def num_text(x: float, pad: int = 0) -> str:
    """`০৪`, `১২.৫`: a number as offices type it, in Bengali digits."""
    text = f"{x:g}"
    if pad and "." not in text:
        text = text.zfill(pad)
    return bn(text)


# ---------------------------------------------------------------- cell styles


@dataclass(frozen=True)
class Formula:
    """A formula cell with the value Excel cached for it (what a saved workbook holds)."""

    formula: str
    cached: float


def pct_text(x):
    return bn(f"{x:g}%")


def pct_cell(x):
    return (x / 100, "0%")


def pct_plain(x):
    return x


def pct_fraction(x):
    return x / 100  # 0.9 in a plain cell: domain.md's `0.9`


def date_cell(d):
    return d


def date_dot(d):
    return bn(d.strftime("%d.%m.%y"))


def date_dash(d):
    return bn(d.strftime("%d-%m-%Y"))


def date_slash(d):
    return bn(d.strftime("%d/%m/%y"))


def date_ascii(d):
    return d.strftime("%d/%m/%Y")


def n_bn(x):
    return num_text(x, 2)


def n_plain(x):
    return x


def ladder(values, style, unset="-"):
    """Five target cells from five meant values (None: an unset level, written `unset`)."""
    cells = [style(v) if v is not None else unset for v in values]
    return cells, list(values)


# ---------------------------------------------------------------- what a row means


@dataclass
class Ind:
    """One indicator: cells as written and what they mean."""

    code: str  # the code meant, ASCII: "1.1.1" or "M.1.1.1"
    name: str
    unit: str  # the unit cell as written
    kind: str  # the unit kind meant: number, percent, date
    weight_cell: object
    weight: float | None
    targets: tuple[list, list]  # (cells, meant values) of the five levels
    achieved: dict = field(default_factory=dict)  # quarter or "todate" -> cell
    meant: dict = field(default_factory=dict)  # quarter or "todate" -> value (None: text)
    method: str | None = None  # the method cell as written
    method_key: str | None = None  # the method meant (None: the unit's default)
    activity: str = ""
    code_cell: str | None = None  # the code as written, default `[১.১.১]`
    # Defects expected at this row: (acceptable issue codes, column key or None).
    defects: list = field(default_factory=list)
    needs_correction: bool = False  # an error of the plan or report stops its score
    governance: str | None = None  # the action plan an APA `[এম...]` row stands for
    prior: tuple = ("-", "-")
    annual: object = None  # NIS: the annual target cell
    annual_meant: object = None
    quarter_targets: dict = field(default_factory=dict)  # NIS: quarter -> (cell, meant)
    status_only: bool = False  # an achievement given as text only: no score asserted

    @property
    def written_code(self) -> str:
        if self.code_cell is not None:
            return self.code_cell
        return "[" + bn(self.code.replace("M.", "এম.")) + "]"

    @property
    def text(self) -> str:
        return f"{self.written_code} {self.name}".strip()


@dataclass
class Area:
    name: str
    weight_cell: object
    weight: float | None
    indicators: list[Ind]
    defects: list = field(default_factory=list)  # at the area's row: (codes, column key)
    code: str | None = None


@dataclass
class Found:
    """Where a layout put an indicator."""

    ind: Ind
    row: int
    letters: dict[str, str]  # column key -> letter


@dataclass
class Expected:
    """What one sheet holds, as meant."""

    sheet: str
    plan_type: str
    fiscal_year: str
    quarter: int | None
    office: str | None  # the office as the sheet names it (None: it does not)
    found: list[Found] = field(default_factory=list)
    # (acceptable codes, row, column letter or None): defects expected off indicator rows
    defects: list[tuple[frozenset, int, str | None]] = field(default_factory=list)
    year_end: bool = False  # an annual evaluation: unreported indicators count 0
    plan_score: bool = True  # assert the plan's score


@dataclass
class Case:
    name: str
    path: Path
    sheets: list[Expected]
    office_hint: str | None = None  # an office reference to pass at import (no title names it)


# ---------------------------------------------------------------- the scoring oracle (scoring.md)


def _n(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return float(value.toordinal())
    return float(value)


def oracle_raw(targets: list, achieved, is_date: bool, step: bool = False) -> float | None:
    """Section 1, as scoring.md words it. None: not scored (nothing achieved, no targets, or
    a ladder out of order)."""
    a = _n(achieved)
    if a is None:
        return None
    ladder_ = [(level, _n(t)) for level, t in zip(LEVELS, targets, strict=True) if t is not None]
    if not ladder_:
        return None
    if len(ladder_) == 1:
        t = ladder_[0][1]
        if is_date:
            return 100.0 if a <= t else 0.0
        return 100.0 * min(1.0, max(a, 0.0) / t) if t > 0 else (100.0 if a >= t else 0.0)
    if is_date:
        higher = False
    else:
        higher = ladder_[0][1] > ladder_[-1][1]
    good = [(level, t if higher else -t) for level, t in ladder_]
    g = a if higher else -a
    if any(later >= earlier for (_l1, earlier), (_l2, later) in itertools.pairwise(good)):
        return None  # not monotonic
    if g >= good[0][1]:
        return 100.0
    for (la, ta), (lb, tb) in itertools.pairwise(good):
        if tb <= g < ta:
            return float(lb) if step else lb + (la - lb) * (g - tb) / (ta - tb)
    return 0.0


def default_method(kind: str) -> str:
    return {"number": "sum", "percent": "average", "date": "date"}[kind]


def oracle_to_date(ind: Ind, quarter: int):
    """Section 3: the achievement to date at the end of `quarter`."""
    if "todate" in ind.meant:
        return ind.meant["todate"]
    values = [ind.meant[q] for q in sorted(k for k in ind.meant if k <= quarter)]
    values = [v for v in values if v is not None]
    if not values:
        return None
    method = "date" if ind.kind == "date" else (ind.method_key or default_method(ind.kind))
    if method == "sum":
        return sum(values)
    if method == "cumulative":
        return values[-1]
    if method == "average":
        return sum(values) / len(values)
    return min(values)


def oracle_indicator(ind: Ind, quarter: int | None, year_end: bool = False) -> float | None:
    if ind.needs_correction or quarter is None:
        return None
    achieved = oracle_to_date(ind, quarter)
    if ind.governance:
        if achieved is None or not ind.weight:
            return None
        return min(achieved, ind.weight) / ind.weight * 100.0
    targets = ind.targets[1]
    if all(t is None for t in targets) and ind.annual_meant is not None:
        targets = [ind.annual_meant, None, None, None, None]
    raw = oracle_raw(targets, achieved, ind.kind == "date")
    if raw is None and year_end and achieved is None and any(t is not None for t in targets):
        return 0.0  # the annual evaluation: unreported counts 0
    return raw


def oracle_plan(expected: Expected) -> tuple[float, float]:
    """Section 2: (plan score, plan percent) over the plan's own indicators."""
    own = [f.ind for f in expected.found if not f.ind.governance]
    score = 0.0
    for ind in own:
        raw = oracle_indicator(ind, expected.quarter, expected.year_end)
        if raw is not None and ind.weight is not None:
            score += ind.weight * raw / 100.0
    total = sum(ind.weight for ind in own if ind.weight is not None)
    return score, (score / total * 100.0 if total else math.nan)


def oracle_composite(
    apa: Expected, action_plans: dict[str, Expected], marks: dict[str, float]
) -> float:
    """Section 2: the APA's own score + each action plan's percent × its marks / 100, the
    governance part counted once (a stored action plan, else the APA's row, capped)."""
    total, _percent = oracle_plan(apa)
    for plan_type, plan_marks in marks.items():
        if plan_type == "apa":
            continue
        if plan_type in action_plans:
            total += oracle_plan(action_plans[plan_type])[1] * plan_marks / 100.0
            continue
        for found in apa.found:
            if found.ind.governance == plan_type:
                raw = oracle_indicator(found.ind, apa.quarter)
                total += (raw or 0.0) * plan_marks / 100.0
    return total


# ---------------------------------------------------------------- writing sheets


class Writer:
    """Writes one sheet top to bottom; remembers the column of each key."""

    def __init__(self, ws, first_column: int = 1) -> None:
        self.ws = ws
        self.r = 1
        self.c0 = first_column
        self.col: dict[str, int] = {}
        self.formulas: list[Formula] = []
        self.width = 1

    def line(self, text: str | None, merge_to: int | None = None) -> None:
        if text:
            self.ws.cell(self.r, self.c0, text)
            if merge_to:
                self.ws.merge_cells(
                    start_row=self.r, start_column=self.c0, end_row=self.r, end_column=merge_to
                )
        self.r += 1

    def lines(self, texts: list[str | None]) -> None:
        for text in texts:
            self.line(text)

    def put(self, r: int, c: int, value) -> None:
        if value is None:
            return
        if isinstance(value, Formula):
            self.ws.cell(r, c, f"={value.formula}")
            self.formulas.append(value)
            return
        if isinstance(value, tuple):
            value, number_format = value
            self.ws.cell(r, c, value).number_format = number_format
            return
        cell = self.ws.cell(r, c, value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"

    def header(self, spec: list[tuple[str, list]], groups=(), numbers: bool = True) -> list[int]:
        """`spec`: (key, texts per header row), a text followed by None merged down to the
        next text; `groups`: (first key, last key, header row index, text) merged across.
        Returns the header's rows; with `numbers`, the row of column numbers follows."""
        height = max(len(texts) for _key, texts in spec)
        top = self.r
        for i, (key, _texts) in enumerate(spec):
            self.col[key] = self.c0 + i
        covered = set()
        for first, last, row_index, text in groups:
            c1, c2 = self.col[first], self.col[last]
            self.ws.cell(top + row_index, c1, text)
            if c2 > c1:
                self.ws.merge_cells(
                    start_row=top + row_index,
                    start_column=c1,
                    end_row=top + row_index,
                    end_column=c2,
                )
            covered.update((row_index, c) for c in range(c1, c2 + 1))
        for key, texts in spec:
            c = self.col[key]
            texts = list(texts) + [None] * (height - len(texts))
            i = 0
            while i < height:
                if (i, c) in covered or texts[i] is None:
                    i += 1
                    continue
                j = i + 1
                while j < height and texts[j] is None and (j, c) not in covered:
                    j += 1
                self.ws.cell(top + i, c, texts[i])
                if j - 1 > i:
                    self.ws.merge_cells(
                        start_row=top + i, start_column=c, end_row=top + j - 1, end_column=c
                    )
                i = j
        self.width = self.c0 + len(spec) - 1
        rows = list(range(top, top + height))
        self.r = top + height
        self.spec, self.groups = spec, groups
        if numbers:
            for i in range(len(spec)):
                self.ws.cell(self.r, self.c0 + i, bn(i + 1))
            self.r += 1
        return rows

    def repeat_header(self, numbers: bool = True) -> None:
        """The header again, as on a sheet's second printed page."""
        self.header(self.spec, self.groups, numbers)

    def across(self, text: str) -> int:
        """A heading row across the table."""
        r = self.r
        self.ws.cell(r, self.c0, text)
        self.ws.merge_cells(start_row=r, start_column=self.c0, end_row=r, end_column=self.width)
        self.r += 1
        return r

    def letters(self) -> dict[str, str]:
        return {key: get_column_letter(c) for key, c in self.col.items()}


def save(book: openpyxl.Workbook, path: Path, writers: list[Writer]) -> Path:
    """Save, then write each formula's cached value, as Excel does when it saves."""
    book.save(path)
    formulas = [f for w in writers for f in w.formulas]
    if not formulas:
        return path
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            for f in formulas:
                data = data.replace(
                    f"<f>{escape(f.formula)}</f><v></v>".encode(),
                    f"<f>{escape(f.formula)}</f><v>{f.cached:g}</v>".encode(),
                )
            parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def new_book() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    return book


def write_rows(
    w: Writer,
    areas: list[Area],
    fill,
    *,
    merge_areas: bool = True,
    area_keys=("area", "area_weight"),
    merge_activities: bool = False,
    page_break_after: int | None = None,
    serial: str | None = "serial",
) -> tuple[list[Found], list]:
    """One row per indicator; the area (and its weight) on the area's first row, merged down
    over its rows. `fill(ind) -> {key: cell}` gives each row's cells."""
    found: list[Found] = []
    area_defects = []
    count = 0
    for n_area, area in enumerate(areas, start=1):
        first = w.r
        previous_activity, activity_start = None, None
        for ind in area.indicators:
            cells = fill(ind)
            cells.setdefault("indicator", ind.text)
            if serial and serial in w.col:
                cells.setdefault(serial, bn(count + 1))
            for key, value in cells.items():
                if key in w.col:
                    w.put(w.r, w.col[key], value)
            if merge_activities and ind.activity == previous_activity and "activity" in w.col:
                c = w.col["activity"]
                w.ws.cell(w.r, c).value = None
                w.ws.merge_cells(
                    start_row=activity_start, start_column=c, end_row=w.r, end_column=c
                )
            elif merge_activities:
                previous_activity, activity_start = ind.activity, w.r
            found.append(Found(ind, w.r, w.letters()))
            last = w.r
            w.r += 1
            count += 1
            if page_break_after and count == page_break_after:
                w.repeat_header()
        for key, value in zip(area_keys, (area.name, area.weight_cell), strict=False):
            if key in w.col:
                w.put(first, w.col[key], value)
                if merge_areas and last > first:
                    w.ws.merge_cells(
                        start_row=first,
                        start_column=w.col[key],
                        end_row=last,
                        end_column=w.col[key],
                    )
        for codes, key in area.defects:
            area_defects.append((frozenset(codes), first, w.letters().get(key) if key else None))
        del n_area
    return found, area_defects


def standard_fill(ind: Ind, **extra) -> dict:
    cells = {
        "activity": ind.activity,
        "unit": ind.unit,
        "weight": ind.weight_cell,
        "method": ind.method,
        "prior1": ind.prior[0],
        "prior2": ind.prior[1],
        "proj1": ind.targets[0][0],
        "proj2": ind.targets[0][0],
        "responsible": "ফোকাল পয়েন্ট",
    }
    for key, value in zip(TARGET_KEYS, ind.targets[0], strict=True):
        cells[key] = value
    for key, value in ind.achieved.items():
        cells[f"q{key}" if isinstance(key, int) else key] = value
    cells.update(extra)
    return cells


def defects_of(found: list[Found]) -> list[tuple[frozenset, int, str | None]]:
    out = []
    for f in found:
        for codes, key in f.ind.defects:
            out.append((frozenset(codes), f.row, f.letters.get(key) if key else None))
    return out


# ---------------------------------------------------------------- indicator libraries


def fy_date(fy_start: int, month: int, day: int) -> dt.date:
    return dt.date(fy_start if month >= 7 else fy_start + 1, month, day)


def week_ladder(first: dt.date, days: int = 7) -> list[dt.date]:
    return [first + dt.timedelta(days=days * i) for i in range(5)]


GOVERNANCE = [
    ("nis", "শুদ্ধাচার কর্মপরিকল্পনা", 10),
    ("egov", "ই-গভর্ন্যান্স/ উদ্ভাবন কর্মপরিকল্পনা", 10),
    ("grs", "অভিযোগ প্রতিকার কর্মপরিকল্পনা", 4),
    ("citizen_charter", "সেবা প্রদান প্রতিশ্রুতি কর্মপরিকল্পনা", 3),
    ("rti", "তথ্য অধিকার কর্মপরিকল্পনা", 3),
]
GOVERNANCE_EN = [
    ("nis", "Implementation of the integrity strategy action plan", 10),
    ("egov", "Implementation of the e-governance and innovation action plan", 10),
    ("grs", "Implementation of the grievance redress action plan", 4),
    ("citizen_charter", "Implementation of the citizen's charter action plan", 3),
    ("rti", "Implementation of the right to information action plan", 3),
]


def governance_area(marks: dict[str, object], quarter_key, english: bool = False) -> Area:
    """The APA's governance part: `[এম.১]` with one `[এম.১.x.১]` row per action plan, unit
    প্রাপ্ত নম্বর; `marks` {plan type: (cell, meant)} reported in column `quarter_key`."""
    rows = GOVERNANCE_EN if english else GOVERNANCE
    inds = []
    for n, (plan_type, name, weight) in enumerate(rows, start=1):
        cell, meant = marks.get(plan_type, (None, None))
        code = f"M.1.{n}.1"
        inds.append(
            Ind(
                code,
                name + (" implemented" if english else " বাস্তবায়িত"),
                "Marks obtained" if english else "প্রাপ্ত নম্বর",
                "number",
                weight if english else bn(weight),
                weight,
                ladder(
                    [weight, weight * 0.9, weight * 0.8, weight * 0.7, weight * 0.6],
                    n_bn if not english else n_plain,
                ),
                achieved={} if cell is None else {quarter_key: cell},
                meant={}
                if meant is None
                else {quarter_key if quarter_key != "todate" else "todate": meant},
                method="cumulative" if english else "ক্রমপুঞ্জিভূত",
                method_key="cumulative",
                activity=(f"[M.1.{n}] " if english else f"[এম.১.{bn(n)}] ") + name,
                code_cell=f"[M.1.{n}.1]" if english else None,
                governance=plan_type,
            )
        )
    return Area(
        "[M.1] Strengthening good governance and reform"
        if english
        else "[এম.১] সুশাসন ও সংস্কারমূলক কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
        30 if english else "৩০",
        30,
        inds,
    )


# ---------------------------------------------------------------- sheet builders


def level_headers(style: str, group_text: str):
    """The target columns' header: (texts per column over three rows, group)."""
    if style == "two-rows":
        cols = [
            (k, [None, name, pct])
            for k, name, pct in zip(TARGET_KEYS, LEVEL_NAMES, LEVEL_PERCENTS, strict=True)
        ]
    elif style == "one-cell":
        cols = [
            (k, [None, f"{name} {pct}"])
            for k, name, pct in zip(TARGET_KEYS, LEVEL_NAMES, LEVEL_PERCENTS, strict=True)
        ]
    else:  # English, two rows
        cols = [
            (k, [None, name, f"{lv}%"])
            for k, name, lv in zip(TARGET_KEYS, LEVEL_EN, LEVELS, strict=True)
        ]
    return cols, (TARGET_KEYS[0], TARGET_KEYS[-1], 0, group_text)


def table_sheet(
    book,
    name: str,
    *,
    lines: list[str | None],
    columns: list[tuple[str, list]],
    groups: list = (),
    areas: list[Area],
    governance: Area | None = None,
    before: str | None = None,
    governance_heading: str = "সুশাসন ও সংস্কারমূলক কর্মসম্পাদনের ক্ষেত্র",
    numbers: bool = True,
    first_column: int = 1,
    page_break_after: int | None = None,
    merge_activities: bool = False,
    mandatory: list[Area] | None = None,
    mandatory_heading: str = "আবশ্যিক কৌশলগত উদ্দেশ্যসমুহ",
    footer: list[str] = (),
) -> tuple[Writer, list[Found], list]:
    """A plan table in one sheet: title lines, the header, rows per indicator (areas merged
    down), optional heading rows across, the governance part, notes under the table."""
    ws = book.create_sheet(name)
    w = Writer(ws, first_column)
    w.lines(lines)
    w.r += 1
    w.header(columns, groups, numbers)
    if before:
        w.across(before)
    found, defects = write_rows(
        w,
        areas,
        standard_fill,
        page_break_after=page_break_after,
        merge_activities=merge_activities,
    )
    if mandatory:
        w.across(mandatory_heading)
        more, more_defects = write_rows(w, mandatory, standard_fill)
        found += more
        defects += more_defects
    if governance is not None:
        w.across(governance_heading)
        more, more_defects = write_rows(w, [governance], standard_fill)
        found += more
        defects += more_defects
    w.r += 1
    for text in footer:
        w.line(text)
    return w, found, defects


def nis_sheet(
    book,
    name: str,
    *,
    lines: list[str | None],
    fy_label: str,
    sections: list[tuple[str, list[Ind]]],
    repeat_after_section: int | None = 1,
) -> tuple[Writer, list[Found], list]:
    """The integrity (NIS) plan as seed 004 lays it out: a target row and an achievement row
    per indicator, four quarter columns, a to-date column, section headings with the area's
    weight in their text, the header repeated on the second page."""
    ws = book.create_sheet(name)
    w = Writer(ws)
    w.lines(lines)
    w.r += 1
    columns = [
        ("activity", ["কার্যক্রমের নাম"]),
        ("indicator_name", ["কর্মসম্পাদন সূচক"]),
        ("weight", ["সূচকের মান"]),
        ("unit", ["একক"]),
        ("responsible", ["বাস্তবায়নের দায়িত্বপ্রাপ্ত ব্যক্তি/পদ"]),
        ("annual", [f"{fy_label} অর্থ বছরের লক্ষ্যমাত্রা"]),
        ("label", [None, "লক্ষ্যমাত্রা /অর্জন"]),
        ("q1", [None, "১ম কোয়ার্টার"]),
        ("q2", [None, "২য় কোয়ার্টার"]),
        ("q3", [None, "৩য় কোয়ার্টার"]),
        ("q4", [None, "৪র্থ কোয়ার্টার"]),
        ("todate", [None, "মোট অর্জন"]),
        ("score", [None, "অর্জিত মান"]),
        ("remarks", ["মন্তব্য"]),
    ]
    w.header(columns, [("label", "score", 0, f"বাস্তবায়ন অগ্রগতি পরিবীক্ষণ, {fy_label}")])
    found = []
    for n_section, (heading, inds) in enumerate(sections, start=1):
        w.across(heading)
        for ind in inds:
            top = w.r
            cells = {
                "activity": f"{bn(ind.code)} {ind.activity}",
                "indicator_name": ind.name,
                "weight": ind.weight_cell,
                "unit": ind.unit,
                "responsible": "ফোকাল পয়েন্ট",
                "annual": ind.annual,
                "label": "লক্ষ্যমাত্রা",
            }
            for q, (cell, _meant) in ind.quarter_targets.items():
                cells[f"q{q}"] = cell
            cells["todate"] = ind.annual
            for key, value in cells.items():
                w.put(top, w.col[key], value)
            w.put(top + 1, w.col["label"], "অর্জন")
            for q, cell in ind.achieved.items():
                w.put(top + 1, w.col[f"q{q}"], cell)
            for key in (
                "activity",
                "indicator_name",
                "weight",
                "unit",
                "responsible",
                "annual",
                "remarks",
            ):
                ws.merge_cells(
                    start_row=top, start_column=w.col[key], end_row=top + 1, end_column=w.col[key]
                )
            letters = w.letters() | {"indicator": w.letters()["indicator_name"]}
            found.append(Found(ind, top, letters))
            w.r += 2
        if repeat_after_section == n_section:
            w.r += 1
            w.repeat_header()
    w.r += 1
    w.line("০৬/০৭/২৪")
    w.line("জেলা সমবায় কর্মকর্তা")
    return w, found, []


def apa_columns(
    fy_label: str, prior: tuple[str, str], projection: tuple[str, str], *, method=True, serial=None
):
    """The 2020-21-onward Section 3 header (three rows), without the achievement columns."""
    cols = []
    if serial:
        cols.append(("serial", [serial]))
    cols += [
        ("area", ["কর্মসম্পাদনের ক্ষেত্র"]),
        ("area_weight", ["ক্ষেত্রের মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
    ]
    if method:
        cols.append(("method", ["গণনা পদ্ধতি"]))
    cols += [
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        ("prior1", [None, prior[0]]),
        ("prior2", [None, prior[1]]),
    ]
    targets, group = level_headers("two-rows", f"লক্ষ্যমাত্রা/নির্ণায়ক {fy_label}")
    cols += targets
    cols += [("proj1", [f"প্রক্ষেপণ {projection[0]}"]), ("proj2", [f"প্রক্ষেপণ {projection[1]}"])]
    groups = [("prior1", "prior2", 0, "প্রকৃত অর্জন"), group]
    return cols, groups


# ---------------------------------------------------------------- the .ods writer


def to_ods(book: openpyxl.Workbook, path: Path) -> Path:
    """The same workbook as an OpenDocument spreadsheet (merged cells spanned and covered,
    percent cells as percentage values, dates as dates), written by hand: no converter needed."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    tables = []
    for ws in book.worksheets:
        spans = {}
        covered = set()
        for rng in ws.merged_cells.ranges:
            spans[(rng.min_row, rng.min_col)] = (
                rng.max_row - rng.min_row + 1,
                rng.max_col - rng.min_col + 1,
            )
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered.add((r, c))
        rows = []
        for r in range(1, ws.max_row + 1):
            cells = []
            for c in range(1, ws.max_column + 1):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                cell = ws.cell(r, c)
                attrs = ""
                if (r, c) in spans:
                    rs, cs = spans[(r, c)]
                    attrs = f' table:number-rows-spanned="{rs}" table:number-columns-spanned="{cs}"'
                value = cell.value
                if value is None:
                    cells.append(f"<table:table-cell{attrs}/>")
                elif isinstance(value, dt.date):
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="date" office:date-value="{value.isoformat()}">'
                        f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
                    )
                elif isinstance(value, (int, float)):
                    kind = "percentage" if "%" in (cell.number_format or "") else "float"
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="{kind}" office:value="{value}">'
                        f"<text:p>{value}</text:p></table:table-cell>"
                    )
                else:
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
                    )
            rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(
            f'<table:table table:name="{escape(ws.title)}">' + "".join(rows) + "</table:table>"
        )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    path.write_bytes(buffer.getvalue())
    return path


# ---------------------------------------------------------------- the corpus


def _expected(sheet, plan_type, fy, quarter, office, found, defects, **kw) -> Expected:
    return Expected(sheet, plan_type, fy, quarter, office, found, defects_of(found) + defects, **kw)


def apa_2019_20(directory: Path) -> Case:
    """The 2019-20 form: six title lines (ministry, then its division), strategic objectives
    and their weights merged down, earlier years' actuals, the ministry's and the mandatory
    objectives under heading rows (codes from [১] again), one quarter's achievement."""
    d = lambda m, day: fy_date(2019, m, day)  # noqa: E731
    own = [
        Area(
            "[১] গ্রামীণ অবকাঠামো উন্নয়ন",
            "২৫",
            25,
            [
                Ind(
                    "1.1.1",
                    "উপজেলা সড়ক নির্মিত",
                    "কিঃমিঃ",
                    "number",
                    "১০",
                    10,
                    ladder([4000, 3600, 3200, 2800, 2400], n_plain),
                    {1: 1100},
                    {1: 1100},
                    activity="[১.১] গ্রামীণ সড়ক নির্মাণ",
                    prior=("৩৫০০", "৩৮০০"),
                ),
                Ind(
                    "1.2.1",
                    "সেতু/কালভার্ট নির্মিত",
                    "মিটার",
                    "number",
                    "০৮",
                    8,
                    ladder([12000, 11000, 10000, 9000, 8000], n_bn),
                    {1: "১০৫০০"},
                    {1: 10500},
                    activity="[১.২] সেতু/কালভার্ট নির্মাণ",
                    prior=("১০০০০", "১১০০০"),
                ),
                Ind(
                    "1.3.1",
                    "ডিজিটাল সেবা চালুকৃত",
                    "তারিখ",
                    "date",
                    "০৭",
                    7,
                    ladder([d(11, 30), d(12, 15), d(12, 31), d(1, 15), d(1, 31)], date_cell),
                    {1: "১৫.০৯.১৯"},
                    {1: d(9, 15)},
                    activity="[১.৩] ডিজিটাল সেবা",
                ),
            ],
        ),
        Area(
            "[২] নগর সেবার মান উন্নয়ন",
            "১৫",
            15,
            [
                Ind(
                    "2.1.1",
                    "বর্জ্য ব্যবস্থাপনার আওতাভুক্ত পৌরসভা",
                    "%",
                    "percent",
                    "০৬",
                    6,
                    ladder([90, 85, 80, 75, 70], pct_text),
                    {1: "৮২%"},
                    {1: 82},
                    activity="[২.১] বর্জ্য ব্যবস্থাপনা",
                    prior=("৭৫%", "৮০%"),
                ),
                Ind(
                    "2.2.1",
                    "নিরাপদ পানি সরবরাহের আওতাভুক্ত জনগোষ্ঠী",
                    "%",
                    "percent",
                    5,
                    5,
                    ladder([90, 85, 80, 75, 70], pct_plain),
                    {1: 95},
                    {1: 95},
                    activity="[২.২] পানি সরবরাহ",
                ),
                Ind(
                    "2.2.1.1",
                    "নতুন সংযোগ প্রদত্ত",
                    "সংখ্যা",
                    "number",
                    "০৩",
                    3,
                    ladder([500, 450, 400, 350, 300], n_bn),
                    {1: "৪২৫"},
                    {1: 425},
                    activity="[২.২] পানি সরবরাহ",
                ),
            ],
            defects=[({"weight-sum-mismatch"}, None)],
        ),
    ]
    mandatory = [
        Area(
            "[১] দক্ষতার সঙ্গে বার্ষিক কর্মসম্পাদন চুক্তি বাস্তবায়ন",
            "৪",
            4,
            [
                Ind(
                    "1.1.1",
                    "এপিএ'র সকল ত্রৈমাসিক প্রতিবেদন দাখিলকৃত",
                    "সংখ্যা",
                    "number",
                    "১",
                    1,
                    ladder([4, 3, None, None, None], n_bn),
                    {1: "১"},
                    {1: 1},
                    activity="[১.১] বার্ষিক কর্মসম্পাদন চুক্তি বাস্তবায়ন",
                ),
                Ind(
                    "1.2.1",
                    "এপিএ টিমের মাসিক সভা অনুষ্ঠিত",
                    "সংখ্যা",
                    "number",
                    "১",
                    1,
                    ladder([12, 11, None, None, None], n_bn),
                    {1: "৩"},
                    {1: 3},
                    activity="[১.১] বার্ষিক কর্মসম্পাদন চুক্তি বাস্তবায়ন",
                ),
                Ind(
                    "1.3.1",
                    "২০২০-২১ সালের খসড়া এপিএ দাখিলকৃত",
                    "তারিখ",
                    "date",
                    "২",
                    2,
                    ladder([d(4, 24), d(4, 30), d(5, 7), None, None], date_dash),
                    activity="[১.২] এপিএ প্রণয়ন",
                ),
            ],
        ),
        Area(
            "[২] কার্যপদ্ধতি ও সেবার মানোন্নয়ন",
            "৩",
            3,
            [
                Ind(
                    "2.1.1",
                    "ই-ফাইলে নোট নিষ্পত্তিকৃত",
                    "%",
                    "percent",
                    "৩",
                    3,
                    ladder([80, 70, 60, 50, 40], pct_cell),
                    {1: (0.65, "0%")},
                    {1: 65},
                    activity="[২.১] ই-ফাইলিং পদ্ধতি বাস্তবায়ন",
                ),
            ],
        ),
    ]
    columns = [
        ("area", ["কৌশলগত উদ্দেশ্য"]),
        ("area_weight", ["কৌশলগত উদ্দেশ্যের মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        ("prior1", ["প্রকৃত অর্জন ২০১৭-১৮"]),
        ("prior2", ["প্রকৃত অর্জন* ২০১৮-১৯"]),
    ]
    targets, group = level_headers("two-rows", "লক্ষ্যমাত্রা/নির্ণায়ক ২০১৯-২০")
    columns += [
        *targets,
        ("q1", ["১ম প্রান্তিকের অর্জন (জুলাই-সেপ্টেম্বর ২০১৯)"]),
        ("responsible", ["বাস্তবায়নের জন্য দায়িত্বপ্রাপ্ত"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "সেকশন ৩",
        lines=[
            "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার",
            "স্থানীয় সরকার, পল্লী উন্নয়ন ও সমবায় মন্ত্রণালয়",
            "স্থানীয় সরকার বিভাগ",
            "বার্ষিক কর্মসম্পাদন চুক্তি",
            "জুলাই ১, ২০১৯ - জুন ৩০, ২০২০",
            "সেকশন ৩: কৌশলগত উদ্দেশ্য, অগ্রাধিকার, কার্যক্রম, কর্মসম্পাদন সূচক এবং লক্ষ্যমাত্রাসমূহ",
        ],
        columns=columns,
        groups=[group],
        areas=own,
        before="মন্ত্রণালয়/বিভাগের কৌশলগত উদ্দেশ্যসমুহ",
        mandatory=mandatory,
        footer=["*সাময়িক"],
    )
    path = save(book, directory / "lgd-apa-2019-20-q1.xlsx", [w])
    return Case(
        "apa-2019-20",
        path,
        [_expected("সেকশন ৩", "apa", "2019-20", 1, "স্থানীয় সরকার বিভাগ", found, defects)],
    )


def apa_2020_21(directory: Path) -> Case:
    """The 2020-21 form of an agency: a serial column, levels and percents in one cell, two
    actuals under one merged `প্রকৃত অর্জন`, projections, the second quarter's achievement,
    evidence and remarks, the governance part with marks; a leaked number format in a target
    and in an achievement."""
    d = lambda m, day: fy_date(2020, m, day)  # noqa: E731
    areas = [
        Area(
            "[১] চা উৎপাদন বৃদ্ধি",
            "১৮",
            18,
            [
                Ind(
                    "1.1.1",
                    "চা উৎপাদিত",
                    "মিলিয়ন কেজি",
                    "number",
                    "০৮",
                    8,
                    ladder([90, 88, 85, 82, 80], n_plain),
                    {2: "৮৬.৫"},
                    {2: 86.5},
                    method="ক্রমপুঞ্জিভূত",
                    method_key="cumulative",
                    activity="[১.১] চা উৎপাদন",
                ),
                Ind(
                    "1.2.1",
                    "নতুন চা বাগান সৃজিত",
                    "হেক্টর",
                    "number",
                    "০৫",
                    5,
                    ladder([500, 450, 400, 350, 300], n_bn),
                    {2: 420},
                    {2: 420},
                    method="সমষ্টি",
                    method_key="sum",
                    activity="[১.২] সম্প্রসারণ",
                ),
                Ind(
                    "1.3.1",
                    "ক্ষুদ্র চা চাষি প্রশিক্ষিত",
                    "জন",
                    "number",
                    "০৫",
                    5,
                    ladder([1000, 900, 800, None, None], n_bn),
                    {2: "৯৫০ (৩ ব্যাচ)"},
                    {2: 950},
                    method="সমষ্টি",
                    method_key="sum",
                    activity="[১.৩] প্রশিক্ষণ",
                ),
            ],
        ),
        Area(
            "[২] চা রপ্তানি বৃদ্ধি",
            "১২",
            12,
            [
                Ind(
                    "2.1.1",
                    "নিলাম কেন্দ্র চালুকৃত",
                    "তারিখ",
                    "date",
                    "০৪",
                    4,
                    ladder([d(12, 31), d(1, 15), d(1, 31), d(2, 15), d(2, 28)], date_slash),
                    {2: "২০/১২/২০"},
                    {2: d(12, 20)},
                    method="তারিখ",
                    activity="[২.১] নিলাম কেন্দ্র",
                ),
                Ind(
                    "2.2.1",
                    "রপ্তানি আদেশ নিষ্পত্তির হার",
                    "%",
                    "percent",
                    "০৪",
                    4,
                    ladder([100, 95, 90, 85, 80], pct_cell),
                    {2: LEAKED},
                    {2: None},
                    method="গড়",
                    activity="[২.২] রপ্তানি আদেশ",
                    defects=[({"leaked-number-format"}, "q2")],
                    needs_correction=True,
                ),
                Ind(
                    "2.3.1",
                    "রপ্তানি মেলায় অংশগ্রহণ",
                    "সংখ্যা",
                    "number",
                    "০৪",
                    4,
                    (["৪", LEAKED, "২", "১", "-"], [4, None, 2, 1, None]),
                    {2: "২"},
                    {2: 2},
                    method="সমষ্টি",
                    activity="[২.৩] মেলা",
                    defects=[({"leaked-number-format"}, "t90")],
                    needs_correction=True,
                ),
            ],
        ),
    ]
    governance = governance_area(
        {"nis": ("৭.৫", 7.5), "egov": (9, 9), "grs": ("৩.২", 3.2), "citizen_charter": ("২.৪", 2.4)},
        2,
    )
    cols, groups = apa_columns(
        "২০২০-২১", ("২০১৮-১৯", "২০১৯-২০"), ("২০২১-২২", "২০২২-২৩"), serial="ক্রমিক নং"
    )
    # levels and percents in one cell
    cols = [
        (k, [None, f"{LEVEL_NAMES[TARGET_KEYS.index(k)]} {LEVEL_PERCENTS[TARGET_KEYS.index(k)]}"])
        if k in TARGET_KEYS
        else (k, t)
        for k, t in cols
    ]
    cols += [
        ("q2", ["২য় ত্রৈমাসিক অর্জন (অক্টোবর-ডিসেম্বর ২০২০)"]),
        ("evidence", ["প্রমাণক"]),
        ("remarks", ["মন্তব্য"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "APA 2020-21",
        lines=[
            "বাংলাদেশ চা বোর্ড",
            "বার্ষিক কর্মসম্পাদন চুক্তি ২০২০-২১ এর ২য় ত্রৈমাসিক (অক্টোবর-ডিসেম্বর ২০২০) অগ্রগতি প্রতিবেদন",
        ],
        columns=cols,
        groups=groups,
        areas=areas,
        governance=governance,
        before="দপ্তর/সংস্থার কর্মসম্পাদনের ক্ষেত্র",
    )
    path = save(book, directory / "tea-board-apa-2020-21-q2.xlsx", [w])
    return Case(
        "apa-2020-21",
        path,
        [_expected("APA 2020-21", "apa", "2020-21", 2, "বাংলাদেশ চা বোর্ড", found, defects)],
    )


def apa_2021_22(directory: Path) -> Case:
    """Four quarters side by side under one merged `অর্জন ২০২১-২২` with a to-date column and a
    rate column; the header repeated after a page break; one title line naming the office in
    the genitive; percents as 90, 0.88 in a `0%` cell and `৯২%`; a formula with its cached
    value; a lower-is-better ladder; a ladder out of order and a date cut short."""
    d = lambda m, day: fy_date(2021, m, day)  # noqa: E731
    areas = [
        Area(
            "[১] ভূমি ব্যবস্থাপনা ডিজিটাইজেশন",
            "২০",
            20,
            [
                Ind(
                    "1.1.1",
                    "ই-নামজারি নিষ্পত্তিকৃত",
                    "%",
                    "percent",
                    "০৮",
                    8,
                    ladder([90, 85, 80, 75, 70], pct_plain),
                    {1: 80, 2: (0.88, "0%"), 3: "৯২%"},
                    {1: 80, 2: 88, 3: 92},
                    method="গড়",
                    activity="[১.১] ই-নামজারি",
                ),
                Ind(
                    "1.2.1",
                    "ভূমি উন্নয়ন কর আদায়কৃত",
                    "কোটি টাকা",
                    "number",
                    "০৭",
                    7,
                    ladder([1200, 1100, 1000, 900, 800], n_bn),
                    {1: 200, 2: "৩০০", 3: Formula("200+150", 350)},
                    {1: 200, 2: 300, 3: 350},
                    method="সমষ্টি",
                    activity="[১.২] ভূমি উন্নয়ন কর",
                ),
                Ind(
                    "1.3.1",
                    "মামলা নিষ্পত্তির গড় সময়",
                    "দিন",
                    "number",
                    "০৫",
                    5,
                    ladder([30, 45, 60, 75, 90], n_bn),
                    {1: 50, 2: "৪০", 3: 45},
                    {1: 50, 2: 40, 3: 45},
                    method="গড়",
                    method_key="average",
                    activity="[১.৩] মামলা নিষ্পত্তি",
                ),
            ],
        ),
        Area(
            "[২] ভূমি সেবা সহজীকরণ",
            "১০",
            10,
            [
                Ind(
                    "2.1.1",
                    "ভূমি সেবা হটলাইন চালুকৃত",
                    "তারিখ",
                    "date",
                    "০৪",
                    4,
                    ladder([d(10, 31), d(11, 30), d(12, 31), d(1, 31), d(2, 28)], date_cell),
                    {2: d(12, 15)},
                    {2: d(12, 15)},
                    method="তারিখ",
                    activity="[২.১] হটলাইন",
                ),
                Ind(
                    "2.2.1",
                    "প্রশিক্ষিত কর্মচারী",
                    "জন",
                    "number",
                    "০৩",
                    3,
                    ladder([500, 450, 480, 350, 300], n_bn),
                    {1: 100, 2: 150},
                    {1: 100, 2: 150},
                    method="সমষ্টি",
                    activity="[২.২] প্রশিক্ষণ",
                    defects=[({"ladder-not-monotonic"}, None)],
                    needs_correction=True,
                ),
                Ind(
                    "2.3.1",
                    "ভূমি সেবা নির্দেশিকা প্রণীত",
                    "তারিখ",
                    "date",
                    "০৩",
                    3,
                    (
                        ["৩০-০৪-২০২২", "০৭-০৫-২০২২", "১৫-০৫-২০২২", "২২-০৫-২০২২", "৩০-০৫-২০২"],
                        [d(4, 30), d(5, 7), d(5, 15), d(5, 22), None],
                    ),
                    method="তারিখ",
                    activity="[২.৩] নির্দেশিকা",
                    defects=[({"unparseable-date"}, "t60")],
                    needs_correction=True,
                ),
            ],
        ),
    ]
    for area in areas:
        for ind in area.indicators:
            numbers = [v for v in ind.meant.values() if isinstance(v, (int, float))]
            ind.achieved["todate"] = sum(numbers) if numbers and ind.kind == "number" else None
    cols, groups = apa_columns("২০২১-২২", ("২০১৯-২০", "২০২০-২১"), ("২০২২-২৩", "২০২৩-২৪"))
    cols = [
        (
            k,
            ["প্রকৃত অর্জন ২০১৯-২০"]
            if k == "prior1"
            else ["প্রকৃত অর্জন ২০২০-২১"]
            if k == "prior2"
            else t,
        )
        for k, t in cols
    ]
    groups = [g for g in groups if g[0] != "prior1"]
    cols += [
        ("q1", [None, "১ম ত্রৈমাসিক"]),
        ("q2", [None, "২য় ত্রৈমাসিক"]),
        ("q3", [None, "৩য় ত্রৈমাসিক"]),
        ("q4", [None, "৪র্থ ত্রৈমাসিক"]),
        ("todate", [None, "মোট অর্জন"]),
        ("rate", [None, "অর্জনের হার (%)"]),
    ]
    groups = [*groups, ("q1", "rate", 0, "অর্জন ২০২১-২২")]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "এপিএ অগ্রগতি",
        lines=["ভূমি মন্ত্রণালয়ের ২০২১-২২ অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তির ত্রৈমাসিক অগ্রগতি প্রতিবেদন"],
        columns=cols,
        groups=groups,
        areas=areas,
        page_break_after=3,
    )
    path = save(book, directory / "land-apa-2021-22-quarters.xlsx", [w])
    return Case(
        "apa-2021-22",
        path,
        [_expected("এপিএ অগ্রগতি", "apa", "2021-22", 3, "ভূমি মন্ত্রণালয়", found, defects)],
    )


def apa_2022_23_english(directory: Path) -> Case:
    """The form in English: headers over two rows, ASCII dates as text, fractions for a percent
    ladder without 1, the governance part coded [M.1.1], a weight written in words and a
    `#REF!` error in a target."""
    d = lambda m, day: fy_date(2022, m, day)  # noqa: E731
    areas = [
        Area(
            "[1] Export diversification",
            20,
            20,
            [
                Ind(
                    "1.1.1",
                    "Export policy approved",
                    "Date",
                    "date",
                    5,
                    5,
                    ladder([d(12, 31), d(1, 15), d(1, 31), d(2, 15), d(2, 28)], date_ascii),
                    {3: "05/02/2023"},
                    {3: d(2, 5)},
                    method="Date",
                    activity="[1.1] Export policy",
                    code_cell="[1.1.1]",
                ),
                Ind(
                    "1.2.1",
                    "Trade delegations received",
                    "Number",
                    "number",
                    5,
                    5,
                    ladder([6, 5, 4, 3, 2], n_plain),
                    {3: 2},
                    {3: 2},
                    method="Sum",
                    activity="[1.2] Delegations",
                    code_cell="[1.2.1]",
                ),
                Ind(
                    "1.3.1",
                    "Import permits issued on time",
                    "%",
                    "percent",
                    5,
                    5,
                    ladder([95, 90, 85, 80, 75], pct_fraction),
                    {3: 0.92},
                    {3: 92},
                    method="Average",
                    activity="[1.3] Permits",
                    code_cell="[1.3.1]",
                ),
                Ind(
                    "1.4.1",
                    "Workshops held",
                    "Number",
                    "number",
                    "five",
                    None,
                    ladder([4, 3, 2, 1, None], n_plain),
                    {3: 1},
                    {3: 1},
                    method="Sum",
                    activity="[1.4] Workshops",
                    code_cell="[1.4.1]",
                    defects=[({"unparseable-number"}, "weight")],
                    needs_correction=True,
                ),
            ],
            defects=[({"weight-sum-mismatch"}, None)],
        ),
        Area(
            "[2] Trade facilitation",
            10,
            10,
            [
                Ind(
                    "2.1.1",
                    "Single window modules launched",
                    "Number",
                    "number",
                    6,
                    6,
                    (["#REF!", 4, 3, 2, 1], [None, 4, 3, 2, 1]),
                    {3: 3},
                    {3: 3},
                    method="Sum",
                    activity="[2.1] Single window",
                    code_cell="[2.1.1]",
                    defects=[({"unparseable-number", "cell-error", "unreadable-value"}, "t100")],
                    needs_correction=True,
                ),
                Ind(
                    "2.2.1",
                    "Complaints settled within 7 days",
                    "%",
                    "percent",
                    4,
                    4,
                    ladder([90, 80, 70, 60, 50], lambda x: f"{x}%"),
                    {3: "85%"},
                    {3: 85},
                    method="Average",
                    activity="[2.2] Complaints",
                    code_cell="[2.2.1]",
                ),
            ],
        ),
    ]
    governance = governance_area(
        {
            "nis": (8, 8),
            "egov": (9.5, 9.5),
            "grs": (3, 3),
            "citizen_charter": (2.7, 2.7),
            "rti": (2.9, 2.9),
        },
        3,
        english=True,
    )
    targets, group = level_headers("en", "Target/Criteria value 2022-23")
    cols = [
        ("area", ["Areas of performance"]),
        ("area_weight", ["Weight of area"]),
        ("activity", ["Activities"]),
        ("indicator", ["Performance indicators"]),
        ("method", ["Calculation method"]),
        ("unit", ["Unit"]),
        ("weight", ["Weight of performance indicators"]),
        ("prior1", ["Actual achievement 2020-21"]),
        ("prior2", ["Actual achievement 2021-22"]),
        *targets,
        ("proj1", ["Projection 2023-24"]),
        ("proj2", ["Projection 2024-25"]),
        ("q3", ["Achievement (Jan-Mar 2023)"]),
        ("remarks", ["Remarks"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "Section 3",
        lines=[
            "Government of the People's Republic of Bangladesh",
            "Ministry of Commerce",
            "Annual Performance Agreement 2022-23",
            "Progress report: third quarter (January-March 2023)",
            "Section 3: Performance plan",
        ],
        columns=cols,
        groups=[group],
        areas=areas,
        governance=governance,
        governance_heading="Good governance and reform areas of performance",
        numbers=False,
    )
    path = save(book, directory / "commerce-apa-2022-23-q3-en.xlsx", [w])
    return Case(
        "apa-2022-23-en",
        path,
        [_expected("Section 3", "apa", "2022-23", 3, "Ministry of Commerce", found, defects)],
    )


def apa_2023_24_annual(directory: Path) -> Case:
    """A district office's annual evaluation report: one column for the whole year, an office
    label line, a formula with its cached value, a code used twice, a code with a typo, a
    sub-indicator, an indicator not reported (0 at year end), `dd-mm-yyyy` dates."""
    areas = [
        Area(
            "[১] রাজস্ব প্রশাসন",
            "১৫",
            15,
            [
                Ind(
                    "1.1.1",
                    "ভূমি উন্নয়ন কর আদায়কৃত",
                    "লক্ষ টাকা",
                    "number",
                    "০৫",
                    5,
                    ladder([800, 720, 640, 560, 480], n_bn),
                    {"todate": Formula("700+50", 750)},
                    {"todate": 750},
                    method="সমষ্টি",
                    activity="[১.১] রাজস্ব আদায়",
                ),
                Ind(
                    "1.1.2",
                    "নামজারি মামলা নিষ্পত্তিকৃত",
                    "%",
                    "percent",
                    "০৫",
                    5,
                    ladder([95, 90, 85, 80, 75], pct_text),
                    {"todate": "৮৮.৫%"},
                    {"todate": 88.5},
                    method="গড়",
                    activity="[১.১] রাজস্ব আদায়",
                ),
                Ind(
                    "1.1.1",
                    "সায়রাত মহাল ইজারা প্রদত্ত",
                    "সংখ্যা",
                    "number",
                    "০৫",
                    5,
                    ladder([20, 18, 16, 14, 12], n_bn),
                    {"todate": "১৫"},
                    {"todate": 15},
                    method="সমষ্টি",
                    activity="[১.২] সায়রাত মহাল",
                    defects=[({"duplicate-code", "duplicate-indicator-code"}, "indicator")],
                ),
            ],
        ),
        Area(
            "[২] জনসেবা",
            "১০",
            10,
            [
                Ind(
                    "2.1.1",
                    "গণশুনানি আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "০৪",
                    4,
                    ladder([12, 11, 10, 9, 8], n_bn),
                    {"todate": "১২"},
                    {"todate": 12},
                    method="সমষ্টি",
                    activity="[২.১] গণশুনানি",
                    code_cell="[[২.১.১]",
                    defects=[({"code-repaired"}, "indicator")],
                ),
                Ind(
                    "2.2.1",
                    "মোবাইল কোর্ট পরিচালিত",
                    "সংখ্যা",
                    "number",
                    "০৩",
                    3,
                    ladder([120, 110, 100, 90, 80], n_bn),
                    method="সমষ্টি",
                    activity="[২.২] মোবাইল কোর্ট",
                ),
                Ind(
                    "2.2.1.1",
                    "মোবাইল কোর্টে নিষ্পত্তিকৃত মামলা",
                    "সংখ্যা",
                    "number",
                    "০৩",
                    3,
                    ladder([500, 450, 400, 350, 300], n_bn),
                    {"todate": "অর্জিত হয়নি"},
                    {"todate": None},
                    method="সমষ্টি",
                    activity="[২.২] মোবাইল কোর্ট",
                ),
            ],
        ),
        Area(
            "[৩] দুর্যোগ ব্যবস্থাপনা",
            "০৫",
            5,
            [
                Ind(
                    "3.1.1",
                    "দুর্যোগ প্রস্তুতি সভা আয়োজিত",
                    "তারিখ",
                    "date",
                    "০৫",
                    5,
                    ladder(
                        [
                            dt.date(2023, 10, 15),
                            dt.date(2023, 10, 31),
                            dt.date(2023, 11, 15),
                            dt.date(2023, 11, 30),
                            dt.date(2023, 12, 15),
                        ],
                        date_dash,
                    ),
                    {"todate": "২০-১০-২০২৩"},
                    {"todate": dt.date(2023, 10, 20)},
                    method="তারিখ",
                    activity="[৩.১] দুর্যোগ প্রস্তুতি",
                ),
            ],
        ),
    ]
    governance = governance_area(
        {
            "nis": ("৯.২", 9.2),
            "egov": (9.8, 9.8),
            "grs": ("৩.৬", 3.6),
            "citizen_charter": (2.7, 2.7),
            "rti": ("২.৮", 2.8),
        },
        "todate",
    )
    targets, group = level_headers("two-rows", "লক্ষ্যমাত্রা ২০২৩-২৪")
    cols = [
        ("serial", ["ক্রম"]),
        ("area", ["কর্মসম্পাদনের ক্ষেত্র"]),
        ("area_weight", ["ক্ষেত্রের মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("method", ["গণনা পদ্ধতি"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        *targets,
        ("todate", ["অর্জন (জুলাই ২০২৩ - জুন ২০২৪)"]),
        ("evidence", ["প্রমাণক"]),
        ("remarks", ["মন্তব্য"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "বার্ষিক মূল্যায়ন",
        lines=[
            "বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪ এর বার্ষিক মূল্যায়ন প্রতিবেদন",
            "অফিসের নাম: জেলা প্রশাসকের কার্যালয়, নারায়ণগঞ্জ",
        ],
        columns=cols,
        groups=[group],
        areas=areas,
        governance=governance,
    )
    path = save(book, directory / "dc-narayanganj-apa-2023-24-annual.xlsx", [w])
    return Case(
        "apa-2023-24-annual",
        path,
        [
            _expected(
                "বার্ষিক মূল্যায়ন",
                "apa",
                "2023-24",
                4,
                "জেলা প্রশাসকের কার্যালয়, নারায়ণগঞ্জ",
                found,
                defects,
                year_end=True,
            )
        ],
    )


def apa_2023_24_half_year(directory: Path) -> Case:
    """A progress report whose one column runs July-December: the achievement to date at the
    end of Q2; the office named on the line below the title."""
    areas = [
        Area(
            "[১] ভোক্তা অধিকার সংরক্ষণ",
            "২০",
            20,
            [
                Ind(
                    "1.1.1",
                    "বাজার তদারকি পরিচালিত",
                    "সংখ্যা",
                    "number",
                    "১০",
                    10,
                    ladder([10000, 9000, 8000, 7000, 6000], lambda x: bn(f"{x:,}")),
                    {"todate": "৮,৪৫১"},
                    {"todate": 8451},
                    method="সমষ্টি",
                    activity="[১.১] বাজার তদারকি",
                ),
                Ind(
                    "1.2.1",
                    "অভিযোগ নিষ্পত্তির হার",
                    "%",
                    "percent",
                    "১০",
                    10,
                    ladder([90, 80, 70, 60, 50], lambda x: (x / 100, "0.00%")),
                    {"todate": (0.8333, "0.00%")},
                    {"todate": 83.33},
                    method="গড়",
                    activity="[১.২] অভিযোগ নিষ্পত্তি",
                ),
            ],
        ),
    ]
    cols, groups = apa_columns("২০২৩-২৪", ("২০২১-২২", "২০২২-২৩"), ("২০২৪-২৫", "২০২৫-২৬"))
    cols += [("todate", ["অর্জন (জুলাই-ডিসেম্বর ২০২৩)"]), ("responsible", ["বাস্তবায়নকারী"])]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "Sheet1",
        lines=[
            "বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪",
            "জাতীয় ভোক্তা অধিকার সংরক্ষণ অধিদপ্তর",
            "অগ্রগতি প্রতিবেদন (ডিসেম্বর ২০২৩ পর্যন্ত)",
        ],
        columns=cols,
        groups=groups,
        areas=areas,
    )
    path = save(book, directory / "dncrp-apa-2023-24-july-december.xlsx", [w])
    return Case(
        "apa-2023-24-half-year",
        path,
        [
            _expected(
                "Sheet1", "apa", "2023-24", 2, "জাতীয় ভোক্তা অধিকার সংরক্ষণ অধিদপ্তর", found, defects
            )
        ],
    )


def nis_2023_24(directory: Path) -> Case:
    """The integrity plan of a ministry with its first two quarters' achievements."""

    def nis(code, activity, name, unit, kind, weight, annual, quarters, achieved, meant):
        return Ind(
            code,
            name,
            unit,
            kind,
            bn(weight),
            weight,
            ([None] * 5, [None] * 5),
            achieved,
            meant,
            activity=activity,
            annual=annual[0],
            annual_meant=annual[1],
            quarter_targets=dict(enumerate(quarters, start=1)),
        )

    sections = [
        (
            "১. প্রাতিষ্ঠানিক ব্যবস্থা ৮",
            [
                nis(
                    "1.1",
                    "নৈতিকতা কমিটির সভা আয়োজন",
                    "সভা আয়োজিত",
                    "সংখ্যা",
                    "number",
                    2,
                    ("০৪", 4),
                    [("০১", 1)] * 4,
                    {1: "০১", 2: "০১"},
                    {1: 1, 2: 1},
                ),
                nis(
                    "1.2",
                    "নৈতিকতা কমিটির সভার সিদ্ধান্ত বাস্তবায়ন",
                    "বাস্তবায়িত সিদ্ধান্ত",
                    "%",
                    "percent",
                    4,
                    ("১০০%", 100),
                    [("১০০%", 100)] * 4,
                    {1: "১০০%", 2: "৯০%"},
                    {1: 100, 2: 90},
                ),
                nis(
                    "1.3",
                    "সুশাসন প্রতিষ্ঠার নিমিত্ত অংশীজনের (stakeholders) অংশগ্রহণে সভা",
                    "অনুষ্ঠিত সভা",
                    "সংখ্যা",
                    "number",
                    2,
                    ("০২", 2),
                    [("--", None), ("০১", 1), ("--", None), ("০১", 1)],
                    {2: "০১"},
                    {2: 1},
                ),
            ],
        ),
        (
            "২. ক্রয়ের ক্ষেত্রে শুদ্ধাচার ৪",
            [
                nis(
                    "2.1",
                    "২০২৩-২৪ অর্থ বছরের ক্রয়-পরিকল্পনা ওয়েবসাইটে প্রকাশ",
                    "ক্রয়-পরিকল্পনা ওয়েবসাইটে প্রকাশিত",
                    "তারিখ",
                    "date",
                    2,
                    ("৩১/০৭/২৩", dt.date(2023, 7, 31)),
                    [("৩১/০৭/২৩", dt.date(2023, 7, 31)), ("--", None), ("--", None), ("--", None)],
                    {1: "২৫/০৭/২৩"},
                    {1: dt.date(2023, 7, 25)},
                ),
                nis(
                    "2.2",
                    "অনুমোদিত বার্ষিক ক্রয় পরিকল্পনার যথাযথ বাস্তবায়ন",
                    "ক্রয় পরিকল্পনা বাস্তবায়িত",
                    "%",
                    "percent",
                    2,
                    ("১০০%", 100),
                    [("২৫%", 25), ("৫০%", 50), ("৭৫%", 75), ("১০০%", 100)],
                    {1: "১১.১১%", 2: "৩৪%"},
                    {1: 11.11, 2: 34},
                ),
            ],
        ),
    ]
    book = new_book()
    w, found, defects = nis_sheet(
        book,
        "শুদ্ধাচার",
        lines=["জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা, ২০২৩-২০২৪", "মন্ত্রণালয়/বিভাগের নাম: বাণিজ্য মন্ত্রণালয়"],
        fy_label="২০২৩-২০২৪",
        sections=sections,
    )
    path = save(book, directory / "commerce-nis-2023-24-q2.xlsx", [w])
    return Case(
        "nis-2023-24",
        path,
        [_expected("শুদ্ধাচার", "nis", "2023-24", 2, "বাণিজ্য মন্ত্রণালয়", found, defects)],
    )


def egov_2024_25_sheet(book, quarter_header="১ম ত্রৈমাসিকে অর্জন"):
    areas = [
        Area(
            "",
            None,
            None,
            [
                Ind(
                    "1.1.1",
                    "সেবা/অফিস ব্যবস্থাপনা সহজিকরণ/ডিজিটাইজেশনের মাধ্যমে ন্যূনতম একটি উদ্ভাবনী ধারণা বাস্তবায়িত",
                    "তারিখ",
                    "date",
                    "১০",
                    10,
                    ladder(
                        [
                            dt.date(2025, 3, 9),
                            dt.date(2025, 3, 16),
                            dt.date(2025, 3, 23),
                            dt.date(2025, 3, 30),
                            dt.date(2025, 4, 6),
                        ],
                        date_slash,
                    ),
                    activity="[১.১] সেবা সহজিকরণ/ ডিজিটাইজেশনের মাধ্যমে উদ্ভাবনী ধারণা বাস্তবায়ন",
                    code_cell="[[১.১.১]",
                    defects=[({"code-repaired"}, "indicator")],
                ),
                Ind(
                    "2.1.1",
                    "ডাটাবেজ হালনাগাদকরণ ও সেবাসমূহ চলমান রাখা",
                    "সংখ্যা",
                    "number",
                    "২",
                    2,
                    ladder([4, 3, 2, 1, None], n_bn),
                    {1: "১"},
                    {1: 1},
                    activity="[২.১] ইতঃপূর্বে বাস্তবায়িত সহজিকৃত ও ডিজিটাইজকৃত সেবা চলমান রাখা",
                ),
                Ind(
                    "4.1.1",
                    "ই-ফাইলে নিষ্পত্তিযোগ্য নথির তালিকা নির্ধারিত",
                    "তারিখ",
                    "date",
                    "২",
                    2,
                    ladder(
                        [
                            dt.date(2024, 8, 31),
                            dt.date(2024, 9, 8),
                            dt.date(2024, 9, 15),
                            dt.date(2024, 9, 22),
                            dt.date(2024, 9, 29),
                        ],
                        date_slash,
                    ),
                    {1: dt.date(2024, 9, 10)},
                    {1: dt.date(2024, 9, 10)},
                    activity="[৪.১] ই-নথির ব্যবহার বৃদ্ধি",
                ),
                Ind(
                    "4.1.2",
                    "ই-ফাইলে নোট নিষ্পত্তিকৃত",
                    "%",
                    "percent",
                    "৮",
                    8,
                    ladder([100, 90, 80, 70, 60], pct_text),
                    {1: "৮৫%"},
                    {1: 85},
                    activity="[৪.১] ই-নথির ব্যবহার বৃদ্ধি",
                ),
                Ind(
                    "5.1.1",
                    "তথ্য বাতায়ন হালনাগাদকৃত",
                    "সংখ্যা",
                    "number",
                    "৬",
                    6,
                    ladder([4, 3, 2, 1, None], n_bn),
                    {1: "০১"},
                    {1: 1},
                    activity="[৫.১] তথ্য বাতায়ন হালনাগাদকরণ",
                ),
                Ind(
                    "7.1.1",
                    "অনলাইন রিপোর্ট ম্যানেজমেন্ট সফটওয়্যার বাস্তবায়িত",
                    "তারিখ",
                    "date",
                    "৫",
                    5,
                    ladder(
                        [
                            dt.date(2024, 12, 1),
                            dt.date(2024, 12, 15),
                            dt.date(2024, 12, 29),
                            dt.date(2025, 1, 5),
                            dt.date(2025, 1, 12),
                        ],
                        date_slash,
                    ),
                    activity="[৭.১] অনলাইন রিপোর্ট ম্যানেজমেন্ট সফটওয়্যার বাস্তবায়ন",
                ),
                Ind(
                    "8.1.1",
                    "মাইগভ প্ল্যাটফর্মের মাধ্যমে ডিজিটাইজেশনের লক্ষ্যে কর্মশালা আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "৪",
                    4,
                    ladder([2, None, 1, None, None], n_bn),
                    {1: "১"},
                    {1: 1},
                    activity="[৮.১] মাইগভ প্ল্যাটফর্মের ব্যবহার বৃদ্ধি",
                ),
            ],
        )
    ]
    targets, group = level_headers("two-rows", "লক্ষ্যমাত্রা ২০২৪-২০২৫")
    cols = [
        ("serial", ["ক্রম"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        *targets,
        ("q1", [quarter_header]),
        ("evidence", ["প্রমাণক"]),
    ]
    return table_sheet(
        book,
        "ই-গভর্ন্যান্স",
        lines=[
            "ই-গভর্নেন্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৪-২৫",
            "মাঠ (জেলা) পর্যায়ের অফিসের জন্য",
            "জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ",
        ],
        columns=cols,
        groups=[group],
        areas=areas,
        merge_activities=True,
        numbers=False,
    )


def egov_2024_25(directory: Path) -> Case:
    book = new_book()
    w, found, defects = egov_2024_25_sheet(book)
    path = save(book, directory / "coop-egov-2024-25-q1.xlsx", [w])
    return Case(
        "egov-2024-25",
        path,
        [_expected("ই-গভর্ন্যান্স", "egov", "2024-25", 1, "জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ", found, defects)],
    )


def grs_book():
    areas = [
        Area(
            "প্রাতিষ্ঠানিক",
            "২০",
            20,
            [
                Ind(
                    "1.1.1",
                    "অভিযোগ নিষ্পত্তিকৃত",
                    "%",
                    "percent",
                    "১৫",
                    15,
                    ladder([90, 80, 70, 60, None], n_bn, unset=None),
                    {3: "৮৫"},
                    {3: 85},
                    activity="[১.১] নির্দিষ্ট সময়ে জিআরএস সিস্টেম, অফলাইন ও অন্যান্য মাধ্যমে প্রাপ্ত অভিযোগ নিষ্পত্তি",
                ),
                Ind(
                    "1.1.1.1",
                    "স্টেকহোল্ডারের সমন্বয়ে সভা আয়োজিত",
                    "সংখ্যা",
                    "number",
                    None,
                    None,
                    ladder([1, None, None, None, None], n_bn),
                    activity="[১.১.১] যদি কোনো অভিযোগ পাওয়া না যায়, স্টেকহোল্ডারের সমন্বয়ে সভা আয়োজন",
                    defects=[({"missing-weight"}, "weight")],
                ),
                Ind(
                    "1.2.1",
                    "প্রতিবেদন প্রেরিত",
                    "সংখ্যা",
                    "number",
                    "০৫",
                    5,
                    ladder([5, 4, 3, 2, 1], n_bn),
                    {3: "৩"},
                    {3: 3},
                    activity="[১.২] অভিযোগ নিষ্পত্তি সংক্রান্ত মাসিক প্রতিবেদন ত্রৈমাসিক ভিত্তিতে প্রেরণ",
                ),
            ],
        ),
        Area(
            "সক্ষমতা অর্জন",
            "০৫",
            5,
            [
                Ind(
                    "2.1.1",
                    "প্রশিক্ষণ/কর্মশালা/সেমিনার আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "৫",
                    5,
                    ladder([1, None, None, None, None], n_bn, unset=None),
                    {3: "০"},
                    {3: 0},
                    activity="[২.১] অভিযোগ প্রতিকার ব্যবস্থা বিষয়ক প্রশিক্ষণ আয়োজন",
                ),
            ],
        ),
    ]
    targets, group = level_headers("two-rows", "লক্ষ্যমাত্রা ২০২৩-২০২৪")
    cols = [
        ("area", ["কার্যক্রমের ক্ষেত্র"]),
        ("area_weight", ["মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        *targets,
        ("q3", ["অর্জন (জানুয়ারি-মার্চ ২০২৪)"]),
        ("remarks", ["মন্তব্য"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "জিআরএস",
        lines=[
            "পরিকল্পনা মন্ত্রণালয়",
            "পরিকল্পনা বিভাগ",
            "অভিযোগ প্রতিকার ব্যবস্থা সংক্রান্ত কর্মপরিকল্পনা ২০২৩-২৪: ৩য় ত্রৈমাসিক অগ্রগতি",
        ],
        columns=cols,
        groups=[group],
        areas=areas,
    )
    expected = _expected("জিআরএস", "grs", "2023-24", 3, "পরিকল্পনা বিভাগ", found, defects)
    return book, w, expected


def grs_2023_24(directory: Path) -> Case:
    book, w, expected = grs_book()
    return Case(
        "grs-2023-24", save(book, directory / "plandiv-grs-2023-24-q3.xlsx", [w]), [expected]
    )


def grs_2023_24_ods(directory: Path) -> Case:
    book, _w, expected = grs_book()
    return Case(
        "grs-2023-24-ods", to_ods(book, directory / "plandiv-grs-2023-24-q3.ods"), [expected]
    )


def citizen_charter_english(directory: Path) -> Case:
    """A citizen's charter plan in English with the four quarters side by side."""
    areas = [
        Area(
            "Institutional",
            18,
            18,
            [
                Ind(
                    "1.1.1",
                    "Citizen's charter updated",
                    "Number",
                    "number",
                    10,
                    10,
                    ladder([4, 3, 2, 1, None], n_plain),
                    {1: 1, 2: 1, 3: 1},
                    {1: 1, 2: 1, 3: 1},
                    activity="[1.1] Update the citizen's charter quarterly",
                    code_cell="[1.1.1]",
                ),
                Ind(
                    "1.2.1",
                    "Agencies' charters monitored",
                    "Number",
                    "number",
                    8,
                    8,
                    ladder([4, 3, 2, 1, None], n_plain),
                    {1: 1, 2: 0, 3: 1},
                    {1: 1, 2: 0, 3: 1},
                    activity="[1.2] Monitor agencies' charters",
                    code_cell="[1.2.1]",
                ),
            ],
        ),
        Area(
            "Capacity building",
            7,
            7,
            [
                Ind(
                    "2.1.1",
                    "Training held",
                    "Number",
                    "number",
                    7,
                    7,
                    ladder([1, None, None, None, None], n_plain),
                    {1: 0, 2: 1},
                    {1: 0, 2: 1},
                    activity="[2.1] Training on the citizen's charter",
                    code_cell="[2.1.1]",
                ),
            ],
        ),
    ]
    targets, group = level_headers("en", "Target 2023-24")
    cols = [
        ("area", ["Area"]),
        ("area_weight", ["Weight"]),
        ("activity", ["Activity"]),
        ("indicator", ["Performance indicator"]),
        ("unit", ["Unit"]),
        ("weight", ["Indicator weight"]),
        *targets,
        ("q1", [None, "Q1"]),
        ("q2", [None, "Q2"]),
        ("q3", [None, "Q3"]),
        ("q4", [None, "Q4"]),
        ("remarks", ["Remarks"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "Citizen's Charter",
        lines=[
            "Information and Communication Technology Division",
            "Citizen's Charter Action Plan 2023-24: quarterly progress",
        ],
        columns=cols,
        groups=[group, ("q1", "q4", 0, "Achievement 2023-24")],
        areas=areas,
        numbers=False,
    )
    path = save(book, directory / "ictd-citizen-charter-2023-24-en.xlsx", [w])
    return Case(
        "citizen-charter-en",
        path,
        [
            _expected(
                "Citizen's Charter",
                "citizen_charter",
                "2023-24",
                3,
                "Information and Communication Technology Division",
                found,
                defects,
            )
        ],
    )


def rti_2024_25(directory: Path) -> Case:
    """The right to information plan: two `প্রকৃত অর্জন` columns before the targets, `dd-mm-yyyy`
    dates, the second quarter's achievement by months, a text answer."""
    areas = [
        Area(
            "প্রাতিষ্ঠানিক",
            "০৬",
            6,
            [
                Ind(
                    "1.1.1",
                    "নির্ধারিত সময়ের মধ্যে তথ্য প্রাপ্তির আবেদন নিষ্পত্তি",
                    "%",
                    "percent",
                    "০৬",
                    6,
                    ladder([100, 90, 80, None, None], pct_text),
                    {2: "১০০%"},
                    {2: 100},
                    activity="[১.১] তথ্য অধিকার আইন অনুযায়ী নির্ধারিত সময়ের মধ্যে তথ্য প্রাপ্তির আবেদন নিষ্পত্তি",
                ),
            ],
        ),
        Area(
            "সক্ষমতা বৃদ্ধি",
            "১৯",
            19,
            [
                Ind(
                    "2.1.1",
                    "নির্ধারিত সময়ে বার্ষিক প্রতিবেদন প্রকাশিত",
                    "তারিখ",
                    "date",
                    "০৭",
                    7,
                    ladder(
                        [
                            dt.date(2024, 10, 15),
                            dt.date(2024, 10, 31),
                            dt.date(2024, 11, 30),
                            None,
                            None,
                        ],
                        date_dash,
                    ),
                    {2: "২০-১০-২০২৪ (ওয়েবসাইটে প্রকাশিত)"},
                    {2: dt.date(2024, 10, 20)},
                    activity="[২.১] বার্ষিক প্রতিবেদন প্রকাশ",
                ),
                Ind(
                    "2.2.1",
                    "প্রচার কার্যক্রম সম্পন্ন",
                    "সংখ্যা",
                    "number",
                    "০৬",
                    6,
                    ladder([3, 2, 1, None, None], n_bn),
                    {2: "০১"},
                    {2: 1},
                    activity="[২.২] জনসচেতনতা বৃদ্ধিকরণ",
                ),
                Ind(
                    "2.3.1",
                    "প্রশিক্ষণ আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "০৬",
                    6,
                    ladder([2, 1, None, None, None], n_bn),
                    {2: "কার্যক্রম চলমান রয়েছে"},
                    {2: None},
                    activity="[২.৩] কর্মকর্তাদের প্রশিক্ষণ আয়োজন",
                    status_only=True,
                ),
            ],
        ),
    ]
    targets, group = level_headers("two-rows", "লক্ষ্যমাত্রা ২০২৪-২০২৫")
    cols = [
        ("area", ["কর্মসম্পাদনের ক্ষেত্র"]),
        ("area_weight", ["মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        ("prior1", ["প্রকৃত অর্জন ২০২২-২৩"]),
        ("prior2", ["প্রকৃত অর্জন ২০২৩-২৪"]),
        *targets,
        ("q2", ["অর্জন (অক্টোবর-ডিসেম্বর ২০২৪)"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "তথ্য অধিকার",
        lines=["তথ্য অধিকার বিষয়ে ২০২৪-২৫ অর্থবছরের বার্ষিক কর্মপরিকল্পনা", "দপ্তরের নাম: রপ্তানি উন্নয়ন ব্যুরো"],
        columns=cols,
        groups=[group],
        areas=areas,
    )
    path = save(book, directory / "epb-rti-2024-25-q2.xlsx", [w])
    return Case(
        "rti-2024-25",
        path,
        [_expected("তথ্য অধিকার", "rti", "2024-25", 2, "রপ্তানি উন্নয়ন ব্যুরো", found, defects)],
    )


def egov_annual_english(directory: Path) -> Case:
    """An e-governance plan's annual evaluation in English: `Annual achievement`, a wrong year
    in a target date, an indicator not reported (0 at year end)."""
    areas = [
        Area(
            "[1] Strengthening e-governance",
            16,
            16,
            [
                Ind(
                    "1.1.1",
                    "Innovative idea implemented",
                    "Date",
                    "date",
                    10,
                    10,
                    ladder(
                        [
                            dt.date(2024, 5, 16),
                            dt.date(2024, 5, 23),
                            dt.date(2024, 5, 30),
                            dt.date(2024, 6, 6),
                            dt.date(2024, 6, 13),
                        ],
                        date_ascii,
                    ),
                    {"todate": "20/05/2024"},
                    {"todate": dt.date(2024, 5, 20)},
                    activity="[1.1] Innovation",
                    code_cell="[1.1.1]",
                ),
                Ind(
                    "1.2.1",
                    "Notes disposed in e-file",
                    "%",
                    "percent",
                    6,
                    6,
                    ladder([85, 80, 75, 70, 60], lambda x: f"{x}%"),
                    {"todate": "94.63%"},
                    {"todate": 94.63},
                    activity="[1.2] e-file",
                    code_cell="[1.2.1]",
                ),
            ],
        ),
        Area(
            "[2] Institutional capacity",
            5,
            5,
            [
                Ind(
                    "2.1.1",
                    "Trainings held",
                    "Number",
                    "number",
                    3,
                    3,
                    ladder([2, 1, None, None, None], n_plain),
                    activity="[2.1] Training",
                    code_cell="[2.1.1]",
                ),
                Ind(
                    "2.2.1",
                    "Half-yearly review held",
                    "Date",
                    "date",
                    2,
                    2,
                    (
                        ["31/01/2024", "11/02/2022", "-", "-", "-"],
                        [dt.date(2024, 1, 31), dt.date(2024, 2, 11), None, None, None],
                    ),
                    {"todate": "31/01/2024"},
                    {"todate": dt.date(2024, 1, 31)},
                    activity="[2.2] Review",
                    code_cell="[2.2.1]",
                    defects=[({"date-year-corrected"}, "t90")],
                ),
            ],
        ),
    ]
    targets, group = level_headers("en", "Target 2023-2024")
    cols = [
        ("serial", ["Sl."]),
        ("area", ["Area of performance"]),
        ("area_weight", ["Weight"]),
        ("activity", ["Activity"]),
        ("indicator", ["Performance indicator"]),
        ("unit", ["Unit"]),
        ("weight", ["Weight of indicator"]),
        *targets,
        ("todate", ["Annual achievement"]),
        ("evidence", ["Evidence"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "e-Gov",
        lines=[
            "Planning Division",
            "e-Governance and Innovation Action Plan 2023-24: annual evaluation report",
        ],
        columns=cols,
        groups=[group],
        areas=areas,
        numbers=False,
    )
    path = save(book, directory / "plandiv-egov-2023-24-annual-en.xlsx", [w])
    return Case(
        "egov-annual-en",
        path,
        [
            _expected(
                "e-Gov", "egov", "2023-24", 4, "Planning Division", found, defects, year_end=True
            )
        ],
    )


def egov_q2_with_to_date(directory: Path) -> Case:
    """Seed 002's e-governance progress report: the second quarter's column beside a column to
    date (July-December), dates in cells formatted with a Bengali locale code, a wrapped
    indicator name continued on the row below, a wrong year in a target date."""
    locale_date = lambda d: (d, "[$-5000445]dd/mm/yyyy")  # noqa: E731
    areas = [
        Area(
            "[১] ই-গভর্ন্যান্স ও উদ্ভাবন সংক্রান্ত কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
            "২২",
            22,
            [
                Ind(
                    "1.2.1",
                    "মন্ত্রণালয়/বিভাগ কর্তৃক ন্যূনতম একটি উদ্ভাবনী ধারণা বাস্তবায়িত",
                    "তারিখ",
                    "date",
                    "১০",
                    10,
                    ladder(
                        [
                            dt.date(2024, 5, 16),
                            dt.date(2024, 5, 23),
                            dt.date(2024, 5, 30),
                            dt.date(2024, 6, 6),
                            dt.date(2024, 6, 15),
                        ],
                        locale_date,
                    ),
                    {2: "-", "todate": "-"},
                    {},
                    activity="[১.২] উদ্ভাবনী ধারণা বাস্তবায়ন",
                ),
                Ind(
                    "1.4.1",
                    "ই-ফাইলে নোট নিষ্পত্তিকৃত",
                    "%",
                    "percent",
                    "৬",
                    6,
                    ladder([85, 80, 75, 70, 60], pct_text),
                    {2: "৯৪.৬৩%", "todate": "৯২.১%"},
                    {"todate": 92.1},
                    activity="[১.৪] ই-নথির ব্যবহার বৃদ্ধি",
                ),
                Ind(
                    "1.5.1",
                    "স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মশালা/সভা/সেমিনার আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "৬",
                    6,
                    ladder([4, 3, 2, 1, None], n_bn),
                    {2: "১", "todate": "২"},
                    {"todate": 2},
                    activity="[১.৫] স্মার্ট বাংলাদেশ বিনির্মাণ",
                ),
            ],
        ),
        Area(
            "[২] প্রাতিষ্ঠানিক সক্ষমতা বৃদ্ধি",
            "০৯",
            9,
            [
                Ind(
                    "2.2.1",
                    "কর্মপরিকল্পনা বাস্তবায়ন সংক্রান্ত প্রশিক্ষণ আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "৩",
                    3,
                    ladder([2, 1, None, None, None], n_bn),
                    {2: "১", "todate": "২"},
                    {"todate": 2},
                    activity="[২.২] ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা বাস্তবায়ন",
                ),
                Ind(
                    "2.2.2",
                    "দপ্তর/সংস্থার অর্ধবার্ষিক পর্যালোচনা",
                    "তারিখ",
                    "date",
                    "২",
                    2,
                    (
                        ["৩১/০১/২০২৪", "১১/০২/২০২২", "-", "-", "-"],
                        [dt.date(2024, 1, 31), dt.date(2024, 2, 11), None, None, None],
                    ),
                    {2: "-", "todate": "-"},
                    {},
                    activity="[২.২] ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা বাস্তবায়ন",
                    defects=[({"date-year-corrected"}, "t90")],
                ),
                Ind(
                    "2.2.3",
                    "দেশে/বিদেশে বাস্তবায়িত ন্যূনতম একটি উদ্ভাবনী উদ্যোগ পরিদর্শনের আলোকে লার্নিং সেশন আয়োজিত",
                    "তারিখ",
                    "date",
                    "৪",
                    4,
                    ladder(
                        [
                            dt.date(2024, 2, 28),
                            dt.date(2024, 3, 30),
                            dt.date(2024, 4, 30),
                            None,
                            None,
                        ],
                        date_slash,
                    ),
                    activity="[২.২] ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা বাস্তবায়ন",
                ),
            ],
        ),
    ]
    targets = [(k, [None, name]) for k, name in zip(TARGET_KEYS, LEVEL_NAMES, strict=True)]
    cols = [
        ("serial", ["ক্র.সং."]),
        ("area", ["কর্মসম্পাদন ক্ষেত্র"]),
        ("area_weight", ["মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        *targets,
        ("q2", ["২য় ত্রৈমাসিক (অক্টোবর-ডিসেম্বর/২৩) অর্জন"]),
        ("todate", ["মোট অর্জন (জুলাই-ডিসেম্বর/২৩)"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "২য় ত্রৈমাসিক",
        lines=[
            "পরিকল্পনা বিভাগ",
            "পরিকল্পনা বিভাগের ২০২৩-২০২৪ অর্থবছরের ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা সংক্রান্ত ২য় ত্রৈমাসিক (অক্টোবর-ডিসেম্বর/২৩) বাস্তবায়ন অগ্রগতি প্রতিবেদন",
        ],
        columns=cols,
        groups=[(TARGET_KEYS[0], TARGET_KEYS[-1], 0, "লক্ষ্যমাত্রা ২০২৩-২০২৪")],
        areas=areas,
    )
    # The third indicator's name wraps onto the row below (a Word table pasted into Excel).
    row = next(f.row for f in found if f.ind.code == "1.5.1") + 1
    w.ws.insert_rows(row)
    w.ws.cell(row, w.col["indicator"], "(স্মার্ট বাংলাদেশ বিষয়ক)")
    for f in found:
        if f.row >= row:
            f.row += 1
    path = save(book, directory / "plandiv-egov-2023-24-q2-to-date.xlsx", [w])
    return Case(
        "egov-q2-to-date",
        path,
        [_expected("২য় ত্রৈমাসিক", "egov", "2023-24", 2, "পরিকল্পনা বিভাগ", found, defects)],
    )


def upazila_apa_2024_25(directory: Path) -> Case:
    """An upazila office's APA: no projections and no calculation method, units written
    with their format (`Date (dd/mm/yyyy)`, `শতকরা হার`), a percent ladder written as plain
    fractions (1, 0.9, ...), dates as `30-Sep-24` text, the header repeated with its numbers."""
    areas = [
        Area(
            "[১] স্থানীয় উন্নয়ন সমন্বয়",
            "১২",
            12,
            [
                Ind(
                    "1.1.1",
                    "উপজেলা উন্নয়ন সমন্বয় সভা অনুষ্ঠিত",
                    "সংখ্যা (টি)",
                    "number",
                    "০৪",
                    4,
                    ladder([12, 11, 10, 9, 8], n_bn),
                    {1: "০৩"},
                    {1: 3},
                    activity="[১.১] সমন্বয় সভা",
                ),
                Ind(
                    "1.2.1",
                    "সভার সিদ্ধান্ত বাস্তবায়িত",
                    "শতকরা হার",
                    "percent",
                    "০৪",
                    4,
                    ladder([100, 90, 80, 70, 60], pct_fraction),
                    {1: 0.95},
                    {1: 95},
                    activity="[১.২] সিদ্ধান্ত বাস্তবায়ন",
                ),
                Ind(
                    "1.3.1",
                    "উন্নয়ন প্রকল্প পরিদর্শন প্রতিবেদন দাখিলকৃত",
                    "Date (dd/mm/yyyy)",
                    "date",
                    "০৪",
                    4,
                    ladder(
                        [
                            dt.date(2024, 9, 30),
                            dt.date(2024, 10, 15),
                            dt.date(2024, 10, 31),
                            None,
                            None,
                        ],
                        lambda d: d.strftime("%d-%b-%y"),
                    ),
                    {1: "25-Sep-24"},
                    {1: dt.date(2024, 9, 25)},
                    activity="[১.৩] প্রকল্প পরিদর্শন",
                ),
            ],
        ),
        Area(
            "[২] জনসেবা",
            "০৮",
            8,
            [
                Ind(
                    "2.1.1",
                    "ভূমি সেবা আবেদন নিষ্পত্তিকৃত",
                    "% (শতাংশ)",
                    "percent",
                    "০৮",
                    8,
                    ladder([95, 90, 85, 80, 75], pct_text),
                    {1: "৮৭%"},
                    {1: 87},
                    activity="[২.১] ভূমি সেবা",
                ),
            ],
        ),
    ]
    targets, group = level_headers("two-rows", "লক্ষ্যমাত্রা/নির্ণায়ক ২০২৪-২৫")
    cols = [
        ("area", ["কর্মসম্পাদনের ক্ষেত্র"]),
        ("area_weight", ["ক্ষেত্রের মান"]),
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        *targets,
        ("q1", ["১ম ত্রৈমাসিকের অর্জন"]),
        ("responsible", ["দায়িত্বপ্রাপ্ত কর্মকর্তা"]),
    ]
    book = new_book()
    w, found, defects = table_sheet(
        book,
        "এপিএ",
        lines=[
            "উপজেলা নির্বাহী অফিসারের কার্যালয়, সোনারগাঁও, নারায়ণগঞ্জ",
            "বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) ২০২৪-২৫",
            "১ম ত্রৈমাসিক অগ্রগতি প্রতিবেদন",
        ],
        columns=cols,
        groups=[group],
        areas=areas,
        page_break_after=3,
    )
    path = save(book, directory / "uno-sonargaon-apa-2024-25-q1.xlsx", [w])
    return Case(
        "upazila-apa-2024-25",
        path,
        [
            _expected(
                "এপিএ",
                "apa",
                "2024-25",
                1,
                "উপজেলা নির্বাহী অফিসারের কার্যালয়, সোনারগাঁও, নারায়ণগঞ্জ",
                found,
                defects,
            )
        ],
    )


CASES = [
    apa_2019_20,
    apa_2020_21,
    apa_2021_22,
    apa_2022_23_english,
    apa_2023_24_annual,
    apa_2023_24_half_year,
    nis_2023_24,
    egov_2024_25,
    grs_2023_24,
    grs_2023_24_ods,
    citizen_charter_english,
    rti_2024_25,
    egov_annual_english,
    egov_q2_with_to_date,
    upazila_apa_2024_25,
]


# ---------------------------------------------------------------- comparing a reading with the corpus


@dataclass
class Check:
    metric: str  # weight, unit, targets, code, achievements, defect, false-error, plan-type,
    #              fiscal-year, quarter, office, raw, plan-score
    ok: bool
    where: str
    detail: str = ""


def _same(found, meant) -> bool:
    if meant is None or found is None:
        return meant is None and found is None
    if isinstance(meant, dt.date):
        return found == meant.isoformat()
    if isinstance(found, str):
        return False
    return math.isclose(float(found), float(meant), rel_tol=1e-6, abs_tol=1e-6)


def _close(found, meant) -> bool:
    if meant is None or found is None:
        return meant is None and found is None
    return math.isclose(float(found), float(meant), rel_tol=1e-6, abs_tol=1e-4)


def meant_targets(ind: Ind) -> list:
    targets = ind.targets[1]
    if all(t is None for t in targets) and ind.annual_meant is not None:
        return [ind.annual_meant, None, None, None, None]
    return list(targets)


def compare(case: Case, document: dict) -> list[Check]:
    """Every fact of the case's sheets against `loaders check --json`'s document of it."""
    checks: list[Check] = []
    plans = {p["sheet"]: p for p in document["plans"]}
    issues = document["issues"]
    expected_at = set()
    for sheet in case.sheets:
        plan = plans.get(sheet.sheet)
        where = f"{case.name}/{sheet.sheet}"
        if plan is None:
            checks.append(Check("plan-type", False, where, "no plan read"))
            checks.append(Check("fiscal-year", False, where, "no plan read"))
            checks += [
                Check(m, False, where, "no plan read")
                for m in ("weight", "unit", "targets")
                for _ in sheet.found
            ]
            continue
        checks.append(
            Check(
                "plan-type",
                plan["plan_type"] == sheet.plan_type,
                where,
                f"{plan['plan_type']} != {sheet.plan_type}",
            )
        )
        checks.append(
            Check(
                "fiscal-year",
                plan["fiscal_year"] == sheet.fiscal_year,
                where,
                f"{plan['fiscal_year']} != {sheet.fiscal_year}",
            )
        )
        checks.append(
            Check(
                "quarter",
                plan["quarter"] == sheet.quarter,
                where,
                f"{plan['quarter']} != {sheet.quarter}",
            )
        )
        checks.append(
            Check(
                "office",
                plan["office_as_written"] == sheet.office,
                where,
                f"{plan['office_as_written']!r} != {sheet.office!r}",
            )
        )
        rows = {i["row"]: i for i in plan["indicators"] + plan["governance"]}
        indicator_rows = {f.row for f in sheet.found}
        extra = sorted(set(rows) - indicator_rows)
        checks.append(
            Check(
                "indicator-rows",
                not extra,
                where,
                f"rows read as indicators that are none: {extra}",
            )
        )
        for f in sheet.found:
            ind = f.ind
            at = f"{where}!{f.row} {ind.code}"
            got = rows.get(f.row)
            if got is None:
                checks += [
                    Check(m, False, at, "indicator not read")
                    for m in ("weight", "unit", "targets", "code")
                ]
                continue
            checks.append(
                Check("code", got["code"] == ind.code, at, f"{got['code']} != {ind.code}")
            )
            checks.append(
                Check(
                    "weight",
                    _same(got["weight"], ind.weight),
                    at,
                    f"{got['weight']} != {ind.weight}",
                )
            )
            checks.append(
                Check("unit", got["unit"] == ind.kind, at, f"{got['unit']} != {ind.kind}")
            )
            targets = [got["targets"][str(level)] for level in LEVELS]
            meant = meant_targets(ind)
            checks.append(
                Check(
                    "targets",
                    all(_same(a, b) for a, b in zip(targets, meant, strict=True)),
                    at,
                    f"{targets} != {meant}",
                )
            )
            achieved = {}
            for key, value in ind.meant.items():
                achieved[str(sheet.quarter if key == "todate" else key)] = value
            found_ach = got["achievements"]
            ok = set(found_ach) == set(achieved) and all(
                _same(found_ach[k], v) for k, v in achieved.items()
            )
            if "todate" in ind.meant:
                ok = ok and got["achievements_to_date"]
            checks.append(
                Check(
                    "achievements",
                    ok,
                    at,
                    f"{found_ach} (to date {got['achievements_to_date']}) != {achieved}",
                )
            )
            if not ind.status_only:
                raw = oracle_indicator(ind, sheet.quarter, sheet.year_end)
                if raw is not None or ind.meant or ind.needs_correction or sheet.year_end:
                    checks.append(
                        Check(
                            "raw", _close(got["raw_score"], raw), at, f"{got['raw_score']} != {raw}"
                        )
                    )
            checks.append(
                Check(
                    "needs-correction",
                    (not got["scorable"] and got["needs_correction"] is not None)
                    == ind.needs_correction,
                    at,
                    f"scorable={got['scorable']} needs_correction={got['needs_correction']}",
                )
            )
        if sheet.plan_score:
            score, _percent = oracle_plan(sheet)
            checks.append(
                Check(
                    "plan-score",
                    _close(plan["score"] or 0.0, score),
                    where,
                    f"{plan['score']} != {score}",
                )
            )
        for codes, row, column in sheet.defects:
            hits = [
                i
                for i in issues
                if i["sheet"] == sheet.sheet and i["row"] == row and i["code"] in codes
            ]
            expected_at.add((sheet.sheet, row))
            checks.append(
                Check(
                    "defect", bool(hits), f"{where}!{row}", f"expected {sorted(codes)} at row {row}"
                )
            )
            if hits and column is not None:
                checks.append(
                    Check(
                        "defect-column",
                        any(i["column"] == column for i in hits),
                        f"{where}!{row}",
                        f"{[i['column'] for i in hits]} != {column}",
                    )
                )
    for issue in issues:
        if issue["severity"] != "error":
            continue
        if (issue["sheet"], issue["row"]) in expected_at:
            continue
        checks.append(
            Check(
                "false-error",
                False,
                f"{case.name}/{issue['sheet']}!{issue['row']}",
                f"{issue['code']} {issue['column']} {issue['value']!r}",
            )
        )
    return checks


def check_case(case: Case, engine=None) -> list[Check]:
    from loaders.pipeline import check_file
    from loaders.report import to_json

    return compare(case, to_json(check_file(case.path, engine=engine)))


GROUPS = {
    "weights, units and targets read right": ("weight", "unit", "targets"),
    "defects reported at their rows": ("defect",),
    "plan type and fiscal year right": ("plan-type", "fiscal-year"),
    "raw and plan scores equal to the oracle": ("raw", "plan-score"),
    "codes, achievements, quarters, offices": ("code", "achievements", "quarter", "office"),
}


def measure(directory: Path) -> dict[str, tuple[int, int]]:
    """Accuracy over the corpus: {group: (right, total)}; prints every miss."""
    totals = {}
    misses = []
    for make in CASES:
        case = make(directory)
        for check in check_case(case):
            totals.setdefault(check.metric, [0, 0])
            totals[check.metric][1] += 1
            totals[check.metric][0] += check.ok
            if not check.ok:
                misses.append(check)
    for check in misses:
        print(f"MISS {check.metric:16} {check.where}: {check.detail}")
    out = {}
    for name, metrics in GROUPS.items():
        right = sum(totals.get(m, [0, 0])[0] for m in metrics)
        total = sum(totals.get(m, [0, 0])[1] for m in metrics)
        out[name] = (right, total)
        print(f"{name}: {right}/{total} = {100 * right / max(total, 1):.1f}%")
    false_errors = sum(1 for c in misses if c.metric == "false-error")
    print(f"errors reported where the corpus has none: {false_errors}")
    return out


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        measure(Path(tmp))
