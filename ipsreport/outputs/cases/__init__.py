"""Case appendices (Bilag 1-4) from structured files.

Each case of the qualitative case study lives in ``data/cases/<name>.yml``
(Danish content, pseudonyms only). :mod:`~ipsreport.outputs.cases.schema` describes
the file (pydantic models) and :mod:`~ipsreport.outputs.cases.load` reads and checks
it (:class:`CaseError`, with Danish messages naming file, field, value and
rule); :mod:`~ipsreport.outputs.cases.text` turns a case into the Pandoc markdown of
its appendix through one template and gives the short vignettes used in
chapters 4 and 5; :mod:`~ipsreport.outputs.cases.timeline` draws its dated timeline.

A chapter prints the markdown from an ``output: asis`` cell::

    print(ips.case_appendix("frederik"))

Adding next year's case is adding a YAML file and a three-cell ``.qmd``.

Schema of a case file (all fields required unless marked optional):

``pseudonym`` (str), ``age`` (int, age when the case was written),
``start_age`` (int, optional: age at the start), ``age_public`` (bool,
optional, default false), ``written`` ("YYYY-MM"), ``entities`` (mapping of
key to ``{kind, name, indefinite, definite, public?}``, ``kind`` one of
:data:`ENTITY_KINDS`), ``consultant`` (the key of the case's consultant, a
``staff`` entity), ``order`` (int >= 1, the appendix order, unique),
``focus``, ``background``, ``vignette`` (str), ``highlight`` (str, optional:
the longer box used in chapter 5), ``timeline`` (list of ``{date: "YYYY-MM" |
YYYY-MM-DD, kind, text, approx?, when?}`` with ``kind`` one of
:data:`EVENT_KINDS`, in chronological order and not after ``written``),
``supports`` (list of str), ``quotes`` (2-3 of ``{who, text}``), ``lessons``
(list of str, optional), ``story`` (list of ``{heading, text}``), ``advice``
(str).

People are unrecognisable by rule (:mod:`~ipsreport.outputs.cases.names`): every
employer, place and staff member is declared under ``entities`` and the prose
names it only by a placeholder (``{employer}``, ``{consultant:definite}``,
``{employer:genitive}``), which the book prints as the declared category ("en
større transportvirksomhed") unless the entity is ``public: true``; ages print
as bands ("sidst i tyverne", :func:`age_band`; ``{age}``, ``{start_age}`` in
the prose) unless ``age_public: true``. A capitalised word inside a sentence
that is not declared, or a declared name written out, is an error naming the
file, the field and the word.

Every text field is plain text with a small markdown subset (``docs/text.md``):
:mod:`ipsreport.inputs.plaintext` refuses markup that would run when the file is
read and escapes everything else on its way into the markdown.

A case holds what the case study says. Where it gives no month for an
event, the event is ``approx: true`` and ``when`` says the time as the
source gives it ("sommeren 2024", "2023", "kort efter"); ``date`` then only
places the marker on the timeline, which draws it hollow and says so in the
legend. No month is printed that the source does not give.
``lessons`` are the learning points the case study itself states (printed
as the consultant's learning); leave the field out when it states none.

:func:`check_cases_against_registry` checks that no case starts before the
registry's first start (the case study and the registry describe one cohort).
"""

from ipsreport.outputs.cases.load import Case, CaseError, TimelineEvent, danish_month, load_case, load_cases
from ipsreport.outputs.cases.names import age_band
from ipsreport.outputs.cases.registry_dates import check_cases_against_registry
from ipsreport.outputs.cases.schema import ENTITY_KINDS, EVENT_KINDS
from ipsreport.outputs.cases.text import Markdown, case_appendix, case_vignette, show_case
from ipsreport.outputs.cases.timeline import fig_case_timeline

__all__ = [
    "EVENT_KINDS",
    "ENTITY_KINDS",
    "age_band",
    "check_cases_against_registry",
    "CaseError",
    "Case",
    "TimelineEvent",
    "Markdown",
    "load_case",
    "load_cases",
    "case_appendix",
    "case_vignette",
    "show_case",
    "fig_case_timeline",
    "danish_month",
]
