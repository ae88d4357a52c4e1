"""The brief's sentences: each one a template of ``locale/brief.yaml`` filled from one named result.

Every finding states its number with its uncertainty and is worded as weak evidence when the confidence interval
includes zero (or one, for odds ratios) or the exact p-value exceeds the chosen level. No sentence is written
without a result behind it: each :class:`Finding` carries the name and key of the result it came from. Numbers are
written by :mod:`krihs_analysis._format`; variable and task names come from the codebook; every other word comes
from the locale file, in every language of :data:`krihs_analysis.codebook.LANGS`.

Examples
--------
>>> import pandas as pd
>>> row = pd.Series({"variable": "resident_org", "median_kr": 1.0, "median_jp": 3.0, "cliffs_delta": -0.85,
...                  "ci_low": -0.98, "ci_high": -0.55, "p_value": 0.0004, "p_holm": 0.004, "p_method": "exact"})
>>> print(comparison_sentence(row, lang="en"))
Korean cases score lower than Japanese cases on representative resident organisation (median 1 vs 3; Cliff's δ = −0.85, 95% CI −0.98 to −0.55; exact p < 0.001, Holm-adjusted p = 0.004).
>>> print(comparison_sentence(row, lang="ja"))
地域を代表する住民組織では、韓国の事例は日本の事例より低い（中央値：韓国1、日本3；Cliff's δ = −0.85、95%信頼区間 [−0.98, −0.55]；正確p < 0.001、Holm補正p = 0.004）。
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._format import fmt_ci, fmt_int, fmt_median, fmt_num, fmt_p, fmt_pct, is_missing
from .._deprecate import keyword_options, renamed
from ..pipeline import QCA_INCL_CUT
from .._validate import check_alpha, check_count, check_number, check_text
from ..codebook import check_lang, load_codebook
from ..wording import in_sentence, phrase
from . import _inputs


def _w(key: str, lang: str, **fields) -> str:
    return phrase("brief", key, lang, **fields)


def _var_label(name: str, lang: str) -> str:
    return in_sentence(load_codebook().label(name, lang), lang=lang)


def _task_label(task: str, lang: str) -> str:
    _inputs.core_tasks([task], "row['task']")
    return in_sentence(load_codebook().core_tasks[task][lang], lang=lang)


def is_weak(ci_low: float, ci_high: float, p: float, *, alpha: float = 0.05, null: float = 0.0) -> bool:
    """Weak evidence: the CI includes the null value, or p exceeds `alpha`, or the CI is undefined.

    Parameters
    ----------
    ci_low, ci_high, p : float or None
        The interval's bounds and the p-value (None or NaN: missing, so the evidence is weak).
    alpha : float
        The significance level, strictly between 0 and 1.
    null : float
        The value of no effect (0 for a difference or a correlation, 1 for an odds ratio).

    Raises
    ------
    ValueError
        A bound or the p-value that is not a number, a `null` that is not a finite number, or `alpha` outside
        (0, 1).

    Examples
    --------
    >>> is_weak(-0.1, 0.5, 0.01), is_weak(0.2, 0.6, 0.01), is_weak(0.2, 0.6, 0.2)
    (True, False, True)
    """
    alpha = check_alpha(alpha)  # every sentence's strength passes here, so alpha=5 cannot make all findings strong
    for value, name in ((ci_low, "ci_low"), (ci_high, "ci_high"), (p, "p")):
        _inputs.real(value, name)
    # the value of no effect is never missing: None failed in the comparison below, NaN made every CI "exclude" it
    null = check_number(null, "null", example="null=0.0 (or null=1.0 for an odds ratio)")
    if any(is_missing(v) for v in (ci_low, ci_high, p)):
        return True
    return bool(ci_low <= null <= ci_high or p > alpha)


# The standard QCA's consistency cut (the pipeline's and the case cards'): below it a QCA solution is worded as weak
# evidence
QCA_CONSISTENCY_CUT = QCA_INCL_CUT


def _adjusted_p(row: Mapping | pd.Series) -> float:
    return float(row.get("p_holm", row["p_value"]))


def comparison_is_weak(row: Mapping | pd.Series, *, alpha: float = 0.05) -> bool:
    """A comparison row is weak evidence when its Cliff's delta CI includes 0 or its Holm-adjusted p > `alpha`."""
    return is_weak(float(row["ci_low"]), float(row["ci_high"]), _adjusted_p(row), alpha=alpha)


