"""Storing checked plan drafts: one workbook, one transaction, all or nothing.

- The uploader's scope is checked first: nothing else is said about an office outside it. A
  call without a scope is refused (fail closed); a national import passes `EVERYTHING`.
- The same bytes again for the same offices (`duplicate_key`) change nothing; for other
  offices they are a submission of their own.
- A plan whose content (codes, names, units, weights, targets) equals the office's current
  plan of that type and year is kept; a different one becomes the next revision and the older
  stays as history (`is_current` False, `superseded_by_id`), its progress carried over for the
  quarters the new submission does not report.
- A newer report for the same plan and quarter supersedes the older, which stays. A report whose
  figures are achievements to date (the annual evaluation's whole-year column) is marked so.
- An indicator that needs correction is stored with its defect; an achievement that could not
  be read is stored as written with the status "unreadable" (scoring.md section 5).
- A newer report for the same plan and quarter supersedes the older, which stays; a plan
  superseded takes its current reports with it (carried to the new revision, or superseded
  by the new revision's report of the same quarter).
- The affected plans' stored scores are recomputed in the same transaction.

Imports that run at once serialise per office: the transaction takes a lock on every office
it writes (data.db.lock: advisory locks on PostgreSQL, the write lock on SQLite) before it
looks for duplicates and current plans, and the schema allows one current plan per office,
fiscal year and plan type and one current report per plan and quarter (migration 0004). A
transaction that still meets a conflict is retried.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Connection, Engine, bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from core.drafts import IndicatorDraft, PlanDraft
from core.issues import Refusal
from core.terms import QUARTERS, TARGET_LEVELS
from data import audit
from data.db import IMPORT_LOCK, bump_data_version, driver_rows, driver_sql, insert_rows, lock
from data.models import (
    Activity,
    Area,
    FiscalYear,
    Indicator,
    Office,
    Plan,
    Progress,
    ProgressReport,
    Submission,
    utcnow,
)
from data.scope import Scope
from data.scores import rebuild_scores


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    status: str  # added, unchanged (the same sha256 was imported before)
    submission_id: int | None = None
    plans_added: int = 0
    plans_superseded: int = 0
    plans_unchanged: int = 0
    reports_added: int = 0
    reports_superseded: int = 0
    indicators: int = 0
    progress: int = 0
    messages: list[str] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)


class ImportRefused(Refusal):
    """Nothing of the workbook was stored: a registered issue code (core/issues.py) with its
    parameters; `message_en` and `message_bn` say why."""


RETRIES = 3

# The import's statements, made once: SQLAlchemy builds a statement and its cache key on every
# call that makes one (each `.values(...)` and `==` coerces its values and types), which cost
# more than running it; made once, each call only binds its parameters.
# The three lookups every import makes as plain SQL: a text statement costs SQLAlchemy little
# to compile, where a select costs ~0.5 ms for every new engine (the upload page's worker
# makes one a file; the bench one a database).
_SUBMISSION_OF = text("SELECT id FROM submissions WHERE duplicate_key = :key")
# A few rows, read through the driver (data.db.driver_rows: compiled once per dialect, not
# once per engine).
_YEARS = select(FiscalYear.id, FiscalYear.label)
_CURRENT_PLAN = text(
    "SELECT id, revision FROM plans WHERE office_id = :office_id"
    " AND fiscal_year_id = :fiscal_year_id AND plan_type = :plan_type AND is_current = :current"
)
_CONTENT_COLUMNS = (
    ["id", "code", "name", "unit_kind", "weight"]
    + [f"target_{lv}{s}" for lv in TARGET_LEVELS for s in ("", "_date")]
    + [f"q{q}_target" for q in QUARTERS]
)
_PLAN_CONTENT = (
    select(*(getattr(Indicator, c) for c in _CONTENT_COLUMNS))
    .where(Indicator.plan_id == bindparam("plan_id"))
    .order_by(Indicator.sort_order)
)
_NOT_CURRENT = update(Plan).where(Plan.id == bindparam("plan")).values(is_current=False)
_SUPERSEDED_BY = (
    update(Plan).where(Plan.id == bindparam("plan")).values(superseded_by_id=bindparam("by"))
)
_OLDER_REPORTS = select(ProgressReport.quarter, ProgressReport.id).where(
    ProgressReport.plan_id == bindparam("plan_id"),
    ProgressReport.quarter.in_(bindparam("quarters", expanding=True)),
    ProgressReport.is_current.is_(True),
)
_REPORTS_NOT_CURRENT = (
    update(ProgressReport)
    .where(ProgressReport.id.in_(bindparam("ids", expanding=True)))
    .values(is_current=False)
)
_REPORT_SUPERSEDED_BY = (
    update(ProgressReport)
    .where(ProgressReport.id == bindparam("old"))
    .values(superseded_by_id=bindparam("new"))
)
# A new revision's carried reports (_carry_progress, _retire_superseded_reports).
_PLAN_CODES = (
    select(Indicator.id, Indicator.code)
    .where(Indicator.plan_id == bindparam("plan_id"))
    .order_by(Indicator.sort_order)
)
_CURRENT_REPORTS = select(ProgressReport).where(
    ProgressReport.plan_id == bindparam("plan_id"), ProgressReport.is_current.is_(True)
)
_CURRENT_QUARTERS = select(ProgressReport.id, ProgressReport.quarter).where(
    ProgressReport.plan_id == bindparam("plan_id"), ProgressReport.is_current.is_(True)
)
_REPORT_ROWS = select(Progress).where(Progress.report_id == bindparam("report_id"))
_REPORT_RETIRED = (
    update(ProgressReport)
    .where(ProgressReport.id == bindparam("old"))
    .values(is_current=False, superseded_by_id=bindparam("new"))
)
_SUPERSEDED_PLAN = select(Plan.id).where(Plan.superseded_by_id == bindparam("plan_id"))
_INSERTS = {
    table: insert(table)
    for table in (Submission, Plan, Area, Activity, Indicator, ProgressReport, Progress)
}
_INSERTED_IDS = {
    table: insert(table).returning(table.id, sort_by_parameter_order=True)
    for table in (Submission, Plan, Area, Activity, Indicator, ProgressReport)
}


def duplicate_key(sha256: str, office_ids) -> str:
    """What makes two submissions the same: the file's bytes and the offices it is for."""
    ids = ",".join(str(i) for i in sorted({i for i in office_ids if i is not None}))
    return hashlib.sha256(f"{sha256}:{ids}".encode()).hexdigest()


