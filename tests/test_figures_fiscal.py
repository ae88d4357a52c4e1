"""The fiscal_context figure (issue 15): artists, wording in three languages, no missing glyphs, image baseline.

References: the national medians are recomputed here from MIC's raw tables read with openpyxl / xlrd (not with
the package's reader); the case municipalities' FY2021 values are MIC's published figures (全市町村の主要財政指標,
令和3年度). The image baseline is ``tests/baseline/fiscal_context_en.png``; after an intended change of the figure
regenerate it with ``python -c "from tests.test_figures_fiscal import write_baseline; write_baseline()"`` and look
at it before committing.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from krihs_analysis import paths  # noqa: E402
from krihs_analysis.codebook import LANGS  # noqa: E402
from krihs_analysis.data import read_cases, read_context  # noqa: E402
from krihs_analysis.figures import style as st  # noqa: E402
from krihs_analysis.figures.fiscal import fiscal_context  # noqa: E402
from krihs_analysis.wording import phrase  # noqa: E402

BASELINE = Path(__file__).parent / "baseline" / "fiscal_context_en.png"
BASELINE_DPI = 72
RAW = paths.CONTEXT / "jp_mic_fiscal_city_fy2005_fy2021"
# MIC, 全市町村の主要財政指標 (令和3年度): 財政力指数 of the five case municipalities.
PUBLISHED_FSI_2021 = {"342149": 0.32, "322091": 0.25, "063827": 0.25, "432105": 0.43, "262137": 0.31}
# The names each reader sees: MIC's kanji for Japanese readers; for English readers the municipalities' own English
# names (their official sites: Akitakata City, Unnan City, Kawanishi Town, Kikuchi City, Nantan City); for Korean
# readers the titles Korean Wikipedia gives them (아키타카타시, 운난시, 가와니시정, 기쿠치시, 난탄시). Nara has a 川西町
# too (MIC code 293610), so Yamagata's is named with its prefecture, as the case tables name it.
NAMES = {
    "ja": {"342149": "安芸高田市", "322091": "雲南市", "063827": "山形県川西町", "432105": "菊池市", "262137": "南丹市"},
    "en": {"342149": "Akitakata City", "322091": "Unnan City", "063827": "Kawanishi Town, Yamagata",
           "432105": "Kikuchi City", "262137": "Nantan City"},
    "ko": {"342149": "아키타카타시", "322091": "운난시", "063827": "야마가타현 가와니시정", "432105": "기쿠치시",
           "262137": "난탄시"},
}


def by_gid(fig, gid):
    return [a for a in fig.findobj() if a.get_gid() == gid]


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text())]


@pytest.fixture(scope="module")
def drawn():
    """The figure in every language, built and drawn once with every warning an error ("Glyph ... missing from
    font(s)", seaborn's and matplotlib's warnings), shared by the tests that read what a reader sees."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lang in LANGS:
            out[lang] = fiscal_context(lang=lang)
            out[lang].canvas.draw()
    return out


@pytest.fixture(scope="module")
def figure_en(drawn):
    return drawn["en"]


def raw_fsi(file: str) -> list[float]:
    """财政力指数 of every municipal row of one MIC table, read with openpyxl (.xlsx) or xlrd (.xls)."""
    path = RAW / file
    if file.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:  # a read-only workbook holds its file open until closed
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    else:
        import xlrd

        sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
        rows = [sheet.row_values(i) for i in range(sheet.nrows)]
    header = [str(h).strip() for h in rows[1]]
    first = 1 if header[0] == "団体コード" else 0
    j = header.index("財政力指数")
    out = []
    for r in rows[2:]:
        if str(r[first]).strip().endswith(("都", "道", "府", "県")) and str(r[first + 1] or "").strip():
            s = str(r[j]).strip().strip("()")
            if s not in ("-", "－", ""):
                out.append(round(float(s), 2))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_renders_in_every_language_without_missing_glyphs_or_warnings(drawn, lang):
    fig = drawn[lang]  # drawn with warnings as errors
    meta = st.frame_texts(fig)
    assert meta["lang"] == lang
    assert meta["title"] == phrase("fig_fiscal", "title_all", lang, n=5, median="0.45", year=2021)
    assert phrase("fig_fiscal", "fsi", lang) in texts(fig)
    source = meta["notes"][-1]
    assert source.startswith(st.text("source", lang, source="")) and "全市町村の主要財政指標" in source
    assert fig._krihs["alt"].startswith(phrase("fig_fiscal", "alt", lang))


def test_the_distribution_has_one_box_per_municipal_type_with_its_count(figure_en):
    left = by_gid(figure_en, "fiscal-distribution")[0]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels == ["Designated cities (20)", "Other cities (772)", "Tokyo special wards (23)", "Towns (743)",
                      "Villages (183)"]
    from matplotlib.patches import PathPatch

    assert len([p for p in left.patches if isinstance(p, PathPatch)]) == 5


def test_case_municipalities_are_marked_at_mics_published_values_and_labelled(figure_en):
    for code, value in PUBLISHED_FSI_2021.items():
        (marker,) = by_gid(figure_en, f"fiscal-case-{code}")
        assert marker.get_offsets()[0][0] == pytest.approx(value, abs=1e-12)
        (label,) = by_gid(figure_en, f"fiscal-case-label-{code}")
        assert label.get_text() == NAMES["en"][code]


@pytest.mark.parametrize("lang", LANGS)
def test_each_reader_sees_the_case_municipalities_named_in_their_own_script(drawn, lang):
    fig = drawn[lang]
    for code, name in NAMES[lang].items():
        (label,) = by_gid(fig, f"fiscal-case-label-{code}")
        assert label.get_text() == name
    # ... in both panels (the trajectories are labelled at their FY2021 end)
    assert sum(t == name for t in texts(fig) for name in NAMES[lang].values()) == 2 * len(NAMES[lang])
    others = {n for other, names in NAMES.items() if other != lang for n in names.values()}
    assert not others & set(texts(fig))


@pytest.mark.parametrize("lang", LANGS)
def test_labels_of_cases_near_the_left_edge_neither_overlap_nor_leave_the_axes(lang):
    from matplotlib.text import Text

    # Four small towns with an index of 0.11-0.12 share a row at the left edge (a real sheet's rural cases).
    codes = ["325261", "015130", "014257", "014621"]
    fig = fiscal_context(cases=codes, lang=lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    left = by_gid(fig, "fiscal-distribution")[0].get_window_extent(renderer)
    boxes = [Text.get_window_extent(t, renderer) for c in codes for t in by_gid(fig, f"fiscal-case-label-{c}")]
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        assert a.x0 >= left.x0 - 1, (lang, a, left)
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (lang, a, b)


def test_labels_in_one_row_do_not_overlap_in_any_language(drawn):
    from matplotlib.text import Text

    # English names are longer than kanji: four case municipalities share the "Other cities" row.
    for lang, fig in drawn.items():
        renderer = fig.canvas.get_renderer()
        # Text's own extent: an annotation's includes its leader line
        boxes = [Text.get_window_extent(t, renderer) for code in NAMES[lang]
                 for t in by_gid(fig, f"fiscal-case-label-{code}")]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), (lang, a, b)


def test_a_label_the_national_median_line_crosses_stays_readable(drawn):
    # The dashed median line ran through "Nantan City" and "Kawanishi Town": labels sit on white, above the line.
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    seen = 0
    for lang, fig in drawn.items():
        renderer = fig.canvas.get_renderer()
        (line,) = by_gid(fig, "fiscal-national-median")
        x = line.get_transform().transform((line.get_xdata()[0], 0))[0]
        labels = [t for code in NAMES[lang] for t in by_gid(fig, f"fiscal-case-label-{code}")]
        crossed = [t for t in labels if Text.get_window_extent(t, renderer).x0 < x < Text.get_window_extent(t, renderer).x1]
        seen += len(crossed)
        for t in crossed:
            patch = t.get_bbox_patch()
            assert patch is not None and to_hex(patch.get_facecolor()) == "#ffffff", (lang, t.get_text())
            assert t.get_zorder() > line.get_zorder(), (lang, t.get_text())
    assert seen  # the English names cross the line, so this test sees the case it is about


def test_the_national_median_label_clears_every_box(drawn):
    # The label sat on the top of the designated cities' box
    from matplotlib.patches import PathPatch
    from matplotlib.text import Text

    for lang, fig in drawn.items():
        renderer = fig.canvas.get_renderer()
        (left,) = by_gid(fig, "fiscal-distribution")
        label = next(t for t in left.texts if t.get_text().endswith(("0.45", "0,45")))
        box = Text.get_window_extent(label, renderer)
        patches = [p.get_window_extent(renderer) for p in left.patches if isinstance(p, PathPatch)]
        assert patches and not any(box.overlaps(p) for p in patches), lang


def test_national_median_is_the_median_of_mics_table_read_independently(figure_en):
    median_2021 = float(np.median(raw_fsi("R3.xlsx")))
    (vline,) = by_gid(figure_en, "fiscal-national-median")
    assert vline.get_xdata()[0] == pytest.approx(median_2021, abs=1e-12)
    (line,) = by_gid(figure_en, "fiscal-median-line")
    years, medians = line.get_xdata(), line.get_ydata()
    assert list(years) == list(range(2005, 2022))
    # FY2005 (H17.xls, 1,844 municipalities before the mergers), FY2015 (H27.xls) and FY2021 (R3.xlsx).
    for year, file in ((2005, "H17.xls"), (2015, "H27.xls"), (2021, "R3.xlsx")):
        assert medians[year - 2005] == pytest.approx(float(np.median(raw_fsi(file))), abs=1e-12), file


def test_trajectories_run_fy2005_to_fy2021_with_the_panels_values(figure_en):
    panel = read_context("jp_municipal_fiscal")
    for code in PUBLISHED_FSI_2021:
        (line,) = by_gid(figure_en, f"fiscal-trajectory-{code}")
        expected = panel[panel["code"] == code].sort_values("fiscal_year")
        assert list(line.get_xdata()) == list(range(2005, 2022))
        assert list(line.get_ydata()) == expected["fiscal_strength_index"].tolist()
        assert line.get_ydata()[-1] == PUBLISHED_FSI_2021[code]


def test_case_codes_come_from_a_case_sheet():
    fig = fiscal_context(cases=read_cases(), lang="ja")
    assert fig._krihs["cases"] == ["342149", "322091", "063827", "432105", "262137"]


def test_the_notes_say_which_cases_the_marked_municipalities_are():
    # "All 5 case municipalities" over a sheet of 12 Japanese cases: the figure did not say that the five are the
    # municipalities of 9 cases (several share one) and that the other 3 have no code. Counted from the CSV itself.
    import csv

    with open(paths.SAMPLE_CASES, encoding="utf-8", newline="") as fh:
        jp = [r for r in csv.DictReader(fh) if r["country"] == "JP"]
    coded = [r for r in jp if r["municipality_code"].strip()]
    munis = {r["municipality_code"] for r in coded}
    assert (len(jp), len(coded), len(munis)) == (12, 9, 5)  # what the sample is; the note must follow it
    for lang in LANGS:
        notes = st.frame_texts(fiscal_context(cases=read_cases(), lang=lang))["notes"]
        assert notes[0] == phrase("fig_fiscal", "note_cases_some", lang, n_with=len(coded), n_jp=len(jp),
                                  n_muni=len(munis))
    only_coded = read_cases()
    only_coded = only_coded[(only_coded["municipality_code"].fillna("").str.strip() != "")
                            | (only_coded["country"] == "KR")]
    notes = st.frame_texts(fiscal_context(cases=only_coded, lang="en"))["notes"]
    assert notes[0] == "Case municipalities: those of all the Japanese cases (cases: 9; municipalities: 5)."
    # a list of codes is the municipalities themselves: nothing to add
    notes = st.frame_texts(fiscal_context(cases=sorted(munis), lang="en"))["notes"]
    assert not any(n.startswith("Case municipalities") for n in notes)


def test_the_headline_counts_the_cases_below_the_median():
    # 札幌市 0.72 and 安芸高田市 0.32 against the FY2021 median 0.45: one of two below.
    fig = fiscal_context(cases=["011002", "342149"], lang="en")
    assert fig._krihs["title"] == phrase("fig_fiscal", "title", "en", n_below=1, n=2, median="0.45", year=2021)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="not in MIC's FY2021 table"):
        fiscal_context(cases=["999999"], lang="en")
    with pytest.raises(ValueError, match="missing column"):
        fiscal_context(read_context("jp_municipal_fiscal").drop(columns="fiscal_strength_index"), lang="en")
    with pytest.raises(ValueError, match="empty"):
        fiscal_context(pd.DataFrame(), lang="en")
    with pytest.raises(ValueError, match="unknown language"):
        fiscal_context(lang="fr")


