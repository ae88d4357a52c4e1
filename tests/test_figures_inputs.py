"""User mistakes at the figure functions are a ValueError that says what to change (issue 11).

Never a TypeError, KeyError, AttributeError or IndexError from inside, nor matplotlib's or pandas' own message; and
no silent acceptance (``name="x.png"`` written as ``x.png.png``, ``year=2021.5`` read as 2021, ``country="Korea"``
drawn in the neutral colour). Every check fails before anything is drawn; the few tests that show what is still
accepted draw a figure, so the file runs with the figure tests (not in ``make test-fast``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from krihs_analysis.compare import case_profile  # noqa: E402
from krihs_analysis.data import read_cases, read_context  # noqa: E402
from krihs_analysis.figures import baselines as bl  # noqa: E402
from krihs_analysis.figures import catalogue as cat  # noqa: E402
from krihs_analysis.figures import style as st  # noqa: E402
from krihs_analysis.figures.cards import case_card  # noqa: E402
from krihs_analysis.figures.fiscal import fiscal_context  # noqa: E402
from krihs_analysis.figures.qca_by_group import baseline_input, qca_groups  # noqa: E402
from krihs_analysis.figures.save import close_figure, figure_bytes, save_figure, write_catalogue  # noqa: E402


@pytest.fixture(scope="module")
def res():
    from krihs_analysis.pipeline import analyse

    return analyse(read_cases(), n_boot=99)


@pytest.fixture(scope="module")
def fig():
    return bl.draw("rmo_trend", "en")


def one_axes():
    return st.new_figure()[1][0, 0]


def two_axes():
    return st.new_figure(ncols=2)[1][0]  # an array of two Axes, as plt.subplots(1, 2) gives


def with_value(frame: pd.DataFrame, column: str, value, row: int = 0) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].astype(object)
    out.loc[out.index[row], column] = value
    return out


# --------------------------------------------------------------------------------------------------------------
# 1. dpi


@pytest.mark.parametrize("dpi", ["x", 0, -5, None, float("nan")])
@pytest.mark.parametrize("call", ["figure_bytes", "save_figure", "write_catalogue"])
def test_dpi_must_be_a_positive_number(call, dpi, fig, tmp_path):
    calls = {
        "figure_bytes": lambda: figure_bytes(fig, "png", dpi=dpi),
        "save_figure": lambda: save_figure(fig, "x", dpi=dpi, out_dir=tmp_path),
        "write_catalogue": lambda: write_catalogue(dpi=dpi, out_dir=tmp_path),  # refused before the analysis
    }
    with pytest.raises(ValueError, match=r"dpi must be a number above 0, got .*; pass e\.g\. dpi=300"):
        calls[call]()
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------------------------------------------
# 2. save_figure


@pytest.mark.parametrize(
    "bad, fragment",
    [
        (None, "pass what a figure function returns"),
        (pd.DataFrame({"a": [1]}), "pass what a figure function returns"),
        ("two_axes", r"pass their Figure, e\.g\. axes\[0\]\.figure"),
        ({"rmo_trend": None}, r"save each one: for name, f in figures\.items\(\)"),
    ],
    ids=["None", "DataFrame", "array-of-axes", "catalogue-dict"],
)
def test_save_figure_wants_a_figure_or_one_axes(bad, fragment, tmp_path):
    bad = two_axes() if isinstance(bad, str) else bad
    with pytest.raises(ValueError, match=r"fig must be a matplotlib Figure or one Axes.*" + fragment):
        save_figure(bad, "x", out_dir=tmp_path, formats="png")


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"name": 5}, r"name must be a string, got 5 \(int\); pass e\.g\. name="),
        ({"name": "x.png"}, r"without the extension.*drop '\.png': name='x'"),
        ({"name": "chart.PDF"}, r"drop '\.PDF': name='chart'"),
        ({"alt_text": 5}, r"alt_text must be a string or None, got 5"),
        ({"formats": ["png", "gif"]}, r"each of formats must be one of 'png', 'svg', 'pdf', got 'gif'"),
        ({"formats": None}, r"formats must be one string or a list of strings, got None"),
    ],
    ids=["name-int", "name-with-extension", "name-with-upper-extension", "alt-text-int", "format-gif",
         "formats-None"],
)
def test_save_figure_names_and_texts(kwargs, fragment, fig, tmp_path):
    args = {"name": "x", "formats": "png", "out_dir": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=fragment):
        save_figure(fig, **args)
    assert not list(tmp_path.iterdir())  # nothing written, not even x.png.png


@pytest.mark.parametrize("call", ["save_figure", "write_catalogue"])
def test_out_dir_must_be_a_folder(call, fig, tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match=r"out_dir must be a folder, but .*notes\.txt' is a file; pass the folder"):
        if call == "save_figure":
            save_figure(fig, "x", out_dir=a_file, formats="png")
        else:
            write_catalogue(out_dir=a_file, include="rmo_trend")
    with pytest.raises(ValueError, match=r"out_dir must be a path \(text or a pathlib\.Path\), got an int"):
        save_figure(fig, "x", out_dir=5, formats="png")


def test_save_figure_takes_one_format_string_as_one_format(fig, tmp_path):
    entry = save_figure(fig, "rmo", formats="png", dpi=20, out_dir=tmp_path)
    assert entry["files"] == {"png": "rmo.png"}
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["figures.json", "rmo.png"]


# --------------------------------------------------------------------------------------------------------------
# 3. write_catalogue: languages, formats, figures


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"langs": None}, r"langs must be one string or a list of strings, got None; pass e\.g\. langs='all'"),
        ({"langs": 5}, r"langs must be one string or a list of strings, got 5"),
        ({"langs": []}, r"langs is empty; give at least one, e.g. langs="),
        ({"formats": "gif"}, r"each of formats must be one of 'png', 'svg', 'pdf', got 'gif'"),
        ({"include": "pie_chart"}, r"unknown figure\(s\) \['pie_chart'\]"),
        ({"include": 5}, r"include must be one string or a list of strings, got 5; pass e\.g\. include=\["),
    ],
    ids=["langs-None", "langs-int", "langs-empty", "formats-gif", "include-unknown", "include-int"],
)
def test_write_catalogue_refuses_before_the_analysis(kwargs, fragment, tmp_path):
    with pytest.raises(ValueError, match=fragment):
        write_catalogue(out_dir=tmp_path, **kwargs)
    assert not list(tmp_path.iterdir())


def test_write_catalogue_takes_one_string_as_one_item(tmp_path):
    manifest = write_catalogue(langs="en", formats="png", include="rmo_trend", dpi=20, out_dir=tmp_path, n_boot=99)
    assert list(manifest["figures"]) == ["rmo_trend_en"]
    assert manifest["figures"]["rmo_trend_en"]["files"] == {"png": "rmo_trend_en.png"}


def test_build_catalogue_takes_one_figure_name(res):
    assert list(cat.build_catalogue(include="rmo_trend", results=res)) == ["rmo_trend"]


# --------------------------------------------------------------------------------------------------------------
# 4. build_catalogue(results=)


@pytest.mark.parametrize("what", ["cases", "tables", "frame"])
def test_build_catalogue_results_must_be_a_results(what, res):
    bad = {"cases": res.cases, "tables": res.tables(), "frame": res.comparison}[what]
    with pytest.raises(ValueError, match=r"results must be a krihs_analysis\.pipeline\.Results, what "
                                         r"pipeline\.analyse\(cases\) returns, got a (DataFrame|dict)"):
        cat.build_catalogue(results=bad, include="rmo_trend")


# --------------------------------------------------------------------------------------------------------------
# 5. ax


@pytest.mark.parametrize("name", ["country_profile", "core_task_gaps"])
def test_two_panel_figures_want_a_sequence_of_axes(name):
    call = {"country_profile": lambda ax: cat.country_profile(bl.comparison(), ax=ax),
            "core_task_gaps": lambda ax: cat.core_task_gaps(bl.task_profile(), ax=ax)}[name]
    with pytest.raises(ValueError, match=rf"{name}: ax must be a sequence of Axes, got an Axes; {name} draws .*"
                                         r"pass a sequence of \d Axes"):
        call(one_axes())


def test_country_profile_wants_exactly_a_pair():
    three = st.new_figure(ncols=3)[1][0]
    with pytest.raises(ValueError, match=r"country_profile: draws 2 panels, got 3 Axes; pass a sequence of 2 Axes"):
        cat.country_profile(bl.comparison(), ax=three)


def test_a_pair_of_axes_still_works():
    fig = cat.country_profile(bl.comparison(), ax=two_axes())
    assert len(fig.axes) == 2


ONE_PANEL = {
    "level_distributions": lambda ax: cat.level_distributions(bl.levels(), ax=ax),
    "integration_sustainability": lambda ax: cat.integration_sustainability(bl.cases(), bl.association(), ax=ax),
    "qca_xy": lambda ax: cat.qca_xy(bl.xy(), bl.xy_fit(), ax=ax),
    "truth_table_heatmap": lambda ax: cat.truth_table_heatmap(bl.truth_table(), ax=ax),
    "rmo_trend": lambda ax: cat.rmo_trend(bl.rmo(), ax=ax),
    "qca_groups": lambda ax: qca_groups(*baseline_input(), ax=ax),
    "case_card": lambda ax: case_card(case_profile(read_cases(), "KR-P1-A"), country="KR", ax=ax),
}


@pytest.mark.parametrize("name", list(ONE_PANEL))
def test_one_panel_figures_want_one_axes(name):
    with pytest.raises(ValueError, match=rf"{name}: ax must be one matplotlib Axes, got an array of 2 Axes; .*"
                                         r"pass one of them, e\.g\. ax=axes\[0\]"):
        ONE_PANEL[name](two_axes())
    with pytest.raises(ValueError, match=rf"{name}: ax must be one matplotlib Axes or None, got a str"):
        ONE_PANEL[name]("left")


# --------------------------------------------------------------------------------------------------------------
# 6. Text arguments


TITLED = {
    "country_profile": lambda **kw: cat.country_profile(bl.comparison(), **kw),
    "level_distributions": lambda **kw: cat.level_distributions(bl.levels(), **kw),
    "core_task_gaps": lambda **kw: cat.core_task_gaps(bl.task_profile(), **kw),
    "integration_sustainability": lambda **kw: cat.integration_sustainability(bl.cases(), bl.association(), **kw),
    "qca_xy": lambda **kw: cat.qca_xy(bl.xy(), bl.xy_fit(), **kw),
    "truth_table_heatmap": lambda **kw: cat.truth_table_heatmap(bl.truth_table(), **kw),
    "rmo_trend": lambda **kw: cat.rmo_trend(bl.rmo(), **kw),
    "fiscal_context": lambda **kw: fiscal_context(**kw),
}


@pytest.mark.parametrize("name", list(TITLED))
def test_title_must_be_text(name):
    with pytest.raises(ValueError, match=rf"{name}: title must be a string or None, got 5 \(int\); pass e\.g\. "
                                         "title='"):
        TITLED[name](title=5)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: cat.qca_xy(bl.xy(), bl.xy_fit(), solution=5), r"qca_xy: solution must be a string or None, got 5"),
        (lambda: cat.qca_xy(bl.xy(), bl.xy_fit(), outcome=None), r"qca_xy: outcome must be a string, got None"),
        (lambda: cat.country_profile(bl.comparison(), source=["MIC"]), r"source must be a string or None"),
        (lambda: qca_groups(*baseline_input(), source=5), r"qca_groups: source must be a string or None"),
        (lambda: cat.core_task_gaps(bl.task_profile(), benchmark=1), r"benchmark must be a string or None"),
    ],
    ids=["solution", "outcome", "source-list", "qca-groups-source", "benchmark"],
)
def test_other_texts_must_be_text(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


# --------------------------------------------------------------------------------------------------------------
# 7. Numbers where numbers are drawn


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: cat.country_profile(with_value(bl.comparison(), "median_kr", "high")),
         r"country_profile: column 'median_kr' of comparison must be numeric, but it holds 'high'"),
        (lambda: cat.qca_xy(with_value(bl.xy(), "x", "much"), bl.xy_fit()),
         r"qca_xy: column 'x' of xy must be numeric, but it holds 'much'"),
        (lambda: cat.truth_table_heatmap(with_value(bl.truth_table(), "integration", "yes")),
         r"truth_table_heatmap: column 'integration' of tt must be numeric, but it holds 'yes'"),
        (lambda: cat.rmo_trend(with_value(bl.rmo(), "survey_year", "2016年")),
         r"rmo_trend: column 'survey_year' of context must be numeric, but it holds '2016年'"),
        (lambda: cat.core_task_gaps(with_value(bl.task_profile(), "mean", "n/a")),
         r"core_task_gaps: column 'mean' of profile must be numeric"),
        (lambda: cat.integration_sustainability(with_value(bl.cases(), "integration", "high"), bl.association()),
         r"column 'integration' of cases must be numeric, but it holds 'high'"),
        (lambda: qca_groups(with_value(baseline_input()[0], "coverage", "x"), baseline_input()[1]),
         r"qca_groups: column 'coverage' of cluster must be numeric"),
        # pd.NA in a column of objects: the message said "it holds ;" (the missing value was filtered out)
        (lambda: cat.core_task_gaps(with_value(bl.task_profile(), "mean", pd.NA)),
         r"core_task_gaps: column 'mean' of profile must be numeric, but it holds pd\.NA in a column of objects"),
    ],
    ids=["profile-median", "xy-x", "truth-table-condition", "rmo-year", "gaps-mean", "cases-code", "groups-coverage",
         "gaps-mean-NA"],
)
def test_text_in_a_numeric_column(call, fragment):
    with pytest.raises(ValueError, match=fragment + r".*convert it \(pandas\.to_numeric\) or fix those rows"):
        call()


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: cat.level_distributions(with_value(bl.levels(), "code", np.nan, row=2)),
         r"level_distributions: column 'code' of levels has missing values \(row\(s\) 2\)"),
        (lambda: cat.rmo_trend(with_value(bl.rmo(), "organisations", np.nan)),
         r"rmo_trend: column 'organisations' of context has missing values \(row\(s\) 0\)"),
        # a case without a country has no marker: matplotlib's IndexError from inside seaborn's scatterplot
        (lambda: cat.qca_xy(with_value(bl.xy(), "country", pd.NA), bl.xy_fit()),
         r"qca_xy: column 'country' of xy has missing values \(row\(s\) 0\)"),
        (lambda: cat.integration_sustainability(with_value(bl.cases(), "country", None, row=1), bl.association()),
         r"integration_sustainability: column 'country' of cases has missing values \(row\(s\) 1\)"),
    ],
    ids=["levels-code", "rmo-organisations", "xy-country", "cases-country"],
)
def test_missing_values_where_a_number_is_needed(call, fragment):
    with pytest.raises(ValueError, match=fragment + "; drop or fill those rows"):
        call()


def repeated(frame: pd.DataFrame, row: int = 0) -> pd.DataFrame:
    """`frame` with one of its rows again at the end (as a concat of two runs' tables gives)."""
    return pd.concat([frame, frame.iloc[[row]]])


@pytest.mark.parametrize(
    "call, fragment",
    [
        # each was drawn twice (one bar over another, a doubled distribution) or, for the profile, a TypeError
        (lambda: cat.country_profile(repeated(bl.comparison(), 1)), r"country_profile: comparison has 2 rows for "
         r"variable resident_org \(rows 1, 1\)"),
        (lambda: cat.level_distributions(repeated(bl.levels())), r"level_distributions: levels has 2 rows for "
         r"variable \w+, group \w+, code \d"),
        (lambda: cat.core_task_gaps(repeated(bl.task_profile())), r"core_task_gaps: profile has 2 rows for group "),
        (lambda: cat.qca_xy(repeated(bl.xy()), bl.xy_fit()), r"qca_xy: xy has 2 rows for case_id "),
        (lambda: cat.truth_table_heatmap(repeated(bl.truth_table())), r"truth_table_heatmap: tt has 2 rows for "),
        (lambda: cat.rmo_trend(repeated(bl.rmo(), 2)), r"rmo_trend: context has 2 rows for survey_year 2018 "
         r"\(rows 2, 2\)"),
        (lambda: cat.integration_sustainability(bl.cases(), repeated(bl.association())),
         r"integration_sustainability: association has 2 rows for method kendall \(rows 0, 0\)"),
        (lambda: qca_groups(repeated(baseline_input()[0]), baseline_input()[1]), r"qca_groups: cluster has 2 rows "
         r"for term .*, level \w+, group \w+"),
        (lambda: case_card(repeated(case_profile(read_cases(), "KR-P1-A")), country="KR"),
         r"case_card: profile has 2 rows for variable "),
        (lambda: fiscal_context(repeated(read_context("jp_municipal_fiscal"), 5)),
         r"fiscal_context: panel has 2 rows for prefecture 北海道, municipality \w+, fiscal_year 2005"),
    ],
    ids=["profile", "levels", "gaps", "xy", "truth-table", "rmo", "association", "groups", "card", "fiscal"],
)
def test_a_row_given_twice_is_named_not_drawn_twice(call, fragment):
    with pytest.raises(ValueError, match=fragment + r".*a figure draws one row for each, so drop the repeats"):
        call()


def test_the_link_in_the_subtitle_is_of_the_two_codes_drawn():
    from krihs_analysis.linkage import association

    other = association(read_cases(), "resident_org", "sustainability", n_boot=0, n_permutations=99)
    with pytest.raises(ValueError, match=r"association is the link of resident_org and sustainability, not of "
                                         r"integration and sustainability drawn; pass linkage\.association\(cases, "
                                         r"x='integration', y='sustainability'\)"):
        cat.integration_sustainability(bl.cases(), other)
    # a table of several links gives the subtitle the one drawn, wherever it stands
    drawn = association(read_cases(), n_boot=0, n_permutations=99)
    ax = cat.integration_sustainability(bl.cases(), pd.concat([other, drawn], ignore_index=True))
    alone = cat.integration_sustainability(bl.cases(), drawn)
    assert st.frame_texts(ax.figure)["subtitle"] == st.frame_texts(alone.figure)["subtitle"]
    close_figure(ax.figure)
    close_figure(alone.figure)


# --------------------------------------------------------------------------------------------------------------
# 8. QCA fit and cluster tables


def test_qca_xy_fit_table_without_the_solution_row(res):
    terms = res.qca_fit[res.qca_fit["level"] == "term"]
    with pytest.raises(ValueError, match=r"qca_xy: the fit table has no 'expression' or 'model' row \(its levels: "
                                         r"\['term'\]\); pass the fit of the whole solution"):
        cat.qca_xy(res.qca_xy, terms)
    with pytest.raises(ValueError, match=r"qca_xy: fit must be the solution's fit .*got list"):
        cat.qca_xy(res.qca_xy, [0.9, 0.8])
    with pytest.raises(ValueError, match=r"qca_xy: the fit's consistency must be a number, got 'high'"):
        cat.qca_xy(res.qca_xy, {"consistency": "high", "coverage": 0.8})


def test_qca_xy_still_takes_the_fit_table(res):
    assert cat.qca_xy(res.qca_xy, res.qca_fit).figure is not None


@pytest.mark.parametrize(
    "test, fragment",
    [
        ([0.1, 0.03], r"test must be the pandas DataFrame that qca\.cluster_permutation_test\(.*\) returns.*got a list"),
        ("cluster", r"missing column\(s\) \['gap', 'p_value', 'n_permutations', 'exact'\] in test .*pass what "
                    r"qca\.cluster_permutation_test"),
        (pd.DataFrame(), r"test is empty; pass what qca\.cluster_permutation_test\(.*\) returns, or test=None"),
        ("terms-only", r"test has no 'expression' row; test must be what qca\.cluster_permutation_test"),
    ],
    ids=["list", "wrong-table", "empty", "no-expression-row"],
)
def test_qca_groups_test_must_be_the_permutation_test(test, fragment):
    cluster, good = baseline_input()
    if isinstance(test, str):
        test = {"cluster": cluster, "terms-only": good.assign(level="term")}[test]
    with pytest.raises(ValueError, match=fragment):
        qca_groups(cluster, test)


def test_qca_groups_cluster_without_the_solution_row():
    cluster, test = baseline_input()
    with pytest.raises(ValueError, match=r"qca_groups: cluster has no 'expression' row .* e\.g\. res\.qca_cluster"):
        qca_groups(cluster.assign(level="term"), test)
    with pytest.raises(ValueError, match=r"qca_groups: cluster must be the pandas DataFrame that "
                                         r"qca\.cluster_diagnostics"):
        qca_groups(None)


# --------------------------------------------------------------------------------------------------------------
# 9. truth_table_heatmap


def test_truth_table_heatmap_given_the_whole_results(res):
    with pytest.raises(ValueError, match=r"pass res\.truth_table \(got a Results\)"):
        cat.truth_table_heatmap(res)


def test_truth_table_labels_must_be_a_mapping():
    with pytest.raises(ValueError, match=r"labels must map condition -> label, got list; pass e\.g\. labels=\{"):
        cat.truth_table_heatmap(bl.truth_table(), labels=["a", "b"])


def test_truth_table_conditions_one_string_is_one_condition():
    ax = cat.truth_table_heatmap(bl.truth_table(), conditions="integration")
    assert len(ax.get_xticklabels()) == 5  # one condition, then cases, consistency, PRI, outcome


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda res: cat.country_profile([1, 2]), r"comparison must be the pandas DataFrame that "
                                                  r"compare\.compare_countries\(cases\) returns \(res\.comparison"),
        (lambda res: cat.level_distributions(res), r"pass res\.levels \(got a Results\)"),
        (lambda res: cat.core_task_gaps(res), r"pass res\.profile_programme \(got a Results\)"),
        (lambda res: cat.qca_xy(res, {}), r"pass res\.qca_xy \(got a Results\)"),
        (lambda res: cat.rmo_trend(res), r"pass res\.context \(got a Results\)"),
    ],
    ids=["list", "levels", "gaps", "xy", "rmo"],
)
def test_a_results_where_one_table_belongs(call, fragment, res):
    with pytest.raises(ValueError, match=fragment):
        call(res)


