"""Check every internal link and anchor in a built site, offline, in one pass over the files."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(values[key])
        attr = _LINK_ATTRS.get(tag)
        if attr and values.get(attr):
            self.links.append(values[attr])


@dataclass(frozen=True)
class BrokenLink:
    page: str
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.reason}"


def _target(site: Path, page: Path, link: str, prefix: str) -> tuple[Path | None, str]:
    parts = urlsplit(link)
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(prefix):
            return None, parts.fragment
        target = site / path[len(prefix):]
    elif path:
        target = page.parent / path
    else:
        target = page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target.resolve(), parts.fragment


def check_site(site: Path, base_path: str = "/") -> list[BrokenLink]:
    """Links that point at a missing file or a missing anchor, across every HTML page."""
    site = site.resolve()
    prefix = base_path if base_path.endswith("/") else base_path + "/"
    pages: dict[Path, _Page] = {}
    for file in site.rglob("*.html"):
        parser = _Page()
        parser.feed(file.read_text("utf-8", errors="replace"))
        pages[file.resolve()] = parser
    broken = []
    for file, parsed in pages.items():
        for link in parsed.links:
            if urlsplit(link).scheme or link.startswith(("//", "mailto:", "data:", "javascript:")):
                continue
            target, fragment = _target(site, file, link, prefix)
            name = file.relative_to(site).as_posix()
            if target is None:
                broken.append(BrokenLink(name, link, f"outside the site's base path {prefix}"))
            elif not target.exists():
                broken.append(BrokenLink(name, link, "no such file"))
            elif fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                broken.append(BrokenLink(name, link, f"no anchor #{fragment}"))
    return broken
