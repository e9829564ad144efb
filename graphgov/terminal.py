"""Plain-text tables for the terminal: fixed columns, long cells cut with an ellipsis,
so output stays readable in 80 columns; control and bidirectional characters in a cell
are shown as escapes."""

from __future__ import annotations

from collections.abc import Sequence

from graphgov.display import printable


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] = ()
) -> str:
    """Rows under a header line; ``widths`` caps each column (0 or missing: no cap)."""
    headers = [_text(h) for h in headers]
    cells = [[_text(c) for c in row] for row in rows]
    sizes = [len(h) for h in headers]
    for row in cells:
        sizes = [max(s, len(c)) for s, c in zip(sizes, row, strict=True)]
    sizes = [
        min(s, w) if w else s for s, w in zip(sizes, [*widths, *[0] * len(sizes)], strict=False)
    ]
    lines = [
        "  ".join(_fit(h, s) for h, s in zip(headers, sizes, strict=True)).rstrip(),
        "  ".join("-" * s for s in sizes),
    ]
    lines += [
        "  ".join(_fit(c, s) for c, s in zip(row, sizes, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    # escaped first: str.split() would take some control characters for spaces
    return " ".join(printable(str(value)).split())


def _fit(text: str, size: int) -> str:
    return text.ljust(size) if len(text) <= size else text[: size - 1] + "…"
