"""Pages under load, in Chromium: many people signed in at once, each visiting every page.

    python -m bench.bench_load [--database-url URL] [--users 20] [--rounds 1]

Starts the app (`streamlit run app.py`) on the database (by default the national SQLite demo
of bench/bench_pages.py, built first if missing), then:

1. one person alone on the fresh server, signed in as `admin` (the whole government, every
   page): the first view of every page, caches empty;
2. `--users` people at once (Playwright browser contexts in one Chromium), signed in as the
   demo accounts in turn (admin, cabinet, viewer, ministry, agency, office: different roles
   and scopes), each visiting every page their navigation holds, `--rounds` times;

and prints p50 and p95 of the page times, overall and per page. A page's time runs from the
click on its link in the sidebar (or the address, for the first page) until Streamlit has
finished: the address is the page's, the app's script state "not running", nothing on the
page changed for SETTLED_MS, and no element is still drawn as a placeholder (charts and tables
arrive after the text); the time ends at the page's last change. The sign-in form's
load (no query) is printed beside them as the baseline of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

from data.db import ROOT, make_engine
from data.users import DEMO_PASSWORD

NATIONAL = Path(tempfile.gettempdir()) / "apa-national.sqlite3"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ACCOUNTS = ("admin", "cabinet", "viewer", "ministry", "agency", "office")
# Notes when the app last changed anything on the page (its script state included). React
# may draw a quick run without ever showing "running", so the page's own changes are watched.
WATCH = """() => {
  if (window.__apaLast !== undefined) return;
  window.__apaLast = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => { window.__apaLast = performance.now(); })
    .observe(app, {attributes: true, childList: true, subtree: true, characterData: true});
}"""
STATE = """() => [location.pathname, window.__apaLast, document.querySelector(
  '[data-testid="stApp"]').getAttribute('data-test-script-state'),
  document.querySelectorAll('[data-testid="stSkeleton"]').length,
  document.querySelectorAll('[data-testid="stStatusWidget"]').length]"""
SETTLED_MS = 300  # nothing changed on the page for this long after its run: the page is done
# Done: on the page asked for, changed since the click, the run over, nothing changing for
# SETTLED_MS, and no element still drawn as a placeholder.
DONE = """([path, clicked, settled]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && location.pathname.replace(/\\/$/, '').endsWith(path)
    && window.__apaLast > clicked
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && performance.now() - window.__apaLast > settled
    && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]');
}"""


def serve(url: str) -> tuple[subprocess.Popen, str]:
    """The app on its own port, started as a person would start it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=dict(os.environ, APA_DATABASE_URL=url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            health = urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)  # noqa: S310
            if health.status == 200:
                return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("streamlit did not start")


async def _finished(page, path: str, clicked: float, timeout: float) -> float:
    """Seconds from `clicked` (the page's clock) to the page's last change."""
    try:
        await page.wait_for_function(
            DONE, arg=[path, clicked, SETTLED_MS], polling=20, timeout=timeout * 1000
        )
    except Exception:
        state = await page.evaluate(STATE)
        raise RuntimeError(f"{page.url}: not finished after {timeout:.0f} s ({state})") from None
    return (await page.evaluate("() => window.__apaLast") - clicked) / 1000


async def _clock(page) -> float:
    """The page's clock just before a click (the watch installed)."""
    await page.evaluate(WATCH)
    return await page.evaluate("() => performance.now()")


