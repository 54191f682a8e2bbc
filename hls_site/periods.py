"""How a case's period reads, wherever it is shown (pages, cards, the browse index)."""

from __future__ import annotations

from .schema import Period


def period_text(period: Period) -> str:
    """'2019 to ongoing', '2019', 'Under way by 2019; ongoing', 'Start not known; ended 2021'."""
    start, end = period.start, period.end
    if isinstance(start, int):
        end_text = {"ongoing": "ongoing", "unknown": "end not recorded"}.get(end, str(end))
        return str(start) if end == start else f"{start} to {end_text}"
    end_text = {"ongoing": "ongoing", "unknown": "end not recorded"}.get(end, f"ended {end}")
    start_text = f"Under way by {start.removeprefix('by ')}" if start != "unknown" else "Start not known"
    return f"{start_text}; {end_text}"
