"""Hypothesis strategies for inventories, derived from the schema registry: any label,
property or relationship added to the ontology is generated without touching this file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from graphgov.pipeline import catalogue
from graphgov.schema import LabelSpec, PropertySpec, load_schema
from graphgov.validation import id_problem

CATALOGUE_IDS = {n.id for n in catalogue().nodes}
CATALOGUE_BY_LABEL: dict[str, list[str]] = {}
for _node in catalogue().nodes:
    CATALOGUE_BY_LABEL.setdefault(_node.label, []).append(_node.id)


@dataclass
class GeneratedRecord:
    spec: LabelSpec
    id: str
    properties: dict[str, Any]
    references: dict[str, list[str]] = field(default_factory=dict)


def _text() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=40).filter(lambda s: s == s.strip() and s != "")


def _ids() -> st.SearchStrategy[str]:
    return st.one_of(
        st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
        _text(),
    ).filter(lambda s: id_problem(s) is None and s not in CATALOGUE_IDS)


def _value(prop: PropertySpec) -> st.SearchStrategy[Any]:
    if prop.allowed:
        return st.sampled_from(prop.allowed)
    return {
        "boolean": st.booleans(),
        "integer": st.integers(-(10**6), 10**6),
        "decimal": st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        "date": st.dates(date(1990, 1, 1), date(2060, 12, 31)),
        "string": _text(),
    }[prop.datatype]


@st.composite
def inventories(draw: st.DrawFn, max_records: int = 10) -> list[GeneratedRecord]:
    """A valid inventory: unique ids, every required property and relationship,
    references only to records of the labels the ontology allows, as many as it allows
    (one end per start, one start per end where it says so)."""
    schema = load_schema()
    labels = [s for s in schema.labels.values() if not s.catalogue]
    ids = draw(st.lists(_ids(), min_size=1, max_size=max_records, unique=True))
    records: list[GeneratedRecord] = []
    for ident in ids:
        spec = draw(st.sampled_from(labels))
        if spec.name == "Organization" and any(r.spec.name == "Organization" for r in records):
            continue
        props = {}
        for prop in spec.writable:
            if prop.name == "id":
                continue
            if prop.required or draw(st.booleans()):
                props[prop.name] = draw(_value(prop))
        records.append(GeneratedRecord(spec, ident, props))
    taken: set[tuple[str, str]] = set()  # (type, end) of one-start-per-end types
    for record in records:
        for name, f in record.spec.fields.items():
            rel = f.relation
            if rel is None or f.inverse or not (rel.required or draw(st.booleans())):
                continue
            targets = [r.id for r in records if r.spec.name in rel.ends]
            if rel.required:  # catalogue records count: a decision decides an Annex A control
                targets += [i for label in rel.ends for i in CATALOGUE_BY_LABEL.get(label, [])]
            if rel.one_start:
                targets = [i for i in targets if (rel.type, i) not in taken]
            if not targets:
                continue
            chosen = draw(
                st.lists(
                    st.sampled_from(targets),
                    min_size=1,
                    max_size=1 if rel.one_end else 3,
                    unique=True,
                )
            )
            taken.update((rel.type, i) for i in chosen)
            record.references[name] = chosen
    # a record that must write a relationship it cannot (nothing left to refer to) is
    # left out, with every reference to it
    dropped = {
        r.id
        for r in records
        for name, f in r.spec.fields.items()
        if f.relation is not None
        and f.relation.required
        and not f.inverse
        and name not in r.references
    }
    kept = [r for r in records if r.id not in dropped]
    for r in kept:
        for name in list(r.references):
            r.references[name] = [i for i in r.references[name] if i not in dropped]
            if not r.references[name]:
                del r.references[name]
    return kept


def expected_graph(
    records: list[GeneratedRecord],
) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    nodes = {r.id: (r.spec.name, {"id": r.id, **r.properties}) for r in records}
    rels = {
        (r.spec.fields[name].relation.type, r.id, target)  # type: ignore[union-attr]
        for r in records
        for name, targets in r.references.items()
        for target in targets
    }
    return nodes, rels


def write(records: list[GeneratedRecord], root: Path, as_csv: set[str]) -> dict[str, str]:
    """Write records to ``root``: kinds in ``as_csv`` to <plural>.csv, the rest to one
    YAML file. Returns where each id was written."""
    root.mkdir(parents=True, exist_ok=True)
    where = {}
    yaml_records = []
    by_kind: dict[str, list[GeneratedRecord]] = {}
    for r in records:
        if r.spec.kind in as_csv:
            by_kind.setdefault(r.spec.kind, []).append(r)
            where[r.id] = f"{r.spec.plural}.csv"
        else:
            yaml_records.append(
                {
                    "kind": r.spec.kind,
                    "id": r.id,
                    **{k: _yaml_value(v) for k, v in r.properties.items()},
                    **r.references,
                }
            )
            where[r.id] = "records.yaml"
    if yaml_records:
        (root / "records.yaml").write_text(
            # Double-quoted scalars: PyYAML's emitter writes U+0085 and U+2028 raw in plain
            # scalars, where any YAML 1.1 reader folds them into spaces.
            yaml.safe_dump(yaml_records, allow_unicode=True, sort_keys=False, default_style='"'),
            encoding="utf-8",
        )
    for rows in by_kind.values():
        spec = rows[0].spec
        columns = [
            "id",
            *[f for f in spec.fields if any(f in r.properties or f in r.references for r in rows)],
        ]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for r in rows:
            cells = {
                "id": r.id,
                **{k: _csv_value(v) for k, v in r.properties.items()},
                **{k: ";".join(v) for k, v in r.references.items()},
            }
            writer.writerow([cells.get(c, "") for c in columns])
        (root / f"{spec.plural}.csv").write_text(out.getvalue(), encoding="utf-8", newline="")
    return where


def _yaml_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
