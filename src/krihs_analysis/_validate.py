"""The package's one set of input checks: frames, columns, seeds, significance levels, counts, numbers in a range,
text, paths, lists of strings (one string is one item) and named result tables.

Every public function checks what a user passes here, up front, so a mistake raises a ``ValueError`` whose message
names the argument, shows the value and says what to pass instead, never an ``AttributeError`` or a numpy error
from deep inside. Each check returns the value it accepted (normalised where that is useful), so callers write
``n_boot = check_count(n_boot, "n_boot", minimum=0)``.

Examples
--------
>>> import pandas as pd
>>> from krihs_analysis._validate import check_alpha, check_count, check_frame
>>> check_alpha(0.05)
0.05
>>> check_count(999, "n_boot", minimum=0)
999
>>> check_frame([1, 2], "cases")
Traceback (most recent call last):
...
ValueError: cases must be a pandas DataFrame of cases (one row per case), got a list; read a case sheet with krihs_analysis.data.read_cases(path) or pass pandas.DataFrame(...)
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check_alpha", "check_choice", "check_columns", "check_count", "check_flag", "check_frame", "check_n_boot",
           "check_number", "check_numbers", "check_seed", "check_path", "check_strings", "check_tables", "check_text"]


def _describe(obj: Any) -> str:
    """What the caller passed, for a message: ``None``, ``an array``, ``a DataFrame``, ``an int`` ..."""
    if obj is None:
        return "None"
    name = "array" if isinstance(obj, np.ndarray) else type(obj).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def check_frame(obj: Any, name: str = "cases", *, allow_empty: bool = False) -> pd.DataFrame:
    """Accept a pandas DataFrame (with rows unless ``allow_empty``) and return it unchanged.

    Parameters
    ----------
    obj : object
        What the caller passed.
    name : str
        The argument's name, used in the message.
    allow_empty : bool
        Accept a frame with no rows.

    Returns
    -------
    pandas.DataFrame
        ``obj`` itself (never copied, never modified).

    Raises
    ------
    ValueError
        ``obj`` is not a DataFrame, or has no rows; for ``name="cases"``, a ``case_id`` that occurs twice.

    Examples
    --------
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"a": [1]})).shape
    (1, 1)
    >>> check_frame(pd.DataFrame({"a": []}), "cases")
    Traceback (most recent call last):
    ...
    ValueError: cases has no rows; pass a DataFrame with at least one case
    """
    if not isinstance(obj, pd.DataFrame):
        # Case sheets come from read_cases; other tables (QCA set data, result tables) from the functions that
        # make them, so only a `cases` argument points to read_cases.
        how = ("read a case sheet with krihs_analysis.data.read_cases(path) or pass pandas.DataFrame(...)"
               if name == "cases" else "pass the DataFrame itself (the function that made it returns one)")
        if isinstance(getattr(obj, "table", None), pd.DataFrame):  # a result object: its table is one attribute away
            how = f"pass one of its tables, e.g. {name}=result.table"
        what = "a pandas DataFrame of cases (one row per case)" if name == "cases" else "a pandas DataFrame"
        raise ValueError(f"{name} must be {what}, got {_describe(obj)}; {how}")
    if not allow_empty and len(obj) == 0:
        raise ValueError(f"{name} has no rows; pass a DataFrame with at least one case")
    if name == "cases" and "case_id" in obj.columns:
        # One row per case: a repeated case (a sheet concatenated twice) would be counted twice in every n and p.
        ids = obj["case_id"]
        repeated = ids[ids.duplicated(keep=False) & ids.notna()]
        if len(repeated):
            shown = list(dict.fromkeys(repeated.astype(str)))
            raise ValueError(f"cases must have one row per case, but case_id {shown[:5]} occur(s) more than once "
                             f"({len(repeated)} rows); drop the repeats first, e.g. cases.drop_duplicates('case_id')")
    return obj


def check_columns(frame: pd.DataFrame, cols: Iterable[str], *, name: str = "cases") -> pd.DataFrame:
    """Require every column of ``cols`` in ``frame``; return ``frame`` unchanged.

    Raises
    ------
    ValueError
        Naming every missing column and the columns the frame has.

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame({"country": ["KR"]}), ["country", "cluster"])
    Traceback (most recent call last):
    ...
    ValueError: cases lacks the column(s) 'cluster'; it has 'country' (add the column, or name one it has)
    """
    check_frame(frame, name, allow_empty=True)
    if isinstance(cols, str):
        cols = [cols]
    cols = list(cols)
    for c in cols:  # a list or a dict where a name goes raised "unhashable type" at the lookup below
        if not isinstance(c, Hashable):  # (a tuple is hashable: the name of a MultiIndex column)
            raise ValueError(f"a column name must be text such as 'integration', got {c!r:.80} ({type(c).__name__}); "
                             f"name one of {name}'s columns")
    missing = [c for c in dict.fromkeys(cols) if c not in frame.columns]
    if missing:
        have = ", ".join(repr(str(c)) for c in frame.columns[:30])
        more = ", ..." if len(frame.columns) > 30 else ""
        raise ValueError(
            f"{name} lacks the column(s) {', '.join(repr(c) for c in missing)}; it has {have}{more} "
            "(add the column, or name one it has)"
        )
    return frame


def check_seed(seed: Any, name: str = "seed") -> int | None | np.random.Generator:
    """Accept ``None``, a non-negative integer (numpy integers too) or a numpy ``Generator`` (returned as it is,
    for a caller that draws from one stream across several calls); return an ``int``, ``None`` or the Generator.

    Examples
    --------
    >>> check_seed(7), check_seed(None)
    (7, None)
    >>> check_seed(1.5)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative whole number or None, got 1.5 (float); pass e.g. seed=0
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise ValueError(
            f"{name} must be a non-negative whole number or None, got {seed!r} ({type(seed).__name__}); "
            f"pass e.g. {name}=0"
        )
    return int(seed)


