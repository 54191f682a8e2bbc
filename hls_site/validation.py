"""Validate case files into a :class:`Library`, collecting every problem in one pass.

A file with problems is left out of the library; every other case still loads, so a preview can
go on building while a contributor fixes one file.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .body import Section, completeness, parse_body
from .evidence import evidence_problems
from .loading import SourceFile, field_name, read_source
from .paths import display_path
from .problems import Problem
from .safety import INVISIBLE, plain_text_problem
from .schema import PLACEHOLDER, SECTIONS, SLUG_RE, CaseMeta, LearningCycle, Obstacle
from .vocabularies import Vocabularies

#: File names in ``cases/`` that are not cases.
IGNORED_PREFIXES = ("_", ".")
IGNORED_NAMES = {"README.md", "index.md"}


@dataclass
class Case:
    """A valid case: its front matter as the schema's model, plus what the body tells us."""

    slug: str
    display_path: str
    path: Path
    meta: CaseMeta
    body: str
    body_line: int
    sections: list[Section]

    @property
    def title(self) -> str:
        return self.meta.title

    @functools.cached_property  # read on every listing and by every neighbour comparison
    def documented_sections(self) -> int:
        return completeness(self.sections)

    @property
    def complete(self) -> bool:
        return self.documented_sections == len(SECTIONS)

    @property
    def added(self) -> date:
        return self.meta.added or self.meta.last_reviewed

    @property
    def lead_organisation(self) -> str:
        return self.meta.organisations[0]

    @functools.cached_property
    def silent_sections(self) -> list[str]:
        return [s.title for s in self.sections if s.silent]


@dataclass
class Library:
    """Every valid case, by slug, with every problem found on the way."""

    cases: dict[str, Case]
    problems: list[Problem] = field(default_factory=list)

    def sorted_cases(self) -> list[Case]:
        return sorted(self.cases.values(), key=lambda c: c.title.casefold())


def case_files(cases_dir: Path) -> list[Path]:
    if not cases_dir.is_dir():
        return []
    return sorted(
        p for p in cases_dir.glob("*.md")
        if not p.name.startswith(IGNORED_PREFIXES) and p.name not in IGNORED_NAMES
    )


def stray_files(cases_dir: Path, root: Path) -> list[Problem]:
    """Files in ``cases/`` that look like cases but would be silently skipped: say so instead."""
    if not cases_dir.is_dir():
        return []
    problems = []
    for path in sorted(cases_dir.rglob("*")):
        relative = path.relative_to(cases_dir)
        if any(part.startswith(IGNORED_PREFIXES) for part in relative.parts) or path.name in IGNORED_NAMES:
            continue
        suffix = path.suffix.lower()
        if suffix not in (".md", ".markdown", ".mdown") or (path.parent == cases_dir and path.suffix == ".md"):
            continue
        display = display_path(path, root)
        if path.parent != cases_dir:
            message = (f"case files live directly in {cases_dir.name}/, not in subfolders; move it to "
                       f"{cases_dir.name}/{path.stem.lower()}.md")
        else:
            message = f"case files end in '.md'; rename it to {path.stem.lower()}.md"
        problems.append(Problem(display, 1, 1, "file name", message))
    return problems


@dataclass
class _Checked:
    signature: tuple
    case: Case | None
    problems: list[Problem]
    related: frozenset[str] | None  # the slugs it relates to (None: unknown, the file did not validate)
    resolved: frozenset[str] | None  # which of them existed; for an invalid file, every slug then known


