"""The league table: offices ranked by composite score, in the form the Cabinet Division
publishes (domain.md, "What the Cabinet Division publishes"):

    ক্রম | মন্ত্রণালয়/বিভাগ | প্রাপ্ত নম্বর | অবস্থান

Scores to two decimals; offices whose scores are equal to two decimals share a position,
written `৮ম (যৌথভাবে)`, and the next position is not skipped (`৯ম`): a dense ranking.
Beside the published columns: the change since the previous quarter and since the same quarter
a year before, and a summary (average, highest, lowest, how many reach 90 and 80).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd

from data import desk
from data.scope import Scope
from reports.text import LEVEL_HEADINGS, Style
from reports.xlsx import Sheet, workbook

BASES = ("to_date", "projected")
DHAKA = ZoneInfo("Asia/Dhaka")


@dataclass
class League:
    fiscal_year: str
    quarter: int
    level: str
    basis: str
    under: dict | None
    ranked: pd.DataFrame  # office_id, code, name_bn, name_en, score, rank, tied, changes
    unscored: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def summary(self) -> dict:
        scores = self.ranked["score"]
        return {
            "offices": len(scores),
            "average": float(scores.mean()) if len(scores) else None,
            "highest": float(scores.max()) if len(scores) else None,
            "lowest": float(scores.min()) if len(scores) else None,
            "at_least_90": int((scores >= 90).sum()),
            "at_least_80": int((scores >= 80).sum()),
            "unscored": len(self.unscored),
        }


def dense_rank(scores: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(rank, tied) of each score, best first, on the scores as published (two decimals):
    equal scores share a rank and the next rank follows on (1, 2, 2, 3)."""
    shown = scores.round(2)
    rank = shown.rank(method="dense", ascending=False).astype(int)
    tied = rank.map(rank.value_counts()) > 1
    return rank, tied


def rank_offices(frame: pd.DataFrame, basis: str = "to_date") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranked, unscored) from data.desk.league_scores: ranked best first by the composite to
    date (or projected), ties by name; offices without a stored composite apart."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    column = "composite" if basis == "to_date" else "projected_composite"
    frame = frame.copy()
    frame["score"] = pd.to_numeric(frame[column]).astype(float)
    unscored = frame[frame["score"].isna()].reset_index(drop=True)
    ranked = frame[frame["score"].notna()].copy()
    ranked["rank"], ranked["tied"] = dense_rank(ranked["score"])
    ranked = ranked.sort_values(["rank", "name_en", "office_id"]).reset_index(drop=True)
    ranked["serial"] = range(1, len(ranked) + 1)
    ranked["change_prev_q"] = ranked["score"] - pd.to_numeric(ranked[f"{column}_prev_q"])
    ranked["change_last_year"] = ranked["score"] - pd.to_numeric(ranked[f"{column}_last_year"])
    return ranked, unscored


def league(
    engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    level: str = "ministry",
    under: str | int | None = None,
    basis: str = "to_date",
) -> League:
    """The league of `level` offices (under office `under`, a code or id, when given)."""
    parent = None
    if under is not None:
        parent = desk.office_by_code(engine, scope, str(under))
        if parent is None:
            raise LookupError(f"no office {under!r} in scope")
    frame = desk.league_scores(
        engine, scope, fiscal_year, quarter, level, None if parent is None else parent["id"]
    )
    ranked, unscored = rank_offices(frame, basis)
    return League(fiscal_year, quarter, level, basis, parent, ranked, unscored)


def title(result: League, style: Style) -> str:
    kind = style.pick(LEVEL_HEADINGS[result.level])
    where = f"{style.name(result.under)}: " if result.under else ""
    basis = style.pick(("প্রক্ষেপিত", "projected")) if result.basis == "projected" else ""
    if style.bn:
        return (
            f"{where}{style.fiscal_year(result.fiscal_year)} অর্থবছরের {style.quarter(result.quarter)} "
            f"পর্যন্ত {kind}সমূহের বার্ষিক কর্মসম্পাদন চুক্তির {basis + ' ' if basis else ''}"
            "প্রাপ্ত নম্বর ও অবস্থান"
        )
    return (
        f"{where}APA {basis + ' ' if basis else ''}scores and positions of "
        f"{kind.lower()} offices, {style.fiscal_year(result.fiscal_year)} "
        f"to {style.quarter(result.quarter)}"
    )


