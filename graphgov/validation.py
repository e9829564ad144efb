"""Whole-inventory validation: turns raw records into a graph batch, or reports every
problem at once (kinds, ids, properties, references and the labels they may join).

It runs in two phases, so that what one file's records are on their own can be kept
and reused by a later run (``graphgov.cache``) while everything that joins files is
redone each time:

- ``check_records`` looks at each record alone: its kind, id, fields and property
  values (through the pydantic models of ``records``). It gives a ``Checked`` per file:
  the typed properties of each record, the references it writes and the problems found.
- ``combine`` joins the ``Checked`` of every file: duplicate ids across files and the
  catalogue, the one Organization, references and the labels they may join, and how
  many ends a relationship may have.

``build_batch`` is the two in a row.

Two rules let AI-BOMs (``loaders/bomfile.py``) sit beside hand-written records: a record
written again, identically (same kind, id, properties and references), in another file is one
record, not a duplicate (two BOMs naming the same supplier or base model); and a
reference may name a model or dataset by its purl (``ALIAS``) instead of its id, when
no record has that id and exactly one record has that purl."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from graphgov.display import did_you_mean, printable, quoted
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch, Node, Relationship, Source, Value
from graphgov.records import RawRecord, RawValue, validate_properties
from graphgov.schema import LabelSpec, RelationSpec, Schema, load_schema

MAX_ID = 200
LIST_SEPARATOR = ";"  # separates ids in one CSV cell
SINGLETONS = ("Organization",)
ALIAS = "purl"  # the property by whose value a reference may name a record

# One record that has a kind and a usable id: (id, label, line of the record, line of
# its id, its typed properties, or None when a property is invalid).
CheckedRecord = tuple[str, str, int | None, int, dict[str, Value] | None]
# One reference a record writes: (the record's id as written or None, (the record's
# label, the field), the id it names, the line it is on).
CheckedReference = tuple[str | None, tuple[str, str], str, int]


@dataclass
class Checked:
    """What validating the records of one file found without looking at any other:
    ``file`` as shown to a user, ``source`` as recorded in provenance (relative to the
    inventory), then, in the file's order, its records, the references they write and
    the problems found."""

    file: str
    source: str
    records: list[CheckedRecord] = field(default_factory=list)
    references: list[CheckedReference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
    checked = check_records(records, schema=schema, catalogue=catalogue)
    return combine(checked, known=known, origin=origin, schema=schema)


def check_records(
    records: Iterable[RawRecord], *, schema: Schema | None = None, catalogue: bool = False
) -> list[Checked]:
    """The first phase of ``build_batch``: each record checked on its own, grouped into
    one ``Checked`` per run of records from the same file. What it gives depends only
    on the records, the schema and ``catalogue``."""
    schema = schema or load_schema()
    out: list[Checked] = []
    group: Checked | None = None
    for record in records:
        if group is None or record.file != group.file or record.source.file != group.source:
            group = Checked(record.file, record.source.file)
            out.append(group)
        _check(record, schema, catalogue, group)
    return out


def _check(record: RawRecord, schema: Schema, catalogue: bool, group: Checked) -> None:
    problems = group.problems
    spec = _kind(record, schema, catalogue, problems)
    ident = _identifier(record, problems)
    if spec is None:
        return
    raw_id = record.fields.get("id")
    here = raw_id.text if raw_id is not None else None
    texts: dict[str, str] = {}
    for name, value in record.fields.items():
        if name in ("kind", "id"):
            continue
        field = spec.fields.get(name)
        if field is None:
            problems.append(record.problem(name, _unknown_field(name, spec, schema), value.line))
        elif field.relation is not None:
            at = (spec.name, name)
            for target, line in _targets(record, name, value, problems):
                group.references.append((here, at, target, line))
        elif value.items is not None or value.nested:
            problems.append(record.problem(name, "must be a single value, not a list", value.line))
        elif value.text is not None:
            texts[name] = value.text
    if ident is None or raw_id is None:
        return
    problems.extend(_missing_relations(record, spec, schema))
    values, found = validate_properties(spec, record, {"id": ident, **texts})
    problems.extend(found)
    group.records.append(
        (ident, spec.name, record.source.line, raw_id.line, None if found else values)
    )


def combine(
    checked: Iterable[Checked],
    *,
    known: Iterable[Node] = (),
    origin: str = "",
    schema: Schema | None = None,
    unread: Sequence[str] = (),
) -> GraphBatch:
    """The second phase of ``build_batch``: the files' ``Checked`` joined into one batch,
    with what only the whole shows: ids used twice (in two files, or by the catalogue in
    ``known``), a second Organization, references to records that are not there or are
    of a label the relationship may not join, and relationships with more ends than
    they may have. Raises InvalidInputError with every problem, the files' own included;
    ``unread`` names the files refused whole, which a reference that finds nothing may
    have meant."""
    schema = schema or load_schema()
    groups = list(checked)
    problems: list[Problem] = [p for g in groups for p in g.problems]
    # every id in use and its label: the catalogue's, then the first record with each
    labels: dict[str, str] = {n.id: n.label for n in known}
    catalogued = set(labels)
    # (file, id, line, file's number, label, properties) of each id used again
    duplicates: list[_Again] = []
    nodes: list[Node] = []
    singles: dict[str, list[tuple[str, int | None]]] = {label: [] for label in SINGLETONS}
    # per file, the Source of each line: a relationship written on a record's line (a
    # CSV row's references) shares its node's
    sources: list[dict[int | None, Source]] = []
    for group in groups:
        file, relative = group.file, group.source
        lines: dict[int | None, Source] = {}
        sources.append(lines)
        for ident, label, line, id_line, values in group.records:
            before = len(labels)
            labels.setdefault(ident, label)  # one lookup in a table of a million ids
            if len(labels) == before:
                duplicates.append((file, ident, id_line, len(sources) - 1, label, values))
                continue
            if values is not None:
                source = lines[line] = Source(relative, line)
                nodes.append(Node(label, ident, values, source))
                if label in singles:
                    singles[label].append((file, line))
    merged: set[tuple[int, str]] = set()
    if duplicates:
        again, merged = _duplicates(duplicates, groups, labels, catalogued, schema)
        problems.extend(again)
    problems.extend(_singletons(singles, schema))
    aliases = _aliases(nodes, labels)
    relationships = _relationships(
        groups, sources, labels, schema, problems, aliases, merged, unread
    )
    if problems:
        raise InvalidInputError(problems)
    return GraphBatch(tuple(nodes), tuple(relationships), origin)


_Again = tuple[str, str, int, int, str, dict[str, Value] | None]


def _duplicates(
    duplicates: list[_Again],
    groups: list[Checked],
    labels: Mapping[str, str],
    catalogued: set[str],
    schema: Schema,
) -> tuple[list[Problem], set[tuple[int, str]]]:
    """A problem for each id used again, naming where it was first used: where the first
    record is is looked up only now, for the ids used twice. A record that repeats the
    first one exactly (the same kind, properties and references) in another file is
    that record again and no problem (two AI-BOMs naming one supplier): those repeats
    are returned too, as (file's number, id), so their references are not written twice."""
    again = {ident for _, ident, _, _, _, _ in duplicates}
    first: dict[str, str] = {}
    firsts: dict[str, tuple[int, str, dict[str, Value] | None]] = {}
    for number, group in enumerate(groups):
        for ident, label, line, _, values in group.records:
            if ident in again and ident not in first and ident not in catalogued:
                kind = schema.labels[labels[ident]].kind
                first[ident] = f"the {kind} at {group.file}:{line or 0}"
                firsts[ident] = (number, label, values)
    written = _references_of(groups, again)
    merged: set[tuple[int, str]] = set()
    problems = []
    for file, ident, line, number, label, values in duplicates:
        origin = firsts.get(ident)
        if (
            origin is not None
            and values is not None
            and _file_of(groups[origin[0]]) != _file_of(groups[number])
            and origin[1:] == (label, values)
            and written.get((origin[0], ident), set()) == written.get((number, ident), set())
            and (number, ident) not in merged
        ):
            merged.add((number, ident))
            continue
        where = (
            f"the ISO/IEC 42001 catalogue ({labels[ident]})"
            if ident in catalogued
            else first[ident]
        )
        problems.append(
            Problem(file, line, "id", f"duplicate id {ident!r}: already used by {where}")
        )
    return problems, merged


def _file_of(group: Checked) -> str:
    """The file a group of records came from (a workbook's sheets are one file)."""
    return group.source.partition("!")[0]


def _references_of(
    groups: list[Checked], idents: set[str]
) -> dict[tuple[int, str], set[tuple[tuple[str, str], str]]]:
    """For each record among ``idents``, per file: the references it writes."""
    out: dict[tuple[int, str], set[tuple[tuple[str, str], str]]] = {}
    for number, group in enumerate(groups):
        for here, at, target, _ in group.references:
            if here in idents:
                out.setdefault((number, here), set()).add((at, target))
    return out


def _aliases(nodes: list[Node], labels: Mapping[str, str]) -> dict[str, list[str]]:
    """The ids of the records each purl names, for the purls that are no record's id."""
    out: dict[str, list[str]] = {}
    for node in nodes:
        alias = node.properties.get(ALIAS)
        if isinstance(alias, str) and alias not in labels:
            named = out.setdefault(alias, [])
            if node.id not in named:
                named.append(node.id)
    return out


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
    # the common case, at once: isprintable() refuses every control and invisible
    # character the checks below look for (and every space but ' ', so a printable id
    # with no space at either end is fine)
    if (
        text.isprintable()
        and len(text) <= MAX_ID
        and LIST_SEPARATOR not in text
        and text[:1] != " "
        and text[-1:] != " "
    ):
        return None
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
    for f in spec.required_references:
        assert f.relation is not None  # a reference field's
        name = f.name
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
    singles: Mapping[str, list[tuple[str, int | None]]], schema: Schema
) -> list[Problem]:
    problems = []
    for label, found in singles.items():
        if not found:
            continue
        first_file, first_line = found[0]
        for file, line in found[1:]:
            problems.append(
                Problem(
                    file,
                    line,
                    "kind",
                    f"an inventory describes one {schema.labels[label].kind}; "
                    f"the first is at {first_file}:{first_line or 0}",
                )
            )
    return problems


