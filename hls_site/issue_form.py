"""The "Suggest a case" issue form (.github/ISSUE_TEMPLATE/new-case.yml), written from the schema.

People who do not use git suggest a case through this form; a maintainer turns the answers into a
case file. Its questions, limits, vocabularies and evidence rules come from the same models and
vocabularies as the validator, so the form cannot ask for less (or other) than a case needs. Every
front-matter field is asked, or named in ``NOT_ASKED`` with the reason; a test holds that.
"""

from __future__ import annotations

from typing import Any

import yaml

from .schema import QUOTE_WORDS, SECTIONS, SILENT_MARKER, CaseMeta
from .vocabularies import Vocabularies

#: Fields the form does not ask, and why.
NOT_ASKED = {
    "added": "set by the maintainer when the case joins the library",
    "hls_evidence": "asked with hls_link, as the source number and passage",
    "period": "asked as its parts: start, end and the passage that states them",
}
SECTION_HELP = {
    "Context": "The situation before the work began: the place, the service and the problem.",
    "What they did": "What the organisations actually did, and how.",
    "Obstacles and how they responded": "What got in the way, and what they did about it.",
    "What changed": "Outcomes and changes the sources report, for people, services or the system.",
    "What they learned": "What the people involved say they learned.",
}


def _describe(name: str) -> str:
    info = CaseMeta.model_fields[name]
    return info.description or ""


def _max_chars(name: str) -> int | None:
    for item in CaseMeta.model_fields[name].metadata:
        if getattr(item, "max_length", None) is not None:
            return item.max_length
    return None


