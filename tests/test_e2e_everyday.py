"""A day of work in the real app (headless Chromium, driven by Playwright), for each role:
sign in, reload and stay signed in, choose a quarter and a ministry and find them kept on every
page, open the office page on one's own office, download the lagging indicators and find
numbers as numbers and names in the filters sheet, switch language and see no text of the other
language in labels, levels, statuses or empty values. Screenshots of every page in both
languages go to $APA_SHOTS (default test-artifacts/screenshots/everyday)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import openpyxl
import pytest

from dashboard.i18n import OFFICE_LEVEL_NAMES, PLAN_TYPE_NAMES, STATUS_NAMES
from data import queries
from data.db import ROOT
from data.scope import Scope
from tests.test_e2e_browser import _serve, browser, sign_in  # noqa: F401 (fixtures)
from tests.test_everyday import contrast

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("APA_SHOTS") or ROOT / "test-artifacts" / "screenshots" / "everyday")
FILTER_PAGES = ["overview", "league", "calendar", "drilldown", "office", "lagging"]
# (username, the ministry they choose (None: their scope holds none), their office's code)
ROLES = [
    ("admin", "min:rdcd", None),
    ("cabinet", "min:ictd", None),
    ("ministry", "min:ictd", "min:ictd"),
    ("agency", None, "ag:doc"),
    ("office", None, "ag:doc:dist:43"),
]
TITLES = {
    "overview": "Overview: who is behind",
    "league": "League table",
    "calendar": "Reporting calendar",
    "drilldown": "Drill-down",
    "office": "Office",
    "lagging": "Lagging indicators",
    "upload": "Upload",
    "admin": "Users and rules",
    "audit": "Audit trail",
}
ENGLISH = {
    pair[1]
    for table in (OFFICE_LEVEL_NAMES, STATUS_NAMES, PLAN_TYPE_NAMES)
    for pair in table.values()
}
BENGALI = {
    pair[0]
    for table in (OFFICE_LEVEL_NAMES, STATUS_NAMES, PLAN_TYPE_NAMES)
    for pair in table.values()
}
# Raw values a page must never show: missing values, status codes; in Bengali, level codes too
# (in English "ministry" and "upazila" are words of the text).
RAW = re.compile(r"\b(None|nan|NaN|not_reported|on_track|not_yet_due|needs_correction)\b")
LEVEL_CODES = re.compile(r"\b(ministry|agency|divisional|district|upazila)\b")


@pytest.fixture(scope="module")
def server(demo_engine):
    yield from _serve(demo_engine)


def idle(page) -> None:
    """Until Streamlit has finished its run."""
    page.wait_for_timeout(700)
    busy = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
    for _ in range(240):
        if page.locator(busy).count() == 0:
            break
        page.wait_for_timeout(300)
    page.wait_for_timeout(300)


def shot(page, name: str) -> None:
    idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def go(page, name: str, lang: str) -> None:
    """Follow the sidebar's link to a page, as a person would."""
    label = {"en": LINKS, "bn": BN_LINKS}[lang][name]
    sidebar(page).locator('[data-testid="stPageLink"] a').filter(has_text=label).first.click()
    page.wait_for_url(re.compile(rf"/{'' if name == 'overview' else name}\?"), timeout=60_000)
    idle(page)


LINKS = {**TITLES, "overview": "Overview"}
BN_LINKS = {
    "overview": "সারসংক্ষেপ",
    "league": "অবস্থান তালিকা",
    "calendar": "প্রতিবেদন ক্যালেন্ডার",
    "drilldown": "ড্রিল-ডাউন",
    "office": "অফিস",
    "lagging": "পিছিয়ে থাকা সূচক",
    "upload": "আপলোড",
    "admin": "ব্যবহারকারী ও নিয়ম",
    "audit": "নিরীক্ষা",
}


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def labels_text(page) -> str:
    """What the page says in its own words: the main area, the sidebar's links and widget
    labels (not the signed-in line, which shows a username, nor the language switch)."""
    side = sidebar(page)
    parts = [main_text(page)]
    parts += side.locator('[data-testid="stPageLink"]').all_inner_texts()
    parts += side.locator('[data-testid="stWidgetLabel"]').all_inner_texts()
    parts += side.locator('[data-testid="stCaptionContainer"]').all_inner_texts()[-1:]
    return "\n".join(parts)


def office_id(engine, code: str) -> int:
    found = queries.offices(engine, Scope())
    return int(found[found["code"] == code]["id"].iloc[0])


def office_name(engine, code: str, lang: str) -> str:
    found = queries.offices(engine, Scope())
    return found[found["code"] == code][f"name_{lang}"].iloc[0]


def check_office_page(page, engine, username: str, own: str | None) -> None:
    heading = page.locator('[data-testid="stMain"] h3').first.inner_text().strip()
    if own:
        assert heading == office_name(engine, own, "en")
        assert "Showing your office" in main_text(page)
    else:
        from data.users import DEMO_PASSWORD
        from data.users import sign_in as check_password

        scope = check_password(engine, username, DEMO_PASSWORD).user.scope
        worst = queries.most_at_risk_office(engine, scope, "2024-25", 1)
        found = queries.offices(engine, Scope())
        assert heading == found[found["id"] == worst]["name_en"].iloc[0]
        assert "most score at risk" in main_text(page)
    assert "office=" in page.url


