"""The peer graphgov is measured against: ladybug, an embedded Cypher engine, loaded the
fastest way it has, bulk ``COPY <table> FROM '<csv>'``, with the same graph graphgov
validated. Its tables are graphgov's own (``embedded_cypher.ddl``, from the ontology),
so the pack's Cypher runs on it unchanged."""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphgov.export import csv_cell
from graphgov.graph import GraphBatch, Relationship, Value
from graphgov.load_statements import node_row
from graphgov.schema import Schema
from graphgov.store.embedded_cypher import EmbeddedCypher


@dataclass(frozen=True)
class CopyJob:
    """One COPY statement: a CSV file for a node table, or for one (FROM, TO) pair of a
    relationship table."""

    table: str
    path: Path
    rows: int
    pair: tuple[str, str] | None = None
    # ladybug's parallel CSV reader refuses quoted newlines; only such files go serial
    multiline: bool = False

    @property
    def statement(self) -> str:
        # the dialect spelt out: ladybug otherwise sniffs it from the first rows, and a
        # file whose first rows hold no quoted field is then read with no quoting at all
        options = ["header=true", "delim=','", "quote='\"'", "escape='\"'", "auto_detect=false"]
        if self.pair is not None:
            options[:0] = [f"from='{self.pair[0]}'", f"to='{self.pair[1]}'"]
        if self.multiline:
            options.append("parallel=false")
        return f"COPY {self.table} FROM '{self.path}' ({', '.join(options)})"


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> tuple[int, bool]:
    count, multiline = 0, False
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            multiline = multiline or any("\n" in c or "\r" in c for c in row)
            writer.writerow(row)
            count += 1
    return count, multiline


def write_csvs(schema: Schema, batch: GraphBatch, folder: Path) -> list[CopyJob]:
    """One CSV per node table and per (relationship table, FROM, TO) pair, in the order
    they must be copied (nodes first). Relationships are kept once per (type, start,
    end), as graphgov's stores keep them."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs: list[CopyJob] = []
    labels: dict[str, str] = {}
    by_label: dict[str, list[list[str]]] = defaultdict(list)
    for node in batch.nodes:
        labels[node.id] = node.label
        row = node_row(schema, node)
        columns = schema.labels[node.label].properties
        by_label[node.label].append([csv_cell(row.get(c)) for c in columns])
    for label in sorted(by_label):
        path = folder / f"node-{label}.csv"
        count, multiline = _write(path, list(schema.labels[label].properties), by_label[label])
        jobs.append(CopyJob(label, path, count, multiline=multiline))
    seen: set[tuple[str, str, str]] = set()
    by_pair: dict[tuple[str, str, str], list[list[str]]] = defaultdict(list)
    for rel in batch.relationships:
        if (rel.type, rel.start, rel.end) in seen:
            continue
        seen.add((rel.type, rel.start, rel.end))
        by_pair[(rel.type, labels[rel.start], labels[rel.end])].append(_rel_row(schema, rel))
    header = ["from", "to", *(p.name for p in schema.provenance)]
    for rel_type, start, end in sorted(by_pair):
        path = folder / f"rel-{rel_type}-{start}-{end}.csv"
        count, multiline = _write(path, header, by_pair[(rel_type, start, end)])
        jobs.append(CopyJob(rel_type, path, count, (start, end), multiline))
    return jobs


def _rel_row(schema: Schema, rel: Relationship) -> list[str]:
    provenance: dict[str, Value | None] = {
        "source_file": rel.source.file,
        "source_line": rel.source.line,
    }
    return [rel.start, rel.end, *(csv_cell(provenance.get(p.name)) for p in schema.provenance)]


class Peer(EmbeddedCypher):
    """A ladybug database with graphgov's tables, filled by COPY; the runner calls
    ``execute`` as it calls a store, and always gets the Cypher's rows."""

    timeout: float | None = None

    def copy(self, jobs: Iterable[CopyJob]) -> float:
        """Run every COPY; the seconds they took together."""
        start = time.perf_counter()
        for job in jobs:
            self.conn.execute(job.statement)
        return time.perf_counter() - start

    def count(self, text: str) -> int:
        (row,) = self.run(text, {}).rows
        return int(row[0])

    def execute(
        self, cypher: str, twin: object, parameters: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        return self.run(cypher, parameters, timeout=self.timeout).records()
