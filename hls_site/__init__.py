"""HLS case library: the core (schema, loading, validation, relations, exports) and a thin MkDocs adapter.

Nothing in this package outside ``hls_site.mkdocs_plugin`` and ``hls_site.cli`` imports MkDocs.
"""

__version__ = "0.1.0"
