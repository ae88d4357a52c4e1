"""Rebuild the drafted brief from an existing report run, without re-running the analysis notebooks.

This is the runner's job (it executes a notebook), so it lives here and not in :mod:`krihs_analysis.brief`,
which only writes sentences and documents.

The report run's brief notebook saved its result tables under ``figures/06_policy_brief_<lang>/results``; this
re-executes only ``notebooks/06_policy_brief.ipynb`` on those tables, through the report runner's worker (the
kernel, cell timeout, start timeout and retries of ``reports.yaml``), and exports HTML (without inputs) and PDF.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from .. import paths
from ..codebook import LANGS, check_lang

NOTEBOOK = "06_policy_brief.ipynb"


class BriefFailed(RuntimeError):
    """The brief notebook failed; ``.error`` is the worker's error record (cell, exception, message)."""

    def __init__(self, error: dict):
        self.error = error
        super().__init__(f"the brief notebook failed: {error.get('message')}")


def results_dir(run_dir: str | Path, lang: str) -> Path:
    """Where a run keeps the brief's results for `lang` (one of :data:`~krihs_analysis.codebook.LANGS`).

    Examples
    --------
    >>> results_dir("reports/latest", "en").as_posix()
    'reports/latest/figures/06_policy_brief_en/results'
    """
    from .._validate import check_path  # here: _validate imports pandas

    run_dir = check_path(run_dir, "run_dir", example="run_dir='reports/latest'")
    return run_dir / "figures" / f"06_policy_brief_{check_lang(lang)}" / "results"


def _run_sheet(run: Path, langs: Sequence[str]) -> str | None:
    """The case sheet the run's brief notebooks read (``data_path`` in ``run.json``); None for the sample."""
    import json

    try:
        meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    used = {str((r.get("parameters") or {}).get("data_path")) for r in meta.get("runs", [])
            if r.get("output") in {f"06_policy_brief_{lang}" for lang in langs}}
    used -= {"None", ""}  # the sample: data_path null, or empty (-p data_path= means the sample too)
    if len(used) > 1:
        raise ValueError(f"the brief runs of {run.name} read different case sheets ({sorted(used)}); pass "
                         "data_path (--data) for the one to rebuild with")
    return used.pop() if used else None


def rebuild(
    run_dir: str | Path | None = None,
    *,
    langs: Sequence[str] = LANGS,
    out_dir: str | Path | None = None,
    data_path: str | None = None,
    config: str | Path | None = None,
) -> list[Path]:
    """Re-execute the brief notebook on a run's saved results; return the files written.

    Parameters
    ----------
    run_dir
        A report run folder (``reports/latest`` by default).
    langs
        Brief languages (one string is one language: ``langs="en"``).
    out_dir
        Output folder (``<run>/brief`` by default).
    data_path
        The case sheet to read for the case counts and points (not re-analysed); None: the sheet the run itself
        used, as its ``run.json`` records it (the embedded sample when the run used it).
    config
        The report configuration whose ``defaults`` give kernel, timeouts and retries (``reports.yaml``).

    Raises
    ------
    FileNotFoundError
        No such run, no such case sheet, or the run saved no brief results for a language; checked for every
        language before anything runs.
    ValueError
        An unknown language, an empty `langs`, an argument of the wrong type.
    ConfigError
        The `config` given is missing or invalid.
    BriefFailed
        The notebook failed; nothing of that language was replaced.
    """
    import tempfile

    import nbformat

    from .._io import write_atomic
    from .refresh import runner_settings
    from .worker import execute_notebook, export_html, export_pdf, quiet_logs

    from .._validate import check_path, check_strings  # here: _validate imports pandas

    # Every argument is checked before anything runs or is written.
    langs = [check_lang(lang) for lang in check_strings(langs, "langs", example="langs=['en', 'ko']")]
    run_dir = check_path(run_dir, "run_dir", example="run_dir='reports/latest'") if run_dir is not None else None
    out_dir = check_path(out_dir, "out_dir", example="out_dir='brief'") if out_dir is not None else None
    data_path = (check_path(data_path, "data_path", example="data_path='data/raw/cases.xlsx'")
                 if data_path is not None else None)
    # Resolve in this process: the notebook runs in notebooks/, where relative paths would mean something else.
    run = (Path(run_dir) if run_dir is not None else paths.REPORTS / "latest").resolve()
    if not run.is_dir():
        raise FileNotFoundError(f"report run not found: {run}")
    data = str(Path(data_path).expanduser().resolve()) if data_path is not None else None
    if data is None:
        # The run's own sheet: the sample's cases drawn beside a coded run's statistics, and its pages stamped
        # "illustrative", was what a rebuild of a `report --data` run gave.
        data = _run_sheet(run, langs)
        if data is not None and not Path(data).is_file():
            raise FileNotFoundError(f"case sheet not found: {data} (the sheet {run.name}/run.json records for the "
                                    "brief); pass the sheet where it is now with data_path (--data)")
    if data is not None and not Path(data).is_file():
        raise FileNotFoundError(f"case sheet {data} is a folder; give the CSV/XLSX file" if Path(data).is_dir()
                                else f"case sheet not found: {data}")
    for lang in langs:
        saved = results_dir(run, lang)
        if not saved.is_dir():
            raise FileNotFoundError(f"{run.name} has no saved brief results for {lang!r} (expected {saved})")
    settings = runner_settings(config)
    out = Path(out_dir).resolve() if out_dir is not None else run / "brief"
    written: list[Path] = []
    for lang in langs:
        saved = results_dir(run, lang)
        stem = f"06_policy_brief_{lang}"
        # Build everything in a scratch folder; replace the previous brief only when all of it succeeded.
        with tempfile.TemporaryDirectory(prefix="krihs-brief-") as tmp:
            scratch = Path(tmp)
            with quiet_logs():  # this is the caller's process: its logging comes back as it was
                error, _, _ = execute_notebook(paths.NOTEBOOKS / NOTEBOOK, scratch / f"{stem}.ipynb",
                                               parameters={"lang": lang, "results_dir": str(saved),
                                                           "data_path": data},
                                               kernel=settings["kernel"], timeout=settings["timeout"],
                                               start_timeout=settings["start_timeout"], retries=settings["retries"],
                                               cwd=paths.NOTEBOOKS)
            if error is not None:
                raise BriefFailed(error)
            nb = nbformat.read(scratch / f"{stem}.ipynb", as_version=4)
            export_html(nb, scratch / f"{stem}.brief.html", brief=True)
            note = export_pdf(nb, scratch / f"{stem}.pdf", brief=True)
            if not (scratch / f"{stem}.pdf").is_file():
                print(f"{lang}: {note}", file=sys.stderr)
            for name in (f"{stem}.ipynb", f"{stem}.brief.html", f"{stem}.pdf"):
                if (scratch / name).is_file():
                    written.append(write_atomic(out / name, (scratch / name).read_bytes()))
    return written