def check_alpha(alpha: Any, name: str = "alpha") -> float:
    """Accept a significance level above 0 and at most 0.5; return it as ``float``.

    A value above 0.5 is refused as well: 0.95 is a confidence level, and read as alpha it would give a 5% interval
    and call almost everything significant.

    Examples
    --------
    >>> check_alpha(0.1)
    0.1
    >>> check_alpha(0.95)
    Traceback (most recent call last):
    ...
    ValueError: alpha is a significance level (above 0 and at most 0.5), got 0.95, which looks like a confidence level; for a 95% interval pass alpha=0.05
    """
    ok = isinstance(alpha, numbers.Real) and not isinstance(alpha, bool)
    value = float(alpha) if ok else math.nan
    if not 0.0 < value <= 0.5:
        looks = ", which looks like a confidence level" if 0.5 < value < 1 else ""
        raise ValueError(
            f"{name} is a significance level (above 0 and at most 0.5), got {alpha!r}{looks}; "
            f"for a 95% interval pass {name}=0.05"
        )
    return value


#: Counts whose usual value is large: an error message suggests 9999 for these and the minimum for the rest.
_DRAWS = ("n_boot", "n_permutations", "n_resamples")


def check_count(n: Any, name: str, minimum: int = 0) -> int:
    """Accept a whole number ``>= minimum`` (numpy integers and integral floats such as ``1e4`` too); return ``int``.

    Examples
    --------
    >>> check_count(1e4, "n_boot")
    10000
    >>> check_count(-5, "n_boot")
    Traceback (most recent call last):
    ...
    ValueError: n_boot must be a whole number of at least 0, got -5; pass e.g. n_boot=9999
    """
    value: int | None = None
    if isinstance(n, numbers.Integral) and not isinstance(n, bool):
        value = int(n)
    elif isinstance(n, numbers.Real) and not isinstance(n, bool) and float(n).is_integer():
        value = int(n)
    if value is None or value < minimum:
        example = max(minimum, 9999 if name in _DRAWS else minimum)
        raise ValueError(
            f"{name} must be a whole number of at least {minimum}, got {n!r}; pass e.g. {name}={example}"
        )
    return value


