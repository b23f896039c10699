"""Case appendices (Bilag 1-4) from structured files.

Each case of the qualitative case study lives in ``data/cases/<name>.yml``
(Danish content, pseudonyms only). :mod:`~ipsreport.cases.schema` describes
the file (pydantic models) and :mod:`~ipsreport.cases.load` reads and checks
it (:class:`CaseError`, with Danish messages naming file, field, value and
rule); :mod:`~ipsreport.cases.text` turns a case into the Pandoc markdown of
its appendix through one template and gives the short vignettes used in
chapters 4 and 5; :mod:`~ipsreport.cases.timeline` draws its dated timeline.

A chapter prints the markdown from an ``output: asis`` cell::

    print(ips.case_appendix("frederik"))

Adding next year's case is adding a YAML file and a three-cell ``.qmd``.

Schema of a case file (all fields required unless marked optional):

``pseudonym`` (str), ``age`` (int, age when the case was written),
``written`` ("YYYY-MM"), ``consultant`` (str, pseudonym), ``order`` (int >= 1,
the appendix order, unique), ``focus``, ``background``, ``vignette`` (str),
``highlight`` (str, optional: the longer box used in chapter 5),
``timeline`` (list of ``{date: "YYYY-MM" | YYYY-MM-DD, kind, text, approx?, when?}``
with ``kind`` one of :data:`EVENT_KINDS`, in chronological order and not
after ``written``), ``supports`` (list of str), ``quotes`` (2-3 of
``{who, text}``), ``lessons`` (list of str, optional), ``story`` (list of
``{heading, text}``), ``advice`` (str).

Every text field is plain text with a small markdown subset (``docs/text.md``):
:mod:`ipsreport.plaintext` refuses markup that would run when the file is
read and escapes everything else on its way into the markdown.

A case holds what the case study says. Where it gives no month for an
event, the event is ``approx: true`` and ``when`` says the time as the
source gives it ("sommeren 2024", "2023, måned ikke oplyst"); ``date`` then
only places the marker on the timeline, which draws it hollow and says so in
the legend. No month is printed that the source does not give.
``lessons`` are the learning points the case study itself states (printed
as the consultant's learning); leave the field out when it states none.
"""

from ipsreport.cases.load import Case, CaseError, TimelineEvent, danish_month, load_case, load_cases
from ipsreport.cases.schema import EVENT_KINDS
from ipsreport.cases.text import Markdown, case_appendix, case_vignette, show_case
from ipsreport.cases.timeline import fig_case_timeline

__all__ = [
    "EVENT_KINDS",
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
