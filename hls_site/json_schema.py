"""The published JSON Schema (draft 2020-12) for a case's front matter, made from the models."""

from __future__ import annotations

import json
from typing import Any

from .schema import CaseMeta
from .validation import NESTED_VOCABULARY_FIELDS, VOCABULARY_FIELDS
from .vocabularies import Vocabularies

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def case_json_schema(vocab: Vocabularies, schema_id: str | None = None) -> dict[str, Any]:
    """CaseMeta's schema with each vocabulary field, nested ones included, narrowed to the site's vocabulary."""
    schema = CaseMeta.model_json_schema(mode="validation")
    schema = {"$schema": DIALECT, **({"$id": schema_id} if schema_id else {}), **schema}
    schema["title"] = "HLS case front matter"
    schema["description"] = (
        "The YAML front matter of one case file, cases/<slug>.md. Dates are strings written YYYY-MM-DD."
    )
    for name, vocab_name in VOCABULARY_FIELDS.items():
        prop = schema["properties"][name]
        prop.pop("x-vocabulary", None)
        ids = vocab.get(vocab_name).ids()
        if prop.get("type") == "object":
            prop["propertyNames"] = {"enum": ids}
        elif prop.get("type") == "array":
            prop["items"] = {"type": "string", "enum": ids}
            prop["uniqueItems"] = True
        else:
            prop["enum"] = ids
            prop.pop("type", None)
    for (name, inner), vocab_name in NESTED_VOCABULARY_FIELDS.items():  # obstacles[].kind, learning_cycles[].scale
        ref = schema["properties"][name]["items"]["$ref"]
        prop = schema["$defs"][ref.rsplit("/", 1)[-1]]["properties"][inner]
        prop.pop("x-vocabulary", None)
        prop["enum"] = vocab.get(vocab_name).ids()
    return _without_examples(schema)


def _without_examples(node: Any) -> Any:
    # The models' examples are the scaffold's placeholders, not examples worth publishing.
    if isinstance(node, dict):
        return {k: _without_examples(v) for k, v in node.items() if k != "examples"}
    if isinstance(node, list):
        return [_without_examples(v) for v in node]
    return node


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
