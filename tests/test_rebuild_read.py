"""How the full rebuild reads its inputs (data/scores.py): small integers packed into one
number per row come back as they were, and the rare text columns (an indicator's defect, a
governance row's plan type) reach the scoring frame though they are read only when a row
flags them."""

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, update

from data.models import Indicator, Plan, ProgressReport
from data.scores import (
    WORD_BITS,
    _by_indicator_and_quarter,
    _numbers,
    _packed,
    _reader,
    _unpacked,
    rebuild_scores,
    scoring_input,
)


def test_packed_integers_come_back_as_they_were(engine):
    values = [12_345, 3, 0, 987_654_321, 1, 2**40]
    fields = [
        (str(v), most) for v, most in zip(values, [2**20, 7, 0, 2**30, 1, 2**41], strict=True)
    ]
    words, layout = _packed(fields)
    assert len(words) == 3  # more bits than one word holds: split, in order
    assert all(sum(bits) <= WORD_BITS for bits in layout)
    with engine.connect() as connection:
        got = _unpacked(_numbers(connection, words, ""), layout)
    assert [int(v[0]) for v in got] == values


def test_rare_text_columns_reach_the_scoring_frame(engine):
    from demo import build_demo

    build_demo(engine)
    with engine.begin() as connection:
        current = select(Plan.id).where(Plan.is_current)
        ids = connection.scalars(
            select(Indicator.id).where(Indicator.plan_id.in_(current)).order_by(Indicator.id)
        ).all()
        defective, governance = ids[5:9], ids[100:103]
        connection.execute(
            update(Indicator).where(Indicator.id.in_(defective)).values(defect="target-missing")
        )
        connection.execute(
            update(Indicator)
            .where(Indicator.id.in_(governance))
            .values(governance_plan_type="nis", weight=1.0)
        )
        frame = scoring_input(connection).set_index("indicator_id")
        plan_id = connection.scalar(select(Indicator.plan_id).where(Indicator.id == ids[100]))
        one_plan = scoring_input(connection, [plan_id]).set_index("indicator_id")
    assert frame["defect"].notna().sum() == len(defective)
    assert (frame.loc[defective, "defect"] == "target-missing").all()
    assert frame["governance_plan_type"].notna().sum() == len(governance)
    assert (frame.loc[governance, "governance_plan_type"] == "nis").all()
    assert one_plan.loc[ids[100], "governance_plan_type"] == "nis"
    # Without any such row the frame has the columns, all empty.
    with engine.begin() as connection:
        connection.execute(update(Indicator).values(defect=None, governance_plan_type=None))
        frame = scoring_input(connection)
    assert frame["defect"].isna().all() and frame["governance_plan_type"].isna().all()
    assert rebuild_scores(engine)["indicator_scores"] > 0


@pytest.mark.parametrize("ids", [[3, 8, 20, 21], [8, 3, 21, 20]])  # ascending, and not
def test_quarters_laid_out_as_sorting_them_would(ids):
    quarters = [
        pd.DataFrame(
            {
                "indicator_id": np.array(ids, dtype=np.int64),
                "status": pd.Series(["on_track", None, "lagging", f"q{q}"], dtype=object),
                "raw_score": np.array([1.5, np.nan, 3.0, q], dtype=float),
                "quarter": np.full(4, q, dtype=np.int64),
            }
        )
        for q in (1, 2, 3)
    ]
    got = _by_indicator_and_quarter(quarters)
    want = pd.concat(quarters, ignore_index=True).sort_values(
        ["indicator_id", "quarter"], kind="stable", ignore_index=True
    )
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["status"].dtype == object


def test_progress_read_on_a_second_connection_is_the_same(engine):
    # PostgreSQL: a full rebuild reads the progress on a second connection, in the rebuild's
    # exported snapshot, while its own reads the indicators (data/scores.py, _reader); the
    # frame is the one a single connection reads. Once the transaction has written, another
    # cannot see what it wrote: then one connection reads everything. SQLite: one reads.
    from demo import build_demo

    build_demo(engine)
    postgresql = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        alone = scoring_input(connection)
        with _reader(connection) as reader:
            assert (reader is not None) == postgresql
            together = scoring_input(connection, reader=reader)
        pd.testing.assert_frame_equal(together, alone, check_exact=True)
    with engine.begin() as connection:
        connection.execute(
            update(ProgressReport).where(ProgressReport.quarter == 2).values(is_current=False)
        )
        with _reader(connection) as reader:
            assert reader is None
            frame = scoring_input(connection, reader=reader)
    assert frame["a2"].isna().all() and alone["a2"].notna().any()
