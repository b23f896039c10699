"""Pandera schemas built from the codebook, and their failures mapped back to codebook rules.

:func:`build_schema` turns one dataset's codebook entry into a pandera
schema: per column the type, allowed codes (``tilladte_værdier``), ranges
(``interval``), ``required`` (``påkrævet``), presence of the column
(``påkrævet_kolonne``) and ids present in the parent file
(``baseline_in_registry``, ``followup_in_baseline``); per row (wide checks)
``asked_if``, ``required_if_asked`` (``påkrævet_hvis_spurgt``) and
``end_after_start``. The ``asked_if``/``required_if_asked`` pair on the
registry's ``end_date`` *is* the codebook's ``exit_matches_end`` rule and is
reported under that id. :func:`pandera_rule` names the rule of one pandera
failure case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ipsreport.inputs.codebook.codebook import Dataset
from ipsreport.inputs.validate.conditions import condition

if TYPE_CHECKING:  # pandera is imported where schemas are built (it costs ~0.4 s)
    import pandera.pandas as pa

__all__ = ["PANDAS_DTYPES", "PARENT", "build_schema", "pandera_rule"]

#: Codebook type -> pandas dtype of the typed frames.
PANDAS_DTYPES = {
    "id": "string",
    "string": "string",
    "category": "Int64",
    "integer": "Int64",
    "number": "Float64",
    "date": "datetime64[ns]",
}

#: Cross-file rules: dataset -> (rule id, parent dataset).
PARENT = {"baseline": ("baseline_in_registry", "registry"), "followup": ("followup_in_baseline", "baseline")}
#: Conditional columns whose asked_if/required_if_asked pair is a named codebook rule.
_NAMED_CONDITION_RULES = {("registry", "end_date"): "exit_matches_end"}


def build_schema(
    dataset: Dataset,
    parent_ids: pd.Series | None = None,
) -> tuple[pa.DataFrameSchema, dict[tuple[str | None, int], tuple[str, str | None]]]:
    """Build the pandera schema of one dataset from the codebook.

    Parameters
    ----------
    dataset : Dataset
        Codebook entry of the dataset.
    parent_ids : Series, optional
        Ids of the parent file (registry for baseline, baseline for follow-up);
        adds the ``baseline_in_registry`` / ``followup_in_baseline`` check.

    Returns
    -------
    schema : pandera.DataFrameSchema
        Typed-frame schema (``strict=False``: extra columns are reported as
        warnings separately).
    rules : dict
        ``(column or None, check_number) -> (rule id, column)``, mapping
        pandera's failure cases back to codebook rules.
    """
    # Imported here, not at module level: a process that only loads already
    # validated data (cached verdicts) never pays for importing pandera.
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {}
    rules: dict[tuple[str | None, int], tuple[str, str | None]] = {}
    for var in dataset.variables:
        checks = []
        if var.type == "category":
            checks.append(pa.Check.isin(var.codes))
            rules[(var.name, len(checks) - 1)] = ("tilladte_værdier", var.name)
        if var.range is not None and var.type in ("integer", "number"):
            checks.append(pa.Check.in_range(var.range[0], var.range[1]))
            rules[(var.name, len(checks) - 1)] = ("interval", var.name)
        if var.name == dataset.id and parent_ids is not None and dataset.name in PARENT:
            # A closure rather than Check.isin: pandera deep-copies check
            # arguments, which is slow for 100,000 ids.
            known = pd.Index(parent_ids.dropna().astype(str).unique())
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name=PARENT[dataset.name][0]))
            rules[(var.name, len(checks) - 1)] = (PARENT[dataset.name][0], var.name)
        columns[var.name] = pa.Column(
            PANDAS_DTYPES[var.type],
            checks=checks,
            nullable=not var.required,
            required=True,
        )
    frame_checks = []
    for var in dataset.variables:
        if not var.asked_if:
            continue
        named = _NAMED_CONDITION_RULES.get((dataset.name, var.name))

        def not_asked_empty(df, var=var):
            if var.name not in df.columns:
                return pd.Series(True, index=df.index)
            cond = condition(df, var.asked_if)
            return ~((cond == False).fillna(False) & df[var.name].notna())  # noqa: E712

        frame_checks.append(pa.Check(not_asked_empty, ignore_na=False, name=f"asked_if:{var.name}"))
        rules[(None, len(frame_checks) - 1)] = (named or "asked_if", var.name)
        if var.required_if_asked:

            def asked_answered(df, var=var):
                if var.name not in df.columns:
                    return pd.Series(True, index=df.index)
                cond = condition(df, var.asked_if)
                return ~((cond == True).fillna(False) & df[var.name].isna())  # noqa: E712

            frame_checks.append(pa.Check(asked_answered, ignore_na=False, name=f"required_if_asked:{var.name}"))
            rules[(None, len(frame_checks) - 1)] = (named or "påkrævet_hvis_spurgt", var.name)
    names = dataset.names
    if "start_date" in names and "end_date" in names:

        def end_after_start(df):
            if not {"start_date", "end_date"} <= set(df.columns):
                return pd.Series(True, index=df.index)
            return ~(df["end_date"] < df["start_date"]).fillna(False).astype(bool)

        frame_checks.append(pa.Check(end_after_start, ignore_na=False, name="end_after_start"))
        rules[(None, len(frame_checks) - 1)] = ("end_after_start", "end_date")
    schema = pa.DataFrameSchema(columns, checks=frame_checks, strict=False, name=dataset.name)
    return schema, rules


def pandera_rule(fc: pd.Series, rules: dict) -> tuple[str, str | None]:
    """``(rule id, column)`` of one row of pandera's ``failure_cases``."""
    check = str(fc["check"])
    column = None if pd.isna(fc["column"]) else str(fc["column"])
    if check == "column_in_dataframe":
        return "påkrævet_kolonne", column
    if check == "not_nullable":
        return "påkrævet", column
    number = fc["check_number"]
    if pd.isna(number):
        return "datatype", column
    if fc["schema_context"] == "DataFrameSchema":
        return rules.get((None, int(number)), (check, column))
    return rules.get((column, int(number)), (check, column))
