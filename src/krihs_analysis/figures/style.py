"""House style for KRIHS policy-brief figures: palette, sizes, fonts, wording and the title/notes frame.

Use :func:`house_style` as a context manager around drawing (and saving); it never changes the global rcParams.
Every figure of the catalogue has

* a headline title that states the message, and a subtitle that says what is shown, where and when;
* a source note under the plot and, when the data are the illustrative sample, an "illustrative data" note;
* text in sentence case, in the chosen language (``en``, ``ko`` or ``ja``), labels from the codebook;
* direct labels in preference to legends.

All wording the figures use (titles, subtitles, notes, axis labels) lives in :data:`TEXT`, in three languages.

Examples
--------
>>> from krihs_analysis.figures.style import text, COUNTRY_COLORS
>>> text("illustrative", "en")[:18]
'Illustrative data:'
>>> COUNTRY_COLORS["KR"]
'#0072B2'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..codebook import LANGS, check_lang, load_codebook
from . import fonts

STYLE_PATH = Path(__file__).with_name("style.mplstyle")

# --------------------------------------------------------------------------------------------------------------
# Palette: Okabe-Ito blue and orange for the two countries (colour-blind safe; greyscale luminance ~0.30 vs ~0.62,
# so they stay distinct in a black-and-white print), with a different marker shape as a second cue.

COUNTRY_COLORS: dict[str, str] = {"KR": "#0072B2", "JP": "#E69F00"}
COUNTRY_MARKERS: dict[str, str] = {"KR": "o", "JP": "s"}
COUNTRY_ORDER: tuple[str, ...] = ("KR", "JP")
#: Ordinal codes 0..3: a single-hue sequential ramp (ColorBrewer Purples), monotone in greyscale, unrelated to the
#: country colours.
LEVEL_COLORS: tuple[str, ...] = ("#efedf5", "#bcbddc", "#807dba", "#3f007d")
NEUTRAL = "#7f7f7f"
INK = "#222222"
MUTED = "#555555"

MM = 1 / 25.4
#: Brief column widths in inches: single column about 85 mm, double column about 175 mm.
SINGLE = 85 * MM
DOUBLE = 175 * MM

TITLE_SIZE = 10.5
SUBTITLE_SIZE = 8
NOTE_SIZE = 6.5
PAD = 0.07  # inches around the header and footer

# --------------------------------------------------------------------------------------------------------------
# Wording. Format fields are filled by the figure functions. Sentence case throughout.

TEXT: dict[str, dict[str, str]] = {
    # Notes under the plot
    "source": {"en": "Source: {source}", "ko": "자료: {source}", "ja": "出典: {source}"},
    "source_cases": {
        "en": "Case coding after the design of KRIHS Policy Brief 736, analysed with krihs-analysis",
        "ko": "국토정책 Brief 736의 사례 구성에 따른 사례 코딩, krihs-analysis로 분석",
        "ja": "国土研究院(KRIHS)国土政策Brief第736号の事例構成に基づく事例コーディング、krihs-analysisで分析",
    },
    "n_cases": {
        "en": "{n_kr} Korean and {n_jp} Japanese cases",
        "ko": "한국 {n_kr}개·일본 {n_jp}개 사례",
        "ja": "韓国{n_kr}事例・日本{n_jp}事例",
    },
    "ci95": {"en": "95% CI", "ko": "95% 신뢰구간", "ja": "95%信頼区間"},
    # 1. country profile
    "profile_title": {
        "en": "Korean cases score lower than Japanese ones on {k} of {n} dimensions",
        "ko": "한국 사례는 {n}개 항목 중 {k}개에서 일본 사례보다 낮다",
        "ja": "韓国の事例は{n}項目中{k}項目で日本の事例を下回る",
    },
    "profile_title_sig": {
        "en": "Korean cases score significantly lower than Japanese ones on {k} of {n} dimensions",
        "ko": "한국 사례는 {n}개 항목 중 {k}개에서 일본 사례보다 유의하게 낮다",
        "ja": "韓国の事例は{n}項目中{k}項目で日本の事例を有意に下回る",
    },
    "profile_subtitle": {
        "en": "Median code (0–3) and Cliff's δ (Korea − Japan) with 95% CI; {cases}",
        "ko": "중앙값(0~3)과 Cliff's δ(한국 − 일본) 및 95% 신뢰구간; {cases}",
        "ja": "中央値(0~3)とクリフのデルタ(韓国−日本)、95%信頼区間; {cases}",
    },
    "profile_median": {"en": "Median code", "ko": "중앙값", "ja": "中央値"},
    "profile_delta": {"en": "Cliff's δ, Korea − Japan", "ko": "Cliff's δ (한국 − 일본)", "ja": "クリフのデルタ (韓国−日本)"},
    "profile_scale": {"en": "0 = lowest, 3 = highest", "ko": "0 = 최저, 3 = 최고", "ja": "0 = 最低、3 = 最高"},
    "profile_direction": {"en": "← Japan higher | Korea higher →", "ko": "← 일본이 높음 | 한국이 높음 →",
                          "ja": "← 日本が高い | 韓国が高い →"},
    "profile_filled": {
        "en": "Filled markers: Holm-adjusted p < 0.05; open: not significant.",
        "ko": "채운 점: Holm 보정 p < 0.05, 빈 점: 유의하지 않음.",
        "ja": "塗りつぶし: Holm補正後 p < 0.05、白抜き: 有意でない。",
    },
    # 2. level distributions
    "levels_title": {
        "en": "On average {share_jp} of Japanese and {share_kr} of Korean cases reach code 2 or 3",
        "ko": "평균적으로 일본 사례의 {share_jp}, 한국 사례의 {share_kr}가 2~3 수준에 이른다",
        "ja": "平均で日本の事例の{share_jp}、韓国の事例の{share_kr}がコード2~3に達する",
    },
    "levels_subtitle": {
        "en": "Share of cases by code (0 = lowest, 3 = highest) for each variable; {cases}",
        "ko": "변수별 수준(0 = 최저, 3 = 최고)에 따른 사례 비율; {cases}",
        "ja": "変数ごとのコード別事例割合(0 = 最低、3 = 最高); {cases}",
    },
    "levels_binary": {
        "en": "Yes/no items ({items}): 0 = no (lightest), 1 = yes (darkest).",
        "ko": "예/아니오 항목({items}): 0 = 아니오(가장 연한 색), 1 = 예(가장 진한 색).",
        "ja": "はい/いいえの項目({items}): 0 = いいえ(最も薄い色)、1 = はい(最も濃い色)。",
    },
    "levels_legend": {"en": "Code", "ko": "수준", "ja": "コード"},
    "share_axis": {"en": "Share of cases", "ko": "사례 비율", "ja": "事例の割合"},
    # 3. core-task gaps
    "gaps_title": {
        "en": "{k} of {m} Korean programme scores fall below the Japanese benchmark",
        "ko": "한국 사업의 핵심 과제 점수 {m}개 중 {k}개가 일본 기준보다 낮다",
        "ja": "韓国事業の中核課題スコア{m}件中{k}件が日本の水準を下回る",
    },
    "gaps_subtitle": {
        "en": "Core-task index (mean of 0–3 items) by Korean programme with 95% CI; line and band: Japanese cases",
        "ko": "한국 사업별 핵심 과제 지수(0~3 항목의 평균)와 95% 신뢰구간; 선과 띠: 일본 사례",
        "ja": "韓国の事業別の中核課題指数(0~3項目の平均)と95%信頼区間; 線と帯: 日本の事例",
    },
    "gaps_axis": {"en": "Index (0–3)", "ko": "지수 (0~3)", "ja": "指数 (0~3)"},
    # 4. integration and sustainability
    "link_title_pos": {
        "en": "More integrated cases tend to be more sustainable",
        "ko": "사업 간 연계·통합 수준이 높은 사례일수록 지속가능성도 높은 경향이 있다",
        "ja": "事業の連携・統合が進んだ事例ほど持続可能性が高い傾向がある",
    },
    "link_title_neg": {
        "en": "More integrated cases tend to be less sustainable",
        "ko": "사업 간 연계·통합 수준이 높은 사례일수록 지속가능성은 낮은 경향이 있다",
        "ja": "事業の連携・統合が進んだ事例ほど持続可能性が低い傾向がある",
    },
    "link_title_none": {
        "en": "No clear link between project integration and sustainability",
        "ko": "사업 간 연계·통합과 지속가능성 사이에 뚜렷한 관계가 없다",
        "ja": "事業の連携・統合と持続可能性の間に明確な関係はない",
    },
    "link_subtitle": {
        "en": "Each point is one case; {method} = {statistic}{ci}, {p}, n = {n}",
        "ko": "점 하나가 사례 하나; {method} = {statistic}{ci}, {p}, n = {n}",
        "ja": "点は1事例; {method} = {statistic}{ci}, {p}, n = {n}",
    },
    "method_kendall": {"en": "Kendall's τ-b", "ko": "Kendall τ-b", "ja": "ケンドールのτ-b"},
    "method_spearman": {"en": "Spearman's ρ", "ko": "Spearman ρ", "ja": "スピアマンのρ"},
    "method_pearson": {"en": "Pearson's r", "ko": "Pearson r", "ja": "ピアソンのr"},
    "method_gamma": {"en": "Goodman-Kruskal γ", "ko": "Goodman–Kruskal γ", "ja": "グッドマン・クラスカルのγ"},
    # 5. QCA XY plot
    "xy_title_good": {
        "en": "Cases in the solution are mostly sustainable (consistency {consistency})",
        "ko": "해에 속하는 사례는 대체로 지속가능하다 (일관성 {consistency})",
        "ja": "解に属する事例の多くが持続している (整合度 {consistency})",
    },
    "xy_title_weak": {
        "en": "Membership in the solution does not reliably go with the outcome (consistency {consistency})",
        "ko": "해 소속 점수가 결과와 일관되게 함께하지 않는다 (일관성 {consistency})",
        "ja": "解への所属は結果と一貫して結びつかない (整合度 {consistency})",
    },
    "xy_subtitle": {
        "en": "Membership in {solution} against {outcome}; consistency {consistency}, coverage {coverage}",
        "ko": "{solution} 소속 점수와 {outcome}; 일관성 {consistency}, 포괄성 {coverage}",
        "ja": "{solution}への所属度と{outcome}; 整合度 {consistency}、被覆度 {coverage}",
    },
    "xy_x": {"en": "Membership in the solution", "ko": "해 소속 점수", "ja": "解への所属度"},
    "xy_diagonal": {"en": "Above the diagonal: consistent with sufficiency",
                    "ko": "대각선 위: 충분조건과 일치", "ja": "対角線より上: 十分条件と整合"},
    "xy_fit": {"en": "Consistency {consistency}\nCoverage {coverage}",
               "ko": "일관성 {consistency}\n포괄성 {coverage}", "ja": "整合度 {consistency}\n被覆度 {coverage}"},
    # 6. truth table
    "tt_title": {
        "en": "{k} of {m} observed configurations lead to the outcome",
        "ko": "관측된 조건 조합 {m}개 중 {k}개가 결과로 이어진다",
        "ja": "観察された条件の組み合わせ{m}件中{k}件が結果につながる",
    },
    "tt_subtitle": {
        "en": "Truth table: one row per configuration (dark = condition present), with cases, consistency and outcome",
        "ko": "진리표: 조건 조합별 한 행(진한 색 = 조건 있음), 사례 수·일관성·결과",
        "ja": "真理表: 組み合わせごとに1行(濃い色 = 条件あり)、事例数・整合度・結果",
    },
    "tt_n": {"en": "Cases", "ko": "사례 수", "ja": "事例数"},
    "tt_incl": {"en": "Consistency", "ko": "일관성", "ja": "整合度"},
    "tt_out": {"en": "Outcome", "ko": "결과", "ja": "結果"},
    "tt_conditions": {"en": "Conditions", "ko": "조건", "ja": "条件"},
    "tt_row": {"en": "Configuration", "ko": "조합", "ja": "組み合わせ"},
    # 7. RMO trend
    "rmo_title": {
        "en": "Regional management organisations in Japan grew {ratio}-fold from {y0} to {y1}",
        "ko": "일본의 지역운영조직은 {y0}년부터 {y1}년까지 {ratio}배로 늘었다",
        "ja": "地域運営組織は{y0}年から{y1}年にかけて{ratio}倍に増えた",
    },
    "rmo_subtitle": {
        "en": "Number of organisations by survey year, Japan; municipalities with at least one: {m0} → {m1}",
        "ko": "일본, 조사 연도별 조직 수; 조직이 있는 시정촌: {m0} → {m1}곳",
        "ja": "全国、調査年度別の組織数; 組織のある市町村: {m0} → {m1}",
    },
    "rmo_axis": {"en": "Organisations", "ko": "조직 수", "ja": "組織数"},
    "rmo_year": {"en": "Survey year", "ko": "조사 연도", "ja": "調査年度"},
    "benchmark": {"en": "Japan", "ko": "일본", "ja": "日本"},
    "ci_range": {"en": " (95% CI {lo} to {hi})", "ko": " (95% 신뢰구간 {lo}~{hi})", "ja": " (95%信頼区間 {lo}~{hi})"},
    "levels_title_generic": {"en": "Distribution of codes by group", "ko": "집단별 수준 분포", "ja": "グループ別のコード分布"},
    # Alt text: what kind of chart it is (the title and subtitle follow)
    "alt_country_profile": {"en": "Dot plot comparing Korean and Japanese cases on every coded dimension",
                            "ko": "모든 코딩 항목에서 한국과 일본 사례를 비교한 점 도표",
                            "ja": "すべてのコード項目で韓国と日本の事例を比べたドットプロット"},
    "alt_level_distributions": {"en": "100% stacked bar chart of code shares per variable and country",
                                "ko": "변수와 국가별 수준 비율을 보여주는 100% 누적 막대 도표",
                                "ja": "変数・国別のコード割合を示す100%積み上げ棒グラフ"},
    "alt_core_task_gaps": {"en": "Dot plot of core-task indices by Korean programme against a Japanese benchmark line",
                           "ko": "한국 사업별 핵심 과제 지수를 일본 기준선과 비교한 점 도표",
                           "ja": "韓国の事業別の中核課題指数を日本の基準線と比べたドットプロット"},
    "alt_integration_sustainability": {"en": "Scatter plot of cases by project integration and sustainability",
                                       "ko": "사업 간 연계·통합과 지속가능성에 따른 사례 산점도",
                                       "ja": "事業の連携・統合と持続可能性による事例の散布図"},
    "alt_qca_xy": {"en": "QCA XY plot of membership in the solution against the outcome",
                   "ko": "해 소속 점수와 결과를 비교한 QCA XY 도표",
                   "ja": "解への所属度と結果を比べたQCAのXYプロット"},
    "alt_truth_table_heatmap": {"en": "Truth table heat map of configurations and conditions",
                                "ko": "조건 조합과 조건을 보여주는 진리표 열지도",
                                "ja": "組み合わせと条件を示す真理表のヒートマップ"},
    "alt_rmo_trend": {"en": "Bar chart of the number of regional management organisations in Japan by survey year",
                      "ko": "조사 연도별 일본 지역운영조직 수 막대 도표",
                      "ja": "調査年度別の地域運営組織数の棒グラフ"},
}


def text(key: str, lang: str, /, **fields: Any) -> str:
    """The wording `key` in `lang`, with format `fields` filled in."""
    check_lang(lang)
    if key == "illustrative":  # one wording everywhere: the codebook's notice
        return load_codebook().notice("illustrative", lang)
    try:
        template = TEXT[key][lang]
    except KeyError:
        raise ValueError(f"no figure wording {key!r}; known keys: {', '.join(sorted(TEXT))}") from None
    return template.format(**fields) if fields else template


def country_label(code: str, lang: str) -> str:
    """Korea / 한국 / 韓国 (from the codebook) for a country code."""
    return load_codebook()["country"].level_label(code, lang)


def short_level(variable: str, code: Any, lang: str) -> str:
    """The head of a level's anchor text ("Isolated" from "Isolated: no link ..."), for tick labels."""
    anchor = load_codebook()[variable].level_label(code, lang)
    return re.split(r"[:：]", anchor, maxsplit=1)[0].strip()


