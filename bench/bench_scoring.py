"""Scoring speed: the full rebuild of a national-scale database, against the plain row-by-row
implementation of the same rules (scoring/reference.py) on a sample, in the same process.
Also the time to re-score one office after an import.

    python -m bench.bench_scoring [--database-url URL] [--sample 50000]

Without --database-url it builds the national demo into a temporary SQLite file first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from data.db import make_engine, upgrade
from data.models import IndicatorScore, Office, Plan
from data.scores import load_rules, rebuild_scores, scoring_input
from scoring import score_indicators
from scoring.reference import score_row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--sample", type=int, default=50_000)
    args = parser.parse_args(argv)
    url = args.database_url
    if url is None:
        path = Path(tempfile.mkdtemp()) / "national.sqlite3"
        url = f"sqlite:///{path}"
        from demo import build_demo

        print("building the national demo database…", flush=True)
        build_demo(make_engine(url), scale="national")
    engine = make_engine(url)
    upgrade(engine)

    started = time.perf_counter()
    counts = rebuild_scores(engine)
    full = time.perf_counter() - started
    rows = counts["indicator_scores"]

    with engine.connect() as connection:
        frame = scoring_input(connection)
        fy_id = int(frame.fiscal_year_id.iloc[0])
        rules, start = load_rules(connection)[fy_id]
    sample = frame.head(args.sample)
    records = sample.to_dict("records")

    started = time.perf_counter()
    score_indicators(sample, rules, start, 2)
    vectorised = time.perf_counter() - started
    started = time.perf_counter()
    for row in records:
        score_row(row, rules, start, 2)
    row_by_row = time.perf_counter() - started

    with engine.connect() as connection:
        office = connection.scalar(select(Office.id).where(Office.level == "district").limit(1))
        office_plans = (
            connection.execute(select(Plan.id).where(Plan.office_id == office)).scalars().all()
        )
    started = time.perf_counter()
    with engine.begin() as connection:
        rebuild_scores(connection, plan_ids=office_plans)
    one_office = time.perf_counter() - started
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(IndicatorScore))

    print(
        f"full rebuild: {rows:,} indicator-quarters in {full:.1f} s = {rows / full:,.0f} rows/s (incl. SQL)"
    )
    print(f"sample of {len(records):,} indicators, quarter 2 (pure scoring only):")
    print(f"  vectorised  {len(records) / vectorised:>12,.0f} rows/s")
    print(f"  row by row  {len(records) / row_by_row:>12,.0f} rows/s")
    print(f"  ratio       {row_by_row / vectorised:>12.1f} x faster vectorised")
    print(
        f"re-score one office ({len(office_plans)} plans): {one_office * 1000:.0f} ms "
        f"= {full / one_office:,.0f} x less than the full rebuild ({stored:,} rows stored)"
    )


if __name__ == "__main__":
    main()
