"""Assemble the drafted brief: HTML blocks in the layout of a KRIHS policy brief, and its PDF.

The brief notebook (``notebooks/06_policy_brief.ipynb``) displays these blocks; the report runner exports the
notebook without inputs to HTML, and :func:`krihs_analysis.pdf.print_pdf` prints it with headless Chromium.

Examples
--------
>>> meta = load_metadata()
>>> "KRIHS" in title_block(meta, lang="en", illustrative=True)
True
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from .._format import fmt_int, fmt_list, fmt_num, is_missing
from .._io import write_atomic
from .._validate import check_count, check_number, check_path, check_strings, check_text
from ..codebook import LANGS, check_lang, load_codebook
from ..data import jp_municipality_names, read_context, survey_gaps
from ..wording import in_sentence, phrase
from . import _inputs

DEFAULT_METADATA = paths.ROOT / "brief.yaml"
TEMPLATES = Path(__file__).with_name("templates")
# The brief's text fonts by language, in CSS order. TrueType CJK fonts first: Chromium embeds them as named CID
# fonts in the PDF (Noto CJK's CFF outlines become unnamed Type 3 fonts); Noto CJK stays as the screen fallback.
# Japanese: Latin letters, digits and Greek in DejaVu (IPA fonts draw "~" as a raised tilde and δ full-width), kana
# and kanji in IPA P Gothic (proportional), so kanji take Japanese glyph forms, never Nanum's Korean ones.
FONTS = {
    # NanumGothic has no minus sign (U+2212): DejaVu Sans draws it (and other symbols), not Noto CJK, whose Type 3
    # glyphs poppler reads out of order ("δ = 0.93 ... −").
    "ko": ("NanumGothic", "DejaVu Sans", "Noto Sans CJK KR", "IPAPGothic"),
    "ja": ("DejaVu Sans", "IPAPGothic", "IPAGothic", "Noto Sans CJK JP", "NanumGothic"),
    "en": ("DejaVu Sans", "NanumGothic", "IPAPGothic", "Noto Sans CJK KR"),
}
FONT_FAMILIES = tuple(dict.fromkeys(f for lang in LANGS for f in FONTS[lang]))


def _w(key: str, lang: str, **fields: Any) -> str:
    return phrase("brief", key, lang, **fields)


def _a(key: str, lang: str, **fields: Any) -> str:
    return phrase("brief_appendix", key, lang, **fields)


def load_metadata(path: str | Path | None = None) -> dict[str, Any]:
    """Read the brief's title and issuer block (``brief.yaml`` at the project root by default).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A YAML file with ``number``, ``issuer``, ``title`` and ``authors`` (a list); the project's by default.

    Raises
    ------
    FileNotFoundError
        No file at `path`.
    ValueError
        `path` is not a path, or the file is not a YAML mapping with those keys (an empty file, a list).

    Examples
    --------
    >>> load_metadata()["number"]
    '736-R'
    """
    from .._io import read_yaml

    p = check_path(path, "path", example="path='brief.yaml'") if path is not None else DEFAULT_METADATA
    if not p.is_file():
        raise FileNotFoundError(f"brief metadata file not found: {p}")
    meta = read_yaml(p)
    if not isinstance(meta, Mapping):  # an empty file reads as None
        raise ValueError(f"{p.name} must hold the brief's metadata as a YAML mapping with the keys number, issuer, "
                         f"title and authors, but it holds {'nothing' if meta is None else type(meta).__name__}; "
                         f"write them in it (see {DEFAULT_METADATA.name} at the project root)")
    return _inputs.metadata(meta, p.name)


def _pick(value: Any, lang: str) -> str:
    return str(value.get(lang, value.get("en", ""))) if isinstance(value, Mapping) else str(value)


def _css() -> str:
    css = (TEMPLATES / "brief.css").read_text(encoding="utf-8")
    for lang in LANGS:
        css = css.replace(f"FONTS_{lang.upper()}", ", ".join(f'"{f}"' for f in FONTS[lang]))
    return f"<style>\n{css}</style>\n"


def _kb(inner: str, lang: str) -> str:
    """One block of the brief, tagged with its language (fonts and line breaking follow it)."""
    return f'<div class="kb" lang="{lang}">{inner}</div>'


_BANNER_INLINE = "color: #a40000; font-weight: bold; border: 1px solid #a40000; padding: 1mm 3mm; margin: 2mm 0"


def title_block(meta: Mapping[str, Any], *, lang: str, illustrative: bool) -> str:
    """The issuer line, title, authors and (on the sample) the illustrative banner.

    The block also names the PDF's running bands (:func:`krihs_analysis.pdf.print_pdf`): the illustrative notice in
    the header of every page, the series and number beside the page number in the foot; and asks for its
    figure-fitting pass.

    Parameters
    ----------
    meta : Mapping
        ``number``, ``issuer``, ``title`` and ``authors`` (a list), optionally ``series``, ``short_series``,
        ``date`` and ``reference``: what :func:`load_metadata` reads. Texts may be mappings by language.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    illustrative : bool
        Mark the brief as drawn from illustrative data.
    """
    check_lang(lang)
    _inputs.metadata(meta)
    notice = html.escape(load_codebook().notice("illustrative", lang))
    short = _pick(meta.get("short_series", meta.get("series", "")), lang)
    foot = html.escape(_w("page_label", lang, series=short, number=meta["number"]) if short else "")
    # data-print-fit: print_pdf fits the figures to the pages (no page left half empty before a figure).
    running = (f'<div hidden data-running-header="{notice if illustrative else ""}" '
               f'data-running-footer="{foot}" data-print-fit></div>')
    # Styled inline too: JupyterLab drops the <style> of an output it does not trust (a committed notebook), which
    # left the notice twice as plain text; the corner notice shows only where the stylesheet says so (brief.css).
    mark = (f'<div class="kb-illustrative" style="display: none">{notice}</div>'
            f'<div class="banner" style="{_BANNER_INLINE}">{notice}</div>') if illustrative else ""
    authors = ", ".join(_pick(a, lang) for a in meta["authors"])
    series = html.escape(_pick(meta["series"], lang)) if "series" in meta else ""
    ref = f'<div class="reference">{html.escape(_pick(meta["reference"], lang))}</div>' if meta.get("reference") else ""
    return _css() + running + _kb(
        f'{mark}<div class="issuer">{series} • {html.escape(_w("issue_number", lang, number=meta["number"]))} • '
        f'{html.escape(_pick(meta["issuer"], lang))}'
        f'{" • " + html.escape(str(meta["date"])) if meta.get("date") else ""}</div>'
        f'<h1>{html.escape(_pick(meta["title"], lang))}</h1>'
        f'<div class="authors">{html.escape(authors)}</div>{ref}', lang)


#: The columns of :func:`~krihs_analysis.brief.text.draft_findings` that the summary box and the appendix read.
FINDINGS_COLUMNS = ("number", "text", "result", "weak", "evidence")


def _findings(findings: Any) -> pd.DataFrame:
    return _inputs.result_frame(findings, "findings", FINDINGS_COLUMNS,
                                "krihs_analysis.brief.text.draft_findings(tables)")


# A statistic with its value ("δ = −0.93", "p < 0.001", "n = 26") and, in Japanese, a number with the counter after
# it ("0.25点", "14件"): printed, the brief broke "Cliff's δ / = −0.90" and "事業平均0.25 / 点" across lines.
_VALUE = r" [=<>≤≥] [−\-]?\d(?:[\d.,]*\d)?"
# ...and a statistic's name with its symbol ("Cliff's δ", "Kendall's τ-b", "Kendallのτ-b"), which broke at the space
# ...and a range written with a range mark ("−1.00～−0.76", "0.63~0.90", a source's "2017～2019年度") or an interval in
# brackets ("[−0.98, −0.55]"), which broke after the mark or the comma
_NUMBER = r"[−\-]?\d(?:[\d.,]*\d)?"
_UNBROKEN = re.compile(rf"{_NUMBER}[~～]{_NUMBER}|\[{_NUMBER}, {_NUMBER}\]|"
                       rf"(?:Cliff|Kendall|Spearman)(?:'s |の| )[δτρ](?:-b)?(?:{_VALUE})?|[^\s(（;；,、]+{_VALUE}")
_UNBROKEN_JA = re.compile(r"[−\-]?\d(?:[\d.,]*\d)?[\u30a0-\u30ff\u4e00-\u9fff]")


def _text(text: str, lang: str | None = None) -> str:
    """`text` escaped for HTML, each statistic with its value (and in Japanese each number with its counter) kept
    on one line."""
    pattern = _UNBROKEN_JA if lang == "ja" else None
    out, at = [], 0
    spans = [m.span() for m in _UNBROKEN.finditer(text)]
    if pattern is not None:
        spans += [m.span() for m in pattern.finditer(text)
                  if not any(a <= m.start() < b for a, b in spans)]
    for a, b in sorted(spans):
        if a < at:
            continue
        out.append(html.escape(text[at:a]))
        out.append(f'<span class="nw">{html.escape(text[a:b])}</span>')
        at = b
    out.append(html.escape(text[at:]))
    return "".join(out)


def summary_box(findings: pd.DataFrame, *, lang: str) -> str:
    """The numbered findings in a box; weak findings are marked.

    Parameters
    ----------
    findings : pandas.DataFrame
        What :func:`krihs_analysis.brief.text.draft_findings` returns (not the result tables themselves).
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    """
    check_lang(lang)
    _findings(findings)
    weak_attr = ' class="weak"'
    items = "".join(
        f"<li{weak_attr if row.weak else ''}>{_text(row.text, lang)}</li>" for row in findings.itertuples()
    )
    return _kb(f'<div class="summary" data-keep><b>{_w("summary", lang)}</b><ol>{items}</ol></div>', lang)


def section(title: str, paragraphs: list[str] | str, *, lang: str = "en") -> str:
    """A numbered-section heading with paragraphs (plain text, escaped).

    Parameters
    ----------
    title : str
        The heading.
    paragraphs : str or list of str
        One paragraph or several.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    """
    check_lang(lang)
    check_text(title, "title", example="title='1. Status'")
    paras = check_strings(paragraphs, "paragraphs", example="paragraphs=['First paragraph.', 'Second paragraph.']",
                          allow_empty=True)
    body = "".join(f"<p>{_text(p, lang)}</p>" for p in paras)
    return _kb(f"<h2>{html.escape(title)}</h2>{body}", lang)


def figure_block(fig: Any, *, number: int, caption: str, lang: str, dpi: int = 170,
                 max_width_mm: float = 180.0) -> str:
    """A numbered figure (a matplotlib Figure, embedded as PNG at its own printed width) with its caption.

    The figure carries its source note (and the illustrative-data note) itself, so none is repeated here.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or an Axes of it (what most functions of :mod:`krihs_analysis.figures` return).
    number : int
        The figure's number (from 1).
    caption : str
        The caption (plain text, escaped).
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    dpi, max_width_mm : float
        The PNG's resolution and the widest it is printed (both above 0).
    """
    check_lang(lang)
    fig = _inputs.figure(fig)
    number = check_count(number, "number", minimum=1)
    check_text(caption, "caption", example="caption='Korea–Japan comparison'")
    check_number(dpi, "dpi", lo=0, strict=True, example="dpi=170")
    check_number(max_width_mm, "max_width_mm", lo=0, strict=True, example="max_width_mm=180")
    buf = io.BytesIO()
    # "tight" keeps direct labels that reach the edge; the printed width follows the cropped image.
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.04, metadata={"Software": None})
    from PIL import Image

    width_mm = min(Image.open(io.BytesIO(buf.getvalue())).size[0] / dpi * 25.4, max_width_mm)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return _kb(
        f'<figure><figcaption><b>{html.escape(_w("figure_number", lang, n=number))}</b> {html.escape(caption)}'
        f'</figcaption><img src="data:image/png;base64,{data}" style="width:{width_mm:.0f}mm" '
        f'alt="{html.escape(caption)}"/></figure>', lang)


def _table_html(frame: pd.DataFrame, *, css_class: str = "", widths: tuple[int, ...] = (),
                numeric: tuple[str, ...] = ()) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths)

    def cell(tag: str, col: Any, value: Any) -> str:
        # aligned inline as well: JupyterLab drops the stylesheet of an untrusted output and right-aligns cells
        cls = ' class="num" style="text-align: right"' if col in numeric else ' style="text-align: left"'
        return f"<{tag}{cls}>{_text(str(value))}</{tag}>"

    head = "".join(cell("th", c, c) for c in frame.columns)
    rows = "".join("<tr>" + "".join(cell("td", c, v) for c, v in zip(frame.columns, r, strict=True)) + "</tr>"
                   for r in frame.itertuples(index=False))
    cls = f' class="{css_class}"' if css_class else ""
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    return f"<table{cls}>{colgroup}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def source_note(source: str, *, lang: str) -> str:
    """A source line under a table or figure ("Source: ..."), its label in `lang` unless the text has one.

    Examples
    --------
    >>> source_note("MIC", lang="en")
    '<div class="srcnote">Source: MIC</div>'
    >>> source_note("出典：総務省", lang="ja")
    '<div class="srcnote">出典：総務省</div>'
    """
    check_lang(lang)
    check_text(source, "source", example="source='MIC, survey of regional management organisations'")
    label = _w("source", lang)
    text = source.strip()
    if not text.startswith(label):
        text = f"{label}{'：' if lang == 'ja' else ': '}{text}"
    return f'<div class="srcnote">{_text(text, lang)}</div>'


def context_box(*, lang: str, figures: list[str] = (), fiscal_figure: str | None = None) -> str:
    """The context box: the MIC survey of regional management organisations and the fiscal strength of the
    Japanese case municipalities (real published figures, with their sources).

    `figures` are figure blocks (:func:`figure_block`): the first is shown beside the survey's table, any others
    after it. `fiscal_figure` is the block of :func:`krihs_analysis.figures.fiscal_context`, shown with the source
    of MIC's fiscal table in place of the five-row FY2021 table (which is shown without it). The box is drawn as
    two framed parts, each kept whole: the second may start a new page without leaving an empty frame behind.
    The fiscal part comes first, under the box's title, and the survey's table with its figure second: the wide
    fiscal figure is the part that fits the room the policy implications leave on their page, and the survey's
    shorter part the room above the appendix (in that order Korean and Japanese briefs fill page 4 to 80 %, where
    the other order left a third of it empty; number the figures in this order).

    Parameters
    ----------
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    figures : list of str
        Figure blocks (HTML text of :func:`figure_block`); the first stands beside the survey's table.
    fiscal_figure : str, optional
        The fiscal figure's block.
    """
    check_lang(lang)
    figures = check_strings(figures, "figures", allow_empty=True,
                            example="figures=[figure_block(fig, number=6, caption=..., lang=...)]")
    if fiscal_figure is not None:
        check_text(fiscal_figure, "fiscal_figure",
                   example="fiscal_figure=figure_block(fig, number=5, caption=..., lang=...)")
    rmo = read_context("rmo_survey")
    year, orgs, munis = _w("col_year", lang), _w("col_orgs", lang), _w("col_munis", lang)
    fiscal_years = [phrase("common", "survey_fy", lang, year=int(y)) for y in rmo["survey_year"]]
    t1 = pd.DataFrame({year: fiscal_years, orgs: rmo["organisations"].map(fmt_int),
                       munis: rmo["municipalities"]})
    # The survey's table and its trend figure side by side: the box stays short enough to share a page.
    beside = f'<div class="beside">{figures[0]}</div>' if figures else ""
    rest = "".join(f'<div class="part" data-keep data-float>{f}</div>' for f in figures[1:])
    if fiscal_figure is not None:
        panel = read_context("jp_municipal_fiscal")
        fiscal = f'{fiscal_figure}{source_note(panel.attrs["source"][lang], lang=lang)}'
    else:
        table = read_context("jp_fiscal_fy2021")
        muni, fs, cb = _w("col_muni", lang), _w("col_fiscal_strength", lang), _w("col_current_balance", lang)
        # each municipality as the reader writes it, with MIC's name (it was MIC's kanji on every page)
        names = jp_municipality_names(lang=lang, prefecture=True)
        own = table["prefecture"] + table["municipality"]
        t2 = pd.DataFrame({muni: [names.get(str(c), o) for c, o in zip(table["code"], own, strict=True)],
                           fs: table["fiscal_strength_index"].map(fmt_num),
                           cb: table["current_balance_ratio_pct"].map(lambda v: fmt_num(v, digits=1))})
        fiscal = (f'<div>{html.escape(_w("fiscal_title", lang))}</div>'
                  f'{_table_html(t2, numeric=(fs, cb))}{source_note(table.attrs["source"][lang], lang=lang)}')
    # A year the sources skip is said, not left for the reader to notice between two rows: in the table's source
    # line, which it qualifies (a line of its own pushed the survey's part off a page foot), though the figure beside
    # it says it too (its note is pixels: a screen reader and the PDF's text have only this one)
    gaps = [phrase("common", "survey_fy", lang, year=y) for y in survey_gaps(rmo)]
    source = rmo.attrs["source"][lang]
    if gaps:
        gap_note = phrase("common", "survey_gap", lang, years=fmt_list(gaps, lang=lang))
        source += ("。" if lang == "ja" else ". ") + gap_note
    survey = (f'<div class="row"><div><div>{html.escape(_w("rmo_title", lang))}</div>'
              f'{_table_html(t1, numeric=(orgs, munis))}{source_note(source, lang=lang)}</div>{beside}</div>')
    return _kb(
        # The box's title is part of its first part, so that it never stays behind alone at a page's foot.
        f'<div class="context"><div class="part" data-keep data-float><b>{_w("context", lang)}</b>{fiscal}</div></div>'
        f'<div class="context"><div class="part" data-keep data-float>{survey}</div>{rest}</div>', lang)


# ------------------------------------------------------------------------------------------------------------
# The appendix: every finding with the result behind it, the multiplicity family, what the run recorded.


def _first(row: Mapping | pd.Series, names: tuple[str, ...]) -> Any:
    for name in names:
        value = row.get(name)
        if value is not None and not is_missing(value) and str(value) != "":
            return value
    return None


def _reader_name(token: Any, lang: str) -> str | None:
    """A codebook name (variable, core task, derived index) as the reader calls it; None when it is not one."""
    try:
        return load_codebook().label(str(token), lang)
    except ValueError:
        return None


def _step_label(step: Any, lang: str) -> str:
    """What a step of the run is called (``qca`` -> "QCA minimisation"); variables by their codebook label."""
    if step is None:
        return _a("step_run", lang)
    text = str(step)
    for key in ("robustness", "qca", "model", "comparison", "association", "profile"):  # robustness before qca
        if key in text.lower():
            base = _a(f"step_{key}", lang)
            # "comparison:integration" -> "Korea–Japan comparison – Project integration"
            tail = text.split(":", 1)[1] if ":" in text else ""
            named = _reader_name(tail, lang) if tail else None
            return f"{base} – {named}" if named else base
    return _reader_name(text, lang) or _a("step_run", lang)


def _why(reason: str, lang: str) -> str:
    """A reason recorded in English by the analysis code, in the brief's language where it is a known one."""
    m = re.search(r"too small.*?n\s*=\s*(\d+)", reason)
    return _a("why_small_group", lang, n=int(m.group(1))) if m else reason


