"""Truth tables for crisp, multi-value and fuzzy QCA, numbered and coded as R QCA's ``truthTable``."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from krihs_analysis._format import fmt_num, fmt_sig
from krihs_analysis._validate import check_count, check_frame, check_number, check_numbers

from .expression import DONT_CARE, Literal, _columns, parse

__all__ = ["TruthTable", "truth_table"]

# Floating-point slack when comparing consistency with the cut (R compares rounded scores).
_EPS = 1e-10


def _three(v: float) -> str:
    """Inclusion and PRI as R's QCA prints them: three decimals (a dash when undefined)."""
    return fmt_num(v, digits=3)


@dataclass(frozen=True)
class QCAData:
    """Condition memberships, outcome membership and the coding facts minimisation needs."""

    conditions: tuple[str, ...]
    outcome: str
    X: np.ndarray  # (n_cases, k) memberships or multi-value codes
    y: np.ndarray  # (n_cases,) outcome membership
    levels: np.ndarray  # (k,) number of levels per condition (2 for crisp and fuzzy)
    is_mv: np.ndarray  # (k,) condition coded with more than two crisp levels
    fuzzy: bool
    cases: pd.Index
    # Conditions with don't-care values ("-"): their last truth-table level is the don't care (as R numbers rows).
    dc: np.ndarray | None = None

    @property
    def dont_care(self) -> np.ndarray:
        return np.zeros(len(self.levels), dtype=bool) if self.dc is None else self.dc

    @property
    def real_levels(self) -> np.ndarray:
        """Levels of each condition without the don't-care level (the space minimisation works in)."""
        return self.levels - self.dont_care.astype(np.int64)

    @property
    def multivalue(self) -> bool:
        return bool(self.is_mv.any())

    @property
    def weights(self) -> np.ndarray:
        """Mixed-radix place values, first condition most significant (R's row numbering)."""
        w = np.ones(len(self.levels), dtype=np.int64)
        for i in range(len(self.levels) - 2, -1, -1):
            w[i] = w[i + 1] * self.levels[i + 1]
        return w

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.X, index=self.cases, columns=list(self.conditions))
        df[self.outcome] = self.y
        return df

    def corner_membership(self, configs: np.ndarray) -> np.ndarray:
        """Membership of every case in every configuration (corner of the property space); (n_cases, n_configs)."""
        out = np.ones((self.X.shape[0], configs.shape[0]))
        dc = self.dont_care
        for j in range(self.X.shape[1]):
            col = self.X[:, j][:, None]
            v = configs[:, j][None, :]
            if dc[j]:
                m = (np.where(col == DONT_CARE, self.levels[j] - 1, col) == v).astype(np.float64)
            elif self.is_mv[j]:
                m = (col == v).astype(np.float64)
            else:
                m = np.where(v == 1, col, 1.0 - col)
            np.minimum(out, m, out=out)
        return out


def _outcome_literal(outcome: str) -> Literal:
    if not isinstance(outcome, str):
        raise ValueError("outcome must be a column name, optionally negated as '~NAME'.")
    terms = parse(outcome)
    if len(terms) != 1 or len(terms[0]) != 1:
        raise ValueError(f"outcome {outcome!r} must be a single (optionally negated) column, e.g. 'SURV' or '~SURV'.")
    return terms[0][0]


def prepare(data: pd.DataFrame, outcome: str, conditions: Sequence[str] | None) -> QCAData:
    """Validate and code the data for QCA (never modifies ``data``)."""
    check_frame(data, "data")
    lit = _outcome_literal(outcome)
    if conditions is None:
        conditions = [c for c in data.columns if c != lit.name]
    if isinstance(conditions, str):
        conditions = [conditions]
    elif not isinstance(conditions, Iterable):
        raise ValueError(
            f"conditions must be a list of column names, got {conditions!r}; pass e.g. conditions=['A', 'B'] "
            "(or None for every column but the outcome)"
        )
    conditions = tuple(conditions)
    if not all(isinstance(c, Hashable) for c in conditions):
        raise ValueError(f"conditions must be column names, got {list(conditions)!r}; pass e.g. conditions=['A', 'B']")
    if not conditions:
        raise ValueError("give at least one condition.")
    if len(set(conditions)) != len(conditions):
        raise ValueError(f"conditions {list(conditions)} contain duplicates; list each once.")
    if lit.name in conditions:
        raise ValueError(f"the outcome {lit.name!r} cannot also be a condition.")
    cols = _columns(data, [*conditions, lit.name])
    X = np.column_stack([cols[c] for c in conditions])
    dc = np.any(X == DONT_CARE, axis=0)
    real = np.where(X == DONT_CARE, 0.0, X)
    integer = np.all(real == np.round(real), axis=0)
    if (dc & ~integer).any():
        raise ValueError("don't-care values ('-') are only read in crisp or multi-value conditions.")
    if (real < 0).any():
        raise ValueError("condition values must be memberships in [0, 1] or non-negative multi-value codes.")
    fuzzy_cols = ~integer
    if (X[:, fuzzy_cols] > 1).any():
        bad = [c for c, f in zip(conditions, fuzzy_cols) if f and (cols[c] > 1).any()]
        raise ValueError(f"fuzzy condition(s) {bad} have values above 1; calibrate them into [0, 1] first.")
    levels = np.where(integer, np.maximum(real.max(axis=0), 1) + 1, 2).astype(np.int64)
    is_mv = levels > 2
    levels = levels + dc.astype(np.int64)
    ycol = cols[lit.name]
    if lit.levels is not None:
        y = np.isin(ycol, lit.levels).astype(np.float64)
    else:
        if (ycol < 0).any() or (ycol > 1).any():
            raise ValueError(
                f"outcome {lit.name!r} must be in [0, 1]; for a multi-value outcome name the level, e.g. '{lit.name}[2]'."
            )
        y = ycol.copy()
    if lit.negated:
        y = 1.0 - y
    if np.prod(levels.astype(float)) > 2**40:
        raise ValueError("the property space is too large; use fewer conditions or fewer levels.")
    return QCAData(
        conditions=conditions,
        outcome=outcome.replace(" ", ""),
        X=X,
        y=y,
        levels=levels,
        is_mv=is_mv,
        fuzzy=bool(fuzzy_cols.any() or ((y > 0) & (y < 1)).any()),
        cases=pd.Index(_case_labels(data.index), dtype="str"),
        dc=dc,
    )


