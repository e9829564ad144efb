"""The import layering docs/architecture.md describes, checked on the code: imports
point from later stages to earlier ones, never back. Every import counts, including
those inside functions, since a lazy import couples two modules just the same."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Where each installed package lives in the repository (pyproject.toml's package-dir).
FOLDERS = {
    "graphgov": ROOT / "graphgov",
    "graphgov.loaders": ROOT / "loaders",
    "graphgov.queries": ROOT / "queries",
    "graphgov.ontology": ROOT / "ontology",
}
DOC = ROOT / "docs" / "architecture.md"

CONCRETE_STORES = (
    "graphgov.store",
    "graphgov.store.memory",
    "graphgov.store.neo4j",
    "graphgov.store.neo4j_statements",
)
ABOVE_STORES = (
    "graphgov.pipeline",
    "graphgov.loaders",
    "graphgov.packs",
    "graphgov.parameters",
    "graphgov.twin_kit",
    "graphgov.runner",
    "graphgov.lookup",
    "graphgov.queries",
    "graphgov.findings",
    "graphgov.audit",
    "graphgov.summary",
    "graphgov.export",
    "graphgov.schema_doc",
    "graphgov.outputs",
    "graphgov.cli",
)


def _modules() -> dict[str, Path]:
    """Every module of the installed package, by its installed name."""
    out: dict[str, Path] = {}
    for package, folder in FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The graphgov modules ``name`` imports (a from-import of a submodule counts as
    importing that submodule)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES}
    return {m for m in found if m == "graphgov" or m.startswith("graphgov.")}


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _within(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _offenders(importers: Iterable[str], forbidden: Iterable[str], exact: bool = False) -> list:
    forbidden = tuple(forbidden)
    bad = []
    for who in sorted(m for m in MODULES if _within(m, importers)):
        for target in sorted(IMPORTS[who]):
            hit = target in forbidden if exact else _within(target, forbidden)
            if hit:
                bad.append((who, target))
    return bad


def test_the_scan_sees_the_code() -> None:
    assert "graphgov.loaders.inventory" in MODULES
    assert "graphgov.queries.iso42001.twins" in MODULES
    assert "graphgov.outputs.soa" in MODULES
    assert "graphgov.audit" in IMPORTS["graphgov.outputs.soa"]
    assert "graphgov.twin_kit" in IMPORTS["graphgov.queries.iso42001.twins"]
    # relative imports resolve inside their package
    assert "graphgov.loaders.csvfile" in IMPORTS["graphgov.loaders.inventory"]


def test_nothing_imports_the_cli() -> None:
    importers = [m for m, found in IMPORTS.items() if "graphgov.cli" in found]
    assert importers == ["graphgov.__main__"]


def test_loaders_know_nothing_of_what_comes_after_validation() -> None:
    forbidden = [
        "graphgov.store",
        "graphgov.pipeline",
        "graphgov.packs",
        "graphgov.runner",
        "graphgov.twin_kit",
        "graphgov.queries",
        "graphgov.findings",
        "graphgov.audit",
        "graphgov.summary",
        "graphgov.export",
        "graphgov.outputs",
        "graphgov.cli",
    ]
    assert _offenders(["graphgov.loaders"], forbidden) == []


def test_outputs_render_results_whatever_store_produced_them() -> None:
    forbidden = [*CONCRETE_STORES, "graphgov.pipeline", "graphgov.loaders", "graphgov.cli"]
    assert _offenders(["graphgov.outputs"], forbidden, exact=True) == []
    assert _offenders(["graphgov.outputs"], ["graphgov.loaders", "graphgov.queries"]) == []


def test_query_packs_use_only_the_query_api() -> None:
    allowed = {
        "graphgov",
        "graphgov.graph",
        "graphgov.packs",
        "graphgov.schema",
        "graphgov.store.base",
        "graphgov.twin_kit",
    }
    bad = [
        (who, target)
        for who in MODULES
        if _within(who, ["graphgov.queries"])
        for target in IMPORTS[who]
        if target not in allowed and not _within(target, ["graphgov.queries"])
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("layer", "above"),
    [
        (
            [
                "graphgov.display",
                "graphgov.errors",
                "graphgov.dates",
                "graphgov.graph",
                "graphgov.schema",
                "graphgov.terminal",
            ],
            ["graphgov.records", "graphgov.validation", "graphgov.store", *ABOVE_STORES],
        ),
        (
            ["graphgov.records", "graphgov.validation", "graphgov.load_statements"],
            ["graphgov.store", *ABOVE_STORES],
        ),
        (["graphgov.store"], ABOVE_STORES),
        (
            ["graphgov.packs", "graphgov.parameters", "graphgov.twin_kit", "graphgov.runner"],
            [
                "graphgov.findings",
                "graphgov.audit",
                "graphgov.summary",
                "graphgov.outputs",
                "graphgov.cli",
            ],
        ),
        (["graphgov.findings"], ["graphgov.audit", "graphgov.summary", "graphgov.outputs"]),
        (["graphgov.audit", "graphgov.summary"], ["graphgov.outputs", "graphgov.cli"]),
    ],
    ids=["foundation", "records", "stores", "queries", "findings", "audit"],
)
def test_no_layer_imports_one_above_it(layer: list[str], above: list[str]) -> None:
    assert _offenders(layer, above) == []


def test_the_schema_depends_only_on_the_exceptions() -> None:
    assert IMPORTS["graphgov.schema"] <= {"graphgov.errors", "graphgov.display"}


def test_the_ontology_and_the_engine_reach_packs_and_loaders_by_name_only() -> None:
    """The ontology is data; the engine finds loaders through the pipeline's registry
    and packs by package name, never by importing them."""
    assert _offenders(["graphgov.ontology"], ["graphgov"]) == []
    outside = ["graphgov.loaders", "graphgov.queries", "graphgov.ontology"]
    bad = [
        (who, target)
        for who, found in IMPORTS.items()
        if not _within(who, outside)
        for target in found
        if _within(target, outside)
    ]
    assert bad == []


def test_the_doc_names_every_module() -> None:
    """A new module of graphgov/ is placed in a layer of docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    top = {m.split(".")[1] for m in MODULES if m.count(".") >= 1 and m.startswith("graphgov.")}
    missing = sorted(t for t in top if f"`{t}" not in text)
    assert missing == []
