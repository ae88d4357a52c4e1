"""Command-line subcommands beyond validate/build/template (those are in test_data.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from krihs_analysis.cli import build_parser, main
from krihs_analysis.figures import CATALOGUE

DATA = Path(__file__).parent / "data"


def test_agreement_reports_alpha_and_lists_each_disagreement(capsys):
    code = main(["agreement", str(DATA / "coder_a.csv"), str(DATA / "coder_b.csv"),
                 "--variables", "integration", "leadership", "resident_org", "sustainability"])
    assert code == 0
    out = capsys.readouterr().out
    # By hand (Krippendorff 2011, coincidence matrix): integration codes A = 1,2,3,3 and B = 2,2,3,3 give
    # n = (1, 3, 4), off-diagonal coincidences 2, so alpha_nominal = 1 - 7 * 2 / (64 - 26) = 0.632.
    line = next(l for l in out.splitlines() if l.startswith("integration "))
    assert line.split()[1] == "0.632"
    assert "Disagreements: 3" in out
    assert "JP-02 resident_org        3        1" in out


def test_agreement_needs_two_sheets(capsys):
    assert main(["agreement", str(DATA / "coder_a.csv")]) == 2  # a usage mistake, as in every command (was 1)
    assert "at least two" in capsys.readouterr().err


def test_agreement_names_the_coded_variable_a_typo_meant_and_exits_2(capsys):
    argv = ["agreement", str(DATA / "coder_a.csv"), str(DATA / "coder_b.csv"), "--variables", "gov_rol"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "'gov_rol' is not a variable of the codebook (codebook.yaml); did you mean 'gov_role'? --variables takes the coded variables: community_sense" in err
    assert "case_id" not in err and "notes" not in err  # only the names --variables takes are offered


def test_agreement_on_an_invalid_sheet_prints_the_problem_table(capsys):
    assert main(["agreement", str(DATA / "coder_a.csv"), str(DATA / "bad_code.csv")]) == 1
    assert "bad_code.csv" in capsys.readouterr().err


def test_unknown_subcommand_exits_2():
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_figures_command_writes_seven_figures_in_three_languages_and_formats_without_missing_glyphs(tmp_path):
    # The "done when": `krihs-analysis figures --lang all --out DIR`, with any matplotlib warning
    # (a missing glyph among them) turned into a failure.
    import json
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["figures", "--lang", "all", "--out", str(tmp_path), "--dpi", "60", "--n-boot", "499"]) == 0
    manifest = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))["figures"]
    assert len(manifest) == len(CATALOGUE) * 3  # issue 15 adds fiscal_context
    for name, entry in manifest.items():
        assert set(entry["files"]) == {"png", "svg", "pdf"}
        assert all((tmp_path / f).stat().st_size > 0 for f in entry["files"].values())
        assert entry["alt_text"], name


@pytest.mark.parametrize("argv, dest", [
    (["report", "--only", "a", "--only", "b", "c"], "only"),
    (["refresh-notebooks", "--only", "a", "--only", "b", "c"], "only"),
    (["agreement", "x.csv", "y.csv", "--variables", "a", "--variables", "b", "c"], "variables"),
])
def test_a_list_option_given_twice_keeps_every_name(argv, dest):
    # `--only a --only b c` ran only b and c: argparse's nargs="+" replaces, "extend" adds
    assert getattr(build_parser().parse_args(argv), dest) == ["a", "b", "c"]


def test_the_top_level_help_gives_each_commands_own_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "exit codes of report: 0 every run succeeded" in out
    assert "exit codes of refresh-notebooks: 0 every notebook was refreshed" in out


def test_refresh_notebooks_help_lists_its_own_exit_codes(capsys):
    # it showed the report's list: "0 every run succeeded (or --dry-run)", a lock and a scheduler it does not have
    with pytest.raises(SystemExit):
        main(["refresh-notebooks", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "0 every notebook was refreshed" in out and "1 a notebook failed (it is left unchanged" in out
    assert "--dry-run" not in out and "scheduler" not in out and "lock" not in out


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"]])
def test_help_lists_the_report_exit_codes(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for line in ("0 every run succeeded", "1 a notebook failed", "2 usage, configuration, input sheet or output",
                 "3 another report run holds the lock", "4 the Dask scheduler cannot be reached"):
        assert line in out


def test_report_options_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    for opt in ("--data SHEET", "-p NAME VALUE", "--force", "--keep N", "--scheduler ADDRESS"):
        assert opt in out


def test_report_rejects_a_keep_below_one_before_running(capsys, tmp_path):
    assert main(["report", "--keep", "0", "--out", str(tmp_path / "r")]) == 2
    assert "--keep must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("command", ["report", "refresh-notebooks"])
def test_a_jobs_below_one_is_a_usage_error_not_a_silent_single_worker(capsys, tmp_path, command):
    # refresh-notebooks used to turn --jobs 0 into one worker without a word.
    extra = ["--out", str(tmp_path / "r")] if command == "report" else ["--dir", str(tmp_path)]
    assert main([command, "--jobs", "0", *extra]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2", None])
def test_the_library_refuses_a_jobs_that_is_not_a_whole_number_of_at_least_one(tmp_path, jobs):
    from krihs_analysis.reports import refresh_notebooks, run_reports
    from krihs_analysis.reports.pool import worker_pool

    for call in (lambda: run_reports(out_dir=tmp_path / "r", jobs=jobs, progress=False),
                 lambda: refresh_notebooks(tmp_path, jobs=jobs, progress=False),
                 lambda: worker_pool(jobs, tasks=3)):
        with pytest.raises(ValueError, match="jobs must be a whole number of at least 1"):
            call()
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["--dpi", "0"], "--dpi must be above 0 and at most 2400 (e.g. --dpi 300), got 0"),
    (["--dpi", "1e9"], "--dpi must be above 0 and at most 2400 (e.g. --dpi 300), got 1e+09"),
    (["--dpi", "inf"], "got inf"),
    (["--n-boot", "-1"], "--n-boot must be at least 0, got -1"),
    (["--n-permutations", "0"], "--n-permutations must be at least 1 (e.g. --n-permutations 9999), got 0"),
    (["--out", "<file>"], "is a file; give the folder to write into"),
])
def test_figures_options_are_usage_errors_in_the_clis_words(capsys, tmp_path, argv, message):
    # They used to be blamed on the data ("cannot draw the figures from cases_sample.csv: dpi must be ...", exit 1).
    afile = tmp_path / "afile.txt"
    afile.write_text("keep me", encoding="utf-8")
    argv = [str(afile) if a == "<file>" else a for a in argv]
    assert main(["figures", "--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "cases_sample" not in err
    assert afile.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(("argv", "message"), [
    (["validate", "<sample>", "--sheet", "cases"], "sheet='cases' applies to XLSX workbooks only"),
    (["template", "<folder>/x.xlsx"], "x.xlsx: it is a folder"),
    (["agreement", "<sample>", "<sample>"], "the same sheet is given twice"),
    (["report", "--out", "<file>", "--dry-run"], "is a file; give the folder to write into"),
    (["build", "--out", "<file>"], "is a file; give the folder to write into"),
])
def test_a_mistake_on_the_command_line_is_one_line_never_a_traceback(capsys, tmp_path, argv, message):
    # validate --sheet on a CSV and template into a folder printed Python tracebacks; agreement of one sheet twice
    # asked for coder names the CLI has no option for; --out naming a file said "[Errno 17] File exists".
    from krihs_analysis import paths

    afile = tmp_path / "afile.txt"
    afile.write_text("keep me", encoding="utf-8")
    (tmp_path / "x.xlsx").mkdir()
    subs = {"<sample>": str(paths.SAMPLE_CASES), "<file>": str(afile)}
    argv = [subs.get(a, a.replace("<folder>", str(tmp_path))) for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (1, 2) and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert afile.read_text(encoding="utf-8") == "keep me"


def test_figures_passes_its_seed_and_draws_to_the_catalogue(monkeypatch, tmp_path):
    import krihs_analysis.figures as figures

    seen = {}

    def spy(cases, **kwargs):
        seen.update(kwargs)
        return {"figures": {}}

    monkeypatch.setattr(figures, "write_catalogue", spy)
    argv = ["figures", "--lang", "ko", "--out", str(tmp_path), "--seed", "7", "--n-boot", "123",
            "--n-permutations", "456"]
    assert main(argv) == 0
    assert {k: seen[k] for k in ("seed", "n_boot", "n_permutations")} == {"seed": 7, "n_boot": 123,
                                                                         "n_permutations": 456}
    assert seen["langs"] == ("ko",)
