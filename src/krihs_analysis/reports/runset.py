"""Run sets: plan, reuse, execute (local processes or Dask), record, publish, prune.

``reports/<run-id>/``
    ``run.json`` (run id, start/end, git commit, package version and source hash, environment hash, inputs'
    sha256, and per run: parameters, status, duration, outputs, error, worker and every attempt, ``key``,
    ``reused_from``), ``index.html`` (the run's front page), ``notebooks/``, ``html/``, ``pdf/``, ``figures/``,
    ``cards/`` (case cards).
``reports/index.html``
    Every run, with what changed in the headline results against the run before.

The library raises :mod:`.errors` exceptions (``ConfigError``, ``LockHeld``, ``OutputError``,
``SchedulerError``) and returns a :class:`RunResult` when notebooks ran (some may have failed); only
``krihs_analysis.cli`` turns them into messages and exit codes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from .. import paths
from .config import ReportConfig, RunSpec, load_config, plan_runs
from .errors import OutputError, SchedulerError
from .store import (LATEST_NAME, PARTIAL_SUFFIX, RUN_ID_RE, Lock, clean_partials, list_runs,
                    point_latest, prune)
from .worker import crashed_record, is_disk_full, now_iso, rel

if TYPE_CHECKING:  # pandas loads only when a caller asks for the table
    import pandas as pd


@dataclass
class RunResult:
    """What :func:`run_reports` did: ``status`` is ``ok``, ``failed`` (a notebook failed) or ``dry_run``."""

    status: str
    run_id: str | None = None
    run_dir: Path | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    plan: list[RunSpec] = field(default_factory=list)
    latest: str | None = None
    removed: list[str] = field(default_factory=list)
    duration_s: float | None = None

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r.get("status") != "ok"]

    @property
    def reused(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r.get("reused_from")]

    @property
    def table(self) -> pd.DataFrame:
        """One row per notebook run: ``name, entry, status, attempts, duration_s, reused_from, error`` (the
        error's one line), as every result object of the package gives its ``.table``."""
        import pandas as pd

        rows = [{"name": r.get("name"), "entry": r.get("entry"), "status": r.get("status"),
                 "attempts": len(r.get("attempts") or []), "duration_s": r.get("duration_s"),
                 "reused_from": r.get("reused_from"),
                 "error": (r.get("error") or {}).get("line") if isinstance(r.get("error"), dict) else r.get("error")}
                for r in self.results]
        return pd.DataFrame(rows, columns=["name", "entry", "status", "attempts", "duration_s", "reused_from",
                                           "error"])


class _DiskFull(Exception):
    def __init__(self, message: str):
        super().__init__(message)


def illustrative_inputs(inputs: Mapping[str, Any] | Sequence[str]) -> list[str]:
    """The case sheets among a run's inputs that hold illustrative cases (``data_status``), so that the run's front
    page can say its results are for demonstration, as every figure and the brief do.

    A sheet that cannot be read is left out: the runs that read it report its problems themselves.

    Examples
    --------
    >>> from krihs_analysis import paths
    >>> illustrative_inputs([str(paths.SAMPLE_CASES)]) == [str(paths.SAMPLE_CASES)]
    True
    """
    from ..data import CaseDataError, is_illustrative
    from .config import read_sheet

    out = []
    for path in inputs:
        try:
            frame = read_sheet(path)  # validated once by content: the planning read this sheet already
        except (CaseDataError, OSError, ValueError):
            continue
        if is_illustrative(frame):
            out.append(str(path))
    return out


def _git_commit(root: Path) -> dict[str, Any]:
    info: dict[str, Any] = {"commit": None, "dirty": None}
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10)
        if out.returncode == 0:
            info["commit"] = out.stdout.strip()
            st = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10)
            info["dirty"] = bool(st.stdout.strip()) if st.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _new_run_id(config: ReportConfig, when: _dt.datetime) -> str:
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    h = hashlib.sha256(f"{config.text_sha256}|{when.isoformat()}|{os.getpid()}|{time.perf_counter_ns()}".encode())
    return f"{stamp}-{h.hexdigest()[:8]}"


