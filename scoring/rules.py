"""A fiscal year's rule set as plain values (the database keeps it as data: data.models.RuleSet)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

APA_MARKS = {"apa": 70.0, "nis": 10.0, "egov": 10.0, "grs": 4.0, "citizen_charter": 3.0, "rti": 3.0}


@dataclass(frozen=True)
class Rules:
    between_levels: str = "interpolate"  # or "step"
    lagging_threshold: float = 80.0
    year_end_unreported_is_zero: bool = True
    marks: Mapping[str, float] = field(default_factory=lambda: dict(APA_MARKS))
