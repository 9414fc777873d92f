"""What is worked out from a small workbook part, kept by the part's bytes.

The workbook part, its relationships and the styles part are the same in every workbook a
template or a program writes (the generated plans, an office's files of one quarter), and
each is parsed by more than one reader (read.py's guards, bounds.py, formats.py). What a
reader works out from such a part depends on its bytes alone, so it is kept by them: the
same bytes are parsed once. Only results are kept (never the parsed tree, which a caller
could change), only for small parts, a bounded number of them; a part that fails to parse
keeps nothing and fails again where it failed before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

KEPT_BYTES = 64 * 1024  # parts larger than this are worked out every time
KEPT_COUNT = 256  # results kept, all readers (16 MiB at most); all dropped when one more comes

T = TypeVar("T")
_KEPT: dict[tuple[str, tuple[bytes, ...]], object] = {}
_LOCK = threading.Lock()


def worked_out(reader: str, work: Callable[..., T], *parts: bytes) -> T:
    """`work(*parts)`, or what it gave for the same `reader` and parts before. `work` must
    depend on the parts' bytes only and return a value nobody changes (tuples, frozensets,
    frozen dataclasses)."""
    if sum(map(len, parts)) > KEPT_BYTES:
        return work(*parts)
    key = (reader, parts)
    with _LOCK:
        if key in _KEPT:
            return _KEPT[key]  # type: ignore[return-value]
    value = work(*parts)
    with _LOCK:
        if len(_KEPT) >= KEPT_COUNT:
            _KEPT.clear()
        _KEPT[key] = value
    return value
