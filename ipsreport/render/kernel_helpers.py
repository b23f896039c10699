"""Helpers imported by the code the engine runs inside a chapter kernel.

Functions defined in a cell would see the user namespace as their globals,
which :func:`reset` empties between chapters; living in this module they
survive it. Nothing here replaces or patches anything: the engine calls
these functions from the small set-up cells of
:mod:`ipsreport.render.kernel`.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import warnings

__all__ = ["freeze_heap", "inline", "inline_attrs", "inline_batch", "prepare_chapter", "reset", "settle", "warn_off",
           "warn_restore"]

_stack: list = []


def _shell():
    from IPython import get_ipython

    return get_ipython()


def reset() -> None:
    """Empty the user namespace and the input/output history between chapters.

    What ``%reset -f`` does, except its full ``gc.collect()`` (in the output
    cache's flush): a full collection of a heap holding pandas, statsmodels
    and matplotlib costs ~0.3 s per chapter, and the interpreter's own
    collector frees the same cycles later anyway.
    """
    shell = _shell()
    shell.history_manager.reset(new_session=False)
    shell.last_execution_succeeded = True
    shell.last_execution_result = None
    if shell.user_ns is not shell.user_global_ns:
        shell.user_ns.clear()
    ns = shell.user_global_ns
    for name in set(ns) - {"__builtin__", "__builtins__", "__name__"}:
        del ns[name]
    shell.user_ns_hidden.clear()
    shell.init_user_ns()


def freeze_heap() -> None:
    """End of a kernel's set-up: what its imports made lives as long as the kernel, so no collection walks it.

    The kernel holds pandas, matplotlib, statsmodels and the report's
    modules: a million objects or so, which every full collection of the
    cyclic garbage collector would walk again (about 0.15 s each, set off
    every few chapters by their allocations; profiled on ``render --by
    site``). :func:`gc.freeze` moves them out of the collector's reach; they
    are still freed as usual when nothing refers to them.
    """
    gc.freeze()


def settle() -> None:
    """Between chapters, after :func:`reset`: collect what the last chapter left, then freeze what stays.

    The collection walks only what was made since the last freeze (the last
    chapter's objects, modules it imported, the run it opened), and the
    garbage among them is freed before the rest is frozen, so nothing
    a chapter dropped is kept. The next chapter's collections then walk
    only its own objects (see :func:`freeze_heap`).
    """
    gc.collect()
    gc.freeze()


def prepare_chapter(cwd: str) -> None:
    """Fresh matplotlib state and warnings filters, and the chapter's folder as working directory."""
    import matplotlib
    import matplotlib.pyplot as plt

    plt.close("all")
    matplotlib.rcdefaults()
    _shell().run_line_magic("matplotlib", "inline")
    # Deterministic SVG ids: the same chapter gives the same bytes.
    matplotlib.rcParams["svg.hashsalt"] = "ipsreport"
    os.chdir(cwd)
    warnings.resetwarnings()


def warn_off() -> None:
    """First line of a ``warning: false`` cell; :func:`warn_restore` undoes it after the cell."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore")
    _stack.append(ctx)


def warn_restore(*_) -> None:
    """``post_run_cell`` hook: close what :func:`warn_off` opened."""
    while _stack:
        _stack.pop().__exit__(None, None, None)


def inline(value) -> None:
    """Print one inline value (the engine reads it from stdout)."""
    print(str(value), end="")


def inline_attrs(value) -> dict[str, str] | list | None:
    """The HTML attributes an inline value asks for, or None.

    A value may define ``_inline_attrs_()`` returning a mapping of HTML
    attribute names to strings (``{"class": "fact", "title": "…"}``); the
    HTML page wraps its text in a span with them, every other output prints
    the text alone. Deliberately not ``_repr_html_``: Jupyter front ends and
    Quarto would show that instead of the plain text.

    A value made of pieces (a sentence whose numbers each have a tooltip)
    may instead define ``_inline_parts_()`` returning its pieces in order,
    each a string that may itself define ``_inline_attrs_()``; the result is
    then a list of ``[text, attrs or None]`` pairs, one span per piece that
    asks for one (None when no piece does).
    """
    parts = getattr(type(value), "_inline_parts_", None)
    if parts is not None:
        try:
            pieces = [[str(p), inline_attrs(p)] for p in parts(value)]
        except Exception:  # a tooltip is never worth a failed render
            return None
        return pieces if any(a for _, a in pieces) else None
    method = getattr(type(value), "_inline_attrs_", None)
    if method is None:
        return None
    try:
        attrs = method(value)
    except Exception:  # a tooltip is never worth a failed render
        return None
    if not attrs:
        return None
    return {str(k): str(v) for k, v in dict(attrs).items()}


def inline_batch(exprs: list[str]) -> None:
    """Evaluate a prose block's inline expressions in one round trip; print a JSON reply.

    ``{"values": [...], "attrs": [...], "failed": index or None}``: each
    value's text and its :func:`inline_attrs` (or null); at the first
    failure the caller re-runs that expression on its own to report its error.
    """
    ns = _shell().user_ns
    out: list[str] = []
    attrs: list[dict[str, str] | None] = []
    for i, expr in enumerate(exprs):
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                value = eval(compile(expr, "<inline>", "eval"), ns)
                print(str(value), end="")
        except BaseException:
            print(json.dumps({"values": out, "attrs": attrs, "failed": i}))
            return
        out.append(buf.getvalue())
        attrs.append(inline_attrs(value))
    print(json.dumps({"values": out, "attrs": attrs, "failed": None}))
