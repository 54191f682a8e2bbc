"""``hls stage DIR``: the whole site as a plain docs tree that a generator without plugins can build.

Zensical (and any generator that reads ``mkdocs.yml`` but runs no MkDocs plugins) cannot make our
pages. So this writes them first, with the same functions the plugin uses (:mod:`hls_site.pages`):

- ``DIR/docs/``: the project's ``docs/`` pages (markers filled) as Markdown; every page made from
  contributed content (cases, principles, guide) or their data (listings, organisation and country
  pages) as **sanitised HTML** inside a Markdown file; the data exports; our stylesheets and scripts.
- ``DIR/overrides/``: the theme layer (Pagefind search, the 404 page) with the site's path written in.
- ``DIR/mkdocs.yml``: the project's configuration without plugins.

Why HTML for content pages: the plugin sanitises those pages after rendering and then fills in the
markup only we may write (:class:`hls_site.sanitise.Slots`). A generator we do not control would
render content Markdown without that second wall, so we render it here, pass it through the same
``Slots.fill`` (allowlist, then our markup), and stage the result. The generator only wraps it.
"""

from __future__ import annotations

import posixpath
import shutil
import xml.etree.ElementTree as etree
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import markdown
import yaml
from markdown.treeprocessors import Treeprocessor

from . import pages, site_address
from .content import load_site_content
from .problems import format_text, summary_line
from .project import Project
from .sanitise import Slots, plain_text
from .table_align import TableAlignExtension
from .vocabularies import load_vocabularies

#: Markdown extensions the generated pages rely on (as the plugin adds them).
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "def_list", "tables")
THEME = resources.files("hls_site") / "theme"
ALLOWED_META = ("title", "hide", "search", "worksheet")


class StageError(Exception):
    """The project cannot be staged (invalid content, no mkdocs.yml); the message says why."""


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml; tags such as !ENV or !!python/name are kept as None rather than refused."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict:
    if not path.is_file():
        raise StageError(f"no mkdocs.yml in {path.parent}; run from the project folder or use --root")
    return yaml.load(path.read_text("utf-8"), Loader=_Loader) or {}  # noqa: S506 (a SafeLoader subclass)


def plugin_options(config: dict) -> dict:
    for entry in config.get("plugins") or []:
        if entry == "hls":
            return {}
        if isinstance(entry, dict) and "hls" in entry:
            return entry["hls"] or {}
    return {}


class _Links(Treeprocessor):
    """Turns '.md' links into the page addresses a generator gives them, from the site's root path.

    Generators disagree on relative links inside HTML: MkDocs leaves them as written, Zensical
    rebases them as if they were Markdown links. A path from the site's root means the same to both.
    """

    def __init__(self, md: markdown.Markdown, uri: str, base: str) -> None:
        super().__init__(md)
        self.uri, self.base = uri, base

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value:
                    element.set(attribute, _relink(value, self.uri, self.base))


def _relink(value: str, uri: str, base: str) -> str:
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return value
    target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), parts.path))
    if not parts.path.endswith(".md"):  # a data file a page links to (a case's .bib): from the root too
        return base + target if posixpath.splitext(parts.path)[1] else value
    return (base + pages.page_url(target) + (f"?{parts.query}" if parts.query else "")
            + (f"#{parts.fragment}" if parts.fragment else ""))


class _Renderer:
    def __init__(self, config: dict, base: str) -> None:
        self.base = base
        self.extensions: list = []
        self.configs: dict = {}
        for entry in [*(config.get("markdown_extensions") or []), *REQUIRED_EXTENSIONS]:
            name, options = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
            if name not in self.extensions:
                self.extensions.append(name)
                if options:
                    self.configs[name] = options

    def html(self, text: str, uri: str) -> str:
        md = markdown.Markdown(extensions=[*self.extensions, TableAlignExtension()], extension_configs=self.configs)
        md.treeprocessors.register(_Links(md, uri, self.base), "hls_stage_links", 0)
        return md.convert(text)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _html_page(meta: dict, html: str) -> str:
    head = yaml.safe_dump({k: meta[k] for k in ALLOWED_META if k in meta}, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n<div class=\"hls-staged\">\n{html}\n</div>\n"


def stage_site(root: Path, target: Path, site_url: str) -> str:
    """Write the staged tree for the project at ``root`` into ``target``; return a one-line report."""
    root = root.resolve()
    config = read_config(root / "mkdocs.yml")
    options = plugin_options(config)
    project = Project.at(root, options.get("cases_dir", "cases"), options.get("principles_dir", "principles"),
                         options.get("guide_dir", "guide"), options.get("vocabularies_dir", "vocabularies"))
    vocab = load_vocabularies(project.vocabularies_dir)
    content = load_site_content(project, vocab)
    if content.problems:
        raise StageError(f"invalid content:\n{format_text(content.problems)}\n{summary_line(content.problems)}")
    slots = Slots()
    site = pages.generate(content, vocab, site_url=site_url, site_name=str(config.get("site_name") or ""),
                          page_size=int(options.get("page_size", 50)),
                          featured=tuple(options.get("featured") or ()), slots=slots)
    docs_src = root / str(config.get("docs_dir") or "docs")
    docs = target / "docs"
    for folder in (docs, target / "overrides"):
        if folder.exists():
            shutil.rmtree(folder)
    renderer = _Renderer(config, site_address.base_path(site_url))
    counts = {"markdown": 0, "html": 0, "data": 0}

    # The site's own pages: trusted Markdown, markers filled as the plugin fills them.
    if docs_src.is_dir():
        shutil.copytree(docs_src, docs)
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        text = path.read_text("utf-8")
        if "<!-- hls:" in text:
            path.write_text(_fill(text, path.relative_to(docs).as_posix(), site), "utf-8")
        counts["markdown"] += 1

    # Pages made from contributed content or its data: rendered and sanitised here (the second wall).
    def html_page(uri: str, meta: dict, body: str) -> None:
        _write(docs / uri, _html_page(meta, slots.fill(renderer.html(body, uri))))
        counts["html"] += 1

    for uri, case in site.cases.items():
        html_page(uri, {"title": plain_text(case.title)}, pages.page_markdown(uri, "", site))
    for uri, page in site.content_pages.items():
        post = frontmatter.loads(page.path.read_text("utf-8"))
        meta = {k: v for k, v in post.metadata.items() if k in ALLOWED_META}
        if isinstance(meta.get("title"), str):
            meta["title"] = plain_text(meta["title"])
        html_page(uri, meta, pages.page_markdown(uri, post.content, site, worksheet=bool(meta.get("worksheet"))))
    for uri, text in site.listings.items():
        post = frontmatter.loads(text)
        html_page(uri, dict(post.metadata), post.content)
    for uri, text in site.data.items():
        _write(docs / uri, text)
        counts["data"] += 1

    _stage_theme(target, docs, site_address.base_path(site_url))
    _write(target / "mkdocs.yml", _staged_config(config, site_url))
    return (f"Staged into {target}: {counts['markdown']} Markdown pages, {counts['html']} pages as sanitised "
            f"HTML, {counts['data']} data files; build it with a generator, then index it with "
            "`python -m pagefind --site SITE`")


def _fill(text: str, uri: str, site: pages.SitePages) -> str:
    try:  # the options table is written from the MkDocs config class, when MkDocs is installed
        from .mkdocs_plugin.options_docs import OPTIONS_MARKER, fill_options
        if OPTIONS_MARKER in text:
            text = fill_options(text)
    except ImportError:  # pragma: no cover (MkDocs is a dependency today)
        pass
    return pages.page_markdown(uri, text, site)


def _stage_theme(target: Path, docs: Path, base: str) -> None:
    """Templates go to overrides/ with the site's path written in; stylesheets and scripts to docs/."""
    overrides = target / "overrides"
    for source in _walk(THEME):
        relative = source[0]
        if relative.startswith("assets/"):
            _write(docs / relative, source[1].read_text("utf-8"))
        else:
            _write(overrides / relative, source[1].read_text("utf-8").replace("{{ hls_base_path }}", base))


def _walk(folder, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    for item in folder.iterdir():
        name = f"{prefix}{item.name}"
        out += _walk(item, name + "/") if item.is_dir() else [(name, item)]
    return out


def _staged_config(config: dict, site_url: str) -> str:
    staged = {k: v for k, v in config.items() if k not in ("plugins", "docs_dir", "edit_uri", "hooks")}
    staged["docs_dir"] = "docs"
    if site_url:
        staged["site_url"] = site_url
    staged["plugins"] = []  # search is Pagefind's, run after the build
    theme = dict(staged.get("theme") or {"name": "material"})
    theme["custom_dir"] = "overrides"
    staged["theme"] = theme
    staged["extra_css"] = ["assets/hls/print.css", "assets/hls/hls.css",
                           *[c for c in config.get("extra_css") or [] if not str(c).startswith("assets/hls/")]]
    staged["extra_javascript"] = [*[j for j in config.get("extra_javascript") or []
                                    if not str(j).startswith("assets/hls/")],
                                  "assets/hls/browse.js", "assets/hls/cite.js"]
    extensions = list(config.get("markdown_extensions") or [])
    names = [next(iter(e)) if isinstance(e, dict) else e for e in extensions]
    extensions += [e for e in REQUIRED_EXTENSIONS if e not in names]
    extensions.append("hls_site.table_align")
    staged["markdown_extensions"] = extensions
    note = ("# Written by `hls stage`: every generated page is already in docs/, so no plugin is needed.\n"
            "# Edit the project's own mkdocs.yml, not this copy.\n")
    return note + yaml.safe_dump(staged, allow_unicode=True, sort_keys=False)

