"""Issue 15's scoring figures, each a ratio against a baseline measured in the same run:

1. the scoring kernel (scoring.score_indicators) against the row-by-row reference
   (scoring/reference.py) on 1,000,000 indicator-quarters (the reference on a sample of them
   unless --reference-rows says otherwise: it takes about a minute per million);
2. the full rebuild (`python -m scoring rebuild`) against pandas merely reading its inputs
   (`pd.read_sql` of the indicators and progress tables), on a national-scale database:
   once as it is (nothing to change: the rebuild reads, scores and compares) and once after
   the stored indicator scores were deleted (everything written in bulk);
3. where the rebuild's time goes (cProfile, top functions), with --profile.

    python -m bench.bench_rebuild [--database-url URL] [--rows 1000000] [--profile]
                                  [--rebuild-only]

Each figure comes with the process's CPU time beside its wall time and the load average
(the machine is shared: the wall time drifts with the others' work, the CPU time less).

Without --database-url it builds the national demo into a temporary SQLite file first
(several minutes). Give a PostgreSQL URL to measure there: the database is changed (its
stored indicator scores are deleted and rebuilt), so use a copy.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from core.terms import TARGET_LEVELS
from data.db import make_engine, upgrade
from data.scores import PROGRESS_STATUSES, rebuild_scores
from scoring import Rules, score_indicators
from scoring.inputs import REPORTS
from scoring.reference import score_row

FY2024 = dt.date(2024, 7, 1)


def indicator_quarters(n: int, seed: int = 15) -> pd.DataFrame:
    """`n` indicators of the national demo's mix: units, methods, ladders with gaps, quarterly
    targets, reports with values, text answers and none."""
    rng = np.random.default_rng(seed)
    unit = rng.choice(["number", "percent", "date"], n, p=[0.55, 0.3, 0.15])
    method = rng.choice(np.array([None, "sum", "cumulative", "average"], dtype=object), n)
    base = rng.uniform(10, 1000, n)
    step = rng.uniform(1, 50, n) * rng.choice([1, -1], n)
    targets = np.stack([base - step * i for i in range(5)])
    day = dt.date(2025, 3, 1).toordinal() + rng.integers(-200, 200, n)
    dates = np.stack([day + 15 * i for i in range(5)]).astype(float)
    targets = np.where(unit == "date", dates, targets)
    targets[rng.random((5, n)) < 0.2] = np.nan
    frame = {"unit_kind": unit, "weight": rng.uniform(0.5, 5, n), "method": method}
    for i, level in enumerate(TARGET_LEVELS):
        frame[f"t{level}"] = targets[i]
    for q in range(1, 5):
        quarterly = rng.uniform(1, 300, n)
        quarterly[rng.random(n) < 0.6] = np.nan
        frame[f"q{q}"] = quarterly
        status = rng.choice(
            np.array(["reported", "in_progress", "not_achieved", None], dtype=object),
            n,
            p=[0.6, 0.1, 0.1, 0.2],
        )
        value = np.where(unit == "date", day + rng.integers(-100, 100, n), base * rng.random(n))
        frame[f"a{q}"] = np.where(status == "reported", value, np.nan)
        frame[f"s{q}"] = pd.Series(status, dtype=object)
    frame = pd.DataFrame(frame)
    # As data/scores.py reads them: the text the kernel only compares, as categories.
    statuses = pd.CategoricalDtype(PROGRESS_STATUSES)
    return frame.astype(
        {"unit_kind": "category", "method": "category", **dict.fromkeys(REPORTS, statuses)}
    )


def kernel_against_reference(rows: int, reference_rows: int, quarter: int = 3) -> None:
    frame = indicator_quarters(rows)
    rules = Rules()
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        score_indicators(frame, rules, FY2024, quarter)
        timings.append(time.perf_counter() - started)
    kernel = min(timings)
    # The reference reads plain text, as a workbook's rows give it.
    sample = frame.head(reference_rows).astype(
        {"unit_kind": object, "method": object, **dict.fromkeys(REPORTS, object)}
    )
    records = sample.to_dict("records")
    started = time.perf_counter()
    for record in records:
        score_row(record, rules, FY2024, quarter)
    reference = (time.perf_counter() - started) * rows / len(records)
    print(f"kernel on {rows:,} indicator-quarters (Q{quarter}): {kernel:.2f} s (best of 3)")
    print(
        f"reference, row by row: {reference:.1f} s for {rows:,}"
        f" (measured on {len(records):,} of them)"
    )
    print(f"  kernel = {reference / kernel:.1f} x the reference")


def _costs(started: float, cpu_started: float) -> tuple[float, str]:
    """(wall seconds, "CPU x s, load a b c") since `started` and `cpu_started`."""
    seconds = time.perf_counter() - started
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    return seconds, f"CPU {time.process_time() - cpu_started:.1f} s, load {load}"


def read_inputs(engine) -> float:
    started, cpu_started = time.perf_counter(), time.process_time()
    with engine.connect() as connection:
        indicators = pd.read_sql("SELECT * FROM indicators", connection)
        progress = pd.read_sql("SELECT * FROM progress", connection)
    seconds, costs = _costs(started, cpu_started)
    print(
        f"pd.read_sql of indicators ({len(indicators):,}) and progress ({len(progress):,}):"
        f" {seconds:.1f} s ({costs})"
    )
    return seconds


def rebuild(engine, label: str, baseline: float, profile: bool) -> None:
    profiler = cProfile.Profile() if profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    counts = rebuild_scores(engine)
    if profiler:
        profiler.disable()
    seconds, costs = _costs(started, cpu_started)
    print(
        f"rebuild, {label}: {seconds:.1f} s = {seconds / baseline:.2f} x reading its inputs"
        f" ({costs}; {counts['indicator_scores']:,} indicator-quarters,"
        f" {counts['rows_written']:,} rows written)"
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reference-rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--kernel-only", action="store_true")
    parser.add_argument("--rebuild-only", action="store_true", help="skip the kernel's figure")
    args = parser.parse_args(argv)
    if not args.rebuild_only:
        kernel_against_reference(args.rows, min(args.reference_rows, args.rows))
    if args.kernel_only:
        return
    url = args.database_url
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'national.sqlite3'}"
        from demo import build_demo

        print("building the national demo database…", flush=True)
        build_demo(make_engine(url), scale="national")
    engine = make_engine(url)
    upgrade(engine)
    baseline = read_inputs(engine)
    rebuild(engine, "nothing to change", baseline, args.profile)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM indicator_scores")
    baseline = read_inputs(engine)
    rebuild(engine, "every indicator score written", baseline, args.profile)


if __name__ == "__main__":
    main()
