"""The results bundle on disk: :func:`write_bundle` and :func:`read_bundle`.

A bundle is the folder ``resultater/`` in a rendered book's output folder::

    resultater/
      bundle.json       schema version, edition, validation, data checksums, settings, software, file list
      facts.json        every fact the chapters print (and the numbers inside their sentences)
      model.json        Table 9
      tbl-<name>.json   the data of each table (one file per table label)
      fig-<name>.json   the data of each figure

Every file is UTF-8 JSON, one table row per line so a committed bundle diffs
line by line. ``bundle.json`` lists every other file with its SHA-256, so a
reader notices a file that is missing, edited or cut short. The fields are
documented in ``docs/RESULTS.md``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ipsreport.results.schema import (
    SCHEMA_VERSION, DataFile, Dataset, EditionInfo, FactRecord, Model, Results, Software, Verdict,
)

__all__ = ["BUNDLE_DIR", "MANIFEST", "FACTS_FILE", "MODEL_FILE", "BundleError", "BundleFile", "Manifest",
           "write_bundle", "read_bundle", "bundle_files"]

#: The bundle's folder inside the book's output folder.
BUNDLE_DIR = "resultater"
MANIFEST = "bundle.json"
FACTS_FILE = "facts.json"
MODEL_FILE = "model.json"


class BundleError(ValueError):
    """A bundle that cannot be read: missing, damaged, or of a newer schema (the message is Danish)."""


class BundleFile(BaseModel):
    """One file of the bundle besides ``bundle.json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="file name inside `resultater/`")
    sha256: str = Field(description="SHA-256 of its bytes")


class Manifest(BaseModel):
    """``bundle.json``: what the bundle is and which files it holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = Field(description=f"the bundle's schema version ({SCHEMA_VERSION})")
    edition: EditionInfo = Field(description="which edition, and the small-number rule in force")
    validation: Verdict = Field(description="the validation of the data folder")
    data_files: tuple[DataFile, ...] = Field(description="the data files read, with rows and SHA-256")
    settings: dict[str, Any] = Field(description="the resolved settings, every key of `docs/settings.md`")
    software: Software = Field(description="versions and commit")
    tables: tuple[str, ...] = Field(description="the table files, in report order (labels)")
    figures: tuple[str, ...] = Field(description="the figure files, in report order (labels)")
    files: tuple[BundleFile, ...] = Field(description="every other file with its SHA-256")


def _is_flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, (dict, list)) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return True


def _dumps(value: Any, indent: int = 0) -> str:
    """JSON with nested objects indented and every flat object or list (a table row) on one line."""
    if _is_flat(value):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [f"{inner}{_dumps(v, indent + 2)}" for v in value]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def _bytes(value: Any) -> bytes:
    return (_dumps(value) + "\n").encode("utf-8")


def bundle_files(results: Results) -> dict[str, bytes]:
    """Every file of the bundle (name -> bytes), ``bundle.json`` included."""
    files: dict[str, bytes] = {
        FACTS_FILE: _bytes([r.model_dump(mode="json") for r in results.facts]),
        MODEL_FILE: _bytes(results.model.model_dump(mode="json")),
    }
    for item in (*results.tables, *results.figures):
        files[f"{item.label}.json"] = _bytes(item.model_dump(mode="json"))
    manifest = Manifest(
        schema_version=results.schema_version, edition=results.edition, validation=results.validation,
        data_files=results.data_files, settings=results.settings, software=results.software,
        tables=tuple(t.label for t in results.tables), figures=tuple(f.label for f in results.figures),
        files=tuple(BundleFile(path=name, sha256=hashlib.sha256(data).hexdigest()) for name, data in files.items()),
    )
    return {MANIFEST: _bytes(manifest.model_dump(mode="json")), **files}


def write_bundle(results: Results, out_dir: str | Path) -> Path:
    """Write ``results`` as ``out_dir/resultater/``, replacing a bundle already there.

    Parameters
    ----------
    results : Results
    out_dir : str or Path
        The book's output folder (during a render: its staging folder).

    Returns
    -------
    Path
        The bundle folder.
    """
    folder = Path(out_dir) / BUNDLE_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in bundle_files(results).items():
        (folder / name).write_bytes(data)
    return folder


def _folder(path: str | Path) -> Path:
    """The bundle folder: ``path`` itself, or ``path/resultater`` for a book's output folder."""
    path = Path(path).expanduser()
    if not path.exists():
        raise BundleError(f"fandt intet resultatsæt: {path} findes ikke. Angiv mappen resultater/ fra en tidligere "
                          "udgave eller den udgaves output-mappe.")
    if (path / MANIFEST).is_file():
        return path
    if (path / BUNDLE_DIR / MANIFEST).is_file():
        return path / BUNDLE_DIR
    raise BundleError(f"{path} er ikke et resultatsæt fra ipsreport: hverken {path / MANIFEST} eller "
                      f"{path / BUNDLE_DIR / MANIFEST} findes. En udgave rendret med ipsreport har mappen "
                      f"{BUNDLE_DIR}/ i sin output-mappe.")


