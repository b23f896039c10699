"""The render's one disk cache: a :class:`diskcache.Cache` in the cache folder.

Everything a render keeps between runs is an entry of one store, opened at
the render's cache folder (``.ipsreport-cache/`` or ``$IPSREPORT_CACHE_DIR``;
``render --by site`` uses the same one for every site):

==============  =====================================================  ==========================================
kind            value                                                  written by
==============  =====================================================  ==========================================
``chapter``     an executed chapter (:class:`ExecutedChapter` JSON)    :func:`ipsreport.render.plan.store`
``pandoc``      one pandoc conversion's output text                    :func:`ipsreport.render.pandoc.convert_all`
``validation``  a valid data folder's validation report (pickled)      :func:`ipsreport.inputs.verdicts.validate_shared`
``run``         a book's run of the pipeline (pickled), its chapters'   :func:`ipsreport.results.saved.save_run`
                parameter ``results``
==============  =====================================================  ==========================================

**One key rule** (:func:`entry_key`): an entry's key is its kind and the
SHA-256 of the named inputs its value depends on, so nothing is ever
invalidated by hand: a changed input is a new key, and the old entry ages
out.

**One pruning policy**: the store holds at most :data:`STORE_SIZE_LIMIT`
bytes (diskcache's estimate: the SQLite file plus the value files); when a
write brings it to the limit, diskcache evicts the entries used longest ago
(:data:`EVICTION_POLICY`, ten per write) — an entry read by every render
stays. Nothing else deletes entries; ``make clean`` removes the folder.

**Concurrency**: diskcache keeps its index in SQLite, so threads (the books
of ``render --by site``) and processes (the chapters' kernels, two renders
at once) may read and write the same folder; writes are transactions and
a value file is in place before its row is. One :class:`Store` per folder
and process (:func:`open_store`) is shared by the threads.

**Damage costs time, never a render**: an entry that cannot be read back
(a truncated value file, a value from an incompatible library) is deleted
and reported as missing, so the caller computes it again; a store that
cannot be opened or written (a read-only folder, a damaged database) is
used as an empty one.

Quarto's own ``_freeze/`` (``quarto render``) is Quarto's cache, not this
one: Quarto keys and prunes it itself.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

__all__ = [
    "CHAPTER", "EVICTION_POLICY", "KINDS", "PANDOC", "RUN", "STORE_SIZE_LIMIT", "Store",
    "VALIDATION", "entry_key", "open_store",
]

#: The kinds of entries (the first part of every key, see :func:`entry_key`).
CHAPTER, PANDOC, VALIDATION, RUN = "chapter", "pandoc", "validation", "run"
KINDS = (CHAPTER, PANDOC, VALIDATION, RUN)

#: Bytes the store may hold before diskcache evicts entries (diskcache's ``size_limit``). A render of
#: the twin adds about 20 MB (mostly pandoc conversions and chapters with their figures); 1 GiB keeps
#: dozens of renders, every site of ``--by site`` included.
STORE_SIZE_LIMIT = 2**30

#: Which entries go first when the store is full (diskcache's ``eviction_policy``): the least recently
#: read or written, so an entry every render reads (the validation, unchanged chapters) stays.
EVICTION_POLICY = "least-recently-used"


def entry_key(kind: str, **inputs: str | bytes) -> str:
    """The one key rule: ``"<kind>-"`` and the SHA-256 of the named inputs.

    Each input is hashed with its name and length, in the order of the
    names, so two inputs can never run into each other and the order of
    the arguments does not matter.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    **inputs : str or bytes
        Everything the value depends on; ``str`` is hashed as UTF-8.

    Returns
    -------
    str
        E.g. ``"pandoc-3f2a…"`` (64 hex digits after the kind).

    Raises
    ------
    ValueError
        For a kind not in :data:`KINDS`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown cache entry kind {kind!r}; one of {KINDS}")
    h = hashlib.sha256(kind.encode())
    for name in sorted(inputs):
        value = inputs[name]
        data = value if isinstance(value, bytes) else str(value).encode()
        h.update(f"\0{name}\0{len(data)}\0".encode())
        h.update(data)
    return f"{kind}-{h.hexdigest()}"


