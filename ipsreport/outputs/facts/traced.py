"""Tooltips for the numbers inside generated sentences.

A sentence fact ("Odds ratioen er 2,20 for … samt 2,24 for …") is one
value, but its numbers each come from somewhere. :func:`source_numbers`
lists, for the disclosed frame a sentence is built from, every number as the
sentences print it with the Danish line that says what it is;
:func:`trace` then cuts the sentence into plain text and traced numbers
(:class:`TracedText`). The render engine puts each traced number in its own
tooltip span on the HTML page (``_inline_parts_``, see
:mod:`ipsreport.render.kernel_helpers`); everywhere else the sentence is
plain text. The sentence builders need not know: they format numbers with
:mod:`ipsreport.outputs.fmt`, and the same formatting is used here.

A printed number that two different quantities of the frame share ("0,47"
as an odds ratio and as an interval bound) is left without a tooltip rather
than given a wrong one.
"""

from __future__ import annotations

import re
from typing import Callable

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.outputs.facts.fact import Fact, FactText, TracedText, in_sentence
from ipsreport.outputs.facts.provenance import tooltip
from ipsreport.outputs.facts.sources import AUDIT, NONRESPONSE, PAIRED, PLACEMENT_OF_PLACED, REGRESSION, Source

__all__ = ["NUMBER", "TracedText", "trace", "source_numbers", "is_value"]

#: A number as prose prints it ("2,20", "0,053", "1.234", "95"), not part of a name ("WHO-5", "2025-udgaven").
NUMBER = re.compile(r"(?<![\w\-–\u2212])\u2212?\d+(?:[.,]\d+)*(?![\w%]*-\w)(?![\w])")


def is_value(text: str) -> bool:
    """A value or a phrase ("[0,77; 1,20]", "steg fra 7,85 til 8,03", "seks ud af ti"), not a sentence."""
    return bool(text.strip()) and not text.rstrip().endswith((".", "!", "?"))


def trace(text: str, numbers: dict) -> str:
    """``text`` with every number in ``numbers`` as a traced part; plain ``text`` when none is found.

    Parameters
    ----------
    text : str
        A sentence as printed.
    numbers : dict
        Printed number -> its tooltip; ``None`` (known, but ambiguous: left plain); or, for a number two
        quantities print alike, a tuple of ``(tooltip, cue)`` candidates, of which the one whose cue (a
        regular expression) matches the words just before the number is taken ("odds ratio 2,24" against
        an interval's "til 2,24"); none or several matching leaves it plain.
    """
    parts: list[str] = []
    at = 0
    for match in NUMBER.finditer(text):
        line = numbers.get(match.group(0))
        if isinstance(line, tuple):
            before = text[max(0, match.start() - 30):match.start()]
            fits = {tip for tip, cue in line if cue and re.search(cue, before)}
            line = fits.pop() if len(fits) == 1 else None
        if not line:
            continue
        parts += [text[at:match.start()], FactText(match.group(0), line)]
        at = match.end()
    if not parts:
        return text
    return TracedText([*parts, text[at:]])


def _collect() -> tuple[dict, Callable[..., None]]:
    found: dict = {}
    cues: dict[str, list[tuple[str, str | None]]] = {}

    def add(printed: str, line: str, cue: str | None = None) -> None:
        if not printed or printed == fmt.MISSING:
            return
        cues.setdefault(printed, [])
        if (line, cue) not in cues[printed]:
            cues[printed].append((line, cue))
        lines = {tip for tip, _ in cues[printed]}
        # Two quantities print alike: the words before the number decide (trace), else no tooltip
        # rather than a wrong one.
        found[printed] = line if len(lines) == 1 else tuple(cues[printed])

    return found, add


#: The words just before a number that say which quantity it is (see :func:`trace`).
CUE_ODDS_RATIO = r"odds ratio(?:en)?(?: er| på)?\s*$"
CUE_BOUND = r"(?:\bfra|\btil|\[|;)\s*$"
CUE_P = r"p(?:-værdi(?:en)?)?(?: er| på| =|=)?\s*$"
CUE_REFERENCE = r"evalueringen fra\s*$"
#: The tooltip of the reference year in a sentence (ipsreport.outputs.facts.editions).
REFERENCE_YEAR_LINE = "Året for den trykte evaluering, teksten sammenligner med (en indstilling i rapportsystemet)"


