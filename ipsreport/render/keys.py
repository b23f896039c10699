"""Cache keys: what a chapter's outputs and a whole book depend on.

One design for every cache: a key is a SHA-256 over the bytes of what the
result depends on (:func:`ipsreport.render.store.entry_key`, the store's one
key rule; the helpers here hash files and the environment into its inputs).
A chapter's key (:func:`chapter_key`) covers its source,
its path, the project's ``execute:`` options, the libraries the kernels run
on (:func:`environment_key`) and the book's own ``cache_inputs``
(:class:`~ipsreport.render.hooks.BookHooks`); a book's key adds
``_quarto.yml``, the engine's assets and the tools' versions.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from pathlib import Path

from ipsreport.render.base import ENGINE_VERSION
from ipsreport.render.store import CHAPTER, entry_key

__all__ = ["chapter_key", "environment_key", "hash_tree", "installed_versions", "tree_key"]


def hash_tree(h: "hashlib._Hash", root: Path, pattern: str = "*") -> None:
    """Feed the names and bytes of ``root`` (a file, or every file under a folder) into ``h``.

    A missing path is hashed as missing; ``__pycache__`` folders are skipped.
    """
    root = Path(root)
    if not root.exists():
        h.update(f"missing:{root}".encode())
        return
    files = [root] if root.is_file() else sorted(
        p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts
    )
    for p in files:
        h.update(str(p.relative_to(root) if p != root else p.name).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())


def tree_key(*roots: Path, pattern: str = "*") -> str:
    """Hash of the files under ``roots`` (see :func:`hash_tree`), e.g. a book's data folder."""
    h = hashlib.sha256()
    for root in roots:
        h.update(b"\0root")
        hash_tree(h, root, pattern)
    return h.hexdigest()


def environment_key(lock_file: Path | None = None) -> str:
    """Hash of the libraries the code runs on: a lock file and every installed version.

    A dependency upgrade can change a number or a picture without any source
    changing, so cached chapters must not outlive it. The lock file says
    what should be installed, the installed versions what is (a hand-run
    ``pip install`` counts too).

    Parameters
    ----------
    lock_file : Path, optional
        E.g. ``requirements.lock``; a missing file counts as "no lock file".
    """
    h = hashlib.sha256()
    h.update(b"lock")
    if lock_file is not None and Path(lock_file).is_file():
        h.update(hashlib.sha256(Path(lock_file).read_bytes()).digest())
    else:  # the same for every project without one (no path in the key: a copied project keeps its cache)
        h.update(b"none")
    h.update(installed_versions().encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def installed_versions() -> str:
    """Every installed distribution with its version, as named by its metadata folder.

    ``pandas-2.2.3.dist-info`` carries name and version; listing the
    ``site-packages`` folders takes about a millisecond, where reading each
    distribution's metadata (``importlib.metadata``) takes 0.2 s.
    """
    names = []
    # The working directory (``""`` or its path, first on sys.path under
    # ``python -m`` or ``python -c``) is skipped: a source checkout's own
    # ``*.egg-info`` there would make the key depend on how the render was
    # started; the checkout's code is keyed by its bytes elsewhere.
    cwd = Path.cwd().resolve()
    for entry in sys.path:
        folder = Path(entry or ".").resolve()
        if folder != cwd and folder.is_dir():
            names += [p.name for p in folder.iterdir() if p.name.endswith((".dist-info", ".egg-info"))]
    return "\n".join(sorted(names))


def chapter_key(cache_inputs: str, root: Path, path: Path, execute_options: dict, environment: str) -> str:
    """Cache key of one chapter (kind ``chapter`` of :func:`ipsreport.render.store.entry_key`).

    Parameters
    ----------
    cache_inputs : str
        The book's :attr:`~ipsreport.render.hooks.BookHooks.cache_inputs`.
    root : Path
        Project folder (the chapter's path is taken relative to it).
    path : Path
        The chapter file; its bytes are part of the key.
    execute_options : dict
        The project's ``execute:`` options.
    environment : str
        :func:`environment_key` of the project.
    """
    return entry_key(
        CHAPTER, engine=ENGINE_VERSION, inputs=cache_inputs, environment=environment,
        path=str(path.relative_to(root)), execute=json.dumps(execute_options or {}, sort_keys=True, default=str),
        source=path.read_bytes(),
    )
