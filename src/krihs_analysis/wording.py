"""Every sentence the package shows, in every supported language, from the locale files.

The codebook names variables and levels; ``locale/<domain>.yaml`` holds every other phrase (figure titles, table
headers, notebook headings, brief templates, report pages), one file per domain. Each entry gives the phrase in
every language of :data:`krihs_analysis.codebook.LANGS`; a missing language is an error when the file loads, not
when a reader meets the gap. Format fields (``{n}``) are filled by the caller.

Examples
--------
>>> from krihs_analysis.wording import phrase
>>> phrase("common", "illustrative_short", "ja")
'例示データ'
>>> phrase("figures", "n_cases", "ko", n_kr=14, n_jp=12)
'한국 14개·일본 12개 사례'
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .codebook import LANGS, check_lang

__all__ = ["LANGS", "LOCALE_DIR", "domains", "in_sentence", "phrase", "phrases", "value_word"]

LOCALE_DIR = Path(__file__).with_name("locale")


def domains() -> list[str]:
    """The locale files there are (``figures``, ``brief``, ...).

    Examples
    --------
    >>> "common" in domains()
    True
    """
    return sorted(p.stem for p in LOCALE_DIR.glob("*.yaml"))


def phrases(domain: str) -> MappingProxyType:
    """Every phrase of one domain: ``{key: {lang: text}}``, checked for all languages (each file read once).

    Parameters
    ----------
    domain
        The locale file to read, by name (``"common"``, ``"figures"`` ...; see :func:`domains`).

    Raises
    ------
    ValueError
        `domain` is not the name of a locale file, or the file lacks a language.

    Examples
    --------
    >>> sorted(phrases("common")["illustrative_short"])
    ['en', 'ja', 'ko']
    """
    # checked before the cache, which raised "unhashable type" for a list
    if not isinstance(domain, str):
        raise ValueError(f"domain must be the name of a locale file (e.g. 'common'), got {domain!r:.80}; "
                         f"known: {', '.join(domains())}")
    return _phrases(domain)


@cache
def _phrases(domain: str) -> MappingProxyType:
    from ._io import read_yaml

    path = LOCALE_DIR / f"{domain}.yaml"
    if not path.is_file():
        raise ValueError(f"no locale file {domain!r}; known: {', '.join(domains())}")
    raw = read_yaml(path) or {}
    out = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise ValueError(f"{path.name}: {key!r} must map each language to its text, got {entry!r}")
        missing = [lang for lang in LANGS if not isinstance(entry.get(lang), str)]
        if missing:
            raise ValueError(f"{path.name}: {key!r} lacks its text in {', '.join(missing)}")
        out[str(key)] = MappingProxyType({lang: entry[lang] for lang in LANGS})
    return MappingProxyType(out)


phrases.cache_clear = _phrases.cache_clear  # type: ignore[attr-defined]  # as when phrases was the cache itself


def phrase(domain: str, key: str, lang: str | None = None, /, **fields: Any) -> str:
    """The phrase `key` of `domain` in `lang`, with its format `fields` filled in.

    Parameters
    ----------
    domain
        The locale file to read, by name: ``locale/<domain>.yaml`` (``"common"``, ``"figures"`` ...; see
        :func:`domains`).
    key
        The phrase's key in that file.
    lang
        The language, one of :data:`LANGS` (en, ko, ja); by position, or as ``lang=`` as everywhere else in the
        package (no phrase has a field named ``lang``).
    **fields
        The values of the phrase's format fields (``n=14`` for ``{n}``), passed as keywords; every field the
        phrase names must be given, and fields it does not name are ignored.

    Returns
    -------
    str
        The phrase, filled in.

    Raises
    ------
    ValueError
        For an unknown language, domain or key, or a format field the phrase needs that is not given.

    Examples
    --------
    >>> phrase("common", "illustrative_short", "en")
    'Illustrative data'
    >>> phrase("common", "illustrative_short", lang="ko")
    '예시 자료'
    """
    if lang is None:  # phrase(domain, key, lang="ko") put lang among the fields: a TypeError named no argument
        lang = fields.pop("lang", None)
        if lang is None:
            raise ValueError(f"phrase({domain!r}, {key!r}) needs a language: pass e.g. lang='en'")
    check_lang(lang)
    if not isinstance(domain, str):
        raise ValueError(f"domain must be the name of a locale file (e.g. 'common'), got {domain!r:.80}")
    table = phrases(domain)
    try:
        template = table[key][lang]
    except (KeyError, TypeError):
        raise ValueError(f"no phrase {key!r} in locale/{domain}.yaml") from None
    needed = _fields(template)
    missing = [f for f in needed if f not in fields]
    if missing:  # else a KeyError from str.format, or (with no fields at all) the template with its braces shown
        raise ValueError(f"phrase {key!r} of locale/{domain}.yaml needs the field(s) {', '.join(missing)}; "
                         f"pass them as keywords, e.g. {missing[0]}=...")
    return template.format(**fields) if needed else template


def value_word(value: Any, *, lang: str, capital: bool = False) -> Any:
    """A word of a result table (how an interval or a p-value was computed, a test's direction) in `lang`.

    The words are ``locale/table_values.yaml``'s; a number inside one ("group too small: n = 2") is kept and
    filled back in. Anything else (a word the file does not have, a number, a missing value) is returned as it is.

    Parameters
    ----------
    value
        A cell of a result table, e.g. a ``ci_method`` or ``p_method``.
    lang
        One of :data:`LANGS`.
    capital
        Start a word this file knows with a capital in English, as a table cell starts ("Exact", "Pooled");
        other languages and values it does not know are unchanged.

    Returns
    -------
    The word in `lang`, or `value` unchanged.

    Examples
    --------
    >>> value_word("BCa (whole clusters resampled)", lang="ko")
    'BCa 부트스트랩(군집 단위 재표집)'
    >>> value_word("group too small: n = 2", lang="en")
    'group too small for an interval: n = 2'
    """
    from ._validate import check_flag  # here: _validate imports pandas, which reading a phrase does not need

    check_lang(lang)
    capital = check_flag(capital, "capital")  # "no" would have counted as True
    if not isinstance(value, str):
        return value
    word = _known_word(value, lang)
    if word is None:
        return value
    return word[:1].upper() + word[1:] if capital and lang == "en" else word


def in_sentence(label: str, *, lang: str) -> str:
    """A label (a codebook variable's, a core task's) as it reads inside a sentence of `lang`.

    English labels are written as headings ("Project integration"); inside a sentence their first letter is lower
    case, unless they start with an acronym ("QCA ..."). Other languages have no case and are unchanged.

    Parameters
    ----------
    label
        The label as the codebook or a locale file writes it.
    lang
        One of :data:`LANGS`.

    Returns
    -------
    str
        The label to put inside a sentence.

    Raises
    ------
    ValueError
        `label` is not text, or `lang` is not a language of the package.

    Examples
    --------
    >>> in_sentence("Project integration", lang="en"), in_sentence("QCA solution", lang="en")
    ('project integration', 'QCA solution')
    >>> in_sentence("사업 간 연계·통합", lang="ko")
    '사업 간 연계·통합'
    """
    check_lang(lang)
    if not isinstance(label, str):
        raise ValueError(f"label must be text, e.g. label='Project integration'; got {type(label).__name__} "
                         f"{label!r}")
    if lang == "en" and len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _known_word(value: str, lang: str) -> str | None:
    words = phrases("table_values")
    if value in words:
        return words[value][lang]
    m = re.search(r"\d+", value)
    if m:
        template = value[: m.start()] + "{n}" + value[m.end():]
        if template in words:
            return words[template][lang].format(n=m.group(0))
    # Any interval method, with how its bootstrap resampled: "<method> (whole clusters resampled)".
    for how in ("whole clusters resampled", "cases resampled within strata", "clusters resampled within strata"):
        suffix = f" ({how})"
        if value.endswith(suffix) and value[: -len(suffix)] in words:
            return f"{words[value[: -len(suffix)]][lang]}{' ' if lang == 'en' else ''}({words[how][lang]})"
    return None


@cache
def _fields(template: str) -> tuple[str, ...]:
    """The names of a template's format fields, in order (``{n}`` and ``{n:,}`` both name ``n``)."""
    return tuple(dict.fromkeys(name.split(".")[0].split("[")[0]
                               for _, name, _, _ in string.Formatter().parse(template) if name))
