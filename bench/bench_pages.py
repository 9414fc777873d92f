"""Page speed: every page rendered server-side (Streamlit's AppTest) on a database, p50 and p95
after the first load, against a baseline page that writes one line, in the same process. Also
a 100,000-row spreadsheet download against `pandas.DataFrame.to_excel`.

    python -m bench.bench_pages [--database-url URL] [--renders 20]

Without --database-url it uses apa-national.sqlite3 in the temporary folder, building the national demo there
first if it is missing (a few minutes).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from data.db import ROOT, make_engine
from data.models import Office
from data.users import DEMO_PASSWORD, sign_in

NATIONAL = Path(tempfile.gettempdir()) / "apa-national.sqlite3"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), float(np.percentile(samples, 95))


def _views(engine) -> dict[str, list[dict]]:
    """Query parameters for each page: varied filters, offices at every level."""
    with engine.connect() as connection:
        offices = {
            level: connection.scalars(
                select(Office.id).where(Office.level == level).order_by(Office.id).limit(5)
            ).all()
            for level in ("ministry", "agency", "district", "upazila")
        }
    every = [o for ids in offices.values() for o in ids]
    return {
        "overview": [{"q": q} for q in (1, 2)],
        "league": [{}, {"level": "agency"}, {"level": "upazila"}, {"basis": "projected"}],
        "calendar": [{"q": q} for q in (1, 2)],
        "drilldown": [{}] + [{"node": o} for o in every],
        "office": [{"office": o} for o in every],
        "lagging": [
            {},
            {"status": "lagging"},
            {"level": "upazila"},
            {"plan": "nis"},
            {"view": "by_ministry"},
            {"view": "by_indicator"},
            {"view": "by_office"},
        ],
    }


def _render(at, params: dict) -> float:
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = str(value)
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return elapsed


def main(argv: list[str] | None = None) -> None:
    from streamlit.testing.v1 import AppTest

    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{NATIONAL}"
    if args.database_url is None and not NATIONAL.exists():
        from demo import build_demo

        print(f"building the national demo in {NATIONAL}…", flush=True)
        build_demo(make_engine(url), scale="national")
    os.environ["APA_DATABASE_URL"] = url
    engine = make_engine(url)

    baseline_app = AppTest.from_string("import streamlit as st\nst.write('baseline')")
    baseline_app.run()
    baseline = [_render(baseline_app, {}) for _ in range(args.renders)]
    base50, base95 = _percentiles(baseline)
    print(f"baseline (one st.write): p50 {base50 * 1000:.0f} ms, p95 {base95 * 1000:.0f} ms")
    print(f"{'page (user)':<20} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline p95':>20}")
    for username in ("cabinet", "agency"):  # the whole government; one agency's subtree
        signed_in = sign_in(engine, username, DEMO_PASSWORD)
        if signed_in.user is None:
            raise SystemExit(f"demo account {username!r} missing: build the demo first")
        for page, views in _views(engine).items():
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.session_state["lang"] = "bn"
            at.session_state["user"] = signed_in.user
            at.run()
            if page != "overview":
                at.switch_page(f"dashboard/pages/{page}.py")
            _render(at, views[0])  # the first load fills the caches: not counted
            if not at.title:
                raise RuntimeError(f"{page} drew no title: not signed in?")
            samples = [_render(at, views[n % len(views)]) for n in range(args.renders)]
            p50, p95 = _percentiles(samples)
            label = f"{page} ({username})"
            print(f"{label:<20} {p50 * 1000:>8.0f} {p95 * 1000:>8.0f} {p95 / base95:>20.1f}")

    from dashboard.export import to_xlsx

    rows = 100_000
    frame = pd.DataFrame(
        {
            "office": [f"জেলা সমবায় কার্যালয় {n}" for n in range(rows)],
            "code": [f"{n % 9}.{n % 7}.1" for n in range(rows)],
            "score": np.random.default_rng(7).uniform(0, 100, rows),
            "date": pd.Timestamp("2024-07-01") + pd.to_timedelta(np.arange(rows) % 365, "D"),
            "responsible": [
                '=HYPERLINK("x")' if n % 1000 == 0 else "ফোকাল পয়েন্ট" for n in range(rows)
            ],
        }
    )
    started = time.perf_counter()
    frame.to_excel(io.BytesIO(), index=False, engine="openpyxl")
    plain = time.perf_counter() - started
    started = time.perf_counter()
    data = to_xlsx(frame, "bench", {"rows": str(rows)})
    ours = time.perf_counter() - started
    print(
        f"100,000-row download: formatted .xlsx {ours:.1f} s ({len(data) / 2**20:.1f} MiB); "
        f"pandas.to_excel (openpyxl, unformatted) {plain:.1f} s; ratio {ours / plain:.2f}"
    )


if __name__ == "__main__":
    main()
