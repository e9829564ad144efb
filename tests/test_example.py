"""The example organisation: valid, realistic, and loaded the same way every time."""

from __future__ import annotations

from pathlib import Path

from graphgov import pipeline
from graphgov.store import MemoryStore


def test_the_example_validates_with_a_dozen_systems_or_more(acme: Path) -> None:
    batch = pipeline.read(acme)
    systems = [n for n in batch.nodes if n.label == "AISystem"]
    assert len(systems) >= 12
    tiers = {n.id: n.get("risk_tier") for n in systems}
    assert tiers["credit-scoring"] == "high" and tiers["cv-screening"] == "high"
    assert tiers["customer-chatbot"] == "limited"
    assert any(n.get("in_scope") is False for n in systems)


def test_every_fact_points_at_its_source_line(acme: Path) -> None:
    batch = pipeline.read(acme)
    for node in batch.nodes:
        path = acme / node.source.file
        assert node.source.line is not None
        line = path.read_text(encoding="utf-8").splitlines()[node.source.line - 1]
        assert node.id in line or "kind:" in line or line.lstrip().startswith("-"), (node.id, line)
    rel = next(
        r
        for r in batch.relationships
        if (r.type, r.start, r.end) == ("USES_MODEL", "credit-scoring", "credit-gbm-v3")
    )
    assert rel.source.file == "systems/credit-scoring.yaml"
    text = (acme / rel.source.file).read_text().splitlines()[(rel.source.line or 0) - 1]
    assert "uses_model: credit-gbm-v3" in text


def test_inverse_fields_write_the_same_relationship(acme: Path) -> None:
    store = MemoryStore()
    pipeline.load(acme, store)
    # risks.csv writes risk_of on the risk; the system file does not list it
    assert "r-ocr-misread" in [n.id for n in store.neighbours("document-extraction", "HAS_RISK")]


def test_loading_twice_gives_identical_graphs(acme: Path) -> None:
    first, second = pipeline.read(acme), pipeline.read(acme)
    assert first == second
