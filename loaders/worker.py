"""Checks and imports of uploaded workbooks in a child process, with a time and memory limit.

The upload page checks a workbook as soon as it is chosen, for anyone who may upload. The
reader's own limits (read.py, bounds.py) refuse every hostile file we know of in well under a
second; this is the second wall, for whatever they miss: each check or import runs in a fresh
child process whose address space may grow by at most `WorkerLimits.memory` (RLIMIT_AS) and
whose CPU time is capped (RLIMIT_CPU); it is killed after `WorkerLimits.seconds` of wall
time. A child that runs out dies alone (python-calamine aborts the process when an allocation
fails); the server carries on and the file is refused with `check-limit-exceeded`. Children
run at a lower priority, at most `MAX_WORKERS` at once per server, so uploads cannot starve the
pages other users are reading. One upload is bounded too (`UploadBudget`: files, bytes, cells).

Children are forked, one per job, from a long-lived `python -m loaders.worker` that has
imported the loaders once (one such fork server per concurrent job, kept between jobs). A
child is fresh (nothing one file does reaches the next) yet starts with its imports done, in
a millisecond rather than the second of CPU a new interpreter needs: with a new interpreter
per file, files checked one after another each waited for most of that second. The fork
server is single-threaded and holds no connection, so forking it is safe where forking the
app server (threads, pooled connections) is not. The standard library's "forkserver" start
method would do the same, but on Python 3.11 each of its children imports the program's main
module again (the `streamlit` command: half a second). Jobs and results travel as pickles.
"""

from __future__ import annotations

import os
import pickle
import resource
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from core.issues import Refusal, make_issue
from loaders.read import Limits
from loaders.report import FileReport

MAX_WORKERS = max(1, min(4, os.cpu_count() or 1))
NICENESS = 10
ROOT = Path(__file__).resolve().parent.parent
_slots = threading.BoundedSemaphore(MAX_WORKERS)
_idle_lock = threading.Lock()
_idle: list[subprocess.Popen] = []  # fork servers waiting for a job


class WorkerError(RuntimeError):
    """The job failed in the child for a reason other than its limits."""


@dataclass(frozen=True)
class WorkerLimits:
    seconds: float = 120.0  # wall time of one check or import, then the child is killed
    memory: int = 2**30  # bytes the child's address space may grow by (RLIMIT_AS)


@dataclass(frozen=True)
class WorkerRun:
    """What one child did: its result (None when it was stopped), how long it took, its
    peak resident memory (bytes, VmHWM), and why it was stopped."""

    result: object | None
    seconds: float
    peak_memory: int | None
    stopped: str | None = None  # "time" or "memory"


# ---------------------------------------------------------------- the child