def association_is_weak(row: Mapping | pd.Series, *, alpha: float = 0.05) -> bool:
    """An association row is weak evidence when its CI includes the null (1 for an odds ratio, else 0) or p > `alpha`."""
    null = 1.0 if str(row["method"]) == "fisher" else 0.0
    return is_weak(float(row["ci_low"]), float(row["ci_high"]), _adjusted_p(row), alpha=alpha, null=null)


def rank_comparisons(comparison: pd.DataFrame) -> pd.DataFrame:
    """Comparison rows in reporting order: smallest Holm-adjusted p first, then largest |Cliff's delta|."""
    order = comparison.assign(_abs=comparison["cliffs_delta"].abs())
    return order.sort_values(["p_holm", "_abs"], ascending=[True, False]).drop(columns="_abs")


def largest_gap(gaps: pd.DataFrame) -> pd.Series:
    """The programme-and-task row furthest below its Japanese mean."""
    return gaps.loc[(gaps["benchmark"] - gaps["mean"]).idxmax()]


def p_name(method: str, lang: str) -> str:
    """How a p-value's method reads before it: ``exact p``, ``Monte Carlo p`` (or a bare ``p``).

    Examples
    --------
    >>> p_name("exact (tie-conditioned)", "ko"), p_name("monte carlo", "ja"), p_name("asymptotic", "en")
    ('정확 p', 'モンテカルロp', 'p')
    """
    key = "" if is_missing(method) else str(method).lower().replace("-", " ")  # unknown: a bare p, never "exact"
    if key.startswith("exact"):
        return _w("p_exact", lang)
    if key.startswith("monte carlo"):
        return _w("p_monte_carlo", lang)
    return _w("p_plain", lang)


def _ci_or_reason(lo, hi, row: Mapping | pd.Series, lang: str) -> str:
    """The interval, or (when the analysis gave none, e.g. for a group too small to bootstrap) why not."""
    ci = fmt_ci(lo, hi, lang=lang)
    if ci:
        return ci
    why = row.get("ci_method")
    return _w("no_interval", lang, why=str(why)) if isinstance(why, str) and why else ""


def _join(parts: Sequence[str], key: str, lang: str) -> str:
    return _w(key, lang).join(p for p in parts if p)