class Store:
    """One cache folder: :meth:`get` and :meth:`put` by a key of :func:`entry_key`.

    Parameters
    ----------
    folder : Path
        The render's cache folder.
    size_limit : int, optional
        Default :data:`STORE_SIZE_LIMIT` (tests use small ones).
    """

    def __init__(self, folder: Path, size_limit: int = STORE_SIZE_LIMIT) -> None:
        self.folder = Path(folder)
        self._cache = _open(self.folder, size_limit)

    def __repr__(self) -> str:
        return f"Store({self.folder})"

    def get(self, key: str) -> Any | None:
        """The value kept under ``key``, or None when there is none or it cannot be read (it is then deleted)."""
        if self._cache is None:
            return None
        try:
            boxed = self._cache.get(key, default=None, retry=True)
        except (sqlite3.Error, OSError):  # a store gone bad meanwhile: a miss
            return None
        except Exception:  # noqa: BLE001 - an unreadable value (truncated, unpicklable): computed again
            boxed = False
        if boxed is None:
            return None
        if not (isinstance(boxed, tuple) and len(boxed) == 1):
            self.delete(key)
            return None
        return boxed[0]

    def put(self, key: str, value: Any) -> bool:
        """Keep ``value`` under ``key``; False when the store cannot be written (the caller carries on)."""
        if self._cache is None:
            return False
        try:
            # Boxed in a tuple, so every value is pickled: a damaged one fails to load rather than
            # coming back as shortened text.
            return bool(self._cache.set(key, (value,), retry=True))
        except (sqlite3.Error, OSError):
            return False

    def delete(self, key: str) -> None:
        """Forget ``key`` (nothing happens when it is not there or the store cannot be written)."""
        if self._cache is None:
            return
        try:
            self._cache.delete(key, retry=True)
        except (sqlite3.Error, OSError):
            pass

    def __contains__(self, key: str) -> bool:
        if self._cache is None:
            return False
        try:
            return key in self._cache
        except (sqlite3.Error, OSError):
            return False

    def keys(self, kind: str) -> list[str]:
        """The keys of ``kind`` the store holds, e.g. to count the kept chapters."""
        if self._cache is None:
            return []
        try:
            return [k for k in self._cache.iterkeys() if isinstance(k, str) and k.startswith(f"{kind}-")]
        except (sqlite3.Error, OSError):
            return []

    def volume(self) -> int:
        """diskcache's estimate of the bytes the store takes (what :data:`STORE_SIZE_LIMIT` bounds)."""
        return self._cache.volume() if self._cache is not None else 0


def _open(folder: Path, size_limit: int):
    """The diskcache at ``folder``, or None when it cannot be opened (the render runs without a cache)."""
    import diskcache

    for attempt in (1, 2):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return diskcache.Cache(str(folder), size_limit=size_limit, eviction_policy=EVICTION_POLICY)
        except sqlite3.DatabaseError:
            if attempt == 2:
                return None
            # A damaged index (not a locked one, which diskcache waits for): start it again.
            for name in ("cache.db", "cache.db-wal", "cache.db-shm"):
                (folder / name).unlink(missing_ok=True)
        except OSError:
            return None
    return None


_STORES: dict[tuple[int, Path], Store] = {}
_STORES_LOCK = threading.Lock()


def open_store(folder: Path) -> Store:
    """The :class:`Store` at ``folder``, one per folder and process, shared by its threads.

    Kept for the life of the process (keyed on the process id and the
    resolved folder: a forked child opens its own SQLite connection).
    """
    key = (os.getpid(), Path(folder).expanduser().resolve())
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = Store(key[1])
        return store
