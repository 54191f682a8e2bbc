"""Finding the right case, in a real headless browser over the real site, at 1280 and 390 px.

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
WIDTHS = [1280, 390]




def _values(case: dict, facet: str) -> list[str]:
    return {"sector": case["sectors"], "scale": case["scales"], "country": [case["country"]],
            "subdivision": [case["subdivision"]] if case.get("subdivision") else []}[facet]


def _expected(cases, chosen: dict[str, list[str]]) -> list[dict]:
    return [c for c in cases if all(set(v) & set(_values(c, f)) for f, v in chosen.items())]


def _choose_two(cases):
    """A country and a sector that together leave several, but not all, cases."""
    for country, _ in Counter(c["country"] for c in cases).most_common():
        for sector, n in Counter(s for c in cases if c["country"] == country for s in c["sectors"]).most_common():
            if 2 <= n < len(cases):
                return {"country": [country], "sector": [sector]}
    raise AssertionError("the library needs a country and sector shared by at least two cases")


def _open(browser, url, width=1280, height=900, **kwargs):
    context = browser.new_context(accept_downloads=True, viewport={"width": width, "height": height}, **kwargs)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    if kwargs.get("java_script_enabled", True) and page.locator("#hls-browse").count():
        page.locator("#hls-browse [role=status]").wait_for()
    return page, errors


def _shown(page) -> list[str]:
    while page.locator("#hls-browse button:has-text('Show more cases')").is_visible():
        page.click("#hls-browse button:has-text('Show more cases')")
    return [a.inner_text() for a in page.locator("#hls-browse .hls-results h3 a").all()]


def _status(page) -> str:
    return page.locator("#hls-browse [role=status]").inner_text()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        page.evaluate("document.documentElement.scrollWidth")


def _open_filters(page, width):
    """On a phone the filters are folded into a panel above the results."""
    if width < 600:
        assert not page.locator("#hls-filters-panel").is_visible()
        page.click("#hls-browse .hls-browse__toggle")
    assert page.locator("#hls-filters-panel").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_scotland_and_homelessness_give_exactly_the_scottish_homelessness_cases(browser, site, cases, width):
    page, errors = _open(browser, site + "cases/", width)
    assert _status(page) == f"{len(cases)} cases in the library"
    _open_filters(page, width)
    page.check("#hls-f-country-GB")
    page.check("#hls-f-subdivision-GB-SCT")
    page.check("#hls-f-sector-homelessness")
    expected = sorted(c["title"] for c in cases if c.get("subdivision") == "GB-SCT" and "homelessness" in c["sectors"])
    assert len(expected) >= 2
    assert _status(page) == f"{len(expected)} cases match your filters"
    if width < 600:  # the panel's button closes it and shows the results
        page.click(f"#hls-browse button:has-text('Show {len(expected)} cases')")
        assert not page.locator("#hls-filters-panel").is_visible()
    assert sorted(_shown(page)) == expected
    # the active filters are chips, each removable, with "clear all"
    chips = [c.inner_text().replace("\u00d7", "").strip() for c in page.locator(".hls-chips .hls-chip").all()]
    assert chips == ["Country: United Kingdom", "Nation or region: Scotland", "Sector: Homelessness", "Clear all"]
    page.click(".hls-chips button[aria-label='Remove Nation or region: Scotland']")
    uk = [c for c in cases if c["country"] == "GB" and "homelessness" in c["sectors"]]
    assert _status(page).startswith(f"{len(uk)} case")
    _no_sideways_scroll(page)
    page.click(".hls-chips button:has-text('Clear all')")
    assert _status(page) == f"{len(cases)} cases in the library"
    assert errors == []


def test_two_facets_filter_and_count(browser, site, cases):
    chosen = _choose_two(cases)
    page, errors = _open(browser, site + "cases/")
    for facet, values in chosen.items():
        page.check(f"#hls-f-{facet}-{values[0]}")
    expected = _expected(cases, chosen)
    assert _status(page).startswith(f"{len(expected)} case")
    assert sorted(_shown(page)) == sorted(c["title"] for c in expected)
    # the count beside each scale not ticked is how many of the shown cases have it
    for scale, n in Counter(s for c in expected for s in c["scales"]).items():
        assert page.locator(f"label[for=hls-f-scale-{scale}] .hls-facet__count").inner_text() == f"({n})"
    # a ticked value shows no count (its cases are the results)
    assert page.locator(f"label[for=hls-f-sector-{chosen['sector'][0]}] .hls-facet__count").inner_text() == ""
    # within one facet, values are ORed: adding a second sector widens the set
    other = next(s for c in cases for s in c["sectors"] if s not in chosen["sector"])
    page.check(f"#hls-f-sector-{other}")
    wider = _expected(cases, {**chosen, "sector": chosen["sector"] + [other]})
    assert _status(page).startswith(f"{len(wider)} case")
    assert errors == []


def test_the_url_keeps_the_view_and_history_works(browser, site, cases):
    chosen = _choose_two(cases)
    country, sector = chosen["country"][0], chosen["sector"][0]
    page, _ = _open(browser, site + "cases/")
    page.check(f"#hls-f-country-{country}")
    page.check(f"#hls-f-sector-{sector}")
    url = page.url
    assert f"country={country}" in url and f"sector={sector}" in url
    n = len(_expected(cases, chosen))
    shared, _ = _open(browser, url)  # someone opens the shared link
    assert shared.is_checked(f"#hls-f-country-{country}")
    assert _status(shared).startswith(f"{n} case")
    page.go_back()  # back to one facet
    assert not page.is_checked(f"#hls-f-sector-{sector}")
    one = len(_expected(cases, {"country": [country]}))
    assert _status(page).startswith(f"{one} case")
    page.go_forward()
    assert page.is_checked(f"#hls-f-sector-{sector}")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_misspelt_url_value_is_reported_and_corrected(browser, site, cases, width):
    page, errors = _open(browser, site + "cases/?sector=homelesness&country=gb", width)
    notice = page.locator("#hls-browse .hls-browse__notice")
    text = " ".join(notice.inner_text().split())
    assert "\u2018homelesness\u2019 is not a sector in this library: did you mean Homelessness?" in text
    assert "\u2018gb\u2019 is not a country in this library: did you mean United Kingdom?" in text
    assert _status(page) == f"{len(cases)} cases in the library"  # nothing silently applied
    notice.locator("button:has-text('Homelessness')").click()
    assert "sector=homelessness" in page.url
    homeless = [c for c in cases if "homelessness" in c["sectors"]]
    assert _status(page).startswith(f"{len(homeless)} case")
    _no_sideways_scroll(page)
    assert errors == []


def test_the_keyword_box_narrows_as_you_type_and_is_kept_in_the_url(browser, site, cases):
    page, _ = _open(browser, site + "cases/?sector=homelessness")
    page.fill("#hls-q", "glasgow")
    def has(c):
        return "glasgow" in " ".join([c["title"], c["summary"], c["place"], *c["organisations"]]).lower()

    expected = sorted(c["title"] for c in cases if "homelessness" in c["sectors"] and has(c))
    assert expected and sorted(_shown(page)) == expected
    page.wait_for_function("location.search.includes('q=glasgow')")
    again, _ = _open(browser, page.url)
    assert again.input_value("#hls-q") == "glasgow" and sorted(_shown(again)) == expected


def test_a_view_with_no_case_names_the_filter_to_remove(browser, site, cases):
    countries = {c["country"] for c in cases}
    sectors = {s for c in cases for s in c["sectors"]}
    country, sector = next((k, s) for k in sorted(countries) for s in sorted(sectors)
                           if not _expected(cases, {"country": [k], "sector": [s]}))
    page, _ = _open(browser, site + f"cases/?country={country}&sector={sector}")
    assert _status(page).startswith("0 cases")
    relax = page.locator(".hls-browse__empty button")
    label = relax.inner_text()
    assert label.startswith("Remove \u201c")
    relax.click()
    assert not _status(page).startswith("0 cases")


def test_sorting_by_start_year(browser, site, cases):
    page, _ = _open(browser, site + "cases/?sort=start-desc")
    titles = _shown(page)

    def start(case):  # 2019, "by 2019" or "unknown" (last)
        value = str(case["period"]["start"]).removeprefix("by ")
        return int(value) if value.isdigit() else -1

    by_year = sorted(cases, key=lambda c: (-start(c), c["title"]))
    assert titles[:5] == [c["title"] for c in by_year[:5]]


def _as_excel_reads(path) -> list[dict]:
    """Excel takes a CSV as UTF-8 only when it starts with a byte-order mark."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_downloads_hold_the_filtered_cases_in_the_chosen_order(browser, site, cases):
    page, _ = _open(browser, site + "cases/?country=GB&subdivision=GB-SCT&sector=homelessness&sort=start-desc")
    shown = [a.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] for a in page.locator(".hls-results h3 a").all()]
    with page.expect_download() as info:
        page.click("button[data-download=csv]")
    assert info.value.suggested_filename == "hls-cases-homelessness-scotland.csv"
    rows = _as_excel_reads(info.value.path())
    assert [r["slug"] for r in rows] == shown and len(shown) >= 2
    assert {(r["subdivision"], r["subdivision_name"], r["country_name"]) for r in rows} == {
        ("GB-SCT", "Scotland", "United Kingdom")}
    with page.expect_download() as info:
        page.click("button[data-download=json]")
    assert info.value.suggested_filename == "hls-cases-homelessness-scotland.json"
    data = json.loads(info.value.path().read_text("utf-8"))
    assert [c["slug"] for c in data["cases"]] == shown and data["count"] == len(shown)
    # names beyond ASCII survive the trip into a spreadsheet
    sweden, _ = _open(browser, site + "cases/?country=SE")
    with sweden.expect_download() as info:
        sweden.click("button[data-download=csv]")
    rows = _as_excel_reads(info.value.path())
    assert rows and all(r["country_name"] == "Sweden" for r in rows)
    assert any("ö" in r["place"] for r in rows)


