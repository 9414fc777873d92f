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
    """
    frame = scored.assign(
        _projected=scored["weight"]
        * np.where(scored["status"] == "not_yet_due", 100.0, scored["projected_score"].fillna(0.0))
        / 100.0,
        _reported=scored["raw_score"].notna(),
        _lagging=scored["status"].isin(LAGGING),
    )
    grouped = frame.groupby(by, dropna=False)
    out = pd.DataFrame(
        {
            "score": grouped["weighted_score"].sum(min_count=1),
            "total_weight": grouped["weight"].sum(min_count=1),
            "projected_score": grouped["_projected"].sum(min_count=1),
            "indicator_count": grouped.size(),
            "reported_count": grouped["_reported"].sum(),
            "lagging_count": grouped["_lagging"].sum(),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["percent"] = out["score"] / out["total_weight"] * 100.0
        out["projected_percent"] = out["projected_score"] / out["total_weight"] * 100.0
    return out.drop(columns="projected_score").reset_index()


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
