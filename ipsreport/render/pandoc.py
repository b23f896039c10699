"""Run the pandoc binary shipped by ``pypandoc-binary``."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from ipsreport.render.store import PANDOC, Store, entry_key

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
CALLOUTS_LUA = ASSETS_DIR / "callouts.lua"
#: Danish typography in prose: no break before "%", a real minus sign (both formats, and Quarto).
TYPOGRAPHY_LUA = ASSETS_DIR / "typography.lua"
#: The book's numbering and cross-references (both engines: Quarto lists it in ``_quarto.yml``).
NUMBERING_LUA = ASSETS_DIR / "numbering.lua"


#: Where conversions are memoised (set by the engine while it writes a book); None: not memoised.
_store: Store | None = None


def set_store(store: Store | None) -> None:
    """Memoise conversions in ``store`` (kind ``pandoc`` of :mod:`ipsreport.render.store`), or stop with None.

    An unchanged chapter then costs no pandoc run when another chapter changed.
    """
    global _store
    _store = store


class PandocError(RuntimeError):
    """pandoc exited with an error."""


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc executable (from ``pypandoc-binary``)."""
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.lru_cache(maxsize=1)
def pandoc_version() -> str:
    """pandoc's version string (part of cache keys)."""
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0]


def run_pandoc(text: str, src: str, dst: str, args: list[str] | None = None, where: str = "") -> str:
    """Convert ``text`` from ``src`` to ``dst`` format.

    Parameters
    ----------
    text : str
        Input document.
    src, dst : str
        pandoc reader and writer names (e.g. ``"markdown"``, ``"typst"``).
    args : list of str, optional
        Extra command-line options.
    where : str
        Names the chapter in error messages.
    """
    cmd = [pandoc_path(), "-f", src, "-t", dst, "--wrap=none", *(args or [])]
    store, key = _store, None
    if store is not None:
        filters = b"".join(Path(arg).read_bytes() for arg in args or [] if arg.endswith(".lua"))
        key = entry_key(PANDOC, pandoc=pandoc_version(), command="\0".join(cmd[1:]), text=text, filters=filters)
        kept = store.get(key)
        if kept is not None:
            return kept
    proc = subprocess.run(cmd, input=text, capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        raise PandocError(f"pandoc failed{' on ' + where if where else ''}: {proc.stderr.strip()}")
    if store is not None:
        store.put(key, proc.stdout)
    return proc.stdout