def import_workbook(engine: Engine, **arguments) -> ImportResult:
    """`import_plans` in a transaction of its own: on any error nothing is written. A
    transaction that meets another's write (a unique index, a lock timeout) is retried: the
    second look finds what the other stored ("unchanged" for the same bytes)."""
    for attempt in range(1, RETRIES + 1):
        try:
            with engine.begin() as connection:
                return import_plans(connection, **arguments)
        except (IntegrityError, OperationalError):
            if attempt == RETRIES:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def import_plans(
    connection: Connection,
    *,
    file_name: str,
    sha256: str,
    plans: list[PlanDraft],
    report: dict | None,
    uploaded_by: str,
    source: str = "cli",
    scope: Scope | None = None,
    is_demo: bool = False,
    audit_details: dict | None = None,
) -> ImportResult:
    if scope is None:  # fail closed: no scope given is no permission, not every office
        raise ImportRefused("scope-missing", file=file_name)
    result = ImportResult(file_name=file_name, sha256=sha256, status="added")
    years, offices = _validate(
        connection, plans, scope, file_name
    )  # scope first: refused is refused
    office_ids = {p.office_id for p in plans}
    lock(connection, IMPORT_LOCK, office_ids)  # imports for these offices wait for this one
    key = duplicate_key(sha256, office_ids)
    known = connection.scalar(_SUBMISSION_OF, {"key": key})
    if known is not None:
        result.status, result.submission_id = "unchanged", known
        result.messages.append(f"already imported as submission {known}: nothing changed")
        return result
    events: list[tuple] = []  # audit events, recorded last (the audit chain's lock is brief)
    (submission_id,) = _returning(
        connection,
        Submission,
        [
            {
                "file_name": file_name,
                "sha256": sha256,
                "duplicate_key": key,
                "uploaded_by": uploaded_by,
                "uploaded_at": utcnow(),
                "source": source,
                "office_id": next(iter(office_ids)) if len(office_ids) == 1 else None,
                "plan_count": len(plans),
                "indicator_count": sum(len(p.indicators) for p in plans),
                "progress_count": sum(len(i.achievements) for p in plans for i in p.indicators),
                "warning_count": sum(
                    1 for i in (report or {}).get("issues", []) if i.get("severity") == "warning"
                ),
                "report": report,
                "is_demo": is_demo,
            }
        ],
    )
    result.submission_id = submission_id
    affected: list[int] = []
    # The plans and their contents in a few statements for all of them (each statement costs
    # more than its rows here), unless the workbook gives a plan twice: then each must see the
    # one before it, so they are stored one at a time.
    keys = [(d.office_id, years[d.fiscal_year], d.plan_type) for d in plans]
    together = len(set(keys)) == len(keys)
    # The rows of the plans added here, for their rescoring (rebuild_scores' `written`): what
    # was just written need not be read back. Only when each plan is stored once (a plan
    # given twice is superseded within the import).
    written: dict[int, tuple] | None = {} if together else None
    stored = (
        _store_plans(connection, plans, years, submission_id, result, written) if together else []
    )
    for n, draft in enumerate(plans):
        if not together:
            stored += _store_plans(connection, [draft], years, submission_id, result)
        plan_id, action, indicator_ids, replaced = stored[n]
        if action == "superseded":
            _supersede(connection, replaced, plan_id, draft, indicator_ids, result)
        affected.append(plan_id)
        report_actions = _store_progress(
            connection,
            draft,
            plan_id,
            years[draft.fiscal_year],
            indicator_ids,
            submission_id,
            result,
            stored_plan=action == "unchanged",
            written=written if action == "added" else None,
        )
        if action == "superseded":
            _retire_superseded_reports(connection, plan_id)
        result.details.append(
            {
                "sheet": draft.sheet,
                "plan_type": draft.plan_type,
                "fiscal_year": draft.fiscal_year,
                "office_id": draft.office_id,
                "office": offices[draft.office_id].name_bn,
                "quarter": draft.quarter,
                "action": action,
                "plan_id": plan_id,
                "reports": report_actions,
                # One word for the report of the draft's quarter (or of any quarter it holds).
                "report_action": report_actions.get(draft.quarter)
                or next(iter(report_actions.values()), None),
            }
        )
        if action != "unchanged":
            events.append(
                (
                    "supersede" if action == "superseded" else "import",
                    "plan",
                    plan_id,
                    draft.office_id,
                    {"file": file_name, "sheet": draft.sheet, "plan_type": draft.plan_type},
                )
            )
    rebuild_scores(connection, plan_ids=affected, written=_rescorable(written))
    bump_data_version(connection)  # every app server's caches see the import (dashboard/cache.py)
    audit.record_many(
        connection,
        uploaded_by,
        [
            *events,
            (
                "import",
                "submission",
                submission_id,
                plans[0].office_id if len({p.office_id for p in plans}) == 1 else None,
                {
                    "file": file_name,
                    "sha256": sha256,
                    "plans_added": result.plans_added,
                    "plans_superseded": result.plans_superseded,
                    "reports_added": result.reports_added,
                    "reports_superseded": result.reports_superseded,
                    **(audit_details or {}),
                },
            ),
        ],
    )
    return result


