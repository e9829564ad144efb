"""SHACL shapes generated from the ontology, and a check of RDF data against them with
pySHACL: for teams that validate graphgov's RDF export (``graphgov/rdf.py``), or RDF of
their own written in the ontology's terms, with the SHACL tools they already use.

One ``sh:NodeShape`` per label (``urn:graphgov:shapes#AISystem``), targeting its class
and closed to what the ontology gives the label (its properties, the relationship types
that start at it, provenance and what the export derives: ``rdf:type``,
``prov:hadPrimarySource``, ``prov:wasDerivedFrom`` and the AIRO role links). Each
constraint is a property shape of its own with a ``sh:message`` in graphgov's words:

- every property: its datatype (``xsd:string``, ``xsd:boolean``, ``xsd:integer``,
  ``xsd:decimal``, ``xsd:date``), at most one value, a closed list of values as
  ``sh:in``, ``sh:minCount 1`` where the property is required;
- every relationship type starting at the label: its end is a node of one of the labels
  it may join (``sh:class``; an end that is the catalogue's may also be a bare
  ``urn:graphgov:catalogue:`` IRI, as the export writes it without ``known``), at most
  one end where the ontology says so (owl:FunctionalProperty), at least one where it is
  required (gg:required), and at most one start per end (owl:InverseFunctionalProperty,
  on the end's shape, through ``sh:inversePath``).

What the shapes cannot say, validation still checks on load: ids unique across the
inventory and the catalogue, the one Organization, references to the catalogue's ids.
Properties a label only expects (gg:expected) are not constraints: a record without
them loads, and the incomplete-record check reports it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import RDF, XSD, BNode, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.term import Node as RdfNode

from graphgov import rdf
from graphgov.display import path_text, quoted
from graphgov.errors import Problem
from graphgov.schema import GG, LabelSpec, PropertySpec, RelationSpec, Schema, load_schema

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("urn:graphgov:shapes#")
_DATATYPES = {
    "string": XSD.string,
    "boolean": XSD.boolean,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "date": XSD.date,
}
_WRITTEN = {
    "string": "text",
    "boolean": "true or false (xsd:boolean)",
    "integer": "a whole number (xsd:integer)",
    "decimal": "a number (xsd:decimal)",
    "date": "a date written YYYY-MM-DD (xsd:date)",
}


def shapes(schema: Schema | None = None) -> Graph:
    """The SHACL shapes of the schema (the shipped one by default), as an RDF graph."""
    schema = schema or load_schema()
    g = Graph(bind_namespaces="none")
    for prefix, ns in (("sh", SH), ("gg", GG), ("shape", SHAPES), ("xsd", XSD), ("prov", rdf.PROV)):
        g.bind(prefix, ns)
    links = sorted({d.link for d in rdf.alignment().defined if d.link is not None})
    ignored = [RDF.type, rdf.PROV.hadPrimarySource, rdf.PROV.wasDerivedFrom, *links]
    for spec in schema.labels.values():
        shape = SHAPES[spec.name]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, GG[spec.name]))
        g.add((shape, SH.closed, RdfLiteral(True)))
        g.add((shape, SH.ignoredProperties, _list(g, ignored)))
        g.add((shape, SH.message, RdfLiteral(f"not a property of {spec.kind} records")))
        for prop in spec.properties.values():
            _property(g, shape, spec, prop)
        for rel in schema.relations.values():
            if spec.name in rel.starts:
                _relation(g, shape, rel, schema)
            if spec.name in rel.ends and rel.one_start:
                title = spec.title
                _constraint(
                    g,
                    shape,
                    _inverse(g, GG[rel.type]),
                    [(SH.maxCount, RdfLiteral(1))],
                    f"a {title} is joined by at most one {rel.type}",
                )
    return g


def _property(g: Graph, shape: URIRef, spec: LabelSpec, prop: PropertySpec) -> None:
    path = GG[prop.name]
    name = prop.name
    _constraint(
        g,
        shape,
        path,
        [(SH.datatype, _DATATYPES[prop.datatype])],
        f"{name} must be {_WRITTEN[prop.datatype]}",
    )
    _constraint(g, shape, path, [(SH.maxCount, RdfLiteral(1))], f"{name} holds one value")
    if prop.allowed:
        values = _list(g, [RdfLiteral(v) for v in prop.allowed])
        listed = ", ".join(prop.allowed)
        _constraint(g, shape, path, [(SH["in"], values)], f"{name} must be one of: {listed}")
    if prop.required:
        _constraint(
            g,
            shape,
            path,
            [(SH.minCount, RdfLiteral(1))],
            f"{name} is required (every {spec.kind} has one)",
        )


def _relation(g: Graph, shape: URIRef, rel: RelationSpec, schema: Schema) -> None:
    path = GG[rel.type]
    ends = [schema.labels[e] for e in rel.ends]
    options: list[RdfNode] = []
    for end in ends:
        option = BNode()
        g.add((option, SH["class"], GG[end.name]))
        options.append(option)
    if any(end.catalogue for end in ends):
        option = BNode()
        g.add((option, SH.nodeKind, SH.IRI))
        g.add((option, SH.pattern, RdfLiteral("^" + str(rdf.CATALOGUE))))
        options.append(option)
    titles = " or ".join(end.title for end in ends)
    _constraint(
        g,
        shape,
        path,
        [(SH["or"], _list(g, options))],
        f"{rel.field} ({rel.type}) must refer to a {titles}",
    )
    if rel.one_end:
        _constraint(
            g, shape, path, [(SH.maxCount, RdfLiteral(1))], f"{rel.field} refers to one {titles}"
        )
    if rel.required:
        _constraint(
            g,
            shape,
            path,
            [(SH.minCount, RdfLiteral(1))],
            f"{rel.field} is required: it names the {titles} it is about",
        )


def _constraint(
    g: Graph,
    shape: URIRef,
    path: RdfNode,
    constraints: list[tuple[URIRef, RdfNode]],
    message: str,
) -> None:
    """A property shape of ``shape`` on ``path`` with ``constraints`` and ``message``."""
    node = BNode()
    g.add((shape, SH.property, node))
    g.add((node, SH.path, path))
    for predicate, value in constraints:
        g.add((node, predicate, value))
    g.add((node, SH.message, RdfLiteral(message)))


def _inverse(g: Graph, path: URIRef) -> BNode:
    node = BNode()
    g.add((node, SH.inversePath, path))
    return node


def _list(g: Graph, items: Sequence[RdfNode]) -> BNode:
    head = BNode()
    Collection(g, head, list(items))
    return head


def check_shacl(data: Path | Graph, schema: Schema | None = None) -> list[Problem]:
    """Every violation of the schema's shapes in ``data`` (an RDF file, read by its
    suffix: .ttl, .jsonld, .nt; or a graph), one problem each naming the focus node,
    the property and what is wrong, sorted; an empty list when the data conforms. A
    file that cannot be read is one problem."""
    from pyshacl import validate  # a second or so to import: only when a check is asked

    if isinstance(data, Graph):
        shown, graph = "RDF data", data
    else:
        shown = path_text(data)
        read = _read(data, shown)
        if isinstance(read, Problem):
            return [read]
        graph = read
    _, report, _ = validate(
        graph,
        shacl_graph=shapes(schema),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    assert isinstance(report, Graph)
    problems = []
    for result in set(report.subjects(RDF.type, SH.ValidationResult)):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        reason = f"{_term(focus)}: {message}" if message is not None else f"{_term(focus)}"
        if value is not None and value != focus:
            reason += f" (got {_term(value)})"
        problems.append(Problem(shown, None, _path(report, path), reason))
    return sorted(set(problems), key=lambda p: (p.field or "", p.reason))


def _read(path: Path, shown: str) -> Graph | Problem:
    fmt = rdf.SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        suffixes = ", ".join(rdf.SUFFIXES)
        return Problem(shown, None, None, f"not an RDF file graphgov reads ({suffixes})")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(shown, None, None, f"cannot be read as UTF-8 text: {exc}")
    parsed = rdf.parse(text, fmt, shown, path.resolve().as_uri())
    return parsed if isinstance(parsed, Problem) else parsed[0]


def _term(term: RdfNode | None) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, RdfLiteral):
        return quoted(str(term))
    return "a blank node"


def _path(report: Graph, path: RdfNode | None) -> str | None:
    """The property a result is about, by its local name (``risk_tier``)."""
    if path is None:
        return None
    inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if inverse is not None:
        return f"^{_local(inverse)}"
    return _local(path)


def _local(term: RdfNode) -> str:
    text = str(term)
    return text[len(GG) :] if text.startswith(str(GG)) else f"<{text}>"