# --------------------------------------------------------------------------------------------------------------
# 10. fiscal_context


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"municipalities": "<cases>"}, r"missing column\(s\) \['code', 'municipality_type'\] in municipalities .*"
                                      r"pass what data\.read_context\('jp_municipalities'\) returns"),
        ({"municipalities": ["063827"]}, r"municipalities must be the pandas DataFrame that "
                                         r"data\.read_context\('jp_municipalities'\) returns, got a list"),
        ({"municipalities": pd.DataFrame()}, r"municipalities is empty"),
        ({"cases": 63827.0}, r"cases must be a case sheet or a list of 6-digit codes, got 63827.0 \(float\)"),
        ({"cases": "<res>"}, r"cases must be a case sheet or a list of 6-digit codes, got a Results; pass res\.cases"),
        ({"cases": [63827.5]}, r"municipality codes must be 6-digit codes \('063827', or the number 63827\)"),
        ({"cases": [1234567]}, r"1234567 is not a municipality code \(six digits"),
        ({"panel": ["063827"]}, r"panel must be the pandas DataFrame that data\.read_context\('jp_municipal_fiscal'\) "
                                r"returns, got a list"),
        ({"panel": "jp_municipal_fiscal"}, r"panel must be the pandas DataFrame .* got a str"),
        ({"year": "FY2021"}, r"year must be a whole fiscal year, e\.g\. year=2021, got 'FY2021'"),
        ({"year": 2021.5}, r"year must be a whole fiscal year, e\.g\. year=2021, got 2021\.5"),
        ({"year": 1990}, r"no fiscal year 1990 in the panel \(it has FY2005-FY2021\); pass one of those as year="),
    ],
    ids=["municipalities-cases", "municipalities-list", "municipalities-empty", "cases-float", "cases-results",
         "cases-fraction-codes", "cases-seven-digits", "panel-list", "panel-str", "year-text", "year-fraction", "year-absent"],
)
def test_fiscal_context_inputs(kwargs, fragment, res):
    stand_in = {"<cases>": read_cases, "<res>": lambda: res}
    kwargs = {k: stand_in[v]() if isinstance(v, str) and v in stand_in else v for k, v in kwargs.items()}
    with pytest.raises(ValueError, match=fragment):
        fiscal_context(lang="en", **kwargs)


