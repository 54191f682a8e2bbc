"""``hls serve``: MkDocs' live-reloading server, tuned for the edit-save-look loop.

The same server as ``mkdocs serve``, with three differences: the build is incremental (MkDocs' dirty
build, answered page by page by :mod:`.incremental`), files are polled every 0.2 s rather than 0.5 s,
and SIGTERM stops it as cleanly as Ctrl+C (the background search indexer and the temporary site
folder go with it). A port in use is reported before anything is built.
"""

from __future__ import annotations

import errno
import logging
import shutil
import signal
import socket
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.commands.serve import _serve_url
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.commands.serve")
POLLING_INTERVAL = 0.2


class PortInUse(Exception):
    pass


def check_port(host: str, port: int) -> None:
    """Raise PortInUse if nothing can listen on host:port (said in one line, before any build)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is already in use (another `hls serve`?); stop that "
                                f"server or choose another port with --dev-addr {host}:{port + 1}") from None
            raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class _QuietDirty(logging.Filter):
    """MkDocs warns on every dirty build; the preview's dirty build is exact, so say nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # Citation anchors are put in after Markdown (through slots), where MkDocs' link check cannot see them.
        return "'dirty' build" not in message and not ("contains a link '#source-" in message
                                                         or "contains a link '#cite-" in message)


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(config_file: Path, dev_addr: str, *, livereload: bool = True) -> None:
    """Build into a temporary folder and serve it, rebuilding what each save changed."""
    site_dir = tempfile.mkdtemp(prefix="hls-serve-")
    for name in ("mkdocs.commands.build", "mkdocs.structure.pages"):
        logging.getLogger(name).addFilter(_QuietDirty())
    previous = signal.signal(signal.SIGTERM, _terminate)

    def get_config():
        return load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=dev_addr)

    config = get_config()
    try:
        config.plugins.on_startup(command="serve", dirty=True)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        config.site_url = serve_url = _serve_url(host, port, mount_path)

        def builder(config=None) -> None:
            log.info("Building documentation...")
            if config is None:
                config = get_config()
                config.site_url = serve_url
            build(config, serve_url=serve_url, dirty=True)

        server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path,
                                  polling_interval=POLLING_INTERVAL)

        def error_handler(code: int) -> bytes | None:
            page = Path(site_dir) / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server.error_handler = error_handler
        try:
            builder(config)
            if livereload:
                server.watch(config.docs_dir)
                server.watch(str(config_file))
                server = config.plugins.on_serve(server, config=config, builder=builder)
                for item in config.watch:
                    server.watch(item)
            try:
                server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        except KeyboardInterrupt:  # stopped during the first build
            log.info("Shutting down...")
    finally:
        config.plugins.on_shutdown()
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(site_dir, ignore_errors=True)
