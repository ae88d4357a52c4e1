"""Japanese municipality names for English and Korean readers (krihs_analysis.data.placenames).

References, none of them produced by the package:
- English: the names municipalities and Japan's road signs use (modified Hepburn without macrons): the official
  English names of the cities (Sapporo, Osaka, Kyoto, Niigata, Kōriyama → Koriyama, Chōshi → Choshi, Beppu,
  Tottori, Nikkō → Nikko, Ōzu → Ozu, Ōmihachiman → Omihachiman) and Ten'ei Village (Fukushima), whose apostrophe
  the Hepburn rule for ン before a vowel gives.
- Korean: the examples printed in 외래어 표기법 (문교부 고시 제85-11호) itself, 제3장 제7절 and the 일본어 표기
  table's notes (도쿄, 교토, 오사카, 규슈, 니가타, 삿포로, 돗토리, 욧카이치), and the titles Korean Wikipedia gives
  municipalities (삿포로시, 지요다구, 가와니시정, 아키타카타시).
"""

from __future__ import annotations

import pytest

from krihs_analysis.data.placenames import hangul, hepburn, municipality_name


@pytest.mark.parametrize("kana, name", [
    ("サッポロ", "Sapporo"), ("オオサカ", "Osaka"), ("キョウト", "Kyoto"), ("ニイガタ", "Niigata"),
    ("コオリヤマ", "Koriyama"), ("チョウシ", "Choshi"), ("ベップ", "Beppu"), ("トットリ", "Tottori"),
    ("ニッコウ", "Nikko"), ("オオズ", "Ozu"), ("オウミハチマン", "Omihachiman"), ("テンエイ", "Ten'ei"),
    ("ハッチョウボリ", "Hatchobori"), ("キュウシュウ", "Kyushu"), ("シンヨウ", "Shin'yo"), ("グンマ", "Gunma"),
])
def test_hepburn_writes_names_as_japan_spells_them_in_english(kana, name):
    assert hepburn(kana) == name


@pytest.mark.parametrize("kana, name", [
    ("トウキョウ", "도쿄"), ("キョウト", "교토"), ("オオサカ", "오사카"), ("キュウシュウ", "규슈"), ("ニイガタ", "니가타"),
    ("サッポロ", "삿포로"), ("トットリ", "돗토리"), ("ヨッカイチ", "욧카이치"), ("ホッカイドウ", "홋카이도"),
    ("カナガワ", "가나가와"), ("タカタ", "다카타"), ("チバ", "지바"), ("ツクバ", "쓰쿠바"), ("メイジ", "메이지"),
])
def test_hangul_follows_the_korean_rules_for_writing_japanese(kana, name):
    # Word-initial カ/タ/チ take ㄱ/ㄷ/ㅈ and inside a word ㅋ/ㅌ/ㅊ; ッ and ン are finals; long vowels vanish.
    assert hangul(kana) == name


@pytest.mark.parametrize("kana, kind, en, ko", [
    ("サッポロシ", "designated_city", "Sapporo City", "삿포로시"),
    ("チヨダク", "special_ward", "Chiyoda City", "지요다구"),
    ("カワニシマチ", "town", "Kawanishi Town", "가와니시정"),
    ("ハチジョウマチ", "town", "Hachijo Town", "하치조정"),
    ("アヤチョウ", "town", "Aya Town", "아야정"),
    ("ヒノエマタムラ", "village", "Hinoemata Village", "히노에마타촌"),
    ("クニガミソン", "village", "Kunigami Village", "구니가미촌"),
    ("あきたかたし", "city", "Akitakata City", "아키타카타시"),
])
def test_municipality_names_carry_the_type_in_the_readers_language(kana, kind, en, ko):
    # The type's kana (シ, ク, マチ/チョウ, ムラ/ソン) is read off and the type written as the reader's language does.
    assert municipality_name(kana, kind, lang="en") == en
    assert municipality_name(kana, kind, lang="ko") == ko


def test_half_width_katakana_as_mic_prints_it_is_read():
    assert municipality_name("ｳﾝﾅﾝｼ", "city", lang="en") == "Unnan City"


