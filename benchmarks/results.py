"""RESULTS.md: the machine, any disagreement between graphgov and its peer, the targets
met or not, and per size the measurements with their ratios to the peer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import SizeResult

GB = 1e9
# the commands a user runs by hand, as end_to_end names their warm runs
BY_HAND = (
    "validate, warm",
    "check (table), warm",
    "soa, warm",
    "gaps, warm",
    "report, warm",
    "viz --focus, warm",
)


def _s(seconds: float) -> str:
    return f"{seconds:.2f}"


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.3g}"


def _ratio(ours: float, theirs: float | None) -> str:
    if not theirs:
        return "n/a"
    ratio = ours / theirs
    return f"{ratio:.2g}x" if ratio < 10 else f"{ratio:,.0f}x"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _disagreements(results: Sequence[SizeResult]) -> list[str]:
    out = []
    for r in results:
        if (r.peer_nodes, r.peer_relationships) != (r.store_nodes, r.store_relationships):
            out.append(
                f"- **{r.size}: ladybug holds {r.peer_nodes:,} nodes and "
                f"{r.peer_relationships:,} relationships, graphgov's store "
                f"{r.store_nodes:,} and {r.store_relationships:,}.**"
            )
        for q in r.queries:
            if q.problem is not None:
                out.append(f"- **{r.size}, `{q.ref}`** ({q.given or 'defaults'}): {q.problem}")
    return out


def _verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def targets(results: Sequence[SizeResult]) -> list[list[str]]:
    """Each target: what it asks, the figure measured, met or not."""
    by_size = {r.size: r for r in results}
    rows: list[list[str]] = []
    Judge = Callable[["SizeResult"], tuple[str, bool]]

    def add(size: str, target: str, judge: Judge) -> None:
        r = by_size.get(size)
        if r is None:
            rows.append([target, f"not measured: size {size} was not in this run", "—"])
            return
        figure, ok = judge(r)
        rows.append([target, figure, _verdict(ok)])

    def cold_vs_copy(r: SizeResult) -> tuple[str, bool]:
        cold = r.commands["check, cold"]
        ratio = cold.wall / r.copy
        figure = f"{_s(cold.wall)} s ({_s(cold.cpu)} s CPU) ÷ {_s(r.copy)} s = {ratio:.1f}x"
        return figure, ratio <= 3

    def peak(r: SizeResult) -> tuple[str, bool]:
        name, worst = max(r.commands.items(), key=lambda kv: kv[1].rss_mb or 0)
        rss = (worst.rss_mb or 0) * 1e6
        return f"{rss / GB:.2f} GB ({name})", rss <= 2.5 * GB

    def edited(limit: float) -> Judge:
        def judge(r: SizeResult) -> tuple[str, bool]:
            run = r.commands["check, warm, one file edited"]
            return f"{_s(run.wall)} s ({_s(run.cpu)} s CPU)", run.wall <= limit

        return judge

    def queries(r: SizeResult) -> tuple[str, bool]:
        slowest = max(r.queries, key=lambda q: q.twin)
        return f"slowest {slowest.ref}: {_ms(slowest.twin)} ms", slowest.twin < 1

    def by_hand(r: SizeResult) -> tuple[str, bool]:
        timed = {k: r.commands[k] for k in BY_HAND if k in r.commands}
        if len(timed) < len(BY_HAND):
            return "not measured: the commands by hand were not timed at this size", False
        over = [
            f"{k.removesuffix(', warm')} {_s(t.wall)} s ({_s(t.cpu)} s CPU)"
            for k, t in timed.items()
            if t.wall > 5
        ]
        name, slowest = max(timed.items(), key=lambda kv: kv[1].wall)
        if not over:
            return f"slowest {name.removesuffix(', warm')}: {_s(slowest.wall)} s", True
        return "over 5 s: " + ", ".join(over), False

    add("L", "L: cold `check` end to end ≤ 3x ladybug's COPY of the same graph", cold_vs_copy)
    add("L", "L: peak RSS ≤ 2.5 GB", peak)
    add("L", "L: warm `check` after editing one file ≤ 10 s", edited(10))
    add("M", "M: warm `check` after editing one file ≤ 2 s", edited(2))
    add("L", "L: every query of the packs < 1 s", queries)
    add("M", "M: every command run by hand ≤ 5 s warm", by_hand)
    return rows


def _size(r: SizeResult) -> list[str]:
    made = (
        "reused from --data"
        if r.generated is None
        else f"generated in {_s(r.generated)} s (size {r.size}, seed {r.seed})"
    )
    lines = [
        f"## Size {r.size}",
        "",
        f"{r.nodes:,} nodes and {r.relationships:,} relationships from {r.files:,} "
        f"inventory files ({made}), plus the catalogue's {r.catalogue_nodes:,} nodes and "
        f"{r.catalogue_relationships:,} relationships; graphgov's store holds "
        f"{r.store_nodes:,} nodes and {r.store_relationships:,} relationships, ladybug "
        f"{r.peer_nodes:,} and {r.peer_relationships:,}. Measuring this size took "
        f"{r.took:.0f} s.",
        "",
        "### End to end (`.venv/bin/graphgov`, one process each)",
        "",
    ]
    rows = [
        [
            f"`{name}`",
            _s(t.wall),
            _s(t.cpu),
            f"{t.rss_mb:,.0f}" if t.rss_mb is not None else "",
            _ratio(t.wall, r.copy),
            f"{r.cache_writes.get(name, 0):,}",
        ]
        for name, t in r.commands.items()
    ]
    header = ["command", "wall s", "CPU s", "peak RSS MB", "÷ ladybug COPY", "cache writes"]
    lines += _table(header, rows)
    retried = [f"`{name}` {'once' if n == 1 else f'{n} times'}" for name, n in r.retried.items()]
    if retried:
        lines += [
            "",
            "Run again because the first run was not warm (graphgov's code changed "
            "after the cache was filled), and the last run's figures shown: "
            + ", ".join(retried)
            + ".",
        ]
    not_warm = [
        name
        for name, writes in r.cache_writes.items()
        if "warm" in name and writes > (1 if "edited" in name else 0)
    ]
    if not_warm:
        lines += [
            "",
            "**Not quite warm: "
            + ", ".join(f"`{n}` wrote {r.cache_writes[n]:,} cache entries" for n in not_warm)
            + " (a warm run writes none, or one for the edited file).**",
        ]
    lines += [
        "",
        "`check` is `check DIR --as-of 2026-11-23 --format json -o /dev/null`; "
        f"the edit: {r.edited}; `viz --focus {r.focus}` (the AI system with the most "
        "relationships). Cold: an empty GRAPHGOV_CACHE_DIR; warm: the same one, after "
        "the run before.",
        "",
        "### Load in process, and ladybug's bulk load",
        "",
    ]
    assert r.read is not None and r.add is not None
    load = r.read.wall + r.add.wall
    lines += _table(
        ["step", "wall s", "CPU s", "÷ ladybug COPY"],
        [
            ["graphgov `pipeline.read` (no cache)", _s(r.read.wall), _s(r.read.cpu), ""],
            ["graphgov `pipeline.add` into MemoryStore", _s(r.add.wall), _s(r.add.cpu), ""],
            ["graphgov load (the two)", _s(load), "", _ratio(load, r.copy)],
            ["ladybug: writing its CSVs (not counted)", _s(r.csv_write), "", ""],
            ["ladybug: `COPY ... FROM` every table", _s(r.copy), "", "1.0x"],
        ],
    )
    lines += [
        "",
        "### Each query alone: its twin in memory and its Cypher on ladybug",
        "",
        "Best of up to 5 runs (fewer once they add up to 1 s), rows sorted as the runner "
        "sorts them; the two sides' rows compared.",
        "",
    ]
    rows = [
        [
            f"`{q.ref}`",
            q.kind,
            q.given or "defaults",
            f"{q.rows:,}",
            _ms(q.twin),
            _ms(q.peer) if q.peer is not None else "failed",
            _ratio(q.twin, q.peer),
            "yes" if q.problem is None else "**NO**",
        ]
        for q in r.queries
    ]
    twin_total = sum(q.twin for q in r.queries)
    peer_total = sum(q.peer or 0 for q in r.queries)
    rows.append(
        [
            "**all**",
            "",
            "",
            "",
            _ms(twin_total),
            _ms(peer_total),
            _ratio(twin_total, peer_total),
            "",
        ]
    )
    header = ["query", "kind", "parameters", "rows", "graphgov ms", "ladybug ms"]
    lines += _table([*header, "graphgov ÷ ladybug", "same rows"], rows)
    notes = [f"- `{q.ref}`: {q.note}" for q in r.queries if q.note]
    if notes:
        lines += ["", *notes]
    return lines


PLACEHOLDER = (
    "_To be filled by the integrator: where the cold check's time goes, and what is "
    "worth changing first._"
)


def render(
    results: Sequence[SizeResult],
    machine: Mapping[str, str],
    took: float,
    command: str,
    changed: Sequence[str] = (),
) -> str:
    """The whole of RESULTS.md; ``changed``: graphgov's files that changed during the
    run (which invalidates the cache between a cold run and a warm one)."""
    lines = [
        "# graphgov benchmarks: results",
        "",
        f"Written by `{command}`: the whole run took {took:.0f} s of wall time. "
        "How to run it and what each number means: [README.md](README.md).",
        "",
    ]
    if changed:
        shown = ", ".join(f"`{c}`" for c in changed[:10])
        more = f" and {len(changed) - 10} more" if len(changed) > 10 else ""
        lines += [
            f"**graphgov's code changed during this run ({shown}{more}): the cache keys "
            "depend on it, so a warm run may have been partly cold; see the cache entries "
            "each command wrote.**",
            "",
        ]
    lines += [
        "## The machine",
        "",
        *_table(["", ""], [[k, v] for k, v in machine.items()]),
        "",
        "## graphgov and ladybug disagree",
        "",
    ]
    disagreements = _disagreements(results)
    if disagreements:
        lines += [
            f"**{len(disagreements)} disagreement(s): each is a bug, in a twin, in a "
            "query's Cypher or in ladybug.**",
            "",
            *disagreements,
        ]
    else:
        lines.append(
            "Nowhere: every query returned the same rows from its twin in memory as from its "
            "Cypher on ladybug, at every size, and ladybug held as many nodes and "
            "relationships as graphgov."
        )
    lines += ["", "## Targets", "", *_table(["target", "measured", ""], targets(results)), ""]
    for r in results:
        lines += [*_size(r), ""]
    lines += ["## What the profile shows", "", PLACEHOLDER, ""]
    for r in results:
        if r.profile:
            lines += [
                f"### The cold check at {r.size} under cProfile (top 25)",
                "",
                r.profile,
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
