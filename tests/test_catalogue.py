"""The ISO/IEC 42001 catalogue: every clause, group, objective and Annex A control, linked."""

from __future__ import annotations

from graphgov.pipeline import catalogue
from graphgov.store import MemoryStore

CLAUSES = [
    "4",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "5",
    "5.1",
    "5.2",
    "5.3",
    "6",
    "6.1",
    "6.1.1",
    "6.1.2",
    "6.1.3",
    "6.1.4",
    "6.2",
    "6.3",
    "7",
    "7.1",
    "7.2",
    "7.3",
    "7.4",
    "7.5",
    "7.5.1",
    "7.5.2",
    "7.5.3",
    "8",
    "8.1",
    "8.2",
    "8.3",
    "8.4",
    "9",
    "9.1",
    "9.2",
    "9.2.1",
    "9.2.2",
    "9.3",
    "9.3.1",
    "9.3.2",
    "9.3.3",
    "10",
    "10.1",
    "10.2",
]

ANNEX_A = [
    "A.2.2",
    "A.2.3",
    "A.2.4",
    "A.3.2",
    "A.3.3",
    "A.4.2",
    "A.4.3",
    "A.4.4",
    "A.4.5",
    "A.4.6",
    "A.5.2",
    "A.5.3",
    "A.5.4",
    "A.5.5",
    "A.6.1.2",
    "A.6.1.3",
    "A.6.2.2",
    "A.6.2.3",
    "A.6.2.4",
    "A.6.2.5",
    "A.6.2.6",
    "A.6.2.7",
    "A.6.2.8",
    "A.7.2",
    "A.7.3",
    "A.7.4",
    "A.7.5",
    "A.7.6",
    "A.8.2",
    "A.8.3",
    "A.8.4",
    "A.8.5",
    "A.9.2",
    "A.9.3",
    "A.9.4",
    "A.10.2",
    "A.10.3",
    "A.10.4",
]

GROUPS = ["A.2", "A.3", "A.4", "A.5", "A.6", "A.7", "A.8", "A.9", "A.10"]


def _store() -> MemoryStore:
    store = MemoryStore()
    store.add(catalogue())
    return store


def test_every_clause_from_4_to_10_is_there_with_its_parent() -> None:
    store = _store()
    assert sorted(n.id for n in store.nodes("Clause")) == sorted(CLAUSES)
    for clause in CLAUSES:
        parents = [n.id for n in store.neighbours(clause, "SUBCLAUSE_OF")]
        expected = [clause.rsplit(".", 1)[0]] if "." in clause else []
        assert parents == expected, clause


def test_all_38_annex_a_controls_reach_their_group_through_an_objective() -> None:
    store = _store()
    assert sorted(n.id for n in store.nodes("AnnexAControl")) == sorted(ANNEX_A)
    assert len(ANNEX_A) == 38
    for control in ANNEX_A:
        (objective,) = store.neighbours(control, "ACHIEVES")
        (group,) = store.neighbours(objective.id, "OBJECTIVE_OF")
        assert control.startswith(group.id + "."), (control, group.id)
        supported = [n.label for n in store.neighbours(control, "SUPPORTS")]
        assert supported and set(supported) == {"Clause"}, control


def test_the_nine_groups_and_annex_c() -> None:
    store = _store()
    assert [n.id for n in store.nodes("AnnexAGroup")] == GROUPS
    assert len(list(store.nodes("Objective"))) == 11
    assert len(list(store.nodes("RiskSource"))) == 7
    assert {n.id for n in store.nodes("ControlObjective")} >= {"OBJ-A.6.1", "OBJ-A.6.2"}


def test_catalogue_nodes_point_at_their_line_in_the_catalogue_file() -> None:
    node = _store().node("A.6.2.6")
    assert node is not None
    assert node.source.file == "graphgov:catalogue/iso42001.yaml"
    assert node.source.line is not None and node.source.line > 1
