"""Case cards at survey scale: one HTML page per case, rendered directly (no Papermill kernel per card).

The run set reads and validates the sheet once (while planning), computes every case's codes and its country's
and programme's medians in one pass (:func:`card_data`), and hands shards of plain records to worker processes.
Each worker draws the card figure's frame once per language, country and legend (:class:`~krihs_analysis.figures.
cards.CaseCardFigure`; one median where a country's cases are all of one programme, as Japan's are) and writes
the points of each case into it, so a card costs milliseconds. A card's page links the same card in the run's other
languages (the cards runs of one config entry on the same cases: ``RunSpec.languages``), as its index links theirs.

Layout in a run folder::

    cards/card.css                                 the one stylesheet every card links to
    cards/<output>/index.html                      every card of one language, linked
    cards/<output>/s000/<output>_<case id>.html    one page per case; shards of at most ``shard_size`` cards

``notebooks/10_case_card.ipynb`` shows the same card for one case (:func:`card_view`).

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> from krihs_analysis.reports.cards import card_data
>>> card = card_data(read_cases())[0]
>>> card["case_id"], card["codes"]["integration"], card["programme_median"]["integration"]
('KR-P1-A', 1.0, 1.5)
"""

from __future__ import annotations

import html
import os
import re
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..wording import phrase, value_word
from .index import CJK_FONT_CSS, LINE_BREAKING_CSS, language_links

CSS_NAME = "card.css"
_META = ("country", "programme", "ministry", "municipality", "start_year", "support_years", "continued",
         "years_after_support", "self_funded_pct")

CSS = """\
/* krihs-analysis case cards: one stylesheet shared by every card of a run (cards/card.css) */
body { color: #222; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.lede, .note { color: #555; }
.note { font-size: .85rem; }
.banner { background: #fff4e5; border: 1px solid #e69f00; padding: .35rem .6rem; font-size: .85rem; }
figure { margin: .6rem 0; overflow-x: auto; }
/* the column's width, so that the labels read at the size of the text; on a phone it scrolls rather than shrink */
figure svg { width: 100%; min-width: 28rem; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
.outcome { font-weight: 600; }
.langs { font-size: .85rem; margin: 0 0 .3rem; } .langs a, .langs strong { margin-right: .6rem; }
figcaption { margin-top: .2rem; }
table.cards td:nth-child(-n+3) { white-space: nowrap; }
@media print { body { margin: 0; max-width: none; } }
""" + CJK_FONT_CSS + LINE_BREAKING_CSS


def safe_id(case_id: str) -> str:
    """A case id as it appears in a file name: as it is when it is letters, digits, ``.``, ``_`` and ``-`` (as
    the codebook's pattern requires), else cleaned and made unique with a short hash of the original.

    Examples
    --------
    >>> safe_id("KR-P1-A"), safe_id("시 A/1")
    ('KR-P1-A', 'A-1-a83054')
    """
    import hashlib
    import re

    text = str(case_id)
    out = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"
    if out != text:
        out += "-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return out


