"""The project's shared vocabulary, importable by every package (it imports none of them).

- `core.terms`: the words every layer uses: target levels, quarters, plan types, indicator
  statuses, office levels, unit kinds, calculation methods, Bengali digits.
- `core.drafts`: what a workbook holds once read (`PlanDraft` and its parts), as plain
  dataclasses: loaders/ builds them, data/ stores them.
- `core.issues`: every problem an import can meet, as a registered code with Bengali and
  English templates (`make_issue`), and the refusals raised with one (`Refusal`).

Nothing here does I/O or imports a third-party package.
"""
