"""Provenance of a rendered edition: package version, git commit, render date.

Read-only; used by the colophon and the appendices through the facts
``package_version``, ``git_commit`` and ``render_date``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess

__all__ = ["package_version", "git_commit", "render_date"]


def package_version() -> str:
    """``ipsreport.__version__`` ("ukendt" when unset)."""
    import ipsreport

    return str(getattr(ipsreport, "__version__", "ukendt"))


def git_commit() -> str:
    """Short commit of the project checkout, read-only; says so when unknown or modified."""
    from ipsreport.paths import PROJECT_DIR

    def git(*args):
        return subprocess.run(["git", "-C", str(PROJECT_DIR), *args], capture_output=True, text=True, timeout=10)

    try:
        head = git("rev-parse", "--short", "HEAD")
        if head.returncode != 0:
            return "ikke tilgængelig"
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "ikke tilgængelig"
    return head.stdout.strip() + (" (med ændringer, der ikke er committet)" if dirty else "")


def render_date() -> dt.date:
    """The render date: ``IPSREPORT_RENDER_DATE`` (ISO date) when set, for byte-identical
    re-renders; else a non-zero ``SOURCE_DATE_EPOCH``; else today.

    ``SOURCE_DATE_EPOCH=0`` is ignored: the render engine sets it for
    reproducible SVG metadata, and "1. januar 1970" is not a render date.
    """
    fixed = os.environ.get("IPSREPORT_RENDER_DATE")
    if fixed:
        return dt.date.fromisoformat(fixed)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and int(epoch) > 0:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()
