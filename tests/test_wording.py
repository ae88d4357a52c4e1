"""The locale files: every phrase in every language, with the same format fields in each."""

from __future__ import annotations

import string

import pytest
import yaml

from krihs_analysis import wording
from krihs_analysis.codebook import LANGS


def _fields(template: str) -> set[str]:
    return {f[1] for f in string.Formatter().parse(template) if f[1]}


@pytest.mark.parametrize("domain", wording.domains())
def test_every_phrase_has_every_language_with_the_same_fields(domain):
    for key, entry in wording.phrases(domain).items():
        assert set(entry) == set(LANGS), (domain, key)
        assert len({frozenset(_fields(entry[lang])) for lang in LANGS}) == 1, (domain, key, dict(entry))


def test_a_phrase_missing_a_language_is_an_error_when_the_file_loads(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump({"hello": {"en": "Hello", "ko": "안녕"}}), encoding="utf-8")
    monkeypatch.setattr(wording, "LOCALE_DIR", tmp_path)
    wording.phrases.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"broken.yaml: 'hello' lacks its text in ja"):
            wording.phrases("broken")
    finally:
        wording.phrases.cache_clear()


def test_an_unknown_phrase_names_the_file():
    with pytest.raises(ValueError, match=r"no phrase 'nope' in locale/figures.yaml"):
        wording.phrase("figures", "nope", "en")


def test_no_python_module_keeps_a_trilingual_dictionary_of_sentences():
    # The wording lives in locale files: a dict literal keyed by every language is a phrase table in code.
    import ast

    from krihs_analysis import paths

    offenders = []
    for path in paths.PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and {getattr(k, "value", None) for k in node.keys} >= set(LANGS):
                if all(isinstance(v, ast.Constant) and isinstance(v.value, str) and " " in v.value
                       for v in node.values):
                    offenders.append(f"{path.relative_to(paths.PACKAGE_DIR)}:{node.lineno}")
    assert not offenders, offenders


def test_phrase_takes_lang_by_keyword_as_everything_else_does():
    from krihs_analysis.wording import phrase

    # lang was positional-only: phrase("common", key, lang="ko") raised "missing 1 required positional argument"
    assert phrase("common", "illustrative_short", lang="ko") == phrase("common", "illustrative_short", "ko")
    with pytest.raises(ValueError, match=r"needs a language: pass e.g. lang='en'"):
        phrase("common", "illustrative_short")


def test_a_statistic_is_named_alike_in_the_figures_the_brief_and_the_tables():
    # Japanese readers saw ケンドールのτ-b in a figure, Kendallのτ-b in the brief and Kendall τ-b in the tables
    from krihs_analysis.wording import phrase, value_word

    for method in ("kendall", "spearman"):
        for lang in ("en", "ko", "ja"):
            names = {phrase("figures", f"method_{method}", lang), phrase("brief", f"method_{method}", lang),
                     value_word(method, lang=lang)}
            assert len(names) == 1, (method, lang, names)


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_every_interval_and_p_method_the_statistics_write_is_translated(lang):
    # "BCa (cases resampled within strata)" and the singular "n = 1 case" showed in English in Korean tables
    import itertools

    from krihs_analysis import _exact as E
    from krihs_analysis.wording import value_word

    bases = ["BCa", "percentile", "percentile (bootstrap distribution degenerate)",
             *(f"percentile (BCa {r} undefined)" for r in ("bias correction", "acceleration",
                                                            "bias correction and acceleration"))]
    hows = ["", " (whole clusters resampled)", " (cases resampled within strata)", " (clusters resampled within strata)"]
    methods = [b + h for b, h in itertools.product(bases, hows)]
    methods += [f"none (stratum too small for a within-stratum bootstrap: n = {n} {u}{'s' if n != 1 else ''})"
                for n, u in itertools.product((1, 3), ("case", "cluster"))]
    methods += [E.P_EXACT, E.P_ENUM, E.P_MC, E.P_CLUSTER_ENUM, E.P_CLUSTER_MC, E.P_STRATA_EXACT, E.P_STRATA_MC]
    untranslated = [m for m in methods if value_word(m, lang=lang) == m]
    assert not untranslated


def test_cliffs_delta_is_called_cliffs_delta_in_every_language_of_the_figures():
    # The Japanese figure said クリフのデルタ beside the brief's Cliff's δ (seven times on the same pages)
    from krihs_analysis.wording import phrase, phrases

    for key, words in phrases("figures").items():
        if "Cliff" in words["en"]:
            for lang in ("ko", "ja"):
                assert "Cliff's δ" in words[lang] and "クリフ" not in words[lang], (key, lang)
    assert "Cliff's δ" in phrase("figures", "profile_subtitle", "ja", cases="")