def _status(field: str) -> int:
    """A size from /proc/self/status in bytes: VmSize (the address space) or VmHWM (this
    process's peak resident memory; ru_maxrss would also count the fork server's pages)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _child(job: str, arguments: dict, limits: WorkerLimits, out) -> None:
    """In the forked child: run one job under its limits, write (state, result, peak)."""
    ceiling = _status("VmSize") + limits.memory
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu = max(1, int(limits.seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    os.nice(NICENESS)
    from data.db import make_engine
    from loaders import pipeline

    url = arguments.pop("database_url", None)
    engine = make_engine(url) if url else None
    try:
        if job == "check":
            message = ("ok", pipeline.check_file(arguments.pop("data"), engine=engine, **arguments))
        else:
            message = ("ok", pipeline.import_file(engine, arguments.pop("data"), **arguments))
    except MemoryError:
        message = ("memory", None)
    except Exception as error:  # an unexpected failure: the parent raises it as WorkerError
        message = ("error", f"{type(error).__name__}: {error}")
    finally:
        if engine is not None:
            engine.dispose()
    pickle.dump((*message, _status("VmHWM")), out)
    out.flush()


# ---------------------------------------------------------------- the fork server


def _run_forked(job: str, arguments: dict, limits: WorkerLimits) -> tuple:
    """Fork a child for one job, wait for its answer at most `limits.seconds`, kill it then.
    (answer bytes, exit code, timed out, seconds)."""
    readable, writable = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(readable)
        code = 0
        try:
            with os.fdopen(writable, "wb") as out:
                _child(job, arguments, limits, out)
        except BaseException:  # whatever happens, the child ends here
            code = 1
        os._exit(code)
    os.close(writable)
    received = bytearray()
    timed_out = False
    deadline = started + limits.seconds
    with selectors.DefaultSelector() as selector:
        selector.register(readable, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                timed_out = True
                break
            if not selector.select(remaining):
                continue
            chunk = os.read(readable, 1 << 20)
            if not chunk:
                break
            received += chunk
    os.close(readable)
    _, status = os.waitpid(pid, 0)
    return (
        bytes(received),
        os.waitstatus_to_exitcode(status),
        timed_out,
        time.perf_counter() - started,
    )


def _serve() -> None:
    """`python -m loaders.worker`: import everything, then for each job read from stdin fork
    a child, and write what it did to stdout; exit when stdin ends."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to the log, not into the answers
    import data.db  # noqa: F401 -- imported once here, so that every child has it
    import loaders.pipeline  # noqa: F401

    while True:
        try:
            job, arguments, limits = pickle.load(sys.stdin.buffer)  # noqa: S301 -- our parent
        except EOFError:  # the app server went away
            return
        if arguments.get("database_url"):
            _prepare(arguments["database_url"])
        pickle.dump(_run_forked(job, arguments, limits), out)
        out.flush()


def _prepare(url: str) -> None:
    """Build what a check keeps between files (the office index, the rule sets: data.kept)
    here, before forking, so that every child inherits them instead of building them (about
    60 ms of CPU each); once built, this costs one round trip to see they are current. A
    child checks their version again. The connections are closed before the fork."""
    from data.db import make_engine
    from data.office_match import office_index
    from data.rules import rules_by_year_id, year_rules

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            office_index(connection)
            rules_by_year_id(connection)
        year_rules(engine)
    except Exception as error:  # the child will build them itself, or say what is wrong
        print(f"loaders.worker: could not prepare for the next job: {error!r}", file=sys.stderr)
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the parent


def _start() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "loaders.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )


def _take() -> subprocess.Popen:
    """An idle fork server (started on an earlier call if any is alive), or a new one."""
    with _idle_lock:
        while _idle:
            server = _idle.pop()
            if server.poll() is None:
                return server
    return _start()


def warm() -> None:
    """Start a fork server now (the upload page calls this when it opens), so the first
    check does not wait for its imports."""
    with _idle_lock:
        if not any(server.poll() is None for server in _idle):
            _idle.append(_start())


def run_in_worker(job: str, arguments: dict, limits: WorkerLimits | None = None) -> WorkerRun:
    """Run `pipeline.check_file` ("check") or `pipeline.import_file` ("import") with these
    keyword arguments in a child process under `limits`."""
    limits = limits or WorkerLimits()
    payload = pickle.dumps((job, dict(arguments), limits))
    with _slots:
        server = _take()
        try:
            server.stdin.write(payload)
            server.stdin.flush()
            answer = pickle.load(server.stdout)  # noqa: S301 -- our own fork server's answer
        except (BrokenPipeError, EOFError) as error:  # the fork server itself died
            server.kill()
            server.wait()
            raise WorkerError(f"the worker process ended: {error!r}") from error
        with _idle_lock:
            _idle.append(server)
    received, exit_code, timed_out, elapsed = answer
    if not received:  # stopped
        timed_out = timed_out or exit_code == -signal.SIGXCPU
        return WorkerRun(None, elapsed, None, "time" if timed_out else "memory")
    state, result, peak = pickle.loads(received)  # noqa: S301 -- our own child's answer
    if state == "error":
        raise WorkerError(result)
    if state != "ok":
        return WorkerRun(None, elapsed, peak, state)
    return WorkerRun(result, elapsed, peak)


