"""Stored scores equal the pure functions; rebuild and explain work on the demo data."""

import subprocess
import sys

import pytest
from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from data.db import ROOT
from data.explain import ExplainError, explain_office
from data.master import find_office
from data.models import IndicatorScore, OfficeScore, Plan, PlanScore, Progress, ProgressReport
from data.scores import rebuild_scores


def _snapshot(engine):
    with engine.connect() as connection:
        return {
            "indicator": connection.execute(
                select(
                    IndicatorScore.indicator_id, IndicatorScore.quarter, IndicatorScore.raw_score
                ).order_by(IndicatorScore.indicator_id, IndicatorScore.quarter)
            ).all(),
            "office": connection.execute(
                select(OfficeScore.office_id, OfficeScore.quarter, OfficeScore.composite).order_by(
                    OfficeScore.office_id, OfficeScore.quarter
                )
            ).all(),
        }


def test_full_rebuild_reproduces_the_stored_scores(engine):
    from demo import build_demo

    build_demo(engine)
    before = _snapshot(engine)
    counts = rebuild_scores(engine)
    assert counts["indicator_scores"] == len(before["indicator"])
    assert _snapshot(engine) == before


def _score_schema(engine) -> dict:
    inspector = inspect(engine)
    return {
        table: (
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            sorted(
                (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table)
            ),
            (
                inspector.get_pk_constraint(table)["name"],
                tuple(inspector.get_pk_constraint(table)["constrained_columns"]),
            ),
        )
        for table in ("indicator_scores", "plan_scores", "office_scores")
    }


def test_a_full_rebuild_leaves_the_score_tables_indexed_and_checked(engine):
    # Emptied, every table is loaded in bulk: on SQLite its indexes dropped and made again, on
    # PostgreSQL into a table built aside that takes the old one's place (data/scores.py).
    from demo import build_demo

    build_demo(engine)
    before = _score_schema(engine)
    assert all(indexes and foreign_keys for indexes, foreign_keys, _pk in before.values())
    with engine.begin() as connection:
        for table in ("indicator_scores", "plan_scores", "office_scores"):
            connection.exec_driver_sql(f"DELETE FROM {table}")
    counts = rebuild_scores(engine)
    assert counts["rows_written"] == sum(
        counts[t] for t in ("indicator_scores", "plan_scores", "office_scores")
    )
    assert _score_schema(engine) == before
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            insert(IndicatorScore).values(
                indicator_id=10**9, quarter=1, plan_id=10**9, office_id=10**9, fiscal_year_id=1
            )
        )


def test_score_rows_go_to_postgresql_in_copys_binary_format():
    # Every column of the score tables has a type the binary COPY knows (data/scores.py,
    # _copy_types); one without would silently send its table in the slower text format.
    from data.models import ScoreDigest
    from data.scores import INDICATOR_COLUMNS, OFFICE_COLUMNS, PLAN_COLUMNS, _copy_types

    for table, columns in (
        (IndicatorScore, INDICATOR_COLUMNS),
        (PlanScore, PLAN_COLUMNS),
        (OfficeScore, OFFICE_COLUMNS),
        (ScoreDigest, ["plan_id", "digest"]),
    ):
        assert _copy_types(table, list(columns)) is not None, table.__tablename__
    assert _copy_types(ScoreDigest, ["digest"]) == ["int8"]


