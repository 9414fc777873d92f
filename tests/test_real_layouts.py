"""Real ministries' and offices' layouts (tests/real_layouts.py): each workbook of the corpus
read by `loaders check` as its layout means it (plan type, fiscal year, quarter, office,
every indicator's code, weight, unit, five targets and achievements, each defect at its row
and column, no error where there is none), and scored as an independent implementation of
../shared/docs/scoring.md scores it; crafted scoring cases against the same oracle; the
governance part counted once in the composite of an imported workbook."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from data.models import Office, OfficeScore, Plan
from data.scope import EVERYTHING
from loaders.pipeline import check_file, import_file
from loaders.report import to_json
from scoring import Rules, score_rows
from scoring.rules import APA_MARKS
from tests import real_layouts as corpus
from tests.real_layouts import LEVELS, Area, Ind, fy_date, ladder, n_bn, oracle_raw, pct_text


@pytest.mark.parametrize("make", corpus.CASES, ids=[make.__name__ for make in corpus.CASES])
def test_each_layout_reads_and_scores_as_meant(tmp_path, make):
    case = make(tmp_path)
    misses = [c for c in corpus.check_case(case) if not c.ok]
    assert not misses, "\n".join(f"{c.metric}: {c.where}: {c.detail}" for c in misses)


# The office each sheet names, as the master data holds it (matched at import).
OFFICES = {
    "apa-2019-20": "স্থানীয় সরকার বিভাগ",
    "apa-2020-21": "বাংলাদেশ চা বোর্ড",
    "apa-2021-22": "ভূমি মন্ত্রণালয়",
    "apa-2022-23-en": "বাণিজ্য মন্ত্রণালয়",
    "apa-2023-24-half-year": "জাতীয় ভোক্তা অধিকার সংরক্ষণ অধিদপ্তর",
    "nis-2023-24": "বাণিজ্য মন্ত্রণালয়",
    "grs-2023-24": "পরিকল্পনা বিভাগ",
    "citizen-charter-en": "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ",
    "rti-2024-25": "রপ্তানি উন্নয়ন ব্যুরো",
    "egov-annual-en": "পরিকল্পনা বিভাগ",
    "egov-q2-to-date": "পরিকল্পনা বিভাগ",
}


@pytest.mark.parametrize("name", sorted(OFFICES))
def test_the_office_named_is_matched_and_the_scores_hold(master, tmp_path, name):
    make = next(m for m in corpus.CASES if m(tmp_path).name == name)
    case = make(tmp_path)
    checked = check_file(case.path, engine=master)
    (plan,) = checked.plans
    assert plan.office is not None and plan.office.name_bn == OFFICES[name], plan.office
    assert plan.importable, [i.code for i in plan.refusals]
    misses = [c for c in corpus.compare(case, to_json(checked)) if not c.ok]
    assert not misses, "\n".join(f"{c.metric}: {c.where}: {c.detail}" for c in misses)


# ---------------------------------------------------------------- the composite, counted once


def _one_office_workbook(tmp_path):
    """The Commerce Ministry's first quarter: its APA (own part and governance rows with marks)
    and three of its five action plans on sheets of one workbook; the citizen's charter and
    right to information marks come from the APA's rows."""
    book = corpus.new_book()
    d = lambda m, day: fy_date(2023, m, day)  # noqa: E731
    own = [
        Area(
            "[১] রপ্তানি বাণিজ্য সম্প্রসারণ",
            "৪০",
            40,
            [
                Ind(
                    "1.1.1",
                    "রপ্তানি নীতি প্রণীত",
                    "তারিখ",
                    "date",
                    "২০",
                    20,
                    ladder([d(12, 30), d(1, 6), d(1, 13), d(1, 20), d(1, 27)], corpus.date_dot),
                    {1: d(9, 20)},
                    {1: d(9, 20)},
                    activity="[১.১] রপ্তানি নীতি",
                ),
                Ind(
                    "1.2.1",
                    "সফর আয়োজিত",
                    "সংখ্যা",
                    "number",
                    "২০",
                    20,
                    ladder([12, 10, 8, 6, 4], n_bn),
                    {1: "০৯"},
                    {1: 9},
                    activity="[১.২] সফর",
                ),
            ],
        ),
        Area(
            "[২] বাজার ব্যবস্থাপনা",
            "৩০",
            30,
            [
                Ind(
                    "2.1.1",
                    "বাজার মনিটরিং সম্পন্ন",
                    "%",
                    "percent",
                    "৩০",
                    30,
                    ladder([95, 90, 85, 80, 75], corpus.pct_cell),
                    {1: (0.92, "0%")},
                    {1: 92},
                    activity="[২.১] বাজার মনিটরিং",
                ),
            ],
        ),
    ]
    governance = corpus.governance_area(
        {
            "nis": ("২.৫", 2.5),
            "egov": (2, 2),
            "grs": ("১", 1),
            "citizen_charter": ("০.৬", 0.6),
            "rti": ("২.৮", 2.8),
        },
        1,
    )
    cols, groups = corpus.apa_columns("২০২৩-২৪", ("২০২১-২২", "২০২২-২৩"), ("২০২৪-২৫", "২০২৫-২৬"))
    cols.append(("q1", ["১ম প্রান্তিকে অর্জন (জুলাই-সেপ্টেম্বর ২০২৩)"]))
    w1, apa_found, _apa_defects = corpus.table_sheet(
        book,
        "এপিএ",
        lines=[
            "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার",
            "বাণিজ্য মন্ত্রণালয়",
            "বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) ২০২৩-২৪: ১ম ত্রৈমাসিক",
        ],
        columns=cols,
        groups=groups,
        areas=own,
        governance=governance,
    )

    def nis(code, name, weight, annual, quarters, achieved):
        return Ind(
            code,
            name,
            "সংখ্যা",
            "number",
            corpus.bn(weight),
            weight,
            ([None] * 5, [None] * 5),
            {1: achieved[0]},
            {1: achieved[1]},
            activity=name,
            annual=annual[0],
            annual_meant=annual[1],
            quarter_targets=dict(enumerate(quarters, start=1)),
        )

    w2, nis_found, _ = corpus.nis_sheet(
        book,
        "শুদ্ধাচার",
        lines=["জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা, ২০২৩-২০২৪"],
        fy_label="২০২৩-২০২৪",
        sections=[
            (
                "১. প্রাতিষ্ঠানিক ব্যবস্থা ৫০",
                [
                    nis("1.1", "নৈতিকতা কমিটির সভা আয়োজন", 25, ("০৪", 4), [("০১", 1)] * 4, ("০১", 1)),
                    nis(
                        "1.2",
                        "প্রশিক্ষণ আয়োজন",
                        25,
                        ("০২", 2),
                        [("--", None), ("০১", 1), ("--", None), ("০১", 1)],
                        ("০১", 1),
                    ),
                ],
            )
        ],
        repeat_after_section=None,
    )
    targets, group = corpus.level_headers("two-rows", "লক্ষ্যমাত্রা ২০২৩-২০২৪")
    plain = [
        ("activity", ["কার্যক্রম"]),
        ("indicator", ["কর্মসম্পাদন সূচক"]),
        ("unit", ["একক"]),
        ("weight", ["কর্মসম্পাদন সূচকের মান"]),
        *targets,
        ("q1", ["১ম ত্রৈমাসিক অর্জন"]),
    ]
    w3, egov_found, _ = corpus.table_sheet(
        book,
        "ই-গভর্ন্যান্স",
        lines=["ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৩-২৪"],
        columns=plain,
        groups=[group],
        areas=[
            Area(
                "",
                None,
                None,
                [
                    Ind(
                        "1.1.1",
                        "ই-ফাইলে নোট নিষ্পত্তিকৃত",
                        "%",
                        "percent",
                        "৩০",
                        30,
                        ladder([85, 80, 75, 70, 60], pct_text),
                        {1: "৮২%"},
                        {1: 82},
                        activity="[১.১] ই-নথি",
                    ),
                    Ind(
                        "2.1.1",
                        "তথ্য বাতায়ন হালনাগাদকৃত",
                        "সংখ্যা",
                        "number",
                        "২০",
                        20,
                        ladder([4, 3, 2, 1, None], n_bn),
                        {1: "১"},
                        {1: 1},
                        activity="[২.১] তথ্য বাতায়ন",
                    ),
                ],
            )
        ],
    )
    w4, grs_found, _ = corpus.table_sheet(
        book,
        "অভিযোগ প্রতিকার",
        lines=["অভিযোগ প্রতিকার ব্যবস্থা সংক্রান্ত কর্মপরিকল্পনা ২০২৩-২৪"],
        columns=plain,
        groups=[group],
        areas=[
            Area(
                "",
                None,
                None,
                [
                    Ind(
                        "1.1.1",
                        "অভিযোগ নিষ্পত্তিকৃত",
                        "%",
                        "percent",
                        "২৫",
                        25,
                        ladder([90, 80, 70, 60, None], n_bn),
                        {1: "৮৫"},
                        {1: 85},
                        activity="[১.১] অভিযোগ নিষ্পত্তি",
                    ),
                ],
            )
        ],
    )
    path = corpus.save(book, tmp_path / "commerce-2023-24-q1-all.xlsx", [w1, w2, w3, w4])
    sheets = {
        "apa": corpus.Expected("এপিএ", "apa", "2023-24", 1, "বাণিজ্য মন্ত্রণালয়", apa_found),
        "nis": corpus.Expected("শুদ্ধাচার", "nis", "2023-24", 1, None, nis_found),
        "egov": corpus.Expected("ই-গভর্ন্যান্স", "egov", "2023-24", 1, None, egov_found),
        "grs": corpus.Expected("অভিযোগ প্রতিকার", "grs", "2023-24", 1, None, grs_found),
    }
    return corpus.Case("commerce-all", path, list(sheets.values())), sheets


