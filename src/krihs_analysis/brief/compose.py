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

from .._format import fmt_cut, fmt_num
from .._validate import check_alpha
from ..codebook import check_lang
from ..data import is_illustrative, read_context
from ..pipeline import qca_settings
from ..wording import phrase, value_word
from . import _inputs
from . import document as doc
from .text import (
    FINDINGS_TABLES,
    MAX_FINDINGS,
    _draft_findings,
    _family_adjusted,
    association_sentence,
    comparison_is_weak,
    comparison_sentence,
    core_task_sentence,
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
#: The result tables compose reads, each needed with rows (the summary also reads ``family`` when there is one).
TABLES = ("comparison", "association", "qca", "qca_fit", "qca_xy", "core_task_gaps", "profile_programme")
#: The case columns behind the status sentence (:func:`case_summary`).
SUMMARY_COLUMNS = ("country", "programme", "ministry", "continued")
#: Every case column compose reads: the status sentence, the case points (figure 2), the case municipalities.
CASE_COLUMNS = ("case_id", *SUMMARY_COLUMNS, "integration", "sustainability", "municipality_code")


def _methods(table: pd.DataFrame, column: str, lang: str) -> str:
    """The methods named in `column` of the comparison rows, in `lang`; rows with none (a group too small for an
    interval) are left out, and a word the locale lacks is shown as the table has it."""
    found = table[column].dropna().astype(str).unique().tolist() if column in table.columns else []
    named = list(dict.fromkeys(value_word(m, lang=lang) for m in found
                               if not m.startswith(("group too small", "none", "undefined"))))
    return phrase("brief", "method_join", lang).join(named) if named else phrase("brief", "method_unrecorded", lang)


def case_summary(cases: pd.DataFrame) -> dict[str, int]:
    """Counts behind the status sentence.

    Parameters
    ----------
    cases : pandas.DataFrame
        The case sheet (:func:`krihs_analysis.data.read_cases`), with ``country``, ``programme``, ``ministry``
        and ``continued``; with ``support_years`` too, the count ``n_unsupported_jp`` of Japanese cases without a
        period of national support (the status sentence then says their activity continues, not that it did
        "after national support ended").

    Raises
    ------
    ValueError
        `cases` is not a DataFrame with rows, or lacks one of those columns.
    """
    return _case_summary(_inputs.cases_frame(cases, SUMMARY_COLUMNS))


def _case_summary(cases: pd.DataFrame) -> dict[str, int]:
    kr = cases[cases["country"].astype(str) == "KR"]
    jp = cases[cases["country"].astype(str) == "JP"]
    out = {"n_kr": len(kr), "n_jp": len(jp), "n_programmes": kr["programme"].nunique(),
           "n_ministries": kr["ministry"].nunique(), "n_continued_kr": int(kr["continued"].sum()),
           "n_continued_jp": int(jp["continued"].sum())}
    if "support_years" in cases.columns:  # Japanese cases without a period of national support have no "after"
        out["n_unsupported_jp"] = int((pd.to_numeric(jp["support_years"], errors="coerce") == 0).sum())
    return out


def priorities(gaps: pd.DataFrame) -> pd.DataFrame:
    """Core tasks ranked by the mean gap of the Korean programmes to the Japanese mean.

    Parameters
    ----------
    gaps : pandas.DataFrame
        ``group, task, mean, benchmark``: the ``core_task_gaps`` table
        (:meth:`krihs_analysis.pipeline.Results.core_task_gaps`, or ``tables["core_task_gaps"]``).

    Raises
    ------
    ValueError
        `gaps` is not that table (a Results, a dict of tables, a table without those columns).
    """
    cols, made = _inputs.TABLES["core_task_gaps"]
    return _priorities(_inputs.result_frame(gaps, "gaps", cols, made, key="core_task_gaps"))


def _priorities(gaps: pd.DataFrame) -> pd.DataFrame:
    g = gaps.assign(gap=gaps["benchmark"] - gaps["mean"], below=gaps["mean"] < gaps["benchmark"])
    out = g.groupby("task").agg(gap=("gap", "mean"), n_programmes_below=("below", "sum"),
                                n_programmes=("group", "nunique")).reset_index()
    return out.sort_values("gap", ascending=False).reset_index(drop=True)


#: Priorities whose average gaps lie within this many points of each other are said to be equally pressing: a
#: reader took 1.48 against 1.39 (two sites per programme, no interval) as a ranking.
PRIORITY_TOLERANCE = 0.25


def _priorities_note(prio: pd.DataFrame, lang: str) -> str:
    """Why the priorities' order is descriptive, with the neighbours that lie close together ("1–2, 3–4")."""
    gaps = prio["gap"].astype("float64").tolist()
    # runs of neighbours whose gaps all lie within the tolerance of the run's first (so of each other): a chain
    # 1.0, 0.8, 0.6, 0.4 is not one group, though each is within 0.25 of the next
    groups: list[list[int]] = []
    start = 0
    while start < len(gaps) - 1:
        end = start + 1
        while end < len(gaps) and abs(gaps[start] - gaps[end]) < PRIORITY_TOLERANCE:
            end += 1
        if end - start > 1:
            groups.append(list(range(start + 1, end + 1)))
        start = end
    if not groups:
        return phrase("brief", "note_priorities", lang)
    # A group is a run of neighbours, so a range names it ("1–2"); the groups as a list after a colon, which needs
    # no Korean particle (은/는 would follow the last number's sound) and claims no order within a group
    runs = [phrase("brief", "priority_run", lang, first=g[0], last=g[-1]) for g in groups]
    return phrase("brief", "note_priorities_close", lang, groups=phrase("common", "list_sep", lang).join(runs),
                  tol=fmt_num(PRIORITY_TOLERANCE))


def _qca_cases(xy: pd.DataFrame, cases: pd.DataFrame, lang: str) -> str:
    """Whose cases the QCA solution rests on: a reader of "mostly sustained" could not tell that the cases in the
    solution were nearly all Japanese (Figure 3 shows it, the text did not say it)."""
    if "country" not in xy:
        if "case_id" not in xy or "case_id" not in cases or "country" not in cases:
            return ""  # results saved without the cases' countries: nothing to say whose cases they are
        xy = xy.assign(country=xy["case_id"].astype(str).map(
            dict(zip(cases["case_id"].astype(str), cases["country"].astype(str), strict=True))))
    inside = xy[xy["x"].astype("float64") > 0.5]
    country = inside["country"].astype(str)
    return phrase("brief", "qca_cases", lang, m=len(inside), jp=int((country == "JP").sum()),
                  kr=int((country == "KR").sum()), out=int((inside["y"].astype("float64") < 0.5).sum()))


def _comparison_overview(comp: pd.DataFrame, lang: str) -> str:
    """How many dimensions differ with a Holm-adjusted p below Figure 1's cut, counted as it marks them (at its
    own cut, not the brief's `alpha`: the sentence names the figure's filled markers)."""
    from ..figures.catalogue import SIGNIFICANCE

    p = comp["p_holm"] if "p_holm" in comp else comp["p_value"]
    sig = p.astype("float64") <= SIGNIFICANCE  # Figure 1 fills these: p at most the cut
    delta = comp["cliffs_delta"].astype("float64")
    k, h = int(((delta < 0) & sig).sum()), int(((delta > 0) & sig).sum())
    fields = dict(k=k, h=h, n=len(comp), alpha=fmt_num(SIGNIFICANCE))
    return phrase("brief", "comparison_overview_both" if h else "comparison_overview", lang, **fields)


def _qca_note(run: Mapping[str, Any], lang: str) -> str:
    """How the brief's QCA was made: the sets and cuts the run used (:func:`qca_settings` of its tables), not the
    standard set's whatever the run was."""
    return phrase("brief", "note_qca", lang, kind=phrase("common", f"qca_kind_{run['qca_kind']}", lang),
                  incl_cut=fmt_cut(run["incl_cut"]), pri_cut=fmt_cut(run["pri_cut"]))


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
    tables : Mapping of str to pandas.DataFrame, or krihs_analysis.pipeline.Results
        Named result tables (:meth:`krihs_analysis.pipeline.Results.tables`, or
        :func:`~krihs_analysis.brief.document.load_results`), or the Results itself (read as its ``tables()``).
        Needs :data:`TABLES`, each with rows; a ``settings`` table gives the QCA's sets and cuts the brief states
        and judges by (:func:`krihs_analysis.pipeline.qca_settings`; the standard ones, said in the appendix,
        without it).
    cases : pandas.DataFrame
        The case data the results came from (for the case counts, the case points and the illustrative flag),
        with the columns of :data:`CASE_COLUMNS`.
    lang
        One of :data:`krihs_analysis.codebook.LANGS` (``en``, ``ko``, ``ja``).
    meta : Mapping, optional
        Title and issuer block with ``number``, ``issuer``, ``title`` and ``authors``
        (:func:`~krihs_analysis.brief.document.load_metadata`; the project's by default).
    alpha
        Level above which a p-value makes a finding weak.

    Raises
    ------
    ValueError
        Before any figure is drawn: a missing or empty table, a table without the columns the brief reads (named
        with the function that makes it), cases that are not a case sheet, metadata that are not a mapping with
        its four keys, an unknown language, a bad `alpha`, or a ``settings`` table
        :func:`krihs_analysis.pipeline.settings_table` did not write.
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
    alpha = check_alpha(alpha)  # before any figure is drawn, as every check here
    tables = _inputs.result_tables(tables, "tables", need=TABLES, read=FINDINGS_TABLES,
                                   usage="compose(tables, cases)")
    fit_rows = tables["qca_fit"]
    if not (fit_rows["level"] == "expression").any():
        raise ValueError("tables['qca_fit'] has no row of level 'expression' (the whole solution); pass the fit of "
                         "the solution, krihs_analysis.qca.fit(data, model, outcome=...)")
    cases = _inputs.cases_frame(cases, CASE_COLUMNS)
    meta = _inputs.metadata(meta) if meta is not None else doc.load_metadata()
    ill = is_illustrative(cases)

    def w(key: str, **fields: Any) -> str:
        return phrase("brief", key, lang, **fields)

    sec = [w(k) for k in SECTIONS]
    cap = [w(k) for k in CAPTIONS]
    findings = _draft_findings(tables, lang=lang, alpha=alpha, max_findings=MAX_FINDINGS)
    # The sections' p-values adjusted as the summary's are, over the whole family of tests (the summary gave the
    # association's Holm-adjusted p, its section only the unadjusted one), and Figure 1 marked by the same
    adjusted = _family_adjusted(tables)
    comp = adjusted["comparison"]
    assoc = adjusted["association"]
    qca = tables["qca"]
    gaps = tables["core_task_gaps"]
    context = read_context("rmo_survey")

    def fig_block(fig, number: int, caption: str) -> str:
        html = doc.figure_block(fig, number=number, caption=caption, lang=lang)
        close_figure(fig)
        return html

    def section(title: str, paras: list[str]) -> str:
        return doc.section(title, paras, lang=lang)

    # Drawn first though shown fifth, in the context box: the one figure that can still refuse the sheet (a Japanese
    # code that is not in MIC's table), before the others are drawn for nothing.
    fiscal = fig_block(fiscal_context(cases=cases, lang=lang), 5, cap[5])  # the context box's first (context_box)
    blocks = [doc.title_block(meta, lang=lang, illustrative=ill), doc.summary_box(findings, lang=lang)]
    blocks.append(section(sec[0], [status_sentence(_case_summary(cases), lang=lang)]))

    ranked = [r for _, r in rank_comparisons(comp).iterrows()]
    strong = [r for r in ranked if not comparison_is_weak(r, alpha=alpha)]
    weak = [r for r in ranked if comparison_is_weak(r, alpha=alpha)]
    # How many dimensions differ, then the three largest differences (a weak one only when there are fewer: the
    # count says the rest, and the brief must keep to its pages)
    paras = [_comparison_overview(comp, lang)]
    paras += [comparison_sentence(r, lang=lang, alpha=alpha) for r in (strong + weak)[:3]]
    # The methods the rows were computed with (whole clusters resampled and permuted in the standard set), not a
    # fixed description: the note said "BCa bootstrap ... exact rank-sum" whatever the design of the run.
    paras.append(w("note_method", alpha=alpha, ci=_methods(comp, "ci_method", lang), p=_methods(comp, "p_method", lang)))
    blocks.append(section(sec[1], paras))
    blocks.append(fig_block(country_profile(comp, lang=lang, illustrative=ill), 1, cap[0]))

    blocks.append(section(sec[2], [association_sentence(r, lang=lang, alpha=alpha) for _, r in assoc.iterrows()]))
    blocks.append(fig_block(integration_sustainability(cases, assoc, lang=lang, illustrative=ill).figure, 2, cap[1]))

    model_row = qca.iloc[0]
    run = qca_settings(tables)
    qca_paras = [qca_sentence(model_row["model"], model_row, lang=lang, incl_cut=float(run["incl_cut"])),
                 _qca_cases(tables["qca_xy"], cases, lang), _qca_note(run, lang)]
    blocks.append(section(sec[3], [p for p in qca_paras if p]))
    expr = fit_rows[fit_rows["level"] == "expression"].iloc[0]
    blocks.append(fig_block(qca_xy(tables["qca_xy"], expr, solution=str(model_row["model"]), lang=lang,
                                   illustrative=ill).figure, 3, cap[2]))

    blocks.append(section(sec[4], [core_task_sentence(largest_gap(gaps), lang=lang)]))
    blocks.append(fig_block(core_task_gaps(tables["profile_programme"], lang=lang, illustrative=ill), 4, cap[3]))

    prio = _priorities(gaps)
    blocks.append(section(sec[5], [implication_sentence(r, rank=i + 1, lang=lang) for i, r in prio.iterrows()]
                          + [_priorities_note(prio, lang), w("note_plans")]))
    # Published statistics, not the sample: the fiscal figure marks the sheet's own Japanese municipalities
    # (a real sheet's cases, not the five of the sample), so neither figure carries the illustrative mark.
    rmo = fig_block(rmo_trend(context, lang=lang).figure, 6, cap[4])
    blocks.append(doc.context_box(lang=lang, figures=[rmo], fiscal_figure=fiscal))
    blocks.append(doc._appendix(findings, lang=lang, tables=tables))
    return blocks