def test_a_bulk_rebuild_on_postgresql_loads_in_index_order_and_frozen(engine):
    # The table built aside is loaded in the order of its costliest index (its build then
    # sorts nothing) with COPY FREEZE (every page all-visible: index-only scans from the start,
    # no hint-bit writes by the first readers): data/scores.py, _build_aside_and_swap.
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's table built aside")
    from demo import build_demo

    build_demo(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM indicator_scores")
        settings = "SELECT current_setting('maintenance_work_mem'),"
        settings += " current_setting('max_parallel_maintenance_workers')"
        before = connection.exec_driver_sql(settings).one()
        rebuild_scores(connection)  # in the caller's transaction: its settings left as they were
        assert connection.exec_driver_sql(settings).one() == before
    with engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT indicator_id, quarter FROM indicator_scores ORDER BY ctid"
        ).all()
        by_index = connection.exec_driver_sql(
            "SELECT indicator_id, quarter FROM indicator_scores ORDER BY"
            ' fiscal_year_id, quarter, status COLLATE "C", plan_id, office_id,'
            ' plan_type COLLATE "C", score_at_risk NULLS LAST, ctid'
        ).all()
        pages, visible = connection.exec_driver_sql(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'indicator_scores'"
        ).one()
    assert len(stored) > 1000
    assert stored == by_index
    assert pages > 0 and visible == pages


