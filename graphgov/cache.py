"""What earlier runs made of each inventory file, kept on disk so a warm run reads and
validates only the files that changed.

An entry holds one file's result of reading and of the first phase of validation
(``validation.check_records``): its typed properties, the references it writes and
the problems found, problems included, so a file with problems is reported again
exactly as before. Everything that joins files (``validation.combine``) is redone on
every run, so a warm result equals a cold one.

An entry is used only when its key matches: the sha256 of the file's bytes, its names
(as shown, and in provenance), the loader, graphgov's version, a digest of the ontology
(every file of ``ontology/``), of the code that reads and checks files, and of the
versions of Python and of the libraries that read files (pydantic, PyYAML, openpyxl,
rdflib...). A custom schema is never cached (the pipeline asks for the shipped one only).

Where: ``$GRAPHGOV_CACHE_DIR``, else ``$XDG_CACHE_HOME/graphgov``, else
``~/.cache/graphgov``; ``GRAPHGOV_NO_CACHE=1`` turns it off. Each inventory folder gets a
folder ``inventories/<digest of its path>/`` with one entry per file (named by a digest
of the file's path in the inventory), replaced when the file changes and removed when
the file is gone; an inventory not read for 30 days is removed (looked for at most once
a day). So the cache holds at most one entry per file of the inventories in use, about
the size of those files. ``inventories/`` is readable by its owner alone, since entries
hold the inventories' text.

Entries are data, never code: a header (format, key, sha256 and length of the payload)
and a payload of plain tuples, lists, dicts, text and numbers written with ``marshal``
(dates as day numbers), checked field by field when read. A damaged, truncated or
foreign entry is ignored and rebuilt, so entries are not synced to disk as they are
written (one a crash cut short is rebuilt like any other); a cache that cannot be
written leaves the command running as if there were none.
"""

from __future__ import annotations

import array
import collections
import contextlib
import hashlib
import itertools
import marshal
import os
import sys
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

import graphgov
from graphgov.errors import EnvironmentProblem, MoreProblems, Problem
from graphgov.files import make_folder, write_file
from graphgov.graph import Value
from graphgov.records import SourceFile
from graphgov.schema import ONTOLOGY_PACKAGE, Schema
from graphgov.validation import Checked

FORMAT = 1
DIR_VARIABLE = "GRAPHGOV_CACHE_DIR"
OFF_VARIABLE = "GRAPHGOV_NO_CACHE"
MAX_AGE = 30 * 24 * 3600  # an inventory not read for this long is forgotten (seconds)
_DAY = 24 * 3600
# a larger file is read uncached: its reader refuses it anyway (16 MiB), and hashing a
# huge file only to be told so would waste time
MAX_FILE_BYTES = 64 * 1024 * 1024
_MAGIC = b"graphgov-cache %d\n" % FORMAT
_INVENTORIES = "inventories"
_SUFFIX = ".entry"
_SWEPT = "swept"  # its modification time: when old inventories were last looked for
_HEX = frozenset("0123456789abcdef")
_OFF_VALUES = ("", "0", "false", "no", "off")
# the modules whose code shapes what an entry holds (with every loader): a changed one
# is a different graphgov, even before its version number changes
_CODE = (
    "cache.py",
    "dates.py",
    "display.py",
    "errors.py",
    "graph.py",
    "rdf.py",
    "records.py",
    "schema.py",
    "validation.py",
)


# the libraries whose reading shapes what an entry holds: a new release may read a file
# differently (a workbook's cells, a JSON-LD context), so it never meets an old entry
_LIBRARIES = (
    "pydantic",
    "PyYAML",
    "openpyxl",
    "defusedxml",
    "rdflib",
    "cyclonedx-python-lib",
    "jsonschema",
    "spdx-python-model",
)


@dataclass(frozen=True)
class FileResult:
    """What reading one file and checking its records gave: the reader's problems and
    the file's records as ``validation.check_records`` checked them."""

    problems: list[Problem]
    checked: list[Checked]


@dataclass(frozen=True)
class Slot:
    """Where the entry of one file goes: the file, the entry, its key (empty: the file
    cannot be hashed, so it is not cached) and the digest of the file it was made for."""

    file: Path
    entry: Path
    key: str
    content: str


@dataclass
class Stats:
    """What the cache did since the process started: files whose entry was used, files
    read (no entry, or one for other content or another graphgov), entries found
    damaged, entries written, and writes that failed."""

    hits: int = 0
    misses: int = 0
    damaged: int = 0
    stored: int = 0
    unwritable: int = 0


