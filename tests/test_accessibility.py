"""Accessibility (WCAG 2.2 AA), proven in a real browser on every kind of page.

Over the real site, built once and served on loopback (a missing address gets the site's 404.html,
as the shipped nginx config does), in headless Chromium:

1. axe-core (4.12, bundled with axe-playwright-python) runs the WCAG 2.0/2.1/2.2 A and AA rules
   on each kind of page, in the light and the dark colour scheme, and must report no violation.
2. Those pages log no console error and request nothing from any host but 127.0.0.1.
3. Keyboard only: the skip link works; search (trigger, input, results, Escape) and every control
   of the cases index can be reached with Tab and used from the keyboard; focus is always visible.
4. Result counts are announced: the cases index has a polite status region whose text changes
   with the filters, and Pagefind announces its result summary through a polite live region.
5. Without a browser, over every built page: images have a text alternative (or are marked
   decorative) and heading levels do not skip inside the article.

Internal links are checked by tests/test_build.py (hls_site.linkcheck), not here.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
CASE = "cases/plymouth-alliance/"
#: Each kind of page: its address and, for search, what is done on it before checking.
PAGES = {
    "home": "",
    "case": CASE,
    "principle": "principles/human/",
    "guide-chapter": "guide/learning-cycles/",
    "worksheet": "guide/worksheets/learning-cycle-canvas/",
    "cases-index-two-facets": "cases/?country=GB&subdivision=GB-SCT&sector=homelessness&map=1",
    "search-modal": CASE,
    "search-page": "search/",
    "organisation": "organisations/plymouth-city-council/",
    "country": "countries/gb/",
    "data": "data/",
    "obstacles": "obstacles/",
    "obstacle-kind": "obstacles/funding-constraints/",
    "learning-cycles": "learning-cycles/",
    "case-with-cycles": "cases/wigan-deal/",
    "not-found": "no-such-page/",
}
VIEWPORT = {"width": 1280, "height": 900}
#: Widths every page is checked at: a desktop and a phone (reflow, target size and contrast of
#: what only the phone layout shows, such as the collapsed filter panel and the drawer's header).
WIDTHS = {"desktop": VIEWPORT, "phone": {"width": 390, "height": 844}}

#: What has keyboard focus (inside shadow roots too), and whether a focus indicator is visible on
#: it: a non-zero outline or a box-shadow on the element or, for a visually hidden input (the
#: colour-scheme switch is a hidden radio), on its visible label.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const shown = (e) => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 2 && r.height > 2 && s.visibility !== "hidden" && parseFloat(s.opacity) > 0;
  };
  const ring = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none");
  };
  let candidates = [el];
  if (!shown(el)) {
    candidates = [...(el.labels || [])];
    const next = el.nextElementSibling;
    if (next && next.tagName === "LABEL") candidates.push(next);
  }
  const visible = candidates.filter(shown);
  return {
    tag: el.tagName, id: el.id, cls: typeof el.className === "string" ? el.className : "",
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 80),
    href: el.getAttribute("href"), download: el.getAttribute("data-download"), type: el.type || "",
    visible: visible.length > 0, indicator: visible.some(ring),
    inArticle: !!el.closest("article"), inBrowse: !!el.closest("#hls-browse"),
    inModal: !!el.closest("pagefind-modal"),
  };
}"""


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's 404.html (status 404) for a missing address, as nginx does."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site(built_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_SiteHandler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def case_title(built_site) -> str:
    cases = json.loads((built_site / "data" / "cases.json").read_text())["cases"]
    return next(c["title"] for c in cases if c["slug"] == CASE.split("/")[1])


@pytest.fixture(scope="module")
def contexts(browser):
    """A browser context per colour scheme and width: ``contexts["light"]`` is the desktop one."""
    made = {(scheme, width): browser.new_context(color_scheme=scheme, viewport=size)
            for scheme in SCHEMES for width, size in WIDTHS.items()}
    made.update({scheme: made[(scheme, "desktop")] for scheme in SCHEMES})
    yield made
    for key, context in made.items():
        if isinstance(key, tuple):
            context.close()


def _search_in_modal(page, query: str) -> None:
    page.keyboard.press("Control+k")
    page.locator("pagefind-modal input").wait_for()
    page.keyboard.type(query)
    page.locator("pagefind-modal .pf-result").first.wait_for(timeout=15000)


