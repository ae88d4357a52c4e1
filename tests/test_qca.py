"""Tests of krihs_analysis.qca against R's QCA package (Dusa) and against brute force.

Reference values, unless a test says otherwise, come from: R package QCA (Dusa), Lipset help page /
QCA book examples (data sets LC, LM, LF; `truthTable`, `minimize`, `pof`, `calibrate`).
"""

from __future__ import annotations

import string
import warnings
from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest

from krihs_analysis import qca

C5 = ["DEV", "URB", "LIT", "IND", "STB"]

# --------------------------------------------------------------------------- fixtures (R QCA, Lipset help page)

_LC = """AU 10110 0|BE 11111 1|CZ 11111 1|EE 00101 0|FI 10101 1|FR 10111 1|DE 11110 0|GR 00000 0|HU 00100 0|
IE 10101 1|IT 00001 0|NL 11111 1|PL 00100 0|PT 00000 0|RO 00001 0|ES 00000 0|SE 10111 1|UK 11111 1"""

_LF = """AU .81 .12 .99 .73 .43 .05|BE .99 .89 .98 1 .98 .95|CZ .58 .98 .98 .90 .91 .89|EE .16 .07 .98 .01 .91 .12|
FI .58 .03 .99 .08 .58 .77|FR .98 .03 .99 .81 .95 .95|DE .89 .79 .99 .96 .31 .05|GR .04 .09 .13 .36 .43 .06|
HU .07 .16 .88 .07 .13 .42|IE .72 .05 .98 .01 .95 .92|IT .34 .10 .41 .47 .58 .05|NL .98 1 .99 .94 .99 .95|
PL .02 .17 .59 0 0 .12|PT .01 .02 .01 .11 .01 .05|RO .01 .03 .17 0 .84 .21|ES .03 .30 .09 .21 .20 .06|
SE .95 .13 .99 .67 .91 .95|UK .98 .99 .99 1 .98 .95"""


def _records(text: str) -> list[list[str]]:
    return [r.split() for r in text.replace("\n", "").split("|")]


@pytest.fixture(scope="module")
def LC() -> pd.DataFrame:
    """Lipset crisp data (R QCA `LC`)."""
    rows = _records(_LC)
    return pd.DataFrame(
        [[int(c) for c in r[1]] + [int(r[2])] for r in rows], index=[r[0] for r in rows], columns=[*C5, "SURV"]
    )


@pytest.fixture(scope="module")
def LM(LC) -> pd.DataFrame:
    """Lipset multi-value data (R QCA `LM`): DEV = 2 above 850 USD."""
    lm = LC.copy()
    lm.loc[["BE", "FR", "NL", "SE", "UK"], "DEV"] = 2
    return lm


@pytest.fixture(scope="module")
def LF() -> pd.DataFrame:
    """Lipset fuzzy data (R QCA `LF`)."""
    rows = _records(_LF)
    return pd.DataFrame([[float(x) for x in r[1:]] for r in rows], index=[r[0] for r in rows], columns=[*C5, "SURV"])


def _model_fit(sol: qca.Solution, model: str = "M1") -> pd.Series:
    f = sol.fit
    return f[(f["model"] == model) & (f["level"] == "model")].iloc[0]


def _term_fit(sol: qca.Solution, term: str, model: str = "M1") -> pd.Series:
    f = sol.fit
    return f[(f["model"] == model) & (f["level"] == "term") & (f["term"] == term)].iloc[0]


# --------------------------------------------------------------------------- calibration

CALIBRATION = [  # R QCA calibrate(x, type = "fuzzy", thresholds = c(20, 50, 80)), help page example
    (0, 0.00734), (10, 0.01934), (20, 0.05), (25, 0.07917), (30, 0.12315), (40, 0.27260), (50, 0.5),
    (60, 0.72740), (70, 0.87685), (75, 0.92083), (80, 0.95), (90, 0.98066), (100, 0.99266), (-50, 0.0), (150, 1.0),
]


