"""Published context statistics (``data/raw/context/``), each row with its source.

Two kinds of table live there. Small tables of published figures are CSV files with a ``source`` column. The
Japanese municipal tables are *built by code* from MIC's own spreadsheets, which are kept byte for byte as MIC
published them (their sha256 is in ``sources.yaml`` and checked on reading):

- ``jp_municipal_fiscal``: 全市町村の主要財政指標 for every fiscal year FY2005-FY2021, one row per municipality and
  year (the pre-merger municipalities of the early years included);
- ``jp_municipalities``: MIC's 全国地方公共団体コード with kana, plus the hiragana and coordinates of the CC0
  Code for FUKUI list, and each name as English and Korean readers write it (``municipality_en``,
  ``municipality_ko``), written by rule from the hiragana with the word breaks of the Gazetteer of Japan
  (:mod:`.placenames`);
- ``jp_fiscal_fy2021``: the FY2021 rows of the panel for the Japanese case municipalities (a view, checked
  against the published figures kept in ``jp_fiscal_fy2021.csv``).

Building the panel from the 17 MIC workbooks with calamine (a Rust reader of .xls and .xlsx) takes about 1 s
(measured cold on the project machine: a third reading, the rest parsing), so there is no on-disk cache under
``data/processed/``: the built tables are kept in memory per folder for the life of the process, and each call
returns a copy.

Examples
--------
>>> panel = read_context("jp_municipal_fiscal")
>>> panel.groupby("fiscal_year")["municipality"].size().loc[[2005, 2021]].tolist()
[1844, 1741]
>>> panel.loc[(panel["code"] == "342149") & (panel["fiscal_year"] == 2021), "fiscal_strength_index"].item()
0.32
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from .placenames import municipality_name

#: The panel's columns, in order.
FISCAL_COLUMNS = [
    "code", "prefecture", "municipality", "fiscal_year", "fiscal_strength_index", "current_balance_ratio_pct",
    "real_debt_service_ratio_pct", "future_burden_ratio_pct", "laspeyres_index", "source",
]
#: MIC's header -> panel column, and the precision MIC prints each indicator with.
_INDICATORS = {
    "財政力指数": ("fiscal_strength_index", 2),
    "経常収支比率": ("current_balance_ratio_pct", 1),
    "実質公債費比率": ("real_debt_service_ratio_pct", 1),
    "将来負担比率": ("future_burden_ratio_pct", 1),
    "ラスパイレス指数": ("laspeyres_index", 1),
}
_ERA = {"H": 1988, "R": 2018}  # 平成 1 = 1989, 令和 1 = 2019
_ERA_NAME = {"H": "平成", "R": "令和"}
_PREFECTURE = re.compile(r".+[都道府県]")
_CODE = re.compile(r"[0-9]{6}")


def _context_folder(context_dir: Any) -> Path:
    """The folder of context tables: ``context_dir`` checked as a path, or the package's when None."""
    if context_dir is None:
        return paths.CONTEXT
    from .._validate import check_path

    return check_path(context_dir, "context_dir", example="context_dir='data/raw/context'")


