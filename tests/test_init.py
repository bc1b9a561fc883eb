"""`release-guard init`: sets a project up once, keeps every existing byte, changes nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, git, run_rg
from release_guard import __version__
from release_guard.init import HOOK_REPOSITORY, hook_entry
from release_guard.install import is_ours
from release_guard.resources import shipped_bytes

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
HOOK_ITEM = hook_entry("  ", "\n") + "\n"


def snapshot(root: Path) -> dict[str, bytes]:
    """The project's files and its git hooks, as bytes."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        in_git = relative.parts[0] == ".git"
        if path.is_file() and (not in_git or relative.parts[1] == "hooks"):
            files[relative.as_posix()] = path.read_bytes()
    return files


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def validate_config(root: Path) -> None:
    result = subprocess.run(
        [str(PRE_COMMIT), "validate-config", ".pre-commit-config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_theo_project_gets_the_whole_pipeline_once(make_project: MakeProject) -> None:
    root = make_project()
    before = snapshot(root)
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    after = snapshot(root)
    assert changed(before, after) == [
        ".git/hooks/pre-push",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        ".pre-commit-config.yaml",
    ]
    for name in ("ci.yml", "release.yml"):
        assert after[f".github/workflows/{name}"] == shipped_bytes(name)
    assert is_ours(str(root / ".git/hooks/pre-push"))
    config = after[".pre-commit-config.yaml"].decode()
    assert f"  - repo: {HOOK_REPOSITORY}\n    rev: v{__version__}\n" in config
    validate_config(root)
    assert "pyproject.toml: no [tool.release-guard] needed" in result.stdout
    assert "git add .github/workflows/release.yml" not in result.stdout  # one git add, all files
    assert "  git add .pre-commit-config.yaml .github/workflows/release.yml" in result.stdout

    again = run_rg("init", cwd=root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert snapshot(root) == after
    assert "Next:" not in again.stdout
    assert "tag guard: installed at .git/hooks/pre-push" in again.stdout


def test_dry_run_writes_nothing(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": None})
    before = snapshot(root)
    result = run_rg("init", "--dry-run", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(root) == before
    assert "+++ b/CHANGELOG.md\n" in result.stdout
    assert "+++ b/.github/workflows/release.yml\n" in result.stdout
    assert "tag guard: would be installed" in result.stdout
    assert "dry run: nothing written" in result.stdout


def test_new_changelog_has_a_section_for_the_tagged_version(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": None})
    git(root, "tag", "v0.1.0")
    tag_day = git(root, "log", "-1", "--format=%cs", "v0.1.0")
    assert run_rg("init", cwd=root).returncode == 0
    changelog = (root / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n")
    assert f"\n## [Unreleased]\n\n## [0.1.0] - {tag_day}\n\n- " in changelog
    assert run_rg("check", "--tag", "v0.1.0", cwd=root).returncode == 0


def test_detection_misses_become_the_config_block(make_project: MakeProject) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.3.0").replace("\n", "\r\n") + "# end\r\n"
    history = "# History\n\n## [Unreleased]\n\n## [0.3.0] - 2026-01-05\n\n- Third.\n"
    root = make_project(
        files={
            "pyproject.toml": pyproject,
            "CHANGELOG.md": None,
            "HISTORY.md": history,
            "src/theo/__init__.py": '"""Theo."""\nfrom theo._version import __version__\n',
            "src/theo/_version.py": '__version__ = "0.3.0"\n',
        }
    )
    git(root, "tag", "0.3.0")
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "pyproject.toml").read_bytes() == (
        pyproject
        + "\r\n[tool.release-guard]\r\n"
        + 'changelog = "HISTORY.md"\r\n'
        + 'version-files = ["src/theo/_version.py"]\r\n'
        + 'tag-format = "{version}"\r\n'
    ).encode()
    assert not (root / "CHANGELOG.md").exists()
    assert "with changelog, version-files, tag-format" in result.stdout
    # the block makes check look where the project keeps things
    (root / "src/theo/_version.py").write_text('__version__ = "0.3.1"\n')
    mismatch = run_rg("check", cwd=root)
    assert "src/theo/_version.py:1: RG104" in mismatch.stdout


def test_an_existing_config_block_is_left_alone(make_project: MakeProject) -> None:
    pyproject = (
        THEO_PYPROJECT.format(version="0.1.0") + '\n[tool.release-guard]\nignore = ["RG210"]\n'
    )
    root = make_project(files={"pyproject.toml": pyproject, "HISTORY.md": "# old notes\n"})
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "pyproject.toml").read_text() == pyproject
    assert "[tool.release-guard] exists: left as it is" in result.stdout


SAMPLE_STYLE = (
    "# See https://pre-commit.com\n"
    "repos:\n"
    "-   repo: https://github.com/pre-commit/pre-commit-hooks\n"
    "    rev: v4.6.0\n"
    "    hooks:\n"
    "    -   id: trailing-whitespace\n"
)
CRLF_WITH_LATER_KEY = (
    "default_stages: [pre-commit]\r\n"
    "repos:  # hooks\r\n"
    "  - repo: local\r\n"
    "    hooks:\r\n"
    "      - id: pytest\r\n"
    "        name: pytest\r\n"
    "        entry: pytest\r\n"
    "        language: system\r\n"
    "\r\n"
    "# keep pre-commit.ci quiet\r\n"
    "ci:\r\n"
    "  autofix_prs: false\r\n"
)
# (existing config, the config init writes): the hook item is the only addition
EXISTING_CONFIGS = {
    "pre-commit-sample-style": (SAMPLE_STYLE, SAMPLE_STYLE + hook_entry("", "\n") + "\n"),
    "crlf-comments-and-a-later-key": (
        CRLF_WITH_LATER_KEY,
        CRLF_WITH_LATER_KEY.replace(
            "language: system\r\n", "language: system\r\n" + hook_entry("  ", "\r\n") + "\r\n"
        ),
    ),
    "empty-repos-no-final-newline": ("repos:", "repos:\n" + HOOK_ITEM),
}


@pytest.mark.parametrize("name", sorted(EXISTING_CONFIGS))
def test_hook_is_added_to_an_existing_config(make_project: MakeProject, name: str) -> None:
    config, expected = EXISTING_CONFIGS[name]
    root = make_project(files={".pre-commit-config.yaml": config})
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / ".pre-commit-config.yaml").read_bytes() == expected.encode()
    assert ".pre-commit-config.yaml: added the release-guard hook" in result.stdout
    validate_config(root)
    assert run_rg("init", cwd=root).returncode == 0
    assert (root / ".pre-commit-config.yaml").read_bytes() == expected.encode()


def test_a_config_that_runs_the_hook_already_is_untouched(make_project: MakeProject) -> None:
    config = (
        "repos:\n  - repo: local\n    hooks:\n      - id: release-guard\n"
        "        name: release-guard\n        entry: release-guard check\n"
        "        language: system\n        pass_filenames: false\n"
    )
    root = make_project(files={".pre-commit-config.yaml": config})
    result = run_rg("init", cwd=root)
    assert result.returncode == 0
    assert (root / ".pre-commit-config.yaml").read_text() == config
    assert "already runs the release-guard hook" in result.stdout


def test_flow_style_repos_refuses_and_writes_nothing(make_project: MakeProject) -> None:
    root = make_project(files={".pre-commit-config.yaml": "repos: []\n"})
    before = snapshot(root)
    result = run_rg("init", cwd=root)
    assert result.returncode == 2
    assert "repos: in flow style" in result.stderr
    assert f"- repo: {HOOK_REPOSITORY}" in result.stderr  # what to add by hand
    assert snapshot(root) == before


def test_own_workflows_are_kept(make_project: MakeProject) -> None:
    ci = "name: CI\non:\n  push:\njobs: {}\n"
    release = "name: my release\non:\n  push:\n    tags: ['v*']\njobs: {}\n"
    root = make_project(
        files={".github/workflows/ci.yml": ci, ".github/workflows/release.yml": release}
    )
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / ".github/workflows/ci.yml").read_text() == ci
    assert (root / ".github/workflows/release.yml").read_text() == release
    assert "release.yml: exists and differs from release-guard's template" in result.stdout
    assert "yours needs an `on: workflow_call:` trigger" in result.stdout


def test_outside_git_everything_but_the_tag_guard(
    tmp_path: Path, make_project: MakeProject
) -> None:
    root = make_project(commit=False)
    (root / ".git").rename(tmp_path / "elsewhere")
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / ".github/workflows/release.yml").exists()
    assert "tag guard: not a git repository: run `release-guard install` after `git init`" in (
        result.stdout
    )


def test_existing_problems_are_reported_after_setting_up(make_project: MakeProject) -> None:
    root = make_project(files={"src/theo/__init__.py": '__version__ = "0.0.9"\n'})
    result = run_rg("init", "--format", "json", cwd=root)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [finding["code"] for finding in document["findings"]] == ["RG104"]
    assert ".pre-commit-config.yaml: created with the release-guard hook" in document["notes"]
    assert (root / ".pre-commit-config.yaml").exists()


def test_invalid_pyproject_is_an_input_error(make_project: MakeProject) -> None:
    root = make_project(files={"pyproject.toml": "[project\n"})
    before = snapshot(root)
    result = run_rg("init", cwd=root)
    assert result.returncode == 2
    assert "RG003" in result.stderr
    assert snapshot(root) == before
