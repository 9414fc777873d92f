"""The demo builder: real plans, varied progress, marked as demo, deterministic."""

import datetime as dt
import re
import subprocess
import sys

import openpyxl
import pytest
from sqlalchemy import func, select

from data.db import ROOT
from data.master import load_master_data
from data.models import (
    AppMeta,
    Indicator,
    IndicatorScore,
    Office,
    Plan,
    Progress,
    ProgressReport,
    Submission,
)
from demo import DemoError, build_demo, table_counts
from demo.catalog import CC_FIELD, EGOV_FIELD, EGOV_MINISTRY, GRS_FIELD, RTI_DISTRICT

BN = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def _cell(value):
    """A sample cell as the catalog writes it: numbers, ISO dates, or None for '-'."""
    if value is None:
        return None
    text = str(value).translate(BN).strip().rstrip("%")
    if text in ("", "-", "--"):
        return None
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})", text):
        day, month, year = (int(g) for g in m.groups())
        return dt.date(year + 2000 if year < 100 else year, month, day).isoformat()
    return float(text)


def _code(text):
    m = re.search(r"\[+([\d.]+)\]", str(text).translate(BN))
    return m.group(1) if m else None


@pytest.mark.parametrize(
    ("workbook", "sheet", "spec", "code_col", "weight_col", "first_target_col"),
    [
        ("field-office-plans-2024-25.xlsx", "ই-গভর্ন্যান্স", EGOV_FIELD, "C", "E", 6),
        ("field-office-plans-2024-25.xlsx", "অভিযোগ প্রতিকার", GRS_FIELD, "D", "F", 7),
        ("field-office-plans-2024-25.xlsx", "সেবা প্রদান প্রতিশ্রুতি", CC_FIELD, "D", "F", 7),
        ("field-office-plans-2024-25.xlsx", "তথ্য অধিকার (জেলা)", RTI_DISTRICT, "D", "F", 9),
        ("plandiv-egov-q2-progress-2023-24.xlsx", "২য় ত্রৈমাসিক", EGOV_MINISTRY, "D", "F", 7),
    ],
)
def test_catalog_matches_the_sample_workbooks(
    samples_dir, workbook, sheet, spec, code_col, weight_col, first_target_col
):
    ws = openpyxl.load_workbook(samples_dir / workbook, read_only=True)[sheet]
    rows = {}
    for row in ws.iter_rows(min_row=1):
        cells = {c.column_letter: c.value for c in row if hasattr(c, "column_letter")}
        code = _code(cells.get(code_col) or "")
        if code and code.count(".") == 2 and code not in rows:
            targets = [
                _cell(row[first_target_col - 1 + i].value)
                if len(row) >= first_target_col + i
                else None
                for i in range(5)
            ]
            rows[code] = (_cell(cells.get(weight_col)), targets)
    for indicator in spec.indicators:
        if indicator.code not in rows:
            continue
        weight, targets = rows[indicator.code]
        catalog = [
            None if t is None else (t if isinstance(t, str) else float(t))
            for t in indicator.targets
        ]
        if weight is not None:
            assert weight == indicator.weight, indicator.code
        # Cleaned defects are documented in the catalog: a wrong year and missing values.
        for sample, clean in zip(targets, catalog, strict=True):
            if sample is not None and not (isinstance(sample, str) and sample.startswith("2022")):
                assert sample == clean, (indicator.code, targets, catalog)
    assert len(set(rows) & {i.code for i in spec.indicators}) >= len(spec.indicators) - 1


def test_demo_has_real_offices_and_six_plans_each(demo_engine):
    with demo_engine.connect() as connection:
        offices = connection.scalar(select(func.count()).select_from(Office))
        plans = connection.execute(
            select(Plan.office_id, func.count()).group_by(Plan.office_id)
        ).all()
        assert 200 <= offices <= 1000
        assert {n for _office, n in plans} == {6}
        assert (
            connection.scalar(
                select(func.count()).select_from(Submission).where(Submission.is_demo.is_(False))
            )
            == 0
        )
        meta = dict(connection.execute(select(AppMeta.key, AppMeta.value)).all())
        assert meta["demo"] == "1"


