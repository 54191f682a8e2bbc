"""Options of the ``hls`` plugin in mkdocs.yml. Paths are relative to mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class HlsConfig(Config):
    cases_dir = c.Type(str, default="cases")
    principles_dir = c.Type(str, default="principles")
    guide_dir = c.Type(str, default="guide")
    #: A folder of vocabulary files that extend the shipped ones (sectors.yaml, practices.yaml, ...).
    vocabularies_dir = c.Type(str, default="vocabularies")
    #: Run Pagefind after each build so that search works (in build and in serve).
    search = c.Type(bool, default=True)
    #: Cases per page on listing pages (the cases index, organisation and country pages).
    page_size = c.Type(int, default=50)
    #: Slugs of cases to feature on the home page (default: complete cases featured in HLS publications).
    featured = c.ListOfItems(c.Type(str), default=[])
