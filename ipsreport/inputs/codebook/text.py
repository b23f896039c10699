"""The codebook in Danish words, for the codebook appendix (``ipsreport.outputs.tables.tab_codebook``).

A variable's ``asked_if`` is a condition in pandas ``eval`` syntax
(``"exit_status != 5"``). The appendix prints it as a Danish clause that
completes "Stilles hvis …", naming the other question by its label and the
code by its category: ``»Afslutningsstatus« ikke er »Fortsat i forløb«``.
A condition outside the small grammar below is printed as it is written,
so nothing is ever hidden or guessed.

:func:`condition_sentence` makes the whole sentence the codebook appendix
prints ("Kun hvis den unge er afsluttet."), :func:`answers_text` the answers
in words, and :func:`codebook_rows` the appendix's rows, consecutive questions
with the same answers and condition in one row.

Grammar: comparisons ``<name> <op> <value>`` with ``==, !=, <, <=, >, >=``
or ``<name> in [v1, v2]``, joined by ``and`` / ``or`` (``&`` / ``|``).
"""

from __future__ import annotations

import re

from ipsreport.outputs import fmt

__all__ = ["condition_text", "condition_sentence", "answers_text", "codebook_rows", "TYPE_DA"]

#: Variable types of the codebook in Danish.
TYPE_DA = {"id": "id-nummer", "string": "tekst", "date": "dato", "integer": "heltal", "number": "tal",
           "category": "kategori"}

_COMPARISON = re.compile(r"^\s*\(?\s*(?P<name>[A-Za-z_]\w*)\s*(?P<op>==|!=|<=|>=|<|>|\bin\b|\bnot in\b)\s*"
                         r"(?P<value>\[[^\]]*\]|[-\w.]+)\s*\)?\s*$")
_SPLIT = re.compile(r"\s+(and|or)\s+|\s*([&|])\s*")
_OPS = {"<": "under", "<=": "højst", ">": "over", ">=": "mindst"}


def _value_words(var, raw: str) -> str:
    raw = raw.strip()
    try:
        code = int(float(raw))
    except ValueError:
        return f"»{raw.strip(chr(39) + chr(34))}«"
    if var is not None and var.values and code in var.values:
        return f"»{var.values[code]}«"
    return fmt.num(float(raw), 0 if float(raw).is_integer() else 2)


def _comparison(text: str, dataset) -> str | None:
    match = _COMPARISON.match(text)
    if match is None:
        return None
    name, op, value = match["name"], match["op"], match["value"]
    try:
        var = dataset[name]
    except (KeyError, TypeError):
        return None
    # A question is named by its answer ("svaret på »...?« er »Ja«"), a registry field by itself.
    subject = f"svaret på »{var.label}«" if var.label.rstrip().endswith("?") else f"»{var.label}«"
    if op in ("in", "not in"):
        items = [v for v in value.strip("[]").split(",") if v.strip()]
        words = fmt.join_words([_value_words(var, v) for v in items], last="eller")
        return f"{subject} {'ikke ' if op == 'not in' else ''}er {words}"
    if op == "==":
        return f"{subject} er {_value_words(var, value)}"
    if op == "!=":
        return f"{subject} ikke er {_value_words(var, value)}"
    return f"{subject} er {_OPS[op]} {_value_words(None, value)}"


def condition_text(condition: str | None, dataset) -> str:
    """A codebook condition as a Danish clause after "Stilles hvis".

    Parameters
    ----------
    condition : str or None
        The variable's ``asked_if``.
    dataset : codebook dataset
        Looked up by name (``dataset["exit_status"]``) for labels and categories.

    Returns
    -------
    str
        ``""`` for no condition; the Danish clause; or the condition as
        written when it is outside the grammar.

    Examples
    --------
    ``"psych_contact == 1"`` -> ``svaret på »Har du haft kontakt til psykiatrien under forløbet?« er »Ja«``;
    ``"exit_status != 5"`` -> ``»Afslutningsstatus« ikke er »Fortsat i forløb«``.
    """
    if not condition or not str(condition).strip():
        return ""
    parts = _SPLIT.split(str(condition))
    clauses, joins = [], []
    for part in parts:
        if part is None or part == "":
            continue
        if part in ("and", "&"):
            joins.append("og")
        elif part in ("or", "|"):
            joins.append("eller")
        else:
            clause = _comparison(part, dataset)
            if clause is None:
                return str(condition)
            clauses.append(clause)
    if len(joins) != len(clauses) - 1:
        return str(condition)
    text = clauses[0]
    for join, clause in zip(joins, clauses[1:]):
        text += f" {join} {clause}"
    return text