def baseline_bytes() -> bytes:
    from krihs_analysis.figures.save import figure_bytes

    return figure_bytes(fiscal_context(lang="en"), "png", dpi=BASELINE_DPI)


def write_baseline() -> Path:
    from krihs_analysis._io import write_atomic

    return write_atomic(BASELINE, baseline_bytes())


def test_image_baseline(tmp_path):
    from matplotlib.testing.compare import compare_images

    if not BASELINE.exists():
        pytest.fail(f"no baseline {BASELINE.name}: see this module's docstring")
    actual = tmp_path / BASELINE.name
    actual.write_bytes(baseline_bytes())
    result = compare_images(str(BASELINE), str(actual), tol=6)
    assert result is None, result


def test_an_early_year_keeps_every_pre_merger_municipality_in_the_distribution():
    fig = fiscal_context(year=2005, lang="en")
    left = by_gid(fig, "fiscal-distribution")[0]
    counts = [int(t.get_text().rsplit("(", 1)[1].rstrip(")").replace(",", "")) for t in left.get_yticklabels()]
    assert sum(counts) == 1844  # MIC's FY2005 table (H17.xls), including municipalities merged away later


@pytest.mark.parametrize("codes, key", [
    (["342149"], "title_one_below"),             # 安芸高田市 0.32: was "All 1 case municipalities had ..."
    (["011002"], "title_one_not_below"),         # 札幌市 0.72: was "0 of the 1 case municipalities had ..."
    (["011002", "232114"], "title_no_case_below"),  # 札幌市, 豊田市: was "0 of the 2 ..."
])
def test_the_headline_reads_as_a_sentence_for_one_case_and_for_none_below(codes, key):
    from krihs_analysis.figures import close_figure

    fig = fiscal_context(cases=codes, lang="en")
    assert fig._krihs["title"] == phrase("fig_fiscal", key, "en", n=len(codes), median="0.45", year=2021)
    assert "All 1 " not in fig._krihs["title"] and "0 of the" not in fig._krihs["title"]
    close_figure(fig)


