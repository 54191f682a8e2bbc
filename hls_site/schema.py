"""The case schema, defined once.

These models are the single definition of a case's front matter. The validator, the published
JSON Schema, the field table in the contributor docs and the ``hls new`` scaffold all read them.
Fields whose values come from a controlled vocabulary say so with ``x-vocabulary``; the
vocabulary itself is data (see :mod:`hls_site.vocabularies`), checked in :mod:`hls_site.validation`.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import pycountry
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_YEAR = 1900
#: Text that marks a value the scaffold wrote and a person has not yet replaced.
PLACEHOLDER = "TODO"
CITATION_RE = re.compile(r"\[S(\d+)\]")
#: A quote is the passage a sentence rests on, not a page of someone else's text.
QUOTE_WORDS = 50
MAX_QUOTE_CHARS = 600
MAX_QUOTES = 12
MAX_EVIDENCE = 6
MAX_NOTE_CHARS = 600
MAX_ENTRIES = 20
#: Bounds on every text and list, so no arrangement of allowed input makes a build expensive.
MAX_NAME_CHARS = 150
MAX_TITLE_CHARS = 300
MAX_URL_CHARS = 2000
MAX_ORGANISATIONS = 30
MAX_SOURCES = 60
MAX_RELATED = 30

#: Codes people often write for a country, and the ISO 3166-1 alpha-2 code they mean.
COUNTRY_ALIASES = {"UK": "GB", "EN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB",
                   "NORTHERN IRELAND": "GB", "USA": "US", "UAE": "AE", "EL": "GR"}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return repr(value)[:60]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected text, got {got}", {"got": _type_name(value)})
    value = value.strip()
    if not value:
        raise PydanticCustomError("text_empty", "must not be empty")
    return value


def _year(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "year_type", "expected a year such as 2019, got {got}", {"got": _type_name(value)}
        )
    latest = date.today().year + 1
    if not EARLIEST_YEAR <= value <= latest:
        raise PydanticCustomError(
            "year_range",
            "{value} is not a possible year here; expected {low} to {high}",
            {"value": value, "low": EARLIEST_YEAR, "high": latest},
        )
    return value


def _end_year(value: Any) -> int | str:
    if value in ("ongoing", "unknown"):
        return value
    try:
        return _year(value)
    except PydanticCustomError:
        raise PydanticCustomError(
            "end_type", "expected a year, 'ongoing' or 'unknown', got {got}", {"got": repr(value)}
        ) from None


START_BY_RE = re.compile(r"^by (\d{4})$")


def _start_year(value: Any) -> int | str:
    if value == "unknown":
        return value
    if isinstance(value, str) and (match := START_BY_RE.match(value.strip())):
        _year(int(match.group(1)))
        return f"by {match.group(1)}"
    try:
        return _year(value)
    except PydanticCustomError as exc:
        if exc.type == "year_range":
            raise
        raise PydanticCustomError(
            "start_type",
            "expected the year a source states the work began (2019), 'by 2019' when a source shows it "
            "under way by then but not when it began, or 'unknown'; got {got}",
            {"got": _type_name(value)},
        ) from None


def _source_year(value: Any) -> int | str:
    if value == "n.d.":
        return value
    try:
        year = _year(value)
    except PydanticCustomError as exc:
        if exc.type == "year_range":
            raise
        raise PydanticCustomError(
            "source_year", "expected the year of publication, or n.d. if the source shows no date; got {got}",
            {"got": _type_name(value)},
        ) from None
    if year > date.today().year:
        raise PydanticCustomError("source_year", "{got} is in the future", {"got": year})
    return year


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not DATE_RE.match(value.strip()):
        raise PydanticCustomError(
            "date_format", "expected a date written YYYY-MM-DD, got {got}", {"got": repr(value)}
        )
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise PydanticCustomError(
            "date_impossible", "{got} is not a real date ({why})", {"got": value, "why": str(exc)}
        ) from None


def _url(value: Any) -> str:
    value = _text(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r'[\s<>"`{}|\\^]', value):
        raise PydanticCustomError(
            "url_scheme", "expected an http(s) address such as https://example.org/page, with no spaces, quotes or "
            "angle brackets (write a space as %20), got {got}",
            {"got": repr(value)},
        )
    return value


def _slug(value: Any) -> str:
    value = _text(value)
    if not SLUG_RE.match(value):
        raise PydanticCustomError(
            "slug_format",
            "{got} is not a case slug (lowercase letters, digits and hyphens: the file name "
            "without .md)",
            {"got": repr(value)},
        )
    return value


def _country(value: Any) -> str:
    value = _text(value)
    if pycountry.countries.get(alpha_2=value) is None:
        raise PydanticCustomError(
            "country_code", "{got} is not an ISO 3166-1 alpha-2 country code{hint}",
            {"got": repr(value), "hint": country_hint(value)},
        )
    return value


def country_hint(value: str) -> str:
    """A '; use XX' suggestion for a mistaken country, or ''."""
    guess = COUNTRY_ALIASES.get(value.upper())
    if guess is None:
        try:
            guess = pycountry.countries.lookup(value).alpha_2
        except LookupError:
            guess = None
    return f"; use {guess}" if guess else " such as GB, FI or AU"


@functools.cache  # asked for on every page, listing and export row; pycountry's lookup is slow
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


SUBDIVISION_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def _subdivision(value: Any) -> str:
    value = _text(value)
    if pycountry.subdivisions.get(code=value.upper()) is not None and value != value.upper():
        raise PydanticCustomError("subdivision_code", "{got} is written in capitals: use {code}",
                                  {"got": repr(value), "code": value.upper()})
    if pycountry.subdivisions.get(code=value) is None:
        raise PydanticCustomError(
            "subdivision_code", "{got} is not an ISO 3166-2 subdivision code{hint}",
            {"got": repr(value), "hint": subdivision_hint(value)},
        )
    return value


def subdivision_hint(value: str) -> str:
    """A '; use GB-SCT' suggestion for a subdivision written as a name, or a general example."""
    try:
        return f"; use {pycountry.subdivisions.lookup(value).code}"
    except LookupError:
        return " such as GB-SCT (Scotland), GB-WLS (Wales) or AU-QLD (Queensland)"


@functools.cache
def subdivision_name(code: str) -> str:
    """'Wales' for GB-WLS: pycountry's name without its bracketed other names."""
    sub = pycountry.subdivisions.get(code=code)
    return re.sub(r"\s*\[.*\]$", "", sub.name) if sub else code


