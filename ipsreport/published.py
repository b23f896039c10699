"""The numbers printed in the reference edition, as the audit reads them.

``data/published/2025.yml`` (:data:`ipsreport.paths.PUBLISHED_PATH`) lists
every number printed in the 2025 edition with the key that computes it from
the data (:func:`ipsreport.audit.compute_key`), the accepted difference and,
for a difference beyond the rounding of the printed value, the reason.

An entry may also give ``twin_tolerance``: how close the synthetic twin
(``data/synthetic``) was built to come where it could not reproduce the printed
number. The audit ignores it (it reports such a number as not reproduced, with
the entry's reason); the tests hold the twin to it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ipsreport.paths import PUBLISHED_PATH

__all__ = ["load_published", "rounding", "FIELDS", "OPTIONAL_FIELDS"]

#: The fields of every entry.
FIELDS = ("key", "where", "printed", "value", "tolerance", "reason")
#: Fields an entry may have.
OPTIONAL_FIELDS = ("twin_tolerance",)
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
        where given, ``twin_tolerance``.

    Raises
    ------
    ValueError
        For a missing or unknown field, a duplicate key, a tolerance beyond the
        rounding of the printed value (:func:`rounding`) without a reason, or
        a ``twin_tolerance`` (a number the twin does not reproduce) without a reason.
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
        seen.add(entry["key"])
    return entries


def rounding(value) -> float:
    """Half a unit of the last decimal of a printed value: 0.5 for 14, 0.005 for 2.12, 0.0005 for 0.053.

    A tolerance up to this is rounding; a larger one needs a ``reason``.
    """
    import decimal

    exponent = decimal.Decimal(str(value)).normalize().as_tuple().exponent
    return 0.5 * 10 ** min(int(exponent), 0)
