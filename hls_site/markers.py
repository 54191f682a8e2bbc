"""Generated text kept in a hand-written page between two marker comments.

CONTRIBUTING.md, the docs and the glossary carry tables and definitions made from the schema and the
vocabularies; each sits between ``<!-- hls:NAME -->`` and ``<!-- /hls:NAME -->`` and is replaced on
every build, so it cannot drift from its source.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def fill_between(text: str, start: str, end: str, make: Callable[[int], str], *, gap: str = "\n") -> str:
    """Replace what follows ``start`` (up to ``end``) with ``make(level)``.

    ``level`` is one below the last heading before the marker, so the inserted headings never skip
    a level in the page's outline.
    """
    if start not in text:
        return text
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1] if end in rest else rest
    headings = re.findall(r"^(#{1,5}) ", before, flags=re.M)
    level = len(headings[-1]) + 1 if headings else 2
    return f"{before}{start}{gap}{make(level)}{gap}{end}{after}"