@pytest.mark.parametrize(("raw", "expected"), CALIBRATION)
def test_direct_calibration_matches_r_logistic_values(raw, expected):
    assert qca.calibrate([raw], thresholds=(20, 50, 80))[0] == pytest.approx(expected, abs=5e-6)


def test_direct_calibration_snaps_extremes_to_zero_and_one_like_r():
    out = qca.calibrate(np.array([-1000.0, 1000.0, 50.0]), thresholds=(20, 50, 80))
    assert out.tolist() == [0.0, 1.0, 0.5]


def test_decreasing_anchors_calibrate_a_set_whose_membership_falls():
    up = qca.calibrate([10, 30, 60], thresholds=(20, 50, 80))
    down = qca.calibrate([10, 30, 60], thresholds=(80, 50, 20))
    assert down[0] > down[2] and up[0] < up[2]


def test_crisp_calibration_uses_lipset_thresholds_with_values_at_the_threshold_included():
    # Lipset help page: DEV is 1 from 550 USD (multi-value: 550 and 850).
    assert qca.calibrate([549, 550, 900], thresholds=550, method="crisp").tolist() == [0, 1, 1]
    assert qca.calibrate([549, 550, 849, 850], thresholds=(550, 850), method="crisp").tolist() == [0, 1, 1, 2]


def test_calibration_keeps_series_index_and_name_and_leaves_input_alone():
    s = pd.Series([10.0, 50.0, 90.0], index=["a", "b", "c"], name="lit")
    before = s.copy()
    out = qca.calibrate(s, thresholds=(20, 50, 80))
    assert list(out.index) == ["a", "b", "c"] and out.name == "lit"
    pd.testing.assert_series_equal(s, before)


# --------------------------------------------------------------------------- truth tables


def test_crisp_truth_table_has_r_row_numbers_outputs_and_cases(LC):
    tt = qca.truth_table(LC, "SURV", C5)
    t = tt.table.set_index("row")
    assert tt.positive_rows == [22, 24, 32]
    assert t.loc[22, "cases"] == "FI,IE"
    assert t.loc[24, "cases"] == "FR,SE"
    assert t.loc[32, "cases"] == "BE,CZ,NL,UK"
    assert t["n"].sum() == 18
    assert set(t["OUT"]) == {"0", "1"}


def test_truth_table_with_two_inclusion_cuts_codes_contradictions(LF):
    tt = qca.truth_table(LF, "SURV", C5, incl_cut=(0.8, 0.7))
    t = tt.table.set_index("row")
    assert t.loc[24, "OUT"] == "C"  # incl .709 lies between ic0 = .7 and ic1 = .8
    assert t.loc[22, "OUT"] == "1" and t.loc[23, "OUT"] == "0"


def test_rows_under_n_cut_become_remainders(LC):
    tt = qca.truth_table(LC, "SURV", C5, n_cut=3)
    assert tt.positive_rows == [32]
    assert (tt.table.loc[tt.table["n"] < 3, "OUT"] == "?").all()


def test_truth_table_does_not_modify_the_input(LF):
    before = LF.copy()
    qca.truth_table(LF, "~SURV", C5, incl_cut=0.8)
    pd.testing.assert_frame_equal(LF, before)


# --------------------------------------------------------------------------- minimisation, crisp and multi-value

LC_SOLUTIONS = [  # R QCA, Lipset help page / QCA book
    ("SURV", "conservative", "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"),
    ("SURV", "parsimonious", "DEV*STB"),
    ("~SURV", "conservative", "~DEV*~URB*~IND + DEV*LIT*IND*~STB"),
    ("~SURV", "parsimonious", "~DEV + ~STB"),
]


@pytest.mark.parametrize(("outcome", "kind", "model"), LC_SOLUTIONS)
def test_crisp_lipset_solutions_match_r(LC, outcome, kind, model):
    sol = qca.minimize(qca.truth_table(LC, outcome, C5), kind=kind)
    assert sol.models == (model,)


def test_crisp_conservative_solution_is_fully_consistent_and_covering(LC):
    sol = qca.minimize(qca.truth_table(LC, "SURV", C5))
    fit = _model_fit(sol)
    assert fit["consistency"] == pytest.approx(1.0, abs=1e-12)
    assert fit["coverage"] == pytest.approx(1.0, abs=1e-12)


