"""Fonts for trilingual figures: Hangul, kana/kanji and Latin from one fallback list.

Matplotlib (3.6+) falls back glyph by glyph along ``font.family``. The house list puts the Noto Sans CJK face of the
figure's language first (so that kanji take the Japanese or Korean glyph forms), the other CJK face next and DejaVu
Sans last (for symbols the CJK fonts lack). When no Noto Sans CJK font is installed the library says so once, with
the fix, and draws with what it has (Hangul and kana then come out as empty boxes).

Examples
--------
>>> font_families("ja")[:2]
['Noto Sans CJK JP', 'Noto Sans CJK KR']
"""

from __future__ import annotations

import warnings
from functools import lru_cache

from ..codebook import check_lang

CJK = {"ko": "Noto Sans CJK KR", "ja": "Noto Sans CJK JP"}
LATIN_FALLBACK = "DejaVu Sans"
FIX = "install them with `sudo apt-get install fonts-noto-cjk` (or `make setup`), then delete ~/.cache/matplotlib"


class MissingFontWarning(UserWarning):
    """Noto Sans CJK is not installed: Korean and Japanese text will not render."""


@lru_cache(maxsize=1)
def available_families() -> frozenset[str]:
    """Names of the font families matplotlib can use, registering Noto CJK files it has not cached yet."""
    from matplotlib import font_manager as fm

    names = {f.name for f in fm.fontManager.ttflist}
    if not all(name in names for name in CJK.values()):
        # The font cache may predate `apt-get install fonts-noto-cjk`: register the files directly.
        for path in fm.findSystemFonts(fontext="ttf") + fm.findSystemFonts(fontext="otf"):
            base = path.rsplit("/", 1)[-1]
            if base.startswith("NotoSansCJK") and "Mono" not in base:
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover - unreadable font file
                    continue
        names = {f.name for f in fm.fontManager.ttflist}
    return frozenset(names)


@lru_cache(maxsize=1)
def cjk_available() -> bool:
    """True when both Noto Sans CJK KR and JP can be used; warns once (with the fix) when they cannot."""
    names = available_families()
    missing = [name for name in CJK.values() if name not in names]
    if missing:
        warnings.warn(
            f"krihs-analysis figures: font(s) {', '.join(missing)} not found, so Korean and Japanese labels will "
            f"show as empty boxes; {FIX}.",
            MissingFontWarning,
            stacklevel=3,
        )
        return False
    return True


def font_families(lang: str) -> list[str]:
    """The ``font.family`` fallback list for a figure in `lang` (the language's CJK face first)."""
    check_lang(lang)
    first = CJK.get(lang, CJK["ko"])
    others = [name for name in CJK.values() if name != first]
    return [first, *others, LATIN_FALLBACK]
