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
