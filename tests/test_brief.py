"""The drafted brief: composed from results, run by the report runner, exported to HTML and PDF, rebuilt.

Composing draws every figure (about 4 s a language), so the module composes as little as it can: one report run
of the brief entry (en, ko, ja, with PDFs) is shared by every test here, and the tests of the composition read the
blocks that run's notebooks displayed; one rebuild through the CLI is shared by the rebuild tests; one composition
of a coded sheet from other municipalities serves the illustrative-mark and fiscal-figure checks. The Japanese
brief is rebuilt from the run's saved results when the run's language matrix does not include it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from krihs_analysis import paths
from krihs_analysis.brief.compose import compose, priorities
from krihs_analysis.brief.document import FONT_FAMILIES, load_results
from krihs_analysis._format import fmt_num
from krihs_analysis.codebook import LANGS, load_codebook
from krihs_analysis.data import read_cases
from krihs_analysis.pdf import find_chromium, layout_problems, missing_glyphs
from krihs_analysis.reports import run_reports

needs_pdf = pytest.mark.skipif(find_chromium() is None or shutil.which("pdftotext") is None,
                               reason="Chromium and poppler-utils are installed by `make setup`")


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S))).split())


@pytest.fixture(scope="module")
def composed(run):
    """The blocks :func:`compose` returned in each language of the report run: the brief notebook displays them
    one by one, so its outputs are compose's list in order. The tests of the composition read these instead of
    composing the brief again (composing draws every figure, about 4 s a language)."""
    import nbformat

    out = {}
    for lang in LANGS:
        nb = nbformat.read(run / "notebooks" / f"06_policy_brief_{lang}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code" and "compose(" in c.source)
        out[lang] = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    return out


@pytest.fixture(scope="module")
def composed_en(composed):
    return "\n".join(composed["en"])


@pytest.fixture(scope="module")
def run_tables(run):
    """The result tables the run's English brief was composed from."""
    from krihs_analysis.reports.brief import results_dir

    return load_results(results_dir(run, "en"))