class _OfficeRow(NamedTuple):
    id: int
    path: str
    name_bn: str
    name_en: str


def _validate(connection: Connection, plans: list[PlanDraft], scope: Scope, file_name: str):
    """Every plan's fiscal year and office exist and lie within the uploader's scope."""
    labels = {p.fiscal_year for p in plans}
    (rows,) = driver_rows(connection, _YEARS)
    years = {label: year_id for year_id, label in rows if label in labels}
    ids = sorted({int(p.office_id) for p in plans if p.office_id is not None})
    offices = {}
    if ids:  # usually one (a workbook is one office's): plain SQL through the driver
        rows = driver_sql(
            connection,
            "SELECT id, path, name_bn, name_en FROM offices"
            f" WHERE id IN ({', '.join(map(str, ids))})",
        )
        offices = {row[0]: _OfficeRow(*row) for row in rows}
    for plan in plans:
        where = {"file": file_name, "sheet": plan.sheet}
        if plan.fiscal_year not in years:
            raise ImportRefused("fiscal-year-unknown", **where, value=plan.fiscal_year)
        office = offices.get(plan.office_id)
        if office is None:
            raise ImportRefused("office-not-matched", **where, value=plan.office_text or "")
        if not scope.contains(office.path):
            raise ImportRefused(
                "office-out-of-scope",
                **where,
                value=f"{office.name_bn} / {office.name_en}",
                expected=_scope_name(connection, scope),
            )
    return years, offices


