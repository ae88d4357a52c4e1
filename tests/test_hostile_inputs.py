"""A permanent, generic sweep of wrong arguments over every public function of the fast modules (issue 11).

The rule (README, "For contributors"): a user's mistake raises ``ValueError`` (or a subclass: ``CaseDataError``,
``ConfigError``) whose message says what to change, never an ``AttributeError``, ``TypeError``, ``KeyError``,
``IndexError``, ``ZeroDivisionError`` or a numpy/pandas error from inside; and no input is ever modified.
The hand-written files (test_inputs.py, test_qca_inputs.py, test_brief_inputs.py …) pin the messages of the
mistakes earlier sweeps found; this file makes sure a *new* function or parameter is swept too, without anyone
remembering to write its cases.

How it works:

* ``REGISTRY`` holds one valid call per public function of ``FAST_MODULES`` (every name in their ``__all__``),
  built on the embedded sample (``read_cases()``) with small settings so that each call takes milliseconds.
  ``EXCLUDED`` names the functions left out, each with its reason.
* ``test_the_registry_covers_every_public_function`` fails when a module's ``__all__`` gains a function that is
  neither in ``REGISTRY`` nor in ``EXCLUDED``: adding a public function means adding its valid call here.
* ``test_hostile_values`` runs once per (function, parameter), *args and **kwargs aside: the valid call with that
  one parameter replaced by each of ``hostile_values(...)``: None (unless the default, the valid value or the
  annotation allows it), a scalar of the wrong type ("x" where a number or flag goes, 5 elsewhere), an empty list,
  a dict (not where a mapping goes), NaN, -1, True (not where a flag goes) and a bare ``object()``. A normal
  return (the value was allowed) or a ``ValueError`` passes; any other exception fails with the function,
  parameter, value and the frame that raised. Afterwards every argument the calls were given (frames, series,
  arrays, lists, dicts, a truth table) must equal its deep copy from before: no input is modified.
* ``test_every_registered_call_is_valid`` runs each registry call as it is: a call that failed on its own would
  make every hostile value "raise ValueError" and the sweep check nothing.

To add a function: add ``"module.name": lambda c: {param: value, ...}`` to ``REGISTRY`` — the smallest valid
call, taking its inputs from ``c`` (the shared ``_Inputs``: sample cases, QCA set data, a truth table, files in a
temporary folder). Parameters left out are swept at their defaults. A function that draws, starts a kernel or a
browser, or takes more than ~0.3 s belongs in ``EXCLUDED`` with the reason, and its own test file.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import importlib
import inspect
import math
import traceback
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

# The public modules are listed once, in test_api_shape.py; read the list from its source rather than importing
# it (importing it would import every public module, figures and the report runner included, in this worker).
_API_SHAPE = Path(__file__).with_name("test_api_shape.py")
PUBLIC_MODULES: list[str] = next(
    ast.literal_eval(node.value) for node in ast.parse(_API_SHAPE.read_text(encoding="utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PUBLIC_MODULES"
)

# Public modules this sweep does not cover, and why; what is left (plus brief.text, the part of brief that only
# writes sentences) is FAST_MODULES.
SLOW_MODULES = {
    "krihs_analysis.pipeline": "runs the whole standard analysis set (seconds per call)",
    "krihs_analysis.figures": "draws figures (matplotlib; the figures marker, not the fast loop)",
    "krihs_analysis.brief": "compose() draws every figure; its sentence functions are swept as brief.text",
    "krihs_analysis.reports": "runs notebooks in kernels (the slow marker)",
    "krihs_analysis.pdf": "prints with Chromium and reads PDFs with poppler",
}
FAST_MODULES = [m for m in PUBLIC_MODULES if m not in SLOW_MODULES]

# Functions of FAST_MODULES left out of the sweep, with the reason (shown here so the exclusion is visible). None is
# today: nothing in these modules draws, starts a kernel or a browser, and every registered call takes < 50 ms
# (write_template, build and ordinal_model are the slowest). Add "module.name": "why" rather than a slow entry.
EXCLUDED: dict[str, str] = {}

# Parameters not swept: *args and **kwargs (they have no single value to replace) are skipped by kind.
_VAR_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _minimize(tt, **kwargs):
    from krihs_analysis import qca

    return qca.minimize(tt, **kwargs)


class _Inputs:
    """The valid inputs the registry's calls share: made once per test module, handed out as fresh copies, so
    that a call which modifies its input is caught in its own test and cannot leak into the next function's."""

    def __init__(self, tmp: Path):
        self.tmp = tmp

    @cached_property
    def _cases(self) -> pd.DataFrame:
        from krihs_analysis.data import read_cases

        return read_cases()

    @cached_property
    def _qdata(self) -> pd.DataFrame:
        from krihs_analysis import qca

        return qca.from_cases(self._cases)

    @cached_property
    def _tt(self):
        from krihs_analysis import qca

        return qca.truth_table(self._qdata, **_QCA, incl_cut=0.8)

    @property
    def cases(self) -> pd.DataFrame:
        return self._cases.copy(deep=True)

    @property
    def qdata(self) -> pd.DataFrame:
        return self._qdata.copy(deep=True)

    @property
    def qdata_country(self) -> pd.DataFrame:
        # the cluster diagnostics group by a country column (their default groups="country")
        return self.qdata.assign(country=self._cases.set_index("case_id")["country"].astype(str))

    @property
    def tt(self):
        return copy.deepcopy(self._tt)

    @cached_property
    def coder_files(self) -> list[Path]:
        from krihs_analysis import paths

        # the sample's first four cases: validating a sheet is most of the cost of reading it
        sheet = pd.read_csv(paths.SAMPLE_CASES, dtype=str, keep_default_na=False).head(4)
        out = [self.tmp / "coder_a.csv", self.tmp / "coder_b.csv"]
        sheet.to_csv(out[0], index=False)
        sheet.loc[0, "integration"] = "0"
        sheet.to_csv(out[1], index=False)
        return out

    @property
    def processed(self) -> Path:
        # what the registry's build() call writes (test_every_registered_call_is_valid makes it first): a build
        # validates its sheet and writes parquet, 40 ms
        path = self.tmp / "build" / "cases.parquet"
        if not path.is_file():
            from krihs_analysis.data import build

            build(self.coder_files[0], out_dir=path.parent)
        return path

    def coders(self) -> list[pd.DataFrame]:
        a = self.cases[["case_id", "integration"]].copy()
        b = a.copy()
        b.loc[b.index[0], "integration"] = 0
        return [a, b]


