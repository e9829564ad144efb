"""The graph as a file for graph tools: GraphML (yEd, Cytoscape, Gephi) and GEXF
(Gephi), written by networkx.

Each node keeps its id, with its label as ``labels`` (the name Neo4j's own GraphML
export uses), ``name``, every property (dates as ISO text, ``YYYY-MM-DD``; booleans,
whole numbers and decimals typed) and its provenance as ``source_file`` and
``source_line``. Each relationship is a directed edge with its type as ``label`` and
its provenance; two nodes may be joined by several relationships of different types.
GEXF also shows a node's name as its label (what Gephi draws); GraphML gives each edge
an id (``e0``, ``e1``, ... in the order below) and GEXF, through networkx, keeps it as
the edge attribute ``networkx_key``.

The same batch gives the same bytes: nodes in the natural order of their ids, edges by
start, type and end, attributes in the schema's order, and GEXF's date of last change
left out. Text keeps its characters as far as XML 1.0 allows (``xml_text``): a
character XML cannot hold at all (C0 controls but tab, line feed and carriage return;
U+FFFE, U+FFFF) is shown as a visible escape, ``\\x1b`` for ESC as ``display.printable``
writes it; one it can hold but that would act on a terminal or hide text (carriage
return, DEL, C1 controls, bidirectional and invisible marks) is written as a character
reference, as ElementTree writes every character outside ASCII, so the file is safe to
print and parses back to the same text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from graphgov.display import UNSAFE_CHARACTERS, printable
from graphgov.graph import GraphBatch, Node, Relationship, Source, Value
from graphgov.schema import Schema, load_schema, natural_key

if TYPE_CHECKING:  # networkx is imported when a graph file is written: every command
    import networkx as nx  # would pay 90 ms at start-up for it otherwise

# what XML 1.0 forbids even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# what could act on a terminal or hide text, and carriage returns: character references
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
Attribute = str | bool | int | float
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
# node data networkx's GEXF writer takes for GEXF's own attributes: a property of one of
# these names is written as <name>_ instead
_GEXF_OWN = frozenset({"id", "label", "pid", "start", "end", "parents", "spells", "viz", "slices"})


def xml_text(text: str) -> str:
    """``text`` as a graph file holds it: each character XML 1.0 cannot hold replaced by
    its visible escape (``\\x00``), every other character kept."""
    return _NOT_XML.sub(lambda m: _visible(m.group()), text)


def _visible(char: str) -> str:
    shown = printable(char)
    return shown if shown != char else f"\\u{ord(char):04x}"


def graph(
    batch: GraphBatch, schema: Schema | None = None, *, known: Iterable[Node] = ()
) -> nx.MultiDiGraph[str]:
    """The batch as a networkx multigraph with the attributes graph files carry (text
    already made fit for XML). A relationship may end outside the batch (at the
    catalogue): that end is a node too, with the attributes of its node in ``known``
    when given, else its id alone."""
    import networkx as nx

    schema = schema or load_schema()
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    inside = {n.id for n in batch.nodes}
    ends = {i for r in batch.relationships for i in (r.start, r.end)} - inside
    nodes = [*batch.nodes, *(n for n in known if n.id in ends)]
    for node in sorted(nodes, key=lambda n: natural_key(n.id)):
        g.add_node(xml_text(node.id), **_node_attributes(node, schema))
    for ident in sorted(ends - {n.id for n in nodes}, key=natural_key):
        g.add_node(xml_text(ident))
    for number, rel in enumerate(_ordered(batch.relationships)):
        attributes: dict[str, Attribute] = {"label": rel.type, **_provenance(rel.source)}
        g.add_edge(xml_text(rel.start), xml_text(rel.end), key=f"e{number}", **attributes)
    return g


def _ordered(relationships: tuple[Relationship, ...]) -> list[Relationship]:
    return sorted(
        relationships,
        key=lambda r: (natural_key(r.start), r.type, natural_key(r.end), r.source),
    )


def _node_attributes(node: Node, schema: Schema) -> dict[str, Attribute]:
    spec = schema.labels.get(node.label)
    names = [p for p in spec.properties if p in node.properties] if spec else []
    names += sorted(set(node.properties) - set(names))
    out: dict[str, Attribute] = {"labels": node.label, "name": xml_text(node.name)}
    for name in names:
        if name not in ("id", "name"):
            out[name] = _attribute(node.properties[name])
    out.update(_provenance(node.source))
    return out


def _attribute(value: Value) -> Attribute:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return xml_text(value)
    return value


def _provenance(source: Source) -> dict[str, Attribute]:
    out: dict[str, Attribute] = {"source_file": xml_text(source.file)}
    if source.line is not None:
        out["source_line"] = source.line
    return out


def graphml_text(
    batch: GraphBatch, schema: Schema | None = None, *, known: Iterable[Node] = ()
) -> str:
    """The batch as GraphML (``known`` as for ``graph``): the same batch gives the same
    text."""
    # the writer itself, not nx.generate_graphml, which splits the text with
    # str.splitlines and so breaks a value at every U+0085, U+2028, form feed or CR
    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(graph(batch, schema, known=known))
    return _DECLARATION + "\n" + _references(str(writer).rstrip("\n")) + "\n"


def gexf_text(
    batch: GraphBatch, schema: Schema | None = None, *, known: Iterable[Node] = ()
) -> str:
    """The batch as GEXF 1.2 (what Gephi reads; ``known`` as for ``graph``): the same
    batch gives the same text."""
    g = graph(batch, schema, known=known)
    for node, data in g.nodes(data=True):
        for name in sorted(_GEXF_OWN & set(data)):
            data[f"{name}_"] = data.pop(name)
        # what Gephi draws; networkx's writer moves it out of the attributes
        data["label"] = data.get("name", node)
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        # networkx stamps the day it writes, and its version: the same graph would
        # differ from day to day and from one networkx to the next
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "graphgov"
    writer.add_graph(g)
    return _DECLARATION + "\n" + _references(str(writer).rstrip("\n")) + "\n"


def _references(text: str) -> str:
    """XML text whose carriage returns and characters that could act on a terminal are
    character references (the markup is ASCII: they sit in text and attribute values)."""
    return _UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", text)
