"""Korea-Japan comparison of the coded case variables (KRIHS Policy Brief 736, question a).

With 14 Korean and about 12 Japanese cases coded on 0-3 scales full of ties, every p-value here is conditional
on the ties and exact: the Wilcoxon-Mann-Whitney rank-sum statistic (with mid-ranks) is referred to its exact
permutation distribution given the observed tie pattern, computed by the network algorithm of
:mod:`krihs_analysis._exact` -- exact whatever the number of group splits (C(26, 12) ~ 9.7 million here), so
``p_method`` is ``"exact"``.  Effect sizes are Cliff's delta (Korea minus Japan: P(KR > JP) - P(KR < JP)) with a
stratified bootstrap BCa interval (percentile when BCa is undefined; ``ci_method`` says which and why).  p-values
are Holm-adjusted across the rows of a table (``p_holm``).

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> table = compare_countries(read_cases(), variables=["resident_org"], n_boot=999)
>>> table[["variable", "median_kr", "median_jp", "p_method"]].values.tolist()
[['resident_org', 1.0, 3.0, 'exact']]
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from krihs_analysis import _exact as E

__all__ = ["compare_countries", "level_distribution", "core_task_profile", "default_variables"]

KR, JP = "KR", "JP"
BY_VALUES = ("country", "programme")


def default_variables() -> list[str]:
    """The codebook's coded condition variables followed by its coded outcomes (ordinal or binary)."""
    from krihs_analysis.codebook import load_codebook

    cb = load_codebook()
    outcomes = [n for n in cb.outcomes if cb[n].is_coded]
    return [*cb.conditions, *[o for o in outcomes if o not in cb.conditions]]


def _check_frame(cases: pd.DataFrame, needed: Sequence[str]) -> None:
    if not isinstance(cases, pd.DataFrame):
        raise TypeError(f"cases must be a pandas DataFrame, got {type(cases).__name__}")
    missing = [c for c in needed if c not in cases.columns]
    if missing:
        raise ValueError(f"columns {missing} are missing from the case data")
    if len(cases) == 0:
        raise ValueError("the case data have no rows")


def _resolve_variables(cases: pd.DataFrame, variables: Sequence[str] | None) -> tuple[list[str], bool]:
    from krihs_analysis.codebook import check_variables

    if variables is None:
        names = [v for v in default_variables() if v in cases.columns]
        if not names:
            raise ValueError("none of the codebook's coded variables is a column of the case data")
        return names, False
    if isinstance(variables, str):
        variables = [variables]
    names = check_variables(list(variables))
    _check_frame(cases, names)
    return names, True


def _country(cases: pd.DataFrame) -> pd.Series:
    return cases["country"].astype("object").astype("str")


def _groups(cases: pd.DataFrame, by: str) -> list[tuple[str, np.ndarray, str, np.ndarray]]:
    """(group label, mask, reference label, mask) pairs to compare."""
    if by not in BY_VALUES:
        raise ValueError(f"by must be one of {BY_VALUES}, got {by!r}")
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


def _two_sample(x: np.ndarray, y: np.ndarray, n_boot: int, rng: np.random.Generator, alpha: float) -> dict:
    """Cliff's delta with bootstrap CI and the exact tie-conditioned rank-sum test of x vs y."""
    test = E.rank_sum_exact(x, y, "two-sided")
    delta = E.cliffs_delta(x, y)
    if n_boot > 0:
        bx = x[rng.integers(0, len(x), size=(n_boot, len(x)))]
        by = y[rng.integers(0, len(y), size=(n_boot, len(y)))]
        boot = E.cliffs_delta_rows(bx, by)
        jack = np.array(
            [E.cliffs_delta(np.delete(x, i), y) for i in range(len(x)) if len(x) > 1]
            + [E.cliffs_delta(x, np.delete(y, j)) for j in range(len(y)) if len(y) > 1]
        )
        lo, hi, how = E.bca_interval(delta, boot, jack, alpha=alpha)
    else:
        lo, hi, how = np.nan, np.nan, "none"
    return {
        "cliffs_delta": delta,
        "ci_low": lo,
        "ci_high": hi,
        "ci_method": how,
        "u_statistic": test.statistic,
        "p_value": test.p_value,
        "p_se": test.p_se,
        "p_method": test.p_method,
    }


