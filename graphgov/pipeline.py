"""The load pipeline: read a source with a loader, validate it completely against the
ontology, then add it to a store in one step. Nothing touches the store until the
whole input is known to be valid.

A loader that reads its source file by file (the inventory's) lets the pipeline keep
what it made of each file in ``graphgov.cache``, so a later run reads and checks only
the files that changed, and joins them with the rest as a cold run would."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast

from graphgov import workers
from graphgov.cache import FileResult, InventoryCache, Slot, decode, payload
from graphgov.display import path_text
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch, Source, collector_paused
from graphgov.records import RawRecord, SourceFile
from graphgov.schema import (
    CATALOGUE_FILE,
    CATALOGUE_ORIGIN,
    CATALOGUE_SOURCE,
    ONTOLOGY_PACKAGE,
    Schema,
    load_schema,
)
from graphgov.store.base import GraphStore
from graphgov.validation import Checked, build_batch, check_records, combine

if TYPE_CHECKING:
    from graphgov.versions import Version

# files read by worker processes once they add up to this many bytes (graphgov.workers)
PARALLEL_BYTES = 1 << 20
# a loader reads a source against a schema (None: the shipped one) into raw records
Loader = Callable[[Path, Schema | None], tuple[list[RawRecord], list[Problem]]]
# a loader that reads file by file also lists its files (``Loader.files``)
FileLister = Callable[[Path, Schema | None], tuple[list[SourceFile], list[Problem]]]


def loaders() -> dict[str, Loader]:
    """The registered loaders by name (from the graphgov.loaders package)."""
    module = importlib.import_module("graphgov.loaders")
    return cast(dict[str, Loader], module.LOADERS)


@cache
def catalogue() -> GraphBatch:
    """The catalogue every store holds before an inventory, as one batch (read once):
    ISO/IEC 42001's (``home_catalogue()``), then the requirements of the other shipped
    frameworks and the crosswalks from ISO/IEC 42001 to them (``frameworks.graph_batch``).
    One batch, because a shared store replaces what an earlier load under the same
    name wrote. A user's --framework-dir frameworks do not enter the graph."""
    # frameworks reads its files through this module's loaders, hence the late import
    from graphgov.frameworks import graph_batch, load_frameworks

    home = home_catalogue()
    return home + graph_batch(load_frameworks(), home)


@cache
def home_catalogue() -> GraphBatch:
    """The ISO/IEC 42001 catalogue alone as nodes and relationships (read once)."""
    traversable = resources.files(ONTOLOGY_PACKAGE).joinpath(CATALOGUE_FILE)
    with resources.as_file(traversable) as path:
        records, problems = loaders()["inventory"](path, None)
    records = [_as_catalogue(r) for r in records]
    if problems:
        raise InvalidInputError(problems)
    return build_batch(records, catalogue=True, origin=CATALOGUE_ORIGIN)


def _as_catalogue(record: RawRecord) -> RawRecord:
    return RawRecord(record.file, Source(CATALOGUE_SOURCE, record.source.line), record.fields)


def read(
    path: Path,
    loader: str = "inventory",
    name: str | None = None,
    schema: Schema | None = None,
    *,
    cache: bool = True,
) -> GraphBatch:
    """The validated inventory at ``path`` (without the catalogue), named ``name`` (by
    default its folder's name), read and validated against ``schema`` (default: the
    shipped ontology's). Raises InvalidInputError listing every problem.

    What an earlier run made of each unchanged file is reused (``graphgov.cache``), and
    the result is the same as without it; ``cache=False`` (or GRAPHGOV_NO_CACHE=1)
    reads every file anew, and so does a custom ``schema``."""
    shipped = load_schema()
    schema = schema or shipped
    origin = path_text(name or path.resolve().name)
    # the batch is kept (by a store, or by diff and history while they compare)
    with collector_paused(keep=True):
        problems, checked, unread = _read(path, loader, schema, cache and schema is shipped)
        omitted = 0
        try:
            batch = combine(
                checked, known=catalogue().nodes, origin=origin, schema=schema, unread=unread
            )
        except InvalidInputError as exc:
            problems = problems + list(exc.problems)
            omitted = exc.omitted
            batch = GraphBatch()
    if problems:
        raise InvalidInputError(problems, omitted=omitted)
    return batch