def comparison_sentence(row: Mapping | pd.Series, *, lang: str = "en", alpha: float = 0.05) -> str:
    """One Korea–Japan comparison (a row of :func:`krihs_analysis.compare.compare_countries`) as a sentence.

    Strong wording needs the Cliff's δ CI to exclude zero and the Holm-adjusted p to be at most `alpha`.

    Parameters
    ----------
    row : pandas.Series or Mapping
        One row of the comparison table, e.g. ``table.iloc[0]`` (``variable, median_kr, median_jp, cliffs_delta,
        ci_low, ci_high, p_value``; ``p_holm`` when adjusted, ``p_method`` and ``ci_method`` when known;
        ``mean_kr, mean_jp``, of a yes/no item the shares of yes, which its sentence then gives for the medians).
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    alpha : float
        Level above which the adjusted p makes the finding weak.

    Returns
    -------
    str
        The sentence, with the medians (of a yes/no item, the shares of yes), Cliff's δ and its interval, and the
        p-values in brackets.

    Raises
    ------
    ValueError
        `row` is not one row (a whole DataFrame, None) or lacks a field; an unknown language; a bad `alpha`.

    Examples
    --------
    >>> row = {"variable": "integration", "median_kr": 2.0, "median_jp": 2.0, "cliffs_delta": 0.12, "ci_low": -0.3,
    ...        "ci_high": 0.5, "p_value": 0.52, "p_holm": 1.0}
    >>> comparison_sentence(row).split(" (")[0]
    'Korean cases tend to score higher than Japanese cases on project integration, but the evidence is weak'
    """
    check_lang(lang)
    alpha = check_alpha(alpha)  # also when δ = 0, where the strength of the evidence is never asked
    _inputs.one_row(row, "comparison")
    d = float(row["cliffs_delta"])
    medians = _w("comparison_medians", lang, kr=fmt_median(row["median_kr"]), jp=fmt_median(row["median_jp"]))
    if (str(row["variable"]) in load_codebook().of_type("binary") and not is_missing(row.get("mean_kr"))
            and not is_missing(row.get("mean_jp"))):  # a yes/no item: its shares of yes, not medians of 1 and 1
        medians = _w("comparison_shares", lang, kr=fmt_pct(row["mean_kr"]), jp=fmt_pct(row["mean_jp"]))
    delta = _join([f"Cliff's δ = {fmt_num(d)}", _ci_or_reason(row["ci_low"], row["ci_high"], row, lang)],
                  "stats_comma", lang)
    ps = [f"{p_name(row.get('p_method'), lang)} {fmt_p(row['p_value'], prefix=False)}"]
    if "p_holm" in row and not is_missing(row["p_holm"]):  # else the unadjusted p was printed as "Holm-adjusted"
        ps.append(_w("holm_p", lang, p=fmt_p(row["p_holm"], prefix=False)))
    stats = _join([medians, delta, _join(ps, "stats_comma", lang)], "stats_sep", lang)
    label = _var_label(row["variable"], lang)
    if d == 0:
        key = "comparison_none"
    else:
        key = ("comparison_weak_" if comparison_is_weak(row, alpha=alpha) else "comparison_") + (
            "lower" if d < 0 else "higher")
    return _w(key, lang, label=label, stats=stats)


def method_name(method: str, lang: str) -> str:
    """The name of an association measure in `lang` (``Kendall's τ-b``, ``オッズ比``, ...)."""
    try:
        return _w(f"method_{method}", lang)
    except ValueError:
        return str(method)


def strata_label(strata: str, lang: str) -> str:
    """What a stratifying column is called in a sentence ("programmes", "사업", "事業")."""
    try:
        return _w(f"strata_{strata}", lang)
    except ValueError:
        return load_codebook().label(strata, lang)


def _has(value) -> bool:
    return isinstance(value, str) and value not in ("", "None", "nan")