class FileCache:
    """What :func:`validate_file` said about each file, kept between builds of a preview.

    A file is checked again only when it changed (size, time, inode), the vocabularies changed, or
    a case it relates to appeared or disappeared; so a save re-validates one file, not the library.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, _Checked] = {}
        self._vocab: Vocabularies | None = None
        self.checked = 0  # files validated (not taken from the cache) by the last load

    def validate(self, path: Path, vocab: Vocabularies, display: str,
                 known: set[str]) -> tuple[Case | None, list[Problem]]:
        if vocab is not self._vocab:
            self._entries.clear()
            self._vocab = vocab
        try:
            info = path.lstat()
            signature: tuple = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode, display)
        except OSError:
            signature = ()
        entry = self._entries.get(path)
        if entry is not None and signature and entry.signature == signature:
            if entry.related is None:
                fresh = entry.resolved == known
            else:
                fresh = entry.resolved == frozenset(s for s in entry.related if s in known)
            if fresh:
                return entry.case, entry.problems
        self.checked += 1
        case, problems = validate_file(path, vocab, display, known)
        if case is not None:
            related = frozenset(case.meta.related)
            entry = _Checked(signature, case, problems, related, frozenset(s for s in related if s in known))
        else:
            entry = _Checked(signature, case, problems, None, frozenset(known))
        self._entries[path] = entry
        return case, problems


def load_library(
    cases_dir: Path, vocab: Vocabularies, *, only: Iterable[Path] | None = None, root: Path | None = None,
    cache: FileCache | None = None,
) -> Library:
    """Validate the cases in ``cases_dir`` (or just ``only``); cross-check them against all of it.

    With a ``cache`` (the preview server's), files unchanged since the last call are not read again.
    """
    root = (root if root is not None else cases_dir.parent).resolve()
    all_files = case_files(cases_dir)
    known_slugs = {p.stem for p in all_files}
    targets = list(only) if only is not None else all_files
    library = Library({})
    if cache is not None:
        cache.checked = 0
    for path in targets:
        display = display_path(path, root)
        if cache is not None:
            case, problems = cache.validate(path, vocab, display, known_slugs)
        else:
            case, problems = validate_file(path, vocab, display, known_slugs)
        library.problems += problems
        if case is not None:
            library.cases[case.slug] = case
    library.problems += _cross_check(library)
    if only is not None:  # one file checked is still checked against the whole library
        checked = {p.resolve() for p in targets}  # a relative path given on the command line is the same file
        library.problems += _titles_against(library, [p for p in all_files if p.resolve() not in checked], vocab,
                                            root, known_slugs, cache)
    if only is None:
        library.problems += stray_files(cases_dir, root)
    return library


def title_key(title: str) -> str:
    """Titles that read the same compare equal: Unicode-normalised, invisible characters out, any case."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", title))
    return " ".join(text.casefold().split())


def _titles_against(library: Library, others: list[Path], vocab: Vocabularies, root: Path,
                    known_slugs: set[str], cache: FileCache | None) -> list[Problem]:
    """Duplicate titles between the files checked and the rest of the library."""
    taken: dict[str, str] = {}
    for path in others:
        display = display_path(path, root)
        case = (cache.validate(path, vocab, display, known_slugs) if cache is not None
                else validate_file(path, vocab, display, known_slugs))[0]
        if case is not None:
            taken.setdefault(title_key(case.title), case.display_path)
    problems = []
    for case in list(library.cases.values()):
        other = taken.get(title_key(case.title))
        if other is not None:
            problems.append(Problem(case.display_path, 2, 1, "title",
                                    f"title is already used by {other}; titles must be unique"))
            library.cases.pop(case.slug, None)
    return problems


def _cross_check(library: Library) -> list[Problem]:
    """Problems that only show across files: duplicate titles (checked among valid cases)."""
    problems = []
    seen: dict[str, Case] = {}
    # The case added later carries the error: it is the one that took a name already in use.
    for case in sorted(library.cases.values(), key=lambda c: (c.added, c.display_path)):
        key = title_key(case.title)
        if key in seen:
            first = seen[key]
            problems.append(Problem(case.display_path, 2, 1, "title",
                                    f"title is already used by {first.display_path}; titles must be unique"))
        else:
            seen[key] = case
    for problem in problems:
        library.cases.pop(Path(problem.path).stem, None)
    return problems


