"""Versions of an inventory: a folder on disk, or a folder (or file) as it was in a git
revision, written to a temporary folder that is removed afterwards.

A version is named by a *spec*:

- a folder or file that exists (``acme/``, ``acme.yaml``) is itself, as it is now;
- otherwise ``REV:PATH`` is PATH as it was in the commit REV names (a branch, a tag, a
  commit id, ``HEAD~2``...). PATH is relative to the current directory, whether written
  ``acme/`` or ``./acme``, so ``main:acme/`` and ``acme/`` name the same folder in
  two versions (git itself reads ``main:acme/`` from the top of the repository; graphgov
  reads it from where you are). A PATH starting with ``/`` is from the top of the
  repository (``main:/inventories/acme``); an empty PATH (``main:``) is the current
  directory. A PATH that would leave the repository (``main:../../etc``) is refused.

Reading a revision never touches the working tree, the index or the repository's
refs: graphgov asks git for object ids (``rev-parse``), lists the tree (``ls-tree``) and
reads the blobs (``cat-file --batch``), then writes them itself under a fresh temporary
folder. A symbolic link in the tree becomes a copy of the file it leads to when that
file is part of the same PATH, and is otherwise left out (never followed out of the
temporary folder); submodules are left out too. What was left out is in
``Version.skipped``.

git always runs with a list of arguments (no shell), options first and user text after
``--end-of-options``, with prompts, pagers, fsmonitor hooks, lazy fetching and every
network transport turned off, and without the environment variables that would point
it at another repository.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graphgov.display import path_text, quoted
from graphgov.errors import EnvironmentProblem

# git's options for every call: reads only, no command run from configuration, nothing
# fetched from anywhere (a partial clone would otherwise fetch missing blobs on demand)
_OPTIONS = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.pager=cat",
    "-c",
    "protocol.allow=never",
    "--no-pager",
    "--no-replace-objects",
)
# variables that would make git read another repository, index or configuration than
# the one asked for (`git rev-parse --local-env-vars`, plus injected configuration)
_DROPPED = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_CONFIG",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
    "GIT_DIR",
    "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_NAMESPACE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
    "GIT_WORK_TREE",
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
)
# links followed one after another before giving up (Linux's own limit)
_MAX_LINKS = 40
_CHUNK = 1 << 20  # bytes of a file copied from git at a time


@dataclass(frozen=True)
class Version:
    """One version of an inventory, ready to be read like any folder."""

    path: Path  # a folder (or single file) holding the inventory as it was
    shown: str  # as the user wrote it, e.g. "main:acme/" or "acme/"
    revision: str | None  # the full commit id for REV:PATH, None for a folder
    # what the revision held under PATH and graphgov did not write out, one plain line
    # each (submodules, symbolic links leading outside PATH)
    skipped: tuple[str, ...] = ()
    # where PATH is from the current folder, as a path to show (``acme``, ``../acme``;
    # ``.`` for the current folder itself); None for a folder, which is shown as given
    where: str | None = None


class GitProblem(EnvironmentProblem):
    """git is missing, or refused: no repository, no such revision, no such path."""


class NotInRevision(GitProblem):
    """The revision has nothing at the path asked for."""


class GitMissing(GitProblem):
    """git cannot be run at all."""


@contextmanager
def checkout(spec: str, cwd: Path | None = None) -> Iterator[Version]:
    """The version ``spec`` names (see the module's docstring), relative to ``cwd``
    (default: the current directory). A revision's files live in a temporary folder
    for as long as the ``with`` block runs. Raises GitProblem, in one line, for a
    folder that does not exist and is no ``REV:PATH``, a folder outside any git
    repository, a revision or a path that is not there, or git not installed."""
    here = Path.cwd() if cwd is None else cwd
    local = Path(spec) if cwd is None or Path(spec).is_absolute() else cwd / spec
    if spec and os.path.lexists(local):
        yield Version(local, spec, None)
        return
    rev, colon, path = spec.partition(":")
    if not colon:
        raise GitProblem(
            f"no such folder or file: {quoted(spec)} (a version from git is REV:PATH, "
            "e.g. main:acme/)"
        )
    if not rev:
        raise GitProblem(f"{quoted(spec)}: name a revision before the ':' (e.g. main:acme/)")
    top, prefix = _repository(here)
    inside = _inside(prefix, path, spec)
    commit = _commit(top, rev, spec)
    with tempfile.TemporaryDirectory(prefix="graphgov-version-") as folder:
        written, skipped = _extract(top, commit, inside, Path(folder), spec)
        where = posixpath.relpath(inside or ".", prefix.rstrip("/") or ".")
        yield Version(written, spec, commit, skipped, where)


def git(repo: Path, *args: str) -> bytes:
    """What ``git -C repo ARGS`` writes to its output. ``args`` go to git as they are,
    each one argument (no shell): a caller puts its options first and user text after
    ``--end-of-options`` or ``--``. Raises GitProblem with git's own first line of
    complaint when it fails, or when git is not installed."""
    return _run(repo, list(args))


def extract(repo: Path, commit: str, path: str, into: Path) -> Path:
    """Write the tree (or the file) at ``path`` of ``commit`` under the folder ``into``
    and return where it is: ``into/<last part of path>`` (``into/tree`` for the top of
    the repository). ``path`` is from the top of the repository, in git's spelling
    (``inventories/acme``; empty for the top); ``commit`` is any revision git resolves
    to a commit. Symbolic links and submodules are handled as ``checkout`` says; files
    are never written over existing ones, so give a fresh ``into``. Raises GitProblem
    when the commit or the path is not there, or a file cannot be written."""
    inside = _normal(path)
    if inside is None:
        raise GitProblem(f"{quoted(path)} is outside the git repository")
    resolved = _commit(repo, commit, commit)
    written, _ = _extract(repo, resolved, inside, into, f"{commit}:{path}")
    return written


def _command(repo: Path, args: list[str]) -> tuple[dict[str, str], list[str]]:
    """The environment and the argument list git runs with (see the module's docstring)."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_OPTIONAL_LOCKS="0",
        GIT_PROTOCOL_FROM_USER="0",
        LC_ALL="C",
    )
    return env, ["git", *_OPTIONS, "-C", os.fspath(repo), *args]


def _run(repo: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    env, command = _command(repo, args)
    try:
        done = subprocess.run(
            command,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitMissing("git is not installed (it is needed to read a revision)") from None
    except OSError as exc:
        raise GitProblem(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = said[0].removeprefix("fatal: ") if said else f"exit status {done.returncode}"
        raise GitProblem(f"git: {quoted(first)[1:-1]}")
    return done.stdout


def _repository(here: Path) -> tuple[Path, str]:
    """The top of the work tree holding ``here`` and ``here`` relative to it."""
    if not here.is_dir():
        raise GitProblem(f"no such folder: {path_text(here)}")
    try:
        out = _run(here, ["rev-parse", "--show-toplevel", "--show-prefix"])
    except GitMissing:
        raise
    except GitProblem:
        raise GitProblem(
            f"{path_text(here)} is not in a git repository (a version REV:PATH is read "
            "from the repository of the current folder)"
        ) from None
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 2 or not lines[0]:
        raise GitProblem(f"{path_text(here)} is not in the work tree of a git repository")
    return Path(lines[0]), lines[1]


def _inside(prefix: str, path: str, spec: str) -> str:
    """PATH of a spec as a path from the top of the repository."""
    joined = path[1:] if path.startswith("/") else posixpath.join(prefix, path)
    inside = _normal(joined)
    if inside is None:
        raise GitProblem(f"{quoted(spec)}: the path leads outside the git repository")
    return inside


def _normal(path: str) -> str | None:
    """``path`` without ``.``, ``..`` and doubled or trailing slashes; None when it
    climbs above the top."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _commit(repo: Path, rev: str, spec: str) -> str:
    try:
        out = _run(
            repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"]
        )
    except GitProblem:
        out = b""
    commit = out.decode("ascii", "replace").strip()
    if not commit:
        raise GitProblem(f"{quoted(spec)}: no revision {quoted(rev)} in {path_text(repo)}")
    return commit


def _extract(
    repo: Path, commit: str, inside: str, into: Path, spec: str
) -> tuple[Path, tuple[str, ...]]:
    """Write ``commit:inside`` under ``into``; the path written and what was skipped."""
    name = inside.rsplit("/", 1)[-1] if inside else "tree"
    listing = _ls_tree(repo, commit, inside)
    if listing is None:
        where = inside or "/"
        raise NotInRevision(f"{quoted(spec)}: {quoted(where)} is not in revision {commit[:12]}")
    target = into / name
    if len(listing) == 1 and listing[0][3] == "":
        mode, kind, oid, _ = listing[0]
        if kind != "blob" or mode == "120000":
            raise GitProblem(f"{quoted(spec)}: {quoted(inside)} is not a file or a folder")
        try:
            _stream_blobs(repo, {oid: [name]}, into)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise GitProblem(f"{quoted(spec)}: cannot write {quoted(inside)}: {reason}") from None
        return target, ()
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}  # path within PATH -> blob id
    links: dict[str, str] = {}  # path within PATH -> blob id of the link's target text
    skipped: list[str] = []
    for mode, kind, oid, relative in listing:
        if _normal(relative) != relative or not relative:
            skipped.append(f"{relative!r}: not a plain path; left out")
        elif kind == "commit":
            skipped.append(f"{relative}: a submodule; left out")
        elif kind == "blob" and mode == "120000":
            links[relative] = oid
        elif kind == "blob":
            files[relative] = oid
    # a link's text is read to follow it; files are streamed to disk, never held whole
    contents = _blobs(repo, sorted(set(links.values())))
    folders = {posixpath.dirname(p) for p in files}
    for relative, oid in sorted(links.items()):
        lead = _follow(relative, links, contents, files, folders)
        if lead is None:
            text = contents[oid].decode("utf-8", "replace")
            skipped.append(
                f"{relative}: a symbolic link to {quoted(text)} that leads to no file of "
                f"{inside or 'the revision'}; left out"
            )
        else:
            files[relative] = files[lead]
    places: dict[str, list[str]] = {}
    for relative, oid in sorted(files.items()):
        places.setdefault(oid, []).append(relative)
    try:
        _stream_blobs(repo, places, target)
    except OSError as exc:  # e.g. two names that a case-blind file system confuses
        reason = exc.strerror or str(exc)
        raise GitProblem(f"{quoted(spec)}: cannot write a file: {reason}") from None
    return target, tuple(skipped)


def _follow(
    link: str,
    links: dict[str, str],
    contents: dict[str, bytes],
    files: dict[str, str],
    folders: set[str],
) -> str | None:
    """The file of the tree a link leads to, through other links; None when it leads
    outside, to a folder, to nothing or round in a loop."""
    current = link
    for _ in range(_MAX_LINKS):
        text = contents[links[current]].decode("utf-8", "surrogateescape")
        if text.startswith("/"):
            return None
        lead = _normal(posixpath.join(posixpath.dirname(current), text))
        if lead is None or lead in folders:
            return None
        if lead in files:
            return lead
        if lead not in links:
            return None
        current = lead
    return None


def _ls_tree(repo: Path, commit: str, inside: str) -> list[tuple[str, str, str, str]] | None:
    """Every entry under ``commit:inside``, as (mode, type, id, path within it), or None
    when nothing is there. A single file is one entry with an empty path."""
    try:
        out = _run(
            repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{commit}:{inside}"]
        )
    except GitProblem:
        return None
    oid = out.decode("ascii", "replace").strip()
    if not oid:
        return None
    kind = _run(repo, ["cat-file", "-t", oid]).decode().strip()
    if kind == "blob":
        # the mode (a link or not) is known only from the parent tree
        parent, _, base = inside.rpartition("/")
        mode = "100644"
        for entry in _entries(
            _run(repo, ["ls-tree", "-z", "--full-tree", "--end-of-options", f"{commit}:{parent}"])
        ):
            if entry[3] == base:
                mode = entry[0]
        return [(mode, "blob", oid, "")]
    if kind != "tree":
        return None
    return _entries(_run(repo, ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", oid]))


def _entries(out: bytes) -> list[tuple[str, str, str, str]]:
    entries = []
    for item in out.split(b"\0"):
        if not item:
            continue
        meta, _, name = item.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split(" ")
        entries.append((mode, kind, oid, name.decode("utf-8", "surrogateescape")))
    return entries


def _blobs(repo: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of the blobs ``oids``, read in one ``git cat-file --batch``."""
    if not oids:
        return {}
    out = _run(repo, ["cat-file", "--batch"], "".join(f"{o}\n" for o in oids).encode("ascii"))
    contents: dict[str, bytes] = {}
    at = 0
    for oid in oids:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii").split(" ")
        if len(header) != 3 or header[1] != "blob":
            raise GitProblem(f"git: cannot read object {oid}")
        size = int(header[2])
        contents[oid] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return contents


def _stream_blobs(repo: Path, places: dict[str, list[str]], target: Path) -> None:
    """Write each blob of ``places`` (blob id -> its paths under ``target``) from one
    ``git cat-file --batch``, a chunk at a time, so no file is held whole in memory."""
    if not places:
        return
    env, command = _command(repo, ["cat-file", "--batch"])
    order = sorted(places)
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError as exc:
        raise GitProblem(f"cannot run git: {exc.strerror or exc}") from None
    assert process.stdin is not None and process.stdout is not None
    with process:
        # the ids go in on a thread of their own, so a full pipe either way never blocks
        feeder = threading.Thread(target=_feed, args=(process.stdin, order), daemon=True)
        feeder.start()
        out = process.stdout
        for oid in order:
            header = out.readline().decode("ascii", "replace").split(" ")
            if len(header) != 3 or header[1] != "blob":
                raise GitProblem(f"git: cannot read object {oid}")
            first, *others = (target.joinpath(*r.split("/")) for r in places[oid])
            _copy(out, int(header[2]), first)
            out.read(1)  # the newline after the contents
            for other in others:
                _write(other, first.read_bytes())
        feeder.join()


def _feed(stdin: IO[bytes], oids: list[str]) -> None:
    with contextlib.suppress(BrokenPipeError):
        for oid in oids:
            stdin.write(f"{oid}\n".encode("ascii"))
        stdin.close()


def _copy(source: IO[bytes], size: int, path: Path) -> None:
    """``size`` bytes of ``source`` into a new regular file (as ``_write``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, 0o644)
    with os.fdopen(handle, "wb") as out:
        left = size
        while left > 0:
            chunk = source.read(min(left, _CHUNK))
            if not chunk:
                raise GitProblem(f"git: the contents of {path.name} ended early")
            out.write(chunk)
            left -= len(chunk)


def _write(path: Path, data: bytes) -> None:
    """A new regular file (never through a link, never over an existing file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, 0o644)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
