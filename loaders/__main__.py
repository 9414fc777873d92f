"""Command line: `python -m loaders check|import|template ...` (see README).

Exit codes: 0 all well; 1 a workbook has errors (check) or a plan was left out (import);
2 the command itself is wrong: a missing, unreadable or non-file path, or bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core.terms import PLAN_TYPES
from data.db import get_engine, upgrade

USAGE_ERROR = 2


def _engine():
    """The configured database, migrated and holding the master data offices are matched
    against. An empty database gets the master data only, never the demo: a check writes no
    plan or submission, and an import's plans are not to be mixed with demo data."""
    from data.db import is_empty
    from data.master import load_master_data

    engine = get_engine()
    upgrade(engine)
    if is_empty(engine):
        with engine.begin() as connection:
            load_master_data(connection)
    return engine


def _bad_paths(paths: list[str]) -> list[str]:
    """A bilingual line for every path that is not a readable file."""
    lines = []
    for path in paths:
        found = Path(path)
        if not found.exists():
            en, bn = "no such file", "এমন কোনো ফাইল নেই"
        elif found.is_dir():
            en, bn = "a folder, not a workbook file", "এটি ফোল্ডার, ওয়ার্কবুক ফাইল নয়"
        elif not found.is_file():
            en, bn = "not a regular file", "সাধারণ ফাইল নয়"
        elif not os.access(found, os.R_OK):
            en, bn = "cannot be read (permission denied)", "পড়া যায় না (অনুমতি নেই)"
        else:
            try:
                with found.open("rb") as stream:
                    stream.read(1)
                continue
            except OSError as error:
                en, bn = f"cannot be read ({error.strerror})", "পড়া যায় না"
        lines.append(f"error · ত্রুটি: {path}: {en} · {bn}")
    return lines


def _paths_or_exit(paths: list[str]) -> None:
    lines = _bad_paths(paths)
    if lines:
        print("\n".join(lines), file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def _table(rows: list[list], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _print_checked(checked) -> None:
    from loaders.report import to_json

    doc = to_json(checked)
    print(f"\n{doc['path']}: {'OK' if doc['ok'] else 'ERRORS · ত্রুটি আছে'}")
    plans = [
        [
            p["sheet"],
            p["plan_type"],
            p["fiscal_year"],
            (p["office"] or {}).get("name_en", "-"),
            f"{(p['office'] or {}).get('confidence', '-')}",
            p["quarter"] or "-",
            len(p["indicators"]) + len(p["governance"]),
            "-" if p["total_weight"] is None else p["total_weight"],
            "-" if p["score"] is None else round(p["score"], 2),
            p["needs_correction"],
            "yes" if p["importable"] else "no: " + ", ".join(p["refused_because"]),
        ]
        for p in doc["plans"]
    ]
    if plans:
        headers = ["sheet", "plan", "year", "office", "match", "quarter", "indicators"]
        headers += ["weight", "score", "needs correction", "importable"]
        print(_table(plans, headers))
    issues = [
        [
            i["severity"],
            i["code"],
            i["sheet"] or "",
            i["row"] or "",
            i["column"] or "",
            i["message_en"],
        ]
        for i in doc["issues"]
    ]
    if issues:
        print()
        print(_table(issues, ["severity", "code", "sheet", "row", "col", "message"]))


def _check(args) -> int:
    from loaders.pipeline import check_file
    from loaders.report import to_json

    _paths_or_exit(args.files)
    engine = None if args.no_database else _engine()
    results = [
        check_file(path, engine=engine, office=args.office, strict=args.strict)
        for path in args.files
    ]
    if args.json:
        json.dump(
            {"files": [to_json(r) for r in results]}, sys.stdout, ensure_ascii=False, indent=2
        )
        print()
    else:
        for checked in results:
            _print_checked(checked)
    return 0 if all(r.ok for r in results) else 1


def cli_user() -> str:
    """Who runs the command, as the operating system knows them (not what --user says): the
    audit trail's name for command-line imports. No app username contains ':'."""
    import os
    import pwd

    try:
        name = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid without a passwd entry (some containers)
        name = str(os.getuid())
    return f"cli:{name}"


def _import(args) -> int:
    from data.scope import EVERYTHING
    from loaders.pipeline import import_file, left_out_reasons

    _paths_or_exit(args.files)
    engine = _engine()
    refused = False
    for path in args.files:
        outcome = import_file(
            engine,
            path,
            office=args.office,
            uploaded_by=cli_user(),
            scope=EVERYTHING,  # the command line is national: whoever runs it holds the database
            audit_details={"on_behalf_of": args.user} if args.user else None,
            strict=args.strict,
        )
        result = outcome.result
        if result is None:
            refused = True
            print(f"{path}: REFUSED · গ্রহণ করা হয়নি — {outcome.refusal} · {outcome.refusal_bn}")
            _print_checked(outcome.checked)
            continue
        print(
            f"{path}: {outcome.status} · plans added {result.plans_added}, superseded "
            f"{result.plans_superseded}, unchanged {result.plans_unchanged}; reports added "
            f"{result.reports_added}, superseded {result.reports_superseded}; "
            f"{result.indicators} indicators, {result.progress} achievements"
        )
        for message in result.messages:
            print("  " + message)
        for plan in outcome.checked.plans:
            flagged = plan.needs_correction if plan.importable else []
            if flagged:
                codes = ", ".join(f"{i.code or i.row}" for i in flagged)
                print(
                    f"  sheet '{plan.draft.sheet}': {len(flagged)} indicators need correction "
                    f"(stored, counted 0) · {len(flagged)}টি সূচক সংশোধন প্রয়োজন: {codes}"
                )
        for plan in outcome.refused_plans:
            refused = True
            en, bn = left_out_reasons(plan)
            print(f"  left out · বাদ পড়েছে: sheet '{plan.draft.sheet}': {en} · {bn}")
    return 1 if refused else 0


def _template(args) -> int:
    from loaders.template import write_template

    engine = _engine()
    path = write_template(
        engine,
        office=args.office,
        fiscal_year=args.fiscal_year,
        plan_types=None if args.plan_type == "all" else [args.plan_type],
        output=args.output,
    )
    print(path)
    return 0


STRICT_HELP = (
    "refuse a plan with any error (by default an error stops only the indicator it touches, "
    "which is stored as needing correction)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="read and check workbooks; write nothing")
    check.add_argument("files", nargs="+")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument("--office", help="the office, for plans that do not name theirs")
    check.add_argument(
        "--no-database",
        action="store_true",
        help="do not match offices (plans are still scored, with the default rules)",
    )
    check.add_argument("--strict", action="store_true", help=STRICT_HELP)
    check.set_defaults(run=_check)
    imp = sub.add_parser("import", help="import workbooks")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--office", help="the office, for plans that do not name theirs")
    imp.add_argument("--strict", action="store_true", help=STRICT_HELP)
    imp.add_argument(
        "--user",
        help="on whose behalf (noted in the audit trail; the importer recorded is the "
        "operating-system user running the command)",
    )
    imp.set_defaults(run=_import)
    template = sub.add_parser("template", help="write a blank plan workbook for an office")
    template.add_argument("--office", required=True)
    template.add_argument("--fiscal-year", required=True)
    template.add_argument(
        "--plan-type",
        default="all",
        choices=["all", *PLAN_TYPES],
    )
    template.add_argument("--output", required=True)
    template.set_defaults(run=_template)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
