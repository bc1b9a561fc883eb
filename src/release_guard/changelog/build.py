"""`prepare` for projects whose changelog a tool compiles from news fragments.

towncrier (or scriv) itself renders the release: it runs on a scratch copy of the files it
reads (its configuration, the changelog, the fragment directories), so that the result is
judged by the release rules before anything in the project is written, and nothing is written
when it fails. `prepare` then writes the compiled changelog and removes the consumed
fragments (`git rm`, as towncrier does).
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, NamedTuple

from release_guard.edit import Change, Refusal

if TYPE_CHECKING:
    from release_guard.changelog.model import Changelog
    from release_guard.config import Project
    from release_guard.source import Source

COMMANDS = {
    "towncrier": ("towncrier", "build", "--version", "{version}", "--date", "{date}", "--yes"),
    "scriv": ("scriv", "collect", "--version", "{version}"),
}
EXTRAS = {"towncrier": "release-guard[towncrier]", "scriv": "scriv"}


class Built(NamedTuple):
    change: Change
    removed: list[str]
    summary: list[str]


def executable(tool: str) -> str | None:
    """The tool beside this Python first (the same virtual environment), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), tool)
    for candidate in (beside, beside + ".exe"):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(tool)


def build_with_tool(
    source: Source, project: Project, changelog: Changelog, version: str, day: datetime.date
) -> Built:
    tool = changelog.format
    program = executable(tool)
    if program is None:
        raise Refusal(
            "RG607",
            f"the changelog is compiled by {tool}, which is not installed: nothing written",
            f"pip install '{EXTRAS[tool]}', then run release-guard prepare again",
            changelog.path,
        )
    fragments = [fragment.path for fragment in changelog.fragments or []]
    if not fragments:
        raise Refusal(
            "RG601",
            f"no news fragments wait in {changelog.fragment_dir}/: there is nothing to release",
            f"add the release's fragments to {changelog.fragment_dir}/ first",
            changelog.fragment_dir,
        )
    with tempfile.TemporaryDirectory(prefix="release-guard-") as scratch:
        copied = _copy_inputs(source, changelog, scratch)
        for args in (["init", "-q"], ["add", "-A"]):
            subprocess.run(["git", *args], cwd=scratch, capture_output=True, check=False)
        command = [
            program,
            *(part.format(version=version, date=day.isoformat()) for part in COMMANDS[tool][1:]),
        ]
        result = subprocess.run(command, cwd=scratch, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            lines = (result.stderr or result.stdout).strip().splitlines() or ["no output"]
            raise Refusal(
                "RG605",
                f"{tool} could not build the release {version}: {lines[-1]}",
                f"run `{' '.join(COMMANDS[tool][:2])} --draft` to see why; nothing was written",
                changelog.path,
            )
        with open(os.path.join(scratch, *changelog.path.split("/")), "rb") as handle:
            after = handle.read()
        removed = [path for path in copied if path in fragments and not _exists(scratch, path)]
    before = source.read_bytes(changelog.path)
    summary = [
        f"{changelog.path}: {tool} compiled {len(removed)} news fragment(s) into {version}",
    ]
    if tool == "scriv" and day != datetime.date.today():
        # scriv collect takes no date: its entry carries the day it runs
        summary.append(f"{changelog.path}: scriv dates the entry itself (today), not {day}")
    return Built(Change(changelog.path, before, after), removed, summary)


def _exists(root: str, path: str) -> bool:
    return os.path.exists(os.path.join(root, *path.split("/")))


def _copy_inputs(source: Source, changelog: Changelog, scratch: str) -> list[str]:
    """The files the tool reads, copied into `scratch`; the paths copied."""
    wanted = ["pyproject.toml", "towncrier.toml", "setup.cfg", changelog.path]
    directories = [changelog.fragment_dir or ""]
    while directories:
        directory = directories.pop()
        for name, is_dir in source.list_dir(directory) or []:
            path = f"{directory}/{name}" if directory else name
            (directories if is_dir else wanted).append(path)
    copied = []
    for path in wanted:
        data = source.read_bytes(path)
        if data is None:
            continue
        target = os.path.join(scratch, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
        copied.append(path)
    return copied