def association_sentence(row: Mapping | pd.Series, *, lang: str = "en", alpha: float = 0.05) -> str:
    """One association (a row of :func:`krihs_analysis.linkage.association`) as a sentence.

    Examples
    --------
    >>> row = {"x": "integration", "y": "sustainability", "method": "kendall", "statistic": 0.52, "ci_low": 0.25,
    ...        "ci_high": 0.74, "p_value": 0.003, "p_method": "exact", "n": 26, "strata": None}
    >>> print(association_sentence(row, lang="ko"))
    사업 간 연계·통합 수준이 높은 사례일수록 종합 지속가능성 수준이 높다 (Kendall τ-b = 0.52, 95% 신뢰구간 [0.25, 0.74]; 정확 p = 0.003; n = 26).

    Parameters
    ----------
    row : pandas.Series or Mapping
        One row of the association table, e.g. ``table.iloc[0]`` (``x, y, method, statistic, ci_low, ci_high,
        p_value, n``; ``p_holm``, ``strata``, ``cluster``, ``p_method`` when known).
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    alpha : float
        Level above which the p-value makes the finding weak.

    Raises
    ------
    ValueError
        `row` is not one row or lacks a field; an unknown language; a bad `alpha`.
    """
    check_lang(lang)
    _inputs.one_row(row, "association")
    method = str(row["method"])
    stat = float(row["statistic"])
    null = 1.0 if method == "fisher" else 0.0
    positive = stat > null
    strata = row.get("strata")
    estimate = _join([f"{method_name(method, lang)} = {fmt_num(stat)}",
                      _ci_or_reason(row["ci_low"], row["ci_high"], row, lang)], "stats_comma", lang)
    adjusted = row.get("p_holm")
    clustered = _has(row.get("cluster"))
    p_text = f"{p_name(row.get('p_method'), lang)} {fmt_p(row['p_value'], prefix=False)}"
    if clustered:  # linkage.association(cluster=...) permuted whole clusters
        p_text = _w("p_clusters_within" if _has(strata) else "p_clusters", lang, p=p_text,
                    strata=strata_label(strata, lang) if _has(strata) else "")
    test = _join([p_text,
                  _w("permuted_within", lang, strata=strata_label(strata, lang)) if _has(strata) and not clustered
                  else "",
                  _w("holm_p", lang, p=fmt_p(adjusted, prefix=False)) if not is_missing(adjusted) else ""],
                 "stats_comma", lang)
    stats = _join([estimate, test, f"n = {int(row['n'])}"], "stats_sep", lang)
    weak = association_is_weak(row, alpha=alpha)  # (checks alpha, also when the estimate is the null)
    # no direction to report ("tend to show lower" would invent one); the conditional-MLE odds ratio of a table with
    # ad = bc comes out a few ulp from 1 (0.9999999999999988), so equal means equal up to rounding
    if math.isclose(stat, null, rel_tol=1e-9, abs_tol=1e-12):
        key = "association_none"
    else:
        key = ("association_weak_" if weak else "association_") + ("positive" if positive else "negative")
    return _w(key, lang, x=_var_label(row["x"], lang), y=_var_label(row["y"], lang), stats=stats)


@keyword_options
def qca_words(model: str, *, lang: str = "en") -> str:
    """A QCA solution (``A*B + C*~D``) in words, with codebook labels; ``~X`` reads "low X" (ko 미흡, ja 不足).

    Parameters
    ----------
    model
        The solution in R QCA's syntax: ``*`` joins conditions, ``+`` joins paths, ``~`` negates.
    lang
        ``en``, ``ko`` or ``ja``.

    Raises
    ------
    ValueError
        `model` that is not text, or an unknown language.

    Examples
    --------
    >>> qca_words("resident_org*intermediary + ~gov_role", lang="ja")
    '「地域を代表する住民組織」と「中間支援組織」、または「行政の伴走的役割の不足」'
    """
    check_lang(lang)
    check_text(model, "model", example="model='resident_org*intermediary' (a QCA solution, R syntax)")
    paths = []
    terms = [t.strip() for t in str(model).split("+")]
    for term in terms:
        parts = []
        for lit in term.split("*"):
            name = lit.strip().lstrip("~").split("[")[0]
            lab = _var_label(name, lang)
            term = _w("qca_negated", lang, label=lab) if lit.strip().startswith("~") else lab
            parts.append(_w("qca_term", lang, term=term))
        path = _w("qca_and", lang).join(parts)
        paths.append(_w("qca_path", lang, path=path) if len(terms) > 1 and len(parts) > 1 else path)
    return _w("qca_or", lang).join(paths)


