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
RUN_ID_EXAMPLE = "20240101T000000Z-0a1b2c3d"


def _root(reports_dir: Any, name: str = "reports_dir", *, default: bool = True) -> Path:
    """The reports folder a caller named (str or Path; ``paths.REPORTS`` for None where `default`)."""
    if reports_dir is None and default:
        return paths.REPORTS
    from .._validate import check_path  # here: _validate imports pandas, which `import reports` must not

    return check_path(reports_dir, name, example=f"{name}='reports'")


def _run_folder(root: Path, text: str) -> Path | None:
    """The run folder directly inside `root` that `text` (a run id, or a path to it) names; None otherwise."""
    text = text.strip()
    if not text or "\n" in text:
        return None
    target = Path(text)
    if target.is_absolute() or len(target.parts) != 1:
        try:  # an absolute or relative path is accepted only when it leads to a folder directly inside root
            if target.is_absolute() and target.parent.resolve() == root.resolve():
                target = Path(target.name)
            else:
                return None
        except (OSError, RuntimeError):
            return None
    if not RUN_ID_RE.match(target.name):
        return None
    folder = root / target.name
    return folder if folder.is_dir() else None


def list_runs(reports_dir: str | Path | None = None) -> list[Path]:
    """Finished run folders (oldest first); partial folders of killed runs are ignored.

    Parameters
    ----------
    reports_dir
        The reports folder (a str or Path); None: ``reports/`` at the project root. A folder that does not exist
        holds no runs.

    Returns
    -------
    list of Path
        The folders directly inside `reports_dir` whose names are run ids (``20240101T000000Z-0a1b2c3d``), oldest
        first; symlinks are left out.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for run_id in ("20240102T000000Z-4e5f6a7b", "20240101T000000Z-0a1b2c3d", ".20240103T000000Z-8c9d0e1f.partial"):
    ...     (root / run_id).mkdir()
    >>> [p.name for p in list_runs(root)]
    ['20240101T000000Z-0a1b2c3d', '20240102T000000Z-4e5f6a7b']
    """
    root = _root(reports_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and RUN_ID_RE.match(p.name))


def latest_run(reports_dir: str | Path | None = None) -> Path | None:
    """The folder ``reports/latest`` points to (or the ``LATEST`` file names), None when there is none.

    Only a run folder directly inside the reports folder counts: a ``latest`` or ``LATEST`` that is empty, names
    something else or cannot be read gives None.

    Parameters
    ----------
    reports_dir
        The reports folder (a str or Path); None: ``reports/`` at the project root.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> print(latest_run(root))
    None
    >>> (root / "20240101T000000Z-0a1b2c3d").mkdir()
    >>> _ = point_latest(root, "20240101T000000Z-0a1b2c3d")
    >>> latest_run(root).name
    '20240101T000000Z-0a1b2c3d'
    """
    root = _root(reports_dir)
    link = root / LATEST_NAME
    try:
        if link.is_symlink():
            return _run_folder(root, os.readlink(link))
        f = root / LATEST_FILE
        if f.is_file():
            return _run_folder(root, f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return None


def point_latest(root: str | Path, run_id: str) -> str:
    """Point ``root/latest`` at the run folder ``root/<run_id>`` (atomically); returns the path of the pointer.

    The pointer is a relative symlink ``latest``; where symlinks cannot be made, a ``LATEST`` text file holding the
    run id.

    Parameters
    ----------
    root
        The reports folder (a str or Path) that holds the run folder.
    run_id
        The name of a finished run folder directly inside `root`, such as ``20240101T000000Z-0a1b2c3d``.

    Raises
    ------
    ValueError
        `run_id` is not the name of an existing run folder directly inside `root` (checked before anything is
        written).

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "20240101T000000Z-0a1b2c3d").mkdir()
    >>> pointer = point_latest(root, "20240101T000000Z-0a1b2c3d")
    >>> pathlib.Path(pointer).name, os.readlink(pointer)
    ('latest', '20240101T000000Z-0a1b2c3d')
    >>> point_latest(tempfile.mkdtemp(), "nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: run_id 'nope' is not a run folder of /...; a run id is the name of a folder directly inside it, ...
    """
    from .._validate import check_text

    root = _root(root, "root", default=False)
    check_text(run_id, "run_id", example=f"run_id={RUN_ID_EXAMPLE!r}")
    if not (RUN_ID_RE.match(run_id) and (root / run_id).is_dir() and not (root / run_id).is_symlink()):
        raise ValueError(f"run_id {run_id!r} is not a run folder of {root}; a run id is the name of a folder "
                         f"directly inside it, such as {RUN_ID_EXAMPLE} (see list_runs(root))")
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
    """Non-blocking exclusive ``flock`` on ``reports/.lock``, held from :meth:`acquire` (or entering ``with``) to
    :meth:`release` (or leaving ``with``).

    ``with Lock(root):`` acquires the lock, raising :class:`LockHeld` when another process holds it;
    ``lock.acquire(note=...)`` followed by ``with lock:`` acquires once and releases at the end of the block.
    """

    def __init__(self, root: str | Path):
        self.path = _root(root, "root", default=False) / LOCK_NAME
        self.fh = None

    def acquire(self, note: str = "") -> "Lock":
        if not isinstance(note, str):  # written into the lock file for whoever finds it held
            raise ValueError(f"note must be text saying who holds the lock, got {type(note).__name__} {note!r:.60}")
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
        if self.fh is None:  # not acquired yet by this object: take it now (LockHeld when another holds it)
            self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


def clean_partials(root: str | Path) -> list[str]:
    """Remove partial folders left by killed runs (safe: called while holding the lock)."""
    root = _root(root, "root", default=False)
    removed = []
    for p in root.glob(f".*{PARTIAL_SUFFIX}"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed



def read_meta(run_dir: Path) -> dict[str, Any] | None:
    """A run folder's ``run.json`` (None when missing or unreadable; a `run_dir` that is no path is a ValueError)."""
    if not isinstance(run_dir, (str, os.PathLike)):
        raise ValueError(f"run_dir must be a run folder (a str or Path such as 'reports/latest'), got "
                         f"{type(run_dir).__name__} {run_dir!r:.60}")
    try:
        return json.loads((Path(run_dir) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def prune(root: str | Path, keep: int) -> list[str]:
    """Retention: remove all but the newest `keep` run folders; returns the names removed.

    Never removes the target of ``latest``, nor the newest failed run (kept for reading). Call it only while
    holding the lock, after a successful run.

    Parameters
    ----------
    root
        The reports folder (a str or Path).
    keep
        How many of the newest run folders to keep, a whole number of at least 1 (``keep:`` of ``reports.yaml``
        in a report run).

    Raises
    ------
    ValueError
        `keep` is not a whole number of at least 1 (checked before anything is removed).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for day in ("01", "02", "03"):
    ...     (root / f"202401{day}T000000Z-0a1b2c3d").mkdir()
    >>> _ = point_latest(root, "20240101T000000Z-0a1b2c3d")
    >>> prune(root, 1)  # keeps the newest run and the target of latest
    ['20240102T000000Z-0a1b2c3d']
    >>> prune(tempfile.mkdtemp(), 0)
    Traceback (most recent call last):
    ...
    ValueError: keep must be a whole number of at least 1, got 0; pass e.g. keep=1
    """
    from .._validate import check_count

    root = _root(root, "root", default=False)
    keep = check_count(keep, "keep", minimum=1)
    runs = list_runs(root)
    protect = {p.name for p in runs[-keep:]}
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