def card_data(cases, *, variables: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Every case's card as a plain record: codes, medians of its country and programme, and its outcome.

    The medians include the case itself, as :func:`krihs_analysis.compare.case_profile` computes them; this does
    it for all cases in one pass (a groupby), not one pass per case.
    """
    from ..compare import default_variables
    from ..data import is_illustrative, numeric_codes

    names = list(variables) if variables is not None else default_variables()
    codes = numeric_codes(cases, names)
    country = cases["country"].astype(str)
    programme = cases["programme"].astype(str)
    by_country = codes.groupby(country.to_numpy()).median()
    by_programme = codes.groupby(programme.to_numpy()).median()
    n_country = country.value_counts()
    n_programme = programme.value_counts()
    # a programme whose cases are all its country's cases (Japan's one programme): one median, said once
    countries_of = country.groupby(programme.to_numpy()).agg(lambda c: set(c))
    illustrative = bool(is_illustrative(cases))
    meta = {c: cases[c].tolist() for c in _META if c in cases.columns}
    meta.update(_reader_names(cases))
    roles, model = _qca_roles(cases)
    out = []
    for i, (cid, ctry, prog) in enumerate(zip(cases["case_id"].astype(str), country, programme)):
        row = codes.iloc[i]
        out.append({
            "case_id": cid, "variables": names,
            "codes": {v: _num(row[v]) for v in names},
            "country_median": {v: _num(by_country.at[ctry, v]) for v in names},
            "programme_median": {v: _num(by_programme.at[prog, v]) for v in names},
            "n_country": int(n_country[ctry]), "n_programme": int(n_programme[prog]),
            "programme_is_country": countries_of[prog] == {ctry} and int(n_programme[prog]) == int(n_country[ctry]),
            "meta": {c: _plain(vals[i]) for c, vals in meta.items()},
            "illustrative": illustrative,
            "qca": {"role": roles.get(cid), "model": model},
        })
    return out


def _qca_roles(cases) -> tuple[dict[str, str], str | None]:
    """Each case's role in the standard QCA (:func:`krihs_analysis.pipeline.analyse`'s: fuzzy sets on the default
    conditions, consistency 0.8, PRI 0.5, the first parsimonious model), and that model.

    A case with a blank condition or outcome is left out of the QCA and named "incomplete" (the others keep their
    roles); a sheet without a solution at those cuts gives no model, and the cards say so.
    """
    import warnings

    from .. import qca
    from ..data import numeric_codes
    from ..pipeline import QCA_INCL_CUT, QCA_KIND, QCA_PRI_CUT

    conditions = list(qca.DEFAULT_CONDITIONS)
    needed = [*conditions, "sustainability"]  # the card's own codes (card_data) need these columns too
    ids = cases["case_id"].astype(str).to_numpy()
    complete = numeric_codes(cases, needed).notna().all(axis=1).to_numpy()
    roles = {cid: "incomplete" for cid in ids[~complete]}
    try:
        data = qca.from_cases(cases[complete], conditions=conditions, kind=QCA_KIND)
        tt = qca.truth_table(data, "sustainability", conditions, incl_cut=QCA_INCL_CUT, pri_cut=QCA_PRI_CUT)
        with warnings.catch_warnings():
            # the first model is all a card names; a cap on the number of covers changes nothing for it
            warnings.simplefilter("ignore", qca.CoverCapWarning)
            solution = qca.minimize(tt, kind="parsimonious")
    except ValueError:  # no row passes the cuts, or a set without variation: no solution to place a case in
        return roles, None
    if not solution.models:
        return roles, None
    model = solution.models[0]
    found = qca.case_roles(data, "sustainability", model)
    roles.update(zip(found["case_id"].astype(str), found["role"].astype(str), strict=True))
    # case_roles (SetMethods' smmr) names no role for a case more in the recipe than in the outcome, both above
    # 0.5: consistent in kind, not in degree
    for r in qca.xy_data(data, model, outcome="sustainability").itertuples():
        if str(r.case_id) not in roles:
            roles[str(r.case_id)] = ("typical_degree" if r.x > 0.5 and r.y > 0.5 else "deviant_consistency"
                                     if r.x > 0.5 else "deviant_coverage" if r.y > 0.5 else "irrelevant")
    return roles, model


def _reader_names(cases) -> dict[str, list[str | None]]:
    """``municipality_<lang>`` per case and language: its municipality as those readers write it
    (:func:`krihs_analysis.data.case_municipalities`: a Japanese one in their script with MIC's name after it,
    the sample's stand-ins in their words; a Japanese card showed "시 A (illustrative)")."""
    if "municipality" not in cases.columns:
        return {}
    from ..codebook import LANGS
    from ..data import case_municipalities

    return {f"municipality_{lang}": case_municipalities(cases, lang=lang).tolist() for lang in LANGS}


def _num(x: Any) -> float | None:
    x = float(x)
    return None if x != x else x


def _plain(x: Any) -> Any:
    if x is None:
        return None
    try:
        if x != x:  # NaN / NA
            return None
    except (TypeError, ValueError):
        return None
    if hasattr(x, "item"):
        return x.item()
    return x if isinstance(x, (int, float, bool)) else str(x)


def _level_words(level: str, lang: str) -> str:
    """A codebook anchor inside a sentence: "Fragile (residual activity by a few people)", not "Fragile: residual
    ..." after "Sustainability:" ("Sustainability: Fragile: residual activity" read as two labels)."""
    parts = re.split(r"[:：]\s*", level, maxsplit=1)  # the head as figures.style.short_level cuts it
    if len(parts) < 2:
        return level
    name, rest = parts
    return f"{name}（{rest}）" if lang == "ja" else f"{name} ({rest})"


def _level(variable: str, code: float | None, lang: str) -> str:
    from ..codebook import load_codebook

    if code is None:
        return "–"
    var = load_codebook()[variable]
    key = int(code) if float(code).is_integer() else code
    try:
        return var.level_label(key, lang)
    except ValueError:
        return str(code)


def _place(meta: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """A card's country and municipality as the reader names them (a Japanese municipality in the reader's script
    with MIC's name after it: :func:`_reader_names`)."""
    from ..codebook import load_codebook

    levels = load_codebook()["country"]
    country = meta.get("country")
    name = levels.level_label(country, lang) if country in levels.levels else str(country or "–")
    return name, meta.get(f"municipality_{lang}") or meta.get("municipality") or "–"


def card_body(card: Mapping[str, Any], *, lang: str, svg: str | None) -> str:
    """The card's HTML body: heading, the case in one sentence, its outcome in words, the figure, the codes."""
    from .._format import fmt_column, fmt_median, fmt_num
    from ..codebook import load_codebook
    from ..figures.cards import card_notes  # words only: matplotlib stays unloaded

    cb = load_codebook()
    e = html.escape
    m = card["meta"]
    country_name, municipality = _place(m, lang)
    parts = []
    if card.get("illustrative"):
        parts.append(f'<p class="banner">{e(cb.notice("illustrative", lang))}</p>')
    parts.append(f'<h1>{e(phrase("case_card", "title", lang, case_id=card["case_id"]))}</h1>')
    # Without a period of national support (0 years) there is no "after the support ended" to speak of: "supported
    # for 0 years ... Activity continued after the support ended" read as a contradiction on every Japanese card.
    unsupported = m.get("support_years") == 0
    lede = phrase("case_card", "lede_unsupported" if unsupported else "lede", lang, programme=m.get("programme", "–"),
                  country=country_name, ministry=value_word(m.get("ministry"), lang=lang) or "–",
                  municipality=municipality,
                  start_year=m.get("start_year") if m.get("start_year") is not None else "–",
                  support_years=m.get("support_years") if m.get("support_years") is not None else "–")
    parts.append(f'<p class="lede">{e(lede)}</p>')
    # The outcome in words, from the codebook's anchors
    yes = m.get("continued") in (1, 1.0, True)
    pct = m.get("self_funded_pct")
    words = dict(label=cb["sustainability"].label(lang),
                 level=_level_words(_level("sustainability", card["codes"].get("sustainability"), lang), lang),
                 continued=phrase("case_card", "continued_yes", lang), going=phrase("case_card", "going_yes", lang),
                 pct="–" if pct is None else f"{fmt_num(pct, digits=0)}%")
    years = m.get("years_after_support")
    if m.get("continued") is None:  # blank (an unvalidated frame): say nothing of whether it goes on
        outcome = phrase("case_card", "outcome_unknown", lang, **words)
    elif not yes:  # a stopped activity's share of self-funding says nothing ("0% of the budget self-funded")
        outcome = phrase("case_card", "outcome_unsupported_stopped" if unsupported else "outcome_stopped", lang,
                         **words)
    elif unsupported:
        outcome = phrase("case_card", "outcome_unsupported", lang, **words)
    elif years is None:  # blank in the sheet (support not ended, or not recorded): said by leaving it out
        outcome = phrase("case_card", "outcome_no_years", lang, **words)
    else:
        outcome = phrase("case_card", "outcome_sentence", lang, years=fmt_num(years, digits=0), **words)
    parts.append(f'<h2>{e(phrase("case_card", "outcome_heading", lang))}</h2><p class="outcome">{e(outcome)}</p>')
    parts.append(f'<h2>{e(phrase("case_card", "codes_heading", lang))}</h2>')
    if svg:
        # The figure's title, subtitle and notes are the page's text (the heading above, this caption): drawn into
        # the figure, its title came out larger than the page's own heading
        alt = phrase("case_card", "fig_alt_same" if card.get("programme_is_country") else "fig_alt", lang,
                     case_id=card["case_id"], n=sum(1 for v in card["variables"] if cb[v].type == "ordinal"))
        caption = "<br>".join(e(n) for n in card_notes(lang=lang, illustrative=bool(card.get("illustrative"))))
        parts.append(f'<p class="note">{e(phrase("case_card", "fig_subtitle", lang))}</p>'
                     f'<figure><div role="img" aria-label="{e(alt)}">{svg}</div>'
                     f'<figcaption class="note">{caption}</figcaption></figure>')
    merged = bool(card.get("programme_is_country"))
    cols = ("col_variable", "col_code", "col_level") + (
        ("col_country_programme",) if merged else ("col_country", "col_programme"))
    head = [phrase("case_card", k, lang, country=country_name) for k in cols]
    # Alignment inline as well as in the stylesheet: JupyterLab drops the <style> of an output it does not trust (a
    # committed notebook, until the user runs it), and its own CSS right-aligns every cell.
    left, right = ' style="text-align: left"', ' class="n" style="text-align: right"'
    rows = ["<tr>" + "".join(f"<th{left}>{e(h)}</th>" for h in head) + "</tr>"]
    # One number of decimals per column: a column with a half code in it writes 2.0 beside 2.5, not 2
    medians = {k: fmt_column((card[k][v] for v in card["variables"]), digits=1)
               for k in ("country_median", "programme_median")}
    for i, v in enumerate(card["variables"]):
        code = card["codes"][v]
        level = _level(v, code, lang)
        if v == "continued" and unsupported and code in (0, 1):
            # No support to outlive, yet the code is the brief's data ("continues in 11 of 12 Japanese cases, which
            # had no period of national programme support"): the card showed a dash where the brief counted a 1
            level = phrase("case_card", "continued_unsupported_yes" if code == 1 else "continued_unsupported_no",
                           lang)
        shown = ("country_median",) if merged else ("country_median", "programme_median")
        rows.append(f"<tr><td{left}>{e(cb[v].label(lang))}</td><td{right}>{fmt_median(code)}</td>"
                    f"<td{left}>{e(level)}</td>"
                    + "".join(f"<td{right}>{medians[k][i]}</td>" for k in shown) + "</tr>")
    parts.append("<table>" + "".join(rows) + "</table>")
    note = phrase("case_card", "medians_note_same" if merged else "medians_note", lang, country=country_name,
                  n_country=card["n_country"], n_programme=card["n_programme"])
    parts.append(f'<p class="note">{e(note)}</p>')
    parts.append(f'<h2>{e(phrase("case_card", "qca_heading", lang))}</h2><p class="qca">{e(qca_sentence(card, lang=lang))}</p>')
    return "\n".join(parts)


def qca_sentence(card: Mapping[str, Any], *, lang: str) -> str:
    """The case's role in the standard QCA solution, in words (or why the card names none)."""
    from .._format import fmt_cut
    from ..display import expression
    from ..pipeline import QCA_INCL_CUT, QCA_PRI_CUT

    cuts = {"incl_cut": fmt_cut(QCA_INCL_CUT), "pri_cut": fmt_cut(QCA_PRI_CUT)}
    qca = card.get("qca") or {}
    if not qca.get("model") or not qca.get("role"):
        return phrase("case_card", "qca_none", lang, **cuts)
    from ..figures.catalogue import expression_label  # numpy/pandas only; matplotlib stays unloaded

    return phrase("case_card", "qca_role", lang, **cuts, model=expression(qca["model"], lang=lang),
                  outcome=expression_label("sustainability", lang),
                  role=phrase("case_card", f"qca_{qca['role']}", lang))


def card_page(card: Mapping[str, Any], *, lang: str, svg: str | None, css_href: str, back_href: str | None,
              languages: Mapping[str, str] | None = None) -> str:
    """A complete card page linking the shared stylesheet (and, given `languages` as ``{lang: href}``, the same
    card in the other languages)."""
    e = html.escape
    back = (f'<p class="note"><a href="{e(back_href)}">{e(phrase("case_card", "back", lang))}</a></p>'
            if back_href else "")
    if languages:
        back = language_links(lang, languages) + back
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(phrase("case_card", "title", lang, case_id=card["case_id"]))}</title>'
            f'<link rel="stylesheet" href="{e(css_href)}"></head>\n<body>\n{back}{card_body(card, lang=lang, svg=svg)}'
            "\n</body></html>\n")


