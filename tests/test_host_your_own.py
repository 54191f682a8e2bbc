"""docs/host-your-own.md, followed step by step in a fresh copy of the repository, as an organisation would.

Own name, logo and palette (through the documented CSS variables, with the build's contrast warning),
own cases only (the guide's case lists removed with the page's one command), a vocabulary term, built
for https://library.northshire.example/kb/ and served under /kb/ by the shipped nginx snippet with
the CSP that `hls csp` writes. Every kind of page, the 404 page and a search then load in headless
Chromium with no CSP violation, no console error and no request to another host.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from test_hosting import _search, _watch
from test_plumbing import Nginx, _free_port, nginx_bin  # noqa: F401 (a fixture)

from conftest import FIXTURE_SITE, ROOT, run_hls

GUIDE = ROOT / "docs" / "host-your-own.md"
ADDRESS = "https://library.northshire.example/kb/"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="#fff"/></svg>'


def _fresh_clone(target):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _step(command: str):
    """A command as docs/host-your-own.md gives it (so the test fails if the page changes it)."""
    assert command in GUIDE.read_text(), f"docs/host-your-own.md no longer says: {command}"
    return command


def _brand(repo, link: str) -> None:
    (repo / "docs" / "assets" / "brand.css").write_text(
        ":root > * {\n  --md-primary-fg-color: #00564c;\n  --md-primary-fg-color--light: #2e7d72;\n"
        "  --md-primary-fg-color--dark: #003d36;\n  --md-primary-bg-color: #ffffff;\n"
        "  --md-primary-bg-color--light: #ffffffb3;\n}\n"
        f'[data-md-color-scheme="default"] {{\n  --hls-link: {link};\n  --hls-link-hover: #003d36;\n'
        "  --hls-focus: #003d36;\n}\n")


@pytest.fixture(scope="module")
def own_library(tmp_path_factory):
    """The repository made into Northshire's library as the page says; returns (repo, site)."""
    repo = tmp_path_factory.mktemp("northshire") / "repo"
    _fresh_clone(repo)
    config = repo / "mkdocs.yml"
    text = config.read_text()
    # Name and address; logo; palette: primary custom, colours in our own stylesheet
    text = text.replace("site_name: Human Learning Systems case library", "site_name: Northshire learning library")
    text = text.replace("theme:\n  name: material\n",
                        "theme:\n  name: material\n  logo: assets/logo.svg\n  favicon: assets/logo.svg\n")
    text = text.replace("primary: indigo", "primary: custom")
    text = text.replace("extra:\n", "extra_css:\n  - assets/brand.css\n\nextra:\n")
    config.write_text(text)
    (repo / "docs" / "assets").mkdir()
    (repo / "docs" / "assets" / "logo.svg").write_text(LOGO)
    # Own cases only: the shipped ones go, ours come in; then the guide's case lists
    for case in (repo / "cases").glob("*.md"):
        case.unlink()
    for name in ("alpha-alliance.md", "beta-forum.md"):
        shutil.copy(FIXTURE_SITE / "cases" / name, repo / "cases" / name)
    subprocess.run(_step("perl -0pi -e 's/^cases:.*\\n//m' guide/*.md"), shell=True, cwd=repo, check=True)
    # A vocabulary term of our own, used by a case
    (repo / "vocabularies").mkdir()
    (repo / "vocabularies" / "sectors.yaml").write_text(
        "transport:\n  label: Transport\n  description: Public transport, roads and travel support.\n")
    beta = repo / "cases" / "beta-forum.md"
    beta.write_text(re.sub(r"(?m)^sectors: \[", "sectors: [transport, ", beta.read_text(), count=1))

    assert run_hls("validate", "--root", str(repo)).returncode == 0
    # A link colour that fails WCAG AA stops the (strict) build, and says which and why
    _brand(repo, "#4db6ac")
    result = run_hls("build", "--root", str(repo), "--site-url", ADDRESS)
    assert result.returncode == 1
    assert "palette: links (--hls-link) in the light scheme: #4db6ac on #ffffff has contrast 2.4:1" in result.stderr
    _brand(repo, "#00564c")
    result = run_hls("build", "--root", str(repo), "--site-url", ADDRESS)
    assert result.returncode == 0, result.stderr[-3000:]
    return repo, repo / "site"


