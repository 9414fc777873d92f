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
    milliseconds per call. The sums are `group_sums`' (each group's values added in row
    order); groups come in the order of their sorted keys, missing keys last.
    """
    keys = [by] if isinstance(by, str) else list(by)
    groups, firsts = _group_codes(scored, keys)
    count = len(firsts)
    weight = scored["weight"].to_numpy(dtype=float)
    status = scored["status"].to_numpy(dtype=object)
    projected = scored["projected_score"].to_numpy(dtype=float, na_value=np.nan)
    projected = weight * np.where(status == "not_yet_due", 100.0, np.nan_to_num(projected)) / 100.0

    score, total_weight, projected_score = (
        group_sums(groups, values, count, min_count=1)
        for values in (scored["weighted_score"].to_numpy(dtype=float), weight, projected)
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


def group_sums(groups, values, count: int, min_count: int = 0) -> np.ndarray:
    """Σ `values` per group 0..count-1, added one by one in row order (NaN skipped, as SQL's
    sum() skips NULL); NaN where fewer than `min_count` values were added.

    Not pandas' group-by sum: since pandas 3 it adds with numpy's reduceat when the whole
    column has no NaN and the groups are sorted, else with a compensated sum, so a group's
    total depended in its last bit on the other groups' rows. Here it depends on its own
    rows only: an import's rescoring of a few offices stores the bits a full rebuild does."""
    groups = np.asarray(groups, dtype=np.intp)
    values = np.asarray(values, dtype=float)
    present = ~np.isnan(values)
    total = np.bincount(groups, weights=np.where(present, values, 0.0), minlength=count)
    if min_count:
        seen = np.bincount(groups, weights=present, minlength=count)
        total[seen < min_count] = np.nan
    return total


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
    return plan_score_of(
        scored["weight"].to_numpy(dtype=float),
        scored["weighted_score"].to_numpy(dtype=float),
        scored["projected_score"].to_numpy(dtype=float),
        scored["raw_score"].to_numpy(dtype=float),
        scored["status"].to_numpy(dtype=object),
    )


def plan_score_of(
    weight: np.ndarray,
    weighted: np.ndarray,
    projected: np.ndarray,
    raw: np.ndarray,
    status: np.ndarray,
) -> dict:
    """plan_score on the plan's columns as arrays (floats; status as objects)."""
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
        "indicator_count": float(len(weight)),
        "reported_count": float((~np.isnan(raw)).sum()),
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
        keys = [*by, "plan_type"]
        groups, firsts = _group_codes(governance, keys)
        from_apa = pd.DataFrame({key: governance[key].to_numpy()[firsts] for key in keys})
        for column in ("weight", "marks", "projected_marks"):
            values = governance[column].to_numpy(dtype=float, na_value=np.nan)
            from_apa[column] = group_sums(groups, values, len(firsts), min_count=1)
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
    groups, firsts = _group_codes(parts, by)
    out = pd.DataFrame({key: parts[key].to_numpy()[firsts] for key in by})
    for name, column in (
        ("composite", "contribution"),
        ("projected_composite", "projected_contribution"),
    ):
        values = parts[column].to_numpy(dtype=float, na_value=np.nan)
        out[name] = group_sums(groups, values, len(firsts))
    return out


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


# ------------------------------------------------------------------ small inputs, plain Python
#
# An import rescores one office's plans (tens to a few hundred rows): there pandas' fixed cost
# per group-by and merge is most of the time. These give `plan_totals` and `composite` to the
# last bit without pandas: the same group_sums, the composite's parts in the order
# composite_parts puts them (tests/test_scoring.py, tests/test_scoring_store.py).


def plan_totals_small(
    groups: np.ndarray,
    count: int,
    weight: np.ndarray,
    weighted: np.ndarray,
    projected_score: np.ndarray,
    raw: np.ndarray,
    status: np.ndarray,
) -> dict[str, np.ndarray]:
    """`plan_totals`' columns for rows already numbered by group (`groups`, 0..count-1):
    score, total_weight, indicator_count, reported_count, lagging_count, percent,
    projected_percent, one value per group."""
    not_yet = status == "not_yet_due"
    projected = weight * np.where(not_yet, 100.0, np.nan_to_num(projected_score)) / 100.0
    score = group_sums(groups, weighted, count, 1)
    total_weight = group_sums(groups, weight, count, 1)
    projected_total = group_sums(groups, projected, count, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = score / total_weight * 100.0
        projected_percent = projected_total / total_weight * 100.0
    return {
        "score": score,
        "total_weight": total_weight,
        "indicator_count": np.bincount(groups, minlength=count).astype(np.int64),
        "reported_count": np.bincount(groups, weights=~np.isnan(raw), minlength=count).astype(
            np.int64
        ),
        "lagging_count": np.bincount(
            groups, weights=np.isin(status, LAGGING), minlength=count
        ).astype(np.int64),
        "percent": percent,
        "projected_percent": projected_percent,
    }


def composite_small(
    plans: list[tuple], governance: list[tuple], marks: Mapping[tuple, float]
) -> dict[tuple, tuple[float, float]]:
    """`composite` for a few offices: {key: (composite, projected composite)}, key (office,
    fiscal year, quarter), one for every key a plan has.

    - `plans`: (key, plan_type, percent, projected_percent) per stored plan, in the order
      `composite` would be given them (the full rebuild's: by plan, then quarter);
    - `governance`: (key, plan_type, weight, marks, projected_marks) per APA governance row,
      in the full rebuild's order (by indicator, then quarter);
    - `marks`: {(fiscal_year_id, plan_type): marks in the composite}.
    """
    keys: dict[tuple, int] = {}
    for key, *_rest in plans:
        keys.setdefault(key, len(keys))
    stored = {(key, plan_type) for key, plan_type, *_rest in plans}
    # The APA's rows for an action plan that is not stored, summed per key and plan type, in
    # the order of the group-by's sorted keys (the parts after the plans).
    carried: dict[tuple, int] = {}
    for key, plan_type, *_rest in governance:
        if key in keys and (key, plan_type) not in stored:
            carried.setdefault((*key, plan_type), len(carried))
    parts = [(keys[key], key[1], plan_type, p, pp) for key, plan_type, p, pp in plans]
    if carried:
        rows = [(key, plan_type) for key, plan_type, *_rest in governance]
        chosen = [n for n, (key, t) in enumerate(rows) if (*key, t) in carried]
        at = [carried[(*rows[n][0], rows[n][1])] for n in chosen]
        weight, obtained, projected = (
            group_sums(at, [governance[n][i] for n in chosen], len(carried), 1) for i in (2, 3, 4)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            percent = obtained / weight * 100.0
            projected_percent = projected / weight * 100.0
        for (office, year, quarter, plan_type), n in sorted(carried.items()):
            key = (office, year, quarter)
            parts.append((keys[key], year, plan_type, percent[n], projected_percent[n]))
    groups = [group for group, *_rest in parts]
    part_marks = [marks.get((year, plan_type), 0.0) for _g, year, plan_type, _p, _pp in parts]
    contribution = [
        (0.0 if p != p else float(p)) * m / 100.0
        for (_g, _y, _t, p, _pp), m in zip(parts, part_marks, strict=True)
    ]
    projected_contribution = [
        (0.0 if pp != pp else float(pp)) * m / 100.0
        for (_g, _y, _t, _p, pp), m in zip(parts, part_marks, strict=True)
    ]
    total = group_sums(groups, contribution, len(keys))
    projected_total = group_sums(groups, projected_contribution, len(keys))
    return {key: (total[n], projected_total[n]) for key, n in keys.items()}
