"""The evidence rules: every cited source carries the passages the case rests on, the HLS class and
the period carry theirs, and the case's own words do not repeat a source's words unquoted.

These checks need the validated model, so :mod:`hls_site.validation` runs them after the schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .loading import SourceFile
from .problems import Problem
from .schema import CITATION_RE, CaseMeta

#: How many consecutive words of a quote, repeated unquoted, count as copying.
COPIED_RUN = 8
#: A featured or self-described case's evidence must name the approach ("Human, Learning, Systems" is
#: how the 2019 report Exploring the New World wrote it).
NAMES_HLS = re.compile(r"human[\s,-]+learning[\s,-]+systems?|\bHLS\b", re.IGNORECASE)
#: Spans in quotation marks are the sources' words, marked as such.
_QUOTED = re.compile(r'"[^"\n]*(?:\n[^"\n]*){0,6}"|“[^”]*”|«[^»]*»|„[^“”]*[“”]')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Passage:
    """A piece of the case's own text: where it is and what it says."""

    field: str
    path: tuple  # front-matter path, or () for the body
    text: str
    first_line: int = 0  # for the body: the file line of the text's first line


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def _spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, quoted) for the stretches of ``text`` outside and inside quotation marks, in order."""
    position = 0
    for quoted in _QUOTED.finditer(text):
        yield position, quoted.start(), False
        yield quoted.start(), quoted.end(), True
        position = quoted.end()
    yield position, len(text), False


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))  # same length: offsets stay those of the text


def _tokens(text: str) -> list[str | None]:
    """Every word outside quotation marks, folded, with None standing for a quoted span."""
    text = CITATION_RE.sub(_blank, text)
    words: list[str | None] = []
    for start, end, quoted in _spans(text):
        if quoted:
            words.append(None)
        elif found := _WORD.findall(text, start, end):
            words += " ".join(found).casefold().split(" ")
    return words


def _token_offsets(text: str) -> list[int]:
    """Where each of :func:`_tokens`' tokens starts in ``text`` (found again only to report a problem)."""
    text = CITATION_RE.sub(_blank, text)
    offsets: list[int] = []
    for start, end, quoted in _spans(text):
        offsets += [start] if quoted else [m.start() for m in _WORD.finditer(text, start, end)]
    return offsets


