"""Which tags name a release (release_guard.tags): the format, tags ending in a version,
`ignore-tags`, moving tags; the same verdict in the guard, `check --tag` and a CI tag build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, git, run_rg
from release_guard.config import Config
from release_guard.tags import claimed_version, version_at_end

CONFIG = Config(version_files=(), version_files_configured=False)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("1.2.3", ("", "1.2.3")),
        ("hatch-v1.2.3", ("hatch-v", "1.2.3")),
        ("release-1.4rc1", ("release-", "1.4rc1")),
        ("23.1", ("", "23.1")),
        ("docs-7", None),
        ("v1", None),
        ("py3.9", None),
        ("foo1.2", None),
        ("vendor-drop", None),
    ],
)
def test_version_at_end(tag: str, expected: tuple[str, str] | None) -> None:
    assert version_at_end(tag) == expected


@pytest.mark.parametrize(
    ("tag", "claimed"),
    [
        ("v1.2.0", "1.2.0"),  # the format
        ("1.2.0", "1.2.0"),  # not the format, but a release: judged, and refused
        ("theo-v1.2.0", "1.2.0"),
        ("v1", None),  # a moving tag
        ("docs-7", None),
        ("9.2.0.dev0", None),  # where a development cycle starts (setuptools-scm)
        ("backport-1.2.0", None),  # ignore-tags
    ],
)
def test_claimed_version(tag: str, claimed: str | None) -> None:
    config = CONFIG._replace(ignore_tags=("backport-*",))
    assert claimed_version(config, tag) == claimed


def tagged(make_project: MakeProject, bare_remote: Path, extra: str = "") -> Path:
    root = make_project(files={"pyproject.toml": THEO_PYPROJECT.format(version="0.1.0") + extra})
    git(root, "remote", "add", "origin", str(bare_remote))
    git(root, "push", "-q", "origin", "main")
    assert run_rg("install", cwd=root).returncode == 0
    return root


def test_a_bare_tag_in_a_v_project_is_refused_everywhere_with_the_expected_tag(
    make_project: MakeProject, bare_remote: Path
) -> None:
    root = tagged(make_project, bare_remote)
    git(root, "tag", "0.1.0")
    expected = "RG301 tag 0.1.0 does not follow tag-format v{version} (expected tag v0.1.0"
    pushed = git(root, "push", "origin", "0.1.0", check=False)
    assert git(bare_remote, "tag") == "", pushed
    guard = run_rg(
        "tag-guard",
        "origin",
        cwd=root,
        input=f"refs/tags/0.1.0 {git(root, 'rev-parse', 'HEAD')} refs/tags/0.1.0 {'0' * 40}\n",
    )
    assert guard.returncode == 1
    assert expected in guard.stdout
    by_hand = run_rg("check", "--tag", "0.1.0", cwd=root)
    assert by_hand.returncode == 1
    assert expected in by_hand.stdout
    in_ci = run_rg("check", cwd=root, env={"GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "0.1.0"})
    assert in_ci.returncode == 1
    assert expected in in_ci.stdout


def test_ignore_tags_and_moving_tags_pass_unjudged(
    make_project: MakeProject, bare_remote: Path
) -> None:
    root = tagged(make_project, bare_remote, '\n[tool.release-guard]\nignore-tags = ["old-*"]\n')
    for tag in ("old-0.0.9", "v0", "v0.1"):
        git(root, "tag", tag)
    result = git(root, "push", "origin", "old-0.0.9", "v0", "v0.1", check=False)
    assert set(git(bare_remote, "tag").split()) == {"old-0.0.9", "v0", "v0.1"}, result
    moving = run_rg("check", "--tag", "v0.1", cwd=root)
    assert moving.returncode == 0
    assert "tag v0.1 is a moving tag (the commit is at 0.1.0)" in moving.stdout
    wrong_line = run_rg("check", "--tag", "v0.2", cwd=root)  # not this commit's line: judged
    assert " RG301 " in wrong_line.stdout
    ignored = run_rg("check", "--tag", "old-0.0.9", cwd=root)  # as the guard left it
    assert ignored.returncode == 0, ignored.stdout
    assert "tag old-0.0.9 is covered by ignore-tags: release rules not applied" in ignored.stdout


def test_ignore_tags_must_be_a_list_of_globs(make_project: MakeProject) -> None:
    extra = '\n[tool.release-guard]\nignore-tags = "old-*"\n'
    root = make_project(files={"pyproject.toml": THEO_PYPROJECT.format(version="0.1.0") + extra})
    result = run_rg("check", cwd=root)
    assert result.returncode == 2
    assert "RG004 [tool.release-guard] ignore-tags must be a list" in result.stderr


def test_a_commit_made_before_adoption_is_judged_with_the_working_tree_table(
    make_project: MakeProject, bare_remote: Path
) -> None:
    """After `init` learned `tag-format = "{version}"`, the old bare tags are pushed: their
    commits have no [tool.release-guard], so the working tree's decides."""
    root = tagged(make_project, bare_remote)
    git(root, "tag", "0.1.0")
    (root / "pyproject.toml").write_text(
        THEO_PYPROJECT.format(version="0.1.0")
        + '\n[tool.release-guard]\ntag-format = "{version}"\n'
    )
    result = subprocess.run(
        ["git", "push", "origin", "0.1.0"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "0.1.0: its commit has no [tool.release-guard]: judged with the working tree's" in (
        result.stderr
    )
    git(root, "tag", "v0.1.0")  # now the wrong format for this project
    assert (
        " RG301 tag v0.1.0 does not follow tag-format {version}"
        in run_rg(
            "tag-guard",
            cwd=root,
            input=f"refs/tags/v0.1.0 {git(root, 'rev-parse', 'HEAD')} "
            f"refs/tags/v0.1.0 {'0' * 40}\n",
        ).stdout
    )
