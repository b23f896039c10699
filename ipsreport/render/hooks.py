"""The one interface between a book's owner and the render engine.

The engine knows Quarto books, kernels, pandoc and Typst; it knows nothing
of what the chapters compute. Whatever a particular book needs beyond its
``_quarto.yml`` and chapter sources is handed in as a :class:`BookHooks`:
which parameters the chapters get, which code their kernels run first, what
else the chapters' outputs depend on (for the cache), what the cover says,
which files a preview watches and which folders an output folder must keep
clear of. A book without hooks (``BookHooks()``) renders from its sources
alone.

:class:`Variant` is one of several renders of the same project that share a
kernel pool (:func:`ipsreport.render.engine.render_variants`); which variants
exist is the caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Protocol, Sequence

__all__ = ["Attachment", "BookHooks", "Cover", "Variant"]


class Attachment(Protocol):
    """Further files a book carries beside its pages, made by the book's owner.

    The engine calls :meth:`start` once it knows it will write the book
    (before its chapters run, so slow work can overlap them) and
    :meth:`write` with the book's temporary folder after the pages are
    written and before that folder replaces the output; an exception from
    either fails the render and keeps the previous output.
    """

    def start(self, sources: Sequence[Path]) -> None:
        """The book will be written from these chapter sources."""

    def write(self, folder: Path) -> None:
        """Write the files into ``folder`` (the book's temporary output folder)."""


@dataclass(frozen=True)
class Cover:
    """What the PDF's cover shows besides the book's title block.

    Attributes
    ----------
    edition : str
        A bold line under the subtitle (e.g. "Udgave 2025"); empty for none.
    lines : tuple of str
        Plain lines after it (who wrote the book, who paid for it, ...). The
        ``book: author`` / ``book: date`` of ``_quarto.yml`` are left out
        when a line already says them.
    notice : str
        A highlighted box (e.g. that the figures rest on synthetic data).
    title, subtitle : str
        Used only when ``_quarto.yml`` has no ``book: title`` / ``subtitle``.
    """

    edition: str = ""
    lines: tuple[str, ...] = ()
    notice: str = ""
    title: str = ""
    subtitle: str = ""


@dataclass(frozen=True)
class BookHooks:
    """What one book tells the engine beyond its sources.

    Attributes
    ----------
    parameters : mapping of str to str
        The chapters' parameters, papermill's and Quarto's convention: after
        a chapter's code cell tagged ``parameters`` (``#| tags: [parameters]``,
        which holds the defaults) the engine runs ``name = value`` for each,
        as Quarto does for ``quarto render -P name:value``; a chapter without
        such a cell gets them before its first cell. The only hand-off from
        the book's owner to its chapters: kernels get no environment of the
        book's. Kernels shared by several variants get each chapter its own
        variant's values.
    kernel_preamble : str
        Python code run once in every kernel after the engine's own set-up
        (imports to warm, say). Variants rendered together must pass the
        same preamble.
    cache_inputs : str
        A key for everything besides the chapter sources, ``_quarto.yml``
        and the installed libraries that the chapters' outputs depend on (the
        data's bytes, settings, the code the chapters import). A cached
        chapter is reused only while this key is unchanged, so it must
        change whenever the files behind ``parameters`` change (the values
        themselves are part of each chapter's key).
    cover : Cover
    watch : tuple of Path
        Files and folders a preview watches besides the project's chapters
        and ``_quarto.yml`` (data, code).
    protected_paths : mapping of str to Path
        Folders the output folder may be neither inside nor around, by the
        name messages call them (``{"datamappen": data_dir}``); see
        :func:`ipsreport.render.outdir.check_output`.
    attachment : Attachment, optional
        Writes further files into the book's folder before it is swapped in.
    """

    parameters: Mapping[str, str] = field(default_factory=dict)
    kernel_preamble: str = ""
    cache_inputs: str = ""
    cover: Cover = field(default_factory=Cover)
    watch: tuple[Path, ...] = ()
    protected_paths: Mapping[str, Path] = field(default_factory=dict)
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Variant:
    """One book of a multi-variant render (e.g. one report per site).

    Attributes
    ----------
    output_dir : Path
    hooks : BookHooks
    cache_dir : Path, optional
        Default: ``<project>/.ipsreport-cache``.
    label : str, optional
        Shown after the title and in messages; part of the book's key.
    """

    output_dir: Path
    hooks: BookHooks = field(default_factory=BookHooks)
    cache_dir: Path | None = None
    label: str | None = None