def run_notes(tables: Mapping[str, pd.DataFrame], *, lang: str) -> list[str]:
    """What the run recorded about its computations, as sentences in `lang`.

    `tables` are the named result tables (:meth:`krihs_analysis.pipeline.Results.tables` or :func:`load_results`),
    or the :class:`~krihs_analysis.pipeline.Results` itself.

    Reads the run's ``diagnostics`` table when there is one (one row per event, with a ``kind`` such as
    ``truncated``, ``not_converged``, ``reused`` or ``skipped`` and the ``step`` it happened in), a ``truncated``
    flag on the ``qca`` table, and the p-value and interval methods of the comparison and association tables
    (Monte Carlo p-values, percentile intervals, missing intervals). Empty when nothing was recorded.

    Examples
    --------
    >>> diag = pd.DataFrame([{"step": "qca", "kind": "truncated", "n": 20}])
    >>> run_notes({"diagnostics": diag}, lang="en")
    ['QCA minimisation: only the first 20 minimal covers were listed (the cap was reached); other equally minimal solutions may exist.']
    """
    check_lang(lang)
    return _run_notes(_inputs.result_tables(tables, "tables", read=NOTES_TABLES, usage="run_notes(tables, lang=...)"),
                      lang=lang)


#: The tables whose columns the appendix reads by name, and those columns (the rest it reads where they are).
NOTES_TABLES = {"comparison": ("variable",), "association": ("x", "y", "method")}