def test_without_javascript_the_index_lists_cases(browser, site, cases):
    page, _ = _open(browser, site + "cases/", java_script_enabled=False)
    listed = page.locator(".hls-static-list h3 a:not(.headerlink)").all()
    assert len(listed) == min(len(cases), 50)
    assert page.locator("#hls-browse").is_hidden()
    # cards say what tells cases apart, not the principles nearly all of them show
    assert page.locator(".hls-static-list .hls-card__facts").count() == len(listed)
    assert page.locator(".hls-static-list .hls-badge").count() == 0


def test_back_from_a_case_returns_to_the_same_place_in_the_list(browser, site, cases):
    page, _ = _open(browser, site + "cases/", 1280, 800)
    link = page.locator(".hls-results h3 a").nth(20)
    link.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 500
    link.click()
    page.wait_for_url("**/cases/*/")
    page.go_back()
    page.locator("#hls-browse [role=status]").wait_for()
    page.wait_for_function(f"Math.abs(window.scrollY - {before}) < 40")


def _search(page, query: str) -> list[str]:
    return page.evaluate(
        """async (q) => { const s = await window.pf.search(q);
             return (await Promise.all(s.results.slice(0, 3).map(r => r.data()))).map(d => d.url); }""", query)


def test_exact_title_or_lead_organisation_ranks_the_case_first(browser, site, cases):
    page, _ = _open(browser, site + "cases/")
    page.evaluate("async () => { window.pf = await import('../pagefind/pagefind.js'); await window.pf.init(); }")
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


def test_help_pages_rank_below_cases_principles_and_guide(browser, site):
    page, _ = _open(browser, site + "cases/")
    page.evaluate("async () => { window.pf = await import('../pagefind/pagefind.js'); await window.pf.init(); }")
    urls = page.evaluate("""async () => { const s = await window.pf.search('learning cycles');
        return (await Promise.all(s.results.map(r => r.data()))).map(d => d.url); }""")
    library = [i for i, u in enumerate(urls) if u.startswith(("/cases/", "/principles/", "/guide/"))]
    help_pages = [i for i, u in enumerate(urls) if u.startswith(("/contribute/", "/data/", "/host-your-own/"))]
    assert library and help_pages, urls
    assert min(help_pages) > max(library), urls
