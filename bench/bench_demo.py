"""Demo build speed: `build_demo` at national scale (or --scale default), split into generation
(offices, plans, progress written) and scoring (data/scores.py), against pandas writing the
same generated rows (`DataFrame.to_sql`, the plain way to bulk-load a table) into a migrated
database holding the same master data, in the same run.

    python -m bench.bench_demo [--scale national|default] [--database-url URL]

Without --database-url both databases are temporary SQLite files. With a PostgreSQL URL the
demo is built in that database (it must hold no plans) and the baseline in a fresh database
beside it, dropped afterwards.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, make_url, text

from data.db import make_engine, upgrade
from data.master import load_master_data
from data.models import Base
from demo import build_demo

# The tables generation writes, parents first (the baseline writes them in this order).
GENERATED = (
    "submissions",
    "plans",
    "areas",
    "activities",
    "indicators",
    "progress_reports",
    "progress",
)


def _baseline_database(url: str | None, folder: Path):
    """An empty database beside the demo's: (url, drop function)."""
    if url is None or not url.startswith("postgresql"):
        return f"sqlite:///{folder / 'baseline.sqlite3'}", lambda: None
    name = f"bench_demo_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["national", "default"], default="national")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    url = args.database_url or f"sqlite:///{folder / 'demo.sqlite3'}"
    engine = make_engine(url)

    cpu_marks = {}

    def mark(fraction: float, _bn: str, _en: str) -> None:
        if fraction >= 0.8 and "scoring" not in cpu_marks:  # "Computing scores…"
            cpu_marks["scoring"] = time.process_time()

    started_cpu = time.process_time()
    counts = build_demo(engine, scale=args.scale, progress=mark)
    cpu = time.process_time() - started_cpu
    generation_cpu = cpu_marks["scoring"] - started_cpu
    rows = sum(counts[t] for t in GENERATED)
    generation, scoring = counts["generation_seconds"], counts["scoring_seconds"]
    print(f"demo build, {args.scale} scale, {engine.dialect.name}: {rows:,} generated rows")
    print(f"  build                 {counts['seconds']:7.1f} s  (CPU of this process {cpu:.1f} s)")
    print(
        f"    generation          {generation:7.1f} s  ({rows / generation:,.0f} rows/s; "
        f"CPU {generation_cpu:.1f} s)"
    )
    print(
        f"    scoring             {scoring:7.1f} s  ({counts['indicator_scores']:,} scores; "
        f"CPU with the commit {cpu - generation_cpu:.1f} s)"
    )
    print("  baseline: to_sql of the same rows…", flush=True)

    # Baseline: the same generated rows, read back (not timed) and written with to_sql.
    frames = {}
    with engine.connect() as connection:
        for table in GENERATED:
            frames[table] = pd.read_sql_table(table, connection)
    base_url, drop = _baseline_database(args.database_url, folder)
    try:
        base = make_engine(base_url)
        upgrade(base)
        with base.begin() as connection:
            load_master_data(connection, args.scale)
        started, started_cpu = time.perf_counter(), time.process_time()
        with base.begin() as connection:
            for table, frame in frames.items():
                columns = Base.metadata.tables[table].columns
                frame.to_sql(
                    table,
                    connection,
                    if_exists="append",
                    index=False,
                    chunksize=50_000,
                    dtype={c.name: c.type for c in columns},  # the models' types (JSON, dates)
                )
        to_sql = time.perf_counter() - started
        to_sql_cpu = time.process_time() - started_cpu
        base.dispose()
    finally:
        drop()

    print(f"  baseline: to_sql of the same rows {to_sql:7.1f} s  (CPU {to_sql_cpu:.1f} s)")
    print(f"  generation / to_sql   {generation / to_sql:7.2f}x the time (lower is better)")
    print(f"  whole build / to_sql  {counts['seconds'] / to_sql:7.2f}x the time")
    engine.dispose()


if __name__ == "__main__":
    main()
