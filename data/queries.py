"""Every query the pages need: plain functions over an Engine and a Scope, returning DataFrames.

Aggregation happens in SQL over the stored score tables; every query filters offices by the
caller's scope (`scope.office_filter(Office.path)`), so nothing outside it reaches a page or a
download. Date values of date indicators in score tables are day numbers (see data/models.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, distinct, func, select, true
from sqlalchemy.orm import aliased

from core.terms import LAGGING_STATUSES, QUARTERS
from data.models import (
    AppMeta,
    Area,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Office,
    OfficeScore,
    Plan,
    PlanScore,
    Progress,
    ProgressReport,
    RuleSet,
)
from data.scope import Scope


def _df(engine: Engine, query) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(query)
        # fetchall: one driver call for all rows (iterating fetches them one at a time).
        return pd.DataFrame([tuple(r) for r in result.fetchall()], columns=list(result.keys()))


def fiscal_years(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(FiscalYear.label).order_by(FiscalYear.id)).scalars())


def fiscal_year_info(engine: Engine, label: str) -> dict | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(
                FiscalYear.id,
                FiscalYear.start_date,
                RuleSet.report_due_days,
                RuleSet.lagging_threshold,
            )
            .join(RuleSet, RuleSet.id == FiscalYear.rule_set_id)
            .where(FiscalYear.label == label)
        ).first()
    return dict(row._mapping) if row else None


def app_meta(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(
            connection.execute(
                select(AppMeta.key, AppMeta.value).where(AppMeta.key != "session_secret")
            ).all()
        )


def latest_quarter(engine: Engine, fiscal_year: str) -> int | None:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.max(ProgressReport.quarter))
            .join(FiscalYear, FiscalYear.id == ProgressReport.fiscal_year_id)
            .where(FiscalYear.label == fiscal_year)
        )


def offices(
    engine: Engine, scope: Scope, level: str | None = None, parent_id: int | None = None
) -> pd.DataFrame:
    """Offices in scope (id, code, names, level, parent) for pickers."""
    query = select(
        Office.id,
        Office.code,
        Office.name_bn,
        Office.name_en,
        Office.level,
        Office.parent_id,
        Office.path,
    ).where(scope.office_filter(Office.path))
    if level:
        query = query.where(Office.level == level)
    if parent_id is not None:
        query = query.where(Office.parent_id == parent_id)
    return _df(engine, query.order_by(Office.id))


def office(engine: Engine, scope: Scope, office_id: int) -> dict | None:
    """One office in scope, with its parent's and ministry's names; None outside the scope."""
    parent = aliased(Office)
    ministry = aliased(Office)
    query = (
        select(
            Office.id,
            Office.code,
            Office.name_bn,
            Office.name_en,
            Office.level,
            Office.path,
            Office.parent_id,
            Office.ministry_id,
            parent.name_bn.label("parent_bn"),
            parent.name_en.label("parent_en"),
            ministry.name_bn.label("ministry_bn"),
            ministry.name_en.label("ministry_en"),
        )
        .outerjoin(parent, parent.id == Office.parent_id)
        .outerjoin(ministry, ministry.id == Office.ministry_id)
        .where(Office.id == office_id, scope.office_filter(Office.path))
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(row._mapping) if row else None


def breadcrumb(engine: Engine, scope: Scope, office_id: int) -> pd.DataFrame:
    """The office and its ancestors, top first, as far as the scope reaches."""
    found = office(engine, scope, office_id)
    if found is None:
        return pd.DataFrame(columns=["id", "name_bn", "name_en", "level"])
    ids = [int(p) for p in found["path"].strip("/").split("/")]
    frame = _df(
        engine,
        select(Office.id, Office.name_bn, Office.name_en, Office.level, Office.path).where(
            Office.id.in_(ids), scope.office_filter(Office.path)
        ),
    )
    frame["order"] = frame["id"].map({i: n for n, i in enumerate(ids)})
    return frame.sort_values("order").drop(columns="order")


def _fy_filter(column, fiscal_year: str):
    return column == select(FiscalYear.id).where(FiscalYear.label == fiscal_year).scalar_subquery()


def offices_in_scope(scope: Scope, office_id):
    """A WHERE clause on a score table's office_id: its office is in the scope (true for
    everything). Beside the join's path filter it lets the database start from the scope's
    offices and read their rows by the office index: joined alone, SQLite read every lagging
    row of the country first (0.2 s for a ministry of 6 offices)."""
    if scope.is_everything:
        return true()
    return office_id.in_(select(Office.id).where(scope.office_filter(Office.path)))


def counts(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int | None = None
) -> dict[str, int]:
    """Offices in scope, offices with plans, current plans, and reports for the quarter."""
    in_scope = scope.office_filter(Office.path)
    current = and_(Plan.is_current.is_(True), _fy_filter(Plan.fiscal_year_id, fiscal_year))
    with engine.connect() as connection:
        result = {
            "offices": connection.scalar(select(func.count()).select_from(Office).where(in_scope)),
            "plans": connection.scalar(
                select(func.count(Plan.id))
                .join(Office, Office.id == Plan.office_id)
                .where(in_scope, current)
            ),
            "offices_with_plans": connection.scalar(
                select(func.count(distinct(Plan.office_id)))
                .join(Office, Office.id == Plan.office_id)
                .where(in_scope, current)
            ),
        }
        reports = (
            select(func.count(ProgressReport.id), func.count(distinct(ProgressReport.office_id)))
            .join(Office, Office.id == ProgressReport.office_id)
            .where(
                in_scope,
                ProgressReport.is_current.is_(True),
                _fy_filter(ProgressReport.fiscal_year_id, fiscal_year),
            )
        )
        if quarter:
            reports = reports.where(ProgressReport.quarter == quarter)
        result["reports"], result["offices_reporting"] = connection.execute(reports).one()
    return result


def _variance(column):
    """Population variance in SQL; the square root is taken in pandas (`_with_std`), because
    SQLite may lack sqrt and the two databases spell a scalar maximum differently."""
    mean = func.avg(column)
    return func.avg(column * column) - mean * mean


def _with_std(frame: pd.DataFrame) -> pd.DataFrame:
    if "var" in frame:
        frame["std"] = np.sqrt(pd.to_numeric(frame.pop("var")).clip(lower=0))
    return frame


def office_composites(engine: Engine, scope: Scope, fiscal_year: str, quarter: int) -> pd.DataFrame:
    """Each office's composite (to date and projected) for the distribution chart."""
    return _df(
        engine,
        select(
            OfficeScore.office_id,
            Office.level,
            OfficeScore.composite,
            OfficeScore.projected_composite,
        )
        .join(Office, Office.id == OfficeScore.office_id)
        .where(
            scope.office_filter(Office.path),
            _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
            OfficeScore.quarter == quarter,
        ),
    )


