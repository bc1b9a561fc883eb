"""reStructuredText and plain-text changelogs: titles underlined (optionally overlined) with any
punctuation, levels in order of appearance as docutils assigns them, `Version 1.2.3`,
`1.2.3 (2024-12-06)`, a `Released 2024-12-06` or `Unreleased` line under the title.

Only titles at the left margin count: indented text (literal blocks, directive bodies such as
`.. only::`) never holds a section title, as in docutils.
"""

from __future__ import annotations

from release_guard.changelog.model import Changelog, split_lines
from release_guard.changelog.sections import Heading, Scan, changelog_from
from release_guard.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "rst"
_ADORNMENT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def adornment(line: str) -> str | None:
    """The character of a title adornment or transition line (`=====`), else None."""
    stripped = line.rstrip()
    if len(stripped) < 3 or stripped[0] not in _ADORNMENT or stripped != line.lstrip():
        return None
    return stripped[0] if stripped == stripped[0] * len(stripped) else None


def scan(text: str) -> Scan:
    lines = split_lines(text)
    count = len(lines)
    content = bytearray(count)
    headings: list[Heading] = []
    links: dict[str, int] = {}
    breaks: list[int] = []
    definitions: list[int] = []
    styles: dict[tuple[str, bool], int] = {}  # (character, overlined) -> level, by appearance
    in_markup = False  # inside an explicit markup block (`.. ` and its indented lines)
    markup_is_text = False  # a directive's body is text; a comment's or target's is not
    index = 0
    while index < count:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        indented = line[:1] in " \t"
        if in_markup and indented:
            content[index] = markup_is_text
            index += 1
            continue
        in_markup = False
        if line.startswith(".."):
            explicit = line[2:3] in ("", " ")
            if explicit:
                in_markup = True
                rest = line[3:].strip()
                if rest.startswith("_") and ":" in rest:
                    label = rest[1:].split(":", 1)[0].strip("` ").lower()
                    links.setdefault(label, index + 1)
                    definitions.append(index)
                    markup_is_text = False
                else:
                    directive = "::" in rest and not rest.startswith("|")
                    markup_is_text = directive
                    content[index] = directive
                index += 1
                continue
        title = _title_at(lines, index)
        if title is not None:
            char, overlined, title_text, end = title
            level = styles.setdefault((char, overlined), len(styles) + 1)
            title_index = index + 1 if overlined else index
            headings.append(Heading(title_index, level, title_text, end))
            index = end
            continue
        if not indented and adornment(line) is not None:
            breaks.append(index)  # a transition
            index += 1
            continue
        content[index] = 1
        index += 1
    return Scan(lines, headings, content, links, breaks, definitions)


def _title_at(lines: list[str], index: int) -> tuple[str, bool, str, int] | None:
    """(character, overlined, title, index after it) of a title starting at `index`."""
    line = lines[index]
    if line[:1] in " \t":
        return None
    over = adornment(line)
    if over is not None and index + 2 < len(lines):
        text = lines[index + 1].strip()
        if text and adornment(lines[index + 2]) == over and adornment(lines[index + 1]) is None:
            return over, True, text, index + 3
    if over is not None or index + 1 >= len(lines):
        return None
    under = adornment(lines[index + 1])
    if under is None:
        return None
    # docutils takes a shorter underline too (with a warning): a title is what the author meant
    return under, False, line.strip(), index + 2


def parse(text: str, path: str, fmt: str = FORMAT) -> Changelog:
    return changelog_from(scan(text), path, fmt, "rst")


def read(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> Changelog:
    return parse(text or "", path)
