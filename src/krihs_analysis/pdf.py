"""Print HTML to PDF with the system's headless Chromium (Debian's ``chromium``, installed by ``make setup``).

nbconvert's webpdf exporter drives Chromium through playwright, whose browser download cannot work here; this
drives the system browser directly over the DevTools protocol (on a pipe, no network port) and calls
``Page.printToPDF``, which is what webpdf does underneath. Printing through DevTools, rather than
``chromium --print-to-pdf``, is what gives every page a running header and footer: Chromium's printing ignores CSS
``@page`` margin boxes, and a ``position: fixed`` element is drawn inside the page area, over the content. The
header and footer templates are drawn in the page margin instead, in a band of their own:

- the **footer** carries the page number, ``n / N``, on every page (and optionally a left-hand label);
- the **header** carries a running notice (the illustrative-data banner of the brief) when one is given, or when the
  HTML names one on any element as ``data-running-header="..."`` (``data-running-footer`` likewise).

Set ``KRIHS_CHROMIUM`` to a browser command, or to an empty string to disable PDF output.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "hello.pdf"
>>> find_chromium() is None or print_pdf("<p>안녕하세요</p>", out).read_bytes()[:4] == b"%PDF"
True
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import html as html_lib
import json
import math
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ._io import write_atomic

__all__ = [
    "find_chromium", "print_pdf", "running_texts", "band_templates", "font_charset", "missing_glyphs",
    "word_boxes", "page_fill", "glyph_box", "layout_problems", "wide_elements",
]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without the networking flags Chromium keeps trying to reach Google's hosts, which this machine refuses.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--run-all-compositor-stages-before-draw", "--remote-debugging-pipe")
# Fonts of the header and footer bands (they are separate documents and inherit nothing from the page).
BAND_FONTS = "'DejaVu Sans', 'IPAPGothic', 'NanumGothic', 'IPAGothic', sans-serif"
# Page margins (mm) when the HTML sets none with CSS @page; the bands sit inside the top and bottom margins.
MARGIN_MM = {"top": 17.0, "bottom": 16.0, "left": 15.0, "right": 15.0}

# The page-fitting pass run in the page before printing (see :func:`print_pdf`, `fit_figures`). It measures the
# real pagination: the page's body is laid out as a multi-column box, one column per printed page (the text area's
# width and height), so Chromium's own fragmentation engine -- the one printing uses, with break-inside: avoid,
# orphans and widows, and whatever the page's own CSS says (nbconvert's output areas included) -- decides where each
# block falls; getClientRects() then gives every fragment's page. Where a page ends more than MIN_GAP short of the
# bottom because the block that starts the next page did not fit (a figure, or an element marked data-keep), the
# pass (1) scales that block's largest image down until the block fits the page it was pushed from, when that keeps
# at least MIN_SCALE of its width, else (2) when it is a figure or a box marked data-float (an aside, as the
# brief's context box; never the summary, which must stay first), floats the following top-level block (one without
# figures or kept parts: text, or a table that breaks between its rows, as the appendix) ahead of it, as a
# typesetter floats a figure or a box to the next page. Each change is measured again and kept only
# when the pushed block now starts on the earlier page (1) or the gap shrinks without adding a page (2). The body's
# own style is restored before printing; the pass returns a log of what it did and the page count it measured.
FIT_SCRIPT = """
(() => {
  const H = %(page_px)f, W = %(width_px)f, MIN_SCALE = %(min_scale)f, MIN_GAP = %(min_gap)f * H, GAP = 40;
  const body = document.body, saved = new Map();
  // A scroll container (overflow other than visible; nbconvert's output areas are ones) is monolithic in a
  // multi-column box, though printing breaks it: while measuring, such blocks show their overflow and keep
  // their own formatting context (flow-root), as they do in print.
  for (const el of [body, ...body.querySelectorAll('*')]) {
    const cs = getComputedStyle(el);
    if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
    if (cs.display !== 'block' && cs.display !== 'flow-root' && el !== body) continue;
    saved.set(el, el.getAttribute('style'));
    el.style.setProperty('overflow', 'visible', 'important');
    if (el !== body) el.style.setProperty('display', 'flow-root', 'important');
  }
  if (!saved.has(body)) saved.set(body, body.getAttribute('style'));
  body.style.cssText += `;margin:0;padding:0;width:${W}px;height:${H}px;column-width:${W}px;` +
                        `column-gap:${GAP}px;column-fill:auto`;
  const topLevel = () => [...document.querySelectorAll('.kb')].filter(e => !e.parentElement.closest('.kb'));
  const units = () => [...document.querySelectorAll('.kb figure, .kb [data-keep]')]
    .filter(e => !e.parentElement.closest('figure, [data-keep]'));
  const place = r => {
    const b = body.getBoundingClientRect();
    return {col: Math.floor((r.left - b.left + 1) / (W + GAP)), top: r.top - b.top, bottom: r.bottom - b.top};
  };
  const measure = () => {
    const fill = [];
    for (const el of document.querySelectorAll('.kb *')) {
      if (el.childElementCount && el.tagName !== 'TR') continue;
      for (const r of el.getClientRects()) {
        if (!r.width || !r.height) continue;
        const p = place(r);
        fill[p.col] = Math.max(fill[p.col] || 0, p.bottom);
      }
    }
    for (let i = 0; i < fill.length; i++) fill[i] = fill[i] || 0;
    return fill;
  };
  const start = el => { const r = el.getClientRects()[0]; return r ? place(r) : null; };
  const log = [];
  const tried = new Set();
  let fill = measure();
  for (let pass = 0; pass < 40; pass++) {
    let target = null;
    for (const u of units()) {
      if (tried.has(u)) continue;
      const s = start(u);
      if (!s || s.col < 1 || s.top > 40) continue;
      const left = H - fill[s.col - 1];
      if (left > MIN_GAP) { target = {u, s, left}; break; }
    }
    if (!target) break;
    const {u, s, left} = target;
    tried.add(u);
    const h = u.getBoundingClientRect().height;
    const imgs = [...u.querySelectorAll('img')].sort((a, b) => b.offsetHeight - a.offsetHeight);
    let done = false;
    if (imgs.length && h <= H) {
      const img = imgs[0], w0 = img.style.width, ih = img.getBoundingClientRect().height;
      const iw = img.getBoundingClientRect().width;
      for (const slack of [6, 14, 24, 40]) {
        const scale = (ih - (h - left) - slack) / ih;
        if (scale < MIN_SCALE) break;
        img.style.width = (iw * scale) + 'px'; img.style.height = 'auto';
        const now = start(u);
        if (now && now.col === s.col - 1) {
          log.push('scaled ' + scale.toFixed(2)); done = true; break;
        }
      }
      if (!done) img.style.width = w0;
    }
    if (!done) {
      const unit = u.closest('.kb'), blocks = topLevel(), next = blocks[blocks.indexOf(unit) + 1];
      if ((u.tagName === 'FIGURE' || u.hasAttribute('data-float')) && next && !next.querySelector('figure, [data-keep]')) {
        const pages = fill.length, before = left;
        unit.parentNode.insertBefore(next, unit);
        const after = measure();
        if (after.length <= pages && H - after[s.col - 1] < before - 1) { log.push('floated'); done = true; }
        else unit.parentNode.insertBefore(unit, next);
      }
    }
    if (!done) log.push('kept');
    fill = measure();
  }
  const pages = fill.length;
  for (const [el, style] of saved) { if (style === null) el.removeAttribute('style'); else el.setAttribute('style', style); }
  return {log, pages};
})()
"""

_RUNNING = re.compile(r'data-running-(header|footer)\s*=\s*"([^"]*)"')


def find_chromium() -> str | None:
    """The browser to print with: ``$KRIHS_CHROMIUM`` if set (empty = none), else the first one on PATH.

    Returns
    -------
    str or None
        The browser's path, as :func:`shutil.which` finds it (``chromium``, ``chromium-browser``,
        ``google-chrome``, ``google-chrome-stable``, in that order); None when there is none, when
        ``KRIHS_CHROMIUM`` is empty, or when it names no executable.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> browser = find_chromium()  # e.g. '/usr/bin/chromium' (Debian's chromium, installed by make setup)
    >>> with mock.patch.dict(os.environ, {"KRIHS_CHROMIUM": ""}):  # an empty KRIHS_CHROMIUM disables PDF output
    ...     print(find_chromium())
    None
    """
    env = os.environ.get("KRIHS_CHROMIUM")
    if env is not None:
        return shutil.which(env) if env else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def running_texts(markup: str) -> dict[str, str]:
    """The running header and footer texts an HTML page names (``data-running-header="..."``); first one wins.

    Parameters
    ----------
    markup
        HTML text, searched for ``data-running-header="..."`` and ``data-running-footer="..."`` attributes on any
        element (double-quoted values only); HTML entities in a value are unescaped.

    Returns
    -------
    dict
        ``header`` and/or ``footer`` to the first text named for each; empty when the HTML names none.

    Examples
    --------
    >>> running_texts('<div data-running-header="Illustrative data &amp; more" hidden></div>')
    {'header': 'Illustrative data & more'}
    """
    from ._validate import check_text

    check_text(markup, "markup", example="markup='<div data-running-header=\"...\" hidden></div>'")
    out: dict[str, str] = {}
    for kind, value in _RUNNING.findall(markup):
        out.setdefault(kind, html_lib.unescape(value))
    return out


def band_templates(header: str | None, footer_left: str | None) -> tuple[str, str]:
    """Chromium's header and footer templates: a red notice band on top (or nothing), ``n / N`` at the foot.

    Parameters
    ----------
    header
        The notice drawn in bold red, centred over a red rule, in the top margin of every page (HTML-escaped).
        None or empty: an empty header template (Chromium's default one would print the date and title).
    footer_left
        A label drawn at the left of the foot of every page, opposite the page number (HTML-escaped). None or
        empty: the page number alone.

    Returns
    -------
    tuple of str
        The header and footer templates, for ``Page.printToPDF``'s ``headerTemplate`` and ``footerTemplate``.

    Examples
    --------
    >>> head, foot = band_templates("Illustrative", None)
    >>> "Illustrative" in head and 'class="pageNumber"' in foot and 'class="totalPages"' in foot
    True
    """
    from ._validate import check_text

    check_text(header, "header", example="header='Illustrative data'", optional=True)
    check_text(footer_left, "footer_left", example="footer_left='KRIHS Policy Brief'", optional=True)
    side = f"0 {MARGIN_MM['right']}mm 0 {MARGIN_MM['left']}mm"
    base = (f"font-family: {BAND_FONTS}; font-size: 7.5pt; width: 100%; box-sizing: border-box; padding: {side}; "
            "-webkit-print-color-adjust: exact; print-color-adjust: exact;")
    if header:
        head = (f'<div style="{base} color: #a40000; text-align: center; font-weight: bold; '
                f'border-bottom: 0.6pt solid #a40000; margin-top: 5mm;">'
                f"{html_lib.escape(header)}</div>")
    else:
        head = "<div></div>"  # an empty template: Chromium's default header would print the date and title
    left = f'<span style="float: left;">{html_lib.escape(footer_left)}</span>' if footer_left else ""
    foot = (f'<div style="{base} color: #555; text-align: right; margin-bottom: 5mm;">{left}'
            '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    return head, foot


class _DevTools:
    """The DevTools protocol on Chromium's ``--remote-debugging-pipe`` (fd 3 in, fd 4 out; NUL-ended JSON)."""

    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int, deadline: float):
        self.proc, self.write_fd, self.read_fd, self.deadline = proc, write_fd, read_fd, deadline
        self.buffer = b""
        self.next_id = 0

    def _message(self) -> dict:
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("Chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the DevTools pipe (exit {self.proc.poll()})")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        msg: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.write_fd, json.dumps(msg).encode("utf-8") + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"Chromium {method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})

    def wait_for(self, event: str) -> dict:
        while True:
            msg = self._message()
            if msg.get("method") == event:
                return msg


