"""One report per site: split the data by ``site`` and render every part.

The registry is filtered on its ``site`` column and the two surveys on the
ids of that site's registry rows; the optional fidelity reviews on their own
``site`` column (a site without reviews gets no fidelity file, so its report
says that no review data were supplied). Each part is written as CSV (UTF-8, comma,
the cells' original text) to a stable folder under the project cache, so an
unchanged site is found in the chapter cache on the next render. All sites
are rendered by :func:`ipsreport.render.engine.render_variants`, one
:class:`~ipsreport.render.hooks.Variant` per site (its own data, hooks, cache
and output folder), which runs the chapters of every site on one pool of
kernels (one per core) and writes the books in parallel.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ipsreport.book import book_hooks
from ipsreport.render.base import Progress, RenderResult
from ipsreport.render.engine import render_variants
from ipsreport.render.hooks import Variant
from ipsreport.verdicts import validate_shared

#: Registry column that names the site.
SITE_COLUMN = "site"

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slugify(name: str) -> str:
    """Folder name for a site: lower case ASCII, words joined by ``-``.

    >>> slugify("Jobcenter Århus Syd")
    'jobcenter-aarhus-syd'
    """
    text = unicodedata.normalize("NFKD", str(name).translate(_DANISH))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "site"


@dataclass(frozen=True)
class SiteData:
    """One site's part of the data.

    Attributes
    ----------
    site : str
        The value of ``site`` in the registry.
    slug : str
        Folder name (unique among the sites).
    data_dir : Path
        Folder holding the site's registry, baseline and follow-up.
    counts : dict
        Rows per dataset.
    """

    site: str
    slug: str
    data_dir: Path
    counts: dict[str, int]


def _write_if_changed(path: Path, data: bytes) -> None:
    # Unchanged bytes keep the file as it is (cheap re-runs, stable mtimes).
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def split_by_site(data_dir: Path, out_root: Path) -> list[SiteData]:
    """Write one data folder per site under ``out_root/<slug>/``.

    Parameters
    ----------
    data_dir : Path
        A valid data folder (CSV, XLSX or SAV files).
    out_root : Path
        Parent of the site folders; folders of sites no longer present are
        removed.

    Returns
    -------
    list of SiteData
        Sorted by site name.

    Raises
    ------
    ValueError
        If the data cannot be read or the registry has no ``site`` column
        or no site values.
    """
    from ipsreport.load import ALL_DATASETS, OPTIONAL_DATASETS, load_raw

    data_dir = Path(data_dir).expanduser().resolve()
    raw = load_raw(data_dir)
    if raw.errors:
        raise ValueError(f"{data_dir}: data kan ikke læses: {raw.errors[0]}")
    registry = raw.frames["registry"]
    if SITE_COLUMN not in registry.columns:
        raise ValueError(f"{data_dir}: projektregistreringen har ingen kolonne {SITE_COLUMN!r}, så rapporten kan ikke deles op "
                         "pr. sted; udelad --by site, eller tilføj kolonnen.")
    site_values = registry[SITE_COLUMN].astype(str).str.strip()
    names = sorted(v for v in site_values.unique() if v)
    if not names:
        raise ValueError(f"{data_dir}: kolonnen {SITE_COLUMN!r} i projektregistreringen er tom, så rapporten kan ikke "
                         "deles op pr. sted; udfyld kolonnen, eller udelad --by site.")

    slugs: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = slug = slugify(name)
        k = 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        slugs[name] = slug

    manifest_path = data_dir / "manifest.yml"
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
    data_files = {src.path.name for src in raw.sources.values()}

    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    for stale in out_root.iterdir():
        if stale.is_dir() and stale.name not in used:
            shutil.rmtree(stale)

    id_col = "id"
    result: list[SiteData] = []
    for name in names:
        folder = out_root / slugs[name]
        folder.mkdir(parents=True, exist_ok=True)
        keep_reg = site_values == name
        ids = set(registry.loc[keep_reg, id_col].astype(str).str.strip())
        counts: dict[str, int] = {}
        files_meta: dict[str, dict[str, Any]] = {}
        written: set[str] = set()
        for ds in [d for d in ALL_DATASETS if d in raw.frames]:
            frame = raw.frames[ds]
            if ds == "registry":
                part = frame[keep_reg.to_numpy()]
            elif ds in OPTIONAL_DATASETS:
                # Reviews are of a site's practice: filtered on their own site column.
                if SITE_COLUMN not in frame.columns:
                    raise ValueError(f"{data_dir}: filen {ds} har ingen kolonne {SITE_COLUMN!r}, så den kan ikke deles op pr. sted.")
                part = frame[(frame[SITE_COLUMN].astype(str).str.strip() == name).to_numpy()]
                if part.empty:
                    continue
            else:
                part = frame[frame[id_col].astype(str).str.strip().isin(ids).to_numpy()]
            text = part.to_csv(index=False, lineterminator="\n")
            target = f"{ds}.csv"
            _write_if_changed(folder / target, text.encode("utf-8"))
            written.add(target)
            counts[ds] = len(part)
            files_meta[target] = {"rows": len(part), "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
        # Other files of the edition (its ipsreport.yml settings, README)
        # belong to every site's folder too; stale files are removed.
        for extra in sorted(data_dir.iterdir()):
            if extra.is_file() and extra.name not in data_files and extra.name != "manifest.yml":
                _write_if_changed(folder / extra.name, extra.read_bytes())
                written.add(extra.name)
        site_manifest = {
            k: v for k, v in manifest.items() if k not in ("files",)
        }
        site_manifest.update({"site": name, "split_from": str(data_dir), "files": files_meta})
        _write_if_changed(
            folder / "manifest.yml",
            yaml.safe_dump(site_manifest, allow_unicode=True, sort_keys=False).encode("utf-8"),
        )
        written.add("manifest.yml")
        for old in folder.iterdir():
            if old.is_file() and old.name not in written:
                old.unlink()
        result.append(SiteData(name, slugs[name], folder, counts))
    return result


def render_by_site(
    project_dir: Path,
    data_dir: Path,
    output_dir: Path | None = None,
    to: str = "all",
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    validate: bool = True,
    cache_dir: Path | None = None,
) -> dict[str, RenderResult]:
    """Render one report per site into ``output_dir/<slug>/``.

    Parameters
    ----------
    project_dir : Path
        Folder with ``_quarto.yml``.
    data_dir : Path
        The whole edition's data folder.
    output_dir : Path, optional
        Default: the project's output folder (``_book``).
    to : {"all", "html", "pdf"}
    overrides : dict, optional
        Settings overrides for every site.
    workers : int, optional
        Kernels and parallel writers; default: number of cores.
    progress : callable, optional
        ``progress(event, detail)``, detail prefixed with the site's folder.
    validate : bool, default True
        Validate each site's folder before rendering (the split of a valid
        edition is expected to be valid; this names the site if not).
    cache_dir : Path, optional
        Where the split data and the sites' caches live (under ``sites/``);
        default: the project's ``.ipsreport-cache``.

    Returns
    -------
    dict
        Site name -> :class:`RenderResult`.

    Raises
    ------
    ValueError
        If a site's data fail validation (nothing is rendered).
    ipsreport.render.outdir.OutputRefused
        If ``output_dir`` holds anything but previous site reports, or is
        (inside or around) the data or project folder; nothing is written.
    ipsreport.render.engine.RenderError
        If a render fails.
    """
    from ipsreport.book import DATA_FOLDER_NAME
    from ipsreport.render.config import load_project
    from ipsreport.render.outdir import check_output

    project = load_project(Path(project_dir))
    out = Path(output_dir).resolve() if output_dir else project.output_dir
    # The folder of the sites' folders; each of those is checked by render_variants.
    check_output(out, protected={DATA_FOLDER_NAME: Path(data_dir)}, project_dir=project.root, collection=True)
    cache_root = Path(cache_dir or project.root / ".ipsreport-cache") / "sites"
    sites = split_by_site(data_dir, cache_root / "data")
    # A reader holds the cohort's book and every site's: they are audited together (ipsreport.disclosed.joint).
    from ipsreport.disclosed.joint import plan_site_books

    plan_site_books(Path(data_dir), sites, overrides, cache_root)
    variants = []
    for s in sites:
        site_cache = cache_root / "cache" / s.slug
        if validate:
            # Kept for the site's kernels (ipsreport.verdicts): validated once here.
            report = validate_shared(s.data_dir, site_cache)
            if not report.ok:
                raise ValueError(f"data for stedet {s.site!r} er ikke gyldige, når de deles ud:\n{report.format()}")
        variants.append(Variant(
            output_dir=out / s.slug,
            hooks=book_hooks(s.data_dir, overrides, cache_dir=site_cache),
            cache_dir=site_cache,
            label=s.site,
        ))
    results = render_variants(variants, project.root, to=to, workers=workers, progress=progress)
    return {s.site: r for s, r in zip(sites, results)}
