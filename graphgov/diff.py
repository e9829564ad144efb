"""What changed between two versions of an inventory, as a reviewer of a pull request
reads it: records added, removed, changed (field by field) and moved to another file,
relationships added and removed, findings introduced, resolved and unchanged (matched by
``findings.fingerprint``, as ``findings.compare`` does), Statement of Applicability rows
and gaps whose standing changed, and, first of all, the AI systems whose risk tier, role
or scope changed.

Each version is a ``Side``: what ``pipeline.read`` made of its inventory and what the
checks and the auditors' views computed on it, on the same day with the same packs; the
caller (the CLI, ``graphgov.api``) computes both the same way. Every list is in a fixed
order (ids in natural order, ``schema.natural_key``), so the same two versions always
give the same diff."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from graphgov.audit import Gap, SoaRow
from graphgov.findings import NEW, UNCHANGED, Finding, compare, finding_order
from graphgov.graph import GraphBatch, Node, Relationship, Source, Value
from graphgov.schema import natural_key

# what a reviewer reads first: a system's tier, its role and whether it is in scope
SYSTEM_LABEL = "AISystem"
SYSTEM_FIELDS = ("risk_tier", "role", "in_scope")

T = TypeVar("T")


@dataclass(frozen=True)
class Side:
    """One version of an inventory, read and judged: ``shown`` names it as the user gave
    it (a folder, or ``REV:PATH``)."""

    shown: str
    as_of: date
    batch: GraphBatch
    findings: tuple[Finding, ...]
    soa: tuple[SoaRow, ...] = ()
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: its value before and after (None: not set)."""

    field: str
    old: Value | None
    new: Value | None


@dataclass(frozen=True)
class RecordChange:
    """A record present in both versions with other fields (``changes``), or the same
    fields in another file (``moved``); sources are each version's file and line."""

    label: str
    id: str
    name: str
    changes: tuple[FieldChange, ...]
    old_source: Source
    new_source: Source

    @property
    def moved(self) -> bool:
        """Written in another file than before (a line that moved within its file, as
        every edit above it moves it, is not a move)."""
        return self.old_source.file != self.new_source.file


@dataclass(frozen=True)
class GapChange:
    """A gap (a check's findings, organisation-wide or on systems) whose priority changed;
    None for a gap the version does not have."""

    check: str
    title: str
    organisation_wide: bool
    old_priority: int | None
    new_priority: int | None


@dataclass(frozen=True)
class SoaChange:
    """An Annex A control whose decision or status changed."""

    control: str
    name: str
    old_decision: str
    new_decision: str
    old_status: str
    new_status: str


@dataclass(frozen=True)
class Diff:
    """Everything that changed from ``old`` to ``new``, each group in a fixed order."""

    old: str
    new: str
    as_of: date
    systems: tuple[RecordChange, ...]  # only the SYSTEM_FIELDS among their changes
    added: tuple[Node, ...]
    removed: tuple[Node, ...]
    changed: tuple[RecordChange, ...]
    moved: tuple[RecordChange, ...]  # same fields, another file
    relationships_added: tuple[Relationship, ...]
    relationships_removed: tuple[Relationship, ...]
    introduced: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]  # as the new version has them
    soa: tuple[SoaChange, ...]
    gaps: tuple[GapChange, ...]

    def counts(self) -> dict[str, int]:
        """How many of each group, by the group's name (the JSON output's keys)."""
        return {name: len(getattr(self, name)) for name in GROUPS}

    @property
    def empty(self) -> bool:
        """Nothing changed but findings staying as they were."""
        return not any(n for name, n in self.counts().items() if name != "unchanged")


# every group of a Diff, in the order outputs show them
GROUPS = (
    "systems",
    "added",
    "removed",
    "changed",
    "moved",
    "relationships_added",
    "relationships_removed",
    "introduced",
    "resolved",
    "unchanged",
    "soa",
    "gaps",
)


