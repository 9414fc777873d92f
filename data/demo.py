"""Demo data: real offices and real plan tables, with made-up quarterly progress.

    python -m data.demo [--scale default|national] [--fiscal-year 2024-25] [--quarters 2]
                        [--seed 7] [--database-url URL] [--force]

One builder serves the embedded default database, the tests and the benchmarks. Offices come
from the master data (data/master), plans from the catalog of real plan tables
(data/demo_catalog.py). Progress has realistic variety, deterministic by seed: most offices on
track, some behind on particular indicators, some not reporting a quarter, text answers
("কার্যক্রম চলমান রয়েছে"), late reports. Everything is marked as demo (submissions.is_demo,
app_meta demo=1). Rows are written in bulk with pre-assigned ids (Core executemany).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select

from data.db import is_empty, make_engine, sync_sequences, upgrade
from data.demo_catalog import PlanSpec, plans_for
from data.imports import duplicate_key
from data.master import load_master_data
from data.models import (
    Activity,
    AppMeta,
    Area,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Office,
    OfficeScore,
    Plan,
    PlanScore,
    Progress,
    ProgressReport,
    Submission,
    utcnow,
)
from data.users import ensure_demo_users
from scoring import quarter_end

Progress_ = Callable[[float, str, str], None]
IN_PROGRESS = "কার্যক্রম চলমান রয়েছে"
NOT_ACHIEVED = "অর্জিত হয়নি"
CHUNK = 20_000


class DemoError(RuntimeError):
    pass


def _shift(value, years: int):
    """A catalog value for another fiscal year: ISO dates move by whole years."""
    if isinstance(value, str):
        day = dt.date.fromisoformat(value)
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)
    return value


class _Rows:
    """Row lists per table with running ids, flushed in chunks."""

    def __init__(self, connection: Connection, tables: list) -> None:
        self.connection = connection
        self.rows = {t: [] for t in tables}
        self.next_id = {t: (connection.scalar(select(func.max(t.id))) or 0) + 1 for t in tables}
        self.counts = {t.__tablename__: 0 for t in tables}

    def add(self, table, **values) -> int:
        row_id = self.next_id[table]
        self.next_id[table] += 1
        values["id"] = row_id
        self.rows[table].append(values)
        if len(self.rows[table]) >= CHUNK:
            self.flush()  # every table, parents first, so foreign keys hold
        return row_id

    def flush(self) -> None:
        for t in self.rows:
            if self.rows[t]:
                self.connection.execute(insert(t), self.rows[t])
                self.counts[t.__tablename__] += len(self.rows[t])
                self.rows[t] = []


def _plan_rows(rows: _Rows, spec: PlanSpec, plan_id: int, years: int) -> list[dict]:
    """Areas, activities and indicators of one plan; returns the indicators' scoring facts."""
    indicators = []
    order = 0
    for a_order, area in enumerate(spec.areas, start=1):
        area_id = rows.add(
            Area,
            plan_id=plan_id,
            sort_order=a_order,
            code=str(a_order),
            name=area.name,
            weight=area.weight,
            weight_raw=None if area.weight is None else f"{area.weight:g}",
        )
        for act_order, (act_code, act_name, specs) in enumerate(area.activities, start=1):
            activity_id = rows.add(
                Activity,
                plan_id=plan_id,
                area_id=area_id,
                sort_order=act_order,
                code=act_code,
                code_raw=f"[{act_code}]",
                name=act_name,
            )
            for ind in specs:
                order += 1
                targets = [_shift(t, years) for t in ind.targets]
                is_date = ind.unit_kind == "date"
                values = {
                    "plan_id": plan_id,
                    "area_id": area_id,
                    "activity_id": activity_id,
                    "sort_order": order,
                    "code": ind.code,
                    "code_raw": f"[{ind.code}]",
                    "name": ind.name,
                    "unit_label": ind.unit_label,
                    "unit_kind": ind.unit_kind,
                    "weight": ind.weight,
                    "weight_raw": f"{ind.weight:g}",
                    "method": ind.method,
                    "responsible": ind.responsible,
                    "targets_raw": {
                        str(lv): (None if t is None else str(t))
                        for lv, t in zip((100, 90, 80, 70, 60), targets, strict=True)
                    },
                }
                for level, target in zip((100, 90, 80, 70, 60), targets, strict=True):
                    values[f"target_{level}"] = None if is_date else target
                    values[f"target_{level}_date"] = target if is_date else None
                for q, qt in enumerate(ind.quarter_targets, start=1):
                    values[f"q{q}_target"] = _shift(qt, years) if not isinstance(qt, str) else None
                indicator_id = rows.add(Indicator, **values)
                indicators.append(
                    {
                        "id": indicator_id,
                        "kind": ind.unit_kind,
                        "targets": targets,
                        "quarters": ind.quarter_targets,
                        "method": ind.method,
                    }
                )
    return indicators


