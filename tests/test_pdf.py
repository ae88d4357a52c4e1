"""PDF printing: running header band and page numbers, checked on the printed PDF's word boxes (poppler)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from krihs_analysis import pdf
from krihs_analysis.pdf import FLAGS, find_chromium, glyph_box, layout_problems, print_pdf, running_texts, word_boxes

needs_pdf = pytest.mark.skipif(find_chromium() is None or shutil.which("pdftotext") is None,
                               reason="Chromium and poppler-utils are installed by `make setup`")

BANNER = "Illustrative data: not real cases"
LONG = "".join(f"<h2>Section {i}</h2>" + "<p>Words of ordinary running text in a paragraph.</p>" * 12
               for i in range(6))


def test_running_texts_takes_the_first_header_and_footer_named_by_the_page():
    html = ('<div data-running-header="A &amp; B"></div><div data-running-header="later"></div>'
            '<div data-running-footer="Brief No. 1"></div>')
    assert running_texts(html) == {"header": "A & B", "footer": "Brief No. 1"}


def test_a_full_width_word_box_is_narrowed_to_its_glyphs_and_a_latin_one_is_kept():
    assert glyph_box({"word": "例示", "x0": 0.0, "x1": 20.0, "y0": 0.0, "y1": 26.0}) == (7.0, 19.0)
    assert glyph_box({"word": "Figure", "x0": 0.0, "x1": 20.0, "y0": 3.0, "y1": 12.0}) == (3.0, 12.0)


@needs_pdf
def test_every_page_has_its_number_and_the_banner_has_its_band_to_itself(tmp_path):
    pdf = print_pdf(LONG, tmp_path / "ok.pdf", header=BANNER, footer="Series No. 1")
    words = word_boxes(pdf)
    assert words[0]["pages"] >= 3
    assert layout_problems(pdf, banner=BANNER) == []


@needs_pdf
def test_the_header_named_in_the_html_is_printed_on_every_page(tmp_path):
    pdf = print_pdf(f'<div hidden data-running-header="{BANNER}"></div>{LONG}', tmp_path / "named.pdf")
    assert layout_problems(pdf, banner=BANNER) == []


@needs_pdf
def test_a_plain_chromium_print_with_a_fixed_banner_fails_the_check(tmp_path):
    # What the brief used to be: `chromium --print-to-pdf`, a position: fixed banner drawn over the content and
    # no page numbers. The check must see both.
    src = tmp_path / "old.html"
    src.write_text(f'<div style="position: fixed; top: 0; right: 0">{BANNER}</div>'
                   f'<div style="margin-top: 0">{LONG}</div>', encoding="utf-8")
    out = tmp_path / "old.pdf"
    flags = [f for f in FLAGS if f != "--remote-debugging-pipe"]
    subprocess.run([find_chromium(), *flags, "--no-pdf-header-footer", f"--user-data-dir={tmp_path}/profile",
                    f"--print-to-pdf={out}", src.as_uri()], capture_output=True, timeout=120, check=True)
    problems = layout_problems(out, banner=BANNER)
    assert any("lacks its number" in p for p in problems)
    assert any("shares the banner's band" in p or "not only the banner" in p for p in problems)


@needs_pdf
def test_content_printed_into_the_banner_band_is_reported(tmp_path):
    # A page whose own margin is smaller than the band: its first line runs through the running header.
    html = "<style>@page { margin: 9mm 15mm 16mm 15mm; }</style>" + LONG
    pdf = print_pdf(html, tmp_path / "tight.pdf", header=BANNER)
    assert any("banner" in p for p in layout_problems(pdf, banner=BANNER))


# --- the fit pass (print_pdf(fit_figures=...)): measured on the printed PDF, not on the pass's own numbers ---------

def _png(width: int, height: int) -> str:
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (width, height), 90).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _page(figure_mm: float, *, marker: bool = False, after: str = "") -> str:
    """A page of nbconvert's shape: blocks inside scroll containers (overflow: auto / hidden, as its output areas
    are), a 140 mm block of text, then a figure whose image is `figure_mm` wide and 1.2 times as tall."""
    kb = '<div class="kb">{}</div>'
    blocks = [kb.format('<div data-keep style="height:140mm;background:#bbb"></div>'),
              kb.format(f'<figure style="margin:0;break-inside:avoid"><figcaption>Figure 1. A figure</figcaption>'
                        f'<img src="data:image/png;base64,{_png(100, 120)}" style="width:{figure_mm}mm"></figure>')]
    if after:
        blocks.append(kb.format(f"<p>{after}</p>"))
    cells = "".join(f'<div style="overflow-y:auto"><div style="overflow:hidden">{b}</div></div>' for b in blocks)
    return ("<style>@page { size: A4; margin: 17mm 15mm 16mm 15mm; } body { margin: 0; }</style>"
            + ('<div hidden data-print-fit></div>' if marker else "") + f'<div style="overflow:auto">{cells}</div>')


def _pages_of(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_pdf
def test_a_figure_that_nearly_fits_is_scaled_onto_the_page_instead_of_leaving_it_half_empty(tmp_path):
    from krihs_analysis.pdf import page_fill

    # 140 mm of text + caption + a 144 mm tall figure overflow the 264 mm text area by about 25 mm.
    plain = print_pdf(_page(120), tmp_path / "plain.pdf", fit_figures=False)
    assert _pages_of(plain) == 2 and page_fill(plain)[0] < 0.6  # the figure was pushed: page 1 is half empty
    fitted = print_pdf(_page(120, marker=True), tmp_path / "fitted.pdf")  # the page asks for the pass
    assert _pages_of(fitted) == 1 and page_fill(fitted)[0] > 0.9
    assert layout_problems(fitted) == []


@needs_pdf
def test_a_figure_too_tall_to_scale_lets_the_text_after_it_fill_the_gap(tmp_path):
    # A 180 mm tall figure would need less than 0.7 of its size to fit the 120 mm left: the text after it floats up.
    words = "FLOATED words of a short paragraph after the figure."
    plain = print_pdf(_page(150, after=words), tmp_path / "plain.pdf", fit_figures=False)
    fitted = print_pdf(_page(150, after=words), tmp_path / "fitted.pdf", fit_figures=True)
    page_of = lambda pdf: next(w["page"] for w in word_boxes(pdf) if w["word"] == "FLOATED")  # noqa: E731
    assert page_of(plain) == 2 and page_of(fitted) == 1
    assert _pages_of(fitted) == 2  # the figure itself is printed whole on the next page, not shrunk


@needs_pdf
def test_the_fit_pass_leaves_a_page_that_already_fits_unchanged(tmp_path):
    from krihs_analysis.pdf import page_fill

    plain = print_pdf(_page(60), tmp_path / "plain.pdf", fit_figures=False)
    fitted = print_pdf(_page(60), tmp_path / "fitted.pdf", fit_figures=True)
    assert _pages_of(plain) == _pages_of(fitted) == 1
    assert page_fill(plain) == pytest.approx(page_fill(fitted), abs=0.01)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda p: pdf.print_pdf("/nope/page.html", p), FileNotFoundError, "HTML file not found: /nope/page.html"),
    (lambda p: pdf.print_pdf(5, p), ValueError, "html must be HTML markup"),
    (lambda p: pdf.print_pdf("<p>x</p>", p, header=5), ValueError, "header must be a string or None"),
    (lambda p: pdf.print_pdf("<p>x</p>", p, timeout="x"), ValueError, "timeout must be a number"),
    (lambda p: pdf.print_pdf("<p>x</p>", p, min_scale=5), ValueError, "min_scale must be a number in [0, 1], got 5"),
    (lambda p: pdf.print_pdf("<p>x</p>", p, min_gap=-1), ValueError, "min_gap must be a number in [0, 1], got -1"),
    (lambda p: pdf.word_boxes(p.parent / "nope.pdf"), FileNotFoundError, "PDF not found"),
    (lambda p: pdf.word_boxes(p.parent / "notes.txt"), ValueError, "is not a readable PDF (pdftotext:"),
    (lambda p: pdf.page_fill(p.parent / "notes.txt", dpi=0), ValueError, "dpi must be a whole number of at least 1"),
    (lambda p: pdf.word_boxes(None), ValueError, "pdf_path must be a path"),
    (lambda p: pdf.font_charset(""), ValueError, "family must be a font family name"),
], ids=["html-missing-file", "html-int", "header-int", "timeout-text", "min-scale-5", "min-gap-negative",
        "pdf-missing", "pdf-not-a-pdf", "dpi-zero", "pdf-none", "family-empty"])
def test_a_mistake_is_said_before_the_browser_or_poppler_runs(tmp_path, call, error, message):
    (tmp_path / "notes.txt").write_text("not a pdf", encoding="utf-8")
    with pytest.raises(error, match=re.escape(message)):
        call(tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_one_font_family_given_as_a_string_is_one_family_and_names_match_exactly():
    # A string used to be read letter by letter (every Hangul character "missing"), and "a" matched DejaVu Sans.
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig is installed by make setup")
    assert pdf.missing_glyphs("안녕", "NanumGothic") == pdf.missing_glyphs("안녕", ("NanumGothic",)) == set()
    assert pdf.font_charset("a") == (None, set())


def test_characters_that_are_never_drawn_are_not_missing_glyphs():
    # DEL, C1 controls and zero-width format characters were reported as glyphs the fonts lack
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig is installed by make setup")
    invisible = "\x7f\x85\x9f\u200b\u200d\u2060\ufeff\u00ad"
    assert pdf.missing_glyphs(f"A{invisible}B", "DejaVu Sans") == set()
    assert pdf.missing_glyphs(f"A{invisible}안", "DejaVu Sans") == {"안"}  # a drawn character still counts


@needs_pdf
def test_an_html_file_named_by_a_string_is_printed_not_its_name(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Printed from the file</p>", encoding="utf-8")
    out = pdf.print_pdf(str(page), tmp_path / "page.pdf")
    words = " ".join(w["word"] for w in pdf.word_boxes(out))
    assert "Printed from the file" in words and "page.html" not in words


def test_the_fit_is_tried_again_on_a_shorter_page_while_chromium_prints_more_pages_than_it_measured(monkeypatch):
    # Measured at the full height the Japanese brief was 5 pages and printed 6, its page 2 left 63 % full: the
    # pass's decisions rested on a page count that was not printed
    from krihs_analysis import pdf

    def fake(pages_of):
        calls = []

        def print_once(dt, url, options, fit):
            measured, printed, *sparse = pages_of[len(calls)]
            calls.append(fit["page_px"])
            fit["result"] = {"pages": measured, "log": []}
            return b"%PDF" + b"/Type /Page " * printed + b"/Type /Pages" + b" %sparse" * (sparse or [0])[0]
        return calls, print_once

    monkeypatch.setattr(pdf, "_sparse_pages", lambda data: data.count(b"%sparse"))

    calls, once = fake([(5, 6), (6, 6), (6, 6)])
    monkeypatch.setattr(pdf, "_print_once", once)
    fit = {"page_px": 1000.0}
    out = pdf._print_page(None, "u", {}, fit)
    assert pdf._pages(out) == 6 and fit["result"]["pages"] == 6  # the print whose pass saw its real pages
    assert calls == [1000.0 * s for s in pdf.FIT_HEIGHTS[:2]]  # and no further try once they agree
    calls, once = fake([(5, 6), (5, 5)])
    monkeypatch.setattr(pdf, "_print_once", once)
    assert pdf._pages(pdf._print_page(None, "u", {}, {"page_px": 1000.0})) == 5  # the fewest pages
    calls, once = fake([(5, 5)])
    monkeypatch.setattr(pdf, "_print_once", once)
    pdf._print_page(None, "u", {}, {"page_px": 1000.0})
    assert len(calls) == 1
    # a page the pass measures only in part (a whole notebook's export: 6 measured, 11 printed) is printed once
    calls, once = fake([(6, 11), (7, 10), (7, 11)])
    monkeypatch.setattr(pdf, "_print_once", once)
    pdf._print_page(None, "u", {}, {"page_px": 1000.0})
    assert len(calls) == 1


def test_the_fit_is_tried_again_when_the_print_leaves_a_page_before_the_last_half_empty(monkeypatch):
    # The English brief: measured, the appendix's heading and first row closed page 4 and the context box followed
    # it; printed, they did not fit, the appendix went to page 5 (55 % full) and the box to page 6. The pass and the
    # print agreed on 6 pages, so nothing was tried again.
    def run(prints):
        calls = []

        def print_once(dt, url, options, fit):
            measured, printed, sparse = prints[len(calls)]
            calls.append(fit["page_px"])
            fit["result"] = {"pages": measured, "log": [len(calls)]}
            return b"%PDF" + b"/Type /Page " * printed + b"/Type /Pages" + b" %sparse" * sparse
        monkeypatch.setattr(pdf, "_print_once", print_once)
        fit = {"page_px": 1000.0}
        out = pdf._print_page(None, "u", {}, fit)
        return len(calls), pdf._pages(out), out.count(b"%sparse"), fit["result"]["log"]

    monkeypatch.setattr(pdf, "_sparse_pages", lambda data: data.count(b"%sparse"))
    assert run([(6, 6, 1), (6, 6, 0)]) == (2, 6, 0, [2])  # tried again; the print without a half-empty page
    assert run([(6, 6, 1), (6, 6, 1), (6, 6, 1)]) == (3, 6, 1, [1])  # never better: the first
    assert run([(6, 6, 1), (5, 5, 0)]) == (2, 5, 0, [2])
    assert run([(6, 6, 1), (6, 7, 0), (6, 6, 1)]) == (3, 6, 1, [1])  # a page fewer counts before a full page


def test_a_print_does_not_fail_when_its_pages_cannot_be_measured(monkeypatch, tmp_path):
    # poppler failing (or no room for the temporary copy) made the whole brief's PDF fail; the check only chooses
    # between prints
    fake = tmp_path / "bin" / "pdftoppm"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Syntax Error: broken' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    assert shutil.which("pdftoppm") == str(fake)
    assert pdf._sparse_pages(b"%PDF-1.4 not really") == 0

    def no_room(self, data):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(pdf.Path, "write_bytes", no_room)
    assert pdf._sparse_pages(b"%PDF-1.4") == 0


@needs_pdf
def test_sparse_pages_counts_the_half_empty_pages_before_the_last(tmp_path):
    half = '<div style="height:120mm;background:#000;break-after:page"></div>'
    full = '<div style="height:250mm;background:#000;break-after:page"></div>'
    printed = pdf.print_pdf(full + half + full + '<div style="height:20mm;background:#000"></div>',
                            tmp_path / "p.pdf").read_bytes()
    assert pdf._pages(printed) == 4 and pdf._sparse_pages(printed) == 1  # page 2; the short last page is no gap


@needs_pdf
def test_a_summary_box_that_does_not_fit_is_never_overtaken_by_the_text_after_it(tmp_path):
    # Found in review: once any kept block could float the text after it, a section moved ahead of the summary box
    # when the title and the box did not fit on page 1 ("TITLE, SECTION ONE" on page 1, the summary on page 2).
    # Only figures and asides marked data-float (the brief's context box) let text pass them.
    para = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 9 + "</p>"
    html = (f'<html><body><div class="kb" data-print-fit><h1>TITLE BLOCK</h1>{para * 6}</div>'
            f'<div class="kb"><div class="summary" data-keep style="border: 1px solid; break-inside: avoid">'
            f'<b>SUMMARYBOX</b>{para * 5}</div></div><div class="kb"><h2>SECTIONONE</h2>{para}</div>'
            f'<div class="kb"><h2>SECTIONTWO</h2>{para * 6}</div></body></html>')
    words = [w["word"] for w in word_boxes(print_pdf(html, tmp_path / "summary.pdf"))]
    assert words.index("SUMMARYBOX") < words.index("SECTIONONE") < words.index("SECTIONTWO")
