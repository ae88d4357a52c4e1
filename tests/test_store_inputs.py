"""User mistakes in the report runner's run folders (store) and Papermill caller (worker): each is a ValueError
(or OutputError / LockHeld) saying what to change, raised before anything is deleted, written or run.

No test here starts a kernel: a kernel name that does not exist fails at once, before any kernel starts, and the
kernel of ``unlaunchable_kernel`` cannot even be launched.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

nbf = pytest.importorskip("nbformat")
pytest.importorskip("papermill")

from krihs_analysis import reports  # noqa: E402
from krihs_analysis.reports import LockHeld, OutputError  # noqa: E402
from krihs_analysis.reports.store import Lock, clean_partials, latest_run, list_runs, point_latest, prune  # noqa: E402
from krihs_analysis.reports.worker import execute_notebook, execute_run, export_html, export_pdf  # noqa: E402

RUNS = ["20260101T000000Z-00aa11bb", "20260102T000000Z-00aa11cc", "20260103T000000Z-00aa11dd",
        "20260104T000000Z-00aa11ee"]
NO_KERNEL = "krihs-no-such-kernel"


@pytest.fixture
def unlaunchable_kernel(tmp_path: Path, monkeypatch) -> str:
    """An installed kernel whose program is missing: its launch fails, a kernel start failure (retried)."""
    spec = tmp_path / "jupyter" / "kernels" / "krihs-unlaunchable"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(tmp_path / "no-such-python"), "{connection_file}"],
        "display_name": "unlaunchable", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return "krihs-unlaunchable"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A reports folder with four finished runs, ``latest`` on the newest."""
    r = tmp_path / "reports"
    for name in RUNS:
        (r / name).mkdir(parents=True)
        (r / name / "run.json").write_text(json.dumps({"status": "ok"}))
    os.symlink(RUNS[-1], r / "latest")
    return r


