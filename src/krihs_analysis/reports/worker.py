"""The one Papermill caller: execute a notebook (kernel, timeouts, retries), export it, describe what happened.

Report runs (:mod:`.runset`), ``refresh-notebooks`` (:mod:`.refresh`) and the brief rebuild
(:mod:`krihs_analysis.reports.brief`) all execute notebooks through :func:`execute_notebook`. Work runs in worker
processes (:mod:`.pool`) that die with the process that started them (:func:`worker_init`), so a ``SIGKILL`` of
``krihs-analysis report`` leaves nothing running: pool workers kill themselves, and their Jupyter kernels stop by
themselves when their parent goes (ipykernel's parent poller).

Examples
--------
>>> from krihs_analysis.reports.worker import is_disk_full
>>> import errno
>>> is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
True
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Mapping

# The kernel's own start-up log (e.g. "Kernel is running over TCP without encryption") is noise in a report run.
KERNEL_QUIET = ("--IPKernelApp.log_level=CRITICAL",)
_PR_SET_PDEATHSIG = 1


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def rel(p: Path, base: Path) -> str:
    try:
        return str(p.relative_to(base))
    except ValueError:
        return str(p)


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``); no-op elsewhere.

    Called first in every worker process. When the parent is already gone (the race between fork and prctl),
    exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)


def worker_init(parent_pid: int, environ: Mapping[str, str] | None = None) -> None:
    """Initializer of local pool workers (:func:`.pool.worker_pool`): die with the caller, quiet logging.

    A worker forked from the fork server is the server's child, not the caller's, and it holds the server open:
    so besides the kernel's death signal (for its own parent) it watches the caller itself (:func:`die_with`).
    It takes the caller's `environ` as it is now: multiprocessing hands over the working directory and
    ``sys.path``, but the environment a forked worker inherits is the server's, from when the server started.
    """
    die_with_parent()
    die_with(parent_pid)
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    quiet_worker()


def die_with(pid: int) -> None:
    """SIGKILL this process as soon as process `pid` has ended (a daemon thread waits for it).

    Works for any process, not only the parent, and on platforms without ``prctl``: on Linux the thread sleeps on
    a pidfd until `pid` exits; elsewhere it checks twice a second. A `pid` already gone kills at once.
    """
    import threading

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # not Linux >= 5.3, or already gone
            while _is_running(pid):
                time.sleep(0.5)
        else:
            import select

            select.select([fd], [], [])  # a pidfd turns readable when its process ends
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name=f"die-with-{pid}", daemon=True).start()


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


#: Loggers that report every cell and kernel message at INFO; a report run shows its own progress instead.
NOISY_LOGGERS = ("papermill", "traitlets", "nbclient", "jupyter_client", "nbconvert", "asyncio", "tornado")


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Papermill's and Jupyter's INFO logging off within the block, each logger's level restored after.

    For work done in the caller's own process (:func:`krihs_analysis.reports.brief.rebuild`), whose logging
    setup is the caller's; the runner's worker processes use :func:`quiet_worker`.
    """
    import logging

    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def quiet_worker() -> None:
    """Set up one of the runner's own worker processes (never a caller's process): quiet loggers for good.

    No warning filter is installed: the kernel's "running over TCP without encryption" is a log line of the
    kernel process (silenced by ``KERNEL_QUIET``), and nothing the runner calls warns otherwise, so a warning that
    does appear is news and reaches the worker's stderr.
    """
    import logging

    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # jsonschema (via nbformat) builds ~40 Lark grammars at import when rfc3987_syntax is installed, only to
    # check the "iri" format that notebook schemas never use: ~1 s per worker. Workers are ours; skip it.
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left" / "quota exceeded" errors, however deeply wrapped."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return False


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


