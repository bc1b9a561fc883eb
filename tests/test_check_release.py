"""Release rules RG301-RG303: with --tag, and in a CI tag build with no flag at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, checked, run_rg
from release_guard.findings import Finding

# the seed's release: 0.2.0 dated, [Unreleased] emptied but for its empty subsection headings
RELEASED = """\
# Changelog

## [Unreleased]

### Added

<!-- the next release's entries go here -->

## [0.2.0] - 2026-03-01

### Added

- M2: gRPC worker.

## [0.1.0] - 2026-02-07

### Added

- M1 foundation.
"""
PENDING = RELEASED.replace("<!-- the next release's entries go here -->", "- M3: batch API.")
TAG_BUILD = {"GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v0.2.0"}


def release_findings(root: Path, tag: str) -> list[Finding]:
    return checked(root, tag=tag).findings


def codes(found: list[Finding]) -> list[str]:
    return sorted(f.code for f in found)


@pytest.fixture
def released(make_project: MakeProject) -> Path:
    return make_project(version="0.2.0", files={"CHANGELOG.md": RELEASED})


def test_ready_release_passes(released: Path) -> None:
    result = run_rg("check", "--tag", "v0.2.0", cwd=released)
    assert result.returncode == 0, result.stdout
    assert "All checks passed." in result.stdout


def test_tag_of_another_version_is_rg301(released: Path) -> None:
    (finding,) = release_findings(released, "v0.2.1")
    assert finding.code == "RG301"
    assert (finding.path, finding.line) == ("pyproject.toml", 7)
    for part in ("v0.2.1", "0.2.0", "expected tag v0.2.0"):
        assert part in finding.message


def test_tag_format_is_applied(make_project: MakeProject) -> None:
    config = '\n[tool.release-guard]\ntag-format = "theo-{version}"\n'
    root = make_project(
        version="0.2.0",
        files={
            "pyproject.toml": THEO_PYPROJECT.format(version="0.2.0") + config,
            "CHANGELOG.md": RELEASED,
        },
    )
    assert release_findings(root, "theo-0.2.0") == []
    assert codes(release_findings(root, "v0.2.0")) == ["RG301"]


def test_a_version_file_behind_the_tag_fails_twice(make_project: MakeProject) -> None:
    # the seed's 6.1: pyproject, __init__.py and the tag must all agree
    root = make_project(
        version="0.2.0",
        files={"CHANGELOG.md": RELEASED, "src/theo/__init__.py": '__version__ = "0.1.0"\n'},
    )
    assert codes(release_findings(root, "v0.2.0")) == ["RG104"]
    assert codes(release_findings(root, "v0.1.0")) == ["RG104", "RG301"]


def test_no_section_for_the_release_is_rg302(make_project: MakeProject) -> None:
    changelog = RELEASED.replace(
        "## [0.2.0] - 2026-03-01\n\n### Added\n\n- M2: gRPC worker.\n\n", ""
    )
    root = make_project(version="0.2.0", files={"CHANGELOG.md": changelog})
    assert codes(checked(root).findings) == ["RG211"]  # at every commit
    found = release_findings(root, "v0.2.0")
    assert codes(found) == ["RG302"]  # at release RG302 speaks for it
    assert (found[0].path, found[0].line) == ("CHANGELOG.md", 3)


def test_undated_section_for_the_release_is_rg302(make_project: MakeProject) -> None:
    changelog = RELEASED.replace("## [0.2.0] - 2026-03-01", "## [0.2.0]")
    root = make_project(version="0.2.0", files={"CHANGELOG.md": changelog})
    found = release_findings(root, "v0.2.0")
    assert codes(found) == ["RG204", "RG302"]
    assert {f.line for f in found} == {9}


@pytest.mark.parametrize("body", ["", "### Added\n\n<!-- nothing yet -->\n\n"])
def test_empty_section_for_the_release_is_rg302(make_project: MakeProject, body: str) -> None:
    changelog = RELEASED.replace("### Added\n\n- M2: gRPC worker.\n\n", body)
    root = make_project(version="0.2.0", files={"CHANGELOG.md": changelog})
    assert checked(root).findings == []  # a commit may prepare it
    found = release_findings(root, "v0.2.0")
    assert codes(found) == ["RG302"]
    assert "has no entries" in found[0].message
    assert found[0].line == 9


def test_prerelease_needs_a_section_at_release(make_project: MakeProject) -> None:
    root = make_project(version="0.3.0rc1", files={"CHANGELOG.md": RELEASED})
    assert checked(root).findings == []
    assert codes(release_findings(root, "v0.3.0rc1")) == ["RG302"]


def test_unreleased_entries_at_release_are_rg303(make_project: MakeProject) -> None:
    root = make_project(version="0.2.0", files={"CHANGELOG.md": PENDING})
    assert checked(root).findings == []  # fine between releases
    (finding,) = release_findings(root, "v0.2.0")
    assert finding.code == "RG303"
    assert (finding.path, finding.line) == ("CHANGELOG.md", 7)  # the first entry


def test_all_release_findings_in_one_run(make_project: MakeProject) -> None:
    root = make_project(version="0.3.0", files={"CHANGELOG.md": PENDING})
    result = run_rg("check", "--tag", "v0.2.0", "--quiet", cwd=root)
    assert result.returncode == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [
        ["CHANGELOG.md:3:", "RG302"],
        ["CHANGELOG.md:7:", "RG303"],
        ["pyproject.toml:7:", "RG301"],
        ["Found", "3"],
    ]


# -- a CI tag build: GITHUB_REF_TYPE=tag and GITHUB_REF_NAME, no flag ----------------------------


def test_tag_build_environment_applies_release_rules(make_project: MakeProject) -> None:
    root = make_project(version="0.2.0", files={"CHANGELOG.md": PENDING})
    assert run_rg("check", cwd=root).returncode == 0
    result = run_rg("check", cwd=root, env=TAG_BUILD)
    assert result.returncode == 1
    assert " RG303 " in result.stdout
    wrong_tag = run_rg("check", cwd=root, env={**TAG_BUILD, "GITHUB_REF_NAME": "v0.2.1"})
    assert " RG301 " in wrong_tag.stdout


def test_branch_build_does_not_apply_release_rules(make_project: MakeProject) -> None:
    root = make_project(version="0.2.0", files={"CHANGELOG.md": PENDING})
    result = run_rg(
        "check", cwd=root, env={"GITHUB_REF_TYPE": "branch", "GITHUB_REF_NAME": "v0.2.0"}
    )
    assert result.returncode == 0, result.stdout


def test_tag_outside_tag_format_is_a_note_not_applied(make_project: MakeProject) -> None:
    root = make_project(version="0.2.0", files={"CHANGELOG.md": PENDING})
    result = run_rg("check", cwd=root, env={**TAG_BUILD, "GITHUB_REF_NAME": "nightly"})
    assert result.returncode == 0, result.stdout
    assert "note: tag 'nightly' does not follow tag-format 'v{version}'" in result.stdout
    assert "release rules not applied" in result.stdout


def test_explicit_tag_wins_over_the_environment(released: Path) -> None:
    result = run_rg(
        "check", "--tag", "v0.2.0", cwd=released, env={**TAG_BUILD, "GITHUB_REF_NAME": "v9.9.9"}
    )
    assert result.returncode == 0, result.stdout


# -- ignore, and versions derived from tags -----------------------------------------------------


def test_ignore_silences_only_the_listed_codes(make_project: MakeProject) -> None:
    config = '\n[tool.release-guard]\nignore = ["RG303"]\n'
    files: dict[str, str | None] = {
        "pyproject.toml": THEO_PYPROJECT.format(version="0.2.0") + config,
        "CHANGELOG.md": PENDING,
    }
    root = make_project(version="0.2.0", files=files)
    assert release_findings(root, "v0.2.0") == []
    assert codes(release_findings(root, "v0.2.1")) == ["RG301"]


VCS_PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "theo-openvoice"
dynamic = ["version"]

[tool.hatch.version]
source = "vcs"
"""


@pytest.mark.parametrize(
    ("tag", "changelog", "expected"),
    [
        ("v0.2.0", RELEASED, []),
        ("v0.2.0", PENDING, ["RG303"]),
        ("v0.4.0", RELEASED, ["RG302"]),
        ("nightly", RELEASED, ["RG301"]),  # names no version: nothing to release
    ],
    ids=["ready", "pending", "no-section", "not-a-release-tag"],
)
def test_vcs_version_is_read_from_the_tag(
    make_project: MakeProject, tag: str, changelog: str, expected: list[str]
) -> None:
    root = make_project(files={"pyproject.toml": VCS_PYPROJECT, "CHANGELOG.md": changelog})
    assert codes(release_findings(root, tag)) == expected
