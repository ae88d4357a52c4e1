"""Context tables built from MIC's raw spreadsheets (issue 15).

References: the raw MIC files in ``data/raw/context/`` read here with *other* readers than the package uses
(openpyxl for .xlsx, xlrd for .xls; the package reads both with calamine), and the published FY2021 figures of
the five case municipalities (MIC, 全市町村の主要財政指標 令和3年度, as transcribed in the project's context facts).
"""

from __future__ import annotations

import functools
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from krihs_analysis import paths
from krihs_analysis.data import is_jp_local_government_code, read_context
from krihs_analysis.data.context import FISCAL_COLUMNS, fiscal_year_of

RAW = paths.CONTEXT / "jp_mic_fiscal_city_fy2005_fy2021"
FILES = sorted(p.name for p in RAW.iterdir())
COLUMNS = {  # MIC's header -> panel column
    "財政力指数": "fiscal_strength_index",
    "経常収支比率": "current_balance_ratio_pct",
    "実質公債費比率": "real_debt_service_ratio_pct",
    "将来負担比率": "future_burden_ratio_pct",
    "ラスパイレス指数": "laspeyres_index",
}


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return read_context("jp_municipal_fiscal")


def raw_rows(name: str) -> list[list]:
    """A MIC table read independently of the package: openpyxl for .xlsx, xlrd for .xls."""
    path = RAW / name
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:  # a read-only workbook holds its file open until closed
            return [["" if v is None else v for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    import xlrd

    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    return [sheet.row_values(i) for i in range(sheet.nrows)]


@functools.cache  # two tests read each table: once is enough (callers only read the rows)
def raw_municipal_rows(name: str) -> list[dict]:
    rows = raw_rows(name)
    header = [str(h).split("\n")[0].strip() for h in rows[1]]
    first = 1 if header[0] == "団体コード" else 0
    out = []
    for r in rows[2:]:
        pref, muni = str(r[first]).strip(), str(r[first + 1]).strip()
        if pref.endswith(("都", "道", "府", "県")) and muni:
            rec = {"prefecture": pref, "municipality": muni, "code": str(r[0]) if first else None}
            for head, col in COLUMNS.items():
                rec[col] = r[header.index(head)] if head in header else None
            out.append(rec)
    return out


def as_printed(value, digits: int) -> float:
    """What MIC prints: a number (bracketed for reference values), '-' for none."""
    if value is None:
        return math.nan
    s = str(value).strip().strip("()")
    if s in ("-", "－", ""):
        return math.nan
    return round(float(s), digits)


# --------------------------------------------------------------------------------------------------------------
# The panel


def test_panel_has_the_columns_of_the_issue_and_every_fiscal_year(panel):
    assert list(panel.columns) == FISCAL_COLUMNS
    assert sorted(panel["fiscal_year"].unique()) == list(range(2005, 2022))
    assert str(panel["fiscal_year"].dtype) == "int64"


def test_fy2021_lists_1741_municipalities_with_distinct_valid_codes(panel):
    fy = panel[panel["fiscal_year"] == 2021]
    assert len(fy) == 1741 and fy["code"].nunique() == 1741
    assert fy["code"].map(is_jp_local_government_code).all()


@pytest.mark.parametrize("file", FILES)
def test_each_year_has_every_municipal_row_of_mics_table(panel, file):
    year = fiscal_year_of(file)
    raw = raw_municipal_rows(file)
    mine = panel[panel["fiscal_year"] == year]
    assert len(mine) == len(raw)
    assert list(zip(mine["prefecture"], mine["municipality"])) == [(r["prefecture"], r["municipality"]) for r in raw]
    if raw[0]["code"] is not None:
        assert mine["code"].tolist() == [r["code"] for r in raw]


@pytest.mark.parametrize("file", FILES)
def test_every_value_equals_what_mic_prints(panel, file):
    # Independent reading of the whole table, not a sample: the same cells through openpyxl / xlrd.
    year = fiscal_year_of(file)
    mine = panel[panel["fiscal_year"] == year]
    # plain floats: a cell-by-cell .at on the panel (whose attrs carry the sources) costs ~60 µs a cell
    values = {col: mine[col].to_numpy(dtype="float64", na_value=math.nan).tolist() for col in COLUMNS.values()}
    digits = {"fiscal_strength_index": 2}
    for i, rec in enumerate(raw_municipal_rows(file)):
        for col in COLUMNS.values():
            expected = as_printed(rec[col], digits.get(col, 1))
            got = values[col][i]
            assert (math.isnan(expected) and math.isnan(got)) or got == expected, (file, rec["municipality"], col)


# MIC, 全市町村の主要財政指標 (令和3年度): fiscal strength, current balance, real debt service, future burden.
PUBLISHED_FY2021 = [
    ("342149", "広島県", "安芸高田市", 0.32, 88.6, 12.3, 83.9),
    ("322091", "島根県", "雲南市", 0.25, 94.3, 11.1, 98.0),
    ("063827", "山形県", "川西町", 0.25, 91.5, 12.0, 132.6),
    ("432105", "熊本県", "菊池市", 0.43, 87.7, 10.4, 13.7),
    ("262137", "京都府", "南丹市", 0.31, 88.9, 11.6, 57.5),
]


@pytest.mark.parametrize("row", PUBLISHED_FY2021, ids=[r[2] for r in PUBLISHED_FY2021])
def test_case_municipalities_fy2021_equal_mics_published_figures(panel, row):
    code, pref, muni, *values = row
    got = panel[(panel["code"] == code) & (panel["fiscal_year"] == 2021)].iloc[0]
    assert (got["prefecture"], got["municipality"]) == (pref, muni)
    assert got[["fiscal_strength_index", "current_balance_ratio_pct", "real_debt_service_ratio_pct",
                "future_burden_ratio_pct"]].tolist() == values


def test_every_row_names_publisher_table_fiscal_year_and_licence(panel):
    assert panel["source"].notna().all()
    assert panel["source"].str.contains("Ministry of Internal Affairs and Communications").all()
    assert panel["source"].str.contains("全市町村の主要財政指標").all()
    assert panel["source"].str.contains("CC BY 4.0").all()
    assert (panel["source"].str.extract(r"= FY(\d{4})")[0].astype(int) == panel["fiscal_year"]).all()
    # MIC's terms ask for "出典：総務省『…』": every reader of the source writes the label (it was in the data too,
    # and notebook 01 printed "出典：出典：総務省")
    from krihs_analysis.brief.document import source_note
    from krihs_analysis.display import prose

    assert panel.attrs["source"]["ja"].startswith("総務省『全市町村の主要財政指標』")
    shown = re.sub(r"<[^>]+>", "", source_note(panel.attrs["source"]["ja"], lang="ja"))  # (its no-break spans)
    assert shown == f'出典：{panel.attrs["source"]["ja"]}'
    summary = prose("nb01_fiscal_summary", lang="ja", n="1,741", year=2021, median="0.45",
                    source=panel.attrs["source"]["ja"]).data
    assert summary.count("出典") == 1 and "出典：総務省『全市町村の主要財政指標』" in summary


def test_a_dash_is_missing_not_zero(panel):
    # 沖縄県竹富町, FY2009 (H21.xls): 将来負担比率 "-" (no future burden); its other ratios are numbers.
    row = panel[(panel["municipality"] == "竹富町") & (panel["fiscal_year"] == 2009)].iloc[0]
    assert math.isnan(row["future_burden_ratio_pct"]) and row["current_balance_ratio_pct"] == 77.0


def test_indicators_absent_from_a_years_table_are_missing(panel):
    fy2007 = panel[panel["fiscal_year"] == 2007]  # H19.xls has neither 将来負担比率 nor ラスパイレス指数
    assert fy2007["future_burden_ratio_pct"].isna().all() and fy2007["laspeyres_index"].isna().all()
    assert fy2007["fiscal_strength_index"].notna().all()


def test_early_years_keep_pre_merger_municipalities(panel):
    counts = panel.groupby("fiscal_year").size()
    assert counts[2005] == 1844 and counts[2005] > counts[2010] > counts[2021]
    # 岩手県藤沢町 merged into 一関市 in 2011, before MIC printed codes: kept, without a code.
    fujisawa = panel[(panel["prefecture"] == "岩手県") & (panel["municipality"] == "藤沢町")]
    assert sorted(fujisawa["fiscal_year"]) == list(range(2005, 2011)) and fujisawa["code"].isna().all()


def test_early_codes_come_from_the_nearest_coded_year(panel):
    # 熊本市 was 432016 until it became a designated city in April 2012 (431001 from FY2012).
    kumamoto = panel[panel["municipality"] == "熊本市"].set_index("fiscal_year")["code"]
    assert kumamoto[2005] == "432016" and kumamoto[2011] == "432016" and kumamoto[2021] == "431001"
    assert panel.loc[panel["fiscal_year"] == 2005, "code"].dropna().map(is_jp_local_government_code).all()


def test_jp_fiscal_fy2021_is_a_view_of_the_panel(panel):
    view = read_context("jp_fiscal_fy2021")
    fy = panel[panel["fiscal_year"] == 2021].set_index("code")
    for col in ("prefecture", "municipality", "fiscal_strength_index", "current_balance_ratio_pct",
                "real_debt_service_ratio_pct", "future_burden_ratio_pct"):
        assert view[col].tolist() == fy.loc[view["code"], col].tolist(), col
    assert view["source"].tolist() == fy.loc[view["code"], "source"].tolist()
    assert view["known_organisation"].str.len().gt(0).all()


@pytest.fixture
def context_copy(tmp_path) -> Path:
    folder = tmp_path / "context"
    shutil.copytree(paths.CONTEXT, folder)
    return folder


def test_the_view_refuses_published_figures_that_differ_from_mics_table(context_copy):
    csv = context_copy / "jp_fiscal_fy2021.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",0.32,88.6,", ",0.33,88.6,"), encoding="utf-8")
    with pytest.raises(ValueError, match="fiscal_strength_index differs"):
        read_context("jp_fiscal_fy2021", context_dir=context_copy)


def test_an_edited_raw_file_is_refused(context_copy):
    target = context_copy / "jp_mic_fiscal_city_fy2005_fy2021" / "H17.xls"
    data = bytearray(target.read_bytes())
    data[-1] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="sha256 differs"):
        read_context("jp_municipal_fiscal", context_dir=context_copy)


# --------------------------------------------------------------------------------------------------------------
# The code list


@pytest.fixture(scope="module")
def municipalities() -> pd.DataFrame:
    return read_context("jp_municipalities")


def test_code_list_has_every_municipality_once_with_its_readings(municipalities):
    assert len(municipalities) == 1741 and municipalities["code"].is_unique
    assert municipalities["code"].map(is_jp_local_government_code).all()
    aki = municipalities.set_index("code").loc["342149"]
    # MIC: ｱｷﾀｶﾀｼ (half-width, shown full-width); Code for FUKUI: あきたかたし
    assert (aki["prefecture"], aki["municipality"], aki["municipality_kana"], aki["municipality_hiragana"]) == (
        "広島県", "安芸高田市", "アキタカタシ", "あきたかたし")
    assert municipalities["source"].str.contains("全国地方公共団体コード").all()


def test_code_list_agrees_with_the_fy2021_fiscal_table(municipalities, panel):
    fy = panel[panel["fiscal_year"] == 2021].set_index("code")[["prefecture", "municipality"]]
    mine = municipalities.set_index("code")[["prefecture", "municipality"]]
    assert mine.index.sort_values().equals(fy.index.sort_values())
    fy = fy.loc[mine.index]
    differ = mine["municipality"] != fy["municipality"]
    # The two MIC lists spell seven names with small ヶ and large ケ differently (鰺ヶ沢町 / 鰺ケ沢町); nothing else.
    assert differ.sum() == 7
    assert (mine.loc[differ, "municipality"].str.replace("ヶ", "ケ") == fy.loc[differ, "municipality"]).all()
    assert (mine["prefecture"] == fy["prefecture"]).all()


def test_coordinates_are_in_japan_and_types_are_counted(municipalities):
    assert municipalities["lat"].between(20, 46).all() and municipalities["lng"].between(122, 154).all()
    counts = municipalities["municipality_type"].value_counts().to_dict()
    # 20 designated cities and 23 special wards (as of 2018-10); 792 cities in all.
    assert counts["designated_city"] == 20 and counts["special_ward"] == 23
    assert counts["designated_city"] + counts["city"] == 792


@pytest.mark.parametrize("years, message", [
    ([2016, 20210], "got 20210 in row 2"),    # a mistyped year made 18,193 gaps (1e9: the process ran out of memory)
    (["FY2016", 2018], "got 'FY2016' in row 1"),  # float's own "could not convert string to float"
    ([2016, 2017.5], "got 2017.5 in row 2"),
    ([True, 2018], "got True in row 1"),
])
def test_survey_gaps_refuses_what_is_not_a_year(years, message):
    from krihs_analysis.data import survey_gaps

    with pytest.raises(ValueError, match=r"survey_year must hold whole years from 1900 to 2100, " + re.escape(message)):
        survey_gaps(pd.DataFrame({"survey_year": years}))


def test_survey_gaps_names_the_years_inside_the_span_without_a_row():
    from krihs_analysis.data import survey_gaps

    assert survey_gaps(read_context("rmo_survey")) == [2020]  # MIC's count: no stored source gives FY2020
    assert survey_gaps(pd.DataFrame({"survey_year": pd.array([2019, None, 2016], dtype="Int64")})) == [2017, 2018]
    assert survey_gaps(pd.DataFrame({"survey_year": pd.Series([], dtype="int64")})) == []
