"""Every issue code has Bengali and English titles and messages, renders, and is documented."""

import pytest

from data.db import ROOT
from loaders.issues import ISSUE_TYPES, make_issue

DOC = (ROOT / "docs" / "import-issues.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(ISSUE_TYPES))
def test_code_is_documented_and_bilingual(code):
    kind = ISSUE_TYPES[code]
    assert f"| `{code}` | {kind.severity} |" in DOC
    assert kind.severity in ("error", "warning")
    assert kind.title_bn and kind.title_en and kind.template_bn and kind.template_en
    issue = make_issue(
        code, file="f.xlsx", sheet="S", row=12, column="C", value="৩২/১৩", detail="d", expected="e"
    )
    assert issue.message_en.startswith("f.xlsx, sheet 'S', row 12, column C: ")
    assert issue.message_bn.startswith("f.xlsx, শিট 'S', সারি ১২, কলাম C: ")
    if "{value}" in kind.template_en:
        assert "৩২/১৩" in issue.message_en and "৩২/১৩" in issue.message_bn


def test_codes_are_kebab_case():
    assert all(code == code.lower() and " " not in code for code in ISSUE_TYPES)
