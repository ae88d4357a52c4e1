"""What notebooks show: the illustrative-data banner, result tables and prose in the reader's language.

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> "Illustrative" in banner(read_cases(), lang="en").data
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .codebook import check_lang, load_codebook
# fmt_int, fmt_num and fmt_p are the package's one way of writing numbers; notebooks take them from here to fill
# their prose, so a count or a median reads in a notebook as it does in the figures and the brief.
from ._format import MISSING, column_decimals, fmt_cut, fmt_int, fmt_list, fmt_num, fmt_p, fmt_sig, is_missing
from .data import is_illustrative
from .wording import in_sentence, phrase, phrases, value_word

__all__ = [
    "Banner", "banner", "expression", "header", "labelled", "LabelledTable", "Prose", "prose", "solution_note",
    "fmt_cut", "fmt_int", "fmt_num", "fmt_p", "fmt_sig",
    "MISSING",
]

_BANNER_STYLE = ("border:2px solid #a40000;color:#a40000;padding:6px 10px;font-weight:bold;"
                 "margin:6px 0;background:#fff5f5")


class Banner:
    """An HTML banner for Jupyter with a plain-text fallback (so nbval and text exports see it too)."""

    def __init__(self, text: str):
        self.data = text

    def _repr_html_(self) -> str:
        import html

        return f'<div style="{_BANNER_STYLE}">{html.escape(self.data)}</div>' if self.data else ""

    def __repr__(self) -> str:
        return self.data


def banner(cases: pd.DataFrame | bool, *, lang: str = "en") -> Banner:
    """The "illustrative data" banner when `cases` (or the flag) is illustrative; empty otherwise.

    Parameters
    ----------
    cases : pandas.DataFrame or bool
        Case data (illustrative when :func:`krihs_analysis.data.is_illustrative` says so), or the flag itself.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`; the banner reads the codebook's ``illustrative`` notice in
        that language.

    Returns
    -------
    Banner
        Shown as a red box in Jupyter and as its text (``.data``) elsewhere; its text is empty when the data are
        not illustrative.

    Examples
    --------
    >>> banner(True, lang="ko").data
    '예시 자료: 정책 브리프의 실제 사례 코딩이 아니며 시연용입니다.'
    >>> banner(False).data
    ''
    """
    check_lang(lang)
    flag = cases if isinstance(cases, bool) else is_illustrative(cases)
    return Banner(load_codebook().notice("illustrative", lang) if flag else "")


#: Columns whose values are names of variables, core tasks or groups (shown with their codebook labels).
NAME_COLUMNS: tuple[str, ...] = ("variable", "task", "group", "reference", "x", "y", "country", "strata",
                                  "cluster")
#: Columns whose values are method words (shown in the reader's language from ``locale/table_values.yaml``).
VALUE_COLUMNS: tuple[str, ...] = ("ci_method", "p_method", "alternative", "level", "method", "kind", "role", "type",
                                   "parameter", "ministry", "unit")
#: Columns whose values are QCA expressions or model terms (condition names shown as their labels).
EXPRESSION_COLUMNS: tuple[str, ...] = ("term", "expression", "model", "solution", "set")
#: Method columns (of :data:`VALUE_COLUMNS`): one with the same value on every row becomes a note above the table.
METHOD_COLUMNS: tuple[str, ...] = ("ci_method", "p_method", "alternative", "method")
#: Columns of one quantity under different names, which share their decimals (a threshold range's cut and the
#: lowest and highest cuts that keep the solution; a group's mean and median index, which read 2.383 beside 2.40);
#: other columns share with those of their name's first word.
_SAME_KIND = {"lower": "value", "upper": "value", "median": "mean"}
#: Set-theoretic measures of the QCA tables (truth table, solutions, necessity, robustness, clusters).
_MEASURES = frozenset({"incl", "PRI", "consistency", "coverage", "unique_coverage", "relevance", "dBP", "dWP"})


def _is_count(column: Any) -> bool:
    return str(column) == "n" or str(column).startswith("n_")


def _is_measure(column: Any) -> bool:
    name = str(column)
    return name in _MEASURES or name.startswith(("RF_", "RCR_", "core_"))


def _name_label(cb, v: Any, lang: str) -> Any:
    if not isinstance(v, str):
        return v
    if v in cb or v in cb.core_tasks or v in cb.derived:
        return cb.label(v, lang)
    if v in cb["country"].codes:
        return cb["country"].level_label(v, lang)
    return value_word(v, lang=lang, capital=True)  # "pooled" and other words of the result tables


def _expression_label(v: Any, lang: str) -> Any:
    if not isinstance(v, str):
        return v
    from .figures.catalogue import expression_label  # numpy/pandas only; matplotlib stays unloaded

    pair = re.fullmatch(r"([A-Za-z_]\w*)~([A-Za-z_]\w*)", v)
    if pair and all(name in load_codebook() for name in pair.groups()):
        # leave_one_out's term of an association of x with y ("integration~sustainability"): a pair, not a negation
        return " ↔ ".join(_expression_label(name, lang) if k == 0 else expression_label(name, lang)
                          for k, name in enumerate(pair.groups()))
    if v in phrases("table_values"):  # a model's own term: "(Intercept)"
        return value_word(v, lang=lang, capital=True)
    try:
        label = expression_label(v, lang)
    except ValueError:  # not an expression of codebook names (a threshold "0|1")
        return v
    first = re.match(r"~?([A-Za-z_][A-Za-z0-9_]*)", v)
    if lang != "en" or first is None or first.group(1) not in load_codebook():
        return label  # a name the user chose stays as given
    # Worded for inside a sentence ("project integration"); a cell starts like the other names of the table.
    at = 1 if label.startswith("~") else 0
    return label[:at] + label[at:at + 1].upper() + label[at + 1:]


def expression(text: str, *, lang: str = "en") -> str:
    """A QCA expression or model term (R's notation) as a reader of `lang` reads it in a table or a sentence.

    Condition names become their codebook labels; ``*`` (AND) a middle dot in English and stays ``*`` in Korean
    and Japanese (``＊``), whose labels hold middle dots of their own; ``~`` (NOT) and ``+`` (OR) stay. An
    expression of names the codebook does not know is returned as given.

    Parameters
    ----------
    text : str
        An expression such as ``"intermediary*integration"`` (``Solution.models`` holds them).
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.

    Returns
    -------
    str

    Examples
    --------
    >>> expression("intermediary*~integration", lang="en")
    'Intermediate support organisation · ~project integration'
    >>> expression("intermediary*integration", lang="ko")
    '중간지원조직 * 사업 간 연계·통합'
    """
    check_lang(lang)
    if not isinstance(text, str):
        raise ValueError("text must be a QCA expression as a string (e.g. 'intermediary*integration'), got a "
                         f"{type(text).__name__}")
    return _expression_label(text, lang)


def header(name: Any, *args: str, lang: str | None = None) -> Any:
    """A result column's header in `lang`: ``locale/tables.yaml``, else the codebook label, else unchanged.

    Parameters
    ----------
    name
        A column name of a result table, a codebook variable, core task or derived index; anything else
        (not a string, or a name neither knows) is returned as it is.
    lang : str, optional
        One of :data:`krihs_analysis.codebook.LANGS`; ``en`` when None. Keyword-only, as everywhere in the
        package; ``header(name, "ko")`` still works for this release, with a ``FutureWarning``.

    Returns
    -------
    str or object
        The header, or `name` unchanged.

    Examples
    --------
    >>> header("p_holm", lang="ko"), header("resident_org", lang="en"), header("zzz", lang="ja")
    ('p값(Holm 보정)', 'Representative resident organisation', 'zzz')
    """
    if args:
        if len(args) > 1 or lang is not None:
            raise ValueError("header() takes a name and lang=; pass the language once, by keyword")
        import warnings

        warnings.warn("header(name, lang): pass lang= by keyword; the positional form stops working in the next "
                      "release", FutureWarning, stacklevel=2)
        lang = args[0]
    lang = "en" if lang is None else lang
    check_lang(lang)
    table = phrases("tables")
    if isinstance(name, str) and name in table:
        return table[name][lang]
    cb = load_codebook()
    if isinstance(name, str) and (name in cb or name in cb.core_tasks or name in cb.derived):
        return cb.label(name, lang)
    return name


def labelled(
    frame: pd.DataFrame,
    *,
    lang: str = "en",
    columns: Sequence[str] | None = None,
    index: str | Sequence[str] | None = None,
    digits: int = 3,
) -> pd.DataFrame:
    """A copy of a result table for a reader of `lang`: headers, names and method words in that language.

    * values naming variables, tasks, groups or countries (the name columns, `columns`) become their codebook
      labels;
    * method words (:data:`VALUE_COLUMNS`: "exact", "BCa", "two-sided" ...) come from ``locale/table_values.yaml``;
    * column headers come from ``locale/tables.yaml`` (or the codebook, for a variable's column);
    * the row index is the first name column (or `index`), never pandas' 0, 1, 2 ... (without a name column,
      rows are numbered 1, 2, 3 ...);
    * p-values (columns named ``p_*``) print as the package prints them everywhere (``0.012``, ``< 0.001``;
      :func:`krihs_analysis._format.fmt_p`), a Monte Carlo standard error ``p_se`` with three significant
      digits; other floats are written by :func:`krihs_analysis._format.fmt_num` with one number of decimals per
      column, the fewest (at most `digits`) that show each value (the table is for reading: compute on the
      frame given, not on this one); columns of one quantity share their decimals, and the set-theoretic measures
      of the QCA tables (consistency, coverage, PRI, robustness ratios ...) always have `digits`; in a table of
      parameters, one a row (a ``parameter`` column), a count's row (``n_cut``) reads in whole numbers;
    * a method column (:data:`METHOD_COLUMNS`) with the same value on every row is said once, in a note above the
      table (``Interval: BCa bootstrap ...``; kept in ``.attrs["table_notes"]``: an export of the table
      leaves them out), instead of in each row;
    * counts (``n``, ``n_*``) in the thousands have thousands separators (``9,999``);
    * true/false columns read as "yes"/"no" in `lang`; a missing value of any kind reads as a dash;
    * in English, a method word starts a cell with a capital ("Exact", "Pooled").

    Parameters
    ----------
    frame : pandas.DataFrame
        A result table (may be empty); it is not modified.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    columns
        The columns whose values are names to label, each a column of `frame`; None: every column of
        :data:`NAME_COLUMNS` that `frame` has.
    index
        The column (one string) or columns to make the row index, each a column of `frame` (or already its
        index); None: the first name column. Index levels of `frame` not named here stay as columns.
    digits : int
        Decimals that floats other than p-values are rounded to, a whole number from 0.

    Returns
    -------
    LabelledTable
        The labelled copy: a DataFrame that Jupyter shows with every cell in full (pandas cuts cells at 50
        characters).

    Examples
    --------
    >>> import pandas as pd
    >>> t = labelled(pd.DataFrame({"variable": ["integration"], "p_value": [0.12345]}), lang="ja")
    >>> t.index.tolist(), t.columns.tolist(), float(t.iloc[0, 0])
    (['事業間の連携・統合'], ['p値'], 0.123)
    """
    from ._validate import check_columns, check_count, check_frame, check_strings

    check_lang(lang)
    check_frame(frame, "frame", allow_empty=True)
    if frame.columns.duplicated().any():  # frame[col] would be a frame, and every column rule below fails on it
        raise ValueError(f"frame has repeated column names {sorted(set(map(str, frame.columns[frame.columns.duplicated()])))}; "
                         "label one table at a time, or rename the repeats (pd.concat(..., keys=[...]) keeps them apart)")
    digits = check_count(digits, "digits")
    # A misspelt name would otherwise be ignored without a word.
    if columns is not None:
        columns = check_strings(columns, "columns", example="columns=['variable']", allow_empty=True)
        check_columns(frame, columns, name="frame")
    if index is not None:
        index = check_strings(index, "index", example="index='term'")
        check_columns(frame, [k for k in index if k not in frame.index.names], name="frame")  # (already the index)
    cb = load_codebook()
    out = frame.copy()
    # A table of several parameters, one a row (threshold_ranges: a consistency cut and a frequency cut), has a
    # count in some rows: those read as whole numbers, not "1.00" beside the cut's "0.80".
    params = (frame["parameter"] if "parameter" in frame.columns
              else frame.index.get_level_values("parameter") if "parameter" in frame.index.names else None)
    count_rows = ([isinstance(v, str) and _is_count(v) for v in params.astype(object)] if params is not None
                  else [False] * len(frame))
    keys = index if index is not None else [c for c in (NAME_COLUMNS if columns is None else columns)
                                            if c in out.columns][:1]
    named = [n for n in out.index.names if n is not None and n not in out.columns]
    if keys and named:
        # set_index replaces the index: bring its levels back as columns first, so that a level is kept (as a column,
        # or as a level where `index` asks for it) and labelled like any other column.
        out = out.reset_index(level=named)
    names = [c for c in (NAME_COLUMNS if columns is None else columns) if c in out.columns]
    for col in names:
        out[col] = [_name_label(cb, v, lang) for v in out[col]]
    for col in out.columns:  # categories of the codebook (city size ...) read as their level labels
        if col not in names and col in cb and cb[col].type == "category" and cb[col].codes:
            out[col] = [cb[col].level_label(v, lang) if isinstance(v, str) and v in cb[col].codes else v
                        for v in out[col].astype(object)]
    for col in EXPRESSION_COLUMNS:
        if col in out.columns and col not in names and out[col].dtype != "float64":
            out[col] = [_expression_label(v, lang) for v in out[col]]
    for col in VALUE_COLUMNS:
        if col in out.columns and out[col].dtype != "float64":
            out[col] = [value_word(v, lang=lang, capital=True) for v in out[col]]
    for col in out.columns:  # True/False read as words of the reader's language ("exact: no", not "False")
        if _is_flag_column(out[col]):
            out[col] = [MISSING if is_missing(v) else value_word("yes" if v else "no", lang=lang, capital=True)
                        for v in out[col].astype(object)]
    if "cases" in out.columns and out["cases"].dtype != "float64":
        # A truth table's case list ("KR-P1-A,KR-P2-A,...") as a list a line can break in
        out["cases"] = [v.replace(",", ", ") if isinstance(v, str) else v for v in out["cases"]]
    floats = out.select_dtypes("float").columns
    # p-values as the whole package prints them (_format.fmt_p: 0.012, < 0.001); standard errors of a Monte Carlo
    # p keep three significant digits; the rest `digits` decimals. A missing value reads as a dash.
    pcols = [c for c in floats if str(c).startswith("p_") and c != "p_se"]
    for c in pcols:
        out[c] = [fmt_p(v, cell=True) for v in out[c]]
    if "p_se" in floats:
        out["p_se"] = [fmt_sig(v) for v in out["p_se"]]
    # A count with a gap in it is a float column (after a merge): whole numbers still, with a dash for the gap
    counts = [c for c in floats if _is_count(c) and out[c].dropna().map(float.is_integer).all()
              and out[c].notna().any()]
    for c in counts:
        out[c] = [MISSING if is_missing(v) else fmt_int(v) if abs(v) >= 1000 else int(v) for v in out[c]]
    rest = [c for c in floats if c not in pcols and c != "p_se" and c not in counts]
    # One number of decimals per column, the fewest (at most `digits`) that show every value exactly, as pandas
    # prints a column of floats: a column with a dash in it became text, and 0.9 stood among 0.938 and 0.626. Columns
    # of one kind (median_group and median_comparison, ci_low and ci_high) share theirs: a programme's median read
    # 1.5 beside a benchmark's 3.
    kind = {c: _SAME_KIND.get(str(c), str(c).split("_")[0]) for c in rest}
    # A set-theoretic measure always has `digits` decimals, as R's QCA prints them: the robust core's ratios, all
    # exactly 1, read "1" like a count, and a between-cluster distance 0.038 stood beside a within-cluster 0.02.
    def whole(v: Any, row_is_count: bool) -> bool:
        return row_is_count and not is_missing(v) and float(v).is_integer()

    decimals = {c: digits if _is_measure(c) else
                column_decimals([v for v, n in zip(out[c], count_rows) if not whole(v, n)], digits=digits)
                for c in rest}
    shared = {k: max(d for c, d in decimals.items() if kind[c] == k) for k in set(kind.values())}
    for c in rest:
        out[c] = [fmt_int(v) if whole(v, n) else fmt_num(v, digits=shared[kind[c]])
                  for v, n in zip(out[c], count_rows)]
    # A count in the thousands (9,999 permutations) with the separator the prose writes it with, not as 9999;
    # smaller counts keep their type. Only counts: a year (2021) has no separator.
    for c in out.select_dtypes("integer").columns:
        if _is_count(c) and (out[c].abs() >= 1000).any():
            out[c] = [fmt_int(v) for v in out[c]]
    for c in out.columns:  # a missing name or method reads as a dash (numbers keep their type: see LabelledTable)
        column = out[c]
        if column.dtype == object or str(column.dtype) == "str":
            out[c] = [MISSING if is_missing(v) else v for v in column.astype(object)]
    keys = [k for k in keys if k in out.columns]
    # A method the same on every row (notebook 02's interval and p-value of every variable) is said once, above the
    # table: repeated in a column, it made every row three lines tall.
    notes = []
    if len(out) > 1:
        for col in METHOD_COLUMNS:
            if (col in out.columns and col not in keys and out[col].astype(str).nunique() == 1
                    and out[col].iloc[0] != MISSING):  # no method at all is no note ("Interval: –")
                notes.append(phrase("common", "label_value", lang, label=header(col, lang=lang),
                                    value=str(out[col].iloc[0])))
                out = out.drop(columns=col)
    if keys:
        out = out.set_index(keys)
    elif isinstance(out.index, pd.RangeIndex):
        out.index = pd.RangeIndex(1, len(out) + 1)  # rows counted as a reader counts them
    out.columns = [header(c, lang=lang) for c in out.columns]
    out.index.names = [header(n, lang=lang) if n is not None else None for n in out.index.names]
    shown = LabelledTable(out)
    shown.attrs["lang"] = lang
    shown.attrs["table_notes"] = notes
    return shown


class LabelledTable(pd.DataFrame):
    """What :func:`labelled` returns: a DataFrame that shows every cell in full.

    pandas cuts a cell at 50 characters ("Intermediate support organisation · project in..."), which hid the
    solution terms and the case lists of the QCA tables. In HTML, short cells (numbers, case ids, "< 0.001") and
    row names do not break across lines, and Korean breaks between words only.
    """

    @property
    def _constructor(self):
        return LabelledTable

    def _shown(self) -> pd.DataFrame:
        """A plain copy for the eye: a missing value in a column of numbers or dates reads as a dash (the table
        itself keeps the column's type, so that it still sorts and saves)."""
        shown = pd.DataFrame(self)
        for c in range(shown.shape[1]):
            column = shown.iloc[:, c]
            if column.dtype != object and str(column.dtype) != "str" and column.isna().any():
                shown.isetitem(c, [MISSING if is_missing(v) else v for v in column.astype(object)])
        return shown

    def _counted_once(self) -> bool:
        """One row counted "1": a counter with nothing to count, read as a stray label (leave-one-out's summary)."""
        index = self.index
        return len(self) == 1 and isinstance(index, pd.RangeIndex) and index.start == 1 and index.name is None

    def _notes(self) -> list[str]:
        """The methods :func:`labelled` took out of the columns, each the same on every row ("Interval: ...")."""
        return list(self.attrs.get("table_notes") or [])

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            if self._counted_once():
                text = self._shown().to_string(index=False)
            else:
                text = repr(self._shown())
        return "\n".join([*self._notes(), text])

    def _repr_html_(self) -> str | None:
        import html as _html

        with pd.option_context("display.max_colwidth", None):
            if self._counted_once():
                html = self._shown().to_html(notebook=True, index=False)
            else:
                html = self._shown()._repr_html_()
        if html is None:
            return None
        html = _unbroken_cells(html, self.attrs.get("lang"))
        notes = self._notes()
        if not notes:
            return html
        lines = "<br>".join(_html.escape(n) for n in notes)
        return f'<p class="kb-table-note" style="margin: 0 0 0.5em; font-size: 0.9em">{lines}</p>\n{html}'


#: Cells up to this wide stay on one line in HTML (numbers, case ids, method words), counted in Latin letters: a
#: Korean or Japanese character is two (East Asian wide), so that 군집(독립적이지 않은 사례 묶음), as wide as 32
#: letters, wraps like the English words it translates; counted as 18 characters it stayed on one line and pushed
#: notebook 03's association table past the page's right edge.
_SHORT_CELL = 24
#: Column headers up to this wide stay on one line: the truth table's narrow count column broke "사례 / 수", and
#: "Cliff's / δ" parted a statistic from its symbol; longer headers ("Median (Korea)") may still wrap.
_SHORT_HEADER = 9


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
_CELL = re.compile(r"<(td|th)>([^<]*)</\1>")
# case ids (KR-P6-A, JP-11), not words (resident-driven); ASCII bounds: a Korean particle after an id (KR-P6-A와)
# is a word character to \b
_ID = re.compile(r"(?<![A-Za-z0-9-])[A-Z0-9]+(?:-[A-Z0-9]+)+(?![A-Za-z0-9-])")


def _unbroken_word(m: re.Match) -> str:
    return f'<span style="white-space: nowrap">{m.group(0)}</span>'


def _unbroken_cells(html: str, lang: str | None) -> str:
    import html as _html

    head, sep, body = html.partition("<tbody>")
    if not sep:
        return html

    def cell(m: re.Match) -> str:
        tag, text = m.groups()
        if _display_width(_html.unescape(text)) > _SHORT_CELL:
            # a long cell wraps, between its words: a case id in a list (KR-P6-A) is one word, not three
            return f"<{tag}>{_ID.sub(_unbroken_word, text)}</{tag}>"
        return f'<{tag} style="white-space: nowrap">{text}</{tag}>'

    def header(m: re.Match) -> str:
        tag, text = m.groups()
        if tag == "th" and text and _display_width(_html.unescape(text)) <= _SHORT_HEADER:
            return f'<th style="white-space: nowrap">{text}</th>'
        return m.group(0)

    if lang == "ko":  # Korean wraps between words (as the brief does), not inside one
        head = head.replace("<table ", '<table style="word-break: keep-all" ', 1)
    return _CELL.sub(header, head) + sep + _CELL.sub(cell, body)


def _is_flag_column(column: pd.Series) -> bool:
    if column.dtype == bool or str(column.dtype) in ("boolean", "bool[pyarrow]"):
        return True
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    if column.dtype != object:
        return False
    import numpy as np

    values = [v for v in column if not is_missing(v)]
    return bool(values) and all(isinstance(v, (bool, np.bool_)) for v in values)


class Prose:
    """Markdown for Jupyter with a plain-text fallback (so nbval and text exports see the words too).

    `markdown` is the Markdown when it differs from the text (QCA expressions with ``~`` escaped, which Markdown
    would strike through).
    """

    def __init__(self, text: str, markdown: str | None = None):
        self.data = text
        self._markdown = text if markdown is None else markdown

    def _repr_markdown_(self) -> str:
        return self._markdown

    def __repr__(self) -> str:
        return self.data


def prose(key: str, *, lang: str = "en", **fields: Any) -> Prose:
    """A notebook's heading or paragraph in the reader's language, from ``locale/notebooks.yaml``.

    Notebooks show their prose through this, so a run with ``lang="ko"`` reads in Korean from top to bottom.

    Parameters
    ----------
    key
        The entry of ``locale/notebooks.yaml`` (``nb05_intro`` ...).
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`. The lines of a paragraph the locale file wraps are joined
        with a space (en, ko) or without one (ja).
    **fields
        The values of the entry's format fields, by keyword (see :func:`krihs_analysis.wording.phrase`). A list of
        variable names reads as their codebook labels, listed as the language lists them ("a, b and c").

    Returns
    -------
    Prose
        Markdown in Jupyter, its text (``.data``) elsewhere.

    Raises
    ------
    ValueError
        An unknown key or language, or a format field the entry needs that is not given.

    Examples
    --------
    >>> prose("nb05_intro", lang="en").data[:47]
    'The whole figure catalogue in one language, com'
    """
    fields = {k: _listed(v, lang) if isinstance(v, (list, tuple)) else v for k, v in fields.items()}
    text = phrase("notebooks", key, lang, **fields)
    # A field is data, not Markdown: "~integration" or "a*b" in it must not strike through or emphasise.
    markdown = phrase("notebooks", key, lang, **{k: _md(v) if isinstance(v, str) else v for k, v in fields.items()})
    # The locale file wraps long paragraphs; Markdown reads a single line break as a space, which Japanese does
    # not put between words. Join the lines of a paragraph the way the language writes.
    text, markdown = (re.sub(r"(?<=[^\n])\n(?=[^\n#*\-])", "" if lang == "ja" else " ", t) for t in (text, markdown))
    return Prose(text, markdown=markdown)


def _listed(names: Sequence[Any], lang: str) -> str:
    """Variable names as running text names them: their codebook labels, listed as the language lists ("a, b and
    c"; in English in lower case, as inside a sentence, unless a label starts with an acronym)."""
    cb = load_codebook()
    labels = [str(_name_label(cb, n, lang)) for n in names]
    # a variable's label is a common noun inside the sentence; a country's ("Korea") keeps its capital
    labels = [in_sentence(t, lang=lang) if isinstance(n, str) and n in cb else t
              for n, t in zip(names, labels, strict=True)]
    return fmt_list(labels, lang=lang)


def _md(text: str) -> str:
    """A field's value safe inside Markdown: ``~`` (a negation; JupyterLab strikes ``~a · ~b`` through) and a ``*``
    between two words (R's AND: ``a*b, c*d`` set "b, c" in italics) escaped. Markdown the value means (``*coding*``)
    and ``_`` (no emphasis inside a word; a backslash would show inside a code span) are left alone."""
    return re.sub(r"(?<=\w)\*(?=\w)", r"\\*", text.replace("~", "\\~"))


def solution_note(solution: Any, *, lang: str = "en") -> Prose:
    """A QCA solution in words for a reader of `lang`: its models with codebook labels, and what it assumed.

    What :func:`krihs_analysis.qca.minimize`'s printout says in R's notation (``intermediary*integration ->
    sustainability``), in the reader's language: each model, whether the list of models was cut short, the
    remainders used as simplifying assumptions and, for an intermediate solution, the easy and difficult
    counterfactuals. Show the fit beside it with ``labelled(solution.table, lang=lang)``.

    Parameters
    ----------
    solution
        What :func:`krihs_analysis.qca.minimize` returns.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.

    Returns
    -------
    Prose
        Markdown in Jupyter, its text (``.data``) elsewhere.

    Raises
    ------
    ValueError
        `solution` is not what ``qca.minimize`` returns, or an unknown language.

    Examples
    --------
    >>> from krihs_analysis import qca
    >>> from krihs_analysis.data import read_cases
    >>> conditions = ["intermediary", "integration"]
    >>> data = qca.from_cases(read_cases(), outcome="sustainability", conditions=conditions)
    >>> tt = qca.truth_table(data, "sustainability", conditions, incl_cut=0.8)
    >>> solution_note(qca.minimize(tt, kind="parsimonious"), lang="en").data
    'Parsimonious solution. M1: Intermediate support organisation · project integration → overall sustainability.'
    """
    check_lang(lang)
    needed = ("kind", "outcome", "models", "truncated", "simplifying_assumptions")
    if not all(hasattr(solution, a) for a in needed):
        raise ValueError(f"solution must be what qca.minimize(...) returns, got a {type(solution).__name__}")
    from .figures.catalogue import expression_label  # numpy/pandas only; matplotlib stays unloaded

    outcome = expression_label(solution.outcome, lang)
    models = [f"M{i}: {expression(m, lang=lang)} → {outcome}" for i, m in enumerate(solution.models, start=1)]
    none = phrase("notebooks", "qca_solution_no_rows", lang)  # not the table's "no interval"

    def rows(values) -> str:
        return ", ".join(map(str, values)) or none

    sep = "" if lang == "ja" else " "
    head = phrase("notebooks", f"qca_{solution.kind}", lang)  # "Parsimonious solution."
    parts = [phrase("notebooks", "qca_solution_models", lang, models="; ".join(models))]
    if solution.truncated:
        parts.append(phrase("notebooks", "qca_solution_truncated", lang, n=len(solution.models)))
    if solution.simplifying_assumptions:
        parts.append(phrase("notebooks", "qca_solution_assumptions", lang, rows=rows(solution.simplifying_assumptions)))
    if solution.kind == "intermediate":
        parts.append(phrase("notebooks", "qca_solution_counterfactuals", lang,
                            easy=rows(solution.easy_counterfactuals), difficult=rows(solution.difficult_counterfactuals)))
    rest = sep.join(parts)
    # "**簡潔解。**M1" does not close its bold in CommonMark (punctuation before, a letter after): the full stop
    # goes outside the bold
    stop = head[-1] if head[-1:] in (".", "。") else ""
    return Prose(f"{head}{sep}{rest}", markdown=f"**{head[:len(head) - len(stop)]}**{stop}{sep}{_md(rest)}")