def _load(folder: Path, name: str, data: bytes | None = None) -> Any:
    try:
        text = (data if data is not None else (folder / name).read_bytes()).decode("utf-8")
        return json.loads(text)
    except FileNotFoundError:
        raise BundleError(f"resultatsættet i {folder} er ufuldstændigt: {name} mangler.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (linje {exc.lineno}, kolonne {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise BundleError(f"{name} i {folder} er beskadiget: filen er ikke gyldig JSON i UTF-8{where}.") from None


def _parse(model: type[BaseModel], value: Any, folder: Path, name: str) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(hele filen)"
        raise BundleError(f"{name} i {folder} er beskadiget: feltet {where} har ikke den forventede form "
                          f"({first['msg']}).") from None


def read_bundle(path: str | Path) -> Results:
    """Read a bundle written by :func:`write_bundle` (or the output folder holding it).

    Parameters
    ----------
    path : str or Path
        The ``resultater/`` folder, or a book's output folder.

    Returns
    -------
    Results
        Equal to the :class:`Results` that was written.

    Raises
    ------
    BundleError
        With a Danish message when the folder holds no bundle, a file is
        missing, changed or not valid JSON, a field has the wrong form, or the
        bundle's schema is newer than this ipsreport reads.
    """
    folder = _folder(path)
    raw = _load(folder, MANIFEST)
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError(f"{MANIFEST} i {folder} er beskadiget: den angiver ingen skemaversion (schema_version).")
    if version > SCHEMA_VERSION:
        raise BundleError(f"resultatsættet i {folder} har skemaversion {version}, men denne ipsreport læser højst "
                          f"version {SCHEMA_VERSION}: det er lavet af en nyere ipsreport. Opdater ipsreport "
                          "(make install), og kør igen.")
    if version < 1:
        raise BundleError(f"{MANIFEST} i {folder} er beskadiget: skemaversion {version} findes ikke.")
    manifest: Manifest = _parse(Manifest, raw, folder, MANIFEST)
    contents: dict[str, bytes] = {}
    for entry in manifest.files:
        try:
            data = (folder / entry.path).read_bytes()
        except FileNotFoundError:
            raise BundleError(f"resultatsættet i {folder} er ufuldstændigt: {entry.path} mangler.") from None
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise BundleError(f"{entry.path} i {folder} er ændret eller beskadiget efter, at resultatsættet blev "
                              f"skrevet: dens SHA-256 passer ikke med {MANIFEST}.")
        contents[entry.path] = data

    def listed(name: str) -> Any:
        if name not in contents:
            raise BundleError(f"{MANIFEST} i {folder} er beskadiget: den nævner ikke {name}.")
        return _load(folder, name, contents[name])

    def part(name: str, model: type[BaseModel]) -> Any:
        return _parse(model, listed(name), folder, name)

    facts_raw = listed(FACTS_FILE)
    if not isinstance(facts_raw, list):
        raise BundleError(f"{FACTS_FILE} i {folder} er beskadiget: den skal være en liste af fakta.")
    return Results(
        schema_version=manifest.schema_version, edition=manifest.edition,
        facts=tuple(_parse(FactRecord, r, folder, FACTS_FILE) for r in facts_raw),
        tables=tuple(part(f"{label}.json", Dataset) for label in manifest.tables),
        figures=tuple(part(f"{label}.json", Dataset) for label in manifest.figures),
        model=part(MODEL_FILE, Model), validation=manifest.validation, data_files=manifest.data_files,
        settings=manifest.settings, software=manifest.software,
    )
