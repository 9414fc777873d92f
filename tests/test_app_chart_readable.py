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


def test_the_left_margin_fits_the_widest_label_and_a_set_margin_is_kept():
    import plotly.graph_objects as go

    from dashboard.components.chart import fit_left_margin, text_width

    names = ["Cabinet Division", "Ministry of Expatriates' Welfare and Overseas Employment"]
    figure = fit_left_margin(go.Figure(go.Bar(x=[1, 2], y=names, orientation="h")))
    assert figure.layout.margin.l >= text_width(names[1]) + 8 > text_width(names[0]) + 8
    # Bengali: the joining marks narrow a cluster; the longer name still takes more room.
    assert text_width("প্রবাসী কল্যাণ মন্ত্রণালয়") > text_width("কৃষি মন্ত্রণালয়") > 0
    numeric = go.Figure(go.Bar(x=[1, 2], y=[10, 6000]))
    untitled = fit_left_margin(numeric).layout.margin.l
    numeric.layout.margin.l = None
    numeric.update_layout(yaxis_title="Number of offices")
    assert fit_left_margin(numeric).layout.margin.l > untitled
    kept = go.Figure(go.Bar(x=[1], y=names[:1], orientation="h"), layout={"margin": {"l": 7}})
    assert fit_left_margin(kept).layout.margin.l == 7