def compare_countries(
    cases: pd.DataFrame,
    *,
    variables: Sequence[str] | None = None,
    by: str = "country",
    n_boot: int = 9999,
    seed: int | None = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Compare coded variables between Korea and Japan (or each Korean programme and Japan).

    Parameters
    ----------
    cases
        One row per case with ``country`` ("KR"/"JP"), ``programme`` (for ``by="programme"``) and the variables.
        Ordered categoricals with integer categories are read as their codes; missing codes are dropped per
        variable (the ``n_`` columns count what was used).  Never modified.
    variables
        Codebook variable names; default: the coded (ordinal/binary) condition variables and outcomes present in
        `cases`.  An explicitly requested variable that is constant over all cases raises ValueError; a constant
        default variable is skipped with a warning.
    by
        ``"country"``: Korea vs Japan, columns ``n_kr, n_jp, median_kr, median_jp``.  ``"programme"``: each
        Korean programme (both its sites) vs **all Japanese cases** as the common reference -- the brief's
        question is how Korean programmes differ from the Japanese model, and a common reference keeps the
        rows comparable; columns ``group, reference, n_group, n_ref, median_group, median_ref``.
    n_boot
        Bootstrap resamples for the Cliff's delta interval (resampling within each group); 0 for none.
    seed
        Seed of the bootstrap.  Each (variable, group) row draws from its own stream derived from the seed and
        the row's names, so a row's interval is the same whichever other variables are requested.  ``None``:
        fresh entropy; a Generator is advanced once and seeds the streams.
    alpha
        1 - confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per variable (per programme and variable): counts, medians, ``cliffs_delta`` (group minus
        reference), ``ci_low``, ``ci_high``, ``ci_method``, ``u_statistic`` (Mann-Whitney U of the group, R's W),
        ``p_value`` (two-sided exact conditional rank-sum test, ``P(|W - E W| >= |w - E W|)``), ``p_se`` (0 when
        exact), ``p_method``, and ``p_holm`` (Holm across all rows of the table).

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": list("abcdef"), "country": ["KR"] * 3 + ["JP"] * 3,
    ...                       "integration": [3, 2, 3, 1, 0, 1]})
    >>> row = compare_countries(cases, variables=["integration"], n_boot=199).iloc[0]
    >>> float(row["cliffs_delta"]), round(float(row["p_value"]), 3)
    (1.0, 0.1)
    """
    import warnings

    names, explicit = _resolve_variables(cases, variables)
    pairs = _groups(cases, by)
    base = _seed_base(seed)
    rows = []
    for name in names:
        values = E.as_float(cases[name])
        finite = values[np.isfinite(values)]
        if finite.size and np.all(finite == finite[0]):
            msg = f"{name!r} is constant ({finite[0]:g}) over all cases: nothing to compare"
            if explicit:
                raise ValueError(msg)
            warnings.warn(msg + "; skipped", stacklevel=2)
            continue
        for group, gmask, ref, rmask in pairs:
            x = values[gmask & np.isfinite(values)]
            y = values[rmask & np.isfinite(values)]
            if len(x) == 0 or len(y) == 0:
                empty = group if len(x) == 0 else ref
                raise ValueError(f"{name!r}: group {empty!r} has no cases with a code")
            res = _two_sample(x, y, n_boot, _stream(base, name, group), alpha)
            rows.append(
                {
                    "variable": name,
                    "group": group,
                    "reference": ref,
                    "n_group": len(x),
                    "n_ref": len(y),
                    "median_group": float(np.median(x)),
                    "median_ref": float(np.median(y)),
                    **res,
                }
            )
    out = pd.DataFrame(rows)
    if out.empty:
        raise ValueError("no variable could be compared")
    out["p_holm"] = E.holm(out["p_value"].to_numpy())
    if by == "country":
        out = out.drop(columns=["group", "reference"]).rename(
            columns={"n_group": "n_kr", "n_ref": "n_jp", "median_group": "median_kr", "median_ref": "median_jp"}
        )
    return out.reset_index(drop=True)


def level_distribution(
    cases: pd.DataFrame, *, variables: Sequence[str] | None = None, by: str = "country"
) -> pd.DataFrame:
    """Share of cases at each code, per group.

    Parameters
    ----------
    cases
        Case data (never modified).
    variables
        Codebook variables (default as :func:`compare_countries`).
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

    if by not in BY_VALUES:
        raise ValueError(f"by must be one of {BY_VALUES}, got {by!r}")
    names, _ = _resolve_variables(cases, variables)
    _check_frame(cases, [by])
    cb = load_codebook()
    groups = cases[by].astype("object")
    labels = sorted({str(g) for g in groups.dropna()})
    if not labels:
        raise ValueError(f"column {by!r} has no groups")
    rows = []
    for name in names:
        values = E.as_float(cases[name])
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
    return pd.DataFrame(rows)