def _quote(value: Any) -> str:
    value = _text(value)
    words = len(value.split())
    if words > QUOTE_WORDS:
        raise PydanticCustomError(
            "quote_length", "quote is {words} words; keep each quote to the passage that matters, at most {most} "
            "words (split a longer passage into two quotes)", {"words": words, "most": QUOTE_WORDS})
    return value


def _cited(value: Any) -> str:
    value = _text(value)
    if not CITATION_RE.search(value):
        raise PydanticCustomError(
            "citation_missing", "cite the source this comes from, as [S1], at the end of the sentence", {})
    return value


Text = Annotated[str, BeforeValidator(_text)]
QuoteText = Annotated[str, Field(max_length=MAX_QUOTE_CHARS), BeforeValidator(_quote)]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS), BeforeValidator(_text)]
CitedText = Annotated[str, Field(max_length=MAX_NOTE_CHARS), BeforeValidator(_cited)]
Year = Annotated[int, Field(ge=EARLIEST_YEAR), BeforeValidator(_year)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=MAX_URL_CHARS), BeforeValidator(_url)]
Slug = Annotated[str, Field(pattern=SLUG_RE.pattern), BeforeValidator(_slug)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$"), BeforeValidator(_country)]
Subdivision = Annotated[str, Field(pattern=SUBDIVISION_RE.pattern), BeforeValidator(_subdivision)]


def vocabulary(name: str) -> dict[str, Any]:
    """Field metadata naming the controlled vocabulary its values come from."""
    return {"x-vocabulary": name}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """A passage of one of the case's sources that backs a statement in the data."""

    source: Annotated[int, Field(ge=1)] = Field(description="The source's number, as in [S3].", examples=[1])
    quote: QuoteText = Field(
        description=f"The source's own words, verbatim, at most {QUOTE_WORDS} words.",
        examples=["TODO: the passage, copied exactly"],
    )


class Period(_Strict):
    """When the work ran, and the passages of the sources that say so."""

    start: Annotated[int | str, Field(json_schema_extra={
        "anyOf": [{"type": "integer"}, {"type": "string", "pattern": START_BY_RE.pattern},
                  {"const": "unknown"}]}), BeforeValidator(_start_year)] = Field(
        description="The year a source states the work began; `by 2019` when a source shows it under way by "
                    "then but not when it began; `unknown` when no source says. Never a guess.",
        examples=[PLACEHOLDER],
    )
    end: Annotated[int | Literal["ongoing", "unknown"], BeforeValidator(_end_year)] = Field(
        description="The year it ended, `ongoing`, or `unknown` where sources do not say.",
        examples=[PLACEHOLDER],
    )

    evidence: list[Evidence] = Field(
        default_factory=list, max_length=MAX_EVIDENCE,
        description="Passages that state the years: required unless `start` is `unknown`.",
        examples=[[{"source": 1, "quote": "TODO: the passage that states when the work began, copied exactly"}]],
    )

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: int | str, info: ValidationInfo) -> int | str:
        start = start_year(info.data.get("start"))
        if isinstance(end, int) and start is not None and end < start:
            raise PydanticCustomError(
                "period_order", "ends in {end}, before it starts in {start}", {"end": end, "start": start}
            )
        return end

    @property
    def start_year(self) -> int | None:
        """The year to sort by: the stated year, the 'by' year, or None when unknown."""
        return start_year(self.start)