def _names(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def _notebook(path: Path) -> Path:
    nb = nbf.v4.new_notebook()
    nb.cells.append(nbf.v4.new_code_cell("x = 1"))
    nbf.write(nb, path)
    return path


# ---------------------------------------------------------------------------------------------------------------
# prune


@pytest.mark.parametrize("keep", [0, -1, True, False, 2.5, "2", None])
def test_prune_refuses_a_keep_that_is_not_a_whole_number_of_at_least_1_and_deletes_nothing(root, keep):
    before = _names(root)
    with pytest.raises(ValueError, match=r"keep must be a whole number of at least 1, got .*; pass e\.g\. keep=1"):
        prune(root, keep)
    assert _names(root) == before


def test_prune_takes_a_str_root_and_a_whole_float(root):
    assert prune(str(root), 2.0) == RUNS[:2]
    assert [p.name for p in list_runs(str(root))] == RUNS[2:]


# ---------------------------------------------------------------------------------------------------------------
# point_latest / latest_run


@pytest.mark.parametrize("run_id", ["nope", "../../etc", "/etc", "20990101T000000Z-00aa11bb", ".", "",
                                    f"{RUNS[0]}/..", "run.json"])
def test_point_latest_refuses_what_is_not_a_run_folder_of_root(root, run_id):
    with pytest.raises(ValueError, match=r"is not a run folder of .*a run id is the name of a folder directly "
                                         r"inside it, such as 20240101T000000Z-"):
        point_latest(root, run_id)
    assert os.readlink(root / "latest") == RUNS[-1]
    assert not (root / "LATEST").exists()


@pytest.mark.parametrize("run_id", [5, None, Path(RUNS[0])])
def test_point_latest_refuses_a_run_id_that_is_not_text(root, run_id):
    with pytest.raises(ValueError, match=r"run_id must be a string.*pass e\.g\. run_id="):
        point_latest(root, run_id)
    assert os.readlink(root / "latest") == RUNS[-1]


def test_point_latest_refuses_a_file_named_like_a_run(root):
    (root / "20260105T000000Z-00aa11ff").write_text("not a folder")
    with pytest.raises(ValueError, match="is not a run folder of"):
        point_latest(root, "20260105T000000Z-00aa11ff")


def test_point_latest_and_latest_run_take_str_roots(root):
    assert point_latest(str(root), RUNS[1]).endswith("latest")
    assert latest_run(str(root)) == root / RUNS[1]


@pytest.mark.parametrize("content", [b"", b"\n", b"  \n", b"..", b".", b"../x", b"nope\n", b"\xff\xfe\x00",
                                     b"20990101T000000Z-00aa11bb", b"/"])
def test_latest_run_of_an_empty_or_garbage_latest_file_is_none_never_the_root(tmp_path, content):
    (tmp_path / RUNS[0]).mkdir()
    (tmp_path / "LATEST").write_bytes(content)
    assert latest_run(tmp_path) is None


def test_latest_run_reads_a_latest_file_with_whitespace(tmp_path):
    (tmp_path / RUNS[0]).mkdir()
    (tmp_path / "LATEST").write_text(f"  {RUNS[0]}\n")
    assert latest_run(tmp_path) == tmp_path / RUNS[0]


@pytest.mark.parametrize("target", ["..", ".", "/", "../reports"])
def test_latest_run_of_a_symlink_out_of_the_run_folders_is_none(tmp_path, target):
    root = tmp_path / "reports"
    (root / RUNS[0]).mkdir(parents=True)
    os.symlink(target, root / "latest")
    assert latest_run(root) is None


def test_latest_run_accepts_an_absolute_symlink_to_a_run_of_root(root):
    (root / "latest").unlink()
    os.symlink(root / RUNS[1], root / "latest")
    assert latest_run(root) == root / RUNS[1]


@pytest.mark.parametrize("call", [
    lambda bad: list_runs(bad), lambda bad: latest_run(bad), lambda bad: prune(bad, 1),
    lambda bad: point_latest(bad, RUNS[0]), lambda bad: clean_partials(bad), lambda bad: Lock(bad),
], ids=["list_runs", "latest_run", "prune", "point_latest", "clean_partials", "Lock"])
@pytest.mark.parametrize("bad", [5, "", ["reports"]])
def test_store_functions_refuse_a_root_that_is_not_a_path(call, bad):
    with pytest.raises(ValueError, match=r"must be a path \(text or a pathlib\.Path\).*pass e\.g\."):
        call(bad)


# ---------------------------------------------------------------------------------------------------------------
# Lock


def test_with_lock_acquires_and_takes_a_str_root(tmp_path):
    with Lock(str(tmp_path)) as lock:
        assert lock.fh is not None
        with pytest.raises(LockHeld, match="another report run is in progress"):
            Lock(tmp_path).acquire()
    Lock(tmp_path).acquire().release()  # released at the end of the block


def test_with_lock_raises_lockheld_while_another_holds_it(tmp_path):
    holder = Lock(tmp_path).acquire(note="holder")
    entered = False
    try:
        with pytest.raises(LockHeld, match=r"another report run is in progress .*holder.*not starting a second"):
            with Lock(tmp_path):
                entered = True
    finally:
        holder.release()
    assert not entered


def test_acquire_then_with_keeps_the_one_lock_and_releases_it(tmp_path):
    lock = Lock(tmp_path)
    lock.acquire(note="starting")
    with lock:  # the run set's pattern: no second acquire (which would see its own lock held)
        assert "starting" in (tmp_path / ".lock").read_text()
    assert lock.fh is None
    Lock(tmp_path).acquire().release()


# ---------------------------------------------------------------------------------------------------------------
# execute_notebook


@pytest.mark.parametrize("change, message", [
    ({"retries": -1}, r"retries must be a whole number of at least 0, got -1"),
    ({"retries": "2"}, r"retries must be a whole number of at least 0, got '2'"),
    ({"retries": None}, r"retries must be a whole number of at least 0, got None"),
    ({"retries": 1.5}, r"retries must be a whole number of at least 0"),
    ({"retries": True}, r"retries must be a whole number of at least 0"),
    ({"timeout": 0}, r"timeout must be a whole number of at least 1, got 0; pass e\.g\. timeout=1"),
    ({"timeout": -5}, r"timeout must be a whole number of at least 1"),
    ({"timeout": 1.5}, r"timeout must be a whole number of at least 1, got 1\.5"),
    ({"timeout": "30"}, r"timeout must be a whole number of at least 1"),
    ({"timeout": float("inf")}, r"timeout must be a whole number of at least 1"),
    ({"start_timeout": 0}, r"start_timeout must be a whole number of at least 1"),
    ({"start_timeout": None}, r"start_timeout must be a whole number of at least 1"),
    ({"kernel": None}, r"kernel must be a string.*pass e\.g\. kernel='krihs-analysis'"),
    ({"kernel": ""}, r"kernel is empty; pass the name of an installed Jupyter kernel"),
    ({"parameters": [("x", 2)]}, r"parameters must be a mapping of parameter name to value"),
    ({"parameters": "x=2"}, r"parameters must be a mapping of parameter name to value"),
    ({"notebook": None}, r"notebook must be a path \(text or a pathlib\.Path\)"),
    ({"output": 5}, r"output must be a path \(text or a pathlib\.Path\)"),
    ({"cwd": 5}, r"cwd must be a path \(text or a pathlib\.Path\)"),
])
def test_execute_notebook_refuses_bad_arguments_before_running(tmp_path, change, message):
    out = tmp_path / "out.ipynb"
    args = {"notebook": _notebook(tmp_path / "nb.ipynb"), "output": out, "kernel": NO_KERNEL, "timeout": 30,
            "start_timeout": 20, "retries": 0, **change}
    with pytest.raises(ValueError, match=message):
        execute_notebook(args.pop("notebook"), args.pop("output"), **args)
    assert not out.exists()


def test_execute_notebook_takes_whole_float_timeouts(tmp_path, unlaunchable_kernel):
    """600.0 (as the config passes it) is a whole number; the kernel then fails as a kernel start, once."""
    error, attempts, _ = execute_notebook(_notebook(tmp_path / "nb.ipynb"), str(tmp_path / "out.ipynb"),
                                          kernel=unlaunchable_kernel, timeout=600.0, start_timeout=60.0, retries=0)
    assert error["kind"] == "kernel_start" and [a["status"] for a in attempts] == ["kernel_start"]


def test_execute_notebook_ignores_the_output_of_an_earlier_call(tmp_path, unlaunchable_kernel):
    """A stale output whose cells ran must not turn a kernel that cannot start into a cell error (no retry)."""
    out = tmp_path / "out.ipynb"
    stale = nbf.v4.new_notebook()
    cell = nbf.v4.new_code_cell("x = 1")
    cell.metadata["papermill"] = {"status": "completed", "start_time": "2026-01-01T00:00:00"}
    stale.cells.append(cell)
    nbf.write(stale, out)
    error, attempts, notes = execute_notebook(_notebook(tmp_path / "nb.ipynb"), out, kernel=unlaunchable_kernel,
                                              timeout=30, start_timeout=20, retries=1)
    assert error["kind"] == "kernel_start" and "kernel start" in error["message"]
    assert [a["status"] for a in attempts] == ["kernel_start"] * 2
    assert any("retrying (1 of 1)" in n for n in notes)


def test_execute_notebook_never_removes_the_notebook_itself(tmp_path):
    nb = _notebook(tmp_path / "nb.ipynb")
    text = nb.read_text()
    error, _, _ = execute_notebook(nb, nb, kernel=NO_KERNEL, timeout=30, start_timeout=20, retries=0)
    assert error is not None and nb.read_text() == text


# ---------------------------------------------------------------------------------------------------------------
# execute_run


def _task(tmp_path: Path, **change) -> dict:
    return {"name": "a", "entry": "a", "notebook": str(_notebook(tmp_path / "nb.ipynb")), "output": "a",
            "parameters": {}, "kernel": NO_KERNEL, "timeout": 30, "start_timeout": 20,
            "export": {"html": False, "brief_html": False}, "takes_out_dir": True, "run_dir": str(tmp_path / "run"),
            **change}


@pytest.mark.parametrize("task, message", [
    ({}, r"task lacks the key\(s\) name, entry, notebook, output, parameters, kernel, timeout, start_timeout, "
         r"export, run_dir; a run task has"),
    ({"name": "a", "notebook": "x.ipynb"}, r"task lacks the key\(s\) entry, output, .*run_dir; a run task has"),
    (None, r"task must be a dict describing one planned run"),
    ("task.json", r"task must be a dict describing one planned run"),
])
def test_execute_run_names_the_missing_keys(task, message):
    with pytest.raises(ValueError, match=message):
        execute_run(task)


@pytest.mark.parametrize("change, message", [
    ({"retries": -1}, r"task\['retries'\] must be a whole number of at least 0, got -1"),
    ({"retries": "2"}, r"task\['retries'\] must be a whole number of at least 0"),
    ({"timeout": 1.5}, r"task\['timeout'\] must be a whole number of at least 1, got 1\.5"),
    ({"start_timeout": "20"}, r"task\['start_timeout'\] must be a whole number of at least 1"),
    ({"parameters": None}, r"task\['parameters'\] must be a dict"),
    ({"export": None}, r"task\['export'\] must be a dict"),
    ({"output": None}, r"task\['output'\] must be a string"),
    ({"kernel": 5}, r"task\['kernel'\] must be a string.*pass e\.g\. 'kernel': 'krihs-analysis'"),
    ({"run_dir": None}, r"task\['run_dir'\] must be a path"),
])
def test_execute_run_refuses_a_bad_task_before_writing(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        execute_run(_task(tmp_path, **change))
    assert not (tmp_path / "run").exists()


# ---------------------------------------------------------------------------------------------------------------
# export_html / export_pdf


@pytest.mark.parametrize("export", [export_html, export_pdf], ids=["html", "pdf"])
@pytest.mark.parametrize("nb", ["run/x.ipynb", Path("run/x.ipynb"), {"cells": []}, None],
                         ids=["str", "Path", "dict", "None"])
def test_export_refuses_what_is_not_a_notebook_node(tmp_path, export, nb):
    out = tmp_path / "x.out"
    with pytest.raises(ValueError, match=r"nb must be a notebook node \(nbformat\.read\(path, as_version=4\)\)"):
        export(nb, out, brief=False)
    assert not out.exists()


@pytest.mark.parametrize("export", [export_html, export_pdf], ids=["html", "pdf"])
def test_export_to_a_folder_is_an_output_error_naming_it(tmp_path, export):
    nb = nbf.v4.new_notebook()
    with pytest.raises(OutputError, match=rf"cannot write {tmp_path}: it is a folder; give the path of the"):
        export(nb, tmp_path, brief=True)


@pytest.mark.parametrize("export", [export_html, export_pdf], ids=["html", "pdf"])
@pytest.mark.parametrize("change, message", [
    ({"brief": "yes"}, r"brief must be True or False, got 'yes'"),
    ({"path": None}, r"path must be a path \(text or a pathlib\.Path\)"),
])
def test_export_refuses_bad_arguments(tmp_path, export, change, message):
    args = {"path": tmp_path / "x.out", "brief": False, **change}
    with pytest.raises(ValueError, match=message):
        export(nbf.v4.new_notebook(), args.pop("path"), **args)


def test_export_html_takes_a_str_path(tmp_path):
    out = tmp_path / "x.html"
    export_html(nbf.v4.new_notebook(), str(out), brief=True)
    assert out.read_text().lstrip().lower().startswith("<!doctype html")


def test_reports_exports_are_the_checked_functions():
    assert reports.prune is prune and reports.execute_run is execute_run and reports.Lock is Lock
