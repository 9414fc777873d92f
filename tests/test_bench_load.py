"""bench/bench_load.py works: two people signed in at once on the small demo, each visiting
every page of their navigation in Chromium. Times are printed, never asserted here."""

from __future__ import annotations

import asyncio
import os

import pytest

from bench import bench_load

pytestmark = pytest.mark.browser


def _needs_chromium() -> None:
    if not os.path.exists(bench_load.CHROMIUM):
        if os.environ.get("APA_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (APA_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Debian's chromium is not installed")


def test_two_people_visit_every_page(demo_engine, capsys):
    _needs_chromium()
    url = demo_engine.url.render_as_string(hide_password=False)
    figures = bench_load.main(["--database-url", url, "--users", "2", "--no-alone"])
    printed = capsys.readouterr().out
    # admin sees nine pages, cabinet seven (no user administration, no audit trail); each
    # also signs in onto the overview.
    assert figures["load"]["views"] == 9 + 7 + 2
    for page in ("overview", "league", "calendar", "drilldown", "office", "lagging", "audit"):
        assert f"  {page} " in printed
    assert "every page view" in printed
    # The server's answers were read off the wire, and the CPU was told apart by process.
    assert figures["load"]["server_p50"] > 0
    cpu = figures["load"]["cpu"]
    assert cpu["server"] > 0 and cpu["browsers"] > 0
    assert cpu["server: event loop"] + cpu["server: other threads"] == pytest.approx(cpu["server"])
    assert "browsers" in printed and "per view" in printed
    # The same two people on Streamlit's bare form, as many views each (18 / 2): the floor.
    assert figures["bare"]["views"] == 2 * 9 and figures["bare"]["not_finished"] == 0
    assert figures["bare"]["cpu"]["server"] > 0 and figures["bare"]["cpu"]["browsers"] > 0
    assert "2 people at once on Streamlit's bare form" in printed


def test_two_people_visit_every_page_through_the_websocket_alone(demo_engine, capsys):
    # Without a browser: Streamlit's own messages, the sign-in form's widgets found by their
    # keys, the pages by the navigation the app sent; one person on each of two app servers.
    url = demo_engine.url.render_as_string(hide_password=False)
    options = ["--users", "2", "--no-alone", "--clients", "websocket", "--servers", "2"]
    figures = bench_load.main(["--database-url", url, *options])
    printed = capsys.readouterr().out
    assert figures["load"]["views"] == 9 + 7 + 2
    assert figures["load"]["not_finished"] == 0
    for page in ("overview (after sign-in)", "league", "drilldown", "office", "admin", "audit"):
        assert f"  {page} " in printed
    assert "WebSocket clients, no browser" in printed and "on 2 app servers" in printed
    # The sign-in's time by account: person n is the n-th demo account.
    by_account = figures["load"]["sign_in_by_account"]
    assert list(by_account) == ["admin", "cabinet"]
    assert all(len(times) == 1 and times[0] > 0 for times in by_account.values())
    assert "by account" in printed
    cpu = figures["load"]["cpu"]
    assert cpu["server"] > 0 and cpu["browsers"] == 0


def test_the_sign_in_form_beside_streamlits_bare_one(demo_engine, capsys):
    """The floor: the app's sign-in form and bench/bare_app.py's, each in a new browser."""
    _needs_chromium()
    url = demo_engine.url.render_as_string(hide_password=False)
    servers = [bench_load.serve(url), bench_load.serve(url, script="bench/bare_app.py")]
    try:
        bases = {"app": servers[0][1], "bare": servers[1][1]}
        times = asyncio.run(bench_load._forms(bases, 1, 60))
    finally:
        for process, _base in servers:
            process.terminate()
            process.wait(timeout=30)
    assert [len(times["app"]), len(times["bare"])] == [1, 1]
    assert min(times["app"] + times["bare"]) > 0
    figures = bench_load.report_floor(times)
    assert "Streamlit's bare form (bench/bare_app.py)" in capsys.readouterr().out
    assert figures["form"] == times["app"][0] * 1000
