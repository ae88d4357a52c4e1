"""The brief's sentences: each one a ko/en template filled from one named result.

Every finding states its number with its uncertainty and is worded as weak evidence when the confidence interval
includes zero (or one, for odds ratios) or the exact p-value exceeds the chosen level. No sentence is written
without a result behind it: each :class:`Finding` carries the name and key of the result it came from.

Examples
--------
>>> import pandas as pd
>>> row = pd.Series({"variable": "resident_org", "median_kr": 1.0, "median_jp": 3.0, "cliffs_delta": -0.85,
...                  "ci_low": -0.98, "ci_high": -0.55, "p_value": 0.0004, "p_holm": 0.004, "p_method": "exact"})
>>> print(comparison_sentence(row, lang="en"))
Korean cases score lower than Japanese cases on representative resident organisation (median 1 vs 3; Cliff's δ = −0.85, 95% CI −0.98 to −0.55; exact p < 0.001, Holm-adjusted p = 0.004).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..codebook import load_codebook

BRIEF_LANGS = ("ko", "en")


def check_brief_lang(lang: str) -> str:
    """Briefs are drafted in Korean and English (KRIHS's publication languages)."""
    if lang not in BRIEF_LANGS:
        raise ValueError(f"unknown brief language {lang!r}: expected 'ko' or 'en'")
    return lang


def fmt_num(x: float, digits: int = 2) -> str:
    """A number with `digits` decimals and a typographic minus sign.

    Examples
    --------
    >>> fmt_num(-0.5), fmt_num(0.444, 3)
    ('−0.50', '0.444')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{float(x):.{digits}f}".replace("-", "−")


def fmt_median(x: float) -> str:
    """A median of 0-3 codes: whole codes without decimals, half codes with one.

    Examples
    --------
    >>> fmt_median(3.0), fmt_median(2.5)
    ('3', '2.5')
    """
    x = float(x)
    return f"{x:.0f}" if x.is_integer() else f"{x:.1f}"


def fmt_p(p: float) -> str:
    """``= 0.012`` or ``< 0.001``.

    Examples
    --------
    >>> fmt_p(0.0123), fmt_p(0.0004)
    ('= 0.012', '< 0.001')
    """
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _var_label(name: str, lang: str) -> str:
    label = load_codebook().label(name, lang)
    # Sentence case inside a sentence (English labels are written in sentence case in the codebook).
    return label[0].lower() + label[1:] if lang == "en" and not label[:2].isupper() else label


def is_weak(ci_low: float, ci_high: float, p: float, *, alpha: float = 0.05, null: float = 0.0) -> bool:
    """Weak evidence: the CI includes the null value, or p exceeds `alpha`, or the CI is undefined.

    Examples
    --------
    >>> is_weak(-0.1, 0.5, 0.01), is_weak(0.2, 0.6, 0.01), is_weak(0.2, 0.6, 0.2)
    (True, False, True)
    """
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (ci_low, ci_high, p)):
        return True
    return bool(ci_low <= null <= ci_high or p > alpha)


QCA_CONSISTENCY_CUT = 0.8  # below it a QCA solution is worded as weak evidence


def comparison_is_weak(row: Mapping | pd.Series, *, alpha: float = 0.05) -> bool:
    """A comparison row is weak evidence when its Cliff's delta CI includes 0 or its Holm-adjusted p > `alpha`."""
    p_adj = float(row.get("p_holm", row["p_value"]))
    return is_weak(float(row["ci_low"]), float(row["ci_high"]), p_adj, alpha=alpha)


def association_is_weak(row: Mapping | pd.Series, *, alpha: float = 0.05) -> bool:
    """An association row is weak evidence when its CI includes the null (1 for an odds ratio, else 0) or p > `alpha`."""
    null = 1.0 if str(row["method"]) == "fisher" else 0.0
    return is_weak(float(row["ci_low"]), float(row["ci_high"]), float(row["p_value"]), alpha=alpha, null=null)


def rank_comparisons(comparison: pd.DataFrame) -> pd.DataFrame:
    """Comparison rows in reporting order: smallest Holm-adjusted p first, then largest |Cliff's delta|."""
    order = comparison.assign(_abs=comparison["cliffs_delta"].abs())
    return order.sort_values(["p_holm", "_abs"], ascending=[True, False]).drop(columns="_abs")


def largest_gap(gaps: pd.DataFrame) -> pd.Series:
    """The programme-and-task row furthest below its Japanese benchmark."""
    return gaps.loc[(gaps["benchmark"] - gaps["mean"]).idxmax()]


_P_NAMES = {
    "en": {"exact": "exact p", "monte carlo": "Monte Carlo p", "monte-carlo": "Monte Carlo p"},
    "ko": {"exact": "정확 p", "monte carlo": "몬테카를로 p", "monte-carlo": "몬테카를로 p"},
}


def _p_name(method: str, lang: str) -> str:
    key = str(method).lower()
    for k, v in _P_NAMES[lang].items():
        if key.startswith(k):
            return v
    return "p"


def comparison_sentence(row: Mapping | pd.Series, *, lang: str = "en", alpha: float = 0.05) -> str:
    """One Korea–Japan comparison (a row of :func:`krihs_analysis.compare.compare_countries`) as a sentence.

    Strong wording needs the Cliff's δ CI to exclude zero and the Holm-adjusted p to be at most `alpha`.
    """
    check_brief_lang(lang)
    d, lo, hi = float(row["cliffs_delta"]), float(row["ci_low"]), float(row["ci_high"])
    p, p_adj = float(row["p_value"]), float(row.get("p_holm", row["p_value"]))
    label = _var_label(row["variable"], lang)
    weak = comparison_is_weak(row, alpha=alpha)
    pn = _p_name(row.get("p_method", "exact"), lang)
    if lang == "en":
        direction = "lower" if d < 0 else "higher"
        stats = (f"median {fmt_median(row['median_kr'])} vs {fmt_median(row['median_jp'])}; Cliff's δ = {fmt_num(d)}, "
                 f"95% CI {fmt_num(lo)} to {fmt_num(hi)}; {pn} {fmt_p(p)}, Holm-adjusted p {fmt_p(p_adj)}")
        if d == 0:
            return f"Korean and Japanese cases show no difference on {label} in this sample ({stats})."
        if weak:
            return (f"Korean cases tend to score {direction} than Japanese cases on {label}, "
                    f"but the evidence is weak ({stats}).")
        return f"Korean cases score {direction} than Japanese cases on {label} ({stats})."
    direction = "낮다" if d < 0 else "높다"
    stats = (f"중앙값 {fmt_median(row['median_kr'])} 대 {fmt_median(row['median_jp'])}; Cliff's δ = {fmt_num(d)}, "
             f"95% 신뢰구간 {fmt_num(lo)}~{fmt_num(hi)}; {pn} {fmt_p(p)}, Holm 보정 p {fmt_p(p_adj)}")
    if d == 0:
        return f"{label}에서 한국과 일본 사례 간 차이가 나타나지 않았다 ({stats})."
    if weak:
        tend = "낮은" if d < 0 else "높은"
        return f"{label}에서 한국 사례가 일본 사례보다 {tend} 경향이 있으나 근거는 약하다 ({stats})."
    return f"{label}에서 한국 사례는 일본 사례보다 {direction} ({stats})."


_METHOD_NAMES = {
    "kendall": {"en": "Kendall's τ-b", "ko": "Kendall τ-b"},
    "spearman": {"en": "Spearman's ρ", "ko": "Spearman ρ"},
    "fisher": {"en": "odds ratio", "ko": "오즈비"},
    "trend": {"en": "Cochran–Armitage Z", "ko": "Cochran–Armitage Z"},
}


def association_sentence(row: Mapping | pd.Series, *, lang: str = "en", alpha: float = 0.05) -> str:
    """One association (a row of :func:`krihs_analysis.linkage.association`) as a sentence.

    Examples
    --------
    >>> row = {"x": "integration", "y": "sustainability", "method": "kendall", "statistic": 0.52, "ci_low": 0.25,
    ...        "ci_high": 0.74, "p_value": 0.003, "p_method": "exact", "n": 26, "strata": None}
    >>> print(association_sentence(row, lang="ko"))
    사업 간 연계·통합 수준이 높은 사례일수록 종합 지속가능성 수준이 높다 (Kendall τ-b = 0.52, 95% 신뢰구간 0.25~0.74; 정확 p = 0.003; n = 26).
    """
    check_brief_lang(lang)
    method = str(row["method"])
    stat, lo, hi, p = (float(row[k]) for k in ("statistic", "ci_low", "ci_high", "p_value"))
    weak = association_is_weak(row, alpha=alpha)
    positive = stat > (1.0 if method == "fisher" else 0.0)
    xl, yl = _var_label(row["x"], lang), _var_label(row["y"], lang)
    mname = _METHOD_NAMES.get(method, {"en": method, "ko": method})[lang]
    strata = row.get("strata")
    has_strata = isinstance(strata, str) and strata not in ("", "None", "nan")
    pn = _p_name(row.get("p_method", "exact"), lang)
    if lang == "en":
        within = f", permuted within {strata}s" if has_strata else ""
        stats = (f"{mname} = {fmt_num(stat)}, 95% CI {fmt_num(lo)} to {fmt_num(hi)}; {pn} {fmt_p(p)}{within}; "
                 f"n = {int(row['n'])}")
        more = "higher" if positive else "lower"
        if weak:
            return (f"Cases with more {xl} tend to show {more} {yl}, but the evidence is weak ({stats}).")
        return f"Cases with more {xl} show {more} {yl} ({stats})."
    within = f", {'사업' if strata == 'programme' else strata} 내 순열검정" if has_strata else ""
    stats = (f"{mname} = {fmt_num(stat)}, 95% 신뢰구간 {fmt_num(lo)}~{fmt_num(hi)}; {pn} {fmt_p(p)}{within}; "
             f"n = {int(row['n'])}")
    more = "높다" if positive else "낮다"
    if weak:
        tend = "높은" if positive else "낮은"
        return f"{xl} 수준이 높은 사례일수록 {yl} 수준이 {tend} 경향이 있으나 근거는 약하다 ({stats})."
    return f"{xl} 수준이 높은 사례일수록 {yl} 수준이 {more} ({stats})."


def qca_sentence(model: str, fit: Mapping | pd.Series, *, outcome: str = "sustainability", lang: str = "en",
                 consistency_cut: float = QCA_CONSISTENCY_CUT) -> str:
    """A QCA sufficiency solution with its consistency and coverage as a sentence.

    The configuration is written with codebook labels; "~X" reads "low X" ("X 미흡"). Consistency below
    `consistency_cut` is worded as weak evidence.

    Examples
    --------
    >>> print(qca_sentence("resident_org*intermediary", {"consistency": 0.92, "coverage": 0.71}, lang="en"))
    Cases with the combination of representative resident organisation and intermediate support organisation are mostly sustained (consistency 0.92, coverage 0.71).
    """
    check_brief_lang(lang)
    cons, cov = float(fit["consistency"]), float(fit["coverage"])
    terms = [t.strip() for t in model.split("+")]
    words = []
    for term in terms:
        parts = []
        for lit in term.split("*"):
            neg = lit.startswith("~")
            name = lit.lstrip("~").split("[")[0]
            lab = _var_label(name, lang)
            parts.append((f"low {lab}" if neg else lab) if lang == "en" else (f"{lab} 미흡" if neg else lab))
        words.append(" and ".join(parts) if lang == "en" else ", ".join(parts))
    weak = cons < consistency_cut
    if lang == "en":
        combo = "; or ".join(words)
        kind = "the combination of " if len(terms) == 1 and "*" in terms[0] else ""
        stats = f"consistency {cons:.2f}, coverage {cov:.2f}"
        if weak:
            return f"Cases with {kind}{combo} tend to be sustained, but the evidence is weak ({stats})."
        return f"Cases with {kind}{combo} are mostly sustained ({stats})."
    combo = " 또는 ".join(f"[{w}]" for w in words) if len(words) > 1 else f"[{words[0]}]"
    stats = f"일관성 {cons:.2f}, 포괄성 {cov:.2f}"
    if weak:
        return f"{combo} 조건을 함께 갖춘 사례는 지속가능성이 높은 경향이 있으나 근거는 약하다 ({stats})."
    return f"{combo} 조건을 함께 갖춘 사례는 대체로 지속가능성이 높다 ({stats})."


def core_task_sentence(row: Mapping | pd.Series, *, lang: str = "en") -> str:
    """The largest core-task gap of a Korean programme against the Japanese benchmark.

    `row` has ``group`` (programme), ``task``, ``mean`` and ``benchmark`` (the Japanese mean).

    Examples
    --------
    >>> print(core_task_sentence({"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1}))
    The largest single gap to the Japanese benchmark is programme KR-P2's score on intermediate support organisations: 0.50 against 2.10 on the 0–3 scale.
    """
    check_brief_lang(lang)
    task = load_codebook().core_tasks[row["task"]][lang]
    task = task[0].lower() + task[1:] if lang == "en" else task
    m, b = float(row["mean"]), float(row["benchmark"])
    if lang == "en":
        return (f"The largest single gap to the Japanese benchmark is programme {row['group']}'s score on {task}: "
                f"{m:.2f} against {b:.2f} on the 0–3 scale.")
    return (f"사업별·과제별로 일본 사례와의 격차가 가장 큰 것은 {row['group']} 사업의 ‘{task}’ 과제로, "
            f"사업 평균 {m:.2f}점, 일본 평균 {b:.2f}점이다(0~3 척도).")


def status_sentence(summary: Mapping | pd.Series, *, lang: str = "en") -> str:
    """The case base in one sentence, from counts (``n_kr, n_jp, n_programmes, n_ministries, n_continued_kr,
    n_continued_jp``).

    Examples
    --------
    >>> print(status_sentence({"n_kr": 14, "n_jp": 12, "n_programmes": 7, "n_ministries": 3,
    ...                        "n_continued_kr": 9, "n_continued_jp": 11}))
    The analysis covers 14 Korean cases of 7 programmes run by 3 ministries and 12 Japanese regional management organisations; activity continued after national support ended in 9 of 14 Korean and 11 of 12 Japanese cases.
    """
    check_brief_lang(lang)
    k = {key: int(summary[key]) for key in ("n_kr", "n_jp", "n_programmes", "n_ministries", "n_continued_kr",
                                             "n_continued_jp")}
    if lang == "en":
        return (f"The analysis covers {k['n_kr']} Korean cases of {k['n_programmes']} programmes run by "
                f"{k['n_ministries']} ministries and {k['n_jp']} Japanese regional management organisations; "
                f"activity continued after national support ended in {k['n_continued_kr']} of {k['n_kr']} Korean and "
                f"{k['n_continued_jp']} of {k['n_jp']} Japanese cases.")
    return (f"분석 대상은 {k['n_ministries']}개 부처 {k['n_programmes']}개 사업의 한국 사례 {k['n_kr']}개와 일본 "
            f"지역운영조직 {k['n_jp']}개이다. 국비 지원 종료 후 활동이 지속된 사례는 한국 {k['n_kr']}개 중 "
            f"{k['n_continued_kr']}개, 일본 {k['n_jp']}개 중 {k['n_continued_jp']}개이다.")


def implication_sentence(row: Mapping | pd.Series, *, rank: int, lang: str = "en") -> str:
    """A policy implication for one core task, ranked by its mean gap to the Japanese benchmark.

    `row` has ``task``, ``gap`` (Japanese mean minus Korean mean, 0-3 scale) and ``n_programmes_below`` (Korean
    programmes under the benchmark) out of ``n_programmes``.

    Examples
    --------
    >>> print(implication_sentence({"task": "task4_intermediary", "gap": 0.9, "n_programmes_below": 7,
    ...                             "n_programmes": 7}, rank=1))
    Priority 1 — intermediate support organisations: Korean programmes trail the Japanese cases by 0.90 points on average (7 of 7 programmes below the benchmark).
    """
    check_brief_lang(lang)
    task = load_codebook().core_tasks[row["task"]][lang]
    gap, below, total = float(row["gap"]), int(row["n_programmes_below"]), int(row["n_programmes"])
    if lang == "en":
        task = task[0].lower() + task[1:]
        return (f"Priority {rank} — {task}: Korean programmes trail the Japanese cases by {gap:.2f} points on average "
                f"({below} of {total} programmes below the benchmark).")
    return (f"우선순위 {rank} — {task}: 한국 사업은 일본 사례보다 평균 {gap:.2f}점 낮다 "
            f"({total}개 사업 중 {below}개가 기준 미만).")


@dataclass(frozen=True)
class Finding:
    """One sentence of the brief and the result it came from."""

    number: int
    text: str
    result: str
    key: str
    weak: bool
    evidence: str  # "supported" (a test passed), "weak" (it did not), "descriptive" (no test behind it)


def draft_findings(
    results: Mapping[str, pd.DataFrame],
    *,
    lang: str = "en",
    alpha: float = 0.05,
    max_findings: int = 5,
) -> pd.DataFrame:
    """The summary box: 3-5 numbered findings, each from one named result.

    Parameters
    ----------
    results
        Named result tables: ``comparison`` (compare_countries), ``association`` (linkage.association, one row or
        more), ``qca`` (one row per model: ``model``, ``consistency``, ``coverage``), ``core_task_gaps`` (group, task, mean,
        benchmark). Missing entries are skipped.
    lang
        ``"ko"`` or ``"en"``.
    alpha
        Level above which a p-value makes the finding weak.

    Returns
    -------
    pandas.DataFrame
        ``number, text, result, key, weak, evidence``: the text, where it came from, and whether a test
        supports it (``supported``), does not (``weak``) or none stands behind it (``descriptive``).

    Examples
    --------
    >>> import pandas as pd
    >>> comp = pd.DataFrame([{"variable": "integration", "median_kr": 1.0, "median_jp": 2.0, "cliffs_delta": -0.6,
    ...     "ci_low": -0.85, "ci_high": -0.2, "p_value": 0.004, "p_holm": 0.04, "p_method": "exact"}])
    >>> draft_findings({"comparison": comp})["result"].tolist()
    ['comparison']
    """
    check_brief_lang(lang)
    out: list[Finding] = []

    def add(text: str, result: str, key: str, weak: bool, evidence: str | None = None) -> None:
        out.append(Finding(len(out) + 1, text, result, key, weak, evidence or ("weak" if weak else "supported")))

    comp = results.get("comparison")
    if comp is not None and len(comp):
        for _, row in rank_comparisons(comp).head(2).iterrows():
            add(comparison_sentence(row, lang=lang, alpha=alpha), "comparison", str(row["variable"]),
                comparison_is_weak(row, alpha=alpha))
    assoc = results.get("association")
    if assoc is not None and len(assoc):
        row = assoc.iloc[0]
        weak = association_is_weak(row, alpha=alpha)
        key = f"{row['x']}~{row['y']}:{row['method']}" + (f"|{row['strata']}" if isinstance(row.get("strata"), str) and row.get("strata") else "")
        add(association_sentence(row, lang=lang, alpha=alpha), "association", key, weak)
    qca = results.get("qca")
    if qca is not None and len(qca):
        row = qca.iloc[0]
        add(qca_sentence(row["model"], row, lang=lang), "qca", str(row["model"]),
            float(row["consistency"]) < QCA_CONSISTENCY_CUT)
    gaps = results.get("core_task_gaps")
    if gaps is not None and len(gaps):
        worst = largest_gap(gaps)
        add(core_task_sentence(worst, lang=lang), "core_task_gaps", f"{worst['group']}:{worst['task']}", False,
            "descriptive")
    frame = pd.DataFrame([f.__dict__ for f in out[:max_findings]], columns=["number", "text", "result", "key", "weak", "evidence"])
    return frame


__all__: Sequence[str] = (
    "BRIEF_LANGS", "Finding", "association_sentence", "comparison_sentence", "core_task_sentence", "draft_findings",
    "fmt_num", "fmt_p", "is_weak", "qca_sentence",
)
