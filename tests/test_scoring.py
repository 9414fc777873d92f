"""scoring.md, row for row: the worked examples, the quarter example, and properties."""

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.terms import TARGET_LEVELS
from scoring import (
    Rules,
    composite,
    marks_frame,
    plan_score,
    plan_totals,
    raw_scores,
    score_indicators,
)

FY2024 = dt.date(2024, 7, 1)
N = np.nan


def d(text: str) -> float:
    day, month, year = (int(p) for p in text.split("/"))
    return float(dt.date(2000 + year if year < 100 else year, month, day).toordinal())


def frame(unit, weight, targets, achievements=(N, N, N, N), q_targets=(N, N, N, N), method=None):
    row = {"unit_kind": unit, "weight": weight, "method": method}
    row.update(dict(zip(["t100", "t90", "t80", "t70", "t60"], targets, strict=True)))
    row.update({f"q{i + 1}": v for i, v in enumerate(q_targets)})
    row.update({f"a{i + 1}": v for i, v in enumerate(achievements)})
    row.update(
        {f"s{i + 1}": (None if np.isnan(v) else "reported") for i, v in enumerate(achievements)}
    )
    return pd.DataFrame([row])


EGOV = [d("09/03/25"), d("16/03/25"), d("23/03/25"), d("30/03/25"), d("06/04/25")]
GRS = [90, 80, 70, 60, N]
RTI = [d("15/10/2024"), d("31/10/2024"), d("30/11/2024"), N, N]

# scoring.md §5: (#, unit, weight, targets, achievement, raw, weighted)
WORKED = [
    (1, "date", 10, EGOV, d("05/03/25"), 100, 10),
    (2, "date", 10, EGOV, d("20/03/25"), 84.2857, 8.42857),
    (3, "date", 10, EGOV, d("06/04/25"), 60, 6),
    (4, "date", 10, EGOV, d("07/04/25"), 0, 0),
    (5, "percent", 15, GRS, 85, 95, 14.25),
    (6, "percent", 15, GRS, 65, 75, 11.25),
    (7, "percent", 15, GRS, 59, 0, 0),
    (8, "number", 5, [5, 4, 3, 2, 1], 3, 80, 4),
    (9, "number", 4, [2, N, 1, N, N], 1.5, 90, 3.6),
    (10, "number", 7, [1, N, N, N, N], 0, 0, 0),
    (11, "percent", 2, [100, N, N, N, N], 75, 75, 1.5),
    (12, "date", 1, RTI, d("20/10/2024"), 96.875, 0.96875),
    (13, "number", 4, [7, 10, 15, 20, 30], 12, 86, 3.44),
]


@pytest.mark.parametrize(("n", "unit", "weight", "targets", "achieved", "raw", "weighted"), WORKED)
def test_worked_examples(n, unit, weight, targets, achieved, raw, weighted):
    # Year-end view (Q4): the achievement is the whole year's.
    scored = score_indicators(frame(unit, weight, targets, (N, N, N, achieved)), Rules(), FY2024, 4)
    assert scored["raw_score"].iloc[0] == pytest.approx(raw, abs=1e-4), n
    assert scored["weighted_score"].iloc[0] == pytest.approx(weighted, abs=1e-5), n


def test_quarter_example_nis_meetings():
    row = frame("number", 2, [4, N, N, N, N], (1, 0, N, N), q_targets=(1, 1, 1, 1), method="sum")
    scored = score_indicators(row, Rules(), FY2024, 2).iloc[0]
    assert scored["achieved"] == 1
    assert scored["expected"] == 2
    assert scored["projected"] == 2
    assert scored["projected_score"] == pytest.approx(50)
    assert scored["status"] == "lagging"
    assert scored["score_at_risk"] == pytest.approx(1)


def test_step_rule_gives_the_lower_level():
    scored = score_indicators(frame("percent", 15, GRS, (N, N, N, 85)), Rules("step"), FY2024, 4)
    assert scored["raw_score"].iloc[0] == 90


