"""Plausible mistakes that used to return a wrong answer without a word, or an error from deep inside, each now a
ValueError saying what to change (or, where the intent is plain, the right answer).

Found by a review that tried what an analyst would mistype or misread, on the embedded sample: a confidence level
passed as alpha, a sheet concatenated twice, a binary outcome cut like a 0-3 code, a misspelt key in an options
dict, row numbers passing for case ids, a reordered Series read by position, a model called without its
arguments, a folder where its file goes. Each test fails on the code before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from krihs_analysis import qca
from krihs_analysis.compare import compare_countries, core_task_profile
from krihs_analysis.data import read_cases
from krihs_analysis.linkage import association
from krihs_analysis.reliability import agreement


@pytest.fixture(scope="module")
def cases():
    return read_cases()


@pytest.fixture(scope="module")
def qd(cases):
    return qca.from_cases(cases)


# -- alpha is a significance level ---------------------------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda c: association(c, "integration", "sustainability", n_boot=99, alpha=0.95),
    lambda c: compare_countries(c, n_boot=99, alpha=0.95),
    lambda c: core_task_profile(c, n_boot=99, alpha=0.9),
], ids=["association", "compare_countries", "core_task_profile"])
def test_a_confidence_level_given_as_alpha_is_refused(cases, call):
    # association(..., alpha=0.95) returned the interval (0.78, 0.79): a 5% interval, read as a 95% one.
    with pytest.raises(ValueError, match="looks like a confidence level; for a 95% interval pass alpha=0.05"):
        call(cases)


# -- one row per case ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda c: association(c, "integration", "sustainability"),
    lambda c: compare_countries(c, n_boot=99),
    lambda c: qca.from_cases(c),
], ids=["association", "compare_countries", "from_cases"])
def test_a_case_repeated_in_the_frame_is_refused_naming_it(cases, call):
    # pd.concat([c, c.iloc[:3]]) made association's n 29 and its p 7.5e-9 instead of 26 and 1.9e-7.
    doubled = pd.concat([cases, cases.iloc[:3]], ignore_index=True)
    first = str(cases["case_id"].iloc[0])
    with pytest.raises(ValueError, match=rf"one row per case, but case_id \['{first}'.*drop_duplicates"):
        call(doubled)


# -- QCA sets from the codes ---------------------------------------------------------------------------------


def test_a_binary_outcome_keeps_its_codes_in_crisp_and_fuzzy_sets(cases):
    # `continued` (0 no, 1 yes) was cut at the ordinal default 2: 0 for all 26 cases, though 20 continued.
    expected = cases["continued"].astype(int).to_numpy()
    assert expected.sum() == 20
    crisp = qca.from_cases(cases, outcome="continued")
    assert crisp["continued"].to_numpy().tolist() == expected.tolist()
    fuzzy = qca.from_cases(cases, outcome="continued", kind="fuzzy")
    assert fuzzy["continued"].to_numpy().tolist() == expected.astype(float).tolist()
    # the 0-3 conditions are cut as before
    assert crisp["integration"].tolist() == (cases["integration"].astype(int) >= 2).astype(int).tolist()


def test_a_threshold_that_would_zero_a_binary_variable_is_refused(cases):
    with pytest.raises(ValueError, match="'continued' is binary .* its only threshold is 1, got 2"):
        qca.from_cases(cases, outcome="continued", thresholds=2)
    out = qca.from_cases(cases, outcome="continued", thresholds={"integration": 3, "continued": 1})
    assert out["integration"].tolist() == (cases["integration"].astype(int) >= 3).astype(int).tolist()


def test_a_threshold_for_a_column_that_is_not_analysed_is_refused(cases):
    # {"integraton": 1} was ignored and integration cut at 2 (11 cases in the set instead of 19).
    with pytest.raises(ValueError, match=r"thresholds names \['integraton'\].*check the spelling"):
        qca.from_cases(cases, thresholds={"integraton": 1})


def test_directional_expectations_without_the_intermediate_solution_are_refused(qd):
    tt = qca.truth_table(qd, "sustainability", ["resident_org", "intermediary", "integration"], incl_cut=0.8)
    for kind in ("conservative", "parsimonious"):
        with pytest.raises(ValueError, match=rf"dir_exp is used by the intermediate solution only; with kind='{kind}'"):
            qca.minimize(tt, kind=kind, dir_exp={"resident_org": 1})
    with pytest.raises(ValueError, match=r"dir_exp names \['resident_orgXX'\]"):
        qca.minimize(tt, kind="intermediate", dir_exp={"resident_orgXX": 1})
    assert qca.minimize(tt, kind="intermediate", dir_exp={"resident_org": 1}).models


def test_xy_data_refuses_row_numbers_for_case_ids(qd):
    # After qd.reset_index() (a CSV round trip), case_id and country came out as '0', '1', ...
    with pytest.raises(ValueError, match=r"indexed by case id.*data.set_index\('case_id'\)"):
        qca.xy_data(qd.reset_index(), "integration", outcome="sustainability")
    xy = qca.xy_data(qd, "integration", outcome="sustainability")
    assert xy["case_id"].tolist() == qd.index.tolist() and set(xy["country"]) == {"KR", "JP"}


def test_groups_given_as_a_series_are_matched_by_case_id_not_by_position(cases, qd):
    labels = cases.set_index("case_id")["country"].astype(str)
    by_id = qca.cluster_diagnostics(qd, "sustainability", "integration", groups=labels)
    shuffled = qca.cluster_diagnostics(qd, "sustainability", "integration",
                                       groups=labels.sample(frac=1, random_state=1))
    pd.testing.assert_frame_equal(by_id, shuffled)
    in_order = qca.cluster_diagnostics(qd, "sustainability", "integration", groups=labels.to_numpy())
    pd.testing.assert_frame_equal(by_id, in_order)
    # a Series with the sheet's row numbers is taken in row order, as it lines up with the rows
    positional = qca.cluster_diagnostics(qd, "sustainability", "integration",
                                         groups=cases["country"].astype(str))
    pd.testing.assert_frame_equal(by_id, positional)
    # a reordered Series of row numbers cannot be lined up with the case ids
    with pytest.raises(ValueError, match=r"neither data's case ids nor the row positions.*groups.to_numpy\(\)"):
        qca.cluster_diagnostics(qd, "sustainability", "integration",
                                groups=cases["country"].astype(str).sample(frac=1, random_state=1))
    # another subset of the cases, of the same length, cannot be told from a filtered frame's column: refused too
    # (a review found a monotonic-index rule labelling JP-01 and JP-02 "KR"); its labels in order are one call away
    fewer = qca.from_cases(cases.iloc[12:])
    with pytest.raises(ValueError, match="neither data's case ids nor the row positions"):
        qca.cluster_diagnostics(fewer, "sustainability", "integration", groups=cases["country"].iloc[1:15].astype(str))
    kept = cases.iloc[12:]
    assert qca.cluster_diagnostics(fewer, "sustainability", "integration", groups=kept["country"].astype(str).to_numpy()
                                   ).equals(qca.cluster_diagnostics(fewer, "sustainability", "integration",
                                            groups=kept.set_index("case_id")["country"].astype(str)))


# -- coders' sheets ------------------------------------------------------------------------------------------


def test_coders_sheets_without_a_shared_case_id_are_refused_showing_the_ids():
    a = pd.DataFrame({"case_id": ["kr-01", "kr-02", "jp-01"], "integration": [0, 1, 3]})
    b = a.assign(case_id=a["case_id"].str.upper())
    # every alpha came out NaN on n_units = 0, as if the coders had coded nothing
    with pytest.raises(ValueError, match=r"no case_id occurs in two sheets.*coder1: \['kr-01', 'kr-02'\]; "
                                         r"coder2: \['KR-01', 'KR-02'\]"):
        agreement([a, b])
    one_shared = b.assign(case_id=["kr-01", "KR-02", "JP-01"])
    assert agreement([a, one_shared]).krippendorff["n_units"].iloc[0] == 1


def test_coders_sheets_in_a_dict_are_pointed_to_a_list_and_coders():
    a = pd.DataFrame({"case_id": ["x", "y"], "integration": [0, 1]})
    with pytest.raises(ValueError, match=r"got a dict of 2; pass the sheets as a list and their names as coders"):
        agreement({"kim": a, "lee": a})
    assert agreement([a, a], coders=["kim", "lee"]).coders == ("kim", "lee")


# -- wrong answers in the brief's sentences and tables ------------------------------------------------------


def test_a_comparison_row_without_an_adjusted_p_does_not_print_one():
    from krihs_analysis.brief.text import comparison_sentence

    row = pd.Series({"variable": "integration", "median_kr": 1, "median_jp": 2, "cliffs_delta": -0.6,
                     "ci_low": -0.8, "ci_high": -0.2, "p_value": 0.014, "p_holm": 0.06})
    assert "p = 0.014, Holm-adjusted p = 0.060" in comparison_sentence(row)
    # the unadjusted p was printed as "Holm-adjusted p = 0.014"
    alone = comparison_sentence(row.drop("p_holm"))
    assert "p = 0.014)" in alone and "Holm" not in alone


def test_draft_findings_of_a_misspelt_table_name_is_an_error_not_an_empty_list(cases):
    from krihs_analysis.brief.text import draft_findings

    table = compare_countries(cases, n_boot=0, variables=["integration"])
    with pytest.raises(ValueError, match=r"none of the tables read here .*did you mean 'comparisons' → 'comparison'"):
        draft_findings({"comparisons": table})
    assert len(draft_findings({"comparison": table})) == 1


# -- errors from inside, now the user's to read --------------------------------------------------------------


def test_leave_one_out_of_a_model_without_its_arguments_names_them(cases):
    from krihs_analysis.linkage import leave_one_out, ordinal_model

    # TypeError: ordinal_model() missing 2 required positional arguments, from inside leave_one_out
    with pytest.raises(ValueError, match=r"does not fit its arguments: missing a required argument: 'outcome'; "
                                         r"pass them by name"):
        leave_one_out(cases, ordinal_model)


def test_read_processed_takes_the_folder_build_wrote_and_refuses_a_case_sheet(tmp_path):
    from krihs_analysis import paths
    from krihs_analysis.data import build, read_processed

    build(out_dir=tmp_path)
    assert len(read_processed(tmp_path)) == 26  # was pyarrow's "Could not open Parquet input source"
    with pytest.raises(ValueError, match="reads the cases.parquet that build\\(\\) writes.*read_cases\\(path\\)"):
        read_processed(paths.SAMPLE_CASES)


def test_read_cases_expands_the_home_folder(tmp_path, monkeypatch):
    from krihs_analysis import paths

    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "cases.csv").write_bytes(paths.SAMPLE_CASES.read_bytes())
    assert len(read_cases("~/cases.csv")) == 26  # was FileNotFoundError: '~/cases.csv'


def test_labelled_refuses_repeated_column_names(cases):
    from krihs_analysis.display import labelled

    table = compare_countries(cases, n_boot=0, variables=["integration"])
    # AttributeError: 'DataFrame' object has no attribute 'dtype'
    with pytest.raises(ValueError, match=r"repeated column names \['variable'\]"):
        labelled(pd.concat([table, table[["variable"]]], axis=1))


def test_association_key_wants_one_row():
    from krihs_analysis.pipeline import association_key

    table = pd.DataFrame({"x": ["integration"], "y": ["sustainability"], "method": ["kendall"]})
    assert association_key(table.iloc[0]) == "integration~sustainability:kendall"
    with pytest.raises(ValueError, match=r"one row of an association table .*got DataFrame"):
        association_key(table)  # returned a Series repr as the key
    with pytest.raises(ValueError, match=r"row lacks \['y'\]"):
        association_key({"x": "integration", "method": "kendall"})  # KeyError: 'y'


def test_report_parameters_accept_numpy_numbers():
    from krihs_analysis import reports

    cfg = reports.load_config(parameters={"n_boot": np.int64(99), "seed": np.int32(1)})
    # "unsupported value type int64": a count computed with numpy is a number
    assert all(s.parameters.get("n_boot") in (None, 99) for s in reports.plan_runs(cfg))
    assert any(s.parameters.get("n_boot") == 99 and type(s.parameters["n_boot"]) is int for s in reports.plan_runs(cfg))


@pytest.mark.parametrize("call", [
    lambda c: __import__("krihs_analysis.linkage", fromlist=["x"]).firth_logit(c, "continued", ["integration"]),
    lambda c: association(c, "integration", "continued", n_boot=0),
    lambda c: compare_countries(c, variables=["continued"], n_boot=0),
    lambda c: __import__("krihs_analysis.data", fromlist=["x"]).to_long(c, variables=["continued"]),
], ids=["firth_logit", "association", "compare_countries", "to_long"])
def test_text_where_codes_go_names_the_column_the_values_and_the_cases(cases, call):
    # "Unable to parse string 'yes' at position 0" (pandas) named neither the column nor a case
    worded = cases.assign(continued=cases["continued"].map({1: "yes", 0: "no"}))
    with pytest.raises(ValueError, match=r"'continued' must hold numbers .* holds 'yes', 'no' for case\(s\) "
                                         r"\['KR-P1-A'"):
        call(worded)
