"""Benchmark of the case cards at survey scale (on demand: ``.venv/bin/python benchmarks/bench_cards.py``).

Generates an illustrative sheet of N cases (the sample's rows cycled with new case ids and seeded ordinal codes;
``data_status = illustrative`` on every row), then runs ``krihs-analysis report --data SHEET --only case-card``
into a temporary folder as a subprocess, sampling the memory of its whole process tree every 0.1 s.

Prints, per N: wall time, cards written (both languages of the ``lang`` matrix), the largest number of files in
one folder, peak summed RSS and peak summed PSS (PSS counts shared pages once: the fair "how much memory" on
Linux) of the process tree, and the targets (1,000 cases <= 150 s and <= 300 MB; 7,200 cases <= 20 min).

Options: ``--cases 1000 7200`` (default), ``--jobs 2``, ``--keep-sheet DIR``. The machine's load average is
printed with each measurement: the numbers mean little without it.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "cases_sample.csv"
CLI = Path(sys.executable).with_name("krihs-analysis")
TARGETS = {1000: (150, 300), 7200: (1200, None)}
ORDINAL = ("community_sense", "resident_org", "leadership", "capacity_building", "participation", "gov_role",
           "local_gov", "resident_planning", "institutional_support", "intermediary", "activators", "integration")


def make_sheet(n: int, path: Path, *, seed: int = 0) -> Path:
    """An illustrative sheet of `n` cases derived from the sample (outcomes kept, condition codes re-drawn)."""
    rng = random.Random(seed)
    with open(SAMPLE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["case_id"] = f"{row['country']}-G{i:05d}"
            for v in ORDINAL:
                row[v] = str(min(3, max(0, int(row[v]) + rng.choice((-1, 0, 0, 1)))))
            row["data_status"] = "illustrative"
            row["notes"] = "generated for the card benchmark; illustrative"
            w.writerow(row)
    return path


def _tree(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _mem(pids: list[int]) -> tuple[int, int]:
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss * 1024, pss * 1024


def measure(n: int, jobs: int, keep_sheet: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"krihs-bench-cards-{n}-") as tmp:
        sheet = make_sheet(n, (keep_sheet or Path(tmp)) / f"cases_{n}.csv")
        out = Path(tmp) / "reports"
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(CLI), "report", "--data", str(sheet), "--only", "case-card", "--jobs", str(jobs),
                                 "--out", str(out), "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        peak = [0, 0]

        def sample():
            while proc.poll() is None:
                rss, pss = _mem(_tree(proc.pid))
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                time.sleep(0.1)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        log, _ = proc.communicate()
        wall = time.perf_counter() - t0
        th.join()
        pages = [p for p in out.glob("*/cards/*/s*/*.html") if p.parts[len(out.parts)] != "latest"]
        per_folder = max((len(os.listdir(d)) for d in {p.parent for p in pages}), default=0)
        return {"n": n, "wall": wall, "code": proc.returncode, "cards": len(pages), "per_folder": per_folder,
                "rss": peak[0], "pss": peak[1], "load": (load0 + os.getloadavg()[0]) / 2, "log": log}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, nargs="+", default=[1000, 7200])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep-sheet", type=Path, default=None)
    args = ap.parse_args(argv)
    for n in args.cases:
        r = measure(n, args.jobs, args.keep_sheet)
        t_wall, t_mem = TARGETS.get(n, (None, None))
        verdict = []
        if t_wall:
            verdict.append(f"wall target <= {t_wall} s: {'ok' if r['wall'] <= t_wall else 'OVER'}")
        if t_mem:
            verdict.append(f"memory target <= {t_mem} MB (PSS): {'ok' if r['pss'] / 2**20 <= t_mem else 'OVER'}")
        print(f"{n} cases, jobs={args.jobs}: {r['wall']:.1f} s wall, exit {r['code']}, {r['cards']} card pages, "
              f"<= {r['per_folder']} files per folder, peak RSS {r['rss'] / 2**20:.0f} MB, peak PSS "
              f"{r['pss'] / 2**20:.0f} MB, load average ~{r['load']:.1f} on {os.cpu_count()} cores; "
              + "; ".join(verdict))
        if r["code"] != 0:
            print(r["log"][-2000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
