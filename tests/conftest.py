"""Shared fixtures: real git repositories in temp dirs, shaped like the seed's Theo project."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import pytest

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
        # As under any CI: `check` then says nothing about a missing tag guard (tests that
        # judge that note set CI="").
        CI="true",
    )
    for name in (
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
