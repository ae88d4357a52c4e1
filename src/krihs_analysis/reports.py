"""Scheduled Papermill reports: run the notebooks listed in ``reports.yaml`` into ``reports/<run-id>/``.

A *run set* executes every planned run (one notebook with one set of parameters) with Papermill on the
``krihs-analysis`` kernel, each in its own worker process (Papermill's working-directory handling is
process-wide), exports full and brief HTML (optionally PDF), and records everything in ``run.json``:

``reports/<run-id>/``
    ``notebooks/<output>.ipynb`` (executed; a failed one keeps its error), ``html/<output>.html``,
    ``html/<output>.brief.html`` (no inputs, no parameters cells), ``pdf/<output>.pdf`` (when requested),
    ``figures/<output>/`` (passed as ``out_dir`` to notebooks whose parameters cell declares it), ``run.json``.
``reports/latest``
    Symlink to the last run set in which every run succeeded (a ``LATEST`` text file where symlinks are
    unavailable). It never moves on a failed or interrupted run set.
``reports/.<run-id>.partial/``
    A run set being built; renamed to ``reports/<run-id>/`` at the end. One left behind by a killed run is
    ignored by :func:`list_runs` and removed by the next run (which holds the lock).
``reports/.lock``
    ``fcntl.flock`` lock held for the whole run set; a second concurrent run exits with code 3.

Exit codes (:data:`EXIT_CODES`): 0 every run succeeded (or dry run), 1 at least one notebook failed,
2 configuration or usage error (nothing ran), 3 another run holds the lock, 4 the Dask scheduler could not be
reached, 130 interrupted.

Heavy imports (papermill, nbconvert, dask, tqdm, pandas) happen inside functions so that importing this module
stays fast.

Examples
--------
>>> import krihs_analysis.reports as r
>>> r.EXIT_CODES["lock_held"]
3
"""

from __future__ import annotations

import argparse
import copy
import datetime as _dt
import fnmatch
import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import paths

__all__ = [
    "ConfigError",
    "LockHeld",
    "RunSpec",
    "ReportConfig",
    "RunResult",
    "EXIT_CODES",
    "load_config",
    "plan_runs",
    "run_reports",
    "refresh_notebooks",
    "list_runs",
    "latest_run",
    "add_report_arguments",
    "main_report",
    "add_refresh_arguments",
    "main_refresh",
    "main",
]

EXIT_CODES = {"ok": 0, "failed": 1, "config": 2, "lock_held": 3, "scheduler": 4, "interrupted": 130}
DEFAULT_KERNEL = "krihs-analysis"
DEFAULT_TIMEOUT = 900  # seconds per cell
DEFAULT_START_TIMEOUT = 60  # seconds for the kernel to start
FOR_EACH = ("case_id",)
RUNNER_PARAMETERS = ("out_dir",)  # set by the runner, never by the config
DEFAULT_EXPORT = {"html": True, "brief_html": True, "pdf": False, "pdf_source": "brief"}
PARTIAL_SUFFIX = ".partial"
LOCK_NAME = ".lock"
LATEST_NAME = "latest"
LATEST_FILE = "LATEST"
# The kernel's own start-up log (e.g. "Kernel is running over TCP without encryption") is noise in a report run.
_KERNEL_QUIET = ("--IPKernelApp.log_level=CRITICAL",)
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6,}$")

_TOP_KEYS = {"version", "defaults", "runs"}
_DEFAULT_KEYS = {"kernel", "timeout", "start_timeout", "parameters", "export"}
_RUN_KEYS = {"name", "notebook", "parameters", "output", "for_each", "matrix", "export", "timeout", "kernel",
             "enabled"}
_EXPORT_KEYS = set(DEFAULT_EXPORT)


# --------------------------------------------------------------------------------------------------------------
# Errors and data classes


class ConfigError(ValueError):
    """The report configuration is invalid; ``.problems`` lists every problem found (one message each)."""

    def __init__(self, problems: Sequence[str], source: str | Path | None = None):
        self.problems = list(problems)
        self.source = str(source) if source is not None else None
        head = f"invalid report configuration {self.source}" if self.source else "invalid report configuration"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class LockHeld(RuntimeError):
    """Another report run holds ``reports/.lock``."""


class _SchedulerAddressError(OSError):
    """The ``--scheduler`` address cannot be parsed (treated like an unreachable scheduler: exit code 4)."""


@dataclass(frozen=True)
class RunSpec:
    """One planned run: a notebook executed once with one set of parameters."""

    name: str  # unique; the config entry's name plus matrix / for_each suffixes
    entry: str  # the config entry's name
    notebook: Path
    parameters: dict[str, Any]
    output: str  # file stem of every output of this run
    kernel: str = DEFAULT_KERNEL
    timeout: float = DEFAULT_TIMEOUT
    start_timeout: float = DEFAULT_START_TIMEOUT
    export: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_EXPORT))
    takes_out_dir: bool = False

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "entry": self.entry, "notebook": str(self.notebook),
                "parameters": self.parameters, "output": self.output, "kernel": self.kernel,
                "timeout": self.timeout, "export": self.export}


@dataclass
class ReportConfig:
    """A validated configuration: its source file and the expanded runs, in config order."""

    path: Path | None
    runs: list[RunSpec]
    text_sha256: str


@dataclass
class RunResult:
    """What :func:`run_reports` did. ``exit_code`` follows :data:`EXIT_CODES`."""

    exit_code: int
    run_id: str | None = None
    run_dir: Path | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r.get("status") != "ok"]


# --------------------------------------------------------------------------------------------------------------
# Configuration


