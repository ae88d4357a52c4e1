"""The figure catalogue of the brief: seven plot functions and :func:`build_catalogue`.

Every plot function takes tidy results (as the analysis modules return them) and ``lang``, draws what it is
given and computes nothing beyond layout (and the counts its headline states). With ``ax=None`` it makes a
brief-sized figure with the house frame (headline, subtitle, source and illustrative notes); with an Axes it draws
into it and leaves the frame to the caller. Single-panel functions return the Axes, multi-panel ones the Figure.

Only :func:`build_catalogue` computes: it runs the analysis modules on the case data.

Examples
--------
>>> from krihs_analysis.data import read_context
>>> from krihs_analysis.figures import rmo_trend
>>> ax = rmo_trend(read_context("rmo_survey"), lang="ja")
>>> len(ax.patches)
6
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import check_lang, load_codebook
from .._validate import _describe, check_strings
from .._format import fmt_cut, fmt_int, fmt_list, fmt_median, fmt_num, fmt_p, fmt_pct, fmt_sig, is_missing
from ..wording import in_sentence, phrase, phrases
from . import style as st
from .qca_by_group import _analysis_input as _qca_groups_input, qca_groups  # noqa: F401 (catalogue entry)
from .style import COUNTRY_COLORS, COUNTRY_MARKERS, _illustrative, house_style, text
from .fiscal import fiscal_context  # noqa: F401  (issue 15: MIC fiscal context, real data)

CATALOGUE: tuple[str, ...] = (
    "country_profile",
    "level_distributions",
    "core_task_gaps",
    "integration_sustainability",
    "qca_xy",
    "truth_table_heatmap",
    "rmo_trend",
    "fiscal_context",
    "qca_groups",
)
__all__ = ["CATALOGUE", *CATALOGUE, "build_catalogue"]

# --------------------------------------------------------------------------------------------------------------
# Helpers


_frame = st.check_result  # every result table a figure draws is checked there (issue 11)


def _label(name: str, lang: str) -> str:
    """Codebook label of a variable, core task or derived index (ValueError when unknown)."""
    return load_codebook().label(str(name), lang)


def _group_label(group: str, lang: str) -> str:
    return st.country_label(group, lang) if group in COUNTRY_COLORS else str(group)


def _group_color(group: str) -> str:
    g = str(group)
    if g in COUNTRY_COLORS:
        return COUNTRY_COLORS[g]
    return COUNTRY_COLORS["JP"] if g.startswith("JP") else COUNTRY_COLORS["KR"]


def _notes(lang: str, *, source: str | None, illustrative: bool, extra: Sequence[str] = ()) -> list[str]:
    notes = [*extra, text("source", lang, source=source or text("source_cases", lang))]
    if illustrative:
        notes.append(text("illustrative", lang))
    return notes


def _finish(fig, name: str, lang: str, *, title: str, subtitle: str | None, notes: Sequence[str]) -> None:
    st.decorate(fig, title=title, subtitle=subtitle, notes=notes, lang=lang)
    fig._krihs.update(name=name, alt=st.sentence([text("alt_" + name, lang), title, subtitle or ""], lang))
    # Draw once inside the style: tick labels are created lazily with the rcParams in force at draw time.
    fig.draw_without_rendering()


def _wrap(s: str, width_in: float, lang: str, size: float = 7.5) -> str:
    return st.wrap_text(s, width_in, fontsize=size, lang=lang)


def _n_cases(frame: pd.DataFrame, lang: str) -> str:
    if {"n_kr", "n_jp"} <= set(frame.columns):
        return text("n_cases", lang, n_kr=int(frame["n_kr"].max()), n_jp=int(frame["n_jp"].max()))
    return ""


def _points(ax, x: Any, y: Any, *, gid: str, **kwargs: Any):
    """One layer of points drawn by seaborn (no legend: the figures label directly), tagged with `gid`."""
    import seaborn as sns

    before = len(ax.collections)
    sns.scatterplot(x=np.asarray(x, dtype="float64"), y=np.asarray(y, dtype="float64"), ax=ax, legend=False,
                    **kwargs)
    layer = ax.collections[before]
    layer.set_gid(gid)
    return layer


def _check_variables(names: Sequence[str], lang: str) -> list[str]:
    return [_label(v, lang) for v in names]


# --------------------------------------------------------------------------------------------------------------
# 1. Country profile


#: The Holm-adjusted p below which country_profile fills a dimension's marker (its note says so).
SIGNIFICANCE = 0.05


def country_profile(comparison: pd.DataFrame, *, lang: str = "en", ax=None, title: str | None = None,
                    illustrative: bool | None = None, source: str | None = None):
    """Korea against Japan on every coded dimension: medians (dumbbell) and Cliff's delta with its 95% CI.

    A yes/no item has no place on the 0-3 scale of the medians: its row gives the shares of yes in words
    (``mean_kr``, ``mean_jp``), or, for a table saved without them, its medians as codes of yes (1) and no (0).

    Parameters
    ----------
    comparison
        ``compare.compare_countries`` output: ``variable, n_kr, n_jp, median_kr, median_jp, mean_kr, mean_jp,
        cliffs_delta, ci_low, ci_high, p_holm`` (one row per variable, drawn top to bottom in the given order;
        ``mean_*`` and ``p_holm`` may be missing).
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes.
    ax
        None for a new double-column figure with its frame (headline, subtitle, notes), or a pair of Axes
        (medians, delta) sharing y to draw into, without the frame.
    title
        Headline of a new figure; by default it counts the dimensions on which the Korean cases score lower
        (Cliff's delta below 0, with a Holm-adjusted p below 0.05 when `comparison` has ``p_holm``).
    illustrative
        Add the illustrative-data note to a new figure; None reads ``comparison.attrs['illustrative']`` and adds
        the note when that is missing (unknown provenance counts as illustrative).
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from krihs_analysis.figures import baselines, close_figure, country_profile, frame_texts
    >>> fig = country_profile(baselines.comparison(), lang="en", illustrative=True)
    >>> frame_texts(fig)["title"]
    'Korean cases score significantly lower than Japanese ones on 8 of 10 dimensions'
    >>> len(fig.axes)
    2
    >>> close_figure(fig)
    """
    st.check_call("country_profile", lang, title=title, source=source, flags={"illustrative": illustrative})
    pair = st.check_axes(ax, "country_profile", count=2)
    cols = ["variable", "median_kr", "median_jp", "cliffs_delta", "ci_low", "ci_high"]
    df = _frame(comparison, cols, "country_profile", arg="comparison", made_by="compare.compare_countries(cases)",
                attr="comparison", numeric=[*cols[1:], "p_holm", "n_kr", "n_jp"],
                key=["variable"]).reset_index(drop=True)
    labels = _check_variables(df["variable"].astype(str).tolist(), lang)
    n = len(df)
    with house_style(lang):
        own = ax is None
        if own:
            fig, axes = st.new_figure(st.DOUBLE, 0.27 * n + 0.55, ncols=2, sharey=True,
                                      gridspec_kw={"width_ratios": [1, 1]})
            ax_m, ax_d = axes[0]
        else:
            ax_m, ax_d = pair
            fig = ax_m.figure
        y = np.arange(n, dtype=float)
        off = 0.13
        kr, jp = df["median_kr"].astype("float64").to_numpy(), df["median_jp"].astype("float64").to_numpy()
        # A yes/no item has no place on the 0-3 scale (both its medians read "1", low and equal, for 64% and 92%
        # yes): its row gives the shares of yes in words instead of markers
        yes_no = df["variable"].astype(str).isin(load_codebook().of_type("binary")).to_numpy()
        scaled = ~yes_no
        for i in np.flatnonzero(scaled):
            ax_m.plot([kr[i], jp[i]], [y[i] - off, y[i] + off], color="#bbbbbb", lw=1.2, zorder=1,
                      solid_capstyle="round")
        if scaled.any():  # (a table of yes/no items only has no markers to draw)
            _points(ax_m, kr[scaled], y[scaled] - off, s=26, marker=COUNTRY_MARKERS["KR"],
                    color=COUNTRY_COLORS["KR"], zorder=3, linewidth=0, gid="median-KR")
            _points(ax_m, jp[scaled], y[scaled] + off, s=24, marker=COUNTRY_MARKERS["JP"],
                    color=COUNTRY_COLORS["JP"], zorder=3, linewidth=0, gid="median-JP")
        for i in np.flatnonzero(yes_no):
            ax_m.text(1.5, y[i], _yes_share_text(df.iloc[i], lang), ha="center", va="center", fontsize=6.5,
                      color=st.INK, gid=f"yes-share-{df['variable'].iat[i]}")
        ax_m.set_xlim(-0.3, 3.3)
        ax_m.set_xticks([0, 1, 2, 3])
        ax_m.xaxis.grid(True)
        ax_m.set_xlabel(text("profile_scale", lang))
        ax_m.set_title(text("profile_median", lang), fontsize=8)
        ax_m.set_yticks(y, [_wrap(lab, 1.75, lang) for lab in labels])
        ax_m.set_ylim(n - 0.5, -0.9)
        ax_m.tick_params(axis="y", length=0)
        # Direct labels on the top row of markers instead of a legend
        top = np.flatnonzero(scaled)
        if top.size:
            i0 = int(top[0])
            k0, j0 = kr[i0], jp[i0]
            kw = dict(fontsize=7, fontweight="bold", va="center")
            side = -1 if k0 <= j0 else 1
            ax_m.annotate(st.country_label("KR", lang), (k0, i0 - off), xytext=(6 * side, 0),
                          textcoords="offset points", ha="right" if side < 0 else "left", color=COUNTRY_COLORS["KR"],
                          **kw)
            ax_m.annotate(st.country_label("JP", lang), (j0, i0 + off), xytext=(-6 * side, 0),
                          textcoords="offset points", ha="left" if side < 0 else "right", color=COUNTRY_COLORS["JP"],
                          **kw)

        d = df["cliffs_delta"].astype("float64").to_numpy()
        lo, hi = df["ci_low"].astype("float64").to_numpy(), df["ci_high"].astype("float64").to_numpy()
        # p at most the cut, as the brief's sentences call a difference clear (an exact p can equal 0.05)
        sig = (df["p_holm"].astype("float64").to_numpy() <= SIGNIFICANCE) if "p_holm" in df else np.zeros(n, bool)
        ax_d.axvline(0, color="#888888", lw=0.8, zorder=1)
        ax_d.hlines(y, lo, hi, color="#666666", lw=1.1, zorder=2)
        colors = [COUNTRY_COLORS["KR"] if v > 0 else COUNTRY_COLORS["JP"] if v < 0 else st.NEUTRAL for v in d]
        face = [c if s else "white" for c, s in zip(colors, sig)]
        _points(ax_d, d, y, s=28, marker="D", facecolors=face, edgecolors=colors, linewidths=1.2, zorder=3,
                gid="delta")
        ax_d.set_xlim(-1.05, 1.05)
        ax_d.set_xticks([-1, -0.5, 0, 0.5, 1])
        ax_d.xaxis.set_major_formatter(lambda v, _pos: fmt_num(v, digits=1) if v != 0 else "0")
        ax_d.xaxis.grid(True)
        ax_d.set_xlabel(text("profile_direction", lang))
        ax_d.set_title(text("profile_delta", lang), fontsize=8)
        ax_d.tick_params(axis="y", length=0, labelleft=False)
        if own:
            if "p_holm" in df:  # count only the differences the note marks as significant
                default = text("profile_title_sig", lang, k=int(((d < 0) & sig).sum()), n=n)
            else:
                default = text("profile_title", lang, k=int((d < 0).sum()), n=n)
            _finish(fig, "country_profile", lang, title=title or default,
                    subtitle=text("profile_subtitle", lang, cases=_n_cases(df, lang)).rstrip("; ；"),
                    notes=_notes(lang, source=source, illustrative=_illustrative(illustrative, comparison),
                                 extra=[text("profile_filled", lang)]))
    return fig


def _yes_share_text(row: pd.Series, lang: str) -> str:
    """A yes/no row of the country profile in words: the shares of yes (the table's means), or the medians of a
    table saved without means."""
    if not (is_missing(row.get("mean_kr")) or is_missing(row.get("mean_jp"))):
        return text("profile_yes_share", lang, kr=fmt_pct(row["mean_kr"]), jp=fmt_pct(row["mean_jp"]))
    return text("profile_yes_median", lang, kr=fmt_median(row["median_kr"]), jp=fmt_median(row["median_jp"]))


# --------------------------------------------------------------------------------------------------------------
# 2. Level distributions


def level_distributions(levels: pd.DataFrame, *, lang: str = "en", ax=None, title: str | None = None,
                        illustrative: bool | None = None, source: str | None = None):
    """100% stacked bars of the codes of each variable, one bar per group (country), shares labelled.

    Parameters
    ----------
    levels
        ``compare.level_distribution`` output: ``variable, group, code, n, share`` (shares of a variable and
        group sum to 1). Variables keep their order of appearance; groups KR before JP.
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes.
    ax
        None for a new double-column figure with its frame (headline, subtitle, notes), or one Axes to draw
        into, without the frame.
    title
        Headline of a new figure; by default the mean share of Japanese and of Korean cases at code 2 or 3 over
        the variables coded 0-3 (a generic headline when the groups are not KR and JP).
    illustrative
        Add the illustrative-data note to a new figure; None reads ``levels.attrs['illustrative']`` and adds the
        note when that is missing (unknown provenance counts as illustrative).
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from krihs_analysis.figures import baselines, close_figure, frame_texts, level_distributions
    >>> ax = level_distributions(baselines.levels(), lang="en")
    >>> frame_texts(ax.figure)["title"]
    'On average 78% of Japanese and 32% of Korean cases reach code 2 or 3'
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['Sense of community', 'Representative resident organisation']
    >>> close_figure(ax.figure)
    """
    ax = st.check_call("level_distributions", lang, ax=ax, title=title, source=source,
                       flags={"illustrative": illustrative})
    df = _frame(levels, ["variable", "group", "code", "share"], "level_distributions", arg="levels",
                made_by="compare.level_distribution(cases)", attr="levels", numeric=["code", "share", "n"],
                complete=["code"], key=["variable", "group", "code"]).copy()
    df["variable"] = df["variable"].astype(str)
    df["group"] = df["group"].astype(str)
    df["code"] = df["code"].astype("float64").astype(int)
    df["share"] = df["share"].astype("float64")
    variables = list(dict.fromkeys(df["variable"]))
    labels = _check_variables(variables, lang)
    groups = list(dict.fromkeys(df["group"]))
    groups.sort(key=lambda g: (st.COUNTRY_ORDER.index(g) if g in st.COUNTRY_ORDER else 99))
    cb = load_codebook()
    ng = len(groups)
    block = ng + 0.7
    with house_style(lang):
        own = ax is None
        if own:
            fig, axes = st.new_figure(st.DOUBLE, 0.16 * ng * len(variables) + 0.12 * len(variables) + 0.5)
            ax = axes[0, 0]
        fig = ax.figure
        centers = []
        for i, var in enumerate(variables):
            top_code = max(cb[var].codes) if cb[var].codes else int(df.loc[df["variable"] == var, "code"].max())
            for j, g in enumerate(groups):
                yy = i * block + j
                sub = df[(df["variable"] == var) & (df["group"] == g)].sort_values("code")
                left = 0.0
                for code, share in zip(sub["code"], sub["share"]):
                    if share <= 0:
                        continue
                    ci = round(3 * code / top_code) if top_code else 0
                    ax.barh(yy, share, left=left, height=0.82, color=st.LEVEL_COLORS[ci], edgecolor="white",
                            linewidth=0.4, gid=f"bar-{var}-{g}-{code}")
                    if share >= 0.1:
                        ax.text(left + share / 2, yy, fmt_pct(share), ha="center", va="center", fontsize=6,
                                color="white" if ci >= 2 else st.INK)
                    left += share
                ax.text(1.01, yy, _group_label(g, lang), ha="left", va="center", fontsize=6.5,
                        color=_group_color(g), fontweight="bold", transform=ax.get_yaxis_transform())
            centers.append(i * block + (ng - 1) / 2)
        ax.set_yticks(centers, [_wrap(lab, 1.9, lang) for lab in labels])
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(len(variables) * block - 0.7 - 0.4, -0.6)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
        ax.set_xlabel(text("share_axis", lang))
        ax.spines["left"].set_visible(False)
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=c, edgecolor="#999999", linewidth=0.3, label=str(k))
                   for k, c in enumerate(st.LEVEL_COLORS)]
        ax.legend(handles=handles, title=text("levels_legend", lang), ncols=4, loc="lower left",
                  bbox_to_anchor=(0, 1.0), alignment="left", title_fontproperties={"size": 7},
                  columnspacing=0.8, handletextpad=0.4)
        if own:
            if {"KR", "JP"} <= set(groups):
                top = df.merge(pd.Series({v: max(cb[v].codes) for v in variables}, name="top"),
                               left_on="variable", right_index=True)
                top = top[top["top"] == 3]
                high = top[top["code"] >= 2].groupby(["group", "variable"])["share"].sum()
                mean = high.groupby(level="group").mean()
                default = text("levels_title", lang, share_kr=fmt_pct(mean.get("KR", 0.0)),
                               share_jp=fmt_pct(mean.get("JP", 0.0)))
            else:
                default = text("levels_title_generic", lang)
            cases = ""
            if "n" in df and {"KR", "JP"} <= set(groups):
                nn = df.groupby(["group", "variable"])["n"].sum().groupby(level="group").max()
                cases = text("n_cases", lang, n_kr=int(nn["KR"]), n_jp=int(nn["JP"]))
            binary = [v for v in variables if cb[v].type == "binary"]
            extra = [text("levels_binary", lang, items=", ".join(_label(v, lang) for v in binary))] if binary else []
            _finish(fig, "level_distributions", lang, title=title or default,
                    subtitle=text("levels_subtitle", lang, cases=cases).rstrip("; ；"),
                    notes=_notes(lang, source=source, illustrative=_illustrative(illustrative, levels), extra=extra))
    return ax


# --------------------------------------------------------------------------------------------------------------
# 3. Core-task gaps


def core_task_gaps(profile: pd.DataFrame, *, lang: str = "en", ax=None, benchmark: str | None = None,
                   title: str | None = None, illustrative: bool | None = None, source: str | None = None):
    """Core-task index of each Korean programme (mean and 95% CI) against the Japanese mean, one panel a task.

    Parameters
    ----------
    profile
        ``compare.core_task_profile(cases, by="programme")`` output: ``group, task, n, mean, ci_low, ci_high``.
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes.
    ax
        None for a new double-column figure (up to four panels a row) with its frame (headline, subtitle,
        notes), or a sequence of Axes, at least one per task, to draw into (in task order), without the frame.
    benchmark
        The group drawn as the benchmark line and band; by default the group named ``JP`` or starting with it.
    title
        Headline of a new figure; by default how many of the Korean programmes' task means fall below the
        benchmark's.
    illustrative
        Add the illustrative-data note to a new figure; None reads ``profile.attrs['illustrative']`` and adds the
        note when that is missing (unknown provenance counts as illustrative).
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from krihs_analysis.figures import baselines, close_figure, core_task_gaps, frame_texts
    >>> fig = core_task_gaps(baselines.task_profile(), lang="en")
    >>> frame_texts(fig)["title"]
    'All 28 Korean programme scores fall below the Japanese mean'
    >>> len(fig.axes)
    4
    >>> close_figure(fig)
    """
    st.check_call("core_task_gaps", lang, title=title, source=source, flags={"illustrative": illustrative})
    if benchmark is not None:
        st.check_text(benchmark, "benchmark", what="core_task_gaps")
    df = _frame(profile, ["group", "task", "mean", "ci_low", "ci_high"], "core_task_gaps", arg="profile",
                made_by="compare.core_task_profile(cases, by='programme')", attr="profile_programme",
                numeric=["mean", "ci_low", "ci_high"], key=["group", "task"]).copy()
    df["group"] = df["group"].astype(str)
    df["task"] = df["task"].astype(str)
    groups = list(dict.fromkeys(df["group"]))
    if benchmark is None:
        cands = [g for g in groups if g == "JP" or g.startswith("JP")]
        if len(cands) != 1:
            raise ValueError(f"core_task_gaps: cannot tell the Japanese benchmark among groups {groups}; "
                             "pass benchmark=")
        benchmark = cands[0]
    elif benchmark not in groups:
        raise ValueError(f"core_task_gaps: benchmark {benchmark!r} is not a group of the profile {groups}")
    programmes = [g for g in groups if g != benchmark]
    if not programmes:
        raise ValueError("core_task_gaps: the profile has no group besides the benchmark")
    tasks = list(dict.fromkeys(df["task"]))
    task_labels = _check_variables(tasks, lang)
    nt, npg = len(tasks), len(programmes)
    given = st.check_axes(ax, "core_task_gaps", count=nt, exact=False)
    with house_style(lang):
        own = ax is None
        if own:
            ncols = min(nt, 4)
            nrows = math.ceil(nt / ncols)
            fig, axes = st.new_figure(st.DOUBLE, nrows * (0.2 * npg + 0.75), nrows=nrows, ncols=ncols,
                                      sharex=True, sharey=True)
            axs = list(axes.ravel())
            for extra in axs[nt:]:
                extra.set_visible(False)
            axs = axs[:nt]
        else:
            axs = given
            fig = axs[0].figure
        panel_w = (st.DOUBLE - 0.8) / min(nt, 4)
        below, total, whiskers = 0, 0, 0
        y = np.arange(npg, dtype=float)
        for a, task, tlab in zip(axs, tasks, task_labels):
            sub = df[df["task"] == task].set_index("group")
            if benchmark not in sub.index:
                raise ValueError(f"core_task_gaps: no benchmark row for task {task!r}")
            b = sub.loc[benchmark]
            bm, bl, bh = float(b["mean"]), float(b["ci_low"]), float(b["ci_high"])
            if np.isfinite(bl) and np.isfinite(bh):
                a.axvspan(bl, bh, color=COUNTRY_COLORS["JP"], alpha=0.18, lw=0, zorder=0)
            a.axvline(bm, color=COUNTRY_COLORS["JP"], lw=1.4, zorder=1, gid="benchmark")
            a.text(bm, -0.95, text("benchmark", lang), ha="center", va="center", fontsize=6.5,
                   color="#9a6a00", fontweight="bold", bbox=dict(boxstyle="square,pad=0.1", fc="white", lw=0))
            rows = sub.reindex(programmes)
            m = rows["mean"].astype("float64").to_numpy()
            lo, hi = rows["ci_low"].astype("float64").to_numpy(), rows["ci_high"].astype("float64").to_numpy()
            ok = np.isfinite(lo) & np.isfinite(hi)
            whiskers += int(ok.sum())
            a.hlines(y[ok], lo[ok], hi[ok], color=COUNTRY_COLORS["KR"], lw=1.1, alpha=0.8, zorder=2)
            _points(a, m, y, s=22, marker=COUNTRY_MARKERS["KR"], color=COUNTRY_COLORS["KR"], zorder=3, linewidth=0,
                    gid="kr")
            below += int((m < bm).sum())
            total += int(np.isfinite(m).sum())
            a.set_title(_wrap(tlab, panel_w - 0.05, lang, 7.5), fontsize=7.5, fontweight="bold", loc="left")
            a.set_xlim(-0.15, 3.15)
            a.set_xticks([0, 1, 2, 3])
            a.xaxis.grid(True)
            a.tick_params(axis="y", length=0)
        axs[0].set_yticks(y, programmes)
        axs[0].set_ylim(npg - 0.5, -1.35)
        for a in axs:
            a.set_xlabel(text("gaps_axis", lang), fontsize=7)
        if own:
            # Groups too small for a bootstrap interval are drawn without a whisker; the note says why.
            small = []
            if "ci_method" in df:
                tiny = df["ci_method"].astype(str).str.startswith("group too small") & df["group"].isin(programmes)
                small = list(dict.fromkeys(df.loc[tiny, "group"]))
            extra = [text("gaps_small", lang, groups=", ".join(small))] if small else []
            _finish(fig, "core_task_gaps", lang, title=title or text("gaps_title_all" if below == total > 1 else "gaps_title",
                                                          lang, k=below, m=total),
                    # "with 95% CI" only when some programme has one: the sample's pairs have none
                    subtitle=text("gaps_subtitle" if whiskers else "gaps_subtitle_no_ci", lang),
                    notes=_notes(lang, source=source, illustrative=_illustrative(illustrative, profile), extra=extra))
    return fig


# --------------------------------------------------------------------------------------------------------------
# 4. Integration and sustainability


def _cell_offsets(k: int, *, dx: float = 0.42, dy: float = 0.19, max_rows: int = 4) -> list[tuple[float, float]]:
    """Deterministic positions of `k` points sharing one cell: a grid, filled column by column."""
    ncol = max(1, math.ceil(k / max_rows)) if k > 1 else 1
    ncol = max(ncol, 2) if k > 2 else ncol
    nrow = math.ceil(k / ncol)
    step = min(dy, 0.8 / max(nrow, 1))
    xs = [(c - (ncol - 1) / 2) * dx - 0.12 for c in range(ncol)] if ncol > 1 else [-0.1]
    out = []
    for i in range(k):
        c, r = divmod(i, nrow)
        out.append((xs[c], ((nrow - 1) / 2 - r) * step))
    return out


def integration_sustainability(cases: pd.DataFrame, association: pd.DataFrame, *, lang: str = "en", ax=None,
                               x: str = "integration", y: str = "sustainability", label_cases: bool = True,
                               title: str | None = None, illustrative: bool | None = None,
                               source: str | None = None):
    """Every case placed by its integration (x) and sustainability (y) code, coloured by country, labelled.

    Cases sharing a cell are laid out on a small grid (deterministic, no random jitter).

    Parameters
    ----------
    cases
        Case data (``data.read_cases(path)``): ``case_id``, ``country`` and the `x` and `y` columns (codes); cases
        without both codes are left out.
    association
        ``linkage.association`` output: ``method, statistic, p_value`` and optionally ``ci_low, ci_high, n``. Its
        first row for `x` and `y` (when it has ``x`` and ``y`` columns) goes in the subtitle of a new figure, and
        its sign and p-value choose the headline.
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes.
    ax
        None for a new double-column figure with its frame (headline, subtitle, notes), or one Axes to draw
        into, without the frame.
    x, y
        The codebook variables on the horizontal and vertical axis (columns of `cases`): their codes are the
        ticks, the heads of their level anchors the tick labels.
    label_cases
        Write each case's ``case_id`` beside its point.
    title
        Headline of a new figure; by default it says whether more integrated cases tend to be more or less
        sustainable (by the sign of the statistic, when p <= 0.05) or that there is no clear link.
    illustrative
        Add the illustrative-data note to a new figure; None takes it from `cases` (its ``data_status`` column or
        ``attrs``), else from ``association.attrs['illustrative']``, and adds the note when neither says.
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from krihs_analysis.figures import baselines, close_figure, frame_texts, integration_sustainability
    >>> ax = integration_sustainability(baselines.cases(), baselines.association(), lang="en")
    >>> frame_texts(ax.figure)["title"]
    'More integrated cases tend to be more sustainable'
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Project integration', 'Overall sustainability')
    >>> close_figure(ax.figure)
    """
    ax = st.check_call("integration_sustainability", lang, ax=ax, title=title, source=source,
                       flags={"illustrative": illustrative, "label_cases": label_cases})
    df = _frame(cases, ["case_id", "country", x, y], "integration_sustainability", arg="cases",
                made_by="data.read_cases(path)", attr="cases", numeric=[x, y], complete=["country"])
    assoc = _frame(association, ["method", "statistic", "p_value"], "integration_sustainability", arg="association",
                   made_by="linkage.association(cases, ...)", attr="association",
                   numeric=["statistic", "p_value", "ci_low", "ci_high", "n"], key=["x", "y", "method"])
    if {"x", "y"} <= set(assoc.columns):
        # the subtitle states the link of the two codes drawn, not the first pair a wider table holds
        pairs = assoc[(assoc["x"].astype(str) == x) & (assoc["y"].astype(str) == y)]
        if pairs.empty:
            held = ", ".join(dict.fromkeys(f"{a} and {b}" for a, b in zip(assoc["x"], assoc["y"])))
            raise ValueError(f"integration_sustainability: association is the link of {held}, not of {x} and {y} "
                             f"drawn; pass linkage.association(cases, x={x!r}, y={y!r})")
        assoc = pairs
    xlab, ylab = _label(x, lang), _label(y, lang)
    cb = load_codebook()
    xv = pd.to_numeric(df[x].astype("float64"), errors="coerce")
    yv = pd.to_numeric(df[y].astype("float64"), errors="coerce")
    data = pd.DataFrame({"case_id": df["case_id"].astype(str).to_numpy(), "country": df["country"].astype(str).to_numpy(),
                         "x": xv.to_numpy(), "y": yv.to_numpy()}).dropna(subset=["x", "y"])
    if data.empty:
        raise ValueError("integration_sustainability: no case has both codes")
    data["order"] = data["country"].map(lambda c: st.COUNTRY_ORDER.index(c) if c in st.COUNTRY_ORDER else 9)
    data = data.sort_values(["x", "y", "order", "case_id"], kind="stable")
    px, py = [], []
    for (_, _), cell in data.groupby(["x", "y"], sort=False):
        for (ox, oy), (_, row) in zip(_cell_offsets(len(cell)), cell.iterrows()):
            px.append(row["x"] + ox)
            py.append(row["y"] + oy)
    data["px"], data["py"] = px, py
    with house_style(lang):
        own = ax is None
        if own:
            fig, axes = st.new_figure(st.DOUBLE, 3.7)
            ax = axes[0, 0]
        fig = ax.figure
        for c in [c for c in st.COUNTRY_ORDER if c in set(data["country"])] + \
                 sorted(set(data["country"]) - set(st.COUNTRY_ORDER)):
            sub = data[data["country"] == c]
            _points(ax, sub["px"], sub["py"], s=22, marker=COUNTRY_MARKERS.get(c, "o"), color=_group_color(c),
                    edgecolors="white", linewidths=0.4, zorder=3, gid=f"cases-{c}")
            if label_cases:
                for _, r in sub.iterrows():
                    ax.annotate(r["case_id"], (r["px"], r["py"]), xytext=(3.5, 0), textcoords="offset points",
                                ha="left", va="center", fontsize=5.5, color=_group_color(c) if c != "JP" else "#8a5f00")
        for b in (0.5, 1.5, 2.5):
            ax.axvline(b, color="#e6e6e6", lw=0.6, zorder=0)
            ax.axhline(b, color="#e6e6e6", lw=0.6, zorder=0)
        # no diagonal: a dotted "same code on both scales" line read as a fitted trend, and two different scales
        # meeting at equal codes means nothing here
        xcodes, ycodes = cb[x].codes, cb[y].codes
        ax.set_xticks(list(xcodes), [f"{k}\n{_wrap(st.short_level(x, k, lang), 1.1, lang, 7)}" for k in xcodes])
        ax.set_yticks(list(ycodes), [f"{_wrap(st.short_level(y, k, lang), 0.9, lang, 7)} {k}" for k in ycodes])
        ax.set_xlim(min(xcodes) - 0.5, max(xcodes) + 0.5)
        ax.set_ylim(min(ycodes) - 0.5, max(ycodes) + 0.5)
        ax.set_xlabel(xlab)
        ax.set_ylabel(ylab)
        ax.tick_params(length=0)
        # Direct country key above the plot, right-aligned
        present = [c for c in st.COUNTRY_ORDER if c in set(data["country"])]
        anchor = None
        for c in reversed(present):
            s = f"{'●' if COUNTRY_MARKERS[c] == 'o' else '■'} {st.country_label(c, lang)}"
            if anchor is None:
                anchor = ax.text(1.0, 1.015, s, transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
                                 color=COUNTRY_COLORS[c], fontweight="bold")
            else:
                anchor = ax.annotate(s, xy=(0, 0), xycoords=anchor, xytext=(-8, 0), textcoords="offset points",
                                     ha="right", va="bottom", fontsize=7, color=COUNTRY_COLORS[c], fontweight="bold")
        if own:
            r = assoc.iloc[0]
            stat, p = float(r["statistic"]), float(r["p_value"])
            method = str(r["method"]).lower()
            mkey = f"method_{method}"
            mname = text(mkey, lang) if mkey in phrases("figures") else str(r["method"])
            ci = ""
            if {"ci_low", "ci_high"} <= set(assoc.columns) and np.isfinite([r["ci_low"], r["ci_high"]]).all():
                ci = text("ci_range", lang, lo=fmt_num(float(r["ci_low"])), hi=fmt_num(float(r["ci_high"])))
            n = int(r["n"]) if "n" in assoc.columns and pd.notna(r["n"]) else len(data)
            # p at most the cut, as the brief's sentence calls the same result clear (an exact p can be 0.05)
            key = ("link_title_none" if not (p <= SIGNIFICANCE)
                   else "link_title_pos" if stat > 0 else "link_title_neg")
            _finish(fig, "integration_sustainability", lang, title=title or text(key, lang),
                    subtitle=text("link_subtitle", lang, method=mname, statistic=fmt_num(stat), ci=ci,
                                  p=fmt_p(p), n=n),
                    notes=_notes(lang, source=source, illustrative=_illustrative(
                        illustrative if illustrative is not None else _cases_illustrative(cases), association)))
    return ax


def _cases_illustrative(cases: pd.DataFrame) -> bool | None:
    if "data_status" in cases or "illustrative" in cases.attrs:
        from ..data import is_illustrative

        return is_illustrative(cases)
    return None


# --------------------------------------------------------------------------------------------------------------
# 5. QCA XY plot

_FIT_KEYS = {"consistency": ("consistency", "inclS", "incl"), "coverage": ("coverage", "covS", "cov")}


def _fit_value(fit: Any, what: str) -> float:
    if isinstance(fit, pd.DataFrame):
        if fit.empty:
            raise ValueError("qca_xy: the fit table is empty")
        if "level" in fit:
            rows = fit[fit["level"].isin(["expression", "model"])]
            if rows.empty:
                levels = list(dict.fromkeys(fit["level"].astype(str)))
                raise ValueError(f"qca_xy: the fit table has no 'expression' or 'model' row (its levels: {levels}); "
                                 "pass the fit of the whole solution, e.g. qca.fit(data, expression) or res.qca_fit")
            row = rows.iloc[-1]
        else:
            row = fit.iloc[-1]
        fit = row.to_dict()
    elif not isinstance(fit, (Mapping, pd.Series)):
        raise ValueError(f"qca_xy: fit must be the solution's fit (qca.fit(...) or its 'expression' row, a dict or a "
                         f"Series with consistency and coverage), got {type(fit).__name__}; pass e.g. "
                         "fit={'consistency': 0.9, 'coverage': 0.8}")
    for k in _FIT_KEYS[what]:
        if k in fit:
            try:
                return float(fit[k])
            except (TypeError, ValueError):
                raise ValueError(f"qca_xy: the fit's {k} must be a number, got {fit[k]!r}") from None
    raise ValueError(f"qca_xy: the fit gives no {what} (expected one of {_FIT_KEYS[what]})")


def expression_label(expression: str, lang: str) -> str:
    """A QCA expression with codebook labels for the condition names (``~`` negation; AND a middle dot in English,
    R's ``*`` in Korean and Japanese, whose labels hold middle dots of their own: 연계·통합, 連携・統合)."""
    cb = load_codebook()

    def name(m: re.Match) -> str:
        n = m.group(0)
        return in_sentence(cb.label(n, lang), lang=lang) if n in cb else n

    out = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", name, expression)
    return out.replace("*", phrase("common", "qca_and_sign", lang))


def qca_xy(xy: pd.DataFrame, fit: Any, *, lang: str = "en", ax=None, solution: str | None = None,
           outcome: str = "sustainability", label_cases: bool = False, title: str | None = None,
           illustrative: bool | None = None, source: str | None = None):
    """QCA XY plot: each case's membership in the solution (x) against its outcome membership (y).

    Parameters
    ----------
    xy
        ``case_id, x, y`` (memberships in [0, 1]) and optionally ``country`` (colours the points).
    fit
        The solution's fit: the ``model``/``expression`` row of ``Solution.fit`` or ``qca.fit(...)``, a dict or
        a Series with ``consistency`` and ``coverage`` (R's ``inclS``/``covS`` accepted).
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes.
    ax
        None for a new single-column figure with its frame (headline, subtitle, notes), or one Axes to draw
        into, without the frame.
    solution
        The solution expression in R syntax, for the subtitle (condition names become codebook labels).
    outcome
        The outcome, for the y-axis label and the subtitle: a codebook variable (its label is shown) or any other
        text (shown as given).
    label_cases
        Write each case's ``case_id`` beside its point (when `xy` has that column).
    title
        Headline of a new figure; by default it states the consistency and whether it reaches 0.8.
    illustrative
        Add the illustrative-data note to a new figure; None reads ``xy.attrs['illustrative']`` and adds the note
        when that is missing (unknown provenance counts as illustrative).
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from krihs_analysis.figures import baselines, close_figure, frame_texts, qca_xy
    >>> ax = qca_xy(baselines.xy(), baselines.xy_fit(), lang="en",
    ...             solution="intermediary + resident_org*integration")
    >>> frame_texts(ax.figure)["title"]
    'Cases in the solution are mostly sustainable (consistency 0.91)'
    >>> ax.get_ylabel()
    'Overall sustainability'
    >>> close_figure(ax.figure)
    """
    ax = st.check_call("qca_xy", lang, ax=ax, title=title, source=source, solution=solution,
                       flags={"illustrative": illustrative, "label_cases": label_cases})
    st.check_text(outcome, "outcome", what="qca_xy", optional=False)
    df = _frame(xy, ["x", "y"], "qca_xy", arg="xy", made_by="qca.xy_data(data, model, outcome=...)", attr="qca_xy",
                # (each point takes its country's marker)
                numeric=["x", "y"], complete=["country"], key=["case_id"]).copy()
    cons, cov = _fit_value(fit, "consistency"), _fit_value(fit, "coverage")
    out_label = _label(outcome, lang) if outcome in load_codebook() else outcome
    df["x"], df["y"] = df["x"].astype("float64"), df["y"].astype("float64")
    if "country" not in df:
        df["country"] = "KR"
    df["country"] = df["country"].astype(str)
    df["px"], df["py"], spread = _spread_along_diagonal(df["x"].to_numpy(), df["y"].to_numpy())
    with house_style(lang):
        own = ax is None
        if own:
            fig, axes = st.new_figure(st.SINGLE + 0.6, 2.9)
            ax = axes[0, 0]
        fig = ax.figure
        ax.fill_between([0, 1], [0, 1], [1, 1], color="#f2f2f2", lw=0, zorder=0)
        ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, zorder=1)
        for c in [c for c in st.COUNTRY_ORDER if c in set(df["country"])] + \
                 sorted(set(df["country"]) - set(st.COUNTRY_ORDER)):
            sub = df[df["country"] == c]
            _points(ax, sub["px"], sub["py"], s=18, marker=COUNTRY_MARKERS.get(c, "o"), color=_group_color(c),
                    edgecolors="white", linewidths=0.4, zorder=3, gid=f"xy-{c}", clip_on=False)
            if label_cases and "case_id" in sub:
                for _, r in sub.iterrows():
                    ax.annotate(str(r["case_id"]), (r["px"], r["py"]), xytext=(3, 0), textcoords="offset points",
                                fontsize=5, va="center", color=_group_color(c))
        note = ax.text(0.03, 0.97, _wrap(text("xy_diagonal", lang), 1.4, lang, 6.5), transform=ax.transAxes,
                       ha="left", va="top", fontsize=6.5, color=st.MUTED, gid="xy-diagonal")
        fit_box = ax.text(0.97, 0.04, text("xy_fit", lang, consistency=fmt_num(cons), coverage=fmt_num(cov)),
                          transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color=st.INK, gid="xy-fit",
                          bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#cccccc", lw=0.5))
        ax.set_xlim(-0.04, 1.04)
        ax.set_ylim(-0.04, 1.04)
        ax.set_aspect("equal")
        ax.set_xticks([0, 0.5, 1])
        ax.set_yticks([0, 0.5, 1])
        ax.set_xlabel(text("xy_x", lang))
        ax.set_ylabel(_wrap(out_label, 2.2, lang, 8))
        present = [c for c in st.COUNTRY_ORDER if c in set(df["country"])]
        if len(present) > 1:
            for i, c in enumerate(present):
                ax.text(1.0, 1.02 + 0.07 * (len(present) - 1 - i), f"{'●' if c == 'KR' else '■'} "
                        f"{st.country_label(c, lang)}", transform=ax.transAxes, ha="right", va="bottom",
                        fontsize=6.5, color=COUNTRY_COLORS[c], fontweight="bold")
        if own:
            key = "xy_title_good" if cons >= 0.8 else "xy_title_weak"
            sol = expression_label(solution, lang) if solution else text("xy_x", lang).lower()
            _finish(fig, "qca_xy", lang, title=title or text(key, lang, consistency=fmt_num(cons)),
                    subtitle=text("xy_subtitle", lang, solution=sol, outcome=in_sentence(out_label, lang=lang),
                                  consistency=fmt_num(cons), coverage=fmt_num(cov)),
                    notes=([text("xy_spread", lang, shift=fmt_num(spread, digits=2))] if spread else [])
                    + _notes(lang, source=source, illustrative=_illustrative(illustrative, xy)))
        # Each label where no case is, measured once the figure is laid out (its own: _finish drew it): the note
        # ran into the sample's Japanese cases near (0.6, 1)
        points = np.column_stack([df["px"], df["py"]])
        _clear_of_points(ax, note, [(0.03, y) for y in (0.97, 0.88, 0.79, 0.70, 0.61)], points)
        _clear_of_points(ax, fit_box, [(0.97, 0.04), (0.97, 0.14), (0.97, 0.24)], points)
    return ax


def _tt_rule(tt: Any, lang: str) -> list[str]:
    """The truth table's coding rule in words, from a ``qca.truth_table`` result (nothing for a plain table)."""
    incl, pri, n_cut = (getattr(tt, a, None) for a in ("incl_cut", "pri_cut", "n_cut"))
    if incl is None or pri is None:
        return []
    # R's order (incl.cut = c(ic1, ic0)): the cut for 1, then the lower one for C
    hi, lo = (incl[0], incl[1]) if isinstance(incl, (tuple, list)) else (incl, incl)
    rule = text("tt_rule_pri" if pri > 0 else "tt_rule", lang, incl=fmt_cut(hi), pri=fmt_cut(pri))
    parts = [rule]
    if lo < hi:  # consistency between the two cuts is coded C (contradictory)
        parts.append(text("tt_rule_c", lang, lo=fmt_cut(lo), hi=fmt_cut(hi)))
    if n_cut is not None and n_cut > 1:  # rows with fewer cases are remainders (?)
        parts.append(text("tt_rule_q", lang, n=fmt_int(n_cut)))
    return [("" if lang == "ja" else " ").join(parts)]


#: Distance between cases drawn at one point, and the most room a group of them takes (in membership units): a
#: long row of 30 cases at (0, 0) read as memberships up to 0.87.
_XY_STEP, _XY_SPAN = 0.03, 0.15


def _clear_of_points(ax, label, spots: list[tuple[float, float]], points: np.ndarray, pad: float = 4.0) -> bool:
    """Move `label` (a text in axes coordinates) to the first of `spots` where its box, widened by `pad` points,
    covers none of `points` (data coordinates); it stays at the first spot when none is clear. Returns whether a
    clear spot was found."""
    renderer = ax.figure.canvas.get_renderer()
    shown = ax.transData.transform(points) if len(points) else np.empty((0, 2))
    margin = pad * ax.figure.dpi / 72
    for spot in spots:
        label.set_position(spot)
        box = label.get_window_extent(renderer).expanded(1, 1)
        x0, y0, x1, y1 = box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin
        inside = (shown[:, 0] >= x0) & (shown[:, 0] <= x1) & (shown[:, 1] >= y0) & (shown[:, 1] <= y1)
        if not inside.any():
            return True
    label.set_position(spots[0])
    return False


def _spread_along_diagonal(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Positions for cases that share a point, and how far the farthest moved (0.0: none): side by side along the
    diagonal's direction, so that a case stays above, on or below the diagonal as its memberships put it (a grid put cases on
    the diagonal just below it, and some outside 0-1), inside the unit square. A point with no room along the
    diagonal (the corners (0, 1) and (1, 0)) spreads towards the diagonal instead, staying on its side. A group
    takes at most ``_XY_SPAN``: its cases come closer together rather than farther out.

    >>> px, py, shift = _spread_along_diagonal(np.array([0.0, 0.0, 0.0, 0.5]), np.array([0.0, 0.0, 0.0, 1.0]))
    >>> px.round(2).tolist(), py.round(2).tolist(), round(shift, 2)
    ([0.0, 0.03, 0.06, 0.5], [0.0, 0.03, 0.06, 1.0], 0.06)
    """
    px, py = x.astype("float64").copy(), y.astype("float64").copy()
    keys = list(zip(np.round(x, 3), np.round(y, 3)))
    for key in dict.fromkeys(keys):
        idx = [i for i, k in enumerate(keys) if k == key]
        if len(idx) < 2 or not all(np.isfinite(key)):
            continue
        k, (kx, ky) = len(idx), key
        step = min(_XY_STEP, _XY_SPAN / (k - 1))
        room = 1.0 - abs(kx - ky)  # how far the group can slide along the diagonal inside the square
        if room >= step * (k - 1):
            t = (np.arange(k) - (k - 1) / 2) * step
            t = t - min(min(key) + t[0], 0.0) - max(max(key) + t[-1] - 1.0, 0.0)
            px[idx], py[idx] = kx + t, ky + t
        else:  # towards the diagonal, less than half-way to it: the cases stay on their side
            step = min(step, 0.45 * abs(kx - ky) / (k - 1))
            t = np.arange(k) * step
            toward = 1.0 if ky > kx else -1.0
            px[idx], py[idx] = kx + toward * t, ky - toward * t
    moved = np.isfinite(px) & np.isfinite(py)
    shift = np.maximum(np.abs(px - x), np.abs(py - y))[moved]
    return px, py, float(shift.max()) if shift.size else 0.0


# --------------------------------------------------------------------------------------------------------------
# 6. Truth table

_TT_META = ("row", "OUT", "n", "incl", "PRI", "cases")


def truth_table_heatmap(tt: Any, *, lang: str = "en", ax=None, conditions: Sequence[str] | None = None,
                        labels: Mapping[str, str] | None = None, title: str | None = None,
                        illustrative: bool | None = None, source: str | None = None):
    """Truth table as a heat map: configurations (rows) by conditions, with cases, consistency and outcome.

    Parameters
    ----------
    tt
        A ``qca.TruthTable`` or its ``.table``: ``row``, the condition columns, ``OUT`` ("1", "0", "C", "?"),
        ``n``, ``incl`` and optionally ``PRI`` and ``cases``.
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes.
    ax
        None for a new figure with its frame (headline, subtitle, notes), or one Axes to draw into, without the
        frame.
    conditions
        The condition columns; by default ``tt.conditions`` or every column that is not a truth-table field.
    labels
        Column labels for conditions that are not codebook variables (otherwise a ValueError).
    title
        Headline of a new figure; by default how many of the configurations have the outcome (``OUT`` "1").
    illustrative
        Add the illustrative-data note to a new figure; None reads the table's ``attrs['illustrative']`` and adds
        the note when that is missing (unknown provenance counts as illustrative).
    source
        The source note of a new figure; the coded cases (after KRIHS Policy Brief 736) when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from krihs_analysis.figures import baselines, close_figure, frame_texts, truth_table_heatmap
    >>> ax = truth_table_heatmap(baselines.truth_table(), lang="en")
    >>> frame_texts(ax.figure)["title"]
    '3 of 6 observed configurations are consistent with the outcome'
    >>> close_figure(ax.figure)
    """
    ax = st.check_call("truth_table_heatmap", lang, ax=ax, title=title, source=source,
                       flags={"illustrative": illustrative})
    if labels is not None and not isinstance(labels, Mapping):
        raise ValueError(f"truth_table_heatmap: labels must map condition -> label, got {type(labels).__name__}; "
                         "pass e.g. labels={'INT': 'Integration'}")
    table = tt.table if hasattr(tt, "table") and not st._is_results(tt) else tt
    df = _frame(table, ["OUT", "n", "incl"], "truth_table_heatmap", arg="tt",
                made_by="qca.truth_table(...) (or its .table)", attr="truth_table",
                numeric=["n", "incl"]).reset_index(drop=True)
    if conditions is None:
        conditions = getattr(tt, "conditions", None) or [c for c in df.columns if c not in _TT_META]
    else:
        conditions = check_strings(conditions, "conditions", example="conditions=['resident_org', 'integration']")
    conditions = list(conditions)
    if not conditions:
        raise ValueError("truth_table_heatmap: the truth table has no condition columns")
    missing = [c for c in conditions if c not in df.columns]
    if missing:
        raise ValueError(f"truth_table_heatmap: condition column(s) {missing} not in the table")
    # a row is a configuration of every condition in the table (the drawn ones may be fewer); the table as passed,
    # so a repeated configuration is named by the row numbers the reader sees
    _frame(table, conditions, "truth_table_heatmap", arg="tt", made_by="qca.truth_table(...)", numeric=conditions,
           key=getattr(tt, "conditions", None) or [c for c in df.columns if c not in _TT_META])
    labels = dict(labels or {})
    cond_labels = [labels[c] if c in labels else _label(c, lang) for c in conditions]
    values = df[conditions].to_numpy(dtype="float64")  # plain float64, never Arrow-backed
    vmax = np.nanmax(values, axis=0)
    vmax[~np.isfinite(vmax) | (vmax == 0)] = 1
    scaled = values / vmax
    nr, nc = values.shape
    out = df["OUT"].astype(str).to_numpy()
    rows = df["row"].astype(str).to_numpy() if "row" in df else np.arange(1, nr + 1).astype(str)
    # A PRI column when the table has it: a row above the consistency cut is still 0 when its PRI is below the PRI
    # cut, which the figure could not show
    has_pri = "PRI" in df.columns
    with house_style(lang):
        own = ax is None
        if own:
            fig, axes = st.new_figure(min(st.DOUBLE, 0.85 * nc + 3.0 + 0.6 * has_pri), 0.2 * nr + 0.55)
            ax = axes[0, 0]
        fig = ax.figure
        import seaborn as sns
        from matplotlib.colors import ListedColormap

        cmap = ListedColormap(["#f4f4f4", *st.LEVEL_COLORS[1:]])
        # seaborn draws cells at integer edges; shift by half a cell so that cell (i, j) is centred on (j, i),
        # where the annotation columns to its right are placed.
        sns.heatmap(pd.DataFrame(scaled, dtype="float64"), ax=ax, cmap=cmap, vmin=0, vmax=1, cbar=False,
                    annot=np.vectorize(lambda v: fmt_sig(v) if np.isfinite(v) else "")(values), fmt="",
                    annot_kws={"fontsize": 6.5}, linewidths=0, square=False, xticklabels=False, yticklabels=False)
        mesh = ax.collections[-1]
        mesh.set_gid("tt-conditions")
        from matplotlib.transforms import Affine2D

        shift = Affine2D().translate(-0.5, -0.5)
        mesh.set_transform(shift + ax.transData)
        for t in ax.texts:
            t.set_position((t.get_position()[0] - 0.5, t.get_position()[1] - 0.5))
        # Right-hand columns: cases, consistency, PRI, outcome
        xn, xi = nc + 0.25, nc + 1.05
        xp, xo = (nc + 1.85, nc + 2.65) if has_pri else (None, nc + 1.85)
        out_colors = {"1": "#3f007d", "0": "white", "C": "#bbbbbb", "?": "#eeeeee"}
        for i in range(nr):
            ax.text(xn, i, fmt_int(df['n'].iloc[i]), ha="center", va="center", fontsize=6.5)
            # three decimals: PRI 0.496 printed as 0.50 beside an outcome of 0 under a cut of 0.50
            ax.text(xi, i, fmt_num(df['incl'].iloc[i], digits=3), ha="center", va="center", fontsize=6.5)
            if has_pri:
                ax.text(xp, i, fmt_num(df['PRI'].iloc[i], digits=3), ha="center", va="center", fontsize=6.5,
                        gid="tt-pri")
            ax.add_patch(__import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
                (xo - 0.35, i - 0.38), 0.7, 0.76, facecolor=out_colors.get(out[i], "white"), edgecolor="#3f007d",
                lw=0.6, gid=f"tt-out-{out[i]}"))
            ax.text(xo, i, out[i], ha="center", va="center", fontsize=6.5,
                    color="white" if out[i] == "1" else st.INK, fontweight="bold")
        ax.set_xlim(-0.5, xo + 0.5)
        ax.set_ylim(nr - 0.5, -0.5)
        # Condition labels wrap to their own column: with PRI the figure reaches its width cap and a fixed 0.8 in
        # ran "Enabling government role" into "Project integration"
        column_in = 0.9 * ax.get_position().width * fig.get_figwidth() / (xo + 1.0)
        ax.set_xticks([*range(nc), xn, xi, *([xp] if has_pri else []), xo],
                      [*[_wrap(lab, min(0.8, column_in), lang, 6.5) for lab in cond_labels],
                       text("tt_n", lang), text("tt_incl", lang), *(["PRI"] if has_pri else []), text("tt_out", lang)])
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", labelsize=6.5, length=0, pad=2)
        ax.set_yticks(range(nr), rows)
        ax.tick_params(axis="y", length=0, labelsize=6.5)
        ax.set_ylabel(text("tt_row", lang), fontsize=7)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        ax.axvline(nc - 0.5 + 0.05, color="white", lw=3)
        if own:
            k = int((out == "1").sum())
            rule = _tt_rule(tt, lang)  # what makes a row 1 (or C, or ?), so that 0.88 -> 0 reads right
            _finish(fig, "truth_table_heatmap", lang, title=title or text("tt_title", lang, k=k, m=nr),
                    subtitle=text("tt_subtitle_pri" if has_pri else "tt_subtitle", lang),
                    notes=rule + _notes(lang, source=source, illustrative=_illustrative(illustrative, df)))
    return ax


# --------------------------------------------------------------------------------------------------------------
# 7. RMO trend (real data)


def rmo_trend(context: pd.DataFrame, *, lang: str = "en", ax=None, title: str | None = None):
    """Japan's regional management organisations by survey year (MIC), bars with direct value labels.

    Parameters
    ----------
    context
        ``data.read_context("rmo_survey")``: ``survey_year, organisations, municipalities, source``; its
        ``.attrs['source'][lang]`` is printed under the plot (else the rows' ``source``). Real data: no
        illustrative note.
    lang
        ``en``, ``ko`` or ``ja``: the language of the labels, headline and notes (and of the source, when the
        table's ``attrs`` give it in that language).
    ax
        None for a new single-column figure with its frame (headline, subtitle, source note), or one Axes to draw
        into, without the frame.
    title
        Headline of a new figure; by default the growth from the first survey year to the last as a multiple, or
        the two counts when the count did not grow (or started at 0), or the one count of a single survey year.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from krihs_analysis.data import read_context
    >>> from krihs_analysis.figures import close_figure, frame_texts, rmo_trend
    >>> ax = rmo_trend(read_context("rmo_survey"), lang="en")
    >>> frame_texts(ax.figure)["title"]
    'Regional management organisations in Japan grew 2.3-fold from 2016 to 2022'
    >>> close_figure(ax.figure)

    Drawn into an Axes of your own, the chart has no headline or notes:

    >>> mine = Figure().subplots()
    >>> rmo_trend(read_context("rmo_survey"), ax=mine) is mine
    True
    >>> frame_texts(mine.figure)["title"] is None
    True
    """
    ax = st.check_call("rmo_trend", lang, ax=ax, title=title)
    numbers = ["survey_year", "organisations", "municipalities"]
    df = _frame(context, ["survey_year", "organisations"], "rmo_trend", arg="context",
                made_by="data.read_context('rmo_survey')", attr="context", numeric=numbers,
                complete=numbers, key=["survey_year"]).sort_values("survey_year")
    years = df["survey_year"].astype("int64").to_numpy()
    orgs = df["organisations"].astype("float64").to_numpy()
    src = context.attrs.get("source")
    source = src.get(lang) if isinstance(src, Mapping) else None
    if not source and "source" in df:
        source = "; ".join(dict.fromkeys(df["source"].astype(str)))
    # a year the sources skip is said: the numeric axis shows the gap, not why
    from ..data import survey_gaps

    gaps = [phrase("common", "survey_fy", lang, year=y) for y in survey_gaps(df)]
    gap_note = [phrase("common", "survey_gap", lang, years=fmt_list(gaps, lang=lang))] if gaps else []
    with house_style(lang):
        own = ax is None
        if own:
            # the bars give up the note's height: the figure keeps its size (beside the brief's survey table, a
            # taller one pushed the box to a page of its own)
            plot_h = max(1.2, 1.8 - sum(st.note_height(n, width=st.SINGLE, lang=lang) for n in gap_note))
            fig, axes = st.new_figure(st.SINGLE, plot_h)
            ax = axes[0, 0]
        fig = ax.figure
        import seaborn as sns

        # native_scale keeps the survey years on a numeric axis (gaps between survey years stay visible)
        sns.barplot(x=years, y=orgs, ax=ax, native_scale=True, width=0.72, color=COUNTRY_COLORS["JP"],
                    errorbar=None, saturation=1)
        for bar in ax.patches:
            bar.set_gid("rmo-bars")
        for yr, v in zip(years, orgs):
            ax.annotate(fmt_int(v), (yr, v), xytext=(0, 2), textcoords="offset points", ha="center",
                        va="bottom", fontsize=6.5, color=st.INK)
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_ylim(0, orgs.max() * 1.15)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", length=0)
        ax.set_xlabel(text("rmo_year", lang), fontsize=7)
        if own:
            subtitle = text("rmo_subtitle_no_municipalities", lang)  # a table without the count: say less, not "?"
            if "municipalities" in df:
                mun = df["municipalities"].astype("int64").to_numpy()
                subtitle = (text("rmo_subtitle", lang, m0=fmt_int(mun[0]), m1=fmt_int(mun[-1])) if len(df) > 1
                            else text("rmo_subtitle_one", lang, m0=fmt_int(mun[0])))
            _finish(fig, "rmo_trend", lang, title=title or _rmo_headline(years, orgs, lang), subtitle=subtitle,
                    notes=[*gap_note, text("source", lang, source=source or "MIC")])
    return ax


def _rmo_headline(years, orgs, lang: str) -> str:
    """The survey chart's headline: growth as a multiple only when the count grew (one year: its count)."""
    if len(years) == 1:
        return text("rmo_title_one", lang, n=fmt_int(orgs[0]), y0=int(years[0]))
    # "grew 1.0-fold" or "grew 0.8-fold" misreads a flat or falling count (and "inf-fold" one from 0): then the
    # two counts are said instead
    ratio = fmt_num(orgs[-1] / orgs[0], digits=1) if orgs[0] > 0 else None
    if ratio is not None and orgs[-1] > orgs[0] and ratio != fmt_num(1.0, digits=1):
        return text("rmo_title", lang, ratio=ratio, y0=int(years[0]), y1=int(years[-1]))
    return text("rmo_title_change", lang, n0=fmt_int(orgs[0]), n1=fmt_int(orgs[-1]), y0=int(years[0]),
                y1=int(years[-1]))


# --------------------------------------------------------------------------------------------------------------
# Building the whole catalogue from case data


def _analysis_inputs(results) -> dict[str, tuple]:
    """The arguments of each catalogue function, taken from one :class:`krihs_analysis.pipeline.Results`."""
    ill = results.illustrative
    fit = results.qca_fit[results.qca_fit["level"] == "expression"].iloc[0]
    return {
        "country_profile": ((results.comparison,), {"illustrative": ill}),
        "level_distributions": ((results.levels,), {"illustrative": ill}),
        "core_task_gaps": ((results.profile_programme,), {"illustrative": ill}),
        "integration_sustainability": ((results.cases, results.association), {"illustrative": ill}),
        "qca_xy": ((results.qca_xy, fit), {"solution": results.qca_model, "outcome": "sustainability",
                                           "illustrative": ill}),
        "truth_table_heatmap": ((results.truth_table,), {"illustrative": ill}),
        "rmo_trend": ((results.context,), {}),
        "fiscal_context": ((), {"cases": results.cases}),
        "qca_groups": _qca_groups_input(results),
    }


def check_include(include: Any) -> list[str]:
    """The figure names of `include` (one name or a list of them; every figure when None), each checked.

    Examples
    --------
    >>> check_include("rmo_trend")
    ['rmo_trend']
    """
    if include is None:
        return list(CATALOGUE)
    names = check_strings(include, "include", example="include=['rmo_trend', 'qca_xy']")
    unknown = [n for n in names if n not in CATALOGUE]
    if unknown:
        raise ValueError(f"unknown figure(s) {unknown}; the catalogue has {', '.join(CATALOGUE)}")
    return names


def build_catalogue(cases: pd.DataFrame | None = None, *, lang: str = "en",
                    include: Sequence[str] | None = None, results=None, seed: int = 0,
                    n_boot: int = 9999, n_permutations: int = 9999) -> dict[str, Any]:
    """Compute the inputs from `cases` with the analysis modules and draw the catalogue.

    Parameters
    ----------
    cases
        Case data (``data.read_cases()``; the embedded illustrative sample when None).
    lang
        ``en``, ``ko`` or ``ja``: the language of every figure.
    include
        Figure names (see :data:`CATALOGUE`; one string is one figure); all of them when None.
    results
        A :class:`krihs_analysis.pipeline.Results` already computed from `cases` (computed here when None).
    seed, n_boot, n_permutations
        Seed, bootstrap draws and Monte Carlo permutations of the analysis when `results` is None (ignored
        otherwise, since `results` already fixed them; see :func:`krihs_analysis.pipeline.analyse`).

    Returns
    -------
    dict
        Figure name -> matplotlib Figure, in the order of `include` (catalogue order when None).

    Examples
    --------
    ``n_boot=99`` keeps the example quick; the brief's intervals use the default.

    >>> from krihs_analysis.figures import build_catalogue, close_figure, frame_texts
    >>> figs = build_catalogue(lang="ko", include=["qca_xy", "rmo_trend"], n_boot=99)
    >>> list(figs)
    ['qca_xy', 'rmo_trend']
    >>> frame_texts(figs["rmo_trend"])["lang"]
    'ko'
    >>> for fig in figs.values():
    ...     close_figure(fig)
    """
    check_lang(lang)
    names = check_include(include)
    if results is not None and not st._is_results(results):
        got = "a dict (res.tables()?)" if isinstance(results, Mapping) else _describe(results)
        raise ValueError(f"build_catalogue: results must be a krihs_analysis.pipeline.Results, what "
                         f"pipeline.analyse(cases) returns, got {got}; pass results=res (or the case sheet as cases=)")
    if results is None:
        from ..data import read_cases
        from ..pipeline import analyse

        results = analyse(cases if cases is not None else read_cases(), seed=seed, n_boot=n_boot,
                          n_permutations=n_permutations)
    inputs = _analysis_inputs(results)
    functions = {name: globals()[name] for name in CATALOGUE}
    out: dict[str, Any] = {}
    for name in names:
        args, kwargs = inputs[name]
        result = functions[name](*args, lang=lang, **kwargs)
        out[name] = result if hasattr(result, "savefig") else result.figure
    return out
