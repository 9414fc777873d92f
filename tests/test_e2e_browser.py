"""The real app in headless Chromium (Debian's, driven by Playwright): every page, a drill-down
from the government to one office, a spreadsheet download opened with openpyxl, both
languages. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

from data.db import ROOT
from data.master import find_office

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("APA_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (APA_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def server(demo_engine):
    yield from _serve(demo_engine)


@pytest.fixture(scope="module")
def empty_server(_template, tmp_path_factory):
    """The app on a database of its own with only the master data (the upload test writes)."""
    from data.master import load_master_data
    from data.users import ensure_demo_users
    from tests.conftest import new_database

    _need_browser()
    engine, drop = new_database(_template, tmp_path_factory.mktemp("upload"))
    with engine.begin() as connection:
        load_master_data(connection)
        ensure_demo_users(connection)
    yield from _serve(engine)
    drop()


def _serve(engine):
    _need_browser()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, APA_DATABASE_URL=engine.url.render_as_string(hide_password=False))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit did not start")
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


def sign_in(page, username: str = "admin", password: str = "demo1234") -> None:
    """Through the sign-in form, as a person would (demo accounts: README)."""
    page.locator('input[type="password"]').first.wait_for(timeout=60_000)
    page.locator('input[type="text"]').first.fill(username)
    page.locator('input[type="password"]').first.fill(password)
    page.locator('input[type="password"]').first.press("Enter")


def _open(browser, url: str, text: str, shot: str, username: str = "admin"):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(url)
    sign_in(page, username)
    page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    _screenshot(page, shot)
    return page


def _screenshot(page, shot: str) -> None:
    """A picture once Streamlit has finished the run: no "running" widget, and no element
    still drawn as a placeholder (charts and tables arrive after the text)."""
    page.wait_for_timeout(1000)
    busy = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
    for _ in range(120):
        if page.locator(busy).count() == 0:
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("", "bn", "মন্ত্রণালয়ভিত্তিক প্রতিবেদন প্রাপ্তি"),
        ("", "en", "Reporting by ministry"),
        ("drilldown", "en", "Select a row to open the next level"),
        ("drilldown", "bn", "পরের স্তরে যেতে"),
        ("office", "en", "Find an office"),
        ("lagging", "en", "Showing the first"),
        ("lagging", "bn", "ঝুঁকিতে থাকা নম্বর"),
    ],
)
def test_every_page_opens(server, browser, path, lang, text):
    page = _open(browser, f"{server}/{path}?lang={lang}", text, f"{path or 'overview'}-{lang}")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    if lang == "bn" and path == "":
        # Chart axes as drawn (SVG text), in Bengali digits like the rest of the page.
        ticks = "".join(page.locator(".xtick text, .ytick text").all_text_contents())
        assert set(ticks) & set("০১২৩৪৫৬৭৮৯") and not set(ticks) & set("0123456789")
    page.close()


def test_drill_down_to_an_office_and_download(server, browser, demo_engine):
    with demo_engine.connect() as connection:
        district = find_office(connection, "ag:doc:dist:43")
        ministry = find_office(connection, "min:rdcd")
    page = _open(
        browser, f"{server}/drilldown?lang=en&node={ministry}", "Select a row", "drill-ministry-en"
    )
    page.close()
    page = _open(
        browser,
        f"{server}/drilldown?lang=en&node={district}",
        "Open the office page",
        "drill-district-en",
    )
    page.get_by_text("Open the office page").first.click()
    page.get_by_text("This office's lagging indicators").first.wait_for(timeout=60_000)
    _screenshot(page, "office-en")
    assert "office=" in page.url
    before = _downloads(demo_engine)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download .xlsx").first.click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert len(workbook.worksheets) == 2
    assert workbook.worksheets[0].max_row >= 2
    # The download is in the audit trail, recorded as the file was made: who, in what form.
    assert _downloads(demo_engine) == before + 1
    page.close()
    bn = _open(
        browser,
        f"{server}/office?lang=bn&office={district}",
        "এই অফিসের পিছিয়ে থাকা সূচক",
        "office-bn",
    )
    bn.close()


def _downloads(engine) -> int:
    """How many .xlsx downloads by admin the audit trail holds."""
    from data.audit import events
    from data.scope import EVERYTHING

    found = events(engine, EVERYTHING, username="admin", action="download")
    return int((found["object_type"] == "xlsx").sum())


def test_upload_a_sample_workbook(empty_server, browser, samples_dir):
    page = _open(
        browser, f"{empty_server}/upload?lang=en", "Drop plan or progress workbooks", "upload-en"
    )
    page.locator('input[type="file"]').set_input_files(
        str(samples_dir / "plandiv-egov-q2-progress-2023-24.xlsx")
    )
    page.get_by_text("Plans found").first.wait_for(timeout=60_000)
    page.get_by_text("No errors: every plan can be imported").first.wait_for(timeout=60_000)
    _screenshot(page, "upload-checked-en")
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Plans: 1 added").first.wait_for(timeout=60_000)
    _screenshot(page, "upload-imported-en")
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
    bn = _open(browser, f"{empty_server}/upload?lang=bn", "আমদানির আগে", "upload-bn")
    bn.close()


def test_a_ministry_user_sees_and_downloads_only_its_subtree(server, browser, demo_engine):
    from data import queries
    from data.users import DEMO_PASSWORD
    from data.users import sign_in as check_password

    scope = check_password(demo_engine, "ministry", DEMO_PASSWORD).user.scope
    inside = set(queries.offices(demo_engine, scope)["name_en"])
    page = _open(
        browser, f"{server}/lagging?lang=en", "Showing the first", "lagging-ministry-en", "ministry"
    )
    assert "Ministry of Commerce" not in page.content()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download .xlsx").first.click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if h in ("Office", "অফিস"))
    offices = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert offices and offices <= inside
    targets = "".join(
        str(row[header.index("Target (excellent)")])
        for row in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert set(targets) & set("0123456789") and not set(targets) & set("০১২৩৪৫৬৭৮৯")
    page.close()
    # In Bengali the file is made on Streamlit's download thread: still Bengali, still scoped.
    inside_bn = set(queries.offices(demo_engine, scope)["name_bn"])
    page = _open(
        browser, f"{server}/lagging?lang=bn", "ঝুঁকিতে থাকা নম্বর", "lagging-ministry-bn", "ministry"
    )
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="এক্সেল (.xlsx) ডাউনলোড").first.click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "অফিস" in header and "Office" not in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    offices = {row[header.index("অফিস")] for row in rows}
    assert offices and offices <= inside_bn
    # Numbers stay numbers in the file (Bengali digits are the page's display format).
    targets = [row[header.index("লক্ষ্যমাত্রা (অসাধারণ)")] for row in rows]
    assert any(isinstance(t, float) for t in targets)
    assert not any(isinstance(t, str) for t in targets)
    page.close()


def test_upload_an_apa_with_defects(empty_server, browser, samples_dir, tmp_path):
    """The commerce sample and an APA with a defect in its plan and one in its report: the
    check says what the import will do, the problems grouped by whose entry they are."""
    import datetime as dt

    from tests.apa_forms import apa_2020, own_areas

    areas = own_areas([[dt.date(2023, 12, 28)], ["ভালো"], [(0.95, "0%")], ["৯৮%"], [10]])
    areas[1].indicators[1].targets[2] = 38  # a ladder out of order
    defects, _rows, _cols = apa_2020(
        tmp_path / "apa-defects.xlsx",
        areas,
        office="তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ",
        achievement_headers=["১ম প্রান্তিকে অর্জন"],
    )
    page = _open(
        browser, f"{empty_server}/upload?lang=en", "Drop plan or progress workbooks", "upload-apa"
    )
    page.locator('input[type="file"]').set_input_files(
        [str(samples_dir / "commerce-apa-2023-24-q1.xlsx"), str(defects)]
    )
    page.get_by_text("2 errors. A plan that cannot be placed").first.wait_for(timeout=60_000)
    _screenshot(page, "upload-apa-checked-en")
    mine = page.get_by_text("Your report: achievements and dates").first
    page.get_by_text("The approved plan: targets, weights, codes").first.wait_for(timeout=60_000)
    mine.scroll_into_view_if_needed()
    _screenshot(page, "upload-apa-problems-en")
    page.get_by_role("button", name="Import").click()
    page.get_by_text("2 indicators imported as 'needs correction'").first.wait_for(timeout=60_000)
    page.get_by_text(
        "2 indicators imported as 'needs correction'"
    ).first.scroll_into_view_if_needed()
    _screenshot(page, "upload-apa-imported-en")
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
    # The office page lists the indicators that need correction with the lagging ones.
    from data.master import build_office_rows

    ictd = next(row["id"] for row in build_office_rows("default") if row["code"] == "min:ictd")
    page = _open(
        browser,
        f"{empty_server}/office?lang=en&office={ictd}&fy=2023-24&q=1",
        "This office's lagging indicators",
        "office-needs-correction-en",
    )
    assert page.get_by_text("No indicator is lagging").count() == 0


# ---------------------------------------------------------------- the Cabinet Division's desk


def _idle(page) -> None:
    """Until Streamlit has finished its run (buttons of a run in progress are disabled)."""
    busy = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
    for _ in range(240):
        if page.locator(busy).count() == 0:
            return
        page.wait_for_timeout(500)


def _download(page, button: str):
    """Click a download button once the page is idle and return the download; once more if
    the first click landed while the page was redrawing (seen on a loaded machine)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(2):
        _idle(page)
        try:
            with page.expect_download(timeout=120_000) as download:
                page.get_by_role("button", name=button).first.click(timeout=120_000)
            return download.value
        except PlaywrightTimeout:
            if attempt:
                raise
    return None