# Three conditions of the sample, crisp: at incl_cut=0.8 one truth-table row is positive (at 1.0 none is, and every
# minimisation would stop at "no row has OUT = 1" whatever the argument under test).
_QCA = {"outcome": "sustainability", "conditions": ["resident_org", "intermediary", "integration"]}
# The intermediate solution, so that dir_exp is read (the other kinds ignore it) and a wrong one is seen.
_INTERMEDIATE = {"kind": "intermediate", "dir_exp": {"resident_org": 1, "intermediary": 1, "integration": 1}}
_ROW_ASSOC = {"x": "integration", "y": "sustainability", "method": "kendall", "statistic": 0.52, "ci_low": 0.25,
              "ci_high": 0.74, "p_value": 0.003, "p_method": "exact", "n": 26, "strata": None}
_ROW_COMP = {"variable": "integration", "median_kr": 2.0, "median_jp": 2.0, "cliffs_delta": 0.12, "ci_low": -0.3,
             "ci_high": 0.5, "p_value": 0.52, "p_holm": 1.0}

# One valid call per public function: "module.name" -> inputs -> {parameter: value}. Small settings (n_boot=0,
# few permutations, three QCA conditions) keep each call to milliseconds.
REGISTRY: dict[str, Callable[[_Inputs], dict[str, Any]]] = {
    # -- data -----------------------------------------------------------------------------------------------------
    "krihs_analysis.data.build": lambda c: {"raw": c.coder_files[0], "out_dir": c.tmp / "build"},
    "krihs_analysis.data.case_municipalities": lambda c: {"cases": c.cases, "lang": "ko"},
    "krihs_analysis.data.context_sources": lambda c: {},
    "krihs_analysis.data.core_task_indices": lambda c: {"cases": c.cases},
    "krihs_analysis.data.default_clusters": lambda c: {"cases": c.cases},
    "krihs_analysis.data.is_illustrative": lambda c: {"cases": c.cases},
    "krihs_analysis.data.is_jp_local_government_code": lambda c: {"code": "342149"},
    "krihs_analysis.data.jp_municipality_names": lambda c: {},
    "krihs_analysis.data.numeric_codes": lambda c: {"cases": c.cases, "variables": ["integration"]},
    "krihs_analysis.data.read_cases": lambda c: {},
    "krihs_analysis.data.read_context": lambda c: {"name": "rmo_survey"},
    "krihs_analysis.data.survey_gaps": lambda c: {"survey": pd.DataFrame({"survey_year": [2016, 2019]})},
    "krihs_analysis.data.read_processed": lambda c: {"path": c.processed},
    "krihs_analysis.data.read_raw": lambda c: {"path": c.coder_files[0]},
    "krihs_analysis.data.to_long": lambda c: {"cases": c.cases, "variables": ["integration"]},
    # -- codebook -------------------------------------------------------------------------------------------------
    "krihs_analysis.codebook.load_codebook": lambda c: {},
    "krihs_analysis.codebook.as_codebook": lambda c: {"codebook": None},
    "krihs_analysis.codebook.check_lang": lambda c: {"lang": "ja"},
    "krihs_analysis.codebook.check_variables": lambda c: {"names": ["integration"]},
    "krihs_analysis.codebook.fold_header": lambda c: {"text": "  Case   ID "},
    # -- compare --------------------------------------------------------------------------------------------------
    "krihs_analysis.compare.compare_countries": lambda c: {"cases": c.cases, "variables": ["integration"],
                                                           "n_boot": 0, "n_permutations": 99},
    "krihs_analysis.compare.level_distribution": lambda c: {"cases": c.cases, "variables": ["integration"]},
    "krihs_analysis.compare.core_task_profile": lambda c: {"cases": c.cases, "n_boot": 0},
    "krihs_analysis.compare.case_profile": lambda c: {"cases": c.cases, "case_id": "KR-P1-A", "variables": ["integration"]},
    "krihs_analysis.compare.default_variables": lambda c: {},
    # -- linkage --------------------------------------------------------------------------------------------------
    "krihs_analysis.linkage.association": lambda c: {"cases": c.cases, "n_boot": 0, "n_permutations": 99},
    "krihs_analysis.linkage.ordinal_model": lambda c: {"cases": c.cases, "outcome": "sustainability",
                                                       "predictors": ["integration"]},
    "krihs_analysis.linkage.firth_logit": lambda c: {"cases": c.cases, "outcome": "continued",
                                                     "predictors": ["integration"], "profile": False},
    "krihs_analysis.linkage.leave_one_out": lambda c: {"cases": c.cases.head(6), "fn": _spearman},
    # -- reliability ----------------------------------------------------------------------------------------------
    "krihs_analysis.reliability.agreement": lambda c: {"sheets": c.coders()},
    "krihs_analysis.reliability.agreement_report": lambda c: {"paths": c.coder_files, "variables": ["integration"]},
    "krihs_analysis.reliability.krippendorff_alpha": lambda c: {"data": np.array([[1, 2, 3, 3], [1, 2, 3, 2]],
                                                                                  dtype=float)},
    "krihs_analysis.reliability.weighted_kappa": lambda c: {"a": [0, 1, 2, 2], "b": [0, 1, 2, 1],
                                                            "weights": "linear"},
    # -- qca ------------------------------------------------------------------------------------------------------
    "krihs_analysis.qca.calibrate": lambda c: {"x": [0, 20, 50, 80, 100], "thresholds": (20, 50, 80)},
    "krihs_analysis.qca.from_cases": lambda c: {"cases": c.cases},
    "krihs_analysis.qca.evaluate": lambda c: {"data": c.qdata, "terms": "resident_org + ~integration"},
    "krihs_analysis.qca.fit": lambda c: {"data": c.qdata, "expression": "resident_org + integration",
                                         "outcome": "sustainability"},
    "krihs_analysis.qca.necessity": lambda c: {"data": c.qdata, **_QCA},
    "krihs_analysis.qca.xy_data": lambda c: {"data": c.qdata, "expression": "resident_org",
                                             "outcome": "sustainability"},
    "krihs_analysis.qca.truth_table": lambda c: {"data": c.qdata, **_QCA, "incl_cut": 0.8},
    "krihs_analysis.qca.minimize": lambda c: {"tt": c.tt, **_INTERMEDIATE},
    "krihs_analysis.qca.incl_cut_robustness": lambda c: {"data": c.qdata, **_QCA, "incl_cuts": [0.8, 1.0],
                                                         **_INTERMEDIATE},
    "krihs_analysis.qca.braumoeller_test": lambda c: {"configs": {"aB": 5, "bCD": 3, "Ce": 2}, "freq_y": 0.7,
                                                      "total_configs": 20},
    "krihs_analysis.qca.cluster_diagnostics": lambda c: {"data": c.qdata_country, "outcome": "sustainability",
                                                         "expression": "resident_org"},
    "krihs_analysis.qca.cluster_permutation_test": lambda c: {
        "data": c.qdata_country, "outcome": "sustainability", "expression": "resident_org", "n_permutations": 99},
    "krihs_analysis.qca.skewness": lambda c: {"data": c.qdata},
    "krihs_analysis.qca.threshold_ranges": lambda c: {"data": c.qdata, **_QCA, "incl_cut": 0.8, "max_runs": 1,
                                                      **_INTERMEDIATE},
    "krihs_analysis.qca.calibration_ranges": lambda c: {
        "data": c.qdata, **_QCA, "incl_cut": 0.8, "condition": "integration",
        "raw": c.cases["integration"].astype(float), "thresholds": 2, "method": "crisp", "max_runs": 1,
        **_INTERMEDIATE},
    "krihs_analysis.qca.robustness": lambda c: {"data": c.qdata, "outcome": "sustainability",
                                                "initial": "resident_org", "tests": ["resident_org*integration"]},
    "krihs_analysis.qca.robust_cases": lambda c: {"data": c.qdata, "outcome": "sustainability",
                                                  "initial": "resident_org", "tests": ["resident_org*integration"]},
    "krihs_analysis.qca.case_roles": lambda c: {"data": c.qdata, "outcome": "sustainability",
                                                "expression": "resident_org"},
    "krihs_analysis.qca.esa_exclusions": lambda c: {"tt": c.tt, "untenable": ["~resident_org*intermediary"]},
    "krihs_analysis.qca.enhanced_minimize": lambda c: {"tt": c.tt, "untenable": ["~resident_org*intermediary"],
                                                       **_INTERMEDIATE},
    "krihs_analysis.qca.theory_evaluation": lambda c: {
        "data": c.qdata, "outcome": "sustainability", "theory": "resident_org", "solution": "resident_org*integration"},
    # -- display --------------------------------------------------------------------------------------------------
    "krihs_analysis.display.banner": lambda c: {"cases": c.cases},
    "krihs_analysis.display.header": lambda c: {"name": "p_holm", "lang": "ko"},
    "krihs_analysis.display.labelled": lambda c: {"frame": pd.DataFrame({"variable": ["integration"],
                                                                         "p_value": [0.12345]}), "lang": "ja"},
    "krihs_analysis.display.prose": lambda c: {"key": "nb05_intro"},
    "krihs_analysis.display.expression": lambda c: {"text": "intermediary*~integration", "lang": "ja"},
    "krihs_analysis.display.solution_note": lambda c: {"solution": _minimize(c.tt, kind="parsimonious"), "lang": "ko"},
    "krihs_analysis.display.fmt_int": lambda c: {"x": 1844},
    "krihs_analysis.display.fmt_num": lambda c: {"x": -0.5},
    "krihs_analysis.display.fmt_cut": lambda c: {"x": 0.75},
    "krihs_analysis.display.fmt_p": lambda c: {"p": 0.04},
    "krihs_analysis.display.fmt_sig": lambda c: {"x": 0.0021834},
    # -- wording --------------------------------------------------------------------------------------------------
    "krihs_analysis.wording.domains": lambda c: {},
    "krihs_analysis.wording.phrase": lambda c: {"domain": "common", "key": "illustrative_short", "lang": "en"},
    "krihs_analysis.wording.phrases": lambda c: {"domain": "common"},
    "krihs_analysis.wording.value_word": lambda c: {"value": "BCa (whole clusters resampled)", "lang": "en"},
    "krihs_analysis.wording.in_sentence": lambda c: {"label": "Project integration", "lang": "en"},
    # -- template -------------------------------------------------------------------------------------------------
    "krihs_analysis.template.write_template": lambda c: {"path": c.tmp / "template.xlsx"},
    # -- brief.text -----------------------------------------------------------------------------------------------
    "krihs_analysis.brief.text.association_sentence": lambda c: {"row": dict(_ROW_ASSOC)},
    "krihs_analysis.brief.text.comparison_sentence": lambda c: {"row": dict(_ROW_COMP)},
    "krihs_analysis.brief.text.core_task_sentence": lambda c: {
        "row": {"group": "KR-P2", "task": "task4_intermediary", "mean": 0.5, "benchmark": 2.1}},
    "krihs_analysis.brief.text.draft_findings": lambda c: {"results": {"comparison": pd.DataFrame([{
        "variable": "integration", "median_kr": 1.0, "median_jp": 2.0, "cliffs_delta": -0.6, "ci_low": -0.85,
        "ci_high": -0.2, "p_value": 0.004, "p_holm": 0.04, "p_method": "exact"}])}},
    "krihs_analysis.brief.text.implication_sentence": lambda c: {
        "row": {"task": "task4_intermediary", "gap": 0.9, "n_programmes_below": 7, "n_programmes": 7}, "rank": 1},
    "krihs_analysis.brief.text.is_weak": lambda c: {"ci_low": -0.1, "ci_high": 0.5, "p": 0.01},
    "krihs_analysis.brief.text.qca_sentence": lambda c: {"model": "resident_org*intermediary",
                                                         "fit": {"consistency": 0.92, "coverage": 0.71}},
    "krihs_analysis.brief.text.qca_words": lambda c: {"model": "resident_org*intermediary + ~gov_role",
                                                      "lang": "ja"},
    "krihs_analysis.brief.text.status_sentence": lambda c: {"summary": {
        "n_kr": 14, "n_jp": 12, "n_programmes": 7, "n_ministries": 3, "n_continued_kr": 9, "n_continued_jp": 11}},
}