def check_n_boot(n_boot: Any, alpha: float = 0.05, name: str = "n_boot") -> int:
    """A bootstrap count: 0 (no interval) or enough draws for a (1 - `alpha`) interval.

    Enough is at least 99, and at least 2 draws beyond each end of the interval (``4 / alpha``: 400 for a 99%
    interval). Two or three draws gave an interval that looked like any other, 95% BCa [0.77, 0.79], and the
    brief stated it as a finding.

    Examples
    --------
    >>> check_n_boot(999), check_n_boot(0)
    (999, 0)
    >>> check_n_boot(3)
    Traceback (most recent call last):
    ...
    ValueError: n_boot must be 0 (no interval) or at least 99 draws for a 95% interval, got 3; pass e.g. n_boot=9999
    """
    value = check_count(n_boot, name, 0)
    least = max(99, math.ceil(4 / alpha - 1e-9))
    if 0 < value < least:
        level = f"{100 * (1 - alpha):g}%"
        raise ValueError(f"{name} must be 0 (no interval) or at least {least} draws for a {level} interval, got "
                         f"{n_boot!r}; pass e.g. {name}=9999")
    return value


def check_flag(value: Any, name: str) -> bool:
    """Accept True or False (numpy booleans too); return a ``bool``. A string such as "no" is not a flag.

    Examples
    --------
    >>> check_flag(True, "profile")
    True
    >>> check_flag("no", "profile")
    Traceback (most recent call last):
    ...
    ValueError: profile must be True or False, got 'no'
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Accept one of ``choices``; return it.

    Examples
    --------
    >>> check_choice("two-sided", "alternative", ["two-sided", "greater", "less"])
    'two-sided'
    >>> check_choice("both", "alternative", ["two-sided", "greater", "less"])
    Traceback (most recent call last):
    ...
    ValueError: alternative must be one of 'two-sided', 'greater', 'less', got 'both'
    """
    try:
        known = bool(value in choices)
    except (TypeError, ValueError):  # pd.NA (== gives NA, whose truth is ambiguous), an array, a list in a set
        known = False
    if not known:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    return value


# Real numbers in a range: QCA's cuts, thresholds, anchors and steps (incl_cut in [0, 1], idm in (0.5, 1), a step
# above 0). Significance levels have check_alpha, whole numbers check_count.


def _real_in(value: Any, lo: float, hi: float, strict: bool) -> bool:
    if isinstance(value, np.ndarray) and value.ndim == 0:  # np.array(0.8): one number
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return False
    v = float(value)
    return lo < v < hi if strict else lo <= v <= hi


def _range_words(lo: float, hi: float, strict: bool) -> str:
    if math.isinf(lo) and math.isinf(hi):
        return ""
    if math.isinf(hi):
        return f" above {lo:g}" if strict else f" of at least {lo:g}"
    if math.isinf(lo):
        return f" below {hi:g}" if strict else f" of at most {hi:g}"
    return f" strictly between {lo:g} and {hi:g}" if strict else f" in [{lo:g}, {hi:g}]"


def check_number(
    value: Any, name: str, *, lo: float = -math.inf, hi: float = math.inf, strict: bool = False, example: str
) -> float:
    """Accept a finite real number (numpy numbers too, not ``bool``) in ``[lo, hi]``; return it as ``float``.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, used in the message.
    lo, hi : float
        The bounds (infinite: none).
    strict : bool
        Exclude the bounds themselves.
    example : str
        What to pass instead, e.g. ``"incl_cut=0.8"``.

    Raises
    ------
    ValueError
        Naming the argument, showing the value and saying what to pass.

    Examples
    --------
    >>> check_number(0.5, "idm", lo=0.5, hi=1, strict=True, example="idm=0.95")
    Traceback (most recent call last):
    ...
    ValueError: idm must be a number strictly between 0.5 and 1, got 0.5; pass e.g. idm=0.95
    """
    if not _real_in(value, lo, hi, strict):
        raise ValueError(f"{name} must be a number{_range_words(lo, hi, strict)}, got {value!r}; pass e.g. {example}")
    return float(value)


