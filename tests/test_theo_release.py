"""The seed's release history, played end to end on examples/theo-openvoice.

A copy of the example becomes a git repository with a local bare remote; release-guard is
adopted with `init --hook-repo` (the hook served by a local copy of this checkout, since the
public hook repository cannot be reached; tests/test_adoption.py plays the default local hook), 0.2.0 is released with `prepare`, the tag guard and
release.yml run locally (tests/workflow_runner.py); then each classic mistake is made and must
be refused at the earliest place it can be seen, with its rule code.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import git, run_rg
from release_guard import __version__
from workflow_runner import LocalRunner, RunResult

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "theo-openvoice"
TOOLS_BIN = Path(sys.executable).parent
RELEASE_WORKFLOW = ".github/workflows/release.yml"
# The install step would pip-install Theo and its tools: the test's environment holds the tools
# and each clone's src/ goes on PYTHONPATH (tests/workflow_runner.py).
INSTALLED = dict.fromkeys(
    (
        "Install the project and its tools",
        "Install the build tools (not the project)",
        "Install release-guard (not the project)",
    ),
    "the test environment's tools",
)
HOOKS_STEP = "Hooks (pre-commit run --all-files)"
VERIFY_STEP = "Verify the wheel and sdist, record their sha256"
CRITICAL = {"theo/__init__.py", "theo/py.typed", "theo/_types.py", "theo/proto/stt_worker.proto"}
TODAY = datetime.date.today().isoformat()


class Released(NamedTuple):
    """Theo after adopting release-guard and releasing 0.2.0, and what each step said."""

    repo: Path
    remote: Path
    env: dict[str, str]  # caches shared by every run, as a developer's machine keeps them
    hooks: Path  # the hook repository
    init: subprocess.CompletedProcess[str]
    prepare: subprocess.CompletedProcess[str]
    push: subprocess.CompletedProcess[str]
    ci: RunResult
    runner: LocalRunner


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """A command as the developer types it; git's hooks see the same environment."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def said(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def hook_repository(target: Path) -> Path:
    """This checkout's tracked files as a hook repository tagged with this version, standing in
    for the public one that init's config names."""
    listed = git(ROOT, "ls-files", "-z").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "release-guard under test")
    git(target, "tag", f"v{__version__}")
    return target


def append_entry(repo: Path, subsection: str, entry: str) -> None:
    """Write an entry under [Unreleased], as a contributor does with their change."""
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text()
    heading = f"### {subsection}\n\n"
    unreleased = text.index("## [Unreleased]\n") + len("## [Unreleased]\n")
    section_end = text.index("\n## [", unreleased)
    block = text[unreleased:section_end]
    if heading in block:
        at = unreleased + block.index(heading) + len(heading)
        text = text[:at] + f"- {entry}\n" + text[at:]
    else:
        text = text[:section_end] + f"\n{heading}- {entry}\n" + text[section_end:]
    changelog.write_text(text)


def release_runner(remote: Path, tag: str, run_dir: Path, env: dict[str, str]) -> LocalRunner:
    return LocalRunner(remote, tag, run_dir, TOOLS_BIN, INSTALLED, env)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Released]:
    base = tmp_path_factory.mktemp("theo")
    env = {"PRE_COMMIT_HOME": str(base / "pre-commit"), "MYPY_CACHE_DIR": str(base / "mypy")}
    hooks = hook_repository(base / "release-guard")
    repo, remote = base / "theo", base / "theo.git"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        shutil.copytree(EXAMPLE, repo)
        git(base, "init", "-q", "--bare", str(remote))
        git(repo, "init", "-q")
        git(repo, "remote", "add", "origin", str(remote))
        git(repo, "add", "-A")
        # M1 was committed and tagged on the day its changelog section says (RG306); the rest
        # happens today, the day `prepare` dates 0.2.0
        patch.setenv("GIT_COMMITTER_DATE", "2026-02-07T12:00:00+00:00")
        git(repo, "commit", "-qm", "M1: foundation")
        git(repo, "tag", "v0.1.0")
        git(repo, "push", "-q", "origin", "main", "v0.1.0")
        patch.delenv("GIT_COMMITTER_DATE")
        patch.delenv("GIT_AUTHOR_DATE")

        # Adoption: one command, then the hook installed as init says.
        init = run_rg("init", "--hook-repo", f"{hooks}@v{__version__}", cwd=repo)
        assert run(repo, str(TOOLS_BIN / "pre-commit"), "install").returncode == 0
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "Adopt release-guard")

        # M2 work lands with its changelog entries; the hook checks every commit.
        (repo / "src/theo/worker.py").write_text('"""The gRPC STT worker."""\n')
        append_entry(repo, "Added", "gRPC STT worker process (`theo.worker`).")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "M2: worker")
        append_entry(repo, "Fixed", "Transcript durations of zero-length segments.")
        git(repo, "commit", "-qam", "Fix zero-length durations")

        # The release: steps 1-2 by prepare, then the commands it prints.
        prepare = run_rg("prepare", "minor", cwd=repo)
        for line in prepare.stdout.splitlines():
            if line.startswith("  git commit "):
                assert line.strip() == (
                    "git commit -m 'release: v0.2.0' -- pyproject.toml src/theo/__init__.py "
                    "CHANGELOG.md"
                )
        git(
            repo,
            "commit",
            "-qm",
            "release: v0.2.0",
            "--",
            "pyproject.toml",
            "src/theo/__init__.py",
            "CHANGELOG.md",
        )
        git(repo, "tag", "v0.2.0")
        push = run(repo, "git", "push", "origin", "main", "v0.2.0")
        runner = release_runner(remote, "v0.2.0", base / "ci-0.2.0", env)
        yield Released(
            repo, remote, env, hooks, init, prepare, push, runner.run(RELEASE_WORKFLOW), runner
        )


