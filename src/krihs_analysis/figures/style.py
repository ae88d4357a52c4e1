"""House style for KRIHS policy-brief figures: palette, sizes, fonts, wording and the title/notes frame.

Use :func:`house_style` as a context manager around drawing (and saving); it never changes the global rcParams.
Every figure of the catalogue has

* a headline title that states the message, and a subtitle that says what is shown, where and when;
* a source note under the plot and, when the data are the illustrative sample, an "illustrative data" note;
* text in sentence case, in the chosen language (``en``, ``ko`` or ``ja``), labels from the codebook;
* direct labels in preference to legends.

All wording the figures use (titles, subtitles, notes, axis labels) lives in ``locale/figures.yaml``, in every
language; numbers are formatted by :mod:`krihs_analysis._format`.

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

from .._validate import _describe, check_flag, check_number, check_strings
from ..codebook import LANGS, check_lang, load_codebook
from ..wording import phrase
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
NOTE_GAP = 0.03  # inches between two notes under a figure
PAD = 0.07  # inches around the header and footer

def text(key: str, lang: str, /, **fields: Any) -> str:
    """The figure wording `key` (``locale/figures.yaml``) in `lang`, with format `fields` filled in."""
    check_lang(lang)
    if key == "illustrative":  # one wording everywhere: the codebook's notice
        return load_codebook().notice("illustrative", lang)
    return phrase("figures", key, lang, **fields)


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

    Parameters
    ----------
    lang
        ``en``, ``ko`` or ``ja``: chooses the fonts (:func:`krihs_analysis.figures.fonts.font_families`: the
        language's Noto Sans CJK face first, the Korean one for English, DejaVu Sans last).

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


def _illustrative(flag: bool | None, *frames: Any) -> bool:
    """An explicit flag wins; else any frame's ``attrs['illustrative']``; unknown provenance counts as illustrative
    (a figure of data whose origin it cannot tell must not pass for coded evidence)."""
    if flag is not None:  # "no" would have been true
        return check_flag(flag, "illustrative")
    seen = [f.attrs["illustrative"] for f in frames if "illustrative" in getattr(f, "attrs", {})]
    return any(bool(s) for s in seen) if seen else True


def _in_jupyter_kernel() -> bool:
    """True inside a running Jupyter kernel (a notebook, Papermill), not merely when ipykernel is importable."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _describe_figures_to_jupyter() -> None:
    """Have the kernel's PNG output of a catalogue figure carry its alt text (``metadata['image/png']['alt']``),
    which the report runner writes into the exported page's ``<img alt>`` (nbconvert wrote "No description has been
    provided for this image" under every figure). Wraps the inline backend's own PNG formatter, once."""
    import sys

    from matplotlib.figure import Figure

    shell = sys.modules["IPython"].get_ipython()
    formatter = shell.display_formatter.formatters.get("image/png")
    if formatter is None:
        return
    try:
        draw = formatter.lookup_by_type(Figure)
    except KeyError:
        return
    if getattr(draw, "_krihs_alt", False):
        return

    def png_with_alt(fig):
        data = draw(fig)
        alt = getattr(fig, "_krihs", {}).get("alt")
        if data is None or not alt or isinstance(data, tuple):
            return data
        return data, {"alt": alt}

    png_with_alt._krihs_alt = True
    formatter.for_type(Figure, png_with_alt)


def new_figure(width: float = DOUBLE, height: float = 3.0, *, nrows: int = 1, ncols: int = 1, **subplot_kw: Any):
    """A Figure with constrained layout: an Agg canvas outside Jupyter (not registered with pyplot, so nothing leaks
    in batch runs), a pyplot figure inside a Jupyter kernel (so that it displays).

    `height` is the height of the plot area; :func:`decorate` adds the header and the footer to it.
    """
    if _in_jupyter_kernel():
        # In Jupyter (and Papermill reports) a pyplot figure displays inline at the end of the cell.
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(width, height), layout="constrained")
        _describe_figures_to_jupyter()
    else:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=0.04, h_pad=0.04, wspace=0.04, hspace=0.04)
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    fig._krihs = {"plot_height": height}
    return fig, axes


