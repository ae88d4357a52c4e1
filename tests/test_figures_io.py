"""Writing the figure catalogue: a failure part-way leaves the previous files and manifest untouched."""

from __future__ import annotations

import pytest

from krihs_analysis.data import read_cases


def test_a_catalogue_that_fails_in_one_language_writes_nothing(tmp_path, monkeypatch):
    from krihs_analysis.figures import catalogue, save

    save.write_catalogue(read_cases(), langs=["en"], out_dir=tmp_path, formats=("png",), dpi=40,
                         include=["rmo_trend"], n_boot=99)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real = catalogue.build_catalogue

    def fails_in_korean(*args, lang, **kwargs):
        if lang == "ko":
            raise RuntimeError("drawing failed")
        return real(*args, lang=lang, **kwargs)

    monkeypatch.setattr(catalogue, "build_catalogue", fails_in_korean)
    with pytest.raises(RuntimeError, match="drawing failed"):
        save.write_catalogue(read_cases(), langs=["en", "ko"], out_dir=tmp_path, formats=("png",), dpi=60,
                             include=["rmo_trend"], n_boot=99)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# --------------------------------------------------------------------------------------------------------------
# Several formats of one figure: laid out once (render_figure freezes the layout after the first format)


def _trend(lang="en"):
    from krihs_analysis.data import read_context
    from krihs_analysis.figures import rmo_trend

    return rmo_trend(read_context("rmo_survey"), lang=lang).figure


def test_render_figure_leaves_the_figures_layout_engine_as_it_was():
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from krihs_analysis.figures.save import render_figure

    fig = _trend()
    engine = fig.get_layout_engine()
    settings = engine.get()
    assert isinstance(engine, ConstrainedLayoutEngine)
    render_figure(fig, "trend", formats=("png", "svg", "pdf"), dpi=40)
    assert fig.get_layout_engine() is engine and type(engine) is ConstrainedLayoutEngine
    assert engine.get() == settings


def test_render_figure_restores_the_layout_engine_when_a_later_format_fails(monkeypatch):
    from krihs_analysis.figures import save

    fig = _trend()
    engine = fig.get_layout_engine()
    real = save.figure_bytes

    def fails_on_svg(fig, fmt, **kwargs):
        if fmt == "svg":
            raise RuntimeError("svg failed")
        return real(fig, fmt, **kwargs)

    monkeypatch.setattr(save, "figure_bytes", fails_on_svg)
    with pytest.raises(RuntimeError, match="svg failed"):
        save.render_figure(fig, "trend", formats=("png", "svg", "pdf"), dpi=40)
    assert fig.get_layout_engine() is engine


def test_render_figure_keeps_a_figure_without_layout_engine_without_one():
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from krihs_analysis.figures.save import render_figure

    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [1, 0])
    assert fig.get_layout_engine() is None
    with mpl.rc_context({"figure.constrained_layout.use": True}):
        render_figure(fig, "plain", formats=("png", "svg", "pdf"), dpi=40, alt_text="A line.")
    assert fig.get_layout_engine() is None


@pytest.mark.parametrize("formats", [("png", "svg", "pdf"), ("pdf", "svg", "png"), ("svg", "pdf"), ("svg",)])
def test_the_laid_out_format_is_byte_identical_to_rendering_it_alone(formats):
    # PNG (the image baselines) is laid out as figure_bytes alone lays it out whatever else is asked for and in
    # whichever order, and (for this figure) so is the PDF; SVG only when no PDF is asked for.
    from krihs_analysis.figures.save import figure_bytes, render_figure

    leads = [f for f in ("png", "pdf") if f in formats] or [formats[0]]
    _, payloads = render_figure(_trend("ko"), "trend", formats=formats, dpi=40)
    assert list(payloads) == [f"trend.{fmt}" for fmt in formats]
    for lead in leads:
        assert payloads[f"trend.{lead}"] == figure_bytes(_trend("ko"), lead, dpi=40), lead


@pytest.mark.parametrize("formats, layouts", [(("png", "svg", "pdf"), 2), (("pdf", "svg"), 1), (("png",), 1)])
def test_render_figure_lays_the_figure_out_once_per_kind_of_text_metrics(monkeypatch, formats, layouts):
    # Once for the PNG (text measured in pixels) and once for SVG and PDF together (in points): a PDF laid out with
    # the PNG's metrics at a low dpi clips text at the figure's edge.
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from krihs_analysis.figures.save import render_figure

    fig = _trend()
    calls, draws = [], []
    execute, draw = ConstrainedLayoutEngine.execute, Figure.draw

    def counted_execute(self, fig):
        calls.append(fig)
        return execute(self, fig)

    def counted_draw(self, renderer):
        draws.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counted_execute)
    monkeypatch.setattr(Figure, "draw", counted_draw)
    render_figure(fig, "trend", formats=formats, dpi=40)
    assert calls == [fig] * layouts
    # savefig lays a figure with an engine out in a draw of its own: a format that reuses a layout is drawn once
    assert len(draws) <= len(formats) + layouts