def test_init_sets_theo_up(released: Released) -> None:
    assert released.init.returncode == 0, said(released.init)
    repo = released.repo
    assert "pyproject.toml: [tool.release-guard] exists: left as it is" in released.init.stdout
    assert (repo / ".github/workflows/release.yml").is_file()
    assert f"  - repo: {released.hooks}\n    rev: v{__version__}\n" in (
        (repo / ".pre-commit-config.yaml").read_text()
    )
    assert (repo / ".git/hooks/pre-push").is_file()
    assert (repo / "pyproject.toml").read_text().count("[tool.release-guard]") == 1


def test_prepare_makes_the_release_commit(released: Released) -> None:
    assert released.prepare.returncode == 0, said(released.prepare)
    repo = released.repo
    files = git(repo, "show", "--name-only", "--format=", "v0.2.0").splitlines()
    assert sorted(files) == ["CHANGELOG.md", "pyproject.toml", "src/theo/__init__.py"]
    assert 'version = "0.2.0"' in git(repo, "show", "v0.2.0:pyproject.toml")
    assert '__version__ = "0.2.0"' in git(repo, "show", "v0.2.0:src/theo/__init__.py")
    changelog = git(repo, "show", "v0.2.0:CHANGELOG.md")
    assert f"## [Unreleased]\n\n## [0.2.0] - {TODAY}\n\n### Added\n\n- gRPC" in changelog
    assert (
        "[unreleased]: https://github.com/theo-openvoice/theo-openvoice/compare/v0.2.0...HEAD\n"
        in changelog
    )
    assert (
        "[0.2.0]: https://github.com/theo-openvoice/theo-openvoice/compare/v0.1.0...v0.2.0"
        in changelog
    )


def test_the_guard_lets_the_release_through(released: Released) -> None:
    assert released.push.returncode == 0, said(released.push)
    assert git(released.remote, "rev-parse", "v0.2.0^{commit}") == git(
        released.repo, "rev-parse", "HEAD"
    )


def test_release_workflow_publishes_wheel_sdist_and_notes(released: Released) -> None:
    result, runner = released.ci, released.runner
    assert result.failed_step() is None, result.failed_step()
    assert result.jobs == {
        "build / gate": "success",
        "build / dist": "success",
        "build": "success",
        "provenance": "success",
        "pypi": "skipped",  # init writes the PyPI job switched off
        "publish": "success",
    }
    ran = {name for _, name, status in result.statuses() if status == "success"}
    assert {HOOKS_STEP, VERIFY_STEP, "Create the GitHub Release"} <= ran
    [release] = runner.gh_calls()
    wheel, sdist = "theo_openvoice-0.2.0-py3-none-any.whl", "theo_openvoice-0.2.0.tar.gz"
    assert (release["tag"], set(release["files"])) == ("v0.2.0", {wheel, sdist})
    with zipfile.ZipFile(runner.artifacts / "dist" / "dist" / wheel) as archive:
        assert set(archive.namelist()) >= CRITICAL
    assert release["notes"].strip() == (
        "### Added\n\n- gRPC STT worker process (`theo.worker`).\n\n"
        "### Fixed\n\n- Transcript durations of zero-length segments."
    )


# -- the mistakes: each from a copy of released Theo -------------------------------------------