def headings(level: str, style: Style) -> dict[str, str]:
    return {
        "serial": style.pick(("ক্রম", "No.")),
        "name": style.pick(LEVEL_HEADINGS[level]),
        "score": style.pick(("প্রাপ্ত নম্বর", "Score")),
        "position": style.pick(("অবস্থান", "Position")),
        "change_prev_q": style.pick(
            ("আগের ত্রৈমাসিক থেকে পরিবর্তন", "Change since the previous quarter")
        ),
        "change_last_year": style.pick(
            ("গত বছরের একই ত্রৈমাসিক থেকে পরিবর্তন", "Change since the same quarter last year")
        ),
        "code": style.pick(("কোড", "Code")),
    }


def table(result: League, style: Style, with_code: bool = True) -> pd.DataFrame:
    """The published table: serial, name, score (a number), position (text), the changes."""
    ranked = result.ranked
    labels = headings(result.level, style)
    out = pd.DataFrame(
        {
            labels["serial"]: [style.digits(n) for n in ranked["serial"]],
            labels["name"]: [style.name(row) for row in ranked.to_dict("records")],
            labels["score"]: ranked["score"].round(2).astype(float),
            labels["position"]: [
                style.position(int(r), bool(t))
                for r, t in zip(ranked["rank"], ranked["tied"], strict=True)
            ],
            labels["change_prev_q"]: ranked["change_prev_q"].round(2).astype(float),
            labels["change_last_year"]: ranked["change_last_year"].round(2).astype(float),
        }
    )
    if with_code:
        out[labels["code"]] = ranked["code"].tolist()
    return out


def summary_table(result: League, style: Style) -> pd.DataFrame:
    s = result.summary
    rows = [
        (("মোট", "Offices ranked"), s["offices"]),
        (("গড় নম্বর", "Average"), None if s["average"] is None else round(s["average"], 2)),
        (("সর্বোচ্চ", "Highest"), None if s["highest"] is None else round(s["highest"], 2)),
        (("সর্বনিম্ন", "Lowest"), None if s["lowest"] is None else round(s["lowest"], 2)),
        (("৯০ বা তার বেশি", "90 or more"), s["at_least_90"]),
        (("৮০ বা তার বেশি", "80 or more"), s["at_least_80"]),
        (("নম্বর নেই (পরিকল্পনা নেই)", "Without a score (no plan)"), s["unscored"]),
    ]
    return pd.DataFrame(
        {
            style.pick(("বিষয়", "Item")): [style.pick(label) for label, _ in rows],
            style.pick(("মান", "Value")): [value for _, value in rows],
        }
    )


def to_xlsx(result: League, style: Style) -> bytes:
    """The league as a workbook: the published table (header on the first row, the title
    printed above it), the summary, and what the file shows."""
    made = dt.datetime.now(DHAKA)
    heading = title(result, style)
    about = pd.DataFrame(
        {
            style.pick(("বিষয়", "Item")): [
                style.pick(("শিরোনাম", "Title")),
                style.pick(("অর্থবছর", "Fiscal year")),
                style.pick(("ত্রৈমাসিক", "Quarter")),
                style.pick(("নম্বর", "Score")),
                style.pick(("অবস্থান", "Positions")),
                style.pick(("তৈরি", "Made")),
            ],
            style.pick(("মান", "Value")): [
                heading,
                style.fiscal_year(result.fiscal_year),
                style.quarter(result.quarter),
                style.pick(
                    (
                        "সমন্বিত নম্বর (১০০-এর মধ্যে), এ পর্যন্ত",
                        "Composite score (of 100), to date",
                    )
                    if result.basis == "to_date"
                    else ("প্রক্ষেপিত সমন্বিত নম্বর (বছর শেষে)", "Projected composite (year end)")
                ),
                style.pick(
                    (
                        "দুই দশমিক পর্যন্ত সমান নম্বর একই অবস্থান পায় (যৌথভাবে); পরের অবস্থান বাদ যায় না",
                        "Scores equal to two decimals share a position (joint); the next is not skipped",
                    )
                ),
                style.digits(made.strftime("%d/%m/%Y %H:%M")) + " (Asia/Dhaka)",
            ],
        }
    )
    labels = headings(result.level, style)
    sheets = [
        Sheet(
            style.pick(("অবস্থান", "League")),
            table(result, style),
            heading,
            decimals={
                labels["score"]: 2,
                labels["change_prev_q"]: 2,
                labels["change_last_year"]: 2,
            },
            widths={labels["name"]: 50, labels["position"]: 16},
        ),
        Sheet(style.pick(("সারসংক্ষেপ", "Summary")), summary_table(result, style), heading),
        Sheet(style.pick(("তথ্য", "About")), about, heading, widths={about.columns[1]: 90}),
    ]
    return workbook(sheets, bool(style.bengali_digits))
