"""Per-country fit of the QCA solution: pooled and per-country consistency and coverage, with the permutation p
of the country gap (the figure behind the brief's "does the recipe hold in both countries?").

Plain seaborn point layer inside the house style; wording in ``locale/fig_qca_groups.yaml``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._format import fmt_cut, fmt_int, fmt_num, fmt_p
from ..wording import phrase
from . import style as st

__all__ = ["qca_groups"]

_CUT = 0.8


def _solution_label(solution: str, lang: str) -> str:
    # the catalogue's one rule for an expression in words (it imports this module, hence here)
    from .catalogue import expression_label

    return expression_label(solution, lang)


def qca_groups(cluster: pd.DataFrame, test: pd.DataFrame | None = None, *, lang: str = "en", ax=None,
               title: str | None = None, illustrative: bool | None = None, source: str | None = None):
    """Dot chart of the solution's consistency and coverage, pooled and for each country.

    Parameters
    ----------
    cluster
        :func:`krihs_analysis.qca.cluster_diagnostics` output; its ``level == "expression"`` rows are drawn.
    test
        :func:`krihs_analysis.qca.cluster_permutation_test` output (the gap and its p in the notes), optional.
    lang
        "en", "ko" or "ja".
    ax
        Draw into this Axes (no frame) instead of a new brief-sized figure.
    title
        Headline of a new figure; by default it says whether the solution holds in every country (consistency of
        at least 0.8 in each) and whether their gap is significant.
    illustrative
        Say that the data are illustrative (default: the frame's ``attrs['illustrative']``, else True).
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from krihs_analysis import qca
    >>> df = pd.DataFrame({"A": [1, 1, 0, 1], "Y": [1, 0, 0, 1], "country": ["KR", "KR", "JP", "JP"]})
    >>> ax = qca_groups(qca.cluster_diagnostics(df, "Y", "A"), lang="ko")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['전체', '한국', '일본']
    >>> from krihs_analysis.figures import close_figure, frame_texts
    >>> frame_texts(qca_groups(qca.cluster_diagnostics(df, "Y", "A"), title="One recipe").figure)["title"]
    'One recipe'
    >>> close_figure(ax.figure)
    """
    import seaborn as sns

    ax = st.check_call("qca_groups", lang, ax=ax, title=title, source=source, flags={"illustrative": illustrative})
    st.check_result(cluster, ("term", "level", "group", "consistency", "coverage"), "qca_groups", arg="cluster",
                    made_by="qca.cluster_diagnostics(data, outcome, expression)", attr="qca_cluster",
                    numeric=("consistency", "coverage"), key=("term", "level", "group"))
    rows = cluster[cluster["level"] == "expression"]
    if rows.empty:
        raise ValueError("qca_groups: cluster has no 'expression' row (the whole solution's fit); pass "
                         "qca.cluster_diagnostics output for the solution, e.g. res.qca_cluster")
    if test is not None:
        how = "qca.cluster_permutation_test(data, outcome, expression)"
        if isinstance(test, pd.DataFrame) and test.empty:
            raise ValueError(f"qca_groups: test is empty; pass what {how} returns, or test=None to leave the gap "
                             "note out")
        st.check_result(test, ("level", "gap", "p_value", "n_permutations", "exact"), "qca_groups", arg="test",
                        made_by=how, attr="qca_cluster_test", numeric=("gap", "p_value", "n_units"),
                        key=("term", "level"))
        if not (test["level"] == "expression").any():
            raise ValueError(f"qca_groups: test has no 'expression' row; test must be what {how} returns "
                             "(or None, to leave the gap note out)")
    solution = str(rows["term"].iloc[0])
    long = rows.melt(id_vars=["group"], value_vars=["consistency", "coverage"], var_name="measure",
                     value_name="value")
    long["value"] = long["value"].astype("float64")
    long["measure"] = [phrase("fig_qca_groups", m, lang) for m in long["measure"]]
    groups = ["pooled", *[g for g in st.COUNTRY_ORDER if g in set(rows["group"])],
              *sorted(set(rows["group"]) - {"pooled", *st.COUNTRY_ORDER})]
    names = {g: phrase("fig_qca_groups", "pooled", lang) if g == "pooled" else st.country_label(g, lang)
             if g in st.COUNTRY_COLORS else g for g in groups}
    long["group"] = long["group"].map(names)
    palette = {names[g]: ("#777777" if g == "pooled" else st.COUNTRY_COLORS.get(g, "#444444")) for g in groups}
    countries = rows[rows["group"] != "pooled"].set_index("group")["consistency"].astype("float64")
    with st.house_style(lang):
        own = ax is None
        if own:
            fig, axes = st.new_figure(st.SINGLE + 0.6, 2.2)
            ax = axes[0, 0]
        fig = ax.figure
        sns.pointplot(data=long, x="value", y="measure", hue="group", hue_order=[names[g] for g in groups],
                      palette=palette, dodge=0.45, linestyle="none", markers="o", markersize=5, ax=ax,
                      legend=True)
        # across the consistency row only: coverage has no threshold (its dots near 0.82 read as passing one)
        ax.vlines(_CUT, -0.5, 0.5, color="#999999", lw=0.8, ls="--", zorder=0, gid="qca-groups-cut")
        ax.text(_CUT, -0.6, phrase("fig_qca_groups", "cut_line", lang, cut=fmt_cut(_CUT)), fontsize=6,
                color=st.MUTED, ha="center", va="bottom")
        ax.set_xlim(0, 1.02)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.legend(title=None, fontsize=6.5, frameon=False, loc="lower left")
        if own:
            notes = []
            if test is not None and len(test):
                t = test[test["level"] == "expression"].iloc[0]
                # a table without `unit` (a run saved before it existed) relabelled single cases
                clusters = {"unit", "n_units"} <= set(test.columns) and t["unit"] == "cluster"
                key = ("exact" if bool(t["exact"]) else "monte_carlo") + ("_clusters" if clusters else "")
                method = phrase("fig_qca_groups", key, lang, n=fmt_int(t["n_permutations"]),
                                units=fmt_int(t["n_units"]) if clusters else "")
                notes.append(phrase("fig_qca_groups", "gap_note", lang, gap=fmt_num(float(t["gap"])),
                                    p=fmt_p(float(t["p_value"])), method=method))
            notes.append(st.text("source", lang, source=source or st.text("source_cases", lang)))
            if st._illustrative(illustrative, cluster):
                notes.append(st.text("illustrative", lang))
            p_value = float(test[test["level"] == "expression"]["p_value"].iloc[0]) if test is not None else 1.0
            best = countries.idxmax() if len(countries) else ""
            best_label = st.country_label(best, lang) if best in st.COUNTRY_COLORS else best
            if len(countries) and (countries >= _CUT).all():
                key = "title_holds" if p_value > 0.05 else "title_holds_gap"  # a gap at p <= 0.05, as elsewhere
            else:
                key = "title_one"
            title = title or phrase("fig_qca_groups", key, lang, country=best_label)
            subtitle = phrase("fig_qca_groups", "subtitle", lang, solution=_solution_label(solution, lang))
            st.decorate(fig, title=title, subtitle=subtitle, notes=notes, lang=lang)
            fig._krihs.update(name="qca_groups", alt=st.sentence([phrase("fig_qca_groups", "alt", lang), title,
                                                                  subtitle], lang))
            fig.draw_without_rendering()
    return ax


def _analysis_input(results) -> tuple[tuple, dict[str, Any]]:
    """The catalogue's arguments for this figure, from one :class:`krihs_analysis.pipeline.Results`."""
    return (results.qca_cluster, results.qca_cluster_test), {"illustrative": results.illustrative}


def baseline_input() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fixed synthetic inputs for the image baseline (figures/baselines.py), independent of the statistics."""
    cluster = pd.DataFrame({
        "term": ["intermediary*integration"] * 3, "level": ["expression"] * 3, "group": ["pooled", "JP", "KR"],
        "n": [26, 12, 14], "consistency": [0.96, 1.0, 0.90], "coverage": [0.82, 0.83, 0.82],
        "dBP": [0.04] * 3, "dWP": [0.02] * 3,
    })
    test = pd.DataFrame({"term": ["intermediary*integration"], "level": ["expression"], "gap": [0.10],
                         "p_value": [0.031], "n_permutations": [6435], "exact": [True], "unit": ["cluster"],
                         "n_units": [15]})
    return cluster, test
