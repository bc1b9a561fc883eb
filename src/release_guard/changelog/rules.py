"""The changelog rules, on the model, in two families (docs/rules.md, "Changelog"):

- release integrity, for every format: versions unique and in release order, dates real, not
  in the future and not later than the release above; fragments that would build; the current
  version's section (RG211, RG212); at release a dated section with entries and nothing left
  unreleased (RG302, RG303);
- Keep a Changelog style, only for `keep-a-changelog`: heading form, change types, link
  references, the [Unreleased] section.
"""

from __future__ import annotations

import re
from functools import cache

from release_guard.changelog import section_for
from release_guard.findings import Finding
from release_guard.pep440 import parse_versions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.changelog.dates import Day
    from release_guard.changelog.model import Changelog, Release, Style
    from release_guard.pep440 import ParsedVersion

KEEP_A_CHANGELOG = "keep-a-changelog"


def lint(changelog: Changelog, today: Day) -> list[Finding]:
    """The rules that hold at every commit, whatever the project's version.

    `today` is the UTC date: a release dated one day later is not yet "in the future",
    since somewhere on Earth that day has begun.
    """
    findings = _integrity(changelog, today)
    if changelog.format == KEEP_A_CHANGELOG:
        findings += _style(changelog)
    return findings


def _integrity(changelog: Changelog, today: Day) -> list[Finding]:
    path = changelog.path
    strict = changelog.format == KEEP_A_CHANGELOG  # headings name only versions there
    findings: list[Finding] = []
    latest_allowed = today.next()
    seen: dict[object, Release] = {}
    above: tuple[ParsedVersion, Release] | None = None
    above_dated: Release | None = None  # the lowest-listed dated release of the main line
    last_of_series: dict[tuple[int, ...], tuple[ParsedVersion, Release]] = {}  # (major, minor)
    dated_of_series: dict[tuple[int, ...], Release] = {}
    releases = changelog.releases
    for release, version in zip(releases, parse_versions([r.version for r in releases])):
        if version is None:
            if strict:  # elsewhere a heading naming no valid version is no release heading
                message = f"[{release.version}] is not a valid PEP 440 version"
                findings.append(Finding("RG213", message, path, release.line))
            continue
        if version in seen:
            message = f"[{release.version}] repeats the version of line {seen[version].line}"
            findings.append(Finding("RG205", message, path, release.line))
            continue
        seen[version] = release
        day = _day(release)
        series = _numbers(release.version)[:2]
        same = last_of_series.get(series)
        # within a series releases come out in version order; across series, order by date
        # where both are dated (a backport above a newer version is fine), else by version
        if same is not None and version >= same[0]:
            message = (
                f"[{release.version}] is listed below [{same[1].version}] (line {same[1].line}) "
                "of the same series; versions must descend"
            )
            findings.append(Finding("RG206", message, path, release.line))
        elif above is not None and (day is None or _day(above[1]) is None) and version >= above[0]:
            message = (
                f"[{release.version}] is listed below [{above[1].version}] (line {above[1].line}); "
                "without dates to order them by, versions must descend"
            )
            findings.append(Finding("RG206", message, path, release.line))
        above = (version, release)
        last_of_series[series] = (version, release)
        if release.date is None:
            continue
        if day is None:
            message = f"[{release.version}] date {release.date.written} is not a real calendar date"
            findings.append(Finding("RG204", message, path, release.line))
            continue
        if day > latest_allowed:
            message = f"[{release.version}] is dated {day}, in the future"
            findings.append(Finding("RG208", message, path, release.line))
        later = _dated_after(release, day, above_dated, dated_of_series)
        if later is not None:
            message = (
                f"[{release.version}] is dated {day}, after [{later.version}] above it "
                f"({_day(later)}); releases are listed newest first"
            )
            findings.append(Finding("RG207", message, path, release.line))
        if not _is_backport(release, above_dated):
            above_dated = release
        dated_of_series[series] = release
    for fragment in changelog.fragments or []:
        if fragment.problem is not None:
            findings.append(Finding("RG215", f"news fragment {fragment.problem}", fragment.path))
    return findings


_NUMBERS = re.compile(r"[0-9]+(?:\.[0-9]+)*")


@cache
def _numbers(version: str) -> tuple[int, ...]:
    """The release numbers a version starts with: 2.2.5rc1 -> (2, 2, 5)."""
    match = _NUMBERS.match(version)
    return tuple(int(part) for part in match.group().split(".")) if match else ()


