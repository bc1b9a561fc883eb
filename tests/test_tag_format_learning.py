"""`init` learns tag-format from the recent release tags; `check` notes a format that drifted."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, git, run_rg, write
from release_guard.tagformat import learn, other_packages


def tag_on(repo: Path, dated_tags: list[tuple[str, str]]) -> None:
    """Annotated tags on HEAD, each made on its own day (oldest first)."""
    for day, tag in dated_tags:
        env = {**os.environ, "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"}
        subprocess.run(["git", "tag", "-a", "-m", tag, tag], cwd=repo, env=env, check=True)


@pytest.mark.parametrize(
    ("tags", "name", "expected"),
    [
        (["1.0.0", "0.9.0", "v0.1.0"], "theo", "{version}"),  # recent bare, an old v tag
        (["v2.0.0", "v1.9.0", "1.0.0", "0.9.0", "0.8.0"], "theo", "v{version}"),
        (
            ["hatchling-v1.4.0", "hatchling-v1.3.0", "hatchling-v1.2.0", "hatch-v1.0.0"],
            "hatch",
            "hatch-v{version}",
        ),
        (["hatchling-v1.2.0", "hatch-v1.0.0"], "hatchling", "hatchling-v{version}"),
        # langchain's `pkg==X` and the `pkg@X` of changesets-style monorepos name a package too
        (
            ["langchain==0.3.1", "langchain-core==0.3.15"],
            "langchain-core",
            "langchain-core=={version}",
        ),
        (["web@2.0.0", "api@1.4.0"], "api", "api@{version}"),
        (["my_pkg/v3.0.0", "docs-7", "nightly"], "my-pkg", "my_pkg/v{version}"),
        (["nightly", "docs-7"], "theo", None),
    ],
)
def test_learn(tags: list[str], name: str, expected: str | None) -> None:
    assert learn(tags, name) == expected


def test_other_packages_become_ignore_tags() -> None:
    tags = ["hatchling-v1.4.0", "hatch-v1.1.0", "v.0.5.0", "0.11.0", "hatchling-v1.3.0"]
    assert other_packages(tags, "hatch-v{version}") == ["hatchling-v*"]
    assert other_packages(["1.2.0", "v1.1.0", "v.1.0.0"], "{version}") == []


def test_init_in_a_two_package_repository(make_project: MakeProject) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.1.0").replace('"theo-openvoice"', '"theo"')
    root = make_project(files={"pyproject.toml": pyproject})
    tag_on(
        root,
        [
            ("2026-01-10", "theo-v0.1.0"),
            ("2026-02-01", "theo-core-v0.2.0"),
            ("2026-02-02", "theo-core-v0.3.0"),
        ],
    )
    result = run_rg("init", "--dry-run", cwd=root)
    assert '+tag-format = "theo-v{version}"' in result.stdout, result.stdout
    assert '+ignore-tags = ["theo-core-v*"]' in result.stdout


def test_learn_never_takes_a_nested_package_s_prefix() -> None:
    """Only another package's tags are recent (hatchling's, from backend/): not hatch's format."""
    tags = ["hatchling-v1.32.0", "hatchling-v1.31.0"]
    assert learn(tags, "hatch") == "hatchling-v{version}"  # no other name known: the majority
    assert learn(tags, "hatch", ["hatchling"]) is None
    assert learn([*tags, "1.0.0"], "hatch", ["hatchling"]) == "{version}"


def test_init_declares_a_package_one_directory_down_that_has_tags(
    make_project: MakeProject,
) -> None:
    """Recent tags name the project in backend/: the repository releases two packages, so
    init declares both (a workspace), rather than leave backend's releases unjudged."""
    pyproject = THEO_PYPROJECT.format(version="0.1.0").replace('"theo-openvoice"', '"theo"')
    backend = '[project]\nname = "theo-backend"\nversion = "0.3.0"\n'
    root = make_project(files={"pyproject.toml": pyproject, "backend/pyproject.toml": backend})
    tag_on(root, [("2026-02-01", "theo-backend-v0.2.0"), ("2026-02-02", "theo-backend-v0.3.0")])
    result = run_rg("init", "--dry-run", cwd=root)
    assert "+tag-format" not in result.stdout, result.stdout
    assert "ignore-tags" not in result.stdout
    assert '+[[tool.release-guard.packages]]\n+path = "."\n' in result.stdout
    assert '+path = "backend"\n' in result.stdout
    assert "tags theo-backend-v{version}" in result.stdout


def test_init_ignores_the_tags_of_a_nested_project_it_cannot_find(
    make_project: MakeProject,
) -> None:
    """A nested pyproject.toml whose project no recent tag names is not a package of ours."""
    pyproject = THEO_PYPROJECT.format(version="0.1.0").replace('"theo-openvoice"', '"theo"')
    fixture = '[project]\nname = "sample-fixture"\nversion = "0.0.1"\n'
    root = make_project(files={"pyproject.toml": pyproject, "fixtures/pyproject.toml": fixture})
    tag_on(root, [("2026-02-01", "v0.1.0")])
    result = run_rg("init", "--dry-run", cwd=root)
    assert "[[tool.release-guard.packages]]" not in result.stdout, result.stdout