def test_fiscal_context_takes_one_code_and_a_whole_float_year():
    fig = fiscal_context(cases="063827", year=2021.0, lang="en")
    assert fig._krihs["cases"] == ["063827"]


def test_fiscal_context_gives_a_code_read_as_a_number_its_leading_zero_back():
    # A code column that a spreadsheet or pandas read as numbers lost its zeros in front: 063827 became 63827.
    assert fiscal_context(cases=[63827, "322091"], lang="en")._krihs["cases"] == ["063827", "322091"]
    sheet = pd.DataFrame({"country": ["JP", "JP"], "municipality_code": [63827, 322091]})
    assert fiscal_context(cases=sheet, lang="en")._krihs["cases"] == ["063827", "322091"]


def test_fiscal_context_panel_with_a_text_index():
    panel = with_value(read_context("jp_municipal_fiscal"), "fiscal_strength_index", "high")
    with pytest.raises(ValueError, match=r"column 'fiscal_strength_index' of panel must be numeric"):
        fiscal_context(panel, lang="en")


# --------------------------------------------------------------------------------------------------------------
# 11. case_card


@pytest.mark.parametrize("profile", ["cases", "list", None, "empty"])
def test_case_card_profile_must_be_case_profile_output(profile):
    cases = read_cases()
    bad = {"cases": cases, "list": [1, 2], "empty": case_profile(cases, "KR-P1-A").iloc[0:0]}.get(profile, profile)
    with pytest.raises(ValueError, match=r"case_card: .*(compare\.case_profile\(cases, case_id\)|profile is empty)"):
        case_card(bad, country="KR")


