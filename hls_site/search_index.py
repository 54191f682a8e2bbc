"""Build the Pagefind search index over a built site (the CLI, run as a subprocess)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

#: Site help (how to contribute, host, use the data) is found, but after cases, principles and the guide.
HELP_WEIGHT = "0.05"
_HEADING = re.compile(r"<h([1-6])(?=[\s>])")


def demote(html: str) -> str:
    """A help page's text, weighted so that Pagefind ranks it below the library's own pages."""
    html = _HEADING.sub(lambda m: f'<h{m.group(1)} data-pagefind-weight="{HELP_WEIGHT}"', html)
    return f'<div data-pagefind-weight="{HELP_WEIGHT}">{html}</div>'


class SearchIndexError(Exception):
    pass


def pagefind_command(site_dir: Path) -> list[str]:
    """The command that indexes ``site_dir`` in place (the build runs it; the preview, in the background)."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--exclude-selectors", ".headerlink",
            "--exclude-selectors", ".hls-unindexed",
            # Quotes are the sources' words, not ours: a search finds a case by what the case says.
            "--exclude-selectors", ".hls-quote"]


def run_pagefind(site_dir: Path) -> str:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``); return Pagefind's report."""
    # The CLI indexes a whole folder in about a second per thousand pages; the per-file
    # Python API is two orders of magnitude slower, so we do not use it.
    result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout
