"""Hosting: the shipped nginx config (deploy/nginx/default.conf) serving the built site.

Runs Debian's nginx with the config as shipped (only `root` and `listen` changed), checks its
headers, then loads pages and searches in headless Chromium through it: any console error (a
Content-Security-Policy violation is one) or any request to another host fails the test.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import FIXTURE_SITE, ROOT, http_get, run_mkdocs
from hls_site.linkcheck import check_site

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx" / "default.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")
IMMUTABLE = "public, max-age=31536000, immutable"
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
#: A <script> with any other type (application/json, text/pagefind-template) is data, not run.
SCRIPT_TYPE = re.compile(r"""\btype=["']?(?!(?:module|text/javascript|application/javascript)\b)""")


def _shipped_csp() -> str:
    text = SHIPPED.read_text()
    assert "add_header Content-Security-Policy $hls_csp always;" in text
    match = re.search(r'map \$sent_http_content_type \$hls_csp \{\s*"~\^text/html"\s+"([^"]+)";', text)
    assert match, "deploy/nginx/default.conf sets no Content-Security-Policy"
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_bin() -> str:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; scripts/test installs Debian's nginx package")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return NGINX


class Nginx:
    """The shipped server block, with its root and port replaced, run in the foreground."""

    def __init__(self, binary: str, workdir: Path, root: Path, port: int) -> None:
        self.binary, self.workdir, self.port = binary, workdir, port
        workdir.mkdir(parents=True, exist_ok=True)
        server = SHIPPED.read_text()
        server, roots = re.subn(r"^(\s*)root\s+[^;]+;", lambda m: f'{m.group(1)}root "{root}";', server, flags=re.M)
        server, listens = re.subn(r"^\s*listen\s+[^;]+;\n", "", server, flags=re.M)
        assert roots == 1 and listens >= 1, "expected one root and a listen directive in default.conf"
        server = server.replace("server {", f"server {{\n    listen 127.0.0.1:{port};", 1)
        (workdir / "default.conf").write_text(server)
        types = f"include {MIME_TYPES};" if MIME_TYPES.is_file() else (
            "types { text/html html; text/css css; application/javascript js; application/json json; "
            "image/png png; image/svg+xml svg; }")
        temp = "\n".join(f"    {kind}_temp_path {workdir}/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's private tmp dir
        self.conf = workdir / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n    {types}\n    default_type application/octet-stream;\n    access_log off;\n"
            f"{temp}\n    include {workdir}/default.conf;\n}}\n"
        )
        self.globals = f"daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log;"
        self.proc: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", str(self.workdir), "-c", str(self.conf), "-g", self.globals, *extra]

    def error_log(self) -> str:
        log = self.workdir / "error.log"
        return log.read_text() if log.exists() else ""

    def start(self) -> str:
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"nginx exited: {self.proc.stdout.read()}{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return f"http://127.0.0.1:{self.port}"
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"nginx did not start listening: {self.error_log()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_root(nginx_bin, built_fixture, tmp_path_factory):
    """The built fixture site served by nginx at the root; yields the base URL (no trailing /)."""
    server = Nginx(nginx_bin, tmp_path_factory.mktemp("nginx"), built_fixture, _free_port())
    url = server.start()
    yield url
    server.stop()


# (a) the config as shipped is valid


def test_shipped_config_passes_nginx_t(nginx_bin, built_fixture, tmp_path):
    server = Nginx(nginx_bin, tmp_path / "nginx", built_fixture, _free_port())
    result = subprocess.run(server.command("-t"), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr + server.error_log()
    assert "test is successful" in result.stderr


# (b) headers, caching, compression and the 404 page


def test_security_headers_are_sent_as_shipped(nginx_root):
    status, headers, _ = http_get(nginx_root + "/")
    assert status == 200
    assert headers["Content-Security-Policy"] == _shipped_csp()
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "nginx/" not in headers.get("Server", "")  # no version disclosed


def test_document_headers_go_only_where_they_apply(nginx_root, built_fixture):
    """The CSP governs documents and workers (their scripts); index chunks and styles go without it."""
    worker = http_get(nginx_root + "/pagefind/pagefind-worker.js")[1]
    assert worker["Content-Security-Policy"] == _shipped_csp()
    chunk = next(built_fixture.glob("pagefind/fragment/*.pf_fragment")).relative_to(built_fixture)
    status, headers, _ = http_get(f"{nginx_root}/{chunk.as_posix()}")
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    for name in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy",
                 "Referrer-Policy"):
        assert headers[name] is None, name


