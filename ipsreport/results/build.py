"""Build a :class:`~ipsreport.results.schema.Results` from one edition's disclosed summaries and facts.

Everything is read from :class:`ipsreport.analysis.disclosed.layer.Disclosed` and the
:class:`~ipsreport.outputs.facts.Facts` accessor, the two layers the book prints
from, so the bundle holds exactly the numbers the book may print. Only the
columns :mod:`ipsreport.results.specs` lists are published, and
:func:`check_disclosure` refuses a bundle holding a count below the rule.
"""

from __future__ import annotations

import datetime as dt
import math
import platform
import re
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ipsreport.results.schema import (
    Column, ColumnKind, DataFile, Dataset, EditionInfo, FactKind, FactRecord, Frame, Model, Results, Scalar,
    Software, Suppression, Verdict,
)
from ipsreport.results.specs import FIGURES, PRODUCERS, REGISTRY_ROW_VARIABLES, TABLES, TERMS, DatasetSpec, FrameSpec

__all__ = ["build_results", "fact_records", "datasets", "book_chapters", "printed_facts", "published_facts", "scalar",
           "check_disclosure", "DisclosureBreach"]

#: ``f.name`` in a chapter (not the accessor's methods), and ``f.words("name")`` / ``share_words`` / ``raw``.
_FACT_USE = re.compile(r"\bf\.(?!words\b|share_words\b|raw\b|names\b|as_dict\b|fact\b|definition\b)"
                       r"([a-z_][a-z0-9_]*)")
_FACT_BY_NAME = re.compile(r"\bf\.(?:words|share_words|raw)\(\s*[\"']([a-z_][a-z0-9_]*)[\"']")
#: The pooled variable and the registry-counts row in a fact's rule: "min_cell; pooled `gender` = 1".
_POOLED = re.compile(r"pooled `([^`]+)`")
_ROW = re.compile(r"row `([^`]+)`")


class DisclosureBreach(ValueError):
    """A bundle would publish a count below the small-number rule (a defect upstream; nothing is written)."""


def book_chapters(project_dir: str | Path | None = None) -> tuple[Path, ...]:
    """The chapter sources of a book (its ``_quarto.yml``; default: this checkout's project)."""
    from ipsreport.paths import PROJECT_DIR
    from ipsreport.render.config import load_project

    return tuple(load_project(Path(project_dir or PROJECT_DIR)).files)


def printed_facts(chapters: Iterable[Path]) -> tuple[str, ...]:
    """The facts the chapters print, sorted: every ``f.<name>`` and ``f.words("<name>")`` in their sources."""
    names: set[str] = set()
    for path in chapters:
        text = Path(path).read_text(encoding="utf-8")
        names.update(_FACT_USE.findall(text))
        names.update(_FACT_BY_NAME.findall(text))
    return tuple(sorted(names))


def published_facts(facts, chapters: Iterable[Path]) -> tuple[str, ...]:
    """The facts the book shows, sorted: those its chapters print and the named numbers inside them.

    :func:`printed_facts`, and the named parts of each printed sentence fact
    (:class:`~ipsreport.outputs.facts.fact.TracedText`): every number the HTML
    marks with its fact (``data-fact``) is then in ``facts.json``.
    """
    from ipsreport.outputs.facts.fact import FactText

    printed = printed_facts(chapters)
    names = set(printed)
    for key in printed:
        for part in getattr(getattr(facts, key), "parts", ()):
            if isinstance(part, FactText) and part.name:
                names.add(part.name)
    return tuple(sorted(names))


def scalar(value: Any, kind: ColumnKind | None = None) -> Scalar:
    """A cell as a JSON scalar: missing -> ``None``, numpy -> Python, dates -> ISO, whole counts -> ``int``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            return None
        if kind in (ColumnKind.COUNT, ColumnKind.CODE) and number.is_integer():
            return int(number)
        return number
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _frame(spec: FrameSpec, summaries) -> Frame:
    data = spec.read(summaries)
    missing = [c for c in spec.columns if c not in data.columns]
    if missing:
        raise KeyError(f"Disclosed.{spec.name} has no column {missing} (ipsreport/results/specs.py)")
    withheld = (data[spec.withheld].fillna(False).astype(bool).to_numpy() if spec.withheld
                else np.zeros(len(data), dtype=bool))
    rows = []
    for hidden, record in zip(withheld, data[list(spec.columns)].to_dict("records")):
        # A statistic the layer withheld publishes no count of its row either.
        rows.append({c: None if hidden and kind is ColumnKind.COUNT else scalar(record[c], kind)
                     for c, kind in spec.columns.items()})
    return Frame(name=spec.name, source=PRODUCERS[spec.name].function,
                 columns=tuple(Column(name=c, kind=k) for c, k in spec.columns.items()), rows=tuple(rows),
                 omitted_rows=bool(data.attrs.get("hidden", False)))


def _dataset(spec: DatasetSpec, summaries) -> Dataset:
    return Dataset(label=spec.label, function=spec.function, frames=tuple(_frame(f, summaries) for f in spec.frames))


def _score_items(score: str, codebook) -> tuple[str, ...]:
    """A score's codebook items (WHO-5, mastery), or the one variable it is (loneliness, burden)."""
    return tuple(codebook.scores[score]["items"]) if score in codebook.scores else (score,)