@pytest.fixture(scope="module")
def composed_other(run_tables):
    """The brief of a sheet that is not the sample: its Japanese cases are in other municipalities and its status
    is 'coded' (not illustrative), composed once with a spy on the fiscal figure."""
    from krihs_analysis import figures

    cases, tables = read_cases(), run_tables
    jp = cases["country"].astype(str) == "JP"
    other = cases.assign(data_status=pd.Categorical(["coded"] * len(cases), categories=["illustrative", "coded"]))
    other.loc[jp, "municipality_code"] = ["011002", "131016"] * (int(jp.sum()) // 2) + ["011002"] * (int(jp.sum()) % 2)
    seen = []
    draw = figures.fiscal_context

    def spy(*args, **kwargs):
        fig = draw(*args, **kwargs)
        seen.append(fig._krihs["cases"])
        return fig

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(figures, "fiscal_context", spy)
        blocks = compose(tables, other, lang="ja")
    return blocks, seen


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = run_reports(only=["policy-brief"], out_dir=out, progress=False)
    assert result.status == "ok", result.failed
    return Path(result.run_dir)


@pytest.fixture(scope="module")
def pdfs(run):
    """The brief's PDF in every language: the run's own, else rebuilt from the same saved results."""
    from krihs_analysis.reports.brief import rebuild, results_dir

    if find_chromium() is None:
        pytest.skip("Chromium is installed by `make setup`")
    out = {}
    for lang in LANGS:
        pdf = run / "pdf" / f"06_policy_brief_{lang}.pdf"
        if not pdf.is_file():
            saved = results_dir(run, lang)
            if not saved.is_dir():
                shutil.copytree(results_dir(run, "en"), saved)  # the same results, worded in another language
            pdf = next(p for p in rebuild(run, langs=[lang]) if p.suffix == ".pdf")
        out[lang] = pdf
    return out


@pytest.mark.parametrize("lang, ci, p", [
    ("en", "95% intervals by BCa bootstrap (whole clusters resampled)", "p-values: exact (whole clusters permuted"),
    # in Korean and Japanese the method comes first, as the languages write it, and is not nested in brackets
    ("ko", "BCa 부트스트랩(군집 단위 재표집)에 의한 95% 신뢰구간", "정확 검정(군집 단위 순열, 전수 열거)에 의한 p값"),
    ("ja", "BCaブートストラップ（クラスター単位の再標本化）による95%信頼区間", "正確検定（クラスター単位の並べ替え、全数列挙）によるp値"),
])
def test_the_method_note_names_the_methods_the_results_were_computed_with(composed, run_tables, lang, ci, p):
    # The note was fixed text ("BCa bootstrap 95% intervals; exact rank-sum p-values conditioned on ties") while
    # the run's comparisons resampled and permuted whole clusters (the rows' ci_method and p_method).
    assert set(run_tables["comparison"]["ci_method"]) == {"BCa (whole clusters resampled)"}
    assert set(run_tables["comparison"]["p_method"]) == {"exact (cluster permutation, full enumeration)"}
    html = "\n".join(composed[lang])
    assert ci in html and p in html
    assert "rank-sum" not in html and "순위합" not in html and "順位和" not in html


def test_composed_brief_has_five_numbered_figures_and_the_sections_in_order(composed_en):
    html = composed_en
    # issue 15: fiscal_context is in the catalogue; the context box carries it as figure 5, the survey's as 6,
    # numbered in reading order
    assert [int(n) for n in re.findall(r"<b>Figure (\d)\.</b>", html)] == [1, 2, 3, 4, 5, 6]
    heads = re.findall(r"<h2>(\d)\. ", html)
    assert heads == ["1", "2", "3", "4", "5", "6"]
    assert "Appendix: where each finding comes from" in html


def test_composed_brief_states_the_numbers_of_its_results(run_tables, composed_en):
    tables = run_tables
    text = text_of(composed_en)
    assoc = tables["association"].iloc[0]
    assert f"Kendall's τ-b = {fmt_num(assoc['statistic'])}" in text
    top = tables["comparison"].sort_values("p_holm").iloc[0]
    assert f"Cliff's δ = {fmt_num(top['cliffs_delta'])}" in text
    assert f"consistency {tables['qca'].iloc[0]['consistency']:.2f}" in text


def test_sample_brief_carries_the_illustrative_mark_and_real_data_does_not(composed, composed_other):
    assert all('class="kb-illustrative"' in composed[lang][0] for lang in LANGS)
    blocks, _ = composed_other
    assert 'class="kb-illustrative"' not in blocks[0]


def test_priorities_rank_core_tasks_by_their_mean_gap():
    gaps = pd.DataFrame({"group": ["P1", "P2", "P1", "P2"], "task": ["t1", "t1", "t2", "t2"],
                         "mean": [1.0, 2.0, 0.5, 0.5], "benchmark": [2.0, 2.0, 2.5, 2.5]})
    out = priorities(gaps)
    assert out["task"].tolist() == ["t2", "t1"]
    assert out["gap"].tolist() == [2.0, 0.5]
    assert out["n_programmes_below"].tolist() == [2, 1]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_run_html_contains_every_figure_and_the_numbers_of_the_run(run, lang):
    html = (run / "html" / f"06_policy_brief_{lang}.brief.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<img[^>]*src=\"data:image/png;base64,", html)) == 6  # issue 15: + fiscal_context
    assert "def " not in html and "results_dir =" not in html  # no inputs, no parameters cell
    saved = load_results(run / "figures" / f"06_policy_brief_{lang}" / "results")
    text = text_of(html)
    assert f"{fmt_num(saved['association'].iloc[0]['statistic'])}" in text
    for value in saved["comparison"].sort_values("p_holm").head(2)["cliffs_delta"]:
        assert fmt_num(value) in text


def test_run_record_lists_a_pdf_in_every_language(run):
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    briefs = [r for r in record["runs"] if r["entry"] == "policy-brief"]
    assert sorted(r["parameters"]["lang"] for r in briefs) == sorted(LANGS)
    assert all(r["status"] == "ok" for r in briefs)
    if find_chromium():
        assert all(any(o.endswith(".pdf") for o in r["outputs"]) for r in briefs)


@needs_pdf
@pytest.mark.parametrize("lang", LANGS)
def test_no_pdf_page_but_the_last_is_left_half_empty(pdfs, lang):
    # Rendered ink, not the fit pass's own numbers: every page but the last is filled to 70 % of its height. The
    # Korean and Japanese page 4 was filled to 65 % while the context box's wide fiscal figure came second: it
    # did not fit under the policy implications, which the box's first part now is (context_box).
    from krihs_analysis.pdf import page_fill

    fills = page_fill(pdfs[lang])
    assert len(fills) >= 2 and all(f >= 0.7 for f in fills[:-1]), [round(f, 2) for f in fills]
    # nor is the last one blank (a page of nothing but the running bands printed under a full Japanese page 5)
    assert fills[-1] > 0.05, [round(f, 2) for f in fills]


