"""A second generator, proven: ProperDocs builds the site as MkDocs does, and `hls stage` writes a
docs tree that a generator without our plugin builds into the same pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, run_hls
from hls_site.linkcheck import check_site

PROPERDOCS = Path(sys.executable).parent / "properdocs"
_MAIN = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _article(path: Path) -> str:
    """A page's content as readers see it, without the per-build slot token or whitespace noise."""
    body = _MAIN.search(path.read_text("utf-8")).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


@pytest.fixture(scope="module")
def fixture_copy(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("generators") / "src"
    shutil.copytree(FIXTURE_SITE, src)
    return src


def test_properdocs_builds_the_same_site_as_mkdocs(fixture_copy, built_fixture):
    if not PROPERDOCS.exists():
        pytest.skip("properdocs is not installed (it is in the test extra: scripts/setup installs it)")
    out = fixture_copy / "properdocs-site"
    result = subprocess.run([str(PROPERDOCS), "build", "--strict", "-d", str(out)], cwd=fixture_copy,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _pages(out) == _pages(built_fixture)
    assert len(_pages(out)) > 10
    for case in ("cases/alpha-alliance/index.html", "cases/beta-forum/index.html", "index.html",
                 "organisations/index.html", "principles/human/index.html"):
        assert _article(out / case) == _article(built_fixture / case), case
    assert (out / "pagefind" / "pagefind.js").is_file()


@pytest.fixture(scope="module")
def staged(fixture_copy, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("staged")
    # the fixture's own address, so that citations match the plugin's build of it
    result = run_hls("stage", str(target), "--root", str(fixture_copy), "--site-url", "http://127.0.0.1:8765/")
    assert result.returncode == 0, result.stderr
    assert "pages as sanitised HTML" in result.stderr
    return target


def test_stage_writes_every_generated_page_and_a_config_without_plugins(staged):
    docs = staged / "docs"
    for uri in ("cases/alpha-alliance.md", "cases/index.md", "organisations/index.md", "countries/index.md",
                "principles/human.md", "guide/index.md", "index.md", "data/cases.csv", "data/cases.json",
                "data/browse.json", "data/case.schema.json", "feed.xml"):
        assert (docs / uri).is_file(), uri
    assert re.search(r"(?m)^plugins: \[\]$", (staged / "mkdocs.yml").read_text())
    case = (docs / "cases" / "alpha-alliance.md").read_text()
    # the second wall held: our markup (ids, data attributes) is in, and no placeholder is left
    assert '<li id="source-1" class="hls-source" data-source="1">' in case
    assert "data-pagefind-filter=" in case and "hlsslot" not in case


def test_the_staged_tree_builds_without_the_plugin_into_the_same_pages(staged, built_fixture):
    out = staged / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=staged,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _pages(out) == _pages(built_fixture)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out)], check=True, capture_output=True)
    assert [str(b) for b in check_site(out, base_path="/")] == []
    staged_case, plugin_case = _article(out / "cases/alpha-alliance/index.html"), \
        _article(built_fixture / "cases/alpha-alliance/index.html")
    assert staged_case == plugin_case


def test_staging_refuses_invalid_content_with_the_validators_messages(fixture_copy, tmp_path):
    bad = tmp_path / "src"
    shutil.copytree(fixture_copy, bad, ignore=shutil.ignore_patterns("*site*"))
    (bad / "cases" / "broken.md").write_text("---\ntitle: x\n---\n")
    result = run_hls("stage", str(tmp_path / "out"), "--root", str(bad), "--site-url", "https://example.org/")
    assert result.returncode == 1 and "cases/broken.md:" in result.stderr and "Traceback" not in result.stderr
