"""Pages under load, in Chromium: many people signed in at once, each visiting every page.

    python -m bench.bench_load [--database-url URL] [--users 20] [--rounds 1]
                               [--clients chromium|websocket] [--servers 1]

Starts the app (`streamlit run app.py`) on the database (by default the national SQLite demo
of bench/bench_pages.py, built first if missing), then:

1. one person alone on the fresh server, signed in as `admin` (the whole government, every
   page): the first view of every page, caches empty;
2. once the servers are idle (their warm of the cache over: people arrive at servers that
   have been up a while; with `--no-alone`, one person untimed on each server first, as a
   server starts its warm at its first run), `--users` people at once (Playwright browser contexts in one
   Chromium), signed in as the demo accounts in turn (admin, cabinet, viewer, ministry,
   agency, office: different roles and scopes), each visiting every page their navigation
   holds, `--rounds` times;

and prints p50 and p95 of the page times, overall and per page. A page's time is what the
person waits for, on the page's own clock: from their click on its link in the sidebar (or
Enter in the sign-in form; the address, for the form itself) until Streamlit has finished:
the address is the page's, the app's script state "not running", nothing on the page changed
for SETTLED_MS, and no element is still drawn as a placeholder (charts and tables arrive
after the text); the time ends at the page's last change. The sign-in form's load (no query)
is printed beside them as the baseline of the same run.

The floor, in Chromium: Streamlit's bare form (bench/bare_app.py: a form, a line, nothing
else) on a server of its own. After the one-person pass, the app's sign-in form and the bare one
are opened FORMS times each, in turn, in new browsers (what no Streamlit page's first view goes
under on this machine); after the many-people pass, the same number of people open the bare
form at once and press its button as many times as they viewed pages (the lightest view
Streamlit has, one rerun): the p95 no Streamlit app reaches under on this machine with its
browsers.

Beside the page times: the server's answer ("server": from the page asking for a run to the
run's end, read off the WebSocket frames by DevTools), and where the CPU went during each
pass (`CpuShares`: the server, the Chromium processes, the bench, and everything else on the
machine). When the browsers run on the server's machine, as here, a page's time is mostly the
browsers' own work; the server columns are what a server on this machine answers.

`--clients websocket` leaves the browsers out: each person is Streamlit's own WebSocket
messages (`visit_wire`: the sign-in form's widgets filled in by their keys, then every page of
the navigation the app sent, the query string carried as the browser carries it), and a page's
time is the server's answer alone, from asking for the run to its end. It tells what the server
gives many people whose browsers run on their own machines, which the Chromium pass on a
2-core machine cannot: there, 20 browsers take most of the two cores.

`--servers N` starts N app servers on the same database and spreads the people over them, each
staying on one, as a load balancer with sticky sessions does when people scale out: one
server's script runs share one Python process (its GIL), so one server uses about one core.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from data.db import ROOT, make_engine
from data.users import DEMO_PASSWORD

NATIONAL = Path(tempfile.gettempdir()) / "apa-national.sqlite3"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ACCOUNTS = ("admin", "cabinet", "viewer", "ministry", "agency", "office")
# Installed in every page before its scripts run. The page's own clock (performance.now(),
# zero when the address was asked for) notes what a person sees: when they asked (a trusted
# click or Enter: the bench's own steps before the click are not the app's time), when the app
# last changed anything on the page (React may draw a quick run without ever showing
# "running", so the page's changes are watched), when its script state last went from running
# to not running, and when the sign-in form first appeared.
WATCH = """(() => {
  const note = (records) => {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    // Only the app's own changes count (not the document's head, nor frames of its own).
    if (!app || !records.some((record) => app.contains(record.target))) return;
    window.__apaLast = now;
    const state = app ? app.getAttribute('data-test-script-state') : null;
    if (state === 'notRunning' && window.__apaState === 'running') window.__apaRunOver = now;
    window.__apaState = state;
    if (window.__apaForm === undefined && document.querySelector('input[type="password"]'))
      window.__apaForm = now;
  };
  new MutationObserver(note).observe(document,
    {attributes: true, childList: true, subtree: true, characterData: true});
  const asked = (event) => {
    if (event.type === 'click' || event.key === 'Enter') {
      window.__apaAsked = performance.now();
      window.__apaRunOver = undefined;
    }
  };
  document.addEventListener('click', asked, true);
  document.addEventListener('keydown', asked, true);
})();"""
STATE = """() => [location.pathname, window.__apaAsked, window.__apaLast, document.querySelector(
  '[data-testid="stApp"]').getAttribute('data-test-script-state'),
  document.querySelectorAll('[data-testid="stSkeleton"]').length,
  document.querySelectorAll('[data-testid="stStatusWidget"]').length]"""
SETTLED_MS = 300  # nothing changed on the page for this long after its run: the page is done
# Done: on the page asked for, changed since it was asked for, the run over, nothing changing
# for SETTLED_MS, and no element still drawn as a placeholder.
DONE = """([path, settled]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && window.__apaAsked !== undefined
    && location.pathname.replace(/\\/$/, '').endsWith(path)
    && window.__apaLast > window.__apaAsked
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && performance.now() - window.__apaLast > settled
    && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]');
}"""
# Seconds from the asking to the page's last change, and to the end of the app's run as the
# page saw it (None when React never showed the run as running).
WAITED = """() => [(window.__apaLast - window.__apaAsked) / 1000,
  window.__apaRunOver === undefined ? null : (window.__apaRunOver - window.__apaAsked) / 1000]"""


TICKS = os.sysconf("SC_CLK_TCK")
FORMS = 3  # sign-in forms of the app and of the bare one, in turn, for the floor


def _stat(pid: int | str, task: str = "") -> tuple[str, int, int, float] | None:
    """A process's (or thread's) name, parent, start time and CPU seconds (user + system)."""
    try:
        with open(f"/proc/{pid}{task}/stat", "rb") as file:
            text = file.read().decode()
    except OSError:  # it ended
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is the state (stat's third field): utime and stime are stat's 14th and 15th.
    return name, int(fields[1]), int(fields[19]), (int(fields[11]) + int(fields[12])) / TICKS


def wait_idle(pids: list[int], quiet: float = 1.0, timeout: float = 60.0) -> float:
    """Wait until the servers spent under 5% of a core each for `quiet` seconds (their warm
    of the cache done: dashboard/warm.py), at most `timeout` seconds; the seconds waited."""
    started = time.perf_counter()
    history: list[tuple[float, list[float]]] = []
    while time.perf_counter() - started < timeout:
        now = time.perf_counter()
        history.append((now, [(_stat(pid) or ("", 0, 0, 0.0))[3] for pid in pids]))
        old = [h for h in history if now - h[0] >= quiet]
        if old:
            then, before = old[-1]
            spent = [b - a for a, b in zip(before, history[-1][1], strict=True)]
            if all(cpu < 0.05 * (now - then) for cpu in spent):
                break
        time.sleep(0.25)
    return time.perf_counter() - started


class CpuShares:
    """CPU seconds during a run, by who spent them: the app server (its main thread, which
    runs the event loop and sends every message, apart from its other threads: the script
    runs), the Chromium processes, the benchmark itself (this process and Playwright's
    driver), and everything else on the machine (other work: /proc/stat's busy time minus
    ours). Sampled every `EVERY` seconds, each process keeping its last sample: a process
    that ends loses at most its last interval."""

    EVERY = 0.25

    def __init__(self, *servers: int) -> None:
        self.servers = servers
        self.seen: dict[tuple[int, int], tuple[str, float]] = {}  # (pid, start) → who, CPU
        self.threads: dict[int, float] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuShares:
        self.started = time.perf_counter()
        self.busy0 = self._machine()
        self._sample()
        self.base = self._sums()
        self.base_threads = dict(self.threads)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        self.elapsed = time.perf_counter() - self.started
        self.peak_rss = sum(_peak_rss(server) for server in self.servers)
        self.busy = self._machine() - self.busy0

    @staticmethod
    def _machine() -> float:
        with open("/proc/stat") as file:
            ticks = [int(n) for n in file.readline().split()[1:]]
        return (sum(ticks) - ticks[3] - ticks[4]) / TICKS  # all but idle and iowait

    def _run(self) -> None:
        while not self.stop.wait(self.EVERY):
            self._sample()

    def _sample(self) -> None:
        with self.lock:
            self._sample_now()

    def _sample_now(self) -> None:
        table = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (found := _stat(entry)) is not None:
                table[int(entry)] = found
        me = os.getpid()
        for pid, (_name, _parent, start, cpu) in table.items():
            who, up, browser = None, pid, False
            for _ in range(64):  # up the tree to this process or the server
                if up in self.servers:
                    who = "server"
                    break
                if up == me:
                    who = "browsers" if browser else "bench"
                    break
                if up not in table:
                    break
                browser = browser or table[up][0].startswith(("chrom", "headless"))
                up = table[up][1]
            if who is not None:
                self.seen[(pid, start)] = (who, cpu)
        for server in self.servers:
            for task in os.listdir(f"/proc/{server}/task") if server in table else ():
                if (found := _stat(server, f"/task/{task}")) is not None:
                    self.threads[int(task)] = found[3]

    def totals(self) -> dict[str, float]:
        """CPU seconds so far of the server, the browsers and the bench (sampled now)."""
        self._sample()
        return self._sums()

    def _sums(self) -> dict[str, float]:
        sums = {"server": 0.0, "browsers": 0.0, "bench": 0.0}
        with self.lock:
            seen = list(self.seen.values())
        for who, cpu in seen:
            sums[who] += cpu
        return sums

    def shares(self) -> dict[str, float]:
        """CPU seconds of each part during the run, and the wall time."""
        sums = self._sums()
        spent = {who: sums[who] - self.base.get(who, 0.0) for who in sums}
        main = sum(self.threads.get(s, 0.0) - self.base_threads.get(s, 0.0) for s in self.servers)
        spent["server: event loop"] = main
        spent["server: other threads"] = spent["server"] - main
        spent["other work"] = max(
            0.0, self.busy - spent["server"] - spent["browsers"] - spent["bench"]
        )
        spent["wall"] = self.elapsed
        spent["server peak RSS MiB"] = self.peak_rss / 2**20
        return spent


def _peak_rss(pid: int) -> int:
    """The process's peak resident memory in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as file:
            for line in file:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def print_shares(spent: dict[str, float], views: int) -> None:
    """Where the CPU went during a run, and the CPU each page view cost the server and the
    browser (views: the sign-in forms included)."""
    cores = os.cpu_count() or 1
    wall = spent["wall"]
    ours = spent["server"] + spent["browsers"] + spent["bench"]
    print(f"  CPU during the run ({wall:.0f} s, {cores} cores = {wall * cores:.0f} CPU-s):")
    for who in (
        "server",
        "server: event loop",
        "server: other threads",
        "browsers",
        "bench",
        "other work",
    ):
        share = f"{spent[who] / ours:>4.0%} of ours" if who != "other work" else ""
        print(f"    {who:<24} {spent[who]:>7.1f} CPU-s {spent[who] / wall:>5.2f} cores  {share}")
    print(
        f"    per view ({views}, sign-in forms included): server"
        f" {spent['server'] / views * 1000:.0f} ms, browser {spent['browsers'] / views * 1000:.0f}"
        " ms of CPU"
    )
    print(
        f"    servers' peak memory (summed) {spent['server peak RSS MiB']:.0f} MiB;"
        f" load average {os.getloadavg()[0]:.2f} at the end",
        flush=True,
    )


