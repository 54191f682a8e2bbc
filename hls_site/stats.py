"""Counts across the library, for maintainers' reports (`hls stats`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from .schema import country_name
from .validation import Library


def library_stats(
    library: Library, *, links: Collection[str] = (), complete_only: bool = False
) -> dict[str, Counter]:
    """Counts over the valid cases, optionally only those with one of ``links`` and/or complete."""
    cases = [
        c for c in library.cases.values()
        if (not links or c.meta.hls_link in links) and (c.complete or not complete_only)
    ]
    stats: dict[str, Counter] = {
        "hls_link": Counter(c.meta.hls_link for c in cases),
        "completeness": Counter("complete" if c.complete else f"{c.documented_sections} of 5" for c in cases),
        "principle": Counter(p for c in cases for p in c.meta.principles),
        "scale": Counter(s for c in cases for s in c.meta.scales),
        "sector": Counter(s for c in cases for s in c.meta.sectors),
        "country": Counter(country_name(c.meta.country) for c in cases),
        "complete by hls_link": Counter(c.meta.hls_link for c in cases if c.complete),
    }
    return stats


def format_stats(library: Library, *, links: Collection[str] = (), complete_only: bool = False) -> str:
    stats = library_stats(library, links=links, complete_only=complete_only)
    lines = [f"cases: {sum(stats['hls_link'].values())}"]
    for name, counter in stats.items():
        values = ", ".join(f"{key} {count}" for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{name}: {values}")
    return "\n".join(lines)
