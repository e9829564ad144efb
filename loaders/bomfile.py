"""AI bills of materials in an inventory folder: CycloneDX 1.5 and 1.6 JSON
(``loaders/cyclonedx.py``) and SPDX 3.0 JSON-LD (``loaders/spdx.py``), whose models,
datasets and suppliers become records and whose lineage becomes references.

This module holds what both formats share: which files are BOMs, reading one as JSON
safely, and turning what a format's reader found into records.

**Which files.** By the formats' own names: ``*.cdx.json`` and ``bom.json`` are
CycloneDX, ``*.spdx.json`` and ``*.spdx3.jsonld`` SPDX 3. Any other ``.json`` file is a
BOM when its first ``SNIFF_BYTES`` say so (``"bomFormat": "CycloneDX"``, or an
``@context`` that is SPDX 3's) and is left out of the inventory otherwise, as every
``.json`` file was before; any other ``.jsonld`` file is SPDX 3 when its start says so
and graphgov's own RDF (``loaders/rdffile.py``) otherwise. Sniffing reads at most
``SNIFF_BYTES`` of a file, whatever its size.

**Reading.** A file is refused with one problem when it is larger than
``text.MAX_FILE_BYTES`` (checked before it is read), not UTF-8, not JSON, nested deeper
than ``MAX_DEPTH``, holds a number longer than ``MAX_NUMBER_CHARS`` (or NaN or
Infinity, which JSON lacks), or repeats a key in one object. It is parsed with the
standard library's pure-Python scanner, which is given the start of every object and
array, so each keeps the line it starts on: provenance is the file and that line, and
a problem names the line and the value's JSON pointer (in the problem's field, e.g.
``bom.cdx.json:12: /components/3/modelCard: ...``).

**Ids.** A component's id is its ``bom-ref`` (CycloneDX) or ``spdxId`` (SPDX), taken
as it is when it is a legal graphgov id, else its purl, else its name (and version); a
supplier's id is its name. A model's or dataset's purl is recorded in its ``purl``
property, and ``validation.combine`` lets any record refer to it by that purl."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphgov.display import quoted
from graphgov.errors import EnvironmentProblem, Problem, ProblemList
from graphgov.graph import Source
from graphgov.records import RawRecord, RawValue
from graphgov.schema import Schema
from graphgov.validation import id_problem

from .rdffile import read_rdf
from .text import read_text

SNIFF_BYTES = 64 * 1024
MAX_DEPTH = 100  # objects and arrays inside one another; a deep CycloneDX BOM needs 20
MAX_NUMBER_CHARS = 100  # no BOM value needs more digits; int() of millions is slow
MAX_REASON = 300  # a schema message quotes the value it refuses: cut, not a page long

CYCLONEDX = "CycloneDX"
SPDX3 = "SPDX 3"
SPDX3_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
_SPDX3_ANY = re.compile(r"https://spdx\.org/rdf/3\.[0-9.]+/spdx-context\.jsonld")
_CYCLONEDX_MARK = re.compile(r'"bomFormat"\s*:\s*"CycloneDX"')
_SPDX_MARK = re.compile(r'"@context"\s*:\s*\[?\s*"https://spdx\.org/rdf/3\.')


def format_by_name(name: str) -> str | None:
    """The BOM format a file's name says it holds, or None."""
    lower = name.lower()
    if lower.endswith(".cdx.json") or lower == "bom.json":
        return CYCLONEDX
    if lower.endswith((".spdx.json", ".spdx3.jsonld")):
        return SPDX3
    return None


def sniff(path: Path) -> str | None:
    """The BOM format a file's start shows, reading at most SNIFF_BYTES, or None."""
    try:
        with path.open("rb") as handle:
            start = handle.read(SNIFF_BYTES).decode("utf-8", errors="ignore")
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {path}: {exc.strerror or exc}") from exc
    if _CYCLONEDX_MARK.search(start):
        return CYCLONEDX
    if _SPDX_MARK.search(start):
        return SPDX3
    return None


def bom_format(path: Path) -> str | None:
    """The BOM format of a file, by its name and else by its start."""
    return format_by_name(path.name) or sniff(path)


def wanted(path: Path) -> bool:
    """Whether an inventory reads this .json file: only when it is an AI-BOM. Files of
    the other suffixes are always read."""
    if path.suffix.lower() != ".json" or format_by_name(path.name) is not None:
        return True
    try:
        return sniff(path) is not None
    except EnvironmentProblem:  # a .json file no name calls a BOM was never read: still not
        return False


