"""Published versus reproduced: the audit behind the Reproduktion appendix.

``data/published/2025.yml`` (read by :mod:`ipsreport.analysis.published`) lists every number printed in the 2025
edition with a *key* saying how to compute it from the data (grammar in
``docs/CONTRACT.md``, "published.yml"). :func:`compute_key` evaluates one key
on an edition; :func:`summarise_audit` evaluates them all and compares them
with the printed values.

The paired keys come from :func:`ipsreport.analysis.summaries.mental_health.summarise_paired`
and ``summarise_who5_bands``, and the regression keys from
:func:`ipsreport.analysis.models.fit_regression`: the audit checks the numbers the
report prints, not a second implementation of them.

Key grammar
-----------
* ``<dataset>.n`` — rows; ``<dataset>.<var>.base`` — non-missing answers;
* ``<dataset>.<var>.n.<codes>`` / ``.pct.<codes>`` — count / percent (0-100,
  of non-missing answers) with one of the codes; codes joined by ``+``;
* ``<dataset>.<var>.mean|min|max`` — on the raw values;
* ``paired.<score>.n|mean_start|mean_end|p_ttest|p_wilcoxon`` and
  ``paired.who5.band_pct_start.<k>|band_pct_end.<k>`` (k = 1, 2, 3), on the
  respondents with the score both at start and at the end;
* ``regression.n|events`` and ``regression.<term>.or|ci_low|ci_high|p``;
* ``registry.finished.n``, ``registry.success.n``, ``registry.success.pct``.

Extensions (used where the report prints a number the grammar above cannot
express):

* a row filter after the dataset, in pandas ``eval`` syntax (as the
  codebook's ``asked_if``), e.g. ``followup[had_placement == 0].duration.n.1+2``;
* ``<dataset>.share_of.<other>`` — rows of one file as a percent of another's;
* ``<dataset>[filter].<var>.pct_all.<codes>`` — percent of *all* the
  (filtered) rows, blank answers included in the base: the 2025 edition's
  section 5.4 gives the placement items as shares of everyone with a
  placement (``followup[had_placement == 1]``), not of those who answered;
* the derived variable ``registry.months_enrolled`` (months from start to end,
  or to the evaluation end for those still enrolled;
  :func:`ipsreport.analysis.derived.months_enrolled`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ipsreport.analysis.memo import remember
from ipsreport.analysis.derived import is_finished, is_success, months_enrolled
from ipsreport.paths import PUBLISHED_PATH
from ipsreport.outputs.fmt import round_half_up
from ipsreport.analysis.published import decimals, load_published, rounding

__all__ = ["summarise_audit", "compute_key", "load_published", "rounding", "audit_status", "prints_as",
           "published_table", "STATUSES"]

_DATASETS = ("registry", "baseline", "followup")
_SCORES = ("who5", "mastery", "loneliness", "burden")
#: Small slack for floating point when comparing with a tolerance.
_EPS = 1e-9


# ---------------------------------------------------------------------------
# Access to the edition
# ---------------------------------------------------------------------------
def _frame(ed, name: str) -> pd.DataFrame:
    return ed.frame(name)


def _evaluation_end(ed):
    # The edition's own settings: no fallback to the project's (settings are arguments).
    return ed.settings.evaluation_end


_HEAD = re.compile(r"^([a-z_]+)(?:\[([^\]]+)\])?$")


def _rows(ed, dataset: str, query: str | None) -> pd.DataFrame:
    """The dataset's rows, optionally only those where ``query`` (pandas
    ``eval`` syntax, as the codebook's ``asked_if``) is true."""
    frame = _frame(ed, dataset)
    if query is None:
        return frame
    mask = frame.eval(query)
    mask = pd.Series(mask, index=frame.index).astype("boolean").fillna(False).astype(bool)
    return frame[mask]


def _variable(ed, dataset: str, var: str) -> pd.Series:
    frame = _frame(ed, dataset)
    if dataset == "registry" and var == "months_enrolled":
        return months_enrolled(frame["start_date"], frame["end_date"], _evaluation_end(ed)).set_axis(frame.index)
    if var not in frame.columns:
        raise KeyError(f"{dataset} has no variable {var!r}")
    return frame[var]


# ---------------------------------------------------------------------------
# Paired scores and the regression (small and cached per edition)
# ---------------------------------------------------------------------------
def _cached(ed, derived, what: str, compute):
    return remember(("audit", what), ed, compute, inputs=(derived,))


