"""Controlled vocabularies: one YAML data file each, a label and a description per value.

The package ships defaults in ``hls_site/vocabularies``. A site may add a folder with files of the
same names; their values are added to (or relabel) the defaults, so a self-hoster can extend them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

#: The vocabularies every site has, by file name (without ``.yaml``).
NAMES = ("principles", "scales", "hls_links", "sectors", "practices", "obstacles")


class VocabularyError(Exception):
    """A vocabulary file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: dict[str, Term]

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.terms

    def __iter__(self):
        return iter(self.terms.values())

    def ids(self) -> list[str]:
        return list(self.terms)

    def closest(self, term: str) -> str | None:
        """The id a mistyped term most likely meant ('Mental Health' -> 'mental-health'), if any."""
        guess = difflib.get_close_matches(term.lower().replace(" ", "-"), self.ids(), n=1, cutoff=0.5)
        return guess[0] if guess else None

    def label(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.label if term else term_id


@dataclass(frozen=True)
class Vocabularies:
    principles: Vocabulary
    scales: Vocabulary
    hls_links: Vocabulary
    sectors: Vocabulary
    practices: Vocabulary
    obstacles: Vocabulary

    def get(self, name: str) -> Vocabulary:
        return getattr(self, name)


def _parse(text: str, source: str) -> dict[str, Term]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{source}: invalid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise VocabularyError(f"{source}: expected a mapping of id: {{label, description}}")
    terms = {}
    for term_id, entry in data.items():
        if not isinstance(term_id, str) or not term_id.replace("-", "").isalnum():
            raise VocabularyError(f"{source}: {term_id!r}: ids are lowercase words joined by hyphens")
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise VocabularyError(f"{source}: {term_id}: expected 'label' and 'description' strings")
        terms[term_id] = Term(term_id, entry["label"], str(entry.get("description", "")))
    return terms


def load_vocabularies(extra_dir: Path | None = None) -> Vocabularies:
    """Load the shipped vocabularies, extended by ``extra_dir/<name>.yaml`` where present."""
    package = resources.files("hls_site") / "vocabularies"
    loaded = {}
    for name in NAMES:
        terms = _parse((package / f"{name}.yaml").read_text("utf-8"), f"hls_site/vocabularies/{name}.yaml")
        if extra_dir is not None:
            extra = Path(extra_dir) / f"{name}.yaml"
            if extra.is_file():
                extension = _parse(extra.read_text("utf-8"), str(extra))
                if name in ("principles", "scales") and set(extension) - set(terms):
                    raise VocabularyError(
                        f"{extra}: {name} can be relabelled but not extended "
                        f"(the site's pages are built around them)"
                    )
                terms.update(extension)
        loaded[name] = Vocabulary(name, terms)
    return Vocabularies(**loaded)
