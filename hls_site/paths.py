"""Small naming helpers shared by the core: slugs from titles, and paths as contributors see them."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from anyascii import anyascii


def slugify(title: str) -> str:
    """'Plymouth's Alliance (2019)' -> 'plymouths-alliance-2019'; 'Ærø' -> 'aero' (transliterated)."""
    ascii_title = anyascii(unicodedata.normalize("NFKC", title))
    words = "".join(c if c.isalnum() else " " for c in ascii_title.lower().replace("'", "")).split()
    return "-".join(words)[:80].strip("-")


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to the project root, with forward slashes (as problems and edit links show it).

    ``root`` should already be resolved; the path is made absolute without resolving symlinks, which
    keeps this to string work on the hot path of validating thousands of files.
    """
    if root is None:
        return str(path)
    relative = os.path.relpath(os.path.abspath(path), root)
    return str(path) if relative.startswith("..") else Path(relative).as_posix()
