"""Saving figures: atomic, reproducible files plus an alt-text manifest (``figures.json``) beside them.

Examples
--------
>>> import tempfile
>>> from krihs_analysis.data import read_context
>>> from krihs_analysis.figures import rmo_trend, save_figure
>>> ax = rmo_trend(read_context("rmo_survey"), lang="en")
>>> entry = save_figure(ax.figure, "rmo_trend_en", formats=("png",), dpi=50, out_dir=tempfile.mkdtemp())
>>> entry["files"]["png"]
'rmo_trend_en.png'
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..codebook import LANGS
from .._io import write_atomic
from .._validate import _describe, check_choice, check_number, check_path, check_strings
from .style import check_langs, check_text, house_style

MANIFEST = "figures.json"
SOFTWARE = "krihs-analysis (matplotlib)"
FORMATS = ("png", "svg", "pdf")
#: How each format's renderer measures text: raster (pixels at the dpi, hinted) or vector (points). Formats that
#: measure alike share one layout.
_TEXT_METRICS = {"png": "raster", "svg": "vector", "pdf": "vector"}
#: The order render_figure renders them in: PNG (the image baselines) first, laid out as by figure_bytes alone; then
#: the PDF (what the brief prints), which gets the vector layout; the SVG reuses it when both are asked for. (A
#: constrained layout carries a sub-pixel trace of the figure's earlier layouts, before this sharing as after it, so
#: the same call gives the same bytes but a different set of formats may move a line by a fraction of a pixel.)
_RENDER_ORDER = ("png", "pdf", "svg")
#: Metadata that keeps files byte-identical from run to run (no dates, fixed software string).
METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": SOFTWARE},
    "svg": {"Date": None, "Creator": SOFTWARE},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": SOFTWARE, "Producer": SOFTWARE},
}


def close_figure(fig) -> None:
    """Release a figure (closes it in pyplot when pyplot manages it, as in Jupyter).

    Parameters
    ----------
    fig
        A matplotlib Figure, e.g. what a multi-panel figure function returns or ``ax.figure`` of a single-panel
        one. Outside pyplot (a batch run) there is nothing to close: the figure goes when it is no longer used.

    Examples
    --------
    >>> from krihs_analysis.data import read_context
    >>> from krihs_analysis.figures import close_figure, rmo_trend
    >>> ax = rmo_trend(read_context("rmo_survey"), lang="en")
    >>> close_figure(ax.figure)
    """
    import sys

    fig = check_figure(fig, "close_figure")
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)


def default_out_dir() -> Path:
    from .. import paths

    return paths.REPORTS / "figures"


def _check_dpi(dpi: Any) -> float:
    """A resolution: a positive number (passed on to matplotlib as given, so that files stay as they were)."""
    return check_number(dpi, "dpi", lo=0, strict=True, example="dpi=300")


def check_figure(fig: Any, what: str):
    """The Figure to save or embed: a Figure, or the Figure of an Axes (what the single-panel functions return);
    else a ValueError that says what to pass (`what` names the caller)."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(fig, Axes):
        fig = fig.figure
    while isinstance(fig, SubFigure):  # an Axes of a subfigure: the file is the whole figure
        fig = fig.figure
    if isinstance(fig, Figure):
        return fig
    if isinstance(fig, Mapping):
        how = "save each one: for name, f in figures.items(): save_figure(f, name)"
    elif isinstance(fig, (list, tuple)) or (hasattr(fig, "ravel") and not hasattr(fig, "columns")):
        how = "pass their Figure, e.g. axes[0].figure"
    else:
        how = "pass what a figure function returns (its Axes or Figure)"
    raise ValueError(f"{what}: fig must be a matplotlib Figure or one Axes, got {_describe(fig)}; {how}")


def _check_out_dir(out_dir: Any, what: str) -> Path:
    """The output folder (``reports/figures`` when None): a path that is not an existing file."""
    if out_dir is None:
        return default_out_dir()
    try:
        folder = check_path(out_dir, "out_dir", example="out_dir='reports/figures'")
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{what}: out_dir must be a folder, but {str(folder)!r} is a file; pass the folder to write "
                         f"into, e.g. out_dir={str(folder.parent)!r}")
    return folder


def _check_formats(formats: Any) -> list[str]:
    formats = check_strings(formats, "formats", example="formats=['png', 'pdf']")
    for fmt in formats:
        check_choice(fmt, "each of formats", FORMATS)
    return formats


def figure_bytes(fig, fmt: str, *, dpi: float = 300) -> bytes:
    """Render `fig` to `fmt` in memory, within the house style of the figure's language."""
    if not isinstance(fmt, str) or fmt not in METADATA:
        raise ValueError(f"unknown figure format {fmt!r}; expected one of {', '.join(METADATA)}")
    fig = check_figure(fig, "figure_bytes")
    _check_dpi(dpi)
    lang = getattr(fig, "_krihs", {}).get("lang", "en")
    buf = io.BytesIO()
    with house_style(lang):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=METADATA[fmt])
    return buf.getvalue()


