"""Japanese municipality names for English and Korean readers, written from MIC's kana readings.

A figure for an English or Korean reader should not label 雲南市 in kanji the reader cannot read. MIC's code list
gives every municipality's reading in kana, from which both names follow by fixed rules:

- **English**: modified Hepburn without macrons, as Japan's road signs and the municipalities' own English pages
  write names (トウキョウ Tokyo, オオサカ Osaka, ニイガタ Niigata, テンエイ Ten'ei): long ``ō``/``ū`` become ``o``/``u``,
  ``ei`` and ``ii`` stay; ッ doubles the next consonant (``tch`` before ``ch``); ン before a vowel or ``y`` is
  ``n'``. The municipal type follows in English (``Unnan City``, ``Kawanishi Town``; Tokyo's wards call
  themselves cities).
- **Korean**: 외래어 표기법 (문교부 고시 제85-11호), 일본어의 표기: カ행, タ행, チャ행 take ㄱ, ㄷ, ㅈ at the start of a word
  and ㅋ, ㅌ, ㅊ inside it; ツ is 쓰; ン and ッ are the final ㄴ and ㅅ; long vowels are not written (トウキョウ 도쿄,
  キュウシュウ 규슈). The type follows as 시, 정, 촌 or 구 (the form Korean reference works use for 市, 町, 村 and
  Tokyo's 区: 가와니시정, 지요다구).

Kana cannot show where one word of a name ends and the next begins: カツウラ is Katsu-ura (勝浦), not a long ū. The
official romanisation, the Gazetteer of Japan's (国土地理院), settles it where it has the municipality
(:func:`long_vowels_from`); the data layer passes it in. Readings come from the Code for FUKUI hiragana, which keeps
the small ょ/ゅ/ゃ that MIC's half-width kana writes large (ギヨウダ for 行田, Gyoda).

Examples
--------
>>> hepburn("ウンナン"), hangul("ウンナン")
('Unnan', '운난')
>>> municipality_name("カワニシマチ", "town", lang="en"), municipality_name("カワニシマチ", "town", lang="ko")
('Kawanishi Town', '가와니시정')
"""

from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

from ..codebook import check_lang

#: The kana a municipality's reading ends with for each type (MIC's code list reads 町 as マチ or チョウ, 村 as
#: ムラ or ソン), and the word each language writes for the type.
TYPE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "city": ("シ",), "designated_city": ("シ",), "special_ward": ("ク",), "town": ("マチ", "チョウ"),
    "village": ("ムラ", "ソン"),
}
TYPE_WORDS: dict[str, dict[str, str]] = {
    "en": {"city": "City", "designated_city": "City", "special_ward": "City", "town": "Town", "village": "Village"},
    "ko": {"city": "시", "designated_city": "시", "special_ward": "구", "town": "정", "village": "촌"},
}

# Each syllable: (Hepburn, Korean at the start of a word, Korean inside a word).
_SYLLABLES: dict[str, tuple[str, str, str]] = {}


def _add(kana: str, romaji: str, initial: str, medial: str | None = None) -> None:
    _SYLLABLES[kana] = (romaji, initial, medial if medial is not None else initial)


for _k, _r, _h in zip("アイウエオ", ["a", "i", "u", "e", "o"], "아이우에오", strict=True):
    _add(_k, _r, _h)
for _k, _r, _i, _m in zip("カキクケコ", ["ka", "ki", "ku", "ke", "ko"], "가기구게고", "카키쿠케코", strict=True):
    _add(_k, _r, _i, _m)
for _k, _r, _h in zip("サシスセソ", ["sa", "shi", "su", "se", "so"], "사시스세소", strict=True):
    _add(_k, _r, _h)
for _k, _r, _i, _m in zip("タチテト", ["ta", "chi", "te", "to"], "다지데도", "타치테토", strict=True):
    _add(_k, _r, _i, _m)
_add("ツ", "tsu", "쓰")
for _row, _cons, _hangul in (("ナニヌネノ", "n", "나니누네노"), ("マミムメモ", "m", "마미무메모"),
                             ("ラリルレロ", "r", "라리루레로"), ("ガギグゲゴ", "g", "가기구게고"),
                             ("バビブベボ", "b", "바비부베보"), ("パピプペポ", "p", "파피푸페포")):
    for _k, _v, _h in zip(_row, "aiueo", _hangul, strict=True):
        _add(_k, _cons + _v, _h)
