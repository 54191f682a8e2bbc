"""Finding the right case, in a real headless browser over the real site.

Expected results are computed here, independently, from the published cases.json: OR within a
facet, AND across facets.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(built_site, serve_dir):
    return serve_dir(built_site)


@pytest.fixture(scope="module")
def cases(built_site):
    return json.loads((built_site / "data" / "cases.json").read_text())["cases"]


def _values(case: dict, facet: str) -> list[str]:
    return {"principle": list(case["principles"]), "sector": case["sectors"], "scale": case["scales"],
            "country": [case["country"]]}[facet]


def _expected(cases, chosen: dict[str, list[str]]) -> list[dict]:
    return [c for c in cases if all(set(v) & set(_values(c, f)) for f, v in chosen.items())]


def _choose_two(cases):
    """A principle and a sector that together leave several, but not all, cases."""
    best = None
    for principle in ("learning", "systems", "human"):
        for sector, n in Counter(s for c in cases if principle in c["principles"] for s in c["sectors"]).most_common():
            if 2 <= n < len(cases):
                best = best or (principle, sector)
    assert best, "the library needs a principle and sector shared by at least two cases"
    return {"principle": [best[0]], "sector": [best[1]]}


def _open(browser, url, **kwargs):
    context = browser.new_context(accept_downloads=True, **kwargs)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return page, errors


def _shown(page) -> list[str]:
    while page.locator("#hls-browse button:has-text('Show more cases')").is_visible():
        page.click("#hls-browse button:has-text('Show more cases')")
    return [a.inner_text() for a in page.locator("#hls-browse .hls-results h3 a").all()]


def test_two_facets_filter_and_count(browser, site, cases):
    chosen = _choose_two(cases)
    page, errors = _open(browser, site + "cases/")
    status = page.locator("#hls-browse [role=status]")
    status.wait_for()
    assert status.inner_text() == f"{len(cases)} cases match"
    for facet, values in chosen.items():
        page.check(f"#hls-f-{facet}-{values[0]}")
    expected = _expected(cases, chosen)
    assert status.inner_text().startswith(f"{len(expected)} case")
    assert sorted(_shown(page)) == sorted(c["title"] for c in expected)
    # the count beside each scale says how many cases ticking it would leave
    for scale, n in Counter(s for c in expected for s in c["scales"]).items():
        assert page.locator(f"label[for=hls-f-scale-{scale}] .hls-facet__count").inner_text() == f"({n})"
    # within one facet, values are ORed: adding a second sector widens the set
    other = next(s for c in cases for s in c["sectors"] if s not in chosen["sector"])
    page.check(f"#hls-f-sector-{other}")
    wider = _expected(cases, {**chosen, "sector": chosen["sector"] + [other]})
    assert status.inner_text().startswith(f"{len(wider)} case")
    assert errors == []


def test_the_url_keeps_the_view_and_history_works(browser, site, cases):
    chosen = _choose_two(cases)
    page, _ = _open(browser, site + "cases/")
    page.locator("#hls-browse [role=status]").wait_for()
    page.check(f"#hls-f-principle-{chosen['principle'][0]}")
    page.check(f"#hls-f-sector-{chosen['sector'][0]}")
    url = page.url
    assert f"principle={chosen['principle'][0]}" in url and f"sector={chosen['sector'][0]}" in url
    n = len(_expected(cases, chosen))
    shared, _ = _open(browser, url)  # someone opens the shared link
    shared.locator("#hls-browse [role=status]").wait_for()
    assert shared.is_checked(f"#hls-f-principle-{chosen['principle'][0]}")
    assert shared.locator("#hls-browse [role=status]").inner_text().startswith(f"{n} case")
    page.go_back()  # back to one facet
    assert not page.is_checked(f"#hls-f-sector-{chosen['sector'][0]}")
    one = len(_expected(cases, {"principle": chosen["principle"]}))
    assert page.locator("#hls-browse [role=status]").inner_text().startswith(f"{one} case")
    page.go_forward()
    assert page.is_checked(f"#hls-f-sector-{chosen['sector'][0]}")


def test_sorting_by_start_year(browser, site, cases):
    page, _ = _open(browser, site + "cases/?sort=start-desc")
    page.locator("#hls-browse [role=status]").wait_for()
    titles = _shown(page)
    def start(case):  # 2019, "by 2019" or "unknown" (last)
        value = str(case["period"]["start"]).removeprefix("by ")
        return int(value) if value.isdigit() else -1

    by_year = sorted(cases, key=lambda c: (-start(c), c["title"]))
    assert titles[:5] == [c["title"] for c in by_year[:5]]


def test_downloads_hold_exactly_the_filtered_cases(browser, site, cases):
    chosen = _choose_two(cases)
    query = "&".join(f"{f}={v[0]}" for f, v in chosen.items())
    page, _ = _open(browser, site + "cases/?" + query)
    page.locator("#hls-browse [role=status]").wait_for()
    expected = sorted(c["slug"] for c in _expected(cases, chosen))
    with page.expect_download() as info:
        page.click("button[data-download=csv]")
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text("utf-8"))))
    assert sorted(r["slug"] for r in rows) == expected
    with page.expect_download() as info:
        page.click("button[data-download=json]")
    data = json.loads(info.value.path().read_text("utf-8"))
    assert sorted(c["slug"] for c in data["cases"]) == expected and data["count"] == len(expected)


def test_without_javascript_the_index_lists_cases(browser, site, cases):
    page, _ = _open(browser, site + "cases/", java_script_enabled=False)
    listed = page.locator(".hls-static-list h3 a:not(.headerlink)").all()
    assert len(listed) == min(len(cases), 50)
    assert page.locator("#hls-browse").is_hidden()


def _search(page, query: str) -> list[str]:
    return page.evaluate(
        """async (q) => { const s = await window.pf.search(q);
             return (await Promise.all(s.results.slice(0, 3).map(r => r.data()))).map(d => d.url); }""", query)


def test_exact_title_or_lead_organisation_ranks_the_case_first(browser, site, cases):
    page, _ = _open(browser, site)
    page.evaluate("async () => { window.pf = await import('./pagefind/pagefind.js'); await window.pf.init(); }")
    leads = Counter(c["organisations"][0] for c in cases)
    for case in cases:
        path = "/" + case["url"].split("/", 3)[3]
        assert _search(page, case["title"])[0] == path, case["title"]
        first = _search(page, case["organisations"][0])[0]
        if leads[case["organisations"][0]] == 1:
            assert first == path, case["organisations"][0]
        else:  # an organisation that leads several cases: one of its own comes first
            assert first in {"/" + c["url"].split("/", 3)[3] for c in cases
                             if c["organisations"][0] == case["organisations"][0]}


def test_search_results_show_summary_and_principles(browser, site, cases):
    case = cases[0]
    page, errors = _open(browser, site + "organisations/")
    page.keyboard.press("Control+k")
    page.keyboard.type(case["title"])
    first = page.locator("pagefind-modal .pf-result").first
    first.wait_for(timeout=15000)
    assert first.locator(".pf-result-link").inner_text() == case["title"]
    assert first.locator(".hls-result-summary").inner_text() == " ".join(case["summary"].split())
    assert first.locator(".hls-result-principles").inner_text().startswith("Principles: ")
    assert errors == []


def test_search_page_has_filters(browser, site, cases):
    page, errors = _open(browser, site + "search/")
    page.locator(".hls-search-page pagefind-input input").fill(cases[0]["title"])
    page.locator(".hls-search-page .pf-result").first.wait_for(timeout=15000)
    text = page.locator(".hls-search-page pagefind-filter-pane").inner_text().lower()
    assert "principle" in text and "sector" in text
    assert errors == []
