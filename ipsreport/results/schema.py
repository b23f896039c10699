"""The results bundle's schema: one frozen pydantic model per part, with a version number.

:class:`Results` is everything one run of the pipeline publishes: the facts
the chapters print, the data behind every table and figure, Table 9's model,
the validation verdict, the data files' checksums, the resolved settings and
the software that made it. Every number in it has passed the disclosure layer
(:mod:`ipsreport.analysis.disclosed`): a hidden value is ``null`` with its suppression
state beside it. The same models are written to and read from the
``resultater/`` folder (:mod:`ipsreport.results.bundle`) and documented field
by field in ``docs/RESULTS.md`` (:mod:`ipsreport.results.doc`).

Change a model, and raise :data:`SCHEMA_VERSION` when a reader of the old
shape would misread the new one.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipsreport.results.kinds import FactKind, Suppression  # noqa: F401 - part of the schema; defined beside the facts that use them

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SCHEMA_VERSION", "Scalar", "FactKind", "Suppression", "ColumnKind", "Column", "Frame", "Dataset",
    "FactRecord", "Model", "Verdict", "DataFile", "Software", "EditionInfo", "Results",
]

#: The bundle's schema version; :func:`ipsreport.results.read_bundle` refuses a newer one.
SCHEMA_VERSION = 2
# Version 2 adds `sd_start` and `sd_end` to the paired frames (fig-who5, fig-mastery, fig-loneliness,
# fig-burden), for the edition comparison's Welch intervals; a version-1 bundle is still read (its
# means are then compared without an interval).

#: A value in a table row: JSON's scalars (``None`` is a hidden or missing value).
Scalar = Union[bool, int, float, str, None]


class ColumnKind(str, Enum):
    """What a table column holds; ``count`` columns are the ones the small-number rule protects."""

    LABEL = "label"
    CODE = "code"
    COUNT = "count"
    SHARE = "share"
    STATISTIC = "statistic"
    QUANTITY = "quantity"
    FLAG = "flag"
    STATE = "state"
    DATE = "date"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(_Frozen):
    """One column of a :class:`Frame`."""

    name: str = Field(description="column name, as in the disclosed frame")
    kind: ColumnKind = Field(description="what it holds: `count` (young people; the small-number rule applies), "
                                         "`share` (0-100), `statistic`, `quantity` (not people: days, staff, "
                                         "scores), `code`, `label`, `flag`, `state` (suppression), `date` (ISO)")


class Frame(_Frozen):
    """One disclosure-controlled frame behind a table or figure."""

    name: str = Field(description="the `ipsreport.analysis.disclosed.layer.Disclosed` attribute it was read from")
    source: str = Field(description="the function that computed it, `module:function`")
    columns: tuple[Column, ...] = Field(description="the published columns, in order")
    rows: tuple[dict[str, Scalar], ...] = Field(description="one object per row; a hidden value is `null`")
    omitted_rows: bool = Field(False, description="rows were left out by the small-number rule "
                                                  "(trajectories shared by too few persons)")

    @model_validator(mode="after")
    def _rows_have_the_columns(self) -> "Frame":
        names = [c.name for c in self.columns]
        for i, row in enumerate(self.rows):
            if set(row) != set(names):
                raise ValueError(f"row {i + 1} has the fields {list(row)}, not the columns {names}")
        return self

    def to_pandas(self) -> "pd.DataFrame":
        """The rows as a DataFrame, columns in order (hidden values missing)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=[c.name for c in self.columns])


class Dataset(_Frozen):
    """The data of one table or figure of the book (one file ``<label>.json``)."""

    label: str = Field(description="the chapter label, e.g. `tbl-duration`; also the file name")
    function: str = Field(description="the chapter API function that draws it, e.g. `tab_duration`")
    frames: tuple[Frame, ...] = Field(description="the frames it is drawn from")

    def frame(self, name: str | None = None) -> Frame:
        """The frame read from ``Disclosed.<name>`` (the first when ``None``)."""
        for frame in self.frames:
            if name is None or frame.name == name:
                return frame
        raise KeyError(f"{self.label} has no frame {name!r}; it has {[f.name for f in self.frames]}")


