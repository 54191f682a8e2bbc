"""Cases a teaching page names in its text without linking them.

A reader who meets "the Plymouth Alliance" in a chapter should be one click from the case. A case's
name is its title up to a colon or parenthesis ("The Plymouth Alliance: ..." is named "Plymouth
Alliance"). Matching is on word sequences, each compared only with the names that start with its word, so
the work is linear in the page's words plus the number of cases, however large the library grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .validation import Case

_WORD = re.compile(r"[\w’'&-]+")
_NAME_END = re.compile(r"\s*[:(]")
#: The longest name, in words, that is looked for.
MAX_WORDS = 12


@dataclass(frozen=True)
class Mention:
    line: int
    name: str
    slug: str


def case_name(title: str) -> str:
    """The name a text would use for a case: its title up to a colon or parenthesis, without 'The'."""
    name = _NAME_END.split(title, maxsplit=1)[0].strip()
    return re.sub(r"^The\s+", "", name)


def _norm(word: str) -> str:
    """A word as compared: case-folded, without a possessive ("Plymouth's" names Plymouth)."""
    return re.sub(r"['’]s$", "", word.casefold())


def _words(text: str) -> list[str]:
    return [_norm(w) for w in _WORD.findall(text)]


def unlinked_mentions(markdown: str, cases: list[Case], first_line: int = 1) -> list[Mention]:
    """Cases named in ``markdown`` (a page body starting at ``first_line`` of its file) that it never
    links to (``cases/<slug>.md``)."""
    body = re.sub(r"^---\n.*?\n---\n", lambda m: "\n" * m.group(0).count("\n"), markdown, flags=re.S)
    linked = set(re.findall(r"cases/([a-z0-9-]+)\.md", body))
    # Link targets and inline code are not prose.
    prose = re.sub(r"\]\([^)]*\)|`[^`]*`", lambda m: " " * len(m.group(0)), body)
    tokens = [(_norm(m.group(0)), m.start()) for m in _WORD.finditer(prose)]
    # Each unlinked case's name, filed under its first word: a token is compared only with the
    # names that start with it.
    names: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for case in cases:
        name = case_name(case.title)
        key = tuple(_words(name))
        if case.slug not in linked and 0 < len(key) <= MAX_WORDS:
            names.setdefault(key[0], []).append((key, name, case.slug))
    words = [word for word, _ in tokens]
    found: dict[str, Mention] = {}
    for i, (word, at) in enumerate(tokens):
        for key, name, slug in names.get(word, ()):
            if slug in found or tuple(words[i:i + len(key)]) != key:
                continue
            if len(key) == 1 and not _capitalised_mid_sentence(prose, at):
                continue  # a one-word name counts only where it is plainly a name
            found[slug] = Mention(prose.count("\n", 0, at) + first_line, name, slug)
    return sorted(found.values(), key=lambda m: (m.line, m.name))


def _capitalised_mid_sentence(text: str, at: int) -> bool:
    if not text[at].isupper():
        return False
    before = text[:at].rstrip(" *_\"“‘'")
    return bool(before) and before[-1] not in ".!?:\n#-|>"