def test_crisp_parsimonious_solution_reports_r_simplifying_assumptions(LC):
    sol = qca.minimize(qca.truth_table(LC, "SURV", C5), kind="parsimonious")
    assert sol.simplifying_assumptions == (18, 20, 26, 28, 30)
    assert sol.assumptions_by_model == {"M1": (18, 20, 26, 28, 30)}


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("conservative", "DEV[2]*LIT[1]*IND[1] + DEV[1]*URB[0]*LIT[1]*IND[0]"),
        ("parsimonious", "DEV[2] + DEV[1]*IND[0]"),
    ],
)
def test_multivalue_lipset_solutions_match_r(LM, kind, model):
    sol = qca.minimize(qca.truth_table(LM, "SURV", C5[:4]), kind=kind)
    assert sol.models == (model,)


def test_solution_prints_like_r(LC):
    text = str(qca.minimize(qca.truth_table(LC, "SURV", C5), kind="parsimonious"))
    assert "M1: DEV*STB -> SURV" in text
    assert "inclS" in text and "covU" in text


# --------------------------------------------------------------------------- minimisation, fuzzy


@pytest.mark.parametrize(
    ("cut", "kind", "model"),
    [
        (0.8, "conservative", "DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB"),
        (0.8, "parsimonious", "DEV*~IND + URB*STB"),
        (0.9, "conservative", "DEV*URB*LIT*IND*STB"),
        (0.9, "parsimonious", "URB*STB"),
    ],
)
def test_fuzzy_lipset_solutions_match_r(LF, cut, kind, model):
    assert qca.minimize(qca.truth_table(LF, "SURV", C5, incl_cut=cut), kind=kind).models == (model,)


FUZZY_FIT = [  # (kind, term or None for the model, column, R value)
    ("conservative", None, "consistency", 0.870),
    ("conservative", None, "PRI", 0.843),
    ("conservative", None, "coverage", 0.658),
    ("parsimonious", None, "consistency", 0.850),
    ("parsimonious", None, "PRI", 0.819),
    ("parsimonious", None, "coverage", 0.714),
    ("parsimonious", "URB*STB", "consistency", 0.874),
    ("parsimonious", "URB*STB", "PRI", 0.845),
    ("parsimonious", "URB*STB", "coverage", 0.520),
    ("parsimonious", "URB*STB", "unique_coverage", 0.430),
    ("parsimonious", "DEV*~IND", "consistency", 0.815),
    ("parsimonious", "DEV*~IND", "PRI", 0.721),
    ("parsimonious", "DEV*~IND", "coverage", 0.284),
    ("parsimonious", "DEV*~IND", "unique_coverage", 0.194),
]


@pytest.mark.parametrize(("kind", "term", "column", "expected"), FUZZY_FIT)
def test_fuzzy_solution_parameters_of_fit_match_r(LF, kind, term, column, expected):
    sol = qca.minimize(qca.truth_table(LF, "SURV", C5, incl_cut=0.8), kind=kind)
    row = _model_fit(sol) if term is None else _term_fit(sol, term)
    assert row[column] == pytest.approx(expected, abs=5e-4)


@pytest.fixture(scope="module")
def LF_intermediate(LF) -> qca.Solution:
    tt = qca.truth_table(LF, "SURV", C5, incl_cut=0.8)
    return qca.minimize(tt, kind="intermediate", dir_exp=dict.fromkeys(C5, 1))


def test_fuzzy_intermediate_solution_matches_r(LF_intermediate):
    assert LF_intermediate.models == ("DEV*URB*LIT*STB + DEV*LIT*~IND*STB",)


@pytest.mark.parametrize(("column", "expected"), [("consistency", 0.866), ("PRI", 0.839), ("coverage", 0.660)])
def test_fuzzy_intermediate_parameters_of_fit_match_r(LF_intermediate, column, expected):
    assert _model_fit(LF_intermediate)[column] == pytest.approx(expected, abs=5e-4)