@pytest.mark.parametrize("country", ["Korea", "kr", None, 1])
def test_case_card_country_is_kr_or_jp(country):
    with pytest.raises(ValueError, match=r"country must be one of 'KR', 'JP', got"):
        case_card(case_profile(read_cases(), "KR-P1-A"), country=country)


def test_decorate_and_close_figure_say_what_they_take():
    # a plain Figure failed inside decorate (no _krihs / no layout engine); close_figure took anything
    from matplotlib.figure import Figure

    from krihs_analysis.figures import close_figure, decorate
    from krihs_analysis.figures.style import new_figure

    with pytest.raises(ValueError, match=r"decorate: fig must be a Figure made by new_figure\(width, height\)"):
        decorate(Figure(), title="t", subtitle=None, notes=[], lang="en")
    fig, _ = new_figure(3.3, 1.5)
    with pytest.raises(ValueError, match="decorate: title must be a string, got None"):
        decorate(fig, title=None, subtitle=None, notes=[], lang="en")
    with pytest.raises(ValueError, match="close_figure: fig must be a matplotlib Figure or one Axes, got a str"):
        close_figure("x")
    close_figure(fig)


# stop 23: the case card labels sample data without being told ------------------------------------------------------

@pytest.mark.parametrize("status, flag, labelled", [
    ("illustrative", None, True),   # the sample: the card said nothing before (default illustrative=False)
    ("coded", None, False),          # real coded cases: no label
    ("coded", True, True),           # an explicit flag still wins
    ("illustrative", False, False),
])
def test_case_card_reads_the_profiles_provenance(status, flag, labelled):
    from krihs_analysis.figures import close_figure, frame_texts

    cases = read_cases()
    cases = cases.assign(data_status=pd.Categorical([status] * len(cases), categories=["illustrative", "coded"]))
    ax = case_card(case_profile(cases, "KR-P1-A"), country="KR", illustrative=flag)
    notes = " ".join(frame_texts(ax.figure)["notes"])
    close_figure(ax.figure)
    assert (st.text("illustrative", "en") in notes) is labelled


