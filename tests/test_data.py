"""Reading, validating and building case data (issue: foundation)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from krihs_analysis import paths
from krihs_analysis.cli import main
from krihs_analysis.codebook import load_codebook
from krihs_analysis.data import (
    CaseDataError,
    build,
    core_task_indices,
    is_illustrative,
    read_cases,
    read_context,
    to_long,
)
from krihs_analysis._io import write_atomic
from krihs_analysis.template import write_template

DATA = Path(__file__).parent / "data"


def problems_of(path: Path) -> pd.DataFrame:
    with pytest.raises(CaseDataError) as info:
        read_cases(path)
    return info.value.problems


# --- the sample -----------------------------------------------------------------------------------------------


def test_sample_has_fourteen_korean_cases_of_seven_programmes_and_at_least_ten_japanese():
    cases = read_cases()
    kr = cases[cases["country"] == "KR"]
    assert len(kr) == 14
    assert kr["programme"].nunique() == 7
    assert kr.groupby("programme").size().eq(2).all()
    assert (cases["country"] == "JP").sum() >= 10


def test_sample_is_flagged_illustrative_in_every_row_and_in_attrs():
    cases = read_cases()
    assert (cases["data_status"] == "illustrative").all()
    assert cases.attrs["illustrative"] is True
    assert is_illustrative(cases)


def test_ordinal_codes_are_ordered_categoricals_over_zero_to_three():
    cases = read_cases()
    for name in load_codebook().ordinal:
        dtype = cases[name].dtype
        assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered, name
        assert list(dtype.categories) == [0, 1, 2, 3], name


def test_sample_mirrors_the_brief_strong_community_weak_organisation_in_korea():
    cases = read_cases()
    kr = cases[cases["country"] == "KR"]
    jp = cases[cases["country"] == "JP"]
    med = lambda frame, v: frame[v].astype(float).median()  # noqa: E731
    assert med(kr, "community_sense") >= 2.5
    assert med(kr, "resident_org") < med(jp, "resident_org")
    assert med(kr, "integration") < med(jp, "integration")
    # variation inside each country, so the analyses have something to find
    for frame in (kr, jp):
        assert frame["sustainability"].astype(int).nunique() >= 3


def test_core_task_indices_are_the_mean_of_each_tasks_items():
    cases = read_cases()
    idx = core_task_indices(cases)
    first = cases.iloc[0]
    items = load_codebook().items_for_task("task3_planning")
    expected = sum(int(first[i]) for i in items) / len(items)
    assert idx.loc[0, "task3_planning"] == pytest.approx(expected)
    assert idx[["task1_capacity", "task2_government", "task3_planning", "task4_intermediary"]].stack().between(0, 3).all()


def test_read_cases_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(read_cases()) == 26


def test_to_long_has_one_row_per_case_and_variable():
    long = to_long(read_cases(), variables=["integration", "sustainability"])
    assert list(long.columns) == ["case_id", "country", "programme", "variable", "value"]
    assert len(long) == 52


# --- encodings and languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("korean_headers_cp949.csv", "cp949"),
        ("korean_headers_utf8_bom.csv", "utf-8-sig"),
        ("japanese_headers_utf8.csv", "utf-8"),
    ],
)
def test_sheets_in_korean_excel_encodings_and_other_languages_are_read_and_the_encoding_reported(name, encoding):
    cases = read_cases(DATA / name)
    assert cases.attrs["encoding"] == encoding
    assert list(cases.columns[:3]) == ["case_id", "country", "programme"]
    assert cases["case_id"].str.match(r"^(KR|JP)-").all()


def test_cp949_sheet_keeps_hangul_intact():
    cases = read_cases(DATA / "korean_headers_cp949.csv")
    assert cases.loc[0, "municipality"] == "시 A (illustrative)"


# --- bad sheets: every kind names row and column --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "expected"),
    [
        ("missing_column.csv", 1, "sustainability", "(missing column)", "required column"),
        ("unknown_column.csv", 1, "colour", "colour", "codebook variable"),
        ("bad_code.csv", 3, "integration", "5", "one of 0, 1, 2, 3"),
        ("bad_code.csv", 4, "resident_org", "-1", "one of 0, 1, 2, 3"),
        ("missing_value.csv", 4, "sustainability", "", "required"),
        ("missing_value.csv", 2, "programme", "", "required"),
        ("wrong_country.csv", 2, "country", "CN", "one of KR, JP"),
        ("country_mismatch.csv", 5, "country", "KR", "JP"),
        ("non_numeric.csv", 3, "support_years", "five", "whole number"),
        ("non_numeric.csv", 4, "self_funded_pct", "45%", "number from 0 to 100"),
        ("blank_row.csv", 3, "-", "(blank row)", "blank row"),
        ("stray_whitespace.csv", 4, "integration", " 2", "spaces"),
        ("stray_whitespace.csv", 2, "case_id", "KR-P1-A ", "spaces"),
        ("empty.csv", 0, "-", "(empty file)", "header row"),
        ("header_only.csv", 2, "-", "(no data rows)", "at least one case"),
        ("not_a_table.csv", 1, "-", "Minutes of the village meeting", "case sheet"),
        ("not_a_workbook.xlsx", 0, "-", "not a readable XLSX", ".xlsx"),
    ],
)
def test_each_kind_of_bad_sheet_is_reported_with_row_column_value_and_expectation(name, row, column, value, expected):
    problems = problems_of(DATA / name)
    assert list(problems.columns) == ["file", "row", "column", "value", "expected"]
    hit = problems[(problems["row"] == row) & (problems["column"] == column)]
    assert len(hit) == 1, problems.to_string()
    assert str(hit["value"].iloc[0]).startswith(value)
    assert expected in hit["expected"].iloc[0]
    assert (problems["file"] == name).all()


def test_duplicate_case_ids_are_reported_with_both_rows():
    problems = problems_of(DATA / "duplicate_id.csv")
    dup = problems[problems["column"] == "case_id"]
    assert sorted(dup["row"]) == [3, 5]
    assert (dup["value"] == "KR-P1-B").all()


def test_all_problems_are_collected_in_one_pass(tmp_path):
    src = (DATA / "bad_code.csv").read_text(encoding="utf-8").splitlines()
    src[1] = src[1].replace("KR-P1-A,KR,", "KR-P1-A,XX,", 1)
    bad = tmp_path / "many.csv"
    bad.write_text("\n".join(src) + "\n", encoding="utf-8")
    problems = problems_of(bad)
    assert set(problems["column"]) >= {"country", "integration", "resident_org"}


def test_error_message_is_a_table_naming_file_row_column_value_and_expectation():
    with pytest.raises(CaseDataError) as info:
        read_cases(DATA / "bad_code.csv")
    text = str(info.value)
    assert text.startswith("2 problems in bad_code.csv")
    assert "integration" in text and "one of 0, 1, 2, 3" in text


def test_missing_file_raises_file_not_found():
    with pytest.raises(FileNotFoundError):
        read_cases(DATA / "does_not_exist.csv")


# --- CLI ------------------------------------------------------------------------------------------------------


def test_cli_validate_accepts_the_sample(capsys):
    assert main(["validate", str(paths.SAMPLE_CASES)]) == 0
    out = capsys.readouterr().out
    assert "26 cases" in out and "utf-8" in out and "ILLUSTRATIVE" in out


@pytest.mark.parametrize("name, code", [("bad_code.csv", 1), ("blank_row.csv", 1), ("not_a_table.csv", 1),
                                        ("empty.csv", 2), ("not_a_workbook.xlsx", 2)])
def test_cli_validate_prints_the_problem_table_and_no_traceback(name, code, capsys):
    # 1: the sheet reads and has problems in its rows; 2: the file cannot be read as a sheet at all (README)
    assert main(["validate", str(DATA / name)]) == code
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err


def test_cli_validate_exits_2_for_a_missing_file_in_one_line():
    proc = subprocess.run([sys.executable, "-m", "krihs_analysis.cli", "validate", "no/such/sheet.csv"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name, content, reason", [
    ("fake.xlsx", b"junk", "not a readable XLSX workbook (BadZipFile) an .xlsx file saved by Excel"),
    ("empty.csv", b"", "(empty file)"),
    ("notes.md", b"# notes", "file type '.md'"),
])
def test_cli_validate_exits_2_for_a_file_that_is_not_a_sheet_and_shows_the_whole_reason(tmp_path, capsys, name,
                                                                                      content, reason):
    # The README's "2 unreadable": these printed their table and exited 1, as a sheet with a bad code does, and
    # the reason was cut at 40 characters ("not a readable XLSX workbook (BadZipF...") in a terminal.
    from krihs_analysis.cli import main

    (tmp_path / name).write_bytes(content)
    assert main(["validate", str(tmp_path / name)]) == 2
    assert reason in capsys.readouterr().err
    assert main(["validate", str(DATA / "bad_code.csv")]) == 1  # a sheet that reads, with a problem in a cell


# --- build ----------------------------------------------------------------------------------------------------


def test_a_sheet_read_again_is_a_fresh_copy_and_an_edited_sheet_is_validated_again(tmp_path):
    sheet = tmp_path / "cases.csv"
    shutil.copy2(paths.SAMPLE_CASES, sheet)
    first = read_cases(sheet)
    first.loc[0, "case_id"] = "changed by the caller"
    first.attrs["source"] = "changed by the caller"
    again = read_cases(sheet)
    assert again.loc[0, "case_id"] != "changed by the caller" and again.attrs["source"] == "cases.csv"
    pd.testing.assert_frame_equal(again, read_cases(paths.SAMPLE_CASES), check_exact=True)
    # Same path, new bytes: the edit is seen, and a bad edit is reported, not answered from memory.
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    sheet.write_text("".join(lines[:3]), encoding="utf-8")
    assert len(read_cases(sheet)) == 2
    sheet.write_text(lines[0] + lines[1].replace("KR-", "XX-", 1), encoding="utf-8")
    with pytest.raises(CaseDataError):
        read_cases(sheet)


def test_build_twice_gives_identical_bytes_and_leaves_raw_untouched(tmp_path):
    raw = tmp_path / "cases_sample.csv"
    shutil.copy2(paths.SAMPLE_CASES, raw)
    before = (raw.read_bytes(), os.stat(raw).st_mtime_ns)
    build(raw, out_dir=tmp_path / "a")
    build(raw, out_dir=tmp_path / "b")
    for name in ("cases.parquet", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (raw.read_bytes(), os.stat(raw).st_mtime_ns) == before


def test_build_manifest_records_hashes_versions_and_counts(tmp_path):
    manifest = build(out_dir=tmp_path)
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    import hashlib

    assert manifest["inputs"][0]["sha256"] == hashlib.sha256(paths.SAMPLE_CASES.read_bytes()).hexdigest()
    assert manifest["codebook_version"] == load_codebook().version
    assert manifest["rows_by_country"] == {"KR": 14, "JP": 12}
    assert manifest["illustrative"] is True
    processed = pd.read_parquet(tmp_path / "cases.parquet")
    assert "task4_intermediary" in processed and len(processed) == 26


def test_build_refuses_to_write_anything_when_validation_fails(tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--raw", str(DATA / "bad_code.csv"), "--out", str(out)]) == 1
    assert not out.exists()


def test_failed_build_leaves_the_last_good_output_in_place(tmp_path):
    build(out_dir=tmp_path)
    good = (tmp_path / "cases.parquet").read_bytes()
    with pytest.raises(CaseDataError):
        build([paths.SAMPLE_CASES, DATA / "bad_code.csv"], out_dir=tmp_path)
    assert (tmp_path / "cases.parquet").read_bytes() == good


def test_build_rejects_case_ids_repeated_across_sheets(tmp_path):
    with pytest.raises(CaseDataError, match="another sheet"):
        build([DATA / "valid_small.csv", paths.SAMPLE_CASES], out_dir=tmp_path)


def test_write_atomic_leaves_no_temporary_file_behind(tmp_path):
    write_atomic(tmp_path / "x.json", "{}")
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


# --- template -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "en", "ja"])
def test_template_filled_with_the_sample_validates(tmp_path, lang):
    sample = read_cases()
    path = write_template(tmp_path / f"coding_{lang}.xlsx", lang=lang, cases=sample)
    back = read_cases(path)
    cb = load_codebook()
    pd.testing.assert_frame_equal(back[list(cb.names)], sample[list(cb.names)])


def test_template_has_translated_headers_dropdowns_and_an_anchor_sheet(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    assert main(["template", str(path), "--lang", "ko"]) == 0
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    cb = load_codebook()
    assert ws.cell(row=1, column=1).value == cb["case_id"].label("ko")
    validated = {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation}
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(cb.names, start=1):
        if cb[name].levels:
            assert get_column_letter(j) in validated, name
    anchors = wb.worksheets[1]
    texts = [row[6] for row in anchors.iter_rows(min_row=2, values_only=True)]
    assert cb["integration"].level_label(3, "ko") in texts


def _codebook_1_1_1(folder: Path) -> Path:
    """The codebook with the spellings of 1.1.1: Korean "no" as 아니오, Japanese punctuation half-width
    ("いいえ: 活動停止", "自主財源比率(%)", "中規模(5万~20万人)" ...)."""
    import yaml

    from krihs_analysis._io import read_yaml
    from krihs_analysis.codebook import DEFAULT_PATH

    def old(node, lang=None):
        if isinstance(node, dict):
            return {k: old(v, k) for k, v in node.items()}
        if isinstance(node, str) and lang == "ja":
            return node.replace("：", ": ").replace("（", "(").replace("）", ")").replace("～", "~")
        if isinstance(node, str) and lang == "ko":
            return node.replace("아니요", "아니오")
        return node

    path = folder / "codebook_1.1.1.yaml"
    path.write_text(yaml.safe_dump(old(read_yaml(DEFAULT_PATH)), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("lang", "old_no"), [("ko", "아니오: 활동 중단"), ("ja", "いいえ: 活動停止")])
def test_a_sheet_filled_in_on_the_template_of_codebook_1_1_1_reads_as_it_did(tmp_path, lang, old_no):
    # 1.2.0 respelled level labels (아니오 -> 아니요, "いいえ: 活動停止" -> "いいえ：活動停止") and one Japanese header
    # ("自主財源比率(%)" -> "自主財源比率（%）", kept under `aliases`). A sheet made from the old template, with
    # its old headers, dropdown prompts and anchor sheet, reads to the same codes.
    from openpyxl import load_workbook

    old_cb = load_codebook(_codebook_1_1_1(tmp_path))
    assert old_cb["continued"].level_label(0, lang) == old_no
    sample = read_cases()
    path = write_template(tmp_path / f"old_{lang}.xlsx", lang=lang, cases=sample, codebook=old_cb)
    wb = load_workbook(path)
    assert old_no in [row[6] for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
    if lang == "ja":
        assert "自主財源比率(%)" in [c.value for c in wb.worksheets[0][1]]
    names = list(load_codebook().names)
    pd.testing.assert_frame_equal(read_cases(path)[names], sample[names])


@pytest.mark.parametrize("label", ["아니오: 활동 중단", "아니요: 활동 중단", "いいえ: 活動停止", "いいえ：活動停止"])
def test_a_level_label_in_a_code_cell_is_refused_in_its_old_and_new_spelling_alike(tmp_path, label):
    # Cells hold codes (the template's dropdowns offer 0 and 1); a level's label, however spelt, is not one.
    cells = pd.read_csv(DATA / "valid_small.csv", dtype=str, keep_default_na=False)
    cells.loc[0, "continued"] = label
    cells.to_csv(tmp_path / "labels.csv", index=False)
    found = problems_of(tmp_path / "labels.csv")
    assert found[["row", "column", "value", "expected"]].values.tolist() == [[2, "continued", label, "one of 0, 1"]]


@pytest.mark.parametrize(("lang", "no", "old"), [("ko", "아니요: 활동 중단", "아니오"), ("ja", "いいえ：活動停止", "いいえ: ")])
def test_the_template_writes_the_labels_of_codebook_1_2_0(tmp_path, lang, no, old):
    import re

    from openpyxl import load_workbook

    wb = load_workbook(write_template(tmp_path / f"t_{lang}.xlsx", lang=lang))
    sheet, anchors = wb.worksheets
    levels = [row[6] for row in anchors.iter_rows(min_row=2, values_only=True) if row[5]]
    prompts = [dv.prompt for dv in sheet.data_validations.dataValidation if dv.prompt]
    assert no in levels and any(f"0 = {no}" in p for p in prompts)
    assert not [t for t in (*levels, *prompts) if old in t]
    if lang == "ja":
        assert "自主財源比率（%）" in [c.value for c in sheet[1]]
        assert not [t for t in levels if re.search(r"[:;()~]", t)]


# --- context --------------------------------------------------------------------------------------------------


def test_context_mic_survey_carries_the_published_figures_and_source():
    # Source: MIC survey of regional management organisations (shared/reference/context-facts.md); FY2017 as the
    # press reported it: 4,177 (通信文化新報 No. 6941) and 711 - 36 = 675 municipalities (日本農業新聞: FY2018's 711,
    # "36 more than FY2017")
    rmo = read_context("rmo_survey")
    assert rmo[["survey_year", "organisations", "municipalities"]].values.tolist() == [
        [2016, 3071, 609], [2017, 4177, 675], [2018, 4787, 711], [2019, 5236, 742], [2021, 6064, 814],
        [2022, 7207, 853],
    ]
    assert 4787 - 610 == 4177 and 711 - 36 == 675  # the FY2018 report's increases over FY2017 agree
    assert rmo["source"].str.contains("Internal Affairs and Communications").all()
    assert set(rmo.attrs["source"]) == {"en", "ko", "ja"}


def test_context_fiscal_codes_keep_their_leading_zero():
    fiscal = read_context("jp_fiscal_fy2021")
    assert "063827" in set(fiscal["code"])


def test_unknown_context_table_is_a_clear_error():
    with pytest.raises(ValueError, match="available"):
        read_context("gdp")


# --- review findings: encodings, XLSX semantics, codes ------------------------------------------------------


def test_a_file_with_only_a_byte_order_mark_is_an_empty_file(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf")
    assert problems_of(p)["value"].tolist() == ["(empty file)"]


def test_utf16_unicode_text_from_excel_is_read_and_reported(tmp_path):
    p = tmp_path / "unicode.txt"
    p.write_bytes((DATA / "valid_small.csv").read_text(encoding="utf-8").replace(",", "\t").encode("utf-16"))
    cases = read_cases(p)
    assert cases.attrs["encoding"] == "utf-16" and len(cases) == 4


def test_a_corrupt_worksheet_is_a_case_data_error_not_a_traceback(tmp_path):
    import zipfile

    good = write_template(tmp_path / "t.xlsx", cases=read_cases(DATA / "valid_small.csv"))
    bad = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    assert "not a readable XLSX" in problems_of(bad)["value"].iloc[0]


def test_an_excel_percent_cell_is_read_as_the_percent_the_user_sees(tmp_path):
    from openpyxl import load_workbook

    path = write_template(tmp_path / "pct.xlsx", cases=read_cases(DATA / "valid_small.csv"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    col = list(load_codebook().names).index("self_funded_pct") + 1
    ws.cell(row=2, column=col, value=0.45).number_format = "0%"
    wb.save(path)
    assert read_cases(path).loc[0, "self_funded_pct"] == pytest.approx(45.0)


@pytest.mark.parametrize(("code", "ok"), [("342149", True), ("322091", True), ("063827", True), ("432105", True),
                                          ("262137", True), ("63827", False), ("342148", False)])
def test_japanese_local_government_codes_are_checked_by_their_check_digit(code, ok):
    # The five real codes are MIC's (shared/reference/context-facts.md); the others drop a leading zero or
    # change the check digit.
    from krihs_analysis.data import is_jp_local_government_code

    assert is_jp_local_government_code(code) is ok


def test_a_japanese_code_that_lost_its_leading_zero_is_reported(tmp_path):
    src = (DATA / "valid_small.csv").read_text(encoding="utf-8").replace(",342149,", ",42149,")
    p = tmp_path / "code.csv"
    p.write_text(src, encoding="utf-8")
    hit = problems_of(p).query("column == 'municipality_code'")
    assert hit["row"].tolist() == [4] and "check digit" in hit["expected"].iloc[0]


def test_stray_cells_right_of_the_table_are_reported_where_they_are(tmp_path):
    lines = (DATA / "valid_small.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",,X"
    p = tmp_path / "extra.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hit = problems_of(p)
    width = len(lines[0].split(","))
    assert hit[["row", "column", "value"]].values.tolist() == [[3, f"column {width + 2}", "X"]]


def test_read_processed_refuses_a_parquet_that_does_not_match_its_manifest(tmp_path):
    from krihs_analysis.data import read_processed

    build(out_dir=tmp_path)
    build(DATA / "valid_small.csv", out_dir=tmp_path / "other")
    (tmp_path / "cases.parquet").write_bytes((tmp_path / "other" / "cases.parquet").read_bytes())
    with pytest.raises(ValueError, match="does not match manifest.json"):
        read_processed(tmp_path / "cases.parquet")


def test_a_build_that_fails_while_writing_replaces_neither_file(tmp_path, monkeypatch):
    import krihs_analysis.data.processed as data

    build(out_dir=tmp_path)
    before = {n: (tmp_path / n).read_bytes() for n in ("cases.parquet", "manifest.json")}
    real = data.write_atomic

    def full_disk(path, payload):
        if "manifest" in str(path):
            raise OSError(28, "No space left on device")
        return real(path, payload)

    monkeypatch.setattr(data, "write_atomic", full_disk)
    with pytest.raises(OSError):
        build(DATA / "valid_small.csv", out_dir=tmp_path)
    assert {n: (tmp_path / n).read_bytes() for n in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.parquet", "manifest.json"]


# --- Japanese codes against MIC's list; characters lost in an encoding conversion (issue 15) ---------------


def sample_with(tmp_path: Path, old: str, new: str, *, encoding: str = "utf-8") -> tuple[Path, int]:
    """The sample with one edit, and the sheet row (header = row 1) of the line edited."""
    lines = paths.SAMPLE_CASES.read_text(encoding="utf-8").splitlines()
    hit = [i for i, line in enumerate(lines) if old in line]
    assert len(hit) >= 1, old
    lines[hit[0]] = lines[hit[0]].replace(old, new, 1)
    p = tmp_path / "edited.csv"
    p.write_text("\n".join(lines) + "\n", encoding=encoding, errors="replace")
    return p, hit[0] + 1


def test_the_samples_real_japanese_cases_match_mics_code_list():
    from krihs_analysis.data.context import jp_municipality_names

    names = jp_municipality_names()
    jp = read_cases().query("country == 'JP' and municipality_code != ''")
    assert sorted(set(jp["municipality_code"])) == ["063827", "262137", "322091", "342149", "432105"]
    assert (jp["municipality"] == jp["municipality_code"].map(names)).all()


def test_a_japanese_case_with_another_municipalitys_name_for_its_code_is_rejected_with_the_expected_name(tmp_path):
    # JP-02's code 322091 is 雲南市 (島根県) in MIC's list; the sheet says 安芸高田市 (which is 342149).
    p, row = sample_with(tmp_path, "雲南市,322091", "安芸高田市,322091")
    hit = problems_of(p)
    assert hit[["row", "column", "value"]].values.tolist() == [[row, "municipality", "安芸高田市"]]
    assert hit["expected"].iloc[0].startswith("雲南市 (島根県)") and "322091" in hit["expected"].iloc[0]


def test_a_japanese_code_with_a_valid_check_digit_that_names_no_municipality_is_rejected(tmp_path):
    # 340006 is Hiroshima prefecture's own code (valid check digit), not a municipality's.
    p, row = sample_with(tmp_path, "安芸高田市,342149", "安芸高田市,340006")
    hit = problems_of(p)
    assert hit[["row", "column", "value"]].values.tolist() == [[row, "municipality_code", "340006"]]
    assert "全国地方公共団体コード" in hit["expected"].iloc[0]


@pytest.mark.parametrize("name", ["広島県安芸高田市", "広島県 安芸高田市", "安芸高田", "安芸高田市"])
def test_a_prefecture_in_front_or_no_type_suffix_still_matches_mics_name(tmp_path, name):
    p, _ = sample_with(tmp_path, "安芸高田市,342149", f"{name},342149")
    assert read_cases(p).query("case_id == 'JP-01'")["municipality"].item() == name


def test_a_question_mark_in_place_of_a_kanji_is_reported_with_row_and_column(tmp_path):
    p, row = sample_with(tmp_path, "JP-05,JP,JP-RMO,MIC (総務省)", "JP-05,JP,JP-RMO,MIC (?務省)")
    hit = problems_of(p)
    assert hit[["row", "column", "value"]].values.tolist() == [[row, "ministry", "MIC (?務省)"]]
    assert "encoding" in hit["expected"].iloc[0]


def test_a_replacement_character_is_reported(tmp_path):
    p, row = sample_with(tmp_path, "one of Unnan's 地域自主組織", "one of Unnan's 地域自\ufffd組織")
    hit = problems_of(p)
    assert hit[["row", "column"]].values.tolist() == [[row, "notes"]]
    assert "U+FFFD" in hit["expected"].iloc[0]


def test_a_sample_round_tripped_through_cp949_is_no_longer_silently_valid(tmp_path):
    # CP949 has no 総 (Korean writes 總) and no ー: Excel writes '?' for them.
    text = paths.SAMPLE_CASES.read_text(encoding="utf-8")
    p = tmp_path / "cp949.csv"
    p.write_bytes(text.encode("cp949", errors="replace"))
    hit = problems_of(p)
    assert set(hit["column"]) >= {"ministry", "notes"}
    jp_rows = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("JP-")]
    assert set(hit.query("column == 'ministry'")["row"]) == set(jp_rows)  # every JP row says MIC (総務省)


def test_a_korean_question_mark_is_not_a_lost_character(tmp_path):
    p, _ = sample_with(tmp_path, "illustrative regional management organisation",
                       "illustrative regional management organisation 지속될까? 미정")
    assert len(read_cases(p)) == 26


def test_a_raw_sheet_shows_its_cells_as_a_table_of_text_with_the_sheets_row_numbers(tmp_path):
    # every public result object has a .table; a raw sheet's is the text the user typed, rows numbered as in the
    # error tables (row 1 is the header), a ragged row padded or given columns of its own
    from krihs_analysis.data import read_raw

    path = tmp_path / "cases.csv"
    path.write_text("case_id,country\nKR-1,KR\nJP-1\nJP-2,JP,extra\n", encoding="utf-8")
    table = read_raw(path).table
    assert table.columns.tolist() == ["case_id", "country", "(column 3)"]
    assert table.index.tolist() == [2, 3, 4]
    assert table.loc[3].tolist() == ["JP-1", "", ""] and table.loc[4, "(column 3)"] == "extra"
    assert all(str(t) == "str" for t in table.dtypes)


def test_a_workbook_is_read_from_its_first_visible_sheet(tmp_path):
    # A hidden first sheet (an old copy of the cases) was read and validated instead of the sheet the coder sees.
    import csv

    from openpyxl import Workbook

    rows = list(csv.reader(paths.SAMPLE_CASES.read_text(encoding="utf-8").splitlines()))
    wb = Workbook()
    old = wb.active
    old.title = "old copy"
    stale = [r[:] for r in rows]
    stale[1][rows[0].index("sustainability")] = "0"
    for r in stale:
        old.append(r)
    old.sheet_state = "hidden"
    cases_ws = wb.create_sheet("cases")
    for r in rows:
        cases_ws.append(r)
    wb.active = 1
    wb.save(tmp_path / "book.xlsx")
    got = read_cases(tmp_path / "book.xlsx")
    assert got.attrs["sheet"] == "cases"
    assert got["sustainability"].astype(int).tolist() == read_cases()["sustainability"].astype(int).tolist()
    assert read_cases(tmp_path / "book.xlsx", sheet="old copy")["sustainability"].astype(int).iloc[0] == 0


def test_a_cell_that_looks_right_says_what_it_holds_instead(tmp_path):
    # "２" (full width) looks like an allowed code, and a date-formatted year shows 2015: the messages said only
    # "one of 0, 1, 2, 3" and "a year from 1950 to 2030".
    import csv
    import io

    rows = list(csv.reader(io.StringIO(paths.SAMPLE_CASES.read_text(encoding="utf-8"))))
    head = rows[0]
    rows[1][head.index("integration")] = "２"
    rows[2][head.index("start_year")] = "2015-01-01T00:00:00"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (tmp_path / "slips.csv").write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_cases(tmp_path / "slips.csv")
    expected = dict(zip(info.value.problems["column"], info.value.problems["expected"]))
    assert expected["integration"] == "one of 0, 1, 2, 3 (the cell has full-width characters; type '2' half-width)"
    assert expected["start_year"].endswith("(the cell is a date; format it as a number and type the year)")


@pytest.mark.parametrize("column, value, hint", [
    ("integration", "2024-02-01", None),  # a date in a code column: no advice to "type the year"
    ("city_size", "medium\xa0", None),  # a non-breaking space is not a full-width character
    ("city_size", "ㅇ", None),  # Hangul compatibility jamo are not full-width Latin
    ("integration", "３", "type '3' half-width"),
    ("continued", "いいえ：活動停止", None),  # a level's label (full-width colon since codebook 1.2.0) is no code in any width
])
def test_the_hint_is_given_only_where_it_is_right(tmp_path, column, value, hint):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(paths.SAMPLE_CASES.read_text(encoding="utf-8"))))
    rows[1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (tmp_path / "slip.csv").write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_cases(tmp_path / "slip.csv")
    expected = dict(zip(info.value.problems["column"], info.value.problems["expected"]))[column]
    assert (hint in expected) if hint else ("(the cell" not in expected), expected
