"""Tests of the private exact/resampling engine (krihs_analysis._exact)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from krihs_analysis import _exact as E

# Hollander & Wolfe (1973, p. 187) data, used in the example of R's cor.test.
HW_X = np.array([44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1])
HW_Y = np.array([2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8])

TIED_PAIRS = [
    (np.array([0, 1, 1, 2, 3, 3, 0, 2.0]), np.array([1, 1, 0, 2, 3, 2, 0, 3.0])),
    (np.array([0, 0, 1, 1, 1, 2, 2.0]), np.array([2, 0, 1, 1, 3, 3, 0.0])),
    (np.array([1, 1, 2, 2, 3, 3, 0, 0]), np.array([0, 1, 1, 2, 2, 3, 0, 3.0])),
]


def _all_permutations(y):
    """Every one of the n! orderings of y, as rows (n <= 8 keeps this small)."""
    return y[np.array(list(itertools.permutations(range(len(y)))))]


def _brute(t_all, t_obs, center, alternative):
    """p-value by the definition: share of all n! permutations at least as extreme as the observed statistic."""
    bounds = E.tail_bounds(t_obs, center, alternative)
    if bounds is None:
        return 1.0
    lo, hi = bounds
    return float(np.mean((t_all <= lo) | (t_all >= hi)))


def _kendall_S_by_pairs(x, Y):
    """Kendall's S written out: sum over pairs i < j of sign(x_i - x_j) sign(y_i - y_j)."""
    i, j = np.triu_indices(len(x), 1)
    return (np.sign(x[i] - x[j]) * np.sign(Y[:, i] - Y[:, j])).sum(axis=1)


@pytest.mark.parametrize("x, y", TIED_PAIRS)
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_exact_kendall_p_equals_brute_force_enumeration_on_tied_data(x, y, alternative):
    expected = _brute(_kendall_S_by_pairs(x, _all_permutations(y)), E.kendall_S(x, y), 0.0, alternative)
    assert E.kendall_exact(x, y, alternative) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("x, y", TIED_PAIRS)
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_exact_spearman_p_equals_brute_force_enumeration_on_tied_data(x, y, alternative):
    a, b = E.midranks(x), E.midranks(y)
    center = a.sum() * b.sum() / len(a)
    expected = _brute(_all_permutations(b) @ a, float(a @ b), center, alternative)
    assert E.linear_exact(a, b, float(a @ b), center, alternative) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("x, y", TIED_PAIRS)
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_exact_rank_sum_p_equals_brute_force_enumeration_of_group_splits(x, y, alternative):
    pooled = np.concatenate([x, y])[:8]
    m = 4
    r = E.midranks(pooled)
    center = m * (len(pooled) + 1) / 2
    labels = np.array([1.0] * m + [0.0] * (len(pooled) - m))
    expected = _brute(_all_permutations(r) @ labels, float(r[:m].sum()), center, alternative)
    got = E.rank_sum_exact(pooled[:m], pooled[m:], alternative).p_value
    assert got == pytest.approx(expected, abs=1e-12)


def test_exact_fisher_rxc_equals_brute_force_over_permutations():
    x = np.array([0, 0, 1, 1, 1, 2, 2, 2.0])
    y = np.array([0, 1, 0, 1, 1, 2, 2, 0.0])

    def logp(u, v):
        t = E.crosstab_counts(np.unique(u, return_inverse=True)[1], np.unique(v, return_inverse=True)[1], 3, 3)
        return -float(sum(math.lgamma(c + 1) for c in t.ravel()))

    obs = logp(x, y)
    perms = _all_permutations(y)
    # distinct orderings suffice: each occurs equally often among the n! permutations
    uniq, counts = np.unique(perms, axis=0, return_counts=True)
    hits = sum(c for u, c in zip(uniq, counts) if logp(x, u) <= obs + 1e-7)
    total = counts.sum()
    table = E.crosstab_counts(np.unique(x, return_inverse=True)[1], np.unique(y, return_inverse=True)[1], 3, 3)
    assert E.fisher_exact_rxc(table) == pytest.approx(hits / total, abs=1e-12)


def _tables_with_margins(rows, cols):
    """Every r x c table of counts with these margins (plain recursion: the reference for the network algorithm)."""
    if len(cols) == 1:
        yield [[r] for r in rows]
        return
    for first in itertools.product(*(range(min(r, cols[0]) + 1) for r in rows)):
        if sum(first) == cols[0]:
            for rest in _tables_with_margins([r - f for r, f in zip(rows, first)], cols[1:]):
                yield [[f, *row] for f, row in zip(first, rest)]


