"""Ordinary mistakes with the statistics, data and display functions: each is a ValueError that says what to change.

Found by a sweep of about 700 wrong calls (issue 11: "never an AttributeError or TypeError from inside"); the QCA
module has its own file (test_qca_inputs.py), the figures and the brief theirs. A few of these were not errors at
all before: a wrong value was accepted and changed the result (marked "silent" below).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from krihs_analysis import compare, display, linkage, pipeline, reliability, wording
from krihs_analysis.data import (
    is_illustrative,
    is_jp_local_government_code,
    numeric_codes,
    placenames,
    read_cases,
    read_context,
    to_long,
)
from krihs_analysis.data.tidy import core_task_indices
from krihs_analysis.template import write_template


@pytest.fixture(scope="module")
def cases():
    return read_cases()


def _two_coders(cases):
    a = cases[["case_id", "integration"]].copy()
    b = a.assign(integration=a["integration"].astype(object))
    b.loc[b.index[0], "integration"] = "high"
    return [a, b]


# (id, call on the sample cases, fragment of the message)
MISTAKES = [
    # -- statistics: a variable that has no numbers, or one string where a list is meant ----------------------------
    ("compare-category", lambda c: compare.compare_countries(c, variables=["city_size"], n_boot=0),
     r"'city_size' is a category variable; variables must be numeric"),
    ("compare-int", lambda c: compare.compare_countries(c, variables=5, n_boot=0),
     r"variables must be one string or a list of strings, got 5; pass e.g. variables=\['integration'\]"),
    ("compare-empty", lambda c: compare.compare_countries(c, variables=[], n_boot=0), "give at least one"),
    ("levels-count", lambda c: compare.level_distribution(c, variables=["support_years"]),
     r"'support_years' is a count variable; variables must be coded"),
    ("levels-empty", lambda c: compare.level_distribution(c, variables=[]), "give at least one"),
    ("profile-misspelt", lambda c: compare.case_profile(c, "KR-P1-A", variables=["integraton"]),
     "'integraton' is not a variable of the codebook .*; did you mean 'integration'\\?"),
    ("profile-text", lambda c: compare.case_profile(c, "KR-P1-A", variables=["municipality"]),
     "is a text variable"),
    ("association-category", lambda c: linkage.association(c, x="city_size", y="sustainability", n_boot=0),
     "'city_size' is a category variable; x must be numeric"),
    ("association-list", lambda c: linkage.association(c, x=["integration"], y="sustainability", n_boot=0),
     r"x must be a string, got \['integration'\] \(list\); pass e.g. x='integration'"),
    ("association-same", lambda c: linkage.association(c, x="integration", y="integration", n_boot=0),
     "x and y are both 'integration'"),  # silent: tau = 1 with an exact p
    ("ordinal-swapped", lambda c: linkage.ordinal_model(c, ["integration"], "sustainability"),
     "outcome must be a string, got"),
    ("ordinal-outcome-as-predictor", lambda c: linkage.ordinal_model(c, "sustainability",
                                                                   ["integration", "sustainability"]),
     "'sustainability' is the outcome; it cannot also be a predictor"),  # silent: a separated model
    ("firth-text-outcome", lambda c: linkage.firth_logit(c, "municipality", ["integration"]),
     "'municipality' is a text variable; outcome must be numeric"),
    ("ordinal-category-predictor", lambda c: linkage.ordinal_model(c, "sustainability", ["city_size"]),
     "'city_size' is a category variable; predictors must be numeric"),
    # -- reliability -----------------------------------------------------------------------------------------------
    ("kappa-unsorted", lambda c: reliability.weighted_kappa([0, 1, 2, 3, 1], [0, 1, 2, 2, 1], weights="linear",
                                                           categories=[0, 2, 1, 3]),
     "categories must be the ordered scale, ascending"),  # silent: 1.0 instead of 0.8
    ("kappa-repeated", lambda c: reliability.weighted_kappa([0, 1], [0, 1], categories=[0, 0, 1]),
     "without repeats"),
    ("kappa-outside", lambda c: reliability.weighted_kappa([0, 3], [0, 1], categories=[0, 1, 2]),
     r"code\(s\) \[3.0\] are not among the categories"),
    ("agreement-words", lambda c: reliability.agreement(_two_coders(c)),
     r"sheet 2 \(coder2\): 'integration' has a non-numeric code 'high'"),
    ("agreement-coders-string", lambda c: reliability.agreement(_two_coders(c)[:1] * 2, coders="ab"),
     "coders must be a list of names"),  # silent: coders 'a' and 'b'
    ("agreement-variables-int", lambda c: reliability.agreement(_two_coders(c)[:1] * 2, variables=5),
     "variables must be one string or a list of strings"),
    ("report-one-path", lambda c: reliability.agreement_report("coder_a.csv"),
     "paths must be a list of two or more sheet files"),
    ("report-frames", lambda c: reliability.agreement_report(_two_coders(c)),
     r"for sheets already read \(DataFrames\) call agreement\(sheets\)"),
    ("report-none", lambda c: reliability.agreement_report(None), "paths must be a list"),
    ("krippendorff-sheet", lambda c: reliability.krippendorff_alpha(c),
     "data must be a coders x units array of numeric codes"),
    # -- pipeline --------------------------------------------------------------------------------------------------
    ("family-by-programme", lambda c: pipeline.family_table(
        compare.compare_countries(c, by="programme", n_boot=0, n_permutations=0), pd.DataFrame()),
     "not a comparison by programme"),  # silent: every programme row keyed 'integration'
    ("family-result-object", lambda c: pipeline.family_table(linkage.ordinal_model(c, "sustainability",
                                                                                   ["integration"]), pd.DataFrame()),
     r"comparison must be a pandas DataFrame, got a ModelFit; pass one of its tables"),
    ("family-missing-column", lambda c: pipeline.family_table(pd.DataFrame({"variable": ["a"]}), pd.DataFrame()),
     "comparison lacks the column"),
    ("analyse-no-draws", lambda c: pipeline.analyse(c, n_permutations=0),
     "n_permutations must be a whole number of at least 1"),
    # -- display ---------------------------------------------------------------------------------------------------
    ("labelled-result-object", lambda c: display.labelled(linkage.ordinal_model(c, "sustainability",
                                                                                ["integration"])),
     r"frame must be a pandas DataFrame, got a ModelFit; pass one of its tables, e.g. frame=result.table"),
    ("labelled-none", lambda c: display.labelled(None), "frame must be a pandas DataFrame, got None"),
    ("labelled-misspelt-index", lambda c: display.labelled(pd.DataFrame({"variable": ["integration"]}),
                                                           index="variabel"),
     "frame lacks the column"),  # silent: ignored
    ("labelled-misspelt-columns", lambda c: display.labelled(pd.DataFrame({"variable": ["integration"]}),
                                                             columns=["variabel"]),
     "frame lacks the column"),  # silent: ignored
    ("labelled-digits", lambda c: display.labelled(pd.DataFrame({"p": [0.5]}), digits=2.5),
     "digits must be a whole number"),
    ("banner-none", lambda c: display.banner(None), "cases must be a pandas DataFrame"),
    ("banner-lang", lambda c: display.banner(True, lang="fr"), "unknown language 'fr'"),
    ("illustrative-list", lambda c: is_illustrative([1, 2]), "cases must be a pandas DataFrame"),
    # -- data ------------------------------------------------------------------------------------------------------
    ("read-frame", lambda c: read_cases(c), "that is case data already: use it as it is"),
    ("read-codebook-object", lambda c: read_cases(codebook=5), "codebook must be a Codebook"),
    ("read-csv-sheet", lambda c: read_cases(sheet=5), "applies to XLSX workbooks only"),  # silent: ignored
    ("context-list", lambda c: read_context(["rmo_survey"]), "name must be the name of one context table"),
    ("numeric-misspelt", lambda c: numeric_codes(c, ["integraton"]), "cases lacks the column"),
    ("numeric-string", lambda c: numeric_codes(c, "integraton"), "cases lacks the column.s. 'integraton'"),
    ("long-misspelt-id", lambda c: to_long(c, id_vars=["case_idd"]), "cases lacks the column"),
    ("indices-none", lambda c: core_task_indices(None), "cases must be a pandas DataFrame"),
    ("code-number", lambda c: is_jp_local_government_code(131016), "a number loses the leading zero"),
    ("hepburn-long", lambda c: placenames.hepburn("カツウラ", long=1), "long must be syllable positions"),
    ("hangul-long", lambda c: placenames.hangul("カツウラ", long="12"), "long must be syllable positions"),
    ("name-type-list", lambda c: placenames.municipality_name("かつうらし", ["city"], lang="en"),
     "unknown municipality type"),
    # -- wording ---------------------------------------------------------------------------------------------------
    ("phrase-missing-field", lambda c: wording.phrase("figures", "n_cases", "ko", n_kr=14),
     r"needs the field\(s\) n_jp"),
    ("phrase-domain-list", lambda c: wording.phrase(["common"], "illustrative_short", "en"),
     "domain must be the name of a locale file"),
    ("prose-unfilled", lambda c: display.prose("nb01_read", lang="en"), "needs the field"),  # silent: braces shown
]


@pytest.mark.parametrize(("call", "match"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_a_value_error_that_says_what_to_change(cases, call, match):
    with pytest.raises(ValueError, match=match):
        call(cases)


def test_the_cases_are_not_changed_by_a_refused_call(cases):
    before = cases.copy(deep=True)
    for _, call, _ in MISTAKES:
        try:
            call(cases)
        except ValueError:
            pass
    pd.testing.assert_frame_equal(cases, before)


def test_what_the_checks_accept_still_works(cases):
    # One string is one variable; counts are numeric; a path of a codebook is read; a set of positions works.
    one = compare.compare_countries(cases, variables="integration", n_boot=0)
    assert one["variable"].tolist() == ["integration"]
    counts = compare.compare_countries(cases, variables=["support_years"], n_boot=0)
    assert np.isfinite(counts["cliffs_delta"]).all()
    from krihs_analysis.codebook import DEFAULT_PATH

    assert read_cases(codebook=DEFAULT_PATH).shape == cases.shape
    assert placenames.hangul("カツウラ", long={1}) == placenames.hangul("カツウラ", long=[1])
    # By hand: one disagreement (3 vs 2) of weight 1/3 in 5 pairs, Do = 1/15; from the margins De = 1/3.
    assert reliability.weighted_kappa([0, 1, 2, 3, 1], [0, 1, 2, 2, 1], weights="linear",
                                      categories=[0, 1, 2, 3]) == pytest.approx(1 - (1 / 15) / (1 / 3))
    assert numeric_codes(cases, "integration").columns.tolist() == ["integration"]


@pytest.mark.parametrize(("call", "match"), [
    (lambda tmp: write_template(tmp / "t.xlsx", cases="s.csv"),
     "cases must be a pandas DataFrame of cases"),
    (lambda tmp: write_template(tmp / "t.xlsx", codebook={}),
     "codebook must be a Codebook"),  # silent: {} was swapped for the package's codebook
    (lambda tmp: read_cases(codebook={}), "codebook must be a Codebook"),
], ids=["template-cases-path", "template-codebook-dict", "read-codebook-dict"])
def test_the_template_and_the_reader_take_a_codebook_or_its_path_and_nothing_else(tmp_path, call, match):
    with pytest.raises(ValueError, match=match):
        call(tmp_path)
    assert not (tmp_path / "t.xlsx").exists()


# --------------------------------------------------------------------------------------------------------------
# Found while documenting every parameter (stop 22): each wrong call below used to pass or fail from inside


def test_a_codebook_path_is_taken_wherever_a_codebook_is(cases, tmp_path):
    from krihs_analysis.codebook import DEFAULT_PATH, check_variables
    from krihs_analysis.data import build

    # each raised AttributeError: 'str' object has no attribute ...
    assert core_task_indices(cases, codebook=str(DEFAULT_PATH)).shape == (len(cases), 5)
    assert check_variables("integration", codebook=DEFAULT_PATH) == ["integration"]
    assert build(out_dir=tmp_path, codebook=str(DEFAULT_PATH))["rows"] == len(cases)


def test_to_long_takes_one_string_as_one_variable(cases):
    assert to_long(cases, variables="integration")["variable"].unique().tolist() == ["integration"]


def test_a_japanese_code_is_six_ascii_digits():
    assert is_jp_local_government_code("342149")
    assert not is_jp_local_government_code("３４２１４９")  # full-width digits: True before
    assert not is_jp_local_government_code("34214²")  # a superscript: int() raised before


def test_analyse_refuses_a_pair_of_cuts_before_running(cases):
    # a pair reached round(incl_cut - 0.05) after most of the analysis had run: TypeError
    with pytest.raises(ValueError, match=r"incl_cut must be a number in \[0, 1\], got \(0.8, 0.6\)"):
        pipeline.analyse(cases, incl_cut=(0.8, 0.6))


@pytest.mark.parametrize("sheet", [True, -1, 1.5])
def test_a_sheet_is_a_name_or_a_position_from_zero(sheet):
    from krihs_analysis import paths
    from krihs_analysis.data import read_raw

    # True read the second worksheet and -1 the last
    with pytest.raises(ValueError, match=r"sheet must be a worksheet's name or its position \(0 is the first\)"):
        read_raw(paths.SAMPLE_CASES, sheet=sheet)


def test_a_flag_is_true_or_false(cases):
    from krihs_analysis.qca import minimize, truth_table

    data = cases.assign(continued=(cases["sustainability"].astype("float64") >= 2).astype(int))
    with pytest.raises(ValueError, match="profile must be True or False, got 'no'"):
        linkage.firth_logit(data, "continued", ["integration"], profile="no")  # was taken as True
    tt = truth_table(pd.DataFrame({"A": [1, 0], "Y": [1, 0]}), "Y", ["A"])
    with pytest.raises(ValueError, match="row_dom must be True or False, got 1"):
        minimize(tt, row_dom=1)


def test_font_charset_without_fontconfig_says_what_to_install(monkeypatch):
    import shutil

    from krihs_analysis import pdf

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install fontconfig"):
        pdf.font_charset("NanumGothic")  # FileNotFoundError: 'fc-match' before


@pytest.mark.parametrize("bad", [None, {"timeout": "x"}, {"run_dir": 5}, {"kernel": ""}, {"parameters": []}],
                         ids=["missing-keys", "timeout", "run_dir", "kernel", "parameters"])
def test_a_refused_run_task_leaves_the_callers_loggers_alone(bad, tmp_path):
    # every check of the task comes before the worker quiets Papermill's loggers: a refused task used to leave them
    # at ERROR for good in the caller's process
    import logging

    from krihs_analysis.reports.worker import NOISY_LOGGERS, execute_run

    task = {"name": "x"} if bad is None else {
        "name": "x", "entry": "x", "notebook": str(tmp_path / "x.ipynb"), "output": "x", "parameters": {},
        "kernel": "krihs-analysis", "timeout": 60, "start_timeout": 60, "export": {"html": False},
        "run_dir": str(tmp_path), **bad}
    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    saved = [lg.level for lg in loggers]
    try:
        for lg in loggers:  # a level of its own, so that a case quieted before this one cannot hide this one
            lg.setLevel(logging.INFO)
        with pytest.raises(ValueError, match="task lacks the key" if bad is None else "task\\["):
            execute_run(task)
        assert [lg.level for lg in loggers] == [logging.INFO] * len(loggers)  # set to ERROR for good before
    finally:
        for lg, level in zip(loggers, saved):
            lg.setLevel(level)
