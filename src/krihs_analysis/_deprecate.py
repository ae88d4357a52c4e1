"""Old call shapes that keep working for one release, with a ``FutureWarning`` that says what to write instead.

Two kinds: a keyword renamed (:func:`renamed`, e.g. ``n_resamples=`` -> ``n_boot=``) and an option that was
positional and is now keyword-only (:func:`keyword_options`, e.g. ``fmt_num(x, 2)`` -> ``fmt_num(x, digits=2)``).
Both go in the next release. No pandas here: the report runner's ``import`` stays light.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any


def renamed(old: Mapping[str, Any], names: Mapping[str, str | tuple[str, ...]], func: str, *,
            current: Mapping[str, tuple[Any, Any]] | None = None) -> dict[str, Any]:
    """Translate keyword arguments renamed in this release (``FutureWarning``; they go in the next release).

    Parameters
    ----------
    old
        The ``**kwargs`` a function received beyond its own keywords.
    names
        Old name -> new name (or several new names the old one used to set at once).
    func
        The function's name, for the messages.
    current
        New name -> (the value the call has for it, its default): a call that sets a new name away from its
        default *and* passes its old name is refused, since one of the two values would be dropped silently.

    Returns
    -------
    dict
        New name -> value.

    Raises
    ------
    ValueError
        A keyword that is neither a current nor a renamed one, or an old and a new name given together.

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
    out: dict[str, Any] = {}
    for key, value in old.items():
        if key not in names:
            raise ValueError(f"{func}() got an unknown keyword {key!r}; check the spelling against help({func})")
        new = names[key]
        new = (new,) if isinstance(new, str) else tuple(new)
        both = [n for n in new if current and n in current and current[n][0] != current[n][1]]
        if both:
            raise ValueError(f"{func}() got both {key}= and {both[0]}=; {key} is the old name of {both[0]}, so pass "
                             f"only {both[0]}=")
        warnings.warn(
            f"{func}(): {key}= is renamed {' and '.join(n + '=' for n in new)}; the old name stops working in the "
            "next release",
            FutureWarning,
            stacklevel=3,
        )
        for n in new:
            out[n] = value
    return out


def keyword_options(func: Callable) -> Callable:
    """Make a function's options keyword-only while a call that passes them by position keeps working for one
    release, with a ``FutureWarning`` that names the keyword (they go in the next release).

    Options passed by position are matched to the keyword-only parameters in the order they are declared, which
    is the order they had as positional parameters. The wrapped function shows its new signature.

    Parameters
    ----------
    func
        A function whose options follow a ``*`` in their former positional order.

    Returns
    -------
    callable
        The function, accepting the old positional calls with a warning.

    Raises
    ------
    ValueError
        An option given both by position and by name.

    Examples
    --------
    >>> import warnings
    >>> @keyword_options
    ... def fmt(x, *, digits=2):
    ...     return f"{x:.{digits}f}"
    >>> fmt(0.5, digits=1)
    '0.5'
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     fmt(0.5, 1)
    '0.5'
    >>> str(w[0].message)
    'fmt(): pass digits= by name; passing it by position stops working in the next release'
    """
    params = inspect.signature(func).parameters.values()
    n_positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
    keywords = [p.name for p in params if p.kind is p.KEYWORD_ONLY]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > n_positional:
            extra = args[n_positional:]
            names = keywords[:len(extra)]
            given = [n for n in names if n in kwargs]
            if given:
                raise ValueError(f"{func.__name__}() got {given[0]}= both by position and by name; pass it by name "
                                 "only")
            warnings.warn(f"{func.__name__}(): pass {', '.join(n + '=' for n in names)} by name; passing "
                          f"{'it' if len(names) == 1 else 'them'} by position stops working in the next release",
                          FutureWarning, stacklevel=2)
            kwargs.update(zip(names, extra))
            args = args[:n_positional] + extra[len(names):]  # more than there are options: Python says so
        return func(*args, **kwargs)

    return wrapper
