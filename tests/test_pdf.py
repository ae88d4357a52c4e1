"""PDF printing: running header band and page numbers, checked on the printed PDF's word boxes (poppler)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

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
