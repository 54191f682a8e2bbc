"""Search in a real headless browser (Debian's chromium) over the built fixture site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(built_fixture, serve_dir):
    return serve_dir(built_fixture)


def _search(browser, url: str, query: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.keyboard.press("Control+k")  # the shortcut opens search from any page
    page.keyboard.type(query)
    page.locator("pagefind-modal a[href]").first.wait_for(timeout=15000)
    results = [a.get_attribute("href") for a in page.locator("pagefind-modal a[href]").all()]
    return page, results, errors


def test_search_finds_a_case_by_a_word_in_it(browser, site_url):
    page, results, errors = _search(browser, site_url, "Zanzibarine")
    assert results[0] == "/cases/alpha-alliance/"
    assert all(r.startswith("/cases/alpha-alliance/") for r in results)  # listings are not indexed
    assert errors == []
    page.close()


def test_search_works_from_a_case_page(browser, site_url):
    page, results, errors = _search(browser, site_url + "cases/alpha-alliance/", "Betaville")
    assert results[0] == "/cases/beta-forum/"
    assert errors == []
    page.close()


# The search page and the search box over the real site (tests/test_browse_browser.py has the index).



def _page(browser, url, width=1280, height=800):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


TWO_TICKED = "document.querySelectorAll('.hls-search-page pagefind-filter-pane input:checked').length == 2"


def _ticked(page) -> list[str]:
    return sorted(page.evaluate("""() => [...document.querySelectorAll(
        '.hls-search-page pagefind-filter-pane input:checked')].map(i => i.name + ': ' + i.value)"""))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_shared_search_url_restores_query_and_filters_and_back_returns_to_them(browser, site, width):
    page, errors = _page(browser, site + "search/?q=homelessness&country=United+Kingdom&sector=Housing", width)
    first = page.locator(".hls-search-page .pf-result").first
    first.wait_for(timeout=15000)
    assert page.input_value(".hls-search-page pagefind-input input") == "homelessness"
    if width < 600:  # on a phone the filters start folded, below the box and above the results
        assert not page.locator(".hls-search-page pagefind-filter-pane").is_visible()
        page.click(".hls-search-page__filters > summary")
    page.wait_for_function(TWO_TICKED)
    assert _ticked(page) == ["Country: United Kingdom", "Sector: Housing"]
    # changing the search changes the address (so Back and sharing keep it)
    page.fill(".hls-search-page pagefind-input input", "housing support")
    page.wait_for_function("location.search.includes('q=housing+support')")
    assert "country=United+Kingdom" in page.url and "sector=Housing" in page.url
    # Pagefind fills in a result's card when it scrolls into view
    page.locator(".hls-search-page pagefind-results").scroll_into_view_if_needed()
    page.locator(".hls-search-page .pf-result a").first.wait_for(timeout=15000)
    page.locator(".hls-search-page .pf-result a").first.click()
    page.wait_for_url("**/cases/*/")
    page.go_back()
    page.locator(".hls-search-page .pf-result").first.wait_for(timeout=15000)
    assert page.input_value(".hls-search-page pagefind-input input") == "housing support"
    page.wait_for_function(TWO_TICKED)
    assert _ticked(page) == ["Country: United Kingdom", "Sector: Housing"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []


def test_the_search_page_filters_match_the_cases_index(browser, site, built_site):
    import json

    facets = [f["label"] for f in json.loads((built_site / "data" / "browse.json").read_text())["facets"]]
    page, _ = _page(browser, site + "search/?q=learning")
    page.locator(".hls-search-page .pf-result").first.wait_for(timeout=15000)
    names = page.evaluate("[...document.querySelectorAll('.hls-search-page .pf-filter-group')]"
                          ".map(g => g.getAttribute('data-filter-name'))")
    assert names == [f for f in facets if f in names] and "Nation or region" in names
    results = page.locator(".hls-search-page pagefind-results").bounding_box()
    assert results["width"] >= 700  # room for a title and a line of summary at 1280


def test_result_cards_lead_with_the_title_and_five_fit_in_the_search_box(browser, site, cases):
    case = next(c for c in cases if c["slug"] == "glasgow-alliance-to-end-homelessness")
    page, errors = _page(browser, site + "organisations/", 1280, 800)
    page.keyboard.press("Control+k")
    page.keyboard.type("homelessness")
    cards = page.locator("pagefind-modal .pf-result")
    cards.nth(5).wait_for(timeout=15000)
    bottom = page.locator("pagefind-modal pagefind-modal-body").bounding_box()
    fits = [c.bounding_box() for c in cards.all()[:8]]
    assert sum(1 for b in fits if b["y"] + b["height"] <= bottom["y"] + bottom["height"] + 1) >= 5
    # title first and largest, then place and period, then the summary; no principles on every card
    page.fill("pagefind-modal input", case["title"])
    first = page.locator("pagefind-modal .pf-result").first
    page.wait_for_function("(t) => document.querySelector('pagefind-modal .pf-result-link')?.innerText === t",
                           arg=case["title"])
    assert first.locator(".hls-result-meta").inner_text().startswith(case["place"] + " · ")
    assert first.locator(".hls-result-summary").inner_text() == " ".join(case["summary"].split())
    size = lambda sel: first.locator(sel).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")  # noqa: E731
    assert size(".pf-result-link") > size(".hls-result-summary")
    assert "Principles:" not in first.inner_text()
    assert errors == []


def test_esc_closes_the_search_box_as_its_hint_says_and_reopening_selects_the_query(browser, site):
    page, _ = _page(browser, site + "organisations/")
    page.keyboard.press("Control+k")
    page.keyboard.type("learning cycles")
    page.locator("pagefind-modal .pf-result").first.wait_for(timeout=15000)
    hints = " ".join(page.locator("pagefind-modal pagefind-keyboard-hints").inner_text().split())
    assert "esc close" in hints and "clear" not in hints
    page.keyboard.press("Escape")
    assert not page.evaluate("document.querySelector('pagefind-modal dialog').open")
    page.keyboard.press("Control+k")
    page.wait_for_function("document.activeElement && document.activeElement.matches('pagefind-modal input')")
    page.keyboard.type("wigan")
    assert page.input_value("pagefind-modal input") == "wigan"  # replaced, not "learning cycleswigan"
