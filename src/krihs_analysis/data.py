"""Case data: read and validate coded case sheets, build the processed data set, load context statistics.

A case sheet is a table with one row per case and one column per codebook variable. It may be CSV (UTF-8, UTF-8
with BOM, or CP949/EUC-KR as Korean Excel saves it) or XLSX, with headers in English, Korean or Japanese.
Validation collects every problem in one pass and reports it as Excel shows the sheet (the header is row 1).

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> cases = read_cases()                     # the embedded, illustrative sample
>>> cases.attrs["encoding"], len(cases)
('utf-8', 26)
>>> str(cases["integration"].dtype)
'category'
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import paths
from .codebook import NUMERIC_TYPES, Codebook, fold_header, load_codebook

PROBLEM_COLUMNS = ["file", "row", "column", "value", "expected"]
HEADER_ROW = 1
_INT_RE = r"^-?[0-9]+(\.0+)?$"
_NUM_RE = r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"


class CaseDataError(ValueError):
    """A case sheet that cannot be used, with every problem found.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem: ``file, row, column, value, expected``. ``row`` is the row number as Excel shows it
        (the header is row 1); 0 for problems with the file as a whole.
    """

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems.reset_index(drop=True)
        super().__init__(self._format())

    def _format(self) -> str:
        n = len(self.problems)
        files = ", ".join(dict.fromkeys(self.problems["file"].astype(str)))
        table = self.problems.copy()
        table["row"] = table["row"].map(lambda r: "-" if r == 0 else str(r))
        table["value"] = table["value"].map(_show_value)
        with pd.option_context("display.max_rows", 200, "display.max_colwidth", 70, "display.width", 200):
            body = table.to_string(index=False)
        return f"{n} problem{'s' if n != 1 else ''} in {files}:\n{body}"


def _show_value(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "(blank)"
    s = str(v)
    if s == "":
        return "(blank)"
    if s != s.strip():
        return repr(s)
    return s if len(s) <= 40 else s[:37] + "..."


def _problem(file: str, row: int, column: str, value: Any, expected: str) -> dict[str, Any]:
    return {"file": file, "row": int(row), "column": column, "value": value, "expected": expected}


def _raise(problems: list[dict[str, Any]]) -> None:
    if problems:
        frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
        frame = frame.sort_values(["file", "row"], kind="stable")
        raise CaseDataError(frame)


# --------------------------------------------------------------------------------------------------------------
# Reading raw cells


@dataclass(frozen=True)
class RawSheet:
    """A sheet as text cells, before any interpretation: what the user typed, for faithful error messages."""

    file: str
    header: list[str]
    rows: list[list[str]]
    encoding: str | None
    sheet: str | None


def _decode(data: bytes, name: str) -> tuple[str, str]:
    # Korean Excel saves "CSV" in CP949 (a superset of EUC-KR); "CSV UTF-8" adds a BOM. Try strict decodings in
    # an order where a wrong guess fails loudly instead of producing mojibake: valid CP949 Hangul is almost
    # never valid UTF-8, while UTF-8 Hangul is often valid CP949.
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" export
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError as exc:
        raise CaseDataError(
            pd.DataFrame(
                [_problem(name, 0, "-", f"byte {exc.start}", "a text file in UTF-8, UTF-8 with BOM or CP949/EUC-KR")],
                columns=PROBLEM_COLUMNS,
            )
        ) from None


def _file_problem(name: str, value: str, expected: str) -> CaseDataError:
    return CaseDataError(pd.DataFrame([_problem(name, 0, "-", value, expected)], columns=PROBLEM_COLUMNS))


def _read_csv_cells(path: Path) -> RawSheet:
    import csv

    name = path.name
    data = path.read_bytes()
    empty = "a header row naming the codebook's variables, then one row per case"
    if not data.strip():
        raise _file_problem(name, "(empty file)", empty)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise _file_problem(name, "binary content", "a CSV text table (save the sheet as CSV or XLSX)")
    text, encoding = _decode(data, name)
    if not text.strip():  # e.g. a byte-order mark and nothing else
        raise _file_problem(name, "(empty file)", empty)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        cells = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _file_problem(name, str(exc), "a well-formed CSV table") from None
    header, rows = cells[0], cells[1:]
    return RawSheet(name, header, rows, encoding, None)


def _cell_text(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (number_format or ""):
        # A cell shown as "45%" holds 0.45: take what the user sees, the percent.
        value = round(value * 100, 10)
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _read_xlsx_cells(path: Path, sheet: str | int | None) -> RawSheet:
    import zipfile

    from openpyxl import load_workbook

    name = path.name
    if path.stat().st_size == 0:
        raise _file_problem(name, "(empty file)", "an XLSX workbook with a header row and one row per case")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _file_problem(name, f"not a readable XLSX workbook ({type(exc).__name__})", "an .xlsx file saved by Excel") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            ws = wb[sheet]
    except (KeyError, IndexError):
        raise _file_problem(name, f"sheet {sheet!r}", f"one of the sheets {wb.sheetnames}") from None
    import xml.etree.ElementTree as ET

    try:
        cells = [[_cell_text(c.value, getattr(c, "number_format", "General")) for c in row] for row in ws.iter_rows()]
    except (ET.ParseError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _file_problem(name, f"not a readable XLSX worksheet ({type(exc).__name__})",
                            "an .xlsx file saved by Excel") from None
    finally:
        wb.close()
    if not cells:
        raise _file_problem(name, "(empty sheet)", "a header row naming the codebook's variables, then one row per case")
    return RawSheet(name, cells[0], cells[1:], None, ws.title)


def read_raw(path: str | Path, *, sheet: str | int | None = None) -> RawSheet:
    """Read a CSV or XLSX sheet as text cells, detecting the CSV encoding.

    Raises FileNotFoundError when the file does not exist and CaseDataError when it is not a table.

    Examples
    --------
    >>> raw = read_raw(paths.SAMPLE_CASES)
    >>> raw.encoding, raw.header[0]
    ('utf-8', 'case_id')
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"case sheet not found: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"expected a case sheet file, got a folder: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx_cells(path, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _read_csv_cells(path)
    if suffix == ".xls":
        raise _file_problem(path.name, "legacy .xls workbook", "save the sheet as .xlsx or CSV")
    raise _file_problem(path.name, f"file type {suffix!r}", "a .csv or .xlsx case sheet")


# --------------------------------------------------------------------------------------------------------------
# Validation


def _map_header(raw: RawSheet, cb: Codebook) -> tuple[dict[int, str], list[dict[str, Any]]]:
    aliases = cb.header_aliases()
    mapping: dict[int, str] = {}
    problems: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for j, head in enumerate(raw.header):
        if head.strip() == "":
            # Trailing empty header cells are an Excel artefact; complain only when the column holds data.
            if any(j < len(r) and r[j].strip() for r in raw.rows):
                problems.append(_problem(raw.file, HEADER_ROW, f"column {j + 1}", "", "a header naming a codebook variable"))
            continue
        name = aliases.get(fold_header(head))
        if name is None:
            problems.append(
                _problem(raw.file, HEADER_ROW, head, head, "a codebook variable name or its en/ko/ja label")
            )
        elif name in seen:
            problems.append(
                _problem(raw.file, HEADER_ROW, head, head, f"each variable once (already given as {seen[name]!r})")
            )
        else:
            seen[name] = head
            mapping[j] = name
    if not mapping:
        raise CaseDataError(
            pd.DataFrame(
                [_problem(raw.file, HEADER_ROW, "-", ", ".join(raw.header[:5])[:60],
                          "a case sheet: a header row of codebook variables (see `krihs-analysis template`)")],
                columns=PROBLEM_COLUMNS,
            )
        )
    for name in cb.required:
        if name not in seen:
            problems.append(_problem(raw.file, HEADER_ROW, name, "(missing column)", f"required column {name!r}"))
    return mapping, problems


def _expected(var) -> str:
    if var.levels:
        codes = ", ".join(map(str, var.codes))
        return f"one of {codes}"
    if var.type in NUMERIC_TYPES:
        kind = {"count": "a whole number", "year": "a year", "percent": "a number"}[var.type]
        lo, hi = var.min, var.max
        return f"{kind} from {lo:g} to {hi:g}" if lo is not None and hi is not None else kind
    if var.pattern:
        return f"text matching {var.pattern}"
    return "text"


def _range_check(pattern: str, lo: float | None, hi: float | None):
    def within_bounds(s: pd.Series) -> pd.Series:
        t = s.str.strip()
        num = pd.to_numeric(t.where(t.str.match(pattern)), errors="coerce")
        good = num.notna()
        if lo is not None:
            good &= num >= lo
        if hi is not None:
            good &= num <= hi
        return (s == "") | good

    return within_bounds


def _level_check(allowed: set[str]):
    def is_a_level(s: pd.Series) -> pd.Series:
        t = s.str.strip().str.replace(r"\.0+$", "", regex=True)
        return (s == "") | t.isin(allowed)

    return is_a_level


def _pattern_check(pattern: str):
    def fits_pattern(s: pd.Series) -> pd.Series:
        return (s == "") | s.str.strip().str.match(pattern)

    return fits_pattern


def _schema(cb: Codebook, columns: Sequence[str]):
    """A pandera schema over the text cells, generated from the codebook."""
    import pandera.pandas as pa

    def ok_text(s: pd.Series) -> pd.Series:
        return s.str.strip() == s

    cols = {}
    for name in columns:
        var = cb[name]
        checks = [pa.Check(ok_text, element_wise=False, name="no leading or trailing spaces")]
        if var.required:
            checks.append(pa.Check(lambda s: s != "", element_wise=False, name="a value (required)"))
        if var.levels:
            allowed = {str(c) for c in var.codes}
            checks.append(pa.Check(_level_check(allowed), element_wise=False, name=_expected(var)))
        elif var.type in NUMERIC_TYPES:
            pattern = _INT_RE if var.type in ("count", "year") else _NUM_RE
            checks.append(pa.Check(_range_check(pattern, var.min, var.max), element_wise=False, name=_expected(var)))
        elif var.pattern:
            checks.append(pa.Check(_pattern_check(var.pattern), element_wise=False, name=_expected(var)))
        if name == "case_id":
            checks.append(pa.Check(lambda s: ~s.str.strip().duplicated(keep=False) | (s == ""), element_wise=False,
                                   name="a case id not used in another row"))
        cols[name] = pa.Column(str, checks=checks, nullable=False)
    return pa.DataFrameSchema(cols, strict=False, coerce=False)


def _validate_cells(raw: RawSheet, cb: Codebook) -> pd.DataFrame:
    mapping, problems = _map_header(raw, cb)
    width = len(raw.header)
    # Data rows: the sheet's row numbers, blank rows dropped (but reported unless they trail the table).
    last = max((i for i, r in enumerate(raw.rows) if any(c.strip() for c in r)), default=-1)
    records, rownums = [], []
    for i, row in enumerate(raw.rows[: last + 1]):
        excel_row = i + 2
        if not any(c.strip() for c in row):
            problems.append(_problem(raw.file, excel_row, "-", "(blank row)", "a case on every row: delete the blank row"))
            continue
        extra = next((j for j in range(width, len(row)) if row[j].strip()), None)
        if extra is not None:
            problems.append(_problem(raw.file, excel_row, f"column {extra + 1}", row[extra],
                                     "no cells beyond the header's columns"))
        row = (row + [""] * width)[:width]
        records.append({name: row[j] for j, name in mapping.items()})
        rownums.append(excel_row)
    if not records and not problems:
        problems.append(_problem(raw.file, 2, "-", "(no data rows)", "at least one case below the header"))
    cells = pd.DataFrame.from_records(records, columns=list(mapping.values()), index=pd.Index(rownums, name="row"))
    cells = cells.astype(str)

    if len(cells):
        import pandera.errors as pe

        schema = _schema(cb, list(cells.columns))
        try:
            schema.validate(cells, lazy=True)
        except pe.SchemaErrors as err:
            fc = err.failure_cases
            for rec in fc.itertuples(index=False):
                column = rec.column
                index = rec.index
                if index is None or (isinstance(index, float) and np.isnan(index)):
                    # Every check is element-wise over text cells, so a failure without a row is a check that
                    # could not run: a bug here, not a problem in the user's sheet.
                    raise RuntimeError(f"validation check {rec.check!r} on {column!r} failed to run: {rec.failure_case}")
                problems.append(_problem(raw.file, int(index), str(column), cells.at[int(index), column], str(rec.check)))
        problems.extend(_cross_checks(raw.file, cells))
    _raise(problems)
    return cells


def _cross_checks(file: str, cells: pd.DataFrame) -> list[dict[str, Any]]:
    """Checks that relate two columns of one row."""
    out = []
    if "case_id" in cells and "country" in cells:
        prefix = cells["case_id"].str.strip().str.slice(0, 2)
        country = cells["country"].str.strip()
        bad = (prefix != country) & country.isin(["KR", "JP"]) & prefix.isin(["KR", "JP"])
        for row in cells.index[bad]:
            out.append(_problem(file, row, "country", cells.at[row, "country"],
                                f"{prefix[row]} (the case id {cells.at[row, 'case_id']} starts with it)"))
    if "municipality_code" in cells and "country" in cells:
        code = cells["municipality_code"].str.strip()
        jp = (cells["country"].str.strip() == "JP") & code.str.fullmatch(r"[0-9]+")
        for row in cells.index[jp & ~code.map(is_jp_local_government_code)]:
            out.append(_problem(file, row, "municipality_code", cells.at[row, "municipality_code"],
                                "a Japanese local government code: 6 digits with a valid check digit "
                                "(a lost leading zero? format the column as Text)"))
    return out


def is_jp_local_government_code(code: str) -> bool:
    """True for a 6-digit Japanese local government code (団体コード) whose sixth digit checks the first five.

    The check digit is the last digit of 11 minus (the weighted sum of digits 1-5 with weights 6, 5, 4, 3, 2)
    modulo 11 (MIC's rule for 全国地方公共団体コード).

    Examples
    --------
    >>> is_jp_local_government_code("342149"), is_jp_local_government_code("63827")
    (True, False)
    """
    if len(code) != 6 or not code.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10 == int(code[5])


def _typed(cells: pd.DataFrame, cb: Codebook) -> pd.DataFrame:
    out = {}
    for name in cb.names:
        if name not in cells:
            continue
        var = cb[name]
        s = cells[name].str.strip()
        if var.type == "ordinal":
            codes = pd.to_numeric(s.replace("", np.nan), errors="raise")
            out[name] = pd.Categorical(codes, categories=list(var.codes), ordered=True)
        elif var.type == "binary":
            out[name] = pd.to_numeric(s, errors="raise").astype("int64")
        elif var.type == "category":
            out[name] = pd.Categorical(s, categories=list(var.codes), ordered=False)
        elif var.type in NUMERIC_TYPES:
            num = pd.to_numeric(s.replace("", np.nan), errors="raise").astype("float64")
            out[name] = num.astype("int64") if var.required and var.type != "percent" else num
        else:
            out[name] = s.astype("str")
    frame = pd.DataFrame(out, index=cells.index)
    frame = frame.reset_index(names="source_row")
    # Optional columns absent from the sheet are added empty so that every consumer sees the same columns.
    for name in cb.names:
        if name not in frame:
            var = cb[name]
            frame[name] = np.nan if var.type in NUMERIC_TYPES else pd.Series([""] * len(frame), dtype="str")
    return frame[[*cb.names, "source_row"]]


def read_cases(
    path: str | Path | None = None,
    *,
    sheet: str | int | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Read, validate and type a case-coding sheet.

    Parameters
    ----------
    path
        CSV (UTF-8, UTF-8 with BOM, CP949/EUC-KR) or XLSX file. The embedded illustrative sample when None.
    sheet
        XLSX only: sheet name or 0-based index (the first sheet by default).
    codebook
        The codebook to validate against (the package's own by default).

    Returns
    -------
    pandas.DataFrame
        One row per case, columns in codebook order plus ``source_row`` (the row number in the sheet).
        Ordinal codes are ordered categoricals over 0..3; categories are categoricals over the codebook's
        levels; binary codes are int64; counts, years and percents are numbers (float64 where blanks are
        allowed); text is ``str``. ``.attrs`` holds ``source`` (file name), ``encoding`` (the one detected,
        None for XLSX), ``sheet`` and ``illustrative`` (True when any row's ``data_status`` is illustrative).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    CaseDataError
        The sheet has problems: ``.problems`` lists all of them (file, row, column, value, expected).

    Examples
    --------
    >>> cases = read_cases()
    >>> cases.groupby("country", observed=True).size().to_dict()
    {'KR': 14, 'JP': 12}
    """
    cb = codebook or load_codebook()
    raw = read_raw(path if path is not None else paths.SAMPLE_CASES, sheet=sheet)
    cells = _validate_cells(raw, cb)
    cases = _typed(cells, cb)
    cases.attrs.update(
        source=raw.file,
        encoding=raw.encoding,
        sheet=raw.sheet,
        illustrative=bool((cases["data_status"] == "illustrative").any()),
    )
    return cases


def is_illustrative(cases: pd.DataFrame) -> bool:
    """True when any case in `cases` is marked illustrative (``data_status``), or the frame says so.

    Examples
    --------
    >>> is_illustrative(read_cases())
    True
    """
    if "data_status" in cases:
        return bool((cases["data_status"].astype(str) == "illustrative").any())
    return bool(cases.attrs.get("illustrative", False))


def numeric_codes(cases: pd.DataFrame, variables: Iterable[str]) -> pd.DataFrame:
    """The given coded columns as float64 (ordinal categoricals become their integer codes; blanks NaN).

    Examples
    --------
    >>> numeric_codes(read_cases(), ["integration"]).dtypes.iloc[0]
    dtype('float64')
    """
    return pd.DataFrame({v: cases[v].astype("float64") for v in variables}, index=cases.index)


def core_task_indices(cases: pd.DataFrame, *, codebook: Codebook | None = None) -> pd.DataFrame:
    """Compute the four core-task indices (the mean of each task's 0-3 items) for every case.

    Returns
    -------
    pandas.DataFrame
        A new frame: ``case_id`` and one float column per core task (``task1_capacity`` ...), same rows.

    Examples
    --------
    >>> idx = core_task_indices(read_cases())
    >>> list(idx.columns)
    ['case_id', 'task1_capacity', 'task2_government', 'task3_planning', 'task4_intermediary']
    """
    cb = codebook or load_codebook()
    out = pd.DataFrame({"case_id": cases["case_id"].to_numpy()}, index=cases.index)
    for task in cb.core_tasks:
        items = list(cb.items_for_task(task))
        missing = [i for i in items if i not in cases.columns]
        if missing:
            raise ValueError(f"cannot compute {task}: columns {missing} are missing from the case data")
        out[task] = numeric_codes(cases, items).mean(axis=1)
    return out


def to_long(cases: pd.DataFrame, *, variables: Sequence[str] | None = None,
            id_vars: Sequence[str] = ("case_id", "country", "programme")) -> pd.DataFrame:
    """Melt coded variables to long form: ``case_id, country, programme, variable, value`` (float codes).

    Examples
    --------
    >>> to_long(read_cases(), variables=["integration"]).shape
    (26, 5)
    """
    cb = load_codebook()
    variables = list(variables) if variables is not None else [*cb.conditions, "sustainability"]
    wide = pd.concat([cases[list(id_vars)].astype(str), numeric_codes(cases, variables)], axis=1)
    return wide.melt(id_vars=list(id_vars), var_name="variable", value_name="value")


# --------------------------------------------------------------------------------------------------------------
# Building the processed data set


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write `data` to `path` through a temporary file in the same folder and an atomic rename.

    A crash half-way leaves the previous file untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_atomic(pathlib.Path(tempfile.mkdtemp()) / "x.txt", "hello")
    >>> p.read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; outputs are ordinary files, readable as the umask allows.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
    codebook: Codebook | None = None,
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
    from . import __version__

    cb = codebook or load_codebook()
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
    processed = pd.concat([cases, indices], axis=1)
    out = Path(out_dir) if out_dir is not None else paths.DATA_PROCESSED
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
    items = [raw] if isinstance(raw, (str, Path)) else list(raw)
    out: list[Path] = []
    for item in items:
        p = Path(item)
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

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = build(out_dir=d)
    >>> len(read_processed(d / "cases.parquet"))
    26
    """
    p = Path(path) if path is not None else paths.DATA_PROCESSED / "cases.parquet"
    manifest = p.with_name("manifest.json")
    if manifest.is_file():
        expected = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {}).get(p.name)
        if expected and sha256_file(p) != expected:
            raise ValueError(f"{p} does not match {manifest.name} (an interrupted build?): run `krihs-analysis build`")
    return pd.read_parquet(p)


# --------------------------------------------------------------------------------------------------------------
# Context statistics


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
