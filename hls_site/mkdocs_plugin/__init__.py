"""The MkDocs adapter: the only part of hls_site that knows about MkDocs."""
