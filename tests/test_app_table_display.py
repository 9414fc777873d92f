"""show_table's Styler (dashboard/components/table.py `_styled`) gives Streamlit the
same display values, styles and caption as pandas' own Styler, on every kind of column the
pages show (numbers with gaps, identifiers, dates, flags, mixed values, progress bars)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from dashboard import i18n
from dashboard.components import table


def _marshalled(styler) -> ArrowData:
    proto = ArrowData()
    marshall_styler(proto, styler, "t")
    return proto


def test_display_values_are_pandas_own(monkeypatch):
    monkeypatch.setattr(i18n.st, "session_state", {"lang": "bn", "bn_digits": True})
    n = 40
    frame = pd.DataFrame(
        {
            "office": [f"অফিস {k}" if k % 7 else None for k in range(n)],
            "score": np.where(np.arange(n) % 5 == 0, np.nan, np.arange(n) * 12.345),
            "count": np.arange(n) * 1001,
            "office_id": np.arange(n) * 3,
            "flag": np.arange(n) % 2 == 0,
            "when": pd.Timestamp("2024-07-01") + pd.to_timedelta(np.arange(n), "D"),
            "mixed": [1, "a 2", 2.5, dt.date(2024, 1, 2), None] * (n // 5),
            "progress": np.linspace(0, 1, n),
        }
    )
    decimals = {"score": 1}
    formatters = {
        column: table._formatter(frame[column], decimals.get(column), column)
        for column in frame.columns
        if column != "progress"  # drawn by Streamlit: no format, pandas' default display
    }
    ours = _marshalled(table._styled(frame, formatters))
    pandas = _marshalled(frame.style.format(formatters, na_rep="–"))
    assert ours.styler.display_values == pandas.styler.display_values
    assert (ours.styler.styles, ours.styler.caption) == (pandas.styler.styles, "")
    assert "১২.৩" in str(frame.style.format(formatters, na_rep="–").to_html())  # digits used
