"""Codebook rules checked outside pandera: repeated ids and rows, references, cross-file rules.

* unique ids (``unique_ids``), in linear time (:func:`duplicate_ids`): the
  first :data:`MAX_LISTED_DUPLICATES` repeated ids are listed with the row of
  their first occurrence, the rest counted;
* values that must occur in another file (codebook ``references:``, rule
  ``references``; e.g. a fidelity review's ``site`` must be a registry site):
  :func:`reference_errors`;
* repeated key combinations (codebook ``unique:``, e.g. a fidelity review
  with the site, date and reviewer type of an earlier row) are *warnings*
  (``unique_rows``, :func:`repeated_rows`): two reviewers may score a site on
  the same day, but it may also be a row entered twice;
* across two files (codebook ``rules:`` with ``forbidden``, e.g.
  ``enrolled_matches_registry``): :func:`cross_rule_errors` joins the files on
  the id and reports everyone for whom the forbidden condition holds.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.inputs.codebook.codebook import Codebook, CrossRule, Dataset
from ipsreport.inputs.load import TypedData, Violation
from ipsreport.inputs.validate.conditions import condition
from ipsreport.inputs.validate.messages import Messages

__all__ = ["MAX_LISTED_DUPLICATES", "duplicate_ids", "reference_errors", "repeated_rows", "cross_rule_errors"]

#: Repeated ids listed one by one (with the row of the first occurrence); the rest are counted.
MAX_LISTED_DUPLICATES = 20


def duplicate_ids(frame: pd.DataFrame, dataset: Dataset, file: str,
                  raw: pd.DataFrame | None = None, limit: int = MAX_LISTED_DUPLICATES) -> list[Violation]:
    """Rule ``unique_ids`` in linear time: list the first repeats, count the rest.

    Parameters
    ----------
    frame : DataFrame
        Typed frame (index = source row number).
    dataset : Dataset
        Codebook entry; its ``id`` column is checked.
    file : str
        File name used in the messages.
    raw : DataFrame, optional
        Text frame, for quoting the id exactly as written.
    limit : int
        Repeated rows listed one by one; one more violation counts the rest.

    Returns
    -------
    list of Violation
        One per listed repeat (``række R ... forekommer også i række F``), plus
        a summary without a row when more than ``limit`` rows repeat an id.
    """
    column = dataset.id
    if column not in frame.columns:
        return []
    ids = frame[column]
    present = ids.notna().to_numpy()
    repeated = ids.duplicated(keep="first").to_numpy() & present  # vectorised: hash-based, O(n)
    total = int(repeated.sum())
    if not total:
        return []
    firsts = ids[present & ~repeated]
    first_row = pd.Series(firsts.index, index=firsts.to_numpy())
    out = []
    for row, value in ids[repeated].iloc[:limit].items():
        text = value
        if raw is not None and column in raw.columns and row in raw.index:
            text = str(raw.at[row, column]).strip()
        out.append(Violation(
            file, int(row), column, text, "unique_ids",
            f"{file}, række {row}, kolonne {column}: værdien \"{text}\" forekommer også i række "
            f"{first_row[value]} (regel: unique_ids)",
        ))
    if total > limit:
        out.append(Violation(
            file, None, column, None, "unique_ids",
            f"{file}, kolonne {column}: i alt {total} rækker gentager et id, der allerede står længere oppe i filen; "
            f"kun de første {limit} er vist hver for sig. Hvert id må kun forekomme én gang – fjern de gentagne rækker "
            "(regel: unique_ids)",
        ))
    return out


#: Known values listed in a ``references`` message (the rest are counted).
_MAX_LISTED_VALUES = 10


def reference_errors(name: str, dataset: Dataset, typed: TypedData) -> list[Violation]:
    """Rule ``references``: values that must occur in a column of another file.

    Parameters
    ----------
    name : str
        Dataset checked.
    dataset : Dataset
        Its codebook entry; variables with ``references`` are checked.
    typed : TypedData
        All typed frames; a referenced file that could not be read is skipped
        (its own problems are reported).

    Returns
    -------
    list of Violation
        One per row whose value is not among the referenced column's values
        (compared as written, after trimming spaces), listing the known values.
    """
    frame = typed.frames.get(name)
    if frame is None:
        return []
    sources = typed.raw.sources
    out = []
    for var in dataset.variables:
        if var.references is None or var.name not in frame.columns:
            continue
        target, column = var.references
        other = typed.frames.get(target)
        if other is None or column not in other.columns:
            continue
        known = pd.Index(other[column].dropna().astype(str).unique())
        values = frame[var.name]
        bad = values.notna() & ~values.astype(str).isin(known)
        if not bad.any():
            continue
        listed = sorted(known)
        shown = ", ".join(f"\"{v}\"" for v in listed[:_MAX_LISTED_VALUES])
        if len(listed) > _MAX_LISTED_VALUES:
            shown += f" og {len(listed) - _MAX_LISTED_VALUES} andre"
        target_file = sources[target].file if target in sources else target
        messages = Messages(name, dataset, typed.raw, frame, sources)
        for row in values[bad].index:
            value = messages.text(int(row), var.name)
            out.append(messages.cell(
                int(row), var.name, "references",
                f"værdien \"{value}\" findes ikke i {target_file}, kolonne {column} (kendte værdier: {shown}). "
                f"Skriv værdien præcis som i {target_file} (regel: references)", value,
            ))
    return out


def repeated_rows(frame: pd.DataFrame, dataset: Dataset, file: str) -> list[Violation]:
    """Rule ``unique_rows`` (a warning): rows repeating the key of an earlier row.

    Parameters
    ----------
    frame : DataFrame
        Typed frame (index = source row number).
    dataset : Dataset
        Its ``unique`` columns are the key; rows with an empty key cell are skipped.
    file : str

    Returns
    -------
    list of Violation
        One per repeating row, naming the earlier row and the key's values.
    """
    key = [c for c in dataset.unique if c in frame.columns]
    if not key or len(key) < len(dataset.unique):
        return []
    complete = frame[key].notna().all(axis=1)
    rows = frame.loc[complete, key]
    repeated = rows.duplicated(keep="first")
    out = []
    for row in rows.index[repeated.to_numpy()]:
        same = (rows == rows.loc[row]).all(axis=1)
        first = int(rows.index[same.to_numpy()][0])
        values = ", ".join(f"{c} = {_plain(rows.at[row, c])}" for c in key)
        out.append(Violation(
            file, int(row), None, None, "unique_rows",
            f"{file}, række {row}: samme {', '.join(key)} som række {first} ({values}). Er det den samme "
            "måling indtastet to gange, så slet den ene række (regel: unique_rows)",
        ))
    return out


def _plain(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def cross_rule_errors(rule: CrossRule, codebook: Codebook, typed: TypedData) -> list[Violation]:
    """Check one two-file rule of the codebook (``forbidden`` with ``join``).

    The rule's dataset is joined with the joined file on the id (the first
    row of a repeated id in either file; repeats are reported by
    ``unique_ids``) and the
    ``forbidden`` condition evaluated per person, vectorised. Where a
    variable in it is empty the condition is unknown and nothing is reported.

    Returns
    -------
    list of Violation
        One per person for whom the condition holds, located at the rule's
        dataset file, row and first variable in the condition, naming the row
        and values in the joined file.
    """
    if rule.dataset not in typed.frames or rule.join not in typed.frames:
        return []
    own, other = rule.columns(codebook)
    ds, jn = codebook[rule.dataset], codebook[rule.join]
    left, right = typed.frames[rule.dataset], typed.frames[rule.join]
    if not {ds.id, *own} <= set(left.columns) or not {jn.id, *other} <= set(right.columns):
        return []
    prefix = f"{rule.join}__"
    joined = right[[jn.id, *other]].reset_index()
    joined = joined[joined[jn.id].notna() & ~joined[jn.id].duplicated()]
    joined = joined.rename(columns={jn.id: ds.id, **{c: prefix + c for c in [*other, "row"]}})
    mine = left[[ds.id, *own]].reset_index()
    mine = mine[~mine[ds.id].duplicated()]  # a repeated id is already an error of its own
    merged = mine.merge(joined, on=ds.id, how="inner")
    expr = rule.forbidden.replace(f"{rule.join}.", prefix)
    hit = (condition(merged, expr) == True).fillna(False).to_numpy(dtype=bool)  # noqa: E712
    if not hit.any():
        return []
    raw, sources = typed.raw, typed.raw.sources
    own_msgs = Messages(rule.dataset, ds, raw, left, sources)
    join_msgs = Messages(rule.join, jn, raw, right, sources)
    column = own[0] if own else ds.id
    out = []
    for _, case in merged[hit].iterrows():
        row, join_row = int(case["row"]), int(case[prefix + "row"])
        value = own_msgs.text(row, column)
        here = ", ".join(f"{c} = {join_msgs.text(join_row, c) or 'tom'}" for c in other)
        out.append(own_msgs.cell(
            row, column, rule.id,
            f"værdien \"{value}\" modsiger {join_msgs.file}, række {join_row} ({here}) – {rule.description} "
            f"Ret den fil, der er forkert (regel: {rule.id})", value,
        ))
    return out
