"""The site's address: `hls build --site-url`, $HLS_SITE_URL, and refusing a loopback address."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import run_hls
from hls_site import site_address

#: A web address on the builder's machine (Material's source map mentions the words in a comment).
LOOPBACK = re.compile(rb"(?:https?:)?//(?:127\.\d+\.\d+\.\d+|localhost|\[::1\]|0\.0\.0\.0)[:/]")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://localhost/kb/", "http://[::1]/", ""])
def test_a_production_build_refuses_a_loopback_or_empty_address(site_copy, url):
    config = site_copy / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", "", config.read_text()))
    result = run_hls("build", "--root", str(site_copy), *(["--site-url", url] if url else []))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "hls build --site-url https://example.org/kb/" in result.stderr
    assert ("loopback" if url else "no site address") in result.stderr
    assert not (site_copy / "site").exists()


def test_the_fixture_config_address_is_refused_but_preview_builds_it(site_copy):
    """The fixture's mkdocs.yml says http://127.0.0.1:8765/: a published build must not carry it."""
    assert run_hls("build", "--root", str(site_copy)).returncode == 1
    result = run_hls("build", "--preview", "--root", str(site_copy))
    assert result.returncode == 0, result.stderr
    assert b"http://127.0.0.1:8765/cases/alpha-alliance/" in (site_copy / "site" / "data" / "cases.json").read_bytes()


def test_no_built_file_contains_a_loopback_address_when_a_site_url_is_given(site_copy):
    result = run_hls("build", "--root", str(site_copy), "--site-url", "https://example.org/kb")
    assert result.returncode == 0, result.stderr
    site = site_copy / "site"
    offenders = [p.relative_to(site).as_posix() for p in site.rglob("*")
                 if p.is_file() and LOOPBACK.search(_text(p))]
    assert offenders == []
    cases = json.loads((site / "data" / "cases.json").read_text())["cases"]
    assert {c["url"] for c in cases} >= {"https://example.org/kb/cases/alpha-alliance/"}
    schema = json.loads((site / "data" / "case.schema.json").read_text())
    assert schema["$id"] == "https://example.org/kb/data/case.schema.json"
    feed = (site / "feed.xml").read_text()
    assert '<link href="https://example.org/kb/"/>' in feed and "https://example.org/kb/cases/beta-forum/" in feed
    page = (site / "cases" / "beta-forum" / "index.html").read_text()
    assert "https://example.org/kb/cases/beta-forum/" in page  # the citation
    assert 'bundle-path="/kb/pagefind/"' in page and 'base-url="/kb/"' in page  # search under the path
    assert 'href="https://example.org/kb/cases/beta-forum/"' in page  # canonical link


def _text(path) -> bytes:
    """The file's bytes, unpacked if Pagefind gzipped them (its index holds page URLs and text)."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_the_environment_variable_sets_the_address_for_mkdocs_too(site_copy):
    env = {**os.environ, "HLS_SITE_URL": "https://library.example.net/"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "out"], cwd=site_copy,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    cases = json.loads((site_copy / "out" / "data" / "cases.json").read_text())["cases"]
    assert cases[0]["url"].startswith("https://library.example.net/cases/")
    env["HLS_PRODUCTION"], env["HLS_SITE_URL"] = "1", "http://localhost:8000"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "out"], cwd=site_copy,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "loopback" in result.stderr


def test_an_address_that_is_not_a_web_address_is_a_usage_message(site_copy):
    result = run_hls("build", "--root", str(site_copy), "--site-url", "example.org/kb")
    assert result.returncode == 1 and "not a full web address" in result.stderr
    assert "Traceback" not in result.stderr


def test_addresses_are_normalised_and_loopback_is_recognised():
    assert site_address.normalise("https://example.org/kb") == "https://example.org/kb/"
    assert site_address.base_path("https://example.org/kb/") == "/kb/"
    assert all(site_address.is_loopback(u) for u in ("http://127.1.2.3/", "http://app.localhost/", "http://0.0.0.0/"))
    assert not site_address.is_loopback("https://127-0-0-1.example.org/")
