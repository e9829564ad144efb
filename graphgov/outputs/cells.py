"""Escaping for text other programs read: spreadsheets must never evaluate inventory
text as a formula, Markdown must never turn it into markup, JSON must not carry raw
characters that act on a terminal or hide text; and none of them may carry characters
that move a cursor or reorder what is shown (``graphgov.display.printable``)."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from typing import Any

from graphgov.display import printable
from graphgov.findings import show

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# the ASCII punctuation that starts emphasis, code, links, images, headings, table cells,
# strike-through or an escape anywhere on a line
_MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]|#~]")
# what starts a list item, a block quote or a setext underline at the start of a line
_MARKDOWN_BLOCK = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")
_NON_ASCII = re.compile(r"[^\x00-\x7e]")


def spreadsheet_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: controls made visible, and a leading formula
    character quoted away."""
    text = "" if value is None else printable(show(value))
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def markdown_text(value: Any) -> str:
    """Text that Markdown shows literally as a heading or a paragraph of its own, on one
    line: no HTML, no markup, no line break, no control or bidirectional character."""
    text = _markdown_inline(printable("" if value is None else show(value), one_line=True))
    return _MARKDOWN_BLOCK.sub(_unblock, text)


def _unblock(match: re.Match[str]) -> str:
    space, mark = match.groups()
    # a digit run cannot be escaped itself, so the '.' or ')' after it is
    return space + (mark + "\\" if mark[0].isdigit() else "\\" + mark)


def markdown_cell(value: Any) -> str:
    """Text that stays inside one Markdown table cell, shown literally (line breaks
    become spaces)."""
    text = "" if value is None else printable(show(value))
    return _markdown_inline(" ".join(text.split()))


def _markdown_inline(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_INLINE.sub(r"\\\g<0>", text)


def json_value(value: Any) -> Any:
    """A property value as JSON holds it: dates as YYYY-MM-DD, the rest as they are."""
    return value.isoformat() if isinstance(value, date) else value


def json_text(data: Any) -> str:
    """``data`` as indented JSON, every character that could act on a terminal or hide
    text written as a ``\\u`` escape: the file is safe to ``cat``, and parses back to
    exactly the same strings."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _NON_ASCII.sub(lambda m: _json_char(m.group()), text) + "\n"


@cache
def _json_char(char: str) -> str:
    # json.dumps escapes C0 controls itself; DEL, C1 and the invisible characters it
    # leaves raw when not asked for ASCII; U+2028/9 end a line in JavaScript
    if printable(char) == char and char not in "\u2028\u2029":
        return char
    return f"\\u{ord(char):04x}"