def context_sources(context_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The catalogue of published context statistics (``data/raw/context/sources.yaml``).

    Parameters
    ----------
    context_dir
        The folder holding ``sources.yaml`` (``data/raw/context`` by default).

    Returns
    -------
    dict
        Table name -> its entry in ``sources.yaml`` as written there (``title``, ``source``, ``file`` or
        ``files``, ``columns``, ``notes`` ...).

    Examples
    --------
    >>> sorted(context_sources())  # doctest: +NORMALIZE_WHITESPACE
    ['jp_fiscal_fy2021', 'jp_municipal_fiscal', 'jp_municipalities', 'kr_extinction_risk', 'rmo_survey']
    """
    from .._io import read_yaml

    folder = _context_folder(context_dir)
    return read_yaml(folder / "sources.yaml")


def survey_gaps(survey: pd.DataFrame, *, column: str = "survey_year") -> list[int]:
    """The years inside a survey table's span that it has no row for (MIC's count of regional management
    organisations jumps from FY2019 to FY2021: no stored source gives FY2020).

    A figure or table of the survey says them: a bar chart on a numeric axis shows the gap, but not why.

    Parameters
    ----------
    survey : pandas.DataFrame
        A table with one row per year, e.g. ``read_context("rmo_survey")``.
    column : str
        The column of years.

    Returns
    -------
    list of int
        The missing years, in order; empty when the years run without a gap (or the table is empty).

    Raises
    ------
    ValueError
        `survey` is not a DataFrame with `column`, or a year is not a whole number from 1900 to 2100 (a mistyped
        20210 would make eighteen thousand gaps).

    Examples
    --------
    >>> import pandas as pd
    >>> survey_gaps(pd.DataFrame({"survey_year": [2016, 2017, 2019, 2021]}))
    [2018, 2020]
    """
    import numbers

    from .._validate import check_columns, check_frame

    check_frame(survey, "survey", allow_empty=True)
    check_columns(survey, [column], name="survey")
    held = set()
    for row, v in enumerate(survey[column], start=1):
        if pd.isna(v):
            continue  # a row without a year is no year
        if (isinstance(v, bool) or not isinstance(v, numbers.Real) or not float(v).is_integer()
                or not 1900 <= v <= 2100):
            raise ValueError(f"survey: {column} must hold whole years from 1900 to 2100, got {v!r} in row {row}; "
                             f"pass e.g. read_context('rmo_survey')")
        held.add(int(v))
    return [y for y in range(min(held), max(held) + 1) if y not in held] if held else []


def read_context(name: str, *, context_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one published context table with its source.

    Parameters
    ----------
    name
        ``rmo_survey`` (MIC survey of regional management organisations), ``jp_municipal_fiscal`` (MIC's key
        fiscal indicators of every municipality, FY2005-FY2021), ``jp_municipalities`` (MIC's local government
        codes with readings and coordinates), ``jp_fiscal_fy2021`` (the FY2021 indicators of the Japanese case
        municipalities, a view of the panel) or ``kr_extinction_risk``.
    context_dir
        The folder holding ``sources.yaml`` and the files (``data/raw/context`` by default).

    Returns
    -------
    pandas.DataFrame
        The table; every row carries its ``source``. ``.attrs`` holds ``name``, ``title`` and ``source``
        (en/ko/ja) and ``notes``. ``jp_municipal_fiscal`` has the columns of :data:`FISCAL_COLUMNS`: ``code``
        (6-digit text, missing for municipalities that disappeared before MIC printed codes), ``prefecture``,
        ``municipality``, ``fiscal_year`` (int), the five indicators (float64; missing where MIC prints "-" or has
        no such column that year) and ``source`` (publisher, table, fiscal year, licence).

    Raises
    ------
    ValueError
        An unknown name, a row without a source, or a raw MIC file whose sha256 differs from ``sources.yaml``.

    Examples
    --------
    >>> read_context("rmo_survey")["organisations"].tolist()
    [3071, 4177, 4787, 5236, 6064, 7207]
    >>> read_context("jp_municipalities").set_index("code").loc["063827", ["municipality", "municipality_hiragana"]].tolist()
    ['川西町', 'かわにしまち']
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be the name of one context table (e.g. 'rmo_survey'), got {name!r:.80}")
    folder = _context_folder(context_dir).resolve()
    if not (folder / "sources.yaml").is_file():
        raise FileNotFoundError(f"context_dir {folder} has no sources.yaml: give the folder that holds the context "
                                "tables and their sources.yaml (data/raw/context by default)")
    catalogue = context_sources(folder)
    if name not in catalogue:
        raise ValueError(f"unknown context table {name!r}; available: {', '.join(sorted(catalogue))}")
    entry = catalogue[name]
    if name == "jp_municipal_fiscal":
        frame = _fiscal_panel(str(folder)).copy()
    elif name == "jp_municipalities":
        frame = _municipalities(str(folder)).copy()
    elif name == "jp_fiscal_fy2021":
        frame = _case_view(folder, entry)
    else:
        frame = pd.read_csv(folder / entry["file"], dtype={"code": str}, encoding="utf-8")
    if "source" not in frame or frame["source"].isna().any():
        raise ValueError(f"{name}: every row needs a 'source'")
    frame.attrs.update(name=name, title=entry["title"], source=entry["source"], notes=entry.get("notes", ""))
    return frame


# --------------------------------------------------------------------------------------------------------------
# Raw files


def _checked_files(folder: Path, entry: dict[str, Any]) -> dict[str, Path]:
    """The raw files of one entry, after checking each against the sha256 that ``sources.yaml`` records."""
    from .._io import sha256_file

    base = folder / entry.get("folder", ".")
    out = {}
    for file, digest in entry["files"].items():
        path = base / file
        if not path.is_file():
            raise ValueError(f"{path}: raw file missing (sources.yaml lists it)")
        if sha256_file(path) != digest:
            raise ValueError(f"{path}: sha256 differs from sources.yaml; raw files are kept as published, "
                             "so restore the original (or record a new version with its source)")
        out[file] = path
    return out


def _rows(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    # Read through a file we close ourselves: a workbook opened by path keeps its handle until garbage collection,
    # which surfaces as a ResourceWarning (an error where warnings are errors, as in the figures test).
    with open(path, "rb") as fh:
        return CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0).to_python()


def fiscal_year_of(file: str) -> int:
    """The fiscal year of an MIC file named by its Japanese era year (``H17.xls`` -> 2005, ``R1.xlsx`` -> 2019).

    Examples
    --------
    >>> fiscal_year_of("H17.xls"), fiscal_year_of("R3.xlsx")
    (2005, 2021)
    """
    m = re.fullmatch(r"([HR])([0-9]{1,2})\.xlsx?", Path(file).name)
    if not m:
        raise ValueError(f"{file}: expected an MIC file named by era year, like H17.xls or R3.xlsx")
    return _ERA[m.group(1)] + int(m.group(2))


def _number(value: Any, digits: int) -> float:
    """A cell as MIC prints it: a number (or "(0.80)", a bracketed reference value), "-" for none."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), digits)
    s = unicodedata.normalize("NFKC", str(value)).strip().strip("()")
    if s in ("", "-", "−", "ー"):
        return float("nan")
    try:
        return round(float(s), digits)
    except ValueError:
        raise ValueError(f"unexpected value {value!r} in an MIC fiscal table") from None


