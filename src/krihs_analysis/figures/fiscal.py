"""The fiscal context of the Japanese cases: MIC's fiscal strength index of every municipality (real data).

:func:`fiscal_context` draws two panels: the distribution of the fiscal strength index (財政力指数) of every
municipality in the latest fiscal year by municipal type (a stand-in for size), with the case municipalities
marked and labelled; and the case municipalities' FY2005-FY2021 trajectories against the national median and
the middle half of all municipalities. Its wording is in ``locale/fig_fiscal.yaml``.

Examples
--------
>>> from krihs_analysis.figures.fiscal import fiscal_context
>>> fig = fiscal_context(lang="en")
>>> [ax.get_gid() for ax in fig.axes]
['fiscal-distribution', 'fiscal-trajectories']
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._format import fmt_num
from ..wording import phrase
from . import style as st
from .style import house_style, text

TYPES: tuple[str, ...] = ("designated_city", "city", "special_ward", "town", "village")
#: Okabe-Ito colours other than the Korean blue, one per case municipality (with a marker shape each).
CASE_COLORS: tuple[str, ...] = ("#E69F00", "#D55E00", "#CC79A7", "#009E73", "#56B4E9", "#F0E442", "#000000")
CASE_MARKERS: tuple[str, ...] = ("s", "D", "^", "v", "o", "P", "X")
_NEEDED = ["code", "prefecture", "municipality", "fiscal_year", "fiscal_strength_index"]


def _w(key: str, lang: str, **fields: Any) -> str:
    return phrase("fig_fiscal", key, lang, **fields)


def _case_codes(cases: pd.DataFrame | Sequence[str] | None) -> list[str]:
    """The Japanese municipality codes of `cases` (a case sheet, one code or a list of codes), in first-seen order."""
    if cases is None:
        from ..data import read_context

        return list(read_context("jp_fiscal_fy2021")["code"])
    if isinstance(cases, pd.DataFrame):
        if "municipality_code" not in cases:
            raise ValueError("fiscal_context: cases need a 'municipality_code' column (read_cases gives one)")
        jp = cases if "country" not in cases else cases[cases["country"].astype(str) == "JP"]
        raw = jp["municipality_code"]
        # A code column read as numbers lost its leading zeros (63827): six digits put them back.
        codes = [_code(c) for c in raw.dropna()] if pd.api.types.is_integer_dtype(raw) else raw.astype(str).str.strip()
        return list(dict.fromkeys(c for c in codes if c and c != "nan"))
    how = "pass a case sheet (data.read_cases()) or a list of 6-digit municipality codes, e.g. cases=['063827']"
    if st._is_results(cases):
        raise ValueError("fiscal_context: cases must be a case sheet or a list of 6-digit codes, got a Results; "
                         "pass res.cases")
    if isinstance(cases, (str, numbers.Integral)) and not isinstance(cases, bool):
        return [_code(cases)]
    if not isinstance(cases, Iterable) or isinstance(cases, (bytes, Mapping)):
        raise ValueError(f"fiscal_context: cases must be a case sheet or a list of 6-digit codes, got "
                         f"{cases!r} ({type(cases).__name__}); {how}")
    codes = list(cases)
    odd = [c for c in codes if not isinstance(c, (str, numbers.Integral)) or isinstance(c, bool)]
    if odd:
        raise ValueError(f"fiscal_context: municipality codes must be 6-digit codes ('063827', or the number 63827), "
                         f"got {odd[:3]!r}; {how}")
    return list(dict.fromkeys(_code(c) for c in codes))


def _case_coverage(cases: Any) -> tuple[int, int] | None:
    """For a case sheet: how many of its Japanese cases have a municipality code, and how many Japanese cases it
    has (None for a list of codes: nothing to count). The figure marks municipalities, several cases can share
    one, and a case without a code is not in it; the note says so (five municipalities were nine of twelve cases)."""
    if not isinstance(cases, pd.DataFrame):
        return None
    jp = cases if "country" not in cases else cases[cases["country"].astype(str) == "JP"]
    raw = jp["municipality_code"]
    has = raw.notna() & ~raw.astype(str).str.strip().isin(["", "nan"])
    return int(has.sum()), len(jp)


def _code(code: str | int) -> str:
    """A municipality code as MIC writes it: text of six digits (a number gets back the zeros it lost in front)."""
    if isinstance(code, str):
        return code.strip()
    if not 0 < int(code) < 10**6:
        raise ValueError(f"fiscal_context: {code!r} is not a municipality code (six digits, e.g. '063827')")
    return f"{int(code):06d}"


def _with_prefecture(case_rows: pd.DataFrame, municipalities: pd.DataFrame, *, lang: str) -> list[str]:
    """The case labels, with the prefecture where another prefecture has a municipality of the same name (川西町 is
    Yamagata's and Nara's), written as :func:`krihs_analysis.data.jp_municipality_names` writes it."""
    if "municipality" not in municipalities:
        return case_rows["label"].tolist()
    from ..data.context import shared_name_codes
    from ..data.placenames import with_prefecture

    shared = shared_name_codes(municipalities)
    kana = (dict(zip(municipalities["prefecture"], municipalities["prefecture_kana"], strict=True))
            if "prefecture_kana" in municipalities else {})
    return [with_prefecture(label, pref, lang=lang, reading=kana.get(pref)) if code in shared else label
            for code, label, pref in zip(case_rows.index, case_rows["label"], case_rows["prefecture"], strict=True)]


def _fiscal_year(year: Any) -> int:
    """A whole fiscal year (2021, numpy integers, 2021.0); anything else is a ValueError."""
    if isinstance(year, numbers.Real) and not isinstance(year, bool) and float(year).is_integer():
        return int(year)
    raise ValueError(f"fiscal_context: year must be a whole fiscal year, e.g. year=2021, got {year!r}")


def _spread(values: Sequence[float], gap: float) -> list[float]:
    """Label positions: `values` moved apart to at least `gap`, keeping their order (for direct labels)."""
    if not len(values):
        return []
    order = np.argsort(values, kind="stable")
    pos = np.asarray(values, dtype="float64")[order].copy()
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    shift = (pos - np.asarray(values, dtype="float64")[order]).mean() / 2  # centre the block on the data
    out = np.empty_like(pos)
    out[order] = pos - shift
    return out.tolist()


def _stack(values: Sequence[float], across: float, up: float, *, room: float = 0.4) -> list[float]:
    """Vertical offsets for markers at sorted `values` along a row: 0 where a marker has room, else the first
    free place towards its label (the labels alternate above and below: the first above), then away from it.
    Places are whole steps of `up`, compared as whole numbers; when ties need more steps than `room` holds, the
    steps shrink so that every marker stays in its own row.

    >>> _stack([0.25, 0.31, 0.32, 0.43], across=0.05, up=0.2)
    [0.0, 0.0, -0.2, 0.0]
    >>> max(abs(d) for d in _stack([0.3] * 7, across=0.05, up=0.235)) <= 0.4
    True
    """
    placed: list[tuple[float, int]] = []
    slots = []
    for i, x in enumerate(values):
        side = -1 if i % 2 == 0 else 1  # the label's side: -1 above the row (the y axis runs downwards)
        for k in range(len(values) + 1):
            slot = 0 if k == 0 else side * (-1) ** (k + 1) * ((k + 1) // 2)
            if all(abs(x - px) >= across or slot != ps for px, ps in placed):
                break
        placed.append((x, slot))
        slots.append(slot)
    widest = max((abs(k) for k in slots), default=0)
    step = min(up, room / widest) if widest else up
    return [float(k * step) for k in slots]


def fiscal_context(
    panel: pd.DataFrame | None = None,
    municipalities: pd.DataFrame | None = None,
    *,
    cases: pd.DataFrame | Sequence[str] | None = None,
    lang: str = "en",
    year: int | None = None,
    title: str | None = None,
):
    """The fiscal strength index of every Japanese municipality, with the case municipalities marked.

    Parameters
    ----------
    panel
        ``data.read_context("jp_municipal_fiscal")`` (read when None): ``code, prefecture, municipality,
        fiscal_year, fiscal_strength_index``.
    municipalities
        ``data.read_context("jp_municipalities")`` (read when None): ``code, municipality_type``;
        ``municipality_en``/``municipality_ko`` for the case labels in English and Korean (the labels stay as MIC
        prints the names when the table has no such column); ``municipality``, ``prefecture`` and
        ``prefecture_kana`` to name the prefecture of a case whose name another prefecture's municipality also
        has (山形県川西町; :func:`krihs_analysis.data.placenames.with_prefecture`).
    cases
        The case municipalities: a case sheet (its Japanese ``municipality_code`` values, e.g. ``read_cases()``)
        or a list of 6-digit codes as strings (one string is one code). The five of
        ``read_context("jp_fiscal_fy2021")`` when None.
    lang
        ``en``, ``ko`` or ``ja``.
    year
        The fiscal year of the distribution (the panel's latest when None). Municipal types are those of MIC's
        current code list; municipalities no longer in it are typed by their name (市, 町, 村, Tokyo's 区).
    title
        Headline; by default it states how many case municipalities are below the national median.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes (gids ``fiscal-distribution`` and ``fiscal-trajectories``), framed with title, subtitle, the
        notes and MIC as the source; the alt text is in the figure's metadata for :func:`save_figure`.

    Raises
    ------
    ValueError
        A panel or code list that is not what ``read_context`` gives, a year that is not a whole fiscal year of the
        panel, cases that are neither a case sheet nor codes, or a case code that is not in the panel's year.

    Examples
    --------
    Kawanishi (Yamagata) and Toyota (Aichi) against every municipality in FY2015:

    >>> from krihs_analysis.figures import close_figure, fiscal_context, frame_texts
    >>> fig = fiscal_context(cases=["063827", "232114"], lang="en", year=2015)
    >>> frame_texts(fig)["title"]
    '1 of the 2 case municipalities had a fiscal strength index below the national median (0.44) in FY2015'
    >>> close_figure(fig)
    """
    st.check_call("fiscal_context", lang, title=title)
    import seaborn as sns

    from ..data import read_context

    if year is not None:
        year = _fiscal_year(year)
    panel = read_context("jp_municipal_fiscal") if panel is None else panel
    municipalities = read_context("jp_municipalities") if municipalities is None else municipalities
    st.check_result(panel, _NEEDED, "fiscal_context", arg="panel", made_by="data.read_context('jp_municipal_fiscal')",
                    numeric=["fiscal_year", "fiscal_strength_index"], complete=["fiscal_year"],
                    key=["prefecture", "municipality", "fiscal_year"])
    st.check_result(municipalities, ["code", "municipality_type"], "fiscal_context", arg="municipalities",
                    made_by="data.read_context('jp_municipalities')", key=["code"])
    year = int(panel["fiscal_year"].max()) if year is None else year
    if year not in set(panel["fiscal_year"]):
        first, last = int(panel["fiscal_year"].min()), int(panel["fiscal_year"].max())
        raise ValueError(f"fiscal_context: no fiscal year {year} in the panel (it has FY{first}-FY{last}); pass one "
                         "of those as year=")
    codes = _case_codes(cases)
    # English and Korean readers get the name written in their script (data.placenames), Japanese readers the
    # name itself; a code list without those columns leaves the name as MIC prints it.
    name_col = f"municipality_{lang}"
    names_of = (municipalities.set_index("code")[name_col] if lang != "ja" and name_col in municipalities
                else pd.Series(dtype="str"))
    latest = panel[panel["fiscal_year"] == year].merge(
        municipalities[["code", "municipality_type"]], on="code", how="left", validate="many_to_one")
    unknown = [c for c in codes if c not in set(latest["code"])]
    if unknown:
        raise ValueError(f"fiscal_context: case code(s) {unknown} not in MIC's FY{year} table")
    # Types are those of MIC's current code list (designated cities as of 2018-10); a municipality of an earlier
    # year that is no longer in it is typed by the last character of its name, so that no row drops out.
    untyped = latest["municipality_type"].isna()
    latest.loc[untyped, "municipality_type"] = [
        "special_ward" if p == "東京都" and m.endswith("区") else {"市": "city", "町": "town", "村": "village"}.get(m[-1])
        for p, m in zip(latest.loc[untyped, "prefecture"], latest.loc[untyped, "municipality"], strict=True)]
    latest = latest.dropna(subset=["fiscal_strength_index", "municipality_type"])
    latest["fiscal_strength_index"] = latest["fiscal_strength_index"].astype("float64")
    by_year = panel.groupby("fiscal_year")["fiscal_strength_index"]
    summary = pd.DataFrame({"median": by_year.median(), "q1": by_year.quantile(0.25), "q3": by_year.quantile(0.75),
                            "n": by_year.size()}).astype("float64")
    median = float(summary.at[year, "median"])
    y0, y1 = int(summary.index.min()), int(summary.index.max())
    counts = latest["municipality_type"].value_counts()
    types = [t for t in TYPES if counts.get(t, 0)]
    labels = {t: _w("count", lang, label=_w(t, lang), n=int(counts[t])) for t in types}
    latest["type_label"] = latest["municipality_type"].map(labels)
    case_rows = latest.set_index("code").loc[codes]
    case_rows["label"] = [names_of.get(c, m) for c, m in zip(case_rows.index, case_rows["municipality"], strict=True)]
    case_rows["label"] = _with_prefecture(case_rows, municipalities, lang=lang)
    cases_below = int((case_rows["fiscal_strength_index"] < median).sum())

    with house_style(lang):
        fig, axes = st.new_figure(st.DOUBLE, 2.8, ncols=2, width_ratios=(1.05, 1.0))
        left, right = axes[0, 0], axes[0, 1]
        left.set_gid("fiscal-distribution")
        right.set_gid("fiscal-trajectories")

        # Left: the distribution of the latest year by municipal type; seaborn computes the boxes.
        order = [labels[t] for t in types]
        with warnings.catch_warnings():
            # seaborn 0.13.2 passes `vert` to Axes.bxp, deprecated since matplotlib 3.11 (pinned below 3.13,
            # where it goes); the warning is seaborn's, not something a caller can act on.
            warnings.filterwarnings("ignore", message=r"vert: bool was deprecated", category=DeprecationWarning)
            sns.boxplot(data=latest, x="fiscal_strength_index", y="type_label", order=order, ax=left,
                        color="#d9d9d9", linecolor=st.MUTED, linewidth=0.7, width=0.55, fliersize=1.2,
                        flierprops={"marker": ".", "markeredgecolor": st.NEUTRAL, "alpha": 0.6}, whis=1.5)
        left.axvline(median, color=st.INK, lw=0.8, ls="--", zorder=1, gid="fiscal-national-median")
        left.annotate(f"{_w('national_median', lang)} {fmt_num(median, digits=2)}", (median, 1.0),
                      xycoords=("data", "axes fraction"), xytext=(3, -2), textcoords="offset points",
                      ha="left", va="top", fontsize=6.5, color=st.INK)
        row_of = {labels[t]: i for i, t in enumerate(types)}
        style_of = {code: (CASE_COLORS[k % len(CASE_COLORS)], CASE_MARKERS[k % len(CASE_MARKERS)])
                    for k, code in enumerate(codes)}
        xmax = max(1.6, float(latest["fiscal_strength_index"].max()) * 1.03)
        # Neighbouring labels sit at least their own width apart (English names are longer than kanji ones). The
        # axes shrink when the layout makes room for the tick labels (by about a tenth): 0.85 of the width before
        # layout stands in for the final one.
        axes_in = 0.85 * left.get_position().width * fig.get_figwidth()
        half = {code: st.text_width(str(n), fontsize=6.5) / 2 / axes_in * xmax
                for code, n in case_rows["label"].items()}
        gap = max([0.17 * xmax, *((2 * h + 0.1 / axes_in * xmax) for h in half.values())])
        # Markers closer than their own size are stacked up and down the row (Nantan 0.31 disappeared under
        # Akitakata 0.32): a marker of s=26 points² is about 5 points across; 1 point of white between them.
        rows_in = 0.85 * left.get_position().height * fig.get_figheight() / (len(types) + 0.45)
        across = (26 ** 0.5 + 1) / 72 / axes_in * xmax
        up = min(0.3, (26 ** 0.5 + 1) / 72 / rows_in)
        for yrow in sorted({row_of[t] for t in case_rows["type_label"]}):
            here = case_rows[case_rows["type_label"].map(row_of) == yrow].sort_values("fiscal_strength_index")
            at = _stack(here["fiscal_strength_index"].tolist(), across, up)
            for (code, rec), dy in zip(here.iterrows(), at, strict=True):
                color, marker = style_of[code]
                left.scatter([rec["fiscal_strength_index"]], [yrow + dy], s=26, color=color, marker=marker,
                             edgecolor="white", linewidth=0.6, zorder=5, gid=f"fiscal-case-{code}")
            point = dict(zip(here.index, (yrow + dy for dy in at), strict=True))
            # Labels alternate above and below the box, spread sideways so that neighbours do not collide.
            for side, sub in ((-1, here.iloc[0::2]), (1, here.iloc[1::2])):
                xs = _spread(sub["fiscal_strength_index"].tolist(), gap)
                # A block near the left edge moves right as a whole, so that no label leaves the axes and the
                # spacing between them stays.
                shift = max([0.0, *(half[c] + 0.02 * xmax - x for x, c in zip(xs, sub.index, strict=True))])
                for x, (code, rec) in zip(xs, sub.iterrows(), strict=True):
                    left.annotate(rec["label"], (rec["fiscal_strength_index"], point[code]),
                                  xytext=(x + shift, yrow + side * 0.46), textcoords="data",
                                  ha="center", va="center", fontsize=6.5, color=st.INK,
                                  # on white, above the national-median line, which crossed "Nantan City"
                                  bbox={"boxstyle": "square,pad=0.1", "fc": "white", "lw": 0}, zorder=6,
                                  arrowprops={"arrowstyle": "-", "color": style_of[code][0], "lw": 0.6,
                                              "shrinkA": 1, "shrinkB": 3},
                                  gid=f"fiscal-case-label-{code}")
        left.set_xlabel(_w("fsi", lang), fontsize=7)
        left.set_ylabel("")
        left.set_xlim(0, xmax)
        # Room above the first box for the "National median" label, which sat on the designated cities' box
        left.set_ylim(len(types) - 0.5, -0.95)
        left.tick_params(axis="y", length=0, labelsize=7)
        left.grid(axis="x", color="#e6e6e6", lw=0.5)
        left.set_axisbelow(True)

        # Right: the case municipalities over time against the national median and quartiles.
        years = summary.index.to_numpy()
        right.fill_between(years, summary["q1"], summary["q3"], color="#e6e6e6", lw=0, gid="fiscal-iqr",
                           label=_w("iqr", lang))
        right.plot(years, summary["median"], color=st.INK, lw=1.4, ls="--", gid="fiscal-median-line",
                   label=_w("national_median", lang))
        ends, names, colors = [], [], []
        for k, code in enumerate(codes):
            series = panel[panel["code"] == code].sort_values("fiscal_year")
            color, marker = CASE_COLORS[k % len(CASE_COLORS)], CASE_MARKERS[k % len(CASE_MARKERS)]
            right.plot(series["fiscal_year"], series["fiscal_strength_index"], color=color, lw=1.0,
                       marker=marker, markersize=2.6, markevery=[len(series) - 1], gid=f"fiscal-trajectory-{code}")
            ends.append(float(series["fiscal_strength_index"].iloc[-1]))
            names.append(str(case_rows.at[code, "label"]))
            colors.append(color)
        for pos, name, color, end in zip(_spread(ends, 0.04), names, colors, ends, strict=True):
            right.annotate(name, (y1, end), xytext=(y1 + 0.9, pos), textcoords="data", va="center", ha="left",
                           fontsize=6.5, color=st.INK, annotation_clip=False,
                           arrowprops={"arrowstyle": "-", "color": color, "lw": 0.5, "shrinkA": 0, "shrinkB": 0})
        right.set_xlim(y0 - 0.5, y1 + 0.5)
        right.set_xticks([y for y in years if (y - y0) % 4 == 0 or y == y1])
        right.set_xlabel(_w("fiscal_year", lang), fontsize=7)
        right.set_ylabel(_w("fsi", lang), fontsize=7)
        case_values = panel.loc[panel["code"].isin(codes), "fiscal_strength_index"].dropna()
        top = max([float(summary["q3"].max()), *case_values.astype("float64").tolist()])
        right.set_ylim(0, top * 1.15)
        right.legend(loc="upper left", fontsize=6.5, frameon=False, handlelength=1.8)
        right.grid(axis="y", color="#e6e6e6", lw=0.5)
        right.set_axisbelow(True)
        right.margins(x=0)

        fields = dict(year=year, y0=y0, y1=y1)
        if len(codes) == 1:  # "All 1 case municipalities" / "0 of the 1" are not sentences
            key = "title_one_below" if cases_below else "title_one_not_below"
        else:
            key = ("title_none" if not codes else "title_all" if cases_below == len(codes)
                   else "title_no_case_below" if not cases_below else "title")
        headline = title or _w(key, lang, n_below=cases_below, n=len(codes), median=fmt_num(median, digits=2), year=year)
        subtitle = _w("subtitle", lang, **fields)
        notes = [_w("note_type", lang, n0=int(summary.at[y0, "n"]), n1=int(summary.at[year, "n"]), year=year),
                 text("source", lang, source=_w("source", lang, y0=y0, y1=y1))]
        coverage = _case_coverage(cases)
        if coverage is not None and codes and (coverage[0] != len(codes) or coverage[0] < coverage[1]):
            n_with, n_jp = coverage
            key = "note_cases_all" if n_with == n_jp else "note_cases_some"
            notes.insert(0, _w(key, lang, n_with=n_with, n_jp=n_jp, n_muni=len(codes)))
        st.decorate(fig, title=headline, subtitle=subtitle, notes=notes, lang=lang)
        fig._krihs.update(name="fiscal_context", alt=st.sentence([_w("alt", lang), headline, subtitle], lang),
                          national_median=median, cases=codes)
        fig.draw_without_rendering()
    return fig