# what a reference field of a label writes, looked up once per field: the relationship
# type, whether the record is its end, the labels its targets may have, whether the type
# limits its ends or starts, whether its end's records may write it too (an inverse
# field), and the relationship
_Field = tuple[str, bool, tuple[str, ...], bool, bool, RelationSpec]


def _relationships(
    groups: list[Checked],
    sources: list[dict[int | None, Source]],
    labels: Mapping[str, str],
    schema: Schema,
    problems: list[Problem],
    aliases: Mapping[str, list[str]],
    merged: set[tuple[int, str]],
    unread: Sequence[str],
) -> list[Relationship]:
    """The relationships the references write, each once, in the order first written,
    with a problem for each reference that cannot be one. A reference to a purl
    (``aliases``) is to the one record with that purl."""
    out: list[Relationship] = []
    # A relationship is written once per record that names it: the same one twice comes
    # from one record (an id listed twice), or from both of its ends (a type with an
    # inverse field, such as has_risk and risk_of), or from a record whose id is used
    # twice, which is a problem already. So only the types either end may write, and
    # those whose ends are counted, are looked for in all the graph's; the others only
    # among the current record's.
    seen: set[tuple[str, str, str]] = set()
    written: set[tuple[str, str, str]] = set()  # by the current record
    # for relationship types that allow one end per start, or one start per end: the
    # first reference that wrote each (its file and line), so a second one can name it
    first_end: dict[tuple[str, str], tuple[str, int, str]] = {}
    first_start: dict[tuple[str, str], tuple[str, int, str]] = {}
    fields: dict[tuple[str, str], _Field] = {}
    for number, (group, lines) in enumerate(zip(groups, sources, strict=True)):
        file, relative = group.file, group.source
        # a record's references come one after another: whether it is in the graph is
        # looked up once for all of them
        last: str | None = None
        present = False
        for here, at, target, line in group.references:
            if merged and (number, here) in merged:
                continue  # a record repeated exactly: its first writes these already
            spec = fields.get(at)
            if spec is None:
                spec = fields[at] = _field(schema, *at)
            kind, inverse, wanted, limited, shared, rel = spec
            target_label = labels.get(target)
            if target_label is None and target in aliases:
                named = aliases[target]
                if len(named) > 1:
                    problems.append(
                        Problem(
                            file,
                            line,
                            at[1],
                            f"{ALIAS} {target!r} is the {ALIAS} of several records ("
                            + ", ".join(repr(n) for n in named)
                            + "): refer to one by its id",
                        )
                    )
                    continue
                target = named[0]
                target_label = labels[target]
            if target_label is None:
                problems.append(
                    _missing_target(file, at[1], target, line, wanted, labels, schema, unread)
                )
                continue
            if target_label not in wanted:
                titles = " or ".join(schema.labels[w].title for w in wanted)
                problems.append(
                    Problem(
                        file,
                        line,
                        at[1],
                        f"must refer to a {titles}, but {target!r} is a "
                        f"{schema.labels[target_label].title}",
                    )
                )
                continue
            if here != last:
                last, present = here, here is not None and here in labels
                written.clear()
            if not present:
                continue
            assert here is not None
            start, end = (target, here) if inverse else (here, target)
            key = (kind, start, end)
            if shared or limited:
                if key in seen:
                    continue
                if limited:
                    clash = _cardinality(
                        file, at[1], line, rel, start, end, labels, schema, first_end, first_start
                    )
                    if clash is not None:
                        problems.append(clash)
                        continue
                seen.add(key)
            else:
                if key in written:
                    continue
                written.add(key)
            source = lines.get(line)
            if source is None:
                source = lines[line] = Source(relative, line)
            out.append(Relationship(kind, start, end, source))
    return out


