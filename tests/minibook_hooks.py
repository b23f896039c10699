"""Hooks for the test book ``tests/fixtures/minibook``: its chapters get the data folder as parameter ``data_dir``.

The minibook knows nothing of the report; these are all it needs from the
engine's interface (:class:`ipsreport.render.hooks.BookHooks`).
"""

from __future__ import annotations

from pathlib import Path

from ipsreport.render.hooks import BookHooks
from ipsreport.render.keys import tree_key


def minibook_hooks(data_dir: Path) -> BookHooks:
    """The data folder as the chapters' parameter and in the cache key; protected and watched."""
    data = Path(data_dir).resolve()
    return BookHooks(
        parameters={"data_dir": str(data)},
        cache_inputs=tree_key(data),
        watch=(data,),
        protected_paths={"datamappen": data},
    )
