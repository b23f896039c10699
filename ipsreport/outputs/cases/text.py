"""The case in words: the Pandoc markdown of its appendix and the boxes in the chapters.

Every text of a case file enters the markdown through :mod:`ipsreport.inputs.plaintext`
(:func:`~ipsreport.inputs.plaintext.inline_markdown` for a line,
:func:`~ipsreport.inputs.plaintext.block_markdown` for paragraphs): the template's own
markup is the only markup pandoc reads here.
"""

from __future__ import annotations

from pathlib import Path

from ipsreport.outputs import fmt
from ipsreport.outputs.cases.load import Case, TimelineEvent, case_error, danish_month, get_case
from ipsreport.outputs.cases.names import genitive
from ipsreport.outputs.cases.schema import ENTITY_KINDS, EVENT_KINDS
from ipsreport.inputs.model_errors import Problem
from ipsreport.inputs.plaintext import block_markdown, inline_markdown

__all__ = ["Markdown", "case_appendix", "case_vignette", "show_case"]


class Markdown(str):
    """Pandoc markdown that shows as itself (not quoted) in a notebook cell."""

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_markdown_(self) -> str:
        return str.__str__(self)


def _quote_block(text: str, who: str | None = None) -> str:
    lines = [f"> \u00bb{inline_markdown(text)}\u00ab"]
    if who:
        lines += [">", f"> \u2014 {inline_markdown(who)}"]
    return "\n".join(lines)


def _in_quote(markdown: str) -> str:
    """Markdown blocks inside a block quote: every line behind ``>``."""
    return "\n".join(f"> {line}" if line else ">" for line in markdown.splitlines())


def _event_heading(event: TimelineEvent) -> str:
    """``"Opstart (13. marts 2023)"``, ``"Virksomhedspraktik (2023)"``; an "other" event is its time alone."""
    if event.kind == "other":
        return event.label[0].upper() + event.label[1:]
    return f"{EVENT_KINDS[event.kind]} ({event.label})"


def _pseudonym_note(case: Case) -> str:
    """``"Frederik er et pseudonym, og arbejdspladser og medarbejdere nævnes ikke ved navn."``"""
    if not case.unnamed_kinds:
        return f"{case.pseudonym} er et pseudonym."
    kinds = fmt.join_words([ENTITY_KINDS[k] for k in case.unnamed_kinds])
    return f"{case.pseudonym} er et pseudonym, og {kinds} nævnes ikke ved navn."


def case_appendix(name: str, cases_dir: Path | str | None = None) -> Markdown:
    """Pandoc markdown for the body of a case appendix.

    The appendix heading itself stays in the ``.qmd`` file (so the render
    engine can number it as "Bilag n"); this returns everything below it.

    Parameters
    ----------
    name : str
        Case key, the file stem (``"frederik"``).
    cases_dir : Path or str, optional
        Folder of case files; defaults to ``ipsreport.paths.CASES_DIR``.

    Returns
    -------
    Markdown
        A ``str``; print it from an ``output: asis`` cell.
    """
    case = get_case(name, cases_dir)
    pseudonym = inline_markdown(case.pseudonym)
    out = [
        f"*{inline_markdown(_pseudonym_note(case))} Casen er skrevet i {danish_month(case.written)}, da "
        f"{pseudonym} var {inline_markdown(case.age_text)}.*",
        f"**Fokus:** {inline_markdown(case.focus)}",
        f"## Om {pseudonym} {{.unlisted}}",
        block_markdown(case.background),
        "## Forløbet i korte træk {.unlisted}",
        "\n".join(f"- **{inline_markdown(_event_heading(e))}:** {inline_markdown(e.text)}" for e in case.timeline),
    ]
    for section in case.story:
        out += [f"## {inline_markdown(section.heading)} {{.unlisted}}", block_markdown(section.text)]
    out += ["## Støtte undervejs {.unlisted}", "\n".join(f"- {inline_markdown(s)}" for s in case.supports)]
    out += ["## Sagt i interviewene {.unlisted}", "\n\n".join(_quote_block(q.text, q.who) for q in case.quotes)]
    if case.lessons:
        consultant = genitive(case.consultant)
        consultant = consultant[0].upper() + consultant[1:]
        out += [f"## {inline_markdown(consultant)} læring fra forløbet {{.unlisted}}",
                "\n".join(f"- {inline_markdown(s)}" for s in case.lessons)]
    out += [f"## {inline_markdown(case.genitive)} råd til andre unge i IPS UNG {{.unlisted}}",
            _quote_block(case.advice)]
    return Markdown("\n\n".join(out) + "\n")


def case_vignette(name: str, which: str = "intro", cases_dir: Path | str | None = None) -> Markdown:
    """Markdown for a case box in the chapters.

    Parameters
    ----------
    name : str
        Case key (``"frederik"``).
    which : {"intro", "highlight"}
        ``"intro"``: the short profile of chapter 4 (field ``vignette``);
        ``"highlight"``: the longer illustration of chapter 5 (field
        ``highlight``).
    cases_dir : Path or str, optional
        Folder of case files.

    Returns
    -------
    Markdown
        A block quote headed by the case number and pseudonym; print it from
        an ``output: asis`` cell.
    """
    case = get_case(name, cases_dir)
    if which == "intro":
        body = case.vignette
    elif which == "highlight":
        if case.highlight is None:
            raise case_error(case.path, [Problem(
                "highlight", "feltet mangler, men skal udfyldes, når kapitlet viser casen med "
                             "case_vignette(which='highlight')", "påkrævet_felt")])
        body = case.highlight
    else:
        raise ValueError(f"which must be 'intro' or 'highlight', not {which!r}")
    heading = f"**Case {case.order}: {inline_markdown(case.pseudonym)}**"
    return Markdown(_in_quote(f"{heading}\n\n{block_markdown(body)}") + "\n")


def show_case(name: str, cases_dir: Path | str | None = None) -> None:
    """Print :func:`case_appendix` (for an ``output: asis`` cell)."""
    print(case_appendix(name, cases_dir))
