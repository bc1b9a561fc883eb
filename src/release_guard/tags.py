"""What a tag's name says: which version it releases, if any (docs/tag-guard.md, "What is
judged"). One definition for the tag guard, a CI tag build and `check --tag`.

- A tag that follows `tag-format` names the version between the format's prefix and suffix.
- A tag that does not follow it but **ends in a version** (`2.0.0`, `hatch-v1.2.3`,
  `release-1.4rc1`) still looks like a release: it is judged, and refused with the expected
  tag, so a tag in the wrong format cannot slip through unjudged.
- `ignore-tags` globs take a tag out of judgement whatever its name.
- A **moving tag** (`v1`, or `v1.3` on a commit at 1.3.x) names a release line, not a release;
  a `.devN` tag (`9.2.0.dev0`) marks where a development cycle starts: neither is judged.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.config import Config

# A release-looking version at the end of a name: numbers joined by dots, then the PEP 440 or
# SemVer pre/post/dev markers. Compiled only when a tag is classified (never at commit time).
MAX_TAG_LENGTH = 255  # git's own limit for a name on most file systems; bounds the search
# At most three markers (`1.0rc1.post2.dev3`): a bounded repetition, so that names such as
# `1.0rcrcrc...` cannot make the search backtrack exponentially; and a version starts after
# neither a digit nor a dot, so the search does not restart inside `1.1.1...` (linear time).
_VERSION_AT_END = r"(?<![\d.])(\d+(?:\.\d+)*(?:[-_.+]?(?:a|b|c|rc|alpha|beta|pre|preview|post|rev|r|dev)[-_.]?\d*){0,3})$"


def version_at_end(tag: str) -> tuple[str, str] | None:
    """(prefix, version) when `tag` ends in a version of at least two numbers, after nothing,
    a separator, or a `v` that follows one: `hatch-v1.2.3` -> ("hatch-v", "1.2.3");
    `docs-7`, `py3.9` and `foo1.2` end in none."""
    if len(tag) > MAX_TAG_LENGTH:
        return None
    match = re.search(_VERSION_AT_END, tag, re.IGNORECASE)
    if match is None:
        return None
    prefix, version = tag[: match.start()], match.group(1)
    before = prefix[:-1] if prefix[-1:] in ("v", "V") else prefix
    if before and before[-1].isalnum():
        return None
    numbers = re.match(r"[\d.]*", version)
    return (prefix, version) if numbers and "." in numbers.group().strip(".") else None


def ignored(config: Config, tag: str) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(tag, pattern) for pattern in config.ignore_tags)


def claimed_version(config: Config, tag: str) -> str | None:
    """The version `tag` releases, by tag-format or else by the version it ends in; None for
    a tag that names no release (no version, a single number, or covered by ignore-tags)."""
    if ignored(config, tag):
        return None
    version = config.version_in_tag(tag)
    if version is None:
        found = version_at_end(tag)
        version = found[1] if found else None
    if version is None or version.isdigit() or is_development_marker(version):
        return None  # `v1`: a moving tag; `9.2.0.dev0`: where a development cycle starts
    return version


def is_development_marker(version: str) -> bool:
    """A `.devN` version: setuptools-scm projects tag the start of a development cycle so."""
    return re.search(r"[-_.]?dev\d*$", version, re.IGNORECASE) is not None


def is_moving(claimed: str, version: str) -> bool:
    """`v1.3` on a commit at 1.3.5: the tag names the release line the commit belongs to."""
    numbers = claimed.split(".")
    return (
        len(numbers) <= 2
        and all(n.isdigit() for n in numbers)
        and version.startswith(claimed + ".")
    )


def why_no_release(config: Config, tag: str) -> str:
    """Why `claimed_version` found no release in `tag`: the words after the tag's name."""
    if ignored(config, tag):
        return "matches ignore-tags"
    version = config.version_in_tag(tag) or (version_at_end(tag) or ("", ""))[1]
    if is_development_marker(version):
        return "marks a development cycle (.devN), not a release"
    if config.version_in_tag(tag) is not None:
        return "is a moving tag (its version is a single number)"
    return f"does not follow tag-format {config.tag_format!r} and ends in no version"