def _field(schema: Schema, label: str, name: str) -> _Field:
    f = schema.labels[label].fields[name]
    rel = f.relation
    assert rel is not None  # only reference fields write references
    wanted = rel.starts if f.inverse else rel.ends
    limited = rel.one_end or rel.one_start
    return (rel.type, f.inverse, wanted, limited, rel.inverse_field is not None, rel)


def _missing_target(
    file: str,
    name: str,
    target: str,
    line: int,
    wanted: tuple[str, ...],
    labels: Mapping[str, str],
    schema: Schema,
    unread: Sequence[str] = (),
) -> Problem:
    titles = " or ".join(schema.labels[w].title for w in wanted)
    candidates = [i for i, label in labels.items() if label in wanted]
    if all(schema.labels[w].catalogue for w in wanted):
        reason = f"no {titles} {target!r} in the ISO/IEC 42001 catalogue"
    else:
        reason = f"no record has id {target!r}"
        if unread:
            more = f" and {len(unread) - 2} more" if len(unread) > 2 else ""
            reason += (
                f" (if it is in {', '.join(unread[:2])}{more}: that file was not read, "
                "because of its own problems)"
            )
    return Problem(file, line, name, reason + did_you_mean(target, candidates))


def _cardinality(
    file: str,
    name: str,
    line: int,
    rel: RelationSpec,
    start: str,
    end: str,
    labels: Mapping[str, str],
    schema: Schema,
    first_end: dict[tuple[str, str], tuple[str, int, str]],
    first_start: dict[tuple[str, str], tuple[str, int, str]],
) -> Problem | None:
    """The problem with a relationship that would give its start a second end (of a type
    that allows one end per start) or its end a second start (one start per end), naming
    the line of the first; None when it is the first."""
    checks = []
    if rel.one_end:
        checks.append((first_end, (rel.type, start), end, start, labels[start], labels[end]))
    if rel.one_start:
        checks.append((first_start, (rel.type, end), start, end, labels[end], labels[start]))
    for seen, key, other, subject, subject_label, other_label in checks:
        if key not in seen:
            continue
        first_file, first_line, first_other = seen[key]
        if first_other == other:
            continue
        one, many = schema.labels[subject_label].title, schema.labels[other_label].title
        return Problem(
            file,
            line,
            name,
            f"{one} {subject!r} is already joined to {first_other!r} by {rel.type} "
            f"(at {first_file}:{first_line}); each {one} has at most one {many}",
        )
    for seen, key, other, *_ in checks:
        seen.setdefault(key, (file, line, other))
    return None
