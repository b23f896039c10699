"""The render's gate: a book from which a small count can be worked out is not written.

:func:`audit_before_render` runs in the command before any chapter: it
builds the edition once, makes the suppression plan and audits everything the
book will publish (:meth:`ipsreport.analysis.disclosed.layer.Disclosed.verify`). The pipeline that follows
reads the same edition and summaries (:func:`ipsreport.inputs.edition.edition` keeps one per data and
settings), so the book publishes exactly the audited plan. The CLI
turns a :class:`~ipsreport.analysis.disclosed.plan.DisclosureAuditError` into its
Danish message and exit code 7; nothing is rendered.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["audit_before_render"]


def audit_before_render(data_dir: Path, settings, report) -> int:
    """Audit the book of ``data_dir`` under ``settings``; returns the rule in force.

    Parameters
    ----------
    data_dir : Path
    settings : Settings
        As resolved for the render.
    report : ValidationReport
        The validation the command made already: the audit reads its
        frames. An object without frames (a test's stand-in for the
        validation) is not audited, and ``-1`` is returned.

    Returns
    -------
    int
        ``min_cell`` in force (``0``: nothing to audit).

    Raises
    ------
    ipsreport.analysis.disclosed.plan.DisclosureAuditError
        Naming the small count and the published numbers that give it away.
    """
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.inputs.edition import edition

    if not hasattr(report, "frames"):
        return -1
    ed = edition(data_dir, settings, report=report)
    if ed.settings.min_cell:
        disclosed(ed).verify()
    return int(ed.settings.min_cell)
