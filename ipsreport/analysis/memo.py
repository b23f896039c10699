"""The package's one in-memory cache: a result computed once per object.

Chapters ask for the same summaries many times (every ``f.<name>``, every
table of a chapter), so the disclosure-controlled summaries, the facts, the
paired scores and the audit are computed once per edition and kept while the
edition lives. Every such cache goes through :func:`remember`, keyed on the
identity of the objects the result was computed from (never on ``id()``
alone, which Python reuses for a later object).

What survives a process (rendered chapters, validated data) is cached on disk
by the render instead, under keys that include the data, the code and the
installed environment (:mod:`ipsreport.book.keys`).
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Hashable, TypeVar

__all__ = ["remember", "forget_all"]

T = TypeVar("T")

#: (what, id(owner), ids of the other inputs) -> (owner and other inputs, result).
_STORE: dict[tuple, tuple[tuple[Any, ...], Any]] = {}
#: Beyond this many entries the oldest are dropped (objects without weak references would otherwise pile up).
MAX_ENTRIES = 256


def remember(what: Hashable, owner: Any, compute: Callable[[], T], *, inputs: tuple = ()) -> T:
    """``compute()`` once per ``owner`` (and per identity of ``inputs``); later calls return the same result.

    Parameters
    ----------
    what : hashable
        Which result, e.g. ``"disclosed"`` or ``("paired", "who5")``.
    owner : object
        The object the result belongs to (usually the edition). The entry is
        dropped when it is garbage-collected, if it supports weak references.
    compute : callable
        Makes the result.
    inputs : tuple, optional
        Further objects the result depends on by identity (e.g. the data
        frames when ``owner`` is a plain dict of them).
    """
    key = (what, id(owner), tuple(id(x) for x in inputs))
    hit = _STORE.get(key)
    if hit is not None and _deref(hit[0][0]) is owner and all(a is b for a, b in zip(hit[0][1:], inputs)):
        return hit[1]
    value = compute()
    if len(_STORE) >= MAX_ENTRIES:
        for old in list(_STORE)[: MAX_ENTRIES // 2]:
            _STORE.pop(old, None)
    try:
        ref: Any = weakref.ref(owner)
        weakref.finalize(owner, _STORE.pop, key, None)
    except TypeError:  # no weak references (e.g. a dict): the size bound applies
        ref = owner
    _STORE[key] = ((ref, *inputs), value)
    return value


def _deref(ref: Any) -> Any:
    return ref() if isinstance(ref, weakref.ref) else ref


def forget_all() -> None:
    """Drop every remembered result (tests that edit an edition in place call this)."""
    _STORE.clear()