def test_no_case_marker_hides_another_and_each_label_points_at_its_own(drawn):
    # Nantan (0.31) was drawn exactly under Akitakata (0.32) in the "Other cities" row: four names, three markers.
    for lang, fig in drawn.items():
        centres = {}
        for code in NAMES[lang]:
            (marker,) = by_gid(fig, f"fiscal-case-{code}")
            centres[code] = marker.get_offset_transform().transform(marker.get_offsets()[0])
            (label,) = by_gid(fig, f"fiscal-case-label-{code}")
            assert tuple(label.xy) == pytest.approx(tuple(marker.get_offsets()[0]))  # the leader ends at the marker
        size = np.sqrt(26) * fig.dpi / 72  # the markers' width in pixels (s=26 points²)
        codes = list(centres)
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                dx, dy = np.abs(centres[a] - centres[b])
                assert dx >= size or dy >= size, (lang, a, b, dx, dy)


def test_tied_case_markers_stay_in_their_own_row():
    # Seven towns at an index of 0.30 (MIC writes two decimals: ties are common): the stacked markers reached the
    # rows of Tokyo's wards and of the villages
    panel, types = read_context("jp_municipal_fiscal"), read_context("jp_municipalities")
    latest = panel[panel["fiscal_year"] == panel["fiscal_year"].max()].merge(types[["code", "municipality_type"]],
                                                                            on="code")
    towns = latest[(latest["municipality_type"] == "town") & (latest["fiscal_strength_index"] == 0.30)].head(7)
    assert len(towns) == 7
    fig = fiscal_context(cases=list(towns["code"]), lang="en")
    rows = {t.get_text(): k for k, t in enumerate(by_gid(fig, "fiscal-distribution")[0].get_yticklabels())}
    town_row = next(k for label, k in rows.items() if label.startswith("Towns"))
    ys = [by_gid(fig, f"fiscal-case-{code}")[0].get_offsets()[0][1] for code in towns["code"]]
    assert all(abs(y - town_row) < 0.45 for y in ys), (town_row, ys)
