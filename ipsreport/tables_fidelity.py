"""Tables of the fidelity appendix, as great-tables ``GT`` objects.

Built with the house style of :mod:`ipsreport.tables` (fixed HTML id, Danish
locale, 100 % wide, source notes instead of a header); the numbers come from
:mod:`ipsreport.summaries.caseload`.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, style

from ipsreport import disclosure, fmt
from ipsreport.summaries.caseload import summarise_caseload
from ipsreport.tables import REGISTRY_NOTE, SUPPRESSION_NOTE, _gt, _keep, _notes

__all__ = ["tab_caseload"]


def tab_caseload(ed) -> GT:
    """Fidelity appendix: each consultant's caseload against the limit.

    One row per consultant ("Konsulent A", …) and a bold programme row:
    young people in all, mean and highest number of young people at a time,
    and the days (number and share) above ``settings.fidelity_caseload_max``.

    Small-number rule (``min_cell``, :mod:`ipsreport.disclosure`): the
    caseload columns count young people, so

    * a consultant's number of young people below ``min_cell`` prints as
      ``"<3"``; since the programme row shows their total, the next-smallest
      consultant's number is hidden too (``"–"``, secondary suppression),
      as in every other table with a total;
    * for a consultant with fewer than ``min_cell`` young people the mean is
      hidden as well (it would reveal how long those few young people were
      enrolled), and a highest caseload below ``min_cell`` prints as ``"<3"``;
    * days above the limit count days, not people, and the limit (at least
      ``min_cell`` in any sensible setting) is far above the rule, so they
      are always shown.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    GT
    """
    min_cell = disclosure.get_min_cell(ed)
    summary = summarise_caseload(ed)
    per = summary[summary["level"] == "consultant"]
    total = summary[summary["level"] == "programme"].iloc[0]
    limit = int(total["limit"])
    marked = disclosure.suppress(per.assign(group=1), min_cell, by="group", n="participants")
    small = marked["suppression"] == "primary"
    frame = pd.DataFrame(
        {
            "consultant": [*per["consultant"].astype(str), f"{total['consultant']} ({fmt.count(len(per))})"],
            "participants": [
                *[disclosure.fmt_count(n, min_cell, s) for n, s in zip(marked["participants"], marked["suppressed"])],
                disclosure.fmt_count(total["participants"], min_cell),
            ],
            "mean": [*[fmt.MISSING if s else _mean(m) for m, s in zip(per["mean"], small)], _mean(total["mean"])],
            "peak": [disclosure.fmt_count(p, min_cell) for p in [*per["peak"], total["peak"]]],
            "days_above": [fmt.count(n) for n in [*per["days_above"], total["days_above"]]],
            "share_above": [_keep(fmt.pct(p)) for p in [*per["share_above_pct"], total["share_above_pct"]]],
        }
    )
    table = _gt(frame, "caseload", first_width="26%")
    table = table.cols_label(consultant="Konsulent", participants="Unge i alt", mean="Gennemsnit",
                             peak="Højeste", days_above="Dage", share_above="Andel af dagene")
    table = table.tab_spanner("Unge ad gangen", columns=["mean", "peak"])
    table = table.tab_spanner(_keep(f"Over grænsen på {fmt.count(limit)}"), columns=["days_above", "share_above"])
    numeric = ["participants", "mean", "peak", "days_above", "share_above"]
    table = table.cols_align("right", columns=numeric)
    table = table.tab_style(style.text(weight="bold"), loc.body(rows=[len(frame) - 1]))
    notes = [
        REGISTRY_NOTE,
        f"Antallet af unge ad gangen er talt for hver dag fra konsulentens første start til sidste afslutning "
        f"(dog højst til evalueringens afslutning {fmt.date(ed.settings.evaluation_end)}). Gennemsnit og andele "
        f"gælder disse dage; for »{total['consultant']}« alle konsulenters dage tilsammen. IPS-kriteriet er højst "
        f"{fmt.count(limit)} unge pr. konsulent ad gangen.",
        "Konsulenterne er anonymiseret og ordnet efter datoen for deres første forløb.",
    ]
    if min_cell and marked["suppressed"].any():
        notes.append(SUPPRESSION_NOTE.format(m=min_cell)
                     + " For en konsulent med færre end {m} unge vises gennemsnittet heller ikke.".format(m=min_cell))
    return _notes(table, notes)


def _mean(value) -> str:
    return fmt.MISSING if pd.isna(value) else fmt.num(value, 1)
