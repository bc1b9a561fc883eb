"""Markdown changelogs of any shape: `## 1.2.3 (2024-12-06)`, `# v1.2.3 - Dec 6, 2024`,
setext titles, a date on the line under the heading, an `Unreleased` marker.

`scan` reads the Markdown structure once (fences, comments, link definitions, ATX and setext
headings) by hand, in time linear in the file; Keep a Changelog's reader builds on it too.
"""

from __future__ import annotations

from release_guard.changelog.model import Changelog, split_lines
from release_guard.changelog.sections import Heading, Scan, changelog_from
from release_guard.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "markdown"


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading, by hand: a regex with a lazy title and a closing
    sequence backtracks on `# a` followed by many spaces."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[level:]
    if level > 6 or (rest and rest[0] not in " \t"):
        return None
    title = rest.strip(" \t")
    closing = title.rstrip("#")
    if closing != title and (not closing or closing[-1] in " \t"):
        title = closing.rstrip(" \t")
    return level, title


def _rule_char(line: str) -> str | None:
    """The character of a thematic break or setext underline (---, ===, ***), else None."""
    stripped = line.strip()
    # `- an entry`: the second character already tells it is no rule (the common case)
    if len(stripped) < 2 or stripped[1] not in (stripped[0], " ", "\t"):
        return None
    if len(line) - len(line.lstrip(" ")) > 3:
        return None
    compact = stripped.replace(" ", "").replace("\t", "")
    first = compact[0]
    if first in "-=*_" and compact == first * len(compact):
        return first
    return None


def _link_definition(line: str) -> str | None:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("["):
        return None
    close = stripped.find("]:")
    if close < 2 or "]" in stripped[1:close] or not stripped[close + 2 :].strip():
        return None
    return stripped[1:close].strip().lower()


def _fence(line: str) -> str | None:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    for mark in ("```", "~~~"):
        if stripped.startswith(mark):
            return stripped[: len(stripped) - len(stripped.lstrip(mark[0]))]
    return None


def _is_list_item(line: str) -> bool:
    stripped = line.lstrip()
    if stripped[:2] in ("- ", "* ", "+ "):
        return True
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    return 0 < digits <= 9 and stripped[digits : digits + 2] in (". ", ") ")


def scan(text: str) -> Scan:
    lines = split_lines(text)
    count = len(lines)
    content = bytearray(count)
    headings: list[Heading] = []
    links: dict[str, int] = {}
    breaks: list[int] = []
    definitions: list[int] = []
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter (mkdocs, Jekyll)
        for closing in range(1, count):
            if lines[closing].strip() in ("---", "..."):
                start = closing + 1
                break
    fence: str | None = None
    in_comment = False
    previous_text = False  # the line before is paragraph text (a setext title candidate)
    for index in range(start, count):
        line = lines[index]
        if fence is not None:
            content[index] = 1
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        first = line[:1]
        if first == " ":
            first = line.lstrip(" ")[:1]
        if in_comment or (first == "<" and line.lstrip().startswith("<!--")):
            in_comment = "-->" not in line
            previous_text = False
            continue
        if not first or (first in " \t" and not line.strip()):
            previous_text = False
            continue
        if first == "#":
            atx = atx_heading(line)
            if atx is not None:
                headings.append(Heading(index, atx[0], atx[1], index + 1))
                previous_text = False
                continue
        elif first in "`~":
            opening = _fence(line)
            if opening is not None:
                fence = opening
                content[index] = 1
                previous_text = False
                continue
        elif first in "-=*_":
            rule = _rule_char(line)
            if rule is not None and rule in "=-" and previous_text:
                # setext: the previous line, counted as text, is the title
                content[index - 1] = 0
                title = lines[index - 1].strip()
                headings.append(Heading(index - 1, 1 if rule == "=" else 2, title, index + 1))
                previous_text = False
                continue
            if rule is not None and rule in "-*_":
                breaks.append(index)
                previous_text = False
                continue
        elif first == "[":
            label = _link_definition(line)
            if label is not None:
                links.setdefault(label, index + 1)
                definitions.append(index)
                previous_text = False
                continue
        content[index] = 1
        previous_text = not _is_list_item(line) and line[:4] != "    "
    return Scan(lines, headings, content, links, breaks, definitions)


def parse(text: str, path: str, fmt: str = FORMAT) -> Changelog:
    return changelog_from(scan(text), path, fmt, "markdown")


def read(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> Changelog:
    return parse(text or "", path)
