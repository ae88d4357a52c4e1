"""The local worker processes of a report run and of ``refresh-notebooks``.

Every notebook runs in a worker process, never in the caller: a kernel that hangs or a worker that dies costs one
run, not the run set. Where the platform has a fork server (Linux, macOS) the workers fork from one that has already
imported Papermill and nbconvert and compiled the HTML templates (:mod:`._warm`), so a worker starts in
milliseconds instead of importing them again (about 1 s of CPU a worker, paid once per process that starts pools
rather than once per worker: a test session starts some twenty pools). Elsewhere workers are spawned fresh.

A forked worker would otherwise inherit the fork server's environment from when the server started, not the
caller's now: :func:`worker_pool` hands each worker the caller's environment (multiprocessing itself hands over the
working directory and ``sys.path``), so a worker sees what a freshly spawned one would.

Examples
--------
>>> from krihs_analysis.reports.pool import worker_pool
>>> with worker_pool(1) as pool:
...     pool.submit(sum, [1, 2, 3]).result()
6
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

#: What the fork server imports once before forking workers.
PRELOAD = ["krihs_analysis.reports._warm"]


def _context():
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # takes effect when this process starts its fork server, once
    return ctx


def worker_pool(jobs: int, *, tasks: int | None = None) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes that die with this one (:func:`.worker.worker_init`).

    Parameters
    ----------
    jobs
        Number of worker processes (at least 1).
    tasks
        How many tasks the pool will run: no more workers than that are started (and at least one).

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        Use it as a context manager, or shut it down yourself.
    """
    from .._validate import check_count
    from .worker import worker_init

    jobs = check_count(jobs, "jobs", minimum=1)
    if tasks is not None:
        jobs = max(1, min(jobs, tasks))
    return ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=worker_init,
                               initargs=(os.getpid(), dict(os.environ)))
