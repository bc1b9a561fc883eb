"""What a heading (or a line under it) says: a version, a date, an unreleased marker.

Shared by every hand-written format. Scanning is by hand, one pass per title, so no title
costs more than its length (the linear-time promise of docs/design.md).
"""

from __future__ import annotations

import re

from release_guard.changelog.dates import Date, find_date

UNRELEASED_WORDS = frozenset(("unreleased", "upcoming", "unpublished"))
UNRELEASED_PHRASES = ("in development", "not released yet", "not yet released")
MAX_PREFIX_WORDS = 3  # "Version 1.2", "pytest 1.2", "Changes in version 1.2"
_WORD = r"[^ \t()\[\],;:|*]+"  # one character class: no backtracking
_VERSION = r"[vV]?([0-9]+\.[0-9A-Za-z.+!_-]*)"  # compiled on first use, as dates' are
# the shapes most headings have, read in one match: `[1.2.3] - 2024-12-06`,
# `[1.2.3](url) - 2024-12-06`, `1.2.3 (2024-12-06)` (each part one bounded class)
_COMMON = re.compile(
    r"(\[)?([vV]?[0-9]+(?:\.[0-9]+)+)(\])?(\[\]|\([^()\s]*\))?"
    r"[ \t]*(?:[-\u2013\u2014][ \t]*|\()([0-9]{4})-([0-9]{2})-([0-9]{2})\)?"
)
# `1.2.3 (December 6, 2024)`: the version, and a date in parentheses read by find_date
_PARENTHESIZED = r"([vV]?[0-9]+(?:\.[0-9]+)+)[ \t]+\(([^()]{6,40})\)"  # on first use
_DIGITS = "0123456789"


class Title:
    # a plain class: a NamedTuple costs ~0.1 ms to create, on the commit path
    __slots__ = ("date", "linked", "text", "unreleased", "version", "written", "yanked")

    def __init__(
        self,
        text: str,
        version: str | None,
        written: str | None,
        date: Date | None,
        unreleased: bool,
        yanked: bool,
        linked: bool,
    ) -> None:
        self.text = text  # markup removed
        self.version = version  # as written, without a leading v
        self.written = written  # the version word as written, v included
        self.date = date
        self.unreleased = unreleased
        self.yanked = yanked
        self.linked = linked  # the title carries a link (inline or reference): RG210's concern


def plain(title: str) -> tuple[str, bool]:
    """The title's text with links reduced to their text, and whether it had one.

    Markdown `[text](url)`, `[text][ref]`, `[text][]`, RST `` `text <url>`_ ``, attribute
    lists `{: #id }` dropped."""
    if "[" not in title and "`" not in title and "{" not in title:
        return title.strip(" \t#"), False
    out: list[str] = []
    linked = False
    index = 0
    length = len(title)
    while index < length:
        char = title[index]
        if char == "[":
            close = title.find("]", index + 1)
            if close < 0:
                out.append(title[index:])
                break
            out.append(title[index + 1 : close])
            index = close + 1
            if index < length and title[index] in "([":
                end = title.find(")" if title[index] == "(" else "]", index + 1)
                if end >= 0:
                    linked = True
                    index = end + 1
            continue
        if char == "`":
            close = title.find("`", index + 1)
            if close < 0:
                out.append(title[index:])
                break
            inner = title[index + 1 : close]
            target = inner.rfind("<")
            if target >= 0 and inner.endswith(">"):
                linked = True
                inner = inner[:target].rstrip()
            out.append(inner)
            index = close + 1
            while index < length and title[index] == "_":
                index += 1
            continue
        if char == "{" and title.startswith("{:", index):
            close = title.find("}", index)
            if close >= 0:
                index = close + 1
                continue
        out.append(char)
        index += 1
    return "".join(out).strip(" \t#"), linked


def words_of(text: str) -> list[tuple[str, int]]:
    """Words and their offsets, split at spaces and light punctuation."""
    return [(match.group(), match.start()) for match in re.finditer(_WORD, text)]


