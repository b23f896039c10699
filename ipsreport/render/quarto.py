"""The Quarto engine: ``quarto render`` with the book's parameters, swapped in like the pandoc engine's output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import yaml

from ipsreport.render.base import ToolMissingError
from ipsreport.render.config import load_project
from ipsreport.render.hooks import BookHooks
from ipsreport.render.outdir import check_output, staging_dir, swap, write_stamp

__all__ = ["COVER_ENV", "PARAMETERS_ENV", "cover_json", "hand_off", "pdf_format", "quarto_available", "quarto_command", "render_with_quarto"]

#: The cover facts of the hooks, as JSON, for the project's Quarto filter
#: (``_extensions/ipsreport/cover.lua`` prints them on the PDF's cover).
COVER_ENV = "IPSREPORT_COVER"
#: The book's parameters (JSON), for the project's pre-render step (``_extensions/ipsreport/freeze_key.py``),
#: which keys ``_freeze/`` on the same run: Quarto gives ``-P`` values to the chapters only (see :func:`hand_off`).
PARAMETERS_ENV = "IPSREPORT_PARAMETERS"


def quarto_available() -> str | None:
    """Path of ``quarto`` on PATH, or None."""
    return shutil.which("quarto")


def pdf_format(project_dir: Path) -> str:
    """The Typst format ``_quarto.yml`` lists: ``typst`` or an extension's (``ipsreport-typst``)."""
    try:
        config = yaml.safe_load((Path(project_dir) / "_quarto.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return "typst"
    formats = config.get("format") if isinstance(config, dict) else None
    for name in formats if isinstance(formats, dict) else ():
        if name == "typst" or str(name).endswith("-typst"):
            return str(name)
    return "typst"


def cover_json(hooks: BookHooks) -> str:
    """The hooks' cover (edition, lines, notice) as the JSON the cover filter reads."""
    c = hooks.cover
    return json.dumps({"edition": c.edition, "lines": list(c.lines), "notice": c.notice}, ensure_ascii=False)


def hand_off(hooks: BookHooks) -> tuple[dict[str, str], dict[str, str]]:
    """What ``quarto render`` is handed: the chapters' ``-P`` values and the environment, from one dict.

    The chapters get the book's parameters as ``-P name:value`` (Quarto injects
    them after the cell tagged ``parameters``). A project's ``pre-render``
    script does not see ``-P`` values: Quarto runs it with the process's
    environment plus its own ``QUARTO_PROJECT_*`` variables (render-all,
    output folder, input files; https://quarto.org/docs/projects/scripts.html),
    so the same dict reaches ``freeze_key.py`` as JSON in :data:`PARAMETERS_ENV`,
    beside the cover for ``cover.lua`` (:data:`COVER_ENV`).

    Returns
    -------
    parameters : dict
        For :func:`quarto_command` (``-P``).
    env : dict
        The variables to add to Quarto's environment.
    """
    parameters = dict(hooks.parameters)
    return parameters, {COVER_ENV: cover_json(hooks), PARAMETERS_ENV: json.dumps(parameters)}


def quarto_command(
    project_dir: Path, to: str = "all", output_dir: Path | None = None, quarto: str = "quarto", pdf: str = "typst",
    parameters: dict[str, str] | None = None,
) -> list[str]:
    """Build the ``quarto render`` command line.

    ``to="pdf"`` maps to the project's Typst format ``pdf`` (see
    :func:`pdf_format`); ``"all"`` renders every format listed in
    ``_quarto.yml``. Each of ``parameters`` becomes ``-P name:value``:
    Quarto injects it after the chapter's cell tagged ``parameters``, as the
    own engine does (:attr:`~ipsreport.render.hooks.BookHooks.parameters`).
    """
    cmd = [quarto, "render", str(project_dir)]
    for name, value in sorted((parameters or {}).items()):
        cmd += ["-P", f"{name}:{value}"]
    if to == "html":
        cmd += ["--to", "html"]
    elif to == "pdf":
        cmd += ["--to", pdf]
    if output_dir is not None:
        cmd += ["--output-dir", str(output_dir)]
    return cmd


def render_with_quarto(
    project_dir: Path,
    output_dir: Path | None = None,
    to: str = "all",
    hooks: BookHooks | None = None,
) -> int:
    """Run ``quarto render`` with the hooks' ``parameters`` (``-P``, and for the pre-render step, :func:`hand_off`).

    The hooks' cover travels to the project's cover filter as JSON in
    :data:`COVER_ENV`, so both engines print the same cover facts.

    Quarto writes into a temporary folder beside the output folder; only
    when it exits 0 is that folder swapped into place (the same
    :func:`ipsreport.render.outdir.check_output` / ``swap`` as the pandoc
    engine), so a failed or interrupted render leaves the previous book.
    Quarto runs the chapters itself: the hooks' preamble is not used.

    Returns
    -------
    int
        Quarto's exit code.

    Raises
    ------
    ToolMissingError
        If quarto is not on PATH.
    OutputRefused
        If the output folder may not be replaced (nothing is run).
    """
    quarto = quarto_available()
    if quarto is None:
        raise ToolMissingError("quarto was requested but is not installed (not found on PATH).")
    hooks = hooks or BookHooks()
    project = load_project(Path(project_dir))
    out = Path(output_dir).expanduser().resolve() if output_dir is not None else project.output_dir
    parameters, handed = hand_off(hooks)
    env = {**os.environ, **handed}
    guard = {"protected": dict(hooks.protected_paths), "project_dir": project.root}
    check_output(out, **guard)
    tmp = staging_dir(out)
    if hooks.attachment is not None:
        hooks.attachment.start(tuple(project.files))
    try:
        code = subprocess.run(quarto_command(project.root, to, tmp, quarto, pdf_format(project.root), parameters), env=env, cwd=project.root).returncode
        if code == 0:
            if hooks.attachment is not None:
                hooks.attachment.write(tmp)
            write_stamp(tmp, "quarto")
            swap(tmp, out, **guard)
        return code
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