def start_year(start: Any) -> int | None:
    if isinstance(start, int):
        return start
    if isinstance(start, str) and (match := START_BY_RE.match(start)):
        return int(match.group(1))
    return None


class Quote(_Strict):
    """A quote in another language, with an optional translation beside it."""

    text: QuoteText = Field(description="The source's own words, verbatim, in its own language.")
    translation: Annotated[str, Field(max_length=MAX_QUOTE_CHARS), BeforeValidator(_text)] | None = Field(
        default=None, description="Optional: an English translation (yours).")


class Source(_Strict):
    """A public source that the case's facts come from."""

    title: Annotated[str, Field(max_length=MAX_TITLE_CHARS), BeforeValidator(_text)] = Field(
        description="The source's own title.", examples=["TODO: title of the source"])
    url: Url = Field(
        description="An http(s) address: the publisher's own page where one exists.",
        examples=["https://example.org/TODO"],
    )
    publisher: Name = Field(description="Who published it.", examples=["TODO: publisher"])
    year: Annotated[int | Literal["n.d."], BeforeValidator(_source_year)] = Field(
        description="Year of publication, or `n.d.` when the source shows no date (never a guess).",
        examples=[PLACEHOLDER],
    )
    accessed: IsoDate | None = Field(
        default=None, description="Optional: the date you last read it (YYYY-MM-DD)."
    )
    is_copy: bool = Field(
        default=False, alias="copy",
        description="Optional: `true` when the URL is a copy or mirror, cited because no original is known.",
    )
    quotes: list[QuoteText | Quote] = Field(
        default_factory=list, max_length=MAX_QUOTES,
        description=f"The passages of this source the case relies on, verbatim (at most {QUOTE_WORDS} words "
                    "each); required for every source the case cites. A quote not in English may be written "
                    "`text:` with a `translation:`.",
        examples=[["TODO: the passage of the source that backs the case's sentences, copied exactly"]],
    )

    def quote_texts(self) -> list[str]:
        return [q if isinstance(q, str) else q.text for q in self.quotes]


class LearningCycle(_Strict):
    """One turn of learning that the sources describe, cited like the body."""

    when: Annotated[str, Field(max_length=40),
                    BeforeValidator(lambda v: _text(str(v) if isinstance(v, int) else v))] = Field(
        description="When, as a year or range of years a source states (`2019`, `2019-2021`, `by 2020`), "
                    "or `undated`.", examples=["2019"]
    )
    scale: Text = Field(description="The system scale the cycle ran at.", json_schema_extra=vocabulary("scales"),
                        examples=[PLACEHOLDER])
    tried: CitedText = Field(description="What was tried, citing sources as [S1].")
    learned: CitedText = Field(description="What was learned, citing sources as [S1].")
    changed: CitedText = Field(description="What changed as a result, citing sources as [S1].")


class Obstacle(_Strict):
    """One obstacle the sources describe, and how the people in the case responded."""

    kind: Text = Field(description="The kind of obstacle.", json_schema_extra=vocabulary("obstacles"),
                       examples=[PLACEHOLDER])
    obstacle: CitedText = Field(description="What it was, in a sentence or two of your own, citing sources as [S1].",
                                examples=["TODO: what got in the way [S1]."])
    response: CitedText = Field(description="How they responded, citing sources as [S1].",
                                examples=["TODO: how they responded [S1]."])
    result: Literal["worked", "partly", "did-not-work", "not-stated"] = Field(
        description="Whether the sources say the response worked: `worked`, `partly`, `did-not-work` or "
                    "`not-stated`.", examples=["not-stated"])