def test_unreported_is_not_scored_until_year_end():
    row = frame("number", 5, [5, 4, 3, 2, 1])
    in_year = score_indicators(row, Rules(), FY2024, 2).iloc[0]
    assert np.isnan(in_year["raw_score"])
    assert in_year["status"] == "not_reported"
    year_end = score_indicators(row, Rules(), FY2024, 4, year_end=True).iloc[0]
    assert year_end["raw_score"] == 0


def test_not_monotonic_ladder_is_not_scored():
    scored = score_indicators(frame("number", 5, [5, 6, 3, 2, 1], (N, N, N, 4)), Rules(), FY2024, 4)
    assert np.isnan(scored["raw_score"].iloc[0])
    assert scored["rule"].iloc[0] == "ladder-not-monotonic"


def test_date_statuses():
    not_due = score_indicators(frame("date", 10, EGOV), Rules(), FY2024, 2).iloc[0]
    assert not_due["status"] == "not_yet_due"
    missed = score_indicators(frame("date", 2, RTI), Rules(), FY2024, 2).iloc[0]
    assert missed["status"] == "missed"
    assert missed["score_at_risk"] == 2
    done = score_indicators(frame("date", 10, EGOV, (d("05/03/25"), N, N, N)), Rules(), FY2024, 1)
    assert done["status"].iloc[0] == "on_track"


def _plans(percents: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"office_id": 1, "fiscal_year_id": 1, "quarter": 4, "plan_type": plan_type,
             "percent": percent, "projected_percent": percent}
            for plan_type, percent in percents.items()
        ]
    )  # fmt: skip


def test_composite_uses_the_marks():
    percents = {"apa": 100, "nis": 50, "egov": 100, "grs": 100, "citizen_charter": 0, "rti": 100}
    marks = marks_frame({1: Rules()})
    (row,) = composite(_plans(percents), None, marks).itertuples()
    assert row.composite == pytest.approx(70 + 5 + 10 + 4 + 0 + 3)
    (row,) = composite(
        _plans({"apa": 100}), None, marks_frame({1: Rules(marks={"apa": 80.0})})
    ).itertuples()
    assert row.composite == 80


def test_plan_score_sums_weighted_scores():
    rows = pd.concat(
        [
            frame("percent", 15, GRS, (N, N, N, 85)),
            frame("number", 5, [5, 4, 3, 2, 1], (N, N, N, 3)),
        ]
    ).reset_index(drop=True)
    scored = pd.concat([rows, score_indicators(rows, Rules(), FY2024, 4)], axis=1)
    totals = plan_score(scored)
    assert totals["score"] == pytest.approx(18.25)
    assert totals["total_weight"] == 20
    assert totals["percent"] == pytest.approx(91.25)


# ------------------------------------------------------------------ properties

ladders = st.lists(st.floats(1, 1000), min_size=5, max_size=5, unique=True).map(
    lambda xs: sorted(xs, reverse=True)
)
masks = st.lists(st.booleans(), min_size=5, max_size=5).filter(lambda m: sum(m) >= 1)


def _score(values, targets, is_date=False):
    values = np.asarray(values, dtype=float)
    t = np.tile(np.asarray(targets, dtype=float), (len(values), 1))
    return raw_scores(values, t, np.full(len(values), is_date))[0]


@settings(max_examples=200, deadline=None)
@given(ladders, masks, st.lists(st.floats(0, 1200), min_size=2, max_size=20))
def test_raw_score_is_bounded_and_monotone(ladder, mask, achievements):
    targets = [v if keep else np.nan for v, keep in zip(ladder, mask, strict=True)]
    achievements = sorted(achievements)
    scores = _score(achievements, targets)
    assert np.all((scores >= 0) & (scores <= 100))
    assert np.all(np.diff(scores) >= -1e-9), "a better achievement must not score less"


@settings(max_examples=200, deadline=None)
@given(ladders, masks, st.floats(0, 1200))
def test_lower_is_better_mirrors(ladder, mask, achievement):
    assume(sum(mask) >= 2)  # a direction needs two set levels
    targets = [v if keep else np.nan for v, keep in zip(ladder, mask, strict=True)]
    mirrored = [-v for v in targets]
    assert _score([achievement], targets)[0] == pytest.approx(_score([-achievement], mirrored)[0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=5, max_size=5, unique=True), st.integers(-50, 350))
