"""The render's run of the pipeline: once per book, in the command, before any chapter.

:class:`ResultsBundle` is the book's :class:`~ipsreport.render.hooks.Attachment`
(:func:`ipsreport.book.hooks.book_hooks` hands it to the engine). Its
:meth:`~ResultsBundle.prepare` runs :func:`ipsreport.pipeline.trace` on the
book's data and saves the run in the render's one disk cache (an entry of
kind ``run``, :mod:`ipsreport.results.saved`) from the validation the
command made (:attr:`~ResultsBundle.validation`, handed over once, so a
render reads or makes the data's validation exactly once); the engine calls
:meth:`~ResultsBundle.start` before the chapters run (the command may call
:meth:`~ResultsBundle.prepare` earlier), and the chapters get that folder as
their parameter ``results``. :meth:`~ResultsBundle.write` writes
``resultater/`` into the book's temporary folder, which replaces the output
only when everything succeeded, so a failed render never leaves a bundle
that does not belong to the book beside it.

The run's key is the book's ``cache_inputs`` (data, settings with the render
date, codebook, published numbers, package source and environment:
:func:`ipsreport.book.keys.inputs_key`) and the git commit: a render after a
prose edit reads the saved run instead of running the pipeline again. Old runs
age out by the store's one pruning policy (:mod:`ipsreport.render.store`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

__all__ = ["ResultsBundle"]

#: One pipeline run at a time in this process: some steps are not thread-safe (Table 9 records the
#: fit's warnings with ``warnings.catch_warnings``, whose state is global).
_ONE_AT_A_TIME = threading.Lock()


class ResultsBundle:
    """Runs the pipeline for one book, saves the run for its chapters and writes its bundle.

    Parameters
    ----------
    data_dir : Path
        The book's data folder.
    settings : Settings
        Resolved once for the render (:func:`ipsreport.book.hooks.resolve_settings`).
    cache_dir : Path
        The render's store (:mod:`ipsreport.render.store`): the validated data
        (:func:`ipsreport.inputs.verdicts.validate_shared`) and the saved runs.
    inputs : str
        The book's ``cache_inputs`` (:func:`ipsreport.book.keys.inputs_key`; it covers ``previous`` too).
    write : bool, default True
        Write ``resultater/`` into the book (a preview does not).
    validation : ValidationReport, optional
        The command's validation of ``data_dir``; see :attr:`validation`.

    Attributes
    ----------
    validation : ValidationReport or None
        The validation the run is made from. The command validates before
        the engine starts (:func:`ipsreport.cli._checked_inputs`,
        :func:`ipsreport.book.sites.render_by_site`) and sets it, here or
        after the hooks were made; the run then uses that very report instead
        of reading the stored one again. Left ``None`` (a test, a plain
        ``quarto render``), :meth:`prepare` reads or makes it once
        (:func:`ipsreport.inputs.verdicts.validate_shared`) and keeps it here.
    """

    def __init__(self, data_dir: Path, settings: Any, cache_dir: Path, inputs: str, write: bool = True,
                 validation: Any = None) -> None:
        from ipsreport.results.software import git_commit
        from ipsreport.results.saved import run_place

        self.data_dir, self.settings, self.cache_dir = Path(data_dir), settings, Path(cache_dir)
        self.inputs, self.writes, self.validation = inputs, write, validation
        #: Where the run is saved (the store's folder and the entry's key): the chapters' parameter ``results``.
        self.folder = run_place(self.cache_dir, f"{inputs}\n{git_commit()}")
        self._run: Any = None
        self._sources: tuple[Path, ...] | None = None

    def __repr__(self) -> str:
        return f"ResultsBundle({self.data_dir})"

    def prepare(self, sources: Sequence[Path] | None = None):
        """The book's run: read from :attr:`folder` when saved, else the pipeline run now and saved.

        The pipeline runs on :attr:`validation` (read or made here only when
        the command handed none).

        Parameters
        ----------
        sources : sequence of Path, optional
            The book's chapter sources (default: the project's); their printed facts are published.

        Returns
        -------
        ipsreport.pipeline.PipelineResult
        """
        from ipsreport import pipeline
        from ipsreport.results.saved import RunMissing, open_run, save_run
        from ipsreport.inputs.verdicts import validate_shared

        with _ONE_AT_A_TIME:
            if self._run is None:
                try:
                    self._run = open_run(self.folder)
                except RunMissing:  # none saved (or one the store could not read back): run the pipeline
                    if self.validation is None:
                        self.validation = validate_shared(self.data_dir, self.cache_dir)
                    self._run = pipeline.trace(self.data_dir, self.settings, report=self.validation, chapters=sources)
                    save_run(self._run, self.folder)
            if sources is not None:
                self._sources = tuple(sources)
        return self._run

    def start(self, sources: Sequence[Path]) -> None:
        """The engine will write the book from ``sources``: the run, saved before any chapter runs.

        Raises
        ------
        ipsreport.render.base.RenderError
            When the pipeline fails; nothing is written and the previous output stays.
        """
        from ipsreport.render.base import RenderError

        try:
            self.prepare(sources=tuple(sources))
        except RenderError:
            raise
        except Exception as exc:
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())
            raise RenderError(f"beregningerne til rapporten kunne ikke laves: {detail}") from exc

    def write(self, folder: Path) -> None:
        """Write ``folder/resultater/`` from the run (nothing when the bundle is not wanted).

        The run's results hold everything, the edition comparison included
        (:func:`ipsreport.pipeline.compare`); nothing is computed again here.

        Raises
        ------
        ipsreport.render.base.RenderError
            When the bundle cannot be made; the render stops and the previous output stays.
        """
        from ipsreport import pipeline
        from ipsreport.render.base import RenderError
        from ipsreport.results import BUNDLE_DIR, write_bundle
        from ipsreport.results.build import published_facts

        if not self.writes:
            return
        if self._run is None:
            raise RenderError("resultatsættet blev aldrig beregnet (start blev ikke kaldt); intet blev skiftet ud.")
        run = self._run
        try:
            results = run.results
            printed = tuple(sorted(r.key for r in results.facts))
            if self._sources is not None and published_facts(run.facts, self._sources) != printed:
                # The run's results were made for other chapters (a saved run kept across a prose edit).
                results = pipeline.results(run.edition, run.disclosed, run.validation, self._sources, run.comparison)
            write_bundle(results, folder)
        except Exception as exc:
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())
            raise RenderError(f"resultatsættet ({BUNDLE_DIR}/) kunne ikke laves: {detail}") from exc
