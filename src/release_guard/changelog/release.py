"""`prepare`'s edit of a hand-written changelog: the waiting entries become the release's
section, under a heading in the shape of the newest release heading (level, brackets, link,
date form, an underline or a `Released` line), with Keep a Changelog's link references moved on.
"""

from __future__ import annotations

import datetime
import re

from release_guard.changelog import find_release
from release_guard.changelog.dates import write_date
from release_guard.changelog.model import Changelog, Release, Unreleased
from release_guard.edit import Change, Refusal, TextFile, line_offset, replace_span

_LINK_LINE = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*(?P<url>\S+)")
_COMPARE = re.compile(r"/compare/(?P<base>[^/]+?)\.\.\.?(?P<head>[^/.][^/]*)$")
_BRANCH_VIEW = re.compile(r"^(?P<repository>.+?)/(?:commits|tree)/[^/]+/?$")


def release_section(
    file: TextFile,
    changelog: Changelog,
    version: str,
    tag: str,
    day: datetime.date,
    pre_releases: str,
) -> tuple[Change, list[str]]:
    existing = find_release(changelog, version)
    if existing is not None:
        raise Refusal(
            "RG603",
            f"{file.path} already has a section [{existing.version}]",
            "choose another version, or merge the waiting entries into that section by hand",
            file.path,
            existing.line,
        )
    lines = changelog.lines
    waiting = next((u for u in changelog.unreleased if u.line is not None), None)
    newest = changelog.releases[0] if changelog.releases else None
    heading = new_heading(changelog, newest, version, day)
    if waiting is None or waiting.first_entry is None:
        if not _gathers_pre_releases(changelog, version, pre_releases):
            raise _nothing_to_release(file.path, waiting)
        # a final release after its pre-releases, with nothing new: a section of its own,
        # above them, whose notes gather theirs
        at = _heading_start(lines, newest.line) if newest is not None else len(lines)
        start, end, replacement = at, at, [*heading, "", f"- Final release of {version}.", ""]
    elif _marker_only(waiting):
        # `## [Unreleased]` stays (its compare link moved on); the new heading under it takes
        # the entries over
        title_at = (waiting.line or 1) - 1
        at = _heading_end(lines, title_at + 1)
        moved = lines[title_at]
        if newest is not None and "..." in moved:
            moved = moved.replace(f"{newest.version}...", f"{version}...")
        start, end, replacement = title_at, at, [moved, *lines[title_at + 1 : at], "", *heading]
    else:
        # `## 1.2.0 (unreleased)`, or `Version 1.2.0` over an `Unreleased` line: the heading
        # itself becomes the release's
        start = _heading_start(lines, waiting.line or 1)
        end = waiting.body[0]
        blank_follows = end < len(lines) and not lines[end].strip()
        replacement = heading if blank_follows else [*heading, ""]
    nl = file.newline
    offset_start = line_offset(file.text, start + 1) if start < len(lines) else len(file.text)
    offset_end = line_offset(file.text, end + 1) if end < len(lines) else len(file.text)
    insert = nl.join(replacement) + nl
    edits = [(offset_start, offset_end, insert)]
    summary = [f"{file.path}: waiting entries -> {heading[0].strip()}"]
    link_line = changelog.links.get("unreleased")
    if link_line is not None and changelog.format == "keep-a-changelog":
        link_edits = _link_edits(file, link_line, version, tag)
        if link_edits:
            edits += link_edits
            summary.append(f"{file.path}: link references [Unreleased] and [{version}] updated")
    text = file.text
    for edit_start, edit_end, replacement_text in sorted(edits, reverse=True):
        text = replace_span(text, edit_start, edit_end, replacement_text)
    return Change(file.path, file.encode(file.text), file.encode(text)), summary


def _nothing_to_release(path: str, waiting: Unreleased | None) -> Refusal:
    if waiting is None:
        return Refusal(
            "RG601",
            f"{path} has no '## [Unreleased]' section to release",
            "add '## [Unreleased]' with the release's entries above the newest release",
            path,
        )
    return Refusal(
        "RG601",
        f"[{waiting.label}] in {path} holds no entries: there is nothing to release",
        "add the release's entries under ## [Unreleased] first",
        path,
        waiting.line,
    )


def _gathers_pre_releases(changelog: Changelog, version: str, pre_releases: str) -> bool:
    """1.0.0 after 1.0.0rc1 with no new entries: the final release gathers the pre-releases'
    (`pre-releases = "section"`)."""
    if pre_releases != "section":
        return False
    from packaging.version import InvalidVersion, Version

    try:
        final = Version(version)
    except InvalidVersion:
        return False
    for release in changelog.releases:
        try:
            other = Version(release.version)
        except InvalidVersion:
            continue
        if other.is_prerelease and other.release == final.release and release.has_entries:
            return True
    return False