def test_demo_progress_is_varied(demo_engine):
    with demo_engine.connect() as connection:
        statuses = dict(
            connection.execute(
                select(Progress.status, func.count()).group_by(Progress.status)
            ).all()
        )
        assert statuses["in_progress"] > 0 and statuses["not_achieved"] > 0
        assert (
            connection.scalar(
                select(func.count()).where(Progress.value_text == "কার্যক্রম চলমান রয়েছে")
            )
            > 0
        )
        score_status = dict(
            connection.execute(
                select(IndicatorScore.status, func.count()).group_by(IndicatorScore.status)
            ).all()
        )
        for status in ("on_track", "lagging", "not_reported", "not_yet_due"):
            assert score_status.get(status, 0) > 0, status
        assert score_status["on_track"] > score_status["lagging"]
        # Some office-quarters are missing, and some reports came late.
        offices = connection.scalar(select(func.count()).select_from(Office))
        reported_q1 = connection.scalar(
            select(func.count(func.distinct(ProgressReport.office_id))).where(
                ProgressReport.quarter == 1
            )
        )
        assert 0 < reported_q1 < offices
        late = connection.scalar(
            select(func.count()).where(
                ProgressReport.quarter == 1,
                ProgressReport.received_at > dt.datetime(2024, 10, 10, 23, 59),
            )
        )
        assert late > 0


def test_demo_is_deterministic(engine, demo_engine):
    build_demo(engine, seed=7)
    assert table_counts(engine) == table_counts(demo_engine)


def test_demo_refuses_a_non_empty_database(demo_engine):
    with pytest.raises(DemoError, match="not empty"):
        build_demo(demo_engine)


def test_cli_builds_and_refuses_without_force(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    first = subprocess.run(
        [sys.executable, "-m", "demo", "--database-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    assert "indicator_scores" in first.stdout
    second = subprocess.run(
        [sys.executable, "-m", "data.demo", "--database-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 2
    assert "not empty" in second.stderr


def test_demo_is_the_same_data_run_after_run(engine, demo_engine):
    # Not only the counts: the same seed gives the same values, row for row.
    build_demo(engine, seed=7)

    def rows(target):
        with target.connect() as connection:
            return (
                connection.execute(
                    select(
                        Progress.id,
                        Progress.indicator_id,
                        Progress.value_num,
                        Progress.value_date,
                        Progress.value_raw,
                        Progress.status,
                    ).order_by(Progress.id)
                ).all(),
                connection.execute(
                    select(
                        ProgressReport.id, ProgressReport.plan_id, ProgressReport.received_at
                    ).order_by(ProgressReport.id)
                ).all(),
                connection.execute(
                    select(
                        Indicator.id, Indicator.plan_id, Indicator.targets_raw, Indicator.target_100
                    ).order_by(Indicator.id)
                ).all(),
            )

    assert rows(engine) == rows(demo_engine)


def test_first_run_builds_the_demo_after_loaders_loaded_the_master_data(
    engine, demo_engine, monkeypatch
):
    # A newcomer who ran `python -m loaders check` first has the master data and no plans:
    # the app's first run still builds the demo, the same one an empty database gets.
    from dashboard.first_run import build_demo_if_empty
    from data.db import SETTING
    from data.master import load_master_data

    with engine.begin() as connection:
        load_master_data(connection)
    monkeypatch.delenv(SETTING, raising=False)
    build_demo_if_empty(engine)
    assert table_counts(engine) == table_counts(demo_engine)
    with engine.connect() as connection:
        assert connection.scalar(select(AppMeta.value).where(AppMeta.key == "demo")) == "1"
    # Once there are plans the first run leaves the database alone (a second build would
    # refuse: "not empty").
    build_demo_if_empty(engine)
    assert table_counts(engine) == table_counts(demo_engine)


def test_first_run_leaves_a_configured_database_alone(engine, monkeypatch):
    from dashboard.first_run import build_demo_if_empty
    from data.db import SETTING

    monkeypatch.setenv(SETTING, engine.url.render_as_string(hide_password=False))
    build_demo_if_empty(engine)
    assert table_counts(engine)["plans"] == 0


def test_demo_refuses_offices_of_another_scale(engine):
    with engine.begin() as connection:
        load_master_data(connection, "default")
    with pytest.raises(DemoError, match="other than the national master data"):
        build_demo(engine, scale="national")
    assert table_counts(engine)["plans"] == 0
