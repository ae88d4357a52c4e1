"""Tests of the Papermill report runner (krihs_analysis.reports) on tiny generated notebooks.

Executions are grouped into a few run sets (module-scoped fixtures) because every kernel start costs ~1 s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from krihs_analysis.codebook import load_codebook

nbf = pytest.importorskip("nbformat")
pytest.importorskip("papermill")

from krihs_analysis import paths, reports  # noqa: E402
from krihs_analysis.cli import main  # noqa: E402

PY = sys.executable


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return reports.DEFAULT_KERNEL in KernelSpecManager().find_kernel_specs()


needs_kernel = pytest.mark.skipif(not _kernel_available(), reason="the krihs-analysis kernel is not installed")


def make_notebook(path: Path, params: str | None, *cells: str) -> Path:
    nb = nbf.v4.new_notebook()
    nb.cells.append(nbf.v4.new_markdown_cell("# Test notebook"))
    if params is not None:
        p = nbf.v4.new_code_cell(params)
        p.metadata["tags"] = ["parameters"]
        nb.cells.append(p)
    nb.cells.extend(nbf.v4.new_code_cell(c) for c in cells)
    nb.metadata["kernelspec"] = {"name": "krihs-analysis", "display_name": "Python (krihs-analysis)",
                                 "language": "python"}
    nbf.write(nb, path)
    return path


OK_PARAMS = 'lang = "en"\nseed = 0\nitems = None\ncount = 1\nopt = "x"\nout_dir = None'
OK_BODY = textwrap.dedent("""\
    # SRC-TOKEN-7
    import json, os
    print("hello-" + "marker", lang, seed)
    if out_dir:
        with open(os.path.join(out_dir, "types.json"), "w") as fh:
            json.dump({"items": [type(items).__name__, items], "count": [type(count).__name__, count],
                       "opt": repr(opt), "cwd": os.getcwd(), "lang": lang, "seed": seed}, fh)