class CardView:
    """One card in a notebook: the page body as HTML (``_repr_html_``), styled by the cards' stylesheet."""

    def __init__(self, body: str, case_id: str = ""):
        self.body = body
        self.case_id = case_id

    def __repr__(self) -> str:  # a stable text form (no address) for notebook outputs
        return f"CardView({self.case_id!r})"

    def _repr_html_(self) -> str:
        return f"<div class=\"krihs-card\"><style>{CSS.replace('body {', '.krihs-card {')}</style>{self.body}</div>"


def card_view(cases, case_id: str, *, lang: str = "en") -> CardView:
    """The card of `case_id` for display in a notebook (the figure is drawn separately by
    :func:`krihs_analysis.figures.case_card`, so that the notebook shows it as an image), without the card page's
    illustrative banner: the notebook shows the sheet's (:func:`krihs_analysis.display.banner`)."""
    from ..codebook import check_lang

    check_lang(lang)
    hit = [c for c in card_data(cases) if c["case_id"] == str(case_id)]
    if not hit:
        raise ValueError(f"case {case_id!r} is not in the data; known cases: "
                         f"{', '.join(map(str, cases['case_id'].head(5)))}, ...")
    # The notebook shows the sheet's own illustrative banner above the card (display.banner); the card's, again
    # just under it, read as a stray line of text where JupyterLab dropped the card's stylesheet.
    return CardView(card_body({**hit[0], "illustrative": False}, lang=lang, svg=None), str(case_id))


