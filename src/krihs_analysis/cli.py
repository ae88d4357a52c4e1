"""The ``krihs-analysis`` command line.

Exit codes: 0 success; 1 invalid data or a failed notebook (the problem is printed, no traceback); 2 a file
that is missing or unreadable, bad arguments, an invalid report configuration or input sheet, or an output folder
that cannot be written; 3 another report run holds the lock; 4 the Dask scheduler cannot be reached;
130 interrupted.

Examples
--------
>>> from krihs_analysis.cli import main
>>> from krihs_analysis import paths
>>> main(["validate", str(paths.SAMPLE_CASES)])
cases_sample.csv: valid, 26 cases (KR 14, JP 12); read as utf-8; ILLUSTRATIVE data
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .codebook import LANGS

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_LOCKED, EXIT_SCHEDULER, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
#: The largest --dpi of `figures` (a print at 1200 dpi is already four times what a brief needs; far larger values
#: ask matplotlib for an image it cannot allocate).
MAX_DPI = 2400
#: ``krihs-analysis report`` / ``refresh-notebooks`` / ``brief``: what each exit code means.
REPORT_EXIT_CODES = {"ok": 0, "failed": 1, "usage": 2, "lock_held": 3, "scheduler": 4, "interrupted": 130}
REPORT_EXIT_HELP = """exit codes:
  0  every run succeeded (or --dry-run)
  1  a notebook failed (the others finished; the failing cell is printed and kept in run.json)
  2  usage, configuration, input sheet or output folder problem (nothing ran, or nothing was kept)
  3  another report run holds the lock
  4  the Dask scheduler cannot be reached
  130 interrupted"""
#: ``refresh-notebooks`` has no dry run, lock or scheduler: its own list.
REFRESH_EXIT_HELP = """exit codes:
  0  every notebook was refreshed
  1  a notebook failed (it is left unchanged; the others were refreshed)
  2  usage or configuration problem (nothing ran)
  130 interrupted (notebooks not yet refreshed are left unchanged)"""


def _err(msg: str) -> None:
    print(f"krihs-analysis: {msg}", file=sys.stderr)


def _out_is_a_file(out: str | None) -> bool:
    """Say so (one line) when an --out folder names an existing file; the command then exits 2 (usage)."""
    if out and Path(out).exists() and not Path(out).is_dir():
        _err(f"--out {out} is a file; give the folder to write into")
        return True
    return False


def _cmd_validate(args: argparse.Namespace) -> int:
    from .data import CaseDataError, is_illustrative, read_cases

    try:
        cases = read_cases(args.path, sheet=args.sheet)
    except CaseDataError as err:
        return _sheet_problems(err)
    except OSError as err:
        _err(f"cannot read {args.path}: {err.strerror or err}")
        return EXIT_UNREADABLE
    except ValueError as err:  # an option that does not apply (--sheet on a CSV)
        _err(str(err))
        return EXIT_UNREADABLE
    by_country = cases.groupby("country", observed=True).size()
    counts = ", ".join(f"{k} {v}" for k, v in by_country.items())
    enc = cases.attrs["encoding"] or f"xlsx sheet {cases.attrs['sheet']!r}"
    flag = "; ILLUSTRATIVE data" if is_illustrative(cases) else ""
    print(f"{Path(args.path).name}: valid, {len(cases)} cases ({counts}); read as {enc}{flag}")
    return EXIT_OK


def _sheet_problems(err) -> int:
    """Print a sheet's table of problems; exit 2 when no file could be read as a sheet at all, else 1."""
    print(err, file=sys.stderr)
    return EXIT_UNREADABLE if err.unreadable else EXIT_INVALID


