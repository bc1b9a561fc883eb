"""Arguments every command shares (--root, --format, --quiet), and finding the project root.

Kept apart from the commands so that each imports only what it runs.
"""

from __future__ import annotations

import os

from release_guard.config import LEGACY_FILES, PYPROJECT
from release_guard.report import FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def find_root(start: str) -> str:
    """The nearest directory at or above `start` that holds a pyproject.toml (or, for a
    project without one, a setup.cfg or setup.py); in a workspace's member, the workspace's
    root (docs/workspaces.md)."""
    current = os.path.abspath(start)
    while not any(
        os.path.isfile(os.path.join(current, name)) for name in (PYPROJECT, *LEGACY_FILES)
    ):
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.abspath(start)
        current = parent
    return _workspace_root(current) or current


def _workspace_root(project: str) -> str | None:
    """The directory above `project`, within its git repository, whose pyproject.toml declares
    a workspace; None at the repository's root (one stat: where the hook runs)."""
    current = project
    while not os.path.exists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
        try:
            with open(os.path.join(current, PYPROJECT), "rb") as handle:
                text = handle.read()
        except OSError:
            continue
        if b"[tool.uv.workspace]" in text or b"tool.release-guard.packages" in text:
            return current
    return None


def add_root_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", help="project directory (default: the nearest one with a pyproject.toml)"
    )


def project_root(parser: argparse.ArgumentParser, root: str | None) -> str:
    """--root as given, which must be a directory; else the nearest project at or above here.
    A project whose files an interrupted write left half done is refused (RG609)."""
    if root is None:
        root = find_root(".")
    elif not os.path.isdir(root):
        parser.error(f"--root {root}: not a directory")
    refuse_if_interrupted(root)
    return root


def refuse_if_interrupted(root: str) -> None:
    """RG609 when release_guard.journal's journal is there (one stat otherwise)."""
    if os.path.exists(os.path.join(root, ".release-guard", "journal.json")):
        from release_guard.journal import refuse_if_interrupted as refuse

        refuse(root)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: github when GITHUB_ACTIONS=true, else text)",
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print only problems, without hints"
    )
