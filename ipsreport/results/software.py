"""What a run was made with: the package version, the git commit and the render date.

Light on purpose (no pandas): the command line asks for them before it knows
whether anything must be computed (the run's key, :mod:`ipsreport.results.publish`;
the render date, :func:`ipsreport.book.hooks.resolve_settings`). The colophon
and the appendices print them through the facts ``package_version``,
``git_commit`` and ``render_date``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess

__all__ = ["package_version", "git_commit", "render_date", "today"]


def package_version() -> str:
    """``ipsreport.__version__`` ("ukendt" when unset)."""
    import ipsreport

    return str(getattr(ipsreport, "__version__", "ukendt"))


def git_commit() -> str:
    """Short commit of the project checkout, read-only; says so when unknown or modified.

    One ``git status`` call (about 25 ms) gives both the commit and whether a
    tracked file differs from it; the command asks once per render.
    """
    from ipsreport.paths import PROJECT_DIR

    try:
        status = subprocess.run(["git", "-C", str(PROJECT_DIR), "status", "--porcelain=v2", "--branch",
                                 "--untracked-files=no"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "ikke tilgængelig"
    lines = status.stdout.splitlines()
    commit = next((line.split()[2] for line in lines if line.startswith("# branch.oid ")), "")
    if status.returncode != 0 or not commit or commit == "(initial)":
        return "ikke tilgængelig"
    dirty = any(not line.startswith("#") for line in lines)
    return commit[:7] + (" (med ændringer, der ikke er committet)" if dirty else "")


def render_date(settings) -> dt.date:
    """The render date: the setting ``render_date`` (the command line resolves it once per
    render, :func:`ipsreport.book.hooks.resolve_settings`), else :func:`today`."""
    return settings.render_date or today()


def today() -> dt.date:
    """Today, or the date of a non-zero ``SOURCE_DATE_EPOCH`` (reproducible builds).

    ``SOURCE_DATE_EPOCH=0`` is ignored: the render engine sets it for
    reproducible SVG metadata, and "1. januar 1970" is not a render date.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and int(epoch) > 0:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()
