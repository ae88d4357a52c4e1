"""Project-wide pytest hooks.

nbval re-executes every notebook cell but compares only text and HTML: a figure that fails to appear passes it.
This hook fails any executed cell that calls a figure function and displays fewer images than it draws.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "tests"))


@pytest.fixture(autouse=True)
def _examples_write_into_the_tests_tmp_path(request):
    """The examples make folders with ``tempfile.mkdtemp()``, as a user would; run as doctests, those land in the
    test's own ``tmp_path`` (pytest keeps the last three runs) instead of piling up in /tmp run after run."""
    if type(request.node).__name__ != "DoctestItem":
        yield
        return
    import tempfile

    before = tempfile.tempdir
    tempfile.tempdir = str(request.getfixturevalue("tmp_path"))
    try:
        yield
    finally:
        tempfile.tempdir = before


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed or type(item).__name__ != "IPyNbCell":
        return
    from notebook_checks import expected_images, image_count

    want = expected_images(item.cell.source)
    got = image_count(item.test_outputs or [])
    if got < want:
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid}: the cell draws {want} figure(s) but displays {got} image(s) — a figure "
                           f"vanished (see figures.style.house_style)")


# Markers for the fast inner loop (`make test-fast` deselects them): what renders figures, runs notebooks, a report,
# a browser or a subprocess of the whole package. Applied here by location so that no test can forget its marker.
_HEAVY_FILES = {
    "test_figures.py": "figures", "test_figures_io.py": "figures", "test_figures_fiscal.py": "figures",
    "test_figures_inputs.py": "figures",
    "test_pdf.py": "slow", "test_brief.py": "slow",
    "test_reports.py": "slow", "test_reports_features.py": "slow", "test_cli.py": "slow",
    "test_store_inputs.py": "slow",  # the runner's own checks: imports Papermill and nbconvert (1 CPU-s a worker)
}


def _file_marker(path: Path) -> str | None:
    if path.name in _HEAVY_FILES:
        return _HEAVY_FILES[path.name]
    if path.suffix == ".py" and "figures" in path.parts and "src" in path.parts:
        return "figures"
    return None


# Examples that start a kernel, load nbconvert's exporters or run Chromium or poppler: slow, whatever module they are
# in (the runner's and the PDF module's examples are otherwise part of the fast loop).
_RUNS_SOMETHING = re.compile(r"\b(execute_notebook|execute_run|run_reports|refresh_notebooks|export_html|export_pdf|"
                             r"print_pdf|word_boxes|page_fill|layout_problems)\(")


# The fork server's preload: importing it loads Papermill and nbconvert and compiles their templates (about 0.8 s),
# which is its whole job and no test's; it has no doctest.
_NEVER_COLLECT = {"_warm.py"}


def pytest_ignore_collect(collection_path, config):
    """A file whose every test the -m expression deselects is not imported at all (the fast loop skips importing
    the report, brief and figure test modules: about half a second per worker)."""
    if Path(collection_path).name in _NEVER_COLLECT and "reports" in Path(collection_path).parts:
        return True
    expr = config.getoption("markexpr")
    marker = _file_marker(Path(collection_path)) if expr else None
    if marker is None:
        return None
    from _pytest.mark.expression import Expression

    return True if not Expression.compile(expr).evaluate(lambda name, **kw: name == marker) else None


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if type(item).__name__ in ("IPyNbCell", "IPyNbFile") or path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
        elif _file_marker(path):
            item.add_marker(getattr(pytest.mark, _file_marker(path)))  # the figure modules' doctests draw
        elif type(item).__name__ == "DoctestItem":
            source = "".join(example.source for example in item.dtest.examples)
            if "find_chromium()" in source:
                item.add_marker(pytest.mark.slow)  # the example prints a PDF with Chromium
            elif "worker_pool(" in source:
                item.add_marker(pytest.mark.slow)  # the example starts the runner's fork server and a worker
            elif _RUNS_SOMETHING.search(source):
                item.add_marker(pytest.mark.slow)  # a kernel, nbconvert's exporters, Chromium or poppler
            elif "compose(" in source:
                item.add_marker(pytest.mark.figures)  # composing a brief draws every figure
