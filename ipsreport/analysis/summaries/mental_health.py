"""Chapter 6: paired start/end comparisons of mental-health scores.

Every comparison uses the *same* young people at both times: follow-up
respondents joined to their baseline answers by ``id``, kept only when the
score exists at both times (a respondent missing one WHO-5 item has no
WHO-5 score, see :mod:`ipsreport.analysis.scoring`). WHO-5 and mastery are
read from the :class:`~ipsreport.analysis.scoring.Derived` scores each
function is handed (the pipeline's ``derive`` step), never scored here;
loneliness and burden are single items, read from the survey. The four scores:

========== ================================ ======= ===========================
score      items                            range   higher means
========== ================================ ======= ===========================
who5       ``who5_1`` ... ``who5_5`` (0-5)  0-100   better well-being
mastery    ``mastery_1..3`` (1-4), summed   3-12    more mastery/self-esteem
loneliness ``loneliness`` (1-5)             1-5     lonelier (5 = meget ofte)
burden     ``burden`` (1-5)                 1-5     heavier burden
========== ================================ ======= ===========================

The 2025 edition printed the mastery range as 4-12; three items scored 1-4
give 3-12, and that is what the frames and labels say.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

import ipsreport.analysis.scoring as scoring
from ipsreport.analysis.memo import remember

__all__ = [
    "summarise_paired",
    "summarise_paired_long",
    "summarise_paired_means",
    "summarise_who5_bands",
]


@dataclass(frozen=True)
class ScoreSpec:
    """Where one chapter-6 score is read and how it is described."""

    name: str
    label: str  # Danish, as printed; includes the range
    short: str  # Danish noun phrase for alt texts ("WHO-5-score")
    low: float  # possible minimum
    high: float  # possible maximum
    #: True: a column of the Derived scores (the derive step); False: the survey's item of that name.
    derived: bool
    #: Codebook variable whose value labels name the scale anchors (1-5 items).
    anchors_from: str | None = None
    decimals: int = 2  # decimals used when printing means of this score
    axis_label: str = ""  # Danish y-axis label of the figure (short)


#: The chapter-6 scores in print order (Figur 1-4 follow the same order as
#: the chapter: mastery, loneliness, WHO-5, burden; the frame keeps WHO-5 first
#: as the contract lists it).
SCORES: dict[str, ScoreSpec] = {
    "who5": ScoreSpec("who5", "WHO-5 trivselsindeks (0–100)", "WHO-5-score", 0, 100, derived=True, decimals=0,
                      axis_label="WHO-5 trivselsindeks (0–100)"),
    "mastery": ScoreSpec(
        "mastery", f"Indeks for mestring og selvværd ({scoring.MASTERY_RANGE[0]}–{scoring.MASTERY_RANGE[1]})",
        "score for mestring og selvværd", scoring.MASTERY_RANGE[0], scoring.MASTERY_RANGE[1], derived=True,
        axis_label=f"Mestring og selvværd ({scoring.MASTERY_RANGE[0]}–{scoring.MASTERY_RANGE[1]})"),
    "loneliness": ScoreSpec("loneliness", "Ensomhed (1 = aldrig, 5 = meget ofte)", "ensomhedsscore", 1, 5,
                            derived=False, anchors_from="loneliness", axis_label="Ensomhed (1–5)"),
    "burden": ScoreSpec("burden", "Psykisk belastning (1 = slet ikke, 5 = i meget høj grad)",
                        "score for psykisk belastning", 1, 5, derived=False, anchors_from="burden",
                        axis_label="Psykisk belastning (1–5)"),
}

PAIRED_COLUMNS = [
    "score",
    "label",
    "n",
    "mean_start",
    "mean_end",
    "diff",
    "ci_low",
    "ci_high",
    "t",
    "p_ttest",
    "w",
    "p_wilcoxon",
    "significant",
    "scale_min",
    "scale_max",
    "reason",
    "sd_start",
    "sd_end",
]

#: Time labels as printed in figures (``summarise_paired_long``).
TIME_LABELS = {"start": "Start", "end": "Afslutning"}


def _spec(score: str) -> ScoreSpec:
    try:
        return SCORES[score]
    except KeyError:
        raise KeyError(f"unknown score {score!r}; use one of {list(SCORES)}") from None


# The baseline/follow-up join is made once per edition and each score's pairs
# once per edition and Derived (ipsreport.analysis.memo). Editions are frozen; code
# that edits an edition's frames in place after use must build a new Edition.


def _join_positions(ed) -> tuple[np.ndarray, np.ndarray]:
    """Row positions in ``ed.followup`` and ``ed.baseline`` of the same ``id``.

    Follow-up respondents are the anchor (only they can be compared); the
    join is on factorized integer ids, which is much cheaper than merging on
    the string ids.
    """
    follow_ids = ed.followup["id"]
    base_ids = ed.baseline["id"]
    # A missing id gets its own code (not -1), so it pairs exactly as it
    # did when merging on the strings (pandas matches missing keys).
    codes, _ = pd.factorize(pd.concat([follow_ids, base_ids], ignore_index=True), use_na_sentinel=False)
    follow = pd.DataFrame({"code": codes[: len(follow_ids)], "fpos": np.arange(len(follow_ids))})
    base = pd.DataFrame({"code": codes[len(follow_ids):], "bpos": np.arange(len(base_ids))})
    joined = follow.merge(base, on="code", how="inner", validate="one_to_one")
    return joined["fpos"].to_numpy(), joined["bpos"].to_numpy()


def _survey_values(ed, derived, column: str) -> tuple[pd.Series, pd.Series]:
    """``column`` at start and end, aligned with ``ed.baseline`` and ``ed.followup``.

    A score of the derive step (``who5``, ``who5_band``, ``mastery``) is read
    from ``derived``; a single item (``loneliness``, ``burden``) from the surveys.
    """
    if column in SCORES and not SCORES[column].derived:
        return ed.baseline[column].astype("Float64"), ed.followup[column].astype("Float64")
    scores = derived.of(ed.baseline, ed.followup)
    return scores.baseline[column].astype("Float64"), scores.followup[column].astype("Float64")


def _compute_paired_values(ed, derived, column: str, positions: tuple[np.ndarray, np.ndarray]) -> pd.DataFrame:
    fpos, bpos = positions
    start, end = _survey_values(ed, derived, column)
    start, end = start.array.take(bpos), end.array.take(fpos)
    ids = ed.followup["id"].array.take(fpos)
    joined = pd.DataFrame({"start": start, "end": end}, index=pd.Index(ids, name="id"))
    joined = joined.dropna(subset=["start", "end"]).sort_index()
    return joined[["start", "end"]].astype("Float64")


def _paired_values(ed, derived, score: str) -> pd.DataFrame:
    """Start and end values of ``score`` for respondents with both.

    Returns a frame indexed by ``id`` (sorted) with Float64 columns
    ``start`` and ``end``; no missing values. The join is made once per
    edition and each score's pairs once per edition and ``derived`` (a copy
    is returned). ``score`` may also be ``"who5_band"`` (the WHO-5 band of
    the respondents paired on WHO-5: a band is missing exactly where the score is).
    """
    if score != "who5_band":
        _spec(score)
    frames = (ed.followup, ed.baseline)
    positions = remember("paired_positions", ed, lambda: _join_positions(ed), inputs=frames)
    return remember(("paired", score), ed, lambda: _compute_paired_values(ed, derived, score, positions),
                    inputs=(*frames, derived)).copy()


def _mean_diff_ci(diffs: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    n = len(diffs)
    if n < 2:
        return (np.nan, np.nan)
    mean = diffs.mean()
    se = diffs.std(ddof=1) / np.sqrt(n)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return (float(mean - half), float(mean + half))


def _paired_row(ed, derived, score: str) -> dict:
    spec = _spec(score)
    pairs = _paired_values(ed, derived, score)
    start = pairs["start"].to_numpy(dtype=float)
    end = pairs["end"].to_numpy(dtype=float)
    diffs = end - start
    n = len(pairs)
    row = {
        "score": score,
        "label": spec.label,
        "n": n,
        "mean_start": float(start.mean()) if n else np.nan,
        "mean_end": float(end.mean()) if n else np.nan,
        "diff": float(diffs.mean()) if n else np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "t": np.nan,
        "p_ttest": np.nan,
        "w": np.nan,
        "p_wilcoxon": np.nan,
        "significant": False,
        "scale_min": float(spec.low),
        "scale_max": float(spec.high),
        "reason": "",
        # Standard deviations (ddof=1) let a later edition compare its means with these (Welch).
        "sd_start": float(start.std(ddof=1)) if n >= 2 else np.nan,
        "sd_end": float(end.std(ddof=1)) if n >= 2 else np.nan,
    }
    if n < 2:
        # Danish: the reason is shown to report readers when a test is missing.
        row["reason"] = f"Test ikke mulig: {n} unge med svar ved både start og afslutning (mindst 2 kræves)"
        return row
    row["ci_low"], row["ci_high"] = _mean_diff_ci(diffs, 1 - float(ed.settings.alpha))
    if np.all(diffs == 0):
        # Both tests are undefined (zero variance; no non-zero ranks). The
        # mean difference and its degenerate CI [0, 0] are still meaningful.
        row["reason"] = "Test ikke mulig: ingen af de unge har ændret score"
        return row
    if np.allclose(diffs, diffs[0]):
        # Constant non-zero differences: the t statistic is infinite.
        row["reason"] = "t-test ikke mulig: alle unge har ændret sig lige meget"
    else:
        t = stats.ttest_rel(end, start)
        row["t"], row["p_ttest"] = float(t.statistic), float(t.pvalue)
    w = stats.wilcoxon(end, start)
    row["w"], row["p_wilcoxon"] = float(w.statistic), float(w.pvalue)
    row["significant"] = bool(row["p_ttest"] < ed.settings.alpha)  # NaN -> False
    return row


def summarise_paired(ed, derived, score: str | None = None) -> pd.DataFrame:
    """Paired start/end comparison of the chapter-6 scores.

    Parameters
    ----------
    ed : Edition
        Needs ``baseline``, ``followup`` and ``settings.alpha``.
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`).
    score : {"who5", "mastery", "loneliness", "burden"}, optional
        Only this score; default all four in that order.

    Returns
    -------
    DataFrame
        One row per score with columns ``score, label, n, mean_start,
        mean_end, diff, ci_low, ci_high, t, p_ttest, w, p_wilcoxon,
        significant`` (as in ``docs/CONTRACT.md``) plus ``scale_min``,
        ``scale_max`` (possible range of the score), ``reason`` (Danish
        text saying why a test is missing; empty when all are computed) and
        ``sd_start``, ``sd_end`` (standard deviations, ddof 1; ``NaN`` below
        two pairs), which the edition comparison needs for Welch's interval.

    Notes
    -----
    ``diff`` is mean(end - start) over the paired respondents, with a
    t-based 95 % confidence interval. ``t``/``p_ttest`` come from
    :func:`scipy.stats.ttest_rel` (end vs start) and ``w``/``p_wilcoxon``
    from :func:`scipy.stats.wilcoxon` with its defaults (zero differences
    dropped). Tests are ``NaN`` when fewer than two pairs exist or all
    differences are zero; ``significant`` is ``p_ttest < settings.alpha``
    and ``False`` when the test is missing.
    """
    names = list(SCORES) if score is None else [_spec(score).name]
    rows = [_paired_row(ed, derived, name) for name in names]
    frame = pd.DataFrame(rows, columns=PAIRED_COLUMNS)
    frame["n"] = frame["n"].astype("int64")
    frame["significant"] = frame["significant"].astype(bool)
    return frame


def summarise_paired_long(ed, derived, score: str) -> pd.DataFrame:
    """Paired values in long form, for plotting individual lines.

    Parameters
    ----------
    ed : Edition
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`).
    score : {"who5", "mastery", "loneliness", "burden"}

    Returns
    -------
    DataFrame
        Columns ``id``, ``time`` (``"Start"`` then ``"Afslutning"``) and
        ``value`` (float); two rows per paired respondent, sorted by time
        then id. Empty (same columns) when nobody has both values.
    """
    pairs = _paired_values(ed, derived, score)
    parts = []
    for key, label in TIME_LABELS.items():
        parts.append(
            pd.DataFrame(
                {
                    "id": pairs.index.to_numpy(),
                    "time": label,
                    "value": pairs[key].to_numpy(dtype=float),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["time"] = out["time"].astype("string")
    out["value"] = out["value"].astype(float)
    return out[["id", "time", "value"]]


def summarise_paired_means(ed, derived, score: str) -> pd.DataFrame:
    """Mean of ``score`` at start and end among the paired respondents.

    Parameters
    ----------
    ed : Edition
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`).
    score : {"who5", "mastery", "loneliness", "burden"}

    Returns
    -------
    DataFrame
        Columns ``time`` (``"start"``, ``"end"``), ``label`` (``"Start"``,
        ``"Afslutning"``), ``n``, ``mean``, ``sd``, ``ci_low``, ``ci_high``
        (t-based 95 % CI of each mean; NaN for n < 2).

    Notes
    -----
    The per-time intervals describe each mean on its own; whether the change
    is significant is judged from the paired test in :func:`summarise_paired`.
    """
    pairs = _paired_values(ed, derived, score)
    rows = []
    for key, label in TIME_LABELS.items():
        values = pairs[key].to_numpy(dtype=float)
        n = len(values)
        mean = float(values.mean()) if n else np.nan
        sd = float(values.std(ddof=1)) if n >= 2 else np.nan
        if n >= 2:
            half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
            low, high = mean - half, mean + half
        else:
            low = high = np.nan
        rows.append({"time": key, "label": label, "n": n, "mean": mean, "sd": sd, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def _who5_band_labels(ed) -> dict[int, str]:
    bands = (ed.codebook.scores.get("who5") or {}).get("bands") or []
    if len(bands) == len(scoring.WHO5_BAND_LABELS):
        return {i + 1: str(b["label"]) for i, b in enumerate(bands)}
    return {i + 1: label for i, label in enumerate(scoring.WHO5_BAND_LABELS)}


def summarise_who5_bands(ed, derived) -> pd.DataFrame:
    """WHO-5 band shares at start and end for the paired respondents.

    Parameters
    ----------
    ed : Edition
    derived : Derived
        The respondents' scores and bands (:func:`ipsreport.pipeline.derive`).

    Returns
    -------
    DataFrame
        Columns ``band`` (1 = 0-35, 2 = 36-50, 3 = over 50), ``label``
        (Danish, from the codebook), ``time`` (``"start"``/``"end"``),
        ``n``, ``base`` (paired respondents) and ``pct`` (0-100; NaN when
        ``base`` is 0). Six rows (every band at both times) sorted by time
        (start first) then band, also when a band is empty.
    """
    pairs = _paired_values(ed, derived, "who5_band")
    labels = _who5_band_labels(ed)
    base = len(pairs)
    rows = []
    for key in TIME_LABELS:
        bands = pairs[key]
        for band, label in labels.items():
            n = int((bands == band).sum())
            rows.append(
                {
                    "band": band,
                    "label": label,
                    "time": key,
                    "n": n,
                    "base": base,
                    "pct": 100.0 * n / base if base else np.nan,
                }
            )
    frame = pd.DataFrame(rows, columns=["band", "label", "time", "n", "base", "pct"])
    return frame.astype({"band": "int64", "n": "int64", "base": "int64", "pct": float})
