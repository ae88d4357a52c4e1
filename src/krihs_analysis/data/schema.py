"""Validation and typing of a case sheet against the codebook; :func:`read_cases`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import paths
from ..codebook import NUMERIC_TYPES, Codebook, as_codebook, fold_header, load_codebook
from .errors import HEADER_ROW, PROBLEM_COLUMNS, CaseDataError, _INT_RE, _NUM_RE, _problem, _raise
from .read import RawSheet, read_raw


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


# The checks test one cell at a time in plain Python: a case sheet has tens to hundreds of rows, where each of
# pandas' vectorised string methods costs more in fixed overhead (about 0.2 ms a call, twice per check) than a loop.
def _cellwise(ok: Callable[[str], bool], *, blank_ok: bool = True) -> Callable[[pd.Series], pd.Series]:
    def check(s: pd.Series) -> pd.Series:
        return pd.Series([(blank_ok and v == "") or ok(v) for v in s], index=s.index, dtype=bool)

    return check


def _range_check(pattern: str, lo: float | None, hi: float | None):
    rx = re.compile(pattern)

    def within_bounds(v: str) -> bool:
        t = v.strip()
        if not rx.match(t):
            return False
        x = float(t)
        return (lo is None or x >= lo) and (hi is None or x <= hi)

    return _cellwise(within_bounds)


def _level_check(allowed: set[str]):
    def is_a_level(v: str) -> bool:
        return re.sub(r"\.0+$", "", v.strip()) in allowed

    return _cellwise(is_a_level)


def _pattern_check(pattern: str):
    rx = re.compile(pattern)
    return _cellwise(lambda v: rx.match(v.strip()) is not None)


def _schema(cb: Codebook, columns: Sequence[str]):
    """A pandera schema over the text cells, generated from the codebook."""
    import pandera.pandas as pa

    ok_text = _cellwise(lambda v: v.strip() == v, blank_ok=False)
    given = _cellwise(lambda v: v != "", blank_ok=False)

    cols = {}
    for name in columns:
        var = cb[name]
        checks = [pa.Check(ok_text, element_wise=False, name="no leading or trailing spaces")]
        if var.required:
            checks.append(pa.Check(given, element_wise=False, name="a value (required)"))
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
        # No dtype check: the cells were made `str` just before validation, and the check cost a third of it.
        cols[name] = pa.Column(None, checks=checks, nullable=False)
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
                value = cells.at[int(index), column]
                kind = cb[str(column)].type if str(column) in cb else None
                problems.append(_problem(raw.file, int(index), str(column), value,
                                         str(rec.check) + _hint(value, kind)))
        problems.extend(_cross_checks(raw.file, cells))
        problems.extend(_lost_characters(raw.file, cells))
    _raise(problems)
    return cells


def _hint(value: str, kind: str | None) -> str:
    """What a cell that looks right but is refused has instead: full-width Latin letters or digits (２ looks like 2),
    or a date in a year column (a cell formatted as a date shows 2015 and holds 2015-01-01)."""
    import re

    # U+FF01-FF5E are the full-width forms of ASCII '!'..'~', 0xFEE0 above them; nothing else is "full width"
    if any("\uff01" <= ch <= "\uff5e" for ch in value):
        half = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in value)
        # Only where typing it half-width gives what the column takes (codes, numbers, ids are ASCII): a Japanese
        # level label pasted into a code cell ("いいえ：活動停止") is not a code in any width.
        if half.isascii():
            return f" (the cell has full-width characters; type {half!r} half-width)"
    if kind == "year" and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[0-9:.]+)?", value.strip()):
        return " (the cell is a date; format it as a number and type the year)"
    return ""


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
        valid = code.map(is_jp_local_government_code)
        for row in cells.index[jp & ~valid]:
            out.append(_problem(file, row, "municipality_code", cells.at[row, "municipality_code"],
                                "a Japanese local government code: 6 digits with a valid check digit "
                                "(a lost leading zero? format the column as Text)"))
        out.extend(_jp_codes_in_mic_list(file, cells, cells.index[jp & valid]))
    return out


def _jp_codes_in_mic_list(file: str, cells: pd.DataFrame, rows: pd.Index) -> list[dict[str, Any]]:
    """Japanese codes must be in MIC's list of municipalities, and the case's municipality must be the one MIC
    gives that code (a copy-paste slip otherwise files the case under another municipality's fiscal figures)."""
    if not len(rows):
        return []
    from .context import jp_municipality_names, read_context

    names = jp_municipality_names()
    prefecture = dict(zip(*read_context("jp_municipalities")[["code", "prefecture"]].to_numpy().T, strict=True))
    out = []
    for row in rows:
        code = cells.at[row, "municipality_code"].strip()
        if code not in names:
            out.append(_problem(file, row, "municipality_code", cells.at[row, "municipality_code"],
                                "a code in MIC's list of municipalities (全国地方公共団体コード); a prefecture's "
                                "or a designated city ward's code is not a municipality"))
            continue
        if "municipality" not in cells:
            continue
        given = cells.at[row, "municipality"]
        if given.strip() and not same_jp_municipality(given, names[code], prefecture[code]):
            out.append(_problem(file, row, "municipality", given,
                                f"{names[code]} ({prefecture[code]}), MIC's name for code {code} "
                                "(or correct municipality_code)"))
    return out


def _fold_name(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).replace("ヶ", "ケ")


def same_jp_municipality(given: str, expected: str, prefecture: str) -> bool:
    """True when `given` names the municipality `expected` of `prefecture`, allowing what people add or leave out:
    the prefecture in front (広島県安芸高田市), a district (東置賜郡川西町), no type suffix (安芸高田), spaces, ヶ/ケ.

    Examples
    --------
    >>> same_jp_municipality("広島県 安芸高田市", "安芸高田市", "広島県"), same_jp_municipality("安芸高田", "安芸高田市", "広島県")
    (True, True)
    >>> same_jp_municipality("東置賜郡川西町", "川西町", "山形県"), same_jp_municipality("小郡市", "小郡市", "福岡県")
    (True, True)
    >>> same_jp_municipality("雲南市", "安芸高田市", "広島県")
    False
    """
    g, e = _fold_name(given), _fold_name(expected)
    p = _fold_name(prefecture)
    if g.startswith(p) and len(g) > len(p):
        g = g[len(p):]
    # Strip a district only as an alternative: 小郡市 contains 郡 but names no district.
    candidates = {g, re.sub(r"^[^市区町村郡]+郡(?=.)", "", g)}
    return any(c == e or (e[-1] in "市区町村" and c == e[:-1]) for c in candidates)


# A `?` standing where a CJK character was: CP949 (Korean Excel's encoding) has no 総, so 総務省 becomes ?務省.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_LOST = re.compile(f"\ufffd|\\?(?=[{_CJK}{_HANGUL}])|(?<=[{_CJK}])\\?")


def _lost_characters(file: str, cells: pd.DataFrame) -> list[dict[str, Any]]:
    """Cells that lost characters in an encoding conversion: U+FFFD, or a `?` next to CJK text.

    A question mark after Hangul and before a space or the end ("무엇인가?") is a Korean question, not a loss,
    and is left alone.
    """
    out = []
    for column in cells.columns:
        hit = cells[column].str.contains(_LOST, regex=True)
        for row in cells.index[hit]:
            value = cells.at[row, column]
            what = "U+FFFD (a replacement character)" if "\ufffd" in value else "a '?' next to CJK characters"
            out.append(_problem(file, row, column, value,
                                f"the original text: {what} stands for a character lost in an encoding "
                                "conversion (e.g. CP949 has no 総); re-save the sheet as UTF-8 CSV or XLSX"))
    return out


def is_jp_local_government_code(code: str) -> bool:
    """True for a 6-digit Japanese local government code (団体コード) whose sixth digit checks the first five.

    The check digit is the last digit of 11 minus (the weighted sum of digits 1-5 with weights 6, 5, 4, 3, 2)
    modulo 11 (MIC's rule for 全国地方公共団体コード).

    Parameters
    ----------
    code : str
        The code as text (``"063827"``, not the number 63827, which has lost its leading zero); text that is not
        six digits gives False.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        `code` is not a string.

    Examples
    --------
    >>> is_jp_local_government_code("342149"), is_jp_local_government_code("63827")
    (True, False)
    """
    if not isinstance(code, str):
        raise ValueError(f"code must be text, e.g. '131016' (a number loses the leading zero), got {code!r}")
    if len(code) != 6 or not (code.isascii() and code.isdigit()):  # not full-width or superscript digits
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
        The codebook to validate against, or the path of its YAML (the package's own by default).

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

    Notes
    -----
    With the package's codebook, a sheet whose path, sheet and bytes are unchanged is validated once per process;
    later calls return a copy of that result (an edited file is read again).

    Examples
    --------
    >>> cases = read_cases()
    >>> cases.groupby("country", observed=True).size().to_dict()
    {'KR': 14, 'JP': 12}
    """
    from .read import check_sheet, sheet_path

    source = sheet_path(path) if path is not None else paths.SAMPLE_CASES
    sheet = check_sheet(sheet)  # before the memo: a list is no key (it raised "unhashable type")
    codebook = as_codebook(codebook) if codebook is not None else None  # None: the package's own, memoised below
    key = _memo_key(source, sheet) if codebook is None else None
    if key is not None and key in _READ_MEMO:
        return _READ_MEMO[key].copy(deep=True)
    cb = codebook or load_codebook()
    raw = read_raw(source, sheet=sheet)
    cells = _validate_cells(raw, cb)
    cases = _typed(cells, cb)
    cases.attrs.update(
        source=raw.file,
        encoding=raw.encoding,
        sheet=raw.sheet,
        illustrative=bool((cases["data_status"] == "illustrative").any()),
    )
    if key is not None:
        while len(_READ_MEMO) >= _READ_MEMO_SIZE:
            _READ_MEMO.pop(next(iter(_READ_MEMO)))
        _READ_MEMO[key] = cases.copy(deep=True)
    return cases


# Sheets already validated in this process, by path, sheet and content: a notebook, the pipeline and the figures
# each read the same sheet, and validation is most of the cost of a read (about 0.1 s for the sample). The key is
# the file's bytes, so an edited sheet is always read and validated again; callers get a copy to change freely.
_READ_MEMO: dict[tuple[str, str | int | None, str], pd.DataFrame] = {}
_READ_MEMO_SIZE = 16


def _memo_key(source: Path, sheet: str | int | None) -> tuple[str, str | int | None, str] | None:
    from .._io import sha256_file

    try:
        digest = sha256_file(source)
    except OSError:
        return None  # read_raw says what is wrong with the path
    return str(source.resolve()), sheet, digest
