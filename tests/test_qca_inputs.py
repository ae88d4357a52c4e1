"""User mistakes at the public QCA functions: each raises a ValueError naming the argument and the value.

A list where a DataFrame belongs, a column the data lacks, a bad seed or a cut that is not a number must never
surface as an AttributeError, a TypeError or a numpy message from deep inside (the package's rule, see
``krihs_analysis._validate``), nor be swallowed into another answer (``threshold_ranges`` reporting "no solution").
"""

from __future__ import annotations

import importlib
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from krihs_analysis import qca

DATA = pd.DataFrame(
    {"A": [1, 1, 0, 0, 1, 0, 1, 0], "B": [1, 0, 1, 0, 1, 1, 0, 0], "Y": [1, 1, 0, 0, 1, 0, 1, 0]},
    index=[f"KR-{i}" for i in range(4)] + [f"JP-{i}" for i in range(4)],
)
GROUPS = ["KR"] * 4 + ["JP"] * 4
ROWS = DATA.to_numpy().tolist()  # the same data as a list of rows: the commonest slip
RAW = [10, 20, 30, 40, 50, 60, 70, 80]
_CODES = pd.Categorical([0, 2, 3, 1], categories=[0, 1, 2, 3], ordered=True)
CASES = pd.DataFrame({"case_id": ["KR-A", "KR-B", "JP-C", "JP-D"], "x": _CODES, "y": _CODES})


def _tt():
    return qca.truth_table(DATA, "Y", ["A", "B"])


# Every public function with a list where its data (or truth table) belongs, and the argument the message must name.
NOT_A_FRAME = {
    "calibrate": (lambda: qca.calibrate("abc", thresholds=(20, 50, 80)), "x"),
    "from_cases": (lambda: qca.from_cases(ROWS), "cases"),
    "evaluate": (lambda: qca.evaluate(ROWS, "A"), "data"),
    "fit": (lambda: qca.fit(ROWS, "A", outcome="Y"), "data"),
    "necessity": (lambda: qca.necessity(ROWS, "Y"), "data"),
    "xy_data": (lambda: qca.xy_data(ROWS, "A", outcome="Y"), "data"),
    "truth_table": (lambda: qca.truth_table(ROWS, "Y"), "data"),
    "minimize": (lambda: qca.minimize(ROWS), "tt"),
    "incl_cut_robustness": (lambda: qca.incl_cut_robustness(ROWS, "Y"), "data"),
    "braumoeller_test": (lambda: qca.braumoeller_test(ROWS, freq_y=0.5), "configs"),
    "cluster_diagnostics": (lambda: qca.cluster_diagnostics(ROWS, "Y", "A", groups=GROUPS), "data"),
    "cluster_permutation_test": (lambda: qca.cluster_permutation_test(ROWS, "Y", "A", groups=GROUPS), "data"),
    "skewness": (lambda: qca.skewness(ROWS), "data"),
    "threshold_ranges": (lambda: qca.threshold_ranges(ROWS, "Y", ["A", "B"]), "data"),
    "calibration_ranges": (lambda: qca.calibration_ranges(ROWS, "Y", ["A", "B"], condition="A", raw=RAW,
                                                          thresholds=35, method="crisp"), "data"),
    "robustness": (lambda: qca.robustness(ROWS, "Y", "A", ["A*B"]), "data"),
    "robust_cases": (lambda: qca.robust_cases(ROWS, "Y", "A", ["A*B"]), "data"),
    "case_roles": (lambda: qca.case_roles(ROWS, "Y", "A"), "data"),
    "esa_exclusions": (lambda: qca.esa_exclusions(ROWS), "tt"),
    "enhanced_minimize": (lambda: qca.enhanced_minimize(ROWS), "tt"),
    "theory_evaluation": (lambda: qca.theory_evaluation(ROWS, "Y", "A", "A*B"), "data"),
}

