"""The entry points: :func:`validate` (frames in memory) and :func:`validate_dir` (a data folder).

Every check runs and every problem is collected: the evaluator gets the
whole list at once, sorted by file, row and column
(:class:`~ipsreport.inputs.validate.report.ValidationReport`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ipsreport.inputs.codebook.codebook import Codebook, Dataset, load_codebook
from ipsreport.inputs.load import ALL_DATASETS, RawData, TypedData, Violation, convert, load_raw, raw_from_frames
from ipsreport.inputs.validate.file_warnings import label_warnings, manifest_warnings, unknown_column_warnings
from ipsreport.inputs.validate.messages import Messages
from ipsreport.inputs.validate.report import ValidationReport
from ipsreport.inputs.validate.rules import cross_rule_errors, duplicate_ids, reference_errors, repeated_rows
from ipsreport.inputs.validate.schema import PARENT, build_schema, pandera_rule

__all__ = ["validate", "validate_dir"]


def validate(data: RawData | TypedData | Mapping[str, pd.DataFrame], codebook: Codebook | None = None) -> ValidationReport:
    """Validate raw or typed data against the codebook.

    Parameters
    ----------
    data : RawData, TypedData or mapping of DataFrames
        Output of :func:`ipsreport.inputs.load.load_raw` or
        :func:`ipsreport.inputs.load.convert`, or frames by dataset name (any dtypes;
        they are rendered as text and converted like a file, rows numbered
        as in a CSV file unless the index is named ``row``). Datasets absent
        from a mapping are not checked, nor are the rules that need them.
    codebook : Codebook, optional
        Defaults to the project codebook.

    Returns
    -------
    ValidationReport
        Every error and warning at once; ``.frames`` holds the typed frames.
    """
    codebook = codebook or load_codebook()
    if isinstance(data, TypedData):
        typed = data
    elif isinstance(data, RawData):
        typed = convert(data, codebook)
    else:
        typed = convert(raw_from_frames(data), codebook)
    raw = typed.raw
    report = ValidationReport(
        errors=list(raw.errors) + list(typed.failures),
        warnings=list(raw.warnings) + list(typed.warnings),
        sources=dict(raw.sources),
        frames=dict(typed.frames),
        data_dir=raw.data_dir,
    )
    for name in ALL_DATASETS:
        if name not in typed.frames:
            continue
        dataset = codebook.datasets[name]
        frame = typed.frames[name]
        source = raw.sources[name]
        report.warnings.extend(unknown_column_warnings(source, dataset, raw.frames[name].columns))
        report.warnings.extend(label_warnings(source, dataset))
        report.errors.extend(duplicate_ids(frame, dataset, source.file, raw.frames.get(name)))
        report.errors.extend(schema_errors(name, dataset, typed, _parent_ids(name, codebook, typed)))
        report.errors.extend(reference_errors(name, dataset, typed))
        report.warnings.extend(repeated_rows(frame, dataset, source.file))
    for cross in codebook.cross_rules:
        report.errors.extend(cross_rule_errors(cross, codebook, typed))
    return report


def validate_dir(data_dir: str | Path, codebook: Codebook | None = None) -> ValidationReport:
    """Load and validate the data folder of an edition.

    Parameters
    ----------
    data_dir : str or Path
        The data folder, as resolved by the caller (the settings, or
        ``render --data DIR``; see :func:`ipsreport.config.settings.default_data_dir`).
    codebook : Codebook, optional
        Defaults to the project codebook.

    Returns
    -------
    ValidationReport
        ``.ok`` is False when anything must be fixed; ``.format()`` lists it all.
    """
    codebook = codebook or load_codebook()
    report = validate(load_raw(data_dir, codebook), codebook)
    report.warnings.extend(manifest_warnings(Path(data_dir), report.sources))
    return report


def _parent_ids(name: str, codebook: Codebook, typed: TypedData) -> pd.Series | None:
    """Ids of the parent file of ``name`` (registry for baseline, ...), if it was read."""
    if name not in PARENT:
        return None
    parent = PARENT[name][1]
    parent_frame = typed.frames.get(parent)
    parent_id = codebook.datasets[parent].id
    if parent_frame is not None and parent_id in parent_frame.columns:
        return parent_frame[parent_id]
    return None


def schema_errors(name: str, dataset: Dataset, typed: TypedData, parent_ids: pd.Series | None) -> list[Violation]:
    """Check one typed frame against its pandera schema; one Danish error per failing cell or row.

    Parameters
    ----------
    name : str
        Dataset checked.
    dataset : Dataset
        Its codebook entry.
    typed : TypedData
        All typed frames (with the raw text, for quoting values).
    parent_ids : Series, optional
        Ids of the parent file (see :func:`~ipsreport.inputs.validate.schema.build_schema`).

    Returns
    -------
    list of Violation
        A cell that already failed conversion is not reported again.
    """
    raw = typed.raw
    frame = typed.frames[name]
    source = raw.sources[name]
    schema, rules = build_schema(dataset, parent_ids)
    from pandera import errors as pandera_errors  # loaded by build_schema already

    try:
        schema.validate(frame, lazy=True)
    except pandera_errors.SchemaErrors as exc:
        failures = exc.failure_cases
    else:
        return []
    messages = Messages(name, dataset, raw, frame, raw.sources)
    # Wide (row) checks list every column of a failing row; keep one
    # case per row (the rule map knows which column the check is about).
    wide = (failures["schema_context"] == "DataFrameSchema") & (failures["check"] != "column_in_dataframe")
    key = failures[["schema_context", "check", "check_number", "index"]].astype(str)
    key["column"] = failures["column"].astype(str).where(~wide, "")
    key["failure_case"] = failures["failure_case"].astype(str).where(~wide, "")
    keep = ~key.duplicated()
    cases = failures.loc[keep].copy()
    cases["column"] = cases["column"].astype(object).where(~wide[keep], None)
    out: list[Violation] = []
    seen: set[tuple[str, str | None, Any]] = set()
    for _, fc in cases.iterrows():
        rule, column = pandera_rule(fc, rules)
        row = fc["index"]
        if rule != "påkrævet_kolonne":
            if pd.isna(row):
                # Not tied to a row (e.g. a wrong dtype in frames built
                # by hand, or a check that crashed): still an error.
                out.append(Violation(
                    source.file, None, column, None, rule,
                    f"{source.file}, kolonne {column}: kontrollen {fc['check']} fejlede "
                    f"({fc['failure_case']}) (regel: {rule})",
                ))
                continue
            row = int(row)
            # A cell that failed conversion is already reported once.
            if (name, row, column) in typed.failed_cells:
                continue
        key = (rule, column, row if rule != "påkrævet_kolonne" else fc["failure_case"])
        if key in seen:
            continue  # wide checks report every column of a failing row
        seen.add(key)
        out.append(messages.build(rule, column, row, fc["failure_case"]))
    return out
