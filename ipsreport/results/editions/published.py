"""The edition comparison in this edition's own results bundle (``tbl-edition-change.json``, ``tbl-edition-series.json``).

A run with a previous edition publishes its comparison (the pipeline's
:class:`~ipsreport.results.editions.compare.Comparison`, the object the book
prints from) beside the book's other tables, so the next reader of the bundle
sees what the book said had changed. Only published numbers go in: the
previous and current values as both editions printed them, the difference,
its interval, the method, the verdict, and the number of shared persons
under the small-number rule (``null`` when hidden); with three or more
editions, every edition's value with its own interval.
"""

from __future__ import annotations

from ipsreport.results.editions.compare import Comparison
from ipsreport.results.build import check_disclosure, scalar
from ipsreport.results.schema import Column, ColumnKind as K, Dataset, Frame, Results

__all__ = ["CHANGE_LABEL", "SERIES_LABEL", "with_comparison"]

CHANGE_LABEL = "tbl-edition-change"
SERIES_LABEL = "tbl-edition-series"
_CHANGE = {"indicator": K.LABEL, "label": K.LABEL, "kind": K.LABEL, "previous_year": K.QUANTITY,
           "current_year": K.QUANTITY, "previous": K.STATISTIC, "current": K.STATISTIC, "diff": K.STATISTIC,
           "ci_low": K.STATISTIC, "ci_high": K.STATISTIC, "method": K.LABEL, "verdict": K.LABEL,
           "hidden": K.FLAG, "shared": K.COUNT, "shared_checked": K.FLAG}
_SERIES = {"indicator": K.LABEL, "label": K.LABEL, "kind": K.LABEL, "year": K.QUANTITY, "value": K.STATISTIC,
           "ci_low": K.STATISTIC, "ci_high": K.STATISTIC, "hidden": K.FLAG}


def _dataset(label: str, function: str, name: str, source: str, frame, columns: dict) -> Dataset:
    rows = tuple({c: scalar(r[c], k) for c, k in columns.items()} for r in frame.to_dict("records"))
    return Dataset(label=label, function=function, frames=(Frame(
        name=name, source=source, columns=tuple(Column(name=c, kind=k) for c, k in columns.items()), rows=rows),))


def with_comparison(results: Results, comparison: Comparison) -> Results:
    """``results`` with ``comparison`` added as its tables (the series only with three or more editions).

    Raises
    ------
    ipsreport.results.build.DisclosureBreach
        When a count below the rule would be published.
    """
    from ipsreport.analysis.disclosed.disclosure import is_small

    # The shared count is a count of persons: hidden below the rule, as the book prints it.
    shown = None if is_small(comparison.shared, comparison.min_cell) else comparison.shared
    change = comparison.change.assign(shared=shown, shared_checked=comparison.shared_checked)
    added = [_dataset(CHANGE_LABEL, "tab_edition_change", "edition_change",
                      "ipsreport.analysis.summaries.editions:summarise_edition_change", change, _CHANGE)]
    if comparison.series is not None:
        added.append(_dataset(SERIES_LABEL, "tab_edition_series", "edition_series",
                              "ipsreport.analysis.summaries.editions:summarise_edition_series", comparison.series,
                              _SERIES))
    published = results.model_copy(update={"tables": (*results.tables, *added)})
    check_disclosure(published)
    return published