def _cmd_build(args: argparse.Namespace) -> int:
    from .data import CaseDataError, build

    if _out_is_a_file(args.out):
        return EXIT_UNREADABLE
    try:
        manifest = build(args.raw or None, out_dir=args.out)
    except CaseDataError as err:
        code = _sheet_problems(err)
        _err("nothing was written")
        return code
    except OSError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    from . import paths

    out = Path(args.out) if args.out else paths.DATA_PROCESSED
    files = ", ".join(i["file"] for i in manifest["inputs"])
    flag = "; ILLUSTRATIVE data" if manifest["illustrative"] else ""
    print(f"built {out / 'cases.parquet'}: {manifest['rows']} cases from {files} "
          f"(codebook {manifest['codebook_version']}){flag}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from .template import write_template

    try:
        path = write_template(args.path, lang=args.lang)
    except ValueError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    except OSError as err:
        why = "it is a folder" if isinstance(err, IsADirectoryError) else (err.strerror or str(err))
        _err(f"cannot write {args.path}: {why}")
        return EXIT_UNREADABLE
    print(f"wrote coding sheet {path} ({args.lang})")
    return EXIT_OK


def _cmd_agreement(args: argparse.Namespace) -> int:
    from .codebook import check_variables
    from .data import CaseDataError
    from .reliability import agreement_report

    # Usage mistakes are exit 2, as in every other command, before any sheet is read.
    if len(args.paths) < 2:
        _err(f"agreement compares coders: give at least two case sheets, got {len(args.paths)}")
        return EXIT_UNREADABLE
    if args.variables:
        try:
            check_variables(args.variables, coded=True, name="--variables")
        except ValueError as err:
            _err(str(err))
            return EXIT_UNREADABLE
    try:
        print(agreement_report(args.paths, variables=args.variables))
    except CaseDataError as err:
        return _sheet_problems(err)
    except OSError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    except ValueError as err:
        _err(str(err))
        return EXIT_INVALID
    return EXIT_OK


def _cmd_figures(args: argparse.Namespace) -> int:
    from .data import CaseDataError, read_cases
    from .figures import write_catalogue
    from . import paths

    langs = LANGS if args.lang == "all" else (args.lang,)
    out = Path(args.out) if args.out else paths.REPORTS / "figures"
    # Options are usage errors (exit 2, like argparse's), said in the CLI's words, before the data are read.
    if _out_is_a_file(args.out):
        return EXIT_UNREADABLE
    for bad, message in ((not 0 < args.dpi <= MAX_DPI, f"--dpi must be above 0 and at most {MAX_DPI} (e.g. --dpi 300), "
                                                       f"got {args.dpi:g}"),
                         (args.n_boot < 0, f"--n-boot must be at least 0, got {args.n_boot}"),
                         (args.n_permutations < 1, "--n-permutations must be at least 1 (e.g. --n-permutations 9999), "
                                                   f"got {args.n_permutations}")):
        if bad:
            _err(message)
            return EXIT_UNREADABLE
    try:
        cases = read_cases(args.data)
    except CaseDataError as err:
        return _sheet_problems(err)
    except OSError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    try:
        manifest = write_catalogue(cases, langs=langs, out_dir=out, dpi=args.dpi, seed=args.seed, n_boot=args.n_boot,
                                   n_permutations=args.n_permutations)
    except ValueError as err:  # data the analyses cannot use (e.g. no Japanese cases)
        _err(f"cannot draw the figures from {cases.attrs['source']}: {err}")
        return EXIT_INVALID
    print(f"wrote {len(manifest['figures'])} figures to {out}")
    return EXIT_OK


def _cmd_brief(args: argparse.Namespace) -> int:
    from .reports.brief import BriefFailed, rebuild
    from .reports import ConfigError

    langs = LANGS if args.lang == "all" else (args.lang,)
    try:
        written = rebuild(args.run, langs=langs, out_dir=args.out, data_path=args.data)
    except FileNotFoundError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    except (ConfigError, ValueError) as err:
        _err(str(err))
        return EXIT_UNREADABLE
    except BriefFailed as err:
        _err(f"{err}; the previous brief was left in place")
        return EXIT_INVALID
    except OSError as err:
        _err(f"cannot write the brief: {err.strerror or err}; the previous brief was left in place")
        return EXIT_UNREADABLE
    for path in written:
        print(path)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------------------
# report / refresh-notebooks


def _add_report_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default=None, help="report configuration (default: reports.yaml at the root)")
    p.add_argument("--only", nargs="+", action="extend", default=None, metavar="NAME",
                   help="run only these entries / run names / shell patterns")
    p.add_argument("--data", default=None, metavar="SHEET",
                   help="run the set on this case sheet (CSV/XLSX; every notebook that declares data_path)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set a notebook parameter, typed as papermill does (True/False, None, numbers, text); "
                        "repeatable; applied where a notebook declares NAME")
    p.add_argument("--jobs", type=int, default=2, help="local worker processes (default 2)")
    p.add_argument("--out", default=None, metavar="DIR", help="reports folder (default: reports/)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler address (tcp://HOST:PORT); default: local processes")
    p.add_argument("--force", action="store_true", help="execute every run; reuse nothing from earlier runs")
    p.add_argument("--keep", type=int, default=None, metavar="N",
                   help="after a successful run keep only the newest N run folders (default: keep: in the config)")
    p.add_argument("--dry-run", action="store_true", help="validate and print the planned runs only")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _print_plan(specs, stream) -> None:
    import json

    from . import paths

    print(f"{len(specs)} planned run(s):", file=stream)
    for s in specs:
        params = json.dumps(s.parameters, ensure_ascii=False)
        try:
            nb = s.notebook.relative_to(paths.ROOT)
        except ValueError:
            nb = s.notebook
        extra = " +out_dir" if s.takes_out_dir else ""
        extra += f" ({len(s.cases)} cards)" if s.kind == "cards" else ""
        pdf = " +pdf" if s.export.get("pdf") else ""
        print(f"  {s.name}: {nb} {params}{extra} -> {s.output}{pdf}", file=stream)


