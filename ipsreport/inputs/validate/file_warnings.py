"""Warnings about a data file as a whole: unknown columns, SPSS value labels, manifest checksums."""

from __future__ import annotations

from pathlib import Path

from ipsreport.inputs.codebook.codebook import Dataset
from ipsreport.inputs.load import Source, Violation

__all__ = ["unknown_column_warnings", "label_warnings", "manifest_warnings"]

#: En dash, em dash and minus sign read as a hyphen when labels are compared.
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-"})


def unknown_column_warnings(source: Source, dataset: Dataset, columns) -> list[Violation]:
    """Warn about each column of a file that the codebook does not describe (it is not used).

    Parameters
    ----------
    source : Source
        The file read.
    dataset : Dataset
        Its codebook entry.
    columns : iterable
        The file's column names, as read.

    Returns
    -------
    list of Violation
        One warning per unknown column (rule ``ukendt_kolonne``).
    """
    return [
        Violation(
            source.file, None, str(col), None, "ukendt_kolonne",
            f"{source.file}: kolonnen {col} findes ikke i kodebogen og bliver ikke brugt (regel: ukendt_kolonne)",
        )
        for col in columns
        if col not in dataset.names
    ]


def label_warnings(source: Source, dataset: Dataset) -> list[Violation]:
    """Warn where an SPSS file's value labels disagree with the codebook."""
    out = []

    def norm(s: str) -> str:
        # "2-4 måneder" in a file is the codebook's "2–4 måneder": dashes are typography, not meaning.
        return " ".join(str(s).translate(_DASHES).split()).casefold()

    for var in dataset.variables:
        labels = source.value_labels.get(var.name)
        if not labels or var.type != "category":
            continue
        for code, label in labels.items():
            expected = var.values.get(code)
            if expected is not None and norm(expected) != norm(label):
                out.append(Violation(
                    source.file, None, var.name, str(code), "værdimærker",
                    f"{source.file}, kolonne {var.name}: koden {code} hedder \"{label}\" i filen, men "
                    f"\"{expected}\" i kodebogen – tjek at koderne betyder det samme (regel: værdimærker)",
                ))
    return out


def manifest_warnings(folder: Path, sources: dict[str, Source]) -> list[Violation]:
    """Warn when a file differs from the SHA-256 its folder's manifest records.

    Generated folders (the synthetic twin) list each file's checksum; a
    mismatch means the data were edited after generation, so published
    checksums (Reproduktion appendix) would no longer match.
    """
    import yaml

    path = folder / "manifest.yml"
    if not path.is_file():
        return []
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return [Violation("manifest.yml", None, None, None, "manifest",
                          "manifest.yml: filen kan ikke læses som YAML (regel: manifest)")]
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        return []
    out = []
    for source in sources.values():
        entry = files.get(source.file)
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if expected and source.sha256 and expected != source.sha256:
            out.append(Violation(
                source.file, None, None, None, "manifest",
                f"{source.file}: filens SHA-256 svarer ikke til manifest.yml; filen er ændret, efter at "
                "manifestet blev skrevet (regel: manifest)",
            ))
    return out
