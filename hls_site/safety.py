"""The first wall: content is text and links, nothing more.

Case files come from strangers. The validator refuses anything in them that could become markup
other than what plain Markdown makes: raw HTML, attribute lists (``{: onclick=... }``), link or
image targets other than http(s) and mailto, invisible or direction-changing characters, and more
links than a page needs. The body is judged on Python-Markdown's own view of it (what it stashed as
raw HTML, which attribute lists it applied, which links it made), so the check cannot disagree with
the renderer. Whatever slips past is made inert by :mod:`hls_site.sanitise`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

#: Extensions the site renders content with (a site may add more; the sanitiser still holds).
EXTENSIONS = ["attr_list", "md_in_html", "def_list", "tables", "footnotes", "admonition", "toc",
              "pymdownx.details"]
#: Links a case body may hold: citations are [S1], so a body needs few links of its own.
MAX_LINKS = 100
LINK_SCHEMES = ("http://", "https://", "mailto:")
IMAGE_SCHEMES = ()  # images would load from another site: no third-party requests

#: Bidirectional overrides and isolates, zero-width and other invisible format characters.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")
#: Control characters other than tab and newline (C0, DEL and C1).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Text that attr_list would read as attributes: {: ...}, {#id}, {.class}, { key=value }.
ATTR_LIST = re.compile(r"\{\s*(?::|#|\.|[\w-]+\s*=)[^}\n]*\}")
_SUSPECT = re.compile(r"[<{&]|\]\s*[(:\[]|\[\^")
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*|!--|![A-Za-z]|\?)")
_ENTITY_ONLY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_LINKISH = re.compile(r"\]\(|\]:|<https?:|<mailto:")
#: A run of citations ("[S3]", "[S1][S2]") that touches no other link syntax: nothing before it that
#: could make it a reference ("]", "!", a backslash), nothing after it that could make it a link or a
#: definition ("(", ":", "["), so Markdown can only print it as text.
_CITATIONS = re.compile(r"(?:\[S\d+\])+(?!\s*[(:\[])")


def _without_lone_citations(text: str) -> str:
    """``text`` with its lone citation runs taken out, to decide whether Markdown need see it at all."""
    def lone(match: re.Match[str]) -> str:
        start = match.start()
        before = text[max(0, start - 64):start].rstrip(" \t\n")  # a bounded look back: linear overall
        if before.endswith(("]", "!", "\\")) or (not before and start > 64):
            return match.group(0)
        return " "
    return _CITATIONS.sub(lone, text)


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, within the text given
    column: int
    message: str


def describe_char(char: str) -> str:
    return f"U+{ord(char):04X}"


def plain_text_problem(value: str) -> str | None:
    """Why a front-matter value is not plain text, or None. Front matter is shown as typed, never as markup."""
    if match := CONTROL.search(value.replace("\n", " ").replace("\t", " ")):
        return (f"contains a control character ({describe_char(match.group(0))}); delete it (it may have come "
                "from copying and pasting)")
    if match := INVISIBLE.search(value):
        return (f"contains an invisible or direction-changing character ({describe_char(match.group(0))}); "
                "delete it: it can make text look different from what it says")
    if match := _TAG.search(value):
        return f"raw HTML ({match.group(0)!r}) is not allowed; write plain text"
    if match := ATTR_LIST.search(value):
        return f"'{match.group(0)[:40]}' looks like a Markdown attribute list; these are not allowed, write plain text"
    return None


class _Recorder(Treeprocessor):
    """Collects what Python-Markdown made of the text: links, images and applied attribute lists."""

    def __init__(self, md: markdown.Markdown, seen: dict[str, list[Any]]):
        super().__init__(md)
        self.seen = seen

    def run(self, root):
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self.seen["links"].append(element.get("href"))
            elif element.tag == "img":
                self.seen["images"].append(element.get("src") or "")
        return None


def _renderer() -> tuple[markdown.Markdown, dict[str, list[Any]]]:
    md = markdown.Markdown(extensions=EXTENSIONS)
    seen: dict[str, list[Any]] = {"links": [], "images": [], "attrs": []}
    attr_list = md.treeprocessors["attr_list"]
    original = attr_list.assign_attrs

    def assign_attrs(element, attrs, *args, **kwargs):
        seen["attrs"].append(attrs)
        return original(element, attrs, *args, **kwargs)

    attr_list.assign_attrs = assign_attrs
    md.treeprocessors.register(_Recorder(md, seen), "hls-recorder", 0)  # last: after every extension
    return md, seen


def _position(text: str, needle: str) -> tuple[int, int]:
    index = text.find(needle) if needle else -1
    if index < 0:
        return 1, 1
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _lines(text: str) -> Iterator[tuple[int, str]]:
    return enumerate(text.split("\n"), start=1)


def body_findings(text: str) -> list[Finding]:
    """Every way ``text`` (a case body) could become markup beyond plain Markdown."""
    findings: list[Finding] = []
    for number, line in _lines(text):
        if match := CONTROL.search(line.replace("\t", " ")):
            findings.append(Finding(number, match.start() + 1,
                                    f"contains a control character ({describe_char(match.group(0))}); delete it"))
        if match := INVISIBLE.search(line):
            findings.append(Finding(number, match.start() + 1, "contains an invisible or direction-changing "
                                    f"character ({describe_char(match.group(0))}); delete it"))
    previous = ""
    for number, line in _lines(text):
        if _SETEXT.match(line) and previous.strip() and not _SETEXT.match(previous):
            findings.append(Finding(number, 1, "a line of '=' or '-' under text makes it a heading; use '## ' "
                                    "headings, or leave a blank line before a '---' rule"))
        previous = line
    spots = [(n, m) for n, line in _lines(text) for m in ATTR_LIST.finditer(line)]
    for number, match in spots:
        findings.append(Finding(number, match.start() + 1,
                                f"'{match.group(0)[:40]}' is a Markdown attribute list; these are not allowed in "
                                "cases (they set HTML attributes): delete it"))
    links = len(_LINKISH.findall(text))
    if links > MAX_LINKS:
        findings.append(Finding(1, 1, f"the body has {links} links; at most {MAX_LINKS} are allowed (cite "
                                "sources as [S1] instead of linking them)"))
        return findings  # do not render a body built to be expensive
    if not _SUSPECT.search(_without_lone_citations(text)):
        return findings  # no '<', '{', '&' or link syntax: Markdown can make nothing but text from it
    md, seen = _renderer()
    md.convert(text)
    for raw in md.htmlStash.rawHtmlBlocks:
        raw = raw if isinstance(raw, str) else "<" + str(getattr(raw, "tag", "html"))
        if _ENTITY_ONLY.fullmatch(raw.strip()):
            continue
        line, column = _position(text, raw.strip()[:30])
        findings.append(Finding(line, column, f"raw HTML ({raw.strip()[:40]!r}) is not allowed in a case; "
                                "use Markdown"))
    if seen["attrs"] and not spots:
        findings.append(Finding(1, 1, "the body uses a Markdown attribute list ('{...}'); these are not allowed "
                                "in cases (they set HTML attributes): delete it"))
    for href in seen["links"]:
        target = html.unescape(href).strip()
        if target.startswith(("#fn:", "#fnref:")):
            continue  # a footnote: reported as a citation in the wrong form
        if not target.lower().startswith(LINK_SCHEMES):
            line, column = _position(text, href[:30])
            findings.append(Finding(line, column, f"link target {target[:60]!r} is not allowed; links must start "
                                    "with https://, http:// or mailto: (cite sources as [S1])"))
    for src in seen["images"]:
        line, column = _position(text, src[:30] or "![")
        findings.append(Finding(line, column, "images are not allowed in a case (they would load from another "
                                "site); describe what the image shows, and cite its source"))
    return findings