def test_fuzzy_intermediate_solution_uses_one_easy_counterfactual(LF_intermediate):
    # The single easy counterfactual is DEV*URB*LIT*~IND*STB: binary 11101 = 29, i.e. R row 29 + 1 = 30
    # (R numbers truth-table rows from 1, the configuration numbers from 0).
    assert LF_intermediate.easy_counterfactuals == (30,)
    assert 30 not in LF_intermediate.difficult_counterfactuals
    assert len(LF_intermediate.difficult_counterfactuals) > 0


def test_intermediate_solution_needs_directional_expectations(LF):
    with pytest.raises(ValueError, match="dir_exp"):
        qca.minimize(qca.truth_table(LF, "SURV", C5, incl_cut=0.8), kind="intermediate")


# --------------------------------------------------------------------------- necessity and fit

NECESSITY = [  # (expression, consistency, coverage, RoN) — R QCA pof / superSubset on LF
    ("DEV", 0.8310, 0.7746, 0.8114),
    ("LIT", 0.9906, 0.6428, 0.5094),
    ("STB", 0.9202, 0.7069, 0.6801),
    ("DEV + URB", 0.8991, 0.7539, 0.7582),
]


@pytest.mark.parametrize(("expression", "consistency", "coverage", "relevance"), NECESSITY)
def test_necessity_parameters_match_r(LF, expression, consistency, coverage, relevance):
    nec = qca.necessity(LF, "SURV", C5, max_order=2).set_index("expression")
    row = nec.loc[expression]
    assert row["consistency"] == pytest.approx(consistency, abs=5e-5)
    assert row["coverage"] == pytest.approx(coverage, abs=5e-5)
    assert row["relevance"] == pytest.approx(relevance, abs=5e-5)


def test_necessity_lists_negations_and_multivalue_levels(LM):
    nec = qca.necessity(LM, "SURV", ["DEV", "URB"])
    assert nec["expression"].tolist() == ["DEV[0]", "DEV[1]", "DEV[2]", "URB", "~URB"]


@pytest.mark.parametrize(("column", "expected"), [("consistency", 0.7746), ("PRI", 0.7431)])
def test_sufficiency_of_dev_matches_r(LF, column, expected):
    row = qca.fit(LF, "DEV", outcome="SURV").iloc[-1]
    assert row[column] == pytest.approx(expected, abs=5e-5)


def test_fit_reproduces_minimize_fit_for_the_parsimonious_expression(LF):
    f = qca.fit(LF, "DEV*~IND + URB*STB", outcome="SURV").set_index("term")
    assert f.loc["URB*STB", "unique_coverage"] == pytest.approx(0.430, abs=5e-4)
    assert f.loc["DEV*~IND + URB*STB", "coverage"] == pytest.approx(0.714, abs=5e-4)


def test_fit_reads_multivalue_literals_and_negated_outcomes(LM):
    f = qca.fit(LM, "DEV[2] + DEV[1]*IND[0]", outcome="SURV")
    # CZ survives but shares its configuration with DE, so 7 of the 8 surviving cases are covered.
    assert f.iloc[-1]["consistency"] == pytest.approx(1.0) and f.iloc[-1]["coverage"] == pytest.approx(7 / 8)
    g = qca.fit(LM, "DEV[0]", outcome="~SURV")
    assert g.iloc[-1]["consistency"] == pytest.approx(1.0)


# --------------------------------------------------------------------------- robustness


def test_braumoeller_test_matches_qcafalsepositive_example():
    # Braumoeller's R package QCAfalsePositive, csQCAbinTest(freq.y = 0.7, configs = list(aB = 5, bCD = 3, Ce = 2),
    # total.configs = 20): p-raw .00243 .027 .09, Holm-adjusted .0486 .513 1.
    out = qca.braumoeller_test({"aB": 5, "bCD": 3, "Ce": 2}, freq_y=0.7, total_configs=20)
    assert out["p_raw"].tolist() == pytest.approx([0.00243, 0.027, 0.09], abs=1e-6)
    assert out["p_adj"].tolist() == pytest.approx([0.0486, 0.513, 1.0], abs=1e-6)