def _is_json_value(v: Any) -> bool:
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    if isinstance(v, list):
        return all(_is_json_value(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _is_json_value(x) for k, x in v.items())
    return False


def _type_name(v: Any) -> str:
    return "null" if v is None else type(v).__name__


def _notebook_parameters(path: Path) -> tuple[set[str] | None, str | None]:
    """Names assigned in the notebook's cell tagged ``parameters`` (None when it has none), or an error."""
    import ast

    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"cannot read notebook {path}: {exc}"
    cells = [c for c in nb.get("cells", []) if "parameters" in (c.get("metadata", {}).get("tags") or [])]
    if not cells:
        return None, None
    names: set[str] = set()
    for cell in cells:
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        try:
            tree = ast.parse(src)
        except SyntaxError as exc:
            return None, f"notebook {path.name}: the parameters cell is not valid Python ({exc.msg}, line {exc.lineno})"
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            for t in targets:
                if isinstance(t, ast.Name):
                    names.add(t.id)
    return names, None


def _check_export(value: Any, where: str, problems: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if value is None:
        return out
    if not isinstance(value, dict):
        problems.append(f"{where}: 'export' must be a mapping (got {_type_name(value)})")
        return out
    for k, v in value.items():
        if k not in _EXPORT_KEYS:
            problems.append(f"{where}: unknown export option {k!r} (allowed: {', '.join(sorted(_EXPORT_KEYS))})")
        elif k == "pdf_source":
            if v not in ("brief", "full"):
                problems.append(f"{where}: export.pdf_source must be 'brief' or 'full' (got {v!r})")
            else:
                out[k] = v
        elif not isinstance(v, bool):
            problems.append(f"{where}: export.{k} must be true or false (got {_type_name(v)} {v!r})")
        else:
            out[k] = v
    return out


def _check_params(value: Any, where: str, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: 'parameters' must be a mapping of name: value (got {_type_name(value)})")
        return {}
    out = {}
    for k, v in value.items():
        if not isinstance(k, str) or not _IDENT_RE.match(k):
            problems.append(f"{where}: parameter name {k!r} is not a Python identifier")
        elif k in RUNNER_PARAMETERS:
            problems.append(f"{where}: parameter {k!r} is set by the runner (the run's figures folder); remove it")
        elif not _is_json_value(v):
            problems.append(f"{where}: parameter {k!r} has unsupported type {_type_name(v)} "
                            "(use null, true/false, numbers, strings, lists or mappings)")
        else:
            out[k] = v
    return out


def _check_number(value: Any, key: str, where: str, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        problems.append(f"{where}: {key!r} must be a positive number of seconds (got {_type_name(value)} {value!r})")
        return None
    return value


def _resolve_data_path(value: Any, base: Path) -> Any:
    if isinstance(value, str) and value:
        p = Path(value).expanduser()
        return str(p if p.is_absolute() else (base / p).resolve())
    return value


def _case_ids(data_path: Any) -> list[str]:
    from .data import read_cases  # pandas: only when a for_each entry is planned

    cases = read_cases(data_path if data_path else None)
    return [str(c) for c in cases["case_id"].tolist()]


def _safe(value: Any) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip("-") or "x"


def load_config(path: str | Path | None = None, *, text: str | None = None, base_dir: str | Path | None = None,
                check_kernel: bool = False) -> ReportConfig:
    """Read and validate a report configuration; expand ``matrix`` and ``for_each`` into :class:`RunSpec` s.

    Parameters
    ----------
    path
        The YAML file (``reports.yaml`` at the project root by default).
    text
        The YAML text itself instead of a file (relative paths then resolve against `base_dir`).
    base_dir
        Folder that relative ``notebook`` and ``data_path`` values resolve against (the config's folder).
    check_kernel
        Also check that the named Jupyter kernels are installed here.

    Raises
    ------
    ConfigError
        Listing every problem: unknown keys, bad types, missing notebook files, duplicate names or outputs,
        unknown ``for_each``, parameters the notebook does not declare.
    """
    import yaml

    if text is None:
        path = Path(path) if path is not None else paths.REPORTS_CONFIG
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError([f"config file not found: {path}"], path) from None
        except IsADirectoryError:
            raise ConfigError([f"config path is a directory, not a YAML file: {path}"], path) from None
        except UnicodeDecodeError as exc:
            raise ConfigError([f"config file is not UTF-8 text (byte {exc.start}: {exc.reason}): {path}"],
                              path) from None
        except OSError as exc:
            raise ConfigError([f"cannot read config file {path}: {exc.strerror or exc}"], path) from None
        base = Path(base_dir) if base_dir is not None else path.resolve().parent
    else:
        base = Path(base_dir) if base_dir is not None else Path.cwd()
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([f"not valid YAML: {exc}"], path) from None

    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ConfigError([f"the top level must be a mapping with a 'runs' list (got {_type_name(doc)})"], path)
    for k in doc:
        if k not in _TOP_KEYS:
            problems.append(f"unknown top-level key {k!r} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    if doc.get("version", 1) != 1:
        problems.append(f"unsupported config version {doc.get('version')!r} (this runner reads version 1)")

    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append(f"'defaults' must be a mapping (got {_type_name(defaults)})")
        defaults = {}
    for k in defaults:
        if k not in _DEFAULT_KEYS:
            problems.append(f"defaults: unknown key {k!r} (allowed: {', '.join(sorted(_DEFAULT_KEYS))})")
    d_kernel = defaults.get("kernel", DEFAULT_KERNEL)
    if not isinstance(d_kernel, str) or not d_kernel:
        problems.append(f"defaults: 'kernel' must be a kernel name (got {_type_name(d_kernel)})")
        d_kernel = DEFAULT_KERNEL
    d_timeout = _check_number(defaults.get("timeout"), "timeout", "defaults", problems) or DEFAULT_TIMEOUT
    d_start = _check_number(defaults.get("start_timeout"), "start_timeout", "defaults",
                            problems) or DEFAULT_START_TIMEOUT
    d_params = _check_params(defaults.get("parameters"), "defaults", problems)
    d_export = {**DEFAULT_EXPORT, **_check_export(defaults.get("export"), "defaults", problems)}

    runs = doc.get("runs")
    if runs is None:
        problems.append("missing 'runs': a list of named runs (name, notebook, parameters, output)")
        runs = []
    elif not isinstance(runs, list):
        problems.append(f"'runs' must be a list (got {_type_name(runs)})")
        runs = []

    specs: list[RunSpec] = []
    seen_entries: dict[str, int] = {}
    nb_cache: dict[Path, tuple[set[str] | None, str | None]] = {}
    kernels: set[str] = set()
    for i, entry in enumerate(runs):
        where = f"runs[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: each run must be a mapping (got {_type_name(entry)})")
            continue
        name = entry.get("name")
        if isinstance(name, str):
            where = f"runs[{i}] ({name})"
        n_before = len(problems)
        for k in entry:
            if k not in _RUN_KEYS:
                problems.append(f"{where}: unknown key {k!r} (allowed: {', '.join(sorted(_RUN_KEYS))})")
        if not isinstance(name, str) or not _NAME_RE.match(name):
            problems.append(f"{where}: 'name' must be a string of letters, digits, '.', '_' or '-' "
                            f"(got {_type_name(name)} {name!r})")
            name = None
        elif name in seen_entries:
            problems.append(f"{where}: duplicate run name {name!r} (also runs[{seen_entries[name]}])")
        else:
            seen_entries[name] = i
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            problems.append(f"{where}: 'enabled' must be true or false (got {_type_name(enabled)})")
        nb_value = entry.get("notebook")
        notebook: Path | None = None
        declared: set[str] | None = None
        if not isinstance(nb_value, str) or not nb_value:
            problems.append(f"{where}: 'notebook' must be a path to an .ipynb file (got {_type_name(nb_value)})")
        else:
            notebook = Path(nb_value).expanduser()
            notebook = (notebook if notebook.is_absolute() else base / notebook).resolve()
            if notebook.suffix != ".ipynb":
                problems.append(f"{where}: notebook {nb_value!r} is not an .ipynb file")
                notebook = None
            elif not notebook.is_file():
                problems.append(f"{where}: notebook file not found: {notebook}")
                notebook = None
            else:
                if notebook not in nb_cache:
                    nb_cache[notebook] = _notebook_parameters(notebook)
                declared, err = nb_cache[notebook]
                if err:
                    problems.append(f"{where}: {err}")
        params = _check_params(entry.get("parameters"), where, problems)
        output = entry.get("output", name)
        if not isinstance(output, str) or not output or "/" in output or "\\" in output:
            problems.append(f"{where}: 'output' must be a file name stem without '/' (got {_type_name(output)} "
                            f"{output!r})")
            output = None
        for_each = entry.get("for_each")
        if for_each is not None and for_each not in FOR_EACH:
            problems.append(f"{where}: unknown for_each {for_each!r} (allowed: {', '.join(FOR_EACH)})")
            for_each = None
        matrix = entry.get("matrix") or {}
        if not isinstance(matrix, dict):
            problems.append(f"{where}: 'matrix' must map a parameter to a list of values (got {_type_name(matrix)})")
            matrix = {}
        for k, vals in list(matrix.items()):
            if not isinstance(k, str) or not _IDENT_RE.match(k) or k in RUNNER_PARAMETERS:
                problems.append(f"{where}: matrix parameter {k!r} is not a usable parameter name")
                matrix.pop(k)
            elif not isinstance(vals, list) or not vals or not all(
                    v is None or isinstance(v, (str, int, float, bool)) for v in vals):
                problems.append(f"{where}: matrix.{k} must be a non-empty list of scalar values (got {vals!r})")
                matrix.pop(k)
            elif k in params:
                problems.append(f"{where}: parameter {k!r} is given both in 'parameters' and in 'matrix'")
            elif k == for_each:
                problems.append(f"{where}: {k!r} is both a matrix parameter and the for_each parameter")
        if for_each and for_each in params:
            problems.append(f"{where}: parameter {for_each!r} is set by for_each; remove it from 'parameters'")
        timeout = _check_number(entry.get("timeout"), "timeout", where, problems) or d_timeout
        kernel = entry.get("kernel", d_kernel)
        if not isinstance(kernel, str) or not kernel:
            problems.append(f"{where}: 'kernel' must be a kernel name (got {_type_name(kernel)})")
            kernel = d_kernel
        export = {**d_export, **_check_export(entry.get("export"), where, problems)}

        # Parameters must exist in the notebook's parameters cell; defaults apply where declared.
        if notebook is not None and not (declared is None and nb_cache[notebook][1]):
            explicit = [*params, *matrix, *([for_each] if for_each else [])]
            if declared is None and explicit:
                problems.append(f"{where}: notebook {notebook.name} has no cell tagged 'parameters' but the config "
                                f"sets {', '.join(explicit)}")
            elif declared is not None:
                unknown = [p for p in explicit if p not in declared]
                if unknown:
                    problems.append(f"{where}: notebook {notebook.name} does not declare parameter(s) "
                                    f"{', '.join(unknown)} in its parameters cell "
                                    f"(it declares: {', '.join(sorted(declared)) or 'nothing'})")
        if len(problems) > n_before or not enabled or notebook is None or name is None or output is None:
            continue

        base_params = {k: v for k, v in d_params.items() if declared is not None and k in declared}
        base_params.update(params)
        if "data_path" in base_params:
            base_params["data_path"] = _resolve_data_path(base_params["data_path"], base)
        combos: list[list[tuple[str, Any]]] = [list(zip(matrix, vals))
                                               for vals in itertools.product(*matrix.values())] or [[]]
        fan: list[Any] = [None]
        if for_each:
            try:
                fan = _case_ids(base_params.get("data_path"))
            except Exception as exc:  # noqa: BLE001 - reported as a config problem
                problems.append(f"{where}: for_each {for_each}: cannot read the cases of "
                                f"{base_params.get('data_path') or 'the embedded sample'}: {exc}")
                continue
        for combo in combos:
            for item in fan:
                p = dict(base_params)
                suffix = [v for _, v in combo]
                p.update(combo)
                if for_each:
                    p[for_each] = item
                    suffix.append(item)
                run_name = "-".join([name, *(_safe(s) for s in suffix)])
                if "{" in output:
                    try:
                        out_name = _safe(output.format(name=name, **p))
                    except (KeyError, IndexError, ValueError) as exc:
                        problems.append(f"{where}: output template {output!r} cannot be filled: {exc!r}")
                        break
                else:
                    out_name = "_".join([output, *(_safe(s) for s in suffix)])
                specs.append(RunSpec(name=run_name, entry=name, notebook=notebook, parameters=p, output=out_name,
                                     kernel=kernel, timeout=float(timeout), start_timeout=float(d_start),
                                     export=export, takes_out_dir=bool(declared and "out_dir" in declared)))
                kernels.add(kernel)

    names: dict[str, str] = {}
    outputs: dict[str, str] = {}
    for s in specs:
        if s.name in names and names[s.name] != s.entry:
            problems.append(f"run {s.name!r} (from {s.entry}) has the same name as a run from {names[s.name]}")
        names.setdefault(s.name, s.entry)
        if s.output in outputs:
            problems.append(f"runs {outputs[s.output]!r} and {s.name!r} write the same output {s.output!r}")
        outputs.setdefault(s.output, s.name)
    if not problems and not specs and runs:
        problems.append("no enabled runs")
    if check_kernel and kernels and not problems:
        problems.extend(_kernel_problems(kernels))
    if problems:
        raise ConfigError(problems, path)
    return ReportConfig(path=Path(path) if path is not None else None, runs=specs,
                        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _kernel_problems(kernels: Iterable[str]) -> list[str]:
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return []
    available = set(KernelSpecManager().find_kernel_specs())
    return [f"Jupyter kernel {k!r} is not installed (available: {', '.join(sorted(available)) or 'none'}); "
            f"run `make setup`" for k in sorted(kernels) if k not in available]


def plan_runs(config: ReportConfig, only: Sequence[str] | None = None) -> list[RunSpec]:
    """The runs of `config` selected by `only` (entry names, run names or shell patterns; all when empty)."""
    if not only:
        return list(config.runs)
    chosen, unmatched = [], []
    for pattern in only:
        hits = [s for s in config.runs if fnmatch.fnmatchcase(s.name, pattern) or s.entry == pattern]
        if not hits:
            unmatched.append(pattern)
        chosen.extend(hits)
    if unmatched:
        known = sorted({s.entry for s in config.runs})
        raise ConfigError([f"--only {p!r} matches no run (entries: {', '.join(known)}; run names are "
                           f"<entry>-<value>..., shell patterns allowed)" for p in unmatched], config.path)
    seen: set[str] = set()
    return [s for s in chosen if not (s.name in seen or seen.add(s.name))]


# --------------------------------------------------------------------------------------------------------------
# The worker: runs in a spawned process (local pool) or a subprocess (Dask)


def _quiet_worker() -> None:
    import logging
    import warnings

    for name in ("papermill", "traitlets", "nbclient", "jupyter_client", "nbconvert", "asyncio", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=".*Kernel is running over TCP without encryption.*")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # jsonschema (via nbformat) builds ~40 Lark grammars at import when rfc3987_syntax is installed, only to
    # check the "iri" format that notebook schemas never use: ~1 s per worker. Workers are ours; skip it.
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _started_any_cell(output: Path) -> bool:
    """True when Papermill marked any cell of `output` as started (so a failure was not a kernel start)."""
    try:
        nb = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for cell in nb.get("cells", []):
        pm = cell.get("metadata", {}).get("papermill", {})
        if pm.get("status") in ("running", "completed", "failed") or pm.get("start_time"):
            return True
    return False


def _brief_notebook(nb):
    nb = copy.deepcopy(nb)
    # The reader's version: no parameters, and no cells the author tagged as notes to analysts.
    drop = {"injected-parameters", "parameters", "remove-in-brief"}
    nb.cells = [c for c in nb.cells if not drop & set(c.get("metadata", {}).get("tags", []) or [])]
    return nb


_EXPORTERS: dict[str, Any] = {}  # per worker process: building an exporter loads and compiles its templates


def _html_exporter(brief: bool):
    key = "brief" if brief else "full"
    if key not in _EXPORTERS:
        from nbconvert import HTMLExporter

        _EXPORTERS[key] = (HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
                           if brief else HTMLExporter())
    return _EXPORTERS[key]


def export_html(nb, path: Path, *, brief: bool) -> None:
    """Write `nb` as HTML; `brief` drops inputs, prompts and the parameters cells (the reader's version)."""
    from ._io import write_atomic

    if brief:
        nb = _brief_notebook(nb)
    body, _ = _html_exporter(brief).from_notebook_node(nb)
    write_atomic(path, body)


def export_pdf(nb, path: Path, *, brief: bool) -> str:
    """Write a PDF of `nb` with the system Chromium; returns a note (``"pdf skipped: ..."`` when impossible)."""
    from .pdf import find_chromium, print_pdf

    chromium = find_chromium()
    if not chromium:
        return "pdf skipped: no chromium"
    if brief:
        nb = _brief_notebook(nb)
    exclude = {"exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True} if brief else {}
    from nbconvert import HTMLExporter

    # nbconvert's webpdf template, printed by the system Chromium (as webpdf does, without playwright).
    html, _ = HTMLExporter(template_name="webpdf", **exclude).from_notebook_node(nb)
    try:
        print_pdf(html, path)
    except RuntimeError as exc:
        return f"pdf failed: {exc}"
    return f"pdf: headless {chromium} (nbconvert webpdf template)"


def execute_run(task: Mapping[str, Any]) -> dict[str, Any]:
    """Execute one planned run (a plain dict from :func:`_task`) and export it; returns its result record.

    Runs in a worker process. Never raises for notebook problems: they are reported in the record.
    """
    _quiet_worker()
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.time()
    run_dir = Path(task["run_dir"])
    output = task["output"]
    notebook = Path(task["notebook"])
    nb_out = run_dir / "notebooks" / f"{output}.ipynb"
    nb_out.parent.mkdir(parents=True, exist_ok=True)
    params = dict(task["parameters"])
    if task.get("takes_out_dir"):
        fig_dir = run_dir / "figures" / output
        fig_dir.mkdir(parents=True, exist_ok=True)
        params["out_dir"] = str(fig_dir)
    record: dict[str, Any] = {
        "name": task["name"], "entry": task["entry"], "notebook": str(notebook), "output": output,
        "parameters": params, "kernel": task["kernel"], "status": "failed", "attempts": 0,
        "started": _now_iso(), "notes": [], "outputs": [], "error": None,
    }
    error: dict[str, Any] | None = None
    for attempt in (1, 2):  # one retry, only when the kernel failed to start
        record["attempts"] = attempt
        try:
            pm.execute_notebook(
                str(notebook), str(nb_out), parameters=params, kernel_name=task["kernel"], cwd=str(notebook.parent),
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                execution_timeout=task["timeout"], start_timeout=task["start_timeout"],
                extra_arguments=list(_KERNEL_QUIET),
            )
            error = None
            break
        except PapermillExecutionError as exc:
            line = f"{exc.ename}: {exc.evalue}".strip()
            src_index = _source_cell_index(nb_out, exc.cell_index)
            also = f"; cell {exc.cell_index} of the executed notebook" if src_index != exc.cell_index else ""
            error = {"kind": "cell", "notebook": notebook.name, "cell_index": src_index,
                     "executed_cell_index": exc.cell_index, "execution_count": exc.exec_count,
                     "ename": exc.ename, "evalue": exc.evalue, "line": line,
                     "message": f"{notebook.name}: cell {src_index} (execution count {exc.exec_count}{also}) "
                                f"raised {line}"}
            break
        except Exception as exc:  # noqa: BLE001 - kernel death, timeout, kernel start failure
            started = _started_any_cell(nb_out)
            ename = type(exc).__name__
            line = f"{ename}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}".rstrip(": ")
            cell_index = _failing_cell(nb_out) if started else None
            kind = "cell" if started else "kernel_start"
            where = f"cell {cell_index}" if cell_index is not None else (
                "during execution" if started else "kernel start")
            error = {"kind": kind, "notebook": notebook.name, "cell_index": cell_index, "execution_count": None,
                     "ename": ename, "evalue": str(exc), "line": line,
                     "message": f"{notebook.name}: {where}: {line}"}
            if started or attempt == 2:
                break
            record["notes"].append(f"kernel start failed ({line}); retrying once")
            time.sleep(0.5)
    if nb_out.is_file():
        record["outputs"].append(_rel(nb_out, run_dir))
        export = task["export"]
        try:
            import nbformat

            nb = nbformat.read(nb_out, as_version=4)
            if export.get("html", True):
                p = run_dir / "html" / f"{output}.html"
                export_html(nb, p, brief=False)
                record["outputs"].append(_rel(p, run_dir))
            if export.get("brief_html", True):
                p = run_dir / "html" / f"{output}.brief.html"
                export_html(nb, p, brief=True)
                record["outputs"].append(_rel(p, run_dir))
            if export.get("pdf") and error is None:
                p = run_dir / "pdf" / f"{output}.pdf"
                note = export_pdf(nb, p, brief=export.get("pdf_source", "brief") == "brief")
                record["notes"].append(note)
                if p.is_file():
                    record["outputs"].append(_rel(p, run_dir))
        except Exception as exc:  # noqa: BLE001
            record["notes"].append(f"export failed: {type(exc).__name__}: {exc}")
            if error is None:
                error = {"kind": "export", "notebook": notebook.name, "cell_index": None, "execution_count": None,
                         "ename": type(exc).__name__, "evalue": str(exc), "line": f"{type(exc).__name__}: {exc}",
                         "message": f"{notebook.name}: export failed: {type(exc).__name__}: {exc}"}
    fig_dir = run_dir / "figures" / output
    if fig_dir.is_dir():
        record["outputs"].extend(_rel(p, run_dir) for p in sorted(fig_dir.rglob("*")) if p.is_file() and not p.name.startswith("."))
    record["status"] = "ok" if error is None else "failed"
    record["error"] = error
    record["ended"] = _now_iso()
    record["duration_s"] = round(time.time() - t0, 3)
    return record


def _source_cell_index(nb_path: Path, executed_index: int) -> int:
    """Index in the source notebook of cell `executed_index` of the executed one (minus injected cells)."""
    try:
        cells = json.loads(nb_path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return executed_index
    injected = sum(1 for c in cells[:executed_index]
                   if "injected-parameters" in (c.get("metadata", {}).get("tags") or []))
    return executed_index - injected


def _failing_cell(nb_path: Path) -> int | None:
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("metadata", {}).get("papermill", {}).get("status") in ("running", "failed"):
            return i
    return None


def execute_run_subprocess(task: Mapping[str, Any]) -> dict[str, Any]:
    """Dask task: run :func:`execute_run` in a fresh Python process (Dask runs tasks in threads)."""
    with tempfile.TemporaryDirectory(prefix="krihs-report-task-") as tmp:
        task_file, result_file = Path(tmp) / "task.json", Path(tmp) / "result.json"
        task_file.write_text(json.dumps(task), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "krihs_analysis.reports", "_worker", str(task_file),
                               str(result_file)], capture_output=True, text=True)
        if result_file.is_file():
            return json.loads(result_file.read_text(encoding="utf-8"))
        line = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return _crashed_record(task, f"worker process failed: {line}")


def _crashed_record(task: Mapping[str, Any], line: str) -> dict[str, Any]:
    name = Path(task["notebook"]).name
    return {"name": task["name"], "entry": task["entry"], "notebook": task["notebook"], "output": task["output"],
            "parameters": task["parameters"], "kernel": task["kernel"], "status": "failed", "attempts": 1,
            "notes": [], "outputs": [], "duration_s": None,
            "error": {"kind": "worker", "notebook": name, "cell_index": None, "execution_count": None,
                      "ename": "WorkerError", "evalue": line, "line": line, "message": f"{name}: {line}"}}


# --------------------------------------------------------------------------------------------------------------
# Run sets


def _now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _rel(p: Path, base: Path) -> str:
    try:
        return str(p.relative_to(base))
    except ValueError:
        return str(p)


def _git_commit(root: Path) -> dict[str, Any]:
    info: dict[str, Any] = {"commit": None, "dirty": None}
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            info["commit"] = out.stdout.strip()
            st = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10)
            info["dirty"] = bool(st.stdout.strip()) if st.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _new_run_id(config: ReportConfig, when: _dt.datetime) -> str:
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    h = hashlib.sha256(f"{config.text_sha256}|{when.isoformat()}|{os.getpid()}|{time.perf_counter_ns()}".encode())
    return f"{stamp}-{h.hexdigest()[:8]}"


def list_runs(reports_dir: str | Path | None = None) -> list[Path]:
    """Finished run folders (oldest first); partial folders of killed runs are ignored."""
    root = Path(reports_dir) if reports_dir is not None else paths.REPORTS
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and _RUN_ID_RE.match(p.name))


def latest_run(reports_dir: str | Path | None = None) -> Path | None:
    """The folder ``reports/latest`` points to (or the ``LATEST`` file names), None when there is none."""
    root = Path(reports_dir) if reports_dir is not None else paths.REPORTS
    link = root / LATEST_NAME
    if link.is_symlink():
        target = root / os.readlink(link)
        return target if target.is_dir() else None
    f = root / LATEST_FILE
    if f.is_file():
        target = root / f.read_text(encoding="utf-8").strip()
        return target if target.is_dir() else None
    return None


def _point_latest(root: Path, run_id: str) -> str:
    link = root / LATEST_NAME
    tmp = root / f".{LATEST_NAME}.{os.getpid()}.tmp"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(run_id, tmp, target_is_directory=True)
        os.replace(tmp, link)  # atomic: readers see the old or the new target, never none
        return str(link)
    except (OSError, NotImplementedError, AttributeError):
        try:
            tmp.unlink()
        except OSError:
            pass
        from ._io import write_atomic

        write_atomic(root / LATEST_FILE, run_id + "\n")
        return str(root / LATEST_FILE)


class _Lock:
    """Non-blocking exclusive ``flock`` on ``reports/.lock`` for the lifetime of the object."""

    def __init__(self, root: Path):
        self.path = root / LOCK_NAME
        self.fh = None

    def acquire(self, note: str = "") -> "_Lock":
        root = self.path.parent
        root.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            import fcntl
        except ImportError:  # no flock (Windows): run unlocked
            self.fh = fh
            return self
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            raise LockHeld(f"another report run is in progress (lock {self.path} is held"
                           f"{': ' + holder if holder else ''}); not starting a second one") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {_now_iso()} {note}".strip() + "\n")
        fh.flush()
        self.fh = fh
        return self

    def release(self) -> None:
        if self.fh is not None:
            try:
                import fcntl

                fcntl.flock(self.fh.fileno(), fcntl.LOCK_UN)
            except (ImportError, OSError):
                pass
            self.fh.close()
            self.fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def _clean_partials(root: Path) -> list[str]:
    """Remove partial folders left by killed runs (safe: called while holding the lock)."""
    removed = []
    for p in root.glob(f".*{PARTIAL_SUFFIX}"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed


def _task(spec: RunSpec, run_dir: Path) -> dict[str, Any]:
    return {"name": spec.name, "entry": spec.entry, "notebook": str(spec.notebook), "output": spec.output,
            "parameters": spec.parameters, "kernel": spec.kernel, "timeout": spec.timeout,
            "start_timeout": spec.start_timeout, "export": spec.export, "takes_out_dir": spec.takes_out_dir,
            "run_dir": str(run_dir)}


def _input_hashes(specs: Sequence[RunSpec]) -> dict[str, str | None]:
    from ._io import sha256_file

    out: dict[str, str | None] = {}
    for s in specs:
        dp = s.parameters.get("data_path", "__absent__")
        if dp == "__absent__":
            continue
        path = str(dp) if dp else str(paths.SAMPLE_CASES)
        if path not in out:
            try:
                out[path] = sha256_file(path)
            except OSError:
                out[path] = None
    if not out and paths.SAMPLE_CASES.is_file():
        out[str(paths.SAMPLE_CASES)] = sha256_file(paths.SAMPLE_CASES)
    return out


def _print_plan(specs: Sequence[RunSpec], stream=None) -> None:
    stream = stream or sys.stdout
    print(f"{len(specs)} planned run(s):", file=stream)
    for s in specs:
        params = json.dumps(s.parameters, ensure_ascii=False)
        extra = " +out_dir" if s.takes_out_dir else ""
        pdf = " +pdf" if s.export.get("pdf") else ""
        print(f"  {s.name}: {_rel(s.notebook, paths.ROOT)} {params}{extra} -> {s.output}{pdf}", file=stream)


def _execute_all(tasks: list[dict[str, Any]], *, jobs: int, scheduler: str | None, progress: bool):
    """Yield result records as runs finish, on a local spawn pool or a Dask cluster."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), desc="reports", unit="nb", disable=None if progress else True, file=sys.stderr,
               dynamic_ncols=True)
    try:
        if scheduler:
            from dask.distributed import Client, as_completed

            try:
                client = Client(scheduler, timeout="10s")
            except (ValueError, TypeError) as exc:  # dask's address parsing: "missing port number", bad scheme
                raise _SchedulerAddressError(f"invalid scheduler address ({exc})") from None
            try:
                futures = {client.submit(execute_run_subprocess, t, pure=False,
                                         key=f"krihs-report-{Path(t['run_dir']).name}-{t['name']}"): t
                           for t in tasks}
                for fut in as_completed(futures):
                    try:
                        rec = fut.result()
                    except Exception as exc:  # noqa: BLE001
                        rec = _crashed_record(futures[fut], f"dask task failed: {type(exc).__name__}: {exc}")
                    bar.update(1)
                    bar.set_postfix_str(rec["name"][-30:], refresh=False)
                    yield rec
            finally:
                client.close()
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed as cf_completed
            from concurrent.futures.process import BrokenProcessPool

            with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks))),
                                     mp_context=mp.get_context("spawn")) as pool:
                futures = {pool.submit(execute_run, t): t for t in tasks}
                try:
                    for fut in cf_completed(futures):
                        try:
                            rec = fut.result()
                        except BrokenProcessPool as exc:
                            rec = _crashed_record(futures[fut], f"worker process died: {exc}")
                        except Exception as exc:  # noqa: BLE001
                            rec = _crashed_record(futures[fut], f"{type(exc).__name__}: {exc}")
                        bar.update(1)
                        bar.set_postfix_str(rec["name"][-30:], refresh=False)
                        yield rec
                except BaseException:
                    for f in futures:
                        f.cancel()
                    raise
    finally:
        bar.close()


def run_reports(
    config: ReportConfig | str | Path | None = None,
    *,
    only: Sequence[str] | None = None,
    jobs: int = 2,
    out_dir: str | Path | None = None,
    scheduler: str | None = None,
    dry_run: bool = False,
    progress: bool = True,
    stream=None,
) -> RunResult:
    """Run a report set; see the module docstring for the layout. Never raises for notebook failures.

    Parameters
    ----------
    config
        A :class:`ReportConfig`, or a path to the YAML (``reports.yaml`` at the project root by default).
    only
        Restrict to these entries / run names / shell patterns.
    jobs
        Local worker processes (ignored with `scheduler`).
    out_dir
        The reports folder (``reports/`` at the project root by default).
    scheduler
        ``tcp://HOST:PORT`` of a running Dask scheduler; its workers must see the same file system and have
        this package and the kernel installed.
    dry_run
        Validate and print the plan; execute nothing.

    Returns
    -------
    RunResult
        ``exit_code`` 0 (all ok / dry run), 1 (a notebook failed), 2 (bad config), 3 (locked), 4 (scheduler
        unreachable), 130 (interrupted).
    """
    stream = stream or sys.stdout
    try:
        cfg = config if isinstance(config, ReportConfig) else load_config(config, check_kernel=not scheduler)
        specs = plan_runs(cfg, only)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return RunResult(EXIT_CODES["config"], message=str(exc))
    if dry_run:
        _print_plan(specs, stream)
        print("dry run: nothing executed", file=stream)
        return RunResult(EXIT_CODES["ok"], message="dry run")

    root = Path(out_dir) if out_dir is not None else paths.REPORTS
    root = root.resolve()
    started = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    run_id = _new_run_id(cfg, started)
    lock = _Lock(root)
    try:
        lock.acquire(note=f"run {run_id}")
    except LockHeld as exc:
        print(f"error: {exc}", file=sys.stderr)
        return RunResult(EXIT_CODES["lock_held"], message=str(exc))
    with lock:
        for name in _clean_partials(root):
            print(f"removed the partial folder of an interrupted run: {name}", file=stream)
        partial = root / f".{run_id}{PARTIAL_SUFFIX}"
        final = root / run_id
        for sub in ("notebooks", "html", "figures"):
            (partial / sub).mkdir(parents=True, exist_ok=True)
        from . import __version__

        meta: dict[str, Any] = {
            "run_id": run_id, "status": "running", "started": started.isoformat(), "ended": None,
            "config": str(cfg.path) if cfg.path else None, "config_sha256": cfg.text_sha256,
            "only": list(only or []), "scheduler": scheduler, "jobs": None if scheduler else jobs,
            "git": _git_commit(paths.ROOT), "package_version": __version__,
            "python": sys.version.split()[0], "inputs_sha256": _input_hashes(specs),
            "runs": [],
        }
        from ._io import write_atomic

        write_atomic(partial / "run.json", json.dumps(meta, indent=2, ensure_ascii=False))
        tasks = [_task(s, partial) for s in specs]
        order = {s.name: i for i, s in enumerate(specs)}
        results: list[dict[str, Any]] = []
        t0 = time.time()
        try:
            for rec in _execute_all(tasks, jobs=jobs, scheduler=scheduler, progress=progress):
                results.append(rec)
                if rec["status"] != "ok" and rec.get("error"):
                    print(f"FAILED {rec['name']}: {rec['error']['message']}", file=sys.stderr)
        except KeyboardInterrupt:
            print(f"interrupted: partial run left in {partial} (removed by the next run); latest unchanged",
                  file=sys.stderr)
            return RunResult(EXIT_CODES["interrupted"], run_id, partial, results, "interrupted")
        except OSError as exc:
            if scheduler and not results:
                msg = " ".join(f"cannot reach the Dask scheduler at {scheduler}: {exc}".split())  # one line
                print(f"error: {msg}", file=sys.stderr)
                shutil.rmtree(partial, ignore_errors=True)
                return RunResult(EXIT_CODES["scheduler"], run_id, None, results, msg)
            raise
        results.sort(key=lambda r: order.get(r["name"], 1 << 30))
        failed = [r for r in results if r["status"] != "ok"]
        for r in results:  # paths relative to the final folder
            r["parameters"] = {k: (v.replace(str(partial), str(final)) if k == "out_dir" and isinstance(v, str)
                                   else v) for k, v in r["parameters"].items()}
        meta.update(status="ok" if not failed else "failed", ended=_now_iso(),
                    duration_s=round(time.time() - t0, 3), runs=results,
                    summary={"total": len(results), "ok": len(results) - len(failed), "failed": len(failed)})
        write_atomic(partial / "run.json", json.dumps(meta, indent=2, ensure_ascii=False))
        os.replace(partial, final)
        notes = [(r["name"], n) for r in results for n in r.get("notes", [])]
        for name, note in notes:
            print(f"{name}: {note}", file=stream)
        if failed:
            print(f"report run {run_id}: {len(failed)} of {len(results)} run(s) FAILED -> {final}", file=stream)
            for r in failed:
                err = r.get("error") or {}
                kept = next((o for o in r.get("outputs", []) if o.endswith(".ipynb")), None)
                print(f"  FAILED {r['name']}: {err.get('message', 'unknown error')}"
                      + (f" (executed notebook kept: {final / kept})" if kept else ""), file=stream)
            print(f"  {root / LATEST_NAME} not moved", file=stream)
            return RunResult(EXIT_CODES["failed"], run_id, final, results, f"{len(failed)} failed")
        where = _point_latest(root, run_id)
        print(f"report run {run_id}: {len(results)} run(s) ok in {meta['duration_s']:.1f} s -> {final} "
              f"({where} updated)", file=stream)
        return RunResult(EXIT_CODES["ok"], run_id, final, results, "ok")


# --------------------------------------------------------------------------------------------------------------
# make notebooks


def _strip_papermill_metadata(nb) -> None:
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def refresh_one(task: Mapping[str, Any]) -> dict[str, Any]:
    """Worker for :func:`refresh_notebooks`: execute one notebook and replace it atomically on success."""
    _quiet_worker()
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from ._io import write_atomic

    path = Path(task["notebook"])
    t0 = time.time()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".refresh.ipynb", dir=path.parent)
    os.close(fd)
    rec: dict[str, Any] = {"notebook": str(path), "status": "failed", "error": None}
    try:
        for attempt in (1, 2):
            try:
                pm.execute_notebook(str(path), tmp, kernel_name=task["kernel"], cwd=str(path.parent),
                                    progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                    execution_timeout=task["timeout"], start_timeout=task["start_timeout"],
                                    extra_arguments=list(_KERNEL_QUIET))
                break
            except PapermillExecutionError as exc:
                rec["error"] = (f"{path.name}: cell {exc.cell_index} (execution count {exc.exec_count}) raised "
                                f"{exc.ename}: {exc.evalue}")
                return rec
            except Exception as exc:  # noqa: BLE001
                if _started_any_cell(Path(tmp)) or attempt == 2:
                    rec["error"] = f"{path.name}: {type(exc).__name__}: {exc}"
                    return rec
        nb = nbformat.read(tmp, as_version=4)
        _strip_papermill_metadata(nb)
        write_atomic(path, nbformat.writes(nb) + "\n")
        rec["status"] = "ok"
    finally:
        Path(tmp).unlink(missing_ok=True)
        rec["duration_s"] = round(time.time() - t0, 3)
    return rec


def refresh_notebooks(notebooks_dir: str | Path | None = None, *, only: Sequence[str] | None = None, jobs: int = 2,
                      kernel: str = DEFAULT_KERNEL, timeout: float = DEFAULT_TIMEOUT, progress: bool = True,
                      stream=None) -> int:
    """Re-execute each notebook of ``notebooks/`` in place with its default parameters (for ``make notebooks``).

    Exploratory notebooks under ``notebooks/explore/`` (and any sub-folder) are skipped. A notebook is replaced
    atomically only when it ran without error; returns 0 when all succeeded, 1 otherwise.
    """
    stream = stream or sys.stdout
    root = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS
    books = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
    if only:
        books = [p for p in books if any(fnmatch.fnmatchcase(p.name, o) or p.stem == o for o in only)]
    if not books:
        print(f"no notebooks to refresh in {root}", file=stream)
        return EXIT_CODES["ok"]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm.auto import tqdm

    tasks = [{"notebook": str(p), "kernel": kernel, "timeout": timeout, "start_timeout": DEFAULT_START_TIMEOUT}
             for p in books]
    failed = []
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks))), mp_context=mp.get_context("spawn")) as pool, \
            tqdm(total=len(tasks), desc="notebooks", unit="nb", disable=None if progress else True) as bar:
        for fut in as_completed([pool.submit(refresh_one, t) for t in tasks]):
            rec = fut.result()
            bar.update(1)
            if rec["status"] != "ok":
                failed.append(rec)
    for rec in failed:
        print(f"FAILED {rec['error']} (notebook left unchanged)", file=stream)
    print(f"refreshed {len(books) - len(failed)} of {len(books)} notebook(s) in {root}", file=stream)
    return EXIT_CODES["failed"] if failed else EXIT_CODES["ok"]


# --------------------------------------------------------------------------------------------------------------
# Command line


def add_report_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``krihs-analysis report`` options to `parser`."""
    parser.add_argument("--config", default=None, help="report configuration (default: reports.yaml at the root)")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME",
                        help="run only these entries / run names / shell patterns")
    parser.add_argument("--jobs", type=int, default=2, help="local worker processes (default 2)")
    parser.add_argument("--out", default=None, metavar="DIR", help="reports folder (default: reports/)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler address (tcp://HOST:PORT); default: local processes")
    parser.add_argument("--dry-run", action="store_true", help="validate and print the planned runs only")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main_report(args: argparse.Namespace) -> int:
    """``krihs-analysis report``: returns the exit code (see :data:`EXIT_CODES`)."""
    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_CODES["config"]
    result = run_reports(args.config, only=args.only, jobs=args.jobs, out_dir=args.out, scheduler=args.scheduler,
                         dry_run=args.dry_run, progress=not getattr(args, "no_progress", False))
    return result.exit_code


def add_refresh_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``krihs-analysis refresh-notebooks`` options to `parser`."""
    parser.add_argument("--dir", default=None, help="notebook folder (default: notebooks/)")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME", help="notebook names or patterns")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-progress", action="store_true")
    return parser


def main_refresh(args: argparse.Namespace) -> int:
    """``krihs-analysis refresh-notebooks`` (``make notebooks``): returns 0 or 1."""
    return refresh_notebooks(args.dir, only=args.only, jobs=max(1, args.jobs),
                             progress=not getattr(args, "no_progress", False))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m krihs_analysis.reports {report,refresh-notebooks} ...`` (and the internal ``_worker``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_worker"]:  # internal: one run in a fresh process (the Dask path)
        task = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        rec = execute_run(task)
        Path(argv[2]).write_text(json.dumps(rec), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(prog="python -m krihs_analysis.reports")
    sub = parser.add_subparsers(dest="command", required=True)
    add_report_arguments(sub.add_parser("report", help="run the report set"))
    add_refresh_arguments(sub.add_parser("refresh-notebooks", help="re-execute notebooks/ in place"))
    args = parser.parse_args(argv)
    return main_report(args) if args.command == "report" else main_refresh(args)


if __name__ == "__main__":
    sys.exit(main())
