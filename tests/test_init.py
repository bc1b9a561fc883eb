"""`release-guard init`: sets a project up once, keeps every existing byte, changes nothing twice."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, git, run_rg
from release_guard import __version__
from release_guard.fit import Fit, render
from release_guard.init import hook_entry
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
        "pyproject.toml",
    ]
    # conftest's Theo: on main, v-tags, requires-python >=3.9, no tests, no ruff or mypy
    fit = Fit("main", "v{version}", "3.13", frozenset(), f"release-guard=={__version__}")
    for name in ("ci.yml", "release.yml"):
        assert after[f".github/workflows/{name}"] == render(name, shipped_bytes(name), fit)
    assert is_ours(str(root / ".git/hooks/pre-push"))
    config = after[".pre-commit-config.yaml"].decode()
    assert f"  - repo: local  # release-guard {__version__}, " in config
    assert "        entry: release-guard check\n        language: system\n" in config
    validate_config(root)
    assert "pyproject.toml: added [tool.release-guard] with release-branches" in result.stdout
    assert 'release-branches = ["main"]' in after["pyproject.toml"].decode()
    assert "git add pyproject.toml .pre-commit-config.yaml .github/workflows/release.yml" in (
        result.stdout
    )

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
        + 'release-branches = ["main"]\r\n'
    ).encode()
    assert not (root / "CHANGELOG.md").exists()
    assert "with changelog, version-files, tag-format, release-branches" in result.stdout
    # the bare tags are what release.yml triggers on
    assert '    tags: ["[0-9]*"]\n' in (root / ".github/workflows/release.yml").read_text()
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


def test_a_flow_style_config_is_left_for_the_hook_to_be_added_by_hand(
    make_project: MakeProject,
) -> None:
    """init cannot extend `repos: []` without rewriting it: the config is left as it is, the
    item to add is printed, and the rest of the adoption is written."""
    root = make_project(files={".pre-commit-config.yaml": "repos: []\n"})
    result = run_rg("init", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: .pre-commit-config.yaml left as it is" in result.stdout
    assert "repos: in flow style" in result.stdout
    assert "- repo: local" in result.stdout  # what to add by hand
    assert (root / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert (root / ".github/workflows/release.yml").exists()


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


def test_workflows_fit_a_master_repository_with_bare_tags(make_project: MakeProject) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.3.0").replace(">=3.9", ">=3.10,<3.13")
    root = make_project(
        version="0.3.0",
        files={
            "pyproject.toml": pyproject + "\n[tool.ruff]\nline-length = 99\n",
            "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [0.3.0] - 2026-01-05\n\n- X.\n",
            "tests/unit/test_theo.py": "def test_nothing() -> None:\n    pass\n",
        },
    )
    git(root, "branch", "-m", "master")
    git(root, "tag", "0.3.0")
    result = run_rg("init", "--dry-run", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "workflows fit: branch master, tags [0-9]*, Python 3.12, "
        f"gate: pre-commit hooks, pytest, ruff; installs release-guard=={__version__}; "
        "PyPI job off (PUBLISH_TO_PYPI)"
    ) in result.stdout
    assert run_rg("init", cwd=root).returncode == 0
    ci = (root / ".github/workflows/ci.yml").read_text()
    assert ci.count("    branches: [master]\n") == 2
    assert 'python-version: "3.12"' in ci
    assert "Lint (ruff check)" in ci
    assert "Tests (pytest)" in ci
    assert "Types (mypy)" not in ci
    assert "python -m pip install ruff pytest pre-commit build\n" in ci
    assert f'RELEASE_GUARD: "release-guard=={__version__}"' in ci
    release = (root / ".github/workflows/release.yml").read_text()
    assert '    tags: ["[0-9]*"]\n' in release
    assert "    if: vars.PUBLISH_TO_PYPI == 'true'\n    needs: [build, publish]\n" in release
    assert 'release-branches = ["master"]' in (root / "pyproject.toml").read_text()


def test_default_branch_comes_from_origin_head(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "trunk", str(remote))
    git(root, "push", "-q", str(remote), "HEAD:trunk")
    git(root, "remote", "add", "origin", str(remote))
    git(root, "fetch", "-q", "origin")
    git(root, "remote", "set-head", "origin", "trunk")
    result = run_rg("init", "--dry-run", cwd=root)
    assert "workflows fit: branch trunk," in result.stdout


def test_hook_repo_writes_the_remote_form_and_pins_ci_to_it(make_project: MakeProject) -> None:
    root = make_project()
    url = "https://git.example.org/tools/release-guard"
    result = run_rg("init", "--hook-repo", f"{url}@v9.9.9", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    config = (root / ".pre-commit-config.yaml").read_text()
    assert f"  - repo: {url}\n    rev: v9.9.9\n    hooks:\n      - id: release-guard\n" in config
    validate_config(root)
    ci = (root / ".github/workflows/ci.yml").read_text()
    assert f'RELEASE_GUARD: "release-guard @ git+{url}@v9.9.9"' in ci
    bad = run_rg("init", "--hook-repo", url, cwd=root)
    assert bad.returncode == 2
    assert "is not URL@REV" in bad.stderr


def test_this_repository_s_workflows_are_init_s_fit_for_itself() -> None:
    """The templates are this repository's own workflows: fitted to it, each is itself."""
    root = Path(__file__).resolve().parents[1]
    fit = Fit(
        "main",
        "v{version}",
        "3.13",
        frozenset({"ruff", "mypy", "pytest"}),
        f"release-guard=={__version__}",
        pypi=True,
    )
    for name in ("ci.yml", "release.yml"):
        own = (root / ".github/workflows" / name).read_bytes()
        assert render(name, own, fit) == own
    # the GitLab template, shipped only in the package, is its own full fit too
    gitlab = shipped_bytes("gitlab-ci.yml")
    assert render("gitlab-ci.yml", gitlab, fit) == gitlab


def test_the_home_url_is_written_once_and_shown_the_same_everywhere() -> None:
    from release_guard.resources import home_url

    root = Path(__file__).resolve().parents[1]
    home = home_url()
    assert f'Homepage = "{home}"' in (root / "pyproject.toml").read_text()
    owner = "/".join(home.split("/")[:4])  # https://github.com/OWNER
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for url in re.findall(re.escape(owner) + r"/[\w.-]+", path.read_text()):
            assert url == home, f"{path.name}: {url}"


@pytest.mark.parametrize(
    ("requires_python", "python"),
    [
        (None, "3.13"),
        (">=3.9", "3.13"),
        (">=3.10,<3.13", "3.12"),
        ("~=3.8.0", "3.8"),
        (">=3.14", "3.14"),
        ("not a specifier", "3.13"),
    ],
)
def test_the_gate_python_comes_from_requires_python(
    requires_python: str | None, python: str
) -> None:
    from release_guard.fit import python_for

    assert python_for(requires_python) == python


@pytest.mark.parametrize(
    ("tag_format", "pattern"),
    [
        ("v{version}", "v[0-9]*"),
        ("{version}", "[0-9]*"),
        ("hatch-v{version}", "hatch-v[0-9]*"),
        ("build+{version}", "build\\+[0-9]*"),
    ],
)
def test_the_tag_trigger_comes_from_tag_format(tag_format: str, pattern: str) -> None:
    from release_guard.fit import tag_pattern

    assert tag_pattern(tag_format) == pattern
