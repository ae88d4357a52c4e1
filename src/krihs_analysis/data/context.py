"""Published context statistics (``data/raw/context/``), each row with its source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths


def context_sources(context_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The catalogue of published context statistics (``data/raw/context/sources.yaml``).

    Examples
    --------
    >>> sorted(context_sources())
    ['jp_fiscal_fy2021', 'kr_extinction_risk', 'rmo_survey']
    """
    import yaml

    folder = Path(context_dir) if context_dir is not None else paths.CONTEXT
    with open(folder / "sources.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_context(name: str, *, context_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one published context table with its source.

    Parameters
    ----------
    name
        ``rmo_survey`` (MIC survey of regional management organisations), ``jp_fiscal_fy2021`` (fiscal indicators
        of the Japanese case municipalities) or ``kr_extinction_risk``.

    Returns
    -------
    pandas.DataFrame
        The table; every row carries its ``source``. ``.attrs`` holds ``title`` and ``source`` (en/ko/ja).

    Examples
    --------
    >>> read_context("rmo_survey")["organisations"].tolist()
    [3071, 4787, 5236, 6064, 7207]
    """
    folder = Path(context_dir) if context_dir is not None else paths.CONTEXT
    catalogue = context_sources(folder)
    if name not in catalogue:
        raise ValueError(f"unknown context table {name!r}; available: {', '.join(sorted(catalogue))}")
    entry = catalogue[name]
    frame = pd.read_csv(folder / entry["file"], dtype={"code": str}, encoding="utf-8")
    if "source" not in frame or frame["source"].isna().any():
        raise ValueError(f"{entry['file']}: every row needs a 'source'")
    frame.attrs.update(name=name, title=entry["title"], source=entry["source"], notes=entry.get("notes", ""))
    return frame
