"""The overdue list (a reminder list): every office that has a current plan but no current
report for the quarter, which of its plans are missing, how many days past the calendar's
due date, and its focal point where known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from data import desk
from data.scope import Scope
from reports.text import LEVEL_HEADINGS, Style
from reports.xlsx import Sheet, workbook

DHAKA = ZoneInfo("Asia/Dhaka")


@dataclass
class Overdue:
    fiscal_year: str
    quarter: int
    due: dt.date | None
    as_of: dt.date
    offices: pd.DataFrame  # one row per office with a missing report (data.desk.reporting_status)
    by_ministry: pd.DataFrame  # per ministry: offices, on time, late, missing

    @property
    def days_overdue(self) -> int | None:
        return None if self.due is None else (self.as_of - self.due).days


def today() -> dt.date:
    return dt.datetime.now(DHAKA).date()


def by_ministry(status: pd.DataFrame) -> pd.DataFrame:
    """Per ministry: offices with plans, and how many reported on time, late or not at all;
    most missing first."""
    columns = ["ministry_id", "ministry_bn", "ministry_en", "offices", "on_time", "late", "missing"]
    if status.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(status["ministry_id"], status["state"])
    for state in ("on_time", "late", "missing"):
        if state not in counts:
            counts[state] = 0
    names = status.groupby("ministry_id")[["ministry_bn", "ministry_en"]].first()
    out = names.join(counts[["on_time", "late", "missing"]]).reset_index()
    out["offices"] = out[["on_time", "late", "missing"]].sum(axis=1)
    out = out.sort_values(["missing", "late", "ministry_id"], ascending=[False, False, True])
    return out[columns].reset_index(drop=True)


def from_status(
    status: pd.DataFrame,
    fiscal_year: str,
    quarter: int,
    due: dt.date | None,
    as_of: dt.date | None = None,
    focal: dict[int, str] | None = None,
) -> Overdue:
    """The overdue list from data.desk.reporting_status (pages pass the cached frame)."""
    as_of = as_of or today()
    missing = status[status["state"] == "missing"].copy() if not status.empty else status.copy()
    missing = missing.sort_values(["ministry_id", "office_id"]).reset_index(drop=True)
    missing["days_overdue"] = None if due is None else max((as_of - due).days, 0)
    focal = focal or {}
    missing["focal_point"] = [focal.get(int(i), "") for i in missing["office_id"]]
    return Overdue(fiscal_year, quarter, due, as_of, missing, by_ministry(status))


def overdue(
    engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    as_of: dt.date | None = None,
    ministry_id: int | None = None,
) -> Overdue:
    status = desk.reporting_status(engine, scope, fiscal_year, quarter, ministry_id)
    due = desk.report_due_date(engine, fiscal_year, quarter)
    missing_ids = (
        status.loc[status["state"] == "missing", "office_id"].tolist() if len(status) else []
    )
    focal = desk.focal_points(engine, scope, missing_ids)
    return from_status(status, fiscal_year, quarter, due, as_of, focal)


def title(result: Overdue, style: Style) -> str:
    if style.bn:
        return (
            f"{style.fiscal_year(result.fiscal_year)} অর্থবছরের {style.quarter(result.quarter)}ের "
            f"অগ্রগতি প্রতিবেদন যারা পাঠায়নি (নির্ধারিত তারিখ {style.date(result.due)}; "
            f"{style.date(result.as_of)} পর্যন্ত)"
        )
    return (
        f"Offices that have not sent their {style.quarter(result.quarter)} "
        f"{style.fiscal_year(result.fiscal_year)} progress report (due {style.date(result.due)}; "
        f"as of {style.date(result.as_of)})"
    )


def table(result: Overdue, style: Style) -> pd.DataFrame:
    """The reminder list as written to the file and shown on the calendar page."""
    rows = result.offices
    return pd.DataFrame(
        {
            style.pick(("ক্রম", "No.")): [style.digits(n) for n in range(1, len(rows) + 1)],
            style.pick(("মন্ত্রণালয়/বিভাগ", "Ministry/division")): [
                style.name(r, "ministry") for r in rows.to_dict("records")
            ],
            style.pick(("অফিস", "Office")): [style.name(r) for r in rows.to_dict("records")],
            style.pick(("স্তর", "Level")): [
                style.pick(LEVEL_HEADINGS.get(level, (level, level))) for level in rows["level"]
            ],
            style.pick(("কোড", "Code")): rows["code"].tolist(),
            style.pick(("পরিকল্পনা", "Plans")): [int(v) for v in rows["plans"]],
            style.pick(("প্রতিবেদন পাওয়া গেছে", "Reported")): [int(v) for v in rows["reported"]],
            style.pick(("যে পরিকল্পনার প্রতিবেদন নেই", "Plans without a report")): [
                ", ".join(style.plan_short(p) for p in str(m).split(",") if p)
                for m in rows["missing_plans"]
            ],
            style.pick(("নির্ধারিত তারিখ", "Due")): [result.due] * len(rows),
            style.pick(("বিলম্ব (দিন)", "Days overdue")): rows["days_overdue"].tolist(),
            style.pick(("ফোকাল পয়েন্ট", "Focal point")): rows["focal_point"].tolist(),
        }
    )


def ministry_table(result: Overdue, style: Style) -> pd.DataFrame:
    rows = result.by_ministry
    return pd.DataFrame(
        {
            style.pick(("মন্ত্রণালয়/বিভাগ", "Ministry/division")): [
                style.name(r, "ministry") for r in rows.to_dict("records")
            ],
            style.pick(("পরিকল্পনাসহ অফিস", "Offices with plans")): rows["offices"].astype(int),
            style.pick(("সময়মতো", "On time")): rows["on_time"].astype(int),
            style.pick(("বিলম্বে", "Late")): rows["late"].astype(int),
            style.pick(("পাঠায়নি", "Not sent")): rows["missing"].astype(int),
        }
    )


def to_xlsx(result: Overdue, style: Style) -> bytes:
    heading = title(result, style)
    return workbook(
        [
            Sheet(
                style.pick(("যারা পাঠায়নি", "Overdue")),
                table(result, style),
                heading,
                widths={style.pick(("অফিস", "Office")): 50},
            ),
            Sheet(
                style.pick(("মন্ত্রণালয়ভিত্তিক", "By ministry")), ministry_table(result, style), heading
            ),
        ],
        bool(style.bengali_digits),
    )
