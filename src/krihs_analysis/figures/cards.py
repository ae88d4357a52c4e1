"""The case card's small figure: one case's codes against its country's and its programme's medians.

:func:`case_card` draws one card's figure from a :func:`krihs_analysis.compare.case_profile` table.
:class:`CaseCardFigure` is the same figure built once and re-used for many cases (the report runner's card
renderer draws thousands of cards; only the points move from card to card, so the frame, fonts and layout are
computed once per language).

Examples
--------
>>> from krihs_analysis.compare import case_profile
>>> from krihs_analysis.data import read_cases
>>> from krihs_analysis.figures.cards import case_card
>>> ax = case_card(case_profile(read_cases(), "KR-P1-A"), country="KR", lang="ko")
>>> ax.figure._krihs["title"]
'이 사례와 국가·사업 중앙값'
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from ..codebook import check_lang, load_codebook
from ..wording import phrase
from .._validate import check_choice
from .style import (MM, COUNTRY_COLORS, COUNTRY_MARKERS, COUNTRY_ORDER, INK, NEUTRAL, check_axes, check_result,
                    _illustrative, decorate, house_style, new_figure, text)

#: Width of a card's figure.
CARD_WIDTH = 120 * MM

#: SVG with text kept as text: a card is read in a browser, where this keeps the file small and the text
#: selectable (the house style's glyph paths would make every card ~5x larger).
_SVG_RC = {"svg.fonttype": "none"}
#: Area (pt^2) of the programme median's open diamond: its corners reach past the country median's ring (radius
#: 3.16 pt, 1.2 pt stroke), so where the two medians are equal both still show (at 28 the diamond hid inside it).
PROGRAMME_S = 60


def ordinal_items(variables: Sequence[str]) -> list[str]:
    """The variables the figure shows: the ordinal (0-3) ones, in the order given."""
    cb = load_codebook()
    return [v for v in variables if cb[v].type == "ordinal"]


class CaseCardFigure:
    """The card figure for `variables` in `lang`, drawn once; :meth:`update` moves the points to one case.

    Parameters
    ----------
    variables
        Ordinal variables, top to bottom.
    lang
        ``en``, ``ko`` or ``ja``.
    illustrative
        Add the illustrative-data note (a framed figure of its own; else the page's caption says it).
    framed
        Draw the title, subtitle and notes into the figure (its own figure only). False for a card page, whose
        heading and caption (:func:`card_notes`) say them in the page's text.
    """

    def __init__(self, variables: Sequence[str], *, lang: str = "en", illustrative: bool = False,
                 framed: bool = True, ax=None):
        cb = load_codebook()
        self.variables = list(variables)
        self.lang = lang
        n = len(self.variables)
        with house_style(lang):
            if ax is None:
                # 120 mm: at a column's 85 mm the English item labels left the 0-3 scale about 150 px, where a
                # median of 1.5 and one of 2 overlapped (the card page is 160 mm wide)
                fig, axes = new_figure(CARD_WIDTH, 0.18 * n + 0.45)
                ax = axes[0, 0]
                own = True
            else:
                fig, own = ax.figure, False
            ys = list(range(n))[::-1]
            self._ys = ys
            ax.set_yticks(ys, [cb[v].label(lang) for v in self.variables])
            ax.set_xlim(-0.3, 3.3)
            ax.set_xticks([0, 1, 2, 3])
            ax.set_ylim(-0.7, n - 0.3)
            ax.grid(axis="x")
            ax.tick_params(axis="y", length=0)
            self._programme = ax.scatter([0] * n, ys, s=PROGRAMME_S, marker="D", facecolors="none",
                                         edgecolors=NEUTRAL, linewidths=0.9,
                                         label=phrase("case_card", "fig_programme", lang), zorder=2)
            self._country = ax.scatter([0] * n, ys, s=40, marker="o", facecolors="none",
                                       edgecolors=COUNTRY_COLORS["KR"], linewidths=1.2,
                                       label=phrase("case_card", "fig_country", lang), zorder=3)
            self._case = ax.scatter([0] * n, ys, s=16, marker="o", color=INK,
                                    label=phrase("case_card", "fig_case", lang), zorder=4)
            self.ax = ax
            self._legend(merged=False)
            if own and framed:
                decorate(fig, title=phrase("case_card", "fig_title", lang),
                         subtitle=phrase("case_card", "fig_subtitle", lang),
                         notes=card_notes(lang=lang, illustrative=illustrative), lang=lang)
        self.fig = fig

    def _legend(self, *, merged: bool, country: str | None = None):
        """The legend above the plot; `merged`: one median for country and programme (the same cases). The country
        median is named by the country ("Japan median"): "国の中央値" also read as the national government's."""
        lang = self.lang
        levels = load_codebook()["country"]
        name = levels.level_label(country, lang) if country in levels.levels else None
        own = (lambda key: phrase("case_card", key + "_named", lang, country=name)) if name else (
            lambda key: phrase("case_card", key, lang))
        if merged:
            handles = [self._country, self._case]
            labels = [own("fig_country_programme"), phrase("case_card", "fig_case", lang)]
        else:
            handles = [self._programme, self._country, self._case]
            labels = [phrase("case_card", "fig_programme", lang), own("fig_country"),
                      phrase("case_card", "fig_case", lang)]
        with house_style(lang):
            return self.ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3,
                                  frameon=False, fontsize=6.5, handletextpad=0.5, columnspacing=0.8,
                                  borderaxespad=0.2)

    def update(self, values: Sequence[float], country_medians: Sequence[float],
               programme_medians: Sequence[float] | None, *, country: str) -> "CaseCardFigure":
        """Move the points to one case (values in the order of :attr:`variables`); `programme_medians` None when
        the programme's cases are the country's (one median, drawn and named once)."""
        ys = self._ys
        self._case.set_offsets(list(zip(values, ys)))
        self._country.set_offsets(list(zip(country_medians, ys)))
        merged = programme_medians is None
        if not merged:
            self._programme.set_offsets(list(zip(programme_medians, ys)))
        self._programme.set_visible(not merged)
        self._set_country(self._country, country)
        self._legend(merged=merged, country=country)
        return self

    @staticmethod
    def _set_country(artist, country: str) -> None:
        from matplotlib.markers import MarkerStyle

        m = MarkerStyle(COUNTRY_MARKERS.get(country, "o"))
        artist.set_edgecolor(COUNTRY_COLORS.get(country, NEUTRAL))
        artist.set_paths([m.get_path().transformed(m.get_transform())])

    def svg(self) -> str:
        """The figure as SVG text (text kept as text; deterministic ids)."""
        import matplotlib as mpl

        buf = io.StringIO()
        with house_style(self.lang), mpl.rc_context(_SVG_RC):
            self.fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "krihs-analysis (matplotlib)"})
        out = buf.getvalue()
        return out[out.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG is embedded in HTML

    # -- many cards: the frame is drawn by matplotlib once per country, the points written directly ------------

    def frame(self, country: str, *, merged: bool = False) -> str:
        """The figure without its points (legend in `country`'s colours; `merged`: one median for country and
        programme), SVG up to its closing tag."""
        cache = self.__dict__.setdefault("_frames", {})
        key = (country, merged)
        if key not in cache:
            if not cache:  # lay the figure out once, then freeze it: points never move axes or labels
                self.svg()
                self.fig.set_layout_engine("none")
            # the legend before the points hide: a legend copies its handles' visibility
            leg = self._legend(merged=merged, country=country)
            self._set_country(leg.legend_handles[0 if merged else 1], country)
            for coll in (self._case, self._country, self._programme):
                coll.set_visible(False)
            svg = self.svg()
            for coll in (self._case, self._country, self._programme):
                coll.set_visible(True)
            cache[key] = svg[: svg.rindex("</svg>")]
        return cache[key]

    def points_svg(self, values: Sequence[float], country_medians: Sequence[float],
                   programme_medians: Sequence[float] | None, *, country: str) -> str:
        """SVG elements for one case's points, at the positions matplotlib would draw them."""
        w_pt, h_pt = self.fig.get_figwidth() * 72, self.fig.get_figheight() * 72
        pos = self.ax.get_position()
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()

        def xy(x: float, y: float) -> tuple[float, float]:
            fx = pos.x0 + (x - x0) / (x1 - x0) * pos.width
            fy = pos.y0 + (y - y0) / (y1 - y0) * pos.height
            return round(fx * w_pt, 2), round(h_pt - fy * h_pt, 2)

        color = COUNTRY_COLORS.get(country, NEUTRAL)
        square = COUNTRY_MARKERS.get(country, "o") == "s"
        out = ['<g id="krihs-case-points">']
        for p, y in zip(programme_medians if programme_medians is not None else (), self._ys):
            if p == p:
                cx, cy = xy(p, y)
                r = round(math.sqrt(PROGRAMME_S / 2), 2)  # a diamond of s pt^2: half-diagonal sqrt(s / 2)
                out.append(f'<path d="M{cx} {cy - r}L{cx + r} {cy}L{cx} {cy + r}L{cx - r} {cy}Z" '
                           f'fill="none" stroke="{NEUTRAL}" stroke-width="0.9"/>')
        for c, y in zip(country_medians, self._ys):
            if c == c:
                cx, cy = xy(c, y)
                if square:  # s=40: side sqrt(40)
                    h = 3.16
                    out.append(f'<rect x="{round(cx - h, 2)}" y="{round(cy - h, 2)}" width="6.32" height="6.32" '
                               f'fill="none" stroke="{color}" stroke-width="1.2"/>')
                else:
                    out.append(f'<circle cx="{cx}" cy="{cy}" r="3.16" fill="none" stroke="{color}" '
                               'stroke-width="1.2"/>')
        for v, y in zip(values, self._ys):
            if v == v:
                cx, cy = xy(v, y)
                out.append(f'<circle cx="{cx}" cy="{cy}" r="2" fill="{INK}"/>')
        out.append("</g>")
        return "".join(out)

    def card_svg(self, values: Sequence[float], country_medians: Sequence[float],
                 programme_medians: Sequence[float] | None, *, country: str) -> str:
        """One case's figure as SVG: the frame drawn once, the points written in (about 1 ms a card);
        `programme_medians` None when the programme's cases are the country's."""
        return (self.frame(country, merged=programme_medians is None)
                + self.points_svg(values, country_medians, programme_medians, country=country) + "</svg>\n")


def card_notes(*, lang: str, illustrative: bool) -> list[str]:
    """The lines under a card's figure: its source and, for sample data, the illustrative-data note.

    Examples
    --------
    >>> card_notes(lang="en", illustrative=False)
    ['Source: Case coding after the design of KRIHS Policy Brief 736, analysed with krihs-analysis']
    """
    notes = [text("source", lang, source=text("source_cases", lang))]
    if illustrative:
        notes.append(text("illustrative", lang))
    return notes


def case_card(profile: Any, *, country: str, lang: str = "en", illustrative: bool | None = None, ax=None):
    """Draw one case's codes against its country's and programme's medians; returns the Axes.

    Parameters
    ----------
    profile
        The tidy table of :func:`krihs_analysis.compare.case_profile` (``variable, value, country_median,
        programme_median``); only its ordinal variables are drawn. Where its ``attrs['programme_is_country']``
        says the programme's cases are the country's, one median is drawn and named for both.
    country
        The case's country code (``KR`` or ``JP``): the colour and marker of the country median.
    lang
        ``en``, ``ko`` or ``ja``.
    illustrative
        Add the illustrative-data note. None reads ``profile.attrs['illustrative']`` (which
        :func:`~krihs_analysis.compare.case_profile` sets from the cases) and adds the note when the profile does
        not say where it came from.
    ax
        Draw into this Axes (no title or notes then).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from krihs_analysis.compare import case_profile
    >>> from krihs_analysis.data import read_cases
    >>> from krihs_analysis.figures import case_card, close_figure, frame_texts
    >>> ax = case_card(case_profile(read_cases(), "JP-01"), country="JP", lang="en", illustrative=True)
    >>> frame_texts(ax.figure)["title"]
    'This case against its country and programme'
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['Sense of community', 'Representative resident organisation']
    >>> close_figure(ax.figure)
    """
    check_lang(lang)
    check_choice(country, "case_card: country", COUNTRY_ORDER)
    ax = check_axes(ax, "case_card")
    check_result(profile, ["variable", "value", "country_median", "programme_median"], "case_card", arg="profile",
                 made_by="compare.case_profile(cases, case_id)",
                 numeric=["value", "country_median", "programme_median"], key=["variable"])
    rows = profile[profile["variable"].isin(ordinal_items(profile["variable"].tolist()))]
    fig = CaseCardFigure(rows["variable"].tolist(), lang=lang, illustrative=_illustrative(illustrative, profile),
                         ax=ax)
    merged = bool(profile.attrs.get("programme_is_country", False))
    fig.update(rows["value"].astype(float).tolist(), rows["country_median"].astype(float).tolist(),
               None if merged else rows["programme_median"].astype(float).tolist(), country=country)
    meta = getattr(fig.ax.figure, "_krihs", None)
    if ax is None and meta is not None and "case_id" in profile.columns:  # its own figure: the card page's words
        meta["alt"] = phrase("case_card", "fig_alt_same" if merged else "fig_alt", lang,
                             case_id=str(profile["case_id"].iloc[0]), n=len(rows))
    return fig.ax
