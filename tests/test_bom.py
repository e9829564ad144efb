"""AI-BOMs in an inventory folder: CycloneDX 1.5/1.6 JSON and SPDX 3.0 JSON-LD become
models, datasets, suppliers and their lineage; YAML records refer to them by bom-ref or
purl; every bad or hostile file is refused with a clear problem and nothing loaded."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, run_cli, unprivileged
from graphgov.loaders import read_inventory
from graphgov.loaders.bomfile import MAX_DEPTH, SNIFF_BYTES, bom_format, read_bom, wanted
from graphgov.loaders.cyclonedx import read_cyclonedx
from graphgov.loaders.spdx import read_spdx
from graphgov.loaders.text import MAX_FILE_BYTES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphgov import pipeline
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch
from graphgov.records import RawRecord
from graphgov.validation import build_batch, id_problem

FIXTURES = Path(__file__).parent / "fixtures" / "bom"
PLATFORM = FIXTURES / "platform"
CDX = PLATFORM / "scorer.cdx.json"
SPDX = PLATFORM / "fraud.spdx3.jsonld"


def _read(path: Path) -> GraphBatch:
    return pipeline.read(path, cache=False)


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(InvalidInputError) as caught:
        _read(path)
    return list(caught.value.problems)


def _line_of(path: Path, text: str) -> int:
    """The line of the first line of ``path`` holding ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _cdx() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CDX.read_text())
    return data


def _write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data)
    return path


# -- what a BOM becomes ------------------------------------------------------------------


def test_the_platform_folder_gives_models_datasets_suppliers_and_lineage() -> None:
    batch = _read(PLATFORM)
    nodes = {n.id: n for n in batch.nodes}
    edges = {(r.type, r.start, r.end) for r in batch.relationships}
    scorer = nodes["scorer-1.2"]
    assert scorer.label == "Model"
    assert dict(scorer.properties) == {
        "id": "scorer-1.2",
        "name": "scorer",
        "version": "1.2",
        "description": "Scores loan applications",
        "purl": "pkg:huggingface/acme/scorer@1.2",
        "model_type": "text-classification",
        "origin": "in_house",  # from the graphgov:origin property; CycloneDX has no field
    }
    assert nodes["bert-base-uncased"].get("origin") is None  # the BOM does not say
    assert nodes["loans-2025"].label == "Dataset"
    assert nodes["loans-2025"].get("contains_personal_data") is True
    assert nodes["loans-2025"].get("special_category_data") is None
    assert nodes["bureau-feed"].get("special_category_data") is True  # inline in the card
    assert nodes["loans-raw"].get("contains_personal_data") is None  # incomplete, not invalid
    assert {n.id for n in batch.nodes if n.label == "Supplier"} == {
        "Acme AI",
        "Acme Research",
        "Google",
        "Open Data Trust",
    }
    assert "tokenizer-model" in nodes  # a model nested inside a library component
    assert "torch" not in nodes and "pkg:pypi/torch@2.4.0" not in nodes  # a library
    assert "scoring-service" not in nodes  # the BOM's subject is an application
    assert {
        ("SUPPLIED_BY", "scorer-1.2", "Acme AI"),
        ("SUPPLIED_BY", "scorer-1.2", "Acme Research"),  # the manufacturer
        ("SUPPLIED_BY", "bert-base-uncased", "Google"),
        ("BASED_ON", "scorer-1.2", "bert-base-uncased"),  # pedigree.ancestors
        ("DERIVED_FROM", "loans-2025", "loans-raw"),
        ("TRAINED_ON", "scorer-1.2", "loans-2025"),  # modelCard datasets: a ref
        ("TRAINED_ON", "scorer-1.2", "bureau-feed"),  # ... and an inline dataset
        ("USES_MODEL", "credit-scoring", "scorer-1.2"),  # YAML naming a bom-ref
        ("USES_DATASET", "credit-scoring", "loans-2025"),
    } <= edges
    # a model it depends on at run time (dependencies) is no ancestor: only
    # pedigree.ancestors is lineage
    assert ("BASED_ON", "scorer-1.2", "tokenizer-model") not in edges
    assert not any("torch" in end for _, _, end in edges)  # dependencies on libraries