def _spearman(cases, **kwargs):
    # leave_one_out's analysis: association with no resampling, so its 7 runs on 6 cases stay fast
    from krihs_analysis.linkage import association

    return association(cases, method="spearman", n_boot=0, n_permutations=99, **kwargs)


def public_functions() -> dict[str, Callable]:
    """Qualified name -> function, for every callable in a FAST_MODULES ``__all__`` (a module without one: its
    public functions). Classes (result types, errors, warnings) and constants are not calls a user makes with
    options, so they are not swept; a cached function or a decorated one is."""
    out = {}
    for module_name in FAST_MODULES:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, obj in vars(module).items() if not n.startswith("_") and inspect.isfunction(obj)
                     and obj.__module__ == module_name]
        for attr in names:
            obj = getattr(module, attr)
            if callable(obj) and not inspect.isclass(obj):
                out[f"{module_name}.{attr}"] = obj
    return out


FUNCTIONS = public_functions()


# --------------------------------------------------------------------------------------------------------------
# the hostile values


class _Opaque:
    """A bare object: no length, no iteration, no arithmetic, no columns (``object()`` with a readable repr)."""

    def __repr__(self) -> str:
        return "object()"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def hostile_values(param: inspect.Parameter, valid: Any) -> list[Any]:
    """The wrong values to try for ``param`` in place of ``valid`` (the registry's value, or the default)."""
    values: list[Any] = []
    # None only where it is not documented as allowed: not the default, not the valid value, not in the annotation
    # ("int | None"); where it is allowed it would only re-run the whole analysis
    if valid is not None and param.default is not None and "None" not in str(param.annotation):
        values.append(None)
    # a scalar of the wrong type: text where a number or a flag goes, a number everywhere else
    values.append("x" if _is_number(valid) or isinstance(valid, (bool, np.bool_)) else 5)
    values.append([])
    if not isinstance(valid, Mapping):  # where a mapping goes, {} is the right type, empty (dir_exp: no expectations)
        values.append({})
    values += [math.nan, pd.NA, -1]  # pd.NA: the missing value of nullable columns (Int64, Float64, boolean)
    if not isinstance(valid, (bool, np.bool_)):  # for a flag True is a value, not a mistake (and a whole re-run)
        values.append(True)
    values.append(_Opaque())
    return values


