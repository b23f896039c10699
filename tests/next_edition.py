"""A made 2026 cohort for the edition comparison's tests: the 2025 twin a year later, with other outcomes.

Written with pandas from the twin's CSV files (no ipsreport code), so a test
can compute the expected comparison independently from both data folders.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ipsreport.paths import SYNTHETIC_DIR

#: The settings of the 2026 edition (the twin's periods a year later).
SETTINGS_2026 = {
    "edition_year": 2026, "evaluation_end": "2026-05-01", "project_start": "2023-12-01", "project_end": "2026-05-31",
    "implementation_start": "2024-03-01", "implementation_end": "2026-02-28",
}
DATES = ("start_date", "end_date")


def read(folder: Path, name: str) -> pd.DataFrame:
    """A data file as text (ids keep their leading letters and zeros)."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def write_2026(folder: Path, new_ids: bool = True, change_outcomes: bool = True) -> Path:
    """Write the 2026 cohort into ``folder`` (no manifest: ipsreport treats it as real data, min_cell 3).

    Parameters
    ----------
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
        registry[column] = (dates + pd.DateOffset(years=1)).dt.strftime("%Y-%m-%d").fillna("")
    if change_outcomes:
        other = registry.index[registry["exit_status"] == "4"][:10]
        registry.loc[other, "exit_status"] = "1"
        followup = frames["followup"]
        lonely = pd.to_numeric(followup["loneliness"], errors="coerce")
        followup["loneliness"] = [str(int(v - 1)) if v == v and v > 1 else s
                                  for v, s in zip(lonely, followup["loneliness"])]
    if new_ids:
        for frame in frames.values():
            frame["id"] = "N" + frame["id"].str[1:]
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
