"""The edition comparison in this edition's own results bundle (``resultater/tbl-edition-change.json``).

A render with ``--previous`` publishes the comparison beside the book's other
tables, computed in the CLI process from the previous bundles and this
edition's :class:`~ipsreport.results.Results` (which hold the same published
numbers the chapters compare), so the next reader of the bundle sees what the
book said had changed. Only published numbers go in: the previous and current
values as both editions printed them, the difference, its interval, the
method, the verdict, and the number of shared persons under the small-number
rule (``null`` when hidden).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ipsreport.results.editions.locate import Previous
from ipsreport.results.editions.record import EditionRecord, registry_ids
from ipsreport.results.build import scalar
from ipsreport.results.schema import Column, ColumnKind as K, Dataset, Frame, Results

__all__ = ["LABEL", "with_edition_change", "count_overlap"]

LABEL = "tbl-edition-change"
_SOURCE = "ipsreport.analysis.summaries.editions:summarise_edition_change"
_COLUMNS = {"indicator": K.LABEL, "label": K.LABEL, "kind": K.LABEL, "previous_year": K.QUANTITY,
            "current_year": K.QUANTITY, "previous": K.STATISTIC, "current": K.STATISTIC, "diff": K.STATISTIC,
            "ci_low": K.STATISTIC, "ci_high": K.STATISTIC, "method": K.LABEL, "verdict": K.LABEL,
            "hidden": K.FLAG, "shared": K.COUNT, "shared_checked": K.FLAG}


def count_overlap(data_dir: Path, previous: Previous, last: EditionRecord) -> tuple[int, bool]:
    """Persons in both editions, from the data folders (as :func:`ipsreport.results.editions.compare.comparison` counts).

    With the previous data folder: ids of both compared; else the persons of
    this edition who started on or before the previous ``evaluation_end``.
    """
    if previous.data is not None:
        return len(registry_ids(Path(data_dir)) & registry_ids(previous.data)), True
    from ipsreport.inputs.load import load_raw

    registry = load_raw(Path(data_dir)).frames["registry"]
    if not last.evaluation_end:
        return 0, False
    starts = pd.to_datetime(registry["start_date"].replace("", None), errors="coerce")
    return int((starts <= pd.Timestamp(last.evaluation_end)).sum()), False


def with_edition_change(results: Results, previous: Previous, data_dir: Path) -> Results:
    """``results`` with the comparison against the latest previous edition added as a table."""
    from ipsreport.analysis.disclosed.disclosure import is_small
    from ipsreport.results import read_bundle
    from ipsreport.analysis.summaries.editions import summarise_edition_change

    last = EditionRecord.from_results(read_bundle(previous.bundles[-1]))
    shared, checked = count_overlap(data_dir, previous, last)
    change = summarise_edition_change(last, EditionRecord.from_results(results), shared=shared,
                                      alpha=float(results.settings.get("alpha", 0.05)))
    # The shared count is a count of persons: hidden below the rule, as the book prints it.
    shown = None if is_small(shared, results.edition.min_cell) else shared
    change = change.assign(shared=shown, shared_checked=checked)
    rows = tuple({c: scalar(r[c], k) for c, k in _COLUMNS.items()} for r in change.to_dict("records"))
    frame = Frame(name="edition_change", source=_SOURCE,
                  columns=tuple(Column(name=c, kind=k) for c, k in _COLUMNS.items()), rows=rows)
    dataset = Dataset(label=LABEL, function="tab_edition_change", frames=(frame,))
    return results.model_copy(update={"tables": (*results.tables, dataset)})
