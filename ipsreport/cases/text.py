"""The case in words: the Pandoc markdown of its appendix and the boxes in the chapters."""

from __future__ import annotations

import re
from pathlib import Path

from ipsreport import fmt
from ipsreport.cases.load import Case, TimelineEvent, case_error, danish_month, get_case
from ipsreport.cases.names import genitive
from ipsreport.cases.schema import ENTITY_KINDS, EVENT_KINDS
from ipsreport.model_errors import Problem

__all__ = ["Markdown", "case_appendix", "case_vignette", "show_case"]


class Markdown(str):
    """Pandoc markdown that shows as itself (not quoted) in a notebook cell."""

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_markdown_(self) -> str:
        return str.__str__(self)


def _danish_quotes(text: str) -> str:
    """Typeset straight double quotes as Danish guillemets: "x" -> »x«."""
    return re.sub(r'"([^"\n]+)"', "\u00bb\\1\u00ab", text)


def _paragraphs(text: str) -> str:
    # Folded YAML (">-") keeps blank lines as "\n"; make them paragraph breaks.
    parts = [p.strip() for p in re.split(r"\n\s*", text.strip()) if p.strip()]
    return "\n\n".join(_danish_quotes(p) for p in parts)


def _quote_block(text: str, who: str | None = None) -> str:
    lines = [f"> \u00bb{text}\u00ab"]
    if who:
        lines += [">", f"> \u2014 {who}"]
    return "\n".join(lines)


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
    out = [
        f"*{_pseudonym_note(case)} Casen er skrevet i {danish_month(case.written)}, da {case.pseudonym} var "
        f"{case.age_text}.*",
        f"**Fokus:** {case.focus}",
        f"## Om {case.pseudonym} {{.unlisted}}",
        _paragraphs(case.background),
        "## Forløbet i korte træk {.unlisted}",
        "\n".join(f"- **{_event_heading(e)}:** {e.text}" for e in case.timeline),
    ]
    for section in case.story:
        out += [f"## {section.heading} {{.unlisted}}", _paragraphs(section.text)]
    out += ["## Støtte undervejs {.unlisted}", "\n".join(f"- {s}" for s in case.supports)]
    out += ["## Sagt i interviewene {.unlisted}", "\n\n".join(_quote_block(q.text, q.who) for q in case.quotes)]
    if case.lessons:
        consultant = genitive(case.consultant)
        consultant = consultant[0].upper() + consultant[1:]
        out += [f"## {consultant} læring fra forløbet {{.unlisted}}", "\n".join(f"- {s}" for s in case.lessons)]
    out += [f"## {case.genitive} råd til andre unge i IPS UNG {{.unlisted}}", _quote_block(case.advice)]
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
    text = _paragraphs(body).replace("\n\n", "\n>\n> ")
    return Markdown(f"> **Case {case.order}: {case.pseudonym}**\n>\n> {text}\n")


def show_case(name: str, cases_dir: Path | str | None = None) -> None:
    """Print :func:`case_appendix` (for an ``output: asis`` cell)."""
    print(case_appendix(name, cases_dir))
