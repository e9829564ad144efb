"""Every kind of bad input gets its own clear problem (file, line, field, reason), all
problems come at once, and the store is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Writer

from graphgov import pipeline
from graphgov.errors import EnvironmentProblem, InvalidInputError, Problem
from graphgov.examples import write as write_example
from graphgov.graph import Node, Relationship
from graphgov.store import MemoryStore

SYSTEM = """
    - kind: ai_system
      id: credit
      name: Credit scoring
      risk_tier: high
      in_scope: true
      owned_by: cro
    - kind: stakeholder
      id: cro
      name: Chief risk officer
      stakeholder_type: role
"""


def _snapshot(store: MemoryStore) -> tuple[list[Node], list[Relationship]]:
    nodes = [data["node"] for _, data in store.graph.nodes(data=True)]
    rels = [data["rel"] for _, _, data in store.graph.edges(data=True)]
    return nodes, rels


def _problems(root: Path) -> list[Problem]:
    """Load ``root`` into a store that already holds an inventory; the load must fail
    and leave that store unchanged."""
    store = MemoryStore()
    with_skeleton = root.parent / "already-loaded"
    if not with_skeleton.exists():
        write_example("skeleton", with_skeleton)
    pipeline.load(with_skeleton, store)
    before = _snapshot(store)
    with pytest.raises(InvalidInputError) as caught:
        pipeline.load(root, store)
    assert _snapshot(store) == before
    return list(caught.value.problems)


def _one(root: Path) -> Problem:
    problems = _problems(root)
    assert len(problems) == 1, problems
    return problems[0]


CASES = [
    # name, files, expected (file, line, field, words in the reason)
    (
        "yaml syntax",
        {"a.yaml": "kind: ai_system\nid: [unclosed\n"},
        ("a.yaml", 3, None, "YAML syntax error"),
    ),
    (
        "unknown kind",
        {"a.yaml": "kind: ai_sytem\nid: x\nname: X\n"},
        ("a.yaml", 1, "kind", "did you mean 'ai_system'"),
    ),
    ("missing kind", {"a.yaml": "id: x\nname: X\n"}, ("a.yaml", 1, "kind", "needs a kind")),
    (
        "missing id",
        {"a.yaml": "kind: stakeholder\nname: X\nstakeholder_type: role\n"},
        ("a.yaml", 1, "id", "needs an id"),
    ),
    (
        "unknown property",
        {"a.yaml": SYSTEM.replace("risk_tier", "risk_teir")},
        ("a.yaml", 4, "risk_teir", "did you mean 'risk_tier'"),
    ),
    (
        "missing property",
        {"a.yaml": SYSTEM.replace("      risk_tier: high\n", "")},
        ("a.yaml", 1, "risk_tier", "is required"),
    ),
    (
        "wrong type",
        {"a.yaml": SYSTEM.replace("in_scope: true", "in_scope: maybe")},
        ("a.yaml", 5, "in_scope", "true or false"),
    ),
    (
        "bad date",
        {"evidence.csv": "id,name,issued_on\nev1,Report,2026-02-30\n"},
        ("evidence.csv", 2, "issued_on", "YYYY-MM-DD"),
    ),
    (
        "value outside the list",
        {"a.yaml": SYSTEM.replace("risk_tier: high", "risk_tier: severe")},
        ("a.yaml", 4, "risk_tier", "use one of: minimal, limited, high, prohibited"),
    ),
    (
        "reference to nothing",
        {"a.yaml": SYSTEM.replace("owned_by: cro", "owned_by: ceo")},
        ("a.yaml", 6, "owned_by", "no record has id 'ceo'"),
    ),
    (
        "relationship not allowed",
        {"a.yaml": SYSTEM.replace("owned_by: cro", "uses_model: cro")},
        ("a.yaml", 6, "uses_model", "must refer to a model, but 'cro' is a stakeholder"),
    ),
    (
        "unknown annex a control",
        {
            "a.yaml": SYSTEM,
            "controls.csv": "id,name,control_type,status,implements\n"
            "c1,Oversight,human_oversight,implemented,A.6.2.9\n",
        },
        ("controls.csv", 2, "implements", "no Annex A control 'A.6.2.9'"),
    ),
    (
        "catalogue kind",
        {"a.yaml": "kind: annex_a_control\nid: A.99\nname: Mine\n"},
        ("a.yaml", 1, "kind", "catalogue"),
    ),
    (
        "provenance written by hand",
        {"a.yaml": SYSTEM.replace("in_scope: true", "source_line: 3")},
        ("a.yaml", 5, "source_line", "set by graphgov"),
    ),
    (
        "list where one value goes",
        {"a.yaml": SYSTEM.replace("risk_tier: high", "risk_tier: [high]")},
        ("a.yaml", 4, "risk_tier", "single value"),
    ),
    (
        "field twice",
        {"a.yaml": SYSTEM.replace("in_scope: true", "in_scope: true\n      name: Again")},
        ("a.yaml", 6, "name", "given twice"),
    ),
    (
        "two organisations",
        {
            "a.yaml": "- {kind: organization, id: o1, name: One}\n"
            "- {kind: organization, id: o2, name: Two}\n"
        },
        ("a.yaml", 2, "kind", "one organization"),
    ),
    ("empty file", {"a.yaml": SYSTEM, "b.yaml": "   \n"}, ("b.yaml", 1, None, "empty")),
    (
        "only comments",
        {"a.yaml": SYSTEM, "b.yaml": "# nothing yet\n"},
        ("b.yaml", 1, None, "no records"),
    ),
    (
        "not utf-8",
        {"a.yaml": SYSTEM, "b.yaml": b"kind: stakeholder\nname: Caf\xe9\n"},
        ("b.yaml", 2, None, "not UTF-8"),
    ),
    (
        "csv without a kind",
        {"register.csv": "id,name\nr1,Risk\n"},
        ("register.csv", 1, None, "name it after the kind"),
    ),
    (
        "csv unknown column",
        {"risks.csv": "id,name,level,colour\nr1,Risk,low,red\nr2,R,low,blue\n"},
        ("risks.csv", 1, "colour", "unknown column"),
    ),
    (
        "csv ragged row",
        {"risks.csv": "id,name,level\nr1,Risk,low,extra\n"},
        ("risks.csv", 2, None, "4 cells but the header has 3"),
    ),
    (
        "python tag",
        {
            "a.yaml": SYSTEM.replace(
                "name: Credit scoring", "name: !!python/object/apply:os.system [echo]"
            )
        },
        ("a.yaml", 3, "name", "tags"),
    ),
    (
        "alias",
        {"a.yaml": "- &s {kind: stakeholder, id: a, name: A, stakeholder_type: role}\n- *s\n"},
        ("a.yaml", 2, None, "aliases"),
    ),
    ("not a record", {"a.yaml": "- just a string\n"}, ("a.yaml", 1, None, "not a record")),
    (
        "id with a semicolon",
        {"a.yaml": SYSTEM.replace("id: cro", "id: c;ro").replace("owned_by: cro", "owned_by: [c]")},
        ("a.yaml", 8, "id", "';'"),
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_bad_input_gets_its_clear_problem(
    write_inventory: Writer, files: dict[str, str | bytes], expected: tuple[object, ...]
) -> None:
    root = write_inventory(files)
    problems = _problems(root)
    file, line, field, words = expected
    matching = [
        p
        for p in problems
        if p.file == str(root / str(file)) and p.line == line and p.field == field
    ]
    assert matching, f"no problem at {file}:{line} {field}; got {problems}"
    assert any(str(words) in p.reason for p in matching), matching


def test_duplicate_id_names_both_places(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "a.yaml": SYSTEM,
            "b.yaml": "kind: stakeholder\nid: credit\nname: Dup\nstakeholder_type: role\n",
        }
    )
    problem = _one(root)
    assert (problem.file, problem.line, problem.field) == (str(root / "b.yaml"), 2, "id")
    assert f"{root / 'a.yaml'}:1" in problem.reason


def test_id_of_the_catalogue_cannot_be_reused(write_inventory: Writer) -> None:
    root = write_inventory(
        {"a.yaml": "kind: stakeholder\nid: A.3.3\nname: X\nstakeholder_type: role\n"}
    )
    assert "catalogue" in _one(root).reason


def test_every_problem_is_reported_at_once(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "a.yaml": SYSTEM.replace("risk_tier: high", "risk_tier: severe").replace(
                "owned_by: cro", "owned_by: ceo"
            ),
            "b.yaml": "kind: nothing\nid: y\n",
            "risks.csv": "id,name,level\nr1,Risk,extreme\n",
        }
    )
    reasons = {(Path(p.file).name, p.field) for p in _problems(root)}
    assert reasons >= {
        ("a.yaml", "risk_tier"),
        ("a.yaml", "owned_by"),
        ("b.yaml", "kind"),
        ("risks.csv", "level"),
    }


def test_an_enormous_file_is_refused_before_it_is_parsed(
    write_inventory: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphgov.loaders import text

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1000)
    root = write_inventory({"a.yaml": SYSTEM + "# " + "x" * 2000 + "\n"})
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(root)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(root / "a.yaml"), None)
    assert "the limit is 1,000" in problem.reason


def test_an_alias_bomb_is_refused_quickly(write_inventory: Writer) -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for n in "bcdefghi":
        prev = chr(ord(n) - 1)
        bomb += f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    root = write_inventory({"bomb.yaml": bomb})
    assert "aliases" in _one(root).reason


def test_deep_nesting_is_a_problem_not_a_crash(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": SYSTEM, "deep.yaml": "x: " + "[" * 5000 + "]" * 5000 + "\n"})
    assert _problems(root)


def test_an_unreadable_file_is_an_environment_error(tmp_path: Path) -> None:
    from graphgov.loaders.text import read_text

    folder = tmp_path / "looks-like-a-file.yaml"
    folder.mkdir()
    with pytest.raises(EnvironmentProblem, match="cannot read"):
        read_text(folder, str(folder))


def test_an_empty_folder_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(tmp_path)
    assert "graphgov init" in caught.value.problems[0].reason


@pytest.mark.parametrize(
    ("written", "hint"),
    [("High", "high"), ("hgih", "high"), ("kill_swich", "kill_switch"), ("huge", None)],
)
def test_a_value_off_a_closed_list_suggests_the_likely_one(
    write_inventory: Writer, written: str, hint: str | None
) -> None:
    field = "control_type" if "kill" in written else "risk_tier"
    text = (
        f"kind: control\nid: c1\nname: C\nstatus: planned\ncontrol_type: {written}\n"
        if field == "control_type"
        else f"kind: ai_system\nid: s1\nname: S\nin_scope: true\nrisk_tier: {written}\n"
    )
    problem = _one(write_inventory({"x.yaml": text}))
    assert problem.field == field and f"{written!r} is not allowed" in problem.reason
    if hint is None:
        assert "did you mean" not in problem.reason
    else:
        assert f"(did you mean '{hint}'?)" in problem.reason