def test_a_table_built_aside_keeps_the_owner_and_privileges_of_the_one_it_replaces(engine):
    # Production connects the dashboard with its own roles; a rebuild by a superuser must
    # leave the score tables to their owner (the migrations alter them) and readable by them.
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's table built aside and its roles")
    import os

    from demo import build_demo

    build_demo(engine)
    owner, reader = f"apa_owner_{os.getpid()}", f"apa_reader_{os.getpid()}"
    access = (
        "SELECT pg_get_userbyid(relowner), has_table_privilege(%(reader)s, oid, 'SELECT'),"
        " has_table_privilege(%(reader)s, oid, 'INSERT'),"
        " has_table_privilege(%(reader)s, oid, 'SELECT WITH GRANT OPTION')"
        " FROM pg_class WHERE relname = %(table)s"
    )
    tables = ("indicator_scores", "plan_scores")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {owner}")
        connection.exec_driver_sql(f"CREATE ROLE {reader}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"ALTER TABLE indicator_scores OWNER TO {owner}")
            connection.exec_driver_sql(f"GRANT SELECT ON indicator_scores TO {reader}")
            connection.exec_driver_sql(f"GRANT SELECT ON plan_scores TO {reader} WITH GRANT OPTION")
            connection.exec_driver_sql("DELETE FROM indicator_scores")
            connection.exec_driver_sql("DELETE FROM plan_scores")
            before = {
                t: connection.exec_driver_sql(access, {"reader": reader, "table": t}).one()
                for t in tables
            }
            me = connection.exec_driver_sql("SELECT current_user").scalar()
        assert before["indicator_scores"] == (owner, True, False, False)
        assert before["plan_scores"] == (me, True, False, True)
        counts = rebuild_scores(engine)
        assert counts["indicator_scores"] > 1000 and counts["plan_scores"] > 0
        with engine.connect() as connection:
            after = {
                t: connection.exec_driver_sql(access, {"reader": reader, "table": t}).one()
                for t in tables
            }
        assert after == before
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE indicator_scores OWNER TO CURRENT_USER")
            connection.exec_driver_sql(f"DROP OWNED BY {owner}, {reader}")
            connection.exec_driver_sql(f"DROP ROLE {owner}")
            connection.exec_driver_sql(f"DROP ROLE {reader}")


def test_rescoring_one_plan_follows_its_progress_and_leaves_others(engine):
    from demo import build_demo

    build_demo(engine)
    with engine.begin() as connection:
        office = find_office(connection, "ag:doc:dist:43")
        plan = connection.scalar(
            select(Plan.id).where(Plan.office_id == office, Plan.plan_type == "grs")
        )
        other = connection.execute(
            select(PlanScore.plan_id, PlanScore.quarter, PlanScore.score).where(
                PlanScore.office_id != office
            )
        ).all()
        # The office reports a perfect Q1 for its GRS plan (values at the best target).
        report = connection.scalar(
            select(ProgressReport.id).where(
                ProgressReport.plan_id == plan, ProgressReport.quarter == 1
            )
        )
        connection.execute(
            update(Progress)
            .where(Progress.report_id == report)
            .values(value_num=100, status="reported", value_date=None)
        )
        rebuild_scores(connection, plan_ids=[plan])
    with engine.connect() as connection:
        after_other = connection.execute(
            select(PlanScore.plan_id, PlanScore.quarter, PlanScore.score).where(
                PlanScore.office_id != office
            )
        ).all()
        assert sorted(after_other) == sorted(other)
        raw = (
            connection.execute(
                select(IndicatorScore.raw_score).where(
                    IndicatorScore.plan_id == plan, IndicatorScore.quarter == 1
                )
            )
            .scalars()
            .all()
        )
        assert raw and all(r == 100 for r in raw if r is not None)
    # The import's rescoring kept the plan's digest (score_digests) in step with its rows.
    assert rebuild_scores(engine)["rows_written"] == 0


def test_superseded_progress_is_ignored(engine):
    from demo import build_demo

    build_demo(engine)
    with engine.begin() as connection:
        n_before = connection.scalar(select(func.count()).select_from(IndicatorScore))
        connection.execute(
            update(ProgressReport).where(ProgressReport.quarter == 2).values(is_current=False)
        )
        rebuild_scores(connection)
        assert connection.scalar(select(func.max(IndicatorScore.quarter))) == 1
        assert connection.scalar(select(func.count()).select_from(IndicatorScore)) < n_before


def test_explain_matches_the_stored_composite(demo_engine):
    with demo_engine.connect() as connection:
        office = find_office(connection, "ag:doc:dist:43")
        stored = connection.scalar(
            select(OfficeScore.composite).where(
                OfficeScore.office_id == office, OfficeScore.quarter == 2
            )
        )
    text = explain_office(demo_engine, "ag:doc:dist:43", "2024-25", 2)
    assert f"composite = {stored:.4g} of 100 (stored: {stored:.4g})" in text
    assert "interpolate" in text and "[1.1.1]" in text
    with pytest.raises(ExplainError, match="matches 0 offices"):
        explain_office(demo_engine, "no such office", "2024-25", 2)


def test_cli_rebuild_and_explain(demo_engine, tmp_path):
    from data.db import make_engine
    from demo import build_demo

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    build_demo(make_engine(url))
    rebuild = subprocess.run(
        [sys.executable, "-m", "scoring", "--database-url", url, "rebuild"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert rebuild.returncode == 0, rebuild.stderr
    assert "indicator_scores" in rebuild.stdout
    explain = subprocess.run(
        [
            sys.executable,
            "-m",
            "scoring",
            "--database-url",
            url,
            "explain",
            "--office",
            "Narayanganj",
            "--quarter",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    # "Narayanganj" names several offices: a clear error, not a traceback.
    assert explain.returncode == 2
    assert "give its id or code" in explain.stderr


def _same_rows(engine, table: str, columns, keys, expected) -> None:
    """The table holds exactly `expected`'s rows: numbers equal to the last bit (NULL = NaN),
    text equal (NULL = None)."""
    import numpy as np
    import pandas as pd

    columns = list(columns)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(keys)}"
        ).all()
    stored = pd.DataFrame(rows, columns=columns)
    expected = expected.sort_values(keys, ignore_index=True)
    assert len(stored) == len(expected), table
    for column in columns:
        want = expected[column].to_numpy()
        got = stored[column].to_numpy()
        if want.dtype.kind in "biuf":
            want, got = want.astype(float), got.astype(float)
            same = (want == got) | (np.isnan(want) & np.isnan(got))
        else:
            same = np.where(pd.isna(want) | pd.isna(got), pd.isna(want) & pd.isna(got), want == got)
        assert same.all(), (table, column, int((~same).sum()))


def test_the_rebuild_stores_what_mains_code_computed(engine):
    """The fast rebuild (data/scores.py) against main's readers and scoring loop, kept as the
    oracle (tests/score_oracle.py): after a change it writes the changed rows only, a rebuild
    with nothing to change writes nothing, and the bulk path gives the same rows."""
    from data.scores import INDICATOR_COLUMNS, PLAN_COLUMNS, load_rules
    from demo import build_demo
    from tests.score_oracle import oracle_scores

    build_demo(engine)
    with engine.begin() as connection:
        connection.execute(
            update(Progress).where(Progress.id % 7 == 0).values(value_num=Progress.value_num * 1.5)
        )

    def check():
        with engine.connect() as connection:
            scored, plans = oracle_scores(connection, load_rules(connection))
        _same_rows(
            engine, "indicator_scores", INDICATOR_COLUMNS, ["indicator_id", "quarter"], scored
        )
        _same_rows(engine, "plan_scores", PLAN_COLUMNS, ["plan_id", "quarter"], plans)
        return len(scored)

    counts = rebuild_scores(engine)
    rows = check()
    assert 0 < counts["rows_written"] < rows
    assert rebuild_scores(engine)["rows_written"] == 0
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM indicator_scores")
    assert rebuild_scores(engine)["rows_written"] >= rows  # the bulk path
    check()
    assert rebuild_scores(engine)["rows_written"] == 0


def test_a_full_rebuild_lets_readers_in_and_keeps_other_score_writers_waiting(engine):
    """While a rebuild writes (scored, not yet stored), another connection reads the stored
    scores; an import's score write waits until the rebuild commits (here: gives up at once)."""
    from demo import build_demo

    build_demo(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM indicator_scores")  # the bulk path
    postgresql = engine.dialect.name == "postgresql"
    seen = {}

    def meanwhile(share: float) -> None:
        if share != 0.6:
            return
        with engine.connect() as other:
            if postgresql:
                other.exec_driver_sql("SET lock_timeout = '1s'")
            else:
                other.exec_driver_sql("PRAGMA busy_timeout = 0")
            seen["read"] = other.scalar(select(func.count()).select_from(PlanScore))
            with pytest.raises(OperationalError):
                other.exec_driver_sql("DELETE FROM plan_scores WHERE plan_id = -1")
            other.rollback()

    rebuild_scores(engine, progress=meanwhile)
    with engine.connect() as connection:
        assert seen["read"] == connection.scalar(select(func.count()).select_from(PlanScore)) > 0


def test_an_error_in_the_bulk_load_fails_the_rebuild_and_stores_nothing(engine):
    """A full rebuild that loads the indicator scores in bulk (indexes dropped, the table
    emptied) and fails there (here a trigger that refuses the rows) stores nothing: the
    stored rows stay as they were, and the next rebuild works."""
    import sqlite3

    from demo import build_demo

    if engine.dialect.name == "postgresql":
        pytest.skip("a trigger in SQLite's syntax")
    build_demo(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM indicator_scores")  # the bulk path
        connection.exec_driver_sql("DELETE FROM plan_scores WHERE plan_id % 2 = 0")
        plan_rows = connection.scalar(select(func.count()).select_from(PlanScore))
        connection.exec_driver_sql(
            "CREATE TRIGGER no_scores BEFORE INSERT ON indicator_scores"
            " BEGIN SELECT RAISE(ABORT, 'no indicator scores today'); END"
        )
    with pytest.raises(sqlite3.IntegrityError, match="no indicator scores today"):
        rebuild_scores(engine)
    with engine.begin() as connection:
        assert connection.scalar(select(func.count()).select_from(IndicatorScore)) == 0
        assert connection.scalar(select(func.count()).select_from(PlanScore)) == plan_rows
        connection.exec_driver_sql("DROP TRIGGER no_scores")
    counts = rebuild_scores(engine)
    with engine.connect() as connection:
        assert (
            connection.scalar(select(func.count()).select_from(IndicatorScore))
            == (counts["indicator_scores"])
        )
        assert (
            connection.scalar(select(func.count()).select_from(PlanScore))
            == (counts["plan_scores"])
            > plan_rows
        )


def test_a_bulk_rebuild_on_sqlite_keeps_the_planners_statistics(engine):
    """SQLite's bulk path drops the score tables' indexes and makes them again, which loses
    their statistics (sqlite_stat1): they are put back, so the planner still reads an office's
    scores through the office's index, not through the lagging index's whole quarter."""
    from demo import build_demo

    if engine.dialect.name == "postgresql":
        pytest.skip("SQLite's statistics (PostgreSQL builds the table aside and ANALYZEs it)")
    build_demo(engine)  # ends with ANALYZE

    def statistics():
        with engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT tbl, idx, stat FROM sqlite_stat1"
                " WHERE tbl IN ('indicator_scores', 'plan_scores') ORDER BY tbl, idx"
            ).all()

    def office_plan():
        with engine.connect() as connection:
            return " ".join(
                row[3]
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT sum(score_at_risk) FROM indicator_scores"
                    " WHERE office_id = 5 AND fiscal_year_id = 24 AND quarter = 2"
                    " AND status = 'lagging'"
                )
            )

    before = statistics()
    assert {idx for _tbl, idx, _stat in before} >= {
        "ix_indicator_scores_office",
        "ix_indicator_scores_lagging",
        "ix_plan_scores_fyq",
    }
    assert "ix_indicator_scores_office" in office_plan()
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM indicator_scores")  # the bulk path
        connection.exec_driver_sql("DELETE FROM plan_scores")
    rebuild_scores(engine)
    assert statistics() == before
    assert "ix_indicator_scores_office" in office_plan()


def test_a_rebuild_before_any_report_stores_nothing_and_does_not_fail(engine):
    """Plans without a single report yet (a new fiscal year, a fresh install): the rebuild has
    nothing to score and must say so, not stop on the empty frame."""
    from demo import build_demo

    build_demo(engine, quarters=0)
    with engine.connect() as connection:
        plans = connection.scalar(select(func.count()).select_from(Plan))
    counts = rebuild_scores(engine)
    assert plans > 0
    assert counts["indicator_scores"] == counts["plan_scores"] == counts["office_scores"] == 0
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(IndicatorScore)) == 0


def test_the_scores_an_import_stores_are_the_full_rebuilds(master, samples_dir, tmp_path):
    """An import rescores its offices for every quarter at once (scoring/stacked.py) with the
    totals and composites in plain Python (scoring/totals.py): after imports of new plans,
    new revisions, later quarters and the sample workbooks (APA governance rows), a full
    rebuild finds every stored row (indicator, plan, office) equal to the last bit."""
    import random

    from bench.bench_import import _generated, generated_workbook
    from data.office_match import OfficeIndex
    from data.scope import EVERYTHING
    from loaders.pipeline import check_file, import_file

    files = _generated(master, 24, tmp_path)
    for path in files[:12]:
        assert import_file(master, path, scope=EVERYTHING).status in ("added", "partial")
    rebuild_scores(master)  # every quarter the first batch reported, for every office
    for path in files[12:]:  # new offices
        assert import_file(master, path, scope=EVERYTHING).status in ("added", "partial")
    rng = random.Random(4)
    with master.connect() as connection:
        index = OfficeIndex(connection)
    for n, path in enumerate(files[:4]):  # the same offices again: new revisions and reports
        office = index.offices[check_file(path, engine=master).plans[0].draft.office_id]
        row = {"id": office.id, "name_bn": office.name_bn, "name_en": office.name_en}
        again = tmp_path / f"again{n}.xlsx"
        again.write_bytes(
            generated_workbook(rng, row, {"code": "apa", "name_bn": "বার্ষিক কর্মসম্পাদন চুক্তি"})
        )
        assert import_file(master, again, scope=EVERYTHING).status in ("added", "partial")
    # The Q2 sample first: an import that raises its year's latest quarter rescores only its
    # own offices (the others get that quarter's rows at the next full rebuild).
    for path in sorted(samples_dir.glob("*.xlsx"), reverse=True):
        assert import_file(master, path, scope=EVERYTHING).status in ("added", "partial")
    with master.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(OfficeScore)) > 24
    counts = rebuild_scores(master)
    assert counts["indicator_scores"] > 0
    assert counts["rows_written"] == 0


def test_latest_quarters_per_year_come_from_the_index(demo_engine):
    """Each fiscal year's latest current quarter, of every year or of the years asked for, as
    grouping every current report gives it; on SQLite found by an index lookup per year
    (ix_progress_reports_latest), not by reading every report (an import asks on each call)."""
    from data.scores import _latest_quarters

    with demo_engine.connect() as connection:
        expected = dict(
            connection.execute(
                select(ProgressReport.fiscal_year_id, func.max(ProgressReport.quarter))
                .where(ProgressReport.is_current)
                .group_by(ProgressReport.fiscal_year_id)
            ).all()
        )
        assert expected and _latest_quarters(connection) == expected
        year = min(expected)
        assert _latest_quarters(connection, [year, 10_000]) == {year: expected[year]}
        assert _latest_quarters(connection, []) == {}
        if demo_engine.dialect.name == "sqlite":
            truth = "1"
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT max(quarter) FROM progress_reports"
                f" WHERE fiscal_year_id = {year} AND is_current = {truth}"
            ).all()
            assert any("ix_progress_reports_latest" in str(row[-1]) for row in plan), plan
            assert not any(str(row[-1]).startswith("SCAN") for row in plan), plan


