"""Rebuild the drafted brief from an existing report run, without re-running the analysis notebooks.

The report run's brief notebook saved its result tables under ``figures/06_policy_brief_<lang>/results``; this
re-executes only ``notebooks/06_policy_brief.ipynb`` on those tables and exports HTML (without inputs) and PDF.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from .. import paths
from .text import BRIEF_LANGS, check_brief_lang

NOTEBOOK = "06_policy_brief.ipynb"


def results_dir(run_dir: Path, lang: str) -> Path:
    """Where a run keeps the brief's results for `lang`."""
    return run_dir / "figures" / f"06_policy_brief_{lang}" / "results"


def rebuild(
    run_dir: str | Path | None = None,
    *,
    langs: Sequence[str] = BRIEF_LANGS,
    out_dir: str | Path | None = None,
    data_path: str | None = None,
) -> list[Path]:
    """Re-execute the brief notebook on a run's saved results; return the files written.

    Parameters
    ----------
    run_dir
        A report run folder (``reports/latest`` by default).
    langs
        Brief languages (``ko``, ``en``).
    out_dir
        Output folder (``<run>/brief`` by default).
    data_path
        The case sheet the run used (the sample when None); read for the case counts and points, not re-analysed.
    """
    import nbformat
    import papermill as pm

    from ..reports import export_html, export_pdf

    run = Path(run_dir) if run_dir is not None else paths.REPORTS / "latest"
    if not run.is_dir():
        raise FileNotFoundError(f"report run not found: {run}")
    out = Path(out_dir) if out_dir is not None else run / "brief"
    written: list[Path] = []
    for lang in langs:
        check_brief_lang(lang)
        saved = results_dir(run, lang)
        if not saved.is_dir():
            raise FileNotFoundError(f"{run.name} has no saved brief results for {lang!r} (expected {saved})")
        nb_path = out / f"06_policy_brief_{lang}.ipynb"
        out.mkdir(parents=True, exist_ok=True)
        pm.execute_notebook(paths.NOTEBOOKS / NOTEBOOK, nb_path, kernel_name="krihs-analysis",
                            parameters={"lang": lang, "results_dir": str(saved), "data_path": data_path},
                            cwd=str(paths.NOTEBOOKS), progress_bar=False, log_output=False)
        nb = nbformat.read(nb_path, as_version=4)
        html = out / f"06_policy_brief_{lang}.brief.html"
        export_html(nb, html, brief=True)
        written += [nb_path, html]
        pdf = out / f"06_policy_brief_{lang}.pdf"
        note = export_pdf(nb, pdf, brief=True)
        if pdf.is_file():
            written.append(pdf)
        else:
            print(f"{lang}: {note}", file=sys.stderr)
    return written
