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
