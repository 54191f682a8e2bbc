"""The `hls` command as a contributor meets it: help, exit codes, formats, scaffolding."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURE_SITE, run_hls


@pytest.mark.parametrize("command", ["", "validate", "new", "build", "serve", "schema", "stats"])
def test_every_command_has_help(command):
    result = run_hls(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert "Usage: hls" in result.stdout
    assert "--help" in result.stdout


def test_valid_library_exits_zero(site_copy):
    result = run_hls("validate", "--root", str(site_copy))
    assert result.returncode == 0
    assert result.stdout == ""
    assert "Checked 2 case files: all valid." in result.stderr


def test_usage_errors_exit_two(site_copy):
    assert run_hls("validate", "--root", str(site_copy), "--format", "yaml").returncode == 2
    assert run_hls("validate", "--root", str(site_copy), str(site_copy / "no-such.md")).returncode == 2
    missing = run_hls("frobnicate")
    assert missing.returncode == 2 and "No such command" in missing.stderr


def _break(site_copy):
    path = site_copy / "cases" / "beta-forum.md"
    path.write_text(path.read_text().replace("country: FI", "country: UK"))
    return path


def test_named_paths_only_checks_those(site_copy):
    _break(site_copy)
    ok = run_hls("validate", "--root", str(site_copy), str(site_copy / "cases" / "alpha-alliance.md"))
    assert ok.returncode == 0 and "Checked 1 case file: all valid." in ok.stderr
    bad = run_hls("validate", "--root", str(site_copy), str(site_copy / "cases"))
    assert bad.returncode == 1


def test_github_format_prints_annotations(site_copy):
    _break(site_copy)
    result = run_hls("validate", "--root", str(site_copy), "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=cases/beta-forum.md,line=6,col=10,title=country::")
    assert "use GB" in result.stdout


def test_json_format_is_machine_readable(site_copy):
    _break(site_copy)
    result = run_hls("validate", "--root", str(site_copy), "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert problems == [{"path": "cases/beta-forum.md", "line": 6, "column": 10, "field": "country",
                         "message": "'UK' is not an ISO 3166-1 alpha-2 country code; use GB"}]
    clean = run_hls("validate", "--root", str(FIXTURE_SITE), "--format", "json")
    assert clean.returncode == 0 and json.loads(clean.stdout) == []


def test_guide_reference_to_missing_case_is_reported(site_copy):
    guide = site_copy / "guide" / "index.md"
    guide.write_text(guide.read_text().replace("beta-forum]", "gamma-forum]"))
    result = run_hls("validate", "--root", str(site_copy))
    assert result.returncode == 1
    assert "guide/index.md:3:25: cases[1]: no case 'cases/gamma-forum.md'" in result.stdout


def test_new_scaffolds_a_case_that_validation_flags(site_copy):
    result = run_hls("new", "Delta: a New Case!", "--root", str(site_copy), "--country", "GB")
    assert result.returncode == 0, result.stderr
    assert "Created cases/delta-a-new-case.md" in result.stdout
    text = (site_copy / "cases" / "delta-a-new-case.md").read_text()
    for heading in ("## Context", "## What they did", "## Obstacles and how they responded",
                    "## What changed", "## What they learned"):
        assert heading in text
    check = run_hls("validate", "--root", str(site_copy))
    assert check.returncode == 1
    flagged = [x for x in check.stdout.splitlines() if x.startswith("cases/delta-a-new-case.md")]
    assert any(": summary: placeholder 'TODO' not replaced yet" in x for x in flagged)
    assert any(": sources[0].url: placeholder" in x for x in flagged)
    assert any(": body: placeholder text 'TODO'" in x for x in flagged)
    assert not any("country" in x for x in flagged)  # the value given on the command line is kept
    # every flagged problem is a placeholder: the scaffold itself has the right shape
    assert all("placeholder" in x for x in flagged), flagged


def test_new_refuses_to_overwrite(site_copy):
    before = (site_copy / "cases" / "beta-forum.md").read_text()
    result = run_hls("new", "Beta Forum", "--root", str(site_copy))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (site_copy / "cases" / "beta-forum.md").read_text() == before


def test_new_without_title_and_no_terminal_is_a_usage_error(site_copy):
    result = run_hls("new", "--root", str(site_copy), input="")
    assert result.returncode == 2
    assert "give a TITLE" in result.stderr


def test_build_outside_a_project_is_a_usage_error(tmp_path):
    result = run_hls("build", "--root", str(tmp_path))
    assert result.returncode == 2
    assert "no mkdocs.yml" in result.stderr


def test_stats_counts_the_library():
    result = run_hls("stats", "--root", str(FIXTURE_SITE))
    assert result.returncode == 0
    assert "cases: 2" in result.stdout
    assert "hls_link: aligned 1, featured 1" in result.stdout
    assert "completeness: 4 of 5 1, complete 1" in result.stdout


def test_stats_can_count_only_some_links_and_complete_cases():
    result = run_hls("stats", "--root", str(FIXTURE_SITE), "--hls-link", "featured")
    assert result.returncode == 0
    assert "cases: 1" in result.stdout
    assert "hls_link: featured 1" in result.stdout
    complete = run_hls("stats", "--root", str(FIXTURE_SITE), "--complete")
    assert "cases: 1" in complete.stdout
    assert "completeness: complete 1" in complete.stdout


def test_stats_rejects_an_unknown_link_with_a_suggestion():
    result = run_hls("stats", "--root", str(FIXTURE_SITE), "--hls-link", "feature")
    assert result.returncode == 2
    assert "unknown --hls-link 'feature'; did you mean 'featured'?" in result.stderr


def test_commands_find_the_project_from_a_subfolder_and_its_settings(site_copy, tmp_path):
    ok = run_hls("validate", cwd=site_copy / "cases")
    assert ok.returncode == 0 and "Checked 2 case files" in ok.stderr
    made = run_hls("new", "Ærø Ferry", "--country", "dk", cwd=site_copy / "cases")
    assert made.returncode == 0, made.stderr
    text = (site_copy / "cases" / "aero-ferry.md").read_text()
    assert "country: DK" in text and "# Allowed: person, team" in text and "#   systems:" in text
    assert not (site_copy / "cases" / "cases").exists()
    (site_copy / "cases").rename(site_copy / "library")
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - hls\n", "  - hls:\n      cases_dir: library\n"))
    moved = run_hls("validate", "--root", str(site_copy))
    assert "(checked 3 case files)" in moved.stderr and "library/aero-ferry.md" in moved.stdout
    nowhere = run_hls("validate", cwd=tmp_path)
    assert nowhere.returncode == 2 and "no mkdocs.yml" in nowhere.stderr


def test_no_case_files_is_a_usage_error(site_copy):
    for path in (site_copy / "cases").glob("*.md"):
        path.unlink()
    result = run_hls("validate", "--root", str(site_copy))
    assert result.returncode == 2 and "no case files" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--slug", "Bad Slug"], "such as --slug bad-slug"),
    (["--country", "UK"], "use GB"),
    (["--sector", "housng"], "did you mean 'housing'?"),
    (["--hls-link", "featurd"], "did you mean 'featured'?"),
])
def test_new_refuses_what_the_validator_would(site_copy, args, message):
    result = run_hls("new", "Epsilon", "--root", str(site_copy), *args)
    assert result.returncode == 2 and message in result.stderr
    assert not (site_copy / "cases" / "epsilon.md").exists()


def test_new_honours_slug(site_copy):
    result = run_hls("new", "Epsilon", "--slug", "eps-case", "--root", str(site_copy))
    assert result.returncode == 0 and (site_copy / "cases" / "eps-case.md").is_file()


def test_validator_edges_get_a_fix(site_copy):
    case = site_copy / "cases" / "beta-forum.md"
    original = case.read_text()
    case.write_text(original.replace("country: FI", "country: NO"))
    assert '(Norway is "NO"); put the value in quotes' in run_hls("validate", "--root", str(site_copy)).stdout
    case.write_text(original.replace("country: FI", "country: fi"))
    assert "use FI" in run_hls("validate", "--root", str(site_copy)).stdout
    case.write_text(original.replace("last_reviewed: 2026-11-01", "last_reviewed: 2999-01-01"))
    assert "2999-01-01 is in the future" in run_hls("validate", "--root", str(site_copy)).stdout
    case.write_text(original.split("\n---\n", 1)[0] + "\n---\n")
    out = run_hls("validate", "--root", str(site_copy)).stdout
    assert len(out.splitlines()) == 1 and "the body is empty" in out