def _fisher_by_enumeration(table) -> float:
    t = np.asarray(table)
    rows, cols, n = t.sum(axis=1).tolist(), t.sum(axis=0).tolist(), int(t.sum())
    const = sum(math.lgamma(v + 1) for v in rows + cols) - math.lgamma(n + 1)

    def logp(u):
        return const - sum(math.lgamma(v + 1) for row in u for v in row)

    obs = logp(t.tolist())
    return sum(math.exp(lp) for u in _tables_with_margins(rows, cols) if (lp := logp(u)) <= obs + 1e-7)


def test_fisher_rxc_with_pruning_equals_enumeration_of_every_table(monkeypatch):
    # tables wide enough that the network settles partial tables early (counted below), checked against the sum
    # over every table with the same margins
    settled = []
    prune = E._prune

    def spy(*args):
        out = prune(*args)
        settled.append(out[0])
        return out

    monkeypatch.setattr(E, "_prune", spy)
    rng = np.random.default_rng(11)
    for _ in range(12):
        table = rng.integers(0, 3, size=(3, 5))
        table[:, table.sum(axis=0) == 0] = 1
        assert E.fisher_exact_rxc(table) == pytest.approx(_fisher_by_enumeration(table), abs=1e-12), table
    assert sum(p > 0 for p in settled) >= 6  # the pruning did settle probability in most tables


def test_fisher_pruning_bounds_hold_for_every_completion():
    # _fisher_remaining bounds what the columns still to fill can add; a wrong bound would prune wrongly
    rng = np.random.default_rng(5)
    for _ in range(40):
        cols = np.sort(rng.integers(1, 5, size=4))
        j = int(rng.integers(0, 3))
        left = int(cols[j:].sum())
        state = np.bincount(rng.integers(0, 3, size=left), minlength=3)
        low, high = E._fisher_remaining(cols, j, state[None, :])
        values = [-sum(math.lgamma(v + 1) for row in u for v in row)
                  for u in _tables_with_margins(state.tolist(), cols[j:].tolist())]
        assert low[0] <= min(values) + 1e-9 and max(values) <= high[0] + 1e-9


def test_kendall_exact_reproduces_r_cor_test_on_hollander_wolfe_data():
    # R: cor.test(x, y, method = "kendall") -> T = 26, p-value = 0.1194, tau = 0.4444444
    assert E.kendall_tau_b(HW_X, HW_Y) == pytest.approx(0.4444444, abs=1e-7)
    assert E.kendall_exact(HW_X, HW_Y, "two-sided") == pytest.approx(0.1194, abs=5e-5)


def test_spearman_exact_reproduces_r_cor_test_on_hollander_wolfe_data():
    # R: cor.test(x, y, method = "spearman") -> S = 48, p-value = 0.0968, rho = 0.6 (scipy's t-approx: 0.0876)
    a, b = E.midranks(HW_X), E.midranks(HW_Y)
    p = E.linear_exact(a, b, float(a @ b), a.sum() * b.sum() / 9, "two-sided")
    assert p == pytest.approx(0.0968, abs=5e-5)


def test_rank_sum_reproduces_r_wilcox_test_example():
    # R ?wilcox.test: x (depression, first visit) vs y: W = 35, p-value = 0.1272 (alternative = "greater")
    x = np.array([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46])
    y = np.array([1.15, 0.88, 0.90, 0.74, 1.21])
    res = E.rank_sum_exact(x, y, "greater")
    assert res.statistic == 35
    assert res.p_value == pytest.approx(0.1272, abs=5e-5)


def test_rank_sum_is_exact_for_fourteen_vs_twelve_tied_codes_beyond_enumeration():
    # C(26, 12) ~ 9.7e6 splits; the network algorithm must agree with a large Monte Carlo within 4 s.e.
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, 14).astype(float)
    y = rng.integers(0, 3, 12).astype(float)
    res = E.rank_sum_exact(x, y, "two-sided")
    pooled = np.concatenate([x, y])
    r = E.midranks(pooled)
    idx = E.permuted_indices([np.arange(26)], 26, 200_000, np.random.default_rng(0))
    t = r[idx][:, :14].sum(axis=1)
    p_mc, se = E.mc_pvalue(float(r[:14].sum()), t, 14 * 27 / 2, "two-sided")
    assert res.p_method == "exact"
    assert abs(res.p_value - p_mc) < 4 * se + 1e-4