def test_braumoeller_test_runs_on_a_crisp_truth_table(LC):
    out = qca.braumoeller_test(qca.truth_table(LC, "SURV", C5))
    assert out["configuration"].tolist() == ["22", "24", "32"]
    assert (out["p_adj"] >= out["p_raw"]).all()


def test_incl_cut_robustness_lists_the_solution_at_each_cut(LF):
    rob = qca.incl_cut_robustness(LF, "SURV", C5, incl_cuts=[0.8, 0.9, 0.99])
    assert rob["solution"].tolist()[:2] == ["DEV*~IND + URB*STB", "URB*STB"]
    assert rob["n_positive_rows"].tolist()[2] == 0


# --------------------------------------------------------------------------- exactness, ties and scale


def _fmt(term, names):
    return "*".join(n if v == 1 else f"~{n}" for n, v in zip(names, term) if v is not None) or "1"


def brute_force_models(pos, neg, k, *, parsimonious, names):
    """All minimum covers by enumerating every term and every set of prime implicants."""
    space = list(product([0, 1], repeat=k))
    pos = set(pos)
    allowed = {m for m in space if m not in set(neg)} if parsimonious else pos

    def covers(t):
        return {m for m in space if all(v is None or v == x for v, x in zip(t, m))}

    valid = [t for t in product([None, 0, 1], repeat=k) if covers(t) <= allowed and covers(t) & pos]

    def more_general(a, b):
        return a != b and all(x is None or x == y for x, y in zip(a, b))

    primes = [t for t in valid if not any(more_general(u, t) for u in valid)]
    for size in range(1, len(primes) + 1):
        found = [c for c in combinations(primes, size) if set().union(*(covers(t) & pos for t in c)) == pos]
        if found:
            return {frozenset(_fmt(t, names) for t in c) for c in found}
    return set()


def _crisp_frame(pos, neg, names):
    rows = [list(m) + [1] for m in pos] + [list(m) + [0] for m in neg]
    return pd.DataFrame(rows, columns=[*names, "Y"], index=[f"c{i}" for i in range(len(rows))])


def test_ties_list_every_minimal_cover_even_with_more_literals():
    # Hand-checked: positives 000 and 111, negatives 001 and 100. Prime implicants ~A*~C, B and A*C;
    # two covers of two implicants each: B + ~A*~C (3 literals) and A*C + ~A*~C (4 literals).
    # R lists both (M1, M2) - it does not break ties by literal count.
    names = ["A", "B", "C"]
    pos, neg = [(0, 0, 0), (1, 1, 1)], [(0, 0, 1), (1, 0, 0)]
    sol = qca.minimize(qca.truth_table(_crisp_frame(pos, neg, names), "Y", names), kind="parsimonious")
    assert sol.models == ("B + ~A*~C", "A*C + ~A*~C")
    expected = brute_force_models(pos, neg, 3, parsimonious=True, names=names)
    assert {frozenset(m.split(" + ")) for m in sol.models} == expected
    assert set(sol.fit["model"]) == {"M1", "M2"}


def test_cyclic_chart_gives_the_two_textbook_minimal_covers():
    # f = m(0, 1, 2, 5, 6, 7): the classic cyclic prime-implicant chart with exactly two minimum covers.
    names = ["A", "B", "C"]
    pos = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    neg = [(0, 1, 1), (1, 0, 0)]
    sol = qca.minimize(qca.truth_table(_crisp_frame(pos, neg, names), "Y", names))
    assert len(sol.models) == 2
    assert {frozenset(m.split(" + ")) for m in sol.models} == brute_force_models(
        pos, neg, 3, parsimonious=False, names=names
    )


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("kind", ["conservative", "parsimonious"])
def test_minimal_covers_equal_brute_force_on_random_crisp_tables(seed, kind):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 5))
    names = list("ABCD")[:k]
    labels = rng.choice(["p", "n", "r"], size=2**k, p=[0.35, 0.35, 0.3])
    # A valid draw by construction (at least one positive and one negative row), never a skipped one: two
    # distinct rows chosen at random are set to "p" and "n".
    i, j = rng.choice(2**k, size=2, replace=False)
    labels[i], labels[j] = "p", "n"
    space = list(product([0, 1], repeat=k))
    pos = [m for m, lab in zip(space, labels) if lab == "p"]
    neg = [m for m, lab in zip(space, labels) if lab == "n"]
    sol = qca.minimize(qca.truth_table(_crisp_frame(pos, neg, names), "Y", names), kind=kind)
    expected = brute_force_models(pos, neg, k, parsimonious=kind == "parsimonious", names=names)
    assert {frozenset(m.split(" + ")) for m in sol.models} == expected
    assert len(sol.models) == len(expected)


