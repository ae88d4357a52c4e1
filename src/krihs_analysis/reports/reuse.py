"""Reuse: a run whose inputs are all unchanged takes its outputs from the last run that produced them.

A run's key (:func:`run_key`) is the sha256 of everything that can change what it writes: the notebook file,
its parameters, the runner's settings for it (kernel, exports, renderer), the sha256 of its case sheet and of
every file under ``data/raw/``, a hash of the package's own source (every file of ``krihs_analysis``, not only
the version number) and the installed environment (every distribution and its version, the Python version and
the kernel's spec). ``--force`` executes everything regardless.

Reused outputs are hard links to the earlier run's files (a copy where links are impossible), so they cost no
disk space and survive the earlier run's removal by retention.

Examples
--------
>>> from krihs_analysis.reports.reuse import source_hash
>>> len(source_hash())
64
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import paths
from .._io import sha256_file

_SOURCE_SUFFIXES = {".py", ".yaml", ".yml", ".mplstyle", ".json", ".css", ".tpl", ".j2", ".html"}


def _hash_files(files: Sequence[Path], base: Path) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(str(p.relative_to(base)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def source_hash(package_dir: Path | None = None) -> str:
    """sha256 over every source file of the package (paths and contents, in a fixed order)."""
    base = Path(package_dir) if package_dir is not None else paths.PACKAGE_DIR
    files = sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in _SOURCE_SUFFIXES
                   and "__pycache__" not in p.parts)
    return _hash_files(files, base)


def raw_data_hash(raw_dir: Path | None = None) -> str:
    """sha256 over every file under ``data/raw/`` (the sample and the context statistics notebooks read)."""
    base = Path(raw_dir) if raw_dir is not None else paths.DATA_RAW
    if not base.is_dir():
        return ""
    files = sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith("."))
    return _hash_files(files, base)


@lru_cache(maxsize=4)
def environment_hash(kernels: tuple[str, ...] = ()) -> str:
    """sha256 of the installed environment: every distribution and version, Python, and the kernels' specs."""
    from importlib import metadata

    dists = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()
                    if d.metadata and d.metadata["Name"]})
    h = hashlib.sha256("\n".join(dists).encode())
    h.update(sys.version.encode())
    h.update(os.path.realpath(sys.prefix).encode())  # the environment, however its python was named
    if kernels:
        try:
            from jupyter_client.kernelspec import KernelSpecManager

            specs = KernelSpecManager().find_kernel_specs()
        except ImportError:
            specs = {}
        for k in kernels:
            spec = Path(specs.get(k, "")) / "kernel.json"
            h.update(k.encode() + (spec.read_bytes() if spec.is_file() else b"missing"))
    return h.hexdigest()


class Keys:
    """The shared part of every run's key, computed once per run set."""

    def __init__(self, kernels: Sequence[str]):
        self.source = source_hash()
        self.raw = raw_data_hash()
        self.environment = environment_hash(tuple(sorted(set(kernels))))
        self._files: dict[str, str | None] = {}

    def file(self, path: str | None) -> str | None:
        key = str(path) if path else str(paths.SAMPLE_CASES)
        if key not in self._files:
            try:
                self._files[key] = sha256_file(key)
            except OSError:
                self._files[key] = None
        return self._files[key]

    def run_key(self, spec) -> str:
        """The key of one planned run (a :class:`~krihs_analysis.reports.config.RunSpec`)."""
        data = spec.parameters.get("data_path")
        doc = {
            "notebook": sha256_file(spec.notebook), "kind": spec.kind, "output": spec.output,
            "parameters": spec.parameters, "kernel": spec.kernel, "export": spec.export,
            "takes_out_dir": spec.takes_out_dir, "cases": list(spec.cases), "shard_size": spec.shard_size,
            # a card page links its translations: a language added to the set is a change to every page
            "languages": [list(p) for p in spec.languages],
            "data": self.file(data) if "data_path" in spec.parameters else None,
            "raw": self.raw, "source": self.source, "environment": self.environment,
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def previous_records(root: Path, runs: Sequence[Path]) -> dict[str, tuple[str, Path, dict[str, Any]]]:
    """``{key: (producing run id, folder holding the files, record)}`` of every ok run record, newest first wins."""
    from .store import read_meta

    found: dict[str, tuple[str, Path, dict[str, Any]]] = {}
    for run_dir in reversed(list(runs)):
        meta = read_meta(run_dir)
        if not meta:
            continue
        for rec in meta.get("runs", []):
            key = rec.get("key")
            if key and rec.get("status") == "ok" and key not in found:
                found[key] = (rec.get("reused_from") or meta.get("run_id") or run_dir.name, run_dir, rec)
    return found


def link_outputs(record: Mapping[str, Any], src_dir: Path, dest_dir: Path) -> bool:
    """Hard-link (or copy) every output of `record` from `src_dir` into `dest_dir`; False if any is missing."""
    outputs = list(record.get("outputs", [])) + list(record.get("extra_outputs", []))
    if not all((src_dir / o).is_file() for o in outputs):
        return False
    for o in outputs:
        src, dest = src_dir / o, dest_dir / o
        if dest.exists():  # shared by several runs of the set (the cards' stylesheet): linked once
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest)
        except OSError as exc:
            import errno

            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise
            shutil.copy2(src, dest)
    return True