@pytest.fixture
def theo(released: Released, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A copy of released Theo (repository and remote) for one mistake."""
    repo, remote = tmp_path / "theo", tmp_path / "theo.git"
    shutil.copytree(released.repo, repo, symlinks=True)
    shutil.copytree(released.remote, remote, symlinks=True)
    git(repo, "remote", "set-url", "origin", str(remote))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in released.env.items():
            patch.setenv(name, value)
        yield repo, remote


def remote_tags(remote: Path) -> list[str]:
    return git(remote, "tag", "--list").splitlines()


def bump_by_hand(repo: Path, version: str, init: bool = True, dated: bool = True) -> None:
    """A release made by editing the files, as before release-guard."""
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', pyproject.read_text())
    )
    if init:
        module = repo / "src/theo/__init__.py"
        module.write_text(module.read_text().replace('"0.2.0"', f'"{version}"'))
    changelog = repo / "CHANGELOG.md"
    heading = f"## [{version}] - {TODAY}" if dated else f"## [{version}]"
    changelog.write_text(
        changelog.read_text().replace("## [Unreleased]\n", f"## [Unreleased]\n\n{heading}\n")
    )


def test_tag_on_a_commit_still_at_0_2_0_is_refused_at_push(theo: tuple[Path, Path]) -> None:
    repo, remote = theo
    append_entry(repo, "Added", "Batch API.")
    git(repo, "commit", "-qam", "M3: batch API")
    git(repo, "tag", "v0.3.0")  # forgot: prepare, and the release commit
    push = run(repo, "git", "push", "origin", "main", "v0.3.0")
    assert push.returncode != 0
    assert "RG301" in push.stderr
    assert "v0.3.0" not in remote_tags(remote)


def test_forgotten_init_bump_is_refused_at_commit_then_push_then_ci(
    theo: tuple[Path, Path], tmp_path: Path, released: Released
) -> None:
    repo, remote = theo
    append_entry(repo, "Added", "Batch API.")
    git(repo, "commit", "-qam", "M3: batch API")
    bump_by_hand(repo, "0.3.0", init=False)
    commit = run(repo, "git", "commit", "-qam", "release: v0.3.0")
    assert commit.returncode != 0
    assert "src/theo/__init__.py:7: RG104" in said(commit)
    # Each later place refuses it too, for whoever skips the earlier one.
    assert run(repo, "git", "commit", "--no-verify", "-qam", "release: v0.3.0").returncode == 0
    git(repo, "tag", "v0.3.0")
    push = run(repo, "git", "push", "origin", "main", "v0.3.0")
    assert push.returncode != 0
    assert "RG104" in push.stderr
    assert "v0.3.0" not in remote_tags(remote)
    assert run(repo, "git", "push", "--no-verify", "origin", "main", "v0.3.0").returncode == 0
    runner = release_runner(remote, "v0.3.0", tmp_path / "ci", released.env)
    result = runner.run(RELEASE_WORKFLOW)
    failed = result.failed_step()
    assert failed is not None
    assert failed.name == HOOKS_STEP
    assert "RG104" in failed.output
    assert runner.gh_calls() == []


def test_wheel_without_py_typed_is_refused_in_ci(
    theo: tuple[Path, Path], tmp_path: Path, released: Released
) -> None:
    repo, remote = theo
    git(repo, "rm", "-q", "src/theo/py.typed")  # a cleanup that goes one file too far
    append_entry(repo, "Changed", "Internal cleanup.")
    git(repo, "commit", "-qam", "Clean up")
    assert run_rg("prepare", "patch", cwd=repo).returncode == 0
    git(repo, "commit", "-qam", "release: v0.2.1")
    git(repo, "tag", "v0.2.1")
    push = run(repo, "git", "push", "origin", "main", "v0.2.1")
    assert push.returncode == 0, said(push)  # the sources are a fine release...
    runner = release_runner(remote, "v0.2.1", tmp_path / "ci", released.env)
    result = runner.run(RELEASE_WORKFLOW)
    failed = result.failed_step()
    assert failed is not None
    assert failed.name == VERIFY_STEP  # ...the wheel is not
    assert "RG405" in failed.output
    assert "theo/py.typed" in failed.output
    assert runner.gh_calls() == []


def test_undated_section_is_refused_at_commit(theo: tuple[Path, Path]) -> None:
    repo, _ = theo
    append_entry(repo, "Added", "Batch API.")
    git(repo, "commit", "-qam", "M3: batch API")
    bump_by_hand(repo, "0.3.0", dated=False)
    head = git(repo, "rev-parse", "HEAD")
    commit = run(repo, "git", "commit", "-qam", "release: v0.3.0")
    assert commit.returncode != 0
    assert "CHANGELOG.md:10: RG204 [0.3.0] has no date" in said(commit)
    assert git(repo, "rev-parse", "HEAD") == head
