"""`python -m scoring rebuild | explain` — the one impure module of scoring/: a thin command
line over data.scores (rebuild) and data.explain (what the breakdown reads)."""

from __future__ import annotations

import argparse
import sys

from core.terms import QUARTERS
from data.db import make_engine, upgrade


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring")
    parser.add_argument("--database-url", help="default: APA_DATABASE_URL or the embedded SQLite")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("rebuild", help="recompute every stored score")
    explain = commands.add_parser("explain", help="a score, from each indicator to the composite")
    explain.add_argument("--office", required=True, help="office id, code or name")
    explain.add_argument("--fiscal-year", default="2024-25")
    explain.add_argument("--quarter", type=int, required=True, choices=QUARTERS)
    explain.add_argument("--lang", choices=["bn", "en"], default="en")
    args = parser.parse_args(argv)

    engine = make_engine(args.database_url)
    upgrade(engine)
    if args.command == "rebuild":
        from data.scores import rebuild_scores

        counts = rebuild_scores(engine)
        for key, value in counts.items():
            print(f"{key:18} {value:>12,}" if key != "seconds" else f"{key:18} {value:>12}")
        return 0

    from data.explain import ExplainError, explain_office

    try:
        print(explain_office(engine, args.office, args.fiscal_year, args.quarter, args.lang))
    except ExplainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