def test_spdx3_elements_and_relationships_become_the_same_facts() -> None:
    batch = _read(PLATFORM)
    nodes = {n.id: n for n in batch.nodes}
    edges = {(r.type, r.start, r.end) for r in batch.relationships}
    model = "https://acme.example/model/fraud-detector"
    clean = "https://acme.example/data/transactions-clean"
    raw = "https://acme.example/data/transactions"
    assert nodes[model].label == "Model"
    assert nodes[model].get("model_type") == "gradient-boosted trees"
    assert nodes[model].get("version") == "4.0"
    assert nodes[clean].get("contains_personal_data") is True
    assert nodes[clean].get("special_category_data") is True
    assert nodes[raw].get("special_category_data") is False
    assert nodes[raw].get("contains_personal_data") is None  # "no sensitive" is not "none"
    assert {
        ("TRAINED_ON", model, clean),
        ("BASED_ON", model, "https://acme.example/model/fraud-detector-base"),  # ancestorOf
        ("DERIVED_FROM", clean, raw),  # descendantOf
        ("SUPPLIED_BY", model, "Acme AI"),  # suppliedBy
        ("SUPPLIED_BY", raw, "Open Data Trust"),  # originatedBy
        ("USES_MODEL", "fraud-screening", model),  # YAML naming the model by its purl
    } <= edges
    assert not any(r.end.endswith("ml-platform") for r in batch.relationships)  # usesTool


def test_provenance_is_the_file_and_the_line_each_component_starts_on() -> None:
    batch = _read(PLATFORM)
    nodes = {n.id: n for n in batch.nodes}
    scorer_line = _line_of(CDX, '"bom-ref": "scorer-1.2"') - 2  # the line of its "{"
    assert (nodes["scorer-1.2"].source.file, nodes["scorer-1.2"].source.line) == (
        "scorer.cdx.json",
        scorer_line,
    )
    tokenizer = nodes["tokenizer-model"].source
    assert tokenizer.line == _line_of(CDX, '"bom-ref": "tokenizer-model"')
    model = nodes["https://acme.example/model/fraud-detector"].source
    assert model.file == "fraud.spdx3.jsonld"
    assert model.line == _line_of(SPDX, '"spdxId": "https://acme.example/model/fraud-detector"') - 2


def test_a_supplier_two_boms_name_alike_is_one_supplier() -> None:
    batch = _read(PLATFORM)
    assert [n.id for n in batch.nodes].count("Acme AI") == 1
    assert {r.start for r in batch.relationships if r.end == "Acme AI"} == {
        "scorer-1.2",
        "https://acme.example/model/fraud-detector",
    }


def test_a_record_defined_twice_differently_is_still_a_duplicate(tmp_path: Path) -> None:
    shutil.copytree(PLATFORM, tmp_path / "p")
    (tmp_path / "p" / "more.yaml").write_text(
        "kind: supplier\nid: Google\nname: Google LLC\n"  # the BOM says name: Google
    )
    (problem,) = _problems(tmp_path / "p")
    assert problem.field == "id" and "duplicate id 'Google'" in problem.reason
    assert problem.file.endswith("scorer.cdx.json") and "more.yaml:1" in problem.reason


def test_a_record_repeated_with_other_references_is_still_a_duplicate(tmp_path: Path) -> None:
    # the same properties but another owner: two facts about one record, not one record
    people = "".join(
        f"- kind: stakeholder\n  id: {who}\n  name: {who}\n  stakeholder_type: person\n"
        for who in ("alice", "bob")
    )
    system = "kind: ai_system\nid: s1\nname: S\nin_scope: true\nrisk_tier: minimal\n"
    (tmp_path / "people.yaml").write_text(people)
    (tmp_path / "a.yaml").write_text(system + "owned_by: alice\n")
    (tmp_path / "b.yaml").write_text(system + "owned_by: bob\n")
    (problem,) = _problems(tmp_path)
    assert problem.file.endswith("b.yaml") and "duplicate id 's1'" in problem.reason
    # and the same record twice in one file is a duplicate, however alike
    (tmp_path / "b.yaml").unlink()
    (tmp_path / "a.yaml").write_text(f"- {system.replace(chr(10), chr(10) + '  ')}\n" * 2)
    (problem,) = _problems(tmp_path)
    assert "duplicate id 's1'" in problem.reason