# --------------------------------------------------------------------------------------------------------------
# the call, and the inputs before and after it


def _call(func: Callable, sig: inspect.Signature, kwargs: dict[str, Any]) -> Any:
    # positional-only parameters (wording.phrase) by position, the rest by name
    args = [kwargs.pop(p.name) for p in sig.parameters.values()
            if p.kind is p.POSITIONAL_ONLY and p.name in kwargs]
    return func(*args, **kwargs)


def _differs(new: Any, old: Any) -> bool:
    """Whether ``new`` is no longer what its deep copy ``old`` was (frames, series, arrays, containers of them,
    frozen result objects such as a TruthTable). ``DataFrame.equals`` first: assert_frame_equal costs 3 ms a
    call, and most tests pass the sample."""
    if isinstance(old, pd.DataFrame):
        return not (isinstance(new, pd.DataFrame) and new.equals(old) and new.columns.equals(old.columns)
                    and new.index.equals(old.index) and new.dtypes.equals(old.dtypes) and new.attrs == old.attrs)
    if isinstance(old, pd.Series):
        return not (isinstance(new, pd.Series) and new.equals(old) and new.index.equals(old.index)
                    and new.dtype == old.dtype and new.name == old.name)
    if isinstance(old, np.ndarray):
        return not (isinstance(new, np.ndarray) and new.dtype == old.dtype
                    and np.array_equal(new, old, equal_nan=new.dtype.kind in "fc"))
    if isinstance(old, dict):
        return (not isinstance(new, dict) or list(new) != list(old)
                or any(_differs(new[k], old[k]) for k in old))
    if isinstance(old, (list, tuple)):
        return (type(new) is not type(old) or len(new) != len(old)
                or any(_differs(a, b) for a, b in zip(new, old)))
    if dataclasses.is_dataclass(old) and not isinstance(old, type):
        return any(_differs(getattr(new, f.name), getattr(old, f.name)) for f in dataclasses.fields(old))
    if isinstance(old, (str, int, float, Path, type(None))):
        return not (new == old or (isinstance(old, float) and math.isnan(old) and math.isnan(new)))
    return False  # functions, codebooks: compared by identity through the call


