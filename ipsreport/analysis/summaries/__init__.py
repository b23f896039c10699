"""Tidy summaries behind every table, figure and number of the report.

Split by chapter so each module stays one screenful:

- ``target_group``  — chapter 4 (duration, background, status, supports)
- ``pathways``      — chapter 5 (motivation, resources, evaluation, psychiatry,
  placements, exit status)
- ``mental_health`` — chapter 6 (paired start/end comparisons, WHO-5 bands)
- ``supplementary`` — Bilag 5 charts
- ``nonresponse``   — chapter 3 and Bilag 6 (end-survey respondents against non-respondents)
- ``caseload``      — fidelity appendix (consultants' caseloads)
- ``fidelity_reviews`` — fidelity appendix (optional fidelity reviews: totals,
  bands, lowest-scored items)

Every ``summarise_*`` function takes an ``Edition`` and returns a pandas
DataFrame whose values are tested; presentation lives in ``ipsreport.outputs.tables``
and ``ipsreport.outputs.figures``.
"""

from ipsreport.analysis.summaries import caseload, fidelity_reviews, mental_health, pathways, supplementary, target_group
from ipsreport.analysis.summaries.caseload import *  # noqa: F401,F403
from ipsreport.analysis.summaries.fidelity_reviews import *  # noqa: F401,F403
from ipsreport.analysis.summaries.mental_health import *  # noqa: F401,F403
from ipsreport.analysis.summaries.nonresponse import summarise_nonresponse  # noqa: F401
from ipsreport.analysis.summaries.pathways import *  # noqa: F401,F403
from ipsreport.analysis.summaries.supplementary import *  # noqa: F401,F403
from ipsreport.analysis.summaries.target_group import *  # noqa: F401,F403

__all__ = [
    *getattr(target_group, "__all__", []),
    *getattr(pathways, "__all__", []),
    *getattr(mental_health, "__all__", []),
    "summarise_nonresponse",
    *getattr(supplementary, "__all__", []),
    *getattr(caseload, "__all__", []),
    *getattr(fidelity_reviews, "__all__", []),
]
