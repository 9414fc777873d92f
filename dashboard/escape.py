"""Text from links, files and users, made literal before it reaches Streamlit's Markdown.

st.error, st.info, st.caption, expander labels and the like render Markdown: a link parameter
such as `?office=[Session expired](http://…)` would become a live link, `![x](http://…)` an
image loaded from anywhere, inside our own red box. Every ASCII punctuation character of an
echoed value is escaped with a backslash (CommonMark lets any of them be escaped, and an
escaped character starts no link, image, emphasis, colour or HTML), line breaks become spaces
(no headings or lists), and the value is cut to a length a message needs. Streamlit also turns
bare addresses (http://…, www.…, name@host) into links after the escapes are resolved, so an
invisible word joiner (U+2060) follows every ':', '.' and '@': the text reads the same, and no
address is found in it.
"""

from __future__ import annotations

import re

PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
ADDRESS_MARKS = re.compile(r"(\\[:.@])")
JOINER = "\u2060"
LONGEST = 200


def literal(value: object, longest: int = LONGEST) -> str:
    """`value` as Markdown that shows exactly its characters (cut to `longest`)."""
    text = " ".join(str(value).split())
    if len(text) > longest:
        text = text[: longest - 1] + "…"
    return ADDRESS_MARKS.sub(r"\1" + JOINER, PUNCTUATION.sub(r"\\\1", text))


def bounded_int(raw: object, lowest: int = 0, highest: int = 2**31 - 1) -> int | None:
    """An integer from a link: ASCII digits only, within [lowest, highest]; else None (a
    value of 30 digits or Bengali digits is not an id, and must not reach the database)."""
    text = str(raw or "")
    if not re.fullmatch(r"[0-9]{1,10}", text):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None