def validate_file(
    path: Path, vocab: Vocabularies, display: str | None = None, known_slugs: set[str] | None = None
) -> tuple[Case | None, list[Problem]]:
    """Check one case file completely; return the case (None when invalid) and every problem."""
    display = display or str(path)
    problems: list[Problem] = []
    slug = path.stem
    if not SLUG_RE.match(slug) or path.suffix != ".md":
        suggestion = "-".join("".join(c if c.isalnum() else " " for c in slug.lower()).split())
        problems.append(Problem(display, 1, 1, "file name",
                                f"'{path.name}' is not a valid case file name; use lowercase letters, digits "
                                f"and hyphens, such as '{suggestion or 'my-case'}.md'"))
    source, read_problems = read_source(path, display, partial=True)
    if source is None:
        return None, problems + read_problems
    if read_problems:  # the front matter is broken: still report what is wrong with the body
        _, body_issues = parse_body(source.body, source.body_line, 0, check_citations=False)
        return None, problems + read_problems + [Problem(display, i.line, i.column, i.field, i.message)
                                                 for i in body_issues]

    meta = source.meta
    flagged: set[tuple] = set()
    for loc, value in _strings(meta):
        if PLACEHOLDER in value:
            flagged.add(loc)
            problems.append(source.problem(loc, "placeholder 'TODO' not replaced yet; fill in the real value"))
        elif why := plain_text_problem(value):
            problems.append(source.problem(loc, why))
    problems += _vocabulary_problems(source, vocab, flagged)
    problems += _related_problems(source, slug, known_slugs)

    model = None
    try:
        model = CaseMeta.model_validate(meta)
    except ValidationError as exc:
        errors = _union_errors(exc.errors(include_url=False))
        for error in errors:
            loc = tuple(error["loc"])
            if not any(loc[: len(f)] == f for f in flagged):
                problems.append(_schema_problem(source, loc, error))
        model = _lenient_model(meta, [tuple(e["loc"]) for e in errors])

    source_count = len(meta.get("sources") or []) if isinstance(meta.get("sources"), list) else 0
    sections, body_issues = parse_body(source.body, source.body_line, source_count)
    problems += [Problem(display, i.line, i.column, i.field, i.message) for i in body_issues]
    if model is not None:
        problems += evidence_problems(source, model, source.body, source.body_line)
        problems += _future_dates(source, model)
    if problems or model is None:
        return None, problems
    return Case(slug, display, path, model, source.body, source.body_line, sections), []


def _future_dates(source: SourceFile, model: CaseMeta) -> list[Problem]:
    """A review or a reading cannot have happened yet."""
    today = date.today()
    dates = [(("last_reviewed",), model.last_reviewed)]
    dates += [(("sources", i, "accessed"), s.accessed) for i, s in enumerate(model.sources) if s.accessed]
    return [source.problem(loc, f"{when.isoformat()} is in the future; give the date it happened (today is "
                           f"{today.isoformat()} or earlier)") for loc, when in dates if when > today]


_UNION_TAG = re.compile(r"^(?:function-|constrained-|[A-Z]\w*$)")


