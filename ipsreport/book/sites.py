"""One report per site: split the data by ``site`` and render every part.

The registry is filtered on its ``site`` column and the two surveys on the
ids of that site's registry rows; the optional fidelity reviews on their own
``site`` column (a site without reviews gets no fidelity file, so its report
says that no review data were supplied). Each part is written as CSV (UTF-8, comma,
the cells' original text) to a stable folder under the project cache, so an
unchanged site's chapters are found in the store on the next render. All sites
are rendered by :func:`ipsreport.render.engine.render_variants`, one
:class:`~ipsreport.render.hooks.Variant` per site (its own data, hooks and
output folder; one store, :mod:`ipsreport.render.store`, for all), which runs the chapters of every site on one pool of
kernels (one per core) and writes the books in parallel.

Sites are the names the loader knows (:mod:`ipsreport.inputs.load.names`): two
spellings of one site ("Jobcenter", "JOBCENTER"; "Århus" in either Unicode
form) are one site and one book. A site's folder name is its slug, shortened
with a hash of the full name when the name is too long for a file name. One
site's failure (data that do not validate once split, a failing chapter,
pandoc or Typst) never stops the others: :func:`render_by_site` renders every
other site and then raises :class:`SitesFailed`, naming each failed site and
why (the CLI's exit code 6).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ipsreport.book.hooks import book_hooks
from ipsreport.inputs.load.names import spelling_map
from ipsreport.render.base import Progress, RenderError, RenderResult
from ipsreport.render.engine import VariantFailed, render_variants
from ipsreport.render.hooks import Variant

if TYPE_CHECKING:  # nbclient only when chapters run
    from ipsreport.render.execute import KernelsAhead
from ipsreport.inputs.verdicts import validate_shared

__all__ = ["MAX_SLUG", "SITE_COLUMN", "SiteData", "SitesFailed", "render_by_site", "render_each", "slugify",
           "split_by_site", "unique_slugs"]

#: Registry column that names the site.
SITE_COLUMN = "site"
#: Longest site folder name: well below file systems' 255 bytes, with room for the staging folder's prefix.
MAX_SLUG = 60

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slugify(name: str) -> str:
    """Folder name for a site: lower case ASCII, words joined by ``-``.

    >>> slugify("Jobcenter Århus Syd")
    'jobcenter-aarhus-syd'
    """
    text = unicodedata.normalize("NFKD", str(name).translate(_DANISH))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "site"
    if len(text) <= MAX_SLUG:
        return text
    # Too long for a file name: the start stays readable, a hash of the whole name keeps it unique.
    digest = hashlib.sha256(str(name).encode("utf-8")).hexdigest()[:8]
    return f"{text[:MAX_SLUG - 9].rstrip('-')}-{digest}"


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Site name -> folder name: :func:`slugify`, with ``-2``, ``-3`` … where two names share one.

    Every folder name is at most :data:`MAX_SLUG` characters.
    """
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = slug = slugify(name)
        k = 2
        while slug in used:
            suffix = f"-{k}"
            slug, k = base[:MAX_SLUG - len(suffix)].rstrip("-") + suffix, k + 1
        used.add(slug)
        slugs[name] = slug
    return slugs


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
    from ipsreport.inputs.load import ALL_DATASETS, OPTIONAL_DATASETS, load_raw

    data_dir = Path(data_dir).expanduser().resolve()
    raw = load_raw(data_dir)
    if raw.errors:
        raise ValueError(f"{data_dir}: data kan ikke læses: {raw.errors[0]}")
    registry = raw.frames["registry"]
    if SITE_COLUMN not in registry.columns:
        raise ValueError(f"{data_dir}: projektregistreringen har ingen kolonne {SITE_COLUMN!r}, så rapporten kan ikke deles op "
                         "pr. sted; udelad --by site, eller tilføj kolonnen.")
    site_columns = {ds: frame[SITE_COLUMN].astype(str).str.strip() for ds, frame in raw.frames.items()
                    if ds in ("registry", *OPTIONAL_DATASETS) and SITE_COLUMN in frame.columns}
    # One site however it is spelled, chosen as the loader chooses (ipsreport.inputs.load.names).
    spellings = spelling_map([column.mask(column == "") for column in site_columns.values()])
    site_columns = {ds: column.replace(spellings) for ds, column in site_columns.items()}
    site_values = site_columns["registry"]
    names = sorted(v for v in site_values.unique() if v)
    if not names:
        raise ValueError(f"{data_dir}: kolonnen {SITE_COLUMN!r} i projektregistreringen er tom, så rapporten kan ikke "
                         "deles op pr. sted; udfyld kolonnen, eller udelad --by site.")
    slugs = unique_slugs(names)
    used = set(slugs.values())

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
                part = frame[(site_columns[ds] == name).to_numpy()]
                if part.empty:
                    continue
            else:
                part = frame[frame[id_col].astype(str).str.strip().isin(ids).to_numpy()]
            if SITE_COLUMN in part.columns:
                part = part.assign(**{SITE_COLUMN: name})  # the site's book shows one spelling
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


class SitesFailed(RenderError):
    """Some sites' books failed; every other site's book was written.

    Attributes
    ----------
    results : dict
        Site name -> :class:`RenderResult` of the books written.
    failures : dict
        Site name -> why its book was not made (its previous book is kept).
    """

    def __init__(self, results: dict[str, RenderResult], failures: dict[str, str]):
        self.results = dict(results)
        self.failures = dict(failures)
        done = ", ".join(results) or "ingen"
        lines = [f"{len(failures)} af {len(failures) + len(results)} steders rapporter kunne ikke laves; "
                 f"de øvrige blev lavet ({done}). For hvert sted, der fejlede, er den tidligere rapport uændret:"]
        lines += [f"- {site}: {why}" for site, why in failures.items()]
        super().__init__("\n".join(lines))


