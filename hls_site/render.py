"""Markdown for the generated parts of the site: case pages, the cases index, principle listings.

Everything here is plain text in, Markdown out, with links as relative ``.md`` paths that any
generator can resolve (MkDocs checks them under ``--strict``). Values from front matter are
escaped; the only HTML is what this module writes itself.
"""

from __future__ import annotations

import functools
import html
import math
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from . import periods
from .content import ContentPage
from .exports import citation_bibtex, citation_ris, citation_text, obstacle_kinds, recent_cases
from .relations import Group, Relations
from .sanitise import Slots
from .schema import SECTIONS, LearningCycle, country_name, subdivision_name
from .validation import Case, Library
from .vocabularies import Vocabularies

CASES_DIR = "cases"
PRINCIPLES_DIR = "principles"
ORGANISATIONS_DIR = "organisations"
COUNTRIES_DIR = "countries"
OBSTACLES_DIR = "obstacles"
CYCLES_DIR = "learning-cycles"


@dataclass
class SiteContext:
    """What every generated page may draw on."""

    library: Library
    relations: Relations
    vocab: Vocabularies
    site_name: str = "HLS case library"
    absolute_url: Callable[[str], str] = lambda slug: ""  # a case's full URL, for citations
    page_size: int = 50
    featured: tuple[str, ...] = ()
    slots: Slots = field(default_factory=Slots)


#: Listings of other pages' text are left out of the search index, so a search for a case's words
#: finds the case itself rather than every page that lists it.
UNINDEXED_CLASS = "hls-unindexed"
UNINDEXED_START = f'<div class="{UNINDEXED_CLASS}" markdown>'
UNINDEXED_END = "</div>"
#: Characters that Markdown (with attribute lists) could turn into markup. '&' is escaped so that an
#: entity in front-matter text shows as typed.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]>|#{}!])")
_CITATION = re.compile(r"\[S(\d+)\]")


def case_uri(slug: str) -> str:
    return f"{CASES_DIR}/{slug}.md"


def principle_uri(principle: str) -> str:
    return f"{PRINCIPLES_DIR}/{principle}.md"


def organisation_uri(slug: str) -> str:
    return f"{ORGANISATIONS_DIR}/{slug}.md"


def country_uri(code: str) -> str:
    return f"{COUNTRIES_DIR}/{code.lower()}.md"


def kind_uri(kind: str) -> str:
    """The page of every case's obstacles of one kind."""
    return f"{OBSTACLES_DIR}/{kind}.md"


def scale_uri(scale: str) -> str:
    """The page of every case's learning cycles at one scale."""
    return f"{CYCLES_DIR}/{scale}.md"


@functools.lru_cache(maxsize=1 << 16)
def rel(from_uri: str, to_uri: str) -> str:
    """Relative link from one page's source path to another's (both relative to the docs folder).

    String work only (no filesystem calls, unlike ``posixpath.relpath``): a build makes one for
    every link on every generated page.
    """
    if ".." in from_uri.split("/") or ".." in to_uri.split("/"):
        return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    start = [p for p in posixpath.dirname(from_uri).split("/") if p]
    target = to_uri.split("/")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


def md(text: str) -> str:
    """Escape front-matter text for Markdown, so it shows as written (and never becomes markup)."""
    return _md(str(text))


@functools.lru_cache(maxsize=1 << 16)  # the same names and labels recur on every listing
def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;"))


def attr(text: str) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def period_text(case: Case) -> str:
    return periods.period_text(case.meta.period)


def completeness_text(case: Case) -> str:
    done = case.documented_sections
    if case.complete:
        return f"Complete: all {len(SECTIONS)} sections documented from public sources"
    missing = ", ".join(case.silent_sections)
    return f"{done} of {len(SECTIONS)} sections documented; public sources are silent on: {missing}"


def badges(case: Case, vocab: Vocabularies, from_uri: str) -> str:
    return " ".join(
        f"[{md(vocab.principles.label(p))}]({rel(from_uri, principle_uri(p))}){{ .hls-badge .hls-badge--{p} }}"
        for p in vocab.principles.ids() if p in case.meta.principles
    )


