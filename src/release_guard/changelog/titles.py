"""What a heading (or a line under it) says: a version, a date, an unreleased marker.

Shared by every hand-written format. Scanning is by hand, one pass per title, so no title
costs more than its length (the linear-time promise of docs/design.md).
"""

from __future__ import annotations

from typing import NamedTuple

from release_guard.changelog.dates import Date, find_date

UNRELEASED_WORDS = frozenset(("unreleased", "upcoming", "unpublished"))
UNRELEASED_PHRASES = ("in development", "not released yet", "not yet released")
_BREAKS = " \t()[],;:|*"
_VERSION_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+!-_")
MAX_PREFIX_WORDS = 3  # "Version 1.2", "pytest 1.2", "Changes in version 1.2"


class Title(NamedTuple):
    text: str  # markup removed
    version: str | None  # as written, without a leading v
    written: str | None  # the version word as written, v included
    date: Date | None
    unreleased: bool
    yanked: bool
    linked: bool  # the title carries a link (inline or reference): RG210's concern


def plain(title: str) -> tuple[str, bool]:
    """The title's text with links reduced to their text, and whether it had one.

    Markdown `[text](url)`, `[text][ref]`, `[text][]`, RST `` `text <url>`_ ``, attribute
    lists `{: #id }` dropped."""
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
    words: list[tuple[str, int]] = []
    start = -1
    for index, char in enumerate(text + " "):
        if char in _BREAKS:
            if start >= 0:
                words.append((text[start:index], start))
                start = -1
        elif start < 0:
            start = index
    return words


def version_word(word: str) -> str | None:
    """The version a word names (v1.2.3 -> 1.2.3); None when it is no version."""
    bare = word[1:] if word[:1] in "vV" else word
    bare = bare.rstrip(".-")
    if (
        "." not in bare
        or not bare[:1].isdigit()
        or not bare.isascii()
        or not set(bare) <= _VERSION_CHARS
    ):
        return None
    head = bare.split(".", 1)[0]
    if not head.isdigit():
        return None
    return bare


def is_unreleased_text(lowered: str) -> bool:
    return any(w.strip(".!-()[]*_:,") in UNRELEASED_WORDS for w in lowered.split()) or any(
        phrase in lowered for phrase in UNRELEASED_PHRASES
    )


def read_title(raw: str) -> Title | None:
    """A release or unreleased title; None when the title names neither."""
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
