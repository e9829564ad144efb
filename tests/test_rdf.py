"""The graph as RDF (graphgov/rdf.py) and RDF read back (loaders/rdffile.py): an export
in Turtle, JSON-LD or N-Triples reads back as the graph it came from (the example, any
generated inventory, the hostile corpus); the export is deterministic and safe to print;
the ontology's alignments to PROV-O, AIRO and DPV hold over the ontology and the data;
RDF that is not graphgov's gets one clear problem per thing wrong; and the SHACL shapes
generated from the ontology accept the export and catch what validation would refuse."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import hostile
import pytest
from graphgov.loaders import inventory
from graphgov.loaders.rdffile import read_rdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from strategies import GeneratedRecord, expected_graph, inventories, write

from graphgov import examples, pipeline
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch, Node, Relationship, Source
from graphgov.rdf import (
    AIRO,
    CATALOGUE,
    DPV,
    FORMATS,
    PROV,
    SUFFIXES,
    alignment,
    identifier,
    inventory_namespace,
    node_iri,
    ontology,
    quote_text,
    rdf_text,
    serialize,
    to_rdf,
)
from graphgov.schema import GG, load_schema
from graphgov.shapes import SH, SHAPES, check_shacl, shapes
from graphgov.validation import build_batch

SUFFIX = {fmt: suffix for suffix, fmt in SUFFIXES.items()}
SCHEMA = load_schema()
View = tuple[dict[str, tuple[str, dict[str, Any]]], set[tuple[str, str, str]]]


def view(batch: GraphBatch) -> View:
    """What must survive a round trip: every node's label and properties (dates,
    booleans and numbers typed), every relationship."""
    nodes = {n.id: (n.label, dict(n.properties)) for n in batch.nodes}
    return nodes, {(r.type, r.start, r.end) for r in batch.relationships}


def read_back(text: str, fmt: str, folder: Path, origin: str = "") -> GraphBatch:
    """``text`` written to a file of ``fmt``'s suffix, read by the RDF reader and
    validated as the pipeline does (the catalogue known); fails on any problem."""
    path = folder / f"export{SUFFIX[fmt]}"
    path.write_text(text, encoding="utf-8")
    records, problems = read_rdf(path, str(path), path.name, None)
    assert problems == []
    return build_batch(records, known=pipeline.catalogue().nodes, origin=origin)


def check_rdf_text(text: str, batch: GraphBatch, fmt: str) -> None:
    """What any consumer of an RDF export may rely on (for the hostile-outputs suite
    too): nothing in it acts on a terminal, rdflib parses it, and it reads back as
    ``batch``."""
    assert hostile.unsafe(text) == []
    with tempfile.TemporaryDirectory() as tmp:
        assert view(read_back(text, fmt, Path(tmp), batch.origin)) == view(batch)


@pytest.fixture(scope="module")
def acme() -> GraphBatch:
    with tempfile.TemporaryDirectory() as tmp:
        examples.write("acme", Path(tmp) / "acme")
        return pipeline.read(Path(tmp) / "acme", cache=False)


@pytest.fixture(scope="module")
def hostile_batch() -> GraphBatch:
    with tempfile.TemporaryDirectory() as tmp:
        return pipeline.read(hostile.write(Path(tmp)), cache=False)


# -- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_example_reads_back_as_the_graph_it_came_from(
    acme: GraphBatch, fmt: str, tmp_path: Path
) -> None:
    text = rdf_text(acme, fmt, known=pipeline.catalogue().nodes)
    back = read_back(text, fmt, tmp_path, acme.origin)
    assert view(back) == view(acme)
    # dates come back as dates, booleans as booleans
    dated = [n for n in acme.nodes if any(hasattr(v, "isoformat") for v in n.properties.values())]
    assert dated and all(
        dict(back_node.properties) == dict(node.properties)
        for node in dated
        for back_node in back.nodes
        if back_node.id == node.id
    )
    # provenance is where the reader read it: the export, on the line its subject starts
    assert {n.source.file for n in back.nodes} == {f"export{SUFFIX[fmt]}"}
    lines = text.split("\n")
    for node in back.nodes:
        assert node.source.line is not None
        assert quote_text(node.id) in lines[node.source.line - 1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_inventory_loader_reads_an_export_among_yaml_files(
    acme: GraphBatch, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registered by suffix in the inventory loader's READERS (as the integration does),
    an export in a folder loads through the pipeline like any inventory file."""
    monkeypatch.setitem(inventory.READERS, SUFFIX[fmt], read_rdf)
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / f"acme{SUFFIX[fmt]}").write_text(rdf_text(acme, fmt), encoding="utf-8")
    assert view(pipeline.read(folder, cache=False)) == view(acme)


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(records=inventories(max_records=8), fmt=st.sampled_from(list(FORMATS)))
def test_any_valid_inventory_reads_back_equal(records: list[GeneratedRecord], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inv"
        write(records, root, set())
        batch = pipeline.read(root, cache=False)
        nodes, rels = expected_graph(records)
        assert view(batch) == (nodes, rels)
        back = read_back(rdf_text(batch, fmt), fmt, Path(tmp), batch.origin)
    assert view(back) == (nodes, rels)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_ids_and_text_read_back_exactly(hostile_batch: GraphBatch, fmt: str) -> None:
    text = rdf_text(hostile_batch, fmt)
    check_rdf_text(text, hostile_batch, fmt)
    # every id reaches the graph as written, whatever it holds, inside an IRI of its own
    graph = to_rdf(hostile_batch)
    namespace = inventory_namespace(hostile_batch.origin)
    for node in hostile_batch.nodes:
        iri = node_iri(namespace, node.id)
        assert (iri, GG.id, Literal(node.id)) in graph
        assert identifier(iri) == node.id
        assert all(c.isascii() and c not in '<>"{}|\\^` ' for c in str(iri))


def test_the_same_batch_gives_the_same_text_whatever_its_order_and_hash_seed(
    acme: GraphBatch,
) -> None:
    shuffled = GraphBatch(acme.nodes[::-1], acme.relationships[::-1], acme.origin)
    texts = {fmt: rdf_text(acme, fmt) for fmt in FORMATS}
    assert {fmt: rdf_text(shuffled, fmt) for fmt in FORMATS} == texts
    # rdflib keeps triples in hash-ordered sets: another seed must give the same bytes
    script = textwrap.dedent(
        """
        import sys, tempfile
        from pathlib import Path
        from graphgov import examples, pipeline
        from graphgov.rdf import FORMATS, rdf_text
        with tempfile.TemporaryDirectory() as tmp:
            examples.write("acme", Path(tmp) / "acme")
            batch = pipeline.read(Path(tmp) / "acme", cache=False)
        sys.stdout.write("\\0".join(rdf_text(batch, fmt) for fmt in FORMATS))
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "GRAPHGOV_NO_CACHE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert out.split("\0") == [texts[fmt] for fmt in FORMATS]


# -- what the RDF says --------------------------------------------------------------------


def test_nodes_are_typed_with_typed_literals_and_prov_provenance(acme: GraphBatch) -> None:
    graph = to_rdf(acme)
    namespace = inventory_namespace("acme")
    system = next(n for n in acme.nodes if n.label == "AISystem" and n.source.line)
    iri = node_iri(namespace, system.id)
    assert (iri, RDF.type, GG.AISystem) in graph
    assert graph.value(iri, GG.in_scope) == Literal(system.properties["in_scope"])
    assert graph.value(iri, GG.source_file) == Literal(system.source.file)
    assert graph.value(iri, GG.source_line) == Literal(system.source.line)
    source = graph.value(iri, PROV.hadPrimarySource)
    assert (source, RDF.type, PROV.Entity) in graph
    assert str(graph.value(source, RDFS.label)) == str(system.source)
    dated = next(n for n in acme.nodes if "issued_on" in n.properties)
    literal = graph.value(node_iri(namespace, dated.id), GG.issued_on)
    assert isinstance(literal, Literal) and literal.toPython() == dated.properties["issued_on"]
    # a relationship to the catalogue ends at the catalogue's IRI, shared by inventories
    implements = next(r for r in acme.relationships if r.type == "IMPLEMENTS")
    assert (
        node_iri(namespace, implements.start),
        GG.IMPLEMENTS,
        node_iri(CATALOGUE, implements.end),
    ) in graph


def test_lineage_is_also_prov_was_derived_from(acme: GraphBatch) -> None:
    graph = to_rdf(acme)
    namespace = inventory_namespace("acme")
    lineage = {GG[t] for t in ("DERIVED_FROM", "TRAINED_ON", "BASED_ON")}
    assert alignment().lineage == lineage
    edges = [r for r in acme.relationships if GG[r.type] in lineage]
    assert {r.type for r in edges} >= {"DERIVED_FROM", "TRAINED_ON"}
    derived = set(graph.subject_objects(PROV.wasDerivedFrom))
    assert derived == {(node_iri(namespace, r.start), node_iri(namespace, r.end)) for r in edges}


def _instances(graph: Graph, cls: URIRef) -> set[str]:
    query = "SELECT ?s WHERE { ?s rdf:type/rdfs:subClassOf* ?c }"
    rows = graph.query(query, initBindings={"c": cls}, initNs={"rdf": RDF, "rdfs": RDFS})
    return {identifier(row[0]) or "" for row in rows}  # type: ignore[index]


def test_the_ontology_aligns_the_nodes_with_prov_airo_and_dpv(acme: GraphBatch) -> None:
    """Over the ontology and the export together, a query in the outside vocabularies'
    terms finds graphgov's nodes, by the subclass statements of the ontology alone."""
    graph = to_rdf(acme, known=pipeline.catalogue().nodes) + ontology()
    by_label = lambda label: {n.id for n in acme.nodes if n.label == label}  # noqa: E731
    assert _instances(graph, AIRO.AISystem) == by_label("AISystem")
    assert _instances(graph, AIRO.AIModel) == by_label("Model")
    assert _instances(graph, AIRO.Data) == by_label("Dataset")
    assert _instances(graph, AIRO.Stakeholder) == by_label("Stakeholder")
    assert _instances(graph, AIRO.Risk) == by_label("Risk")
    assert _instances(graph, AIRO.RiskControl) == by_label("Control")
    assert _instances(graph, PROV.Organization) == by_label("Organization")
    assert _instances(graph, PROV.Entity) >= {n.id for n in acme.nodes}
    personal = {n.id for n in acme.nodes if n.properties.get("contains_personal_data") is True}
    assert personal and _instances(graph, DPV.PersonalData) == personal
    special = {n.id for n in acme.nodes if n.properties.get("special_category_data") is True}
    assert _instances(graph, DPV.SpecialCategoryPersonalData) == special
    # the organisation's role per system, in AIRO's terms
    org = node_iri(inventory_namespace("acme"), "acme")
    for system in acme.nodes:
        if system.label != "AISystem":
            continue
        iri = node_iri(inventory_namespace("acme"), system.id)
        role = system.properties.get("role")
        assert ((iri, AIRO.isProvidedBy, org) in graph) == (role in ("provider", "both"))
        assert ((iri, AIRO.isDeployedBy, org) in graph) == (role in ("deployer", "both"))
    assert (org, RDF.type, AIRO.AIProvider) in graph and (org, RDF.type, AIRO.AIDeployer) in graph


def test_the_alignment_statements_name_real_terms_and_leave_the_schema_alone() -> None:
    g = ontology()
    statements = {
        (GG.Node, RDFS.subClassOf, PROV.Entity),
        (GG.AISystem, RDFS.subClassOf, AIRO.AISystem),
        (GG.Risk, RDFS.subClassOf, AIRO.Risk),
        (GG.Stakeholder, RDFS.subClassOf, AIRO.Stakeholder),
        (GG.PersonalDataset, RDFS.subClassOf, DPV.PersonalData),
        (GG.DERIVED_FROM, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (GG.ProvidedSystem, GG.organizationRole, AIRO.AIProvider),
        (GG.DeployedSystem, GG.organizationRole, AIRO.AIDeployer),
    }
    assert statements <= set(g)
    # the AIRO and DPV terms named are those the vocabularies define (AIRO 1.0, DPV 2.2)
    airo = {
        "AISystem", "AIModel", "Data", "Stakeholder", "Risk", "RiskSource", "RiskControl",
        "AIProvider", "AIDeployer", "Impact", "Consequence", "hasModel", "hasStakeholder",
        "hasRisk", "isProvidedBy", "isDeployedBy", "isRiskSourceFor", "mitigatesRiskConcept",
        "hasResidualRisk", "hasTrainingData",
    }  # fmt: skip
    dpv = {"PersonalData", "SensitivePersonalData", "SpecialCategoryPersonalData", "HumanOversight"}
    named = {str(t) for triple in g for t in triple if isinstance(t, URIRef)}
    assert {n.removeprefix(str(AIRO)) for n in named if n.startswith(str(AIRO))} <= airo
    assert {n.removeprefix(str(DPV)) for n in named if n.startswith(str(DPV))} <= dpv
    # no outside term became a label, and the defined classes are no labels either
    assert all(str(GG) + name in named for name in SCHEMA.labels)
    assert not {"PersonalDataset", "ProvidedSystem", "DeployedSystem"} & set(SCHEMA.labels)


def test_a_defined_class_is_stated_for_the_nodes_that_meet_it(acme: GraphBatch) -> None:
    graph = to_rdf(acme)
    kill = {n.id for n in acme.nodes if n.properties.get("control_type") == "kill_switch"}
    assert kill and {identifier(s) for s in graph.subjects(RDF.type, GG.KillSwitch)} == kill


# -- RDF that is not graphgov's ----------------------------------------------------------

PREFIXES = """\
@prefix gg: <urn:graphgov:ontology#> .
@prefix inv: <urn:graphgov:inventory:x:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
SYSTEM = """\
inv:sys a gg:AISystem ;
    gg:id "sys" ; gg:name "A system" ; gg:risk_tier "high" ; gg:in_scope true .
"""


def _read(tmp_path: Path, text: str, suffix: str = ".ttl") -> tuple[list[Any], list[Problem]]:
    path = tmp_path / f"data{suffix}"
    path.write_text(text, encoding="utf-8")
    records, problems = read_rdf(path, path.name, path.name, None)
    for problem in problems:
        assert "\n" not in str(problem)
    return records, problems


def _reasons(problems: list[Problem]) -> list[str]:
    return [f"{p.line}|{p.field}|{p.reason}" for p in problems]


@pytest.mark.parametrize(
    ("suffix", "text", "line", "words"),
    [
        (".ttl", PREFIXES + 'inv:a gg:name "open .\n', 4, "not valid Turtle"),
        (".ttl", PREFIXES + "inv:a gg:name .\n", None, "not valid Turtle"),
        (".nt", '<urn:a> <urn:p> "x" .\n<urn:a> <urn:p> x .\n', 2, "not valid N-Triples"),
        (".jsonld", '{"@id": "urn:a",\n "urn:p": [}', 2, "not valid JSON-LD"),
        (".jsonld", '{"@context": "https://example.invalid/ctx.jsonld", "@id": "urn:a"}', None,
         "remote context"),
        (".jsonld", '{"@context": [{"@import": "https://example.invalid/x"}], "@id": "urn:a"}',
         None, "remote context"),
        (".ttl", "[" * 5000, None, "Turtle"),
    ],
)  # fmt: skip
def test_a_file_that_does_not_parse_is_one_problem(
    tmp_path: Path, suffix: str, text: str, line: int | None, words: str
) -> None:
    records, problems = _read(tmp_path, text, suffix)
    assert records == [] and len(problems) == 1
    assert words in problems[0].reason
    if line is not None:
        assert problems[0].line == line


def test_triples_graphgov_cannot_read_are_named(tmp_path: Path) -> None:
    text = PREFIXES + textwrap.dedent(
        """\
        @prefix ex: <https://example.org/> .
        inv:sys a gg:AISystem , ex:Gadget , gg:KillSwitch ;
            gg:id "sys" ; gg:risk_tier "high" ; gg:in_scope true ;
            gg:colour "red" ; ex:weight 3 ;
            gg:issued_on "2026-01-01"^^xsd:date ;
            gg:name "one" , "two" ;
            gg:purpose 42 ;
            gg:USES_MODEL "a literal" , <https://example.org/elsewhere> .
        inv:double a gg:AISystem , gg:Model .
        ex:thing ex:says "hello" .
        """
    )
    records, problems = _read(tmp_path, text)
    assert [r.fields["id"].text for r in records] == ["sys"]
    reasons = "\n".join(_reasons(problems))
    expected = [
        "rdf:type|<urn:graphgov:inventory:x:sys>: unknown class <https://example.org/Gadget>",
        "<urn:graphgov:ontology#KillSwitch>, which graphgov derives from a node's properties",
        "colour|<urn:graphgov:inventory:x:sys>: is no property of ai_system records",
        "unknown property <https://example.org/weight>",
        "issued_on|<urn:graphgov:inventory:x:sys>: is no property of ai_system records",
        "name|<urn:graphgov:inventory:x:sys>: has 2 values; a property holds one",
        "purpose|<urn:graphgov:inventory:x:sys>: '42' is typed xsd:integer, but purpose holds "
        "xsd:string",
        "USES_MODEL|<urn:graphgov:inventory:x:sys>: must refer to a node (an IRI), not 'a literal'",
        "refers to <https://example.org/elsewhere>, which is no record of this file",
        "rdf:type|<urn:graphgov:inventory:x:double>: has more than one graphgov class",
        "<https://example.org/thing>: is no graphgov record, so its 1 triple cannot be read",
    ]  # fmt: skip
    for words in expected:
        assert words in reasons, (words, reasons)
    # every problem has the line of its subject
    assert {p.line for p in problems if "x:sys>" in p.reason} == {5}


def test_what_a_reasoner_adds_and_what_graphgov_derives_reads_without_problems(
    acme: GraphBatch, tmp_path: Path
) -> None:
    graph = to_rdf(acme)
    for s in list(graph.subjects(RDF.type, GG.AISystem)):
        graph.add((s, RDF.type, AIRO.AISystem))
        graph.add((s, RDF.type, PROV.Entity))
    for s, o in list(graph.subject_objects(GG.USES_MODEL)):
        graph.add((s, AIRO.hasModel, o))
    for s in list(graph.subjects(RDF.type, GG.PersonalDataset)):
        graph.add((s, RDF.type, DPV.PersonalData))
    back = read_back(serialize(graph, "turtle"), "turtle", tmp_path, "acme")
    assert view(back) == view(acme)


def test_a_relationship_stated_from_its_end_is_read_through_the_inverse_field(
    tmp_path: Path,
) -> None:
    text = (
        PREFIXES
        + SYSTEM
        + textwrap.dedent(
            """\
        inv:r1 a gg:Risk ; gg:id "r1" ; gg:name "Bias" .
        <urn:graphgov:inventory:other:sys-2> gg:HAS_RISK inv:r1 .
        """
        )
    )
    records, problems = _read(tmp_path, text)
    assert problems == []
    risk = next(r for r in records if r.fields["id"].text == "r1")
    assert [i.text for i in risk.fields["risk_of"].items or ()] == ["sys-2"]


def test_an_id_and_its_iri_must_agree(tmp_path: Path) -> None:
    text = PREFIXES + 'inv:sys a gg:Stakeholder ; gg:id "other" ; gg:name "x" .\n'
    _, problems = _read(tmp_path, text)
    assert _reasons(problems) == [
        "4|id|<urn:graphgov:inventory:x:sys>: gg:id 'other' is not the id its IRI stands for "
        "('sys')"
    ]


def test_validation_problems_name_the_rdf_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(inventory.READERS, ".ttl", read_rdf)
    folder = tmp_path / "inv"
    folder.mkdir()
    text = PREFIXES + SYSTEM.replace('"high"', '"extreme"') + 'inv:m a gg:Model ; gg:id "m" .\n'
    (folder / "systems.ttl").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(folder, cache=False)
    shown = [str(p) for p in caught.value.problems]
    assert any(
        s.startswith(f"{folder / 'systems.ttl'}:4: risk_tier: 'extreme' is not allowed")
        for s in shown
    ), shown


def test_the_catalogue_in_an_export_is_left_to_the_catalogue(
    acme: GraphBatch, tmp_path: Path
) -> None:
    """An export of the catalogue and the inventory together reads back as the inventory:
    the catalogue's own nodes (on catalogue IRIs) are graphgov's, never the user's."""
    text = rdf_text(pipeline.catalogue() + acme, "nt")
    assert view(read_back(text, "nt", tmp_path, "acme")) == view(acme)


# -- SHACL --------------------------------------------------------------------------------


def test_there_is_a_closed_node_shape_per_label() -> None:
    graph = shapes()
    targets = {graph.value(s, SH.targetClass) for s in graph.subjects(RDF.type, SH.NodeShape)}
    assert targets == {GG[name] for name in SCHEMA.labels}
    assert (SHAPES.AISystem, SH.closed, Literal(True)) in graph


def test_the_example_export_conforms(acme: GraphBatch, tmp_path: Path) -> None:
    assert check_shacl(to_rdf(acme)) == []
    path = tmp_path / "acme.jsonld"
    path.write_text(rdf_text(pipeline.catalogue() + acme, "json-ld"), encoding="utf-8")
    assert check_shacl(path) == []


def test_shacl_finds_what_validation_would_refuse(acme: GraphBatch, tmp_path: Path) -> None:
    graph = to_rdf(acme, known=pipeline.catalogue().nodes)
    namespace = inventory_namespace("acme")
    system = node_iri(namespace, "credit-scoring")
    dataset = next(n for n in acme.nodes if n.label == "Dataset")
    graph.remove((system, GG.risk_tier, None))  # required
    graph.set((system, GG.in_scope, Literal("maybe")))  # not a boolean
    graph.add((system, GG.lifecycle_stage, Literal("dreaming")))  # a second value, not listed
    graph.add((system, GG.colour, Literal("red")))  # not a property of systems
    graph.set((node_iri(namespace, dataset.id), GG.quality_checked_on, Literal("2026-02-30")))
    graph.add((system, GG.USES_MODEL, node_iri(namespace, "acme")))  # not a model
    found = {(p.field, p.reason) for p in check_shacl(graph)}
    subject = f"<{system}>"
    assert (
        "risk_tier",
        f"{subject}: risk_tier is required (every ai_system has one)",
    ) in found
    assert (
        "in_scope",
        f"{subject}: in_scope must be true or false (xsd:boolean) (got 'maybe')",
    ) in found
    assert ("lifecycle_stage", f"{subject}: lifecycle_stage holds one value") in found
    assert (
        "lifecycle_stage",
        f"{subject}: lifecycle_stage must be one of: design, development, validation, pilot, "
        "deployment, operation, retired (got 'dreaming')",
    ) in found
    assert ("colour", f"{subject}: not a property of ai_system records (got 'red')") in found
    assert (
        "quality_checked_on",
        f"<{node_iri(namespace, dataset.id)}>: quality_checked_on must be a date written "
        "YYYY-MM-DD (xsd:date) (got '2026-02-30')",
    ) in found
    assert any(f == "USES_MODEL" and "must refer to a model" in r for f, r in found)
    assert len(found) == 7, found


def test_shacl_reports_a_file_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix : <urn:x#> .\n:a :b \n", encoding="utf-8")
    problems = check_shacl(path)
    assert len(problems) == 1 and "not valid Turtle" in problems[0].reason


def test_a_relationship_end_outside_the_export_must_be_the_catalogue(tmp_path: Path) -> None:
    batch = GraphBatch(
        (Node("Control", "c1", {"id": "c1", "name": "c"}, Source("c.yaml", 1)),),
        (Relationship("IMPLEMENTS", "c1", "A.6.2.6", Source("c.yaml", 2)),),
        "x",
    )
    assert check_shacl(to_rdf(batch)) == []
    graph = to_rdf(batch)
    graph.add((node_iri(inventory_namespace("x"), "c1"), GG.IMPLEMENTS, URIRef("urn:elsewhere:z")))
    assert [p.field for p in check_shacl(graph)] == ["IMPLEMENTS"]


def test_nothing_reaches_the_network(
    acme: GraphBatch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exporting, reading back and checking shapes work offline; a JSON-LD file that
    names a remote context is refused rather than fetched."""

    def offline(*args: object, **kwargs: object) -> None:
        raise AssertionError("graphgov tried to reach the network")

    monkeypatch.setattr(socket, "socket", offline)
    monkeypatch.setattr(socket, "create_connection", offline)
    text = rdf_text(acme, "json-ld", known=pipeline.catalogue().nodes)
    assert view(read_back(text, "json-ld", tmp_path, "acme")) == view(acme)
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "https://example.invalid/c.jsonld", "@id": "urn:a"}')
    for problems in (read_rdf(path, "remote.jsonld", "remote.jsonld", None)[1], check_shacl(path)):
        assert [p.field for p in problems] == ["@context"]
    assert check_shacl(tmp_path / "export.jsonld") == []