def qca_sentence(model: str, fit: Mapping | pd.Series, *, outcome: str = "sustainability", lang: str = "en",
                 incl_cut: float = QCA_CONSISTENCY_CUT, **old: Any) -> str:
    """A QCA sufficiency solution with its consistency and coverage as a sentence.

    The configuration is written with codebook labels (:func:`qca_words`). Consistency below `incl_cut` (the
    sufficiency cut, named as in :mod:`krihs_analysis.qca`; ``consistency_cut=`` is its old name) is worded as
    weak evidence.

    Parameters
    ----------
    model : str
        The solution in R syntax (``A*B + ~C``), condition names as in the codebook.
    fit : pandas.Series or Mapping
        The solution's fit with ``consistency`` and ``coverage`` (a row of ``tables["qca"]`` or of
        :func:`krihs_analysis.qca.fit`).
    outcome : str
        The outcome's codebook name.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    incl_cut : float
        The sufficiency cut, a number in [0, 1].

    Raises
    ------
    ValueError
        `model` is not text, `fit` is not one row with consistency and coverage, `incl_cut` is not in [0, 1].

    Examples
    --------
    >>> print(qca_sentence("resident_org*intermediary", {"consistency": 0.92, "coverage": 0.71}, lang="en"))
    Cases with the combination of representative resident organisation and intermediate support organisation are mostly sustained (consistency 0.92, coverage 0.71).
    """
    check_lang(lang)
    incl_cut = renamed(old, {"consistency_cut": "incl_cut"}, "qca_sentence",
                       current={"incl_cut": (incl_cut, QCA_CONSISTENCY_CUT)}).get("incl_cut", incl_cut)
    # 80 (a percentage) used to be accepted and made every solution weak
    check_number(incl_cut, "incl_cut", lo=0, hi=1, example="incl_cut=0.8")
    _inputs.one_row(fit, "qca_fit", "fit")  # the model is checked by qca_words
    cons, cov = float(fit["consistency"]), float(fit["coverage"])
    combo = qca_words(model, lang=lang)
    terms = [t.strip() for t in str(model).split("+")]
    if len(terms) == 1 and "*" in terms[0]:
        combo = _w("qca_combination", lang, terms=combo)
    stats = _w("qca_stats", lang, consistency=fmt_num(cons), coverage=fmt_num(cov))
    # one condition is not "the conditions together" (함께 갖춘, 併せ持つ), nor is a choice between paths
    shape = "_or" if len(terms) > 1 else "" if "*" in terms[0] else "_one"
    return _w(("qca_weak" if cons < incl_cut else "qca_strong") + shape, lang, combo=combo, stats=stats)


def core_task_sentence(row: Mapping | pd.Series, *, lang: str = "en") -> str:
    """The largest core-task gap of a Korean programme against the Japanese mean.

    Parameters
    ----------
    row : pandas.Series or Mapping
        One row of :meth:`krihs_analysis.pipeline.Results.core_task_gaps` (a pandas Series or a dict) with
        ``group`` (programme), ``task`` (one of the codebook's core tasks), ``mean`` and ``benchmark`` (the
        Japanese mean), and ``n``, the programme's cases, said beside its mean when given.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        `row` is not one row, lacks a field or names an unknown task; an unknown language. The message says what
        to pass.

    Examples
    --------
    >>> print(core_task_sentence({"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1,
    ...                           "n": 2}))
    The largest single gap to the Japanese mean is programme KR-P2's score on intermediate support organisations (2 cases; descriptive): 0.50 against 2.10 on the 0–3 scale.
    """
    check_lang(lang)
    _inputs.one_row(row, "core_task_gap")
    n = row.get("n") if hasattr(row, "get") else None  # tables saved before core_task_gaps had n lack it
    n_note = _w("core_task_gap_n", lang, n=fmt_int(n)) if n is not None and not is_missing(n) else ""
    return _w("core_task_gap", lang, group=row["group"], task=_task_label(row["task"], lang), n_note=n_note,
              mean=fmt_num(row["mean"]), benchmark=fmt_num(row["benchmark"]))