def search_attributes(case: Case, vocab: Vocabularies) -> str:
    """Hidden Pagefind filters, sort keys and metadata for one case (labels, as readers see them)."""
    meta = case.meta
    # The cases index's facet names, in its order (exports.FACETS), so the two read alike.
    filters = [("Country", country_name(meta.country))]
    if meta.subdivision:
        filters.append(("Nation or region", subdivision_name(meta.subdivision)))
    filters += [("Sector", vocab.sectors.label(s)) for s in meta.sectors]
    filters += [("Scale", vocab.scales.label(s)) for s in meta.scales]
    filters += [("Practice", vocab.practices.label(p)) for p in meta.practices]
    filters += [("Obstacle", vocab.obstacles.label(k)) for k in obstacle_kinds(case)]
    filters += [("Link to HLS", vocab.hls_links.label(meta.hls_link)),
                ("Completeness", "Complete" if case.complete else "Partly documented")]
    spans = [f'<span data-pagefind-filter="{attr(k)}:{attr(v)}"></span>' for k, v in filters]
    spans.append(f'<span data-pagefind-meta="summary[data-value]" data-value="{attr(meta.summary)}"></span>')
    spans.append(f'<span data-pagefind-meta="place[data-value]" data-value="{attr(meta.place)}"></span>')
    spans.append(f'<span data-pagefind-meta="period[data-value]" data-value="{attr(period_text(case))}"></span>')
    if meta.period.start_year is not None:
        spans.append(f'<span data-pagefind-sort="year[data-value]" data-value="{meta.period.start_year}"></span>')
    # The lead organisation's name finds its case first.
    spans.append(f'<span data-pagefind-weight="5">{html.escape(case.lead_organisation)}</span>')
    spans.append(f'<span data-pagefind-sort="added[data-value]" data-value="{case.added.isoformat()}"></span>')
    # Visually hidden rather than `hidden`: Pagefind reads it (and weights the lead organisation).
    return '<div class="hls-search-data" aria-hidden="true">' + "".join(spans) + "</div>"


def _esc(text: object) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def _safe_url(url: str) -> str | None:
    return url if url.lower().startswith(("http://", "https://")) else None


def _quote_html(quote: object, tag: str = "blockquote") -> str:
    text = quote if isinstance(quote, str) else quote.text
    translation = None if isinstance(quote, str) else quote.translation
    out = f'<{tag} class="hls-quote">\u201c{_esc(text)}\u201d'
    if translation:
        out += f' <span class="hls-quote__translation">(Translation: {_esc(translation)})</span>'
    return out + f"</{tag}>"


def source_quotes(case: Case, number: int) -> list[object]:
    """Every passage of source ``number`` the case rests on, its evidence quotes included."""
    src = case.meta.sources[number - 1]
    quotes: list[object] = list(src.quotes)
    texts = set(src.quote_texts())
    for entry in (case.meta.hls_evidence, *case.meta.period.evidence):
        if entry is not None and entry.source == number and entry.quote not in texts:
            quotes.append(entry.quote)
            texts.add(entry.quote)
    return quotes


def sources_html(case: Case) -> str:
    """The numbered sources, each with the passages the case relies on (ours: ids and structure)."""
    return sources_list_html(case.meta.sources, lambda n: source_quotes(case, n), "this case relies on")


def sources_list_html(sources: list, quotes_for: Callable[[int], list[object]] | None = None,
                      relies: str = "this page relies on") -> str:
    """Numbered sources with ids a citation [S3] links to: the one list for cases and teaching pages."""
    out = ['<ol class="hls-sources">']
    for n, src in enumerate(sources, start=1):
        url = _safe_url(src.url)
        title = f'<a href="{_esc(url)}">{_esc(src.title)}</a>' if url else _esc(src.title)
        authors = getattr(src, "authors", None)
        note = getattr(src, "note", None)
        accessed = f" Accessed {src.accessed.isoformat()}." if src.accessed else ""
        copy = " A copy of the original, cited because no original is known." if src.is_copy else ""
        item = [f'<li id="source-{n}" class="hls-source" data-source="{n}">',
                f"<p>{_esc(authors) + '. ' if authors else ''}{_esc(src.publisher)} ({_esc(src.year)}). {title}."
                f"{' ' + _esc(note) + '.' if note else ''}{accessed}{copy} "
                f'<span class="hls-source__url">{_esc(src.url)}</span></p>']
        quotes = quotes_for(n) if quotes_for else list(getattr(src, "quotes", []))
        if len(quotes) == 1:
            item.append(_quote_html(quotes[0]))
        elif quotes:
            item.append(f'<details class="hls-quotes"><summary>{len(quotes)} passages {relies}'
                        "</summary>" + "".join(_quote_html(q) for q in quotes) + "</details>")
        item.append("</li>")
        out.append("".join(item))
    out.append("</ol>")
    return "\n".join(out)


