"""Pages across cases: obstacles and how others responded, by kind; learning cycles, by scale.

A practitioner stuck on (say) one-year funding wants every case that met it and what they did, not
one case at a time. These pages gather the ``obstacles`` and ``learning_cycles`` data of every case.
Each overview shows a few entries per kind or scale and links to a paginated page of them all, so
no page grows without bound. Plain Markdown out, front-matter text escaped with :func:`render.md`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from . import render
from .markers import fill_between
from .render import RESULT_LABELS, SiteContext, case_uri, cycle_steps, kind_uri, md, md_note, rel, scale_uri
from .schema import LearningCycle, Obstacle
from .validation import Case, Library
from .vocabularies import Vocabularies

OBSTACLES_INDEX = f"{render.OBSTACLES_DIR}/index.md"
CYCLES_INDEX = f"{render.CYCLES_DIR}/index.md"
#: Entries shown under each kind or scale on an overview page; the rest are a link away.
OVERVIEW_PER_GROUP = 5
#: Responses the sources say worked come first: they are what a reader looking for a way past wants.
RESULT_ORDER = {"worked": 0, "partly": 1, "not-stated": 2, "did-not-work": 3}
_CITATION = re.compile(r"\[S(\d+)\]")
GLOSSARY_MARKER = "<!-- hls:obstacle-kinds -->"
GLOSSARY_END = "<!-- /hls:obstacle-kinds -->"


def filtered_index(from_uri: str, kind: str) -> str:
    """The cases index filtered to the cases recorded with one obstacle kind."""
    return f"{rel(from_uri, render.CASES_DIR + '/index.md')}?obstacle={kind}"


@dataclass(frozen=True)
class Entry:
    case: Case
    item: Obstacle | LearningCycle


def obstacles_by_kind(library: Library) -> dict[str, list[Entry]]:
    """Every case's obstacles, grouped by kind; within a kind, responses that worked first, then by case."""
    groups: dict[str, list[Entry]] = {}
    for case in library.sorted_cases():
        for obstacle in case.meta.obstacles:
            groups.setdefault(obstacle.kind, []).append(Entry(case, obstacle))
    for entries in groups.values():
        entries.sort(key=lambda e: RESULT_ORDER.get(e.item.result, 9))  # stable: keeps case order within
    return groups


def cycles_by_scale(library: Library) -> dict[str, list[Entry]]:
    """Every case's learning cycles, grouped by scale, each group in case order."""
    groups: dict[str, list[Entry]] = {}
    for case in library.sorted_cases():
        for cycle in case.meta.learning_cycles:
            groups.setdefault(cycle.scale, []).append(Entry(case, cycle))
    return groups


def _cite(text: str, case: Case, from_uri: str) -> str:
    """A note with its [S1] citations linked to the sources on the case's own page."""
    target = rel(from_uri, case_uri(case.slug))
    return _CITATION.sub(lambda m: f"[\\[S{m.group(1)}\\]]({target}#source-{m.group(1)})", md_note(text))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _cases_noun(n: int) -> str:
    return _plural(n, "case")


def _count_text(entries: list[Entry], noun: str) -> str:
    cases = len({e.case.slug for e in entries})
    return f"{_plural(len(entries), noun)} in {_cases_noun(cases)}"


def obstacle_lines(entry: Entry, page_uri: str, ctx: SiteContext) -> list[str]:
    """One case's obstacle beside its response (stacked on a narrow screen)."""
    case, obstacle = entry.case, entry.item
    link = f"[{md(case.title)}]({rel(page_uri, case_uri(case.slug))})"
    return ['<div class="hls-pair" markdown>', "",
            f"{link} · {md(case.meta.place)}", "{ .hls-pair__case }", "",
            '<div class="hls-pair__side" markdown>', "", "**Obstacle**", "{ .hls-pair__label }", "",
            _cite(obstacle.obstacle, case, page_uri), "", "</div>", "",
            '<div class="hls-pair__side" markdown>', "", "**Response**", "{ .hls-pair__label }", "",
            _cite(obstacle.response, case, page_uri), "", f"*{RESULT_LABELS[obstacle.result]}.*", "", "</div>", "",
            "</div>", ""]


def cycle_lines(entry: Entry, page_uri: str, ctx: SiteContext) -> list[str]:
    """One turn of learning: when, then what was tried, learned and changed."""
    case, cycle = entry.case, entry.item
    link = f"[{md(case.title)}]({rel(page_uri, case_uri(case.slug))})"
    return ['<div class="hls-cycle" markdown>', "", f"{link} · {md(cycle.when)}", "{ .hls-pair__case }", "",
            *cycle_steps(cycle, lambda text: _cite(text, case, page_uri)), "</div>", ""]


def _overview_table(rows: Iterable[tuple[str, str, list[Entry]]], group: str, noun: str) -> list[str]:
    """Each kind or scale with its counts (its description is under its own heading below)."""
    out = [f"| {group} | Cases | {noun.capitalize()}s |", "| --- | ---: | ---: |"]
    for label, link, entries in rows:
        out.append(f"| [{md(label)}]({link}) | {len({e.case.slug for e in entries})} | {len(entries)} |")
    return [*out, ""]