def _name_key(prefecture: str, name: str) -> tuple[str, str]:
    # MIC writes 鰺ヶ沢町 in some years and 鰺ケ沢町 in others; the code is the same.
    return prefecture.strip(), name.strip().replace("ヶ", "ケ")


def _parse_fiscal(path: Path) -> pd.DataFrame:
    """One MIC table: its municipal rows, with the code where the table prints one."""
    rows = _rows(path)
    header = [str(h).strip() for h in rows[1]]
    has_code = header[0] == "団体コード"
    first = 1 if has_code else 0
    if header[first:first + 2] != ["都道府県名", "団体名"]:
        raise ValueError(f"{path.name}: unexpected header {header[:3]} (expected 団体コード/都道府県名/団体名)")
    columns: dict[str, int] = {}
    for j, head in enumerate(header):
        key = head.split("\n")[0].strip()
        if key in _INDICATORS and key not in columns:  # the first Laspeyres column, not the 参考値 beside it
            columns[key] = j
    records = []
    for r in rows[2:]:
        pref, name = str(r[first]).strip(), str(r[first + 1]).strip()
        if not (_PREFECTURE.fullmatch(pref) and name):  # the national average and the notes below the table
            continue
        code = str(r[0]).strip() if has_code else None
        if has_code and not _CODE.fullmatch(code):
            raise ValueError(f"{path.name}: code {code!r} of {pref} {name} is not 6 digits")
        rec = {"code": code, "prefecture": pref, "municipality": name}
        for key, (col, digits) in _INDICATORS.items():
            rec[col] = _number(r[columns[key]], digits) if key in columns else float("nan")
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _source(year: int, file: str, *, coded: bool) -> str:
    era = file[0]
    n = int(re.match(r"[HR]([0-9]+)", file).group(1))
    label = f"{_ERA_NAME[era]}{'元' if n == 1 else n}年度"
    text = (f"Ministry of Internal Affairs and Communications (総務省), 全市町村の主要財政指標 ({label} = FY{year}), "
            "MIC site terms (compatible with CC BY 4.0)")
    if not coded:
        text += "; 団体コード matched by prefecture and name (not printed before FY2011)"
    return text


