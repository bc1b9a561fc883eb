"""The tag format a repository really uses, learned from its recent release tags.

`init` writes it as `tag-format` when it differs from the default; `check` (where it reads the
tags: CI, `--tag`, the tag guard) notes when the recent tags do not follow the configured one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

RECENT = 3  # the newest release tags that decide: what the project does now, not years ago
# how far back a prefix naming the project is looked for: in a repository of two packages, the
# other one may have made the last few releases
NAMED_WINDOW = 30


@functools.lru_cache(maxsize=8)
def _learned(tags_newest_first: tuple[str, ...], project_name: str | None) -> str | None:
    """`learn`, once per run: the tag guard asks for every tag it judges."""
    return learn(tags_newest_first, project_name)


def _recent_prefixes(tags_newest_first: Sequence[str]) -> list[str]:
    """The prefixes of the last NAMED_WINDOW release tags, newest first."""
    from release_guard.tags import version_at_end

    prefixes = []
    for tag in tags_newest_first:
        found = version_at_end(tag)
        if found is not None and not any(brace in found[0] for brace in "{}"):
            prefixes.append(found[0])
            if len(prefixes) == NAMED_WINDOW:
                break
    return prefixes


def learn(
    tags_newest_first: Sequence[str],
    project_name: str | None,
    other_projects: Sequence[str] = (),
) -> str | None:
    """`PREFIX{version}` of the recent release tags, None when there are none.

    Tags are grouped by the prefix before their version (release_guard.tags); the newest prefix
    that names the project among the last NAMED_WINDOW release tags wins (`hatch-v` for hatch,
    beside `hatchling-v` in the same repository), else the prefix of most of the RECENT newest
    release tags (the newest on a tie). Prefixes naming one of `other_projects` (the other
    packages of the repository) never win: they are that package's releases."""
    others = {_normalize(name) for name in other_projects}
    prefixes = [p for p in _recent_prefixes(tags_newest_first) if _normalize(stem(p)) not in others]
    if not prefixes:
        return None
    named = [p for p in prefixes if project_name and _names(p, project_name)]
    if named:
        return named[0] + "{version}"
    recent = prefixes[:RECENT]
    counts = {p: recent.count(p) for p in recent}
    return max(recent, key=lambda p: counts[p]) + "{version}"  # max keeps the first (newest)


def other_packages(tags_newest_first: Sequence[str], tag_format: str) -> list[str]:
    """`ignore-tags` globs for the recent release tags of other packages in the repository:
    prefixes with a name (`hatchling-v`) other than the chosen format's (`hatch-v`). Tags of
    another package are not this project's releases; without them ignored, the guard would
    refuse them as release tags in the wrong format."""
    chosen = tag_format.partition("{version}")[0]
    others = [p for p in _recent_prefixes(tags_newest_first) if p != chosen and stem(p)]
    return [f"{prefix}*" for prefix in dict.fromkeys(others)]


def _names(prefix: str, project_name: str) -> bool:
    """Whether a prefix (`hatch-v`, `my_pkg/`) is the project's name and a separator."""
    name = stem(prefix)
    return bool(name) and _normalize(name) == _normalize(project_name)


def stem(prefix: str) -> str:
    """The name in a tag prefix: `hatch-v` -> `hatch`, `langchain-core==` -> `langchain-core`,
    `pkg@` -> `pkg`, `v` and `v.` -> ``."""
    name = prefix.rstrip(_SEPARATORS)
    if name[-1:] in ("v", "V"):
        name = name[:-1].rstrip(_SEPARATORS)
    return name


_SEPARATORS = "-_./=@"


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def recent_tags(repo_dir: str) -> list[str]:
    """Every tag, newest first by tag date (one `git for-each-ref`); [] without git."""
    from release_guard.findings import InputError
    from release_guard.source import git_output

    try:
        listing = git_output(
            repo_dir,
            "for-each-ref",
            "--sort=-creatordate",
            "--format=%(refname:strip=2)",
            "refs/tags/",
            check=False,
        )
    except InputError:
        return []
    return [name for name in listing.split("\n") if name]  # splitlines() cuts at U+0085 too


def mismatch_note(
    tags_newest_first: tuple[str, ...], tag_format: str, name: str | None
) -> str | None:
    """A note when the recent release tags follow another format than the configured one."""
    learned = _learned(tags_newest_first, name)
    if learned is None or learned == tag_format:
        return None
    return (
        f"the recent release tags follow {learned!r}, not tag-format {tag_format!r}: "
        f"set tag-format = {learned!r} in [tool.release-guard] if that is the format"
    )
