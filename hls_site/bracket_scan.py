"""A linear bracket scan for Python-Markdown's link parser.

Python-Markdown 3.11 finds, for a whole run of inline text, where each ``[`` closes, and does it
again each time a link in that text has been turned into an element (the text is a new string then).
Its scan steps through every character in Python, so a paragraph or list item with several links
costs its length times its links: the listing pages (a principle's cases, the obstacles overview)
spent most of their rendering time there, and the preview of a renamed case waited on it.

:func:`find_bracket_ends` gives exactly the same answer (a test compares the two on random text)
but lets a regular expression find the brackets and fills the stretches between them in C, about
15 times faster on a listing page. :func:`install` (run when ``hls_site`` is imported) puts it in
place of Markdown's own method, and does nothing on a Markdown without that method (an older or
newer release keeps its own scan).
"""

from __future__ import annotations

import re

from markdown.inlinepatterns import LinkInlineProcessor

_BRACKET = re.compile(r"[\[\]]")
#: Markdown's own scan, as imported (kept to compare with, and to put back).
MARKDOWNS_OWN = LinkInlineProcessor.__dict__.get("_findBracketEnds")


def find_bracket_ends(data: str) -> list[int | None]:
    """For each index of ``data`` (and one past its end), the index just past the ``]`` that closes
    the bracket depth there, or None if it never closes (``LinkInlineProcessor._findBracketEnds``).

    The depth is the same between two brackets, so every index in such a stretch has the same
    answer: the start of the first later stretch whose depth is lower.
    """
    starts, depths, depth = [0], [0], 0
    for match in _BRACKET.finditer(data):
        depth += 1 if match.group() == "[" else -1
        starts.append(match.end())
        depths.append(depth)
    closes: list[int | None] = [None] * len(starts)
    waiting: list[int] = []  # stretches whose depth has not yet been undercut, depths non-decreasing
    for i, here in enumerate(depths):
        while waiting and here < depths[waiting[-1]]:
            closes[waiting.pop()] = starts[i]
        waiting.append(i)
    ends: list[int | None] = []
    for start, stop, close in zip(starts, [*starts[1:], len(data) + 1], closes, strict=True):
        ends.extend([close] * (stop - start))
    return ends


def install() -> None:
    """Use :func:`find_bracket_ends` for Python-Markdown's links and images (idempotent)."""
    if isinstance(MARKDOWNS_OWN, staticmethod):
        LinkInlineProcessor._findBracketEnds = staticmethod(find_bracket_ends)  # type: ignore[method-assign]


def uninstall() -> None:
    """Put Markdown's own scan back."""
    if MARKDOWNS_OWN is not None:
        LinkInlineProcessor._findBracketEnds = MARKDOWNS_OWN  # type: ignore[method-assign]
