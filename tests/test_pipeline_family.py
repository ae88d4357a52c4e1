"""The standard set's family of tests (issue 13 item 5): every test, Holm over the whole family."""

from __future__ import annotations

import json

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


@pytest.fixture(scope="module")
def standard():
    """The standard set on the sample, computed once for the tests that only read it."""
    from krihs_analysis.data import read_cases
    from krihs_analysis.pipeline import analyse

    return analyse(read_cases(), n_boot=99)


@pytest.mark.slow
def test_the_standard_set_uses_the_default_clusters_and_reports_its_family(standard):
    res = standard
    assert res.settings["cluster"] == "cluster"
    assert res.comparison["p_method"].str.startswith("exact (cluster permutation").all()
    assert res.association.loc[0, "cluster"] == "cluster"
    fam = res.tables()["family"]
    assert len(fam) == len(res.comparison) + len(res.association) == fam["family_size"].iloc[0]
    np.testing.assert_allclose(fam["p_family"], _holm_by_hand(fam["p_value"].tolist()), atol=1e-15)


@pytest.fixture(scope="module")
def sample():
    from krihs_analysis.data import read_cases

    return read_cases()


def test_a_robustness_check_that_cannot_run_is_recorded_and_named_in_the_appendix(sample):
    from krihs_analysis.brief.document import run_notes
    from krihs_analysis.pipeline import DIAGNOSTICS_COLUMNS, analyse

    # At consistency 0.97 the upper robustness cut (1.02) does not exist: the check is skipped, not hidden.
    res = analyse(sample, n_boot=99, n_permutations=99, incl_cut=0.97)
    diag = res.tables()["diagnostics"]
    assert list(diag.columns) == DIAGNOSTICS_COLUMNS
    assert diag[["step", "kind"]].values.tolist() == [["robustness", "skipped"]]
    assert "consistency cut 1.02" in diag["detail"].iloc[0]
    assert run_notes(res.tables(), lang="en") == ["QCA robustness check: skipped."]
    assert run_notes(res.tables(), lang="ko") == ["QCA 강건성 점검: 생략하였다."]


def test_a_truncated_list_of_covers_is_recorded_and_named_in_the_appendix(sample, monkeypatch):
    import dataclasses
    import warnings

    from krihs_analysis import qca
    from krihs_analysis.brief.document import run_notes
    from krihs_analysis.pipeline import analyse

    real = qca.minimize

    def capped(*args, **kwargs):  # as minimize reports a cover list cut at its cap
        sol = real(*args, **kwargs)
        warnings.warn("only the first 1 minimal covers were listed", qca.CoverCapWarning, stacklevel=2)
        return dataclasses.replace(sol, truncated=True)

    monkeypatch.setattr(qca, "minimize", capped)
    res = analyse(sample, n_boot=99, n_permutations=99)
    diag = res.tables()["diagnostics"]
    assert diag[["step", "kind", "n"]].values.tolist() == [["qca", "truncated", len(res.solution.models)]]
    assert "only the first 1 minimal covers" in diag["detail"].iloc[0]
    n = len(res.solution.models)
    assert run_notes(res.tables(), lang="en")[0] == (
        f"QCA minimisation: only the first {n} minimal covers were listed (the cap was reached); other equally "
        "minimal solutions may exist.")


