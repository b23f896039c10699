"""Check an edition's data against the codebook and report every problem at once.

The checks are generated from ``data/codebook.yml``:

* per column (pandera ``Column``): type (after :func:`ipsreport.load.convert`),
  allowed codes (``tilladte_værdier``), ranges (``interval``), ``required``
  (``påkrævet``), presence of the column (``påkrævet_kolonne``), ids present in
  the parent file (``baseline_in_registry``, ``followup_in_baseline``);
* values that must occur in another file (codebook ``references:``, rule
  ``references``; e.g. a fidelity review's ``site`` must be a registry site):
  :func:`reference_errors`;
* repeated key combinations (codebook ``unique:``, e.g. a fidelity review
  with the site, date and reviewer type of an earlier row) are *warnings*
  (``unique_rows``, :func:`repeated_rows`): two reviewers may score a site on
  the same day, but it may also be a row entered twice;
* unique ids (``unique_ids``), outside pandera and in linear time
  (:func:`duplicate_ids`): the first :data:`MAX_LISTED_DUPLICATES` repeated
  ids are listed with the row of their first occurrence, the rest counted;
* across two files (codebook ``rules:`` with ``forbidden``, e.g.
  ``enrolled_matches_registry``): :func:`cross_rule_errors` joins the files on
  the id and reports everyone for whom the forbidden condition holds;
* per row (pandera wide checks): ``asked_if`` (a question asked only under a
  condition must be empty when the condition is false), ``required_if_asked``
  (rule ``påkrævet_hvis_spurgt``; it must be answered when the condition is
  true) and ``end_after_start``. The ``asked_if``/``required_if_asked`` pair on
  the registry's ``end_date`` *is* the codebook's ``exit_matches_end`` rule and
  is reported under that id.

Optional datasets (:data:`~ipsreport.load.OPTIONAL_DATASETS`, e.g. the
fidelity reviews) are checked like the others when their file is there; when
it is absent nothing is reported.

A condition that cannot be evaluated because a variable in it is missing is
treated as unknown: neither "must be empty" nor "must be answered" applies.

Validation is lazy: pandera collects all failure cases, which are turned into
:class:`~ipsreport.load.Violation` records with Danish messages such as::

    baseline.csv, række 7, kolonne who5_1: værdien "7" er ikke en tilladt kode (tilladt: 0-5; regel: tilladte_værdier)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ipsreport.codebook import Codebook, CrossRule, Dataset, Variable, load_codebook
from ipsreport.load import (
    ALL_DATASETS,
    RawData,
    Source,
    TypedData,
    Violation,
    convert,
    load_raw,
    raw_from_frames,
)

if TYPE_CHECKING:  # pandera is imported where schemas are built (it costs ~0.4 s)
    import pandera.pandas as pa

__all__ = [
    "Violation",
    "ValidationReport",
    "DataValidationError",
    "validate",
    "validate_dir",
    "build_schema",
    "PANDAS_DTYPES",
]

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
_PARENT = {"baseline": ("baseline_in_registry", "registry"), "followup": ("followup_in_baseline", "baseline")}
#: Conditional columns whose asked_if/required_if_asked pair is a named codebook rule.
_NAMED_CONDITION_RULES = {("registry", "end_date"): "exit_matches_end"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Repeated ids listed one by one (with the row of the first occurrence); the rest are counted.
MAX_LISTED_DUPLICATES = 20


# --------------------------------------------------------------------------- report


@dataclass
class ValidationReport:
    """All problems found in one edition's data.

    Attributes
    ----------
    errors, warnings : list of Violation
    sources : dict
        Dataset name -> :class:`~ipsreport.load.Source`.
    frames : dict
        Typed frames (index ``row`` = source row number); complete only when
        :attr:`ok`.
    data_dir : Path or None
    """

    errors: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    data_dir: Path | None = None

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not self.errors

    def _sort_key(self, v: Violation) -> tuple:
        files = {s.file: i for i, s in enumerate(self.sources.values())}
        order = {name: i for i, name in enumerate(ALL_DATASETS)}
        dataset_pos = next(
            (order.get(n, 99) for n, s in self.sources.items() if s.file == v.file),
            order.get(v.file, 99),
        )
        columns: list[str] = []
        for name, s in self.sources.items():
            if s.file == v.file and name in self.frames:
                columns = list(self.frames[name].columns)
        col_pos = columns.index(v.column) if v.column in columns else (-1 if v.column is None else len(columns))
        return (dataset_pos, files.get(v.file, 99), v.file, -1 if v.row is None else v.row, col_pos, v.message)

    def sorted_errors(self) -> list[Violation]:
        """Errors sorted by file (registry, baseline, followup, fidelity), row and column."""
        return sorted(self.errors, key=self._sort_key)

    def sorted_warnings(self) -> list[Violation]:
        """Warnings, sorted like :meth:`sorted_errors`."""
        return sorted(self.warnings, key=self._sort_key)

    def format(self) -> str:
        """Danish plain-text report listing every error and warning.

        Returns
        -------
        str
            A summary line, how rows are numbered in each file, then the
            errors and warnings sorted by file and row.
        """
        where = f"Data i {self.data_dir}" if self.data_dir else "Data"
        n_err, n_warn = len(self.errors), len(self.warnings)
        err_word = "fejl"
        warn_word = "advarsel" if n_warn == 1 else "advarsler"
        if self.ok:
            lines = [f"{where} er gyldige ({n_warn} {warn_word})."]
        else:
            lines = [f"{where} er ikke gyldige: {n_err} {err_word}, {n_warn} {warn_word}."]
        files = [
            f"  {s.file}: {len(self.frames[n]) if n in self.frames else 0} rækker ({s.describe()})"
            for n, s in self.sources.items()
        ]
        if files:
            lines += ["Filer:", *files]
        # One line per numbering convention, naming the files it applies to.
        by_text: dict[str, list[str]] = {}
        for s in self.sources.values():
            by_text.setdefault(s.row_convention.split(": ", 1)[1], []).append(s.file)
        conventions = [f"  {', '.join(files)}: {text}" for text, files in by_text.items()]
        if conventions and (self.errors or self.warnings):
            lines += ["Rækkenumre:", *conventions]
        if self.errors:
            lines += ["Fejl:", *(f"  - {v.message}" for v in self.sorted_errors())]
        if self.warnings:
            lines += ["Advarsler:", *(f"  - {v.message}" for v in self.sorted_warnings())]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class DataValidationError(ValueError):
    """The data of an edition broke codebook rules; ``.report`` lists them all."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.format())

    def __str__(self) -> str:
        return self.report.format()