def status_sentence(summary: Mapping | pd.Series, *, lang: str = "en") -> str:
    """The case base in one sentence, from counts (``n_kr, n_jp, n_programmes, n_ministries, n_continued_kr,
    n_continued_jp``), a mapping such as :func:`krihs_analysis.brief.compose.case_summary` returns.

    Parameters
    ----------
    summary
        The counts, as a mapping or a pandas Series (whole numbers).
    lang
        ``en``, ``ko`` or ``ja``.

    Raises
    ------
    ValueError
        `summary` that is not one record of counts, a missing count, or an unknown language.

    Examples
    --------
    >>> print(status_sentence({"n_kr": 14, "n_jp": 12, "n_programmes": 7, "n_ministries": 3,
    ...                        "n_continued_kr": 9, "n_continued_jp": 11}))
    The analysis covers 14 Korean cases of 7 programmes run by 3 ministries and 12 Japanese regional management organisations; activity continued after national support ended in 9 of 14 Korean and 11 of 12 Japanese cases.

    With ``n_unsupported_jp`` equal to ``n_jp`` (no Japanese case had a period of national support), the Japanese
    count is of activity that continues:

    >>> print(status_sentence({"n_kr": 14, "n_jp": 12, "n_programmes": 7, "n_ministries": 3,
    ...                        "n_continued_kr": 9, "n_continued_jp": 11, "n_unsupported_jp": 12}))
    The analysis covers 14 Korean cases of 7 programmes run by 3 ministries and 12 Japanese regional management organisations; activity continued after national support ended in 9 of 14 Korean cases, and continues in 11 of 12 Japanese cases, which had no period of national programme support.
    """
    check_lang(lang)
    _inputs.one_row(summary, "status", "summary")
    counts = {key: int(summary[key]) for key in ("n_kr", "n_jp", "n_programmes", "n_ministries", "n_continued_kr",
                                                  "n_continued_jp")}
    # Every Japanese case without a period of national support: its activity "continued after national support
    # ended" said what the cards deny ("without a period of national programme support")
    unsupported = summary.get("n_unsupported_jp") if hasattr(summary, "get") else None
    if unsupported is not None and counts["n_jp"] and int(unsupported) == counts["n_jp"]:
        return _w("status_jp_unsupported", lang, **counts)
    return _w("status", lang, **counts)


def implication_sentence(row: Mapping | pd.Series, *, rank: int, lang: str = "en") -> str:
    """A policy implication for one core task, ranked by its mean gap to the Japanese mean.

    `row` has ``task``, ``gap`` (Japanese mean minus Korean mean, 0-3 scale) and ``n_programmes_below`` (Korean
    programmes under the benchmark) out of ``n_programmes``: one row of
    :func:`krihs_analysis.brief.compose.priorities` (a pandas Series or a dict), its task one of the codebook's
    core tasks.

    Parameters
    ----------
    row
        One row of :func:`krihs_analysis.brief.compose.priorities`.
    rank
        The task's place in the ranking, a whole number from 1.
    lang
        ``en``, ``ko`` or ``ja``.

    Raises
    ------
    ValueError
        `row` that is not one row or lacks a field, a `rank` below 1, or an unknown language.

    Examples
    --------
    >>> print(implication_sentence({"task": "task4_intermediary", "gap": 0.9, "n_programmes_below": 7,
    ...                             "n_programmes": 7}, rank=1))
    Priority 1 — intermediate support organisations: Korean programmes trail the Japanese cases by 0.90 points on average (all 7 programmes below the Japanese mean).
    """
    check_lang(lang)
    _inputs.one_row(row, "priority")
    rank = check_count(rank, "rank", minimum=1)
    below, total = int(row["n_programmes_below"]), int(row["n_programmes"])
    # "7 of 7" read as a count that happened to be full; "all 7" says it
    return _w("implication_all" if below == total > 1 else "implication", lang, rank=rank,
              task=_task_label(row["task"], lang), gap=fmt_num(row["gap"]), below=below, total=total)


def association_item(row: Mapping | pd.Series, lang: str) -> str:
    """An association row as a reader names it: ``X – Y (measure, permuted within strata)``.

    Examples
    --------
    >>> association_item({"x": "integration", "y": "sustainability", "method": "kendall", "strata": "programme"},
    ...                  "en")
    "Project integration – Overall sustainability (Kendall's τ-b, permuted within programmes)"
    """
    cb = load_codebook()
    strata = row.get("strata")
    how = _join([method_name(str(row["method"]), lang),
                 _w("permuted_within", lang, strata=strata_label(strata, lang)) if _has(strata) else ""],
                "stats_comma", lang)
    open_, close = ("（", "）") if lang == "ja" else (" (", ")")
    return f"{cb.label(str(row['x']), lang)} – {cb.label(str(row['y']), lang)}{open_}{how}{close}"


