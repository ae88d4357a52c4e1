"""Report runner: overrides (--data, -p), reuse, retention, front pages, case cards and faults.

Reference for the parameter typing is Papermill's own command line (``papermill.cli._resolve_type``); for the
card medians, :func:`krihs_analysis.compare.case_profile` (a separate code path) and medians by hand; for the card
figure's point positions, matplotlib's own data transform.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

nbf = pytest.importorskip("nbformat")
pytest.importorskip("papermill")

from krihs_analysis import paths, reports  # noqa: E402
from krihs_analysis.cli import main  # noqa: E402

PY = sys.executable


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return reports.DEFAULT_KERNEL in KernelSpecManager().find_kernel_specs()


needs_kernel = pytest.mark.skipif(not _kernel_available(), reason="the krihs-analysis kernel is not installed")


def make_notebook(path: Path, params: str, *cells: str) -> Path:
    nb = nbf.v4.new_notebook()
    p = nbf.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbf.v4.new_markdown_cell("# Test"), p, *(nbf.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "krihs-analysis", "display_name": "Python (krihs-analysis)",
                                 "language": "python"}
    nbf.write(nb, path)
    return path


COUNT = textwrap.dedent("""\
    import os, pathlib
    if counter:
        with open(counter, "a") as fh:
            fh.write(f"{lang}\\n")
    if out_dir:
        pathlib.Path(out_dir, "seen.txt").write_text(f"{lang} {seed} {data_path}")
    print("ran", lang, seed, out_dir)