_STATS = Stats()


def stats() -> Stats:
    """A copy of the counts since the process started."""
    return replace(_STATS)


def cache_dir() -> Path:
    """Where the cache lives: ``$GRAPHGOV_CACHE_DIR``, else ``$XDG_CACHE_HOME/graphgov``,
    else ``~/.cache/graphgov``. Raises EnvironmentProblem when none can be found (no
    home folder)."""
    chosen = os.environ.get(DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative path is to be ignored
        return Path(xdg) / "graphgov"
    try:
        return Path.home() / ".cache" / "graphgov"
    except (RuntimeError, KeyError) as exc:
        raise EnvironmentProblem(
            f"no folder for the cache: no home folder is known; set {DIR_VARIABLE}"
        ) from exc


def enabled() -> bool:
    """Whether runs use the cache: yes, unless ``GRAPHGOV_NO_CACHE`` is set (to anything
    but 0, false, no or off)."""
    return os.environ.get(OFF_VARIABLE, "").strip().lower() in _OFF_VALUES


def clear() -> int:
    """Remove every entry of the cache; returns how many were removed. Only graphgov's
    own files are touched, whatever else the folder holds."""
    try:
        root = cache_dir() / _INVENTORIES
    except EnvironmentProblem:
        return 0
    removed = 0
    for folder in _folders(root):
        removed += _remove_entries(folder, keep=set(), leftovers=True)
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(OSError):
        root.rmdir()
    with contextlib.suppress(OSError):
        (root.parent / _SWEPT).unlink()
    return removed


class InventoryCache:
    """The entries of one inventory's files, for one run. ``lookup`` gives a file's
    result from its entry when there is a good one, ``keep`` writes a computed one (a
    ``payload``) and ``count`` notes what keeping did; ``close`` forgets the files that
    are gone once the whole inventory was read."""

    def __init__(self, folder: Path, inventory: Path, loader: str) -> None:
        self.base = folder
        self.folder = folder / _INVENTORIES / _digest(_text(inventory), loader)[:32]
        self.prefix = engine_key(loader)
        self.writable = True
        self.seen: set[str] = set()

    @classmethod
    def open(cls, inventory: Path, loader: str) -> InventoryCache | None:
        """The cache of the inventory at ``inventory`` read by ``loader``, or None when
        the cache is off or has no place."""
        if not enabled():
            return None
        try:
            return cls(cache_dir(), inventory.resolve(), loader)
        except (EnvironmentProblem, OSError, RuntimeError):
            return None

    def lookup(self, source: SourceFile, schema: Schema) -> tuple[FileResult | None, Slot]:
        """``source``'s result from its entry, or None and the slot ``keep`` then
        writes the computed result to."""
        name = _digest(source.relative)[:32]
        self.seen.add(name)
        path = self.folder / (name + _SUFFIX)
        content = _file_digest(source.path)
        if content is None:  # cannot be hashed: the reader says why, uncached
            _STATS.misses += 1
            return None, Slot(source.path, path, "", "")
        key = _digest(self.prefix, source.shown, source.relative, content)
        found = _read_entry(path, key, schema)
        if found is not None:
            _STATS.hits += 1
            return found, Slot(source.path, path, key, content)
        _STATS.misses += 1
        return None, Slot(source.path, path, key, content)

    def keep(self, slot: Slot, payload: bytes) -> bool | None:
        """Write a result (its ``payload``) as the entry of ``slot``: True when written,
        False when the cache cannot be written, None when it was not tried. It may run
        in a worker process (``graphgov.workers``): what it did is counted by ``count``,
        in the command's."""
        # kept only if the file did not change while it was read: else the entry would
        # tie this result to bytes it was not made from
        if not self.writable or not slot.key or _file_digest(slot.file) != slot.content:
            return None
        try:
            if not self.folder.is_dir():
                _private_folder(self.folder.parent)
                make_folder(self.folder)
            # not synced: an entry a crash cut short fails its digest and is made again
            write_file(slot.entry, _encode(slot.key, payload), durable=False)
        except (EnvironmentProblem, OSError):
            self.writable = False  # in this process: not tried again
            return False
        return True

    def count(self, kept: bool | None) -> None:
        """Note what ``keep`` did: a write that failed is not tried again in this run."""
        if kept:
            _STATS.stored += 1
        elif kept is False:
            self.writable = False
            _STATS.unwritable += 1

    def close(self) -> None:
        """After a whole inventory was read: remove the entries of files no longer in it,
        note that the inventory is in use, and now and then forget unused ones."""
        try:
            if time.time() - self.folder.stat().st_mtime > _DAY:
                os.utime(self.folder)
        except OSError:
            return  # nothing was ever written here, or it cannot be reached
        _remove_entries(self.folder, keep=self.seen)
        _sweep(self.base)


def _private_folder(folder: Path) -> None:
    """Create ``folder`` (its parents as usual) readable by its owner alone: entries
    hold the inventories' text, which may be no one else's business even where the
    cache's parent folder is open to all."""
    make_folder(folder.parent)
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create {folder}: {exc.strerror or exc}") from None


# -- keys --------------------------------------------------------------------------


def engine_key(part: str) -> str:
    """What every cached result depends on besides its own input: the entry format,
    graphgov's version, the ontology and reading code digests, Python and the reading
    libraries' versions, and ``part`` (the loader, or what else the caller keys on)."""
    return _digest(
        str(FORMAT),
        graphgov.__version__,
        ontology_digest(),
        code_digest(),
        sys.version,
        *_library_versions(),
        str(yaml.__with_libyaml__),
        part,
    )


def _library_versions() -> list[str]:
    """The installed version of each library that reads or checks inventory files."""
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return versions


@cache
def ontology_digest() -> str:
    """A digest of every file of the ontology (the schema, the catalogue, frameworks
    and crosswalks), names included."""
    return _tree_digest(resources.files(ONTOLOGY_PACKAGE))


@cache
def code_digest() -> str:
    """A digest of the code that reads files and checks their records: the loaders and
    the modules ``_CODE`` names."""
    engine = resources.files("graphgov")
    parts = [_tree_digest(resources.files("graphgov.loaders"))]
    for name in _CODE:
        try:
            parts.append(hashlib.sha256(engine.joinpath(name).read_bytes()).hexdigest())
        except OSError:
            parts.append("-")
    return _digest(*parts)


def _tree_digest(top: Traversable) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(_tree(top, "")):
        digest.update(b"%d:%s\0%d:" % (len(name), name.encode(), len(data)))
        digest.update(data)
    return digest.hexdigest()


def _tree(folder: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for item in folder.iterdir():
        name = prefix + item.name
        if item.name == "__pycache__" or item.name.endswith(".pyc"):
            continue
        if item.is_dir():
            yield from _tree(item, name + "/")
        elif item.is_file():
            yield name, item.read_bytes()


def _digest(*parts: str) -> str:
    return hashlib.sha256(b"\0".join(p.encode("utf-8", "surrogatepass") for p in parts)).hexdigest()


def _text(path: Path) -> str:
    return os.fsdecode(path)


def _file_digest(path: Path) -> str | None:
    """The sha256 of the file's bytes, or None when it cannot be read or is too large
    to be worth it."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                return None
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


# -- entries -----------------------------------------------------------------------


# A payload is (reader problems, groups); a group, the columns of one ``Checked``:
#   (file, source, label table, pair table,
#    ids, label numbers, lines, id lines, properties, dates,
#    references' ids, pair numbers, targets, lines,
#    problems)
# Labels and (label, field) pairs are numbers into the tables; a record's properties
# hold each date as its day number, and ``dates`` lists (record number, property) of
# each. Columns of plain values load fast and are checked in a few passes.
def payload(result: FileResult) -> bytes:
    """A file's result as an entry holds it (``decode`` gives it back): how a worker
    process hands its result over, too."""
    groups = [_columns(g) for g in result.checked]
    return marshal.dumps((_plain(result.problems), groups), 4)


def decode(data: bytes, schema: Schema) -> FileResult:
    """The result ``payload`` wrote, every value checked as an entry's are."""
    return _decode(marshal.loads(data), schema)


def _encode(key: str, payload: bytes) -> bytes:
    digest = hashlib.sha256(payload).hexdigest()
    return _MAGIC + b"%s\n%s %d\n" % (key.encode(), digest.encode(), len(payload)) + payload


def _columns(group: Checked) -> tuple[Any, ...]:
    label_table: dict[str, int] = {}
    pair_table: dict[tuple[str, str], int] = {}
    props: list[dict[str, Any] | None] = []
    dates: list[Any] = []
    for n, (_, _, _, _, values) in enumerate(group.records):
        if values is not None and any(type(v) is date for v in values.values()):
            plain: dict[str, Any] = dict(values)
            for k, v in values.items():
                if isinstance(v, date):
                    plain[k] = v.toordinal()
                    dates += (n, k)
            props.append(plain)
        else:
            props.append(values)
    records, references = group.records, group.references
    label_numbers = [label_table.setdefault(r[1], len(label_table)) for r in records]
    pair_numbers = [pair_table.setdefault(r[1], len(pair_table)) for r in references]
    return (
        group.file,
        group.source,
        list(label_table),
        list(pair_table),
        [r[0] for r in records],
        label_numbers,
        [r[2] for r in records],
        [r[3] for r in records],
        props,
        dates,
        [r[0] for r in references],
        pair_numbers,
        [r[2] for r in references],
        [r[3] for r in references],
        _plain(group.problems),
    )


def _plain(problems: list[Problem]) -> list[tuple[Any, ...]]:
    return [
        (p.file, p.line, p.field, p.reason, p.count)
        if isinstance(p, MoreProblems)
        else (p.file, p.line, p.field, p.reason)
        for p in problems
    ]


class _Damaged(Exception):
    """An entry that is not what graphgov writes."""


def _read_entry(path: Path, key: str, schema: Schema) -> FileResult | None:
    """The result an entry holds, or None when there is none for ``key``, or when it is
    damaged (then it is also removed, to be written anew)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        payload = _payload(data, key)
        if payload is None:
            return None  # another key: a changed file, another graphgov
        return decode(payload, schema)
    except (_Damaged, ValueError, TypeError, EOFError, OverflowError, KeyError, IndexError):
        _STATS.damaged += 1
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _payload(data: bytes, key: str) -> bytes | None:
    if not data.startswith(_MAGIC):
        raise _Damaged
    header_end = data.find(b"\n", len(_MAGIC))
    sums_end = data.find(b"\n", header_end + 1)
    if header_end < 0 or sums_end < 0:
        raise _Damaged
    if data[len(_MAGIC) : header_end] != key.encode():
        return None
    digest, _, length = data[header_end + 1 : sums_end].partition(b" ")
    payload = data[sums_end + 1 :]
    if not length.isdigit() or int(length) != len(payload):
        raise _Damaged
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        raise _Damaged
    return payload


_NONE = type(None)
_SCALARS = frozenset({str, bool, int, float})


def _decode(payload: Any, schema: Schema) -> FileResult:
    """The entry's payload as a result, every value checked to be of the type the
    pipeline expects (raising _Damaged, TypeError or ValueError when one is not)."""
    problems, groups = _tuple(payload, 2)
    return FileResult(_problems(problems), [_group(g, schema) for g in _list(groups)])


def _group(value: Any, schema: Schema) -> Checked:
    (
        file,
        source,
        label_table,
        pair_table,
        ids,
        label_numbers,
        lines,
        id_lines,
        props,
        dates,
        heres,
        pair_numbers,
        targets,
        reference_lines,
        problems,
    ) = _tuple(value, 15)
    _str(file, source)
    per_record: list[Any] = [ids, label_numbers, lines, id_lines, props]
    per_reference: list[Any] = [heres, pair_numbers, targets, reference_lines]
    for column in (label_table, pair_table, dates, *per_record, *per_reference):
        _list(column)
    if len({len(c) for c in per_record}) != 1 or len({len(c) for c in per_reference}) != 1:
        raise _Damaged
    # each column holds values of the types it should, checked in one pass each
    _texts(ids, targets)
    _integers(id_lines, reference_lines)
    _types(lines, {int, _NONE})
    _types(heres, {str, _NONE})
    if any(label not in schema.labels for label in label_table):
        raise _Damaged
    pairs: list[tuple[str, str]] = pair_table
    if not all(_is_reference(schema, pair) for pair in pairs):
        raise _Damaged
    labels = map(label_table.__getitem__, _numbers(label_numbers, len(label_table)))
    records = zip(ids, labels, lines, id_lines, _properties(props, dates), strict=True)
    pair_of = map(pairs.__getitem__, _numbers(pair_numbers, len(pairs)))
    references = zip(heres, pair_of, targets, reference_lines, strict=True)
    return Checked(file, source, list(records), list(references), _problems(problems))


def _properties(props: list[Any], dates: list[Any]) -> list[dict[str, Value] | None]:
    _types(props, {dict, _NONE})
    present = [p for p in props if p is not None]
    _types(itertools.chain.from_iterable(present), {str})
    _types(itertools.chain.from_iterable(map(dict.values, present)), _SCALARS)
    if len(dates) % 2:
        raise _Damaged
    numbers, names = _numbers(dates[::2], len(props)), dates[1::2]
    owners = list(map(props.__getitem__, numbers))  # each a dict: a None raises below
    days = list(map(dict.__getitem__, owners, names))
    _integers(days)
    # in C, with no loop in Python: the dates of a million records are many
    collections.deque(map(dict.__setitem__, owners, names, map(date.fromordinal, days)), 0)
    return props


def _numbers(numbers: list[Any], size: int) -> list[int]:
    """``numbers``, each a number into a table of ``size``."""
    _integers(numbers)
    if numbers and (min(numbers) < 0 or max(numbers) >= size):
        raise _Damaged
    return numbers


def _types(values: Iterable[Any], allowed: Collection[type]) -> None:
    if not set(map(type, values)) <= set(allowed):
        raise _Damaged


def _texts(*columns: list[Any]) -> None:
    """Raises TypeError unless every value of ``columns`` is text (joined in C)."""
    for column in columns:
        "".join(column)


def _integers(*columns: list[Any]) -> None:
    """Raises TypeError (or OverflowError) unless every value of ``columns`` is a whole
    number (packed in C)."""
    for column in columns:
        array.array("q", column)


def _is_reference(schema: Schema, pair: Any) -> bool:
    """Whether ``pair`` is a (label, field) of one of the schema's reference fields (an
    unhashable part raises TypeError, a damaged entry's)."""
    if type(pair) is not tuple or len(pair) != 2:
        return False
    spec = schema.labels.get(pair[0])
    return spec is not None and pair[1] in spec.references


def _problems(value: Any) -> list[Problem]:
    out: list[Problem] = []
    for item in _list(value):
        if type(item) is not tuple or len(item) not in (4, 5):
            raise _Damaged
        file, line, name, reason = item[:4]
        _str(file, reason)
        if (line is not None and type(line) is not int) or (
            name is not None and type(name) is not str
        ):
            raise _Damaged
        if len(item) == 5:
            if type(item[4]) is not int:
                raise _Damaged
            out.append(MoreProblems(file, line, name, reason, item[4]))
        else:
            out.append(Problem(file, line, name, reason))
    return out


def _tuple(value: Any, size: int) -> tuple[Any, ...]:
    if type(value) is not tuple or len(value) != size:
        raise _Damaged
    return value


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _Damaged
    return value


def _str(*values: Any) -> None:
    if any(type(v) is not str for v in values):
        raise _Damaged


# -- keeping it small --------------------------------------------------------------


def _folders(root: Path) -> list[Path]:
    """The inventory folders under ``root`` (only names graphgov gives them)."""
    try:
        with os.scandir(root) as listing:
            return [
                Path(e.path)
                for e in listing
                if len(e.name) == 32 and set(e.name) <= _HEX and e.is_dir(follow_symlinks=False)
            ]
    except OSError:
        return []


def _remove_entries(folder: Path, keep: set[str], leftovers: bool = False) -> int:
    """Remove the entries in ``folder`` but ``keep`` (and, with ``leftovers``, the
    temporary files of writes that were interrupted, or are under way)."""
    removed = 0
    try:
        with os.scandir(folder) as listing:
            names = [e.name for e in listing]
    except OSError:
        return 0
    for name in names:
        stem = name[: -len(_SUFFIX)]
        ours = name.endswith(_SUFFIX) and len(stem) == 32 and set(stem) <= _HEX
        leftover = leftovers and name.startswith(".") and name.endswith(".tmp") and _SUFFIX in name
        if (ours and stem not in keep) or leftover:
            try:
                os.unlink(folder / name)
            except OSError:
                continue
            removed += ours
    return removed


def _sweep(base: Path) -> None:
    """At most once a day: forget the inventories not read for MAX_AGE."""
    marker = base / _SWEPT
    now = time.time()
    try:
        if now - marker.stat().st_mtime < _DAY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    for folder in _folders(base / _INVENTORIES):
        try:
            old = now - folder.stat().st_mtime > MAX_AGE
        except OSError:
            continue
        if old:
            _remove_entries(folder, keep=set(), leftovers=True)
            with contextlib.suppress(OSError):
                folder.rmdir()
    with contextlib.suppress(EnvironmentProblem, OSError):
        write_file(marker, b"", durable=False)