# A column the data lacks, named through each argument that names columns.
MISSING_COLUMN = {
    "from_cases outcome": lambda: qca.from_cases(CASES, outcome="nope", conditions=["x"]),
    "from_cases conditions": lambda: qca.from_cases(CASES, outcome="y", conditions=["nope"]),
    "evaluate": lambda: qca.evaluate(DATA, "A*nope"),
    "fit expression": lambda: qca.fit(DATA, "nope", outcome="Y"),
    "fit outcome": lambda: qca.fit(DATA, "A", outcome="nope"),
    "necessity": lambda: qca.necessity(DATA, "Y", ["nope"]),
    "xy_data": lambda: qca.xy_data(DATA, "A", outcome="nope"),
    "truth_table outcome": lambda: qca.truth_table(DATA, "nope", ["A"]),
    "truth_table conditions": lambda: qca.truth_table(DATA, "Y", ["A", "nope"]),
    "incl_cut_robustness": lambda: qca.incl_cut_robustness(DATA, "nope", ["A"]),
    "cluster_diagnostics expression": lambda: qca.cluster_diagnostics(DATA, "Y", "nope", groups=GROUPS),
    "cluster_diagnostics groups": lambda: qca.cluster_diagnostics(DATA, "Y", "A", groups="nope"),
    "cluster_permutation_test": lambda: qca.cluster_permutation_test(DATA, "nope", "A", groups=GROUPS),
    "skewness": lambda: qca.skewness(DATA, ["A", "nope"]),
    "threshold_ranges outcome": lambda: qca.threshold_ranges(DATA, "nope", ["A", "B"]),
    "threshold_ranges conditions": lambda: qca.threshold_ranges(DATA, "Y", ["nope"]),
    "calibration_ranges condition": lambda: qca.calibration_ranges(DATA, "Y", ["A", "B"], condition="nope", raw=RAW,
                                                                   thresholds=35, method="crisp"),
    "calibration_ranges outcome": lambda: qca.calibration_ranges(DATA, "nope", ["A", "B"], condition="A", raw=RAW,
                                                                 thresholds=35, method="crisp"),
    "robustness": lambda: qca.robustness(DATA, "Y", "A", ["nope"]),
    "robust_cases": lambda: qca.robust_cases(DATA, "nope", "A", ["A*B"]),
    "case_roles": lambda: qca.case_roles(DATA, "Y", "nope"),
    "theory_evaluation": lambda: qca.theory_evaluation(DATA, "Y", "nope", "A"),
}