def test_cover_cap_warns_and_marks_the_solution_truncated():
    names = ["A", "B", "C"]
    pos = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    tt = qca.truth_table(_crisp_frame(pos, [(0, 1, 1), (1, 0, 0)], names), "Y", names)
    with pytest.warns(qca.CoverCapWarning, match="max_covers=1"):
        sol = qca.minimize(tt, max_covers=1)
    assert sol.truncated and len(sol.models) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not qca.minimize(tt, max_covers=2).truncated


def test_twelve_conditions_are_minimised_exactly_and_quickly():
    rng = np.random.default_rng(7)
    names = list(string.ascii_uppercase[:12])
    df = pd.DataFrame(rng.integers(0, 2, size=(300, 12)), columns=names)
    df["Y"] = ((df.A & df.B) | (df.C & (1 - df.D))).astype(int)
    tt = qca.truth_table(df, "Y", names)
    pars = qca.minimize(tt, kind="parsimonious")
    assert pars.models == ("A*B + C*~D",)
    cons = qca.minimize(tt, kind="conservative")
    assert _model_fit(cons)["consistency"] == pytest.approx(1.0)
    assert _model_fit(cons)["coverage"] == pytest.approx(1.0)


# --------------------------------------------------------------------------- case data


def _synthetic_cases() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    cols = ["resident_org", "intermediary", "resident_planning", "gov_role", "integration", "sustainability"]
    data = {"case_id": [f"KR-P{i}-A" for i in range(6)], "country": ["KR"] * 3 + ["JP"] * 3}
    for c in cols:
        data[c] = pd.Categorical(rng.integers(0, 4, 6), categories=[0, 1, 2, 3], ordered=True)
    data["continued"] = rng.integers(0, 2, 6)
    return pd.DataFrame(data)


def test_from_cases_builds_crisp_data_indexed_by_case_id():
    cases = _synthetic_cases()
    before = cases.copy()
    out = qca.from_cases(cases)
    assert list(out.columns) == [*qca.DEFAULT_CONDITIONS, "sustainability"]
    assert out.index.tolist() == cases["case_id"].tolist()
    expected = (cases["integration"].astype("float64") >= 2).astype(int).tolist()
    assert out["integration"].tolist() == expected
    pd.testing.assert_frame_equal(cases, before)


def test_from_cases_fuzzy_option_maps_codes_to_documented_memberships():
    cases = _synthetic_cases()
    out = qca.from_cases(cases, kind="fuzzy")
    mapping = {0: 0.0, 1: 0.33, 2: 0.67, 3: 1.0}
    assert out["gov_role"].tolist() == [mapping[int(v)] for v in cases["gov_role"].astype("float64")]
    tt = qca.truth_table(out, "sustainability", list(qca.DEFAULT_CONDITIONS), incl_cut=0.8)
    assert tt.table["n"].sum() == len(cases)


def test_from_cases_multivalue_thresholds_give_levels():
    out = qca.from_cases(_synthetic_cases(), thresholds={"gov_role": (1, 3)})
    assert set(out["gov_role"]) <= {0, 1, 2}


# --------------------------------------------------------------------------- user errors

