"""`hls serve` as a contributor meets it: a real server on a free port, an edit, the page read back."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import run_hls

START_TIMEOUT = 120
EDIT_TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _wait_for(url: str, want: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status == 200 and want in body:
            return body
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {want!r} within {timeout} s; last body: {body[:500]}")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.fixture
def server(site_copy: Path):
    port = _free_port()
    log = site_copy.parent / "serve.log"
    with log.open("w") as out:
        # As from a terminal: a shell without job control starts background commands with SIGINT
        # ignored, and Python then keeps it ignored; Ctrl+C in a terminal is never ignored.
        proc = subprocess.Popen([sys.executable, "-m", "hls_site.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=site_copy / "cases", stdout=out, stderr=subprocess.STDOUT,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "cases/beta-forum/", "Beta Forum", START_TIMEOUT)
        yield proc, base, site_copy, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_an_edit_shows_on_the_case_page_and_its_listings(server):
    proc, base, site, _ = server
    case = site / "cases" / "beta-forum.md"
    text = case.read_text()
    case.write_text(text.replace("## Context\n\n", "## Context\n\nA freshly saved sentence [S1]. ", 1))
    _wait_for(base + "cases/beta-forum/", "A freshly saved sentence", EDIT_TIMEOUT)
    case.write_text(case.read_text().replace("title: Beta Forum", "title: Beta Learning Forum"))
    _wait_for(base + "cases/beta-forum/", "Beta Learning Forum", EDIT_TIMEOUT)
    listing = _wait_for(base + "cases/", "Beta Learning Forum", EDIT_TIMEOUT)  # pages that list the case follow
    assert "Beta Learning Forum" in listing
    _wait_for(base + "countries/fi/", "Beta Learning Forum", EDIT_TIMEOUT)
    # a case that lists it under "Related cases" is made again too, though its own file did not change
    _wait_for(base + "cases/alpha-alliance/", "Beta Learning Forum", EDIT_TIMEOUT)
    # and the downloads that carry it: the open data and the case's citation
    _wait_for(base + "data/cases.json", "Beta Learning Forum", EDIT_TIMEOUT)
    _wait_for(base + "data/cite/beta-forum.bib", "Beta Learning Forum", EDIT_TIMEOUT)


def test_an_invalid_case_is_a_draft_page_with_its_problems(server):
    proc, base, site, _ = server
    case = site / "cases" / "beta-forum.md"
    case.write_text(case.read_text().replace("country: FI", "country: UK").replace(
        "## Context\n\n", "## Context\n\nStill writing this <script>alert(1)</script> part. ", 1))
    body = _wait_for(base + "cases/beta-forum/", "Draft:", EDIT_TIMEOUT)
    assert "line 6, column 10" in body and "country" in body and "use GB" in body
    assert "Still writing this" in body  # what can be shown of it, below the problems
    assert "<script>alert(1)" not in body  # the sanitiser is still in the path
    # A new scaffold, full of TODOs, previews too.
    assert run_hls("new", "Gamma Draft", "--root", str(site)).returncode == 0
    draft = _wait_for(base + "cases/gamma-draft/", "Draft:", EDIT_TIMEOUT)
    assert "placeholder" in draft


def test_sigterm_stops_everything_serve_started(server):
    proc, base, _, _ = server
    time.sleep(2)  # let the background search indexer start
    children = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    assert _get(base)[0] == 0, "the port still answers after SIGTERM"
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)


def test_sigint_stops_it_too(server):
    proc, base, _, _ = server
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    assert _get(base)[0] == 0


def test_a_busy_port_is_one_line_before_any_build(site_copy):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        start = time.monotonic()
        result = run_hls("serve", "--root", str(site_copy), "--dev-addr", f"127.0.0.1:{port}")
        elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
    assert "Traceback" not in result.stderr and "Building" not in result.stderr
    assert elapsed < 10
