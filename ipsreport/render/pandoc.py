"""Run the pandoc binary shipped by ``pypandoc-binary``."""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ipsreport.render.store import PANDOC, Store, entry_key

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
CALLOUTS_LUA = ASSETS_DIR / "callouts.lua"
#: Danish typography in prose: no break before "%", a real minus sign (both formats, and Quarto).
TYPOGRAPHY_LUA = ASSETS_DIR / "typography.lua"
#: The book's numbering and cross-references (both engines: Quarto lists it in ``_quarto.yml``).
NUMBERING_LUA = ASSETS_DIR / "numbering.lua"
#: Runs many conversions in one pandoc process (:func:`convert_all`).
CONVERT_ALL_LUA = ASSETS_DIR / "convert_all.lua"


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
    """Convert ``text`` from ``src`` to ``dst`` format (one :class:`Conversion` of :func:`convert_all`).

    Parameters
    ----------
    text : str
        Input document.
    src, dst : str
        pandoc reader and writer names (e.g. ``"markdown"``, ``"typst"``).
    args : list of str, optional
        ``--lua-filter PATH`` (any number, run in order) and ``--mathml``.
    where : str
        Names the chapter in error messages.
    """
    return convert_all([Conversion(text, src, dst, tuple(args or ()), where)])[0]


@dataclass(frozen=True)
class Conversion:
    """One pandoc conversion: ``pandoc -f src -t dst --wrap=none *args`` on ``text``.

    ``args`` may hold ``--lua-filter PATH`` (run in order) and ``--mathml``;
    ``where`` names the chapter in error messages.
    """

    text: str
    src: str
    dst: str
    args: tuple[str, ...] = ()
    where: str = ""

    def job(self) -> dict[str, object]:
        """This conversion as ``assets/convert_all.lua`` reads it."""
        filters, mathml, rest = [], False, list(self.args)
        while rest:
            option = rest.pop(0)
            if option == "--lua-filter" and rest:
                filters.append(rest.pop(0))
            elif option == "--mathml":
                mathml = True
            else:
                raise ValueError(f"pandoc option {option!r} is not supported by convert_all")
        return {"text": self.text, "from": self.src, "to": self.dst, "filters": filters, "mathml": mathml}

    def key(self) -> str:
        """Its key in the store: pandoc's version, the command, the text and the filters' code."""
        filters = b"".join(Path(arg).read_bytes() for arg in self.args if arg.endswith(".lua"))
        command = "\0".join(["-f", self.src, "-t", self.dst, "--wrap=none", *self.args])
        return entry_key(PANDOC, pandoc=pandoc_version(), command=command, text=self.text, filters=filters)


def _run_batch(conversions: list[Conversion]) -> list[dict[str, str]]:
    """``assets/convert_all.lua`` on ``conversions`` in one ``pandoc lua`` process: ``{out}`` or ``{err}`` each."""
    proc = subprocess.run([pandoc_path(), "lua", str(CONVERT_ALL_LUA)], input=json.dumps([c.job() for c in conversions]),
                          capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        raise PandocError(f"pandoc failed: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def convert_all(conversions: Sequence[Conversion], processes: int = 1) -> list[str]:
    """Run ``conversions`` in ``processes`` pandoc processes (default one); their outputs, in order.

    pandoc's own Lua interpreter (``pandoc lua``) runs ``assets/convert_all.lua``,
    which reads, filters and writes each one as the pandoc command would; a
    book's chapters cost one start of the pandoc binary instead of one each.
    Conversions the store holds (:func:`set_store`) are not run again. With
    ``processes`` > 1 the others are shared out over that many processes run
    side by side (a book's PDF, the longest path of its writing).

    Raises
    ------
    PandocError
        Naming the first conversion that failed (its ``where``).
    """
    store = _store
    out: list[str] = [""] * len(conversions)
    keys: dict[int, str] = {}
    todo = []
    for i, conversion in enumerate(conversions):
        kept = None
        if store is not None:
            keys[i] = conversion.key()
            kept = store.get(keys[i])
        if kept is None:
            todo.append(i)
        else:
            out[i] = kept
    # Dealt out over the processes in turn (a long chapter beside short ones), each run from a thread of its own.
    processes = max(1, processes)
    shares = [todo[k::processes] for k in range(processes) if todo[k::processes]]
    if len(shares) > 1:
        with ThreadPoolExecutor(max_workers=len(shares)) as pool:
            done = list(pool.map(lambda share: _run_batch([conversions[i] for i in share]), shares))
    else:
        done = [_run_batch([conversions[i] for i in share]) for share in shares]
    for share, results in zip(shares, done):
        for i, result in zip(share, results):
            if "err" in result:
                where = conversions[i].where
                raise PandocError(f"pandoc failed{' on ' + where if where else ''}: {result['err'].strip()}")
            # As the pandoc command writes it: ending in one newline.
            text = result["out"] if result["out"].endswith("\n") else result["out"] + "\n"
            if store is not None:
                store.put(keys[i], text)
            out[i] = text
    return out
