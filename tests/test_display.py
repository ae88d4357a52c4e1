"""What notebooks show: tables, prose and banners in the reader's language."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from krihs_analysis.display import header, labelled, prose
from krihs_analysis.wording import phrase


def test_labelled_reads_in_korean_with_labels_for_names_methods_and_headers():
    t = pd.DataFrame({"variable": ["integration"], "ci_method": ["group too small: n = 2 cases"],
                      "p_value": [0.00002], "p_holm": [0.04], "ci_low": [np.nan], "strata": [None]})
    out = labelled(t, lang="ko")
    assert out.index.tolist() == ["사업 간 연계·통합"] and out.index.name == "변수"
    assert out.columns.tolist() == ["구간 추정 방법", "p값", "p값(Holm 보정)", "95% 신뢰구간 하한", "층"]
    assert out.iloc[0].tolist() == ["집단이 작아 구간 없음: 사례 2개", "< 0.001", "0.040", "–", "–"]


def test_labelled_never_shows_pandas_positions_and_leaves_the_input_alone():
    t = pd.DataFrame({"n": [3, 4], "share": [0.25, 0.75]})
    out = labelled(t, lang="ja")
    assert out.index.tolist() == [1, 2] and out.columns.tolist() == ["事例数", "割合"]
    assert t.columns.tolist() == ["n", "share"]


def test_a_method_word_nobody_translated_stays_as_it_is():
    assert labelled(pd.DataFrame({"variable": ["integration"], "ci_method": ["jackknife"]}), lang="ko").iloc[0, 0] == "jackknife"


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_prose_joins_the_wrapped_lines_of_a_paragraph_as_the_language_writes(lang):
    text = prose("nb01_intro", lang=lang).data
    assert "\n" not in text
    if lang == "ja":
        assert not re.search(r"[\u3040-\u9fff] [\u3040-\u9fff]", text)  # no space where the file broke a line


def test_header_falls_back_to_the_codebook_then_to_the_name():
    assert header("gov_role", lang="en") == "Enabling government role"
    assert header("no_such_column", lang="ko") == "no_such_column"


def test_header_takes_lang_by_keyword_and_the_old_positional_form_warns():
    with pytest.warns(FutureWarning, match="pass lang= by keyword"):
        assert header("gov_role", "ko") == header("gov_role", lang="ko")
    with pytest.raises(ValueError, match="pass the language once"):
        header("gov_role", "ko", lang="ja")


# stop 23: a new row index never drops the one the frame had --------------------------------------------------------

def test_labelled_keeps_the_frames_own_index_as_a_column_or_a_level():
    frame = pd.DataFrame({"term": ["a", "b"], "level": ["x", "y"], "estimate": [1.0, 2.0]}).set_index("level")
    one = labelled(frame, index="term")
    assert one.index.tolist() == ["a", "b"] and one[header("level")].tolist() == ["x", "y"]  # was dropped
    two = labelled(frame, index=["term", "level"])
    assert two.index.names == [header("term"), header("level")] and two.index.tolist() == [("a", "x"), ("b", "y")]
    by_default = labelled(frame.assign(country=["KR", "JP"]))  # the first name column becomes the index
    assert by_default.index.tolist() == ["Korea", "Japan"] and by_default[header("level")].tolist() == ["x", "y"]
    assert frame.index.name == "level" and "country" not in frame  # the input is untouched


def test_a_column_of_numbers_keeps_one_number_of_decimals_also_with_a_dash_in_it():
    # A column with a missing value became text, and 0.9 stood among 0.938 and 0.626 (notebook 03's intervals)
    t = pd.DataFrame({"variable": ["integration", "gov_role", "activators"], "ci_high": [0.9001, 0.938, np.nan],
                      "median_kr": [1.0, 2.5, -3.0], "n": [1, 2, 3]})
    out = labelled(t, lang="en")
    assert out.iloc[:, 0].tolist() == ["0.900", "0.938", "–"]
    assert out.iloc[:, 1].tolist() == ["1.0", "2.5", "−3.0"]  # the fewest decimals that show each value, as pandas
    assert out.iloc[:, 2].tolist() == [1, 2, 3]


def test_a_term_or_expression_in_a_table_starts_like_the_other_names():
    # "project integration" (worded for a sentence) stood below "Project integration" in notebook 03's tables
    t = pd.DataFrame({"term": ["integration", "resident_org*integration", "0|1", "~gov_role*integration",
                               "x*integration", "a*b"], "estimate": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    assert labelled(t, index="term").index.tolist() == [
        "Project integration", "Representative resident organisation · project integration", "0|1",
        "~Enabling government role · project integration", "x · project integration", "a · b"]
    assert labelled(t, index="term", lang="ko").index.tolist()[0] == "사업 간 연계·통합"


def test_labelled_shows_every_cell_in_full_in_html_and_text():
    # pandas cut cells at 50 characters: the QCA tables read "Intermediate support organisation · project in..."
    t = pd.DataFrame({"term": ["intermediary*integration*resident_planning"], "cases": ["KR-P1-A,KR-P2-A,JP-01"],
                      "consistency": [0.9]})
    out = labelled(t, lang="en", index="term")
    full = "Intermediate support organisation · project integration · resident-driven planning"
    assert out.index[0] == full and len(full) > 50
    assert full in out._repr_html_() and full in repr(out)
    assert out.iloc[0, 0] == "KR-P1-A, KR-P2-A, JP-01"  # a case list a line can break in
    with pd.option_context("display.max_colwidth", 50):
        assert "..." not in repr(out) and "..." not in out._repr_html_()


def test_labelled_short_cells_and_row_names_stay_on_one_line_and_korean_breaks_between_words():
    t = pd.DataFrame({"case_id": ["KR-P1-B"], "p_value": [0.00001],
                      "term": ["intermediary*integration*resident_planning"]})
    html = labelled(t, lang="ko", index="case_id")._repr_html_()
    assert '<th style="white-space: nowrap">KR-P1-B</th>' in html
    assert '<td style="white-space: nowrap">&lt; 0.001</td>' in html
    long_cell = re.search(r"<td[^>]*>중간지원조직[^<]*</td>", html).group(0)
    assert "nowrap" not in long_cell  # a long label may wrap
    assert 'style="word-break: keep-all"' in html
    # a case list breaks between ids, never inside one (the truth table showed "KR- / P6-A")
    cases = labelled(pd.DataFrame({"row": [1], "cases": ["KR-P1-A,KR-P6-A,JP-11,JP-12,JP-13"]}), lang="ko",
                     index="row")._repr_html_()
    assert ('<span style="white-space: nowrap">KR-P6-A</span>, <span style="white-space: nowrap">JP-11</span>'
            in cases)
    # a Korean particle after an id is not part of it: "KR-P6-A와" kept only "KR-P6" together
    said = labelled(pd.DataFrame({"row": [1], "cases": ["사례 KR-P6-A와 JP-11은 현장 점검이 필요합니다"]}), lang="ko",
                    index="row")._repr_html_()
    assert '<span style="white-space: nowrap">KR-P6-A</span>와' in said and \
        '<span style="white-space: nowrap">JP-11</span>은' in said
    assert "keep-all" not in labelled(t, lang="ja", index="case_id")._repr_html_()
    # a short header stays whole ("사례 / 수" over the truth table's narrow count column); a long one may wrap
    heads = labelled(pd.DataFrame({"variable": ["gov_role", "integration"], "n": [26, 12], "cliffs_delta": [0.1, 0.2],
                                   "median_kr": [1.0, 2.0]}), lang="ko")._repr_html_()
    assert '<th style="white-space: nowrap">사례 수</th>' in heads
    assert '<th style="white-space: nowrap">Cliff\'s δ</th>' in heads.replace("&#x27;", "'")
    assert "<th>중앙값(한국)</th>" in heads


@pytest.mark.parametrize("lang, long, short", [
    ("ko", "군집(독립적이지 않은 사례 묶음)", "정확 검정"),
    ("ja", "クラスター(独立でない事例のまとまり)", "正確検定"),
])
def test_a_korean_or_japanese_cell_counts_as_wide_as_it_shows_when_it_may_wrap(lang, long, short):
    # 18 Hangul are as wide as 32 Latin letters: counted as 18 characters the cell stayed on one line and pushed
    # notebook 03's association table past the right edge of the page
    html = labelled(pd.DataFrame({"row": [1], "cluster": [long], "method": [short]}), lang=lang,
                    index="row")._repr_html_()
    assert f"<td>{long}</td>" in html
    assert f'<td style="white-space: nowrap">{short}</td>' in html


@pytest.mark.parametrize("lang,yes,no", [("en", "Yes", "No"), ("ko", "예", "아니요"), ("ja", "はい", "いいえ")])
def test_labelled_true_false_read_as_words_and_any_missing_value_as_a_dash(lang, yes, no):
    t = pd.DataFrame({"case_id": ["a", "b", "c"], "exact": [True, False, True],
                      "unique": pd.array([True, None, False], dtype="boolean"),
                      "row": pd.array([None, 23, None], dtype="Int64"),
                      "most_typical": np.array([True, False, False], dtype=object)})
    t["flag_arrow"] = pd.array([False, True, None], dtype="bool[pyarrow]")
    t["flag_category"] = pd.Categorical([True, None, False])
    out = labelled(t, lang=lang, index="case_id")
    assert out.iloc[:, 0].tolist() == [yes, no, yes]
    assert out.iloc[:, 1].tolist() == [yes, "–", no]
    assert out.iloc[:, 3].tolist() == [yes, no, no]
    assert out.iloc[:, 4].tolist() == [no, yes, "–"] and out.iloc[:, 5].tolist() == [yes, "–", no]
    # a count keeps its type (the table still sorts and saves); only what is shown has the dash
    assert str(out.iloc[:, 2].dtype) == "Int64" and out.iloc[:, 2].sort_values().iloc[0] == 23
    for shown in (repr(out), out._repr_html_()):
        assert "<NA>" not in shown and "&lt;NA&gt;" not in shown and "True" not in shown and "–" in shown
    assert repr(out).splitlines()[-1].split()[3] == "–"  # was "<NA>"


def test_labelled_english_method_words_start_a_cell_with_a_capital_and_a_users_own_words_stay():
    t = pd.DataFrame({"group": ["pooled", "JP"], "level": ["term", "my level"], "ci_method": ["BCa", "exact"]})
    out = labelled(t, lang="en")
    assert out.index.tolist() == ["Pooled", "Japan"]
    assert out.iloc[:, 0].tolist() == ["Term", "my level"]
    assert out.iloc[:, 1].tolist() == ["BCa bootstrap", "Exact"]
    assert labelled(t, lang="ko").iloc[:, 0].tolist() == ["항", "my level"]


@pytest.mark.parametrize("lang,want", [("en", "Project integration ↔ overall sustainability"),
                                       ("ko", "사업 간 연계·통합 ↔ 종합 지속가능성")])
def test_leave_one_outs_association_term_reads_as_a_pair_not_as_a_negation(lang, want):
    # "integration~sustainability" read "Project integration~overall sustainability", as if "~" negated
    out = labelled(pd.DataFrame({"term": ["integration~sustainability", "~integration"]}), lang=lang, index="term")
    assert out.index[0] == want and out.index[1].startswith("~")


def _solution(kind):
    from krihs_analysis import qca
    from krihs_analysis.data import read_cases

    conditions = ["resident_org", "intermediary", "resident_planning", "gov_role", "integration"]
    data = qca.from_cases(read_cases(), outcome="sustainability", conditions=conditions)
    tt = qca.truth_table(data, "sustainability", conditions, incl_cut=0.8, pri_cut=0.5)
    return qca.minimize(tt, kind=kind, **({"dir_exp": {c: 1 for c in conditions}} if kind == "intermediate" else {}))


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_solution_note_says_the_solution_in_the_readers_words_with_what_it_assumed(lang):
    from krihs_analysis.display import solution_note

    # notebook 04 printed R's notation ("intermediary*integration -> sustainability") on Korean and Japanese pages
    pars, inter = _solution("parsimonious"), _solution("intermediate")
    note = solution_note(pars, lang=lang)
    assert "intermediary" not in note.data and not re.search(r"\w\*\w", note.data) and "->" not in note.data
    # Korean keeps R's AND sign, spaced (its labels hold middle dots); Markdown must show it, not italicise: a "*"
    # with a space on both sides opens and closes no emphasis in CommonMark
    assert (" * " in note.data) == (lang == "ko")
    body = re.sub(r"^\*\*[^*]+\*\*", "", note._repr_markdown_()).replace("\\*", "")
    assert not re.search(r"\S\*|\*\S", body)
    assert {"en": "Intermediate support organisation", "ko": "중간지원조직", "ja": "中間支援組織"}[lang] in note.data
    rows = ", ".join(map(str, pars.simplifying_assumptions))
    assert rows and rows in note.data  # the remainders it assumed are named by row
    # the bold closes before the full stop: "**簡潔解。**M1" showed its asterisks (CommonMark's flanking rules)
    assert re.match(r"\*\*[^*.。]+\*\*[.。]", note._repr_markdown_())
    counterfactuals = solution_note(inter, lang=lang).data
    assert ", ".join(map(str, inter.difficult_counterfactuals)) in counterfactuals
    # no easy counterfactual is "none": the table word for a missing interval said "Easy counterfactuals (rows):
    # no interval"
    assert not inter.easy_counterfactuals
    none = {"en": "Easy counterfactuals (rows): none;", "ko": "쉬운 반사실(행): 없음;", "ja": "容易な反実仮想（行）：なし；"}
    assert none[lang] in counterfactuals


def test_prose_fields_are_data_not_markdown():
    # "Test solutions: intermediary*integration, intermediary*integration" rendered "integration, intermediary" in
    # italics; a negated condition "~a" would strike through
    note = prose("nb04_tests", lang="en", tests="a*b, ~c*d")
    assert note.data == "Test solutions: a*b, ~c*d."
    assert note._repr_markdown_() == r"Test solutions: a\*b, \~c\*d."


@pytest.mark.parametrize("lang,want", [("en", "(Intercept)"), ("ko", "(절편)"), ("ja", "（切片）")])
def test_a_models_intercept_term_reads_in_the_readers_language(lang, want):
    # firth_logit's "(Intercept)" stayed in English on the Korean page of notebook 03
    out = labelled(pd.DataFrame({"term": ["(Intercept)", "integration"], "estimate": [0.5, 1.2]}), lang=lang,
                   index="term")
    assert out.index[0] == want


def test_labelled_leaves_the_method_word_none_as_a_word_and_capitalises_every_known_word():
    # "none" became "None", then a dash, as if the interval were missing; a word with a number stayed lower-case.
    # Capitalised, "None" still read as Python's missing value in notebook 03's table: it says "No interval".
    t = pd.DataFrame({"variable": ["integration", "sustainability"],
                      "ci_method": ["none", "none (stratum too small for a within-stratum bootstrap: n = 3 cases)"]})
    assert labelled(t, lang="en").iloc[:, 0].tolist() == [
        "No interval", "No interval (stratum too small for a within-stratum bootstrap: n = 3 cases)"]
    assert labelled(t, lang="ko").iloc[0, 0] == "없음"


def test_an_empty_labelled_table_prints_as_an_empty_table():
    assert repr(labelled(pd.DataFrame({"n": pd.Series([], dtype="int64")}), lang="en")).startswith("Empty DataFrame")


def test_prose_keeps_markdown_a_field_means_and_file_names_without_backslashes():
    from krihs_analysis.display import solution_note  # noqa: F401 (the escaping rule is shared)

    note = prose("nb04_tests", lang="en", tests="the case *coding* in cases_sample.csv; a*b")
    assert note._repr_markdown_() == r"Test solutions: the case *coding* in cases_sample.csv; a\*b."


def test_a_one_row_table_has_no_row_counter_and_a_longer_one_counts_from_one():
    # leave-one-out's one-row summary showed a stray "1" before its term
    one = labelled(pd.DataFrame({"term": ["integration~sustainability"], "statistic": [0.787]}), lang="en",
                   columns=[])
    counter = re.compile(r"<th[^>]*>(\d)</th>")
    assert counter.findall(one._repr_html_()) == [] and not repr(one).splitlines()[1].lstrip().startswith("1 ")
    two = labelled(pd.DataFrame({"term": ["a", "b"], "statistic": [0.787, 0.5]}), lang="en", columns=[])
    assert counter.findall(two._repr_html_()) == ["1", "2"]


@pytest.mark.parametrize("lang, molit, mic", [("en", "MOLIT", "MIC"), ("ko", "국토교통부", "총무성"),
                                              ("ja", "国土交通部", "総務省")])
def test_a_ministry_reads_as_the_readers_own_name_for_it(lang, molit, mic):
    # Korean pages showed MOLIT, MOIS and MCST; a ministry written otherwise keeps the sheet's words
    t = labelled(pd.DataFrame({"programme": ["KR-P1", "JP-RMO", "KR-P9"],
                               "ministry": ["MOLIT", "MIC (総務省)", "어느 부처"]}), lang=lang, index="programme")
    assert list(t.iloc[:, 0]) == [molit, mic, "어느 부처"]


def test_columns_of_one_kind_share_their_number_of_decimals():
    # notebook 02 wrote a programme's median 1.5 beside the benchmark's 3 (and 3.0 in the table above it)
    t = labelled(pd.DataFrame({"variable": ["resident_org", "gov_role"], "median_group": [1.5, 0.0],
                               "median_ref": [3.0, 2.0], "ci_low": [0.1, 0.25], "ci_high": [0.5, 1.0],
                               "statistic": [0.2, 0.3]}), lang="en", index="variable")
    shown = pd.DataFrame(t)
    assert list(shown.iloc[:, 1]) == ["3.0", "2.0"] and list(shown.iloc[:, 0]) == ["1.5", "0.0"]
    assert list(shown.iloc[:, 2]) == ["0.10", "0.25"] and list(shown.iloc[:, 3]) == ["0.50", "1.00"]
    assert list(shown.iloc[:, 4]) == ["0.2", "0.3"]  # a kind of its own keeps its own


def test_the_qca_measures_keep_three_decimals_and_a_ranges_cuts_share_theirs():
    # notebook 04's robust core read "1" for ratios of exactly 1 (like a count), the cluster distances 0.038 beside
    # 0.02, and the threshold range 0.8 beside 0.05
    t = pd.DataFrame(labelled(pd.DataFrame({"RF_cov": [1.0], "RCR_typ": [1.0], "core_coverage": [0.5]}), lang="en"))
    assert list(t.iloc[0]) == ["1.000", "1.000", "0.500"]
    t = pd.DataFrame(labelled(pd.DataFrame({"group": ["pooled", "JP"], "consistency": [1.0, 0.9], "dBP": [0.038, 0.038],
                                            "dWP": [0.02, 0.02], "n": [26, 12]}), lang="en", index="group"))
    assert list(t["Between-group distance"]) == ["0.038"] * 2 and list(t["Within-group distance"]) == ["0.020"] * 2
    assert list(t["Consistency"]) == ["1.000", "0.900"]
    r = pd.DataFrame(labelled(pd.DataFrame({"parameter": ["incl_cut", "n_cut"], "value": [0.8, 1.0],
                                            "lower": [0.05, 1.0], "upper": [0.95, 1.0]}), lang="en",
                              index="parameter"))
    # ... and the frequency cut, a count of cases, reads as one ("1", not "1.00" like a cut), in its row only
    assert list(r.iloc[0]) == ["0.80", "0.05", "0.95"] and list(r.iloc[1]) == ["1"] * 3
    r = pd.DataFrame(labelled(pd.DataFrame({"parameter": ["n_cut", "incl_cut"], "value": [2.0, 0.75],
                                            "lower": [1.0, 0.7], "upper": [np.nan, 1.0]}), lang="ja",
                              index="parameter"))
    assert list(r.iloc[0]) == ["2", "1", "–"] and list(r.iloc[1]) == ["0.75", "0.70", "1.00"]
    # the same with the parameters already the index
    ranges = pd.DataFrame({"parameter": ["incl_cut", "n_cut"], "value": [0.8, 1.0], "lower": [0.05, 1.0],
                           "upper": [0.95, 1.0]})
    for shown in (labelled(ranges.set_index("parameter"), lang="en"),
                  labelled(ranges.set_index("parameter"), lang="en", index="parameter")):
        assert list(pd.DataFrame(shown).iloc[1]) == ["1"] * 3
    # a group's mean and median index alike (notebook 02: a mean 2.383 beside a median 2.40)
    m = pd.DataFrame(labelled(pd.DataFrame({"mean": [2.383333, 0.9], "median": [2.4, 1.0]}), lang="en"))
    assert list(m["Median"]) == ["2.400", "1.000"]
    # other tables keep the fewest decimals that show every value
    assert list(pd.DataFrame(labelled(pd.DataFrame({"mean": [1.0, 2.0]}), lang="en"))["Mean"]) == ["1", "2"]


@pytest.mark.parametrize("lang, interval, p_from", [
    ("en", "Interval: BCa bootstrap", "p from: Exact"),
    ("ko", "구간 추정 방법: BCa 부트스트랩", "p값 산출 방법: 정확 검정"),
    ("ja", "区間の推定法：BCaブートストラップ", "p値の算出法：正確検定"),
])
def test_a_method_the_same_on_every_row_is_said_once_above_the_table(lang, interval, p_from):
    # notebook 02's comparison repeated "BCa bootstrap (whole clusters resampled)" and "Exact (whole clusters
    # permuted, full enumeration)" on each of 14 rows, three lines tall each
    frame = pd.DataFrame({"variable": ["resident_org", "gov_role"], "cliffs_delta": [-0.5, -0.2],
                          "ci_method": ["BCa", "BCa"], "p_value": [0.01, 0.2], "p_method": ["exact", "exact"]})
    t = labelled(frame, lang=lang, index="variable")
    assert len(t.columns) == 2 and t.attrs["table_notes"][0].startswith(interval) and t.attrs["table_notes"][1].startswith(p_from)
    assert repr(t).splitlines()[:2] == t.attrs["table_notes"]
    html = t._repr_html_()
    assert html.startswith('<p class="kb-table-note"') and html.index(interval) < html.index("<table")
    # a method that differs between rows stays a column, and so does one of a one-row table (nothing repeats)
    mixed = labelled(frame.assign(ci_method=["BCa", "group too small: n = 2"]), lang=lang, index="variable")
    assert len(mixed.columns) == 3 and len(mixed.attrs["table_notes"]) == 1
    assert len(labelled(frame.head(1), lang=lang, index="variable").columns) == 4
    assert list(frame.columns) == ["variable", "cliffs_delta", "ci_method", "p_value", "p_method"]


def test_a_count_in_the_thousands_reads_as_the_prose_writes_it_and_a_year_does_not():
    # notebook 04's gap test printed 9999 permutations under a paragraph that said 9,999
    t = pd.DataFrame(labelled(pd.DataFrame({"term": ["a", "b"], "n_permutations": [9999, 9999], "n": [26, 12],
                                            "start_year": [2015, 2021]}), lang="ja", index="term"))
    assert list(t.iloc[:, 0]) == ["9,999", "9,999"]
    assert list(t.iloc[:, 1]) == [26, 12] and list(t.iloc[:, 2]) == [2015, 2021]


def test_no_method_at_all_is_no_note_and_a_count_with_a_gap_still_reads_as_a_count():
    # found in review: a method column missing on every row became the note "Interval: –", and a count column
    # with a gap in it (a float column after a merge) printed 9999 where the whole column printed 9,999
    t = labelled(pd.DataFrame({"variable": ["resident_org", "gov_role"], "x": [1.0, 2.0],
                               "ci_method": [np.nan, np.nan]}), lang="en")
    assert t.attrs["table_notes"] == [] and "Interval" in t.columns
    shown = pd.DataFrame(labelled(pd.DataFrame({"n_permutations": [9999.0, np.nan, 12.0]}), lang="en"))
    assert list(shown.iloc[:, 0]) == ["9,999", "–", 12]
    # a context table's own notes (read_context keeps its notes in attrs) are not taken for the table's
    frame = pd.DataFrame({"variable": ["a", "b"], "score": [1.0, 2.0]})
    frame.attrs["notes"] = "MIC's own notes"
    assert repr(labelled(frame, lang="en")).splitlines()[0].split() == ["Score"]


@pytest.mark.parametrize("lang, want", [
    ("en", "Crisp-set QCA of overall sustainability on 2 conditions: project integration and intermediate support "
           "organisation."),
    ("ko", "크리스프셋 QCA입니다. 결과는 종합 지속가능성, 조건은 2개(사업 간 연계·통합, 중간지원조직)입니다."),
    ("ja", "クリスプ集合QCAです。結果は総合的な持続可能性、条件は2個（事業間の連携・統合、中間支援組織）です。"),
])
def test_notebook_04_introduces_the_conditions_and_kind_it_was_run_with(lang, want):
    # The introduction listed five fixed conditions as a "fuzzy-set" QCA, whatever the run's parameters, and its
    # Korean named the government role differently from every table below it ("지원하는 정부 역할")
    calibration = prose("nb04_calibration_crisp", lang=lang, threshold=3).data
    text = prose("nb04_intro", lang=lang, kind=phrase("common", "qca_kind_crisp", lang), outcome=["sustainability"],
                 n=2, conditions=["integration", "intermediary"], calibration=calibration).data
    assert text.startswith(want)
    # and says how the codes became sets (the page named a calibration it never showed)
    assert calibration in text and "3" in calibration
    assert "지원하는 정부 역할" not in prose("nb04_intro", lang="ko", kind="", outcome=["sustainability"], n=1,
                                           conditions=["gov_role"], calibration="").data


def test_a_list_field_keeps_a_countrys_capital_and_lowers_a_variables():
    # found in review: ["KR", "JP"] read "korea and japan"
    assert prose("nb04_intro", lang="en", kind="Crisp-set", outcome=["sustainability"], n=2,
                 conditions=["KR", "integration"], calibration="").data.startswith(
        "Crisp-set QCA of overall sustainability on 2 conditions: Korea and project integration.")


@pytest.mark.parametrize("by", ["country", "programme"])
def test_every_column_of_a_comparison_is_headed_in_the_readers_words(by):
    # the means added to compare_countries showed as mean_kr, mean_group in a Korean table
    from krihs_analysis.compare import compare_countries
    from krihs_analysis.data import read_cases

    comp = compare_countries(read_cases(), variables=["continued"], by=by, n_boot=0)
    for lang in ("en", "ko", "ja"):
        shown = labelled(comp, lang=lang)
        headers = [*shown.columns, *shown.index.names]
        raw = [h for h in headers if isinstance(h, str) and h in comp.columns]
        assert not raw, (lang, raw)