def test_an_imports_rescoring_columns_score_as_the_frame_does(demo_engine):
    """An import's rescoring hands the kernel scoring_columns' arrays (statuses as positions in
    PROGRESS_STATUSES, "other" among them) without a frame: the same scores, to the last bit,
    as score_quarters on scoring_input's frame."""
    import numpy as np
    import pandas as pd

    from data.scores import (
        PROGRESS_STATUSES,
        _kernel_columns,
        _latest_quarters,
        load_rules,
        scoring_columns,
        scoring_input,
    )
    from scoring.stacked import score_columns, score_quarters

    with demo_engine.connect() as connection:
        columns = scoring_columns(connection)
        frame = scoring_input(connection)
        latest = _latest_quarters(connection)
        rules = load_rules(connection)
    # Every status code in the first quarter, "other" (4) and none (-1) among them.
    codes = np.resize(np.arange(-1, len(PROGRESS_STATUSES), dtype=np.int8), len(frame))
    columns["s1"] = codes
    frame["s1"] = pd.Categorical.from_codes(codes, PROGRESS_STATUSES)
    assert (codes == PROGRESS_STATUSES.index("other")).any()
    for year, last in latest.items():
        mine = columns["fiscal_year_id"] == year
        subset = {k: v[mine] for k, v in columns.items()}
        rule_set, start = rules[year]
        got = score_columns(_kernel_columns(subset, last), rule_set, start, last)
        want = score_quarters(frame[mine].reset_index(drop=True), rule_set, start, last)
        assert set(got) == set(want)
        for name, values in want.items():
            if values.dtype.kind == "f":
                assert np.array_equal(got[name], values, equal_nan=True), name
            else:
                assert list(got[name]) == list(values), name


def test_small_and_large_digests_are_the_same(engine, monkeypatch):
    """A plan's digest hashes its text columns value by value below data.scores.SMALL rows (an
    import's rescoring) and through pandas.factorize above (a full rebuild): both must give
    the same digests, or an import and a rebuild would each find the other's rows changed."""
    import numpy as np
    import pandas as pd

    from data import scores
    from demo import build_demo

    build_demo(engine)
    with engine.connect() as connection:
        frame = pd.read_sql(
            f"SELECT {', '.join(scores.INDICATOR_COLUMNS)} FROM indicator_scores", connection
        )
    frame.loc[frame.index[::7], "rule"] = None  # a NULL text among them
    assert frame["plan_type"].nunique() > 1 and frame["status"].nunique() > 1
    monkeypatch.setattr(scores, "SMALL", len(frame) + 1)
    by_value = scores._plan_digests(frame)
    monkeypatch.setattr(scores, "SMALL", 0)
    factorized = scores._plan_digests(frame)
    for small, large in zip(by_value, factorized, strict=True):
        np.testing.assert_array_equal(small, large)
    assert len(by_value[0]) > 1