def _split_sources(markdown: str) -> tuple[str, str, str]:
    parts = re.split(r"^## Sources[ \t]*$", markdown, maxsplit=1, flags=re.M)
    return (parts[0], "## Sources", parts[1]) if len(parts) == 2 else (markdown, "", "")


_CASE_LINK = re.compile(r"\[([^\]]+)\]\((?:\.\./)*cases/([a-z0-9-]+)\.md(?:#[^)\s]*)?\)")


def teaching_page(page: ContentPage, markdown: str, extra: str, slots: Slots, library: Library | None = None) -> str:
    """A principle or guide page: its text with [S1] linked, the generated listings, then its sources.

    A page may keep a '## Sources' heading with a sentence of its own; the numbered list goes under it.
    A link to a case the library does not hold (a site that replaced our cases with its own) reads
    as plain text, so the guide keeps working over any collection.
    """
    if library is not None:
        markdown = _CASE_LINK.sub(lambda m: m.group(0) if m.group(2) in library.cases else m.group(1), markdown)
    body, _, tail = _split_sources(markdown)
    out = [_cite(body, None).rstrip(), "", extra.strip(), ""]
    if page.sources or tail.strip():
        out += ["## Sources", "", _cite(tail, None).strip(), ""]
    if page.sources:
        out += [slots.add(sources_list_html(page.sources)), ""]
    return "\n".join(out)


def why_classed_html(case: Case, vocab: Vocabularies) -> str:
    """'Why this case is classed featured': the publisher, year and passage."""
    evidence = case.meta.hls_evidence
    if evidence is None or not 1 <= evidence.source <= len(case.meta.sources):
        return ""
    src = case.meta.sources[evidence.source - 1]
    label = vocab.hls_links.label(case.meta.hls_link)
    return (f'<div class="hls-why"><p><strong>Why this case is classed \u201c{_esc(label)}\u201d:</strong> '
            f'{_esc(src.publisher)} ({_esc(src.year)}), <a href="#source-{evidence.source}">[S{evidence.source}]</a>'
            f"</p>{_quote_html(evidence.quote)}</div>")


def _cite(body: str, case: Case | None) -> str:
    """[S3] becomes a plain link to source 3; cite.js shows the source's passages where it is read."""
    return _CITATION.sub(lambda m: f"[\\[S{m.group(1)}\\]](#source-{m.group(1)})", body)


def filter_link(from_uri: str, key: str, value: str, label: str) -> str:
    """A vocabulary value as a link to the cases index filtered by it (the browser reads the query)."""
    return f"[{md(label)}]({rel(from_uri, CASES_DIR + '/index.md')}?{key}={quote(value, safe='')})"


def long_date(day: date) -> str:
    """'7 December 2026': a date no reader can misread, with its year."""
    return f"{day.day} {day:%B %Y}"


def _place_fact(case: Case, uri: str) -> str:
    """The place, its nation or region (once cases carry one) and its country, each linked."""
    meta = case.meta
    subdivision = getattr(meta, "subdivision", None)
    parts = [md(place)] if (place := _place_before_links(meta.place, meta.country, subdivision)) else []
    if subdivision:
        label = subdivision_name(subdivision)
        parts.append(filter_link(uri, "subdivision", subdivision, label))
    parts.append(filter_link(uri, "country", meta.country, country_name(meta.country))
                 + f" ([all cases from {md(country_phrase(meta.country))}]({rel(uri, country_uri(meta.country))}))")
    return ", ".join(parts)