def _scope_name(connection: Connection, scope: Scope) -> str:
    """The scope's office in both languages (its path when it names no office)."""
    row = connection.execute(
        select(Office.name_bn, Office.name_en).where(Office.id == scope.office_id)
    ).first()
    return f"{row.name_bn} / {row.name_en}" if row is not None else (scope.path or "")


# ---------------------------------------------------------------- plans


def _target_columns(ind: IndicatorDraft) -> dict:
    values = {}
    for level in TARGET_LEVELS:
        value = ind.targets.get(level)
        is_date = isinstance(value, dt.date)
        values[f"target_{level}"] = None if is_date or value is None else float(value)
        values[f"target_{level}_date"] = value if is_date else None
    for q in QUARTERS:
        value = ind.quarter_targets.get(q)
        values[f"q{q}_target"] = float(value) if isinstance(value, (int, float)) else None
    return values


def _signature(rows) -> list[tuple]:
    """What makes two versions of a plan the same plan (order matters)."""
    out = []
    for r in rows:
        values = [r["code"], " ".join((r["name"] or "").split()), r["unit_kind"], r["weight"]]
        values += [r[f"target_{lv}{s}"] for s in ("", "_date") for lv in TARGET_LEVELS]
        values += [r[f"q{q}_target"] for q in QUARTERS]
        out.append(tuple(values))
    return out


def _draft_rows(draft: PlanDraft) -> list[dict]:
    return [
        {
            "code": ind.code,
            "name": ind.name,
            "unit_kind": ind.unit_kind,
            "weight": ind.weight,
            **_target_columns(ind),
        }
        for ind in draft.indicators
    ]


def _has_plan_content(draft: PlanDraft) -> bool:
    """A draft without any weight is a progress report (e.g. an agency matrix), not a new
    version of the plan: it attaches to the plan already stored."""
    return any(ind.weight is not None for ind in draft.indicators)


def _rescorable(written: dict | None) -> dict | None:
    """The plans of `written` whose rows score as read back: an indicator with two figures of
    one quarter (whose order the database does not promise) is read back instead."""
    if not written:
        return None
    kept = {}
    for plan_id, (plan, indicators, progress) in written.items():
        seen = {(row["indicator_id"], quarter) for row, quarter, _to_date in progress}
        if len(seen) == len(progress):
            kept[plan_id] = (plan, indicators, progress)
    return kept


def _store_plans(connection, drafts, years, submission_id, result, written=None) -> list[tuple]:
    """Store drafts of different plans (office, fiscal year, type): a draft that leaves its
    office's current plan as it is changes nothing ("unchanged"); the others' new plans and
    their contents are inserted together, in draft order (so every row gets the id it would
    get one plan at a time), as "added" or "superseded". (plan id, action, indicator ids in
    draft order, the plan it replaces) per draft; the caller supersedes (`_supersede`) each
    replaced plan in draft order. `written`: filled with the rows of the plans added
    ({plan id: (plan row, indicator rows, progress rows to come)}, ids included)."""
    found = [_current_plan(connection, draft, years[draft.fiscal_year], result) for draft in drafts]
    new = [
        (draft, years[draft.fiscal_year], current)
        for draft, (current, unchanged) in zip(drafts, found, strict=True)
        if unchanged is None
    ]
    added = iter(_add_plans(connection, new, submission_id, result, written))
    out = []
    for current, unchanged in found:
        if unchanged is not None:
            out.append((current.id, "unchanged", unchanged, None))
            continue
        plan_id, indicator_ids = next(added)
        action = "added" if current is None else "superseded"
        out.append((plan_id, action, indicator_ids, current))
    return out


def _current_plan(connection, draft, fiscal_year_id, result):
    """(the office's current plan of the draft's type and year or None, the indicator ids
    when the draft leaves that plan as it is, else None)."""
    current = connection.execute(
        _CURRENT_PLAN,
        {
            "office_id": draft.office_id,
            "fiscal_year_id": fiscal_year_id,
            "plan_type": draft.plan_type,
            "current": True,
        },
    ).first()
    if current is not None:
        stored = [
            dict(row._mapping) for row in connection.execute(_PLAN_CONTENT, {"plan_id": current.id})
        ]
        same = _signature(stored) == _signature(_draft_rows(draft))
        if same or not _has_plan_content(draft):
            result.plans_unchanged += 1
            return current, [r["id"] for r in stored] if same else _ids_by_code(stored, draft)
    return current, None


