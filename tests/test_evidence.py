"""The evidence rules: each new check has a fixture that fails it, with file, line and field.

The fixture case (tests/fixtures/site/cases/alpha-alliance.md) is valid; each test breaks one rule
and runs `hls validate` as a contributor would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, run_hls

GOOD = (FIXTURE_SITE / "cases" / "alpha-alliance.md").read_text("utf-8")
BETA = (FIXTURE_SITE / "cases" / "beta-forum.md").read_text("utf-8")


def _mutate(old: str, new: str, text: str = GOOD) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _problems(tmp_path: Path, content: str) -> list[tuple[int, str, str]]:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "beta-forum.md").write_text(BETA)
    (cases / "alpha-alliance.md").write_text(content)
    result = run_hls("validate", "--root", str(tmp_path))
    assert "Traceback" not in result.stdout + result.stderr
    pattern = re.compile(r"^cases/alpha-alliance\.md:(\d+):\d+: (.+?): (.*)$")
    return [(int(m.group(1)), m.group(2), m.group(3)) for line in result.stdout.splitlines()
            if (m := pattern.match(line))]


QUOTE_2 = '''    quotes:
      - "The council replaced its separate contracts with a single alliance of providers."
'''

def _only_cited_by(kept: str) -> str:
    """GOOD with source 2's quotes removed and every citation of it moved to [S1] except ``kept``."""
    text = _mutate(QUOTE_2, "")
    for sentence in ("They made one alliance [S2].", "The commissioners replaced them with one alliance contract [S2].",
                     "The rules were changed [S2].", "Trust took time [S2].",
                     "One alliance replaced separate contracts [S2]."):
        if sentence != kept:
            text = _mutate(sentence, sentence.replace("[S2]", "[S1]"), text)
    return text


CASES = [
    ("cited-source-without-quotes", _mutate(QUOTE_2, ""), "sources[1].title", "is cited but has no quotes"),
    ("quote-over-fifty-words",
     _mutate('      - "Alphaton had eleven', '      - "' + "word " * 51 + 'Alphaton had eleven'),
     "sources[0].quotes[1]", "at most 50 words"),
    ("featured-without-evidence", re.sub(r"hls_evidence:\n  source: 1\n  quote: .*\n", "", GOOD), "hls_link",
     "needs 'hls_evidence'"),
    ("evidence-not-naming-hls",
     _mutate("is one of our Human Learning Systems case studies", "is one of our case studies"),
     "hls_evidence.quote", "does not name Human Learning Systems"),
    ("self-described-by-a-third-party", _mutate("hls_link: featured", "hls_link: self-described"),
     "hls_evidence.source", "not one of the case's organisations"),
    ("aligned-with-evidence", _mutate("hls_link: featured", "hls_link: aligned"), "hls_evidence",
     "carries no 'hls_evidence'"),
    ("evidence-source-missing", _mutate("hls_evidence:\n  source: 1", "hls_evidence:\n  source: 7"),
     "hls_evidence.source", "there is no source 7"),
    ("period-without-evidence", re.sub(r"  evidence:\n    - source: 1\n      quote: .*\n", "", GOOD), "period.start",
     "add 'evidence:' under 'period'"),
    ("guessed-start-form", _mutate("  start: 2019\n", "  start: around 2019\n"), "period.start", "'by 2019'"),
    ("copied-run-in-body", _mutate("They made one alliance [S2].",
                                   "The council replaced its separate contracts with a single alliance [S2]."),
     "body", "repeats 10 words of a quote from [S2] without quotation marks"),
    ("copied-run-in-principle",
     _mutate("Workers shaped support around each person [S1].",
             "Workers in Alphaton shaped support around each person rather than around it [S1]."),
     "principles.human", "words of a quote from [S1] without quotation marks"),
    ("uncited-source", _mutate("They made one alliance [S2].", "They made one alliance [S1].").replace(
        "The commissioners replaced them with one alliance contract [S2].", "One contract [S1].").replace(
        "The rules were changed [S2].", "The rules were changed [S1].").replace(
        "Trust took time [S2].", "Trust [S1].").replace("One alliance replaced separate contracts [S2].", "One [S1]."),
     "sources[1].title", "nothing cites it"),
    ("obstacle-unknown-kind", _mutate("kind: commissioning-and-contracts", "kind: commissioning"), "obstacles[0].kind",
     "did you mean 'commissioning-and-contracts'"),
    ("obstacle-uncited", _mutate("The commissioners replaced them with one alliance contract [S2].",
                                 "The commissioners replaced them with one alliance contract."),
     "obstacles[0].response", "cite the source"),
    ("cycle-without-scale", _mutate("    scale: team\n", ""), "learning_cycles[0].scale", "required field is missing"),
    ("cycle-unknown-scale", _mutate("    scale: team\n", "    scale: teams\n"), "learning_cycles[0].scale",
     "did you mean 'team'"),
    ("obstacle-without-kind", _mutate("  - kind: commissioning-and-contracts\n    obstacle:", "  - obstacle:"),
     "obstacles[0].kind", "required field is missing"),
    ("obstacle-unknown-result", _mutate("    result: not-stated", "    result: yes"), "obstacles[0].result",
     "not-stated"),
    ("obstacle-cites-unlisted-source", _mutate("Separate contracts each measured their own outputs [S1].",
                                               "Separate contracts each measured their own outputs [S9]."),
     "obstacles[0].obstacle", "[S9] cites a source that is not listed"),
    ("cycle-uncited", _mutate("A weekly review of stuck cases [S1].", "A weekly review of stuck cases."),
     "learning_cycles[0].tried", "cite the source"),
    ("cycle-cites-unlisted-source", _mutate("The rules were changed [S2].", "The rules were changed [S3]."),
     "learning_cycles[0].changed", "[S3] cites a source that is not listed"),
    # A source cited only by an obstacle (or only by a cycle) still needs its quotes.
    ("obstacle-cites-source-without-quotes", _only_cited_by("The commissioners replaced them with one alliance "
                                                           "contract [S2]."), "sources[1].title",
     "is cited but has no quotes"),
    ("cycle-cites-source-without-quotes", _only_cited_by("The rules were changed [S2]."), "sources[1].title",
     "is cited but has no quotes"),
]


