"""The contributor docs' field table, written from the schema models."""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from .schema import CaseMeta, LearningCycle, Period, Source
from .validation import VOCABULARY_FIELDS

#: Marker line that the docs pages and CONTRIBUTING.md carry where the table belongs. The table's
#: headings sit one level below the heading before the marker, so the page's outline never skips.
MARKER = "<!-- hls:fields -->"


def _kind(annotation: Any, name: str) -> str:
    if name in VOCABULARY_FIELDS:
        vocab = VOCABULARY_FIELDS[name].replace("_", " ")
        return f"mapping from {vocab} ids" if name == "principles" else f"list of {vocab} ids" \
            if get_origin(annotation) is list else f"one {vocab} id"
    if get_origin(annotation) is list:
        inner = get_args(annotation)[0]
        return f"list of {_model_name(inner) or 'text'}"
    text = str(annotation)
    for needle, label in (("date", "date (YYYY-MM-DD)"), ("Period", "mapping: start, end"), ("bool", "true/false"),
                          ("int", "year")):
        if needle in text:
            return label
    return "text"


def _model_name(annotation: Any) -> str | None:
    names = {Source: "sources (see below)", LearningCycle: "entries (see below)", Period: "period"}
    return names.get(annotation)


def _rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    rows = []
    for field_name, info in model.model_fields.items():
        name = info.alias or field_name
        required = "yes" if info.is_required() else "no"
        rows.append(f"| `{prefix}{name}` | {required} | {_kind(info.annotation, field_name)} | {info.description} |")
    return rows


def field_table(level: int = 3) -> str:
    """Markdown tables of every front-matter field, nested ones included, under level-``level`` headings."""
    head = ["| Field | Required | Value | What it is |", "| --- | --- | --- | --- |"]
    hashes = "#" * level
    parts = [f"{hashes} Case fields", "", *head, *_rows(CaseMeta), ""]
    for title, model, prefix in (("period", Period, "period."), ("Each source", Source, "sources[]."),
                                 ("Each learning cycle", LearningCycle, "learning_cycles[].")):
        parts += [f"{hashes} {title.capitalize()}", "", *head, *_rows(model, prefix), ""]
    return "\n".join(parts)


def fill(text: str) -> str:
    """Replace the marker (and any table after it, up to the end marker) with the current table."""
    end = "<!-- /hls:fields -->"
    if MARKER not in text:
        return text
    before, rest = text.split(MARKER, 1)
    after = rest.split(end, 1)[1] if end in rest else rest
    headings = re.findall(r"^(#{1,5}) ", before, flags=re.M)
    level = len(headings[-1]) + 1 if headings else 2
    return f"{before}{MARKER}\n{field_table(level)}\n{end}{after}"
