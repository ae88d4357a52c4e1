"""Imported once, by the fork server of the local worker pool (:mod:`.pool`), never by anything else.

What every worker needs before it can run a notebook: Papermill (with nbclient and jupyter_client), nbformat, and
nbconvert's two HTML exporters with their templates compiled. Workers fork from the server with all of it in
memory. Importing this module has those side effects on purpose: it exists to be preloaded.
"""

from __future__ import annotations

from .worker import _html_exporter, quiet_worker

quiet_worker()  # first: it keeps jsonschema (imported by nbformat) from building grammars no notebook needs

import nbformat  # noqa: E402
import papermill  # noqa: E402,F401


def _compile_templates() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1")]
    for brief in (False, True):
        _html_exporter(brief).from_notebook_node(nb)


try:
    _compile_templates()
except Exception:  # noqa: BLE001 - a fork server that dies here takes the pool with it; a worker that meets the
    pass           # same problem records it against its run, with the notebook's name