@cache
def _fiscal_panel(folder: str) -> pd.DataFrame:
    base = Path(folder)
    entry = context_sources(base)["jp_municipal_fiscal"]
    files = _checked_files(base, entry)
    tables = {fiscal_year_of(f): (f, _parse_fiscal(p)) for f, p in files.items()}
    missing = sorted(set(range(2005, 2022)) - set(tables))
    if missing:
        raise ValueError(f"jp_municipal_fiscal: no MIC table for fiscal year(s) {missing}")
    # Codes for the years MIC prints none: the earliest coded table with the same prefecture and name wins
    # (熊本市 was 432016 before it became a designated city, 431001 after), then MIC's current code list.
    lookup: dict[tuple[str, str], str] = {}
    for year in sorted(tables):
        frame = tables[year][1]
        if frame["code"].notna().all():
            for c, p, m in frame[["code", "prefecture", "municipality"]].itertuples(index=False):
                lookup.setdefault(_name_key(p, m), c)
    for c, p, m in _municipalities(folder)[["code", "prefecture", "municipality"]].itertuples(index=False):
        lookup.setdefault(_name_key(p, m), c)
    parts = []
    for year in sorted(tables):
        file, frame = tables[year]
        coded = frame["code"].notna().all()
        if not coded:
            frame = frame.assign(code=[lookup.get(_name_key(p, m)) for p, m in
                                       zip(frame["prefecture"], frame["municipality"], strict=True)])
        parts.append(frame.assign(fiscal_year=year, source=_source(year, file, coded=coded)))
    panel = pd.concat(parts, ignore_index=True)
    panel["code"] = panel["code"].astype("str")
    for col in ("prefecture", "municipality", "source"):
        panel[col] = panel[col].astype("str")
    panel["fiscal_year"] = panel["fiscal_year"].astype("int64")
    for col, _ in _INDICATORS.values():
        panel[col] = panel[col].astype("float64")
    return panel[FISCAL_COLUMNS]


def _designated_cities(fukui: pd.DataFrame) -> set[tuple[str, str]]:
    """Cities with wards in the Code for FUKUI list (``札幌市 中央区``): the designated cities."""
    wards = fukui["city"].str.extract(r"^(\S+市) \S+区$")[0].dropna()
    return set(zip(fukui.loc[wards.index, "pref"], wards, strict=True))


def _municipality_type(prefecture: str, name: str, designated: set[tuple[str, str]]) -> str:
    if (prefecture, name) in designated:
        return "designated_city"
    if prefecture == "東京都" and name.endswith("区"):
        return "special_ward"
    return {"市": "city", "町": "town", "村": "village"}[name[-1]]


