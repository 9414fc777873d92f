"""Import throughput: the sample workbooks checked and imported, against plainly reading the
same files with `pandas.read_excel`, in the same process.

    python -m bench.bench_import [--rounds 20]

Each round imports the samples into a fresh SQLite database (master data loaded once into a
template file that each round copies), so every import really writes. The baseline reads
every sheet of the same files with `pandas.read_excel(sheet_name=None)` (openpyxl), which
interprets nothing and checks nothing. It also times the cell-format reader alone
(loaders/formats.py: styles part and numeric cells' styles), to show its share of a check.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

from data.db import ROOT, make_engine, upgrade
from data.master import load_master_data
from data.scope import EVERYTHING
from loaders.formats import number_formats
from loaders.pipeline import check_file, import_file

SAMPLES = ROOT.parent / "shared" / "samples"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    files = sorted(SAMPLES.glob("*.xlsx"))
    if not files:
        print(f"no sample workbooks in {SAMPLES}")
        return
    folder = Path(tempfile.mkdtemp())
    template = folder / "template.sqlite3"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    with engine.begin() as connection:
        load_master_data(connection)
    engine.dispose()

    started = time.perf_counter()
    for _ in range(args.rounds):
        for path in files:
            pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    baseline = time.perf_counter() - started

    contents = {path: path.read_bytes() for path in files}
    started = time.perf_counter()
    for _ in range(args.rounds):
        for data in contents.values():
            archive = zipfile.ZipFile(io.BytesIO(data))
            number_formats(archive, [n for n in archive.namelist() if "worksheets/" in n])
    formats = time.perf_counter() - started

    checking = 0.0
    importing = 0.0
    for n in range(args.rounds):
        database = folder / f"round{n}.sqlite3"
        shutil.copyfile(template, database)
        engine = make_engine(f"sqlite:///{database}")
        started = time.perf_counter()
        for path in files:
            check_file(path, engine=engine)
        checking += time.perf_counter() - started
        started = time.perf_counter()
        for path in files:
            outcome = import_file(engine, path, uploaded_by="bench", scope=EVERYTHING)
            assert outcome.status == "added", (path, outcome.status)
        importing += time.perf_counter() - started
        engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)

    count = args.rounds * len(files)
    print(f"{len(files)} sample workbooks × {args.rounds} rounds = {count} workbooks")
    print(f"  pandas.read_excel (baseline)  {count / baseline:8.1f} workbooks/s")
    print(
        f"  check (read, normalise, match offices, check, score)  {count / checking:8.1f} workbooks/s"
    )
    print(f"  import (check + store + stored scores)  {count / importing:8.1f} workbooks/s")
    print(
        f"  cell formats alone  {formats / count * 1000:8.2f} ms a workbook"
        f" ({formats / checking * 100:.1f}% of the check)"
    )
    print(f"  ratio import / baseline time  {importing / baseline:8.2f} x")


if __name__ == "__main__":
    main()
