"""The brief's text layer: exact en/ko/ja sentences for fixed result rows, including the weak-evidence wording."""

from __future__ import annotations

import pandas as pd
import pytest

from krihs_analysis.brief.text import (
    association_sentence,
    comparison_sentence,
    core_task_sentence,
    draft_findings,
    is_weak,
    qca_sentence,
)

STRONG = pd.Series({"variable": "resident_org", "median_kr": 1.0, "median_jp": 3.0, "cliffs_delta": -0.85,
                    "ci_low": -0.98, "ci_high": -0.55, "p_value": 0.0004, "p_holm": 0.004, "p_method": "exact"})
WEAK = pd.Series({"variable": "leadership", "median_kr": 1.0, "median_jp": 2.0, "cliffs_delta": -0.35,
                  "ci_low": -0.7, "ci_high": 0.05, "p_value": 0.06, "p_holm": 0.3, "p_method": "exact"})
ASSOC = {"x": "integration", "y": "sustainability", "method": "kendall", "statistic": 0.52, "ci_low": 0.25,
         "ci_high": 0.74, "p_value": 0.003, "p_method": "exact", "n": 26, "strata": "programme"}


@pytest.mark.parametrize(
    ("row", "lang", "expected"),
    [
        (STRONG, "en", "Korean cases score lower than Japanese cases on representative resident organisation "
                       "(median 1 vs 3; Cliff's δ = −0.85, 95% CI −0.98 to −0.55; exact p < 0.001, "
                       "Holm-adjusted p = 0.004)."),
        (STRONG, "ko", "대표 주민조직에서 한국 사례는 일본 사례보다 낮다 (중앙값 한국 1, 일본 3; Cliff's δ = −0.85, "
                       "95% 신뢰구간 [−0.98, −0.55]; 정확 p < 0.001, Holm 보정 p = 0.004)."),
        (WEAK, "en", "Korean cases tend to score lower than Japanese cases on local leadership, but the evidence is "
                     "weak (median 1 vs 2; Cliff's δ = −0.35, 95% CI −0.70 to 0.05; exact p = 0.060, "
                     "Holm-adjusted p = 0.300)."),
        (WEAK, "ko", "지역 리더십에서 한국 사례가 일본 사례보다 낮은 경향이 있으나 근거는 약하다 (중앙값 한국 1, 일본 2; "
                     "Cliff's δ = −0.35, 95% 신뢰구간 [−0.70, 0.05]; 정확 p = 0.060, Holm 보정 p = 0.300)."),
    ],
)
def test_comparison_sentences_are_exact_in_both_languages(row, lang, expected):
    assert comparison_sentence(row, lang=lang) == expected


def test_a_ci_that_excludes_zero_is_still_weak_when_the_adjusted_p_exceeds_alpha():
    row = STRONG.copy()
    row["p_holm"] = 0.08
    assert "evidence is weak" in comparison_sentence(row, lang="en")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Cases with more project integration show higher overall sustainability (Kendall's τ-b = 0.52, "
               "95% CI 0.25 to 0.74; exact p = 0.003, permuted within programmes; n = 26)."),
        ("ko", "사업 간 연계·통합 수준이 높은 사례일수록 종합 지속가능성 수준이 높다 (Kendall τ-b = 0.52, "
               "95% 신뢰구간 [0.25, 0.74]; 정확 p = 0.003, 사업 내 순열검정; n = 26)."),
    ],
)
def test_association_sentences_are_exact_in_both_languages(lang, expected):
    assert association_sentence(ASSOC, lang=lang) == expected


def test_association_with_a_ci_including_zero_is_worded_as_weak_evidence():
    row = {**ASSOC, "ci_low": -0.1, "p_value": 0.2, "strata": None}
    assert association_sentence(row, lang="en") == (
        "Cases with more project integration tend to show higher overall sustainability, but the evidence is weak "
        "(Kendall's τ-b = 0.52, 95% CI −0.10 to 0.74; exact p = 0.200; n = 26).")
    assert "근거는 약하다" in association_sentence(row, lang="ko")


def test_an_odds_ratio_is_judged_against_one_not_zero():
    row = {**ASSOC, "method": "fisher", "statistic": 4.0, "ci_low": 0.8, "ci_high": 30.0, "p_value": 0.01}
    assert "evidence is weak" in association_sentence(row, lang="en")