class FactRecord(_Frozen):
    """One fact a chapter prints (``f.<key>``)."""

    key: str = Field(description="the fact's name: `` `{python} f.<key>` `` in a chapter")
    kind: FactKind = Field(description="`count`, `pct`, `of`, `num` or `text`")
    value: Scalar = Field(description="the number behind the text (0-100 for `pct`); `null` when hidden")
    text: str = Field(description="the Danish text the book prints")
    n: int | None = Field(description="the count behind a share; `null` when hidden or not a share")
    base: int | None = Field(description="its base N; `null` when hidden or not a share")
    suppression: Suppression = Field(description="why the value is hidden; `\"\"` when shown")
    description: str = Field(description="what it is (the registry's one line)")
    rule: str = Field(description="the disclosure rule that protects it")
    reads: str | None = Field(description="the `Disclosed` attribute it reads; `null` for settings and provenance")
    source: str | None = Field(description="the function that computed the number, `module:function`")
    variables: tuple[str, ...] = Field(description="the codebook variables it rests on (`data/codebook.yml`)")


class Model(_Frozen):
    """Table 9: the logistic regression, as the disclosure layer releases it."""

    withheld: bool = Field(description="an outcome group is below the small-number rule: nothing below is shown")
    n: int | None = Field(description="respondents in the model")
    events: int | None = Field(description="respondents in job or education at the end")
    events_per_variable: float | None = Field(description="the smaller outcome group per factor")
    epv_min: int = Field(description="the events per variable the report asks for (`ipsreport.analysis.models.EPV_MIN`)")
    alpha: float = Field(description="significance level")
    ci_method: str = Field(description="how the intervals were computed (`wald` or `profile`)")
    separated: bool = Field(description="the outcome is (almost) perfectly predicted")
    warnings: tuple[str, ...] = Field(description="the fit's warnings, in Danish")
    terms: Frame = Field(description="one row per factor: coefficient, odds ratio, 95 % CI, p")


class Verdict(_Frozen):
    """The validation of the data folder."""

    ok: bool = Field(description="every codebook rule held")
    warnings_n: int = Field(description="number of warnings")
    messages: tuple[str, ...] = Field(description="each warning's file, column and rule (no row, no value: "
                                                   "a person's answer is not published)")


class DataFile(_Frozen):
    """One data file read."""

    dataset: str = Field(description="`registry`, `baseline`, `followup` or `fidelity`")
    file: str = Field(description="file name")
    format: str = Field(description="`csv`, `xlsx` or `sav`")
    rows: int = Field(description="data rows")
    sha256: str = Field(description="SHA-256 of the file's bytes")


class Software(_Frozen):
    """What made the bundle."""

    python: str = Field(description="Python version")
    pandas: str = Field(description="pandas version")
    statsmodels: str = Field(description="statsmodels version (Table 9)")
    ipsreport: str = Field(description="`ipsreport.__version__`")
    git_commit: str | None = Field(description="commit of the project checkout; `null` when unknown")


class EditionInfo(_Frozen):
    """Which edition the bundle describes."""

    edition_year: int = Field(description="setting `edition_year`")
    render_date: str = Field(description="ISO date of the run (the setting `render_date`; `IPSREPORT_RENDER_DATE` sets it on the command line)")
    min_cell: int = Field(description="the small-number rule in force (0: off, the verified twin only)")
    synthetic: bool = Field(description="the data are verified synthetic data")
    twin: bool = Field(description="the data are the verified synthetic twin of the 2025 cohort")


class Results(_Frozen):
    """Everything one run publishes; written as the ``resultater/`` bundle."""

    schema_version: int = Field(SCHEMA_VERSION, description="the bundle's schema version")
    edition: EditionInfo = Field(description="which edition, and the small-number rule in force")
    facts: tuple[FactRecord, ...] = Field(description="the facts the chapters print, by key")
    tables: tuple[Dataset, ...] = Field(description="the data of every table, in report order")
    figures: tuple[Dataset, ...] = Field(description="the data of every figure, in report order")
    model: Model = Field(description="Table 9")
    validation: Verdict = Field(description="the validation of the data folder")
    data_files: tuple[DataFile, ...] = Field(description="the data files read, with checksums")
    settings: dict[str, Any] = Field(description="the resolved settings (`ipsreport.config.settings.settings_to_json`)")
    software: Software = Field(description="versions and commit")

    def fact(self, key: str) -> FactRecord:
        """The fact ``key``; ``KeyError`` naming close keys when there is none."""
        for record in self.facts:
            if record.key == key:
                return record
        import difflib

        close = difflib.get_close_matches(key, [r.key for r in self.facts], n=5, cutoff=0.6)
        raise KeyError(f"no fact {key!r} in the results" + (f"; did you mean {', '.join(close)}?" if close else ""))

    def dataset(self, label: str) -> Dataset:
        """The data of the table or figure ``label`` (``tbl-duration``, ``fig-who5``)."""
        for item in (*self.tables, *self.figures):
            if item.label == label:
                return item
        raise KeyError(f"no table or figure {label!r} in the results")
