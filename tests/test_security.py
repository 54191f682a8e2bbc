"""Contributed content cannot attack readers.

tests/hostile/ holds one case file per attack (each otherwise valid; its first comment line names
the message the validator must give). For each: the validator rejects it with file, line and field
(the first wall); and forced past the validator, the built site carries nothing executable and no
dialog fires in headless chromium on a site served with no Content-Security-Policy (the second wall).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import FIXTURE_SITE, run_hls
from hls_site.exports import citation_bibtex, spreadsheet_safe
from hls_site.validation import load_library
from hls_site.vocabularies import load_vocabularies

HOSTILE = Path(__file__).parent / "hostile"
FILES = sorted(HOSTILE.glob("*.md"))
EXPECT = {f.stem: re.search(r"expect: (.*)", f.read_text("utf-8")[:400]).group(1).strip() for f in FILES}
REJECTED = [f for f in FILES if EXPECT[f.stem]]
#: Inputs whose defence is a bound the validator enforces (a build with them would be the attack).
BOUNDED = {"many-links", "many-organisations", "long-place"}
#: Refused by checks the forced build keeps (the schema's URL type; a footnote is a miswritten citation).
SCHEMA_REFUSED = {"fm-source-url-paren", "link-footnote"}
FORCED = [f for f in FILES if f.stem not in BOUNDED]
ACCEPTED = [f for f in FILES if not EXPECT[f.stem]]


def _project(tmp_path: Path, *files: Path) -> Path:
    shutil.copytree(FIXTURE_SITE, tmp_path / "p")
    for file in files:
        shutil.copy(file, tmp_path / "p" / "cases" / file.name)
    return tmp_path / "p"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabularies()


@pytest.mark.parametrize("path", REJECTED, ids=[f.stem for f in REJECTED])
def test_validator_rejects_each_attack_with_file_line_and_field(tmp_path, vocab, path):
    project = _project(tmp_path, path)
    started = time.monotonic()
    library = load_library(project / "cases", vocab, root=project)
    assert time.monotonic() - started < 2
    mine = [p for p in library.problems if p.path == f"cases/{path.name}"]
    assert mine, f"{path.name} passed the validator"
    assert any(EXPECT[path.stem] in p.message for p in mine), [str(p) for p in mine]
    assert all(p.line >= 1 and p.field for p in mine)
    assert path.stem not in library.cases
    assert {"alpha-alliance", "beta-forum"} <= set(library.cases)  # other cases still build


def test_cli_reports_an_attack_as_a_located_line(tmp_path):
    project = _project(tmp_path, HOSTILE / "attr-onclick.md")
    result = run_hls("validate", "--root", str(project))
    assert result.returncode == 1
    assert re.search(r"^cases/attr-onclick\.md:\d+:\d+: body: '\{onclick=alert\(1\)\}' is a Markdown attribute list",
                     result.stdout, re.M), result.stdout


@pytest.mark.parametrize("path", ACCEPTED, ids=[f.stem for f in ACCEPTED])
def test_harmless_looking_text_is_accepted(tmp_path, vocab, path):
    project = _project(tmp_path, path)
    library = load_library(project / "cases", vocab, root=project)
    assert path.stem in library.cases, [str(p) for p in library.problems]


def _symlink_case(tmp_path: Path, target: str) -> Path:
    project = _project(tmp_path)
    os.symlink(target, project / "cases" / "linked.md")
    return project


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname", "../../outside.md"])
def test_symlinks_are_refused_at_once(tmp_path, target):
    (tmp_path / "outside.md").write_text((FIXTURE_SITE / "cases" / "beta-forum.md").read_text())
    project = _symlink_case(tmp_path, target)
    started = time.monotonic()
    result = run_hls("validate", "--root", str(project))
    assert time.monotonic() - started < 10  # a subprocess start; the read itself is refused at once
    assert result.returncode == 1
    assert "cases/linked.md:1:1: file: is a symbolic link" in result.stdout


def test_a_link_to_dev_zero_is_refused_within_a_second(tmp_path, vocab):
    project = _symlink_case(tmp_path, "/dev/zero")
    started = time.monotonic()
    problems = load_library(project / "cases", vocab, root=project).problems
    assert time.monotonic() - started < 1
    assert any(p.path == "cases/linked.md" and "symbolic link" in p.message for p in problems)


def test_a_fifo_is_refused_without_blocking(tmp_path, vocab):
    project = _project(tmp_path)
    os.mkfifo(project / "cases" / "pipe.md")
    started = time.monotonic()
    library = load_library(project / "cases", vocab, root=project)
    assert time.monotonic() - started < 1
    assert any("not an ordinary file" in p.message for p in library.problems)


def test_files_that_would_be_skipped_are_reported(tmp_path, vocab):
    project = _project(tmp_path)
    good = (FIXTURE_SITE / "cases" / "beta-forum.md").read_text()
    (project / "cases" / "upper.MD").write_text(good)
    (project / "cases" / "long.markdown").write_text(good)
    (project / "cases" / "sub").mkdir()
    (project / "cases" / "sub" / "nested.md").write_text(good)
    messages = {p.path: p.message for p in load_library(project / "cases", vocab, root=project).problems}
    assert "rename it to upper.md" in messages["cases/upper.MD"]
    assert "rename it to long.md" in messages["cases/long.markdown"]
    assert "not in subfolders" in messages["cases/sub/nested.md"]


def test_output_shows_control_characters_escaped(tmp_path):
    project = _project(tmp_path)
    (project / "cases" / "evil\nname.md").write_text("no front matter")
    result = run_hls("validate", "--root", str(project))
    line = next(x for x in result.stdout.splitlines() if x.startswith("cases/evil"))
    assert line.startswith("cases/evil\\nname.md:1:1:")


def test_duplicate_title_compares_normalised_text(tmp_path, vocab):
    project = _project(tmp_path)
    text = (FIXTURE_SITE / "cases" / "beta-forum.md").read_text().replace("title: Beta Forum", "title: Ｂeta  FORUM")
    (project / "cases" / "beta-copy.md").write_text(text.replace("added:", "x:") if "added:" in text else text)
    problems = load_library(project / "cases", vocab, root=project).problems
    assert any(p.field == "title" and "already used" in p.message for p in problems)


# The second wall: a site built with the validator's content checks switched off.

FORCE_BUILD = """
import sys
import hls_site.body, hls_site.validation
from hls_site.mkdocs_plugin.plugin import HlsPlugin
hls_site.body.body_findings = lambda text: []
hls_site.validation.plain_text_problem = lambda value: None
HlsPlugin._report = lambda self, problems: None  # what the schema itself refuses is left out, as in serve
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "-d", sys.argv[1]]
cli()
"""


@pytest.fixture(scope="module")
def forced_site(tmp_path_factory) -> Path:
    """The fixture site plus every hostile case, built with the first wall switched off."""
    src = tmp_path_factory.mktemp("forced") / "src"
    shutil.copytree(FIXTURE_SITE, src)
    for path in FORCED:
        shutil.copy(path, src / "cases" / path.name)
    out = src / "out"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", FORCE_BUILD, str(out)], cwd=src, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert time.monotonic() - started < 120
    return out


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.depth = 0  # inside <article> (the page content)

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if self.depth:
            self.found += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def _content_attributes(page: Path) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page.read_text("utf-8"))
    return parser.found


def test_forced_build_carries_nothing_executable(forced_site):
    built = [forced_site / "cases" / f.stem / "index.html" for f in FORCED if f.stem not in SCHEMA_REFUSED]
    # A title that reads the same as another is a duplicate even unchecked: one of the pair is left out.
    built = [p for p in built if p.exists()]
    assert len(built) == len(FORCED) - len(SCHEMA_REFUSED) - 1
    pages = list(forced_site.rglob("*.html"))
    for page in pages:
        for tag, name, value in _content_attributes(page):
            where = f"{page.relative_to(forced_site)}: <{tag} {name}={value[:60]!r}>"
            assert not name.startswith("on"), where
            assert name != "style", where
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), where
            if name == "id":
                heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                assert heading or re.fullmatch(r"source-\d+|hls-browse|hls-cite-(text|bibtex|ris)", value), where
            if name.startswith("data-pagefind"):
                assert "evil.example" not in value and "Fake value" not in value, where
    for page in built:
        ids = [v for _, n, v in _content_attributes(page) if n == "id"]
        assert ids.count("source-1") == 1, page  # no clobbered anchor


def test_forced_build_exports_are_safe_to_open(forced_site):
    rows = list(csv.DictReader(io.StringIO((forced_site / "data" / "cases.csv").read_text("utf-8"))))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    formula = next(r for r in rows if r["slug"] == "export-formula")
    assert formula["title"].startswith("'=HYPERLINK")
    ElementTree.fromstring((forced_site / "feed.xml").read_bytes())  # well-formed, whatever the titles hold


def test_bibtex_escapes_latex_specials():
    assert spreadsheet_safe("@SUM(1)") == "'@SUM(1)"

    class Meta:
        title = "Costs 50% & more: {braces} #1 a_b ^ $ ~"
        last_reviewed = __import__("datetime").date(2026, 1, 2)

    class Case:
        slug, meta, title = "x", Meta, Meta.title

    entry = citation_bibtex(Case, "https://example.org/x/", "Site")
    assert r"title = {Costs 50\% \& more: \{braces\} \#1 a\_b \textasciicircum{} \$ \textasciitilde{}}" in entry
    assert entry.count("{") == entry.count("}")


def test_organisation_pages_cannot_collide(forced_site):
    index = (forced_site / "organisations" / "index.html").read_text("utf-8")
    assert "<h1" in index and "Organisations" in index
    assert (forced_site / "organisations" / "index-organisation" / "index.html").exists()


@pytest.mark.browser
def test_no_dialog_fires_on_a_site_without_csp(browser, serve_dir, forced_site):
    base = serve_dir(forced_site)  # http.server sends no Content-Security-Policy
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    urls = [f"{base}cases/{f.stem}/" for f in FORCED if (forced_site / "cases" / f.stem).exists()]
    urls += [f"{base}cases/", f"{base}organisations/", f"{base}"]
    for url in urls:
        page.goto(url)
        for link in page.locator("article a:visible").all()[:12]:
            link.hover(timeout=2000)
            link.focus()
            page.keyboard.press("Escape")  # close a citation's passages before the next link
        page.mouse.click(5, 5)
    page.close()
    assert dialogs == []