def _paired(ed, derived) -> pd.DataFrame:
    """The chapter 6 paired comparison, one row per score (indexed by score).

    The same function that prints Figures 1-4 and their notes, so the audit
    checks what the report shows rather than a second implementation.
    """
    from ipsreport.analysis.summaries.mental_health import summarise_paired

    return _cached(ed, derived, "paired", lambda: summarise_paired(ed, derived).set_index("score"))


def _who5_bands(ed, derived) -> pd.DataFrame:
    from ipsreport.analysis.summaries.mental_health import summarise_who5_bands

    return _cached(ed, derived, "who5_bands", lambda: summarise_who5_bands(ed, derived))


def _paired_stat(ed, derived, score: str, stat: str, arg: str | None) -> float:
    if stat in ("band_pct_start", "band_pct_end"):
        if score != "who5" or arg is None:
            raise KeyError("bands exist for who5 only, as band_pct_start.<k> / band_pct_end.<k>")
        bands = _who5_bands(ed, derived)
        time = "start" if stat.endswith("start") else "end"
        hit = bands[(bands["time"] == time) & (bands["band"] == int(arg))]
        if hit.empty:
            raise KeyError(f"unknown WHO-5 band {arg!r}")
        return float(hit["pct"].iloc[0])
    if stat not in ("n", "mean_start", "mean_end", "p_ttest", "p_wilcoxon"):
        raise KeyError(f"unknown paired statistic {stat!r}")
    return float(_paired(ed, derived).loc[score, stat])


#: Audit statistic -> column of ``RegressionResult.terms``.
_REGRESSION_COLUMNS = {"or": "odds_ratio", "ci_low": "ci_low", "ci_high": "ci_high", "p": "p"}


def _regression(ed, derived):
    """Table 9 as the report prints it (:func:`ipsreport.analysis.models.fit_regression`)."""
    from ipsreport.analysis.models import fit_regression

    return _cached(ed, derived, "regression", lambda: fit_regression(ed, derived))


# ---------------------------------------------------------------------------
# The key grammar
# ---------------------------------------------------------------------------
def _codes(part: str) -> list[int]:
    try:
        return [int(c) for c in part.split("+")]
    except ValueError as exc:
        raise KeyError(f"codes must be integers joined by '+', got {part!r}") from exc


def compute_key(ed, derived, key: str) -> float:
    """Compute the number a ``published.yml`` key refers to.

    Parameters
    ----------
    ed : Edition
        Its ``registry``, ``baseline`` and ``followup`` frames (codebook column
        names, integer codes) and settings.
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`), read by the
        ``paired`` and ``regression`` keys.
    key : str
        A key in the grammar of the module docstring, e.g.
        ``"followup.duration.pct.1"`` or ``"regression.meaning.or"``.

    Returns
    -------
    float
        ``nan`` when the quantity is undefined (e.g. a percentage of no answers).

    Raises
    ------
    KeyError
        For a key that does not follow the grammar or names an unknown
        dataset, variable, score or term.
    """
    parts = key.split(".")
    head = parts[0]
    if head == "paired":
        if len(parts) not in (3, 4) or parts[1] not in _SCORES:
            raise KeyError(f"bad paired key {key!r}")
        return _paired_stat(ed, derived, parts[1], parts[2], parts[3] if len(parts) == 4 else None)
    if head == "regression":
        from ipsreport.analysis.spec import TERM_NAMES

        if len(parts) == 2 and parts[1] in ("n", "events"):
            return float(getattr(_regression(ed, derived), parts[1]))
        if len(parts) == 3 and parts[1] in TERM_NAMES and parts[2] in _REGRESSION_COLUMNS:
            terms = _regression(ed, derived).terms.set_index("term")
            return float(terms.loc[parts[1], _REGRESSION_COLUMNS[parts[2]]])
        raise KeyError(f"bad regression key {key!r}")
    match = _HEAD.match(head)
    if match is None or match.group(1) not in _DATASETS:
        raise KeyError(f"unknown dataset in key {key!r}")
    head, query = match.group(1), match.group(2)
    if len(parts) == 3 and parts[1] == "share_of" and query is None:
        if parts[2] not in _DATASETS:
            raise KeyError(f"unknown dataset in key {key!r}")
        return 100 * len(_frame(ed, head)) / len(_frame(ed, parts[2]))
    if len(parts) == 2 and parts[1] == "n":
        return float(len(_rows(ed, head, query)))
    if head == "registry" and len(parts) == 3 and parts[1] in ("finished", "success"):
        exit_ = _frame(ed, "registry")["exit_status"]
        finished = is_finished(exit_)
        success = is_success(exit_)
        if parts[1:] == ["finished", "n"]:
            return float(finished.sum())
        if parts[1:] == ["success", "n"]:
            return float(success.sum())
        if parts[1:] == ["success", "pct"]:
            return float(100 * success.sum() / finished.sum()) if finished.sum() else math.nan
        raise KeyError(f"bad registry key {key!r}")
    if len(parts) < 3:
        raise KeyError(f"bad key {key!r}")
    values = _variable(ed, head, parts[1])
    if query is not None:
        values = values[_rows(ed, head, query).index]
    stat = parts[2]
    answered = values.dropna()
    if stat == "base" and len(parts) == 3:
        return float(len(answered))
    if stat in ("mean", "min", "max") and len(parts) == 3:
        if answered.empty:
            return math.nan
        return float(getattr(answered.astype(float), stat)())
    if stat in ("n", "pct", "pct_all") and len(parts) == 4:
        hits = float(answered.isin(_codes(parts[3])).sum())
        if stat == "n":
            return hits
        base = len(values) if stat == "pct_all" else len(answered)
        return 100 * hits / base if base else math.nan
    raise KeyError(f"bad key {key!r}")


