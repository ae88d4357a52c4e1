"""Memberships the set-theoretic diagnostics share: an expression's terms, the outcome, the solution's model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_frame

from .expression import Literal, _columns, evaluate_terms, parse
from .truthtable import _outcome_literal

# SetMethods adds this to numerators and denominators so that 0/0 reads as 1.
TINY = 1e-10


def literal_text(lit: Literal) -> str:
    lv = "" if lit.levels is None else "[" + ",".join(map(str, lit.levels)) + "]"
    return ("~" if lit.negated else "") + lit.name + lv


def expression_text(expression) -> str:
    """The expression as given; a :class:`Solution` stands for its first model M1."""
    from .minimize import Solution

    if isinstance(expression, Solution):
        if not expression.models:
            raise ValueError("the solution has no model; there is nothing to diagnose.")
        return expression.models[0]
    if not isinstance(expression, str) or not expression.strip():
        raise ValueError(f"expression must be a string such as 'A*~B + C' or a Solution; got {expression!r}.")
    return expression.strip()


def term_memberships(expression, data: pd.DataFrame) -> tuple[str, list[str], np.ndarray]:
    """(expression as given, term labels in written order, memberships of shape (n_cases, n_terms))."""
    text = expression_text(expression)
    terms = parse(text)
    labels = ["*".join(literal_text(lit) for lit in t) or "1" for t in terms]
    return text, labels, evaluate_terms(terms, data)


def membership(expression, data: pd.DataFrame) -> np.ndarray:
    """Membership of every case in the whole expression (max over terms)."""
    _, _, m = term_memberships(expression, data)
    return m.max(axis=1)


def outcome_membership(data: pd.DataFrame, outcome: str) -> np.ndarray:
    """Membership in ``"NAME"``, ``"~NAME"`` or ``"NAME[v]"`` (as :func:`truth_table` reads the outcome)."""
    check_frame(data, "data")
    lit = _outcome_literal(outcome)
    col = _columns(data, [lit.name])[lit.name]
    if lit.levels is not None:
        y = np.isin(col, lit.levels).astype(np.float64)
    else:
        if (col < 0).any() or (col > 1).any():
            raise ValueError(f"outcome {lit.name!r} must hold memberships in [0, 1]; calibrate it first.")
        y = col.astype(np.float64)
    return 1.0 - y if lit.negated else y


def case_ids(data: pd.DataFrame) -> list[str]:
    """Case labels as strings, exactly as written ("NA" stays "NA"); a missing label is an error."""
    ids = []
    for i, v in enumerate(data.index):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            raise ValueError(
                f"case label of row {i + 1} is missing; a case labelled 'NA' (e.g. Namibia) was probably read as "
                "missing: read the file with krihs_analysis.qca.read_data or pandas keep_default_na=False."
            )
        ids.append(str(v))
    return ids
