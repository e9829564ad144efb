"""RDF inventory files: Turtle (.ttl), JSON-LD (.jsonld) and N-Triples (.nt) in the
ontology's terms, as graphgov's RDF export writes them (``graphgov/rdf.py``), read back
into records, so an export read again gives the graph it came from.

A record is a subject typed with one label's class (``gg:AISystem``): its ``gg:id``
(or, without one, the id a graphgov IRI stands for), each ``gg:<property>`` literal,
and each ``gg:<TYPE>`` relationship as a reference to the id of the node it points at
(a record of the file, or a graphgov IRI: an inventory's node in another file, or the
catalogue's). A relationship stated only from its end, by a subject that is no record
of the file, is read through the end's inverse field where the ontology gives one.

Read and left out, as the export writes them: provenance (``gg:source_file``,
``gg:source_line``, ``prov:hadPrimarySource`` and the source entities), the catalogue's
own nodes (a catalogue class on a ``urn:graphgov:catalogue:`` IRI), what the ontology
derives from the graphgov triples (``rdf.derived``: lineage as ``prov:wasDerivedFrom``,
defined classes, the organisation's AIRO roles) and what it entails (a class the
label's class is a subclass of, a property a relationship type is a subproperty of, as
a reasoner adds them). Every other triple is a problem naming its subject and its
predicate or class: nothing is dropped without a word.

RDF has no useful line numbers: a record's line is the line where its subject first
starts a statement (Turtle, N-Triples) or is the ``@id`` of a node object (JSON-LD),
which graphgov's own export always has, else none; every problem names the subject's
IRI. A file that does not parse is one problem with the parser's reason. Nothing is
fetched: a JSON-LD file that refers to a remote context is refused."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import BNode
from rdflib.term import Node as RdfNode

from graphgov import rdf
from graphgov.display import did_you_mean, quoted
from graphgov.errors import Problem, ProblemList
from graphgov.graph import Source
from graphgov.records import RawRecord, RawValue
from graphgov.schema import GG, LabelSpec, Schema, load_schema

from .text import MAX_RECORDS, read_text

_DATATYPES: Mapping[str, URIRef] = {
    "string": XSD.string,
    "boolean": XSD.boolean,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "date": XSD.date,
}
_JSON_ID = re.compile(r'^\s*"@id":\s*("(?:[^"\\]|\\.)*"),\s*$')


def read_rdf(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The records in one RDF file (by its suffix: .ttl, .jsonld or .nt) and the
    problems found reading it."""
    schema = schema or load_schema()
    fmt = rdf.SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        suffixes = ", ".join(rdf.SUFFIXES)
        return [], [Problem(shown, None, None, f"not an RDF file graphgov reads ({suffixes})")]
    text = read_text(path, shown)
    if isinstance(text, Problem):
        return [], [text]
    # a hierarchical base, the same on every machine, for relative IRIs
    parsed = rdf.parse(text, fmt, shown, "file:///" + quote(relative, safe="/"))
    if isinstance(parsed, Problem):
        return [], [parsed]
    graph, prefixes = parsed
    lines = _subject_lines(text, fmt)
    return _Reader(graph, shown, relative, schema, lines, prefixes).read()


def _subject_lines(text: str, fmt: str) -> dict[str, int]:
    """The first line on which each subject, as written, starts a statement (Turtle,
    N-Triples: the line's first word) or is a node object's ``@id`` (JSON-LD: an
    ``"@id"`` line followed by more of the object)."""
    out: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if fmt == "json-ld":
            match = _JSON_ID.match(line)
            if match is None:
                continue
            try:
                word = json.loads(match.group(1))
            except json.JSONDecodeError:
                continue
        else:
            if not line or line[0].isspace():
                continue
            word = line.split(None, 1)[0]
        out.setdefault(word, number)
    return out


def _local(term: RdfNode) -> str | None:
    """The local name of a term of the ontology's namespace, else None."""
    text = str(term)
    return text[len(GG) :] if isinstance(term, URIRef) and text.startswith(str(GG)) else None


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line or 0, p.field or "", p.reason)