def _add_plans(
    connection, entries, submission_id, result, written=None
) -> list[tuple[int, list[int]]]:
    """New plans for `entries` (draft, fiscal year id, the current plan it replaces or None),
    with their areas, activities and indicators: (plan id, indicator ids) per entry. A
    replaced plan is not current any more before the new revision is (one current).
    `written`: the rows of the plans that replace none, by plan id (_store_plans)."""
    for _draft, _year, current in entries:
        if current is not None:
            connection.execute(_NOT_CURRENT, {"plan": current.id})
    plan_rows = [
        {
            "office_id": draft.office_id,
            "fiscal_year_id": fiscal_year_id,
            "plan_type": draft.plan_type,
            "revision": 1 if current is None else current.revision + 1,
            "is_current": True,
            "submission_id": submission_id,
            "title": draft.title,
            "sheet_name": draft.sheet,
            "total_weight": draft.total_weight,
            "created_at": utcnow(),
        }
        for draft, fiscal_year_id, current in entries
    ]
    plan_ids = _returning(connection, Plan, plan_rows)
    drafts = [draft for draft, _year, _current in entries]
    indicator_ids, indicator_rows = _insert_contents(connection, drafts, plan_ids)
    for (_draft, _year, current), ids, plan_id, plan_row, rows in zip(
        entries, indicator_ids, plan_ids, plan_rows, indicator_rows, strict=True
    ):
        result.indicators += len(ids)
        if current is None:
            result.plans_added += 1
            if written is not None:
                for indicator_id, row in zip(ids, rows, strict=True):
                    row["id"] = indicator_id
                written[plan_id] = ({**plan_row, "id": plan_id}, rows, [])
    return list(zip(plan_ids, indicator_ids, strict=True))


def _supersede(connection, current, plan_id, draft, indicator_ids, result) -> None:
    """The new revision `plan_id` supersedes the plan `current`, whose reports of quarters the
    draft does not report move to it."""
    connection.execute(_SUPERSEDED_BY, {"plan": current.id, "by": plan_id})
    _carry_progress(connection, current.id, plan_id, draft, indicator_ids)
    result.plans_superseded += 1
    result.messages.append(
        f"sheet '{draft.sheet}': plan {current.id} (revision {current.revision}) superseded by "
        f"plan {plan_id}"
    )


def _ids_by_code(stored: list[dict], draft: PlanDraft) -> list[int | None]:
    """A progress-only draft's indicators on the stored plan: by code, each used once."""
    free: dict[str, list[int]] = {}
    for row in stored:
        free.setdefault(row["code"], []).append(row["id"])
    ids = []
    for index, ind in enumerate(draft.indicators):
        matches = free.get(ind.code) or []
        if matches:
            ids.append(matches.pop(0))
        else:
            ids.append(stored[index]["id"] if index < len(stored) and not ind.code else None)
    return ids


def _returning(connection, table, rows: list[dict]) -> list[int]:
    """Insert the rows, in order; their new ids, in the same order.

    PostgreSQL: one INSERT ... RETURNING for all the rows (SQLAlchemy's "insertmanyvalues").
    SQLite cannot promise RETURNING's order for several rows, so SQLAlchemy would send them
    one statement each (a plan's 35 indicators: 35 statements); instead the ids are chosen
    here, as SQLite chooses them (one more than the table's largest, row after row), and the
    rows go in one executemany (one row too: one form of the statement for SQLAlchemy to
    compile, once per engine, and so once per upload's worker process). The import holds
    SQLite's write lock from its start (data.db.lock), so no other writer can take those ids
    meanwhile."""
    if not rows:
        return []
    if connection.dialect.name != "sqlite":
        result = connection.execute(_INSERTED_IDS[table], rows)
        return [row[0] for row in result]
    ((largest,),) = driver_sql(connection, f"SELECT max(id) FROM {table.__tablename__}")
    first = (largest or 0) + 1
    ids = list(range(first, first + len(rows)))
    insert_rows(
        connection, _INSERTS[table], [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]
    )
    return ids


def _split(ids: list[int], sizes: list[int]) -> list[list[int]]:
    out, first = [], 0
    for size in sizes:
        out.append(ids[first : first + size])
        first += size
    return out


