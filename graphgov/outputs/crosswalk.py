"""A crosswalk between two frameworks, reviewable: CSV, Markdown, JSON, and SSSOM's
TSV (the Simple Standard for Sharing Ontological Mappings) with the OLIR relationship
as its predicate. Each row says why, and where the row was written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphgov.display import printable
from graphgov.frameworks import CrosswalkMapping, Frameworks
from graphgov.outputs.cells import json_text
from graphgov.outputs.data import csv_table
from graphgov.outputs.markdown import markdown_table

COLUMNS = ("from", "from_name", "relationship", "to", "to_name", "rationale", "source")
SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "comment",
)


@dataclass(frozen=True)
class Crosswalk:
    """The mappings from one framework to another, each turned to read from ``source``."""

    source: str
    target: str
    mappings: tuple[CrosswalkMapping, ...]
    frameworks: Frameworks

    def rows(self) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for m in self.mappings:
            start = self.frameworks.requirement(m.source)
            end = self.frameworks.requirement(m.target)
            out.append(
                (
                    m.source,
                    start.name if start else "",
                    m.relationship,
                    m.target,
                    end.name if end else "",
                    m.rationale,
                    f"{m.origin.file}:{m.origin.line}",
                )
            )
        return out


def crosswalk(frameworks: Frameworks, source: str, target: str) -> Crosswalk:
    """Every mapping between ``source`` and ``target`` (in either file direction), read
    from ``source``, in the source framework's order."""
    order = {ref: i for i, ref in enumerate(_refs(frameworks, source))}
    rows = [m for ref in order for m in frameworks.mapped(ref, target)]
    rows.sort(key=lambda m: (order[m.source], m.target))
    return Crosswalk(source, target, tuple(rows), frameworks)


def _refs(frameworks: Frameworks, framework: str) -> Sequence[str]:
    return [r.ref for r in frameworks.frameworks[framework].requirements.values()]


def crosswalk_csv(walk: Crosswalk) -> str:
    return csv_table(COLUMNS, walk.rows())


def crosswalk_markdown(walk: Crosswalk) -> str:
    head = f"## Crosswalk: {walk.source} to {walk.target} ({len(walk.mappings)} mappings)\n\n"
    return head + markdown_table(COLUMNS, walk.rows())


def crosswalk_json(walk: Crosswalk) -> str:
    data = {
        "from": walk.source,
        "to": walk.target,
        "mappings": [dict(zip(COLUMNS, row, strict=True)) for row in walk.rows()],
    }
    return json_text(data)


def crosswalk_sssom(walk: Crosswalk) -> str:
    """SSSOM TSV: a metadata block of '#' lines, then one mapping a row."""
    lines = [
        "# mapping_set_id: graphgov:crosswalk/" + f"{walk.source}--{walk.target}",
        "# mapping_set_description: OLIR (NIST IR 8477) relationships as predicates",
        "# curie_map:",
        f"#   {walk.source}: graphgov:{walk.source}:",
        f"#   {walk.target}: graphgov:{walk.target}:",
        "#   olir: https://csrc.nist.gov/projects/olir#",
        "\t".join(SSSOM_COLUMNS),
    ]
    for source, source_name, relationship, target, target_name, rationale, _where in walk.rows():
        cells = (
            source,
            source_name,
            f"olir:{relationship}",
            target,
            target_name,
            "semapv:ManualMappingCuration",
            rationale,
        )
        lines.append("\t".join(_tsv(c) for c in cells))
    return "\n".join(lines) + "\n"


def _tsv(text: str) -> str:
    # TSV has no quoting: a tab or line break inside a cell would split it, so they and
    # every control or invisible character are written as visible escapes
    return printable(text, one_line=True)


CROSSWALK_FORMATS = {
    "csv": crosswalk_csv,
    "markdown": crosswalk_markdown,
    "json": crosswalk_json,
    "sssom": crosswalk_sssom,
}
