"""The ``hls`` command: validate, scaffold, build and serve the case library.

Exit status: 0 success, 1 invalid content or a failed build, 2 usage errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from . import __version__, issue_form, site_address
from . import csp as csp_module
from .content import load_site_content
from .json_schema import case_json_schema, dumps
from .paths import slugify
from .problems import format_github, format_json, format_text, summary_line
from .project import Project, ProjectError
from .scaffold import CaseExists, ScaffoldError, check_values, create_case
from .schema_docs import field_table
from .stats import format_stats
from .validation import case_files, load_library
from .vocabularies import VocabularyError, load_vocabularies

ROOT_OPTION = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The project folder, holding mkdocs.yml (default: the nearest one at or above this folder). "
         "The hls plugin's settings in mkdocs.yml say where cases/ and the rest live.",
)


def _find(root: Path | None) -> Project:
    try:
        return Project.find(root=root)
    except ProjectError as exc:
        raise click.UsageError(str(exc)) from None


def _project(root: Path | None, *, required: bool = True):
    try:
        project = Project.find(root=root)
    except ProjectError as exc:
        if required:
            raise click.UsageError(str(exc)) from None
        project = Project.at(Path.cwd())
    try:
        vocab = load_vocabularies(project.vocabularies_dir)
    except VocabularyError as exc:
        raise click.ClickException(str(exc)) from None
    return project, vocab


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hls")
def cli() -> None:
    """Build, check and extend the Human Learning Systems case library.

    \b
    Typical use:
      hls validate            check every case, print every problem
      hls new "Case title"    start a new case from the schema
      hls serve               preview at http://127.0.0.1:8000 with search
      hls build               build the static site into site/
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text for people, github for Actions annotations, json for tools.")
@ROOT_OPTION
def validate(paths: tuple[Path, ...], fmt: str, root: Path) -> None:
    """Check cases (all of them, or the files and folders in PATHS).

    Prints every problem as path:line:column: field: message and exits 1 if there are any.
    """
    project, vocab = _project(root)
    only = None
    if paths:
        only = []
        for path in paths:
            only += case_files(path) if path.is_dir() else [path]
    if only is None and not case_files(project.cases_dir):
        raise click.UsageError(f"no case files (*.md) in {project.cases_dir}; run inside the project, or give "
                               "--root (the folder holding mkdocs.yml)")
    if only is None:  # the whole project: cases, and the guide's references to them
        problems = load_site_content(project, vocab).problems
    else:  # these files, checked against the whole library (titles, related cases)
        problems = load_library(project.cases_dir, vocab, only=only, root=project.root).problems
    checked = len(only) if only is not None else len(case_files(project.cases_dir))
    if fmt == "json":
        click.echo(format_json(problems))
    elif problems:
        click.echo(format_github(problems) if fmt == "github" else format_text(problems))
    if problems:
        click.echo(f"{summary_line(problems)} (checked {_files(checked)})", err=True)
        sys.exit(1)
    click.echo(f"Checked {_files(checked)}: all valid.", err=True)


def _files(count: int) -> str:
    return f"{count} case file{'' if count == 1 else 's'}"


@cli.command()
@click.argument("title", required=False)
@click.option("--slug", help="File name without .md (default: made from the title).")
@click.option("--organisation", "organisations", multiple=True, help="Repeat for each; the first leads.")
@click.option("--place", help="Town, city or region, then country.")
@click.option("--country", help="ISO 3166-1 alpha-2 code, such as GB.")
@click.option("--sector", "sectors", multiple=True, help="A sector id; repeat for several (see `hls new --help`).")
@click.option("--scale", "scales", multiple=True, help="A scale id; repeat for several.")
@click.option("--hls-link", help="How the case relates to HLS: featured, self-described or aligned.")
@ROOT_OPTION
def new(title, slug, organisations, place, country, sectors, scales, hls_link, root) -> None:
    """Start a new case in the project's cases folder from the schema.

    Give the title (and any fields) as arguments, or run with no arguments to be asked.
    Fields you do not give are placeholders that `hls validate` flags until you replace them.
    Vocabulary values and the country code are checked now, with the validator's suggestions.
    """
    project, vocab = _project(root)
    if not title:
        if not sys.stdin.isatty():
            raise click.UsageError("give a TITLE, or run in a terminal to be asked for one")
        title = click.prompt("Title")
        slug = slug or click.prompt("File name (slug)", default=slugify(title) or None)
        organisations = organisations or tuple(
            o.strip() for o in click.prompt("Organisations (comma-separated, lead first)").split(",") if o.strip()
        )
        place = place or click.prompt("Place (town or region, country)")
        country = country or click.prompt("Country code (ISO 3166-1 alpha-2)", default="GB")
        hls_link = hls_link or click.prompt(
            "HLS link", type=click.Choice(vocab.hls_links.ids()), default="featured"
        )
    if not slugify(title) and not slug:
        raise click.UsageError("the title needs at least one letter or digit (or give --slug)")
    values = {
        "organisations": list(organisations) or None, "place": place, "country": country,
        "sectors": list(sectors) or None, "scales": list(scales) or None, "hls_link": hls_link,
    }
    values = {k: v for k, v in values.items() if v is not None}
    try:
        values = check_values(values, vocab)
        path = create_case(project.cases_dir, title, values, slug=slug, vocab=vocab)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    except CaseExists as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Created {path.relative_to(project.root) if path.is_relative_to(project.root) else path}")
    click.echo("Next: replace every TODO, then run `hls validate` to see what is left.")


