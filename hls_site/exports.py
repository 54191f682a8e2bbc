"""Open data made from the validated library: JSON, CSV, an Atom feed, the browse index, citations.

Every export is built from the same models as the pages, so they cannot disagree. URLs come from
a ``url_for(slug)`` callable the adapter supplies (the generator decides URL shapes).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from .periods import period_text
from .schema import SECTIONS, country_name, subdivision_name
from .validation import Case, Library
from .vocabularies import Vocabularies

UrlFor = Callable[[str], str]
#: The Atom feed carries the newest cases only, so it stays small however large the library grows.
FEED_LIMIT = 50
CSV_COLUMNS = [
    "slug", "url", "title", "summary", "organisations", "place", "country", "sectors", "scales",
    "principles", "period_start", "period_end", "hls_link", "practices", "related", "sources",
    "documented_sections", "complete", "last_reviewed", "added", "obstacle_kinds",
    # Labels beside the codes, so a spreadsheet reads "Scotland", not only GB-SCT.
    "country_name", "subdivision", "subdivision_name", "sector_labels", "scale_labels", "hls_link_label",
    "practice_labels",
]


def _completeness(case: Case) -> dict[str, Any]:
    return {"documented_sections": case.documented_sections, "of": len(SECTIONS), "complete": case.complete,
            "silent_sections": case.silent_sections}


def case_record(case: Case, url: str) -> dict[str, Any]:
    """One case as plain JSON data: its front matter, URL and completeness."""
    record = {"slug": case.slug, "url": url}
    record.update(case.meta.model_dump(mode="json", by_alias=True, exclude_none=True))
    record["added"] = case.added.isoformat()
    record["country_name"] = country_name(case.meta.country)
    if case.meta.subdivision:
        record["subdivision_name"] = subdivision_name(case.meta.subdivision)
    record["completeness"] = _completeness(case)
    return record


def cases_json(library: Library, url_for: UrlFor) -> str:
    """Every case, a record a line: readable in a text editor, and quick to write (json's C encoder)."""
    records = [json.dumps(case_record(c, url_for(c.slug)), ensure_ascii=False) for c in library.sorted_cases()]
    return '{"cases": [\n' + ",\n".join(records) + f'\n], "count": {len(records)}}}\n'


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: one that could start a formula gets a leading apostrophe."""
    text = _one_line(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def cases_csv(library: Library, url_for: UrlFor, vocab: Vocabularies) -> str:
    """One row per case, every value on one line, so a row can be picked out by its first field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for case in library.sorted_cases():
        meta = case.meta
        writer.writerow([spreadsheet_safe(v) for v in (
            case.slug, url_for(case.slug), meta.title, meta.summary, "; ".join(meta.organisations), meta.place,
            meta.country, "; ".join(meta.sectors), "; ".join(meta.scales), "; ".join(meta.principles),
            meta.period.start, meta.period.end, meta.hls_link, "; ".join(meta.practices), "; ".join(meta.related),
            " ".join(s.url for s in meta.sources), case.documented_sections, str(case.complete).lower(),
            meta.last_reviewed.isoformat(), case.added.isoformat(), "; ".join(obstacle_kinds(case)),
            country_name(meta.country), meta.subdivision or "",
            subdivision_name(meta.subdivision) if meta.subdivision else "",
            "; ".join(vocab.sectors.label(s) for s in meta.sectors),
            "; ".join(vocab.scales.label(s) for s in meta.scales),
            vocab.hls_links.label(meta.hls_link), "; ".join(vocab.practices.label(p) for p in meta.practices),
        )])
    return out.getvalue()


#: The facets a reader can filter the cases index (and the search page) by, in display order:
#: key, label, vocabulary. Principles are not one: nearly every case shows all three, so choosing
#: one would remove nothing (each case's page says how it shows them).
FACETS = [
    ("country", "Country", None),
    ("subdivision", "Nation or region", None),
    ("sector", "Sector", "sectors"),
    ("scale", "Scale", "scales"),
    ("practice", "Practice", "practices"),
    ("obstacle", "Obstacle", "obstacles"),
    ("hls_link", "Link to HLS", "hls_links"),
    ("completeness", "Completeness", None),
]


def obstacle_kinds(case: Case) -> list[str]:
    """The kinds of obstacle a case records, each once, in the order the case gives them."""
    return list(dict.fromkeys(o.kind for o in case.meta.obstacles))


def _facet_values(case: Case) -> dict[str, list[str]]:
    meta = case.meta
    return {
        "country": [meta.country], "subdivision": [meta.subdivision] if meta.subdivision else [],
        "sector": meta.sectors, "scale": meta.scales, "practice": meta.practices, "obstacle": obstacle_kinds(case),
        "hls_link": [meta.hls_link],
        "completeness": ["complete" if case.complete else "partial"],
    }


def _place_values(key: str, cases: list[Case]) -> list[dict[str, str]]:
    if key == "country":
        codes = sorted({c.meta.country for c in cases}, key=country_name)
        return [{"id": code, "label": country_name(code)} for code in codes]
    codes = sorted({c.meta.subdivision for c in cases if c.meta.subdivision},
                   key=lambda code: (country_name(code[:2]), subdivision_name(code)))
    return [{"id": code, "label": subdivision_name(code), "country": code[:2]} for code in codes]


def browse_index(library: Library, vocab: Vocabularies, url_for: UrlFor,
                 positions: dict[str, list[float]] | None = None) -> str:
    """The compact data the cases index filters in the browser: facets with labels, and one entry per case
    (with its keyword text and, when the map knows it, its position there as ``at``)."""
    cases = library.sorted_cases()
    facets = []
    for key, label, vocab_name in FACETS:
        if vocab_name:
            values = [{"id": t.id, "label": t.label} for t in vocab.get(vocab_name)]
        elif key in ("country", "subdivision"):
            values = _place_values(key, cases)
        else:
            values = [{"id": "complete", "label": "Complete"}, {"id": "partial", "label": "Partly documented"}]
        facets.append({"key": key, "label": label, "values": values})
    entries = []
    for c in cases:
        entry = {"slug": c.slug, "url": url_for(c.slug), "title": c.title, "summary": c.meta.summary,
                 "place": c.meta.place, "orgs": "; ".join(c.meta.organisations), "start": c.meta.period.start_year,
                 "period": period_text(c.meta.period), "added": c.added.isoformat(), "facets": _facet_values(c)}
        if positions and c.slug in positions:
            entry["at"] = positions[c.slug]
        entries.append(entry)
    return json.dumps({"facets": facets, "cases": entries}, ensure_ascii=False, separators=(",", ":"))


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    """XML text: escaped, and without the characters XML forbids (so the feed always parses)."""
    return _xml_escape(_XML_ILLEGAL.sub("", str(text)))


def recent_cases(library: Library, limit: int) -> list[Case]:
    """The newest cases by date added (then by title): the order of the feed and of 'Recently added'."""
    return sorted(library.cases.values(), key=lambda c: (-c.added.toordinal(), c.title.casefold(), c.slug))[:limit]


def atom_feed(library: Library, url_for: UrlFor, site_name: str, site_url: str, feed_url: str) -> str:
    """An Atom feed of the newest cases by date added."""
    cases = recent_cases(library, FEED_LIMIT)
    updated = max((c.added for c in cases), default=date(2000, 1, 1))

    def stamp(day: date) -> str:
        return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat().replace("+00:00", "Z")

    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"  <title>{escape(site_name)}: new cases</title>", f"  <id>{escape(feed_url)}</id>",
             f'  <link rel="self" href="{escape(feed_url)}"/>', f'  <link href="{escape(site_url)}"/>',
             f"  <updated>{stamp(updated)}</updated>", f"  <author><name>{escape(site_name)}</name></author>"]
    for case in cases:
        url = url_for(case.slug)
        lines += ["  <entry>", f"    <title>{escape(case.title)}</title>", f"    <id>{escape(url)}</id>",
                  f'    <link href="{escape(url)}"/>', f"    <updated>{stamp(case.added)}</updated>",
                  f"    <summary>{escape(case.meta.summary)}</summary>"]
        lines += [f'    <category term="{escape(p)}"/>' for p in case.meta.principles]
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def citation_text(case: Case, url: str, site_name: str) -> str:
    """A plain-text citation: who, year, title, where, URL and when it was last reviewed."""
    return (f"{site_name} contributors ({case.meta.last_reviewed.year}). {case.title}. {site_name}. "
            f"{url} (last reviewed {case.meta.last_reviewed.isoformat()}).")