def test_dates_behave_like_numbers(offsets, achieved):
    start = dt.date(2025, 1, 1).toordinal()
    dates = [start + o for o in sorted(offsets)]  # earlier is better
    as_dates = _score([start + achieved], dates, is_date=True)[0]
    as_days_left = _score([-(start + achieved)], [-x for x in dates])[0]
    assert as_dates == pytest.approx(as_days_left)


@settings(max_examples=100, deadline=None)
@given(ladders, st.floats(0, 1200))
def test_step_never_exceeds_interpolation(ladder, achievement):
    t = np.array([ladder], dtype=float)
    v = np.array([achievement])
    step = raw_scores(v, t, np.array([False]), "step")[0][0]
    linear = raw_scores(v, t, np.array([False]), "interpolate")[0][0]
    assert step <= linear + 1e-9


def test_method_defaults_by_unit_even_from_a_string_column():
    # pandas 3 reads text columns as a string dtype whose missing value is NaN, not None.
    row = frame("percent", 10, [95, 85.5, 76, 66.5, 57], (80, N, N, N))
    row["method"] = pd.Series([None], dtype="str")
    scored = score_indicators(row, Rules(), FY2024, 2).iloc[0]
    assert scored["expected"] == 95  # average: the best target, not 95 × 2 / 4


def test_vectorised_equals_row_by_row_on_the_demo_data(demo_engine):
    """The reference implementation (scoring/reference.py) agrees with the vectorised one."""
    from data.scores import scoring_input
    from scoring.reference import score_row

    with demo_engine.connect() as connection:
        frame = scoring_input(connection)
    frame = frame.astype({"unit_kind": object, "method": object})  # what the reference reads
    for quarter in (1, 2):
        vectorised = score_indicators(frame, Rules(), FY2024, quarter)
        for i, row in enumerate(frame.head(3000).to_dict("records")):
            expected = score_row(row, Rules(), FY2024, quarter)
            got = vectorised.iloc[i]
            assert got["status"] == expected["status"], row
            for key in ("achieved", "expected", "raw_score", "weighted_score", "projected_score"):
                assert got[key] == pytest.approx(expected[key], nan_ok=True, abs=1e-9), (key, row)


_numbers = st.one_of(st.just(N), st.floats(-50, 1200, allow_nan=False, allow_infinity=False))
_days = st.one_of(st.just(N), st.integers(738_700, 739_500).map(float))
_status = st.sampled_from([None, "reported", "in_progress", "not_achieved"])


@st.composite
def _indicators(draw):
    """One indicator of any shape the kernel takes: unit, method, a ladder with gaps (in any
    order, so also not monotonic), quarterly targets, reports with or without a value."""
    unit = draw(st.sampled_from(["number", "percent", "date"]))
    value = _days if unit == "date" else _numbers
    row = {
        "unit_kind": unit,
        "weight": draw(st.one_of(st.just(N), st.floats(0, 20))),
        "method": draw(st.sampled_from([None, "sum", "cumulative", "average", "date", "x"])),
    }
    for level in TARGET_LEVELS:
        row[f"t{level}"] = draw(value)
    for q in range(1, 5):
        row[f"q{q}"] = draw(_numbers)
        status = draw(_status)
        row[f"s{q}"] = status
        row[f"a{q}"] = draw(value) if status == "reported" else N
    return row


@settings(max_examples=300, deadline=None)
@given(st.lists(_indicators(), min_size=1, max_size=40), st.integers(1, 4), st.booleans())
def test_the_kernel_equals_the_row_by_row_reference(rows, quarter, step):
    """scoring/indicators.py (vectorised, on codes) and scoring/reference.py (plain Python,
    row by row) agree on every field the reference gives, to the last bit."""
    from scoring.reference import score_row

    rules = Rules(between_levels="step" if step else "interpolate")
    scored = score_indicators(pd.DataFrame(rows), rules, FY2024, quarter)
    for row, got in zip(rows, scored.to_dict("records"), strict=True):
        expected = score_row(row, rules, FY2024, quarter)
        assert got["status"] == expected["status"], row
        for key in ("achieved", "expected", "raw_score", "weighted_score", "projected_score"):
            a, b = got[key], expected[key]
            assert a == b or (np.isnan(a) and np.isnan(b)), (key, a, b, row)


