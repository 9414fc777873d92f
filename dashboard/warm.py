"""The national scope's first views, computed ahead into the cache (dashboard/cache.py).

Cabinet Division users and administrators see everything: at national scale the queries of
their pages' first views take seconds with a cold cache (the overview some 3 s of queries).
The cache starts them in a background thread when the server first opens its database (2 s
later, or as soon as the sign-in form's run is over) and each time the data version changes,
so the first person after a restart or an import finds them ready; with them the district
map's outlines and centre points, which every scope's overview draws and the first overview
after a start computed (some 0.5 s). The calls here are the pages' own calls on a first view
(no filters, no picks), with the same arguments, so they land on the same cache entries;
tests/test_warm.py opens every page as a national user after warming and fails on any query
the warming missed.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard import cache
from data import desk, queries
from data.scope import Scope

NATIONAL = Scope()  # cabinet users and administrators: everything
LAGGING_SHOWN = 500  # dashboard/pages/lagging.py SHOW: the rows its first view reads
NO_FILTERS = dict(
    ministry_id=None, agency_id=None, level=None, plan_type=None, status=None, responsible=None
)


def default_fiscal_year(db_url: str) -> str | None:
    """The fiscal year a page opens on (dashboard/filters.py: the demo's year, else the
    latest); None when there is none yet."""
    years = cache.fiscal_years(db_url)
    if not years:
        return None
    wanted = cache.demo_info(db_url).get("demo_fiscal_year", "2024-25")
    return wanted if wanted in years else years[-1]


def first_views(db_url: str) -> list[tuple[str, Callable[[], object]]]:
    """(page, call) for the national first views, most visited first: the overview (where
    everyone lands after signing in), then the lagging list, the calendar, the drill-down,
    the league table and the office page."""
    fy = default_fiscal_year(db_url)
    if fy is None:
        return []
    coverage = cache.query(queries.quarter_coverage, NATIONAL, fy)
    q = queries.default_quarter(coverage)
    s = NATIONAL

    def office_page() -> None:
        start = cache.query(queries.most_at_risk_office, s, fy, q)
        cache.query(queries.search_offices, s, "")
        if start is None:
            return
        office = cache.query(queries.office, s, int(start))
        if office is None:
            return
        cache.query(queries.office_quarters, s, office["id"], fy)
        cache.query(queries.office_indicators, s, office["id"], fy, q)
        cache.query(queries.area_names, s, office["id"], fy)

    def calendar_page() -> None:
        cache.query(desk.deadlines, s, fy)
        status = cache.query(desk.reporting_status, s, fy, q)
        missing = tuple(status.loc[status["state"] == "missing", "office_id"].astype(int))
        if missing:
            cache.query(desk.focal_points, s, missing)

    return [
        ("overview", lambda: cache.query(desk.headline, s, fy, q)),
        ("overview", lambda: cache.query(desk.reporting_status, s, fy, q)),
        ("overview", lambda: cache.query(desk.at_risk_by_ministry_and_plan, s, fy, q)),
        ("overview", lambda: cache.query(desk.ministry_scores, s, fy, q)),
        ("overview", lambda: cache.query(queries.office_composites, s, fy, q)),
        ("overview", lambda: cache.query(desk.league_scores, s, fy, q, "ministry")),
        ("overview", lambda: cache.query(desk.district_scores, s, fy, q)),
        ("overview", lambda: cache.query(desk.district_names, s)),
        ("overview", _district_map),
        ("lagging", lambda: cache.query(queries.offices, s, level="ministry")),
        (
            "lagging",
            lambda: cache.query(queries.lagging_shown, s, fy, q, limit=LAGGING_SHOWN, **NO_FILTERS),
        ),
        ("calendar", calendar_page),
        ("drilldown", lambda: cache.query(queries.children, s, fy, q, None)),
        ("league", lambda: cache.query(desk.league_scores, s, fy, q, "ministry", under_id=None)),
        ("office", office_page),
    ]


def _district_map() -> None:
    """The map's outlines and centre points (the same for every scope), computed once per
    server: the first overview after a start no longer waits for them."""
    from dashboard.components import district_map  # imported here: it loads the geography

    district_map.prepare()


def warm(db_url: str) -> int:
    """Compute the national first views into the cache; how many calls ran."""
    calls = first_views(db_url)
    for _page, call in calls:
        call()
    return len(calls)
