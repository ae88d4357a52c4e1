"""Korea-Japan comparison of the coded case variables (KRIHS Policy Brief 736, question a).

With 14 Korean and about 12 Japanese cases coded on 0-3 scales full of ties, every p-value here is exact.  Cases
independent (``cluster=None``): the Wilcoxon-Mann-Whitney rank-sum statistic (with mid-ranks) is referred to its
exact permutation distribution given the observed tie pattern, computed by the network algorithm of
:mod:`krihs_analysis._exact` (C(26, 12) ~ 9.7 million splits, never enumerated).  With clusters (``cluster=``, e.g.
the codebook's default ``"cluster"``: the two sites of a Korean programme, Japanese cases of one municipality) the
p-value is the randomisation p of Cliff's delta over every assignment of whole clusters to the two groups, and
intervals resample whole clusters within each group.  Effect sizes are Cliff's delta (Korea minus Japan:
P(KR > JP) - P(KR < JP)) with a bootstrap BCa interval (percentile when BCa is undefined; ``ci_method`` says which
and why); a group of fewer than 5 independent units gets no interval (``ci_method`` "group too small: n = 2").
p-values are Holm-adjusted across the rows of a table (``p_holm``); the standard set adjusts over its whole family
(:func:`krihs_analysis.pipeline.family_table`).

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> table = compare_countries(read_cases(), variables=["resident_org"], n_boot=999)
>>> table[["variable", "median_kr", "median_jp", "p_method"]].values.tolist()
[['resident_org', 1.0, 3.0, 'exact']]
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from krihs_analysis import _exact as E
from krihs_analysis._validate import (check_alpha, check_choice, check_columns, check_count, check_frame, check_n_boot,
                                     check_seed, check_text)
from krihs_analysis._deprecate import renamed

__all__ = ["compare_countries", "level_distribution", "core_task_profile", "case_profile", "default_variables"]

KR, JP = "KR", "JP"
BY_VALUES = ("country", "programme")
MIN_BOOT_UNITS = E.MIN_BOOT_UNITS
too_small = E.too_small


def default_variables() -> list[str]:
    """The codebook's coded condition variables followed by its coded outcomes (ordinal or binary).

    :func:`compare_countries` and :func:`level_distribution` use those of them the case data has when they are
    given no `variables`.

    Returns
    -------
    list of str
        Variable names in codebook order.

    Examples
    --------
    >>> names = default_variables()
    >>> len(names), names[0], names[-2:]
    (14, 'community_sense', ['continued', 'sustainability'])
    """
    from krihs_analysis.codebook import load_codebook

    cb = load_codebook()
    outcomes = [n for n in cb.outcomes if cb[n].is_coded]
    return [*cb.conditions, *[o for o in outcomes if o not in cb.conditions]]


def _check_frame(cases: pd.DataFrame, needed: Sequence[str]) -> None:
    check_frame(cases, "cases")
    check_columns(cases, needed)


def _clusters(cases: pd.DataFrame, cluster: str | None) -> np.ndarray | None:
    """Cluster labels as strings (None without clusters); a blank label is an error naming the cases."""
    if cluster is None:
        return None
    if not isinstance(cluster, str):
        raise ValueError(f"cluster must be a column name (e.g. cluster='cluster'), got {cluster!r}")
    check_columns(cases, [cluster])
    raw = cases[cluster].astype("object")
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    if blank.any():
        ids = cases["case_id"].astype(str)[blank] if "case_id" in cases.columns else cases.index[blank].astype(str)
        raise ValueError(f"column {cluster!r} is blank for case(s) {', '.join(ids[:10])}; give every case a "
                         "cluster (krihs_analysis.data.default_clusters(cases) derives the codebook's default)")
    return raw.astype(str).to_numpy()


def _options(n_boot, n_permutations, seed, alpha, enumeration_limit) -> tuple[int, int, int | None, float, int]:
    alpha = check_alpha(alpha)
    return (check_n_boot(n_boot, alpha), check_count(n_permutations, "n_permutations", 0),
            check_seed(seed), alpha, check_count(enumeration_limit, "enumeration_limit", 1))


def _resolve_variables(cases: pd.DataFrame, variables: Sequence[str] | None, *,
                       coded: bool = False) -> tuple[list[str], bool]:
    """The variables to compare and whether the caller chose them; numeric ones only (coded ones with `coded`)."""
    from krihs_analysis.codebook import check_variables

    if variables is None:
        names = [v for v in default_variables() if v in cases.columns]
        if not names:
            raise ValueError("none of the codebook's coded variables is a column of the case data")
        return names, False
    names = check_variables(variables, coded=coded, numeric=True)
    if not names:
        raise ValueError("variables is empty; give at least one codebook variable, e.g. variables=['integration']")
    _check_frame(cases, names)
    return names, True


def _country(cases: pd.DataFrame) -> pd.Series:
    return cases["country"].astype("object").astype("str")


def _groups(cases: pd.DataFrame, by: str) -> list[tuple[str, np.ndarray, str, np.ndarray]]:
    """(group label, mask, reference label, mask) pairs to compare."""
    check_choice(by, "by", BY_VALUES)
    _check_frame(cases, ["country"] + (["programme"] if by == "programme" else []))
    country = _country(cases).to_numpy()
    jp = country == JP
    if not jp.any():
        raise ValueError("there are no Japanese (JP) cases to compare with")
    if by == "country":
        kr = country == KR
        if not kr.any():
            raise ValueError("there are no Korean (KR) cases to compare")
        return [(KR, kr, JP, jp)]
    prog = cases["programme"].astype("object").to_numpy()
    kr_progs = sorted({str(p) for p, c in zip(prog, country) if c == KR and isinstance(p, str)})
    if not kr_progs:
        raise ValueError("there are no Korean programmes to compare")
    return [(p, (prog == p) & (country == KR), JP, jp) for p in kr_progs]


def _seed_base(seed: int | np.random.Generator | None) -> int:
    """The per-call root from which every (variable, group) bootstrap stream is derived.

    An int seed is used as is; ``None`` draws fresh OS entropy once per call; a Generator contributes one draw
    (so it is advanced once per call, whatever the number of variables and groups).
    """
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    return seed


def _stream(base: int, *keys: str) -> np.random.Generator:
    """An independent generator for one (variable, group) cell, a function of the seed and the cell only.

    Each cell gets its own stream, so a variable's bootstrap interval does not depend on which other variables
    or groups were requested alongside it.
    """
    return np.random.default_rng([base, *(zlib.crc32(str(k).encode("utf-8")) for k in keys)])


def _two_sample(
    x: np.ndarray,
    y: np.ndarray,
    cx: np.ndarray | None,
    cy: np.ndarray | None,
    *,
    n_boot: int,
    n_permutations: int,
    limit: int,
    rng: np.random.Generator,
    alpha: float,
) -> dict:
    """Cliff's delta of x vs y with its bootstrap interval and p-value; cx, cy: cluster labels (or None)."""
    delta = E.cliffs_delta(x, y)
    out: dict = {"cliffs_delta": delta}
    if cx is None:
        try:
            test = E.rank_sum_exact(x, y, "two-sided")
        except E.Infeasible:
            space = math.comb(len(x) + len(y), len(x))
            if n_permutations == 0:
                raise E.too_large(space, E.NETWORK_BUDGET, "rank-sum permutation distribution") from None
            test = _rank_sum_mc(x, y, n_permutations, rng)
        units_x, units_y, unit = len(x), len(y), "case"
    else:
        values = np.concatenate([x, y])
        labels = np.concatenate([cx, cy])
        first = np.r_[np.ones(len(x), bool), np.zeros(len(y), bool)]
        ct = E.cluster_delta_test(values, labels, first, n_permutations=n_permutations, rng=rng, limit=limit)
        u = float(E.cliffs_delta(x, y)) * len(x) * len(y) / 2 + len(x) * len(y) / 2
        test = E.PermTest(u, ct.p_value, ct.p_method, ct.p_se, ct.n_resamples)
        units_x, units_y, unit = len(np.unique(cx)), len(np.unique(cy)), "cluster"
        out.update(n_clusters_group=units_x, n_clusters_ref=units_y)
    smallest = min(units_x, units_y)
    if n_boot == 0:
        lo, hi, how = np.nan, np.nan, "none"
    elif smallest < MIN_BOOT_UNITS:
        lo, hi, how = np.nan, np.nan, too_small(smallest, unit)
    elif cx is None:
        bx = x[rng.integers(0, len(x), size=(n_boot, len(x)))]
        by = y[rng.integers(0, len(y), size=(n_boot, len(y)))]
        boot = E.cliffs_delta_rows(bx, by)
        jack = np.array([E.cliffs_delta(np.delete(x, i), y) for i in range(len(x))]
                        + [E.cliffs_delta(x, np.delete(y, j)) for j in range(len(y))])
        lo, hi, how = E.bca_interval(delta, boot, jack, alpha=alpha)
    else:
        lo, hi, how = _cluster_boot_delta(x, y, cx, cy, n_boot, rng, alpha, delta)
    out.update(ci_low=lo, ci_high=hi, ci_method=how, u_statistic=test.statistic, p_value=test.p_value,
               p_se=test.p_se, p_method=test.p_method)
    return out


