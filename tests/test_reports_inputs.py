"""User mistakes in the report runner's inputs (load_config, plan_runs, run_reports, refresh_notebooks, the brief
rebuild): each raises ConfigError / ValueError / FileNotFoundError saying what to change, before anything runs.

No kernel starts here: every call fails in its checks, or is a dry run.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

nbf = pytest.importorskip("nbformat")

from krihs_analysis.cli import main  # noqa: E402
from krihs_analysis.reports import ConfigError, load_config, plan_runs, refresh_notebooks, run_reports  # noqa: E402
from krihs_analysis.reports.brief import rebuild, results_dir  # noqa: E402


def make_notebook(path: Path, params: str | None, *cells: str) -> Path:
    nb = nbf.v4.new_notebook()
    if params is not None:
        p = nbf.v4.new_code_cell(params)
        p.metadata["tags"] = ["parameters"]
        nb.cells.append(p)
    nb.cells.extend(nbf.v4.new_code_cell(c) for c in cells)
    nbf.write(nb, path)
    return path


CONFIG = """\
    version: 1
    runs:
      - name: alpha
        notebook: small.ipynb
      - name: beta
        notebook: small.ipynb
        output: beta_out
        matrix: {lang: [en, ko]}
"""


@pytest.fixture(scope="module")
def d(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("inputs")
    make_notebook(d / "small.ipynb", 'n = 3\nlang = "en"\nratio = 0.5\nout_dir = None', "print(n)")
    (d / "reports.yaml").write_text(textwrap.dedent(CONFIG), encoding="utf-8")
    return d


def write(d: Path, name: str, text: str) -> Path:
    p = d / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def one_run(d: Path, name: str, extra: str = "", defaults: str = "", notebook: str = "small.ipynb") -> Path:
    return write(d, name, f"version: 1\n{defaults}runs:\n  - name: a\n    notebook: {notebook}\n{extra}")


# ------------------------------------------------------------------------------------------------------------
# #1: valid JSON that is not a notebook


@pytest.mark.parametrize(("content", "fragment"), [
    ([1, 2], "the file holds a JSON list"),
    ({"cells": {"a": 1}}, "'cells' is a dict"),
    ({"metadata": {}}, "no 'cells' list"),
    ({"cells": [1, 2]}, "cell 0 is a int"),
    ({"cells": [], "metadata": []}, "'metadata' is a list"),
    ({"cells": [{"cell_type": "code", "metadata": [], "source": "n = 1"}]}, "metadata of cell 0"),
    ({"cells": [{"cell_type": "code", "metadata": {"tags": "parameters"}, "source": "n = 1"}]}, "tags of cell 0"),
    ({"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": 5}]}, "source of cell 0"),
])
def test_a_json_file_that_is_not_a_notebook_is_a_config_error(tmp_path, content, fragment):
    (tmp_path / "nb.ipynb").write_text(json.dumps(content), encoding="utf-8")
    p = one_run(tmp_path, "r.yaml", notebook="nb.ipynb")
    with pytest.raises(ConfigError, match="is not a Jupyter notebook") as err:
        load_config(p)
    msg = str(err.value)
    assert "runs[0] (a)" in msg and "nb.ipynb" in msg and fragment in msg
    assert "give the path of an .ipynb saved by Jupyter" in msg
    # the CLI: one message, usage exit
    assert main(["report", "--config", str(p), "--dry-run"]) == 2


# ------------------------------------------------------------------------------------------------------------
# #5, #27: keep and scheduler, checked before the dry-run return


@pytest.mark.parametrize("keep", [2.5, "2", 0, -1, True, float("nan"), [2]])
def test_run_reports_refuses_a_bad_keep_even_on_a_dry_run(d, tmp_path, keep):
    with pytest.raises(ConfigError, match="--keep must be a whole number of at least 1") as err:
        run_reports(d / "reports.yaml", keep=keep, out_dir=tmp_path / "r", dry_run=True, progress=False)
    assert "pass e.g. keep=10" in str(err.value)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("scheduler", [5, "", "  ", ["tcp://x:1"]])
def test_run_reports_refuses_a_scheduler_that_is_not_an_address(d, tmp_path, scheduler):
    with pytest.raises(ConfigError, match="scheduler must be the address of a running Dask scheduler"):
        run_reports(d / "reports.yaml", scheduler=scheduler, out_dir=tmp_path / "r", dry_run=True, progress=False)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("out_dir", [123, "", "  "])
def test_run_reports_refuses_an_out_dir_that_is_not_a_path(d, out_dir, capsys):
    with pytest.raises(ConfigError, match="out_dir must be a path.*pass e.g. out_dir='reports'"):
        run_reports(d / "reports.yaml", out_dir=out_dir, dry_run=True, progress=False)
    if isinstance(out_dir, str):  # the CLI: one line, usage exit
        assert main(["report", "--config", str(d / "reports.yaml"), "--out", out_dir, "--dry-run"]) == 2
        assert "out_dir must be a path" in capsys.readouterr().err


def test_a_whole_keep_still_plans(d):
    res = run_reports(d / "reports.yaml", keep=2.0, dry_run=True, progress=False)
    assert res.status == "dry_run" and [s.name for s in res.plan] == ["alpha", "beta-en", "beta-ko"]


# ------------------------------------------------------------------------------------------------------------
# #6: timeouts must be whole seconds


@pytest.mark.parametrize(("extra", "defaults", "fragment"), [
    ("    timeout: 1.5\n", "", "runs[0] (a): 'timeout' must be a positive number of seconds, a whole one"),
    ("    timeout: .inf\n", "", "'timeout' must be a positive number of seconds, a whole one"),
    ("    timeout: .nan\n", "", "'timeout' must be a positive number of seconds, a whole one"),
    ("    timeout: 0\n", "", "'timeout' must be a positive number of seconds, a whole one"),
    ("", "defaults: {start_timeout: 30.5}\n",
     "defaults: 'start_timeout' must be a positive number of seconds, a whole one"),
    ("", "defaults: {timeout: .inf}\n", "defaults: 'timeout' must be a positive number of seconds, a whole one"),
])
def test_a_timeout_that_is_not_whole_seconds_is_refused(tmp_path, d, extra, defaults, fragment):
    make_notebook(tmp_path / "small.ipynb", "n = 3")
    p = one_run(tmp_path, "r.yaml", extra, defaults)
    with pytest.raises(ConfigError, match="refused, not rounded") as err:
        load_config(p)
    assert fragment in str(err.value)


def test_a_whole_float_timeout_is_accepted(tmp_path):
    make_notebook(tmp_path / "small.ipynb", "n = 3")
    cfg = load_config(one_run(tmp_path, "r.yaml", "    timeout: 30.0\n", "defaults: {start_timeout: 20}\n"))
    assert cfg.runs[0].timeout == 30 and cfg.start_timeout == 20


@pytest.mark.parametrize("timeout", [1.5, float("inf"), float("nan"), 0, -5, "60", True])
def test_refresh_notebooks_refuses_a_timeout_that_is_not_whole_seconds(tmp_path, timeout):
    make_notebook(tmp_path / "a.ipynb", None, "print(1)")
    with pytest.raises(ConfigError, match="timeout must be a whole number of seconds per cell.*pass e.g. timeout="):
        refresh_notebooks(tmp_path, timeout=timeout, progress=False)


# ------------------------------------------------------------------------------------------------------------
# #9: data / parameters with a ReportConfig


@pytest.mark.parametrize("kwargs", [{"data": "/nope.csv"}, {"parameters": {"n": 7}},
                                    {"data": "/nope.csv", "parameters": {"zzz": 1}}])
def test_run_reports_refuses_overrides_it_cannot_apply_to_a_report_config(d, kwargs):
    cfg = load_config(d / "reports.yaml")
    with pytest.raises(ConfigError, match="apply only when config is a path.*pass them to load_config"):
        run_reports(cfg, dry_run=True, progress=False, **kwargs)


def test_run_reports_with_a_report_config_and_no_overrides_plans(d):
    cfg = load_config(d / "reports.yaml")
    assert run_reports(cfg, parameters={}, dry_run=True, progress=False).status == "dry_run"


# ------------------------------------------------------------------------------------------------------------
# #12, #13: refresh_notebooks' folder, only and config


def test_refresh_notebooks_refuses_a_missing_folder_a_file_and_an_empty_folder(tmp_path):
    nb = make_notebook(tmp_path / "a.ipynb", None, "print(1)")
    (tmp_path / "empty").mkdir()
    for where, fragment in [(tmp_path / "nope", "notebook folder not found"),
                            (nb, "notebook folder is a file, not a folder"),
                            (tmp_path / "empty", "no notebooks (*.ipynb) in")]:
        with pytest.raises(ConfigError, match="give the folder that holds") as err:
            refresh_notebooks(where, progress=False)
        assert fragment in str(err.value)


@pytest.mark.parametrize(("only", "fragment"), [
    (["zz"], "--only 'zz' matches no notebook"),
    ("ba", "--only 'ba' matches no notebook"),  # one string is one name, not the letters b and a
    (["ab", "zz*"], "--only 'zz*' matches no notebook"),
    ([None], "only must be one string or a list of strings"),
    (5, "only must be one string or a list of strings"),
])
def test_refresh_notebooks_refuses_an_only_that_matches_nothing(tmp_path, only, fragment):
    make_notebook(tmp_path / "ab.ipynb", None, "print(1)")
    with pytest.raises(ConfigError) as err:
        refresh_notebooks(tmp_path, only=only, progress=False)
    assert fragment in str(err.value)
    if "matches" in fragment:
        assert "(notebooks: ab;" in str(err.value) and "'b'" not in str(err.value)


@pytest.mark.parametrize("kernel", ["", 5])
def test_refresh_notebooks_refuses_a_bad_kernel(tmp_path, kernel):
    make_notebook(tmp_path / "a.ipynb", None, "print(1)")
    with pytest.raises(ConfigError, match="kernel must be the name of a Jupyter kernel"):
        refresh_notebooks(tmp_path, kernel=kernel, progress=False)


@pytest.mark.parametrize(("config", "fragment"), [("nope.yaml", "config file not found"),
                                                  (".", "config path is a directory")])
def test_refresh_notebooks_refuses_a_config_given_that_is_missing(tmp_path, config, fragment):
    make_notebook(tmp_path / "a.ipynb", None, "print(1)")
    with pytest.raises(ConfigError, match=fragment):
        refresh_notebooks(tmp_path, config=tmp_path / config, progress=False)


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--dir", "nope"], "notebook folder not found"),
    (["--dir", "."], "--only 'zz' matches no notebook"),
])
def test_the_cli_refresh_reports_a_bad_dir_or_only_as_a_usage_error(tmp_path, monkeypatch, capsys, argv, fragment):
    make_notebook(tmp_path / "a.ipynb", None, "print(1)")
    monkeypatch.chdir(tmp_path)
    extra = ["--only", "zz"] if argv[-1] == "." else []
    assert main(["refresh-notebooks", *argv, *extra, "--no-progress"]) == 2
    assert fragment in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------------------
# #15: plan_runs


def test_plan_runs_takes_one_string_as_one_name(d):
    cfg = load_config(d / "reports.yaml")
    assert [s.name for s in plan_runs(cfg, only="alpha")] == ["alpha"]
    assert [s.name for s in plan_runs(cfg, only="beta-*")] == ["beta-en", "beta-ko"]
    assert len(plan_runs(cfg, only=[])) == 3


def test_plan_runs_takes_only_by_name_and_by_position_for_one_more_release(d):
    cfg = load_config(d / "reports.yaml")
    with pytest.warns(FutureWarning, match=r"plan_runs\(\): pass only= by name"):
        assert [s.name for s in plan_runs(cfg, "alpha")] == ["alpha"]
    with pytest.raises(ValueError, match="got only= both by position and by name"):
        plan_runs(cfg, "alpha", only="beta-*")


@pytest.mark.parametrize(("config", "only", "fragment"), [
    ("PATH", None, "config must be a ReportConfig, got str; to plan a config file call plan_runs(load_config("),
    (None, None, "config must be a ReportConfig, got null; read one with load_config(path)"),
    ("CFG", [None], "only must be one string or a list of strings"),
    ("CFG", 5, "only must be one string or a list of strings, got 5; pass e.g. only="),
    ("CFG", "ab", "--only 'ab' matches no run"),
])
def test_plan_runs_refuses_what_is_not_a_config_or_a_list_of_names(d, config, only, fragment):
    config = {"PATH": str(d / "reports.yaml"), "CFG": load_config(d / "reports.yaml")}.get(config, config)
    with pytest.raises(ConfigError) as err:
        plan_runs(config, only=only)
    assert fragment in str(err.value)


# ------------------------------------------------------------------------------------------------------------
# #21, #22: load_config's arguments, and config parameters of the wrong type


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"text": 123}, "text must be a string or None, got 123 (int); pass e.g. load_config(text="),
    ({"path": 123}, "path must be a path (text or a pathlib.Path), got an int; pass e.g. load_config('reports.yaml')"),
    ({"path": ["reports.yaml"]}, "path must be a path"),
    ({"path": "REPORTS", "base_dir": 123}, "base_dir must be a path"),
    ({"path": "REPORTS", "data": 123}, "data must be a path (text or a pathlib.Path), got an int"),
    ({"path": "REPORTS", "parameters": "n"}, "parameters must be a mapping of name: value such as {'seed': 1}"),
    ({"path": "REPORTS", "parameters": [("n", 1)]}, "parameters must be a mapping of name: value"),
    ({"path": "REPORTS", "parameters": {1: 2}}, "-p 1: a parameter name must be a Python identifier"),
    ({"path": "REPORTS", "parameters": {"n": {1, 2}}}, "-p n: unsupported value type set"),
])
def test_load_config_refuses_arguments_of_the_wrong_type(d, kwargs, fragment):
    if kwargs.get("path") == "REPORTS":
        kwargs = {**kwargs, "path": d / "reports.yaml"}
    with pytest.raises(ConfigError) as err:
        load_config(**kwargs)
    assert fragment in str(err.value)


@pytest.mark.parametrize(("extra", "defaults", "fragment"), [
    ("    parameters: {n: abc}\n", "", "runs[0] (a): parameter n 'abc' is str, but small.ipynb declares n = 3 (int)"),
    ("    parameters: {n: 2.5}\n", "", "parameter n 2.5 is float, but small.ipynb declares n = 3 (int); give a int"),
    ("    parameters: {ratio: x}\n", "", "parameter ratio 'x' is str, but small.ipynb declares ratio = 0.5 (float)"),
    ("    matrix: {n: [1, abc]}\n", "", "matrix.n value 'abc' is str, but small.ipynb declares n = 3 (int)"),
    ("", "defaults: {parameters: {lang: 5}}\n", "parameter lang 5 is int, but small.ipynb declares lang = 'en' (str)"),
])
def test_config_parameters_must_fit_the_notebooks_defaults_as_p_values_must(tmp_path, extra, defaults, fragment):
    make_notebook(tmp_path / "small.ipynb", 'n = 3\nlang = "en"\nratio = 0.5')
    with pytest.raises(ConfigError) as err:
        load_config(one_run(tmp_path, "r.yaml", extra, defaults))
    assert fragment in str(err.value)


def test_config_parameters_of_the_right_type_and_a_p_value_that_replaces_a_bad_one_are_accepted(tmp_path):
    make_notebook(tmp_path / "small.ipynb", 'n = 3\nlang = "en"\nratio = 0.5\npair = (1, 2)\nopt = None')
    p = one_run(tmp_path, "r.yaml", "    parameters: {n: 4, ratio: 1, pair: [3, 4], opt: x, lang: ko}\n")
    assert load_config(p).runs[0].parameters == {"n": 4, "ratio": 1, "pair": [3, 4], "opt": "x", "lang": "ko"}
    p = one_run(tmp_path, "r2.yaml", "    parameters: {n: abc}\n")
    assert load_config(p, parameters={"n": 5}).runs[0].parameters == {"n": 5}


@pytest.mark.parametrize(("extra", "defaults", "overrides", "fragment"), [
    ("    parameters: {lang: fr}\n", "", None, "runs[0] (a): parameter lang 'fr' must be one of en, ko, ja"),
    ("    matrix: {lang: [en, kr]}\n", "", None, "matrix.lang value 'kr' must be one of en, ko, ja"),
    ("", "defaults: {parameters: {seed: -1}}\n", None, "parameter seed -1 must be a whole number of at least 0"),
    ("    parameters: {n_boot: -5}\n", "", None,
     "parameter n_boot -5 must be 0 (no interval) or a whole number of at least 99"),
    ("", "", {"n_permutations": 0}, "-p n_permutations 0 must be a whole number of at least 1"),
    ("", "", {"lang": "jp"}, "-p lang 'jp' must be one of en, ko, ja"),
])
def test_the_packages_own_parameters_are_checked_for_their_values_not_only_their_types(tmp_path, extra, defaults,
                                                                                       overrides, fragment):
    # seed=-1 or lang='fr' had the right type and failed only in the notebook's first analysis cell
    make_notebook(tmp_path / "small.ipynb", 'lang = "en"\nseed = 0\nn_boot = 999\nn_permutations = 999')
    with pytest.raises(ConfigError) as err:
        load_config(one_run(tmp_path, "r.yaml", extra, defaults), parameters=overrides)
    assert fragment in str(err.value)


# ------------------------------------------------------------------------------------------------------------
# #20, #13, #26: the brief rebuild


@pytest.fixture()
def run(tmp_path) -> Path:
    run = tmp_path / "20240101T000000Z-abcdef12"
    run.mkdir()
    return run


@pytest.mark.parametrize(("kwargs", "exc", "fragment"), [
    ({"langs": []}, ValueError, "langs is empty; give at least one, e.g. langs=['en', 'ko']"),
    ({"langs": "en"}, FileNotFoundError, "has no saved brief results for 'en'"),  # not the letters 'e', 'n'
    ({"langs": ["en", "xx"]}, ValueError, "unknown language 'xx': expected one of"),
    ({"langs": 5}, ValueError, "langs must be one string or a list of strings"),
    ({"langs": ["en"], "data_path": "/nope/cases.csv"}, FileNotFoundError, "case sheet not found: /nope/cases.csv"),
    ({"langs": ["en"], "data_path": "."}, FileNotFoundError, "is a folder; give the CSV/XLSX file"),
    ({"langs": ["en"], "data_path": 5}, ValueError, "data_path must be a path"),
    ({"langs": ["en"], "out_dir": 5}, ValueError, "out_dir must be a path"),
    ({"langs": ["en"], "config": "/nope/reports.yaml"}, ConfigError, "config file not found: /nope/reports.yaml"),
])
def test_rebuild_checks_its_arguments_before_running(run, kwargs, exc, fragment):
    if "config" in kwargs or "data_path" in kwargs and kwargs["data_path"] != 5:
        results_dir(run, "en").mkdir(parents=True)  # so that only the argument under test is wrong
    with pytest.raises(exc) as err:
        rebuild(run, **kwargs)
    assert fragment in str(err.value)
    assert not (run / "brief").exists()


def test_the_cli_brief_refuses_a_missing_case_sheet_before_running(run, capsys):
    for lang in ("en", "ko", "ja"):
        results_dir(run, lang).mkdir(parents=True)
    assert main(["brief", "--run", str(run), "--data", "/nope/cases.csv"]) == 2
    assert "case sheet not found: /nope/cases.csv" in capsys.readouterr().err
    assert not (run / "brief").exists()


@pytest.mark.parametrize(("args", "exc", "fragment"), [
    (("RUN", "xx"), ValueError, "unknown language 'xx': expected one of"),
    (("RUN", None), ValueError, "unknown language None"),
    ((5, "en"), ValueError, "run_dir must be a path"),
])
def test_results_dir_checks_the_language_and_the_run(run, args, exc, fragment):
    args = tuple(run if a == "RUN" else a for a in args)
    with pytest.raises(exc) as err:
        results_dir(*args)
    assert fragment in str(err.value)


def test_results_dir_takes_a_str_path(run):
    assert results_dir(str(run), "ko") == run / "figures" / "06_policy_brief_ko" / "results"


# ------------------------------------------------------------------------------------------------------------
# stop 23: what counts as a kernel start failure
#
# Papermill fails before any cell runs for more than a kernel that does not start: only a kernel start is worth a
# retry. What else fails there fails at once, with a kind saying what it is, before any kernel starts (so none
# starts here; the retried kernel start is tests/test_reports.py::test_kernel_start_failure_is_retried_once).

KERNELSPEC = {"name": "krihs-analysis", "display_name": "Python (krihs-analysis)", "language": "python"}


def _with_kernelspec(path: Path, kernelspec: dict) -> Path:
    nb = nbf.read(path, as_version=4)
    nb.metadata["kernelspec"] = kernelspec
    nbf.write(nb, path)
    return path


def _run_task(tmp_path: Path, notebook: Path, kernel: str = "krihs-analysis") -> dict:
    return {"name": "a", "entry": "a", "notebook": str(notebook), "output": "a", "parameters": {"n": 2},
            "kernel": kernel, "timeout": 30, "start_timeout": 20, "export": {"html": False, "brief_html": False},
            "takes_out_dir": False, "run_dir": str(tmp_path / "run")}


def _failed_at_once(rec: dict, kind: str) -> dict:
    """The record's error, after checking that the run failed with `kind` in one attempt and was not retried."""
    assert rec["status"] == "failed" and rec["error"]["kind"] == kind, rec["error"]
    assert [a["status"] for a in rec["attempts"]] == [kind] and rec["notes"] == []
    assert rec["outputs"] == []
    return rec["error"]


