"""Benchmark the case library at several sizes, print the results and write them into docs/benchmarks.md.

For each N it copies the project's content into a scratch folder, adds N synthetic cases beside the
real ones, then measures ``hls validate``, the full build (``mkdocs build --strict`` with our plugin,
Pagefind included), a plain mkdocs-material build of the same Markdown (plus Pagefind) as the
baseline, output and page sizes, and the bytes a first search transfers in headless chromium.
Every command runs as a child process, timed by the wall clock, with its peak memory from wait4.

Usage: ``scripts/bench`` or ``.venv/bin/python -m benchmarks.run [--sizes 0,100,1000,10000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import http.server
import importlib.metadata
import json
import os
import platform
import pstats
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import frontmatter
import yaml

from benchmarks.synth import TextPool, write_cases
from hls_site.validation import case_files
from hls_site.vocabularies import load_vocabularies

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = Path(__file__).resolve().parent / "results.json"
CONTENT = ("cases", "principles", "guide", "docs", "mkdocs.yml")
PY = sys.executable
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
NGINX_CONF = ROOT / "deploy" / "nginx" / "default.conf"
#: Where the browser measurements were served from, in order of preference for the targets.
SERVERS = {"nginx": "nginx, gzip", "plain": "http.server"}
PAGEFIND_ARGS = ["--exclude-selectors", ".headerlink"]  # as hls_site.search_index runs it
PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "pagefind_bin", "Markdown", "pymdown-extensions",
            "Jinja2", "pydantic", "PyYAML", "python-frontmatter", "playwright")
#: The fingerprint of the frozen copy of hls_site/ this run measures (see freeze_code).
CODE = {"fingerprint": ""}
#: A listing page is "bounded" if from the smallest N to the largest it grows by at most this factor.
LISTING_GROWTH = 1.25
#: Cases per page of the baseline's listing (our plugin paginates its own).
LISTING_PAGE = 50
_SHORT_PATH = re.compile(r".*(site-packages|hls_site|python3[.]\d+)/")
_TEMPLATE = re.compile(r"^template:.*\n", re.M)
KB = 1024
MB = 1024 * 1024


def say(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the results table."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Running and measuring commands


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # the largest of the process and its descendants (wait4)
    returncode: int
    output: str


def run(args: list[str], cwd: Path, log: Path) -> Run:
    """Run a command; wall time and peak RSS (max over the process tree) from os.wait4."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, log.read_text(errors="replace"))


def checked(result: Run, what: str) -> Run:
    if result.returncode != 0:
        tail = "\n".join(result.output.splitlines()[-30:])
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{tail}")
    return result


def best(runs: list[Run]) -> Run:
    """The fastest of repeated runs (the least disturbed by the rest of the machine)."""
    return min(runs, key=lambda r: r.seconds)


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------------------------
# The scratch project and the plain baseline


def make_project(scratch: Path, n: int, pool: TextPool, source: Path = ROOT) -> tuple[list[str], list[str]]:
    """Copy the real content into ``scratch`` and add N synthetic cases; return (real, synthetic) slugs."""
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    for name in CONTENT:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, scratch / name)
        else:
            shutil.copy2(path, scratch / name)
    real = [p.stem for p in case_files(scratch / "cases")]
    synthetic = [p.stem for p in write_cases(scratch / "cases", n, pool, load_vocabularies())] if n else []
    return real, synthetic


def make_baseline(scratch: Path) -> Path:
    """A plain mkdocs-material project holding the same Markdown files, with none of our plugin.

    docs/ = the site's docs/ pages, principles/, guide/ and cases/ (the case files as written, front
    matter included), and a paginated cases listing written from the front matter (see
    write_plain_listing). Same theme, palette, features and Markdown extensions; no plugins (so
    Material's search is off); cases ``not_in_nav``; a page's ``template:`` (one of our theme's) is
    dropped. Pagefind is run after it separately.
    """
    plain = scratch / "plain"
    docs = plain / "docs"
    shutil.copytree(scratch / "docs", docs)
    for name in ("principles", "guide", "cases"):
        shutil.copytree(scratch / name, docs / name, dirs_exist_ok=True)
    write_plain_listing(docs / "cases", case_files(scratch / "cases"))
    for page in docs.rglob("*.md"):  # our theme's page templates (such as search.html) are not Material's
        text = page.read_text("utf-8")
        if text.startswith("---") and _TEMPLATE.search(text):
            page.write_text(_TEMPLATE.sub("", text, count=1), "utf-8")
    config = yaml.safe_load((scratch / "mkdocs.yml").read_text("utf-8"))
    config.update({"docs_dir": "docs", "plugins": [], "not_in_nav": "/cases/*.md\n!/cases/index.md\n"})
    config["theme"].pop("custom_dir", None)
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return plain