def check_numbers(
    values: Any, name: str, *, lo: float = -math.inf, hi: float = math.inf, strict: bool = False, example: str
) -> tuple[float, ...]:
    """Accept one number or a non-empty flat sequence of numbers, each as :func:`check_number`; return floats.

    Examples
    --------
    >>> check_numbers(0.8, "incl_cuts", lo=0, hi=1, example="incl_cuts=[0.8, 0.9]")
    (0.8,)
    >>> check_numbers([0.8, "x"], "incl_cuts", lo=0, hi=1, example="incl_cuts=[0.8]")
    Traceback (most recent call last):
    ...
    ValueError: incl_cuts must be one number or a list of numbers in [0, 1], got [0.8, 'x']; pass e.g. incl_cuts=[0.8]
    """
    # A string is iterable but is one (wrong) value, not a list of them.
    one = (isinstance(values, (str, bytes)) or not isinstance(values, Iterable)
           or (isinstance(values, np.ndarray) and values.ndim == 0))  # np.array(50) is one number
    items = [values] if one else list(values)
    if not items or not all(_real_in(v, lo, hi, strict) for v in items):
        raise ValueError(
            f"{name} must be one number or a list of numbers{_range_words(lo, hi, strict)}, got {values!r}; "
            f"pass e.g. {example}"
        )
    return tuple(float(v) for v in items)


def check_tables(
    obj: Any, name: str = "tables", *, required: Iterable[str] = (), sources: Mapping[str, str] | None = None,
    how: str = "pass a dict such as {'comparison': frame}",
) -> Mapping[str, pd.DataFrame]:
    """Accept a mapping of table names to pandas DataFrames that holds every name of ``required``; return it.

    Parameters
    ----------
    obj : object
        What the caller passed.
    name : str
        The argument's name, used in the message.
    required : iterable of str
        Tables that must be there.
    sources : mapping, optional
        Table name -> what makes that table, named in the message when the table is missing.
    how : str
        What to pass instead, said when ``obj`` is not a mapping.

    Returns
    -------
    Mapping
        ``obj`` itself (never copied, never modified).

    Raises
    ------
    ValueError
        ``obj`` is not a mapping (a DataFrame, a list, an uncalled method), a name is not text, an entry is not a
        DataFrame, or a required table is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> sorted(check_tables({"qca": pd.DataFrame({"model": ["A"]})}, required=["qca"]))
    ['qca']
    >>> check_tables({"qca": pd.DataFrame()}, required=["qca", "comparison"],
    ...              sources={"comparison": "compare_countries"})
    Traceback (most recent call last):
    ...
    ValueError: tables lacks the table(s) 'comparison' (made by compare_countries); it has 'qca'
    """
    if isinstance(obj, pd.DataFrame) or not isinstance(obj, Mapping):
        got = _describe(obj)
        if callable(obj) and hasattr(obj, "__name__"):  # results.tables without the parentheses
            got = f"the function {obj.__name__} itself; call it ({obj.__name__}())"
        raise ValueError(f"{name} must be a mapping of table names to pandas DataFrames, got {got}; {how}")
    for key, frame in obj.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{name} has the table name {key!r}; every table name must be non-empty text")
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(f"{name}[{key!r}] is {_describe(frame)}, not a table; every entry of {name} must be a "
                             "pandas DataFrame")
    missing = [t for t in dict.fromkeys(required) if t not in obj]
    if missing:
        made = [f"{t!r} (made by {sources[t]})" if sources and t in sources else repr(t) for t in missing]
        have = ", ".join(repr(k) for k in obj) or "none"
        raise ValueError(f"{name} lacks the table(s) {', '.join(made)}; it has {have}")
    return obj


