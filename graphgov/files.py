"""Writing output files, one way for every command: missing parent folders are created,
and a file is written whole or not at all (a temporary file beside it, then renamed over
it), so a failed or interrupted write never leaves half a report where a good one was.
A device or a pipe (``/dev/null``, ``/dev/stdout``) is written to as it is."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem


def write_file(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write ``content`` (text is written as UTF-8) to ``path`` atomically. Raises
    EnvironmentProblem, in one line, when the file cannot be written.

    ``durable``: on disk before it replaces the old file (fsync), so a crash leaves the
    old file or the new, whole. A file that can be made again and is checked when read
    (a cache entry) may skip it: it is a wait per file (927 of them took 0.40 s under
    cProfile at M on an SSD; more where the disk itself is waited for)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise EnvironmentProblem(f"cannot write {path_text(path)}: it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        # a device or a pipe (-o /dev/null, -o /dev/stdout): written to where it is, since
        # renaming a file over it would replace the device with a file
        try:
            with open(path, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise _problem(path, exc) from None
        return
    folder = make_folder(path.parent)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _problem(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _problem(path, exc) from None
    except BaseException:  # interrupted: leave the old file as it was, and no temporary
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each of ``files`` (relative names) into ``folder``, each atomically."""
    make_folder(folder)
    for name, content in files.items():
        write_file(folder / name, content)


def make_folder(folder: Path) -> Path:
    """``folder``, created with its parents if missing. Raises EnvironmentProblem when a
    file stands in the way or the folder cannot be created."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise EnvironmentProblem(
            f"cannot create the folder {path_text(folder)}: a file is in the way"
        ) from None
    except NotADirectoryError:
        raise EnvironmentProblem(
            f"cannot create the folder {path_text(folder)}: part of the path is a file"
        ) from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot create the folder {path_text(folder)}: {exc.strerror or exc}"
        ) from None
    return folder


def _mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _problem(path: Path, exc: OSError) -> EnvironmentProblem:
    return EnvironmentProblem(f"cannot write {path_text(path)}: {exc.strerror or exc}")