def _insert_contents(
    connection, drafts: list[PlanDraft], plan_ids: list[int]
) -> tuple[list[list[int]], list[list[dict]]]:
    """The drafts' areas, activities and indicators, each table in one statement for all the
    drafts, in draft order: the indicator ids of each draft, in its order, and its indicator
    rows as written (without their ids)."""
    plans = list(zip(drafts, plan_ids, strict=True))
    area_ids = _split(
        _returning(
            connection,
            Area,
            [
                {
                    "plan_id": plan_id,
                    "sort_order": n,
                    "code": a.code,
                    "name": a.name,
                    "weight": a.weight,
                    "weight_raw": a.weight_raw[:60] if a.weight_raw else None,
                }
                for draft, plan_id in plans
                for n, a in enumerate(draft.areas)
            ],
        ),
        [len(draft.areas) for draft in drafts],
    )
    activity_ids = _split(
        _returning(
            connection,
            Activity,
            [
                {
                    "plan_id": plan_id,
                    "area_id": None if a.area_index is None else areas[a.area_index],
                    "sort_order": n,
                    "code": a.code,
                    "code_raw": a.code_raw,
                    "name": a.name,
                }
                for (draft, plan_id), areas in zip(plans, area_ids, strict=True)
                for n, a in enumerate(draft.activities)
            ],
        ),
        [len(draft.activities) for draft in drafts],
    )
    rows = []
    for (draft, plan_id), areas, activities in zip(plans, area_ids, activity_ids, strict=True):
        for n, ind in enumerate(draft.indicators):
            rows.append(
                {
                    "plan_id": plan_id,
                    "area_id": None if ind.area_index is None else areas[ind.area_index],
                    "activity_id": None
                    if ind.activity_index is None
                    else activities[ind.activity_index],
                    "sort_order": n,
                    "code": ind.code,
                    "code_raw": ind.code_raw,
                    "name": ind.name,
                    "unit_label": ind.unit_label,
                    "unit_kind": ind.unit_kind,
                    "weight": ind.weight,
                    "weight_raw": ind.weight_raw[:60] if ind.weight_raw else None,
                    "method": ind.method,
                    **_target_columns(ind),
                    "targets_raw": {str(k): v for k, v in ind.targets_raw.items()},
                    "quarter_targets_raw": {str(k): v for k, v in ind.quarter_targets_raw.items()},
                    "annual_target_raw": ind.annual_target_raw,
                    "responsible": ind.responsible[:300] if ind.responsible else None,
                    "prior_actuals": ind.prior_actuals or None,
                    "source_sheet": ind.sheet,
                    "source_row": ind.row,
                    "governance_plan_type": ind.governance_plan_type,
                    "defect": ind.defect,
                }
            )
    sizes = [len(d.indicators) for d in drafts]
    return _split(_returning(connection, Indicator, rows), sizes), _split(rows, sizes)


# ---------------------------------------------------------------- progress


def _progress_row(report_id: int, indicator_id: int, achievement, ind: IndicatorDraft) -> dict:
    value = achievement.value
    return {
        "report_id": report_id,
        "indicator_id": indicator_id,
        "value_num": float(value) if isinstance(value, (int, float)) else None,
        "value_date": value if isinstance(value, dt.date) else None,
        "value_text": value if isinstance(value, str) else None,
        "value_raw": achievement.raw,
        "status": achievement.status,
        "remarks": ind.remarks,
        "evidence_url": ind.evidence[:500] if ind.evidence else None,
        "source_sheet": ind.sheet,
        "source_row": achievement.row,
    }


