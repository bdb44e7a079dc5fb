"""The JSON Schema of deck files, generated from the same models that validate them.

``python -m generator.deckfile.jsonschema > schema/deck.schema.json`` rewrites the
shipped copy; a test keeps it in step with the models. Editors with a YAML
language server complete and check `slides.yaml` with it.
"""

from __future__ import annotations

import json
from typing import Any

from generator.deckfile.deck import Deck
from generator.deckfile.model import BULLET_INPUT_MARK, BULLET_INPUT_SCHEMA


def deck_json_schema() -> dict[str, Any]:
    """The schema of a whole deck file; a variant may also name `extends` and `remove`."""
    schema = _with_bullet_refs(Deck.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Survey deck"
    schema["$defs"]["BulletInput"] = BULLET_INPUT_SCHEMA
    schema["properties"]["extends"] = {
        "type": "string", "description": "A base deck file this one overrides (a variant)"}
    schema["properties"]["remove"] = {
        "type": "array", "items": {"type": "string"},
        "description": "In a variant: ids of base slides to leave out"}
    return schema


def _with_bullet_refs(node: Any) -> Any:
    """Pydantic cannot emit the recursive bullet schema itself: put its $ref in place."""
    if node == BULLET_INPUT_MARK:
        return {"$ref": "#/$defs/BulletInput"}
    if isinstance(node, dict):
        return {key: _with_bullet_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_bullet_refs(value) for value in node]
    return node


def main() -> None:
    print(json.dumps(deck_json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