def test_every_inline_script_is_allowed_by_hash(built_fixture):
    """Material writes small inline scripts into each page; the CSP allows each one by its hash."""
    csp = _shipped_csp()
    missing = {}
    for page in built_fixture.rglob("*.html"):
        for script in INLINE_SCRIPT.finditer(page.read_text("utf-8")):
            if re.search(r"\bsrc=", script["attrs"]) or SCRIPT_TYPE.search(script["attrs"]):
                continue
            digest = base64.b64encode(hashlib.sha256(script["body"].encode()).digest()).decode()
            if f"'sha256-{digest}'" not in csp:
                missing.setdefault(f"'sha256-{digest}'", (page.relative_to(built_fixture).as_posix(),
                                                          script["body"][:80]))
    assert not missing, f"add these to script-src in deploy/nginx/default.conf: {missing}"


def test_fingerprinted_assets_are_cached_for_a_year_and_html_briefly(nginx_root, built_fixture):
    bundle = next(built_fixture.glob("assets/javascripts/bundle.*.min.js")).relative_to(built_fixture)
    css = next(built_fixture.glob("assets/stylesheets/main.*.min.css")).relative_to(built_fixture)
    meta = next(built_fixture.glob("pagefind/pagefind.*.pf_meta")).relative_to(built_fixture)
    chunk = next(built_fixture.glob("pagefind/index/*.pf_index")).relative_to(built_fixture)
    for path in (bundle, css, meta, chunk):
        status, headers, _ = http_get(f"{nginx_root}/{path.as_posix()}")
        assert (status, headers["Cache-Control"]) == (200, IMMUTABLE), path
    for path in ("/", "/cases/alpha-alliance/"):
        status, headers, _ = http_get(nginx_root + path)
        assert (status, headers["Cache-Control"]) == (200, "public, max-age=300"), path
    # Pagefind's fixed-name entry file names the current index, so it is always revalidated
    for path in ("/pagefind/pagefind-entry.json", "/pagefind/pagefind.js", "/pagefind/wasm.en.pagefind"):
        assert http_get(nginx_root + path)[1]["Cache-Control"] == "no-cache", path


def test_text_is_gzipped_and_pagefind_files_are_not_compressed_twice(nginx_root, built_fixture):
    bundle = next(built_fixture.glob("assets/javascripts/bundle.*.min.js")).relative_to(built_fixture)
    for path in ("/", f"/{bundle.as_posix()}", "/pagefind/pagefind-component-ui.js",
                 "/pagefind/pagefind.js", "/assets/hls/hls.css"):
        status, headers, body = http_get(nginx_root + path, gzip=True)
        assert status == 200 and headers["Content-Encoding"] == "gzip", path
        assert body[:2] == b"\x1f\x8b" and "Accept-Encoding" in headers["Vary"], path
        assert http_get(nginx_root + path)[1]["Content-Encoding"] is None, path  # plain for those who ask
    # Pagefind writes these already gzipped; its script unpacks them
    meta = next(built_fixture.glob("pagefind/pagefind.*.pf_meta")).relative_to(built_fixture)
    for path in (f"/{meta.as_posix()}", "/pagefind/wasm.en.pagefind"):
        status, headers, body = http_get(nginx_root + path, gzip=True)
        assert status == 200 and headers["Content-Encoding"] is None and body[:2] == b"\x1f\x8b", path


def test_missing_page_gets_the_404_page_and_folders_redirect(nginx_root):
    status, headers, body = http_get(nginx_root + "/no/such/page/", gzip=False)
    assert status == 404
    assert "text/html" in headers["Content-Type"] and b"404" in body and b"md-content" in body
    assert headers["Content-Security-Policy"] == _shipped_csp()  # headers on errors too
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = http_get(nginx_root + "/cases")
    assert (status, headers["Location"]) == (301, "./cases/")  # relative: keeps a proxy's path prefix


# (c) the site works in a browser under this policy, and asks no other host for anything