#: Country names that read with 'the' in a sentence ("cases from the United Kingdom").
_WITH_ARTICLE = re.compile(r"^(United |Republic |Netherlands|Philippines|Czech|Dominican|Bahamas|Gambia|Maldives|"
                           r"Marshall|Solomon|Comoros|Seychelles|Central African|Holy See|Falkland|Faroe|Cayman)")


def _place_before_links(place: str, country: str, subdivision: str | None) -> str:
    """The place as written, less the trailing parts that the linked nation or region and country repeat
    ("Gateshead, England" shows as "Gateshead" before "England, United Kingdom")."""
    repeated = {country.casefold(), country_name(country).casefold()} | ({"uk"} if country == "GB" else set())
    if subdivision:
        repeated |= {subdivision.casefold(), subdivision_name(subdivision).casefold()}
    parts = [part.strip() for part in place.split(",")]
    while parts and parts[-1].casefold() in repeated:
        parts.pop()
    return ", ".join(parts)


def country_phrase(code: str) -> str:
    """A country's name as it reads inside a sentence: 'the United Kingdom', 'Finland'."""
    name = country_name(code)
    return f"the {name}" if _WITH_ARTICLE.match(name) else name


def case_page_inputs(case: Case, ctx: SiteContext) -> tuple:
    """Everything :func:`case_page` reads, as a value to compare between a preview's builds.

    The case itself is the same object while its file is unchanged (the validator's cache returns
    it), so comparing is quick; what the page shows of other cases (related cases, cases like it,
    guide chapters, organisation pages) comes in by value. Keep this in step with ``case_page``.
    """
    relations = ctx.relations
    return (
        case, ctx.vocab, ctx.site_name, ctx.absolute_url(case.slug),
        tuple(relations.organisation_slug(o) for o in case.meta.organisations),
        tuple((o.slug, o.title, o.meta.summary) for o in relations.related.get(case.slug, [])),
        tuple((n.case.slug, n.case.title, tuple(n.reasons)) for n in relations.neighbours.get(case.slug, [])),
        tuple((c.uri, c.title) for c in relations.chapters.get(case.slug, [])),
    )


def case_page(case: Case, ctx: SiteContext) -> str:
    """The full Markdown of a case page, in the one layout every case shares."""
    uri, meta, relations, vocab = case_uri(case.slug), case.meta, ctx.relations, ctx.vocab
    out = [f"# {md(meta.title)}", "", f"{md(meta.summary)}", "{ .hls-summary }", "", badges(case, vocab, uri), ""]
    facts = [
        ("Organisations", "; ".join(
            f"[{md(o)}]({rel(uri, organisation_uri(relations.organisation_slug(o)))})" for o in meta.organisations)),
        ("Place", _place_fact(case, uri)),
        ("Period", period_text(case)),
        ("Sectors", ", ".join(filter_link(uri, "sector", s, vocab.sectors.label(s)) for s in meta.sectors)),
        ("Scales", ", ".join(filter_link(uri, "scale", s, vocab.scales.label(s)) for s in meta.scales)),
    ]
    if meta.practices:
        facts.append(("Practices", ", ".join(
            filter_link(uri, "practice", p, vocab.practices.label(p)) for p in meta.practices)))
    facts += [
        ("Link to HLS", filter_link(uri, "hls_link", meta.hls_link, vocab.hls_links.label(meta.hls_link))),
        ("Completeness", completeness_text(case)),
        ("Last reviewed", long_date(meta.last_reviewed)),
    ]
    out += ['<aside class="hls-facts" aria-label="Facts about this case" markdown>', ""]
    for label, value in facts:
        out += [label, f":   {value}", ""]
    out += ["</aside>", ""]
    why = why_classed_html(case, vocab)
    if why:
        out += [ctx.slots.add(why), ""]

    out += ["## How this case shows the principles", ""]
    for principle in vocab.principles.ids():
        if principle in meta.principles:
            link = rel(uri, principle_uri(principle))
            note = _cite(md_note(meta.principles[principle]), case)
            out += [f"[{md(vocab.principles.label(principle))}]({link}){{ .hls-badge .hls-badge--{principle} }}",
                    f":   {note}", ""]
    out += [_cite(case.body.strip(), case), ""]

    if meta.obstacles:
        out += ["## Obstacles and responses at a glance", "",
                "| Kind | Obstacle | Response | Did it work? |", "| --- | --- | --- | --- |"]
        for obstacle in meta.obstacles:
            kind = f"[{md(vocab.obstacles.label(obstacle.kind))}]({rel(uri, kind_uri(obstacle.kind))})"
            cells = (kind, _cite(md_note(obstacle.obstacle), case),
                     _cite(md_note(obstacle.response), case), RESULT_LABELS[obstacle.result])
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out += learning_cycles_timeline(case, vocab, uri)

    related = relations.related.get(case.slug, [])
    if related:
        out += ["## Related cases", "", UNINDEXED_START, ""]
        out += [f"- [{md(o.title)}]({rel(uri, case_uri(o.slug))}): {md(o.meta.summary)}" for o in related]
        out += ["", UNINDEXED_END, ""]
    neighbours = relations.neighbours.get(case.slug, [])
    if neighbours:
        out += ["## Cases like this one", "", UNINDEXED_START, ""]
        out += [f"- [{md(n.case.title)}]({rel(uri, case_uri(n.case.slug))}): {md('; '.join(n.reasons))}"
                for n in neighbours]
        out += ["", UNINDEXED_END, ""]
    chapters = relations.chapters.get(case.slug, [])
    if chapters:
        out += ["## Guide chapters that use this case", ""]
        out += [f"- [{md(c.title or c.uri)}]({rel(uri, c.uri)})" for c in chapters]
        out.append("")

    out += ["## Sources", "", "Each source is followed by the passages of it that this case relies on, in the "
            "source's own words.", "", ctx.slots.add(sources_html(case)), ""]
    out += cite_section(case, ctx)
    out += ["", ctx.slots.add(search_attributes(case, vocab)), ""]
    return "\n".join(out)