def test_japanese_text_takes_full_width_punctuation_in_every_locale_file():
    # The Japanese brief and pages mixed "(整合度 0.96)", "出典: ", "点は1事例; ", "0~3" with full-width text. Code
    # (`cluster()`) and a Latin word's own colon ("p: ") stay as they are; the notebooks' first headings carry
    # their titles in three languages and are kept as written.
    import re

    from krihs_analysis.wording import domains, phrases

    def prose_only(text: str) -> str:
        # code spans, and an interval's own comma ("[{lo}, {hi}]")
        return re.sub(r"\[[^\]]*\]", "", re.sub(r"`[^`]*`", "", text))

    kana_kanji = r"[\u3040-\u30ff\u4e00-\u9fff]"
    half_width = re.compile(
        r"(?<![A-Za-z0-9]): |; |~|[\u3040-\u30ff\u4e00-\u9fff] ?\("
        # a colon or slash touching Japanese ("被覆度:全体", "0.80:通常", "付き:", "はい/いいえ") and a Latin comma
        # between the parts of a Japanese sentence ("[0.63, 0.90]）, p < 0.001, n = 26")
        rf"|{kana_kanji}:|:{kana_kanji}|{kana_kanji}/|/{kana_kanji}|）, |\}}, \{{")
    bad = {(d, k): v["ja"] for d in domains() for k, v in phrases(d).items()
           if not re.fullmatch(r"nb\d\d_title", k) and half_width.search(prose_only(v["ja"]))}
    assert not bad, bad
    # what the second line catches, as it was written in the figures
    for written in ("整合度と被覆度:全体と国別", "0.80:通常の整合度の基準", "注記付き:", "はい/いいえの項目",
                    "{statistic}{ci}, {p}, n = {n}"):
        assert half_width.search(prose_only(written)), written
    assert not half_width.search(prose_only("（95%信頼区間 [{lo}, {hi}]）、{p}"))


def _half_width_in_japanese_codebook_text(path) -> dict[str, str]:
    """Every Japanese string of a codebook YAML (title, notices, core tasks, variable and level labels, derived
    indices: every value under a `ja` key; former labels under `aliases` are kept as they were written) that has
    a half-width colon, semicolon, parenthesis or tilde. Codebook text has no code spans and no Latin words, so
    none is exempt: "指数1: " is as wrong as "なし: ", "5万~20万人" as "(5万人未満)"."""
    import re

    from krihs_analysis._io import read_yaml

    found: dict[str, str] = {}

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "ja" and isinstance(value, str):
                    if re.search(r"[:;()~]", value):
                        found[where] = value
                else:
                    walk(value, f"{where}.{key}" if where else str(key))

    walk(read_yaml(path), "")
    return found


def test_japanese_text_takes_full_width_punctuation_in_the_codebook():
    # Codebook 1.1.1 wrote "なし: 住民が…", "いいえ: 活動停止", "例示データ: …", "小規模 (5万人未満)" beside locale
    # files in full-width punctuation: the figures, tables, cards and the template's anchors showed both.
    from krihs_analysis.codebook import DEFAULT_PATH, load_codebook

    assert _half_width_in_japanese_codebook_text(DEFAULT_PATH) == {}
    # the walk reaches every kind of text the codebook gives in Japanese
    cb = load_codebook()
    seen = {cb.notice("illustrative", "ja"), cb["continued"].level_label(0, "ja"), cb.label("self_funded_pct", "ja"),
            cb.label("task1_capacity", "ja"), cb.label("cluster", "ja"), cb["city_size"].level_label("medium", "ja")}
    assert seen == {"例示データ：政策ブリーフの実際の事例コーディングではなく、説明用です。", "いいえ：活動停止", "自主財源比率（%）",
                    "指数1：人材育成・住民参加", "クラスター（独立でない事例のまとまり）", "中規模（5万～20万人）"}


def test_the_context_sources_japanese_titles_and_sources_read_as_the_brief_writes():
    # sources.yaml gave "出典：総務省…" (notebook 01 printed "出典：出典：…"; every reader adds its own label),
    # "(平成17年度～令和3年度)" under a figure of 2005-2021, and half-width brackets and semicolons.
    import re

    from krihs_analysis import paths
    from krihs_analysis._io import read_yaml

    sources = read_yaml(paths.CONTEXT / "sources.yaml")
    japanese = {f"{name}.{field}": entry[field]["ja"] for name, entry in sources.items() if isinstance(entry, dict)
                for field in ("title", "source") if isinstance(entry.get(field), dict)}
    assert len(japanese) >= 8  # title and source of each context table
    bad = {where: text for where, text in japanese.items()
           if text.startswith("出典") or re.search(r"平成|令和|[();]|, ", text)}
    assert bad == {}
