"""What the preview keeps between builds, so a save rebuilds only the pages it changed.

``hls serve`` runs MkDocs' dirty build: MkDocs renders a page again (or writes a file again) only
when ``File.is_modified()`` says so. We answer that from the page's own input: for a case page,
everything ``render.case_page`` reads (so unchanged cases are not even made again); for a listing or
an organisation page, the Markdown our plugin makes for it; for a principle, guide or help page,
the file plus what the plugin adds to it; for a data file (exports, citations, the map), its text.
A page whose input is the same as last time keeps the HTML it has; any change to the configuration,
to the set of pages in the navigation or to a hand-written page builds everything again. ``hls
build`` never uses any of this.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import subprocess
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.structure.files import File, Files

from ..sanitise import Slots
from ..search_index import pagefind_command

log = logging.getLogger("mkdocs.plugins.hls")
#: Seconds to wait after a build before indexing search, so a burst of saves indexes once.
SEARCH_DELAY = 1.0


class ThemeListing:
    """The theme's file list, read once per preview instead of on every save.

    MkDocs lists every file of every theme folder on each build to copy its static files (Material
    ships thousands of icons: about 0.2 s a build). The preview watches the content, not the theme,
    so a file added to the theme shows after a restart, as it would without this; a changed one is
    still copied, since MkDocs compares each file's time.
    """

    def __init__(self) -> None:
        self._listings: dict[tuple, list[str]] = {}

    def install(self, theme) -> None:
        """Make ``theme.get_env()`` return environments whose ``list_templates`` is remembered."""
        get_env = theme.get_env
        key = (tuple(theme.dirs), tuple(theme.static_templates))
        listings = self._listings

        def get_env_with_listing():
            env = get_env()
            list_templates = env.list_templates

            def remembered(extensions=None, filter_func=None):
                if extensions is not None or filter_func is None:  # not MkDocs' call for static files
                    return list_templates(extensions, filter_func)
                if key not in listings:  # MkDocs' filter depends only on the key's static templates
                    listings[key] = list_templates(filter_func=filter_func)
                return list(listings[key])

            env.list_templates = remembered
            return env

        theme.get_env = get_env_with_listing


class TemplateCache(BytecodeCache):
    """Compiled theme templates kept in memory between the preview's builds (Jinja checks the source)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: A page's input: its text (digested once slot placeholders are expanded) or a value compared as is.
PageInput = str | tuple


class Fingerprints:
    """Each page's input digest, title and output file from the last build that finished."""

    def __init__(self) -> None:
        self._digests: dict[str, bytes | tuple] = {}
        self._pending: dict[str, bytes | tuple] = {}
        self._site = b""
        self._pending_site = b""
        self._titles: dict[str, str] = {}
        self._outputs: set[str] = set()
        self._pending_outputs: set[str] = set()
        self._pages = 0
        self.rebuilt: list[str] = []  # src_uris the current build renders again

    def mark(self, files: Files, page_input: Callable[[File], PageInput], slots: Slots, site: bytes,
             data: Iterable[File] = ()) -> None:
        """Set ``is_modified`` on each documentation page and each generated data file, from its input."""
        site_digest = hashlib.blake2b(site, digest_size=16).digest()
        everything = site_digest != self._site
        self._pending, self._pending_outputs, self.rebuilt = {}, set(), []
        pages = files.documentation_pages()
        self._pages = len(pages)
        for file in pages:
            value = page_input(file)
            if self._mark(file, value if isinstance(value, tuple) else _digest(slots.expand(value)), everything):
                self.rebuilt.append(file.src_uri)
        for file in data:  # written again only when its text changed
            self._mark(file, _digest(file.content_string), everything)
        self._pending_site = site_digest

    def _mark(self, file: File, key: bytes | tuple, everything: bool) -> bool:
        self._pending[file.src_uri] = key
        self._pending_outputs.add(file.abs_dest_path)
        changed = everything or self._digests.get(file.src_uri) != key or not os.path.isfile(file.abs_dest_path)
        file.is_modified = (lambda value: lambda: value)(changed)  # type: ignore[method-assign]
        return changed

    def restore_titles(self, nav) -> None:
        """A page not rendered again has no title of its own this build: give it last build's."""
        for page in nav.pages:
            if not page.file.is_modified() and page.file.src_uri in self._titles:
                page.title = self._titles[page.file.src_uri]

    def built(self, page) -> None:
        if page.title is not None:
            self._titles[page.file.src_uri] = str(page.title)

    def finish(self, site_dir: Path) -> None:
        """The build finished: remember its inputs, and delete pages that no longer exist (a renamed case)."""
        for stale in self._outputs - self._pending_outputs:
            with contextlib.suppress(OSError):
                os.remove(stale)
                folder = Path(stale).parent
                if folder != site_dir and not any(folder.iterdir()):
                    folder.rmdir()
        self._digests, self._site, self._outputs = self._pending, self._pending_site, self._pending_outputs
        log.info(f"Preview: {len(self.rebuilt)} of {self._pages} pages built again")


class BackgroundSearch:
    """Pagefind over the preview's site, at low priority and after the page is already showing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._timer: threading.Timer | None = None

    def start(self, site_dir: Path) -> None:
        self.stop()
        with self._lock:
            self._timer = threading.Timer(SEARCH_DELAY, self._run, args=(site_dir,))
            self._timer.daemon = True
            self._timer.start()

    def _run(self, site_dir: Path) -> None:
        with self._lock:
            if self._timer is None:
                return
            self._process = process = subprocess.Popen(
                pagefind_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                preexec_fn=_lower_priority if os.name == "posix" else None,
            )
        output, _ = process.communicate()
        if process.returncode == 0:
            log.info("Search index updated")
        elif process.returncode > 0:  # negative: stopped by a newer build or by shutdown
            log.warning(f"Pagefind failed (exit {process.returncode}); search shows the previous index:\n{output}")

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(10)
