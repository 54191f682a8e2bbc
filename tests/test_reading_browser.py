"""Reading and reusing a case, as a reader does it: on a phone and a desktop, following a fact or a
citation, citing the case in a reference manager, and printing it.

Over the real site, built once and served on loopback, in headless Chromium at 320, 390 and 1280 px.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 1280)
CASE = "cases/plymouth-alliance/"
#: One page of every kind a reader meets.
PAGES = {
    "home": "", "case": CASE, "case-long-title": "cases/nottinghamshire-childrens-services-hls/",
    "principle": "principles/human/", "guide-chapter": "guide/funding-and-commissioning/",
    "worksheet": "guide/worksheets/actor-and-factor-map/", "glossary": "guide/glossary/",
    "cases-index": "cases/?sector=homelessness", "organisation": "organisations/plymouth-city-council/",
    "country": "countries/gb/", "data": "data/", "search": "search/",
}

#: For each word of the page's h1 (the parts of "strengths-based" are words: a line may end after its
#: hyphen): how many distinct lines its characters land on.
WORD_LINES = """() => {
  const h1 = document.querySelector("article h1");
  const out = [];
  const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".headerlink")) continue;
    for (const m of node.textContent.matchAll(/[^\\s\\u002d\\u2010]+/g)) {  // a break after a hyphen is fine
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      out.push([m[0], tops.size]);
    }
  }
  return out;
}"""



@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def page_at(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    page = context.new_page()
    yield request.param, page
    context.close()


def test_no_word_breaks_inside_a_heading_and_nothing_scrolls_sideways(page_at, site):
    width, page = page_at
    for kind, path in PAGES.items():
        page.goto(site + path)
        broken = [word for word, lines in page.evaluate(WORD_LINES) if lines != 1]
        assert not broken, f"{kind} at {width}px: h1 words split across lines: {broken}"
        scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
        assert scroll <= client, f"{kind} at {width}px scrolls sideways ({scroll} > {client})"


def test_page_actions_sit_below_the_title(page_at, site):
    width, page = page_at
    page.goto(site + CASE)
    title = page.locator("article h1").bounding_box()
    actions = page.locator(".hls-page-actions").bounding_box()
    assert actions["y"] >= title["y"] + title["height"] - 1
    # the title has the content column's full width
    column = page.locator("article").bounding_box()
    assert title["width"] >= column["width"] - 40


def test_header_search_fits_and_hides_key_hints_on_touch_screens(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site + CASE)
    button = page.locator(".hls-search-trigger button")
    box = button.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert page.locator(".pf-trigger-shortcut").evaluate("e => getComputedStyle(e).display") == "none"
    assert button.get_attribute("aria-label")  # it keeps its name without the visible words
    context.close()


def test_wide_tables_scroll_in_a_labelled_box_reachable_by_keyboard(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(site + "guide/worksheets/actor-and-factor-map/")
    page.wait_for_load_state("networkidle")
    wide = page.locator(".md-typeset__scrollwrap.hls-scrolls")
    assert wide.count() >= 1
    first = wide.first
    assert first.get_attribute("tabindex") == "0" and first.get_attribute("role") == "region"
    assert "scrolls sideways" in first.get_attribute("aria-label")
    first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)
    assert first.evaluate("e => e.scrollLeft") > 0
    page.close()


def test_a_facts_panel_link_lands_on_the_filtered_cases(browser, site, built_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + CASE)
    facts = page.locator("aside.hls-facts")
    for label in ("Homelessness", "Place", "Alliance contracting", "Featured in HLS publications", "United Kingdom"):
        if label != "Place":
            assert facts.get_by_role("link", name=label, exact=True).count() == 1, label
    facts.get_by_role("link", name="Alliance contracting", exact=True).click()
    page.wait_for_url(re.compile(r"/cases/\?practice=alliance-contracting$"))
    page.locator(".hls-results > li").first.wait_for()
    data = json.loads((built_site / "data" / "browse.json").read_text())
    expected = {c["title"] for c in data["cases"] if "alliance-contracting" in c["facets"]["practice"]}
    shown = set(page.locator(".hls-results > li h3").all_inner_texts())
    assert shown == expected and len(expected) >= 2
    assert page.locator("#hls-f-practice-alliance-contracting").is_checked()
    page.close()


def test_a_followed_citation_marks_its_source_which_links_back(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(site + CASE)
    page.wait_for_load_state("networkidle")
    citation = page.locator("article a[href='#source-3']").first
    citation_id = citation.get_attribute("id")
    citation.click()
    source = page.locator("#source-3")
    assert "hls-source--marked" in source.get_attribute("class")
    back = source.locator(".hls-cited-in a").first
    assert back.get_attribute("href") == f"#{citation_id}"
    back.click()
    assert page.evaluate("location.hash") == f"#{citation_id}"
    page.close()


def test_cite_this_case_copies_and_announces(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    page = context.new_page()
    page.goto(site + CASE)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Copy RIS").click()
    page.get_by_role("status").filter(has_text="RIS copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("TY  - ELEC") and "ER  -" in copied
    href = page.get_by_role("link", name="Download BibTeX (.bib)").get_attribute("href")
    assert href.endswith("data/cite/plymouth-alliance.bib")
    context.close()


def test_a_printed_case_shows_source_urls_in_dark_text_even_from_dark_mode(browser, site, tmp_path):
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils is not installed (scripts/test installs it)")
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + CASE)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    url = page.locator(".hls-source__url").first.inner_text()
    pdf = tmp_path / "case.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True, prefer_css_page_size=True))
    context.close()
    # Where the first source's address sits in the PDF, word by word ...
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = bbox.split("<page ")[1:]
    needle = url[:30]
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    number = 0
    for number, body in enumerate(pages, start=1):  # noqa: B007 (the page found is used below)
        words = word.findall(body)
        hits = [w for w in words if needle[:20] in w[4]]
        if hits:
            break
    else:
        pytest.fail(f"the source address {url!r} is not printed")
    size = re.match(r'width="([\d.]+)" height="([\d.]+)"', pages[number - 1])
    # ... and what colour it is there, in the page turned into an image.
    subprocess.run(["pdftoppm", "-r", "100", "-f", str(number), "-l", str(number), "-gray", str(pdf),
                    str(tmp_path / "page")], check=True)
    width, height, pixels = _read_pgm(next(tmp_path.glob("page*.pgm")))
    sx, sy = width / float(size.group(1)), height / float(size.group(2))
    x0, y0, x1, y1 = (float(v) for v in hits[0][:4])
    box = [pixels[y * width + x] for y in range(int(y0 * sy), int(y1 * sy) + 1)
           for x in range(int(x0 * sx), int(x1 * sx) + 1)]
    assert min(box) < 60, f"the source address prints pale (darkest grey {min(box)} of 255)"
    assert pixels[5 * width + 5] > 240  # on white paper, not the dark scheme's background


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary greyscale image as pdftoppm -gray writes it: 'P5', width, height, 255, then the bytes."""
    data = path.read_bytes()
    magic, width, height, depth, rest = data.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    return int(width), int(height), rest
