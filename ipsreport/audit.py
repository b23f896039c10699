"""Published versus reproduced: the audit behind the Reproduktion appendix.

``tests/fixtures/published.yml`` lists every number printed in the 2025
edition with a *key* saying how to compute it from the data (grammar in
``docs/CONTRACT.md``, "published.yml"). :func:`compute_key` evaluates one key
on an edition; :func:`summarise_audit` evaluates them all and compares them
with the printed values.

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
* the derived variable ``registry.months_enrolled`` (months from start to end,
  or to the evaluation end for those still enrolled).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ipsreport.paths import FIXTURES_DIR

__all__ = ["summarise_audit", "compute_key", "load_published"]

PUBLISHED_PATH = FIXTURES_DIR / "published.yml"
_FIELDS = ("key", "where", "printed", "value", "tolerance", "reason")
_DATASETS = ("registry", "baseline", "followup")
_SCORES = ("who5", "mastery", "loneliness", "burden")
#: Small slack for floating point when comparing with a tolerance.
_EPS = 1e-9


# ---------------------------------------------------------------------------
# Access to the edition
# ---------------------------------------------------------------------------
def _frame(ed, name: str) -> pd.DataFrame:
    if isinstance(ed, dict):
        return ed[name]
    return getattr(ed, name)


def _evaluation_end(ed):
    settings = ed.get("settings") if isinstance(ed, dict) else getattr(ed, "settings", None)
    end = getattr(settings, "evaluation_end", None)
    if end is None:
        from ipsreport.synth.twin import EVALUATION_END

        end = EVALUATION_END
    return end


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
        from ipsreport.synth.twin import months_enrolled

        return months_enrolled(frame["start_date"], frame["end_date"], _evaluation_end(ed)).set_axis(frame.index)
    if var not in frame.columns:
        raise KeyError(f"{dataset} has no variable {var!r}")
    return frame[var]


# ---------------------------------------------------------------------------
# Paired scores and the regression (small and cached per edition)
# ---------------------------------------------------------------------------
_CACHE: dict[tuple, tuple[Any, Any]] = {}


def _cached(ed, what: str, compute):
    frames = tuple(_frame(ed, n) for n in _DATASETS)
    key = (what, *(id(f) for f in frames))
    hit = _CACHE.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], frames)):
        return hit[1]
    value = compute()
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = (frames, value)
    return value


def _score(frame: pd.DataFrame, score: str) -> pd.Series:
    from ipsreport.scoring import mastery_index, who5_score

    if score == "who5":
        return who5_score(frame)
    if score == "mastery":
        return mastery_index(frame)
    if score in ("loneliness", "burden"):
        return frame[score].astype("Float64")
    raise KeyError(f"unknown paired score {score!r}; use one of {_SCORES}")


def _paired(ed, score: str) -> pd.DataFrame:
    def compute():
        bl = _frame(ed, "baseline").set_index("id")
        fu = _frame(ed, "followup").set_index("id")
        start = _score(bl, score)
        end = _score(fu, score)
        both = pd.DataFrame({"start": start.reindex(fu.index), "end": end}).dropna()
        return both.astype(float)

    return _cached(ed, f"paired:{score}", compute)


def _paired_stat(ed, score: str, stat: str, arg: str | None) -> float:
    from scipy import stats

    from ipsreport.scoring import who5_band

    both = _paired(ed, score)
    if stat == "n":
        return float(len(both))
    if stat == "mean_start":
        return float(both["start"].mean())
    if stat == "mean_end":
        return float(both["end"].mean())
    if stat == "p_ttest":
        return float(stats.ttest_rel(both["end"], both["start"]).pvalue)
    if stat == "p_wilcoxon":
        return float(stats.wilcoxon(both["end"], both["start"]).pvalue)
    if stat in ("band_pct_start", "band_pct_end") and score == "who5" and arg is not None:
        col = "start" if stat.endswith("start") else "end"
        bands = who5_band(both[col].astype("Float64"))
        return float(100 * (bands == int(arg)).sum() / len(bands))
    raise KeyError(f"unknown paired statistic {stat!r}")


def _regression(ed):
    def compute():
        import statsmodels.api as sm

        from ipsreport.spec import REGRESSION_OUTCOME, TERM_NAMES, regression_frame

        frame = regression_frame(_frame(ed, "baseline"), _frame(ed, "followup"))
        y = frame[REGRESSION_OUTCOME]
        X = sm.add_constant(frame[list(TERM_NAMES)], has_constant="add")
        result = sm.Logit(y, X).fit(disp=0, maxiter=200)
        ci = result.conf_int()
        table = pd.DataFrame(
            {
                "or": np.exp(result.params),
                "ci_low": np.exp(ci[0]),
                "ci_high": np.exp(ci[1]),
                "p": result.pvalues,
            }
        ).drop(index="const")
        return {"n": float(len(frame)), "events": float(y.sum()), "terms": table}

    return _cached(ed, "regression", compute)


# ---------------------------------------------------------------------------
# The key grammar
# ---------------------------------------------------------------------------
def _codes(part: str) -> list[int]:
    try:
        return [int(c) for c in part.split("+")]
    except ValueError as exc:
        raise KeyError(f"codes must be integers joined by '+', got {part!r}") from exc


def compute_key(ed, key: str) -> float:
    """Compute the number a ``published.yml`` key refers to.

    Parameters
    ----------
    ed : Edition or dict
        Anything with ``registry``, ``baseline`` and ``followup`` frames (as
        attributes or dict items), codebook column names, integer codes.
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
        return _paired_stat(ed, parts[1], parts[2], parts[3] if len(parts) == 4 else None)
    if head == "regression":
        from ipsreport.spec import TERM_NAMES

        if len(parts) == 2 and parts[1] in ("n", "events"):
            return _regression(ed)[parts[1]]
        if len(parts) == 3 and parts[1] in TERM_NAMES and parts[2] in ("or", "ci_low", "ci_high", "p"):
            return float(_regression(ed)["terms"].loc[parts[1], parts[2]])
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
        finished = exit_.notna() & (exit_ != 5)
        success = exit_.isin([1, 2, 3])
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
    if stat in ("n", "pct") and len(parts) == 4:
        hits = float(answered.isin(_codes(parts[3])).sum())
        if stat == "n":
            return hits
        return 100 * hits / len(answered) if len(answered) else math.nan
    raise KeyError(f"bad key {key!r}")


