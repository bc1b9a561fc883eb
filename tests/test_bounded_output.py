"""Text output shows a few findings per rule (per tag at push), then how many more; JSON all."""

from __future__ import annotations

import json

from conftest import THEO_CHANGELOG, MakeProject, git, run_rg

# eight headings that are neither [Unreleased] nor a release: eight RG203 findings
UNDATED = THEO_CHANGELOG.replace(
    "## [Unreleased]\n", "## [Unreleased]\n\n" + "".join(f"## Misc {n}\n" for n in range(8))
)


def test_check_shows_five_per_rule_and_counts_the_rest(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": UNDATED})
    text = run_rg("check", cwd=root)
    assert text.returncode == 1
    assert text.stdout.count(": RG203 ") == 5
    assert (
        "... and 3 more RG203 findings not shown: `release-guard check --format json` lists all"
        in text.stdout
    )
    assert "Found 8 problems." in text.stdout
    document = json.loads(run_rg("check", "--format", "json", cwd=root).stdout)
    assert [f["code"] for f in document["findings"]].count("RG203") == 8


def test_the_guard_bounds_per_tag(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": UNDATED})
    git(root, "tag", "v0.1.0")
    git(root, "tag", "theo-0.1.0")  # a release tag in the wrong format, same commit
    head = git(root, "rev-parse", "HEAD")
    pushed = "".join(
        f"refs/tags/{t} {head} refs/tags/{t} {'0' * 40}\n" for t in ("v0.1.0", "theo-0.1.0")
    )
    result = run_rg("tag-guard", "origin", cwd=root, input=pushed)
    assert result.returncode == 1
    assert result.stdout.count(": RG203 ") == 10  # five for each tag
    for tag in ("v0.1.0", "theo-0.1.0"):
        assert (
            f"... and 3 more RG203 findings not shown: `release-guard check --tag {tag} "
            f"--format json` in a checkout of {tag} lists all"
        ) in result.stdout
    assert "Found 17 problems." in result.stdout  # 16 RG203 and theo-0.1.0's RG301


def test_the_guard_json_keeps_every_finding(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": UNDATED})
    git(root, "tag", "v0.1.0")
    pushed = f"refs/tags/v0.1.0 {git(root, 'rev-parse', 'HEAD')} refs/tags/v0.1.0 {'0' * 40}\n"
    result = run_rg("tag-guard", "origin", "--format", "json", cwd=root, input=pushed)
    document = json.loads(result.stdout)
    assert [f["code"] for f in document["findings"]] == ["RG203"] * 8