@pytest.mark.parametrize("call, match", [
    (lambda: municipality_name("ウンナンシ", "prefecture", lang="en"), "unknown municipality type"),
    (lambda: municipality_name("ウンナンシ", "town", lang="en"), "does not end with the kana of a town"),
    (lambda: municipality_name("ウンナンシ", "city", lang="ja"), "use the name itself"),
    (lambda: hepburn("雲南"), r"'雲' at position 1 is not a kana"),
    (lambda: hangul(""), "expected a reading in kana"),
])
def test_bad_input_says_what_is_wrong(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.fixture(scope="module")
def municipalities():
    from krihs_analysis.data import read_context

    return read_context("jp_municipalities").set_index("code")


def test_every_municipality_in_mics_code_list_has_both_names(municipalities):
    m = municipalities
    assert m["municipality_en"].str.fullmatch(r"[A-Z][a-z']+(-[A-Z][a-z]+)? (City|Town|Village)").all()
    assert m["municipality_ko"].str.fullmatch(r"[가-힣]+[시정촌구]").all()
    assert m["source"].str.contains("written by krihs-analysis from the reading").all()
    # the Gazetteer settles the word breaks for all but the six codes it lacks, and each row says which
    assert (~m["source"].str.contains("Gazetteer of Japan")).sum() == 6


@pytest.mark.parametrize("code, en, ko", [
    # Two vowels across a word boundary, not a long vowel (kana alone read these as Katsura, Toyoka, Setochi ...):
    ("122181", "Katsuura City", "가쓰우라시"), ("282090", "Toyooka City", "도요오카시"),
    ("332127", "Setouchi City", "세토우치시"), ("016420", "Hiroo Town", "히로오정"),
    ("052132", "Kitaakita City", "기타아키타시"), ("363413", "Ishii Town", "이시이정"),
    # MIC's half-width kana writes the small ょ/ゃ large and drops a dakuten (ギヨウダ, チヤタン, マナツル):
    ("112062", "Gyoda City", "교다시"), ("473260", "Chatan Town", "자탄정"), ("143839", "Manazuru Town", "마나즈루정"),
    # a long vowel; the Korean standard's own example; a loanword
    ("151009", "Niigata City", "니가타시"), ("192082", "Minami-Alps City", "미나미알프스시"),
    ("342149", "Akitakata City", "아키타카타시"),
])
def test_names_read_as_the_municipalities_write_them(municipalities, code, en, ko):
    # References: the municipalities' own English names (their official sites); the Korean standard's rules applied
    # by hand to the same readings (word-initial ㄱ/ㄷ/ㅈ, ツ 쓰, no long vowels), 니가타 as the standard prints it.
    assert municipalities.loc[code, ["municipality_en", "municipality_ko"]].tolist() == [en, ko]


@pytest.mark.parametrize("lang, expected", [
    ("en", "Unnan City (雲南市)"), ("ko", "운난시(雲南市)"), ("ja", "、雲南市；"),
])
def test_a_case_card_names_a_japanese_municipality_in_the_readers_script(lang, expected):
    import re

    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_view

    html = card_view(read_cases(), "JP-02", lang=lang)._repr_html_()
    lede = re.search(r'<p class="lede">(.*?)</p>', html).group(1)
    assert expected in lede
    if lang == "ja":
        assert "Unnan" not in lede and "운난" not in lede


# The prefectures as English and Korean reference works name them (Japan's own English usage; the Korean
# 외래어 표기법 names of 표준국어대사전), in MIC's code order.
PREFECTURES_EN = (
    "Hokkaido Aomori Iwate Miyagi Akita Yamagata Fukushima Ibaraki Tochigi Gunma Saitama Chiba Tokyo Kanagawa Niigata "
    "Toyama Ishikawa Fukui Yamanashi Nagano Gifu Shizuoka Aichi Mie Shiga Kyoto Osaka Hyogo Nara Wakayama Tottori "
    "Shimane Okayama Hiroshima Yamaguchi Tokushima Kagawa Ehime Kochi Fukuoka Saga Nagasaki Kumamoto Oita Miyazaki "
    "Kagoshima Okinawa").split()
PREFECTURES_KO = (
    "홋카이도 아오모리현 이와테현 미야기현 아키타현 야마가타현 후쿠시마현 이바라키현 도치기현 군마현 사이타마현 지바현 도쿄도 가나가와현 "
    "니가타현 도야마현 이시카와현 후쿠이현 야마나시현 나가노현 기후현 시즈오카현 아이치현 미에현 시가현 교토부 오사카부 효고현 나라현 "
    "와카야마현 돗토리현 시마네현 오카야마현 히로시마현 야마구치현 도쿠시마현 가가와현 에히메현 고치현 후쿠오카현 사가현 나가사키현 "
    "구마모토현 오이타현 미야자키현 가고시마현 오키나와현").split()


def test_every_prefecture_is_named_as_english_and_korean_reference_works_name_it():
    from krihs_analysis.data import read_context
    from krihs_analysis.data.placenames import prefecture_name

    frame = read_context("jp_municipalities").drop_duplicates("prefecture")
    assert len(frame) == 47
    for lang, expected in (("en", PREFECTURES_EN), ("ko", PREFECTURES_KO)):
        got = [prefecture_name(k, p, lang=lang) for k, p in zip(frame["prefecture_kana"], frame["prefecture"])]
        assert got == expected


def test_municipality_names_for_each_reader_keep_mics_name_after_theirs():
    from krihs_analysis.data import jp_municipality_names

    assert jp_municipality_names(lang="ja", prefecture=True)["342149"] == "広島県安芸高田市"
    assert jp_municipality_names(lang="en", prefecture=True)["342149"] == "Akitakata City, Hiroshima (広島県安芸高田市)"
    assert jp_municipality_names(lang="ko", prefecture=True)["063827"] == "야마가타현 가와니시정(山形県川西町)"
    assert jp_municipality_names(lang="en")["131016"] == "Chiyoda City (千代田区)"
    with pytest.raises(ValueError, match="unknown language"):
        jp_municipality_names(lang="fr")
    with pytest.raises(ValueError, match="not a prefecture"):
        from krihs_analysis.data.placenames import prefecture_name

        prefecture_name("シマネ", "島根", lang="en")


@pytest.mark.parametrize("lang, unnan, stand_ins", [
    ("en", "Unnan City (雲南市)", ["City A (illustrative)", "County C (illustrative)", "Town P (illustrative)"]),
    ("ko", "운난시(雲南市)", ["A시(예시)", "C군(예시)", "P정(예시)"]),
    ("ja", "雲南市", ["A市（例示）", "C郡（例示）", "P町（例示）"]),
])
def test_each_case_municipality_as_the_reader_writes_it(lang, unnan, stand_ins):
    # notebook 01 listed 雲南市 on its English and Korean pages; the cards named it for their readers. The sample's
    # stand-ins read "시 A (illustrative)" on every page: Hangul for an English reader, English for a Korean one.
    import pandas as pd

    from krihs_analysis.data import case_municipalities, read_cases

    cases = read_cases()
    names = case_municipalities(cases, lang=lang)
    assert names["JP-02"] == unnan and [names[c] for c in ("KR-P1-A", "KR-P2-A", "JP-10")] == stand_ins
    assert cases.loc[0, "municipality"] == "시 A (illustrative)"  # the sheet itself as it was
    # a code counts only on a Japanese row: a Korean case whose code happens to be one of MIC's keeps its name
    mixed = pd.DataFrame({"case_id": ["KR-X", "JP-X", "JP-Y"], "country": ["KR", "JP", "JP"],
                          "municipality": ["어느 시", "雲南市", "どこか町"], "municipality_code": ["322091", "322091", ""]})
    assert case_municipalities(mixed, lang=lang).tolist() == ["어느 시", unnan, "どこか町"]
    with pytest.raises(ValueError, match="municipality"):
        case_municipalities(mixed.drop(columns="municipality"), lang=lang)


def test_a_municipality_name_two_prefectures_share_comes_with_its_prefecture():
    # "川西町" on a card: Yamagata's (063827) or Nara's (293610)? A Japanese reader could not tell
    from krihs_analysis.data import case_municipalities, read_cases, read_context

    mic = read_context("jp_municipalities").set_index("code")
    assert mic.at["063827", "municipality"] == mic.at["293610", "municipality"] == "川西町"
    cases = read_cases()
    ja, ko, en = (case_municipalities(cases, lang=lang) for lang in ("ja", "ko", "en"))
    assert ja["JP-05"] == "山形県川西町" and ko["JP-05"] == "야마가타현 가와니시정(山形県川西町)"
    assert en["JP-05"] == "Kawanishi Town, Yamagata (山形県川西町)"
    assert ja["JP-02"] == "雲南市"  # a name only one municipality has stays short
