"""Reading a source file's text: size, encoding and emptiness are checked here once for
every file-based loader. A file held whole (YAML) has a size limit; a file read line by
line (CSV) has none, only a limit on its rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from graphgov.errors import EnvironmentProblem, Problem

MAX_FILE_BYTES = 16 * 1024 * 1024  # a file held whole in memory
# records in one file: generous for a YAML file written by hand
MAX_RECORDS = 200_000
# rows in one CSV file, read as a stream: a table this long is better split (each file
# then reports its own problems), and the bound keeps a runaway file from exhausting memory
MAX_ROWS = 5_000_000
_LONE_CR = re.compile(r"(?<=\r)(?!\n|$)")


def read_text(path: Path, shown: str) -> str | Problem:
    """The file's text, or the problem that stops it being read as an inventory file.
    An unreadable file is an environment error, not an inventory problem."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Problem(
                shown,
                None,
                None,
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} "
                "(split it into several files)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {shown}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return _not_utf8(shown, line, data[exc.start], exc.start)
    if not text.strip():
        return Problem(shown, 1, None, "file is empty")
    return text


class TextLines:
    """The lines of a UTF-8 text file, read as they are needed, each with its line
    ending (a lone CR ends a line too, as for a file opened with ``newline=""``). A byte
    that is not UTF-8 ends the lines early and sets ``problem``, naming its line.
    ``blank`` stays true while every line so far was only whitespace."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self.problem: Problem | None = None
        self.blank = True

    def __iter__(self) -> Iterator[str]:
        offset = 0
        try:
            with self.path.open("rb") as handle:
                for number, data in enumerate(handle, 1):
                    try:
                        line = data.decode("utf-8-sig" if number == 1 else "utf-8")
                    except UnicodeDecodeError as exc:
                        self.problem = _not_utf8(
                            self.shown, number, data[exc.start], offset + exc.start
                        )
                        return
                    offset += len(data)
                    if self.blank and line.strip():
                        self.blank = False
                    if "\r" in line:
                        yield from _LONE_CR.split(line)
                    else:
                        yield line
        except OSError as exc:
            raise EnvironmentProblem(f"cannot read {self.shown}: {exc.strerror or exc}") from exc


def _not_utf8(shown: str, line: int, byte: int, offset: int) -> Problem:
    return Problem(
        shown,
        line,
        None,
        f"file is not UTF-8 text (byte 0x{byte:02x} at offset {offset}); save it as UTF-8",
    )
