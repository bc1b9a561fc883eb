"""Shared fixtures: real git repositories in temp dirs, shaped like the seed's Theo project."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pytest

if TYPE_CHECKING:
    from release_guard.report import Outcome

THEO_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "theo-openvoice"
version = "{version}"
description = "Theo OpenVoice"
requires-python = ">=3.9"

[tool.hatch.build.targets.wheel]
packages = ["src/theo"]
"""

THEO_CHANGELOG = """\
# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

## [0.1.0] - 2026-02-07

### Added

- M1 foundation: types, interfaces, configs, exceptions, protobuf.
"""

# The hook as a project that has release-guard installed runs it, without a download.
LOCAL_HOOK_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: release-guard
        name: release-guard
        entry: release-guard check
        language: unsupported
        pass_filenames: false
        always_run: true
"""
FIXTURE_DAY = "2026-02-20T12:00:00+00:00"

THEO_FILES = {
    "src/theo/__init__.py": '"""Theo OpenVoice."""\n\n__version__ = "{version}"\n',
    "src/theo/py.typed": "",
    "src/theo/_types.py": "Sample = bytes\n",
    "src/theo/proto/stt_worker.proto": 'syntax = "proto3";\npackage theo.stt;\n',
}


@pytest.fixture(autouse=True, scope="session")
def _isolated_git(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every git command in the tests sees one known config, never the developer's."""
    home = tmp_path_factory.mktemp("home")
    config = home / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test\n\temail = test@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n"
        "[advice]\n\tdetachedHead = false\n"
        '[protocol "file"]\n\tallow = always\n'
    )
    saved = dict(os.environ)
    os.environ.update(
        GIT_CONFIG_GLOBAL=str(config),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        # Commits and tags are made on one fixed day, close to the dates of the fixtures'
        # changelog sections (0.1.0: 2026-02-07, 0.2.0: 2026-03-01), as a real release is
        # tagged close to its changelog date (RG306 compares them).
        GIT_COMMITTER_DATE=FIXTURE_DAY,
        GIT_AUTHOR_DATE=FIXTURE_DAY,
    )
    for name in (
        "CI",  # `check` reads tag dates in CI only (RG306): tests ask for it explicitly
        "GITHUB_ACTIONS",
        "GITHUB_REF_TYPE",
        "GITHUB_REF_NAME",
        "CI_COMMIT_TAG",
        "GIT_DIR",
        "GIT_WORK_TREE",
    ):
        os.environ.pop(name, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


def git(cwd: Path, *args: str, check: bool = True, input: str | None = None) -> str:
    """Run git in `cwd`; its stdout, stripped."""
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, input=input, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def run_rg(
    *args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, `python -m release_guard`, in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "release_guard", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=input,
        env={**os.environ, **(env or {})},
        check=False,
    )


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))  # bytes as given: no newline translation


def theo_files(version: str = "0.1.0") -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "pyproject.toml": THEO_PYPROJECT.format(version=version),
        "CHANGELOG.md": THEO_CHANGELOG,
    }
    files.update({name: text.format(version=version) for name, text in THEO_FILES.items()})
    return files


MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """A Theo-like project in a fresh git repository with one commit.

    `make_project(version="0.2.0", files={...})` overrides or adds files (None deletes one).
    """
    counter = iter(range(1000))

    def make(
        version: str = "0.1.0",
        files: dict[str, str | bytes | None] | None = None,
        commit: bool = True,
    ) -> Path:
        root = tmp_path / f"project{next(counter)}"
        root.mkdir()
        contents = theo_files(version)
        for name, content in (files or {}).items():
            if content is None:
                contents.pop(name, None)
            else:
                contents[name] = content
        write(root, contents)
        git(root, "init", "-q")
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-qm", "initial")
        return root

    return make


@pytest.fixture
def bare_remote(tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    return remote


def checked(root: Path, **options: Any) -> Outcome:
    """`run_checks` on the working tree; when it is a clean git checkout, also on its HEAD
    commit read through git (as the tag guard and CI read it), asserting both read the same.

    Input errors are compared too (re-raised from the working tree's run)."""
    from release_guard.check import run_checks
    from release_guard.findings import InputError
    from release_guard.source import CatFile, GitCommit, WorkTree

    def run(source: Any) -> Outcome | InputError:
        try:
            return run_checks(source, **options)
        except InputError as error:
            return error

    on_disk = run(WorkTree(str(root)))
    clean = (root / ".git").exists() and not git(root, "status", "--porcelain")
    if clean:
        with CatFile(str(root)) as cat_file:
            in_git = run(GitCommit(cat_file, git(root, "rev-parse", "HEAD"), label="HEAD"))
        assert _comparable(in_git) == _comparable(on_disk), "the two sources read differently"
    if isinstance(on_disk, InputError):
        raise on_disk
    return on_disk


def _comparable(result: Any) -> object:
    findings = [result.finding] if hasattr(result, "finding") else result.findings
    return [f._replace(message=f.message.replace(" (at HEAD)", "")) for f in findings]
