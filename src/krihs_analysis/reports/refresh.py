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
    """Kernel, timeouts and retries from the report config's ``defaults``.

    Without `config`, ``reports.yaml`` at the root when there is one, else the built-in defaults; a `config` given
    explicitly must exist (ConfigError "config file not found" otherwise), it is never silently replaced.
    """
    from .config import DEFAULT_KERNEL, DEFAULT_RETRIES, DEFAULT_START_TIMEOUT, DEFAULT_TIMEOUT

    out = {"kernel": DEFAULT_KERNEL, "timeout": DEFAULT_TIMEOUT, "start_timeout": DEFAULT_START_TIMEOUT,
           "retries": DEFAULT_RETRIES}
    if config is not None or paths.REPORTS_CONFIG.is_file():
        from .config import load_config

        # validated: a bad, missing or folder config is a ConfigError, not a silent default
        cfg = load_config(config if config is not None else paths.REPORTS_CONFIG)
        out.update(kernel=cfg.kernel, timeout=cfg.timeout, start_timeout=cfg.start_timeout, retries=cfg.retries)
    return out


def refresh_notebooks(notebooks_dir: str | Path | None = None, *, only: Sequence[str] | None = None, jobs: int = 2,
                      kernel: str | None = None, timeout: float | None = None, config: str | Path | None = None,
                      progress: bool = True) -> list[dict[str, Any]]:
    """Re-execute each notebook of `notebooks_dir` in place with its default parameters; one record each.

    A record has ``notebook``, ``status`` (ok / failed), ``error`` (one line), ``attempts`` (as
    :func:`~.worker.execute_notebook` lists them) and ``duration_s``.

    Parameters
    ----------
    notebooks_dir
        The folder whose ``*.ipynb`` files are refreshed (not its subfolders, nor hidden files); None: ``notebooks/``
        at the project root.
    only
        Refresh only these notebooks: names, stems or shell patterns (one string is one name). None: all of them.
    jobs
        Worker processes running notebooks at the same time (at least 1).
    kernel
        The Jupyter kernel to run them on. None: the kernel of the config's ``defaults``.
    timeout
        Seconds per cell, a whole number of at least 1. None: the timeout of the config's ``defaults``.
    config
        The report config whose ``defaults`` give the kernel, timeouts and retries; it must exist. None:
        ``reports.yaml`` at the project root when there is one, else the built-in defaults.
    progress
        Show a progress bar on stderr (tqdm; only when stderr is a terminal). False: no bar.

    Raises
    ------
    ConfigError
        Before anything runs: the folder is missing, is a file or holds no notebook; an `only` name matches no
        notebook; a bad `kernel` or `timeout`; the `config` given is missing or invalid.

    Examples
    --------
    ``refresh_notebooks(folder, only="01_*", jobs=1)`` re-executes ``01_overview.ipynb`` in place and returns
    ``[{'notebook': '.../01_overview.ipynb', 'status': 'ok', ...}]``. What is asked for is checked before anything
    runs:

    >>> import nbformat, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("01_overview", "02_comparison"):
    ...     nbformat.write(nbformat.v4.new_notebook(), folder / f"{name}.ipynb")
    >>> refresh_notebooks(folder, only="03_*", jobs=1, progress=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    krihs_analysis.reports.errors.ConfigError: invalid report configuration:
      - --only '03_*' matches no notebook of /... (notebooks: 01_overview, 02_comparison; names, stems ...)
    """
    from .._validate import check_count, check_flag, check_path, check_strings
    from .errors import ConfigError

    jobs = check_count(jobs, "jobs", minimum=1)
    try:
        check_flag(progress, "progress")
        root = (check_path(notebooks_dir, "notebooks_dir", example="notebooks_dir='notebooks'")
                if notebooks_dir is not None else paths.NOTEBOOKS)
        only = (check_strings(only, "only", example="only=['01_case_data_overview']", allow_empty=True)
                if only is not None else [])
        if kernel is not None and (not isinstance(kernel, str) or not kernel.strip()):
            raise ValueError(f"kernel must be the name of a Jupyter kernel such as 'krihs-analysis', got "
                             f"{kernel!r:.60}")
        if timeout is not None:
            try:
                timeout = check_count(timeout, "timeout", minimum=1)
            except ValueError:
                raise ValueError(f"timeout must be a whole number of seconds per cell, at least 1 (got "
                                 f"{type(timeout).__name__} {timeout!r:.60}); 1.5, inf and nan are refused, not "
                                 "rounded: pass e.g. timeout=900") from None
    except ValueError as exc:
        raise ConfigError([str(exc)]) from None
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "not found"
        raise ConfigError([f"notebook folder {what}: {root}; give the folder that holds the notebooks "
                           "(--dir notebooks)"])
    books = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
    if not books:
        raise ConfigError([f"no notebooks (*.ipynb) in {root}; give the folder that holds them (--dir notebooks)"])
    if only:
        hits = {o: [p for p in books if fnmatch.fnmatchcase(p.name, o) or p.stem == o] for o in only}
        unmatched = [o for o, found in hits.items() if not found]
        if unmatched:
            names = ", ".join(p.stem for p in books)
            raise ConfigError([f"--only {o!r} matches no notebook of {root} (notebooks: {names}; names, stems or "
                               "shell patterns)" for o in unmatched])
        books = [p for p in books if any(p in found for found in hits.values())]
    settings = runner_settings(config)
    if kernel:
        settings["kernel"] = kernel
    from .config import _kernel_problems

    problems = _kernel_problems([settings["kernel"]])  # before any worker starts, not once per notebook
    if problems:
        raise ConfigError(problems)
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