def sentence(parts: Sequence[str], lang: str) -> str:
    """Join sentences the way `lang` writes them (". " or "。")."""
    sep = "。" if lang == "ja" else ". "
    out = sep.join(p.strip().rstrip(".。") for p in parts if p and p.strip())
    return out + ("。" if lang == "ja" else ".")


def inline(label: str, lang: str) -> str:
    """A codebook label used inside an English sentence: lower-case its first letter (not acronyms)."""
    if lang == "en" and len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def fmt_num(x: float, digits: int = 2) -> str:
    """A number with a true minus sign (U+2212)."""
    s = f"{x:.{digits}f}"
    return s.replace("-", "−")


def fmt_p(p: float) -> str:
    if p != p:  # NaN
        return "p = n/a"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def fmt_pct(x: float) -> str:
    return f"{round(100 * x):d}%"


# --------------------------------------------------------------------------------------------------------------
# rcParams


def rc_for(lang: str) -> dict[str, Any]:
    """The rcParams the house style sets on top of ``style.mplstyle`` for `lang` (fonts only)."""
    check_lang(lang)
    families = fonts.font_families(lang)
    if not fonts.cjk_available():
        have = fonts.available_families()
        families = [f for f in families if f in have] or ["DejaVu Sans"]
    return {"font.family": families}


