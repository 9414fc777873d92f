"""Text from links, files and users, made literal before it reaches Streamlit's Markdown.

st.error, st.info, st.caption, expander labels and the like render Markdown: a link parameter
such as `?office=[Session expired](http://…)` would become a live link, `![x](http://…)` an
image loaded from anywhere, inside our own red box. Every character of an echoed value that
can start inline Markdown (links, images, emphasis, code, colours and icons, HTML, maths) is
escaped with a backslash, as CommonMark allows; line breaks become spaces and a leading '#',
'+', '-', '=' or "1." is escaped, so no heading or list can start; the value is cut to a length
a message needs. Streamlit also turns
bare addresses (http://…, www.…, name@host) into links after the escapes are resolved, so an
invisible word joiner (U+2060) follows every ':', '.' and '@': the text reads the same, and no
address is found in it.
"""

from __future__ import annotations

import re

INLINE = re.compile(r"([\\`*_\[\]()<>!~$:&{}|])")
LEADING = re.compile(r"^([#+=-]|\d+\.)")
ADDRESS_MARKS = re.compile(r"([:.@])")
JOINER = "\u2060"
LONGEST = 200


def literal(value: object, longest: int = LONGEST) -> str:
    """`value` as Markdown that shows exactly its characters (cut to `longest`)."""
    text = " ".join(str(value).split())
    if len(text) > longest:
        text = text[: longest - 1] + "…"
    text = INLINE.sub(r"\\\1", text)
    text = LEADING.sub(_no_block, text)  # no heading, list or rule can start
    return ADDRESS_MARKS.sub(r"\1" + JOINER, text)


def _no_block(match: re.Match) -> str:
    mark = match.group(1)
    return mark[:-1] + "\\." if mark[0].isdigit() else "\\" + mark


def bounded_int(raw: object, lowest: int = 0, highest: int = 2**31 - 1) -> int | None:
    """An integer from a link: ASCII digits only, within [lowest, highest]; else None (a
    value of 30 digits or Bengali digits is not an id, and must not reach the database)."""
    text = str(raw or "")
    if not re.fullmatch(r"[0-9]{1,10}", text):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None