@pytest.mark.parametrize(("username", "ministry", "own"), ROLES)
def test_a_day_of_work(server, browser, demo_engine, username, ministry, own):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/?lang=en")
    sign_in(page, username)
    page.get_by_text(TITLES["overview"]).first.wait_for(timeout=60_000)
    idle(page)
    cookie = next(c for c in context.cookies() if c["name"] == "apa_session")
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0

    # A reload keeps the user signed in (the signed cookie), on the same page.
    page.reload()
    page.get_by_text(TITLES["overview"]).first.wait_for(timeout=60_000)
    assert page.locator('input[type="password"]').count() == 0
    idle(page)

    # A quarter on the overview, a ministry on the lagging page...
    sidebar(page).get_by_text("Q1", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]q=1"), timeout=60_000)
    idle(page)
    go(page, "lagging", "en")
    ministry_id = None
    if ministry:
        ministry_id = office_id(demo_engine, ministry)
        picker = (
            sidebar(page)
            .locator('[data-testid="stSelectbox"]')
            .filter(has_text="Ministry/division")
        )
        chosen = office_name(demo_engine, ministry, "en")
        picker.locator("input").click()
        picker.locator("input").fill(chosen)
        page.get_by_role("option", name=chosen, exact=True).click()
        idle(page)
        assert f"ministry={ministry_id}" in page.url
    # ... kept on every page, whichever way the user goes.
    for name in FILTER_PAGES:
        go(page, name, "en")
        assert "q=1" in page.url, (name, page.url)
        assert sidebar(page).get_by_role("radio", name="Q1").is_checked(), name
        if ministry_id is not None:
            assert f"ministry={ministry_id}" in page.url, (name, page.url)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        if name == "office":  # on the user's own office (national: the one most at risk)
            check_office_page(page, demo_engine, username, own)

    # The lagging indicators, downloaded: numbers as numbers, names in the filters sheet.
    go(page, "lagging", "en")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download .xlsx").first.click()
    name = download.value.suggested_filename
    code = ministry.split(":")[-1] if ministry else None
    assert name == f"lagging-2024-25-Q1{'-' + code if code else ''}.xlsx", name
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet, about = book.worksheets
    header = [c.value for c in sheet[1]]
    column = header.index("Target (excellent)") + 1
    targets = [sheet.cell(row=r, column=column).value for r in range(2, sheet.max_row + 1)]
    assert any(isinstance(t, int | float) for t in targets)
    assert not any(isinstance(t, str) for t in targets)
    filters = {row[0].value: row[1].value for row in about.iter_rows(min_row=2)}
    assert filters["Quarter"] == "Q1" and filters["Fiscal year"] == "2024-25"
    if ministry:
        assert filters["Ministry/division"] == office_name(demo_engine, ministry, "en")
    assert not any(isinstance(v, str) and v.startswith("'") for v in filters.values())

    # One language at a time: every page in Bengali, then in English again.
    sidebar(page).get_by_text("বাংলা", exact=True).click()
    idle(page)
    for lang, other in (("bn", ENGLISH), ("en", BENGALI)):
        if lang == "en":
            sidebar(page).get_by_text("English", exact=True).click()
            idle(page)
        for name in FILTER_PAGES:
            go(page, name, lang)
            text = labels_text(page)
            assert not [label for label in other if label in text], (lang, name)
            assert not RAW.findall(text), (lang, name, RAW.findall(text))
            assert lang == "en" or not LEVEL_CODES.findall(text), (name, LEVEL_CODES.findall(text))
            if lang == "en":
                assert not set(text) & set("০১২৩৪৫৬৭৮৯"), name
            else:
                assert sidebar(page).get_by_role("radio", name="Q১").is_checked()
            if username == "cabinet":
                shot(page, f"{name}-{lang}")
        if username == "admin":
            for name in ("upload", "admin", "audit"):
                go(page, name, lang)
                assert page.locator('[data-testid="stException"]').count() == 0
                shot(page, f"{name}-{lang}")
    context.close()


def test_chart_text_is_dark_enough_and_toolbars_stay_away(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?lang=bn&q=2")
    sign_in(page, "cabinet")
    page.locator(".xtick text").first.wait_for(timeout=60_000)
    idle(page)
    fills = page.locator(".xtick text, .ytick text, .g-xtitle text, .g-ytitle text").evaluate_all(
        "nodes => nodes.map(n => getComputedStyle(n).fill)"
    )
    assert fills
    for fill in set(fills):
        red, green, blue = (int(v) for v in re.findall(r"\d+", fill)[:3])
        assert contrast(f"#{red:02x}{green:02x}{blue:02x}") >= 4.5, fill
    # Hover text in Bengali digits where they are chosen.
    hovers = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".flatMap(p => (p.data || []).map(t => (t.hovertext || []).join(' ')))"
    )
    joined = " ".join(hovers)
    assert set(joined) & set("০১২৩৪৫৬৭৮৯") and not set(joined) & set("0123456789")
    # The toolbar only where it helps (the map's zoom); no "Deploy" button.
    charts = page.locator(".js-plotly-plot").count()
    assert page.locator(".modebar-container .modebar").count() < charts
    assert page.get_by_text("Deploy", exact=True).count() == 0
    # The Bengali font is served with the app.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Bengali\"')")
    page.close()
