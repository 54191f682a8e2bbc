"""`hls csp`, table alignment under the CSP, the plugin options table, and the palette check."""

from __future__ import annotations

import re

from conftest import ROOT, run_hls
from hls_site import csp
from hls_site.contrast import failures, ratio
from hls_site.mkdocs_plugin.config import HlsConfig
from hls_site.mkdocs_plugin.options_docs import descriptions
from hls_site.mkdocs_plugin.palette_check import palette_pairs

DEFAULT_CONF = ROOT / "deploy" / "nginx" / "default.conf"


def test_csp_names_a_missing_hash_and_writes_exactly_the_sites_hashes(built_fixture, tmp_path):
    needed = csp.inline_script_hashes(built_fixture)
    assert needed and set(needed.values()) >= {"404.html", "index.html"}
    conf = tmp_path / "default.conf"
    conf.write_text(DEFAULT_CONF.read_text().replace(" " + next(iter(needed)), ""))
    result = run_hls("csp", str(built_fixture), "--config", str(conf))
    assert result.returncode == 1 and f"lacks {next(iter(needed))}" in result.stdout
    written = tmp_path / "written.conf"
    result = run_hls("csp", str(built_fixture), "--config", str(conf), "--write", str(written))
    assert result.returncode == 0, result.stderr
    text = written.read_text()
    directives = re.findall(r"script-src 'self'[^;]+;", text)
    assert len(directives) == 2 and all(d == csp.script_src(list(needed)) + ";" for d in directives)
    assert run_hls("csp", str(built_fixture), "--config", str(written)).returncode == 0
    printed = run_hls("csp", str(built_fixture))
    assert printed.returncode == 0 and printed.stdout.strip() == csp.script_src(list(needed))


def test_the_dockerfile_computes_the_hashes_with_hls_csp_not_a_heredoc():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN hls csp /site --config deploy/nginx/default.conf --write /default.conf" in dockerfile
    assert "<<" not in dockerfile and "--site-url" in dockerfile


def test_aligned_tables_become_classes_that_survive_the_sanitiser(built_site):
    html = (built_site / "benchmarks" / "index.html").read_text()
    assert 'class="hls-align-right"' in html
    assert "text-align" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)


def test_every_plugin_option_is_documented_in_the_built_page(built_site):
    html = (built_site / "host-your-own" / "index.html").read_text()
    documented = descriptions()
    for name, _ in HlsConfig._schema:
        assert name in documented, f"give option {name} a #: comment in config.py"
        assert f"<code>{name}</code>" in html, name


def test_the_palette_check_passes_the_shipped_colours_and_names_a_failing_one():
    assert round(ratio("#4051b5", "#ffffff"), 1) == 6.9
    assert failures(palette_pairs("indigo", {}, {})) == []
    problems = failures(palette_pairs("teal", {}, {}))
    assert any(p.startswith("links (--hls-link) in the light scheme: #009485 on #ffffff") for p in problems)
    assert failures(palette_pairs("teal", {"--hls-link": "#00564c", "--hls-link-hover": "#003d36",
                                          "--md-primary-fg-color": "#00564c"}, {})) == []
    slate = failures(palette_pairs("indigo", {}, {"--hls-link": "#303fa1"}))
    assert slate and "dark (slate) scheme" in slate[0]
