"""Fills ``{{ … }}`` placeholders in free text, in Jinja2's sandbox.

A deck file may come from someone else: the sandbox keeps placeholders away
from Python internals, and the only values offered are plain, already
formatted strings and numbers (see `figures_context`).
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _environment():
    """Jinja2's sandbox, loaded only when some text has a placeholder."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, auto_reload=False)


class TemplateProblem(ValueError):
    """A placeholder that cannot be filled; the message says which and why."""


def fill(text: str, context: dict[str, Any]) -> str:
    """`text` with its placeholders filled from `context`."""
    if "{{" not in text and "{%" not in text:
        return text
    from jinja2 import TemplateError, UndefinedError

    try:
        return _environment().from_string(text).render(context)
    except UndefinedError as exc:
        known = ", ".join(_names(context))
        raise TemplateProblem(f"unknown placeholder: {exc.message} | known: {known}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"placeholder error: {exc.message or exc}") from None


def _names(context: dict[str, Any], prefix: str = "") -> list[str]:
    names: list[str] = []
    for key, value in context.items():
        if isinstance(value, dict):
            names += _names(value, f"{prefix}{key}.")
        else:
            names.append(prefix + key)
    return names