def _value(rng: random.Random, ind: dict, quarter: int, quarter_ends: list, skill: float):
    """One quarter's achievement for an indicator: (num, date, text, status) or None."""
    best = ind["targets"][0]
    if rng.random() < 0.04:
        return (None, None, IN_PROGRESS, "in_progress")
    if rng.random() < 0.015:
        return (None, None, NOT_ACHIEVED, "not_achieved")
    if ind["kind"] == "date":
        due = best
        # Done around the target: good offices early, weak ones late.
        lateness = int(rng.gauss(-4 if skill > 0.8 else 10, 8))
        done = due + dt.timedelta(days=lateness)
        start = (
            quarter_ends[quarter - 2] if quarter > 1 else quarter_ends[0] - dt.timedelta(days=92)
        )
        if start < done <= quarter_ends[quarter - 1]:
            return (None, done, None, "reported")
        return None  # not done in this quarter
    if ind["kind"] == "percent":
        value = min(100.0, max(0.0, rng.gauss(best * (0.85 + 0.2 * skill), 6)))
        return (round(value, 1), None, None, "reported")
    qt = ind["quarters"][quarter - 1]
    expected = (
        qt
        if isinstance(qt, (int, float))
        else (
            best / 4
            if ind["quarters"][0] is None and all(q is None for q in ind["quarters"])
            else 0
        )
    )
    if not expected:
        return (0.0 if rng.random() < 0.7 else 1.0, None, None, "reported")
    value = max(0.0, round(rng.gauss(expected * (0.6 + 0.5 * skill), max(expected * 0.25, 0.4))))
    return (float(value), None, None, "reported")