# --------------------------------------------------------------------------- schema


def _codes_text(codes: list[int]) -> str:
    """``0-5`` for a run of three or more consecutive codes, else ``0, 1``."""
    ordered = sorted(codes)
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(str(c) for c in ordered)


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def _condition(frame: pd.DataFrame, expr: str) -> pd.Series:
    """Evaluate an ``asked_if`` expression; ``<NA>`` where it is unknown."""
    names = set(_IDENT.findall(expr)) - {"and", "or", "not", "True", "False", "in"}
    if not names <= set(frame.columns):
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    result = frame.eval(expr, engine="python")
    return pd.Series(result, index=frame.index).astype("boolean")


def _condition_vars(expr: str, columns) -> list[str]:
    return [n for n in dict.fromkeys(_IDENT.findall(expr)) if n in columns]


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
        if var.name == dataset.id and parent_ids is not None and dataset.name in _PARENT:
            # A closure rather than Check.isin: pandera deep-copies check
            # arguments, which is slow for 100,000 ids.
            known = pd.Index(parent_ids.dropna().astype(str).unique())
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name=_PARENT[dataset.name][0]))
            rules[(var.name, len(checks) - 1)] = (_PARENT[dataset.name][0], var.name)
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
            cond = _condition(df, var.asked_if)
            return ~((cond == False).fillna(False) & df[var.name].notna())  # noqa: E712

        frame_checks.append(pa.Check(not_asked_empty, ignore_na=False, name=f"asked_if:{var.name}"))
        rules[(None, len(frame_checks) - 1)] = (named or "asked_if", var.name)
        if var.required_if_asked:

            def asked_answered(df, var=var):
                if var.name not in df.columns:
                    return pd.Series(True, index=df.index)
                cond = _condition(df, var.asked_if)
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


# --------------------------------------------------------------------------- messages