""")


@pytest.fixture(scope="module")
def nbdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("notebooks")
    make_notebook(d / "ok.ipynb", OK_PARAMS, OK_BODY)
    make_notebook(d / "bad.ipynb", 'lang = "en"', "x = 1", "raise ValueError('boom ' + lang)", "print('never')")
    make_notebook(d / "card.ipynb", 'case_id = "KR-P1-A"\ndata_path = None',
                  "print('card', case_id, data_path)")
    make_notebook(d / "slow.ipynb", "secs = 20\nmarker = None",
                  "import pathlib, time\npathlib.Path(marker).write_text('running')\ntime.sleep(secs)")
    make_notebook(d / "noparams.ipynb", None, "print(1)")
    lines = paths.SAMPLE_CASES.read_text(encoding="utf-8").splitlines()
    (d / "two_cases.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    return d


def write_config(d: Path, text: str, name: str = "reports.yaml") -> Path:
    p = d / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------------------------
# Configuration validation (no execution)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("runs:\n  - {name: a, notebook: ok.ipynb}\nextra: 1\n", "unknown top-level key 'extra'"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, notbook: x}\n", "unknown key 'notbook'"),
        ("runs:\n  - {name: a, notebook: missing.ipynb}\n", "notebook file not found"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, timeout: soon}\n", "'timeout' must be a positive number"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, parameters: [1, 2]}\n", "'parameters' must be a mapping"),
        ("runs:\n  - {name: a, notebook: ok.ipynb}\n  - {name: a, notebook: bad.ipynb}\n",
         "duplicate run name 'a'"),
        ("runs:\n  - {name: a, notebook: card.ipynb, for_each: municipality}\n", "unknown for_each 'municipality'"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, parameters: {colour: red}}\n",
         "does not declare parameter(s) colour"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, parameters: {out_dir: /tmp}}\n", "set by the runner"),
        ("runs:\n  - {name: a, notebook: noparams.ipynb, parameters: {lang: en}}\n", "no cell tagged 'parameters'"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, export: {pdf: yes-please}}\n", "export.pdf must be true or false"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, export: {epub: true}}\n", "unknown export option 'epub'"),
        ("runs:\n  - {name: 'a b', notebook: ok.ipynb}\n", "'name' must be a string"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, output: x}\n  - {name: b, notebook: bad.ipynb, output: x}\n",
         "write the same output 'x'"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, matrix: {lang: en}}\n", "matrix.lang must be a non-empty list"),
        ("runs: [\n", "not valid YAML"),
        ("defaults: {parameters: {seed: 2024-01-01}}\nruns:\n  - {name: a, notebook: ok.ipynb}\n",
         "unsupported type date"),
        ("runs:\n  - {name: a, notebook: ok.ipynb, kernel: no-such-kernel}\n", "kernel 'no-such-kernel' is not"),
    ],
)
def test_config_errors_name_the_problem(nbdir, config, expected):
    cfg = write_config(nbdir, config, "bad_config.yaml")
    with pytest.raises(reports.ConfigError) as info:
        reports.load_config(cfg, check_kernel=True)
    assert expected in str(info.value)


def test_config_reports_every_problem_at_once(nbdir):
    cfg = write_config(nbdir, """\
        runs:
          - {name: a, notebook: missing.ipynb}
          - {name: b, notebook: ok.ipynb, timeout: -1}
        """, "two_problems.yaml")
    with pytest.raises(reports.ConfigError) as info:
        reports.load_config(cfg)
    assert len(info.value.problems) == 2


def test_bad_config_exits_2_before_running(nbdir, tmp_path, capsys):
    cfg = write_config(nbdir, "runs:\n  - {name: a, notebook: nope.ipynb}\n", "bad_exit.yaml")
    with pytest.raises(reports.ConfigError, match="nope.ipynb"):
        reports.run_reports(cfg, out_dir=tmp_path / "reports", progress=False)
    assert main(["report", "--config", str(cfg), "--out", str(tmp_path / "reports")]) == 2
    assert "nope.ipynb" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_matrix_for_each_and_typed_plan(nbdir):
    cfg = write_config(nbdir, """\
        defaults:
          parameters: {seed: 7, lang: en}
        runs:
          - name: ok
            notebook: ok.ipynb
            output: overview
            matrix: {lang: [en, ko]}
            parameters: {items: [1, 2], count: 3, opt: null}
          - name: card
            notebook: card.ipynb
            for_each: case_id
            parameters: {data_path: two_cases.csv}
        """, "plan.yaml")
    cfg = reports.load_config(cfg)
    assert [s.name for s in cfg.runs] == ["ok-en", "ok-ko", "card-KR-P1-A", "card-KR-P1-B"]
    assert [s.output for s in cfg.runs] == ["overview_en", "overview_ko", "card_KR-P1-A", "card_KR-P1-B"]
    ok = cfg.runs[1]
    assert ok.parameters == {"seed": 7, "lang": "ko", "items": [1, 2], "count": 3, "opt": None}
    assert ok.takes_out_dir
    card = cfg.runs[2]
    assert "seed" not in card.parameters  # defaults apply only where the notebook declares them
    assert card.parameters["data_path"] == str(nbdir / "two_cases.csv")
    assert [s.name for s in reports.plan_runs(cfg, only=["card"])] == ["card-KR-P1-A", "card-KR-P1-B"]
    assert [s.name for s in reports.plan_runs(cfg, only=["*-ko"])] == ["ok-ko"]
    with pytest.raises(reports.ConfigError, match="matches no run"):
        reports.plan_runs(cfg, only=["nothing"])


def test_dry_run_prints_plan_and_runs_nothing(nbdir, tmp_path, capsys):
    cfg = write_config(nbdir, """\
        runs:
          - {name: ok, notebook: ok.ipynb, matrix: {lang: [en, ko]}, parameters: {items: [1]}}
        """, "dry.yaml")
    assert main(["report", "--config", str(cfg), "--dry-run", "--out", str(tmp_path / "reports")]) == 0
    out = capsys.readouterr().out
    assert "2 planned run(s)" in out and "ok-en" in out and "ok-ko" in out and '"items": [1]' in out
    assert "-> ok_ko" in out
    assert not (tmp_path / "reports").exists()


def test_the_shipped_config_runs_every_notebook_in_every_language():
    """reports.yaml loads without a problem, and each report notebook runs in en, ko and ja.

    It once accepted "notebook file not found" (written before the notebooks existed) and could not fail; and
    notebooks 01-05 ran in English and Korean only, so the Japanese front page listed the brief and the cards but
    none of the analyses.
    """
    from krihs_analysis.codebook import LANGS

    cfg = reports.load_config(paths.REPORTS_CONFIG)
    langs: dict[str, set] = {}
    for spec in cfg.runs:
        langs.setdefault(spec.notebook.name, set()).add(spec.parameters["lang"])
    shipped = {p.name for p in (paths.REPORTS_CONFIG.parent / "notebooks").glob("[0-9]*.ipynb")}
    assert set(langs) == shipped
    assert {name: sorted(found) for name, found in langs.items() if found != set(LANGS)} == {}


# ------------------------------------------------------------------------------------------------------------
# A successful run set: matrix + typed parameters + for_each + pdf hook (no browser)


@pytest.fixture(scope="module")
def good_run(nbdir, tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "reports"
    cfg = write_config(nbdir, """\
        defaults:
          parameters: {seed: 7, lang: en}
        runs:
          - name: ok
            notebook: ok.ipynb
            matrix: {lang: [en, ko]}
            parameters: {items: [1, 2], count: 3, opt: null}
            export: {pdf: true}
          - name: card
            notebook: card.ipynb
            for_each: case_id
            parameters: {data_path: two_cases.csv}
        """, "good.yaml")
    old = os.environ.get("KRIHS_CHROMIUM")
    os.environ["KRIHS_CHROMIUM"] = ""  # no browser: the pdf hook must skip and say so
    try:
        import io

        buf = io.StringIO()
        result = reports.run_reports(cfg, out_dir=out, jobs=2, progress=False, stream=buf)
    finally:
        if old is None:
            os.environ.pop("KRIHS_CHROMIUM", None)
        else:
            os.environ["KRIHS_CHROMIUM"] = old
    return result, out, buf.getvalue()


@needs_kernel
def test_successful_run_set(good_run, nbdir):
    result, out, printed = good_run
    assert result.status == "ok", printed
    run_dir = out / result.run_id
    assert run_dir.is_dir() and not list(out.glob(".*.partial"))
    assert reports.RUN_ID_RE.match(result.run_id)
    assert (out / "latest").is_symlink() and (out / "latest").resolve() == run_dir.resolve()
    assert reports.latest_run(out).resolve() == run_dir.resolve()
    meta = json.loads((run_dir / "run.json").read_text())
    assert meta["run_id"] == result.run_id and meta["status"] == "ok"
    assert meta["started"] and meta["ended"] and meta["package_version"]
    assert "commit" in meta["git"]
    assert meta["inputs_sha256"][str(nbdir / "two_cases.csv")] is not None
    # a run on illustrative cases says so on its front page and in the list of runs (issue: labelled wherever shown)
    assert meta["illustrative_inputs"] == [str(nbdir / "two_cases.csv")]
    notice = load_codebook().notice("illustrative", "ko")
    assert f'<p class="banner">{notice}</p>' in (run_dir / "index.ko.html").read_text(encoding="utf-8")
    assert "(Illustrative data)" in (out / "index.html").read_text(encoding="utf-8")
    assert [r["name"] for r in meta["runs"]] == ["ok-en", "ok-ko", "card-KR-P1-A", "card-KR-P1-B"]
    for r in meta["runs"]:
        assert r["status"] == "ok" and r["error"] is None and r["duration_s"] > 0
        assert " pid " in r["worker"] and [a["worker"] for a in r["attempts"]] == [r["worker"]]
        for rel in r["outputs"]:
            assert (run_dir / rel).is_file(), rel
    table = result.table  # the run set as a tidy table, like every result object's .table
    assert table[["name", "status", "attempts"]].values.tolist() == [[r["name"], "ok", 1] for r in meta["runs"]]
    assert table["reused_from"].isna().all() and table["error"].isna().all()
    ok_en = meta["runs"][0]
    assert ok_en["parameters"]["out_dir"] == "figures/ok_en"  # the final folder, relative to the run
    for f in ("notebooks/ok_en.ipynb", "html/ok_en.html"):  # never the temporary folder (issue 10, item 6)
        assert ".partial" not in (run_dir / f).read_text(), f
    injected = [c for c in nbf.read(run_dir / "notebooks" / "ok_en.ipynb", as_version=4).cells
                if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'out_dir = "figures/ok_en"' in injected[0].source
    assert {"notebooks/ok_en.ipynb", "html/ok_en.html", "html/ok_en.brief.html",
            "figures/ok_en/types.json"} <= set(ok_en["outputs"])
    # the pdf hook without a browser: HTML still produced, skip recorded and printed plainly
    assert "pdf skipped: no chromium" in ok_en["notes"]
    assert "ok-en: pdf skipped: no chromium" in printed


@needs_kernel
def test_typed_parameters_reach_the_notebook(good_run, nbdir):
    result, out, _ = good_run
    seen = json.loads((out / result.run_id / "figures" / "ok_ko" / "types.json").read_text())
    assert seen["items"] == ["list", [1, 2]]
    assert seen["count"] == ["int", 3]
    assert seen["opt"] == "None"
    assert seen["lang"] == "ko" and seen["seed"] == 7
    assert Path(seen["cwd"]).resolve() == nbdir.resolve()  # executed with cwd = the notebook's folder


@needs_kernel
def test_brief_html_has_no_inputs_and_no_parameters(good_run):
    result, out, _ = good_run
    html = out / result.run_id / "html"
    full = (html / "ok_en.html").read_text()
    brief = (html / "ok_en.brief.html").read_text()
    assert "SRC-TOKEN-7" in full and "celltag_injected-parameters" in full
    assert "SRC-TOKEN-7" not in brief
    assert "celltag_injected-parameters" not in brief and "celltag_parameters" not in brief
    assert "highlight hl-ipython3" not in brief
    assert "hello-marker en 7" in brief


@needs_kernel
def test_for_each_fans_out_over_cases(good_run):
    result, out, _ = good_run
    meta = json.loads((out / result.run_id / "run.json").read_text())
    cards = [r for r in meta["runs"] if r["entry"] == "card"]
    assert [r["parameters"]["case_id"] for r in cards] == ["KR-P1-A", "KR-P1-B"]
    executed = nbf.read(out / result.run_id / "notebooks" / "card_KR-P1-B.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "card KR-P1-B" in text


@needs_kernel
def test_leftover_partial_dir_is_ignored_and_latest_intact(good_run):
    result, out, _ = good_run
    leftover = out / ".20200101T000000Z-deadbeef.partial"
    (leftover / "notebooks").mkdir(parents=True)
    assert reports.latest_run(out).name == result.run_id
    assert leftover not in reports.list_runs(out)
    assert [p.name for p in reports.list_runs(out)] == [result.run_id]
    leftover.joinpath("notebooks").rmdir()
    leftover.rmdir()


# ------------------------------------------------------------------------------------------------------------
# A failing notebook


@needs_kernel
def test_failing_notebook(nbdir, tmp_path, capsys):
    out = tmp_path / "reports"
    old = out / "20200101T000000Z-0123abcd"
    old.mkdir(parents=True)
    os.symlink(old.name, out / "latest")
    leftover = out / ".20200102T000000Z-deadbeef.partial"  # as left by a killed run
    (leftover / "notebooks").mkdir(parents=True)
    cfg = write_config(nbdir, """\
        runs:
          - {name: bad, notebook: bad.ipynb, parameters: {lang: ko}}
          - {name: ok, notebook: ok.ipynb}
        """, "failing.yaml")
    result = reports.run_reports(cfg, out_dir=out, jobs=2, progress=False, stream=sys.stdout)
    captured = capsys.readouterr()
    assert result.status == "failed"
    assert os.readlink(out / "latest") == old.name  # latest did not move
    assert not leftover.exists() and "removed the partial folder" in captured.out  # cleaned under the lock
    run_dir = out / result.run_id
    meta = json.loads((run_dir / "run.json").read_text())
    assert meta["status"] == "failed" and meta["summary"] == {"total": 2, "ok": 1, "failed": 1, "reused": 0}
    bad, ok = meta["runs"]
    assert ok["status"] == "ok"  # the others finish
    err = bad["error"]
    assert bad["status"] == "failed" and err["notebook"] == "bad.ipynb"
    # cell 3 of the source notebook (markdown, parameters, x = 1, raise); 4 after papermill's injected cell
    assert err["cell_index"] == 3 and err["executed_cell_index"] == 4
    assert err["ename"] == "ValueError" and err["line"] == "ValueError: boom ko"
    assert [a["status"] for a in bad["attempts"]] == ["cell"]  # a cell error is not retried
    rows = result.table.set_index("name")
    assert rows.loc["bad", ["status", "error"]].tolist() == ["failed", "ValueError: boom ko"]
    kept = nbf.read(run_dir / "notebooks" / "bad.ipynb", as_version=4)  # kept, with its error
    assert any(o.get("ename") == "ValueError" for c in kept.cells if c.cell_type == "code"
               for o in c.get("outputs", []))
    assert (run_dir / "html" / "bad.html").is_file()
    assert "FAILED bad: bad.ipynb: cell 3" in captured.out and "ValueError: boom ko" in captured.out


# ------------------------------------------------------------------------------------------------------------
# Lock and kill


def test_second_concurrent_run_is_refused(nbdir, tmp_path, capsys):
    out = tmp_path / "reports"
    cfg = write_config(nbdir, "runs:\n  - {name: ok, notebook: ok.ipynb}\n", "lock.yaml")
    held = reports.Lock(out).acquire(note="test holder")
    try:
        with pytest.raises(reports.LockHeld):
            reports.run_reports(cfg, out_dir=out, progress=False)
        code = main(["report", "--config", str(cfg), "--out", str(out), "--no-progress"])
    finally:
        held.release()
    assert code == 3
    err = capsys.readouterr().err
    assert "another report run is in progress" in err and "test holder" in err
    assert reports.list_runs(out) == []


def test_lock_refused_across_processes(tmp_path):
    out = tmp_path / "reports"
    held = reports.Lock(out).acquire()
    try:
        code = ("import sys; from krihs_analysis import reports as r\n"
                f"try:\n    r.Lock(__import__('pathlib').Path({str(out)!r})).acquire()\n"
                "except r.LockHeld as e:\n    print(e); sys.exit(3)\n")
        proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60)
    finally:
        held.release()
    assert proc.returncode == 3 and "in progress" in proc.stdout


@needs_kernel
def test_killed_run_leaves_latest_intact(nbdir, tmp_path):
    out = tmp_path / "reports"
    old = out / "20200101T000000Z-0123abcd"
    old.mkdir(parents=True)
    os.symlink(old.name, out / "latest")
    marker = tmp_path / "running.txt"
    cfg = write_config(tmp_path, f"""\
        runs:
          - {{name: slow, notebook: {nbdir / 'slow.ipynb'}, parameters: {{marker: {str(marker)!r}}}}}
        """, "kill.yaml")
    proc = subprocess.Popen([PY, "-m", "krihs_analysis.cli", "report", "--config", str(cfg), "--out", str(out),
                             "--no-progress"], start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 45
        while time.time() < deadline and not marker.exists():
            time.sleep(0.1)
        assert marker.exists(), "the notebook never started"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its pool workers
        proc.wait(timeout=30)
    partials = list(out.glob(".*.partial"))
    assert len(partials) == 1  # recognisable leftover, removed by the next run (see test_failing_notebook)
    assert os.readlink(out / "latest") == old.name
    assert [p.name for p in reports.list_runs(out)] == [old.name]
    # the lock died with the process
    reports.Lock(out).acquire().release()


# ------------------------------------------------------------------------------------------------------------
# Dask distributed


@needs_kernel
def test_dask_local_cluster(nbdir, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "reports"
    cfg = write_config(nbdir, "runs:\n  - {name: ok, notebook: ok.ipynb, parameters: {items: [3]}}\n", "dask.yaml")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        result = reports.run_reports(cfg, out_dir=out, scheduler=cluster.scheduler_address, progress=False)
    assert result.status == "ok", result.results
    meta = json.loads((out / result.run_id / "run.json").read_text())
    assert meta["scheduler"].startswith("tcp://127.0.0.1:")
    rec = meta["runs"][0]
    assert rec["worker"].startswith("tcp://127.0.0.1:")  # which worker ran it
    assert [a["status"] for a in rec["attempts"]] == ["ok"] and rec["attempts"][0]["worker"] == rec["worker"]
    seen = json.loads((out / result.run_id / "figures" / "ok" / "types.json").read_text())
    assert seen["items"] == ["list", [3]]


# ------------------------------------------------------------------------------------------------------------
# make notebooks


@needs_kernel
def test_refresh_notebooks_in_place_skips_explore(tmp_path, capsys):
    d = tmp_path / "notebooks"
    (d / "explore").mkdir(parents=True)
    book = make_notebook(d / "01_a.ipynb", "n = 2", "print('refreshed', n * 21)")
    scratch = make_notebook(d / "explore" / "scratch.ipynb", None, "raise RuntimeError('must not run')")
    before = scratch.read_text()
    records = reports.refresh_notebooks(d, jobs=1, progress=False)
    assert [r["status"] for r in records] == ["ok"]
    nb = nbf.read(book, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("refreshed 42" in o.get("text", "") for o in outputs)
    assert "papermill" not in nb.metadata
    assert not any(c.metadata.get("tags") == ["injected-parameters"] for c in nb.cells)
    assert scratch.read_text() == before
    assert not list(d.glob(".*.ipynb"))  # no temp files left


@pytest.mark.browser
def test_pdf_export_with_system_chromium(tmp_path):
    from krihs_analysis.pdf import find_chromium

    if not find_chromium():
        pytest.skip("no chromium")
    nb = nbf.v4.new_notebook()
    nb.cells = [nbf.v4.new_markdown_cell("# PDF test")]
    note = reports.export_pdf(nb, tmp_path / "x.pdf", brief=True)
    assert note.startswith("pdf:"), note
    assert (tmp_path / "x.pdf").read_bytes()[:5] == b"%PDF-"


def test_import_is_light():
    code = "import sys, krihs_analysis.reports; print(any(m in sys.modules for m in " \
           "('papermill', 'nbconvert', 'dask', 'pandas', 'tqdm')))"
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def test_kernel_start_failure_is_retried_once(nbdir, tmp_path, monkeypatch):
    """A kernel that dies at start is retried once; the run then fails with kind 'kernel_start'."""
    spec = tmp_path / "jupyter" / "kernels" / "broken"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [PY, "-c", "import sys; sys.exit(1)", "{connection_file}"],
        "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    task = {"name": "ok", "entry": "ok", "notebook": str(nbdir / "ok.ipynb"), "output": "ok", "parameters": {},
            "kernel": "broken", "timeout": 30, "start_timeout": 20, "export": {"html": False, "brief_html": False},
            "takes_out_dir": False, "run_dir": str(tmp_path / "run")}
    rec = reports.execute_run(task)
    assert rec["status"] == "failed" and [a["status"] for a in rec["attempts"]] == ["kernel_start"] * 2
    assert rec["error"]["kind"] == "kernel_start" and "kernel start" in rec["error"]["message"]
    assert any("retrying (1 of 1)" in n for n in rec["notes"])


def test_latest_falls_back_to_a_text_file_without_symlinks(tmp_path, monkeypatch):
    (tmp_path / "20260101T000000Z-00aa11bb").mkdir()

    def no_symlinks(*args, **kwargs):
        raise OSError("symlinks not supported")

    monkeypatch.setattr(os, "symlink", no_symlinks)
    where = reports.point_latest(tmp_path, "20260101T000000Z-00aa11bb")
    assert where.endswith("LATEST")
    assert (tmp_path / "LATEST").read_text().strip() == "20260101T000000Z-00aa11bb"
    assert reports.latest_run(tmp_path).name == "20260101T000000Z-00aa11bb"
    assert not list(tmp_path.glob(".latest*"))


def test_cli_dry_run_and_exit_codes(nbdir, tmp_path, capsys):
    cfg = write_config(nbdir, "runs:\n  - {name: ok, notebook: ok.ipynb}\n", "cli.yaml")
    assert main(["report", "--config", str(cfg), "--dry-run", "--out", str(tmp_path)]) == 0
    assert "ok: " in capsys.readouterr().out
    assert main(["report", "--config", str(cfg), "--dry-run", "--only", "zzz"]) == 2
    assert "--only 'zzz' matches no run" in capsys.readouterr().err
    assert main(["report", "--config", str(tmp_path / "nope.yaml"), "--dry-run"]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_unreadable_config_is_a_config_error_not_a_traceback(nbdir, tmp_path, capsys):
    # a folder given as --config
    assert main(["report", "--config", str(tmp_path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "config path is a directory" in err and "Traceback" not in err
    with pytest.raises(reports.ConfigError, match="is a directory"):
        reports.load_config(tmp_path)
    # a config that is not UTF-8 text
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("runs:\n  - {name: caf\u00e9, notebook: ok.ipynb}\n".encode("latin-1"))
    assert main(["report", "--config", str(bad), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8 text" in err and "Traceback" not in err
    with pytest.raises(reports.ConfigError, match="not UTF-8"):
        reports.load_config(bad)


@pytest.mark.parametrize("address", ["notanaddress", "tcp://127.0.0.1:notaport", "nosuchscheme://host:1"])
def test_invalid_scheduler_address_exits_4_and_leaves_no_partial_folder(nbdir, tmp_path, capsys, address):
    pytest.importorskip("distributed")
    cfg = write_config(nbdir, "runs:\n  - {name: ok, notebook: ok.ipynb}\n", "bad_scheduler.yaml")
    out = tmp_path / "reports"
    code = main(["report", "--config", str(cfg), "--out", str(out), "--scheduler", address, "--no-progress"])
    assert code == 4
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines == [lines[0]] and lines[0].startswith("krihs-analysis: ") and address in lines[0]
    assert "invalid scheduler address" in lines[0]
    assert not out.exists()  # refused before the reports folder is made: no partial or run folder either
    # a dry run, which never contacts the scheduler, refuses the address too (it exited 0)
    assert main(["report", "--config", str(cfg), "--dry-run", "--scheduler", address]) == 4
    assert "invalid scheduler address" in capsys.readouterr().err


def _worker_view(name: str) -> tuple[str | None, str]:
    return os.environ.get(name), os.getcwd()


def test_a_pool_worker_sees_the_callers_environment_and_folder_as_they_are_now(tmp_path, monkeypatch):
    """Workers fork from a fork server started by the first pool; a later pool's workers must still see the
    caller's current environment and working directory, as freshly spawned ones would."""
    from krihs_analysis.reports.pool import worker_pool

    with worker_pool(1) as pool:  # starts the fork server (if this process has none yet)
        pool.submit(os.getpid).result()
    monkeypatch.setenv("KRIHS_POOL_PROBE", "after-the-server-started")
    monkeypatch.chdir(tmp_path)
    with worker_pool(2) as pool:
        seen = [pool.submit(_worker_view, "KRIHS_POOL_PROBE").result() for _ in range(2)]
    assert set(seen) == {("after-the-server-started", str(tmp_path))}
    with pytest.raises(ValueError, match="at least 1"):
        worker_pool(0)


