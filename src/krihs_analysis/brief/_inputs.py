"""The brief's input checks: which result tables and rows each part of the brief reads, and what makes them.

Every public function of :mod:`krihs_analysis.brief` checks what it is given here, once, at its entry, so that a
user's mistake (a table of the wrong shape, a whole table where one row goes, a file name where the metadata go)
raises a ``ValueError`` that says what to pass instead (the package's rule, see :mod:`krihs_analysis._validate`),
and :func:`~krihs_analysis.brief.compose.compose` refuses it before any figure is drawn. A
:class:`krihs_analysis.pipeline.Results` where result tables go is accepted and read as its ``tables()``.

Examples
--------
>>> import pandas as pd
>>> result_tables({"qca": pd.DataFrame({"model": ["A"], "consistency": [0.9]})}, "results", read=["qca"])
Traceback (most recent call last):
...
ValueError: results['qca'] (made by krihs_analysis.pipeline.Results.tables(), one row per QCA solution) lacks the column(s) 'coverage'; it has 'model', 'consistency' (add the column, or name one it has)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .._validate import _describe, check_choice, check_columns, check_frame, check_tables, nearest

#: Result table -> (the columns the brief reads from it, what makes it). A ``family`` table is read only when it
#: carries adjusted p-values (``p_family``); otherwise it is only named (:func:`~.document.family_note`).
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "comparison": (("variable", "median_kr", "median_jp", "cliffs_delta", "ci_low", "ci_high", "p_value", "p_holm"),
                   "krihs_analysis.compare.compare_countries"),
    "association": (("x", "y", "method", "statistic", "ci_low", "ci_high", "p_value", "n"),
                    "krihs_analysis.linkage.association"),
    "qca": (("model", "consistency", "coverage"),
            "krihs_analysis.pipeline.Results.tables(), one row per QCA solution"),
    "qca_fit": (("level", "consistency", "coverage"), "krihs_analysis.qca.fit"),
    "qca_xy": (("x", "y"), "krihs_analysis.qca.xy_data"),
    "core_task_gaps": (("group", "task", "mean", "benchmark"), "krihs_analysis.pipeline.Results.core_task_gaps()"),
    "profile_programme": (("group", "task", "mean", "ci_low", "ci_high"),
                          "krihs_analysis.compare.core_task_profile(cases, by='programme')"),
    "family": (("result", "key", "p_family"), "krihs_analysis.pipeline.analyse (Results.family)"),
}

#: The fields a sentence reads from its row, and the function whose table the row comes from.
ROWS: dict[str, tuple[tuple[str, ...], str]] = {
    "comparison": (TABLES["comparison"][0][:-1], "krihs_analysis.compare.compare_countries"),  # p_holm optional
    "association": (TABLES["association"][0], "krihs_analysis.linkage.association"),
    "core_task_gap": (TABLES["core_task_gaps"][0], "krihs_analysis.pipeline.Results.core_task_gaps()"),
    "priority": (("task", "gap", "n_programmes_below", "n_programmes"), "krihs_analysis.brief.compose.priorities"),
    "qca_fit": (("consistency", "coverage"), "krihs_analysis.qca.fit (or tables['qca'])"),
    "status": (("n_kr", "n_jp", "n_programmes", "n_ministries", "n_continued_kr", "n_continued_jp"),
               "krihs_analysis.brief.compose.case_summary(cases)"),
}

META_KEYS = ("number", "issuer", "title", "authors")
_HOW_TABLES = "pass results.tables(), or the Results of krihs_analysis.pipeline.analyse itself"


def result_tables(obj: Any, name: str = "tables", *, need: Iterable[str] = (),
                  read: Iterable[str] | Mapping[str, Iterable[str]] = (), usage: str = "",
                  require_one: bool = False) -> Mapping[str, pd.DataFrame]:
    """Named result tables checked for what the caller reads: a mapping (a ``Results`` is read as its
    ``tables()``), every table of `need` there with rows, and the tables of `need` and `read` with their columns
    (:data:`TABLES`' columns, or those `read` maps the table to when the caller reads fewer).

    `usage` (e.g. ``"compose(tables, cases)"``) is shown when `obj` is not a mapping at all (arguments swapped).
    `require_one`: at least one table of `need` and `read` must be there (a caller with nothing else to read).
    """
    from ..pipeline import Results  # lazily: pipeline imports the statistics

    if isinstance(obj, Results):
        obj = obj.tables()
    need = tuple(need)
    how = _HOW_TABLES + (f"; the call is {usage}" if usage else "")
    check_tables(obj, name, required=need, sources={t: TABLES[t][1] for t in need}, how=how)
    wanted = list(dict.fromkeys([*need, *read]))
    if require_one and wanted and not any(k in obj for k in wanted):
        # {"comparisons": table} gave an empty list of findings without a word
        near = {k: nearest(k, wanted) for k in obj}
        hint = "; ".join(f"{k!r} → {v!r}?" for k, v in near.items() if v)
        raise ValueError(f"{name} has none of the tables read here ({', '.join(wanted)}), only "
                         f"{sorted(map(str, obj))}" + (f"; did you mean {hint}" if hint else ""))
    for key in dict.fromkeys([*need, *read]):  # (the keys of `read` when it is a mapping)
        frame = obj.get(key)
        if frame is None:
            continue
        cols, made = TABLES[key]
        if isinstance(read, Mapping) and key in read:
            cols = tuple(read[key])
        if key == "family" and "p_family" not in frame.columns:
            continue  # a family without adjusted p-values is only named, never read for a finding
        if not len(frame):
            if key in need:
                raise ValueError(f"{name}[{key!r}] has no rows; the brief needs at least one (the table is made by "
                                 f"{made}): rerun the analysis, or pass the tables of a run that made it")
            continue
        check_columns(frame, cols, name=f"{name}[{key!r}] (made by {made})")
        if key == "core_task_gaps":
            core_tasks(frame["task"], f"{name}['core_task_gaps']")
    return obj


def core_tasks(tasks: Iterable[Any], name: str = "task") -> None:
    """Refuse any task that is not one of the codebook's core tasks, naming the valid ones."""
    from ..codebook import load_codebook

    known = list(load_codebook().core_tasks)
    for task in dict.fromkeys(tasks):
        if task not in known:
            check_choice(task, f"{name} (a core task of the codebook)", known)


def one_row(obj: Any, kind: str, name: str = "row") -> Mapping | pd.Series:
    """One row (a pandas Series or a dict) with the fields :data:`ROWS` lists for `kind`; returned unchanged."""
    fields, made = ROWS[kind]
    if isinstance(obj, pd.DataFrame):
        raise ValueError(f"{name} must be one row, e.g. table.iloc[0], got a whole DataFrame of {len(obj)} row(s); "
                         f"pass one row of the table made by {made}")
    if not isinstance(obj, (pd.Series, Mapping)):
        raise ValueError(f"{name} must be one row, e.g. table.iloc[0] (a pandas Series or a dict), got "
                         f"{_describe(obj)}; pass one row of the table made by {made}")
    missing = [f for f in fields if f not in obj]
    if missing:
        raise ValueError(f"{name} lacks {', '.join(repr(f) for f in missing)}; pass one row (e.g. table.iloc[0]) of "
                         f"the table made by {made}")
    return obj


def cases_frame(cases: Any, columns: Iterable[str]) -> pd.DataFrame:
    """The case sheet the results came from, with rows and `columns`."""
    if not isinstance(cases, pd.DataFrame):
        hint = " (a Results keeps its cases as results.cases)" if hasattr(cases, "cases") else ""
        raise ValueError(f"cases must be the case sheet the results came from (a pandas DataFrame, one row per case), "
                         f"got {_describe(cases)}{hint}; read it with krihs_analysis.data.read_cases(path)")
    return check_columns(check_frame(cases, "cases"), columns, name="cases")


def result_frame(obj: Any, name: str, columns: Iterable[str], made: str, key: str | None = None) -> pd.DataFrame:
    """A result table made by `made` (a function's name, said in the message), with `columns`; `key` is its name
    among the result tables, for the message when the tables themselves are passed."""
    if not isinstance(obj, pd.DataFrame):
        how = f"pass tables[{key!r}], not all the tables" if key and isinstance(obj, Mapping) else "pass that table"
        raise ValueError(f"{name} must be the DataFrame made by {made}, got {_describe(obj)}; {how}")
    return check_columns(obj, columns, name=f"{name} (made by {made})")


def metadata(meta: Any, name: str = "meta") -> Mapping[str, Any]:
    """The brief's title and issuer block: a mapping with :data:`META_KEYS`, its authors a list."""
    how = ("it must be a mapping with number, issuer, title and authors; read it with "
           "krihs_analysis.brief.document.load_metadata(path)")
    if not isinstance(meta, Mapping):
        raise ValueError(f"{name} must be the brief's metadata, got {_describe(meta)} {meta!r}; {how}")
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{name} lacks {', '.join(repr(k) for k in missing)}; {how}")
    if isinstance(meta["authors"], (str, Mapping)) or not isinstance(meta["authors"], Iterable):
        raise ValueError(f"{name}['authors'] must be a list of authors (each a name or a name by language), got "
                         f"{_describe(meta['authors'])}; write it as a YAML list: authors: [..]")
    return meta


def real(value: Any, name: str) -> None:
    """A real number (infinite allowed: an odds ratio's interval may be unbounded), or a missing value."""
    if value is None or value is pd.NA or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        return
    raise ValueError(f"{name} must be a number (or None/NaN when there is none), got {_describe(value)} {value!r}; "
                     f"pass a number, e.g. {name}=0.0")


def figure(fig: Any) -> Any:
    """A matplotlib Figure; an Axes (what most catalogue functions return) is read as its figure."""
    from ..figures.save import check_figure

    return check_figure(fig, "figure_block")
