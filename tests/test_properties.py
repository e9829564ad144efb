"""Property-based tests of the loaders: any valid inventory loads and reads back equal,
in YAML or CSV; random corruptions only ever raise graphgov's own validation error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import GeneratedRecord, expected_graph, inventories, write

from graphgov import examples, pipeline
from graphgov.errors import InvalidInputError
from graphgov.schema import load_schema
from graphgov.store import MemoryStore

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(
    records=inventories(),
    csv_kinds=st.sets(
        st.sampled_from(
            [
                "ai_system",
                "dataset",
                "risk",
                "control",
                "evidence",
                "stakeholder",
                "supplier",
                "model",
            ]
        )
    ),
)
def test_a_valid_inventory_loads_and_reads_back_equal(
    records: list[GeneratedRecord], csv_kinds: set[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inv"
        where = write(records, root, csv_kinds)
        store = MemoryStore()
        pipeline.load(root, store)
    nodes, rels = expected_graph(records)
    for ident, (label, props) in nodes.items():
        node = store.node(ident)
        assert node is not None, ident
        assert (node.label, dict(node.properties)) == (label, props)
        assert node.source.file == where[ident]
    loaded = {
        (r.type, r.start, r.end)
        for t in store.counts().relationships
        for r in store.relationships(t)
        if store.node(r.start).label not in _CATALOGUE
    }  # type: ignore[union-attr]
    assert loaded == rels


# the labels of the catalogue (ISO/IEC 42001's and the frameworks' requirements)
_CATALOGUE = {spec.name for spec in load_schema().labels.values() if spec.catalogue}


def _corrupt(text: bytes, data: st.DataObject) -> bytes:
    how = data.draw(
        st.sampled_from(["bytes", "delete-line", "duplicate-line", "truncate", "insert-text"])
    )
    lines = text.splitlines(keepends=True) or [b""]
    if how == "bytes":
        at = data.draw(st.integers(0, max(len(text) - 1, 0)))
        junk = data.draw(st.binary(min_size=1, max_size=8))
        return text[:at] + junk + text[at + len(junk) :]
    if how == "truncate":
        return text[: data.draw(st.integers(0, len(text)))]
    i = data.draw(st.integers(0, len(lines) - 1))
    if how == "delete-line":
        return b"".join(lines[:i] + lines[i + 1 :])
    if how == "duplicate-line":
        return b"".join(lines[: i + 1] + lines[i:])
    insert = data.draw(st.text(max_size=20)).encode("utf-8", "surrogatepass")
    return b"".join([*lines[:i], insert, *lines[i:]])


@SETTINGS
@given(data=st.data())
def test_corrupting_the_example_only_ever_raises_a_validation_error(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "acme"
        files = examples.write("acme", root)
        for _ in range(data.draw(st.integers(1, 3))):
            target = data.draw(st.sampled_from([f for f in files if f.suffix != ".md"]))
            target.write_bytes(_corrupt(target.read_bytes(), data))
        store = MemoryStore()
        try:
            pipeline.load(root, store)
        except InvalidInputError as exc:
            assert exc.problems
            assert store.counts().nodes == 0


@SETTINGS
@given(records=inventories(max_records=6), data=st.data())
def test_corrupting_a_generated_inventory_only_ever_raises_a_validation_error(
    records: list[GeneratedRecord], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inv"
        write(records, root, data.draw(st.sets(st.sampled_from(["dataset", "risk", "control"]))))
        target = data.draw(st.sampled_from(sorted(root.iterdir())))
        target.write_bytes(_corrupt(target.read_bytes(), data))
        try:
            pipeline.read(root)
        except InvalidInputError as exc:
            assert exc.problems