def _marker_only(waiting: Unreleased) -> bool:
    """The heading only says `Unreleased` (no planned version, no marker line under it)."""
    return waiting.version is None


def _is_underline(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) >= 2 and stripped == stripped[0] * len(stripped) and not stripped[0].isalnum()
    )


def _heading_start(lines: list[str], line: int) -> int:
    """0-based first line of the heading at 1-based `line` (its overline, if any)."""
    index = line - 1
    overlined = index > 0 and _is_underline(lines[index - 1])
    if overlined and index + 1 < len(lines) and _is_underline(lines[index + 1]):
        return index - 1
    return index


def _heading_end(lines: list[str], line: int) -> int:
    """0-based line after the heading at 1-based `line` (after its underline, if any)."""
    index = line
    if index < len(lines) and _is_underline(lines[index]) and not lines[line - 1].startswith("#"):
        index += 1
    return index


def new_heading(
    changelog: Changelog, newest: Release | None, version: str, day: datetime.date
) -> list[str]:
    """The new release's heading lines, in the shape of the newest release heading."""
    if newest is None:
        return _default_heading(changelog, version, day)
    lines = changelog.lines
    start = _heading_start(lines, newest.line)
    end = _heading_end(lines, newest.line)
    shape = lines[start:end]
    title_index = newest.line - 1 - start
    title = shape[title_index]
    previous = changelog.releases[1].version if len(changelog.releases) > 1 else None
    new_title = _renamed(title, newest.version, version, previous)
    date_line: list[str] = []
    if newest.date is not None:
        new_date = write_date(day, newest.date)
        if newest.date.written in new_title:
            new_title = new_title.replace(newest.date.written, new_date, 1)
        else:  # dated on the line under the heading: `Released 2024-12-06`
            for candidate in lines[end : newest.body[0]]:
                if newest.date.written in candidate:
                    date_line = ["", candidate.replace(newest.date.written, new_date, 1)]
                    break
    elif changelog.dated or changelog.format == "keep-a-changelog":
        new_title += f" - {day.isoformat()}"
    result = []
    for index, line in enumerate(shape):
        if index == title_index:
            result.append(new_title)
        elif _is_underline(line):
            result.append(line.strip()[0] * max(len(new_title.strip()), len(line.strip())))
        else:
            result.append(line)
    return result + date_line


def _renamed(title: str, old: str, new: str, previous: str | None) -> str:
    """The title with the newest version replaced by the new one; in a compare link
    (old...new) the older version moves on too."""
    placeholder = "\x00"
    text = title.replace(old, placeholder)
    if previous is not None and previous != old:
        text = re.sub(rf"(?<![\w.]){re.escape(previous)}(?![\w])", old, text)
    return text.replace(placeholder, new)


def _default_heading(changelog: Changelog, version: str, day: datetime.date) -> list[str]:
    if changelog.markup == "rst":
        title = f"{version} ({day.isoformat()})"
        return [title, "=" * len(title)]
    if changelog.format == "keep-a-changelog":
        return [f"## [{version}] - {day.isoformat()}"]
    return [f"## {version} ({day.isoformat()})"]


def _link_edits(file: TextFile, line: int, version: str, tag: str) -> list[tuple[int, int, str]]:
    """Move the [Unreleased] compare link on to the new tag, and add the release's own link
    after it, in the URL style the file already uses; none when the URL has no known shape."""
    start = line_offset(file.text, line)
    match = _LINK_LINE.match(file.text, start)
    if match is None:
        return []
    url = match.group("url")
    compare = _COMPARE.search(url)
    if compare is not None:
        unreleased_url = url[: compare.start("base")] + tag + url[compare.end("base") :]
        release_url = url[: compare.start("head")] + tag + url[compare.end("head") :]
    else:
        branch = _BRANCH_VIEW.match(url)
        if branch is None:
            return []
        unreleased_url = f"{branch.group('repository')}/compare/{tag}...HEAD"
        release_url = f"{branch.group('repository')}/releases/tag/{tag}"
    line_end = file.text.find("\n", start)
    after_line = len(file.text) if line_end < 0 else line_end + 1
    missing_newline = file.newline if line_end < 0 else ""
    return [
        (match.start("url"), match.end("url"), unreleased_url),
        (after_line, after_line, f"{missing_newline}[{version}]: {release_url}{file.newline}"),
    ]