@contextmanager
def house_style(lang: str = "en") -> Iterator[None]:
    """Apply the house style (``style.mplstyle`` plus the fonts for `lang`) within a ``with`` block.

    On leaving the block exactly the settings the style changed are put back; settings that something else
    changed meanwhile stay. That matters in Jupyter: the inline backend loads on the first figure and switches
    interactive mode on; ``matplotlib.rc_context`` would undo that on exit, after which no figure made in the
    session is shown again.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with house_style("ko"):
    ...     mpl.rcParams["font.family"][0]
    'Noto Sans CJK KR'
    """
    import matplotlib as mpl
    import matplotlib.style

    rc = rc_for(lang)
    before = dict(mpl.rcParams)
    # Start from matplotlib's defaults so that a global theme set elsewhere (seaborn.set_theme, a matplotlibrc)
    # cannot change the figures.
    matplotlib.style.use(["default", str(STYLE_PATH)])
    mpl.rcParams.update(rc)
    touched = {k: v for k, v in before.items() if k in mpl.rcParams and mpl.rcParams[k] != v}
    try:
        yield
    finally:
        # dict.update: the values were valid when they were set; re-validating would warn on deprecated keys.
        dict.update(mpl.rcParams, touched)


# --------------------------------------------------------------------------------------------------------------
# Figures and their frame (title, subtitle, notes)


