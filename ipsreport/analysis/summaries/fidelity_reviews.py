"""Fidelity appendix: scores of the optional fidelity reviews (IPS Fidelity Scale).

A fidelity review rates a site's practice on the 25 items of the IPS
Fidelity Scale, each from 1 (not implemented) to 5 (fully implemented). The
data are optional (codebook dataset ``fidelity``, ``optional: true``): an
edition without them has ``ed.fidelity is None`` and every function here
returns an empty frame of the documented columns.

Scoring (codebook ``scores: fidelity``, the one place the numbers live):

* the **total** is the sum of the 25 item scores, 25-125;
* the **band** is the first band of the codebook whose ``upper`` bound the
  total does not exceed: up to 73 "ikke IPS", 74-99 "rimelig", 100-114
  "god", 115-125 "eksemplarisk";
* **missing items**: a review with any item missing gets no total and no
  band (a partial sum is not comparable with the bands, and counting a
  missing item as 1 or as the mean would both invent a score). The number of
  items scored is reported beside it, so the table says why the total is
  missing.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.outputs import fmt

__all__ = [
    "FIDELITY_GROUP",
    "NO_REVIEWS_SENTENCE",
    "fidelity_bands_text",
    "fidelity_reviews_sentence",
    "lowest_items_text",
    "fidelity_items",
    "fidelity_bands",
    "fidelity_band",
    "summarise_fidelity_reviews",
    "summarise_fidelity_items",
]

#: Codebook group of the 25 item variables (in the scale's order).
FIDELITY_GROUP = "fidelity_items"

#: The report's words when no fidelity reviews were supplied (facts and table).
NO_REVIEWS_SENTENCE = (
    "Der er ikke indsendt data fra fidelitetsmålinger, så rapporten kan ikke vise, hvordan indsatsen "
    "scorer på IPS-fidelitetsskalaen."
)
#: Lowest-scored items named one by one in a table cell; the rest are counted.
MAX_LISTED_ITEMS = 3

_REVIEW_COLUMNS = ["review", "site", "review_date", "reviewer_type", "reviewer", "total", "band",
                   "n_items", "n_missing", "lowest_score"]
_ITEM_COLUMNS = ["review", "site", "review_date", "number", "item", "label", "score", "lowest"]


def fidelity_items(codebook) -> list:
    """The item variables of the scale (codebook ``Variable`` objects), in order."""
    return codebook["fidelity"].group(FIDELITY_GROUP)


def fidelity_bands(codebook) -> list[tuple[int, int, str]]:
    """``(lower, upper, label)`` of each band, lowest first, from the codebook.

    The lowest band starts at the lowest possible total (one point per item).
    """
    spec = codebook.scores["fidelity"]
    lower = len(fidelity_items(codebook))
    out = []
    for band in spec["bands"]:
        upper = int(band["upper"])
        out.append((lower, upper, str(band["label"])))
        lower = upper + 1
    return out


def fidelity_band(total, bands: list[tuple[int, int, str]]) -> str | None:
    """Label of the band holding ``total``; ``None`` for a missing total."""
    if total is None or pd.isna(total):
        return None
    for lower, upper, label in bands:
        if lower <= total <= upper:
            return label
    raise ValueError(f"fidelity total {total} lies outside every band {bands}")


def _reviews(ed) -> pd.DataFrame | None:
    """The reviews in report order (site, date, reviewer type, file order), or ``None``."""
    frame = ed.fidelity
    if frame is None or frame.empty:
        return None
    out = frame.reset_index(drop=True).copy()
    out["_order"] = range(len(out))
    out = out.sort_values(["site", "review_date", "reviewer_type", "_order"], kind="stable")
    out["review"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)


def summarise_fidelity_reviews(ed) -> pd.DataFrame:
    """One row per fidelity review: who, when, total and band.

    Parameters
    ----------
    ed : Edition
        ``ed.fidelity`` may be ``None`` (not supplied).

    Returns
    -------
    DataFrame
        ``review`` (1, 2, … in the order site, date, reviewer type), ``site``,
        ``review_date``, ``reviewer_type`` (code), ``reviewer`` (Danish label),
        ``total`` (``Int64``, 25-125; missing when any item is), ``band``
        (label; missing with the total), ``n_items`` (items scored), ``n_missing`` and
        ``lowest_score`` (the review's lowest item score). Empty (these
        columns) when there are no reviews.
    """
    reviews = _reviews(ed)
    if reviews is None:
        return pd.DataFrame(columns=_REVIEW_COLUMNS)
    items = [v.name for v in fidelity_items(ed.codebook)]
    bands = fidelity_bands(ed.codebook)
    labels = ed.codebook["fidelity"]["reviewer_type"].values
    scores = reviews[items].astype("Float64")
    scored = scores.notna().sum(axis=1).astype(int)
    total = scores.sum(axis=1, skipna=True).where(scored == len(items)).astype("Int64")
    return pd.DataFrame({
        "review": reviews["review"].astype(int),
        "site": reviews["site"].astype(str),
        "review_date": reviews["review_date"],
        "reviewer_type": reviews["reviewer_type"].astype("Int64"),
        "reviewer": [labels.get(int(c)) if pd.notna(c) else None for c in reviews["reviewer_type"]],
        "total": total,
        "band": [fidelity_band(t, bands) for t in total],
        "n_items": scored,
        "n_missing": len(items) - scored,
        "lowest_score": scores.min(axis=1, skipna=True).astype("Int64"),
    }, columns=_REVIEW_COLUMNS)


def summarise_fidelity_items(ed) -> pd.DataFrame:
    """Item scores of every review, with each review's lowest-scored items marked.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        One row per review and item (items in the scale's order): ``review``,
        ``site``, ``review_date``, ``number`` (1-25), ``item`` (variable name),
        ``label`` (Danish), ``score`` (``Int64``; missing when not scored) and
        ``lowest``: the item has the review's lowest score and that score is
        below the top of the scale (a review scoring every item 5 has no
        weak item). Ties are all marked. Empty when there are no reviews.
    """
    reviews = _reviews(ed)
    if reviews is None:
        return pd.DataFrame(columns=_ITEM_COLUMNS)
    items = fidelity_items(ed.codebook)
    top = max(items[0].codes)
    rows = []
    for _, review in reviews.iterrows():
        scores = [review[v.name] for v in items]
        present = [int(s) for s in scores if pd.notna(s)]
        lowest = min(present) if present else None
        for number, (var, score) in enumerate(zip(items, scores), start=1):
            rows.append({
                "review": int(review["review"]),
                "site": str(review["site"]),
                "review_date": review["review_date"],
                "number": number,
                "item": var.name,
                "label": var.label,
                "score": score if pd.notna(score) else pd.NA,
                "lowest": bool(pd.notna(score) and lowest is not None and int(score) == lowest < top),
            })
    out = pd.DataFrame(rows, columns=_ITEM_COLUMNS)
    out["score"] = out["score"].astype("Int64")
    return out


# --------------------------------------------------------------------------- prose


def fidelity_bands_text(codebook) -> str:
    """The bands in words, highest first: ``"115–125 eksemplarisk, …, 25–73 ikke IPS"``."""
    parts = [f"{lower}–{upper} »{label}«" for lower, upper, label in reversed(fidelity_bands(codebook))]
    return fmt.join_words(parts)


def lowest_items_text(items: pd.DataFrame, review: int) -> str:
    """The lowest-scored items of one review for a table cell.

    Parameters
    ----------
    items : DataFrame
        :func:`summarise_fidelity_items`.
    review : int

    Returns
    -------
    str
        ``"2: nr. 17 Hyppig kontakt …; nr. 19 Forskellige typer job"``; at most
        :data:`MAX_LISTED_ITEMS` named, then ``"og 2 andre"``; ``"–"`` when no
        item scored below the top of the scale.
    """
    low = items[(items["review"] == review) & items["lowest"].astype(bool)]
    if low.empty:
        return fmt.MISSING
    named = [f"nr. {int(r.number)} {r.label}" for r in low.head(MAX_LISTED_ITEMS).itertuples()]
    rest = len(low) - len(named)
    text = "; ".join(named) + (f" og {fmt.count(rest)} {'andet' if rest == 1 else 'andre'}" if rest else "")
    return f"{int(low['score'].iloc[0])}: {text}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{fmt.words(n, neuter=one.startswith('jobcenter'))} {one if n == 1 else many}"


def fidelity_reviews_sentence(reviews: pd.DataFrame, items: pd.DataFrame, codebook) -> str:
    """The appendix's paragraph on the fidelity reviews, for any data.

    Parameters
    ----------
    reviews, items : DataFrame
        :func:`summarise_fidelity_reviews` and :func:`summarise_fidelity_items`.
    codebook : Codebook
        For the top of the item scale.

    Returns
    -------
    str
        :data:`NO_REVIEWS_SENTENCE` when there are none; otherwise how many
        reviews from how many sites and when, their bands, those without a
        total (and why), and the items with the lowest mean score across
        reviews. Reviews are of sites, not persons: no small-number rule.
    """
    n = len(reviews)
    if not n:
        return NO_REVIEWS_SENTENCE
    sites = reviews["site"].nunique()
    first, last = reviews["review_date"].min(), reviews["review_date"].max()
    when = f"den {fmt.date(first)}" if first == last else f"fra {fmt.date(first)} til {fmt.date(last)}"
    by_type = reviews["reviewer"].value_counts(sort=False)
    who = fmt.join_words(f"{label} ({fmt.count(k)})" for label, k in by_type.items())
    out = [f"Der er indsendt {_plural(n, 'fidelitetsmåling', 'fidelitetsmålinger')} fra "
           f"{_plural(sites, 'jobcenter', 'jobcentre')}, foretaget {when}. Målt af: {who}."]
    banded = reviews["band"].dropna()
    if len(banded):
        counts = banded.value_counts(sort=False)
        parts = [f"»{band}« i {_plural(int(k), 'måling', 'målinger')}" for band, k in counts.items()]
        out.append(f"Den samlede score lå på niveauet {fmt.join_words(parts)}.")
    incomplete = int(reviews["total"].isna().sum())
    if incomplete:
        out.append(f"{_plural(incomplete, 'måling', 'målinger').capitalize()} mangler en score på et eller flere "
                   "punkter og har derfor ingen samlet score.")
    means = items.dropna(subset=["score"]).groupby(["number", "label"], sort=True)["score"].mean()
    top = max(fidelity_items(codebook)[0].codes)
    if len(means) and means.min() < top:
        lowest = means[means == means.min()]
        names = [f"»{label}« (nr. {number})" for number, label in lowest.index[:MAX_LISTED_ITEMS]]
        subject = "Det lavest scorede punkt" if len(lowest) == 1 else "De lavest scorede punkter"
        average = "i gennemsnit" if n > 1 else "med"
        across = " på tværs af målingerne" if n > 1 else ""
        out.append(f"{subject}{across} var {fmt.join_words(names)}"
                   + (f" og {fmt.count(len(lowest) - len(names))} andre" if len(lowest) > len(names) else "")
                   + f", {average} {fmt.num(means.min(), 1, strip_zeros=True)} ud af {top}.")
    return " ".join(out)
