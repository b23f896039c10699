"""Chapter 4 summaries: duration, background, referral status, supports.

Also holds the generic category summaries used by every chapter
(:func:`summarise_categories`, :func:`summarise_multi`,
:func:`combine_codes`). All percentages are on the 0-100 scale and are
computed on those who answered (``base`` excludes missing answers).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipsreport.analysis.derived import months_enrolled

__all__ = [
    "SUMMARY_COLUMNS",
    "summarise_categories",
    "summarise_multi",
    "Pooled",
    "combine_codes",
    "summarise_duration",
    "summarise_duration_months",
    "summarise_age",
    "summarise_background",
    "summarise_work_experience_years",
    "summarise_status",
    "summarise_supports",
]

#: Columns of every category summary (CONTRACT "Likert / category summaries").
SUMMARY_COLUMNS = ["variable", "label", "code", "category", "n", "base", "pct"]


def _pct(n, base) -> float:
    # An empty group has no share: NaN rather than 0 % or a ZeroDivisionError.
    return float(n) / float(base) * 100 if base else float("nan")


def _frame(ed, dataset: str) -> pd.DataFrame:
    return getattr(ed, dataset)


def summarise_categories(ed, dataset: str, variables: str | list[str]) -> pd.DataFrame:
    """Counts and percentages of categorical answers, in codebook order.

    Parameters
    ----------
    ed : Edition
        Any object with the data frames and ``.codebook``.
    dataset : str
        ``"registry"``, ``"baseline"`` or ``"followup"``.
    variables : str or list of str
        Categorical variables of that dataset.

    Returns
    -------
    DataFrame
        One row per variable and code (all codes of the codebook scale, also
        those nobody chose): ``variable, label, code, category, n, base, pct``.
        ``base`` is the number of non-missing answers; ``pct`` is NaN when
        nobody answered.
    """
    if isinstance(variables, str):
        variables = [variables]
    data = _frame(ed, dataset)
    rows = []
    for name in variables:
        var = ed.codebook[dataset][name]
        answers = data[name].dropna().astype(int)
        base = int(answers.size)
        counts = answers.value_counts()
        unknown = set(counts.index) - set(var.values)
        if unknown:
            # Validation should have caught this; never drop answers silently.
            raise ValueError(f"{dataset}.{name}: codes {sorted(unknown)} are not in the codebook (outside its scale)")
        for code, category in var.values.items():
            n = int(counts.get(code, 0))
            rows.append((name, var.label, code, category, n, base, _pct(n, base)))
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return out.astype({"code": "int64", "n": "int64", "base": "int64", "pct": "float64"})


def summarise_multi(ed, dataset: str, group: str, code: int = 1) -> pd.DataFrame:
    """Multi-select items ("several answers possible"): one row per item.

    Parameters
    ----------
    ed : Edition
    dataset : str
    group : str
        Codebook group of yes/no items, e.g. ``"supports"`` or ``"goals"``.
    code : int
        The code counted (1 = "Ja").

    Returns
    -------
    DataFrame
        ``variable, label, code, category, n, base, pct`` with one row per
        item in codebook order; ``base`` is the number who answered that item.
    """
    names = [v.name for v in ed.codebook[dataset].group(group)]
    if not names:
        raise KeyError(f"{dataset} has no variable group {group!r}")
    long = summarise_categories(ed, dataset, names)
    return long[long["code"] == code].reset_index(drop=True)


@dataclass(frozen=True)
class Pooled:
    """Some categories of one variable taken together (:func:`combine_codes`).

    Attributes
    ----------
    n : int
        Answers in the pooled categories.
    base : int
        Answers to the variable.
    pct : float
        ``n / base * 100`` (NaN for no answers): the share of the pooled count, not a sum of rounded shares.
    """

    n: int
    base: int
    pct: float


def combine_codes(summary: pd.DataFrame, variable: str, codes) -> Pooled:
    """Pool some categories of a summary: e.g. "høj + meget høj grad".

    Parameters
    ----------
    summary : DataFrame
        A category summary (:data:`SUMMARY_COLUMNS`).
    variable : str
        The variable.
    codes : int or iterable of int
        Codes to pool.

    Returns
    -------
    Pooled
    """
    if isinstance(codes, int):
        codes = [codes]
    rows = summary[summary["variable"] == variable]
    if rows.empty:
        raise KeyError(f"summary has no variable {variable!r}")
    missing = set(codes) - set(rows["code"])
    if missing:
        raise KeyError(f"{variable}: codes {sorted(missing)} not in summary")
    n = int(rows.loc[rows["code"].isin(list(codes)), "n"].sum())
    base = int(rows["base"].iloc[0])
    return Pooled(n=n, base=base, pct=_pct(n, base))


def summarise_duration(ed) -> pd.DataFrame:
    """Table 1: duration categories at follow-up (``followup.duration``)."""
    return summarise_categories(ed, "followup", "duration")


def summarise_duration_months(ed) -> pd.DataFrame:
    """Months enrolled, from the registry's start and end dates.

    Those still enrolled (no ``end_date``) count up to
    ``settings.evaluation_end``: the time they had spent in the programme
    when the evaluation closed. A month is 365.25 / 12 days.

    Returns
    -------
    DataFrame
        One row: ``n, mean, median, min, max`` (months) and ``n_finished,
        mean_finished`` (only those with an end date).
    """
    reg = ed.registry
    months = months_enrolled(reg["start_date"], reg["end_date"], ed.settings.evaluation_end)
    finished = months[reg["end_date"].notna()]
    return pd.DataFrame(
        {
            "n": [int(months.notna().sum())],
            "mean": [months.mean()],
            "median": [months.median()],
            "min": [months.min()],
            "max": [months.max()],
            "n_finished": [int(finished.notna().sum())],
            "mean_finished": [finished.mean()],
        }
    )


def summarise_age(ed) -> pd.DataFrame:
    """Age at start (baseline): one row ``n, min, max, mean, over20_n, over20_pct``."""
    age = ed.baseline["age"].dropna().astype(float)
    n = int(age.size)
    over20 = int((age > 20).sum())
    return pd.DataFrame(
        {
            "n": [n],
            "min": [age.min() if n else float("nan")],
            "max": [age.max() if n else float("nan")],
            "mean": [age.mean() if n else float("nan")],
            "over20_n": [over20],
            "over20_pct": [_pct(over20, n)],
        }
    )


#: Sections of Table 2, in print order: (section title, variable).
_BACKGROUND = (
    ("Køn", "gender"),
    ("Alder", "age"),
    ("Højest afsluttede eksamen", "education"),
    ("Erhvervserfaring før opstart i IPS UNG", "work_experience"),
)


def summarise_background(ed) -> pd.DataFrame:
    """Table 2: gender, age (youngest, oldest, mean), education, work experience.

    Returns
    -------
    DataFrame
        Category rows as :func:`summarise_categories` plus ``section`` (the
        Danish section title) and ``value`` (for the three age rows, whose
        ``code`` is ``<NA>`` and ``n``/``pct`` are missing; ``base`` is the
        number who gave their age). The mean years of experience is a
        fact, not a table row: see :func:`summarise_work_experience_years`.
    """
    parts = []
    for section, name in _BACKGROUND:
        if name == "age":
            age = summarise_age(ed).iloc[0]
            label = ed.codebook["baseline"]["age"].label
            part = pd.DataFrame(
                {
                    "variable": "age",
                    "label": label,
                    "code": pd.array([pd.NA] * 3, dtype="Int64"),
                    "category": ["Yngst", "Ældst", "Gennemsnit"],
                    "n": pd.array([pd.NA] * 3, dtype="Int64"),
                    "base": int(age["n"]),
                    "pct": float("nan"),
                    "value": [age["min"], age["max"], age["mean"]],
                }
            )
        else:
            part = summarise_categories(ed, "baseline", name)
            part["value"] = float("nan")
        part.insert(0, "section", section)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"code": "Int64", "n": "Int64", "base": "int64", "value": "float64"})


def summarise_work_experience_years(ed) -> pd.DataFrame:
    """Years of work experience among those with experience: ``n, mean, median``."""
    years = ed.baseline["work_experience_years"].dropna().astype(float)
    return pd.DataFrame({"n": [int(years.size)], "mean": [years.mean()], "median": [years.median()]})


def summarise_status(ed) -> pd.DataFrame:
    """Table 3: referral status at start, from the project's registry."""
    return summarise_categories(ed, "registry", "referral_status")


def summarise_supports(ed) -> pd.DataFrame:
    """Table 4: supports received at start (several answers possible)."""
    return summarise_multi(ed, "baseline", "supports")
