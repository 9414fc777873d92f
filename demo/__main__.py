"""Command line: `python -m demo` (see the package's docstring and the README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import demo
from data.db import make_engine, upgrade
from data.demo_store import reset, table_counts
from demo.build import DemoError, build_demo


def main(argv: list[str] | None = None, prog: str = "python -m demo") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=demo.__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["default", "national"], default="default")
    parser.add_argument("--fiscal-year", default="2024-25")
    parser.add_argument("--quarters", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url")
    parser.add_argument("--force", action="store_true", help="replace existing demo data")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    upgrade(engine)
    if args.force and not reset(engine):
        print(
            "error: the database holds data that is not demo data: --force refuses it",
            file=sys.stderr,
        )
        return 2

    def report(fraction: float, _bn: str, en: str) -> None:
        print(f"  {fraction:5.0%}  {en}", flush=True)

    try:
        counts = build_demo(engine, args.scale, args.fiscal_year, args.quarters, args.seed, report)
    except DemoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"built in {counts['seconds']} s (generation {counts['generation_seconds']} s, "
        f"scores {counts['scoring_seconds']} s)"
    )
    for table, count in table_counts(engine).items():
        print(f"  {table:18} {count:>10,}")
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        print(f"  SQLite file: {path} ({path.stat().st_size / 1e6:,.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
