"""The report's side of the render: what the IPS UNG book hands the engine.

The render engine (:mod:`ipsreport.render`) knows nothing of the report. This
module builds its :class:`~ipsreport.render.hooks.BookHooks`:

* ``kernel_env``: the data folder (``IPSREPORT_DATA``), the resolved settings
  as one JSON value (``IPSREPORT_SETTINGS``, :func:`ipsreport.settings.settings_to_json`;
  read back as the top layer by :func:`ipsreport.settings.get_settings`) and the validated
  data (``IPSREPORT_VALIDATED``: the pickled report the CLI wrote when it
  validated, read by :func:`ipsreport.edition.edition`);
* ``kernel_preamble``: imports every kernel warms up once (:data:`PREAMBLE`);
* ``cache_inputs``: :func:`ipsreport.bookkeys.inputs_key` over the data,
  codebook, cases, published numbers, package source, environment and the
  resolved settings;
* ``cover``: edition, evaluator, funder and, only for verified synthetic data,
  a notice (:func:`cover`);
* ``watch``: the data folder, the package, the edition settings file and the
  codebook, cases and published numbers (what ``cache_inputs`` covers);
  ``protected_paths``: the data folder;
* ``attachment``: the results bundle, ``resultater/`` beside the book
  (:class:`ipsreport.results.publish.ResultsBundle`: the pipeline run once
  per book in this process).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ipsreport import paths
from ipsreport.bookkeys import inputs_key
from ipsreport.render.hooks import BookHooks, Cover
from ipsreport.verdicts import VALIDATED_ENV, shared_path

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


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def resolve_settings(data_dir: Path | None, overrides: dict[str, Any] | None):
    """The settings exactly as the chapter kernels will resolve them (same environment).

    Returns
    -------
    ipsreport.settings.Settings
    """
    from ipsreport.settings import get_settings

    # Only the data folder goes through the environment (it wins over every
    # layer, as in a kernel); the overrides are the command line's own layer,
    # so a bad value is reported as coming from the command line.
    folder = {"IPSREPORT_DATA": str(Path(data_dir).expanduser().resolve())} if data_dir is not None else {}
    with _environ(folder):
        return get_settings(overrides)


def _settings_json(settings) -> str:
    """The resolved settings as stable text, for the cache key."""
    from ipsreport.settings import settings_to_json

    return settings_to_json(settings)


def cover(settings, data_dir: Path) -> Cover:
    """The report's cover: edition year, evaluator, funder and the synthetic-data notice.

    The notice appears only when :func:`ipsreport.manifest.check_manifest`
    verifies the folder's ``manifest.yml`` against the data files (the same
    check behind ``Edition.synthetic``), so a manifest copied next to real
    data never puts "synthetic" on a report about real people.
    """
    from ipsreport.manifest import check_manifest
    from ipsreport.plaintext import plain

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
) -> BookHooks:
    """Everything the engine needs to render the report on ``data_dir``.

    Parameters
    ----------
    data_dir : Path, optional
        Default: the settings' ``data_dir`` (``IPSREPORT_DATA`` or the
        edition settings).
    overrides : dict, optional
        Settings overrides (``--set``).
    cache_dir : Path, optional
        Where the validated data are kept for the kernels; default
        :func:`default_cache_dir`. Validate with
        :func:`ipsreport.verdicts.validate_shared` and the same folder first,
        or each kernel validates for itself.
    settings : Settings, optional
        Already resolved by :func:`resolve_settings` with the same arguments.
    results : bool, default True
        Write the results bundle into the book's folder (a preview does not).
    previous : ipsreport.editions.locate.Previous, optional
        Earlier editions to compare with (``render --previous``): handed to
        the kernels as ``IPSREPORT_PREVIOUS`` and part of the cache key.
    """
    from ipsreport.results.publish import ResultsBundle

    settings = settings if settings is not None else resolve_settings(data_dir, overrides)
    data = Path(settings.data_dir).expanduser().resolve()
    # The kernels receive the settings resolved here, as one value: every
    # chapter sees exactly what the command line checked, with no re-layering.
    env = {
        "IPSREPORT_DATA": str(data),
        "IPSREPORT_SETTINGS": _settings_json(settings),
        VALIDATED_ENV: str(shared_path(data, cache_dir or default_cache_dir())),
    }
    key_text = _settings_json(settings)
    if previous is not None:
        from ipsreport.editions.locate import PREVIOUS_ENV

        # The one hand-off of the edition comparison: which bundles (and data folder) to compare with.
        env[PREVIOUS_ENV] = previous.to_json()
        key_text += "\nprevious:" + previous.key()
    inputs = inputs_key(data, key_text)
    return BookHooks(
        kernel_env=env,
        kernel_preamble=PREAMBLE,
        cache_inputs=inputs,
        cover=cover(settings, data),
        watch=(data, paths.PACKAGE_DIR, paths.EDITION_SETTINGS_PATH,
               paths.CODEBOOK_PATH, paths.CASES_DIR, paths.PUBLISHED_PATH),
        protected_paths={DATA_FOLDER_NAME: data},
        attachment=(ResultsBundle(data, settings, cache_dir or default_cache_dir(), inputs, previous=previous)
                    if results else None),
    )