def diff(old: Side, new: Side) -> Diff:
    """What changed from ``old`` to ``new``: two versions judged the same way, on the
    same day (a ValueError otherwise, since every finding about dates would differ)."""
    if old.as_of != new.as_of:
        raise ValueError(f"versions judged on different days: {old.as_of} and {new.as_of}")
    before = {(n.label, n.id): n for n in old.batch.nodes}
    after = {(n.label, n.id): n for n in new.batch.nodes}
    added = [after[k] for k in after.keys() - before.keys()]
    removed = [before[k] for k in before.keys() - after.keys()]
    changed, moved, systems = [], [], []
    for key in before.keys() & after.keys():
        a, b = before[key], after[key]
        changes = field_changes(a.properties, b.properties)
        change = RecordChange(a.label, a.id, b.name, changes, a.source, b.source)
        if changes:
            changed.append(change)
        elif change.moved:
            moved.append(change)
        headline = tuple(c for c in changes if c.field in SYSTEM_FIELDS)
        if a.label == SYSTEM_LABEL and headline:
            systems.append(RecordChange(a.label, a.id, b.name, headline, a.source, b.source))
    rels_before = {_rel_key(r): r for r in old.batch.relationships}
    rels_after = {_rel_key(r): r for r in new.batch.relationships}
    introduced, resolved, unchanged = match_findings(old.findings, new.findings)
    return Diff(
        old=old.shown,
        new=new.shown,
        as_of=new.as_of,
        systems=_sorted(systems, _record_order),
        added=_sorted(added, _node_order),
        removed=_sorted(removed, _node_order),
        changed=_sorted(changed, _record_order),
        moved=_sorted(moved, _record_order),
        relationships_added=_sorted(
            [rels_after[k] for k in rels_after.keys() - rels_before.keys()], _rel_order
        ),
        relationships_removed=_sorted(
            [rels_before[k] for k in rels_before.keys() - rels_after.keys()], _rel_order
        ),
        introduced=tuple(introduced),
        resolved=tuple(resolved),
        unchanged=tuple(unchanged),
        soa=_soa_changes(old.soa, new.soa),
        gaps=_gap_changes(old.gaps, new.gaps),
    )


def field_changes(old: Mapping[str, Value], new: Mapping[str, Value]) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in the order the new record (then the old) has them;
    a value of another type is another value (``1`` is not ``True``)."""
    names = [*new, *(k for k in old if k not in new)]
    return tuple(
        FieldChange(k, old.get(k), new.get(k))
        for k in names
        if k != "id" and not _same(old.get(k), new.get(k))
    )


def _same(a: Value | None, b: Value | None) -> bool:
    return type(a) is type(b) and a == b


def match_findings(
    old: Sequence[Finding], new: Sequence[Finding]
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """The findings ``new`` introduces, those of ``old`` it resolves, and those it keeps
    (as ``new`` has them), matched by fingerprint as ``findings.compare`` matches a run
    with its baseline; each list most severe first."""
    current = sorted(new, key=finding_order)
    judged = compare(current, sorted(old, key=finding_order))
    introduced = [f for f, state in zip(current, judged.states, strict=True) if state == NEW]
    kept = [f for f, state in zip(current, judged.states, strict=True) if state == UNCHANGED]
    return introduced, list(judged.absent), kept


def _soa_changes(old: Sequence[SoaRow], new: Sequence[SoaRow]) -> tuple[SoaChange, ...]:
    before = {r.control.id: r for r in old}
    out = []
    for row in new:
        was = before.get(row.control.id)
        if was is None or (was.decision, was.status) == (row.decision, row.status):
            continue
        out.append(
            SoaChange(
                row.control.id,
                row.control.name,
                was.decision,
                row.decision,
                was.status,
                row.status,
            )
        )
    return _sorted(out, lambda c: natural_key(c.control))


def _gap_changes(old: Sequence[Gap], new: Sequence[Gap]) -> tuple[GapChange, ...]:
    before = {(g.check, g.organisation_wide): g for g in old}
    after = {(g.check, g.organisation_wide): g for g in new}
    out = []
    for key in before.keys() | after.keys():
        a, b = before.get(key), after.get(key)
        old_priority = a.priority if a is not None else None
        new_priority = b.priority if b is not None else None
        if old_priority == new_priority:
            continue
        either = b if b is not None else a
        assert either is not None
        out.append(GapChange(key[0], either.title, key[1], old_priority, new_priority))
    # the most urgent now first, then the most urgent before, then by check
    return _sorted(
        out,
        lambda g: (-(g.new_priority or 0), -(g.old_priority or 0), g.check, g.organisation_wide),
    )


def _rel_key(r: Relationship) -> tuple[str, str, str]:
    return (r.type, r.start, r.end)


def _node_order(n: Node) -> tuple[object, ...]:
    return (n.label, natural_key(n.id))


def _record_order(r: RecordChange) -> tuple[object, ...]:
    return (r.label, natural_key(r.id))


def _rel_order(r: Relationship) -> tuple[object, ...]:
    return (r.type, natural_key(r.start), natural_key(r.end))


def _sorted(items: Iterable[T], key: Callable[[T], Any]) -> tuple[T, ...]:
    return tuple(sorted(items, key=key))
