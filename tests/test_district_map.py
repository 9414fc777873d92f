"""The district map's figure (dashboard/components/district_map.py): the outlines of the master
data, simplified alike on both sides of every border, each district coloured by its score on the
named scale."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale

from dashboard.components.district_map import COLOURS, NO_DATA, district_figure
from data.master.geography import SIMPLIFY_DEGREES, district_outlines, simplified_outlines


def _figure(scores: dict[int, float]):
    frame = pd.DataFrame({"district_id": list(scores), "score": list(scores.values())})
    names = {district_id: f"district {district_id}" for district_id in district_outlines()}
    return district_figure(frame, "score", "Score", names, names)


def test_every_district_is_drawn_with_its_simplified_rings():
    outlines = simplified_outlines()
    figure = _figure({})
    shapes = [trace for trace in figure.data if trace.fill == "toself"]
    assert len(shapes) == len(outlines) == 64
    for trace, rings in zip(shapes, outlines.values(), strict=True):
        xs, ys = np.asarray(trace.x, float), np.asarray(trace.y, float)
        # each ring closed and followed by a gap (NaN), so the rings are filled apart
        expected = [
            value for ring in rings for value in [*(p[0] for p in ring), ring[0][0], math.nan]
        ]
        assert len(xs) == len(ys) == len(expected)
        assert np.allclose(xs, expected, atol=1e-4, equal_nan=True)
        assert np.isnan(ys[np.isnan(xs)]).all()


def test_districts_are_coloured_by_score_and_grey_without_one():
    first, second, *_ = district_outlines()
    figure = _figure({first: 75.0, second: 10.0})
    shapes = dict(
        zip(district_outlines(), [t for t in figure.data if t.fill == "toself"], strict=True)
    )
    assert shapes[first].fillcolor == sample_colorscale(COLOURS, [0.75])[0]
    assert shapes[second].fillcolor == sample_colorscale(COLOURS, [0.10])[0]
    others = {trace.fillcolor for key, trace in shapes.items() if key not in (first, second)}
    assert others == {NO_DATA}
    centres = figure.data[-1]  # the clickable centre points, by district id
    colours = dict(zip(centres.customdata, centres.marker.color, strict=True))
    assert colours[first] == shapes[first].fillcolor and colours[second] == shapes[second].fillcolor


def test_the_figure_is_what_plotly_makes_of_it_when_it_checks_it():
    """The traces skip Plotly's checks on every run: checked here, the figure comes out the
    same (a misspelt property or a value Plotly would rewrite would differ or raise)."""
    import json

    import plotly.graph_objects as go

    first, *_ = district_outlines()
    frame = pd.DataFrame({"district_id": [first], "score": [40.0]})
    names = {district_id: f"district {district_id}" for district_id in district_outlines()}
    for selected in (None, first):
        figure = district_figure(frame, "score", "Score", names, names, selected=selected)
        checked = go.Figure(figure.to_dict())  # validated, as go.Figure does by default
        assert json.loads(figure.to_json()) == json.loads(checked.to_json())


def test_simplified_outlines_keep_each_ring_within_the_tolerance_with_fewer_points():
    from shapely import LineString, Point

    outlines, simplified = district_outlines(), simplified_outlines()
    assert list(simplified) == list(outlines)
    before = sum(len(ring) for rings in outlines.values() for ring in rings)
    after = sum(len(ring) for rings in simplified.values() for ring in rings)
    assert after < before / 2
    for district_id, rings in outlines.items():
        assert len(simplified[district_id]) == len(rings)
        for ring, kept in zip(rings, simplified[district_id], strict=True):
            assert kept[0] == kept[-1] and len(kept) >= 4  # closed, at least a triangle
            # the points kept are the ring's own, in its order (a cyclic subsequence)
            starts = [k for k, point in enumerate(ring[:-1]) if point == kept[0]]
            assert any(_follows(kept, ring[k:-1] + ring[:k] + (kept[0],)) for k in starts)
            # and no point of the ring strays further than the tolerance from the line kept
            line = LineString(kept)
            farthest = max(line.distance(Point(point)) for point in ring)
            assert farthest <= SIMPLIFY_DEGREES + 1e-9


def _follows(kept, ring) -> bool:
    walk = iter(ring)
    return all(point in walk for point in kept)


def test_neighbours_keep_the_same_points_on_the_border_they_share():
    """A border is simplified once for both districts: no gap or overlap opens along it."""
    outlines, simplified = district_outlines(), simplified_outlines()

    def edges(ring):
        return {tuple(sorted(pair)) for pair in itertools.pairwise(ring)}

    rings = [
        (district_id, ring, kept)
        for district_id, found in outlines.items()
        for ring, kept in zip(found, simplified[district_id], strict=True)
    ]
    shared_borders = 0
    for n, (first, ring_a, kept_a) in enumerate(rings):
        for second, ring_b, kept_b in rings[n + 1 :]:
            if first == second:
                continue
            shared = edges(ring_a) & edges(ring_b)
            if not shared:
                continue
            shared_borders += 1
            # (rounding to 0.01° left a few spikes, rings running back over a point: left out)
            once = {p for p in set(ring_a) | set(ring_b) if ring_a.count(p) + ring_b.count(p) == 2}
            once |= {ring_a[0], ring_b[0]}  # the closing point is the first again
            on_border = {point for edge in shared for point in edge} & once
            assert set(kept_a) & on_border == set(kept_b) & on_border, (first, second)
    assert shared_borders > 100  # the 64 districts do share their borders
