"""Table column alignment as classes, so aligned tables survive the CSP and the sanitiser.

Python-Markdown writes ``| ---: |`` as ``style="text-align: right;"`` on each cell. A
Content-Security-Policy without ``'unsafe-inline'`` blocks style attributes (one violation a cell)
and the sanitiser drops them, so the alignment was lost. This extension turns them into
``class="hls-align-right"`` (left, center, right), which hls.css styles and the sanitiser keeps.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_ALIGN = re.compile(r"^\s*text-align:\s*(left|center|right)\s*;?\s*$")
CLASS_PREFIX = "hls-align-"


class _AlignToClass(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            match = _ALIGN.match(cell.get("style", ""))
            if match:
                del cell.attrib["style"]
                classes = cell.get("class", "").split()
                cell.set("class", " ".join([*classes, CLASS_PREFIX + match.group(1)]))
            elif cell.get("align") in ("left", "center", "right"):  # tables' use_align_attribute form
                cell.set("class", " ".join([*cell.get("class", "").split(), CLASS_PREFIX + cell.attrib.pop("align")]))


class TableAlignExtension(Extension):
    """Register with ``markdown.Markdown(extensions=["tables", TableAlignExtension()])``."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_AlignToClass(md), "hls_table_align", 1)


def makeExtension(**kwargs) -> TableAlignExtension:  # noqa: N802 (Python-Markdown's entry point)
    return TableAlignExtension(**kwargs)