def _cmd_report(args: argparse.Namespace) -> int:
    from .data import CaseDataError
    from .reports import ConfigError, LockHeld, OutputError, SchedulerError, parse_parameter, run_reports

    if args.jobs < 1:
        _err("--jobs must be at least 1")
        return REPORT_EXIT_CODES["usage"]
    if args.keep is not None and args.keep < 1:
        _err("--keep must be at least 1")
        return REPORT_EXIT_CODES["usage"]
    if _out_is_a_file(args.out):
        return REPORT_EXIT_CODES["usage"]
    try:
        overrides = dict(parse_parameter(n, v) for n, v in args.parameter)
        result = run_reports(args.config, only=args.only, jobs=args.jobs, out_dir=args.out, scheduler=args.scheduler,
                             dry_run=args.dry_run, force=args.force, keep=args.keep, data=args.data,
                             parameters=overrides, progress=not args.no_progress, stream=sys.stdout)
    except CaseDataError as err:
        print(err, file=sys.stderr)
        _err("the case sheet has problems; nothing ran")
        return REPORT_EXIT_CODES["usage"]
    except ConfigError as err:
        _err(str(err))
        return REPORT_EXIT_CODES["usage"]
    except OutputError as err:
        _err(str(err))
        return REPORT_EXIT_CODES["usage"]
    except LockHeld as err:
        _err(str(err))
        return REPORT_EXIT_CODES["lock_held"]
    except SchedulerError as err:
        _err(" ".join(str(err).split()))
        return REPORT_EXIT_CODES["scheduler"]
    except KeyboardInterrupt:
        _err("interrupted: the partial run is removed by the next run; latest unchanged")
        return REPORT_EXIT_CODES["interrupted"]
    if result.status == "dry_run":
        _print_plan(result.plan, sys.stdout)
        print("dry run: nothing executed")
        return REPORT_EXIT_CODES["ok"]
    n, reused = len(result.results), len(result.reused)
    if result.failed:
        print(f"report run {result.run_id}: {len(result.failed)} of {n} run(s) FAILED -> {result.run_dir}")
        for r in result.failed:
            err = r.get("error") or {}
            kept = next((o for o in r.get("outputs", []) if o.endswith(".ipynb")), None)
            print(f"  FAILED {r['name']}: {err.get('message', 'unknown error')}"
                  + (f" (executed notebook kept: {result.run_dir / kept})" if kept else ""))
        print(f"  {result.run_dir.parent / 'latest'} not moved")
        return REPORT_EXIT_CODES["failed"]
    moved = (f"{result.latest} updated" if result.latest else
             f"{result.run_dir.parent / 'latest'} not moved: --only ran part of the report set")
    print(f"report run {result.run_id}: {n} run(s) ok ({reused} reused) in {result.duration_s:.1f} s -> "
          f"{result.run_dir} ({moved}; front page {result.run_dir / 'index.html'})")
    if result.removed:
        print(f"retention: removed {len(result.removed)} old run folder(s): {', '.join(result.removed)}")
    return REPORT_EXIT_CODES["ok"]


