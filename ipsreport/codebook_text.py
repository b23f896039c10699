"""The codebook in Danish words, for the codebook appendix (``ipsreport.tables.tab_codebook``).

A variable's ``asked_if`` is a condition in pandas ``eval`` syntax
(``"exit_status != 5"``). The appendix prints it as a Danish clause that
completes "Stilles hvis …", naming the other question by its label and the
code by its category: ``»Afslutningsstatus« ikke er »Fortsat i forløb«``.
A condition outside the small grammar below is printed as it is written,
so nothing is ever hidden or guessed.

Grammar: comparisons ``<name> <op> <value>`` with ``==, !=, <, <=, >, >=``
or ``<name> in [v1, v2]``, joined by ``and`` / ``or`` (``&`` / ``|``).
"""

from __future__ import annotations

import re

from ipsreport import fmt

__all__ = ["condition_text", "TYPE_DA"]

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
