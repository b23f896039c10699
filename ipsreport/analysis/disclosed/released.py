"""What one book releases, read back: its protected frames as a ledger, the audit of it, and Bilag 7's values.

:class:`ipsreport.analysis.disclosed.layer.Disclosed` delegates here: :func:`book_frames`
collects every frame the outputs read, :func:`book_ledger` reads them as a
:class:`~ipsreport.analysis.disclosed.ledger.Ledger` (the same reading the plan made of
the unprotected summaries), and :func:`verify` audits it; the render refuses
a book that fails. :func:`protected_audit` is the reproduction appendix with
the plan applied.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.disclosed import disclosure

__all__ = ["protected_audit", "book_frames", "book_ledger", "verify"]


def protected_audit(d) -> pd.DataFrame:
    """:attr:`Disclosed.audit <ipsreport.analysis.disclosed.layer.Disclosed.audit>` for the :class:`Disclosed` ``d``."""
    from ipsreport.analysis.audit import summarise_audit
    from ipsreport.analysis.disclosed.audit_keys import key_quantity, verdict_implied

    frame = summarise_audit(d.ed, d.derived)
    if not d.min_cell:
        frame["suppressed"] = False
        return frame
    from ipsreport.analysis.disclosed.plan import released
    from ipsreport.analysis.disclosed.ranges import Solver

    ledger, candidates = d.candidates
    solver = Solver(ledger, released(candidates, d.plan), d.range_cache)
    hidden, verdict_hidden = [], []
    for key, counts, status, published, rounding, tolerance in zip(
            frame["key"], frame["counts"], frame["status"], frame["published"], frame["rounding"],
            frame["tolerance"]):
        quantity = key_quantity(key, d.ed.codebook)
        if quantity is None:
            small = any(disclosure.is_small(c, d.min_cell) for c in counts)
            hidden.append(small)
            verdict_hidden.append(small)
            continue
        num, den = quantity
        shown = d.shown(num) and (den is None or d.shown(den))
        hidden.append(not shown)
        if shown:
            verdict_hidden.append(False)
            continue
        # Stated only when the published numbers imply it: then it gives nothing away.
        low, high = solver.expression_range(num.keys, den.keys if den is not None else ())
        verdict_hidden.append(not verdict_implied(status, low, high, published, rounding, tolerance))
    frame["suppressed"] = hidden
    for column in ("reproduced", "difference"):
        frame[column] = frame[column].astype(float).mask(frame["suppressed"])
    frame["status"] = frame["status"].mask(pd.Series(verdict_hidden, index=frame.index), "hidden")
    frame["within"] = frame["within"].astype("boolean").mask(pd.Series(verdict_hidden, index=frame.index))
    return frame


def book_frames(d) -> dict:
    """Every protected frame of ``d``, keyed as :func:`ipsreport.analysis.disclosed.catalogue.book_entries` reads them."""
    from ipsreport.analysis.disclosed.catalogue import SCORES

    out = {name: getattr(d, name) for name in (
        "duration", "background", "status", "supports", "goals", "motivation", "resources", "evaluation",
        "psychiatry", "placement", "experience", "statements", "effect", "placement_of_placed", "exit",
        "registry_counts", "age", "no_placement_duration", "who5_bands", "regression", "audit")}
    paired = d.paired()
    for score in SCORES:
        out[("paired", score)] = paired[paired["score"] == score]
        out[("pairs", score)] = d.paired_pairs(score)
    out["target_met"] = d.success_target_met()
    out["target_pct"] = float(d.ed.settings.success_target_pct)
    out["min_cell"] = d.min_cell
    return out


def book_ledger(d, site=None):
    """Every number the book of ``d`` publishes, with the structure a reader knows.

    The structure is the plan's (every variable any number of the book could
    rest on), so the audit reads the book against the same knowledge the
    plan was made with.
    """
    from ipsreport.analysis.disclosed.catalogue import book_entries, fill_structure
    from ipsreport.analysis.disclosed.ledger import Ledger
    from ipsreport.analysis.disclosed.unprotected import derived_counts

    entries = book_entries(d.frames(), d.ed.codebook, site)
    if site is None and d.min_cell:
        known, _ = d.candidates
        return Ledger(partitions=dict(known.partitions), populations=dict(known.populations),
                      links=list(known.links), entries=entries, truth=dict(known.truth))
    ledger = Ledger(entries=entries)
    fill_structure(ledger, {site: (d.ed, derived_counts(d.unprotected))}, d.ed.codebook)
    return ledger


def verify(d) -> None:
    """Audit everything the book of ``d`` publishes; raise when a small count can be worked out.

    Raises
    ------
    ipsreport.analysis.disclosed.plan.DisclosureAuditError
        Naming the count and the published numbers that pin it down.
    """
    from ipsreport.analysis.disclosed.plan import DisclosureAuditError, marks
    from ipsreport.analysis.disclosed.ranges import Solver, audit

    if not d.min_cell:
        return
    ledger = d.ledger()
    # What "<3" and "–" say is published too (the frames carry it as their suppression).
    if d.marks:
        ledger.entries.extend(marks(d.plan, ledger.truth, d.min_cell, d.candidates[1]))
    failures = audit(ledger, d.min_cell, Solver(ledger, ledger.entries, d.range_cache))
    if failures:
        raise DisclosureAuditError(failures[0], d.min_cell)


