"""The README's "one shape for a public function", read from the code rather than trusted.

Every function a user reaches through a public module's ``__all__`` has a numpydoc docstring that documents each of
its parameters and shows a runnable example (the examples run as doctests in ``make test``); its options are
keyword-only; the same thing has the same name everywhere; ``alpha`` is only ever a significance level. Each rule is
a function of one callable, shown failing on a planted example at the bottom of this file.
"""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any, Callable

import pytest

# The modules a user imports (README, notebooks). Private modules (``_io``, ``_validate``, ``qca._sets`` …), the
# CLI and the runner's internals are not the public API; submodules of ``qca``, ``figures`` and ``reports`` reach
# users through their package's ``__all__``.
PUBLIC_MODULES = [
    "krihs_analysis.data", "krihs_analysis.codebook", "krihs_analysis.compare", "krihs_analysis.linkage",
    "krihs_analysis.reliability", "krihs_analysis.qca", "krihs_analysis.pipeline", "krihs_analysis.figures",
    "krihs_analysis.brief", "krihs_analysis.brief.text", "krihs_analysis.display", "krihs_analysis.reports", "krihs_analysis.pdf",
    "krihs_analysis.template", "krihs_analysis.wording",
]

# Parameters that may be passed by position although they have a default: they say *what* is analysed or drawn
# (the variables of a model, a second input table), not how. Everything else with a default is an option and
# keyword-only. The first parameter may have a default too (the embedded sample when None).
WHAT_NOT_HOW = {
    "x", "y",  # linkage.association(cases, x, y)
    "outcome", "conditions", "expression", "columns",  # qca: R QCA's truthTable(data, outcome, conditions)
    "panel", "municipalities", "test",  # a figure's second input table (fiscal_context, qca_groups)
}

# One name for one thing (README, "for contributors"): the names on the left are the other dialects.
SYNONYMS = {
    "n_resamples": "n_boot or n_permutations", "nboot": "n_boot", "n_bootstrap": "n_boot", "n_boots": "n_boot",
    "B": "n_boot", "R": "n_boot", "n_perm": "n_permutations", "nperm": "n_permutations",
    "permutations": "n_permutations", "n_perms": "n_permutations", "random_state": "seed", "rng": "seed",
    "random_seed": "seed", "language": "lang", "locale": "lang", "conf_level": "alpha", "level": "alpha",
    "sig_level": "alpha", "significance": "alpha", "df": "data or cases", "frame_in": "data",
}

_SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}\n", re.MULTILINE)


def public_functions() -> list[tuple[str, Callable]]:
    """(qualified name, function) of every function in a public module's ``__all__``, each once."""
    out, seen = [], set()
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) and id(obj) not in seen:
                seen.add(id(obj))
                out.append((f"{name}.{attr}", obj))
    return out


def sections(doc: str) -> dict[str, str]:
    """The numpydoc sections of a (cleaned) docstring: heading -> body."""
    heads = list(_SECTION.finditer(doc))
    return {m.group(1): doc[m.end():(heads[i + 1].start() if i + 1 < len(heads) else len(doc))]
            for i, m in enumerate(heads)}


def _documented(body: str) -> set[str]:
    # numpydoc entries start in the first column: "name", "name : type" or "a, b : type"
    names: set[str] = set()
    for line in body.splitlines():
        if line and not line[0].isspace():
            names.update(n.strip().lstrip("*") for n in line.split(" : ")[0].split(","))
    return names


def docstring_problems(func: Callable) -> list[str]:
    """What the function's docstring lacks: a Parameters entry for each parameter, an Examples section with
    a ``>>>`` line."""
    doc = inspect.getdoc(func) or ""
    if not doc:
        return ["no docstring"]
    found = sections(doc)
    problems = []
    params = [p.name for p in inspect.signature(func).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("self", "cls")]
    missing = [p for p in params if p not in _documented(found.get("Parameters", ""))]
    if missing:
        problems.append(f"Parameters does not document {missing}")
    if ">>>" not in found.get("Examples", ""):
        problems.append("no Examples section with a >>> line")
    return problems


def positional_options(func: Callable) -> list[str]:
    """Parameters with a default that can be passed by position (the first parameter and WHAT_NOT_HOW aside)."""
    params = list(inspect.signature(func).parameters.values())
    return [p.name for i, p in enumerate(params)
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty and i > 0
            and p.name not in WHAT_NOT_HOW]


