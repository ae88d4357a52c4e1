"""Set-theoretic diagnostics after SetMethods 4.0 (Oana and Schneider): fit by group, skewness, theory evaluation.

``cluster_diagnostics`` answers whether a solution fits every group (country) as well as the pooled data
(SetMethods ``cluster()``); ``cluster_permutation_test`` adds what SetMethods lacks, a permutation p for the
between-group consistency gap; ``skewness`` is ``skew.check()``; ``theory_evaluation`` is
``theory.evaluation()``. Specification: ``shared/qca-diagnostics-api.md`` sections 1-3 and 10.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from math import factorial, prod

import numpy as np
import pandas as pd

from krihs_analysis._deprecate import renamed
from krihs_analysis._validate import check_columns, check_count, check_flag, check_frame, check_seed

from ._sets import TINY, case_ids, expression_text, membership, outcome_membership, term_memberships
from .expression import _columns

__all__ = ["cluster_diagnostics", "cluster_permutation_test", "skewness", "theory_evaluation"]

_MAX_EXACT = 1_000_000


def _group_labels(data: pd.DataFrame, groups, name: str = "groups", example: str = "'country'") -> np.ndarray:
    if isinstance(groups, str):
        labels = check_columns(data, [groups], name="data")[groups]
    elif not isinstance(groups, Iterable):
        raise ValueError(
            f"{name} must be a column of data or one label per row, got {groups!r}; pass e.g. {name}={example}"
        )
    else:
        labels = pd.Series(list(groups)) if not isinstance(groups, pd.Series) else groups
        if len(labels) != len(data):
            raise ValueError(f"{name} has {len(labels)} labels for {len(data)} cases; give one label per row.")
        if isinstance(groups, pd.Series):
            # A Series is matched by its index, as pandas would: labels taken by position from a reordered or
            # differently indexed Series would put cases in the wrong groups without a word.
            if groups.index.equals(data.index):
                pass
            elif set(groups.index) == set(data.index) and groups.index.is_unique:
                labels = groups.reindex(data.index)
            elif not groups.index.equals(pd.RangeIndex(len(data))):
                # Neither the case ids nor 0..n-1: a reordered Series (sorted, sampled), or another subset of the
                # cases; taken by position, it would put cases in the wrong groups without a word.
                raise ValueError(f"{name} is a Series whose index is neither data's case ids nor the row positions "
                                 f"0..{len(data) - 1} (e.g. {list(groups.index[:3])}); index it by case id "
                                 f"(cases.set_index('case_id')[{example}]), or pass {name}.to_numpy() to take the "
                                 "labels in the order given")
    missing = np.flatnonzero(pd.isna(pd.Series(list(labels), dtype=object)).to_numpy())
    if len(missing):
        # str() made a missing label a group or cluster of its own, "nan"
        alone = " (a case that stands alone is its own cluster: use its case id)" if name == "cluster" else ""
        raise ValueError(f"{name} is missing for case(s) {[str(data.index[i]) for i in missing[:5]]}; give every "
                         f"case a label{alone}")
    return np.asarray([str(v) for v in labels], dtype=object)


def _units(data, outcome, expression, groups, necessity):
    check_frame(data, "data")
    check_flag(necessity, "necessity")  # "yes" or 1 used to switch to necessity by its truth value
    text, labels, memb = term_memberships(expression, data)
    y = outcome_membership(data, outcome)
    g = _group_labels(data, groups)
    units = [(lab, "term", memb[:, j]) for j, lab in enumerate(labels)]
    units.append((text, "expression", memb.max(axis=1)))
    return units, y, g


def _ratio(sxy, sx, sy, necessity):
    num = sxy + TINY
    return (num / (sy + TINY), num / (sx + TINY)) if necessity else (num / (sx + TINY), num / (sy + TINY))


def cluster_diagnostics(
    data: pd.DataFrame,
    outcome: str,
    expression,
    *,
    groups="country",
    necessity: bool = False,
) -> pd.DataFrame:
    """Pooled and per-group consistency and coverage of each term and of the whole expression.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data indexed by case id; each case is its own unit and belongs to one group.
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.
    expression : str or Solution
        Sum of products in R syntax; a Solution means its first model.
    groups : str or array-like, default "country"
        Column of ``data`` or labels aligned with the rows (turned into ``str``).
    necessity : bool, default False
        Fit for necessity instead of sufficiency.

    Returns
    -------
    pandas.DataFrame
        ``term, level, group, n, consistency, coverage, dBP, dWP``: per term (in written order) then
        for the expression, the pooled row then one row per group (sorted). ``dBP`` / ``dWP`` are
        SetMethods' distances between-to-pooled and within-to-pooled.

    Notes
    -----
    SetMethods ``cluster()`` with ``unit_id`` the case id and ``cluster_id`` the group; its 1e-10 terms
    are kept, so an empty group has consistency 1.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 1], "Y": [1, 0, 0, 1], "country": ["KR", "KR", "JP", "JP"]})
    >>> cluster_diagnostics(df, "Y", "A")[["group", "n", "consistency"]].round(3).values.tolist()
    [['pooled', 4, 0.667], ['JP', 2, 1.0], ['KR', 2, 0.5], ['pooled', 4, 0.667], ['JP', 2, 1.0], ['KR', 2, 0.5]]
    """
    units, y, g = _units(data, outcome, expression, groups, necessity)
    names = sorted(set(g))
    n_all = len(y)
    rows = []
    for term, level, x in units:
        xy = np.minimum(x, y)
        pc, pv = _ratio(xy.sum(), x.sum(), y.sum(), necessity)
        b = []
        group_rows = []
        for name in names:
            sel = g == name
            c, v = _ratio(xy[sel].sum(), x[sel].sum(), y[sel].sum(), necessity)
            b.append(c)
            group_rows.append((name, int(sel.sum()), c, v))
        b = np.asarray(b)
        dbp = float(np.sqrt(np.sum(((b + TINY) / (b.sum() + TINY) - 1.0 / len(b)) ** 2)))
        w = (xy + TINY) / ((y if necessity else x) + TINY)
        dwp = float(np.sqrt(np.sum(((w + TINY) / (w.sum() + TINY) - 1.0 / n_all) ** 2)))
        rows.append((term, level, "pooled", n_all, pc, pv, dbp, dwp))
        rows.extend((term, level, name, n, c, v, dbp, dwp) for name, n, c, v in group_rows)
    from krihs_analysis.data.tidy import carry_provenance  # qca_groups labels the table by its cases

    return carry_provenance(pd.DataFrame.from_records(
        rows, columns=["term", "level", "group", "n", "consistency", "coverage", "dBP", "dWP"]
    ).astype({"term": "str", "level": "str", "group": "str", "n": "int64"}), data)


def _assignments(codes: np.ndarray) -> np.ndarray:
    """Every distinct size-preserving assignment of the group codes to the cases, (n_assign, n_cases)."""
    n = len(codes)
    sizes = np.bincount(codes)
    out = []

    def rec(free: tuple[int, ...], j: int, current: np.ndarray) -> None:
        if j == len(sizes) - 1:
            current = current.copy()
            current[list(free)] = j
            out.append(current)
            return
        for chosen in combinations(free, int(sizes[j])):
            nxt = current.copy()
            nxt[list(chosen)] = j
            rest = tuple(i for i in free if i not in set(chosen))
            rec(rest, j + 1, nxt)

    rec(tuple(range(n)), 0, np.full(n, -1, dtype=np.int64))
    return np.vstack(out)


def _gaps(assign: np.ndarray, xy: np.ndarray, denom: np.ndarray, n_groups: int) -> np.ndarray:
    cons = np.empty((assign.shape[0], n_groups))
    for j in range(n_groups):
        mask = (assign == j).astype(np.float64)
        cons[:, j] = (mask @ xy + TINY) / (mask @ denom + TINY)
    return cons.max(axis=1) - cons.min(axis=1)


def cluster_permutation_test(
    data: pd.DataFrame,
    outcome: str,
    expression,
    *,
    groups="country",
    cluster=None,
    n_permutations: int | str = "exact",
    enumeration_limit: int | None = None,
    seed: int | None = 0,
    necessity: bool = False,
    **old,
) -> pd.DataFrame:
    """Permutation test of the between-group consistency gap of each term and of the expression.

    Parameters
    ----------
    data, outcome, expression, groups, necessity
        As for :func:`cluster_diagnostics`.
    cluster : str or array-like, optional
        Column of ``data`` or labels aligned with the rows: cases that are not independent (the two sites of a
        programme, the organisations of one municipality). Whole clusters are relabelled, each keeping its cases
        together, as the other tests of the package permute them; every cluster must lie within one group. None:
        each case is relabelled on its own.
    n_permutations : "exact" or int, default "exact"
        ``"exact"`` enumerates every size-preserving relabelling of the units (cases, or clusters) (at most
        1,000,000); an int ``B`` draws ``B`` random relabellings. (``permutations=`` is the old name; it works
        for one more release.)
    enumeration_limit : int, optional
        With an int `n_permutations`: enumerate every relabelling instead when there are at most this many (as
        ``compare_countries`` and ``linkage.association`` do), draw ``B`` only past it. None: an int always draws.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng`` for the Monte Carlo draws (one set of relabellings tests every term
        and the expression, so that the same gap gets the same p-value); ``None``
        draws a fresh seed from the operating system, so the p-value differs from run to run.

    Returns
    -------
    pandas.DataFrame
        ``term, level, gap, p_value, n_permutations, exact, unit, n_units``; ``gap`` = max - min of the group
        consistencies of :func:`cluster_diagnostics`; exact ``p_value`` = share of relabellings with a gap
        at least as large (observed included); Monte Carlo ``p_value`` = (1 + count) / (B + 1); ``unit`` is
        ``"case"`` or ``"cluster"``, what was relabelled, and ``n_units`` how many.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 1], "Y": [1, 0, 0, 1], "country": ["KR", "KR", "JP", "JP"]})
    >>> res = cluster_permutation_test(df, "Y", "A")
    >>> round(float(res.loc[0, "gap"]), 3), float(res.loc[0, "p_value"]), int(res.loc[0, "n_permutations"])
    (0.5, 1.0, 6)

    Two cases that belong together move together: 2 clusters can be labelled 2 ways, not 6.

    >>> res = cluster_permutation_test(df, "Y", "A", cluster=["p", "p", "q", "q"])
    >>> float(res.loc[0, "p_value"]), int(res.loc[0, "n_permutations"]), res.loc[0, "unit"]
    (1.0, 2, 'cluster')
    """
    n_permutations = renamed(
        old, {"permutations": "n_permutations"}, "cluster_permutation_test",
        current={"n_permutations": (n_permutations, cluster_permutation_test.__kwdefaults__["n_permutations"])},
    ).get("n_permutations", n_permutations)
    check_frame(data, "data")
    exact = isinstance(n_permutations, str) and n_permutations == "exact"
    if not exact:
        try:
            n_permutations = check_count(n_permutations, "n_permutations", minimum=1)
        except ValueError as err:
            raise ValueError(f"{err} (or n_permutations='exact' to enumerate every relabelling)") from None
    if enumeration_limit is not None:
        enumeration_limit = check_count(enumeration_limit, "enumeration_limit", minimum=1)
    seed = check_seed(seed)
    units, y, g = _units(data, outcome, expression, groups, necessity)
    names = sorted(set(g))
    code_of = {name: j for j, name in enumerate(names)}
    codes = np.array([code_of[v] for v in g], dtype=np.int64)
    # member[i] = the unit (case or cluster) of case i; unit_codes = each unit's group. A relabelling gives every
    # unit a group, and each case takes its unit's.
    member, unit_codes = _relabelled_units(data, cluster, codes, names)
    count = factorial(len(unit_codes)) // prod(factorial(int(s)) for s in np.bincount(unit_codes))
    if not exact and enumeration_limit is not None and count <= enumeration_limit:
        exact = True  # few enough to count every one, as compare_countries does
    if exact:
        if count > (enumeration_limit or _MAX_EXACT):
            raise ValueError(
                f"exact enumeration needs {count:,} relabellings (more than {enumeration_limit or _MAX_EXACT:,}); "
                "pass n_permutations=9999 (Monte Carlo) with a seed instead."
            )
        assign = _assignments(unit_codes)[:, member]
    else:
        # One set of relabellings for every term and the expression: drawn afresh for each, a one-term solution got
        # two p-values (0.029 for the term, 0.026 for the expression) for the same gap
        rng = np.random.default_rng(seed)
        draws = np.vstack([rng.permutation(unit_codes) for _ in range(n_permutations)])[:, member]
    rows = []
    for term, level, x in units:
        xy = np.minimum(x, y)
        denom = y if necessity else x
        observed = _gaps(codes[None, :], xy, denom, len(names))[0]
        if exact:
            gaps = _gaps(assign, xy, denom, len(names))
            hits = int(np.sum(gaps >= observed - 1e-9))
            rows.append((term, level, observed, hits / len(assign), len(assign), True))
        else:
            gaps = _gaps(draws, xy, denom, len(names))
            hits = int(np.sum(gaps >= observed - 1e-9))
            rows.append((term, level, observed, (1 + hits) / (n_permutations + 1), n_permutations, False))
    from krihs_analysis.data.tidy import carry_provenance

    table = pd.DataFrame.from_records(rows, columns=["term", "level", "gap", "p_value", "n_permutations", "exact"])
    table = table.assign(unit="case" if cluster is None else "cluster", n_units=len(unit_codes))
    return carry_provenance(table.astype({"term": "str", "level": "str", "n_permutations": "int64", "exact": "bool",
                                          "unit": "str", "n_units": "int64"}), data)


def _relabelled_units(data: pd.DataFrame, cluster, codes: np.ndarray, names: list[str]):
    """(unit of each case, group code of each unit): the cases themselves, or the clusters of `cluster`."""
    if cluster is None:
        return np.arange(len(codes)), codes
    labels = _group_labels(data, cluster, name="cluster", example="'cluster'")
    units = list(dict.fromkeys(labels))
    unit_of = {u: k for k, u in enumerate(units)}
    member = np.array([unit_of[v] for v in labels], dtype=np.int64)
    unit_codes = np.empty(len(units), dtype=np.int64)
    for k, u in enumerate(units):
        held = sorted(set(codes[member == k].tolist()))
        if len(held) > 1:
            raise ValueError(f"cluster {u!r} holds cases of groups {[names[j] for j in held]}; each cluster must lie "
                             "within one group (programmes or municipalities within a country), so that whole "
                             "clusters can be relabelled")
        unit_codes[k] = held[0]
    return member, unit_codes


def skewness(data: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of cases with membership above 0.5 in each set (SetMethods ``skew.check()``).

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated memberships.
    columns : sequence of str, optional
        Sets to check; default every column, in order.

    Returns
    -------
    pandas.DataFrame
        ``set, n, n_above, percent`` (percent = 100 * n_above / n, unrounded).

    Examples
    --------
    >>> import pandas as pd
    >>> skewness(pd.DataFrame({"A": [0.9, 0.2, 0.7, 0.5]})).values.tolist()
    [['A', 4, 2, 50.0]]
    """
    check_frame(data, "data")
    if columns is None:
        columns = list(data.columns)
    elif isinstance(columns, str):
        columns = [columns]
    elif isinstance(columns, Iterable):
        columns = list(columns)
    else:
        raise ValueError(f"columns must be a list of column names, got {columns!r}; pass e.g. columns=['A', 'B']")
    cols = _columns(data, columns)
    rows = []
    for c in columns:
        v = cols[c]
        if (v < 0).any() or (v > 1).any():
            raise ValueError(f"column {c!r} has values outside [0, 1]; skewness needs calibrated memberships.")
        above = int((v > 0.5).sum())
        rows.append((str(c), len(v), above, 100.0 * above / len(v)))
    return pd.DataFrame.from_records(rows, columns=["set", "n", "n_above", "percent"]).astype(
        {"set": "str", "n": "int64", "n_above": "int64", "percent": "float64"}
    )