def test_a_notebook_naming_no_language_fails_at_once_as_parameters(tmp_path):
    """Papermill needs the notebook's language to write the parameters; without it no retry helps."""
    from krihs_analysis.reports import execute_run

    nb = make_notebook(tmp_path / "nolang.ipynb", "n = 1", "print(n)")  # no kernelspec, no language_info
    error = _failed_at_once(execute_run(_run_task(tmp_path, nb)), "parameters")
    assert error["message"].startswith("nolang.ipynb: cannot inject the parameters (n): its metadata names no "
                                       "language (kernelspec.language or language_info.name)")
    assert '"kernelspec": {"name": "krihs-analysis", "language": "python"' in error["message"]


def test_parameters_papermill_cannot_write_fail_at_once(tmp_path):
    """A language Papermill has no parameter translator for: the injection fails, and would on every retry."""
    from krihs_analysis.reports import execute_run

    nb = _with_kernelspec(make_notebook(tmp_path / "cobol.ipynb", "n = 1", "print(n)"),
                          {**KERNELSPEC, "language": "cobol"})
    error = _failed_at_once(execute_run(_run_task(tmp_path, nb)), "parameters")
    assert error["message"].startswith("cobol.ipynb: cannot inject the parameters (n): its metadata gives the "
                                       "language 'cobol', for which Papermill cannot write parameters")
    assert error["ename"] == "PapermillException"