@pytest.mark.parametrize("content,field,fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_evidence_rule_reports_file_line_and_field(tmp_path, content, field, fragment):
    problems = _problems(tmp_path, content)
    assert any(f == field and fragment in message for _, f, message in problems), problems
    assert all(line >= 1 for line, _, _ in problems)


def test_quoted_words_are_not_a_copied_run(tmp_path):
    content = _mutate("They made one alliance [S2].", 'They made, in the council\'s words, "a single alliance of '
                      'providers" to replace its separate contracts [S2].')
    assert _problems(tmp_path, content) == []


def test_a_copied_run_is_placed_where_it_starts_after_many_citations(tmp_path):
    # citations are taken out before words are compared; the reported place must still be the file's
    lead = "They made one alliance " + "[S1][S2]" * 40 + " and then,\nafter that, "
    content = _mutate("They made one alliance [S2].",
                      lead + "The council replaced its separate contracts with a single alliance [S2].")
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "beta-forum.md").write_text(BETA)
    (cases / "alpha-alliance.md").write_text(content)
    result = run_hls("validate", "--root", str(tmp_path))
    found = re.search(r"alpha-alliance\.md:(\d+):(\d+): body: repeats", result.stdout)
    assert found, result.stdout
    line = next(i for i, text in enumerate(content.split("\n"), start=1) if text.startswith("after that, "))
    assert (int(found.group(1)), int(found.group(2))) == (line, len("after that, ") + 1), result.stdout


def test_a_name_the_case_lists_is_not_a_copied_run(tmp_path):
    name = "Alphaton Council for Shaping Support Around Each Person Today"
    content = _mutate("organisations: [Alpha Council, Alpha Providers]", f"organisations: [Alpha Council, {name}]")
    content = _mutate('      - "Alphaton had eleven', f'      - "{name} said Alphaton had eleven', content)
    content = _mutate("Fewer handoffs [S1].", f"{name} reported fewer handoffs [S1].", content)
    assert _problems(tmp_path, content) == []


@pytest.mark.parametrize("start,shown", [("by 2016", "Under way by 2016; ongoing"), ("unknown", "Start not known")])
def test_a_start_no_source_states_is_never_a_year(tmp_path, start, shown):
    content = _mutate("  start: 2019\n", f"  start: {start}\n")
    if start == "unknown":
        content = re.sub(r"  evidence:\n    - source: 1\n      quote: .*\n", "", content)
    assert _problems(tmp_path, content) == []
    from hls_site.periods import period_text
    from hls_site.schema import Period
    assert period_text(Period.model_validate({"start": start, "end": "ongoing"})).startswith(shown)
