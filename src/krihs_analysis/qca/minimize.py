"""Exact Boolean minimisation of QCA truth tables (conservative, parsimonious, intermediate).

Prime implicants are found as in R QCA's CCubes: for every subset of conditions (by increasing
size) the positive configurations are projected onto it, and a projection is an implicant when
its cube contains no excluded configuration; it is prime when no cube one literal larger is an
implicant. Terms and configurations are integer-coded (mixed radix), so each subset costs a few
vectorised numpy set operations. All covers of minimum size are then enumerated exactly by a
branch-and-bound search over bitsets of the positive rows.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, product

import numpy as np
import pandas as pd

from krihs_analysis._format import fmt_num
from krihs_analysis._validate import check_choice, check_count, check_flag

from .expression import format_term, parse, term_sort_key
from .truthtable import QCAData, TruthTable, sufficiency_scores

__all__ = ["Solution", "minimize", "CoverCapWarning"]

_KINDS = ("conservative", "parsimonious", "intermediate")
# Largest cube whose minterms we list to name the remainders a solution relies on.
_MAX_LISTED_MINTERMS = 2_000_000


class CoverCapWarning(UserWarning):
    """More minimal covers exist than ``max_covers``; only the first ones were kept."""


class _NoPositiveRows(ValueError):
    """No truth-table row is coded OUT = 1, so there is nothing to minimise.

    A ValueError like every user-facing mistake here; the range searches of ``robust.py`` catch this one alone,
    since at a moved cut it means "no solution here" rather than a mistake.
    """


def _check_truth_table(tt) -> None:
    if not isinstance(tt, TruthTable):
        raise ValueError(
            f"tt must be a TruthTable, got {type(tt).__name__}; build one with "
            "qca.truth_table(data, outcome, conditions)"
        )


# --------------------------------------------------------------------------- prime implicants


def _popcount(x: int) -> int:
    return bin(x).count("1")


def prime_implicants(
    pos: np.ndarray,
    levels: np.ndarray,
    *,
    off: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """All prime implicants of the positive configurations ``pos``.

    Exactly one of ``off`` (open world: everything but these configurations may be covered,
    the parsimonious case) or ``allowed`` (closed world: only these configurations, which must
    include ``pos``, may be covered) is given.

    Returns
    -------
    codes : ndarray of shape (m, k)
        R-style codes: 0 = condition absent from the term, v + 1 = condition at level v.
    chart : ndarray of bool, shape (m, n_pos)
        Which positive configurations each prime implicant covers.
    """
    pos = np.unique(np.asarray(pos, dtype=np.int64), axis=0)
    k = len(levels)
    levels = np.asarray(levels, dtype=np.int64)
    w = np.ones(k, dtype=np.int64)
    for i in range(k - 2, -1, -1):
        w[i] = w[i + 1] * levels[i + 1]
    space = int(np.prod(levels))
    closed = allowed is not None
    other = np.unique(np.asarray(allowed if closed else off, dtype=np.int64).reshape(-1, k), axis=0)
    if (not closed and len(other) == 0) or (closed and len(other) == space):
        return np.zeros((1, k), dtype=np.int64), np.ones((1, len(pos)), dtype=bool)
    pos_contrib = pos * w
    oth_contrib = other * w
    masks = sorted(range(1, 1 << k), key=lambda m: (_popcount(m), m))
    prev_pos: dict[int, np.ndarray] = {0: np.zeros(len(pos), dtype=np.int64)}
    prev_oth: dict[int, np.ndarray] = {0: np.zeros(len(other), dtype=np.int64)}
    cur_pos: dict[int, np.ndarray] = {}
    cur_oth: dict[int, np.ndarray] = {}
    valid: dict[int, np.ndarray] = {0: np.empty(0, dtype=np.int64)}
    # Once every positive projection on a subset is an implicant, every term on a superset is
    # a non-prime implicant, so those subsets need no test against the excluded set.
    saturated: set[int] = set()
    out_codes: list[np.ndarray] = []
    out_chart: list[np.ndarray] = []
    level = 1
    for mask in masks:
        size = _popcount(mask)
        if size != level:
            prev_pos, prev_oth, cur_pos, cur_oth = cur_pos, cur_oth, {}, {}
            level = size
        hi = mask.bit_length() - 1
        base = mask ^ (1 << hi)
        rc = prev_pos[base] + pos_contrib[:, hi]
        cur_pos[mask] = rc
        upc = np.unique(rc)
        subs = [mask ^ (1 << i) for i in range(hi + 1) if mask >> i & 1]
        if any(s in saturated for s in subs):
            valid[mask] = upc
            saturated.add(mask)
            cur_oth[mask] = prev_oth[base]  # placeholder, never read for saturated descendants
            continue
        oc = prev_oth[base] + oth_contrib[:, hi]
        cur_oth[mask] = oc
        if closed:
            vol = space // int(np.prod([levels[i] for i in range(k) if mask >> i & 1]))
            ocu, cnt = np.unique(oc, return_counts=True)
            ok = ocu[cnt == vol]
            vmask = np.isin(upc, ok, assume_unique=True)
        else:
            vmask = ~np.isin(upc, oc)
        v = upc[vmask]
        valid[mask] = v
        if v.size == 0:
            continue
        if vmask.all():
            saturated.add(mask)
        is_prime = np.ones(v.size, dtype=bool)
        for i in range(hi + 1):
            if not mask >> i & 1:
                continue
            sub = mask ^ (1 << i)
            sv = valid[sub]
            if sv.size == 0:
                continue
            li = (v // w[i]) % levels[i]
            is_prime &= ~np.isin(v - li * w[i], sv)
        pv = v[is_prime]
        if pv.size == 0:
            continue
        idx = [i for i in range(k) if mask >> i & 1]
        codes = np.zeros((pv.size, k), dtype=np.int64)
        for i in idx:
            codes[:, i] = (pv // w[i]) % levels[i] + 1
        out_codes.append(codes)
        out_chart.append(rc[None, :] == pv[:, None])
    if not out_codes:
        return np.zeros((0, k), dtype=np.int64), np.zeros((0, len(pos)), dtype=bool)
    return np.vstack(out_codes), np.vstack(out_chart)


# --------------------------------------------------------------------------- covering problem


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _component_covers(rows: list[int], options: dict[int, int], cap: int) -> tuple[list[tuple[int, ...]], bool]:
    """All minimum covers of one connected block of the reduced chart.

    ``options[r]`` is the bitmask of prime implicants covering row ``r``. Branch and bound with
    iterative deepening; the bound counts rows with pairwise disjoint options, each of which
    needs its own prime implicant.
    """
    order = sorted(rows, key=lambda r: _popcount(options[r]))
    found: list[tuple[int, ...]] = []
    truncated = False

    def lower_bound(live: list[int], excluded: int) -> int:
        used = 0
        lb = 0
        for r in live:
            o = options[r] & ~excluded
            if not o & used:
                lb += 1
                used |= o
        return lb

    def search(live: list[int], depth: int, excluded: int, chosen: list[int]) -> bool:
        nonlocal truncated
        if not live:
            found.append(tuple(sorted(chosen)))
            if len(found) >= cap:
                truncated = True
                return False
            return True
        best_r, best_o = -1, -1
        for r in live:
            o = options[r] & ~excluded
            if not o:
                return True
            if best_r < 0 or _popcount(o) < _popcount(best_o):
                best_r, best_o = r, o
        if depth == 0 or lower_bound(live, excluded) > depth:
            return True
        # Excluding earlier alternatives in later branches lists every cover exactly once.
        for j in _bits(best_o):
            chosen.append(j)
            bit = 1 << j
            ok = search([r for r in live if not options[r] & bit], depth - 1, excluded, chosen)
            chosen.pop()
            if not ok:
                return False
            excluded |= bit
        return True

    depth = lower_bound(order, 0)
    while not found:
        search(order, depth, 0, [])
        depth += 1
    return found, truncated


def minimum_covers(chart: np.ndarray, *, max_covers: int = 1000) -> tuple[list[tuple[int, ...]], bool]:
    """Every cover of the columns of ``chart`` by the fewest rows (prime implicants).

    Essential prime implicants are taken first, dominated positive rows (whose covering prime
    implicants include all those of another row) are dropped, and the rest splits into
    independent blocks whose minimum covers combine as a Cartesian product. No prime implicant
    is discarded, so every tie is kept.

    Returns the covers (sorted tuples of row indices) and whether ``max_covers`` cut the list short.
    """
    m, n = chart.shape
    if n == 0:
        return [()], False
    if m == 0 or not chart.any(axis=0).all():
        raise ValueError("the prime implicants do not cover every positive configuration.")
    packed = np.packbits(chart, axis=0, bitorder="little")
    options = {r: int.from_bytes(packed[:, r].tobytes(), "little") for r in range(n)}
    essential_mask = 0
    for o in options.values():
        if o & (o - 1) == 0:
            essential_mask |= o
    essential = list(_bits(essential_mask))
    live = [r for r in range(n) if not options[r] & essential_mask]
    # Row dominance: a row whose options include all options of another row is covered for free.
    live.sort(key=lambda r: (_popcount(options[r]), r))
    kept: list[int] = []
    seen: set[int] = set()
    for r in live:
        o = options[r]
        if o in seen or any(options[k] & o == options[k] for k in kept):
            continue
        seen.add(o)
        kept.append(r)
    # Blocks of rows linked through shared prime implicants are solved separately.
    parent = {r: r for r in kept}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[int, int] = {}
    for r in kept:
        for j in _bits(options[r]):
            if j in owner:
                a, b = find(owner[j]), find(r)
                if a != b:
                    parent[a] = b
            else:
                owner[j] = r
    blocks: dict[int, list[int]] = {}
    for r in kept:
        blocks.setdefault(find(r), []).append(r)
    # Search for one cover more than the cap, so that "truncated" means more covers really exist.
    limit = max_covers + 1
    combos: list[tuple[int, ...]] = [tuple(essential)]
    for rows in blocks.values():
        covers, _ = _component_covers(rows, options, limit)
        combos = list(islice((base + c for base in combos for c in covers), limit))
    truncated = len(combos) > max_covers
    combos = combos[:max_covers]
    return [tuple(sorted(c)) for c in combos], truncated


# --------------------------------------------------------------------------- solution object


def _term_membership(q: QCAData, codes: np.ndarray) -> np.ndarray:
    """Membership of every case in every coded term; (n_cases, n_terms)."""
    out = np.ones((q.X.shape[0], codes.shape[0]))
    for j in range(q.X.shape[1]):
        cj = codes[:, j]
        if not cj.any():
            continue
        col = q.X[:, j][:, None]
        v = (cj - 1)[None, :]
        if q.is_mv[j] or q.dont_care[j]:
            m = (col == v).astype(np.float64)
        else:
            m = np.where(v == 1, col, 1.0 - col)
        m[:, cj == 0] = 1.0
        np.minimum(out, m, out=out)
    return out


def _cube_minterms(code: np.ndarray, levels: np.ndarray, w: np.ndarray) -> np.ndarray | None:
    """Row numbers (1-based) of every configuration inside a coded cube, or None if too many."""
    free = [i for i in range(len(code)) if code[i] == 0]
    vol = int(np.prod([levels[i] for i in free])) if free else 1
    if vol > _MAX_LISTED_MINTERMS:
        return None
    base = int(sum((int(code[i]) - 1) * int(w[i]) for i in range(len(code)) if code[i] != 0))
    if not free:
        return np.array([base + 1])
    grids = np.meshgrid(*[np.arange(levels[i]) * w[i] for i in free], indexing="ij")
    return base + 1 + np.sum([g.ravel() for g in grids], axis=0)


@dataclass(frozen=True)
class Solution:
    """Result of :func:`minimize`.

    Attributes
    ----------
    kind : str
        "conservative", "parsimonious" or "intermediate".
    outcome : str
    models : tuple of str
        Every minimal model (M1, M2, ...) in R syntax, e.g. ``"DEV*~URB*LIT*STB + DEV*LIT*IND*STB"``.
    fit : pandas.DataFrame
        Tidy parameters of fit: ``model``, ``level`` ("term" or "model"), ``term``, ``consistency``,
        ``PRI``, ``coverage``, ``unique_coverage`` (terms only: model coverage minus the coverage of
        the model without the term).
    prime_implicants : tuple of str
        Every prime implicant of the minimisation, in R order.
    simplifying_assumptions : tuple of int
        Row numbers of remainders the models cover (empty for conservative solutions).
    easy_counterfactuals, difficult_counterfactuals : tuple of int
        Intermediate solutions only: the parsimonious simplifying assumptions that are / are not
        in line with the directional expectations.
    truncated : bool
        True when more than ``max_covers`` minimal covers exist and only the first were kept.
    easy_by_pair : mapping of str to tuple of int
        Intermediate solutions: the easy counterfactuals of each (conservative, parsimonious) model
        pair, keyed as R names them ("C1P1", "C1P2", ...).
    """

    kind: str
    outcome: str
    conditions: tuple[str, ...]
    models: tuple[str, ...]
    fit: pd.DataFrame
    prime_implicants: tuple[str, ...]
    simplifying_assumptions: tuple[int, ...] = ()
    easy_counterfactuals: tuple[int, ...] = ()
    difficult_counterfactuals: tuple[int, ...] = ()
    truncated: bool = False
    assumptions_by_model: Mapping[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    easy_by_pair: Mapping[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """The parameters of fit (same as :attr:`fit`): the tidy table every result object exposes."""
        return self.fit

    def __str__(self) -> str:
        lines = [f"{self.kind.capitalize()} solution for {self.outcome}"]
        if self.truncated:
            lines.append(f"  (truncated: only the first {len(self.models)} minimal models are listed)")
        for i, m in enumerate(self.models, start=1):
            lines.append(f"M{i}: {m} -> {self.outcome}")
        lines.append("")
        for i in range(1, len(self.models) + 1):
            name = f"M{i}"
            part = self.fit[self.fit["model"] == name]
            terms = part[part["level"] == "term"]
            width = max([len(t) for t in terms["term"]] + [len(name)])
            lines.append(f"{'':{width + 4}} inclS    PRI   covS   covU")
            lines.append("-" * (width + 34))
            for j, r in enumerate(terms.itertuples(index=False), start=1):
                lines.append(
                    f"{j:<3} {r.term:<{width}} "
                    + " ".join(f"{fmt_num(v, digits=3):>6}" for v in (r.consistency, r.PRI, r.coverage, r.unique_coverage))
                )
            lines.append("-" * (width + 34))
            mr = part[part["level"] == "model"].iloc[0]
            lines.append(f"{'':3} {name:<{width}} " + " ".join(f"{fmt_num(v, digits=3):>6}"
                                                                for v in (mr.consistency, mr.PRI, mr.coverage)))
            lines.append("")
        if self.simplifying_assumptions:
            lines.append(f"Simplifying assumptions (rows): {', '.join(map(str, self.simplifying_assumptions))}")
        if self.kind == "intermediate":
            lines.append(f"Easy counterfactuals (rows): {', '.join(map(str, self.easy_counterfactuals)) or 'none'}")
            lines.append(
                f"Difficult counterfactuals (rows): {', '.join(map(str, self.difficult_counterfactuals)) or 'none'}"
            )
        return "\n".join(lines).rstrip() + "\n"


def _fit_table(q: QCAData, codes: np.ndarray, covers: list[tuple[int, ...]], term_names: list[str]) -> pd.DataFrame:
    # Ties can mean thousands of models sharing the same few terms: each term is scored once.
    memb = _term_membership(q, codes)
    incl, pri, cov = sufficiency_scores(memb, q.y)
    y = q.y
    ysum = y.sum()
    cols: dict[str, list] = {k: [] for k in ("model", "level", "term", "consistency", "PRI", "coverage", "unique_coverage")}

    def add(model, level, term, c, p, v, u):
        for k, val in zip(cols, (model, level, term, c, p, v, u)):
            cols[k].append(val)

    for mi, cover in enumerate(covers, start=1):
        label = f"M{mi}"
        idx = np.asarray(cover, dtype=np.int64)
        tnames = [term_names[k] for k in cover]
        mm = memb[:, idx]
        top = mm.max(axis=1)
        mi_, mp_, mc_ = sufficiency_scores(top[:, None], y)
        if len(idx) > 1:
            # The model without term t is the case-wise maximum of the other terms: the best term,
            # or the runner-up where t is the best.
            srt = np.sort(mm, axis=1)
            second = srt[:, -2]
            arg = mm.argmax(axis=1)
            rest = np.where(arg[:, None] == np.arange(len(idx))[None, :], second[:, None], top[:, None])
            rest_cov = np.minimum(rest, y[:, None]).sum(axis=0) / ysum
        else:
            rest_cov = np.zeros(1)
        for t, name in enumerate(tnames):
            k = idx[t]
            add(label, "term", name, incl[k], pri[k], cov[k], mc_[0] - rest_cov[t])
        add(label, "model", " + ".join(tnames), mi_[0], mp_[0], mc_[0], np.nan)
    return pd.DataFrame(cols).astype({"model": "str", "level": "str", "term": "str"})


_NO_EXPECTATION = ("-", "", "dc")


def _check_dir_exp(dir_exp) -> None:
    """The shapes dir_exp may take (None, an expression, a mapping, a sequence), checked for every kind: a number or
    a bare object is a mistake even where it would not be read (it raised "'int' object is not iterable")."""
    if dir_exp is None or isinstance(dir_exp, (str, Mapping)):
        return
    if isinstance(dir_exp, Iterable) and not isinstance(dir_exp, (bytes, pd.DataFrame)):
        return
    raise ValueError(
        f"dir_exp must be a dict of condition -> expectation, a list with one per condition or an expression, got "
        f"{dir_exp!r:.80} ({type(dir_exp).__name__}); pass e.g. dir_exp={{'DEV': 1, 'URB': 1}} or dir_exp='DEV + ~LIT'"
    )


def _expectation_matrix(dir_exp, q: QCAData) -> np.ndarray:
    """Directional expectations as R QCA's matrix: one row per expectation, codes 0 = none, v + 1 = level v.

    A row with one non-zero code is an individual expectation, a row with several a conjunctural one
    (e.g. ``"~LIT*IND"``), as R's ``verify.dir.exp`` builds it.
    """
    if dir_exp is None:
        raise ValueError(
            "an intermediate solution needs dir_exp, e.g. dir_exp={'DEV': 1, 'URB': 1} or "
            "dir_exp='DEV + STB + ~LIT*IND' (1 = presence expected to contribute, 0 = absence, '-' = no expectation)."
        )
    k = len(q.conditions)
    index = {c: j for j, c in enumerate(q.conditions)}
    rows: list[tuple[int, ...]] = []

    def add_literals(lits) -> None:
        # A multi-level literal (DEV[1,2]) expands into one row per level, as admisc::simplify does.
        choices = []
        for lit in lits:
            if lit.name not in index:
                raise ValueError(f"dir_exp names {lit.name!r}, which is not a condition {list(q.conditions)}.")
            j = index[lit.name]
            lv = int(q.levels[j])
            if lit.levels is not None:
                vals = set(lit.levels)
                if q.is_mv[j] and lit.negated:
                    vals = set(range(lv)) - vals
                elif lit.negated:
                    vals = {1 - v for v in vals}
            elif q.is_mv[j]:
                raise ValueError(
                    f"dir_exp for multi-value condition {lit.name!r} must name its level, e.g. '{lit.name}[2]'."
                )
            else:
                vals = {0 if lit.negated else 1}
            if not all(0 <= v < lv for v in vals):
                raise ValueError(f"dir_exp for {lit.name!r} names level(s) {sorted(vals)} outside 0..{lv - 1}.")
            choices.append([(j, v) for v in sorted(vals)])
        for combo in product(*choices):
            code = [0] * k
            for j, v in combo:
                if code[j] and code[j] != v + 1:
                    break  # contradictory conjunction (A*~A): R drops it
                code[j] = v + 1
            else:
                if any(code):
                    rows.append(tuple(code))

    def expression_mode(values) -> bool:
        return any(isinstance(v, str) and v.strip() not in _NO_EXPECTATION and not v.strip().isdigit()
                   for v in values)

    if isinstance(dir_exp, str):
        # R reads "DEV, STB" and "A[2], B[1]" as separate expectations; a comma inside brackets
        # ("A[1,2]") lists levels of one condition and is kept.
        for term in parse(re.sub(r",(?![^\[]*\])", "+", dir_exp)):
            add_literals(term)
    elif isinstance(dir_exp, Mapping) or not expression_mode(list(dir_exp)):
        if isinstance(dir_exp, Mapping):
            unknown = [c for c in dir_exp if c not in q.conditions]
            if unknown:
                raise ValueError(f"dir_exp names {unknown}, which are not conditions {list(q.conditions)}.")
            values = [dir_exp.get(c, "-") for c in q.conditions]
        else:
            values = list(dir_exp)
            if len(values) != k:
                raise ValueError(
                    f"dir_exp has {len(values)} entries for {k} conditions; give one per condition, a dict "
                    "or an expression such as 'DEV + ~LIT*IND'."
                )
        for j, (c, v, lv) in enumerate(zip(q.conditions, values, q.levels)):
            if v is None or (isinstance(v, str) and v.strip() in _NO_EXPECTATION):
                continue
            vals = v if isinstance(v, (list, tuple, set, frozenset)) else [v]
            try:
                s = {int({"+": 1, "present": 1, "absent": 0}.get(x, x) if isinstance(x, str) else x) for x in vals}
            except (TypeError, ValueError):
                raise ValueError(f"dir_exp for {c!r} must be 1, 0, a level or '-'; got {v!r}.") from None
            if not all(0 <= x < lv for x in s):
                raise ValueError(f"dir_exp for {c!r} names level(s) {sorted(s)} outside 0..{lv - 1}.")
            for x in sorted(s):
                code = [0] * k
                code[j] = x + 1
                rows.append(tuple(code))
    else:
        for item in dir_exp:
            if isinstance(item, str) and item.strip() in _NO_EXPECTATION:
                continue
            if not isinstance(item, str):
                raise ValueError(f"dir_exp mixes expressions and {item!r}; write every entry as an expression.")
            for term in parse(item):
                add_literals(term)
    uniq = list(dict.fromkeys(rows))
    return np.array(uniq, dtype=np.int64).reshape(len(uniq), k)


def row_dominance(chart: np.ndarray) -> np.ndarray:
    """Indices of the prime implicants that survive row dominance (R QCA's ``rowDominance``).

    A prime implicant is dropped when the positive rows it covers are a strict subset of those covered
    by another prime implicant; prime implicants with identical coverage are all kept.
    """
    chart = np.asarray(chart, dtype=bool)
    sums = chart.sum(axis=1)
    keep = []
    for i in range(len(chart)):
        bigger = (sums > sums[i]) & np.all(chart[:, chart[i]], axis=1)
        if not bigger.any():
            keep.append(i)
    return np.array(keep, dtype=np.int64)


def _solve(pos, levels, *, off=None, allowed=None, max_covers, row_dom=False):
    """Prime implicants sorted in R order, and every minimum cover as sorted index tuples."""
    codes, chart = prime_implicants(pos, levels, off=off, allowed=allowed)
    # Prime implicants that cover no positive row (possible in a closed world with easy counterfactuals)
    # are dropped from the chart, as R's getSolution does.
    used = chart.any(axis=1)
    codes, chart = codes[used], chart[used]
    if row_dom and len(codes):
        keep = row_dominance(chart)
        codes, chart = codes[keep], chart[keep]
    order = sorted(range(len(codes)), key=lambda i: term_sort_key(codes[i]))
    codes, chart = codes[order], chart[order]
    covers, truncated = minimum_covers(chart, max_covers=max_covers)
    # Index order is R's term order, so sorted index tuples list terms and models as R does.
    return codes, sorted(covers), truncated


def minimize(
    tt: TruthTable,
    *,
    kind: str = "conservative",
    dir_exp: Mapping[str, object] | Sequence[object] | str | None = None,
    max_covers: int = 1000,
    row_dom: bool = False,
    exclude: Sequence[int] = (),
) -> Solution:
    """Minimise a truth table into the conservative, parsimonious or intermediate solution.

    Parameters
    ----------
    tt : TruthTable
        From :func:`truth_table`.
    kind : {"conservative", "parsimonious", "intermediate"}
        Conservative uses no remainders; parsimonious may use any remainder; intermediate only the
        easy counterfactuals implied by ``dir_exp`` (Ragin and Sonnett 2005, as R QCA).
    dir_exp : dict or sequence, optional
        Directional expectations, for ``kind="intermediate"`` only (with another kind they are an error, not a
        setting that silently does nothing): per condition 1 (presence expected
        to contribute to the outcome), 0 (absence), a level or list of levels for multi-value
        conditions, or "-" (no expectation; conditions missing from a dict count as "-"). Or, as R
        writes them, an expression or list of expressions: ``"DEV + STB + ~LIT*IND"`` or
        ``["DEV", "STB", "~LIT*IND"]``, where a conjunction is a conjunctural expectation; commas
        separate expectations as in R (``"DEV, STB"``, multi-value ``"A[2], B[1]"``).
    max_covers : int, default 1000
        Stop after this many minimal covers; a :class:`CoverCapWarning` is issued and
        ``Solution.truncated`` is True.
    row_dom : bool, default False
        Drop prime implicants dominated by another (covering a strict subset of its positive rows)
        before solving the chart, as R's ``row.dom = TRUE``.
    exclude : sequence of int, default ()
        Truth-table row numbers treated as OUT = 0: never covered and never a simplifying
        assumption (the exclusions of enhanced standard analysis, see :func:`enhanced_minimize`).

    Returns
    -------
    Solution

    Notes
    -----
    As R's ``minimize``, every cover with the fewest prime implicants is returned (ties are not
    broken by literal count). Contradictory ("C") rows are never covered.

    Examples
    --------
    >>> import pandas as pd
    >>> from krihs_analysis.qca import truth_table
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> minimize(truth_table(df, "Y", ["A", "B"])).models
    ('A',)
    """
    _check_truth_table(tt)
    check_choice(kind, "kind", _KINDS)
    max_covers = check_count(max_covers, "max_covers", minimum=1)
    row_dom = check_flag(row_dom, "row_dom")
    _check_dir_exp(dir_exp)
    if dir_exp is not None and kind != "intermediate":
        raise ValueError(f"dir_exp is used by the intermediate solution only; with kind={kind!r} it would change "
                         "nothing, so pass kind='intermediate' or drop dir_exp")
    q = tt.qdata
    levels, w = q.levels, q.weights
    space = int(np.prod(levels))
    given = exclude
    if isinstance(exclude, (int, np.integer)):
        exclude = (exclude,)
    try:
        if any(isinstance(r, (bool, np.bool_)) for r in exclude):  # True was read as row 1
            raise TypeError
        excluded = sorted({int(r) for r in exclude})
    except (TypeError, ValueError):
        raise ValueError(f"exclude must be truth-table row numbers such as (3, 7); got {given!r:.80}.") from None
    if excluded and not (1 <= excluded[0] and excluded[-1] <= space):
        raise ValueError(f"exclude names rows outside 1..{space}: {excluded}.")
    dc = q.dont_care
    if dc.any():
        # A configuration with a don't care stands for every value of that condition (R QCA's "-"): rows are
        # expanded into the space without the don't-care level, where the minimisation runs. Row numbers of
        # simplifying assumptions and counterfactuals then count in that space.
        tt_levels, tt_w = levels, w
        levels = q.real_levels
        w = np.ones(len(levels), dtype=np.int64)
        for i in range(len(levels) - 2, -1, -1):
            w[i] = w[i + 1] * levels[i + 1]
        space = int(np.prod(levels))

        def expand(rows_tt) -> list[int]:
            out: list[int] = []
            for r in rows_tt:
                cfg = _decode(int(r), tt_levels, tt_w)[0]
                choices = [range(levels[j]) if dc[j] and cfg[j] == tt_levels[j] - 1 else [cfg[j]]
                           for j in range(len(cfg))]
                out.extend(int(np.dot(c, w)) + 1 for c in product(*choices))
            return out
    else:
        def expand(rows_tt) -> list[int]:
            return [int(r) for r in rows_tt]
    rows_out = tt.table.set_index("row")["OUT"]
    neg_rows = sorted(set(expand(rows_out.index[rows_out.isin(["0", "C"])].tolist())) | set(expand(excluded)))
    # Where an expanded positive row meets a negative one, the negative wins (the configuration is not sufficient).
    pos_rows = sorted(set(expand([r for r in rows_out.index[rows_out == "1"] if r not in set(excluded)]))
                      - set(neg_rows))
    if not pos_rows:
        raise _NoPositiveRows(
            f"no truth-table row has OUT = 1 for {tt.outcome}; lower incl_cut (now {tt.incl_cut[0]:g}) or n_cut."
        )
    pos = np.vstack([_decode(int(r), levels, w) for r in pos_rows])
    neg = (np.vstack([_decode(int(r), levels, w) for r in neg_rows]) if neg_rows
           else np.zeros((0, len(levels)), dtype=np.int64))
    observed = set(expand(tt.table.loc[tt.table["OUT"] != "?", "row"].tolist())) | set(expand(excluded))
    mv = q.multivalue

    def covered_remainders(terms) -> tuple[int, ...]:
        rows: set[int] = set()
        for t in terms:
            mt = _cube_minterms(t, levels, w)
            if mt is None:
                return ()
            rows.update(int(r) for r in mt)
        return tuple(sorted(rows - observed))

    pair_by_name: dict[str, tuple[int, ...]] = {}
    easy: tuple[int, ...] = ()
    difficult: tuple[int, ...] = ()
    truncated = False
    if kind == "conservative":
        codes, covers, truncated = _solve(pos, levels, allowed=pos, max_covers=max_covers, row_dom=row_dom)
    elif kind == "parsimonious":
        codes, covers, truncated = _solve(pos, levels, off=neg, max_covers=max_covers, row_dom=row_dom)
    else:
        dem = _expectation_matrix(dir_exp, q)
        c_codes, c_covers, t1 = _solve(pos, levels, allowed=pos, max_covers=max_covers, row_dom=row_dom)
        p_codes, p_covers, t2 = _solve(pos, levels, off=neg, max_covers=max_covers, row_dom=row_dom)
        truncated = t1 or t2
        sa_by_p = [covered_remainders([p_codes[j] for j in pc]) for pc in p_covers]
        found: dict[tuple, None] = {}
        ec: set[int] = set()
        if len(dem) == 0 or not any(sa_by_p):
            # No expectation, or no simplifying assumption at all: R returns the conservative models.
            for cc in c_covers:
                found.setdefault(tuple(tuple(int(v) for v in c_codes[j]) for j in cc), None)
        else:
            pairs = [(ci, pi) for ci in range(len(c_covers)) for pi in range(len(p_covers))]
            if len(pairs) > max_covers:
                # R solves every (conservative, parsimonious) pair; beyond the cap we keep the first ones.
                pairs, truncated = pairs[:max_covers], True
            solved: dict[frozenset[int], list[tuple]] = {}
            for ci, pi in pairs:
                pm = [p_codes[j] for j in p_covers[pi]]
                terms = _intermediate_terms([c_codes[j] for j in c_covers[ci]], pm, dem)
                ec_here = frozenset(r for r in sa_by_p[pi] if any(_in_cube(r, t, levels, w) for t in terms))
                ec.update(ec_here)
                pair_by_name[f"C{ci + 1}P{pi + 1}"] = tuple(sorted(ec_here))
                if ec_here not in solved:
                    # The same easy counterfactuals give the same models: each set is solved once.
                    allowed = np.vstack([pos] + [_decode(r, levels, w) for r in sorted(ec_here)])
                    i_codes, i_covers, t3 = _solve(pos, levels, allowed=allowed, max_covers=max_covers,
                                                   row_dom=row_dom)
                    truncated = truncated or t3
                    solved[ec_here] = [tuple(tuple(int(v) for v in i_codes[j]) for j in cov) for cov in i_covers]
                for m in solved[ec_here]:
                    found.setdefault(m, None)
        uniq = sorted({t for m in found for t in m}, key=term_sort_key)
        pos_of = {t: i for i, t in enumerate(uniq)}
        codes = np.array(uniq, dtype=np.int64).reshape(len(uniq), -1)
        covers = sorted(tuple(sorted(pos_of[t] for t in m)) for m in found)
        easy = tuple(sorted(ec))
        difficult = tuple(sorted(set().union(*sa_by_p) - ec))
        if len(covers) > max_covers:
            covers, truncated = covers[:max_covers], True
    if truncated:
        warnings.warn(
            f"more than max_covers={max_covers} minimal models exist; only the first {len(covers)} are returned. "
            "Raise max_covers to see more.",
            CoverCapWarning,
            stacklevel=2,
        )
    term_names = [format_term(c, q.conditions, multivalue=mv) for c in codes]
    fit = _fit_table(q, codes, covers, term_names)
    by_model: dict[str, tuple[int, ...]] = {}
    if kind != "conservative":
        by_model = {f"M{i}": covered_remainders(codes[list(c)]) for i, c in enumerate(covers, start=1)}
    sa_all = tuple(sorted(set().union(*by_model.values()))) if by_model else ()
    return Solution(
        kind=kind,
        outcome=tt.outcome,
        conditions=tt.conditions,
        models=tuple(" + ".join(term_names[j] for j in c) for c in covers),
        fit=fit,
        prime_implicants=tuple(term_names),
        simplifying_assumptions=sa_all,
        easy_counterfactuals=easy,
        difficult_counterfactuals=difficult,
        truncated=truncated,
        assumptions_by_model=by_model,
        easy_by_pair=pair_by_name,
    )


def _decode(row: int, levels: np.ndarray, w: np.ndarray) -> np.ndarray:
    return (((row - 1) // w) % levels)[None, :].astype(np.int64)


def _in_cube(row: int, term: np.ndarray, levels: np.ndarray, w: np.ndarray) -> bool:
    config = ((row - 1) // w) % levels
    return bool(np.all((term == 0) | (term == config + 1)))


def _intermediate_terms(c_model: list[np.ndarray], p_model: list[np.ndarray], dem: np.ndarray) -> list[np.ndarray]:
    """The terms whose remainders are the easy counterfactuals of one (conservative, parsimonious) pair.

    As R QCA's ``C_getEC``: for every conservative term and every parsimonious term containing it, the
    conservative term keeps its literals except those (outside the parsimonious term) that run against
    an individual expectation. A conjunctural expectation (a ``dem`` row with several codes) drops its
    literals from the conservative term when they do not all agree with it. A conservative term inside no
    parsimonious term yields no counterfactual. R applies the conjunctural rows each to the unmodified
    conservative term, so when conjunctural expectations are given the last one decides the term and
    individual expectations do not act on it; this is reproduced exactly.
    """
    single = [r for r in dem if np.count_nonzero(r) == 1]
    conj = [r for r in dem if np.count_nonzero(r) > 1]
    terms = []
    for comp in c_model:
        for pars in p_model:
            if not np.all((pars == 0) | (pars == comp)):
                continue
            free = (comp > 0) & (pars == 0)
            res = comp.copy()
            if single:
                for j in np.flatnonzero(free):
                    des = [int(r[j]) for r in single if r[j] > 0]
                    if des and int(comp[j]) not in des:
                        res[j] = 0
            for r in conj:
                res = comp.copy()
                hit = free & (r > 0)
                if not np.all(r[hit] == comp[hit]):
                    res[hit] = 0
            terms.append(res)
    return terms