def _run_notes(tables: Mapping[str, pd.DataFrame], *, lang: str) -> list[str]:
    notes: list[str] = []
    for name in ("diagnostics", "warnings", "run_notes"):
        diag = tables.get(name)
        if diag is None or not len(diag):
            continue
        for _, row in diag.iterrows():
            kind = str(_first(row, ("kind", "category", "event", "warning")) or "").lower()
            what = _step_label(_first(row, ("step", "result", "source", "analysis")), lang)
            n = _first(row, ("n", "n_models", "cap", "count"))
            if "trunc" in kind or "covercap" in kind or "cap" == kind:
                notes.append(_a("note_truncated", lang, what=what, n=int(n)) if n is not None
                             else _a("note_truncated_plain", lang, what=what))
            elif "converg" in kind:
                notes.append(_a("note_not_converged", lang, what=what))
            elif "reuse" in kind or "cache" in kind:
                notes.append(_a("note_reused", lang, what=what))
            elif "skip" in kind:
                notes.append(_a("note_skipped", lang, what=what))
            else:
                notes.append(_a("note_other", lang, what=what))
    qca = tables.get("qca")
    if qca is not None and "truncated" in qca.columns and qca["truncated"].fillna(False).astype(bool).any():
        notes.append(_a("note_truncated_plain", lang, what=_a("step_qca", lang)))
    if "qca" in tables or "qca_fit" in tables:
        from .._format import fmt_cut
        from ..pipeline import qca_settings

        run = qca_settings(tables)
        if not run["recorded"]:  # results saved before their settings were: the brief states cuts it assumes
            kind = in_sentence(phrase("common", f"qca_kind_{run['qca_kind']}", lang), lang=lang)
            notes.append(_a("note_settings_assumed", lang, kind=kind, incl_cut=fmt_cut(run["incl_cut"]),
                            pri_cut=fmt_cut(run["pri_cut"])))
    for name, step in (("comparison", "comparison"), ("association", "association")):
        frame = tables.get(name)
        if frame is None or not len(frame):
            continue
        for _, row in frame.iterrows():
            if name == "comparison":
                what = f"{_a(f'step_{step}', lang)} – {_reader_name(row['variable'], lang) or row['variable']}"
            else:
                x, y = (_reader_name(row[k], lang) or str(row[k]) for k in ("x", "y"))
                what = f"{_a(f'step_{step}', lang)} – {x} – {y}"
            if str(row.get("p_method", "")).lower().replace("-", " ").startswith("monte carlo"):
                notes.append(_a("note_monte_carlo", lang, what=what))
            ci_method = str(row.get("ci_method", "") or "")
            if is_missing(row.get("ci_low")) or is_missing(row.get("ci_high")):
                if ci_method:
                    notes.append(_a("note_no_interval", lang, what=what, why=_why(ci_method, lang)))
            elif "percentile" in ci_method.lower():
                notes.append(_a("note_percentile", lang, what=what))
    return notes


