"""Command-line interface: ``ipsreport render | preview | validate | synth | new-edition``.

Exit codes
----------
0  success
1  render failed (a cell raised, pandoc or Typst failed)
2  usage error (bad arguments, unknown setting, no project)
3  invalid data (validation found errors, the settings contradict the data,
   or warnings under ``--strict``; nothing was rendered)
4  missing tool (e.g. ``--engine quarto`` but quarto is not installed)
5  the output folder was refused; nothing was touched (it holds other
   files, is or holds the data or project folder, is a file, or cannot be
   written; see ``ipsreport.render.outdir``)
6  ``render --by site``: one or more sites failed (each is named, with why);
   every other site's report was made, a failed site's previous one kept
7  the disclosure audit (``ipsreport.analysis.disclosed.gate``) found a count below
   the small-number rule that the published numbers give away; nothing
   was rendered
130  stopped by Ctrl-C (SIGINT) during a render; 143  stopped by SIGTERM.
   The kernels are killed, temporary folders removed, the previous output kept.

``render --by site`` renders one report per site (pandoc engine) into
``OUTPUT/<site>/`` in parallel. ``render`` uses ipsreport's own (pandoc)
engine unless ``--engine quarto`` is given; Quarto on PATH changes nothing.

``preview`` renders the HTML book, serves it on ``http://127.0.0.1:4848/``
and re-renders (cached) when a chapter, ``_quarto.yml``, the data or the
package changes; the open page reloads itself. Ctrl+C stops it.

Progress is shown per chapter with rich on a terminal, and as plain lines
when ``CI`` is set or output is not a terminal. Expected failures print a
one-paragraph Danish message without a Python traceback; an unexpected error
does too (exit 1), unless ``IPSREPORT_DEBUG`` is set.

Validation warnings (e.g. SPSS value labels that contradict the codebook) are
printed by ``render`` (the count and the first few); ``--strict`` on
``render`` and ``validate`` turns them into errors (exit 3).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from ipsreport.inputs.codebook.codebook import CodebookError
from ipsreport.book.new_edition import run_new_edition
from ipsreport.render.signals import Interrupted
from ipsreport.config.settings import SettingsError

from ipsreport.cli_inputs import overrides_from as _overrides
from ipsreport.cli_output import Reporter as _Reporter
from ipsreport.cli_output import fail as _fail
from ipsreport.cli_inputs import settings_for as _settings
from ipsreport.cli_args import (  # noqa: F401 - EXIT_* are part of the CLI's documented interface
    EXIT_DATA,
    EXIT_DISCLOSURE,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PREVIOUS,
    EXIT_RENDER,
    EXIT_SITES,
    EXIT_TOOL,
    EXIT_USAGE,
    UsageError,
    build_parser,
    parse_sets,
)


def _validate(data_dir: Path):
    """Validate a data folder once; the render's run is made from this report (``ResultsBundle.validation``).

    The full report (typed frames and warnings, which the settings check and the
    warning summary need) is kept per content in the render's store
    (:mod:`ipsreport.inputs.verdicts`), so a re-render of the same bytes skips the
    pandera import and the validation. Invalid data are never kept.
    """
    from ipsreport.book.hooks import default_cache_dir
    from ipsreport.inputs.verdicts import validate_shared

    try:
        return validate_shared(Path(data_dir), default_cache_dir())
    except OSError:  # an unreadable file: validate without remembering
        from ipsreport.inputs.validate import validate_dir

        return validate_dir(data_dir)


#: Warnings shown by ``render`` before it points to ``ipsreport validate``.
SHOWN_WARNINGS = 5


def _check_data(report: Any, settings: Any, data_dir: Path, strict: bool, show_warnings: bool) -> int | None:
    """Settings-vs-data check and warnings after a successful validation.

    Returns
    -------
    int or None
        The exit code when the run must stop (3), else None.
    """
    frames = getattr(report, "frames", None)
    if frames:
        from ipsreport.inputs.consistency import check_against_settings

        problems = check_against_settings(report, settings)
        if problems:
            lines = [f"  - {v.message}" for v in problems]
            return _fail(EXIT_DATA, "indstillingerne passer ikke med data i "
                         f"{data_dir}; intet blev lavet.\n" + "\n".join(lines))
    _say_provenance(data_dir, settings)
    sorter = getattr(report, "sorted_warnings", None)
    warnings = list(sorter() if callable(sorter) else getattr(report, "warnings", None) or [])
    if show_warnings and warnings:
        word = "advarsel" if len(warnings) == 1 else "advarsler"
        shown = [f"  - {w}" for w in warnings[:SHOWN_WARNINGS]]
        more = f"  ... og {len(warnings) - SHOWN_WARNINGS} mere\n" if len(warnings) > SHOWN_WARNINGS else ""
        print(f"ipsreport: data i {data_dir} har {len(warnings)} {word}:\n" + "\n".join(shown) + "\n" + more
              + f"  (se alle med ipsreport validate --data {data_dir})", file=sys.stderr)
    if strict and warnings:
        return _fail(EXIT_DATA, f"--strict: data i {data_dir} har {len(warnings)} "
                     f"{'advarsel' if len(warnings) == 1 else 'advarsler'}, som behandles som fejl; intet blev lavet. "
                     "Ret det, advarslerne peger på, eller kør uden --strict.")
    return None


def _say_provenance(data_dir: Path, settings: Any) -> None:
    """Say what kind of data this is and which small-number rule protects it, on every run.

    A manifest that claims synthetic data but does not match the files is
    not believed (the data are treated as real), and a rule switched off for
    real data is a warning the evaluator sees each time.
    """
    from ipsreport.config.fields import AUTO_MIN_CELL, resolve_min_cell
    from ipsreport.inputs.manifest import MANIFEST_NAME, check_manifest

    check = check_manifest(data_dir)
    if check.claims_synthetic and not check.verified:
        print(f"ipsreport: advarsel: {MANIFEST_NAME} i {data_dir} siger, at data er syntetiske, men "
              f"{'; '.join(check.problems)}. Data behandles derfor som rigtige data, og rapporten kalder dem "
              "ikke syntetiske.", file=sys.stderr)
    rule = resolve_min_cell(settings.min_cell, twin=check.twin)
    if check.twin and rule == 0:
        print("ipsreport: data er den verificerede syntetiske tvilling; småtalsreglen er ikke slået til.",
              file=sys.stderr)
    elif rule == 0:
        print(f"ipsreport: ADVARSEL: småtalsreglen er slået fra (min_cell=0) for data i {data_dir}, som ikke er "
              "syntetiske. Tal under 3 kan afsløre personer; offentliggør ikke rapporten uden at slå reglen til "
              "(fjern min_cell, eller sæt --set min_cell=3).", file=sys.stderr)
    elif rule < AUTO_MIN_CELL and not check.twin:
        # A lowered rule publishes counts a rule of 3 hides: as loud as switching it off.
        shown = " og ".join(str(k) for k in range(rule, AUTO_MIN_CELL))
        print(f"ipsreport: ADVARSEL: småtalsreglen er sænket til min_cell={rule} for data i {data_dir}, som ikke er "
              f"syntetiske. Antal på {shown} vises, og tal under {AUTO_MIN_CELL} kan afsløre personer; offentliggør "
              f"ikke rapporten med en lavere grænse end {AUTO_MIN_CELL} (fjern min_cell, eller sæt "
              f"--set min_cell={AUTO_MIN_CELL}).", file=sys.stderr)
    else:
        print(f"ipsreport: småtalsregel: antal under {rule} vises ikke (min_cell={rule}).", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """``ipsreport validate --data DIR``: codebook rules, then the settings against the data."""
    if not args.data.exists():
        return _fail(EXIT_USAGE, f"datamappen {args.data} findes ikke; angiv en eksisterende mappe med --data.")
    settings = _settings(_overrides(args), args.data)
    report = _validate(args.data)
    print(report.format())
    if not report.ok:
        return EXIT_DATA
    stop = _check_data(report, settings, args.data, args.strict, show_warnings=False)
    return EXIT_OK if stop is None else stop


def _checked_inputs(args: argparse.Namespace, quarto: bool = False,
                    ahead: Callable[[Path, Any, int], None] | None = None) -> tuple[Path, Any, dict[str, Any], Any] | int:
    """Project, settings, overrides and the book's hooks once the data passed; or the exit code.

    The settings are resolved once; the hooks (:func:`ipsreport.book.hooks.book_hooks`)
    are built from them. ``ahead(project, hooks, chapters)`` is called once the book
    is known to need rendering, with the number of chapters to run, before the
    checks (the render starts its kernels there).
    """
    from ipsreport import paths

    overrides = _overrides(args)
    project = (args.project or paths.PROJECT_DIR).resolve()
    if not (project / "_quarto.yml").exists():
        return _fail(EXIT_USAGE, f"mappen {project} har ingen _quarto.yml og er ikke et rapportprojekt; "
                     "angiv projektmappen med --project MAPPE.")
    if args.data is not None and not args.data.exists():
        return _fail(EXIT_USAGE, f"datamappen {args.data} findes ikke; angiv en eksisterende mappe med --data.")
    settings = _settings(overrides, args.data)
    data_dir = settings.data_dir
    previous = _previous(args, settings)
    if isinstance(previous, int):
        return previous
    # The checked folders are the settings the pipeline and the chapters read (ipsreport.results.editions.locate.previous_of).
    settings = settings.with_(previous=previous.root if previous is not None else None,
                              previous_data=previous.data if previous is not None else None)

    from ipsreport.render import engine
    from ipsreport.render.quarto import quarto_available

    if quarto and not quarto_available():
        return _fail(EXIT_TOOL, "quarto blev valgt (--engine quarto), men er ikke installeret (findes ikke på PATH); "
                     "installer Quarto eller brug --engine pandoc.")

    try:
        hooks = _hooks(settings, overrides, previous=previous)
    except OSError:  # an unreadable data file: the validation below names it
        hooks = None
    pending = 0  # chapters the own engine would run; None: the book is current
    if hooks is not None and not quarto and getattr(args, "by", None) is None:
        pending = engine.chapters_to_run(project, getattr(args, "output", None), getattr(args, "to", "all"), hooks)
        if pending is None and not args.strict:
            # Rendered before from exactly these bytes, code and settings, so the data validated then;
            # the engine will report "unchanged". Saves loading pandas to validate again.
            _say_provenance(data_dir, settings)
            return project, settings, overrides, hooks
    if hooks is not None and ahead is not None:
        ahead(project, hooks, pending or 0)
    # After the shortcut above: a book rendered from these case files (they are in its key) read them then.
    stop = check_cases()
    if stop is not None:
        return stop
    report = _validate(data_dir)
    if not report.ok:
        print(report.format(), file=sys.stderr)
        return _fail(EXIT_DATA, f"data i {data_dir} er ikke gyldige (se ovenfor); intet blev lavet. "
                     f"Ret fejlene og kør igen, eller se dem med ipsreport validate --data {data_dir}.")
    stop = _check_data(report, settings, data_dir, args.strict, show_warnings=True)
    if stop is not None:
        return stop
    if getattr(args, "by", None) is None:  # --by site audits the site books with the cohort's (ipsreport.book.sites)
        from ipsreport.analysis.disclosed.gate import audit_before_render
        from ipsreport.analysis.disclosed.plan import DisclosureAuditError

        try:
            audit_before_render(data_dir, settings, report)
        except DisclosureAuditError as exc:
            return _fail(EXIT_DISCLOSURE, f"{exc}\nintet blev lavet; tjek data i {data_dir}, eller hæv min_cell.")
    hooks = hooks if hooks is not None else _hooks(settings, overrides, previous=previous)
    # The engine runs the pipeline once, before any chapter (ResultsBundle.start), on this very validation.
    hooks.attachment.validation = report
    return project, settings, overrides, hooks


def _previous(args: argparse.Namespace, settings: Any):
    """The earlier editions of ``--previous`` or the ``previous`` setting, ``None``, or exit 8 with the reason."""
    from ipsreport.results.editions.locate import PreviousError, previous_for_render

    try:
        by_site = getattr(args, "by", None) is not None
        # The setting (written by new-edition) is for the whole book; site books compare with nothing.
        folder = getattr(args, "previous", None) or (None if by_site else settings.previous)
        return previous_for_render(folder, getattr(args, "previous_data", None), by_site, int(settings.edition_year))
    except PreviousError as exc:
        return _fail(EXIT_PREVIOUS, f"{exc} Intet blev lavet.")


def check_cases(cases_dir: Path | None = None) -> int | None:
    """Read every case file before a chapter runs; a broken one stops the run with its Danish message.

    Without this a case file with markup or a missing field would fail the
    chapter that prints it, behind a cell traceback.

    Returns
    -------
    int or None
        3 (each problem printed: file, field, value, rule), else None.
    """
    from ipsreport.outputs.cases.load import CaseError, load_cases

    try:
        load_cases(cases_dir)
    except CaseError as exc:
        return _fail(EXIT_DATA, f"casefilerne er ikke gyldige; intet blev lavet.\n{exc}")
    return None


def _hooks(settings: Any, overrides: dict[str, Any], results: bool = True, previous=None):
    """The report's hooks for the engine, from the settings resolved once.

    With ``results`` the book is written with its results bundle
    (``resultater/``, :mod:`ipsreport.results`); a preview leaves it out.
    ``previous`` (:class:`ipsreport.results.editions.locate.Previous`) hands the
    chapters the earlier editions to compare with.
    """
    from ipsreport.book.hooks import book_hooks, default_cache_dir

    return book_hooks(settings.data_dir, overrides or None, cache_dir=default_cache_dir(), settings=settings,
                      results=results, previous=previous)


def cmd_render(args: argparse.Namespace) -> int:
    """``ipsreport render``: validate the data, then render with the chosen engine."""
    from ipsreport.render import engine

    kernels: list = []

    def start_kernels(project: Path, hooks: Any, pending: int) -> None:
        # The own engine's kernels start now, while the data are checked and the pipeline runs
        # (their start and imports are the render's largest fixed cost). Site books: as many as the
        # workers, as which chapters must run is known only once the data are split and audited.
        if args.engine != "quarto":
            count = (args.workers or os.cpu_count() or 1) if args.by is not None else pending
            kernels.append(engine.start_kernels(project, count, args.workers, hooks.kernel_preamble))

    try:
        checked = _checked_inputs(args, quarto=args.engine == "quarto", ahead=start_kernels)
        return _render(args, checked, kernels[0] if kernels else None)
    finally:
        for ahead in kernels:
            ahead.close()


def _render(args: argparse.Namespace, checked: tuple | int, kernels: Any) -> int:
    """The render of :func:`cmd_render` once the inputs are checked (``kernels``: started ahead, or None)."""
    if isinstance(checked, int):
        return checked
    project, settings, overrides, hooks = checked
    data_dir = settings.data_dir
    # What the checks imported and read lives until the command ends: frozen (gc.freeze), full collections
    # walk only what was made since; see docs/CONTRACT.md, "The collector".
    gc.freeze()

    from ipsreport.render import engine
    from ipsreport.render.base import ToolMissingError
    from ipsreport.render.outdir import OutputRefused
    from ipsreport.render.quarto import render_with_quarto

    choice = args.engine
    if args.by is not None:
        if choice == "quarto":
            raise UsageError("--by site kræver pandoc-motoren (udelad --engine, eller brug --engine pandoc).")
        return _render_by_site(args, project, data_dir, overrides, kernels)
    # The default is the engine the project tests; Quarto on PATH changes
    # nothing ("auto" is kept as a name for the default, not a switch).
    reporter = _Reporter()
    if choice == "quarto":
        try:
            code = render_with_quarto(project, args.output, args.to, hooks)
        except ToolMissingError:
            return _fail(EXIT_TOOL, "quarto er ikke installeret (findes ikke på PATH); installer Quarto eller brug "
                         "--engine pandoc.")
        except OutputRefused as exc:
            return _fail(EXIT_OUTPUT, str(exc))
        except engine.RenderError as exc:  # the pipeline, run before Quarto starts
            return _fail(EXIT_RENDER, f"rapporten kunne ikke laves; den tidligere udgave er uændret.\n{exc}")
        return EXIT_OK if code == 0 else _fail(
            EXIT_RENDER, f"quarto render stoppede med kode {code} (se ovenfor); den tidligere udgave er uændret."
        )
    try:
        result = engine.render_book(
            project, output_dir=args.output, to=args.to, hooks=hooks,
            progress=reporter, workers=args.workers, kernels=kernels,
        )
    except OutputRefused as exc:
        return _fail(EXIT_OUTPUT, str(exc))
    except engine.RenderError as exc:
        return _fail(EXIT_RENDER, f"rapporten kunne ikke laves; den tidligere udgave er uændret.\n{exc}")
    for w in result.warnings:
        reporter.message(f"warning: {w}")
    if result.unchanged:
        reporter.message(f"unchanged: {result.output_dir} (nothing changed since the last render)")
    else:
        reporter.message(
            f"rendered: {result.output_dir} ({len(result.executed)} chapters executed, {len(result.cached)} from cache)"
        )
        if hooks.attachment is not None:
            reporter.message(f"results: {result.output_dir / 'resultater'} (see docs/RESULTS.md)")
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    """``ipsreport preview``: render the HTML book, serve it on 127.0.0.1, re-render on change."""
    checked = _checked_inputs(args)
    if isinstance(checked, int):
        return checked
    project, settings, overrides, _ = checked
    from ipsreport.render.outdir import OutputRefused
    from ipsreport.render.preview import serve

    reporter = _Reporter()
    try:
        # Rebuilt for every render: an edited data file or settings file changes the hooks.
        serve(project, lambda: _hooks(_settings(overrides, settings.data_dir), overrides, results=False), args.output,
              args.port, args.workers, say=reporter.message, progress=reporter)
    except OutputRefused as exc:
        return _fail(EXIT_OUTPUT, str(exc))
    except OSError as exc:  # the port is taken, or the output folder cannot be written
        return _fail(EXIT_USAGE, f"forhåndsvisningen kunne ikke starte på port {args.port} ({exc.strerror or exc}); "
                     "vælg en anden port med --port, fx --port 0 for en ledig.")
    except KeyboardInterrupt:
        reporter.message("preview: stopped")
    return EXIT_OK


def _render_by_site(args: argparse.Namespace, project: Path, data_dir: Path, overrides: dict[str, Any],
                    kernels: Any = None) -> int:
    """``ipsreport render --by site``: one report per site, in parallel."""
    from ipsreport.render import engine
    from ipsreport.render.outdir import OutputRefused
    from ipsreport.book.sites import SitesFailed, render_by_site

    from ipsreport.analysis.disclosed.plan import DisclosureAuditError

    reporter = _Reporter()
    try:
        results = render_by_site(
            project, data_dir, output_dir=args.output, to=args.to, overrides=overrides or None,
            workers=args.workers, progress=reporter, kernels=kernels,
        )
    except SitesFailed as exc:  # one site's failure never stops the others
        for site, result in exc.results.items():
            reporter.message(f"rendered: {site} -> {result.output_dir}")
        return _fail(EXIT_SITES, str(exc))
    except DisclosureAuditError as exc:
        return _fail(EXIT_DISCLOSURE, f"{exc}\nintet blev lavet.")
    except ValueError as exc:
        return _fail(EXIT_DATA, f"{exc}\nintet blev lavet.")
    except OutputRefused as exc:
        return _fail(EXIT_OUTPUT, str(exc))
    except engine.RenderError as exc:
        return _fail(EXIT_RENDER, f"rapporten kunne ikke laves; den tidligere udgave er uændret.\n{exc}")
    for site, result in results.items():
        state = "unchanged" if result.unchanged else f"{len(result.executed)} chapters executed, {len(result.cached)} from cache"
        reporter.message(f"rendered: {site} -> {result.output_dir} ({state})")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    """``ipsreport synth``: the synthetic twin, or a cohort with ``--n``."""
    if args.n is None and args.sites is not None:
        raise UsageError("--sites needs --n")
    if args.n is not None:
        from ipsreport.synth.sample import write_cohort

        kwargs: dict[str, Any] = {"n": args.n, "sites": args.sites or 1}
        if args.seed is not None:
            kwargs["seed"] = args.seed
        write_cohort(args.out, **kwargs)
    else:
        from ipsreport.synth.twin import write_twin

        if args.seed is not None:
            write_twin(args.out, args.seed)
        else:
            write_twin(args.out)
    print(f"skrev {args.out}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (see module docstring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or usage error (2)
        return int(exc.code or 0)
    handlers = {"render": cmd_render, "preview": cmd_preview, "validate": cmd_validate, "synth": cmd_synth,
                "new-edition": run_new_edition}
    try:
        return handlers[args.command](args)
    except UsageError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except Interrupted as exc:  # SIGINT/SIGTERM during a render
        return _fail(exc.exit_code, str(exc))
    except KeyboardInterrupt:
        return _fail(EXIT_RENDER, "afbrudt (Ctrl+C); intet nyt blev lavet færdigt.")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("ipsreport"):
            return _fail(EXIT_TOOL, f"en del af ipsreport er ikke installeret endnu ({exc.name}); kør make install.")
        return _unexpected(exc)
    except SettingsError as exc:  # ipsreport.yml, --set, or settings that contradict the data
        from ipsreport.inputs.consistency import DataSettingsError

        return _fail(EXIT_DATA if isinstance(exc, DataSettingsError) else EXIT_USAGE, str(exc))
    except CodebookError as exc:  # data/codebook.yml edited into a shape it cannot have
        return _fail(EXIT_USAGE, str(exc))
    except Exception as exc:  # noqa: BLE001 - no traceback for the user; IPSREPORT_DEBUG shows it
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    """One Danish paragraph for an error nobody foresaw (exit 1); the traceback with IPSREPORT_DEBUG=1."""
    if os.environ.get("IPSREPORT_DEBUG"):
        raise exc
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    return _fail(EXIT_RENDER, f"uventet fejl ({detail}); intet nyt blev lavet færdigt. Kør igen med "
                 "IPSREPORT_DEBUG=1 for de tekniske detaljer, og send dem til den, der vedligeholder ipsreport.")


if __name__ == "__main__":
    raise SystemExit(main())