def _mkdocs(args: list[str], root: Path | None, extra_env: dict[str, str] | None = None) -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    config = _config_file(root)
    return subprocess.call([sys.executable, "-m", "mkdocs", *args, "-f", str(config)], env=env)


def _config_file(root: Path | None) -> Path:
    project = _find(root)
    if project.config_file is None:
        raise click.UsageError(f"no mkdocs.yml in {project.root}; run from the project folder or use --root")
    return project.config_file


@cli.command()
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on any warning.")
@click.option("-d", "--site-dir", type=click.Path(path_type=Path), help="Where to write the site.")
@click.option("--site-url", metavar="URL",
              help=f"The address readers will use, such as https://example.org/kb/ (else ${site_address.ENV_VAR}, "
                   "else site_url in mkdocs.yml). Citations, the feed, exports and search are made from it.")
@click.option("--preview", is_flag=True,
              help="Build for a local preview: allow a loopback or empty address (never publish this build).")
@ROOT_OPTION
def build(strict: bool, site_dir: Path | None, site_url: str | None, preview: bool, root: Path | None) -> None:
    """Validate, build the site and index it for search (into site/).

    The site's address must be the public one: a build for a loopback or empty address stops with
    a message, unless --preview.
    """
    root = _config_file(root).parent
    env: dict[str, str] = {}
    try:
        url = site_address.normalise(site_url or os.environ.get(site_address.ENV_VAR) or "")
        if not url:
            url = site_address.normalise(_configured_site_url(root))
        if not preview:
            site_address.check_production(url)
    except site_address.SiteAddressError as exc:
        raise click.ClickException(str(exc)) from None
    if url:
        env[site_address.ENV_VAR] = url
    if not preview:
        env[site_address.PRODUCTION_ENV_VAR] = "1"
    args = ["build", "--clean"] + (["--strict"] if strict else [])
    if site_dir:
        args += ["--site-dir", str(site_dir.resolve())]
    sys.exit(0 if _mkdocs(args, root, env) == 0 else 1)