def serve(url: str, app_dir: Path = ROOT, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    """The app (of the checkout `app_dir`: another one is a baseline; or another `script`, as
    the bare form of bench/bare_app.py) on its own port, started as a person would start it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=app_dir,
        env=dict(os.environ, APA_DATABASE_URL=url, PYTHONPATH=str(app_dir)),
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


async def _finished(page, path: str, timeout: float) -> tuple[float, float | None]:
    """Seconds from the person's asking to the page's last change, and to the run's end."""
    try:
        await page.wait_for_function(
            DONE, arg=[path, SETTLED_MS], polling=20, timeout=timeout * 1000
        )
    except Exception:
        state = await page.evaluate(STATE)
        raise RuntimeError(f"{page.url}: not finished after {timeout:.0f} s ({state})") from None
    waited, run_over = await page.evaluate(WAITED)
    return waited, run_over


async def _forget_asking(page) -> None:
    await page.evaluate("() => { window.__apaAsked = undefined; }")


class Wire:
    """The app's messages as the browser's network stack saw them (DevTools' timestamps, taken
    off the page's own thread, so a browser short of CPU delays them little): when the page
    asked the server for a run, and when the server said a run had finished. The time
    between is the server's part of a view (its queue, its run and the network)."""

    SMALL = 4096  # characters of base64: the messages looked at are a few bytes

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.finished: list[float] = []
        self.session = None

    async def listen(self, context, page) -> None:
        self.session = await context.new_cdp_session(page)
        self.session.on("Network.webSocketFrameSent", self._sent)
        self.session.on("Network.webSocketFrameReceived", self._received)
        await self.session.send("Network.enable")
        await self.session.send("Performance.enable")

    async def page_cpu(self) -> float:
        """Seconds the page's main thread has been busy so far (DevTools' TaskDuration: its
        scripts, style, layout and painting), the page's own, apart from the other pages; wall
        time of its tasks, so on a saturated machine it includes waiting for a core."""
        metrics = (await self.session.send("Performance.getMetrics"))["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def _message(self, params: dict, kind):
        response = params["response"]
        if response.get("opcode") != 2 or len(response["payloadData"]) > self.SMALL:
            return None
        try:
            return kind.FromString(base64.b64decode(response["payloadData"]))
        except Exception:  # not one of Streamlit's messages
            return None

    def _sent(self, params: dict) -> None:
        message = self._message(params, BackMsg)
        if message is not None and message.WhichOneof("type") == "rerun_script":
            self.asked.append(params["timestamp"])

    def _received(self, params: dict) -> None:
        message = self._message(params, ForwardMsg)
        if message is not None and message.WhichOneof("type") == "script_finished":
            self.finished.append(params["timestamp"])

    def mark(self) -> tuple[int, int]:
        return len(self.asked), len(self.finished)

    def answered(self, mark: tuple[int, int]) -> float | None:
        """Seconds from the first run asked for since `mark` to the last run finished."""
        asked, finished = self.asked[mark[0] :], self.finished[mark[1] :]
        if not asked or not finished or finished[-1] < asked[0]:
            return None
        return finished[-1] - asked[0]


class Views:
    """One person's page views: the time waited, when the run ended as the page saw it, the
    server's answer time (`Wire`), the page's main-thread time (`Wire.page_cpu`), and (with
    `cpu`: one person alone) the CPU seconds the server and the browser spent on it."""

    def __init__(self, cpu: CpuShares | None, wire: Wire | None = None) -> None:
        self.cpu = cpu
        self.wire = wire
        self.times: dict[str, list[float]] = {}
        self.runs: dict[str, list[float]] = {}
        self.answers: dict[str, list[float]] = {}
        self.spent: dict[str, list[tuple[float, float]]] = {}
        self.main: dict[str, list[float]] = {}
        self.before: dict[str, float] | None = None
        self.main_before: float | None = None
        self.mark = (0, 0)

    async def start(self) -> None:
        self.before = self.cpu.totals() if self.cpu else None
        self.mark = self.wire.mark() if self.wire else (0, 0)
        self.main_before = await self.wire.page_cpu() if self.wire else None

    async def add(self, name: str, waited: float, run_over: float | None = None) -> None:
        self.times.setdefault(name, []).append(waited)
        if self.main_before is not None:
            self.main.setdefault(name, []).append(await self.wire.page_cpu() - self.main_before)
        if run_over is not None:
            self.runs.setdefault(name, []).append(run_over)
        answered = self.wire.answered(self.mark) if self.wire else None
        if answered is not None:
            self.answers.setdefault(name, []).append(answered)
        if self.before is not None:
            after = self.cpu.totals()
            self.spent.setdefault(name, []).append(
                (
                    after["server"] - self.before["server"],
                    after["browsers"] - self.before["browsers"],
                )
            )


async def visit(
    browser, base: str, username: str, rounds: int, timeout: float, cpu: CpuShares | None = None
) -> Views:
    """One person: sign in, then every page of their navigation, `rounds` times over."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(WATCH)
    page = await context.new_page()
    wire = Wire()
    await wire.listen(context, page)
    views = Views(cpu, wire)
    try:
        await views.start()
        await page.goto(f"{base}/?lang=en", timeout=timeout * 1000)
        await page.locator('input[type="password"]').first.wait_for(timeout=timeout * 1000)
        await views.add("(sign-in form)", await page.evaluate("() => window.__apaForm / 1000"))
        await page.locator('input[type="text"]').first.fill(username)
        await page.locator('input[type="password"]').first.fill(DEMO_PASSWORD)
        await _forget_asking(page)
        await views.start()
        await page.locator('input[type="password"]').first.press("Enter")
        # The sign-in's run reruns the app signed in: the navigation appears, then the
        # overview runs; its end (not the sign-in form's) ends the view.
        links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a')
        try:
            await _finished(page, "", timeout)
            await links.first.wait_for(timeout=timeout * 1000)
            await views.add("overview (after sign-in)", *await _finished(page, "", timeout))
        except Exception as error:  # counted and reported; without it the person stops here
            views.times.setdefault("(not finished)", []).append(timeout)
            print(f"  {username}: signing in: {error}", flush=True)
            return views
        # The sidebar's links carry the kept filters as a query string; the page is the path.
        paths = [
            urlsplit(await links.nth(n).get_attribute("href")).path.strip("/")
            for n in range(await links.count())
        ]
        names = [path.rsplit("/", 1)[-1] or "overview" for path in paths]
        # The page shown (the overview) last: a click on its own link starts no run.
        order = [*range(1, len(names)), 0]
        for _ in range(rounds):
            for n in order:
                name = names[n]
                link = await _link_to(links, paths[n])
                await _forget_asking(page)
                await views.start()
                await link.click()
                path = "" if name == "overview" else f"/{name}"
                try:
                    await views.add(name, *await _finished(page, path, timeout))
                except RuntimeError as error:  # counted, reported, and the person goes on
                    views.times.setdefault("(not finished)", []).append(timeout)
                    print(f"  {username}: {error}", flush=True)
                    continue
                if await page.locator('[data-testid="stException"]').count():
                    raise RuntimeError(f"{name} ({username}) raised an exception")
    finally:
        await context.close()
    return views


async def _chromium(playwright):
    return await playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    )


async def _bare_form(browser, base: str, timeout: float):
    """A new browser context on `base`'s sign-in form: (context, page, seconds to the form)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(WATCH)
    page = await context.new_page()
    await page.goto(f"{base}/?lang=en", timeout=timeout * 1000)
    await page.locator('input[type="password"]').first.wait_for(timeout=timeout * 1000)
    return context, page, await page.evaluate("() => window.__apaForm / 1000")


async def visit_bare(browser, base: str, views: int, timeout: float) -> Views:
    """One person on Streamlit's bare form (bench/bare_app.py): its first view, then `views`
    presses of its button, each a rerun timed as a page view is."""
    context, page, form = await _bare_form(browser, base, timeout)
    bare = Views(None)
    try:
        await bare.add("(sign-in form)", form)
        button = page.locator('[data-testid="stFormSubmitButton"] button')
        for _ in range(views):
            await _forget_asking(page)
            await button.click()
            await bare.add("rerun", *await _finished(page, "", timeout))
    finally:
        await context.close()
    return bare


async def _load_bare(base: str, users: int, views: int, timeout: float) -> list[Views]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await _chromium(playwright)
        try:
            return await asyncio.gather(
                *(visit_bare(browser, base, views, timeout) for _ in range(users))
            )
        finally:
            await browser.close()


async def _forms(bases: dict[str, str], repeat: int, timeout: float) -> dict[str, list[float]]:
    """Seconds to each base's sign-in form, in a new browser context each time (a person's
    first visit: nothing cached), the bases in turn `repeat` times so that both see the same
    machine."""
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {name: [] for name in bases}
    async with async_playwright() as playwright:
        browser = await _chromium(playwright)
        try:
            for _ in range(repeat):
                for name, base in bases.items():
                    context, _page, seconds = await _bare_form(browser, base, timeout)
                    times[name].append(seconds)
                    await context.close()
        finally:
            await browser.close()
    return times


def report_floor(times: dict[str, list[float]]) -> dict[str, float]:
    """The app's sign-in form beside Streamlit's bare one (bench/bare_app.py), medians."""
    ours, bare = (statistics.median(times[name]) * 1000 for name in ("app", "bare"))
    print(
        f"the sign-in form in a new browser, {len(times['app'])} times each in turn: the app's"
        f" {ours:.0f} ms, Streamlit's bare form (bench/bare_app.py) {bare:.0f} ms:"
        f" {ours / bare:.2f}x"
    )
    return {"form": ours, "bare_form": bare}


async def _link_to(links, path: str):
    """The sidebar link to a page, found by its path: the links are drawn anew on every run
    and carry the kept filters, so neither their order nor their full address is stable."""
    await links.first.wait_for()
    for n in range(await links.count()):
        if urlsplit(await links.nth(n).get_attribute("href")).path.strip("/") == path:
            return links.nth(n)
    raise RuntimeError(f"no sidebar link to {path or 'the overview'}")


async def _load(
    bases: list[str], users: int, rounds: int, timeout: float, cpu: CpuShares | None = None
) -> list[Views]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await _chromium(playwright)
        try:
            return await asyncio.gather(
                *(
                    visit(
                        browser,
                        bases[n % len(bases)],
                        ACCOUNTS[n % len(ACCOUNTS)],
                        rounds,
                        timeout,
                        cpu,
                    )
                    for n in range(users)
                )
            )
        finally:
            await browser.close()


async def visit_wire(base: str, username: str, rounds: int, timeout: float) -> Views:
    """One person without a browser (`--clients websocket`): sign in and visit every page of
    their navigation as the browser asks for them, through Streamlit's own WebSocket messages
    (a run asked for with the page, the query and the widgets' values; the messages of the
    run read until it has finished). A page's time is then the server's answer alone: what a
    person waits for when their browser runs on their own machine, less its drawing."""
    import websockets

    views = Views(None)
    address = "ws" + base.removeprefix("http") + "/_stcore/stream"
    async with websockets.connect(
        address, subprotocols=["streamlit"], max_size=None, open_timeout=timeout
    ) as socket_:
        run = _WireRun(socket_, timeout)
        await views.add("(sign-in form)", await run.ask())
        fields = {"username": username, "password": DEMO_PASSWORD}
        (submit,) = (i for key, i in run.widgets.items() if key.startswith("FormSubmitter:sign-in"))
        widgets = [
            *(
                WidgetState(id=run.widgets[f"sign-in-{k}"], string_value=v)
                for k, v in fields.items()
            ),
            WidgetState(id=submit, trigger_value=True),
        ]
        await views.add("overview (after sign-in)", await run.ask(widgets=widgets))
        pages = [p for p in run.pages if not p.is_hidden]
        shown = run.page
        names = {
            p.page_script_hash: (p.url_pathname.strip("/").rsplit("/", 1)[-1] or "overview")
            for p in pages
        }
        # The page shown (the overview) last, as the browser's visit does.
        order = [p.page_script_hash for p in pages if p.page_script_hash != shown] + [shown]
        for _ in range(rounds):
            for page in order:
                await views.add(names[page], await run.ask(page=page))
    return views


class _WireRun:
    """A person's Streamlit session over its WebSocket: `ask` for a run and wait for its end,
    noting the widgets (by key), the navigation's pages and the query string the run sent
    (the browser sends the query back with its next run: the filters a page keeps)."""

    def __init__(self, socket_, timeout: float) -> None:
        self.socket = socket_
        self.timeout = timeout
        self.widgets: dict[str, str] = {}
        self.pages: list = []
        self.page = ""
        self.query = "lang=en"  # as the browser keeps it: the app's own changes (filters kept)

    async def ask(self, page: str | None = None, widgets: list | None = None) -> float:
        """Seconds from asking for a run (of `page`, with `widgets`) to its successful end:
        a run that ends early for another (the sign-in's st.rerun) is waited through."""
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_script_hash = self.page if page is None else page
        message.rerun_script.widget_states.widgets.extend(widgets or [])
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        while True:
            data = await asyncio.wait_for(self.socket.recv(), self.timeout)
            forward = ForwardMsg.FromString(data)
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return time.perf_counter() - started
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("the app's script did not compile")
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = list(forward.navigation.app_pages)
                self.page = forward.navigation.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    raise RuntimeError(f"the app raised: {element.exception.message}")
                widget = getattr(element, element.WhichOneof("type") or "", None)
                widget_id = getattr(widget, "id", "")
                if widget_id.startswith("$$ID-"):  # keyed: $$ID-<hash>-<key>
                    self.widgets[widget_id.split("-", 2)[2]] = widget_id


async def _load_wire(bases: list[str], users: int, rounds: int, timeout: float) -> list[Views]:
    return await asyncio.gather(
        *(
            visit_wire(bases[n % len(bases)], ACCOUNTS[n % len(ACCOUNTS)], rounds, timeout)
            for n in range(users)
        )
    )


def _merge(results: list[Views]) -> Views:
    merged = Views(None)
    for views in results:
        for mine, theirs in (
            (merged.times, views.times),
            (merged.runs, views.runs),
            (merged.answers, views.answers),
            (merged.spent, views.spent),
            (merged.main, views.main),
        ):
            for name, samples in theirs.items():
                mine.setdefault(name, []).extend(samples)
    return merged


def sign_in_by_account(results: list[Views]) -> dict[str, list[float]]:
    """Print and return the sign-in's times (to the overview's end) of each demo account: the
    people are the accounts in turn, so person n is ACCOUNTS[n % 6]."""
    found: dict[str, list[float]] = {}
    for n, views in enumerate(results):
        found.setdefault(ACCOUNTS[n % len(ACCOUNTS)], []).extend(
            views.times.get("overview (after sign-in)", [])
        )
    print("  sign-in to the overview's end, by account (ms):")
    for account, samples in found.items():
        times = " ".join(f"{t * 1000:.0f}" for t in sorted(samples))
        print(f"    {account:<10} {times}")
    return found


def _p(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q)) * 1000


def report(title: str, merged: Views) -> dict[str, float]:
    """Print p50/p95 per page and over every page view (the sign-in form apart); beside them
    the p50 and p95 of the server's answer ("server": from the page asking for the run to the
    run's end, on the wire) and the p50 of the run's end as the page saw it ("run over"): the
    rest of a view is the browser drawing what the run sent. The mean milliseconds the page's
    main thread was busy ("page busy": the browser's work for this page alone, under load
    too, though on a saturated machine it includes waiting for a core); for one person alone,
    the CPU milliseconds the server and the browser (all its processes) spent on the view."""
    print(title)
    cpu = bool(merged.spent)
    heads = ["views", "p50 ms", "p95 ms", "max ms", "server p50", "server p95", "run over"]
    heads += ["page busy"]
    heads += ["server CPU", "browser CPU"] if cpu else []
    print(f"  {'page':<26}" + "".join(f"{head:>11}" for head in heads))
    for name, samples in merged.times.items():
        runs = merged.runs.get(name)
        answers = merged.answers.get(name)
        cells = [
            f"{len(samples)}",
            f"{statistics.median(samples) * 1000:.0f}",
            f"{_p(samples, 95):.0f}",
            f"{max(samples) * 1000:.0f}",
            f"{statistics.median(answers) * 1000:.0f}" if answers else "-",
            f"{_p(answers, 95):.0f}" if answers else "-",
            f"{statistics.median(runs) * 1000:.0f}" if runs else "-",
            f"{statistics.fmean(main) * 1000:.0f}" if (main := merged.main.get(name)) else "-",
        ]
        if cpu:
            spent = merged.spent.get(name, [])
            for part in (0, 1):
                mean = sum(s[part] for s in spent) / len(spent) * 1000 if spent else None
                cells.append(f"{mean:.0f}" if spent else "-")
        print(f"  {name:<26}" + "".join(f"{cell:>11}" for cell in cells))
    apart = ("(sign-in form)", "(not finished)")
    pages = [s for name, samples in merged.times.items() if name not in apart for s in samples]
    answers = [s for name, samples in merged.answers.items() if name not in apart for s in samples]
    p50, p95 = (statistics.median(pages) * 1000, _p(pages, 95)) if pages else (math.nan,) * 2
    server = (statistics.median(answers) * 1000, _p(answers, 95)) if answers else (0.0, 0.0)
    main = [s for name, samples in merged.main.items() if name not in apart for s in samples]
    page_cpu = f"{statistics.fmean(main) * 1000:.0f}" if main else "-"
    answered = "".join(f"{f'{a:.0f}' if answers else '-':>11}" for a in server)
    print(
        f"  {'every page view':<26}{len(pages):>11}{p50:>11.0f}{p95:>11.0f}{'':>11}{answered}"
        f"{'':>11}{page_cpu:>11}"
    )
    failed = len(merged.times.get("(not finished)", []))
    if failed:
        print(f"  {failed} page view(s) not finished within the timeout (left out above)")
    return {
        "p50": p50,
        "p95": p95,
        "server_p50": server[0],
        "server_p95": server[1],
        "page_cpu": page_cpu,
        "views": len(pages),
        "not_finished": failed,
    }


def many_at_once(pids: list[int], people, title: str) -> tuple[dict, list[Views]]:
    """Run `people` (a coroutine gathering each person's Views), the CPU counted over the
    servers `pids`; print its report under `title` and where the CPU went."""
    with CpuShares(*pids) as cpu:
        results = asyncio.run(people)
    figures = report(f"{title}: {cpu.elapsed:.0f} s in all", _merge(results))
    figures["cpu"] = cpu.shares()
    print_shares(figures["cpu"], figures["views"] + len(results))
    return figures, results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a page may take")
    parser.add_argument("--no-alone", action="store_true", help="skip the one-person pass")
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT, help="the checkout to serve (a baseline: /work/main)"
    )
    parser.add_argument(
        "--clients",
        choices=("chromium", "websocket"),
        default="chromium",
        help="people in Chromium, or as Streamlit's WebSocket messages without a browser",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="app servers on the database, people spread over them",
    )
    args = parser.parse_args(argv)
    if args.clients == "websocket":
        load, who = _load_wire, "WebSocket clients, no browser: the server's answer"
    else:
        load, who = _load, "Chromium"
    if args.clients == "chromium" and not os.path.exists(CHROMIUM):
        raise SystemExit("Debian's chromium is needed (apt-get install chromium)")
    url = args.database_url or f"sqlite:///{NATIONAL}"
    if args.database_url is None and not NATIONAL.exists():
        from demo import build_demo

        print(f"building the national demo in {NATIONAL}…", flush=True)
        build_demo(make_engine(url), scale="national")
    figures = {}
    # Several app servers on one database, as people scale out: each person stays on one
    # (a load balancer's sticky sessions: a Streamlit session lives in its server).
    servers = [serve(url, args.app_dir) for _ in range(args.servers)]
    pids = [process.pid for process, _base in servers]
    bare = None
    bases = [base for _process, base in servers]
    try:
        if args.clients == "chromium":  # Streamlit's bare form, the Chromium passes' floor
            bare = serve(url, ROOT, "bench/bare_app.py")
        if not args.no_alone:
            with CpuShares(*pids) as cpu:
                if args.clients == "websocket":
                    alone = asyncio.run(_load_wire(bases[:1], 1, 1, args.timeout))
                else:
                    alone = asyncio.run(_load(bases[:1], 1, 1, args.timeout, cpu))
            figures["alone"] = report(
                f"one person on a fresh server (admin: every page's first view, caches empty;"
                f" {who})",
                _merge(alone),
            )
            figures["alone"]["cpu"] = cpu.shares()
            print_shares(figures["alone"]["cpu"], figures["alone"]["views"] + 1)
            if bare:
                # Streamlit's own floor: what any page costs a new browser before the app's work.
                forms = asyncio.run(_forms({"app": bases[0], "bare": bare[1]}, FORMS, args.timeout))
                figures["floor"] = report_floor(forms)
            # The other servers' first views too (untimed), so that every server starts the
            # pass below as the first one does.
            asyncio.run(_load_wire(bases[1:], len(bases) - 1, 1, args.timeout))
        else:
            # Untimed, one person on each server: a server opens its database, and so starts
            # its warm, only at its first run; without it the pass below met cold servers.
            asyncio.run(_load_wire(bases, len(bases), 1, args.timeout))
        # People arrive at servers that have been up a while: their warm of the cache (the
        # first views of the scopes in use, after the first person's) is over.
        print(f"servers idle after {wait_idle(pids):.1f} s", flush=True)
        on = f" on {args.servers} app servers" if args.servers > 1 else ""
        figures["load"], results = many_at_once(
            pids,
            load(bases, args.users, args.rounds, args.timeout),
            f"{args.users} people at once{on} ({', '.join(ACCOUNTS[: min(args.users, 6)])} in"
            f" turn; {who}), {args.rounds} round(s) of every page",
        )
        figures["load"]["sign_in_by_account"] = sign_in_by_account(results)
        if bare:
            # The same people on Streamlit's bare form, as many views each: the floor of the
            # pass above on this machine, whatever the app does.
            each = max(1, round(figures["load"]["views"] / args.users))
            figures["bare"], _ = many_at_once(
                [bare[0].pid],
                _load_bare(bare[1], args.users, each, args.timeout),
                f"{args.users} people at once on Streamlit's bare form (bench/bare_app.py), {each}"
                " presses of its button each",
            )
            print(
                f"p95 of every page view: the app's {figures['load']['p95']:.0f} ms, the bare"
                f" form's {figures['bare']['p95']:.0f} ms"
            )
    finally:
        if bare:
            bare[0].terminate()
            bare[0].wait(timeout=30)
        for process, _base in servers:
            process.terminate()
        for process, _base in servers:
            process.wait(timeout=30)
    return figures


if __name__ == "__main__":
    main()
