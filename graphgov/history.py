"""Posture over time: the open findings of an inventory at each commit that touched it.

Each commit is judged on its own date (the committer's date, in the committer's time
zone): the point shows what ``graphgov check --as-of <that day>`` reported on the
inventory as it was committed, so the series is what a lead would have seen had the
checks run on every change. An inventory that was invalid at a commit is a point marked
``invalid`` (with its count of problems), one that was not there (deleted, not yet
added at that path) a point marked ``absent``; neither stops the walk.

git is read through ``graphgov.versions`` (a list of arguments, options first, user
text only after ``--end-of-options`` or ``--``; the work tree, the index and the refs
are never touched). Each commit's point is kept in the cache folder
(``graphgov.cache.cache_dir``, under ``history/``), keyed by the commit, the path, the
day judged, graphgov's version and digests of the ontology, the code that reads files
and the checks that ran, so a re-run judges only the commits it has not seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from graphgov import cache, pipeline
from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem, InvalidInputError
from graphgov.files import make_folder, write_file
from graphgov.findings import findings
from graphgov.frameworks import Frameworks, load_frameworks
from graphgov.packs import SEVERITIES, Query
from graphgov.runner import run_all
from graphgov.store.memory import MemoryStore
from graphgov.versions import GitProblem, NotInRevision, Version, extract, git

STATUSES = ("valid", "invalid", "absent")
_FORMAT = 1
_FOLDER = "history"


@dataclass(frozen=True)
class Commit:
    """A commit that touched the inventory: its id, the day it was committed (in the
    committer's time zone) and the first line of its message."""

    sha: str
    day: date
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:12]


@dataclass(frozen=True)
class Point:
    """The inventory at one commit: ``status`` (valid, invalid or absent), its open
    findings by severity (every severity, least severe first; zeros when not valid) and,
    for an invalid one, how many problems it had."""

    commit: Commit
    as_of: date
    status: str
    counts: Mapping[str, int]
    problems: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class History:
    """The points of the commits that touched ``path`` (within the repository at
    ``top``) since ``since``, oldest first; ``computed`` names the commits judged in
    this run (the others came from the cache)."""

    inventory: str
    path: str
    since: date | None
    points: tuple[Point, ...]
    computed: tuple[str, ...]


def locate(inventory: Path) -> tuple[Path, str]:
    """The top of the git work tree holding ``inventory`` and the inventory's path
    within it, in git's spelling (empty for the top). Raises GitProblem, in one line,
    when it is in no git repository."""
    folder = inventory if inventory.is_dir() else inventory.parent
    try:
        out = git(folder.resolve(), "rev-parse", "--show-toplevel", "--show-prefix")
    except GitProblem:
        raise GitProblem(
            f"{path_text(inventory)} is not in a git repository: history reads the "
            "commits that touched it"
        ) from None
    top, _, rest = out.decode("utf-8", "surrogateescape").partition("\n")
    prefix = rest.split("\n", 1)[0]
    if not top:
        raise GitProblem(f"{path_text(inventory)} is not in the work tree of a git repository")
    inside = prefix.rstrip("/")
    if not inventory.is_dir():
        inside = f"{inside}/{inventory.name}" if inside else inventory.name
    return Path(top), inside


def commits(
    top: Path, path: str, since: date | None = None, limit: int | None = None
) -> list[Commit]:
    """The commits of HEAD's first-parent line that touched ``path`` (a merged branch
    counts once, at its merge, as the branch the team reads), committed on or after
    ``since`` (every one when None), the newest ``limit`` of them, oldest first."""
    out = git(
        top,
        "log",
        "--first-parent",
        "-z",
        "--no-color",
        "--format=%H%x00%cI%x00%s",
        "--end-of-options",
        "HEAD",
        "--",
        f":(top,literal){path}" if path else ":(top)",
    )
    fields = out.decode("utf-8", "replace").split("\0")
    found: list[Commit] = []
    for at in range(0, len(fields) - 2, 3):
        sha, when, subject = fields[at].strip("\n"), fields[at + 1], fields[at + 2]
        day = date.fromisoformat(when[:10])
        if since is None or day >= since:
            found.append(Commit(sha, day, subject))
    if limit is not None:
        found = found[:limit]
    return list(reversed(found))


def history(
    inventory: Path,
    since: date | None,
    queries: Sequence[Query],
    limit: int | None = None,
    frameworks: Frameworks | None = None,
) -> History:
    """The open findings of ``queries`` (the checks among them) at each commit that
    touched ``inventory`` since ``since`` (the newest ``limit``), each judged on its
    commit's day. Raises GitProblem when ``inventory`` is in no git repository."""
    top, path = locate(inventory)
    known = frameworks or load_frameworks()
    checks = [q for q in queries if q.definition.kind == "check"]
    store = _Store.open(top, path, _checks_digest(checks))
    points: list[Point] = []
    computed: list[str] = []
    for commit in commits(top, path, since, limit):
        point = store.get(commit) if store else None
        if point is None:
            point = _judge(top, path, commit, checks, known)
            computed.append(commit.sha)
            if store:
                store.put(point)
        points.append(point)
    return History(path_text(inventory), path, since, tuple(points), tuple(computed))