def test_a_warning_minimize_was_not_expected_to_give_reaches_the_caller(sample, monkeypatch):
    # only the cap on covers is expected (and recorded); anything else was swallowed into qca_warnings
    import warnings

    from krihs_analysis import qca
    from krihs_analysis.pipeline import analyse

    real = qca.minimize

    def noisy(*args, **kwargs):
        warnings.warn("something minimize did not expect", RuntimeWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(qca, "minimize", noisy)
    with pytest.warns(RuntimeWarning, match="something minimize did not expect") as record:
        res = analyse(sample, n_boot=99, n_permutations=99)
    calls = sum("did not expect" in str(w.message) for w in record)
    assert calls >= 3  # the standard set's minimisation and the two cuts of the robustness check
    assert res.qca_warnings.empty
    assert "did not expect" not in " ".join(res.tables()["diagnostics"]["detail"].astype(str))


def test_results_read_back_from_a_run_say_they_were_reused(standard, tmp_path):
    from krihs_analysis.brief.document import load_results, run_notes, save_results

    res = standard
    assert run_notes(res.tables(), lang="en") == []
    save_results(res.tables(), tmp_path)
    loaded = load_results(tmp_path)
    assert loaded["diagnostics"][["step", "kind"]].values.tolist() == [["run", "reused"]]
    assert run_notes(loaded, lang="en") == ["Analysis run: reused from an earlier computation of the same inputs."]
    # saved again and read back (a rebuild of a rebuild): still said once
    save_results(loaded, tmp_path / "again")
    assert run_notes(load_results(tmp_path / "again"), lang="en") == run_notes(loaded, lang="en")
    assert res.table is res.family  # the result object's one table, as on every other result object
    # the run's choices travel with its tables: a brief rebuilt from them describes the QCA that was run
    from krihs_analysis.pipeline import qca_settings

    assert qca_settings(loaded) == {"qca_kind": "fuzzy", "incl_cut": 0.8, "pri_cut": 0.5, "recorded": True}
    saved = dict(loaded["settings"][["setting", "value"]].values.tolist())
    assert json.loads(saved["qca_conditions"]) == list(res.settings["qca_conditions"])


def test_a_runs_own_qca_settings_come_back_from_its_saved_tables(sample, tmp_path):
    # the round trip above runs the standard cuts, which the defaults match whatever is read: a run with others
    from krihs_analysis.brief.document import load_results, run_notes, save_results
    from krihs_analysis.pipeline import analyse, qca_settings, settings_table

    res = analyse(sample, n_boot=99, n_permutations=99, incl_cut=0.75, pri_cut=0.6)
    assert qca_settings(res) == {"qca_kind": "fuzzy", "incl_cut": 0.75, "pri_cut": 0.6, "recorded": True}
    save_results(res.tables(), tmp_path)
    loaded = load_results(tmp_path)
    assert qca_settings(loaded) == {"qca_kind": "fuzzy", "incl_cut": 0.75, "pri_cut": 0.6, "recorded": True}
    assert not any("QCA settings" in n for n in run_notes(loaded, lang="en"))
    # results saved before runs recorded their settings: the brief says which cuts it assumes
    old = {k: v for k, v in loaded.items() if k != "settings"}
    assert qca_settings(old)["recorded"] is False
    assert run_notes(old, lang="en")[-1] == (
        "QCA settings: not all recorded with these results (saved before runs recorded them); the standard ones are "
        "assumed where missing: fuzzy-set QCA, consistency ≥ 0.8, PRI ≥ 0.5.")
    # one of the three saved is not the three: the others are assumed, and said to be
    part = {**old, "settings": settings_table({"incl_cut": 0.75})}
    assert qca_settings(part) == {"qca_kind": "fuzzy", "incl_cut": 0.75, "pri_cut": 0.5, "recorded": False}
    assert run_notes(part, lang="en")[-1].endswith("consistency ≥ 0.75, PRI ≥ 0.5.")


@pytest.mark.parametrize("call, message", [
    (lambda f: f.qca_settings(None), "results must be a mapping of table names to pandas DataFrames, got None"),
    (lambda f: f.qca_settings({"settings": 5}), r"results\['settings'\] is an int, not a table"),
    (lambda f: f.qca_settings({"settings": pd.DataFrame({"name": ["incl_cut"], "value": ["0.9"]})}),
     "the settings table lacks the column"),
    (lambda f: f.settings_table([("incl_cut", 0.8)]), "settings must be a mapping of setting names to values"),
    (lambda f: f.settings_table({1: 0.8}), "every setting's name must be non-empty text"),
])
def test_a_mistake_in_the_settings_functions_says_what_to_pass(call, message):
    import krihs_analysis.pipeline as pipeline

    with pytest.raises(ValueError, match=message):
        call(pipeline)
