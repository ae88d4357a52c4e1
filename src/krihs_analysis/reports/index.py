"""Front pages: each run's ``index.html`` (in en, ko and ja) and ``reports/index.html`` over all runs.

A run's page links every HTML and PDF it wrote (case cards through their own index page, which links every
card), with each run's status (ok, failed with its cell, reused from an earlier run), duration, figure
thumbnails and the run's provenance. The list of runs says, for each run, which headline results changed
against the run before it, read from the result tables the pipeline saved (``figures/*/results/*.json``), not
from the HTML.

Examples
--------
>>> from krihs_analysis.reports.index import headline_changes
>>> old = {"qca": [{"model": "A*B", "consistency": 0.91, "coverage": 0.6}]}
>>> new = {"qca": [{"model": "A*C", "consistency": 0.91, "coverage": 0.6}]}
>>> headline_changes(old, new, lang="en")
['QCA solution: A*B → A*C']
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any, Mapping

from .._format import fmt_num, fmt_p
from ..codebook import LANGS, load_codebook
from ..wording import phrase, phrases

_e = html.escape
#: How each language breaks lines, on every page a run writes (front pages, exported notebooks and PDFs, case
#: cards; the brief's own stylesheet says the same): Korean between words (the browser's default broke 스물여섯 after
#: its first syllable), Japanese with the strict rules for small kana and closing brackets, and its headings and
#: table headers between phrases. It reads <html lang>.
LINE_BREAKING_CSS = ("html:lang(ko) body { word-break: keep-all; line-break: strict; }\n"
                     "html:lang(ja) body { line-break: strict; }\n"
                     # headings and table cells between phrases (役|割, 山形県川|西町 broke mid-word), as the
                     # brief's do
                     ":is(h1, h2, h3, th, td):lang(ja) { word-break: auto-phrase; }\n")
#: The fonts of the run's own pages (front pages, case cards): a Japanese page in the Japanese cut of Noto Sans CJK.
#: Listed Korean first for every page, a Japanese page drew its kanji (所, 連, 述) in their Korean forms.
CJK_FONT_CSS = ('body { font-family: "Noto Sans CJK KR", "Noto Sans CJK JP", "NanumGothic", "IPAGothic", sans-serif; }\n'
                'html:lang(ja) body { font-family: "Noto Sans CJK JP", "IPAGothic", "Noto Sans CJK KR", sans-serif; }\n')
STYLE = CJK_FONT_CSS + """body{color:#222;margin:1.5rem;line-height:1.4}
table{border-collapse:collapse;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;
vertical-align:top}.ok{color:#1a7f37}.failed{color:#b00020;font-weight:600}.reused{color:#555}img{height:64px;
margin:2px;border:1px solid #eee}.langs a,.langs strong{margin-right:.6rem}code{font-size:.85em}
.banner{background:#fff4e5;border:1px solid #e69f00;padding:.35rem .6rem;font-size:.9rem}.tag{color:#8a5a00}
.nw{white-space:nowrap}th{white-space:nowrap}code.slug{color:#666;font-size:.75rem}
.rl{color:#555;font-size:.8rem;border:1px solid #ccc;border-radius:3px;padding:0 .25rem;white-space:nowrap}
""" + LINE_BREAKING_CSS


_HEADING = re.compile(r"^#*\s*(\d{2}) · (.+)$")


def notebook_title(heading: str, *, lang: str = "en") -> str | None:
    """A project notebook's title in `lang`, ``"NN · title"`` (``nbNN_title`` of ``locale/notebooks.yaml``).

    Parameters
    ----------
    heading
        The notebook's first heading, which gives the title in every language
        (``# 02 · Korea–Japan comparison · 한일 비교 · 日韓比較``).
    lang
        One of :data:`krihs_analysis.codebook.LANGS`.

    Returns
    -------
    str or None
        None for a heading that is not a project notebook's (one of the user's own, even numbered alike): the
        caller keeps what it has.

    Examples
    --------
    >>> notebook_title("# 02 · Korea–Japan comparison · 한일 비교 · 日韓比較", lang="ko")
    '02 · 한일 비교'
    >>> notebook_title("# 02 · Korea–Japan comparison of our own cities", lang="en") is None
    True
    """
    from ..codebook import check_lang

    check_lang(lang)
    m = _HEADING.match(heading.strip()) if isinstance(heading, str) else None
    entry = phrases("notebooks").get(f"nb{m.group(1)}_title") if m else None
    # the project's heading exactly (tests/test_notebooks.py keeps each so): a notebook of the user's own that took
    # a number and even the words of one of ours ("Korea–Japan comparison of our own cities") keeps its heading
    if not entry or m.group(2).strip() != " · ".join(entry[x] for x in LANGS):
        return None
    return f"{m.group(1)} · {entry[lang]}"


def first_heading(notebook: str | Path) -> str | None:
    """The first level-1 Markdown heading of a notebook file.

    Parameters
    ----------
    notebook
        The path of an ``.ipynb`` file.

    Returns
    -------
    str or None
        The heading's line, ``#`` included; None when the notebook has none, or the file cannot be read as a
        notebook (a run's record can outlive its notebook).

    Examples
    --------
    >>> from krihs_analysis import paths
    >>> first_heading(paths.NOTEBOOKS / "02_korea_japan_comparison.ipynb")
    '# 02 · Korea–Japan comparison · 한일 비교 · 日韓比較'
    """
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    at = _heading_at(cells)
    return at[2] if at else None


def _heading_at(cells: list) -> tuple[int, int, str] | None:
    """Where a notebook's first level-1 Markdown heading is: its cell, its line in that cell, and the line.

    Examples
    --------
    >>> _heading_at([{"cell_type": "code", "source": "# a comment"},
    ...             {"cell_type": "markdown", "source": "Intro\\n# 02 · Title"}])
    (1, 1, '# 02 · Title')
    """
    return next(((k, i, line) for k, cell in enumerate(cells)
                 if isinstance(cell, dict) and cell.get("cell_type") == "markdown"
                 for i, line in enumerate("".join(cell.get("source", "")).splitlines()) if line.startswith("# ")),
                None)


def _when(started: Any) -> str:
    """A run's start as people read it, ``2026-12-03 14:55 UTC`` (run.json keeps the ISO time)."""
    from datetime import datetime, timezone

    try:
        t = datetime.fromisoformat(str(started)).astimezone(timezone.utc)
    except ValueError:
        return str(started or "–")
    return t.strftime("%Y-%m-%d %H:%M UTC")


def _summary(s: Mapping[str, Any], lang: str) -> str:
    """A run's counts in words: "all 16 ok (0 reused)" when every run succeeded ("16 of 16 ok, 0 failed" read as
    a count that happened to be full), else "14 of 16 ok, 2 failed, 0 reused"."""
    counts = {k: s.get(k, 0) for k in ("ok", "total", "failed", "reused")}
    every = counts["ok"] == counts["total"] > 0
    return phrase("reports", "summary_all" if every else "summary", lang, **counts)


def _page_name(lang: str) -> str:
    return "index.html" if lang == "en" else f"index.{lang}.html"


def language_links(lang: str, hrefs: Mapping[str, str]) -> str:
    """The line that switches a page to its translations: every language of `hrefs` named in itself (as
    switchers do), this page's in bold, the others linked.

    Examples
    --------
    >>> language_links("ko", {"en": "a.html", "ko": "b.html"})
    '<p class="langs">언어: <a href="a.html" hreflang="en" lang="en">English</a> <strong lang="ko">한국어</strong></p>'
    """
    name = lambda x: _e(phrase("reports", "autonym", x))  # noqa: E731
    links = [f'<a href="{_e(href)}" hreflang="{x}" lang="{x}">{name(x)}</a>' if x != lang
             else f'<strong lang="{x}">{name(x)}</strong>' for x, href in hrefs.items()]
    line = phrase("common", "label_value", lang, label=_e(phrase("reports", "languages", lang)), value=" ".join(links))
    return f'<p class="langs">{line}</p>'


def _langs_bar(lang: str) -> str:
    return language_links(lang, {x: _page_name(x) for x in LANGS})


def _page(lang: str, title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            # a phone shows the page at its own width (the cards' pages said so; the front pages did not)
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
            f"<style>{STYLE}</style></head>\n<body>\n{_langs_bar(lang)}<h1>{_e(title)}</h1>\n{body}\n</body></html>\n")


def _status_cell(rec: Mapping[str, Any], lang: str) -> str:
    if rec.get("reused_from"):
        return f'<span class="reused">{_e(phrase("reports", "status_reused", lang, run=rec["reused_from"]))}</span>'
    if rec.get("status") == "ok":
        return f'<span class="ok">{_e(phrase("reports", "status_ok", lang))}</span>'
    err = rec.get("error") or {}
    cell = err.get("cell_index")
    text = phrase("reports", "failed_cell", lang, cell=cell) if cell is not None else phrase(
        "reports", "status_failed", lang)
    return f'<span class="failed" title="{_e(err.get("message", ""))}">{_e(text)}</span>'


#: Thumbnails per run on the front page; the rest are counted and linked ("+3 more").
MAX_THUMBS = 6


def _link(path: str, label: str, *, whole: bool = True) -> str:
    # an output's name is kept on one line (a narrow column broke ノート|ブック|（HTML）); a figure's longer name
    # (whole=False) may break between its words
    nowrap = ' class="nw"' if whole else ""
    return f'<a href="{_e(path)}" title="{_e(Path(path).name)}"{nowrap}>{_e(label)}</a>'


def _figure_alt_texts(run_dir: Path) -> dict[str, str]:
    """Each figure PNG of a run (its path in the run) with the alt text its manifest gives it (figures.json)."""
    import json

    alts = {}
    for manifest in sorted(Path(run_dir).glob("figures/*/figures.json")):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # a manifest that cannot be read leaves its thumbnails named by file
            continue
        entries = data.get("figures") if isinstance(data, dict) else None
        for entry in (entries.values() if isinstance(entries, dict) else ()):
            if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict):
                continue
            png = entry["files"].get("png")
            if png and entry.get("alt_text"):
                alts[f"figures/{manifest.parent.name}/{png}"] = str(entry["alt_text"])
    return alts


def _output_links(rec: Mapping[str, Any], lang: str = "en", *,
                  alts: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """The cell of a run's outputs, by kind and in the page's language (each file's name shows on hover), and
    its figure thumbnails (described by `alts`, output path -> alt text, where the figures' manifest has one)."""
    p = lambda key, **kw: phrase("reports", key, lang, **kw)  # noqa: E731
    # The file names said the same thing three times ("02_korea_japan_comparison_ko.html ·
    # 02_korea_japan_comparison_ko.brief.html · ..."): what a reader looks for is the kind of page.
    kinds = {"reader": [], "full": [], "pdf": [], "ipynb": [], "cards": []}
    figure_pdfs, thumbs, hidden = [], [], []
    for o in rec.get("outputs", []):
        name = Path(o).name
        if o.startswith("cards/"):
            if name == "index.html" and o.count("/") == 2:
                kinds["cards"].append(_link(o, p("cards")))
        elif o.endswith(".brief.html"):
            kinds["reader"].append(_link(o, p("out_reader")))
        elif o.endswith(".html"):
            kinds["full"].append(_link(o, p("out_full")))
        elif o.endswith(".ipynb"):
            kinds["ipynb"].append(_link(o, p("out_ipynb")))
        elif o.endswith(".pdf"):
            if o.startswith("figures/"):  # fiscal_context_ko.pdf -> fiscal_context -> its name in the page's language
                stem = Path(o).stem
                figure = stem.rsplit("_", 1)[0] if stem.endswith(tuple(f"_{x}" for x in LANGS)) else stem
                named = f"name_{figure}" in phrases("figures")
                figure_pdfs.append(_link(o, phrase("figures", f"name_{figure}", lang) if named else figure,
                                         whole=False))
            else:
                kinds["pdf"].append(_link(o, p("out_pdf")))
        elif o.endswith(".png") and o.startswith("figures/"):
            if len(thumbs) < MAX_THUMBS:
                # a screen reader read "fiscal_context_en.png": the figure's own description, from its manifest
                alt = (alts or {}).get(o, name)
                thumbs.append(f'<a href="{_e(o)}"><img src="{_e(o)}" alt="{_e(alt)}" loading="lazy"></a>')
            else:
                hidden.append(o)
    if hidden:  # the brief's figures run has nine: three were left out without a word
        # to the run's full page, which shows every figure (else the first one left out)
        page = next((o for o in rec.get("outputs", []) if o.endswith(".html") and not o.endswith(".brief.html")
                     and not o.startswith("cards/")), hidden[0])
        thumbs.append(f'<a class="more" href="{_e(page)}">{_e(p("more_figures", n=len(hidden)))}</a>')
    cell = " · ".join(link for kind in ("reader", "cards", "full", "pdf", "ipynb") for link in kinds[kind])
    if figure_pdfs:
        cell += f'<br><span class="tag">{_e(p("out_figures"))}</span> ' + " · ".join(figure_pdfs)
    return cell, thumbs


def _notebook_order(item: tuple[Mapping[str, Any], str | None]) -> int:
    """Runs in the order of their notebooks' numbers (the report set's order within one notebook; sorted() is
    stable): reports.yaml lists the case cards (10) before the brief (06)."""
    m = re.match(r"(\d+)_", Path(str(item[0].get("notebook") or "")).name)
    return int(m.group(1)) if m else 10**6


def _run_cell(rec: Mapping[str, Any], lang: str, heading: str | None) -> str:
    """A run's notebook title in the page's language (from the notebook's first `heading`) and the language the
    run was made in; its name (what ``--only`` takes) below."""
    title = notebook_title(heading, lang=lang) if heading else None
    run_lang = (rec.get("parameters") or {}).get("lang")
    if title is None:  # a notebook of the user's own: its run name says what it is
        return _e(rec["name"])
    made_in = (f' <span class="rl" lang="{run_lang}">{_e(phrase("reports", "autonym", run_lang))}</span>'
               if run_lang in LANGS else "")
    return f'{_e(title)}{made_in}<br><code class="slug">{_e(rec["name"])}</code>'


def write_run_index(run_dir: Path, meta: Mapping[str, Any]) -> list[Path]:
    """Write ``index.html`` (en), ``index.ko.html`` and ``index.ja.html`` of one run folder."""
    from .._io import write_atomic

    written = []
    s = meta.get("summary", {})
    alts = _figure_alt_texts(run_dir)
    headings = [first_heading(rec["notebook"]) if rec.get("notebook") else None for rec in meta.get("runs", [])]
    for lang in LANGS:
        p = lambda key, **kw: phrase("reports", key, lang, **kw)  # noqa: E731
        rows = [f"<tr><th>{_e(p('run'))}</th><th>{_e(p('status'))}</th><th>{_e(p('duration'))}</th>"
                f"<th>{_e(p('outputs'))}</th><th>{_e(p('figures'))}</th></tr>"]
        for rec, heading in sorted(zip(meta.get("runs", []), headings, strict=True), key=_notebook_order):
            links, thumbs = _output_links(rec, lang, alts=alts)
            dur = rec.get("duration_s")
            # Korean and Japanese words break between any two characters: without nowrap a wide thumbnail column
            # squeezed the status and duration to one character a line ("成/功", "8.9/秒").
            rows.append(f"<tr><td>{_run_cell(rec, lang, heading)}</td><td class=\"nw\">{_status_cell(rec, lang)}</td>"
                        f"<td class=\"nw\">{_e(p('seconds', s=fmt_num(dur, digits=1))) if dur is not None else '–'}</td>"
                        f"<td>{links}</td><td>{''.join(thumbs)}</td></tr>")
        git = meta.get("git") or {}
        prov = [(p("run_id"), meta.get("run_id")), (p("started"), meta.get("started")), (p("duration"), p("seconds", s=fmt_num(meta.get("duration_s"), digits=1))),
                (p("commit"), f"{git.get('commit') or '–'}{p('commit_dirty') if git.get('dirty') else ''}"),
                (p("package"), f"{meta.get('package_version')} · {p('source_sha256')} "
                               f"{(meta.get('package_source_sha256') or '')[:12]} · Python {meta.get('python')}")]
        prov += [(p("inputs"), f"{Path(k).name}: {(v or '–')[:16]}") for k, v in meta.get("inputs_sha256", {}).items()]
        # a run on illustrative cases says so first, as each of its figures and its brief do
        banner = (f'<p class="banner">{_e(load_codebook().notice("illustrative", lang))}</p>'
                  if meta.get("illustrative_inputs") else "")
        body = (banner + f"<p>{_e(_summary(s, lang))}</p>"
                f"<table>{''.join(rows)}</table>\n<h2>{_e(p('provenance'))}</h2><table>"
                + "".join(f"<tr><th>{_e(k)}</th><td><code>{_e(str(v))}</code></td></tr>" for k, v in prov)
                + "</table>")
        written.append(write_atomic(run_dir / _page_name(lang),
                                    _page(lang, p("run_title", when=_when(meta.get("started")) if meta.get("started")
                                              else meta.get("run_id")), body)))
    return written


# --------------------------------------------------------------------------------------------------------------
# The list of runs, with what changed


def saved_results(run_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The headline tables a run saved (comparison, association, qca), as row dicts; {} when none."""
    folders = sorted(Path(run_dir).glob("figures/*/results"))
    folders.sort(key=lambda f: (not f.parent.name.endswith("_en"), f.parent.name))  # one language suffices
    for folder in folders:
        out = {}
        for name in ("comparison", "association", "qca"):
            f = folder / f"{name}.json"
            try:
                out[name] = json.loads(f.read_text(encoding="utf-8"))["data"]
            except (OSError, ValueError, KeyError):
                continue
        if out:
            return out
    return {}


def headline_changes(old: Mapping[str, list], new: Mapping[str, list], *, lang: str) -> list[str]:
    """Which headline results differ, as they print (a change beyond the printed digits counts, no less)."""
    from ..codebook import load_codebook

    cb = load_codebook()

    def label(v: str) -> str:
        return cb[v].label(lang) if v in cb else v

    changes = []
    o = {r.get("variable"): r for r in old.get("comparison", [])}
    for r in new.get("comparison", []):
        v, before = r.get("variable"), o.get(r.get("variable"))
        if before is None:
            continue
        d0, d1 = fmt_num(before.get("cliffs_delta")), fmt_num(r.get("cliffs_delta"))
        p0, p1 = fmt_p(before.get("p_holm")), fmt_p(r.get("p_holm"))
        if (d0, p0) != (d1, p1):
            changes.append(f"{label(v)}: Cliff's δ {d0} → {d1}, Holm {p0} → {p1}")
    oa = {(r.get("x"), r.get("y"), r.get("method")): r for r in old.get("association", [])}
    for r in new.get("association", []):
        before = oa.get((r.get("x"), r.get("y"), r.get("method")))
        if before is None:
            continue
        s0, s1 = fmt_num(before.get("statistic")), fmt_num(r.get("statistic"))
        p0, p1 = fmt_p(before.get("p_value")), fmt_p(r.get("p_value"))
        if (s0, p0) != (s1, p1):
            changes.append(f"{label(r.get('x'))} ~ {label(r.get('y'))}: {r.get('method')} {s0} → {s1}, {p0} → {p1}")
    m0 = " + ".join(str(r.get("model")) for r in old.get("qca", []))
    m1 = " + ".join(str(r.get("model")) for r in new.get("qca", []))
    if old.get("qca") is not None and new.get("qca") is not None:
        if m0 != m1:
            changes.append(f"QCA solution: {m0} → {m1}")
        else:
            for a, b in zip(old["qca"], new["qca"]):
                c0, c1 = fmt_num(a.get("consistency")), fmt_num(b.get("consistency"))
                v0, v1 = fmt_num(a.get("coverage")), fmt_num(b.get("coverage"))
                if (c0, v0) != (c1, v1):
                    changes.append(f"QCA {b.get('model')}: consistency {c0} → {c1}, coverage {v0} → {v1}")
    return changes


def write_root_index(root: Path) -> list[Path]:
    """Write ``reports/index.html`` (and ``.ko``/``.ja``): every run, newest first, with its changes."""
    from .._io import write_atomic
    from .store import latest_run, list_runs, read_meta

    runs = list_runs(root)
    latest = latest_run(root)
    metas = [(r, read_meta(r) or {}) for r in runs]
    results = [saved_results(r) for r, _ in metas]
    written = []
    for lang in LANGS:
        p = lambda key, **kw: phrase("reports", key, lang, **kw)  # noqa: E731
        rows = [f"<tr><th>{_e(p('run'))}</th><th>{_e(p('status'))}</th><th>{_e(p('started'))}</th>"
                f"<th>{_e(p('duration'))}</th><th>{_e(p('changes'))}</th></tr>"]
        prev: dict | None = None
        lines: list[str] = []
        for (run, meta), res in zip(metas, results):
            if not res:
                change = _e(p("no_results"))
            elif prev is None:
                change = _e(p("no_previous"))
            else:
                diff = headline_changes(prev, res, lang=lang)
                change = "<br>".join(_e(d) for d in diff) if diff else _e(p("no_changes"))
            if res:
                prev = res
            status = meta.get("status", "?")
            cls = "ok" if status == "ok" else "failed"
            tag = f" ({_e(p('latest'))})" if latest is not None and latest.name == run.name else ""
            if meta.get("illustrative_inputs"):
                tag += f' <span class="tag">({_e(phrase("common", "illustrative_short", lang))})</span>'
            summary = _summary(meta.get("summary", {}), lang)
            dur = meta.get("duration_s")
            lines.append(f'<tr><td><a href="{_e(run.name)}/{_page_name(lang)}">{_e(run.name)}</a>{tag}</td>'
                         f'<td class="{cls}">{_e(summary)}</td><td class="nw">{_e(_when(meta.get("started")))}</td>'
                         f"<td class=\"nw\">{_e(p('seconds', s=fmt_num(dur, digits=1))) if dur is not None else '–'}</td>"
                         f"<td>{change}</td></tr>")
        rows.extend(reversed(lines))
        written.append(write_atomic(root / _page_name(lang), _page(lang, p("runs_title"),
                                                                   f"<table>{''.join(rows)}</table>")))
    return written
