"""The part of the office tree a signed-in user may see and change.

Every query in data/ takes a `Scope` and filters by it, below the pages, so no page, URL
parameter or download can reach outside it. A scope is a subtree: the offices whose
materialised path starts with the scope office's path (see data.models.Office.path).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, true


@dataclass(frozen=True)
class Scope:
    """`path` None means everything (Cabinet Division, administrators)."""

    path: str | None = None
    office_id: int | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls()

    @property
    def is_everything(self) -> bool:
        return self.path is None

    def office_filter(self, path_column) -> ColumnElement[bool]:
        """A WHERE clause on an offices.path column: true inside the scope."""
        if self.path is None:
            return true()
        return path_column.like(self.path + "%")

    def contains(self, office_path: str | None) -> bool:
        return self.path is None or (office_path or "").startswith(self.path)


EVERYTHING = Scope.everything()
