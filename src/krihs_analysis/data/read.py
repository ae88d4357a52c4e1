"""Reading a case sheet as text cells (CSV in UTF-8/BOM/CP949/UTF-16, XLSX), before any interpretation."""

from __future__ import annotations

import io
import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import PROBLEM_COLUMNS, CaseDataError, _file_problem, _problem


@dataclass(frozen=True)
class RawSheet:
    """A sheet as text cells, before any interpretation: what the user typed, for faithful error messages."""

    file: str
    header: list[str]
    rows: list[list[str]]
    encoding: str | None
    sheet: str | None

    @property
    def table(self) -> pd.DataFrame:
        """The cells as a DataFrame of text, one column per header cell (a row longer than the header gets
        columns named by their position, a shorter one empty cells), the sheet's row numbers as its index.

        Examples
        --------
        >>> from krihs_analysis import paths
        >>> raw = read_raw(paths.SAMPLE_CASES)
        >>> raw.table.loc[2, "case_id"], raw.table.index[0]
        ('KR-P1-A', 2)
        """
        width = max([len(self.header), *map(len, self.rows)])
        columns = [*self.header, *(f"(column {k + 1})" for k in range(len(self.header), width))]
        cells = [[*row, *[""] * (width - len(row))] for row in self.rows]
        index = pd.RangeIndex(2, 2 + len(cells), name="row")  # row 1 is the header, as the user sees the sheet
        return pd.DataFrame(cells, columns=columns, index=index, dtype="str")


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
            # The first sheet a person sees: a hidden first sheet (an old copy, a lookup list) was read instead of
            # the visible case sheet, and validated without a word.
            visible = [w for w in wb.worksheets if getattr(w, "sheet_state", "visible") == "visible"]
            ws = (visible or wb.worksheets)[0]
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


def sheet_path(path: Any) -> Path:
    """`path` as a Path, or a ValueError when it is not a file path (a DataFrame already read, a list ...).

    Examples
    --------
    >>> sheet_path("cases.csv").name
    'cases.csv'
    """
    from .._validate import check_path

    hint = " (that is case data already: use it as it is)" if hasattr(path, "columns") else ""
    return check_path(path, "path", example="path='cases.csv' (a CSV or XLSX case sheet)", hint=hint)


def check_sheet(sheet: Any) -> str | int | None:
    """A worksheet's name, its 0-based position (numpy integers too, returned as ``int``) or None; else a
    ValueError that says what to pass.

    Examples
    --------
    >>> check_sheet("cases"), check_sheet(0), check_sheet(None)
    ('cases', 0, None)
    """
    if isinstance(sheet, numbers.Integral) and not isinstance(sheet, bool) and sheet >= 0:
        return int(sheet)
    if sheet is not None and not isinstance(sheet, str):  # True would read the second sheet, -1 the last
        raise ValueError(f"sheet must be a worksheet's name or its position (0 is the first), got {sheet!r:.80}; "
                         "pass e.g. sheet='cases' or sheet=0")
    return sheet


def read_raw(path: str | Path, *, sheet: str | int | None = None) -> RawSheet:
    """Read a CSV or XLSX sheet as text cells, detecting the CSV encoding.

    Parameters
    ----------
    path
        A case sheet: CSV (also ``.txt``, ``.tsv`` or no suffix; comma, semicolon or tab separated; UTF-8, UTF-8
        with BOM, UTF-16 or CP949/EUC-KR) or an XLSX workbook (``.xlsx``, ``.xlsm``).
    sheet
        The worksheet of an XLSX workbook, by name or by position (0 is the first); the first visible one when
        None (hidden sheets are skipped, as a person opening the workbook skips them). Only
        for workbooks: giving it for a CSV file is an error.

    Returns
    -------
    RawSheet
        The header and rows as text, the file name, the detected encoding (CSV; None for XLSX) and the sheet's
        name (XLSX; None for CSV).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    IsADirectoryError
        `path` is a folder.
    CaseDataError
        The file is not a readable table (empty, binary, a legacy ``.xls``, an unknown type or sheet ...).
    ValueError
        `path` is not a file path, or `sheet` is given for a CSV file.

    Examples
    --------
    >>> from krihs_analysis import paths
    >>> raw = read_raw(paths.SAMPLE_CASES)
    >>> raw.encoding, raw.header[0]
    ('utf-8', 'case_id')
    """
    path = sheet_path(path)
    if not path.exists():
        raise FileNotFoundError(f"case sheet not found: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"expected a case sheet file, got a folder: {path}")
    sheet = check_sheet(sheet)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx_cells(path, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        if sheet is not None:  # else silently ignored: the user may believe another sheet was read
            raise ValueError(f"{path.name}: sheet={sheet!r} applies to XLSX workbooks only; a CSV file has one sheet")
        return _read_csv_cells(path)
    if suffix == ".xls":
        raise _file_problem(path.name, "legacy .xls workbook", "save the sheet as .xlsx or CSV")
    raise _file_problem(path.name, f"file type {suffix!r}", "a .csv or .xlsx case sheet")
