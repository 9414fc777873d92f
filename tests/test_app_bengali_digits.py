"""Bengali digits in what the pages draw: table cells (through the Styler's display values,
with the numbers underneath unchanged) and chart axes and labels (explicit ticks)."""

from __future__ import annotations

import itertools
import json

import plotly.express as px
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components.chart import nice_ticks, with_bengali_digits
from tests.test_app_pages import app

BENGALI = set("০১২৩৪৫৬৭৮৯")
ASCII = set("0123456789")


def shown(element) -> pa.Table | None:
    """The display values Streamlit sends for a dataframe element (None without a Styler)."""
    raw = element.proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(raw).read_all().to_pandas() if raw else None


def table_script():
    import pandas as pd
    import streamlit as st

    from dashboard.components.table import show_table

    frame = pd.DataFrame(
        {
            "id": [1234, 5],
            "offices": [1234, 5],
            "score": [12.345, None],
            "code": ["1.1.1", "2.1"],
            "weight": [10.0, 0.25],
            "percent": [50.0, 10.0],
        }
    )
    show_table(
        frame,
        {
            "score": st.column_config.NumberColumn("Score", format="%.2f"),
            "percent": st.column_config.ProgressColumn("%", min_value=0, max_value=100),
        },
    )


@pytest.mark.parametrize("bengali", [True, False])
def test_tables_show_bengali_digits_over_unchanged_numbers(bengali):
    at = AppTest.from_function(table_script)
    at.session_state["bn_digits"] = bengali
    at.run()
    assert not at.exception
    element = at.dataframe[0]
    assert element.value["offices"].tolist() == [1234, 5]  # still numbers: sorts by value
    display = shown(element)
    if not bengali:
        assert display is None
        return
    assert display["offices"].tolist() == ["১,২৩৪", "৫"]
    assert display["id"].tolist() == ["১২৩৪", "৫"]  # an identifier: no separators
    assert display["score"].tolist() == ["১২.৩৫", "–"]  # the column's two decimals
    assert display["code"].tolist() == ["১.১.১", "২.১"]
    assert display["weight"].tolist() == ["১০", "০.২৫"]  # as many decimals as it needs
    config = json.loads(element.proto.columns)
    assert "format" not in config["score"]["type_config"]  # or it would hide the digits
    assert config["percent"]["type_config"]["type"] == "progress"  # draws its own label


def test_chart_axes_get_bengali_ticks_that_cover_the_data():
    figure = with_bengali_digits(px.bar(x=[1, 2, 3], y=[10, 395, 120]))
    axis = figure.layout.yaxis
    assert axis.tickmode == "array"
    assert list(axis.tickvals) == [0, 100, 200, 300, 400]
    assert list(axis.ticktext) == ["০", "১০০", "২০০", "৩০০", "৪০০"]
    assert list(figure.layout.xaxis.ticktext) == ["০", "১", "২", "৩"]  # counts: no halves


def test_chart_ticks_keep_a_set_range_and_translate_set_labels():
    figure = px.line(x=[1, 2], y=[40.5, 62.25], range_y=[0, 105])
    figure.update_xaxes(tickmode="array", tickvals=[1, 2, 3, 4], ticktext=["Q1", "Q2", "Q3", "Q4"])
    with_bengali_digits(figure)
    assert list(figure.layout.xaxis.ticktext) == ["Q১", "Q২", "Q৩", "Q৪"]
    assert list(figure.layout.yaxis.tickvals) == [0, 20, 40, 60, 80, 100]


def test_category_axes_are_left_alone_and_pies_get_bengali_percentages():
    bars = with_bengali_digits(px.bar(x=["ক", "খ"], y=[3, 1]))
    assert bars.layout.xaxis.tickmode is None
    pie = with_bengali_digits(px.pie(names=["up", "down", "same"], values=[522, 338, 140]))
    assert list(pie.data[0].text) == ["৫২.২%", "৩৩.৮%", "১৪.০%"]
    assert pie.data[0].textinfo == "text"


@pytest.mark.parametrize(
    ("low", "high", "whole"),
    [(0, 100, False), (0, 415, True), (0, 7.35, True), (0, 0.8, False), (0, 23_940, True)],
)
def test_nice_ticks_are_round_evenly_spaced_and_inside_the_range(low, high, whole):
    ticks = nice_ticks(low, high, whole=whole)
    assert 2 <= len(ticks) <= 11
    assert ticks[0] >= low and ticks[-1] <= high
    assert ticks[-1] >= high / 2
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    if whole:
        assert all(float(t).is_integer() for t in ticks)


def plotly_ticks(at) -> list[str]:
    labels = []
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        for axis in ("xaxis", "yaxis"):
            labels.extend(str(t) for t in layout.get(axis, {}).get("ticktext", []))
    return labels


def test_the_overview_in_bengali_draws_bengali_digits_in_charts_and_tables(
    demo_engine, monkeypatch
):
    at = app(demo_engine, monkeypatch, lang="bn")
    assert not at.exception
    ticks = "".join(plotly_ticks(at))
    assert set(ticks) & BENGALI and not set(ticks) & ASCII
    # The top ten ministries (a plain table, st.table) and, opened, a chart's table (the grid).
    at.session_state["behind-table"] = True
    at.run()
    for element in (at.table[0], at.dataframe[0]):
        cells = "".join(shown(element).astype(str).to_numpy().ravel())
        assert set(cells) & BENGALI

    english = app(demo_engine, monkeypatch, lang="en")
    assert not set("".join(plotly_ticks(english))) & BENGALI
    top = shown(english.table[0])
    assert not set("".join(top.astype(str).to_numpy().ravel())) & BENGALI
    assert top.iloc[0, 2].count(".") == 1 and len(top.iloc[0, 2].split(".")[1]) == 2


def long_table_script():
    import pandas as pd

    from dashboard.components.table import show_table

    show_table(pd.DataFrame({"n": range(1234)}))


@pytest.mark.parametrize(("lang", "caption"), [("en", "first 500 rows of 1,234"), ("bn", "৫০০")])
def test_a_long_table_shows_its_first_rows_and_says_so(lang, caption):
    at = AppTest.from_function(long_table_script)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 500
    assert at.dataframe[0].value["n"].tolist()[:3] == [0, 1, 2]
    assert caption in at.caption[0].value


def first_rows_script():
    import pandas as pd

    from dashboard.components.table import show_table

    # A page that built only the rows it shows says how many the whole table has.
    show_table(pd.DataFrame({"n": range(500)}), total=8765)
    show_table(pd.DataFrame({"n": range(20)}), total=20)


def test_a_table_of_its_first_rows_counts_the_whole_table():
    at = AppTest.from_function(first_rows_script)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert [len(frame.value) for frame in at.dataframe] == [500, 20]
    assert [c.value for c in at.caption] == [
        "Showing the first 500 rows of 8,765; the download has them all."
    ]
