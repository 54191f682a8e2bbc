"""Counts across the library, for maintainers' reports (`hls stats`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable

from .schema import country_name
from .validation import Case, Library


def library_stats(
    library: Library, *, links: Collection[str] = (), complete_only: bool = False
) -> dict[str, Counter]:
    """Counts over the valid cases, optionally only those with one of ``links`` and/or complete."""
    cases = _selected(library, links, complete_only)
    stats: dict[str, Counter] = {
        "hls_link": Counter(c.meta.hls_link for c in cases),
        "completeness": Counter("complete" if c.complete else f"{c.documented_sections} of 5" for c in cases),
        "principle": Counter(p for c in cases for p in c.meta.principles),
        "scale": Counter(s for c in cases for s in c.meta.scales),
        "sector": Counter(s for c in cases for s in c.meta.sectors),
        "country": Counter(country_name(c.meta.country) for c in cases),
        "complete by hls_link": Counter(c.meta.hls_link for c in cases if c.complete),
        # What practitioners come for: how many cases (and entries) record each obstacle kind and cycle scale.
        "cases by obstacle kind": Counter(k for c in cases for k in {o.kind for o in c.meta.obstacles}),
        "obstacles by kind": Counter(o.kind for c in cases for o in c.meta.obstacles),
        "cases by learning cycle scale": Counter(s for c in cases for s in {lc.scale for lc in c.meta.learning_cycles}),
        "learning cycles by scale": Counter(lc.scale for c in cases for lc in c.meta.learning_cycles),
        "obstacles and learning cycles": Counter(
            ("obstacles and cycles" if c.meta.obstacles and c.meta.learning_cycles else "obstacles only"
             if c.meta.obstacles else "cycles only" if c.meta.learning_cycles else "neither") for c in cases),
    }
    return stats


def cases_with_neither(cases: Iterable[Case]) -> list[str]:
    """Slugs of the cases whose sources describe no obstacle and no learning cycle (the case records none)."""
    return sorted(c.slug for c in cases if not c.meta.obstacles and not c.meta.learning_cycles)


def format_stats(library: Library, *, links: Collection[str] = (), complete_only: bool = False) -> str:
    stats = library_stats(library, links=links, complete_only=complete_only)
    lines = [f"cases: {sum(stats['hls_link'].values())}"]
    for name, counter in stats.items():
        values = ", ".join(f"{key} {count}" for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{name}: {values}")
    neither = cases_with_neither(_selected(library, links, complete_only))
    lines.append(f"cases with neither obstacles nor learning cycles: {', '.join(neither) or 'none'}")
    return "\n".join(lines)


def _selected(library: Library, links: Collection[str], complete_only: bool) -> list[Case]:
    return [c for c in library.cases.values()
            if (not links or c.meta.hls_link in links) and (c.complete or not complete_only)]
