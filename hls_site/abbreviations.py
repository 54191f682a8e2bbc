"""Abbreviations spelled out where a page first uses them, so no reader is left guessing.

Applied to the HTML a page's Markdown became (before our own slots go in, so sources' quotes keep
their exact words). The first use of each known abbreviation outside headings, links, code and
quotations becomes ``<abbr title="...">CPI</abbr> (Centre for Public Impact)``. A page that spells the
name out before its first use is left alone.
"""

from __future__ import annotations

import html
import re

#: Well-known abbreviations in HLS writing and in the cases, with what they stand for. Names that
#: are an organisation's whole name (E3M, Collaborate CIC) are not expanded: we would be guessing.
ABBREVIATIONS = {
    "HLS": "Human Learning Systems",
    "CPI": "Centre for Public Impact",
    "NPM": "New Public Management",
    "NHS": "National Health Service",
    "KPI": "key performance indicator",
    "KPIs": "key performance indicators",
    "VCSE": "voluntary, community and social enterprise",
    "CQC": "Care Quality Commission",
    "CCG": "clinical commissioning group",
    "NIHR": "National Institute for Health and Care Research",
    "CECAN": "Centre for the Evaluation of Complexity Across the Nexus",
    "IVAR": "Institute for Voluntary Action Research",
    "LGA": "Local Government Association",
    "MEAM": "Making Every Adult Matter",
    "TACSI": "The Australian Centre for Social Innovation",
    "NDIS": "National Disability Insurance Scheme",
    "CLLD": "community-led local development",
}
#: Elements whose text is left exactly as written.
_SKIP = {"a", "abbr", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "script",
         "style", "title", "summary", "button", "textarea", "label", "dt"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}


def expand_first(page_html: str, known: dict[str, str] | None = None) -> str:
    """Spell out the first use of each known abbreviation on a page."""
    known = ABBREVIATIONS if known is None else known
    text = html.unescape(_TAG.sub(" ", page_html))
    folded = text.casefold()
    todo = {}
    for abbr, long in known.items():
        first = re.search(rf"\b{re.escape(abbr)}\b", text)
        spelled = folded.find(long.casefold())
        if first and not 0 <= spelled < first.start():  # not already spelled out before its first use
            todo[abbr] = long
    if not todo:
        return page_html
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(todo, key=len, reverse=True)) + r")\b(?!\s*\()")
    parts = _TAG.split(page_html)
    depth = 0
    for i, part in enumerate(parts):
        if not todo:
            break
        if i % 2:  # a tag
            match = _TAG_NAME.match(part)
            name = match.group(1).lower() if match else ""
            if name in _SKIP and name not in _VOID and not part.endswith("/>"):
                depth += -1 if part.startswith("</") else 1
            continue
        if depth > 0 or not part.strip():
            continue

        def spell(m: re.Match) -> str:
            abbr = m.group(1)
            long = todo.pop(abbr, None)
            if long is None:
                return abbr
            return f'<abbr title="{html.escape(long)}">{abbr}</abbr> ({html.escape(long)})'

        parts[i] = pattern.sub(spell, part)
    return "".join(parts)