def test_a_bom_copied_into_another_folder_adds_no_relationship_twice(tmp_path: Path) -> None:
    once = _read(PLATFORM)
    shutil.copytree(PLATFORM, tmp_path / "p")
    shutil.copy(CDX, tmp_path / "p" / "copy.cdx.json")
    twice = _read(tmp_path / "p")
    assert len(twice.nodes) == len(once.nodes)
    ends = [(r.type, r.start, r.end) for r in twice.relationships]
    assert len(ends) == len(set(ends)) == len(once.relationships)


def test_a_minified_bom_with_errors_at_its_root_lists_them(tmp_path: Path) -> None:
    # every error on line 1, one of them at the root (no pointer): sorted, not a crash
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "bogus": 1,
        "components": [{"type": "machine-learning-model", "name": "m", "bogus2": 3}],
    }
    path = _write(tmp_path, "x.cdx.json", json.dumps(bom, separators=(",", ":")))
    problems = _problems(path)
    assert len(problems) >= 2 and all(p.line == 1 for p in problems)
    assert any(p.field is None for p in problems) and any(p.field for p in problems)
    code, _, err = run_cli("validate", str(tmp_path))
    assert code == 1 and "Traceback" not in err


def test_personal_data_denied_in_words_is_not_read_as_personal(tmp_path: Path) -> None:
    bom = _cdx()
    datasets = [
        ("public, non-personal sensor data", False),
        ("contains no personal data", False),
        ("customer PII", True),
        ("personal data, pseudonymised", True),
    ]
    bom["components"] = [
        {
            "type": "data",
            "bom-ref": f"d{n}",
            "name": f"d{n}",
            "data": [{"type": "dataset", "classification": said}],
        }
        for n, (said, _) in enumerate(datasets)
    ]
    bom.pop("dependencies", None)
    bom.get("metadata", {}).pop("component", None)
    nodes = {n.id: n for n in _read(_write(tmp_path, "d.cdx.json", bom)).nodes}
    for n, (said, personal) in enumerate(datasets):
        assert nodes[f"d{n}"].get("contains_personal_data") is personal, said


def test_spdx_single_values_written_without_brackets_are_one_value(tmp_path: Path) -> None:
    # JSON-LD may write a one-item list as the item alone: it is that item, not its letters
    data = json.loads(SPDX.read_text())
    clean = "https://acme.example/data/transactions-clean"
    for element in data["@graph"]:
        if element.get("type") == "ai_AIPackage" and "ai_typeOfModel" in element:
            element["ai_typeOfModel"] = element["ai_typeOfModel"][0]
        if element.get("type") == "Relationship" and element.get("to") == [clean]:
            element["to"] = clean
        if isinstance(element.get("originatedBy"), list) and len(element["originatedBy"]) == 1:
            element["originatedBy"] = element["originatedBy"][0]
    folder = tmp_path / "p"
    shutil.copytree(PLATFORM, folder)
    (folder / SPDX.name).write_text(json.dumps(data, indent=2))
    assert {(r.type, r.start, r.end) for r in _read(folder).relationships} == {
        (r.type, r.start, r.end) for r in _read(PLATFORM).relationships
    }
    model = {n.id: n for n in _read(folder).nodes}["https://acme.example/model/fraud-detector"]
    assert model.get("model_type") == "gradient-boosted trees"


def test_an_spdx_supplier_not_in_the_document_is_a_problem_not_lost(tmp_path: Path) -> None:
    data = json.loads(SPDX.read_text())
    ghost = "https://acme.example/spdx/agent/ghost"
    model = next(e for e in data["@graph"] if e.get("type") == "ai_AIPackage")
    model["suppliedBy"] = ghost
    folder = tmp_path / "p"
    shutil.copytree(PLATFORM, folder)
    (folder / SPDX.name).write_text(json.dumps(data, indent=2))
    problems = _problems(folder)
    assert [p.field for p in problems] == ["suppliedBy"], problems
    assert ghost in problems[0].reason and problems[0].file.endswith(SPDX.name)


def test_a_reference_into_a_refused_bom_says_the_bom_was_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PLATFORM, folder)
    bom = _cdx()
    bom["components"][0]["modelCard"] = {"modelParameters": {"task": 7}}  # not a string
    (folder / CDX.name).write_text(json.dumps(bom, indent=2))
    problems = _problems(folder)
    follow = [p for p in problems if "no record has id 'scorer-1.2'" in p.reason]
    assert follow and all(f"{CDX.name}: that file was not read" in p.reason for p in follow)