def test_cliffs_delta_matches_textbook_example():
    # Cliff (1993) style example: 19 22 16 29 24 vs 20 11 17 12 -> U = 17 of 20 pairs, delta = 0.70
    assert E.cliffs_delta(np.array([19, 22, 16, 29, 24.0]), np.array([20, 11, 17, 12.0])) == pytest.approx(0.7, abs=1e-12)


def test_vectorised_cliffs_delta_rows_match_the_pairwise_definition():
    rng = np.random.default_rng(1)
    X, Y = rng.integers(0, 4, (50, 7)).astype(float), rng.integers(0, 4, (50, 5)).astype(float)
    expected = [E.cliffs_delta(a, b) for a, b in zip(X, Y)]
    np.testing.assert_allclose(E.cliffs_delta_rows(X, Y), expected, atol=1e-12)


def test_vectorised_kendall_rows_match_the_pairwise_definition():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, 12).astype(float)
    Y = rng.integers(0, 4, (40, 12)).astype(float)
    np.testing.assert_allclose(E.kendall_S_rows(x, Y), [E.kendall_S(x, y) for y in Y], atol=1e-12)
    np.testing.assert_allclose(E.kendall_tau_b_rows(np.tile(x, (40, 1)), Y), [E.kendall_tau_b(x, y) for y in Y],
                               atol=1e-12)


def test_holm_adjustment_matches_r_p_adjust():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") -> 0.030 0.060 0.060 0.020
    np.testing.assert_allclose(E.holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02], atol=1e-12)


def test_holm_with_a_larger_family_matches_r_p_adjust_n():
    # R 4.2.2: p.adjust(c(0.01, 0.04, 0.03), "holm", n = 10) -> 0.10 0.32 0.27
    #          p.adjust(c(0.2, 0.3), "holm", n = 5) -> 1 1
    np.testing.assert_allclose(E.holm([0.01, 0.04, 0.03], m=10), [0.10, 0.32, 0.27], atol=1e-12)
    np.testing.assert_allclose(E.holm([0.2, 0.3], m=5), [1.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(E.holm([0.01, 0.04, 0.03], m=3), E.holm([0.01, 0.04, 0.03]), atol=0)
    for m in (2, 2.5, True, "10"):  # a family smaller than the p-values given, or not a count
        with pytest.raises(ValueError, match="m is the size of the whole family"):
            E.holm([0.01, 0.04, 0.03], m=m)


def test_holm_leaves_missing_p_values_out_of_the_family():
    out = E.holm([0.01, np.nan, 0.02])
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.02], atol=1e-12)


def test_bca_falls_back_to_percentile_when_bias_correction_is_undefined():
    # every replicate above the estimate (but not all equal): z0 = Phi^-1(0) is infinite
    boot = np.linspace(0.6, 1.0, 100)
    lo, hi, how = E.bca_interval(0.5, boot, np.linspace(0.4, 0.6, 10))
    assert how == "percentile (BCa bias correction undefined)"
    np.testing.assert_allclose((lo, hi), np.quantile(boot, [0.025, 0.975]), atol=1e-12)
    # and all below
    lo, hi, how = E.bca_interval(1.5, boot, np.linspace(0.4, 0.6, 10))
    assert how == "percentile (BCa bias correction undefined)"


def test_stratified_permutations_never_move_a_case_out_of_its_stratum():
    order, blocks = E.strata_layout(np.array(["a", "b", "a", "b", "b"]), 5)
    idx = E.permuted_indices(blocks, 5, 200, np.random.default_rng(0))
    for b in blocks:
        assert np.isin(idx[:, b], b).all()


def test_full_enumeration_of_stratified_arrangements_counts_distinct_orderings():
    y = np.array([0, 0, 1, 2, 2.0])
    blocks = [np.arange(3), np.arange(3, 5)]
    rows = np.concatenate(list(E.enumerate_arrangements(y, blocks)))
    assert len(rows) == E.count_arrangements(y, blocks) == 3 * 1
    assert len({tuple(r) for r in rows}) == len(rows)


