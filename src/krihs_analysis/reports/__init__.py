"""Scheduled Papermill reports: run the notebooks listed in ``reports.yaml`` into ``reports/<run-id>/``.

The package is split along its seams:

:mod:`.config`
    ``reports.yaml``: schema, validation, ``--data`` / ``-p`` overrides, the expanded plan (:func:`load_config`,
    :func:`plan_runs`, :func:`parse_parameter`).
:mod:`.worker`
    The one Papermill caller (kernel, timeouts, retries), HTML/PDF export, worker processes that die with their
    parent, the Dask task.
:mod:`.runset`
    A run set: reuse, execution on local processes or Dask, ``run.json``, ``latest``, retention
    (:func:`run_reports`).
:mod:`.store`
    Run folders, the lock, ``latest``, retention (:func:`list_runs`, :func:`latest_run`, :func:`prune`).
:mod:`.reuse`
    The key of a run (notebook, parameters, data, package source, environment) and linking reused outputs.
:mod:`.cards`
    Case cards rendered directly, in shards.
:mod:`.index`
    Front pages: each run's ``index.html`` and ``reports/index.html``.
:mod:`.refresh`
    ``refresh-notebooks``.
:mod:`.errors`
    Typed errors; ``krihs_analysis.cli`` maps them to exit codes (0 ok, 1 a notebook failed,
    2 usage/config/input/output, 3 lock held, 4 scheduler unreachable, 130 interrupted).

Heavy imports (papermill, nbconvert, dask, tqdm, pandas, matplotlib) happen inside functions, so importing this
package stays fast.

Examples
--------
>>> from krihs_analysis import reports
>>> reports.parse_parameter("n_boot", "999")
('n_boot', 999)
"""

from __future__ import annotations

from .config import (DEFAULT_KEEP, DEFAULT_KERNEL, DEFAULT_START_TIMEOUT, DEFAULT_TIMEOUT, ReportConfig, RunSpec,
                     load_config, parse_parameter, plan_runs)
from .errors import ConfigError, LockHeld, OutputError, ReportError, SchedulerError
from .refresh import refresh_notebooks
from .runset import RunResult, run_reports
from .store import PARTIAL_SUFFIX, RUN_ID_RE, Lock, latest_run, list_runs, point_latest, prune
from .worker import execute_notebook, execute_run, export_html, export_pdf

__all__ = [
    "ConfigError", "LockHeld", "OutputError", "ReportError", "SchedulerError", "RunSpec", "ReportConfig",
    "RunResult", "DEFAULT_KERNEL", "DEFAULT_TIMEOUT", "DEFAULT_START_TIMEOUT", "DEFAULT_KEEP", "PARTIAL_SUFFIX",
    "RUN_ID_RE", "Lock", "load_config", "parse_parameter", "plan_runs", "run_reports", "refresh_notebooks",
    "list_runs", "latest_run", "point_latest", "prune", "execute_notebook", "execute_run", "export_html",
    "export_pdf",
]
