"""Check and import throughput against plainly reading the same files with `pandas.read_excel`,
in the same process, on three sets of workbooks:

- the sample workbooks in ../shared/samples (all of them), several rounds;
- the same samples re-saved by openpyxl (loaded and saved again: other XML, shared strings
  and styles, as a workbook opened and saved by another program has), several rounds;
- a batch of generated plan workbooks (default 500): the upload template's layout
  (loaders/template.py), one plan of 8-40 indicators each, for as many different offices and
  plan types (every office's APA first, then their action plans), with targets, quarterly
  targets and achievements in numbers, Bengali-digit text and dates.

    python -m bench.bench_import [--rounds 20] [--generated 500]

Every figure is per workbook after start-up: the master data and the database are ready, the
first file of each set is checked once before the clock starts (imports, the caches the
loaders keep between files). The check runs every round against one database, as a server
checks uploads with one engine that keeps the office index and the rule sets; it is also timed
on a new database each round (each round then pays part of the start-up again). Each round
imports into a fresh copy of one SQLite database (master data loaded once into a template
file), so every import really writes. The baseline
reads every sheet of the same files with `pandas.read_excel(sheet_name=None)` (openpyxl),
which interprets nothing and checks nothing. Reading, checking and importing take turns, 50
files at a time, so that what else the machine does weighs on all three alike. The check includes every guard an upload gets
(loaders/bounds.py's XML pre-scan, the cell budget). The upload page checks each file in a
child process with time and memory limits (`loaders/worker.py`); that check is timed apart,
on the same database, child process included ("check in the upload page's worker").
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlsxwriter

from core.terms import TARGET_LEVELS
from data import plans
from data.db import ROOT, make_engine, upgrade
from data.master import load_master_data
from data.office_match import OfficeIndex
from data.scope import EVERYTHING
from loaders import worker
from loaders.formats import number_formats
from loaders.pipeline import check_file, import_file
from loaders.template import COLUMNS, INDEX, _Formats, _plan_sheet

SAMPLES = ROOT.parent / "shared" / "samples"
BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
SLICE = 50  # files read, checked and imported in turn (_measure)


def _indicator(rng: random.Random, area: int, n: int) -> dict:
    kind = rng.choice(["number", "number", "percent", "date"])
    if kind == "date":
        end = dt.date(2025, 6, 30) - dt.timedelta(days=rng.randint(0, 200))
        targets = {level: end + dt.timedelta(days=7 * k) for k, level in enumerate(TARGET_LEVELS)}
        quarters = dict.fromkeys(range(1, 5))
    else:
        top = rng.choice([10, 50, 100, 400, 1200]) if kind == "number" else 100
        targets = {level: round(top * level / 100, 1) for level in TARGET_LEVELS}
        quarters = {q: round(top * q / 4, 1) for q in range(1, 5)}
        if rng.random() < 0.5:  # written as Bengali-digit text, as offices do
            targets = {level: str(v).translate(BENGALI) for level, v in targets.items()}
    return {
        "area_index": area,
        "activity_id": area * 100 + n,
        "activity_code": f"{area + 1}.{n + 1}",
        "activity_name": f"কার্যক্রম {area + 1}.{n + 1}",
        "code": f"{area + 1}.{n + 1}.1",
        "code_raw": None,
        "name": f"সূচক {area + 1}.{n + 1}.1 সম্পন্ন",
        "unit_label": {"number": "সংখ্যা", "percent": "%", "date": "তারিখ"}[kind],
        "unit_kind": kind,
        "weight": 2,
        "method": "date" if kind == "date" else "sum",
        "targets": targets,
        "quarter_targets": quarters,
        "responsible": "ফোকাল পয়েন্ট",
        "_top": targets[100],
    }


def generated_workbook(rng: random.Random, office: dict, plan_type: dict) -> bytes:
    """One plan in the upload template's layout, filled in as an office would."""
    count = rng.randint(8, 40)
    areas = max(1, count // 8)
    indicators = [_indicator(rng, n % areas, n // areas) for n in range(count)]
    outline = {
        "areas": [
            {"code": str(a + 1), "name": f"কর্মসম্পাদন ক্ষেত্র {a + 1}", "weight": 2 * count // areas}
            for a in range(areas)
        ],
        "indicators": indicators,
    }
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _Formats(book)
    _plan_sheet(book, fmt, office, "2024-25", plan_type, outline)
    sheet = book.worksheets()[0]
    reported = rng.randint(1, 4)
    for n, ind in enumerate(indicators):
        row = 4 + n
        for q in range(1, reported + 1):
            col = INDEX[f"a{q}"]
            if ind["unit_kind"] == "date":
                if q == reported:
                    done = dt.datetime.combine(ind["targets"][90], dt.time())
                    sheet.write_datetime(row, col, done, fmt.date)
            elif rng.random() < 0.1:
                sheet.write_string(row, col, "কার্যক্রম চলমান রয়েছে", fmt.cell)
            else:
                top = float(str(ind["_top"]).translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")))
                sheet.write_number(row, col, round(top * rng.uniform(0.1, 0.35), 1), fmt.number)
    book.close()
    assert len(COLUMNS) > INDEX["a4"]
    return buffer.getvalue()


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _generated(engine, count: int, folder: Path) -> list[Path]:
    """`count` plan workbooks, one office and plan type each: every office's APA first, then
    (when `count` exceeds the offices of the master data) their action plans, type by type."""
    rng = random.Random(15)
    with engine.connect() as connection:
        index = OfficeIndex(connection)
        types = plans.plan_types(connection)
    offices = sorted(index.offices.values(), key=lambda o: o.id)  # every level
    rng.shuffle(offices)
    paths = []
    for n in range(min(count, len(offices) * len(types))):
        office, plan_type = offices[n % len(offices)], types[n // len(offices)]
        path = folder / f"plan{n:03d}.xlsx"
        row = {"id": office.id, "name_bn": office.name_bn, "name_en": office.name_en}
        path.write_bytes(generated_workbook(rng, row, plan_type))
        paths.append(path)
    return paths


def _resaved(files: list[Path], folder: Path) -> list[Path]:
    """The workbooks loaded and saved again by openpyxl."""
    paths = []
    for path in files:
        openpyxl.load_workbook(path).save(folder / path.name)
        paths.append(folder / path.name)
    return paths


def _measure(files: list[Path], template: Path, folder: Path, rounds: int) -> dict[str, float]:
    """Seconds for reading with pandas, checking and importing `files` `rounds` times.

    The three are interleaved, a slice of files at a time (`SLICE`), so that a change in what
    else the machine is doing weighs on the baseline and on the check and import alike."""
    contents = {path: path.read_bytes() for path in files}
    for path in files[:1]:  # start-up: imports and first reads, before the clock
        pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")

    started = time.perf_counter()
    for _ in range(rounds):
        for data in contents.values():
            archive = zipfile.ZipFile(io.BytesIO(data))
            number_formats(archive, [n for n in archive.namelist() if "worksheets/" in n])
    formats = time.perf_counter() - started

    # Checks write nothing: every round checks against one database, as a server does, whose
    # engine keeps the office index and the rule sets between uploads. Checked on a new
    # database each round, every round would pay part of the start-up again (the office
    # index built, its first names scored in full): the check then measured 6.9 ms a sample
    # workbook instead of 4.2 ms. Both are printed ("check on a new database" is the latter).
    checks = folder / "checks.sqlite3"
    shutil.copyfile(template, checks)
    checking_engine = make_engine(f"sqlite:///{checks}")
    check_file(files[0], engine=checking_engine)  # start-up of this database's caches
    t = dict.fromkeys(("baseline", "check", "check_new_database", "import"), 0.0)
    for n in range(rounds):  # imports write: a fresh copy of the database each round
        database = folder / f"round{n}.sqlite3"
        shutil.copyfile(template, database)
        engine = make_engine(f"sqlite:///{database}")
        check_file(files[0], engine=engine)  # start-up of this database's caches
        for start in range(0, len(files), SLICE):
            part = files[start : start + SLICE]
            started = time.perf_counter()
            for path in part:
                pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
            t["baseline"] += time.perf_counter() - started
            started = time.perf_counter()
            for path in part:
                check_file(path, engine=checking_engine)
            t["check"] += time.perf_counter() - started
            started = time.perf_counter()
            for path in part:
                check_file(path, engine=engine)
            t["check_new_database"] += time.perf_counter() - started
            started = time.perf_counter()
            for path in part:
                outcome = import_file(engine, path, uploaded_by="bench", scope=EVERYTHING)
                assert outcome.status in ("added", "partial"), (path, outcome.status)
            t["import"] += time.perf_counter() - started
        engine.dispose()
        database.unlink()

    worker.check_in_worker(
        contents[files[0]], file_name=files[0].name, database_url=str(checking_engine.url)
    )
    started = time.perf_counter()
    for _ in range(rounds):
        for path, data in contents.items():
            worker.check_in_worker(data, file_name=path.name, database_url=str(checking_engine.url))
    t["check_in_worker"] = time.perf_counter() - started
    checking_engine.dispose()
    checks.unlink()
    return {**t, "formats": formats}


def _print(title: str, count: int, t: dict[str, float]) -> None:
    print(f"{title}: {count} workbooks")
    print(
        f"  pandas.read_excel (baseline)  {count / t['baseline']:8.1f} workbooks/s"
        f"  {t['baseline'] / count * 1000:7.2f} ms a workbook"
    )
    for key, label in (
        ("check", "check (read, guards, normalise, match offices, check, score)"),
        ("check_new_database", "check on a new database each round (start-up in each round)"),
        ("check_in_worker", "check in the upload page's worker (a child process per file)"),
        ("import", "import (check + store + stored scores)"),
    ):
        print(
            f"  {label}  {count / t[key]:8.1f} workbooks/s  {t[key] / count * 1000:7.2f} ms"
            f"  = {t['baseline'] / t[key]:5.2f}x the baseline's throughput"
        )
    print(
        f"  cell formats alone  {t['formats'] / count * 1000:8.2f} ms a workbook"
        f" ({t['formats'] / t['check'] * 100:.1f}% of the check)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20, help="rounds over the samples")
    parser.add_argument("--generated", type=int, default=500, help="generated plan workbooks")
    args = parser.parse_args(argv)
    files = sorted(SAMPLES.glob("*.xlsx"))
    folder = Path(tempfile.mkdtemp())
    template = folder / "template.sqlite3"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    with engine.begin() as connection:
        load_master_data(connection)
    engine.dispose()  # every change in the main file before it is copied
    try:
        if files:
            t = _measure(files, template, folder, args.rounds)
            _print(
                f"sample workbooks ({len(files)} × {args.rounds} rounds)",
                len(files) * args.rounds,
                t,
            )
            resaved = _resaved(files, _mkdir(folder / "resaved"))
            t = _measure(resaved, template, folder, args.rounds)
            _print(
                f"sample workbooks re-saved by openpyxl ({len(files)} × {args.rounds} rounds)",
                len(files) * args.rounds,
                t,
            )
        else:
            print(f"no sample workbooks in {SAMPLES}")
        if args.generated:
            generated = _generated(engine, args.generated, _mkdir(folder / "generated"))
            t = _measure(generated, template, folder, 1)
            _print("generated plan workbooks", len(generated), t)
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
