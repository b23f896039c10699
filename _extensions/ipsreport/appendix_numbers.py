"""Number the appendices in Quarto's HTML sidebar and page navigation (``post-render``).

Quarto labels book appendices with letters in the chapter list it writes
into every page (``<span class="chapter-number">A</span>``); no option
changes that. The report's appendices are "Bilag 1, 2, ..." (as the own
engine writes them and as ipsreport/render/assets/numbering.lua, the numbering
both engines run, titles the pages), so this step,
run by Quarto after a render (``project: post-render`` in ``_quarto.yml``),
replaces each single-letter chapter number in the output's HTML files by
its position in the alphabet. Chapter numbers are digits, so only the
appendices' labels change. Standard library only.
"""

import os
import re
from pathlib import Path

_LETTER = re.compile(r'(<span class="chapter-number">)([A-Z])(</span>)')


def number_appendices(html: str) -> str:
    """``<span class="chapter-number">B</span>`` → ``...>2</span>``."""
    return _LETTER.sub(lambda m: f"{m.group(1)}{ord(m.group(2)) - 64}{m.group(3)}", html)


def main() -> None:
    out = Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_book"))
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = number_appendices(text)
        if new != text:
            page.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
