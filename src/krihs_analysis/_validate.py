"""The package's one set of input checks: frames, columns, seeds, significance levels and counts.

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

import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["check_alpha", "check_choice", "check_columns", "check_count", "check_frame", "check_seed", "renamed"]


def _describe(obj: Any) -> str:
    name = type(obj).__name__
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
        ``obj`` is not a DataFrame, or has no rows.

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
        raise ValueError(
            f"{name} must be a pandas DataFrame of cases (one row per case), got {_describe(obj)}; read a case "
            "sheet with krihs_analysis.data.read_cases(path) or pass pandas.DataFrame(...)"
        )
    if not allow_empty and len(obj) == 0:
        raise ValueError(f"{name} has no rows; pass a DataFrame with at least one case")
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
    missing = [c for c in dict.fromkeys(cols) if c not in frame.columns]
    if missing:
        have = ", ".join(repr(str(c)) for c in frame.columns[:30])
        more = ", ..." if len(frame.columns) > 30 else ""
        raise ValueError(
            f"{name} lacks the column(s) {', '.join(repr(c) for c in missing)}; it has {have}{more} "
            "(add the column, or name one it has)"
        )
    return frame


def check_seed(seed: Any, name: str = "seed") -> int | None:
    """Accept ``None`` or a non-negative integer (numpy integers too); return it as ``int`` or ``None``.

    Examples
    --------
    >>> check_seed(7), check_seed(None)
    (7, None)
    >>> check_seed(1.5)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative whole number or None, got 1.5 (float); pass e.g. seed=0
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise ValueError(
            f"{name} must be a non-negative whole number or None, got {seed!r} ({type(seed).__name__}); "
            f"pass e.g. {name}=0"
        )
    return int(seed)


def check_alpha(alpha: Any, name: str = "alpha") -> float:
    """Accept a significance level strictly between 0 and 1; return it as ``float``.

    Examples
    --------
    >>> check_alpha(0.1)
    0.1
    >>> check_alpha(5)
    Traceback (most recent call last):
    ...
    ValueError: alpha is a significance level and must lie strictly between 0 and 1, got 5; for a 95% interval pass alpha=0.05
    """
    ok = isinstance(alpha, numbers.Real) and not isinstance(alpha, bool)
    if ok:
        value = float(alpha)
        ok = 0.0 < value < 1.0
    if not ok:
        raise ValueError(
            f"{name} is a significance level and must lie strictly between 0 and 1, got {alpha!r}; "
            f"for a 95% interval pass {name}=0.05"
        )
    return value


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
        example = max(minimum, 9999 if name.startswith("n_") else minimum)
        raise ValueError(
            f"{name} must be a whole number of at least {minimum}, got {n!r}; pass e.g. {name}={example}"
        )
    return value


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
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    return value


def renamed(old: Mapping[str, Any], names: Mapping[str, str | tuple[str, ...]], func: str) -> dict[str, Any]:
    """Translate keyword arguments renamed in this release (``FutureWarning``; they go in the next release).

    Parameters
    ----------
    old
        The ``**kwargs`` a function received beyond its own keywords.
    names
        Old name -> new name (or several new names the old one used to set at once).
    func
        The function's name, for the messages.

    Returns
    -------
    dict
        New name -> value.

    Raises
    ------
    ValueError
        A keyword that is neither a current nor a renamed one.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     renamed({"n_resamples": 99}, {"n_resamples": ("n_boot", "n_permutations")}, "association")
    {'n_boot': 99, 'n_permutations': 99}
    >>> w[0].category.__name__
    'FutureWarning'
    """
    import warnings

    out: dict[str, Any] = {}
    for key, value in old.items():
        if key not in names:
            raise ValueError(f"{func}() got an unknown keyword {key!r}; check the spelling against help({func})")
        new = names[key]
        new = (new,) if isinstance(new, str) else tuple(new)
        warnings.warn(
            f"{func}(): {key}= is renamed {' and '.join(n + '=' for n in new)}; the old name stops working in the "
            "next release",
            FutureWarning,
            stacklevel=3,
        )
        for n in new:
            out[n] = value
    return out