def test_work_in_the_callers_process_leaves_its_logging_and_warning_filters_as_they_were(monkeypatch):
    # brief.rebuild runs the notebook in the caller's process: its loggers come back, and no warning is hidden.
    import logging
    import warnings

    from krihs_analysis.reports.worker import NOISY_LOGGERS, quiet_logs, quiet_worker

    loggers = [logging.getLogger(n) for n in NOISY_LOGGERS]
    levels = [lg.level for lg in loggers]
    # quiet_worker below sets up this test process as a worker: what it changes is put back afterwards
    monkeypatch.delenv("PYDEVD_DISABLE_FILE_VALIDATION", raising=False)  # restored as it was at teardown
    had_stub = "rfc3987_syntax" in sys.modules
    try:
        loggers[0].setLevel(logging.INFO)
        with warnings.catch_warnings():
            before = list(warnings.filters)
            with quiet_logs():
                assert all(lg.level == logging.ERROR for lg in loggers)
            assert loggers[0].level == logging.INFO and [lg.level for lg in loggers[1:]] == levels[1:]
            quiet_worker()  # the workers' own set-up: loggers only, no blanket warning filter
            assert warnings.filters == before
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
        if not had_stub:
            sys.modules.pop("rfc3987_syntax", None)



@pytest.mark.parametrize("brief, lang, heading, title", [
    # the reader's version: the first heading its outputs show
    (True, "ko", "02 · Korea–Japan comparison · 한일 비교 · 日韓比較", "사례 보고서"),
    # the whole notebook: a project notebook's title in the run's language
    (False, "ko", "02 · Korea–Japan comparison · 한일 비교 · 日韓比較", "02 · 한일 비교"),
    (False, "ja", "02 · Korea–Japan comparison · 한일 비교 · 日韓比較", "02 · 日韓比較"),
    # not a run (no lang parameter): English
    (False, None, "02 · Korea–Japan comparison · 한일 비교 · 日韓比較", "02 · Korea–Japan comparison"),
    # a notebook of the user's own: its heading as written, and the language
    (False, "ko", "07 · 우리 시 사례", "07 · 우리 시 사례 (ko)"),
    (False, "ko", "02 · 우리 시 비교", "02 · 우리 시 비교 (ko)"),  # even numbered as one of the project's
], ids=["reader-ko", "full-ko", "full-ja", "not-a-run", "own-notebook-ko", "own-numbered-alike-ko"])
def test_exported_pages_carry_a_title_and_the_language_of_the_run(tmp_path, brief, lang, heading, title):
    # Every page was <title>Notebook</title> and <html lang="en">, the Korean and Japanese runs too: browser tabs,
    # bookmarks and PDF viewers could not tell the runs apart, and a screen reader read Korean as English. Then the
    # page of a Korean run was titled, and opened with, "02 · Korea–Japan comparison · 한일 비교 · 日韓比較 (ko)".
    import re

    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    nb = new_notebook(cells=[
        new_markdown_cell(f"Intro\n# {heading}\n\nText"),
        new_code_cell("show()", outputs=[new_output("display_data", data={"text/html": "<h1>사례 <b>보고서</b></h1>"})]),
    ])
    if lang:
        nb.metadata["papermill"] = {"parameters": {"lang": lang}}
    before = json.dumps(nb, sort_keys=True)
    reports.export_html(nb, tmp_path / "page.html", brief=brief)
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="(\w+)"', page).group(1) == (lang or "en")
    assert re.search(r"<title>(.*?)</title>", page).group(1) == title
    shown = re.sub(r"<[^>]+>|¶", "", re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)[0])
    assert shown == (heading if "우리" in heading else title if not brief else "02 · 한일 비교")
    assert json.dumps(nb, sort_keys=True) == before  # the notebook given is not changed


