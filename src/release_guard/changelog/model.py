"""The changelog model every reader produces, whatever the format."""

from __future__ import annotations

from release_guard.changelog.dates import Date
from release_guard.record import Record


class Release:
    """One release section, in file order."""

    __slots__ = ("body", "date", "first_entry", "label", "line", "linked", "version", "yanked")

    def __init__(
        self,
        line: int,
        label: str,
        version: str,
        date: Date | None,
        body: tuple[int, int],
        first_entry: int | None,
        yanked: bool = False,
        linked: bool = False,
    ) -> None:
        self.line = line  # 1-based line of the heading
        self.label = label  # the heading's text as written, markup removed: for messages
        self.version = version  # the version as written, without a leading v
        self.date = date  # None when the section is undated
        self.body = body  # 0-based [start, end) line indexes of the body
        self.first_entry = first_entry  # 1-based line of the first entry; None: empty
        self.yanked = yanked
        self.linked = linked  # the heading carries its own link

    @property
    def has_entries(self) -> bool:
        return self.first_entry is not None


class Unreleased:
    """Where changes wait for the next release: a section, or a fragment directory."""

    __slots__ = ("body", "first_entry", "label", "line", "path", "version")

    def __init__(
        self,
        line: int | None,
        label: str,
        version: str | None,
        body: tuple[int, int],
        first_entry: int | None,
        path: str | None = None,
    ) -> None:
        self.line = line
        self.label = label  # "[Unreleased]", "3.2.0 (unreleased)", "changelog.d/"
        self.version = version  # a planned version, when the heading names one
        self.body = body
        self.first_entry = first_entry  # 1-based line of the first waiting entry
        self.path = path  # the file (or fragment) holding the first entry

    @property
    def has_entries(self) -> bool:
        return self.first_entry is not None or self.path is not None


class Fragment:
    """A news fragment (towncrier, scriv); `problem` says why it would not build."""

    # a plain class: a NamedTuple costs ~0.1 ms to create, on the commit path
    __slots__ = (
        "path",
        "problem",
    )

    def __init__(self, path: str, problem: str | None) -> None:
        self.path = path
        self.problem = problem


class Style:
    """What only Keep a Changelog's style rules judge."""

    __slots__ = ("malformed", "section_links", "subsections")

    def __init__(
        self,
        malformed: list[tuple[int, str]],
        subsections: list[tuple[int, str, int]],
        section_links: dict[int, bool],
    ) -> None:
        self.malformed = malformed  # (line, title) of ## headings naming no release
        self.subsections = subsections  # (line, title, owning section's heading line)
        self.section_links = section_links  # heading line -> has a link (inline or reference)


class Changelog(Record):
    __slots__ = (
        "dated",
        "format",
        "fragment_dir",
        "fragments",
        "lines",
        "links",
        "markup",
        "path",
        "releases",
        "style",
        "unreleased",
    )

    def __init__(
        self,
        path: str,
        format: str,  # the reader's name (FORMATS in release_guard.changelog)
        markup: str,  # "markdown", "rst" or "" (no file)
        lines: list[str],
        releases: list[Release],
        unreleased: list[Unreleased],  # in file order; fragments come last
        links: dict[str, int],  # link definitions: lower-cased label -> 1-based line
        fragments: list[Fragment] | None = None,  # None: the format has no fragments
        fragment_dir: str | None = None,
        style: Style | None = None,  # only Keep a Changelog fills it
        dated: bool = True,  # the format dates its releases (some section carries a date)
    ) -> None:
        self.path = path
        self.format = format
        self.markup = markup
        self.lines = lines
        self.releases = releases
        self.unreleased = unreleased
        self.links = links
        self.fragments = fragments
        self.fragment_dir = fragment_dir
        self.style = style
        self.dated = dated

    def body_text(self, body: tuple[int, int]) -> str:
        """A body for release notes: blank lines around it trimmed."""
        start, end = body
        lines = self.lines[start:end]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        return "\n".join(lines)


def split_lines(text: str) -> list[str]:
    """Lines split on "\\n" only (str.splitlines() also breaks on form feeds and U+2028, which
    would shift every line number after them), a CR before the newline dropped."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
