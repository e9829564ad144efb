"""Text that is safe to show: inventory text and file names are untrusted, so whatever
reaches a terminal, a message or a text file goes through here first.

- ``path_text`` turns a file name that is not valid UTF-8 (Python keeps its bytes as
  lone surrogates) into readable text with ``\\xNN`` for each undecodable byte, so it can
  be printed and written as UTF-8 anywhere.
- ``printable`` makes control characters (ESC, BEL, NUL, ...) and the invisible
  characters that reorder or hide text (bidirectional overrides, zero-width marks)
  visible as ``\\xNN`` / ``\\u202e`` escapes, so no input can move a cursor, set a window
  title or make one text look like another. Line breaks and tabs are kept unless
  ``one_line`` is asked for, which shows them as ``\\n`` and ``\\t``.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable

# C0 controls except tab and line feed, DEL, and the C1 controls (CSI, OSC, ...)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# bidirectional embeddings, overrides and isolates; zero-width and invisible marks; the
# Unicode line and paragraph separators, which end a line in editors and JavaScript
_INVISIBLE = "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# every character ``printable`` escapes (tab and line feed aside), for a character class
UNSAFE_CHARACTERS = _CONTROLS + _INVISIBLE
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
_UNSAFE_ONE_LINE = re.compile(f"[\t\n{_CONTROLS}{_INVISIBLE}]")
_SURROGATE = re.compile("[\udc80-\udcff]")


def path_text(path: str | os.PathLike[str]) -> str:
    """A file name as text that can always be printed and encoded as UTF-8."""
    text = os.fspath(path)
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every character that could act on a terminal shown as an escape."""
    if text.isprintable():  # every character escaped below is one isprintable() refuses
        return text
    text = path_text(text)
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)


def quoted(text: str) -> str:
    """Input-controlled text for a message: on one line, escaped, in quotes."""
    return "'" + printable(text, one_line=True).replace("'", "\\'") + "'"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``options``, or nothing: every
    suggestion graphgov makes is worded here."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {quoted(close[0])}?)" if close else ""


def plural(n: int, noun: str) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