def _ja_characters(s: str) -> list[str]:
    """Japanese text cut between any two characters where a line may break (JIS X 4051's rules kept): runs of
    Latin letters and digits stay whole with the counter after a number (2.3倍, 28件), and closing punctuation
    stays with the character before it, so that no line starts with a bare counter or a 、."""
    return re.findall(r"[A-Za-z0-9.,%()\-−–'’/=<>]+(?:[^\sA-Za-z0-9][、。）」』]*)?\s*|\s+|.[、。）」』・:：;,]*\s*", s)


#: Hiragana that end a phrase (case particles and the like): a break after one falls between two phrases.
_PARTICLES = frozenset("のをにがはとでやもへか")
_CLOSING = "、。・:：;,)）」』"
_BRACKETS = ")）」』"  # a particle after one stays with it: 中央値（0.45）を|下回った, 「地域づくり」の|担い手


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _ja_phrases(s: str) -> list[str]:
    """Japanese text cut between phrases (文節), as Chromium's ``word-break: auto-phrase`` does, by a rule of
    thumb: a break follows a particle or a run of two or more hiragana before a kanji, katakana or Latin
    character (行政の|伴走的役割, 住民主体の|計画づくり, 代表する|住民組織), a space or closing punctuation (、。・),
    and comes before an opening bracket; a single hiragana inside a word does not end it (組み合わせ, 取り組み).
    Cutting between any two characters had broken 役|割 and 計画|づくり in the truth table's headers."""
    chars = _ja_characters(s)
    out, cur = [], ""
    for k, tok in enumerate(chars):
        cur += tok
        nxt = chars[k + 1] if k + 1 < len(chars) else ""
        if not nxt:
            break
        last, first = tok.rstrip()[-1:] if tok.strip() else " ", nxt[0]
        body = cur.rstrip()
        run = next((n for n in range(len(body)) if not _is_hiragana(body[-1 - n])), len(body))  # hiragana at the end
        if first in _CLOSING:  # never before closing punctuation
            continue
        if (tok != tok.rstrip() or (last in _CLOSING and not (last in _BRACKETS and _is_hiragana(first)))
                or first in "(（「『"
                or (_is_hiragana(last) and not _is_hiragana(first) and (run >= 2 or last in _PARTICLES))):
            out.append(cur)
            cur = ""
    out.append(cur)
    return [t for t in out if t]


def _tokens(s: str, lang: str) -> list[str]:
    """Break points for wrapping: words (with their trailing space); phrases for Japanese (:func:`_ja_phrases`)."""
    if lang == "ja":
        return _ja_phrases(s)
    return re.findall(r"\S+\s*|\s+", s)


def _text_block(s: str, width: float, *, size: float, lang: str, weight: str = "normal") -> tuple[str, float]:
    """`s` wrapped to `width` inches, and its height in inches as :func:`decorate` lays it out."""
    wrapped = wrap_text(s, width, fontsize=size, lang=lang, weight=weight)
    # Line height as matplotlib lays it out: 1.2 x the font's line spacing
    _, h, _ = _text_points("lp한日", fontsize=size, weight=weight)
    nlines = wrapped.count("\n") + 1
    return wrapped, ((h) + (nlines - 1) * 1.2 * h) / 72 + 0.01


def note_height(note: str, *, width: float, lang: str) -> float:
    """The height in inches one more note adds under a figure `width` inches wide (:func:`decorate`): what a chart
    gives up to keep its figure's size when it has a note that figures like it do not.

    Parameters
    ----------
    note : str
        The note, as :func:`decorate` would write it (wrapped to the figure's width).
    width : float
        The figure's width in inches (e.g. :data:`SINGLE`).
    lang : str
        ``en``, ``ko`` or ``ja``: how the note wraps.

    Returns
    -------
    float
        Inches: the note's lines and the gap above it.

    Raises
    ------
    ValueError
        `note` is not text, `width` not a positive number, or `lang` not one of en, ko, ja.

    Examples
    --------
    >>> one = note_height("FY2020: no figure in these sources.", width=SINGLE, lang="en")
    >>> two = note_height("FY2020: no figure in these sources. " * 4, width=SINGLE, lang="en")
    >>> 0.05 < one < two
    True
    """
    check_lang(lang)
    check_text(note, "note", what="note_height", optional=False)
    width = check_number(width, "width", lo=0, strict=True, example="width=SINGLE")
    with house_style(lang):  # measured in the fonts the note is drawn in
        return _text_block(note, width - 2 * PAD, size=NOTE_SIZE, lang=lang)[1] + NOTE_GAP