def version_word(word: str) -> str | None:
    """The version a word names (v1.2.3 -> 1.2.3); None when it is no version."""
    match = re.fullmatch(_VERSION, word)
    if match is None:
        return None
    bare = match.group(1).rstrip(".-")
    return bare if "." in bare else None


def is_unreleased_text(lowered: str) -> bool:
    if "unrel" not in lowered and "upcom" not in lowered and "unpub" not in lowered:
        return any(phrase in lowered for phrase in UNRELEASED_PHRASES)
    return any(w.strip(".!-()[]*_:,") in UNRELEASED_WORDS for w in lowered.split()) or any(
        phrase in lowered for phrase in UNRELEASED_PHRASES
    )


def read_title(raw: str) -> Title | None:
    """A release or unreleased title; None when the title names neither."""
    if not any(digit in raw for digit in _DIGITS) and not is_unreleased_text(raw.lower()):
        return None  # no digit, no marker: the common `### Fixed`
    if raw.strip(" \t[]#").lower() == "unreleased":  # the spec's own heading, at once
        return Title("Unreleased", None, None, None, True, False, False)
    common = _COMMON.fullmatch(raw.strip())
    if (
        common is not None
        and (common.group(1) is None) == (common.group(3) is None)
        and (common.group(4) is None or common.group(3) is not None)
    ):
        return _common_title(raw, common)
    parenthesized = re.fullmatch(_PARENTHESIZED, raw.strip())
    if parenthesized is not None:
        date = find_date(parenthesized.group(2))
        if date is not None and date.start == 0 and date.written == parenthesized.group(2).strip():
            written = parenthesized.group(1)
            text = parenthesized.group()
            return Title(text, written.lstrip("vV"), written, date, False, False, False)
    text, linked = plain(raw)
    words = words_of(text)
    version = written = None
    after = 0
    for position, (word, offset) in enumerate(words[: MAX_PREFIX_WORDS + 1]):
        found = version_word(word)
        if found is not None:
            version, written, after = found, word, offset + len(word)
            break
        if any(char.isdigit() for char in word):
            break
        if position == MAX_PREFIX_WORDS:
            break
    lowered = text.lower()
    unreleased = is_unreleased_text(lowered)
    if version is None and not unreleased:
        return None
    date = find_date(text[after:]) if not unreleased else None
    yanked = "yanked" in lowered
    return Title(text, version, written, date, unreleased, yanked, linked)


def _common_title(raw: str, match: re.Match[str]) -> Title:
    from release_guard.changelog.dates import real_day

    written = match.group(2)
    year, month, day = match.group(5), match.group(6), match.group(7)
    date_text = f"{year}-{month}-{day}"
    parenthesized = raw.rstrip().endswith(")") and match.group(4) is None
    text = f"{written} ({date_text})" if parenthesized else f"{written} - {date_text}"
    date = Date(date_text, real_day(int(year), int(month), int(day)), "iso", text.find(date_text))
    return Title(text, written.lstrip("vV"), written, date, False, False, bool(match.group(4)))


def read_date_line(line: str) -> tuple[Date | None, bool] | None:
    """A line under a heading that dates it: `Released 2024-12-06`, `*2024-12-06*`,
    `Released on Dec 6, 2024`, `(2024-12-06)`; or marks it unreleased (`Unreleased`).
    Returns (date, unreleased), or None when the line is an ordinary entry."""
    text = line.strip().strip("*_()`:").strip()
    if not text or len(text) > 80 or text[:1] in "-+":
        return None
    lowered = text.lower()
    if is_unreleased_text(lowered) and len(lowered.split()) <= 4:
        return None, True
    for lead in ("released on", "released", "release date", "date"):
        if lowered.startswith(lead):
            text = text[len(lead) :].lstrip(" :*_")
            break
    date = find_date(text)
    if date is None or date.start > 0:
        return None
    return date, False
