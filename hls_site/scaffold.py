"""``hls new``: a new case file whose every field comes from the schema.

Values the contributor must supply are written as placeholders containing ``TODO``; they have the
right shape, and validation flags each one until it is replaced.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .paths import slugify
from .schema import PLACEHOLDER, SECTIONS, CaseMeta


def _placeholder(info: FieldInfo, today: date) -> Any:
    if info.examples:
        return info.examples[0]
    annotation = info.annotation
    model = _model_in(annotation)
    if model is not None:
        entry = {name: _placeholder(sub, today) for name, sub in model.model_fields.items() if sub.is_required()}
        return [entry] if get_origin(annotation) is list else entry
    if _mentions(annotation, date):
        return today.isoformat()
    return PLACEHOLDER


def _mentions(annotation: Any, kind: type) -> bool:
    return annotation is kind or any(_mentions(arg, kind) for arg in get_args(annotation))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def render_case(values: dict[str, Any], today: date | None = None) -> str:
    """The text of a new case: every field in schema order, commented, then the five sections."""
    today = today or date.today()
    lines = ["---"]
    for field_name, info in CaseMeta.model_fields.items():
        name = info.alias or field_name
        required = info.is_required()
        value = values.get(name, _placeholder(info, today) if required or name == "added" else None)
        lines.append(f"# {'Required' if required else 'Optional'}: {info.description}")
        if value is None or value == []:
            lines.append(f"# {name}: ")
            continue
        dumped = yaml.safe_dump({name: value}, sort_keys=False, allow_unicode=True, width=100)
        lines += dumped.rstrip("\n").split("\n")
    lines.append("---")
    for section in SECTIONS:
        lines += ["", f"## {section}", "",
                  f"{PLACEHOLDER}: what the sources say ({section.lower()}), in your own words, "
                  "citing them as [S1]. If no public source covers it, write one line starting "
                  "'Not documented in public sources'."]
    return "\n".join(lines) + "\n"


class CaseExists(Exception):
    pass


def create_case(cases_dir: Path, title: str, values: dict[str, Any], slug: str | None = None) -> Path:
    """Write ``cases/<slug>.md``; refuse to overwrite an existing case."""
    slug = slug or slugify(title)
    path = cases_dir / f"{slug}.md"
    if path.exists():
        raise CaseExists(f"{path} already exists; edit it, or give another title or --slug")
    cases_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(render_case({"title": title, **values}), "utf-8")
    return path
