"""Chapter 5 summaries: motivation, goals, resources, evaluation, psychiatry,
company placements, exit status and the registry's head counts."""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.derived import ACTIVE_CODE, SUCCESS_CODES, is_finished, is_success
from ipsreport.analysis.summaries.target_group import SUMMARY_COLUMNS, _pct, summarise_categories, summarise_multi

__all__ = [
    "SUCCESS_CODES",
    "ACTIVE_CODE",
    "summarise_motivation",
    "summarise_goals",
    "summarise_resources",
    "summarise_evaluation",
    "summarise_psychiatry",
    "summarise_placement",
    "summarise_placement_of_placed",
    "NO_ANSWER_CODE",
    "summarise_no_placement_duration",
    "summarise_enrolled_duration",
    "summarise_exit",
    "summarise_registry_counts",
]

# SUCCESS_CODES and ACTIVE_CODE are defined in ipsreport.analysis.derived (re-exported here).
#: Duration codes below four months ("Under 2 måneder", "2-4 måneder").
_UNDER_4_MONTHS = (1, 2)


def _group_names(ed, dataset: str, group: str) -> list[str]:
    return [v.name for v in ed.codebook[dataset].group(group)]


def summarise_motivation(ed) -> pd.DataFrame:
    """Table 5: the three motivation items at start (``fits4`` scale)."""
    return summarise_categories(ed, "baseline", _group_names(ed, "baseline", "motivation"))


def summarise_goals(ed) -> pd.DataFrame:
    """Goals of taking part, at start (several answers possible): one row per goal."""
    return summarise_multi(ed, "baseline", "goals")


def summarise_resources(ed) -> pd.DataFrame:
    """Table 6: surplus in everyday life and belief in managing a job."""
    return summarise_categories(ed, "baseline", _group_names(ed, "baseline", "resources"))


def summarise_evaluation(ed) -> pd.DataFrame:
    """Table 7: the three evaluation items at follow-up."""
    return summarise_categories(ed, "followup", _group_names(ed, "followup", "evaluation"))


def summarise_psychiatry(ed) -> pd.DataFrame:
    """Psychiatry items at follow-up: ``psych_contact`` and the three
    collaboration items (asked only of those with contact; each item's base
    is the number who answered it)."""
    names = ["psych_contact", *_group_names(ed, "followup", "psychiatry")]
    return summarise_categories(ed, "followup", names)


def summarise_placement(ed) -> pd.DataFrame:
    """Company placement items at follow-up: ``had_placement`` and the four
    items asked of those with a placement."""
    names = ["had_placement", *_group_names(ed, "followup", "placement")]
    return summarise_categories(ed, "followup", names)


#: Code of the "no answer" row of :func:`summarise_placement_of_placed`.
NO_ANSWER_CODE = 0


def summarise_placement_of_placed(ed) -> pd.DataFrame:
    """The four placement items as shares of *everyone* with a placement.

    The 2025 edition gives these shares of the respondents who had been in
    a placement (``had_placement == 1``), those who skipped an item included
    (its 68 % + 18 % for belonging leave 14 % unanswered). So does this
    summary; :func:`summarise_placement` gives shares of those who answered.

    Returns
    -------
    DataFrame
        Columns of :data:`~ipsreport.analysis.summaries.target_group.SUMMARY_COLUMNS`:
        one row per item and code of its scale, plus a row with code
        :data:`NO_ANSWER_CODE` (category ``"Ikke besvaret"``) for those with
        a placement who left the item blank. ``base`` is the number with a
        placement, the same for every item; the rows of an item sum to it.
    """
    fu = ed.followup
    placed = fu[fu["had_placement"] == 1]
    base = int(len(placed))
    rows = []
    for var in ed.codebook["followup"].group("placement"):
        answers = placed[var.name]
        counts = answers.dropna().astype(int).value_counts()
        unknown = set(counts.index) - set(var.values)
        if unknown:
            raise ValueError(f"followup.{var.name}: codes {sorted(unknown)} are not in the codebook (outside its scale)")
        for code, category in var.values.items():
            n = int(counts.get(code, 0))
            rows.append((var.name, var.label, code, category, n, base, _pct(n, base)))
        blank = int(answers.isna().sum())
        rows.append((var.name, var.label, NO_ANSWER_CODE, "Ikke besvaret", blank, base, _pct(blank, base)))
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return out.astype({"code": "int64", "n": "int64", "base": "int64", "pct": "float64"})


def summarise_no_placement_duration(ed) -> pd.DataFrame:
    """Follow-up respondents without a placement, by time in the programme.

    Returns
    -------
    DataFrame
        One row: ``n`` (answered ``had_placement == 0``), ``short_n`` (of
        these, duration under four months), ``duration_base`` (of these,
        duration answered).
    """
    fu = ed.followup
    none = fu[fu["had_placement"] == 0]
    duration = none["duration"].dropna().astype(int)
    return pd.DataFrame(
        {
            "n": [int(len(none))],
            "short_n": [int(duration.isin(_UNDER_4_MONTHS).sum())],
            "duration_base": [int(duration.size)],
        }
    )


