"""Open data, two-way links and bounded pages, checked on the built fixture site."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_mkdocs
from hls_site.validation import case_files


def _read(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def test_cases_json_has_every_case_with_url_and_completeness(built_fixture):
    data = json.loads(_read(built_fixture, "data/cases.json"))
    assert data["count"] == 2
    alpha = next(c for c in data["cases"] if c["slug"] == "alpha-alliance")
    assert alpha["url"] == "http://127.0.0.1:8765/cases/alpha-alliance/"
    assert alpha["completeness"] == {"documented_sections": 4, "of": 5, "complete": False,
                                     "silent_sections": ["Obstacles and how they responded"]}
    assert alpha["sources"][1] == {"title": "Alpha follow-up", "url": "https://example.org/alpha-2",
                                   "publisher": "Example Publisher", "year": "n.d.", "copy": True,
                                   "quotes": ["The council replaced its separate contracts with a single alliance "
                                              "of providers."]}
    assert alpha["period"]["start"] == 2019 and alpha["period"]["end"] == "ongoing"
    assert alpha["period"]["evidence"][0]["quote"] == "The Alpha Alliance began work in 2019 and continues today."
    assert alpha["hls_evidence"] == {"source": 1, "quote": "Alpha Alliance is one of our Human Learning Systems "
                                                           "case studies."}
    assert alpha["added"] == "2026-10-01"


def test_cases_csv_has_one_line_per_case(built_fixture):
    text = _read(built_fixture, "data/cases.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["slug"] for r in rows] == ["alpha-alliance", "beta-forum"]
    assert len(text.strip().split("\n")) == 3
    assert rows[0]["organisations"] == "Alpha Council; Alpha Providers" and rows[0]["complete"] == "false"


def test_atom_feed_lists_cases_newest_first(built_fixture):
    root = ET.fromstring(_read(built_fixture, "feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == ["Beta Forum", "Alpha Alliance"]  # beta added 2026-11-01 (its last_reviewed), alpha 2026-10-01
    assert '<link rel="alternate" type="application/atom+xml"' in _read(built_fixture, "index.html")


def test_published_schema_is_served(built_fixture):
    schema = json.loads(_read(built_fixture, "data/case.schema.json"))
    assert schema["$id"] == "http://127.0.0.1:8765/data/case.schema.json"


def test_organisation_and_country_pages_link_both_ways(built_fixture):
    case = _read(built_fixture, "cases/alpha-alliance/index.html")
    assert 'href="../../organisations/alpha-council/"' in case and 'href="../../countries/gb/"' in case
    org = _read(built_fixture, "organisations/alpha-council/index.html")
    assert 'href="../../cases/alpha-alliance/"' in org and "beta-forum" not in org
    country = _read(built_fixture, "countries/fi/index.html")
    assert re.search(r"<h1[^>]*>Finland", country) and 'href="../../cases/beta-forum/"' in country
    index = _read(built_fixture, "organisations/index.html")
    assert 'href="alpha-council/"' in index and 'href="beta-trust/"' in index


def test_cite_this_case(built_fixture):
    html = _read(built_fixture, "cases/beta-forum/index.html")
    assert "Fixture library contributors (2026). Beta Forum. Fixture library. " \
           "http://127.0.0.1:8765/cases/beta-forum/ (last reviewed 2026-11-01)." in html
    assert "@misc{hls-beta-forum," in html and "howpublished = {\\url{http://127.0.0.1:8765/cases/beta-forum/}}" in html


def _many_cases(site_copy: Path, count: int) -> None:
    template = (site_copy / "cases" / "beta-forum.md").read_text()
    for n in range(count):
        text = template.replace("title: Beta Forum", f"title: Forum {n:03d}").replace("related: [alpha-alliance]", "")
        text = text.replace("practices", "practices")  # same shape, distinct titles
        (site_copy / "cases" / f"forum-{n:03d}.md").write_text(text)


def test_pages_stay_bounded_as_the_library_grows(site_copy, tmp_path):
    sizes = {}
    for count in (5, 60):
        src = tmp_path / f"n{count}"
        import shutil
        shutil.copytree(site_copy, src)
        _many_cases(src, count)
        assert len(case_files(src / "cases")) == count + 2
        out = src / "out"
        result = run_mkdocs("build", "--strict", "-d", str(out), cwd=src)
        assert result.returncode == 0, result.stderr[-2000:]
        sizes[count] = {
            "case": len(_read(out, "cases/beta-forum/index.html")),
            "index": len(_read(out, "cases/index.html")),
            "pages": len(list((out / "cases" / "page").glob("*/index.html"))),
            "principle": len(_read(out, "principles/learning/index.html")),
        }
        neighbours = _read(out, "cases/beta-forum/index.html").count("same sector")
        assert neighbours <= 4
    # a case page does not grow with the library; the listing is split into pages of 50
    # (it may shrink: once most cases share a feature, neighbours stop giving it as a reason)
    assert sizes[60]["case"] - sizes[5]["case"] < 600, sizes
    assert sizes[5]["pages"] == 0 and sizes[60]["pages"] == 1
    assert sizes[60]["index"] < sizes[5]["index"] * 12
    # a principle page lists at most a page of cases per scale, and links to the rest
    learning = _read(src, "out/principles/learning/index.html")
    assert "These are the 50 most recently added of 61" in learning
    assert 'href="../../cases/?principle=learning&amp;scale=team"' in learning


def test_computed_neighbours_show_their_reason(site_copy, tmp_path):
    _many_cases(site_copy, 2)
    out = tmp_path / "out"
    assert run_mkdocs("build", "--strict", "-d", str(out), cwd=site_copy).returncode == 0
    html = _read(out, "cases/forum-000/index.html")
    assert "Cases like this one" in html
    assert re.search(r'href="\.\./beta-forum/">Beta Forum</a>: same place: Betaville, Finland', html)


def test_organisation_and_country_indexes_are_paginated(site_copy, tmp_path):
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - hls\n", "  - hls:\n      page_size: 1\n"))
    template = (site_copy / "cases" / "beta-forum.md").read_text()
    for n in range(10):  # ten more organisations: 13 in all, 4 to a page of the index
        text = template.replace("title: Beta Forum", f"title: Forum {n}").replace("[Beta Trust]", f"[Org {n:02d}]")
        (site_copy / "cases" / f"forum-{n}.md").write_text(text)
    out = tmp_path / "out"
    result = run_mkdocs("build", "--strict", "-d", str(out), cwd=site_copy)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Page 4 of 4" in _read(out, "organisations/page/4/index.html")
    assert 'href="../../org-09/"' in _read(out, "organisations/page/4/index.html")
    assert "Page 12 of 12" in _read(out, "cases/page/12/index.html")
    from hls_site.linkcheck import check_site
    assert [str(b) for b in check_site(out)] == []
