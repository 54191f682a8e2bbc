"""The nation-or-region field and the map of cases: what a contributor is told, and what the built
site holds (every case placed inside its country's panel, the place data kept, nothing fetched)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import FIXTURE_SITE, run_hls
from hls_site import casemap

GOOD = (FIXTURE_SITE / "cases" / "alpha-alliance.md").read_text("utf-8")


def _validate(tmp_path, text: str):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "alpha-alliance.md").write_text(text)
    (tmp_path / "cases" / "beta-forum.md").write_text((FIXTURE_SITE / "cases" / "beta-forum.md").read_text("utf-8"))
    return run_hls("validate", "--root", str(tmp_path))


@pytest.mark.parametrize(("value", "message"), [
    ("Scotland", "'Scotland' is not an ISO 3166-2 subdivision code; use GB-SCT"),
    ("gb-wls", "'gb-wls' is written in capitals: use GB-WLS"),
    ("AU-QLD", "AU-QLD is in AU, but the case's country is GB"),
])
def test_a_wrong_subdivision_says_what_to_write(tmp_path, value, message):
    result = _validate(tmp_path, GOOD.replace("\ncountry: GB\n", f"\ncountry: GB\nsubdivision: {value}\n", 1))
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "subdivision" in line)
    assert re.match(r"^.*alpha-alliance\.md:\d+:\d+: subdivision: ", line), line
    assert message in line, line


def test_a_right_subdivision_is_valid(tmp_path):
    assert "\ncountry: GB\n" in GOOD
    result = _validate(tmp_path, GOOD.replace("\ncountry: GB\n", "\ncountry: GB\nsubdivision: GB-SCT\n", 1))
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("place", "country", "subdivision", "near", "exact"), [
    ("Glasgow, Scotland", "GB", "GB-SCT", (-4.26, 55.86), True),
    ("Liverpool City Region, England", "GB", "GB-ENG", (-2.98, 53.41), True),  # the town a region is named after
    ("Scotland", "GB", "GB-SCT", (-3.9, 56.1), False),  # a whole nation: the middle of its towns
    ("Netherlands (national, starting in Almelo)", "NL", None, (5.3, 52.1), False),  # brackets are not the place
])
def test_a_case_is_placed_at_its_town_or_in_the_middle_of_its_area(place, country, subdivision, near, exact):
    point = casemap.locate(place, country, subdivision)
    assert point is not None and point.exact is exact
    assert abs(point.lon - near[0]) < 0.6 and abs(point.lat - near[1]) < 0.6, point


def test_every_case_is_inside_its_countrys_panel(built_site):
    browse = json.loads((built_site / "data" / "browse.json").read_text("utf-8"))
    panels = {p["country"]: p for p in json.loads((built_site / "data" / "map.json").read_text("utf-8"))["panels"]}
    for entry in browse["cases"]:
        panel = panels[entry["facets"]["country"][0]]
        x, y, _ = entry["at"]
        assert 0 <= x <= panel["width"] and 0 <= y <= panel["height"], entry["slug"]
        assert panel["land"].startswith("M"), panel["country"]
    # the outlines are the kept Natural Earth data: the UK's panel is taller than it is wide
    assert panels["GB"]["height"] > panels["GB"]["width"]


def test_the_csv_carries_labels_beside_codes(built_site):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((built_site / "data" / "cases.csv").read_text("utf-8")))}
    glasgow = rows["glasgow-alliance-to-end-homelessness"]
    assert (glasgow["country"], glasgow["country_name"]) == ("GB", "United Kingdom")
    assert (glasgow["subdivision"], glasgow["subdivision_name"]) == ("GB-SCT", "Scotland")
    assert "Homelessness" in glasgow["sector_labels"].split("; ")


def test_country_pages_link_each_nation_or_region_to_the_filtered_index(built_site):
    html = (built_site / "countries" / "gb" / "index.html").read_text("utf-8")
    assert "By nation or region:" in html
    assert '../../cases/?country=GB&amp;subdivision=GB-SCT"' in html


def test_help_pages_are_weighted_below_the_library(built_site):
    help_page = (built_site / "contribute" / "index.html").read_text("utf-8")
    case_page = (built_site / "cases" / "wigan-deal" / "index.html").read_text("utf-8")
    assert 'data-pagefind-weight="0.05"' in help_page
    assert 'data-pagefind-weight="0.05"' not in case_page
