"""Danish words for what pydantic finds wrong in a YAML file an evaluator edits.

The codebook (``data/codebook.yml``) and the case files (``data/cases/*.yml``)
are described by pydantic models. When a file breaks them, the evaluator must
read one Danish line per problem naming the file, the entry, the value and
the rule -- never pydantic's English text or a traceback. :func:`problems`
turns a :class:`pydantic.ValidationError` into such :class:`Problem` records;
rules of our own are raised in the models as
:class:`pydantic_core.PydanticCustomError` whose type is the rule id and whose
message is already Danish.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

__all__ = ["Problem", "problems", "rule_error", "where_text", "value_text", "entry_hint"]


@dataclass(frozen=True)
class Problem:
    """One problem in a YAML file.

    Attributes
    ----------
    where : str
        The entry, as a path into the file (``datasets.registry.variables[0]``);
        ``""`` for the file as a whole.
    text : str
        What is wrong, in Danish, naming the value.
    rule : str
        Id of the broken rule.
    """

    where: str
    text: str
    rule: str


#: Danish text and rule id per pydantic error type; ``{...}`` are filled from the error's context.
_BUILTIN: dict[str, tuple[str, str]] = {
    "missing": ("feltet mangler, men skal altid udfyldes", "påkrævet_felt"),
    "string_type": ("skal være en tekst", "tekst"),
    "int_type": ("skal være et helt tal", "heltal"),
    "int_parsing": ("skal være et helt tal", "heltal"),
    "int_from_float": ("skal være et helt tal", "heltal"),
    "float_type": ("skal være et tal", "tal"),
    "float_parsing": ("skal være et tal", "tal"),
    "bool_type": ("skal være true eller false", "sand_falsk"),
    "bool_parsing": ("skal være true eller false", "sand_falsk"),
    "list_type": ("skal være en liste", "liste"),
    "tuple_type": ("skal være en liste", "liste"),
    "dict_type": ("skal være en samling af felter (navn: værdi)", "felter"),
    "model_type": ("skal være en samling af felter (navn: værdi)", "felter"),
    "model_attributes_type": ("skal være en samling af felter (navn: værdi)", "felter"),
    "too_short": ("har {actual_length} element(er), men skal have mindst {min_length}", "antal"),
    "too_long": ("har {actual_length} element(er), men må højst have {max_length}", "antal"),
    "string_too_short": ("må ikke være tom", "ikke_tom"),
    "greater_than_equal": ("skal være mindst {ge}", "interval"),
    "less_than_equal": ("må højst være {le}", "interval"),
    "literal_error": ("skal være en af {expected}", "tilladte_værdier"),
}


def rule_error(rule: str, text: str, where: tuple[Any, ...] = ()) -> PydanticCustomError:
    """The error a model raises for one of our own rules.

    Parameters
    ----------
    rule : str
        Rule id (printed as ``regel: <rule>``).
    text : str
        Danish text naming the value, e.g. ``værdien "2024/01" er ikke en dato``.
    where : tuple, optional
        Location below the validated object, for a rule checked on a whole
        entry but about one of its fields (``("timeline", 1, "date")``).
    """
    # The text is passed as context, not as the template, so braces in a
    # value the evaluator wrote are printed as they are.
    return PydanticCustomError(rule, "{text}", {"text": text, "danish": True, "where": list(where)})


def where_text(loc: tuple[Any, ...]) -> str:
    """``("datasets", "registry", "variables", 0)`` -> ``"datasets.registry.variables[0]"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def value_text(value: Any) -> str:
    """A value as the evaluator wrote it in YAML, quoted: ``"2024/01"``, ``7``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "tom"
    if isinstance(value, (int, float)):
        return str(value)
    return f"\"{value}\""


def _subject(value: Any) -> str:
    """How a message names the value: ``værdien "x"``, ``listen``, ``feltsamlingen``."""
    if isinstance(value, list):
        return "listen"
    if isinstance(value, dict):
        return "feltsamlingen"
    return f"værdien {value_text(value)}"


def problems(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Translate a pydantic ``ValidationError`` into Danish :class:`Problem` records.

    Parameters
    ----------
    exc : ValidationError
        Raised by ``model.model_validate``.
    model : type of BaseModel
        The model validated; its fields name the allowed keys when a key is unknown.

    Returns
    -------
    list of Problem
        One per error, in pydantic's order (the fields of each entry in model
        order, then its unknown keys).
    """
    out = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        ctx = error.get("ctx") or {}
        loc = tuple(error["loc"]) + tuple(ctx.get("where") or ())
        if kind == "extra_forbidden":
            allowed = ", ".join(_fields_at(model, loc[:-1]))
            out.append(Problem(where_text(loc), f"feltet findes ikke (tilladte felter: {allowed})", "ukendt_felt"))
            continue
        if kind == "missing":
            text, rule = _BUILTIN[kind]
        elif kind in _BUILTIN:
            template, rule = _BUILTIN[kind]
            words = {k: str(v).replace(" or ", " eller ") for k, v in ctx.items()}
            text = f"{_subject(error['input'])} {template.format(**words)}"
        elif ctx.get("danish"):
            # Our own rules (rule_error): the type is the rule id and the
            # message is Danish and names the value already.
            text, rule = error["msg"], kind
        else:  # a pydantic check these models do not use: still no English
            text, rule = f"{_subject(error['input'])} kan ikke bruges her", kind
        out.append(Problem(where_text(loc), text, rule))
    return out


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found by following ``loc`` from ``model`` (empty if none)."""
    target: Any = model
    for part in loc:
        target = _inner(target)
        if isinstance(part, int):
            args = typing.get_args(target)
            target = args[0] if args else None
        elif isinstance(target, type) and issubclass(target, BaseModel) and part in target.model_fields:
            target = target.model_fields[part].annotation
        else:  # a key of a dict
            args = typing.get_args(target)
            target = args[-1] if args else None
    target = _inner(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [info.alias or name for name, info in target.model_fields.items()]
    return []


def _inner(annotation: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` -> ``X``."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def entry_hint(data: Any, where: str) -> str:
    """`` (name: x)`` naming the list item ``where`` points into, from the raw file; ``""`` if none."""
    node = data
    hint = ""
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", where):
        if index:
            node = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
            if isinstance(node, dict):
                for field in ("name", "id"):
                    if isinstance(node.get(field), str):
                        hint = f" ({field}: {node[field]})"
                        break
        else:
            node = node.get(key) if isinstance(node, dict) else None
    return hint