# An option that must be a number (or a whole number) given something else: (call, argument, value).
NOT_A_NUMBER = {
    "truth_table incl_cut": (lambda v: qca.truth_table(DATA, "Y", incl_cut=v), "incl_cut", "x"),
    "truth_table incl_cut above 1": (lambda v: qca.truth_table(DATA, "Y", incl_cut=v), "incl_cut", 5),
    "truth_table pri_cut": (lambda v: qca.truth_table(DATA, "Y", pri_cut=v), "pri_cut", "x"),
    "truth_table n_cut": (lambda v: qca.truth_table(DATA, "Y", n_cut=v), "n_cut", "x"),
    "from_cases thresholds": (lambda v: qca.from_cases(CASES, outcome="y", conditions=["x"], thresholds=v),
                              "thresholds", "x"),
    "from_cases thresholds by column": (lambda v: qca.from_cases(CASES, outcome="y", conditions=["x"],
                                                                 thresholds={"x": v}), "thresholds['x']", "x"),
    "calibrate thresholds": (lambda v: qca.calibrate([1, 2], thresholds=v), "thresholds", "x"),
    "calibrate idm": (lambda v: qca.calibrate([1, 2], thresholds=(0, 1, 2), idm=v), "idm", "x"),
    "incl_cut_robustness incl_cuts": (lambda v: qca.incl_cut_robustness(DATA, "Y", incl_cuts=v), "incl_cuts", 5),
    "incl_cut_robustness incl_cuts text": (lambda v: qca.incl_cut_robustness(DATA, "Y", incl_cuts=[0.8, v]),
                                           "incl_cuts", "x"),
    "incl_cut_robustness pri_cut": (lambda v: qca.incl_cut_robustness(DATA, "Y", pri_cut=v), "pri_cut", "x"),
    "incl_cut_robustness n_cut": (lambda v: qca.incl_cut_robustness(DATA, "Y", n_cut=v), "n_cut", "x"),
    "threshold_ranges incl_cut": (lambda v: qca.threshold_ranges(DATA, "Y", incl_cut=v), "incl_cut", "x"),
    "threshold_ranges incl_cut above 1": (lambda v: qca.threshold_ranges(DATA, "Y", incl_cut=v), "incl_cut", 5),
    "threshold_ranges incl_step": (lambda v: qca.threshold_ranges(DATA, "Y", incl_step=v), "incl_step", "x"),
    "threshold_ranges n_step": (lambda v: qca.threshold_ranges(DATA, "Y", n_step=v), "n_step", 0.5),
    "threshold_ranges max_runs": (lambda v: qca.threshold_ranges(DATA, "Y", max_runs=v), "max_runs", "x"),
    "threshold_ranges pri_cut": (lambda v: qca.threshold_ranges(DATA, "Y", pri_cut=v), "pri_cut", "x"),
    "calibration_ranges thresholds": (lambda v: qca.calibration_ranges(DATA, "Y", ["A", "B"], condition="A", raw=RAW,
                                                                       thresholds=v, method="crisp"),
                                      "thresholds", "x"),
    "calibration_ranges step": (lambda v: qca.calibration_ranges(DATA, "Y", ["A", "B"], condition="A", raw=RAW,
                                                                 thresholds=35, method="crisp", step=v), "step", "x"),
    "calibration_ranges incl_cut": (lambda v: qca.calibration_ranges(DATA, "Y", ["A", "B"], condition="A", raw=RAW,
                                                                     thresholds=35, method="crisp", incl_cut=v),
                                    "incl_cut", "x"),
    "calibration_ranges raw": (lambda v: qca.calibration_ranges(DATA, "Y", ["A", "B"], condition="A", raw=v,
                                                                thresholds=35, method="crisp"), "raw", "abc"),
    "braumoeller_test freq_y": (lambda v: qca.braumoeller_test({"aB": 5}, freq_y=v), "freq_y", "x"),
    "braumoeller_test total_configs": (lambda v: qca.braumoeller_test({"aB": 5}, freq_y=0.5, total_configs=v),
                                       "total_configs", "x"),
    "braumoeller_test counts": (lambda v: qca.braumoeller_test({"aB": v}, freq_y=0.5), "configs['aB']", "x"),
    "necessity max_order": (lambda v: qca.necessity(DATA, "Y", max_order=v), "max_order", "x"),
    "minimize max_covers": (lambda v: qca.minimize(_tt(), max_covers=v), "max_covers", "x"),
    "enhanced_minimize max_covers": (lambda v: qca.enhanced_minimize(_tt(), max_covers=v), "max_covers", "x"),
    "cluster_permutation_test n_permutations": (
        lambda v: qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=v), "n_permutations", 1.5),
    "cluster_permutation_test n_permutations text": (
        lambda v: qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=v), "n_permutations", "x"),
}


def _public_functions() -> set[str]:
    return {n for n in qca.__all__ if callable(getattr(qca, n)) and not isinstance(getattr(qca, n), type)}


def test_every_public_qca_function_is_checked_with_a_list_instead_of_its_data():
    assert set(NOT_A_FRAME) == _public_functions()


@pytest.mark.parametrize("name", sorted(NOT_A_FRAME))
def test_a_list_instead_of_a_dataframe_raises_valueerror_naming_the_argument(name):
    call, argument = NOT_A_FRAME[name]
    with pytest.raises(ValueError, match=rf"^{argument} (must|holds)"):
        call()


@pytest.mark.parametrize("name", sorted(MISSING_COLUMN))
def test_a_missing_column_raises_valueerror_naming_the_data_and_the_column(name):
    with pytest.raises(ValueError, match=r"^(data|cases) lacks the column\(s\) 'nope'; it has"):
        MISSING_COLUMN[name]()


@pytest.mark.parametrize("seed", ["x", -1, 1.5, True])
def test_a_bad_seed_raises_valueerror_naming_the_seed(seed):
    with pytest.raises(ValueError, match=r"^seed must be a non-negative whole number.*seed=0"):
        qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=99, seed=seed)


@pytest.mark.parametrize("name", sorted(NOT_A_NUMBER))
def test_an_option_that_is_not_a_number_raises_valueerror_naming_it_and_its_value(name):
    call, argument, value = NOT_A_NUMBER[name]
    with pytest.raises(ValueError, match=rf"^{re.escape(argument)} must .*{re.escape(repr(value))}"):
        call(value)