@pytest.mark.parametrize(("kernel", "fragment"), [
    ("krihs-no-such-kernel", "Jupyter kernel 'krihs-no-such-kernel' is not installed on "),
    ("broken-spec", "the spec of Jupyter kernel 'broken-spec' cannot be read (JSONDecodeError: "),
], ids=["not-installed", "unreadable-spec"])
def test_a_kernel_that_is_not_installed_fails_at_once(tmp_path, monkeypatch, kernel, fragment):
    from krihs_analysis.reports import execute_run

    spec = tmp_path / "jupyter" / "kernels" / "broken-spec"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = _with_kernelspec(make_notebook(tmp_path / "small.ipynb", "n = 1", "print(n)"), KERNELSPEC)
    error = _failed_at_once(execute_run(_run_task(tmp_path, nb, kernel=kernel)), "kernel_spec")
    assert error["message"].startswith(f"small.ipynb: {fragment}") and "make setup" in error["message"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("{not json", "is not a valid Jupyter notebook (NotJSONError: Notebook does not appear to be JSON"),
    ('{"cells": "x", "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
     "is not a valid Jupyter notebook (ValidationError: "),
    (None, "cannot read {path}: No such file or directory; give the path of an existing notebook file"),
], ids=["not-json", "not-a-notebook", "missing"])
def test_a_notebook_that_cannot_be_read_fails_at_once(tmp_path, text, fragment):
    from krihs_analysis.reports import execute_run

    path = tmp_path / "broken.ipynb"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    error = _failed_at_once(execute_run(_run_task(tmp_path, path)), "notebook")
    assert error["message"].startswith("broken.ipynb: ") and fragment.format(path=path) in error["message"]


