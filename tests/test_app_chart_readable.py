"""Chart text dark enough to read (dashboard/components/chart.py `readable`): the font, the
legend and every axis's ticks and title, on subplots too."""

from __future__ import annotations

import pandas as pd
import plotly.express as px

from dashboard.components.chart import TEXT, readable


def test_every_axis_and_the_legend_get_the_readable_colour():
    frame = pd.DataFrame({"a": list("abcd"), "b": range(4), "c": list("xyxy")})
    figure = readable(px.bar(frame, x="a", y="b", color="c", facet_col="c"))
    axes = [*figure.select_xaxes(), *figure.select_yaxes()]
    assert len(axes) == 4
    assert {(axis.tickfont.color, axis.title.font.color) for axis in axes} == {(TEXT, TEXT)}
    assert (figure.layout.font.color, figure.layout.legend.font.color) == (TEXT, TEXT)
