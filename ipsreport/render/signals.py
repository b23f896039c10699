"""Stop a render cleanly on SIGTERM or SIGINT (Ctrl-C).

Python turns SIGINT into :class:`KeyboardInterrupt` but lets SIGTERM end the
process on the spot, which would leave a render's temporary folders behind
and its Jupyter kernels running. :func:`stop_on_signals` installs, for the
duration of a render, handlers that raise :class:`Interrupted` in the main
thread instead, so the engine's ``finally``/``except`` blocks kill the kernels,
remove the temporary folders and keep the previous output. The handlers that
were there before are put back afterwards. The CLI exits with ``128 +`` the
signal number (130 for SIGINT, 143 for SIGTERM), as a shell does.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["Interrupted", "stop_on_signals"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_active = False


class Interrupted(KeyboardInterrupt):
    """A render was stopped by a signal; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        self.signum = int(signum)
        self.exit_code = 128 + self.signum
        name = signal.Signals(self.signum).name
        super().__init__(
            f"Kørslen blev afbrudt ({name}). Jupyter-kernerne er stoppet, de midlertidige mapper er "
            "slettet, og det tidligere output er uændret. Kør kommandoen igen for at lave rapporten."
        )

    def __str__(self) -> str:
        return str(self.args[0])


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Raise :class:`Interrupted` on SIGTERM/SIGINT while the block runs.

    Only the first signal raises; later ones are ignored so the clean-up it
    started (a second or so) is not cut short. A signal whose handler was
    ``SIG_IGN`` (e.g. SIGINT of a background job) stays ignored. Outside the
    main thread, where handlers cannot be installed, this does nothing.
    """
    global _active
    if _active or threading.current_thread() is not threading.main_thread():
        yield  # an enclosing render already handles the signals
        return
    fired: list[int] = []

    def handler(signum, frame):  # noqa: ARG001 - signal handler signature
        if fired:
            return
        fired.append(signum)
        raise Interrupted(signum)

    previous = {}
    _active = True
    try:
        for sig in _SIGNALS:
            old = signal.getsignal(sig)
            if old is signal.SIG_IGN or old is None:
                continue
            previous[sig] = old
            signal.signal(sig, handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        _active = False
