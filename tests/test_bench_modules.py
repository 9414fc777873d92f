"""Every benchmark module in bench/ imports: a rename elsewhere must not break `python -m bench`
unnoticed (the benchmarks themselves are too slow for the suite and assert no times)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import bench

NAMES = sorted(
    m.name
    for m in pkgutil.iter_modules([str(Path(bench.__file__).parent)])
    if m.name.startswith("bench_")
)


@pytest.mark.parametrize("name", NAMES)
def test_the_benchmark_imports_and_has_a_main(name):
    module = importlib.import_module(f"bench.{name}")
    assert callable(module.main)
