"""Tests of krihs_analysis.figures: artists, wording, fonts, image baselines, saving.

Inputs are the fixed synthetic frames of ``krihs_analysis.figures.baselines`` so that nothing here moves when the
statistics modules change. Regenerate the image baselines with ``python -m krihs_analysis.figures.baselines``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from matplotlib.colors import to_hex, to_rgba  # noqa: E402

from krihs_analysis.codebook import LANGS, load_codebook  # noqa: E402
from krihs_analysis.figures import baselines as bl  # noqa: E402
from krihs_analysis.figures import catalogue as cat  # noqa: E402
from krihs_analysis.figures import style as st  # noqa: E402
from krihs_analysis.figures.save import read_manifest, save_figure  # noqa: E402

KR, JP = st.COUNTRY_COLORS["KR"], st.COUNTRY_COLORS["JP"]
CB = load_codebook()


def fig_of(result):
    return result if hasattr(result, "savefig") else result.figure


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text())]


def by_gid(fig, gid):
    return [a for a in fig.findobj() if a.get_gid() == gid]


def nlines(s: str) -> str:
    return s.replace("\n", " ")


# --------------------------------------------------------------------------------------------------------------
# Style


def test_import_is_light():
    code = ("import sys, krihs_analysis.figures as f; "
            "assert 'matplotlib' not in sys.modules and 'seaborn' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_house_style_is_scoped():
    import matplotlib as mpl

    before = mpl.rcParams["font.family"], mpl.rcParams["svg.hashsalt"]
    with st.house_style("ja"):
        assert mpl.rcParams["font.family"][0] == "Noto Sans CJK JP"
        assert mpl.rcParams["svg.hashsalt"] == "krihs-analysis"
        assert not mpl.rcParams["axes.spines.top"]
    assert (mpl.rcParams["font.family"], mpl.rcParams["svg.hashsalt"]) == before


def test_palette_distinct_in_greyscale():
    def grey(c):
        r, g, b, _ = to_rgba(c)
        return 0.299 * r + 0.587 * g + 0.114 * b

    assert abs(grey(KR) - grey(JP)) > 0.25
    levels = [grey(c) for c in st.LEVEL_COLORS]
    assert levels == sorted(levels, reverse=True) and min(np.diff(levels[::-1])) > 0.1
    assert st.COUNTRY_MARKERS["KR"] != st.COUNTRY_MARKERS["JP"]


def test_sizes():
    assert st.SINGLE == pytest.approx(85 / 25.4) and st.DOUBLE == pytest.approx(175 / 25.4)
    fig = bl.draw("rmo_trend", "en")
    assert fig.get_figwidth() == pytest.approx(st.SINGLE)
    assert bl.draw("country_profile", "en").get_figwidth() == pytest.approx(st.DOUBLE)


def test_wrap_japanese_keeps_counters():
    with st.house_style("ja"):
        out = st.wrap_text("地域運営組織は2016年から2022年にかけて2.3倍に増えた", 1.0, fontsize=10, lang="ja")
    assert "\n" in out
    assert not any(line.startswith(("倍", "年", "、", "。")) for line in out.split("\n"))



def test_a_short_last_word_is_not_left_alone_on_its_line():
    # Figure 4's subtitle ended "... the Japanese cases' mean and its 95%" / "CI" in the English brief
    subtitle = ("Core-task index (mean of its items, each coded 0–3) by Korean programme with 95% CI; line and band: "
                "the Japanese cases' mean and its 95% CI")
    with st.house_style("en"):
        width = st.text_width(subtitle.removesuffix(" CI"), fontsize=7) * 1.001  # "CI" alone, greedily
        lines = st.wrap_text(subtitle, width, fontsize=7, lang="en").split("\n")
        assert lines[-1] == "95% CI" and len(lines) == 2
        assert all(st.text_width(x, fontsize=7) <= width for x in lines)
        # nothing to move when the line above would keep one word, or when the last word is long
        assert st.wrap_text("Holm CI", st.text_width("Holm", fontsize=7) * 1.01, fontsize=7, lang="en") == "Holm\nCI"
        long = "a b c d e f g h i j k l m n o p q r s t u v w x y z sustainability"
        out = st.wrap_text(long, st.text_width(long.removesuffix(" sustainability"), fontsize=7) * 1.001, fontsize=7,
                           lang="en")
        assert out.split("\n")[-1] == "sustainability"


@pytest.mark.parametrize("text, phrases", [
    # the truth table's headers broke 役|割 and 計画|づくり, cut between any two characters
    ("行政の伴走的役割", ["行政の", "伴走的役割"]),
    ("住民主体の計画づくり", ["住民主体の", "計画づくり"]),
    ("地域を代表する住民組織", ["地域を", "代表する", "住民組織"]),
    ("事業間の連携・統合", ["事業間の", "連携・", "統合"]),
    # a single hiragana inside a word does not end it; no phrase starts with closing punctuation
    ("取り組み合わせの持続", ["取り組み合わせの", "持続"]),
    ("1行(濃い色 = 条件あり)、事例数", ["1行", "(濃い色 ", "= ", "条件あり)、", "事例数"]),
    # a particle after a closing bracket stays with it (fig_fiscal's title: 中央値（0.45）|を下回った)
    ("中央値（0.45）を下回った", ["中央値", "（0.45）を", "下回った"]),
    ("「地域づくり」の担い手", ["「地域づくり」の", "担い手"]),
])
def test_japanese_wraps_between_phrases_not_inside_a_word(text, phrases):
    assert st._ja_phrases(text) == phrases


def test_japanese_wrapping_breaks_at_the_phrase_and_inside_one_only_when_it_is_wider_than_the_line():
    with st.house_style("ja"):
        narrow = st.text_width("伴走的役割", fontsize=10) * 1.1  # the longer phrase fits, the two together do not
        assert st.wrap_text("行政の伴走的役割", narrow, fontsize=10, lang="ja") == "行政の\n伴走的役割"
        for text in ("国土政策研究院事例構成", "行政の国土政策研究院事例構成"):  # opening the paragraph or not
            lines = st.wrap_text(text, narrow * 0.6, fontsize=10, lang="ja").split("\n")
            assert len(lines) > 2 and all(st.text_width(x, fontsize=10) <= narrow * 0.6 for x in lines), lines

# --------------------------------------------------------------------------------------------------------------
# Artists of every catalogue function


def test_a_yes_no_item_is_given_as_shares_of_yes_not_as_medians_on_the_0_to_3_scale():
    # "Activity continued" (yes/no) was drawn at 1 and 1 under "0 = lowest, 3 = highest": low and equal, for 64%
    # and 92% yes. Its row says the shares instead, from the comparison's means.
    from krihs_analysis.compare import compare_countries
    from krihs_analysis.data import read_cases

    cases = read_cases()
    comp = compare_countries(cases, variables=["integration", "continued", "sustainability"], n_boot=0)
    row = comp.set_index("variable").loc["continued"]
    kr = cases.loc[cases["country"] == "KR", "continued"].astype("float64")
    assert row["mean_kr"] == kr.mean() == 9 / 14 and row["median_kr"] == 1.0
    fig = cat.country_profile(comp, lang="en", illustrative=True)
    marks = by_gid(fig, "median-KR")[0].get_offsets()
    np.testing.assert_allclose(marks[:, 1], [0 - 0.13, 2 - 0.13])  # rows 0 and 2: no marker on the yes/no row
    words = by_gid(fig, "yes-share-continued")
    assert [t.get_text() for t in words] == ["Share of yes: Korea 64%, Japan 92%"]
    assert words[0].get_position()[1] == 1
    ja = cat.country_profile(comp, lang="ja", illustrative=True)
    assert by_gid(ja, "yes-share-continued")[0].get_text() == "「はい」の割合：韓国64%、日本92%"
    # a table saved before the means were kept: its medians, said as codes of yes and no
    old = cat.country_profile(comp.drop(columns=["mean_kr", "mean_jp"]), lang="en", illustrative=True)
    assert by_gid(old, "yes-share-continued")[0].get_text() == "Median (yes = 1, no = 0): Korea 1, Japan 1"
    # the country labels sit on the first row with markers, even when a yes/no item comes first
    first = cat.country_profile(comp.iloc[[1, 0, 2]].reset_index(drop=True), lang="en", illustrative=True)
    label = next(t for t in first.axes[0].texts if t.get_text() == "Korea")
    assert label.xy[1] == 1 - 0.13
    from krihs_analysis.figures import close_figure

    # a table of yes/no items only: words, no markers (it raised IndexError)
    only = cat.country_profile(comp[comp["variable"] == "continued"], lang="en", illustrative=True)
    assert not by_gid(only, "median-KR") and by_gid(only, "yes-share-continued")
    for f in (fig, ja, old, first, only):
        close_figure(f)


def test_country_profile_artists():
    comp = bl.comparison()
    fig = cat.country_profile(comp, lang="en", illustrative=True)
    ax_m, ax_d = fig.axes[:2]
    assert [t.get_text().replace("\n", " ") for t in ax_m.get_yticklabels()] == [
        CB.label(v, "en") for v in comp["variable"]]
    kr, jp = by_gid(fig, "median-KR")[0], by_gid(fig, "median-JP")[0]
    assert len(kr.get_offsets()) == len(jp.get_offsets()) == len(comp)
    assert to_hex(kr.get_facecolor()[0]) == KR.lower() and to_hex(jp.get_facecolor()[0]) == JP.lower()
    np.testing.assert_allclose(kr.get_offsets()[:, 0], comp["median_kr"])
    delta = by_gid(fig, "delta")[0]
    np.testing.assert_allclose(delta.get_offsets()[:, 0], comp["cliffs_delta"])
    # filled when Holm p ≤ 0.05 (as the brief calls a difference clear), open otherwise
    filled = [to_hex(c) != "#ffffff" for c in delta.get_facecolors()]
    assert filled == list(comp["p_holm"] <= 0.05)
    meta = st.frame_texts(fig)
    assert meta["title"] == "Korean cases score significantly lower than Japanese ones on 8 of 10 dimensions"
    no_p = cat.country_profile(comp.drop(columns="p_holm"), lang="en")
    assert st.frame_texts(no_p)["title"] == "Korean cases score lower than Japanese ones on 10 of 10 dimensions"
    assert "14 Korean and 12 Japanese cases" in meta["subtitle"]
    assert meta["notes"][-1] == st.text("illustrative", "en")
    assert "Korea" in texts(fig) and "Japan" in texts(fig)


def test_level_distributions_artists():
    lv = bl.levels()
    ax = cat.level_distributions(lv, lang="ko", illustrative=True)
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("bar-")]
    assert len(bars) == int((lv["share"] > 0).sum())
    # bars of each variable and group add up to 100%
    widths = pd.Series({p.get_gid(): p.get_width() for p in bars})
    totals = widths.groupby(lambda g: g.rsplit("-", 1)[0]).sum()
    np.testing.assert_allclose(totals.to_numpy(), 1.0)
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == [
        CB.label(v, "ko") for v in dict.fromkeys(lv["variable"])]
    assert ax.get_legend() is not None and len(ax.get_legend().get_texts()) == 4
    assert "한국" in texts(ax.figure) and "일본" in texts(ax.figure)
    assert st.frame_texts(ax.figure)["title"].startswith("평균적으로 일본 사례의")


def test_core_task_gaps_artists():
    prof = bl.task_profile()
    fig = cat.core_task_gaps(prof, lang="ja", illustrative=True)
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == 4
    assert [t.get_text() for t in axes[0].get_yticklabels()] == [f"KR-P{i}" for i in range(1, 8)]
    pts = by_gid(fig, "kr")
    assert len(pts) == 4 and all(len(p.get_offsets()) == 7 for p in pts)
    lines = by_gid(fig, "benchmark")
    bench = prof[prof["group"] == "JP-RMO"]["mean"].to_numpy()
    np.testing.assert_allclose([ln.get_xdata()[0] for ln in lines], bench)
    assert all(to_hex(ln.get_color()) == JP.lower() for ln in lines)
    assert texts(fig).count("日本") == 4
    # every score below: "all 28", not "28 of 28" (read as a count that happened to be full)
    assert st.frame_texts(fig)["title"] == "韓国事業の中核課題指数28件すべてが日本の平均を下回る"


def test_core_task_gaps_benchmark_must_be_clear():
    prof = bl.task_profile().assign(group=lambda d: d["group"].replace({"JP-RMO": "other"}))
    with pytest.raises(ValueError, match="benchmark"):
        cat.core_task_gaps(prof, lang="en")
    cat.core_task_gaps(prof, lang="en", benchmark="other")


def test_integration_sustainability_artists():
    cases, assoc = bl.cases(), bl.association()
    ax = cat.integration_sustainability(cases, assoc, lang="en")
    kr, jp = by_gid(ax.figure, "cases-KR")[0], by_gid(ax.figure, "cases-JP")[0]
    assert len(kr.get_offsets()) == 14 and len(jp.get_offsets()) == 12
    assert to_hex(kr.get_facecolor()[0]) == KR.lower() and to_hex(jp.get_facecolor()[0]) == JP.lower()
    # every case labelled once, at its own point, and each point within its own (integration, sustainability)
    # cell -- strictly inside the +-0.5 cell borders (layout, not random jitter)
    anchors = {}
    for t in ax.texts:
        if t.get_text() in set(cases["case_id"]):
            assert t.get_text() not in anchors, f"{t.get_text()} labelled twice"
            anchors[t.get_text()] = np.asarray(t.xy, dtype="float64")
    assert set(anchors) == set(cases["case_id"])
    for country, pts in (("KR", kr), ("JP", jp)):
        ids = cases.loc[cases["country"].astype(str) == country, "case_id"]
        labelled = sorted(map(tuple, np.round([anchors[i] for i in ids], 9)))
        plotted = sorted(map(tuple, np.round(np.asarray(pts.get_offsets(), dtype="float64"), 9)))
        assert labelled == plotted, f"{country}: labels do not sit on the plotted points"
    codes = cases.set_index("case_id")[["integration", "sustainability"]].astype("float64")
    for case_id, (px, py) in anchors.items():
        cx, cy = codes.loc[case_id]
        assert abs(px - cx) < 0.5 and abs(py - cy) < 0.5, f"{case_id} at ({px:.2f}, {py:.2f}) not in cell ({cx}, {cy})"
    meta = st.frame_texts(ax.figure)
    assert meta["title"] == "More integrated cases tend to be more sustainable"
    assert "Kendall's τ-b = 0.82" in meta["subtitle"] and "p < 0.001" in meta["subtitle"]
    assert meta["notes"][-1] == st.text("illustrative", "en")  # data_status says illustrative
    # no dotted diagonal, which readers took for a fitted trend: the only lines are the cells' borders
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 2]
    assert lines and all(ln.get_xdata()[0] == ln.get_xdata()[1] or ln.get_ydata()[0] == ln.get_ydata()[1]
                         for ln in lines)
    # deterministic: the same positions every time
    ax2 = cat.integration_sustainability(cases, assoc, lang="en")
    np.testing.assert_array_equal(by_gid(ax2.figure, "cases-KR")[0].get_offsets(), kr.get_offsets())
    assert [t.get_text() for t in ax.get_xticklabels()][0].startswith("0\nIsolated")


def test_integration_title_follows_the_statistic():
    weak = bl.association().assign(statistic=0.1, p_value=0.4)
    neg = bl.association().assign(statistic=-0.5, p_value=0.01)
    ax = cat.integration_sustainability(bl.cases(), weak, lang="ja")
    assert st.frame_texts(ax.figure)["title"] == st.text("link_title_none", "ja")
    ax = cat.integration_sustainability(bl.cases(), neg, lang="ko")
    assert st.frame_texts(ax.figure)["title"] == st.text("link_title_neg", "ko")
    real = bl.cases().assign(data_status="coded")
    ax = cat.integration_sustainability(real, bl.association(), lang="en")
    assert st.text("illustrative", "en") not in st.frame_texts(ax.figure)["notes"]


def test_qca_xy_artists():
    xy = bl.xy()
    ax = cat.qca_xy(xy, bl.xy_fit(), lang="en", solution="resident_org*integration", illustrative=True)
    n = sum(len(c.get_offsets()) for c in ax.collections if (c.get_gid() or "").startswith("xy-"))
    assert n == len(xy)
    fit_text = by_gid(ax.figure, "xy-fit")[0].get_text()
    assert "Consistency 0.91" in fit_text and "Coverage 0.84" in fit_text
    meta = st.frame_texts(ax.figure)
    assert "representative resident organisation · project integration" in nlines(meta["subtitle"])
    assert meta["title"].endswith("(consistency 0.91)")
    # a fit table as qca.fit returns it
    table = pd.DataFrame({"term": ["A", "A + B"], "level": ["term", "expression"], "consistency": [1.0, 0.7],
                          "PRI": [1, 0.6], "coverage": [0.5, 0.9], "unique_coverage": [0.1, np.nan]})
    ax = cat.qca_xy(xy, table, lang="ja", illustrative=False)
    assert "整合度 0.70" in by_gid(ax.figure, "xy-fit")[0].get_text()
    assert st.frame_texts(ax.figure)["title"] == st.text("xy_title_weak", "ja", consistency="0.70")


def test_truth_table_heatmap_artists():
    tt = bl.truth_table()
    tt["incl"] = pd.array(tt["incl"], dtype="double[pyarrow]")  # Arrow-backed floats must not break it
    ax = cat.truth_table_heatmap(tt, lang="en", illustrative=True)
    mesh = by_gid(ax.figure, "tt-conditions")[0]  # seaborn's heatmap: a QuadMesh, one cell per row x condition
    assert mesh.get_array().shape == (6, 4)
    assert [t.get_text() for t in ax.get_yticklabels()] == tt["row"].astype(str).tolist()
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert ticks[:4] == [CB.label(c, "en") for c in tt.columns[1:5]]
    assert ticks[4:] == ["Cases", "Consistency", "PRI", "Outcome"]  # bl.truth_table() has a PRI column
    outs = [p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("tt-out-")]
    assert outs == [f"tt-out-{o}" for o in tt["OUT"]]
    assert st.frame_texts(ax.figure)["title"] == "3 of 6 observed configurations are consistent with the outcome"


def test_truth_table_from_qca_module():
    qca = pytest.importorskip("krihs_analysis.qca")
    df = pd.DataFrame({"integration": [1, 1, 0, 0, 1], "intermediary": [1, 0, 1, 0, 1],
                       "sustainability": [1, 1, 0, 0, 1]})
    tt = qca.truth_table(df, "sustainability", ["integration", "intermediary"])
    ax = cat.truth_table_heatmap(tt, lang="ko", illustrative=False)
    assert by_gid(ax.figure, "tt-conditions")[0].get_array().shape == (len(tt.table), 2)


def test_rmo_trend_artists():
    ctx = bl.rmo()
    ax = cat.rmo_trend(ctx, lang="en")
    bars = [p for p in ax.patches]
    assert [p.get_height() for p in bars] == ctx["organisations"].tolist()
    assert all(to_hex(p.get_facecolor()) == JP.lower() for p in bars)
    assert [t.get_text() for t in ax.get_xticklabels()] == ctx["survey_year"].astype(str).tolist()
    assert {"3,071", "7,207"} <= {t.get_text() for t in ax.texts}
    meta = st.frame_texts(ax.figure)
    assert meta["title"] == "Regional management organisations in Japan grew 2.3-fold from 2016 to 2022"
    assert "609 → 853" in meta["subtitle"]
    # real data: no illustrative note; MIC's count has no FY2020 figure, and the bars' gap is said, not left
    assert meta["notes"] == ["FY2020: no figure in these sources.",
                             st.text("source", "en", source=ctx.attrs["source"]["en"])]
    run = ctx[ctx["survey_year"] <= 2019]  # 2016-2019, no gap
    assert st.frame_texts(cat.rmo_trend(run, lang="ja").figure)["notes"] == [
        st.text("source", "ja", source=ctx.attrs["source"]["ja"])]
    two = ctx[ctx["survey_year"].isin([2016, 2019, 2021])]
    assert st.frame_texts(cat.rmo_trend(two, lang="ko").figure)["notes"][0] == (
        "2017년도, 2018년도, 2020년도: 이 출처에 수치 없음.")


def test_the_survey_headline_says_growth_only_when_the_count_grew():
    ctx = bl.rmo()

    def headline(rows, lang="en"):
        return st.frame_texts(cat.rmo_trend(rows.reset_index(drop=True), lang=lang).figure)
    # one survey year: its count, not "1.0-fold from 2016 to 2016"
    one = headline(ctx[ctx["survey_year"] == 2022])
    assert one["title"] == "Japan had 7,207 regional management organisations in 2022"
    assert "→" not in one["subtitle"] and one["subtitle"].endswith(": 853")
    # a count that fell (a user's own table) is not "grew 0.5-fold"
    fell = ctx[ctx["survey_year"].isin([2016, 2022])].assign(organisations=[3071, 1680])
    assert headline(fell)["title"] == "Regional management organisations in Japan: 3,071 in 2016, 1,680 in 2022"
    flat = ctx[ctx["survey_year"].isin([2016, 2017])].assign(organisations=[3000, 3040])
    assert "fold" not in headline(flat)["title"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero
        from_zero = headline(ctx[ctx["survey_year"].isin([2016, 2022])].assign(organisations=[0, 1680]))["title"]
    assert from_zero == "Regional management organisations in Japan: 0 in 2016, 1,680 in 2022"
    assert headline(ctx[ctx["survey_year"] == 2022], "ja")["title"] == "2022年の地域運営組織は7,207団体だった"
    assert headline(fell, "ko")["title"] == "일본의 지역운영조직: 2016년 3,071개, 2022년 1,680개"


def test_the_consistency_threshold_is_drawn_across_the_consistency_row_only():
    # the dashed 0.8 line crossed the coverage row too, where the dots near 0.82 looked as if they passed it
    from krihs_analysis.figures import close_figure
    from krihs_analysis.figures.qca_by_group import baseline_input, qca_groups

    ax = qca_groups(*baseline_input(), lang="en")
    rows = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    (seg,) = by_gid(ax.figure, "qca-groups-cut")[0].get_segments()
    (x0, y0), (x1, y1) = seg
    assert x0 == x1 == 0.8
    assert min(y0, y1) < rows["Consistency"] < max(y0, y1)
    assert not min(y0, y1) < rows["Coverage"] < max(y0, y1)
    close_figure(ax.figure)


def test_draw_into_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    out = cat.rmo_trend(bl.rmo(), lang="en", ax=ax)
    assert out is ax and len(ax.patches) == len(bl.rmo()) and not fig.texts  # one bar a year; no frame


# --------------------------------------------------------------------------------------------------------------
# Fonts: no missing glyphs in any language


# Every catalogue figure in every language is rendered once per session, by the CLI test
# (tests/test_cli.py::test_figures_command_writes_...): PNG, SVG and PDF with every warning, a missing glyph among
# them, turned into a failure. It draws the sample, whose names (kanji municipalities, Korean programmes) need
# more glyphs than the fixed inputs here.


def test_missing_font_message(monkeypatch):
    from krihs_analysis.figures import fonts

    fonts.cjk_available.cache_clear()
    monkeypatch.setattr(fonts, "available_families", lambda: frozenset({"DejaVu Sans"}))
    try:
        with pytest.warns(fonts.MissingFontWarning, match="apt-get install fonts-noto-cjk"):
            assert fonts.cjk_available() is False
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert fonts.cjk_available() is False  # said once only
        assert st.rc_for("ko")["font.family"] == ["DejaVu Sans"]
    finally:
        fonts.cjk_available.cache_clear()


# --------------------------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize("name", cat.CATALOGUE)
def test_unknown_language(name):
    with pytest.raises(ValueError, match="unknown language"):
        bl.draw(name, "fr")


@pytest.mark.parametrize(
    "call",
    [
        lambda: cat.country_profile(bl.comparison().iloc[0:0], lang="en"),
        lambda: cat.level_distributions(bl.levels().iloc[0:0], lang="en"),
        lambda: cat.core_task_gaps(bl.task_profile().iloc[0:0], lang="en"),
        lambda: cat.integration_sustainability(bl.cases().iloc[0:0], bl.association(), lang="en"),
        lambda: cat.integration_sustainability(bl.cases(), bl.association().iloc[0:0], lang="en"),
        lambda: cat.qca_xy(bl.xy().iloc[0:0], bl.xy_fit(), lang="en"),
        lambda: cat.truth_table_heatmap(bl.truth_table().iloc[0:0], lang="en"),
        lambda: cat.rmo_trend(bl.rmo().iloc[0:0], lang="en"),
    ],
)
def test_empty_result(call):
    with pytest.raises(ValueError, match="empty"):
        call()


def test_unknown_variable():
    comp = bl.comparison()
    comp.loc[0, "variable"] = "not_a_variable"
    with pytest.raises(ValueError, match="not_a_variable"):
        cat.country_profile(comp, lang="en")
    lv = bl.levels().assign(variable="nope")
    with pytest.raises(ValueError, match="nope"):
        cat.level_distributions(lv, lang="ko")
    tt = bl.truth_table().rename(columns={"integration": "INT"})
    with pytest.raises(ValueError, match="INT"):
        cat.truth_table_heatmap(tt, lang="en")
    ax = cat.truth_table_heatmap(tt, lang="en", labels={"INT": "Integration"})
    assert "Integration" in [t.get_text() for t in ax.get_xticklabels()]


def test_missing_columns_and_bad_fit():
    with pytest.raises(ValueError, match="missing column"):
        cat.country_profile(bl.comparison().drop(columns="cliffs_delta"), lang="en")
    with pytest.raises(ValueError, match="coverage"):
        cat.qca_xy(bl.xy(), {"consistency": 0.9}, lang="en")
    with pytest.raises(ValueError, match="unknown figure"):
        cat.build_catalogue(bl.cases(), lang="en", include=["pie_chart"])


# --------------------------------------------------------------------------------------------------------------
# Image regression


@pytest.mark.parametrize("name", list(bl.BASELINE_LANG))
def test_image_baseline(name, tmp_path):
    from matplotlib.testing.compare import compare_images

    lang = bl.BASELINE_LANG[name]
    expected = bl.baseline_dir() / f"{name}_{lang}.png"
    if not expected.exists():
        pytest.fail(f"no baseline {expected.name}: run `python -m krihs_analysis.figures.baselines`")
    actual = tmp_path / expected.name
    actual.write_bytes(bl.baseline_bytes(name, lang))
    result = compare_images(str(expected), str(actual), tol=6)
    assert result is None, result


def test_the_readme_gallery_shows_what_the_package_draws_today(tmp_path):
    # The README's Korea-Japan profile said "lower on 10 of 14 dimensions" two rounds after the clustered inference
    # made it 7: the gallery is written by hand (baselines --gallery) and nothing compared it with the figures.
    from matplotlib.testing.compare import compare_images

    from krihs_analysis import paths

    for fresh in bl.write_gallery(tmp_path):
        shown = paths.ROOT / "docs" / "gallery" / fresh.name
        assert shown.exists(), f"{shown.name}: run `python -m krihs_analysis.figures.baselines --gallery`"
        result = compare_images(str(shown), str(fresh), tol=6)
        assert result is None, f"{result}; run `python -m krihs_analysis.figures.baselines --gallery`"


# --------------------------------------------------------------------------------------------------------------
# Saving


def test_save_figure_reproducible_with_manifest(tmp_path):
    fig = bl.draw("rmo_trend", "ko")
    entry = save_figure(fig, "rmo_ko", out_dir=tmp_path, dpi=60)
    assert set(entry["files"]) == {"png", "svg", "pdf"}
    first = {f: (tmp_path / n).read_bytes() for f, n in entry["files"].items()}
    assert b"CreationDate" not in first["pdf"]
    assert b"<dc:date>" not in first["svg"]
    # a second figure drawn from scratch gives byte-identical files
    save_figure(bl.draw("rmo_trend", "ko"), "rmo_ko", out_dir=tmp_path, dpi=60)
    assert {f: (tmp_path / n).read_bytes() for f, n in entry["files"].items()} == first
    save_figure(bl.draw("qca_xy", "en"), "xy_en", out_dir=tmp_path, formats=("png",), dpi=40, alt_text="An XY plot")
    manifest = read_manifest(tmp_path)
    assert set(manifest["figures"]) == {"rmo_ko", "xy_en"}  # merged, not replaced
    assert manifest["figures"]["xy_en"]["alt_text"] == "An XY plot"
    assert manifest["figures"]["rmo_ko"]["alt_text"].startswith(st.text("alt_rmo_trend", "ko"))
    assert json.loads((tmp_path / "figures.json").read_text(encoding="utf-8")) == manifest
    assert not list(tmp_path.glob("*.tmp"))


def test_save_figure_needs_alt_text(tmp_path):
    from matplotlib.figure import Figure

    with pytest.raises(ValueError, match="alt_text"):
        save_figure(Figure(), "bare", out_dir=tmp_path, formats=("png",))
    with pytest.raises(ValueError, match="format"):
        save_figure(bl.draw("rmo_trend", "en"), "x", out_dir=tmp_path, formats=("gif",))


def test_build_catalogue_uses_what_exists():
    figs = cat.build_catalogue(None, lang="en", include=["rmo_trend", "truth_table_heatmap"], n_boot=99)
    assert list(figs) == ["rmo_trend", "truth_table_heatmap"]
    assert all(hasattr(f, "savefig") for f in figs.values())


def test_write_catalogue(tmp_path):
    from krihs_analysis.figures import write_catalogue

    manifest = write_catalogue(langs="all", out_dir=tmp_path, formats=("png",), dpi=30,
                               include=["rmo_trend", "qca_xy"], n_boot=99)
    assert set(manifest["figures"]) == {f"{n}_{lang}" for n in ("rmo_trend", "qca_xy") for lang in LANGS}
    assert all((tmp_path / e["files"]["png"]).exists() for e in manifest["figures"].values())
    with pytest.raises(ValueError, match="unknown language"):
        write_catalogue(langs=["xx"], out_dir=tmp_path)


def test_save_figure_accepts_the_axes_a_single_panel_function_returns(tmp_path):
    from krihs_analysis.data import read_context
    from krihs_analysis.figures import rmo_trend, save_figure

    ax = rmo_trend(read_context("rmo_survey"), lang="ja")
    entry = save_figure(ax, "rmo_trend_ja", formats=("png",), dpi=50, out_dir=tmp_path)
    assert entry["lang"] == "ja" and entry["alt_text"]
    assert (tmp_path / "rmo_trend_ja.png").stat().st_size > 0


def test_core_task_gaps_draws_tiny_groups_without_a_whisker_and_says_so():
    from krihs_analysis.compare import core_task_profile
    from krihs_analysis.data import default_clusters, read_cases

    cases = read_cases()
    profile = core_task_profile(cases.assign(cluster=default_clusters(cases)), by="programme", cluster="cluster",
                                n_boot=199)
    tiny = profile["ci_method"].astype(str).str.startswith("group too small")
    assert tiny.any() and profile.loc[tiny, ["ci_low", "ci_high"]].isna().all().all()
    fig = cat.core_task_gaps(profile, lang="en", illustrative=True)
    whiskers = sum(len(c.get_segments()) for a in fig.axes for c in a.collections
                   if type(c).__name__ == "LineCollection")
    n_tasks = profile["task"].nunique()
    drawn = profile[~tiny & ~profile["group"].astype(str).str.startswith("JP")]
    assert whiskers == len(drawn)
    notes = " ".join(st.frame_texts(fig)["notes"])
    assert "No interval for groups of fewer than 5" in notes and n_tasks == 4
    # the subtitle claims intervals for the Korean programmes only when one is drawn (it said "with 95% CI" while
    # the note said no programme had one)
    subtitle = st.frame_texts(fig)["subtitle"]
    if len(drawn):
        assert "by Korean programme with 95% CI" in subtitle
    else:
        assert "by Korean programme;" in subtitle and "the Japanese cases' mean and its 95% CI" in subtitle
    with_ci = cat.core_task_gaps(bl.task_profile(), lang="en", illustrative=True)  # every programme has one
    assert "by Korean programme with 95% CI" in st.frame_texts(with_ci)["subtitle"]


def test_every_exported_figure_name_is_the_function_whatever_was_imported_first():
    # A submodule named like the function it exports (figures/qca_groups.py) replaced the function on the package
    # once anything imported the submodule: figures.qca_groups(...) then raised "'module' object is not callable".
    code = ("import importlib, pkgutil, krihs_analysis.figures as f\n"
            "for m in pkgutil.iter_modules(f.__path__): importlib.import_module('krihs_analysis.figures.' + m.name)\n"
            "import types\n"
            "print(sorted(n for n in f.__all__ if isinstance(getattr(f, n), types.ModuleType)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("status, noted", [("illustrative", True), ("coded", False)])
def test_figures_of_a_sheets_results_carry_the_illustrative_note_only_for_illustrative_cases(status, noted):
    # The result tables carried no provenance, and a figure counts an unmarked table as illustrative: every
    # figure of a coded sheet's notebooks 01, 02 and 04 (country profile, levels, gaps, QCA) said "illustrative".
    from krihs_analysis import qca
    from krihs_analysis.compare import compare_countries, core_task_profile, level_distribution
    from krihs_analysis.data import default_clusters, read_cases
    from krihs_analysis.figures import qca_groups
    from krihs_analysis.linkage import association

    cases = read_cases()
    cases = cases.assign(cluster=default_clusters(cases),
                         data_status=pd.Categorical([status] * len(cases), categories=["illustrative", "coded"]))
    data = qca.from_cases(cases, kind="fuzzy")
    tt = qca.truth_table(data, "sustainability", incl_cut=0.8, pri_cut=0.5)
    model = qca.minimize(tt, kind="parsimonious").models[0]
    figs = {
        "country_profile": cat.country_profile(compare_countries(cases, n_boot=0, cluster="cluster"), lang="en"),
        "level_distributions": cat.level_distributions(level_distribution(cases), lang="en"),
        "core_task_gaps": cat.core_task_gaps(core_task_profile(cases, by="programme", n_boot=0), lang="en"),
        "integration_sustainability": cat.integration_sustainability(
            cases, association(cases, "integration", "sustainability", n_boot=0), lang="en").figure,
        "truth_table_heatmap": cat.truth_table_heatmap(tt, lang="en"),
        "qca_xy": cat.qca_xy(qca.xy_data(data, model, outcome="sustainability"),
                             qca.fit(data, model, outcome="sustainability"), solution=model, lang="en"),
        "qca_groups": qca_groups(qca.cluster_diagnostics(data, "sustainability", model,
                                                         groups=cases["country"].astype(str).to_numpy()), lang="en"),
    }
    notice = load_codebook().notice("illustrative", "en")
    for name, fig in figs.items():
        frame = st.frame_texts(fig if hasattr(fig, "savefig") else fig.figure)
        assert (notice in " ".join(frame["notes"])) is noted, (name, frame["notes"])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_truth_table_heatmap_shows_pri_and_the_rule_that_makes_a_row_1(lang):
    # Rows with consistency 0.87-0.88, above the 0.8 cut, showed an outcome of 0 with nothing to say why: their PRI
    # is below 0.5. PRI 0.496 must not print as 0.50 beside that cut.
    from krihs_analysis import qca
    from krihs_analysis.data import read_cases
    from krihs_analysis.figures import close_figure, frame_texts, truth_table_heatmap

    data = qca.from_cases(read_cases(), kind="fuzzy")
    tt = qca.truth_table(data, "sustainability", list(qca.DEFAULT_CONDITIONS), incl_cut=0.8, pri_cut=0.5)
    ax = truth_table_heatmap(tt, lang=lang)
    shown = [t.get_text() for t in ax.texts if t.get_gid() == "tt-pri"]
    assert shown == [fmt3 for fmt3 in (f"{v:.3f}" for v in tt.table["PRI"])]
    assert "0.496" in shown and "PRI" in [t.get_text() for t in ax.get_xticklabels()]
    assert "PRI" in frame_texts(ax.figure)["subtitle"]  # the subtitle lists the columns it shows
    notes = " ".join(frame_texts(ax.figure)["notes"])
    assert {"en": "Outcome 1: consistency of at least 0.8 and PRI of at least 0.5",
            "ko": "결과 1: 일관성 0.8 이상이고 PRI 0.5 이상인 행"}[lang] in notes
    close_figure(ax.figure)
    # the note says what C and ? mean when the table has them ("0 otherwise" stood beside C and ? rows)
    conditions = list(qca.DEFAULT_CONDITIONS)
    for kwargs, code, clause in [
        ({"incl_cut": (0.9, 0.75)}, "C", {"en": "C (contradictory): consistency from 0.75 to below 0.9",
                                          "ko": "C(모순): 일관성 0.75 이상 0.9 미만"}[lang]),
        ({"n_cut": 2}, "?", {"en": "?: fewer than 2 cases", "ko": "?: 사례가 2개 미만"}[lang])]:
        tt = qca.truth_table(data, "sustainability", conditions, pri_cut=0.5, **kwargs)
        ax = truth_table_heatmap(tt, lang=lang)
        assert code in set(tt.table["OUT"].astype(str)) and clause in " ".join(frame_texts(ax.figure)["notes"])
        close_figure(ax.figure)
    # no header runs into its neighbour now that PRI takes room (English labels are the longest)
    ax = truth_table_heatmap(qca.truth_table(data, "sustainability", list(qca.DEFAULT_CONDITIONS)), lang="en")
    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_xticklabels()][:5]
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:])), boxes
    close_figure(ax.figure)


def test_qca_xy_keeps_every_case_inside_the_square_and_on_its_side_of_the_diagonal():
    # A grid of coincident points put Japanese cases above 1.0, others below 0, and cases on the diagonal just
    # under it, where they read as inconsistent with sufficiency.
    from krihs_analysis.figures import close_figure, frame_texts, qca_xy

    xy = pd.DataFrame({"case_id": [f"c{i}" for i in range(16)],
                       "x": [0.0] * 9 + [1.0] * 4 + [0.67, 0.67, 0.33],
                       "y": [0.0] * 9 + [1.0] * 4 + [0.33, 0.33, 1.0],
                       "country": ["KR", "JP"] * 8})
    ax = qca_xy(xy, {"consistency": 0.9, "coverage": 0.8}, lang="en", illustrative=True)
    points = np.vstack([c.get_offsets() for c in ax.collections if (c.get_gid() or "").startswith("xy-")])
    assert len(points) == 16
    assert points.min() >= 0 and points.max() <= 1
    side = np.sign(np.round(points[:, 1] - points[:, 0], 9))
    assert sorted(side) == sorted(np.sign(xy["y"] - xy["x"]))  # above stays above, on stays on
    # and the note says how far from its values a case may be drawn (a reader takes values off the axes)
    drawn = np.vstack([c.get_offsets() for c in ax.collections if (c.get_gid() or "").startswith("xy-")])
    true = np.vstack([xy.loc[xy["country"] == c, ["x", "y"]].to_numpy() for c in ("KR", "JP")])
    assert drawn.shape == true.shape
    shift = f"{np.abs(drawn - true).max():.2f}"  # each country's cases drawn in the table's order
    note = next(n for n in frame_texts(ax.figure)["notes"] if "side by side along the diagonal" in n)
    assert note.endswith(f"up to {shift} from their values.") and shift != "0.00", note
    close_figure(ax.figure)


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_qca_xy_labels_cover_no_case(lang):
    # The English note "Above the diagonal: consistent with sufficiency" ran into the sample's Japanese cases near
    # (0.6, 1.0) in the brief's Figure 3; a case near (1, 0) would sit under the consistency box.
    from krihs_analysis.figures import close_figure, qca_xy

    xy = pd.DataFrame({"case_id": [f"c{i}" for i in range(6)], "x": [0.61, 0.64, 0.67, 0.98, 0.95, 0.2],
                       "y": [0.94, 0.97, 1.0, 0.02, 0.05, 0.2], "country": ["JP"] * 3 + ["KR"] * 3})
    ax = qca_xy(xy, {"consistency": 0.9, "coverage": 0.8}, lang=lang, illustrative=True)
    fig = ax.figure
    fig.draw_without_rendering()  # laid out as saved
    renderer = fig.canvas.get_renderer()
    points = ax.transData.transform(np.vstack([c.get_offsets() for c in ax.collections
                                               if (c.get_gid() or "").startswith("xy-")]))
    for gid in ("xy-diagonal", "xy-fit"):
        box = next(t for t in ax.texts if t.get_gid() == gid).get_window_extent(renderer)
        inside = [(x, y) for x, y in points if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1]
        assert not inside, (gid, inside)
    close_figure(fig)


def test_qca_xy_spreads_crisp_corners_inward_and_keeps_big_groups_short():
    # The corners (0, 1) and (1, 0) have no room along the diagonal: their cases were drawn outside the axes;
    # 30 cases at (0, 0) ran out to 0.87 as if they had such memberships. A NaN case moved nothing.
    from krihs_analysis.figures import close_figure, frame_texts, qca_xy

    x = [0.0] * 3 + [1.0] * 3 + [0.0] * 30
    y = [1.0] * 3 + [0.0] * 3 + [0.0] * 30
    xy = pd.DataFrame({"case_id": [f"c{i}" for i in range(36)], "x": x, "y": y, "country": "KR"})
    ax = qca_xy(xy, {"consistency": 0.9, "coverage": 0.8}, lang="en", illustrative=True)
    points = np.vstack([c.get_offsets() for c in ax.collections if (c.get_gid() or "").startswith("xy-")])
    assert points.min() >= 0 and points.max() <= 1
    assert sorted(np.sign(np.round(points[:, 1] - points[:, 0], 9))) == sorted(np.sign(np.array(y) - np.array(x)))
    assert points[6:].max() <= 0.15 + 1e-9  # the 30 cases at (0, 0) stay near it
    close_figure(ax.figure)
    lone = pd.DataFrame({"case_id": ["a", "b", "c"], "x": [0.2, 0.6, np.nan], "y": [0.4, 0.9, 0.5]})
    ax = qca_xy(lone, {"consistency": 0.9, "coverage": 0.8}, lang="en", illustrative=True)
    assert not any("side by side" in n for n in frame_texts(ax.figure)["notes"])
    close_figure(ax.figure)
