"""In Chromium: a page's run writes a query parameter only when it changes (`filters.in_url`),
read off the WebSocket messages the browser receives."""

from __future__ import annotations

import base64

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The app served on the demo database, and Chromium: the browser tests' fixtures.
from tests.test_e2e_browser import _open, browser, server  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_page_opened_from_the_sidebar_writes_no_unchanged_query_parameter(request):
    """Once a page has kept the fiscal year and quarter, the sidebar's links carry them and the
    language, so the next page opened from the sidebar finds its parameters in its URL already:
    its run sends the browser no query string (each one a state change of the whole app
    there), where it sent three (the language, the fiscal year and the quarter, unchanged)."""
    base, chromium = request.getfixturevalue("server"), request.getfixturevalue("browser")
    page = _open(chromium, f"{base}/league?lang=en", "League table", "league-before-calendar")
    sent: list[str] = []
    finished: list[bool] = []

    def received(params: dict) -> None:
        try:
            message = ForwardMsg.FromString(base64.b64decode(params["response"]["payloadData"]))
        except Exception:  # not one of Streamlit's messages
            return
        kind = message.WhichOneof("type")
        if kind == "page_info_changed":
            sent.append(message.page_info_changed.query_string)
        elif kind == "script_finished":
            finished.append(True)

    def open_from_sidebar(name: str, title: str) -> None:
        sent.clear()
        finished.clear()
        link = f'[data-testid="stSidebar"] [data-testid="stPageLink"] a[href*="{name}"]'
        page.locator(link).first.click()
        page.get_by_text(title).first.wait_for(timeout=60_000)
        for _ in range(240):
            if finished:
                break
            page.wait_for_timeout(250)
        assert finished, f"the {name} page's run did not finish"

    session = page.context.new_cdp_session(page)
    session.on("Network.webSocketFrameReceived", received)
    session.send("Network.enable")
    # The league's run kept the fiscal year and quarter after it drew the sidebar's links: the
    # calendar's link lacks them, and its run writes them (a change of address).
    open_from_sidebar("calendar", "Reporting calendar")
    assert sent and "fy=" in sent[-1] and "q=" in sent[-1]
    open_from_sidebar("drilldown", "Drill-down")
    assert "fy=" in page.url and "q=" in page.url and "lang=en" in page.url
    assert sent == []
    page.close()
