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

Then the same first views of the scopes people use below the national level (a ministry's,
an agency's, an office's): SCOPES in all with the national one (APA_WARM_SCOPES; 1: the
national one only), those used last first (`data.users.scopes_in_use`: their browser
sessions' last use, then how many users hold them), every scope's overview before any
scope's other pages. Cold, a scoped first overview cost some 0.15-0.2 CPU-s of queries on top
of its 0.25 s of drawing, in the server's one Python process that every person's runs share.
Fifty scopes took some 12 CPU-s on SQLite (PostgreSQL: 6.5 in the server, 15 s of wall time),
each time the data version changes: SCOPES is 20. The test opens every page as the demo's
ministry, agency and office users too.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from dashboard import cache
from data import desk, queries
from data.scope import Scope
from data.users import scopes_in_use

NATIONAL = Scope()  # cabinet users and administrators: everything
# Scopes warmed in all, the national one first (production: thousands of users). Each new data
# version warms them again on every server, in the Python process people's runs share: in a
# reporting week, imports every few seconds would keep fifty scopes' 12 CPU-s busy for ever.
SCOPES = 20
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


def first_views(db_url: str, s: Scope = NATIONAL) -> list[tuple[str, Callable[[], object]]]:
    """(page, call) for the first views of scope `s` (by default the national one), most
    visited first: the overview (where everyone lands after signing in), then the lagging
    list, the calendar, the drill-down, the league table and the office page. The quarter is
    the scope's own default (its coverage), as the pages' filters pick it."""
    fy = default_fiscal_year(db_url)
    if fy is None:
        return []
    coverage = cache.query(queries.quarter_coverage, s, fy)
    q = queries.default_quarter(coverage)

    def office_page() -> None:
        # The user's own office, or (national users) the one with the most score at risk.
        start = s.office_id or cache.query(queries.most_at_risk_office, s, fy, q)
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
        *([("overview", _district_map)] if s.is_everything else []),
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


def scopes_limit() -> int:
    """How many scopes a warm computes, the national one included: APA_WARM_SCOPES (1: the
    national one only), else SCOPES."""
    try:
        return max(1, int(os.environ.get("APA_WARM_SCOPES", SCOPES)))
    except ValueError:
        return SCOPES


def warm(db_url: str, limit: int | None = None) -> int:
    """Compute the first views of the national scope, then of up to `limit` - 1 scopes in
    use below it (their overviews first), into the cache; how many calls ran. `limit`
    defaults to `scopes_limit()`."""
    limit = scopes_limit() if limit is None else limit
    calls = first_views(db_url)
    for _page, call in calls:
        call()
    ran = len(calls)
    if limit <= 1:
        return ran
    scopes = scopes_in_use(cache.engine_for(db_url), limit - 1)
    scoped = [view for s in scopes for view in first_views(db_url, s)]
    # Every scope's overview (where its people land) before any scope's other pages.
    for _page, call in sorted(scoped, key=lambda view: view[0] != "overview"):
        call()
    return ran + len(scoped)
