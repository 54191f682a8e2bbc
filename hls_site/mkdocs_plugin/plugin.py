"""The ``hls`` MkDocs plugin: a thin adapter from the core to MkDocs' events.

It brings cases/, principles/ and guide/ into the build from where they live, turns the core's
generated Markdown into pages, and runs Pagefind after the build. All the knowledge of cases
lives in the core; this module only maps it onto MkDocs.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import os
import re
from importlib import resources
from pathlib import Path

from mkdocs.config.base import ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .. import drafts, pages, render, site_address
from ..abbreviations import expand_first
from ..content import ContentPage, load_site_content
from ..mentions import unlinked_mentions
from ..problems import Problem, format_text, summary_line
from ..project import Project
from ..relations import Relations
from ..sanitise import Slots, plain_text
from ..schema import SLUG_RE
from ..search_index import SearchIndexError, demote, run_pagefind
from ..table_align import TableAlignExtension
from ..validation import FileCache, Library, case_files
from ..vocabularies import Vocabularies, VocabularyError, load_vocabularies
from .config import HlsConfig
from .incremental import BackgroundSearch, Fingerprints, TemplateCache, ThemeListing
from .options_docs import OPTIONS_MARKER, fill_options
from .palette_check import palette_warnings

log = logging.getLogger("mkdocs.plugins.hls")
THEME_DIR = str(resources.files("hls_site") / "theme")
#: Markdown extensions the generated pages rely on.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "def_list", "tables")
#: Ids put in after cleaning (a case's sources), so MkDocs' anchor check knows pages that cite them.
SOURCE_ID = re.compile(r'\bid="(source-\d+)"')


base_path = site_address.base_path  # kept under its old name for tests and other adapters


def _body_line(path: Path, body: str) -> int:
    """The line of ``path`` where ``body`` (the page without its front matter) starts."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    at = text.find(body.strip()[:200])
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


