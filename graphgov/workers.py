"""Work spread over the machine's cores: a function mapped over many items in worker
processes forked from this one, when there are several cores and enough work to pay
for them; else in this process. Either way the results are the same, in the items'
order (reading an inventory's files is the work: each file is read and checked on its
own, and only joining them needs them all).

The workers are forked, so they share what this process had built (the schema, the
function and the items are never pickled; only each item's number goes to a worker
and its result comes back). ``GRAPHGOV_WORKERS`` sets how many (1: none, all here);
by default one per core this process may run on. Where processes cannot be forked,
everything runs here."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from graphgov.errors import EnvironmentProblem

VARIABLE = "GRAPHGOV_WORKERS"
MOST = 8  # more rarely pays: each worker's results come back through one pipe

T = TypeVar("T")
R = TypeVar("R")

# the job the workers run, set before they are forked and inherited by them
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def count() -> int:
    """How many workers a job may use: ``GRAPHGOV_WORKERS`` when set, else the cores
    this process may run on (at most ``MOST``). Raises EnvironmentProblem for a value
    that is not a whole number from 1."""
    chosen = os.environ.get(VARIABLE, "").strip()
    if chosen:
        if not chosen.isdigit() or int(chosen) < 1:
            raise EnvironmentProblem(
                f"{VARIABLE} must be a whole number of worker processes, 1 or more "
                f"(1 reads in this process alone); got {chosen!r}"
            )
        return int(chosen)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system tells which cores a process may use
        cores = os.cpu_count() or 1
    return min(cores, MOST)


def spread(function: Callable[[T], R], items: Sequence[T], *, worth: bool = True) -> list[R]:
    """``[function(item) for item in items]``, computed by worker processes when there
    are several items, several workers (``count``), processes can be forked and
    ``worth`` says the work pays for starting them."""
    workers = min(count(), len(items))
    if workers < 2 or not worth or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _JOB
    _JOB = (function, items)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker) as pool:
            # small chunks, so one large file does not hold up a worker's whole share
            return list(pool.map(_run, range(len(items)), chunksize=4))
    except BrokenProcessPool:
        raise EnvironmentProblem(
            "a worker process stopped before it finished (out of memory?); "
            f"set {VARIABLE}=1 to do all the work in this process"
        ) from None
    finally:
        _JOB = None


def _worker() -> None:
    # Ctrl-C stops the command, which stops its workers: they need not each report it
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(number: int) -> Any:
    assert _JOB is not None  # set before the worker was forked
    function, items = _JOB
    return function(items[number])
