"""Default locations, anchored on the project root (never on the working directory).

The root is the folder holding this project's ``pyproject.toml``, found from the package's own location; set
``KRIHS_ROOT`` to point an installed (non-editable) package at a checkout.

Examples
--------
>>> from krihs_analysis import paths
>>> paths.SAMPLE_CASES.name
'cases_sample.csv'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _find_root() -> Path:
    env = os.environ.get("KRIHS_ROOT")
    if env:
        return Path(env).resolve()
    for parent in PACKAGE_DIR.parents:
        pyproject = parent / "pyproject.toml"
        if pyproject.is_file() and 'name = "krihs-analysis"' in pyproject.read_text(encoding="utf-8"):
            return parent
    # Installed without a checkout: fall back to the package folder so that nothing writes into site-packages'
    # parent by accident; callers then pass explicit paths.
    return PACKAGE_DIR


ROOT = _find_root()
DATA_RAW = ROOT / "data" / "raw"
DATA_PROCESSED = ROOT / "data" / "processed"
CONTEXT = DATA_RAW / "context"
SAMPLE_CASES = DATA_RAW / "cases_sample.csv"
REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"
REPORTS_CONFIG = ROOT / "reports.yaml"
