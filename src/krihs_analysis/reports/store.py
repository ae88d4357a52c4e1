"""Run folders on disk: the lock, the partial folder of a run being built, ``latest``, listing and retention.

``reports/<run-id>/`` is a finished run set; ``reports/.<run-id>.partial/`` one being built (renamed into place
at the end; one left by a killed run is removed by the next run, under the lock); ``reports/latest`` a symlink
to the last run set in which every run succeeded (a ``LATEST`` text file where symlinks are unavailable);
``reports/.lock`` an ``fcntl.flock`` lock held for the whole run set.

Examples
--------
>>> import tempfile
>>> from krihs_analysis.reports.store import list_runs
>>> list_runs(tempfile.mkdtemp())
[]
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from .. import paths
from .errors import LockHeld
from .worker import now_iso as _now_iso

PARTIAL_SUFFIX = ".partial"
LOCK_NAME = ".lock"
LATEST_NAME = "latest"
LATEST_FILE = "LATEST"
RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6,}$")


def list_runs(reports_dir: str | Path | None = None) -> list[Path]:
    """Finished run folders (oldest first); partial folders of killed runs are ignored."""
    root = Path(reports_dir) if reports_dir is not None else paths.REPORTS
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and RUN_ID_RE.match(p.name))


def latest_run(reports_dir: str | Path | None = None) -> Path | None:
    """The folder ``reports/latest`` points to (or the ``LATEST`` file names), None when there is none."""
    root = Path(reports_dir) if reports_dir is not None else paths.REPORTS
    link = root / LATEST_NAME
    if link.is_symlink():
        target = root / os.readlink(link)
        return target if target.is_dir() else None
    f = root / LATEST_FILE
    if f.is_file():
        target = root / f.read_text(encoding="utf-8").strip()
        return target if target.is_dir() else None
    return None


def point_latest(root: Path, run_id: str) -> str:
    link = root / LATEST_NAME
    tmp = root / f".{LATEST_NAME}.{os.getpid()}.tmp"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(run_id, tmp, target_is_directory=True)
        os.replace(tmp, link)  # atomic: readers see the old or the new target, never none
        return str(link)
    except (OSError, NotImplementedError, AttributeError):
        try:
            tmp.unlink()
        except OSError:
            pass
        from .._io import write_atomic

        write_atomic(root / LATEST_FILE, run_id + "\n")
        return str(root / LATEST_FILE)


class Lock:
    """Non-blocking exclusive ``flock`` on ``reports/.lock`` for the lifetime of the object."""

    def __init__(self, root: Path):
        self.path = root / LOCK_NAME
        self.fh = None

    def acquire(self, note: str = "") -> "Lock":
        root = self.path.parent
        root.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            import fcntl
        except ImportError:  # no flock (Windows): run unlocked
            self.fh = fh
            return self
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            raise LockHeld(f"another report run is in progress (lock {self.path} is held"
                           f"{': ' + holder if holder else ''}); not starting a second one") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {_now_iso()} {note}".strip() + "\n")
        fh.flush()
        self.fh = fh
        return self

    def release(self) -> None:
        if self.fh is not None:
            try:
                import fcntl

                fcntl.flock(self.fh.fileno(), fcntl.LOCK_UN)
            except (ImportError, OSError):
                pass
            self.fh.close()
            self.fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def clean_partials(root: Path) -> list[str]:
    """Remove partial folders left by killed runs (safe: called while holding the lock)."""
    removed = []
    for p in root.glob(f".*{PARTIAL_SUFFIX}"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed



def read_meta(run_dir: Path) -> dict[str, Any] | None:
    """A run folder's ``run.json`` (None when missing or unreadable)."""
    try:
        return json.loads((Path(run_dir) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def prune(root: Path, keep: int) -> list[str]:
    """Retention: remove all but the newest `keep` run folders; returns the names removed.

    Never removes the target of ``latest``, nor the newest failed run (kept for reading). Call it only while
    holding the lock, after a successful run.
    """
    runs = list_runs(root)
    protect = {p.name for p in runs[-keep:]} if keep > 0 else set()
    latest = latest_run(root)
    if latest is not None:
        protect.add(latest.name)
    for p in reversed(runs):
        meta = read_meta(p)
        if meta is not None and meta.get("status") == "failed":
            protect.add(p.name)
            break
    removed = []
    for p in runs:
        if p.name not in protect:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed
