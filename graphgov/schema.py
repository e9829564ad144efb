"""The schema registry: node labels, relationship types and properties, read from the
ontology (``ontology/graphgov.ttl``), the single source of truth for the schema.

Everything else that needs the schema (record validation, the stores, documentation,
Cypher table definitions) asks this module rather than keeping its own copy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Literal, cast

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.term import Node as RdfNode

from graphgov.errors import SchemaError

GG = Namespace("urn:graphgov:ontology#")
ONTOLOGY_PACKAGE = "graphgov.ontology"
ONTOLOGY_FILE = "graphgov.ttl"
CATALOGUE_FILE = "catalogue/iso42001.yaml"
# Provenance of catalogue nodes: not a file of the user's inventory.
CATALOGUE_SOURCE = "graphgov:" + CATALOGUE_FILE
# The catalogue's name as an inventory in shared stores.
CATALOGUE_ORIGIN = "graphgov:catalogue"

Datatype = Literal["string", "boolean", "integer", "decimal", "date"]
_DATATYPES: dict[URIRef, Datatype] = {
    XSD.string: "string",
    XSD.boolean: "boolean",
    XSD.integer: "integer",
    XSD.decimal: "decimal",
    XSD.date: "date",
}
# Shown first, in this order, wherever properties are listed.
_LEADING = ("id", "name", "description")
_DIGITS = re.compile(r"[0-9]+")
# in a natural key, a number is this mark, its length in digits and its digits: below
# every character text can hold but NUL, so a shorter text sorts first as it would alone
_NUMBER = "\x00%08d%s"


def _number(match: re.Match[str]) -> str:
    digits = match.group().lstrip("0") or "0"
    return _NUMBER % (len(digits), digits)


@lru_cache(maxsize=1 << 17)  # ids are sorted again and again, view after view
def natural_key(text: str) -> tuple[str, str]:
    """A sort key that orders the numbers inside ids as numbers: A.2.2 before A.10.2,
    clause 9 before 10, A.2.2 before A.02.2's tie is broken by the text. Every id
    graphgov lists is sorted with this key. It is text, each run of digits written as
    its length and its digits, so comparing two keys is one comparison of text (keys
    of numbers and texts in tuples compared element by element were most of sorting a
    large exploration's rows)."""
    return _DIGITS.sub(_number, text), text


@dataclass(frozen=True)
class Vocabulary:
    """A named closed list of values from the ontology, shared by every property, query
    and report that uses it; ``values`` are from least to most when ``ordered``."""

    name: str
    title: str
    values: tuple[str, ...]
    ordered: bool
    parameter: str | None
    description: str

    def rank(self, value: object) -> int:
        """The place of ``value`` in the order (0 for the least), or -1 when it is not
        a value of this vocabulary: unknown and missing values rank below all."""
        return self.values.index(value) if isinstance(value, str) and value in self.values else -1

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value in self.values


@dataclass(frozen=True)
class PropertySpec:
    """A property a node carries: its type, whether it is required (a record without it
    is refused) or expected (a record without it loads and is reported incomplete), and
    the closed list of values it may take (empty when any value of its type will do)."""

    name: str
    datatype: Datatype
    required: bool
    allowed: tuple[str, ...]
    managed: bool
    description: str
    expected: bool = False

    def rank(self, value: str) -> int:
        """Position of ``value`` in the ordered list of allowed values (low to high)."""
        return self.allowed.index(value)


@dataclass(frozen=True)
class RelationSpec:
    """A relationship type: which labels it may join and the inventory fields that write
    it; ``one_end`` when a start joins at most one end (owl:FunctionalProperty),
    ``one_start`` when an end is joined by at most one start
    (owl:InverseFunctionalProperty), ``required`` when every record of a start label
    must write it (gg:required)."""

    type: str
    field: str
    inverse_field: str | None
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    description: str
    one_end: bool = False
    one_start: bool = False
    required: bool = False

    def joins(self, start: str, end: str) -> bool:
        return start in self.starts and end in self.ends


@dataclass(frozen=True)
class RecordField:
    """A field an inventory record of some label may write: either a property or a
    reference that becomes a relationship (``inverse`` when the record is its end)."""

    name: str
    property: PropertySpec | None = None
    relation: RelationSpec | None = None
    inverse: bool = False


@dataclass(frozen=True)
class LabelSpec:
    """A node label with the record kind users write for it and its properties."""

    name: str
    kind: str
    plural: str
    title: str
    description: str
    catalogue: bool
    properties: Mapping[str, PropertySpec]
    fields: Mapping[str, RecordField] = field(default_factory=dict)

    @property
    def writable(self) -> list[PropertySpec]:
        """The properties an inventory record may write (all but the managed ones)."""
        return [p for p in self.properties.values() if not p.managed]

    # asked once per record and per cell read, a million records at L: worked out once
    @cached_property
    def references(self) -> frozenset[str]:
        """The names of the fields that refer to other records (become relationships)."""
        return frozenset(name for name, f in self.fields.items() if f.relation is not None)

    @cached_property
    def required_references(self) -> tuple[RecordField, ...]:
        """The reference fields every record of this label must write (gg:required)."""
        return tuple(
            f
            for f in self.fields.values()
            if f.relation is not None and not f.inverse and f.relation.required
        )


@dataclass(frozen=True)
class Schema:
    """The whole schema. Labels and relationship types are in a stable order."""

    labels: Mapping[str, LabelSpec]
    relations: Mapping[str, RelationSpec]
    provenance: tuple[PropertySpec, ...]
    vocabularies: Mapping[str, Vocabulary] = field(default_factory=dict)

    def by_kind(self, kind: str) -> LabelSpec | None:
        return self._kinds.get(kind)

    def by_plural(self, plural: str) -> LabelSpec | None:
        return self._plurals.get(plural)

    def kinds(self, *, catalogue: bool | None = None) -> list[str]:
        return sorted(
            spec.kind
            for spec in self.labels.values()
            if catalogue is None or spec.catalogue == catalogue
        )

    def property(self, label: str, name: str) -> PropertySpec:
        return self.labels[label].properties[name]

    def vocabulary(self, name: str) -> Vocabulary:
        """The named vocabulary ``name`` (a local name of the ontology, e.g. RiskTier)."""
        return self.vocabularies[name]

    @cached_property
    def query_parameters(self) -> Mapping[str, tuple[str, ...]]:
        """The vocabularies queries receive as parameters, by parameter name: the
        ontology's values, in order, never spelt in a query text."""
        return {v.parameter: v.values for v in self.vocabularies.values() if v.parameter}

    # Looked up once per record while validating: built once per schema.
    @cached_property
    def _kinds(self) -> dict[str, LabelSpec]:
        return {spec.kind: spec for spec in self.labels.values()}

    @cached_property
    def _plurals(self) -> dict[str, LabelSpec]:
        return {spec.plural: spec for spec in self.labels.values()}


@cache
def load_schema() -> Schema:
    """The schema of the ontology shipped with graphgov (read once, then cached)."""
    text = resources.files(ONTOLOGY_PACKAGE).joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return schema_from_graph(graph)


def vocabulary(name: str) -> Vocabulary:
    """The named vocabulary ``name`` of the shipped ontology (RiskTier, Level, ...)."""
    return load_schema().vocabulary(name)


def schema_from_graph(graph: Graph) -> Schema:
    """Build the schema from an ontology graph; raises SchemaError when it is inconsistent."""
    reader = _OntologyReader(graph)
    return reader.schema()


class _OntologyReader:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.problems: list[str] = []

    def schema(self) -> Schema:
        label_iris = sorted(
            (c for c in self.g.subjects(RDFS.subClassOf, GG.Node) if isinstance(c, URIRef)),
            key=_local,
        )
        labels = [_local(c) for c in label_iris]
        self.vocabularies = self._vocabularies()
        props = self._properties(labels)
        relations = self._relations(labels)
        provenance = tuple(p for p in props.get("", {}).values())
        label_specs: dict[str, LabelSpec] = {}
        for iri in label_iris:
            name = _local(iri)
            own = {**props.get("*", {}), **props.get(name, {})}
            required = self._required(iri) | self._required(GG.Node)
            # a label may waive what every node is expected to have (gg:expected false)
            expected = (self._expected(GG.Node) - self._expected(iri, False)) | self._expected(iri)
            for pname in sorted((required | expected) - set(own)):
                self.problems.append(f"label {name} restricts {pname}, which it does not carry")
            for pname in sorted(required & expected):
                self.problems.append(f"{pname} of {name} is both required and expected")
            specs = {
                pname: PropertySpec(
                    pname,
                    p.datatype,
                    pname in required,
                    p.allowed,
                    p.managed,
                    p.description,
                    expected=pname in expected,
                )
                for pname, p in own.items()
            }
            ordered = dict(sorted(specs.items(), key=lambda kv: _property_order(kv[1])))
            kind = self._text(iri, GG.kind)
            if not kind:
                self.problems.append(f"label {name} has no gg:kind")
            label_specs[name] = LabelSpec(
                name=name,
                kind=kind,
                plural=self._text(iri, GG.plural) or kind + "s",
                title=self._text(iri, RDFS.label) or name,
                description=self._text(iri, RDFS.comment),
                catalogue=bool(self.g.value(iri, GG.catalogue)),
                properties=ordered,
                fields=self._fields(name, ordered, relations),
            )
        if self.problems:
            raise SchemaError("the ontology is inconsistent: " + "; ".join(self.problems))
        return Schema(
            labels=label_specs,
            relations=relations,
            provenance=provenance,
            vocabularies=self.vocabularies,
        )

    # -- vocabularies -----------------------------------------------------------------

    def _vocabularies(self) -> dict[str, Vocabulary]:
        """Named rdfs:Datatypes: closed lists first, then the cuts of ordered ones."""
        named = sorted(
            (d for d in self.g.subjects(RDF.type, RDFS.Datatype) if isinstance(d, URIRef)),
            key=_local,
        )
        out: dict[str, Vocabulary] = {}
        cuts = []
        for iri in named:
            one_of = self.g.value(iri, OWL.oneOf)
            if one_of is None:
                cuts.append(iri)
                continue
            values = tuple(str(v) for v in Collection(self.g, one_of))
            out[_local(iri)] = self._vocabulary(iri, values, bool(self.g.value(iri, GG.ordered)))
        for iri in cuts:
            name, whole = _local(iri), self.g.value(iri, GG.cutOf)
            source = out.get(_local(whole)) if whole is not None else None
            least = self._text(iri, GG.atLeast)
            if source is None or not source.ordered:
                self.problems.append(f"vocabulary {name} is not the top of an ordered vocabulary")
            elif least not in source:
                self.problems.append(
                    f"vocabulary {name} starts at {least!r}, not a value of {source.name}"
                )
            else:
                top = source.values[source.rank(least) :]
                out[name] = self._vocabulary(iri, top, ordered=True)
        parameters = [v.parameter for v in out.values() if v.parameter]
        for p in sorted({p for p in parameters if parameters.count(p) > 1}):
            self.problems.append(f"parameter {p} names two vocabularies")
        return out

    def _vocabulary(self, iri: URIRef, values: tuple[str, ...], ordered: bool) -> Vocabulary:
        name = _local(iri)
        return Vocabulary(
            name=name,
            title=self._text(iri, RDFS.label) or name,
            values=values,
            ordered=ordered,
            parameter=self._text(iri, GG.parameter) or None,
            description=self._text(iri, RDFS.comment),
        )

    # -- properties -------------------------------------------------------------------

    def _properties(self, labels: list[str]) -> dict[str, dict[str, PropertySpec]]:
        """Properties keyed by the label that carries them ("*" for every label)."""
        out: dict[str, dict[str, PropertySpec]] = {}
        for iri in sorted(self.g.subjects(RDF.type, OWL.DatatypeProperty), key=_local):
            if not isinstance(iri, URIRef):
                continue
            name = _local(iri)
            datatype, allowed = self._range(iri)
            spec = PropertySpec(
                name=name,
                datatype=datatype,
                required=False,
                allowed=allowed,
                managed=bool(self.g.value(iri, GG.managed)),
                description=self._text(iri, RDFS.comment),
            )
            for domain in self._classes(self.g.value(iri, RDFS.domain)):
                key = "*" if domain == "Node" else domain
                if key != "*" and domain not in labels:
                    self.problems.append(f"property {name} has unknown domain {domain}")
                out.setdefault(key, {})[name] = spec
                if key == "*" and spec.managed:
                    out.setdefault("", {})[name] = spec
        return out

    def _range(self, prop: URIRef) -> tuple[Datatype, tuple[str, ...]]:
        rng = self.g.value(prop, RDFS.range)
        if isinstance(rng, URIRef) and rng in _DATATYPES:
            return _DATATYPES[rng], ()
        if isinstance(rng, URIRef) and _local(rng) in self.vocabularies:
            return "string", self.vocabularies[_local(rng)].values
        one_of = self.g.value(rng, OWL.oneOf) if rng is not None else None
        if one_of is not None:
            values = tuple(str(v) for v in Collection(self.g, one_of))
            return "string", values
        self.problems.append(f"property {_local(prop)} has an unsupported range")
        return "string", ()

    def _required(self, cls: URIRef) -> set[str]:
        required = set()
        for restriction in self.g.objects(cls, RDFS.subClassOf):
            prop = self.g.value(restriction, OWL.onProperty)
            minimum = self.g.value(restriction, OWL.minCardinality)
            if isinstance(prop, URIRef) and isinstance(minimum, RdfLiteral) and int(minimum) >= 1:
                required.add(_local(prop))
        return required

    def _expected(self, cls: URIRef, flag: bool = True) -> set[str]:
        """Properties a restriction with gg:expected ``flag`` names on ``cls``."""
        expected = set()
        for restriction in self.g.objects(cls, RDFS.subClassOf):
            prop = self.g.value(restriction, OWL.onProperty)
            value = self.g.value(restriction, GG.expected)
            if (
                isinstance(prop, URIRef)
                and isinstance(value, RdfLiteral)
                and bool(value.toPython()) is flag
            ):
                expected.add(_local(prop))
        return expected

    # -- relationships ----------------------------------------------------------------

    def _relations(self, labels: list[str]) -> dict[str, RelationSpec]:
        out: dict[str, RelationSpec] = {}
        for iri in sorted(self.g.subjects(RDF.type, OWL.ObjectProperty), key=_local):
            if not isinstance(iri, URIRef):
                continue
            name = _local(iri)
            starts = tuple(sorted(self._classes(self.g.value(iri, RDFS.domain))))
            ends = tuple(sorted(self._classes(self.g.value(iri, RDFS.range))))
            for label in starts + ends:
                if label not in labels:
                    self.problems.append(f"relationship {name} joins unknown label {label}")
            inverse = self._text(iri, GG.inverseField) or None
            out[name] = RelationSpec(
                type=name,
                field=self._text(iri, GG.field) or name.lower(),
                inverse_field=inverse,
                starts=starts,
                ends=ends,
                description=self._text(iri, RDFS.comment),
                one_end=(iri, RDF.type, OWL.FunctionalProperty) in self.g,
                one_start=(iri, RDF.type, OWL.InverseFunctionalProperty) in self.g,
                required=bool(self.g.value(iri, GG.required)),
            )
        return out

    def _fields(
        self, label: str, props: Mapping[str, PropertySpec], relations: Mapping[str, RelationSpec]
    ) -> dict[str, RecordField]:
        fields: dict[str, RecordField] = {
            name: RecordField(name, property=p) for name, p in props.items() if not p.managed
        }
        for rel in relations.values():
            writes = [(rel.field, False)] if label in rel.starts else []
            if rel.inverse_field and label in rel.ends:
                writes.append((rel.inverse_field, True))
            for name, inverse in writes:
                if name in fields:
                    self.problems.append(f"field {name} of {label} is defined twice")
                fields[name] = RecordField(name, relation=rel, inverse=inverse)
        return fields

    # -- helpers ----------------------------------------------------------------------

    def _classes(self, node: RdfNode | None) -> list[str]:
        """A class, or the members of an owl:unionOf, as local names."""
        if node is None:
            return []
        union = self.g.value(node, OWL.unionOf)
        if union is not None:
            return [_local(cast(URIRef, m)) for m in Collection(self.g, union)]
        return [_local(cast(URIRef, node))]

    def _text(self, subject: RdfNode, predicate: URIRef) -> str:
        value = self.g.value(subject, predicate)
        return str(value) if value is not None else ""


def _local(iri: RdfNode) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _property_order(p: PropertySpec) -> tuple[int, int, str]:
    lead = _LEADING.index(p.name) if p.name in _LEADING else len(_LEADING)
    return (int(p.managed), lead, p.name)