def _family_member(row: Mapping | pd.Series, lang: str) -> str:
    """One test of the multiplicity family as the reader names it."""
    x, y = _first(row, ("x",)), _first(row, ("y",))
    if x is not None and y is not None:
        return f"{_reader_name(x, lang) or x} – {_reader_name(y, lang) or y}"
    for col in ("variable", "item", "key", "term"):
        value = _first(row, (col,))
        if value is None:
            continue
        named = _reader_name(value, lang)
        if named:
            return named
        text = str(value)
        if "~" in text or ":" in text or "|" in text:  # a coded key such as "x~y:kendall|programme"
            names = [n for n in (_reader_name(t, lang) for t in re.split(r"[~:|*+ ]+", text)) if n]
            if names:
                return " – ".join(names)
    result = _first(row, ("result", "analysis", "family"))
    if result is not None:
        try:
            return _a(f"result_{result}", lang)
        except ValueError:
            pass
    return _a("step_run", lang)


#: Members of the test family the appendix names before "and N more".
MAX_MEMBERS = 8


def family_note(tables: Mapping[str, pd.DataFrame], *, lang: str, max_members: int = MAX_MEMBERS) -> str:
    """The multiplicity family the headline findings were adjusted over, in one sentence.

    With a ``family`` table (one row per test the run made), the sentence names the family and its adjustment;
    without one, it says that the Holm adjustment was made within the Korea–Japan comparisons only.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame, or krihs_analysis.pipeline.Results
        The named result tables, or the Results itself.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    max_members : int
        The most tests named one by one (a whole number from 1); the others are counted.

    Examples
    --------
    >>> fam = pd.DataFrame({"variable": ["integration", "resident_org"], "method": ["holm", "holm"]})
    >>> family_note({"family": fam}, lang="en")
    'Headline findings were selected from a family of 2 tests made by this run; their adjusted p-values (Holm) are adjusted over that whole family: Project integration; Representative resident organisation.'
    """
    check_lang(lang)
    max_members = check_count(max_members, "max_members", minimum=1)  # -1 used to drop the last member silently
    tables = _inputs.result_tables(tables, "tables", usage="family_note(tables, lang=...)")
    return _family_note(tables, lang=lang, max_members=max_members)