def test_fisher_2x2_reproduces_r_on_the_tea_tasting_table():
    # R: fisher.test(matrix(c(3, 1, 1, 3), 2)) -> p = 0.4857, odds ratio 6.408309, CI lower 0.2117329
    # (R's upper limit 621.9337 comes from uniroot's coarse tolerance; we solve to 1e-12, see next test)
    res = E.fisher_2x2(np.array([[3, 1], [1, 3]]))
    assert res.p_value == pytest.approx(0.4857, abs=5e-5)
    assert res.odds_ratio == pytest.approx(6.4083, abs=1e-4)
    assert res.ci_low == pytest.approx(0.2117329, rel=1e-3)
    # one-sided: fisher.test(..., alternative = "greater") -> p = 0.2429, CI lower 0.3135693
    greater = E.fisher_2x2(np.array([[3, 1], [1, 3]]), alternative="greater")
    assert greater.p_value == pytest.approx(0.2429, abs=5e-5)
    assert greater.ci_low == pytest.approx(0.3135693, rel=1e-3)


def test_fisher_2x2_upper_limit_solves_its_defining_equation():
    from scipy.stats import nchypergeom_fisher

    res = E.fisher_2x2(np.array([[3, 1], [1, 3]]))
    # P(X <= 3; psi = upper) = 0.025 for X ~ Fisher's noncentral hypergeometric(M=8, n=4, N=4)
    assert nchypergeom_fisher.cdf(3, 8, 4, 4, res.ci_high) == pytest.approx(0.025, abs=1e-9)


def test_fisher_rxc_reproduces_r_on_agresti_job_satisfaction():
    # R ?fisher.test: Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4) -> p-value = 0.7827
    job = np.array([[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]])
    assert E.fisher_exact_rxc(job) == pytest.approx(0.7827, abs=5e-5)


def test_network_algorithm_raises_infeasible_beyond_its_budget():
    x = np.arange(30.0)
    with pytest.raises(E.Infeasible):
        E.kendall_exact(x, x[::-1].copy(), "two-sided", budget=1000)


# --------------------------------------------------------------------------------------------------------------
# clusters and restricted designs (issue 13); random designs are constructed valid, never skipped
# --------------------------------------------------------------------------------------------------------------
def _random_clustered_two_groups(seed: int):
    """A valid clustered two-group design: 3-5 clusters per group, sizes 1-3, codes 0-3 (never constant)."""
    rng = np.random.default_rng(seed)
    k1, k2 = int(rng.integers(3, 6)), int(rng.integers(3, 6))
    sizes = rng.integers(1, 4, k1 + k2)
    labels = np.repeat(np.arange(k1 + k2), sizes)
    values = rng.integers(0, 4, len(labels)).astype(float)
    values[0], values[-1] = 0.0, 3.0  # both codes present: the statistic is never degenerate
    first = labels < k1
    return values, labels.astype(str), first


@pytest.mark.parametrize("seed", range(6))
def test_cluster_delta_test_equals_brute_force_over_cluster_assignments(seed):
    values, labels, first = _random_clustered_two_groups(seed)
    names = list(dict.fromkeys(labels))
    k1 = len(set(labels[first]))
    d_obs = E.cliffs_delta(values[first], values[~first])
    ds = []
    for pick in itertools.combinations(names, k1):
        a = np.isin(labels, pick)
        ds.append(np.sign(values[a][:, None] - values[~a][None, :]).mean())
    p_ref = np.mean(np.abs(ds) >= abs(d_obs) - 1e-12)
    res = E.cluster_delta_test(values, labels, first, n_permutations=0, rng=np.random.default_rng(0))
    assert res.statistic == pytest.approx(d_obs, abs=1e-12)
    assert res.p_value == pytest.approx(p_ref, abs=1e-12)
    assert res.n_resamples == math.comb(len(names), k1)


def test_cluster_delta_monte_carlo_agrees_with_enumeration_within_its_standard_error():
    values, labels, first = _random_clustered_two_groups(3)
    exact = E.cluster_delta_test(values, labels, first, n_permutations=0, rng=np.random.default_rng(0))
    mc = E.cluster_delta_test(values, labels, first, n_permutations=20_000, rng=np.random.default_rng(1), limit=1)
    assert mc.p_method == E.P_CLUSTER_MC and mc.p_se > 0
    assert abs(mc.p_value - exact.p_value) < 4 * mc.p_se + 1 / 20_001


