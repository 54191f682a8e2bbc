"""Every class of broken or hostile case file gives a clear located message, never a traceback.

Each test writes one bad file beside a valid one, runs `hls validate` as a contributor would, and
checks the exit status, the `path:line:column: field: message` line, and that the valid case is
unaffected.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, run_hls

GOOD = (FIXTURE_SITE / "cases" / "alpha-alliance.md").read_text("utf-8")


def _project(tmp_path: Path, name: str, content: bytes | str) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "beta-forum.md").write_text((FIXTURE_SITE / "cases" / "beta-forum.md").read_text("utf-8"))
    data = content.encode("utf-8") if isinstance(content, str) else content
    (cases / name).write_bytes(data)
    return tmp_path


def _validate(tmp_path: Path, name: str, content: bytes | str):
    project = _project(tmp_path, name, content)
    result = run_hls("validate", "--root", str(project))
    assert "Traceback" not in result.stderr + result.stdout
    return result


def _mutate(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# (id, file content, expected line, expected field, a fragment of the message)
CASES = [
    ("no-front-matter", "Just text, no fields.\n", 1, "file", "no front matter"),
    ("unclosed-front-matter", "---\ntitle: x\nsummary: y\n", 1, "file", "not closed"),
    ("malformed-yaml", _mutate("place: Alphaton, England", "place: [Alphaton"), 6, "front matter",
     "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 5)"),
    ("not-a-mapping", "---\n- a\n- b\n---\n\n## Context\n", 2, "front matter", "got a list"),
    ("unsafe-tag", _mutate("place: Alphaton, England", "place: !!python/object/apply:os.system ['true']"),
     5, "front matter", "no '!!' tags"),
    ("alias-bomb", "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
     3, "b[0]", "anchors and aliases"),
    ("empty-file", "", 1, "file", "file is empty"),
    ("wrong-type", _mutate("organisations: [Alpha Council, Alpha Providers]", "organisations: 42"),
     4, "organisations", "expected a list"),
    ("unknown-field", _mutate("organisations:", "organisation:"), 4, "organisation",
     "did you mean 'organisations'"),
    ("impossible-date", _mutate("last_reviewed: 2026-11-01", "last_reviewed: 2026-02-30"),
     51, "last_reviewed", "not a real date"),
    ("impossible-year", _mutate("  start: 2019\n", "  start: 20190\n"), 13, "period.start",
     "not a possible year"),
    ("end-before-start", _mutate("  end: ongoing\n", "  end: 2001\n"),
     14, "period.end", "before it starts"),
    ("non-http-url", _mutate("url: https://example.org/alpha\n", "url: ftp://example.org/alpha\n"),
     37, "sources[0].url", "expected an http(s) address"),
    ("dangling-related", _mutate("related: [beta-forum]", "related: [beta-forums]"), 23, "related[0]",
     "did you mean 'beta-forum'"),
    ("country-uk", _mutate("country: GB", "country: UK"), 6, "country", "use GB"),
    ("unknown-sector", _mutate("sectors: [homelessness", "sectors: [homeless"), 7, "sectors[0]",
     "did you mean 'homelessness'"),
    ("summary-too-long", _mutate("summary: A fictional", "summary: " + "x" * 300 + " A fictional"), 3,
     "summary", "at most 300"),
    ("missing-field", _mutate("place: Alphaton, England\n", ""), 2, "place", "required field is missing"),
    ("html-in-body", _mutate("They made one alliance [S2].", "They made <script>alert(1)</script> [S2]."),
     61, "body", "raw HTML"),
    ("html-in-field", _mutate("place: Alphaton, England", "place: <b>Alphaton</b>"), 5, "place", "raw HTML"),
    ("missing-section", _mutate("## What changed\n\nFewer handoffs [S1].\n\n", ""), 67, "body",
     "missing section '## What changed'"),
    ("misspelt-section", _mutate("## What they did", "## What They Did"), 59, "body", "did you mean"),
    ("citation-out-of-range", _mutate("They made one alliance [S2].", "They made one alliance [S9]."), 61,
     "body", "[S9] cites a source that is not listed"),
    ("duplicate-key", _mutate("place: Alphaton, England", "place: Alphaton, England\nplace: Elsewhere"),
     6, "place", "appears twice"),
    ("placeholder-left", _mutate("place: Alphaton, England", "place: 'TODO: place'"), 5, "place",
     "placeholder"),
    ("year-future-source", _mutate("    year: 2021", "    year: 2099"), 39, "sources[0].year", "not a possible year"),
]


@pytest.mark.parametrize("name,content,line,field,fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_reports_located_problem(tmp_path, name, content, line, field, fragment):
    result = _validate(tmp_path, f"{name}.md", content)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [x for x in result.stdout.splitlines() if x.startswith(f"cases/{name}.md:")]
    assert lines, result.stdout
    pattern = re.compile(rf"^cases/{re.escape(name)}\.md:(\d+):(\d+): (.+?): (.*)$")
    parsed = [pattern.match(x).groups() for x in lines]
    assert any(
        int(ln) == line and f == field and fragment in message for ln, _col, f, message in parsed
    ), "\n".join(lines)
    assert not any(x.startswith("cases/beta-forum.md") for x in result.stdout.splitlines())  # others unaffected


def test_very_large_file_is_refused_without_parsing(tmp_path):
    result = _validate(tmp_path, "huge.md", GOOD + ("x" * 1024 + "\n") * 600)
    assert result.returncode == 1
    assert "cases/huge.md:1:1: file: file is" in result.stdout and "bytes" in result.stdout


def test_non_utf8_bytes_report_the_line(tmp_path):
    data = GOOD.replace("place: Alphaton, England", "place: Alphaton \udcff").encode("utf-8", "surrogateescape")
    result = _validate(tmp_path, "latin.md", data)
    assert result.returncode == 1
    assert "cases/latin.md:5:1: file: not valid UTF-8 (byte 0xff at line 5)" in result.stdout


def test_duplicate_titles_are_reported(tmp_path):
    copy = GOOD.replace("title: Alpha Alliance", "title: Beta  forum")  # case and spacing differ
    copy = copy.replace("added: 2026-10-01", "added: 2026-11-20")  # the newer case carries the error
    result = _validate(tmp_path, "zz-copy.md", copy)
    assert result.returncode == 1
    assert "cases/zz-copy.md:2:1: title: title is already used by cases/beta-forum.md" in result.stdout


def test_bom_and_crlf_are_accepted(tmp_path):
    data = b"\xef\xbb\xbf" + GOOD.replace("title: Alpha Alliance", "title: Gamma").replace("\n", "\r\n").encode()
    result = _validate(tmp_path, "gamma.md", data)
    assert result.returncode == 0, result.stdout
    assert "all valid" in result.stderr


def test_every_problem_in_one_run(tmp_path):
    bad = _mutate("country: GB", "country: UK").replace("organisations:", "organisation:")
    bad = bad.replace("url: https://example.org/alpha\n", "url: ftp://x\n").replace("## Context", "## Contexts")
    result = _validate(tmp_path, "many.md", bad)
    problems = [x for x in result.stdout.splitlines() if x.startswith("cases/many.md:")]
    fields = {x.split(": ")[1] for x in problems}
    assert {"country", "organisation", "sources[0].url", "body"} <= fields, problems
    assert "problems in 1 file" in result.stderr


def test_bad_file_name_suggests_a_slug(tmp_path):
    result = _validate(tmp_path, "My Case.md", GOOD.replace("title: Alpha Alliance", "title: Mine"))
    assert result.returncode == 1
    assert "such as 'my-case.md'" in result.stdout


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path):
    bad = _mutate("place: Alphaton, England", 'place: "Alphaton, England')
    result = _validate(tmp_path, "quote.md", bad)
    assert result.returncode == 1
    assert "cases/quote.md:5:8: front matter: this value opens a quote" in result.stdout, result.stdout


def test_a_yaml_problem_does_not_hide_the_body_problems(tmp_path):
    bad = _mutate("place: Alphaton, England", "place: [Alphaton").replace(
        "They made one alliance [S2].", "They made <b>one</b> alliance [S2].")
    result = _validate(tmp_path, "both.md", bad)
    fields = [x.split(": ")[1] for x in result.stdout.splitlines() if x.startswith("cases/both.md:")]
    assert "front matter" in fields and "body" in fields, result.stdout


def test_one_file_validated_alone_is_checked_against_the_library(tmp_path):
    project = _project(tmp_path, "new-one.md", GOOD.replace("title: Alpha Alliance", "title: Beta Forum"))
    result = run_hls("validate", "--root", str(project), str(project / "cases" / "new-one.md"))
    assert result.returncode == 1
    assert "cases/new-one.md:2:1: title: title is already used by cases/beta-forum.md" in result.stdout


def test_one_file_named_by_a_relative_path_is_not_its_own_duplicate(tmp_path):
    # run from the project folder, as CONTRIBUTING says: `hls validate cases/<slug>.md`
    project = _project(tmp_path, "new-one.md", GOOD)
    result = run_hls("validate", "--root", ".", "cases/new-one.md", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "already used" not in result.stdout
    assert "Checked 1 case file: all valid" in result.stderr, result.stderr