def _judge(
    top: Path, path: str, commit: Commit, checks: Sequence[Query], known: Frameworks
) -> Point:
    zero = dict.fromkeys(SEVERITIES, 0)
    with tempfile.TemporaryDirectory(prefix="graphgov-history-") as folder:
        try:
            written = extract(top, commit.sha, path, Path(folder))
        except NotInRevision:  # any other failure of git stops the walk, said in one line
            return Point(commit, commit.day, "absent", zero)
        try:
            # the point is cached whole: a revision is never read through the per-file
            # cache, which would only fill with entries of temporary folders
            batch = pipeline.read_version(Version(written, f"{commit.short}:{path}", commit.sha))
        except InvalidInputError as exc:
            return Point(commit, commit.day, "invalid", zero, len(exc.problems) + exc.omitted)
        except EnvironmentProblem:
            return Point(commit, commit.day, "invalid", zero, 1)
    target = MemoryStore()
    pipeline.add(batch, target)
    counts = dict(zero)
    for f in findings(run_all(checks, target, {}, commit.day), known):
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return Point(commit, commit.day, "valid", counts)


def _checks_digest(checks: Sequence[Query]) -> str:
    """What the checks are: their metadata, their Cypher and their twin's code (the
    memory store runs the twin; a pack of one's own may change it in place)."""
    parts = [
        f"{q.ref}\0{q.definition.model_dump_json()}\0{q.cypher}\0{_twin_code(q)}" for q in checks
    ]
    return _digest(*sorted(parts))


def _twin_code(query: Query) -> str:
    if query.twin is None:
        return ""
    try:
        return inspect.getsource(query.twin)
    except (OSError, TypeError):  # no source to read: its compiled code stands for it
        code = getattr(query.twin, "__code__", None)
        return repr(code.co_code) if code is not None else repr(query.twin)


def _digest(*parts: str) -> str:
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()


class _Store:
    """The points already judged for one inventory path of one repository, one small
    JSON file per commit (plain data, checked field by field when read; a damaged or
    foreign entry is judged again and rewritten; a cache that cannot be written is
    left alone)."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.writable = True

    @classmethod
    def open(cls, top: Path, path: str, checks: str) -> _Store | None:
        if not cache.enabled():
            return None
        try:
            base = cache.cache_dir()
        except EnvironmentProblem:
            return None
        where = _digest(os.fsdecode(top.resolve()), path)[:32]
        prefix = _digest(str(_FORMAT), cache.engine_key("history"), checks, path)
        return cls(base / _FOLDER / where, prefix)

    def _key(self, commit: Commit) -> str:
        # the day judged is the commit's: its rule is part of the format
        return _digest(self.prefix, commit.sha, commit.day.isoformat())

    def get(self, commit: Commit) -> Point | None:
        key = self._key(commit)
        try:
            data = json.loads((self.folder / f"{key[:40]}.json").read_text(encoding="utf-8"))
            return _point(data, key, commit)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, point: Point) -> None:
        if not self.writable:
            return
        key = self._key(point.commit)
        data = {
            "key": key,
            "status": point.status,
            "counts": dict(point.counts),
            "problems": point.problems,
        }
        try:
            if not self.folder.is_dir():
                make_folder(self.folder)
            write_file(self.folder / f"{key[:40]}.json", json.dumps(data, sort_keys=True))
        except (EnvironmentProblem, OSError):
            self.writable = False


def _point(data: Any, key: str, commit: Commit) -> Point:
    """A cached point, every field checked; TypeError or KeyError when it is not one."""
    if not isinstance(data, dict) or data["key"] != key:
        raise KeyError("not this entry")
    status, counts, problems = data["status"], data["counts"], data["problems"]
    if status not in STATUSES or not isinstance(problems, int) or not isinstance(counts, dict):
        raise TypeError("not a point")
    if set(counts) != set(SEVERITIES):
        raise TypeError("not a point")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in counts.values()):
        raise TypeError("not a point")
    ordered = {s: counts[s] for s in SEVERITIES}
    return Point(commit, commit.day, status, ordered, problems)


def clear() -> int:
    """Forget every judged point; returns how many were removed (only graphgov's own
    entries are touched, whatever else the folders hold)."""
    removed = 0
    with contextlib.suppress(OSError, EnvironmentProblem):
        folder = cache.cache_dir() / _FOLDER
        for sub in sorted(folder.iterdir()):
            for entry in sorted(sub.glob("*.json")):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed += 1
            with contextlib.suppress(OSError):
                sub.rmdir()
        folder.rmdir()
    return removed
