"""The documents from the command line, on the database APA_DATABASE_URL names:

    python -m reports league --fiscal-year 2024-25 --quarter 2 [--level ministry|agency|...]
                             [--under CODE] [--projected] --output F.xlsx
    python -m reports overdue --fiscal-year 2024-25 --quarter 2 [--as-of 2025-01-20] --output F.xlsx
    python -m reports minutes --office CODE --fiscal-year 2024-25 --quarter 2 [--with-agencies]
                              --output F.docx

Every command takes --lang bn|en (Bengali by default) and --ascii-digits, and prints what it
wrote. The command line sees every office (it runs with the database's own rights). Like the
app, on the embedded default database (no APA_DATABASE_URL) it builds the demo data first when
the database holds no plans (empty, or only the master data `python -m loaders` loads).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from core.terms import OFFICE_LEVELS, QUARTERS
from data.db import SETTING, make_engine, upgrade
from data.demo_store import holds_plans
from data.queries import fiscal_years
from data.scope import Scope
from reports import league, minutes, overdue
from reports.text import Style


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reports", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser, suffix: str) -> None:
        command.add_argument("--fiscal-year", required=True, help="e.g. 2024-25")
        command.add_argument("--quarter", required=True, type=int, choices=QUARTERS)
        command.add_argument("--output", required=True, type=Path, help=f"the {suffix} to write")
        command.add_argument("--lang", choices=["bn", "en"], default="bn")
        command.add_argument("--ascii-digits", action="store_true", help="0-9 instead of ০-৯")
        command.add_argument("--database-url")

    ranked = commands.add_parser("league", help="offices ranked by composite score (.xlsx)")
    common(ranked, ".xlsx")
    ranked.add_argument("--level", choices=OFFICE_LEVELS, default="ministry")
    ranked.add_argument("--under", help="only offices under this office (code or id)")
    ranked.add_argument("--projected", action="store_true", help="rank by the projected score")
    late = commands.add_parser("overdue", help="offices without the quarter's report (.xlsx)")
    common(late, ".xlsx")
    late.add_argument("--as-of", type=dt.date.fromisoformat, help="count days to this date")
    drafted = commands.add_parser("minutes", help="review-meeting minutes, drafted (.docx)")
    common(drafted, ".docx")
    drafted.add_argument("--office", required=True, help="office code (e.g. min:ictd) or id")
    drafted.add_argument(
        "--with-agencies", action="store_true", help="the ministry form: a column per agency"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine(args.database_url)
    upgrade(engine)
    if not args.database_url and not os.environ.get(SETTING) and not holds_plans(engine):
        from demo import build_demo

        print("first run: building the demo data…", file=sys.stderr, flush=True)
        build_demo(engine)
    if args.fiscal_year not in fiscal_years(engine):
        print(f"error: unknown fiscal year {args.fiscal_year!r}", file=sys.stderr)
        return 2
    style = Style(args.lang, False if args.ascii_digits else None)
    scope = Scope.everything()
    try:
        if args.command == "league":
            result = league.league(
                engine,
                scope,
                args.fiscal_year,
                args.quarter,
                args.level,
                args.under,
                "projected" if args.projected else "to_date",
            )
            data = league.to_xlsx(result, style)
            s = result.summary
            said = (
                f"{s['offices']} offices ranked; average {s['average'] or 0:.2f}, "
                f"{s['at_least_90']} at 90 or more, {s['at_least_80']} at 80 or more"
            )
        elif args.command == "overdue":
            result = overdue.overdue(engine, scope, args.fiscal_year, args.quarter, args.as_of)
            data = overdue.to_xlsx(result, style)
            said = (
                f"{len(result.offices)} offices without a report for Q{args.quarter} "
                f"(due {result.due:%d/%m/%Y}, {result.days_overdue} days ago)"
            )
        else:
            result = minutes.minutes(
                engine, scope, args.office, args.fiscal_year, args.quarter, args.with_agencies
            )
            data = minutes.to_docx(result, style)
            said = f"{len(result.rows)} indicators" + (
                f", {len(result.others)} offices under it" if args.with_agencies else ""
            )
    except LookupError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data) / 1024:.0f} KiB): {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
