"""Excel coding sheets generated from the codebook.

The sheet a researcher fills in: a header row in Korean, English or Japanese, a dropdown on every coded column,
number ranges on numeric columns, and a second sheet with every level's anchor text.

Examples
--------
>>> import tempfile, pathlib
>>> from krihs_analysis.template import write_template
>>> p = write_template(pathlib.Path(tempfile.mkdtemp()) / "coding.xlsx", lang="ko")
>>> p.suffix
'.xlsx'
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .codebook import NUMERIC_TYPES, Codebook, as_codebook, check_lang
from ._io import write_atomic

__all__ = ["write_template"]

_ANCHOR_HEADERS = {
    "en": ("Variable", "Label", "Type", "Required", "Core task", "Code", "Anchor"),
    "ko": ("변수", "이름", "유형", "필수", "핵심 과제", "코드", "기준 설명"),
    "ja": ("変数", "名称", "型", "必須", "中核課題", "コード", "基準の説明"),
}
_YES = {"en": "yes", "ko": "예", "ja": "はい"}


def write_template(
    path: str | Path,
    *,
    lang: str = "en",
    cases: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> Path:
    """Write an XLSX coding sheet for the codebook's variables.

    Parameters
    ----------
    path
        Output ``.xlsx`` file (written atomically).
    lang
        Language of the header row and the anchor sheet: ``"en"``, ``"ko"`` or ``"ja"``.
    cases
        Optional case data (as from :func:`krihs_analysis.data.read_cases`) to pre-fill the sheet with; it must
        have every variable of the codebook as a column.
    codebook : Codebook, str or pathlib.Path, optional
        The codebook whose variables, labels, levels and ranges the sheet is built from: a
        :class:`krihs_analysis.codebook.Codebook` or the path of a codebook YAML; the package's own when None.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from krihs_analysis.data import read_cases
    >>> p = write_template(pathlib.Path(tempfile.mkdtemp()) / "filled.xlsx", cases=read_cases())
    >>> len(read_cases(p))
    26
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ._validate import check_path

    check_lang(lang)
    hint = " (that is case data: pass it as cases=, and a file to write as path)" if hasattr(path, "columns") else ""
    path = check_path(path, "path", example="path='cases_template.xlsx'", hint=hint)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"template path must end in .xlsx, got {path.name!r}")
    cb = as_codebook(codebook)
    if cases is not None:
        from ._validate import check_frame

        check_frame(cases, "cases", allow_empty=True)
    names = list(cb.names)
    n_rows = max(200, 0 if cases is None else len(cases) + 50)

    wb = Workbook()
    ws = wb.active
    ws.title = {"en": "cases", "ko": "사례", "ja": "事例"}[lang]
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for j, name in enumerate(names, start=1):
        var = cb[name]
        cell = ws.cell(row=1, column=j, value=var.label(lang))
        cell.font = Font(bold=var.required)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(28, len(var.label(lang)) * (2 if lang != "en" else 1) + 2))
        col = get_column_letter(j)
        ref = f"{col}2:{col}{n_rows + 1}"
        dv = None
        if var.levels:
            codes = ",".join(str(c) for c in var.codes)
            dv = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=not var.required)
            dv.error = f"{var.label(lang)}: {codes}"
        elif var.type in NUMERIC_TYPES and var.min is not None and var.max is not None:
            kind = "decimal" if var.type == "percent" else "whole"
            dv = DataValidation(type=kind, operator="between", formula1=str(var.min), formula2=str(var.max),
                                allow_blank=not var.required)
            dv.error = f"{var.label(lang)}: {var.min:g}-{var.max:g}"
        if dv is not None:
            dv.showErrorMessage = True
            dv.errorTitle = var.label(lang)
            dv.prompt = "; ".join(f"{c} = {var.level_label(c, lang)}" for c in var.codes)[:255] if var.levels else ""
            dv.showInputMessage = bool(var.levels)
            ws.add_data_validation(dv)
            dv.add(ref)
        if var.type in ("text", "identifier") or name == "municipality_code":
            # Text columns stay text in Excel, so codes like 063827 keep their leading zero.
            for r in range(2, n_rows + 2):
                ws.cell(row=r, column=j).number_format = "@"
    ws.freeze_panes = "B2"

    if cases is not None:
        missing = [n for n in names if n not in cases.columns]
        if missing:
            raise ValueError(f"cannot pre-fill the template: case data lacks columns {missing}")
        for i, rec in enumerate(cases[names].itertuples(index=False), start=2):
            for j, value in enumerate(rec, start=1):
                ws.cell(row=i, column=j, value=_excel_value(value))

    anchors = wb.create_sheet({"en": "codebook", "ko": "코드북", "ja": "コードブック"}[lang])
    anchors.append(list(_ANCHOR_HEADERS[lang]))
    for cell in anchors[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for name in names:
        var = cb[name]
        task = cb.label(var.task, lang) if var.task in cb.core_tasks else (var.task or "")
        base = [name, var.label(lang), var.type, _YES[lang] if var.required else "", task]
        if var.levels:
            for code in var.codes:
                anchors.append([*base, str(code), var.level_label(code, lang)])
        else:
            anchors.append([*base, "", var.description])
    for col, width in zip("ABCDEFG", (22, 30, 11, 8, 30, 8, 70), strict=True):
        anchors.column_dimensions[col].width = width

    buf = io.BytesIO()
    wb.save(buf)
    return write_atomic(path, buf.getvalue())


def _excel_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, (int, float)) else str(value)