def execute_notebook(notebook: str | Path, output: str | Path, *, parameters: Mapping[str, Any] | None = None,
                     kernel: str, timeout: float, start_timeout: float, retries: int = 1,
                     cwd: str | Path | None = None) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[str]]:
    """Execute `notebook` into `output` with Papermill; ``(error or None, attempts, notes)``.

    Only a kernel that failed to start is tried again. A cell error, a timeout or a kernel death during execution is
    reported at once, and so is what no retry can fix, found before any kernel starts: a notebook that cannot be read,
    parameters that cannot be injected, a kernel that is not installed, an `output` that cannot be written. Never
    raises for what the notebook does.

    Parameters
    ----------
    notebook
        The notebook to execute (a str or Path).
    output
        Where the executed notebook is written (a str or Path). A file left there by an earlier call is removed
        before each attempt (unless it is `notebook` itself), so that what it holds is never taken for this
        attempt's progress.
    parameters
        Values for the notebook's parameters, which Papermill injects after its cell tagged ``parameters`` (it
        reads the notebook's language, needed to write them, from its ``language_info`` or ``kernelspec``
        metadata). None: none.
    kernel
        The name of an installed Jupyter kernel, e.g. ``'krihs-analysis'``.
    timeout
        Seconds each cell may run, a whole number of at least 1; a cell that runs longer is an error.
    start_timeout
        Seconds the kernel may take to start, a whole number of at least 1.
    retries
        Further attempts after a kernel that failed to start (its process died, or did not answer within
        `start_timeout`), a whole number of at least 0.
    cwd
        The kernel's working directory. None: the folder of `notebook`.

    Returns
    -------
    error : dict or None
        None when every cell ran; else ``kind``, ``cell_index`` in the source notebook, ``ename``, ``evalue``,
        ``line`` (one line) and ``message`` (naming the notebook, and what to change). The kinds:

        - ``cell``: a cell raised, timed out, or its kernel died while it ran;
        - ``kernel_start``: the kernel's process died, or did not answer within `start_timeout` (retried);
        - ``notebook``: `notebook` cannot be read, or is not a valid notebook;
        - ``parameters``: Papermill cannot inject `parameters` (e.g. the notebook's metadata names no language);
        - ``kernel_spec``: `kernel` is not installed here, or its spec cannot be read;
        - ``output``: `output` cannot be written (its folder is missing, or it is a folder);
        - ``disk``: no space left on the device.

        Only ``kernel_start`` is retried; ``notebook``, ``parameters``, ``kernel_spec`` and ``output`` are found
        before any kernel starts.
    attempts : list of dict
        Every attempt: ``attempt``, ``status`` (``ok`` or the error's kind) and ``error`` (its one line).
    notes : list of str
        One line per retried kernel start.

    Raises
    ------
    ValueError
        An argument of the wrong kind: `timeout` and `start_timeout` must be whole numbers of seconds of at least
        1, `retries` a whole number of at least 0, `kernel` a kernel name, `parameters` a mapping. Checked before
        anything runs.

    Examples
    --------
    >>> import nbformat, pathlib, tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nb = new_notebook(cells=[new_code_cell("n = 1", metadata={"tags": ["parameters"]}),
    ...                          new_code_cell("print(n * 7)")],
    ...                   metadata={"kernelspec": {"name": "krihs-analysis", "language": "python",
    ...                                            "display_name": "Python (krihs-analysis)"}})
    >>> nbformat.write(nb, folder / "tiny.ipynb")
    >>> error, attempts, notes = execute_notebook(folder / "tiny.ipynb", folder / "out.ipynb", parameters={"n": 6},
    ...                                           kernel="krihs-analysis", timeout=60, start_timeout=60)
    >>> error, [a["status"] for a in attempts], notes
    (None, ['ok'], [])
    >>> nbformat.read(folder / "out.ipynb", as_version=4).cells[-1].outputs[0].text.strip()
    '42'
    """
    notebook, output, parameters, kernel, timeout, start_timeout, retries, cwd = _check_execute_args(
        notebook, output, parameters, kernel, timeout, start_timeout, retries, cwd)
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    notes: list[str] = []
    _remove_stale_output(notebook, output)
    error = _check_before_start(notebook, output, parameters, kernel)
    if error is not None:  # Papermill would fail the same way before any cell, on every attempt: none is retried
        return error, [{"attempt": 1, "status": error["kind"], "error": error["line"]}], notes
    log: list[dict[str, Any]] = []
    for attempt in range(1, retries + 2):
        _remove_stale_output(notebook, output)
        error = _execute_once(pm, PapermillExecutionError, notebook, output, parameters, kernel=kernel,
                              timeout=timeout, start_timeout=start_timeout, cwd=cwd)
        log.append({"attempt": attempt, "status": "ok" if error is None else error["kind"],
                    "error": None if error is None else error["line"]})
        if error is None or error["kind"] != "kernel_start" or attempt > retries:
            break
        notes.append(f"kernel start failed ({error['line']}); retrying ({attempt} of {retries})")
        time.sleep(0.5)
    return error, log, notes


def _check_execute_args(notebook, output, parameters, kernel, timeout, start_timeout, retries, cwd):
    """The arguments of :func:`execute_notebook`, checked (ValueError naming the argument) and normalised."""
    from .._validate import check_count, check_path, check_text  # here: _validate imports pandas

    notebook = check_path(notebook, "notebook", example="notebook='notebooks/01_status.ipynb'")
    output = check_path(output, "output", example="output='reports/run/01_status.ipynb'")
    if parameters is not None and not isinstance(parameters, Mapping):
        raise ValueError(f"parameters must be a mapping of parameter name to value (or None), got "
                         f"{type(parameters).__name__}; pass e.g. parameters={{'n_boot': 999}}")
    from .config import _is_json_value

    for key, value in (parameters or {}).items():
        # Papermill writes each as `key = value` into the notebook: `5 = 1` or an object's repr is a syntax error
        # (or a different value) found only once the kernel runs
        if not isinstance(key, str) or not key.isidentifier():
            raise ValueError(f"parameters: {key!r} is not a parameter name; the names are the notebook's "
                             "variables, e.g. parameters={'n_boot': 999}")
        if not _is_json_value(value):
            raise ValueError(f"parameters[{key!r}] must be a literal the notebook can hold (None, True/False, a "
                             f"number, text, or a list or dict of those), got {type(value).__name__} {value!r:.60}")
    check_text(kernel, "kernel", example="kernel='krihs-analysis'")
    if not kernel.strip():
        raise ValueError("kernel is empty; pass the name of an installed Jupyter kernel, e.g. kernel='krihs-analysis'")
    # Papermill/nbclient take whole seconds (an int trait): 1.5 would fail at kernel start, looking like a retry case.
    timeout = check_count(timeout, "timeout", minimum=1)
    start_timeout = check_count(start_timeout, "start_timeout", minimum=1)
    retries = check_count(retries, "retries", minimum=0)
    if cwd is not None:
        cwd = check_path(cwd, "cwd", example="cwd='notebooks'")
        if not cwd.is_dir():  # else the kernel failed to start there, which looked like a case for a retry
            raise ValueError(f"cwd must be an existing folder to run the notebook in, got {str(cwd)!r} "
                             f"({'a file' if cwd.exists() else 'not found'})")
    return notebook, output, parameters, kernel, timeout, start_timeout, retries, cwd