@pytest.mark.parametrize(("output", "fragment"), [
    ("missing/out.ipynb", "its folder {tmp}/missing does not exist (or is not a folder); create it first"),
    ("folder", "it is a folder; give the path of the .ipynb file to write"),
    ("out_{lang}.ipynb", "Papermill reads {{...}} in the path {tmp}/out_{{lang}}.ipynb as a parameter"),
], ids=["no-folder", "a-folder", "braces"])
def test_an_output_that_cannot_be_written_fails_before_the_notebook_runs(tmp_path, output, fragment):
    """Papermill writes the output after the last cell: found only then, it ran the notebook twice for nothing."""
    from krihs_analysis.reports import execute_notebook

    (tmp_path / "folder").mkdir()
    nb = _with_kernelspec(make_notebook(tmp_path / "small.ipynb", "n = 1", "print(n)"), KERNELSPEC)
    error, attempts, notes = execute_notebook(nb, tmp_path / output, parameters={"n": 2}, kernel="krihs-analysis",
                                              timeout=30, start_timeout=20)
    assert error["kind"] == "output" and [a["status"] for a in attempts] == ["output"] and notes == []
    assert error["message"].startswith("small.ipynb: ") and fragment.format(tmp=tmp_path) in error["message"]


def test_only_a_sheet_of_illustrative_cases_marks_a_run_illustrative(tmp_path):
    from krihs_analysis import paths
    from krihs_analysis.reports.runset import illustrative_inputs

    sample = paths.SAMPLE_CASES.read_text(encoding="utf-8")
    coded = tmp_path / "cases_coded.csv"
    coded.write_text(sample.replace(",illustrative,", ",coded,"), encoding="utf-8")
    broken = tmp_path / "cases_broken.csv"
    broken.write_text("case_id\n", encoding="utf-8")  # unreadable as cases: its runs report that themselves
    assert illustrative_inputs([str(paths.SAMPLE_CASES), str(coded), str(broken)]) == [str(paths.SAMPLE_CASES)]