def build_demo(
    engine: Engine,
    scale: str = "default",
    fiscal_year: str = "2024-25",
    quarters: int = 2,
    seed: int = 7,
    progress: Progress_ | None = None,
) -> dict:
    """Build the demo into an empty migrated database; returns row counts and seconds."""
    if not 0 <= quarters <= 4:
        raise DemoError("quarters must be 0-4")
    started = time.perf_counter()
    say = progress or (lambda _f, _bn, _en: None)
    upgrade(engine)
    rng = random.Random(seed)
    with engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(Office)):
            raise DemoError("the database is not empty (use --force to replace the demo data)")
        fy = connection.execute(
            select(FiscalYear.id, FiscalYear.start_date).where(FiscalYear.label == fiscal_year)
        ).first()
        if fy is None:
            raise DemoError(f"unknown fiscal year {fiscal_year}")
        say(0.02, "অফিসের তালিকা তৈরি হচ্ছে…", "Loading the office tree…")
        load_master_data(connection, scale)
        offices = connection.execute(select(Office.id, Office.level).order_by(Office.id)).all()
        tables = [Submission, Plan, Area, Activity, Indicator, ProgressReport, Progress]
        rows = _Rows(connection, tables)
        ends = [quarter_end(fy.start_date, q) for q in range(1, 5)]
        now = utcnow()
        for n, (office_id, level) in enumerate(offices, start=1):
            sha = hashlib.sha256(f"demo:{office_id}:{fiscal_year}:{seed}".encode()).hexdigest()
            submission_id = rows.add(
                Submission,
                file_name=f"demo-{office_id}.xlsx",
                sha256=sha,
                duplicate_key=duplicate_key(sha, [office_id]),
                uploaded_by="demo",
                uploaded_at=now,
                source="demo",
                office_id=office_id,
                is_demo=True,
            )
            skill = rng.betavariate(5, 1.6)  # most offices good, a tail of weak ones
            silent = {q for q in range(1, quarters + 1) if rng.random() < 0.07}
            for spec in plans_for(level):
                plan_id = rows.add(
                    Plan,
                    office_id=office_id,
                    fiscal_year_id=fy.id,
                    plan_type=spec.plan_type,
                    revision=1,
                    is_current=True,
                    submission_id=submission_id,
                    title=spec.title,
                    sheet_name=spec.plan_type,
                    total_weight=sum(i.weight for i in spec.indicators),
                    created_at=now,
                )
                indicators = _plan_rows(rows, spec, plan_id, fy.start_date.year - spec.year)
                done_dates: dict[int, dt.date] = {}
                for quarter in range(1, quarters + 1):
                    if quarter in silent:
                        continue
                    late = rng.random() < 0.12
                    delay = rng.randint(11, 40) if late else rng.randint(1, 10)
                    received = dt.datetime.combine(
                        ends[quarter - 1] + dt.timedelta(days=delay), dt.time(11), dt.UTC
                    )
                    report_id = rows.add(
                        ProgressReport,
                        plan_id=plan_id,
                        office_id=office_id,
                        fiscal_year_id=fy.id,
                        quarter=quarter,
                        submission_id=submission_id,
                        received_at=received,
                        is_current=True,
                    )
                    weak_here = rng.random() < 0.15
                    for ind in indicators:
                        if ind["kind"] == "date" and ind["id"] in done_dates:
                            continue
                        value = _value(rng, ind, quarter, ends, skill * (0.6 if weak_here else 1.0))
                        if value is None:
                            continue
                        num, day, text, status = value
                        if day is not None:
                            done_dates[ind["id"]] = day
                        raw = text or (day.strftime("%d/%m/%Y") if day else f"{num:g}")
                        rows.add(
                            Progress,
                            report_id=report_id,
                            indicator_id=ind["id"],
                            value_num=num,
                            value_date=day,
                            value_text=text,
                            value_raw=raw,
                            status=status,
                        )
            if n % 500 == 0:
                say(
                    0.05 + 0.7 * n / len(offices),
                    f"{n}টি অফিসের পরিকল্পনা তৈরি হয়েছে",
                    f"Plans of {n} offices built",
                )
        rows.flush()
        connection.execute(
            insert(AppMeta),
            [
                {"key": "demo", "value": "1"},
                {"key": "demo_scale", "value": scale},
                {"key": "demo_fiscal_year", "value": fiscal_year},
                {"key": "demo_quarters", "value": str(quarters)},
                {"key": "demo_seed", "value": str(seed)},
                {"key": "demo_built_at", "value": now.isoformat(timespec="seconds")},
            ],
        )
        say(0.8, "নম্বর হিসাব হচ্ছে…", "Computing scores…")
        from data.scores import rebuild_scores

        scores = rebuild_scores(connection)
        ensure_demo_users(connection)
        sync_sequences(connection)
    say(1.0, "ডেমো ডেটা তৈরি হয়েছে", "Demo data built")
    counts = dict(rows.counts)
    counts.update({k: v for k, v in scores.items() if k != "seconds"})
    counts["offices"] = len(offices)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def clear(engine: Engine) -> None:
    """Start the demo database afresh (for --force): every table dropped and migrated again.
    The audit trail is insert-only, so its rows cannot be deleted, only the whole table
    dropped by its owner; refused unless the database holds demo data (or nothing)."""
    from sqlalchemy import text

    from data.models import Base

    with engine.connect() as connection:
        demo = connection.scalar(select(AppMeta.value).where(AppMeta.key == "demo"))
    if demo != "1" and not is_empty(engine):
        raise DemoError("the database holds data that is not demo data: --force refuses it")
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP FUNCTION IF EXISTS audit_events_insert_only()"))
    upgrade(engine)


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.__tablename__: connection.scalar(select(func.count()).select_from(t))
            for t in (
                Office,
                Plan,
                Area,
                Activity,
                Indicator,
                ProgressReport,
                Progress,
                IndicatorScore,
                PlanScore,
                OfficeScore,
                Submission,
            )
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["default", "national"], default="default")
    parser.add_argument("--fiscal-year", default="2024-25")
    parser.add_argument("--quarters", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url")
    parser.add_argument("--force", action="store_true", help="replace existing data")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    upgrade(engine)
    if args.force:
        try:
            clear(engine)
        except DemoError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2

    def report(fraction: float, _bn: str, en: str) -> None:
        print(f"  {fraction:5.0%}  {en}", flush=True)

    try:
        counts = build_demo(engine, args.scale, args.fiscal_year, args.quarters, args.seed, report)
    except DemoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"built in {counts['seconds']} s")
    for table, count in table_counts(engine).items():
        print(f"  {table:18} {count:>10,}")
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        print(f"  SQLite file: {path} ({path.stat().st_size / 1e6:,.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