def _frame_variables(source, summaries, codebook) -> tuple[str, ...]:
    """The codebook variables a disclosed frame (a :class:`ipsreport.outputs.facts.sources.Source`) rests on."""
    name = source.name
    declared = PRODUCERS[name].variables
    if declared:
        return declared
    if name == "paired":
        return tuple(v for score in summaries.paired()["score"] for v in _score_items(score, codebook))
    if name == "registry_counts":
        return tuple(sorted({v for row in REGISTRY_ROW_VARIABLES.values() for v in row}))
    frame = source.read(summaries)
    if isinstance(frame, pd.DataFrame) and "variable" in frame:
        return tuple(dict.fromkeys(str(v) for v in frame["variable"]))
    return ()


def _count(value) -> int | None:
    number = scalar(value, ColumnKind.COUNT)
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def _fact(key: str, f, summaries, codebook, variables: dict[str, tuple[str, ...]]) -> FactRecord:
    definition = f.definition(key)
    fact = f.fact(key)
    reads = definition.source.name if definition.source is not None else None
    pooled, row = _POOLED.search(definition.rule), _ROW.search(definition.rule)
    if pooled:
        names: tuple[str, ...] = (pooled.group(1),)
    elif row and reads == "registry_counts":
        names = REGISTRY_ROW_VARIABLES[row.group(1)]
    elif reads == "paired" and key.split("_")[0] in set(summaries.paired()["score"]):
        # A paired fact is named after its score (who5_start, burden_change): that score's items.
        names = _score_items(key.split("_")[0], codebook)
    elif reads is not None:
        if reads not in variables:
            variables[reads] = _frame_variables(definition.source, summaries, codebook)
        names = variables[reads]
    else:
        names = ()
    # The numbers the printed text shows, no more (as Fact.render prints them): a hidden value or
    # count is null; a hidden base too ("et skjult antal ud af under 3").
    hidden = Suppression(fact.suppression or "")
    shown = hidden is Suppression.SHOWN
    return FactRecord(
        key=key, kind=FactKind(definition.kind), value=scalar(fact.value) if shown else None,
        text=str(getattr(f, key)), n=_count(fact.n) if shown else None,
        base=None if hidden is Suppression.BASE or fact.base is None or pd.isna(fact.base) else _count(fact.base),
        suppression=hidden,
        description=definition.doc, rule=definition.rule, reads=reads,
        source=PRODUCERS[reads].function if reads is not None else None, variables=names,
    )


def _model(summaries, epv_min: int) -> Model:
    protected = summaries.regression
    result = protected.result
    shown = not protected.withheld
    terms = Frame(name="regression", source=PRODUCERS["regression"].function,
                  columns=tuple(Column(name=c, kind=k) for c, k in TERMS.items()),
                  rows=tuple({c: scalar(r[c], k) for c, k in TERMS.items()}
                             for r in result.terms[list(TERMS)].to_dict("records")))
    epv = scalar(result.events_per_predictor) if shown else None
    return Model(withheld=protected.withheld, n=int(result.n) if shown else None,
                 events=int(result.events) if shown else None, events_per_variable=epv, epv_min=epv_min,
                 alpha=float(result.alpha), ci_method=str(result.ci_method), separated=bool(result.separated),
                 warnings=tuple(result.warnings) if shown else (), terms=terms)


def _verdict(report) -> Verdict:
    warnings = list(report.sorted_warnings())
    # Where and which rule, never the row or the value: a person's answer is not published.
    seen = dict.fromkeys(f"{w.file}, kolonne {w.column}: {w.rule}" if w.column else f"{w.file}: {w.rule}"
                         for w in warnings)
    return Verdict(ok=bool(report.ok), warnings_n=len(warnings), messages=tuple(seen))


def _software() -> Software:
    import pandas
    import statsmodels

    import ipsreport
    from ipsreport.results.software import git_commit

    commit = git_commit()
    return Software(python=platform.python_version(), pandas=pandas.__version__,
                    statsmodels=statsmodels.__version__, ipsreport=ipsreport.__version__,
                    git_commit=commit if re.match(r"^[0-9a-f]{4,40}\b", commit) else None)


