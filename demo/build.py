"""`build_demo`: the demo data, step by step.

1. `_check_room`: the database holds no plans yet, and the fiscal year exists;
2. `_offices`: the office tree of the scale (loaded now, or already there from
   `python -m loaders`);
3. `_Offices.write`: for every office a submission, its six plans (areas, activities,
   indicators) and, per quarter, a progress report with made-up progress;
4. `_mark_as_demo`: the demo's facts in app_meta; the demo accounts (data/users.py);
5. the scores (data/scores.py).

Everything is written in one transaction, the rows by data/bulk.py; steps 1-4 are
"generation", step 5 "scoring" in the seconds `build_demo` returns (the rest is the commit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable

from core.terms import QUARTERS
from data.bulk import BulkWriter, bulk_connection
from data.db import analyze, sync_sequences, upgrade
from data.demo_store import fiscal_year as find_fiscal_year
from data.demo_store import holds_plans, office_codes, offices, write_meta
from data.imports import duplicate_key
from data.master import build_office_rows, load_master_data
from data.models import (
    Activity,
    Area,
    Indicator,
    Plan,
    Progress,
    ProgressReport,
    Submission,
    utcnow,
)
from data.users import ensure_demo_users
from demo.catalog import plans_for
from demo.rows import (
    ACTIVITY_COLUMNS,
    AREA_COLUMNS,
    INDICATOR_COLUMNS,
    PROGRESS_COLUMNS,
    PlanRows,
    plan_rows,
    value,
)
from scoring import quarter_end

Progress_ = Callable[[float, str, str], None]

SUBMISSION_COLUMNS = [
    "file_name",
    "sha256",
    "duplicate_key",
    "uploaded_by",
    "uploaded_at",
    "source",
    "office_id",
    "is_demo",
]
PLAN_COLUMNS = [
    "office_id",
    "fiscal_year_id",
    "plan_type",
    "revision",
    "is_current",
    "submission_id",
    "title",
    "sheet_name",
    "total_weight",
    "created_at",
]
REPORT_COLUMNS = [
    "plan_id",
    "office_id",
    "fiscal_year_id",
    "quarter",
    "submission_id",
    "received_at",
    "is_current",
]
# Parents first: a flush writes the tables in this order, so foreign keys hold.
TABLES = {
    Submission: SUBMISSION_COLUMNS,
    Plan: PLAN_COLUMNS,
    Area: AREA_COLUMNS,
    Activity: ACTIVITY_COLUMNS,
    Indicator: INDICATOR_COLUMNS,
    ProgressReport: REPORT_COLUMNS,
    Progress: PROGRESS_COLUMNS,
}


class DemoError(RuntimeError):
    pass


def build_demo(
    engine,
    scale: str = "default",
    fiscal_year: str = "2024-25",
    quarters: int = 2,
    seed: int = 7,
    progress: Progress_ | None = None,
) -> dict:
    """Build the demo into a migrated database that holds no plans yet (an empty one, or one
    with only the master data of this scale). Returns the row counts and the seconds: all,
    `generation_seconds` (steps 1-4) and `scoring_seconds` (step 5, data/scores.py)."""
    if not 0 <= quarters <= 4:
        raise DemoError("quarters must be 0-4")
    started = time.perf_counter()
    say = progress or (lambda _f, _bn, _en: None)
    upgrade(engine)
    with bulk_connection(engine) as connection:
        fy = _check_room(connection, fiscal_year)
        say(0.02, "অফিসের তালিকা তৈরি হচ্ছে…", "Loading the office tree…")
        office_list = _offices(connection, scale)
        now = utcnow()
        writer = BulkWriter(connection, list(TABLES), TABLES)
        _write_offices(_Offices(writer, fy, fiscal_year, quarters, seed, now), office_list, say)
        _mark_as_demo(connection, scale, fiscal_year, quarters, seed, now)
        ensure_demo_users(connection)
        generated = time.perf_counter()
        say(0.8, "নম্বর হিসাব হচ্ছে…", "Computing scores…")
        from data.scores import rebuild_scores

        scores = rebuild_scores(connection)
        scored = time.perf_counter()
        sync_sequences(connection)
    analyze(engine)
    say(1.0, "ডেমো ডেটা তৈরি হয়েছে", "Demo data built")
    counts = dict(writer.counts)
    counts.update({k: v for k, v in scores.items() if k != "seconds"})
    counts["offices"] = len(office_list)
    finished = time.perf_counter()
    counts["seconds"] = round(finished - started, 1)
    counts["generation_seconds"] = round(generated - started, 1)
    counts["scoring_seconds"] = round(scored - generated, 1)
    return counts


def _check_room(connection, label: str):
    """Step 1: no plans yet (a demo is never mixed with imports), and the fiscal year."""
    if holds_plans(connection):
        raise DemoError("the database is not empty (use --force to replace the demo data)")
    fy = find_fiscal_year(connection, label)
    if fy is None:
        raise DemoError(f"unknown fiscal year {label}")
    return fy


def _offices(connection, scale: str) -> list[tuple[int, str]]:
    """Step 2: the master data of the scale: loaded into an empty database, or the offices
    `python -m loaders` loaded already, provided they are that scale's."""
    present = office_codes(connection)
    if not present:
        load_master_data(connection, scale)
    elif present != [row["code"] for row in build_office_rows(scale)]:
        raise DemoError(
            f"the database holds offices other than the {scale} master data "
            "(use --force on a demo database, or an empty one)"
        )
    return offices(connection)


