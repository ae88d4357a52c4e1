"""Typed errors of the report runner; ``krihs_analysis.cli`` maps each to an exit code and prints it.

Examples
--------
>>> from krihs_analysis.reports.errors import OutputError
>>> str(OutputError("cannot write the reports folder /x: Permission denied"))
'cannot write the reports folder /x: Permission denied'
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


class ReportError(Exception):
    """Base class of every error the runner raises for a user to act on (never a notebook failure)."""


class ConfigError(ReportError, ValueError):
    """The report configuration (or a ``--data`` / ``-p`` override) is invalid; ``.problems`` lists each one."""

    def __init__(self, problems: Sequence[str], source: str | Path | None = None, *, heading: str | None = None):
        self.problems = list(problems)
        self.source = str(source) if source is not None else None
        # `heading` when the mistake is on the command line (-p, --data, --only), not in the file
        head = heading or (f"invalid report configuration {self.source}" if self.source
                           else "invalid report configuration")
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class LockHeld(ReportError, RuntimeError):
    """Another report run holds ``reports/.lock``."""


class OutputError(ReportError, OSError):
    """The reports folder cannot be written (permissions, a full disk); nothing of the run was kept."""


class SchedulerError(ReportError, OSError):
    """The Dask scheduler cannot be reached, or its address cannot be parsed."""