class _Messages:
    """Builds Danish messages with the raw text of the cells involved."""

    def __init__(self, name: str, dataset: Dataset, raw: RawData, typed: pd.DataFrame, sources: dict[str, Source]):
        self.name = name
        self.dataset = dataset
        self.raw = raw.frames.get(name)
        self.typed = typed
        self.file = sources[name].file
        self.sources = sources

    def text(self, row: int, column: str) -> str:
        if self.raw is None or column not in self.raw.columns or row not in self.raw.index:
            return ""
        value = self.raw.at[row, column]
        return "" if value is None else str(value).strip()

    def here(self, row: int, expr: str) -> str:
        parts = []
        for var in _condition_vars(expr, self.typed.columns):
            value = self.text(row, var)
            parts.append(f"{var} = {value if value else 'tom'}")
        return ", ".join(parts)

    def cell(self, row: int, column: str, rule: str, text: str, value: str | None) -> Violation:
        return Violation(
            self.file, int(row), column, value, rule,
            f"{self.file}, række {row}, kolonne {column}: {text}",
        )

    def build(self, rule: str, column: str | None, row: Any, failure_case: Any) -> Violation:
        var: Variable | None = None
        if column is not None and column in self.dataset.names:
            var = self.dataset[column]
        if rule == "påkrævet_kolonne":
            missing = str(failure_case)
            hint = ""
            if self.raw is not None:
                close = [c for c in self.raw.columns if str(c).strip().casefold() == missing.casefold()]
                if close:
                    hint = f"; filen har kolonnen {close[0]} – navnet skal skrives præcis som i kodebogen"
            return Violation(self.file, None, missing, None, rule,
                             f"{self.file}: kolonnen {missing} mangler{hint} (regel: {rule})")
        row = int(row)
        value = self.text(row, column)
        if rule == "tilladte_værdier":
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" er ikke en tilladt kode (tilladt: {_codes_text(var.codes)}; regel: {rule})",
                             value)
        if rule == "interval":
            lo, hi = var.range
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" ligger uden for det tilladte interval "
                             f"(tilladt: {_num_text(lo)}-{_num_text(hi)}; regel: {rule})", value)
        if rule == "påkrævet":
            return self.cell(row, column, rule, f"værdien mangler, men skal altid udfyldes (regel: {rule})", None)
        if rule in ("baseline_in_registry", "followup_in_baseline"):
            parent = _PARENT[self.name][1]
            parent_file = self.sources[parent].file if parent in self.sources else parent
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" findes ikke i {parent_file} (regel: {rule})", value)
        if rule == "end_after_start":
            start = self.text(row, "start_date")
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" ligger før startdatoen \"{start}\" (regel: {rule})", value)
        if var is not None and var.asked_if and rule in ("asked_if", "påkrævet_hvis_spurgt", "exit_matches_end"):
            here = self.here(row, var.asked_if)
            if value:
                return self.cell(row, column, rule,
                                 f"værdien \"{value}\" skal være tom, fordi kolonnen kun udfyldes, når "
                                 f"{var.asked_if} (her: {here}) (regel: {rule})", value)
            return self.cell(row, column, rule,
                             f"værdien mangler, men skal udfyldes, når {var.asked_if} (her: {here}) (regel: {rule})",
                             None)
        # Anything else (e.g. a dtype failure on frames built by hand).
        return Violation(self.file, row, column, value, rule,
                         f"{self.file}, række {row}, kolonne {column}: {failure_case} (regel: {rule})")


def _pandera_rule(fc: pd.Series, rules: dict) -> tuple[str, str | None]:
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


# --------------------------------------------------------------------------- validate