def children(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int, parent_id: int | None
) -> pd.DataFrame:
    """The next level of the tree under `parent_id` (ministries at the top), each with the mean,
    count and spread of the projected composites of its whole subtree and its reporting rate.

    The subtrees are summed in one pass over the offices under the parent, each office counted
    for the child whose path begins its own: joining every child to its subtree by
    `path LIKE child.path || '%'` made the database compare every child with every office
    (3 s for the ministries of the national demo)."""
    child = aliased(Office)
    query = select(child.id, child.name_bn, child.name_en, child.level, child.path).where(
        scope.office_filter(child.path)
    )
    if parent_id is None:
        # The top of what the scope sees: ministries, or the scope office itself.
        query = (
            query.where(child.parent_id.is_(None))
            if scope.is_everything
            else query.where(child.id == scope.office_id)
        )
    else:
        query = query.where(child.parent_id == parent_id)
    with engine.connect() as connection:
        nodes = connection.execute(query.order_by(child.id)).all()
        if not nodes:
            rows = []
        else:
            # Siblings share their parent's path: everything below it, in one pass.
            top = nodes[0].path[: nodes[0].path.rstrip("/").rfind("/") + 1]
            below = connection.execute(
                select(
                    Office.path,
                    OfficeScore.office_id,
                    OfficeScore.projected_composite,
                    OfficeScore.lagging_count,
                )
                .outerjoin(
                    OfficeScore,
                    and_(
                        OfficeScore.office_id == Office.id,
                        _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
                        OfficeScore.quarter == quarter,
                    ),
                )
                .where(Office.path.like(top + "%"))
            ).all()
            rows = _subtree_rows(nodes, top, below)
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "name_bn",
            "name_en",
            "level",
            "mean",
            "var",
            "min",
            "max",
            "offices",
            "lagging",
            "descendants",
        ],
    )
    return _with_std(frame)