# ------------------------------------------------------------------------------------------------------------
# A third sweep (every public function of reports and pdf, 13 wrong values per parameter): what it found. Each is
# refused before a kernel, a worker or Chromium starts, with a message that says what to pass.


def _task(d: Path, tmp: Path, **change) -> dict:
    return {"name": "a", "entry": "a", "notebook": str(d / "small.ipynb"), "output": "a", "parameters": {},
            "kernel": "krihs-analysis", "timeout": 60, "start_timeout": 60, "export": {"html": False},
            "run_dir": str(tmp), **change}


def _sweep_cases():
    import dataclasses

    import nbformat
    import pandas as pd

    from krihs_analysis import pdf
    from krihs_analysis.reports import execute_notebook, execute_run, export_html
    from krihs_analysis.reports.config import parse_parameter
    from krihs_analysis.reports.store import Lock, read_meta

    run = {"kernel": "krihs-analysis", "timeout": 60, "start_timeout": 60}

    def bad_cells(d, tmp):
        nb = nbformat.v4.new_notebook()
        nb.cells = [5]
        return export_html(nb, tmp / "x.html", brief=False)

    return {
        # (call, error, message fragment); each call gets the module's notebook folder d and a fresh tmp folder
        "run_reports dry_run='no'": (lambda d, t: run_reports(d / "reports.yaml", dry_run="no"), ConfigError,
                                     "dry_run must be True or False, got 'no'"),
        "run_reports force=''": (lambda d, t: run_reports(d / "reports.yaml", dry_run=True, force=""), ConfigError,
                                 "force must be True or False"),
        "run_reports progress=NA": (lambda d, t: run_reports(d / "reports.yaml", dry_run=True, progress=pd.NA),
                                    ConfigError, "progress must be True or False"),
        "run_reports stream=5": (lambda d, t: run_reports(d / "reports.yaml", dry_run=True, stream=5), ConfigError,
                                 "stream must be a text stream such as sys.stdout"),
        "run_reports out_dir=file": (lambda d, t: run_reports(d / "reports.yaml", dry_run=True,
                                                              out_dir=d / "reports.yaml"),
                                     ConfigError, "is a file; give the folder to write into"),
        "refresh progress='no'": (lambda d, t: refresh_notebooks(d, progress="no"), ConfigError,
                                  "progress must be True or False"),
        "refresh kernel not installed": (lambda d, t: refresh_notebooks(d, kernel="no-such-kernel", progress=False),
                                         ConfigError, "Jupyter kernel 'no-such-kernel' is not installed"),
        "load_config check_kernel='no'": (lambda d, t: load_config(d / "reports.yaml", check_kernel="no"),
                                          ConfigError, "check_kernel must be True or False"),
        "parse_parameter name None": (lambda d, t: parse_parameter(None, "3"), ConfigError,
                                      "a parameter name must be a Python identifier"),
        "parse_parameter value 5": (lambda d, t: parse_parameter("seed", 5), ConfigError,
                                    "the value is the text given on the command line"),
        "plan_runs runs=[5]": (lambda d, t: plan_runs(dataclasses.replace(load_config(d / "reports.yaml"), runs=[5])),
                               ConfigError, "config.runs must be the list of RunSpec"),
        "execute_notebook cwd missing": (lambda d, t: execute_notebook(d / "small.ipynb", t / "o.ipynb",
                                                                       cwd=t / "nope", **run),
                                         ValueError, "cwd must be an existing folder"),
        "execute_notebook parameters {5: 1}": (lambda d, t: execute_notebook(d / "small.ipynb", t / "o.ipynb",
                                                                             parameters={5: 1}, **run),
                                               ValueError, "5 is not a parameter name"),
        "execute_notebook parameters object": (lambda d, t: execute_notebook(d / "small.ipynb", t / "o.ipynb",
                                                                             parameters={"lang": object()}, **run),
                                               ValueError, r"parameters\['lang'\] must be a literal"),
        "execute_run kind NA": (lambda d, t: execute_run(_task(d, t, kind=pd.NA)), ValueError,
                                r"task\['kind'\] must be 'papermill'"),
        "execute_run cards_shard without keys": (lambda d, t: execute_run({"kind": "cards_shard"}), ValueError,
                                                 "a cards_shard task has"),
        "execute_run output outside": (lambda d, t: execute_run(_task(d, t, output="../../evil")), ValueError,
                                       "file name stem without '/'"),
        "execute_run export html='no'": (lambda d, t: execute_run(_task(d, t, export={"html": "no"})), ValueError,
                                         "export.html must be true or false"),
        "execute_run export pdf_source NA": (lambda d, t: execute_run(_task(d, t, export={"pdf_source": pd.NA})),
                                             ValueError, "export.pdf_source must be 'brief' or 'full'"),
        "execute_run takes_out_dir='no'": (lambda d, t: execute_run(_task(d, t, takes_out_dir="no")), ValueError,
                                           r"task\['takes_out_dir'\] must be True or False"),
        "export_html cells=[5]": (bad_cells, ValueError, "cell 0 is not a notebook cell"),
        "read_meta None": (lambda d, t: read_meta(None), ValueError, "run_dir must be a run folder"),
        "Lock note None": (lambda d, t: Lock(t).acquire(note=None), ValueError, "note must be text"),
        "running_texts None": (lambda d, t: pdf.running_texts(None), ValueError, "markup must be a string"),
        "band_templates header 5": (lambda d, t: pdf.band_templates(5, None), ValueError,
                                    "header must be a string or None"),
        "missing_glyphs text None": (lambda d, t: pdf.missing_glyphs(None, ("DejaVu Sans",)), ValueError,
                                     "text must be a string"),
        "glyph_box {}": (lambda d, t: pdf.glyph_box({}), ValueError, "word must be one word as word_boxes gives it"),
        "layout_problems banner 5": (lambda d, t: pdf.layout_problems(t / "x.pdf", banner=5), ValueError,
                                     "banner must be a string or None"),
        "print_pdf fit_figures=1": (lambda d, t: pdf.print_pdf("<p>x</p>", t / "x.pdf", fit_figures=1), ValueError,
                                    "fit_figures must be True, False or None, got 1"),
        "print_pdf pdf_path folder": (lambda d, t: pdf.print_pdf("<p>x</p>", t), ValueError,
                                      "is a folder; give the PDF file to write"),
    }