def _family_note(tables: Mapping[str, pd.DataFrame], *, lang: str, max_members: int) -> str:
    fam = tables.get("family")
    if fam is not None and len(fam):
        method_col = next((c for c in ("adjustment", "p_adjust", "method_adjust", "method") if c in fam.columns), None)
        method = str(fam[method_col].dropna().iloc[0]) if method_col and fam[method_col].notna().any() else "Holm"
        method = method[0].upper() + method[1:] if method.islower() else method
        named = list(dict.fromkeys((str(r.get("result", "")), _family_member(r, lang)) for _, r in fam.iterrows()))
        # The first test of each kind before the rest, so that a cut list still names every kind: at 8 of the
        # standard set's 15 the association test, the last, was among the "7 more"
        firsts, kinds = [], set()
        for kind, m in named:
            if kind not in kinds:
                kinds.add(kind)
                firsts.append((kind, m))
        members = [m for _, m in firsts] + [m for kind, m in named if (kind, m) not in firsts]
        shown = _a("list_sep", lang).join(members[:max_members])
        if len(members) > max_members:
            shown = _a("family_members_more", lang, shown=shown, more=len(members) - max_members)
        return _a("family_whole", lang, n=len(fam), method=method, members=shown)
    comp = tables.get("comparison")
    return _a("family_per_table", lang, n=len(comp) if comp is not None else 0)