def _visit(context, site: str, kind: str, case_title: str) -> dict:
    """Load one kind of page, do what a reader would, then run axe; record errors and requests."""
    from axe_playwright_python.sync_playwright import Axe

    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    url = site + PAGES[kind]

    def on_console(message):
        # the 404 page's own status is logged as an error; it is the expected response, not a fault
        if message.type == "error" and not (kind == "not-found" and message.location.get("url") == url
                                            and "404" in message.text):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(url)
    status = response.status if response else None
    if kind == "cases-index-two-facets":
        page.locator("#hls-browse [role=status]").wait_for()
    elif kind == "search-modal":
        _search_in_modal(page, case_title)
    elif kind == "search-page":
        page.locator(".hls-search-page pagefind-input input").click()
        page.keyboard.type(case_title)
        page.locator(".hls-search-page .pf-result").first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    result = Axe().run(page, options=AXE_OPTIONS)
    record = {
        "status": status, "violations": result.response["violations"], "errors": errors,
        "other_hosts": [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                        and urlsplit(u).hostname != "127.0.0.1"],
        "h1": page.locator("article h1").first.inner_text(),
    }
    page.close()
    return record


@pytest.fixture(scope="module")
def visit(contexts, site, case_title):
    """Each (kind, scheme, width) is loaded and checked once; both page-level tests read the record."""
    done: dict[tuple[str, str, str], dict] = {}

    def get(kind: str, scheme: str, width: str) -> dict:
        key = (kind, scheme, width)
        if key not in done:
            done[key] = _visit(contexts[(scheme, width)], site, kind, case_title)
        return done[key]

    return get


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


# 1. axe-core, WCAG 2.2 A and AA, both colour schemes, desktop and phone widths


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_wcag_violation(visit, kind, scheme, width):
    record = visit(kind, scheme, width)
    if kind == "not-found":  # the real 404 page, served with its status
        assert record["status"] == 404 and record["h1"] == "Page not found"
    else:
        assert record["status"] == 200
    assert not record["violations"], f"{kind} ({scheme}, {width}):\n" + _describe(record["violations"])


# 2. no console errors, nothing from another host


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_no_console_error_and_no_other_host(visit, kind, scheme, width):
    record = visit(kind, scheme, width)
    assert record["errors"] == []
    assert record["other_hosts"] == []


# 3. keyboard only


def _focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def _assert_focus_visible(focus: dict | None) -> None:
    assert focus is not None, "Tab left focus on the page body"
    assert focus["visible"] and focus["indicator"], f"no visible focus indicator on {focus}"