def summarise_enrolled_duration(ed) -> pd.DataFrame:
    """Follow-up respondents still enrolled: how long the shortest of them had been in the programme.

    The 2025 edition justifies including them with "alle havde været i forløb
    i mindst to måneder"; the bound is the lower end of the shortest duration
    category any of them chose.

    Returns
    -------
    DataFrame
        One row: ``n`` (``still_enrolled == 1``), ``answered`` (of these,
        duration answered), ``min_code`` (the shortest duration category, or
        missing) and ``min_months`` (its lower bound in months, read from the
        category label: "Under 2 måneder" -> 0, "2-4 måneder" -> 2, "Over 12
        måneder" -> 12).
    """
    import re

    fu = ed.followup
    enrolled = fu[fu["still_enrolled"] == 1]
    duration = enrolled["duration"].dropna().astype(int)
    min_code = int(duration.min()) if len(duration) else None
    months = None
    if min_code is not None:
        label = ed.codebook["followup"]["duration"].values[min_code]
        match = re.match(r"\s*(?:Under\s+\d+|(?:Over\s+)?(\d+))", label)
        months = int(match.group(1)) if match and match.group(1) else 0
    return pd.DataFrame({"n": [int(len(enrolled))], "answered": [int(len(duration))],
                         "min_code": [min_code], "min_months": [months]})


def summarise_exit(ed) -> pd.DataFrame:
    """Table 8: exit status of those who finished, from the registry.

    Returns
    -------
    DataFrame
        One row per finishing code (all codes but "Fortsat i forløb"):
        ``variable, label, code, category, n, base, pct, success``; ``base`` is
        the number who finished, ``success`` marks job, flexjob and education.
    """
    summary = summarise_categories(ed, "registry", "exit_status")
    finished = summary[summary["code"] != ACTIVE_CODE].copy()
    base = int(finished["n"].sum())
    finished["base"] = base
    finished["pct"] = [_pct(n, base) for n in finished["n"]]
    finished["success"] = finished["code"].isin(SUCCESS_CODES)
    return finished.reset_index(drop=True)


def summarise_registry_counts(ed) -> pd.DataFrame:
    """Head counts behind the report's prose, from the registry and the surveys.

    Returns
    -------
    DataFrame
        Index ``measure``; columns ``label`` (Danish), ``n``, ``base``,
        ``pct`` (``n / base * 100``). Measures: ``registry``, ``finished``,
        ``active``, ``success`` (of finished), ``placement_ever`` (of all),
        ``placement_now`` (of active), ``psychiatry_contact`` (of all),
        ``uu_guidance`` (of all), ``aktivitetsparat``, ``uddannelsesparat``
        (of all), ``baseline``, ``followup`` (respondents; base = registry),
        ``followup_of_baseline`` (follow-up respondents who answered at
        start; base = baseline), ``followup_enrolled``,
        ``followup_finished`` (base = followup).
    """
    reg, bl, fu = ed.registry, ed.baseline, ed.followup
    total = len(reg)
    active_mask = reg["exit_status"] == ACTIVE_CODE
    finished_mask = is_finished(reg["exit_status"])
    finished = int(finished_mask.sum())
    active = int(active_mask.sum())

    def yes(frame, column, mask=None):
        values = frame[column] if mask is None else frame.loc[mask, column]
        return int((values == 1).sum())

    rows = [
        ("registry", "Unge i projektregistreringen", total, total),
        ("finished", "Afsluttet i perioden", finished, total),
        ("active", "Fortsat i forløb ved evalueringens afslutning", active, total),
        ("success", "Afsluttet til job, fleksjob eller uddannelse",
         int(is_success(reg.loc[finished_mask, "exit_status"]).sum()), finished),
        ("placement_ever", "Har været i virksomhedsforløb", yes(reg, "placement_ever"), total),
        ("placement_now", "Er i virksomhedsforløb nu (aktive)", yes(reg, "placement_now", active_mask), active),
        ("psychiatry_contact", "Kontakt til psykiatrien under forløbet", yes(reg, "psychiatry_contact"), total),
        ("uu_guidance", "Uddannelsesvejledning fra UU-vejleder", yes(reg, "uu_guidance"), total),
        ("aktivitetsparat", "Aktivitetsparat ved opstart", int((reg["referral_status"] == 1).sum()), total),
        ("uddannelsesparat", "Uddannelsesparat ved opstart", int((reg["referral_status"] == 2).sum()), total),
        ("baseline", "Besvaret spørgeskema ved opstart", len(bl), total),
        ("followup", "Besvaret spørgeskema ved afslutning", len(fu), total),
        ("followup_of_baseline", "Besvaret både ved opstart og afslutning",
         int(fu["id"].isin(bl["id"]).sum()), len(bl)),
        ("followup_enrolled", "Fortsat i forløb blandt besvarelser ved afslutning", yes(fu, "still_enrolled"), len(fu)),
        ("followup_finished", "Afsluttet blandt besvarelser ved afslutning",
         int((fu["still_enrolled"] == 0).sum()), len(fu)),
    ]
    out = pd.DataFrame(rows, columns=["measure", "label", "n", "base"])
    out["pct"] = [_pct(n, b) for n, b in zip(out["n"], out["base"])]
    return out.set_index("measure")