def test_cluster_delta_with_no_draws_past_the_limit_raises_giving_the_space():
    values, labels, first = _random_clustered_two_groups(0)
    space = math.comb(len(set(labels)), len(set(labels[first])))
    with pytest.raises(ValueError, match=f"has {space:,} arrangements, more than the enumeration budget of 1"):
        E.cluster_delta_test(values, labels, first, n_permutations=0, rng=np.random.default_rng(0), limit=1)


def test_cluster_spanning_two_groups_is_rejected():
    with pytest.raises(ValueError, match="within one group"):
        E.cluster_delta_test(np.array([0.0, 1, 2, 3]), np.array(["a", "a", "b", "c"]),
                             np.array([True, False, True, False]), n_permutations=0, rng=np.random.default_rng(0))


def _brute_design_arrangements(y, clusters, strata=None):
    """Distinct arrangements: whole-cluster y-vectors permuted among clusters of equal size (and stratum)."""
    labels = list(dict.fromkeys(clusters))
    members = {c: np.flatnonzero(np.asarray(clusters) == c) for c in labels}
    key = {c: (None if strata is None else strata[members[c][0]], len(members[c])) for c in labels}
    classes = {}
    for c in labels:
        classes.setdefault(key[c], []).append(c)
    classes = list(classes.values())
    seen = set()
    for choice in itertools.product(*[list(itertools.permutations(cl)) for cl in classes]):
        yy = y.copy()
        for cl, perm in zip(classes, choice):
            for dest, src in zip(cl, perm):
                yy[members[dest]] = y[members[src]]
        seen.add(tuple(yy.tolist()))
    return seen


@pytest.mark.parametrize("seed", range(4))
def test_design_enumerates_exactly_the_distinct_whole_cluster_arrangements(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 4, 7)
    clusters = np.repeat([f"c{i}" for i in range(7)], sizes)
    strata = np.where(np.repeat(np.arange(7), sizes) < 4, "s", "t")
    y = rng.integers(0, 3, len(clusters)).astype(float)
    for st in (None, strata):
        d = E.Design.build(len(y), st, clusters)
        rows = np.concatenate(list(d.enumerate(y)))
        got = {tuple(r.tolist()) for r in rows}
        ref = _brute_design_arrangements(y, clusters, st)
        assert len(rows) == len(got) == d.space(y) == len(ref)
        assert got == ref


def test_design_draws_only_arrangements_the_design_allows():
    rng = np.random.default_rng(5)
    clusters = np.repeat(["a", "b", "c", "d", "e"], [2, 2, 1, 1, 3])
    y = rng.integers(0, 4, len(clusters)).astype(float)
    d = E.Design.build(len(y), None, clusters)
    allowed = _brute_design_arrangements(y, clusters)
    draws = d.sample(y, 500, rng)
    assert {tuple(r.tolist()) for r in draws} <= allowed


def test_design_rejects_a_cluster_in_two_strata():
    with pytest.raises(ValueError, match="more than one stratum"):
        E.Design.build(3, np.array(["s", "t", "t"]), np.array(["a", "a", "b"]))


@pytest.mark.parametrize("seed", range(3))
def test_weighted_rank_correlations_equal_those_of_the_expanded_sample(seed):
    """A whole-cluster bootstrap sample is the data with case i repeated W_i times: compare with scipy on it."""
    from scipy.stats import kendalltau, spearmanr

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, 15).astype(float)
    y = np.clip(x + rng.integers(-1, 2, 15), 0, 3)
    W = rng.integers(0, 3, (20, 15)).astype(float)
    W[:, :2] = 1  # at least two cases (and both variables vary) in every row
    x[:2], y[:2] = [0, 3], [0, 3]
    tau = E.weighted_tau_b_rows(x, y, W)
    rho = E.weighted_spearman_rows(x, y, W)
    for b in range(len(W)):
        xx, yy = np.repeat(x, W[b].astype(int)), np.repeat(y, W[b].astype(int))
        assert tau[b] == pytest.approx(kendalltau(xx, yy).statistic, abs=1e-12)
        assert rho[b] == pytest.approx(spearmanr(xx, yy).statistic, abs=1e-12)