def check_writable(root: Path) -> None:
    """Raise :class:`OutputError` (one line) unless the reports folder can be created and written."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = "no space left on the device" if is_disk_full(exc) else (exc.strerror or str(exc))
        raise OutputError(f"cannot write the reports folder {root}: {reason}") from None


def _task(spec: RunSpec, run_dir: Path) -> dict[str, Any]:
    return {"name": spec.name, "entry": spec.entry, "notebook": str(spec.notebook), "output": spec.output,
            "parameters": spec.parameters, "kernel": spec.kernel, "timeout": spec.timeout,
            "start_timeout": spec.start_timeout, "retries": spec.retries, "export": spec.export,
            "takes_out_dir": spec.takes_out_dir, "run_dir": str(run_dir), "kind": spec.kind,
            "languages": [list(p) for p in spec.languages]}


def _execute_all(tasks: list[dict[str, Any]], *, jobs: int, scheduler: str | None, progress: bool
                 ) -> Iterator[dict[str, Any]]:
    """Yield result records as tasks finish, on local worker processes (:mod:`.pool`) or a Dask cluster."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), desc="reports", unit="run", disable=None if progress else True, file=sys.stderr,
               dynamic_ncols=True)
    try:
        if scheduler:
            yield from _execute_dask(tasks, scheduler, bar)
        else:
            yield from _execute_local(tasks, jobs, bar)
    finally:
        bar.close()


def _execute_local(tasks, jobs: int, bar):
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    from .pool import worker_pool
    from .worker import execute_run

    pool = worker_pool(jobs, tasks=len(tasks))
    futures = {pool.submit(execute_run, t): t for t in tasks}
    clean = False
    try:
        for fut in as_completed(futures):
            try:
                rec = fut.result()
            except BrokenProcessPool as exc:
                rec = crashed_record(futures[fut], f"worker process died: {exc}")
            except Exception as exc:  # noqa: BLE001
                rec = crashed_record(futures[fut], f"{type(exc).__name__}: {exc}")
            bar.update(1)
            bar.set_postfix_str(rec["name"][-30:], refresh=False)
            yield rec
        clean = True
    finally:
        if clean:
            pool.shutdown(wait=True)
        else:  # an abort (full disk, Ctrl-C): stop the workers now rather than wait for their notebooks
            for f in futures:
                f.cancel()
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
            pool.shutdown(wait=True, cancel_futures=True)


def _check_scheduler_address(scheduler: str) -> None:
    """Refuse an address Dask cannot parse (exit 4), before planning: also on a dry run, and when every run would
    be reused and the scheduler never asked."""
    try:
        from distributed.comm import get_address_host_port, parse_address
    except ImportError as exc:
        raise SchedulerError(f"--scheduler needs dask.distributed installed ({exc})") from None
    try:
        # an in-process cluster (LocalCluster(processes=False)) has an inproc:// address, without host or port
        if parse_address(scheduler)[0] != "inproc":
            get_address_host_port(scheduler)
    except (ValueError, TypeError) as exc:  # "missing port number", an unknown scheme
        raise SchedulerError(f"invalid scheduler address {scheduler} ({exc}); give e.g. tcp://HOST:8786") from None


