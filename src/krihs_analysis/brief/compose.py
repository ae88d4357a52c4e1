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

from .._validate import check_alpha
from ..codebook import check_lang
from ..data import is_illustrative, read_context
from ..wording import phrase
from . import document as doc
from .text import (
    association_sentence,
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

# Section headings and figure captions, in order: keys of locale/brief.yaml.
SECTIONS = ("section_status", "section_comparison", "section_integration", "section_qca", "section_tasks",
            "section_implications")
CAPTIONS = ("caption_profile", "caption_integration", "caption_qca", "caption_tasks", "caption_rmo",
            "caption_fiscal")


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
        One of :data:`krihs_analysis.codebook.LANGS` (``en``, ``ko``, ``ja``).
    meta
        Title and issuer block (:func:`~krihs_analysis.brief.document.load_metadata`; the project's by default).
    alpha
        Level above which a p-value makes a finding weak.
    """
    from ..figures import (
        close_figure,
        core_task_gaps,
        country_profile,
        fiscal_context,
        integration_sustainability,
        qca_xy,
        rmo_trend,
    )

    check_lang(lang)
    alpha = check_alpha(alpha)  # before any figure is drawn
    meta = meta if meta is not None else doc.load_metadata()
    ill = is_illustrative(cases)

    def w(key: str, **fields: Any) -> str:
        return phrase("brief", key, lang, **fields)

    sec = [w(k) for k in SECTIONS]
    cap = [w(k) for k in CAPTIONS]
    findings = draft_findings(tables, lang=lang, alpha=alpha)
    comp = tables["comparison"]
    assoc = tables["association"]
    qca = tables["qca"]
    gaps = tables["core_task_gaps"]
    fit_rows = tables["qca_fit"]
    context = read_context("rmo_survey")

    def fig_block(fig, number: int, caption: str) -> str:
        html = doc.figure_block(fig, number=number, caption=caption, lang=lang)
        close_figure(fig)
        return html

    def section(title: str, paras: list[str]) -> str:
        return doc.section(title, paras, lang=lang)

    blocks = [doc.title_block(meta, lang=lang, illustrative=ill), doc.summary_box(findings, lang=lang)]
    blocks.append(section(sec[0], [status_sentence(case_summary(cases), lang=lang)]))

    ranked = [r for _, r in rank_comparisons(comp).iterrows()]
    strong = [r for r in ranked if not comparison_is_weak(r, alpha=alpha)]
    weak = [r for r in ranked if comparison_is_weak(r, alpha=alpha)]
    paras = [comparison_sentence(r, lang=lang, alpha=alpha) for r in (strong[:3] + weak[:1])]
    paras.append(w("note_method", alpha=alpha))
    blocks.append(section(sec[1], paras))
    blocks.append(fig_block(country_profile(comp, lang=lang, illustrative=ill), 1, cap[0]))

    blocks.append(section(sec[2], [association_sentence(r, lang=lang, alpha=alpha) for _, r in assoc.iterrows()]))
    blocks.append(fig_block(integration_sustainability(cases, assoc, lang=lang, illustrative=ill).figure, 2, cap[1]))

    model_row = qca.iloc[0]
    blocks.append(section(sec[3], [qca_sentence(model_row["model"], model_row, lang=lang), w("note_qca")]))
    expr = fit_rows[fit_rows["level"] == "expression"].iloc[0]
    blocks.append(fig_block(qca_xy(tables["qca_xy"], expr, solution=str(model_row["model"]), lang=lang,
                                   illustrative=ill).figure, 3, cap[2]))

    blocks.append(section(sec[4], [core_task_sentence(largest_gap(gaps), lang=lang)]))
    blocks.append(fig_block(core_task_gaps(tables["profile_programme"], lang=lang, illustrative=ill), 4, cap[3]))

    prio = priorities(gaps)
    blocks.append(section(sec[5], [implication_sentence(r, rank=i + 1, lang=lang) for i, r in prio.iterrows()]
                          + [w("note_plans")]))
    # Published statistics, not the sample: the fiscal figure marks the sheet's own Japanese municipalities
    # (a real sheet's cases, not the five of the sample), so neither figure carries the illustrative mark.
    rmo = fig_block(rmo_trend(context, lang=lang).figure, 5, cap[4])
    fiscal = fig_block(fiscal_context(cases=cases, lang=lang), 6, cap[5])
    blocks.append(doc.context_box(lang=lang, figures=[rmo], fiscal_figure=fiscal))
    blocks.append(doc.appendix(findings, lang=lang, tables=tables))
    return blocks