# --------------------------------------------------------------------------- threshold_ranges and calibration_ranges


RANGE_MISTAKES = {
    "missing outcome": (lambda: qca.threshold_ranges(DATA, "nope", ["A", "B"]), "lacks the column"),
    "missing condition": (lambda: qca.threshold_ranges(DATA, "Y", ["nope"]), "lacks the column"),
    "incl_cut above 1": (lambda: qca.threshold_ranges(DATA, "Y", ["A", "B"], incl_cut=5), "incl_cut must"),
    "a list": (lambda: qca.threshold_ranges(ROWS, "Y", ["A", "B"]), "data must"),
    "dir_exp on no condition": (lambda: qca.threshold_ranges(DATA, "Y", ["A", "B"], kind="intermediate",
                                                             dir_exp={"Q": 1}), "dir_exp"),
    "calibration outcome": (lambda: qca.calibration_ranges(DATA, "nope", ["A", "B"], condition="A", raw=RAW,
                                                           thresholds=35, method="crisp"), "lacks the column"),
    "calibration anchors": (lambda: qca.calibration_ranges(DATA, "Y", ["A", "B"], condition="A", raw=RAW,
                                                           thresholds=(50, 20, 80)), "monotone"),
}


@pytest.mark.parametrize("name", sorted(RANGE_MISTAKES))
def test_range_searches_report_the_bad_input_instead_of_no_solution(name):
    call, message = RANGE_MISTAKES[name]
    with pytest.raises(ValueError, match=message) as info:
        call()
    assert "no solution" not in str(info.value)


def test_threshold_ranges_still_reports_no_solution_when_no_row_passes_the_cut():
    with pytest.raises(ValueError, match="no solution at the given settings"):
        qca.threshold_ranges(DATA.assign(Y=0), "Y", ["A", "B"])


def test_calibration_ranges_accepts_raw_values_still_in_the_condition_column():
    # data[condition] is replaced by the recalibrated raw values, so what it holds beforehand is not checked.
    data = pd.DataFrame({"A": [10, 20, 30, 40, 50, 60], "B": [0, 1, 0, 1, 1, 1], "Y": [0, 0, 0, 1, 1, 1]})
    out = qca.calibration_ranges(data, "Y", ["A", "B"], condition="A", raw=data["A"], thresholds=35,
                                 method="crisp", step=5)
    assert out.values.tolist() == [["crossover", 35.0, 25.0, 55.0]]


# --------------------------------------------------------------------------- incl_cut_robustness and cover caps


def _tied_data() -> pd.DataFrame:
    """Crisp data with several minimal conservative models, so max_covers=1 cuts the list."""
    pos = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    neg = [(0, 1, 1), (1, 0, 0)]
    rows = [(*c, 1) for c in pos] + [(*c, 0) for c in neg]
    return pd.DataFrame(rows, columns=["A", "B", "C", "Y"])


def test_incl_cut_robustness_marks_rows_whose_cover_list_was_cut():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the cap is reported in the table, not as a warning
        out = qca.incl_cut_robustness(_tied_data(), "Y", ["A", "B", "C"], incl_cuts=[1.0], kind="conservative",
                                      max_covers=1)
    assert out["truncated"].dtype == bool
    assert out["truncated"].tolist() == [True]


def test_incl_cut_robustness_marks_complete_cover_lists_as_not_truncated():
    out = qca.incl_cut_robustness(DATA, "Y", ["A", "B"], incl_cuts=[0.5, 1.0])
    assert out["truncated"].tolist() == [False, False]


def test_incl_cut_robustness_lets_warnings_other_than_the_cover_cap_through(monkeypatch):
    # qca.robustness is a function; the module behind incl_cut_robustness is reached by its full name.
    module = importlib.import_module("krihs_analysis.qca.robustness")
    real = module.minimize

    def noisy(*args, **kwargs):
        warnings.warn("something else went wrong", RuntimeWarning)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "minimize", noisy)
    with pytest.warns(RuntimeWarning, match="something else"):
        qca.incl_cut_robustness(DATA, "Y", ["A", "B"], incl_cuts=[1.0])


# --------------------------------------------------------------------------- cluster_permutation_test


