"""Counts across the library, for maintainers' reports (`hls stats`)."""

from __future__ import annotations

from collections import Counter

from .schema import country_name
from .validation import Library


def library_stats(library: Library) -> dict[str, Counter]:
    cases = list(library.cases.values())
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


def format_stats(library: Library) -> str:
    lines = [f"cases: {len(library.cases)}"]
    for name, counter in library_stats(library).items():
        values = ", ".join(f"{key} {count}" for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{name}: {values}")
    return "\n".join(lines)