#: Where a case's citation files are written, relative to the site root.
CITE_DIR = "data/cite"


def cite_uri(slug: str, extension: str) -> str:
    return f"{CITE_DIR}/{slug}.{extension}"


def cite_section(case: Case, ctx: SiteContext) -> list[str]:
    """'Cite this case': the text, BibTeX and RIS, each with a copy button (cite-copy.js) and a download."""
    uri, url = case_uri(case.slug), ctx.absolute_url(case.slug)
    text = f'<p class="hls-cite" id="hls-cite-text">{_esc(citation_text(case, url, ctx.site_name))}</p>'
    out = ["", "## Cite this case", "", UNINDEXED_START, "", ctx.slots.add(text), ""]
    formats = (("bibtex", "BibTeX", "bib", "LaTeX, BibDesk, JabRef", citation_bibtex(case, url, ctx.site_name)),
               ("ris", "RIS", "ris", "Zotero, EndNote, Mendeley", citation_ris(case, url, ctx.site_name)))
    out.append(ctx.slots.add(_copy_button("hls-cite-text", "Copy the citation", "Citation")))
    out.append("")
    for key, name, extension, readers, text in formats:
        block = (f'<div class="hls-cite-format"><p class="hls-cite-format__name"><strong>{name}</strong> '
                 f"(for {readers})</p>"
                 f'<pre class="hls-cite-code"><code id="hls-cite-{key}">{html.escape(text)}</code></pre>'
                 + _copy_button(f"hls-cite-{key}", f"Copy {name}", name) + "</div>")
        out += [ctx.slots.add(block), "",
                f"[Download {name} (.{extension})]({rel(uri, cite_uri(case.slug, extension))}){{ .hls-download }}",
                ""]
    out += [ctx.slots.add('<p class="hls-copy-status" role="status"></p>'), "", UNINDEXED_END, ""]
    return out


def _copy_button(target: str, label: str, name: str) -> str:
    # Hidden until cite-copy.js can copy; it announces success in the status line after the formats.
    return (f'<button type="button" class="md-button hls-copy" data-copy="{target}" data-name="{_esc(name)}" '
            f"hidden>{_esc(label)}</button>")


