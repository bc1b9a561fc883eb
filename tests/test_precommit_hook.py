"""The hook repository for real: pre-commit installs this checkout and runs `release-guard`.

One PRE_COMMIT_HOME per session, so the hook environment of the snapshot repository is
built once; `try-repo` (which copies uncommitted changes too) is exercised on its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MakeProject, git

CHECKOUT = Path(__file__).resolve().parents[1]
HOOK_ID = "release-guard"

# the seed's 0.3.0 is dated, but [Unreleased] still holds an entry: fine on a branch,
# not in the release workflow's tag build
RELEASE_030 = """\
# Changelog

## [Unreleased]

### Added

- M4: pipelines.

## [0.3.0] - 2026-03-01

### Added

- M3: batch API and CLI.

## [0.1.0] - 2026-02-07

### Added

- M1 foundation.
"""


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding the checkout's working tree as it is now (like try-repo)."""
    snapshot = tmp_path_factory.mktemp("hook-repository")
    listed = git(CHECKOUT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = CHECKOUT / name
        if source.is_file():  # a tracked file another engineer is deleting right now
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-qm", "snapshot of the checkout")
    return snapshot, git(snapshot, "rev-parse", "HEAD")


def pre_commit(
    cwd: Path, *args: str, env: dict[str, str], extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env, **(extra_env or {})},
        check=False,
    )


@pytest.fixture
def with_hook(make_project: MakeProject, hook_repository: tuple[Path, str]) -> MakeProject:
    """make_project, plus a .pre-commit-config.yaml using the hook from the snapshot."""
    repository, rev = hook_repository
    config = (
        f"repos:\n  - repo: {repository.as_uri()}\n    rev: {rev}\n"
        f"    hooks:\n      - id: {HOOK_ID}\n"
    )

    def make(version: str = "0.1.0", files: dict[str, str | bytes | None] | None = None) -> Path:
        return make_project(
            version=version, files={".pre-commit-config.yaml": config, **(files or {})}
        )

    return make


def test_manifest_is_valid_and_offers_the_hook(pre_commit_env: dict[str, str]) -> None:
    result = pre_commit(CHECKOUT, "validate-manifest", ".pre-commit-hooks.yaml", env=pre_commit_env)
    assert result.returncode == 0, result.stdout + result.stderr
    import yaml  # type: ignore[import-untyped]  # pre-commit's own dependency, no stubs

    manifest = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = (entry for entry in manifest if entry["id"] == HOOK_ID)
    assert hook["id"] == HOOK_ID
    assert hook["entry"] == "release-guard check"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True
    assert hook["stages"] == ["pre-commit", "pre-push", "manual"]
    assert hook["minimum_pre_commit_version"] == "3.2.0"


@pytest.mark.parametrize(
    ("files", "code"),
    [({}, 0), ({"src/theo/__init__.py": '__version__ = "0.2.0"\n'}, 1)],
    ids=["good", "bad"],
)
def test_try_repo_of_this_checkout(
    make_project: MakeProject,
    pre_commit_env: dict[str, str],
    files: dict[str, str | None],
    code: int,
) -> None:
    # the way a contributor tries the hook before committing: uncommitted changes included
    root = make_project(files=files)
    result = pre_commit(root, "try-repo", str(CHECKOUT), HOOK_ID, "--all-files", env=pre_commit_env)
    assert result.returncode == code, result.stdout + result.stderr
    hook_line = next(
        line for line in result.stdout.splitlines() if line.startswith("release-guard.")
    )
    assert hook_line.endswith("Passed" if code == 0 else "Failed")
    if code:
        assert "src/theo/__init__.py:1: RG104 version '0.2.0' differs from '0.1.0'" in result.stdout


def test_hook_passes_a_good_theo_project(
    with_hook: MakeProject, pre_commit_env: dict[str, str]
) -> None:
    result = pre_commit(with_hook(), "run", "--all-files", env=pre_commit_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "release-guard" in result.stdout
    assert "Passed" in result.stdout


def test_hook_fails_a_bad_project_with_the_codes(
    with_hook: MakeProject, pre_commit_env: dict[str, str]
) -> None:
    root = with_hook(
        files={
            "src/theo/__init__.py": '__version__ = "0.2.0"\n',
            "CHANGELOG.md": "# Changelog\n\n## [0.1.0] - 2026-02-30\n\n- x\n",
        }
    )
    result = pre_commit(root, "run", HOOK_ID, "--all-files", env=pre_commit_env)
    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert " RG104 " in result.stdout
    assert " RG204 " in result.stdout


def test_installed_hook_refuses_a_bad_commit(
    with_hook: MakeProject, pre_commit_env: dict[str, str]
) -> None:
    root = with_hook()
    assert pre_commit(root, "install", env=pre_commit_env).returncode == 0
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text(encoding="utf-8").replace("0.1.0", "0.2.0"),
        encoding="utf-8",
    )
    git(root, "add", "pyproject.toml")
    env = {**os.environ, **pre_commit_env}
    refused = subprocess.run(
        ["git", "commit", "-m", "bump only one file"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert refused.returncode != 0
    assert " RG104 " in refused.stdout + refused.stderr
    assert git(root, "rev-list", "--count", "HEAD") == "1"


def test_tag_build_enforces_release_rules_with_no_flag(
    with_hook: MakeProject, pre_commit_env: dict[str, str]
) -> None:
    root = with_hook(version="0.3.0", files={"CHANGELOG.md": RELEASE_030})
    on_branch = pre_commit(root, "run", "--all-files", env=pre_commit_env)
    assert on_branch.returncode == 0, on_branch.stdout
    tag_build = {"GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v0.3.0"}
    released = pre_commit(root, "run", "--all-files", env=pre_commit_env, extra_env=tag_build)
    assert released.returncode == 1
    assert "CHANGELOG.md:7: RG303 [Unreleased] still holds entries" in released.stdout
    wrong_tag = {**tag_build, "GITHUB_REF_NAME": "v0.3.1"}
    mistagged = pre_commit(root, "run", "--all-files", env=pre_commit_env, extra_env=wrong_tag)
    assert mistagged.returncode == 1
    assert " RG301 tag v0.3.1 does not match version 0.3.0" in mistagged.stdout
