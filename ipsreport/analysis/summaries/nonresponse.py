"""Non-response (Bilag 6 and chapter 3): did those who answered the end survey differ, at the start, from
those who did not?

Everyone who answered at the start is compared in two groups: those who also
answered at the end (``responded``) and those who did not
(``not_responded``), on what is known about all of them from the start:
age group, gender, education (start survey), referral status (registry),
and the WHO-5 and mastery scores at the start (read from the
:class:`~ipsreport.analysis.scoring.Derived` scores handed in, the pipeline's
``derive`` step).

Tests, chosen for groups this small:

* the four categories are split in two (:data:`CATEGORIES`) and compared
  with **Fisher's exact test** (two-sided, :func:`scipy.stats.fisher_exact`):
  exact at any cell size, where a chi-square test needs expected counts of
  five or more, which a group of a dozen rarely gives;
* the two scores are compared with **Welch's t-test**
  (:func:`scipy.stats.ttest_ind` with ``equal_var=False``): the groups differ
  in size, and their variances need not be equal.

Each variable is tested once, at ``settings.alpha``; the report names a
difference only where :func:`ipsreport.analysis.evidence.difference` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

import ipsreport.analysis.scoring as scoring

__all__ = ["CATEGORIES", "SCORES", "GROUPS", "AGE_SPLIT", "MEAN_LABEL", "NONRESPONSE_COLUMNS", "summarise_nonresponse"]

#: Age split: "over 20" as in chapter 4 (the fact ``age_over20``), so both chapters speak of the same groups.
AGE_SPLIT = 20
#: The group codes, in print order, and their Danish column headers.
GROUPS = {"responded": "Svarede ved afslutning", "not_responded": "Svarede ikke ved afslutning"}


@dataclass(frozen=True)
class Category:
    """A variable known at the start, split in two for Fisher's exact test."""

    name: str
    label: str  # Danish row-group label
    dataset: str  # "baseline" or "registry"
    column: str
    #: (code, Danish label, the original codes pooled into it), in print order.
    levels: tuple[tuple[int, str, Callable[[pd.Series], pd.Series]], ...]


def _codes(*codes: int) -> Callable[[pd.Series], pd.Series]:
    return lambda values: values.isin(codes)


def _age(low: int | None = None, high: int | None = None) -> Callable[[pd.Series], pd.Series]:
    def between(values: pd.Series) -> pd.Series:
        inside = values.notna()
        if low is not None:
            inside &= values >= low
        if high is not None:
            inside &= values <= high
        return inside

    return between


#: The four categorical comparisons. Education: the split of chapter 4's "folkeskolen som højeste
#: uddannelse" (codes 1-2: not finished or finished primary school) against everything above it.
CATEGORIES: tuple[Category, ...] = (
    Category("age_group", "Alder ved start", "baseline", "age",
             ((1, f"{AGE_SPLIT} år eller yngre", _age(high=AGE_SPLIT)),
              (2, f"Over {AGE_SPLIT} år", _age(low=AGE_SPLIT + 1)))),
    Category("gender", "Køn", "baseline", "gender",
             ((1, "Kvinde", _codes(2)), (2, "Mand eller andet køn", _codes(1, 3)))),
    Category("referral_status", "Status ved opstart", "registry", "referral_status",
             ((1, "Aktivitetsparat", _codes(1)), (2, "Uddannelsesparat", _codes(2)))),
    Category("education", "Højeste uddannelse", "baseline", "education",
             ((1, "Folkeskolen eller mindre", _codes(1, 2)), (2, "Mere end folkeskolen", _codes(3, 4, 5, 6, 7)))),
)

#: The two scores at the start (columns of ``Derived.baseline``): name -> (Danish label, decimals printed as in
#: chapter 6).
SCORES: dict[str, tuple[str, int]] = {
    "who5": ("Trivsel ved start (WHO-5, 0–100)", 0),
    "mastery": (f"Mestring og selvværd ved start ({scoring.MASTERY_RANGE[0]}–{scoring.MASTERY_RANGE[1]})", 2),
}
#: The row of a score under its label.
MEAN_LABEL = "Gennemsnit"

NONRESPONSE_COLUMNS = ["variable", "label", "kind", "code", "category", "group", "n", "base", "pct", "mean", "sd",
                       "decimals", "test", "p"]


