"""Model specifications shared by the analysis and the synthetic generator.

Table 9 of the reference edition is a logistic regression of being in job or
education at the end (follow-up ``in_job_education``) on ten predictors, fitted
on the finished respondents (``still_enrolled == 0``) with complete data.
The codings below are the report's documented choices; the terms are computed
by :func:`ipsreport.analysis.derived.regression_terms`, which the generator in
``ipsreport.synth`` also uses, so it calibrates against exactly this model.
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
    Term("education", "Højst gennemførte uddannelse", "Uddannelsesniveau ved opstart, kode 1–7 (ordinal)"),
    Term("duration", "Forløbets varighed", "Varighedskategori ved afslutning, kode 1–7 (ordinal)"),
    Term("age", "Alder", "Alder ved opstart i år"),
    Term("gender", "Køn", "1 = kvinde, 0 = mand eller andet"),
    Term("work_experience", "Tidligere erhvervserfaring", "År med erhvervserfaring før opstart (0 for ingen)"),
    Term("meaning", "Vurdering af forløbets betydning", "Gennemsnit af to spørgsmål om forløbets betydning, 1–5 (5 = i meget høj grad)"),
    Term("mastery", "Selvværd og mestring", "Indeks for mestring og selvværd ved afslutning, 3–12"),
    Term("who5_change", "Udvikling i trivsel (målt ved WHO-5)", "WHO-5 ved afslutning minus ved opstart, point"),
    Term("loneliness", "Ensomhed", "Ensomhed ved afslutning, 1–5 (5 = meget ofte)"),
    Term("burden", "Oplevet psykisk belastning de seneste fire uger", "Psykisk belastning ved afslutning, 1–5"),
)
TERM_NAMES = tuple(t.name for t in REGRESSION_TERMS)


def regression_frame(baseline, followup, derived):
    """Build the Table 9 analysis frame: one row per finished respondent.

    Parameters
    ----------
    baseline, followup : DataFrame
        Survey frames with codebook columns (integer codes).
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`, or
        :func:`ipsreport.analysis.scoring.score_surveys` of the two frames):
        WHO-5 at start and end, mastery and meaning at the end are read
        from it, not scored here.

    Returns
    -------
    DataFrame
        Index ``id``; column ``in_job_education`` (0/1) and one float column
        per term in :data:`TERM_NAMES`. Rows with any missing value are
        dropped (complete-case analysis), as the reference edition did.
    """
    import numpy as np
    import pandas as pd

    from ipsreport.analysis.derived import regression_terms

    def floats(values) -> np.ndarray:
        return pd.Series(values).astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    finished = (followup["still_enrolled"] == 0).fillna(False).to_numpy(dtype=bool)
    fu = followup[finished].set_index("id")
    end = derived.of(baseline, followup).followup[finished]  # the Derived frames share the surveys' rows
    bl = baseline.set_index("id").reindex(fu.index)
    start = derived.baseline.set_index("id")["who5"].reindex(fu.index)
    columns = {name: floats(bl[name]) for name in ("education", "age", "gender", "work_experience",
                                                   "work_experience_years")}
    columns.update({name: floats(fu[name]) for name in ("duration",)})
    columns.update(
        meaning=floats(end["meaning"]),
        mastery_end=floats(end["mastery"]),
        loneliness_end=floats(fu["loneliness"]),
        burden_end=floats(fu["burden"]),
        who5_start=floats(start),
        who5_end=floats(end["who5"]),
    )
    out = pd.DataFrame(
        {REGRESSION_OUTCOME: floats(fu[REGRESSION_OUTCOME]), **regression_terms(columns)},
        index=fu.index,
    )
    return out.dropna().astype(float)