def dialect_names(func: Callable) -> list[str]:
    """Parameters named in another dialect than the package's (SYNONYMS)."""
    return [f"{p} (say {SYNONYMS[p]})" for p in inspect.signature(func).parameters if p in SYNONYMS]


def alpha_problems(func: Callable) -> list[str]:
    """An ``alpha`` that is not a significance level: no default, or a default outside (0, 0.5]."""
    p = inspect.signature(func).parameters.get("alpha")
    if p is None:
        return []
    if not isinstance(p.default, float) or not 0 < p.default <= 0.5:
        return [f"alpha defaults to {p.default!r}; alpha is only a significance level (0.05)"]
    return []


FUNCTIONS = public_functions()
_IDS = [name for name, _ in FUNCTIONS]


def test_the_public_api_is_what_the_readme_describes():
    # a guard against an empty parametrisation passing in silence
    assert len(FUNCTIONS) > 100
    assert "krihs_analysis.linkage.association" in _IDS and "krihs_analysis.pipeline.analyse" in _IDS


@pytest.mark.parametrize("func", [f for _, f in FUNCTIONS], ids=_IDS)
def test_every_public_function_documents_its_parameters_and_shows_an_example(func):
    assert not docstring_problems(func)


@pytest.mark.parametrize("func", [f for _, f in FUNCTIONS], ids=_IDS)
def test_options_are_keyword_only(func):
    assert not positional_options(func), inspect.signature(func)


def _every_public_callable() -> list[tuple[str, Any]]:
    # names are checked on classes (dataclass fields) and on every public function, in __all__ or not
    import pkgutil

    import krihs_analysis

    out = []
    for info in pkgutil.walk_packages(krihs_analysis.__path__, "krihs_analysis."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        module = importlib.import_module(info.name)
        for attr, obj in vars(module).items():
            if (not attr.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                    and getattr(obj, "__module__", None) == info.name):
                out.append((f"{info.name}.{attr}", obj))
    return out


def test_the_same_thing_has_the_same_name_everywhere():
    found = {}
    for name, obj in _every_public_callable():
        try:
            bad = dialect_names(obj) + alpha_problems(obj)
        except (TypeError, ValueError):  # a class without an inspectable signature
            continue
        if bad:
            found[name] = bad
    assert not found


# --------------------------------------------------------------------------------------------------------------
# each rule fails on what it exists to catch


def _planted(data, level=0.95, n_resamples=99, *, alpha=5):
    """Summary.

    Parameters
    ----------
    data
        Input.
    """


def test_the_rules_see_a_function_that_breaks_them():
    assert docstring_problems(_planted) == ["Parameters does not document ['level', 'n_resamples', 'alpha']",
                                            "no Examples section with a >>> line"]
    assert positional_options(_planted) == ["level", "n_resamples"]
    assert dialect_names(_planted) == ["level (say alpha)", "n_resamples (say n_boot or n_permutations)"]
    assert alpha_problems(_planted) == ["alpha defaults to 5; alpha is only a significance level (0.05)"]


def test_grouped_and_typed_parameter_entries_count_as_documented():
    def f(cases, *, seed=0, n_boot=9, lang="en"):
        """Summary.

        Parameters
        ----------
        cases : DataFrame
            Case data.
        seed, n_boot
            Seed and draws.
        lang : str
            Language.

        Examples
        --------
        >>> 1
        1
        """

    assert docstring_problems(f) == []
    assert positional_options(f) == []


def test_an_option_that_was_positional_still_works_by_position_for_one_release():
    from krihs_analysis.display import fmt_num, fmt_sig

    with pytest.warns(FutureWarning, match=r"fmt_num\(\): pass digits= by name"):
        assert fmt_num(0.456, 1) == "0.5"
    with pytest.warns(FutureWarning, match=r"fmt_sig\(\): pass digits= by name"):
        assert fmt_sig(0.0021834, 2) == "0.0022"
    assert fmt_num(0.456, digits=1) == "0.5"
    assert str(inspect.signature(fmt_num)) == "(x: 'Any', *, digits: 'int' = 2) -> 'str'"
