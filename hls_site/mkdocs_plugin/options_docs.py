"""The plugin's options table for the docs, written from :class:`.config.HlsConfig` itself.

Names, types and defaults come from the config class; descriptions from each option's ``#:``
comment. A page carries the marker where the table belongs (docs/host-your-own.md does).
"""

from __future__ import annotations

import ast
import inspect
import json

from mkdocs.config import config_options as c

from ..markers import fill_between
from . import config as config_module
from .config import HlsConfig

OPTIONS_MARKER = "<!-- hls:plugin-options -->"


def descriptions() -> dict[str, str]:
    """Option name -> the ``#:`` comment above it in config.py."""
    lines = inspect.getsource(config_module).splitlines()
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            comments, row = [], node.lineno - 2
            while row >= 0 and lines[row].strip().startswith("#:"):
                comments.insert(0, lines[row].strip().removeprefix("#:").strip())
                row -= 1
            if comments:
                found[node.targets[0].id] = " ".join(comments)
    return found


def _kind(option: c.BaseConfigOption) -> str:
    if isinstance(option, c.ListOfItems):
        return "list of text"
    expected = getattr(option, "_type", None)
    return {str: "text", bool: "true/false", int: "whole number"}.get(expected, "value")


def options_table() -> str:
    """A Markdown table: option, value, default, what it does; one row per option of the plugin."""
    docs = descriptions()
    rows = ["| Option | Value | Default | What it does |", "| --- | --- | --- | --- |"]
    for name, option in HlsConfig._schema:
        default = json.dumps(option.default) if not isinstance(option.default, str) else option.default
        rows.append(f"| `{name}` | {_kind(option)} | `{default}` | {docs.get(name, '')} |")
    return "\n".join(rows)


def fill_options(text: str) -> str:
    """Put the current table after the marker (replacing any table up to the end marker)."""
    return fill_between(text, OPTIONS_MARKER, "<!-- /hls:plugin-options -->", lambda level: options_table(),
                        gap="\n\n")