#: The category of the exit status (or the yes of "still enrolled") that means the young person is still
#: enrolled: a condition on it reads as "is finished" / "is still enrolled", the report's own definitions.
_ENROLLED_LABEL = "fortsat i forløb"


def _enrolment_clause(condition: str, dataset) -> str | None:
    """``"den unge er afsluttet"`` / ``"den unge stadig er i forløb"`` for a condition on enrolment, else None."""
    match = _COMPARISON.match(str(condition))
    if match is None or match["op"] not in ("==", "!="):
        return None
    try:
        var = dataset[match["name"]]
        code = int(float(match["value"]))
    except (KeyError, TypeError, ValueError):
        return None
    label = str(var.values.get(code, "")).lower()
    if label == _ENROLLED_LABEL:  # exit status: the category "Fortsat i forløb"
        enrolled = match["op"] == "=="
    elif var.label.lower().startswith(_ENROLLED_LABEL) and label in ("ja", "nej"):  # "Fortsat i forløb ...?" ja/nej
        enrolled = (label == "ja") == (match["op"] == "==")
    else:
        return None
    return "den unge stadig er i forløb" if enrolled else "den unge er afsluttet"


def condition_sentence(condition: str | None, dataset) -> str:
    """A codebook condition as a Danish sentence: ``"Kun hvis den unge er afsluttet."``.

    ``""`` for a question everybody gets. A condition on enrolment uses the report's
    definitions (afsluttet / stadig i forløb); any other condition is :func:`condition_text`.
    A condition outside the grammar is printed as written, in quotation marks, never guessed.
    """
    if not condition or not str(condition).strip():
        return ""
    clause = _enrolment_clause(condition, dataset)
    if clause is None:
        clause = condition_text(condition, dataset)
        if clause == str(condition):
            return f"Betingelse i datafilen: »{condition}«."
    return f"Kun hvis {clause}."


def answers_text(var) -> str:
    """A variable's answers in words: the codes with their categories, the range, or the kind of value.

    A scale of four or more ordered categories is shortened to its ends
    (``"1 = I meget høj grad … 5 = Slet ikke"``); other categories are listed in full.
    """
    if var.values:
        items = list(var.values.items())
        codes = [c for c, _ in items]
        consecutive = sorted(codes) == list(range(min(codes), max(codes) + 1))
        # "1 (ikke implementeret)" already names its code.
        shown = [label if str(label).startswith(str(code)) else f"{code} = {label}" for code, label in items]
        if len(items) >= 4 and var.ordered and consecutive:
            return f"{shown[0]} … {shown[-1]}"
        return "; ".join(shown)
    kind = TYPE_DA.get(var.type, var.type)
    if var.range:
        lo, hi = var.range
        return f"{kind.capitalize()}, {fmt.num(lo, 0)}–{fmt.num(hi, 0)}"
    return kind.capitalize()


def _refer_to_row_above(condition: str | None, dataset, above: dict | None) -> str | None:
    """``"Kun hvis svaret ovenfor er »Ja«."`` when the condition is one answer to the question in the row above."""
    match = _COMPARISON.match(str(condition or ""))
    if above is None or match is None or match["op"] != "==" or _enrolment_clause(condition, dataset):
        return None
    try:
        var = dataset[match["name"]]
    except (KeyError, TypeError):
        return None
    if above["items"] != [var.label]:
        return None
    return f"Kun hvis svaret ovenfor er {_value_words(var, match['value'])}."


def codebook_rows(codebook) -> list[dict]:
    """The codebook appendix's rows, in codebook order: one per question or run of questions.

    Consecutive variables of a data file with the same answers and condition share a row (a block
    of statements on one scale, a multiple-choice question); a run of questions asked the same way
    in an earlier data file says so instead of repeating the answers.

    Returns
    -------
    list of dict
        ``dataset`` (the file's Danish label), ``items`` (labels), ``answers``, ``condition``.
    """
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    for dataset in codebook.datasets.values():
        start = len(rows)
        for var in dataset.variables:
            answers, condition = answers_text(var), condition_sentence(var.asked_if, dataset)
            last = rows[-1] if len(rows) > start else None
            if last and last["answers"] == answers and last["asked_if"] == condition and var.values:
                last["items"].append(var.label)
            else:
                shown = _refer_to_row_above(var.asked_if, dataset, last) or condition
                rows.append({"dataset": dataset.label, "items": [var.label], "answers": answers,
                             "condition": shown, "asked_if": condition})
        for row in rows[start:]:
            key = (tuple(row["items"]), row["answers"])
            if key in seen and len(row["items"]) > 1:
                row["answers"] = f"Som i »{seen[key]}«"
            seen.setdefault(key, dataset.label)
    for row in rows:
        del row["asked_if"]
    return rows