def _rank_sum_mc(x: np.ndarray, y: np.ndarray, n_permutations: int, rng: np.random.Generator) -> E.PermTest:
    """Monte Carlo rank-sum test (only when the exact network algorithm is past its budget)."""
    m, n = len(x), len(y)
    r = E.midranks(np.concatenate([x, y]))
    r1 = float(r[:m].sum())
    center = m * (m + n + 1) / 2.0
    perm = np.argsort(rng.random((n_permutations, m + n)), axis=1)[:, :m]
    p, se = E.mc_pvalue(r1, r[perm].sum(axis=1), center, "two-sided")
    return E.PermTest(r1 - m * (m + 1) / 2.0, p, E.P_MC, se, n_permutations)


def _cluster_boot_delta(x, y, cx, cy, n_boot, rng, alpha, delta) -> tuple[float, float, str]:
    """BCa interval of Cliff's delta resampling whole clusters within each group (cluster jackknife)."""
    values = np.concatenate([x, y])
    codes, sizes = E.cluster_codes(np.concatenate([cx, cy]))
    k = len(sizes)
    D = E.sign_sum_matrix(values, codes, k)
    s = sizes.astype("float64")
    ux = np.unique(codes[: len(x)])
    uy = np.unique(codes[len(x):])
    boot = np.concatenate([
        E.weighted_delta_rows(E.cluster_counts(ux, k, b, rng), E.cluster_counts(uy, k, b, rng), D, s)
        for b in [min(20_000, n_boot - start) for start in range(0, n_boot, 20_000)]
    ])
    wa = np.zeros(k)
    wa[ux] = 1.0
    wb = np.zeros(k)
    wb[uy] = 1.0
    jack = []
    for c in range(k):
        a, b = wa.copy(), wb.copy()
        a[c] = b[c] = 0.0
        jack.append(E.weighted_delta_rows(a[None], b[None], D, s)[0])
    lo, hi, how = E.bca_interval(delta, boot, np.array(jack), alpha=alpha)
    return lo, hi, how + " (whole clusters resampled)"