def duplicate_ids(frame: pd.DataFrame, dataset: Dataset, file: str,
                  raw: pd.DataFrame | None = None, limit: int = MAX_LISTED_DUPLICATES) -> list[Violation]:
    """Rule ``unique_ids`` in linear time: list the first repeats, count the rest.

    Parameters
    ----------
    frame : DataFrame
        Typed frame (index = source row number).
    dataset : Dataset
        Codebook entry; its ``id`` column is checked.
    file : str
        File name used in the messages.
    raw : DataFrame, optional
        Text frame, for quoting the id exactly as written.
    limit : int
        Repeated rows listed one by one; one more violation counts the rest.

    Returns
    -------
    list of Violation
        One per listed repeat (``række R ... forekommer også i række F``), plus
        a summary without a row when more than ``limit`` rows repeat an id.
    """
    column = dataset.id
    if column not in frame.columns:
        return []
    ids = frame[column]
    present = ids.notna().to_numpy()
    repeated = ids.duplicated(keep="first").to_numpy() & present  # vectorised: hash-based, O(n)
    total = int(repeated.sum())
    if not total:
        return []
    firsts = ids[present & ~repeated]
    first_row = pd.Series(firsts.index, index=firsts.to_numpy())
    out = []
    for row, value in ids[repeated].iloc[:limit].items():
        text = value
        if raw is not None and column in raw.columns and row in raw.index:
            text = str(raw.at[row, column]).strip()
        out.append(Violation(
            file, int(row), column, text, "unique_ids",
            f"{file}, række {row}, kolonne {column}: værdien \"{text}\" forekommer også i række "
            f"{first_row[value]} (regel: unique_ids)",
        ))
    if total > limit:
        out.append(Violation(
            file, None, column, None, "unique_ids",
            f"{file}, kolonne {column}: i alt {total} rækker gentager et id, der allerede står længere oppe i filen; "
            f"kun de første {limit} er vist hver for sig. Hvert id må kun forekomme én gang – fjern de gentagne rækker "
            "(regel: unique_ids)",
        ))
    return out


#: Known values listed in a ``references`` message (the rest are counted).
_MAX_LISTED_VALUES = 10


def reference_errors(name: str, dataset: Dataset, typed: TypedData) -> list[Violation]:
    """Rule ``references``: values that must occur in a column of another file.

    Parameters
    ----------
    name : str
        Dataset checked.
    dataset : Dataset
        Its codebook entry; variables with ``references`` are checked.
    typed : TypedData
        All typed frames; a referenced file that could not be read is skipped
        (its own problems are reported).

    Returns
    -------
    list of Violation
        One per row whose value is not among the referenced column's values
        (compared as written, after trimming spaces), listing the known values.
    """
    frame = typed.frames.get(name)
    if frame is None:
        return []
    sources = typed.raw.sources
    out = []
    for var in dataset.variables:
        if var.references is None or var.name not in frame.columns:
            continue
        target, column = var.references
        other = typed.frames.get(target)
        if other is None or column not in other.columns:
            continue
        known = pd.Index(other[column].dropna().astype(str).unique())
        values = frame[var.name]
        bad = values.notna() & ~values.astype(str).isin(known)
        if not bad.any():
            continue
        listed = sorted(known)
        shown = ", ".join(f"\"{v}\"" for v in listed[:_MAX_LISTED_VALUES])
        if len(listed) > _MAX_LISTED_VALUES:
            shown += f" og {len(listed) - _MAX_LISTED_VALUES} andre"
        target_file = sources[target].file if target in sources else target
        messages = _Messages(name, dataset, typed.raw, frame, sources)
        for row in values[bad].index:
            value = messages.text(int(row), var.name)
            out.append(messages.cell(
                int(row), var.name, "references",
                f"værdien \"{value}\" findes ikke i {target_file}, kolonne {column} (kendte værdier: {shown}). "
                f"Skriv værdien præcis som i {target_file} (regel: references)", value,
            ))
    return out


def repeated_rows(frame: pd.DataFrame, dataset: Dataset, file: str) -> list[Violation]:
    """Rule ``unique_rows`` (a warning): rows repeating the key of an earlier row.

    Parameters
    ----------
    frame : DataFrame
        Typed frame (index = source row number).
    dataset : Dataset
        Its ``unique`` columns are the key; rows with an empty key cell are skipped.
    file : str

    Returns
    -------
    list of Violation
        One per repeating row, naming the earlier row and the key's values.
    """
    key = [c for c in dataset.unique if c in frame.columns]
    if not key or len(key) < len(dataset.unique):
        return []
    complete = frame[key].notna().all(axis=1)
    rows = frame.loc[complete, key]
    repeated = rows.duplicated(keep="first")
    out = []
    for row in rows.index[repeated.to_numpy()]:
        same = (rows == rows.loc[row]).all(axis=1)
        first = int(rows.index[same.to_numpy()][0])
        values = ", ".join(f"{c} = {_plain(rows.at[row, c])}" for c in key)
        out.append(Violation(
            file, int(row), None, None, "unique_rows",
            f"{file}, række {row}: samme {', '.join(key)} som række {first} ({values}). Er det den samme "
            "måling indtastet to gange, så slet den ene række (regel: unique_rows)",
        ))
    return out


