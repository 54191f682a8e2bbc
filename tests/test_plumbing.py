"""Plumbing: the GitHub workflows, the lock file, the Dockerfile and the nginx configurations.

Checks that every workflow passes zizmor (offline), that every action is pinned to a commit, that
requirements.lock pins every package with hashes and satisfies pyproject.toml, and runs both nginx
configurations (the whole server and the snippet for a path) against a small static site.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT, http_get

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NGINX_DIR = ROOT / "deploy" / "nginx"
DEFAULT_CONF = NGINX_DIR / "default.conf"
SNIPPET = NGINX_DIR / "location-snippet.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
SHA_PIN = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+$")


# GitHub workflows


def _zizmor() -> str | None:
    beside_python = Path(sys.executable).parent / "zizmor"
    return str(beside_python) if beside_python.exists() else shutil.which("zizmor")


def test_zizmor_reports_nothing_offline():
    zizmor = _zizmor()
    if zizmor is None:
        pytest.skip("zizmor is not installed (it is in the test extra: scripts/setup installs it)")
    result = subprocess.run([zizmor, "--offline", "--strict-collection", "--format", "json", ".github"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], json.dumps(findings, indent=2)
    for workflow in WORKFLOWS:  # all of them were read
        assert f"completed .github/workflows/{workflow.name}" in result.stderr, result.stderr


def _steps(workflow: Path):
    for name, job in yaml.safe_load(workflow.read_text())["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def test_every_action_is_pinned_to_a_commit_with_its_version():
    uses = []
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            if match := re.match(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$", line):
                uses.append(match.group(1))
                assert SHA_PIN.match(match.group(1)), f"{workflow.name}: pin to a commit with '# vX.Y.Z': {line}"
    assert len(uses) >= 6


def test_every_checkout_drops_its_credentials():
    checkouts = [(workflow.name, step) for workflow in WORKFLOWS for _, _, step in _steps(workflow)
                 if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for name, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, name


def test_permissions_are_per_job_and_least():
    for workflow in WORKFLOWS:
        data = yaml.safe_load(workflow.read_text())
        assert data["permissions"] == {}, f"{workflow.name}: top-level permissions must be {{}}"
        for name, job in data["jobs"].items():
            permissions = job.get("permissions")
            assert isinstance(permissions, dict), f"{workflow.name}:{name} says which permissions it needs"
            runs = " ".join(step.get("run", "") for step in job.get("steps", []))
            writes = {scope for scope, level in permissions.items() if level == "write"}
            if "pip" in runs or "scripts/" in runs or any("checkout" in step.get("uses", "")
                                                            for step in job.get("steps", [])):
                # A job that installs packages or runs the repository's code gets no write access.
                assert writes == set(), f"{workflow.name}:{name} runs code and may write {writes}"
            else:
                assert writes <= {"pages", "id-token"}, f"{workflow.name}:{name}: {writes}"
            assert writes.isdisjoint({"contents", "actions", "packages", "pull-requests"}), name


def test_dependabot_watches_actions_and_python_weekly():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    schedules = {update["package-ecosystem"]: update["schedule"]["interval"] for update in config["updates"]}
    assert schedules.get("github-actions") == "weekly" and schedules.get("pip") == "weekly", schedules


def test_workflows_install_from_the_lock():
    setup = (ROOT / "scripts" / "setup").read_text()
    assert "--require-hashes -r requirements.lock" in setup
    assert "--no-deps" in setup
    for workflow in WORKFLOWS:
        runs = [step.get("run", "") for _, _, step in _steps(workflow)]
        if any("pip" in run for run in runs):
            pytest.fail(f"{workflow.name} calls pip itself; install with scripts/setup (from the lock)")
        if any(".venv/bin/" in run for run in runs):
            assert "scripts/setup" in runs, workflow.name


# The lock


def _lock() -> dict[str, list[tuple[str, str, list[str]]]]:
    """name -> [(version, marker, hashes)]; more than one entry where versions differ by marker."""
    text = LOCK.read_text()
    assert "\\\n" in text
    entries: dict[str, list[tuple[str, str, list[str]]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        logical = block.replace("\\\n", " ")
        lines = [x for x in logical.splitlines() if x.strip() and not x.lstrip().startswith("#")]
        if not lines:
            continue
        assert len(lines) == 1, f"unexpected lines in requirements.lock: {lines}"
        first, *options = lines[0].split(" --")
        assert not first.startswith("-"), f"no options other than hashes in the lock: {lines[0]}"
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^ ;]+)\s*(?:;\s*(.+?))?\s*", first)
        assert match, f"not an exact pin: {first}"
        hashes = [o.strip().removeprefix("hash=") for o in options]
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), f"{first}: {options}"
        name = canonicalize_name(match.group(1))
        entries.setdefault(name, []).append((match.group(2), match.group(3) or "", hashes))
    return entries


def test_lock_pins_every_package_exactly_with_hashes_and_no_prerelease():
    lock = _lock()
    assert len(lock) > 20
    for name, pins in lock.items():
        for version, _, _ in pins:
            assert not Version(version).is_prerelease, f"{name}=={version} is a pre-release"


def _requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = [*project["dependencies"], *project["optional-dependencies"]["test"],
             *PYPROJECT["build-system"]["requires"]]
    return [Requirement(text) for text in texts]


def test_lock_satisfies_pyproject():
    lock = _lock()
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{requirement} is not in requirements.lock: run scripts/lock"
        for version, _, _ in lock[name]:
            assert requirement.specifier.contains(version), f"lock has {name}=={version}, pyproject wants " \
                                                            f"{requirement}: run scripts/lock"
        for extra in requirement.extras:  # pagefind[bin] -> pagefind-bin
            assert canonicalize_name(f"{name}-{extra}") in lock or extra == "test", f"{requirement}: {extra}"


def test_pyproject_has_no_prerelease_pins_and_pins_pagefind_exactly():
    for requirement in _requirements():
        for spec in requirement.specifier:
            assert not Version(spec.version.removesuffix(".*")).is_prerelease, str(requirement)
        assert requirement.specifier.prereleases is not True, str(requirement)
    pagefind = next(r for r in _requirements() if r.name == "pagefind")
    assert pagefind.extras == {"bin"}
    (spec,) = pagefind.specifier
    assert spec.operator == "==" and "*" not in spec.version, f"pin pagefind exactly: {pagefind}"
    lock = _lock()
    assert [v for v, _, _ in lock["pagefind"]] == [spec.version]
    assert [v for v, _, _ in lock["pagefind-bin"]] == [spec.version]


def test_licence_metadata_is_pep_639():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and "LICENSE" in project["license-files"]
    (setuptools,) = [r for r in _requirements() if r.name == "setuptools"]
    assert setuptools.specifier.contains("77.0.0") and not setuptools.specifier.contains("76.1.0")


# Docker


def test_dockerfile_installs_from_the_lock_on_exact_base_images():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    images = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.M)
    assert images, "no FROM in the Dockerfile"
    for image in images:
        # an exact version: name:1.2.3-variant (optionally @sha256:...)
        assert re.fullmatch(r"[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?", image), image


# nginx: the configurations as text


def _active(conf: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in conf.splitlines())


def test_configs_start_without_ipv6_and_say_how_to_enable_it():
    text = DEFAULT_CONF.read_text()
    assert not re.search(r"listen\s+\[", _active(text)), "`listen [::]` stops nginx on an IPv4-only host"
    assert re.search(r"^\s*#\s+listen \[::\]:80;", text, flags=re.M)
    assert not re.search(r"^\s*listen\b", _active(SNIPPET.read_text()), flags=re.M)  # your server's own


def _default_conf_document_headers() -> dict[str, str]:
    text = DEFAULT_CONF.read_text()
    values = {}
    for name, variable in re.findall(r"add_header ([\w-]+) \$(\w+) always;", text):
        block = re.search(r"map \$\w+ \$" + variable + r" \{(.*?)\n\}", text, flags=re.S)
        if variable == "hls_cache_control":
            continue
        html = re.search(r'"~\^text/html"\s+"([^"]*)";', block.group(1))
        values[name] = html.group(1)
    values.update(re.findall(r'add_header ([\w-]+) "([^"$]*)" always;', _active(text)))
    return values


def test_snippet_sends_the_same_security_headers_as_the_server():
    expected = _default_conf_document_headers()
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
            "X-Frame-Options", "Cross-Origin-Opener-Policy"} <= expected.keys()
    snippet = dict(re.findall(r'add_header ([\w-]+) "([^"]*)" always;', _active(SNIPPET.read_text())))
    assert snippet == expected


# nginx: running them


@pytest.fixture(scope="module")
def nginx_bin() -> str:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; scripts/test installs Debian's nginx package")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return NGINX


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site(folder: Path, base: str) -> None:
    """A stand-in for a built site: pages, a folder, fingerprinted and Pagefind files, a CSV."""
    files = {
        "index.html": "<!doctype html><title>Home</title>",
        "404.html": f"<!doctype html><title>Not found</title><p>hls-own-404 {base}</p>",
        "cases/index.html": "<!doctype html><title>Cases</title>",
        "cases/alpha/index.html": "<!doctype html><title>Alpha</title>",
        "assets/javascripts/bundle.0123abcd.min.js": "console.log(1);" * 40,
        "assets/hls/hls.css": "body{margin:0}" * 40,
        "pagefind/pagefind.js": "export {};" * 40,
        "pagefind/index/en_abc.pf_index": "x",
        "data/cases.csv": "slug,title\nalpha,Alpha\n",
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


class Nginx:
    def __init__(self, binary: str, workdir: Path, servers: str) -> None:
        self.binary, self.workdir = binary, workdir
        types = f"include {MIME_TYPES};" if MIME_TYPES.is_file() else (
            "types { text/html html; text/css css; application/javascript js; application/json json; }")
        temp = "\n".join(f"    {kind}_temp_path {workdir}/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf = workdir / "nginx.conf"
        self.conf.write_text(f"{user}worker_processes 1;\nevents {{ worker_connections 64; }}\n"
                             f"http {{\n    {types}\n    default_type application/octet-stream;\n"
                             f"    access_log off;\n{temp}\n{servers}\n}}\n")
        self.globals = f"daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log;"

    def command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", str(self.workdir), "-c", str(self.conf), "-g", self.globals, *extra]

    def error_log(self) -> str:
        log = self.workdir / "error.log"
        return log.read_text() if log.exists() else ""

    def __enter__(self) -> Nginx:
        check = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr + self.error_log()
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return self

    def wait_for(self, port: int) -> None:
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"nginx exited: {self.proc.stdout.read()}{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"nginx did not start listening: {self.error_log()}")

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _redirect_target(url: str) -> tuple[int, str]:
    status, headers, _ = http_get(url)
    return status, urllib.parse.urljoin(url, headers["Location"] or "")


def _server_block(webroot: Path, port: int) -> str:
    """default.conf with its root and listen replaced, as tests/test_hosting.py does."""
    server = DEFAULT_CONF.read_text()
    server, roots = re.subn(r"^(\s*)root\s+[^;]+;", lambda m: f'{m.group(1)}root "{webroot}";', server, flags=re.M)
    server, listens = re.subn(r"^\s*listen\s+[^;]+;\n", "", server, flags=re.M)
    assert roots == 1 and listens == 1
    return server.replace("server {", f"server {{\n    listen 127.0.0.1:{port};", 1)


def test_folder_redirects_keep_the_path_behind_a_path_stripping_proxy(nginx_bin, tmp_path):
    """A proxy serves default.conf's server at /kb/, stripping /kb: /kb/cases must go to /kb/cases/."""
    webroot, site_port, proxy_port = tmp_path / "site", _free_port(), _free_port()
    _site(webroot, "/kb/")
    proxy = (f"server {{\n    listen 127.0.0.1:{proxy_port};\n"
             f"    location /kb/ {{ proxy_pass http://127.0.0.1:{site_port}/; }}\n}}\n")
    with Nginx(nginx_bin, tmp_path, _server_block(webroot, site_port) + proxy) as server:
        server.wait_for(proxy_port)
        server.wait_for(site_port)
        site, front = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{proxy_port}/kb"
        assert _redirect_target(front + "/cases") == (301, front + "/cases/")
        assert _redirect_target(front + "/cases/alpha?x=1") == (301, front + "/cases/alpha/?x=1")
        assert http_get(front + "/cases/alpha/")[0] == 200
        # served directly, the same redirects stay on the site
        assert _redirect_target(site + "/cases") == (301, site + "/cases/")
        status, headers, body = http_get(site + "/cases/missing")
        assert status == 404 and b"hls-own-404" in body
        assert headers["X-Content-Type-Options"] == "nosniff"
        # the data export keeps its type
        status, headers, _ = http_get(site + "/data/cases.csv")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_snippet_serves_the_site_under_a_path_of_an_existing_server(nginx_bin, tmp_path):
    webroot, port = tmp_path / "www", _free_port()
    _site(webroot / "kb", "/kb/")
    (webroot / "own.html").write_text("the existing site")
    snippet = SNIPPET.read_text()
    snippet, roots = re.subn(r"^(\s*)root\s+[^;]+;", lambda m: f'{m.group(1)}root "{webroot}";', snippet,
                             flags=re.M)
    assert roots == 1
    (tmp_path / "hls-library.conf").write_text(snippet)
    # An existing server with its own root, 404 handling, headers and a regex location for scripts
    existing = (f"server {{\n    listen 127.0.0.1:{port};\n    root \"{webroot}\";\n"
                f"    add_header X-Existing-Site yes;\n    error_page 404 /own-404.html;\n"
                f"    location ~* \\.js$ {{ add_header X-Existing-Js yes; }}\n"
                f"    include {tmp_path}/hls-library.conf;\n}}\n")
    with Nginx(nginx_bin, tmp_path, existing) as server:
        server.wait_for(port)
        base = f"http://127.0.0.1:{port}"
        assert http_get(base + "/own.html")[0] == 200  # the existing site is untouched
        expected = _default_conf_document_headers()

        status, headers, _ = http_get(base + "/kb/")
        assert status == 200
        for name, value in expected.items():
            assert headers[name] == value, name
        assert headers["Cache-Control"] == "public, max-age=300"
        assert "nginx/" not in headers.get("Server", "")

        # the library's own 404 page, with the same headers
        status, headers, body = http_get(base + "/kb/no/such/page/")
        assert status == 404 and b"hls-own-404" in body and "text/html" in headers["Content-Type"]
        assert headers["Content-Security-Policy"] == expected["Content-Security-Policy"]
        assert http_get(base + "/kb/cases/missing")[0] == 404

        # folders redirect relatively; the path itself gets its slash
        assert _redirect_target(base + "/kb") == (301, base + "/kb/")
        assert _redirect_target(base + "/kb/cases") == (301, base + "/kb/cases/")
        assert _redirect_target(base + "/kb/cases/alpha") == (301, base + "/kb/cases/alpha/")
        assert http_get(base + "/kb/cases/alpha/")[0] == 200

        # caching, compression and types as in default.conf; the existing server's .js rule stays out
        status, headers, body = http_get(base + "/kb/assets/javascripts/bundle.0123abcd.min.js", gzip=True)
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Content-Encoding"] == "gzip" and headers["X-Existing-Js"] is None
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert http_get(base + "/kb/pagefind/pagefind.js")[1]["Cache-Control"] == "no-cache"
        assert http_get(base + "/kb/pagefind/index/en_abc.pf_index")[1]["Cache-Control"] == \
            "public, max-age=31536000, immutable"
        status, headers, _ = http_get(base + "/kb/data/cases.csv")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert headers["Cache-Control"] == "public, max-age=300"
        assert "uninitialized" not in server.error_log()
