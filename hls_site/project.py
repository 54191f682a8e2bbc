"""Where a site's content lives. Shared by the CLI and the MkDocs adapter so both agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    cases_dir: Path
    principles_dir: Path
    guide_dir: Path
    vocabularies_dir: Path | None

    @classmethod
    def at(
        cls,
        root: Path,
        cases: str = "cases",
        principles: str = "principles",
        guide: str = "guide",
        vocabularies: str = "vocabularies",
    ) -> Project:
        root = root.resolve()
        vocab = root / vocabularies
        return cls(root, root / cases, root / principles, root / guide, vocab if vocab.is_dir() else None)
