"""The district map's figure (dashboard/components/district_map.py): the outlines of the master
data, simplified alike on both sides of every border, each district coloured by its score on the
named scale."""

from __future__ import annotations

import pandas as pd
from plotly.colors import sample_colorscale

from dashboard.components.district_map import COLOURS, NO_DATA, district_figure
from data.master.geography import district_outlines, simplified_outlines


def _figure(scores: dict[int, float]):
    frame = pd.DataFrame({"district_id": list(scores), "score": list(scores.values())})
    names = {district_id: f"district {district_id}" for district_id in district_outlines()}
    return district_figure(frame, "score", "Score", names, names)


def _rings_of(path: str) -> list[list[tuple[float, float]]]:
    """An SVG path's subpaths (`M x,y L x,y ... Z`) as lists of points."""
    return [
        [tuple(float(v) for v in point.split(",")) for point in ring.split("L")]
        for ring in path.removeprefix("M").removesuffix("Z").split("ZM")
    ]


def test_every_district_is_drawn_with_its_simplified_rings():
    outlines = simplified_outlines()
    figure = _figure({})
    shapes = figure.layout.shapes
    assert len(shapes) == len(outlines) == 64
    assert all(s.type == "path" and s.xref == "x" and s.yref == "y" for s in shapes)
    for shape, rings in zip(shapes, outlines.values(), strict=True):
        # each ring a subpath of the district's one shape, closed, its points as the outline's
        assert _rings_of(shape.path) == [list(ring) for ring in rings]
    # The shapes carry no hover: the centre points do, each district's text and its id.
    centres = figure.data[-1]
    assert list(centres.customdata) == sorted(outlines) and len(centres.text) == 64


def test_districts_are_coloured_by_score_and_grey_without_one():
    first, second, *_ = district_outlines()
    figure = _figure({first: 75.0, second: 10.0})
    shapes = dict(zip(district_outlines(), figure.layout.shapes, strict=True))
    assert shapes[first].fillcolor == sample_colorscale(COLOURS, [0.75])[0]
    assert shapes[second].fillcolor == sample_colorscale(COLOURS, [0.10])[0]
    others = {shape.fillcolor for key, shape in shapes.items() if key not in (first, second)}
    assert others == {NO_DATA}
    centres = figure.data[-1]  # the clickable centre points, by district id
    colours = dict(zip(centres.customdata, centres.marker.color, strict=True))
    assert colours[first] == shapes[first].fillcolor and colours[second] == shapes[second].fillcolor


def test_the_selected_district_is_outlined_dark_and_drawn_last():
    first, second, *_ = district_outlines()
    frame = pd.DataFrame({"district_id": [first], "score": [40.0]})
    names = {district_id: f"district {district_id}" for district_id in district_outlines()}
    figure = district_figure(frame, "score", "Score", names, names, selected=second)
    last = figure.layout.shapes[-1]
    assert last.line.color == "#222" and last.line.width == 2
    assert last.path == district_figure(frame, "score", "Score", names, names).layout.shapes[1].path
    assert {s.line.color for s in figure.layout.shapes[:-1]} == {"white"}


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


def _shapes(outlines) -> list:
    """Each district's rings as one valid shapely shape (rounding leaves a few spikes)."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    return [
        shapely.make_valid(MultiPolygon([Polygon(ring) for ring in rings]))
        for rings in outlines.values()
    ]


def test_simplified_outlines_draw_each_district_alike_with_fewer_points():
    outlines, simplified = district_outlines(), simplified_outlines()
    assert list(simplified) == list(outlines)
    before = sum(len(ring) for rings in outlines.values() for ring in rings)
    after = sum(len(ring) for rings in simplified.values() for ring in rings)
    assert after < before / 2
    for rings in simplified.values():
        assert rings  # every district is drawn (only islands under a pixel may go)
        assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in rings)
    original, kept = _shapes(outlines), _shapes(simplified)
    assert abs(sum(s.area for s in kept) / sum(s.area for s in original) - 1) < 0.01
    for district_id, old, new in zip(outlines, original, kept, strict=True):
        assert old.symmetric_difference(new).area < 0.15 * old.area, district_id


def test_neighbours_keep_one_shared_border():
    """The districts are simplified together: no overlap and no new gap opens along a border."""
    import shapely

    original, kept = _shapes(district_outlines()), _shapes(simplified_outlines())
    tree = shapely.STRtree(kept)
    overlap = sum(
        kept[n].intersection(kept[m]).area
        for n in range(len(kept))
        for m in tree.query(kept[n])
        if m > n
    )
    touching = sum(1 for n in range(len(kept)) for m in tree.query(kept[n]) if m > n)
    assert touching > 100  # the 64 districts do share their borders
    assert overlap < 1e-4 * sum(s.area for s in kept)

    def gaps(shapes) -> float:  # holes inside the country's outline
        parts = shapely.get_parts(shapely.union_all(shapes))
        polygons = [part for part in parts if part.geom_type == "Polygon"]
        return sum(shapely.area(shapely.polygons(h)) for p in polygons for h in p.interiors)

    assert gaps(kept) <= gaps(original)