def appendix(findings: pd.DataFrame, *, lang: str, tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """The appendix: each finding with the analysis and item behind it (named as a reader names them, in
    `lang`), the multiplicity family, and what the run recorded about its computations (:func:`run_notes`).

    Parameters
    ----------
    findings : pandas.DataFrame
        What :func:`krihs_analysis.brief.text.draft_findings` returns.
    lang : str
        One of :data:`krihs_analysis.codebook.LANGS`.
    tables : Mapping of str to pandas.DataFrame, or krihs_analysis.pipeline.Results, optional
        The named result tables the findings came from (or the Results itself); none by default.
    """
    check_lang(lang)
    _findings(findings)
    tables = (_inputs.result_tables(tables, "tables", read=NOTES_TABLES,
                                    usage="appendix(findings, lang=..., tables=tables)") if tables is not None else {})
    return _appendix(findings, lang=lang, tables=tables)


def _appendix(findings: pd.DataFrame, *, lang: str, tables: Mapping[str, pd.DataFrame]) -> str:
    frame = pd.DataFrame({
        _a("col_number", lang): findings["number"],
        _a("col_finding", lang): findings["text"],
        _a("col_analysis", lang): [_a(f"result_{r}", lang) for r in findings["result"]],
        _a("col_item", lang): findings["item"] if "item" in findings else findings["key"],
        _a("col_evidence", lang): [_a(f"evidence_{e}", lang) for e in findings["evidence"]],
    })
    table = _table_html(frame, css_class="appendix", widths=(6, 50, 14, 18, 12))
    notes = _run_notes(tables, lang=lang) or [_a("notes_none", lang)]
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return _kb(
        f'<h2>{_a("title", lang)}</h2>{table}<div class="appendix-notes">'
        f'<h3>{_a("family_title", lang)}</h3><p>{html.escape(_family_note(tables, lang=lang, max_members=MAX_MEMBERS))}</p>'
        f'<h3>{_a("notes_title", lang)}</h3><ul>{items}</ul></div>', lang)


def save_results(results: Mapping[str, pd.DataFrame], out_dir: str | Path) -> Path:
    """Write named result tables as JSON (one file each, atomically) so a brief can be rebuilt from a run.

    Parameters
    ----------
    results : Mapping of str to pandas.DataFrame, or krihs_analysis.pipeline.Results
        The named result tables (each name becomes a file name), or the Results itself.
    out_dir : str or pathlib.Path
        The folder to write them in (made if missing).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    results = _inputs.result_tables(results, "results", usage="save_results(results.tables(), out_dir)")
    out = check_path(out_dir, "out_dir", example="out_dir='results'")
    bad = [name for name in results if Path(name).name != name or name in (".", "..")]
    if bad:
        raise ValueError(f"results has the table name {bad[0]!r}, which is not a plain file name; name each table "
                         "with a plain word such as 'comparison'")
    for name, frame in results.items():
        write_atomic(out / f"{name}.json", frame.to_json(orient="table", index=False, force_ascii=False, indent=1))
    return out


def load_results(results_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables written by :func:`save_results`.

    The ``diagnostics`` table comes back with one more row, ``kind`` ``reused``: a brief composed from these tables
    says in its appendix that its results were computed earlier, not in this run.

    Parameters
    ----------
    results_dir : str or pathlib.Path
        The folder :func:`save_results` wrote.

    Raises
    ------
    FileNotFoundError
        No folder at `results_dir`.
    ValueError
        `results_dir` is not a path, the folder holds no tables, or a JSON file in it is not a table
        :func:`save_results` wrote.
    """
    folder = check_path(results_dir, "results_dir", example="results_dir='runs/<run>/figures/<notebook>/results'")
    if not folder.is_dir():
        raise FileNotFoundError(f"results folder not found: {folder}")
    out = {}
    for p in sorted(folder.glob("*.json")):
        try:
            out[p.stem] = pd.read_json(io.StringIO(p.read_text(encoding="utf-8")), orient="table")
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"{p} is not a result table written by save_results ({type(e).__name__}: {e}); "
                             "remove it from the folder, or pass the folder save_results wrote") from None
    if not out:
        raise ValueError(f"{folder} holds no result tables (*.json); pass the folder save_results wrote")
    diag = out.get("diagnostics")
    if diag is not None and len(diag) and "kind" in diag and (diag["kind"].astype(str) == "reused").any():
        return out  # saved again after a reuse: it says so once already
    reused = pd.DataFrame([{"step": "run", "kind": "reused", "n": None, "detail": f"results read from {folder}"}])
    out["diagnostics"] = reused if diag is None or not len(diag) else pd.concat([diag, reused], ignore_index=True)
    return out
