"""Every number a book publishes, read off the disclosure layer's frames into a :class:`~ipsreport.analysis.disclosed.ledger.Ledger`.

:func:`book_entries` reads the frames :class:`ipsreport.analysis.disclosed.layer.Disclosed`
hands to the outputs (tables, figures, facts, downloads and the appendices
all read these and nothing else): each count, base, size and share that is
not missing becomes an :class:`~ipsreport.analysis.disclosed.ledger.Entry`. Read off
the *unprotected* summaries it lists every number the book could publish
(what :mod:`ipsreport.analysis.disclosed.plan` chooses from); read off the protected
frames, what it does publish (what the render audits).

:func:`fill_structure` then adds the structure those numbers rest on (every
variable's cells and its population, with their true counts).
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.derived import ACTIVE_CODE

from ipsreport.analysis.disclosed.audit_keys import audit_entries
from ipsreport.analysis.disclosed.ledger import MISSING, Entry, Ledger, Row, exact, share
from ipsreport.analysis.disclosed.quantities import (AGE_OVER_20, BAND, FINISHED_CODES, IN_BASELINE, SUCCESS_CODES, OUTCOME, TRAJECTORY,
                                            Quantity, partition_of, population_of, population_size, q_cell,
                                            q_size, q_total, truths)

__all__ = ["CATEGORY_FRAMES", "SCORES", "book_entries", "fill_structure", "frame_quantities", "registry_measure",
           "trajectory_code", "WHERE"]

#: Frames of one count per variable and code: the data file (population) each counts.
CATEGORY_FRAMES = {
    "duration": "followup", "background": "baseline", "status": "registry", "supports": "baseline",
    "goals": "baseline", "motivation": "baseline", "resources": "baseline", "evaluation": "followup",
    "psychiatry": "followup", "placement": "followup", "experience": "followup", "statements": "followup",
    "effect": "followup",
}
#: The paired scores of chapter 6.
SCORES = ("who5", "mastery", "loneliness", "burden")

#: Where each frame is published, for the message that names a number (Danish).
WHERE = {
    "duration": "Tabel 1", "background": "Tabel 2", "status": "Tabel 3", "supports": "Tabel 4",
    "goals": "målene ved start (tekst)", "motivation": "Tabel 5", "resources": "Tabel 6",
    "evaluation": "Tabel 7", "psychiatry": "afsnittet om psykiatrien", "placement": "afsnittet om virksomhedsforløb",
    "placement_of_placed": "afsnit 5.4 (virksomhedsforløb)", "no_placement_duration": "afsnit 5.4 (uden forløb)",
    "exit": "Tabel 8", "registry_counts": "teksten (projektregistreringen)", "age": "Tabel 2 (alder)",
    "paired": "kapitel 6", "pairs": "Figur 1-4", "who5_bands": "Figur 3 (trivselsgrupper)",
    "regression": "Tabel 9", "experience": "Bilag 5", "statements": "Bilag 5", "effect": "Bilag 5",
    "audit": "Bilag 7 (reproduktion)",
}

_REGISTRY = "registry"
_ACTIVE = f"registry[exit_status=={ACTIVE_CODE}]"


def registry_measure(measure: str, site=None) -> tuple[Quantity, Quantity]:
    """The count and the base of a row of :attr:`Disclosed.registry_counts`."""
    reg = q_size(_REGISTRY, site)
    table = {
        "registry": (reg, reg),
        "finished": (q_total(_REGISTRY, "exit_status", FINISHED_CODES, site), reg),
        "active": (q_cell(_REGISTRY, "exit_status", ACTIVE_CODE, site), reg),
        "success": (q_total(_REGISTRY, "exit_status", SUCCESS_CODES, site),
                    q_total(_REGISTRY, "exit_status", FINISHED_CODES, site)),
        "placement_ever": (q_cell(_REGISTRY, "placement_ever", 1, site), reg),
        "placement_now": (q_cell(_ACTIVE, "placement_now", 1, site), q_size(_ACTIVE, site)),
        "psychiatry_contact": (q_cell(_REGISTRY, "psychiatry_contact", 1, site), reg),
        "uu_guidance": (q_cell(_REGISTRY, "uu_guidance", 1, site), reg),
        "aktivitetsparat": (q_cell(_REGISTRY, "referral_status", 1, site), reg),
        "uddannelsesparat": (q_cell(_REGISTRY, "referral_status", 2, site), reg),
        "baseline": (q_size("baseline", site), reg),
        "followup": (q_size("followup", site), reg),
        "followup_of_baseline": (q_cell("followup", IN_BASELINE, 1, site), q_size("baseline", site)),
        "followup_enrolled": (q_cell("followup", "still_enrolled", 1, site), q_size("followup", site)),
        "followup_finished": (q_cell("followup", "still_enrolled", 0, site), q_size("followup", site)),
    }
    return table[measure]


def trajectory_code(start: float, end: float) -> str:
    """The code of one paired trajectory (``"12→16"``)."""
    return f"{start:g}→{end:g}"


def _known(value) -> bool:
    return value is not None and not pd.isna(value)


def _count(entries: list, where: str, q: Quantity, value) -> None:
    if _known(value):
        entries.append(Entry(where, q.handle, exact(q.keys, float(value))))


def _share(entries: list, where: str, n: Quantity, base: Quantity, pct) -> None:
    # The downloads give shares unrounded: a share says exactly n / base.
    if _known(pct):
        entries.append(Entry(where, ("share", n.handle, base.handle), share(n.keys, base.keys, float(pct), 1e-9)))


def frame_quantities(name: str, frame: pd.DataFrame, codebook, site=None) -> tuple[list, list]:
    """For each row of a count frame: the quantity its ``n`` counts, and the one its ``base`` counts.

    ``name`` is one of :data:`CATEGORY_FRAMES`, ``placement_of_placed``,
    ``exit``, ``registry_counts`` or ``who5_bands``. Rows without a code (the
    age rows of Table 2) get ``None``.
    """
    counts, bases = [], []
    if name == "registry_counts":
        for measure in frame.index:
            n, base = registry_measure(measure, site)
            counts.append(n)
            bases.append(base)
        return counts, bases
    if name == "who5_bands":
        base = q_size("paired.who5", site)
        for band, time in zip(frame["band"], frame["time"]):
            counts.append(q_cell("paired.who5", f"{BAND}.{time}", int(band), site))
            bases.append(base)
        return counts, bases
    if name == "placement_of_placed":
        population = "followup[had_placement==1]"
        base = q_size(population, site)
        for variable, code in zip(frame["variable"], frame["code"]):
            counts.append(q_cell(population, variable, MISSING if int(code) == 0 else int(code), site))
            bases.append(base)
        return counts, bases
    if name == "exit":
        base = q_total(_REGISTRY, "exit_status", FINISHED_CODES, site)
        for code in frame["code"]:
            counts.append(q_cell(_REGISTRY, "exit_status", int(code), site))
            bases.append(base)
        return counts, bases
    population = CATEGORY_FRAMES[name]
    totals: dict[str, Quantity] = {}
    for variable, code in zip(frame["variable"], frame["code"]):
        if code is None or pd.isna(code):
            counts.append(None)
            bases.append(None)
            continue
        if variable not in totals:
            codes = [c for c in partition_of(population, variable, codebook).codes if c != MISSING]
            totals[variable] = q_total(population, variable, codes, site)
        counts.append(q_cell(population, variable, int(code), site))
        bases.append(totals[variable])
    return counts, bases


def _counted(entries, name, frame, codebook, site) -> None:
    where = WHERE[name]
    counts, bases = frame_quantities(name, frame, codebook, site)
    seen = set()
    if name == "registry_counts":
        labels = list(frame.index)
    elif name == "who5_bands":
        labels = [f"band.{time}" for time in frame["time"]]
    else:
        labels = list(frame["variable"])
    pct = frame["pct"] if "pct" in frame else [None] * len(frame)
    for label, q, base, n, b, p in zip(labels, counts, bases, frame["n"], frame["base"], pct):
        if q is None:
            continue
        code = q.keys[0][4] if q.keys[0][0] == "cell" and len(q.keys) == 1 else ""
        # A row is printed only with its base (a group whose base is hidden is withheld whole, empty cells too).
        _count(entries, f"{where}, {label} {code}".rstrip(), Quantity(q.keys, ("share", q.handle, base.handle)), n)
        if base.handle not in seen:
            seen.add(base.handle)
            _count(entries, f"{where}, {label} (N)", base, b)
        _share(entries, f"{where}, {label} {code} (%)".rstrip(), q, base, p)


def _age(entries, frame, site) -> None:
    row = frame.iloc[0]
    over = q_cell("baseline", AGE_OVER_20, 1, site)
    answered = q_total("baseline", AGE_OVER_20, (1, 0), site)
    # The protected frame says whether the number who gave their age may be shown; the summary always may.
    base = row["over20_base"] if "over20_base" in frame else row["n"]
    _count(entries, f"{WHERE['age']}: over 20 år", over, row["over20_n"])
    _count(entries, f"{WHERE['age']}: svar", answered, base)
    _share(entries, f"{WHERE['age']}: over 20 år (%)", over, answered, row["over20_pct"])


def _no_placement(entries, frame, site) -> None:
    row = frame.iloc[0]
    where = WHERE["no_placement_duration"]
    population = "followup[had_placement==0]"
    _count(entries, f"{where}: uden forløb", q_cell("followup", "had_placement", 0, site), row["n"])
    _count(entries, f"{where}: under 4 måneder", q_total(population, "duration", (1, 2), site), row["short_n"])


def _paired(entries, frames, site) -> None:
    for score in SCORES:
        frame = frames.get(("paired", score))
        if frame is not None and len(frame):
            n = frame["n"].iloc[0]
            if _known(n) and not bool(frame["withheld"].iloc[0]):
                _count(entries, f"{WHERE['paired']}: {score} (par)", q_size(f"paired.{score}", site), n)
        pairs = frames.get(("pairs", score))
        if pairs is not None:
            for start, end, n in zip(pairs["start"], pairs["end"], pairs["n"]):
                q = q_cell(f"paired.{score}", TRAJECTORY, trajectory_code(start, end), site)
                _count(entries, f"{WHERE['pairs']}: {score} {trajectory_code(start, end)}", q, n)


def _regression(entries, regression, min_cell: int, site) -> None:
    if regression is None:
        return
    # The text prints Table 9's N whenever it may (DisclosedRegression.n_shown), also beside a withheld model.
    if regression.n_shown:
        _count(entries, f"{WHERE['regression']} (N)", q_size("regression", site), regression.result.n)
    if not regression.withheld:
        _count(entries, f"{WHERE['regression']}: i job eller uddannelse", q_cell("regression", OUTCOME, 1, site),
               regression.result.events)


def _target(entries, registry_counts, target_met, target_pct, site) -> None:
    if target_met is None:
        return
    success, finished = registry_measure("success", site)
    terms = tuple((k, 100.0) for k in success.keys) + tuple((k, -float(target_pct)) for k in finished.keys)
    row = Row(terms, 0.0, None) if target_met else Row(terms, None, -1e-6)
    entries.append(Entry("teksten: målet for andelen i job eller uddannelse", finished.handle, (row,)))


def book_entries(frames: dict, codebook, site=None) -> list[Entry]:
    """Every number in ``frames`` (keyed by :class:`Disclosed` attribute) as ledger entries.

    Parameters
    ----------
    frames : dict
        ``name -> frame`` for the names of :data:`CATEGORY_FRAMES`,
        ``placement_of_placed``, ``exit``, ``registry_counts``, ``age``,
        ``no_placement_duration``, ``who5_bands``, ``audit``, ``("paired", score)``
        and ``("pairs", score)``; ``regression`` (a ``DisclosedRegression``),
        ``target_met`` (bool or None), ``target_pct`` and ``min_cell``.
    codebook : Codebook
    site : str, optional
        The site the book is of (``None``: the whole cohort).
    """
    entries: list[Entry] = []
    for name in (*CATEGORY_FRAMES, "placement_of_placed", "exit", "registry_counts", "who5_bands"):
        _counted(entries, name, frames[name], codebook, site)
    _age(entries, frames["age"], site)
    _no_placement(entries, frames["no_placement_duration"], site)
    _paired(entries, frames, site)
    _regression(entries, frames.get("regression"), int(frames.get("min_cell", 0)), site)
    _target(entries, frames["registry_counts"], frames.get("target_met"), frames.get("target_pct", 0), site)
    if frames.get("audit") is not None:
        entries.extend(audit_entries(frames["audit"], codebook, site))
    return entries


def _parts_of(entries) -> tuple[set, set]:
    partitions, populations = set(), set()
    for entry in entries:
        for row in entry.rows:
            for key, _ in row.terms:
                if key[0] == "cell":
                    partitions.add((key[2], key[3]))
                populations.add(key[2])
    return partitions, populations


def fill_structure(ledger: Ledger, books: dict, codebook) -> None:
    """Add the partitions and populations ``ledger.entries`` rest on, with the truth of every site.

    Parameters
    ----------
    ledger : Ledger
    books : dict
        ``site -> (edition, extra)`` for ``None`` (the whole cohort) and every
        site of ``ledger.sites``; ``extra`` holds the counts of the derived
        populations (``{(population, variable): {code: n}, population: n}``).
    codebook : Codebook
    """
    partitions, populations = _parts_of(ledger.entries)
    todo = list(populations)
    while todo:  # parents of sub-populations, and their variables
        pop = population_of(todo.pop(), codebook)
        ledger.populations[pop.name] = pop
        if pop.parent is not None:
            partitions.add((pop.parent[0], pop.parent[1]))
            if pop.parent[0] not in ledger.populations:
                todo.append(pop.parent[0])
    for population, variable in sorted(partitions, key=str):
        observed = {c for _, extra in books.values() for c in extra.get((population, variable), {}) if c != MISSING}
        part = partition_of(population, variable, codebook, tuple(sorted(observed)))
        if part.same_as is not None and (part.same_as, variable) not in partitions:
            part = type(part)(part.population, part.variable, part.codes, part.missing_zero, part.missing_shown)
        ledger.partitions[(population, variable)] = part
        if population not in ledger.populations:
            ledger.populations[population] = population_of(population, codebook)
    for site, (ed, extra) in books.items():
        for (population, variable), part in ledger.partitions.items():
            counts = truths(ed, part, extra)
            for code in part.codes:
                ledger.truth[("cell", site, population, variable, code)] = int(counts.get(code, 0))
        for name in ledger.populations:
            ledger.truth[("size", site, name)] = population_size(ed, name, extra)
    # Only persons of the registry answer a survey (the validation's cross-file rule; a stand-in may break it).
    for site in books:
        for survey in ("baseline", "followup"):
            if survey in ledger.populations and _REGISTRY in ledger.populations:
                inner, outer = ("size", site, survey), ("size", site, _REGISTRY)
                if ledger.truth.get(inner, 0) <= ledger.truth.get(outer, 0):
                    ledger.links.append(Row(((inner, 1.0), (outer, -1.0)), None, 0.0))
