"""Fills ``{{ … }}`` placeholders in free text, in Jinja2's sandbox.

A deck file may come from someone else: the sandbox keeps placeholders away
from Python internals, and the only values offered are plain, already
formatted strings and numbers (see `figures_context`). A placeholder may only
name one of them (``{{ n.all }}``, ``{{ n['all'] }}``): statements such as
``{% for %}``, operators, calls and filters are refused before anything runs,
so filling a text takes time and memory in proportion to its length.
"""

from __future__ import annotations

import difflib
from functools import cache, lru_cache
from typing import Any

_WHAT_IS_REFUSED = {  # Jinja2 node class -> how the message names it
    "For": "a loop ({% for %})", "If": "a condition ({% if %})",
    "Macro": "a macro", "CallBlock": "a call block", "Assign": "{% set %}",
    "AssignBlock": "{% set %}", "Getitem": "an index that is not a quoted name",
    "Include": "{% include %}", "Import": "{% import %}", "FromImport": "{% import %}",
    "Extends": "{% extends %}", "Block": "{% block %}", "Call": "a function call",
    "Filter": "a filter (|)", "Test": "a test (is …)", "CondExpr": "an if-expression",
}
_ALLOWED = {"Template", "Output", "TemplateData", "Name", "Getattr", "Getitem", "Const"}


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
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return text
    from jinja2 import TemplateError, UndefinedError

    known = ", ".join(_names(context))
    try:
        template, refusal = _template(text)
        if refusal is not None:
            raise TemplateProblem(refusal + known)
        return template.render(context)
    except UndefinedError as exc:
        name = _unknown_name(text, context)
        if name is None:
            raise TemplateProblem(f"unknown placeholder: {exc.message} | known: {known}"
                                  ) from None
        close = difflib.get_close_matches(name, _names(context), n=1, cutoff=0.6)
        raise TemplateProblem(f"unknown placeholder {{{{ {name} }}}} | "
                              + (f"did you mean {{{{ {close[0]} }}}}? " if close else "")
                              + f"known: {known}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"placeholder error: {exc.message or exc}") from None
    except RecursionError:
        raise TemplateProblem("a placeholder is nested too deeply | a placeholder names one "
                              f"figure, such as {{{{ n.all }}}}; known: {known}") from None


@lru_cache(maxsize=1024)
def _template(text: str):
    """The compiled template of `text` and None, or None and why it is refused (the
    message, to be ended with the known names). Kept per text: a rebuild compiles only
    the texts that changed."""
    tree = _environment().parse(text)
    refusal = _refusal(tree)
    return (None, refusal) if refusal else (_environment().from_string(tree), None)


def _refusal(tree) -> str | None:
    """Why the first node that is not text or a figure's name is refused, if there is one."""
    from jinja2 import nodes

    for node in [tree, *tree.find_all(nodes.Node)]:
        kind = type(node).__name__
        allowed = kind in _ALLOWED and not (
            kind == "Name" and node.ctx != "load") and not (
            kind == "Getitem" and not isinstance(node.arg, nodes.Const))
        if not allowed:
            operators = isinstance(
                node, nodes.BinExpr | nodes.UnaryExpr | nodes.Compare | nodes.Concat)
            what = _WHAT_IS_REFUSED.get(
                kind, "an expression with operators (+, *, …)" if operators else f"'{kind}'")
            return (f"placeholders may only name a figure, such as {{{{ n.all }}}}: {what} is "
                    f"not allowed (line {node.lineno} of the text) | write the text out and "
                    "quote figures by name; known: ")
    return None


def _unknown_name(text: str, context: dict[str, Any]) -> str | None:
    """The first figure `text` names that `context` does not have (``n.al``), dotted."""
    from jinja2 import nodes

    tree = _environment().parse(text)
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            parts: list[str] = []
            while isinstance(node, nodes.Getattr | nodes.Getitem):
                key = node.attr if isinstance(node, nodes.Getattr) else node.arg.value
                parts.insert(0, str(key))
                node = node.node
            if not isinstance(node, nodes.Name):
                continue
            parts.insert(0, node.name)
            value: Any = context
            for part in parts:
                if not isinstance(value, dict) or part not in value:
                    return ".".join(parts)
                value = value[part]
    return None


def _names(context: dict[str, Any], prefix: str = "") -> list[str]:
    names: list[str] = []
    for key, value in context.items():
        if isinstance(value, dict):
            names += _names(value, f"{prefix}{key}.")
        else:
            names.append(prefix + key)
    return names