def _union_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic names each member of a union in the location (``quotes.0.Quote``); a contributor
    wants the field. Keep one error per field, the one about the form the value was written in."""
    by_loc: dict[tuple, dict[str, Any]] = {}
    for error in errors:
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and _UNION_TAG.match(p)))
        error = {**error, "loc": loc}
        kept = by_loc.get(loc)
        if kept is None or (kept["type"] in ("model_type", "model_attributes_type", "dict_type")
                            and error["type"] not in ("model_type", "model_attributes_type", "dict_type")):
            by_loc[loc] = error
    return list(by_loc.values())


#: Fields whose failing parts can be set aside so the evidence checks still run on the rest.
_PRUNABLE_LISTS = ("obstacles", "learning_cycles", "practices", "related", "contributors")


def _lenient_model(meta: dict[str, Any], failing: list[tuple]) -> CaseMeta | None:
    """The case without its failing optional parts, so one run still reports every other problem."""
    pruned = dict(meta)
    drop: dict[str, set[int]] = {}
    for loc in failing:
        name = loc[0] if loc else None
        if name in _PRUNABLE_LISTS and len(loc) > 1 and isinstance(loc[1], int):
            drop.setdefault(name, set()).add(loc[1])
        elif name in CaseMeta.model_fields and not CaseMeta.model_fields[name].is_required() and name != "sources":
            pruned.pop(name, None)
        else:
            return None
    for name, indexes in drop.items():
        if isinstance(pruned.get(name), list):
            pruned[name] = [item for i, item in enumerate(pruned[name]) if i not in indexes]
    try:
        return CaseMeta.model_validate(pruned)
    except ValidationError:
        return None


def _strings(value: Any, loc: tuple = ()) -> Iterable[tuple[tuple, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def _vocabulary_fields(model: type[BaseModel]) -> dict[str, str]:
    out = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "x-vocabulary" in extra:
            out[name] = extra["x-vocabulary"]
    return out


VOCABULARY_FIELDS = _vocabulary_fields(CaseMeta)
#: Vocabulary fields inside each entry of a list field, e.g. obstacles[].kind.
NESTED_VOCABULARY_FIELDS = {
    ("obstacles", name): vocab for name, vocab in _vocabulary_fields(Obstacle).items()
} | {("learning_cycles", name): vocab for name, vocab in _vocabulary_fields(LearningCycle).items()}


def _vocabulary_items(meta: dict[str, Any]) -> Iterable[tuple[str, list[tuple[tuple, Any, bool]]]]:
    """(vocabulary, [(location, term, is_key)]) for every vocabulary-controlled value in the front matter."""
    for name, vocab_name in VOCABULARY_FIELDS.items():
        value = meta.get(name)
        if isinstance(value, dict):  # principles: the keys are the vocabulary
            yield vocab_name, [((name, k), k, True) for k in value]
        elif isinstance(value, list):
            yield vocab_name, [((name, i), v, False) for i, v in enumerate(value)]
        elif isinstance(value, str):
            yield vocab_name, [((name,), value, False)]
    for (name, inner), vocab_name in NESTED_VOCABULARY_FIELDS.items():
        entries = meta.get(name)
        if isinstance(entries, list):
            for i, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get(inner), str):
                    yield f"{vocab_name}:each", [((name, i, inner), entry[inner], False)]


def _vocabulary_problems(source: SourceFile, vocab: Vocabularies, flagged: set[tuple]) -> list[Problem]:
    problems = []
    for vocab_name, items in _vocabulary_items(source.meta):
        vocab_name, _, each = vocab_name.partition(":")
        terms = vocab.get(vocab_name)
        seen: set[str] = set()
        for loc, term, is_key in items:
            if loc in flagged or not isinstance(term, str):
                continue
            if term in seen and not each:
                problems.append(source.problem(loc, f"'{term}' is listed twice", key=is_key))
            seen.add(term)
            if term not in terms:
                guess = terms.closest(term)
                hint = f"did you mean '{guess}'? " if guess else ""
                problems.append(source.problem(
                    loc, f"'{term}' is not in the {vocab_name.replace('_', ' ')} vocabulary; {hint}"
                    f"expected one of: {', '.join(terms.ids())}", key=is_key))
    return problems


def _related_problems(source: SourceFile, slug: str, known: set[str] | None) -> list[Problem]:
    related = source.meta.get("related")
    if known is None or not isinstance(related, list):
        return []
    problems = []
    for index, other in enumerate(related):
        if not isinstance(other, str) or not SLUG_RE.match(other):
            continue  # the schema reports the format
        if other == slug:
            problems.append(source.problem(("related", index), "a case cannot be related to itself"))
        elif other not in known:
            guess = difflib.get_close_matches(other, sorted(known), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            problems.append(source.problem(("related", index),
                                           f"no case 'cases/{other}.md' to relate to{hint}"))
    return problems


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``list[X]``, ``X | None`` and the like, if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _nested_model(arg)) is not None:
            return found
    return None


def _fields_by_yaml_name(model: type[BaseModel]) -> dict[str, Any]:
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model whose fields sit at ``loc`` (a path of field names, list indexes skipped)."""
    model: type[BaseModel] | None = CaseMeta
    for part in loc:
        if isinstance(part, int):
            continue
        info = _fields_by_yaml_name(model).get(part) if model else None
        model = _nested_model(info.annotation) if info else None
        if model is None:
            return None
    return model


def _schema_problem(source: SourceFile, loc: tuple, error: dict[str, Any]) -> Problem:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        parent_model = _model_at(loc[:-1])
        info = _fields_by_yaml_name(parent_model).get(loc[-1]) if parent_model else None
        about = f": {info.description}" if info and info.description else ""
        line, col = source.where(loc[:-1])
        return Problem(source.display, line, col, field_name(loc), f"required field is missing{about}")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1]) or CaseMeta
        names = list(_fields_by_yaml_name(parent))
        guess = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"expected one of: {', '.join(names)}"
        return source.problem(loc, f"unknown field; {hint}", key=True)
    messages = {
        "list_type": "expected a list, one '- item' per line",
        "dict_type": "expected fields written 'name: value'",
        "model_type": "expected fields written 'name: value'",
        "model_attributes_type": "expected fields written 'name: value'",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
    }
    if kind == "text_type" and isinstance(value, bool):
        hint = ' (Norway is "NO")' if loc == ("country",) else ""
        message = (f"expected text, got true/false: YAML reads yes, no, on and off as true/false{hint}; "
                   "put the value in quotes")
    elif kind == "string_pattern_mismatch" and loc == ("country",) and isinstance(value, str):
        message = f"'{value}' must be written in capitals; use {value.upper()}"
    elif kind in messages:
        message = messages[kind]
    elif kind == "too_long":
        message = f"has too many entries; at most {ctx.get('max_length')} allowed"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length', 1)} entry"
    elif kind == "string_too_long":
        size = len(value) if isinstance(value, str) else "?"
        message = f"is {size} characters long; at most {ctx.get('max_length')} allowed"
    else:
        message = error["msg"]
    return source.problem(loc, message)
