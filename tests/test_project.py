"""Project-level promises: the core stays free of MkDocs, docs stay in step with the schema, code is clean."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from hls_site.schema_docs import fill

CORE = ["schema", "loading", "validation", "body", "content", "relations", "render", "json_schema",
        "vocabularies", "problems", "scaffold", "schema_docs", "linkcheck", "search_index", "project", "paths",
        "exports", "stats"]


def test_core_imports_nothing_from_mkdocs():
    code = "import sys\n" + "".join(f"import hls_site.{m}\n" for m in CORE) + (
        "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'material')))\n"
        "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_contributing_field_table_matches_the_schema():
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert "| `organisations` | yes |" in text
    assert fill(text) == text, "run: hls schema --format markdown, and paste it into CONTRIBUTING.md"


def test_readme_opens_with_the_two_commands():
    lines = [x for x in (ROOT / "README.md").read_text().splitlines() if x.startswith("scripts/")]
    assert [x.split()[0] for x in lines[:2]] == ["scripts/serve", "scripts/test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_code_is_ruff_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