def _remove_stale_output(notebook: Path, output: Path) -> None:
    """Remove an `output` file left by an earlier call (never `notebook` itself, nor a folder)."""
    try:
        same = notebook.exists() and output.exists() and os.path.samefile(notebook, output)
        if output.is_symlink() or (output.is_file() and not same):
            output.unlink()
    except OSError:  # cannot remove it: Papermill will not be able to write it either, and says so
        pass


def _setup_error(kind: str, notebook: Path, ename: str, evalue: str, message: str) -> dict[str, Any]:
    """The error record of a problem found before any kernel starts (no cell ran)."""
    first = evalue.strip().splitlines()[0] if evalue.strip() else ""
    return {"kind": kind, "notebook": notebook.name, "cell_index": None, "execution_count": None, "ename": ename,
            "evalue": evalue, "line": f"{ename}: {first}".rstrip(": "), "message": f"{notebook.name}: {message}"}


def _check_before_start(notebook: Path, output: Path, parameters: Mapping[str, Any] | None,
                        kernel: str) -> dict[str, Any] | None:
    """The error record of what no retry can fix, found before any kernel starts; None when there is none.

    Papermill fills the parameters into both paths (``{name}`` in a path is a parameter), reads the notebook,
    injects the parameters and looks the kernel up before it starts the kernel, and writes `output` after the last
    cell. A failure of any of these steps leaves no cell started, so it would be taken for a kernel that failed to
    start and retried in vain (for `output`, after running the whole notebook again). The steps are run here with
    Papermill's own functions, so that what passes here passes there; they take a few milliseconds.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import add_builtin_parameters, parameterize_notebook, parameterize_path

    path_parameters = add_builtin_parameters(dict(parameters or {}))
    resolved = []
    for kind, path in (("notebook", notebook), ("output", output)):
        try:
            resolved.append(Path(parameterize_path(str(path), path_parameters)))
        except Exception as exc:  # noqa: BLE001 - KeyError as PapermillMissingParameterException, or a stray brace
            return _setup_error(kind, notebook, type(exc).__name__, str(exc),
                                f"Papermill reads {{...}} in the path {path} as a parameter and cannot fill it in "
                                f"({type(exc).__name__}: {exc}); rename it without braces")
    source, output = resolved
    try:
        nb = load_notebook_node(str(source))
    except OSError as exc:  # missing, a folder, unreadable
        return _setup_error("notebook", notebook, type(exc).__name__, str(exc),
                            f"cannot read {source}: {exc.strerror or exc}; give the path of an existing notebook "
                            "file")
    except Exception as exc:  # noqa: BLE001 - nbformat's NotJSONError or ValidationError, a UnicodeDecodeError
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return _setup_error("notebook", notebook, type(exc).__name__, str(exc),
                            f"{source} is not a valid Jupyter notebook ({type(exc).__name__}: {first}); restore "
                            "it from version control, or open it in Jupyter and save it again")
    if parameters:  # as Papermill: without parameters nothing is injected, and no language is needed
        try:
            parameterize_notebook(nb, dict(parameters), kernel_name=kernel)
        except Exception as exc:  # noqa: BLE001 - papermill raises ValueError / PapermillException here
            meta = nb.get("metadata", {})
            language = ((meta.get("language_info") or {}).get("name")
                        or (meta.get("kernelspec") or {}).get("language"))
            fix = (f"its metadata gives the language {language!r}, for which Papermill cannot write parameters; "
                   "set kernelspec.language to the kernel's language, e.g. 'python'" if language else
                   "its metadata names no language (kernelspec.language or language_info.name), which Papermill "
                   f"needs to write them; open it in Jupyter on the kernel {kernel!r} and save it, or add "
                   f'"kernelspec": {{"name": "{kernel}", "language": "python", "display_name": "{kernel}"}}')
            return _setup_error("parameters", notebook, type(exc).__name__, str(exc),
                                f"cannot inject the parameters ({', '.join(map(str, parameters))}): {fix}")
    problem = _output_problem(output)
    if problem:
        return _setup_error("output", notebook, "OutputError", f"cannot write {output}: {problem}",
                            f"cannot write the executed notebook to {output}: {problem}")
    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel as exc:
        available = ", ".join(sorted(KernelSpecManager().find_kernel_specs())) or "none"
        return _setup_error("kernel_spec", notebook, type(exc).__name__, str(exc),
                            f"Jupyter kernel {kernel!r} is not installed on {os.uname().nodename} (available: "
                            f"{available}); run `make setup` there, or name an installed kernel (kernel: in "
                            "reports.yaml)")
    except Exception as exc:  # noqa: BLE001 - a kernel.json that is not JSON, or lacks argv
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return _setup_error("kernel_spec", notebook, type(exc).__name__, str(exc),
                            f"the spec of Jupyter kernel {kernel!r} cannot be read ({type(exc).__name__}: {first}); "
                            "install the kernel again (`make setup`)")
    return None


def _output_problem(output: Path) -> str | None:
    """Why Papermill could not write `output` at the end of the run, or None."""
    if output.is_dir():
        return "it is a folder; give the path of the .ipynb file to write"
    folder = output.parent
    if not folder.is_dir():
        return f"its folder {folder} does not exist (or is not a folder); create it first"
    if not os.access(folder, os.W_OK | os.X_OK) or (output.exists() and not os.access(output, os.W_OK)):
        return "permission denied"
    return None


def _execute_once(pm, PapermillExecutionError, notebook: Path, output: Path, parameters, *, kernel: str,
                  timeout: float, start_timeout: float, cwd) -> dict[str, Any] | None:
    """One Papermill execution; the error record, or None."""
    try:
        pm.execute_notebook(
            str(notebook), str(output), parameters=dict(parameters or {}), kernel_name=kernel,
            cwd=str(cwd if cwd is not None else notebook.parent), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, execution_timeout=timeout, start_timeout=start_timeout,
            extra_arguments=list(KERNEL_QUIET),
        )
        return None
    except PapermillExecutionError as exc:
        line = f"{exc.ename}: {exc.evalue}".strip()
        src_index = _source_cell_index(output, exc.cell_index)
        also = f"; cell {exc.cell_index} of the executed notebook" if src_index != exc.cell_index else ""
        return {"kind": "cell", "notebook": notebook.name, "cell_index": src_index,
                "executed_cell_index": exc.cell_index, "execution_count": exc.exec_count,
                "ename": exc.ename, "evalue": exc.evalue, "line": line,
                "message": f"{notebook.name}: cell {src_index} (execution count {exc.exec_count}{also}) "
                           f"raised {line}"}
    except Exception as exc:  # noqa: BLE001 - kernel death, timeout, kernel start failure, full disk
        # Without a started cell this is a kernel start: _check_before_start has ruled out every other step that
        # Papermill takes before the first cell (and the final write of `output`).
        ename = type(exc).__name__
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        line = f"{ename}: {first}".rstrip(": ")
        if is_disk_full(exc):
            return {"kind": "disk", "notebook": notebook.name, "cell_index": None, "execution_count": None,
                    "ename": ename, "evalue": str(exc), "line": line,
                    "message": f"{notebook.name}: no space left on the device writing {output}"}
        started = _started_any_cell(output)
        cell_index = _failing_cell(output) if started else None
        where = f"cell {cell_index}" if cell_index is not None else (
            "during execution" if started else "kernel start")
        return {"kind": "cell" if started else "kernel_start", "notebook": notebook.name,
                "cell_index": cell_index, "execution_count": None, "ename": ename, "evalue": str(exc),
            "line": line, "message": f"{notebook.name}: {where}: {line}"}


# --------------------------------------------------------------------------------------------------------------
# Exports


def _brief_notebook(nb):
    nb = copy.deepcopy(nb)
    # The reader's version: no parameters, and no cells the author tagged as notes to analysts.
    drop = {"injected-parameters", "parameters", "remove-in-brief"}
    nb.cells = [c for c in nb.cells if not drop & set(c.get("metadata", {}).get("tags", []) or [])]
    return nb


_EXPORTERS: dict[str, Any] = {}  # per worker process: building an exporter loads and compiles its templates


def _html_exporter(brief: bool, lang: str = "en"):
    key = ("brief" if brief else "full", lang)
    if key not in _EXPORTERS:
        from nbconvert import HTMLExporter

        _EXPORTERS[key] = (HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                                        language_code=lang)
                           if brief else HTMLExporter(language_code=lang))
    return _EXPORTERS[key]


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def _for_readers(nb, brief: bool):
    """`nb` with a title for the page and its PDF (``nb.metadata.title``, a copy), and the language the run was
    made in (its ``lang`` parameter, else en) for ``<html lang>``.

    nbconvert titled every page "Notebook" and marked every page English: browser tabs, bookmarks and PDF viewers
    could not tell the runs apart, and a screen reader read Korean as English. The title is the brief's own (the
    first heading its outputs show) for the reader's version, else the notebook's first Markdown heading: a project
    notebook's title in the run's language (:func:`.index.notebook_title`; the heading on the page says the same),
    any other heading with the run's language after it.
    """
    import html as _html

    import nbformat

    from ..codebook import LANGS
    from .index import _heading_at, notebook_title

    params = (nb.get("metadata", {}).get("papermill") or {}).get("parameters") or {}
    lang = params.get("lang") if params.get("lang") in LANGS else "en"
    title = nb.get("metadata", {}).get("title")
    cells = nb.get("cells", [])
    if not title and brief:
        for cell in cells:
            for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                m = _H1.search("".join(out.get("data", {}).get("text/html", "")))
                if m:
                    title = _html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
                    break
            if title:
                break
    # The first Markdown heading: a project notebook's gives its title in every language ("02 · Korea–Japan
    # comparison · 한일 비교 · 日韓比較", for JupyterLab); a run's page shows the one of its language, so that a Korean
    # reader's page does not open in English and Japanese.
    at = _heading_at(cells)
    heading = at[2][2:].strip() if at else None
    own = notebook_title(heading, lang=lang) if heading else None
    if not title and heading:
        title = own or (f"{heading} ({lang})" if "lang" in params else heading)
    if not title:
        return nb, lang
    copy = nbformat.NotebookNode(dict(nb))  # the cells are shared, not copied; only the metadata and a title are new
    copy["metadata"] = nbformat.NotebookNode({**nb.get("metadata", {}), "title": title})
    if own:
        k, i, _ = at
        lines = "".join(cells[k].get("source", "")).splitlines()
        lines[i] = f"# {own}"
        copy["cells"] = [*cells[:k], nbformat.NotebookNode({**cells[k], "source": "\n".join(lines)}), *cells[k + 1:]]
    return copy, lang


#: What nbconvert writes for an image without alt text.
_NO_ALT = 'alt="No description has been provided for this image"'


def _with_alt_texts(nb, html: str) -> str:
    """`html` (nbconvert's page of `nb`) with each figure's alt text, where its output carries one
    (``metadata['image/png']['alt']``: the catalogue's figures, :func:`..figures.style.new_figure`). nbconvert reads
    none from the notebook and describes every image as "No description has been provided for this image"; its
    images are matched to the outputs in order, and only when the counts agree (an image of another kind, say in
    Markdown, leaves the page as nbconvert wrote it)."""
    import html as _html

    alts = [((out.get("metadata") or {}).get("image/png") or {}).get("alt")
            for cell in nb.get("cells", []) if cell.get("cell_type") == "code"
            for out in cell.get("outputs", []) if "image/png" in (out.get("data") or {})]
    parts = html.split(_NO_ALT)
    if not any(alts) or len(parts) - 1 != len(alts):
        return html
    return parts[0] + "".join((f'alt="{_html.escape(alt, quote=True)}"' if isinstance(alt, str) and alt else _NO_ALT)
                              + rest for alt, rest in zip(alts, parts[1:], strict=True))


def _line_breaking(html: str) -> str:
    """`html` with the run's line-breaking rules for its language (:data:`.index.LINE_BREAKING_CSS`)."""
    from .index import LINE_BREAKING_CSS

    if "</head>" not in html:
        return html
    return html.replace("</head>", f"<style>{LINE_BREAKING_CSS}</style>\n</head>", 1)


def _check_export_args(nb, path, brief, suffix: str) -> Path:
    """Check the arguments of :func:`export_html` / :func:`export_pdf`; return `path` as a Path."""
    import nbformat

    from .._validate import check_flag, check_path  # here: _validate imports pandas
    from .errors import OutputError

    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        got = f"the path {str(nb)!r}" if isinstance(nb, (str, os.PathLike)) else f"a {type(nb).__name__}"
        raise ValueError(f"nb must be a notebook node (nbformat.read(path, as_version=4)), got {got}")
    # what nbconvert needs of each cell (a full nbformat.validate would load jsonschema in every worker)
    for k, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or not {"cell_type", "metadata", "source"} <= set(cell):
            raise ValueError(f"nb's cell {k} is not a notebook cell (each has cell_type, metadata and source; "
                             f"make them with nbformat.v4.new_code_cell), got {cell!r:.60}")
    path = check_path(path, "path", example=f"path='reports/run/html/report{suffix}'")
    check_flag(brief, "brief")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give the path of the {suffix} file to write")
    return path


def export_html(nb, path: str | Path, *, brief: bool) -> None:
    """Write `nb` as HTML with nbconvert, atomically.

    Parameters
    ----------
    nb
        A notebook node, e.g. ``nbformat.read(path, as_version=4)``.
    path
        The HTML file to write (a str or Path); its folder is created when missing.
    brief
        True: the reader's version, without inputs, prompts, the parameters cells and cells tagged
        ``remove-in-brief``. False: the whole notebook.

    Raises
    ------
    ValueError
        `nb` is not a notebook node (read one with ``nbformat.read(path, as_version=4)``).
    OutputError
        `path` is a folder.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> nb = new_notebook(cells=[new_code_cell("answer = 6 * 7; print(answer)",
    ...                                        outputs=[new_output("stream", text="42")])])
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> export_html(nb, folder / "full.html", brief=False)
    >>> export_html(nb, folder / "brief.html", brief=True)
    >>> [("answer" in (folder / name).read_text(encoding="utf-8")) for name in ("full.html", "brief.html")]
    [True, False]
    """
    from .._io import write_atomic

    path = _check_export_args(nb, path, brief, ".html")
    if brief:
        nb = _brief_notebook(nb)
    nb, lang = _for_readers(nb, brief)
    body, _ = _html_exporter(brief, lang).from_notebook_node(nb)
    write_atomic(path, _line_breaking(_with_alt_texts(nb, body)))


def export_pdf(nb, path: str | Path, *, brief: bool) -> str:
    """Write a PDF of `nb` with the system Chromium; returns a note (``"pdf skipped: ..."`` when impossible).

    The notebook is rendered with nbconvert's webpdf template and printed by :func:`krihs_analysis.pdf.print_pdf`.

    Parameters
    ----------
    nb
        A notebook node, e.g. ``nbformat.read(path, as_version=4)``.
    path
        The PDF file to write (a str or Path).
    brief
        True: the reader's version, without inputs, prompts, the parameters cells and cells tagged
        ``remove-in-brief``. False: the whole notebook.

    Returns
    -------
    str
        ``"pdf: headless <browser> (nbconvert webpdf template)"`` when written; ``"pdf skipped: no chromium"``
        without a browser; ``"pdf failed: <reason>"`` when the browser failed (a previous PDF stays in place).

    Raises
    ------
    ValueError
        `nb` is not a notebook node (read one with ``nbformat.read(path, as_version=4)``).
    OutputError
        `path` is a folder.
    OSError
        No space left on the device.

    Examples
    --------
    >>> from krihs_analysis.pdf import find_chromium
    >>> import pathlib, tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> nb = new_notebook(cells=[new_code_cell("print(6 * 7)", outputs=[new_output("stream", text="42")])])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tiny.pdf"
    >>> note = export_pdf(nb, out, brief=True)  # 'pdf: headless /usr/bin/chromium (nbconvert webpdf template)'
    >>> find_chromium() is None or (note.startswith("pdf: headless") and out.read_bytes()[:4] == b"%PDF")
    True
    """
    from ..pdf import find_chromium, print_pdf

    path = _check_export_args(nb, path, brief, ".pdf")
    chromium = find_chromium()
    if not chromium:
        return "pdf skipped: no chromium"
    if brief:
        nb = _brief_notebook(nb)
    nb, lang = _for_readers(nb, brief)
    exclude = {"exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True} if brief else {}
    from nbconvert import HTMLExporter

    # nbconvert's webpdf template, printed by the system Chromium (as webpdf does, without playwright).
    html, _ = HTMLExporter(template_name="webpdf", language_code=lang, **exclude).from_notebook_node(nb)
    try:
        print_pdf(_line_breaking(_with_alt_texts(nb, html)), path)
    except RuntimeError as exc:
        if is_disk_full(exc):
            raise OSError(errno.ENOSPC, f"No space left on device writing {path}") from exc
        return f"pdf failed: {exc}"
    return f"pdf: headless {chromium} (nbconvert webpdf template)"


def relativise_paths(nb_path: Path, replacements: Mapping[str, str]) -> None:
    """Show the run's final, relative output paths in an executed notebook instead of the temporary folder.

    The run executes inside ``reports/.<run-id>.partial/``; the injected-parameters cell and any printed output
    would otherwise name that folder, which no longer exists once the run is renamed into place.
    """
    import nbformat

    from .._io import write_atomic

    nb = nbformat.read(nb_path, as_version=4)
    changed = False

    def sub(text: str) -> str:
        for old, new in replacements.items():
            text = text.replace(repr(old), repr(new)).replace(old, new)
        return text

    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", []) or []
        if "injected-parameters" in tags:
            new = sub(cell.source)
            if new != cell.source:
                cell.source = new + "\n# paths relative to the run folder"
                changed = True
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if "text" in out and any(o in out["text"] for o in replacements):
                out["text"] = sub(out["text"])
                changed = True
    pm_meta = nb.metadata.get("papermill")
    if pm_meta:  # Papermill records where it wrote the notebook and with which parameters
        text = json.dumps(dict(pm_meta), ensure_ascii=False)
        new = text
        for old, rep in replacements.items():
            new = new.replace(json.dumps(old)[1:-1], json.dumps(rep)[1:-1])
        if new != text:
            nb.metadata["papermill"] = json.loads(new)
            changed = True
    if changed:
        write_atomic(nb_path, nbformat.writes(nb) + "\n")


def _disk_error(name: str, exc: BaseException, what: str) -> dict[str, Any]:
    return {"kind": "disk", "notebook": name, "cell_index": None, "execution_count": None,
            "ename": type(exc).__name__, "evalue": str(exc), "line": f"{type(exc).__name__}: {exc}",
            "message": f"{name}: no space left on the device writing {what}"}


#: What :func:`execute_run` reads from a run task (:func:`krihs_analysis.reports.runset._task` builds them).
_TASK_KEYS = ("name", "entry", "notebook", "output", "parameters", "kernel", "timeout", "start_timeout", "export",
              "run_dir")
_SHARD_KEYS = ("name", "entry", "notebook", "output", "parameters", "run_dir", "shard", "cards")


def execute_run(task: Mapping[str, Any]) -> dict[str, Any]:
    """Execute one planned run (a plain dict from the run set) and export it; returns its result record.

    Runs in a worker process: it quiets the process's logging for good (:func:`quiet_worker`). Never raises for
    notebook problems: they are reported in the record.

    Parameters
    ----------
    task
        One planned run, as the run set builds it: ``name``, ``entry``, ``notebook``, ``output`` (the file stem of
        the outputs), ``parameters``, ``kernel``, ``timeout``, ``start_timeout``, ``export`` (``html`` and
        ``brief_html``, true unless set; ``pdf``, false unless set; ``pdf_source``, ``brief`` unless set, or
        ``full``) and ``run_dir`` (the folder the outputs go to); optionally ``retries`` (1 by default),
        ``takes_out_dir`` (true: the notebook is also given ``out_dir=<run_dir>/figures/<output>``) and ``kind``
        (``cards_shard``: a shard of case cards, rendered without a kernel).

    Returns
    -------
    dict
        The record: ``name``, ``entry``, ``notebook``, ``output``, ``parameters``, ``kernel``, ``status`` (ok /
        failed), ``error`` (None, or a dict as :func:`execute_notebook` gives it, whose ``kind`` may also be
        ``output`` or ``export``), ``attempts``, ``notes``, ``outputs`` (paths relative to ``run_dir``), ``worker``,
        ``started``, ``ended`` and ``duration_s``.

    Raises
    ------
    ValueError
        `task` is not such a dict (a missing key, a timeout that is not a whole number of seconds); raised before
        anything is written or run.

    Examples
    --------
    >>> import nbformat, pathlib, tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from krihs_analysis.reports.pool import worker_pool
    >>> run_dir = pathlib.Path(tempfile.mkdtemp())
    >>> nbformat.write(new_notebook(cells=[new_code_cell("print(6 * 7)")]), run_dir / "tiny.ipynb")
    >>> task = {"name": "tiny", "entry": "tiny", "notebook": str(run_dir / "tiny.ipynb"), "output": "tiny",
    ...         "parameters": {}, "kernel": "krihs-analysis", "timeout": 60, "start_timeout": 60,
    ...         "export": {"html": True, "brief_html": False}, "run_dir": str(run_dir)}
    >>> with worker_pool(1) as pool:  # as the run set runs it: in a worker process, not in the caller's
    ...     record = pool.submit(execute_run, task).result()
    >>> record["status"], record["outputs"]
    ('ok', ['notebooks/tiny.ipynb', 'html/tiny.html'])
    """
    if not isinstance(task, Mapping):
        raise ValueError(f"task must be a dict describing one planned run (as the run set builds it), got "
                         f"{type(task).__name__}")
    kind = task.get("kind", "papermill")
    if not isinstance(kind, str) or kind not in ("papermill", "cards_shard"):  # (pd.NA: "ambiguous")
        raise ValueError(f"task['kind'] must be 'papermill' (a notebook run; the default) or 'cards_shard', got "
                         f"{kind!r:.60}")
    if kind == "cards_shard":
        from .cards import render_shard

        missing = [k for k in _SHARD_KEYS if k not in task]
        if missing:
            raise ValueError(f"task lacks the key(s) {', '.join(missing)}; a cards_shard task has "
                             f"{', '.join(_SHARD_KEYS)}")
        quiet_worker()
        return render_shard(task)
    missing = [k for k in _TASK_KEYS if k not in task]
    if missing:
        raise ValueError(f"task lacks the key(s) {', '.join(missing)}; a run task has {', '.join(_TASK_KEYS)} "
                         "(and optionally retries, takes_out_dir, kind)")
    from .._validate import check_count, check_flag, check_path, check_text  # here: _validate imports pandas
    from .config import _check_export, is_file_stem

    check_path(task["run_dir"], "task['run_dir']", example="'run_dir': 'reports/.20240101T000000Z-0a1b2c3d.partial'")
    check_path(task["notebook"], "task['notebook']", example="'notebook': 'notebooks/01_status.ipynb'")
    check_text(task["output"], "task['output']", example="'output': '01_status'")
    if not is_file_stem(task["output"]):  # the config's rule
        raise ValueError(f"task['output'] must be a file name stem without '/' (the run's files are named after "
                         f"it inside the run folder), got {task['output']!r}")
    for key in ("name", "entry"):
        check_text(task[key], f"task[{key!r}]", example=f"'{key}': 'case-data-overview-en'")
    check_text(task["kernel"], "task['kernel']", example="'kernel': 'krihs-analysis'")
    if not task["kernel"].strip():  # else execute_notebook refuses it later, after the loggers are quieted
        raise ValueError("task['kernel'] is empty; name an installed Jupyter kernel, e.g. 'kernel': 'krihs-analysis'")
    for key in ("parameters", "export"):
        if not isinstance(task[key], Mapping):
            raise ValueError(f"task[{key!r}] must be a dict, got {type(task[key]).__name__}")
    problems: list[str] = []
    _check_export(dict(task["export"]), "task", problems)  # the config's own rules: {'html': 'no'} is no flag
    if problems:
        raise ValueError("; ".join(problems))
    takes_out_dir = check_flag(task.get("takes_out_dir", False), "task['takes_out_dir']")
    timeout = check_count(task["timeout"], "task['timeout']", minimum=1)
    start_timeout = check_count(task["start_timeout"], "task['start_timeout']", minimum=1)
    retries = check_count(task.get("retries", 1), "task['retries']", minimum=0)
    quiet_worker()  # after the checks: a task refused above leaves the caller's loggers as they were
    t0 = time.time()
    run_dir = Path(task["run_dir"])
    output = task["output"]
    notebook = Path(task["notebook"])
    nb_out = run_dir / "notebooks" / f"{output}.ipynb"
    params = dict(task["parameters"])
    record: dict[str, Any] = {
        "name": task["name"], "entry": task["entry"], "notebook": str(notebook), "output": output,
        "parameters": dict(params), "kernel": task["kernel"], "status": "failed", "attempts": 0,
        "started": now_iso(), "notes": [], "outputs": [], "error": None,
    }
    fig_rel = f"figures/{output}"
    try:
        nb_out.parent.mkdir(parents=True, exist_ok=True)
        if takes_out_dir:
            (run_dir / fig_rel).mkdir(parents=True, exist_ok=True)
            params["out_dir"] = str(run_dir / fig_rel)
            record["parameters"]["out_dir"] = fig_rel
    except OSError as exc:
        record.update(error=_disk_error(notebook.name, exc, str(run_dir)) if is_disk_full(exc) else {
            "kind": "output", "notebook": notebook.name, "cell_index": None, "execution_count": None,
            "ename": type(exc).__name__, "evalue": str(exc), "line": str(exc),
            "message": f"{notebook.name}: cannot write {run_dir}: {exc.strerror or exc}"},
            ended=now_iso(), duration_s=round(time.time() - t0, 3))
        return record
    error, attempts, notes = execute_notebook(
        notebook, nb_out, parameters=params, kernel=task["kernel"], timeout=timeout, start_timeout=start_timeout,
        retries=retries)
    record["worker"] = f"{os.uname().nodename} pid {os.getpid()}"  # a Dask run overwrites it with the address
    record["attempts"] = [{**a, "worker": record["worker"]} for a in attempts]
    record["notes"].extend(notes)
    if nb_out.is_file() and (error is None or error["kind"] != "disk"):
        record["outputs"].append(rel(nb_out, run_dir))
        export = task["export"]
        try:
            relativise_paths(nb_out, {str(run_dir / fig_rel): fig_rel, str(run_dir) + os.sep: ""})
            import nbformat

            nb = nbformat.read(nb_out, as_version=4)
            if export.get("html", True):
                p = run_dir / "html" / f"{output}.html"
                export_html(nb, p, brief=False)
                record["outputs"].append(rel(p, run_dir))
            if export.get("brief_html", True):
                p = run_dir / "html" / f"{output}.brief.html"
                export_html(nb, p, brief=True)
                record["outputs"].append(rel(p, run_dir))
            if export.get("pdf") and error is None:
                p = run_dir / "pdf" / f"{output}.pdf"
                note = export_pdf(nb, p, brief=export.get("pdf_source", "brief") == "brief")
                record["notes"].append(note)
                if p.is_file():
                    record["outputs"].append(rel(p, run_dir))
        except Exception as exc:  # noqa: BLE001
            if is_disk_full(exc):
                error = _disk_error(notebook.name, exc, f"the exports of {output}")
            else:
                record["notes"].append(f"export failed: {type(exc).__name__}: {exc}")
                if error is None:
                    error = {"kind": "export", "notebook": notebook.name, "cell_index": None,
                             "execution_count": None, "ename": type(exc).__name__, "evalue": str(exc),
                             "line": f"{type(exc).__name__}: {exc}",
                             "message": f"{notebook.name}: export failed: {type(exc).__name__}: {exc}"}
    fig_dir = run_dir / fig_rel
    if fig_dir.is_dir():
        record["outputs"].extend(rel(p, run_dir) for p in sorted(fig_dir.rglob("*"))
                                 if p.is_file() and not p.name.startswith("."))
    record["status"] = "ok" if error is None else "failed"
    record["error"] = error
    record["ended"] = now_iso()
    record["duration_s"] = round(time.time() - t0, 3)
    return record


# --------------------------------------------------------------------------------------------------------------
# Dask: each task runs the worker in a fresh process (Dask runs tasks in threads), and leaves attempt markers on
# the shared file system so that the run set can tell which worker ran what, and which attempts were lost.


def _dask_worker_address() -> str | None:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


def execute_run_subprocess(task: Mapping[str, Any]) -> dict[str, Any]:
    """Dask task: run :func:`execute_run` in a fresh Python process; records this attempt's worker."""
    from .._io import write_atomic

    worker = _dask_worker_address()
    attempts_dir = Path(task["run_dir"]) / ".attempts"
    attempts_dir.mkdir(parents=True, exist_ok=True)
    n = len(list(attempts_dir.glob(f"{task['name']}.*.json"))) + 1
    marker = attempts_dir / f"{task['name']}.{n}.json"
    write_atomic(marker, json.dumps({"attempt": n, "worker": worker, "host": os.uname().nodename,
                                     "pid": os.getpid(), "started": now_iso(), "status": "running"}))
    # The hand-over files live in the run's own .attempts folder, not in /tmp: a worker killed mid-run (the case
    # this path exists for) cannot clean up after itself, and the run removes .attempts, or the whole partial
    # folder, whatever happened to the worker.
    tmp = attempts_dir / f"{task['name']}.{n}.tmp"
    tmp.mkdir(exist_ok=True)
    try:
        task_file, result_file = tmp / "task.json", tmp / "result.json"
        task_file.write_text(json.dumps(dict(task)), encoding="utf-8")
        parent = os.getpid()
        proc = subprocess.run([sys.executable, "-m", "krihs_analysis.reports", "_worker", str(task_file),
                               str(result_file)], capture_output=True, text=True,
                              preexec_fn=lambda: die_with_parent(parent))
        if result_file.is_file():
            rec = json.loads(result_file.read_text(encoding="utf-8"))
        else:
            line = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
            rec = crashed_record(task, f"worker process failed: {line}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rec["worker"] = worker
    write_atomic(marker, json.dumps({"attempt": n, "worker": worker, "host": os.uname().nodename, "pid": os.getpid(),
                                     "started": json.loads(marker.read_text())["started"], "ended": now_iso(),
                                     "status": rec["status"]}))
    return rec


def crashed_record(task: Mapping[str, Any], line: str) -> dict[str, Any]:
    name = Path(task["notebook"]).name
    return {"name": task["name"], "entry": task["entry"], "notebook": task["notebook"], "output": task["output"],
            "parameters": task["parameters"], "kernel": task["kernel"], "status": "failed",
            "attempts": [{"attempt": 1, "status": "worker", "error": line}],
            "notes": [], "outputs": [], "duration_s": None,
            "error": {"kind": "worker", "notebook": name, "cell_index": None, "execution_count": None,
                      "ename": "WorkerError", "evalue": line, "line": line, "message": f"{name}: {line}"}}
