"""The render's one disk cache (:mod:`ipsreport.render.store`): key rule, pruning, damage, sharing."""

from __future__ import annotations

import multiprocessing
import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.render.store import (
    CHAPTER, EVICTION_POLICY, KINDS, PANDOC, RUN, STORE_SIZE_LIMIT, Store, entry_key, open_store,
)

# --------------------------------------------------------------------------- the key rule

names = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
values = st.one_of(st.text(max_size=8), st.binary(max_size=8))


def test_a_key_is_the_kind_and_a_sha256_of_the_named_inputs():
    key = entry_key(PANDOC, text="Hej", command="-f markdown")
    kind, digest = key.split("-", 1)
    assert kind == PANDOC and len(digest) == 64 and int(digest, 16) >= 0
    assert key == entry_key(PANDOC, command="-f markdown", text="Hej")  # the order of the arguments is no input
    assert key == entry_key(PANDOC, text=b"Hej", command="-f markdown")  # str is hashed as its UTF-8 bytes
    assert key != entry_key(CHAPTER, text="Hej", command="-f markdown")  # the kind is
    with pytest.raises(ValueError, match="unknown cache entry kind"):
        entry_key("chapters", text="Hej")


def test_inputs_never_run_into_each_other():
    """Name and length are hashed with each value: moving bytes between inputs or names is another key."""
    assert entry_key(RUN, a="bc") != entry_key(RUN, ab="c")
    assert entry_key(RUN, a="b", c="") != entry_key(RUN, a="", c="b")
    assert entry_key(RUN, a="x\0y") != entry_key(RUN, a="x", y="")
    assert entry_key(RUN) != entry_key(RUN, a="")


@given(st.dictionaries(names, values, max_size=4), st.dictionaries(names, values, max_size=4))
def test_different_inputs_give_different_keys(one, other):
    def norm(d):
        return {k: v.encode() if isinstance(v, str) else v for k, v in d.items()}

    assert (entry_key(CHAPTER, **one) == entry_key(CHAPTER, **other)) == (norm(one) == norm(other))


# --------------------------------------------------------------------------- one pruning policy


def test_the_policy_is_one_size_limit_and_least_recently_used_first(tmp_path):
    store = Store(tmp_path)
    assert (STORE_SIZE_LIMIT, EVICTION_POLICY) == (2**30, "least-recently-used")
    assert store._cache.size_limit == STORE_SIZE_LIMIT and store._cache.eviction_policy == EVICTION_POLICY


def _filled(folder: Path) -> tuple[int, bytes]:
    """Twelve entries of 40 kB (value files); ``chapter-0`` read last but one, ``chapter-11`` last."""
    store = Store(folder)
    for i in range(12):
        store.put(f"chapter-{i}", os.urandom(40_000))
    assert store.get("chapter-0") is not None
    last = store.get("chapter-11")
    return store.volume(), last


def test_a_store_one_byte_below_its_limit_keeps_everything(tmp_path):
    volume, last = _filled(tmp_path)
    store = Store(tmp_path, size_limit=volume + 1)
    store.put("chapter-11", last)  # the same size again: the store stays one byte below the limit
    assert store.volume() == volume
    assert len(store.keys(CHAPTER)) == 12


def test_a_store_at_its_limit_evicts_the_least_recently_used(tmp_path):
    volume, last = _filled(tmp_path)
    store = Store(tmp_path, size_limit=volume)
    store.put("chapter-11", last)  # exactly at the limit: diskcache culls (ten entries per write)
    assert sorted(store.keys(CHAPTER)) == ["chapter-0", "chapter-11"]  # the two used last stay
    assert store.volume() < volume


# --------------------------------------------------------------------------- damage costs time, not a render


def _damage(folder: Path, key: str) -> None:
    """Spoil an entry's bytes on disk: truncate its value file, or overwrite its value in the index."""
    with sqlite3.connect(folder / "cache.db") as db:
        (filename,) = db.execute("SELECT filename FROM Cache WHERE key = ?", (key,)).fetchone()
        if filename:
            path = folder / filename
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        else:
            db.execute("UPDATE Cache SET value = ? WHERE key = ?", (b"\x80\x05garbage", key))


@pytest.mark.parametrize("value", ["kort", "lang " * 20_000], ids=["in the index", "in a value file"])
def test_a_damaged_entry_is_computed_again(tmp_path, value):
    store = Store(tmp_path)
    key = entry_key(PANDOC, text="x")
    runs = []

    def cached_upper() -> str:
        kept = store.get(key)
        if kept is None:
            runs.append(1)
            kept = value.upper()
            store.put(key, kept)
        return kept

    assert cached_upper() == cached_upper() == value.upper() and len(runs) == 1
    _damage(tmp_path, key)
    assert cached_upper() == value.upper() and len(runs) == 2  # recomputed, no exception
    assert cached_upper() == value.upper() and len(runs) == 2  # and kept again


def test_a_value_of_another_shape_is_a_miss_and_is_deleted(tmp_path):
    store = Store(tmp_path)
    store._cache.set("chapter-x", "written without the box")  # e.g. by another program
    assert store.get("chapter-x") is None and "chapter-x" not in store


def test_a_damaged_index_is_started_again(tmp_path):
    Store(tmp_path).put("chapter-x", "a")
    (tmp_path / "cache.db").write_bytes(b"this is not sqlite" * 100)
    for name in ("cache.db-wal", "cache.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    store = Store(tmp_path)
    assert store.get("chapter-x") is None
    assert store.put("chapter-x", "b") and store.get("chapter-x") == "b"


def test_a_store_that_cannot_be_written_is_an_empty_one(tmp_path):
    blocked = tmp_path / "fil"
    blocked.write_text("not a folder", encoding="utf-8")
    store = Store(blocked / "cache")
    assert not store.put("chapter-x", "a") and store.get("chapter-x") is None and store.keys(CHAPTER) == []


# --------------------------------------------------------------------------- shared by threads and processes


def test_one_store_per_folder_and_process(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert open_store(Path("cache")) is open_store(tmp_path / "cache")
    assert open_store(tmp_path / "andet") is not open_store(tmp_path / "cache")


def _writer(folder: str, prefix: str, n: int) -> None:
    store = open_store(Path(folder))
    for i in range(n):
        store.put(entry_key(CHAPTER, writer=prefix, i=str(i)), f"{prefix}{i}" * 5_000)


def test_threads_and_processes_share_one_folder(tmp_path):
    n = 30
    context = multiprocessing.get_context("spawn")  # a fresh process, as a kernel or a second render is
    other = context.Process(target=_writer, args=(str(tmp_path), "proc", n))
    other.start()
    threads = [threading.Thread(target=_writer, args=(str(tmp_path), f"t{k}", n)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.join(60)
    assert other.exitcode == 0
    store = open_store(tmp_path)
    for prefix in ("proc", "t0", "t1", "t2"):
        assert all(store.get(entry_key(CHAPTER, writer=prefix, i=str(i))) == f"{prefix}{i}" * 5_000
                   for i in range(n))
    assert len(store.keys(CHAPTER)) == 4 * n


def test_the_module_lists_every_kind_with_its_writer():
    """The table in the store's docstring names exactly the kinds there are."""
    import ipsreport.render.store as module

    rows = re.findall(r"^``(\w+)``  ", module.__doc__, flags=re.MULTILINE)
    assert rows == list(KINDS)
