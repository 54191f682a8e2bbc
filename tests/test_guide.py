"""The principles and the guide: cross-links to cases, the glossary, and worksheets that print on A4."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from hls_site.content import content_files
from hls_site.loading import read_source

CHAPTERS = ["index", "learning-cycles", "system-scales", "where-to-start", "system-stewardship",
            "measuring-what-matters", "funding-and-commissioning", "mindsets"]
WORKSHEETS = ["learning-cycle-canvas", "actor-and-factor-map", "experiment-plan"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_names_at_least_two_cases_and_shows_them(built_site, chapter):
    source, problems = read_source(ROOT / "guide" / f"{chapter}.md")
    assert source is not None, problems
    assert len(source.meta.get("cases", [])) >= 2
    html = (built_site / "guide" / (f"{chapter}/" if chapter != "index" else "") / "index.html").read_text()
    assert "Cases that illustrate this chapter" in html
    for slug in source.meta["cases"]:
        assert f'/cases/{slug}/"' in html
        # and the case page links back to the chapter
        case = (built_site / "cases" / slug / "index.html").read_text()
        assert "Guide chapters that use this case" in case


def test_every_guide_and_principle_page_cites_sources():
    for uri, path in content_files(ROOT / "guide", "guide") + content_files(ROOT / "principles", "principles"):
        assert "\n## Sources" in path.read_text("utf-8"), uri


def test_glossary_has_at_least_forty_terms_and_chapters_link_to_it(built_site):
    terms = re.findall(r"^## (.+)$", (ROOT / "guide" / "glossary.md").read_text("utf-8"), flags=re.M)
    terms = [t for t in terms if t.strip() != "Sources"]
    assert len(terms) >= 40
    linked = sum("glossary/#" in (built_site / "guide" / c / "index.html").read_text() for c in CHAPTERS[1:])
    assert linked >= 5


def test_principle_pages_list_their_cases(built_site):
    for principle in ("human", "learning", "systems"):
        html = (built_site / "principles" / principle / "index.html").read_text()
        assert re.search(rf"Cases that show the {principle.title()} principle", html)
        assert html.count('href="../../cases/') >= 5


@pytest.mark.browser
@pytest.mark.parametrize("worksheet", WORKSHEETS)
def test_worksheets_print_cleanly_on_a4(browser, built_site, serve_dir, worksheet):
    url = serve_dir(built_site) + f"guide/worksheets/{worksheet}/"
    page = browser.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".hls-page-actions"):
        assert page.eval_on_selector(chrome, "e => getComputedStyle(e).display") == "none", chrome
    assert page.locator(".hls-worksheet table").count() >= 3
    # rows leave room to write in
    assert page.eval_on_selector(".hls-worksheet td", "e => e.getBoundingClientRect().height") >= 24  # ~7 mm
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    assert 1 <= len(boxes) <= 3
    page.close()
