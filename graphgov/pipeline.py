"""The load pipeline: read a source with a loader, validate it completely against the
ontology, then add it to a store in one step. Nothing touches the store until the
whole input is known to be valid."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import cast

from graphgov.display import path_text
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch, Source
from graphgov.records import RawRecord
from graphgov.schema import (
    CATALOGUE_FILE,
    CATALOGUE_ORIGIN,
    CATALOGUE_SOURCE,
    ONTOLOGY_PACKAGE,
    Schema,
    load_schema,
)
from graphgov.store.base import GraphStore
from graphgov.validation import build_batch

# a loader reads a source against a schema (None: the shipped one) into raw records
Loader = Callable[[Path, Schema | None], tuple[list[RawRecord], list[Problem]]]


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
    path: Path, loader: str = "inventory", name: str | None = None, schema: Schema | None = None
) -> GraphBatch:
    """The validated inventory at ``path`` (without the catalogue), named ``name`` (by
    default its folder's name), read and validated against ``schema`` (default: the
    shipped ontology's). Raises InvalidInputError listing every problem."""
    schema = schema or load_schema()
    records, problems = loaders()[loader](path, schema)
    origin = path_text(name or path.resolve().name)
    omitted = 0
    try:
        batch = build_batch(records, known=catalogue().nodes, origin=origin, schema=schema)
    except InvalidInputError as exc:
        problems = problems + list(exc.problems)
        omitted = exc.omitted
        batch = GraphBatch()
    if problems:
        raise InvalidInputError(problems, omitted=omitted)
    return batch


def load(
    path: Path, store: GraphStore, loader: str = "inventory", name: str | None = None
) -> GraphBatch:
    """Validate the inventory at ``path`` completely, then add it to ``store`` (after the
    catalogue, if the store lacks it). Returns the inventory as loaded."""
    return add(read(path, loader, name), store)


def add(batch: GraphBatch, store: GraphStore) -> GraphBatch:
    """Add an already validated inventory to ``store``, with the catalogue if the store
    lacks it."""
    if not _has_catalogue(store):
        store.add(catalogue())
    store.add(batch)
    return batch


def _has_catalogue(store: GraphStore) -> bool:
    first = catalogue().nodes[0]
    return store.has(first.id)