def _read(
    path: Path, loader: str, schema: Schema, cached: bool
) -> tuple[list[Problem], list[Checked], list[str]]:
    """The problems found reading ``path``, its records checked file by file (from the
    cache for the files it holds when ``cached``), and the files refused whole."""
    reader = loaders()[loader]
    files: FileLister | None = getattr(reader, "files", None)
    if files is None:
        records, problems = reader(path, schema)
        return problems, check_records(records, schema=schema), []
    sources, problems = files(path, schema)
    store = InventoryCache.open(path, loader) if cached else None
    # the files with a good entry, then the others read and checked, by worker
    # processes when they are many (each file on its own, so in any order)
    found: list[FileResult | None] = []
    pending: list[tuple[SourceFile, Slot | None]] = []
    for source in sources:
        result, slot = (None, None) if store is None else store.lookup(source, schema)
        found.append(result)
        if result is None:
            pending.append((source, slot))
    work = partial(_read_and_keep, schema, store)
    computed = iter(workers.spread(work, pending, worth=_worth(s for s, _ in pending)))
    checked: list[Checked] = []
    unread: list[str] = []
    for source, result in zip(sources, found, strict=True):
        if result is None:
            data, kept = next(computed)
            result = decode(data, schema)  # as a warm run reads the entry
            if store is not None:
                store.count(kept)
        problems.extend(result.problems)
        checked.extend(result.checked)
        if result.problems and not result.checked:
            unread.append(source.shown)
    if store is not None:
        store.close()
    return problems, checked, unread


def _read_and_keep(
    schema: Schema, store: InventoryCache | None, item: tuple[SourceFile, Slot | None]
) -> tuple[bytes, bool | None]:
    """One file read and checked, and kept in the cache (in a worker process, maybe):
    its result as a cache entry holds it, and what keeping it did
    (``InventoryCache.keep``). An entry's bytes, not objects, come back from a worker:
    they cross the pipe at once, and the command's process reads them as a warm run
    reads the entry (pickled objects left the command's heap 250 MB larger at L)."""
    source, slot = item
    data = payload(_read_file(source, schema))
    kept = None if store is None or slot is None else store.keep(slot, data)
    return data, kept


def _worth(sources: Iterable[SourceFile]) -> bool:
    """Whether reading these files pays for starting worker processes: a few hundred
    kilobytes take less time than forking does."""
    total = 0
    for source in sources:
        with contextlib.suppress(OSError):
            total += source.path.stat().st_size
        if total >= PARALLEL_BYTES:
            return True
    return False


def _read_file(source: SourceFile, schema: Schema) -> FileResult:
    records, problems = source.read(schema)
    return FileResult(problems, check_records(records, schema=schema))


def read_version(version: Version) -> GraphBatch:
    """The inventory of one version (``graphgov.versions.checkout``), read and
    validated. Raises InvalidInputError with every problem named by the version as the
    user gave it (``main:acme/systems/x.yaml:6``), not by the temporary folder a
    revision is read into. A revision's folder is read once: it is not cached."""
    try:
        return read(version.path, cache=version.revision is None)
    except InvalidInputError as exc:
        base = path_text(version.path)
        named = version.shown.rstrip("/")
        problems = []
        for p in exc.problems:
            if p.file == base:
                p = replace(p, file=version.shown)
            elif p.file.startswith(base + os.sep):
                p = replace(p, file=f"{named}/{p.file[len(base) + 1 :]}")
            # a reason may name another place in the version ("already used by ... at")
            p = replace(p, reason=p.reason.replace(base + os.sep, named + "/"))
            problems.append(p)
        raise InvalidInputError(problems, exc.omitted) from None


def load(
    path: Path,
    store: GraphStore,
    loader: str = "inventory",
    name: str | None = None,
    *,
    cache: bool = True,
) -> GraphBatch:
    """Validate the inventory at ``path`` completely, then add it to ``store`` (after the
    catalogue, if the store lacks it). Returns the inventory as loaded. ``cache`` as for
    ``read``."""
    return add(read(path, loader, name, cache=cache), store)


def add(batch: GraphBatch, store: GraphStore) -> GraphBatch:
    """Add an already validated inventory to ``store``, with the catalogue if the store
    lacks it. The graph is kept out of the cycle collector's sight afterwards
    (``collector_paused(keep=True)``): a collection that walked its millions of objects
    whenever a query allocated would free none of them (at a million nodes, it made the
    slowest queries several times slower)."""
    with collector_paused(keep=True):  # adding keeps every object too, as reading does
        if not _has_catalogue(store):
            store.add(catalogue())
        store.add(batch)
    return batch


def _has_catalogue(store: GraphStore) -> bool:
    first = catalogue().nodes[0]
    return store.has(first.id)
