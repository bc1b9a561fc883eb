"""`release-guard version [TAG]`: the version a release tag names (or the project's), and
whether it is a pre-release, as `key=value` lines a workflow appends to $GITHUB_OUTPUT.

The release workflow marks a GitHub Release `--prerelease` from it, and action.yml's
`version` output is it: one reading of tag-format and PEP 440 for both.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from release_guard.arguments import add_root_argument, project_root
from release_guard.config import load_project
from release_guard.findings import Finding, InputError, input_error
from release_guard.pep440 import parse_version
from release_guard.source import WorkTree


def release_info(root: str, tag: str | None) -> dict[str, str]:
    source = WorkTree(root)
    project = load_project(source)
    if tag is not None:
        version = project.config.version_in_tag(tag)
        if version is None:
            raise InputError(
                Finding(
                    "RG004",
                    f"tag {tag!r} does not follow tag-format {project.config.tag_format!r}",
                    hint="pass a release tag, or set tag-format in [tool.release-guard]",
                )
            )
    else:
        from release_guard.versions.rules import check_versions

        version = check_versions(project, source).version
        if version is None:
            raise input_error("RG004", "the project has no version to report")
        tag = project.config.tag_for(version)
    parsed = parse_version(version)
    if parsed is None:
        raise input_error("RG004", f"{version!r} is not a valid version")
    prerelease = "true" if parsed.is_prerelease else "false"
    return {"version": version, "tag": tag, "prerelease": prerelease}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-guard version",
        description="Print the version TAG releases (default: the project's version) and "
        "whether it is a pre-release, as key=value lines for $GITHUB_OUTPUT.",
    )
    parser.add_argument("tag", nargs="?", help="a release tag, e.g. v1.2.0rc1")
    add_root_argument(parser)
    args = parser.parse_args(argv)
    info = release_info(project_root(parser, args.root), args.tag)
    sys.stdout.write("".join(f"{key}={value}\n" for key, value in info.items()))
    return 0
