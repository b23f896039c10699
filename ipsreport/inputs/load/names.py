"""Names in the data (a site, a consultant) compared as a reader reads them.

Every ``string`` column of the codebook holds names: ``site`` and
``consultant`` in the registry, ``site`` in the fidelity reviews. Two
spellings a reader takes for one name — "Århus" typed with a composed
``Å`` (Unicode NFC) or as ``A`` plus a combining ring (NFD, as some systems
export it), "Jobcenter" and "JOBCENTER" — would otherwise be two sites in
every table and two per-site books with the same title. So when the data are
loaded (:func:`ipsreport.inputs.load.convert`) names are compared by
:func:`name_key` (NFC, then case folding), and every spelling of one name is
replaced by one: the most used spelling (the first seen on a tie), in NFC.
Columns tied by the codebook's ``references`` (a review's ``site`` and the
registry's) share one list of names, so a review spelled ``JOBCENTER`` is
the registry's ``Jobcenter``. Two spellings of one name are a warning
(rule ``samme_navn``) naming both, how many rows use each and where the
others are, so the evaluator can correct the file if they are in fact two
places or two people.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import pandas as pd

from ipsreport.inputs.codebook.codebook import Codebook
from ipsreport.inputs.load.records import Violation

__all__ = ["NAME_RULE", "name_key", "name_groups", "spelling_map", "unify_names"]

#: Rule id of the warning about two spellings of one name.
NAME_RULE = "samme_navn"


def name_key(text: str) -> str:
    """What two spellings of one name share: surrounding blanks dropped, Unicode NFC, case folded.

    >>> name_key("JOBCENTER") == name_key(" Jobcenter ")
    True
    """
    folded = unicodedata.normalize("NFC", str(text).strip()).casefold()
    return unicodedata.normalize("NFC", folded)  # folding may decompose a letter again


def name_groups(codebook: Codebook) -> list[list[tuple[str, str]]]:
    """``(dataset, column)`` lists that hold one set of names, the referenced column first.

    Each ``string`` variable is a group of its own, joined with the column it
    ``references`` (a review's ``site`` with ``registry.site``).
    """
    groups: list[list[tuple[str, str]]] = []
    for name, dataset in codebook.datasets.items():
        for var in dataset.variables:
            if var.type != "string":
                continue
            here = (name, var.name)
            target = tuple(var.references) if var.references else None
            home = next((g for g in groups if target in g or here in g), None)
            if home is None:
                groups.append([target, here] if target else [here])
            elif here not in home:
                home.append(here)
    return groups


def spelling_map(columns: Sequence[pd.Series]) -> dict[str, str]:
    """Each spelling that is not its name's chosen one -> the chosen one.

    Parameters
    ----------
    columns : sequence of Series
        Text columns holding one set of names (stripped text, missing as NA).

    Returns
    -------
    dict
        Spelling -> the most used spelling of the same :func:`name_key` (the
        first seen on a tie), in NFC; spellings already chosen are left out.
    """
    counts: dict[str, int] = {}
    for column in columns:
        for value, n in column.dropna().value_counts(sort=False).items():
            counts[str(value)] = counts.get(str(value), 0) + int(n)
    order = {s: i for i, s in enumerate(_first_seen(columns))}
    by_key: dict[str, list[str]] = {}
    for spelling in sorted(counts, key=order.__getitem__):
        by_key.setdefault(name_key(spelling), []).append(spelling)
    mapping: dict[str, str] = {}
    for spellings in by_key.values():
        chosen = unicodedata.normalize("NFC", max(spellings, key=lambda s: (counts[s], -order[s])))
        mapping.update({s: chosen for s in spellings if s != chosen})
    return mapping


def _first_seen(columns: Sequence[pd.Series]) -> list[str]:
    seen: dict[str, None] = {}
    for column in columns:
        seen.update(dict.fromkeys(str(v) for v in pd.unique(column.dropna())))
    return list(seen)


def unify_names(frames: Mapping[str, pd.DataFrame], files: Mapping[str, str], codebook: Codebook) -> list[Violation]:
    """Give every name one spelling in ``frames`` (in place); a warning per name spelled more ways.

    Parameters
    ----------
    frames : mapping
        Dataset -> typed frame (index: source row numbers), changed in place.
    files : mapping
        Dataset -> its file name, for the messages.
    codebook : Codebook

    Returns
    -------
    list of Violation
        Rule ``samme_navn``, located at the first row of a spelling that was
        replaced.
    """
    warnings: list[Violation] = []
    for group in name_groups(codebook):
        present = [(ds, col) for ds, col in group if ds in frames and col in frames[ds].columns]
        if not present:
            continue
        mapping = spelling_map([frames[ds][col] for ds, col in present])
        if not mapping:
            continue
        warnings.extend(_warnings(present, frames, files, mapping))
        for ds, col in present:
            frames[ds][col] = frames[ds][col].replace(mapping)
    return warnings


def _warnings(present: list[tuple[str, str]], frames: Mapping[str, pd.DataFrame], files: Mapping[str, str],
              mapping: dict[str, str]) -> list[Violation]:
    """One warning per name written in two or more spellings (a lone spelling only put in NFC gets none)."""
    where: dict[str, list[tuple[str, int]]] = {}
    for ds, col in present:
        column = frames[ds][col].dropna()
        for row, value in column.items():
            where.setdefault(str(value), []).append((files.get(ds, ds), int(row)))
    names: dict[str, list[str]] = {}
    for spelling in where:
        chosen = mapping.get(spelling, spelling)
        names.setdefault(chosen, []).append(spelling)
    column = present[0][1]
    many_files = len({f for rows in where.values() for f, _ in rows}) > 1
    out = []
    for chosen, spellings in names.items():
        if len(spellings) < 2:
            continue  # one spelling, only put in NFC: nothing for the reader to correct
        spellings.sort(key=lambda s: -len(where[s]))
        parts = [_spelling(s, where[s], shown_where=s != chosen, many_files=many_files) for s in spellings]
        first = next(s for s in spellings if s in mapping)
        file, row = where[first][0]
        files_text = " og ".join(dict.fromkeys(f for s in spellings for f, _ in where[s]))
        out.append(Violation(
            file, row, column, first, NAME_RULE,
            f"{files_text}, kolonne {column}: {', '.join(parts[:-1])} og {parts[-1]} er samme navn skrevet på "
            f"{len(spellings)} måder (store og små bogstaver og tegnenes Unicode-form tæller ikke, når navne "
            f"sammenlignes); rapporten bruger »{chosen}« alle steder. Er det forskellige steder eller personer, "
            f"så giv dem tydeligt forskellige navne i filen (regel: {NAME_RULE})",
        ))
    return out


def _spelling(spelling: str, rows: list[tuple[str, int]], shown_where: bool, many_files: bool) -> str:
    """``»JOBCENTER« (1 række: række 5)``: the spelling, how often, and where when it is to be corrected."""
    n = len(rows)
    text = f"»{spelling}« ({n} {'række' if n == 1 else 'rækker'}"
    if shown_where:
        shown = ", ".join(f"{f + ' ' if many_files else ''}række {r}" for f, r in rows[:5])
        text += f": {shown}{' …' if n > 5 else ''}"
    if not unicodedata.is_normalized("NFC", spelling):
        text += "; skrevet i Unicode-formen NFD, med bogstav og accent som to tegn"
    return text + ")"
