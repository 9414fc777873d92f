"""Issue 11 in a real browser (Debian's Chromium, Playwright): echoed links and file names
render as text (no link, no image), and a hostile upload is refused while the server keeps
serving. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from tests.hostile import HOSTILE
from tests.test_e2e_browser import _screenshot, browser, empty_server, server, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

LINK = "[Session expired, sign in again](http://evil.example/login) ![x](http://evil.example/p.png)"


def test_a_crafted_office_link_renders_as_text(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/office?lang=en&office={quote(LINK)}")
    sign_in(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="Session expired").first
    alert.wait_for(timeout=60_000)
    _screenshot(page, "security-crafted-link-en")
    assert alert.locator("a").count() == 0
    assert alert.locator("img").count() == 0
    shown = alert.inner_text().replace("\u2060", "")  # the invisible word joiners
    assert "[Session expired, sign in again](http://evil.example/login)" in shown
    assert page.locator('img[src*="evil.example"]').count() == 0
    assert page.locator('a[href*="evil.example"]').count() == 0
    page.close()


def test_a_hostile_upload_is_refused_and_its_name_is_text(empty_server, browser):  # noqa: F811
    name = "[open me](http://evil.example).xlsx"
    data = HOSTILE["20,000 merges over the whole data"][0]()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{empty_server}/upload?lang=en")
    sign_in(page)
    page.get_by_text("Drop plan or progress workbooks").first.wait_for(timeout=60_000)
    started = time.perf_counter()
    page.locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    page.get_by_text("A plan that cannot be placed").first.wait_for(timeout=60_000)
    seconds = time.perf_counter() - started
    # The problem's code sits behind a toggle; its message names the merged ranges.
    cell = page.locator('td:has-text("merged ranges")').first
    cell.wait_for(state="attached", timeout=60_000)
    _screenshot(page, "security-hostile-upload-en")
    print(f"\nhostile upload refused on the page in {seconds:.1f} s")
    expander = page.locator('[data-testid="stExpander"]').first
    assert "[open me](http://evil.example).xlsx" in expander.inner_text().replace("\u2060", "")
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
