"""graphgov's benchmarks: for each size of generated organisation, in one run, graphgov
end to end as a user runs it, its load and every query of the built-in packs in
process, and the same graph and queries on the peer, ladybug, loaded with bulk COPY;
written to RESULTS.md with the ratios and the targets. Not part of the test suite.

    .venv/bin/python benchmarks/run.py [--sizes S,M] [--seed 0] [--out FILE] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import pstats
import shlex
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from measure import CommandFailed, Timing, best, call, command, machine
from peer import Peer, write_csvs
from results import render

from graphgov import pipeline, workers
from graphgov.errors import GraphgovError
from graphgov.generate import generate
from graphgov.graph import GraphBatch
from graphgov.packs import Query, builtin_packs
from graphgov.runner import sorted_rows
from graphgov.schema import load_schema, natural_key
from graphgov.store import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
DAY = AS_OF.isoformat()
# how long the peer may take over one query before it counts as a failure
PEER_TIMEOUT = 600.0


@dataclass(frozen=True)
class QueryResult:
    """One query of the packs, run alone on graphgov (its twin, in memory) and on the
    peer (its Cypher, on ladybug): best wall seconds of each, and whether the rows
    agree (``problem`` says how they do not, or why the peer could not answer)."""

    ref: str
    kind: str
    given: str
    rows: int
    twin: float
    peer: float | None
    problem: str | None = None
    note: str = ""


@dataclass
class SizeResult:
    """Everything measured for one size."""

    size: str
    seed: int
    folder: Path
    generated: float | None = None  # seconds; None when an earlier run's data was reused
    files: int = 0
    nodes: int = 0
    relationships: int = 0
    catalogue_nodes: int = 0
    catalogue_relationships: int = 0
    commands: dict[str, Timing] = field(default_factory=dict)
    cache_writes: dict[str, int] = field(default_factory=dict)  # entries each command wrote
    retried: dict[str, int] = field(default_factory=dict)  # warm runs run again, and how often
    edited: str = ""
    focus: str = ""
    read: Timing | None = None
    add: Timing | None = None
    csv_write: float = 0.0
    copy: float = 0.0
    store_nodes: int = 0  # what graphgov's store holds, catalogue included
    store_relationships: int = 0
    peer_nodes: int = 0
    peer_relationships: int = 0
    queries: list[QueryResult] = field(default_factory=list)
    profile: str | None = None
    took: float = 0.0  # wall seconds this size took to measure, generation included


# -- the organisation -----------------------------------------------------------------


def organisation(data: Path, size: str, seed: int) -> tuple[Path, float | None]:
    """The generated organisation's folder, and the seconds generating it took (None
    when ``data`` already held it)."""
    folder = data / f"{size}-seed{seed}"
    if folder.is_dir() and any(folder.iterdir()):
        return folder, None
    _, took = call(lambda: generate(folder, size, seed, as_of=AS_OF))
    return folder, took.wall


@contextmanager
def one_file_edited(folder: Path) -> Iterator[Callable[[str], str]]:
    """A function that changes one field of one record in one CSV of one business unit,
    keeping it valid (the first model's name gains the suffix it is given) and says
    what it changed; the file is put back afterwards."""
    unit = sorted((folder / "units").iterdir(), key=lambda p: natural_key(p.name))[0]
    path = unit / "models.csv"
    original = path.read_bytes()
    lines = original.decode("utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    if len(row) != len(header):
        raise RuntimeError(f"{path}: its first record spans several lines; pick another file")
    column = header.index("name")

    def edit(suffix: str) -> str:
        line = io.StringIO()
        csv.writer(line, lineterminator="").writerow(
            [*row[:column], row[column] + suffix, *row[column + 1 :]]
        )
        path.write_bytes("\n".join([lines[0], line.getvalue(), *lines[2:]]).encode("utf-8"))
        return f"{path.relative_to(folder)}, line 2: `name` + {suffix!r}"

    try:
        yield edit
    finally:
        path.write_bytes(original)


# -- end to end ------------------------------------------------------------------------


def graphgov_executable() -> str:
    beside = Path(sys.executable).parent / "graphgov"
    found = str(beside) if beside.exists() else shutil.which("graphgov")
    if found is None:
        raise SystemExit("graphgov is not installed beside this Python; use .venv/bin/python")
    return found


# a user's graphgov runs with the cache on, its default workers, and Python writing
# bytecode (pip compiles what it installs; an editable install compiles on first use)
_DROPPED = ("GRAPHGOV_NO_CACHE", "GRAPHGOV_WORKERS", "PYTHONDONTWRITEBYTECODE")


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env["GRAPHGOV_CACHE_DIR"] = str(cache)
    return env


def _entries(cache: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}


def code_state() -> dict[str, tuple[int, int]]:
    """What graphgov's cache keys depend on, as files' sizes and times: if it changes
    during a run, warm runs may not have been warm."""
    return {
        str(p.relative_to(ROOT)): (p.stat().st_size, p.stat().st_mtime_ns)
        for part in ("graphgov", "loaders", "ontology", "queries")
        for p in sorted((ROOT / part).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def end_to_end(result: SizeResult, work: Path, by_hand: bool) -> None:
    """The commands as a user runs them, each a fresh process: validate and check cold
    (an empty cache) and warm, check warm after editing one file, and (``by_hand``) the
    commands a user runs by hand, warm. Counts the cache entries each one wrote: a warm
    run writes none, or one for the edited file."""
    gg, folder, out = graphgov_executable(), str(result.folder), work / "out"
    check = [gg, "check", folder, "--as-of", DAY, "--format", "json", "-o", os.devnull]
    found = (0, 1)  # check exits 1 when it finds something, as it does here
    validate_cache, cache = work / "cache-validate", work / "cache"

    def timed(
        name: str,
        args: list[str],
        cache: Path,
        ok: tuple[int, ...] = (0,),
        *,
        warm: int | None = 0,
        again: Callable[[], None] | None = None,
    ) -> None:
        """Time ``args``; a run meant to be warm that wrote more than ``warm`` cache
        entries (graphgov's code changed since the cache was filled: others are at work
        on it) is run again, after ``again``, at most twice."""
        for attempt in range(3):
            before = _entries(cache)
            result.commands[name] = command(args, environment(cache), ok)
            after = _entries(cache)
            writes = sum(1 for p, t in after.items() if before.get(p) != t)
            result.cache_writes[name] = writes
            if warm is None or writes <= warm:
                break
            result.retried[name] = attempt + 1
            if again is not None:
                again()

    command([gg, "--version"], environment(cache))  # unmeasured: Python's files read once
    timed("validate, cold", [gg, "validate", folder], validate_cache, warm=None)
    timed("validate, warm", [gg, "validate", folder], validate_cache)
    timed("check, cold", check, cache, found, warm=None)
    timed("check, warm", check, cache, found)
    with one_file_edited(result.folder) as edit:
        edits = iter(f" (edited {n})" for n in range(1, 10))

        def edit_again() -> None:
            command(check, environment(cache), found)  # the cache is this code's again
            result.edited = edit(next(edits))

        result.edited = edit(next(edits))
        timed("check, warm, one file edited", check, cache, found, warm=1, again=edit_again)
        if not by_hand:
            return
        timed("check (table), warm", [gg, "check", folder, "--as-of", DAY], cache, found)
        for name, extra in (
            ("soa", []),
            ("gaps", []),
            ("report", []),
            ("viz --focus", ["--focus", result.focus]),
        ):
            verb = name.split()[0]
            target = out / f"{verb}.{'html' if verb in ('report', 'viz') else 'md'}"
            args = [gg, verb, folder, *extra, "--as-of", DAY, "-o", str(target)]
            timed(f"{name}, warm", args, cache)


def profile(folder: Path, work: Path, top: int = 25) -> str:
    """The cold check under cProfile: the top functions by cumulative and own time."""
    stats_file = work / "check.prof"
    args = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(stats_file),
        "-m",
        "graphgov",
        "check",
        str(folder),
        "--as-of",
        DAY,
        "--format",
        "json",
        "-o",
        os.devnull,
    ]
    # cProfile sees its own process alone: the files are read there, not by workers
    alone = {**environment(work / "cache-profile"), workers.VARIABLE: "1"}
    command(args, alone, (0, 1))
    sections = []
    for key in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(str(stats_file), stream=text).sort_stats(key).print_stats(top)
        body = text.getvalue()
        body = body[body.find("   ncalls") :].rstrip()
        for prefix in sorted({str(ROOT) + "/", *(p + "/" for p in sys.path if p)}, key=len)[::-1]:
            body = body.replace(prefix, "")
        sections.append(f"By {key} time:\n\n```text\n{body}\n```")
    return "\n\n".join(sections)


# -- in process --------------------------------------------------------------------------


def _degrees(batch: GraphBatch) -> Counter[str]:
    degree: Counter[str] = Counter()
    for rel in batch.relationships:
        degree[rel.start] += 1
        degree[rel.end] += 1
    return degree


def busiest(store: MemoryStore, degree: Counter[str], label: str) -> str:
    """The id of the node of ``label`` with the most relationships (first by id on a
    tie): the value a required parameter gets, the heaviest question of its kind."""
    ids = sorted((n.id for n in store.nodes(label)), key=natural_key)
    if not ids:
        raise RuntimeError(f"the graph has no {label} to give a query")
    return max(ids, key=lambda i: degree[i])


def parameters(
    query: Query, store: MemoryStore, degree: Counter[str]
) -> tuple[dict[str, Any], str]:
    """The query's default parameters, a busy node's id for each required one, and
    those ids as shown in the results."""
    given = {
        p.name: busiest(store, degree, p.label)
        for p in query.definition.parameters
        if p.default is None and p.label is not None
    }
    shown = ", ".join(f"{k}={v}" for k, v in given.items())
    return query.parameters(given, AS_OF), shown


def _difference(ours: list[tuple[Any, ...]], theirs: list[tuple[Any, ...]]) -> str:
    only_ours = [r for r in ours if r not in set(theirs)][:3]
    only_theirs = [r for r in theirs if r not in set(ours)][:3]
    return (
        f"{len(ours)} rows in memory, {len(theirs)} on ladybug; only in memory: "
        f"{only_ours or 'none'}; only on ladybug: {only_theirs or 'none'}"
    )


def queries(store: MemoryStore, peer: Peer, degree: Counter[str]) -> list[QueryResult]:
    """Every query of the built-in packs alone: twin in memory, Cypher on the peer."""
    out = []
    for pack in builtin_packs():
        for query in pack.queries:
            params, shown = parameters(query, store, degree)
            values = {**query.vocabularies, **params}

            def twin(q: Query = query, v: Mapping[str, Any] = values) -> list[tuple[Any, ...]]:
                return sorted_rows(store.execute(q.cypher, q.twin, v), q.definition.columns)

            def cypher(q: Query = query, v: Mapping[str, Any] = values) -> list[tuple[Any, ...]]:
                return sorted_rows(peer.execute(q.cypher, None, v), q.definition.columns)

            ours, twin_seconds = best(twin)
            problem: str | None = None
            peer_seconds: float | None = None
            try:
                theirs, peer_seconds = best(cypher)
            except GraphgovError as exc:
                problem = f"ladybug could not run it: {exc}"
            else:
                if theirs != ours:
                    problem = _difference(ours, theirs)
            note = "" if query.twin is not None else "no twin: memory ran its Cypher"
            out.append(
                QueryResult(
                    query.ref,
                    query.definition.kind,
                    shown,
                    len(ours),
                    twin_seconds,
                    peer_seconds,
                    problem,
                    note,
                )
            )
    return out


def in_process(result: SizeResult, work: Path) -> None:
    """graphgov's load and queries in this process, then the same graph bulk-loaded
    into the peer and the same queries' Cypher on it."""
    schema = load_schema()
    catalogue = pipeline.catalogue()  # read once per process, outside the timings
    store = MemoryStore()
    inventory, result.read = call(lambda: pipeline.read(result.folder, cache=False))
    _, result.add = call(lambda: pipeline.add(inventory, store))
    result.files = len({n.source.file for n in inventory.nodes})
    result.nodes, result.relationships = len(inventory.nodes), len(inventory.relationships)
    result.catalogue_nodes = len(catalogue.nodes)
    result.catalogue_relationships = len(catalogue.relationships)
    counts = store.counts()
    result.store_nodes, result.store_relationships = counts.nodes, counts.edges
    whole = catalogue + inventory
    degree = _degrees(whole)
    result.focus = busiest(store, degree, "AISystem")
    jobs, took = call(lambda: write_csvs(schema, whole, work / "csv"))
    result.csv_write = took.wall
    peer = Peer(schema)
    peer.timeout = PEER_TIMEOUT
    result.copy = peer.copy(jobs)
    result.peer_nodes = peer.count("MATCH (n) RETURN count(n)")
    result.peer_relationships = peer.count("MATCH ()-[r]->() RETURN count(r)")
    result.queries = queries(store, peer, degree)
    shutil.rmtree(work / "csv", ignore_errors=True)


# -- the run -----------------------------------------------------------------------------


def measure_size(
    size: str, seed: int, data: Path, work: Path, by_hand: bool, profiled: bool
) -> SizeResult:
    started = time.perf_counter()
    folder, generated = organisation(data, size, seed)
    result = SizeResult(size, seed, folder, generated)
    print(f"[{size}] {folder}: in process, and ladybug", flush=True)
    in_process(result, work)
    gc.collect()  # the graphs in process are gone before graphgov runs end to end
    print(f"[{size}] end to end", flush=True)
    end_to_end(result, work, by_hand)
    if profiled:
        print(f"[{size}] profiling the cold check", flush=True)
        result.profile = profile(folder, work)
    result.took = time.perf_counter() - started
    print(f"[{size}] done in {result.took:.0f} s", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M", help="comma-separated: S, M, L or a number")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "RESULTS.md")
    parser.add_argument(
        "--data", type=Path, help="keep generated organisations here and reuse them"
    )
    parser.add_argument(
        "--by-hand",
        default="S,M",
        help="sizes at which to time soa, gaps, report and viz too (default S,M)",
    )
    parser.add_argument(
        "--profile", default="M", help="sizes at which to profile the cold check (default M)"
    )
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    by_hand = {s.strip().upper() for s in args.by_hand.split(",")}
    profiled = {s.strip().upper() for s in args.profile.split(",")}
    started, code = time.perf_counter(), code_state()
    load_before = os.getloadavg()
    os.environ.pop(workers.VARIABLE, None)  # in process too, graphgov's default workers
    results = []
    with tempfile.TemporaryDirectory(prefix="graphgov-bench-") as tmp:
        data = args.data or Path(tmp) / "data"
        for size in sizes:
            work = Path(tmp) / f"work-{size}"
            work.mkdir()
            try:
                results.append(
                    measure_size(size, args.seed, data, work, size in by_hand, size in profiled)
                )
            except CommandFailed as exc:
                print(f"[{size}] {exc}", file=sys.stderr)
                return 1
            shutil.rmtree(work, ignore_errors=True)
    took = time.perf_counter() - started
    now = code_state()
    changed = sorted(k for k in code.keys() | now.keys() if code.get(k) != now.get(k))
    conditions = {
        "load average (1, 5, 15 min) at the start": ", ".join(f"{x:.2f}" for x in load_before),
        "load average at the end": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    command_line = shlex.join(["benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)])
    args.out.write_text(
        render(results, {**machine(), **conditions}, took, command_line, changed), encoding="utf-8"
    )
    print(f"wrote {args.out} ({took:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
