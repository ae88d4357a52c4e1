"""Building the processed data set (``cases.parquet`` + ``manifest.json``) from raw sheets."""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from .._io import sha256_file, write_atomic
from .._validate import check_path
from ..codebook import Codebook, as_codebook
from .errors import PROBLEM_COLUMNS, CaseDataError, _problem
from .schema import read_cases
from .tidy import core_task_indices, default_clusters, is_illustrative


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)
    return buf.getvalue()


def build(
    raw: str | Path | Sequence[str | Path] | None = None,
    *,
    out_dir: str | Path | None = None,
    codebook: Codebook | str | Path | None = None,
) -> dict[str, Any]:
    """Validate raw case sheets and write ``cases.parquet`` and ``manifest.json``.

    Several sheets are stacked (case ids must stay unique across them). Nothing is written unless every sheet
    validates. Outputs depend only on the inputs, the codebook and the package version, so a rebuild from
    unchanged inputs gives byte-identical files.

    Parameters
    ----------
    raw
        One sheet, several sheets, or a folder (every ``cases*.csv``/``*.xlsx`` in it). The sample by default.
    out_dir
        Output folder, ``data/processed`` by default.
    codebook : Codebook, path or None
        The codebook the sheets are validated against and whose version the manifest records: the package's own
        when None, a YAML file when a path.

    Returns
    -------
    dict
        The manifest that was written.

    Examples
    --------
    >>> import tempfile
    >>> build(out_dir=tempfile.mkdtemp())["rows"]
    26
    """
    from .. import __version__

    # every argument is checked before a sheet is read, so a bad out_dir does not wait for the validation
    out = (check_path(out_dir, "out_dir", example="out_dir='data/processed'") if out_dir is not None
           else paths.DATA_PROCESSED)
    cb = as_codebook(codebook)
    sources = _expand_raw(raw)
    frames, inputs, problems = [], [], []
    for src in sources:
        try:
            frame = read_cases(src, codebook=cb)
        except CaseDataError as err:
            problems.append(err.problems)
            continue
        frames.append(frame.assign(source_file=src.name))
        inputs.append({"file": src.name, "sha256": sha256_file(src), "bytes": src.stat().st_size,
                       "encoding": frame.attrs["encoding"], "rows": len(frame)})
    if problems:
        raise CaseDataError(pd.concat(problems, ignore_index=True))
    cases = pd.concat(frames, ignore_index=True)
    dup = cases["case_id"].duplicated(keep=False)
    if dup.any():
        raise CaseDataError(pd.DataFrame(
            [_problem(r.source_file, r.source_row, "case_id", r.case_id, "a case id not used in another sheet")
             for r in cases[dup].itertuples()], columns=PROBLEM_COLUMNS))
    indices = core_task_indices(cases, codebook=cb).drop(columns="case_id")
    processed = pd.concat([cases, indices, default_clusters(cases)], axis=1)
    manifest = {
        "package_version": __version__,
        "codebook_version": cb.version,
        "inputs": inputs,
        "rows": len(processed),
        "rows_by_country": {str(k): int(v) for k, v in processed.groupby("country", observed=True).size().items()},
        "columns": list(processed.columns),
        "illustrative": is_illustrative(processed),
        "outputs": {},
    }
    parquet = _parquet_bytes(processed)
    manifest["outputs"]["cases.parquet"] = hashlib.sha256(parquet).hexdigest()
    # The pair is replaced together: both files are fully written to temporaries first (a full disk fails
    # here, before anything is replaced), then renamed; read_processed checks that the two still match.
    staged: list[tuple[Path, Path]] = []
    try:
        staged.append(_stage(out / "cases.parquet", parquet))
        staged.append(_stage(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return manifest


def _stage(path: Path, data: bytes | str) -> tuple[Path, Path]:
    """Write `data` to a hidden temporary file beside `path`; return (temporary, final)."""
    tmp = path.with_name(f".{path.name}.staged")
    write_atomic(tmp, data)
    return tmp, path


def _expand_raw(raw: str | Path | Sequence[str | Path] | None) -> list[Path]:
    if raw is None:
        return [paths.SAMPLE_CASES]
    example = "raw='data/raw/cases.csv' or raw=['cases_kr.csv', 'cases_jp.xlsx']"
    if isinstance(raw, (str, os.PathLike)):
        items = [raw]
    elif isinstance(raw, Iterable) and not isinstance(raw, (bytes, Mapping, pd.DataFrame)):
        items = list(raw)
        if not items:  # pd.concat of nothing said only "No objects to concatenate"
            raise ValueError(f"raw is empty; give at least one case sheet or folder, e.g. {example}")
    else:
        items = [raw]  # one thing that is not a path: check_path below says what it is
    hint = " (that is case data already: pass it to the analysis functions as it is)" if hasattr(raw, "columns") else ""
    out: list[Path] = []
    for item in items:
        p = check_path(item, "raw", example=example, hint=hint)
        if p.is_dir():
            found = sorted([*p.glob("cases*.csv"), *p.glob("cases*.xlsx")])
            if not found:
                raise FileNotFoundError(f"no case sheets (cases*.csv, cases*.xlsx) in {p}")
            out.extend(found)
        elif not p.exists():
            raise FileNotFoundError(f"case sheet not found: {p}")
        else:
            out.append(p)
    return out


def read_processed(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``cases.parquet`` written by :func:`build` (``data/processed`` by default), checked against the
    sha256 its ``manifest.json`` records.

    Parameters
    ----------
    path
        The parquet file, or the folder :func:`build` wrote it into; ``data/processed/cases.parquet`` when None.
        The ``manifest.json`` beside it, when there is one, must record the file's sha256.

    Returns
    -------
    pandas.DataFrame
        The processed cases: the validated columns, ``source_file``, the four core-task indices and ``cluster``.

    Raises
    ------
    ValueError
        The file does not match its manifest (an interrupted build?), or is not a ``.parquet`` file (a case
        sheet: :func:`read_cases` reads those).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = build(out_dir=d)
    >>> len(read_processed(d / "cases.parquet"))
    26
    """
    p = (check_path(path, "path", example="path='data/processed/cases.parquet'") if path is not None
         else paths.DATA_PROCESSED / "cases.parquet")
    if p.is_dir():  # the folder build(out_dir=...) wrote: its file is meant
        p = p / "cases.parquet"
    if p.suffix.lower() != ".parquet":
        raise ValueError(f"read_processed reads the cases.parquet that build() writes, got {p}; read a case sheet "
                         "with read_cases(path), or pass the folder or file build wrote")
    manifest = p.with_name("manifest.json")
    if manifest.is_file():
        expected = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {}).get(p.name)
        if expected and sha256_file(p) != expected:
            raise ValueError(f"{p} does not match {manifest.name} (an interrupted build?): run `krihs-analysis build`")
    return pd.read_parquet(p)
