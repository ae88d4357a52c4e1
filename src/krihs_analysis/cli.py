"""The ``krihs-analysis`` command line.

Exit codes: 0 success; 1 invalid data or a failed run (the problem is printed, no traceback); 2 a file that is
missing or unreadable, or bad arguments; 3 another report run holds the lock.

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

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_LOCKED = 0, 1, 2, 3


def _err(msg: str) -> None:
    print(f"krihs-analysis: {msg}", file=sys.stderr)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .data import CaseDataError, is_illustrative, read_cases

    try:
        cases = read_cases(args.path, sheet=args.sheet)
    except CaseDataError as err:
        print(err, file=sys.stderr)
        return EXIT_INVALID
    except OSError as err:
        _err(f"cannot read {args.path}: {err.strerror or err}")
        return EXIT_UNREADABLE
    by_country = cases.groupby("country", observed=True).size()
    counts = ", ".join(f"{k} {v}" for k, v in by_country.items())
    enc = cases.attrs["encoding"] or f"xlsx sheet {cases.attrs['sheet']!r}"
    flag = "; ILLUSTRATIVE data" if is_illustrative(cases) else ""
    print(f"{Path(args.path).name}: valid, {len(cases)} cases ({counts}); read as {enc}{flag}")
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from .data import CaseDataError, build

    try:
        manifest = build(args.raw or None, out_dir=args.out)
    except CaseDataError as err:
        print(err, file=sys.stderr)
        _err("nothing was written")
        return EXIT_INVALID
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
    print(f"wrote coding sheet {path} ({args.lang})")
    return EXIT_OK


def _cmd_agreement(args: argparse.Namespace) -> int:
    from .data import CaseDataError
    from .reliability import agreement_report

    try:
        print(agreement_report(args.paths, variables=args.variables))
    except CaseDataError as err:
        print(err, file=sys.stderr)
        return EXIT_INVALID
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

    langs = ("en", "ko", "ja") if args.lang == "all" else (args.lang,)
    try:
        cases = read_cases(args.data)
    except CaseDataError as err:
        print(err, file=sys.stderr)
        return EXIT_INVALID
    except OSError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    out = Path(args.out) if args.out else paths.REPORTS / "figures"
    try:
        manifest = write_catalogue(cases, langs=langs, out_dir=out)
    except ValueError as err:  # data the analyses cannot use (e.g. no Japanese cases)
        _err(f"cannot draw the figures from {cases.attrs['source']}: {err}")
        return EXIT_INVALID
    print(f"wrote {len(manifest['figures'])} figures to {out}")
    return EXIT_OK


def _cmd_brief(args: argparse.Namespace) -> int:
    from .brief.build import rebuild

    langs = ("ko", "en") if args.lang == "all" else (args.lang,)
    from papermill.exceptions import PapermillExecutionError

    try:
        written = rebuild(args.run, langs=langs, out_dir=args.out, data_path=args.data)
    except FileNotFoundError as err:
        _err(str(err))
        return EXIT_UNREADABLE
    except PapermillExecutionError as err:
        _err(f"the brief notebook failed in cell {err.exec_count}: {err.ename}: {err.evalue}; "
             "the previous brief was left in place")
        return EXIT_INVALID
    for path in written:
        print(path)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="krihs-analysis",
        description="Coded community-building case sheets -> validated data, comparisons, QCA, figures, reports.",
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
    p.add_argument("path")
    p.add_argument("--lang", choices=("ko", "en", "ja"), default="ko")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("agreement", help="inter-coder agreement between sheets coding the same cases")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--variables", nargs="+", default=None, metavar="NAME", help="coded variables (default: all)")
    p.set_defaults(func=_cmd_agreement)

    p = sub.add_parser("figures", help="write the policy-brief figure catalogue")
    p.add_argument("--lang", choices=("ko", "en", "ja", "all"), default="all")
    p.add_argument("--out", default=None)
    p.add_argument("--data", default=None, help="case sheet (default: the illustrative sample)")
    p.set_defaults(func=_cmd_figures)

    from . import reports  # light: the runner imports papermill, nbconvert and dask only when it runs

    p = sub.add_parser("report", help="run the report notebooks with Papermill -> reports/<run-id>, reports/latest")
    reports.add_report_arguments(p)
    p.set_defaults(func=reports.main_report)

    p = sub.add_parser("refresh-notebooks", help="re-execute notebooks/ in place (refresh committed outputs)")
    reports.add_refresh_arguments(p)
    p.set_defaults(func=reports.main_refresh)

    p = sub.add_parser("brief", help="rebuild the drafted policy brief from an existing report run")
    p.add_argument("--run", default=None, help="a report run folder (default: reports/latest)")
    p.add_argument("--lang", choices=("ko", "en", "all"), default="all")
    p.add_argument("--out", default=None, help="output folder (default: <run>/brief)")
    p.add_argument("--data", default=None, help="the case sheet the run used (default: the illustrative sample)")
    p.set_defaults(func=_cmd_brief)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``krihs-analysis`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