SWEEP = _sweep_cases()


@pytest.mark.parametrize("case", list(SWEEP))
def test_a_mistake_at_the_runner_or_the_printer_is_refused_before_anything_starts(d, tmp_path, case, monkeypatch):
    import logging

    from krihs_analysis import pdf
    from krihs_analysis.reports import pool, worker

    def started(*args, **kwargs):  # what the checks must come before
        raise AssertionError(f"{case}: work started before the mistake was refused")

    monkeypatch.setattr(worker, "_execute_once", started)
    monkeypatch.setattr(pool, "worker_pool", started)
    monkeypatch.setattr(pdf, "find_chromium", started)
    levels = {name: logging.getLogger(name).level for name in worker.NOISY_LOGGERS}
    call, error, fragment = SWEEP[case]
    with pytest.raises(error, match=fragment):
        call(d, tmp_path)
    assert not list(tmp_path.iterdir())  # nothing written
    assert {name: logging.getLogger(name).level for name in worker.NOISY_LOGGERS} == levels


def test_a_command_line_mistake_is_said_once_and_not_blamed_on_the_config_file(d, capsys):
    from krihs_analysis.cli import main

    cfg = str(d / "reports.yaml")
    # -p lang xx was listed once per run ("runs[0] (alpha): -p lang 'xx' ...", "runs[1] ...") under
    # "invalid report configuration reports.yaml", although the file is fine
    assert main(["report", "--config", cfg, "-p", "lang", "xx", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"krihs-analysis: invalid -p / --data for the report configuration {cfg}:")
    assert err.count("-p lang 'xx' must be one of en, ko, ja") == 1 and "runs[" not in err
    assert main(["report", "--config", cfg, "-p", "n", "x", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.count("-p n 'x' is str, but small.ipynb declare(s) n = 3 (int)") == 1
    # --only: nothing to run, with the nearest name
    assert main(["report", "--config", cfg, "--only", "alpah", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"krihs-analysis: nothing to run in {cfg}:")
    assert "--only 'alpah' matches no run; did you mean 'alpha'?" in err
    # a mistake in the file is still the file's
    bad = write(d, "bad_timeout.yaml", "runs:\n  - {name: a, notebook: small.ipynb, timeout: soon}\n")
    assert main(["report", "--config", str(bad), "--dry-run"]) == 2
    assert capsys.readouterr().err.startswith(f"krihs-analysis: invalid report configuration {bad}:")


def test_a_rebuilt_brief_reads_the_case_sheet_the_run_used(tmp_path, monkeypatch):
    # `krihs-analysis brief --run R` of a `report --data sheet.xlsx` run drew the sample's cases beside the coded
    # run's statistics and stamped every page "illustrative": --data defaulted to the sample, not to the run's sheet.
    import json

    from krihs_analysis import paths
    from krihs_analysis.reports import brief, worker

    sheet = tmp_path / "coded.csv"
    sheet.write_bytes(paths.SAMPLE_CASES.read_bytes())
    run = tmp_path / "20260101T000000Z-abcdef12"
    (run / "figures" / "06_policy_brief_en" / "results").mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"runs": [
        {"output": "06_policy_brief_en", "parameters": {"data_path": str(sheet), "lang": "en"}},
        {"output": "01_case_data_overview_en", "parameters": {"data_path": None}}]}), encoding="utf-8")
    seen = []

    class Stop(Exception):
        pass

    def execute(notebook, output, *, parameters, **kwargs):
        seen.append(parameters["data_path"])
        raise Stop

    monkeypatch.setattr(worker, "execute_notebook", execute)
    with pytest.raises(Stop):
        brief.rebuild(run, langs=["en"], out_dir=tmp_path / "out")
    assert seen == [str(sheet)]
    other = tmp_path / "other.csv"
    other.write_bytes(sheet.read_bytes())
    with pytest.raises(Stop):  # a sheet given is the one read
        brief.rebuild(run, langs=["en"], out_dir=tmp_path / "out", data_path=other)
    assert seen[-1] == str(other.resolve())
    sheet.unlink()  # the run's sheet is gone: said before anything runs, with where the path came from
    with pytest.raises(FileNotFoundError, match=f"case sheet not found: {sheet} .*run.json.*--data"):
        brief.rebuild(run, langs=["en"], out_dir=tmp_path / "out")
    # a run on the sample given as an empty data_path (-p data_path=) rebuilds on the sample
    (run / "run.json").write_text(json.dumps({"runs": [
        {"output": "06_policy_brief_en", "parameters": {"data_path": "", "lang": "en"}}]}), encoding="utf-8")
    with pytest.raises(Stop):
        brief.rebuild(run, langs=["en"], out_dir=tmp_path / "out")
    assert seen[-1] is None


def test_an_in_process_dask_cluster_address_is_accepted(d, tmp_path):
    # LocalCluster(processes=False) has an inproc:// address, with no host:port; the address check refused it
    pytest.importorskip("distributed")
    res = run_reports(d / "reports.yaml", scheduler="inproc://192.0.2.2/18070/1", out_dir=tmp_path / "r",
                      dry_run=True, progress=False)
    assert res.status == "dry_run" and res.plan


def test_a_config_given_as_text_is_not_named_none_in_a_message():
    from krihs_analysis.paths import ROOT

    text = (ROOT / "reports.yaml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(text=text, base_dir=ROOT, parameters={"lang": "fr"}, check_kernel=False)
    assert str(info.value).splitlines()[0] == "invalid -p / --data for the report configuration:"  # was "... None:"


def test_the_report_set_gives_every_reader_language_its_case_cards_and_brief():
    # The Japanese front page linked only to the English and Korean cards: the set ran no Japanese cards
    from krihs_analysis import paths
    from krihs_analysis.codebook import LANGS

    names = {s.name for s in plan_runs(load_config(paths.ROOT / "reports.yaml"))}
    assert {f"case-card-{lang}" for lang in LANGS} <= names
    assert {f"policy-brief-{lang}" for lang in LANGS} <= names