def compare_countries(
    cases: pd.DataFrame,
    *,
    variables: Sequence[str] | None = None,
    by: str = "country",
    cluster: str | None = None,
    n_boot: int = 9999,
    n_permutations: int = 9999,
    enumeration_limit: int = E.ENUMERATION_LIMIT,
    seed: int | None = 0,
    alpha: float = 0.05,
    **old: object,
) -> pd.DataFrame:
    """Compare coded variables between Korea and Japan (or each Korean programme and Japan).

    Parameters
    ----------
    cases
        One row per case with ``country`` ("KR"/"JP"), ``programme`` (for ``by="programme"``) and the variables.
        Ordered categoricals with integer categories are read as their codes; missing codes are dropped per
        variable (the ``n_`` columns count what was used).  Never modified.
    variables
        Numeric codebook variable names (codes, counts, percents, years; one string is one variable); default: the
        coded (ordinal/binary) condition variables and outcomes present in `cases`.  An explicitly requested variable that is constant over all cases raises ValueError; a constant
        default variable is skipped with a warning.
    by
        ``"country"``: Korea vs Japan, columns ``n_kr, n_jp, median_kr, median_jp, mean_kr, mean_jp``.
        ``"programme"``: each Korean programme (both its sites) vs **all Japanese cases** as the common reference
        -- the brief's question is how Korean programmes differ from the Japanese model, and a common reference
        keeps the rows comparable; columns ``group, reference, n_group, n_ref, median_group, median_ref,
        mean_group, mean_ref``.
    cluster
        A column naming each case's cluster (``"cluster"``: the codebook's default, see
        :func:`krihs_analysis.data.default_clusters`).  Cases of one cluster are not independent: the p-value is
        the randomisation p of Cliff's delta when the group labels are permuted over whole clusters, and the
        interval resamples whole clusters within each group.  None: every case is independent.
    n_boot
        Bootstrap draws for the Cliff's delta interval; 0 for none.
    n_permutations
        Monte Carlo draws for a p-value whose permutation space is past `enumeration_limit` (with `cluster`) or the
        exact algorithm's budget (without); 0 then raises ValueError giving the size of the space.
    enumeration_limit
        Largest number of cluster assignments enumerated for the exact p.
    seed
        Seed of the bootstrap and Monte Carlo.  Each (variable, group) row draws from its own stream derived from
        the seed and the row's names, so a row's interval is the same whichever other variables are requested.
        ``None``: fresh entropy; a Generator is advanced once and seeds the streams.
    alpha
        Significance level: the interval has confidence ``1 - alpha``.

    Returns
    -------
    pandas.DataFrame
        One row per variable (per programme and variable): counts of cases, medians, means (of a yes/no variable
        coded 0/1: the share of yes), ``cliffs_delta`` (group minus
        reference), ``ci_low``, ``ci_high``, ``ci_method``, ``u_statistic`` (Mann-Whitney U of the group, R's W),
        ``p_value``, ``p_se`` (0 when exact), ``p_method``, and ``p_holm`` (Holm across all rows of the table).
        Without `cluster` the p-value is the two-sided exact conditional rank-sum test
        (``P(|W - E W| >= |w - E W|)``); with it, ``P(|delta*| >= |delta|)`` over the cluster assignments, and the
        table has ``n_clusters_kr, n_clusters_jp`` (``n_clusters_group, n_clusters_ref``).  A group with fewer than
        5 independent units (cases, or clusters) gets no interval: ``ci_low``/``ci_high`` NaN and
        ``ci_method = "group too small: n = 2"``.

    Notes
    -----
    The cluster randomisation test is that of a cluster-randomised comparison (Gail et al. 1996, Stat Med 15:
    1069-92): every assignment of the K clusters to groups of the observed sizes k and K - k is equally likely under
    the null, cases moving with their cluster; C(15, 7) = 6435 assignments for the sample, so the p-value is exact.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": list("abcdef"), "country": ["KR"] * 3 + ["JP"] * 3,
    ...                       "integration": [3, 2, 3, 1, 0, 1]})
    >>> row = compare_countries(cases, variables=["integration"], n_boot=199).iloc[0]
    >>> float(row["cliffs_delta"]), round(float(row["p_value"]), 3), row["ci_method"]
    (1.0, 0.1, 'group too small: n = 3')
    """
    import warnings

    check_frame(cases, "cases")
    opts = renamed(old, {"n_resamples": "n_boot"}, "compare_countries",
                   current={"n_boot": (n_boot, compare_countries.__kwdefaults__["n_boot"])})
    n_boot = opts.get("n_boot", n_boot)
    n_boot, n_permutations, seed, alpha, enumeration_limit = _options(n_boot, n_permutations, seed, alpha,
                                                                      enumeration_limit)
    names, explicit = _resolve_variables(cases, variables)
    pairs = _groups(cases, by)
    clusters = _clusters(cases, cluster)
    base = _seed_base(seed)
    rows = []
    from krihs_analysis.data import numeric_codes  # lazily: the data layer loads pandera

    coded = numeric_codes(cases, names)  # one conversion, whose message names the column and the cases
    for name in names:
        values = coded[name].to_numpy(copy=True)
        finite = values[np.isfinite(values)]
        if finite.size and np.all(finite == finite[0]):
            msg = f"{name!r} is constant ({finite[0]:g}) over all cases: nothing to compare"
            if explicit:
                raise ValueError(msg)
            warnings.warn(msg + "; skipped", stacklevel=2)
            continue
        for group, gmask, ref, rmask in pairs:
            gm, rm = gmask & np.isfinite(values), rmask & np.isfinite(values)
            x, y = values[gm], values[rm]
            if len(x) == 0 or len(y) == 0:
                empty = group if len(x) == 0 else ref
                raise ValueError(f"{name!r}: group {empty!r} has no cases with a code")
            cx = cy = None
            if clusters is not None:
                cx, cy = clusters[gm], clusters[rm]
                shared = set(cx) & set(cy)
                if shared:
                    raise ValueError(f"cluster(s) {sorted(shared)} of column {cluster!r} have cases in both "
                                     f"{group} and {ref}; a cluster must lie within one group")
            res = _two_sample(x, y, cx, cy, n_boot=n_boot, n_permutations=n_permutations, limit=enumeration_limit,
                              rng=_stream(base, name, group), alpha=alpha)
            rows.append(
                {
                    "variable": name,
                    "group": group,
                    "reference": ref,
                    "n_group": len(x),
                    "n_ref": len(y),
                    "median_group": float(np.median(x)),
                    "median_ref": float(np.median(y)),
                    # of a yes/no variable, the share of yes: its median says only which answer is the majority
                    "mean_group": float(np.mean(x)),
                    "mean_ref": float(np.mean(y)),
                    **res,
                }
            )
    out = pd.DataFrame(rows)
    if out.empty:
        raise ValueError("no variable could be compared")
    out["p_holm"] = E.holm(out["p_value"].to_numpy())
    if by == "country":
        out = out.drop(columns=["group", "reference"]).rename(
            columns={"n_group": "n_kr", "n_ref": "n_jp", "median_group": "median_kr", "median_ref": "median_jp",
                     "mean_group": "mean_kr", "mean_ref": "mean_jp", "n_clusters_group": "n_clusters_kr",
                     "n_clusters_ref": "n_clusters_jp"}
        )
    from krihs_analysis.data.tidy import carry_provenance  # the figures label a table by its cases

    return carry_provenance(out.reset_index(drop=True), cases)