def _is_backport(release: Release, above: Release | None) -> bool:
    """A maintenance release of an older series listed (in version order) below a newer
    series' release: 2.2.5 below 2.3.0. A series' first release (2.2.0) is never one."""
    if above is None:
        return False
    mine, theirs = _numbers(release.version), _numbers(above.version)
    return mine[:2] < theirs[:2] and any(mine[2:])


def _dated_after(
    release: Release,
    day: Day,
    above: Release | None,
    dated_of_series: dict[tuple[int, ...], Release],
) -> Release | None:
    """The release listed above that this one is dated after, when that is a mistake.

    Within a series (2.3.1 below 2.3.2) dates must not increase downwards: a typo such as
    2021-01-02 for 2022-01-02 is caught. Across series, a backport dated after the newer
    series' release above it is how maintenance branches are listed, and is fine."""
    same = dated_of_series.get(_numbers(release.version)[:2])
    same_day = _day(same) if same is not None else None
    if same is not None and same_day is not None and day > same_day:
        return same
    upper = _day(above) if above is not None else None
    if above is not None and upper is not None and day > upper:
        return None if _is_backport(release, above) else above
    return None


def _day(release: Release) -> Day | None:
    return release.date.day if release.date is not None else None


def _style(changelog: Changelog) -> list[Finding]:
    style = changelog.style
    assert style is not None  # the Keep a Changelog reader fills it
    # Style is judged where changes are still written: [Unreleased] and the newest release.
    # Older sections are published history: their dates and order are judged (integrity),
    # not their headings' spelling.
    history = changelog.releases[1].line if len(changelog.releases) > 1 else None
    findings = _style_findings(changelog, style, history or len(changelog.lines) + 1)
    return [f for f in findings if history is None or f.line is None or f.line < history]


def _style_findings(changelog: Changelog, style: Style, history: int) -> list[Finding]:
    from release_guard.changelog.keep_a_changelog import CHANGE_TYPES, heading_shape_problem
    from release_guard.changelog.markdown import atx_heading

    path = changelog.path
    findings = [
        Finding(
            "RG203", f"heading '## {text}' names no release and is not [Unreleased]", path, line
        )
        for line, text in style.malformed
        if line < history
    ]
    for release in changelog.releases:
        if release.line >= history:
            break
        heading = atx_heading(changelog.lines[release.line - 1])
        if heading is None:  # a setext heading: the title underlined with --- on the next line
            title = changelog.lines[release.line - 1].strip()
            message = f"heading '{title}' is underlined, not a '## ' heading"
            findings.append(Finding("RG203", message, path, release.line))
            continue
        problem = heading_shape_problem(heading[1])
        if problem is not None:
            subject = (
                f"[{release.version}]" if problem[0] == "RG204" else f"heading '## {heading[1]}'"
            )
            message = f"{subject} {problem[1]}"
            findings.append(Finding(problem[0], message, path, release.line))
    findings += _unreleased_placement(changelog)
    lowered = {kind.lower(): kind for kind in CHANGE_TYPES}
    first_of: dict[tuple[int, str], int] = {}
    for line, title, owner in style.subsections:
        if line >= history:
            break
        spelled = lowered.get(title.strip().rstrip(":").lower())
        if spelled is not None and spelled != title:
            message = (
                f"subsection '### {title}' is the change type '### {spelled}' spelled otherwise"
            )
            findings.append(Finding("RG209", message, path, line))
        earlier = first_of.setdefault((owner, title), line)
        if earlier != line:
            message = f"subsection '### {title}' repeats the one of line {earlier} in its section"
            findings.append(Finding("RG214", message, path, line))
    linked = style.section_links
    if any(linked.get(release.line, False) for release in changelog.releases):
        for release in changelog.releases:
            if not linked.get(release.line, True):
                message = f"[{release.version}] has no link, while other sections have one"
                findings.append(Finding("RG210", message, path, release.line))
    return findings


