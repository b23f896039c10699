"""The HTML book's pages and fragments as Jinja2 templates (``assets/templates/``).

Every value a template prints is escaped (autoescape on): text that came
from a file, a setting or a chapter is text, never markup. What is markup
already (pandoc's HTML of a chapter, a table's HTML, the page policy) is
handed in as :class:`markupsafe.Markup` by the one function that knows it
is, so a template never needs ``|safe``.
"""

from __future__ import annotations

from typing import Any

import jinja2

from ipsreport.render.pandoc import ASSETS_DIR

#: Where the templates are; shipped as package data (``render/assets/**/*``).
TEMPLATES_DIR = ASSETS_DIR / "templates"

#: One environment for the process: it compiles each template once.
#: ``StrictUndefined``: a misspelt name is an error, not an empty string in a page.
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_template(name: str, **values: Any) -> str:
    """``assets/templates/<name>`` filled with ``values`` (each escaped unless it is ``Markup``).

    Parameters
    ----------
    name : str
        File name in :data:`TEMPLATES_DIR` (``page.html.jinja``, ``float.html.jinja``, ...).
    **values
        The template's names.
    """
    return _ENV.get_template(name).render(**values)