def level_distribution(
    cases: pd.DataFrame, *, variables: Sequence[str] | None = None, by: str = "country"
) -> pd.DataFrame:
    """Share of cases at each code, per group.

    Parameters
    ----------
    cases
        Case data (never modified).
    variables
        Coded (ordinal or binary) codebook variables, whose levels are counted (default as
        :func:`compare_countries`).
    by
        ``"country"`` or ``"programme"`` (every programme, Korean and Japanese).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``variable, group, code, n, share`` -- every codebook code appears (n = 0 when unused); shares are
        of the cases with a code in that group (missing codes excluded) and sum to 1 within variable and group.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"country": ["KR", "KR", "JP"], "integration": [3, 2, 3]})
    >>> level_distribution(cases, variables=["integration"]).query("group == 'KR' and n > 0")["share"].tolist()
    [0.5, 0.5]
    """
    from krihs_analysis.codebook import load_codebook

    check_frame(cases, "cases")
    check_choice(by, "by", BY_VALUES)
    names, _ = _resolve_variables(cases, variables, coded=True)  # a distribution over the codebook's levels
    _check_frame(cases, [by])
    cb = load_codebook()
    groups = cases[by].astype("object")
    labels = sorted({str(g) for g in groups.dropna()})
    if not labels:
        raise ValueError(f"column {by!r} has no groups")
    rows = []
    from krihs_analysis.data import numeric_codes  # lazily: the data layer loads pandera

    coded = numeric_codes(cases, names)
    for name in names:
        values = coded[name].to_numpy(copy=True)
        codes = [float(c) for c in cb[name].codes] or sorted(set(values[np.isfinite(values)]))
        extra = sorted(set(values[np.isfinite(values)]) - set(codes))
        for g in labels:
            v = values[(groups == g).to_numpy() & np.isfinite(values)]
            total = len(v)
            for code in [*codes, *extra]:
                k = int(np.count_nonzero(v == code))
                rows.append(
                    {
                        "variable": name,
                        "group": g,
                        "code": int(code) if float(code).is_integer() else code,
                        "n": k,
                        "share": k / total if total else np.nan,
                    }
                )
    from krihs_analysis.data.tidy import carry_provenance  # the figures label a table by its cases

    return carry_provenance(pd.DataFrame(rows), cases)