def key_counts(ed, derived, key: str, value: float | None = None) -> list[float]:
    """The head counts a key's value rests on, for the small-number rule.

    A value may be shown only when none of these counts is small
    (:func:`ipsreport.analysis.disclosed.disclosure.is_small`): a count and its base for
    counts and shares, the number of answers for means, half of it for
    youngest/oldest values (one person's own value each), the number of pairs
    for paired statistics, and the smaller outcome group for Table 9.

    Parameters
    ----------
    ed : Edition
    derived : Derived
    key : str
        As for :func:`compute_key`.
    value : float, optional
        The key's value when already computed (a head count is its own basis).

    Returns
    -------
    list of float
        Empty when the key cannot be computed.
    """
    parts = key.split(".")
    try:
        if parts[0] == "paired":
            return [compute_key(ed, derived, f"paired.{parts[1]}.n")]
        if parts[0] == "regression":
            result = _regression(ed, derived)
            return [float(result.n), float(min(result.events, result.n - result.events))]
        head = parts[0]
        if len(parts) == 2 and parts[1] == "n":
            return [compute_key(ed, derived, key) if value is None else value]
        if len(parts) == 3 and parts[1] == "share_of":
            return [compute_key(ed, derived, f"{head}.n"), compute_key(ed, derived, f"{parts[2]}.n")]
        if head == "registry" and len(parts) == 3 and parts[1] in ("finished", "success"):
            return [compute_key(ed, derived, "registry.success.n"), compute_key(ed, derived, "registry.finished.n")]
        stat = parts[2]
        if stat == "pct_all" and len(parts) == 4:
            return [compute_key(ed, derived, f"{head}.{parts[1]}.n.{parts[3]}"), compute_key(ed, derived, f"{head}.n")]
        base = compute_key(ed, derived, f"{head}.{parts[1]}.base")
        if stat in ("n", "pct") and len(parts) == 4:
            return [compute_key(ed, derived, f"{head}.{parts[1]}.n.{parts[3]}"), base]
        if stat in ("min", "max"):
            return [base / 2]
        return [base]
    except (KeyError, ValueError, ZeroDivisionError, IndexError):
        return []


def summarise_audit(ed, derived, path: str | Path | None = None) -> pd.DataFrame:
    """Published versus reproduced, one row per published number.

    Parameters
    ----------
    ed : Edition
        The data to audit (see :func:`compute_key`).
    derived : Derived
        Its respondents' scores (:func:`ipsreport.pipeline.derive`).
    path : str or Path, optional
        ``published.yml`` to audit against.

    Returns
    -------
    DataFrame
        Columns ``key, where, table, printed, published, reproduced, difference,
        tolerance, rounding, corrected, within, status, reason, counts`` (:func:`key_counts`); ``within`` is
        true when ``|reproduced - published| <= tolerance``; ``rounding`` is :func:`rounding` of the printed
        value (a tolerance above it comes with a ``reason``); ``corrected`` is the number the edition should
        have printed (``nan`` unless ``published.yml`` corrects it); ``table`` is the published table or
        section the number belongs to (:func:`published_table`); ``status`` is :func:`audit_status`.

    Notes
    -----
    Memoised per Edition and Derived object and ``published.yml`` (path, modification
    time, size); each call returns a copy, so callers may modify it.
    """
    resolved = Path(path or PUBLISHED_PATH).resolve()
    stat = resolved.stat()
    # The table, the appendix facts and the benchmark all ask for the same
    # audit; computing every published key is costly on large cohorts, so it
    # is made once per edition (and published.yml version), keyed weakly on
    # the Edition object.
    key = ("audit", str(resolved), stat.st_mtime_ns, stat.st_size)
    return remember(key, ed, lambda: _summarise_audit(ed, derived, resolved), inputs=(derived,)).copy()


