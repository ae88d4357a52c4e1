"""The error a case sheet raises: one table of every problem (pandera-style)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd



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

    @property
    def unreadable(self) -> bool:
        """True when every problem is with a file as a whole (not a sheet, empty, not a workbook, no header): the
        command line's "unreadable" (exit 2) rather than "invalid" (exit 1)."""
        return bool(len(self.problems)) and bool((self.problems["row"] == 0).all())

    def _format(self) -> str:
        n = len(self.problems)
        files = ", ".join(dict.fromkeys(self.problems["file"].astype(str)))
        table = self.problems.copy()
        table["row"] = table["row"].map(lambda r: "-" if r == 0 else str(r))
        # A file's problem is its reason ("not a readable XLSX workbook (BadZipFile: ...)"): shown whole, not cut
        # at 40 characters as a cell's value is.
        table["value"] = [_show_value(v, whole=r == "-") for v, r in zip(table["value"], table["row"])]
        with pd.option_context("display.max_rows", 200, "display.max_colwidth", 120, "display.width", 250):
            body = table.to_string(index=False)
        return f"{n} problem{'s' if n != 1 else ''} in {files}:\n{body}"


def _show_value(v: Any, whole: bool = False) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "(blank)"
    s = str(v)
    if s == "":
        return "(blank)"
    if s != s.strip():
        return repr(s)
    return s if len(s) <= 40 or whole else s[:37] + "..."


def _problem(file: str, row: int, column: str, value: Any, expected: str) -> dict[str, Any]:
    return {"file": file, "row": int(row), "column": column, "value": value, "expected": expected}


def _raise(problems: list[dict[str, Any]]) -> None:
    if problems:
        frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
        frame = frame.sort_values(["file", "row"], kind="stable")
        raise CaseDataError(frame)




def _file_problem(name: str, value: str, expected: str) -> CaseDataError:
    return CaseDataError(pd.DataFrame([_problem(name, 0, "-", value, expected)], columns=PROBLEM_COLUMNS))