def read_bom(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The records of a CycloneDX or SPDX 3 BOM (or, for a .jsonld file that is not
    SPDX 3, of graphgov's own RDF) and the problems found reading it."""
    found = bom_format(path)
    if found is None and path.suffix.lower() == ".jsonld":
        return read_rdf(path, shown, relative, schema)
    doc = parse(path, shown)
    if isinstance(doc, Problem):
        return [], [doc]
    if found == SPDX3 or (found is None and isinstance(doc.data, dict) and "@context" in doc.data):
        from .spdx import read_spdx_document

        return read_spdx_document(doc, shown, relative)
    from .cyclonedx import read_cyclonedx_document

    return read_cyclonedx_document(doc, shown, relative)


# -- JSON, read safely and with lines ----------------------------------------------------


class _Refused(Exception):
    """The document cannot be read; ``reason`` says why, ``offset`` where (if known)."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


@dataclass
class JsonDoc:
    """A parsed JSON document, its text, and where each object and array in it starts."""

    data: Any
    text: str
    starts: dict[int, int] = field(default_factory=dict)
    newlines: list[int] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        return bisect_right(self.newlines, offset - 1) + 1

    def line_of(self, value: Any) -> int | None:
        """The line an object or array of the document starts on."""
        start = self.starts.get(id(value))
        return None if start is None else self.line_at(start)

    def line_on(self, path: Sequence[str | int]) -> int:
        """The line of the innermost object or array on ``path`` from the top."""
        value = self.data
        line = self.line_of(value) or 1
        for step in path:
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                break
            line = self.line_of(value) or line
        return line


def pointer(path: Iterable[str | int]) -> str:
    """A JSON pointer (RFC 6901) to the value at ``path``; '' is the whole document."""
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def parse(path: Path, shown: str) -> JsonDoc | Problem:
    """The JSON document in a file, or the one problem that stops it being read."""
    text = read_text(path, shown)
    if isinstance(text, Problem):
        return text
    doc = JsonDoc(None, text)
    decoder = _Decoder(doc)
    try:
        doc.data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        return Problem(shown, exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")
    except _Refused as exc:
        line = None if exc.offset is None else doc.line_at(exc.offset)
        return Problem(shown, line, None, exc.reason)
    except RecursionError:  # MAX_DEPTH stops this first; kept for a smaller stack
        return Problem(shown, None, None, f"values nest deeper than {MAX_DEPTH} levels")
    return doc


class _Decoder(json.JSONDecoder):
    """The standard decoder on its pure-Python scanner, told of each object and array."""

    def __init__(self, doc: JsonDoc) -> None:
        super().__init__(
            object_pairs_hook=_unique,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_constant,
        )
        self.doc = doc
        self.depth = 0
        self.parse_object = self._object
        self.parse_array = self._array
        # the pure-Python scanner calls parse_object and parse_array as set above (the C
        # one does not); both, like JSONObject and JSONArray, lack type stubs
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def decode(self, s: str, _w: Callable[..., Any] | None = None) -> Any:
        self.doc.newlines = [m.start() for m in re.finditer("\n", s)]
        return super().decode(s)

    def _nested(self, start: int, read: Callable[[], tuple[Any, int]]) -> tuple[Any, int]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"values nest deeper than {MAX_DEPTH} levels", start)
        try:
            value, end = read()
        except _Refused as exc:
            if exc.offset is None:
                exc.offset = start
            raise
        self.depth -= 1
        self.doc.starts[id(value)] = start
        return value, end

    def _object(self, s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        return self._nested(
            s_and_end[1] - 1,
            lambda: json.decoder.JSONObject(s_and_end, *args),  # type: ignore[attr-defined]
        )

    def _array(self, s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        return self._nested(
            s_and_end[1] - 1,
            lambda: json.decoder.JSONArray(s_and_end, *args),  # type: ignore[attr-defined]
        )


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"key {quoted(key[:100])} appears twice in one object")
            seen.add(key)
    return out


def _number(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(f"a number of {len(text):,} characters; the limit is {MAX_NUMBER_CHARS}")
        value = kind(text)
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(f"the number {text} is too large")
        return value

    return read


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value")


def schema_reason(message: str) -> str:
    """A schema library's message, cut to a readable length."""
    message = " ".join(message.split())
    return message if len(message) <= MAX_REASON else message[: MAX_REASON - 1] + "…"


# -- records -----------------------------------------------------------------------------


@dataclass
class Found:
    """A model, dataset or supplier a BOM describes, before it becomes a record: its
    kind, id and line, its properties' text (each with a line) and the ids it refers
    to per reference field (each with a line), in the order found."""

    kind: str
    id: str
    line: int
    properties: dict[str, tuple[str, int]] = field(default_factory=dict)
    references: dict[str, dict[str, int]] = field(default_factory=dict)

    def set(self, name: str, value: object, line: int) -> None:
        if isinstance(value, bool):
            self.properties.setdefault(name, ("true" if value else "false", line))
        elif isinstance(value, str | int | float) and str(value).strip():
            self.properties.setdefault(name, (str(value), line))

    def refer(self, name: str, target: str, line: int) -> None:
        self.references.setdefault(name, {}).setdefault(target, line)


class Findings:
    """What a BOM reader found, in order, with suppliers kept once each."""

    def __init__(self, shown: str) -> None:
        self.items: dict[tuple[str, str], Found] = {}
        self.problems = ProblemList(shown)

    def add(self, kind: str, ident: str, line: int) -> Found:
        key = (kind, ident)
        found = self.items.get(key)
        if found is None or kind != "supplier":
            found = Found(kind, ident, line)
            if key in self.items:  # an id used twice: validation names both places
                key = (kind, f"{ident}\0{len(self.items)}")
            self.items[key] = found
        return found

    def records(self, shown: str, relative: str) -> list[RawRecord]:
        out = []
        for found in self.items.values():
            fields: dict[str, RawValue] = {
                "kind": RawValue(found.line, found.kind),
                "id": RawValue(found.line, found.id),
            }
            for name, (text, line) in found.properties.items():
                fields[name] = RawValue(line, text)
            for name, targets in found.references.items():
                items = tuple(RawValue(line, target) for target, line in targets.items())
                fields[name] = RawValue(found.line, items=items)
            out.append(RawRecord(shown, Source(relative, found.line), fields))
        return out


def identifier(*candidates: object) -> str | None:
    """The first candidate that is a legal graphgov id."""
    for candidate in candidates:
        if isinstance(candidate, str) and candidate and id_problem(candidate) is None:
            return candidate
    return None