def build_results(ed, summaries, f, report, chapters: Iterable[Path]) -> Results:
    """Everything the book publishes from one edition, as a :class:`Results`.

    Parameters
    ----------
    ed : Edition
    summaries : Disclosed
        ``ipsreport.analysis.disclosed.layer.disclosed(ed)``.
    f : Facts
        ``ipsreport.outputs.facts.facts(ed)``.
    report : ValidationReport
        The folder's validation.
    chapters : iterable of Path
        The book's chapter sources; the facts they print are published.

    Returns
    -------
    Results

    Raises
    ------
    DisclosureBreach
        When a count column or a count fact holds a count below the rule.
    """
    import json

    from ipsreport.results.software import render_date
    from ipsreport.analysis.models import EPV_MIN
    from ipsreport.config.settings import settings_to_json

    variables: dict[str, tuple[str, ...]] = {}
    facts = tuple(_fact(key, f, summaries, ed.codebook, variables) for key in published_facts(f, chapters))
    files = tuple(DataFile(dataset=s.name, file=s.file, format=str(s.format), rows=len(ed.frame(s.name)),
                           sha256=str(s.sha256)) for s in ed.sources)
    settings = json.loads(settings_to_json(ed.settings))
    settings["data_dir"] = _shown(ed.data_dir)
    if ed.settings.previous is not None:  # a folder, named as the data folder is (never somebody's disk)
        settings["previous"] = _shown(ed.settings.previous)
    if ed.settings.previous_data is not None:
        settings["previous_data"] = _shown(ed.settings.previous_data)
    results = Results(
        edition=EditionInfo(edition_year=int(ed.settings.edition_year), render_date=render_date(ed.settings).isoformat(),
                            min_cell=int(summaries.min_cell), synthetic=bool(ed.synthetic), twin=bool(ed.twin)),
        facts=facts,
        tables=tuple(_dataset(spec, summaries) for spec in TABLES),
        figures=tuple(_dataset(spec, summaries) for spec in FIGURES),
        model=_model(summaries, EPV_MIN),
        validation=_verdict(report),
        data_files=files,
        settings=settings,
        software=_software(),
    )
    check_disclosure(results)
    return results


def fact_records(keys: Iterable[str], ed, summaries, f) -> dict[str, FactRecord]:
    """Only the facts ``keys``, each exactly as :func:`build_results` would publish it.

    For the edition comparison (:mod:`ipsreport.results.editions`), which reads a few
    of this edition's numbers in the same form as a previous edition's bundle
    holds them, without building the whole bundle in a chapter's kernel.
    """
    variables: dict[str, tuple[str, ...]] = {}
    return {key: _fact(key, f, summaries, ed.codebook, variables) for key in keys}


def datasets(labels: Iterable[str], summaries, frames: Iterable[str] | None = None) -> dict[str, Dataset]:
    """Only the tables and figures ``labels``, each exactly as :func:`build_results` would publish it.

    ``frames``: only the frames of these names (``Disclosed`` attributes); default all.
    """
    specs = {spec.label: spec for spec in (*TABLES, *FIGURES)}
    wanted = set(frames) if frames is not None else None
    return {label: Dataset(label=label, function=specs[label].function,
                           frames=tuple(_frame(f, summaries) for f in specs[label].frames
                                        if wanted is None or f.name in wanted))
            for label in labels}


def _shown(path: Path) -> str:
    """A data folder as a publication may name it: relative to the project, else by its name only.

    A local path outside the project is somebody's disk (as in Bilag 7's list of files), and a
    bundle meant to be committed must not change with the machine it was made on.
    """
    from ipsreport.paths import PROJECT_DIR

    try:
        return Path(path).resolve().relative_to(PROJECT_DIR).as_posix()
    except (OSError, ValueError):
        return Path(path).name


def _small(value, min_cell: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < min_cell


def check_disclosure(results: Results) -> None:
    """Raise :class:`DisclosureBreach` when any published count is below ``results.edition.min_cell``.

    Checked: every ``count`` column of every frame, the model's ``n`` and
    ``events``, and ``value``, ``n`` and ``base`` of every ``count`` or ``of``
    fact whose rule is the small-number rule.
    """
    m = results.edition.min_cell
    problems = []
    for item in (*results.tables, *results.figures):
        for frame in item.frames:
            counts = [c.name for c in frame.columns if c.kind is ColumnKind.COUNT]
            for i, row in enumerate(frame.rows):
                problems += [f"{item.label} ({frame.name}), række {i + 1}, kolonne {c}: {row[c]}"
                             for c in counts if _small(row[c], m)]
    model = results.model
    if model.events is not None and model.n is not None and (_small(model.events, m) or
                                                              _small(model.n - model.events, m)):
        problems.append(f"model.json: en udfaldsgruppe på under {m}")
    for record in results.facts:
        if record.kind in (FactKind.COUNT, FactKind.OF) and not record.rule.startswith("none"):
            problems += [f"facts.json, {record.key}: {name} = {v}"
                         for name, v in (("value", record.value), ("n", record.n), ("base", record.base))
                         if _small(v, m)]
    if problems:
        shown = "; ".join(problems[:5]) + (f" og {len(problems) - 5} til" if len(problems) > 5 else "")
        raise DisclosureBreach(f"resultatsættet ville vise antal under småtalsreglen ({m}): {shown}. Intet blev "
                               "skrevet; det er en fejl i ipsreport, som skal rettes i ipsreport/analysis/disclosed/.")