def test_the_composite_counts_the_governance_part_once(master, tmp_path):
    case, sheets = _one_office_workbook(tmp_path)
    misses = [c for c in corpus.check_case(case, master) if not c.ok]
    assert not misses, "\n".join(f"{c.metric}: {c.where}: {c.detail}" for c in misses)
    outcome = import_file(master, case.path, uploaded_by="test", scope=EVERYTHING)
    assert outcome.status == "added", outcome.refusal
    expected = corpus.oracle_composite(
        sheets["apa"], {k: v for k, v in sheets.items() if k != "apa"}, APA_MARKS
    )
    # By hand: own 20 + 20 × 85/100 + 30 × 94/100 = 65.2; NIS (25 × 25 + 25 × 50) / 50 = 37.5 %
    # of 10; e-Gov (30 × 94 + 20 × 70) / 50 = 84.4 % of 10; GRS 95 % of 4; the charter's 0.6 and
    # RTI's 2.8 marks from the APA's rows.
    assert expected == pytest.approx(65.2 + 3.75 + 8.44 + 3.8 + 0.6 + 2.8)
    with master.connect() as connection:
        office = connection.scalar(select(Office.id).where(Office.code == "min:commerce"))
        assert (
            connection.scalar(
                select(Plan.id).where(Plan.office_id == office, Plan.plan_type == "rti")
            )
            is None
        )
        composite = connection.scalar(
            select(OfficeScore.composite).where(
                OfficeScore.office_id == office, OfficeScore.quarter == 1
            )
        )
    assert composite == pytest.approx(expected)