""")


@pytest.fixture(scope="module")
def nbdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("nb")
    make_notebook(d / "count.ipynb", 'lang = "en"\nseed = 0\ndata_path = None\ncounter = None\nout_dir = None',
                  COUNT)
    make_notebook(d / "big.ipynb", "n = 8", "print('x' * (n * 1024 * 1024))")
    make_notebook(d / "card.ipynb", 'case_id = "KR-P1-A"\nlang = "en"\ndata_path = None', "print(case_id)")
    make_notebook(d / "slow.ipynb", "marker = None", "import pathlib, time\npathlib.Path(marker).write_text('x')\n"
                  "time.sleep(60)")
    lines = paths.SAMPLE_CASES.read_text(encoding="utf-8").splitlines()
    (d / "five.csv").write_text("\n".join(lines[:4] + lines[-2:]) + "\n", encoding="utf-8")
    return d


def cfg(d: Path, text: str, name: str) -> Path:
    p = d / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------------------------
# -p and --data: typed, validated before anything runs


@pytest.mark.parametrize("value", ["True", "False", "None", "7", "-3", "0.05", "1e3", "ko", "nan", "07", ""])
def test_parameters_are_typed_as_papermill_types_them(value):
    from papermill.cli import _resolve_type

    name, typed = reports.parse_parameter("x", value)
    expected = _resolve_type(value)
    assert type(typed) is type(expected)
    assert typed == expected or (typed != typed and expected != expected)  # nan


def test_overrides_apply_where_declared_and_collapse_the_matrix(nbdir):
    c = cfg(nbdir, """\
        runs:
          - {name: count, notebook: count.ipynb, matrix: {lang: [en, ko]}}
          - {name: card, notebook: card.ipynb, for_each: case_id}
        """, "over.yaml")
    plan = reports.load_config(c, parameters={"lang": "ja", "seed": 5}, data=nbdir / "five.csv")
    assert [s.name for s in plan.runs] == ["count-ja", "card-KR-P1-A", "card-KR-P1-B", "card-KR-P2-A",
                                           "card-JP-11", "card-JP-12"]
    assert plan.runs[0].parameters == {"lang": "ja", "seed": 5, "data_path": str(nbdir / "five.csv")}
    assert "seed" not in plan.runs[1].parameters  # card.ipynb does not declare seed


@pytest.mark.parametrize(("args", "expected"), [
    (["-p", "colour", "red"], "-p colour: no notebook of the report set declares it"),
    (["-p", "seed", "abc"], "-p seed 'abc' is str, but count.ipynb declare(s) seed = 0 (int)"),
    (["-p", "out_dir", "/tmp"], "set by the runner"),
    (["--data", "missing.csv"], "--data: case sheet not found"),
])
def test_bad_overrides_exit_2_before_anything_runs(nbdir, tmp_path, capsys, args, expected):
    c = cfg(nbdir, "runs:\n  - {name: count, notebook: count.ipynb}\n", "bad_over.yaml")
    code = main(["report", "--config", str(c), "--out", str(tmp_path / "r"), "--no-progress", *args])
    assert code == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_an_invalid_data_sheet_prints_its_problems_and_exits_2(nbdir, tmp_path, capsys):
    bad = Path(__file__).parent / "data" / "bad_code.csv"
    c = cfg(nbdir, "runs:\n  - {name: count, notebook: count.ipynb}\n", "bad_sheet.yaml")
    assert main(["report", "--config", str(c), "--out", str(tmp_path / "r"), "--data", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad_code.csv" in err and "Traceback" not in err


# ------------------------------------------------------------------------------------------------------------
# Reuse, --force, retention, front pages: one sequence of runs


@pytest.fixture(scope="module")
def sequence(nbdir, tmp_path_factory):
    """Four runs into one folder: first, unchanged (reused), -p seed (re-runs), --force, and --keep 2."""
    out = tmp_path_factory.mktemp("seq") / "reports"
    counter = tmp_path_factory.mktemp("counter") / "count.txt"
    c = cfg(nbdir, f"""\
        keep: 5
        runs:
          - {{name: count, notebook: count.ipynb, matrix: {{lang: [en, ko]}}, parameters: {{counter: {str(counter)!r}}}}}
        """, "seq.yaml")
    runs, seen = [], []

    def run(**kw):
        res = reports.run_reports(c, out_dir=out, progress=False, **kw)
        meta = json.loads((res.run_dir / "run.json").read_text())
        present = all((res.run_dir / o).is_file() for r in meta["runs"] for o in r["outputs"])
        inodes = {o: (res.run_dir / o).stat().st_ino for r in meta["runs"] for o in r["outputs"]}
        runs.append(res)
        seen.append((meta, present, inodes))

    run()
    run()
    run(parameters={"seed": 3})
    run(force=True, keep=2)
    return out, counter, runs, seen


def lines(p: Path) -> list[str]:
    return p.read_text().split() if p.exists() else []


@needs_kernel
def test_an_unchanged_run_reuses_every_output_and_names_the_run_that_made_it(sequence):
    out, counter, runs, seen = sequence
    first, second = runs[0], runs[1]
    assert first.status == second.status == "ok"
    assert [r["reused_from"] for r in first.results] == [None, None]
    assert [r["reused_from"] for r in second.results] == [first.run_id, first.run_id]
    meta, present, inodes = seen[1]
    assert meta["summary"]["reused"] == 2 and meta["package_source_sha256"] and meta["environment_sha256"]
    assert present and inodes == seen[0][2]  # the same files, hard-linked, not copies


@needs_kernel
def test_a_changed_parameter_reruns_and_force_reruns_everything(sequence):
    out, counter, runs, _ = sequence
    # executions: 2 (first) + 0 (unchanged) + 2 (seed changed) + 2 (--force)
    assert sorted(lines(counter)) == ["en"] * 3 + ["ko"] * 3
    assert [r["reused_from"] for r in runs[2].results] == [None, None]
    assert [r["reused_from"] for r in runs[3].results] == [None, None]


@needs_kernel
def test_keep_2_leaves_two_run_folders_and_a_working_latest(sequence):
    out, _, runs, _ = sequence
    assert [p.name for p in reports.list_runs(out)] == [runs[2].run_id, runs[3].run_id]
    assert reports.latest_run(out).name == runs[3].run_id
    assert runs[3].removed == [runs[0].run_id, runs[1].run_id]
    assert (out / "latest" / "html" / "count_en.html").is_file()


@needs_kernel
def test_a_scheduler_that_cannot_be_reached_is_an_error_even_when_every_run_is_reused(sequence, nbdir, monkeypatch):
    # Every run reused meant no work for the cluster, and the scheduler was never asked: a nightly job with its
    # scheduler down reported "ok" and exit 0. Dask takes 10 s to give up on a closed port; the refusal is stubbed.
    from krihs_analysis.reports import runset

    out, counter, runs, _ = sequence
    asked = []

    def unreachable(address):
        asked.append(address)
        raise reports.SchedulerError(f"cannot reach the Dask scheduler at {address}: refused")

    monkeypatch.setattr(runset, "_connect", unreachable)
    c = cfg(nbdir, f"""\
        keep: 5
        runs:
          - {{name: count, notebook: count.ipynb, matrix: {{lang: [en, ko]}}, parameters: {{counter: {str(counter)!r}}}}}
        """, "seq.yaml")
    assert [r["reused_from"] for r in reports.run_reports(c, out_dir=out, progress=False).results] == [runs[3].run_id] * 2
    latest = reports.latest_run(out).name
    with pytest.raises(reports.SchedulerError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        reports.run_reports(c, out_dir=out, progress=False, scheduler="tcp://127.0.0.1:1")
    assert asked == ["tcp://127.0.0.1:1"]
    assert reports.latest_run(out).name == latest and not list(out.glob(f".*{reports.PARTIAL_SUFFIX}"))


@needs_kernel
def test_a_run_of_part_of_the_set_keeps_latest_on_the_last_complete_run(nbdir, tmp_path, capsys):
    # `report --only X` used to move reports/latest onto a folder holding X alone: the brief's PDFs were gone from
    # latest and `krihs-analysis brief` (which reads latest by default) failed.
    counter = tmp_path / "count.txt"
    c = cfg(nbdir, f"""\
        runs:
          - {{name: count, notebook: count.ipynb, matrix: {{lang: [en, ko]}}, parameters: {{counter: {str(counter)!r}}}}}
        """, "partial.yaml")
    out = tmp_path / "reports"
    whole = reports.run_reports(c, out_dir=out, progress=False)
    assert whole.latest and reports.latest_run(out).name == whole.run_id
    part = reports.run_reports(c, out_dir=out, progress=False, only=["count-ko"], force=True)
    assert part.status == "ok" and part.latest is None and part.run_dir.is_dir()
    assert reports.latest_run(out).name == whole.run_id
    assert (out / "latest" / "html" / "count_en.html").is_file()
    # the command line says where the run went and that latest stayed
    assert main(["report", "--config", str(c), "--out", str(out), "--only", "count-en", "--no-progress"]) == 0
    said = capsys.readouterr().out
    assert "latest not moved: --only ran part of the report set" in said
    assert reports.latest_run(out).name == whole.run_id
    # naming every entry is the whole set
    every = reports.run_reports(c, out_dir=out, progress=False, only=["count-en", "count-ko"])
    assert every.latest and reports.latest_run(out).name == every.run_id


def test_retention_keeps_the_target_of_latest_and_the_newest_failed_run(tmp_path):
    names = [f"2026010{i}T000000Z-0000000{i}" for i in range(1, 7)]
    for i, n in enumerate(names):
        (tmp_path / n).mkdir()
        status = "failed" if i in (1, 2) else "ok"
        (tmp_path / n / "run.json").write_text(json.dumps({"run_id": n, "status": status}))
    reports.point_latest(tmp_path, names[0])
    removed = reports.prune(tmp_path, 2)
    # newest two (5, 6), latest's target (1), newest failed (3); 2 and 4 go
    assert removed == [names[1], names[3]]
    assert [p.name for p in reports.list_runs(tmp_path)] == [names[0], names[2], names[4], names[5]]


@needs_kernel
def test_the_run_front_page_links_every_html_and_pdf_in_three_languages(sequence):
    out, _, runs, _ = sequence
    run_dir = out / runs[3].run_id
    import re

    for page in ("index.html", "index.ko.html", "index.ja.html"):
        text = (run_dir / page).read_text(encoding="utf-8")
        hrefs = set(re.findall(r'href="([^"]+)"', text))
        wanted = {str(p.relative_to(run_dir)) for p in run_dir.rglob("*") if p.suffix in (".html", ".pdf")
                  and p.parent != run_dir}
        assert wanted and wanted <= hrefs, wanted - hrefs
    assert "성공" in (run_dir / "index.ko.html").read_text(encoding="utf-8")
    root = (out / "index.html").read_text(encoding="utf-8")
    assert runs[3].run_id in root and runs[2].run_id in root and "(latest)" in root


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_the_front_page_keeps_each_status_duration_and_header_word_whole(tmp_path, lang):
    # Printed (or in a narrow window), 成功 and 6.0秒 broke one character a line beside the thumbnails of a real
    # run: Japanese breaks between any two characters; the header broke 所要時|間 and 소요 시|간. Read back from the
    # printed page, each is one word.
    from PIL import Image

    from krihs_analysis.pdf import find_chromium, print_pdf, word_boxes
    from krihs_analysis.reports.index import write_run_index
    from krihs_analysis.wording import phrase

    if find_chromium() is None:
        pytest.skip("Chromium is installed by `make setup`")
    runs = []
    for k, stem in enumerate([f"02_korea_japan_comparison_{lang}", f"03_integration_sustainability_{lang}"]):
        figs = [f"figures/{stem}/{name}_{lang}.png" for name in ("core_task_gaps", "country_profile", "a", "b", "c", "d")]
        for f in figs:
            (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (640, 160), "white").save(tmp_path / f)  # wide figures, as the catalogue's are
        runs.append({"name": stem.replace("_", "-"), "status": "ok", "duration_s": 5.1 + k,
                     "outputs": [f"html/{stem}.html", f"html/{stem}.brief.html", f"notebooks/{stem}.ipynb",
                                 f"pdf/{stem}.pdf", *figs]})
    write_run_index(tmp_path, {"status": "ok", "runs": runs, "summary": {"total": 2, "ok": 2, "failed": 0}})
    page = tmp_path / f"index.{lang}.html"
    boxes = word_boxes(print_pdf(page, tmp_path / f"index.{lang}.pdf"))
    words = [w["word"] for w in boxes]
    assert words.count(phrase("reports", "status_ok", lang)) == 2, words
    assert {"ja": {"5.1秒", "6.1秒"}, "ko": {"5.1초", "6.1초"}}[lang] <= set(words), words
    header = phrase("reports", "duration", lang).split()  # 소요 시간: two words, on one line
    first = words.index(header[0])
    assert words[first:first + len(header)] == header, words
    assert len({round(w["y0"]) for w in boxes[first:first + len(header)]}) == 1, boxes[first:first + len(header)]
    # each output's link whole: ノートブック（.ipynb） broke at its bracket, (.ipynb) alone on the next line
    for key in ("out_full", "out_reader", "out_ipynb"):
        label = phrase("reports", key, lang).split()
        starts = [i for i, w in enumerate(words) if w == label[0]]
        assert any(words[i:i + len(label)] == label and len({round(w["y0"]) for w in boxes[i:i + len(label)]}) == 1
                   for i in starts), (key, [(w["word"], round(w["y0"])) for w in boxes])


def test_japanese_table_cells_break_between_phrases_not_inside_a_name(tmp_path):
    # The card index broke 山形県川|西町 and A市（例|示） in its narrow municipality column, notebook 03's table
    # 総合的な持|続可能性: Japanese breaks between any two characters unless told to keep phrases (auto-phrase).
    from krihs_analysis.pdf import find_chromium, print_pdf, word_boxes
    from krihs_analysis.reports.index import CJK_FONT_CSS, LINE_BREAKING_CSS

    if find_chromium() is None:
        pytest.skip("Chromium is installed by `make setup`")
    cells = ["山形県川西町", "いいえ（国の支援なし）", "A市（例示）"]
    rows = "".join(f'<tr><td style="width:4.5em">{c}</td><td>x</td></tr>' for c in cells)
    page = (f'<html lang="ja"><head><style>{CJK_FONT_CSS}{LINE_BREAKING_CSS}</style></head>'
            f'<body><table>{rows}</table></body></html>')
    words = [w["word"] for w in word_boxes(print_pdf(page, tmp_path / "cells.pdf"))]
    assert {"山形県川西町", "A市（例示）"} <= set(words), words
    assert not any(w.endswith(("支", "川", "例")) for w in words), words  # nor 支|援, 川|西, 例|示


def test_headline_changes_read_the_saved_result_tables(tmp_path):
    from krihs_analysis.reports.index import headline_changes, saved_results

    def save(run: Path, delta: float, model: str):
        d = run / "figures" / "06_policy_brief_en" / "results"
        d.mkdir(parents=True)
        (d / "comparison.json").write_text(json.dumps({"data": [
            {"variable": "integration", "cliffs_delta": delta, "p_holm": 0.002}]}))
        (d / "qca.json").write_text(json.dumps({"data": [{"model": model, "consistency": 0.9, "coverage": 0.7}]}))

    save(tmp_path / "a", -0.551, "intermediary*integration")
    save(tmp_path / "b", -0.554, "intermediary*integration")  # same to two decimals: not a change
    save(tmp_path / "c", -0.61, "integration")
    a, b, c = (saved_results(tmp_path / x) for x in "abc")
    assert headline_changes(a, b, lang="en") == []
    assert headline_changes(b, c, lang="en") == [
        "Project integration: Cliff's δ −0.55 → −0.61, Holm p = 0.002 → p = 0.002",
        "QCA solution: intermediary*integration → integration"]


# ------------------------------------------------------------------------------------------------------------
# Case cards


def test_card_medians_agree_with_case_profile_and_by_hand():
    from krihs_analysis.compare import case_profile
    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_data

    cases = read_cases()
    cards = {c["case_id"]: c for c in card_data(cases)}
    for cid in ("KR-P1-A", "JP-12"):
        prof = case_profile(cases, cid).set_index("variable")
        for v in prof.index:
            assert cards[cid]["codes"][v] == prof.at[v, "value"]
            assert cards[cid]["country_median"][v] == prof.at[v, "country_median"]
            assert cards[cid]["programme_median"][v] == prof.at[v, "programme_median"]
    # KR-P1 has two sites with integration 1 and 2 (sample rows 2-3): the programme median is 1.5 by hand
    assert cards["KR-P1-A"]["programme_median"]["integration"] == 1.5


def test_card_figure_points_sit_where_matplotlib_draws_them():
    from krihs_analysis.figures.cards import CaseCardFigure

    fig = CaseCardFigure(["integration", "leadership", "sustainability"], lang="en")
    svg = fig.card_svg([0, 2, 3], [1, 1.5, 2], [2, 2, 2], country="JP")
    import re

    dots = [tuple(map(float, m)) for m in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="2"', svg)]
    h_pt = fig.fig.get_figheight() * 72
    for (x, y), value, row in zip(dots, [0, 2, 3], fig._ys):
        px, py = fig.ax.transData.transform((value, row))  # pixels at fig.dpi
        assert x == pytest.approx(px * 72 / fig.fig.dpi, abs=0.05)
        assert y == pytest.approx(h_pt - py * 72 / fig.fig.dpi, abs=0.05)
    assert svg.split("krihs-case-points")[1].count("<rect ") == 3  # Japan's median: squares
    # where the programme median equals the country's, the diamond's corners show past the ring (a Korean card's
    # legend named three markers over two visible ones)
    same = fig.card_svg([0, 2, 3], [1, 1.5, 2], [1, 1.5, 2], country="KR").split("krihs-case-points")[1]
    tops = [float(m) for m in re.findall(r'<path d="M[\d.]+ ([\d.]+)L', same)]
    rings = re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)" r="([\d.]+)" fill="none" stroke="[^"]+" '
                       r'stroke-width="([\d.]+)"', same)
    assert len(tops) == len(rings) == 3
    for top, (cy, r, stroke) in zip(tops, rings):
        assert float(cy) - top > float(r) + float(stroke) / 2 + 1, (top, cy, r)  # a point clear of the ring
    size = fig._programme.get_sizes()[0]
    assert (size / 2) ** 0.5 == pytest.approx(float(cy) - top, abs=0.01)  # matplotlib's diamond is the same


@pytest.fixture(scope="module")
def card_run(nbdir, tmp_path_factory):
    out = tmp_path_factory.mktemp("cards") / "reports"
    c = cfg(nbdir, """\
        runs:
          - {name: card, notebook: card.ipynb, for_each: case_id, render: cards, shard_size: 2,
             matrix: {lang: [en, ko]}}
        """, "cards.yaml")
    return out, reports.run_reports(c, out_dir=out, data=nbdir / "five.csv", progress=False)


def test_every_case_gets_its_card_page_in_shards_with_one_stylesheet(card_run):
    out, res = card_run
    assert res.status == "ok", res.failed
    run = out / res.run_id
    pages = sorted(p.relative_to(run).as_posix() for p in run.glob("cards/*/s*/*.html"))
    assert len(pages) == 10
    assert "cards/card_ko/s000/card_ko_KR-P1-A.html" in pages and "cards/card_en/s002/card_en_JP-12.html" in pages
    assert max(len(list(d.iterdir())) for d in run.glob("cards/*/s*")) == 2
    page = (run / "cards/card_ko/s000/card_ko_KR-P1-A.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../card.css">' in page
    assert "<style" not in page.split("<svg")[0] and len(page.encode()) < 40_000  # styling is shared, not inline
    assert (run / "cards" / "card.css").is_file()
    assert "사례 카드: KR-P1-A" in page and "<svg" in page
    assert "취약: 소수에 의한 잔여 활동" in page  # KR-P1-A's sustainability 1, as the codebook anchors it
    index = (run / "cards" / "card_en" / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr><td>") == 5  # one row per card
    meta = json.loads((run / "run.json").read_text())
    assert [r["name"] for r in meta["runs"]] == ["card-en", "card-ko"]
    assert meta["runs"][0]["cards"] == 5 and meta["runs"][0]["shards"] == 3
    assert [a["shard"] for a in meta["runs"][0]["attempts"]] == ["s000", "s001", "s002"]
    assert all(" pid " in w for w in meta["runs"][0]["worker"])


def test_each_card_page_links_the_same_card_in_the_other_languages_of_the_run(card_run):
    # a reader of a Korean card had no way to the same card in English but back through two index pages
    import re

    out, res = card_run
    run = out / res.run_id
    for lang, other in (("en", "ko"), ("ko", "en")):
        for page in (run / "cards" / f"card_{lang}").glob("s*/*.html"):
            text = page.read_text(encoding="utf-8")
            bar = re.search(r'<p class="langs">(.*?)</p>', text).group(1)
            hrefs = re.findall(rf'<a href="([^"]+)" hreflang="{other}"', bar)
            assert len(hrefs) == 1 and f'<strong lang="{lang}">' in bar
            target = (page.parent / hrefs[0]).resolve()
            assert target.is_file() and target.name == page.name.replace(f"card_{lang}_", f"card_{other}_")
            case_id = page.stem.split("_", 2)[2]
            assert f"{case_id}</h1>" in target.read_text(encoding="utf-8")
        index = (run / "cards" / f"card_{lang}" / "index.html").read_text(encoding="utf-8")
        assert f'<a href="../card_{other}/index.html" hreflang="{other}"' in index
    assert "言語：" in __import__("krihs_analysis.reports.index", fromlist=["x"]).language_links(
        "ja", {"en": "a.html", "ja": "b.html"})  # the label's colon in the page's own punctuation


def test_only_the_same_cards_in_another_language_are_linked_and_a_new_language_is_a_new_run(nbdir):
    from krihs_analysis.reports.reuse import Keys

    c = cfg(nbdir, """\
        runs:
          - {name: card, notebook: card.ipynb, for_each: case_id, render: cards, matrix: {lang: [en, ko]}}
          - {name: other, notebook: card.ipynb, for_each: case_id, render: cards, shard_size: 2,
             matrix: {lang: [ja]}}
          - {name: solo, notebook: card.ipynb, for_each: case_id, render: cards, parameters: {lang: en}}
        """, "langs.yaml")
    plan = reports.load_config(c, data=nbdir / "five.csv")
    by = {s.name: s for s in plan.runs}
    assert by["card-en"].languages == by["card-ko"].languages == (("en", "card_en"), ("ko", "card_ko"))
    # other shards (another entry, another shard size) and a lone language: no links
    assert by["other-ja"].languages == () and by["solo"].languages == ()
    keys = Keys([])
    import dataclasses

    alone = dataclasses.replace(by["card-en"], languages=())
    assert keys.run_key(alone) != keys.run_key(by["card-en"])  # an earlier run's pages lack the new link
    # --only one language: its pages must not link the languages this run folder will not have (they linked
    # ../../card_ko/… that did not exist); two of three keep each other
    assert [s.languages for s in reports.plan_runs(plan, only="card-en")] == [()]
    both = reports.plan_runs(plan, only=["card-en", "card-ko"])
    assert [s.languages for s in both] == [(("en", "card_en"), ("ko", "card_ko"))] * 2
    three = cfg(nbdir, """\
        runs:
          - {name: card, notebook: card.ipynb, for_each: case_id, render: cards, matrix: {lang: [en, ko, ja]}}
        """, "langs3.yaml")
    two = reports.plan_runs(reports.load_config(three, data=nbdir / "five.csv"), only=["card-en", "card-ja"])
    assert [s.languages for s in two] == [(("en", "card_en"), ("ja", "card_ja"))] * 2


def test_a_japanese_card_gives_one_median_for_its_country_and_its_one_programme():
    # Japan's 12 cases are all JP-RMO's: the card drew two markers on every row and printed two equal columns,
    # as if two groups had been compared
    import re

    from krihs_analysis.codebook import load_codebook
    from krihs_analysis.compare import case_profile
    from krihs_analysis.data import read_cases
    from krihs_analysis.figures import case_card, close_figure
    from krihs_analysis.figures.cards import CaseCardFigure
    from krihs_analysis.reports.cards import card_data, card_view
    from krihs_analysis.wording import phrase

    cases = read_cases()
    same = {c["case_id"]: c["programme_is_country"] for c in card_data(cases)}
    assert {k for k, v in same.items() if v} == set(cases.loc[cases["country"] == "JP", "case_id"])
    assert case_profile(cases, "JP-04").attrs["programme_is_country"] is True
    assert case_profile(cases, "KR-P1-A").attrs["programme_is_country"] is False
    for lang in ("en", "ko", "ja"):
        jp, kr = (card_view(cases, cid, lang=lang)._repr_html_() for cid in ("JP-04", "KR-P1-A"))
        head = lambda h: re.findall(r"<th[^>]*>([^<]*)</th>", h)  # noqa: E731
        assert len(head(jp)) == 4 and len(head(kr)) == 5
        japan = load_codebook()["country"].level_label("JP", lang)
        assert head(jp)[3] == phrase("case_card", "col_country_programme", lang, country=japan)
        assert phrase("case_card", "col_programme", lang) not in head(jp)
        assert all(len(re.findall(r"<td[^>]*>", row)) == 4 for row in jp.split("<tr>")[2:])
    assert "all of them in this programme" in card_view(cases, "JP-04", lang="en")._repr_html_()
    # the figure: one marker and one legend entry for the one median
    fig = CaseCardFigure(["integration", "leadership"], lang="en")
    merged = fig.card_svg([1, 2], [2, 2], None, country="JP")
    both = fig.card_svg([1, 2], [2, 2], [2, 1], country="KR")
    points = lambda svg: svg.split("krihs-case-points")[1]  # noqa: E731
    assert points(merged).count("<path ") == 0 and points(both).count("<path ") == 2
    assert "Japan and programme median" in merged and "Programme median" not in merged
    # named by the country: "国の中央値" also read as the national government's (Japanese review)
    assert "Programme median" in both and "Korea median" in both and "Korea and programme median" not in both
    ax = case_card(case_profile(cases, "JP-04"), country="JP", lang="ja")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["日本・事業の中央値", "この事例"]
    assert all(h.get_visible() for h in ax.get_legend().legend_handles)
    close_figure(ax.figure)
    close_figure(fig.fig)
    # one median only where the programme's cases ARE the country's, not where the counts merely agree: KR-P1
    # given a Japanese case has 2 cases, as Korea here has, across two countries
    mixed = cases[cases["case_id"].isin(["KR-P1-A", "KR-P2-A", "JP-01"])].copy()
    mixed.loc[mixed["case_id"] == "JP-01", "programme"] = "KR-P1"
    assert not any(c["programme_is_country"] for c in card_data(mixed))
    assert case_profile(mixed, "KR-P1-A").attrs["programme_is_country"] is False


def test_a_card_pages_figure_leaves_its_title_and_notes_to_the_page(card_run):
    # drawn into the figure, the chart's title came out larger than the page's own heading, under a heading that
    # already said what the chart shows
    import re

    from krihs_analysis.figures.cards import card_notes
    from krihs_analysis.wording import phrase

    out, res = card_run
    page = (out / res.run_id / "cards/card_en/s000/card_en_KR-P1-A.html").read_text(encoding="utf-8")
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert phrase("case_card", "fig_title", "en") not in page
    assert "Source:" not in svg and phrase("case_card", "fig_subtitle", "en") not in svg
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S).group(1)
    assert caption.split("<br>") == card_notes(lang="en", illustrative=True)
    assert page.index(phrase("case_card", "fig_subtitle", "en")) < page.index("<svg")


# ------------------------------------------------------------------------------------------------------------
# Faults


@pytest.mark.parametrize("where", ["file", "proc"])
def test_an_unwritable_out_exits_2_with_one_line(nbdir, tmp_path, capsys, where):
    c = cfg(nbdir, "runs:\n  - {name: count, notebook: count.ipynb}\n", "unwritable.yaml")
    if where == "file":
        (tmp_path / "afile").write_text("x")
        out = tmp_path / "afile" / "reports"
    else:
        out = Path("/proc/krihs-reports-test")
    assert main(["report", "--config", str(c), "--out", str(out), "--no-progress"]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and str(out) in err[0] and "cannot write the reports folder" in err[0]


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@needs_kernel
def test_a_full_disk_is_one_clear_message_and_leaves_no_half_written_folder(nbdir, tmp_path, capsys):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "6m"):
        pytest.skip("needs root and tmpfs mounts")
    try:
        out = disk / "reports"
        old = out / "20200101T000000Z-0123abcd"
        old.mkdir(parents=True)
        os.symlink(old.name, out / "latest")
        c = cfg(nbdir, "runs:\n  - {name: big, notebook: big.ipynb}\n"
                       "  - {name: count, notebook: count.ipynb}\n", "full.yaml")
        code = main(["report", "--config", str(c), "--out", str(out), "--no-progress"])
        captured = capsys.readouterr()
        assert code == 2
        err = [ln for ln in captured.err.splitlines() if ln.strip()]
        assert len(err) == 1 and "no space left on the device" in err[0] and "Traceback" not in captured.err
        assert os.readlink(out / "latest") == old.name
        assert sorted(p.name for p in out.iterdir()) == sorted([old.name, "latest", ".lock"])
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def _tagged(tag: str) -> list[int]:
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if tag.encode() in Path(f"/proc/{d}/environ").read_bytes():
                    pids.append(int(d))
            except OSError:
                pass
    return pids


@needs_kernel
def test_sigkill_of_report_leaves_nothing_running(nbdir, tmp_path):
    marker = tmp_path / "running.txt"
    c = cfg(tmp_path, f"""\
        runs:
          - {{name: slow, notebook: {nbdir / 'slow.ipynb'}, parameters: {{marker: {str(marker)!r}}}}}
          - {{name: slow2, notebook: {nbdir / 'slow.ipynb'}, parameters: {{marker: {str(marker) + '2'!r}}}}}
        """, "sigkill.yaml")
    tag = f"KRIHS_TEST_TAG={uuid.uuid4().hex}"
    env = {**os.environ, tag.split("=")[0]: tag.split("=")[1]}
    proc = subprocess.Popen([PY, "-m", "krihs_analysis.cli", "report", "--config", str(c), "--out",
                             str(tmp_path / "reports"), "--no-progress", "--jobs", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline and not marker.exists():
        time.sleep(0.2)
    assert marker.exists(), "the notebook never started"
    assert len(_tagged(tag)) >= 3  # the runner, its workers and their kernels
    os.kill(proc.pid, signal.SIGKILL)  # the runner only, as `kill -9 PID` would
    proc.wait(timeout=30)
    deadline = time.time() + 20
    while time.time() < deadline and _tagged(tag):
        time.sleep(0.3)
    assert _tagged(tag) == []


# ------------------------------------------------------------------------------------------------------------
# Dask: a worker killed under a run is recorded as a lost attempt


@needs_kernel
def test_a_lost_dask_worker_is_recorded_as_an_attempt_with_its_error(tmp_path):
    distributed = pytest.importorskip("distributed")
    flag = tmp_path / "flag"
    nb = make_notebook(tmp_path / "once_slow.ipynb", "flag = None",
                       "import pathlib, time\nif not pathlib.Path(flag).exists():\n"
                       "    pathlib.Path(flag).write_text('x')\n    time.sleep(120)\nprint('done')")
    c = cfg(tmp_path, f"runs:\n  - {{name: once, notebook: {nb}, parameters: {{flag: {str(flag)!r}}}}}\n", "d.yaml")
    out = tmp_path / "reports"
    import tempfile

    # The killed worker cannot clean up: what it leaves must be inside the run folder, never in /tmp
    scratch_before = set(Path(tempfile.gettempdir()).glob("krihs-report-task-*"))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        import threading

        box = {}
        th = threading.Thread(target=lambda: box.update(
            res=reports.run_reports(c, out_dir=out, scheduler=cluster.scheduler_address, progress=False)))
        th.start()
        deadline = time.time() + 120
        markers = []
        while time.time() < deadline and not (flag.exists() and markers):
            markers = list(out.glob(".*.partial/.attempts/once.1.json"))
            time.sleep(0.2)
        assert flag.exists() and markers, "the first attempt never started"
        os.kill(json.loads(markers[0].read_text())["pid"], signal.SIGKILL)  # the Dask worker process
        th.join(timeout=240)
    res = box["res"]
    assert res.status == "ok", res.failed
    rec = json.loads((res.run_dir / "run.json").read_text())["runs"][0]
    assert [a["status"] for a in rec["attempts"]] == ["lost", "ok"]
    lost = rec["attempts"][0]
    assert lost["worker"].startswith("tcp://127.0.0.1:") and "was lost while running" in lost["error"]
    assert rec["worker"] == rec["attempts"][1]["worker"]
    assert set(Path(tempfile.gettempdir()).glob("krihs-report-task-*")) <= scratch_before
    assert not (res.run_dir / ".attempts").exists()


def test_the_environment_key_does_not_depend_on_how_python_was_named(tmp_path):
    # cron runs .venv/bin/krihs-analysis (python3 in its shebang), a person .venv/bin/python: the same environment
    code = "from krihs_analysis.reports.reuse import environment_hash; print(environment_hash(('krihs-analysis',)))"
    exe = Path(sys.executable)
    names = [exe, exe.with_name("python3"), Path(os.path.relpath(exe, tmp_path))]
    keys = {subprocess.run([str(n), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
                           ).stdout.strip() for n in names if (tmp_path / n).exists() or n.is_absolute()}
    assert len(keys) == 1


@pytest.mark.parametrize("case_id, lang, lede, outcome", [
    # no period of national support: nothing "after the support ended" (was "supported for 0 years" and then
    # "Activity continued after the support ended" on every Japanese card)
    ("JP-05", "en", "without a period of national programme support.", "Activity continues; 35% of the budget"),
    ("JP-10", "ko", "국가 사업 지원 기간 없음.", "활동이 중단되었다."),
    ("JP-05", "ja", "国の事業による支援期間なし。", "活動は継続している。予算の35%"),
    # a stopped activity: no share of self-funding ("did not continue …; 0% of the budget self-funded")
    ("KR-P2-A", "en", "supported for 4 years.", "Activity did not continue after the support ended."),
    ("KR-P2-A", "ko", "4년간 지원.", "지원 종료 후 활동이 계속되지 않았다."),
    # both known: the full sentence
    ("KR-P1-A", "en", "supported for 5 years.", "continued after the support ended; 2 years on, 8% of the budget"),
])
def test_a_case_card_says_only_what_the_sheet_records_about_support(case_id, lang, lede, outcome):
    import re

    from krihs_analysis.codebook import load_codebook
    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_view
    from krihs_analysis.wording import phrase

    cases = read_cases()
    html = card_view(cases, case_id, lang=lang)._repr_html_()
    got_lede = re.search(r'<p class="lede">(.*?)</p>', html).group(1)
    got_outcome = re.search(r'<p class="outcome">(.*?)</p>', html).group(1)
    assert got_lede.endswith(lede) and outcome in got_outcome
    assert "–" not in got_outcome and "0 years" not in got_lede and "0년간" not in got_lede
    code = int(cases.set_index("case_id").at[case_id, "continued"])
    assert ("%" in got_outcome) == (code == 1)
    # the outcome by its codebook name, the level's words after its name ("Sustainability: Fragile: residual
    # activity" read as two labels)
    cb = load_codebook()
    assert got_outcome.startswith(cb["sustainability"].label(lang))
    assert got_outcome.count(":") + got_outcome.count("：") == 1
    # the codes table gives the code the brief counts ("continues in 11 of 12 Japanese cases"; the card had a dash),
    # in words that claim no support the case never had
    row = re.search(rf"<td[^>]*>{re.escape(cb['continued'].label(lang))}</td>(.*?)</tr>", html).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[0] == str(code)
    if case_id.startswith("JP"):
        key = "continued_unsupported_yes" if code == 1 else "continued_unsupported_no"
        assert cells[1] == phrase("case_card", key, lang) and len(cells) == 3  # one median column for Japan
    else:
        assert cells[1] == cb["continued"].level_label(code, lang) and len(cells) == 4


def test_the_cards_index_counts_continued_activity_as_the_brief_does(tmp_path):
    import re

    from krihs_analysis.brief.compose import case_summary
    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_data, write_index
    from krihs_analysis.wording import phrase

    cases = read_cases()
    page = write_index(tmp_path, "cards_en", card_data(cases), lang="en", shard_size=250).read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td><a [^>]*>([^<]+)</a></td>(.*?)</tr>", page)
    continued = {cid: re.findall(r"<td>([^<]*)</td>", rest)[4] for cid, rest in rows}
    summary = case_summary(cases)
    yes_jp = phrase("case_card", "index_unsupported", "en", answer="Yes")
    assert sum(v == yes_jp for k, v in continued.items() if k.startswith("JP")) == summary["n_continued_jp"] == 11
    assert sum(v == "Yes" for k, v in continued.items() if k.startswith("KR")) == summary["n_continued_kr"]


def test_a_case_card_names_the_cases_role_in_the_standard_qca_by_the_definitions_of_the_roles():
    # The cards said "its role in the QCA solution is added once the QCA results are saved per case", and never
    # added it. Reference: the roles' definitions (Schneider & Rohlfing; SetMethods smmr) applied by hand to the
    # memberships in the brief's model (intermediary*integration on the sample, fuzzy, cuts 0.8 / 0.5).
    import re

    from krihs_analysis import qca
    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_data, card_view

    def by_definition(sheet):
        xy = qca.xy_data(qca.from_cases(sheet, kind="fuzzy"), "intermediary*integration", outcome="sustainability")
        return {r.case_id: ("typical" if r.x > 0.5 and r.y > 0.5 and r.x <= r.y else "typical_degree"
                            if r.x > 0.5 and r.y > 0.5 else "deviant_consistency" if r.x > 0.5
                            else "deviant_coverage" if r.y > 0.5 else "irrelevant") for r in xy.itertuples()}

    cases = read_cases()
    want = by_definition(cases)
    cards = card_data(cases)
    assert {c["case_id"]: c["qca"]["role"] for c in cards} == want
    assert {c["qca"]["model"] for c in cards} == {"intermediary*integration"}
    assert set(want.values()) == {"typical", "deviant_consistency", "deviant_coverage", "irrelevant"}
    # more in the recipe (1.0) than in the outcome (0.67): no role in smmr's list, and the card said "no solution"
    degree = cases.assign(sustainability=[2 if c == "JP-02" else v for c, v in zip(cases["case_id"],
                                                                                   cases["sustainability"])])
    roles = {c["case_id"]: c["qca"]["role"] for c in card_data(degree)}
    assert roles == by_definition(degree) and roles["JP-02"] == "typical_degree"
    assert "not in degree" in card_view(degree, "JP-02", lang="en")._repr_html_()
    html = card_view(cases, "KR-P7-A", lang="en")._repr_html_()
    sentence = re.search(r'<p class="qca">(.*?)</p>', html).group(1)
    assert "Intermediate support organisation · project integration → overall sustainability" in sentence
    assert "deviant case for consistency" in sentence and "added once" not in html
    assert "일탈 사례" in card_view(cases, "KR-P7-A", lang="ko")._repr_html_()


def test_a_card_of_a_sheet_without_a_qca_solution_says_so():
    import re

    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_view

    flat = read_cases().assign(sustainability=0)  # no case sustained: no truth-table row is coded 1
    sentence = re.search(r'<p class="qca">(.*?)</p>', card_view(flat, "JP-01", lang="en")._repr_html_()).group(1)
    assert sentence.startswith("This sheet gives no QCA solution at the standard cuts (consistency 0.8, PRI 0.5)")


def test_a_card_writes_one_number_of_decimals_per_median_column():
    import re

    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_view

    html = card_view(read_cases(), "JP-01", lang="en")._repr_html_()
    rows = re.findall(r"<tr><td[^>]*>.*?</tr>", html)
    country = [re.findall(r'<td class="n"[^>]*>(.*?)</td>', r)[1] for r in rows]
    assert "2.5" in country and "2" not in country and "2.0" in country  # was 3, 2.5, 2 in one column


def test_a_blank_qca_code_leaves_that_case_out_of_the_qca_and_the_other_cards_keep_their_roles():
    import re

    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_data, card_view

    cases = read_cases()
    cases.loc[cases["case_id"] == "KR-P1-A", "gov_role"] = None  # one blank cell took the role off all 26 cards
    roles = {c["case_id"]: c["qca"]["role"] for c in card_data(cases)}
    assert roles["KR-P1-A"] == "incomplete" and roles["JP-01"] == "typical"
    assert sum(r is None for r in roles.values()) == 0
    html = card_view(cases, "KR-P1-A", lang="en")._repr_html_()
    assert "left out of it: a condition or the outcome is blank" in re.search(r'<p class="qca">(.*?)</p>', html).group(1)


def test_the_front_page_counts_and_links_the_figures_it_has_no_room_for(tmp_path):
    # The brief's figure run has nine figures; the front page showed six and said nothing of the other three
    from krihs_analysis.reports.index import MAX_THUMBS, write_run_index

    figs = [f"figures/05_policy_brief_figures_ko/f{k}_ko.png" for k in range(9)]
    write_run_index(tmp_path, {"status": "ok", "summary": {"total": 1, "ok": 1, "failed": 0},
                               "runs": [{"name": "policy-brief-figures-ko", "status": "ok", "duration_s": 9.0,
                                         "outputs": ["html/05_policy_brief_figures_ko.html",
                                                     "html/05_policy_brief_figures_ko.brief.html", *figs]}]})
    page = (tmp_path / "index.ko.html").read_text(encoding="utf-8")
    assert page.count("<img ") == MAX_THUMBS == 6
    # to the run's full page, which shows all nine (a link to the seventh left the eighth and ninth unreachable)
    assert '<a class="more" href="html/05_policy_brief_figures_ko.html">외 3개</a>' in page
    assert "+3 more" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_front_page_describes_each_thumbnail_and_sets_japanese_in_the_japanese_cut(tmp_path):
    # A screen reader read the thumbnails as "fiscal_context_en.png"; a Japanese page listed the Korean cut of
    # Noto Sans CJK first (所, 連, 述 in their Korean forms); a phone shrank the page (no viewport)
    import json

    from krihs_analysis.reports.cards import CSS
    from krihs_analysis.reports.index import STYLE, write_run_index

    folder = tmp_path / "figures" / "05_policy_brief_figures_ja"
    folder.mkdir(parents=True)
    (folder / "figures.json").write_text(json.dumps({"figures": {"rmo_trend_ja": {
        "alt_text": "棒グラフ：地域運営組織の数", "files": {"png": "rmo_trend_ja.png"}}}}), encoding="utf-8")
    write_run_index(tmp_path, {"status": "ok", "summary": {"total": 1, "ok": 1, "failed": 0},
                               "runs": [{"name": "policy-brief-figures-ja", "status": "ok", "duration_s": 9.0,
                                         "outputs": ["figures/05_policy_brief_figures_ja/rmo_trend_ja.png",
                                                     "figures/05_policy_brief_figures_ja/other_ja.png"]}]})
    page = (tmp_path / "index.ja.html").read_text(encoding="utf-8")
    assert 'alt="棒グラフ：地域運営組織の数"' in page
    assert 'alt="other_ja.png"' in page  # a figure its manifest does not describe keeps its file name
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for css in (STYLE, CSS):
        assert 'html:lang(ja) body { font-family: "Noto Sans CJK JP"' in css
    # the provenance's words in the page's language
    assert "source sha256" not in page.replace("ソースコードのsha256", "")


def test_the_card_figure_gives_the_scale_room_beside_long_english_labels():
    # At a column's 85 mm the English item labels left the 0-3 scale about 1.3 inches, where medians of 1.5 and 2
    # touched; the card page shows the figure at the text's width
    from krihs_analysis.compare import default_variables
    from krihs_analysis.codebook import load_codebook
    from krihs_analysis.figures.cards import CaseCardFigure
    from krihs_analysis.reports.cards import CSS

    cb = load_codebook()
    items = [v for v in default_variables() if cb[v].type == "ordinal"]
    fig = CaseCardFigure(items, lang="en")
    fig.fig.canvas.draw()
    ax = fig.fig.axes[0]
    assert ax.get_position().width * fig.fig.get_figwidth() >= 2.0
    assert "max-width: 24rem" not in CSS and "min-width: 28rem" in CSS  # on a phone it scrolls, not shrinks


def test_korean_and_japanese_card_pages_break_lines_as_every_other_page_of_the_run():
    # the card stylesheet had no line-breaking rule: Korean cards broke words between any two syllables
    from krihs_analysis.reports.cards import CSS
    from krihs_analysis.reports.index import LINE_BREAKING_CSS, STYLE

    assert "html:lang(ko) body { word-break: keep-all" in LINE_BREAKING_CSS
    assert CSS.endswith(LINE_BREAKING_CSS) and STYLE.endswith(LINE_BREAKING_CSS)


def test_the_front_page_names_each_run_by_its_notebook_title_and_language_and_each_output_by_its_kind(tmp_path):
    # The front page listed runs by their slugs ("korea-japan-comparison-ko") and outputs by file names that said
    # the same thing three times; the Japanese page of a run started at 14:55 was titled by its run id.
    import re

    from nbformat import write
    from nbformat.v4 import new_markdown_cell, new_notebook

    from krihs_analysis import paths
    from krihs_analysis.reports.index import write_run_index

    mine = tmp_path / "07_my_analysis.ipynb"  # the user's own, with a number and words of the project's own
    write(new_notebook(cells=[new_markdown_cell("# 02 · Korea–Japan as we code it")]), mine)
    stem = "02_korea_japan_comparison_ko"
    runs = [{"name": "korea-japan-comparison-ko", "status": "ok", "duration_s": 6.8,
             "notebook": str(paths.NOTEBOOKS / "02_korea_japan_comparison.ipynb"), "parameters": {"lang": "ko"},
             "outputs": [f"notebooks/{stem}.ipynb", f"html/{stem}.html", f"html/{stem}.brief.html",
                         f"figures/{stem}/country_profile_ko.pdf", f"figures/{stem}/country_profile_ko.png"]},
            {"name": "my-analysis", "status": "ok", "duration_s": 1.0, "notebook": str(mine),
             "parameters": {"lang": "ko"}, "outputs": ["html/07_my_analysis.html"]}]
    write_run_index(tmp_path, {"run_id": "20261203T145507Z-9541850b", "started": "2026-12-03T14:55:07+00:00",
                               "status": "ok", "runs": runs, "summary": {"total": 2, "ok": 2, "failed": 0}})
    page = (tmp_path / "index.ja.html").read_text(encoding="utf-8")
    assert "<h1>レポート実行（2026-12-03 14:55 UTC）</h1>" in page
    assert "<code>20261203T145507Z-9541850b</code>" in page  # the run id stays, among the provenance
    cells = re.findall(r"<tr><td>(.*?)</td>", page)
    assert cells[0] == ('02 · 日韓比較 <span class="rl" lang="ko">한국어</span><br>'
                        '<code class="slug">korea-japan-comparison-ko</code>')
    assert cells[1] == "my-analysis"  # a notebook the locale has no title for: its run name
    links = [(label, href, hover) for href, hover, label in
             re.findall(r'<a href="([^"]+)" title="([^"]+)"(?: class="nw")?>([^<]+)</a>', page)]
    assert links == [  # the reader's page first; each file's name shows on hover
        ("閲覧用ページ", f"html/{stem}.brief.html", f"{stem}.brief.html"),
        ("ノートブック（HTML）", f"html/{stem}.html", f"{stem}.html"),
        ("ノートブック（.ipynb）", f"notebooks/{stem}.ipynb", f"{stem}.ipynb"),
        ("日韓の項目別比較", f"figures/{stem}/country_profile_ko.pdf", "country_profile_ko.pdf"),  # was its stem
        ("ノートブック（HTML）", "html/07_my_analysis.html", "07_my_analysis.html"),
    ]
    # runs in the order of their notebooks, whatever the report set's order: 10 after 06
    write_run_index(tmp_path, {"run_id": "r", "status": "ok", "summary": {"total": 2, "ok": 2, "failed": 0},
                               "runs": [{"name": n, "status": "ok", "notebook": str(paths.NOTEBOOKS / f), "outputs": []}
                                        for n, f in (("case-card-en", "10_case_card.ipynb"),
                                                     ("policy-brief-en", "06_policy_brief.ipynb"))]})
    order = re.findall(r'<code class="slug">([^<]+)</code>', (tmp_path / "index.html").read_text(encoding="utf-8"))
    assert order == ["policy-brief-en", "case-card-en"]
    bar = re.search(r'<p class="langs">(.*?)</p>', page).group(1)
    # the label's colon in the page's punctuation (it read "言語: ")
    assert re.sub(r"<[^>]+>", "", bar).split() == ["言語：English", "한국어", "日本語"]


def test_japanese_table_headers_on_a_runs_pages_break_between_phrases(tmp_path):
    # A narrow Japanese header broke 行政の伴走的役|割: the browser breaks Japanese between any two characters
    # unless told word-break: auto-phrase, which the brief's headings had and the run's other pages did not.
    import shutil

    from krihs_analysis.pdf import find_chromium, print_pdf, word_boxes
    from krihs_analysis.reports.index import LINE_BREAKING_CSS

    if find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium and poppler are installed by `make setup`")
    page = (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>{LINE_BREAKING_CSS}'
            'th { font-size: 20px; width: 7.5em; max-width: 7.5em; text-align: left; }</style></head><body>'
            '<table><tr><th>行政の伴走的役割</th></tr></table></body></html>')
    lines: dict[int, str] = {}
    for w in word_boxes(print_pdf(page, tmp_path / "ja.pdf")):
        if w["page"] == 1 and not w["word"].isascii():
            lines[round(w["y0"])] = lines.get(round(w["y0"]), "") + w["word"]
    assert [lines[y] for y in sorted(lines)] == ["行政の", "伴走的役割"]


@pytest.mark.parametrize("heading, lang, title", [
    ("# 02 · Korea–Japan comparison · 한일 비교 · 日韓比較", "ja", "02 · 日韓比較"),
    ("02 · Korea–Japan comparison · 한일 비교 · 日韓比較", "ko", "02 · 한일 비교"),  # as the worker passes it
    ("# 02 · Korea–Japan comparison of our own cities", "ko", None),  # the user's own, worded like ours
    ("# 02 · Korea–Japan comparison", "ko", None),
    ("# 99 · Something", "en", None),
    ("Intro", "en", None),
])
def test_a_notebook_title_is_translated_only_from_the_projects_own_heading(heading, lang, title):
    from krihs_analysis.reports.index import notebook_title

    assert notebook_title(heading, lang=lang) == title


def test_a_notebook_title_in_an_unknown_language_is_a_value_error():
    from krihs_analysis.reports.index import notebook_title

    with pytest.raises(ValueError, match="fr"):
        notebook_title("# 02 · Korea–Japan comparison · 한일 비교 · 日韓比較", lang="fr")


def test_every_catalogue_figure_has_a_short_name_in_every_language():
    # the front page links each figure's PDF by it (it showed the file's English stem on Korean pages)
    from krihs_analysis.figures import CATALOGUE
    from krihs_analysis.wording import phrases

    assert {f"name_{f}" for f in CATALOGUE} <= set(phrases("figures"))


@pytest.mark.parametrize("case_id, lang, ministry", [("KR-P2-A", "ko", "(한국, 국토교통부)"),
                                                     ("JP-05", "ja", "総務省"), ("KR-P2-A", "en", "MOLIT")])
def test_a_case_card_names_the_ministry_in_the_readers_language(case_id, lang, ministry):
    # the Korean card read "KR-P4(한국, MOIS)"
    import re

    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_view

    html = card_view(read_cases(), case_id, lang=lang)._repr_html_()
    assert ministry in re.search(r'<p class="lede">(.*?)</p>', html).group(1)


def test_the_cards_index_says_where_each_case_is_and_how_it_fared_and_leads_back_to_the_run(tmp_path):
    # It was a bare list of 26 case ids: no illustrative notice (every other page of the run has one), no way back
    # to the run's front page, nothing to choose a case by
    import re

    from krihs_analysis.codebook import load_codebook
    from krihs_analysis.data import read_cases
    from krihs_analysis.reports.cards import card_data, write_index

    cards = card_data(read_cases())
    page = write_index(tmp_path, "10_case_card_ko", cards, lang="ko", shard_size=250).read_text(encoding="utf-8")
    assert f'<p class="banner">{load_codebook().notice("illustrative", "ko")}</p>' in page
    assert '<a href="../../index.ko.html">' in page
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", page)
    assert len(rows) == len(cards) == 26
    first = re.split(r"</td><td>", rows[0])
    assert first[0] == '<a href="s000/10_case_card_ko_KR-P1-A.html">KR-P1-A</a>' and first[1:3] == ["한국", "KR-P1"]
    jp = re.split(r"</td><td>", next(r for r in rows if ">JP-01<" in r))
    assert jp[5] == "예(국가 지원 없음)"  # as the brief counts it, and without claiming a support it never had
    roles = {re.split(r"</td><td>", r)[6] for r in rows}
    assert {"전형 사례", "해와 결과 모두에 속하지 않음"} <= roles
    # and a legend says what each role in that column means, by the column's own words (no page explained them)
    legend = re.search(r'</table>\n<p class="note">(.*?)</p>', page).group(1)
    assert all(f"{r}:" in legend for r in roles - {"–"}), (roles, legend)


def test_the_cards_legend_explains_every_role_the_index_can_show_in_words_of_the_reader(tmp_path):
    # Found in review: "typical_degree" and "incomplete" printed as raw keys in every language, and the legend
    # explained neither; a manifest that is not a table of figures must not break the front page
    from krihs_analysis.reports.cards import _ROLES, _roles_legend
    from krihs_analysis.reports.index import _figure_alt_texts
    from krihs_analysis.wording import value_word

    for lang in ("en", "ko", "ja"):
        words = [value_word(r, lang=lang, capital=True) for r in _ROLES]
        assert not any("_" in w for w in words) and "Incomplete" not in words, words  # no raw key shows
        legend = _roles_legend(set(_ROLES), lang)
        assert all(w in legend for w in words), legend
    assert _roles_legend(set(), "en") == ""
    (tmp_path / "figures" / "x").mkdir(parents=True)
    (tmp_path / "figures" / "x" / "figures.json").write_text("[1, 2]", encoding="utf-8")
    assert _figure_alt_texts(tmp_path) == {}


@pytest.mark.parametrize("counts, lang, want", [
    ({"ok": 16, "total": 16, "failed": 0, "reused": 3}, "ko", "16개 모두 성공(재사용 3개)"),
    ({"ok": 16, "total": 16, "failed": 0, "reused": 0}, "ja", "16件すべて成功（再利用0件）"),
    ({"ok": 14, "total": 16, "failed": 2, "reused": 0}, "en", "14 of 16 ok, 2 failed, 0 reused"),
])
def test_a_runs_counts_say_all_when_every_run_succeeded(counts, lang, want):
    # the front pages read "16개 중 16개 성공" / "16件中16件成功": a count that merely happened to be full
    from krihs_analysis.reports.index import _summary

    assert _summary(counts, lang) == want


@pytest.mark.parametrize("lang, page, said", [("en", "index.html", "abc1234 (with uncommitted changes)"),
                                              ("ko", "index.ko.html", "abc1234 (커밋하지 않은 변경 있음)"),
                                              ("ja", "index.ja.html", "abc1234（未コミットの変更あり）")])
def test_the_front_page_says_a_checkout_had_uncommitted_changes_in_its_readers_words(tmp_path, lang, page, said):
    # every page said "(dirty)", in English (Japanese reading of the front page)
    from krihs_analysis.reports.index import write_run_index

    meta = {"status": "ok", "summary": {"total": 0, "ok": 0, "failed": 0}, "runs": []}
    write_run_index(tmp_path, {**meta, "git": {"commit": "abc1234", "dirty": True}})
    text = (tmp_path / page).read_text(encoding="utf-8")
    assert said in text and "dirty" not in text
    write_run_index(tmp_path, {**meta, "git": {"commit": "abc1234", "dirty": False}})
    assert said not in (tmp_path / page).read_text(encoding="utf-8")
