"""The report of one checked workbook: every issue, capped, as JSON and as a table."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.drafts import PlanDraft
from core.issues import Issue, make_issue

MAX_ISSUES = 200
ISSUE_KEYS = (
    "severity",
    "code",
    "part",
    "sheet",
    "row",
    "column",
    "value",
    "message_bn",
    "message_en",
)


@dataclass
class FileReport:
    path: str
    file_name: str
    sha256: str | None
    plans: list[PlanDraft] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    left_out: int = 0  # issues past MAX_ISSUES, counted not kept
    error_count: int = 0  # every error, kept or left out: one is enough to refuse

    def add(self, issue: Issue) -> None:
        # An agency matrix gives one plan per office from the same rows: one issue each.
        if issue in self.issues:
            return
        self.error_count += issue.severity == "error"
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)
        else:
            self.left_out += 1

    def finish(self) -> None:
        """Errors first; then the one warning that counts what the cap left out."""
        self.issues.sort(key=lambda i: (i.severity != "error", i.sheet or "", i.row or 0))
        if self.left_out:
            self.issues.append(
                make_issue("too-many-issues", file=self.file_name, value=self.left_out)
            )
            self.left_out = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def issues_json(self) -> list[dict]:
        return [{k: getattr(i, k) for k in ISSUE_KEYS} for i in self.issues]


def issues_frame(reports: list[FileReport]) -> pd.DataFrame:
    """One row per issue of every report (the upload page's table and its download)."""
    rows = [{"file": r.file_name, **i.to_dict()} for r in reports for i in r.issues]
    columns = [
        "file",
        "severity",
        "code",
        "part",
        "sheet",
        "row",
        "column",
        "value",
        "message_bn",
        "message_en",
        "text_bn",
        "text_en",
    ]
    return pd.DataFrame(rows, columns=columns)