def _subtree_rows(nodes, top: str, below) -> list[tuple]:
    """One row per node: its subtree's mean, variance, min and max projected composite, the
    offices with one, their lagging indicators, and every office of the subtree."""
    start = len(top)
    by_key = {node.path[start:].split("/", 1)[0]: node for node in nodes}
    values: dict[int, list[float]] = {node.id: [] for node in nodes}
    lagging: dict[int, float | None] = dict.fromkeys(values)
    descendants = dict.fromkeys(values, 0)
    scored: set[int] = set()  # nodes with an office score in their subtree
    for path, score_of, value, late in below:
        node = by_key.get(path[start:].split("/", 1)[0])
        if node is None or not path.startswith(node.path):
            continue
        descendants[node.id] += 1
        if score_of is not None:
            scored.add(node.id)
            if late is not None:
                lagging[node.id] = (lagging[node.id] or 0) + late
        if value is not None:
            values[node.id].append(value)
    rows = []
    for node in nodes:
        found = values[node.id]
        if found:
            mean = sum(found) / len(found)
            var = sum(v * v for v in found) / len(found) - mean * mean
            stats = (mean, var, min(found), max(found), len(found), lagging[node.id])
        elif node.id in scored:
            stats = (None, None, None, None, 0, lagging[node.id])
        else:
            stats = (None,) * 6
        rows.append((node.id, node.name_bn, node.name_en, node.level, *stats, descendants[node.id]))
    return rows


