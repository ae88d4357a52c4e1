"""The codebook: the one place that names the variables of a case sheet.

Everything that needs a variable name, a label in English, Korean or Japanese, a level or an anchor text reads it
from here (validation schemas, Excel templates, figure labels, notebook tables, brief sentences).

Examples
--------
>>> from krihs_analysis.codebook import load_codebook
>>> cb = load_codebook()
>>> cb["integration"].label("ko")
'사업 간 연계·통합'
>>> cb.items_for_task("task3_planning")
('resident_planning', 'institutional_support')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "LANGS", "TYPES", "NUMERIC_TYPES", "CODED_TYPES", "TASKS", "OUTCOME", "DEFAULT_PATH", "Variable",
    "Codebook", "load_codebook", "as_codebook", "check_lang", "check_variables", "fold_header",
]

LANGS: tuple[str, ...] = ("en", "ko", "ja")
TYPES: tuple[str, ...] = ("identifier", "category", "ordinal", "binary", "count", "percent", "year", "text")
NUMERIC_TYPES: tuple[str, ...] = ("count", "percent", "year")
CODED_TYPES: tuple[str, ...] = ("ordinal", "binary")
TASKS: tuple[str, ...] = ("task1_capacity", "task2_government", "task3_planning", "task4_intermediary")
OUTCOME = "outcome"
DEFAULT_PATH = Path(__file__).with_name("codebook.yaml")


def check_lang(lang: str) -> str:
    """Return `lang` if it is one of the supported languages, else raise a ValueError that lists them.

    Parameters
    ----------
    lang
        A language code; one of :data:`LANGS` (en, ko, ja).

    Returns
    -------
    str
        `lang` itself.

    Raises
    ------
    ValueError
        `lang` is not one of :data:`LANGS`.

    Examples
    --------
    >>> check_lang("ja")
    'ja'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fr': expected one of en, ko, ja
    """
    if not isinstance(lang, str) or lang not in LANGS:  # (pd.NA in LANGS raised "boolean value of NA is ambiguous")
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


@dataclass(frozen=True)
class Variable:
    """One variable of the case sheet, as the codebook defines it."""

    name: str
    type: str
    required: bool
    labels: Mapping[str, str]
    levels: Mapping[Any, Mapping[str, str]] = field(default_factory=dict)
    task: str | None = None
    description: str = ""
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The variable's label in `lang` (en, ko or ja)."""
        return self.labels[check_lang(lang)]

    def level_label(self, code: Any, lang: str = "en") -> str:
        """The label (anchor text) of one level in `lang`."""
        check_lang(lang)
        try:
            return self.levels[code][lang]
        except KeyError:
            raise ValueError(
                f"{self.name}: unknown level {code!r}; expected one of {', '.join(map(str, self.levels))}"
            ) from None

    @property
    def codes(self) -> tuple:
        """The allowed codes, in codebook order (ascending for ordinal and binary variables)."""
        return tuple(self.levels)

    @property
    def is_coded(self) -> bool:
        """True for ordinal and binary codes, the variables the comparisons work on."""
        return self.type in CODED_TYPES


