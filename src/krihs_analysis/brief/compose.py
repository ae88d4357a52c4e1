"""The drafted brief, block by block, from a run's result tables.

:func:`compose` turns the named result tables of :meth:`krihs_analysis.pipeline.Results.tables` (computed now, or
loaded from a report run with :func:`~krihs_analysis.brief.document.load_results`) into the HTML blocks of a
KRIHS-style brief. Every sentence comes from :mod:`.text`, filled from one named result.

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> from krihs_analysis.pipeline import analyse
>>> cases = read_cases()
>>> blocks = compose(analyse(cases, n_boot=199).tables(), cases, lang="en")
>>> sum("<figure>" in b for b in blocks)
5
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..data import is_illustrative, read_context
from . import document as doc
from .text import (
    association_sentence,
    check_brief_lang,
    comparison_is_weak,
    comparison_sentence,
    core_task_sentence,
    draft_findings,
    implication_sentence,
    largest_gap,
    qca_sentence,
    rank_comparisons,
    status_sentence,
)

SECTIONS = {
    "en": ("1. Status of the cases", "2. Korea and Japan compared", "3. Integration and sustainability",
           "4. Configurations that go with sustained communities (QCA)", "5. Core tasks by programme",
           "6. Policy implications"),
    "ko": ("1. 사례 현황", "2. 한국과 일본 사례 비교", "3. 사업 간 연계·통합과 지속가능성",
           "4. 지속되는 공동체의 조건 조합 (QCA)", "5. 사업별 핵심 과제", "6. 정책 시사점"),
}
CAPTIONS = {
    "en": ("Korean and Japanese cases on every coded dimension", "Project integration and overall sustainability",
           "Membership in the QCA solution and in sustained communities",
           "Core-task indices of the Korean programmes against the Japanese benchmark",
           "Regional management organisations in Japan, 2016–2022"),
    "ko": ("코딩 항목별 한국과 일본 사례", "사업 간 연계·통합과 종합 지속가능성", "QCA 해(解) 소속 점수와 지속 공동체 소속 점수",
           "한국 사업별 핵심 과제 지수와 일본 기준", "일본 지역운영조직 추이 (2016~2022)"),
}
NOTES = {
    "en": {
        "method": ("Comparisons: Cliff's δ (Korea minus Japan) with BCa bootstrap 95% intervals; exact rank-sum "
                   "p-values conditioned on ties; Holm adjustment across variables. Findings are worded as weak "
                   "evidence when an interval includes the null value or the p-value (Holm-adjusted for comparisons) "
                   "exceeds {alpha}."),
        "qca": ("Fuzzy-set QCA of overall sustainability; parsimonious solution at consistency ≥ 0.8 and PRI ≥ 0.5."),
        "plans": ("KRIHS Policy Brief 736 proposed small-scale competitive grant programmes tailored to cities with "
                  "low fiscal self-reliance, a national manual for identifying and nurturing key local actors, and "
                  "support organisations at the provincial (metropolitan) level; the priorities above rank its four "
                  "core tasks by the gaps measured here."),
    },
    "ko": {
        "method": ("비교: Cliff's δ(한국−일본)와 BCa 부트스트랩 95% 신뢰구간, 동순위(ties) 구조를 조건으로 한 정확 순위합 검정 "
                   "p값, "
                   "변수 간 Holm 보정. 신뢰구간이 귀무값을 포함하거나 p값(국가 간 비교는 Holm 보정 p값)이 {alpha}를 넘으면 "
                   "근거가 약한 것으로 서술하였다."),
        "qca": "종합 지속가능성에 대한 퍼지셋 QCA, 일관성 0.8 이상·PRI 0.5 이상에서의 간명해.",
        "plans": ("국토정책 Brief 736은 재정자립도가 낮은 중소도시 맞춤형 소규모 공모사업, 주체 발굴·육성을 위한 "
                  "국가 차원의 매뉴얼, 광역 단위 지원조직을 제안하였다. 위의 우선순위는 네 가지 핵심 과제를 "
                  "이번 분석에서 측정한 격차 순으로 정리한 것이다."),
    },
}


def case_summary(cases: pd.DataFrame) -> dict[str, int]:
    """Counts behind the status sentence."""
    kr = cases[cases["country"].astype(str) == "KR"]
    jp = cases[cases["country"].astype(str) == "JP"]
    return {"n_kr": len(kr), "n_jp": len(jp), "n_programmes": kr["programme"].nunique(),
            "n_ministries": kr["ministry"].nunique(), "n_continued_kr": int(kr["continued"].sum()),
            "n_continued_jp": int(jp["continued"].sum())}


def priorities(gaps: pd.DataFrame) -> pd.DataFrame:
    """Core tasks ranked by the mean gap of the Korean programmes to the Japanese benchmark."""
    g = gaps.assign(gap=gaps["benchmark"] - gaps["mean"], below=gaps["mean"] < gaps["benchmark"])
    out = g.groupby("task").agg(gap=("gap", "mean"), n_programmes_below=("below", "sum"),
                                n_programmes=("group", "nunique")).reset_index()
    return out.sort_values("gap", ascending=False).reset_index(drop=True)


def compose(
    tables: Mapping[str, pd.DataFrame],
    cases: pd.DataFrame,
    *,
    lang: str = "en",
    meta: Mapping[str, Any] | None = None,
    alpha: float = 0.05,
) -> list[str]:
    """The brief as a list of HTML blocks (title, summary, sections with numbered figures, context, appendix).

    Parameters
    ----------
    tables
        Named result tables (:meth:`krihs_analysis.pipeline.Results.tables`).
    cases
        The case data the results came from (for the case counts, the case points and the illustrative flag).
    lang
        ``"ko"`` or ``"en"``.
    meta
        Title and issuer block (:func:`~krihs_analysis.brief.document.load_metadata`; the project's by default).
    alpha
        Level above which a p-value makes a finding weak.
    """
    from ..figures import close_figure, core_task_gaps, country_profile, integration_sustainability, qca_xy, rmo_trend

    check_brief_lang(lang)
    meta = meta if meta is not None else doc.load_metadata()
    ill = is_illustrative(cases)
    notes = NOTES[lang]
    sec = SECTIONS[lang]
    cap = CAPTIONS[lang]
    findings = draft_findings(tables, lang=lang, alpha=alpha)
    comp = tables["comparison"]
    assoc = tables["association"]
    qca = tables["qca"]
    gaps = tables["core_task_gaps"]
    fit_rows = tables["qca_fit"]
    context = read_context("rmo_survey")

    def fig_block(fig, number: int) -> str:
        html = doc.figure_block(fig, number=number, caption=cap[number - 1], lang=lang)
        close_figure(fig)
        return html

    blocks = [doc.title_block(meta, lang=lang, illustrative=ill), doc.summary_box(findings, lang=lang)]
    blocks.append(doc.section(sec[0], [status_sentence(case_summary(cases), lang=lang)]))

    ranked = [r for _, r in rank_comparisons(comp).iterrows()]
    strong = [r for r in ranked if not comparison_is_weak(r, alpha=alpha)]
    weak = [r for r in ranked if comparison_is_weak(r, alpha=alpha)]
    paras = [comparison_sentence(r, lang=lang, alpha=alpha) for r in (strong[:3] + weak[:1])]
    paras.append(notes["method"].format(alpha=alpha))
    blocks.append(doc.section(sec[1], paras))
    blocks.append(fig_block(country_profile(comp, lang=lang, illustrative=ill), 1))

    blocks.append(doc.section(sec[2], [association_sentence(r, lang=lang, alpha=alpha) for _, r in assoc.iterrows()]))
    blocks.append(fig_block(integration_sustainability(cases, assoc, lang=lang, illustrative=ill).figure, 2))

    model_row = qca.iloc[0]
    blocks.append(doc.section(sec[3], [qca_sentence(model_row["model"], model_row, lang=lang), notes["qca"]]))
    expr = fit_rows[fit_rows["level"] == "expression"].iloc[0]
    blocks.append(fig_block(qca_xy(tables["qca_xy"], expr, solution=str(model_row["model"]), lang=lang,
                                   illustrative=ill).figure, 3))

    blocks.append(doc.section(sec[4], [core_task_sentence(largest_gap(gaps), lang=lang)]))
    blocks.append(fig_block(core_task_gaps(tables["profile_programme"], lang=lang, illustrative=ill), 4))

    prio = priorities(gaps)
    blocks.append(doc.section(sec[5], [implication_sentence(r, rank=i + 1, lang=lang) for i, r in prio.iterrows()]
                              + [notes["plans"]]))
    blocks.append(doc.context_box(lang=lang))
    blocks.append(fig_block(rmo_trend(context, lang=lang).figure, 5))
    blocks.append(doc.appendix(findings, lang=lang))
    return blocks
