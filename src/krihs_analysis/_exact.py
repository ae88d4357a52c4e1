"""Private engine shared by :mod:`compare`, :mod:`linkage` and :mod:`reliability`.

Exact conditional permutation distributions for small, heavily tied samples, vectorised Monte Carlo permutation and
bootstrap resampling, BCa intervals and Holm's adjustment.

The exact engine
----------------
Every rank or score statistic used here (Wilcoxon rank sum with mid-ranks, Spearman's rho with mid-ranks, Kendall's
S, the Cochran-Armitage trend statistic, Fisher's table probability) is a function of the r x c cross-classification
of the two variables (rows: distinct values of ``x`` or the groups, columns: distinct values of ``y``).  Under the
permutation null (``y`` permuted against ``x``), with ties kept as they are, that table follows the multivariate
hypergeometric distribution with both margins fixed.  :func:`network_tail` walks the tables column by column
(a "network algorithm" in the sense of Mehta & Patel 1983): a node is the vector of row totals still to be
filled, each node carries the distribution of the statistic accumulated so far (merged over paths), and the last
two columns are resolved in one vectorised step with a sorted cumulative sum.  The answer is the exact conditional
tail probability -- no enumeration of the (often millions of) group splits, no asymptotics, ties handled exactly.

Monte Carlo p-values use ``(1 + #{T* at least as extreme}) / (B + 1)`` (Phipson & Smyth 2010) and report the
binomial standard error ``sqrt(p (1 - p) / B)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from ._validate import check_choice

#: Full enumeration of permutations (or stratified permutations) is used up to this many arrangements.
ENUMERATION_LIMIT = 2_000_000
#: Work budget (node x branch x distinct-value operations) for the network algorithm before falling back.
NETWORK_BUDGET = 20_000_000
#: Relative tolerance used when comparing a permuted statistic with the observed one ("at least as extreme").
REL_TOL = 1e-7

P_EXACT = "exact"
P_ENUM = "exact (full enumeration)"
P_MC = "monte carlo"


class Infeasible(RuntimeError):
    """Raised when an exact computation would exceed its work budget; callers fall back to Monte Carlo."""


@dataclass(frozen=True)
class PermTest:
    """Result of a permutation test: observed statistic, p-value, how it was obtained and its Monte Carlo s.e."""

    statistic: float
    p_value: float
    p_method: str
    p_se: float = 0.0
    n_resamples: int = 0


# --------------------------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------------------------
def as_float(values: pd.Series | np.ndarray | Sequence[float]) -> np.ndarray:
    """Return a float64 copy of codes (ordered categoricals with integer categories, ints, floats; NaN kept)."""
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.CategoricalDtype):
            return values.astype("float64").to_numpy(copy=True)
        return pd.to_numeric(values, errors="raise").astype("float64").to_numpy(copy=True)
    return np.array(values, dtype="float64", copy=True)


def midranks(a: np.ndarray) -> np.ndarray:
    """Mid-ranks (average ranks for ties), 1-based (numpy only; avoids importing scipy.stats)."""
    a = np.asarray(a, dtype="float64")
    order = np.argsort(a, kind="mergesort")
    _, first, counts = np.unique(a[order], return_index=True, return_counts=True)
    out = np.empty(len(a))
    out[order] = np.repeat(first + (counts + 1) / 2.0, counts)
    return out


def rng_from(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def holm(p: Sequence[float] | np.ndarray, *, m: int | None = None) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN entries are left out of the family and stay NaN).

    `m` is the size of the whole family when only some of its p-values are given (R's ``p.adjust(p, "holm",
    n = m)``: the others are taken as larger than every given one); by default the given ones are the family.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> holm([0.01, 0.04], m=4).round(3).tolist()
    [0.04, 0.12]
    """
    p = np.asarray(p, dtype="float64")
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    k = len(ok)
    if m is None:
        m = k
    elif isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < k:
        raise ValueError(f"m is the size of the whole family, at least the {k} p-values given; got {m!r}")
    if k == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate((m - np.arange(k)) * p[order])
    out[order] = np.minimum(adj, 1.0)
    return out


def tail_bounds(observed: float, center: float, alternative: str) -> tuple[float, float] | None:
    """Thresholds (lo, hi) so that "at least as extreme" means ``T <= lo or T >= hi``; None when p is 1.

    Two-sided means ``|T - center| >= |t - center|`` (the conditional null mean as centre), as in coin/StatXact.
    """
    tol = REL_TOL * max(1.0, abs(observed), abs(center))
    if alternative == "two-sided":
        d = abs(observed - center)
        if d <= tol:
            return None
        return center - d + tol, center + d - tol
    if alternative == "greater":
        return -np.inf, observed - tol
    if alternative == "less":
        return observed + tol, np.inf
    raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")


def check_alternative(alternative: str) -> str:
    return check_choice(alternative, "alternative", ("two-sided", "greater", "less"))


# --------------------------------------------------------------------------------------------------------------
# the network algorithm
# --------------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def compositions(total: int, caps: tuple[int, ...]) -> np.ndarray:
    """All integer vectors ``v`` with ``0 <= v_i <= caps_i`` and ``sum(v) == total`` (k x r array, read-only)."""
    caps_arr = np.asarray(caps, dtype=np.int64)
    rest = np.concatenate([np.cumsum(caps_arr[::-1])[::-1][1:], [0]])  # capacity after position i
    out = np.zeros((1, 0), dtype=np.int64)
    remaining = np.array([total], dtype=np.int64)
    for i in range(len(caps) - 1):
        lo = np.maximum(0, remaining - rest[i])
        hi = np.minimum(caps_arr[i], remaining)
        counts = np.maximum(hi - lo + 1, 0)
        idx = np.repeat(np.arange(len(out)), counts)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        vals = lo[idx] + (np.arange(len(idx)) - starts[idx])
        out = np.column_stack([out[idx], vals])
        remaining = remaining[idx] - vals
    keep = (remaining >= 0) & (remaining <= caps_arr[-1])
    out = np.column_stack([out[keep], remaining[keep]])
    out.setflags(write=False)
    return out


def n_compositions(total: int, caps: Sequence[int] | np.ndarray) -> float | np.ndarray:
    """How many vectors :func:`compositions` would list (as floats: only compared with a work budget).

    `caps` is one vector of caps, or a 2-d array of them (one count per row, all at once).

    Examples
    --------
    >>> n_compositions(3, (2, 2)), len(compositions(3, (2, 2)))
    (2.0, 2)
    >>> n_compositions(2, [[1, 1], [2, 2]]).tolist()
    [1.0, 3.0]
    """
    caps_arr = np.asarray(caps, dtype=np.int64)
    many = np.atleast_2d(caps_arr)
    t = np.arange(total + 1)
    ways = np.zeros((len(many), total + 1))
    ways[:, 0] = 1.0
    for cap in many.T:  # ways[t] <- sum of ways[t - v] for v = 0..cap: a difference of running sums
        run = np.cumsum(ways, axis=1)
        back = t[None, :] - cap[:, None] - 1
        ways = run - np.where(back >= 0, np.take_along_axis(run, np.clip(back, 0, None), axis=1), 0.0)
    out = ways[:, total]
    return float(out[0]) if caps_arr.ndim == 1 else out


