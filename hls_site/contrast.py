"""WCAG 2.2 contrast between two colours, and the palette checks a build warns about.

Links and text need 4.5:1 against their background (success criterion 1.4.3), focus rings and
button borders 3:1 (1.4.11). A self-hoster picks the colours; the build says when one falls short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEX = re.compile(r"^#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
WHITE = "#ffffff"
#: Material's slate background (hsl(225, 15%, 14%)), the dark scheme's page colour.
SLATE_BACKGROUND = "#1e2129"


def parse_hex(colour: str) -> tuple[float, float, float, float] | None:
    """'#4051b5' -> (r, g, b, alpha) in 0..1; None for anything but a hex colour."""
    match = _HEX.match(colour.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits)
    values = [int(digits[i:i + 2], 16) / 255 for i in range(0, len(digits), 2)]
    return (*values[:3], values[3] if len(values) == 4 else 1.0)  # type: ignore[return-value]


def _blend(colour: tuple[float, float, float, float], under: tuple[float, float, float, float]):
    alpha = colour[3]
    return tuple(colour[i] * alpha + under[i] * (1 - alpha) for i in range(3))


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str, background: str) -> float | None:
    """The contrast ratio (1 to 21), a translucent foreground blended over the background."""
    fg, bg = parse_hex(foreground), parse_hex(background)
    if fg is None or bg is None:
        return None
    bg_rgb = _blend(bg, (1.0, 1.0, 1.0, 1.0))
    lighter, darker = sorted((_luminance(_blend(fg, (*bg_rgb, 1.0))), _luminance(bg_rgb)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Pair:
    """One colour a reader must tell from its background."""

    what: str  # e.g. "links (--hls-link) in the light scheme"
    foreground: str
    background: str
    needed: float  # 4.5 for text, 3 for focus rings and borders


def failures(pairs: list[Pair]) -> list[str]:
    """A sentence for each pair below its needed contrast (colours that are not hex are skipped)."""
    out = []
    for pair in pairs:
        value = ratio(pair.foreground, pair.background)
        if value is not None and value < pair.needed:
            out.append(f"{pair.what}: {pair.foreground} on {pair.background} has contrast {value:.1f}:1, "
                       f"below the {pair.needed:g}:1 that WCAG 2.2 AA needs")
    return out
