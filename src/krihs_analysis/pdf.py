"""Print HTML to PDF with the system's headless Chromium (Debian's ``chromium``, installed by ``make setup``).

nbconvert's webpdf exporter drives Chromium through playwright, whose browser download cannot work here; this
prints nbconvert's HTML with the system browser directly, which is what webpdf does underneath.
Set ``KRIHS_CHROMIUM`` to a browser command, or to an empty string to disable PDF output.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "hello.pdf"
>>> find_chromium() is None or print_pdf("<p>안녕하세요</p>", out).read_bytes()[:4] == b"%PDF"
True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ._io import write_atomic

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without the networking flags Chromium keeps trying to reach Google's hosts, which this machine refuses.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


def find_chromium() -> str | None:
    """The browser to print with: ``$KRIHS_CHROMIUM`` if set (empty = none), else the first one on PATH."""
    env = os.environ.get("KRIHS_CHROMIUM")
    if env is not None:
        return shutil.which(env) if env else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: str | Path, pdf_path: str | Path, *, timeout: float = 180) -> Path:
    """Print `html` (markup, or a path to an HTML file) to `pdf_path`, atomically.

    Raises RuntimeError when there is no browser or it fails; a failed print leaves any previous PDF in place.
    """
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found: install Debian's chromium (make setup) or set KRIHS_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="krihs-pdf-") as tmp:
        if isinstance(html, Path):
            src = html.resolve()
        else:
            src = Path(tmp) / "page.html"
            src.write_text(html, encoding="utf-8")
        target = Path(tmp) / "out.pdf"
        cmd = [browser, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", src.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": tmp})
        if proc.returncode != 0 or not target.is_file():
            raise RuntimeError(f"Chromium exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
        return write_atomic(pdf_path, target.read_bytes())


def font_charset(family: str) -> tuple[str | None, set[int]]:
    """The font file fontconfig picks for `family` and the code points it covers (empty when not installed)."""
    found = subprocess.run(["fc-match", "--format=%{family}\t%{file}", family], capture_output=True, text=True)
    if found.returncode != 0 or "\t" not in found.stdout:
        return None, set()
    families, path = found.stdout.split("\t", 1)
    if family.casefold() not in families.casefold():  # fontconfig substituted another font: not installed
        return None, set()
    query = subprocess.run(["fc-query", "--index=0", "--format=%{charset}", path], capture_output=True, text=True)
    points: set[int] = set()
    for part in query.stdout.split():
        lo, _, hi = part.partition("-")
        points.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return path, points


def missing_glyphs(text: str, families: tuple[str, ...]) -> set[str]:
    """Characters of `text` that none of the font `families` can draw (what a browser would show as tofu).

    Chromium draws each character with the first family of the CSS list that has it; a character none of them
    has falls to an arbitrary system font or to a box. White space and control characters are ignored.

    Examples
    --------
    >>> missing_glyphs("안녕 こんにちは", ("NanumGothic", "IPAGothic")) <= set()
    True
    """
    covered: set[int] = set()
    for family in families:
        covered |= font_charset(family)[1]
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) >= 0x20 and ord(ch) not in covered}
