"""Where a site's content lives. Shared by the CLI and the MkDocs adapter so both agree.

The CLI finds the project as MkDocs would: the nearest ``mkdocs.yml`` at or above the working
folder, and the ``hls`` plugin's own settings in it (``cases_dir`` and the rest). So ``hls validate``
run inside ``cases/``, or on a site that keeps its cases elsewhere, checks the library the build uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
#: The plugin's folder settings and their defaults (mirrors mkdocs_plugin/config.py, which a test checks).
FOLDER_SETTINGS = {"cases_dir": "cases", "principles_dir": "principles", "guide_dir": "guide",
                   "vocabularies_dir": "vocabularies"}


class ProjectError(Exception):
    """No project here, or its mkdocs.yml cannot be read: a usage error."""


@dataclass(frozen=True)
class Project:
    root: Path
    cases_dir: Path
    principles_dir: Path
    guide_dir: Path
    vocabularies_dir: Path | None
    config_file: Path | None = None

    @classmethod
    def at(
        cls,
        root: Path,
        cases: str = "cases",
        principles: str = "principles",
        guide: str = "guide",
        vocabularies: str = "vocabularies",
        config_file: Path | None = None,
    ) -> Project:
        root = root.resolve()
        vocab = root / vocabularies
        return cls(root, root / cases, root / principles, root / guide, vocab if vocab.is_dir() else None,
                   config_file)

    @classmethod
    def find(cls, start: Path | None = None, *, root: Path | None = None) -> Project:
        """The project of ``root`` (given with --root), or of the nearest mkdocs.yml at or above ``start``."""
        if root is not None:
            config = config_file_in(root)
            return cls.from_config(config) if config else cls.at(root)
        start = (start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            config = config_file_in(folder)
            if config:
                return cls.from_config(config)
        raise ProjectError(f"no mkdocs.yml in {start} or any folder above it; run inside the project "
                           "(the folder holding mkdocs.yml) or give --root")

    @classmethod
    def from_config(cls, config: Path) -> Project:
        settings = plugin_settings(config)
        return cls.at(config.parent, *(str(settings.get(k, v)) for k, v in FOLDER_SETTINGS.items()),
                      config_file=config.resolve())


def config_file_in(folder: Path) -> Path | None:
    return next((folder / n for n in CONFIG_NAMES if (folder / n).is_file()), None)


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without running anything: tags such as !ENV or !!python/name become plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugin_settings(config: Path) -> dict[str, Any]:
    """The ``hls`` plugin's options in mkdocs.yml (empty when it has none)."""
    try:
        data = yaml.load(config.read_text("utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProjectError(f"cannot read {config}: {exc}") from None
    plugins = data.get("plugins") if isinstance(data, dict) else None
    entries = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)) for p in plugins or [])
    for name, options in entries:
        if name == "hls":
            return options if isinstance(options, dict) else {}
    return {}