for _k, _r, _h in zip("ハヒフヘホ", ["ha", "hi", "fu", "he", "ho"], "하히후헤호", strict=True):
    _add(_k, _r, _h)
for _k, _r, _h in zip("ヤユヨ", ["ya", "yu", "yo"], "야유요", strict=True):
    _add(_k, _r, _h)
for _k, _r, _h in zip("ワヰヱヲ", ["wa", "i", "e", "o"], "와이에오", strict=True):
    _add(_k, _r, _h)
for _k, _r, _h in zip("ザジズゼゾ", ["za", "ji", "zu", "ze", "zo"], "자지즈제조", strict=True):
    _add(_k, _r, _h)
for _k, _r, _h in zip("ダヂヅデド", ["da", "ji", "zu", "de", "do"], "다지즈데도", strict=True):
    _add(_k, _r, _h)
_add("ヴ", "vu", "부")
# Contracted syllables (拗音).
for _k, _cons, _i, _m in (("キ", "ky", "갸규교", "캬큐쿄"), ("ギ", "gy", "갸규교", None), ("シ", "sh", "샤슈쇼", None),
                          ("ジ", "j", "자주조", None), ("チ", "ch", "자주조", "차추초"), ("ヂ", "j", "자주조", None),
                          ("ニ", "ny", "냐뉴뇨", None), ("ヒ", "hy", "햐휴효", None), ("ビ", "by", "뱌뷰뵤", None),
                          ("ピ", "py", "퍄퓨표", None), ("ミ", "my", "먀뮤묘", None), ("リ", "ry", "랴류료", None)):
    for _j, (_small, _v) in enumerate(zip("ャュョ", "auo", strict=True)):
        _add(_k + _small, _cons + _v, _i[_j], (_m or _i)[_j])
del _k, _r, _h, _i, _m, _row, _cons, _hangul, _j, _small, _v

_MORA_N, _SOKUON, _CHOON = "ン", "ッ", "ー"
# Long ō and ū, written as a following ウ or オ: modified Hepburn without macrons writes them as a single o or u
# (トウキョウ Tokyo), and the Korean standard does not write long vowels (도쿄). Kana alone cannot tell a long vowel
# from two vowels meeting across a word boundary (カツウラ is Katsu-ura, ヒロオ is Hiro-o): municipality_name settles
# that with the official romanisation (the Gazetteer of Japan) when it has one. ii, ei and aa are always written
# out (ニイミ Niimi, 니이미; イシイ Ishii, 이시이): the one exception is the Korean standard's own example ニイガタ 니가타.
_LONG_PAIRS = {("o", "u"), ("o", "o"), ("u", "u")}
_KOREAN_CONVENTIONAL = {"ニイガタ": "니가타"}
# Names with a loanword, which no kana rule writes: the name the city gives itself in English (Minami-Alps City)
# and the one Korean reference works use.
_LOANWORD_NAMES = {"ミナミアルプス": {"en": "Minami-Alps", "ko": "미나미알프스"}}


def _katakana(reading: str) -> str:
    """`reading` as full-width katakana (MIC prints half-width katakana; Code for FUKUI, hiragana)."""
    if not isinstance(reading, str) or not reading.strip():
        raise ValueError(f"expected a reading in kana, got {reading!r}")
    s = unicodedata.normalize("NFKC", reading.strip())
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


@lru_cache(maxsize=8192)  # every name is split several times (candidates, each spelling tried, both languages)
def _syllables(reading: str) -> tuple[str, ...]:
    """The reading split into syllables (contracted ones kept whole), ン, ッ and ー as their own items."""
    s = _katakana(reading)
    out, i = [], 0
    while i < len(s):
        if s[i:i + 2] in _SYLLABLES:
            out.append(s[i:i + 2])
            i += 2
        elif s[i] in _SYLLABLES or s[i] in (_MORA_N, _SOKUON, _CHOON):
            out.append(s[i])
            i += 1
        else:
            raise ValueError(f"{reading!r}: {s[i]!r} at position {i + 1} is not a kana this module can write; "
                             "expected katakana or hiragana")
    return tuple(out)


def _vowel(syllable: str) -> str:
    return _SYLLABLES[syllable][0][-1]


