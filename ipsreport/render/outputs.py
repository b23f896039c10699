"""What an executed chapter is: its prose with inline values filled in and its cells' outputs.

JSON-able, so the chapter cache stores an :class:`ExecutedChapter` as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DATARESOURCE_MIME", "ExecutedCell", "ExecutedChapter", "capitalise_at_sentence_start", "inline_span",
           "reduce_outputs"]

#: A table's numbers beside its display (a Frictionless tabular data
#: resource, as pandas' ``display.html.table_schema`` and nteract write it).
DATARESOURCE_MIME = "application/vnd.dataresource+json"

_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


@dataclass
class ExecutedCell:
    """Outputs of one cell, reduced to what the writers need (JSON-able)."""

    line: int
    source: str
    options: dict[str, Any]
    outputs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ExecutedChapter:
    """A chapter after execution: prose (inline values filled in) and cells."""

    path: str
    front_matter: dict[str, Any]
    blocks: list[dict[str, Any]]

    def to_json(self) -> str:
        """Serialise for the cache."""
        return json.dumps(
            {"path": self.path, "front_matter": self.front_matter, "blocks": self.blocks}, default=str
        )

    @classmethod
    def from_json(cls, text: str) -> "ExecutedChapter":
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(data["path"], data["front_matter"], data["blocks"])


def reduce_outputs(outputs: list[Any], asis: bool) -> list[dict[str, Any]]:
    """Keep one representation per output, best first, and drop duplicates.

    An output that also carries :data:`DATARESOURCE_MIME` (a table's
    numbers) keeps it as ``item["resource"]`` (a JSON object) beside the
    representation shown; the HTML writer offers it for download.
    """
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream":
            item = {"type": "markdown" if asis and o["name"] == "stdout" else o["name"], "data": o["text"]}
        elif kind in ("display_data", "execute_result"):
            data = o.get("data", {})
            order = (
                ("text/markdown", "markdown"), ("text/plain", "markdown")
            ) if asis else (
                ("image/svg+xml", "svg"), ("image/png", "png"), ("text/html", "html"),
                ("text/markdown", "markdown"), ("text/plain", "text"),
            )
            item = None
            for mime, name in order:
                if mime in data:
                    value = data[mime]
                    item = {"type": name, "data": "".join(value) if isinstance(value, list) else value}
                    break
            if item is None:
                continue
            if isinstance(data.get(DATARESOURCE_MIME), dict):
                item["resource"] = data[DATARESOURCE_MIME]
        else:
            continue
        if item["type"] == "svg":
            item["data"] = _SVG_METADATA.sub("", item["data"])
        key = item["type"] + "\0" + item["data"]
        if item["type"] in ("svg", "png", "html") and key in seen:
            # A figure returned as the last expression is shown by the
            # formatter and again by the inline backend: keep one.
            continue
        seen.add(key)
        # Merge consecutive stream chunks of the same kind.
        if out and item["type"] in ("stdout", "stderr", "markdown") and out[-1]["type"] == item["type"]:
            out[-1]["data"] += item["data"]
        else:
            out.append(item)
    return out


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s|\n\s*\n|^\s*[-*+]\s|\n\s*[-*+]\s|^\s*\d+\.\s)\s*$")


def capitalise_at_sentence_start(before: str, value: str) -> str:
    """An inline value that opens a sentence starts with a capital letter.

    Values are written for the middle of a sentence ("en skjult andel",
    "ingen svar"); where the prose puts one first (start of the block, after
    ``.``, ``!`` or ``?``, or first in a list item) its first letter is
    raised, as any writer would. Values starting with anything but a
    lower-case letter ("<3 unge", "62 %") are left alone.

    Parameters
    ----------
    before : str
        The block's text before the value.
    value : str
        The inline value as computed.
    """
    if not isinstance(value, str) or not value[:1].islower():
        return value
    if _SENTENCE_START.search(before):
        return value[0].upper() + value[1:]
    return value


_ATTR_NAME = re.compile(r"^[A-Za-z_][\w:.-]*$")
_CLASS_NAME = re.compile(r"^[A-Za-z_][\w-]*$")
#: Line breaks and runs of ASCII blanks in an attribute (no-break spaces are kept).
_BLANKS = re.compile(r"[ \t\r\n]+")


def inline_span(value: str, attrs: dict[str, str] | None) -> str:
    """An inline value as it goes into the chapter's markdown.

    Without attributes, the text itself (as before). With attributes (from
    the value's ``_inline_attrs_()``, see
    :func:`ipsreport.render.kernel_helpers.inline_attrs`), a pandoc span
    ``[text]{.fact tabindex="0" title="…"}``: the HTML writer keeps the
    attributes (a tooltip on hover and keyboard focus), the Typst writer
    prints the text alone, so the PDF is unchanged. Brackets in the text are
    escaped; attribute names that are not plain names are dropped.

    Parameters
    ----------
    value : str
        The value's text.
    attrs : dict, optional
        HTML attributes; ``class`` may hold several space-separated classes.
    """
    if not attrs or not value.strip():
        return value
    parts = []
    for name, text in attrs.items():
        if name == "class":
            parts += [f".{c}" for c in str(text).split() if _CLASS_NAME.match(c)]
        elif name == "id":
            if _CLASS_NAME.match(str(text)):
                parts.append(f"#{text}")
        elif _ATTR_NAME.match(name):
            quoted = _BLANKS.sub(" ", str(text)).strip().replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'{name}="{quoted}"')
    if not parts:
        return value
    text = value.replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]{{{' '.join(parts)}}}"