def check_strings(values: Any, name: str, *, example: str, allow_empty: bool = False) -> list[str]:
    """Accept one string or a flat collection of strings (list, tuple, Index...); return them as a list.

    One string is one item, never split into its characters (``formats="png"`` is ``["png"]``, not
    ``["p", "n", "g"]``).

    Parameters
    ----------
    values : object
        What the caller passed.
    name : str
        The argument's name, used in the message.
    example : str
        What to pass instead, e.g. ``"formats=['png', 'pdf']"``.
    allow_empty : bool
        Accept an empty collection.

    Returns
    -------
    list of str
        The strings, in the order given.

    Raises
    ------
    ValueError
        ``values`` is neither a string nor a collection of strings (``None``, a number, a mapping, a DataFrame),
        holds something other than a string, or is empty.

    Examples
    --------
    >>> check_strings("png", "formats", example="formats=['png', 'pdf']")
    ['png']
    >>> check_strings(("png", "svg"), "formats", example="formats=['png', 'pdf']")
    ['png', 'svg']
    >>> check_strings(None, "langs", example="langs=['en', 'ko']")
    Traceback (most recent call last):
    ...
    ValueError: langs must be one string or a list of strings, got None; pass e.g. langs=['en', 'ko']
    """
    if isinstance(values, str):
        return [values]
    items: list[Any] | None = None
    if isinstance(values, Iterable) and not isinstance(values, (bytes, Mapping, pd.DataFrame)):
        try:
            items = list(values)
        except TypeError:  # a 0-d numpy array is iterable in name only
            items = None
    if items is None or not all(isinstance(v, str) for v in items):
        shown = repr(values)
        shown = shown if len(shown) <= 80 and "\n" not in shown else _describe(values)
        raise ValueError(f"{name} must be one string or a list of strings, got {shown}; pass e.g. {example}")
    if not items and not allow_empty:
        raise ValueError(f"{name} is empty; give at least one, e.g. {example}")
    return items


def check_text(value: Any, name: str, *, example: str, optional: bool = False) -> str | None:
    """Accept a string (or None when ``optional``); return it.

    Examples
    --------
    >>> check_text("1. Status", "title", example="title='1. Status'")
    '1. Status'
    >>> check_text(5, "title", example="title='1. Status'")
    Traceback (most recent call last):
    ...
    ValueError: title must be a string, got 5 (int); pass e.g. title='1. Status'
    """
    if (value is None and optional) or isinstance(value, str):
        return value
    raise ValueError(f"{name} must be a string{' or None' if optional else ''}, got {value!r:.80} "
                     f"({type(value).__name__}); pass e.g. {example}")


def nearest(word: Any, choices: Iterable[Any]) -> str | None:
    """The choice closest to a misspelt `word` (difflib's ratio of at least 0.6), for "did you mean ...?"; None when
    none is close.

    Examples
    --------
    >>> nearest("gov_rol", ["gov_role", "local_gov"])
    'gov_role'
    >>> nearest("xyz", ["gov_role"]) is None
    True
    """
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return close[0] if close else None


def check_path(value: Any, name: str, *, example: str, hint: str = "") -> Path:
    """Accept a file or folder path (``str`` or any ``os.PathLike``, not blank); return it as a ``Path``, with a
    leading ``~`` expanded to the home folder.

    ``hint`` is added to the message (e.g. what to do with a DataFrame passed where its file goes).

    Examples
    --------
    >>> check_path("runs/latest", "out_dir", example="out_dir='runs'").name
    'latest'
    >>> check_path(None, "out_dir", example="out_dir='runs'")
    Traceback (most recent call last):
    ...
    ValueError: out_dir must be a path (text or a pathlib.Path), got None; pass e.g. out_dir='runs'
    """
    if isinstance(value, os.PathLike) or (isinstance(value, str) and value.strip()):
        return Path(value).expanduser()  # "~/cases.csv" as the shell and pandas read it
    shown = repr(value) if isinstance(value, str) else _describe(value)
    raise ValueError(f"{name} must be a path (text or a pathlib.Path), got {shown}{hint}; pass e.g. {example}")
