"""The graph out and back in from the command line: RDF in each format reads back as
the same graph from an inventory folder, SHACL checks an export, graph files are
written for Gephi and yEd."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from graphgov import pipeline


def _graph(folder: Path) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    batch = pipeline.read(folder, cache=False)
    nodes = {(n.label, n.id, repr(sorted(n.properties.items()))) for n in batch.nodes}
    return nodes, {(r.type, r.start, r.end) for r in batch.relationships}


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("turtle", ".ttl"), ("json-ld", ".jsonld"), ("nt", ".nt")]
)
def test_an_rdf_export_reads_back_from_an_inventory_folder(
    acme: Path, tmp_path: Path, fmt: str, suffix: str
) -> None:
    folder = tmp_path / "back"
    folder.mkdir()
    rc, out, _ = run_cli("export", str(acme), "--format", fmt, "-o", str(folder / f"acme{suffix}"))
    assert rc == 0 and "read it back" not in out
    rc, out, _ = run_cli("validate", str(folder))
    assert rc == 0, out
    assert _graph(folder) == _graph(acme)


def test_shacl_checks_an_export_and_names_what_breaks_it(acme: Path, tmp_path: Path) -> None:
    export = tmp_path / "acme.ttl"
    assert run_cli("export", str(acme), "--format", "turtle", "-o", str(export))[0] == 0
    rc, out, _ = run_cli("validate", "--shacl", str(export))
    assert rc == 0 and "conforms" in out
    broken = tmp_path / "broken.ttl"
    text = export.read_text(encoding="utf-8")
    assert 'gg:risk_tier "high"' in text
    broken.write_text(text.replace('gg:risk_tier "high"', 'gg:risk_tier "extreme"'), "utf-8")
    rc, out, err = run_cli("validate", "--shacl", str(broken))
    assert rc == 1 and "Traceback" not in out + err
    lines = [line for line in err.splitlines() if "risk_tier" in line]
    assert lines and all("'extreme'" in line for line in lines)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_graph_file_is_written(acme: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"acme.{fmt}"
    rc, said, _ = run_cli("export", str(acme), "--format", fmt, "-o", str(out))
    assert rc == 0 and said.startswith("Wrote ")
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
