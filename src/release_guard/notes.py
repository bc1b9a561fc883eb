"""`release-guard notes VERSION|TAG`: one version's changelog section, as release notes.

The body goes to stdout (or --output) and nothing else does: problems go to stderr, so
`release-guard notes v1.2.0 > notes.md` never captures an error message as release notes.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from release_guard.findings import Finding, InputError
from release_guard.pep440 import parse_version
from release_guard.report import Outcome, default_format, emit
from release_guard.source import Source, WorkTree

if TYPE_CHECKING:
    from release_guard.changelog.model import Changelog
    from release_guard.config import Config, Project

_REFERENCE_USE = re.compile(r"\[([^\[\]]+)\](?!\(|:)")


class Notes(NamedTuple):
    version: str
    text: str | None  # None when there is a finding instead
    findings: list[Finding]
    changelog: str = ""  # the changelog file read (found, not only configured)


def requested_version(argument: str, config: Config) -> str:
    """A tag (refs/tags/ optional) names its version under tag-format; else it is one."""
    tag = argument[len("refs/tags/") :] if argument.startswith("refs/tags/") else argument
    return config.version_in_tag(tag) or tag


def release_notes(source: Source, argument: str, project: Project | None = None) -> Notes:
    from release_guard.changelog import load, section_for
    from release_guard.changelog.rules import gathered
    from release_guard.config import load_project

    project = project or load_project(source)
    config = project.config
    version = requested_version(argument, config)
    located, changelog = load(source, project)
    if changelog is None:
        finding = Finding("RG201", f"changelog {located.path} does not exist", located.path)
        return Notes(version, None, [finding], located.path)
    if changelog.format == "none":
        message = "changelog = false: the release notes are written elsewhere"
        return Notes(version, None, [Finding("RG501", message, "pyproject.toml")], located.path)
    section = section_for(changelog, version)
    if section is None:
        waiting = _unreleased_body(changelog, version, config.pre_releases)
        if waiting is not None:
            return Notes(version, as_markdown(changelog, waiting), [], located.path)
        return Notes(version, None, [_missing(changelog, version)], located.path)
    bodies = (
        [section.body] if section.has_entries else [r.body for r in gathered(changelog, section)]
    )
    if not bodies:
        finding = Finding(
            "RG502",
            f"[{section.version}] has no entries: a release without notes is refused",
            changelog.path,
            section.line,
        )
        return Notes(version, None, [finding], located.path)
    text = "\n\n".join(as_markdown(changelog, body) for body in bodies)
    return Notes(version, text, [], located.path)


def _unreleased_body(changelog: Changelog, version: str, mode: str) -> tuple[int, int] | None:
    """With `pre-releases = "unreleased"`, a pre-release's notes are the Unreleased entries."""
    parsed = parse_version(version)
    if mode != "unreleased" or parsed is None or not parsed.is_prerelease:
        return None
    sections = [u for u in changelog.unreleased if u.line is not None and u.first_entry]
    return sections[0].body if sections else None


def as_markdown(changelog: Changelog, body: tuple[int, int]) -> str:
    """A body as Markdown: RST converted, Markdown given the link definitions it uses."""
    text = changelog.body_text(body)
    if changelog.markup == "rst":
        from release_guard.changelog.notes_markdown import rst_to_markdown

        return rst_to_markdown(text)
    return with_used_references(changelog, text)


def _missing(changelog: Changelog, version: str) -> Finding:
    valid = parse_version(version) is not None
    known = ", ".join(r.version for r in changelog.releases[:5]) or "none"
    message = (
        f"no section for version {version} (releases: {known})"
        if valid
        else f"{version!r} is neither a version nor a tag following tag-format"
    )
    return Finding("RG501", message, changelog.path)


def with_used_references(changelog: Changelog, body: str) -> str:
    """The body, plus the link reference definitions it uses that it lacks.

    Markdown changelogs define links like [#12]: at the end of the file, outside every
    section; without them the published notes would show the bare brackets.
    """
    present = set(body.split("\n"))
    used = {label.strip().lower() for label in _REFERENCE_USE.findall(body)}
    definitions = [
        changelog.lines[line - 1].strip()
        for label, line in changelog.links.items()
        if label in used and changelog.lines[line - 1] not in present
    ]
    return body + "\n\n" + "\n".join(definitions) if definitions else body


def main(argv: Sequence[str] | None = None) -> int:
    from release_guard.arguments import add_output_arguments, add_root_argument, project_root
    from release_guard.config import load_project
    from release_guard.edit import write_atomic

    parser = argparse.ArgumentParser(
        prog="release-guard notes",
        description="Print the body of a version's changelog section (no heading), "
        "ready for `gh release create --notes-file`.",
    )
    parser.add_argument("version", metavar="VERSION|TAG", help="e.g. 1.2.0 or v1.2.0")
    add_root_argument(parser)
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the notes to FILE (only on success)"
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    root = project_root(parser, args.root)
    if args.output is not None and not os.path.isdir(os.path.dirname(args.output) or "."):
        parser.error(f"--output {args.output}: its directory does not exist")
    fmt = args.format or default_format()

    def fail(outcome: Outcome, exit_code: int) -> int:
        emit("notes", outcome, fmt, args.quiet, exit_code, stream=sys.stderr)
        return exit_code

    source = WorkTree(root)
    try:
        project = load_project(source)
        notes = release_notes(source, args.version, project)
    except InputError as error:
        return fail(Outcome([error.finding], []), 2)
    if args.output is not None and _names_one_of(
        args.output, root, [*project.own_files(), notes.changelog]
    ):
        parser.error(f"--output {args.output}: that is a file of the project, not for notes")
    if notes.text is None:
        return fail(Outcome(notes.findings, []), 1)
    if args.output is None:
        _print_utf8(notes.text + "\n")
        return 0
    try:
        write_atomic(args.output, (notes.text + "\n").encode("utf-8"))
    except OSError as error:
        parser.exit(
            2, f"release-guard notes: error: cannot write {args.output}: {error.strerror}\n"
        )
    return 0


def _names_one_of(output: str, root: str, paths: Sequence[str]) -> bool:
    target = os.path.realpath(output)
    return any(os.path.realpath(os.path.join(root, path)) == target for path in paths)


def _print_utf8(text: str) -> None:
    """UTF-8 whatever the console's encoding: notes are Markdown for GitHub, not for cp1252."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
