"""From indicators to totals (scoring.md section 2): area, plan, composite, roll-ups."""

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
    """The totals of one plan's scored indicators, as a dict."""
    row = plan_totals(scored.assign(_one=0), by="_one").iloc[0]
    return {k: (None if pd.isna(v) else float(v)) for k, v in row.drop("_one").items()}


def composite(plan_percents: Mapping[str, float], rules: Rules) -> float:
    """Own objectives (70) + Σ action plan percent × marks / 100; a missing plan adds 0."""
    return float(
        sum(
            marks * plan_percents[plan_type] / 100.0
            for plan_type, marks in rules.marks.items()
            if plan_type in plan_percents and not pd.isna(plan_percents[plan_type])
        )
    )


def roll_up(frame: pd.DataFrame, by: str | list[str], value: str = "composite") -> pd.DataFrame:
    """Mean, count and spread of offices' scores per group — never a sum."""
    grouped = frame.groupby(by)[value]
    return grouped.agg(mean="mean", count="count", std="std", min="min", max="max").reset_index()