@cache
def _municipalities(folder: str) -> pd.DataFrame:
    base = Path(folder)
    entry = context_sources(base)["jp_municipalities"]
    files = _checked_files(base, entry)
    rows = _rows(files["jp_local_government_codes_kana_mic.xlsx"])
    if not str(rows[0][0]).startswith("団体コード"):
        raise ValueError(f"jp_local_government_codes_kana_mic.xlsx: unexpected header {rows[0][:3]}")
    mic = pd.DataFrame(
        [[str(c).strip() for c in r[:5]] for r in rows[1:] if str(r[2]).strip()],  # prefecture rows have no name
        columns=["code", "prefecture", "municipality", "prefecture_kana", "municipality_kana"],
    )
    for col in ("prefecture_kana", "municipality_kana"):
        mic[col] = mic[col].map(lambda s: unicodedata.normalize("NFKC", s))
    fukui = pd.read_csv(files["jp_municipalities_codes_kana_latlng_code4fukui.csv"], encoding="utf-8-sig",
                        dtype={"lgcode": str, "cid": str})
    designated = _designated_cities(fukui)
    extra = fukui.rename(columns={"lgcode": "code", "citykana": "municipality_hiragana"})
    extra = extra[["code", "municipality_hiragana", "lat", "lng"]].drop_duplicates("code")
    out = mic.merge(extra, on="code", how="left", validate="one_to_one")
    out["municipality_type"] = [_municipality_type(p, m, designated)
                                for p, m in zip(out["prefecture"], out["municipality"], strict=True)]
    # Names English and Korean readers can read (placenames): from the Code for FUKUI hiragana (MIC's half-width kana
    # writes small ょ large), the word breaks settled by the Gazetteer of Japan's romanisation where it has the code.
    romaji = {r["code"]: r["name_romaji"] for r in json.loads(files["jp_municipalities_romaji_gsi.json"].read_text(
        encoding="utf-8"))}
    readings = [h if isinstance(h, str) and h else k for h, k in
                zip(out["municipality_hiragana"], out["municipality_kana"], strict=True)]
    for lang in ("en", "ko"):
        out[f"municipality_{lang}"] = [municipality_name(r, t, lang=lang, romaji=romaji.get(c)) for r, t, c in
                                       zip(readings, out["municipality_type"], out["code"], strict=True)]
    mic_src = "MIC, 全国地方公共団体コード (version after 2018-10), MIC site terms (compatible with CC BY 4.0)"
    fukui = "; hiragana and coordinates: Code for FUKUI, localgovjp, CC0 1.0"
    names = "; English and Korean names written by krihs-analysis from the reading (modified Hepburn; 외래어 표기법)"
    gsi = ", word breaks as in GSI's Gazetteer of Japan 2007 (2018 update), GSI terms (compatible with CC BY 4.0)"
    out["source"] = [mic_src + (fukui if h == h else "") + names + (gsi if c in romaji else "")
                     for h, c in zip(out["municipality_hiragana"], out["code"], strict=True)]
    for col in ("code", "prefecture", "municipality", "prefecture_kana", "municipality_kana",
                "municipality_hiragana", "municipality_type", "municipality_en", "municipality_ko", "source"):
        out[col] = out[col].astype("str")
    for col in ("lat", "lng"):
        out[col] = out[col].astype("float64")
    return out[["code", "prefecture", "municipality", "prefecture_kana", "municipality_kana",
                "municipality_hiragana", "municipality_type", "municipality_en", "municipality_ko", "lat", "lng",
                "source"]]


def _case_view(folder: Path, entry: dict[str, Any]) -> pd.DataFrame:
    """The FY2021 panel rows of the case municipalities, checked against the published figures in the CSV."""
    published = pd.read_csv(folder / entry["file"], dtype={"code": str}, encoding="utf-8")
    panel = _fiscal_panel(str(folder))
    fy = panel[panel["fiscal_year"] == 2021].set_index("code")
    missing = sorted(set(published["code"]) - set(fy.index))
    if missing:
        raise ValueError(f"{entry['file']}: code(s) {missing} not in MIC's FY2021 table")
    view = fy.loc[published["code"]].reset_index()
    columns = [c for c in published.columns if c in view.columns and c not in ("code", "source")]
    for col in columns:
        mine, theirs = view[col].to_numpy(), published[col].to_numpy()
        if not (mine == theirs).all():
            raise ValueError(f"{entry['file']}: {col} differs from MIC's FY2021 table")
    view["known_organisation"] = published["known_organisation"].astype("str").to_numpy()
    return view[["code", *columns, "known_organisation", "source"]]


