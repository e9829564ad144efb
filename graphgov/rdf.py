"""The graph as RDF, in the ontology's own terms, for tools that speak RDF (Turtle,
JSON-LD, N-Triples); and the IRIs that the RDF loader (``loaders/rdffile.py``) reads back.

What a batch becomes:

- **Nodes.** Each node is an IRI: ``urn:graphgov:inventory:<origin>:<id>`` for the
  inventory's nodes and ``urn:graphgov:catalogue:<id>`` for the catalogue's (shared by
  every inventory), with the origin and the id percent-encoded (RFC 3986: every byte of
  their UTF-8 outside ``A-Z a-z 0-9 - . _ ~``), so no id can break out of an IRI or
  meet another. A node is typed with its label's class (``gg:AISystem``) and carries
  every property as ``gg:<name>``: a typed literal for dates (``xsd:date``), booleans,
  whole numbers (``xsd:integer``) and decimals, a plain literal for text. ``gg:id`` holds
  the id as written, which is what the loader reads back.
- **Relationships** are ``gg:<TYPE>`` from the start's IRI to the end's. An end outside
  the batch is a catalogue node (validation allows no other); with ``known`` (the
  catalogue's nodes) each one referred to is also typed and named.
- **Provenance** (W3C PROV-O): each node has ``gg:source_file`` and ``gg:source_line``
  and ``prov:hadPrimarySource`` an entity standing for that line of that file
  (``...:source:<file>:<line>``, labelled ``file:line``). A relationship's own source is
  not written: RDF has no place for it short of reifying every triple.
- **What the ontology derives** is written out too, so no reasoner is needed for it:
  every lineage relationship (a ``rdfs:subPropertyOf prov:wasDerivedFrom`` in the
  ontology: derived from, trained on, based on) is also a ``prov:wasDerivedFrom``; a
  node meeting one of the ontology's defined classes (a kill switch, a dataset holding
  personal data, a system the organisation provides) is typed with it; and for those
  the ontology ties to the organisation's role, the system is ``airo:isProvidedBy`` /
  ``airo:isDeployedBy`` the inventory's Organization, typed ``airo:AIProvider`` /
  ``airo:AIDeployer``. The ontology's other alignments (``gg:AISystem rdfs:subClassOf
  airo:AISystem``, ...) are not repeated per node: read the ontology with the data.

The same batch gives the same text: Turtle's subjects and predicates are sorted by
rdflib, N-Triples' lines and JSON-LD's nodes and values by this module. Characters that
could act on a terminal or hide text (``display.UNSAFE_CHARACTERS``) are written as
``\\uXXXX`` escapes, which mean the same character in all three formats. Nothing is
fetched: the vocabularies' terms are only named."""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.term import BNode
from rdflib.term import Node as RdfNode

from graphgov.display import UNSAFE_CHARACTERS
from graphgov.errors import Problem
from graphgov.graph import GraphBatch, Node, Source, Value, collector_paused
from graphgov.schema import GG, ONTOLOGY_FILE, ONTOLOGY_PACKAGE, Schema, load_schema

PROV = Namespace("http://www.w3.org/ns/prov#")
AIRO = Namespace("https://w3id.org/airo#")
DPV = Namespace("https://w3id.org/dpv#")
CATALOGUE = Namespace("urn:graphgov:catalogue:")
INVENTORY_PREFIX = "urn:graphgov:inventory:"
UNNAMED = "unnamed"  # the origin of a batch that has none

# format name (as the CLI offers it) -> rdflib's name for it
FORMATS: Mapping[str, str] = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}
# file suffix -> format name, for reading
SUFFIXES: Mapping[str, str] = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}
TITLES: Mapping[str, str] = {"turtle": "Turtle", "json-ld": "JSON-LD", "nt": "N-Triples"}

Triple = tuple[RdfNode, RdfNode, RdfNode]
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
MAX_JSON_DEPTH = 100  # JSON-LD nests a node object in a few levels