def _text_points(s: str, *, fontsize: float, weight: str = "normal") -> tuple[float, float, float]:
    """Width, height and descent of one line of text in points at `fontsize`, measured with the current fonts."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(10, 10, 72)  # 72 dpi: extents come out in points
    return renderer.get_text_width_height_descent(s, FontProperties(size=fontsize, weight=weight), ismath=False)


def text_width(s: str, *, fontsize: float, weight: str = "normal") -> float:
    """The width of one line of text in inches at `fontsize`, measured with the current fonts.

    Examples
    --------
    >>> with house_style("en"):
    ...     text_width("Unnan City", fontsize=10) < text_width("Akitakata City", fontsize=10)
    True
    """
    return _text_points(s, fontsize=fontsize, weight=weight)[0] / 72


def wrap_text(s: str, width_in: float, *, fontsize: float, lang: str, weight: str = "normal", fig=None) -> str:
    """Greedy line wrapping of `s` to `width_in` inches at `fontsize`, measured with the current fonts."""

    def width(t: str) -> float:
        return text_width(t, fontsize=fontsize, weight=weight)

    out_lines = []
    for para in s.split("\n"):
        tokens = _tokens(para, lang)
        start = len(out_lines)
        line, j, first = "", 0, True
        while j < len(tokens):
            if not line:  # an empty line takes the next token whatever its width
                token = tokens[j] if first else tokens[j].lstrip()
                if lang == "ja" and len(token.strip()) > 1 and width(token.rstrip()) > width_in:
                    tokens[j:j + 1] = _ja_characters(token)  # a phrase wider than the line breaks inside
                    token = tokens[j]
                line, j, first = token, j + 1, False
                continue
            # The longest run of tokens that still fits, found by bisection: measuring a string lays out every
            # glyph, and trying one token at a time measured each line once per word (a fifth of a figure's
            # drawing time). Widths grow with every token added, so this breaks where the greedy rule breaks.
            lo, hi = j, len(tokens)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if width((line + "".join(tokens[j:mid])).rstrip()) <= width_in:
                    lo = mid
                else:
                    hi = mid - 1
            line, j = line + "".join(tokens[j:lo]), lo
            if j < len(tokens):
                out_lines.append(line.rstrip())
                line = ""  # the next token opens the next line, above: a Japanese phrase too wide breaks there
        out_lines.append(line.rstrip())
        if len(out_lines) - start >= 2:
            out_lines[-2:] = _no_widow(out_lines[-2], out_lines[-1], lang, width_in, width)
    return "\n".join(out_lines)


def _no_widow(above: str, last: str, lang: str, width_in: float, width) -> list[str]:
    """The last two lines of a paragraph, with a short word left alone on the last line ("CI", "0.82") joined by
    the word before it, when that leaves the line above with more than one word and the last line still fits."""
    if len(_tokens(last, lang)) != 1 or width(last) > 0.2 * width_in:
        return [above, last]
    words = _tokens(above, lang)
    if len([w for w in words if w.strip()]) < 3:
        return [above, last]
    moved = words[-1] + ("" if lang == "ja" else " ") + last  # `above` ends without its space (rstripped)
    if width(moved) > width_in:
        return [above, last]
    return ["".join(words[:-1]).rstrip(), moved]


def decorate(fig, *, title: str, subtitle: str | None, notes: Sequence[str], lang: str) -> None:
    """Frame a figure: headline title and subtitle above the plot, notes (source, illustrative) below it.

    The figure grows by the height of header and footer so that the plot area keeps its height; the texts are
    wrapped to the figure width. Constrained layout then fits the axes (with their tick labels) in between.

    Parameters
    ----------
    fig
        A Figure made by :func:`new_figure` (constrained layout; it records the height of the plot area).
    title
        The headline, in bold above the plot: the figure's message.
    subtitle
        What is shown, where and when, under the title; None (or "") for none.
    notes
        The lines under the plot (source, illustrative-data note), top to bottom; empty ones are left out.
    lang
        ``en``, ``ko`` or ``ja``: how the texts wrap (Japanese between characters, else between words), and the
        language recorded with the figure (:func:`save_figure` renders it in that language's fonts).

    Raises
    ------
    ValueError
        `fig` is not a figure made by :func:`new_figure`, or a text is not a string.

    Examples
    --------
    >>> from krihs_analysis.figures.style import decorate, frame_texts, house_style, new_figure
    >>> with house_style("en"):
    ...     fig, axes = new_figure(3.3, 1.5)
    ...     decorate(fig, title="Organisations grew", subtitle="Japan, 2016-2022", notes=["Source: MIC"], lang="en")
    >>> frame_texts(fig)["notes"]
    ['Source: MIC']
    >>> float(fig.get_figheight()) > 1.5  # the plot area keeps its 1.5 inches; header and footer are added
    True
    """
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if not (isinstance(fig, Figure) and hasattr(fig, "_krihs")
            and isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)):
        raise ValueError(f"decorate: fig must be a Figure made by new_figure(width, height) (constrained layout, "
                         f"plot height recorded), got {_describe(fig)}; start the figure with new_figure")
    check_lang(lang)
    check_text(title, "title", what="decorate", optional=False)
    check_text(subtitle, "subtitle", what="decorate")
    notes = check_strings(notes, "notes", example="notes=['Source: MIC']", allow_empty=True)
    width = fig.get_figwidth()
    plot_h = fig._krihs.get("plot_height", fig.get_figheight())
    avail = width - 2 * PAD

    def block(s: str, size: float, weight: str = "normal") -> tuple[str, float]:
        return _text_block(s, avail, size=size, lang=lang, weight=weight)

    head = [block(title, TITLE_SIZE, "bold")]
    if subtitle:
        head.append(block(subtitle, SUBTITLE_SIZE))
    foot = [block(n, NOTE_SIZE) for n in notes if n]
    gap_head, gap_foot = 0.06, NOTE_GAP
    head_h = PAD + sum(h for _, h in head) + gap_head * (len(head) - 1) + 0.10
    foot_h = (PAD + sum(h for _, h in foot) + gap_foot * max(len(foot) - 1, 0) + 0.06) if foot else PAD
    total = float(plot_h + head_h + foot_h)
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
    """The title, subtitle and notes a figure was framed with (for tests and alt text).

    Parameters
    ----------
    fig
        A Figure: what a multi-panel figure function returns, or ``ax.figure`` of a single-panel one.

    Returns
    -------
    dict
        ``title, subtitle, notes, lang``; each None for a figure that was not framed (one drawn into the
        caller's Axes).

    Examples
    --------
    >>> from krihs_analysis.data import read_context
    >>> from krihs_analysis.figures import close_figure, frame_texts, rmo_trend
    >>> ax = rmo_trend(read_context("rmo_survey"), lang="en")
    >>> texts = frame_texts(ax.figure)
    >>> texts["lang"], texts["notes"][0]
    ('en', 'FY2020: no figure in these sources.')
    >>> close_figure(ax.figure)
    """
    meta = getattr(fig, "_krihs", {})
    return {k: meta.get(k) for k in ("title", "subtitle", "notes", "lang")}


def check_langs(langs: Sequence[str] | str) -> list[str]:
    """Expand ``"all"`` and check every language (one language, or a list of them).

    Examples
    --------
    >>> check_langs("all")
    ['en', 'ko', 'ja']
    >>> check_langs(None)
    Traceback (most recent call last):
    ...
    ValueError: langs must be one string or a list of strings, got None; pass e.g. langs='all' or langs=['en', 'ko']
    """
    if isinstance(langs, str) and langs == "all":
        return list(LANGS)
    return [check_lang(lang) for lang in check_strings(langs, "langs", example="langs='all' or langs=['en', 'ko']")]


# --------------------------------------------------------------------------------------------------------------
# Input checks shared by every figure function (issue 11): a user's mistake is a ValueError that says what to pass,
# raised before anything is drawn, never an AttributeError or a matplotlib/pandas error from inside.

#: What to pass, for the text arguments of the figure functions.
_TEXT_EXAMPLES = {
    "title": "title='Korea trails Japan on most dimensions'",
    "source": "source='KRIHS case survey 2024'",
    "solution": "solution='intermediary*integration'",
    "outcome": "outcome='sustainability'",
    "name": "name='country_profile_en'",
    "alt_text": "alt_text='Dot chart of ...'",
}


def _is_results(obj: Any) -> bool:
    """True for a :class:`krihs_analysis.pipeline.Results` (without importing the pipeline: none exists before)."""
    import sys

    pipeline = sys.modules.get("krihs_analysis.pipeline")
    return pipeline is not None and isinstance(obj, pipeline.Results)


def check_text(value: Any, name: str, *, what: str, optional: bool = True) -> str | None:
    """Accept a string (or None when `optional`) for the text argument `name` of the figure function `what`.

    Examples
    --------
    >>> check_text(5, "title", what="rmo_trend")
    Traceback (most recent call last):
    ...
    ValueError: rmo_trend: title must be a string or None, got 5 (int); pass e.g. title='Korea trails Japan on most dimensions'
    """
    from .._validate import check_text as _check_text

    try:
        return _check_text(value, name, example=_TEXT_EXAMPLES.get(name, f"{name}='...'"), optional=optional)
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None


def check_axes(ax: Any, what: str, *, count: int | None = None, exact: bool = True) -> Any:
    """Accept what a figure function may draw into: None (a new figure), one Axes, or `count` Axes.

    Parameters
    ----------
    ax
        What the caller passed as ``ax``.
    what
        The figure function, for the message.
    count
        None for a function that draws one panel (one Axes); else the number of panels it draws (a sequence or an
        array of that many Axes).
    exact
        Require exactly `count` Axes (else at least `count`).

    Returns
    -------
    None, an Axes, or a list of Axes (an array of Axes flattened).

    Examples
    --------
    >>> check_axes(None, "rmo_trend") is None
    True
    >>> check_axes("left", "rmo_trend")
    Traceback (most recent call last):
    ...
    ValueError: rmo_trend: ax must be one matplotlib Axes or None, got a str; pass e.g. fig, ax = plt.subplots(); ax=ax
    """
    if ax is None:
        return None
    from matplotlib.axes import Axes

    many = isinstance(ax, (list, tuple)) or (hasattr(ax, "ndim") and hasattr(ax, "ravel"))
    if count is None:
        if isinstance(ax, Axes):
            return ax
        if many:
            n = len(list(ax.ravel() if hasattr(ax, "ravel") else ax))
            kind = _describe(ax)
            raise ValueError(f"{what}: ax must be one matplotlib Axes, got {kind} of {n} Axes; {what} draws one "
                             "panel, so pass one of them, e.g. ax=axes[0]")
        raise ValueError(f"{what}: ax must be one matplotlib Axes or None, got {_describe(ax)}; pass e.g. "
                         "fig, ax = plt.subplots(); ax=ax")
    panels = f"{count} panels"
    how = (f"pass a sequence of {count} Axes, e.g. fig, axes = plt.subplots(1, {count}"
           f"{', sharey=True' if count == 2 else ''}); ax=axes")
    if not many:
        raise ValueError(f"{what}: ax must be a sequence of Axes, got {_describe(ax)}; {what} draws {panels}, so {how}")
    axes = list(ax.ravel() if hasattr(ax, "ravel") else ax)
    if not all(isinstance(a, Axes) for a in axes):
        raise ValueError(f"{what}: every item of ax must be a matplotlib Axes; {how}")
    if len(axes) < count or (exact and len(axes) != count):
        raise ValueError(f"{what}: draws {panels}, got {len(axes)} Axes; {how}")
    return axes


def check_call(what: str, lang: str, *, ax: Any = None, flags: dict[str, Any] | None = None, **texts: Any) -> Any:
    """The checks a figure function starts with: the language, its text arguments (each a string or None), its
    `flags` (each True, False or None: ``illustrative="no"`` would have been true) and, for a function that draws
    one panel, `ax` (None or one Axes; returned)."""
    check_lang(lang)
    for name, value in texts.items():
        check_text(value, name, what=what)
    for name, value in (flags or {}).items():
        if value is not None:
            check_flag(value, name)
    return check_axes(ax, what)


def check_result(obj: Any, columns: Sequence[str], what: str, *, arg: str, made_by: str, attr: str | None = None,
                 numeric: Sequence[str] = (), complete: Sequence[str] = (), key: Sequence[str] = ()):
    """Check a result table a figure draws: a DataFrame with rows and `columns`, numbers where numbers are drawn,
    one row for each thing drawn.

    Parameters
    ----------
    obj
        What the caller passed.
    columns
        Columns the figure needs.
    what, arg
        The figure function and the argument's name, for the messages.
    made_by
        What makes the table (``"compare.compare_countries(cases)"``): the messages say to pass it.
    attr
        The attribute of :class:`krihs_analysis.pipeline.Results` that holds the table (``res.<attr>``).
    numeric
        Columns that must hold numbers (or be missing), where present.
    complete
        Columns that must have no missing values, where present.
    key
        Columns that name what a row draws (``["survey_year"]``): no two rows may share those of them present.
        Two rows for one bar or one point would both be drawn, one over the other, or be added up.

    Returns
    -------
    pandas.DataFrame
        `obj` itself, unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> check_result(pd.DataFrame({"x": ["a"]}), ["x"], "qca_xy", arg="xy", made_by="qca.xy_data(...)",
    ...              numeric=["x"])
    Traceback (most recent call last):
    ...
    ValueError: qca_xy: column 'x' of xy must be numeric, but it holds 'a'; convert it (pandas.to_numeric) or fix those rows
    >>> check_result(pd.DataFrame({"survey_year": [2021, 2021]}), ["survey_year"], "rmo_trend", arg="context",
    ...              made_by="data.read_context('rmo_survey')", key=["survey_year"])
    Traceback (most recent call last):
    ...
    ValueError: rmo_trend: context has 2 rows for survey_year 2021 (rows 0, 1); a figure draws one row for each, so drop the repeats or pass what data.read_context('rmo_survey') returns
    """
    import numpy as np
    import pandas as pd

    if not isinstance(obj, pd.DataFrame):
        if attr and _is_results(obj):
            raise ValueError(f"{what}: {arg} must be a table, not the whole pipeline result; "
                             f"pass res.{attr} (got a Results)")
        hint = f" (res.{attr} of a pipeline result)" if attr else ""
        raise ValueError(f"{what}: {arg} must be the pandas DataFrame that {made_by} returns{hint}, "
                         f"got {_describe(obj)}")
    if obj.empty:
        raise ValueError(f"{what}: {arg} is empty (no rows), so there is nothing to draw; pass what {made_by} "
                         "returns")
    missing = [c for c in columns if c not in obj.columns]
    if missing:
        have = [str(c) for c in obj.columns[:30]] + (["..."] if len(obj.columns) > 30 else [])
        raise ValueError(f"{what}: missing column(s) {missing} in {arg} (it has {have}); pass what {made_by} "
                         "returns")
    for c in dict.fromkeys(numeric):
        if c not in obj.columns:
            continue
        try:
            obj[c].astype("float64")
        except (TypeError, ValueError):
            try:
                bad = obj[c][pd.to_numeric(obj[c], errors="coerce").isna() & obj[c].notna()]
            except (TypeError, ValueError):  # lists in cells, or two columns of that name
                bad = obj[c]
            shown = ", ".join(list(dict.fromkeys(map(repr, np.ravel(bad.to_numpy()).tolist())))[:3])
            if not shown:  # only missing values that float64 cannot hold: pd.NA in a column of Python objects
                shown = "pd.NA in a column of objects"
            raise ValueError(f"{what}: column {c!r} of {arg} must be numeric, but it holds {shown}; convert it "
                             "(pandas.to_numeric) or fix those rows") from None
    for c in dict.fromkeys(complete):
        if c in obj.columns and obj[c].isna().any():
            rows = obj.index[obj[c].isna().to_numpy()].tolist()
            more = ", ..." if len(rows) > 5 else ""
            raise ValueError(f"{what}: column {c!r} of {arg} has missing values (row(s) "
                             f"{', '.join(map(repr, rows[:5]))}{more}); drop or fill those rows")
    key = [c for c in dict.fromkeys(key) if c in obj.columns]
    if key:
        try:
            repeated = obj.duplicated(subset=key, keep=False).to_numpy()
        except TypeError:  # unhashable cells (lists): the numeric and column checks speak for such tables
            repeated = None
        if repeated is not None and repeated.any():
            # missing keys are equal here, as duplicated() counts them
            tuples = [tuple(None if pd.isna(v) else v for v in r) for r in obj[key].itertuples(index=False)]
            first = tuples[int(np.flatnonzero(repeated)[0])]
            rows = obj.index[[t == first for t in tuples]].tolist()
            named = ", ".join(f"{c} {v}" for c, v in zip(key, first))
            more = ", ..." if len(rows) > 5 else ""
            raise ValueError(f"{what}: {arg} has {len(rows)} rows for {named} (rows "
                             f"{', '.join(map(str, rows[:5]))}{more}); a figure draws one row for each, so drop "
                             f"the repeats or pass what {made_by} returns")
    return obj