@cache
def _known_codes(folder: str) -> dict[str, str]:
    """Code -> municipality name from MIC's list (for validating case sheets)."""
    frame = _municipalities(folder)
    return dict(zip(frame["code"], frame["municipality"], strict=True))


def jp_municipality_names(context_dir: str | Path | None = None, *, lang: str = "ja",
                          prefecture: bool = False) -> dict[str, str]:
    """MIC's local government codes of municipalities with their names, as a reader of `lang` writes them.

    Parameters
    ----------
    context_dir
        The folder holding ``sources.yaml`` and MIC's code list (``data/raw/context`` by default); the files are
        checked against the sha256 that ``sources.yaml`` records.
    lang
        ``ja``: MIC's own name (``雲南市``). ``en`` and ``ko``: the name in the reader's script with MIC's after it
        (``Unnan City (雲南市)``, ``운난시(雲南市)``; :mod:`krihs_analysis.data.placenames`), so that a reader can
        still find it in a Japanese source.
    prefecture
        Name the prefecture too (``島根県雲南市``, ``Unnan City, Shimane (島根県雲南市)``, ``시마네현 운난시(島根県雲南市)``).

    Returns
    -------
    dict
        MIC's 6-digit code (text) -> name, for every municipality in MIC's list.

    Examples
    --------
    >>> names = jp_municipality_names()
    >>> len(names), names["262137"]
    (1741, '南丹市')
    >>> jp_municipality_names(lang="en", prefecture=True)["322091"]
    'Unnan City, Shimane (島根県雲南市)'
    """
    from .._validate import check_flag
    from ..codebook import check_lang

    check_lang(lang)
    prefecture = check_flag(prefecture, "prefecture")  # "no" or 0 used to pick a form by its truth value
    folder = _context_folder(context_dir).resolve()
    if lang == "ja" and not prefecture:
        return dict(_known_codes(str(folder)))
    from .placenames import with_prefecture

    frame = _municipalities(str(folder))
    own = (frame["prefecture"] + frame["municipality"]) if prefecture else frame["municipality"]
    if lang == "ja":
        return dict(zip(frame["code"], own, strict=True))
    reader = frame[f"municipality_{lang}"]
    if prefecture:
        reader = [with_prefecture(m, p, lang=lang, reading=k)
                  for m, p, k in zip(reader, frame["prefecture"], frame["prefecture_kana"], strict=True)]
    # Korean writes a gloss in hanja against the word it glosses: 운난시(雲南市)
    gap = "" if lang == "ko" else " "
    return {c: f"{r}{gap}({o})" for c, r, o in zip(frame["code"], reader, own, strict=True)}


# The embedded sample's stand-in names: a kind of local government (Korean 시/군, Japanese 市/町/村), a letter and the
# illustrative mark. Written in Korean or Japanese script on every page, an English reader met "시 A" and a Korean
# one "(illustrative)"; each reader now gets them in their own words.
_PLACEHOLDER = re.compile(r"^(시|군|市|町|村) ([A-Z]) \(illustrative\)$")
_PLACEHOLDER_KIND = {"시": "city", "市": "city", "군": "county", "町": "town", "村": "village"}


def _placeholder(name: Any, lang: str) -> Any:
    from ..wording import phrase

    m = _PLACEHOLDER.match(name) if isinstance(name, str) else None
    if m is None:
        return name
    stand_in = phrase("common", f"placeholder_{_PLACEHOLDER_KIND[m.group(1)]}", lang, letter=m.group(2))
    return phrase("common", "placeholder_mark", lang, name=stand_in)


