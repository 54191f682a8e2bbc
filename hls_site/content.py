"""Teaching pages (principles/ and guide/): their front matter and the cases they cite."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from .loading import read_bounded, read_source
from .paths import display_path
from .problems import Problem
from .project import Project
from .schema import Name, Source
from .validation import FileCache, Library, case_files, load_library
from .vocabularies import Vocabularies


class PageSource(Source):
    """A source of a principle or guide page: a case's source, plus who wrote it and a short note."""

    authors: Name | None = Field(default=None, description="Optional: who wrote it.")
    note: Name | None = Field(default=None, description="Optional: what it is ('Summary', 'Case study').")


@dataclass
class ContentPage:
    """A principles/ or guide/ page as the site will place it."""

    uri: str  # site path, e.g. "guide/learning-cycles.md"
    path: Path
    display_path: str
    title: str | None
    cases: list[str] = field(default_factory=list)  # slugs the page names as illustrations
    sources: list[PageSource] = field(default_factory=list)  # numbered [S1], [S2], ... as on case pages


def content_files(folder: Path, prefix: str) -> list[tuple[str, Path]]:
    """(site uri, file) for every Markdown file under ``folder``."""
    if not folder.is_dir():
        return []
    return [
        (f"{prefix}/{p.relative_to(folder).as_posix()}", p)
        for p in sorted(folder.rglob("*.md"))
        if not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    ]


def load_content_page(uri: str, path: Path, display: str, known_slugs: set[str]) -> tuple[ContentPage, list[Problem]]:
    """Read a teaching page's front matter; a page without front matter is fine."""
    data, why = read_bounded(path)
    if data is None:
        return ContentPage(uri, path, display, None), [Problem(display, 1, 1, "file", why)]
    if not data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        return ContentPage(uri, path, display, None), []
    source, problems = read_source(path, display)
    if source is None:
        return ContentPage(uri, path, display, None), problems
    title = source.meta.get("title")
    page = ContentPage(uri, path, display, title if isinstance(title, str) else None)
    entries = source.meta.get("sources") or []
    if not isinstance(entries, list):
        problems.append(source.problem(("sources",), "expected a list of sources, one '- title: ...' per source"))
        entries = []
    for index, entry in enumerate(entries):
        try:
            page.sources.append(PageSource.model_validate(entry))
        except ValidationError as exc:
            for error in exc.errors():
                where = ("sources", index, *error["loc"])
                problems.append(source.problem(where, f"{error['msg']}; write title, url, publisher and year"))
    cases = source.meta.get("cases", [])
    if not isinstance(cases, list):
        return page, [source.problem(("cases",), "expected a list of case slugs, one '- slug' per line")]
    for index, slug in enumerate(cases):
        if not isinstance(slug, str) or slug not in known_slugs:
            problems.append(source.problem(
                ("cases", index), f"no case 'cases/{slug}.md'; name an existing case by its file name"))
        elif slug not in page.cases:
            page.cases.append(slug)
    return page, problems


@dataclass
class SiteContent:
    """Everything the site is built from, validated; ``problems`` lists what was left out."""

    library: Library
    pages: dict[str, ContentPage]
    problems: list[Problem]


def load_site_content(project: Project, vocab: Vocabularies, cache: FileCache | None = None) -> SiteContent:
    """Validate every case and every teaching page of a project, in one pass (``cache``: see FileCache)."""
    library = load_library(project.cases_dir, vocab, root=project.root, cache=cache)
    problems = list(library.problems)
    known = {p.stem for p in case_files(project.cases_dir)}
    pages: dict[str, ContentPage] = {}
    for prefix, folder in (("principles", project.principles_dir), ("guide", project.guide_dir)):
        for uri, path in content_files(folder, prefix):
            page, page_problems = load_content_page(uri, path, display_path(path, project.root), known)
            pages[uri] = page
            problems += page_problems
    return SiteContent(library, pages, problems)
