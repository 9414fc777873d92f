"""Charts on the page: `st.plotly_chart`, with Bengali digits on the axes, labels and hover
text when they are chosen, text dark enough to read (at least 4.5:1 on white), and no toolbar
(it covers legends on hover and adds stops before the keyboard reaches the tables) unless the
chart needs one (a map's zoom).

Plotly draws ASCII digits and has no setting for others, so for Bengali digits every numeric
axis gets explicit ticks (values Plotly would choose: 1, 2 or 5 times a power of ten) labelled
by us, and pie slices get their percentages as text.

The left margin is set from the y axis's labels as the browser will about draw them
(`fit_left_margin`). Streamlit's chart theme starts the margin at 0 and lets Plotly widen it
to the labels (automargin), and Plotly does that by drawing the whole chart a second time once
it has measured them: a margin that already fits saves that second drawing. Automargin stays
on, so a label wider than estimated still fits (at the old price of the second drawing).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata

import plotly.graph_objects as go
import streamlit as st

from core.terms import TO_BENGALI_DIGITS
from dashboard.i18n import bengali_digits

TICKS = 6
# Streamlit's chart theme draws axis text in #808495 (3.7:1 on white); this is 8.4:1.
TEXT = "#4A4D59"
FIELD = re.compile(r"%\{(x|y|customdata|text)(?::([^}]*))?\}")
# Pixels a character takes in the theme's 12 px tick labels, by kind: Latin in Streamlit's own
# font (Source Sans), Bengali in the browser's; a joining mark (hasanta, signs above and below)
# narrows its cluster. Fitted on the 118 ministry names and tick labels of the overview as
# Chromium draws them: within 11 px of the measured width.
NARROW = frozenset("iljtfrI.,;:'!|()- ")
WIDTHS = {
    "narrow": 3.2,
    "wide": 9.5,
    "upper": 5.9,
    "ascii": 6.1,
    "Mn": -4.2,
    "Mc": 4.1,
    "other": 7.5,
}
PAD = 8  # the theme's margin pad between the labels and the plot
TITLE = 35  # a y axis title beside its tick labels: standoff and a line of 14 px text


def readable(figure: go.Figure) -> go.Figure:
    """Chart text (ticks, axis titles, legend) in a colour with at least 4.5:1 contrast."""
    # Set property by property in one batch: the keyword forms (tickfont_color=...) parse
    # their names on every call, some 4 ms a chart against 2.5.
    with figure.batch_update():
        figure.layout.font.color = TEXT
        figure.layout.legend.font.color = TEXT
        for axis in (*figure.select_xaxes(), *figure.select_yaxes()):
            axis.tickfont.color = TEXT
            axis.title.font.color = TEXT
    return figure


def show_chart(figure: go.Figure, toolbar: bool = False, **kwargs):
    if bengali_digits():
        with_bengali_digits(figure)
    readable(figure)
    fit_left_margin(figure)
    return st.plotly_chart(
        figure, width="stretch", config={"displayModeBar": toolbar, "displaylogo": False}, **kwargs
    )


def with_bengali_digits(figure: go.Figure) -> go.Figure:
    """The same figure, its numeric axes and pie labels drawn with Bengali digits."""
    for trace in figure.data:
        if trace.type == "pie" and trace.values is not None:
            total = sum(trace.values) or 1
            trace.text = [
                f"{value / total:.1%}".translate(TO_BENGALI_DIGITS) for value in trace.values
            ]
            trace.textinfo = "text"
        elif trace.type != "pie":
            _bengali_hover(trace)
    for axis_name in ("xaxis", "yaxis"):
        axis = figure.layout[axis_name]
        if axis.tickmode == "array" and axis.ticktext:
            axis.ticktext = [str(text).translate(TO_BENGALI_DIGITS) for text in axis.ticktext]
            continue
        values = _numbers_on(figure, axis_name[0])
        if not values:
            continue
        if axis.range:
            low, high = axis.range
        else:  # Plotly's autorange starts bars at 0 and pads the top by about 5%
            low, high = min(0.0, *values), max(values) * 1.05
        ticks = nice_ticks(low, high, whole=all(float(v).is_integer() for v in values))
        axis.tickmode = "array"
        axis.tickvals = ticks
        axis.ticktext = [
            f"{t:,.{0 if float(t).is_integer() else 1}f}".translate(TO_BENGALI_DIGITS)
            for t in ticks
        ]
    return figure


def text_width(text: str) -> float:
    """About the pixels `text` takes as a 12 px tick label (`WIDTHS`)."""
    width = 0.0
    for char in text:
        if char in NARROW:
            kind = "narrow"
        elif char in "mwMW":
            kind = "wide"
        elif char.isascii():
            kind = "upper" if char.isupper() else "ascii"
        else:
            kind = unicodedata.category(char)
            kind = kind if kind in ("Mn", "Mc") else "other"
        width += WIDTHS[kind]
    return max(width, 0.0)


def fit_left_margin(figure: go.Figure) -> go.Figure:
    """The left margin set to the y axis's widest label (and its title), unless the figure
    sets it: 5% and 4 px over the estimate, so a label Plotly measures a little wider than
    `text_width` says still fits without the second drawing."""
    layout = figure.layout
    if layout.margin.l is not None or not figure.data:
        return figure
    axis = layout.yaxis
    if axis.visible is False:
        return figure
    if axis.tickmode == "array" and axis.ticktext:
        labels = [str(text) for text in axis.ticktext]
    else:
        values = _numbers_on(figure, "y")
        if values:
            low, high = axis.range or (min(0.0, *values), max(values) * 1.05)
            labels = [f"{t:g}" for t in nice_ticks(low, high)]
        else:
            ys = [getattr(trace, "y", None) for trace in figure.data]
            labels = [str(v) for values in ys if values is not None for v in values]
    if not labels:
        return figure
    width = max(text_width(label) for label in labels) * 1.05 + 4 + PAD
    if axis.title.text:
        width += TITLE
    layout.margin.l = math.ceil(width)
    return figure


def nice_ticks(low: float, high: float, count: int = TICKS, whole: bool = False) -> list[float]:
    """About `count` round values within low..high, as Plotly's own ticks would be; only
    whole numbers when `whole` (counts of offices, say)."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, math.ceil(step))
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _numbers_on(figure: go.Figure, axis: str) -> list[float]:
    """The numbers the traces put on the x or y axis (with error bars), or [] if any is not a
    number (a category axis)."""
    found: list[float] = []
    for trace in figure.data:
        if trace.type == "pie":
            continue
        values = getattr(trace, axis, None)
        if values is None:
            continue
        for value in values:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                return []
            found.append(float(value))
        errors = getattr(trace, f"error_{axis}", None)
        if errors is not None and errors.array is not None:
            found.extend(float(v) + float(e) for v, e in zip(values, errors.array, strict=False))
    return found


def _bengali_hover(trace) -> None:
    """Plotly formats hover numbers with ASCII digits: each point's hover text is written
    here from the trace's template (or "y: x"), in Bengali digits."""
    template = trace.hovertemplate or "%{y}: %{x}<extra></extra>"
    columns = {name: getattr(trace, name, None) for name in ("x", "y", "customdata", "text")}
    count = max((len(v) for v in columns.values() if _listlike(v)), default=0)
    if not count:
        return

    def point(i: int) -> str:
        def field(match: re.Match) -> str:
            values = columns[match.group(1)]
            value = values[i] if _listlike(values) and i < len(values) else values
            if isinstance(value, (list, tuple)) and len(value) == 1:
                value = value[0]
            spec = match.group(2) or ""
            try:
                text = format(value, spec) if spec else str(value)
            except (TypeError, ValueError):
                text = str(value)
            return text.translate(TO_BENGALI_DIGITS)

        return FIELD.sub(field, template.split("<extra>")[0])

    trace.hovertext = [point(i) for i in range(count)]
    trace.hovertemplate = "%{hovertext}<extra></extra>"


def _listlike(values) -> bool:
    return values is not None and not isinstance(values, str) and hasattr(values, "__len__")