# ---------------------------------------------------------------- crafted scoring cases


def _frame(rows: list[dict]) -> pd.DataFrame:
    out = []
    for row in rows:
        full = {"unit_kind": row["kind"], "weight": row["weight"], "method": row.get("method")}
        for level, target in zip(LEVELS, row["targets"], strict=True):
            full[f"t{level}"] = np.nan if target is None else corpus._n(target)
        for q in range(1, 5):
            value = row["achieved"].get(q)
            full[f"q{q}"] = np.nan
            full[f"a{q}"] = np.nan if value is None else corpus._n(value)
            full[f"s{q}"] = "reported" if value is not None else None
        out.append(full)
    return pd.DataFrame(out)


def _crafted(seed: int) -> dict:
    """One indicator of a random kind, ladder (some levels unset, either direction) and
    quarterly achievements."""
    rng = random.Random(seed)
    kind = rng.choice(["number", "percent", "date"])
    levels = sorted(rng.sample(range(5), rng.choice([1, 2, 3, 5])))
    if kind == "date":
        first = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 120))
        ladder_ = [first + dt.timedelta(days=7 * i) for i in range(5)]
        achieved = {rng.randint(1, 4): first + dt.timedelta(days=rng.randrange(-20, 50))}
    else:
        step = rng.choice([1, 2, 5, 10])
        top = rng.randrange(5 * step, 100 * step, step)
        higher = rng.random() < 0.75
        ladder_ = [top - step * i if higher else top + step * i for i in range(5)]
        achieved = {
            q: round(rng.uniform(0, top * 1.3) / rng.choice([1, 2, 4]), 2)
            for q in range(1, 5)
            if rng.random() < 0.7
        }
    targets = [ladder_[i] if i in levels else None for i in range(5)]
    method = None if kind == "date" else rng.choice([None, "sum", "cumulative", "average"])
    return {
        "kind": kind,
        "weight": float(rng.randint(1, 10)),
        "targets": targets,
        "achieved": achieved,
        "method": method,
    }


