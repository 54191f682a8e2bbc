"""A content problem with its location, and the three ways we print a list of them."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: where it is, which field, what was expected."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{_visible(self.path)}:{self.line}:{self.column}: {_visible(self.field)}: {_visible(self.message)}"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """One line, with control and direction characters shown as escapes (a file name can hold anything)."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode(), str(text))


class ContentError(Exception):
    """Raised by callers that must stop on invalid content; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(summary_line(problems))


def summary_line(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}"


def format_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems))


def _gh_escape(value: str, *, prop: bool = False) -> str:
    # GitHub's workflow-command escaping: data escapes %, CR, LF; properties also : and ,.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions annotations, so problems show on the changed lines of a pull request."""
    lines = []
    for p in sorted(problems):
        props = f"file={_gh_escape(p.path, prop=True)},line={p.line},col={p.column}"
        props += f",title={_gh_escape(p.field, prop=True)}"
        lines.append(f"::error {props}::{_gh_escape(p.message)}")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in sorted(problems)], indent=2, ensure_ascii=False)
