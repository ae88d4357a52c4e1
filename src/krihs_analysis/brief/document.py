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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..codebook import load_codebook
from .._io import write_atomic
from ..data import read_context
from .text import check_brief_lang

DEFAULT_METADATA = paths.ROOT / "brief.yaml"
# The brief's text fonts, in CSS order. TrueType CJK fonts first: Chromium embeds them as named CID fonts in the
# PDF (Noto CJK's CFF outlines become unnamed Type 3 fonts); Noto CJK stays as the screen fallback.
FONT_FAMILIES = ("NanumGothic", "IPAGothic", "Noto Sans CJK KR", "Noto Sans CJK JP", "DejaVu Sans")

_WORDS = {
    "en": {
        "summary": "Summary",
        "figure": "Figure",
        "source": "Source",
        "context": "Context: published statistics",
        "appendix": "Appendix: where each finding comes from",
        "finding": "Finding",
        "result": "Result",
        "key": "Key",
        "evidence": "Evidence",
        "weak": "weak",
        "supported": "supported by the test",
        "descriptive": "descriptive",
        "rmo": "Regional management organisations in Japan (MIC survey)",
        "fiscal": "Fiscal indicators of the Japanese case municipalities, FY2021",
        "year": "Survey year", "orgs": "Organisations", "munis": "Municipalities",
        "muni": "Municipality", "fs": "Fiscal strength index", "cb": "Current balance ratio (%)",
    },
    "ko": {
        "summary": "요약",
        "figure": "그림",
        "source": "자료",
        "context": "참고: 공표 통계",
        "appendix": "부록: 각 결과의 근거",
        "finding": "결과",
        "result": "분석",
        "key": "항목",
        "evidence": "근거",
        "weak": "약함",
        "supported": "검정으로 뒷받침됨",
        "descriptive": "기술통계",
        "rmo": "일본 지역운영조직 현황 (총무성 조사)",
        "fiscal": "일본 사례 지자체의 재정지표 (2021 회계연도)",
        "year": "조사 연도", "orgs": "조직 수", "munis": "시정촌 수",
        "muni": "지자체", "fs": "재정력지수", "cb": "경상수지비율 (%)",
    },
}


def words(lang: str) -> Mapping[str, str]:
    """The brief's fixed words in `lang` (ko or en)."""
    return _WORDS[check_brief_lang(lang)]


def load_metadata(path: str | Path | None = None) -> dict[str, Any]:
    """Read the brief's title and issuer block (``brief.yaml`` at the project root by default).

    Examples
    --------
    >>> load_metadata()["number"]
    '736-R'
    """
    import yaml

    p = Path(path) if path is not None else DEFAULT_METADATA
    if not p.is_file():
        raise FileNotFoundError(f"brief metadata file not found: {p}")
    with open(p, encoding="utf-8") as fh:
        meta = yaml.safe_load(fh)
    missing = [k for k in ("number", "issuer", "title", "authors") if k not in meta]
    if missing:
        raise ValueError(f"{p.name}: missing keys {missing}")
    return meta


def _pick(value: Any, lang: str) -> str:
    return str(value.get(lang, value.get("en", ""))) if isinstance(value, Mapping) else str(value)


CSS = """
<style>
@page { size: A4; margin: 16mm 15mm 16mm 15mm; }
.kb { font-family: FONTS, sans-serif;
      color: #1b1b1b; font-size: 10.5pt; line-height: 1.55; max-width: 180mm; margin: 0 auto; }
.kb h1 { font-size: 19pt; line-height: 1.3; margin: 4mm 0 2mm 0; color: #0b3c5d; }
.kb h2 { font-size: 13pt; margin: 6mm 0 2mm 0; color: #0b3c5d; border-bottom: 1.5px solid #0b3c5d;
         padding-bottom: 1mm; break-after: avoid; }
.kb .issuer { font-size: 9pt; color: #555; border-top: 4px solid #0b3c5d; padding-top: 2mm; }
.kb .authors { font-size: 9.5pt; color: #333; margin-bottom: 3mm; }
.kb .summary { background: #eef3f8; border-left: 5px solid #0b3c5d; padding: 3mm 5mm; margin: 3mm 0;
               break-inside: avoid; }
.kb .summary ol { margin: 1mm 0 0 0; padding-left: 6mm; }
.kb .summary li { margin-bottom: 1.5mm; }
.kb .weak { color: #6b4e00; }
.kb figure { margin: 3mm 0; break-inside: avoid; text-align: center; }
.kb figure img { max-width: 100%; height: auto; }
.kb figcaption { font-size: 9.5pt; text-align: left; }
.kb .srcnote { font-size: 8.5pt; color: #555; text-align: left; }
.kb .context { border: 1px solid #9bb3c9; padding: 2mm 4mm; margin: 3mm 0; font-size: 9pt; break-inside: avoid; }
.kb table { border-collapse: collapse; font-size: 8.5pt; margin: 1mm 0; }
/* Jupyter's output CSS right-aligns table cells; names read better left-aligned. */
.kb td:first-child, .kb th:first-child, .kb table.appendix td { text-align: left !important; }
.kb table.appendix { table-layout: fixed; width: 100%; }
.kb table.appendix td { overflow-wrap: anywhere; }
.kb th, .kb td { border-bottom: 1px solid #ccd; padding: 0.6mm 2mm; text-align: left; vertical-align: top; }
.kb-illustrative { position: fixed; top: 0; right: 0; font: bold 8pt FONTS, sans-serif;
                   color: #a40000; border: 1px solid #a40000; padding: 0.5mm 2mm; background: #fff; z-index: 10; }
.kb .banner { color: #a40000; font-weight: bold; border: 1px solid #a40000; padding: 1mm 3mm; margin: 2mm 0; }
@media print { .jp-OutputPrompt, .jp-InputPrompt { display: none !important; } }
</style>
""".replace("FONTS", ", ".join(f'"{f}"' for f in FONT_FAMILIES))


