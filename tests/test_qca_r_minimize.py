"""Minimisation against R QCA 3.25.1 on its documented examples and on random data generated in R.

Expected values: tests/data/qca/minimize_reference.json, written by tests/r/minimize_reference.R (the R code
that made every number here; rerun it with `Rscript tests/r/minimize_reference.R`). The data sets are
tests/data/qca/*.csv, written by the same script; the package never saw them while it was written.
Multi-value intermediate solutions: tests/data/qca/minimize_mv_intermediate_reference.json and random_mvi_*.csv,
written by tests/r/minimize_mv_intermediate_reference.R.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from krihs_analysis import qca

HERE = Path(__file__).parent / "data" / "qca"
REF = json.loads((HERE / "minimize_reference.json").read_text(encoding="utf-8"))
MVI_REF = json.loads((HERE / "minimize_mv_intermediate_reference.json").read_text(encoding="utf-8"))
RANDOM = {**REF["random"], **MVI_REF["random"]}


def _read(name: str) -> pd.DataFrame:
    # keep_default_na=False: case labels such as "NA" (Namibia) must stay labels.
    return pd.read_csv(HERE / f"{name}.csv", index_col=0, keep_default_na=False)


def _models(models) -> set[frozenset[str]]:
    """Models as sets of terms: R and the package may print the terms of a model in different orders."""
    return {frozenset(t.strip() for t in m.split("+")) for m in models}


def _dir_exp(values, conditions):
    """The expectations as R was given them: a string or bracket expressions as they are, else a dict."""
    if isinstance(values, str):
        return values
    if any("[" in str(v) for v in values):
        return [v for v in values if v != "-"]
    return {c: v for c, v in zip(conditions, values) if v != "-"}


def test_conjunctural_directional_expectation_matches_r_lf_example():
    lf = _read("LF")
    tt = qca.truth_table(lf, "SURV", incl_cut=0.8)
    sol = qca.minimize(tt, kind="intermediate", dir_exp="DEV + STB + ~LIT*IND")
    ref = REF["LF_conjunctural"]
    assert _models(sol.models) == _models(ref["models"])
    assert sol.easy_by_pair == {k: tuple(v) for k, v in ref["ec"].items()}


def test_directional_expectations_as_a_list_of_expressions_equal_the_string_form():
    lf = _read("LF")
    tt = qca.truth_table(lf, "SURV", incl_cut=0.8)
    a = qca.minimize(tt, kind="intermediate", dir_exp=["DEV", "STB", "~LIT*IND"])
    assert _models(a.models) == _models(REF["LF_conjunctural"]["models"])


@pytest.mark.parametrize(("row_dom", "key"), [(False, "CVF_parsimonious"), (True, "CVF_row_dom")])
def test_cvf_parsimonious_models_with_and_without_row_dominance_match_r(row_dom, key):
    tt = qca.truth_table(_read("CVF"), "PROTEST", incl_cut=0.8)
    sol = qca.minimize(tt, kind="parsimonious", row_dom=row_dom)
    assert _models(sol.models) == _models(REF[key]["models"])


CASES = [(name, kind) for name, entry in RANDOM.items()
         for kind in ("conservative", "parsimonious", "intermediate") if kind in entry]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_random_data_models_and_easy_counterfactuals_match_r(name, kind):
    entry = RANDOM[name]
    df = _read(name)
    conds = [c for c in df.columns if c != "Y"]
    tt = qca.truth_table(df, "Y", conds, incl_cut=entry["incl_cut"])
    dir_exp = _dir_exp(entry["dir_exp"], conds) if kind == "intermediate" else None
    with warnings.catch_warnings():
        warnings.simplefilter("error", qca.CoverCapWarning)
        sol = qca.minimize(tt, kind=kind, dir_exp=dir_exp)
    ref = entry[kind]
    assert _models(sol.models) == _models(ref["models"])
    assert len(sol.models) == len(ref["models"])
    if kind == "intermediate":
        # Pairs are numbered by model order, which R and the package may sort differently among many
        # tied models: the easy counterfactuals of every (conservative, parsimonious) pair are compared as a multiset.
        assert sorted(sol.easy_by_pair.values()) == sorted(tuple(v) for v in ref["ec"].values())
        assert sol.easy_counterfactuals == tuple(sorted({r for v in ref["ec"].values() for r in v}))
    fit = qca.fit(df, ref["expression"], outcome="Y")
    whole = fit[fit["level"] == "expression"].iloc[0]
    assert whole["consistency"] == pytest.approx(ref["inclS"], abs=1e-3)
    assert whole["PRI"] == pytest.approx(ref["PRI"], abs=1e-3)
    assert whole["coverage"] == pytest.approx(ref["covS"], abs=1e-3)


def test_multi_value_intermediate_references_cover_both_of_rs_dir_exp_forms():
    # R takes multi-value expectations as a vector c("A[2]", "B[1]") or one string "A[2], B[1]"; the
    # references above must hold both, or one form would go unchecked.
    forms = {type(e["dir_exp"]) for e in MVI_REF["random"].values()}
    assert forms == {list, str}
    assert all("intermediate" in e for e in MVI_REF["random"].values())


def test_dont_care_values_are_read_as_r_does_on_the_rs_example():
    rs = _read("RS")  # EBA holds "-" (don't care) for cases where the order of E and A does not apply
    tt = qca.truth_table(rs, "REC")
    assert tt.table["row"].tolist() == REF["RS_rows"]
    assert "-" in set(tt.table["EBA"])
    sol = qca.minimize(tt)
    ref = REF["RS_conservative"]
    assert _models(sol.models) == _models(ref["models"])
    whole = sol.fit[sol.fit["level"] == "model"].iloc[0]
    assert [whole["consistency"], whole["PRI"], whole["coverage"]] == pytest.approx(
        [ref["inclS"], ref["PRI"], ref["covS"]], abs=1e-3)


def test_fit_of_a_literal_on_a_dont_care_case_is_zero():
    rs = _read("RS")
    memb = qca.evaluate(rs, "EBA + ~EBA")
    assert (memb[rs["EBA"] == "-"] == 0).all()
