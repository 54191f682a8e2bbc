"""Options of the ``hls`` plugin in mkdocs.yml. Paths are relative to mkdocs.yml.

Each option's ``#:`` comment is its documentation: docs/host-your-own.md shows the table that
:mod:`.options_docs` writes from this class, so the page and the code cannot disagree.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class HlsConfig(Config):
    #: The folder of case files, one Markdown file per case.
    cases_dir = c.Type(str, default="cases")
    #: The folder of the principle pages (human.md, learning.md, systems.md); each gets the cases that show it.
    principles_dir = c.Type(str, default="principles")
    #: The folder of the practical guide; a page's `cases:` front matter lists the cases that illustrate it.
    guide_dir = c.Type(str, default="guide")
    #: A folder of vocabulary files that extend the shipped ones (sectors.yaml, practices.yaml, ...).
    vocabularies_dir = c.Type(str, default="vocabularies")
    #: Run Pagefind after each build so that search works (in build and in serve).
    search = c.Type(bool, default=True)
    #: Cases per page on listing pages (the cases index, organisation and country pages).
    page_size = c.Type(int, default=50)
    #: Slugs of cases to feature on the home page (default: complete cases featured in HLS
    #: publications first, then the best documented).
    featured = c.ListOfItems(c.Type(str), default=[])