@contextlib.contextmanager
def _layout_frozen(fig):
    """Keep `fig`'s axes where its layout engine last put them while inside; the engine itself is restored on exit.

    ``savefig`` runs the figure's layout engine on every call (for constrained layout: a draw with drawing disabled
    that lays the figure out, then the real draw). Renderings of one figure to several formats can share one
    layout: inside, the figure has no engine, so ``savefig`` draws once with the positions as they are.
    """
    import matplotlib as mpl

    engine = fig.get_layout_engine()
    if engine is None:  # nothing to freeze (and restoring None would read rcParams)
        yield
        return
    # set_layout_engine(None) reads these two rcParams; both off means no engine ("none" would leave a placeholder
    # engine, and savefig would still make its extra draw).
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)  # the same object, with its settings: later layouts are as before


@contextlib.contextmanager
def _locked(folder: Path):
    """An exclusive lock on the folder's manifest while it is read, merged and replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic replace only
        yield
        return
    with open(folder / f".{MANIFEST}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The figures manifest of a folder (an empty one when there is none)."""
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return {"figures": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("figures", {})
    return data


def update_manifest(out_dir: str | Path, entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Merge `entries` (name -> entry) into ``figures.json`` atomically; returns the merged manifest."""
    folder = Path(out_dir)
    with _locked(folder):
        manifest = read_manifest(folder)
        manifest["figures"].update(entries)
        manifest["figures"] = dict(sorted(manifest["figures"].items()))
        write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def save_figure(
    fig,
    name: str,
    *,
    formats: Sequence[str] = FORMATS,
    dpi: float = 300,
    out_dir: str | Path | None = None,
    alt_text: str | None = None,
    manifest: bool = True,
) -> dict[str, Any]:
    """Write `fig` as ``<name>.<fmt>`` for each format (atomically) and record it in ``figures.json``.

    Parameters
    ----------
    fig
        A Figure, or an Axes of one (what the single-panel catalogue functions return); catalogue figures carry
        their language, title and a default alt text.
    name
        File stem, e.g. ``country_profile_ko``.
    formats
        Any of ``png``, ``svg``, ``pdf``. Files are reproducible: no dates, fixed software string and SVG hash salt.
    dpi
        Raster resolution (PNG; also images embedded in PDF/SVG).
    out_dir
        Output folder, ``reports/figures`` by default.
    alt_text
        Short description for screen readers; the catalogue's own (kind of chart, headline, subtitle) when None.
    manifest
        Merge the entry into ``figures.json`` in `out_dir`.

    Returns
    -------
    dict
        The manifest entry: ``alt_text, lang, title, files`` (format -> file name) and ``sha256`` per format.

    Examples
    --------
    >>> import tempfile
    >>> from krihs_analysis.data import read_context
    >>> from krihs_analysis.figures import close_figure, rmo_trend, save_figure
    >>> ax = rmo_trend(read_context("rmo_survey"), lang="ja")
    >>> entry = save_figure(ax, "rmo_trend_ja", formats="png", dpi=50, out_dir=tempfile.mkdtemp())
    >>> entry["lang"], entry["files"]
    ('ja', {'png': 'rmo_trend_ja.png'})
    >>> close_figure(ax.figure)
    """
    folder = _check_out_dir(out_dir, "save_figure")
    entry, payloads = render_figure(fig, name, formats=formats, dpi=dpi, alt_text=alt_text)
    for fname, data in payloads.items():
        write_atomic(folder / fname, data)
    if manifest:
        update_manifest(folder, {name: entry})
    return entry


def render_figure(
    fig, name: str, *, formats: Sequence[str] = FORMATS, dpi: float = 300, alt_text: str | None = None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Render `fig` in memory: its manifest entry and the bytes of each file (nothing is written)."""
    fig = check_figure(fig, "save_figure")
    check_text(name, "name", what="save_figure", optional=False)
    if not name or "/" in name or "\\" in name:
        raise ValueError(f"figure name must be a plain file stem, got {name!r}")
    ext = next((f for f in FORMATS if name.lower().endswith(f".{f}")), None)
    if ext:
        raise ValueError(f"save_figure: name is the file stem, without the extension (one is added per format); "
                         f"drop {name[-len(ext) - 1:]!r}: name={name[:-len(ext) - 1]!r}")
    check_text(alt_text, "alt_text", what="save_figure")
    if isinstance(formats, (list, tuple)) and not formats:
        raise ValueError("save_figure: give at least one format")
    formats = _check_formats(formats)
    _check_dpi(dpi)
    meta = getattr(fig, "_krihs", {})
    alt = alt_text or meta.get("alt")
    if not alt:
        raise ValueError(f"{name}: give alt_text= (a short description for screen readers)")
    # savefig lays the figure out on every call (a third of which `krihs-analysis figures` saves this way), but
    # formats that measure text alike can share one layout: the first of them lays it out, the others reuse the
    # positions it left (_layout_frozen). PNG measures text in pixels at its dpi, SVG and PDF in points; a PDF laid
    # out with the PNG's metrics clips text at a low dpi (e.g. a y tick label at dpi=60), so the vector formats
    # get a layout of their own (_RENDER_ORDER: which format of each kind is laid out as if rendered alone).
    rendered: dict[str, bytes] = {}
    laid_out = None  # the text metrics of the last layout
    for fmt in sorted(dict.fromkeys(formats), key=_RENDER_ORDER.index):
        with _layout_frozen(fig) if _TEXT_METRICS[fmt] == laid_out else contextlib.nullcontext():
            rendered[fmt] = figure_bytes(fig, fmt, dpi=dpi)
        laid_out = _TEXT_METRICS[fmt]
    payloads = {f"{name}.{fmt}": rendered[fmt] for fmt in formats}
    entry = {
        "alt_text": " ".join(alt.split()),
        "lang": meta.get("lang"),
        "figure": meta.get("name"),
        "title": meta.get("title"),
        "files": {fmt: f"{name}.{fmt}" for fmt in formats},
        "sha256": {fmt: hashlib.sha256(payloads[f"{name}.{fmt}"]).hexdigest() for fmt in formats},
    }
    return entry, payloads


def write_catalogue(
    cases=None,
    *,
    langs: Sequence[str] | str = LANGS,
    out_dir: str | Path | None = None,
    formats: Sequence[str] = FORMATS,
    dpi: float = 300,
    include: Sequence[str] | None = None,
    seed: int = 0,
    n_boot: int = 9999,
    n_permutations: int = 9999,
) -> dict[str, Any]:
    """Draw the whole catalogue for every language and write it with its manifest (the CLI's ``figures``).

    Parameters
    ----------
    cases
        Case data (``data.read_cases(path)``); the embedded illustrative sample when None.
    langs
        ``"all"``, one language or a sequence of ``en``, ``ko``, ``ja``.
    out_dir
        Output folder (``reports/figures`` by default; not an existing file).
    formats
        Any of ``png``, ``svg``, ``pdf`` (one string is one format).
    dpi
        Raster resolution, a number above 0.
    include
        Names of :data:`CATALOGUE` figures to draw (one string is one figure); all of them when None.
    seed, n_boot, n_permutations
        Seed, bootstrap draws of the intervals the figures draw and Monte Carlo permutations of the p-values
        behind their significance marks (see :func:`krihs_analysis.pipeline.analyse`).

    Returns
    -------
    dict
        The merged ``figures.json`` manifest.

    Raises
    ------
    ValueError
        Any argument that is not what is described here, before anything is computed or written.

    Examples
    --------
    One figure in one language, at a low resolution and with few bootstrap draws, so that it is quick:

    >>> import tempfile
    >>> from krihs_analysis.figures import write_catalogue
    >>> manifest = write_catalogue(langs="en", include="rmo_trend", formats="png", dpi=30, n_boot=99,
    ...                            out_dir=tempfile.mkdtemp())
    >>> list(manifest["figures"])
    ['rmo_trend_en']
    >>> manifest["figures"]["rmo_trend_en"]["files"]
    {'png': 'rmo_trend_en.png'}
    """
    from ..data import read_cases
    from ..pipeline import analyse
    from .catalogue import build_catalogue, check_include

    # Every argument is checked before the analysis runs.
    langs = check_langs(langs)
    folder = _check_out_dir(out_dir, "write_catalogue")
    formats = _check_formats(formats)
    _check_dpi(dpi)
    include = check_include(include)
    # once, for every language
    results = analyse(cases if cases is not None else read_cases(), seed=seed, n_boot=n_boot,
                      n_permutations=n_permutations)
    # Draw and render every language first: a failure leaves the folder and its manifest as they were.
    entries: dict[str, dict[str, Any]] = {}
    payloads: dict[str, bytes] = {}
    for lang in langs:
        figures = build_catalogue(lang=lang, include=include, results=results)
        for fname, fig in figures.items():
            entry, files = render_figure(fig, f"{fname}_{lang}", formats=formats, dpi=dpi)
            entries[f"{fname}_{lang}"] = entry
            payloads.update(files)
            close_figure(fig)
    for fname, data in payloads.items():
        write_atomic(folder / fname, data)
    return update_manifest(folder, entries)
