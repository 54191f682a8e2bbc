"""The case body: its five sections, completeness and citations.

What the body may contain beyond plain Markdown (no raw HTML, no attribute lists, safe links) is
:mod:`hls_site.safety`'s to judge; its findings are reported here with the body's other problems.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .safety import body_findings
from .schema import PLACEHOLDER, SECTIONS, SILENT_MARKER

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CITATION = re.compile(r"\[S(\d+)\]")
#: Citations written almost right: [s1], [S1, S2], [S1-S3], [S 1], [^1].
_NEAR_CITATION = re.compile(r"\[(?:[sS]\s*\d+(?:\s*[,;\u2013-]\s*[sS]?\s*\d+)+|s\d+|S\s+\d+|\^[^\]\s]+)\]")
_INDENTED = re.compile(r"^(?: {4}|\t)\S")


@dataclass(frozen=True)
class Section:
    title: str
    line: int  # file line of the heading
    text: str

    @property
    def silent(self) -> bool:
        """True when the section only says that public sources are silent."""
        return self.text.lstrip().lower().startswith(SILENT_MARKER.lower())


@dataclass(frozen=True)
class BodyIssue:
    line: int
    column: int
    field: str
    message: str


def parse_body(
    body: str, first_line: int, source_count: int, *, check_citations: bool = True
) -> tuple[list[Section], list[BodyIssue]]:
    """Split the body into its level-2 sections and report every way it breaks the rules."""
    if not body.strip():  # one problem, not one per missing section
        return [], [BodyIssue(first_line, 1, "body", "the body is empty; after the front matter, write the five "
                              f"sections in order: {', '.join('## ' + s for s in SECTIONS)}")]
    issues = [BodyIssue(first_line + f.line - 1, f.column, "body", f.message) for f in body_findings(body)]
    sections: list[tuple[str, int, list[str]]] = []
    previous = ""
    # Every line is prose: the site's Markdown has no fenced-code extension, so fences are not code.
    for line, text in enumerate(body.split("\n"), start=first_line):
        for match in _NEAR_CITATION.finditer(text):
            issues.append(BodyIssue(line, match.start() + 1, "body",
                                    f"'{match.group(0)}' is not a citation the site links; cite each source "
                                    "on its own, as [S1][S2]"))
        if _INDENTED.match(text) and not previous.strip() and _CITATION.search(text):
            issues.append(BodyIssue(line, 1, "body", "this paragraph is indented, so it would show as code; "
                                    "remove the spaces at the start of the line"))
        previous = text
        for match in _CITATION.finditer(text) if check_citations else ():
            number = int(match.group(1))
            if not 1 <= number <= source_count:
                issues.append(BodyIssue(line, match.start() + 1, "body",
                                        f"[S{number}] cites a source that is not listed; "
                                        f"'sources' has {source_count}"))
        if PLACEHOLDER in text:
            issues.append(BodyIssue(line, text.index(PLACEHOLDER) + 1, "body",
                                    "placeholder text 'TODO' is still here; replace it with the case"))
        heading = _HEADING.match(text)
        if heading and len(heading.group(1)) <= 2:
            level, title = len(heading.group(1)), heading.group(2)
            if level == 1:
                issues.append(BodyIssue(line, 1, "body",
                                        "no level-1 heading in the body: the title comes from 'title'"))
                continue
            sections.append((title, line, []))
        elif sections:
            sections[-1][2].append(text)
        elif text.strip():
            issues.append(BodyIssue(line, 1, "body",
                                    f"text before the first section; start the body with '## {SECTIONS[0]}'"))

    found = [Section(title, line, "\n".join(lines).strip()) for title, line, lines in sections]
    issues += _check_sections(found, first_line)
    return [s for s in found if s.title in SECTIONS], issues


def _check_sections(found: list[Section], first_line: int) -> list[BodyIssue]:
    issues = []
    titles = [s.title for s in found]
    for section in found:
        if section.title not in SECTIONS:
            guess = difflib.get_close_matches(section.title, SECTIONS, n=1, cutoff=0.6)
            hint = f"; did you mean '## {guess[0]}'?" if guess else "; use '###' for a sub-heading"
            issues.append(BodyIssue(section.line, 1, "body",
                                    f"unexpected section '## {section.title}'{hint}"))
        elif not section.text:
            issues.append(BodyIssue(section.line, 1, f"body: {section.title}",
                                    f"section is empty; write what the sources say, or one line "
                                    f"starting '{SILENT_MARKER}'"))
        if titles.count(section.title) > 1 and section is not next(s for s in found if s.title == section.title):
            issues.append(BodyIssue(section.line, 1, "body", f"section '## {section.title}' appears twice"))
    known = [s for s in found if s.title in SECTIONS]
    for index, expected in enumerate(SECTIONS):
        if expected not in titles:
            after = [s for s in known if SECTIONS.index(s.title) > index]
            line = after[0].line if after else (known[-1].line if known else first_line)
            issues.append(BodyIssue(line, 1, "body",
                                    f"missing section '## {expected}'; every case has these sections "
                                    f"in order: {', '.join(SECTIONS)}"))
    order = [SECTIONS.index(s.title) for s in known]
    if order != sorted(order):
        first_bad = next(known[i] for i in range(1, len(order)) if order[i] < order[i - 1])
        issues.append(BodyIssue(first_bad.line, 1, "body",
                                f"section '## {first_bad.title}' is out of order; expected "
                                f"{', '.join(SECTIONS)}"))
    return issues


def completeness(sections: list[Section]) -> int:
    """How many of the five sections carry sourced content (not the silent marker)."""
    return sum(1 for s in sections if s.title in SECTIONS and s.text and not s.silent)

