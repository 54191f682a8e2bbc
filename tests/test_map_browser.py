"""The map of cases in a real headless browser, at 1280 and 390 px: it follows the index's filters,
every case on it is a link the keyboard reaches, and it reads in dark mode and in print."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
WIDTHS = [1280, 390]




def _open(browser, url, width, **kwargs):
    page = browser.new_context(viewport={"width": width, "height": 900}, **kwargs).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.locator("#hls-browse [role=status]").wait_for()
    return page, errors


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _map_links(page) -> list[str]:
    page.locator("#hls-map svg").first.wait_for()
    return page.locator("#hls-map a").evaluate_all(
        "links => links.map(a => new URL(a.getAttribute('href'), location.href).pathname)")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_links_exactly_the_filtered_cases_and_the_keyboard_reaches_each(browser, site, cases, width):
    page, errors = _open(browser, site + "cases/?country=GB&subdivision=GB-SCT&sector=homelessness", width)
    page.click("#hls-browse button:has-text('Show these cases on a map')")
    assert "map=1" in page.url
    expected = sorted(_path(c["url"]) for c in cases
                      if c.get("subdivision") == "GB-SCT" and "homelessness" in c["sectors"])
    assert sorted(_map_links(page)) == expected
    # every point has a name a screen reader reads, and the list below holds the same cases
    for link in page.locator("#hls-map a").all():
        assert link.get_attribute("aria-label").split(" \u2014 ")[0] in page.locator(".hls-results").inner_text()
    # Tab from the map button reaches every case on the map, in order
    page.focus("#hls-browse button[aria-controls=hls-map]")
    reached = []
    for _ in range(len(expected) + 3):
        page.keyboard.press("Tab")
        inside = page.evaluate("document.activeElement.closest('#hls-map') ? "
                               "new URL(document.activeElement.getAttribute('href'), location.href).pathname : null")
        if inside:
            reached.append(inside)
    assert sorted(reached) == expected
    # Enter on a point opens its case
    page.focus("#hls-map a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/*/")
    assert _path(page.url) in expected
    assert errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_follows_the_filters_and_fits_the_screen(browser, site, cases, width):
    page, errors = _open(browser, site + "cases/?map=1", width)
    assert sorted(_map_links(page)) == sorted(_path(c["url"]) for c in cases)
    panels = page.locator("#hls-map figcaption").all_inner_texts()
    assert any(p.startswith("United Kingdom: ") for p in panels)
    if width < 600:
        page.click("#hls-browse .hls-browse__toggle")
    page.check("#hls-f-country-AU")
    au = sorted(_path(c["url"]) for c in cases if c["country"] == "AU")
    assert sorted(_map_links(page)) == au
    assert page.locator("#hls-map figcaption").all_inner_texts() == [f"Australia: {len(au)} cases"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("#hls-map svg").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert errors == []


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_points_stand_out_from_the_land_in_both_schemes_and_in_print(browser, site, scheme):
    page, _ = _open(browser, site + "cases/?map=1", 1280, color_scheme=scheme)
    page.locator("#hls-map svg").first.wait_for()
    colours = page.evaluate("""() => {
        const dot = getComputedStyle(document.querySelector('#hls-map a:not(.hls-map__case--area) circle')).fill;
        const land = getComputedStyle(document.querySelector('#hls-map .hls-map__land')).fill;
        const sea = getComputedStyle(document.querySelector('#hls-map svg')).backgroundColor;
        return [dot, land, sea]; }""")
    dot, land, sea = colours
    assert _contrast(dot, land) >= 3 and _contrast(dot, sea) >= 3, colours  # WCAG 1.4.11, non-text contrast
    page.emulate_media(media="print")
    assert page.locator("#hls-map svg").first.is_visible()
    printed = page.evaluate("getComputedStyle(document.querySelector('#hls-map a circle')).fill")
    assert _contrast(printed, "rgb(255, 255, 255)") >= 3
