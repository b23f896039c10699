"""A made 2026 cohort for the edition comparison's tests: the 2025 twin a year later, with other outcomes.

Written with pandas from the twin's CSV files (no ipsreport code), so a test
can compute the expected comparison independently from both data folders.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ipsreport.paths import SYNTHETIC_DIR



def settings_for(year: int) -> dict:
    """The twin's periods moved to ``year`` (the 2025 edition's settings ``year - 2025`` years later)."""
    shift = year - 2025
    return {"edition_year": year, "evaluation_end": f"{2025 + shift}-05-01", "project_start": f"{2022 + shift}-12-01",
            "project_end": f"{2025 + shift}-05-31", "implementation_start": f"{2023 + shift}-03-01",
            "implementation_end": f"{2025 + shift}-02-28"}


#: The settings of the 2026 edition (the twin's periods a year later).
SETTINGS_2026 = settings_for(2026)
DATES = ("start_date", "end_date")


def read(folder: Path, name: str) -> pd.DataFrame:
    """A data file as text (ids keep their leading letters and zeros)."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def write_2026(folder: Path, new_ids: bool = True, change_outcomes: bool = True, years: int = 1) -> Path:
    """Write the 2026 cohort into ``folder`` (no manifest: ipsreport treats it as real data, min_cell 3).

    Parameters
    ----------
    years : int, default 1
        How far the twin's dates move (``-1``: a made 2024 edition).
    new_ids : bool
        Rename every person (``U001`` -> ``N001``): no person in both editions.
        ``False`` keeps the twin's ids (a cumulative cohort: everyone shared).
    change_outcomes : bool
        Move ten "other reason" exits to job and lower loneliness at the end
        by one for every respondent above 1; ``False`` keeps every answer.
    """
    folder.mkdir(parents=True, exist_ok=True)
    frames = {name: read(SYNTHETIC_DIR, name) for name in ("registry", "baseline", "followup")}
    registry = frames["registry"]
    for column in DATES:
        dates = pd.to_datetime(registry[column].replace("", None))
        registry[column] = (dates + pd.DateOffset(years=years)).dt.strftime("%Y-%m-%d").fillna("")
    if change_outcomes:
        other = registry.index[registry["exit_status"] == "4"][:10]
        registry.loc[other, "exit_status"] = "1"
        followup = frames["followup"]
        lonely = pd.to_numeric(followup["loneliness"], errors="coerce")
        followup["loneliness"] = [str(int(v - 1)) if v == v and v > 1 else s
                                  for v, s in zip(lonely, followup["loneliness"])]
    if new_ids:
        for frame in frames.values():
            frame["id"] = ("N" if years > 0 else "P") + frame["id"].str[1:]
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