def test_the_built_library_is_ours(own_library):
    repo, site = own_library
    home = (site / "index.html").read_text()
    assert "Northshire learning library" in home and 'src="assets/logo.svg"' in home
    assert "No cases yet" not in home and "Alpha Alliance" in home  # a small library still features cases
    assert {p.parent.name for p in (site / "cases").glob("*/index.html")} == {"alpha-alliance", "beta-forum"}
    assert "Transport" in (site / "cases" / "beta-forum" / "index.html").read_text()
    assert "https://library.northshire.example/kb/cases/alpha-alliance/" in (site / "feed.xml").read_text()


def test_an_empty_library_builds(own_library, tmp_path):
    repo, _ = own_library
    empty = tmp_path / "repo"
    shutil.copytree(repo, empty, ignore=shutil.ignore_patterns("site"))
    for case in (empty / "cases").glob("*.md"):
        case.unlink()
    result = run_hls("build", "--root", str(empty), "--site-url", ADDRESS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "No cases yet" in (empty / "site" / "index.html").read_text()
    assert "0 case studies" in (empty / "site" / "cases" / "index.html").read_text()


@pytest.fixture(scope="module")
def served(own_library, nginx_bin, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """The site under /kb/ of an existing nginx server, through the shipped snippet and `hls csp`."""
    repo, site = own_library
    work = tmp_path_factory.mktemp("northshire-nginx")
    webroot, port = work / "www", _free_port()
    shutil.copytree(site, webroot / "kb")
    snippet = work / "hls-library.conf"
    result = run_hls("csp", str(site), "--config", str(repo / "deploy" / "nginx" / "location-snippet.conf"),
                     "--write", str(snippet))
    assert result.returncode == 0, result.stderr
    text, roots = re.subn(r"(?m)^(\s*)root\s+[^;]+;", lambda m: f'{m.group(1)}root "{webroot}";', snippet.read_text())
    assert roots == 1
    snippet.write_text(text)
    existing = (f"server {{\n    listen 127.0.0.1:{port};\n    root \"{webroot}\";\n"
                f"    include {snippet};\n}}\n")
    with Nginx(nginx_bin, work, existing) as server:
        server.wait_for(port)
        yield f"http://127.0.0.1:{port}", site


PAGES = ["", "cases/", "cases/alpha-alliance/", "cases/beta-forum/", "organisations/", "countries/", "countries/gb/",
         "principles/", "principles/human/", "guide/", "guide/learning-cycles/", "search/", "benchmarks/",
         "host-your-own/", "data/"]


@pytest.mark.browser
def test_every_kind_of_page_works_under_kb_with_the_policy(browser, served):
    origin, site = served
    organisation = next((site / "organisations").glob("*/index.html")).parent.name
    context = browser.new_context()
    problems = _watch(context, origin)
    try:
        page = context.new_page()
        for path in [*PAGES, f"organisations/{organisation}/"]:
            response = page.goto(f"{origin}/kb/{path}")
            assert response.status == 200, path
            assert "script-src" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__csp") == [] and problems == [], (path, problems)
        # links, buttons and focus follow our palette
        page.goto(f"{origin}/kb/")
        assert page.locator(".md-typeset a.md-button--primary").first.evaluate(
            "e => getComputedStyle(e).backgroundColor") == "rgb(0, 86, 76)"
        assert page.locator(".md-typeset p a").first.evaluate("e => getComputedStyle(e).color") == "rgb(0, 86, 76)"
        # aligned tables keep their alignment (classes, not style attributes the CSP would block)
        page.goto(f"{origin}/kb/benchmarks/")
        assert page.locator("td.hls-align-right").first.evaluate("e => getComputedStyle(e).textAlign") == "right"
        # search finds our case under the path
        page.goto(f"{origin}/kb/")
        assert _search(page, "Zanzibarine")[0] == "/kb/cases/alpha-alliance/"
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [] and problems == [], problems
        # the library's own 404 page, working (its inline script allowed, its links under /kb/)
        response = page.goto(f"{origin}/kb/no/such/page/")
        assert response.status == 404
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text() == "Page not found"
        assert page.locator("a", has_text="Go to the home page").get_attribute("href") == "/kb/"
        assert page.evaluate("window.__csp") == []
        assert [p for p in problems if "status of 404" not in p] == [], problems
    finally:
        context.close()
