"""The cache of what earlier runs made of each inventory file (graphgov.cache): a warm
read equals a cold one after any sequence of edits, only changed files are read again,
and a damaged, foreign or unwritable cache is never trusted and never fails a command."""

from __future__ import annotations

import csv
import hashlib
import io
import marshal
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import Writer, unprivileged
from graphgov.loaders import LOADERS, inventory
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from rdflib import Graph
from strategies import GeneratedRecord, _ids, _value, inventories

import graphgov
from graphgov import cache, examples, files, pipeline
from graphgov.cli import cli
from graphgov.errors import MAX_PROBLEMS, InvalidInputError
from graphgov.schema import load_schema, schema_from_graph

SCHEMA = load_schema()


def outcome(root: Path, **options: Any) -> str:
    """What reading ``root`` gives, as text that tells every difference apart: the batch
    (types included: a date is not its text, True is not 1) or the problems."""
    try:
        return repr(pipeline.read(root, **options))
    except InvalidInputError as exc:
        return repr((exc.problems, exc.omitted, str(exc)))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.entry"))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names (in provenance) of the files the inventory loader reads, in order."""
    read: list[str] = []
    for suffix, reader in list(inventory.READERS.items()):

        def counting(path: Path, shown: str, relative: str, schema: Any, _r: Any = reader) -> Any:
            read.append(relative)
            return _r(path, shown, relative, schema)

        monkeypatch.setitem(inventory.READERS, suffix, counting)
    return read


# -- a warm read is a cold read ------------------------------------------------------


class Folder:
    """A generated inventory as records placed in files (YAML parts and CSV tables in
    numbered folders), written to disk after each edit; files whose text is unchanged
    are left alone, as an editor would."""

    def __init__(self, root: Path, records: list[GeneratedRecord], data: st.DataObject) -> None:
        self.root = root
        self.records: list[tuple[GeneratedRecord, str]] = []
        self.broken: dict[str, bytes] = {}  # files whose bytes were damaged by hand
        for record in records:
            self.records.append((record, self.place(record, data)))

    def place(self, record: GeneratedRecord, data: st.DataObject) -> str:
        if data.draw(st.booleans()):
            return f"part{data.draw(st.integers(0, 2))}.yaml"
        return f"t{data.draw(st.integers(0, 1))}/{record.spec.plural}.csv"

    def files(self) -> dict[str, bytes]:
        out: dict[str, list[GeneratedRecord]] = {}
        for record, where in self.records:
            out.setdefault(where, []).append(record)
        texts = {where: _text(where, rows) for where, rows in out.items()}
        return {**texts, **self.broken}

    def write(self) -> None:
        wanted = self.files()
        for path in list(self.root.rglob("*")):
            if path.is_file() and path.relative_to(self.root).as_posix() not in wanted:
                path.unlink()
        for name, content in wanted.items():
            path = self.root / name
            if not path.exists() or path.read_bytes() != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)

    def edit(self, data: st.DataObject) -> str:
        """One edit, drawn; returns what it was."""
        how = data.draw(
            st.sampled_from(
                [
                    *("change", "add", "remove", "move", "rename", "delete"),
                    *("break", "twice", "corrupt", "fix"),
                ]
            )
        )
        if how in ("change", "remove", "move", "break", "twice") and not self.records:
            how = "add"
        if how == "add":
            spec = data.draw(
                st.sampled_from([s for s in SCHEMA.labels.values() if not s.catalogue])
            )
            props = {
                p.name: data.draw(_value(p)) for p in spec.writable if p.required and p.name != "id"
            }
            ids = [r.id for r, _ in self.records]
            refs = {}
            for name, f in spec.fields.items():
                if f.relation is not None and ids and data.draw(st.booleans()):
                    refs[name] = [data.draw(st.sampled_from(ids))]
            record = GeneratedRecord(spec, data.draw(_ids()), props, refs)
            self.records.append((record, self.place(record, data)))
            return f"add {record.spec.kind} {record.id!r}"
        if how in ("rename", "delete", "corrupt"):
            names = sorted(self.files())
            if not names:
                return "nothing to " + how
            name = data.draw(st.sampled_from(names))
            if how == "corrupt":
                content = self.files()[name]
                at = data.draw(st.integers(0, max(len(content) - 1, 0)))
                self.broken[name] = content[:at] + b"\xff\x00'\"\n" + content[at + 1 :]
                return f"corrupt {name} at {at}"
            self.broken.pop(name, None)
            if how == "delete":
                self.records = [(r, w) for r, w in self.records if w != name]
                return f"delete {name}"
            new = name.replace("part", "piece") if name.endswith(".yaml") else "t9/" + name[3:]
            self.records = [(r, new if w == name else w) for r, w in self.records]
            return f"rename {name} to {new}"
        if how == "fix":
            self.broken.clear()
            return "fix the damaged files"
        n = data.draw(st.integers(0, len(self.records) - 1))
        record, where = self.records[n]
        if how == "remove":
            del self.records[n]
            return f"remove {record.id!r}"
        if how == "move":
            self.records[n] = (record, self.place(record, data))
            return f"move {record.id!r} from {where} to {self.records[n][1]}"
        if how == "twice":
            self.records.append((record, self.place(record, data)))
            return f"write {record.id!r} twice"
        props = dict(record.properties)
        writable = [p for p in record.spec.writable if p.name != "id"]
        prop = data.draw(st.sampled_from(writable))
        if how == "break":
            props[prop.name] = data.draw(st.sampled_from(["2026-02-30", "bogus", "", " 12x"]))
        elif data.draw(st.booleans()) or prop.required:
            props[prop.name] = data.draw(_value(prop))
        else:
            props.pop(prop.name, None)
        self.records[n] = (GeneratedRecord(record.spec, record.id, props, record.references), where)
        return f"{how} {prop.name} of {record.id!r} to {props.get(prop.name)!r}"