def core_task_profile(
    cases: pd.DataFrame,
    *,
    by: str = "country",
    cluster: str | None = None,
    n_boot: int = 9999,
    seed: int | None = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The four core-task indices (mean of each task's 0-3 items) summarised per group.

    Parameters
    ----------
    cases
        Case data with the task items (never modified).
    by
        ``"country"`` or ``"programme"``.
    cluster
        A column naming each case's cluster: the interval then resamples whole clusters within the group (the
        mean of the resampled cases).  None: cases are resampled.
    n_boot, seed, alpha
        Percentile bootstrap interval of the group mean at confidence ``1 - alpha``; each (group, task) draws from
        its own stream derived from the seed and the group's cases, so its interval does not depend on the other
        groups, and the same cases get the same interval under either `by`.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``group, task, n, n_group, mean, median, sd, ci_low, ci_high, ci_method`` (plus ``n_clusters`` with
        `cluster`).  ``n`` and ``n_group`` count the group's cases; a group with fewer than 5 independent units
        (cases, or clusters) has no interval and ``ci_method`` says so (``"group too small: n = 2"``).

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> prof = core_task_profile(read_cases(), by="programme", n_boot=999)
    >>> prof.loc[prof["group"] == "KR-P1", "ci_method"].iloc[0]
    'group too small: n = 2'
    """
    from krihs_analysis.data import core_task_indices

    check_frame(cases, "cases")
    check_choice(by, "by", BY_VALUES)
    alpha = check_alpha(alpha)
    n_boot = check_n_boot(n_boot, alpha)
    seed = check_seed(seed)
    _check_frame(cases, [by])
    clusters = _clusters(cases, cluster)
    idx = core_task_indices(cases)
    groups = cases[by].astype("object").to_numpy()
    ids = idx["case_id"].astype(str).to_numpy()
    labels = sorted({str(g) for g in groups if isinstance(g, str)})
    if not labels:
        raise ValueError(f"column {by!r} has no groups")
    base = _seed_base(seed)
    rows = []
    for g in labels:
        for task in [c for c in idx.columns if c != "case_id"]:
            v = idx[task].to_numpy(dtype="float64")
            keep = (groups == g) & np.isfinite(v)
            # in the order of the case ids: the draws are then those of the cases, whatever the sheet's row order
            keep = np.flatnonzero(keep)[np.argsort(ids[keep], kind="stable")]
            v = v[keep]
            if len(v) == 0:
                raise ValueError(f"group {g!r} has no cases with {task}")
            extra = {}
            if clusters is None:
                units, unit = len(v), "case"
            else:
                codes, sizes = E.cluster_codes(clusters[keep])
                units, unit = len(sizes), "cluster"
                extra["n_clusters"] = units
            lo = hi = np.nan
            if n_boot == 0:
                how = "none"
            elif units < MIN_BOOT_UNITS:
                how = too_small(units, unit)
            else:
                # keyed on the group's cases, not its name: the same cases draw the same interval whether they
                # are grouped by country or by programme (Japan's band in Figure 4 read 1.46-2.42 beside
                # 1.50-2.43 in the country table, for the same twelve cases)
                rng = _stream(base, task, "\x1f".join(ids[keep]))
                if clusters is None:
                    boot = v[rng.integers(0, len(v), size=(n_boot, len(v)))].mean(axis=1)
                    how = "percentile"
                else:
                    sums = np.bincount(codes, weights=v)
                    W = E.cluster_counts(np.arange(units), units, n_boot, rng)
                    boot = (W @ sums) / (W @ sizes)
                    how = "percentile (whole clusters resampled)"
                lo, hi = E.percentile_interval(boot, alpha=alpha)
            rows.append(
                {
                    "group": g,
                    "task": task,
                    "n": len(v),
                    "n_group": len(v),
                    **extra,
                    "mean": float(v.mean()),
                    "median": float(np.median(v)),
                    "sd": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                    "ci_method": how,
                }
            )
    from krihs_analysis.data.tidy import carry_provenance  # the figures label a table by its cases

    return carry_provenance(pd.DataFrame(rows), cases)


def case_profile(cases: pd.DataFrame, case_id: str, *, variables: Sequence[str] | None = None) -> pd.DataFrame:
    """One case's codes beside its country's and its programme's medians (the case card's table).

    Parameters
    ----------
    cases
        Case data (never modified).
    case_id
        The case to describe.
    variables
        Numeric codebook variables: codes, counts, percents or years (default as :func:`compare_countries`).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``case_id, variable, value, country_median, programme_median, n_country, n_programme``; the
        medians include the case itself. ``attrs['illustrative']`` says whether the cases are illustrative, so
        the case card labels the figure of sample data without being told; ``attrs['programme_is_country']``
        whether the programme's cases are exactly the country's (then the two medians are one).

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> card = case_profile(read_cases(), "KR-P1-A", variables=["integration"])
    >>> card[["value", "country_median", "programme_median"]].values.tolist()
    [[1.0, 1.0, 1.5]]
    """
    from krihs_analysis.data import is_illustrative, numeric_codes

    _check_frame(cases, ["case_id", "country", "programme"])
    case_id = check_text(case_id, "case_id", example="case_id='KR-P1-A'")
    hit = cases.index[cases["case_id"].astype(str) == case_id]
    if len(hit) != 1:
        raise ValueError(f"case {case_id!r} is not in the data (or not unique); known cases: "
                         f"{', '.join(map(str, cases['case_id'].head(5)))}, ...")
    names, _ = _resolve_variables(cases, variables)
    codes = numeric_codes(cases, names)
    row = cases.loc[hit[0]]
    same_country = (cases["country"].astype(str) == str(row["country"])).to_numpy()
    same_programme = (cases["programme"].astype(str) == str(row["programme"])).to_numpy()
    profile = pd.DataFrame({
        "case_id": case_id,
        "variable": names,
        "value": codes.loc[hit[0]].to_numpy(),
        "country_median": codes[same_country].median().to_numpy(),
        "programme_median": codes[same_programme].median().to_numpy(),
        "n_country": int(same_country.sum()),
        "n_programme": int(same_programme.sum()),
    })
    profile.attrs["illustrative"] = is_illustrative(cases)
    # Japan's cases are all of one programme: its "two" medians are one median, and the card says so once
    profile.attrs["programme_is_country"] = bool((same_country == same_programme).all())
    return profile