def _store_progress(
    connection,
    draft,
    plan_id,
    fiscal_year_id,
    indicator_ids,
    submission_id,
    result,
    stored_plan: bool = True,
    written: dict | None = None,
):
    """The draft's reports, one per quarter it reports, each superseding the plan's current
    report of that quarter: a few statements for all quarters (each statement costs more
    than its rows here). A plan this import has just added (`stored_plan` False) has no
    report of those quarters: a new revision's carried reports are of the others.
    `written`: the rows of the plans just added (_store_plans), this plan's progress rows
    added to its entry with their report's quarter and whether it is to date."""
    quarters = list(draft.reported_quarters)
    if not quarters:
        return {}
    older = (
        dict(connection.execute(_OLDER_REPORTS, {"plan_id": plan_id, "quarters": quarters}).all())
        if stored_plan
        else {}
    )
    if older:  # one current report per plan and quarter, at every moment
        connection.execute(_REPORTS_NOT_CURRENT, {"ids": list(older.values())})
    received = utcnow()
    report_rows = [
        {
            "plan_id": plan_id,
            "office_id": draft.office_id,
            "fiscal_year_id": fiscal_year_id,
            "quarter": quarter,
            "submission_id": submission_id,
            "received_at": received,
            "is_current": True,
            "to_date": draft.is_to_date_report(quarter),
        }
        for quarter in quarters
    ]
    report_ids = _returning(connection, ProgressReport, report_rows)
    report_of = dict(zip(quarters, report_ids, strict=True))
    rows = [  # quarter by quarter, as the reports were stored one after the other before
        _progress_row(report_id, indicator_id, a, ind)
        for quarter, report_id in report_of.items()
        for ind, indicator_id in zip(draft.indicators, indicator_ids, strict=True)
        if indicator_id is not None
        for a in ind.achievements
        if a.quarter == quarter
    ]
    if rows:
        insert_rows(connection, _INSERTS[Progress], rows)
    if written is not None and plan_id in written:
        report = {
            report_id: (row["quarter"], row["to_date"])
            for report_id, row in zip(report_ids, report_rows, strict=True)
        }
        written[plan_id][2].extend((row, *report[row["report_id"]]) for row in rows)
    result.progress += len(rows)
    result.reports_added += len(quarters)
    if older:
        connection.execute(
            _REPORT_SUPERSEDED_BY,
            [{"old": older[q], "new": report_of[q]} for q in quarters if q in older],
        )
        result.reports_superseded += len(older)
    return {q: "superseded" if q in older else "added" for q in quarters}


def _carry_progress(connection, old_plan_id, new_plan_id, draft, new_ids) -> None:
    """The superseded plan's current reports for quarters this draft does not report move to
    the new revision (indicators matched by code, else by position), so no quarter is lost."""
    reported = set(draft.reported_quarters)
    old_ids = connection.execute(_PLAN_CODES, {"plan_id": old_plan_id}).all()
    by_code = {}
    for n, ind in enumerate(draft.indicators):
        if ind.code and ind.code not in by_code:
            by_code[ind.code] = new_ids[n]
    mapping = {}
    for n, (old_id, code) in enumerate(old_ids):
        mapping[old_id] = by_code.get(code) if code else (new_ids[n] if n < len(new_ids) else None)
    reports = connection.execute(_CURRENT_REPORTS, {"plan_id": old_plan_id}).all()
    for report in reports:
        if report.quarter in reported:
            continue
        (new_report,) = _returning(
            connection,
            ProgressReport,
            [
                {
                    "plan_id": new_plan_id,
                    "office_id": report.office_id,
                    "fiscal_year_id": report.fiscal_year_id,
                    "quarter": report.quarter,
                    "submission_id": report.submission_id,
                    "received_at": report.received_at,
                    "is_current": True,
                    "to_date": report.to_date,
                }
            ],
        )
        old_rows = connection.execute(_REPORT_ROWS, {"report_id": report.id}).all()
        rows = []
        for p in old_rows:
            target = mapping.get(p.indicator_id)
            if target is None:
                continue
            rows.append(
                {
                    "report_id": new_report,
                    "indicator_id": target,
                    "value_num": p.value_num,
                    "value_date": p.value_date,
                    "value_text": p.value_text,
                    "value_raw": p.value_raw,
                    "status": p.status,
                    "remarks": p.remarks,
                    "evidence_url": p.evidence_url,
                    "source_sheet": p.source_sheet,
                    "source_row": p.source_row,
                }
            )
        if rows:
            insert_rows(connection, _INSERTS[Progress], rows)
        connection.execute(_REPORT_RETIRED, {"old": report.id, "new": new_report})


def _retire_superseded_reports(connection, new_plan_id: int) -> None:
    """The superseded plan's reports that are still current (the quarters the new revision
    reports itself; `_carry_progress` moved the others) are superseded by the new revision's
    report of the same quarter."""
    old_plan_id = connection.scalar(_SUPERSEDED_PLAN, {"plan_id": new_plan_id})
    if old_plan_id is None:
        return
    newer = {
        quarter: report_id
        for report_id, quarter in connection.execute(_CURRENT_QUARTERS, {"plan_id": new_plan_id})
    }
    for report_id, quarter in connection.execute(_CURRENT_QUARTERS, {"plan_id": old_plan_id}).all():
        connection.execute(_REPORT_RETIRED, {"old": report_id, "new": newer.get(quarter)})
