"""The second wall: an allowlist HTML sanitiser for everything that content renders.

The validator (the first wall, :mod:`hls_site.safety`) rejects raw HTML, attribute lists and unsafe
link targets in content. Whatever it misses is made inert here: every page built from a case,
principle or guide file, and every generated listing, passes through :func:`clean_html` before it
reaches the theme. Only the elements and attributes that Markdown and our generated pages need
survive; links keep only ``http``, ``https``, ``mailto`` and in-site targets. Markup that needs
more (ids that links point at, Pagefind's ``data-`` attributes, the cases browser) is ours alone and
is put in after cleaning, through :class:`Slots`, which content cannot forge.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import nh3

#: What Python-Markdown (with our extensions) and our generated pages produce.
TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "nav", "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href"},
    "abbr": {"title"},
    "aside": {"aria-label"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
URL_SCHEMES = {"http", "https", "mailto"}
#: Heading ids are made by the table of contents from heading text; ours never look like these.
_HEADING_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,255}$")
#: Ids our own markup and scripts use; a content heading that slugifies to one loses its id.
_RESERVED_ID = re.compile(r"^(?:hls-browse|hls-f-.*|hls-cite-.*|hls-copy-.*|source-\d+|cite-\d+-\d+|md-.*|__.*)$",
                          re.IGNORECASE)
_CLASS = re.compile(r"^[A-Za-z0-9_ -]{0,200}$")
_DIR = {"ltr", "rtl", "auto"}


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _HEADING_ID.match(value) and not _RESERVED_ID.match(value) else None
    if attribute == "class":
        return value if _CLASS.match(value) else None
    if attribute == "dir":
        return value if value in _DIR else None
    if attribute in ("href", "src"):
        # Relative links stay relative: the build made them. Scheme-relative ones would leave the site.
        return None if value.strip().startswith("//") else value
    return value


def clean_html(html: str) -> str:
    """``html`` with everything outside the allowlist removed (elements keep their text)."""
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_attribute, url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"},
        link_rel=None, strip_comments=True,
    )


def plain_text(text: str) -> str:
    """Text that is safe wherever a template prints it, escaped or not, even through ``striptags``.

    Angle brackets become look-alike brackets and ``&`` an entity, so no filter can turn the text back
    into markup. Front-matter text never has angle brackets once validated; this is the second wall.
    """
    return text.replace("&", "&amp;").replace("<", "\u2039").replace(">", "\u203a").replace('"', "&quot;")


class Slots:
    """Placeholders for markup that only we may write, filled in after cleaning.

    Each build draws a random token, so a case file cannot contain a placeholder that matches.
    """

    def __init__(self) -> None:
        self.token = "hlsslot" + secrets.token_hex(8)
        self._pattern = re.compile(rf"(?:<p>)?{self.token}-(\d+)(?:</p>)?")
        self._html: list[str] = []

    def add(self, html: str) -> str:
        """Keep ``html``; return the placeholder line to put in the page's Markdown."""
        self._html.append(html)
        return f"{self.token}-{len(self._html) - 1}"

    def expand(self, text: str) -> str:
        """``text`` with our markup where its placeholders are (uncleaned: for comparing inputs)."""
        return self._pattern.sub(lambda m: self._html[int(m.group(1))], text)

    def fill(self, html: str, clean: Callable[[str], str] = clean_html) -> str:
        """Clean ``html``, then put our own markup back where its placeholders are."""
        return self.expand(clean(html))