def _group_sections(terms: Iterable, groups: dict[str, list[Entry]], uri: str, group_uri: Callable[[str], str],
                    noun: str, one: str, where: str, lines: Callable[[Entry, str], list[str]],
                    links: Callable[[Any, list[Entry]], str] = lambda term, entries: "") -> list[str]:
    """An overview's section per kind or scale: its description, its first entries and a link to the rest.

    ``one`` and ``where`` word the sentences ("an obstacle", "of this kind"); ``links`` adds to the count line.
    """
    out: list[str] = []
    for term in terms:
        entries = groups.get(term.id, [])
        out += [f"## {md(term.label)}", "", md(term.description), ""]
        if not entries:
            out += [f"No case records {one} {where} yet.", ""]
            continue
        shown, page = entries[:OVERVIEW_PER_GROUP], rel(uri, group_uri(term.id))
        more = (f"[All {len(entries)} {where}]({page})" if len(entries) > len(shown)
                else f"[This {where.split()[-1]} on its own page]({page})")  # where ends with "kind" or "scale"
        out += [f"{_count_text(entries, noun)}. {more}{links(term, entries)}", ""]
        for entry in shown:
            out += lines(entry, uri)
    return out


def obstacle_pages(ctx: SiteContext) -> list[tuple[str, str]]:
    """'Obstacles and responses': an overview with a section per kind, and a paginated page per kind."""
    groups = obstacles_by_kind(ctx.library)
    kinds = list(ctx.vocab.obstacles)
    total = sum(len(v) for v in groups.values())
    recorded = len({e.case.slug for v in groups.values() for e in v})
    uri = OBSTACLES_INDEX
    out = ["---", 'title: "Obstacles and responses"', "search: false", "---", "", "# Obstacles and responses", "",
           f"What got in the way when people worked like this, and how they responded: {_plural(total, 'obstacle')} "
           "recorded "
           f"from the sources of {_cases_noun(recorded)}, by kind. Each response is set beside its obstacle, with "
           "whether the sources say it worked; responses that worked come first. Citations link to the passages "
           "on the case's own page.", "",
           "## Kinds of obstacle", "",
           *_overview_table(((t.label, rel(uri, kind_uri(t.id)), groups.get(t.id, [])) for t in kinds),
                           "Kind", "obstacle")]
    out += _group_sections(
        kinds, groups, uri, kind_uri, "obstacle", "an obstacle", "of this kind",
        lambda e, p: obstacle_lines(e, p, ctx),
        lambda term, entries: f" · [The {_cases_noun(len({e.case.slug for e in entries}))} in the cases index]"
                              f"({filtered_index(uri, term.id)})")
    pages = [(uri, "\n".join(out) + "\n")]
    for term in kinds:
        entries = groups.get(term.id, [])
        page = kind_uri(term.id)
        cases = len({e.case.slug for e in entries})
        intro = [md(term.description), "",
                 (f"{_count_text(entries, 'obstacle')}; responses the sources say worked come first. "
                  if entries else "No case records an obstacle of this kind yet. ")
                 + f"[Filter the cases index to these {_cases_noun(cases)}]({filtered_index(page, term.id)}) · "
                 f"[All kinds of obstacle]({rel(page, uri)})"]
        pages += render._paginate(page, term.label, entries, ctx.page_size,
                           lambda e, p: obstacle_lines(e, p, ctx), intro=intro, front=["hide: [toc]"])
    return pages


def cycle_pages(ctx: SiteContext) -> list[tuple[str, str]]:
    """'Learning cycles at each scale': an overview with a section per scale, and a paginated page per scale."""
    groups = cycles_by_scale(ctx.library)
    scales = list(ctx.vocab.scales)
    total = sum(len(v) for v in groups.values())
    recorded = len({e.case.slug for v in groups.values() for e in v})
    uri = CYCLES_INDEX
    out = ["---", 'title: "Learning cycles at each scale"', "search: false", "---", "",
           "# Learning cycles at each scale", "",
           f"Turns of learning that the cases' sources describe: what was tried, what was learned and what "
           f"changed as a result. {_plural(total, 'cycle')} from {_cases_noun(recorded)}, grouped by the system "
           "scale they ran at. Each cycle links to its case, where the citations show the sources' own words.", "",
           "## Scales", "",
           *_overview_table(((t.label, rel(uri, scale_uri(t.id)), groups.get(t.id, [])) for t in scales),
                           "Scale", "cycle")]
    out += _group_sections(scales, groups, uri, scale_uri, "cycle", "a learning cycle", "at this scale",
                           lambda e, p: cycle_lines(e, p, ctx))
    pages = [(uri, "\n".join(out) + "\n")]
    for term in scales:
        entries = groups.get(term.id, [])
        page = scale_uri(term.id)
        intro = [md(term.description), "",
                 (f"{_count_text(entries, 'cycle')}. " if entries else "No case records a learning cycle at this "
                  "scale yet. ") + f"[All scales]({rel(page, uri)})"]
        pages += render._paginate(page, f"Learning cycles: {term.label}", entries, ctx.page_size,
                           lambda e, p: cycle_lines(e, p, ctx), intro=intro, front=["hide: [toc]"])
    return pages


def glossary_section(vocab: Vocabularies, from_uri: str, level: int = 3) -> str:
    """The glossary's definitions of the obstacle kinds, made from the vocabulary so they cannot drift."""
    hashes = "#" * level
    out = []
    for term in vocab.obstacles:
        out += [f"{hashes} {md(term.label)}", "", f"{md(term.description)} "
                f"[Cases that met it, and how they responded]({rel(from_uri, kind_uri(term.id))}).", ""]
    return "\n".join(out)


def fill_glossary(markdown: str, vocab: Vocabularies, from_uri: str) -> str:
    """Replace the marker (and whatever follows it, up to the end marker) with the current definitions."""
    return fill_between(markdown, GLOSSARY_MARKER, GLOSSARY_END,
                        lambda level: glossary_section(vocab, from_uri, level))