@contextlib.contextmanager
def _browser(browser: str, tmp: str, timeout: float) -> Iterator[_DevTools]:
    """A headless Chromium with its DevTools pipe, for `timeout` seconds; closed (killed if need be) on exit."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def child_fds() -> None:
        # Chromium reads commands on fd 3 and answers on fd 4. Copy both ends above 9 first, so that neither
        # copy can land on 3 or 4 and be overwritten (or stay close-on-exec) by the dup2 that follows.
        a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.dup2(a, 3, inheritable=True)
        os.dup2(b, 4, inheritable=True)

    log = Path(tmp) / "chromium.log"  # a file, not a pipe: a chatty browser must never block on its stderr
    with open(log, "wb") as err:
        proc = subprocess.Popen([browser, *FLAGS, f"--user-data-dir={tmp}/profile", "about:blank"],
                                preexec_fn=child_fds, close_fds=False, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "HOME": tmp})
    os.close(to_browser_r)
    os.close(from_browser_w)
    try:
        yield _DevTools(proc, to_browser_w, from_browser_r, time.monotonic() + timeout)
    except (OSError, RuntimeError) as exc:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        tail = log.read_text(encoding="utf-8", errors="replace").strip()[-400:]
        raise RuntimeError(f"Chromium failed ({exc}){': ' + tail if tail else ''}") from exc
    finally:
        os.close(to_browser_w)
        os.close(from_browser_r)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _close(dt: _DevTools) -> None:
    try:
        dt.call("Browser.close")
    except (OSError, RuntimeError):
        pass  # the pipe may close before the answer arrives


def _print(browser: str, url: str, tmp: str, options: dict, timeout: float, fit: dict | None) -> bytes:
    with _browser(browser, tmp, timeout) as dt:
        pdf = _print_page(dt, url, options, fit)
        _close(dt)
        return pdf


#: Text-area heights the fitting pass measures with, as shares of the page's, tried in turn while Chromium prints
#: more pages than the pass measured, or a sparse page before the last (:func:`_print_page`): the pass lays the
#: body out in columns, and printing fragments it a line or so differently (measured at the full height, the
#: Japanese brief was 5 pages and printed 6, its page 2 left 63 % full; at 0.99 of it, measured and printed agree
#: on the page counts of the three briefs).
FIT_HEIGHTS = (0.99, 0.97, 0.94)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


#: A page before the last whose content ends above this share of its text area counts as sparse (see
#: :func:`_sparse_pages`; the brief's page-fill test holds the same floor).
SPARSE_FILL = 0.7


def _sparse_pages(pdf: bytes) -> int:
    """How many pages before the last the printed `pdf` leaves sparse (:data:`SPARSE_FILL`).

    0 when that cannot be measured (no poppler, which `make setup` installs; poppler failing; no room for the
    temporary copy): the check only chooses between prints, and a print never fails for it."""
    if shutil.which("pdftoppm") is None:
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="krihs-fit-") as tmp:
            path = Path(tmp) / "printed.pdf"
            path.write_bytes(pdf)
            return sum(f < SPARSE_FILL for f in page_fill(path)[:-1])
    except (OSError, ValueError, RuntimeError):
        return 0


def _print_page(dt: _DevTools, url: str, options: dict, fit: dict | None = None) -> bytes:
    """Open `url` in a new tab, wait for its fonts, fit its figures to the pages (`fit`), print it.

    With `fit`, the print is checked against what the fitting pass measured: where Chromium printed more pages, or
    left a page before the last sparse (under :data:`SPARSE_FILL`: a block the pass placed at the very foot of a
    page did not fit in print, and the float behind it went a page further), the page is fitted again (fresh from
    `url`) to a slightly shorter text area (:data:`FIT_HEIGHTS`), and the print with the fewest pages, then the
    fewest sparse ones, is kept."""
    if not fit:
        return _print_once(dt, url, options, None)
    prints = []
    for share in FIT_HEIGHTS:
        tried = {**fit, "page_px": fit["page_px"] * share}
        pdf = _print_once(dt, url, options, tried)
        measured = (tried.get("result") or {}).get("pages")
        agrees = not isinstance(measured, int) or _pages(pdf) <= measured
        sparse = _sparse_pages(pdf)
        prints.append((pdf, tried, agrees, sparse))
        # a near miss only (a page more than measured): a page whose content the pass does not measure (outside
        # the brief's blocks, as a whole notebook's export) prints many pages more, and trying again helps nothing
        if (agrees and not sparse) or (not agrees and _pages(pdf) - measured > 1):
            break
    # the fewest pages; of as many, the fewest sparse, then one whose pass measured what was printed
    pdf, tried, _, _ = min(prints, key=lambda t: (_pages(t[0]), t[3], not t[2]))
    fit["result"] = tried.get("result")
    return pdf


def _print_once(dt: _DevTools, url: str, options: dict, fit: dict | None) -> bytes:
    target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    dt.call("Page.enable", session=session)
    dt.call("Page.navigate", {"url": url}, session=session)
    dt.wait_for("Page.loadEventFired")
    dt.call("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
            session=session)
    if fit:
        # Lay the page out as it prints: print styles, and the width of the page's text area.
        dt.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        dt.call("Emulation.setDeviceMetricsOverride", {"width": round(fit["width_px"]), "height": 1000,
                                                       "deviceScaleFactor": 1, "mobile": False}, session=session)
        result = dt.call("Runtime.evaluate", {"expression": FIT_SCRIPT % fit, "returnByValue": True},
                         session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"the page-fitting pass failed: {result['exceptionDetails'].get('text', '')}")
        fit["result"] = result.get("result", {}).get("value")
        dt.call("Emulation.clearDeviceMetricsOverride", session=session)
    data = dt.call("Page.printToPDF", options, session=session)["data"]
    dt.call("Target.closeTarget", {"targetId": target})
    return base64.b64decode(data)


def print_pdf(
    html: str | Path,
    pdf_path: str | Path,
    *,
    header: str | None = None,
    footer: str | None = None,
    fit_figures: bool | None = None,
    min_scale: float = 0.7,
    min_gap: float = 0.12,
    timeout: float = 180,
) -> Path:
    """Print `html` (markup, or a path to an HTML file) to `pdf_path`, atomically, with running bands.

    Parameters
    ----------
    html
        HTML markup, or the path of an HTML file.
    pdf_path
        Where to write the PDF (replaced only when printing succeeded).
    header
        The running header of every page (e.g. the illustrative-data notice). None: the first
        ``data-running-header`` attribute of the HTML, or no header.
    footer
        A label left of the page number in the foot of every page. None: the HTML's ``data-running-footer``.
        The page number, ``n / N``, is always printed.
    fit_figures
        Before printing, fit the blocks that must not break to the pages (see :data:`FIT_SCRIPT`): where a page
        would end more than `min_gap` of its height short because the next figure or ``data-keep`` block did not
        fit, scale that block's image down (to no less than `min_scale` of its width) so that it does, or float
        the text block after it ahead of it. The pass measures Chromium's own pagination of the page as printed
        (nbconvert's webpdf output areas included). None: on when the HTML has a ``data-print-fit`` attribute
        (the drafted brief's title block sets one), off otherwise.
    min_scale
        The smallest scale a figure is printed at by `fit_figures`.
    min_gap
        The share of a page's height that `fit_figures` leaves empty before it acts.
    timeout
        Seconds before an unresponsive browser is given up.

    Returns
    -------
    Path
        `pdf_path`, written.

    Raises
    ------
    ValueError
        An option that is not what is described above (checked before the browser starts).
    FileNotFoundError
        `html` names an HTML file that does not exist.
    RuntimeError
        There is no browser, or it fails; a failed print leaves any previous PDF in place.

    Examples
    --------
    >>> from krihs_analysis.pdf import find_chromium
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "brief.pdf"
    >>> html = '<div data-running-header="Illustrative data" hidden></div><h1>Brief</h1>'
    >>> find_chromium() is None or (print_pdf(html, out) == out and out.read_bytes()[:4] == b"%PDF")
    True
    """
    from ._validate import check_number, check_path, check_text

    if isinstance(html, str) and "<" not in html and html.strip().lower().endswith((".html", ".htm")):
        html = Path(html)  # the path of a file, not markup (which would print the path itself)
    if not isinstance(html, (str, Path)):
        raise ValueError(f"html must be HTML markup (a str) or the path of an HTML file, got {type(html).__name__}")
    if isinstance(html, Path) and not html.is_file():
        raise FileNotFoundError(f"HTML file not found: {html}")
    if check_path(pdf_path, "pdf_path", example="pdf_path='brief.pdf'").is_dir():  # found only after printing
        raise ValueError(f"pdf_path {str(pdf_path)!r} is a folder; give the PDF file to write, e.g. "
                         f"pdf_path='{Path(pdf_path) / 'brief.pdf'}'")
    check_text(header, "header", example="header='Illustrative data'", optional=True)
    check_text(footer, "footer", example="footer='KRIHS Policy Brief'", optional=True)
    if fit_figures is not None and not isinstance(fit_figures, bool):  # (1 and 0.0 were "in" (True, False))
        raise ValueError(f"fit_figures must be True, False or None, got {fit_figures!r}")
    min_scale = check_number(min_scale, "min_scale", lo=0, hi=1, example="min_scale=0.7")
    min_gap = check_number(min_gap, "min_gap", lo=0, hi=1, example="min_gap=0.12")
    timeout = check_number(timeout, "timeout", lo=0, strict=True, example="timeout=180")
    browser = find_chromium()
    if browser is None:
        env = os.environ.get("KRIHS_CHROMIUM")
        if env:
            raise RuntimeError(f"KRIHS_CHROMIUM={env} is not an executable: set it to the browser's path, or unset "
                               "it to use Debian's chromium (make setup)")
        raise RuntimeError("no Chromium found: install Debian's chromium (make setup) or set KRIHS_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="krihs-pdf-") as tmp:
        if isinstance(html, Path):
            src = html.resolve()
            markup = src.read_text(encoding="utf-8")
        else:
            src = Path(tmp) / "page.html"
            src.write_text(html, encoding="utf-8")
            markup = html
        named = running_texts(markup)
        head, foot = band_templates(header if header is not None else named.get("header"),
                                    footer if footer is not None else named.get("footer"))
        inch = 25.4
        options = {
            "displayHeaderFooter": True, "headerTemplate": head, "footerTemplate": foot,
            "printBackground": True, "preferCSSPageSize": True, "paperWidth": 210 / inch, "paperHeight": 297 / inch,
            **{f"margin{side.title()}": mm / inch for side, mm in MARGIN_MM.items()},
        }
        px = 96 / inch  # CSS pixels per mm
        if fit_figures is None:
            fit_figures = "data-print-fit" in markup
        fit = ({"page_px": (297 - MARGIN_MM["top"] - MARGIN_MM["bottom"]) * px,
                "width_px": (210 - MARGIN_MM["left"] - MARGIN_MM["right"]) * px, "min_scale": min_scale,
                "min_gap": min_gap}
               if fit_figures else None)
        try:
            pdf = _print(browser, src.as_uri(), tmp, options, timeout, fit)
        except OSError as exc:  # the browser could not be started at all
            raise RuntimeError(f"Chromium could not be started: {exc}") from exc
        if pdf[:4] != b"%PDF":
            raise RuntimeError("Chromium returned no PDF")
        return write_atomic(pdf_path, pdf)


def font_charset(family: str) -> tuple[str | None, set[int]]:
    """The font file fontconfig picks for `family` and the code points it covers (empty when not installed).

    Parameters
    ----------
    family
        A font family name, e.g. ``'NanumGothic'``, matched without regard to case against every family name
        fontconfig gives the font it picks; when fontconfig can only offer another font in its place, the family
        counts as not installed.

    Returns
    -------
    tuple
        The font file's path (None when the family is not installed) and the set of code points the matched face
        covers (in a collection such as ``NotoSansCJK-Regular.ttc``, the face of that family; empty when not
        installed).

    Raises
    ------
    ValueError
        `family` is not a non-empty string.
    RuntimeError
        fontconfig (``fc-match``, ``fc-query``) is not installed.

    Examples
    --------
    >>> path, points = font_charset("NanumGothic")
    >>> ord("한") in points, ord("A") in points
    (True, True)
    >>> font_charset("No Such Font")
    (None, set())
    """
    if not isinstance(family, str) or not family.strip():
        raise ValueError(f"family must be a font family name, e.g. 'NanumGothic', got {family!r}")
    if shutil.which("fc-match") is None or shutil.which("fc-query") is None:
        raise RuntimeError("font_charset needs fontconfig's fc-match and fc-query: apt-get install fontconfig "
                           "(`make setup` installs it)")
    found = subprocess.run(["fc-match", "--format=%{family}\t%{index}\t%{file}", family], capture_output=True,
                           text=True)
    if found.returncode != 0 or found.stdout.count("\t") < 2:
        return None, set()
    families, index, path = found.stdout.split("\t", 2)
    # fontconfig names a font by all its family names ("NanumGothic,나눔고딕"); any other answer is a substitute.
    if family.strip().casefold() not in {f.strip().casefold() for f in families.split(",")}:
        return None, set()
    # the face fontconfig matched: in a collection (.ttc) the Korean face is not the first
    query = subprocess.run(["fc-query", f"--index={index}", "--format=%{charset}", path], capture_output=True,
                           text=True)
    points: set[int] = set()
    for part in query.stdout.split():
        lo, _, hi = part.partition("-")
        points.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return path, points


def missing_glyphs(text: str, families: tuple[str, ...]) -> set[str]:
    """Characters of `text` that none of the font `families` can draw (what a browser would show as tofu).

    Chromium draws each character with the first family of the CSS list that has it; a character none of them
    has falls to an arbitrary system font or to a box.

    Parameters
    ----------
    text
        The text to be drawn; white space and characters that are never drawn (controls, C0 and C1 and DEL, and
        format characters such as U+200B ZERO WIDTH SPACE or U+FEFF) are ignored.
    families
        Font family names, as in the CSS ``font-family`` list (one string is one family); a family that is not
        installed covers nothing (see :func:`font_charset`).

    Returns
    -------
    set of str
        The characters no family covers; empty when every one can be drawn.

    Raises
    ------
    ValueError
        `families` is not a string or a collection of strings.

    Examples
    --------
    >>> missing_glyphs("안녕 こんにちは", ("NanumGothic", "IPAGothic")) <= set()
    True
    >>> sorted(missing_glyphs("A 안녕", ("DejaVu Sans",)))  # DejaVu Sans has no Hangul
    ['녕', '안']
    """
    from ._validate import check_strings, check_text

    check_text(text, "text", example="text='안녕 こんにちは'")
    covered: set[int] = set()
    for family in check_strings(families, "families", example="families=('NanumGothic', 'IPAGothic')"):
        covered |= font_charset(family)[1]
    import unicodedata

    # Cc (controls) and Cf (format characters) have no glyph in any font: the browser draws nothing for them.
    return {ch for ch in set(text) if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
            and ord(ch) not in covered}


def _poppler(argv: list[str], pdf_path: str | Path) -> bytes:
    """Run a poppler tool on one PDF (``{pdf}`` in `argv`); a missing or unreadable PDF says so with poppler's words."""
    from ._validate import check_path

    pdf = check_path(pdf_path, "pdf_path", example="pdf_path='brief.pdf'")
    if not pdf.is_file():
        raise FileNotFoundError(f"PDF not found: {pdf}")
    done = subprocess.run([str(pdf) if a == "{pdf}" else a for a in argv], capture_output=True)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(f"{pdf} is not a readable PDF ({Path(argv[0]).name}: {said[0] if said else 'failed'})")
    return done.stdout


def word_boxes(pdf_path: str | Path) -> list[dict]:
    """Every word of a PDF with its box, from poppler's ``pdftotext -bbox`` (points, origin top left).

    Parameters
    ----------
    pdf_path
        The PDF to read (a str or Path).

    Returns
    -------
    list of dict
        One dict per word, page by page in the order poppler gives them: ``page`` (1-based), ``pages``, ``page_height``,
        ``x0, y0, x1, y1``, ``word``.

    Raises
    ------
    RuntimeError
        poppler (``pdftotext``) is not installed.
    FileNotFoundError
        `pdf_path` does not exist.
    ValueError
        `pdf_path` is not a path, or poppler cannot read it as a PDF.

    Examples
    --------
    >>> from krihs_analysis.pdf import find_chromium
    >>> import pathlib, shutil, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "words.pdf"
    >>> (find_chromium() is None or shutil.which("pdftotext") is None
    ...  or [w["word"] for w in word_boxes(print_pdf("<p>Hello world</p>", out))] == ["Hello", "world", "1", "/", "1"])
    True
    """
    import xml.etree.ElementTree as ET

    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext not found: install poppler-utils (make setup)")
    out = _poppler([tool, "-bbox", "{pdf}", "-"], pdf_path)
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = root.findall(".//h:page", ns)
    words = []
    for number, page in enumerate(pages, start=1):
        for w in page.findall("h:word", ns):
            words.append({"page": number, "pages": len(pages), "page_height": float(page.get("height")),
                          "x0": float(w.get("xMin")), "y0": float(w.get("yMin")), "x1": float(w.get("xMax")),
                          "y1": float(w.get("yMax")), "word": w.text or ""})
    return words


def page_fill(pdf_path: str | Path, *, dpi: int = 30) -> list[float]:
    """How far down each page of a PDF its content reaches: the lowest ink in the text area, as a share of it.

    The pages are rendered with poppler's ``pdftoppm`` (images and drawings count, not only words); the running
    bands in the margins (:data:`MARGIN_MM`) are left out. 1.0 is a full page, 0.3 a page left 70 % empty.

    Parameters
    ----------
    pdf_path
        The PDF to measure (a str or Path), printed on A4 with the margins of :data:`MARGIN_MM`.
    dpi
        The resolution the pages are rendered at (dots per inch, a whole number of at least 1): a higher one
        measures more finely and renders more slowly.

    Returns
    -------
    list of float
        One share per page, in page order; 0.0 for a page with nothing in its text area.

    Examples
    --------
    >>> from krihs_analysis.pdf import find_chromium
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "fill.pdf"
    >>> (find_chromium() is None or shutil.which("pdftoppm") is None
    ...  or [round(f, 1) for f in page_fill(print_pdf('<div style="height:130mm;background:#000"></div>', out))])
    [0.5]
    """
    import numpy as np
    from PIL import Image

    from ._validate import check_count

    dpi = check_count(dpi, "dpi", minimum=1)
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError("pdftoppm not found: install poppler-utils (make setup)")
    fills = []
    with tempfile.TemporaryDirectory(prefix="krihs-fill-") as tmp:
        _poppler([tool, "-r", str(dpi), "-gray", "-png", "{pdf}", f"{tmp}/p"], pdf_path)
        for png in sorted(Path(tmp).glob("p-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1])):
            page = np.asarray(Image.open(png).convert("L"))
            px_mm = page.shape[0] / 297
            top, bottom = round(MARGIN_MM["top"] * px_mm), page.shape[0] - round(MARGIN_MM["bottom"] * px_mm)
            inked = np.flatnonzero((page[top:bottom] < 235).any(axis=1))
            fills.append(float((inked[-1] + 1) / (bottom - top)) if inked.size else 0.0)
    return fills


_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")


def glyph_box(word: dict) -> tuple[float, float]:
    """The vertical extent of a word's glyphs (top, bottom in points).

    poppler sizes a word's box by its font's ascent and descent; for the IPA fonts those are about 2.6 em, so a
    7.5 pt line would seem 20 pt tall. A word of full-width (CJK) characters is one em per character wide, which
    gives its size (a half-width character counts as about 0.55 em): such a box is narrowed to 1.2 em about its
    centre.

    Parameters
    ----------
    word
        One word as :func:`word_boxes` gives it: its text under ``word`` and its box under ``x0, x1, y0, y1``
        (points; other keys are ignored).

    Returns
    -------
    tuple of float
        The top and bottom of the glyphs; the box's own ``y0, y1`` for a word without CJK characters or whose box
        is not taller than 1.5 em.

    Examples
    --------
    >>> glyph_box({"word": "例示データ", "x0": 0.0, "x1": 35.0, "y0": 21.7, "y1": 41.2})
    (27.25, 35.65)
    """
    from ._validate import _real_in

    if (not isinstance(word, Mapping) or not isinstance(word.get("word"), str)
            or not all(_real_in(word.get(k), -math.inf, math.inf, False) for k in ("x0", "x1", "y0", "y1"))):
        raise ValueError(f"word must be one word as word_boxes gives it: its text under 'word' and finite numbers "
                         f"under 'x0', 'x1', 'y0', 'y1'; got {word!r:.80}")
    y0, y1 = word["y0"], word["y1"]
    text = word["word"].strip()
    if text and _CJK.search(text):
        em = (word["x1"] - word["x0"]) / sum(1.0 if _CJK.match(ch) else 0.55 for ch in text)
        if y1 - y0 > 1.5 * em:
            mid = (y0 + y1) / 2
            return round(mid - 0.6 * em, 4), round(mid + 0.6 * em, 4)
    return y0, y1


def layout_problems(pdf_path: str | Path, *, banner: str | None = None) -> list[str]:
    """What is wrong with a printed PDF's running bands, one sentence per problem (empty when none).

    Every page must end with its number, ``n / N``, in the bottom margin, and no word may run from the text area
    into that margin (cut off at the page's foot).

    Parameters
    ----------
    pdf_path
        The PDF to check (a str or Path), as :func:`print_pdf` prints it (A4, the margins of :data:`MARGIN_MM`).
    banner
        The running header every page must carry in its top margin, alone (compared without white space), with
        no other word sharing the banner's band (overlapping its height). None or empty: the top margin is not checked.

    Returns
    -------
    list of str
        One sentence per problem; ``["the PDF has no text"]`` for a PDF without words.

    Examples
    --------
    >>> from krihs_analysis.pdf import find_chromium
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "two.pdf"
    >>> (find_chromium() is None or shutil.which("pdftotext") is None
    ...  or layout_problems(print_pdf("<p>a</p>" * 90, out, header="Banner"), banner="Banner") == [])
    True
    """
    from ._validate import check_text

    check_text(banner, "banner", example="banner='Illustrative data'", optional=True)  # before poppler runs
    words = word_boxes(pdf_path)
    if not words:
        return ["the PDF has no text"]
    for w in words:
        w["y0"], w["y1"] = glyph_box(w)
    n_pages = words[0]["pages"]
    pt = 72 / 25.4
    top_band, bottom_band = MARGIN_MM["top"] * pt, MARGIN_MM["bottom"] * pt
    problems = []
    wanted = "".join(banner.split()) if banner else ""
    for page in range(1, n_pages + 1):
        on_page = [w for w in words if w["page"] == page]
        height = on_page[0]["page_height"] if on_page else 842.0
        foot = [w["word"] for w in sorted(on_page, key=lambda w: w["x0"]) if w["y0"] >= height - bottom_band]
        if not re.search(rf"(^|\s){page} / {n_pages}(\s|$)", " ".join(foot)):
            problems.append(f"page {page} lacks its number '{page} / {n_pages}' in the foot")
        # A word that starts in the text area and runs into the bottom margin by more than half its height is cut
        # off at the page's foot (a descent reaching a little past the last line is normal).
        foot_edge = height - bottom_band
        for w in on_page:
            if w["y0"] < foot_edge - 0.5 and w["y1"] - foot_edge > 0.5 * (w["y1"] - w["y0"]):
                problems.append(f"page {page}: {w['word']!r} is cut off at the foot of the text area")
        if not banner:
            continue
        head = [w for w in on_page if w["y1"] <= top_band]
        if "".join(w["word"] for w in sorted(head, key=lambda w: w["x0"])) != wanted:
            problems.append(f"page {page}: the top margin holds {' '.join(w['word'] for w in head)!r}, "
                            f"not only the banner {banner!r}")
            if not head:
                continue
        lo, hi = min(w["y0"] for w in head), max(w["y1"] for w in head)
        for w in on_page:
            if w not in head and w["y0"] < hi and w["y1"] > lo:
                problems.append(f"page {page}: {w['word']!r} shares the banner's band")
    return problems


# Tables, images, figures, code and output blocks whose right edge passes the page's: what a reader must scroll
# sideways to see, or never sees in print. An element inside a scrolling box (overflow: auto, as JupyterLab's
# output areas are) counts too: the page shows it cut at the box's edge.
_WIDE_SCRIPT = """
(() => {
  const W = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('table, img, svg, figure, pre')) {
    if (el.parentElement && el.parentElement.closest('table, figure, pre, svg')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > W + 1) {
      const text = (el.innerText || el.getAttribute('alt') || '').replace(/\\s+/g, ' ').trim().slice(0, 60);
      out.push(`${el.tagName.toLowerCase()} ${Math.round(r.right)} px wide: ${text}`);
    }
  }
  return out;
})()
"""


def wide_elements(pages: str | Path | Sequence[str | Path], *, width_px: int = 1280,
                  timeout: float = 120) -> dict[str, list[str]]:
    """The tables, images, figures and code blocks of HTML pages that run past a browser window `width_px` wide.

    Each page is laid out by headless Chromium as a reader's browser lays it out (screen styles, a window
    `width_px` CSS pixels wide); an element whose right edge passes the page's is one the reader must scroll
    sideways to see, or that a print cuts off. One browser serves every page.

    Parameters
    ----------
    pages
        The path of an HTML file, or several.
    width_px
        The width of the browser window in CSS pixels (1280: a laptop's).
    timeout
        Seconds before an unresponsive browser is given up.

    Returns
    -------
    dict of str to list of str
        For each page (its path as given, as a str), one line per element too wide: its tag, its right edge in
        CSS pixels and the start of its text; an empty list when everything fits.

    Raises
    ------
    ValueError
        `pages` are not paths of HTML files, or `width_px` is not a whole number of at least 320.
    FileNotFoundError
        A page does not exist.
    RuntimeError
        There is no browser, or it fails.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "wide.html"
    >>> _ = page.write_text('<table><tr><td style="white-space: nowrap">' + "word " * 400 + "</td></tr></table>")
    >>> find_chromium() is None or wide_elements(page)[str(page)][0].startswith("table ")
    True
    """
    from ._validate import check_count, check_number

    if isinstance(pages, (str, Path)):
        pages = [pages]
    if not isinstance(pages, Sequence) or not pages or not all(isinstance(p, (str, Path)) for p in pages):
        raise ValueError(f"pages must be the path of an HTML file or a list of them, got {pages!r:.80}")
    if not all(str(p).lower().endswith((".html", ".htm")) for p in pages):
        raise ValueError(f"pages must be HTML files (.html), got {[str(p) for p in pages]!r:.200}")
    for p in pages:
        if not Path(p).is_file():
            raise FileNotFoundError(f"HTML file not found: {p}")
    width_px = check_count(width_px, "width_px", minimum=320)
    timeout = check_number(timeout, "timeout", lo=0, strict=True, example="timeout=120")
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found: install Debian's chromium (make setup) or set KRIHS_CHROMIUM")
    found: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="krihs-wide-") as tmp, _browser(browser, tmp, timeout) as dt:
        for p in pages:
            target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            dt.call("Page.enable", session=session)
            dt.call("Emulation.setDeviceMetricsOverride", {"width": width_px, "height": 900, "deviceScaleFactor": 1,
                                                           "mobile": False}, session=session)
            dt.call("Page.navigate", {"url": Path(p).resolve().as_uri()}, session=session)
            dt.wait_for("Page.loadEventFired")
            dt.call("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)",
                                         "awaitPromise": True}, session=session)
            result = dt.call("Runtime.evaluate", {"expression": _WIDE_SCRIPT, "returnByValue": True}, session=session)
            if "exceptionDetails" in result:
                raise RuntimeError(f"measuring {p} failed: {result['exceptionDetails'].get('text', '')}")
            found[str(p)] = list(result.get("result", {}).get("value") or [])
            dt.call("Target.closeTarget", {"targetId": target})
        _close(dt)
    return found
