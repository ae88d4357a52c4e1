"""Project-wide pytest hooks.

nbval re-executes every notebook cell but compares only text and HTML: a figure that fails to appear passes it.
This hook fails any executed cell that calls a figure function and displays fewer images than it draws.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "tests"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed or type(item).__name__ != "IPyNbCell":
        return
    from figure_cells import expected_images, image_count

    want = expected_images(item.cell.source)
    got = image_count(item.test_outputs or [])
    if got < want:
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid}: the cell draws {want} figure(s) but displays {got} image(s) — a figure "
                           f"vanished (see figures.style.house_style)")