def _text(where: str, rows: list[GeneratedRecord]) -> bytes:
    if where.endswith(".yaml"):
        documents = [
            {
                "kind": r.spec.kind,
                "id": r.id,
                **{k: _plain(v) for k, v in r.properties.items()},
                **r.references,
            }
            for r in rows
        ]
        text = yaml.safe_dump(documents, allow_unicode=True, sort_keys=False, default_style='"')
        return text.encode("utf-8")
    spec = rows[0].spec
    columns = ["id"] + [
        f for f in spec.fields if any(f in r.properties or f in r.references for r in rows)
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in rows:
        cells = {"id": r.id, **{k: _cell(v) for k, v in r.properties.items()}}
        cells.update({k: ";".join(v) for k, v in r.references.items()})
        writer.writerow([cells.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(records=inventories(max_records=8), data=st.data())
def test_after_any_edits_a_warm_read_equals_a_cold_one(
    records: list[GeneratedRecord], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[cache.DIR_VARIABLE] = str(Path(tmp) / "cache")
        folder = Folder(Path(tmp) / "inventory", records, data)
        folder.root.mkdir()
        folder.write()
        for _ in range(data.draw(st.integers(1, 6))):
            note(folder.edit(data))
            folder.write()
            before = cache.stats()
            warm = outcome(folder.root)
            after = cache.stats()
            assert warm == outcome(folder.root, cache=False)
            assert after.damaged == before.damaged
            assert after.hits + after.misses - before.hits - before.misses == len(folder.files())
            assert outcome(folder.root) == warm  # and again, now every file from the cache
            assert cache.stats().misses == after.misses


# -- only what changed is read again -------------------------------------------------


def test_an_unchanged_inventory_is_read_from_the_cache_alone(
    acme: Path, counted: list[str], cache_dir: Path
) -> None:
    cold = outcome(acme, cache=False)
    files = len(counted)
    counted.clear()
    assert outcome(acme) == cold and len(counted) == files  # the first run fills it
    assert len(entries(cache_dir)) == files
    counted.clear()
    before = cache.stats()
    assert outcome(acme) == cold
    assert counted == []
    assert cache.stats().hits - before.hits == files


def test_a_changed_file_is_read_again_alone(acme: Path, counted: list[str]) -> None:
    outcome(acme)
    counted.clear()
    risks = acme / "risks.csv"
    risks.write_text(risks.read_text().replace("Credit scores", "Loan scores"))
    warm = outcome(acme)
    assert counted == ["risks.csv"]
    assert warm == outcome(acme, cache=False)
    assert "Loan scores" in warm


def test_a_change_that_keeps_size_and_time_is_still_seen(acme: Path, counted: list[str]) -> None:
    """Entries are keyed by the file's bytes, not by its size or modification time."""
    outcome(acme)
    counted.clear()
    risks = acme / "risks.csv"
    info = risks.stat()
    risks.write_text(risks.read_text().replace("high", "HIGH", 1))
    os.utime(risks, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert risks.stat().st_size == info.st_size
    warm = outcome(acme)
    assert counted == ["risks.csv"]
    assert "'HIGH' is not allowed" in warm
    assert warm == outcome(acme, cache=False)


def test_a_renamed_file_is_read_again_and_a_deleted_one_forgotten(
    acme: Path, counted: list[str], cache_dir: Path
) -> None:
    outcome(acme)
    files = len(entries(cache_dir))
    counted.clear()
    (acme / "systems" / "fraud.yaml").rename(acme / "systems" / "fraud-detection.yaml")
    warm = outcome(acme)
    assert counted == ["systems/fraud-detection.yaml"]  # its provenance changed
    assert warm == outcome(acme, cache=False)
    assert len(entries(cache_dir)) == files  # the old name's entry is gone
    (acme / "incidents.yaml").unlink()
    outcome(acme)
    assert len(entries(cache_dir)) == files - 1


def test_problems_are_kept_and_reported_again_identically(
    write_inventory: Writer, counted: list[str]
) -> None:
    ragged = "id,name,stakeholder_type\n" + "x,y\n" * (MAX_PROBLEMS + 200)
    bad = "id,name,stakeholder_type\n" + "".join(f"s{i},S,nobody\n" for i in range(1200))
    root = write_inventory(
        {"stakeholders.csv": ragged, "more/stakeholders.csv": bad, "a.yaml": "kind: bogus\n"}
    )
    cold = outcome(root, cache=False)
    assert f"{MAX_PROBLEMS:,} problems shown and" in cold
    assert outcome(root) == cold
    counted.clear()
    assert outcome(root) == cold
    assert counted == []
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(root)
    assert caught.value.omitted > 0


def test_values_come_back_with_their_types(acme: Path) -> None:
    cold = pipeline.read(acme, cache=False)
    pipeline.read(acme)
    warm = pipeline.read(acme)
    assert warm == cold
    for a, b in zip(warm.nodes, cold.nodes, strict=True):
        assert [(k, type(v)) for k, v in a.properties.items()] == [
            (k, type(v)) for k, v in b.properties.items()
        ]
    kinds = {type(v) for n in warm.nodes for v in n.properties.values()}
    assert {date, bool, int, str} <= kinds


# -- never trusted when damaged, never trusted across versions -----------------------


def _lengthen(data: bytes) -> bytes:
    magic, key, sums, payload = data.split(b"\n", 3)
    return b"\n".join([magic, key, sums + b"0", payload])


def _damage_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF])


def _damage_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


DAMAGES = {
    "a byte flipped in the payload": _damage_middle,
    "the last byte flipped": _damage_last_byte,
    "truncated": lambda data: data[: len(data) * 2 // 3],
    "cut in the header": lambda data: data[:40],
    "empty": lambda data: b"",
    "another format": lambda data: data.replace(b"graphgov-cache 1", b"graphgov-cache 9", 1),
    "another length": lambda data: _lengthen(data),
    "not graphgov's": lambda data: b"\x00" * len(data),
}


@pytest.mark.parametrize("damage", list(DAMAGES), ids=list(DAMAGES))
def test_a_damaged_entry_is_detected_and_rebuilt(acme: Path, cache_dir: Path, damage: str) -> None:
    cold = outcome(acme, cache=False)
    outcome(acme)
    for entry in entries(cache_dir):
        entry.write_bytes(DAMAGES[damage](entry.read_bytes()))
    before = cache.stats()
    assert outcome(acme) == cold
    after = cache.stats()
    assert after.hits == before.hits  # nothing damaged was used
    assert after.damaged - before.damaged == len(entries(cache_dir))
    assert outcome(acme) == cold
    assert cache.stats().hits - after.hits == len(entries(cache_dir))  # rebuilt


def test_entries_are_not_synced_to_disk_and_outputs_are(
    acme: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry is made again when a crash cut it short (the damages above: truncated,
    empty), so it skips the fsync a user's output gets (927 entries at M: 0.40 s under
    cProfile)."""
    synced: list[int] = []
    real = os.fsync

    def counted(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counted)
    pipeline.read(acme)
    assert entries(cache_dir) and synced == []
    files.write_file(tmp_path / "soa.md", "an output")
    assert len(synced) == 1


def _rewrite(entry: Path, change: Any) -> None:
    """Change an entry's payload and give it a correct checksum: what only a deliberate
    hand (or a bug) could write."""
    data = entry.read_bytes()
    magic, key, _, payload = data.split(b"\n", 3)
    payload = marshal.dumps(change(marshal.loads(payload)), 4)
    digest = hashlib.sha256(payload).hexdigest().encode()
    entry.write_bytes(b"\n".join([magic, key, b"%s %d" % (digest, len(payload)), payload]))


def _count(payload: Any) -> int:
    """How many records the first group of a payload holds."""
    return len(payload[1][0][4])


def _swap_first_group(payload: Any, position: int, value: Any) -> Any:
    problems, groups = payload
    group = list(groups[0])
    group[position] = value
    return (problems, [tuple(group), *groups[1:]])


WRONG = {
    "a label that is not the schema's": lambda p: _swap_first_group(p, 2, ["Nothing"]),
    "a code object": lambda p: _swap_first_group(p, 4, [compile("1", "x", "eval")] * _count(p)),
    "a list for a property": lambda p: _swap_first_group(p, 8, [{"id": [1]}] * _count(p)),
    "a number out of its table": lambda p: _swap_first_group(p, 5, [7] * _count(p)),
    "columns of different lengths": lambda p: _swap_first_group(p, 6, []),
    "not a payload": lambda p: "hello",
}


@pytest.mark.parametrize("wrong", list(WRONG), ids=list(WRONG))
def test_an_entry_of_the_wrong_shape_is_not_used(acme: Path, cache_dir: Path, wrong: str) -> None:
    cold = outcome(acme, cache=False)
    outcome(acme)
    entry = next(e for e in entries(cache_dir) if b"risks.csv" in e.read_bytes())
    _rewrite(entry, WRONG[wrong])
    before = cache.stats()
    assert outcome(acme) == cold
    assert cache.stats().damaged - before.damaged == 1


def test_an_entry_of_another_graphgov_is_not_used(
    acme: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = outcome(acme, cache=False)
    files = len(counted)
    with monkeypatch.context() as patch:
        patch.setattr(graphgov, "__version__", "0.0.1")
        outcome(acme)
    counted.clear()
    assert outcome(acme) == cold
    assert len(counted) == files
    counted.clear()
    outcome(acme)
    assert counted == []


def test_an_entry_of_another_ontology_is_not_used(
    acme: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = outcome(acme, cache=False)
    with monkeypatch.context() as patch:
        patch.setattr(cache, "ontology_digest", lambda: "another ontology")
        outcome(acme)
    counted.clear()
    assert outcome(acme) == cold
    assert len(counted) > 0
    counted.clear()
    outcome(acme)
    assert counted == []


def test_the_digests_cover_the_ontology_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(cache.ontology_digest()) == len(cache.code_digest()) == 64
    assert cache.ontology_digest() != cache.code_digest()
    # the code digest follows the modules it names: without one of them it differs
    whole = cache.code_digest()
    cache.code_digest.cache_clear()
    monkeypatch.setattr(cache, "_CODE", tuple(n for n in cache._CODE if n != "validation.py"))
    try:
        assert cache.code_digest() != whole
    finally:
        cache.code_digest.cache_clear()


def test_a_custom_schema_is_never_cached(acme: Path, cache_dir: Path) -> None:
    text = resources.files("graphgov.ontology").joinpath("graphgov.ttl").read_text("utf-8")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    custom = schema_from_graph(graph)
    assert repr(pipeline.read(acme, schema=custom)) == outcome(acme, cache=False)
    assert entries(cache_dir) == []


def test_a_loader_that_does_not_read_file_by_file_is_read_uncached(
    acme: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = inventory.read_inventory.__call__
    monkeypatch.setitem(LOADERS, "whole", whole)
    assert outcome(acme, loader="whole") == outcome(acme, cache=False)
    assert entries(cache_dir) == []


def test_it_can_be_turned_off(acme: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.read(acme, cache=False)
    assert entries(cache_dir) == []
    monkeypatch.setenv(cache.OFF_VARIABLE, "1")
    pipeline.read(acme)
    assert entries(cache_dir) == []
    monkeypatch.setenv(cache.OFF_VARIABLE, "0")
    pipeline.read(acme)
    assert entries(cache_dir) != []


# -- a cache that cannot be written ---------------------------------------------------


def test_a_cache_behind_a_file_runs_cold(
    acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.DIR_VARIABLE, str(blocker / "cache"))
    before = cache.stats()
    assert outcome(acme) == outcome(acme, cache=False)
    assert cache.stats().unwritable - before.unwritable == 1  # tried once per run, no more


@pytest.fixture
def locked_cache(open_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An example inventory the unprivileged user can read, and a cache folder it may
    read but not write."""
    inventory = open_folder / "acme"
    examples.write("acme", inventory)
    for path in [inventory, *inventory.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    locked = open_folder / "cache"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.setenv(cache.DIR_VARIABLE, str(locked))
    yield inventory
    locked.chmod(0o755)


def test_a_read_only_cache_runs_cold_without_a_word(locked_cache: Path) -> None:
    cold = outcome(locked_cache, cache=False)
    with unprivileged():
        assert outcome(locked_cache) == cold
        result = CliRunner().invoke(cli, ["validate", str(locked_cache)])
        plain = CliRunner().invoke(
            cli, ["validate", str(locked_cache)], env={cache.OFF_VARIABLE: "1"}
        )
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (plain.stdout, plain.stderr)
    assert result.stderr == ""


def test_a_cache_it_cannot_even_look_into_runs_cold(
    locked_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = Path(os.environ[cache.DIR_VARIABLE]) / "closed"
    closed.mkdir(mode=0o700)
    monkeypatch.setenv(cache.DIR_VARIABLE, str(closed / "cache"))
    outcome(locked_cache)  # filled by root
    cold = outcome(locked_cache, cache=False)
    with unprivileged():
        assert outcome(locked_cache) == cold
        assert cache.clear() == 0


def test_a_filled_read_only_cache_is_still_used(locked_cache: Path, counted: list[str]) -> None:
    folder = Path(os.environ[cache.DIR_VARIABLE])
    folder.chmod(0o755)
    outcome(locked_cache)  # filled by root, readable by all
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    counted.clear()
    with unprivileged():
        assert outcome(locked_cache) == outcome(locked_cache, cache=False)
    assert counted.count("risks.csv") == 1  # by the cold read alone
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755)


# -- where it lives, and keeping it small --------------------------------------------


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.DIR_VARIABLE, str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(cache.DIR_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "graphgov"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "graphgov"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "graphgov"


def test_clear_removes_the_entries_and_nothing_else(acme: Path, cache_dir: Path) -> None:
    mine = cache_dir / "notes.txt"
    mine.write_text("a user's own file")
    outcome(acme)
    count = len(entries(cache_dir))
    assert count > 0
    assert cache.clear() == count
    assert entries(cache_dir) == []
    assert sorted(p.name for p in cache_dir.iterdir()) == ["notes.txt"]
    assert cache.clear() == 0
    before = cache.stats()
    outcome(acme)
    assert cache.stats().misses - before.misses == count


def test_an_inventory_unread_for_a_month_is_forgotten(
    write_inventory: Writer, acme: Path, cache_dir: Path
) -> None:
    old = write_inventory({"stakeholders.yaml": "kind: stakeholder\nid: a\nname: A\n"})
    outcome(old)
    (old_folder,) = {e.parent for e in entries(cache_dir)}
    month = time.time() - cache.MAX_AGE - 60
    os.utime(old_folder, (month, month))
    outcome(acme)  # swept at most once a day: the first run swept already
    assert old_folder.exists()
    (cache_dir / "swept").unlink()
    outcome(acme)
    assert not old_folder.exists()
    assert entries(cache_dir) and all(e.parent != old_folder for e in entries(cache_dir))


def test_entries_are_data_behind_a_checksum_for_their_owner_alone(
    acme: Path, cache_dir: Path
) -> None:
    outcome(acme)
    assert (cache_dir / "inventories").stat().st_mode & 0o777 == 0o700
    for entry in entries(cache_dir):
        magic, key, sums, payload = entry.read_bytes().split(b"\n", 3)
        assert magic == b"graphgov-cache 1" and len(key) == 64
        assert sums == b"%s %d" % (hashlib.sha256(payload).hexdigest().encode(), len(payload))
        problems, groups = marshal.loads(payload)  # plain values: tuples, lists, text, numbers
        assert isinstance(problems, list) and isinstance(groups, list)


def test_the_cache_follows_the_folder_it_was_copied_to(acme: Path, tmp_path: Path) -> None:
    """A copy of an inventory elsewhere is another inventory: its files are read (their
    names to show differ) and its result is its own."""
    outcome(acme)
    copy = tmp_path / "copy" / "acme"
    shutil.copytree(acme, copy)
    assert outcome(copy) == outcome(copy, cache=False)


def test_a_single_file_of_another_kind_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not an inventory\n")
    assert "not an inventory file (.yaml, .yml, .csv" in outcome(notes)
