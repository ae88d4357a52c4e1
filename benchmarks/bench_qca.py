"""Benchmark of krihs_analysis.qca: truth table + minimisation on random data (run on demand).

    .venv/bin/python benchmarks/bench_qca.py [--repeat N] [--no-setqca]

Scenarios follow the QCA peer benchmark: 300 random cases; noise-free crisp data with 10 and 12
conditions (Y = A*B + C*~D); fuzzy data with 10 conditions (memberships ~ Beta(0.7, 0.7),
Y = max(min(A, B), min(C, 1 - D)) + N(0, 0.1) noise, clipped, incl_cut 0.8); sparse noisy crisp
data with 8 conditions (conservative). Peer timings (R QCA, same scenarios): 15.4 s (crisp 10),
53.3 s (crisp 12), 87.8 s (fuzzy 10). setqca is timed alongside where it is installed and the
scenario is small enough (fuzzy, 7 conditions).
"""

from __future__ import annotations

import argparse
import string
import sys
import time
import warnings

import numpy as np
import pandas as pd

from krihs_analysis import qca

N_CASES = 300
PEERS = {"crisp 10": 15.4, "crisp 12": 53.3, "fuzzy 10": 87.8}


def crisp_data(k: int, *, n: int = N_CASES, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = list(string.ascii_uppercase[:k])
    X = rng.integers(0, 2, size=(n, k))
    df = pd.DataFrame(X, columns=names)
    df["Y"] = ((df.A & df.B) | (df.C & (1 - df.D))).astype(int)
    return df


def fuzzy_data(k: int, *, n: int = N_CASES, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = list(string.ascii_uppercase[:k])
    # Memberships of exactly 0.5 belong to no truth-table row (R drops such cases); nudge them off.
    X = rng.beta(0.7, 0.7, size=(n, k)).round(3)
    X[X == 0.5] = 0.501
    df = pd.DataFrame(X, columns=names)
    y = np.maximum(np.minimum(df.A, df.B), np.minimum(df.C, 1 - df.D)) + rng.normal(0, 0.1, n)
    df["Y"] = np.clip(y, 0, 1).round(3)
    return df


def sparse_noisy_crisp(k: int = 8, *, n: int = 40, flip: float = 0.1, seed: int = 3) -> pd.DataFrame:
    df = crisp_data(k, n=n, seed=seed)
    rng = np.random.default_rng(seed + 100)
    flips = rng.random(n) < flip
    df.loc[flips, "Y"] = 1 - df.loc[flips, "Y"]
    return df


def run(df: pd.DataFrame, kind: str, incl_cut: float) -> tuple[float, str, int]:
    conds = [c for c in df.columns if c != "Y"]
    t0 = time.perf_counter()
    tt = qca.truth_table(df, "Y", conds, incl_cut=incl_cut)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qca.CoverCapWarning)
        sol = qca.minimize(tt, kind=kind)
    return time.perf_counter() - t0, sol.models[0], len(sol.models)


def run_setqca(df: pd.DataFrame, incl_cut: float) -> float | None:
    try:
        import setqca
    except Exception:  # noqa: BLE001 - optional peer
        return None
    conds = [c for c in df.columns if c != "Y"]
    t0 = time.perf_counter()
    try:
        setqca.FSQCA(consistency=incl_cut).fit(df, outcome="Y", conditions=conds)
    except Exception as exc:  # noqa: BLE001 - peer may not support this pandas
        print(f"  setqca failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-setqca", action="store_true")
    args = ap.parse_args()
    scenarios = [
        ("crisp 10", crisp_data(10), 1.0),
        ("crisp 12", crisp_data(12), 1.0),
        ("fuzzy 10", fuzzy_data(10), 0.8),
        ("sparse noisy crisp 8", sparse_noisy_crisp(8), 1.0),
    ]
    rows = []
    for name, df, cut in scenarios:
        kinds = ["conservative"] if name.startswith("sparse") else ["parsimonious", "conservative"]
        total = 0.0
        for kind in kinds:
            times = []
            for _ in range(args.repeat):
                t, model, nmod = run(df, kind, cut)
                times.append(t)
            best = min(times)
            total += best
            rows.append((name, kind, best, nmod, model if len(model) < 60 else model[:57] + "..."))
        peer = PEERS.get(name)
        if peer:
            rows.append((name, "both (vs R QCA)", total, None, f"R QCA {peer:.1f} s -> {peer / total:,.0f}x faster"))
    if not args.no_setqca:
        df7 = fuzzy_data(7)
        t_set = run_setqca(df7, 0.8)
        t_own = sum(min(run(df7, k, 0.8)[0] for _ in range(args.repeat)) for k in ("parsimonious", "conservative"))
        note = "setqca unavailable" if t_set is None else f"setqca {t_set:.3f} s -> {t_set / t_own:,.1f}x"
        rows.append(("fuzzy 7", "both (vs setqca)", t_own, None, note))
    out = pd.DataFrame(rows, columns=["scenario", "kind", "seconds", "models", "first model / comparison"])
    out["models"] = out["models"].astype("Int64")
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        print(out.to_string(index=False, formatters={"seconds": "{:.3f}".format}))


if __name__ == "__main__":
    main()
