"""``python -m krihs_analysis.reports _worker TASK.json RESULT.json``: one run in a fresh process (the Dask path).

Everything a person runs goes through ``krihs-analysis`` (:mod:`krihs_analysis.cli`).
"""

import json
import sys
from pathlib import Path

from .._io import write_atomic
from .worker import execute_run

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "_worker":
        print("usage: python -m krihs_analysis.reports _worker TASK.json RESULT.json (internal; use krihs-analysis)",
              file=sys.stderr)
        sys.exit(2)
    rec = execute_run(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    # Atomic: the runner reads this file as soon as the process ends, and a half-written one is not a record.
    write_atomic(Path(sys.argv[3]), json.dumps(rec))
