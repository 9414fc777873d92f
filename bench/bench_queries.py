"""Page queries: every data/queries.py and data/desk.py call the pages make on a first view,
for four national scopes (cabinet: everything; a ministry; an agency; a district office),
timed against the same calls of another commit (by default BEFORE_ISSUE_15, the last commit
before the pages were reworked for national scale) in the same process, with the same results
required.

    python -m bench.bench_queries [--database-url URL] [--baseline-url URL] [--baseline-ref REF]
                                  [--repeat 3] [--scopes cabinet,ministry,agency,office]

The baseline's data/queries.py and data/desk.py are read from git at `--baseline-ref` and run
on `--baseline-url` (by default the same database: give the database as the baseline's schema
had it, without later migrations' indexes, for a fair figure). Each call runs `--repeat`
times, baseline and ours in turn; the best time of each is printed with their ratio and
whether the two results are equal (the same rows, in the same order). Without --database-url
it uses bench/bench_pages.py's national SQLite demo, built first if missing.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from data import desk, queries
from data.db import ROOT, make_engine
from data.models import Office, User
from data.scope import Scope

# The baseline: main just before the page queries were reworked for national scale (issue 15).
BEFORE_ISSUE_15 = "2407359"
FISCAL_YEAR = "2024-25"
SCOPE_USERS = {"cabinet": "cabinet", "ministry": "ministry", "agency": "agency", "office": "office"}
SHOWN = 500  # the lagging page's rows shown (dashboard/pages/lagging.py SHOW)
NO_FILTERS = dict(
    ministry_id=None, agency_id=None, level=None, plan_type=None, status=None, responsible=None
)


def baseline_modules(ref: str) -> tuple[types.ModuleType, types.ModuleType]:
    """data/queries.py and data/desk.py as they are at git `ref`, as modules of their own
    (each imports helpers of the other: those imports are pointed at the baseline's)."""
    names = {"queries": "bench_baseline_queries", "desk": "bench_baseline_desk"}
    folder = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    for name, module_name in names.items():
        source = subprocess.run(
            ["git", "show", f"{ref}:data/{name}.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for other, other_name in names.items():
            source = source.replace(f"from data.{other} import", f"from {other_name} import")
        (folder / f"{module_name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module(names["queries"]), importlib.import_module(names["desk"])


def scopes(engine) -> dict[str, Scope]:
    """The demo accounts' scopes: cabinet (everything), a ministry, an agency, an office."""
    found = {}
    with engine.connect() as connection:
        for label, username in SCOPE_USERS.items():
            office_id = connection.scalar(
                select(User.scope_office_id).where(User.username == username)
            )
            path = (
                None
                if office_id is None
                else connection.scalar(select(Office.path).where(Office.id == office_id))
            )
            found[label] = Scope(path, office_id)
    return found


def _first_rows(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """What the lagging page shows of its rows: how many, and the first SHOWN."""
    return len(frame), frame.head(SHOWN)


def page_calls(engine, scope: Scope) -> list[tuple[str, str, Callable]]:
    """(page, call, how to call it given the modules[, how ours calls it where the page
    changed]) for every query of a first view."""
    coverage = queries.quarter_coverage(engine, scope, FISCAL_YEAR)
    q = queries.default_quarter(coverage)
    office_id = scope.office_id or queries.most_at_risk_office(engine, scope, FISCAL_YEAR, q)
    districts = desk.district_scores(engine, scope, FISCAL_YEAR, q)
    district = int(districts["district_id"].iloc[0]) if not districts.empty else 1
    status = desk.reporting_status(engine, scope, FISCAL_YEAR, q)
    missing = tuple(status.loc[status["state"] == "missing", "office_id"].astype(int))
    fy = FISCAL_YEAR
    return [
        ("sidebar", "quarter_coverage", lambda m, e: m.queries.quarter_coverage(e, scope, fy)),
        ("sidebar", "offices(ministry)", lambda m, e: m.queries.offices(e, scope, "ministry")),
        ("overview", "headline", lambda m, e: m.desk.headline(e, scope, fy, q)),
        ("overview", "reporting_status", lambda m, e: m.desk.reporting_status(e, scope, fy, q)),
        ("overview", "behind_by_ministry", lambda m, e: m.desk.behind_by_ministry(e, scope, fy, q)),
        (
            "overview",
            "office_composites",
            lambda m, e: m.queries.office_composites(e, scope, fy, q),
        ),
        (
            "overview",
            "league_scores(ministry)",
            lambda m, e: m.desk.league_scores(e, scope, fy, q, "ministry"),
        ),
        (
            "overview",
            "at_risk_by_ministry_and_plan",
            lambda m, e: m.desk.at_risk_by_ministry_and_plan(e, scope, fy, q),
        ),
        ("overview", "district_scores", lambda m, e: m.desk.district_scores(e, scope, fy, q)),
        ("overview", "district_names", lambda m, e: m.desk.district_names(e, scope)),
        (
            "overview",
            "district_offices",
            lambda m, e: m.desk.district_offices(e, scope, fy, q, district),
        ),
        (
            "office",
            "most_at_risk_office",
            lambda m, e: m.queries.most_at_risk_office(e, scope, fy, q),
        ),
        ("office", "office", lambda m, e: m.queries.office(e, scope, office_id)),
        (
            "office",
            "office_quarters",
            lambda m, e: m.queries.office_quarters(e, scope, office_id, fy),
        ),
        (
            "office",
            "office_indicators",
            lambda m, e: m.queries.office_indicators(e, scope, office_id, fy, q),
        ),
        ("office", "area_names", lambda m, e: m.queries.area_names(e, scope, office_id, fy)),
        ("office", "search_offices", lambda m, e: m.queries.search_offices(e, scope, "Dhaka")),
        (
            "lagging",
            "lagging(detail)",
            lambda m, e: _first_rows(m.queries.lagging(e, scope, fy, q, limit=None, **NO_FILTERS)),
            # The page now reads the rows it shows and counts the rest.
            lambda m, e: m.queries.lagging_shown(e, scope, fy, q, limit=SHOWN, **NO_FILTERS)[::-1],
        ),
        (
            "lagging",
            "lagging_by_ministry",
            lambda m, e: m.desk.lagging_by_ministry(e, scope, fy, q, **NO_FILTERS),
        ),
        (
            "lagging",
            "lagging_by_indicator",
            lambda m, e: m.desk.lagging_by_indicator(e, scope, fy, q, **NO_FILTERS),
        ),
        (
            "lagging",
            "lagging_by_office",
            lambda m, e: m.desk.lagging_by_office(e, scope, fy, q, **NO_FILTERS),
        ),
        ("drilldown", "children(top)", lambda m, e: m.queries.children(e, scope, fy, q, None)),
        (
            "drilldown",
            "children(office)",
            lambda m, e: m.queries.children(e, scope, fy, q, office_id),
        ),
        ("drilldown", "breadcrumb", lambda m, e: m.queries.breadcrumb(e, scope, office_id)),
        (
            "league",
            "league_scores(agency)",
            lambda m, e: m.desk.league_scores(e, scope, fy, q, "agency"),
        ),
        (
            "league",
            "league_scores(upazila)",
            lambda m, e: m.desk.league_scores(e, scope, fy, q, "upazila"),
        ),
        ("league", "offices(agency)", lambda m, e: m.queries.offices(e, scope, "agency")),
        ("calendar", "deadlines", lambda m, e: m.desk.deadlines(e, scope, fy)),
        (
            "calendar",
            "reporting_status",
            lambda m, e: m.desk.reporting_status(e, scope, fy, q, ministry_id=None),
        ),
        ("calendar", "focal_points", lambda m, e: m.desk.focal_points(e, scope, missing)),
    ]


def same(a, b) -> bool:
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(
                a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False
            )
        except AssertionError:
            return False
        return True
    return a == b


def timed(function: Callable) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("APA_DATABASE_URL"))
    parser.add_argument("--baseline-url")
    parser.add_argument("--baseline-ref", default=BEFORE_ISSUE_15)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scopes", default=",".join(SCOPE_USERS))
    args = parser.parse_args(argv)
    if not args.database_url:
        from bench.bench_pages import NATIONAL

        args.database_url = f"sqlite:///{NATIONAL}"
        if not NATIONAL.exists():
            from demo import build_demo

            print(f"building the national demo in {NATIONAL}…", flush=True)
            build_demo(make_engine(args.database_url), scale="national")
    ours_engine = make_engine(args.database_url)
    base_engine = make_engine(args.baseline_url) if args.baseline_url else ours_engine
    base_queries, base_desk = baseline_modules(args.baseline_ref)
    ours = types.SimpleNamespace(queries=queries, desk=desk)
    base = types.SimpleNamespace(queries=base_queries, desk=base_desk)
    print(f"load average {os.getloadavg()[0]:.2f}; baseline: {args.baseline_ref}")
    print(f"{'scope':<9} {'page':<9} {'call':<30} {'base ms':>8} {'ours ms':>8} {'ratio':>6}  same")
    totals: dict[str, list[float]] = {}
    for label, scope in scopes(ours_engine).items():
        if label not in args.scopes.split(","):
            continue
        for page, name, call, *changed in page_calls(ours_engine, scope):
            ours_call = changed[0] if changed else call
            base_time = ours_time = float("inf")
            for _ in range(args.repeat):  # in turn, so both meet the same load
                took, base_result = timed(lambda: call(base, base_engine))  # noqa: B023
                base_time = min(base_time, took)
                took, ours_result = timed(lambda: ours_call(ours, ours_engine))  # noqa: B023
                ours_time = min(ours_time, took)
            equal = same(base_result, ours_result)
            totals.setdefault(label, [0.0, 0.0])
            totals[label][0] += base_time
            totals[label][1] += ours_time
            print(
                f"{label:<9} {page:<9} {name:<30} {base_time * 1000:>8.0f} "
                f"{ours_time * 1000:>8.0f} {ours_time / base_time:>6.2f}  "
                f"{'yes' if equal else 'NO'}",
                flush=True,
            )
    for label, (base_total, ours_total) in totals.items():
        print(
            f"{label:<9} all calls: base {base_total * 1000:.0f} ms, ours {ours_total * 1000:.0f} "
            f"ms, ratio {ours_total / base_total:.2f}"
        )
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