@needs_pdf
@pytest.mark.parametrize("lang", LANGS)
def test_no_paragraph_of_the_pdf_ends_with_a_short_word_alone_on_its_line(pdfs, lang):
    # The Korean section 4 ended "... 미만):" / "1개." and a source note "... (CC BY 4.0" / "호환)": a word of a few
    # characters alone under a full line (brief.css: text-wrap: pretty); the Japanese reference line ended
    # 「との比較。」 alone, which pretty left (a line of Japanese is one "word" here: no spaces), and is balanced.
    from collections import defaultdict

    from krihs_analysis.pdf import word_boxes

    lines = defaultdict(list)
    for w in word_boxes(pdfs[lang]):
        lines[(w["page"], round(w["y0"]))].append(w)
    keys = sorted(lines)
    alone = []
    for above, key in zip(keys, keys[1:]):
        words, prev = lines[key], lines[above]
        if (len(words) == 1 and len(words[0]["word"]) <= 5 and not words[0]["word"].isdigit()
                and above[0] == key[0] and abs(prev[0]["x0"] - words[0]["x0"]) < 3
                and max(p["x1"] for p in prev) - prev[0]["x0"] > 300):  # under a full line of the same block
            alone.append((key[0], " ".join(p["word"] for p in prev)[-30:], words[0]["word"]))
    assert not alone, alone


@needs_pdf
@pytest.mark.parametrize("lang", LANGS)
def test_no_line_of_the_pdf_is_spread_out_letter_by_letter(pdfs, lang):
    # The Japanese reference line printed 「国　土　政　策　Brief　第　736　号　（…」 across the page: balanced, then
    # justified like the body text, its short first line's characters were pulled apart (brief.css: start)
    from collections import defaultdict

    from krihs_analysis.pdf import word_boxes

    lines = defaultdict(list)
    for w in word_boxes(pdfs[lang]):
        lines[(w["page"], round(w["y0"]))].append(w["word"])
    spread = [(key, "".join(words)[:30]) for key, words in lines.items()
              if sum(len(w) == 1 and not w.isdigit() for w in words) >= 8]
    assert not spread, spread


@needs_pdf
def test_the_appendix_heading_goes_to_the_page_of_its_first_two_rows(pdfs):
    # The English brief closed page 5 with the appendix's heading, its table header and row 1; rows 2-5 followed
    # overleaf (brief.css keeps the first row with the second)
    from krihs_analysis.pdf import word_boxes

    words = word_boxes(pdfs["en"])
    heading = next(w for w in words if w["word"] == "Appendix:")
    left = min(w["x0"] for w in words if w["page"] == heading["page"] and w["word"] == "No.")
    numbers = [w for w in words if w["word"] in {"1", "2"} and abs(w["x0"] - left) < 2 and w["page"] >= heading["page"]]
    assert [(w["word"], w["page"]) for w in numbers[:2]] == [("1", heading["page"]), ("2", heading["page"])], numbers


def test_context_box_shows_the_fiscal_figure_of_the_sheets_own_cases(composed_other):
    # A sheet of other Japanese municipalities than the sample's: the figure must mark these, not the sample's five.
    _, seen = composed_other
    assert seen == [["011002", "131016"]]


@pytest.mark.parametrize("lang", LANGS)
def test_context_box_shows_the_fiscal_figure_with_its_caption_and_source(composed, lang):
    from krihs_analysis.data import read_context
    from krihs_analysis.wording import phrase

    box = "".join(text_of(composed[lang][-2]).split())
    assert "".join(phrase("brief", "caption_fiscal", lang).split()) in box
    assert "".join(read_context("jp_municipal_fiscal").attrs["source"][lang].split()) in box


@pytest.mark.parametrize("lang", LANGS)
def test_clustered_association_p_is_worded_as_permuting_whole_clusters(lang):
    from krihs_analysis.wording import phrase, phrases

    assert phrase("brief", "p_clusters", "en", p="exact p < 0.001") == "exact p < 0.001 with whole clusters permuted"
    for key in ("p_clusters", "p_clusters_within"):
        assert "{p}" in phrases("brief")[key][lang] and "X1" in phrase("brief", key, lang, p="X1", strata="S")


