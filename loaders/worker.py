"""Checks and imports of uploaded workbooks in a child process, with a time and memory limit.

The upload page checks a workbook as soon as it is chosen, for anyone who may upload. The
reader's own limits (read.py, bounds.py) refuse every hostile file we know of in well under a
second; this is the second wall, for whatever they miss: each check or import runs in a fresh
child process whose address space may grow by at most `WorkerLimits.memory` (RLIMIT_AS) and
whose CPU time is capped (RLIMIT_CPU); the parent kills it after `WorkerLimits.seconds` of wall
time. A child that runs out dies alone (python-calamine aborts the process when an allocation
fails); the server carries on and the file is refused with `check-limit-exceeded`. Children
run at a lower priority, at most `MAX_WORKERS` at once per server, so uploads cannot starve the
pages other users are reading. One upload is bounded too (`UploadBudget`: files, bytes, cells).

Each child is a fresh `python -m loaders.worker`, started while the previous job runs, so it
has imported everything by the time a job arrives: a check starts in milliseconds rather than
the second a new interpreter needs. Job and result travel as pickles over its stdin/stdout.
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
_spare_lock = threading.Lock()
_spare: subprocess.Popen | None = None


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


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _serve() -> None:
    """`python -m loaders.worker`: import everything, wait for one job on stdin, run it under
    its limits, write the result to stdout, exit."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to the log, not into the result
    from data.db import make_engine
    from loaders import pipeline

    try:
        job, arguments, limits = pickle.load(sys.stdin.buffer)  # noqa: S301 -- from our parent
    except EOFError:  # the server went away before giving this spare a job
        return
    ceiling = _address_space() + limits.memory
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu = max(1, int(limits.seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    os.nice(NICENESS)
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
    pickle.dump((*message, _high_water()), out)
    out.close()


def _high_water() -> int:
    """This process's peak resident memory (VmHWM: the program's own, whereas ru_maxrss
    also counts the parent's pages the child held before it became Python)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


# ---------------------------------------------------------------- the parent


def _start() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "loaders.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )


def _take() -> subprocess.Popen:
    """A child that has imported everything already (started during the previous job), and
    a new spare started for the next one."""
    global _spare
    with _spare_lock:
        child = _spare if _spare is not None and _spare.poll() is None else _start()
        _spare = _start()
    return child


def warm() -> None:
    """Start the spare child now (the upload page calls this when it opens), so the first
    check does not wait for a new interpreter's imports."""
    global _spare
    with _spare_lock:
        if _spare is None or _spare.poll() is not None:
            _spare = _start()


def run_in_worker(job: str, arguments: dict, limits: WorkerLimits | None = None) -> WorkerRun:
    """Run `pipeline.check_file` ("check") or `pipeline.import_file` ("import") with these
    keyword arguments in a child process under `limits`."""
    limits = limits or WorkerLimits()
    payload = pickle.dumps((job, dict(arguments), limits))
    with _slots:
        child = _take()
        started = time.perf_counter()
        deadline = started + limits.seconds
        received = bytearray()
        timed_out = False
        try:
            child.stdin.write(payload)
            child.stdin.close()
        except BrokenPipeError:  # it died before reading its job
            pass
        with selectors.DefaultSelector() as selector:
            selector.register(child.stdout, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    child.kill()
                    timed_out = True
                    break
                if not selector.select(remaining):
                    continue
                chunk = os.read(child.stdout.fileno(), 1 << 20)
                if not chunk:
                    break
                received += chunk
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        elapsed = time.perf_counter() - started
    if not received:  # stopped: the kernel's account (an upper bound, see _high_water)
        timed_out = timed_out or child.returncode == -signal.SIGXCPU
        return WorkerRun(None, elapsed, usage.ru_maxrss * 1024, "time" if timed_out else "memory")
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