def title_block(meta: Mapping[str, Any], *, lang: str, illustrative: bool) -> str:
    """The issuer line, title, authors and (on the sample) the illustrative banner and page mark."""
    notice = html.escape(load_codebook().notice("illustrative", lang))
    mark = (f'<div class="kb-illustrative">{notice}</div><div class="banner">{notice}</div>') if illustrative else ""
    authors = ", ".join(_pick(a, lang) for a in meta["authors"])
    return (
        f'{CSS}<div class="kb">{mark}'
        f'<div class="issuer">{html.escape(_pick(meta["series"], lang)) if "series" in meta else ""} • '
        f'No. {html.escape(str(meta["number"]))} • {html.escape(_pick(meta["issuer"], lang))}'
        f'{" • " + html.escape(str(meta["date"])) if meta.get("date") else ""}</div>'
        f'<h1>{html.escape(_pick(meta["title"], lang))}</h1>'
        f'<div class="authors">{html.escape(authors)}</div></div>'
    )


def summary_box(findings: pd.DataFrame, *, lang: str) -> str:
    """The numbered findings in a box; weak findings are marked."""
    w = words(lang)
    weak_attr = ' class="weak"'
    items = "".join(
        f"<li{weak_attr if row.weak else ''}>{html.escape(row.text)}</li>" for row in findings.itertuples()
    )
    return f'<div class="kb"><div class="summary"><b>{w["summary"]}</b><ol>{items}</ol></div></div>'


def section(title: str, paragraphs: list[str] | str) -> str:
    """A numbered-section heading with paragraphs (plain text, escaped)."""
    paras = [paragraphs] if isinstance(paragraphs, str) else paragraphs
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f'<div class="kb"><h2>{html.escape(title)}</h2>{body}</div>'


def figure_block(fig: Any, *, number: int, caption: str, lang: str, dpi: int = 170) -> str:
    """A numbered figure (a matplotlib Figure, embedded as PNG at its own printed width) with its caption.

    The figure carries its source note (and the illustrative-data note) itself, so none is repeated here.
    """
    buf = io.BytesIO()
    # "tight" keeps direct labels that reach the edge; the printed width follows the cropped image.
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.04, metadata={"Software": None})
    from PIL import Image

    width_mm = Image.open(io.BytesIO(buf.getvalue())).size[0] / dpi * 25.4
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    w = words(lang)
    return (
        f'<div class="kb"><figure><figcaption><b>{w["figure"]} {number}.</b> {html.escape(caption)}</figcaption>'
        f'<img src="data:image/png;base64,{data}" style="width:{width_mm:.0f}mm" alt="{html.escape(caption)}"/>'
        f'</figure></div>'
    )


def _table_html(frame: pd.DataFrame, *, css_class: str = "", widths: tuple[int, ...] = ()) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
                   for r in frame.itertuples(index=False))
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}>{'<colgroup>' + cols + '</colgroup>' if cols else ''}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def context_box(*, lang: str) -> str:
    """The context box: the MIC survey of regional management organisations and the FY2021 fiscal indicators
    of the Japanese case municipalities (real published figures, with their sources)."""
    w = words(lang)
    rmo = read_context("rmo_survey")
    t1 = pd.DataFrame({w["year"]: rmo["fiscal_year_label"], w["orgs"]: rmo["organisations"].map("{:,}".format),
                       w["munis"]: rmo["municipalities"]})
    fiscal = read_context("jp_fiscal_fy2021")
    t2 = pd.DataFrame({w["muni"]: fiscal["prefecture"] + " " + fiscal["municipality"],
                       w["fs"]: fiscal["fiscal_strength_index"].map("{:.2f}".format),
                       w["cb"]: fiscal["current_balance_ratio_pct"].map("{:.1f}".format)})
    return (
        f'<div class="kb"><div class="context"><b>{w["context"]}</b>'
        f'<div>{html.escape(w["rmo"])}</div>{_table_html(t1)}'
        f'<div class="srcnote">{w["source"]}: {html.escape(rmo.attrs["source"][lang])}</div>'
        f'<div style="margin-top:2mm">{html.escape(w["fiscal"])}</div>{_table_html(t2)}'
        f'<div class="srcnote">{w["source"]}: {html.escape(fiscal.attrs["source"][lang])}</div></div></div>'
    )


def appendix(findings: pd.DataFrame, *, lang: str) -> str:
    """The appendix table: each finding with the result it came from."""
    w = words(lang)
    frame = pd.DataFrame({
        "#": findings["number"],
        w["finding"]: findings["text"],
        w["result"]: findings["result"],
        w["key"]: findings["key"],
        w["evidence"]: findings["evidence"].map(w),
    })
    table = _table_html(frame, css_class="appendix", widths=(4, 58, 13, 15, 10))
    return f'<div class="kb"><h2>{w["appendix"]}</h2>{table}</div>'


def save_results(results: Mapping[str, pd.DataFrame], out_dir: str | Path) -> Path:
    """Write named result tables as JSON (one file each, atomically) so a brief can be rebuilt from a run."""
    out = Path(out_dir)
    for name, frame in results.items():
        write_atomic(out / f"{name}.json", frame.to_json(orient="table", index=False, force_ascii=False, indent=1))
    return out


def load_results(results_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables written by :func:`save_results`."""
    folder = Path(results_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"results folder not found: {folder}")
    out = {}
    for p in sorted(folder.glob("*.json")):
        out[p.stem] = pd.read_json(io.StringIO(p.read_text(encoding="utf-8")), orient="table")
    return out