# rdflib reports ill-typed literals and odd IRIs through logging, with a traceback; with
# no handler of the application's, Python's last resort would print them: the library
# never prints (a problem, or validation, says what is wrong with the value instead)
logging.getLogger("rdflib").addHandler(logging.NullHandler())


# -- IRIs ----------------------------------------------------------------------------


def quote_text(text: str) -> str:
    """``text`` percent-encoded for one segment of an IRI: only ``A-Z a-z 0-9 - . _ ~``
    stay as they are."""
    return quote(text, safe="", errors="surrogatepass")


def inventory_namespace(origin: str) -> Namespace:
    """The namespace of an inventory's nodes: ``urn:graphgov:inventory:<origin>:``."""
    return Namespace(f"{INVENTORY_PREFIX}{quote_text(origin or UNNAMED)}:")


def node_iri(namespace: Namespace, ident: str) -> URIRef:
    """The IRI of the node ``ident`` in ``namespace`` (an inventory's, or CATALOGUE)."""
    return URIRef(str(namespace) + quote_text(ident))


def source_iri(namespace: Namespace, source: Source) -> URIRef:
    """The PROV-O entity standing for a line of a source file."""
    line = "" if source.line is None else f":{source.line}"
    return URIRef(f"{namespace}source:{quote_text(source.file)}{line}")


def identifier(term: RdfNode) -> str | None:
    """The id a graphgov node IRI (an inventory's or the catalogue's) stands for, or None
    for any other term."""
    text = str(term) if isinstance(term, URIRef) else ""
    if text.startswith(str(CATALOGUE)):
        rest = text[len(CATALOGUE) :]
    elif text.startswith(INVENTORY_PREFIX):
        _, found, rest = text[len(INVENTORY_PREFIX) :].partition(":")
        if not found:
            return None
    else:
        return None
    # a ':' left over is no node (a source entity); ids have theirs percent-encoded
    if not rest or ":" in rest:
        return None
    return unquote(rest, errors="surrogatepass")


def is_catalogue_iri(term: RdfNode) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(CATALOGUE))


# -- what the ontology aligns and derives ------------------------------------------------


@dataclass(frozen=True)
class Defined:
    """A class the ontology defines from a property value (owl:equivalentClass of a
    label and a restriction): a node of ``label`` whose ``prop`` is one of ``values`` is
    one. ``role`` and ``link``: the class the Organization takes for such a node, and
    the property from the node to it (gg:organizationRole, gg:organizationLink)."""

    cls: URIRef
    label: URIRef
    prop: URIRef
    values: tuple[RdfLiteral, ...]
    role: URIRef | None = None
    link: URIRef | None = None


@dataclass(frozen=True)
class Alignment:
    """What the shipped ontology says beyond the schema: the relationship types that are
    also prov:wasDerivedFrom, its defined classes, and every named class and property
    each class and property is a subclass or subproperty of (transitively)."""

    lineage: frozenset[URIRef]
    defined: tuple[Defined, ...]
    superclasses: Mapping[URIRef, frozenset[URIRef]]
    superproperties: Mapping[URIRef, frozenset[URIRef]]


@cache
def ontology() -> Graph:
    """The shipped ontology as an RDF graph (read once)."""
    text = resources.files(ONTOLOGY_PACKAGE).joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")
    graph = Graph(bind_namespaces="none")
    graph.parse(data=text, format="turtle")
    return graph


@cache
def alignment() -> Alignment:
    """The shipped ontology's alignments and defined classes (read once)."""
    g = ontology()
    superclasses = _closure(g, RDFS.subClassOf)
    superproperties = _closure(g, RDFS.subPropertyOf)
    lineage = frozenset(p for p, supers in superproperties.items() if PROV.wasDerivedFrom in supers)
    defined = []
    for cls in sorted(s for s in g.subjects(OWL.equivalentClass, None) if isinstance(s, URIRef)):
        found = _definition(g, cls)
        if found is not None:
            defined.append(found)
    return Alignment(lineage, tuple(defined), superclasses, superproperties)


