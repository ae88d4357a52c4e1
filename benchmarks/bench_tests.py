"""Benchmark of the test loop (on demand: ``make bench`` or ``.venv/bin/python benchmarks/bench_tests.py``).

Runs ``make test-fast`` (target <= 15 s) and ``make test`` (target <= 60 s) and prints, per command, the median
and range of the wall time, the CPU-seconds the whole machine spent meanwhile (from ``/proc/stat``: kernels,
Chromium and worker processes included, which ``time`` misses when a process outlives its parent) and the
pytest summary line. The load average is printed first: wall times on a shared machine mean little without it.

The same idle machine varies by a fifth from hour to hour, so a before/after belongs side by side:
``--against REV`` clones REV into a temporary folder, sets it up with ``make setup`` and alternates the two
checkouts run by run.

Options: ``--repeat N`` runs of ``make test-fast`` (default 3), ``--full-repeat N`` runs of ``make test``
(default 1; 0 skips it), ``--against REV``. Exit status 0 unless a test run fails or the benchmark breaks.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"test-fast": 15.0, "test": 60.0}


def busy_jiffies() -> int | None:
    """CPU time the machine has spent busy since boot, in clock ticks (None where there is no /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, idle, iowait, irq, softirq, *rest = (int(f) for f in fields)
    return user + nice + system + irq + softirq + (int(rest[0]) if rest else 0)  # rest[0]: steal


def run_make(checkout: Path, target: str) -> dict:
    """One ``make <target>`` in `checkout`: wall s, machine CPU-s, the pytest summary, the exit code."""
    tick = os.sysconf("SC_CLK_TCK")
    before, t0 = busy_jiffies(), time.perf_counter()
    proc = subprocess.run(["make", "-s", target], cwd=checkout, capture_output=True, text=True)
    wall, after = time.perf_counter() - t0, busy_jiffies()
    summary = [ln.strip(" =") for ln in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed)", ln)]
    return {"wall": wall, "cpu": None if before is None else (after - before) / tick, "code": proc.returncode,
            "summary": summary[-1] if summary else proc.stderr.strip()[-300:]}


def prepared_clone(rev: str, folder: Path) -> Path:
    """A clone of this repository at `rev` in `folder`, with its environment set up (``make setup``)."""
    checkout = folder / f"at-{rev[:12]}"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(checkout)], check=True)
    subprocess.run(["git", "checkout", "-q", rev], cwd=checkout, check=True)
    subprocess.run(["make", "-s", "setup"], cwd=checkout, check=True, capture_output=True)
    return checkout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of make test-fast")
    parser.add_argument("--full-repeat", type=int, default=1, help="runs of make test (0: skip)")
    parser.add_argument("--against", metavar="REV", help="also time a clone of REV, alternating run by run")
    args = parser.parse_args(argv)

    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="krihs-bench-tests-") as tmp:
        checkouts = {"this checkout": ROOT}
        if args.against:
            rev = subprocess.run(["git", "rev-parse", args.against], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.strip()
            checkouts[f"at {rev[:8]}"] = prepared_clone(rev, Path(tmp))
        results: dict[tuple[str, str], list[dict]] = {}
        failed = False
        for target, repeat in (("test-fast", args.repeat), ("test", args.full_repeat)):
            for _ in range(repeat):
                for name, checkout in checkouts.items():  # alternate: the machine drifts between runs
                    rec = run_make(checkout, target)
                    results.setdefault((name, target), []).append(rec)
                    failed |= rec["code"] != 0
                    print(f"  {name:>14}  make {target:<9} {rec['wall']:6.1f} s wall  "
                          f"{rec['cpu'] if rec['cpu'] is None else round(rec['cpu'], 1)} CPU-s  {rec['summary']}",
                          flush=True)
    print()
    print(f"{'checkout':>14}  {'command':<14} {'median':>7} {'range':>13} {'CPU-s':>7} {'target':>7}  met")
    for (name, target), recs in results.items():
        walls = [r["wall"] for r in recs]
        cpus = [r["cpu"] for r in recs if r["cpu"] is not None]
        med = statistics.median(walls)
        print(f"{name:>14}  make {target:<9} {med:6.1f}s {min(walls):5.1f}-{max(walls):5.1f} s "
              f"{statistics.median(cpus) if cpus else float('nan'):7.1f} {TARGETS[target]:6.0f}s  "
              f"{'yes' if med <= TARGETS[target] else 'no'}")
    if failed:
        print("a test run failed: its times mean nothing", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
