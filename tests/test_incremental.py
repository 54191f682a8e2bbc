"""The preview makes a case page again only when what it shows changed (render.case_page_inputs).

If case_page came to read something case_page_inputs leaves out, an edit would show on some pages
and not others in `hls serve`. These tests change one case in each way an edit can and check, over
every case of the real library, that a page whose Markdown changed also has changed inputs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hls_site import pages, relations, render
from hls_site.content import load_site_content
from hls_site.project import Project
from hls_site.sanitise import Slots
from hls_site.validation import FileCache
from hls_site.vocabularies import load_vocabularies

ROOT = Path(__file__).resolve().parent.parent
#: Edits to one case file that other cases' pages may show (its title in "Related cases", its
#: sectors in "Cases like this one", its organisations on shared organisation links).
EDITS = {
    "title": (r"^title: .*$", "title: A Renamed Case"),
    "summary": (r"^summary: .*$", "summary: A summary written again for this test."),
    "sectors": (r"^sectors: .*$", "sectors: [housing, homelessness, criminal-justice]"),
    # a name that takes the organisation page address other cases link to (it sorts first)
    "organisations": (r"^organisations:\n(  - .*\n)+", "organisations:\n  - PLYMOUTH CITY COUNCIL\n"),
}


@pytest.fixture
def library_copy(tmp_path) -> Path:
    """The real library and its configuration, copied, so a test can edit a case."""
    for name in ("cases", "principles", "guide", "mkdocs.yml"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, tmp_path / name)
    return tmp_path


def _site(project: Project, vocab, cache: FileCache) -> pages.SitePages:
    content = load_site_content(project, vocab, cache)
    assert not content.problems, content.problems
    return pages.generate(content, vocab, site_url="https://example.org/", site_name="HLS", slots=Slots())


def _page(site: pages.SitePages, uri: str) -> str:
    return site.context.slots.expand(render.case_page(site.cases[uri], site.context))


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_page_whose_markdown_changed_has_changed_inputs(library_copy, edit):
    project, vocab, cache = Project.at(library_copy), load_vocabularies(), FileCache()
    before = _site(project, vocab, cache)
    target = library_copy / "cases" / "plymouth-alliance.md"  # related to and like many others
    pattern, replacement = EDITS[edit]
    text, count = re.subn(pattern, replacement, target.read_text("utf-8"), count=1, flags=re.M)
    assert count == 1, f"the edit '{edit}' found nothing to change"
    target.write_text(text, "utf-8")
    after = _site(project, vocab, cache)
    changed_pages = stale = 0
    for uri, case in after.cases.items():
        if _page(before, uri) != _page(after, uri):
            changed_pages += 1
            if render.case_page_inputs(before.cases[uri], before.context) == \
                    render.case_page_inputs(case, after.context):
                stale += 1
    assert changed_pages > 1, "the edit should show on other cases' pages too"
    assert stale == 0, f"{stale} pages changed while their inputs compared equal"


def test_an_unchanged_library_has_unchanged_inputs(tmp_path):
    project, vocab, cache = Project.at(ROOT), load_vocabularies(), FileCache()
    first, second = _site(project, vocab, cache), _site(project, vocab, cache)
    for uri, case in second.cases.items():
        assert render.case_page_inputs(case, second.context) == render.case_page_inputs(first.cases[uri],
                                                                                           first.context)


@pytest.mark.parametrize("edit", [*sorted(EDITS), "paragraph"])
def test_remembered_neighbours_are_the_ones_found_afresh(library_copy, edit):
    """Neighbours are reused between saves only while nothing they read changed, and then point at
    the new case objects (so a renamed case's new title shows in "Cases like this one")."""
    project, vocab, cache = Project.at(library_copy), load_vocabularies(), FileCache()
    _site(project, vocab, cache)
    target = library_copy / "cases" / "plymouth-alliance.md"
    pattern, replacement = EDITS.get(edit, (r"^## Context\n\n", "## Context\n\nA sentence added by a test. "))
    text, count = re.subn(pattern, replacement, target.read_text("utf-8"), count=1, flags=re.M)
    assert count == 1
    target.write_text(text, "utf-8")
    after = _site(project, vocab, cache)
    library = after.context.library
    fresh = relations._neighbours(library.sorted_cases(), after.relations, vocab)

    def shown(found):
        return {slug: [(n.case.slug, n.case.title, n.reasons, n.score) for n in items] for slug, items in found.items()}

    assert shown(after.relations.neighbours) == shown(fresh)
    assert all(n.case is library.cases[n.case.slug] for items in after.relations.neighbours.values() for n in items)
