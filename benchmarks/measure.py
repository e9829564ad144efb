"""Measuring: a command as a user runs it (wall time, CPU time and peak memory of the
process, from the kernel's own accounting), a call in process, and the machine."""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from graphgov import workers

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """Seconds of wall clock and of CPU (user + system), and the peak resident memory
    in MB (10^6 bytes) of a process, when one was measured."""

    wall: float
    cpu: float
    rss_mb: float | None = None


class CommandFailed(RuntimeError):
    """A measured command exited with a code it should not have."""


TIME = Path("/usr/bin/time")  # GNU time: the child's own times and peak RSS


def command(args: Sequence[str], env: Mapping[str, str], ok: Collection[int] = (0,)) -> Timing:
    """Run ``args`` to completion, its output discarded: wall seconds, and the child's
    CPU seconds and peak RSS as GNU time reports them (``-f '%U %S %M'``, RSS in KiB).

    Not os.wait4 on our own child: Linux carries a process's peak RSS across exec, so a
    child forked from this (large) process would report at least this one's."""
    with tempfile.TemporaryDirectory() as tmp:
        report, errors = Path(tmp) / "time", Path(tmp) / "stderr"
        timed = [str(TIME), "-f", "%U %S %M", "-o", str(report), *args]
        with errors.open("wb") as stderr:
            start = time.perf_counter()
            code = subprocess.call(timed, env=dict(env), stdout=subprocess.DEVNULL, stderr=stderr)
            wall = time.perf_counter() - start
        if code not in ok:
            tail = errors.read_text(errors="replace")[-2000:]
            raise CommandFailed(f"{' '.join(args)} exited {code}:\n{tail}")
        user, system, rss = report.read_text().split()[-3:]
    return Timing(wall, float(user) + float(system), int(rss) * 1024 / 1e6)


def call(fn: Callable[[], T]) -> tuple[T, Timing]:
    """``fn()`` and how long it took, in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def best(fn: Callable[[], T], budget: float = 1.0, most: int = 5) -> tuple[T, float]:
    """``fn()``'s result and its fastest wall time over up to ``most`` runs, repeating
    only while the runs so far took less than ``budget`` seconds together."""
    value, first = call(fn)
    fastest, spent, runs = first.wall, first.wall, 1
    while spent < budget and runs < most:
        _, again = call(fn)
        fastest, spent, runs = min(fastest, again.wall), spent + again.wall, runs + 1
    return value, fastest


def _first(path: str, key: str, separator: str = ":") -> str:
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(separator)
            if name.strip() == key:
                return value.strip().strip('"')
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    memory = _first("/proc/meminfo", "MemTotal").split()
    ram = f"{int(memory[0]) / 1024**2:.1f} GiB" if memory and memory[0].isdigit() else "unknown"
    return {
        "CPU": _first("/proc/cpuinfo", "model name"),
        "cores": str(os.cpu_count()),
        "graphgov's worker processes": f"{workers.count()} (its default: one per core)",
        "RAM": ram,
        "OS": f"{_first('/etc/os-release', 'PRETTY_NAME', '=')}, {platform.system()} "
        f"{platform.release()}",
        "Python": platform.python_version(),
        "graphgov": _version("graphgov"),
        "ladybug": _version("ladybug"),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
