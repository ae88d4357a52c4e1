"""Benchmarks of the exact / resampling engine (run on demand: python benchmarks/bench_stats.py).

Prints wall-clock figures for
* the exact tie-conditioned rank-sum test, 14 vs 12 coded cases (C(26,12) ~ 9.7e6 splits, network algorithm);
* exact Kendall tau_b on 14 tied cases (network algorithm) and stratified Kendall (7 programmes x 2 sites);
* 10,000 permutation and bootstrap resamples on 40 cases (vectorised), with the ratio against
  scipy.stats.permutation_test on the same input;
* the designs of issue 13 on the sample: the exact cluster-permutation p of Cliff's delta (C(15, 7) = 6435
  assignments) with its 9,999-draw whole-cluster BCa interval, Kendall's tau_b with whole-cluster permutation
  and bootstrap, the within-stratum tau_b with its exact p (convolution over the programmes), and the standard
  analysis set with and without clusters;
* a case where exact enumeration is out of reach: Kendall's tau_b of a percent (16 distinct values) with a code,
  where the network algorithm's work would exceed its budget and Monte Carlo takes over. Measured in stop 21: the
  whole call took 130 s while the algorithm listed compositions one Python object each until the budget ran out
  (5.3 GB at half the budget), 19 s once it grouped its states in numpy, and 0.6 s now that it counts a column's
  work before doing it.
"""

from __future__ import annotations

import time

import numpy as np


def _best(fn, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    from scipy import stats

    from krihs_analysis import _exact as E

    rng = np.random.default_rng(0)
    kr, jp = rng.integers(0, 4, 14).astype(float), rng.integers(0, 4, 12).astype(float)
    E.rank_sum_exact(kr, jp, "two-sided")
    t = _best(lambda: E.rank_sum_exact(kr, jp, "two-sided"))
    print(f"rank-sum exact, 14 vs 12 tied codes (9.7e6 splits, network): {t * 1e3:8.2f} ms")

    x = rng.integers(0, 4, 14).astype(float)
    y = np.clip(x + rng.integers(-1, 2, 14), 0, 3)
    t = _best(lambda: E.kendall_exact(x, y, "two-sided"))
    print(f"Kendall tau_b exact, 14 tied cases (network):                 {t * 1e3:8.2f} ms")
    strata = np.repeat(np.arange(7), 2)
    t = _best(lambda: E.permutation_test(y, lambda Y: E.kendall_S_rows(x, Y, values=np.unique(y)), E.kendall_S(x, y),
                                         0.0, alternative="two-sided", strata=strata, n_resamples=9999,
                                         rng=np.random.default_rng(1)), 1)
    print(f"Kendall, 7 strata x 2 sites, full enumeration (2^7):           {t * 1e3:8.2f} ms")

    n, B = 40, 10_000
    x40 = rng.integers(0, 4, n).astype(float)
    y40 = np.clip(x40 + rng.integers(-1, 2, n), 0, 3)

    def perm_ours():
        idx = E.permuted_indices([np.arange(n)], n, B, np.random.default_rng(2))
        return E.kendall_S_rows(x40, y40[idx], values=np.unique(y40))

    def boot_ours():
        idx = E.bootstrap_indices([np.arange(n)], B, np.random.default_rng(3))
        return E.kendall_tau_b_rows(x40[idx], y40[idx])

    def boot_delta():
        a, b = x40[:20], y40[20:]
        g = np.random.default_rng(4)
        return E.cliffs_delta_rows(a[g.integers(0, 20, (B, 20))], b[g.integers(0, 20, (B, 20))])

    def perm_scipy():
        return stats.permutation_test((x40, y40), lambda a, b: stats.kendalltau(a, b).statistic,
                                      permutation_type="pairings", n_resamples=B, vectorized=False,
                                      random_state=np.random.default_rng(2))

    t_perm = _best(perm_ours)
    t_boot = _best(boot_ours)
    t_delta = _best(boot_delta)
    t_scipy = _best(perm_scipy, 1)
    print(f"10,000 permutations, Kendall S, 40 cases (vectorised):        {t_perm * 1e3:8.2f} ms")
    print(f"10,000 bootstrap tau_b, 40 cases (vectorised):                {t_boot * 1e3:8.2f} ms")
    print(f"10,000 bootstrap Cliff's delta, 20 vs 20 (vectorised):        {t_delta * 1e3:8.2f} ms")
    print(f"scipy.stats.permutation_test (kendalltau, 10,000 pairings):   {t_scipy * 1e3:8.2f} ms")
    print(f"ratio scipy / ours (permutations):                            {t_scipy / t_perm:8.1f} x")

    from krihs_analysis.compare import compare_countries
    from krihs_analysis.data import default_clusters, read_cases
    from krihs_analysis.linkage import association
    from krihs_analysis.pipeline import analyse

    cases = read_cases()
    cases = cases.assign(cluster=default_clusters(cases))
    one = ["gov_role"]
    t = _best(lambda: compare_countries(cases, variables=one, cluster="cluster", n_boot=0), 1)
    print(f"cluster-permutation p of Cliff's delta, 6435 assignments:     {t * 1e3:8.2f} ms")
    t = _best(lambda: compare_countries(cases, variables=one, cluster="cluster", n_boot=9999), 1)
    print(f"  ... with 9,999 whole-cluster bootstrap draws (BCa):         {t * 1e3:8.2f} ms")
    t = _best(lambda: association(cases, cluster="cluster", n_boot=0), 1)
    print(f"Kendall, whole-cluster permutation, full enumeration:         {t * 1e3:8.2f} ms")
    t = _best(lambda: association(cases, cluster="cluster", n_boot=9999, n_permutations=0), 1)
    print(f"  ... with 9,999 whole-cluster bootstrap draws:               {t * 1e3:8.2f} ms")
    t = _best(lambda: association(cases, strata="programme", n_boot=0), 1)
    print(f"within-stratum Kendall, exact p by convolution (8 strata):    {t * 1e3:8.2f} ms")
    t = _best(lambda: analyse(cases, cluster=None), 1)
    print(f"standard set, cases independent (n_boot = 9999):              {t:8.2f} s")
    t = _best(lambda: analyse(cases), 1)
    print(f"standard set, default clusters (n_boot = 9999):               {t:8.2f} s")
    t = _best(lambda: association(cases, x="self_funded_pct", n_boot=0, n_permutations=999, cluster=None), 1)
    print(f"Kendall of a percent, exact out of reach (budget, then MC):  {t:8.2f} s")


if __name__ == "__main__":
    main()