@pytest.mark.parametrize("statuses", ["category", "object"])
def test_the_kernel_equals_the_reference_across_blocks(statuses):
    """The benchmark's indicators (every unit and method, ladders with gaps, text answers and
    none), more than one of the kernel's blocks long, with the statuses as data/scores.py reads
    them (categories) or as a workbook gives them (text): the kernel agrees with the reference
    to the last bit in every quarter under either rule between levels; at year end only the
    rows with nothing reported and a ladder to score change, to a raw score of 0."""
    from bench.bench_rebuild import indicator_quarters
    from core.terms import REPORTED_STATUSES
    from scoring.indicators import BLOCK
    from scoring.inputs import REPORTS
    from scoring.reference import score_row

    frame = indicator_quarters(BLOCK + 800, seed=7)
    if statuses == "object":
        frame = frame.astype(dict.fromkeys(REPORTS, object))
    text = {"unit_kind": object, "method": object, **dict.fromkeys(REPORTS, object)}
    records = frame.astype(text).to_dict("records")
    checked = [*range(500), *range(BLOCK - 500, BLOCK + 800)]  # both sides of a block's end
    for quarter, between in itertools.product((1, 2, 3, 4), ("interpolate", "step")):
        rules = Rules(between_levels=between)
        scored = score_indicators(frame, rules, FY2024, quarter)
        for i, got in zip(checked, scored.iloc[checked].to_dict("records"), strict=True):
            expected = score_row(records[i], rules, FY2024, quarter)
            assert got["status"] == expected["status"], records[i]
            for key in ("achieved", "expected", "raw_score", "weighted_score", "projected_score"):
                a, b = got[key], expected[key]
                assert a == b or (np.isnan(a) and np.isnan(b)), (key, a, b, records[i])

        year_end = score_indicators(frame, rules, FY2024, quarter, year_end=True)
        reported = np.zeros(len(frame), dtype=bool)
        for q in range(1, quarter + 1):
            reported |= frame[f"s{q}"].isin(REPORTED_STATUSES).to_numpy()
        unscored = scored["rule"].isin(["no-targets", "ladder-not-monotonic"]).to_numpy()
        zero = ~reported & ~unscored
        assert zero.any()
        scored.loc[zero, ["raw_score", "rule"]] = [0.0, "year-end-unreported-zero"]
        scored.loc[zero, "weighted_score"] = frame["weight"][zero] * 0.0 / 100.0
        pd.testing.assert_frame_equal(year_end, scored, check_exact=True)


def _plan_totals_by_groupby(scored, by):
    """plan_totals as pandas' group-by over the keys gives it: the oracle of the faster one."""
    frame = scored.assign(
        _projected=scored["weight"]
        * np.where(scored["status"] == "not_yet_due", 100.0, scored["projected_score"].fillna(0.0))
        / 100.0,
        _reported=scored["raw_score"].notna(),
        _lagging=scored["status"].isin(("lagging", "missed", "not_reported")),
    )
    grouped = frame.groupby(by, dropna=False)

    def one_by_one(values: pd.Series) -> float:
        """The group's values added in row order, NaN skipped; NaN for none (SQL's sum())."""
        total, seen = 0.0, False
        for value in values:
            if value == value:
                total, seen = total + value, True
        return total if seen else np.nan

    out = pd.DataFrame(
        {
            "score": grouped["weighted_score"].agg(one_by_one),
            "total_weight": grouped["weight"].agg(one_by_one),
            "projected_score": grouped["_projected"].agg(one_by_one),
            "indicator_count": grouped.size(),
            "reported_count": grouped["_reported"].sum(),
            "lagging_count": grouped["_lagging"].sum(),
        }
    )
    out["percent"] = out["score"] / out["total_weight"] * 100.0
    out["projected_percent"] = out["projected_score"] / out["total_weight"] * 100.0
    return out.drop(columns="projected_score").reset_index()