def _in_jupyter_kernel() -> bool:
    """True inside a running Jupyter kernel (a notebook, Papermill), not merely when ipykernel is importable."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def new_figure(width: float = DOUBLE, height: float = 3.0, *, nrows: int = 1, ncols: int = 1, **subplot_kw: Any):
    """A Figure with constrained layout: an Agg canvas outside Jupyter (not registered with pyplot, so nothing leaks
    in batch runs), a pyplot figure inside a Jupyter kernel (so that it displays).

    `height` is the height of the plot area; :func:`decorate` adds the header and the footer to it.
    """
    if _in_jupyter_kernel():
        # In Jupyter (and Papermill reports) a pyplot figure displays inline at the end of the cell.
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(width, height), layout="constrained")
    else:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=0.04, h_pad=0.04, wspace=0.04, hspace=0.04)
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    fig._krihs = {"plot_height": height}
    return fig, axes


def _tokens(s: str, lang: str) -> list[str]:
    """Break points for wrapping: words (with their trailing space); single CJK characters for Japanese."""
    if lang == "ja":
        # Runs of Latin/digits stay whole; a CJK character takes the closing punctuation after it.
        # A number keeps the counter after it (2.3倍, 28件), so lines never start with a bare counter.
        return re.findall(r"[A-Za-z0-9.,%()\-−–'’/=<>]+(?:[^\sA-Za-z0-9][、。）」』]*)?\s*|\s+|.[、。）」』・:：;,]*\s*", s)
    return re.findall(r"\S+\s*|\s+", s)


def wrap_text(s: str, width_in: float, *, fontsize: float, lang: str, weight: str = "normal", fig=None) -> str:
    """Greedy line wrapping of `s` to `width_in` inches at `fontsize`, measured with the current fonts."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=fontsize, weight=weight)
    renderer = RendererAgg(10, 10, 72)  # 72 dpi: widths come out in points

    def width(t: str) -> float:
        w, _, _ = renderer.get_text_width_height_descent(t, prop, ismath=False)
        return w / 72

    out_lines = []
    for para in s.split("\n"):
        line = ""
        for tok in _tokens(para, lang):
            trial = line + tok
            if line and width(trial.rstrip()) > width_in:
                out_lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line = trial
        out_lines.append(line.rstrip())
    return "\n".join(out_lines)