def test_within_kendall_rows_counts_only_pairs_inside_strata():
    x = np.array([0, 1, 2, 3, 0, 1.0])
    y = np.array([0, 1, 2, 3, 3, 0.0])
    strata = np.array(["a", "a", "a", "a", "b", "b"])
    # stratum a: 6 concordant pairs; stratum b: 1 discordant pair; cross pairs ignored
    assert E.within_kendall_rows(x, y[None, :], strata)[0] == 5.0
    assert E.within_kendall_rows(x, y[None, :], None)[0] == E.kendall_S(x, y)


def test_network_states_keyed_by_their_bytes_give_the_same_p_as_integer_keys(monkeypatch):
    # States are integers in mixed radix while the product of the radices fits an int64; beyond that (many
    # distinct values) they are keyed by their bytes. Force the byte keys on tables where both work.
    rng = np.random.default_rng(7)
    tables = [rng.integers(0, 3, (3, 4)) + 1 for _ in range(3)]
    xs = [rng.integers(0, 4, 14).astype(float) for _ in range(3)]
    ys = [np.clip(x + rng.integers(-1, 2, 14), 0, 3) for x in xs]
    as_ints = [E.fisher_exact_rxc(t) for t in tables] + [E.kendall_exact(x, y, "two-sided") for x, y in zip(xs, ys)]
    monkeypatch.setattr(E._StateKeys, "__init__", _byte_keys(E._StateKeys.__init__))
    as_bytes = [E.fisher_exact_rxc(t) for t in tables] + [E.kendall_exact(x, y, "two-sided") for x, y in zip(xs, ys)]
    assert as_bytes == pytest.approx(as_ints, rel=1e-12)
    keys = E._StateKeys(np.array([3, 2, 40]))
    states = np.array([[0, 0, 0], [3, 2, 40], [1, 2, 3]])
    assert not keys.fits and (keys.decode(keys.encode(states)) == states).all()


def _byte_keys(init):
    def forced(self, rows):
        init(self, rows)
        self.fits = False
    return forced


def test_the_work_a_column_will_take_is_counted_exactly_before_it_is_done():
    # network_tail gives up before a column that would exceed its budget; it counts the column's compositions
    # first, and the count must be exactly what compositions() lists (else the exact/Monte Carlo decision moves).
    rng = np.random.default_rng(3)
    for _ in range(300):
        caps = tuple(int(c) for c in rng.integers(0, 6, int(rng.integers(1, 7))))
        total = int(rng.integers(0, sum(caps) + 2))
        assert E.n_compositions(total, caps) == len(E.compositions(total, caps)), (total, caps)
    many = rng.integers(0, 5, (50, 6))  # the network algorithm counts every state of a column at once
    assert E.n_compositions(7, many).tolist() == [len(E.compositions(7, tuple(c))) for c in many]


def test_an_exact_test_out_of_reach_gives_up_before_the_column_that_would_exceed_the_budget(monkeypatch):
    # A percent with 16 distinct values against a 0-3 code: 130 s until stop 21 (the algorithm listed compositions
    # until its budget ran out, one Python object each). Now it lists none of a column that would exceed it.
    rng = np.random.default_rng(5)
    x = rng.permutation(np.repeat(np.arange(16.0), [6, 1, 1, 2, 1, 1, 3, 1, 1, 1, 2, 2, 1, 1, 1, 1]))
    y = np.repeat(np.arange(4.0), [6, 10, 6, 4])
    listed = []
    real = E.compositions
    monkeypatch.setattr(E, "compositions", lambda total, caps: listed.append(len(out := real(total, caps))) or out)
    budget = 200_000
    with pytest.raises(E.Infeasible):
        E.kendall_exact(x, y, "two-sided", budget=budget)
    assert 0 < sum(listed) <= budget  # each listed composition is at least one unit of counted work


def test_a_table_out_of_reach_gives_up_before_a_middle_column_the_last_could_not_follow():
    # With pruning the middle column of this 3x4 table fit the budget (fewer states after the first column), ran
    # ~20 s, and the last column then exceeded it anyway; without pruning it was refused at once. A column before
    # the last now leaves room for the last to read what it produces.
    table = [[60, 50, 40, 30], [30, 60, 50, 40], [20, 30, 60, 50]]
    grouped = []
    real = E._group
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(E, "_group", lambda *a: grouped.append(len(a[0])) or real(*a))
        with pytest.raises(E.Infeasible):
            E.fisher_exact_rxc(table)
    assert sum(grouped) < E.NETWORK_BUDGET // 10, sum(grouped)  # ~20 million pairs grouped before