def _groups(ed) -> pd.Series:
    """``responded`` / ``not_responded`` for every start respondent, indexed like ``ed.baseline``."""
    answered = ed.baseline["id"].isin(ed.followup["id"]).to_numpy(dtype=bool)
    return pd.Series(np.where(answered, "responded", "not_responded"), index=ed.baseline.index)


def _values(ed, dataset: str, column: str) -> pd.Series:
    """A start variable for every start respondent (registry values joined on ``id``)."""
    if dataset == "baseline":
        return ed.baseline[column]
    lookup = ed.registry.set_index("id")[column]
    return pd.Series(lookup.reindex(ed.baseline["id"]).to_numpy(), index=ed.baseline.index, dtype=lookup.dtype)


def _fisher(table: np.ndarray) -> float:
    """Two-sided Fisher's exact p for a 2 x 2 table; NaN when a group has no answers."""
    if (table.sum(axis=0) == 0).any():
        return float("nan")
    return float(stats.fisher_exact(table).pvalue)


def _welch(a: np.ndarray, b: np.ndarray) -> float:
    """Welch's t-test p; NaN when a group has fewer than two values or neither group varies."""
    if len(a) < 2 or len(b) < 2 or (np.var(a) == 0 and np.var(b) == 0):
        return float("nan")
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def _category_rows(ed, groups: pd.Series, spec: Category) -> list[dict]:
    values = _values(ed, "baseline" if spec.dataset == "baseline" else "registry", spec.column)
    answered = values.notna().to_numpy(dtype=bool)
    counts = np.array([[int((pool(values).to_numpy(dtype=bool) & answered & (groups == g).to_numpy()).sum())
                        for g in GROUPS] for _, _, pool in spec.levels])
    p = _fisher(counts)
    rows = []
    for i, (code, label, _) in enumerate(spec.levels):
        for j, group in enumerate(GROUPS):
            base = int(counts[:, j].sum())
            rows.append({"variable": spec.name, "label": spec.label, "kind": "category", "code": code,
                         "category": label, "group": group, "n": int(counts[i, j]), "base": base,
                         "pct": counts[i, j] / base * 100 if base else float("nan"), "mean": float("nan"),
                         "sd": float("nan"), "decimals": 0, "test": "fisher", "p": p})
    return rows


def _score_rows(derived, groups: pd.Series, name: str) -> list[dict]:
    label, places = SCORES[name]
    values = derived.baseline[name].astype(float)
    by_group = {g: values[(groups == g) & values.notna()].to_numpy(dtype=float) for g in GROUPS}
    p = _welch(by_group["responded"], by_group["not_responded"])
    rows = []
    for group, found in by_group.items():
        rows.append({"variable": name, "label": label, "kind": "score", "code": pd.NA, "category": MEAN_LABEL,
                     "group": group, "n": len(found), "base": int((groups == group).sum()), "pct": float("nan"),
                     "mean": float(found.mean()) if len(found) else float("nan"),
                     "sd": float(found.std(ddof=1)) if len(found) > 1 else float("nan"),
                     "decimals": places, "test": "welch", "p": p})
    return rows


def summarise_nonresponse(ed, derived) -> pd.DataFrame:
    """Start respondents who answered at the end against those who did not.

    Parameters
    ----------
    ed : Edition
        Uses ``baseline`` (everyone compared), ``followup`` (who answered at
        the end) and ``registry`` (referral status).
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`): the
        start scores compared.

    Returns
    -------
    DataFrame
        One row per variable, category and group (``responded`` first):
        ``variable, label, kind`` (``"category"`` or ``"score"``), ``code,
        category, group, n`` (persons in the cell; for a score, persons with
        a score), ``base`` (answers in the group; for a score, the group's
        size), ``pct`` (of ``base``; categories only), ``mean, sd`` (scores
        only), ``decimals`` (of a printed mean), ``test`` (``"fisher"`` or
        ``"welch"``) and ``p`` (the variable's two-sided p-value, repeated
        on its rows; NaN where no test is possible).
    """
    groups = _groups(ed)
    scores = derived.of(ed.baseline, ed.followup)
    rows = []
    for spec in CATEGORIES:
        rows += _category_rows(ed, groups, spec)
    for name in SCORES:
        rows += _score_rows(scores, groups, name)
    frame = pd.DataFrame(rows, columns=NONRESPONSE_COLUMNS)
    frame["code"] = frame["code"].astype("Int64")
    frame[["n", "base", "decimals"]] = frame[["n", "base", "decimals"]].astype("int64")
    return frame
