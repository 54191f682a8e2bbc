"""A draft case page for the preview: the file's problems above whatever of it can be shown.

Only ``hls serve`` builds these; ``hls build`` leaves an invalid case out. The problems are our own
markup (escaped text, put in through a slot); the rest is the contributor's Markdown, which the
sanitiser cleans like any other content page.
"""

from __future__ import annotations

import html
from pathlib import Path

from .loading import read_bounded, read_source
from .problems import Problem
from .render import md


def draft_parts(path: Path) -> tuple[str | None, str | None, str]:
    """(title, summary, body) as far as the file can be read; parts that cannot be read are None or ''."""
    source, _ = read_source(path)
    if source is not None:
        meta = source.meta
        title, summary = meta.get("title"), meta.get("summary")
        return (title if isinstance(title, str) else None, summary if isinstance(summary, str) else None,
                source.body)
    data, _ = read_bounded(path)
    if data is None:
        return None, None, ""
    lines = data.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":  # the body is what follows the front matter, if it closes
        close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        return None, None, "\n".join(lines[close + 1:]) if close is not None else ""
    return None, None, "\n".join(lines)


def problems_html(problems: list[Problem], display: str) -> str:
    """The problems as a warning box (Material's admonition look), every text escaped."""
    items = "".join(
        f"<li>line {p.line}, column {p.column}, <code>{html.escape(p.field)}</code>: {html.escape(p.message)}</li>"
        for p in sorted(problems)
    )
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    return (f'<div class="admonition warning hls-draft" role="note"><p class="admonition-title">Draft: '
            f'{count} in <code>{html.escape(display)}</code></p>'
            f"<p>This preview shows the case as far as it can. <code>hls build</code> leaves it out, and "
            f"<code>hls validate</code> lists the same problems, until each is fixed.</p><ul>{items}</ul></div>")


def draft_page(path: Path, slug: str, display: str, problems: list[Problem], add_slot) -> tuple[str, str]:
    """(page title, Markdown) of the draft page; ``add_slot`` puts our markup in (``Slots.add``)."""
    title, summary, body = draft_parts(path)
    title = " ".join((title or slug).split())
    out = [f"# {md(title)}", "", add_slot(problems_html(problems, display)), ""]
    if summary:
        out += [md(summary), ""]
    out += [body.strip(), ""]
    return f"Draft: {title}", "\n".join(out)