class HlsPlugin(BasePlugin[HlsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.library = Library({})
        self.relations = Relations()
        self.pages: dict[str, ContentPage] = {}
        self.drafts: dict[str, tuple[str, str]] = {}  # uri -> (title, Markdown): invalid cases, serve only
        # The preview (hls serve, or mkdocs serve --dirty) keeps what it can between builds:
        self.incremental = False
        self.cache = FileCache()
        self.fingerprints = Fingerprints()
        self.search_job = BackgroundSearch()
        self.search_ready = False
        self._vocab_key: tuple | None = None
        self.template_cache = TemplateCache()
        self.theme_listing = ThemeListing()

    def load_config(self, options, config_file_path=None):
        # An unknown option is an error, not a warning: a typo must not pass silently.
        errors, warnings = super().load_config(options, config_file_path)
        for key, message in list(warnings):
            if "Unrecognised configuration name" in str(message):
                guess = difflib.get_close_matches(key, list(self.config_scheme_keys()), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                errors.append((key, ValidationError(f"unknown option of the hls plugin{hint}")))
                warnings.remove((key, message))
        return errors, warnings

    def config_scheme_keys(self):
        return [name for name, _ in self.config_scheme]

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.is_serve = command == "serve"
        # With --dirty (as hls serve runs it) only the pages an edit changed are built again.
        self.incremental = self.is_serve and dirty

    def on_shutdown(self) -> None:
        self.search_job.stop()

    def on_pre_build(self, *, config) -> None:
        # A save while the last save's index is still being written: stop that index, so the build
        # has the machine to itself; a fresh one follows the new page.
        if self.is_serve:
            self.search_job.stop()

    def on_config(self, config):
        root = Path(config.config_file_path or ".").parent
        try:  # $HLS_SITE_URL (set by `hls build --site-url`, or by CI) wins over mkdocs.yml
            config.site_url = site_address.from_environment(config.site_url) or None
            if os.environ.get(site_address.PRODUCTION_ENV_VAR) and not self.is_serve:
                site_address.check_production(config.site_url or "")
        except site_address.SiteAddressError as exc:
            raise PluginError(str(exc)) from None
        self.project = Project.at(
            root, self.config.cases_dir, self.config.principles_dir, self.config.guide_dir,
            self.config.vocabularies_dir,
        )
        for folder in (self.project.cases_dir, self.project.principles_dir, self.project.guide_dir,
                       self.project.vocabularies_dir):
            if folder and folder.is_dir() and str(folder) not in config.watch:
                config.watch.append(str(folder))
        dirs = config.theme.dirs
        if THEME_DIR not in dirs:  # after the site's own custom_dir, before Material's templates
            dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
        for stylesheet in ("assets/hls/print.css", "assets/hls/hls.css"):
            if stylesheet not in config.extra_css:
                config.extra_css.insert(0, stylesheet)
        for script in ("assets/hls/browse.js", "assets/hls/cite.js", "assets/hls/reading.js", "assets/hls/search.js"):
            if not any(str(existing) == script for existing in config.extra_javascript):
                config.extra_javascript.append(script)
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        # Table alignment as classes, not style attributes (which the CSP and the sanitiser refuse).
        config.markdown_extensions.append(TableAlignExtension())
        for warning in palette_warnings(config, root):
            log.warning(warning)
        if self.incremental:
            self.theme_listing.install(config.theme)
        return config

    @event_priority(50)  # before other generators, so they can see our pages
    def on_files(self, files: Files, *, config) -> Files:
        vocab = self._load_vocabularies()
        self.vocab: Vocabularies = vocab
        content = load_site_content(self.project, vocab, self.cache if self.is_serve else None)
        self.pages = content.pages
        self._report(content.problems)
        self.library = content.library
        # A new token each build: content cannot forge our markup.
        self.slots = Slots()
        self.site = pages.generate(
            content, vocab, site_url=site_address.normalise(config.site_url or ""), site_name=config.site_name,
            page_size=self.config.page_size, featured=tuple(self.config.featured), slots=self.slots,
            directory_urls=config.use_directory_urls,
        )
        self.relations = self.site.relations
        self.context = self.site.context
        self.case_uris = self.site.cases
        for uri, case in self.case_uris.items():
            self._add(files, config, uri, case.path, InclusionLevel.NOT_IN_NAV)
        for uri, page in self.pages.items():
            self._add(files, config, uri, page.path)
        self.generated_uris = set(self.site.listings)
        for uri, markdown in self.site.listings.items():
            file = File.generated(config, uri, content=markdown)
            if uri not in pages.LISTED:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            self._replace(files, file)
        self.data_files = [File.generated(config, uri, content=text) for uri, text in self.site.data.items()]
        for file in self.data_files:
            self._replace(files, file)
        self.drafts = {}
        if self.is_serve:  # an invalid case still gets a page in the preview: its problems, then the case
            self._add_drafts(files, config, content.problems)
        if self.incremental:
            self._mark_unchanged(files, config)
        root = self.project.root
        for file in files:  # edit links point at the file where it really lives
            if file.abs_src_path and Path(file.abs_src_path).is_relative_to(root):
                file.edit_uri = Path(file.abs_src_path).relative_to(root).as_posix()
        return files

    def _is_content(self, uri: str) -> bool:
        """Pages made from contributed files or from their data: these are sanitised."""
        return self.site.is_content(uri) or uri in self.drafts

    def _is_help(self, uri: str) -> bool:
        """The site's own help pages (docs/ other than the home page): not the library itself."""
        library = ("cases/", "principles/", "guide/", "organisations/", "countries/")
        return uri != "index.md" and not self._is_content(uri) and not uri.startswith(library)

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        uri = page.file.src_uri
        if uri in self.case_uris:
            case = self.case_uris[uri]
            # The case file's front matter is data, not page settings (no 'template', no 'hide').
            page.meta = {"title": plain_text(case.title)}
            page.title = page.meta["title"]
            return pages.page_markdown(uri, markdown, self.site)
        if uri in self.drafts:
            title, markdown = self.drafts[uri]
            page.meta = {"title": plain_text(title)}
            page.title = page.meta["title"]
            return markdown
        if self._is_content(uri):
            allowed = {"title", "cases", "worksheet", "hide", "search"}
            page.meta = {k: v for k, v in page.meta.items() if k in allowed}
            title = page.meta.get("title")
            if isinstance(title, str):
                page.meta["title"] = plain_text(title)
        if uri in self.pages:  # a teaching page that names a case should link it
            first_line = _body_line(self.pages[uri].path, markdown)
            for mention in unlinked_mentions(markdown, self.library.sorted_cases(), first_line):
                target = render.rel(uri, render.case_uri(mention.slug))
                log.warning(f"{self.pages[uri].display_path}:{mention.line}: names the case '{mention.name}' "
                            f"without linking it; link it where it is named: [{mention.name}]({target})")
        if OPTIONS_MARKER in markdown:
            markdown = fill_options(markdown)
        return pages.page_markdown(uri, markdown, self.site, worksheet=bool(page.meta.get("worksheet")))

    def on_page_content(self, html: str, *, page, config, files) -> str:
        # The second wall: whatever content produced passes the allowlist; then our own markup goes in.
        if self._is_help(page.file.src_uri):
            html = demote(html)
        if self._is_content(page.file.src_uri):
            html = self.slots.fill(expand_first(html))
            if page.present_anchor_ids is not None:  # our own anchors (sources), which other pages cite
                page.present_anchor_ids |= set(SOURCE_ID.findall(html))
            if page.title and page.file.src_uri not in self.case_uris and any(c in str(page.title) for c in '<>"'):
                page.title = plain_text(str(page.title))
        return html

    def on_env(self, env, *, config, files):
        # Pagefind's result URLs are root-relative; the theme prefixes them with the site's path.
        env.globals["hls_base_path"] = base_path(config.site_url)
        if self.is_serve:  # MkDocs makes a new environment each build: keep the compiled templates
            env.bytecode_cache = self.template_cache
        return env

    def on_nav(self, nav, *, config, files):
        if self.incremental:  # pages not built again keep the titles the navigation showed
            self.fingerprints.restore_titles(nav)
        return nav

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.incremental:
            self.fingerprints.built(page)
        return output

    def on_post_build(self, *, config) -> None:
        if self.incremental:
            self.fingerprints.finish(Path(config.site_dir))
        if not self.config.search:
            return
        if self.is_serve and self.search_ready:  # the preview shows an edit at once; search catches up just after
            self.search_job.start(Path(config.site_dir))
            return
        try:
            report = run_pagefind(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        log.debug(report)
        log.info("Search index built with Pagefind")
        self.search_ready = True  # the preview's first build indexes before serving; later ones, in the background

    # helpers

    def _load_vocabularies(self) -> Vocabularies:
        """The vocabularies; in the preview, the same object while their files are unchanged."""
        folder = self.project.vocabularies_dir
        key = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*"))) if folder \
            else ()
        if self.is_serve and key == self._vocab_key:
            return self.vocab
        try:
            vocab = load_vocabularies(folder)
        except VocabularyError as exc:
            raise PluginError(str(exc)) from None
        self._vocab_key = key
        return vocab

    def _add_drafts(self, files: Files, config, problems: list[Problem]) -> None:
        by_file: dict[str, list[Problem]] = {}
        for problem in problems:
            by_file.setdefault(problem.path, []).append(problem)
        for path in case_files(self.project.cases_dir):
            slug = path.stem
            uri = render.case_uri(slug)
            if uri in self.case_uris or not SLUG_RE.match(slug):
                continue
            display = Path(path).relative_to(self.project.root).as_posix()
            self.drafts[uri] = drafts.draft_page(path, slug, display, by_file.get(display, []), self.slots.add)
            self._add(files, config, uri, path, InclusionLevel.NOT_IN_NAV)

    def _mark_unchanged(self, files: Files, config) -> None:
        """Tell MkDocs' dirty build which pages to build again and which data files to write again."""
        ctx = self.context
        # What every page shows (the configuration, the navigation, hand-written pages' titles): any
        # change to it builds every page again. Hand-written files are read once, for this and below.
        site = hashlib.sha256()
        written: dict[str, bytes] = {}
        if config.config_file_path and Path(config.config_file_path).is_file():
            site.update(Path(config.config_file_path).read_bytes())
        for file in files.documentation_pages():
            if file.inclusion.is_in_nav():
                site.update(f"{file.src_uri}\0".encode())
            if file.abs_src_path and file.src_uri not in self.case_uris and file.src_uri not in self.drafts:
                written[file.src_uri] = Path(file.abs_src_path).read_bytes()
                site.update(written[file.src_uri])

        def page_input(file: File) -> str | tuple:
            uri = file.src_uri
            if uri in self.case_uris:  # a case page is made only if what it shows changed
                return render.case_page_inputs(self.case_uris[uri], ctx)
            if uri in self.drafts:
                return self.drafts[uri][1]
            if uri not in written:
                return file.content_string
            return pages.page_markdown(uri, written[uri].decode("utf-8", errors="replace"), self.site)

        self.fingerprints.mark(files, page_input, self.slots, site.digest(), self.data_files)

    def _report(self, problems: list[Problem]) -> None:
        if not problems:
            return
        text = format_text(problems)
        if self.is_serve:  # keep serving: the valid cases still build
            for line in text.splitlines():
                log.warning(line)
            log.warning(f"{summary_line(problems)}; those files are left out until fixed")
            return
        raise PluginError(f"invalid content:\n{text}\n{summary_line(problems)}; run `hls validate` to check again")

    @staticmethod
    def _add(files: Files, config, uri: str, path: Path, inclusion: InclusionLevel | None = None) -> File:
        file = File.generated(config, uri, abs_src_path=str(path))
        if inclusion is not None:
            file.inclusion = inclusion
        HlsPlugin._replace(files, file)
        return file

    @staticmethod
    def _replace(files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(file)