def test_check_runs_end_to_end_on_the_platform_folder() -> None:
    code, out, err = run_cli("validate", str(PLATFORM))
    assert code == 0, err
    assert "17 records" in out
    code, out, err = run_cli(
        "check",
        str(PLATFORM),
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
        "--fail-on",
        "never",
    )
    assert code == 0, err
    text = json.dumps(json.loads(out))
    # the checks see the BOM's facts, with their file and line
    assert "scorer.cdx.json" in text and "fraud.spdx3.jsonld" in text


def test_a_purl_two_records_share_is_refused_when_a_reference_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "inv"
    data = _cdx()
    _write(folder, "a.cdx.json", data)
    other = copy.deepcopy(data)
    other["components"][0]["bom-ref"] = "scorer-copy"
    other["components"] = other["components"][:1]
    other["components"][0]["pedigree"] = {}
    other["components"][0]["modelCard"] = {}
    other["dependencies"] = []
    _write(folder, "b.cdx.json", other)
    (folder / "s.yaml").write_text(
        "kind: ai_system\nid: s\nname: S\nin_scope: true\nrisk_tier: minimal\n"
        "uses_model: pkg:huggingface/acme/scorer@1.2\n"
    )
    (problem,) = _problems(folder)
    assert (problem.file, problem.line, problem.field) == (str(folder / "s.yaml"), 6, "uses_model")
    assert "'scorer-1.2'" in problem.reason and "'scorer-copy'" in problem.reason


def test_a_reference_to_a_missing_purl_is_a_missing_record(tmp_path: Path) -> None:
    shutil.copytree(PLATFORM, tmp_path / "p")
    yaml_file = tmp_path / "p" / "systems.yaml"
    yaml_file.write_text(yaml_file.read_text().replace("fraud-detector@4.0", "fraud@9"))
    (problem,) = _problems(tmp_path / "p")
    assert problem.field == "uses_model" and "pkg:generic/acme/fraud@9" in problem.reason


# -- which files are BOMs ----------------------------------------------------------------


def test_boms_are_found_by_name_and_by_content(tmp_path: Path) -> None:
    data = _cdx()
    named = _write(tmp_path, "bom.json", data)
    sniffed = _write(tmp_path, "platform-export.json", data)
    spdx = _write(tmp_path, "ai.jsonld", SPDX.read_text())
    other = _write(tmp_path, "settings.json", {"bomFormat": "other", "theme": "dark"})
    assert bom_format(named) == "CycloneDX" and bom_format(sniffed) == "CycloneDX"
    assert bom_format(spdx) == "SPDX 3"
    assert bom_format(other) is None and not wanted(other)
    files = [f.relative for f in read_inventory.files(tmp_path)[0]]
    assert files == ["ai.jsonld", "bom.json", "platform-export.json"]


def test_a_json_file_that_is_no_bom_leaves_an_inventory_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PLATFORM, folder, ignore=shutil.ignore_patterns("*.cdx.json", "*.jsonld"))
    (folder / "systems.yaml").write_text("kind: organization\nid: acme\nname: Acme\n")
    (folder / "package.json").write_text('{"name": "x", "dependencies": {"y": "1"}}')
    assert [n.id for n in _read(folder).nodes] == ["acme"]