# --------------------------------------------------------------------------------------------------------------
# Run-set side: shards out, pages in


def shard_tasks(spec_task: Mapping[str, Any], cards: Sequence[Mapping[str, Any]], shard_size: int) -> list[dict]:
    """Split one cards run into shard tasks (plain dicts a worker process can take)."""
    tasks = []
    for k in range(0, len(cards), shard_size):
        shard = f"s{k // shard_size:03d}"
        tasks.append({**spec_task, "kind": "cards_shard", "shard": shard, "cards": list(cards[k:k + shard_size]),
                      "name": f"{spec_task['name']}#{shard}"})
    return tasks


_FIGURES: dict[tuple, Any] = {}  # per worker process: one figure per (language, variables, illustrative)


def render_shard(task: Mapping[str, Any]) -> dict[str, Any]:
    """Worker: write the card pages of one shard; returns a record like a notebook run's."""
    from .._io import write_atomic
    from ..figures.cards import CaseCardFigure, ordinal_items
    from .worker import is_disk_full, now_iso, rel

    t0 = time.time()
    run_dir = Path(task["run_dir"])
    lang = task["parameters"].get("lang", "en")
    output = task["output"]
    folder = run_dir / "cards" / output / task["shard"]
    record: dict[str, Any] = {"name": task["name"], "entry": task["entry"], "notebook": task["notebook"],
                              "output": output, "parameters": task["parameters"], "kernel": None,
                              "status": "failed", "started": now_iso(), "notes": [], "outputs": [], "error": None,
                              "worker": f"{os.uname().nodename} pid {os.getpid()}"}
    try:
        for card in task["cards"]:
            items = ordinal_items(card["variables"])
            key = (lang, tuple(items), card["illustrative"])
            if key not in _FIGURES:
                _FIGURES[key] = CaseCardFigure(items, lang=lang, illustrative=card["illustrative"], framed=False)
            fig = _FIGURES[key]
            svg = fig.card_svg([_nan(card["codes"][v]) for v in items],
                               [_nan(card["country_median"][v]) for v in items],
                               None if card.get("programme_is_country") else
                               [_nan(card["programme_median"][v]) for v in items],
                               country=str(card["meta"].get("country")))
            # the same card in the other languages: same shard, same file name but the output's
            name = safe_id(card["case_id"])
            links = {lg: f"../../{out}/{task['shard']}/{out}_{name}.html" for lg, out in task.get("languages", ())}
            page = card_page(card, lang=lang, svg=svg, css_href=f"../../{CSS_NAME}", back_href="../index.html",
                             languages=links)
            path = write_atomic(folder / f"{output}_{safe_id(card['case_id'])}.html", page)
            record["outputs"].append(rel(path, run_dir))
        record["status"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported in the record, like a notebook failure
        kind = "disk" if is_disk_full(exc) else "render"
        record["error"] = {"kind": kind, "notebook": Path(task["notebook"]).name, "cell_index": None,
                           "execution_count": None, "ename": type(exc).__name__, "evalue": str(exc),
                           "line": f"{type(exc).__name__}: {exc}",
                           "message": (f"cards {task['shard']}: no space left on the device writing {folder}"
                                       if kind == "disk" else f"cards {task['shard']}: {type(exc).__name__}: {exc}")}
    record["attempts"] = [{"attempt": 1, "status": record["status"], "worker": record["worker"],
                           "error": (record["error"] or {}).get("line")}]
    record["ended"] = now_iso()
    record["duration_s"] = round(time.time() - t0, 3)
    return record


def _nan(x: float | None) -> float:
    return float("nan") if x is None else x


def _index_row(card: Mapping[str, Any], href: str, lang: str) -> str:
    """One case on the cards' index: where it is and how it fared, each in the reader's words."""
    e, m = html.escape, card["meta"]
    country, municipality = _place(m, lang)
    if m.get("continued") is None:
        continued = "–"
    else:  # as the brief counts it; a case without national support says so (it outlived no support)
        continued = value_word("yes" if m.get("continued") in (1, 1.0, True) else "no", lang=lang, capital=True)
        if m.get("support_years") == 0:
            continued = phrase("case_card", "index_unsupported", lang, answer=continued)
    role = (card.get("qca") or {}).get("role")
    cells = [f'<a href="{e(href)}">{e(card["case_id"])}</a>', e(country), e(str(m.get("programme") or "–")),
             e(str(municipality)), e(_level("sustainability", card["codes"].get("sustainability"), lang)),
             e(continued), e(value_word(role, lang=lang, capital=True) if role else "–")]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


#: The roles a card can name, in the order the legend explains them.
_ROLES = ("typical", "typical_degree", "deviant_consistency", "deviant_coverage", "irrelevant", "incomplete")


def _roles_legend(roles: set[str], lang: str) -> str:
    """What each role the index's QCA column shows means, named as the column names them ("" when none)."""
    items = [phrase("case_card", "legend_item", lang, role=value_word(r, lang=lang, capital=True),
                    meaning=phrase("case_card", f"legend_{r}", lang)) for r in _ROLES if r in roles]
    sep = "" if lang == "ja" else " "
    return phrase("case_card", "index_roles", lang, items=sep.join(items)) if items else ""


def write_index(run_dir: Path, output: str, cards: Sequence[Mapping[str, Any]], *, lang: str,
                shard_size: int, languages: Sequence[Sequence[str]] = ()) -> Path:
    """``cards/<output>/index.html``: every card of the run in a table (where each case is, how it fared, its role
    in the standard QCA), linked, with the illustrative notice when the cases are the sample and a way back to the
    run's front page (the shared stylesheet is beside it). `languages`, ``(lang, output)`` pairs of the same cards
    in this run (:attr:`RunSpec.languages <krihs_analysis.reports.config.RunSpec.languages>`), adds a line linking
    their indexes."""
    from .._io import write_atomic
    from ..codebook import load_codebook

    e, cb = html.escape, load_codebook()
    rows = [_index_row(card, f"s{k // shard_size:03d}/{output}_{safe_id(card['case_id'])}.html", lang)
            for k, card in enumerate(cards)]
    head = [cb[c].label(lang) for c in ("case_id", "country", "programme", "municipality", "sustainability",
                                        "continued")] + [phrase("case_card", "qca_heading", lang)]
    title = phrase("case_card", "index_title", lang, n=len(cards))
    legend = _roles_legend({(card.get("qca") or {}).get("role") for card in cards}, lang)
    front = "index.html" if lang == "en" else f"index.{lang}.html"
    banner = (f'<p class="banner">{e(cb.notice("illustrative", lang))}</p>'
              if any(card.get("illustrative") for card in cards) else "")
    page = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>'
            f'<link rel="stylesheet" href="../{CSS_NAME}"></head>\n<body>'
            f'{language_links(lang, {lg: f"../{out}/index.html" for lg, out in languages}) if languages else ""}'
            f'<p class="note"><a href="../../{front}">{e(phrase("case_card", "to_run", lang))}</a></p>{banner}'
            f'<h1>{e(title)}</h1>\n<table class="cards"><tr>{"".join(f"<th>{e(h)}</th>" for h in head)}</tr>'
            f'{"".join(rows)}</table>\n<p class="note">{e(legend)}</p>'
            '\n</body></html>\n')
    return write_atomic(run_dir / "cards" / output / "index.html", page)


def write_css(run_dir: Path) -> Path:
    from .._io import write_atomic

    return write_atomic(run_dir / "cards" / CSS_NAME, CSS)