def theory_evaluation(data: pd.DataFrame, outcome: str, theory, solution) -> pd.DataFrame:
    """Fit and cases of the intersections of a theory and a solution (SetMethods ``theory.evaluation()``).

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data indexed by case id.
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.
    theory, solution : str or Solution
        Expressions (a Solution means its first model).

    Returns
    -------
    pandas.DataFrame
        ``intersection, consistency, PRI, coverage, cases_Y, cases_y`` for T, S, T*S, ~T*S, T*~S, ~T*~S;
        ``cases_Y`` / ``cases_y`` list the ids of cases in the intersection (> 0.5) with the outcome above /
        below 0.5 (none for T and S).

    Notes
    -----
    SetMethods 4.0 never lists cases of T*S with the outcome below 0.5 (it tests a column that does not
    exist); here they are listed as for the other intersections.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]}, index=list("abcd"))
    >>> theory_evaluation(df, "Y", "A", "A*B")[["intersection", "cases_Y", "cases_y"]].values.tolist()[2:]
    [['T*S', 'a', ''], ['~T*S', '', ''], ['T*~S', 'b', ''], ['~T*~S', '', 'c,d']]
    """
    check_frame(data, "data")
    t = membership(expression_text(theory), data)
    s = membership(expression_text(solution), data)
    y = outcome_membership(data, outcome)
    ids = np.asarray(case_ids(data), dtype=object)
    sets = {
        "T": t, "S": s,
        "T*S": np.minimum(t, s), "~T*S": np.minimum(1 - t, s),
        "T*~S": np.minimum(t, 1 - s), "~T*~S": np.minimum(1 - t, 1 - s),
    }
    rows = []
    for name, x in sets.items():
        sx = x.sum()
        xy = np.minimum(x, y)
        if sx == 0:
            cons = pri = np.nan
            cov = 0.0
        else:
            cons = xy.sum() / sx
            xyny = np.minimum(xy, 1 - y).sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                pri = (xy.sum() - xyny) / (sx - xyny)
            cov = xy.sum() / y.sum() if y.sum() else np.nan
        if name in ("T", "S"):
            big, small = "", ""
        else:
            big = ",".join(ids[(x > 0.5) & (y > 0.5)])
            small = ",".join(ids[(x > 0.5) & (y < 0.5)])
        rows.append((name, cons, pri, cov, big, small))
    return pd.DataFrame.from_records(
        rows, columns=["intersection", "consistency", "PRI", "coverage", "cases_Y", "cases_y"]
    ).astype({"intersection": "str", "cases_Y": "str", "cases_y": "str"})
