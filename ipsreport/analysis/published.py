"""The numbers printed in the reference edition, as the audit reads them.

``data/published/2025.yml`` (:data:`ipsreport.paths.PUBLISHED_PATH`) lists
every number printed in the 2025 edition with the key that computes it from
the data (:func:`ipsreport.analysis.audit.compute_key`), the accepted difference and,
for a difference beyond the rounding of the printed value, the reason.

An entry may also give ``twin_tolerance``: how close the synthetic twin
(``data/synthetic``) was built to come where it could not reproduce the printed
number. The audit ignores it (it reports such a number as not reproduced, with
the entry's reason); the tests hold the twin to it.

An entry may give ``corrected``: the number the 2025 edition should have
printed, where its printed number contradicts the edition's own tables (the
text's 67 % against Table 1's 60 %). The report prints the corrected number;
the audit checks the data against it (within ``tolerance``) and files the
number as a correction (:func:`ipsreport.analysis.audit.audit_status`). A correction
always gives its ``reason``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ipsreport.paths import PUBLISHED_PATH

__all__ = ["load_published", "rounding", "decimals", "FIELDS", "OPTIONAL_FIELDS"]

#: The fields of every entry.
FIELDS = ("key", "where", "printed", "value", "tolerance", "reason")
#: Fields an entry may have.
OPTIONAL_FIELDS = ("twin_tolerance", "corrected")
#: Small slack for floating point when comparing a tolerance with the rounding.
_EPS = 1e-9


def load_published(path: str | Path | None = None) -> list[dict]:
    """Read ``published.yml``: every number printed in the reference edition.

    Parameters
    ----------
    path : str or Path, optional
        Defaults to ``data/published/2025.yml``.

    Returns
    -------
    list of dict
        Entries with ``key, where, printed, value, tolerance, reason`` and,
        where given, ``twin_tolerance`` and ``corrected``.

    Raises
    ------
    ValueError
        For a missing or unknown field, a duplicate key, a tolerance beyond the
        rounding of the printed value (:func:`rounding`) without a reason,
        a ``twin_tolerance`` (a number the twin does not reproduce) without a reason, or a
        ``corrected`` number without a reason or equal to the printed one.
    """
    path = Path(path or PUBLISHED_PATH)
    # libyaml's safe loader when installed: the same result, read in a fifth of the time (every book's audit reads it).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
    seen = set()
    for i, entry in enumerate(entries):
        missing = [f for f in FIELDS if f not in entry]
        if missing:
            raise ValueError(f"{path.name}: entry {i} ({entry.get('key')!r}) lacks {missing}")
        unknown = sorted(set(entry) - set(FIELDS) - set(OPTIONAL_FIELDS))
        if unknown:
            raise ValueError(f"{path.name}: entry {i} ({entry['key']!r}) has unknown fields {unknown}")
        if entry["key"] in seen:
            raise ValueError(f"{path.name}: duplicate key {entry['key']!r}")
        if float(entry["tolerance"]) > rounding(entry["value"]) + _EPS and not entry["reason"]:
            raise ValueError(f"{path.name}: {entry['key']!r} accepts a difference of {entry['tolerance']}, more than the "
                             f"rounding of {entry['value']} ({rounding(entry['value'])}), without a reason")
        if float(entry.get("twin_tolerance", 0)) > float(entry["tolerance"]) + _EPS and not entry["reason"]:
            raise ValueError(f"{path.name}: {entry['key']!r} is not reproduced by the twin (twin_tolerance "
                             f"{entry['twin_tolerance']}) without a reason")
        if "corrected" in entry:
            if not entry["reason"]:
                raise ValueError(f"{path.name}: {entry['key']!r} corrects the printed {entry['value']} to "
                                 f"{entry['corrected']} without a reason")
            if float(entry["corrected"]) == float(entry["value"]):
                raise ValueError(f"{path.name}: {entry['key']!r} is marked as corrected, but `corrected` equals "
                                 f"the printed value {entry['value']}")
        seen.add(entry["key"])
    return entries


def decimals(value) -> int:
    """Decimals of a printed value: 0 for 14, 2 for 2.12, 3 for 0.053 (never negative)."""
    import decimal

    return max(-int(decimal.Decimal(str(value)).normalize().as_tuple().exponent), 0)


def rounding(value) -> float:
    """Half a unit of the last decimal of a printed value: 0.5 for 14, 0.005 for 2.12, 0.0005 for 0.053.

    A tolerance up to this is rounding; a larger one needs a ``reason``.
    """
    import decimal

    exponent = decimal.Decimal(str(value)).normalize().as_tuple().exponent
    return 0.5 * 10 ** min(int(exponent), 0)
