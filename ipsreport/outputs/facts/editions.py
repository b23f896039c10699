"""Sentences that say which edition this book is and what it covers.

"Denne udgave" is always the book being rendered. The evaluator's published
evaluation the text compares with is "evalueringen fra 2025", its year taken
from the setting ``reference_year``: a sentence about that publication says
so, and so stays true in every later edition. Who the edition covers comes
from the setting ``cohort`` (:mod:`ipsreport.inputs.cohort`). Whether the book
recomputes the publication's printed numbers (the reproduction appendix)
is decided by :func:`reproduces_reference`.
"""

from __future__ import annotations

from ipsreport.inputs.cohort import CUMULATIVE
from ipsreport.outputs.facts.fact import Fact

__all__ = [
    "reference_evaluation", "reproduces_reference", "cohort_sentence", "reproduction_note",
    "audit_method", "audit_detail",
]


def _published_file() -> str:
    """The file of the printed numbers, relative to the project (``data/published/2025.yml``)."""
    from ipsreport.paths import PROJECT_DIR, PUBLISHED_PATH

    return PUBLISHED_PATH.relative_to(PROJECT_DIR).as_posix()


def _year(f) -> int:
    return int(f.edition.settings.reference_year)


def reference_evaluation(f) -> Fact:
    """ "evalueringen fra 2025": the published evaluation named by ``reference_year`` (never "denne udgave")."""
    return Fact(_year(f), "text", text=f"evalueringen fra {_year(f)}")


def reproduces_reference(ed) -> bool:
    """Whether the data are meant to give the published evaluation's numbers.

    True for the verified synthetic twin (``ed.twin``, checked against its
    files' checksums) and for data the setting ``reproduces_reference`` says
    are the real data behind the publication. Only then does the
    reproduction appendix hold the book's numbers against the printed ones.
    """
    return bool(ed.twin or ed.settings.reproduces_reference)


def cohort_sentence(f) -> Fact:
    """Chapter 3 and the colophon: which young people this edition covers (setting ``cohort``)."""
    from ipsreport.outputs.facts.sentences import period

    settings = f.edition.settings
    if settings.cohort == CUMULATIVE:
        text = ("Udgaven omfatter alle unge i projektets registreringer, dvs. alle, der er begyndt i IPS UNG, "
                "siden indsatsen startede.")
    else:
        months = period(settings.implementation_start, settings.implementation_end).text
        text = (f"Udgaven omfatter de unge, der begyndte i IPS UNG i perioden {months}; unge, der begyndte før "
                "eller efter, indgår ikke i tallene.")
    return Fact(settings.cohort, "text", text=text)


def reproduction_note(f) -> Fact:
    """Bilag 8: why the printed numbers are not recomputed in this edition ("" when they are)."""
    if reproduces_reference(f.edition):
        return Fact(True, "text", text="")
    text = (f"Denne udgave bygger ikke på de data, der ligger bag {reference_evaluation(f).text}, så dens tal "
            "holdes ikke op mod de trykte tal derfra; forskellene ville blot afspejle, at det er andre unge og "
            "en anden periode. Hvordan tallene har udviklet sig siden sidste udgave, står i konklusionens afsnit "
            "»Udvikling siden sidste udgave«, når rapporten er dannet med den forrige udgaves resultater.")
    return Fact(False, "text", text=text)


def audit_method(f) -> str:
    """Bilag 8: how the printed numbers are recomputed (markdown with a list); "" when they are not."""
    if not reproduces_reference(f.edition):
        return ""
    ref = reference_evaluation(f).text
    return (
        f"Hvert tal, der blev trykt i {ref}, er regnet ud igen fra data og holdt op mod det trykte tal. "
        "Hvert tal får én af fire vurderinger:\n\n"
        "- **Præcist**: Det genberegnede tal bliver til det trykte, når det afrundes til lige så mange decimaler. "
        f"Et gennemsnit, der ligger lige midt mellem to afrundinger, og som blev rundet den anden vej i {ref}, "
        "tæller ikke som præcist.\n"
        "- **Inden for tolerance**: Afstanden er større end afrundingen, men inden for den tolerance, der står "
        f"ved tallet. Det gælder tal, som {ref} kun nævner i ord eller som en grænse (»over halvdelen«, »ikke "
        "signifikant«), tal, som intet helt antal svar kan give, og tal, der er afrundet anderledes. "
        "Forklaringen står ved tallet.\n"
        f"- **Rettelse**: Det trykte tal strider mod egne tabeller eller svar i {ref}. Denne udgave skriver det "
        "rettede tal, og data giver netop det. Forklaringen står ved tallet.\n"
        "- **Ikke genskabt**: Afstanden er større end tolerancen. Forklaringen står ved tallet, når den er "
        "kendt.\n\n"
        f"{f.audit_result_sentence} Tabellen nedenfor viser vurderingerne for hver tabel og hvert afsnit i {ref}. "
        f"Er rapporten dannet på andre data end dem bag {ref}, er forskelle at forvente; så viser tabellerne "
        "blot, hvor tallene skiller sig ud.\n"
    )


def audit_detail(f) -> str:
    """Bilag 8: the text between the two audit tables (markdown); "" when the numbers are not recomputed."""
    if not reproduces_reference(f.edition):
        return ""
    ref = reference_evaluation(f).text
    return (
        "Den næste tabel viser de tal, der ikke genskabes præcist, samlet under deres forklaring. Den fulde liste "
        f"med hvert tal og den regel, det regnes ud efter, står i filen `{_published_file()}` og kan hentes "
        "under tabellen.\n\n"
        "Stjernerne ved tallene i denne udgaves Tabel 9 sætter rapportsystemet selv ud fra p-værdierne; de er "
        f"ikke taget fra {ref}, hvis Tabel 9 ikke har stjerner ved tallene. Noten under tabellen nævner "
        f"grænserne og forklarer, hvordan signifikansen i {ref} er kontrolleret. Det er især odds ratioerne og "
        "konfidensintervallerne i Tabel 9, der ikke genskabes: intervallerne i "
        f"{ref} ser ud til at være beregnet på en anden måde end i denne udgave.\n"
    )
