"""Shared fixtures: the fixture site, a built copy of it, and a way to run the `hls` command."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
#: The address the real site is built for in tests (served from loopback; its links are relative).
REAL_SITE_URL = "https://hls.example.org/"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def run_hls(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `hls` command as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "hls_site.cli", *args], cwd=cwd, input=input,
        capture_output=True, text=True, timeout=300,
    )


def run_mkdocs(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site."""
    target = tmp_path / "site-src"
    shutil.copytree(FIXTURE_SITE, target)
    return target


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The fixture site built once with `mkdocs build --strict`; returns the output folder."""
    src = tmp_path_factory.mktemp("fixture") / "src"
    shutil.copytree(FIXTURE_SITE, src)
    result = run_mkdocs("build", "--strict", "-d", str(src / "out"), cwd=src)
    assert result.returncode == 0, result.stderr
    return src / "out"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site (this repository's content) built once with --strict."""
    out = tmp_path_factory.mktemp("real") / "site"
    # mkdocs.yml carries no address (the Pages workflow and `hls build --site-url` give it)
    result = run_mkdocs("build", "--strict", "-d", str(out), cwd=ROOT, env={"HLS_SITE_URL": REAL_SITE_URL})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def site(built_site, serve_dir) -> str:
    """The real site served over loopback HTTP (no security headers); its base URL."""
    return serve_dir(built_site)


@pytest.fixture(scope="session")
def cases(built_site) -> list[dict]:
    """The real site's cases as its published data/cases.json gives them."""
    return json.loads((built_site / "data" / "cases.json").read_text("utf-8"))["cases"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """Serve a folder over loopback HTTP; returns a function (folder, prefix) -> base URL."""
    servers = []

    def start(folder: Path, prefix: str = "/") -> str:
        if prefix != "/":  # serve under a subpath by placing the site inside a parent folder
            parent = folder.parent / f"_under_{prefix.strip('/')}"
            if not parent.exists():
                (parent / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(folder, parent / prefix.strip("/"))
            folder = parent
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


def http_get(url: str, gzip: bool = False):
    """(status, headers, body) without following redirects; body is left compressed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
