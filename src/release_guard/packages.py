"""`release-guard packages [--tag TAG]`: the directories to build, one per line.

A single project prints `.`; a workspace (docs/workspaces.md) prints every package's
directory, or with `--tag` the tagged package's only, so a CI tag build builds that package
alone: `python -m build --outdir dist DIR` for each line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def package_directories(root: str, tag: str | None) -> list[str]:
    from release_guard.config import load_project
    from release_guard.source import WorkTree

    source = WorkTree(root)
    project = load_project(source)
    if not project.is_workspace:
        return ["."]
    from release_guard.findings import InputError
    from release_guard.workspace import load_workspace

    workspace = load_workspace(source, project)
    if tag is None:
        return [package.path for package in workspace.packages]
    package = workspace.match(tag)
    if package is None:
        raise InputError(workspace.unmatched(tag))
    return [package.path]


def main(argv: Sequence[str] | None = None) -> int:
    from release_guard.arguments import add_root_argument, project_root
    from release_guard.findings import InputError
    from release_guard.report import Outcome, default_format, emit

    parser = argparse.ArgumentParser(
        prog="release-guard packages",
        description="Print the directory of each package to build, one per line: '.' for a "
        "single project; in a workspace every package's, or with --tag the tagged one's.",
    )
    parser.add_argument("--tag", help="only the package this release tag belongs to")
    add_root_argument(parser)
    args = parser.parse_args(argv)
    root = project_root(parser, args.root)
    try:
        directories = package_directories(root, args.tag)
    except InputError as error:
        code = 2 if error.finding.code.startswith("RG0") else 1
        emit("packages", Outcome([error.finding], []), default_format(), False, code, sys.stderr)
        return code
    sys.stdout.write("".join(f"{directory}\n" for directory in directories))
    return 0
