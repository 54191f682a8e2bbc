"""Synthetic, schema-valid cases for the benchmark, written beside the real ones in a scratch copy.

The text is recombined from sentences of the real cases (and their summaries and principle notes),
so Pagefind indexes a realistic vocabulary: random words would inflate its index and memory far
beyond what a real library of the same size needs. Everything is seeded, so a run is repeatable.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from hls_site.scaffold import slugify
from hls_site.schema import PLACEHOLDER, SECTIONS, SILENT_MARKER
from hls_site.validation import case_files
from hls_site.vocabularies import Vocabularies

_CITATION = re.compile(r"\s*\[S\d+\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
#: Characters that would make a recombined sentence Markdown or HTML rather than prose.
_UNSAFE = re.compile(r"[<>\[\]|*#_`\\{}]|\]\(|https?:")

PLACE_STARTS = ("Ash", "Brook", "Cal", "Dun", "Elm", "Fair", "Glen", "Hart", "Ink", "Kings", "Lang", "Mill",
                "North", "Oak", "Pen", "Queens", "Rother", "Stan", "Thorn", "Up", "Wal", "West", "Whit",
                "York", "Bel", "Car", "Dal", "East", "Har", "Lin", "Mar", "New", "Rad", "Sel", "Tam", "Wey")
PLACE_ENDS = ("bury", "field", "ford", "ham", "ley", "mouth", "ton", "wick", "worth", "bridge", "by", "caster",
              "dale", "gate", "hurst", "minster", "moor", "port", "stead", "stow", "vale", "well", "wood")
FORMS = ("Community Alliance", "Learning Partnership", "Neighbourhood Teams", "Early Help Reform",
         "Homelessness Pathway", "Youth Voice Fund", "Family Hubs", "Complex Lives Forum", "Wellbeing Network",
         "Recovery Collective", "Relational Commissioning Pilot", "Place-based Learning Programme",
         "Community Health Teams", "Council Tax Arrears Trial", "Trust-based Grants", "Peer Support Network",
         "Housing First Service", "Prison Leavers Project", "Schools Inclusion Partnership",
         "Adult Social Care Redesign", "Mental Health Alliance", "Employment Support Experiment",
         "Strengths-based Practice", "Local Area Coordination", "Multiple Disadvantage Partnership",
         "Public Health Learning Lab", "Debt Advice Collaborative", "Carers Circle", "Care Leavers Offer",
         "Poverty Truth Commission", "Community Wealth Building", "Integrated Care Learning Network",
         "Funders Collaborative", "Children's Services Reset", "Street Outreach Team", "Welfare Rights Pilot",
         "Whole-System Learning Cycle", "Neighbourhood Nursing", "Community Connectors", "Kinship Care Forum")
COUNTRIES = (("GB", "England"), ("GB", "England"), ("GB", "England"), ("GB", "Scotland"), ("GB", "Wales"),
             ("NL", "Netherlands"), ("AU", "Australia"), ("NZ", "New Zealand"), ("FI", "Finland"),
             ("SE", "Sweden"), ("US", "United States"), ("CA", "Canada"), ("IE", "Ireland"))
PUBLISHER_KINDS = ("City Council", "County Council", "Foundation", "Trust", "CIC", "NHS Trust", "University",
                   "Housing Association", "Community Foundation", "Alliance")
TODAY = "2026-11-01"


class _NoAliasDumper(yaml.SafeDumper):
    """Never write '&anchors' or '*aliases': the validator refuses them (alias bombs)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass
class TextPool:
    """Sentences from the real library, sorted by use: body prose, and short ones for summaries."""

    sentences: list[str]
    short: list[str]

    @classmethod
    def from_cases(cls, cases_dir: Path) -> TextPool:
        """Split every real case (body, summary, notes, learning cycles) into clean sentences."""
        found: set[str] = set()
        for path in case_files(cases_dir):
            post = frontmatter.load(path)
            texts = [post.get("summary", ""), *dict(post.get("principles") or {}).values()]
            for cycle in post.get("learning_cycles") or []:
                texts += [str(v) for v in cycle.values()]
            paragraph: list[str] = []
            for line in post.content.splitlines() + [""]:
                if line.strip() and not line.lstrip().startswith(("#", "|", "-", "*", ">", "!", "    ")):
                    paragraph.append(line.strip())
                elif paragraph:
                    texts.append(" ".join(paragraph))
                    paragraph = []
            for text in texts:
                for sentence in _SENTENCE_END.split(_CITATION.sub("", str(text))):
                    sentence = " ".join(sentence.split())
                    if (40 <= len(sentence) <= 300 and sentence[-1] in ".!?" and not _UNSAFE.search(sentence)
                            and PLACEHOLDER not in sentence and not sentence.startswith(SILENT_MARKER)):
                        found.add(sentence)
        sentences = sorted(found)
        if len(sentences) < 50:
            raise SystemExit(f"only {len(sentences)} usable sentences in {cases_dir}; need real cases to recombine")
        return cls(sentences, [s for s in sentences if len(s) <= 200])