@pytest.mark.parametrize(
    ("lang", "fit", "expected"),
    [
        ("en", {"consistency": 0.92, "coverage": 0.71},
         "Cases with the combination of representative resident organisation and intermediate support organisation "
         "are mostly sustained (consistency 0.92, coverage 0.71)."),
        ("ko", {"consistency": 0.92, "coverage": 0.71},
         "‘대표 주민조직’ 및 ‘중간지원조직’ 조건을 함께 갖춘 사례는 대체로 지속된다 (일관성 0.92, 포괄성 0.71)."),
        ("ko", {"consistency": 0.7, "coverage": 0.5},
         "‘대표 주민조직’ 및 ‘중간지원조직’ 조건을 함께 갖춘 사례는 지속되는 경향이 있으나 근거는 약하다 "
         "(일관성 0.70, 포괄성 0.50)."),
    ],
)
def test_qca_sentences_are_exact(lang, fit, expected):
    assert qca_sentence("resident_org*intermediary", fit, lang=lang) == expected


def test_negated_conditions_and_alternative_paths_are_read_out():
    text = qca_sentence("resident_org*intermediary + integration*~gov_role", {"consistency": 0.9, "coverage": 0.6}, lang="en")
    assert "; or project integration and low enabling government role" in text


def test_core_task_sentence_in_korean():
    row = {"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1}
    assert core_task_sentence(row, lang="ko") == (
        "사업별·과제별로 일본 사례와의 격차가 가장 큰 것은 KR-P2 사업의 ‘중간지원조직 활성화와 지원’ 과제로, "
        "사업 평균 0.50점, 일본 평균 2.10점이다(0~3 척도).")


@pytest.mark.parametrize(("lang", "note"), [("en", "organisations (2 cases; descriptive): 0.50"),
                                            ("ko", "KR-P2 사업(사례 2개, 기술통계)의 ‘중간지원조직"),
                                            ("ja", "KR-P2事業（2事例、記述統計）の「")])
def test_the_largest_programme_gap_says_how_few_cases_it_rests_on(lang, note):
    # the brief's summary headlined one programme of two sites, the largest of 28 programme-by-task gaps, with no n
    row = {"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1, "n": 2}
    assert note in core_task_sentence(row, lang=lang)
    assert core_task_sentence({**row, "n": pd.NA}, lang=lang) == core_task_sentence(
        {k: v for k, v in row.items() if k != "n"}, lang=lang)


@pytest.mark.parametrize(("lo", "hi", "p", "weak"), [(-0.1, 0.5, 0.01, True), (0.2, 0.6, 0.01, False),
                                                     (0.2, 0.6, 0.2, True), (float("nan"), 0.6, 0.01, True)])
def test_weak_evidence_rule(lo, hi, p, weak):
    assert is_weak(lo, hi, p) is weak


def test_draft_findings_number_each_sentence_and_name_its_result():
    comp = pd.DataFrame([STRONG, WEAK])
    findings = draft_findings({"comparison": comp, "association": pd.DataFrame([ASSOC]),
                               "qca": pd.DataFrame([{"model": "resident_org*intermediary", "consistency": 0.9, "coverage": 0.6}])},
                              lang="en")
    assert findings["number"].tolist() == [1, 2, 3, 4]
    assert findings["result"].tolist() == ["comparison", "comparison", "association", "qca"]
    assert findings["key"].tolist()[:2] == ["resident_org", "leadership"]
    assert findings["weak"].tolist() == [False, True, False, False]
    # a QCA solution passed no test: its evidence is the consistency cut ("supported by the test" overstated it)
    assert findings["evidence"].tolist() == ["supported", "weak", "supported", "meets_cut"]
    low = draft_findings({"qca": pd.DataFrame([{"model": "intermediary", "consistency": 0.7, "coverage": 0.6}])})
    assert low["evidence"].tolist() == ["below_cut"]
    unknown = draft_findings({"qca": pd.DataFrame([{"model": "intermediary", "consistency": float("nan"),
                                                    "coverage": 0.6}])})
    assert unknown[["weak", "evidence"]].values.tolist() == [[True, "no_consistency"]]  # was "meets_cut"
    # the appendix's items all start as names do ("intermediate support ..." came lower-cased from the sentence)
    assert findings["item"].tolist()[3] == "Representative resident organisation and intermediate support organisation"
    assert all(item[:1].isupper() for item in findings["item"])


def test_a_qca_finding_is_judged_and_described_by_the_cuts_of_its_own_run():
    # the brief said "consistency ≥ 0.8 and PRI ≥ 0.5", fuzzy sets, and judged the solution by 0.8, whatever cuts
    # the run's analyse(...) was given
    from krihs_analysis.brief import compose
    from krihs_analysis.pipeline import qca_settings, settings_table

    def _qca_note(tables, lang):  # the note of a brief composed from these tables
        return compose._qca_note(qca_settings(tables), lang)

    qca = pd.DataFrame([{"model": "intermediary", "consistency": 0.85, "coverage": 0.6}])
    standard = {"qca": qca}
    strict = {"qca": qca, "settings": settings_table({"seed": 1, "qca_kind": "crisp", "incl_cut": 0.9,
                                                      "pri_cut": 0.65, "qca_conditions": ["intermediary"]})}
    assert draft_findings(standard)["evidence"].tolist() == ["meets_cut"]
    found = draft_findings(strict)
    assert found[["weak", "evidence"]].values.tolist() == [[True, "below_cut"]]
    assert "weak" in found["text"].iloc[0] or "below" in found["text"].iloc[0]
    assert _qca_note(standard, "en") == (
        "Fuzzy-set QCA of overall sustainability; parsimonious solution of the truth-table rows with consistency ≥ 0.8 "
        "and PRI ≥ 0.5 (PRI: proportional reduction in inconsistency).")
    # each cut as it was set, as notebook 04 and the truth-table figure write it (fmt_cut): not "0.90" for being
    # read beside 0.65, nor "1.0" beside 0.5
    assert _qca_note(strict, "en").startswith("Crisp-set QCA") and "≥ 0.9 and PRI ≥ 0.65 (" in _qca_note(strict, "en")
    assert _qca_note(strict, "ko").startswith("종합 지속가능성에 대한 크리스프셋 QCA. 일관성 0.9 이상, PRI(비일관성 비례 감소) 0.65")
    assert "クリスプ集合QCA。整合度0.9以上、PRI（非整合性の比例的減少）0.65以上" in _qca_note(strict, "ja")
    whole = {"qca": qca, "settings": settings_table({"qca_kind": "crisp", "incl_cut": 0.75, "pri_cut": 1.0})}
    assert "consistency ≥ 0.75 and PRI ≥ 1 (" in _qca_note(whole, "en")


@pytest.mark.parametrize("value", ['"fuzzy-ish"', "2", "true", "not json"])
def test_a_settings_table_with_a_value_settings_table_did_not_write_is_refused(value):
    from krihs_analysis.pipeline import qca_settings

    key = "qca_kind" if "fuzzy" in value else "incl_cut"
    bad = pd.DataFrame({"setting": [key], "value": [value]})
    with pytest.raises(ValueError, match=f"the settings table's '{key}' is"):
        qca_settings({"settings": bad})


def test_a_descriptive_gap_is_not_labelled_as_supported_by_a_test():
    gaps = pd.DataFrame([{"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1}])
    findings = draft_findings({"core_task_gaps": gaps}, lang="ko")
    assert findings[["result", "weak", "evidence"]].values.tolist() == [["core_task_gaps", False, "descriptive"]]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: comparison_sentence(WEAK, lang="ja"),
         "地域のリーダーシップでは、韓国の事例が日本の事例より低い傾向がみられるが、根拠は弱い（中央値：韓国1、日本2；"
         "Cliff's δ = −0.35、95%信頼区間 [−0.70, 0.05]；正確p = 0.060、Holm補正p = 0.300）。"),
        (lambda: association_sentence(ASSOC, lang="ja"),
         "事業間の連携・統合の水準が高い事例ほど、総合的な持続可能性の水準も高い（Kendallのτ-b = 0.52、"
         "95%信頼区間 [0.25, 0.74]；正確p = 0.003、事業内での並べ替え検定；n = 26）。"),
        (lambda: qca_sentence("resident_org*intermediary", {"consistency": 0.92, "coverage": 0.71}, lang="ja"),
         "「地域を代表する住民組織」と「中間支援組織」の条件を併せ持つ事例は、おおむね持続している（整合度 0.92、被覆度 0.71）。"),
        (lambda: core_task_sentence({"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1},
                                    lang="ja"),
         "日本の事例との差が最も大きいのは、KR-P2事業の「中間支援組織の活性化と支援」で、事業平均0.50点、"
         "日本平均2.10点である（0～3の尺度）。"),
    ],
)
def test_japanese_sentences_are_exact(make, expected):
    assert make() == expected


def test_a_comparison_without_an_interval_says_why_and_is_weak():
    row = {**WEAK.to_dict(), "ci_low": float("nan"), "ci_high": float("nan"), "ci_method": "group too small: n = 2"}
    assert comparison_sentence(row, lang="en") == (
        "Korean cases tend to score lower than Japanese cases on local leadership, but the evidence is weak "
        "(median 1 vs 2; Cliff's δ = −0.35, no interval: group too small: n = 2; exact p = 0.060, "
        "Holm-adjusted p = 0.300).")


def test_findings_name_their_rows_in_the_readers_language_and_keep_the_code_key_for_tracing():
    findings = draft_findings({"association": pd.DataFrame([ASSOC])}, lang="ko")
    assert findings.loc[0, "key"] == "integration~sustainability:kendall|programme"
    assert findings.loc[0, "item"] == "사업 간 연계·통합 – 종합 지속가능성 (Kendall τ-b, 사업 내 순열검정)"


def test_an_unknown_brief_language_is_refused_with_the_supported_ones():
    with pytest.raises(ValueError, match="en, ko, ja"):
        comparison_sentence(STRONG, lang="fr")


@pytest.mark.parametrize("alpha", [5, 0, "x", None])
def test_a_significance_level_outside_zero_to_one_is_refused_before_any_sentence_is_worded(alpha):
    # alpha=5 used to make every finding "strong" (p <= 5 always); alpha="x" raised a TypeError from inside.
    row = STRONG.copy()
    row["p_holm"] = 0.6
    for call in (lambda: comparison_sentence(row, lang="en", alpha=alpha),
                 lambda: association_sentence(ASSOC, lang="en", alpha=alpha),
                 lambda: draft_findings({"comparison": pd.DataFrame([row])}, alpha=alpha)):
        with pytest.raises(ValueError, match="alpha is a significance level"):
            call()


def test_compose_refuses_a_bad_alpha_before_drawing_anything(monkeypatch):
    from krihs_analysis import figures
    from krihs_analysis.brief.compose import compose

    def no_drawing(*args, **kwargs):
        raise AssertionError("compose drew a figure before checking alpha")

    monkeypatch.setattr(figures, "country_profile", no_drawing)
    with pytest.raises(ValueError, match="alpha is a significance level"):
        compose({}, pd.DataFrame({"case_id": ["a"]}), lang="en", alpha=5)


def test_the_qca_sentence_names_its_cut_incl_cut_as_the_qca_module_does():
    fit = {"consistency": 0.85, "coverage": 0.6}
    # consistency 0.85 is below a cut of 0.9 (weak wording) and above one of 0.8 (strong wording)
    assert qca_sentence("resident_org", fit, lang="en", incl_cut=0.9) != qca_sentence("resident_org", fit, lang="en",
                                                                                       incl_cut=0.8)
    with pytest.warns(FutureWarning, match="consistency_cut= is renamed incl_cut="):
        old = qca_sentence("resident_org", fit, lang="en", consistency_cut=0.9)
    assert old == qca_sentence("resident_org", fit, lang="en", incl_cut=0.9)


# stop 23: a level of zero is checked even when δ is zero; an unknown method is not called exact ---------------------

_ROW = {"variable": "integration", "median_kr": 2.0, "median_jp": 2.0, "cliffs_delta": 0.0, "ci_low": -0.4,
        "ci_high": 0.4, "p_value": 1.0, "p_holm": 1.0}


@pytest.mark.parametrize("alpha", [5, 0, -0.1, "0.05", None])
def test_comparison_sentence_checks_alpha_also_when_delta_is_zero(alpha):
    with pytest.raises(ValueError, match="alpha"):
        comparison_sentence(_ROW, alpha=alpha)


@pytest.mark.parametrize("row, first", [
    (_ROW, "; p = 1.000"),  # was "exact p = 1.000" for a row that does not say
    ({**_ROW, "p_method": "exact"}, "; exact p = 1.000"),
    ({**_ROW, "p_method": None}, "; p = 1.000"),
    ({**_ROW, "p_method": float("nan")}, "; p = 1.000"),
])
def test_a_p_value_is_called_exact_only_when_the_row_says_so(row, first):
    sentence = comparison_sentence(row)
    assert first in sentence
    if "p_method" not in row or row["p_method"] != "exact":
        assert "exact" not in sentence


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
@pytest.mark.parametrize("method, null", [("kendall", 0.0), ("fisher", 1.0)])
def test_an_association_at_its_null_value_has_no_direction(method, null, lang):
    # τ = 0 read "Cases with more integration tend to show lower sustainability"
    row = {"x": "integration", "y": "sustainability", "method": method, "statistic": null, "ci_low": null - 0.3,
           "ci_high": null + 0.3, "p_value": 1.0, "p_method": "exact", "n": 26, "strata": None}
    sentence = association_sentence(row, lang=lang)
    words = sentence.split(" (")[0].split("（")[0]
    for direction in {"en": ("show higher", "show lower", "tend to"), "ko": ("높", "낮", "경향"),
                      "ja": ("高い", "低い", "傾向")}[lang]:
        assert direction not in words
    with pytest.raises(ValueError, match="alpha"):
        association_sentence(row, lang=lang, alpha=5)


def test_a_fisher_odds_ratio_of_one_up_to_rounding_has_no_direction():
    # A 2x2 table with ad = bc: the conditional-MLE odds ratio comes out a few ulp from 1 (0.9999999999999988 for
    # 4 2 / 6 3), and the sentence said "tend to show lower" beside "odds ratio = 1.00".
    from krihs_analysis.linkage import association

    tables = [(4, 2, 6, 3), (2, 4, 3, 6), (3, 3, 5, 5), (6, 2, 3, 1)]
    for a, b, c, d in tables:
        x = [1] * (a + b) + [0] * (c + d)
        y = [1] * a + [0] * b + [1] * c + [0] * d
        row = association(pd.DataFrame({"resident_org": x, "continued": y}), x="resident_org", y="continued",
                          method="fisher", n_boot=0).iloc[0]
        assert abs(row["statistic"] - 1) < 1e-9
        sentence = association_sentence(row, lang="en")
        assert sentence.startswith("Cases with more representative resident organisation show neither higher nor "
                                   "lower"), (a, b, c, d, row["statistic"], sentence)
    # a real direction, however small, is still worded as one
    row = {"x": "integration", "y": "sustainability", "method": "kendall", "statistic": 1e-6, "ci_low": -0.3,
           "ci_high": 0.3, "p_value": 0.99, "p_method": "exact", "n": 26, "strata": None}
    assert "tend to show higher" in association_sentence(row, lang="en")


def test_qca_words_takes_lang_by_keyword_and_the_old_positional_call_warns():
    from krihs_analysis.brief.text import qca_words

    expected = qca_words("resident_org + ~gov_role", lang="ko")
    with pytest.warns(FutureWarning, match="lang="):
        assert qca_words("resident_org + ~gov_role", "ko") == expected
    assert qca_words("resident_org") == qca_words("resident_org", lang="en")


@pytest.mark.parametrize("lang, says, not_said", [
    ("en", "continues in 11 of 12 Japanese cases, which had no period of national programme support",
     "Korean and 11 of 12 Japanese cases"),
    ("ko", "국비 지원이 없던 일본 사례는 12개 중 11개가 활동 중이다", "일본 12개 중 11개이다"),
    ("ja", "国の事業による支援期間のない日本の事例では12件中11件で活動が続いている", "日本では12件中11件である"),
])
def test_the_status_does_not_say_japanese_activity_outlived_a_support_it_never_had(lang, says, not_said):
    # Every Japanese case of the sample has 0 years of national support; the brief said their activity "continued
    # after national support ended", and each of their cards says "without a period of national programme support"
    from krihs_analysis.brief.compose import case_summary
    from krihs_analysis.brief.text import status_sentence
    from krihs_analysis.data import read_cases

    summary = case_summary(read_cases())
    assert summary["n_unsupported_jp"] == summary["n_jp"] == 12
    text = status_sentence(summary, lang=lang)
    assert says in text and not_said not in text
    supported = {**summary, "n_unsupported_jp": 3}  # some supported: the one sentence for both countries
    assert not_said in status_sentence(supported, lang=lang)


def test_a_cut_family_list_still_names_every_kind_of_test():
    # the brief's method note says the Holm family is named in the appendix; at 8 of the standard set's 15 the one
    # association test, listed last, was among the "7 more"
    import pandas as pd

    from krihs_analysis.brief.document import family_note
    from krihs_analysis.compare import default_variables

    variables = default_variables()[:14]
    assert len(variables) == 14
    fam = pd.DataFrame({"result": ["comparison"] * 14 + ["association"],
                        "key": variables + ["integration~sustainability:kendall"],
                        "x": [None] * 14 + ["integration"], "y": [None] * 14 + ["sustainability"],
                        "family": "standard set", "adjustment": "holm"})
    note = family_note({"family": fam}, lang="en", max_members=8)
    assert "Project integration – Overall sustainability" in note and note.endswith("and 7 more.")


@pytest.mark.parametrize("lang, want", [
    ("ko", "‘중간지원조직’ 및 ‘사업 간 연계·통합’"),
    ("ja", "「中間支援組織」と「事業間の連携・統合」"),
    ("en", "intermediate support organisation and project integration"),
])
def test_a_solution_in_words_shows_how_many_conditions_it_has(lang, want):
    # "[중간지원조직, 사업 간 연계·통합]" and "「中間支援組織と事業間の連携・統合」" read as three conditions: the label
    # 연계·통합 holds the same dot that lists them. Each condition is now quoted.
    import re

    from krihs_analysis.brief.text import qca_words

    words = qca_words("intermediary*integration", lang=lang)
    assert want in words
    if lang != "en":
        assert len(re.findall(r"‘[^’]+’|「[^」]+」", words)) == 2
    assert qca_words("intermediary*integration + ~gov_role", lang=lang).count(
        {"en": "; or ", "ko": " 또는 ", "ja": "、または"}[lang]) == 1


@pytest.mark.parametrize("model, lang, want", [
    ("intermediary", "ko", "‘중간지원조직’ 조건을 갖춘 사례는 대체로 지속된다"),
    ("intermediary", "ja", "「中間支援組織」の条件を備える事例は"),
    ("intermediary + integration", "ja", "「中間支援組織」、または「事業間の連携・統合」のいずれかの条件の組み合わせを備える"),
    ("intermediary + integration", "en", "Cases on any of these paths are mostly sustained: intermediate support"),
    ("intermediary*integration", "ko", "‘중간지원조직’ 및 ‘사업 간 연계·통합’ 조건을 함께 갖춘 사례는"),
])
def test_a_solution_of_one_condition_or_of_several_paths_is_not_called_conditions_together(model, lang, want):
    # (review) "「中間支援組織」の条件を併せ持つ事例" of one condition; "‘A’ 또는 ‘B’ 조건을 함께 갖춘" of a choice
    from krihs_analysis.brief.text import qca_sentence

    text = qca_sentence(model, {"consistency": 0.92, "coverage": 0.71}, lang=lang)
    assert want in text
    assert ("함께" in text or "併せ持つ" in text) == ("*" in model and "+" not in model)


@pytest.mark.parametrize(("lang", "words"), [("en", "(yes: Korea 64%, Japan 92%; "),
                                             ("ko", "(‘예’ 비율 한국 64%, 일본 92%; "),
                                             ("ja", "（「はい」の割合：韓国64%、日本92%；")])
def test_a_yes_no_item_is_compared_by_its_shares_of_yes_not_its_medians(lang, words):
    # "Activity continued": "(median 1 vs 1; Cliff's δ = −0.27 ...)" said nothing of 64% against 92%
    from krihs_analysis.compare import compare_countries
    from krihs_analysis.data import read_cases

    row = compare_countries(read_cases(), variables=["continued"], n_boot=0).iloc[0]
    said = comparison_sentence(row, lang=lang)
    assert words in said and "1 vs 1" not in said, said
    # a row saved without the means keeps its medians
    assert "median 1 vs 1" in comparison_sentence(row.drop(["mean_kr", "mean_jp"]), lang="en")
