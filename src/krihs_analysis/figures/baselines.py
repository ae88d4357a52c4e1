"""Image baselines for the figure tests: fixed synthetic inputs, drawn in a fixed language at low dpi.

The inputs here are synthetic result frames of the documented shapes (not computed by the analysis modules), so
that the baselines change only when the drawing changes, never when the statistics do. Regenerate them after an
intended change of the figures (or of pinned matplotlib/fonts) with::

    python -m krihs_analysis.figures.baselines          # or: make baselines
    python -m krihs_analysis.figures.baselines --gallery  # the README gallery in docs/gallery/

and look at the PNGs in ``tests/baseline/`` before committing them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BASELINE_DPI = 72
#: figure -> language of its baseline (all three languages are covered).
BASELINE_LANG: dict[str, str] = {
    "country_profile": "ko",
    "level_distributions": "en",
    "core_task_gaps": "ja",
    "integration_sustainability": "en",
    "qca_xy": "ko",
    "truth_table_heatmap": "ja",
    "rmo_trend": "ja",
    "fiscal_context": "en",
    "qca_groups": "ko",
}


def baseline_dir() -> Path:
    from .. import paths

    return paths.ROOT / "tests" / "baseline"


# --------------------------------------------------------------------------------------------------------------
# Synthetic inputs


VARIABLES = ("community_sense", "resident_org", "leadership", "participation", "gov_role", "local_gov",
             "resident_planning", "intermediary", "integration", "sustainability")


def comparison() -> pd.DataFrame:
    med_kr = [2, 1, 1, 2, 1, 1, 1, 1, 1, 1]
    med_jp = [3, 3, 2, 2, 2, 2, 2, 2, 2, 2]
    delta = [-0.45, -0.82, -0.55, -0.10, -0.62, -0.48, -0.71, -0.66, -0.58, -0.52]
    p_holm = [0.09, 0.001, 0.02, 0.9, 0.004, 0.04, 0.002, 0.003, 0.01, 0.03]
    return pd.DataFrame({
        "variable": list(VARIABLES), "n_kr": 14, "n_jp": 12,
        "median_kr": np.array(med_kr, float), "median_jp": np.array(med_jp, float),
        "cliffs_delta": delta, "ci_low": [d - 0.3 for d in delta], "ci_high": [min(d + 0.3, 1) for d in delta],
        "p_value": p_holm, "p_holm": p_holm, "p_method": "permutation",
    })


def levels() -> pd.DataFrame:
    rows = []
    shares = {
        "KR": [[0.1, 0.4, 0.4, 0.1], [0.2, 0.5, 0.2, 0.1], [0.3, 0.4, 0.3, 0.0], [0.4, 0.4, 0.2, 0.0]],
        "JP": [[0.0, 0.1, 0.3, 0.6], [0.0, 0.2, 0.4, 0.4], [0.1, 0.2, 0.4, 0.3], [0.1, 0.2, 0.3, 0.4]],
    }
    for k, var in enumerate(("community_sense", "resident_org", "integration", "sustainability")):
        for g, n in (("KR", 14), ("JP", 12)):
            for code, s in enumerate(shares[g][k]):
                rows.append((var, g, code, round(s * n), s))
    for g, n, s in (("KR", 14, [0.3, 0.7]), ("JP", 12, [0.1, 0.9])):
        for code, sh in enumerate(s):
            rows.append(("continued", g, code, round(sh * n), sh))
    return pd.DataFrame(rows, columns=["variable", "group", "code", "n", "share"])


def task_profile() -> pd.DataFrame:
    rows = []
    tasks = ("task1_capacity", "task2_government", "task3_planning", "task4_intermediary")
    base = {"task1_capacity": 1.7, "task2_government": 1.0, "task3_planning": 0.9, "task4_intermediary": 1.3}
    for p in range(1, 8):
        for t in tasks:
            m = base[t] + 0.15 * ((p * 3 + len(t)) % 5 - 2)
            rows.append((f"KR-P{p}", t, 2, m, m, max(m - 0.6, 0), min(m + 0.6, 3)))
    for t, m in zip(tasks, (2.6, 2.2, 2.3, 2.1)):
        rows.append(("JP-RMO", t, 12, m, m, m - 0.3, m + 0.3))
    return pd.DataFrame(rows, columns=["group", "task", "n", "mean", "median", "ci_low", "ci_high"])


def cases() -> pd.DataFrame:
    ids = [f"KR-P{p}-{s}" for p in range(1, 8) for s in "AB"] + [f"JP-{i:02d}" for i in range(1, 13)]
    integ = [1, 2, 0, 1, 0, 2, 0, 0, 1, 1, 0, 0, 2, 1, 3, 3, 2, 1, 3, 2, 3, 2, 1, 0, 2, 1]
    sust = [1, 2, 0, 1, 0, 2, 1, 0, 1, 0, 1, 0, 2, 1, 3, 3, 2, 1, 3, 3, 2, 2, 1, 0, 2, 1]
    out = pd.DataFrame({"case_id": ids, "country": [i[:2] for i in ids], "integration": integ,
                        "sustainability": sust})
    out["data_status"] = "illustrative"
    return out


def association() -> pd.DataFrame:
    return pd.DataFrame({"method": ["kendall"], "statistic": [0.82], "p_value": [0.0001], "p_method": ["exact"],
                         "ci_low": [0.66], "ci_high": [0.92], "n": [26]})


def xy() -> pd.DataFrame:
    c = cases()
    fuzzy = {0: 0.0, 1: 0.33, 2: 0.67, 3: 1.0}
    x = [min(fuzzy[i], fuzzy[j]) for i, j in zip(c["integration"], (c["integration"] + 1).clip(upper=3))]
    return pd.DataFrame({"case_id": c["case_id"], "x": x, "y": c["sustainability"].map(fuzzy),
                         "country": c["country"]})


def xy_fit() -> dict[str, float]:
    return {"consistency": 0.91, "coverage": 0.84, "PRI": 0.88}


def truth_table() -> pd.DataFrame:
    conds = ["resident_org", "intermediary", "resident_planning", "integration"]
    configs = [(0, 0, 0, 0), (0, 0, 1, 0), (0, 1, 0, 1), (1, 0, 1, 1), (1, 1, 0, 1), (1, 1, 1, 1)]
    out = ["0", "0", "C", "1", "1", "1"]
    n = [6, 3, 2, 3, 2, 8]
    incl = [0.12, 0.33, 0.62, 0.88, 0.93, 0.97]
    rows = []
    for cfg, o, k, i in zip(configs, out, n, incl):
        row = 1 + int("".join(map(str, cfg)), 2)
        rows.append((row, *cfg, o, k, i, i - 0.05, f"case{row}"))
    return pd.DataFrame(rows, columns=["row", *conds, "OUT", "n", "incl", "PRI", "cases"])


def rmo() -> pd.DataFrame:
    from ..data import read_context

    return read_context("rmo_survey")


def draw(name: str, lang: str):
    """The baseline figure `name` in `lang` from the synthetic inputs; returns the Figure."""
    from . import catalogue as cat
    from .qca_by_group import baseline_input as qca_groups_input

    calls: dict[str, Any] = {
        "country_profile": lambda: cat.country_profile(comparison(), lang=lang, illustrative=True),
        "level_distributions": lambda: cat.level_distributions(levels(), lang=lang, illustrative=True),
        "core_task_gaps": lambda: cat.core_task_gaps(task_profile(), lang=lang, illustrative=True),
        "integration_sustainability": lambda: cat.integration_sustainability(cases(), association(), lang=lang),
        "qca_xy": lambda: cat.qca_xy(xy(), xy_fit(), lang=lang, solution="resident_org*integration + intermediary",
                                     illustrative=True),
        "truth_table_heatmap": lambda: cat.truth_table_heatmap(truth_table(), lang=lang, illustrative=True),
        "rmo_trend": lambda: cat.rmo_trend(rmo(), lang=lang),
        "fiscal_context": lambda: cat.fiscal_context(lang=lang),  # real MIC data, as shipped in data/raw/context
        "qca_groups": lambda: cat.qca_groups(*qca_groups_input(), lang=lang, illustrative=True),
    }
    result = calls[name]()
    return result if hasattr(result, "savefig") else result.figure


def baseline_bytes(name: str, lang: str | None = None, *, dpi: float = BASELINE_DPI) -> bytes:
    from .save import figure_bytes

    return figure_bytes(draw(name, lang or BASELINE_LANG[name]), "png", dpi=dpi)


def write_baselines(out_dir: str | Path | None = None) -> list[Path]:
    """Regenerate every baseline PNG (``<figure>_<lang>.png``) in ``tests/baseline``."""
    from .._io import write_atomic

    folder = Path(out_dir) if out_dir is not None else baseline_dir()
    written = []
    for name, lang in BASELINE_LANG.items():
        written.append(write_atomic(folder / f"{name}_{lang}.png", baseline_bytes(name, lang)))
    return written


#: The README gallery: (figure, language), drawn from the embedded sample through the analysis modules.
GALLERY: tuple[tuple[str, str], ...] = (
    ("country_profile", "ko"),
    ("integration_sustainability", "en"),
    ("level_distributions", "ja"),
    ("rmo_trend", "ja"),
)
GALLERY_DPI = 110


def write_gallery(out_dir: str | Path | None = None) -> list[Path]:
    """Write the README gallery PNGs (``docs/gallery/<figure>_<lang>.png``) at a moderate dpi."""
    from .. import paths
    from .catalogue import build_catalogue
    from .._io import write_atomic
    from .save import figure_bytes

    from ..data import read_cases
    from ..pipeline import analyse

    folder = Path(out_dir) if out_dir is not None else paths.ROOT / "docs" / "gallery"
    results = analyse(read_cases())
    written = []
    for name, lang in GALLERY:
        fig = build_catalogue(lang=lang, include=[name], results=results)[name]
        written.append(write_atomic(folder / f"{name}_{lang}.png", figure_bytes(fig, "png", dpi=GALLERY_DPI)))
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m krihs_analysis.figures.baselines [--gallery] [OUT_DIR]``."""
    import matplotlib

    argv = list(sys.argv[1:] if argv is None else argv)
    gallery = "--gallery" in argv
    rest = [a for a in argv if a != "--gallery"]
    paths_written = write_gallery(rest[0] if rest else None) if gallery else write_baselines(rest[0] if rest else None)
    for path in paths_written:
        print(path)
    print(f"matplotlib {matplotlib.__version__}; look at the images before committing them.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