def _titles(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """Unique, plausible names ('Brookfield Family Hubs'), sampled without replacement."""
    places = [a + b for a in PLACE_STARTS for b in PLACE_ENDS]
    total = len(places) * len(FORMS)
    if count > total:
        raise SystemExit(f"at most {total:,} synthetic cases can be named")
    out = []
    for index in rng.sample(range(total), total):
        title = f"{places[index % len(places)]} {FORMS[index // len(places)]}"
        if title.casefold() not in taken and slugify(title) not in taken:
            out.append(title)
            if len(out) == count:
                break
    return out


def _paragraph(rng: random.Random, pool: TextPool, sources: int) -> str:
    sentences = rng.sample(pool.sentences, rng.randint(2, 4))
    cited = [f"{s[:-1]} [S{rng.randint(1, sources)}]{s[-1]}" if rng.random() < 0.6 else s for s in sentences]
    last = cited[-1]
    if "[S" not in last:  # every paragraph carries at least one citation
        cited[-1] = f"{last[:-1]} [S{rng.randint(1, sources)}]{last[-1]}"
    return " ".join(cited)


def _case(title: str, slug: str, others: list[str], rng: random.Random, pool: TextPool,
          vocab: Vocabularies) -> str:
    """One case file: every required field, most optional ones, five sections, like a real case."""
    place_name = title.split(" ", 1)[0]
    country, region = rng.choice(COUNTRIES)
    start = rng.randint(2005, 2023)
    n_sources = rng.randint(2, 6)
    principles = rng.sample(vocab.principles.ids(), rng.randint(1, 3))
    meta: dict[str, Any] = {
        "title": title,
        "summary": rng.choice(pool.short),
        "organisations": [f"{place_name} {rng.choice(PUBLISHER_KINDS)}"]
        + [f"{place_name} {rng.choice(PUBLISHER_KINDS)}" for _ in range(rng.randint(0, 2))],
        "place": f"{place_name}, {region}",
        "country": country,
        "sectors": rng.sample(vocab.sectors.ids(), rng.randint(1, 3)),
        "scales": rng.sample(vocab.scales.ids(), rng.randint(1, 3)),
        "principles": {p: f"{rng.choice(pool.short)[:-1]} [S{rng.randint(1, n_sources)}]." for p in principles},
        "period": {"start": start, "end": rng.choice(["ongoing", "unknown", rng.randint(start, 2025)]),
                   "evidence": [{"source": 1, "quote": f"The work began in {start}."}]},
        "hls_link": (link := rng.choice(vocab.hls_links.ids())),
        "practices": rng.sample(vocab.practices.ids(), rng.randint(1, 4)),
    }
    if link != "aligned":  # the evidence rules: the passage that names the approach
        meta["hls_evidence"] = {"source": 1, "quote": f"{place_name} uses Human Learning Systems."}
    if others and rng.random() < 0.7:
        meta["related"] = rng.sample(others, min(len(others), rng.randint(1, 3)))
    if rng.random() < 0.3:
        meta["learning_cycles"] = [
            {"when": str(rng.randint(start, 2025)), "scale": rng.choice(vocab.scales.ids()),
             **{k: f"{rng.choice(pool.short)[:-1]} [S1]." for k in ("tried", "learned", "changed")}}
            for _ in range(rng.randint(1, 3))
        ]
    meta["sources"] = [
        {"title": " ".join(rng.choice(pool.short).split()[: rng.randint(4, 10)]).rstrip(".,;:"),
         "url": f"https://www.{slugify(place_name)}.example.org/{slug}/source-{n}",
         "publisher": meta["organisations"][0] if n == 1 else f"{place_name} {rng.choice(PUBLISHER_KINDS)}",
         "year": rng.choice([rng.randint(start, 2025), "n.d."]),
         "accessed": TODAY,
         # A quote per source (the evidence rules); made-up words, so no run of the text repeats it.
         "quotes": [f"Quoted passage {n} of {slug} for the benchmark, number {n}."]}
        for n in range(1, n_sources + 1)
    ]
    meta.update({"last_reviewed": TODAY, "added": TODAY, "contributors": ["Benchmark generator"]})

    body = []
    silent = rng.choice(SECTIONS[2:]) if rng.random() < 0.15 else None  # some cases are partly documented
    for section in SECTIONS:
        body.append(f"## {section}\n")
        if section == silent:
            body.append(f"{SILENT_MARKER}: no published account describes this.\n")
            continue
        for _ in range(rng.randint(1, 3)):
            body.append(_paragraph(rng, pool, n_sources) + "\n")
        if section == SECTIONS[0]:  # every listed source is cited somewhere (the evidence rules)
            body[-1] = body[-1].rstrip("\n") + " " + "".join(f"[S{i}]" for i in range(1, n_sources + 1)) + "\n"
    return frontmatter.dumps(frontmatter.Post("\n".join(body), **meta), Dumper=_NoAliasDumper,
                             sort_keys=False, width=120) + "\n"


def write_cases(cases_dir: Path, count: int, pool: TextPool, vocab: Vocabularies, seed: int = 9) -> list[Path]:
    """Write ``count`` synthetic cases into ``cases_dir`` beside whatever is there; return their paths."""
    rng = random.Random(seed)
    existing = case_files(cases_dir)
    taken = {p.stem for p in existing} | {frontmatter.load(p).get("title", "").casefold() for p in existing}
    titles = _titles(count, rng, taken)
    slugs = []
    for title in titles:
        slug = slugify(title)
        while slug in taken:
            slug += "-x"
        taken.add(slug)
        slugs.append(slug)
    paths = []
    for index, (title, slug) in enumerate(zip(titles, slugs, strict=True)):
        # Related cases are other synthetic ones, near in the list: back-links stay few per case,
        # and the real cases' pages are the same at every N (so their size can be compared).
        others = [s for s in slugs[max(0, index - 20): index + 20] if s != slug]
        path = cases_dir / f"{slug}.md"
        path.write_text(_case(title, slug, others, rng, pool, vocab), "utf-8")
        paths.append(path)
    return paths