def _stopped(run: WorkerRun, limits: WorkerLimits) -> Refusal:
    """Why a child was stopped: its time or its memory."""
    if run.stopped == "time":
        return Refusal("check-limit-exceeded", variant="time", limit=f"{limits.seconds:.0f}")
    return Refusal("check-limit-exceeded", limit=f"{limits.memory / 2**20:,.0f} MiB")


def refused_file(file_name: str, sha256: str | None, refusal: Refusal):
    """A CheckedFile that refuses the whole file with one issue."""
    from loaders.pipeline import CheckedFile

    report = FileReport(path=file_name, file_name=file_name, sha256=sha256, plans=[], issues=[])
    report.add(refusal.issue(file_name))
    report.finish()
    return CheckedFile(file_name, report)


def check_in_worker(
    data: bytes,
    *,
    file_name: str,
    database_url: str | None,
    worker: WorkerLimits | None = None,
    **arguments,
):
    """`pipeline.check_file(data, file_name=..., **arguments)` in a child, on the database at
    `database_url`; a CheckedFile either way (a stopped child: `check-limit-exceeded`)."""
    import hashlib

    worker = worker or WorkerLimits()
    job = {"data": data, "file_name": file_name, "database_url": database_url, **arguments}
    run = run_in_worker("check", job, worker)
    if run.result is not None:
        return run.result
    sha = hashlib.sha256(data).hexdigest()
    return refused_file(file_name, sha, _stopped(run, worker))


def import_in_worker(
    data: bytes,
    *,
    file_name: str,
    database_url: str,
    worker: WorkerLimits | None = None,
    **arguments,
):
    """`pipeline.import_file(engine, data, file_name=..., **arguments)` in a child; an
    ImportOutcome either way."""
    import hashlib

    from loaders.pipeline import ImportOutcome

    worker = worker or WorkerLimits()
    job = {"data": data, "file_name": file_name, "database_url": database_url, **arguments}
    run = run_in_worker("import", job, worker)
    if run.result is not None:
        return run.result
    refusal = _stopped(run, worker)
    sha = hashlib.sha256(data).hexdigest()
    checked = refused_file(file_name, sha, refusal)
    issue = refusal.issue(file_name)
    return ImportOutcome(checked, None, [], issue.text_en, issue.text_bn)


def refused_outcome(checked):
    """The ImportOutcome of a file its check refused whole (nothing is imported)."""
    from loaders.pipeline import ImportOutcome

    nothing = make_issue("workbook-not-imported")
    return ImportOutcome(checked, None, checked.plans, nothing.text_en, nothing.text_bn)


# ---------------------------------------------------------------- one upload


@dataclass
class UploadBudget:
    """What one upload may cost: files, bytes and cells read, over all its workbooks."""

    files: int = 20
    bytes: int = 100 * 2**20
    cells: int = 4_000_000

    def admit(self, index: int, bytes_before: int, cells_before: int, size: int):
        """None if the file at `index` (0-based) fits, else the Refusal that says why not."""
        if index >= self.files:
            return Refusal("upload-too-large", limit=self.files)
        if bytes_before + size > self.bytes:
            return Refusal(
                "upload-too-large", variant="bytes", limit=f"{self.bytes / 2**20:,.0f} MiB"
            )
        if cells_before >= self.cells:
            return Refusal("upload-too-large", variant="cells", limit=f"{self.cells:,}")
        return None

    def limits(self, cells_before: int, base: Limits | None = None) -> Limits:
        """The reader's limits for the next workbook: its cells capped by what is left."""
        base = base or Limits()
        return replace(base, max_cells=min(base.max_cells, self.cells - cells_before))


UPLOAD_BUDGET = UploadBudget()


if __name__ == "__main__":
    _serve()
