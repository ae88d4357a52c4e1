"""Benchmark of the report runner (on demand: ``make bench`` or ``.venv/bin/python benchmarks/bench_report.py``).

Prints
  1. ``python -c "import krihs_analysis"`` wall time (target < 0.2 s), and ``import krihs_analysis.reports``;
  2. wall time of the default report set (the real ``reports.yaml``) on the embedded sample, written to a temporary
     folder (``reports/`` and ``reports/latest`` are not touched);
  3. a baseline: the same number of runs, through the same runner with the same jobs and exports, of a notebook
     that only imports the same third-party libraries (pandas, seaborn, matplotlib, statsmodels, scipy);
  4. the ratio default / baseline (target <= 1.3x);
  5. an unchanged second default run into the same folder (everything reused; target <= 15 s, measured as the
     whole ``krihs-analysis report`` command, interpreter start-up included).

Notebooks of the default set that do not exist yet are left out (and named); when none exists only the import
times and the baseline are measured. Exit status is 0 unless the benchmark itself breaks.

Options: ``--jobs N`` (default 2, as ``make report``), ``--repeat N`` for the import timing (default 5),
``--skip-default`` / ``--skip-baseline``, ``--config PATH`` (another report config). The machine's load average
is printed: on a shared machine the wall times mean little without it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

IMPORT_TARGET_S = 0.2
RATIO_TARGET = 1.3
BASELINE_IMPORTS = ("import pandas as pd\nimport seaborn as sns\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
                    "import statsmodels.api as sm\nimport scipy.stats\n")


def time_import(module: str, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def default_config(reports, config: Path):
    """The config, restricted to entries whose notebook exists; (config or None, missing notebooks)."""
    import yaml

    doc = yaml.safe_load(config.read_text(encoding="utf-8"))
    runs = doc.get("runs") or []
    missing = [r.get("notebook") for r in runs if not (config.parent / r.get("notebook", "")).is_file()]
    doc["runs"] = [r for r in runs if r.get("notebook") not in missing]
    if not doc["runs"]:
        return None, missing
    cfg = reports.load_config(text=yaml.safe_dump(doc, allow_unicode=True), base_dir=config.parent.resolve(),
                              check_kernel=True)
    return cfg, missing


def baseline_config(reports, n: int, folder: Path):
    import nbformat as nbf

    nb = nbf.v4.new_notebook()
    params = nbf.v4.new_code_cell('i = 0\nlang = "en"\nseed = 0\ndata_path = None\nout_dir = None')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbf.v4.new_markdown_cell("# Baseline: imports only"), params, nbf.v4.new_code_cell(BASELINE_IMPORTS)]
    nb.metadata["kernelspec"] = {"name": reports.DEFAULT_KERNEL, "display_name": "Python (krihs-analysis)",
                                 "language": "python"}
    nbf.write(nb, folder / "baseline.ipynb")
    text = ("runs:\n  - name: baseline\n    notebook: baseline.ipynb\n"
            f"    matrix: {{i: [{', '.join(str(k) for k in range(n))}]}}\n")
    return reports.load_config(text=text, base_dir=folder, check_kernel=True)


def timed_run(reports, cfg, jobs: int, label: str, rerun_config: Path | None = None):
    """Wall time of one run set; with `rerun_config`, also of an unchanged second run (the CLI, as cron runs it)."""
    with tempfile.TemporaryDirectory(prefix=f"krihs-bench-{label}-") as tmp:
        t0 = time.perf_counter()
        result = reports.run_reports(cfg, jobs=jobs, out_dir=Path(tmp) / "reports", progress=False)
        wall = time.perf_counter() - t0
        rerun = None
        if rerun_config is not None and result.status == "ok":
            cli = Path(sys.executable).with_name("krihs-analysis")
            t0 = time.perf_counter()
            proc = subprocess.run([str(cli), "report", "--config", str(rerun_config), "--jobs", str(jobs), "--out",
                                   str(Path(tmp) / "reports"), "--no-progress"], capture_output=True, text=True)
            rerun = (time.perf_counter() - t0, proc.returncode, proc.stdout.strip().splitlines()[-1:])
    return wall, result, rerun


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--config", type=Path, default=None, help="report config (default: the project's reports.yaml)")
    ap.add_argument("--skip-default", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args(argv)

    best, med = time_import("krihs_analysis", args.repeat)
    verdict = "ok" if best < IMPORT_TARGET_S else "OVER TARGET"
    print(f"import krihs_analysis:          best {best:.3f} s, median {med:.3f} s "
          f"(target < {IMPORT_TARGET_S} s: {verdict}; includes interpreter start-up)")
    best_r, med_r = time_import("krihs_analysis.reports", args.repeat)
    print(f"import krihs_analysis.reports:  best {best_r:.3f} s, median {med_r:.3f} s")

    from krihs_analysis import reports

    cfg = None
    if not args.skip_default:
        try:
            from krihs_analysis import paths

            cfg, missing = default_config(reports, args.config or paths.REPORTS_CONFIG)
        except reports.ConfigError as exc:
            print(f"default report set: config invalid, not measured:\n{exc}")
            missing = []
        if missing:
            print(f"default report set: {len(missing)} notebook(s) missing, left out: {', '.join(missing)}")
    n = len(cfg.runs) if cfg is not None else 0
    default_wall = None
    if cfg is not None:
        import os

        from krihs_analysis import paths

        load = os.getloadavg()[0]
        default_wall, res, rerun = timed_run(reports, cfg, args.jobs, "default",
                                             None if missing else (args.config or paths.REPORTS_CONFIG))
        print(f"default report set: {n} run(s), jobs={args.jobs}: {default_wall:.1f} s wall "
              f"({default_wall / n:.2f} s per run), status {res.status}, load average {load:.1f}"
              + (f", FAILED: {', '.join(r['name'] for r in res.failed)}" if res.failed else ""))
        if rerun is not None:
            verdict = "ok" if rerun[0] <= 15 else "OVER TARGET"
            print(f"unchanged rerun (krihs-analysis report): {rerun[0]:.1f} s wall, exit {rerun[1]} "
                  f"(target <= 15 s: {verdict}); {' '.join(rerun[2])}")
    if args.skip_baseline:
        return 0
    n_base = n or 12
    with tempfile.TemporaryDirectory(prefix="krihs-bench-nb-") as tmp:
        bcfg = baseline_config(reports, n_base, Path(tmp))
        base_wall, bres, _ = timed_run(reports, bcfg, args.jobs, "baseline")
    print(f"baseline (imports only): {n_base} run(s), jobs={args.jobs}: {base_wall:.1f} s wall "
          f"({base_wall / n_base:.2f} s per run), status {bres.status}"
          + ("" if n else " [no default notebooks: baseline only, 12 runs]"))
    if default_wall is not None:
        ratio = default_wall / base_wall
        verdict = "ok" if ratio <= RATIO_TARGET else "OVER TARGET"
        print(f"ratio default / baseline: {ratio:.2f}x (target <= {RATIO_TARGET}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
