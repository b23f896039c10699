"""Hooks for the test book ``tests/fixtures/minibook``: its chapters read ``IPSREPORT_DATA``.

The minibook knows nothing of the report; these are all it needs from the
engine's interface (:class:`ipsreport.render.hooks.BookHooks`).
"""

from __future__ import annotations

from pathlib import Path

from ipsreport.render.hooks import BookHooks
from ipsreport.render.keys import tree_key


def minibook_hooks(data_dir: Path) -> BookHooks:
    """The data folder in the kernels' environment and in the cache key; protected and watched."""
    data = Path(data_dir).resolve()
    return BookHooks(
        kernel_env={"IPSREPORT_DATA": str(data)},
        cache_inputs=tree_key(data),
        watch=(data,),
        protected_paths={"datamappen": data},
    )
