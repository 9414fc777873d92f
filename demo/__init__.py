"""Demo data: real offices and real plan tables, with made-up quarterly progress.

    python -m demo [--scale default|national] [--fiscal-year 2024-25] [--quarters 2]
                   [--seed 7] [--database-url URL] [--force]

(`python -m data.demo` is the same command under its older name.)

One builder serves the embedded default database, the tests and the benchmarks. Offices come
from the master data (data/master), plans from the catalog of real plan tables
(demo/catalog.py, turned into rows by demo/rows.py). Progress has realistic variety,
deterministic by seed: most offices on track, some behind on particular indicators, some not
reporting a quarter, text answers ("কার্যক্রম চলমান রয়েছে"), late reports. Everything is
marked as demo (submissions.is_demo, app_meta demo=1). demo/build.py builds it in named steps;
the rows go to the database through data/bulk.py, the other questions through
data/demo_store.py: this package holds no SQL, and data/ never imports it.
"""

from data.demo_store import table_counts
from demo.build import DemoError, build_demo

__all__ = ["DemoError", "build_demo", "table_counts"]
