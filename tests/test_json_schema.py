"""The published JSON Schema comes from the same models and agrees with the validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURE_SITE, ROOT, run_hls
from hls_site.loading import read_source
from hls_site.validation import case_files

SHIPPED = case_files(ROOT / "cases")


@pytest.fixture(scope="module")
def validator():
    result = run_hls("schema", "--root", str(ROOT))
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _front_matter(path: Path) -> dict:
    source, problems = read_source(path)
    assert source is not None, problems
    return source.meta


@pytest.mark.parametrize("path", SHIPPED + case_files(FIXTURE_SITE / "cases"), ids=lambda p: p.stem)
def test_schema_accepts_every_valid_case(validator, path):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_front_matter(path))]
    assert errors == []


def test_there_are_shipped_cases():
    assert len(SHIPPED) >= 3


@pytest.mark.parametrize("change,where", [
    (("country", "UK"), "country"),
    (("sectors", ["not-a-sector"]), "sectors"),
    (("principles", {"kindness": "x"}), "principles"),
    (("last_reviewed", "2026-13-01"), "last_reviewed"),
    (("organisation", ["x"]), ""),
])
def test_schema_rejects_what_the_validator_rejects(validator, change, where):
    meta = _front_matter(FIXTURE_SITE / "cases" / "alpha-alliance.md")
    meta[change[0]] = change[1]
    errors = list(validator.iter_errors(meta))
    assert errors, change
    assert any((list(e.absolute_path)[:1] == [where]) if where else not e.absolute_path for e in errors)


def test_schema_handles_dates_as_strings(validator):
    schema = validator.schema
    assert schema["properties"]["last_reviewed"] == {
        "description": "When the case was last checked against its sources.", "format": "date",
        "title": "Last Reviewed", "type": "string"}