@dataclass(frozen=True)
class Finding:
    """One sentence of the brief and the result it came from."""

    number: int
    text: str
    result: str
    key: str  # the result's row, as the code names it (for tracing, never shown to a reader)
    weak: bool
    evidence: str  # "supported" (a test passed), "weak" (it did not), "descriptive" (no test behind it), and for
    # a QCA solution "meets_cut" / "below_cut" / "no_consistency" (its consistency against the cut: QCA has no test)
    item: str  # the same row as a reader names it, in the brief's language (what the appendix shows)


def family_adjusted(results: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The result tables with each test's adjusted p (``p_holm``) taken from the run's multiplicity family.

    The brief picks its headline findings from every test the run made, so a finding's adjusted p is the Holm
    adjustment over that whole family (``family`` table, ``p_family``), not over its own table. Without a family
    table the tables are returned as they are.

    Parameters
    ----------
    results : Mapping of str to pandas.DataFrame, or krihs_analysis.pipeline.Results
        Named result tables (:meth:`krihs_analysis.pipeline.Results.tables`), or the Results itself.

    Examples
    --------
    >>> import pandas as pd
    >>> comp = pd.DataFrame({"variable": ["integration"], "p_value": [0.01], "p_holm": [0.01]})
    >>> fam = pd.DataFrame({"result": ["comparison"], "key": ["integration"], "p_family": [0.03]})
    >>> family_adjusted({"comparison": comp, "family": fam})["comparison"]["p_holm"].tolist()
    [0.03]
    """
    return _family_adjusted(_inputs.result_tables(results, "results", read=["family"]))


def _family_adjusted(results: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from ..pipeline import association_key

    out = dict(results)
    fam = results.get("family")
    if fam is None or not len(fam) or "p_family" not in fam:
        return out
    by_key = {(r, k): p for r, k, p in zip(fam["result"], fam["key"].astype(str), fam["p_family"])}
    comp = results.get("comparison")
    if comp is not None and len(comp):
        p = [by_key.get(("comparison", str(v)), np.nan) for v in comp["variable"]]
        out["comparison"] = comp.assign(p_holm=pd.Series(p, index=comp.index).fillna(comp.get("p_holm", comp["p_value"])))
    assoc = results.get("association")
    if assoc is not None and len(assoc):
        p = [by_key.get(("association", association_key(r)), np.nan) for _, r in assoc.iterrows()]
        out["association"] = assoc.assign(p_holm=pd.Series(p, index=assoc.index).fillna(assoc["p_value"]))
    return out


#: Findings in the summary box by default.
MAX_FINDINGS = 5


def draft_findings(
    results: Mapping[str, pd.DataFrame],
    *,
    lang: str = "en",
    alpha: float = 0.05,
    max_findings: int = MAX_FINDINGS,
) -> pd.DataFrame:
    """The summary box: 3-5 numbered findings, each from one named result.

    Parameters
    ----------
    results : Mapping of str to pandas.DataFrame, or krihs_analysis.pipeline.Results
        Named result tables: ``comparison`` (compare_countries), ``association`` (linkage.association, one row or
        more), ``qca`` (one row per model: ``model``, ``consistency``, ``coverage``), ``core_task_gaps`` (group, task, mean,
        benchmark). Missing or empty entries are skipped; a ``family`` table with ``p_family`` gives the adjusted
        p-values; a ``settings`` table (:func:`krihs_analysis.pipeline.settings_table`) gives the consistency cut
        a QCA finding is judged by (the standard 0.8 without one). A :class:`~krihs_analysis.pipeline.Results` is
        read as its ``tables()``.
    lang
        One of :data:`krihs_analysis.codebook.LANGS`.
    alpha
        Level above which a p-value makes the finding weak.
    max_findings
        At most this many findings (a whole number from 1).

    Returns
    -------
    pandas.DataFrame
        ``number, text, result, key, weak, evidence, item``: the text, where it came from (``key`` as the code names
        the row, ``item`` as a reader names it in `lang`), and whether a test supports it (``supported``), does not
        (``weak``) or none stands behind it (``descriptive``).

    Raises
    ------
    ValueError
        `results` is not a mapping of DataFrames (nor a Results), a table it has lacks the columns the findings
        read (the message names the table, the columns and the function that makes it), or its ``settings`` table
        is not one :func:`krihs_analysis.pipeline.settings_table` wrote.

    Examples
    --------
    >>> import pandas as pd
    >>> comp = pd.DataFrame([{"variable": "integration", "median_kr": 1.0, "median_jp": 2.0, "cliffs_delta": -0.6,
    ...     "ci_low": -0.85, "ci_high": -0.2, "p_value": 0.004, "p_holm": 0.04, "p_method": "exact"}])
    >>> draft_findings({"comparison": comp})["result"].tolist()
    ['comparison']
    """
    check_lang(lang)
    alpha = check_alpha(alpha)
    max_findings = check_count(max_findings, "max_findings", minimum=1)
    results = _inputs.result_tables(results, "results", read=FINDINGS_TABLES, usage="draft_findings(tables)",
                                    require_one=True)
    return _draft_findings(results, lang=lang, alpha=alpha, max_findings=max_findings)


#: The tables :func:`draft_findings` reads (each when present and not empty).
FINDINGS_TABLES = ("comparison", "association", "qca", "core_task_gaps", "family")


def _draft_findings(results: Mapping[str, pd.DataFrame], *, lang: str, alpha: float,
                    max_findings: int) -> pd.DataFrame:
    """:func:`draft_findings` of tables already checked (compose checks them once, for all it reads)."""
    from ..pipeline import association_key, qca_settings

    results = _family_adjusted(results)
    out: list[Finding] = []

    def add(text: str, result: str, key: str, weak: bool, item: str, evidence: str | None = None) -> None:
        out.append(Finding(len(out) + 1, text, result, key, weak, evidence or ("weak" if weak else "supported"),
                           item))

    comp = results.get("comparison")
    if comp is not None and len(comp):
        for _, row in rank_comparisons(comp).head(2).iterrows():
            add(comparison_sentence(row, lang=lang, alpha=alpha), "comparison", str(row["variable"]),
                comparison_is_weak(row, alpha=alpha), load_codebook().label(str(row["variable"]), lang))
    assoc = results.get("association")
    if assoc is not None and len(assoc):
        row = assoc.iloc[0]
        weak = association_is_weak(row, alpha=alpha)
        key = association_key(row)
        add(association_sentence(row, lang=lang, alpha=alpha), "association", key, weak, association_item(row, lang))
    qca = results.get("qca")
    if qca is not None and len(qca):
        row = qca.iloc[0]
        words = qca_words(row["model"], lang=lang)  # worded for inside a sentence ("intermediate support ...")
        consistency = float(row["consistency"])
        known = consistency == consistency  # a NaN consistency neither meets nor misses the cut
        cut = float(qca_settings(results)["incl_cut"])  # the run's own cut, not the standard set's
        below = not known or consistency < cut
        # QCA has no test: the appendix says whether the solution meets the consistency cut, not "supported by
        # the test"
        add(qca_sentence(row["model"], row, lang=lang, incl_cut=cut), "qca", str(row["model"]), below,
            words[:1].upper() + words[1:] if lang == "en" else words,
            evidence=("below_cut" if consistency < cut else "meets_cut") if known else "no_consistency")
    gaps = results.get("core_task_gaps")
    if gaps is not None and len(gaps):
        worst = largest_gap(gaps)
        add(core_task_sentence(worst, lang=lang), "core_task_gaps", f"{worst['group']}:{worst['task']}", False,
            f"{worst['group']}: {load_codebook().core_tasks[worst['task']][lang]}", "descriptive")
    frame = pd.DataFrame([f.__dict__ for f in out[:max_findings]],
                         columns=["number", "text", "result", "key", "weak", "evidence", "item"])
    return frame


__all__: Sequence[str] = (
    "Finding", "association_sentence", "comparison_sentence", "core_task_sentence", "draft_findings",
    "implication_sentence", "is_weak", "qca_sentence", "qca_words", "status_sentence",
)
