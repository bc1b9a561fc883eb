"""README's adoption, as a new user plays it on a machine whose only network is PyPI.

This checkout is built into a wheel, pip-installed into a fresh virtual environment with
pre-commit, and adopted by a Theo-like project with `init`'s default hook config (`repo:
local`: nothing to download). The first commit passes, the four classic mistakes are stopped,
and a release made with `prepare` and an annotated tag travels through `git push --follow-tags`
and the tag guard to a bare remote.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import git, theo_files, write
from release_guard import __version__

ROOT = Path(__file__).resolve().parents[1]


class Adopter(NamedTuple):
    bin: Path  # the fresh environment's scripts
    env: dict[str, str]  # the user's shell: that environment activated, caches in temp


def sh(cwd: Path, adopter: Adopter, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=adopter.env, capture_output=True, text=True, check=False
    )


def said(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def adopter(tmp_path_factory: pytest.TempPathFactory) -> Adopter:
    base = tmp_path_factory.mktemp("adopter")
    # The wheel, built by the real backend from this checkout (hatchling is a test dependency).
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(base), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = base.glob("release_guard-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel), "pre-commit"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("VIRTUAL_ENV", "PYTHON", "PYTEST_"))
    }
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env["PATH"]])
    env["PRE_COMMIT_HOME"] = str(base / "pre-commit-home")
    return Adopter(venv / "bin", env)


class Adopted(NamedTuple):
    repo: Path
    remote: Path
    init: subprocess.CompletedProcess[str]
    first_commit: subprocess.CompletedProcess[str]


@pytest.fixture
def adopted(adopter: Adopter, tmp_path: Path) -> Adopted:
    repo, remote = tmp_path / "theo", tmp_path / "theo.git"
    repo.mkdir()
    write(repo, theo_files("0.1.0"))
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "init", "-q")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "M1")
    git(repo, "push", "-q", "origin", "main")
    init = sh(repo, adopter, "release-guard", "init")
    assert sh(repo, adopter, "pre-commit", "install").returncode == 0
    git(repo, "add", "-A")
    first_commit = sh(repo, adopter, "git", "commit", "-m", "Adopt release-guard")
    return Adopted(repo, remote, init, first_commit)


def test_installed_from_the_wheel(adopter: Adopter) -> None:
    version = subprocess.run(
        [str(adopter.bin / "release-guard"), "--version"], capture_output=True, text=True
    )
    assert version.stdout == f"release-guard {__version__}\n"


def test_init_then_the_first_commit_passes(adopted: Adopted) -> None:
    assert adopted.init.returncode == 0, said(adopted.init)
    assert "- repo: local" in (adopted.repo / ".pre-commit-config.yaml").read_text()
    assert adopted.first_commit.returncode == 0, said(adopted.first_commit)
    assert "release-guard" in said(adopted.first_commit)  # the hook ran
    assert git(adopted.repo, "status", "--porcelain") == ""


def bump(repo: Path, version: str, init_too: bool = True, section: str | None = None) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('version = "0.1.0"', f'version = "{version}"')
    )
    if init_too:
        module = repo / "src/theo/__init__.py"
        module.write_text(module.read_text().replace("0.1.0", version))
    if section is not None:
        changelog = repo / "CHANGELOG.md"
        text = changelog.read_text()
        changelog.write_text(text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n{section}", 1))


def test_the_four_mistakes_are_stopped(adopter: Adopter, adopted: Adopted) -> None:
    repo = adopted.repo
    # 1. __init__.py not bumped with pyproject.toml: refused at commit.
    bump(repo, "0.2.0", init_too=False, section="## [0.2.0] - 2026-03-01\n\n- M2.\n\n")
    commit = sh(repo, adopter, "git", "commit", "-qam", "release 0.2.0")
    assert commit.returncode != 0
    assert "RG104" in said(commit)
    git(repo, "checkout", "-q", "--", ".")
    # 2. a release section without a date: refused at commit.
    bump(repo, "0.2.0", section="## [0.2.0]\n\n- M2.\n\n")
    commit = sh(repo, adopter, "git", "commit", "-qam", "release 0.2.0")
    assert commit.returncode != 0
    assert "RG204" in said(commit)
    git(repo, "checkout", "-q", "--", ".")
    # 3. entries left in [Unreleased] at release: refused at push.
    bump(repo, "0.2.0", section="- Forgotten.\n\n## [0.2.0] - 2026-03-01\n\n- M2.\n\n")
    assert sh(repo, adopter, "git", "commit", "-qam", "release 0.2.0").returncode == 0
    git(repo, "tag", "-a", "v0.2.0", "-m", "v0.2.0")
    push = sh(repo, adopter, "git", "push", "--follow-tags", "origin", "main")
    assert push.returncode != 0
    assert "RG303" in said(push)
    git(repo, "tag", "-d", "v0.2.0")
    # 4. a tag naming another version than the tagged commit carries: refused at push.
    git(repo, "tag", "-a", "v0.3.0", "-m", "v0.3.0")
    push = sh(repo, adopter, "git", "push", "origin", "v0.3.0")
    assert push.returncode != 0
    assert "RG301" in said(push)
    assert git(adopted.remote, "tag", "--list") == ""


def test_prepare_and_an_annotated_tag_reach_the_remote(
    adopter: Adopter, adopted: Adopted, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = adopted.repo
    # released today, the day prepare dates the section (RG306 compares it with the tag's date)
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text().replace("## [Unreleased]\n", "## [Unreleased]\n\n- M2 worker.\n", 1)
    )
    assert sh(repo, adopter, "git", "commit", "-qam", "M2").returncode == 0
    prepare = sh(repo, adopter, "release-guard", "prepare", "minor")
    assert prepare.returncode == 0, said(prepare)
    commit = sh(repo, adopter, "git", "commit", "-qam", "release: v0.2.0")
    assert commit.returncode == 0, said(commit)
    git(repo, "tag", "-a", "v0.2.0", "-m", "release-guard 0.2.0")
    push = sh(repo, adopter, "git", "push", "--follow-tags", "origin", "main")
    assert push.returncode == 0, said(push)
    assert git(adopted.remote, "cat-file", "-t", "v0.2.0") == "tag"  # annotated, carried
    assert git(adopted.remote, "rev-parse", "v0.2.0^{commit}") == git(repo, "rev-parse", "HEAD")
