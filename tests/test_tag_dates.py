"""RG306: a release section's date against its tag's date, at push, with `check --tag`, in CI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import THEO_PYPROJECT, MakeProject, git, run_rg

HEAD = "# Changelog\n\n## [Unreleased]\n"


def section(version: str, day: str) -> str:
    return f"\n## [{version}] - {day}\n\n### Fixed\n\n- Fix of {version}.\n"


def release(repo: Path, version: str, changelog: str, day: str, tag: str, annotated: bool) -> None:
    """A release commit carrying `version`, committed and tagged on `day`."""
    (repo / "pyproject.toml").write_text(THEO_PYPROJECT.format(version=version))
    (repo / "src/theo/__init__.py").write_text(f'__version__ = "{version}"\n')
    (repo / "CHANGELOG.md").write_text(changelog)
    env = {**os.environ, "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"}
    for args in (
        ["add", "-A"],
        ["commit", "-qm", f"release {version}"],
        ["tag", *(["-a", "-m", version] if annotated else []), tag],
    ):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)


def history(make_project: MakeProject, typo: bool) -> Path:
    """1.0.0 (bare tag, the project's old format), 1.1.0, 1.2.0, then 1.2.1 whose changelog
    dates 1.1.0 a year early when `typo`."""
    repo = make_project(
        version="1.0.0", files={"CHANGELOG.md": HEAD + section("1.0.0", "2026-01-05")}
    )
    sections = section("1.0.0", "2026-01-05")
    steps = [("1.0.0", "2026-01-05", "1.0.0", False), ("1.1.0", "2026-02-03", "v1.1.0", True)]
    steps += [("1.2.0", "2026-03-02", "v1.2.0", False)]
    for version, day, tag, annotated in steps:
        sections = section(version, day) + (sections if version != "1.0.0" else "")
        release(repo, version, HEAD + sections, day, tag, annotated)
    wrong = (
        sections.replace("## [1.1.0] - 2026-02-03", "## [1.1.0] - 2025-02-03") if typo else sections
    )
    release(
        repo, "1.2.1", HEAD + section("1.2.1", "2026-03-09") + wrong, "2026-03-09", "v1.2.1", True
    )
    return repo


def test_a_date_one_year_off_its_tag_is_rg306_at_push_tag_and_ci(
    make_project: MakeProject, bare_remote: Path
) -> None:
    repo = history(make_project, typo=True)
    message = (
        "RG306 [1.1.0] is dated 2025-02-03, but its tag v1.1.0 was made on 2026-02-03: "
        "365 days apart (at most 14)"
    )
    assert message in run_rg("check", "--tag", "v1.2.1", cwd=repo, env={"CI": "true"}).stdout
    assert message in run_rg("check", cwd=repo, env={"CI": "true"}).stdout
    # by hand, the tag may be a scratch tag of today on an old release: a note, no finding
    by_hand = run_rg("check", "--tag", "v1.2.1", cwd=repo).stdout
    assert "RG306" not in by_hand.replace("(RG306) are judged at push and in CI", "")
    assert "judged at push and in CI" in by_hand
    at_commit = run_rg("check", cwd=repo)  # no git at commit time: the budget (docs/rules.md)
    assert "RG306" not in at_commit.stdout
    git(repo, "remote", "add", "origin", str(bare_remote))
    assert run_rg("install", cwd=repo).returncode == 0
    pushed = subprocess.run(
        ["git", "push", "origin", "main", "v1.2.1"], cwd=repo, capture_output=True, text=True
    )
    assert pushed.returncode == 1
    assert f"v1.2.1:CHANGELOG.md:17: {message}" in pushed.stderr
    assert git(bare_remote, "tag") == ""


def test_right_dates_in_every_tag_format_pass(make_project: MakeProject) -> None:
    repo = history(make_project, typo=False)
    result = run_rg("check", "--tag", "v1.2.1", cwd=repo, env={"CI": "true"})
    assert result.returncode == 0, result.stdout


def test_a_backport_released_after_a_newer_minor_is_no_rg306(make_project: MakeProject) -> None:
    repo = make_project(
        version="1.3.0", files={"CHANGELOG.md": HEAD + section("1.3.0", "2026-02-01")}
    )
    release(repo, "1.3.0", HEAD + section("1.3.0", "2026-02-01"), "2026-02-01", "v1.3.0", False)
    git(repo, "checkout", "-q", "-b", "maint", "HEAD")
    backport = HEAD + section("1.3.0", "2026-02-01") + section("1.2.5", "2026-02-20")
    release(repo, "1.3.0", backport, "2026-02-20", "v1.2.5", True)
    ci = {"CI": "true"}
    found = run_rg("check", "--tag", "v1.2.5", "--format", "json", cwd=repo, env=ci).stdout
    assert '"RG306"' not in found  # dated as tagged: whatever the order rules say
    typo = backport.replace("2026-02-20", "2025-02-20")
    release(repo, "1.3.0", typo, "2026-02-21", "v1.2.6", False)
    typo_found = run_rg("check", "--tag", "v1.2.6", "--format", "json", cwd=repo, env=ci).stdout
    assert '"RG306"' in typo_found