def _unreleased_placement(changelog: Changelog) -> list[Finding]:
    """[Unreleased] is one section, above every release: the release rules read only it."""
    findings = []
    sections = [u for u in changelog.unreleased if u.line is not None]
    first_release = changelog.releases[0] if changelog.releases else None
    for position, section in enumerate(sections):
        assert section.line is not None
        if position > 0:
            message = f"[{section.label}] repeats the section of line {sections[0].line}"
            findings.append(Finding("RG205", message, changelog.path, section.line))
        elif first_release is not None and section.line > first_release.line:
            message = (
                f"[{section.label}] is listed below [{first_release.version}] "
                f"(line {first_release.line}); it belongs above every release"
            )
            findings.append(Finding("RG206", message, changelog.path, section.line))
    return findings


def version_rules(
    changelog: Changelog, version: str, where: str, line: int | None, release: bool
) -> list[Finding]:
    """RG211: a final version has a section; RG212: the version is not behind the changelog."""
    current, *released = parse_versions([version, *(r.version for r in changelog.releases)])
    if current is None:
        return []  # RG105 already says the version is invalid
    findings = []
    # one parse for both questions: a changelog may hold 10,000 releases
    section = next(
        (r for r, parsed in zip(changelog.releases, released) if parsed == current),
        None,
    )
    if section is None and ".post" in version:
        section = section_for(changelog, version)
    anchor = changelog.unreleased[0].line if changelog.unreleased else None
    # At release, RG302 speaks for a missing section, pre-release or not.
    if not release and not current.is_prerelease and section is None:
        message = f"version {version} (from {where}) has no section in {changelog.path}"
        findings.append(Finding("RG211", message, changelog.path, anchor))
    newest = max((v for v in released if v is not None), default=None)
    # a maintenance release documented in its own section is no version gone backwards
    if newest is not None and current < newest and section is None:
        message = (
            f"version {version} is older than {newest}, the newest release in {changelog.path}"
        )
        findings.append(Finding("RG212", message, where, line))
    return findings


def release_rules(changelog: Changelog, version: str, pre_releases: str) -> list[Finding]:
    """RG302 and RG303 for the release of `version`."""
    from release_guard.pep440 import parse_version

    parsed = parse_version(version)
    if ".dev" in version:
        return []  # a development version is no release: it waits for its final one
    if pre_releases == "unreleased" and parsed is not None and parsed.is_prerelease:
        return []  # its entries stay in [Unreleased] until the final release
    path = changelog.path
    findings = []
    section = section_for(changelog, version)
    anchor = changelog.unreleased[0].line if changelog.unreleased else None
    if section is None:
        planned = [u for u in changelog.unreleased if u.version is not None]
        named = [u for u in planned if _same_version(u.version or "", version)]
        message = (
            f"the section {named[0].label!r} of the release {version} is still marked unreleased"
            if named
            else f"{path} has no section for the release {version}"
        )
        findings.append(Finding("RG302", message, path, named[0].line if named else anchor))
    elif changelog.dated and (section.date is None or section.date.day is None):
        # RG204 says so at every commit; at release it blocks even when RG204 is ignored
        message = f"the section [{section.version}] of the release {version} has no valid date"
        findings.append(Finding("RG302", message, path, section.line))
    elif not section.has_entries and not gathered(changelog, section):
        # the notes would be empty: refused here, at push, rather than at `notes` in CI
        message = f"the section [{section.version}] of the release {version} has no entries"
        findings.append(Finding("RG302", message, path, section.line))
    for waiting in changelog.unreleased:
        if waiting.path is not None:
            message = f"news fragments are left in {waiting.label} at the release of {version}"
            findings.append(Finding("RG303", message, waiting.path))
        elif waiting.first_entry is not None:
            message = f"[{waiting.label}] still holds entries at the release of {version}"
            findings.append(Finding("RG303", message, path, waiting.first_entry))
    return findings


def _same_version(first: str, second: str) -> bool:
    one, two = parse_versions([first, second])
    return one is not None and one == two


def gathered(changelog: Changelog, release: Release) -> list[Release]:
    """The pre-release sections a final release without entries of its own gathers
    (`pre-releases = "section"`: 1.0.0 after 1.0.0rc1 with nothing new), newest first."""
    from packaging.version import InvalidVersion, Version

    def parsed(text: str) -> Version | None:
        try:
            return Version(text)
        except InvalidVersion:
            return None

    final = parsed(release.version)
    if final is None or final.is_prerelease:
        return []
    found = []
    for other in changelog.releases:
        version = parsed(other.version)
        if (
            version is not None
            and version.is_prerelease
            and version.release == final.release
            and other.has_entries
        ):
            found.append(other)
    return found
