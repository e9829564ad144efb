"""Twins are registered explicitly, one ``@twin("query-id")`` each: a helper in twins.py
is never taken for a twin, every twin names a query of its pack, and every query of a
built-in pack has its twin."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from graphgov.errors import InvalidInputError
from graphgov.packs import BUILTIN_PACKAGE, Pack, builtin_packs, read_pack
from graphgov.store.base import Twin
from graphgov.twin_kit import registrar


@pytest.mark.parametrize("pack", builtin_packs(), ids=lambda p: p.name)
def test_every_builtin_query_has_its_twin_and_every_twin_its_query(pack: Pack) -> None:
    module = importlib.import_module(f"{BUILTIN_PACKAGE}.{pack.name}.twins")
    twins: dict[str, Twin] = module.TWINS
    assert set(twins) == {q.definition.id for q in pack.queries}
    for query in pack.queries:
        assert query.twin is twins[query.definition.id], query.ref


def test_a_twin_is_registered_once() -> None:
    twins: dict[str, Twin] = {}
    twin = registrar(twins)

    @twin("q")
    def first(store: object, p: object) -> list[object]:
        return []

    assert twins == {"q": first}
    with pytest.raises(ValueError, match="two twins for the query q"):
        twin("q")(first)


QUERY = """\
id: systems-without-purpose
title: AI system without a stated purpose
question: Which AI systems have no stated purpose?
kind: check
severity: low
columns: [id, label, name, source_file, source_line]
message: "{name} has no stated purpose"
remediation: Write down what the system is for.
"""
CYPHER = """\
MATCH (s:AISystem)
WHERE s.purpose IS NULL
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
"""
TWINS = """\
from graphgov.twin_kit import registrar, subject

TWINS = {}
twin = registrar(TWINS)


def purpose_missing(node):
    return node.get("purpose") is None


@twin("systems-without-purpose")
def systems_without_purpose(store, p):
    return [subject(s) for s in store.nodes("AISystem") if purpose_missing(s)]
"""


def _pack(tmp_path: Path, twins: str) -> Path:
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "systems-without-purpose.yaml").write_text(QUERY)
    (pack / "systems-without-purpose.cypher").write_text(CYPHER)
    (pack / "twins.py").write_text(twins)
    return pack


def test_a_public_helper_is_not_a_twin(tmp_path: Path) -> None:
    pack = read_pack(_pack(tmp_path, TWINS))
    (query,) = pack.queries
    assert query.twin is not None and query.twin.__name__ == "systems_without_purpose"


def test_a_twin_naming_no_query_is_a_problem(tmp_path: Path) -> None:
    stray = TWINS + '\n\n@twin("system-without-purpose")\ndef typo(store, p):\n    return []\n'
    with pytest.raises(InvalidInputError) as caught:
        read_pack(_pack(tmp_path, stray))
    (problem,) = caught.value.problems
    assert problem.field == "system-without-purpose"
    assert problem.reason == "no query has this id"
