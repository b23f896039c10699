"""Is a data folder one of ipsreport's own synthetic data sets? Recognised by the package, never by the folder.

A data folder may carry a ``manifest.yml`` saying ``synthetic: true``. The
report then says on its cover and in the text that no real person is
described, and the shipped twin renders without the small-number rule. Both
are claims a funder relies on, and a manifest is a text file anybody can
write (with the real files' own checksums in it), so it proves nothing.

The evidence is in the package instead: the data files must be, byte for
byte, data ipsreport itself makes or ships:

* the synthetic twin, ``data/synthetic/`` (its checksums are listed in
  :mod:`ipsreport.synth.checksums`): the only data rendered without the rule;
* a shipped example, ``data/examples/*`` (listed there too): synthetic, rule on;
* a sampled cohort (``ipsreport synth --n``): its manifest names the
  generator's ``n``, ``sites`` and ``seed``, and the package makes the cohort
  again and compares the bytes: synthetic, rule on.

Anything else is *real*, whatever its manifest says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ipsreport.inputs.datafiles import file_sha256, find_data_files

__all__ = ["MANIFEST_NAME", "TWIN_GENERATOR", "SAMPLE_GENERATOR", "ManifestCheck", "check_manifest", "known_origin"]

MANIFEST_NAME = "manifest.yml"
#: ``generator`` of the calibrated twin (``ipsreport.synth.twin.write_twin``).
TWIN_GENERATOR = "ipsreport.synth.twin"
#: ``generator`` of a sampled cohort (``ipsreport.synth.sample.write_cohort``).
SAMPLE_GENERATOR = "ipsreport.synth.sample.write_cohort"


@dataclass(frozen=True)
class ManifestCheck:
    """The verdict on a data folder.

    Attributes
    ----------
    manifest : dict
        The manifest's contents (empty when there is none or it is unreadable).
    claims_synthetic : bool
        The manifest says ``synthetic: true``.
    origin : str or None
        What the package recognises the files as: ``"twin"``, ``"example"``
        or ``"sample"`` (see the module docstring); ``None`` for real data.
    problems : list of str
        Why a claim of synthetic data was not believed (Danish, one sentence each).
    """

    manifest: dict[str, Any] = field(default_factory=dict)
    claims_synthetic: bool = False
    origin: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """The package recognises the files as its own synthetic data."""
        return self.origin is not None

    @property
    def synthetic(self) -> bool:
        """Synthetic data ipsreport makes or ships (no real person)."""
        return self.origin is not None

    @property
    def twin(self) -> bool:
        """The calibrated twin of the 2025 cohort, byte for byte: the only data without the rule."""
        return self.origin == "twin"


def _checksums(folder: Path) -> dict[str, str]:
    files, _ = find_data_files(folder)
    return {path.name: file_sha256(path) for path in files.values()}


@lru_cache(maxsize=8)
def _sample_checksums(n: int, sites: int, seed: int) -> tuple[tuple[str, str], ...]:
    """The checksums :func:`ipsreport.synth.sample.write_cohort` gives these arguments (made again, in memory)."""
    import tempfile

    from ipsreport.synth.sample import write_cohort

    with tempfile.TemporaryDirectory(prefix="ipsreport-sample-") as tmp:
        folder = write_cohort(tmp, n, sites=sites, seed=seed)
        return tuple(sorted(_checksums(folder).items()))


def known_origin(checksums: dict[str, str], manifest: dict[str, Any]) -> str | None:
    """``"twin"``, ``"example"`` or ``"sample"`` when the files are ipsreport's own synthetic data, else ``None``.

    Parameters
    ----------
    checksums : dict
        Data file name -> SHA-256 of the folder's files.
    manifest : dict
        Read only for a sampled cohort's ``n``, ``sites`` and ``seed`` (the
        cohort is then made again and compared byte for byte).
    """
    from ipsreport.synth.checksums import EXAMPLES, TWIN

    if not checksums:
        return None
    if checksums == TWIN:
        return "twin"
    if any(checksums == example for example in EXAMPLES.values()):
        return "example"
    if manifest.get("generator") == SAMPLE_GENERATOR:
        try:
            n, sites, seed = int(manifest["n"]), int(manifest.get("sites", 1)), int(manifest.get("seed", 0))
        except (KeyError, TypeError, ValueError):
            return None
        # Beyond this size making the cohort again costs more than the label is worth: it stays real data.
        if 0 < n <= _SAMPLE_LIMIT and 0 < sites <= n and dict(_sample_checksums(n, sites, seed)) == checksums:
            return "sample"
    return None


#: The largest sampled cohort the package makes again to recognise it.
_SAMPLE_LIMIT = 20_000


def check_manifest(data_dir: str | Path) -> ManifestCheck:
    """Recognise the folder's data files as ipsreport's own synthetic data, or not.

    Parameters
    ----------
    data_dir : str or Path

    Returns
    -------
    ManifestCheck
        ``origin`` from the files' bytes alone (the manifest only names the
        arguments of a sampled cohort); ``problems`` say why a manifest's
        claim of synthetic data is not believed.
    """
    folder = Path(data_dir)
    path = folder / MANIFEST_NAME
    manifest: Any = {}
    problems: list[str] = []
    if path.is_file():
        try:
            manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            manifest = {}
            problems.append(f"{MANIFEST_NAME} kan ikke læses; data behandles som rigtige data.")
        if not isinstance(manifest, dict):
            manifest = {}
            problems.append(f"{MANIFEST_NAME} er ikke en liste af nøgle: værdi; data behandles som rigtige data.")
    claims = manifest.get("synthetic") is True
    checksums = _checksums(folder) if folder.is_dir() else {}
    origin = known_origin(checksums, manifest)
    if claims and origin is None:
        problems.append(_why_not(folder, manifest, checksums))
    return ManifestCheck(manifest=manifest, claims_synthetic=claims, origin=origin, problems=problems)


def _why_not(folder: Path, manifest: dict, checksums: dict[str, str]) -> str:
    """Why a claim of synthetic data is not believed, naming the files where the manifest's own list disagrees."""
    listed = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    details = []
    if not checksums:
        details.append("mappen indeholder ingen datafiler")
    for name, sha in sorted(checksums.items()):
        entry = listed.get(name)
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if expected is None:
            details.append(f"{name} står ikke i {MANIFEST_NAME}")
        elif expected != sha:
            details.append(f"{name} er ændret, siden {MANIFEST_NAME} blev skrevet (kontrolsummen passer ikke)")
    for name in listed:
        if not (folder / name).is_file():
            details.append(f"{name} står i {MANIFEST_NAME}, men findes ikke i mappen")
    detail = f" ({'; '.join(details)})" if details else ""
    return ("datafilerne er ikke ipsreports egne syntetiske data: hverken den syntetiske tvilling, et af de "
            f"medfølgende eksempler eller en kohorte, programmet selv kan danne igen{detail}")