def _connect(scheduler: str):
    """A Dask client of the scheduler; :class:`SchedulerError` when it cannot be reached."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise SchedulerError(f"--scheduler needs dask.distributed installed ({exc})") from None
    try:
        return Client(scheduler, timeout="10s")
    except (ValueError, TypeError) as exc:  # dask's address parsing: "missing port number", bad scheme
        raise SchedulerError(f"invalid scheduler address {scheduler} ({exc})") from None
    except OSError as exc:
        raise SchedulerError(" ".join(f"cannot reach the Dask scheduler at {scheduler}: {exc}".split())) from None


def _execute_dask(tasks, scheduler: str, bar):
    from dask.distributed import as_completed

    from .worker import execute_run_subprocess

    client = _connect(scheduler)
    try:
        futures = {client.submit(execute_run_subprocess, t, pure=False,
                                 key=f"krihs-report-{Path(t['run_dir']).name}-{t['name']}"): t for t in tasks}
        for fut in as_completed(futures):
            try:
                rec = fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker after Dask's own retries
                rec = crashed_record(futures[fut], f"dask task failed: {type(exc).__name__}: {exc}")
            bar.update(1)
            bar.set_postfix_str(rec["name"][-30:], refresh=False)
            yield rec
    finally:
        client.close()


def _dask_attempts(partial: Path, rec: dict[str, Any]) -> None:
    """Fold the attempt markers of a Dask run into its record: which worker ran it, and every lost attempt."""
    folder = partial / ".attempts"
    markers = []
    for p in folder.glob(f"{rec['name']}.*.json"):
        try:
            markers.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    markers.sort(key=lambda m: m.get("attempt", 0))
    if not markers:
        return
    final = rec.get("attempts") or []
    log = []
    for m in markers:
        if m.get("status") == "running":  # started, never finished: its worker died under it
            log.append({"attempt": len(log) + 1, "worker": m.get("worker"), "started": m.get("started"),
                        "status": "lost", "error": f"worker {m.get('worker')} (pid {m.get('pid')} on "
                                                   f"{m.get('host')}) was lost while running; Dask ran it again"})
        else:
            for a in final or [{"status": m.get("status"), "error": None}]:
                log.append({**a, "attempt": len(log) + 1, "worker": m.get("worker"), "started": m.get("started"),
                            "ended": m.get("ended")})
    rec["attempts"] = log
    rec["worker"] = markers[-1].get("worker")


def _merge_cards(spec: RunSpec, shard_recs: list[dict[str, Any]]) -> dict[str, Any]:
    errors = [r["error"] for r in shard_recs if r.get("error")]
    outputs = [o for r in sorted(shard_recs, key=lambda r: r["name"]) for o in r["outputs"]]
    started = min((r.get("started") or "" for r in shard_recs), default=None)
    ended = max((r.get("ended") or "" for r in shard_recs), default=None)
    return {"name": spec.name, "entry": spec.entry, "notebook": str(spec.notebook), "output": spec.output,
            "kind": "cards", "parameters": spec.parameters, "kernel": None,
            "status": "failed" if errors else "ok", "error": errors[0] if errors else None,
            "shards": len(shard_recs), "cards": len(spec.cases), "started": started, "ended": ended,
            "duration_s": round(sum(r.get("duration_s") or 0 for r in shard_recs), 3),
            "worker": sorted({r.get("worker") for r in shard_recs if r.get("worker")}),
            "attempts": [{**a, "shard": r["name"].split("#")[-1]} for r in sorted(shard_recs, key=lambda r: r["name"])
                         for a in r.get("attempts", [])],
            "notes": [], "outputs": outputs}


def run_reports(
    config: ReportConfig | str | Path | None = None,
    *,
    only: Sequence[str] | None = None,
    jobs: int = 2,
    out_dir: str | Path | None = None,
    scheduler: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    keep: int | None = None,
    data: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = True,
    stream=None,
) -> RunResult:
    """Run a report set into ``<out_dir>/<run-id>/``; see the module docstring for the layout.

    Parameters
    ----------
    config
        A :class:`ReportConfig`, or a path to the YAML (``reports.yaml`` at the project root by default).
    only
        Restrict to these entries / run names / shell patterns.
    jobs
        Local worker processes (ignored with `scheduler`).
    out_dir
        The reports folder (``reports/`` at the project root by default).
    scheduler
        ``tcp://HOST:PORT`` of a running Dask scheduler; its workers must see the same paths (see
        ``docs/scheduling.md``).
    dry_run
        Validate and plan; execute nothing (the plan is in ``RunResult.plan``).
    force
        Execute every run, reusing nothing.
    keep
        Retention: run folders kept after a successful run (``keep:`` of the config by default).
    data, parameters
        ``--data SHEET`` and ``-p NAME VALUE`` overrides (see :func:`~.config.load_config`); only with a config
        path (a :class:`ReportConfig` is already planned: pass them to ``load_config`` instead, or ConfigError).
    progress
        Show a progress bar of the runs on stderr (tqdm; only when stderr is a terminal). False: no bar.
    stream
        Where progress lines go (the CLI passes stdout); silent when None.

    Returns
    -------
    RunResult
        ``status`` ``ok``, ``failed`` (some notebook failed; ``latest`` did not move) or ``dry_run``; the run's
        folder, its records (``.table``: one row per run) and the plan. ``latest`` moves only after a successful
        run of the whole set: with `only` naming part of it, ``.latest`` is None and the run is its own folder.

    Raises
    ------
    ConfigError, CaseDataError
        Before anything runs.
    LockHeld, OutputError, SchedulerError
        Nothing was kept; ``latest`` did not move.

    Examples
    --------
    A dry run validates ``reports.yaml`` and plans its runs, executing and writing nothing:

    >>> result = run_reports(only=["case-data-overview"], dry_run=True)
    >>> result.status, [spec.name for spec in result.plan]
    ('dry_run', ['case-data-overview-en', 'case-data-overview-ko', 'case-data-overview-ja'])
    """
    def say(msg: str) -> None:
        if stream is not None:
            print(msg, file=stream)

    # Every argument is checked here, before the dry-run return and before anything runs or is written.
    from .._validate import check_count, check_flag, check_path  # here: _validate imports pandas
    from .errors import ConfigError

    try:  # flags read by their truth value: dry_run="no" would have run everything, "" too
        for name, value in (("dry_run", dry_run), ("force", force), ("progress", progress)):
            check_flag(value, name)
    except ValueError as exc:
        raise ConfigError([str(exc)]) from None
    if stream is not None and not callable(getattr(stream, "write", None)):
        raise ConfigError([f"stream must be a text stream such as sys.stdout (or None for silence), got "
                           f"{type(stream).__name__} {stream!r:.60}"])
    if scheduler is None:  # jobs is ignored with a scheduler
        jobs = check_count(jobs, "jobs", minimum=1)
    elif not isinstance(scheduler, str) or not scheduler.strip():
        raise ConfigError([f"scheduler must be the address of a running Dask scheduler such as "
                           f"'tcp://HOST:8786', or None for local processes (got {scheduler!r:.60})"])
    else:
        _check_scheduler_address(scheduler)
    if keep is not None:
        try:
            keep = check_count(keep, "keep", minimum=1)
        except ValueError:
            raise ConfigError([f"--keep must be a whole number of at least 1 (got {type(keep).__name__} "
                               f"{keep!r:.60}); pass e.g. keep=10"]) from None
    if out_dir is not None:
        try:
            out_dir = check_path(out_dir, "out_dir", example="out_dir='reports' (--out reports)")
        except ValueError as exc:
            raise ConfigError([str(exc)]) from None
        if out_dir.exists() and not out_dir.is_dir():  # a dry run accepted it; a run failed after planning
            raise ConfigError([f"out_dir {out_dir} is a file; give the folder to write into, e.g. "
                               f"out_dir='{out_dir.parent / 'reports'}'"])
    if isinstance(config, ReportConfig):
        given = [n for n, v in (("data", data), ("parameters", parameters))
                 if v is not None and not (n == "parameters" and isinstance(v, Mapping) and not v)]
        if given:
            raise ConfigError([f"{' and '.join(given)} apply only when config is a path: they were not applied to "
                               f"the ReportConfig given; pass them to load_config(path, data=..., "
                               f"parameters=...) or run_reports(path, ...)"], config.path)
        cfg = config
    else:
        cfg = load_config(config, check_kernel=not scheduler, data=data, parameters=parameters)
    specs = plan_runs(cfg, only=only)
    if dry_run:
        return RunResult("dry_run", plan=specs)
    keep = cfg.keep if keep is None else keep

    root = (Path(out_dir) if out_dir is not None else paths.REPORTS).resolve()
    check_writable(root)
    lock = Lock(root)
    try:
        lock.acquire(note="starting")
    except PermissionError as exc:
        raise OutputError(f"cannot write the reports folder {root}: {exc.strerror or exc}") from None
    with lock:
        # Run ids sort by start time, to the second: start after the newest run, so that "newest" (latest,
        # retention, the list of runs) never depends on the random part of two ids of the same second.
        started = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
        newest = max((p.name.lstrip(".")[:16] for p in root.iterdir() if RUN_ID_RE.match(p.name.lstrip(".").split(".")[0])),
                     default=None)
        for _ in range(12):  # at most ~2 s: a folder dated in the future (a clock change) must not block a run
            if newest is None or started.strftime("%Y%m%dT%H%M%SZ") > newest:
                break
            time.sleep(0.2)
            started = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
        run_id = _new_run_id(cfg, started)
        for name in clean_partials(root):
            say(f"removed the partial folder of an interrupted run: {name}")
        partial = root / f".{run_id}{PARTIAL_SUFFIX}"
        try:
            return _run_locked(cfg, specs, root=root, partial=partial, run_id=run_id, started=started, jobs=jobs,
                               scheduler=scheduler, force=force, keep=keep, only=only, progress=progress, say=say)
        except _DiskFull as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise OutputError(f"{exc}; nothing of run {run_id} was kept and {root / LATEST_NAME} did not move") \
                from None
        except SchedulerError:  # (an OSError: before the disk check)
            shutil.rmtree(partial, ignore_errors=True)
            raise
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            shutil.rmtree(partial, ignore_errors=True)
            raise OutputError(f"no space left on the device under {root}; nothing of run {run_id} was kept and "
                              f"{root / LATEST_NAME} did not move") from None


def _run_locked(cfg: ReportConfig, specs: list[RunSpec], *, root: Path, partial: Path, run_id: str,
                started: _dt.datetime, jobs: int, scheduler: str | None, force: bool, keep: int,
                only: Sequence[str] | None, progress: bool, say) -> RunResult:
    from .. import __version__
    from .._io import write_atomic
    from . import cards as cards_mod
    from .index import write_root_index, write_run_index
    from .reuse import Keys, link_outputs, previous_records

    t0 = time.time()
    final = root / run_id
    partial.mkdir(parents=True)
    keys = Keys([s.kernel for s in specs])
    meta: dict[str, Any] = {
        "run_id": run_id, "status": "running", "started": started.isoformat(), "ended": None,
        "config": str(cfg.path) if cfg.path else None, "config_sha256": cfg.text_sha256,
        "only": list(only or []), "scheduler": scheduler, "jobs": None if scheduler else jobs, "force": force,
        "git": _git_commit(paths.ROOT), "package_version": __version__, "package_source_sha256": keys.source,
        "environment_sha256": keys.environment, "python": sys.version.split()[0],
        "inputs_sha256": {}, "runs": [],
    }
    for s in specs:
        if "data_path" in s.parameters:
            dp = s.parameters["data_path"] or str(paths.SAMPLE_CASES)
            meta["inputs_sha256"].setdefault(dp, keys.file(dp))
    if not meta["inputs_sha256"] and paths.SAMPLE_CASES.is_file():
        meta["inputs_sha256"][str(paths.SAMPLE_CASES)] = keys.file(None)
    meta["illustrative_inputs"] = illustrative_inputs(meta["inputs_sha256"])  # the run's pages say so
    write_atomic(partial / "run.json", json.dumps(meta, indent=2, ensure_ascii=False))

    # Reuse what an earlier run produced from the same inputs.
    previous = {} if force else previous_records(root, list_runs(root))
    results: list[dict[str, Any]] = []
    todo: list[RunSpec] = []
    spec_keys = {s.name: keys.run_key(s) for s in specs}
    for s in specs:
        hit = previous.get(spec_keys[s.name])
        if hit is not None:
            producer, src_dir, rec = hit
            if link_outputs(rec, src_dir, partial):
                results.append({**rec, "reused_from": producer, "duration_s": rec.get("duration_s"),
                                "reused_duration_s": 0.0})
                continue
        todo.append(s)
    if results:
        say(f"reused {len(results)} of {len(specs)} run(s) from earlier runs (unchanged inputs; --force to re-run)")

    # Tasks: one per notebook run; case cards in shards of plain records (the sheet was read once, while planning).
    tasks: list[dict[str, Any]] = []
    card_specs: dict[str, tuple[RunSpec, list]] = {}
    card_cache: dict[str, list] = {}
    for s in todo:
        if s.kind == "cards":
            frame = cfg.frames.get(str(s.parameters.get("data_path") or ""))
            if frame is None:
                from .config import read_sheet

                frame = cfg.frames[str(s.parameters.get("data_path") or "")] = read_sheet(
                    s.parameters.get("data_path"))
            ckey = str(s.parameters.get("data_path") or "")
            if ckey not in card_cache:  # one pass over the sheet for all languages
                card_cache[ckey] = cards_mod.card_data(frame)
            all_cards = card_cache[ckey]
            wanted = set(s.cases)
            chosen = [c for c in all_cards if c["case_id"] in wanted]
            card_specs[s.name] = (s, chosen)
            tasks.extend(cards_mod.shard_tasks(_task(s, partial), chosen, s.shard_size))
        else:
            tasks.append(_task(s, partial))
    if card_specs:
        cards_mod.write_css(partial)
    shard_recs: dict[str, list[dict[str, Any]]] = {}
    if scheduler and not tasks:
        # Every run is reused, so no work goes to the cluster; a scheduler that cannot be reached is still an
        # error (exit 4): a nightly job must not report success while its cluster is down.
        _connect(scheduler).close()
    if tasks:
        for rec in _execute_all(tasks, jobs=jobs, scheduler=scheduler, progress=progress):
            err = rec.get("error") or {}
            if err.get("kind") == "disk":
                raise _DiskFull(err.get("message", "no space left on the device"))
            if scheduler:
                _dask_attempts(partial, rec)
            if "#" in rec["name"]:
                shard_recs.setdefault(rec["name"].split("#")[0], []).append(rec)
                continue
            results.append(rec)
            if rec["status"] != "ok" and rec.get("error"):
                say(f"FAILED {rec['name']}: {rec['error']['message']}")
    for name, (s, chosen) in card_specs.items():
        rec = _merge_cards(s, shard_recs.get(name, []))
        index = cards_mod.write_index(partial, s.output, chosen, lang=s.parameters.get("lang", "en"),
                                      shard_size=s.shard_size, languages=s.languages)
        rec["outputs"] = [rel(index, partial), f"cards/{cards_mod.CSS_NAME}", *rec["outputs"]]
        results.append(rec)
    shutil.rmtree(partial / ".attempts", ignore_errors=True)

    order = {s.name: i for i, s in enumerate(specs)}
    results.sort(key=lambda r: order.get(r["name"], 1 << 30))
    for r in results:
        r["key"] = spec_keys.get(r["name"])
        r.setdefault("reused_from", None)
    failed = [r for r in results if r["status"] != "ok"]
    n_reused = sum(1 for r in results if r.get("reused_from"))
    meta.update(status="ok" if not failed else "failed", ended=now_iso(), duration_s=round(time.time() - t0, 3),
                runs=results, summary={"total": len(results), "ok": len(results) - len(failed),
                                       "failed": len(failed), "reused": n_reused})
    write_atomic(partial / "run.json", json.dumps(meta, indent=2, ensure_ascii=False))
    write_run_index(partial, meta)
    os.replace(partial, final)
    for r in results:
        for note in r.get("notes", []) if not r.get("reused_from") else []:
            say(f"{r['name']}: {note}")
    result = RunResult("failed" if failed else "ok", run_id, final, results, specs,
                       duration_s=meta["duration_s"])
    if not failed:
        # `latest` is the last complete report set: what the README lists there (every notebook, the brief's
        # PDFs) and what `krihs-analysis brief` rebuilds from. A run of part of it (--only) stays its own folder.
        if only is None or {s.name for s in specs} == {s.name for s in plan_runs(cfg)}:
            result.latest = point_latest(root, run_id)
        result.removed = prune(root, keep)
    try:
        write_root_index(root)
    except OSError as exc:  # the run itself is complete; the list of runs is rebuilt by the next run
        say(f"note: reports/index.html not updated: {exc.strerror or exc}")
    return result
