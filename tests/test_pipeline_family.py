"""The standard set's family of tests (issue 13 item 5): every test, Holm over the whole family."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from krihs_analysis.pipeline import FAMILY_COLUMNS, family_table


def _holm_by_hand(p):
    """Holm (1979) step-down, written out: sort, multiply by m - i + 1, running maximum, cap at 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, (len(p) - rank) * p[i])
        out[i] = min(1.0, running)
    return out


def test_family_holds_every_comparison_and_association_with_holm_over_the_whole_family():
    comp = pd.DataFrame({"variable": ["a", "b", "c"], "cliffs_delta": [-0.9, -0.4, 0.1], "ci_low": [-1, -0.7, -0.2],
                         "ci_high": [-0.7, -0.1, 0.4], "ci_method": "BCa", "p_value": [0.0002, 0.02, 0.6],
                         "p_se": 0.0, "p_method": "exact", "n_clusters_kr": 7})
    assoc = pd.DataFrame([{"x": "integration", "y": "sustainability", "method": "kendall", "strata": None,
                           "cluster": "cluster", "statistic": 0.79, "ci_low": 0.6, "ci_high": 0.9,
                           "ci_method": "BCa", "p_value": 0.5, "p_se": 0.0, "p_method": "exact"}])
    fam = family_table(comp, assoc)
    assert list(fam.columns) == FAMILY_COLUMNS
    assert fam["key"].tolist() == ["a", "b", "c", "integration~sustainability:kendall"]
    assert (fam["family"] == "standard set").all() and (fam["family_size"] == 4).all()
    np.testing.assert_allclose(fam["p_family"], _holm_by_hand([0.0002, 0.02, 0.6, 0.5]), atol=1e-15)
    # the family adjustment is stricter than one over the comparison table alone
    assert fam.loc[0, "p_family"] == pytest.approx(4 * 0.0002, abs=1e-15)
    assert fam.loc[0, "p_family"] > _holm_by_hand([0.0002, 0.02, 0.6])[0]


def test_a_stratified_association_is_keyed_as_the_brief_keys_it():
    assoc = pd.DataFrame([{"x": "integration", "y": "sustainability", "method": "kendall", "strata": "programme",
                           "cluster": None, "statistic": 0.7, "ci_low": np.nan, "ci_high": np.nan,
                           "ci_method": "none", "p_value": 0.001, "p_se": 0.0, "p_method": "exact"}])
    fam = family_table(pd.DataFrame(columns=["variable"]), assoc)
    assert fam.loc[0, "key"] == "integration~sustainability:kendall|programme"
    assert "within 'programme'" in fam.loc[0, "test"]


@pytest.mark.slow
def test_the_standard_set_uses_the_default_clusters_and_reports_its_family():
    from krihs_analysis.data import read_cases
    from krihs_analysis.pipeline import analyse

    res = analyse(read_cases(), n_boot=99)
    assert res.settings["cluster"] == "cluster"
    assert res.comparison["p_method"].str.startswith("exact (cluster permutation").all()
    assert res.association.loc[0, "cluster"] == "cluster"
    fam = res.tables()["family"]
    assert len(fam) == len(res.comparison) + len(res.association) == fam["family_size"].iloc[0]
    np.testing.assert_allclose(fam["p_family"], _holm_by_hand(fam["p_value"].tolist()), atol=1e-15)
