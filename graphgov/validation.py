"""Whole-inventory validation: turns raw records into a graph batch, or reports every
problem at once (kinds, ids, properties, references and the labels they may join)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphgov.display import did_you_mean, printable, quoted
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch, Node, Relationship, Source
from graphgov.records import RawRecord, RawValue, validate_properties
from graphgov.schema import LabelSpec, RelationSpec, Schema, load_schema

MAX_ID = 200
LIST_SEPARATOR = ";"  # separates ids in one CSV cell
SINGLETONS = ("Organization",)


@dataclass(frozen=True)
class _Reference:
    record: RawRecord
    field: str
    relation: RelationSpec
    inverse: bool
    target: str
    line: int


def build_batch(
    records: Iterable[RawRecord],
    *,
    known: Iterable[Node] = (),
    catalogue: bool = False,
    origin: str = "",
    schema: Schema | None = None,
) -> GraphBatch:
    """Validate ``records`` against the schema and return them as nodes and relationships.

    ``known`` are nodes already in the graph (the catalogue) that records may refer to.
    ``catalogue`` allows catalogue kinds, which user inventories may not define.
    Raises InvalidInputError with every problem found; returns only when there is none.
    """
    schema = schema or load_schema()
    problems: list[Problem] = []
    nodes: dict[str, Node] = {}
    where: dict[str, str] = {n.id: f"the ISO/IEC 42001 catalogue ({n.label})" for n in known}
    labels: dict[str, str] = {n.id: n.label for n in known}
    references: list[_Reference] = []
    origins: dict[str, RawRecord] = {}

    for record in records:
        spec = _kind(record, schema, catalogue, problems)
        ident = _identifier(record, problems)
        texts: dict[str, str] = {}
        for name, value in record.fields.items():
            if name in ("kind", "id") or spec is None:
                continue
            field = spec.fields.get(name)
            if field is None:
                problems.append(
                    record.problem(name, _unknown_field(name, spec, schema), value.line)
                )
            elif field.relation is not None:
                for target, line in _targets(record, name, value, problems):
                    references.append(
                        _Reference(record, name, field.relation, field.inverse, target, line)
                    )
            elif value.items is not None or value.nested:
                problems.append(
                    record.problem(name, "must be a single value, not a list", value.line)
                )
            elif value.text is not None:
                texts[name] = value.text
        if spec is None or ident is None:
            continue
        problems.extend(_missing_relations(record, spec, schema))
        values, found = validate_properties(spec, record, {"id": ident, **texts})
        problems.extend(found)
        if ident in where:
            problems.append(
                record.problem(
                    "id",
                    f"duplicate id {ident!r}: already used by {where[ident]}",
                    record.fields["id"].line,
                )
            )
            continue
        where[ident] = f"the {spec.kind} at {record.file}:{record.line}"
        labels[ident] = spec.name
        if not found:
            nodes[ident] = Node(spec.name, ident, values, record.source)
            origins[ident] = record

    problems.extend(_singletons(nodes.values(), origins, schema))
    relationships = _relationships(references, labels, schema, problems)
    if problems:
        raise InvalidInputError(problems)
    return GraphBatch(tuple(nodes.values()), tuple(relationships), origin)


def _kind(
    record: RawRecord, schema: Schema, catalogue: bool, problems: list[Problem]
) -> LabelSpec | None:
    raw = record.fields.get("kind")
    if raw is None or raw.text is None:
        kinds = schema.kinds(catalogue=None if catalogue else False)
        problems.append(
            record.problem("kind", "every record needs a kind, one of: " + ", ".join(kinds))
        )
        return None
    spec = schema.by_kind(raw.text)
    if spec is not None and spec.catalogue and not catalogue:
        problems.append(
            record.problem(
                "kind",
                f"{spec.title} records come from the ISO/IEC 42001 catalogue shipped with "
                "graphgov; refer to them by id instead of defining them",
                raw.line,
            )
        )
        return None
    if spec is None:
        kinds = schema.kinds(catalogue=None if catalogue else False)
        problems.append(
            record.problem(
                "kind",
                f"unknown kind {raw.text!r}{did_you_mean(raw.text, kinds)}; "
                f"kinds are: {', '.join(kinds)}",
                raw.line,
            )
        )
    return spec


def _identifier(record: RawRecord, problems: list[Problem]) -> str | None:
    raw = record.fields.get("id")
    if raw is None or raw.blank:
        problems.append(record.problem("id", "every record needs an id, unique in the inventory"))
        return None
    if raw.text is None:
        problems.append(record.problem("id", "must be a single value, not a list", raw.line))
        return None
    reason = id_problem(raw.text)
    if reason:
        problems.append(record.problem("id", reason, raw.line))
        return None
    return raw.text


def id_problem(text: str) -> str | None:
    """Why ``text`` cannot be an id, or None when it can."""
    if text != text.strip():
        return f"must not start or end with spaces (got {quoted(text[:MAX_ID])})"
    if len(text) > MAX_ID:
        return f"is longer than {MAX_ID} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "must not contain control characters such as tabs or line breaks"
    if printable(text) != text:
        return "must not contain invisible characters (such as direction marks) that hide its text"
    if LIST_SEPARATOR in text:
        return f"must not contain {LIST_SEPARATOR!r}, which separates ids in CSV cells"
    return None


def _targets(
    record: RawRecord, name: str, value: RawValue, problems: list[Problem]
) -> list[tuple[str, int]]:
    items = value.items if value.items is not None else (value,)
    out = []
    for item in items:
        if item.nested or item.items is not None:
            problems.append(record.problem(name, "must be an id or a list of ids", item.line))
        elif item.text is not None and item.text != item.text.strip():
            # not trimmed: a reference is taken exactly as written, like the id it names
            problems.append(
                record.problem(
                    name, f"id {quoted(item.text)} must not start or end with spaces", item.line
                )
            )
        elif item.text is not None:
            out.append((item.text, item.line))
    return out


def _unknown_field(name: str, spec: LabelSpec, schema: Schema) -> str:
    if name in {p.name for p in schema.provenance}:
        return "is set by graphgov (where the record came from); leave it out"
    owners = sorted(s.kind for s in schema.labels.values() if name in s.fields and not s.catalogue)
    reason = f"unknown field for kind {spec.kind}{did_you_mean(name, list(spec.fields))}"
    if owners:
        reason += f" ({name} belongs on: {', '.join(owners)})"
    return reason + "; fields are: " + ", ".join(spec.fields)


def _missing_relations(record: RawRecord, spec: LabelSpec, schema: Schema) -> list[Problem]:
    """A problem for each relationship the record must write (gg:required) and lacks."""
    problems = []
    for name, f in spec.fields.items():
        if f.relation is None or f.inverse or not f.relation.required:
            continue
        value = record.fields.get(name)
        items = () if value is None else value.items if value.items is not None else (value,)
        if not any(item.text for item in items):
            titles = " or ".join(schema.labels[e].title for e in f.relation.ends)
            problems.append(
                record.problem(
                    name,
                    f"is required: every {spec.kind} names the {titles} it is about",
                    value.line if value is not None else None,
                )
            )
    return problems


def _singletons(
    nodes: Iterable[Node], origins: Mapping[str, RawRecord], schema: Schema
) -> list[Problem]:
    problems = []
    for label in SINGLETONS:
        found = [origins[n.id] for n in nodes if n.label == label]
        for extra in found[1:]:
            problems.append(
                extra.problem(
                    "kind",
                    f"an inventory describes one {schema.labels[label].kind}; "
                    f"the first is at {found[0].file}:{found[0].line}",
                )
            )
    return problems


def _relationships(
    references: list[_Reference],
    labels: Mapping[str, str],
    schema: Schema,
    problems: list[Problem],
) -> list[Relationship]:
    out: dict[tuple[str, str, str], Relationship] = {}
    # for relationship types that allow one end per start, or one start per end: the
    # first reference that wrote each, so a second one can name it
    first_end: dict[tuple[str, str], tuple[_Reference, str]] = {}
    first_start: dict[tuple[str, str], tuple[_Reference, str]] = {}
    for ref in references:
        here = ref.record.fields["id"].text if "id" in ref.record.fields else None
        target_label = labels.get(ref.target)
        rel = ref.relation
        wanted = rel.starts if ref.inverse else rel.ends
        titles = " or ".join(schema.labels[w].title for w in wanted)
        if target_label is None:
            candidates = [i for i, lab in labels.items() if lab in wanted]
            if all(schema.labels[w].catalogue for w in wanted):
                reason = f"no {titles} {ref.target!r} in the ISO/IEC 42001 catalogue"
            else:
                reason = f"no record has id {ref.target!r}"
            problems.append(
                ref.record.problem(
                    ref.field, reason + did_you_mean(ref.target, candidates), ref.line
                )
            )
            continue
        if target_label not in wanted:
            problems.append(
                ref.record.problem(
                    ref.field,
                    f"must refer to a {titles}, but {ref.target!r} is a "
                    f"{schema.labels[target_label].title}",
                    ref.line,
                )
            )
            continue
        if here is None or here not in labels:
            continue
        start, end = (ref.target, here) if ref.inverse else (here, ref.target)
        key = (rel.type, start, end)
        if key in out:
            continue
        clash = _cardinality(ref, start, end, labels, schema, first_end, first_start)
        if clash is not None:
            problems.append(clash)
            continue
        if key not in out:
            out[key] = Relationship(rel.type, start, end, Source(ref.record.source.file, ref.line))
    return list(out.values())


def _cardinality(
    ref: _Reference,
    start: str,
    end: str,
    labels: Mapping[str, str],
    schema: Schema,
    first_end: dict[tuple[str, str], tuple[_Reference, str]],
    first_start: dict[tuple[str, str], tuple[_Reference, str]],
) -> Problem | None:
    """The problem with a relationship that would give its start a second end (of a type
    that allows one end per start) or its end a second start (one start per end), naming
    the line of the first; None when it is the first."""
    rel = ref.relation
    checks = []
    if rel.one_end:
        checks.append((first_end, (rel.type, start), end, start, labels[start], labels[end]))
    if rel.one_start:
        checks.append((first_start, (rel.type, end), start, end, labels[end], labels[start]))
    for seen, key, other, subject, subject_label, other_label in checks:
        if key not in seen:
            continue
        first, first_other = seen[key]
        if first_other == other:
            continue
        one, many = schema.labels[subject_label].title, schema.labels[other_label].title
        return ref.record.problem(
            ref.field,
            f"{one} {subject!r} is already joined to {first_other!r} by {rel.type} "
            f"(at {first.record.file}:{first.line}); each {one} has at most one {many}",
            ref.line,
        )
    for seen, key, other, *_ in checks:
        seen.setdefault(key, (ref, other))
    return None