def office_quarters(
    engine: Engine, scope: Scope, office_id: int, fiscal_year: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(composite per quarter, plan scores per quarter) of one office in scope."""
    in_scope = and_(Office.id == office_id, scope.office_filter(Office.path))
    composite = _df(
        engine,
        select(
            OfficeScore.quarter,
            OfficeScore.composite,
            OfficeScore.projected_composite,
            OfficeScore.lagging_count,
            OfficeScore.score_at_risk,
        )
        .join(Office, Office.id == OfficeScore.office_id)
        .where(in_scope, _fy_filter(OfficeScore.fiscal_year_id, fiscal_year))
        .order_by(OfficeScore.quarter),
    )
    plans = _df(
        engine,
        select(
            PlanScore.quarter,
            PlanScore.plan_type,
            PlanScore.score,
            PlanScore.total_weight,
            PlanScore.percent,
            PlanScore.projected_percent,
            PlanScore.lagging_count,
        )
        .join(Office, Office.id == PlanScore.office_id)
        .where(in_scope, _fy_filter(PlanScore.fiscal_year_id, fiscal_year))
        .order_by(PlanScore.quarter, PlanScore.plan_type),
    )
    return composite, plans


def office_indicators(
    engine: Engine, scope: Scope, office_id: int, fiscal_year: str, quarter: int
) -> pd.DataFrame:
    """Each indicator of the office's current plans: ladder, achievements per quarter, scores."""
    base = _df(
        engine,
        select(
            Indicator.id.label("indicator_id"),
            Plan.plan_type,
            Indicator.area_id,
            Indicator.code,
            Indicator.name,
            Indicator.unit_label,
            Indicator.unit_kind,
            Indicator.weight,
            Indicator.target_100,
            Indicator.target_90,
            Indicator.target_80,
            Indicator.target_70,
            Indicator.target_60,
            Indicator.target_100_date,
            Indicator.target_90_date,
            Indicator.target_80_date,
            Indicator.target_70_date,
            Indicator.target_60_date,
            Indicator.responsible,
            IndicatorScore.achieved,
            IndicatorScore.expected,
            IndicatorScore.projected,
            IndicatorScore.raw_score,
            IndicatorScore.weighted_score,
            IndicatorScore.projected_score,
            IndicatorScore.status,
            IndicatorScore.score_at_risk,
            IndicatorScore.rule,
            Indicator.governance_plan_type,
        )
        .join(Plan, Plan.id == Indicator.plan_id)
        .join(Office, Office.id == Plan.office_id)
        .outerjoin(
            IndicatorScore,
            and_(IndicatorScore.indicator_id == Indicator.id, IndicatorScore.quarter == quarter),
        )
        .where(
            Office.id == office_id,
            scope.office_filter(Office.path),
            Plan.is_current.is_(True),
            _fy_filter(Plan.fiscal_year_id, fiscal_year),
        )
        .order_by(Plan.plan_type, Indicator.sort_order),
    )
    if base.empty:
        return base
    progress = _df(
        engine,
        select(
            Progress.indicator_id,
            ProgressReport.quarter,
            Progress.value_num,
            Progress.value_date,
            Progress.value_raw,
        )
        .join(ProgressReport, ProgressReport.id == Progress.report_id)
        .where(
            ProgressReport.is_current.is_(True),
            Progress.indicator_id.in_(base["indicator_id"].tolist()),
        ),
    )
    for q in QUARTERS:
        part = (
            progress[progress.quarter == q].set_index("indicator_id")["value_raw"]
            if not progress.empty
            else pd.Series(dtype=object)
        )
        base[f"q{q}"] = base["indicator_id"].map(part)
    return base


def _lagging_query(
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    ministry_id: int | None = None,
    agency_id: int | None = None,
    level: str | None = None,
    plan_type: str | None = None,
    status: str | None = None,
    responsible: str | None = None,
    code: str | None = None,
    name: str | None = None,
    columns: tuple | None = None,
):
    """The lagging page's rows, worst first (see `lagging`), with the page's filters: `code`
    and `name` narrow it to one indicator (a row picked in the view by indicator); `columns`
    instead of the page's."""
    from data.desk import COMPOSITE_AT_RISK, with_marks

    ministry = aliased(Office)
    query = with_marks(
        select(*columns).select_from(IndicatorScore)
        if columns
        else select(
            Office.id.label("office_id"),
            Office.name_bn.label("office_bn"),
            Office.name_en.label("office_en"),
            Office.level,
            ministry.name_bn.label("ministry_bn"),
            ministry.name_en.label("ministry_en"),
            IndicatorScore.plan_type,
            Indicator.code,
            Indicator.name,
            Indicator.unit_kind,
            Indicator.target_100,
            Indicator.target_100_date,
            IndicatorScore.expected,
            IndicatorScore.achieved,
            IndicatorScore.projected_score,
            IndicatorScore.status,
            IndicatorScore.score_at_risk,
            COMPOSITE_AT_RISK.label("composite_at_risk"),
            Indicator.responsible,
            IndicatorScore.rule,
        ).select_from(IndicatorScore)
    )
    query = (
        query.join(Indicator, Indicator.id == IndicatorScore.indicator_id)
        .join(Office, Office.id == IndicatorScore.office_id)
        .join(ministry, ministry.id == Office.ministry_id)
        .where(
            scope.office_filter(Office.path),
            offices_in_scope(scope, IndicatorScore.office_id),
            _fy_filter(IndicatorScore.fiscal_year_id, fiscal_year),
            IndicatorScore.quarter == quarter,
            IndicatorScore.status.in_([status] if status else LAGGING_STATUSES),
        )
        .order_by(
            COMPOSITE_AT_RISK.desc().nulls_last(),
            Office.id,
            Indicator.code,
            IndicatorScore.indicator_id,  # an office may repeat a code in two plans
        )
    )
    if ministry_id:
        query = query.where(Office.ministry_id == ministry_id)
    if agency_id:
        query = query.where(Office.agency_id == agency_id)
    if level:
        query = query.where(Office.level == level)
    if plan_type:
        query = query.where(IndicatorScore.plan_type == plan_type)
    if responsible:
        query = query.where(Indicator.responsible.like(f"%{responsible}%"))
    if code:
        query = query.where(Indicator.code == code)
    if name:
        query = query.where(Indicator.name == name)
    return query


def lagging(
    engine: Engine,
    scope: Scope,
    fiscal_year: str,
    quarter: int,
    limit: int | None = 500,
    **filters,
) -> pd.DataFrame:
    """Lagging indicators across offices, worst first by score at risk in composite marks
    (`composite_at_risk`, data/desk.py), beside it in the plan's own units; the first `limit`
    (the page shows 500 of some 120,000 national rows: only its download needs them all)."""
    query = _lagging_query(scope, fiscal_year, quarter, **filters)
    if limit:
        query = query.limit(limit)
    return _df(engine, query)


def lagging_shown(
    engine: Engine, scope: Scope, fiscal_year: str, quarter: int, limit: int = 500, **filters
) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows of `lagging` and how many it has in all. The whole list (some
    120,000 national rows) is ranked by its keys alone, counted by a window before the limit;
    only the rows shown are then read in full."""
    ranked = _lagging_query(
        scope,
        fiscal_year,
        quarter,
        columns=(IndicatorScore.indicator_id, func.count().over().label("total")),
        **filters,
    ).limit(limit)
    with engine.connect() as connection:
        first = connection.execute(ranked).all()
    if not first:
        return _df(engine, _lagging_query(scope, fiscal_year, quarter, **filters).limit(0)), 0
    shown = _lagging_query(scope, fiscal_year, quarter, **filters).where(
        IndicatorScore.indicator_id.in_([row.indicator_id for row in first])
    )
    return _df(engine, shown), int(first[0].total)


def search_offices(engine: Engine, scope: Scope, text: str, limit: int = 50) -> pd.DataFrame:
    """Offices in scope whose Bengali or English name contains `text`."""
    import unicodedata

    text = unicodedata.normalize("NFC", text.strip())
    query = select(Office.id, Office.name_bn, Office.name_en, Office.level).where(
        scope.office_filter(Office.path)
    )
    if text:
        query = query.where(Office.name_en.ilike(f"%{text}%") | Office.name_bn.like(f"%{text}%"))
    return _df(engine, query.order_by(Office.id).limit(limit))


def quarter_coverage(engine: Engine, scope: Scope, fiscal_year: str) -> pd.DataFrame:
    """Per quarter 1-4: how many offices in scope with a current plan for the year sent their
    report (`reported`) out of how many (`expected`): the quarter a page opens on is the latest
    one with real coverage, not the latest any one office filed."""
    in_scope = scope.office_filter(Office.path)
    planned = (
        select(Plan.office_id)
        .join(Office, Office.id == Plan.office_id)
        .where(in_scope, Plan.is_current.is_(True), _fy_filter(Plan.fiscal_year_id, fiscal_year))
        .distinct()
    )
    with engine.connect() as connection:
        expected = connection.scalar(select(func.count()).select_from(planned.subquery())) or 0
        rows = dict(
            connection.execute(
                select(ProgressReport.quarter, func.count(distinct(ProgressReport.office_id)))
                .join(Office, Office.id == ProgressReport.office_id)
                .where(
                    in_scope,
                    ProgressReport.is_current.is_(True),
                    _fy_filter(ProgressReport.fiscal_year_id, fiscal_year),
                    ProgressReport.office_id.in_(planned),
                )
                .group_by(ProgressReport.quarter)
            ).all()
        )
    return pd.DataFrame(
        {
            "quarter": [1, 2, 3, 4],
            "reported": [int(rows.get(q, 0)) for q in (1, 2, 3, 4)],
            "expected": [int(expected)] * 4,
        }
    )


def default_quarter(coverage: pd.DataFrame, share: float = 0.5) -> int:
    """The latest quarter that at least `share` of the expected offices reported; else the
    latest with any report; else Q1."""
    reported = coverage[coverage["reported"] > 0]
    if reported.empty:
        return 1
    full = reported[reported["reported"] >= share * reported["expected"].clip(lower=1)]
    return int((full if not full.empty else reported)["quarter"].max())


def most_at_risk_office(engine: Engine, scope: Scope, fiscal_year: str, quarter: int) -> int | None:
    """The office in scope with the most score at risk in the quarter (where a national
    user's office page opens), or None when nothing is at risk. Read from the office's stored
    sum (`office_scores.score_at_risk`, the sum of its indicators' scores at risk), not summed
    again over a million indicator scores."""
    with engine.connect() as connection:
        return connection.scalar(
            select(OfficeScore.office_id)
            .join(Office, Office.id == OfficeScore.office_id)
            .where(
                scope.office_filter(Office.path),
                _fy_filter(OfficeScore.fiscal_year_id, fiscal_year),
                OfficeScore.quarter == quarter,
                OfficeScore.score_at_risk > 0,
            )
            .order_by(OfficeScore.score_at_risk.desc(), OfficeScore.office_id)
            .limit(1)
        )


def area_names(engine: Engine, scope: Scope, office_id: int, fiscal_year: str) -> dict[int, str]:
    """The names of the areas (কর্মসম্পাদন ক্ষেত্র) of an office's current plans, by id, with
    their code when they have one ("[১] ..." as written)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Area.id, Area.code, Area.name)
            .join(Plan, Plan.id == Area.plan_id)
            .join(Office, Office.id == Plan.office_id)
            .where(
                Office.id == office_id,
                scope.office_filter(Office.path),
                Plan.is_current.is_(True),
                _fy_filter(Plan.fiscal_year_id, fiscal_year),
            )
        ).all()
    return {row.id: f"{row.code} {row.name}" if row.code else row.name for row in rows}