def _text(id_: str, label: str, description: str, *, required: bool = True, kind: str = "textarea",
          placeholder: str | None = None, value: str | None = None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": label, "description": description}
    if placeholder:
        attributes["placeholder"] = placeholder
    if value:
        attributes["value"] = value
    item: dict[str, Any] = {"type": kind, "id": id_, "attributes": attributes}
    if required:
        item["validations"] = {"required": True}
    return item


def _choices(id_: str, label: str, description: str, terms, *, multiple: bool, required: bool,
             other: bool = False) -> dict[str, Any]:
    options = [f"{t.label} ({t.id})" for t in terms]
    if other:
        options.append('Something else (say under "Anything else")')
    item: dict[str, Any] = {"type": "dropdown", "id": id_, "attributes": {
        "label": label, "description": description, "multiple": multiple, "options": options}}
    if required:
        item["validations"] = {"required": True}
    return item


def _markdown(text: str) -> dict[str, Any]:
    return {"type": "markdown", "attributes": {"value": text}}


def issue_form(vocab: Vocabularies) -> dict[str, Any]:
    """The form as data, in the order a contributor thinks about a case."""
    title_max, summary_max = _max_chars("title"), _max_chars("summary")
    body: list[dict[str, Any]] = [
        _markdown(
            "Thank you. A maintainer will turn this into a case page and credit you if you wish.\n\n"
            "**The rules that make the library trustworthy:** the initiative is real and publicly documented; "
            "every fact you write comes from a public source you list below, and for each source you copy the "
            "passages your facts rest on, so that anyone can check them; you write in your own words (no copied "
            "sentences; the source's words only in quotation marks); a plan stays a plan and \"could\" stays "
            "\"could\"; you link to the publisher's own page where there is one; a year no source states is "
            "never guessed.\n\nLeave a field empty only where it says *optional*.\n"),
        _text("title", "Name of the initiative",
              f"{_describe('title')} As the initiative is publicly known (at most {title_max} characters).",
              kind="input", placeholder="e.g. Plymouth Alliance for complex lives"),
        _text("summary", "Summary", f"{_describe('summary')} What was done and why it matters "
              f"(at most {summary_max} characters)."),
        _text("organisations", "Organisations", "One per line. Put the lead organisation first."),
        _text("place", "Place", _describe("place"), kind="input", placeholder="e.g. Plymouth, England"),
        _text("country", "Country code", "The two-letter ISO 3166-1 code, such as GB (not UK), FI or AU. If "
              "unsure, write the country's name.", kind="input"),
    ]
    if "subdivision" in CaseMeta.model_fields:
        body.append(_text("subdivision", "Nation or region (optional)", _describe("subdivision"),
                          kind="input", required=False, placeholder="e.g. GB-SCT"))
    body += [
        _choices("sectors", "Sectors", "The fields of public service involved. Choose one or more.",
                 vocab.sectors, multiple=True, required=True, other=True),
        _choices("scales", "Scales", "The system scales the work happened at. Choose one or more.",
                 vocab.scales, multiple=True, required=True),
        _markdown("### Principles\n\nFill in each principle the case shows (at least one), and leave the others "
                  "empty. Say what in **this case** shows the principle, in one or two sentences, citing sources "
                  "as [S1], not what the principle means.\n"),
    ]
    body += [_text(f"principle-{t.id}", f"{t.label} (optional): how does this case show it?", t.description,
                   required=False) for t in vocab.principles]
    body += [
        _markdown("### Sources, and the passages your facts rest on\n\nNumber your sources; the numbers are how "
                  "you cite them ([S1], [S2]). Under each, copy exactly the passages that your sentences rest on "
                  f"(at most {QUOTE_WORDS} words each, in the source's own language). Reviewers read these "
                  "passages instead of the whole source.\n"),
        _text("sources", "Sources",
              "Link to the publisher's own page; if you can only find a copy or mirror, say so. If a source shows "
              "no date, write n.d. for the year; never guess.",
              value="".join(
                  f"{n}. Title:\n   Link (URL):\n   Publisher:\n   Year (or n.d.):\n"
                  "   Is this a copy or mirror rather than the publisher's own page? (yes/no): no\n"
                  "   Passages (copied exactly, one per line):\n     - \"\"\n\n" for n in (1, 2))),
        _text("period-start", "When the work began",
              "A year a source states (e.g. 2019); or \"by 2019\" when a source shows the work under way by then "
              "but not when it began; or \"unknown\". Never a guess.", kind="input"),
        _text("period-end", "When it ended", "A year a source states, \"ongoing\" (the latest source describes "
              "it as current) or \"unknown\".", kind="input"),
        _text("period-evidence", "The passage that states these years",
              "Which source (its number) and the passage, copied exactly. Leave empty only if the start is "
              "unknown.", required=False),
        _choices("hls_link", "Link to Human Learning Systems",
                 "Be honest. Choose \"Aligned practice\" unless a source shows one of the others; never claim that "
                 "an organisation uses HLS when it does not say so.",
                 [type("T", (), {"label": f"{t.label}: {t.description}", "id": t.id}) for t in vocab.hls_links],
                 multiple=False, required=True),
        _text("hls_evidence", "The passage that shows the link to HLS (not needed for aligned)",
              "Featured: the passage of the HLS publication that presents this work as an example or case study. "
              "Self-described: the passage in which the organisation itself says it uses Human Learning Systems. "
              "Give the source's number and copy the passage exactly; it must name Human Learning Systems.",
              required=False),
        _text("last_reviewed", "Date you checked the sources", "When you last read the sources, written "
              "YYYY-MM-DD.", kind="input", placeholder="e.g. 2026-12-07"),
        _markdown(f"### The case, in {len(SECTIONS)} sections\n\nIn your own words, from the sources above.\n"),
    ]
    body += [_text(s.lower().replace(" ", "-"), s, f"{SECTION_HELP[s]} Cite sources by their number, like [S1] "
                   f"or [S2]. If no public source says anything about this, write one line starting "
                   f"\"{SILENT_MARKER}\".") for s in SECTIONS]
    kinds = "; ".join(f"{t.label} ({t.id})" for t in vocab.obstacles)
    body += [
        _text("obstacles", "Obstacles, one by one (optional)",
              f"{_describe('obstacles')} For each: its kind (one of: {kinds}), what it was, how they responded "
              "(citing sources as [S1]), and whether the sources say it worked (worked, partly, did not work, "
              "not stated).", required=False),
        _choices("practices", "Practices (optional)", "Practices the case uses, where the sources show them.",
                 vocab.practices, multiple=True, required=False),
        _text("learning_cycles", "Learning cycles (optional)",
              f"{_describe('learning_cycles')} For each: when, the scale (person, team, organisation, place or "
              "national), what was tried, what was learned and what changed, citing sources as [S1].",
              required=False),
        _text("related", "Related cases (optional)", "Cases already in the library that this one relates to, by "
              "name or page address.", required=False),
        _text("contributors", "Credit (optional)", "The name to credit on the case page. Leave empty to stay "
              "anonymous.", kind="input", required=False),
        _text("anything-else", "Anything else (optional)", "Anything you could not confirm, where sources "
              "disagree, or a sector that is not in the list.", required=False),
        {"type": "checkboxes", "id": "confirm", "attributes": {"label": "Before you submit", "options": [
            {"label": "The initiative is real and publicly documented.", "required": True},
            {"label": "Every fact above comes from a source I listed, and I copied the passages it rests on.",
             "required": True},
            {"label": "I wrote it in my own words; the sources' words are only in quotation marks.",
             "required": True},
            {"label": "I agree that my text is published under the Creative Commons Attribution 4.0 licence "
                      "(CC BY 4.0), like the rest of the library's content.", "required": True},
        ]}},
    ]
    return {"name": "Suggest a case",
            "description": "Tell us about a real, publicly documented initiative. You do not need git or GitHub "
                           "skills.",
            "title": "New case: ", "labels": ["new case"], "body": body}


ASKED_AS = {"principles": "principle-", "period": "period-", "hls_link": "hls_link", "sources": "sources"}


def asked_fields(form: dict[str, Any]) -> set[str]:
    """The front-matter fields a form asks for (by id, or by id prefix for grouped fields)."""
    ids = {item.get("id", "") for item in form["body"]}
    return {name for name in CaseMeta.model_fields
            if name in ids or any(i.startswith(ASKED_AS.get(name, "\0")) for i in ids)}


HEADER = ("# A form for suggesting a case without using git, written from the case schema by\n"
          "# `hls schema --format issue-form` (do not edit by hand). A maintainer turns the answers into\n"
          "# cases/<slug>.md, runs `hls validate`, and opens the pull request.\n")


def dumps(vocab: Vocabularies) -> str:
    return HEADER + yaml.safe_dump(issue_form(vocab), sort_keys=False, allow_unicode=True, width=110)