def write_plain_listing(folder: Path, paths: list[Path], per_page: int = LISTING_PAGE) -> None:
    """cases/index.md and cases/page/<n>.md: title, place and summary of each case, as a plain site would.

    Written here from the front matter rather than by our plugin's code, so the baseline owes
    nothing to the plugin; paginated like ours so neither side renders one enormous page.
    """
    entries = []
    for path in paths:
        post = frontmatter.load(path)
        summary = " ".join(str(post["summary"]).split())
        entries.append((str(post["title"]).casefold(), path.stem,
                        f"]({{up}}{path.stem}.md)\n\n{post['place']} · {post['period']['start']}\n\n{summary}\n",
                        str(post["title"])))
    entries.sort()
    pages = [entries[i: i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        up = "" if number == 1 else "../"
        links = []
        if number > 1:
            links.append(f"[Previous page]({'../index.md' if number == 2 else f'{number - 1}.md'})")
        if number < len(pages):
            links.append(f"[Next page]({'page/' if number == 1 else ''}{number + 1}.md)")
        text = [f"# Cases{'' if number == 1 else f' (page {number})'}\n"]
        text += [f"### [{title}" + tail.replace("{up}", up) for _, _, tail, title in chunk]
        text.append(" · ".join(links) + "\n")
        target = folder / "index.md" if number == 1 else folder / "page" / f"{number}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(text), "utf-8")


# ---------------------------------------------------------------------------------------------
# First search in headless chromium


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def plain_server(folder: Path) -> Iterator[str]:
    """Python's http.server: no compression, so the worst case for transfer sizes."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def nginx_server(folder: Path, workdir: Path) -> Iterator[str]:
    """The shipped deploy/nginx/default.conf (gzip and all), with only its root and listen changed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir.mkdir(parents=True, exist_ok=True)
    server = re.sub(r"^(\s*)root\s+[^;]+;", lambda m: f'{m.group(1)}root "{folder}";', NGINX_CONF.read_text(),
                    flags=re.M)
    server = re.sub(r"^\s*listen\s+[^;]+;\n", "", server, flags=re.M)
    server = server.replace("server {", f"server {{\n    listen 127.0.0.1:{port};", 1)
    (workdir / "default.conf").write_text(server)
    types = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").is_file() else ""
    temp = "".join(f"    {k}_temp_path {workdir}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(f"{user}worker_processes 1;\nevents {{ worker_connections 64; }}\nhttp {{\n    {types}\n"
                    f"    default_type application/octet-stream;\n    access_log off;\n{temp}"
                    f"    include {workdir}/default.conf;\n}}\n")
    globals_ = f"daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log;"
    proc = subprocess.Popen([NGINX, "-p", str(workdir), "-c", str(conf), "-g", globals_],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            if proc.poll() is not None or time.time() > deadline:
                log = workdir / "error.log"
                raise SystemExit(f"nginx did not start: {log.read_text() if log.exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Transfer:
    """What the browser fetched: bytes on the wire (compressed body + headers), as Playwright reports them."""

    bytes: int = 0
    headers: int = 0  # of which response headers (the shipped config's security headers are ~1 KB each)
    requests: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, requests: list) -> Transfer:
        out = cls()
        for request in requests:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            out.bytes += size
            out.headers += sizes["responseHeadersSize"]
            out.requests += 1
            kind = _kind(request.url)
            out.by_kind[kind] = out.by_kind.get(kind, 0) + size
        return out


def browse(base: str, query: str) -> dict:
    """In headless chromium: the home page, then the first search on it; the cases listing page, alone.

    Search: load the home page and wait until the network is idle; press Ctrl+K, type the query as a
    person would, wait for results and 1.5 s more; count every response after the page load,
    including those of Pagefind's web worker (the context sees them; the page's CDP session does not).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            done: list = []
            context.on("requestfinished", lambda request: done.append(request))
            page = context.new_page()
            page.goto(base, wait_until="networkidle")
            page.wait_for_timeout(500)
            mark = len(done)
            page.keyboard.press("Control+k")
            page.keyboard.type(query, delay=60)
            page.locator("pagefind-modal a[href]").first.wait_for(timeout=30000)
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5000)
            page.wait_for_timeout(1500)
            results = page.locator("pagefind-modal a[href]").count()
            home, search = Transfer.of(done[:mark]), Transfer.of(done[mark:])
            context.close()

            context = browser.new_context()
            listing: list = []
            context.on("requestfinished", lambda request: listing.append(request))
            page = context.new_page()
            page.goto(base + "cases/", wait_until="networkidle")
            page.wait_for_timeout(1000)
            cases = Transfer.of(listing)
            # then the map of all the cases, opened from the index (what it adds to the page's load)
            mark = len(listing)
            page.click("#hls-browse button[aria-controls=hls-map]")
            page.locator("#hls-map svg").first.wait_for(timeout=30000)
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5000)
            cases_map = Transfer.of(listing[mark:])
            map_points = page.locator("#hls-map a").count()
            context.close()
        finally:
            browser.close()
    return {"query": query, "results": results, "home": asdict(home), "search": asdict(search),
            "listing": asdict(cases), "map": asdict(cases_map), "map_points": map_points}


def measure_browser(site: Path, query: str, workdir: Path) -> dict:
    """Through the shipped nginx config (gzip) when nginx is installed, and through http.server (none)."""
    out = {}
    with plain_server(site) as url:
        out["plain"] = browse(url, query)
    if NGINX and NGINX_CONF.is_file():
        with nginx_server(site, workdir) as url:
            out["nginx"] = browse(url, query)
    return out


def _kind(path: str) -> str:
    path = path.split("?")[0]
    if path.endswith("/"):
        return "html"
    name = path.rsplit("/", 1)[-1]
    for pattern, kind in ((r"\.pf_fragment$", "fragments"), (r"\.pf_index$", "index chunks"),
                          (r"\.pf_filter$", "filters"), (r"\.pf_meta$", "meta"), (r"^wasm\.", "wasm"),
                          (r"\.js$", "js"), (r"\.css$", "css"), (r"\.json$", "json"), (r"\.xml$", "xml"),
                          (r"(\.html|/)$", "html")):
        if re.search(pattern, name):
            return kind
    return "other"


# ---------------------------------------------------------------------------------------------
# One size


@dataclass
class Row:
    n: int
    cases: int
    date: str
    generate_s: float
    validate_s: float
    validate_rss_mb: float
    build_s: float
    build_rss_mb: float
    pagefind_s: float  # Pagefind alone on our built site (run again, after the timed build)
    baseline_s: float  # plain mkdocs-material build + Pagefind
    baseline_mkdocs_s: float
    baseline_pagefind_s: float
    baseline_rss_mb: float
    output_bytes: int
    pagefind_bytes: int
    baseline_output_bytes: int
    baseline_html_pages: int
    real_case_max: int  # the largest real case page (the same cases at every N)
    real_case_total: int
    synthetic_case_max: int
    cases_index: int  # page 1 of the cases listing
    other_page_max: int  # the largest HTML page that is not a case page (listings, principles, home)
    other_page_path: str
    data_max: int  # the largest file outside pagefind/ and assets/ that is not HTML (e.g. JSON for browsing)
    data_path: str
    html_pages: int
    pagefind_rss_mb: float = 0.0  # Pagefind alone on our site
    baseline_mkdocs_rss_mb: float = 0.0  # the plain build without Pagefind
    load_average: float = 0.0  # 1-minute load average before the timings: other work on the machine
    code: str = ""  # fingerprint of hls_site/ when measured: rows measured on different code differ here
    content: str = ""  # fingerprint of the real content copied (cases/, principles/, guide/, docs/, mkdocs.yml)
    search: dict | None = None

    @property
    def per_case_ms(self) -> float:
        return 1000 * self.build_s / self.cases

    @property
    def ratio(self) -> float:
        return self.build_s / self.baseline_s if self.baseline_s else float("nan")


def largest_files(site: Path, case_slugs: set[str]) -> dict[str, int | str]:
    """The largest non-case HTML page and the largest other data file: what grows with N if anything does."""
    page, data, pages = (0, ""), (0, ""), 0
    for path in site.rglob("*"):
        rel = path.relative_to(site)
        if not path.is_file() or rel.parts[0] in ("pagefind", "assets", "search"):
            continue
        size = path.stat().st_size
        if path.suffix == ".html":
            pages += 1
            is_case = len(rel.parts) == 3 and rel.parts[0] == "cases" and rel.parts[1] in case_slugs
            if not is_case and size > page[0]:
                page = (size, rel.as_posix())
        elif path.suffix not in (".xml", ".gz") and size > data[0]:
            data = (size, rel.as_posix())
    return {"other_page_max": page[0], "other_page_path": page[1], "data_max": data[0], "data_path": data[1],
            "html_pages": pages}


def fingerprint(folder: Path, names: tuple[str, ...] = ("",)) -> str:
    """A short hash of files under ``folder`` (or its ``names``), to tell what code or content a row measured."""
    digest = hashlib.sha256()
    for name in names:
        top = folder / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            skip = "__pycache__" in path.parts or path.name == DOC.name  # this page changes with every run
            if path.is_file() and not skip:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def freeze_code(work: Path) -> Path:
    """Copy hls_site/ once and put the copy first on every child's PYTHONPATH.

    Every size in a run then measures the same code, even while someone edits the working tree
    (the editable install would otherwise pick up each edit between one command and the next).
    A copy already in ``work`` (from an earlier run with the same --workdir) is kept, so that runs
    of different sizes into one workdir measure the same code too.
    """
    target = work / "code"
    if not (target / "hls_site").is_dir():
        shutil.copytree(ROOT / "hls_site", target / "hls_site", ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))
    return target / "hls_site"


def page_size(site: Path, uri: str) -> int:
    path = site / uri / "index.html"
    return path.stat().st_size if path.exists() else 0


def measure(n: int, work: Path, pool: TextPool, query: str, repeat: int, browser: bool, source: Path) -> Row:
    """Every figure for one N, each command a child process so its time and memory are its own."""
    scratch = work / f"n{n}"
    say(f"N={n:,}: copying the content and generating {n:,} synthetic cases")
    start = time.perf_counter()
    real, synthetic = make_project(scratch, n, pool, source)
    generate_s = time.perf_counter() - start
    cases = len(real) + len(synthetic)
    logs = scratch / "logs"
    logs.mkdir()

    load = os.getloadavg()[0]
    validations = []
    for i in range(repeat):
        say(f"N={n:,}: hls validate ({cases:,} cases) [{i + 1}/{repeat}]")
        validations.append(checked(run([PY, "-m", "hls_site.cli", "validate", "--root", str(scratch)],
                                       scratch, logs / "validate.log"), "hls validate"))
    validation = best(validations)
    say(f"N={n:,}: validate {validation.seconds:.2f} s")

    site = scratch / "out"
    builds = []
    for i in range(repeat):
        say(f"N={n:,}: mkdocs build --strict with the hls plugin, Pagefind included [{i + 1}/{repeat}]")
        builds.append(checked(run([PY, "-m", "mkdocs", "build", "--clean", "--strict", "-f",
                                   str(scratch / "mkdocs.yml"), "-d", str(site)], scratch, logs / "build.log"),
                              "the full build"))
    build = best(builds)
    say(f"N={n:,}: build {build.seconds:.1f} s ({1000 * build.seconds / cases:.1f} ms/case), "
        f"peak {build.peak_rss_mb:.0f} MB")
    say(f"N={n:,}: Pagefind alone on our site (to attribute the build time)")
    # Into a folder of its own: a second index in site/pagefind/ would sit beside the first (new hashes).
    pagefind = checked(run([PY, "-m", "pagefind", "--site", str(site), "--output-path", str(scratch / "pagefind-again"),
                            *PAGEFIND_ARGS], scratch, logs / "pagefind.log"), "Pagefind")

    say(f"N={n:,}: plain mkdocs-material baseline on the same Markdown, then Pagefind")
    plain = make_baseline(scratch)
    plain_site = plain / "out"
    base_runs = []
    for i in range(repeat):
        say(f"N={n:,}: baseline build [{i + 1}/{repeat}]")
        mk = checked(run([PY, "-m", "mkdocs", "build", "--clean", "-f", str(plain / "mkdocs.yml"), "-d",
                          str(plain_site)], plain, logs / "baseline.log"), "the baseline build")
        pf = checked(run([PY, "-m", "pagefind", "--site", str(plain_site), *PAGEFIND_ARGS], plain,
                         logs / "baseline-pagefind.log"), "Pagefind on the baseline")
        base_runs.append((mk, pf))
    mk, pf = min(base_runs, key=lambda pair: pair[0].seconds + pair[1].seconds)
    say(f"N={n:,}: baseline {mk.seconds + pf.seconds:.1f} s (mkdocs {mk.seconds:.1f} s + Pagefind {pf.seconds:.1f} s)")

    real_pages = [page_size(site, f"cases/{s}") for s in real]
    row = Row(
        n=n, cases=cases, date=dt.date.today().isoformat(), generate_s=generate_s,
        validate_s=validation.seconds, validate_rss_mb=validation.peak_rss_mb,
        build_s=build.seconds, build_rss_mb=build.peak_rss_mb, pagefind_s=pagefind.seconds,
        baseline_s=mk.seconds + pf.seconds, baseline_mkdocs_s=mk.seconds, baseline_pagefind_s=pf.seconds,
        baseline_rss_mb=max(mk.peak_rss_mb, pf.peak_rss_mb), baseline_mkdocs_rss_mb=mk.peak_rss_mb,
        pagefind_rss_mb=pagefind.peak_rss_mb,
        output_bytes=tree_bytes(site), pagefind_bytes=tree_bytes(site / "pagefind"),
        baseline_output_bytes=tree_bytes(plain_site),
        baseline_html_pages=sum(1 for _ in plain_site.rglob("*.html")), load_average=load, code=CODE["fingerprint"],
        content=fingerprint(source, CONTENT),
        real_case_max=max(real_pages), real_case_total=sum(real_pages),
        synthetic_case_max=max((page_size(site, f"cases/{s}") for s in synthetic), default=0),
        cases_index=page_size(site, "cases"),
        **largest_files(site, set(real) | set(synthetic)),
    )
    if browser:
        say(f"N={n:,}: first search for {query!r} and the cases listing, in headless chromium")
        row.search = measure_browser(site, query, scratch / "nginx")
        say(f"N={n:,}: first search transferred " + ", ".join(
            f"{v['search']['bytes'] / KB:.0f} KB via {SERVERS[k]}" for k, v in row.search.items()))
    return row


# ---------------------------------------------------------------------------------------------
# Profiling (not timed: cProfile slows Python down)


def profile(n: int, work: Path, pool: TextPool, source: Path, top: int = 15) -> str:
    """cProfile ``hls validate`` and the full build at N; return a summary by package and by function."""
    scratch = work / f"n{n}"
    if not (scratch / "cases").is_dir():
        make_project(scratch, n, pool, source)
    out = []
    for name, args in (("validate", ["-m", "hls_site.cli", "validate", "--root", str(scratch)]),
                       ("build", ["-m", "mkdocs", "build", "--clean", "--strict", "-f", str(scratch / "mkdocs.yml"),
                                  "-d", str(scratch / "out-profile")])):
        say(f"N={n:,}: profiling {name} with cProfile")
        stats_file = scratch / f"{name}.prof"
        run([PY, "-m", "cProfile", "-o", str(stats_file), *args], scratch, scratch / f"{name}-profile.log")
        stats = pstats.Stats(str(stats_file))
        out.append(f"## {name} at N={n:,}\n\n" + summarise(stats, top))
    return "\n".join(out)


def _package(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/hls_site/" in filename:
        return "hls_site"
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    return "stdlib"


def summarise(stats: pstats.Stats, top: int) -> str:
    """Own time by package; our own functions by cumulative time; everything by own time.

    Start-up wrappers (click, runpy, mkdocs' build()) are left out of the cumulative list: they
    hold all the time and say nothing about where it goes.
    """
    raw = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in raw.items():
        by_package[_package(filename)] = by_package.get(_package(filename), 0.0) + tottime
    lines = [f"total {total:.1f} s (under cProfile)", "", "own time by package:"]
    for name, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"  {seconds:7.2f} s {100 * seconds / total:5.1f}%  {name}")

    def name(key: tuple) -> str:
        filename, line, func = key
        return _SHORT_PATH.sub(r"\1/", filename) + f":{line}({func})"

    ours = [kv for kv in raw.items() if "/hls_site/" in kv[0][0] and kv[1][3] < 0.9 * total]
    lines += ["", "hls_site functions by cumulative time:"]
    for key, (_, calls, _, cumtime, _) in sorted(ours, key=lambda kv: -kv[1][3])[:top]:
        lines.append(f"  {cumtime:7.2f} s {calls:>9} calls  {name(key)}")
    lines += ["", "all functions by own time:"]
    for key, (_, calls, tottime, _, _) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        lines.append(f"  {tottime:7.2f} s {calls:>9} calls  {name(key)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Reporting


def machine() -> dict[str, str]:
    """Enough about the machine to compare runs: cores, memory, CPU, OS, Python, package versions."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else cpu
    memory = "unknown"
    with contextlib.suppress(OSError, AttributeError):
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / MB:.1f} GB"
    os_name = platform.platform()
    with contextlib.suppress(OSError, AttributeError):
        os_name = re.search(r'PRETTY_NAME="(.+)"', Path("/etc/os-release").read_text()).group(1)
    versions = []
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name} {importlib.metadata.version(name)}")
    chromium = "not installed"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    return {
        "Date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "Memory": memory,
        "OS": f"{os_name} ({platform.release()})",
        "Python": platform.python_version(),
        "Packages": ", ".join(versions),
        "Browser": chromium,
    }


def _kb(value: int) -> str:
    return f"{value / KB:,.0f} KB" if value < 10 * MB else f"{value / MB:,.0f} MB"


def primary(row: Row) -> dict | None:
    """The browser figures that count: through the shipped nginx config if measured, else http.server."""
    if not row.search:
        return None
    return row.search.get("nginx") or row.search.get("plain")


def _search_cell(row: Row) -> str:
    if not row.search:
        return "not measured"
    found = [row.search[k] for k in SERVERS if k in row.search]
    figures = " / ".join(f"{v['search']['bytes'] / KB:,.0f} KB" for v in found)
    return f"{figures} ({found[0]['search']['requests']} req.)"


def results_table(rows: list[Row]) -> str:
    """Markdown tables: time and memory; sizes; what the browser fetched."""
    timing = [
        "| N synthetic | Cases | `hls validate` | Full build | Per case | of which Pagefind | Plain Material "
        "+ Pagefind | Ratio | Peak RSS: full build / Pagefind alone / plain mkdocs | Load average | Code |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    servers = [k for k in SERVERS if any(r.search and k in r.search for r in rows)]
    sizes = [
        "| N synthetic | HTML pages (ours / plain) | Output | of which Pagefind | Plain output "
        "| Largest real case page | Largest synthetic case page | Cases listing, page 1 | Largest other page "
        "| Largest data file "
        f"| First search ({' / '.join(SERVERS[k] for k in servers) or 'not measured'}) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        timing.append(
            f"| {r.n:,} | {r.cases:,} | {r.validate_s:.2f} s | {r.build_s:.1f} s | {r.per_case_ms:.1f} ms | "
            f"{r.pagefind_s:.1f} s | {r.baseline_s:.1f} s ({r.baseline_mkdocs_s:.1f} + {r.baseline_pagefind_s:.1f}) | "
            f"{r.ratio:.2f}× | {r.build_rss_mb:,.0f} / {r.pagefind_rss_mb or float('nan'):,.0f} / "
            f"{r.baseline_mkdocs_rss_mb or float('nan'):,.0f} MB | {r.load_average:.1f} | "
            f"`{r.code or '?'}` |"
        )
        sizes.append(
            f"| {r.n:,} | {r.html_pages:,} / {r.baseline_html_pages:,} | {_kb(r.output_bytes)} | "
            f"{_kb(r.pagefind_bytes)} | {_kb(r.baseline_output_bytes)} | {_kb(r.real_case_max)} | "
            f"{_kb(r.synthetic_case_max) if r.synthetic_case_max else '–'} | {_kb(r.cases_index)} | "
            f"{_kb(r.other_page_max)} `{r.other_page_path}` | "
            f"{f'{_kb(r.data_max)} `{r.data_path}`' if r.data_path else '–'} | {_search_cell(r)} |"
        )
    detail: list[str] = []
    measured = [(r, k, r.search[k]) for r in rows if r.search for k in servers if k in r.search]
    if measured:
        kinds = sorted({kind for _, _, v in measured for kind in v["search"]["by_kind"]})
        detail = ["", f"In headless chromium (query `{measured[0][2]['query']}`): the home page's own load, then "
                  "every response of the first search after it, by kind of file; and the cases listing page "
                  "loaded on its own, then what opening its map of all the cases adds:", "",
                  "| N synthetic | Server | Home page | " + " | ".join(kinds)
                  + " | First search | of which headers | Requests | Results | Cases listing page load "
                  "| Map, opened on it (cases on it) |",
                  "| ---: | --- | ---: | " + " | ".join("---:" for _ in kinds) + " |" + " ---: |" * 6]
        for r, k, v in measured:
            found = v["search"]["by_kind"]
            detail.append(f"| {r.n:,} | {SERVERS[k]} | {_kb(v['home']['bytes'])} | "
                          + " | ".join(_kb(found[kind]) if kind in found else "–" for kind in kinds)
                          + f" | **{_kb(v['search']['bytes'])}** | {_kb(v['search'].get('headers', 0))} | "
                          f"{v['search']['requests']} | {v['results']} | "
                          f"{_kb(v['listing']['bytes'])} | {_map_cell(v)} |")
    return "\n".join([*timing, "", *sizes, *detail])


def _map_cell(v: dict) -> str:
    """What opening the map adds to the cases index's first load (measured since issue 16)."""
    if "map" not in v:
        return "–"
    return f"{_kb(v['map']['bytes'])} ({v.get('map_points', 0):,})"


@dataclass
class Target:
    name: str
    figure: str
    ok: bool | None  # None: not measured in these results


def targets(rows: list[Row]) -> list[Target]:
    """Issue 9's targets, judged on the measured rows."""
    by_n = {r.n: r for r in rows}
    out = []
    r10k, r1k = by_n.get(10000), by_n.get(1000)
    out.append(Target("Validate 10,000 cases in at most 2 s",
                      f"{r10k.validate_s:.2f} s" if r10k else "10,000 not measured",
                      r10k.validate_s <= 2 if r10k else None))
    out.append(Target("Build time per case at 10,000 within 1.2× that at 1,000",
                      f"{r10k.per_case_ms:.1f} vs {r1k.per_case_ms:.1f} ms/case = "
                      f"{r10k.per_case_ms / r1k.per_case_ms:.2f}×" if r10k and r1k else "needs 1,000 and 10,000",
                      r10k.per_case_ms <= 1.2 * r1k.per_case_ms if r10k and r1k else None))
    ratios = [r for r in rows if r.n > 0]
    out.append(Target("Full build within 1.25× plain mkdocs-material + Pagefind",
                      ", ".join(f"{r.ratio:.2f}× at {r.n:,}" for r in ratios) or "not measured",
                      all(r.ratio <= 1.25 for r in ratios) if ratios else None))
    for n, budget, label in ((0, 150, "on the shipped site (N=0)"), (10000, 300, "at 10,000")):
        row = by_n.get(n)
        found = primary(row) if row else None
        server = next(SERVERS[k] for k in SERVERS if row and row.search and k in row.search) if found else ""
        out.append(Target(f"First search ≤ {budget} KB {label}",
                          f"{found['search']['bytes'] / KB:.0f} KB ({server})" if found else "not measured",
                          found["search"]["bytes"] <= budget * KB if found else None))
    if len(rows) > 1:
        sizes = [r.real_case_max for r in rows]
        spread = max(sizes) / min(sizes)
        out.append(Target("Case page size independent of N (largest real case page, same cases at every N)",
                          f"{min(sizes) / KB:.1f}–{max(sizes) / KB:.1f} KB ({100 * (spread - 1):.1f}% spread)",
                          spread <= 1.01))
    else:
        out.append(Target("Case page size independent of N", "needs two sizes", None))
    small, large = min(rows, key=lambda r: r.n), max(rows, key=lambda r: r.n)
    figures, grows = [], []
    for name, get in (("largest page other than a case", lambda r: r.other_page_max),
                      ("cases listing page load", lambda r: (primary(r) or {}).get("listing", {}).get("bytes", 0))):
        low, high = get(small), get(large)
        if low and high:
            figures.append(f"{name}: {_kb(low)} at N={small.n:,} → {_kb(high)} at N={large.n:,}")
            grows.append(high > LISTING_GROWTH * low)
    if large.data_path:
        figures.append(f"largest data file `{large.data_path}` {_kb(large.data_max)}")
    out.append(Target(f"Listing pages bounded (grow at most {LISTING_GROWTH:.2f}× from the smallest to the largest N)",
                      "; ".join(figures) if small is not large else "needs two sizes",
                      (not any(grows)) if small is not large and grows else None))
    return out


def targets_table(items: list[Target]) -> str:
    lines = ["| Target | Measured | Result |", "| --- | --- | --- |"]
    for t in items:
        verdict = "not measured" if t.ok is None else ("**pass**" if t.ok else "**fail**")
        lines.append(f"| {t.name} | {t.figure} | {verdict} |")
    return "\n".join(lines)


def replace_between(text: str, name: str, content: str) -> str:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if start not in text or end not in text:
        raise SystemExit(f"{DOC}: markers {start} ... {end} are missing")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{content.strip()}\n{end}{after}"


def write_doc(rows: list[Row], info: dict[str, str], profile_text: str | None) -> None:
    text = DOC.read_text("utf-8")
    text = replace_between(text, "machine", "\n".join(f"- **{k}:** {v}" for k, v in info.items()))
    text = replace_between(text, "results", results_table(rows))
    text = replace_between(text, "targets", targets_table(targets(rows)))
    if profile_text:
        text = replace_between(text, "profile", f"```text\n{profile_text.strip()}\n```")
    DOC.write_text(text, "utf-8")


def load_rows() -> list[Row]:
    if not RESULTS.exists():
        return []
    return [Row(**row) for row in json.loads(RESULTS.read_text("utf-8"))["rows"]]


def save_rows(rows: list[Row], info: dict[str, str]) -> None:
    RESULTS.write_text(json.dumps({"machine": info, "rows": [asdict(r) for r in rows]}, indent=1) + "\n", "utf-8")


# ---------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "").replace(",", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from None
    if not sizes or sizes[0] < 0:
        raise argparse.ArgumentTypeError("sizes must be 0 or more")
    return sizes


def report(no_write: bool) -> int:
    """Tables and targets from the saved results, for a change of presentation without a new run."""
    if not RESULTS.exists():
        raise SystemExit(f"no saved results in {RESULTS.relative_to(ROOT)}; run the benchmark first")
    rows = load_rows()
    print(results_table(rows))
    print()
    print(targets_table(targets(rows)))
    if not no_write:
        write_doc(rows, json.loads(RESULTS.read_text("utf-8"))["machine"], None)
        say(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[0, 100, 1000, 10000],
                        help="numbers of synthetic cases, comma-separated; 0 = the real content only "
                             "(default: 0,100,1000,10000)")
    parser.add_argument("--query", default="homelessness", help="what the first search types (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing; the fastest counts (default: 1)")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-search measurement")
    parser.add_argument("--profile", action="store_true",
                        help="also profile validate and build with cProfile at the largest N (untimed)")
    parser.add_argument("--fresh", action="store_true",
                        help="forget earlier results; by default rows for other sizes are kept when they were "
                             "measured on the same code and content")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the project whose real content is copied (default: this repository)")
    parser.add_argument("--workdir", type=Path,
                        help="scratch folder, kept (default: a temporary one, removed after); runs into the "
                             "same folder reuse its frozen copy of hls_site/")
    parser.add_argument("--report", action="store_true",
                        help="measure nothing: print the saved results (benchmarks/results.json) and write "
                             "them into docs/benchmarks.md again")
    args = parser.parse_args(argv)
    if args.report:
        return report(args.no_write)

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hls-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    CODE["fingerprint"] = fingerprint(freeze_code(work))
    say(f"scratch folder {work}; sizes {', '.join(f'{n:,}' for n in args.sizes)}")
    info = machine()
    pool = TextPool.from_cases(args.source / "cases")
    previous = {} if args.fresh else {r.n: r for r in load_rows()}
    content = fingerprint(args.source.resolve(), CONTENT)
    stale = [n for n, r in previous.items() if (r.code, r.content) != (CODE["fingerprint"], content)]
    if stale:
        say(f"leaving out earlier rows for N={', '.join(f'{n:,}' for n in stale)}: measured on other code or content")
        for n in stale:
            del previous[n]
    profile_text = None
    try:
        for n in args.sizes:
            previous[n] = measure(n, work, pool, args.query, max(1, args.repeat), not args.no_browser,
                                  args.source.resolve())
            if not args.workdir:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)  # a 10k site is hundreds of MB
            if not args.no_write:
                save_rows(sorted(previous.values(), key=lambda r: r.n), info)
        if args.profile:
            profile_text = profile(max(args.sizes), work, pool, args.source.resolve())
            print(profile_text)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    rows = sorted(previous.values(), key=lambda r: r.n)
    print(results_table(rows))
    print()
    print(targets_table(targets(rows)))
    if not args.no_write:
        write_doc(rows, info, profile_text)
        say(f"wrote {DOC.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