def learning_cycles_timeline(case: Case, vocab: Vocabularies, uri: str) -> list[str]:
    """The case's learning cycles as a timeline: an ordered list, earliest first, undated last."""
    if not case.meta.learning_cycles:
        return []
    out = ["## Learning cycles", "", '<div class="hls-timeline" markdown>', ""]
    for number, cycle in enumerate(sorted(case.meta.learning_cycles, key=cycle_year), start=1):
        scale = f"[{md(vocab.scales.label(cycle.scale))} scale]({rel(uri, scale_uri(cycle.scale))})"
        out += [f"{number}. **{md(cycle.when)}** · {scale}", "",
                *(f"    {line}" if line else "" for line in cycle_steps(cycle, lambda t: _cite(md_note(t), case)))]
    return [*out, "</div>", ""]


_YEAR = re.compile(r"\b(\d{4})\b")


def cycle_year(cycle: LearningCycle) -> int:
    """The first year a cycle's ``when`` names, to order a timeline; undated cycles go last."""
    match = _YEAR.search(cycle.when)
    return int(match.group(1)) if match else 9999


def cycle_steps(cycle: LearningCycle, cite: Callable[[str], str]) -> list[str]:
    """What was tried, learned and changed, as a definition list (the case page and the cycles pages)."""
    return ["What was tried", f":   {cite(cycle.tried)}", "", "What was learned", f":   {cite(cycle.learned)}", "",
            "What changed", f":   {cite(cycle.changed)}", ""]


RESULT_LABELS = {"worked": "Worked, the sources say", "partly": "Partly, the sources say",
                 "did-not-work": "Did not work, the sources say", "not-stated": "Not stated in the sources"}


def md_note(text: str) -> str:
    """Escape a note but keep its [S1] citations working."""
    return re.sub(r"\\\[S(\d+)\\\]", r"[S\1]", md(text))


def case_line(case: Case, from_uri: str, vocab: Vocabularies, note: str | None = None) -> str:
    target = rel(from_uri, case_uri(case.slug))
    link = f"[{md(case.title)}]({target})"
    # A note's [S2] is the case's source 2: it links there, not to this page's sources.
    detail = (re.sub(r"\\\[S(\d+)\\\]", lambda m: f"[\\[S{m.group(1)}\\]]({target}#source-{m.group(1)})", md(note))
              if note else md(case.meta.summary))
    return f"- {link} ({md(case.meta.place)}, {period_text(case)}): {detail}"


def case_card(case: Case, from_uri: str, vocab: Vocabularies) -> list[str]:
    """A case in a listing: what tells it apart (place, period, link to HLS, sectors, scales), not the
    principles nearly every case shows."""
    meta = case.meta
    facts = " · ".join([md(vocab.hls_links.label(meta.hls_link)),
                        ", ".join(md(vocab.sectors.label(s)) for s in meta.sectors),
                        ", ".join(md(vocab.scales.label(s)) for s in meta.scales)])
    return [f"### [{md(case.title)}]({rel(from_uri, case_uri(case.slug))})", "",
            f"{md(meta.place)} · {period_text(case)}", "{ .hls-card__meta }", "",
            md(meta.summary), "", facts, "{ .hls-card__facts }", ""]


def _paginate(uri: str, title: str, items: list, size: int, item_lines: Callable[[object, str], list[str]], *,
              intro: list[str], before: list[str] | None = None, front: list[str] | None = None,
              body: tuple[list[str], list[str]] = ([], []), repeat_intro: bool = False) -> list[tuple[str, str]]:
    """Split ``items`` into pages of ``size``: page 1 at ``uri`` (``x.md`` or ``x/index.md``), page n at
    ``x/page/n.md``, each with previous/next links. ``item_lines(item, page_uri)`` writes one item with
    links relative to the page it lands on."""
    base = uri.removesuffix(".md").removesuffix("/index")
    count = max(1, math.ceil(len(items) / size))
    uris = [uri] + [f"{base}/page/{n}.md" for n in range(2, count + 1)]
    pages = []
    for number, page_uri in enumerate(uris, start=1):
        heading = title if number == 1 else f"{title} (page {number} of {count})"
        out = ["---", f"title: {json_str(heading)}", "search: false", *(front or []), "---", "",
               f"# {md(heading)}", ""]
        if number == 1 or repeat_intro:
            out += [*intro, ""]
        if number == 1:
            out += before or []
        out += body[0]
        for item in items[(number - 1) * size: number * size]:
            out += item_lines(item, page_uri)
        if count > 1:
            links = [f"Page {number} of {count}"]
            if number > 1:
                links.insert(0, f"[Previous page]({rel(page_uri, uris[number - 2])})")
            if number < count:
                links.append(f"[Next page]({rel(page_uri, uris[number])})")
            out += ["", " · ".join(links), "{ .hls-pagination }", ""]
        out += body[1]
        pages.append((page_uri, "\n".join(out) + "\n"))
    return pages


