"""Obstacles and learning cycles across cases: the pages, the facet, the search filter and the exports.

What a reader sees is checked on built sites: the fixture site for the layout, the real site for
counts against the published cases.json, and headless chromium for the cases index filtered by an
obstacle kind and for every obstacle page's links reaching their cases.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, run_hls, run_mkdocs
from hls_site.linkcheck import check_site
from hls_site.vocabularies import load_vocabularies

VOCAB = load_vocabularies()


def _read(out: Path, path: str) -> str:
    return (out / path).read_text("utf-8")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_case_page_shows_its_cycles_as_a_timeline(built_fixture):
    html = _read(built_fixture, "cases/alpha-alliance/index.html")
    timeline = html[html.index('<div class="hls-timeline">'):]
    timeline = timeline[:timeline.index("</div>")]
    # an ordered list, one item per cycle: when, the scale (linked to its cycles), then the three steps
    assert timeline.count("<li>") == 1 and "<ol>" in timeline and "<table" not in timeline
    assert re.search(r'<strong>2020</strong> · <a href="\.\./\.\./learning-cycles/team/">Team scale</a>', timeline)
    assert [m for m in re.findall(r"<dt>([^<]+)</dt>", timeline)] == ["What was tried", "What was learned",
                                                                       "What changed"]
    assert "Most blocks came from rules, not people" in timeline and '<a href="#source-1">[S1]</a>' in timeline
    # the obstacle's kind links to every case's obstacles of that kind
    assert 'href="../../obstacles/commissioning-and-contracts/">Commissioning and contracts</a>' in html


def test_obstacle_pages_set_each_response_beside_its_obstacle(built_fixture):
    overview = _read(built_fixture, "obstacles/index.html")
    text = _text(overview)
    assert "Obstacles and responses" in text and "1 obstacles recorded" not in text
    for term in VOCAB.obstacles:  # a section per kind, even an empty one, and a row in the counts table
        assert f'href="{term.id}/">{term.label}</a>' in overview.replace("&amp;", "&")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", overview, re.S) if "commissioning-and-contracts/" in r)
    assert _text(row) == "Commissioning and contracts 1 1"
    page = _read(built_fixture, "obstacles/commissioning-and-contracts/index.html")
    pair = page[page.index('<div class="hls-pair">'):]
    assert 'href="../../cases/alpha-alliance/">Alpha Alliance</a>' in pair
    sides = re.findall(r'<div class="hls-pair__side">(.*?)</div>', pair, re.S)
    assert "Obstacle" in sides[0] and "Separate contracts each measured their own outputs" in sides[0]
    assert "Response" in sides[1] and "one alliance contract" in sides[1] and "Not stated in the sources" in sides[1]
    # a citation reaches the passage on the case's own page
    assert '<a href="../../cases/alpha-alliance/#source-1">[S1]</a>' in sides[0]
    assert 'href="../../cases/?obstacle=commissioning-and-contracts"' in page
    empty = _read(built_fixture, "obstacles/national-policy/index.html")
    assert "No case records an obstacle of this kind yet." in empty
    cycles = _read(built_fixture, "learning-cycles/team/index.html")
    assert 'href="../../cases/alpha-alliance/">Alpha Alliance</a> · 2020' in cycles
    assert "A weekly review of stuck cases" in cycles


def test_obstacle_filter_in_search_and_facet_in_the_browse_data(built_fixture):
    html = _read(built_fixture, "cases/alpha-alliance/index.html")
    assert 'data-pagefind-filter="Obstacle:Commissioning and contracts"' in html  # named as on the cases index
    browse = json.loads(_read(built_fixture, "data/browse.json"))
    facet = next(f for f in browse["facets"] if f["key"] == "obstacle")
    assert [v["id"] for v in facet["values"]] == VOCAB.obstacles.ids()
    alpha = next(c for c in browse["cases"] if c["slug"] == "alpha-alliance")
    assert alpha["facets"]["obstacle"] == ["commissioning-and-contracts"]


def test_pages_per_kind_stay_bounded(site_copy, tmp_path):
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - hls\n", "  - hls:\n      page_size: 2\n"))
    template = (site_copy / "cases" / "alpha-alliance.md").read_text()
    for n in range(6):  # seven cases meet commissioning obstacles: five on the overview, two to a page
        (site_copy / "cases" / f"alpha-{n}.md").write_text(template.replace("title: Alpha Alliance",
                                                                             f"title: Alpha {n}"))
    out = tmp_path / "out"
    result = run_mkdocs("build", "--strict", "-d", str(out), cwd=site_copy)
    assert result.returncode == 0, result.stderr[-2000:]
    overview = _read(out, "obstacles/index.html")
    section = overview[overview.index('id="commissioning-and-contracts"'):]
    section = section[:section.index("<h2")]
    assert section.count('<div class="hls-pair">') == 5
    assert 'href="commissioning-and-contracts/">All 7 of this kind</a>' in section
    assert "Page 4 of 4" in _read(out, "obstacles/commissioning-and-contracts/page/4/index.html")
    assert "Page 4 of 4" in _read(out, "learning-cycles/team/page/4/index.html")
    assert [str(b) for b in check_site(out)] == []


def test_glossary_defines_every_obstacle_kind_from_the_vocabulary():
    from hls_site.obstacle_pages import GLOSSARY_END, GLOSSARY_MARKER, fill_glossary
    text = (ROOT / "guide" / "glossary.md").read_text("utf-8")
    assert GLOSSARY_MARKER in text and GLOSSARY_END in text
    # the file holds what the build writes, so it reads the same on GitHub; fix: copy the build's block
    assert fill_glossary(text, VOCAB, "guide/glossary.md") == text, "guide/glossary.md's obstacle kinds are stale"
    for term in VOCAB.obstacles:
        assert f"### {term.label}\n\n{term.description}" in text
        assert f"(../obstacles/{term.id}.md)" in text


def test_guide_chapters_link_to_the_pages():
    cycles = (ROOT / "guide" / "learning-cycles.md").read_text("utf-8")
    assert "(../learning-cycles/index.md)" in cycles and "(../obstacles/index.md)" in cycles
    assert "(../obstacles/index.md)" in (ROOT / "guide" / "where-to-start.md").read_text("utf-8")


def test_stats_count_obstacles_and_cycles_and_name_cases_with_neither(site_copy):
    result = run_hls("stats", "--root", str(site_copy))
    assert result.returncode == 0
    assert "cases by obstacle kind: commissioning-and-contracts 1" in result.stdout
    assert "cases by learning cycle scale: team 1" in result.stdout
    assert "cases with neither obstacles nor learning cycles: beta-forum" in result.stdout


# The real site



def _kinds(case: dict) -> set[str]:
    return {o["kind"] for o in case.get("obstacles", [])}


def test_csv_and_schema_carry_obstacle_kinds(built_site, cases):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(_read(built_site, "data/cases.csv")))}
    for case in cases:
        assert set(filter(None, rows[case["slug"]]["obstacle_kinds"].split("; "))) == _kinds(case)
    schema = json.loads(_read(built_site, "data/case.schema.json"))
    assert schema["$defs"]["Obstacle"]["properties"]["kind"]["enum"] == VOCAB.obstacles.ids()
    assert schema["$defs"]["LearningCycle"]["properties"]["scale"]["enum"] == VOCAB.scales.ids()


def test_overview_counts_agree_with_the_data(built_site, cases):
    overview = _text(_read(built_site, "obstacles/index.html"))
    by_cases = Counter(k for c in cases for k in _kinds(c))
    by_entries = Counter(o["kind"] for c in cases for o in c.get("obstacles", []))
    for term in VOCAB.obstacles:
        assert f"{term.label} {by_cases[term.id]} {by_entries[term.id]}" in overview.replace("&amp;", "&"), term.id
    cycles = _text(_read(built_site, "learning-cycles/index.html"))
    scale_cases = Counter(s for c in cases for s in {lc["scale"] for lc in c.get("learning_cycles", [])})
    for term in VOCAB.scales:
        n = sum(1 for c in cases for lc in c.get("learning_cycles", []) if lc["scale"] == term.id)
        assert f"{term.label} {scale_cases[term.id]} {n}" in cycles



def _kind_pages(built_site: Path, kind: str) -> list[str]:
    """The kind's page and its further pages, as site paths."""
    pages = [f"obstacles/{kind}/"]
    pages += sorted(f"obstacles/{kind}/page/{p.name}/" for p in (built_site / "obstacles" / kind / "page").glob("*"))
    return pages


