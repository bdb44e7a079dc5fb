"""Turns pydantic validation errors into located, actionable `Problem`s.

Every model of the deck file and the codebook derives from `StrictModel`, so
unknown keys are errors; `validate` reports all problems of a file at once,
each with line, column, key path and the nearest valid name.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Tag, ValidationError

from generator.core.errors import InputError, Problem
from generator.deckfile.yamlsource import SourceMap, did_you_mean

M = TypeVar("M", bound=BaseModel)


class LocatedError(ValueError):
    """Problems a validator found below the value it validates, each with its key path
    relative to that value (``(3, "children", 0)``), message and hint. `validate`
    reports each at its own line."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str, str | None]]) -> None:
        super().__init__("; ".join(message for _, message, _ in problems))
        self.problems = problems


class StrictModel(BaseModel):
    """Immutable, and an unknown key is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _members(annotation: Any, tag: Any = None) -> list[tuple[Any, Any]]:
    """(tag, type) for each type an annotation may hold, through Optional/Annotated/unions.

    The tag is a pydantic `Tag` given in `Annotated`, else a model's literal `type`.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        tags = [m.tag for m in meta if isinstance(m, Tag)]
        return _members(inner, tags[0] if tags else tag)
    if origin in (typing.Union, types.UnionType):
        found: list[tuple[Any, Any]] = []
        for arg in typing.get_args(annotation):
            found.extend(_members(arg))
        return found
    if tag is None and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get("type")
        if field is not None and typing.get_args(field.annotation):
            tag = typing.get_args(field.annotation)[0]
    return [(tag, annotation)]


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _walk(root: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[Any, tuple]:
    """Follow pydantic's `loc` through the model types.

    Returns the annotation found at the end (or None where it cannot be told)
    and the YAML key path, which is `loc` without the union tags pydantic adds.
    """
    current: Any = root
    path: list[str | int] = []
    for part in loc:
        if current is None:
            path.append(part)
            continue
        members = _members(current)
        models = [(tag, t) for tag, t in members if _is_model(t)]
        if len(models) > 1:
            tagged = [t for tag, t in models if tag == part]
            current = tagged[0] if tagged else None
            if tagged:
                continue
        elif models:
            field = models[0][1].model_fields.get(str(part))
            current = field.annotation if field else None
        else:
            containers = [t for _, t in members if typing.get_origin(t) in (list, dict, tuple)]
            args = typing.get_args(containers[0]) if containers else ()
            current = args[-1] if args else None
            if containers and typing.get_origin(containers[0]) is tuple and args[-1] is Ellipsis:
                current = args[0]
        path.append(part)
    return current, tuple(path)


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at pydantic's `loc`, if one can be told."""
    current, _ = _walk(root, loc)
    models = [t for _, t in _members(current)] if current is not None else []
    models = [t for t in models if _is_model(t)]
    return models[0] if len(models) == 1 else None


def _data_path(root: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The YAML key path of a loc: drops the union tags and validator names pydantic adds."""
    loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
    return _walk(root, loc)[1]


def _expected(text: str) -> list[str]:
    return [p.strip().strip("'\"") for p in text.replace(" or ", ",").split(",") if p.strip()]


def _problems_for(error: Any, root: type[BaseModel], source: SourceMap) -> list[Problem]:
    """The problems of one pydantic error: one, or one per problem a `LocatedError` holds."""
    found = (error.get("ctx") or {}).get("error")
    if isinstance(found, LocatedError):
        path = _data_path(root, tuple(error["loc"]))
        return [source.problem((*path, *at), message, hint)
                for at, message, hint in found.problems]
    return [_problem_for(error, root, source)]


def _problem_for(error: Any, root: type[BaseModel], source: SourceMap) -> Problem:
    loc = tuple(error["loc"])
    path = _data_path(root, loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    message, hint = error["msg"], None
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(root, loc[:-1])
        message = f"unknown key '{key}'"
        hint = did_you_mean(key, model.model_fields) if model else "remove it"
    elif kind == "missing":
        message = f"required key '{loc[-1]}' is missing"
        hint = "add it"
    elif kind == "literal_error":
        given = error.get("input")
        message = f"'{given}' is not a valid value"
        hint = did_you_mean(str(given), _expected(str(ctx.get("expected", ""))))
    elif kind == "union_tag_invalid":
        given = ctx.get("tag")
        message = f"unknown slide type '{given}'"
        hint = did_you_mean(str(given), _expected(str(ctx.get("expected_tags", ""))))
    elif kind == "union_tag_not_found":
        message = "every slide needs a 'type' key"
        hint = "for example type: bullets"
    elif kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", message)).removeprefix("Value error, ")
        if "|" in message:
            message, hint = (s.strip() for s in message.split("|", 1))
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        message = f"{error['msg'].lower()}, got {error.get('input')!r}"
    return source.problem(path, message, hint)


def validate(model: type[M], data: Any, source: SourceMap, what: str,
             context: dict[str, Any] | None = None) -> M:
    """Validate `data` as `model`; all problems at once as one `InputError`."""
    if data is None:
        raise InputError(Problem(f"the file is empty; it should hold {what}", file=source.file))
    if not isinstance(data, dict):
        raise InputError(source.problem((), f"the file should hold {what} (a mapping of keys)"))
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        problems = [p for e in exc.errors() for p in _problems_for(e, model, source)]
        raise InputError(*problems) from None
