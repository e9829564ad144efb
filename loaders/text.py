"""Reading a source file's text: size, encoding and emptiness are checked here once for
every file-based loader."""

from __future__ import annotations

from pathlib import Path

from graphgov.errors import EnvironmentProblem, Problem

MAX_FILE_BYTES = 16 * 1024 * 1024
# records in one file: generous for a YAML file written by hand, and a CSV table beyond
# it is better split (each file then reports its own problems)
MAX_RECORDS = 200_000


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
        return Problem(
            shown,
            line,
            None,
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); save it as UTF-8",
        )
    if not text.strip():
        return Problem(shown, 1, None, "file is empty")
    return text