def test_cluster_permutation_test_takes_n_permutations():
    out = qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=99)
    assert out.loc[0, "n_permutations"] == 99 and not out.loc[0, "exact"]


def test_cluster_permutation_test_old_permutations_keyword_warns_and_gives_the_same_table():
    new = qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=99, seed=3)
    with pytest.warns(FutureWarning, match=r"permutations= is renamed n_permutations="):
        old = qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, permutations=99, seed=3)
    pd.testing.assert_frame_equal(new, old)


def test_cluster_permutation_test_draws_with_seed_0_when_none_is_given():
    a = qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=99)
    b = qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, n_permutations=99, seed=0)
    pd.testing.assert_frame_equal(a, b)


def test_cluster_permutation_test_refuses_an_unknown_keyword():
    with pytest.raises(ValueError, match="unknown keyword 'perms'"):
        qca.cluster_permutation_test(DATA, "Y", "A", groups=GROUPS, perms=99)


# --------------------------------------------------------------------------- evaluate


def test_evaluate_takes_the_data_first():
    out = qca.evaluate(DATA, "A*~B")
    assert out.tolist() == [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert out.index.equals(DATA.index)


def test_evaluate_in_the_old_argument_order_warns_and_gives_the_same_memberships():
    new = qca.evaluate(DATA, "A + ~B")
    with pytest.warns(FutureWarning, match=r"qca.evaluate\(data, terms\)"):
        old = qca.evaluate("A + ~B", DATA)
    pd.testing.assert_series_equal(new, old)


def test_evaluate_refuses_terms_that_are_not_an_expression():
    with pytest.raises(ValueError, match=r"^terms must be .*got 5"):
        qca.evaluate(DATA, 5)


def test_esa_exclusions_names_an_untenable_assumption_on_no_condition():
    with pytest.raises(ValueError, match=r"^untenable entry 'Q\*A' names \['Q'\], which are not conditions"):
        qca.esa_exclusions(_tt(), untenable=["Q*A"])


def test_calibrate_names_x_when_a_raw_value_is_not_a_number():
    with pytest.raises(ValueError, match=r"^x holds a value that is not a number.*'a'"):
        qca.calibrate([1, "a", 3], thresholds=2, method="crisp")


def test_truth_table_accepts_numpy_numbers_as_cuts():
    out = qca.truth_table(DATA, "Y", incl_cut=np.float64(0.8), n_cut=np.int64(1), pri_cut=np.float32(0))
    assert out.incl_cut == (0.8, 0.8) and out.n_cut == 1


def test_thresholds_with_fuzzy_sets_are_a_mistake_not_a_silent_no_op():
    # Notebook 04 declared threshold = 2 and passed it with kind="fuzzy", where it changed nothing.
    from krihs_analysis.data import read_cases

    cases = read_cases()
    with pytest.raises(ValueError, match="applies to crisp sets only"):
        qca.from_cases(cases, kind="fuzzy", thresholds=3)
    assert qca.from_cases(cases, kind="crisp").equals(qca.from_cases(cases, kind="crisp", thresholds=2))
    assert not qca.from_cases(cases, kind="crisp", thresholds=3).equals(qca.from_cases(cases, kind="crisp"))


@pytest.mark.parametrize("value, fragment", [
    (pd.NA, r"'integration' is missing for case\(s\) \['KR-P1-A'"),
    ("high", r"'integration' must hold numbers \(codes such as 0-3\), but holds 'high' for case\(s\) \['KR-P1-A'"),
    (7, r"'integration' must hold the ordinal codes 0-3, but holds \[7\.0\] for case\(s\) \['KR-P1-A'"),
], ids=["NA", "text", "out-of-range"])
def test_a_code_that_is_not_0_to_3_names_the_column_value_and_cases(value, fragment):
    # pd.NA and text in a column of objects failed inside pandas (TypeError from float(), or "could not convert
    # string to float" naming no column)
    from krihs_analysis.data import read_cases
    from krihs_analysis.qca import from_cases

    cases = read_cases()
    bad = cases.assign(integration=cases["integration"].astype(object))
    bad.loc[bad.index[0], "integration"] = value
    with pytest.raises(ValueError, match=fragment):
        from_cases(bad)
