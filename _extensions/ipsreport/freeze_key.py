"""Make Quarto's ``freeze: auto`` data-aware (``project: pre-render``).

Quarto re-executes a frozen chapter only when the chapter's own source
changes; the report's chapters also depend on the data folder, the
settings, the package code and the locked environment. Before every
``quarto render`` of the project this step computes the same key the own
engine's chapter cache uses (:func:`ipsreport.book.hooks.book_hooks`'s
``cache_inputs``: data bytes, codebook, cases, published numbers,
``ipsreport/**/*.py``, environment, resolved settings): under
``ipsreport render --engine quarto`` the place of the run the chapters read
(their parameter ``results``, handed here in ``IPSREPORT_PARAMETERS``, whose
key is that key and the commit; :func:`ipsreport.render.quarto.hand_off`);
under a plain ``quarto render`` the project's own settings, and the run is
made here once and saved in the project's store for the chapters
(:func:`ipsreport.api.results`). When it
differs from the key of the frozen results, deletes ``_freeze/`` so that
every chapter runs again. Nothing else invalidates: an unchanged key keeps
the frozen chapters, and an edited chapter re-runs alone (Quarto's own rule).

It also writes which labelled cells show nothing for these data
(``_freeze/ipsreport-absent.json``: the fidelity reviews without data, the
edition comparison without a previous edition): ``numbering.lua`` reads it,
so that Quarto, like the own engine, gives such a cell no number and no
caption. Quarto runs the filter once per chapter; asking ipsreport once here
costs one edition load per render instead of one per chapter.
"""

import json
import os
import shutil
from pathlib import Path

from ipsreport.book.hooks import book_hooks

KEY_FILE = "ipsreport-inputs.key"
#: Read by ipsreport/render/assets/numbering.lua (Quarto path).
ABSENT_FILE = "ipsreport-absent.json"


def refresh(project: Path, key: str) -> bool:
    """Delete ``project/_freeze`` unless it was made with ``key``; True when deleted."""
    freeze = project / "_freeze"
    stamp = freeze / KEY_FILE
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return False
    stale = freeze.exists()
    shutil.rmtree(freeze, ignore_errors=True)
    freeze.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key, encoding="utf-8")
    return stale


def write_absent(project: Path, results: str | None) -> list[str]:
    """Write the labels of the cells that show nothing for this render's run; return them."""
    from ipsreport import api
    from ipsreport.book.absent import absent_labels

    run = api.results(results)
    labels = absent_labels(run.edition, run.comparison)
    (project / "_freeze" / ABSENT_FILE).write_text(json.dumps(labels), encoding="utf-8")
    return labels


if __name__ == "__main__":
    from ipsreport.render.quarto import PARAMETERS_ENV

    # Set by ipsreport.render.quarto.hand_off from the dict the chapters get as -P (a pre-render script sees no -P
    # values); absent for a plain quarto render, whose run api.results(None) takes from the project's store.
    parameters = json.loads(os.environ.get(PARAMETERS_ENV) or "{}")
    results = parameters.get("results")
    refresh(Path.cwd(), results or book_hooks().cache_inputs)
    write_absent(Path.cwd(), results)