def _watch(context, origin: str):
    """Record console errors, page errors, CSP violations and requests to other hosts."""
    problems: list[str] = []
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
        "window.__csp.push(e.effectiveDirective + ' blocked ' + e.blockedURI + ' (' + e.sourceFile + ')'));"
    )

    def on_request(request):
        url = request.url
        if not url.startswith(("data:", "blob:")) and not url.startswith(origin + "/"):
            problems.append(f"request to another host: {url}")

    def on_console(message):
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    context.on("request", on_request)
    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
    return problems


def _check_page(page, problems: list[str]) -> None:
    violations = page.evaluate("window.__csp")
    assert violations == [] and problems == [], violations + problems


def _search(page, query: str) -> list[str]:
    page.keyboard.press("Control+k")
    page.keyboard.type(query)
    page.locator("pagefind-modal a[href]").first.wait_for(timeout=15000)
    return [a.get_attribute("href") for a in page.locator("pagefind-modal a[href]").all()]


@pytest.mark.browser
def test_pages_and_search_work_under_the_policy(browser, nginx_root):
    context = browser.new_context()
    problems = _watch(context, nginx_root)
    workers: list[str] = []
    page = context.new_page()
    page.on("worker", lambda worker: workers.append(worker.url))
    try:
        for path in ("/", "/cases/alpha-alliance/"):
            response = page.goto(nginx_root + path)
            assert response.status == 200
            assert response.headers["content-security-policy"] == _shipped_csp()
            page.wait_for_load_state("networkidle")
            _check_page(page, problems)
        assert page.locator("h1").first.inner_text().startswith("Alpha Alliance")
        results = _search(page, "Zanzibarine")
        assert results[0] == "/cases/alpha-alliance/"
        page.wait_for_load_state("networkidle")
        _check_page(page, problems)
        # Pagefind searched in its web worker (worker-src) with its WebAssembly (wasm-unsafe-eval)
        assert workers == [nginx_root + "/pagefind/pagefind-worker.js"]
    finally:
        context.close()


# (d) served under a subpath


@pytest.fixture(scope="module")
def subpath_site(nginx_bin, tmp_path_factory):
    """The fixture site built for http://127.0.0.1:PORT/hls/ and served by nginx there."""
    tmp = tmp_path_factory.mktemp("subpath")
    source, webroot, port = tmp / "site-src", tmp / "webroot", _free_port()
    shutil.copytree(FIXTURE_SITE, source)
    config = source / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: http://127.0.0.1:{port}/hls/", config.read_text()))
    result = run_mkdocs("build", "--strict", "-d", str(webroot / "hls"), cwd=source)
    assert result.returncode == 0, result.stderr
    server = Nginx(nginx_bin, tmp / "nginx", webroot, port)
    yield webroot / "hls", server.start() + "/hls/"
    server.stop()


def test_every_link_resolves_under_a_subpath(subpath_site):
    site, base = subpath_site
    assert [str(b) for b in check_site(site, base_path="/hls/")] == []
    for path in ("", "cases/alpha-alliance/", "pagefind/pagefind.js"):
        assert http_get(base + path)[0] == 200, path
    assert urllib.parse.urljoin(base + "cases", http_get(base + "cases")[1]["Location"]) == base + "cases/"


@pytest.mark.browser
def test_search_works_under_a_subpath(browser, subpath_site):
    site, base = subpath_site
    origin = base.removesuffix("/hls/")
    context = browser.new_context()
    problems = _watch(context, origin)
    try:
        page = context.new_page()
        assert page.goto(base).status == 200
        try:
            results = _search(page, "Zanzibarine")
        except PlaywrightTimeout:
            # Pagefind's component UI is loaded as a module, so it cannot find its own URL and
            # falls back to /pagefind/; the theme must say where the bundle is.
            if ("bundle-path=" not in (site / "index.html").read_text()
                    and any("couldn't be loaded from /pagefind/pagefind.js" in p for p in problems)):
                pytest.xfail("theme: <pagefind-config> needs bundle-path=\"{{ hls_base_path }}pagefind/\" "
                             "for search to work under a subpath")
            raise
        assert results and all(href.startswith("/hls/cases/") for href in results), results
        assert results[0] == "/hls/cases/alpha-alliance/"
        page.locator("pagefind-modal a[href]").first.click()
        page.wait_for_url(base + "cases/alpha-alliance/")
        assert page.locator("h1").first.inner_text().startswith("Alpha Alliance")
        page.wait_for_load_state("networkidle")
        _check_page(page, problems)
    finally:
        context.close()