def listing_pages(uri: str, title: str, intro: list[str], cases: list[Case], ctx: SiteContext,
                  before: list[str] | None = None) -> list[tuple[str, str]]:
    """A list of case cards split into pages of ``ctx.page_size``, so no listing page grows without bound."""
    return _paginate(
        uri, title, cases, ctx.page_size, lambda case, page_uri: case_card(case, page_uri, ctx.vocab),
        intro=intro, before=before, front=["hide: [navigation, toc]" if before else "hide: [toc]"],
        body=(['<div class="hls-static-list" markdown>', "", "## Cases", ""], ["</div>", ""]),
    )


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 case', '2 cases', '0 cases': a count with its noun in agreement."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def json_str(text: str) -> str:
    """A YAML-safe double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


BROWSE_UI = '<div id="hls-browse" class="hls-browse" data-index="../data/browse.json" data-root="../" hidden></div>'


def cases_index(ctx: SiteContext) -> list[tuple[str, str]]:
    """The cases index: a filterable browser (with JavaScript) over a paginated list (without)."""
    cases = ctx.library.sorted_cases()
    intro = [f"{plural(len(cases), 'case study', 'case studies')} of Human Learning Systems in practice, each built "
             "from public sources. Find them by words, by place (country, then nation or region), sector, scale, "
             "practice or obstacle, or on a map; the number beside a choice is how many of the cases your other "
             "filters leave have it."]
    return listing_pages(f"{CASES_DIR}/index.md", "Cases", intro, cases, ctx, before=[ctx.slots.add(BROWSE_UI), ""])


def group_pages(kind: str, groups: dict[str, Group], ctx: SiteContext) -> list[tuple[str, str]]:
    """One page (or a few) per organisation or country, plus an index of them."""
    folder = ORGANISATIONS_DIR if kind == "organisation" else COUNTRIES_DIR
    pages = []
    ordered = sorted(groups.values(), key=lambda g: _group_name(kind, g).casefold())
    for group in ordered:
        name = _group_name(kind, group)
        count = len(group.cases)
        intro = [f"{plural(count, 'case')} in the library {'involves' if count == 1 else 'involve'} {md(name)}."
                 if kind == "organisation" else
                 f"{plural(count, 'case')} in the library {'comes' if count == 1 else 'come'} from "
                 f"{md(country_phrase(group.name))}."]
        if kind == "country":
            intro += ["", *_by_subdivision(group, folder)]
        pages += listing_pages(f"{folder}/{group.slug}.md", name, intro, group.cases, ctx)
    title = "Organisations" if kind == "organisation" else "Countries"
    index = f"{folder}/index.md"

    def entry(group: Group, page_uri: str) -> list[str]:
        target = rel(page_uri, f"{folder}/{group.slug}.md")
        return [f"- [{md(_group_name(kind, group))}]({target}) ({len(group.cases)})"]

    noun = {"organisation": ("organisation", "organisations"), "country": ("country", "countries")}[kind]
    intro = [f"{plural(len(ordered), *noun)} {'appears' if len(ordered) == 1 else 'appear'} in the library's cases."]
    return [*_paginate(index, title, ordered, ctx.page_size * 4, entry, intro=intro, repeat_intro=True), *pages]


def _by_subdivision(group: Group, folder: str) -> list[str]:
    """'By nation or region: Scotland (8) · Wales (3) · across several (2)', each a link to the filtered index."""
    counts: dict[str | None, int] = {}
    for case in group.cases:
        counts[case.meta.subdivision] = counts.get(case.meta.subdivision, 0) + 1
    named = sorted((code for code in counts if code), key=subdivision_name)
    if not named:
        return []
    index = rel(f"{folder}/{group.slug}.md", CASES_DIR + "/index.md")
    parts = [f"[{md(subdivision_name(code))}]({index}?country={group.name}&subdivision={code}) ({counts[code]})"
             for code in named]
    if None in counts:
        parts.append(f"not one nation or region ({counts[None]})")
    return ["By nation or region: " + " · ".join(parts) + "."]


def _group_name(kind: str, group: Group) -> str:
    return group.name if kind == "organisation" else country_name(group.name)


def home_blocks(markdown: str, ctx: SiteContext, from_uri: str) -> str:
    """Fill the home page's markers with featured and recently added cases."""
    cases = ctx.library.sorted_cases()
    featured = [ctx.library.cases[s] for s in ctx.featured if s in ctx.library.cases] or (
        # complete cases featured in HLS publications first; a small library shows its best documented
        sorted(cases, key=lambda c: (not (c.complete and c.meta.hls_link == "featured"), not c.complete,
                                     -c.documented_sections))[:4])
    recent = recent_cases(ctx.library, 4)  # the feed's order, so the two agree
    for marker, chosen in (("<!-- hls:featured-cases -->", featured), ("<!-- hls:recent-cases -->", recent)):
        lines = [f"- [{md(c.title)}]({rel(from_uri, case_uri(c.slug))}): {md(c.meta.summary)}" for c in chosen]
        markdown = markdown.replace(marker, "\n".join(lines) or "No cases yet.")
    studies = plural(len(cases), "real case study", "real case studies")
    markdown = markdown.replace("<!-- hls:case-studies -->", f"[{studies}]({rel(from_uri, CASES_DIR + '/index.md')})")
    return markdown.replace("<!-- hls:case-count -->", str(len(cases)))


