"""GraphML and GEXF (graphgov/graph_files.py) read back by networkx, as Gephi, yEd and
Cytoscape users' files are read: the same nodes, edges and attributes, typed; the same
batch gives the same bytes; hostile text survives as XML 1.0 allows and nothing in the
file acts on a terminal."""

from __future__ import annotations

import io
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import hostile
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import GeneratedRecord, inventories, write

from graphgov import examples, pipeline
from graphgov.graph import GraphBatch
from graphgov.graph_files import gexf_text, graphml_text, xml_text

Writer = Callable[..., str]
FORMATS: dict[str, tuple[Writer, Callable[[io.BytesIO], Any]]] = {
    "graphml": (graphml_text, nx.read_graphml),
    "gexf": (gexf_text, nx.read_gexf),
}


def read(text: str, fmt: str) -> nx.MultiDiGraph[str]:
    """The file as networkx reads it (a graph without parallel edges comes back as a
    simple one: made a multigraph here, so every test reads edges the same way)."""
    graph = FORMATS[fmt][1](io.BytesIO(text.encode("utf-8")))
    assert graph.is_directed()
    return nx.MultiDiGraph(graph)


def expected_attributes(batch: GraphBatch) -> dict[str, dict[str, Any]]:
    """Each node's attributes as a graph file holds them."""
    out = {}
    for node in batch.nodes:
        attributes: dict[str, Any] = {"labels": node.label, "name": xml_text(node.name)}
        for name, value in node.properties.items():
            if name in ("id", "name"):
                continue
            if isinstance(value, date):
                value = value.isoformat()
            attributes[name] = xml_text(value) if isinstance(value, str) else value
        attributes["source_file"] = xml_text(node.source.file)
        if node.source.line is not None:
            attributes["source_line"] = node.source.line
        out[node.id] = attributes
    return out


def check_graph_file(text: str, batch: GraphBatch, fmt: str) -> None:
    """What any consumer of a graph file may rely on (for the hostile-outputs suite too):
    nothing in it acts on a terminal, it is XML, and networkx reads back the batch's
    nodes (and the catalogue nodes it refers to), edges and attributes."""
    assert hostile.unsafe(text) == []
    ET.fromstring(text.encode("utf-8"))
    graph = read(text, fmt)
    ends = {i for r in batch.relationships for i in (r.start, r.end)}
    assert set(graph.nodes) == {n.id for n in batch.nodes} | ends
    edges = sorted((u, v, d["label"]) for u, v, d in graph.edges(data=True))
    assert edges == sorted((r.start, r.end, r.type) for r in batch.relationships)
    for ident, attributes in expected_attributes(batch).items():
        found = dict(graph.nodes[ident])
        if fmt == "gexf":
            assert found.pop("label") == attributes["name"]  # what Gephi draws
        assert found == attributes, ident


@pytest.fixture(scope="module")
def acme() -> GraphBatch:
    with tempfile.TemporaryDirectory() as tmp:
        examples.write("acme", Path(tmp) / "acme")
        return pipeline.read(Path(tmp) / "acme", cache=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_example_reads_back_equal(acme: GraphBatch, fmt: str) -> None:
    text = FORMATS[fmt][0](acme)
    check_graph_file(text, acme, fmt)
    graph = read(text, fmt)
    system = next(n for n in acme.nodes if n.label == "AISystem")
    assert graph.nodes[system.id]["in_scope"] is system.properties["in_scope"]
    edge = next(iter(graph.edges(data=True)))
    assert {"label", "source_file", "source_line"} <= set(edge[2])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_catalogue_nodes_referred_to_carry_what_known_gives(acme: GraphBatch, fmt: str) -> None:
    known = pipeline.catalogue().nodes
    graph = read(FORMATS[fmt][0](acme, known=known), fmt)
    control = next(n for n in known if n.id == "A.6.2.6")
    assert graph.nodes["A.6.2.6"]["labels"] == "AnnexAControl"
    assert graph.nodes["A.6.2.6"]["name"] == control.name
    # without it, such a node is its id alone
    assert "labels" not in read(FORMATS[fmt][0](acme), fmt).nodes["A.6.2.6"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_batch_gives_the_same_bytes(acme: GraphBatch, fmt: str) -> None:
    text = FORMATS[fmt][0](acme)
    shuffled = GraphBatch(acme.nodes[::-1], acme.relationships[::-1], acme.origin)
    assert FORMATS[fmt][0](shuffled) == text
    assert "lastmodifieddate" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_survives_as_xml_allows(fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        batch = pipeline.read(hostile.write(Path(tmp)), cache=False)
    text = FORMATS[fmt][0](batch)
    check_graph_file(text, batch, fmt)
    # what XML can hold is kept exactly, a carriage return included; what it cannot is
    # shown as a visible escape
    values = [v for n in batch.nodes for v in n.properties.values() if isinstance(v, str)]
    assert any("\r" in v for v in values) and any("\x00" in v for v in values)
    graph = read(text, fmt)
    texts = {v for _, d in graph.nodes(data=True) for v in d.values() if isinstance(v, str)}
    assert any("\r" in v for v in texts)
    assert "nul\\x00byte" in texts and not any("\x00" in v for v in texts)


def test_xml_text_says_what_it_changes() -> None:
    assert xml_text("a\x00b\x1b[31m\x0bc") == "a\\x00b\\x1b[31m\\x0bc"
    kept = "tab\tline\ncr\r é 😀 \u202e \x7f \x85 <&>"
    assert xml_text(kept) == kept


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(records=inventories(max_records=8))
def test_any_valid_inventory_reads_back_equal(records: list[GeneratedRecord]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inv"
        write(records, root, set())
        batch = pipeline.read(root, cache=False)
    for fmt in FORMATS:
        check_graph_file(FORMATS[fmt][0](batch), batch, fmt)