def _case_labels(index: pd.Index) -> list[str]:
    """Case labels exactly as written: "NA", "N/A" and "null" are labels (Namibia is "NA"); a missing one is an error."""
    missing = [i + 1 for i, v in enumerate(index) if v is None or v is pd.NA or (isinstance(v, float) and v != v)]
    if missing:
        raise ValueError(
            f"case label(s) missing in row(s) {missing}; a case labelled 'NA', 'N/A' or 'null' was probably read as "
            "missing: read the file with pandas keep_default_na=False (and na_values=['']) to keep the labels."
        )
    return [str(v) for v in index]


def sufficiency_scores(memb: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Consistency, PRI and coverage of each column of ``memb`` (n_cases, m) for outcome ``y``."""
    xy = np.minimum(memb, y[:, None])
    xyny = np.minimum(xy, 1.0 - y[:, None])
    sx = memb.sum(axis=0)
    sxy = xy.sum(axis=0)
    sxyny = xyny.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = sxy / sx
        pri = (sxy - sxyny) / (sx - sxyny)
        cov = sxy / y.sum()
    return incl, pri, cov


@dataclass(frozen=True)
class TruthTable:
    """A QCA truth table.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per observed configuration, sorted by R's row number: ``row`` (mixed-radix number
        of the configuration + 1, first condition most significant), the condition values,
        ``OUT`` ("1", "0", "C" contradiction, "?" remainder for rows under ``n_cut``), ``n``,
        ``incl``, ``PRI`` and ``cases`` (comma-separated case labels).
    outcome, conditions : str, tuple of str
    incl_cut : tuple of float
        ``(ic1, ic0)``: rows at or above ic1 are "1", below ic0 are "0", in between "C".
    n_cut : int
    pri_cut : float
    case_rows : pandas.Series
        Truth-table row of each case (<NA> for a case with a membership of exactly 0.5).
    """

    table: pd.DataFrame
    outcome: str
    conditions: tuple[str, ...]
    incl_cut: tuple[float, float]
    n_cut: int
    pri_cut: float
    case_rows: pd.Series
    qdata: QCAData = field(repr=False)

    @property
    def positive_rows(self) -> list[int]:
        """Row numbers coded OUT = 1."""
        return self.table.loc[self.table["OUT"] == "1", "row"].tolist()

    @property
    def n_remainders(self) -> int:
        """Number of configurations without (enough) cases."""
        total = int(np.prod(self.qdata.levels))
        return total - int((self.table["OUT"] != "?").sum())

    def configs(self, which: Sequence[str]) -> np.ndarray:
        """Configurations (as level codes) of the rows whose OUT is in ``which``."""
        sel = self.table["OUT"].isin(list(which))
        rows = self.table.loc[sel, "row"].to_numpy(dtype=np.int64)
        q = self.qdata
        return ((rows[:, None] - 1) // q.weights[None, :]) % q.levels[None, :]

    def __str__(self) -> str:
        head = (
            f"Truth table for {self.outcome} ({len(self.table)} observed of "
            f"{int(np.prod(self.qdata.levels))} configurations; incl.cut = "
            f"{fmt_sig(self.incl_cut[0])}{'' if self.incl_cut[0] == self.incl_cut[1] else f', {fmt_sig(self.incl_cut[1])}'}, "
            f"n.cut = {self.n_cut})\n"
            "  OUT: output value   n: cases   incl: sufficiency inclusion   PRI: proportional reduction in inconsistency\n"
        )
        shown = self.table.set_index("row")
        shown.index.name = None
        return head + shown.to_string(
            formatters={"incl": _three, "PRI": _three}, justify="right"
        )

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        return self.table.to_html(index=False)


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    incl_cut: float | Sequence[float] = 1.0,
    n_cut: int = 1,
    pri_cut: float = 0.0,
) -> TruthTable:
    """Build the truth table of ``outcome`` on ``conditions`` (R QCA's ``truthTable``).

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data, one row per case (the index labels the cases). Conditions are crisp
        0/1, multi-value codes 0, 1, 2, ... or fuzzy memberships in [0, 1].
    outcome : str
        Outcome column, ``"~NAME"`` for its negation or ``"NAME[v]"`` for a multi-value level.
    conditions : sequence of str, optional
        Defaults to every other column. The first is the most significant in the row number.
    incl_cut : float or (float, float), default 1.0
        Consistency needed for OUT = 1; two values ``(ic1, ic0)`` code rows in between as "C".
    n_cut : int, default 1
        Rows with fewer cases are remainders ("?").
    pri_cut : float, default 0.0
        Rows below this PRI are coded 0 even when consistent enough.

    Returns
    -------
    TruthTable

    Notes
    -----
    A case belongs to the row in which its membership exceeds 0.5 (fuzzy memberships of
    exactly 0.5 place it in no row). Consistency and PRI of a row use every case's
    membership in that row: consistency = sum(min(X, Y)) / sum(X).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]},
    ...                   index=["c1", "c2", "c3", "c4"])
    >>> truth_table(df, "Y", ["A", "B"]).table[["row", "OUT", "cases"]].to_dict("list")
    {'row': [1, 2, 3, 4], 'OUT': ['0', '0', '1', '1'], 'cases': ['c4', 'c3', 'c2', 'c1']}
    """
    check_frame(data, "data")
    ic = np.asarray(check_numbers(incl_cut, "incl_cut", lo=0, hi=1, example="incl_cut=0.8"))
    if ic.size == 1:
        ic = np.array([ic[0], ic[0]])
    if ic.size != 2 or not ic[1] <= ic[0]:
        raise ValueError(
            f"incl_cut must be one number in [0, 1] or two (ic1, ic0) with ic0 <= ic1, got {incl_cut!r}; "
            "pass e.g. incl_cut=0.8 or incl_cut=(0.8, 0.6)"
        )
    n_cut = check_count(n_cut, "n_cut", minimum=1)
    pri_cut = check_number(pri_cut, "pri_cut", lo=0, hi=1, example="pri_cut=0.5")
    q = prepare(data, outcome, conditions)
    crisp_code = np.where(q.is_mv, q.X, np.where(q.X > 0.5, 1.0, 0.0))
    crisp_code = np.where(q.X == DONT_CARE, (q.levels - 1)[None, :], crisp_code)
    assigned = ~np.any(~q.is_mv & (q.X == 0.5), axis=1)
    codes = crisp_code[assigned].astype(np.int64)
    w = q.weights
    row_of_case = np.full(len(q.X), -1, dtype=np.int64)
    row_of_case[assigned] = codes @ w + 1
    uniq, n = np.unique(row_of_case[assigned], return_counts=True)
    configs = ((uniq - 1)[:, None] // w[None, :]) % q.levels[None, :]
    memb = q.corner_membership(configs)
    incl, pri, _ = sufficiency_scores(memb, q.y)
    incl = np.nan_to_num(incl)
    pri = np.nan_to_num(pri)
    out = np.where(incl >= ic[0] - _EPS, "1", np.where(incl >= ic[1] - _EPS, "C", "0")).astype(object)
    out[(out == "1") & (pri < pri_cut - _EPS)] = "0"
    out[n < n_cut] = "?"
    labels = np.asarray(q.cases)
    cases = [",".join(labels[row_of_case == r]) for r in uniq]
    table = pd.DataFrame({"row": uniq.astype(np.int64)})
    for j, c in enumerate(q.conditions):
        if q.dont_care[j]:
            # As R prints it: the don't-care level shows as "-".
            vals = configs[:, j].astype(np.int64)
            table[c] = pd.array(["-" if v == q.levels[j] - 1 else str(v) for v in vals], dtype="str")
        else:
            table[c] = configs[:, j].astype(np.int64)
    table["OUT"] = pd.array(out.tolist(), dtype="str") if len(out) else pd.array([], dtype="str")
    table["n"] = n.astype(np.int64)
    table["incl"] = incl
    table["PRI"] = pri
    table["cases"] = pd.array(cases, dtype="str")
    table.index = pd.Index(uniq.astype(np.int64))
    case_rows = pd.Series(
        pd.array(np.where(row_of_case > 0, row_of_case, 0).tolist(), dtype="Int64"), index=q.cases, name="row"
    )
    case_rows[row_of_case <= 0] = pd.NA
    from krihs_analysis.data.tidy import carry_provenance  # the heatmap labels the table by its cases

    return TruthTable(
        table=carry_provenance(table, data),
        outcome=q.outcome,
        conditions=q.conditions,
        incl_cut=(float(ic[0]), float(ic[1])),
        n_cut=int(n_cut),
        pri_cut=float(pri_cut),
        case_rows=case_rows,
        qdata=q,
    )