#: LaTeX's special characters, as BibTeX needs them written inside a field.
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
          "_": r"\_", "^": r"\textasciicircum{}", "$": r"\$", "~": r"\textasciitilde{}"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))


def latex_escape(text: str) -> str:
    """Text that LaTeX prints as written: every special character escaped, nothing deleted."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], _one_line(text))


def citation_bibtex(case: Case, url: str, site_name: str) -> str:
    """A BibTeX @misc entry, one field a line; the author is a group, braced so it is not split into names."""
    key = "hls-" + case.slug
    reviewed = case.meta.last_reviewed
    fields = [
        ("title", f"{{{latex_escape(case.title)}}}"),
        ("author", f"{{{{{latex_escape(site_name)} contributors}}}}"),
        ("year", f"{{{reviewed.year}}}"),
        ("howpublished", f"{{\\url{{{url}}}}}"),
        ("url", f"{{{url}}}"),
        ("urldate", f"{{{reviewed.isoformat()}}}"),
        ("note", f"{{Case study, last reviewed {reviewed.isoformat()}}}"),
    ]
    return "\n".join([f"@misc{{{key},", *(f"  {name} = {value}," for name, value in fields), "}"]) + "\n"


def _ris_value(text: object) -> str:
    return _one_line(text)


def citation_ris(case: Case, url: str, site_name: str) -> str:
    """An RIS record (Zotero, EndNote, Mendeley): a web page, one 'TAG  - value' a line, CRLF as the spec has it."""
    reviewed = case.meta.last_reviewed
    lines = [
        ("TY", "ELEC"),
        ("TI", case.title),
        ("AU", f"{site_name} contributors"),
        ("T2", site_name),
        ("PY", str(reviewed.year)),
        ("DA", reviewed.strftime("%Y/%m/%d")),
        ("Y2", reviewed.strftime("%Y/%m/%d")),
        ("UR", url),
        ("AB", case.meta.summary),
        ("N1", f"Case study, last reviewed {reviewed.isoformat()}"),
        ("LA", "en"),
    ]
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines) + "ER  - \r\n"
