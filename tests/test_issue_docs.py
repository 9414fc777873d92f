"""Every issue code has Bengali and English titles and messages, renders, and is documented."""

import pytest

from core.issues import ISSUE_TYPES, make_issue
from data.db import ROOT

DOC = (ROOT / "docs" / "import-issues.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(ISSUE_TYPES))
def test_code_is_documented_and_bilingual(code):
    kind = ISSUE_TYPES[code]
    assert f"| `{code}` | {kind.severity} |" in DOC
    assert kind.severity in ("error", "warning")
    assert kind.title_bn and kind.title_en and kind.template_bn and kind.template_en
    own = dict.fromkeys(kind.parameters(), "7") | {
        "value": "৩২/১৩",
        "detail": "d",
        "expected": "e",
    }
    issue = make_issue(code, file="f.xlsx", sheet="S", row=12, column="C", **own)
    assert issue.message_en.startswith("f.xlsx, sheet 'S', row 12, column C: ")
    assert issue.message_bn.startswith("f.xlsx, শিট 'S', সারি ১২, কলাম C: ")
    if "{value}" in kind.template_en:
        assert "৩২/১৩" in issue.message_en and "৩২/১৩" in issue.message_bn


def test_codes_are_kebab_case():
    assert all(code == code.lower() and " " not in code for code in ISSUE_TYPES)


@pytest.mark.parametrize(
    ("code", "variant"),
    [(code, variant) for code, kind in sorted(ISSUE_TYPES.items()) for variant in kind.variants],
)
def test_every_wording_renders_in_both_languages(code, variant):
    """A refusal's other wordings fill the same parameters in Bengali as in English (the
    Bengali leaves out only a system's own English reason)."""
    kind = ISSUE_TYPES[code]
    template_bn, template_en = kind.templates(variant)
    assert template_bn and template_en
    names = {name: f"<{name}>" for name in kind.parameters(variant)}
    issue = make_issue(code, file="f.xlsx", variant=variant, **names)
    for name in names:
        assert f"<{name}>" in issue.message_en
        assert f"<{name}>" in issue.message_bn or name == "reason"
    assert issue.message_en.startswith("f.xlsx: ") and issue.message_bn.startswith("f.xlsx: ")


def test_a_refusal_is_a_registered_issue():
    """No refusal carries a finished message of its own: code, wording and parameters."""
    from core.issues import Refusal

    refusal = Refusal("too-many-sheets", file="f.xlsx", value=120, count="120", limit=100)
    assert refusal.issue().code == "too-many-sheets"
    assert refusal.message_en == "f.xlsx: the workbook has 120 sheets; at most 100 are accepted."
    assert refusal.message_bn.startswith("f.xlsx: ওয়ার্কবুকে 120টি শিট")
    with pytest.raises(KeyError):
        Refusal("too-many-sheets", file="f.xlsx", count="120")  # a parameter missing
