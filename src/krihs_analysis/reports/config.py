"""The report configuration (``reports.yaml``): schema, validation, overrides and the expanded run plan.

Everything here runs before any notebook: a bad key, a missing notebook, an undeclared parameter, a ``-p`` value
of the wrong type or an unreadable ``--data`` sheet raises :class:`~krihs_analysis.reports.errors.ConfigError`
listing every problem at once.

Examples
--------
>>> from krihs_analysis.reports.config import parse_parameter
>>> parse_parameter("seed", "7"), parse_parameter("lang", "ko"), parse_parameter("x", "None")
(('seed', 7), ('lang', 'ko'), ('x', None))
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import itertools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from .. import paths
from .._deprecate import keyword_options
from ..codebook import LANGS
from .errors import ConfigError

DEFAULT_KERNEL = "krihs-analysis"
DEFAULT_TIMEOUT = 900  # seconds per cell
DEFAULT_START_TIMEOUT = 60  # seconds for the kernel to start
DEFAULT_RETRIES = 1  # extra attempts, only when the kernel failed to start
DEFAULT_KEEP = 10  # run folders kept after a successful run (retention)
FOR_EACH = ("case_id",)
RENDERERS = ("papermill", "cards")
# The smallest useful configuration: one notebook in two languages (the examples of load_config and plan_runs).
EXAMPLE_CONFIG = """version: 1
runs:
  - name: overview
    notebook: notebooks/01_case_data_overview.ipynb
    matrix: {lang: [en, ko]}"""
RUNNER_PARAMETERS = ("out_dir",)  # set by the runner, never by the config
DEFAULT_EXPORT = {"html": True, "brief_html": True, "pdf": False, "pdf_source": "brief"}
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_TOP_KEYS = {"version", "defaults", "runs", "keep"}
_DEFAULT_KEYS = {"kernel", "timeout", "start_timeout", "retries", "parameters", "export"}
_RUN_KEYS = {"name", "notebook", "parameters", "output", "for_each", "matrix", "export", "timeout", "kernel",
             "enabled", "render", "shard_size"}
_EXPORT_KEYS = set(DEFAULT_EXPORT)


@dataclass(frozen=True)
class RunSpec:
    """One planned run: a notebook executed once with one set of parameters (or, with ``kind="cards"``, the
    case cards of every case in ``cases`` rendered directly, in shards)."""

    name: str  # unique; the config entry's name plus matrix / for_each suffixes
    entry: str  # the config entry's name
    notebook: Path
    parameters: dict[str, Any]
    output: str  # file stem of every output of this run
    kernel: str = DEFAULT_KERNEL
    timeout: float = DEFAULT_TIMEOUT
    start_timeout: float = DEFAULT_START_TIMEOUT
    retries: int = DEFAULT_RETRIES
    export: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_EXPORT))
    takes_out_dir: bool = False
    kind: str = "papermill"
    cases: tuple[str, ...] = ()
    shard_size: int = 250
    #: a cards run's pages in every language of the run set, as ``(lang, output)`` pairs (this run included, in
    #: config order): the cards runs of one entry on the same cases, so each page can link its translations
    languages: tuple[tuple[str, str], ...] = ()

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "entry": self.entry, "notebook": str(self.notebook), "kind": self.kind,
                "parameters": self.parameters, "output": self.output, "kernel": self.kernel,
                "timeout": self.timeout, "export": self.export}


@dataclass
class ReportConfig:
    """A validated configuration: its source file, the expanded runs in config order, and settings."""

    path: Path | None
    runs: list[RunSpec]
    text_sha256: str
    keep: int = DEFAULT_KEEP
    kernel: str = DEFAULT_KERNEL
    timeout: float = DEFAULT_TIMEOUT
    start_timeout: float = DEFAULT_START_TIMEOUT
    retries: int = DEFAULT_RETRIES
    #: case sheets read (and validated) while planning, by resolved path ("" = the embedded sample): read once
    frames: dict[str, Any] = field(default_factory=dict, repr=False)


def parse_parameter(name: str, value: str) -> tuple[str, Any]:
    """Type a ``-p NAME VALUE`` pair as Papermill's command line does.

    Parameters
    ----------
    name
        A notebook parameter's name (a Python identifier).
    value
        Its text: ``True``/``False`` become booleans, ``None`` becomes None, integers and floats become numbers,
        and anything else stays a string (quote nothing: ``-p lang ko``).

    Examples
    --------
    >>> parse_parameter("alpha", "0.05"), parse_parameter("flag", "True"), parse_parameter("n", "-3")
    (('alpha', 0.05), ('flag', True), ('n', -3))
    """
    if not isinstance(name, str) or not _IDENT_RE.match(name):
        raise ConfigError([f"-p {name!r}: a parameter name must be a Python identifier"])
    if not isinstance(value, str):  # the text after the name on the command line; a number would pass untyped
        raise ConfigError([f"-p {name} {value!r}: the value is the text given on the command line, e.g. "
                           f"parse_parameter({name!r}, '3'), got {type(value).__name__}"])
    if value in ("True", "False"):
        return name, value == "True"
    if value == "None":
        return name, None
    for cast in (int, float):
        try:
            return name, cast(value)
        except ValueError:
            pass
    return name, value
def _is_json_value(v: Any) -> bool:
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    if isinstance(v, list):
        return all(_is_json_value(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _is_json_value(x) for k, x in v.items())
    return False


# The package's own parameter names mean the same in every notebook: their values are checked when the run set is
# planned, not found wrong in a notebook's first analysis cell (a type check lets seed=-1 or lang='fr' through).
_VALUE_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "lang": (lambda v: v in LANGS, f"one of {', '.join(LANGS)}"),
    "seed": (lambda v: v >= 0, "a whole number of at least 0"),
    # the notebooks' intervals are 95%: _validate.check_n_boot's floor for alpha = 0.05
    "n_boot": (lambda v: v == 0 or v >= 99, "0 (no interval) or a whole number of at least 99"),
    "n_permutations": (lambda v: v >= 1, "a whole number of at least 1"),
}


def _value_problem(name: str, value: Any) -> str | None:
    """What is wrong with `value` for one of the package's own parameter names (None when nothing is)."""
    rule = _VALUE_RULES.get(name)
    if rule is None or value is None or not isinstance(value, (str, int)) or isinstance(value, bool):
        return None  # a wrong type is the type check's to say
    ok, want = rule
    try:
        fits = bool(ok(value))
    except TypeError:  # "x" >= 0: the type check says it
        return None
    return None if fits else f"{value!r} must be {want}"