def test_sniffing_reads_only_the_start_of_a_large_file(tmp_path: Path) -> None:
    big = tmp_path / "huge.json"
    with big.open("wb") as handle:
        handle.write(b'{"data": [' + b" " * (SNIFF_BYTES * 4))
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that cost nothing to write
    tracemalloc.start()
    try:
        assert not wanted(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * SNIFF_BYTES


def test_graphgovs_own_json_ld_is_still_read_as_rdf(tmp_path: Path) -> None:
    folder = tmp_path / "rdf"
    folder.mkdir()
    (folder / "org.jsonld").write_text(
        json.dumps(
            {
                "@context": {"gg": "https://graphgov.dev/ontology#"},
                "@id": "https://example.org/acme",
                "@type": "gg:Organization",
                "gg:name": "Acme",
            }
        )
    )
    assert not bom_format(folder / "org.jsonld")
    records, problems = read_inventory(folder)
    # whatever the RDF reader makes of it, it is not taken for an SPDX document
    assert not any("SPDX" in p.reason for p in problems)
    assert all(r.source.file == "org.jsonld" for r in records)


# -- the official schemas first ----------------------------------------------------------


def test_cyclonedx_schema_errors_are_all_reported_with_pointers(tmp_path: Path) -> None:
    data = _cdx()
    data["components"][0]["modelCard"]["modelParameters"]["task"] = 7
    data["components"][1]["bogus"] = True
    data["components"][2]["type"] = "spaceship"
    path = _write(tmp_path / "inv", "platform.cdx.json", data)
    problems = _problems(path.parent)
    fields = {p.field for p in problems}
    assert {
        "/components/0/modelCard/modelParameters/task",
        "/components/1",
        "/components/2/type",
    } <= fields
    assert all(
        p.file == str(path) and p.reason.startswith("not valid CycloneDX 1.6") for p in problems
    )
    text = path.read_text().splitlines()
    task = next(p for p in problems if p.field and p.field.endswith("/task"))
    assert task.line is not None and '"modelParameters"' in text[task.line - 1]
    assert (
        "'bogus' was unexpected" in next(p for p in problems if p.field == "/components/1").reason
    )


def test_cyclonedx_1_5_is_checked_against_1_5(tmp_path: Path) -> None:
    data = _cdx()
    data["specVersion"] = "1.5"
    path = _write(tmp_path, "old.cdx.json", data)
    records, problems = read_cyclonedx(path, "old.cdx.json", "old.cdx.json")
    # a component's manufacturer came with 1.6: the 1.5 schema refuses it
    assert records == [] and [p.field for p in problems] == ["/components/0"]
    assert "manufacturer" in problems[0].reason
    del data["components"][0]["manufacturer"]
    _write(tmp_path, "old.cdx.json", data)
    records, problems = read_cyclonedx(path, "old.cdx.json", "old.cdx.json")
    assert problems == [] and "scorer-1.2" in {r.fields["id"].text for r in records}


def test_other_cyclonedx_versions_and_non_boms_are_refused(tmp_path: Path) -> None:
    data = _cdx()
    data["specVersion"] = "1.1"  # CycloneDX had no JSON format before 1.2
    path = _write(tmp_path, "a.cdx.json", data)
    (problem,) = read_cyclonedx(path, "a.cdx.json", "a.cdx.json")[1]
    assert problem.field == "/specVersion" and "1.2 to 1.7" in problem.reason
    path = _write(tmp_path, "bom.json", {"hello": "world"})
    (problem,) = read_cyclonedx(path, "bom.json", "bom.json")[1]
    assert "not a CycloneDX BOM" in problem.reason


def test_spdx_elements_that_break_the_model_are_all_reported(tmp_path: Path) -> None:
    data = json.loads(SPDX.read_text())
    data["@graph"][4]["name"] = 12
    data["@graph"][5]["ai_noSuchProperty"] = "x"
    del data["@graph"][6]["dataset_datasetType"]  # required for a dataset
    data["@graph"][8]["type"] = "ai_Spaceship"
    path = _write(tmp_path / "inv", "fraud.spdx3.jsonld", data)
    problems = _problems(path.parent)
    assert [p.field for p in problems] == [
        "/@graph/4/name",  # the property the library refused, found by trying each alone
        "/@graph/5/ai_noSuchProperty",
        "/@graph/6",  # a required property missing: the element
        "/@graph/8",
    ]
    assert all(p.reason.startswith("not valid SPDX 3.0.1") for p in problems)
    assert "dataset_datasetType" in problems[2].reason and "required" in problems[2].reason
    assert "ai_Spaceship" in problems[3].reason
    assert all(" (1" not in p.reason for p in problems)  # no object numbers from memory
    lines = path.read_text().splitlines()
    assert all(p.line and "{" in lines[p.line - 1] for p in problems)


def test_spdx2_and_other_contexts_are_refused_clearly(tmp_path: Path) -> None:
    path = _write(tmp_path, "sbom.spdx.json", {"spdxVersion": "SPDX-2.3", "SPDXID": "x"})
    (problem,) = read_spdx(path, "sbom.spdx.json", "sbom.spdx.json")[1]
    assert "SPDX-2.3" in problem.reason and "SPDX 3.0" in problem.reason
    path = _write(
        tmp_path, "x.spdx3.jsonld", {"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld"}
    )
    (problem,) = read_spdx(path, "x.spdx3.jsonld", "x.spdx3.jsonld")[1]
    assert problem.field == "/@context" and "3.0.1" in problem.reason


# -- hostile JSON ------------------------------------------------------------------------


HOSTILE = {
    "deep": (
        '{"bomFormat": "CycloneDX", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nest deeper",
    ),
    "number": (
        '{"bomFormat": "CycloneDX", "version": ' + "9" * 100_000 + "}",
        "a number of 100,000",
    ),
    "float": ('{"bomFormat": "CycloneDX", "version": 1e999}', "too large"),
    "nan": ('{"bomFormat": "CycloneDX", "version": NaN}', "NaN is not a JSON value"),
    "duplicate": (
        '{"bomFormat": "CycloneDX",\n "specVersion": "1.6",\n "specVersion": "1.5"}',
        "appears twice",
    ),
    "broken": ('{"bomFormat": "CycloneDX", "components": [}', "not valid JSON"),
    "not-utf8": (b'{"bomFormat": "CycloneDX", "name": "\xff"}', "not UTF-8"),
    "empty": ("  \n", "empty"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_json_is_refused_with_one_clear_problem(tmp_path: Path, case: str) -> None:
    text, words = HOSTILE[case]
    folder = tmp_path / "inv"
    folder.mkdir()
    path = folder / "bom.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    (problem,) = _problems(folder)
    assert problem.file == str(path) and words in problem.reason, problem
    if case == "duplicate":
        assert problem.line == 1 and "'specVersion'" in problem.reason
    code, out, err = run_cli("validate", str(folder))
    assert code == 1 and words in err + out


def test_nesting_up_to_the_limit_is_read_and_one_more_is_refused(tmp_path: Path) -> None:
    def nested(depth: int) -> str:
        inner = "[" * (depth - 1) + "]" * (depth - 1)
        return '{"bomFormat": "CycloneDX", "x": ' + inner + "}"

    ok = _write(tmp_path, "ok.cdx.json", nested(MAX_DEPTH))
    problems = read_cyclonedx(ok, "ok", "ok")[1]
    assert problems and not any("nest" in p.reason for p in problems)  # then the schema's
    deep = _write(tmp_path, "deep.cdx.json", nested(MAX_DEPTH + 1))
    (problem,) = read_cyclonedx(deep, "deep", "deep")[1]
    assert "nest deeper" in problem.reason


def test_a_100_mb_bom_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "inv"
    folder.mkdir()
    path = folder / "big.cdx.json"
    with path.open("wb") as handle:
        handle.write(b'{"bomFormat": "CycloneDX"')
        handle.truncate(100 * 1024 * 1024)
    tracemalloc.start()
    try:
        (problem,) = _problems(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"the limit is {MAX_FILE_BYTES:,}" in problem.reason
    assert peak < 16 * 1024 * 1024  # nothing near the file's size was held


# -- a real generator's BOM --------------------------------------------------------------


def test_a_bom_cyclonedx_py_generates_for_a_real_environment_reads_cleanly(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "inv"
    folder.mkdir()
    out = folder / "environment.cdx.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cyclonedx_py",
            "environment",
            "--spec-version",
            "1.6",
            "--output-format",
            "JSON",
            "--output-file",
            str(out),
            "--",
            sys.executable,
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    data = json.loads(out.read_text())
    assert data["bomFormat"] == "CycloneDX" and len(data["components"]) > 20
    records, problems = read_cyclonedx(out, out.name, out.name)
    # a Python environment holds libraries, no models or datasets: nothing to govern
    assert problems == [] and records == []
    assert {f.relative for f in read_inventory.files(folder)[0]} == {out.name}
    # beside a YAML record the folder validates as usual
    (folder / "org.yaml").write_text("kind: organization\nid: acme\nname: Acme\n")
    code, text, err = run_cli("validate", str(folder))
    assert code == 0, err
    assert "1 record" in text


def test_the_cyclonedx_bom_an_installed_package_ships_reads_cleanly(tmp_path: Path) -> None:
    """pip ships the CycloneDX 1.4 BOM of its vendored libraries: a real one, made by its
    release tooling. It must validate and give nothing (no models, no datasets)."""
    import pip

    shipped = Path(pip.__file__).parent / "_vendor" / "bom.cdx.json"
    data = json.loads(shipped.read_text())
    assert data["specVersion"] == "1.4" and len(data["components"]) > 5
    assert read_cyclonedx(shipped, shipped.name, shipped.name) == ([], [])
    folder = tmp_path / "inv"
    folder.mkdir()
    shutil.copy(shipped, folder / "bom.cdx.json")
    broken = json.loads(shipped.read_text())
    broken["components"][1]["type"] = "machine-learning-model"  # a type 1.4 lacks
    _write(folder, "broken.cdx.json", broken)
    (problem,) = _problems(folder)
    assert problem.field == "/components/1/type" and "CycloneDX 1.4" in problem.reason


def _libraries(count: int) -> dict[str, Any]:
    data = _cdx()
    data["components"] = [
        {"type": "library", "bom-ref": f"lib-{n}", "name": f"lib-{n}", "version": "1.0"}
        for n in range(count)
    ]
    data["dependencies"] = [
        {"ref": f"lib-{n}", "dependsOn": [f"lib-{n + 1}"]} for n in range(count)
    ]
    return data


def test_a_long_bom_is_judged_as_validating_it_whole_would(tmp_path: Path) -> None:
    """Long arrays are validated in pieces (jsonschema compares every pair of items for
    uniqueness); the problems must be those of validating the whole BOM at once."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    data = _libraries(180)
    data["components"][0]["type"] = "spaceship"
    data["components"][77]["version"] = 3
    data["components"][149]["bogus"] = "x"
    data["components"][170] = copy.deepcopy(data["components"][12])
    data["dependencies"][120]["dependsOn"] = "lib-1"
    path = _write(tmp_path, "long.cdx.json", data)
    whole = JsonStrictValidator(SchemaVersion.V1_6).validate_str(path.read_text(), all_errors=True)
    expected = {"/" + "/".join(str(s) for s in e.data.absolute_path) for e in whole or ()}
    records, problems = read_cyclonedx(path, path.name, path.name)
    assert records == []
    same = {
        "/components/0/type",
        "/components/77/version",
        "/components/149",
        "/dependencies/120/dependsOn",
    }
    # the whole BOM's check names the array whose items repeat; graphgov names the item
    assert expected == {*same, "/components"}
    assert {p.field for p in problems} == {*same, "/components/170"}
    repeat = next(p for p in problems if p.field == "/components/170")
    assert "/components/12" in repeat.reason
    lines = path.read_text().splitlines()
    version = next(p for p in problems if p.field == "/components/77/version")
    assert version.line is not None and '"lib-77"' in lines[version.line + 1]  # its bom-ref


def test_many_components_read_in_time_and_a_huge_nested_array_is_refused(
    tmp_path: Path,
) -> None:
    data = _libraries(5000)
    data["components"].append(copy.deepcopy(_cdx()["components"][0]))
    path = _write(tmp_path, "many.cdx.json", data)
    records, problems = read_cyclonedx(path, path.name, path.name)
    assert problems == [] and "scorer-1.2" in {r.fields["id"].text for r in records}
    nested = _cdx()
    nested["components"][2]["components"] = _libraries(1001)["components"]
    path = _write(tmp_path, "nested.cdx.json", nested)
    (problem,) = read_cyclonedx(path, path.name, path.name)[1]
    assert problem.field == "/components/2/components" and "1,001 objects" in problem.reason


def test_a_warm_run_reuses_the_boms_and_gives_what_a_cold_run_gives(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PLATFORM, folder)
    cold = pipeline.read(folder, cache=False)
    first = pipeline.read(folder)  # fills the cache
    warm = pipeline.read(folder)
    assert cold == first == warm
    # a changed BOM is read again, not taken from the cache
    bom = folder / "scorer.cdx.json"
    bom.write_text(bom.read_text().replace('"version": "1.2"', '"version": "1.3"'))
    changed = {n.id: n for n in pipeline.read(folder).nodes}
    assert changed["scorer-1.2"].get("version") == "1.3"


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_NAMES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30
).filter(lambda t: t.strip() == t and id_problem(t) is None)


@PROPERTY
@given(
    models=st.lists(
        st.tuples(_NAMES, _NAMES, st.booleans()), min_size=1, max_size=6, unique_by=lambda m: m[0]
    ),
    data=st.data(),
)
def test_generated_boms_give_one_model_each_with_its_facts(
    tmp_path: Path, models: list[tuple[str, str, bool]], data: st.DataObject
) -> None:
    components = [
        {
            "type": "machine-learning-model",
            "bom-ref": ref,
            "name": ref,
            "version": version,
            **({"supplier": {"name": "Acme"}} if supplied else {}),
        }
        for ref, version, supplied in models
    ]
    refs = [m[0] for m in models]
    bases = {ref: data.draw(st.sampled_from(refs)) for ref in refs[1:]}
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": data.draw(st.sampled_from(["1.5", "1.6"])),
        "version": 1,
        "components": components,
        "dependencies": [{"ref": r, "dependsOn": [b]} for r, b in bases.items()],
    }
    path = tmp_path / "gen.cdx.json"
    path.write_text(json.dumps(bom, ensure_ascii=data.draw(st.booleans())))
    records, problems = read_cyclonedx(path, path.name, path.name)
    assert problems == []
    batch = build_batch(records)
    nodes = {n.id: n for n in batch.nodes}
    for ref, version, supplied in models:
        assert nodes[ref].label == "Model" and nodes[ref].get("version") == version.strip()
        assert (
            ("SUPPLIED_BY", ref, "Acme") in {(r.type, r.start, r.end) for r in batch.relationships}
        ) == supplied
    # a model another depends on at run time is no ancestor: dependencies give no lineage
    # (pedigree.ancestors does: the platform fixture's test)
    assert not [r for r in batch.relationships if r.type == "BASED_ON"]


@PROPERTY
@given(data=st.data())
def test_a_damaged_bom_only_ever_gives_problems(tmp_path: Path, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from([CDX, SPDX]))
    text = source.read_bytes()
    at = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(st.binary(min_size=1, max_size=6))
    damaged = text[:at] + junk + text[at + data.draw(st.integers(0, 6)) :]
    path = tmp_path / source.name
    path.write_bytes(damaged)
    records, problems = read_bom(path, path.name, path.name, None)
    assert all(isinstance(p, Problem) and p.reason for p in problems)
    assert all(isinstance(r, RawRecord) for r in records)


def test_the_model_a_bom_describes_is_supplied_by_the_boms_supplier(tmp_path: Path) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "supplier": {"name": "Model Hub"},
            "manufacturer": {"name": "Acme Research"},
            "component": {
                "type": "machine-learning-model",
                "bom-ref": "pkg:huggingface/acme/summariser@2.0",
                "name": "summariser",
                "version": "2.0",
                "modelCard": {"modelParameters": {"approach": {"type": "self-supervised"}}},
            },
        },
    }
    path = _write(tmp_path, "summariser.cdx.json", bom)
    batch = build_batch(read_cyclonedx(path, path.name, path.name)[0])
    model = next(n for n in batch.nodes if n.label == "Model")
    assert model.id == "pkg:huggingface/acme/summariser@2.0"  # the bom-ref, a legal id
    assert model.get("model_type") == "self-supervised"  # no task: the approach
    assert {(r.type, r.end) for r in batch.relationships} == {
        ("SUPPLIED_BY", "Model Hub"),
        ("SUPPLIED_BY", "Acme Research"),
    }


def test_an_unreadable_json_file_that_is_no_bom_by_name_is_left_out(open_folder: Path) -> None:
    secret = _write(open_folder, "secret.json", {"a": 1})
    secret.chmod(0)
    (open_folder / "org.yaml").write_text("kind: organization\nid: acme\nname: Acme\n")
    with unprivileged():
        with pytest.raises(PermissionError):
            secret.read_bytes()
        assert not wanted(secret)
        assert [f.relative for f in read_inventory.files(open_folder)[0]] == ["org.yaml"]


def test_an_identical_record_in_two_files_is_one_but_twice_in_one_file_is_a_duplicate(
    tmp_path: Path,
) -> None:
    record = "kind: supplier\nid: hub\nname: Model Hub\n"
    folder = tmp_path / "two-files"
    folder.mkdir()
    (folder / "a.yaml").write_text(record)
    (folder / "b.yaml").write_text(record)
    assert [n.id for n in _read(folder).nodes] == ["hub"]
    folder = tmp_path / "one-file"
    folder.mkdir()
    item = "- kind: supplier\n  id: hub\n  name: Model Hub\n"
    (folder / "a.yaml").write_text(item + item)
    (problem,) = _problems(folder)
    assert problem.field == "id" and "duplicate id 'hub'" in problem.reason
