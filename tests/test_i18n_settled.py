"""`dashboard.i18n.settled`: the language and digits read once for a block (tables format
thousands of cells), as they were when the block began; the session's own afterwards."""

from __future__ import annotations

from dashboard import i18n


def test_settled_pins_the_settings_and_restores_them(monkeypatch):
    state = {"lang": "en", "bn_digits": False}
    monkeypatch.setattr(i18n.st, "session_state", state)
    assert i18n.fmt_number(1234) == "1,234"
    with i18n.settled():
        state.update(lang="bn", bn_digits=True)
        assert (i18n.lang(), i18n.bengali_digits()) == ("en", False)
        assert i18n.fmt_number(1234) == "1,234"
        with i18n.settled():  # nested: still the outer block's settings, kept after it
            assert i18n.lang() == "en"
        assert i18n.lang() == "en"
    assert (i18n.lang(), i18n.bengali_digits()) == ("bn", True)
    assert i18n.fmt_number(1234) == "১,২৩৪"


def test_settled_restores_the_settings_after_an_exception(monkeypatch):
    state = {"lang": "bn"}
    monkeypatch.setattr(i18n.st, "session_state", state)
    try:
        with i18n.settled():
            raise RuntimeError
    except RuntimeError:
        pass
    state["lang"] = "en"
    assert (i18n.lang(), i18n.bengali_digits()) == ("en", False)