def _tab_until(page, done, limit: int) -> list[dict]:
    """Press Tab until done(focused) is true, checking every stop has a visible focus indicator."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = _focused(page)
        if focus and not (focus["visible"] and focus["indicator"]):
            page.wait_for_timeout(400)  # let a transition end (Material fades the skip link in)
            focus = _focused(page)
        _assert_focus_visible(focus)
        seen.append(focus)
        if done(focus):
            return seen
    pytest.fail(f"not reached with {limit} presses of Tab; reached: {[f['text'] or f['tag'] for f in seen]}")


def _skip_link_shown(page) -> dict:
    page.keyboard.press("Tab")
    focus = _focused(page)
    assert focus and "md-skip" in focus["cls"] and focus["text"] == "Skip to content", focus
    # Material fades the link in; wait for the transition before judging that it is visible
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")
    focus = _focused(page)
    _assert_focus_visible(focus)
    return focus


def test_skip_link_moves_to_the_content(contexts, site):
    page = contexts["light"].new_page()
    page.goto(site + CASE)
    target = _skip_link_shown(page)["href"]
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    box = page.evaluate("""(id) => { const t = document.getElementById(id);
        const r = t.getBoundingClientRect();
        return {inArticle: !!t.closest('article'), top: r.top, height: innerHeight}; }""", target[1:])
    assert box["inArticle"] and 0 <= box["top"] < box["height"] / 2, box
    page.keyboard.press("Tab")  # the next stop is in the content, not back in the header
    focus = _focused(page)
    _assert_focus_visible(focus)
    assert focus["inArticle"], focus
    # the 404 page has no table of contents, so it brings its own skip link, to its heading
    page.goto(site + PAGES["not-found"])
    _skip_link_shown(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "hls-content"
    page.close()


def test_search_by_keyboard(contexts, site, case_title):
    page = contexts["light"].new_page()
    page.goto(site)
    # The search modal is a module script's custom element: wait until it is ready to open.
    page.wait_for_function("() => customElements.get('pagefind-modal') "
                           "&& document.querySelector('pagefind-modal dialog')")
    _tab_until(page, lambda f: "pf-trigger-btn" in f["cls"], limit=15)  # the header's search button
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('pagefind-modal dialog').open")
    focus = _focused(page)
    assert focus["inModal"] and focus["tag"] == "INPUT", focus
    _assert_focus_visible(focus)
    page.keyboard.type(case_title)
    page.locator("pagefind-modal .pf-result").first.wait_for(timeout=15000)
    link = _tab_until(page, lambda f: "pf-result-link" in f["cls"], limit=5)[-1]
    assert link["inModal"] and link["text"] == case_title
    # Escape closes the dialog and gives focus back to the button that opened it
    page.keyboard.press("Escape")
    # the dialog shuts at once; the component learns of it from the dialog's queued "close" event,
    # and ignores a reopen until then (a person cannot press Enter that fast; a test can)
    page.wait_for_function("() => !document.querySelector('pagefind-modal dialog').open "
                           "&& !document.querySelector('pagefind-modal').isOpen")
    assert "pf-trigger-btn" in _focused(page)["cls"]
    # open it again from the keyboard and follow a result with Enter
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('pagefind-modal dialog').open")
    page.keyboard.press("Control+a")
    page.keyboard.type(case_title)
    page.locator("pagefind-modal .pf-result").first.wait_for(timeout=15000)
    _tab_until(page, lambda f: "pf-result-link" in f["cls"], limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/" + CASE
    page.close()


def test_cases_index_by_keyboard(contexts, site):
    page = contexts["light"].new_page()
    page.goto(site + "cases/")
    status = page.locator("#hls-browse [role=status]")
    status.wait_for()
    unfiltered = status.inner_text()
    # Tab from the top of the page through every control of the browser, to "Show more cases"
    walk = _tab_until(page, lambda f: f["inBrowse"] and f["text"] == "Show more cases", limit=400)
    reached = [f for f in walk if f["inBrowse"]]
    summaries = page.locator("#hls-browse summary").count()
    assert sum(f["tag"] == "SUMMARY" for f in reached) == summaries > 0
    open_boxes = set(page.eval_on_selector_all("#hls-browse details[open] input[type=checkbox]",
                                               "els => els.map(e => e.id)"))
    assert open_boxes and open_boxes <= {f["id"] for f in reached if f["type"] == "checkbox"}
    assert any(f["id"] == "hls-sort" for f in reached) and any(f["id"] == "hls-q" for f in reached)
    assert any(f["text"] == "Show these cases on a map" for f in reached)
    assert {f["download"] for f in reached if f["download"]} == {"csv", "json"}

    # a closed facet group opens with Enter, and its first box is the next Tab stop
    facet = page.locator("#hls-browse details:not([open]) fieldset").first.get_attribute("data-facet")
    closed = page.locator(f"#hls-browse details:has(fieldset[data-facet={facet}]) > summary")
    closed.focus()
    page.keyboard.press("Enter")
    assert closed.evaluate("s => s.parentElement.open")
    page.keyboard.press("Tab")
    focus = _focused(page)
    _assert_focus_visible(focus)
    assert focus["type"] == "checkbox" and closed.evaluate("(s, id) => !!s.parentElement.querySelector('#' + id)",
                                                           focus["id"])
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # Space toggles the group too
    assert not closed.evaluate("s => s.parentElement.open")

    # Space ticks a box; the status and the address follow
    page.locator("#hls-f-sector-homelessness").focus()
    page.keyboard.press("Space")
    assert page.is_checked("#hls-f-sector-homelessness")
    assert status.inner_text() != unfiltered and "sector=homelessness" in page.url
    # the sort order changes with the arrow keys
    page.locator("#hls-sort").focus()
    page.keyboard.press("ArrowDown")
    assert page.input_value("#hls-sort") != "title" and "sort=" in page.url
    # a download starts with Enter
    page.locator("button[data-download=csv]").focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "hls-cases-homelessness.csv"
    # Clear all, with Enter
    page.locator("#hls-browse .hls-chips button:has-text('Clear all')").focus()
    page.keyboard.press("Enter")
    assert not page.is_checked("#hls-f-sector-homelessness") and status.inner_text() == unfiltered
    # Show more cases, with Enter, until every case shows: focus moves to the first case revealed,
    # and is never lost to the page when the last press hides the button
    cards = page.locator("#hls-browse .hls-results > li")
    more = page.locator("#hls-browse button:has-text('Show more cases')")
    presses = 0
    while more.is_visible():
        before = cards.count()
        more.focus()
        page.keyboard.press("Enter")
        assert cards.count() > before
        focus = _focused(page)
        _assert_focus_visible(focus)
        assert focus["tag"] == "A" and focus["inBrowse"], focus
        assert focus["text"] == cards.nth(before).locator("h3 a").inner_text()
        presses += 1
    assert presses >= 1
    page.close()


# 4. counts are announced to screen readers


def test_cases_index_count_is_a_polite_status(contexts, site):
    page = contexts["light"].new_page()
    page.goto(site + "cases/")
    status = page.locator("#hls-browse .hls-browse__count")
    status.wait_for()
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    before = status.inner_text()
    page.locator("#hls-f-sector-homelessness").focus()
    page.keyboard.press("Space")
    after = status.inner_text()
    assert after != before and after.endswith("match your filters")
    page.close()


#: Records every text written into Pagefind's live regions (it clears them again after 350 ms).
RECORD_ANNOUNCEMENTS = """() => {
  window.__announced = [];
  new MutationObserver(() => {
    for (const region of document.querySelectorAll("[data-pagefind-announcer] [aria-live]")) {
      const text = region.textContent.trim();
      if (text) window.__announced.push({text, role: region.getAttribute("role"),
                                         live: region.getAttribute("aria-live"),
                                         atomic: region.getAttribute("aria-atomic")});
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_search_result_summary_is_announced(contexts, site, case_title):
    """Pagefind's summary element itself is not a live region; Pagefind announces the same text
    through its own polite live regions ([data-pagefind-announcer]). A second live region around
    the summary would make screen readers read every count twice, so the theme adds none."""
    page = contexts["light"].new_page()
    page.goto(site)
    page.evaluate(RECORD_ANNOUNCEMENTS)
    _search_in_modal(page, case_title)
    summary = page.locator("pagefind-modal pagefind-summary .pf-summary")
    page.wait_for_function("() => /result/.test(document.querySelector('pagefind-modal .pf-summary').textContent)")
    text = summary.inner_text().strip()
    assert text.endswith(f"for {case_title}")
    page.wait_for_function("(t) => window.__announced.some(a => a.text === t)", arg=text)
    announced = [a for a in page.evaluate("window.__announced") if a["text"] == text]
    assert all(a["role"] == "status" and a["live"] == "polite" and a["atomic"] == "true" for a in announced)
    page.close()


# 5. images and headings on every built page (static, no browser)


class _Article(HTMLParser):
    """Headings and images inside Material's content article (not its navigation)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # element depth inside the article; 0 = outside
        self.found = False
        self.static_list = 0  # depth at which the cases' plain list (.hls-static-list) opened
        self.headings: list[tuple[int, str, bool]] = []  # (level, text, inside the plain list)
        self.images: list[dict] = []
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if not self.depth:
            if tag == "article" and "md-content__inner" in (a.get("class") or "").split():
                self.depth, self.found = 1, True
            return
        if tag in ("img", "svg") or (tag == "input" and a.get("type") == "image"):
            self.images.append({"tag": tag, **a})
        if tag in self.VOID:
            return
        self.depth += 1
        if "hls-static-list" in (a.get("class") or "").split() and not self.static_list:
            self.static_list = self.depth
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), "", bool(self.static_list)]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if not self.depth or tag in self.VOID:
            return
        if self._heading is not None and tag == f"h{self._heading[0]}":
            text = " ".join(self._heading[1].split()).removesuffix("¶").strip()  # less the permalink
            self.headings.append((self._heading[0], text, self._heading[2]))
            self._heading = None
        if self.depth == self.static_list:
            self.static_list = 0
        self.depth -= 1


@pytest.fixture(scope="module")
def articles(built_site) -> dict[str, _Article]:
    parsed = {}
    for path in sorted(built_site.rglob("*.html")):
        if path.relative_to(built_site).parts[0] in ("pagefind", "assets"):
            continue
        parser = _Article()
        parser.feed(path.read_text("utf-8"))
        assert parser.found, f"{path}: no content article"
        parsed[path.relative_to(built_site).as_posix()] = parser
    assert len(parsed) > 50
    return parsed


def test_every_image_has_a_text_alternative(articles):
    missing = []
    for page, article in articles.items():
        for image in article.images:
            decorative = image.get("aria-hidden") == "true" or image.get("role") in ("presentation", "none")
            if image["tag"] == "svg":
                named = bool(image.get("aria-label") or image.get("aria-labelledby"))
            else:
                named = "alt" in image  # alt="" marks a decorative image
            if not (decorative or named):
                missing.append(f"{page}: <{image['tag']}> {image}")
    assert missing == []


def _skips(article: _Article) -> list[tuple[tuple, tuple]]:
    headings = article.headings
    out = [((0, "(start of the article)", False), headings[0])] if headings and headings[0][0] != 1 else []
    return out + [(a, b) for a, b in zip(headings, headings[1:], strict=False) if b[0] > a[0] + 1]


def test_heading_levels_do_not_skip(articles):
    problems = [f"{page}: h{a[0]} '{a[1]}' then h{b[0]} '{b[1]}'"
                for page, article in articles.items() for a, b in _skips(article)]
    assert all(article.headings for article in articles.values())
    assert problems == []
