"""Content-Security-Policy hashes for the inline scripts of a built site.

Material writes small inline scripts into its pages (the palette restore, ``__md_scope``, whose text
depends on the page's depth and, on 404.html, on the site's path). The nginx configurations allow
them by sha256 hash, never by ``'unsafe-inline'``, so the list must match the built site exactly:
``hls csp`` computes it from the files and writes it into a configuration's ``script-src``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
#: A <script> of another type (application/json, text/pagefind-template) is data, never run.
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?(?!(?:module|text/javascript|application/javascript)\b)""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
#: The fixed start of script-src in our configurations; the hashes follow it.
SCRIPT_SRC = "script-src 'self' 'wasm-unsafe-eval'"
_SCRIPT_SRC_WITH_HASHES = re.compile(re.escape(SCRIPT_SRC) + r"(?:\s+'sha256-[A-Za-z0-9+/=]+')*")


def script_hash(body: str) -> str:
    """The CSP source for one inline script: 'sha256-<base64>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def inline_script_hashes(site: Path) -> dict[str, str]:
    """hash -> the first page (relative path) that runs that inline script, in a stable order."""
    found: dict[str, str] = {}
    for page in sorted(site.rglob("*.html")):
        for script in _SCRIPT.finditer(page.read_text("utf-8", errors="replace")):
            if _SRC.search(script["attrs"]) or _DATA_TYPE.search(script["attrs"]):
                continue
            found.setdefault(script_hash(script["body"]), page.relative_to(site).as_posix())
    return found


def script_src(hashes: list[str]) -> str:
    return " ".join([SCRIPT_SRC, *hashes])


def rewrite(config_text: str, hashes: list[str]) -> tuple[str, int]:
    """``config_text`` with every script-src of ours set to exactly ``hashes``; and how many it set."""
    return _SCRIPT_SRC_WITH_HASHES.subn(lambda _: script_src(hashes), config_text)


def missing(config_text: str, hashes: list[str]) -> list[str]:
    """Hashes the configuration does not allow yet."""
    return [h for h in hashes if h not in config_text]
