"""The edition comparison in Danish: the conclusion's section and one sentence per key figure.

Every verb comes from the comparison's verdict
(:func:`ipsreport.analysis.evidence.edition_change`, :data:`ipsreport.analysis.evidence.EDITION_WORDS`):
"steget" or "faldet" only when the interval of the difference excludes 0, "på
niveau med" when it does not, and neither when no interval could be computed
(the cohorts share persons, or the previous bundle lacks the spread). Counts
of persons pass the small-number rule (:func:`ipsreport.analysis.disclosed.disclosure.fmt_count`).
Each takes the run's comparison (``r.comparison``, made once by
:func:`ipsreport.pipeline.compare`) and computes nothing. Without a previous
edition (``None``) every function returns ``""`` and the book is as it was.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.analysis.disclosed.disclosure import fmt_count
from ipsreport.results.editions.compare import Comparison
from ipsreport.results.editions.record import INDICATORS
from ipsreport.analysis.evidence import EDITION_WORDS

__all__ = ["level", "format_value", "format_diff", "change_sentence", "overlap_sentence", "edition_change_text",
           "edition_change_section", "SECTION_TITLE"]

#: The conclusion's section (present only with ``--previous``).
SECTION_TITLE = "Udvikling siden sidste udgave"
_BY_KEY = {ind.key: ind for ind in INDICATORS}


def level(alpha: float) -> str:
    """The intervals' confidence level as printed, from the setting ``alpha``: ``"95 %"``."""
    return fmt.pct(100 * (1 - float(alpha)))


def format_value(kind: str, value, decimals: int) -> str:
    """An indicator's value as printed: ``"66"``, ``"60 %"``, ``"7,85"``."""
    return fmt.pct(value) if kind == "share" else fmt.num(value, decimals)


def format_diff(kind: str, diff, decimals: int) -> str:
    """A difference as printed: ``"+4 procentpoint"``, ``"−0,30"``, ``"0"``."""
    if pd.isna(diff):
        return fmt.MISSING
    text = fmt.num(diff, decimals)
    text = "+" + text if fmt.round_half_up(diff, decimals) > 0 else text
    return f"{text} procentpoint" if kind == "share" else text


def _interval(row) -> str:
    decimals = int(row["decimals"])
    return f"{fmt.num(row['ci_low'], decimals)} til {fmt.num(row['ci_high'], decimals)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject(noun: str) -> str:
    """A noun phrase before its verb: a relative clause in it ends with a comma ("unge, der afsluttede, er")."""
    return noun + "," if ", " in noun else noun


def _why_untested(comp: Comparison) -> str:
    """Why the estimates have no interval (one sentence)."""
    if comp.shared and comp.shared_checked:
        return "Forskellene er ikke testet, fordi de to udgaver deler personer."
    if comp.shared:
        return "Forskellene er ikke testet, fordi de to udgaver kan dele personer."
    return (f"Forskellene er ikke testet, fordi udgaven fra {comp.previous_year} ikke har de tal, et "
            "konfidensinterval kræver.")


def overlap_sentence(comp: Comparison) -> str:
    """Whether the two cohorts share persons, and what that means for the comparison ("" when they cannot)."""
    if not comp.shared:
        if comp.shared_checked:
            return (f"Ingen af de unge i denne udgave indgik i udgaven fra {comp.previous_year}, så de to "
                    "grupper sammenlignes som uafhængige.")
        return ""
    n = fmt_count(comp.shared, comp.min_cell)
    if comp.shared_checked:
        return (f"{n} unge indgår i begge udgaver. Grupperne er derfor ikke uafhængige, og forskellene er ikke "
                "testet: tabellen viser dem uden konfidensinterval.")
    return (f"{n} af de unge i denne udgave startede, før udgaven fra {comp.previous_year} blev afsluttet, og kan "
            "derfor også indgå i den. Da det ikke kan udelukkes, at grupperne deler personer, er forskellene ikke "
            "testet som mellem to uafhængige grupper. Med også den tidligere udgaves datamappe kan det tælles, hvor "
            "mange der faktisk indgår i begge.")


def change_sentence(row, comp: Comparison) -> str:
    """One sentence about one indicator's change (``""`` when neither edition publishes it)."""
    ind = _BY_KEY[row["indicator"]]
    year = comp.previous_year
    if row["verdict"] == "hidden":
        return (f"{_capital(_subject(ind.noun))} kan ikke sammenlignes med udgaven fra {year}, fordi reglen for "
                "små tal skjuler tallet i en af udgaverne.")
    if pd.isna(row["previous"]) or pd.isna(row["current"]):
        return ""
    before = format_value(row["kind"], row["previous"], ind.decimals)
    now = format_value(row["kind"], row["current"], ind.decimals)
    verdict, exact = row["verdict"], row["method"] == "exact"
    if exact:
        if verdict == "same":
            return f"{_capital(_subject(ind.noun))} er det samme som i udgaven fra {year}: {now}."
        return f"Siden udgaven fra {year} er {_subject(ind.noun)} {EDITION_WORDS[verdict]} fra {before} til {now}."
    diff = format_diff(row["kind"], row["diff"], ind.decimals)
    if verdict in ("up", "down"):
        return (f"Siden udgaven fra {year} er {_subject(ind.noun)} {EDITION_WORDS[verdict]} fra {before} til {now} "
                f"(forskel {diff}; {level(comp.alpha)}-konfidensinterval {_interval(row)}).")
    if verdict == "same":
        return (f"{_capital(_subject(ind.noun))} ligger {EDITION_WORDS['same']} udgaven fra {year}: {now} mod {before}. "
                f"Konfidensintervallet for forskellen ({_interval(row)}) rummer 0, så forskellen på {diff} kan "
                "skyldes tilfældigheder.")
    # Untested: the values only; edition_change_text says once why (_why_untested).
    return f"{_capital(_subject(ind.noun))} var {before} i udgaven fra {year} og er {now} i denne udgave."


def edition_change_text(comp: Comparison | None, *indicators: str) -> str:
    """Sentences on the named indicators' change since the previous edition, for a chapter (``""`` without one).

    Parameters
    ----------
    comp : Comparison or None
        The run's comparison (``r.comparison``).
    *indicators : str
        Keys of :data:`ipsreport.results.editions.record.INDICATORS` (``"success"``, ``"who5_end"``).
    """
    unknown = [k for k in indicators if k not in _BY_KEY]
    if unknown:
        raise KeyError(f"no key indicator {unknown}; use {list(_BY_KEY)}")
    if comp is None:
        return ""
    rows = comp.change.set_index("indicator")
    chosen = [rows.loc[k].to_dict() | {"indicator": k} for k in indicators]
    sentences = [change_sentence(row, comp) for row in chosen]
    if any(r["verdict"] == "untested" and r["method"] != "exact" and not pd.isna(r["current"])
           and not pd.isna(r["previous"]) for r in chosen):
        sentences.append(_why_untested(comp))
    return " ".join(s for s in sentences if s)


def _summary(comp: Comparison) -> str:
    """Which estimates rose and fell, in one sentence."""
    change = comp.change
    tested = change[change["method"].isin(["newcombe", "welch"])]
    if tested.empty:
        return ""
    names = {v: [_BY_KEY[k].noun for k in tested.loc[tested["verdict"] == v, "indicator"]] for v in ("up", "down")}
    parts = [f"{fmt.join_words(names[v])} er {EDITION_WORDS[v]}" for v in ("up", "down") if names[v]]
    if not parts:
        return (f"Ingen af de {fmt.words(len(tested))} andele og gennemsnit har ændret sig mere, end "
                f"tilfældigheder kan forklare: de ligger alle {EDITION_WORDS['same']} udgaven fra "
                f"{comp.previous_year}.")
    rest = len(tested) - len(names["up"]) - len(names["down"])
    tail = (f"; de øvrige {fmt.words(rest)} andele og gennemsnit ligger {EDITION_WORDS['same']} udgaven fra "
            f"{comp.previous_year}" if rest else "")
    return _capital(" og ".join(parts)) + tail + "."


def edition_change_section(comp: Comparison | None) -> str:
    """The conclusion's section "Udvikling siden sidste udgave" (heading and text; ``""`` without one).

    ``comp``: the run's comparison (``r.comparison``).
    """
    if comp is None:
        return ""
    intro = (f"Denne udgave kan sammenlignes med udgaven fra {comp.previous_year}. @Tbl-edition-change viser de "
             "vigtigste tal i begge udgaver og forskellen mellem dem. For andele og gennemsnit er forskellen "
             f"vist med et {level(comp.alpha)}-konfidensinterval (Newcombes for andele, Welchs for gennemsnit), og "
             "et tal kaldes "
             "kun steget eller faldet, når hele intervallet ligger på samme side af 0. Antal unge og konsulenternes "
             "antal unge ad gangen er optalt for hele gruppen og sammenlignes direkte.")
    paragraphs = [f"## {SECTION_TITLE} {{#sec-konklusion-udvikling}}", intro]
    extra = " ".join(s for s in (overlap_sentence(comp), _summary(comp)) if s)
    if extra:
        paragraphs.append(extra)
    editions = comp.series
    if editions is not None:
        years = [str(y) for y in sorted(editions["year"].unique())]
        paragraphs.append(f"@Tbl-edition-series og @fig-edition-series viser nøgletallene i alle "
                          f"{fmt.words(len(years))} udgaver ({fmt.join_words(years)}), hver med sit eget "
                          "konfidensinterval.")
    return "\n\n".join(paragraphs) + "\n"
