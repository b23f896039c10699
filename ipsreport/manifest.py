"""Is a data folder one of ipsreport's own synthetic data sets? Checked, not trusted.

A data folder may carry a ``manifest.yml`` saying ``synthetic: true``. The
report then says on its cover and in the text that no real person is
described, and the shipped twin renders without the small-number rule. Both
are claims a funder relies on, so they rest on evidence rather than on the
file's say-so: a manifest copied next to a real export (it happens: an
evaluator copies the twin's folder and replaces the CSV files) must not turn
real data into "synthetic" data.

The evidence is the manifest's own list of files: every data file in the
folder must be listed with the SHA-256 of its bytes, and every listed file
must be there with that checksum. Anything else makes the folder *real*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ipsreport.datafiles import file_sha256, find_data_files

__all__ = ["MANIFEST_NAME", "TWIN_GENERATOR", "ManifestCheck", "check_manifest"]

MANIFEST_NAME = "manifest.yml"
#: ``generator`` of the calibrated twin (``ipsreport.synth.twin.write_twin``).
TWIN_GENERATOR = "ipsreport.synth.twin"


@dataclass(frozen=True)
class ManifestCheck:
    """The verdict on a data folder's ``manifest.yml``.

    Attributes
    ----------
    manifest : dict
        The manifest's contents (empty when there is none or it is unreadable).
    claims_synthetic : bool
        The manifest says ``synthetic: true``.
    verified : bool
        The claim holds: every data file is listed with a matching SHA-256.
    problems : list of str
        Why a claim was not verified (Danish, one sentence each).
    """

    manifest: dict[str, Any] = field(default_factory=dict)
    claims_synthetic: bool = False
    verified: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        """Verified synthetic data (made by ipsreport's generators)."""
        return self.claims_synthetic and self.verified

    @property
    def twin(self) -> bool:
        """The verified, calibrated twin of the 2025 cohort."""
        return self.synthetic and str(self.manifest.get("generator", "")) == TWIN_GENERATOR


def check_manifest(data_dir: str | Path) -> ManifestCheck:
    """Read ``data_dir/manifest.yml`` and verify its checksums against the data files.

    Parameters
    ----------
    data_dir : str or Path

    Returns
    -------
    ManifestCheck
        ``verified`` only when the manifest claims synthetic data and every
        data file found in the folder is listed with its exact SHA-256.
    """
    folder = Path(data_dir)
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return ManifestCheck()
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ManifestCheck(problems=[f"{MANIFEST_NAME} kan ikke læses; data behandles som rigtige data."])
    if not isinstance(manifest, dict):
        return ManifestCheck(problems=[f"{MANIFEST_NAME} er ikke en liste af nøgle: værdi; data behandles som rigtige data."])
    claims = manifest.get("synthetic") is True
    if not claims:
        return ManifestCheck(manifest=manifest)
    listed = manifest.get("files")
    listed = listed if isinstance(listed, dict) else {}
    files, _ = find_data_files(folder)
    problems = []
    if not files:
        problems.append("mappen indeholder ingen datafiler")
    for data_file in files.values():
        entry = listed.get(data_file.name)
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if expected is None:
            problems.append(f"{data_file.name} står ikke i {MANIFEST_NAME}")
        elif file_sha256(data_file) != expected:
            problems.append(f"{data_file.name} er ændret, siden {MANIFEST_NAME} blev skrevet (kontrolsummen passer ikke)")
    for name in listed:
        if not (folder / name).is_file():
            problems.append(f"{name} står i {MANIFEST_NAME}, men findes ikke i mappen")
    return ManifestCheck(manifest=manifest, claims_synthetic=True, verified=not problems, problems=problems)