def case_municipalities(cases, *, lang: str = "en"):
    """Each case's municipality as a reader of `lang` writes it: a Japanese case with MIC's local government code by
    :func:`jp_municipality_names` (``Unnan City (雲南市)``, ``운난시(雲南市)``, ``雲南市``), the embedded sample's
    stand-ins in the reader's words (``City A (illustrative)``, ``A시(예시)``, ``A市（例示）``), any other case as
    its sheet writes it. A name that municipalities of two prefectures share comes with its prefecture
    (``山形県川西町``: Nara has a 川西町 too).

    Parameters
    ----------
    cases : pandas.DataFrame
        A case sheet (:func:`krihs_analysis.data.read_cases`) with ``municipality``; ``municipality_code`` and
        ``country`` when it has Japanese cases to name (a code counts only on a ``JP`` row).
    lang
        One of :data:`krihs_analysis.codebook.LANGS`.

    Returns
    -------
    pandas.Series
        The names, one per case, indexed like `cases` (by ``case_id`` when it has that column).

    Raises
    ------
    ValueError
        `cases` is not a DataFrame with a ``municipality`` column, or `lang` is not a language of the package.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> names = case_municipalities(read_cases(), lang="en")
    >>> names["JP-02"], names["KR-P1-A"], names["JP-05"]
    ('Unnan City (雲南市)', 'City A (illustrative)', 'Kawanishi Town, Yamagata (山形県川西町)')
    """
    import pandas as pd

    from .._validate import check_columns, check_frame
    from ..codebook import check_lang

    check_lang(lang)
    cases = check_frame(cases, "cases")
    check_columns(cases, ["municipality"], name="cases")
    names = jp_municipality_names(lang=lang) if "municipality_code" in cases.columns else {}
    if names:
        # A name two prefectures share (川西町 is Yamagata's and Nara's) is given with its prefecture
        shared = _shared_name_codes(str(_context_folder(None).resolve()))
        names = {**names, **{c: n for c, n in jp_municipality_names(lang=lang, prefecture=True).items()
                             if c in shared}}
    codes = cases["municipality_code"].astype(object) if names else pd.Series([None] * len(cases), index=cases.index)
    japanese = (cases["country"].astype(str) == "JP") if "country" in cases.columns else pd.Series(True, cases.index)
    shown = [names[str(c).strip()] if jp and isinstance(c, str) and str(c).strip() in names else _placeholder(m, lang)
             for c, m, jp in zip(codes, cases["municipality"].astype(object), japanese, strict=True)]
    index = pd.Index(cases["case_id"].astype(str), name="case_id") if "case_id" in cases.columns else cases.index
    return pd.Series(shown, index=index, name="municipality", dtype=object)


@cache
def _shared_name_codes(folder: str) -> frozenset[str]:
    """Codes of municipalities whose name another prefecture's municipality also has (川西町, 府中市, ...)."""
    return shared_name_codes(_municipalities(folder))


def shared_name_codes(municipalities: pd.DataFrame) -> frozenset[str]:
    """The codes of a municipality list's municipalities whose name another prefecture's also has (川西町 is
    Yamagata's and Nara's; 府中市 Tokyo's and Hiroshima's): a page names their prefecture too.

    Parameters
    ----------
    municipalities : pandas.DataFrame
        ``code`` and ``municipality`` columns, e.g. ``read_context("jp_municipalities")``.

    Returns
    -------
    frozenset of str
        The codes, as the table writes them.

    Raises
    ------
    ValueError
        `municipalities` is not a DataFrame with rows and those two columns.

    Examples
    --------
    >>> shared = shared_name_codes(read_context("jp_municipalities"))
    >>> len(shared), {"063827", "293610"} <= shared  # 川西町, Yamagata and Nara
    (57, True)
    """
    from .._validate import check_columns, check_frame

    check_columns(check_frame(municipalities, "municipalities"), ["code", "municipality"], name="municipalities")
    return frozenset(municipalities.loc[municipalities["municipality"].duplicated(keep=False), "code"])


def jp_prefectures(context_dir: str | Path | None = None) -> list[str]:
    """The 47 prefecture names in MIC's code order (北海道 ... 沖縄県).

    Examples
    --------
    >>> p = jp_prefectures()
    >>> len(p), p[0], p[-1]
    (47, '北海道', '沖縄県')
    """
    folder = _context_folder(context_dir).resolve()
    return list(dict.fromkeys(_municipalities(str(folder))["prefecture"]))