async def visit(browser, base: str, username: str, rounds: int, timeout: float) -> dict:
    """One person: sign in, then every page of their navigation, `rounds` times over."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    times: dict[str, list[float]] = {}
    try:
        started = time.perf_counter()
        await page.goto(f"{base}/?lang=en", timeout=timeout * 1000)
        await page.locator('input[type="password"]').first.wait_for(timeout=timeout * 1000)
        times.setdefault("(sign-in form)", []).append(time.perf_counter() - started)
        await page.locator('input[type="text"]').first.fill(username)
        await page.locator('input[type="password"]').first.fill(DEMO_PASSWORD)
        clicked = await _clock(page)
        await page.locator('input[type="password"]').first.press("Enter")
        await _finished(page, "", clicked, timeout)
        # The sign-in's run reruns the app signed in: the navigation appears, then the
        # overview runs; its end (not the sign-in form's) ends the view.
        links = page.locator('[data-testid="stSidebarNav"] a')
        await links.first.wait_for(timeout=timeout * 1000)
        seconds = await _finished(page, "", clicked, timeout)
        times.setdefault("overview (after sign-in)", []).append(seconds)
        names = [
            (await links.nth(n).get_attribute("href")).rstrip("/").rsplit("/", 1)[-1]
            for n in range(await links.count())
        ]
        names = [name if name and "127.0.0.1" not in name else "overview" for name in names]
        # The page shown (the overview) last: a click on its own link starts no run.
        order = [*range(1, len(names)), 0]
        for _ in range(rounds):
            for n in order:
                name = names[n]
                clicked = await _clock(page)
                await links.nth(n).click()
                path = "" if name == "overview" else f"/{name}"
                try:
                    seconds = await _finished(page, path, clicked, timeout)
                except RuntimeError as error:  # counted, reported, and the person goes on
                    times.setdefault("(not finished)", []).append(timeout)
                    print(f"  {username}: {error}", flush=True)
                    continue
                times.setdefault(name, []).append(seconds)
                if await page.locator('[data-testid="stException"]').count():
                    raise RuntimeError(f"{name} ({username}) raised an exception")
    finally:
        await context.close()
    return times


async def _load(base: str, users: int, rounds: int, timeout: float) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            return await asyncio.gather(
                *(
                    visit(browser, base, ACCOUNTS[n % len(ACCOUNTS)], rounds, timeout)
                    for n in range(users)
                )
            )
        finally:
            await browser.close()


def _merge(results: list[dict]) -> dict[str, list[float]]:
    merged: dict[str, list[float]] = {}
    for times in results:
        for name, samples in times.items():
            merged.setdefault(name, []).extend(samples)
    return merged


def _p(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q)) * 1000


def report(title: str, merged: dict[str, list[float]]) -> dict[str, float]:
    """Print p50/p95 per page and over every page view (the sign-in form apart)."""
    print(title)
    print(f"  {'page':<28} {'views':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, samples in merged.items():
        print(
            f"  {name:<28} {len(samples):>5} {statistics.median(samples) * 1000:>8.0f}"
            f" {_p(samples, 95):>8.0f} {max(samples) * 1000:>8.0f}"
        )
    apart = ("(sign-in form)", "(not finished)")
    pages = [s for name, samples in merged.items() if name not in apart for s in samples]
    p50, p95 = statistics.median(pages) * 1000, _p(pages, 95)
    print(f"  {'every page view':<28} {len(pages):>5} {p50:>8.0f} {p95:>8.0f}")
    failed = len(merged.get("(not finished)", []))
    if failed:
        print(f"  {failed} page view(s) not finished within the timeout (left out above)")
    return {"p50": p50, "p95": p95, "views": len(pages), "not_finished": failed}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a page may take")
    parser.add_argument("--no-alone", action="store_true", help="skip the one-person pass")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        raise SystemExit("Debian's chromium is needed (apt-get install chromium)")
    url = args.database_url or f"sqlite:///{NATIONAL}"
    if args.database_url is None and not NATIONAL.exists():
        from demo import build_demo

        print(f"building the national demo in {NATIONAL}…", flush=True)
        build_demo(make_engine(url), scale="national")
    figures = {}
    process, base = serve(url)
    try:
        if not args.no_alone:
            alone = asyncio.run(_load(base, 1, 1, args.timeout))
            figures["alone"] = report(
                "one person on a fresh server (admin: every page's first view, caches empty)",
                _merge(alone),
            )
        started = time.perf_counter()
        results = asyncio.run(_load(base, args.users, args.rounds, args.timeout))
        elapsed = time.perf_counter() - started
        figures["load"] = report(
            f"{args.users} people at once ({', '.join(ACCOUNTS[: min(args.users, 6)])} in turn),"
            f" {args.rounds} round(s) of every page: {elapsed:.0f} s in all",
            _merge(results),
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return figures


if __name__ == "__main__":
    main()