def _cmd_refresh(args: argparse.Namespace) -> int:
    from .reports import ConfigError, refresh_notebooks

    if args.jobs < 1:
        _err("--jobs must be at least 1")
        return REPORT_EXIT_CODES["usage"]
    try:
        records = refresh_notebooks(args.dir, only=args.only, jobs=args.jobs, config=args.config,
                                    progress=not args.no_progress)
    except ConfigError as err:
        _err(str(err))
        return REPORT_EXIT_CODES["usage"]
    except KeyboardInterrupt:
        _err("interrupted: notebooks not yet refreshed were left unchanged")
        return REPORT_EXIT_CODES["interrupted"]
    failed = [r for r in records if r["status"] != "ok"]
    for r in failed:
        print(f"FAILED {r['error']} (notebook left unchanged)")
    print(f"refreshed {len(records) - len(failed)} of {len(records)} notebook(s)")
    return REPORT_EXIT_CODES["failed"] if failed else REPORT_EXIT_CODES["ok"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="krihs-analysis",
        description="Coded community-building case sheets -> validated data, comparisons, QCA, figures, reports.",
        epilog=(REPORT_EXIT_HELP.replace("exit codes:", "exit codes of report:") + "\n\n"
                + REFRESH_EXIT_HELP.replace("exit codes:", "exit codes of refresh-notebooks:")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a case sheet (CSV or XLSX) against the codebook")
    p.add_argument("path")
    p.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("build", help="raw sheet(s) -> data/processed/cases.parquet + manifest.json")
    p.add_argument("--raw", action="append", help="a case sheet or a folder of them (repeatable; default: the sample)")
    p.add_argument("--out", default=None, help="output folder (default: data/processed)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("template", help="write an Excel coding sheet generated from the codebook")
    p.add_argument("path", help="the .xlsx file to write (its folder is created when missing)")
    p.add_argument("--lang", choices=LANGS, default="ko",
                   help="language of the sheet's headers, instructions and code labels (default: ko, the coders')")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("agreement", help="inter-coder agreement between sheets coding the same cases")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--variables", nargs="+", action="extend", default=None, metavar="NAME",
                   help="coded variables (default: all)")
    p.set_defaults(func=_cmd_agreement)

    p = sub.add_parser("figures", help="write the policy-brief figure catalogue")
    p.add_argument("--dpi", type=float, default=300, help="resolution of the PNG files (default: 300)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap intervals the figures draw")
    p.add_argument("--n-boot", type=int, default=9999, help="bootstrap draws of those intervals")
    p.add_argument("--n-permutations", type=int, default=9999,
                   help="Monte Carlo permutations of the p-values behind the significance marks, where exact "
                        "enumeration is too large (default: 9999)")
    p.add_argument("--lang", choices=(*LANGS, "all"), default="all")
    p.add_argument("--out", default=None)
    p.add_argument("--data", default=None, help="case sheet (default: the illustrative sample)")
    p.set_defaults(func=_cmd_figures)

    p = sub.add_parser("report", help="run the report notebooks with Papermill -> reports/<run-id>, reports/latest",
                       description="Run the report set of reports.yaml into reports/<run-id>/ (reusing unchanged "
                                   "runs), move reports/latest on success, prune old runs.",
                       epilog=REPORT_EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_report_arguments(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("refresh-notebooks", help="re-execute notebooks/ in place (refresh committed outputs)",
                       epilog=REFRESH_EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dir", default=None, help="notebook folder (default: notebooks/)")
    p.add_argument("--only", nargs="+", action="extend", default=None, metavar="NAME",
                   help="notebook names or patterns")
    p.add_argument("--config", default=None, help="kernel, timeouts and retries from this report config")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=_cmd_refresh)

    p = sub.add_parser("brief", help="rebuild the drafted policy brief from an existing report run",
                       epilog="exit codes: 0 ok, 1 the brief notebook failed, 2 a run, file or folder problem",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", default=None, help="a report run folder (default: reports/latest)")
    p.add_argument("--lang", choices=(*LANGS, "all"), default="all")
    p.add_argument("--out", default=None, help="output folder (default: <run>/brief)")
    p.add_argument("--data", default=None,
                   help="the case sheet to read for the case counts and points (default: the one the run used, "
                        "from its run.json)")
    p.set_defaults(func=_cmd_brief)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``krihs-analysis`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