def test_init_writes_the_recent_format_by_tag_date(make_project: MakeProject) -> None:
    root = make_project()
    # by name, v0.1.0 sorts last; by date it is the oldest: the recent releases are bare
    tag_on(root, [("2025-01-10", "v0.1.0"), ("2026-01-10", "0.0.9"), ("2026-02-01", "0.1.0")])
    result = run_rg("init", "--dry-run", cwd=root)
    assert '+tag-format = "{version}"' in result.stdout, result.stdout


def test_init_writes_nothing_for_the_default_format(make_project: MakeProject) -> None:
    root = make_project()
    tag_on(root, [("2025-01-10", "0.0.1"), ("2026-02-01", "v0.1.0")])
    result = run_rg("init", "--dry-run", cwd=root)
    assert "tag-format" not in result.stdout.split("tags v{version}")[0], result.stdout
    # release-branches alone: init always writes the branch the tag guard holds releases to
    assert "added [tool.release-guard] with release-branches\n" in result.stdout, result.stdout


def test_check_notes_recent_tags_in_another_format(make_project: MakeProject) -> None:
    root = make_project()
    tag_on(root, [("2026-02-01", "0.0.9"), ("2026-02-07", "0.1.0")])
    noted = run_rg("check", cwd=root, env={"CI": "true"})
    assert (
        "note: the recent release tags follow '{version}', not tag-format 'v{version}'"
        in noted.stdout
    )
    extra = '\n[tool.release-guard]\ntag-format = "{version}"\n'
    (root / "pyproject.toml").write_text(THEO_PYPROJECT.format(version="0.1.0") + extra)
    assert "recent release tags" not in run_rg("check", cwd=root, env={"CI": "true"}).stdout


@pytest.mark.parametrize(
    ("sections", "tags", "kept"),
    [
        ([], ["v0.1.0", "v0.1.1", "v0.1.2"], False),  # none of the 3 newest: notes elsewhere
        (["0.1.2"], ["v0.1.0", "v0.1.1", "v0.1.2"], True),  # one documented: a changelog
        ([], ["v0.1.1", "v0.1.2"], True),  # too few releases to tell
    ],
    ids=["none-documented", "one-documented", "two-tags"],
)
def test_init_turns_off_a_changelog_that_documents_no_recent_release(
    make_project: MakeProject, sections: list[str], tags: list[str], kept: bool
) -> None:
    """pydantic-ai's docs/changelog.md is an upgrade guide: its release notes are GitHub
    releases. A changelog with no section for any of the three newest releases is not kept,
    and would refuse every release; one that documents any of them stays judged."""
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n"
        + "".join(
            f"## [{version}] - 2026-02-0{number + 1}\n\n- Release {version}.\n\n"
            for number, version in enumerate(sections)
        )
        + "## [0.0.1] - 2025-01-01\n\n- First.\n"
    )
    root = make_project(version="0.1.2", files={"CHANGELOG.md": changelog})
    tag_on(root, [(f"2026-02-0{number + 1}", tag) for number, tag in enumerate(tags)])
    result = run_rg("init", "--dry-run", cwd=root)
    # a kept changelog without a section for the current version is a problem to fix (RG211)
    assert result.returncode == (1 if kept and not sections else 0), result.stdout
    assert ("+changelog = false" in result.stdout) is not kept, result.stdout
    if not kept:
        assert "has no section for the 3 newest releases (0.1.2, 0.1.1, 0.1.0)" in result.stdout


def test_init_learns_the_maintenance_branches_of_the_newest_releases(
    make_project: MakeProject,
) -> None:
    """pytest tags 9.1.1 on its `9.1.x` branch: release-branches takes that branch, each
    number a `*`, beside the default one, or the guard would refuse every maintenance release."""
    root = make_project(version="0.1.0")
    git(root, "branch", "-m", "main")
    tag_on(root, [("2026-02-01", "v0.1.0")])
    git(root, "checkout", "-q", "-b", "0.1.x")
    write(root, {"README.md": "a fix\n"})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a fix")
    tag_on(root, [("2026-02-02", "v0.1.1")])
    git(root, "checkout", "-q", "main")
    result = run_rg("init", "--dry-run", cwd=root)
    assert '+release-branches = ["main", "*.*.x"]' in result.stdout, result.stdout
    git(root, "branch", "-D", "0.1.x")  # every release on main again: main alone
    git(root, "tag", "-d", "v0.1.1")
    again = run_rg("init", "--dry-run", cwd=root)
    assert '+release-branches = ["main"]' in again.stdout, again.stdout


@pytest.mark.parametrize("documented", [False, True], ids=["in-unreleased", "own-section"])
def test_init_learns_where_pre_releases_are_documented(
    make_project: MakeProject, documented: bool
) -> None:
    """black tags 26.1a1 with its entries still under `## Unreleased`: init writes
    pre-releases = "unreleased", or every such tag would be refused for want of a section."""
    preview = "## [0.2.0a1] - 2026-02-02\n\n- Preview.\n\n" if documented else ""
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n- Preview.\n\n"
        + preview
        + "## [0.1.0] - 2026-02-01\n\n- First.\n"
    )
    root = make_project(version="0.1.0", files={"CHANGELOG.md": changelog})
    tag_on(root, [("2026-02-01", "v0.1.0"), ("2026-02-02", "v0.2.0a1")])
    result = run_rg("init", "--dry-run", cwd=root)
    assert ('+pre-releases = "unreleased"' in result.stdout) is not documented, result.stdout
