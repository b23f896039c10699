"""The render's results bundle: the pipeline run once per book, in the CLI process.

:class:`ResultsBundle` is the book's :class:`~ipsreport.render.hooks.Attachment`
(:func:`ipsreport.book.book_hooks` hands it to the engine). When the engine
knows it will write a book it calls :meth:`ResultsBundle.start`, which runs
:func:`ipsreport.pipeline.run` in a background thread while the chapters run
in their kernels; :meth:`ResultsBundle.write` waits for it and writes
``resultater/`` into the book's temporary folder, which replaces the output
only when everything succeeded, so a failed render never leaves a bundle
that does not belong to the book beside it.

A bundle is kept in the render's store (:mod:`ipsreport.render.store`, kind
``bundle``: its files' names and bytes, pruned with everything else), keyed
on the book's ``cache_inputs`` (data, settings, codebook, published numbers,
package source and environment: :func:`ipsreport.bookkeys.inputs_key`, the
chapters' own key), the facts the chapters print, the render date and the
git commit: a render after a prose edit writes it from there instead of
running the pipeline again.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path, PurePosixPath
from typing import Any, Sequence

from ipsreport.render.store import BUNDLE, entry_key, open_store

__all__ = ["ResultsBundle"]

#: One pipeline run at a time in this process (``--by site`` starts one per site): the
#: computations hold the GIL anyway, and some steps are not thread-safe (Table 9 records the fit's
#: warnings with ``warnings.catch_warnings``, whose state is global).
_ONE_AT_A_TIME = threading.Lock()


class ResultsBundle:
    """Computes one book's :class:`~ipsreport.results.Results` and writes its bundle.

    Parameters
    ----------
    data_dir : Path
        The book's data folder.
    settings : Settings
        Resolved as the chapters' kernels get them.
    cache_dir : Path
        Where the render keeps the validated data
        (:func:`ipsreport.verdicts.validate_shared`): read, not validated
        again; and the bundles (the render's store).
    inputs : str
        The book's ``cache_inputs`` (:func:`ipsreport.bookkeys.inputs_key`; it covers ``previous`` too).
    previous : ipsreport.editions.locate.Previous, optional
        With ``render --previous``: the comparison is published as
        ``tbl-edition-change`` (:func:`ipsreport.editions.published.with_edition_change`).
    """

    def __init__(self, data_dir: Path, settings: Any, cache_dir: Path, inputs: str, previous: Any = None) -> None:
        self.data_dir, self.settings, self.cache_dir = Path(data_dir), settings, Path(cache_dir)
        self.inputs, self.previous = inputs, previous
        self._thread: threading.Thread | None = None
        self._kept: dict[str, bytes] | None = None
        self._key_in_store = ""
        self._results: Any = None
        self._error: BaseException | None = None

    def __repr__(self) -> str:
        return f"ResultsBundle({self.data_dir})"

    def compute(self, sources: Sequence[Path]):
        """The pipeline on the book's data: :class:`~ipsreport.results.Results` (in the calling thread)."""
        from ipsreport import pipeline
        from ipsreport.verdicts import validate_shared

        report = validate_shared(self.data_dir, self.cache_dir)
        results = pipeline.run(self.data_dir, self.settings, report=report, chapters=sources)
        if self.previous is not None:
            from ipsreport.editions.published import with_edition_change

            results = with_edition_change(results, self.previous, self.data_dir)
        return results

    def _key(self, sources: Sequence[Path]) -> str:
        """What the bundle depends on beyond ``inputs``: the printed facts, the render date, the commit."""
        from ipsreport.facts.provenance import git_commit, render_date
        from ipsreport.results.build import printed_facts

        return entry_key(BUNDLE, inputs=self.inputs, facts="\n".join(printed_facts(sources)),
                         date=render_date().isoformat(), commit=git_commit())

    def _work(self, sources: Sequence[Path]) -> None:
        """In the background: find a kept bundle of the same key, or run the pipeline."""
        try:
            with _ONE_AT_A_TIME:
                self._key_in_store = self._key(sources)
                kept = open_store(self.cache_dir).get(self._key_in_store)
                if _is_bundle(kept):
                    self._kept = kept
                else:
                    self._results = self.compute(sources)
        except BaseException as exc:  # handed to write(), in the render's thread
            self._error = exc

    def start(self, sources: Sequence[Path]) -> None:
        """Begin in the background (the chapters run meanwhile): copy a kept bundle, or run the pipeline.

        Even the imports happen in the background, so a render whose bundle
        is kept pays nothing on its critical path.
        """
        self._results, self._error, self._kept = None, None, None
        self._thread = threading.Thread(target=self._work, args=(tuple(sources),), daemon=True,
                                        name=f"ipsreport-results-{self.data_dir.name}")
        self._thread.start()

    def write(self, folder: Path) -> None:
        """Wait for the background work and write ``folder/resultater/``.

        Raises
        ------
        ipsreport.render.base.RenderError
            When the run failed; the render stops and the previous output stays.
        """
        from ipsreport.render.base import RenderError
        from ipsreport.results import BUNDLE_DIR, write_bundle

        if self._thread is None:
            raise RenderError("resultatsættet blev aldrig beregnet (start blev ikke kaldt); intet blev skiftet ud.")
        self._thread.join()
        if self._error is not None:
            detail = " ".join(f"{type(self._error).__name__}: {self._error}".split())
            raise RenderError(f"resultatsættet ({BUNDLE_DIR}/) kunne ikke laves: {detail}") from self._error
        if self._results is None:  # kept from an earlier render of the same inputs
            target = Path(folder) / BUNDLE_DIR
            shutil.rmtree(target, ignore_errors=True)
            for name, data in self._kept.items():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                (target / name).write_bytes(data)
            return
        written = write_bundle(self._results, folder)
        # Kept as its files' bytes: a store that cannot be written only costs the next render a run.
        files = {p.relative_to(written).as_posix(): p.read_bytes() for p in sorted(written.rglob("*")) if p.is_file()}
        open_store(self.cache_dir).put(self._key_in_store, files)


def _is_bundle(kept: Any) -> bool:
    """Whether a store entry is a bundle's files: ``bundle.json`` and relative names below the folder, as bytes."""
    if not isinstance(kept, dict) or "bundle.json" not in kept:
        return False
    names = [PurePosixPath(name) for name in kept if isinstance(name, str)]
    return len(names) == len(kept) and all(
        not n.is_absolute() and ".." not in n.parts for n in names) and all(isinstance(v, bytes) for v in kept.values())