def _get(row, column: str):
    """A cell of a summary row, or None where the frame has no such column (hand-made summaries in tests)."""
    value = row.get(column)
    return None if value is None or pd.isna(value) else value


def _line(what: str, source: Source, base=None, min_cell: int = 0) -> str:
    return tooltip(what, Fact(None, "num", base=base), source.name, min_cell)


def source_numbers(f, source: Source | None) -> dict[str, str | None]:
    """Every number a sentence built from ``source`` may print, with its tooltip.

    Parameters
    ----------
    f : Facts
        The edition's facts (for the disclosed frames and the small-number rule).
    source : Source, optional
        The frame the sentence reads.

    Returns
    -------
    dict
        Printed number -> Danish tooltip, or ``None`` where two quantities print alike.
    """
    found, add = _collect()
    if source is REGRESSION:
        result = f.summary_of(REGRESSION)
        n = getattr(result, "n", None)
        for _, row in result.terms.iterrows():
            label = in_sentence(str(_get(row, "label") or row.get("term", "")))
            odds, low, high, p = (_get(row, c) for c in ("odds_ratio", "ci_low", "ci_high", "p"))
            if odds is not None:
                add(fmt.num(odds, 2), _line(f"Odds ratio for {label} (Tabel 9)", source, n), CUE_ODDS_RATIO)
            if low is not None and high is not None:
                add(fmt.num(low, 2), _line(f"Nedre grænse af konfidensintervallet for {label} (Tabel 9)", source, n),
                    CUE_BOUND)
                add(fmt.num(high, 2), _line(f"Øvre grænse af konfidensintervallet for {label} (Tabel 9)", source, n),
                    CUE_BOUND)
            if p is not None:
                add(fmt.pvalue(p), _line(f"p-værdi for {label} (Tabel 9)", source, n), CUE_P)
        # The caveat's counts (ipsreport.analysis.evidence.regression_caveat): the smaller outcome group of the n.
        events = getattr(result, "events", None)
        if n is not None and events is not None:
            add(fmt.count(n), _line("Unge i regressionsanalysen i Tabel 9", source, n))
            smaller = min(int(events), int(n) - int(events))
            add(fmt.count(smaller), _line("Unge i den mindste af de to grupper i Tabel 9 (i job eller uddannelse "
                                          "ved afslutning, eller ikke)", source, n))
            per = getattr(result, "events_per_predictor", None)
            if per is not None and not callable(per):
                add(fmt.num(per, 1), _line("Unge i den mindste gruppe pr. forklarende variabel i Tabel 9", source, n))
        # The thresholds the sentences read the odds ratios against (regression_prose).
        add("2", "En odds ratio over 2: oddsene for at være i job eller uddannelse mere end fordobles for hvert trin "
                 "op ad skalaen")
        add(fmt.num(0.5, 1), "En odds ratio under 0,5: oddsene for at være i job eller uddannelse mere end halveres "
                             "for hvert trin op ad skalaen")
        level = fmt.num((1 - float(f.edition.settings.alpha)) * 100, 1, strip_zeros=True)
        add(level, "Konfidensintervallernes niveau: 100 % minus signifikansniveauet (en indstilling i rapportsystemet)")
        add("1", "En odds ratio på 1 svarer til ingen sammenhæng")
    elif source is PAIRED:
        from ipsreport.outputs.facts.reading import decimals

        for _, row in f.summary_of(PAIRED).iterrows():
            places, label, n = decimals(row["score"]), str(_get(row, "label") or row["score"]), _get(row, "n")
            start, end, p = (_get(row, c) for c in ("mean_start", "mean_end", "p_ttest"))
            if start is not None:
                add(fmt.num(start, places), _line(f"Gennemsnit ved opstart: {label}", source, n))
            if end is not None:
                add(fmt.num(end, places), _line(f"Gennemsnit ved afslutning: {label}", source, n))
            if p is not None:
                add(fmt.pvalue(p), _line(f"p-værdi for ændringen fra opstart til afslutning: {label}", source, n))
            # The change's interval, with one decimal more for whole-number scores (as facts/changes.py prints it).
            low, high = _get(row, "ci_low"), _get(row, "ci_high")
            if low is not None and high is not None:
                change_places = max(places, 1)
                add(fmt.num(low, change_places),
                    _line(f"Nedre grænse af konfidensintervallet for ændringen: {label}", source, n))
                add(fmt.num(high, change_places),
                    _line(f"Øvre grænse af konfidensintervallet for ændringen: {label}", source, n))
        level = fmt.num((1 - float(f.edition.settings.alpha)) * 100, 1, strip_zeros=True)
        add(level, "Konfidensintervallernes niveau: 100 % minus signifikansniveauet (en indstilling i rapportsystemet)")
        population = f.edition.codebook.scores["who5"]["population_mean"]
        add(fmt.num(population, 0), "Gennemsnitlig WHO-5-score i den danske befolkning (fra kodebogen)")
    elif source is PLACEMENT_OF_PLACED:
        for base in f.summary_of(PLACEMENT_OF_PLACED)["base"].dropna().unique():
            add(fmt.count(base), _line("Unge, der har været i et virksomhedsforløb, og som svarede ved afslutning",
                                       source))
    elif source is NONRESPONSE:
        from ipsreport.outputs.facts.nonresponse_prose import NOUNS
        from ipsreport.analysis.summaries.nonresponse import AGE_SPLIT

        from ipsreport.outputs.facts.nonresponse_prose import _verdicts

        frame = f.summary_of(NONRESPONSE)
        # Only the variables the sentence describes (a difference the test shows): shares of the other
        # variables may print alike and would leave the printed ones ambiguous.
        described = {v for v, verdict in _verdicts(f).items() if verdict == "differs"}
        groups = {"responded": "svarede ved afslutning", "not_responded": "svarede ikke ved afslutning"}
        for _, row in frame.iterrows():
            who, noun = groups.get(str(row["group"]), str(row["group"])), NOUNS.get(str(row["variable"]), "")
            base = _get(row, "base")
            if base is not None:
                add(fmt.count(base), _line(f"Unge, der svarede ved opstart og {who}", source))
            if row["variable"] not in described:
                continue
            if row["kind"] == "category" and _get(row, "pct") is not None:
                add(fmt.pct(row["pct"]).replace("\u00a0%", "").replace(" %", ""),
                    _line(f"Andel (%) blandt dem, der {who}: {noun}", source, base))
            elif row["kind"] == "score" and _get(row, "mean") is not None:
                add(fmt.num(row["mean"], int(row["decimals"])),
                    _line(f"Gennemsnit ved opstart blandt dem, der {who}: {noun}", source, base))
        add(fmt.count(AGE_SPLIT), "Aldersgrænsen i bortfaldsanalysen (som i kapitel 4)")
    elif source is AUDIT:
        frame = f.summary_of(AUDIT)
        hidden = frame["suppressed"] if "suppressed" in frame else pd.Series(False, index=frame.index)
        status = frame["status"].where(~hidden, "hidden")
        what = {"exact": "Genberegnede tal, der giver præcist det trykte tal",
                "tolerance": "Genberegnede tal inden for en angivet tolerance",
                "correction": "Rettelser af fejl i den trykte evaluering, som data bekræfter",
                "not_reproduced": "Tal, der ikke genskabes",
                "hidden": "Genberegnede tal, der ikke vises efter reglen for små tal"}
        add(fmt.count(len(frame)), _line("Tal fra den trykte evaluering, der er genberegnet fra data", source))
        for key, line in what.items():
            count = int((status == key).sum())
            if count:
                add(fmt.count(count), _line(line, source))
    # The year of the published evaluation a sentence compares with ("evalueringen fra 2025"): a setting.
    add(str(int(f.edition.settings.reference_year)),
        tooltip(REFERENCE_YEAR_LINE, Fact(None, "text"), source.name if source is not None else None, 0),
        CUE_REFERENCE)
    return found
