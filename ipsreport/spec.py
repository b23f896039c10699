"""Model specifications shared by the analysis and the synthetic generator.

Table 9 of the reference edition is a logistic regression of being in job or
education at the end (follow-up ``in_job_education``) on ten predictors, fitted
on the finished respondents (``still_enrolled == 0``) with complete data.
The codings below are the report's documented choices; the generator in
``ipsreport.synth`` calibrates against exactly this specification.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One predictor of the Table 9 regression."""

    name: str
    label: str  # Danish, as printed in Table 9
    coding: str  # Danish, for the Data og metode appendix


REGRESSION_OUTCOME = "in_job_education"
REGRESSION_TERMS: tuple[Term, ...] = (
    Term("education", "Højst gennemførte uddannelse", "Uddannelsesniveau ved opstart, kode 1-7 (ordinal)"),
    Term("duration", "Forløbets varighed", "Varighedskategori ved afslutning, kode 1-7 (ordinal)"),
    Term("age", "Alder", "Alder ved opstart i år"),
    Term("gender", "Køn", "1 = kvinde, 0 = mand eller andet"),
    Term("work_experience", "Tidligere erhvervserfaring", "År med erhvervserfaring før opstart (0 for ingen)"),
    Term("meaning", "Vurdering af forløbets betydning", "Gennemsnit af to betydnings-items, 1-5 (5 = i meget høj grad)"),
    Term("mastery", "Selvværd og mestring", "Indeks for mestring og selvværd ved afslutning, 3-12"),
    Term("who5_change", "Udvikling i trivsel (målt ved WHO-5)", "WHO-5 ved afslutning minus ved opstart, point"),
    Term("loneliness", "Ensomhed", "Ensomhed ved afslutning, 1-5 (5 = meget ofte)"),
    Term("burden", "Oplevet psykisk belastning de seneste fire uger", "Psykisk belastning ved afslutning, 1-5"),
)
TERM_NAMES = tuple(t.name for t in REGRESSION_TERMS)


def regression_frame(baseline, followup):
    """Build the Table 9 analysis frame: one row per finished respondent.

    Parameters
    ----------
    baseline, followup : DataFrame
        Survey frames with codebook columns (integer codes).

    Returns
    -------
    DataFrame
        Index ``id``; column ``in_job_education`` (0/1) and one float column
        per term in :data:`TERM_NAMES`. Rows with any missing value are
        dropped (complete-case analysis), as the reference edition did.
    """
    import pandas as pd

    from ipsreport.scoring import mastery_index, meaning_index, who5_score

    fu = followup.set_index("id")
    fu = fu[fu["still_enrolled"] == 0]
    bl = baseline.set_index("id").reindex(fu.index)
    years = bl["work_experience_years"].astype("Float64")
    years = years.mask(bl["work_experience"] == 0, 0.0)
    out = pd.DataFrame(
        {
            REGRESSION_OUTCOME: fu[REGRESSION_OUTCOME].astype("Float64"),
            "education": bl["education"].astype("Float64"),
            "duration": fu["duration"].astype("Float64"),
            "age": bl["age"].astype("Float64"),
            "gender": (bl["gender"] == 2).astype("Float64").where(bl["gender"].notna()),
            "work_experience": years,
            "meaning": meaning_index(fu),
            "mastery": mastery_index(fu),
            "who5_change": who5_score(fu) - who5_score(bl),
            "loneliness": fu["loneliness"].astype("Float64"),
            "burden": fu["burden"].astype("Float64"),
        },
        index=fu.index,
    )
    return out.dropna().astype(float)