# ---------------------------------------------------------------------------
# published.yml
# ---------------------------------------------------------------------------
def load_published(path: str | Path | None = None) -> list[dict]:
    """Read ``published.yml``: every number printed in the reference edition.

    Parameters
    ----------
    path : str or Path, optional
        Defaults to ``tests/fixtures/published.yml``.

    Returns
    -------
    list of dict
        Entries with ``key, where, printed, value, tolerance, reason``.
    """
    path = Path(path or PUBLISHED_PATH)
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    seen = set()
    for i, entry in enumerate(entries):
        missing = [f for f in _FIELDS if f not in entry]
        if missing:
            raise ValueError(f"{path.name}: entry {i} ({entry.get('key')!r}) lacks {missing}")
        if entry["key"] in seen:
            raise ValueError(f"{path.name}: duplicate key {entry['key']!r}")
        seen.add(entry["key"])
    return entries


def summarise_audit(ed, path: str | Path | None = None) -> pd.DataFrame:
    """Published versus reproduced, one row per published number.

    Parameters
    ----------
    ed : Edition or dict
        The data to audit (see :func:`compute_key`).
    path : str or Path, optional
        ``published.yml`` to audit against.

    Returns
    -------
    DataFrame
        Columns ``key, where, printed, published, reproduced, difference,
        tolerance, within, reason``; ``within`` is true when
        ``|reproduced - published| <= tolerance``.
    """
    rows = []
    for entry in load_published(path):
        try:
            reproduced = compute_key(ed, entry["key"])
        except (KeyError, ValueError, ZeroDivisionError):
            reproduced = math.nan
        published = float(entry["value"])
        diff = reproduced - published
        rows.append(
            {
                "key": entry["key"],
                "where": entry["where"],
                "printed": str(entry["printed"]),
                "published": published,
                "reproduced": reproduced,
                "difference": diff,
                "tolerance": float(entry["tolerance"]),
                "within": bool(np.isfinite(diff) and abs(diff) <= float(entry["tolerance"]) + _EPS),
                "reason": entry["reason"],
            }
        )
    columns = ["key", "where", "printed", "published", "reproduced", "difference", "tolerance", "within", "reason"]
    return pd.DataFrame(rows, columns=columns)
