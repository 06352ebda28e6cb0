"""Runs per-series work: in-process, in a process pool, or on Dask.

One orchestrator owns looping and parallelism (the statsforecast design): callers split their
series into tasks whose boundaries do *not* depend on the number of workers, and :func:`run_tasks`
maps one picklable function over them and returns the results in task order. Because every task
sees the same data whatever the backend, sequential, process-pool and Dask runs give identical
results.

Backends
--------
``local`` with ``jobs=1``
    A plain loop in this process (no pickling; easiest to debug).
``local`` with ``jobs=N``
    :class:`concurrent.futures.ProcessPoolExecutor` with ``N`` worker processes.
``dask``
    ``dask.bag`` over the tasks: on the active ``dask.distributed`` client when one exists
    (a cluster), else the local ``processes`` scheduler with ``N`` workers.

A tqdm progress bar on stderr counts finished tasks; it shows when ``progress`` is true, or when
``progress`` is ``None`` and stderr is a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from forecasting.errors import InputError

T = TypeVar("T")
R = TypeVar("R")

BACKENDS = ("local", "dask")


def resolve_jobs(jobs: int) -> int:
    """Number of worker processes: ``jobs`` if ≥ 1; ``0`` or negative counts from all CPUs.

    ``-1`` = all CPUs, ``0`` = all CPUs, ``-2`` = all but one.
    """
    n_cpu = os.cpu_count() or 1
    if jobs >= 1:
        return int(jobs)
    return max(1, n_cpu + 1 + int(jobs)) if jobs < 0 else n_cpu


def show_progress(progress: bool | None) -> bool:
    """Whether to draw a progress bar: explicit choice, else only on a terminal."""
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def run_tasks(
    func: Callable[[T], R],
    tasks: Sequence[T],
    *,
    jobs: int = 1,
    backend: str = "local",
    progress: bool | None = False,
    desc: str = "forecasting",
) -> list[R]:
    """Apply ``func`` to every task and return the results in task order.

    Parameters
    ----------
    func : callable
        A module-level (picklable) function of one task.
    tasks : sequence
        The work items (e.g. chunks of series); their split must not depend on ``jobs``.
    jobs : int, default 1
        Worker processes (see :func:`resolve_jobs`).
    backend : {"local", "dask"}
        Where the work runs (see module docstring).
    progress : bool or None, default False
        Draw a tqdm bar on stderr (``None``: only when stderr is a terminal).
    desc : str
        Label of the progress bar.

    Returns
    -------
    list
        ``[func(t) for t in tasks]``, whatever the backend.

    Examples
    --------
    >>> run_tasks(abs, [-1, 2, -3])
    [1, 2, 3]
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    n_jobs = resolve_jobs(jobs)
    bar = _bar(len(tasks), desc, show_progress(progress))
    try:
        if backend == "dask":
            return _run_dask(func, tasks, n_jobs, bar)
        if n_jobs == 1 or len(tasks) <= 1:
            out = []
            for task in tasks:
                out.append(func(task))
                bar.update(1)
            return out
        results: list[Any] = [None] * len(tasks)
        with ProcessPoolExecutor(max_workers=min(n_jobs, len(tasks))) as pool:
            futures = {pool.submit(func, task): i for i, task in enumerate(tasks)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                bar.update(1)
        return results
    finally:
        bar.close()


class _NoBar:
    def update(self, n: int) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""


def _bar(total: int, desc: str, show: bool) -> Any:
    if not show:
        return _NoBar()
    from tqdm import tqdm  # the plain bar: stderr text, no notebook widget needed

    return tqdm(total=total, desc=desc, unit="task", file=sys.stderr, dynamic_ncols=True)


def _run_dask(func: Callable[[T], R], tasks: Sequence[T], n_jobs: int, bar: Any) -> list[R]:
    import dask
    import dask.bag as db

    client = None
    try:  # a running distributed cluster takes precedence
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):
        client = None
    bag = db.from_sequence(list(tasks), npartitions=max(1, len(tasks))).map(func)
    if client is not None:
        out = bag.compute()
    else:
        with dask.config.set(scheduler="processes", num_workers=n_jobs):
            out = bag.compute()
    bar.update(len(tasks))
    return list(out)
