"""The words the engine writes itself: cross-reference labels and page UI, from ``_quarto.yml``.

Each word is read from keys Quarto also knows, first match wins, and falls
back to an English default, so a book in another language sets its words in
its own ``_quarto.yml``. ``crossref:`` is a closed object in Quarto's schema
(an unknown key such as ``ch-prefix`` stops ``quarto render``); ``language:``
keys are free-form strings, so the few UI words Quarto has no key for
(``page-nav-previous``, ``page-nav-next``, ``page-nav-label``,
``download-pdf``, ``nav-chapters-label``, ``preview-failed``, the table
downloads' ``download-table``, ``download-csv``, ``download-xlsx`` and
``download-folder`` (the folder of the files), ``table-scroll-hint`` and
``figure-open``) live there too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LABELS", "LABEL_KEYS", "UI_KEYS", "UI_WORDS", "crossref_labels", "ui_words"]

#: Cross-reference words, the English defaults (as Quarto's).
LABELS = {
    "tbl": "Table",
    "fig": "Figure",
    "chapter": "Chapter",
    "section": "Section",
    "appendix": "Appendix",
}

#: Where each cross-reference word is read, first match wins.
LABEL_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "tbl": (("crossref", "tbl-title"), ("language", "crossref-tbl-title")),
    "fig": (("crossref", "fig-title"), ("language", "crossref-fig-title")),
    "chapter": (("language", "crossref-ch-prefix"),),
    "section": (("crossref", "sec-prefix"), ("language", "crossref-sec-prefix")),
    "appendix": (("crossref", "appendix-title"), ("language", "crossref-apx-prefix")),
}

#: Page UI words (HTML pages, the PDF's front matter), the English defaults.
UI_WORDS = {
    "contents": "Table of contents",
    "on_this_page": "On this page",
    "appendices": "Appendices",
    "search": "Search",
    "no_results": "No results",
    "menu": "Menu",
    "chapters": "Chapters",
    "previous": "Previous",
    "next": "Next",
    "page_nav": "Previous and next chapter",
    "download_pdf": "Download PDF",
    "list_of_tables": "List of Tables",
    "list_of_figures": "List of Figures",
    "preview_failed": "The preview could not be updated",
    "download_table": "Download the numbers",
    "download_csv": "CSV",
    "download_xlsx": "Excel",
    "download_folder": "tables",
    "scroll_hint": "Swipe to see the whole table",
    "open_figure": "Open the figure at full size",
}

#: The ``language:`` key of each UI word.
UI_KEYS = {
    "contents": "toc-title-document",
    "on_this_page": "toc-title-website",
    "appendices": "section-title-appendices",
    "search": "search-label",
    "no_results": "search-no-results-text",
    "menu": "toggle-navigation",
    "chapters": "nav-chapters-label",
    "previous": "page-nav-previous",
    "next": "page-nav-next",
    "page_nav": "page-nav-label",
    "download_pdf": "download-pdf",
    "list_of_tables": "crossref-lot-title",
    "list_of_figures": "crossref-lof-title",
    "preview_failed": "preview-failed",
    "download_table": "download-table",
    "download_csv": "download-csv",
    "download_xlsx": "download-xlsx",
    "download_folder": "download-folder",
    "scroll_hint": "table-scroll-hint",
    "open_figure": "figure-open",
}


def _word(config: dict[str, Any], block: str, key: str) -> str | None:
    value = (config.get(block) or {}).get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def crossref_labels(config: dict[str, Any]) -> dict[str, str]:
    """Cross-reference words ("Table", "Chapter", "Appendix", ...) from ``_quarto.yml``.

    Parameters
    ----------
    config : dict
        The parsed ``_quarto.yml``.

    Returns
    -------
    dict
        Keys ``tbl, fig, chapter, section, appendix``; a word the file does
        not set keeps its default in :data:`LABELS`.
    """
    out = dict(LABELS)
    for name, places in LABEL_KEYS.items():
        for block, key in places:
            value = _word(config, block, key)
            if value is not None:
                out[name] = value
                break
    return out


def ui_words(config: dict[str, Any]) -> dict[str, str]:
    """Page UI words from ``_quarto.yml``'s ``language:`` (keys in :data:`UI_KEYS`).

    Returns
    -------
    dict
        The keys of :data:`UI_WORDS`; a word the file does not set keeps
        its English default.
    """
    out = dict(UI_WORDS)
    for name, key in UI_KEYS.items():
        value = _word(config, "language", key)
        if value is not None:
            out[name] = value
    return out