def principle_cases(principle: str, ctx: SiteContext) -> str:
    """The listing appended to a principle page: the cases that show it, with their notes, by scale.

    Each scale lists at most ``ctx.page_size`` cases (newest first) and links to the filtered cases
    index for the rest, so the page stays bounded however large the library grows.
    """
    uri = principle_uri(principle)
    cases = ctx.relations.by_principle.get(principle, [])
    label = ctx.vocab.principles.label(principle)
    out = ["", f"## Cases that show the {md(label)} principle", ""]
    if not cases:
        return "\n".join([*out, "No case in the library shows this principle yet."])
    browse = f"{rel(uri, CASES_DIR + '/index.md')}?principle={principle}"
    one = len(cases) == 1
    every, works, shows = ("the case", "it works", "shows") if one else (f"all {len(cases)} cases", "they work", "show")
    out += [f"{plural(len(cases), 'case')}, grouped by the scale {works} at. A case that works at several scales "
            f"appears under each. [Filter {every} that {shows} {md(label)}]({browse}).", "", UNINDEXED_START, ""]
    for scale in ctx.vocab.scales:
        at_scale = [c for c in cases if scale.id in c.meta.scales]
        if not at_scale:
            continue
        out += [f"### {md(scale.label)}", ""]
        shown = sorted(at_scale, key=lambda c: (c.added, c.title), reverse=True)[: ctx.page_size]
        out += [case_line(c, uri, ctx.vocab, note=c.meta.principles[principle])
                for c in sorted(shown, key=lambda c: c.title.casefold())]
        if len(at_scale) > len(shown):
            out += ["", f"These are the {len(shown)} most recently added of {len(at_scale)}; "
                        f"[filter the cases index]({browse}&scale={scale.id}) to see them all."]
        out.append("")
    return "\n".join([*out, UNINDEXED_END, ""])


def chapter_cases(page: ContentPage, library: Library) -> str:
    """The 'cases in this chapter' block appended to a guide page that names cases."""
    cases = [library.cases[s] for s in page.cases if s in library.cases]
    if not cases:
        return ""
    out = ["", "## Cases that illustrate this chapter", "", UNINDEXED_START, ""]
    out += [f"- [{md(c.title)}]({rel(page.uri, case_uri(c.slug))}): {md(c.meta.summary)}" for c in cases]
    return "\n".join([*out, "", UNINDEXED_END]) + "\n"
