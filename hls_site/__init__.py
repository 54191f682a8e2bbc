"""HLS case library: the core (schema, loading, validation, relations, exports) and a thin MkDocs adapter.

Nothing in this package outside ``hls_site.mkdocs_plugin`` and ``hls_site.cli`` imports MkDocs.
"""

__version__ = "0.1.0"

from . import bracket_scan  # noqa: E402

# Every Markdown this package renders (the validator's safety check, the site's pages, a staged tree)
# finds link brackets in linear time; installed once here, where all three paths begin.
bracket_scan.install()
