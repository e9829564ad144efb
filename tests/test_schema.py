"""The schema registry, read from the ontology, and everything derived from it."""

from __future__ import annotations

import json
import typing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import Writer
from rdflib import OWL, Graph

from graphgov.cli import cli
from graphgov.records import record_type
from graphgov.schema import GG, load_schema
from graphgov.schema_doc import schema_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def test_the_labels_and_relationships_the_issues_name_exist() -> None:
    schema = load_schema()
    for label in [
        "Organization",
        "AISystem",
        "Model",
        "Dataset",
        "Stakeholder",
        "Supplier",
        "Risk",
        "RiskSource",
        "ImpactAssessment",
        "Control",
        "Clause",
        "AnnexAControl",
        "ControlObjective",
        "Evidence",
        "Incident",
        "Policy",
        "AuditFinding",
    ]:
        assert label in schema.labels
    for rel in [
        "USES_MODEL",
        "TRAINED_ON",
        "DERIVED_FROM",
        "SUPPLIED_BY",
        "AFFECTS",
        "OVERSEEN_BY",
        "HAS_RISK",
        "MITIGATED_BY",
        "IMPLEMENTS",
        "APPLIES_TO",
        "EVIDENCED_BY",
        "ASSESSED_BY",
        "DEPENDS_ON",
        "INVOLVES",
    ]:
        assert rel in schema.relations
    assert schema.relations["TRAINED_ON"].joins("Model", "Dataset")
    assert not schema.relations["TRAINED_ON"].joins("Dataset", "Model")
    tier = schema.property("AISystem", "risk_tier")
    assert tier.required and set(tier.allowed) == {"prohibited", "high", "limited", "minimal"}


def test_kinds_plurals_and_fields_are_unique() -> None:
    schema = load_schema()
    kinds = [s.kind for s in schema.labels.values()]
    plurals = [s.plural for s in schema.labels.values()]
    assert len(set(kinds)) == len(kinds) and len(set(plurals)) == len(plurals)
    for spec in schema.labels.values():
        assert "kind" not in spec.fields


def test_record_types_agree_with_the_registry() -> None:
    schema = load_schema()
    python_types = {"boolean": bool, "integer": int, "decimal": float, "date": date, "string": str}
    for spec in schema.labels.values():
        shape = record_type(spec)
        hints = typing.get_type_hints(shape, include_extras=True)
        assert list(hints) == [p.name for p in spec.writable], spec.name
        required = shape.__required_keys__  # type: ignore[attr-defined]
        for prop in spec.writable:
            annotation = hints[prop.name]
            assert (prop.name in required) == prop.required, (spec.name, prop.name)
            if prop.allowed:
                literal = _literal(annotation)
                assert literal is not None, (spec.name, prop.name, annotation)
                assert typing.get_args(literal) == prop.allowed
            else:
                text = str(annotation)
                assert python_types[prop.datatype].__name__ in text, (spec.name, prop.name, text)


def _literal(annotation: Any) -> Any:
    """The Literal inside an annotation (through NotRequired, Annotated and unions)."""
    if typing.get_origin(annotation) is typing.Literal:
        return annotation
    return next(
        (found for arg in typing.get_args(annotation) if (found := _literal(arg)) is not None),
        None,
    )


def test_defined_kinds_of_control_use_allowed_control_types() -> None:
    graph = Graph()
    graph.parse(Path(__file__).resolve().parents[1] / "ontology" / "graphgov.ttl")
    allowed = load_schema().property("Control", "control_type").allowed
    values = [str(v) for v in graph.objects(None, OWL.hasValue)]
    assert values and set(values) <= set(allowed)
    assert (GG.KillSwitch, None, None) in graph


def test_schema_json_names_every_label() -> None:
    result = CliRunner().invoke(cli, ["schema", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data["labels"]) == set(load_schema().labels)
    assert data["relationships"]["SUPPLIED_BY"]["inverse_field"] == "supplies"


def test_readme_schema_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "README lacks the schema markers"
    current = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert current == schema_markdown(load_schema()).strip(), (
        "README's schema table is stale: run `python scripts/update_readme.py`"
    )


def test_the_schema_given_is_the_schema_used(write_inventory: Writer) -> None:
    """No hidden global: records and CSV columns are validated against the schema a
    caller passes, not the cached shipped one."""
    import dataclasses

    from graphgov import pipeline
    from graphgov.errors import InvalidInputError

    shipped = load_schema()
    system = shipped.labels["AISystem"]
    relaxed_tier = dataclasses.replace(system.properties["risk_tier"], required=False)
    relaxed = dataclasses.replace(
        shipped,
        labels={
            **shipped.labels,
            "AISystem": dataclasses.replace(
                system, properties={**system.properties, "risk_tier": relaxed_tier}
            ),
        },
    )
    root = write_inventory({"ai_systems.csv": "id,name,in_scope\ns1,One,true\n"})
    with pytest.raises(InvalidInputError, match="1 problem"):
        pipeline.read(root)
    batch = pipeline.read(root, schema=relaxed)
    assert [n.id for n in batch.nodes] == ["s1"]
