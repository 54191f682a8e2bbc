"""The contributor docs' field table, written from the schema models."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel

from .markers import fill_between
from .schema import CaseMeta, Evidence, LearningCycle, Obstacle, Period, Quote, Source
from .validation import NESTED_VOCABULARY_FIELDS, VOCABULARY_FIELDS

#: Marker line that the docs pages and CONTRIBUTING.md carry where the table belongs. The table's
#: headings sit one level below the heading before the marker, so the page's outline never skips.
MARKER = "<!-- hls:fields -->"


def _kind(annotation: Any, name: str, model: type[BaseModel] = CaseMeta) -> str:
    vocabularies = VOCABULARY_FIELDS if model is CaseMeta else {
        inner: vocab for (_, inner), vocab in NESTED_VOCABULARY_FIELDS.items()
        if model in (Obstacle, LearningCycle)}
    if name in vocabularies:
        vocab = vocabularies[name].replace("_", " ")
        return f"mapping from {vocab} ids" if name == "principles" else f"list of {vocab} ids" \
            if get_origin(annotation) is list else f"one {vocab} id"
    if name == "quotes":
        return "list of quotes (text, or `text` with `translation`)"
    if get_origin(annotation) is list:
        inner = get_args(annotation)[0]
        return f"list of {_model_name(inner) or 'text'}"
    text = str(annotation)
    if name == "source":
        return "source number"
    if name == "start":
        return "year, `by YEAR` or `unknown`"
    if name == "result":
        return "`worked`, `partly`, `did-not-work` or `not-stated`"
    for needle, label in (("date", "date (YYYY-MM-DD)"), ("Period", "mapping: start, end, evidence"),
                          ("Evidence", "mapping: source, quote"), ("bool", "true/false"), ("int", "year")):
        if needle in text:
            return label
    return "text"


def _model_name(annotation: Any) -> str | None:
    names = {Source: "sources (see below)", LearningCycle: "entries (see below)", Period: "period",
             Obstacle: "obstacles (see below)", Evidence: "source and quote (see below)"}
    return names.get(annotation)


def _max_length(metadata: Any) -> int | None:
    for item in metadata or ():
        for inner in (item, *getattr(item, "metadata", ())):
            if getattr(inner, "max_length", None) is not None:
                return inner.max_length
    return None


def _limits(info: Any) -> str:
    """'; at most 150 characters', '; at most 30 entries, each at most 150 characters', from the schema."""
    own = _max_length(info.metadata)
    if get_origin(info.annotation) is not list:
        return f"; at most {own} characters" if own else ""
    item = get_args(info.annotation)[0]
    each = _max_length(getattr(item, "__metadata__", ()))
    parts = ([f"at most {own} entries"] if own else []) + ([f"each at most {each} characters"] if each else [])
    return "; " + ", ".join(parts) if parts else ""


def _rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    rows = []
    for field_name, info in model.model_fields.items():
        name = info.alias or field_name
        required = "yes" if info.is_required() else "no"
        kind = _kind(info.annotation, field_name, model) + _limits(info)
        rows.append(f"| `{prefix}{name}` | {required} | {kind} | {info.description} |")
    return rows


def field_table(level: int = 3) -> str:
    """Markdown tables of every front-matter field, nested ones included, under level-``level`` headings."""
    head = ["| Field | Required | Value | What it is |", "| --- | --- | --- | --- |"]
    hashes = "#" * level
    parts = [f"{hashes} Case fields", "", *head, *_rows(CaseMeta), ""]
    for title, model, prefix in (("period", Period, "period."), ("Each source", Source, "sources[]."),
                                 ("A quote in another language", Quote, "sources[].quotes[]."),
                                 ("Evidence (hls_evidence, period.evidence[])", Evidence, ""),
                                 ("Each obstacle", Obstacle, "obstacles[]."),
                                 ("Each learning cycle", LearningCycle, "learning_cycles[].")):
        parts += [f"{hashes} {title.capitalize()}", "", *head, *_rows(model, prefix), ""]
    return "\n".join(parts)


def fill(text: str) -> str:
    """Replace the marker (and any table after it, up to the end marker) with the current table."""
    return fill_between(text, MARKER, "<!-- /hls:fields -->", field_table)