def _write_offices(built: _Offices, office_list: list, say: Progress_) -> None:
    """Step 3 for every office, saying how far it got every 500 offices."""
    for n, (office_id, level) in enumerate(office_list, start=1):
        built.write(office_id, level)
        if n % 500 == 0:
            say(
                0.05 + 0.7 * n / len(office_list),
                f"{n}টি অফিসের পরিকল্পনা তৈরি হয়েছে",
                f"Plans of {n} offices built",
            )
    built.writer.flush()


def _mark_as_demo(connection, scale, fiscal_year, quarters, seed, now) -> None:
    """Step 4: app_meta says what this database holds."""
    write_meta(
        connection,
        {
            "demo": "1",
            "demo_scale": scale,
            "demo_fiscal_year": fiscal_year,
            "demo_quarters": str(quarters),
            "demo_seed": str(seed),
            "demo_built_at": now.isoformat(timespec="seconds"),
        },
    )


class _Offices:
    """Step 3: each office's submission, plans and progress, as rows for the writer."""

    def __init__(self, writer: BulkWriter, fy, label: str, quarters: int, seed: int, now):
        self.writer = writer
        self.fy_id = fy.id
        self.fy_year = fy.start_date.year
        self.label = label
        self.quarters = quarters
        self.seed = seed
        self.rng = random.Random(seed)
        self.ends = [quarter_end(fy.start_date, q) for q in QUARTERS]
        self.templates: dict[int, PlanRows] = {}
        conv = writer.converter
        self.now = {
            "uploaded_at": conv(Submission, "uploaded_at")(now),
            "created_at": conv(Plan, "created_at")(now),
        }
        self.true = conv(Plan, "is_current")(True)
        self.date_form = _cached(conv(Progress, "value_date"))
        self.received_form = _cached(conv(ProgressReport, "received_at"))
        self.models = {m.__tablename__: m for m in TABLES}

    def _convert(self, key: str, raw):
        table, column = key.split(".")
        return self.writer.converter(self.models[table], column)(raw)

    def _template(self, spec) -> PlanRows:
        found = self.templates.get(id(spec))
        if found is None:
            found = plan_rows(spec, self.fy_year - spec.year, self._convert)
            self.templates[id(spec)] = found
        return found

    def write(self, office_id: int, level: str) -> None:
        w = self.writer
        sha = hashlib.sha256(f"demo:{office_id}:{self.label}:{self.seed}".encode()).hexdigest()
        submission_id = w.take_ids(Submission, 1)
        w.rows(Submission).append(
            (
                submission_id,
                f"demo-{office_id}.xlsx",
                sha,
                duplicate_key(sha, [office_id]),
                "demo",
                self.now["uploaded_at"],
                "demo",
                office_id,
                self.true,
            )
        )
        skill = self.rng.betavariate(5, 1.6)  # most offices good, a tail of weak ones
        silent = {q for q in range(1, self.quarters + 1) if self.rng.random() < 0.07}
        for spec in plans_for(level):
            template = self._template(spec)
            plan_id = self._plan(template, office_id, submission_id)
            indicator_ids = self._plan_tables(template, plan_id)
            self._progress(
                template, plan_id, office_id, submission_id, indicator_ids, skill, silent
            )
        w.maybe_flush()

    def _plan(self, template: PlanRows, office_id: int, submission_id: int) -> int:
        plan_id = self.writer.take_ids(Plan, 1)
        spec = template.spec
        self.writer.rows(Plan).append(
            (
                plan_id,
                office_id,
                self.fy_id,
                spec.plan_type,
                1,
                self.true,
                submission_id,
                spec.title,
                spec.plan_type,
                template.total_weight,
                self.now["created_at"],
            )
        )
        return plan_id

    def _plan_tables(self, template: PlanRows, plan_id: int) -> list[int]:
        """The plan's areas, activities and indicators; returns the indicators' ids."""
        w = self.writer
        area0 = w.take_ids(Area, len(template.areas))
        w.rows(Area).extend((area0 + n, plan_id, *row) for n, row in enumerate(template.areas))
        act0 = w.take_ids(Activity, len(template.activities))
        w.rows(Activity).extend(
            (act0 + n, plan_id, area0 + area, *row)
            for n, (area, row) in enumerate(template.activities)
        )
        ind0 = w.take_ids(Indicator, len(template.indicators))
        w.rows(Indicator).extend(
            (ind0 + n, plan_id, area0 + area, act0 + activity, *row)
            for n, (area, activity, row) in enumerate(template.indicators)
        )
        return list(range(ind0, ind0 + len(template.indicators)))

    def _progress(self, template, plan_id, office_id, submission_id, ids, skill, silent):
        """Per quarter a report (late for some) and its indicators' values: a date
        indicator once done stays done."""
        w, rng = self.writer, self.rng
        reports, rows = w.rows(ProgressReport), w.rows(Progress)
        done: set[int] = set()
        for quarter in range(1, self.quarters + 1):
            if quarter in silent:
                continue
            late = rng.random() < 0.12
            delay = rng.randint(11, 40) if late else rng.randint(1, 10)
            received = dt.datetime.combine(
                self.ends[quarter - 1] + dt.timedelta(days=delay), dt.time(11), dt.UTC
            )
            report_id = w.take_ids(ProgressReport, 1)
            reports.append(
                (
                    report_id,
                    plan_id,
                    office_id,
                    self.fy_id,
                    quarter,
                    submission_id,
                    self.received_form(received),
                    self.true,
                )
            )
            quarter_skill = skill * (0.6 if rng.random() < 0.15 else 1.0)
            progress_id = w.next_id[Progress]  # the ids are taken back below, in one go
            for ind in template.scored:
                if ind.position in done:
                    continue
                drawn = value(rng, ind, quarter, self.ends, quarter_skill)
                if drawn is None:
                    continue
                num, day, text, status = drawn
                if day is not None:
                    done.add(ind.position)
                raw = text or (day.strftime("%d/%m/%Y") if day else f"{num:g}")
                rows.append(
                    (
                        progress_id,
                        report_id,
                        ids[ind.position],
                        num,
                        None if day is None else self.date_form(day),
                        text,
                        raw,
                        status,
                    )
                )
                progress_id += 1
            w.take_ids(Progress, progress_id - w.next_id[Progress])


def _cached(convert):
    """A converter that remembers its answers (dates repeat a great deal)."""
    memo: dict = {}

    def cached(raw):
        found = memo.get(raw)
        if found is None:
            found = memo[raw] = convert(raw)
        return found

    return cached
