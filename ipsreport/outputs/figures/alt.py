"""Danish alt text of each figure, computed from the same disclosed numbers it shows."""

from __future__ import annotations

import numpy as np

import ipsreport.outputs.fmt as fmt
import ipsreport.analysis.scoring as scoring
from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.figures.bilag5 import all_withheld, base_note
from ipsreport.outputs.figures.layout import WITHHELD_FIGURE
from ipsreport.analysis.summaries.mental_health import SCORES
from ipsreport.analysis.summaries.supplementary import BILAG5_QUESTIONS

__all__ = ["alt_text"]

_PAIRED_FIGS = {"fig_mastery": "mastery", "fig_loneliness": "loneliness", "fig_who5": "who5", "fig_burden": "burden"}
_BILAG5_FIGS = {
    "fig_experience": ("experience", lambda d: d.experience),
    "fig_statements": ("statements", lambda d: d.statements),
    "fig_effect": ("effect", lambda d: d.effect),
}


def _normalise_name(name: str) -> str:
    key = name.replace("-", "_")
    return key if key.startswith("fig_") else f"fig_{key}"


def _paired_alt(ed, score: str) -> str:
    spec = SCORES[score]
    protected = disclosed(ed)
    row = protected.paired(score).iloc[0]
    if row["withheld"]:
        return WITHHELD_FIGURE.format(m=fmt.count(protected.min_cell))
    n = int(row["n"])
    if n == 0:
        return f"Figur uden data: ingen unge har en {spec.short} både ved start og afslutning."
    d = spec.decimals
    verb = fmt.direction(row["mean_start"], row["mean_end"], d)
    if verb == "var uændret":
        change = f"var uændret på {fmt.num(row['mean_start'], d)}"
    else:
        change = f"{verb} fra {fmt.num(row['mean_start'], d)} ved start til {fmt.num(row['mean_end'], d)} ved afslutning"
    if np.isfinite(row["p_ttest"]):
        sig = "statistisk signifikant" if row["significant"] else "ikke statistisk signifikant"
        sig_text = f" Ændringen er {sig} (p = {fmt.pvalue(row['p_ttest'])})."
    else:
        sig_text = ""
    text = (
        f"Linjediagram: den gennemsnitlige {spec.short} ({fmt.span(spec.low, spec.high)}) "
        f"{change} for de samme {fmt.count(n)} unge; tynde linjer viser hver enkelt ung.{sig_text}"
    )
    if score == "who5":
        bands = protected.who5_bands
        high = bands[bands["band"] == 3].set_index("time")["pct"]
        low = bands[bands["band"] == 1].set_index("time")["pct"]
        population = (ed.codebook.scores.get("who5") or {}).get("population_mean", scoring.WHO5_POPULATION_MEAN)
        text += (
            f" Befolkningsgennemsnit {fmt.num(population, 0)} er vist som stiplet linje."
            f" Andelen med en score over 50 {fmt.direction(high['start'], high['end'], 1)} fra "
            f"{fmt.pct(high['start'], 1, True)} til {fmt.pct(high['end'], 1, True)}, og andelen med meget lav "
            f"trivsel ({fmt.span(0, scoring.WHO5_BANDS[0])}) {fmt.direction(low['start'], low['end'], 1)} fra {fmt.pct(low['start'], 1, True)} "
            f"til {fmt.pct(low['end'], 1, True)}."
        )
    return text


def _bilag5_alt(ed, key: str, summarise) -> str:
    protected = disclosed(ed)
    summary = summarise(protected)
    if all_withheld(summary):
        return WITHHELD_FIGURE.format(m=fmt.count(protected.min_cell))
    question = BILAG5_QUESTIONS[key]
    if key == "statements":
        top = summary[summary["code"].isin([1, 2])].groupby("variable", sort=False)["pct"].sum()
        labels = summary.drop_duplicates("variable").set_index("variable")["label"]
        parts = [f"{labels[v]}: {fmt.pct(p)}" for v, p in top.items()]
        return (
            f"Stablet søjlediagram med svar på spørgsmålet »{question}« ({base_note(summary)[6:-1].lower()}). "
            f"Andel, der svarer i høj eller meget høj grad: {'; '.join(parts)}."
        )
    parts = [f"{c} {disclosure.cell_pct(p, s)}"
             for c, p, s in zip(summary["category"], summary["pct"], summary["suppression"])]
    return (
        f"Søjlediagram med svar på spørgsmålet »{question}« ({base_note(summary)[6:-1].lower()}): "
        f"{fmt.join_words(parts)}."
    )


def alt_text(fig_name: str, ed) -> str:
    """Danish alt text for a figure, computed from the same numbers it shows.

    Parameters
    ----------
    fig_name : str
        ``"fig_who5"``, ``"fig-who5"`` or ``"who5"`` (any figure of this module).
    ed : Edition

    Returns
    -------
    str
        E.g. ``"Linjediagram: den gennemsnitlige WHO-5-score (0–100) steg fra 49
        ved start til 51 ved afslutning for de samme 40 unge; ..."``.
    """
    key = _normalise_name(fig_name)
    if key in _PAIRED_FIGS:
        return _paired_alt(ed, _PAIRED_FIGS[key])
    if key in _BILAG5_FIGS:
        return _bilag5_alt(ed, *_BILAG5_FIGS[key])
    known = sorted([*_PAIRED_FIGS, *_BILAG5_FIGS])
    raise KeyError(f"no figure named {fig_name!r}; known: {known}")
