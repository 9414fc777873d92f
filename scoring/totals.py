"""From indicators to totals (scoring.md section 2): area, plan, composite."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from scoring.rules import Rules

LAGGING = ("lagging", "missed", "not_reported")


def area_scores(scored: pd.DataFrame, by: str | list[str] = "area_id") -> pd.DataFrame:
    """Σ weighted scores per area, out of the Σ of its indicator weights."""
    grouped = scored.groupby(by, dropna=False)
    return pd.DataFrame(
        {
            "score": grouped["weighted_score"].sum(min_count=1),
            "weight": grouped["weight"].sum(min_count=1),
        }
    ).reset_index()


def plan_totals(scored: pd.DataFrame, by: str | list[str] = "plan_id") -> pd.DataFrame:
    """Per plan: score (Σ weighted), total weight, percent, projected percent and counts.

    Unreported indicators add nothing to the score but count in the total (scoring.md §2).
    For the projected percent an indicator not yet due counts as on target.

    The keys are made one integer per group first: pandas' group-by over several keys costs
    milliseconds per call, which an import pays for every quarter it rescores. The sums are
    still pandas' (its compensated summation, one column at a time), so the totals are the
    same to the last bit; groups come in the order of their sorted keys, missing keys last.
    """
    keys = [by] if isinstance(by, str) else list(by)
    groups, firsts = _group_codes(scored, keys)
    count = len(firsts)
    weight = scored["weight"].to_numpy(dtype=float)
    status = scored["status"].to_numpy(dtype=object)
    projected = scored["projected_score"].to_numpy(dtype=float, na_value=np.nan)
    projected = weight * np.where(status == "not_yet_due", 100.0, np.nan_to_num(projected)) / 100.0

    grouped = pd.DataFrame(
        {
            "score": scored["weighted_score"].to_numpy(dtype=float),
            "weight": weight,
            "projected": projected,
        }
    ).groupby(groups)
    score, total_weight, projected_score = (
        grouped[column].sum(min_count=1).to_numpy(dtype=float)
        for column in ("score", "weight", "projected")
    )
    reported = scored["raw_score"].notna().to_numpy()
    out = pd.DataFrame({key: scored[key].to_numpy()[firsts] for key in keys})
    out["score"] = score
    out["total_weight"] = total_weight
    out["indicator_count"] = np.bincount(groups, minlength=count).astype(np.int64)
    out["reported_count"] = np.bincount(groups, weights=reported, minlength=count).astype(np.int64)
    lagging = np.isin(status, LAGGING)
    out["lagging_count"] = np.bincount(groups, weights=lagging, minlength=count).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["percent"] = score / total_weight * 100.0
        out["projected_percent"] = projected_score / total_weight * 100.0
    return out


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group (0, 1, ... in the order of the sorted keys, a missing key after the
    others, as pandas' group-by orders them) and each group's first row."""
    combined = np.zeros(len(frame), dtype=np.int64)
    span = 1  # the number of key combinations `combined` can tell apart
    for key in keys:
        values = frame[key].to_numpy()
        low = int(values.min()) if values.dtype.kind in "iu" and len(values) else 0
        high = int(values.max()) if values.dtype.kind in "iu" and len(values) else -1
        if high >= low and span * (high - low + 1) < 2**62:  # ids: offsets sort as they do
            codes, size = values.astype(np.int64) - low, high - low + 1
        else:
            codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
            size = len(uniques) + 1
            codes = np.where(codes < 0, size - 1, codes)  # missing: after every value
        if span * size >= 2**62:  # renumber the combinations so far densely, in order
            combined, seen = pd.factorize(combined, sort=True)
            span = len(seen)
        combined = combined * size + codes
        span *= size
    groups, uniques = pd.factorize(combined, sort=True)
    firsts = np.empty(len(uniques), dtype=np.intp)
    firsts[groups[::-1]] = np.arange(len(groups))[::-1]  # the last write, the first row
    return groups.astype(np.intp), firsts


def plan_score(scored: pd.DataFrame) -> dict:
    """The totals of one plan's scored indicators, as a dict: `plan_totals` for one plan,
    summed directly (a check scores plans one at a time; a group-by per plan costs more)."""
    weight = scored["weight"].to_numpy(dtype=float)
    weighted = scored["weighted_score"].to_numpy(dtype=float)
    status = scored["status"].to_numpy(dtype=object)
    projected = scored["projected_score"].to_numpy(dtype=float)
    projected = weight * np.where(status == "not_yet_due", 100.0, np.nan_to_num(projected)) / 100.0

    def total(values: np.ndarray) -> float | None:
        present = ~np.isnan(values)
        return float(values[present].sum()) if present.any() else None

    score, total_weight, projected_score = total(weighted), total(weight), total(projected)
    percent = projected_percent = None
    if total_weight:
        percent = None if score is None else score / total_weight * 100.0
        if projected_score is not None:
            projected_percent = projected_score / total_weight * 100.0
    return {
        "score": score,
        "total_weight": total_weight,
        "indicator_count": float(len(scored)),
        "reported_count": float((~np.isnan(scored["raw_score"].to_numpy(dtype=float))).sum()),
        "lagging_count": float(np.isin(status, LAGGING).sum()),
        "percent": percent,
        "projected_percent": projected_percent,
    }


