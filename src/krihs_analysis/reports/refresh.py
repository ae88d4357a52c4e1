"""``refresh-notebooks`` (``make notebooks``): re-execute ``notebooks/*.ipynb`` in place through the same worker.

Kernel, cell timeout, start timeout and retries come from ``reports.yaml``'s ``defaults`` unless given. A
notebook is replaced atomically only when it ran without error; exploratory notebooks under
``notebooks/explore/`` are skipped.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import paths


def _strip_papermill_metadata(nb) -> None:
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def refresh_one(task: Mapping[str, Any]) -> dict[str, Any]:
    """Worker: execute one notebook and replace it atomically on success."""
    import nbformat

    from .._io import write_atomic
    from .worker import execute_notebook, quiet_worker

    quiet_worker()
    path = Path(task["notebook"])
    t0 = time.time()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".refresh.ipynb", dir=path.parent)
    os.close(fd)
    rec: dict[str, Any] = {"notebook": str(path), "status": "failed", "error": None}
    try:
        error, attempts, _ = execute_notebook(path, tmp, kernel=task["kernel"], timeout=task["timeout"],
                                              start_timeout=task["start_timeout"], retries=task["retries"])
        rec["attempts"] = attempts
        if error is not None:
            rec["error"] = error["message"]
            return rec
        nb = nbformat.read(tmp, as_version=4)
        _strip_papermill_metadata(nb)
        write_atomic(path, nbformat.writes(nb) + "\n")
        rec["status"] = "ok"
    finally:
        Path(tmp).unlink(missing_ok=True)
        rec["duration_s"] = round(time.time() - t0, 3)
    return rec


def runner_settings(config: str | Path | None = None) -> dict[str, Any]:
    """Kernel, timeouts and retries from the report config's ``defaults`` (the built-in ones when it is absent)."""
    from .config import DEFAULT_KERNEL, DEFAULT_RETRIES, DEFAULT_START_TIMEOUT, DEFAULT_TIMEOUT

    out = {"kernel": DEFAULT_KERNEL, "timeout": DEFAULT_TIMEOUT, "start_timeout": DEFAULT_START_TIMEOUT,
           "retries": DEFAULT_RETRIES}
    path = Path(config) if config is not None else paths.REPORTS_CONFIG
    if path.is_file():
        from .config import load_config

        cfg = load_config(path)  # validated: a bad config is a ConfigError, not a silent default
        out.update(kernel=cfg.kernel, timeout=cfg.timeout, start_timeout=cfg.start_timeout, retries=cfg.retries)
    return out


def refresh_notebooks(notebooks_dir: str | Path | None = None, *, only: Sequence[str] | None = None, jobs: int = 2,
                      kernel: str | None = None, timeout: float | None = None, config: str | Path | None = None,
                      progress: bool = True) -> list[dict[str, Any]]:
    """Re-execute each notebook of `notebooks_dir` in place with its default parameters; one record each.

    A record has ``notebook``, ``status`` (ok / failed), ``error`` (one line) and ``duration_s``.
    """
    from .._validate import check_count

    jobs = check_count(jobs, "jobs", minimum=1)
    root = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS
    books = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
    if only:
        books = [p for p in books if any(fnmatch.fnmatchcase(p.name, o) or p.stem == o for o in only)]
    if not books:
        return []
    settings = runner_settings(config)
    if kernel:
        settings["kernel"] = kernel
    if timeout:
        settings["timeout"] = timeout
    from concurrent.futures import as_completed

    from tqdm.auto import tqdm

    from .pool import worker_pool

    tasks = [{"notebook": str(p), **settings} for p in books]
    records = []
    with worker_pool(jobs, tasks=len(tasks)) as pool, \
            tqdm(total=len(tasks), desc="notebooks", unit="nb", disable=None if progress else True) as bar:
        for fut in as_completed([pool.submit(refresh_one, t) for t in tasks]):
            records.append(fut.result())
            bar.update(1)
    return sorted(records, key=lambda r: r["notebook"])
