"""Links between cases, principles and guide chapters, computed once per build in linear time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .content import ContentPage
from .validation import Case, Library


@dataclass
class Relations:
    by_principle: dict[str, list[Case]] = field(default_factory=lambda: defaultdict(list))
    related: dict[str, list[Case]] = field(default_factory=lambda: defaultdict(list))
    chapters: dict[str, list[ContentPage]] = field(default_factory=lambda: defaultdict(list))


def build_relations(library: Library, pages: list[ContentPage]) -> Relations:
    """Declared ``related`` links become two-way; chapters naming a case become its back-links."""
    rel = Relations()
    for case in library.sorted_cases():
        for principle in case.meta.principles:
            rel.by_principle[principle].append(case)
        for other in case.meta.related:
            if other in library.cases:
                _add_once(rel.related[case.slug], library.cases[other])
                _add_once(rel.related[other], case)
    for page in pages:
        for slug in page.cases:
            if slug in library.cases:
                rel.chapters[slug].append(page)
    for cases in rel.related.values():
        cases.sort(key=lambda c: c.title.casefold())
    return rel


def _add_once(items: list[Case], item: Case) -> None:
    if all(existing.slug != item.slug for existing in items):
        items.append(item)