def _configured_site_url(root: Path) -> str:
    """site_url from mkdocs.yml, read without MkDocs (its tags such as !ENV are left unresolved)."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return ""
    for line in config.read_text("utf-8").splitlines():
        key, _, value = line.partition(":")
        if key == "site_url":
            value = value.split(" #", 1)[0].strip().strip("'\"")
            return "" if value.startswith("!") else value
    return ""


@cli.command()
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path), default="site")
@click.option("--config", "configs", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An nginx configuration whose script-src to check or rewrite (repeat for several).")
@click.option("--write", "write_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the one --config, with script-src set to exactly these hashes, to this file.")
@click.option("--in-place", is_flag=True, help="Rewrite each --config in place.")
def csp(site: Path, configs: tuple[Path, ...], write_to: Path | None, in_place: bool) -> None:
    """The CSP hashes of every inline script in a built SITE (default: site/).

    \b
    With no --config: prints the script-src directive the site needs.
    With --config: exits 1 if a configuration lacks a hash (and says which page needs it);
    with --write or --in-place, sets its script-src to exactly the site's hashes instead.
    """
    found = csp_module.inline_script_hashes(site)
    hashes = list(found)
    if not configs:
        if write_to or in_place:
            raise click.UsageError("--write and --in-place need a --config to rewrite")
        click.echo(csp_module.script_src(hashes))
        return
    if write_to and len(configs) != 1:
        raise click.UsageError("--write takes exactly one --config")
    failed = False
    for config in configs:
        text = config.read_text("utf-8")
        if write_to or in_place:
            new, count = csp_module.rewrite(text, hashes)
            if not count:
                raise click.ClickException(f"{config}: no \"{csp_module.SCRIPT_SRC}\" to set the hashes in")
            target = write_to or config
            target.write_text(new, "utf-8")
            click.echo(f"{target}: script-src allows the {len(hashes)} inline scripts of {site}", err=True)
            continue
        for source in csp_module.missing(text, hashes):
            failed = True
            click.echo(f"{config}: script-src lacks {source} (an inline script in {found[source]})")
    if failed:
        click.echo("Run `hls csp SITE --config FILE --in-place` to set them.", err=True)
        sys.exit(1)


@cli.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--site-url", metavar="URL", help=f"The address readers will use (else ${site_address.ENV_VAR}, "
              "else site_url in mkdocs.yml).")
@ROOT_OPTION
def stage(target: Path, site_url: str | None, root: Path | None) -> None:
    """Write every generated page and data file into TARGET, a docs tree any generator can build.

    \b
    TARGET/docs/ holds the site's pages as Markdown: your docs/ pages, and cases, listings,
    organisation, country and principle pages and the guide as sanitised HTML inside Markdown;
    TARGET/mkdocs.yml has no plugins. See docs/generators.md.
    """
    from .stage import StageError, stage_site

    root = _config_file(root).parent
    try:
        url = site_address.normalise(site_url or os.environ.get(site_address.ENV_VAR) or _configured_site_url(root))
        report = stage_site(root, target, url)
    except (site_address.SiteAddressError, StageError, VocabularyError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report, err=True)


@cli.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@ROOT_OPTION
def serve(dev_addr: str, root: Path | None) -> None:
    """Preview the site with search; a save shows in the browser in about a second.

    Only the pages an edit changes are built again, and search is re-indexed just after. An invalid
    case shows as a draft page listing its problems (never in `hls build`). Ctrl+C or SIGTERM stops
    everything it started.
    """
    config = _config_file(root)
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("expected HOST:PORT, such as 127.0.0.1:8000", param_hint="--dev-addr")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from .mkdocs_plugin.serve import PortInUse, check_port  # only serve needs MkDocs
    from .mkdocs_plugin.serve import serve as run_server

    try:
        check_port(host.strip("[]"), int(port))
    except PortInUse as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    _mkdocs_logging()
    try:
        run_server(config, dev_addr)
    except Exception as exc:  # a configuration or build error: MkDocs' own message, no traceback
        if exc.__class__.__name__ not in ("Abort", "ConfigurationError", "PluginError", "BuildError"):
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


def _mkdocs_logging() -> None:
    """Show MkDocs' and the plugin's messages as `mkdocs serve` does."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-8s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "issue-form"]), default="json",
              show_default=True, help="json: the JSON Schema; markdown: the field table for contributor docs; "
              "issue-form: .github/ISSUE_TEMPLATE/new-case.yml.")
@ROOT_OPTION
def schema(output: Path | None, fmt: str, root: Path) -> None:
    """Print the JSON Schema (draft 2020-12) for case front matter, or the field table."""
    _, vocab = _project(root, required=False)
    if fmt == "json":
        text = dumps(case_json_schema(vocab))
    elif fmt == "issue-form":
        text = issue_form.dumps(vocab)
    else:
        text = field_table() + "\n"
    if output:
        output.write_text(text, "utf-8")
    else:
        click.echo(text, nl=False)


@cli.command()
@ROOT_OPTION
@click.option("--hls-link", "links", multiple=True, metavar="LINK",
              help="Count only cases with this link to HLS (repeat for several), e.g. --hls-link featured.")
@click.option("--complete", "complete_only", is_flag=True, help="Count only complete cases.")
def stats(root: Path, links: tuple[str, ...], complete_only: bool) -> None:
    """Count the valid cases by HLS link, completeness, principle, scale, sector, country,
    obstacle kind and learning-cycle scale."""
    project, vocab = _project(root)
    known = vocab.get("hls_links")
    for link in links:
        if link not in known:
            guess = known.closest(link)
            tip = f"; did you mean '{guess}'?" if guess else f"; use one of: {', '.join(known.ids())}"
            raise click.UsageError(f"unknown --hls-link '{link}'{tip}")
    if not case_files(project.cases_dir):
        raise click.UsageError(f"no case files (*.md) in {project.cases_dir}; run inside the project, or give "
                               "--root (the folder holding mkdocs.yml)")
    library = load_library(project.cases_dir, vocab, root=project.root)
    click.echo(format_stats(library, links=links, complete_only=complete_only))
    if library.problems:
        click.echo(f"({summary_line(library.problems)} left out; run hls validate)", err=True)


def main() -> None:
    cli(prog_name="hls")


if __name__ == "__main__":
    main()