@pytest.mark.parametrize("between", ["interpolate", "step"])
def test_crafted_cases_score_as_scoring_md_says(between):
    rows = [_crafted(seed) for seed in range(400)]
    frame = _frame(rows)
    for quarter in (1, 2, 3, 4):
        scored = score_rows(frame, Rules(between_levels=between), dt.date(2023, 7, 1), quarter)
        for i, row in enumerate(rows):
            ind = Ind(
                "1.1.1",
                "",
                "",
                row["kind"],
                row["weight"],
                row["weight"],
                ([None] * 5, row["targets"]),
                meant=dict(row["achieved"].items()),
                method_key=row["method"],
            )
            achieved = corpus.oracle_to_date(ind, quarter)
            raw = oracle_raw(
                row["targets"], achieved, row["kind"] == "date", step=between == "step"
            )
            got = scored["raw_score"].iloc[i]
            assert (raw is None and math.isnan(got)) or (
                raw is not None and got == pytest.approx(raw)
            ), (row, quarter)
            if raw is not None:
                assert scored["weighted_score"].iloc[i] == pytest.approx(row["weight"] * raw / 100)


def test_a_section_3_that_does_not_name_the_apa_is_an_apa(tmp_path):
    """APAMS exports the Section 3 under `সেকশন ৩: কর্মসম্পাদন পরিকল্পনা` alone: no plan name,
    no projections, no calculation method."""
    book = corpus.new_book()
    ws = book.create_sheet("Sheet1")
    for row in [
        ["সেকশন ৩: কর্মসম্পাদন পরিকল্পনা"],
        [],
        [
            "কর্মসম্পাদনের ক্ষেত্র",
            "ক্ষেত্রের মান",
            "কার্যক্রম",
            "কর্মসম্পাদন সূচক",
            "একক",
            "কর্মসম্পাদন সূচকের মান",
            "লক্ষ্যমাত্রা ২০২৩-২৪",
        ],
        [None] * 6 + corpus.LEVEL_NAMES,
        [
            "[১] বাজার",
            "১০",
            "[১.১] তদারকি",
            "[১.১.১] তদারকি সম্পন্ন",
            "সংখ্যা",
            "১০",
            "৫",
            "৪",
            "৩",
            "২",
            "১",
        ],
    ]:
        ws.append(row)
    book.save(tmp_path / "section-3.xlsx")
    (plan,) = to_json(check_file(tmp_path / "section-3.xlsx"))["plans"]
    assert (plan["plan_type"], plan["fiscal_year"]) == ("apa", "2023-24")