@dataclass(frozen=True)
class Codebook:
    """The parsed codebook: variables in sheet order, core tasks, derived indices and the version."""

    version: str
    variables: Mapping[str, Variable]
    core_tasks: Mapping[str, Mapping[str, Any]]
    derived: Mapping[str, Mapping[str, Any]]
    notices: Mapping[str, Mapping[str, str]]
    path: Path

    def __getitem__(self, name: str) -> Variable:
        try:
            return self.variables[name]
        except KeyError:
            raise ValueError(
                f"{name!r} is not a variable of the codebook ({self.path.name}); "
                f"known variables: {', '.join(self.variables)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.variables

    @property
    def names(self) -> tuple[str, ...]:
        """All variable names in sheet order."""
        return tuple(self.variables)

    def of_type(self, *types: str) -> tuple[str, ...]:
        """Names of the variables whose type is one of `types`, in sheet order."""
        return tuple(n for n, v in self.variables.items() if v.type in types)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(n for n, v in self.variables.items() if v.required)

    @property
    def ordinal(self) -> tuple[str, ...]:
        """The 0-3 ordinal codes."""
        return self.of_type("ordinal")

    @property
    def conditions(self) -> tuple[str, ...]:
        """Ordinal codes that describe a case (everything ordinal except outcomes)."""
        return tuple(n for n in self.ordinal if self.variables[n].task != OUTCOME)

    @property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(n for n, v in self.variables.items() if v.task == OUTCOME)

    def items_for_task(self, task: str) -> tuple[str, ...]:
        """Ordinal items that measure one core task (``task1_capacity`` ... ``task4_intermediary``)."""
        if task not in self.core_tasks:
            raise ValueError(f"unknown core task {task!r}; expected one of {', '.join(self.core_tasks)}")
        return tuple(n for n, v in self.variables.items() if v.task == task and v.type == "ordinal")

    def label(self, name: str, lang: str = "en") -> str:
        """Label of a variable, a core task or a derived index in `lang`."""
        check_lang(lang)
        if name in self.variables:
            return self.variables[name].labels[lang]
        if name in self.derived:
            return self.derived[name]["labels"][lang]
        if name in self.core_tasks:
            return self.core_tasks[name][lang]
        raise ValueError(f"{name!r} is not a variable, core task or derived index of the codebook")

    def notice(self, name: str, lang: str = "en") -> str:
        """A notice in `lang`, e.g. ``notice("illustrative", "ko")``, the note every view of sample data carries."""
        check_lang(lang)
        try:
            return self.notices[name][lang]
        except KeyError:
            raise ValueError(f"unknown notice {name!r}; known: {', '.join(self.notices)}") from None

    def header_aliases(self) -> dict[str, str]:
        """Map every accepted header spelling (name, en/ko/ja labels and former labels, case- and space-folded)
        to the name."""
        aliases: dict[str, str] = {}
        for name, var in self.variables.items():
            for alias in (name, *var.labels.values(), *var.aliases):
                aliases[fold_header(alias)] = name
        return aliases


def fold_header(text: str) -> str:
    """Fold a column header for matching: strip, lower-case, collapse inner white space.

    Parameters
    ----------
    text
        A column header; anything else is turned into a string first.

    Returns
    -------
    str
        The folded header (case-folded, with single spaces between words).

    Examples
    --------
    >>> fold_header("  Case   ID ")
    'case id'
    """
    return " ".join(str(text).split()).casefold()


def _parse(raw: Mapping[str, Any], path: Path) -> Codebook:
    variables: dict[str, Variable] = {}
    for name, spec in raw["variables"].items():
        vtype = spec["type"]
        if vtype not in TYPES:
            raise ValueError(f"{path}: variable {name!r} has unknown type {vtype!r}; expected one of {TYPES}")
        missing = [lang for lang in LANGS if lang not in spec.get("labels", {})]
        if missing:
            raise ValueError(f"{path}: variable {name!r} lacks labels in {missing}")
        levels = {k: MappingProxyType(dict(v)) for k, v in (spec.get("levels") or {}).items()}
        if vtype in ("ordinal", "binary"):
            codes = list(levels)
            if codes != sorted(codes) or not all(isinstance(c, int) for c in codes):
                raise ValueError(f"{path}: {name!r} levels must be ascending integers, got {codes}")
        for code, lab in levels.items():
            if any(lang not in lab for lang in LANGS):
                raise ValueError(f"{path}: level {code!r} of {name!r} lacks an anchor in every language")
        variables[name] = Variable(
            name=name,
            type=vtype,
            required=bool(spec.get("required", False)),
            labels=MappingProxyType(dict(spec["labels"])),
            levels=MappingProxyType(levels),
            task=spec.get("task"),
            description=" ".join(str(spec.get("description", "")).split()),
            min=spec.get("min"),
            max=spec.get("max"),
            pattern=spec.get("pattern"),
            aliases=tuple(spec.get("aliases", ())),
        )
    return Codebook(
        version=str(raw["version"]),
        variables=MappingProxyType(variables),
        core_tasks=MappingProxyType(dict(raw["core_tasks"])),
        derived=MappingProxyType(dict(raw.get("derived", {}))),
        notices=MappingProxyType(dict(raw.get("notices", {}))),
        path=path,
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Codebook:
    from ._io import read_yaml

    return _parse(read_yaml(path), path)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load (and cache) the codebook.

    Parameters
    ----------
    path
        A codebook YAML file; the package's own ``codebook.yaml`` when None.

    Returns
    -------
    Codebook

    Examples
    --------
    >>> load_codebook().version
    '1.3.0'
    """
    if path is None:
        return _load(DEFAULT_PATH)
    from ._validate import check_path  # here: _validate imports pandas, which the default codebook does not need

    return _load(check_path(path, "path", example="path='codebook.yaml' (or None for the package's own)").resolve())


def as_codebook(codebook: Codebook | str | Path | None) -> Codebook:
    """The codebook to use: the package's own (None), one read from a YAML path, or the one given.

    Parameters
    ----------
    codebook : Codebook, str, pathlib.Path or None
        A :class:`Codebook` (returned as it is), the path of a codebook YAML file (read with
        :func:`load_codebook`, cached), or None for the package's own ``codebook.yaml``.

    Returns
    -------
    Codebook

    Raises
    ------
    ValueError
        `codebook` is none of these.

    Examples
    --------
    >>> as_codebook(None).version == load_codebook().version
    True
    >>> as_codebook({})
    Traceback (most recent call last):
    ...
    ValueError: codebook must be a Codebook (krihs_analysis.codebook.load_codebook(path)) or the path of a codebook YAML, got dict
    """
    if codebook is None:
        return load_codebook()
    if isinstance(codebook, (str, Path)):
        return load_codebook(codebook)
    if not isinstance(codebook, Codebook):
        raise ValueError(f"codebook must be a Codebook (krihs_analysis.codebook.load_codebook(path)) or the path of a "
                         f"codebook YAML, got {type(codebook).__name__}")
    return codebook


def check_variables(names: Iterable[str] | str, *, codebook: Codebook | str | Path | None = None, coded: bool = False,
                    numeric: bool = False, name: str = "variables") -> list[str]:
    """Return `names` as a list after checking each is a codebook variable (coded or numeric, when asked).

    Parameters
    ----------
    names
        Variable names; one string is one name.
    codebook : Codebook, path or None
        The codebook the names must belong to: the package's own when None, a YAML file when a path.
    coded
        Only ordinal and binary codes (what the comparisons and agreement statistics work on).
    numeric
        Only variables with numbers for values: codes, counts, percents and years (what models and rank
        statistics can use); category, text and identifier variables are refused.
    name
        The argument's name in the messages.

    Examples
    --------
    >>> check_variables("integration", coded=True)
    ['integration']
    >>> check_variables(["city_size"], numeric=True)
    Traceback (most recent call last):
    ...
    ValueError: 'city_size' is a category variable; variables must be numeric (ordinal, binary, count, percent, year)
    """
    from ._validate import check_flag, check_strings, nearest

    coded, numeric = check_flag(coded, "coded"), check_flag(numeric, "numeric")  # "no" used to count as True
    names = check_strings(names, name, example=f"{name}=['integration']", allow_empty=True)
    cb = as_codebook(codebook)
    allowed = CODED_TYPES if coded else (*CODED_TYPES, *NUMERIC_TYPES) if numeric else None
    out = []
    for var_name in names:
        if var_name not in cb:
            # Only the names this argument takes, and the nearest of them: the whole codebook (case_id, notes ...)
            # listed after a typo such as 'gov_rol' offered names that would be refused next.
            known = [n for n in cb.variables if allowed is None or cb[n].type in allowed]
            near = nearest(var_name, known)
            kind = "the coded variables" if coded else "the numeric variables" if numeric else "the variables"
            raise ValueError(f"{var_name!r} is not a variable of the codebook ({cb.path.name})"
                             + (f"; did you mean {near!r}?" if near else ";")
                             + f" {name} takes {kind}: {', '.join(known)}")
        var = cb[var_name]
        if allowed is not None and var.type not in allowed:
            raise ValueError(f"{var_name!r} is a {var.type} variable; {name} must be "
                             f"{'coded' if coded else 'numeric'} ({', '.join(allowed)})")
        out.append(var_name)
    return out