_LOGFACT = np.zeros(1)


def logfact(n: np.ndarray) -> np.ndarray:
    """log(n!) for integer arrays by table look-up (much faster than gammaln on many small integers).

    The table grows to the largest ``n`` asked for; it is indexed without a ``max()`` first because the network
    algorithm calls this thousands of times on small arrays, where that reduction was a third of the cost.
    """
    global _LOGFACT
    n = np.asarray(n, dtype=np.int64)
    try:
        return _LOGFACT[n]
    except IndexError:
        from scipy.special import gammaln

        size = 1 << max(6, int(n.max()).bit_length())
        table = gammaln(np.arange(size + 1, dtype="float64") + 1)
        table.setflags(write=False)
        _LOGFACT = table
        return table[n]


def _log_hyper_weights(rem: np.ndarray, V: np.ndarray) -> np.ndarray:
    """log P(column vector V | remaining row totals rem): multivariate hypergeometric (rem: 1-d, V: k x r)."""
    N = int(rem.sum())
    c = V.sum(axis=-1)
    num = logfact(rem).sum() - (logfact(V) + logfact(rem - V)).sum(axis=-1)
    return num - (logfact(N) - logfact(c) - logfact(N - c))


class _StateKeys:
    """Integer keys of the network's states (vectors of remaining row totals) and back.

    A state is coded in mixed radix (digit i runs 0..rows[i]), one int64 per state, so that numpy sorts and groups
    states as plain integers; when the product of the radices would not fit in an int64, the key is the state's
    bytes instead (slower to sort, any size).
    """

    def __init__(self, rows: np.ndarray) -> None:
        bases = [int(r) + 1 for r in rows]
        self.width = len(bases)
        self.fits = math.prod(bases) < 2**62
        self.bases = np.asarray(bases, dtype=np.int64)
        self.radix = np.concatenate([[1], np.cumprod(self.bases[:-1])]).astype(np.int64) if self.fits else None

    def encode(self, states: np.ndarray) -> np.ndarray:
        if self.fits:
            return states.astype(np.int64) @ self.radix
        rows = np.ascontiguousarray(states, dtype=np.int32)
        return rows.view(np.dtype((np.void, 4 * self.width))).ravel()

    def decode(self, keys: np.ndarray) -> np.ndarray:
        if self.fits:
            return (keys[:, None] // self.radix) % self.bases
        return keys.view(np.int32).reshape(len(keys), self.width)


def _group(keys: np.ndarray, values: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum `probs` over equal (state key, statistic rounded to 9 decimals): the network algorithm's merge step.

    Returned sorted by key, then by value, so that each state's values are one contiguous, ascending run.
    """
    values = np.round(values, 9)
    ukeys, ids = np.unique(keys, return_inverse=True)
    order = np.lexsort((values, ids))
    ids, values, probs = ids[order], values[order], probs[order]
    start = np.flatnonzero(np.concatenate([[True], (ids[1:] != ids[:-1]) | (values[1:] != values[:-1])]))
    return ukeys[ids[start]], values[start], np.add.reduceat(probs, start)


# Partial sums of one column are grouped once this many (state, value) pairs have piled up: bounds the memory of
# a column (the pairs grow with the work budget) without grouping after every state.
_GROUP_EVERY = 1_000_000


Increment = Callable[[int, np.ndarray, np.ndarray], np.ndarray]
Remaining = Callable[[int, np.ndarray], tuple[np.ndarray, np.ndarray]]

# Slack of the pruning tests: a (state, value) whose bounds fall within it of a threshold is not settled early but
# followed to the end, where it is compared exactly; values are rounded to 1e-9 when grouped.
_PRUNE_SLACK = 1e-7


def network_tail(
    row_totals: Sequence[int],
    col_totals: Sequence[int],
    increment: Increment,
    lo: float,
    hi: float,
    *,
    budget: int = NETWORK_BUDGET,
    remaining: Remaining | None = None,
) -> float:
    """Exact ``P(T <= lo) + P(T >= hi)`` for a column-additive table statistic under fixed margins.

    Parameters
    ----------
    row_totals, col_totals
        The margins of the r x c table.
    increment
        ``increment(j, rem, V)`` -> array: the statistic's contribution of column ``j`` when its cell counts are the
        rows of ``V`` (k x r) and ``rem`` (k x r) are the row totals still unfilled *before* column ``j``.
        Columns are processed in their given order.
    lo, hi
        Tail thresholds (see :func:`tail_bounds`).
    remaining
        ``remaining(j, S)`` -> ``(low, high)``: for each state (row of ``S``, the row totals still unfilled before
        column ``j``), a lower and an upper bound of what columns ``j, j+1, ...`` can add to the statistic. With
        it, a partial table whose every completion is in a tail is counted there at once and one whose every
        completion is in neither is dropped (the network algorithm's pruning, as in Mehta & Patel's FEXACT);
        the result is the same, only the work shrinks. The bounds must hold for every completion; they need not
        be tight.

    Raises
    ------
    Infeasible
        When the work exceeds `budget`.
    """
    rows = np.asarray(row_totals, dtype=np.int64)
    cols = [int(c) for c in col_totals]
    if rows.sum() != sum(cols):
        raise ValueError("row and column totals differ")
    if len(cols) == 1:
        t = float(increment(0, rows[None, :], rows[None, :])[0])
        return float(t <= lo or t >= hi)
    states: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {tuple(rows.tolist()): (np.zeros(1), np.ones(1))}
    work = 0
    total = 0.0  # probability of the partial tables already known to lie in a tail (pruning)
    codes = _StateKeys(rows)
    def over_budget(j: int, last: bool) -> bool:
        # The work column j will count, known before doing it: a test out of reach gives up before the column that
        # would exceed the budget, not in the middle of it (the decision is the same; the time is not). A column
        # before the last must also leave room for the last to read what it produces (up to n @ k state-value
        # pairs, counted again there): else a column of nearly the whole budget ran (~20 s) only for the last
        # to exceed it, which pruning made common (fewer states after the first column, so the middle one fit).
        n = n_compositions(cols[j], np.array(list(states), dtype=np.int64))
        k = np.array([len(K) for K, _ in states.values()], dtype="float64")
        return work + (n.sum() + k.sum() if last else 2 * float(n @ k)) > budget

    for j in range(len(cols) - 2):
        if over_budget(j, last=False):
            raise Infeasible(f"network algorithm exceeded its budget of {budget} operations")
        # Every (next state, statistic so far, probability) of this column as flat arrays, grouped in numpy: a
        # Python loop over the compositions cost ~5 us each (minutes near the budget).
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        pending = 0
        for rem_t, (K, P) in states.items():
            rem = np.asarray(rem_t, dtype=np.int64)
            V = compositions(cols[j], rem_t)
            R = np.broadcast_to(rem, V.shape)
            inc = np.asarray(increment(j, R, V), dtype="float64")
            w = np.exp(_log_hyper_weights(rem, V))
            work += len(V) * len(K)
            if work > budget:
                raise Infeasible(f"network algorithm exceeded its budget of {budget} operations")
            parts.append((np.repeat(codes.encode(rem - V), len(K)), (inc[:, None] + K[None, :]).ravel(),
                          (w[:, None] * P[None, :]).ravel()))
            pending += len(V) * len(K)
            if pending > _GROUP_EVERY:  # group what piled up; it is grouped again only once as much is new
                parts = [_group(*(np.concatenate(a) for a in zip(*parts)))]
                pending = -len(parts[0][0])
        keys, values, probs = _group(*(np.concatenate(a) for a in zip(*parts)))
        if remaining is not None:
            settled, keys, values, probs = _prune(keys, values, probs, codes, remaining, j + 1, lo, hi)
            total += settled
            if not len(keys):
                return min(total, 1.0)
        bounds = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1], [True]]))
        at = codes.decode(keys[bounds[:-1]]).tolist()
        states = {tuple(at[i]): (values[a:b], probs[a:b]) for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))}
    j = len(cols) - 2
    if over_budget(j, last=True):
        raise Infeasible(f"network algorithm exceeded its budget of {budget} operations")
    for rem_t, (K, P) in states.items():
        rem = np.asarray(rem_t, dtype=np.int64)
        V = compositions(cols[j], rem_t)
        R = np.broadcast_to(rem, V.shape)
        last = rem - V
        inc = np.asarray(increment(j, R, V), dtype="float64") + np.asarray(increment(j + 1, last, last), "float64")
        w = np.exp(_log_hyper_weights(rem, V))
        work += len(V) + len(K)
        if work > budget:
            raise Infeasible(f"network algorithm exceeded its budget of {budget} operations")
        order = np.argsort(inc, kind="stable")
        inc, cw = inc[order], np.concatenate([[0.0], np.cumsum(w[order])])
        p_lo = cw[np.searchsorted(inc, lo - K, side="right")] if np.isfinite(lo) else 0.0
        p_hi = cw[-1] - cw[np.searchsorted(inc, hi - K, side="left")] if np.isfinite(hi) else 0.0
        total += float(np.dot(P, p_lo + p_hi))
    return min(total, 1.0)


def _prune(keys: np.ndarray, values: np.ndarray, probs: np.ndarray, codes: _StateKeys, remaining: Remaining,
           j: int, lo: float, hi: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Settle the (state, value) pairs whose completions all fall in a tail or all outside both.

    `keys` are sorted (as :func:`_group` returns them). Returns the probability settled in the tails and the pairs
    still open. A pair's probability is that of reaching it; its completions' conditional probabilities sum to 1.
    """
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    low, high = remaining(j, codes.decode(keys[starts]))
    sizes = np.diff(np.append(starts, len(keys)))
    low, high = np.repeat(low, sizes), np.repeat(high, sizes)
    in_tail = (values + high <= lo - _PRUNE_SLACK) | (values + low >= hi + _PRUNE_SLACK)
    outside = (values + low > lo + _PRUNE_SLACK) & (values + high < hi - _PRUNE_SLACK)
    keep = ~(in_tail | outside)
    return float(probs[in_tail].sum()), keys[keep], values[keep], probs[keep]


def _codes(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct sorted values and the integer code of each observation."""
    uniq, inv = np.unique(a, return_inverse=True)
    return uniq, inv


def crosstab_counts(xc: np.ndarray, yc: np.ndarray, r: int, c: int) -> np.ndarray:
    return np.bincount(xc * c + yc, minlength=r * c).reshape(r, c)


# --------------------------------------------------------------------------------------------------------------
# exact tests built on the network algorithm
# --------------------------------------------------------------------------------------------------------------
def linear_exact(
    a: np.ndarray, b: np.ndarray, observed: float, center: float, alternative: str, *, budget: int = NETWORK_BUDGET
) -> float:
    """Exact conditional tail of ``T = sum_i a_i b_pi(i)`` over permutations pi (a, b: per-case scores)."""
    bounds = tail_bounds(observed, center, alternative)
    if bounds is None:
        return 1.0
    ua, ia = _codes(a)
    ub, ib = _codes(b)
    rows = np.bincount(ia, minlength=len(ua))
    cols = np.bincount(ib, minlength=len(ub))

    def inc(j: int, rem: np.ndarray, V: np.ndarray) -> np.ndarray:
        return ub[j] * (V @ ua)

    return network_tail(rows, cols, inc, *bounds, budget=budget)


def kendall_S(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's S = concordant - discordant pairs (ties count 0)."""
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    return float(np.triu(dx * dy, 1).sum())


def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float:
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    iu = np.triu_indices(len(x), 1)
    s = (dx * dy)[iu].sum()
    n1 = np.count_nonzero(dx[iu])
    n2 = np.count_nonzero(dy[iu])
    return float(s / math.sqrt(n1 * n2)) if n1 and n2 else float("nan")


def kendall_exact(x: np.ndarray, y: np.ndarray, alternative: str, *, budget: int = NETWORK_BUDGET) -> float:
    """Exact conditional (tie-preserving) p-value of Kendall's S (equivalently tau_b) by the network algorithm."""
    s = kendall_S(x, y)
    bounds = tail_bounds(s, 0.0, alternative)
    if bounds is None:
        return 1.0
    ux, ix = _codes(x)
    uy, iy = _codes(y)
    rows = np.bincount(ix, minlength=len(ux))
    cols = np.bincount(iy, minlength=len(uy))

    def inc(j: int, rem: np.ndarray, V: np.ndarray) -> np.ndarray:
        done = rows - rem  # cases already placed in columns < j, i.e. with smaller y
        below = np.cumsum(done, axis=-1) - done  # rows with smaller x
        above = done.sum(axis=-1, keepdims=True) - below - done
        return (V * (below - above)).sum(axis=-1)

    return network_tail(rows, cols, inc, *bounds, budget=budget)


def rank_sum_exact(x: np.ndarray, y: np.ndarray, alternative: str, *, budget: int = NETWORK_BUDGET) -> PermTest:
    """Wilcoxon-Mann-Whitney test conditioned on ties, exact by the network algorithm.

    Returns the Mann-Whitney U of `x` (``W`` of R's ``wilcox.test``, computed with mid-ranks) and the exact
    conditional p-value; two-sided is ``P(|W - E W| >= |w - E W|)``.
    """
    m, n = len(x), len(y)
    pooled = np.concatenate([x, y])
    r = midranks(pooled)
    r1 = float(r[:m].sum())
    center = m * (m + n + 1) / 2.0
    bounds = tail_bounds(r1, center, alternative)
    u = r1 - m * (m + 1) / 2.0
    if bounds is None:
        return PermTest(u, 1.0, P_EXACT)
    uv, iv = _codes(pooled)
    score = np.array([r[iv == k][0] for k in range(len(uv))])
    cols = np.bincount(iv, minlength=len(uv))
    # process large columns last (the final two are resolved in one vectorised step)
    order = np.argsort(cols, kind="stable")

    def inc(j: int, rem: np.ndarray, V: np.ndarray) -> np.ndarray:
        return score[order[j]] * V[..., 0]

    p = network_tail([m, n], cols[order], inc, *bounds, budget=budget)
    return PermTest(u, p, P_EXACT)


def fisher_exact_rxc(table: np.ndarray, *, budget: int = NETWORK_BUDGET) -> float:
    """Fisher's exact test for an r x c table: sum of P(table) over tables no more probable than the observed one.

    Uses the relative tolerance 1e-7 of R's ``fisher.test``.
    """
    t = np.asarray(table, dtype=np.int64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 1.0
    if t.shape[0] > t.shape[1]:
        t = t.T
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    order = np.argsort(cols, kind="stable")
    key_obs = float(-logfact(t).sum())

    def inc(j: int, rem: np.ndarray, V: np.ndarray) -> np.ndarray:
        return -logfact(V).sum(axis=-1)

    lo = key_obs + math.log1p(REL_TOL)
    return network_tail(rows, cols[order], inc, lo, np.inf, budget=budget,
                        remaining=partial(_fisher_remaining, cols[order]))


def _fisher_remaining(cols: np.ndarray, j: int, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of ``-sum log(x!)`` over columns ``j, j+1, ...`` for each state (row of S: the unfilled row totals).

    Each column is bounded on its own with only its cells' caps (``x_i <= S_i``), which every completion obeys:
    the largest value spreads the column as evenly as the caps allow (-log x! is concave), the smallest piles it
    into the largest rows (log x! is convex). Summed over the columns these bound every completion.
    """
    S = np.asarray(S, dtype=np.int64)
    k, r = S.shape
    low, high = np.zeros(k), np.zeros(k)
    piled = np.sort(S, axis=1)[:, ::-1]
    for c in (int(v) for v in cols[j:]):
        # smallest: fill the largest caps first
        before = np.concatenate([np.zeros((k, 1), np.int64), np.cumsum(piled, axis=1)[:, :-1]], axis=1)
        low -= logfact(np.clip(c - before, 0, piled)).sum(axis=1)
        # largest: one unit at a time to the emptiest row that still has room (water filling)
        x = np.zeros((k, r), dtype=np.int64)
        rows = np.arange(k)
        for _ in range(c):
            x[rows, np.argmin(np.where(x < S, x, np.iinfo(np.int64).max), axis=1)] += 1
        high -= logfact(x).sum(axis=1)
    return low, high


# --------------------------------------------------------------------------------------------------------------
# Fisher 2 x 2: conditional MLE of the odds ratio and its exact interval (R's fisher.test)
# --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fisher2x2:
    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: float


def fisher_2x2(table: np.ndarray, *, alternative: str = "two-sided", conf_level: float = 0.95) -> Fisher2x2:
    """Fisher's exact test on a 2 x 2 table, with the conditional MLE odds ratio and exact CI as R's fisher.test."""
    from scipy.optimize import brentq
    from scipy.stats import hypergeom

    t = np.asarray(table, dtype=np.int64)
    x = int(t[0, 0])
    m, n, k = int(t[:, 0].sum()), int(t[:, 1].sum()), int(t[0, :].sum())
    lo_s, hi_s = max(0, k - n), min(k, m)
    support = np.arange(lo_s, hi_s + 1)
    logdc = hypergeom.logpmf(support, m + n, m, k)

    def dnhyper(log_ncp: float) -> np.ndarray:
        d = logdc + log_ncp * support
        d = np.exp(d - d.max())
        return d / d.sum()

    def mnhyper(log_ncp: float) -> float:
        if log_ncp == -np.inf:
            return float(lo_s)
        if log_ncp == np.inf:
            return float(hi_s)
        return float((support * dnhyper(log_ncp)).sum())

    def pnhyper(q: int, log_ncp: float, upper: bool) -> float:
        d = dnhyper(log_ncp)
        return float(d[support >= q].sum() if upper else d[support <= q].sum())

    def solve(f: Callable[[float], float]) -> float:
        a, b = -1.0, 1.0
        while f(a) * f(b) > 0 and b < 700:
            a, b = a * 2, b * 2
        return math.exp(brentq(f, a, b, xtol=1e-12)) if f(a) * f(b) <= 0 else float("nan")

    if x == lo_s and x == hi_s:
        est = float("nan")
    elif x == lo_s:
        est = 0.0
    elif x == hi_s:
        est = float("inf")
    else:
        est = solve(lambda ln: mnhyper(ln) - x)

    def ncp_upper(alpha: float) -> float:  # P(X <= x; psi) = alpha
        return float("inf") if x == hi_s else solve(lambda ln: pnhyper(x, ln, False) - alpha)

    def ncp_lower(alpha: float) -> float:  # P(X >= x; psi) = alpha
        return 0.0 if x == lo_s else solve(lambda ln: pnhyper(x, ln, True) - alpha)

    check_alternative(alternative)
    if alternative == "less":
        p = pnhyper(x, 0.0, False)
        ci = (0.0, ncp_upper(1 - conf_level))
    elif alternative == "greater":
        p = pnhyper(x, 0.0, True)
        ci = (ncp_lower(1 - conf_level), float("inf"))
    else:
        d = dnhyper(0.0)
        p = float(d[d <= d[support == x][0] * (1 + REL_TOL)].sum())
        alpha = (1 - conf_level) / 2
        ci = (ncp_lower(alpha), ncp_upper(alpha))
    return Fisher2x2(est, ci[0], ci[1], min(1.0, p))


# --------------------------------------------------------------------------------------------------------------
# permutations: stratified full enumeration and Monte Carlo
# --------------------------------------------------------------------------------------------------------------
def _multiset_count(values: np.ndarray) -> int:
    _, counts = np.unique(values, return_counts=True)
    out = math.factorial(len(values))
    for c in counts:
        out //= math.factorial(int(c))
    return out


def _multiset_permutations(codes: tuple[int, ...]) -> np.ndarray:
    """All distinct orderings of a multiset given as a sorted tuple of integer codes (k x len array)."""

    @lru_cache(maxsize=None)
    def rec(counts: tuple[int, ...]) -> np.ndarray:
        total = sum(counts)
        if total == 0:
            return np.zeros((1, 0), dtype=np.int64)
        blocks = []
        for v, c in enumerate(counts):
            if c:
                sub = rec(counts[:v] + (c - 1,) + counts[v + 1 :])
                blocks.append(np.column_stack([np.full(len(sub), v, dtype=np.int64), sub]))
        return np.concatenate(blocks)

    uniq, counts = np.unique(np.asarray(codes), return_counts=True)
    return uniq[rec(tuple(int(c) for c in counts))]


def strata_layout(strata: np.ndarray | None, n: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Order of the cases grouped by stratum and the positions (in that order) of each stratum."""
    if strata is None:
        return np.arange(n), [np.arange(n)]
    _, inv = np.unique(strata, return_inverse=True)
    order = np.argsort(inv, kind="stable")
    sorted_inv = inv[order]
    blocks = [np.flatnonzero(sorted_inv == s) for s in range(sorted_inv.max() + 1)]
    return order, blocks


def count_arrangements(y: np.ndarray, blocks: list[np.ndarray]) -> int:
    out = 1
    for b in blocks:
        out *= _multiset_count(y[b])
    return out


def enumerate_arrangements(y: np.ndarray, blocks: list[np.ndarray], chunk: int = 200_000):
    """Yield chunks (k x n) of all distinct within-block arrangements of `y` (cases in block order)."""
    ycodes_u, ycodes = np.unique(y, return_inverse=True)
    per_block = [_multiset_permutations(tuple(sorted(ycodes[b].tolist()))) for b in blocks]
    sizes = [len(p) for p in per_block]
    total = math.prod(sizes)
    strides = np.cumprod([1, *sizes[:-1]])
    n = len(y)
    for start in range(0, total, chunk):
        r = np.arange(start, min(total, start + chunk))
        out = np.empty((len(r), n), dtype=np.int64)
        for b, perms, size, stride in zip(blocks, per_block, sizes, strides):
            out[:, b] = perms[(r // stride) % size]
        yield ycodes_u[out]


def permuted_indices(blocks: list[np.ndarray], n: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """B x n indices, each row a random permutation within blocks (cases in block order). Vectorised."""
    key = np.empty(n)
    for s, b in enumerate(blocks):
        key[b] = s
    keys = key + rng.random((n_resamples, n))
    return np.argsort(keys, axis=1, kind="stable")


def bootstrap_indices(blocks: list[np.ndarray], n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """B x n bootstrap indices, resampling with replacement within each block."""
    parts = [b[rng.integers(0, len(b), size=(n_resamples, len(b)))] for b in blocks]
    return np.concatenate(parts, axis=1)


def mc_pvalue(t_obs: float, t_perm: np.ndarray, center: float, alternative: str) -> tuple[float, float]:
    """Monte Carlo p-value (1 + #extreme) / (B + 1) and its binomial standard error."""
    B = len(t_perm)
    bounds = tail_bounds(t_obs, center, alternative)
    if bounds is None:
        return 1.0, 0.0
    lo, hi = bounds
    hits = np.count_nonzero((t_perm <= lo) | (t_perm >= hi))
    p = (1 + hits) / (B + 1)
    return p, math.sqrt(p * (1 - p) / B)


def permutation_test(
    y: np.ndarray,
    stat_rows: Callable[[np.ndarray], np.ndarray],
    t_obs: float,
    center: float,
    *,
    alternative: str,
    strata: np.ndarray | None,
    n_resamples: int,
    rng: np.random.Generator,
    limit: int = ENUMERATION_LIMIT,
) -> PermTest:
    """Permutation test of a statistic of (x fixed, y permuted within strata).

    ``stat_rows(Y)`` evaluates the statistic for every row of ``Y`` (k x n, cases in the *original* order).
    Full enumeration of the distinct arrangements when there are at most `limit` of them, else Monte Carlo.
    """
    n = len(y)
    order, blocks = strata_layout(strata, n)
    y_sorted = y[order]
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    bounds = tail_bounds(t_obs, center, alternative)
    if bounds is None:
        return PermTest(t_obs, 1.0, P_ENUM if count_arrangements(y_sorted, blocks) <= limit else P_MC)
    lo, hi = bounds
    if count_arrangements(y_sorted, blocks) <= limit:
        hits, total = 0, 0
        for Ys in enumerate_arrangements(y_sorted, blocks):
            t = stat_rows(Ys[:, inverse])
            hits += np.count_nonzero((t <= lo) | (t >= hi))
            total += len(t)
        return PermTest(t_obs, hits / total, P_ENUM, 0.0, total)
    t_perm = np.empty(n_resamples)
    chunk = max(1, 2_000_000 // max(n, 1))
    for start in range(0, n_resamples, chunk):
        k = min(chunk, n_resamples - start)
        idx = permuted_indices(blocks, n, k, rng)
        t_perm[start : start + k] = stat_rows(y_sorted[idx][:, inverse])
    p, se = mc_pvalue(t_obs, t_perm, center, alternative)
    return PermTest(t_obs, p, P_MC, se, n_resamples)


# --------------------------------------------------------------------------------------------------------------
# vectorised statistics over rows (resamples)
# --------------------------------------------------------------------------------------------------------------
def pair_index(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


def _sgn(d: np.ndarray) -> np.ndarray:
    """sign() as int8 (np.sign on floats is slow)."""
    return (d > 0).astype(np.int8) - (d < 0).astype(np.int8)


def _tables_S(N: np.ndarray) -> np.ndarray:
    """Kendall's S of each cross-table ``N[b, g, l]`` (counts of x = u_g and y = v_l):
    ``S = sum N[g,l] (sum_{g'>g,l'>l} N - sum_{g'>g,l'<l} N)``."""
    above_g = np.flip(np.cumsum(np.flip(N, 1), 1), 1) - N  # sum over g' > g
    cl = np.cumsum(above_g, 2)
    less = cl - above_g  # l' < l
    more = cl[:, :, -1:] - cl  # l' > l
    return np.einsum("bgl,bgl->b", N, more - less)


def _tables_tau_b(N: np.ndarray) -> np.ndarray:
    """Kendall's tau_b of each cross-table ``N[b, g, l]``; NaN where x or y is constant."""
    s = _tables_S(N)
    tot = N.sum(axis=(1, 2))
    pairs = tot * (tot - 1) / 2.0
    rx, ry = N.sum(axis=2), N.sum(axis=1)
    n1 = pairs - (rx * (rx - 1) / 2).sum(axis=1)
    n2 = pairs - (ry * (ry - 1) / 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((n1 > 0) & (n2 > 0), s / np.sqrt(n1 * n2), np.nan)


def kendall_S_rows(x: np.ndarray, Y: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
    """Kendall's S of fixed `x` with every row of `Y` (k x n).

    With few distinct y values (coded data) S is computed from the k cross-tables
    ``N[g, l] = #{x = u_g, y = v_l}``: ``S = sum N[g,l] (sum_{g'>g,l'>l} N - sum_{g'>g,l'<l} N)``.
    """
    uy = np.unique(Y) if values is None else np.asarray(values)  # values: the distinct values of every row
    if len(uy) <= 12:
        ux, ix = np.unique(x, return_inverse=True)
        Xo = np.eye(len(ux))[ix]
        N = np.stack([(Y == v).astype("float64") @ Xo for v in uy], axis=2)  # k x Kx x Ky
        return _tables_S(N)
    i, j = pair_index(len(x))
    dx = _sgn(x[i] - x[j]).astype("float64")
    return _sgn(Y[:, i] - Y[:, j]) @ dx


def kendall_tau_b_rows(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """tau_b for every row pair of X and Y (both k x n); NaN where a row is constant.

    Coded data (few distinct values) go through per-row cross-tables (one bincount), else pairwise signs.
    """
    ux, ix = np.unique(X, return_inverse=True)
    uy, iy = np.unique(Y, return_inverse=True)
    kx, ky = len(ux), len(uy)
    if kx * ky <= 64:
        k, n = X.shape
        codes = (np.arange(k)[:, None] * (kx * ky) + ix.reshape(X.shape) * ky + iy.reshape(Y.shape)).ravel()
        N = np.bincount(codes, minlength=k * kx * ky).reshape(k, kx, ky).astype("float64")
        return _tables_tau_b(N)
    i, j = pair_index(X.shape[1])
    dx = _sgn(X[:, i] - X[:, j])
    dy = _sgn(Y[:, i] - Y[:, j])
    s = np.einsum("ij,ij->i", dx, dy, dtype=np.int64)
    n1 = np.count_nonzero(dx, axis=1)
    n2 = np.count_nonzero(dy, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return s / np.sqrt(n1.astype("float64") * n2)


def rank_rows(A: np.ndarray) -> np.ndarray:
    """Mid-ranks within each row, vectorised (pairwise counting for n <= 64, scipy otherwise)."""
    if A.shape[1] <= 64:
        out = np.empty(A.shape)
        for k in range(0, len(A), 4096):
            a = A[k : k + 4096]
            less = (a[:, :, None] > a[:, None, :]).sum(axis=2)
            eq = (a[:, :, None] == a[:, None, :]).sum(axis=2)
            out[k : k + 4096] = less + (eq + 1) / 2.0
        return out
    from scipy.stats import rankdata

    return rankdata(A, method="average", axis=1)


def pearson_rows(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    Xc = X - X.mean(axis=1, keepdims=True)
    Yc = Y - Y.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.einsum("ij,ij->i", Xc, Yc) / np.sqrt(np.einsum("ij,ij->i", Xc, Xc) * np.einsum("ij,ij->i", Yc, Yc))


def spearman_rows(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    return pearson_rows(rank_rows(X), rank_rows(Y))


def cliffs_delta(x: np.ndarray, y: np.ndarray) -> float:
    """Cliff's delta P(X > Y) - P(X < Y)."""
    return float(np.sign(x[:, None] - y[None, :]).mean())


def cliffs_delta_rows(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Cliff's delta for each row pair (X: k x m, Y: k x n), vectorised via sorted counting."""
    Ys = np.sort(Y, axis=1)
    k, n = Ys.shape
    offs = (np.arange(k) * 1.0)[:, None]
    # make rows searchable in one flat array by offsetting (values are finite)
    span = float(np.nanmax(np.abs(np.concatenate([X.ravel(), Y.ravel()])))) * 2 + 1.0
    flat = (Ys + offs * span).ravel()
    q = X + offs * span
    less = np.searchsorted(flat, q.ravel(), side="left").reshape(X.shape) - (np.arange(k) * n)[:, None]
    leq = np.searchsorted(flat, q.ravel(), side="right").reshape(X.shape) - (np.arange(k) * n)[:, None]
    greater_than = less.sum(axis=1)  # # y < x
    smaller_than = (n - leq).sum(axis=1)  # # y > x
    return (greater_than - smaller_than) / (X.shape[1] * n)


# --------------------------------------------------------------------------------------------------------------
# bootstrap intervals
# --------------------------------------------------------------------------------------------------------------
def bca_interval(theta: float, boot: np.ndarray, jack: np.ndarray, *, alpha: float = 0.05) -> tuple[float, float, str]:
    """BCa interval (Efron 1987) from bootstrap replicates and jackknife values; percentile fallback.

    The bias correction uses ``z0 = Phi^-1((#{T* < t} + #{T* = t}/2) / B)`` (mid-rank, suited to discrete
    statistics).  When z0 is infinite (all replicates on one side) or the jackknife acceleration is undefined
    (all jackknife values equal) the percentile interval is returned and the method says why.
    """
    from scipy.special import ndtr, ndtri

    boot = boot[np.isfinite(boot)]
    if len(boot) == 0 or not np.isfinite(theta):
        return float("nan"), float("nan"), "undefined"
    B = len(boot)
    prop = (np.count_nonzero(boot < theta) + 0.5 * np.count_nonzero(boot == theta)) / B
    jack = jack[np.isfinite(jack)]
    d = jack.mean() - jack if len(jack) else np.zeros(0)
    den = float((d**2).sum())
    reasons = []
    if np.all(boot == boot[0]):
        return float(boot[0]), float(boot[0]), "percentile (bootstrap distribution degenerate)"
    if prop <= 0 or prop >= 1:
        reasons.append("bias correction")
    if den <= 0:
        reasons.append("acceleration")
    if reasons:
        lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
        return float(lo), float(hi), f"percentile (BCa {' and '.join(reasons)} undefined)"
    z0 = ndtri(prop)
    a = float((d**3).sum()) / (6.0 * den**1.5)
    z = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    adj = ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
    lo, hi = np.quantile(boot, adj)
    return float(lo), float(hi), "BCa"


def percentile_interval(boot: np.ndarray, *, alpha: float = 0.05) -> tuple[float, float]:
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return float("nan"), float("nan")
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


# --------------------------------------------------------------------------------------------------------------
# designs with clusters and strata
# --------------------------------------------------------------------------------------------------------------
#: No bootstrap interval from a group of fewer independent units (cases, or clusters with ``cluster=``): with 2
#: sites a bootstrap has 3 distinct resamples and its "interval" says nothing (issue 13).
MIN_BOOT_UNITS = 5


def too_small(n: int, unit: str = "case") -> str:
    """The ``ci_method`` of a group too small for a bootstrap interval.

    Examples
    --------
    >>> too_small(2), too_small(1, "cluster")
    ('group too small: n = 2', 'group too small: n = 1 cluster')
    """
    return f"group too small: n = {n}" + ("" if unit == "case" else f" {unit}{'s' if n != 1 else ''}")


#: Tolerance of "at least as extreme" for statistics compared as |T*| >= |t| (issue 13: 1e-12).
ABS_TOL = 1e-12
P_CLUSTER_ENUM = "exact (cluster permutation, full enumeration)"
P_CLUSTER_MC = "monte carlo (cluster permutation)"
P_STRATA_EXACT = "exact (within-strata permutation)"
P_STRATA_MC = "monte carlo (within-strata permutation)"


def too_large(space: int, limit: int, what: str) -> ValueError:
    """The error for ``n_permutations=0`` when the permutation space is past the enumeration budget."""
    return ValueError(
        f"the {what} has {space:,} arrangements, more than the enumeration budget of {limit:,}; pass "
        f"n_permutations > 0 (e.g. n_permutations=9999) for a Monte Carlo p-value with its standard error, "
        f"or raise enumeration_limit to at least {space:,} to enumerate"
    )


def cluster_codes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer code of each case's cluster (in order of first appearance) and the cluster sizes."""
    _, first, inv = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    codes = rank[inv]
    return codes, np.bincount(codes)


def sign_sum_matrix(values: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    """``D[a, b] = sum_{i in a, j in b} sign(v_i - v_j)`` over clusters a, b (k x k, antisymmetric)."""
    S = np.sign(values[:, None] - values[None, :])
    C = np.zeros((len(values), k))
    C[np.arange(len(values)), codes] = 1.0
    return C.T @ S @ C


def weighted_delta_rows(WA: np.ndarray, WB: np.ndarray, D: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Cliff's delta of the cases of the clusters weighted WA (first group) against WB, for every row."""
    num = np.einsum("bk,kl,bl->b", WA, D, WB)
    with np.errstate(invalid="ignore", divide="ignore"):
        return num / ((WA @ sizes) * (WB @ sizes))


def _combination_chunks(k: int, r: int, chunk: int = 100_000):
    """All r-subsets of range(k) as 0/1 indicator rows, in chunks."""
    import itertools

    it = itertools.combinations(range(k), r)
    while True:
        block = list(itertools.islice(it, chunk))
        if not block:
            return
        Z = np.zeros((len(block), k))
        rows = np.repeat(np.arange(len(block)), r)
        Z[rows, np.asarray(block, dtype=np.int64).ravel()] = 1.0
        yield Z


def cluster_delta_test(
    values: np.ndarray,
    clusters: np.ndarray,
    in_first: np.ndarray,
    *,
    n_permutations: int,
    rng: np.random.Generator,
    limit: int = ENUMERATION_LIMIT,
) -> PermTest:
    """Randomisation test of Cliff's delta when the two group labels are permuted over whole clusters.

    Every assignment of the clusters to the two groups with the observed number of clusters in each (a cluster's
    cases always move together) is equally likely under the null; two-sided p is ``P(|delta*| >= |delta|)`` with
    the tolerance :data:`ABS_TOL`.  Enumerated while ``C(K, k_1) <= limit``, else Monte Carlo with
    ``n_permutations`` draws (``(1 + hits) / (B + 1)`` and its s.e.); ``n_permutations=0`` then raises.

    Parameters
    ----------
    values
        Case-level codes (finite).
    clusters
        Cluster label of each case.
    in_first
        Boolean per case: in the first group.  Constant within every cluster.
    """
    codes, sizes = cluster_codes(np.asarray(clusters))
    k = len(sizes)
    first = np.zeros(k, dtype=bool)
    first[codes[in_first]] = True
    if np.any(first[codes] != in_first):
        raise ValueError("a cluster has cases in both groups; every cluster must lie within one group")
    k1 = int(first.sum())
    D = sign_sum_matrix(np.asarray(values, dtype="float64"), codes, k)
    s = sizes.astype("float64")
    z = first.astype("float64")[None, :]
    d_obs = float(weighted_delta_rows(z, 1 - z, D, s)[0])
    space = math.comb(k, k1)
    thr = abs(d_obs) - ABS_TOL
    if space <= limit:
        hits = 0
        for Z in _combination_chunks(k, k1):
            hits += int(np.count_nonzero(np.abs(weighted_delta_rows(Z, 1 - Z, D, s)) >= thr))
        return PermTest(d_obs, hits / space, P_CLUSTER_ENUM, 0.0, space)
    if n_permutations == 0:
        raise too_large(space, limit, f"assignment of {k} clusters to groups of {k1} and {k - k1}")
    hits = 0
    for start in range(0, n_permutations, 50_000):
        b = min(50_000, n_permutations - start)
        pick = np.argsort(rng.random((b, k)), axis=1)[:, :k1]
        Z = np.zeros((b, k))
        Z[np.repeat(np.arange(b), k1), pick.ravel()] = 1.0
        hits += int(np.count_nonzero(np.abs(weighted_delta_rows(Z, 1 - Z, D, s)) >= thr))
    p = (1 + hits) / (n_permutations + 1)
    return PermTest(d_obs, p, P_CLUSTER_MC, math.sqrt(p * (1 - p) / n_permutations), n_permutations)


def cluster_counts(units: np.ndarray, k: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """n_boot x k multiplicities of drawing ``len(units)`` of the clusters `units` with replacement."""
    draws = units[rng.integers(0, len(units), size=(n_boot, len(units)))]
    flat = (np.arange(n_boot)[:, None] * k + draws).ravel()
    return np.bincount(flat, minlength=n_boot * k).reshape(n_boot, k).astype("float64")


# --------------------------------------------------------------------------------------------------------------
# restricted permutations of y: within strata, and of whole clusters (blocks) among clusters of equal size
# --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Design:
    """How y may be permuted: cases grouped into movable blocks (clusters; single cases without clusters),
    blocks exchangeable only within classes (same stratum and, for clusters, the same size).

    ``block_cases[b]`` are the case positions of block b in a fixed within-block order; ``classes`` lists the blocks
    of each exchangeable class.
    """

    n: int
    block_cases: tuple[np.ndarray, ...]
    classes: tuple[np.ndarray, ...]

    @classmethod
    def build(cls, n: int, strata: np.ndarray | None = None, clusters: np.ndarray | None = None) -> Design:
        if clusters is None:
            blocks = tuple(np.array([i]) for i in range(n))
        else:
            codes, _ = cluster_codes(np.asarray(clusters))
            blocks = tuple(np.flatnonzero(codes == c) for c in range(codes.max() + 1))
        keys = []
        for b in blocks:
            s = None
            if strata is not None:
                vals = set(np.asarray(strata)[b].tolist())
                if len(vals) > 1:
                    raise ValueError("a cluster has cases in more than one stratum; every cluster must lie "
                                     "within one stratum")
                s = vals.pop()
            keys.append((str(s), len(b)))
        order = sorted(set(keys))
        classes = tuple(np.array([i for i, kk in enumerate(keys) if kk == key]) for key in order)
        return cls(n, blocks, classes)

    def space(self, y: np.ndarray) -> int:
        """Number of distinct arrangements of y under the design."""
        out = 1
        for _, tok, _ in self._tokens(y):
            out *= _multiset_count(tok)
        return out

    def _tokens(self, y: np.ndarray):
        """Per class: the block values (t x size) and the token (distinct y-vector) of each block."""
        per = []
        for cl in self.classes:
            vals = np.array([y[self.block_cases[b]] for b in cl])
            uniq, tok = np.unique(vals, axis=0, return_inverse=True)
            positions = np.array([self.block_cases[b] for b in cl])  # blocks of a class have equal size
            per.append((uniq, tok.ravel(), positions))
        return per

    def enumerate(self, y: np.ndarray, chunk: int = 200_000):
        """Yield chunks (k x n) of every distinct arrangement of y under the design."""
        per = self._tokens(y)
        perms = [_multiset_permutations(tuple(sorted(tok.tolist()))) for _, tok, _ in per]
        sizes = [len(p) for p in perms]
        total = math.prod(sizes)
        strides = np.cumprod([1, *sizes[:-1]])
        for start in range(0, total, chunk):
            r = np.arange(start, min(total, start + chunk))
            out = np.empty((len(r), self.n))
            for (uniq, _, pos), p, size, stride in zip(per, perms, sizes, strides):
                assigned = p[(r // stride) % size]  # len(r) x blocks: the token each block receives
                out[:, pos.ravel()] = uniq[assigned].reshape(len(r), -1)
            yield out

    def sample(self, y: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
        """n_draws x n random arrangements of y under the design."""
        out = np.empty((n_draws, self.n))
        for uniq, tok, pos in self._tokens(y):
            perm = np.argsort(rng.random((n_draws, len(tok))), axis=1)
            out[:, pos.ravel()] = uniq[tok[perm]].reshape(n_draws, -1)
        return out


def design_test(
    y: np.ndarray,
    design: Design,
    stat_rows: Callable[[np.ndarray], np.ndarray],
    t_obs: float,
    *,
    extreme: Callable[[np.ndarray, float], np.ndarray],
    n_permutations: int,
    rng: np.random.Generator,
    limit: int = ENUMERATION_LIMIT,
    exact_label: str = P_STRATA_EXACT,
    mc_label: str = P_STRATA_MC,
) -> PermTest:
    """Permutation test of ``stat_rows(Y)`` over the arrangements of y the design allows.

    ``extreme(t, t_obs)`` marks the permuted statistics at least as extreme as the observed one.  Full enumeration
    of the distinct arrangements while there are at most `limit`, else Monte Carlo (``n_permutations`` draws);
    ``n_permutations=0`` beyond the budget raises ValueError giving the size of the space.
    """
    space = design.space(y)
    if space <= limit:
        hits = 0
        for Y in design.enumerate(y):
            hits += int(np.count_nonzero(extreme(stat_rows(Y), t_obs)))
        return PermTest(t_obs, hits / space, exact_label, 0.0, space)
    if n_permutations == 0:
        raise too_large(space, limit, "permutation distribution")
    hits = 0
    chunk = max(1, 1_000_000 // max(design.n, 1))
    for start in range(0, n_permutations, chunk):
        b = min(chunk, n_permutations - start)
        hits += int(np.count_nonzero(extreme(stat_rows(design.sample(y, b, rng)), t_obs)))
    p = (1 + hits) / (n_permutations + 1)
    return PermTest(t_obs, p, mc_label, math.sqrt(p * (1 - p) / n_permutations), n_permutations)


def within_kendall_rows(x: np.ndarray, Y: np.ndarray, strata: np.ndarray | None) -> np.ndarray:
    """Kendall's S from the pairs inside each stratum (all pairs without strata), for every row of Y."""
    values = np.unique(Y)
    if strata is None:
        return np.concatenate([kendall_S_rows(x, Y[k : k + 50_000], values) for k in range(0, len(Y), 50_000)])
    out = np.zeros(len(Y))
    for s in np.unique(strata):
        g = np.flatnonzero(strata == s)
        if len(g) > 1:
            for k in range(0, len(Y), 50_000):
                out[k : k + 50_000] += kendall_S_rows(x[g], Y[k : k + 50_000][:, g], values)
    return out


def within_pairs_untied(v: np.ndarray, strata: np.ndarray | None) -> float:
    """Number of within-stratum pairs not tied on v."""
    i, j = pair_index(len(v))
    keep = np.ones(len(i), dtype=bool) if strata is None else strata[i] == strata[j]
    return float(np.count_nonzero(v[i][keep] != v[j][keep]))


def within_midranks(v: np.ndarray, strata: np.ndarray | None) -> np.ndarray:
    """Mid-ranks within each stratum, centred on the stratum mean."""
    out = np.empty(len(v))
    groups = [np.arange(len(v))] if strata is None else [np.flatnonzero(strata == s) for s in np.unique(strata)]
    for g in groups:
        r = midranks(v[g])
        out[g] = r - r.mean()
    return out


def absolute_extreme(t: np.ndarray, t_obs: float) -> np.ndarray:
    """|T*| >= |t| (two-sided about 0) with tolerance :data:`ABS_TOL`."""
    return np.abs(t) >= abs(t_obs) - ABS_TOL * max(1.0, abs(t_obs))


def weighted_tau_b_rows(x: np.ndarray, y: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Kendall's tau_b of the sample that holds case i ``W[b, i]`` times, for every row b (W: k x n counts).

    A resample of whole clusters is such a sample; the cross-table of weighted counts gives S and the ties, with
    copies of one case tied on both variables (as in the expanded sample).
    """
    ux, ix = np.unique(x, return_inverse=True)
    uy, iy = np.unique(y, return_inverse=True)
    kx, ky = len(ux), len(uy)
    onehot = np.zeros((len(x), kx * ky))
    onehot[np.arange(len(x)), ix * ky + iy] = 1.0
    return _tables_tau_b((W @ onehot).reshape(len(W), kx, ky))


def weighted_spearman_rows(x: np.ndarray, y: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Spearman's rho (mid-ranks) of the sample that holds case i ``W[b, i]`` times, for every row b."""

    def ranks(v: np.ndarray) -> np.ndarray:
        u, iv = np.unique(v, return_inverse=True)
        O = np.zeros((len(v), len(u)))
        O[np.arange(len(v)), iv] = 1.0
        c = W @ O
        level = np.cumsum(c, axis=1) - c + (c + 1) / 2.0
        return level[:, iv]

    a, b = ranks(x), ranks(y)
    tot = W.sum(axis=1, keepdims=True)
    ac = a - (W * a).sum(axis=1, keepdims=True) / tot
    bc = b - (W * b).sum(axis=1, keepdims=True) / tot
    with np.errstate(invalid="ignore", divide="ignore"):
        return (W * ac * bc).sum(axis=1) / np.sqrt((W * ac * ac).sum(axis=1) * (W * bc * bc).sum(axis=1))
