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
from .schema import PLACEHOLDER, SECTIONS, SLUG_RE, CaseMeta, country_hint
from .vocabularies import Vocabularies

#: Options of ``hls new`` that take vocabulary ids, and the vocabulary each comes from.
VOCABULARY_OPTIONS = {"sectors": ("--sector", "sectors"), "scales": ("--scale", "scales"),
                      "hls_link": ("--hls-link", "hls_links")}


class ScaffoldError(Exception):
    """A value given to ``hls new`` that the validator would refuse: said now, with the same fix."""


def check_values(values: dict[str, Any], vocab: Vocabularies) -> dict[str, Any]:
    """The values with the country upper-cased; ScaffoldError for any the validator would refuse."""
    import pycountry

    out = dict(values)
    for name, (option, vocab_name) in VOCABULARY_OPTIONS.items():
        given = values.get(name)
        terms = vocab.get(vocab_name)
        for term in [given] if isinstance(given, str) else given or []:
            if term not in terms:
                guess = terms.closest(term)
                hint = f"did you mean '{guess}'? " if guess else ""
                raise ScaffoldError(f"{option} '{term}' is not in the {vocab_name.replace('_', ' ')} vocabulary; "
                                    f"{hint}expected one of: {', '.join(terms.ids())}")
    country = values.get("country")
    if country is not None:
        code = country.strip()
        if pycountry.countries.get(alpha_2=code.upper()) is not None and len(code) == 2 and code.isalpha():
            out["country"] = code.upper()
        else:
            raise ScaffoldError(f"--country '{country}' is not an ISO 3166-1 alpha-2 country code{country_hint(code)}")
    for name in ("organisations",):
        if any(not str(v).strip() for v in values.get(name) or []):
            raise ScaffoldError("--organisation needs a name")
    for name in ("place",):
        if name in values and not str(values[name]).strip():
            raise ScaffoldError(f"--{name} needs a value")
    return out


def check_slug(slug: str) -> str:
    if not SLUG_RE.match(slug):
        suggestion = slugify(slug) or "my-case"
        raise ScaffoldError(f"'{slug}' is not a valid file name for a case; use lowercase letters, digits and "
                            f"hyphens, such as --slug {suggestion}")
    return slug


def _placeholder(info: FieldInfo, today: date) -> Any:
    if info.examples:
        return info.examples[0]
    annotation = info.annotation
    model = _model_in(annotation)
    if model is not None:
        # Required parts, and the optional ones that carry an example (a source's quotes, a period's
        # evidence): the evidence a case needs is in the scaffold from the start.
        entry = {sub.alias or name: _placeholder(sub, today) for name, sub in model.model_fields.items()
                 if sub.is_required() or sub.examples}
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


def _allowed(info: FieldInfo, vocab: Vocabularies | None) -> str | None:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    name = extra.get("x-vocabulary")
    if vocab is None or not isinstance(name, str):
        return None
    return f"# Allowed: {', '.join(vocab.get(name).ids())}"


def render_case(values: dict[str, Any], today: date | None = None, vocab: Vocabularies | None = None) -> str:
    """The text of a new case: every field in schema order, commented, then the five sections.

    Vocabulary fields carry their allowed values as a comment; every principle is offered, the ones
    after the first commented out (a case keeps those it shows).
    """
    today = today or date.today()
    lines = ["---"]
    for field_name, info in CaseMeta.model_fields.items():
        name = info.alias or field_name
        required = info.is_required()
        value = values.get(name, _placeholder(info, today) if required or name == "added" else None)
        lines.append(f"# {'Required' if required else 'Optional'}: {info.description}")
        if allowed := _allowed(info, vocab):
            lines.append(allowed)
        if name == "country" and name not in values:
            lines.append("# An ISO 3166-1 alpha-2 code in capitals: GB (not UK), FI, AU, NO (written \"NO\").")
        if (value is None or value == []) and info.examples:  # an optional part, shown as it is written
            dumped = yaml.safe_dump({name: info.examples[0]}, sort_keys=False, allow_unicode=True, width=100)
            lines += [f"# {line}" for line in dumped.rstrip("\n").split("\n")]
            continue
        if value is None or value == []:
            lines.append(f"# {name}: ")
            continue
        dumped = yaml.safe_dump({name: value}, sort_keys=False, allow_unicode=True, width=100)
        lines += dumped.rstrip("\n").split("\n")
        if name == "principles" and vocab is not None and name not in values:
            for principle in vocab.principles.ids():
                if principle not in value:
                    label = vocab.principles.label(principle)
                    lines.append(f"#   {principle}: \"{PLACEHOLDER}: how this case shows the {label} principle "
                                 "(optional: remove the '#' to use it)\"")
    lines.append("---")
    for section in SECTIONS:
        lines += ["", f"## {section}", "",
                  f"{PLACEHOLDER}: what the sources say ({section.lower()}), in your own words, "
                  "citing them as [S1]. If no public source covers it, write one line starting "
                  "'Not documented in public sources'."]
    return "\n".join(lines) + "\n"


class CaseExists(Exception):
    pass


def create_case(cases_dir: Path, title: str, values: dict[str, Any], slug: str | None = None,
                vocab: Vocabularies | None = None) -> Path:
    """Write ``cases/<slug>.md``; refuse to overwrite an existing case or to take a bad slug."""
    slug = check_slug(slug.strip()) if slug else slugify(title)
    path = cases_dir / f"{slug}.md"
    if path.exists():
        raise CaseExists(f"{path} already exists; edit it, or give another title or --slug")
    cases_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(render_case({"title": title, **values}, vocab=vocab), "utf-8")
    return path