@needs_pdf
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_has_two_to_six_pages_with_cjk_fonts_embedded(pdfs, lang):
    pdf = pdfs[lang]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 6
    # the PDF's title is the brief's, in its language (it was "Notebook" in all three: viewers showed no name)
    from krihs_analysis.brief.document import load_metadata

    title = re.search(r"^Title:\s+(.*)$", info, re.M).group(1).strip()
    assert title == load_metadata()["title"][lang]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
    cjk = {"ko": ("NanumGothic",), "ja": ("IPAPGothic", "IPAGothic"), "en": ("NanumGothic", "IPAPGothic")}[lang]
    assert any(name in line for line in fonts for name in cjk)


@needs_pdf
@pytest.mark.parametrize("lang", LANGS)
def test_every_pdf_page_is_numbered_and_the_banner_shares_its_band_with_no_other_word(pdfs, lang):
    assert layout_problems(pdfs[lang], banner=load_codebook().notice("illustrative", lang)) == []


@needs_pdf
def test_japanese_pdf_reads_in_japanese_with_its_title_block(pdfs):
    text = subprocess.run(["pdftotext", str(pdfs["ja"]), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "国土研究院" in flat and "要旨" in flat and "付録" in flat
    assert re.search(r"[\u3040-\u30ff]{4,}", text)  # kana: Japanese, not Korean or Chinese
    assert not re.search(r"[\uac00-\ud7a3]", text)  # no Hangul left over


@pytest.mark.parametrize("lang", LANGS)
def test_no_appendix_text_contains_an_internal_identifier(composed, lang):
    appendix = text_of(composed[lang][-1])
    # "x~y:kendall|programme"-like keys; a Korean or Japanese range of numbers ("−1.00~−0.76") is no identifier
    assert re.search(r"[a-z_]~[a-z_]|\||\b[a-z]+_[a-z0-9_]+\b|:[a-z]", appendix) is None, appendix
    cb = load_codebook()
    english_words = " ".join(cb.label(n, "en") for n in cb.variables).lower()
    for name in cb.variables:  # a code name that is no word of any English label must never be shown
        if name not in english_words:
            assert not re.search(rf"\b{re.escape(name)}\b", appendix), name


@needs_pdf
def test_korean_pdf_text_contains_hangul_and_every_finding(run):
    pdf = run / "pdf" / "06_policy_brief_ko.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"[\uac00-\ud7a3]{4,}", text)
    flat = "".join(text.split())
    html = (run / "html" / "06_policy_brief_ko.brief.html").read_text(encoding="utf-8")
    findings = re.findall(r"<li(?: class=\"weak\")?>(.*?)</li>", html)
    assert len(findings) >= 3
    for sentence in findings:
        assert "".join(unescape(re.sub(r"<[^>]+>", "", sentence)).split()) in flat


@needs_pdf
@pytest.mark.parametrize("lang", LANGS)
def test_no_statistic_is_parted_from_its_value_at_a_line_end(pdfs, lang):
    # Printed, "Cliff's δ / = −0.90" and "n / = 26" broke across lines, and the Japanese "事業平均0.25 / 点"
    from krihs_analysis.pdf import word_boxes

    words = word_boxes(pdfs[lang])
    pairs = [(a, b, c) for a, b, c in zip(words, words[1:], words[2:], strict=False) if b["word"] in ("=", "<")]
    assert len(pairs) >= 10
    for a, b, c in pairs:
        assert a["page"] == c["page"] and abs(a["y0"] - c["y0"]) < 2, (a["word"], b["word"], c["word"])
    # nor a statistic's name from its symbol: "Kendall's / τ-b", "Cliff's / δ"
    names = [(a, b) for a, b in zip(words, words[1:], strict=False) if a["word"] in ("Cliff's", "Kendall's")]
    assert names
    for a, b in names:
        assert a["page"] == b["page"] and abs(a["y0"] - b["y0"]) < 2, (a["word"], b["word"])
    if lang == "ja":
        starts = [w["word"] for w in words if w["word"].startswith("点")]
        assert not starts, starts
    # nor an interval's bounds from each other: the Japanese "95%信頼区間 −1.00～ / −0.76" broke after the mark
    ranges = [(a, b) for a, b in zip(words, words[1:], strict=False) if a["word"].endswith(("~", "～"))
              or (a["word"].startswith("[") and a["word"].endswith(","))]  # "[−0.98, −0.55]"
    for a, b in ranges:
        assert a["page"] == b["page"] and abs(a["y0"] - b["y0"]) < 2, (a["word"], b["word"])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_character_of_the_brief_is_covered_by_its_fonts(run, lang):
    # Equivalent of a screenshot check: Chromium draws each character with the first CSS family that has it,
    # so a character none of the brief's fonts covers is exactly one that would render as a fallback box.
    html = (run / "html" / f"06_policy_brief_{lang}.brief.html").read_text(encoding="utf-8")
    brief_text = text_of("".join(re.findall(r'<div class="kb"[^>]*>.*?</div>\s*</div>', html, flags=re.S)) or html)
    assert missing_glyphs(brief_text, FONT_FAMILIES) == set()


@pytest.fixture(scope="module")
def rebuilt(run, tmp_path_factory):
    """One rebuild of the English brief from the run's saved results, as a user makes it: the CLI, started in the
    run's parent folder with a relative ``--run`` (shared by the rebuild tests: a rebuild runs the notebook and
    prints a PDF, about 9 s)."""
    import os

    from krihs_analysis.cli import main

    out = tmp_path_factory.mktemp("rebuilt")
    here = os.getcwd()
    os.chdir(run.parent)
    try:
        code = main(["brief", "--run", run.name, "--lang", "en", "--out", str(out)])
    finally:
        os.chdir(here)
    return code, out


def test_rebuild_resolves_a_relative_run_folder_against_the_callers_directory(rebuilt):
    code, out = rebuilt
    assert code == 0
    assert (out / "06_policy_brief_en.brief.html").is_file()


def test_rebuild_from_a_run_reuses_its_saved_results_without_reanalysing(run, rebuilt):
    code, out = rebuilt
    assert code == 0
    html = (out / "06_policy_brief_en.brief.html").read_text(encoding="utf-8")
    original = (run / "html" / "06_policy_brief_en.brief.html").read_text(encoding="utf-8")
    summary = lambda h: re.search(r'<div class="summary"[^>]*>.*?</ol>', h, flags=re.S).group(0)  # noqa: E731
    assert summary(html) == summary(original)
    import nbformat

    nb = nbformat.read(next(out.glob("*.ipynb")), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "results_dir" in injected.source and str(run) in injected.source


def test_rebuild_of_a_run_without_a_brief_is_a_clear_error(tmp_path):
    from krihs_analysis.cli import main

    assert main(["brief", "--run", str(tmp_path), "--lang", "en"]) == 2


def test_brief_metadata_is_read_from_the_yaml_file():
    from krihs_analysis.brief.document import load_metadata

    meta = load_metadata(paths.ROOT / "brief.yaml")
    assert set(LANGS) <= set(meta["title"]) and set(LANGS) <= set(meta["issuer"])


@pytest.mark.parametrize(("lang", "number"), [("en", "No. 736-R"), ("ko", "제736-R호"), ("ja", "第736-R号")])
def test_the_front_page_numbers_the_issue_as_the_running_footer_does(lang, number):
    # the Korean front page read "No. 736-R" above a footer reading 제736-R호
    from krihs_analysis.brief.document import load_metadata, title_block

    issuer = re.search(r'<div class="issuer">(.*?)</div>', title_block(load_metadata(), lang=lang,
                                                                      illustrative=False)).group(1)
    assert f" • {number} • " in issuer and (lang == "en" or "No." not in issuer), issuer


def test_a_failed_rebuild_leaves_the_previous_brief_in_place(run, rebuilt, tmp_path, monkeypatch):
    import papermill as pm

    from krihs_analysis.reports.brief import BriefFailed, rebuild

    shutil.copytree(rebuilt[1], tmp_path, dirs_exist_ok=True)  # the previous brief: a good rebuild's files
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert any(name.endswith(".brief.html") for name in before)

    def broken(*args, **kwargs):
        raise pm.exceptions.PapermillExecutionError(3, 3, "boom", "ValueError", "boom", [])

    monkeypatch.setattr(pm, "execute_notebook", broken)
    with pytest.raises(BriefFailed, match="ValueError: boom"):
        rebuild(run, langs=["en"], out_dir=tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
