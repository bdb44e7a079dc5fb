"""The shipped JSON Schema is the models' own, and editors using it accept the real deck."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT

from generator.deckfile.jsonschema import deck_json_schema

SHIPPED = ROOT / "schema" / "deck.schema.json"


def test_shipped_schema_is_up_to_date():
    """If this fails: python -m generator.deckfile.jsonschema > schema/deck.schema.json"""
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == deck_json_schema()


def _real_deck() -> dict:
    data = yaml.safe_load((ROOT / "slides.yaml").read_text(encoding="utf-8"))
    data["deck"]["country"] = "NO"  # plain YAML 1.1 reads NO as false; editors use 1.2
    return data


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """The shipped schema, checked against JSON Schema's own once (a third of a second)."""
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator
    return jsonschema.Draft202012Validator(schema)


def test_the_norwegian_deck_is_valid_against_the_schema(validator):
    validator.validate(_real_deck())


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["slides"][2].update(bulets=[]), "bulets"),
    (lambda d: d["slides"][9].update(chart="pie"), "pie"),
    (lambda d: d["deck"].update(compare_with="al"), "al"),
])
def test_the_schema_rejects_what_the_loader_rejects(validator, change, where):
    data = _real_deck()
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)
