"""Edit to screen: how long from saving a case to the served page showing the change.

For each N, in a scratch copy with N synthetic cases: start ``hls serve`` on a free port, wait for
the first build and its search index, then edit one case's first paragraph, save, and poll the
served page until the new text is there; the median of ``--edits`` edits (a pause between them, as a
person reads). Then the same for renaming the case (its title), which also changes every page that
lists it. The paragraph edit, measured the same way, for plain mkdocs-material's own ``mkdocs serve``
on the same Markdown (the benchmark's baseline project). Writes the table into docs/benchmarks.md.

Usage: ``scripts/bench --edit`` or ``.venv/bin/python -m benchmarks.edit [--sizes 0,1000] [--edits 5]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.run import DOC, make_baseline, make_project, replace_between, say
from benchmarks.synth import TextPool

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CASE = "wigan-deal"  # a real case: the same page at every N


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _body(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _until(url: str, text: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _body(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


_MARK = re.compile(r"Editmark\d+x\d+ ?")


def edit_paragraph(text: str, mark: str) -> str:
    return text.replace("## Context\n\n", f"## Context\n\n{mark} ", 1)


def edit_title(text: str, mark: str) -> str:
    """A word added at the end of the title, as when fixing it (the case keeps its place in A to Z lists)."""
    return re.sub(r'^(title: ".*)"$', lambda m: f'{m.group(1)} {mark}"', text, count=1, flags=re.M)


def measure_server(args: list[str], cwd: Path, case_file: Path, url: str, edits: int, pause: float,
                   log: Path, kinds: tuple = (edit_paragraph,)) -> dict[str, list[float]]:
    """Start a server, wait for the page, then time ``edits`` saves of each kind until the page shows each."""
    with log.open("w") as out:
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        _until(url, "</html>", 1800)
        time.sleep(pause)  # the first build's search index
        original = case_file.read_text("utf-8")
        times: dict[str, list[float]] = {}
        for kind in kinds:
            times[kind.__name__] = []
            for i in range(edits):
                mark = f"Editmark{i}x{time.time_ns()}"
                case_file.write_text(kind(original, mark), "utf-8")
                start = time.perf_counter()
                while mark not in _body(url):
                    if time.perf_counter() - start > 600:
                        raise SystemExit(f"{url} never showed the edit; see {log}")
                    time.sleep(0.02)
                times[kind.__name__].append(time.perf_counter() - start)
                say(f"  {kind.__name__.replace('_', ' ')} {i + 1}/{edits}: {times[kind.__name__][-1]:.2f} s")
                time.sleep(pause)
        case_file.write_text(original, "utf-8")
        return times
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(n: int, work: Path, pool: TextPool, edits: int) -> dict:
    scratch = work / f"edit-n{n}"
    say(f"N={n:,}: copying the content and generating {n:,} synthetic cases")
    real, synthetic = make_project(scratch, n, pool)
    pause = 3.0 + n / 250  # as a person reads; the background search index finishes meanwhile
    port = _port()
    say(f"N={n:,}: hls serve, {edits} edits of cases/{CASE}.md")
    ours = measure_server([PY, "-m", "hls_site.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"], scratch,
                          scratch / "cases" / f"{CASE}.md", f"http://127.0.0.1:{port}/cases/{CASE}/", edits, pause,
                          work / f"serve-{n}.log", (edit_paragraph, edit_title))
    plain = make_baseline(scratch)
    port = _port()
    say(f"N={n:,}: plain mkdocs-material, mkdocs serve, {edits} edits")
    base = measure_server([PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "-f",
                           str(plain / "mkdocs.yml")], plain, plain / "docs" / "cases" / f"{CASE}.md",
                          f"http://127.0.0.1:{port}/cases/{CASE}/", edits, pause, work / f"plain-{n}.log")
    base = base["edit_paragraph"]
    shutil.rmtree(scratch, ignore_errors=True)
    return {"n": n, "cases": len(real) + len(synthetic), "ours": ours["edit_paragraph"],
            "renamed": ours["edit_title"], "plain": base,
            "load": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d %H:%M")}


def table(rows: list[dict]) -> str:
    lines = ["| N synthetic | Cases | `hls serve`, paragraph edited: median (all edits) | `hls serve`, case renamed: "
             "median (all edits) | Target | Plain `mkdocs serve`, paragraph edited: median (all edits) | Load average "
             "| Measured |", "| ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |"]

    def cell(times: list[float]) -> str:
        return f"{statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)})"

    for r in rows:
        target = 1.0 if r["n"] == 0 else 2.0
        worst = max(statistics.median(r["ours"]), statistics.median(r.get("renamed") or r["ours"]))
        verdict = f"≤ {target:.0f} s: **{'pass' if worst <= target else 'fail'}**"
        renamed = f"**{cell(r['renamed'])}**" if r.get("renamed") else "not measured"
        lines.append(f"| {r['n']:,} | {r['cases']:,} | **{cell(r['ours'])}** | {renamed} | {verdict} "
                     f"| {cell(r['plain'])} | {r['load']:.1f} | {r['date']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench --edit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,1000", help="numbers of synthetic cases (default: %(default)s)")
    parser.add_argument("--edits", type=int, default=5, help="edits per server; the median counts (default: 5)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hls-edit-"))
    pool = TextPool.from_cases(ROOT / "cases")
    try:
        rows = [measure(int(n), work, pool, max(5, args.edits)) for n in args.sizes.split(",")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(rows)
    print(text)
    if not args.no_write:
        DOC.write_text(replace_between(DOC.read_text("utf-8"), "edit", text), "utf-8")
        say(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