@pytest.mark.parametrize("case_id, merged", [("JP-01", True), ("KR-P1-A", False)])
def test_a_stand_alone_cards_alt_text_names_the_medians_it_draws(case_id, merged):
    # the alt text said "its country's and programme's medians" for a Japanese case, whose card draws one median
    from krihs_analysis.figures import close_figure

    profile = case_profile(read_cases(), case_id)
    assert profile.attrs["programme_is_country"] is merged
    ax = case_card(profile, country=case_id[:2])
    alt = ax.figure._krihs["alt"]
    close_figure(ax.figure)
    n = len(ax.get_yticklabels())
    medians = ("the median of its country, whose cases are all of its programme" if merged
               else "its country's and programme's medians")
    assert alt == f"Dot chart of case {case_id}'s codes on {n} items, with {medians}."
    # and as many median markers as the alt text names
    drawn = [c for c in ax.collections if c.get_visible() and "median" in str(c.get_label())]
    assert len(drawn) == (1 if merged else 2)


def test_a_profile_of_unknown_origin_counts_as_illustrative():
    # the house rule of every catalogue figure: a table that does not say where it came from is not evidence
    from krihs_analysis.figures import close_figure, frame_texts

    profile = pd.DataFrame(case_profile(read_cases(), "KR-P1-A").to_dict("list"))  # attrs dropped
    assert "illustrative" not in profile.attrs
    ax = case_card(profile, country="KR")
    assert st.text("illustrative", "en") in " ".join(frame_texts(ax.figure)["notes"])
    close_figure(ax.figure)


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_rmo_trend_without_a_municipalities_column_says_less_instead_of_question_marks(lang):
    from krihs_analysis.figures import close_figure, frame_texts

    survey = read_context("rmo_survey")
    ax = cat.rmo_trend(survey.drop(columns="municipalities"), lang=lang)
    subtitle = frame_texts(ax.figure)["subtitle"]
    close_figure(ax.figure)
    assert "?" not in subtitle and subtitle == st.text("rmo_subtitle_no_municipalities", lang)
    full = cat.rmo_trend(survey, lang=lang)
    assert frame_texts(full.figure)["subtitle"].startswith(subtitle.rstrip("。"))  # the same words, then the count
    close_figure(full.figure)


