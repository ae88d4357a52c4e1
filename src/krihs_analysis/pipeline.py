"""The standard analysis set, run once: what the figure catalogue and the drafted brief are built from.

Notebooks 02-04 call the analysis modules directly with their own parameters; this module fixes one set of
choices (documented on :func:`analyse`, with an example) so that the catalogue and the brief show the same numbers.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .data import is_illustrative, read_context

__all__ = [
    "Results", "analyse", "family_table", "association_key", "settings_table", "qca_settings", "FAMILY",
    "FAMILY_COLUMNS", "DIAGNOSTICS_COLUMNS",
]


@dataclass(frozen=True)
class Results:
    """Every result the catalogue and the brief use, as tidy frames (plus the QCA objects)."""

    cases: pd.DataFrame
    comparison: pd.DataFrame
    levels: pd.DataFrame
    profile_country: pd.DataFrame
    profile_programme: pd.DataFrame
    association: pd.DataFrame
    qca_data: pd.DataFrame
    truth_table: object
    solution: object
    qca_model: str
    qca_fit: pd.DataFrame
    qca_xy: pd.DataFrame
    context: pd.DataFrame
    illustrative: bool
    settings: dict = field(default_factory=dict)
    family: pd.DataFrame = field(default_factory=pd.DataFrame)
    # QCA diagnostics of the first model (krihs_analysis.qca; see analyse for the choices).
    qca_cluster: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_cluster_test: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_skewness: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_ranges: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_robustness: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_robust_cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_case_roles: pd.DataFrame = field(default_factory=pd.DataFrame)
    qca_warnings: pd.DataFrame = field(default_factory=pd.DataFrame)
    # What the run did other than asked: truncated covers, skipped checks (step, kind, n, detail), for the appendix.
    diagnostics: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DIAGNOSTICS_COLUMNS))

    @property
    def table(self) -> pd.DataFrame:
        """The result table of the set: every test in one multiplicity family (:attr:`family`)."""
        return self.family

    def core_task_gaps(self) -> pd.DataFrame:
        """Each Korean programme's core-task mean against the Japanese mean (``group, task, mean, benchmark``)."""
        prof = self.profile_programme
        jp = prof[prof["group"].astype(str).str.startswith("JP")].groupby("task")["mean"].mean()
        kr = prof[prof["group"].astype(str).str.startswith("KR")]
        return kr[["group", "task", "n", "mean"]].assign(benchmark=kr["task"].map(jp).to_numpy()).reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy result tables by name (what a report run saves and a brief is rebuilt from)."""
        qca = self.qca_fit[self.qca_fit["level"] == "expression"][["term", "consistency", "PRI", "coverage"]]
        qca = qca.rename(columns={"term": "model"}).reset_index(drop=True)
        return {
            "comparison": self.comparison,
            "levels": self.levels,
            "profile_country": self.profile_country,
            "profile_programme": self.profile_programme,
            "association": self.association,
            "qca": qca,
            "qca_fit": self.qca_fit,
            "qca_xy": self.qca_xy,
            "truth_table": self.truth_table.table.astype({"cases": "str"}),
            "core_task_gaps": self.core_task_gaps(),
            "family": self.family,
            "qca_cluster": self.qca_cluster,
            "qca_cluster_test": self.qca_cluster_test,
            "qca_skewness": self.qca_skewness,
            "qca_ranges": self.qca_ranges,
            "qca_robustness": self.qca_robustness,
            "qca_robust_cases": self.qca_robust_cases,
            "qca_case_roles": self.qca_case_roles,
            "qca_warnings": self.qca_warnings,
            "diagnostics": self.diagnostics,
            "settings": settings_table(self.settings),
        }


FAMILY = "standard set"
#: One row per thing the run recorded about its computations (read by the brief's appendix, brief.document.run_notes).
DIAGNOSTICS_COLUMNS = ["step", "kind", "n", "detail"]
FAMILY_COLUMNS = ["family", "result", "key", "test", "estimate", "ci_low", "ci_high", "ci_method", "p_value",
                  "p_se", "p_method", "p_family", "family_size"]


def association_key(row) -> str:
    """The key naming one association test in the family and the brief: ``x~y:method`` (``|strata`` if stratified).

    Parameters
    ----------
    row : pandas.Series or Mapping
        One row of an association table (:func:`krihs_analysis.linkage.association`) with ``x``, ``y`` and
        ``method``; ``strata``, when present and a non-empty string, is appended.

    Returns
    -------
    str

    Examples
    --------
    >>> association_key({"x": "integration", "y": "sustainability", "method": "kendall", "strata": None})
    'integration~sustainability:kendall'
    """
    if not isinstance(row, (pd.Series, Mapping)) or isinstance(row, pd.DataFrame):
        raise ValueError(f"row must be one row of an association table (a Series or dict), got "
                         f"{type(row).__name__}; pass e.g. association_key(table.iloc[0])")
    missing = [k for k in ("x", "y", "method") if k not in row]
    if missing:
        raise ValueError(f"row lacks {missing}: pass a row of krihs_analysis.linkage.association's table")
    if not all(isinstance(row[k], str) for k in ("x", "y", "method")):
        raise ValueError("row's x, y and method must be names (text), got "
                         f"{[type(row[k]).__name__ for k in ('x', 'y', 'method')]}; pass one row, e.g. table.iloc[0]")
    strata = row.get("strata")
    return f"{row['x']}~{row['y']}:{row['method']}" + (f"|{strata}" if isinstance(strata, str) and strata else "")


def family_table(comparison: pd.DataFrame, association: pd.DataFrame, *, family: str = FAMILY) -> pd.DataFrame:
    """Every test of the standard set in one table, Holm-adjusted over the whole family.

    Parameters
    ----------
    comparison : pandas.DataFrame
        The Korea-Japan comparison, :func:`krihs_analysis.compare.compare_countries` output by country (one row
        per variable: ``variable, cliffs_delta, ci_low, ci_high, ci_method, p_value, p_se, p_method``); may be
        empty.
    association : pandas.DataFrame
        Association tests, :func:`krihs_analysis.linkage.association` output (``x, y, method, statistic`` and
        the same interval and p-value columns); may be empty.
    family : str
        The family's name, written in the ``family`` column (:data:`FAMILY` by default).

    Returns
    -------
    pandas.DataFrame
        One row per test, comparisons first. Columns: ``family`` (its name), ``result`` (the table the test comes
        from), ``key`` (the brief's key: the variable, or ``x~y:method`` with ``|strata`` when stratified),
        ``test`` (what was tested and how), ``estimate, ci_low, ci_high, ci_method, p_value, p_se, p_method``,
        ``p_family`` (Holm over every row) and ``family_size`` (the number of tests with a p-value).

    Raises
    ------
    ValueError
        A table lacks a column, or `comparison` has a variable twice (a comparison by programme).

    Examples
    --------
    >>> import pandas as pd
    >>> comp = pd.DataFrame({"variable": ["a", "b"], "cliffs_delta": [0.5, 0.1], "ci_low": [0.1, -0.3],
    ...     "ci_high": [0.8, 0.5], "ci_method": "BCa", "p_value": [0.01, 0.4], "p_se": 0.0, "p_method": "exact"})
    >>> family_table(comp, pd.DataFrame())["p_family"].tolist()
    [0.02, 0.4]
    """
    from ._exact import holm
    from ._validate import check_columns, check_frame

    shared = ["ci_low", "ci_high", "ci_method", "p_value", "p_se", "p_method"]
    for name, frame, own in (("comparison", comparison, ["variable", "cliffs_delta"]),
                             ("association", association, ["x", "y", "method", "statistic"])):
        if len(check_frame(frame, name, allow_empty=True)):
            check_columns(frame, [*own, *shared], name=name)
    if len(comparison) and comparison["variable"].duplicated().any():
        # Keys must be unique: the brief looks each test up by its variable.
        raise ValueError("comparison has a variable twice: family_table reads compare_countries(cases) output "
                         "(by='country', one row per variable), not a comparison by programme")
    rows = []
    for _, r in comparison.iterrows():
        how = "cluster permutation" if "n_clusters_kr" in comparison.columns else "exact rank sum"
        rows.append({"result": "comparison", "key": str(r["variable"]),
                     "test": f"Korea vs Japan, Cliff's delta ({how})", "estimate": r["cliffs_delta"]} |
                    {c: r[c] for c in ("ci_low", "ci_high", "ci_method", "p_value", "p_se", "p_method")})
    for _, r in association.iterrows():
        strata = r.get("strata")
        key = association_key(r)
        how = (f"clusters {r['cluster']!r}" if isinstance(r.get("cluster"), str) else "cases independent") + (
            f", within {strata!r}" if isinstance(strata, str) and strata else "")
        rows.append({"result": "association", "key": key, "test": f"{r['method']} association ({how})",
                     "estimate": r["statistic"]} |
                    {c: r[c] for c in ("ci_low", "ci_high", "ci_method", "p_value", "p_se", "p_method")})
    out = pd.DataFrame(rows, columns=FAMILY_COLUMNS[1:12])
    out.insert(0, "family", family)
    out["p_family"] = holm(out["p_value"].to_numpy(dtype="float64")) if len(out) else []
    out["family_size"] = int(out["p_value"].notna().sum())
    return out[FAMILY_COLUMNS]


#: The standard QCA's sets and cuts (consistency, PRI): what :func:`analyse` and the case cards use unless told.
QCA_KIND = "fuzzy"
QCA_INCL_CUT = 0.8
QCA_PRI_CUT = 0.5


def settings_table(settings: Mapping[str, object]) -> pd.DataFrame:
    """The choices a run was made with, as a table that is saved and read back with the results.

    Each value is written as JSON text, so that a number, a name, None and a list of conditions all come back as
    they were (:func:`qca_settings`).

    Parameters
    ----------
    settings : mapping of str to object
        The run's choices, as :attr:`Results.settings` holds them.

    Returns
    -------
    DataFrame
        One row per setting: ``setting`` and its ``value`` as JSON text.

    Raises
    ------
    ValueError
        `settings` is not a mapping of names (text) to values.

    Examples
    --------
    >>> settings_table({"incl_cut": 0.8, "qca_kind": "fuzzy"}).values.tolist()
    [['incl_cut', '0.8'], ['qca_kind', '"fuzzy"']]
    """
    from ._validate import _describe

    if isinstance(settings, pd.DataFrame) or not isinstance(settings, Mapping):
        raise ValueError(f"settings must be a mapping of setting names to values, got {_describe(settings)}; "
                         "pass e.g. settings_table({'incl_cut': 0.8}) or a run's results.settings")
    bad = [k for k in settings if not isinstance(k, str) or not k]
    if bad:
        raise ValueError(f"settings has the name {bad[0]!r}; every setting's name must be non-empty text")
    return pd.DataFrame({"setting": pd.array(list(settings), dtype="str"),
                         "value": pd.array([json.dumps(v, ensure_ascii=False, default=str)
                                            for v in settings.values()], dtype="str")})


def qca_settings(results: Results | Mapping[str, pd.DataFrame]) -> dict[str, object]:
    """The QCA's sets and cuts (``qca_kind``, ``incl_cut``, ``pri_cut``) a run's tables were computed with.

    Tables without a ``settings`` table (saved before it was added, or assembled by hand) are taken to be the
    standard set's (:data:`QCA_KIND`, :data:`QCA_INCL_CUT`, :data:`QCA_PRI_CUT`), as is any of the three a
    settings table lacks, and say so: the returned ``recorded`` is False (the brief's appendix says it).

    Parameters
    ----------
    results : Results, or mapping of str to DataFrame
        A run's results, or its tables (:meth:`Results.tables`,
        :func:`~krihs_analysis.brief.document.load_results`).

    Returns
    -------
    dict
        ``qca_kind`` ('fuzzy' or 'crisp'), ``incl_cut``, ``pri_cut`` and ``recorded`` (whether the run recorded
        all three, or the standard set's are assumed for some).

    Raises
    ------
    ValueError
        `results` is neither; its ``settings`` table lacks the ``setting`` and ``value`` columns, or holds a value
        :func:`settings_table` did not write, or a cut outside 0 to 1.

    Examples
    --------
    >>> qca_settings({"settings": settings_table({"qca_kind": "fuzzy", "incl_cut": 0.75, "pri_cut": 0.5})})
    {'qca_kind': 'fuzzy', 'incl_cut': 0.75, 'pri_cut': 0.5, 'recorded': True}
    >>> qca_settings({})["recorded"]
    False
    """
    from ._validate import check_columns, check_tables

    if isinstance(results, Results):
        table = settings_table(results.settings)
    else:
        tables = check_tables(results, "results", how="pass results.tables() or the tables of load_results")
        table = tables.get("settings")
    out: dict[str, object] = {"qca_kind": QCA_KIND, "incl_cut": QCA_INCL_CUT, "pri_cut": QCA_PRI_CUT}
    if table is None:
        return {**out, "recorded": False}
    # a settings table with other columns would leave the standard cuts in place silently: the brief would state
    # cuts the run never used
    check_columns(table, ["setting", "value"], name="the settings table")
    saved = dict(zip(table["setting"].astype(str), table["value"], strict=True))
    for key in out:
        if key in saved:
            try:
                value = json.loads(str(saved[key]))
            except ValueError:
                raise ValueError(f"the settings table's {key!r} is {saved[key]!r}, not a value settings_table "
                                 "wrote; pass the tables of results.tables() or of load_results") from None
            ok = (value in ("fuzzy", "crisp") if key == "qca_kind"
                  else isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1)
            if not ok:
                raise ValueError(f"the settings table's {key!r} is {value!r}; expected "
                                 + ("'fuzzy' or 'crisp'" if key == "qca_kind" else "a number from 0 to 1"))
            out[key] = value
    return {**out, "recorded": all(key in saved for key in out)}  # one assumed is one the brief cannot vouch for


def analyse(
    cases: pd.DataFrame,
    *,
    seed: int = 0,
    n_boot: int = 9999,
    n_permutations: int = 9999,
    cluster: str | None = "cluster",
    strata: str | None = None,
    qca_conditions: Sequence[str] | None = None,
    qca_kind: str = QCA_KIND,
    incl_cut: float = QCA_INCL_CUT,
    pri_cut: float = QCA_PRI_CUT,
) -> Results:
    """Run the standard analysis set on `cases`.

    Choices: Korea-Japan comparison of every coded variable (Cliff's delta, BCa CI resampling whole clusters,
    exact cluster-permutation p, Holm); core-task profiles by country and by programme (no interval for groups of
    fewer than 5 clusters); Kendall's tau-b of integration and sustainability with the exact p permuting whole
    clusters (`cluster`: the codebook's default cluster, derived when the column is absent; the two sites of a
    programme, and Japanese cases in one municipality, are not independent); every test of the set in one
    family with Holm's adjustment over the whole family (``family``);
    QCA of sustainability (fuzzy sets on the five default conditions at consistency 0.8 and PRI 0.5 unless told
    otherwise), summarised by its parsimonious solution (the first model when several tie), with its diagnostics
    (the country gap in consistency tested by relabelling whole clusters) and a robustness check of the first
    model at consistency cuts `incl_cut` - 0.05 and + 0.05 (a cut no truth-table row passes is skipped and
    recorded in ``diagnostics``).

    Parameters
    ----------
    cases
        Case data (:func:`krihs_analysis.data.read_cases`); never modified.
    seed, n_boot, n_permutations
        Seed, bootstrap draws and Monte Carlo draws (the latter only where a p-value is past exact reach;
        at least 1).
    cluster
        Cluster column (None: cases independent).  ``"cluster"`` is derived by
        :func:`krihs_analysis.data.default_clusters` when `cases` lacks it.
    strata
        Strata of the association test (within-stratum statistic and permutation), None by default.
    qca_conditions : sequence of str, optional
        The QCA conditions, codebook variables (one string is one condition); None:
        :data:`krihs_analysis.qca.DEFAULT_CONDITIONS` (resident_org, intermediary, resident_planning, gov_role,
        integration).
    qca_kind : {"fuzzy", "crisp"}
        How the 0-3 codes become sets (:func:`krihs_analysis.qca.from_cases`): ``"fuzzy"``, memberships 0, 0.33,
        0.67, 1; ``"crisp"``, 1 for a code of 2 or more, else 0.
    incl_cut, pri_cut : float
        The truth table's consistency (sufficiency) cut and PRI cut, each a number in [0, 1]
        (:func:`krihs_analysis.qca.truth_table`).

    Returns
    -------
    Results

    Raises
    ------
    ValueError
        No truth-table row passes `incl_cut` and `pri_cut` (lower the cuts), or a bad argument.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> res = analyse(read_cases(), n_boot=99)
    >>> res.qca_model, res.family.shape
    ('intermediary*integration', (15, 13))
    >>> res.settings["incl_cut"], res.illustrative
    (0.8, True)
    >>> res.association.loc[0, ["method", "cluster"]].tolist()
    ['kendall', 'cluster']
    >>> res.family[["result", "key", "family_size"]].tail(1).values.tolist()
    [['association', 'integration~sustainability:kendall', 15]]
    """
    from . import qca
    from .compare import compare_countries, core_task_profile, level_distribution
    from .linkage import association

    from ._validate import check_count, check_number, check_strings

    # The QCA cluster test needs at least one draw; compare and association would accept 0.
    n_permutations = check_count(n_permutations, "n_permutations", minimum=1)
    # One cut each: the robustness check moves incl_cut by +-0.05 (qca.truth_table also takes a pair for an
    # outcome-specific cut, which this standard set does not use).
    incl_cut = check_number(incl_cut, "incl_cut", lo=0, hi=1, example="incl_cut=0.8")
    pri_cut = check_number(pri_cut, "pri_cut", lo=0, hi=1, example="pri_cut=0.5")
    if qca_conditions is not None:
        qca_conditions = check_strings(qca_conditions, "qca_conditions", example="qca_conditions=['integration']")
    conditions = tuple(qca_conditions) if qca_conditions is not None else qca.DEFAULT_CONDITIONS
    data = qca.from_cases(cases, kind=qca_kind, conditions=conditions)
    tt = qca.truth_table(data, "sustainability", list(conditions), incl_cut=incl_cut, pri_cut=pri_cut)
    with warnings.catch_warnings(record=True) as caught:
        # A cap on the number of covers is expected on some data: it is recorded (qca_warnings), not printed.
        warnings.simplefilter("always", qca.CoverCapWarning)
        solution = qca.minimize(tt, kind="parsimonious")
    for w in caught:  # any other warning is not expected here: it reaches the caller as it would have
        if not issubclass(w.category, qca.CoverCapWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    caught = [w for w in caught if issubclass(w.category, qca.CoverCapWarning)]
    if not solution.models:
        raise ValueError(f"QCA: no truth-table row passes consistency {incl_cut} and PRI {pri_cut}; lower the cuts")
    model = solution.models[0]
    work = cases
    if cluster == "cluster" and "cluster" not in cases.columns:
        from .data import default_clusters

        work = cases.assign(cluster=default_clusters(cases))
    comparison = compare_countries(work, cluster=cluster, n_boot=n_boot, n_permutations=n_permutations, seed=seed)
    assoc = association(work, x="integration", y="sustainability", method="kendall", strata=strata,
                        cluster=cluster, seed=seed, n_boot=n_boot, n_permutations=n_permutations)
    diagnostics = _qca_diagnostics(qca, work, data, list(conditions), model, incl_cut=incl_cut, pri_cut=pri_cut,
                                   seed=seed, n_permutations=n_permutations, cluster=cluster)
    qca_warnings = pd.DataFrame(
        {"source": pd.array(["minimize"] * len(caught), dtype="str"),
         "category": pd.array([w.category.__name__ for w in caught], dtype="str"),
         "message": pd.array([str(w.message) for w in caught], dtype="str")}
    )
    events = diagnostics.pop("events")
    if solution.truncated:
        events.insert(0, {"step": "qca", "kind": "truncated", "n": len(solution.models),
                          "detail": "; ".join(qca_warnings["message"]) or "cover cap reached"})
    return Results(
        cases=cases,
        comparison=comparison,
        levels=level_distribution(cases, by="country"),
        profile_country=core_task_profile(work, by="country", cluster=cluster, n_boot=n_boot, seed=seed),
        profile_programme=core_task_profile(work, by="programme", cluster=cluster, n_boot=n_boot, seed=seed),
        association=assoc,
        qca_data=data,
        truth_table=tt,
        solution=solution,
        qca_model=model,
        qca_fit=qca.fit(data, model, outcome="sustainability"),
        qca_xy=qca.xy_data(data, model, outcome="sustainability"),
        context=read_context("rmo_survey"),
        illustrative=is_illustrative(cases),
        settings={"seed": seed, "n_boot": n_boot, "n_permutations": n_permutations, "cluster": cluster,
                  "strata": strata, "qca_kind": qca_kind, "incl_cut": incl_cut, "pri_cut": pri_cut,
                  "qca_conditions": list(conditions), "qca_truncated": bool(solution.truncated),
                  "qca_n_models": len(solution.models), "qca_robustness_tests": diagnostics.pop("tests")},
        family=family_table(comparison, assoc),
        qca_warnings=qca_warnings,
        diagnostics=pd.DataFrame(events, columns=DIAGNOSTICS_COLUMNS).astype(
            {"step": "str", "kind": "str", "n": "Int64", "detail": "str"}),
        **diagnostics,
    )


def _qca_diagnostics(qca, cases, data, conditions, model, *, incl_cut, pri_cut, seed, n_permutations,
                     cluster) -> dict:
    """Pooled vs per-country fit with a permutation p for the gap, skewness, cut ranges, robust core, case roles.

    The robustness test set is documented here: the first model at consistency cuts incl_cut - 0.05 and
    incl_cut + 0.05 (PRI cut unchanged), the smallest changes a reviewer would try. The permutation relabels
    whole clusters (`cluster`, as the comparison and the association do; None: single cases); its p is exact
    when at most a million relabellings exist, else Monte Carlo with ``n_permutations`` seeded draws.
    """
    outcome = "sustainability"
    by_id = cases.set_index(cases["case_id"].astype("str")).reindex(data.index.astype(str))
    groups = by_id["country"].astype("str").to_list()
    units = None if cluster is None else by_id[cluster].to_list()
    test = qca.cluster_permutation_test(data, outcome, model, groups=groups, cluster=units,
                                        n_permutations=n_permutations, enumeration_limit=1_000_000, seed=seed)
    tests, events = [], []
    for cut in (round(incl_cut - 0.05, 10), round(incl_cut + 0.05, 10)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", qca.CoverCapWarning)  # only the first model is used
                tt = qca.truth_table(data, outcome, conditions, incl_cut=cut, pri_cut=pri_cut)
                models = qca.minimize(tt, kind="parsimonious").models
            if not models:
                raise ValueError("no truth-table row passes the cuts")
            tests.append(models[0])
        except ValueError as exc:  # no row passes this cut: the check is skipped, and the appendix says so
            events.append({"step": "robustness", "kind": "skipped", "n": None,
                           "detail": f"consistency cut {cut}: {exc}"})
    out = {
        "qca_cluster": qca.cluster_diagnostics(data, outcome, model, groups=groups),
        "qca_cluster_test": test,
        "qca_skewness": qca.skewness(data),
        "qca_ranges": qca.threshold_ranges(data, outcome, conditions, incl_cut=incl_cut, kind="parsimonious",
                                           pri_cut=pri_cut, incl_step=0.05),
        "qca_case_roles": qca.case_roles(data, outcome, model),
        "tests": tests,
        "events": events,
    }
    if tests:
        out["qca_robustness"] = qca.robustness(data, outcome, model, tests)
        out["qca_robust_cases"] = qca.robust_cases(data, outcome, model, tests)
    return out
