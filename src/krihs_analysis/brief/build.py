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
    import tempfile

    import nbformat
    import papermill as pm

    from .._io import write_atomic
    from ..reports import export_html, export_pdf

    # Resolve in this process: the notebook runs in notebooks/, where relative paths would mean something else.
    run = (Path(run_dir) if run_dir is not None else paths.REPORTS / "latest").resolve()
    if not run.is_dir():
        raise FileNotFoundError(f"report run not found: {run}")
    data = str(Path(data_path).resolve()) if data_path is not None else None
    out = Path(out_dir).resolve() if out_dir is not None else run / "brief"
    written: list[Path] = []
    for lang in langs:
        check_brief_lang(lang)
        saved = results_dir(run, lang)
        if not saved.is_dir():
            raise FileNotFoundError(f"{run.name} has no saved brief results for {lang!r} (expected {saved})")
        stem = f"06_policy_brief_{lang}"
        # Build everything in a scratch folder; replace the previous brief only when all of it succeeded.
        with tempfile.TemporaryDirectory(prefix="krihs-brief-") as tmp:
            scratch = Path(tmp)
            pm.execute_notebook(paths.NOTEBOOKS / NOTEBOOK, scratch / f"{stem}.ipynb", kernel_name="krihs-analysis",
                                parameters={"lang": lang, "results_dir": str(saved), "data_path": data},
                                cwd=str(paths.NOTEBOOKS), progress_bar=False, log_output=False)
            nb = nbformat.read(scratch / f"{stem}.ipynb", as_version=4)
            export_html(nb, scratch / f"{stem}.brief.html", brief=True)
            note = export_pdf(nb, scratch / f"{stem}.pdf", brief=True)
            if not (scratch / f"{stem}.pdf").is_file():
                print(f"{lang}: {note}", file=sys.stderr)
            for name in (f"{stem}.ipynb", f"{stem}.brief.html", f"{stem}.pdf"):
                if (scratch / name).is_file():
                    written.append(write_atomic(out / name, (scratch / name).read_bytes()))
    return written