def _plain(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def cross_rule_errors(rule: CrossRule, codebook: Codebook, typed: TypedData) -> list[Violation]:
    """Check one two-file rule of the codebook (``forbidden`` with ``join``).

    The rule's dataset is joined with the joined file on the id (the first
    row of a repeated id in either file; repeats are reported by
    ``unique_ids``) and the
    ``forbidden`` condition evaluated per person, vectorised. Where a
    variable in it is empty the condition is unknown and nothing is reported.

    Returns
    -------
    list of Violation
        One per person for whom the condition holds, located at the rule's
        dataset file, row and first variable in the condition, naming the row
        and values in the joined file.
    """
    if rule.dataset not in typed.frames or rule.join not in typed.frames:
        return []
    own, other = rule.columns(codebook)
    ds, jn = codebook[rule.dataset], codebook[rule.join]
    left, right = typed.frames[rule.dataset], typed.frames[rule.join]
    if not {ds.id, *own} <= set(left.columns) or not {jn.id, *other} <= set(right.columns):
        return []
    prefix = f"{rule.join}__"
    joined = right[[jn.id, *other]].reset_index()
    joined = joined[joined[jn.id].notna() & ~joined[jn.id].duplicated()]
    joined = joined.rename(columns={jn.id: ds.id, **{c: prefix + c for c in [*other, "row"]}})
    mine = left[[ds.id, *own]].reset_index()
    mine = mine[~mine[ds.id].duplicated()]  # a repeated id is already an error of its own
    merged = mine.merge(joined, on=ds.id, how="inner")
    expr = rule.forbidden.replace(f"{rule.join}.", prefix)
    hit = (_condition(merged, expr) == True).fillna(False).to_numpy(dtype=bool)  # noqa: E712
    if not hit.any():
        return []
    raw, sources = typed.raw, typed.raw.sources
    own_msgs = _Messages(rule.dataset, ds, raw, left, sources)
    join_msgs = _Messages(rule.join, jn, raw, right, sources)
    column = own[0] if own else ds.id
    out = []
    for _, case in merged[hit].iterrows():
        row, join_row = int(case["row"]), int(case[prefix + "row"])
        value = own_msgs.text(row, column)
        here = ", ".join(f"{c} = {join_msgs.text(join_row, c) or 'tom'}" for c in other)
        out.append(own_msgs.cell(
            row, column, rule.id,
            f"værdien \"{value}\" modsiger {join_msgs.file}, række {join_row} ({here}) – {rule.description} "
            f"Ret den fil, der er forkert (regel: {rule.id})", value,
        ))
    return out


def _label_warnings(source: Source, dataset: Dataset) -> list[Violation]:
    """Warn where an SPSS file's value labels disagree with the codebook."""
    out = []

    def norm(s: str) -> str:
        return " ".join(str(s).split()).casefold()

    for var in dataset.variables:
        labels = source.value_labels.get(var.name)
        if not labels or var.type != "category":
            continue
        for code, label in labels.items():
            expected = var.values.get(code)
            if expected is not None and norm(expected) != norm(label):
                out.append(Violation(
                    source.file, None, var.name, str(code), "værdimærker",
                    f"{source.file}, kolonne {var.name}: koden {code} hedder \"{label}\" i filen, men "
                    f"\"{expected}\" i kodebogen – tjek at koderne betyder det samme (regel: værdimærker)",
                ))
    return out


def validate(data: RawData | TypedData | Mapping[str, pd.DataFrame], codebook: Codebook | None = None) -> ValidationReport:
    """Validate raw or typed data against the codebook.

    Parameters
    ----------
    data : RawData, TypedData or mapping of DataFrames
        Output of :func:`ipsreport.load.load_raw` or
        :func:`ipsreport.load.convert`, or frames by dataset name (any dtypes;
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
        warnings=list(raw.warnings),
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
        extra = [c for c in raw.frames[name].columns if c not in dataset.names]
        for col in extra:
            report.warnings.append(Violation(
                source.file, None, str(col), None, "ukendt_kolonne",
                f"{source.file}: kolonnen {col} findes ikke i kodebogen og bliver ikke brugt (regel: ukendt_kolonne)",
            ))
        report.warnings.extend(_label_warnings(source, dataset))
        report.errors.extend(duplicate_ids(frame, dataset, source.file, raw.frames.get(name)))
        parent_ids = None
        if name in _PARENT:
            parent = _PARENT[name][1]
            parent_frame = typed.frames.get(parent)
            parent_id = codebook.datasets[parent].id
            if parent_frame is not None and parent_id in parent_frame.columns:
                parent_ids = parent_frame[parent_id]
        schema, rules = build_schema(dataset, parent_ids)
        from pandera import errors as pandera_errors  # loaded by build_schema already
        messages = _Messages(name, dataset, raw, frame, raw.sources)
        try:
            schema.validate(frame, lazy=True)
        except pandera_errors.SchemaErrors as exc:
            failures = exc.failure_cases
            # Wide (row) checks list every column of a failing row; keep one
            # case per row (the rule map knows which column the check is about).
            wide = (failures["schema_context"] == "DataFrameSchema") & (failures["check"] != "column_in_dataframe")
            key = failures[["schema_context", "check", "check_number", "index"]].astype(str)
            key["column"] = failures["column"].astype(str).where(~wide, "")
            key["failure_case"] = failures["failure_case"].astype(str).where(~wide, "")
            keep = ~key.duplicated()
            cases = failures.loc[keep].copy()
            cases["column"] = cases["column"].astype(object).where(~wide[keep], None)
            seen: set[tuple[str, str | None, Any]] = set()
            for _, fc in cases.iterrows():
                rule, column = _pandera_rule(fc, rules)
                row = fc["index"]
                if rule != "påkrævet_kolonne":
                    if pd.isna(row):
                        # Not tied to a row (e.g. a wrong dtype in frames built
                        # by hand, or a check that crashed): still an error.
                        report.errors.append(Violation(
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
                report.errors.append(messages.build(rule, column, row, fc["failure_case"]))
        report.errors.extend(reference_errors(name, dataset, typed))
        report.warnings.extend(repeated_rows(frame, dataset, source.file))
    for cross in codebook.cross_rules:
        report.errors.extend(cross_rule_errors(cross, codebook, typed))
    return report


def validate_dir(data_dir: str | Path | None = None, codebook: Codebook | None = None) -> ValidationReport:
    """Load and validate the data folder of an edition.

    Parameters
    ----------
    data_dir : str or Path, optional
        Defaults to :func:`ipsreport.settings.default_data_dir`.
    codebook : Codebook, optional
        Defaults to the project codebook.

    Returns
    -------
    ValidationReport
        ``.ok`` is False when anything must be fixed; ``.format()`` lists it all.
    """
    if data_dir is None:
        from ipsreport.settings import default_data_dir

        data_dir = default_data_dir()
    codebook = codebook or load_codebook()
    report = validate(load_raw(data_dir, codebook), codebook)
    report.warnings.extend(_manifest_warnings(Path(data_dir), report.sources))
    return report


def _manifest_warnings(folder: Path, sources: dict[str, Source]) -> list[Violation]:
    """Warn when a file differs from the SHA-256 its folder's manifest records.

    Generated folders (the synthetic twin) list each file's checksum; a
    mismatch means the data were edited after generation, so published
    checksums (Reproduktion appendix) would no longer match.
    """
    import yaml

    path = folder / "manifest.yml"
    if not path.is_file():
        return []
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return [Violation("manifest.yml", None, None, None, "manifest",
                          "manifest.yml: filen kan ikke læses som YAML (regel: manifest)")]
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        return []
    out = []
    for source in sources.values():
        entry = files.get(source.file)
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if expected and source.sha256 and expected != source.sha256:
            out.append(Violation(
                source.file, None, None, None, "manifest",
                f"{source.file}: filens SHA-256 svarer ikke til manifest.yml; filen er ændret, efter at "
                "manifestet blev skrevet (regel: manifest)",
            ))
    return out
