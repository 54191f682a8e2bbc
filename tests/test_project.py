"""Project-level promises: the core stays free of MkDocs, docs stay in step with the schema, code is clean."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from hls_site.schema_docs import fill

CORE = ["schema", "loading", "validation", "body", "content", "relations", "render", "json_schema",
        "vocabularies", "problems", "scaffold", "schema_docs", "linkcheck", "search_index", "project", "paths",
        "exports", "stats", "evidence", "safety", "sanitise", "periods", "issue_form", "obstacle_pages",
        "markers", "bracket_scan", "mentions"]


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


def test_issue_form_is_written_from_the_schema():
    import yaml

    from hls_site import issue_form
    from hls_site.schema import CaseMeta
    from hls_site.vocabularies import load_vocabularies

    vocab = load_vocabularies()
    committed = (ROOT / ".github" / "ISSUE_TEMPLATE" / "new-case.yml").read_text("utf-8")
    fix = "run: hls schema --format issue-form -o .github/ISSUE_TEMPLATE/new-case.yml"
    assert committed == issue_form.dumps(vocab), fix
    form = yaml.safe_load(committed)
    missing = set(CaseMeta.model_fields) - issue_form.asked_fields(form) - set(issue_form.NOT_ASKED)
    assert not missing, f"the issue form does not ask for {missing}"
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert {item["type"] for item in form["body"]} <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    hls = next(item for item in form["body"] if item.get("id") == "hls_link")
    assert any("(featured)" in option for option in hls["attributes"]["options"])


def test_readme_opens_with_the_two_commands():
    lines = [x for x in (ROOT / "README.md").read_text().splitlines() if x.startswith("scripts/")]
    assert [x.split()[0] for x in lines[:2]] == ["scripts/serve", "scripts/test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_code_is_ruff_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