def _closure(g: Graph, predicate: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    direct: dict[URIRef, set[URIRef]] = {}
    for s, o in g.subject_objects(predicate):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            direct.setdefault(s, set()).add(o)
    out: dict[URIRef, frozenset[URIRef]] = {}
    for start in direct:
        seen: set[URIRef] = set()
        todo = list(direct[start])
        while todo:
            item = todo.pop()
            if item not in seen:
                seen.add(item)
                todo.extend(direct.get(item, ()))
        out[start] = frozenset(seen)
    return out


def _definition(g: Graph, cls: URIRef) -> Defined | None:
    """``cls`` as a label and a restriction on one of its properties' values, or None
    when its definition is of another shape."""
    members = g.value(g.value(cls, OWL.equivalentClass), OWL.intersectionOf)
    if members is None:
        return None
    labels = [m for m in Collection(g, members) if isinstance(m, URIRef)]
    restrictions = [m for m in Collection(g, members) if isinstance(m, BNode)]
    if len(labels) != 1 or len(restrictions) != 1:
        return None
    restriction = restrictions[0]
    prop = g.value(restriction, OWL.onProperty)
    value = g.value(restriction, OWL.hasValue)
    if value is not None:
        values = [value]
    else:
        one_of = g.value(g.value(restriction, OWL.someValuesFrom), OWL.oneOf)
        values = list(Collection(g, one_of)) if one_of is not None else []
    literals = tuple(v for v in values if isinstance(v, RdfLiteral))
    if not isinstance(prop, URIRef) or not literals:
        return None
    role, link = g.value(cls, GG.organizationRole), g.value(cls, GG.organizationLink)
    return Defined(
        cls,
        labels[0],
        prop,
        literals,
        role if isinstance(role, URIRef) else None,
        link if isinstance(link, URIRef) else None,
    )


def derived(graph: Graph, aligned: Alignment | None = None) -> set[Triple]:
    """The triples the ontology derives from the graphgov triples in ``graph`` (its
    labels' classes, ``gg:`` properties and relationship types), which the export
    writes out: lineage as prov:wasDerivedFrom, defined classes, the organisation's
    AIRO roles."""
    aligned = aligned or alignment()
    out: set[Triple] = set()
    for prop in aligned.lineage:
        for s, o in graph.subject_objects(prop):
            out.add((s, PROV.wasDerivedFrom, o))
    organizations = set(graph.subjects(RDF.type, GG.Organization))
    organization = next(iter(organizations)) if len(organizations) == 1 else None
    for d in aligned.defined:
        for s in graph.subjects(RDF.type, d.label):
            if not any(_same(o, v) for o in graph.objects(s, d.prop) for v in d.values):
                continue
            out.add((s, RDF.type, d.cls))
            if d.role is not None and d.link is not None and organization is not None:
                out.add((s, d.link, organization))
                out.add((organization, RDF.type, d.role))
    return out


def _same(a: RdfNode, b: RdfLiteral) -> bool:
    """Whether a literal of the data is the ontology's value (a plain literal and an
    xsd:string one being the same text)."""
    if not isinstance(a, RdfLiteral):
        return False
    if a.datatype in (None, XSD.string) and b.datatype in (None, XSD.string):
        return a.language is None and str(a) == str(b)
    return bool(a == b)


# -- writing ------------------------------------------------------------------------------


def literal(value: Value) -> RdfLiteral:
    """A property value as an RDF literal: xsd:date, xsd:boolean, xsd:integer and
    xsd:decimal for those types, a plain literal (xsd:string) for text."""
    if isinstance(value, bool):
        return RdfLiteral(value)
    if isinstance(value, int):
        return RdfLiteral(value)
    if isinstance(value, float):
        # the shortest text that reads back as the same float, without an exponent
        return RdfLiteral(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)
    if isinstance(value, date):
        return RdfLiteral(value.isoformat(), datatype=XSD.date)
    return RdfLiteral(value)


def to_rdf(batch: GraphBatch, schema: Schema | None = None, *, known: Iterable[Node] = ()) -> Graph:
    """The batch as an RDF graph in the ontology's terms (see the module's docstring).
    ``known`` are nodes outside the batch its relationships may end at (the
    catalogue's): each one referred to is typed and named, so a reader knows what it is."""
    schema = schema or load_schema()
    namespace = inventory_namespace(batch.origin)
    graph = _new_graph(namespace)
    iris = {n.id: _node_iri(n, schema, namespace) for n in batch.nodes}
    for node in batch.nodes:
        _add_node(graph, node, iris[node.id], schema, namespace)
    outside = {n.id: n for n in known if n.id not in iris}
    referred: set[str] = set()
    for rel in batch.relationships:
        ends = []
        for ident in (rel.start, rel.end):
            iri = iris.get(ident)
            if iri is None:
                # validation lets a relationship end outside the batch only at the catalogue
                iri = node_iri(CATALOGUE, ident)
                referred.add(ident)
            ends.append(iri)
        graph.add((ends[0], GG[rel.type], ends[1]))
    for ident in sorted(referred & set(outside)):
        node = outside[ident]
        iri = node_iri(CATALOGUE, ident)
        graph.add((iri, RDF.type, GG[node.label]))
        graph.add((iri, GG.id, RdfLiteral(ident)))
        if "name" in node.properties:
            graph.add((iri, GG.name, literal(node.properties["name"])))
    for triple in derived(graph):
        graph.add(triple)
    return graph


def _new_graph(namespace: Namespace) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, ns in _prefixes(namespace).items():
        graph.bind(prefix, ns)
    return graph


def _prefixes(namespace: Namespace) -> dict[str, str]:
    return {
        "gg": str(GG),
        "inv": str(namespace),
        "cat": str(CATALOGUE),
        "prov": str(PROV),
        "airo": str(AIRO),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
    }


def _node_iri(node: Node, schema: Schema, namespace: Namespace) -> URIRef:
    spec = schema.labels.get(node.label)
    return node_iri(CATALOGUE if spec is not None and spec.catalogue else namespace, node.id)


def _add_node(graph: Graph, node: Node, iri: URIRef, schema: Schema, namespace: Namespace) -> None:
    graph.add((iri, RDF.type, GG[node.label]))
    for name, value in node.properties.items():
        graph.add((iri, GG[name], literal(value)))
    spec = schema.labels.get(node.label)
    home = CATALOGUE if spec is not None and spec.catalogue else namespace
    source = source_iri(home, node.source)
    graph.add((iri, GG.source_file, RdfLiteral(node.source.file)))
    if node.source.line is not None:
        graph.add((iri, GG.source_line, RdfLiteral(node.source.line)))
    graph.add((iri, PROV.hadPrimarySource, source))
    graph.add((source, RDF.type, PROV.Entity))
    graph.add((source, RDFS.label, RdfLiteral(str(node.source))))


def rdf_text(
    batch: GraphBatch, fmt: str, schema: Schema | None = None, *, known: Iterable[Node] = ()
) -> str:
    """The batch as RDF text in ``fmt`` (``turtle``, ``json-ld`` or ``nt``): the same
    batch gives the same text, and nothing in it can act on a terminal."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; formats are: {', '.join(FORMATS)}")
    with collector_paused():  # rdflib's terms are many small objects, all kept
        graph = to_rdf(batch, schema, known=known)
        return serialize(graph, fmt, inventory_namespace(batch.origin))


def serialize(graph: Graph, fmt: str, namespace: Namespace | None = None) -> str:
    """``graph`` as text in ``fmt``, in a stable order, with every character that could
    act on a terminal written as a ``\\uXXXX`` escape."""
    if fmt == "nt":
        lines = graph.serialize(format="nt").split("\n")
        text = "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())
    elif fmt == "json-ld":
        context = _prefixes(namespace or inventory_namespace(""))
        raw = graph.serialize(format="json-ld", context=context, indent=2)
        text = json.dumps(_sorted_json(json.loads(raw)), indent=2, ensure_ascii=False) + "\n"
    else:
        text = graph.serialize(format=FORMATS[fmt])
    # inside string literals, the only place such characters can be, \uXXXX means the
    # character itself in Turtle, N-Triples and JSON alike
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def _sorted_json(value: Any) -> Any:
    """A JSON-LD document with its nodes and every list of values in a stable order (no
    list in graphgov's RDF is ordered: RDF lists are never written)."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def triples_of(graph: Graph, subject: RdfNode) -> Iterator[Triple]:
    """Every triple of ``graph`` whose subject is ``subject``."""
    for p, o in graph.predicate_objects(subject):
        yield subject, p, o


# -- reading ------------------------------------------------------------------------------


def parse(text: str, fmt: str, shown: str, base: str) -> tuple[Graph, dict[str, str]] | Problem:
    """The RDF text in ``fmt`` (``turtle``, ``json-ld``, ``nt``) as a graph, with the
    prefixes it declares; or the one problem that stops it being read (the parser's
    reason, on one line, with its line where the parser says). Relative IRIs resolve
    against ``base``. Nothing is fetched: a JSON-LD text naming a remote context is
    refused."""
    prefixes: dict[str, str] = {}
    if fmt == "json-ld":
        problem = _json_problem(text, shown, prefixes)
        if problem is not None:
            return problem
    graph = Graph(bind_namespaces="none")
    try:
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser warns of its own use of ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=text, format=FORMATS[fmt], publicID=base)
    except RecursionError:
        return Problem(shown, None, None, f"{TITLES[fmt]} is nested too deeply")
    except Exception as exc:  # rdflib's parsers raise many kinds, each a bad file
        return _syntax_problem(exc, fmt, text, shown)
    prefixes.update({p: str(ns) for p, ns in graph.namespaces()})
    return graph, prefixes


def _json_problem(text: str, shown: str, prefixes: dict[str, str]) -> Problem | None:
    """Why a JSON-LD text cannot be read offline (not JSON, too deep, a remote context),
    or None; fills ``prefixes`` from its top-level context."""
    try:
        document = json.loads(text)
    except RecursionError:
        return Problem(shown, None, None, "JSON-LD is nested too deeply")
    except json.JSONDecodeError as exc:
        return Problem(shown, exc.lineno, None, f"not valid JSON-LD: {exc.msg}")
    context = document.get("@context") if isinstance(document, dict) else None
    if isinstance(context, dict):
        prefixes.update({k: v for k, v in context.items() if isinstance(v, str)})
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return Problem(shown, None, None, "JSON-LD is nested too deeply")
        if isinstance(value, dict):
            if "@context" in value and _remote(value["@context"]):
                return Problem(
                    shown,
                    None,
                    "@context",
                    "refers to a remote context, which graphgov does not fetch (it works "
                    "offline): write the context into the file",
                )
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


def _remote(context: Any) -> bool:
    """Whether a JSON-LD context value names a context to load (an IRI, or @import)."""
    if isinstance(context, str):
        return True
    if isinstance(context, list):
        return any(_remote(c) for c in context)
    return isinstance(context, dict) and "@import" in context


def _syntax_problem(exc: Exception, fmt: str, text: str, shown: str) -> Problem:
    """The parser's complaint as one problem: its reason and, where it says, the line."""
    title = TITLES[fmt]
    why = getattr(exc, "_why", None)
    lines = getattr(exc, "lines", None)
    if isinstance(why, str) and isinstance(lines, int):  # rdflib's Turtle parser
        return Problem(shown, lines + 1, None, f"not valid {title}: {why}")
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    line = None
    if message.startswith("Invalid line: "):  # rdflib's N-Triples parser quotes the line
        wanted = message.removeprefix("Invalid line: ").strip()
        # ... the rest of the line from where it went wrong, that is
        line = next(
            (n for n, t in enumerate(text.split("\n"), 1) if t.strip().endswith(wanted)), None
        )
        message = "a line is not a triple"
    return Problem(shown, line, None, f"not valid {title}: {message[:300]}")
