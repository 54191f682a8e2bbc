"""Links between cases, principles, guide chapters, organisations and countries.

Computed once per build. Everything is linear in the number of cases: neighbours are found through
inverted indexes, visiting the rarest shared features first and at most ``CANDIDATE_CAP`` candidates
per case, so a very common sector cannot make the work quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .content import ContentPage
from .paths import slugify
from .validation import Case, Library
from .vocabularies import Vocabularies

#: How many computed neighbours a case page shows (bounded, so a page does not grow with the library).
NEIGHBOURS = 4
CANDIDATE_CAP = 100


@dataclass
class Neighbour:
    case: Case
    reasons: list[str]
    score: int


@dataclass
class Group:
    """An organisation or country and its cases."""

    slug: str
    name: str
    cases: list[Case] = field(default_factory=list)


@dataclass
class Relations:
    by_principle: dict[str, list[Case]] = field(default_factory=lambda: defaultdict(list))
    related: dict[str, list[Case]] = field(default_factory=lambda: defaultdict(list))
    chapters: dict[str, list[ContentPage]] = field(default_factory=lambda: defaultdict(list))
    organisations: dict[str, Group] = field(default_factory=dict)
    countries: dict[str, Group] = field(default_factory=dict)
    neighbours: dict[str, list[Neighbour]] = field(default_factory=dict)
    organisation_slugs: dict[str, str] = field(default_factory=dict)

    def organisation_slug(self, name: str) -> str:
        return self.organisation_slugs.get(name) or slugify(name) or "organisation"


#: Slugs that would replace a listing's own pages.
RESERVED_SLUGS = {"index", "page"}


def distinct_slugs(names: list[str]) -> dict[str, str]:
    """A stable, distinct slug per name: transliterated, never a reserved one, numbered on collision."""
    slugs: dict[str, str] = {}
    taken: set[str] = set(RESERVED_SLUGS)
    for name in sorted(set(names), key=lambda n: (slugify(n), n)):
        base = slugify(name) or "organisation"
        if base in RESERVED_SLUGS:
            base = f"{base}-organisation"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        slugs[name] = slug
        taken.add(slug)
    return slugs


def build_relations(library: Library, pages: list[ContentPage], vocab: Vocabularies | None = None) -> Relations:
    """Declared ``related`` links become two-way; chapters, organisations and countries get back-links."""
    rel = Relations()
    cases = library.sorted_cases()
    rel.organisation_slugs = distinct_slugs([name for case in cases for name in case.meta.organisations])
    for case in cases:
        for principle in case.meta.principles:
            rel.by_principle[principle].append(case)
        for other in case.meta.related:
            if other in library.cases:
                for a, b in ((case.slug, library.cases[other]), (other, case)):
                    if all(existing.slug != b.slug for existing in rel.related[a]):
                        rel.related[a].append(b)
        for name in case.meta.organisations:
            slug = rel.organisation_slug(name)
            _add_once(rel.organisations.setdefault(slug, Group(slug, name)).cases, case)
        code = case.meta.country
        _add_once(rel.countries.setdefault(code.lower(), Group(code.lower(), code)).cases, case)
    for page in pages:
        for slug in page.cases:
            if slug in library.cases:
                rel.chapters[slug].append(page)
    for items in rel.related.values():
        items.sort(key=lambda c: c.title.casefold())
    if vocab is not None:
        rel.neighbours = _remembered_neighbours(cases, rel, vocab)
    return rel


#: The last neighbours computed, by slug, and everything they were computed from. The preview builds
#: the relations again on every save; most saves (a paragraph, a source) change nothing neighbours
#: read, and at 1,000 cases finding them is a fifth of a rebuild.
_last_neighbours: tuple[tuple, dict[str, list[tuple[str, list[str], int]]]] | None = None


def _neighbour_inputs(cases: list[Case], rel: Relations, vocab: Vocabularies) -> tuple:
    labels = tuple(tuple((term_id, term.label) for term_id, term in v.terms.items())
                   for v in (vocab.practices, vocab.sectors, vocab.principles))
    return labels, tuple(
        (c.slug, c.title.casefold(), c.meta.place, tuple(c.meta.practices), tuple(c.meta.sectors),
         tuple(c.meta.principles), tuple(other.slug for other in rel.related.get(c.slug, [])))
        for c in cases)


def _remembered_neighbours(cases: list[Case], rel: Relations, vocab: Vocabularies) -> dict[str, list[Neighbour]]:
    """:func:`_neighbours`, reused while nothing it reads has changed (bound to today's case objects)."""
    global _last_neighbours
    inputs = _neighbour_inputs(cases, rel, vocab)
    if _last_neighbours is None or _last_neighbours[0] != inputs:
        found = _neighbours(cases, rel, vocab)
        _last_neighbours = inputs, {slug: [(n.case.slug, n.reasons, n.score) for n in items]
                                    for slug, items in found.items()}
        return found
    by_slug = {case.slug: case for case in cases}
    return {slug: [Neighbour(by_slug[other], list(reasons), score) for other, reasons, score in items]
            for slug, items in _last_neighbours[1].items()}


def _add_once(items: list[Case], item: Case) -> None:
    # Cases arrive in order, so a repeat is always the last item: constant time per add.
    if not items or items[-1].slug != item.slug:
        items.append(item)


def _features(case: Case) -> list[tuple[str, str]]:
    meta = case.meta
    return ([("practice", p) for p in meta.practices] + [("place", meta.place.casefold())]
            + [("sector", s) for s in meta.sectors] + [("principle", p) for p in meta.principles])


_WEIGHTS = {"place": 4, "practice": 3, "sector": 2, "principle": 1}
#: A feature more than this share of the cases have says nothing about two of them ("shared
#: principles: Human, Learning, Systems"): it neither makes nor explains a neighbour. Applied once
#: the library has COMMON_MIN_CASES, so a small library still finds its neighbours.
COMMON_SHARE = 0.5
COMMON_MIN_CASES = 10


def _neighbours(cases: list[Case], rel: Relations, vocab: Vocabularies) -> dict[str, list[Neighbour]]:
    """Up to NEIGHBOURS similar cases each, in O(N x (CANDIDATE_CAP + features)).

    Candidates come from the case's rarest features first, and the scan stops at CANDIDATE_CAP;
    each candidate is then scored by the features the two cases share.
    """
    features = {case.slug: set(_features(case)) for case in cases}
    index: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        for feature in features[case.slug]:
            index[feature].append(case)
    if len(cases) >= COMMON_MIN_CASES:
        common = {f for f, having in index.items() if len(having) > COMMON_SHARE * len(cases)}
        features = {slug: own - common for slug, own in features.items()}
    out = {}
    for case in cases:
        declared = {c.slug for c in rel.related.get(case.slug, [])} | {case.slug}
        candidates: dict[str, Case] = {}
        for feature in sorted(features[case.slug], key=lambda f: (len(index[f]), f)):
            for other in index[feature]:
                if len(candidates) >= CANDIDATE_CAP:
                    break
                if other.slug not in declared:
                    candidates.setdefault(other.slug, other)
            if len(candidates) >= CANDIDATE_CAP:
                break
        scored = []
        for other in candidates.values():
            shared = features[case.slug] & features[other.slug]
            score = sum(_WEIGHTS[kind] for kind, _ in shared)
            if score >= 3:  # one shared principle alone is no reason
                scored.append((-score, other.title.casefold(), other, sorted(shared)))
        scored.sort(key=lambda item: item[:2])
        out[case.slug] = [Neighbour(other, _reasons(shared, other, vocab), -neg) for neg, _, other, shared in
                          scored[:NEIGHBOURS]]
    return out


def _reasons(features: list[tuple[str, str]], other: Case, vocab: Vocabularies) -> list[str]:
    labels = {"practice": vocab.practices, "sector": vocab.sectors, "principle": vocab.principles}
    groups: dict[str, list[str]] = defaultdict(list)
    for kind, value in features:
        groups[kind].append(other.meta.place if kind == "place" else labels[kind].label(value))
    names = {"place": "same place", "practice": "shared practice", "sector": "same sector",
             "principle": "shared principle"}
    order = ["place", "practice", "sector", "principle"]
    return [f"{names[k]}{'s' if len(groups[k]) > 1 and k != 'place' else ''}: {', '.join(groups[k])}"
            for k in order if k in groups]
