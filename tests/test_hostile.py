"""Hostile repositories: names, paths and objects shaped to fool the guard, real git throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeProject, git, run_rg
from test_tagguard import ZERO, assert_refused, connect, install_guard, push, remote_tags


@pytest.fixture
def guarded(make_project: MakeProject, bare_remote: Path) -> Path:
    """A Theo project at 0.1.0 (release-ready), origin connected, the guard installed."""
    repo = make_project()
    connect(repo, bare_remote)
    install_guard(repo)
    return repo


# -- git's stdin, split as git writes it -------------------------------------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\u2000", "\u3000", "\u0085", "\u2028"])
def test_a_tag_name_ending_in_unicode_whitespace_is_judged_by_its_real_name(
    guarded: Path, bare_remote: Path, space: str
) -> None:
    """git pushes `v0.1.0` + the space; judging `v0.1.0` instead would let it through."""
    name = f"v0.1.0{space}"
    git(guarded, "tag", name)
    refused = push(guarded, name)
    assert_refused(refused, "RG301")
    assert remote_tags(bare_remote) == set()


@pytest.mark.parametrize(
    "line",
    [
        "refs/tags/v0.1.0  {sha} refs/tags/v0.1.0 {zero}",  # two spaces
        "refs/tags/v0.1.0\t{sha} refs/tags/v0.1.0 {zero}",  # a tab
        "refs/tags/v0.1.0 {sha} refs/tags/v0.1.0 {zero} ",  # a trailing space
    ],
    ids=["two-spaces", "tab", "trailing-space"],
)
def test_a_line_git_would_not_write_is_refused(guarded: Path, line: str) -> None:
    sha = git(guarded, "rev-parse", "HEAD")
    result = run_rg("tag-guard", cwd=guarded, input=line.format(sha=sha, zero=ZERO) + "\n")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG006" in result.stderr
    assert "line 1 of the input is not" in result.stderr