@pytest.mark.browser
def test_filtering_the_cases_index_by_an_obstacle_kind_gives_exactly_its_cases(browser, site, cases):
    from test_browse_browser import _open, _shown
    kinds = [t for t in VOCAB.obstacles if any(t.id in _kinds(c) for c in cases)]
    # from a kind's page, its link opens the index filtered to that kind
    page, errors = _open(browser, f"{site}obstacles/{kinds[0].id}/")
    page.click("a:has-text('Filter the cases index to these')")
    status = page.locator("#hls-browse [role=status]")
    status.wait_for()
    for n, term in enumerate(kinds):  # then each kind in turn, ticked on its own
        if n:
            page.check(f"#hls-f-obstacle-{term.id}")
        assert page.is_checked(f"#hls-f-obstacle-{term.id}")
        expected = sorted(c["title"] for c in cases if term.id in _kinds(c))
        assert status.inner_text().startswith(f"{len(expected)} case"), term.id
        assert sorted(_shown(page)) == expected, term.id
        page.uncheck(f"#hls-f-obstacle-{term.id}")
    assert errors == []
    page.context.close()


@pytest.mark.browser
def test_each_obstacle_page_links_reach_their_cases(browser, site, built_site, cases):
    titles = {c["slug"]: c["title"] for c in cases}
    context = browser.new_context()
    page = context.new_page()
    linked: set[str] = set()
    for term in VOCAB.obstacles:
        hrefs = set()
        for path in _kind_pages(built_site, term.id):
            page.goto(site + path)
            hrefs |= set(page.eval_on_selector_all(".hls-pair__case a", "els => els.map(a => a.href)"))
        # every case recorded with the kind, and only those, is linked from the kind's pages
        assert {_slug(h) for h in hrefs} == {c["slug"] for c in cases if term.id in _kinds(c)}, term.id
        linked |= hrefs
    for href in sorted(linked):  # and each link opens that case's page
        response = context.request.get(href)
        assert response.ok, href
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", response.text(), re.S)
        assert h1 and html.unescape(_text(h1.group(1))).rstrip("¶ ") == titles[_slug(href)], href
    context.close()


def _slug(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]