@pytest.mark.parametrize("brief", [True, False])
def test_korean_pages_break_lines_between_words_not_inside_one(tmp_path, brief):
    # The exported Korean pages broke 스물여섯 ("twenty-six") after its first syllable: browsers break Hangul
    # anywhere unless told word-break: keep-all, which the brief's own stylesheet says and nbconvert's did not.
    import shutil
    import subprocess

    from nbformat.v4 import new_markdown_cell, new_notebook

    from krihs_analysis.pdf import find_chromium

    if find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium and poppler are installed by `make setup`")
    sentence = ("간명해는 관측되지 않은 조합을 단순화 가정으로 사용하고 중간해는 모든 조건이 도움이 된다는 방향 기대에 맞는 "
                "잔여만 사용합니다 사례가 스물여섯 개뿐이므로 해는 일반 법칙이 아니라 이 사례들에 대한 기술로 읽어야 "
                "합니다 ") * 3
    nb = new_notebook(cells=[new_markdown_cell(sentence)])
    nb.metadata["papermill"] = {"parameters": {"lang": "ko"}}
    words = set(sentence.split())
    reports.export_html(nb, tmp_path / "page.html", brief=brief)
    assert "word-break: keep-all" in (tmp_path / "page.html").read_text(encoding="utf-8")
    assert reports.export_pdf(nb, tmp_path / "page.pdf", brief=brief).startswith("pdf:")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "page.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [line.split() for line in text.splitlines() if line.strip()]
    printed = [w for line in lines for w in line if any("\uac00" <= ch <= "\ud7a3" for ch in w)]
    assert len(lines) > 3  # the sentence wrapped
    assert set(printed) <= words, sorted(set(printed) - words)