@pytest.mark.parametrize("name", cat.CATALOGUE)
def test_every_catalogue_figure_takes_its_headline_as_title(res, name):
    # one API shape: each figure of the catalogue writes its own headline from the result, and title= replaces it
    # (qca_groups had no title option)
    from krihs_analysis.figures import close_figure

    args, kwargs = cat._analysis_inputs(res)[name]
    drawn = getattr(cat, name)(*args, lang="ja", title="見出し", **kwargs)
    figure = drawn if hasattr(drawn, "savefig") else drawn.figure
    try:
        assert st.frame_texts(figure)["title"] == "見出し"
        assert figure._krihs["title"] == "見出し"
    finally:
        close_figure(figure)


def _flag_cases() -> list[tuple[str, str, object]]:
    import inspect

    return [(name, flag, value) for name in cat.CATALOGUE for flag, value in
            (("illustrative", "no"), ("illustrative", 0), ("label_cases", "yes"))
            if flag in inspect.signature(getattr(cat, name)).parameters]


@pytest.mark.parametrize("name, flag, value", _flag_cases())
def test_a_flag_is_true_or_false_not_a_truth_value(res, name, flag, value):
    # illustrative="no" drew the illustrative-data note; label_cases="yes" labelled the points
    args, kwargs = cat._analysis_inputs(res)[name]
    with pytest.raises(ValueError, match=f"{flag} must be True or False, got {value!r}"):
        getattr(cat, name)(*args, lang="en", **{**kwargs, flag: value})


def test_a_case_cards_illustrative_flag_is_true_or_false():
    with pytest.raises(ValueError, match="illustrative must be True or False, got 'no'"):
        case_card(case_profile(read_cases(), "JP-01"), country="JP", illustrative="no")


def test_a_japanese_subtitle_never_ends_in_its_full_width_separator():
    # Found in review: with Japanese punctuation full-width, .rstrip("; ") left "…95%信頼区間；" when the case
    # counts are unknown
    from krihs_analysis.compare import compare_countries
    from krihs_analysis.data import read_cases
    from krihs_analysis.figures import close_figure, country_profile, frame_texts

    comp = compare_countries(read_cases(), n_boot=99).drop(columns=["n_kr", "n_jp"])
    fig = country_profile(comp, lang="ja")
    subtitle = frame_texts(fig)["subtitle"]
    close_figure(fig)
    assert not subtitle.rstrip().endswith(("；", ";")), subtitle
