"""Every generated page and data file of a site, made one way for every generator.

The MkDocs plugin and ``hls stage`` both call :func:`generate` and :func:`page_markdown`; the plugin
hands the result to MkDocs' events, ``hls stage`` writes it into a docs tree. So a case page, a
listing or an export is the same whichever generator builds the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import casemap, exports, json_schema, obstacle_pages, render, schema_docs
from .content import ContentPage, SiteContent
from .relations import Relations, build_relations
from .sanitise import Slots
from .validation import Case
from .vocabularies import Vocabularies

#: Generated listings that appear in the navigation; their further pages and per-group pages do not.
LISTED = frozenset({"cases/index.md", "organisations/index.md", "countries/index.md",
                    obstacle_pages.OBSTACLES_INDEX, obstacle_pages.CYCLES_INDEX})


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The site path MkDocs gives a source file: 'cases/a.md' -> 'cases/a/', 'x/index.md' -> 'x/'."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if directory_urls else stem + ".html"


@dataclass
class SitePages:
    """What a build adds to the site: case pages, listings and data files, and their shared context."""

    context: render.SiteContext
    relations: Relations
    cases: dict[str, Case]  # uri -> case (the page is render.case_page of it)
    listings: dict[str, str] = field(default_factory=dict)  # uri -> Markdown
    data: dict[str, str] = field(default_factory=dict)  # uri -> file text
    content_pages: dict[str, ContentPage] = field(default_factory=dict)

    def is_content(self, uri: str) -> bool:
        """Pages made from contributed files or their data: these pass the sanitiser."""
        return uri in self.cases or uri in self.content_pages or uri in self.listings


def generate(content: SiteContent, vocab: Vocabularies, *, site_url: str, site_name: str, page_size: int = 50,
             featured: tuple[str, ...] = (), slots: Slots | None = None, directory_urls: bool = True) -> SitePages:
    """Every generated page and data file. ``site_url`` is the normalised address ('' for none)."""
    library = content.library
    relations = build_relations(library, list(content.pages.values()), vocab)
    root = site_url or "/"

    def absolute_url(slug: str) -> str:  # for exports, citations and the feed
        return root + page_url(render.case_uri(slug), directory_urls)

    def site_path(slug: str) -> str:  # relative to the site root, for the browser
        return page_url(render.case_uri(slug), directory_urls)

    context = render.SiteContext(library, relations, vocab, site_name=site_name, absolute_url=absolute_url,
                                 page_size=page_size, featured=featured, slots=slots or Slots())
    pages = SitePages(context, relations, {render.case_uri(s): c for s, c in library.cases.items()},
                      content_pages=dict(content.pages))
    generated = render.cases_index(context)
    generated += render.group_pages("organisation", relations.organisations, context)
    generated += render.group_pages("country", relations.countries, context)
    generated += obstacle_pages.obstacle_pages(context) + obstacle_pages.cycle_pages(context)
    pages.listings = dict(generated)
    map_panels, positions = casemap.build(library)  # the map of cases: outlines, and each case's point
    pages.data = {
        "data/cases.json": exports.cases_json(library, absolute_url),
        "data/cases.csv": exports.cases_csv(library, absolute_url, vocab),
        "data/browse.json": exports.browse_index(library, vocab, site_path, positions),
        "data/map.json": casemap.dumps(map_panels),
        "data/case.schema.json": json_schema.dumps(json_schema.case_json_schema(vocab, root + "data/case.schema.json")),
        "feed.xml": exports.atom_feed(library, absolute_url, site_name, root, root + "feed.xml"),
    }
    for slug, case in library.cases.items():  # "Cite this case" downloads, one pair a case
        pages.data[render.cite_uri(slug, "bib")] = exports.citation_bibtex(case, absolute_url(slug), site_name)
        pages.data[render.cite_uri(slug, "ris")] = exports.citation_ris(case, absolute_url(slug), site_name)
    return pages


def page_markdown(uri: str, markdown: str, pages: SitePages, *, worksheet: bool = False) -> str:
    """A page's Markdown as the site shows it: a case page, or a file's own text with what we add to it."""
    if uri in pages.cases:
        return render.case_page(pages.cases[uri], pages.context)
    ctx = pages.context
    if uri in pages.content_pages:  # a principle or guide page: its listings, then its numbered sources
        page = pages.content_pages[uri]
        extra = render.chapter_cases(page, ctx.library)
        stem = uri.removeprefix("principles/").removesuffix(".md")
        if uri.startswith("principles/") and stem in ctx.vocab.principles:
            extra = render.principle_cases(stem, ctx) + "\n" + extra
        markdown = render.teaching_page(page, markdown, extra, ctx.slots, ctx.library)
    if worksheet:  # printable forms get their own print layout
        markdown = f'<div class="hls-worksheet" markdown>\n\n{markdown}\n\n</div>\n'
    if "<!-- hls:" in markdown:
        markdown = obstacle_pages.fill_glossary(schema_docs.fill(markdown), ctx.vocab, uri)
        markdown = render.home_blocks(markdown, ctx, uri)
    return markdown
