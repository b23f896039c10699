"""The data of one report edition, loaded and validated once per process.

The pipeline's load step (:func:`ipsreport.pipeline.load`) builds it from
the validation the command made. Loading and validating the three files costs
far more than most computations on them, so the result is cached per
process, keyed on the resolved data folder, the SHA-256 of its files and the
settings: editing a file gives a fresh load, calling again with unchanged
data and equal settings returns the very same :class:`Edition` (so the
command's disclosure gate and the pipeline share one edition and its
summaries).

The frames are shared between callers: treat them as read-only (copy before
modifying).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ipsreport.inputs.codebook.codebook import Codebook, load_codebook
from ipsreport.inputs.cohort import cohort_masks
from ipsreport.inputs.consistency import require_consistent
from ipsreport.config.fields import resolve_min_cell
from ipsreport.inputs.manifest import check_manifest
from ipsreport.inputs.load import ALL_DATASETS, Source, Violation, file_sha256, find_data_files
from ipsreport.config.settings import Settings, get_settings
from ipsreport.inputs.validate import DataValidationError, ValidationReport, validate_dir

__all__ = ["edition", "Edition"]

MANIFEST_NAME = "manifest.yml"


@dataclass(frozen=True, eq=False)
class Edition:
    """Validated, typed data of one edition (see ``docs/CONTRACT.md``).

    Attributes
    ----------
    registry, baseline, followup : DataFrame
        One row per person of the edition's cohort (setting ``cohort``,
        :mod:`ipsreport.inputs.cohort`; RangeIndex), codebook columns in codebook order.
        Categories and integers are ``Int64`` codes, numbers ``Float64``,
        dates ``datetime64[ns]``, ids and strings ``string``.
    fidelity : DataFrame or None
        The optional fidelity reviews (one row per review, typed like the
        others); ``None`` when the folder holds no ``fidelity`` file. A file
        with only its header row gives an empty frame.
    codebook : Codebook
    settings : Settings
        With ``data_dir`` equal to :attr:`data_dir`.
    sources : list of Source
        One per file read: ``name, path, sha256, format`` (+ detected
        dialect); the fidelity file's only when it was supplied.
    synthetic : bool
        True only when the package recognises the data files byte for byte
        as its own synthetic data (the twin, a shipped example or a sampled
        cohort it makes again; :func:`ipsreport.inputs.manifest.check_manifest`),
        whatever ``manifest.yml`` says.
    twin : bool
        The calibrated twin (its checksums are listed in
        :mod:`ipsreport.synth.checksums`); the only data rendered without the
        small-number rule by default.
    manifest : dict
        Contents of ``manifest.yml`` (empty when there is none).
    manifest_problems : list of str
        Why a manifest's claim of synthetic data was not believed (Danish).
    data_dir : Path
        The resolved data folder.
    warnings : list of Violation
        Validation warnings (e.g. unknown extra columns).
    source_rows : dict
        Dataset name -> array of the source-file row number of each frame
        row (header = row 1 for CSV/XLSX), for pointing users back to a file.
    """

    registry: pd.DataFrame
    baseline: pd.DataFrame
    followup: pd.DataFrame
    codebook: Codebook
    settings: Settings
    sources: list[Source]
    synthetic: bool
    manifest: dict[str, Any]
    data_dir: Path
    warnings: list[Violation] = field(default_factory=list)
    twin: bool = False
    manifest_problems: list[str] = field(default_factory=list)
    source_rows: dict[str, Any] = field(default_factory=dict, repr=False)
    fidelity: pd.DataFrame | None = None

    def frame(self, name: str) -> pd.DataFrame | None:
        """The frame of dataset ``name`` (``registry``, ``baseline``, ``followup`` or ``fidelity``).

        ``None`` for an optional dataset that was not supplied.
        """
        if name not in ALL_DATASETS:
            raise KeyError(f"unknown dataset {name!r}; use one of {ALL_DATASETS}")
        return getattr(self, name)

    def __repr__(self) -> str:
        rows = ", ".join(f"{n}={len(self.frame(n))}" for n in ALL_DATASETS if self.frame(n) is not None)
        kind = "synthetic" if self.synthetic else "real"
        return f"Edition({self.data_dir}, {kind}, {rows})"


_CACHE: dict[tuple, Edition] = {}
_REPORTS: dict[tuple, Any] = {}


def clear_cache() -> None:
    """Forget every cached edition (for tests and long-running sessions)."""
    _CACHE.clear()
    _REPORTS.clear()


def _read_manifest(folder: Path) -> tuple[dict[str, Any], str | None]:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}, None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: manifestet kan ikke læses som YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: manifestet skal være en YAML-ordbog (nøgle: værdi)")
    return data, file_sha256(path)


def _resolve(data_dir: str | Path | None, settings: Settings | dict | None) -> tuple[Path, Settings]:
    if isinstance(settings, Settings):
        resolved_settings = settings
    else:
        resolved_settings = get_settings(overrides=settings or None)
    if data_dir is not None:
        folder = Path(data_dir).expanduser().resolve()
    elif settings is not None:
        # A Settings object, or overrides that may name their own data_dir.
        folder = Path(resolved_settings.data_dir).expanduser().resolve()
    else:
        from ipsreport.config.settings import default_data_dir

        folder = default_data_dir()
    if resolved_settings.data_dir != folder:
        resolved_settings = resolved_settings.with_(data_dir=folder)
    return folder, resolved_settings


def edition(data_dir: str | Path | None = None, settings: Settings | dict | None = None,
            report: ValidationReport | None = None) -> Edition:
    """Load, validate and type the data of an edition (cached per process).

    Parameters
    ----------
    data_dir : str or Path, optional
        Data folder; defaults to the ``data_dir`` of ``settings`` when given,
        else to :func:`ipsreport.config.settings.default_data_dir` (the edition settings).
    settings : Settings or dict, optional
        Resolved settings, or overrides passed to
        :func:`ipsreport.config.settings.get_settings`.
    report : ValidationReport, optional
        The validation of this folder, when the caller has already made it
        (:func:`ipsreport.pipeline.validate`); else a fresh validation.

    Returns
    -------
    Edition

    Raises
    ------
    ipsreport.inputs.validate.DataValidationError
        When the data break any codebook rule; ``.report`` lists every problem.
    ipsreport.inputs.consistency.DataSettingsError
        When the settings contradict the data (a date after
        ``evaluation_end``, an ``edition_year`` before the data's last year).
    """
    folder, resolved_settings = _resolve(data_dir, settings)
    codebook: Codebook = load_codebook()
    files, _problems = find_data_files(folder)
    manifest, manifest_sha = _read_manifest(folder) if folder.is_dir() else ({}, None)
    data_key = (
        str(folder),
        tuple(sorted((name, str(path), file_sha256(path)) for name, path in files.items())),
        manifest_sha,
        str(codebook.path),
    )
    key = (data_key, resolved_settings)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    # Settings do not change the data: other settings reuse the validated frames.
    loaded = _REPORTS.get(data_key)
    if loaded is None:
        if report is None:
            report = validate_dir(folder, codebook)
        if not report.ok:
            raise DataValidationError(report)
        loaded = (report, {name: report.frames[name].reset_index(drop=True)
                           for name in ALL_DATASETS if name in report.frames})
        _REPORTS[data_key] = loaded
    report, frames = loaded
    # Settings that contradict the data (e.g. dates after evaluation_end) stop the chapter too.
    require_consistent(report, resolved_settings, codebook)
    check = check_manifest(folder)
    # The small-number rule is decided here, once, for everything downstream.
    min_cell = resolve_min_cell(resolved_settings.min_cell, twin=check.twin)
    if resolved_settings.min_cell != min_cell:
        resolved_settings = resolved_settings.with_(min_cell=min_cell)
    # Which persons the edition covers (setting cohort), decided here once for everything downstream.
    rows = {name: report.frames[name].index.to_numpy() for name in ALL_DATASETS if name in report.frames}
    masks = cohort_masks(frames, resolved_settings)
    if masks is not None:
        frames = {name: frame[masks[name]].reset_index(drop=True) if name in masks else frame
                  for name, frame in frames.items()}
        rows = {name: found[masks[name]] if name in masks else found for name, found in rows.items()}
    result = Edition(
        registry=frames["registry"],
        baseline=frames["baseline"],
        followup=frames["followup"],
        fidelity=frames.get("fidelity"),
        codebook=codebook,
        settings=resolved_settings,
        sources=[report.sources[name] for name in ALL_DATASETS if name in report.sources],
        synthetic=check.synthetic,
        manifest=manifest,
        twin=check.twin,
        manifest_problems=list(check.problems),
        data_dir=folder,
        warnings=list(report.sorted_warnings()),
        source_rows=rows,
    )
    _CACHE[key] = result
    return result
