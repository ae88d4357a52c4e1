"""Tests of krihs_analysis.reliability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from krihs_analysis.reliability import agreement, krippendorff_alpha, weighted_kappa

NA = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers, 12 units, missing data.
K2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
])
# SAS PROC FREQ agreement example (reproduced in statsmodels' test_inter_rater.py, table10): kappa 0.4842,
# weighted kappa (Cicchetti-Allison = linear weights) 0.4701.
SAS_TABLE = np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]])


def _pairs(table):
    a, b = [], []
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            a += [i] * int(table[i, j])
            b += [j] * int(table[i, j])
    return np.array(a, float), np.array(b, float)


@pytest.mark.parametrize("metric, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_krippendorff_alpha_reproduces_krippendorff_2011(metric, expected):
    assert krippendorff_alpha(K2011, metric=metric) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize("weights, expected", [(None, 0.4842), ("linear", 0.4701)])
def test_weighted_kappa_reproduces_sas_printout(weights, expected):
    a, b = _pairs(SAS_TABLE)
    assert weighted_kappa(a, b, weights=weights) == pytest.approx(expected, abs=5e-5)


def test_quadratic_kappa_matches_hand_computation():
    """Quadratic weights w_ij = ((i-j)/(k-1))^2: kappa = 1 - sum w p_obs / sum w p_exp, by hand below."""
    a, b = _pairs(SAS_TABLE)
    p = SAS_TABLE / SAS_TABLE.sum()
    w = np.array([[(i - j) ** 2 / 4 for j in range(3)] for i in range(3)])
    expected = 1 - (w * p).sum() / (w * np.outer(p.sum(1), p.sum(0))).sum()
    assert weighted_kappa(a, b, weights="quadratic") == pytest.approx(expected, abs=1e-12)


def test_alpha_is_one_for_perfect_agreement():
    d = np.array([[0, 1, 2, 3, 2], [0, 1, 2, 3, 2]], float)
    assert krippendorff_alpha(d, metric="ordinal") == pytest.approx(1.0, abs=1e-12)


def test_alpha_is_undefined_when_only_one_value_is_used():
    assert np.isnan(krippendorff_alpha(np.full((2, 4), 2.0)))


@pytest.fixture
def sheets():
    ids = [f"KR-P{i}-A" for i in range(1, 7)]
    a = pd.DataFrame({"case_id": ids, "integration": pd.Categorical([0, 1, 2, 3, 2, 1], categories=[0, 1, 2, 3],
                                                                    ordered=True),
                      "sustainability": pd.Categorical([1, 1, 2, 3, 0, 2], categories=[0, 1, 2, 3], ordered=True)})
    b = a.copy()
    b["integration"] = pd.Categorical([0, 2, 2, 3, 2, 1], categories=[0, 1, 2, 3], ordered=True)
    return [a, b]


def test_agreement_lists_each_disagreement_with_both_codes(sheets):
    res = agreement(sheets, coders=["kim", "lee"])
    d = res.disagreements
    assert d[["case_id", "variable", "kim", "lee"]].values.tolist() == [["KR-P2-A", "integration", 1, 2]]


def test_agreement_reports_nominal_and_ordinal_alpha_per_variable_and_overall(sheets):
    res = agreement(sheets)
    assert set(res.krippendorff["metric"]) == {"nominal", "ordinal"}
    assert set(res.krippendorff["variable"]) == {"integration", "sustainability", "(all)"}
    table = res.krippendorff.set_index(["variable", "metric"])
    assert table.loc[("sustainability", "nominal"), "krippendorff_alpha"] == 1.0
    assert res.table is res.krippendorff


def test_agreement_gives_three_kappas_per_pair_and_variable(sheets):
    res = agreement(sheets)
    assert len(res.kappa) == 2 * 3
    assert set(res.kappa["weights"]) == {"none", "linear", "quadratic"}


def test_agreement_string_mentions_alpha_and_disagreements(sheets):
    text = str(agreement(sheets))
    assert "Krippendorff" in text and "Disagreements: 1" in text


def test_agreement_does_not_mutate_the_sheets(sheets):
    before = [s.copy(deep=True) for s in sheets]
    agreement(sheets)
    for s, b in zip(sheets, before):
        pd.testing.assert_frame_equal(s, b)


def test_agreement_needs_two_sheets(sheets):
    with pytest.raises(ValueError, match="at least two"):
        agreement(sheets[:1])


def test_agreement_rejects_a_variable_not_in_the_codebook(sheets):
    with pytest.raises(ValueError, match="not a variable of the codebook"):
        agreement(sheets, variables=["bogus"])


def test_old_alpha_attribute_still_works_with_a_future_warning():
    from krihs_analysis.reliability import agreement

    a = pd.DataFrame({"case_id": ["x", "y", "z", "w"], "integration": [0, 1, 3, 2]})
    b = pd.DataFrame({"case_id": ["x", "y", "z", "w"], "integration": [0, 1, 2, 2]})
    res = agreement([a, b])
    with pytest.warns(FutureWarning, match="renamed Agreement.krippendorff"):
        old = res.alpha
    assert old["alpha"].tolist() == res.krippendorff["krippendorff_alpha"].tolist()


_SHEET = pd.DataFrame({"case_id": ["a", "b", "c"], "integration": [1, 2, 3]})


@pytest.mark.parametrize("call, match", [
    (lambda: agreement(None), "sheets must be a list of two or more case sheets"),
    (lambda: agreement(_SHEET), "sheets must be a list of two or more case sheets"),
    (lambda: weighted_kappa([0, 1], [0, 1, 2]), "a and b must code the same units"),
    (lambda: weighted_kappa(["x"], [1]), "a must be a sequence of numeric codes"),
    (lambda: weighted_kappa([[0, 1]], [[0, 1]]), "a must be one code per unit"),
])
def test_reliability_mistakes_are_value_errors_that_name_the_argument(call, match):
    # These raised TypeError or numpy's "operands could not be broadcast" from inside.
    with pytest.raises(ValueError, match=match):
        call()


def test_one_variable_named_as_a_string_is_one_variable_not_its_letters():
    res = agreement([_SHEET, _SHEET], variables="integration")
    assert res.krippendorff["variable"].unique().tolist() == ["integration", "(all)"]
