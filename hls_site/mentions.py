"""Cases a teaching page names in its text without linking them.

A reader who meets "the Plymouth Alliance" in a chapter should be one click from the case. A case's
name is its title up to a colon or parenthesis ("The Plymouth Alliance: ..." is named "Plymouth
Alliance"). Matching is on word sequences, so the work is linear in the page's words plus the
number of cases, however large the library grows.
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
    first: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens)):
        for n in range(1, MAX_WORDS + 1):
            if i + n > len(tokens):
                break
            key = tuple(t for t, _ in tokens[i:i + n])
            if n == 1 and not _capitalised_mid_sentence(prose, tokens[i][1]):
                continue  # a one-word name counts only where it is plainly a name
            first.setdefault(key, tokens[i][1])
    found = []
    for case in cases:
        if case.slug in linked:
            continue
        name = case_name(case.title)
        key = tuple(_words(name))
        if key and key in first:
            found.append(Mention(prose.count("\n", 0, first[key]) + first_line, name, case.slug))
    return sorted(found, key=lambda m: (m.line, m.name))


def _capitalised_mid_sentence(text: str, at: int) -> bool:
    if not text[at].isupper():
        return False
    before = text[:at].rstrip(" *_\"“‘'")
    return bool(before) and before[-1] not in ".!?:\n#-|>"
