"""The unprotected summaries of one edition, and the ledger of every number its book could publish.

:func:`unprotected_frames` computes every summary the disclosure layer
protects (the same ``summarise_*``/``fit_*`` functions, once);
:func:`candidate_ledger` reads them as ledger entries
(:func:`ipsreport.analysis.disclosed.catalogue.book_entries`) with the structure and
truths they rest on: the input of :func:`ipsreport.analysis.disclosed.plan.make_plan`.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.disclosed import disclosure

from ipsreport.analysis.disclosed.catalogue import SCORES, book_entries, fill_structure, trajectory_code
from ipsreport.analysis.disclosed.ledger import Entry, Ledger
from ipsreport.analysis.disclosed.quantities import BAND, OUTCOME, TRAJECTORY
from ipsreport.analysis.disclosed.rules import paired_trajectories

__all__ = ["unprotected_frames", "derived_counts", "candidate_ledger", "trajectories"]


def trajectories(ed, derived, score: str) -> pd.DataFrame:
    """Every distinct paired (start, end) trajectory of a score and how many share it (``start, end, n``)."""
    from ipsreport.analysis.summaries import mental_health as mh

    long = mh.summarise_paired_long(ed, derived, score)
    wide = long.pivot(index="id", columns="time", values="value")
    if wide.empty:
        return pd.DataFrame({"start": pd.Series([], dtype=float), "end": pd.Series([], dtype=float),
                             "n": pd.Series([], dtype="int64")})
    pairs, counts = paired_trajectories(wide["Start"].to_numpy(dtype=float), wide["Afslutning"].to_numpy(dtype=float))
    return pd.DataFrame({"start": pairs[:, 0], "end": pairs[:, 1], "n": counts})


def unprotected_frames(ed, derived) -> dict:
    """Every summary the layer protects, as computed (keys as :func:`~ipsreport.analysis.disclosed.catalogue.book_entries`).

    ``derived``: the scores of ``ed``'s respondents (:func:`ipsreport.pipeline.derive`,
    :attr:`Disclosed.derived <ipsreport.analysis.disclosed.layer.Disclosed>`), read by the summaries that need a score.
    """
    from ipsreport.analysis.audit import summarise_audit
    from ipsreport.analysis.disclosed.rules import DisclosedRegression
    from ipsreport.analysis.models import fit_regression
    from ipsreport.analysis.summaries import mental_health as mh
    from ipsreport.analysis.summaries import pathways as pw
    from ipsreport.analysis.summaries import supplementary as sp
    from ipsreport.analysis.summaries import target_group as tg

    frames = {
        "duration": tg.summarise_duration(ed), "background": tg.summarise_background(ed),
        "status": tg.summarise_status(ed), "supports": tg.summarise_supports(ed), "goals": pw.summarise_goals(ed),
        "motivation": pw.summarise_motivation(ed), "resources": pw.summarise_resources(ed),
        "evaluation": pw.summarise_evaluation(ed), "psychiatry": pw.summarise_psychiatry(ed),
        "placement": pw.summarise_placement(ed), "experience": sp.summarise_experience(ed),
        "statements": sp.summarise_statements(ed), "effect": sp.summarise_effect(ed),
        "placement_of_placed": pw.summarise_placement_of_placed(ed), "exit": pw.summarise_exit(ed),
        "registry_counts": pw.summarise_registry_counts(ed), "age": tg.summarise_age(ed),
        "no_placement_duration": pw.summarise_no_placement_duration(ed),
        "who5_bands": mh.summarise_who5_bands(ed, derived), "audit": summarise_audit(ed, derived),
    }
    # Table 9 is withheld by its own rule when an outcome group is small: then its events are never printed.
    result = fit_regression(ed, derived)
    m = disclosure.get_min_cell(ed)
    frames["regression"] = DisclosedRegression(result, bool(m) and min(result.events, result.n - result.events) < m)
    paired = mh.summarise_paired(ed, derived)
    for score in SCORES:
        frames[("paired", score)] = paired[paired["score"] == score].assign(withheld=False)
        frames[("pairs", score)] = trajectories(ed, derived, score)
    success = frames["registry_counts"].loc["success"]
    frames["target_met"] = bool(success["pct"] >= float(ed.settings.success_target_pct)) if success["base"] else None
    frames["target_pct"] = float(ed.settings.success_target_pct)
    frames["min_cell"] = disclosure.get_min_cell(ed)
    return frames


def derived_counts(frames: dict) -> dict:
    """The true counts of the derived populations (paired respondents, Table 9's analysis) from the summaries."""
    extra: dict = {}
    for score in SCORES:
        pairs = frames[("pairs", score)]
        codes = {trajectory_code(s, e): int(n) for s, e, n in zip(pairs["start"], pairs["end"], pairs["n"])}
        extra[(f"paired.{score}", TRAJECTORY)] = codes
        extra[f"paired.{score}"] = int(sum(codes.values()))
    bands = frames["who5_bands"]
    for time in ("start", "end"):
        rows = bands[bands["time"] == time]
        extra[("paired.who5", f"{BAND}.{time}")] = {int(b): int(n) for b, n in zip(rows["band"], rows["n"])}
    result = frames["regression"].result
    extra["regression"] = int(result.n)
    extra[("regression", OUTCOME)] = {1: int(result.events), 0: int(result.n - result.events)}
    return extra


def candidate_ledger(ed, frames: dict, site=None) -> tuple[Ledger, list[Entry]]:
    """The structure and truths of an edition's book, and every number it could publish.

    Parameters
    ----------
    ed : Edition
    frames : dict
        :func:`unprotected_frames` of ``ed``.
    site : str, optional
        The name the cells carry (``None``: one book on its own).
    """
    candidates = book_entries(frames, ed.codebook, site)
    ledger = Ledger(entries=list(candidates))
    fill_structure(ledger, {site: (ed, derived_counts(frames))}, ed.codebook)
    return ledger, candidates
