"""The report's side of the render: what the IPS UNG book hands the engine.

The render engine (:mod:`ipsreport.render`) knows nothing of the report. This
module builds its :class:`~ipsreport.render.hooks.BookHooks`:

* ``parameters``: one, ``results``, the folder of the book's saved run
  (:class:`ipsreport.results.publish.ResultsBundle`: the pipeline run once in
  this process before any chapter, :mod:`ipsreport.results.saved`); every
  chapter's parameters cell receives it and reads it with ``ips.results``;
* ``kernel_preamble``: imports every kernel warms up once (:data:`PREAMBLE`);
* ``cache_inputs``: :func:`ipsreport.book.keys.inputs_key` over the data,
  codebook, cases, published numbers, package source, environment and the
  resolved settings;
* ``cover``: edition, evaluator, funder and, only for verified synthetic data,
  a notice (:func:`cover`);
* ``watch``: the data folder, the package, the edition settings file and the
  codebook, cases and published numbers (what ``cache_inputs`` covers);
  ``protected_paths``: the data folder;
* ``attachment``: the same :class:`~ipsreport.results.publish.ResultsBundle`,
  which writes ``resultater/`` beside the book (a preview does not).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ipsreport import paths
from ipsreport.book.keys import inputs_key
from ipsreport.render.hooks import BookHooks, Cover

__all__ = ["PREAMBLE", "book_hooks", "cover", "default_cache_dir", "resolve_settings"]

#: Run once in every chapter kernel: the imports all chapters share, paid once per kernel.
PREAMBLE = """\
import ipsreport.api, pandas
"""

#: Name of the data folder in messages about the output folder (Danish: the user reads them).
DATA_FOLDER_NAME = "datamappen"


def default_cache_dir() -> Path:
    """``$IPSREPORT_CACHE_DIR``, else the project's ``.ipsreport-cache``."""
    return Path(os.environ.get("IPSREPORT_CACHE_DIR") or paths.PROJECT_DIR / ".ipsreport-cache")


def resolve_settings(data_dir: Path | None, overrides: dict[str, Any] | None):
    """The settings of a render, resolved once: ``data_dir`` (``--data``) over every layer, the render date fixed.

    Returns
    -------
    ipsreport.config.settings.Settings
        With ``render_date`` set (today unless a layer gives it), so the book,
        its bundle and its cache keys agree on one date.
    """
    from ipsreport.results.software import today
    from ipsreport.config.settings import get_settings

    # The overrides are the command line's own layer, so a bad value is reported as coming from it.
    settings = get_settings(overrides)
    if data_dir is not None:
        settings = settings.with_(data_dir=Path(data_dir).expanduser().resolve())
    if settings.render_date is None:
        settings = settings.with_(render_date=today())
    return settings


def _settings_json(settings) -> str:
    """The resolved settings as stable text, for the cache key."""
    from ipsreport.config.settings import settings_to_json

    return settings_to_json(settings)


def cover(settings, data_dir: Path) -> Cover:
    """The report's cover: edition year, evaluator, funder and the synthetic-data notice.

    The notice appears only when :func:`ipsreport.inputs.manifest.check_manifest`
    verifies the folder's ``manifest.yml`` against the data files (the same
    check behind ``Edition.synthetic``), so a manifest copied next to real
    data never puts "synthetic" on a report about real people.
    """
    from ipsreport.inputs.manifest import check_manifest
    from ipsreport.inputs.plaintext import plain

    # The cover is no markdown: the engine hands its texts to Typst as strings
    # and to HTML escaped, so they get the text a reader sees (no * markers).
    lines = []
    if settings.evaluator:
        lines.append(f"Evaluering: {plain(settings.evaluator)}")
    if settings.funder:
        lines.append(f"Finansieret af: {plain(settings.funder)}")
    notice = ""
    if check_manifest(data_dir).synthetic:
        notice = "Syntetiske data: tallene i denne udgave beskriver ingen virkelige personer."
    return Cover(
        edition=f"Udgave {settings.edition_year}" if settings.edition_year else "",
        lines=tuple(lines),
        notice=notice,
        title=plain(settings.title),
        subtitle=plain(settings.subtitle),
    )


def book_hooks(
    data_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
    cache_dir: Path | None = None,
    settings=None,
    results: bool = True,
    previous=None,
    validation=None,
) -> BookHooks:
    """Everything the engine needs to render the report on ``data_dir``.

    Parameters
    ----------
    data_dir : Path, optional
        Default: the settings' ``data_dir``.
    overrides : dict, optional
        Settings overrides (``--set``).
    cache_dir : Path, optional
        Where the validated data and the saved runs are kept; default
        :func:`default_cache_dir`.
    settings : Settings, optional
        Already resolved by :func:`resolve_settings` with the same arguments.
    results : bool, default True
        Write the results bundle into the book's folder (a preview does not).
    previous : ipsreport.results.editions.locate.Previous, optional
        The earlier editions the settings name (``render --previous``),
        checked by the command: their bundles' bytes are part of the cache key.
    validation : ValidationReport, optional
        The command's validation of the data, handed to the run
        (:attr:`ipsreport.results.publish.ResultsBundle.validation`) so it is not read again.
    """
    from ipsreport.results.publish import ResultsBundle

    settings = settings if settings is not None else resolve_settings(data_dir, overrides)
    data = Path(settings.data_dir).expanduser().resolve()
    key_text = _settings_json(settings)
    if previous is not None:
        key_text += "\nprevious:" + previous.key()
    inputs = inputs_key(data, key_text)
    bundle = ResultsBundle(data, settings, cache_dir or default_cache_dir(), inputs, write=results,
                           validation=validation)
    return BookHooks(
        # The one hand-off to the chapters: their parameters cell receives the saved run's folder.
        parameters={"results": str(bundle.folder)},
        kernel_preamble=PREAMBLE,
        cache_inputs=inputs,
        cover=cover(settings, data),
        watch=(data, paths.PACKAGE_DIR, paths.EDITION_SETTINGS_PATH,
               paths.CODEBOOK_PATH, paths.CASES_DIR, paths.PUBLISHED_PATH),
        protected_paths={DATA_FOLDER_NAME: data},
        attachment=bundle,
    )
