"""Qualitative comparative analysis (crisp, multi-value and fuzzy sets) in agreement with R's QCA package.

Workflow: :func:`calibrate` raw values (or build the data from case sheets with :func:`from_cases`),
check :func:`necessity`, build a :func:`truth_table`, :func:`minimize` it into the conservative,
parsimonious or intermediate solution, assess any expression with :func:`fit`, and probe
robustness with :func:`incl_cut_robustness` and :func:`braumoeller_test`.

Examples
--------
>>> import pandas as pd
>>> from krihs_analysis import qca
>>> df = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "Y": [1, 1, 0, 0, 1]})
>>> tt = qca.truth_table(df, "Y", ["A", "B"])
>>> qca.minimize(tt, kind="parsimonious").models
('A',)
"""

from .calibrate import calibrate
from .cases import DEFAULT_CONDITIONS, from_cases
from .expression import evaluate
from .fit import fit, necessity, xy_data
from .minimize import CoverCapWarning, Solution, minimize
from .robustness import braumoeller_test, incl_cut_robustness
from .truthtable import TruthTable, truth_table
from .cases_roles import case_roles
from .diagnostics import cluster_diagnostics, cluster_permutation_test, skewness, theory_evaluation
from .esa import enhanced_minimize, esa_exclusions
from .robust import calibration_ranges, robust_cases, robustness, threshold_ranges

__all__ = [
    "calibrate",
    "from_cases",
    "DEFAULT_CONDITIONS",
    "evaluate",
    "fit",
    "necessity",
    "xy_data",
    "truth_table",
    "TruthTable",
    "minimize",
    "Solution",
    "CoverCapWarning",
    "incl_cut_robustness",
    "braumoeller_test",
    "cluster_diagnostics",
    "cluster_permutation_test",
    "skewness",
    "threshold_ranges",
    "calibration_ranges",
    "robustness",
    "robust_cases",
    "case_roles",
    "esa_exclusions",
    "enhanced_minimize",
    "theory_evaluation",
]