def long_vowel_positions(reading: str) -> frozenset[int]:
    """Syllable positions of `reading` that may only lengthen the vowel before them (ō, ū, and ー).

    Examples
    --------
    >>> sorted(long_vowel_positions("トウキョウ")), sorted(long_vowel_positions("カツウラ"))
    ([1, 3], [2])
    """
    syl = _syllables(reading)
    out = set()
    for k in range(1, len(syl)):
        prev, cur = syl[k - 1], syl[k]
        if cur == _CHOON or (prev in _SYLLABLES and cur in ("ウ", "オ") and k - 1 not in out
                             and (_vowel(prev), _SYLLABLES[cur][0]) in _LONG_PAIRS):
            out.add(k)
    return frozenset(out)


def _positions(long: Iterable[int] | None) -> frozenset[int] | None:
    """`long` as a frozenset of syllable positions (None stays None), or a ValueError that says what it must be."""
    if long is None:
        return None
    try:
        out = frozenset(long)
    except TypeError:
        out = None
    if out is None or not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in out):
        raise ValueError(f"long must be syllable positions (whole numbers), e.g. long={{1, 3}} or long=(), "
                         f"got {long!r:.80}")
    return frozenset(int(k) for k in out)


def hepburn(reading: str, *, long: Iterable[int] | None = None) -> str:
    """`reading` (katakana or hiragana) in modified Hepburn without macrons, capitalised.

    `long`: the syllable positions that lengthen the vowel before them and are not written (every candidate of
    :func:`long_vowel_positions` when None).

    Examples
    --------
    >>> [hepburn(k) for k in ("トウキョウ", "オオサカ", "ニイガタ", "ニッコウ", "テンエイ", "ハッチョウボリ")]
    ['Tokyo', 'Osaka', 'Niigata', 'Nikko', "Ten'ei", 'Hatchobori']
    >>> hepburn("カツウラ"), hepburn("カツウラ", long=())
    ('Katsura', 'Katsuura')
    """
    long = _positions(long)
    syl = _syllables(reading)
    skip = long_vowel_positions(reading) if long is None else long
    parts: list[str] = []
    for k, s in enumerate(syl):
        if k in skip or s in (_SOKUON, _CHOON):
            continue
        if s == _MORA_N:
            nxt = next((t for t in syl[k + 1:] if t in _SYLLABLES), None)
            parts.append("n'" if nxt is not None and _SYLLABLES[nxt][0][0] in "aiueoy" else "n")
            continue
        romaji = _SYLLABLES[s][0]
        if k and syl[k - 1] == _SOKUON and romaji[0] not in "aiueo":
            romaji = ("t" if romaji.startswith("ch") else romaji[0]) + romaji
        parts.append(romaji)
    return "".join(parts).capitalize()


@lru_cache(maxsize=4096)  # the English and the Korean name of a municipality ask the same question
def long_vowels_from(reading: str, romaji: str) -> frozenset[int] | None:
    """Which long-vowel candidates of `reading` an official romanisation `romaji` leaves unwritten.

    The one set whose Hepburn spelling matches `romaji` (letters only, case ignored), preferring the most
    collapsed; None when no set matches (the romanisation follows another convention, e.g. Minami-alps).

    Examples
    --------
    >>> long_vowels_from("カツウラ", "Katsuura"), long_vowels_from("ギョウダ", "Gyoda")
    (frozenset(), frozenset({1}))
    """
    def letters(s: str) -> str:  # spellings compared without case, spaces, hyphens or apostrophes
        return "".join(c for c in s.lower() if "a" <= c <= "z")

    target = letters(str(romaji))
    cands = sorted(long_vowel_positions(reading))
    for size in range(len(cands), -1, -1):
        for subset in combinations(cands, size):
            if letters(hepburn(reading, long=subset)) == target:
                return frozenset(subset)
    return None