def is_file_stem(value: Any) -> bool:
    """Whether `value` can name a run's files inside its run folder: text, not empty, without a folder part."""
    return isinstance(value, str) and bool(value) and "/" not in value and "\\" not in value


def _type_name(v: Any) -> str:
    return "null" if v is None else type(v).__name__


def _read_notebook(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The notebook's JSON when it has a notebook's shape (cells whose metadata, tags and source the runner reads),
    else an error naming the file and what is wrong: valid JSON that is not a notebook must not reach papermill."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"cannot read notebook {path}: {exc}"
    wrong = None
    if not isinstance(nb, dict):
        wrong = f"the file holds a JSON {_type_name(nb)}"
    elif not isinstance(nb.get("cells"), list):
        wrong = "it has no 'cells' list" if "cells" not in nb else f"'cells' is a {_type_name(nb['cells'])}"
    elif not isinstance(nb.get("metadata", {}), dict):
        wrong = f"its 'metadata' is a {_type_name(nb['metadata'])}, not a mapping"
    else:
        for i, cell in enumerate(nb["cells"]):
            if not isinstance(cell, dict):
                wrong = f"cell {i} is a {_type_name(cell)}, not an object"
                break
            meta = cell.get("metadata", {})
            tags = meta.get("tags") if isinstance(meta, dict) else None
            src = cell.get("source", "")
            if not isinstance(meta, dict):
                wrong = f"the metadata of cell {i} is a {_type_name(meta)}, not a mapping"
            elif tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
                wrong = f"the tags of cell {i} are not a list of strings (got {tags!r:.60})"
            elif not (isinstance(src, str) or (isinstance(src, list) and all(isinstance(x, str) for x in src))):
                wrong = f"the source of cell {i} is a {_type_name(src)}, not text"
            if wrong:
                break
    if wrong:
        return None, (f"{path} is not a Jupyter notebook ({wrong}; expected a JSON object with a \"cells\" list "
                      "of cell objects); give the path of an .ipynb saved by Jupyter")
    return nb, None


def _parameter_cells(nb: dict[str, Any]) -> list[str]:
    """The source of every cell tagged ``parameters`` of a notebook checked by :func:`_read_notebook`."""
    out = []
    for cell in nb["cells"]:
        if "parameters" in (cell.get("metadata", {}).get("tags") or []):
            src = cell.get("source", "")
            out.append("".join(src) if isinstance(src, list) else src)
    return out


def _notebook_parameters(path: Path) -> tuple[set[str] | None, str | None]:
    """Names assigned in the notebook's cell tagged ``parameters`` (None when it has none), or an error."""
    import ast

    nb, err = _read_notebook(path)
    if err:
        return None, err
    cells = _parameter_cells(nb)
    if not cells:
        return None, None
    names: set[str] = set()
    for src in cells:
        try:
            tree = ast.parse(src)
        except SyntaxError as exc:
            return None, f"notebook {path.name}: the parameters cell is not valid Python ({exc.msg}, line {exc.lineno})"
        except ValueError as exc:  # e.g. a NUL byte in the source
            return None, f"notebook {path.name}: the parameters cell is not valid Python ({exc})"
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
            if not isinstance(v, str) or v not in ("brief", "full"):  # (pd.NA: "boolean value of NA is ambiguous")
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


def _check_number(value: Any, key: str, where: str, problems: list[str]) -> int | None:
    """A timeout: a whole number of seconds, at least 1 (Jupyter's timeouts are integers; 30.0 is 30)."""
    if value is None:
        return None
    from .._validate import check_count  # pandas: load_config reads case sheets anyway, `import reports` must not

    try:
        return check_count(value, key, minimum=1)
    except ValueError:
        problems.append(f"{where}: {key!r} must be a positive number of seconds, a whole one (got "
                        f"{_type_name(value)} {value!r}); values such as 1.5, .inf or .nan are refused, not rounded: "
                        "write e.g. "
                        f"{key}: {DEFAULT_START_TIMEOUT if key == 'start_timeout' else DEFAULT_TIMEOUT}")
        return None


def _resolve_data_path(value: Any, base: Path) -> Any:
    if isinstance(value, str) and value:
        p = Path(value).expanduser()
        return str(p if p.is_absolute() else (base / p).resolve())
    return value




def _notebook_defaults(path: Path) -> dict[str, Any]:
    """Literal default values of the parameters cell (names whose default is not a literal are left out)."""
    nb, err = _read_notebook(path)
    if err:
        return {}
    out: dict[str, Any] = {}
    for src in _parameter_cells(nb):
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            return {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    out[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    pass
    return out


def _type_matches(value: Any, default: Any) -> bool:
    """Whether an override fits the notebook's literal default (None defaults accept anything)."""
    if default is None or value is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):  # YAML has no tuples: a list fits a tuple default
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def read_sheet(data_path: Any):
    """Read and validate one case sheet (None or "" = the embedded sample); raises ``CaseDataError``."""
    from ..data import read_cases  # pandas: only when a sheet is needed

    return read_cases(data_path if data_path else None)


def _link_card_languages(specs: list[RunSpec]) -> list[RunSpec]:
    """Give each cards run the outputs of the same cards in the run set's other languages.

    Runs are the same cards when they come from one config entry with the same cases, shard size and parameters
    but ``lang``: their pages then sit at the same place in each output's folder. A run alone in its language
    group gets none (its pages show no language links).
    """
    import dataclasses
    import json

    groups: dict[str, list[int]] = {}
    for i, s in enumerate(specs):
        if s.kind == "cards" and "lang" in s.parameters:
            rest = {k: v for k, v in s.parameters.items() if k != "lang"}
            key = json.dumps([s.entry, list(s.cases), s.shard_size, rest], sort_keys=True, default=str)
            groups.setdefault(key, []).append(i)
    out = list(specs)
    for members in groups.values():
        pairs = tuple((str(specs[i].parameters["lang"]), specs[i].output) for i in members)
        if len({lang for lang, _ in pairs}) == len(pairs) > 1:
            for i in members:
                out[i] = dataclasses.replace(specs[i], languages=pairs)
    return out


def _frame_key(data_path: Any) -> str:
    return str(data_path) if data_path else ""
def _safe(value: Any) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip("-") or "x"


def load_config(path: str | Path | None = None, *, text: str | None = None, base_dir: str | Path | None = None,
                check_kernel: bool = False, data: str | Path | None = None,
                parameters: Mapping[str, Any] | None = None) -> ReportConfig:
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
    data
        ``--data SHEET``: the case sheet for every run whose notebook declares ``data_path`` (read and validated
        here, once; relative to the working directory).
    parameters
        ``-p NAME VALUE`` overrides (typed, see :func:`parse_parameter`), applied to every run whose notebook
        declares the name, after the config's own values; a matrix over the same name collapses to the value.
        Each name must be declared by some notebook, and each value must fit the type of the notebook's literal
        default.

    Raises
    ------
    ConfigError
        Listing every problem: unknown keys, bad types, missing notebook files, duplicate names or outputs,
        unknown ``for_each``, parameters the notebook does not declare, bad overrides.
    CaseDataError
        When the ``--data`` sheet (or a ``for_each`` sheet) has problems: its table of every problem.

    Examples
    --------
    >>> from krihs_analysis import paths
    >>> print(EXAMPLE_CONFIG)
    version: 1
    runs:
      - name: overview
        notebook: notebooks/01_case_data_overview.ipynb
        matrix: {lang: [en, ko]}
    >>> cfg = load_config(text=EXAMPLE_CONFIG, base_dir=paths.ROOT)
    >>> [(s.name, s.parameters["lang"], s.output) for s in cfg.runs]
    [('overview-en', 'en', 'overview_en'), ('overview-ko', 'ko', 'overview_ko')]
    """
    from ..data import CaseDataError
    import yaml

    overrides = _check_arguments(path, text, base_dir, data, parameters, check_kernel)
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
        path = Path(path) if path is not None else None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([f"not valid YAML: {exc}"], path) from None

    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ConfigError([f"the top level must be a mapping with a 'runs' list (got {_type_name(doc)})"], path)
    if data is not None:
        overrides["data_path"] = str(Path(data).expanduser().resolve())
    elif isinstance(overrides.get("data_path"), str) and overrides["data_path"]:
        data = overrides["data_path"] = str(Path(overrides["data_path"]).expanduser().resolve())
    frames: dict[str, Any] = {}
    if data is not None:
        if not Path(overrides["data_path"]).is_file():
            raise ConfigError([f"--data: case sheet not found: {overrides['data_path']}"], path)
        frames[_frame_key(overrides["data_path"])] = read_sheet(overrides["data_path"])  # validated once
    for k in overrides:
        if k in RUNNER_PARAMETERS:
            problems.append(f"-p {k}: set by the runner (the run's figures folder); remove it")
    keep = doc.get("keep", DEFAULT_KEEP)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        problems.append(f"'keep' must be a whole number of run folders, at least 1 (got {_type_name(keep)} {keep!r})")
        keep = DEFAULT_KEEP
    used_overrides: set[str] = set()
    mistyped: dict[tuple[str, str], tuple[Any, Any, list[str]]] = {}
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
    d_retries = defaults.get("retries", DEFAULT_RETRIES)
    if isinstance(d_retries, bool) or not isinstance(d_retries, int) or not 0 <= d_retries <= 5:
        problems.append(f"defaults: 'retries' must be a whole number from 0 to 5 (got {d_retries!r})")
        d_retries = DEFAULT_RETRIES
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
    nb_defaults: dict[Path, dict[str, Any]] = {}
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
                if notebook not in nb_defaults:
                    nb_defaults[notebook] = _notebook_defaults(notebook)
                if err:
                    problems.append(f"{where}: {err}")
        params = _check_params(entry.get("parameters"), where, problems)
        output = entry.get("output", name)
        if not is_file_stem(output):
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
        render = entry.get("render", "papermill")
        if render not in RENDERERS:
            problems.append(f"{where}: unknown render {render!r} (allowed: {', '.join(RENDERERS)})")
            render = "papermill"
        if render == "cards" and for_each != "case_id":
            problems.append(f"{where}: render: cards needs for_each: case_id")
        shard_size = entry.get("shard_size", 250)
        if isinstance(shard_size, bool) or not isinstance(shard_size, int) or not 1 <= shard_size <= 1000:
            problems.append(f"{where}: 'shard_size' must be a whole number from 1 to 1000 (got {shard_size!r})")
            shard_size = 250
        # Config values must fit the notebook's literal defaults, as -p values must (those replace them: unchecked).
        if declared is not None and notebook is not None:
            nb_default = nb_defaults.get(notebook, {})
            given = [(f"parameter {k}", k, v) for k, v in {**{k: v for k, v in d_params.items() if k not in params},
                                                             **params}.items()]
            given += [(f"matrix.{k} value", k, v) for k, vals in matrix.items() for v in vals]
            for label, k, v in given:
                if k in declared and k in nb_default and k not in overrides and k != "data_path" \
                        and not _type_matches(v, nb_default[k]):
                    problems.append(f"{where}: {label} {v!r} is {_type_name(v)}, but {notebook.name} declares "
                                    f"{k} = {nb_default[k]!r} ({_type_name(nb_default[k])}); give a "
                                    f"{_type_name(nb_default[k])}")
                elif k in declared and k not in overrides and (bad := _value_problem(k, v)):
                    problems.append(f"{where}: {label} {bad}")
        # -p overrides: where the notebook declares them; a matrix over the same name collapses to the value.
        if declared is not None:
            for k, v in overrides.items():
                if k in declared and k != for_each:
                    used_overrides.add(k)
                    default = nb_defaults.get(notebook, {}).get(k) if notebook else None
                    if k != "data_path" and not _type_matches(v, default):
                        mistyped.setdefault((k, _type_name(default)), (v, default, []))[2].append(notebook.name)
                    if k in matrix:
                        matrix[k] = [v]
                    else:
                        params[k] = v
                elif k == for_each:
                    problems.append(f"{where}: -p {k}: set per case by for_each; use --only {name}-<case id>")
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
        if "data_path" in base_params and "data_path" not in overrides:
            base_params["data_path"] = _resolve_data_path(base_params["data_path"], base)
        combos: list[list[tuple[str, Any]]] = [list(zip(matrix, vals))
                                               for vals in itertools.product(*matrix.values())] or [[]]
        fan: list[Any] = [None]
        fan_cases: tuple[str, ...] = ()
        if for_each:
            key = _frame_key(base_params.get("data_path"))
            try:
                if key not in frames:
                    frames[key] = read_sheet(base_params.get("data_path"))
                fan = [str(c) for c in frames[key]["case_id"].tolist()]
            except CaseDataError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported as a config problem
                problems.append(f"{where}: for_each {for_each}: cannot read the cases of "
                                f"{base_params.get('data_path') or 'the embedded sample'}: {exc}")
                continue
            if render == "cards":  # one run per combination; the renderer shards the cases itself
                fan_cases, fan = tuple(fan), [None]
        for combo in combos:
            for item in fan:
                p = dict(base_params)
                suffix = [v for _, v in combo]
                p.update(combo)
                if for_each and render != "cards":
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
                                     retries=d_retries, export=export,
                                     takes_out_dir=bool(declared and "out_dir" in declared), kind=render,
                                     cases=fan_cases if render == "cards" else (), shard_size=shard_size))
                kernels.add(kernel)

    specs = _link_card_languages(specs)
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
    unused = sorted(set(overrides) - used_overrides - {"data_path"})
    if unused:
        problems.append(f"-p {', '.join(unused)}: no notebook of the report set declares "
                        f"{'it' if len(unused) == 1 else 'them'} in its parameters cell")
    if data is not None and "data_path" not in used_overrides:
        problems.append("--data: no notebook of the report set declares data_path")
    if check_kernel and kernels and not problems:
        problems.extend(_kernel_problems(kernels))
    # A -p value of the wrong type, or one the package's rules refuse (lang 'fr', seed -1), is said once, not once
    # per run that declares it.
    for (k, _), (v, default, notebooks) in mistyped.items():
        problems.append(f"-p {k} {v!r} is {_type_name(v)}, but {', '.join(dict.fromkeys(notebooks))} declare(s) "
                        f"{k} = {default!r} ({_type_name(default)})")
    problems.extend(f"-p {k} {bad}" for k in sorted(used_overrides)
                    if not any(m[0] == k for m in mistyped) and (bad := _value_problem(k, overrides[k])))
    if problems:
        cli = all(p.startswith(("-p ", "--data")) or ": -p " in p for p in problems)
        raise ConfigError(problems, path, heading=("invalid -p / --data for the report configuration"
                                                   + (f" {path}" if path is not None else "")) if cli else None)
    return ReportConfig(path=Path(path) if path is not None else None, runs=specs,
                        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), keep=keep, kernel=d_kernel,
                        timeout=float(d_timeout), start_timeout=float(d_start), retries=d_retries, frames=frames)


def _check_arguments(path: Any, text: Any, base_dir: Any, data: Any, parameters: Any,
                     check_kernel: Any = False) -> dict[str, Any]:
    """Check :func:`load_config`'s arguments (ConfigError); return the ``-p`` overrides as a new dict."""
    from .._validate import check_flag, check_path, check_text

    try:
        check_flag(check_kernel, "check_kernel")  # "no" would have checked
        check_text(text, "text", example="load_config(text='runs: ...') (the YAML itself)", optional=True)
        if path is not None:
            check_path(path, "path", example="load_config('reports.yaml')")
        if base_dir is not None:
            check_path(base_dir, "base_dir", example="base_dir='.' (the folder notebook paths resolve against)")
        if data is not None:
            check_path(data, "data", example="data='data/raw/cases.xlsx' (the case sheet)")
    except ValueError as exc:
        raise ConfigError([str(exc)]) from None
    if parameters is None:
        return {}
    if not isinstance(parameters, Mapping):
        raise ConfigError([f"parameters must be a mapping of name: value such as {{'seed': 1}}, got "
                           f"{_type_name(parameters)} {parameters!r:.60}"])
    problems, out = [], {}
    for k, v in parameters.items():
        if isinstance(v, os.PathLike):  # a path reaches the notebook as text
            v = os.fspath(v)
        if type(v).__module__ == "numpy" and getattr(v, "ndim", None) == 0:  # np.int64(99) from a computed count
            v = v.item()
        if not isinstance(k, str) or not _IDENT_RE.match(k):
            problems.append(f"-p {k!r}: a parameter name must be a Python identifier (text such as 'seed')")
        elif not _is_json_value(v):
            problems.append(f"-p {k}: unsupported value type {_type_name(v)} (use None, True/False, numbers, text, "
                            "lists or dicts of them)")
        else:
            out[k] = v
    if problems:
        raise ConfigError(problems)
    return out


def _kernel_problems(kernels: Iterable[str]) -> list[str]:
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return []
    available = set(KernelSpecManager().find_kernel_specs())
    return [f"Jupyter kernel {k!r} is not installed (available: {', '.join(sorted(available)) or 'none'}); "
            f"run `make setup`" for k in sorted(kernels) if k not in available]


@keyword_options
def plan_runs(config: ReportConfig, *, only: Sequence[str] | None = None) -> list[RunSpec]:
    """The runs of `config` selected by `only`.

    Parameters
    ----------
    config
        A configuration read by :func:`load_config`.
    only
        Entry names, run names or shell patterns (``--only``); every run when None or empty. One string is one
        name (``only="overview"``), never split into letters. ``plan_runs(config, only)`` by position still
        works this release, with a FutureWarning.

    Returns
    -------
    list of RunSpec
        In the configuration's order, each run once.

    Raises
    ------
    ConfigError
        A pattern that matches no run, or `config` that is not a :class:`ReportConfig`.

    Examples
    --------
    >>> from krihs_analysis import paths
    >>> cfg = load_config(text=EXAMPLE_CONFIG, base_dir=paths.ROOT)
    >>> [s.name for s in plan_runs(cfg, only="overview-*")]
    ['overview-en', 'overview-ko']
    """
    if not isinstance(config, ReportConfig):
        hint = (f"; to plan a config file call plan_runs(load_config({str(config)!r}))"
                if isinstance(config, (str, os.PathLike)) else "; read one with load_config(path)")
        raise ConfigError([f"config must be a ReportConfig, got {_type_name(config)}{hint}"])
    runs = config.runs
    if not isinstance(runs, (list, tuple)) or not all(isinstance(r, RunSpec) for r in runs):
        raise ConfigError([f"config.runs must be the list of RunSpec that load_config builds, got "
                           f"{_type_name(runs)} {runs!r:.60}; read the config with load_config(path)"], config.path)
    if only is None:
        return list(config.runs)
    from .._validate import check_strings

    try:
        only = check_strings(only, "only", example="only=['case-data-overview']", allow_empty=True)
    except ValueError as exc:
        raise ConfigError([str(exc)], config.path) from None
    if not only:
        return list(config.runs)
    chosen, unmatched = [], []
    for pattern in only:
        hits = [s for s in config.runs if fnmatch.fnmatchcase(s.name, pattern) or s.entry == pattern]
        if not hits:
            unmatched.append(pattern)
        chosen.extend(hits)
    if unmatched:
        from .._validate import nearest

        known = sorted({s.entry for s in config.runs})
        names = [*known, *(s.name for s in config.runs)]

        def near(p: str) -> str:
            close = nearest(p, names)
            return f"did you mean {close!r}? " if close else ""

        raise ConfigError([f"--only {p!r} matches no run; {near(p)}(entries: {', '.join(known)}; run names are "
                           f"<entry>-<value>..., shell patterns allowed)" for p in unmatched], config.path,
                          heading=f"nothing to run in {config.path}" if config.path else "nothing to run")
    seen: set[str] = set()
    return _languages_within([s for s in chosen if not (s.name in seen or seen.add(s.name))])


def _languages_within(specs: list[RunSpec]) -> list[RunSpec]:
    """Cut each cards run's translations down to the runs selected with it: a page of ``--only case-card-en``
    must not link the Korean and Japanese pages that this run folder will not have."""
    import dataclasses

    outputs = {s.output for s in specs}
    out = []
    for s in specs:
        kept = tuple(p for p in s.languages if p[1] in outputs)
        out.append(s if kept == s.languages else dataclasses.replace(s, languages=kept if len(kept) > 1 else ()))
    return out
