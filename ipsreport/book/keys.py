"""The report's cache keys: what its chapters and its validated data depend on besides their sources.

Built on the engine's hashing (:mod:`ipsreport.render.keys`): the package
source and the environment (:func:`code_key`), the data, codebook, cases and
published numbers (:func:`inputs_key`, the report's
:attr:`~ipsreport.render.hooks.BookHooks.cache_inputs`), and what a
validation depends on (:func:`validation_key`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ipsreport import paths
from ipsreport.book.guide import outline_key
from ipsreport.render.keys import environment_key, hash_tree

__all__ = ["code_key", "inputs_key", "validation_key"]


def code_key(package_dir: Path | None = None) -> str:
    """Hash of every ``*.py`` source under the ipsreport package and of its environment.

    The environment (:func:`ipsreport.render.keys.environment_key`: the
    project's ``requirements.lock`` and every installed distribution) is part
    of it because a dependency upgrade can change a number without any
    source changing.
    """
    h = hashlib.sha256()
    hash_tree(h, package_dir or paths.PACKAGE_DIR, "*.py")
    h.update(environment_key(paths.PROJECT_DIR / "requirements.lock").encode())
    return h.hexdigest()


def inputs_key(data_dir: Path, settings_json: str) -> str:
    """Hash of everything the report's chapters depend on besides their sources.

    Covers the data folder's bytes, ``data/codebook.yml``, ``data/cases/**``,
    ``data/published/2025.yml`` (read by the audit appendix), the book's
    outline (``_quarto.yml`` and each chapter's first heading, read by the
    reading guide: :func:`ipsreport.book.guide.outline_key`), every
    ``ipsreport/**/*.py`` source and the environment (:func:`code_key`) and
    the resolved settings.
    """
    h = hashlib.sha256()
    h.update(b"data")
    hash_tree(h, Path(data_dir))
    h.update(b"codebook")
    hash_tree(h, paths.CODEBOOK_PATH)
    h.update(b"cases")
    hash_tree(h, paths.CASES_DIR)
    # The reproduction appendix compares the data with the published 2025 numbers.
    h.update(b"published")
    hash_tree(h, paths.PUBLISHED_PATH)
    # The introduction's reading guide is written from the chapter list and the chapters' headings.
    h.update(b"outline")
    h.update(outline_key().encode())
    h.update(b"code")
    h.update(code_key().encode())
    h.update(settings_json.encode())
    return h.hexdigest()


def validation_key(data_dir: Path) -> str:
    """Hash of what a validation depends on: the data, the codebook, the code and environment."""
    h = hashlib.sha256()
    hash_tree(h, Path(data_dir))
    h.update(b"codebook")
    hash_tree(h, paths.CODEBOOK_PATH)
    h.update(code_key().encode())
    return h.hexdigest()