DESK = [
    ("league", "bn", "অবস্থান তালিকা", "লীগ টেবিল (.xlsx) ডাউনলোড", "প্রাপ্ত নম্বর"),
    ("league", "en", "League table", "Download the league table (.xlsx)", "Score"),
    ("calendar", "bn", "তাগিদপত্রের তালিকা", "তাগিদপত্রের তালিকা (.xlsx) ডাউনলোড", "বিলম্ব (দিন)"),
    ("calendar", "en", "Reminder list", "Download the reminder list (.xlsx)", "Days overdue"),
    ("", "bn", "জেলাভিত্তিক মানচিত্র", "এক্সেল (.xlsx) ডাউনলোড", None),
    ("", "en", "Districts", "Download .xlsx", None),
]


@pytest.mark.parametrize(("path", "lang", "text", "button", "column"), DESK)
def test_desk_pages_open_and_download(server, browser, path, lang, text, button, column):
    page = _open(
        browser, f"{server}/{path}?lang={lang}&q=2", text, f"desk-{path or 'overview'}-{lang}"
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    if path == "":
        # The map: 64 district outlines drawn as filled shapes, no map tiles.
        outlines = page.locator(".shapelayer path")
        outlines.nth(63).wait_for(state="attached", timeout=60_000)
        assert outlines.count() >= 64
        assert page.locator(".mapboxgl-canvas, .maplibregl-canvas").count() == 0
        outlines.nth(0).scroll_into_view_if_needed()
        _screenshot(page, f"desk-overview-map-{lang}")
    download = _download(page, button)
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    header = [c.value for c in workbook.worksheets[0][1]]
    if column:
        assert column in header
    assert workbook.worksheets[0].max_row >= 2
    page.close()


# Per bar chart: the left margin asked for (the figure's layout), the left margin drawn (where
# the plot area starts in the chart) and the leftmost point of its y axis's labels, all
# against the chart's own left edge.
MARGINS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter((chart) => chart.querySelector('.barlayer'))
  .map((chart) => {
    const left = chart.querySelector('.main-svg').getBoundingClientRect().left;
    const area = chart.querySelector('.draglayer .nsewdrag').getBoundingClientRect().left;
    const labels = Array.from(chart.querySelectorAll('.ytick text'))
      .map((label) => label.getBoundingClientRect().left);
    return [chart.layout.margin.l, Math.round(area - left), Math.min(...labels) - left];
  })"""


@pytest.mark.parametrize("lang", ["bn", "en"])
def test_overview_charts_are_drawn_once_in_the_margin_they_ask_for(server, browser, lang):
    """The bar charts' left margins fit their labels as set (chart.fit_left_margin): Plotly
    did not widen them, which it does by drawing the whole chart a second time, and no label
    is cut at the left edge."""
    title = {"bn": "মন্ত্রণালয়ভিত্তিক প্রতিবেদন প্রাপ্তি", "en": "Reporting by ministry"}[lang]
    page = _open(browser, f"{server}/?lang={lang}&q=2", title, f"overview-margins-{lang}")
    page.locator(".js-plotly-plot .barlayer").nth(3).wait_for(state="attached", timeout=60_000)
    charts = page.evaluate(MARGINS)
    assert len(charts) == 4
    for asked, drawn, label in charts:
        assert asked and asked == drawn
        assert 0 <= label < asked
    page.close()


def test_a_charts_table_is_drawn_once_its_expander_is_opened(server, browser):
    """The tables behind "Table" are sent and drawn only when opened (show_table_behind): the
    overview arrives with its five expanders closed and no grid in them; opening one reruns
    the page and draws its table, the others stay closed."""
    page = _open(browser, f"{server}/?lang=en&q=2", "Districts", "overview-tables-closed-en")
    expanders = page.locator('[data-testid="stMain"] [data-testid="stExpander"]')
    expanders.nth(4).wait_for(timeout=60_000)
    assert expanders.count() == 5
    assert expanders.locator('[data-testid="stDataFrame"]').count() == 0
    expanders.nth(3).locator("summary").click()  # reporting by ministry
    grid = expanders.nth(3).locator('[data-testid="stDataFrame"]')
    grid.wait_for(timeout=60_000)
    grid.get_by_text("Not sent").first.wait_for(state="attached", timeout=60_000)
    assert expanders.locator('[data-testid="stDataFrame"]').count() == 1
    _screenshot(page, "overview-table-opened-en")
    page.close()


def test_the_map_drills_down_to_a_district(server, browser, demo_engine):
    page = _open(browser, f"{server}/?lang=en&q=2", "Districts", "desk-map-en")
    points = page.locator(".scatterlayer .trace:last-child .point")
    points.nth(42).wait_for(timeout=60_000)  # districts by id; Narayanganj is 43
    points.nth(42).click(force=True)
    page.get_by_text("Narayanganj: field offices, worst first").first.wait_for(timeout=60_000)
    assert "district=43" in page.url
    page.get_by_text("Narayanganj: field offices, worst first").first.scroll_into_view_if_needed()
    _screenshot(page, "desk-map-district-en")
    page.close()


@pytest.mark.parametrize("lang", ["bn", "en"])
def test_minutes_download_from_the_office_page(server, browser, demo_engine, lang):
    import docx

    with demo_engine.connect() as connection:
        office = find_office(connection, "ag:doc:dist:43")
    text, button = {
        "bn": ("এই অফিসের পিছিয়ে থাকা সূচক", "পর্যালোচনা সভার কার্যবিবরণী, খসড়া (.docx)"),
        "en": ("This office's lagging indicators", "Review-meeting minutes, drafted (.docx)"),
    }[lang]
    page = _open(
        browser, f"{server}/office?lang={lang}&office={office}&q=2", text, f"desk-office-{lang}"
    )
    download = _download(page, button)
    document = docx.Document(io.BytesIO(download.path().read_bytes()))
    header = [c.text for c in document.tables[1].rows[0].cells]
    assert header == (
        ["ক্রম", "কার্যক্রম", "আলোচনা ও সিদ্ধান্ত", "বাস্তবায়নকারী"]
        if lang == "bn"
        else ["No.", "Activity", "Discussion and decision", "Responsible"]
    )
    page.close()
