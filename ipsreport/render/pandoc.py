"""Run the pandoc binary shipped by ``pypandoc-binary``."""

from __future__ import annotations

import functools
import hashlib
import subprocess
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
CALLOUTS_LUA = ASSETS_DIR / "callouts.lua"
#: Danish typography in prose: no break before "%", a real minus sign (both formats, and Quarto).
TYPOGRAPHY_LUA = ASSETS_DIR / "typography.lua"
#: The book's numbering and cross-references (both engines: Quarto lists it in ``_quarto.yml``).
NUMBERING_LUA = ASSETS_DIR / "numbering.lua"


#: Folder for memoised conversions (set by the engine); None disables it.
_cache_dir: Path | None = None


def set_cache_dir(path: Path | None) -> None:
    """Memoise conversions in ``path`` (content-addressed), or stop with None.

    An unchanged chapter then costs no pandoc run when another chapter changed.
    """
    global _cache_dir
    _cache_dir = Path(path) if path is not None else None


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
    cached = None
    if _cache_dir is not None:
        h = hashlib.sha256("\0".join([pandoc_version(), *cmd[1:], text]).encode())
        for arg in args or []:
            if arg.endswith(".lua"):
                h.update(Path(arg).read_bytes())
        cached = _cache_dir / f"{h.hexdigest()}.{dst.split('-')[0].split('+')[0]}"
        if cached.exists():
            return cached.read_text(encoding="utf-8")
    proc = subprocess.run(cmd, input=text, capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        raise PandocError(f"pandoc failed{' on ' + where if where else ''}: {proc.stderr.strip()}")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(cached.name + f".{id(proc)}.tmp")
        tmp.write_text(proc.stdout, encoding="utf-8")
        tmp.replace(cached)
    return proc.stdout