def _grams(words: list[str]) -> Iterable[tuple[str, ...]]:
    return (tuple(words[i:i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1))


def own_passages(meta: CaseMeta, body: str, body_line: int) -> list[Passage]:
    """Every piece of text that is the case's own words (not quotes, not names)."""
    out = [Passage("summary", ("summary",), meta.summary)]
    out += [Passage(f"principles.{p}", ("principles", p), note) for p, note in meta.principles.items()]
    for i, obstacle in enumerate(meta.obstacles):
        for name in ("obstacle", "response"):
            out.append(Passage(f"obstacles[{i}].{name}", ("obstacles", i, name), getattr(obstacle, name)))
    for i, cycle in enumerate(meta.learning_cycles):
        for name in ("tried", "learned", "changed"):
            out.append(Passage(f"learning_cycles[{i}].{name}", ("learning_cycles", i, name), getattr(cycle, name)))
    out.append(Passage("body", (), body, body_line))
    return out


def copied_runs(source: SourceFile, meta: CaseMeta, body: str, body_line: int) -> list[Problem]:
    """Runs of ``COPIED_RUN`` or more words that a quote and the case's own text share, unquoted."""
    quotes: dict[tuple[str, ...], int] = {}
    for number, src in enumerate(meta.sources, start=1):
        for text in src.quote_texts():
            for gram in _grams(_words(text)):
                quotes.setdefault(gram, number)
    for entry in (meta.hls_evidence, *meta.period.evidence):
        if entry is not None:
            for gram in _grams(_words(entry.quote)):
                quotes.setdefault(gram, entry.source)
    if not quotes:
        return []
    names = {g for name in [*meta.organisations, *(s.title for s in meta.sources)] for g in _grams(_words(name))}
    problems = []
    for passage in own_passages(meta, body, body_line):
        words = _tokens(passage.text)
        offsets: list[int] = []
        i = 0
        while i <= len(words) - COPIED_RUN:
            gram = tuple(words[i:i + COPIED_RUN])
            if gram not in quotes or None in gram or gram in names:
                i += 1
                continue
            end = i + COPIED_RUN  # extend to the whole shared run
            while end < len(words) and words[end] is not None and \
                    tuple(words[end - COPIED_RUN + 1:end + 1]) in quotes:
                end += 1
            run = words[i:end]
            offsets = offsets or _token_offsets(passage.text)
            offset = offsets[i]
            excerpt = " ".join(run[:6]) + (" …" if len(run) > 6 else "")
            message = (f"repeats {len(run)} words of a quote from [S{quotes[gram]}] without quotation marks "
                       f"(\"{excerpt}\"); put the source's words in quotation marks, or say it in your own words")
            if passage.path:
                problems.append(source.problem(passage.path, message))
            else:
                before = passage.text[:offset]
                line = passage.first_line + before.count("\n")
                column = offset - (before.rfind("\n") + 1) + 1
                problems.append(Problem(source.display, line, column, "body", message))
            i = end
    return problems


def cited_sources(meta: CaseMeta, body: str) -> set[int]:
    """The numbers of every source the case's text cites."""
    texts = [p.text for p in own_passages(meta, body, 0)]
    return {int(n) for text in texts for n in CITATION_RE.findall(text)}


def evidence_problems(source: SourceFile, meta: CaseMeta, body: str, body_line: int) -> list[Problem]:
    """Every evidence rule, checked on a case whose front matter is otherwise valid."""
    problems: list[Problem] = []
    count = len(meta.sources)
    problems += _citation_ranges(source, meta, count)
    entries = [(("hls_evidence",), meta.hls_evidence)] if meta.hls_evidence else []
    entries += [(("period", "evidence", i), e) for i, e in enumerate(meta.period.evidence)]
    for path, entry in entries:
        if entry.source > count:
            problems.append(source.problem((*path, "source"), f"there is no source {entry.source}; "
                                           f"'sources' has {count}"))
    evidenced = {e.source for _, e in entries}
    cited = cited_sources(meta, body)
    for number, src in enumerate(meta.sources, start=1):
        if (number in cited or number in evidenced) and not src.quotes and number not in evidenced:
            problems.append(source.problem(
                ("sources", number - 1, "title"),
                f"[S{number}] is cited but has no quotes; add 'quotes:' with the passages of the source that "
                "the citing sentences rest on, copied exactly"))
        elif number not in cited and number not in evidenced:
            problems.append(source.problem(
                ("sources", number - 1, "title"),
                f"source {number} is listed but nothing cites it; cite it as [S{number}] where it backs a "
                "sentence, or remove it (and renumber the citations after it)"))
    problems += _class_evidence(source, meta)
    if meta.period.start != "unknown" and not meta.period.evidence:
        problems.append(source.problem(
            ("period", "start"),
            "add 'evidence:' under 'period' with the source and passage that state this year; if no source "
            "states when the work began, write 'by YEAR' (the earliest year a source shows it under way) or "
            "'unknown'"))
    problems += copied_runs(source, meta, body, body_line)
    return problems


def _citation_ranges(source: SourceFile, meta: CaseMeta, count: int) -> list[Problem]:
    problems = []
    for passage in own_passages(meta, "", 0)[:-1]:  # the body's citations are checked with the body
        for number in CITATION_RE.findall(passage.text):
            if not 1 <= int(number) <= count:
                problems.append(source.problem(passage.path, f"[S{number}] cites a source that is not listed; "
                                               f"'sources' has {count}"))
    return problems


def _normal(name: str) -> str:
    return " ".join(_words(name))


def _class_evidence(source: SourceFile, meta: CaseMeta) -> list[Problem]:
    link, evidence = meta.hls_link, meta.hls_evidence
    if link == "aligned":
        if evidence is not None:
            return [source.problem(("hls_evidence",), "an aligned case makes no claim that the work is HLS, so it "
                                   "carries no 'hls_evidence'; remove it, or change hls_link")]
        return []
    if link not in ("featured", "self-described"):
        return []  # a site's own classes carry no rule here
    if evidence is None:
        what = ("an HLS publication presents this work as an example or case study" if link == "featured"
                else "the organisation itself says it uses Human Learning Systems")
        return [source.problem(("hls_link",), f"a {link} case needs 'hls_evidence': the source number and the "
                               f"passage in which {what}")]
    problems = []
    if not NAMES_HLS.search(evidence.quote):
        problems.append(source.problem(("hls_evidence", "quote"), "the evidence quote does not name Human Learning "
                                       "Systems; quote the passage that does, or change hls_link"))
    if link == "self-described" and 1 <= evidence.source <= len(meta.sources):
        publisher = _normal(meta.sources[evidence.source - 1].publisher)
        orgs = [_normal(o) for o in meta.organisations]
        if not any(o and (o in publisher or publisher in o) for o in orgs):
            problems.append(source.problem(
                ("hls_evidence", "source"),
                f"self-described means the organisation says it in its own words, but source {evidence.source} is "
                f"published by {meta.sources[evidence.source - 1].publisher!r}, not one of the case's "
                "organisations; cite the organisation's own publication, or class the case featured or aligned"))
    return problems