def render_each(variants: list[Variant], project_dir: Path, to: str = "all", workers: int | None = None,
                progress: Progress | None = None,
                kernels: "KernelsAhead | None" = None) -> tuple[dict[int, RenderResult], dict[int, str]]:
    """Render every variant that can be rendered; one that fails never stops the others.

    :func:`~ipsreport.render.engine.render_variants` stops at the first
    failing book (:class:`~ipsreport.render.engine.VariantFailed`); it is
    then run again without that book. Chapters already executed come from
    the cache and books already written are unchanged, so a failure costs
    little more than its own book.

    Parameters
    ----------
    variants : list of Variant
    project_dir : Path
    to, workers, progress, kernels
        As for :func:`~ipsreport.render.engine.render_variants` (the kernels
        started ahead serve the first attempt).

    Returns
    -------
    (dict, dict)
        Index in ``variants`` -> :class:`RenderResult` of each book written,
        and index -> the error message of each book that failed.

    Raises
    ------
    RenderError
        A failure that is no single book's (e.g. no kernel starts); an
        :class:`~ipsreport.render.outdir.OutputRefused` before anything is
        written; :class:`~ipsreport.render.signals.Interrupted` on a signal.
    """
    remaining = list(range(len(variants)))
    failures: dict[int, str] = {}
    while remaining:
        try:
            results = render_variants([variants[i] for i in remaining], project_dir, to=to, workers=workers,
                                      progress=progress, kernels=kernels)
        except VariantFailed as exc:
            failures[remaining.pop(exc.index)] = str(exc)
            continue
        return dict(zip(remaining, results)), failures
    return {}, failures


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
    kernels: "KernelsAhead | None" = None,
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
        edition is expected to be valid; a site whose part is not is named
        and left out).
    cache_dir : Path, optional
        The render's store (:mod:`ipsreport.render.store`), shared by every
        site's book; the split data are kept in its ``sites/data/``.
        Default: the project's ``.ipsreport-cache``.
    kernels : KernelsAhead, optional
        Kernels the command started ahead (:func:`ipsreport.render.engine.start_kernels`):
        they start while the sites are split and audited together.

    Returns
    -------
    dict
        Site name -> :class:`RenderResult`, when every site's book was made.

    Raises
    ------
    SitesFailed
        When any site failed (invalid part, failing chapter, pandoc or
        Typst): raised after every other site's book was written.
    ValueError
        If the data cannot be split (no ``site`` column, unreadable files).
    ipsreport.render.outdir.OutputRefused
        If ``output_dir`` holds anything but previous site reports, or is
        (inside or around) the data or project folder; nothing is written.
    ipsreport.render.engine.RenderError
        A failure that is no single site's (e.g. no kernel starts).
    """
    from ipsreport.book.hooks import DATA_FOLDER_NAME
    from ipsreport.render.config import load_project
    from ipsreport.render.outdir import check_output, remove_stale

    project = load_project(Path(project_dir))
    out = Path(output_dir).resolve() if output_dir else project.output_dir
    # The folder of the sites' folders; each of those is checked by render_variants.
    check_output(out, protected={DATA_FOLDER_NAME: Path(data_dir)}, project_dir=project.root, collection=True)
    remove_stale(out)  # work folders of killed renders, also of sites no longer in the data
    # One store for every site's book (ipsreport.render.store): keys differ by the data, pruning is one.
    store = Path(cache_dir or project.root / ".ipsreport-cache")
    sites = split_by_site(data_dir, store / "sites" / "data")
    # A reader holds the cohort's book and every site's: they are audited together (ipsreport.analysis.disclosed.joint).
    from ipsreport.book.hooks import resolve_settings
    from ipsreport.analysis.disclosed.joint import plan_site_books

    # Resolved once per site: the joint audit and the site's pipeline share one edition and its summaries.
    # A site book compares with no earlier edition (a bundle describes the whole project).
    settings = {s.site: resolve_settings(s.data_dir, overrides).with_(previous=None, previous_data=None)
                for s in sites}
    plan_site_books(Path(data_dir), sites, settings, resolve_settings(Path(data_dir), overrides), store)
    failures: dict[str, str] = {}
    variants, rendered = [], []
    for s in sites:
        report = None
        if validate:
            # Kept for the site's kernels (ipsreport.inputs.verdicts): validated once here.
            report = validate_shared(s.data_dir, store)
            if not report.ok:
                failures[s.site] = f"data for stedet er ikke gyldige, når de deles ud:\n{report.format()}"
                continue
        variants.append(Variant(
            output_dir=out / s.slug,
            hooks=book_hooks(s.data_dir, overrides, cache_dir=store, settings=settings[s.site], validation=report),
            cache_dir=store,
            label=s.site,
        ))
        rendered.append(s.site)
    results, failed = render_each(variants, project.root, to=to, workers=workers, progress=progress,
                                  kernels=kernels)
    failures.update({rendered[i]: why for i, why in failed.items()})
    done = {rendered[i]: r for i, r in sorted(results.items())}
    if failures:
        raise SitesFailed(done, {site: failures[site] for site in [s.site for s in sites] if site in failures})
    return done