BAD_INPUT = [
    ("anchors not monotone", lambda d: qca.calibrate([1, 2], thresholds=(50, 20, 80)), "monotone"),
    ("two anchors", lambda d: qca.calibrate([1, 2], thresholds=(20, 80)), "three anchors"),
    ("unknown method", lambda d: qca.calibrate([1], thresholds=1, method="indirect"), "method"),
    ("incl_cut above 1", lambda d: qca.truth_table(d, "SURV", C5, incl_cut=1.2), "incl_cut"),
    ("incl_cut order", lambda d: qca.truth_table(d, "SURV", C5, incl_cut=(0.7, 0.8)), "ic0 <= ic1"),
    ("missing column", lambda d: qca.truth_table(d, "SURV", ["DEV", "GDP"]), "GDP"),
    ("outcome as condition", lambda d: qca.truth_table(d, "SURV", ["DEV", "SURV"]), "cannot also be"),
    ("no positive rows", lambda d: qca.minimize(qca.truth_table(d, "SURV", ["LIT"])), "lower incl_cut"),
    ("bad kind", lambda d: qca.minimize(qca.truth_table(d, "SURV", C5), kind="complex"), "kind"),
    ("bad cap", lambda d: qca.minimize(qca.truth_table(d, "SURV", C5), max_covers=0), "max_covers"),
    ("bad expression", lambda d: qca.fit(d, "DEV*(URB + LIT)", outcome="SURV"), "parentheses"),
    ("bad literal", lambda d: qca.fit(d, "DEV*#", outcome="SURV"), "literal"),
    ("bad max_order", lambda d: qca.necessity(d, "SURV", C5, max_order=0), "max_order"),
    ("not a data frame", lambda d: qca.truth_table(d.to_numpy(), "SURV", C5), "DataFrame"),
    ("values above 1", lambda d: qca.truth_table(d.assign(DEV=d.DEV * 2.5), "SURV", C5), "calibrate"),
    ("missing case codes", lambda d: qca.from_cases(pd.DataFrame({"case_id": ["a"], "x": [np.nan], "y": [1]}),
                                                    outcome="y", conditions=["x"]), "missing"),
    ("dir_exp of wrong length", lambda d: qca.minimize(qca.truth_table(d, "SURV", C5, incl_cut=0.8),
                                                       kind="intermediate", dir_exp=[1, 1]), "dir_exp"),
]


@pytest.mark.parametrize(("label", "call", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_user_errors_raise_valueerror_saying_what_to_change(LF, label, call, message):
    data = LF if label != "no positive rows" else LF.assign(SURV=0.0)
    with pytest.raises(ValueError, match=message):
        call(data)


@pytest.mark.parametrize("label", ["NA", "N/A", "null", "None", "nan"])
def test_case_labels_that_look_missing_stay_labels(label):
    df = pd.DataFrame({"A": [1, 0, 1], "Y": [1, 0, 1]}, index=pd.Index([label, "B", "C"], dtype="str"))
    tt = qca.truth_table(df, "Y", ["A"])
    assert label in tt.table["cases"].iloc[-1].split(",")
    assert label in qca.case_roles(df, "Y", "A")["case_id"].tolist()


def test_a_missing_case_label_says_how_to_keep_na_labels():
    df = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=pd.Index([np.nan, "B"], dtype=object))
    with pytest.raises(ValueError, match="keep_default_na=False"):
        qca.truth_table(df, "Y", ["A"])


def test_fit_in_the_old_argument_order_warns_and_gives_the_same_table(LF):
    new = qca.fit(LF, "DEV*~IND + URB*STB", outcome="SURV")
    with pytest.warns(FutureWarning, match="data, expression, outcome"):
        old = qca.fit("DEV*~IND + URB*STB", LF, "SURV")
    pd.testing.assert_frame_equal(new, old)


def test_solution_exposes_its_fit_as_table(LF):
    sol = qca.minimize(qca.truth_table(LF, "SURV", C5, incl_cut=0.8), kind="parsimonious")
    assert sol.table is sol.fit


def test_exclude_rows_are_never_covered(LF):
    tt = qca.truth_table(LF, "SURV", C5, incl_cut=0.8)
    sol = qca.minimize(tt, kind="parsimonious", exclude=[30])
    assert 30 not in sol.simplifying_assumptions
