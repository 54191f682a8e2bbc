"""The principles and the guide: cross-links to cases, the glossary, and worksheets that print on A4."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, run_mkdocs
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


def test_every_guide_and_principle_page_cites_numbered_linked_sources(built_site):
    """Sources are front matter, listed as on a case page: numbered, linked, with ids [S2] links to."""
    for uri, path in content_files(ROOT / "guide", "guide") + content_files(ROOT / "principles", "principles"):
        source, problems = read_source(path)
        assert source is not None and not problems, problems
        if uri == "guide/reading-paths.md":  # a page of links to other pages, with no claims of its own
            continue
        entries = source.meta.get("sources")
        assert entries, f"{uri} lists no sources"
        out = uri.removesuffix(".md").removesuffix("index").rstrip("/")
        html = (built_site / out / "index.html").read_text()
        assert '<ol class="hls-sources">' in html, uri
        for n, entry in enumerate(entries, start=1):
            assert f'<li id="source-{n}" class="hls-source" data-source="{n}"><p>' in html, (uri, n)
            assert f'href="{entry["url"]}"' in html.replace("&amp;", "&"), (uri, entry["url"])
        assert "<https://" not in path.read_text("utf-8"), f"{uri} still cites a bare URL"
        # every [S2] in the text is a link to source 2, and there is a source 2
        before = html.split('<ol class="hls-sources">')[0]
        own = re.findall(r'<a href="#source-(\d+)">\[S\1\]</a>', before)
        assert all(int(n) <= len(entries) for n in own), uri
        assert not re.search(r"\[S\d+\]", re.sub(r'<a href="[^"]*#source-\d+">\[S\d+\]</a>', "", before)), uri


def test_principle_pages_link_each_case_notes_citations_to_that_case(built_site):
    html = (built_site / "principles" / "human" / "index.html").read_text()
    assert re.search(r'<a href="\.\./\.\./cases/[a-z0-9-]+/#source-\d+">\[S\d+\]</a>', html)
    unlinked = re.sub(r'<a href="[^"]*#source-\d+">\[S\d+\]</a>', "", html)
    assert not re.search(r"\[S\d+\]", unlinked), "a case note's citation is plain text"


def test_a_chapter_that_names_a_case_without_linking_it_warns(site_copy):
    guide = site_copy / "guide" / "index.md"
    guide.write_text(guide.read_text() + "\n\nThe Beta Forum shows this well.\n")
    result = run_mkdocs("build", "--strict", "-d", str(site_copy / "out"), cwd=site_copy)
    assert result.returncode != 0
    assert re.search(r"guide/index\.md:\d+: names the case 'Beta Forum' without linking it; link it where it is "
                     r"named: \[Beta Forum\]\(\.\./cases/beta-forum\.md\)", result.stderr), result.stderr[-1500:]


def test_guide_chapters_are_in_the_navigation_in_reading_order_with_previous_and_next(built_site):
    index = (built_site / "guide" / "index.html").read_text()
    nav = index[index.index('class="md-nav md-nav--primary"'):]
    order = [nav.index(f'href="{c}/"') if c != "index" else nav.index('href="./"') for c in CHAPTERS]
    assert order == sorted(order)
    chapter = (built_site / "guide" / "system-scales" / "index.html").read_text()
    footer = chapter[chapter.index('class="md-footer"'):]
    assert re.search(r'<a href="\.\./learning-cycles/" class="md-footer__link md-footer__link--prev"', footer)
    assert re.search(r'<a href="\.\./where-to-start/" class="md-footer__link md-footer__link--next"', footer)


def test_the_guide_speaks_to_practitioners_not_about_its_own_gaps():
    for uri, path in content_files(ROOT / "guide", "guide"):
        text = path.read_text("utf-8")
        for phrase in ("What we do not know", "We do not know", "we have not seen", "We have not"):
            assert phrase not in text, (uri, phrase)


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
    # every write-in box takes several lines of handwriting (1.8 cm: three lines of 6 mm)
    heights = page.eval_on_selector_all(".hls-worksheet tbody td",
                                        "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 64
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    assert 1 <= len(boxes) <= 4
    page.close()