def _with_final(syllable: str, final: str) -> str:
    """A Hangul syllable with a final consonant (받침) added: ㄴ or ㅅ."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172 or code % 28:
        raise ValueError(f"cannot add a final consonant to {syllable!r}")
    return chr(ord(syllable) + {"ㄴ": 4, "ㅅ": 19}[final])


def hangul(reading: str, *, long: Iterable[int] | None = None) -> str:
    """`reading` (katakana or hiragana) in Hangul by the Korean rules for writing Japanese (외래어 표기법).

    `long` as for :func:`hepburn`.

    Examples
    --------
    >>> [hangul(k) for k in ("トウキョウ", "オオサカ", "キュウシュウ", "ニイガタ", "サッポロ", "トットリ")]
    ['도쿄', '오사카', '규슈', '니가타', '삿포로', '돗토리']
    >>> hangul("キタアキタ"), hangul("カツウラ", long=())
    ('기타아키타', '가쓰우라')
    """
    long = _positions(long)
    kana = _katakana(reading)
    if kana in _KOREAN_CONVENTIONAL:  # the standard's own spelling, whatever the word breaks
        return _KOREAN_CONVENTIONAL[kana]
    syl = _syllables(kana)
    skip = long_vowel_positions(kana) if long is None else long
    out: list[str] = []
    for k, s in enumerate(syl):
        if k in skip or s == _CHOON:
            continue
        if s in (_MORA_N, _SOKUON):
            if out:  # a final consonant on the syllable before; nothing to attach to at the very start
                out[-1] = _with_final(out[-1], "ㄴ" if s == _MORA_N else "ㅅ")
            continue
        _, initial, medial = _SYLLABLES[s]
        out.append(medial if out else initial)
    return "".join(out)


#: The type word the Gazetteer of Japan writes after a name (Sapporo Shi, Hiroo Cho, Kawanishi Machi).
_ROMAJI_TYPE_WORDS = ("Shi", "Cho", "Machi", "Mura", "Son", "Ku")


def municipality_name(reading: str, municipality_type: str, *, lang: str, romaji: str | None = None) -> str:
    """A Japanese municipality's name for a reader of `lang`, from its kana reading (type suffix included).

    Parameters
    ----------
    reading
        The reading in kana, e.g. ``あきたかたし`` or MIC's ``ｱｷﾀｶﾀｼ`` (half-width, full-width or hiragana).
    municipality_type
        ``city``, ``designated_city``, ``special_ward``, ``town`` or ``village``.
    lang
        ``en`` (modified Hepburn and the type in English) or ``ko`` (Hangul and 시/정/촌/구). Japanese readers
        read the name itself, so ``ja`` is an error here.
    romaji
        The official romanisation (the Gazetteer of Japan's, e.g. ``Katsuura Shi``), when there is one: it settles
        which ウ and オ lengthen a vowel and which start a new word (勝浦 Katsu-ura, not Katsura). Without it, every
        ou, oo and uu is read as a long vowel.

    Raises
    ------
    ValueError
        An unknown type, a reading that does not end with its type's kana (シ, ク, マチ/チョウ, ムラ/ソン), or a
        character that is not kana.

    Examples
    --------
    >>> municipality_name("ｱｷﾀｶﾀｼ", "city", lang="en"), municipality_name("チヨダク", "special_ward", lang="ko")
    ('Akitakata City', '지요다구')
    >>> municipality_name("かつうらし", "city", lang="ko", romaji="Katsuura Shi")
    '가쓰우라시'
    """
    check_lang(lang)
    if lang not in TYPE_WORDS:
        raise ValueError(f"municipality_name writes names for en and ko readers; for {lang!r} use the name itself")
    if not isinstance(municipality_type, str) or municipality_type not in TYPE_SUFFIXES:
        raise ValueError(f"unknown municipality type {municipality_type!r}; expected one of "
                         f"{', '.join(TYPE_SUFFIXES)}")
    kana = _katakana(reading)
    suffix = next((s for s in TYPE_SUFFIXES[municipality_type] if kana.endswith(s) and len(kana) > len(s)), None)
    if suffix is None:
        raise ValueError(f"reading {reading!r} does not end with the kana of a {municipality_type} "
                         f"({' or '.join(TYPE_SUFFIXES[municipality_type])})")
    stem = kana[: -len(suffix)]
    word = TYPE_WORDS[lang][municipality_type]
    if stem in _LOANWORD_NAMES:
        return f"{_LOANWORD_NAMES[stem][lang]}{' ' if lang == 'en' else ''}{word}"
    long = None
    if romaji:
        words = str(romaji).split()
        official = " ".join(words[:-1] if len(words) > 1 and words[-1] in _ROMAJI_TYPE_WORDS else words)
        long = long_vowels_from(stem, official)
    if lang == "en":
        return f"{hepburn(stem, long=long)} {word}"
    return f"{hangul(stem, long=long)}{word}"


#: The kana a prefecture's reading ends with, by the last character of its name, and the word Korean writes for it
#: (English names prefectures without one: Shimane, Kyoto, Tokyo; Hokkaido keeps its 道, as everyone writes it).
PREFECTURE_SUFFIXES: dict[str, tuple[str, str]] = {"県": ("ケン", "현"), "府": ("フ", "부"), "都": ("ト", "도"),
                                                  "道": ("", "")}


def prefecture_name(reading: str, name: str, *, lang: str) -> str:
    """A prefecture's name for a reader of `lang` (``en`` or ``ko``), from its kana reading and its own name.

    Examples
    --------
    >>> [prefecture_name(k, n, lang="en") for k, n in (("シマネケン", "島根県"), ("キョウトフ", "京都府"),
    ...                                                ("トウキョウト", "東京都"), ("ホッカイドウ", "北海道"))]
    ['Shimane', 'Kyoto', 'Tokyo', 'Hokkaido']
    >>> [prefecture_name(k, n, lang="ko") for k, n in (("ヤマガタケン", "山形県"), ("オオサカフ", "大阪府"),
    ...                                                ("トウキョウト", "東京都"), ("ホッカイドウ", "北海道"))]
    ['야마가타현', '오사카부', '도쿄도', '홋카이도']
    """
    check_lang(lang)
    if lang not in TYPE_WORDS:
        raise ValueError(f"prefecture_name writes names for en and ko readers; for {lang!r} use the name itself")
    if not isinstance(name, str) or name[-1:] not in PREFECTURE_SUFFIXES:
        raise ValueError(f"{name!r} is not a prefecture's name (it ends with 都, 道, 府 or 県)")
    kana = _katakana(reading)
    suffix, word = PREFECTURE_SUFFIXES[name[-1]]
    if suffix and not kana.endswith(suffix):
        raise ValueError(f"reading {reading!r} of {name} does not end with {suffix}")
    stem = kana[: len(kana) - len(suffix)]
    return hepburn(stem) if lang == "en" else f"{hangul(stem)}{word}"


def with_prefecture(name: str, prefecture: str, *, lang: str, reading: str | None = None) -> str:
    """A municipality's name with its prefecture's, as a reader of `lang` writes the two together.

    The one form every page uses where a name alone is ambiguous (川西町 is Yamagata's and Nara's): the prefecture
    first in Japanese and Korean, after a comma in English. Without the prefecture's kana `reading`, an English or
    Korean reader gets its own name (山形県).

    Parameters
    ----------
    name : str
        The municipality's name as the reader writes it (``川西町``, ``Kawanishi Town``, ``가와니시정``).
    prefecture : str
        The prefecture's own name (``山形県``).
    lang : str
        ``en``, ``ko`` or ``ja``.
    reading : str, optional
        The prefecture's kana reading (``ヤマガタケン``), for an English or Korean reader; None (or a missing
        value of a table) when not known.

    Returns
    -------
    str
        The two names together.

    Raises
    ------
    ValueError
        `name` or `prefecture` is not a non-empty string, `reading` is not a string or missing, or `lang` is
        not one of en, ko, ja.

    Examples
    --------
    >>> [with_prefecture(n, "山形県", lang=lang, reading="ヤマガタケン")
    ...  for n, lang in (("川西町", "ja"), ("Kawanishi Town", "en"), ("가와니시정", "ko"))]
    ['山形県川西町', 'Kawanishi Town, Yamagata', '야마가타현 가와니시정']
    """
    from .._format import is_missing
    from .._validate import check_text

    check_lang(lang)
    for value, what, example in ((name, "name", "name='川西町'"), (prefecture, "prefecture", "prefecture='山形県'")):
        if not check_text(value, what, example=example).strip():
            raise ValueError(f"{what} must not be empty; pass e.g. {example}")
    if not isinstance(reading, str) and not is_missing(reading):
        check_text(reading, "reading", example="reading='ヤマガタケン'", optional=True)
    if lang == "ja":
        return f"{prefecture}{name}"
    known = isinstance(reading, str) and reading.strip()
    where = prefecture_name(reading, prefecture, lang=lang) if known else prefecture
    return f"{name}, {where}" if lang == "en" else f"{where} {name}"
