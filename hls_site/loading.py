"""Read one Markdown file with YAML front matter, safely, keeping the line of every value.

Every failure becomes a :class:`~hls_site.problems.Problem`; nothing here raises on bad content.
Hostile input is bounded: files over ``MAX_BYTES`` are not parsed, YAML anchors and aliases are
refused before anything is expanded (no alias bombs), only plain YAML types are built.

We split the front matter ourselves rather than with python-frontmatter because its splitter
keeps no line numbers, and every problem must point at a line.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 512 * 1024
MAX_DEPTH = 20
_BOUNDARY = re.compile(r"^---[ \t]*$")

Path_ = tuple[Any, ...]


@dataclass
class SourceFile:
    """A parsed file: its fields, where each field sits, and its body."""

    path: Path
    display: str
    meta: dict[str, Any]
    body: str
    body_line: int  # file line of the body's first line
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # value positions
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of a value (or its key); falls back to the nearest enclosing value."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.display, line, col, field_name(path), message)


def field_name(path: Path_) -> str:
    """('sources', 0, 'url') -> 'sources[0].url'; () -> 'front matter'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: ~10x faster
    """Safe loader that keeps dates as text so the schema reports impossible dates itself."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_bounded(path: Path, limit: int = MAX_BYTES) -> tuple[bytes | None, str]:
    """The bytes of a regular file of at most ``limit`` bytes, or None and why not.

    A symbolic link could point outside the repository or at a device (``/dev/zero`` has size 0 and
    never ends), so links, FIFOs and devices are refused before anything is read, and no read goes
    past ``limit``.
    """
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            return None, ("is a symbolic link; content files must be ordinary files inside the repository "
                          "(replace the link with the file itself)")
        if not stat.S_ISREG(info.st_mode):
            return None, "is not an ordinary file (a device, pipe or folder); content files must be ordinary files"
        if info.st_size > limit:
            return None, f"file is {info.st_size:,} bytes; a content file must be under {limit:,} bytes"
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    if len(data) > limit:
        return None, f"file is over {limit:,} bytes; a content file must be under {limit:,} bytes"
    return data, ""


def read_source(
    path: Path, display: str | None = None, *, partial: bool = False
) -> tuple[SourceFile | None, list[Problem]]:
    """Read ``path``; return the parsed file, or None with the problems that stopped it.

    With ``partial``, a file whose front matter is broken is still returned (with no fields), so
    that its body can be checked in the same run.
    """
    display = display or str(path)

    def fail(message: str, line: int = 1, col: int = 1, name: str = "file"):
        return None, [Problem(display, line, col, name, message)]

    data, why = read_bounded(path)
    if data is None:
        return fail(why)
    if not data.strip():
        return fail("file is empty; expected front matter between two '---' lines, then the body")
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark is harmless
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _byte_line(data, exc.start)
        return fail(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); save the file as UTF-8",
            line,
        )
    if "\x00" in text:
        return fail("file contains NUL characters; is it a binary file?", text[: text.index("\x00")].count("\n") + 1)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    if not _BOUNDARY.match(lines[0]):
        return fail("no front matter: the file must start with a line '---', then the fields, then '---'")
    close = next((i for i in range(1, len(lines)) if _BOUNDARY.match(lines[i])), None)
    if close is None:
        return fail("front matter is not closed: add a line '---' after the last field")
    fm_text = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1 :])
    source = SourceFile(path, display, {}, body, close + 2)
    problems = _parse_front_matter(fm_text, source)
    return (None if problems and not partial else source), problems


def _parse_front_matter(text: str, source: SourceFile) -> list[Problem]:
    display = source.display
    if not text.strip():
        return [Problem(display, 2, 1, "front matter", "front matter is empty; expected fields such as 'title:'")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return [Problem(display, 2, 1, "front matter", "front matter holds no fields")]
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            return [Problem(display, 2, 1, "front matter",
                            f"front matter must be fields written 'name: value', got {kind}")]
        try:
            problems = _walk(node, (), source, set(), 0)
        except _AliasFound as found:
            problems = [found.problem]
        if problems:
            return problems
        source.meta = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context and "quoted scalar" in exc.context and exc.context_mark:  # point where the quote opens
            mark = exc.context_mark
        line, col = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        opened = _unclosed_quote(text, mark.line if mark else 0)
        if opened is not None:  # a quote left open runs on to a later line: point where it opens
            return [Problem(display, opened[0] + 2, opened[1] + 1, "front matter",
                            "this value opens a quote (\") that is not closed on its line; close it, or write "
                            "the value on one line")]
        what = exc.problem or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
            what = f"{what.strip()}; only plain YAML values are allowed (no '!!' tags)"
        else:
            context = ""
            if exc.context and exc.context_mark and exc.context_mark.line != getattr(mark, "line", None):
                context = f" ({exc.context} that starts on line {exc.context_mark.line + 2})"
            what = f"invalid YAML: {what}{context}; check the indentation, and quote values containing ': ' or '#'"
        return [Problem(display, line, col, "front matter", what)]
    except yaml.YAMLError as exc:
        return [Problem(display, 2, 1, "front matter", f"invalid YAML: {exc}")]
    except RecursionError:
        return [Problem(display, 2, 1, "front matter", "front matter is nested too deeply")]
    finally:
        loader.dispose()
    return []


_KEY_VALUE = re.compile(r'^\s*(?:-\s+)?[\w-]+:\s+"|^\s*-\s+"')


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """(line, column) of the first value before ``error_line`` that opens a double quote it never closes."""
    lines = text.split("\n")[: error_line + 1]
    for number, line in enumerate(lines):
        match = _KEY_VALUE.match(line)
        if not match or number >= error_line:
            continue
        rest = line[match.end():].replace('\\"', "")
        later = "\n".join(lines[number + 1: error_line]).replace('\\"', "")
        if '"' not in rest and '"' not in later:  # a value running on over lines closes before the error
            return number, match.end() - 1
    return None


class _AliasFound(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _walk(node: yaml.Node, path: Path_, source: SourceFile, seen: set[int], depth: int) -> list[Problem]:
    """Record positions; refuse aliases, deep nesting and repeated keys before constructing."""
    line, col = node.start_mark.line + 2, node.start_mark.column + 1
    if id(node) in seen:
        # An alias is the anchored node again, so its own mark is the anchor's: point at the
        # field that uses it, and stop there (an alias bomb is never expanded).
        line, col = source.where(path[:-1] or path, key=True)
        raise _AliasFound(Problem(source.display, line, col, field_name(path),
                                  "YAML anchors and aliases ('&' and '*') are not allowed; write the value out"))
    seen.add(id(node))
    if depth > MAX_DEPTH:
        return [Problem(source.display, line, col, field_name(path), "value is nested too deeply")]
    source.positions[path] = (line, col)
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kline = key_node.start_mark.line + 2
                problems.append(Problem(source.display, kline, key_node.start_mark.column + 1,
                                        field_name(path), "field names must be plain words"))
                continue
            key = key_node.value
            kpos = (key_node.start_mark.line + 2, key_node.start_mark.column + 1)
            if key in keys:
                problems.append(Problem(source.display, *kpos, field_name((*path, key)),
                                        f"field appears twice (first on line {keys[key]}); keep one"))
                continue
            keys[key] = kpos[0]
            source.key_positions[(*path, key)] = kpos
            problems += _walk(value_node, (*path, key), source, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _walk(item, (*path, index), source, seen, depth + 1)
    return problems