def decorate(fig, *, title: str, subtitle: str | None, notes: Sequence[str], lang: str) -> None:
    """Frame a figure: headline title and subtitle above the plot, notes (source, illustrative) below it.

    The figure grows by the height of header and footer so that the plot area keeps its height; the texts are
    wrapped to the figure width. Constrained layout then fits the axes (with their tick labels) in between.
    """
    width = fig.get_figwidth()
    plot_h = fig._krihs.get("plot_height", fig.get_figheight()) if hasattr(fig, "_krihs") else fig.get_figheight()
    avail = width - 2 * PAD
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(10, 10, 72)

    def block(s: str, size: float, weight: str = "normal") -> tuple[str, float]:
        wrapped = wrap_text(s, avail, fontsize=size, lang=lang, weight=weight)
        prop = FontProperties(size=size, weight=weight)
        # Line height as matplotlib lays it out: 1.2 x the font's line spacing
        _, h, d = renderer.get_text_width_height_descent("lp한日", prop, ismath=False)
        nlines = wrapped.count("\n") + 1
        return wrapped, ((h) + (nlines - 1) * 1.2 * h) / 72 + 0.01

    head = [block(title, TITLE_SIZE, "bold")]
    if subtitle:
        head.append(block(subtitle, SUBTITLE_SIZE))
    foot = [block(n, NOTE_SIZE) for n in notes if n]
    gap_head, gap_foot = 0.06, 0.03
    head_h = PAD + sum(h for _, h in head) + gap_head * (len(head) - 1) + 0.10
    foot_h = (PAD + sum(h for _, h in foot) + gap_foot * max(len(foot) - 1, 0) + 0.06) if foot else PAD
    total = plot_h + head_h + foot_h
    fig.set_figheight(total)

    inches = fig.dpi_scale_trans
    y = total - PAD
    colors = [INK, MUTED]
    for i, (s, h) in enumerate(head):
        fig.text(PAD, y, s, transform=inches, ha="left", va="top", fontsize=TITLE_SIZE if i == 0 else SUBTITLE_SIZE,
                 fontweight="bold" if i == 0 else "normal", color=colors[min(i, 1)], linespacing=1.2,
                 gid="krihs-title" if i == 0 else "krihs-subtitle")
        y -= h + gap_head
    y = PAD
    for j, (s, h) in enumerate(reversed(foot)):
        fig.text(PAD, y, s, transform=inches, ha="left", va="bottom", fontsize=NOTE_SIZE, color=MUTED,
                 linespacing=1.2, gid=f"krihs-note-{len(foot) - 1 - j}")
        y += h + gap_foot
    fig.get_layout_engine().set(rect=(0, foot_h / total, 1, plot_h / total))
    fig._krihs.update(title=title, subtitle=subtitle, notes=[n for n in notes if n], lang=lang)


def frame_texts(fig) -> dict[str, Any]:
    """The title, subtitle and notes a figure was framed with (for tests and alt text)."""
    meta = getattr(fig, "_krihs", {})
    return {k: meta.get(k) for k in ("title", "subtitle", "notes", "lang")}


def check_langs(langs: Sequence[str] | str) -> list[str]:
    """Expand ``"all"`` and check every language."""
    if isinstance(langs, str):
        langs = list(LANGS) if langs == "all" else [langs]
    return [check_lang(lang) for lang in langs]