def _n3(item: tuple[RdfNode, ...]) -> tuple[str, ...]:
    """A sort key for terms of any kind (rdflib orders some pairs of kinds only)."""
    return tuple(t.n3() for t in item)


def _term(term: RdfNode) -> str:
    """A term for a message (IRIs in angle brackets, literals quoted)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "a blank node"
    return quoted(str(term))


class _Record:
    """What the reader gathers for one record: its label, id and fields."""

    def __init__(self, subject: RdfNode, spec: LabelSpec, line: int | None) -> None:
        self.subject = subject
        self.spec = spec
        self.line = line
        self.id: str | None = None
        self.values: dict[str, list[RdfLiteral]] = {}
        self.references: dict[str, list[str]] = {}


class _Reader:
    def __init__(
        self,
        graph: Graph,
        shown: str,
        relative: str,
        schema: Schema,
        lines: Mapping[str, int],
        prefixes: Mapping[str, str],
    ) -> None:
        self.g = graph
        self.shown = shown
        self.relative = relative
        self.schema = schema
        self.lines = lines
        self.prefixes = prefixes
        self.problems = ProblemList(shown)
        self.labels: dict[RdfNode, LabelSpec] = {GG[n]: s for n, s in schema.labels.items()}
        self.managed = {GG[p.name] for p in schema.provenance}
        self.aligned = rdf.alignment()
        self.records: dict[RdfNode, _Record] = {}
        self.catalogue: dict[RdfNode, str | None] = {}  # the catalogue's own nodes
        self.sources: set[RdfNode] = set()
        self.unread: dict[RdfNode, list[rdf.Triple]] = {}

    # -- the steps -------------------------------------------------------------------

    def read(self) -> tuple[list[RawRecord], list[Problem]]:
        self.classify()
        if len(self.records) > MAX_RECORDS:
            reason = f"file holds more than {MAX_RECORDS:,} records; split it into several files"
            return [], [Problem(self.shown, None, None, reason)]
        for record in self.records.values():
            self.identify(record)
        for record in self.records.values():
            self.gather(record)
        for subject in self.others():
            for triple in rdf.triples_of(self.g, subject):
                self.stated_from_end(triple)
        self.explain()
        raws = [self.raw(r) for r in sorted(self.records.values(), key=self.order)]
        return raws, sorted(self.problems.kept(), key=_problem_order)

    def classify(self) -> None:
        """Records, the catalogue's nodes and source entities, by their classes."""
        for subject in sorted(set(self.g.subjects()), key=str):
            specs = [self.labels[t] for t in self.g.objects(subject, RDF.type) if t in self.labels]
            if len(specs) > 1:
                names = ", ".join(sorted(f"gg:{s.name}" for s in specs))
                self.problem(subject, "rdf:type", f"has more than one graphgov class ({names})")
                self.catalogue[subject] = None  # none of its triples is read
            elif specs and specs[0].catalogue and rdf.is_catalogue_iri(subject):
                self.catalogue[subject] = self.single_id(subject) or rdf.identifier(subject)
            elif specs:
                self.records[subject] = _Record(subject, specs[0], self.line_of(subject))
        for subject in [*self.records, *self.catalogue]:
            for source in self.g.objects(subject, rdf.PROV.hadPrimarySource):
                if source not in self.records and source not in self.catalogue:
                    self.sources.add(source)

    def identify(self, record: _Record) -> None:
        ident = self.single_id(record.subject)
        named = rdf.identifier(record.subject)
        if ident is not None and named is not None and ident != named:
            self.problem(
                record.subject,
                "id",
                f"gg:id {quoted(ident)} is not the id its IRI stands for ({quoted(named)})",
            )
        record.id = ident if ident is not None else named

    def single_id(self, subject: RdfNode) -> str | None:
        ids = sorted(str(o) for o in self.g.objects(subject, GG.id) if isinstance(o, RdfLiteral))
        if len(ids) > 1:
            self.problem(subject, "id", f"has {len(ids)} values of gg:id; a node has one id")
        return ids[0] if ids else None

    def gather(self, record: _Record) -> None:
        """The record's property values and references; what is left for ``explain``."""
        spec = record.spec
        for p, o in sorted(self.g.predicate_objects(record.subject), key=_n3):
            name = _local(p)
            if p == RDF.type and o == GG[spec.name]:
                continue
            if p in self.managed or p == rdf.PROV.hadPrimarySource or p == GG.id:
                continue
            if name is None or p == RDF.type:
                self.leave(record.subject, (record.subject, p, o))
                continue
            field = spec.fields.get(name)
            if field is not None and field.property is not None:
                self.value(record, name, o)
            elif name in self.schema.relations:
                self.reference(record, name, o)
            else:
                fields = [f for f in spec.fields if f != "id"]
                self.problem(
                    record.subject,
                    name,
                    f"is no property of {spec.kind} records{did_you_mean(name, fields)}",
                )

    def value(self, record: _Record, name: str, value: RdfNode) -> None:
        prop = record.spec.properties[name]
        if not isinstance(value, RdfLiteral):
            self.problem(record.subject, name, f"must be a literal value, not {_term(value)}")
            return
        wanted = _DATATYPES[prop.datatype]
        typed = value.datatype
        if (typed is not None and typed not in (XSD.string, wanted)) or (
            value.language is not None and prop.datatype != "string"
        ):
            shown = f"@{value.language}" if value.language else self.short(typed)
            self.problem(
                record.subject,
                name,
                f"{quoted(str(value))} is typed {shown}, but {name} holds {self.short(wanted)}",
            )
            return
        record.values.setdefault(name, []).append(value)

    def reference(self, record: _Record, name: str, target: RdfNode) -> None:
        rel = self.schema.relations[name]
        spec = record.spec
        if spec.name not in rel.starts:
            starts = " or ".join(self.schema.labels[s].title for s in rel.starts)
            self.problem(record.subject, name, f"starts at a {starts}, not at a {spec.title}")
            return
        ident = self.target(record.subject, name, target)
        if ident is not None:
            record.references.setdefault(rel.field, []).append(ident)

    def target(self, subject: RdfNode, name: str, target: RdfNode) -> str | None:
        """The id of the node ``target`` stands for, or None (a problem said why)."""
        if isinstance(target, RdfLiteral):
            self.problem(subject, name, f"must refer to a node (an IRI), not {_term(target)}")
            return None
        found = self.records.get(target)
        ident = found.id if found is not None else self.catalogue.get(target)
        ident = ident or rdf.identifier(target)
        if ident is None:
            self.problem(
                subject,
                name,
                f"refers to {_term(target)}, which is no record of this file (it has no "
                "graphgov class) and no graphgov IRI",
            )
        return ident

    def others(self) -> Iterator[RdfNode]:
        """The subjects that are no record, catalogue node or source entity."""
        for subject in sorted(set(self.g.subjects()), key=str):
            if (
                subject not in self.records
                and subject not in self.catalogue
                and subject not in self.sources
            ):
                yield subject

    def stated_from_end(self, triple: rdf.Triple) -> None:
        """A relationship from a subject that is no record of the file, to a record:
        read through the record's inverse field, where its label has one."""
        s, p, o = triple
        name = _local(p)
        end = self.records.get(o)
        rel = self.schema.relations.get(name or "")
        ident = rdf.identifier(s)
        if (
            end is None
            or rel is None
            or rel.inverse_field is None
            or rel.inverse_field not in end.spec.fields
            or ident is None
        ):
            self.leave(s, triple)
            return
        end.references.setdefault(rel.inverse_field, []).append(ident)

    def leave(self, subject: RdfNode, triple: rdf.Triple) -> None:
        self.unread.setdefault(subject, []).append(triple)

    def explain(self) -> None:
        """A problem for every triple left unread that the ontology neither derives from
        the graphgov triples nor entails."""
        for subject in sorted(self.sources, key=str):
            for triple in rdf.triples_of(self.g, subject):
                _, p, o = triple
                if not (p == RDF.type and o == rdf.PROV.Entity) and p != RDFS.label:
                    self.leave(subject, triple)
        if not self.unread:
            return
        derived = rdf.derived(self.g, self.aligned)
        classes: dict[RdfNode, set[RdfNode]] = {}
        for s, p, o in derived:
            if p == RDF.type:
                classes.setdefault(s, set()).add(o)
        for subject, triples in sorted(self.unread.items(), key=lambda kv: str(kv[0])):
            left = [t for t in triples if t not in derived and not self.entailed(t, classes)]
            if not left:
                continue
            if subject not in self.records:
                self.not_a_record(subject, left)
                continue
            for _, p, o in sorted(set(left), key=_n3):
                if p == RDF.type:
                    self.problem(subject, "rdf:type", self.unknown_class(o))
                else:
                    self.problem(subject, None, f"unknown property {_term(p)}")

    def entailed(self, triple: rdf.Triple, classes: Mapping[RdfNode, set[RdfNode]]) -> bool:
        """Whether a reasoner would add ``triple`` from the record's classes (its
        label's and those derived) and relationships, by the ontology's subclasses and
        subproperties."""
        s, p, o = triple
        record = self.records.get(s)
        if record is None:
            return False
        if p == RDF.type:
            own = {GG[record.spec.name], *classes.get(s, ())}
            return any(o in self.aligned.superclasses.get(c, frozenset()) for c in own)
        return any(
            p in supers and (s, sub, o) in self.g
            for sub, supers in self.aligned.superproperties.items()
        )

    def unknown_class(self, cls: RdfNode) -> str:
        name = _local(cls)
        if name is not None and any(d.cls == cls for d in self.aligned.defined):
            return (
                f"is typed {_term(cls)}, which graphgov derives from a node's properties; "
                "this node's properties do not make it one"
            )
        return f"unknown class {_term(cls)}"

    def not_a_record(self, subject: RdfNode, triples: list[rdf.Triple]) -> None:
        classes = ", ".join(f"gg:{s.name}" for s in self.schema.labels.values() if not s.catalogue)
        count = len(set(triples))
        self.problem(
            subject,
            None,
            f"is no graphgov record, so its {count} triple{'s' if count != 1 else ''} "
            f"cannot be read: a record is typed with one class of the ontology ({classes})",
        )

    # -- helpers ---------------------------------------------------------------------

    def line_of(self, subject: RdfNode) -> int | None:
        if not isinstance(subject, URIRef):
            return None
        text = str(subject)
        candidates = [f"<{text}>", text]
        candidates += [
            f"{prefix}:{text[len(ns) :]}"
            for prefix, ns in self.prefixes.items()
            if ns and text.startswith(ns) and len(text) > len(ns)
        ]
        found = [self.lines[c] for c in candidates if c in self.lines]
        return min(found) if found else None

    def order(self, record: _Record) -> tuple[int, str, str]:
        return (record.line or 0, record.id or "", str(record.subject))

    def short(self, iri: URIRef | None) -> str:
        text = str(iri)
        return "xsd:" + text[len(str(XSD)) :] if text.startswith(str(XSD)) else _term(URIRef(text))

    def problem(self, subject: RdfNode, field: str | None, reason: str) -> None:
        record = self.records.get(subject)
        line = record.line if record is not None else self.line_of(subject)
        self.problems.append(Problem(self.shown, line, field, f"{_term(subject)}: {reason}"))

    def raw(self, record: _Record) -> RawRecord:
        line = record.line or 0
        fields: dict[str, RawValue] = {"kind": RawValue(line, text=record.spec.kind)}
        if record.id is not None:
            fields["id"] = RawValue(line, text=record.id)
        for name, values in sorted(record.values.items()):
            if len(values) > 1:
                self.problems.append(
                    Problem(
                        self.shown,
                        record.line,
                        name,
                        f"{_term(record.subject)}: has {len(values)} values; a property holds one",
                    )
                )
                continue
            text = str(values[0])
            fields[name] = RawValue(line, text=text if text.strip() else None)
        for name, targets in sorted(record.references.items()):
            items = tuple(RawValue(line, text=t) for t in sorted(set(targets)))
            fields[name] = RawValue(line, items=items)
        return RawRecord(self.shown, Source(self.relative, record.line), fields)