#: The audit's verdicts, in the order the appendix reports them.
STATUSES = ("exact", "tolerance", "correction", "not_reproduced")


def prints_as(reproduced: float, published: float) -> bool:
    """Whether ``reproduced``, rounded as the report rounds (half up) to the decimals of ``published``, prints as it.

    3.225 prints as 3,23 and is not the printed 3,22; 14.29 prints as 14.
    """
    if not np.isfinite(reproduced):
        return False
    places = decimals(published)
    return round_half_up(reproduced, places) == round_half_up(published, places)


def audit_status(reproduced: float, published: float, tolerance: float, corrected: float | None = None) -> str:
    """How a reproduced number compares with the printed one.

    Parameters
    ----------
    reproduced : float
        The number computed from the data (``nan`` when it cannot be computed).
    published : float
        The number as printed in the 2025 edition.
    tolerance : float
        The accepted difference of ``published.yml`` (around ``corrected`` when given).
    corrected : float, optional
        The number the edition should have printed (``published.yml``'s ``corrected``).

    Returns
    -------
    str
        ``"exact"`` when the reproduced number, rounded as the report rounds it to the printed
        decimals, is the printed number; ``"correction"`` for a corrected entry whose data give the
        corrected number (rounded alike, or within ``tolerance`` of it); ``"tolerance"`` when it is
        within ``tolerance`` of the printed number (the entry gives the reason);
        ``"not_reproduced"`` otherwise or when it cannot be computed.
    """
    if not np.isfinite(reproduced):
        return "not_reproduced"
    if corrected is not None and not pd.isna(corrected):
        # The printed number is known to be wrong: the data are checked against the correction.
        if prints_as(reproduced, corrected) or abs(reproduced - corrected) <= tolerance + _EPS:
            return "correction"
        return "not_reproduced"
    if prints_as(reproduced, published):
        return "exact"
    if abs(reproduced - published) <= tolerance + _EPS:
        return "tolerance"
    return "not_reproduced"


def published_table(where: str) -> str:
    """The table or section of the 2025 edition a number is audited under: the first place in ``where``.

    ``"Tabel 9, note"`` and ``"Tabel 9; afsnit 7.1"`` are both ``"Tabel 9"``.
    """
    first = str(where).split(";")[0].split(",")[0].strip()
    return first[:1].upper() + first[1:]


def _summarise_audit(ed, derived, path: Path) -> pd.DataFrame:
    rows = []
    for entry in load_published(path):
        try:
            reproduced = compute_key(ed, derived, entry["key"])
        except (KeyError, ValueError, ZeroDivisionError):
            reproduced = math.nan
        published = float(entry["value"])
        diff = reproduced - published
        tolerance = float(entry["tolerance"])
        corrected = float(entry["corrected"]) if "corrected" in entry else math.nan
        rows.append(
            {
                "key": entry["key"],
                "where": entry["where"],
                "table": published_table(entry["where"]),
                "printed": str(entry["printed"]),
                "published": published,
                "reproduced": reproduced,
                "difference": diff,
                "tolerance": tolerance,
                "rounding": rounding(entry["value"]),
                "corrected": corrected,
                "within": bool(np.isfinite(diff) and abs(diff) <= tolerance + _EPS),
                "status": audit_status(reproduced, published, tolerance, corrected),
                "reason": entry["reason"],
                "counts": key_counts(ed, derived, entry["key"], reproduced),
            }
        )
    columns = ["key", "where", "table", "printed", "published", "reproduced", "difference", "tolerance", "rounding",
               "corrected", "within", "status", "reason", "counts"]
    return pd.DataFrame(rows, columns=columns)
