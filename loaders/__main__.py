"""Command line: `python -m loaders check|import|template ...` (see README)."""

from __future__ import annotations

import argparse
import json
import sys

from data.db import get_engine, upgrade


def _engine():
    """The configured database as the app has it on first run: migrated, and holding the
    master data that offices are matched against (the embedded default gets the demo data,
    as the dashboard's first run does). `check` writes no plan or submission."""
    import os

    from data.db import SETTING, is_empty
    from data.master import load_master_data

    engine = get_engine()
    upgrade(engine)
    if is_empty(engine):
        if os.environ.get(SETTING):
            with engine.begin() as connection:
                load_master_data(connection)
        else:
            from data.demo import build_demo

            build_demo(engine)
    return engine


def _table(rows: list[list], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _print_checked(checked) -> None:
    from loaders.pipeline import to_json

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
            len(p["indicators"]),
            p["total_weight"],
            "-" if p["score"] is None else round(p["score"], 2),
        ]
        for p in doc["plans"]
    ]
    if plans:
        print(
            _table(
                plans,
                [
                    "sheet",
                    "plan",
                    "year",
                    "office",
                    "match",
                    "quarter",
                    "indicators",
                    "weight",
                    "score",
                ],
            )
        )
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
    from loaders.pipeline import check_file, to_json

    engine = None if args.no_database else _engine()
    results = [check_file(path, engine=engine, office=args.office) for path in args.files]
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
    from loaders.pipeline import import_file

    engine = _engine()
    refused = False
    for path in args.files:
        outcome = import_file(
            engine,
            path,
            office=args.office,
            uploaded_by=cli_user(),
            audit_details={"on_behalf_of": args.user} if args.user else None,
        )
        result = outcome.result
        if result is None:
            refused = True
            print(f"{path}: REFUSED · গ্রহণ করা হয়নি — {outcome.refusal} · {outcome.refusal_bn}")
            _print_checked(outcome.checked)
            continue
        print(
            f"{path}: {result.status} · plans added {result.plans_added}, superseded "
            f"{result.plans_superseded}, unchanged {result.plans_unchanged}; reports added "
            f"{result.reports_added}, superseded {result.reports_superseded}; "
            f"{result.indicators} indicators, {result.progress} achievements"
        )
        for message in result.messages:
            print("  " + message)
        for plan in outcome.refused_plans:
            refused = True
            errors = [i for i in plan.issues if i.severity == "error"]
            print(f"  refused plan · গ্রহণ করা হয়নি: sheet '{plan.draft.sheet}'")
            for issue in errors:
                print(f"    {issue.code}: {issue.message_en}")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="read and check workbooks; write nothing")
    check.add_argument("files", nargs="+")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument("--office", help="the office, for plans that do not name theirs")
    check.add_argument(
        "--no-database", action="store_true", help="do not match offices or use the rule sets"
    )
    check.set_defaults(run=_check)
    imp = sub.add_parser("import", help="import workbooks")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--office", help="the office, for plans that do not name theirs")
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
        choices=["all", "apa", "nis", "egov", "grs", "citizen_charter", "rti"],
    )
    template.add_argument("--output", required=True)
    template.set_defaults(run=_template)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
