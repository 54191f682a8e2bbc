"""The built site as a reader sees it, and the build's behaviour on bad content."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, run_hls, run_mkdocs
from hls_site.linkcheck import check_site


def _page(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def _text(html: str) -> str:
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("¶", " ").split())
    return re.sub(r"\s+([;,.)])", r"\1", re.sub(r"\(\s+", "(", text))


def test_case_page_has_the_consistent_layout(built_fixture):
    html = _page(built_fixture, "cases/alpha-alliance/index.html")
    text = _text(html)
    assert re.search(r"<h1[^>]*>Alpha Alliance", html)
    assert '<aside aria-label="Facts about this case" class="hls-facts">' in html
    for label, value in [("Organisations", "Alpha Council; Alpha Providers"),
                         ("Place", "Alphaton, England, United Kingdom (all cases from the United Kingdom)"),
                         ("Period", "2019 to ongoing"),
                         ("Sectors", "Homelessness, Substance use"), ("Link to HLS", "Featured in HLS publications"),
                         ("Completeness", "4 of 5 sections documented; public sources are silent on: "
                                          "Obstacles and how they responded")]:
        assert f"{label} {value}" in text
    # principle badges link to the principle pages
    assert re.search(r'<a class="hls-badge hls-badge--human" href="../../principles/human/">Human</a>', html)
    # the five sections, in order
    positions = [text.index(s) for s in ("Context", "What they did", "Obstacles and how they responded",
                                         "What changed", "What they learned")]
    assert positions == sorted(positions)
    # sources as a reference list, cited inline
    assert '<li id="source-1" class="hls-source" data-source="1"><p>Example Publisher (2021).' in html
    assert 'href="https://example.org/alpha"' in html
    assert "(n.d.)" in text and "A copy of the original" in text
    assert re.search(r'<a href="#source-2">\[S2\]</a>', html)
    # each source is followed by the passages the case rests on, in the source's words
    assert "\u201cThe council replaced its separate contracts with a single alliance of providers.\u201d" in text
    # learning cycles become a timeline (tests/test_obstacles.py checks its shape)
    assert "Most blocks came from rules, not people [S1]." in text


def test_related_links_go_both_ways(built_fixture):
    alpha = _text(_page(built_fixture, "cases/alpha-alliance/index.html"))
    beta_html = _page(built_fixture, "cases/beta-forum/index.html")
    assert "Related cases Beta Forum" in alpha
    # beta declares nothing, but shows alpha because alpha names it
    assert 'href="../alpha-alliance/">Alpha Alliance</a>' in beta_html


def test_guide_chapter_and_case_link_each_other(built_fixture):
    guide = _page(built_fixture, "guide/index.html")
    assert 'href="../cases/alpha-alliance/">Alpha Alliance</a>' in guide
    case = _page(built_fixture, "cases/alpha-alliance/index.html")
    assert "Guide chapters that use this case" in case and 'href="../../guide/">Fixture guide</a>' in case


def test_principle_page_lists_its_cases_with_notes_by_scale(built_fixture):
    text = _text(_page(built_fixture, "principles/learning/index.html"))
    assert "Cases that show the Learning principle" in text
    assert ("Team Beta Forum (Betaville, Finland, Under way by 2016; ended 2020): The forum met monthly to learn "
            "from cases") in text
    assert "Alpha Alliance" not in text
    human = _text(_page(built_fixture, "principles/human/index.html"))
    assert "Organisation Alpha Alliance" in human and "Place Alpha Alliance" in human


def test_cases_index_lists_every_case(built_fixture):
    text = _text(_page(built_fixture, "cases/index.html"))
    assert "2 case studies" in text
    assert text.index("Alpha Alliance") < text.index("Beta Forum")


def test_case_pages_are_not_in_the_navigation(built_fixture):
    html = _page(built_fixture, "index.html")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert "alpha-alliance" not in nav and "Cases" in nav


def test_every_internal_link_and_anchor_resolves(built_fixture):
    assert [str(b) for b in check_site(built_fixture)] == []


def test_no_page_loads_anything_from_another_host(built_fixture):
    for page in built_fixture.rglob("*.html"):
        html = page.read_text("utf-8")
        # anything the browser would fetch: scripts, images, frames, and links other than canonical
        loaded = re.findall(r'<(?:script|img|iframe|source)[^>]+src="(?:https?:)?//[^"]*', html)
        loaded += re.findall(r'<link(?![^>]*rel="(?:canonical|alternate)")[^>]+href="(?:https?:)?//[^"]*', html)
        assert not loaded, (page, loaded)
        assert "fonts.googleapis" not in html


def test_search_index_is_built(built_fixture):
    assert (built_fixture / "pagefind" / "pagefind-component-ui.js").is_file()
    assert list((built_fixture / "pagefind").glob("pagefind.*.pf_meta"))


def _break_case(site_copy: Path) -> None:
    path = site_copy / "cases" / "beta-forum.md"
    path.write_text(path.read_text().replace("country: FI", "country: UK"))


def test_build_stops_on_invalid_content_with_the_validators_messages(site_copy):
    _break_case(site_copy)
    out = site_copy / "out"
    out.mkdir()
    (out / "index.html").write_text("stale")
    expected = run_hls("validate", "--root", str(site_copy)).stdout.strip()
    assert expected.startswith("cases/beta-forum.md:6:10: country:")
    for result in (run_mkdocs("build", "-d", str(out), cwd=site_copy),
                   run_hls("build", "--root", str(site_copy), "--site-dir", str(out),
                           "--site-url", "https://example.org/")):
        assert result.returncode == 1
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
        assert not (out / "index.html").exists()  # no stale site left looking valid


def test_hls_build_makes_a_searchable_site(site_copy):
    result = run_hls("build", "--root", str(site_copy), "--site-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert (site_copy / "site" / "cases" / "beta-forum" / "index.html").is_file()
    assert (site_copy / "site" / "pagefind" / "pagefind.js").is_file()


def test_unknown_plugin_option_is_an_error(site_copy):
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - hls\n", "  - hls:\n      case_dir: cases\n"))
    result = run_mkdocs("build", cwd=site_copy)
    assert result.returncode == 1
    assert "case_dir" in result.stderr and "did you mean 'cases_dir'?" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_reports_problems_and_keeps_serving(site_copy):
    _break_case(site_copy)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=site_copy, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline, body = time.time() + 60, None
        while time.time() < deadline and body is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/cases/alpha-alliance/").read().decode()
            except OSError:
                time.sleep(0.3)
        assert body and "Alpha Alliance" in body
        search = urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/pagefind.js")
        assert search.status == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "cases/beta-forum.md:6:10: country:" in output
    assert "left out until fixed" in output


def test_the_real_site_builds_strict(built_site):
    assert [str(b) for b in check_site(built_site)] == []
    html = (built_site / "index.html").read_text()
    assert "CC BY 4.0" in html and "MIT" in html


@pytest.mark.parametrize("field,value", [("title", "Stars *and* [brackets]"), ("place", "A & B | C")])
def test_front_matter_text_shows_as_written(site_copy, field, value):
    path = site_copy / "cases" / "beta-forum.md"
    old = {"title": "title: Beta Forum", "place": "place: Betaville, Finland"}[field]
    path.write_text(path.read_text().replace(old, f"{field}: '{value}'"))
    out = site_copy / "out"
    assert run_mkdocs("build", "--strict", "-d", str(out), cwd=site_copy).returncode == 0
    assert value in _text(_page(out, "cases/beta-forum/index.html")).replace("&amp;", "&")


@pytest.mark.parametrize("path,source", [
    ("cases/plymouth-alliance/index.html", "cases/plymouth-alliance.md"),
    ("principles/human/index.html", "principles/human.md"),
    ("guide/learning-cycles/index.html", "guide/learning-cycles.md"),
    ("data/index.html", "docs/data.md"),
])
def test_edit_and_suggest_links_point_where_the_content_lives(built_site, path, source):
    html = (built_site / path).read_text("utf-8")
    edit = re.search(r'<a href="([^"]+)" rel="edit">Edit this page</a>', html)
    assert edit and edit.group(1).endswith(f"/edit/main/{source}")
    suggest = re.search(r'<a href="([^"]+)">Suggest an improvement</a>', html)
    assert suggest and "/issues/new?template=improvement.yml&title=Improve%3A%20" in suggest.group(1)


def test_citations_parse_in_reference_managers(built_fixture):
    """The .bib and .ris downloads (and the boxes on the page) read as BibTeX and RIS parsers read them."""
    import bibtexparser
    import rispy

    bib = _page(built_fixture, "data/cite/alpha-alliance.bib")
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "hls-alpha-alliance" and entry.entry_type == "misc"
    assert entry["title"] == "Alpha Alliance" and entry["year"] == "2026"
    assert entry["url"].endswith("/cases/alpha-alliance/")
    assert len(bib.strip().splitlines()) >= 8  # one field a line, as people read and edit it
    (record,) = rispy.loads(_page(built_fixture, "data/cite/alpha-alliance.ris"))
    assert record["type_of_reference"] == "ELEC" and record["title"] == "Alpha Alliance"
    assert record["urls"] == [entry["url"]] and record["year"] == "2026"
    html = _page(built_fixture, "cases/alpha-alliance/index.html")
    shown = unescape(re.search(r'<code id="hls-cite-bibtex">(.*?)</code>', html, re.S).group(1))
    assert shown == bib and not shown.startswith("bibtex")
    for name in ("Copy the citation", "Copy BibTeX", "Copy RIS"):
        assert f">{name}</button>" in html
    assert 'href="../../data/cite/alpha-alliance.ris"' in html
    assert '<p class="hls-copy-status" role="status"></p>' in html


def test_every_vocabulary_value_in_the_facts_links_to_the_filtered_index(built_fixture):
    html = _page(built_fixture, "cases/alpha-alliance/index.html")
    facts = html[html.index('class="hls-facts"'):html.index("</aside>")]
    for query, label in (("sector=homelessness", "Homelessness"), ("scale=organisation", "Organisation"),
                         ("hls_link=featured", "Featured in HLS publications"), ("country=GB", "United Kingdom")):
        assert f'<a href="../?{query}">{label}</a>' in facts, query
    assert re.search(r"<dt>Last reviewed</dt>\s*<dd>\d{1,2} [A-Z][a-z]+ \d{4}</dd>", facts)


def test_a_nation_is_named_as_people_name_it(built_site):
    # pycountry calls GB-WLS "Wales [Cymru GB-CYM]"; the facts panel, like the exports, says Wales
    html = _page(built_site, "cases/local-area-coordination-swansea/index.html")
    facts = html[html.index('class="hls-facts"'):html.index("</aside>")]
    assert '<a href="../?subdivision=GB-WLS">Wales</a>' in facts, facts
    assert "Cymru GB-CYM" not in html


def test_generated_sentences_agree_in_number_and_take_articles(built_fixture):
    country = _text(_page(built_fixture, "countries/gb/index.html"))
    assert re.search(r"\b1 case in the library comes from the United Kingdom\.", country) or \
        re.search(r"\b\d+ cases in the library come from the United Kingdom\.", country)
    for page in (built_fixture / "organisations").glob("*/index.html"):
        text = _text(page.read_text("utf-8"))
        assert not re.search(r"\b1 cases\b|\b1 case in the library involve\b", text), page
    home = _text(_page(built_fixture, "index.html"))
    assert not re.search(r"\b1 real case studies\b", home)


def test_feed_and_recently_added_agree(built_site):
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = [e.findtext("a:title", namespaces=ns)
            for e in ET.fromstring(_page(built_site, "feed.xml")).findall("a:entry", ns)]
    home = _page(built_site, "index.html")
    recent = home[home.index('id="recently-added"'):]
    shown = re.findall(r'<li><a href="cases/[^"]+/">([^<]+)</a>', recent)
    assert shown and shown == feed[:len(shown)]


def test_abbreviations_are_spelled_out_on_first_use(built_site):
    html = _page(built_site, "principles/human/index.html")
    assert '<abbr title="Centre for Public Impact">CPI</abbr> (Centre for Public Impact)' in html
    assert html.count("(Centre for Public Impact)") == 1  # once, where it is first used
    case = _page(built_site, "cases/plymouth-alliance/index.html")
    quotes = re.findall(r'<blockquote class="hls-quote">.*?</blockquote>', case)
    assert quotes and not any("<abbr" in q for q in quotes)  # sources' words stay exactly as written


def test_neighbour_reasons_leave_out_what_most_cases_share(built_site):
    for page in (built_site / "cases").glob("*/index.html"):
        assert "shared principles: Human, Learning, Systems" not in page.read_text("utf-8"), page


@pytest.mark.parametrize(("place", "subdivision", "shown"), [
    ("Gateshead, England", "GB-ENG", "Gateshead, England, United Kingdom"),
    ("England, United Kingdom", "GB-ENG", "England, United Kingdom"),
    ("Cardiff, Wales, UK", "GB-WLS", "Cardiff, Wales, United Kingdom"),
    ("Alphaton, England", None, "Alphaton, England, United Kingdom"),
])
def test_the_place_fact_names_each_place_once(place, subdivision, shown):
    from hls_site import render
    from hls_site.validation import load_library
    from hls_site.vocabularies import load_vocabularies

    case = next(iter(load_library(FIXTURE_SITE / "cases", load_vocabularies()).cases.values()))
    case.meta = case.meta.model_copy(update={"place": place, "subdivision": subdivision, "country": "GB"})
    text = re.sub(r"\]\([^)]*\)", "]", render._place_fact(case, "cases/x.md")).replace("[", "").replace("]", "")
    assert text.split(" (all cases")[0] == shown