class CaseMeta(_Strict):
    """The front matter of one case file, ``cases/<slug>.md``."""

    title: Text = Field(
        max_length=150, description="The case's name, unique in the library.",
        examples=["TODO: name of the initiative"],
    )
    summary: Text = Field(
        max_length=300, description="One or two sentences, at most 300 characters.",
        examples=["TODO: one or two sentences on what was done and why it matters."],
    )
    organisations: list[Name] = Field(
        min_length=1, max_length=MAX_ORGANISATIONS,
        description="Organisations involved; the first is the lead organisation.",
        examples=[["TODO: lead organisation"]],
    )
    place: Name = Field(description="Town, city or region, then country.", examples=["TODO: place, country"])
    country: Country = Field(
        description="ISO 3166-1 alpha-2 code, such as GB (not UK).", examples=[PLACEHOLDER],
        json_schema_extra={"enum": sorted(c.alpha_2 for c in pycountry.countries)},
    )
    subdivision: Subdivision | None = Field(
        default=None,
        description="Optional, shown as \"Nation or region\": the ISO 3166-2 code of the nation, state or region "
                    "the work is in, such as GB-SCT (Scotland), GB-WLS (Wales) or AU-QLD (Queensland), where the "
                    "sources make it plain. Leave it out for work across several.",
        examples=["GB-SCT"],
    )
    sectors: list[Text] = Field(
        min_length=1, description="Fields of public service.", json_schema_extra=vocabulary("sectors"),
        examples=[[PLACEHOLDER]],
    )
    scales: list[Text] = Field(
        min_length=1, description="System scales the work happened at.",
        json_schema_extra=vocabulary("scales"), examples=[[PLACEHOLDER]],
    )
    principles: dict[str, Annotated[str, Field(max_length=400), BeforeValidator(_text)]] = Field(
        min_length=1,
        description="Each principle the case shows, mapped to one or two sentences on how this case shows it.",
        json_schema_extra=vocabulary("principles"),
        examples=[{"human": "TODO: how this case shows the Human principle."}],
    )
    period: Period = Field(description="`start`, `end` and the `evidence` for them.")
    hls_link: Text = Field(
        description="How the case relates to HLS.", json_schema_extra=vocabulary("hls_links"),
        examples=[PLACEHOLDER],
    )
    hls_evidence: Evidence | None = Field(
        default=None,
        examples=[{"source": 1, "quote": "TODO: the passage that names Human Learning Systems, copied exactly"}],
        description="Required for `featured` and `self-described`: the source and its passage that present this "
                    "work as Human Learning Systems (featured) or in which the organisation says it uses it "
                    "(self-described; the source's publisher is one of the organisations).",
    )
    sources: list[Source] = Field(min_length=1, max_length=MAX_SOURCES,
                                  description="Public sources for every fact in the case.")
    last_reviewed: IsoDate = Field(description="When the case was last checked against its sources.")
    practices: list[Text] = Field(
        default_factory=list, description="Practices the case uses.",
        json_schema_extra=vocabulary("practices"),
    )
    related: list[Slug] = Field(default_factory=list, max_length=MAX_RELATED, description="Slugs of related cases.")
    obstacles: list[Obstacle] = Field(
        default_factory=list, max_length=MAX_ENTRIES,
        description="Each obstacle the sources describe: its kind, what it was, how they responded, and the result.",
    )
    learning_cycles: list[LearningCycle] = Field(
        default_factory=list, max_length=MAX_ENTRIES,
        description="Turns of learning the sources describe (what was tried, learned and changed), with their scale.",
    )
    contributors: list[Name] = Field(default_factory=list, max_length=MAX_ORGANISATIONS,
                                     description="Who wrote or reviewed the case.")
    added: IsoDate | None = Field(
        default=None, description="When the case joined the library; defaults to `last_reviewed`.",
    )

    @field_validator("subdivision")
    @classmethod
    def _subdivision_in_country(cls, subdivision: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if subdivision and country and pycountry.subdivisions.get(code=subdivision).country_code != country:
            raise PydanticCustomError(
                "subdivision_country", "{got} is in {theirs}, but the case's country is {country}",
                {"got": subdivision, "theirs": subdivision.split("-")[0], "country": country})
        return subdivision


#: The body's level-2 sections, in the order every case must have them.
SECTIONS = (
    "Context",
    "What they did",
    "Obstacles and how they responded",
    "What changed",
    "What they learned",
)
#: A section whose text begins with this says that public sources are silent on it.
SILENT_MARKER = "Not documented in public sources"