COMPOSITE_KEYS = ["office_id", "fiscal_year_id", "quarter"]


def governance_rows(scored: pd.DataFrame) -> pd.DataFrame:
    """An APA's scored governance rows (scoring.corrections.governance_marks) in the shape
    `composite` takes: plan_type (the action plan each row stands for), weight, marks (the
    weighted score: marks obtained) and projected_marks."""
    return scored.assign(
        plan_type=scored["governance_plan_type"],
        marks=scored["weighted_score"],
        projected_marks=scored["weight"] * scored["projected_score"] / 100,
    )


def composite_parts(
    plans: pd.DataFrame,
    governance: pd.DataFrame | None,
    marks: pd.DataFrame,
    by: list[str] | None = None,
) -> pd.DataFrame:
    """What each plan type brings to the composite (scoring.md section 2), one row per `by` key
    and plan type.

    - `plans`: the stored plans' totals, `by` + plan_type, percent, projected_percent;
    - `governance`: the APA's governance rows, `by` + plan_type (the action plan they stand
      for), weight, marks (obtained, capped at the weight), projected_marks;
    - `marks`: each plan type's marks in the composite, fiscal_year_id + plan_type + marks.

    A plan type's contribution is its percent × its marks / 100; an action plan that is not
    stored takes its percent from the APA's row instead (marks obtained / the row's weight),
    so the governance part counts once. Missing percents contribute 0.
    """
    by = list(by or COMPOSITE_KEYS)
    parts = plans[[*by, "plan_type", "percent", "projected_percent"]].assign(source="plan")
    if governance is not None and not governance.empty:
        rows = governance.groupby([*by, "plan_type"], dropna=False)
        from_apa = pd.DataFrame(
            {
                "weight": rows["weight"].sum(min_count=1),
                "marks": rows["marks"].sum(min_count=1),
                "projected_marks": rows["projected_marks"].sum(min_count=1),
            }
        ).reset_index()
        with np.errstate(divide="ignore", invalid="ignore"):
            from_apa["percent"] = from_apa["marks"] / from_apa["weight"] * 100.0
            from_apa["projected_percent"] = from_apa["projected_marks"] / from_apa["weight"] * 100.0
        stored = parts[[*by, "plan_type"]].drop_duplicates()
        from_apa = from_apa.merge(stored, on=[*by, "plan_type"], how="left", indicator=True)
        from_apa = from_apa[from_apa["_merge"] == "left_only"]
        parts = pd.concat(
            [
                parts,
                from_apa[[*by, "plan_type", "percent", "projected_percent"]].assign(source="apa"),
            ],
            ignore_index=True,
        )
    parts = parts.merge(marks, on=["fiscal_year_id", "plan_type"], how="left")
    parts["marks"] = parts["marks"].fillna(0.0)
    parts["contribution"] = parts["percent"].fillna(0.0) * parts["marks"] / 100.0
    parts["projected_contribution"] = (
        parts["projected_percent"].fillna(0.0) * parts["marks"] / 100.0
    )
    return parts


def composite(
    plans: pd.DataFrame,
    governance: pd.DataFrame | None,
    marks: pd.DataFrame,
    by: list[str] | None = None,
) -> pd.DataFrame:
    """The composite (APA) score out of 100 and its projection per `by` key (office, fiscal
    year, quarter): the sum of `composite_parts`. The only place the composite is computed."""
    by = list(by or COMPOSITE_KEYS)
    parts = composite_parts(plans, governance, marks, by)
    grouped = parts.groupby(by, dropna=False)
    return pd.DataFrame(
        {
            "composite": grouped["contribution"].sum(),
            "projected_composite": grouped["projected_contribution"].sum(),
        }
    ).reset_index()


def marks_frame(rules: Mapping[int, Rules]) -> pd.DataFrame:
    """{fiscal_year_id: Rules} → the `marks` frame `composite` takes."""
    return pd.DataFrame(
        [
            {"fiscal_year_id": fy, "plan_type": plan_type, "marks": float(value)}
            for fy, rule_set in rules.items()
            for plan_type, value in rule_set.marks.items()
        ],
        columns=["fiscal_year_id", "plan_type", "marks"],
    )