def core_task_profile(
    cases: pd.DataFrame, *, by: str = "country", n_boot: int = 9999, seed: int | None = 0, alpha: float = 0.05
) -> pd.DataFrame:
    """The four core-task indices (mean of each task's 0-3 items) summarised per group.

    Parameters
    ----------
    cases
        Case data with the task items (never modified).
    by
        ``"country"`` or ``"programme"``.
    n_boot, seed, alpha
        Percentile bootstrap interval of the group mean (resampling cases within the group); each (group, task)
        draws from its own stream derived from the seed, so its interval does not depend on the other groups.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``group, task, n, mean, median, sd, ci_low, ci_high``.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> prof = core_task_profile(read_cases(), n_boot=999)
    >>> prof[["group", "task"]].head(2).values.tolist()
    [['JP', 'task1_capacity'], ['JP', 'task2_government']]
    """
    from krihs_analysis.data import core_task_indices

    if by not in BY_VALUES:
        raise ValueError(f"by must be one of {BY_VALUES}, got {by!r}")
    _check_frame(cases, [by])
    idx = core_task_indices(cases)
    groups = cases[by].astype("object").to_numpy()
    labels = sorted({str(g) for g in groups if isinstance(g, str)})
    if not labels:
        raise ValueError(f"column {by!r} has no groups")
    base = _seed_base(seed)
    rows = []
    for g in labels:
        for task in [c for c in idx.columns if c != "case_id"]:
            v = idx[task].to_numpy(dtype="float64")[groups == g]
            v = v[np.isfinite(v)]
            if len(v) == 0:
                raise ValueError(f"group {g!r} has no cases with {task}")
            if n_boot > 0 and len(v) > 1:
                rng = _stream(base, task, g)
                boot = v[rng.integers(0, len(v), size=(n_boot, len(v)))].mean(axis=1)
                lo, hi = E.percentile_interval(boot, alpha=alpha)
            else:
                lo = hi = np.nan
            rows.append(
                {
                    "group": g,
                    "task": task,
                    "n": len(v),
                    "mean": float(v.mean()),
                    "median": float(np.median(v)),
                    "sd": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
    return pd.DataFrame(rows)


def case_profile(cases: pd.DataFrame, case_id: str, *, variables: Sequence[str] | None = None) -> pd.DataFrame:
    """One case's codes beside its country's and its programme's medians (the case card's table).

    Parameters
    ----------
    cases
        Case data (never modified).
    case_id
        The case to describe.
    variables
        Coded variables (default as :func:`compare_countries`).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``case_id, variable, value, country_median, programme_median, n_country, n_programme``; the
        medians include the case itself.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> card = case_profile(read_cases(), "KR-P1-A", variables=["integration"])
    >>> card[["value", "country_median", "programme_median"]].values.tolist()
    [[1.0, 1.0, 1.5]]
    """
    from krihs_analysis.data import numeric_codes

    _check_frame(cases, ["case_id", "country", "programme"])
    hit = cases.index[cases["case_id"].astype(str) == case_id]
    if len(hit) != 1:
        raise ValueError(f"case {case_id!r} is not in the data (or not unique); known cases: "
                         f"{', '.join(map(str, cases['case_id'].head(5)))}, ...")
    names = list(variables) if variables is not None else default_variables()
    codes = numeric_codes(cases, names)
    row = cases.loc[hit[0]]
    same_country = (cases["country"].astype(str) == str(row["country"])).to_numpy()
    same_programme = (cases["programme"].astype(str) == str(row["programme"])).to_numpy()
    return pd.DataFrame({
        "case_id": case_id,
        "variable": names,
        "value": codes.loc[hit[0]].to_numpy(),
        "country_median": codes[same_country].median().to_numpy(),
        "programme_median": codes[same_programme].median().to_numpy(),
        "n_country": int(same_country.sum()),
        "n_programme": int(same_programme.sum()),
    })