def _assert_unchanged(label: str, kwargs: dict[str, Any], before: dict[str, Any]) -> None:
    for key, old in before.items():
        new = kwargs[key]
        if not _differs(new, old):
            continue
        where = f"{label}: the calls modified the input {key}= (an input is never modified)"
        if isinstance(old, pd.DataFrame):  # the differences, in pandas' words
            pd.testing.assert_frame_equal(new, old, obj=where)
        pytest.fail(f"{where}:\nbefore: {old!r:.500}\nafter:  {new!r:.500}", pytrace=False)


def _last_frame(exc: BaseException) -> str:
    """The frame that raised and, when that is in pandas, numpy or the standard library, the package's last frame
    (the line to fix)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "krihs_analysis" in Path(f.filename).parts]
    shown = [frames[-1]] + ([ours[-1]] if ours and ours[-1] is not frames[-1] else [])
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}: {f.line}" for f in shown)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> _Inputs:
    return _Inputs(tmp_path_factory.mktemp("hostile"))


# --------------------------------------------------------------------------------------------------------------
# the tests


def test_the_registry_covers_every_public_function():
    # a public function without a valid call here would escape the sweep in silence
    missing = sorted(set(FUNCTIONS) - set(REGISTRY) - set(EXCLUDED))
    assert not missing, f"add a valid call to REGISTRY (or a reason to EXCLUDED) for: {missing}"
    stale = sorted((set(REGISTRY) | set(EXCLUDED)) - set(FUNCTIONS))
    assert not stale, f"REGISTRY/EXCLUDED name functions that are not public any more: {stale}"
    assert set(SLOW_MODULES) <= set(PUBLIC_MODULES), "SLOW_MODULES names a module test_api_shape does not list"
    assert len(REGISTRY) > 60  # a guard against an empty parametrisation passing in silence


def test_every_registered_call_is_valid(inputs):
    # A registry call that fails on its own would make every hostile value "raise ValueError" and pass: the sweep
    # would check nothing. Each must return normally and leave its inputs as they were.
    broken = []
    for name in sorted(REGISTRY):
        func, valid = FUNCTIONS[name], REGISTRY[name](inputs)
        before = {k: copy.deepcopy(v) for k, v in valid.items()}
        try:
            _call(func, inspect.signature(func), dict(valid))
        except Exception as exc:  # noqa: BLE001 - any failure of a valid call is the registry's mistake
            broken.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        _assert_unchanged(f"{name}() with its valid arguments", valid, before)
    if broken:
        pytest.fail("REGISTRY holds calls that are not valid; fix them:\n" + "\n".join(broken), pytrace=False)


def _cases() -> list[tuple[str, str]]:
    return [(name, p.name) for name in sorted(REGISTRY) if name in FUNCTIONS
            for p in inspect.signature(FUNCTIONS[name]).parameters.values() if p.kind not in _VAR_KINDS]


_CASES = _cases()


@pytest.mark.parametrize(("name", "param"), _CASES, ids=[f"{n.removeprefix('krihs_analysis.')}-{p}" for n, p in _CASES])
def test_hostile_values(inputs, name, param):
    func = FUNCTIONS[name]
    sig = inspect.signature(func)
    valid = REGISTRY[name](inputs)
    before = {k: copy.deepcopy(v) for k, v in valid.items()}
    parameter = sig.parameters[param]
    failures = []
    given = valid.get(param, parameter.default)
    # a flag takes True or False: text or a number in its place is a mistake to say, not a truth value to read
    # ("no" read as True); elsewhere a hostile value may also be accepted (None where a default is computed)
    flag = isinstance(given, (bool, np.bool_))
    for value in hostile_values(parameter, given):
        try:
            _call(func, sig, {**valid, param: value})
        except ValueError:  # the rule: ValueError (CaseDataError, ConfigError ...) saying what to pass
            pass
        except Exception as exc:  # noqa: BLE001 - every other exception is what the sweep looks for
            failures.append(f"  {name.removeprefix('krihs_analysis.')}({param}={value!r}) raised "
                            f"{type(exc).__name__}: {str(exc)[:200]}\n      at {_last_frame(exc)}")
        else:
            if flag and value is not None:
                failures.append(f"  {name.removeprefix('krihs_analysis.')}({param}={value!r}) was read as a flag's "
                                "truth value; check it with _validate.check_flag")
    if failures:
        pytest.fail("a wrong value must raise ValueError saying what to pass, not:\n" + "\n".join(failures),
                    pytrace=False)
    _assert_unchanged(f"{name}() with hostile {param}=", valid, before)


def test_the_mutation_guard_sees_a_changed_input():
    # the guard is what makes "no input may change" a test: it must see a cell, a dtype, an attrs entry, a list
    # element and a dataclass field changed in place (and nothing when nothing changed)
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    changes = {
        "cell": lambda f: f.__setitem__("a", [1.0, 3.0]),
        "dtype": lambda f: f.__setitem__("a", f["a"].astype("float32")),
        "attrs": lambda f: f.attrs.__setitem__("illustrative", True),
        "column": lambda f: f.insert(1, "b", 0),
    }
    for what, change in changes.items():
        new = frame.copy()
        before = {"data": copy.deepcopy(new)}
        change(new)
        with pytest.raises((AssertionError, pytest.fail.Exception), match="modified the input data="):
            _assert_unchanged(what, {"data": new}, before)
    _assert_unchanged("same", {"data": frame.copy()}, {"data": frame.copy()})
    items = [np.array([1, 2]), {"k": [1]}]
    before = copy.deepcopy(items)
    items[1]["k"].append(2)
    assert _differs(items, before) and not _differs(before, copy.deepcopy(before))

    @dataclasses.dataclass
    class Holder:
        table: pd.DataFrame

    held = Holder(frame.copy())
    old = copy.deepcopy(held)
    held.table.loc[0, "a"] = -1.0
    assert _differs(held, old)
