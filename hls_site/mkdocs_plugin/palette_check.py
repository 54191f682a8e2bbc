"""The build's contrast check of the site's palette: Material's named colours and the site's CSS.

The colours a reader sees for links, buttons and focus rings come from the theme's palette
(``primary``) or from the CSS variables a site sets in its own stylesheet (docs/host-your-own.md,
"Colours"). Both are read here and checked with :mod:`hls_site.contrast`; each failure is a warning.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from ..contrast import SLATE_BACKGROUND, WHITE, Pair, failures

_DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\b")
_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")


def material_palette(name: str) -> dict[str, str]:
    """The CSS variables Material sets for ``primary: name`` (e.g. indigo), from its own stylesheet."""
    folder = resources.files("material") / "templates" / "assets" / "stylesheets"
    found: dict[str, str] = {}
    selector = f"[data-md-color-primary={name.replace(' ', '-')}]"
    for sheet in folder.iterdir():
        if not (sheet.name.startswith("palette.") and sheet.name.endswith(".min.css")):
            continue
        for selectors, body in _BLOCK.findall(sheet.read_text("utf-8")):
            if selector in [s.strip() for s in selectors.split(",")]:
                found.update(_DECLARATION.findall(body))
    return found


def site_variables(paths: list[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """(light, slate) variables the site's own stylesheets set to hex colours."""
    light: dict[str, str] = {}
    slate: dict[str, str] = {}
    for path in paths:
        if not path.is_file():
            continue
        text = re.sub(r"/\*.*?\*/", "", path.read_text("utf-8", errors="replace"), flags=re.S)
        for selectors, body in _BLOCK.findall(text):
            (slate if "slate" in selectors else light).update(_DECLARATION.findall(body))
    return light, slate


def palette_pairs(primary: str, light: dict[str, str], slate: dict[str, str]) -> list[Pair]:
    """What to check: links, hover and focus on each scheme's page, and text on primary buttons."""
    material = material_palette(primary) if primary and primary != "custom" else {}
    colours = {**material, **light}
    link = colours.get("--hls-link") or colours.get("--md-primary-fg-color")
    hover = colours.get("--hls-link-hover") or colours.get("--md-primary-fg-color--dark")
    focus = colours.get("--hls-focus") or hover
    pairs = []
    if link:
        pairs.append(Pair("links (--hls-link) in the light scheme", link, WHITE, 4.5))
    if hover:
        pairs.append(Pair("links on hover (--hls-link-hover) in the light scheme", hover, WHITE, 4.5))
    if focus:
        pairs.append(Pair("the focus ring (--hls-focus) in the light scheme", focus, WHITE, 3))
    button, text = colours.get("--md-primary-fg-color"), colours.get("--md-primary-bg-color")
    if button and text:
        pairs.append(Pair("text on primary buttons and the header (--md-primary-bg-color)", text, button, 4.5))
    for name, needed in (("--hls-link", 4.5), ("--hls-link-hover", 4.5), ("--hls-focus", 3)):
        if name in slate:
            pairs.append(Pair(f"{name} in the dark (slate) scheme", slate[name], SLATE_BACKGROUND, needed))
    return pairs


def palette_warnings(config, root: Path) -> list[str]:
    """Warnings for every palette colour of this MkDocs config that fails WCAG AA contrast."""
    palette = config.theme.get("palette") or []
    schemes = palette if isinstance(palette, list) else [palette]
    docs = Path(config.docs_dir)
    sheets = [docs / str(css) for css in config.extra_css if not str(css).startswith("assets/hls/")]
    light, slate = site_variables(sheets)
    out: list[str] = []
    seen: set[str] = set()
    for scheme in schemes or [{}]:
        if scheme.get("scheme", "default") == "slate":
            continue  # the dark scheme keeps its own link colours (checked through the site's CSS)
        for problem in failures(palette_pairs(str(scheme.get("primary") or "indigo"), light, slate)):
            if problem not in seen:
                seen.add(problem)
                out.append(f"palette: {problem}; choose a darker colour, or set the variable in your "
                           "stylesheet (docs/host-your-own.md, 'Colours')")
    return out