@pytest.mark.parametrize("seed", range(40))
def test_plan_totals_equal_pandas_group_by_to_the_last_bit(seed):
    """The groups as pandas' group-by makes them, each summed one value after the other in row
    order (not by pandas' sum, whose algorithm depends on the whole column: scoring/totals.py)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    weight = rng.random(n) * rng.choice([1.0, 7.0, 1e6])
    weight[rng.random(n) < 0.1] = np.nan
    weighted = rng.random(n) * rng.choice([1.0, 1e-8, 1e9])
    weighted[rng.random(n) < 0.3] = np.nan
    statuses = np.array(["on_track", "lagging", "not_yet_due", "missed", None], dtype=object)
    scored = pd.DataFrame(
        {
            "plan_id": rng.integers(0, max(1, n // 10), n),
            "office_id": rng.integers(5, 9, n),
            "fiscal_year_id": rng.integers(1, 3, n),
            "plan_type": pd.Series(rng.choice(np.array(["apa", "nis", "egov", None]), n)),
            "weight": weight,
            "weighted_score": weighted,
            "raw_score": np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
            "projected_score": np.where(rng.random(n) < 0.3, np.nan, rng.random(n) * 100),
            "status": pd.Series(rng.choice(statuses, n), dtype=object),
        }
    )
    for by in (["plan_id", "office_id", "fiscal_year_id", "plan_type"], "plan_id"):
        expected, got = _plan_totals_by_groupby(scored, by), plan_totals(scored, by=by)
        keys = [by] if isinstance(by, str) else by
        assert list(got.columns) == list(expected.columns)
        for column in expected.columns:
            if column in keys:
                assert [str(v) for v in got[column]] == [str(v) for v in expected[column]]
            else:  # the same bits: NaN where pandas gives NaN, equal everywhere else
                a = expected[column].to_numpy(dtype=float)
                b = got[column].to_numpy(dtype=float)
                assert np.array_equal(a, b, equal_nan=True), column


def _corrections_frame(statuses: str, seed: int = 3) -> pd.DataFrame:
    """The benchmark's indicators with what score_rows' steps around the kernel read: reports
    to date (a status, none, or one unknown), governance rows, defects, unreadable values."""
    from bench.bench_rebuild import indicator_quarters
    from scoring.inputs import REPORTS, complete

    rng = np.random.default_rng(seed)
    frame = complete(indicator_quarters(3000, seed=seed)).astype(dict.fromkeys(REPORTS, object))
    n = len(frame)
    at = rng.choice([N, 1, 2, 3, 4], n, p=[0.7, 0.1, 0.1, 0.05, 0.05])
    statuses_to_date = np.array([None, "reported", "in_progress", "unreadable", "other"], object)
    frame["todate_q"] = at
    frame["todate_a"] = np.where(np.isnan(at), N, rng.uniform(0, 800, n))
    frame["todate_s"] = pd.Series(
        np.where(np.isnan(at), None, rng.choice(statuses_to_date, n)), dtype=object
    )
    frame["governance_plan_type"] = pd.Series(
        np.where(rng.random(n) < 0.1, "nis", None), dtype=object
    )
    defect = np.where(rng.random(n) < 0.02, "", None)
    frame["defect"] = pd.Series(
        np.where(rng.random(n) < 0.05, "target-unreadable", defect), dtype=object
    )
    s3 = frame["s3"].to_numpy(dtype=object).copy()
    s3[rng.random(n) < 0.05] = "unreadable"
    frame["s3"] = pd.Series(s3, dtype=object)
    if statuses == "category":  # as data/scores.py reads them
        from data.scores import PROGRESS_STATUSES

        kinds = pd.CategoricalDtype(PROGRESS_STATUSES)
        frame = frame.astype({**dict.fromkeys(REPORTS, kinds), "todate_s": kinds})
    return frame


@pytest.mark.parametrize("statuses", ["category", "object"])
@pytest.mark.parametrize("last", [1, 2, 4])
def test_every_quarter_in_one_call_equals_score_rows_quarter_by_quarter(statuses, last):
    """scoring/stacked.py (quarters 1..last stacked into one kernel call, the steps around it
    on arrays) gives what score_rows gives for each quarter step by step on frames, to the last
    bit; so does score_rows itself, which takes the arrays' path for a few rows."""
    from scoring import score_rows
    from scoring.corrections import score_rows_by_frames
    from scoring.stacked import score_quarters

    frame = _corrections_frame(statuses)
    for between in ("interpolate", "step"):
        rules = Rules(between_levels=between, lagging_threshold=75.0)
        got = score_quarters(frame, rules, FY2024, last)
        assert (got["row"] == np.repeat(np.arange(len(frame)), last)).all()
        for quarter in range(1, last + 1):
            want = score_rows_by_frames(frame, rules, FY2024, quarter)
            mine = got["quarter"] == quarter
            small = score_rows(frame.iloc[:1500], rules, FY2024, quarter, year_end=quarter == 4)
            small_want = score_rows_by_frames(
                frame.iloc[:1500], rules, FY2024, quarter, year_end=quarter == 4
            )
            assert list(small.columns) == list(want.columns)
            for column in want.columns:
                for a, b in (
                    (want[column].to_numpy(), got[column][mine]),
                    (small_want[column].to_numpy(), small[column].to_numpy()),
                ):
                    if a.dtype.kind == "f":
                        assert np.array_equal(a, b.astype(float), equal_nan=True), column
                    else:
                        assert [None if pd.isna(v) else v for v in a] == [
                            None if pd.isna(v) else v for v in b
                        ], column


@pytest.mark.parametrize("seed", range(20))
def test_the_small_composite_equals_the_composite(seed):
    """scoring.totals.composite_small (plain Python, an import's offices) equals composite
    (pandas, the full rebuild) to the last bit: plans of several types, the APA's governance
    rows for action plans stored and not stored, missing percents and marks."""
    from scoring.totals import composite_small

    rng = np.random.default_rng(seed)
    types = ["apa", "nis", "egov", "grs", "rti", "unknown"]
    plans, governance = [], []
    for office, year, quarter in itertools.product(range(1, 4), (1, 2), range(1, 5)):
        if rng.random() < 0.2:
            continue
        for plan_type in rng.choice(types, rng.integers(1, 5), replace=False):
            percent = N if rng.random() < 0.2 else rng.uniform(0, 100) / 3
            plans.append((office, year, quarter, plan_type, percent, rng.uniform(0, 110) / 7))
        for _ in range(rng.integers(0, 6)):
            weight = 0.0 if rng.random() < 0.1 else rng.uniform(0, 5)
            marks = N if rng.random() < 0.2 else rng.uniform(0, 5) / 3
            governance.append(
                (office, year, quarter, rng.choice(types[1:]), weight, marks, weight * 0.7 / 3)
            )
    rng.shuffle(plans)
    keys = ["office_id", "fiscal_year_id", "quarter"]
    plan_frame = pd.DataFrame(
        plans, columns=[*keys, "plan_type", "percent", "projected_percent"]
    ).sort_values(keys, kind="stable", ignore_index=True)
    governance_frame = pd.DataFrame(
        governance, columns=[*keys, "plan_type", "weight", "marks", "projected_marks"]
    )
    rules = {1: Rules(), 2: Rules(marks={"apa": 60.0, "nis": 15.0, "egov": 25.0 / 3})}
    expected = composite(plan_frame, governance_frame, marks_frame(rules))
    got = composite_small(
        [(tuple(row[:3]), *row[3:]) for row in plan_frame.itertuples(index=False)],
        [(tuple(row[:3]), *row[3:]) for row in governance_frame.itertuples(index=False)],
        {(y, t): float(m) for y, r in rules.items() for t, m in r.marks.items()},
    )
    assert len(got) == len(expected)
    for row in expected.itertuples(index=False):
        key = (row.office_id, row.fiscal_year_id, row.quarter)
        assert got[key] == (row.composite, row.projected_composite), key
