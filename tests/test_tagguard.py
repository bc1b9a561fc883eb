"""The tag guard at `git push`: real repositories, a real bare remote, the installed hook.

Every refusal is proven on the remote itself (`git ls-remote`): the bad tag never arrives.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THEO_CHANGELOG, THEO_PYPROJECT, MakeProject, git, run_rg, write

ZERO = "0" * 40

CHANGELOG_0_2_0 = THEO_CHANGELOG.replace(
    "## [Unreleased]\n",
    "## [Unreleased]\n\n## [0.2.0] - 2026-03-01\n\n### Added\n\n- The STT worker.\n",
)


def release_files(version: str, changelog: str = CHANGELOG_0_2_0) -> dict[str, str | bytes]:
    """What a release commit changes: both versions and the changelog."""
    return {
        "pyproject.toml": theo_pyproject(version),
        "src/theo/__init__.py": f'"""Theo OpenVoice."""\n\n__version__ = "{version}"\n',
        "CHANGELOG.md": changelog,
    }


def theo_pyproject(version: str, extra: str = "") -> str:
    return THEO_PYPROJECT.format(version=version) + extra


def commit(repo: Path, files: dict[str, str | bytes], message: str = "change") -> str:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD")


def push(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "push", "origin", *args], cwd=repo, capture_output=True, text=True, check=False
    )


def remote_refs(remote: Path) -> dict[str, str]:
    """ref name -> sha on the remote, as `git ls-remote` sees it (peeled entries left out)."""
    listing = git(remote, "ls-remote", str(remote))
    refs = {}
    for line in listing.splitlines():
        sha, ref = line.split("\t")
        if not ref.endswith("^{}"):
            refs[ref] = sha
    return refs


def remote_tags(remote: Path) -> set[str]:
    return {ref[len("refs/tags/") :] for ref in remote_refs(remote) if ref.startswith("refs/tags/")}


def connect(repo: Path, remote: Path) -> None:
    """origin = the bare remote, main already there (pushed before any guard is installed)."""
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")


def install_guard(repo: Path) -> None:
    result = run_rg("install", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def guarded(make_project: MakeProject, bare_remote: Path) -> Path:
    """A Theo project at 0.1.0 (release-ready), origin connected, the guard installed."""
    repo = make_project()
    connect(repo, bare_remote)
    install_guard(repo)
    return repo


def assert_refused(result: subprocess.CompletedProcess[str], *codes: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for code in codes:
        assert code in output, output
    assert "git push --no-verify" in output
    assert "failed to push" in output


# -- each push form ----------------------------------------------------------------------------


@pytest.mark.parametrize("annotated", [False, True], ids=["lightweight", "annotated"])
def test_tag_alone_bad_refused_good_accepted(
    guarded: Path, bare_remote: Path, annotated: bool
) -> None:
    flags = ["-a", "-m", "release"] if annotated else []
    git(guarded, "tag", *flags, "v0.2.0")  # the commit carries 0.1.0
    git(guarded, "tag", *flags, "v0.1.0")

    refused = push(guarded, "v0.2.0")
    assert_refused(refused, "RG301")
    assert (
        "v0.2.0:pyproject.toml:7: RG301 tag v0.2.0 does not match version 0.1.0" in refused.stderr
    )
    assert f"git tag -d v0.2.0 && git tag {'-a ' if annotated else ''}v0.2.0" in refused.stderr
    assert remote_tags(bare_remote) == set()

    accepted = push(guarded, "v0.1.0")
    assert accepted.returncode == 0, accepted.stderr
    assert remote_tags(bare_remote) == {"v0.1.0"}
    expected = git(guarded, "rev-parse", "v0.1.0")  # the tag object itself, when annotated
    assert remote_refs(bare_remote)["refs/tags/v0.1.0"] == expected


def test_push_tags_is_refused_whole_when_one_tag_is_bad(guarded: Path, bare_remote: Path) -> None:
    git(guarded, "tag", "v0.1.0")
    git(guarded, "tag", "-a", "-m", "oops", "v0.2.0")
    assert_refused(push(guarded, "--tags"), "RG301")
    assert remote_tags(bare_remote) == set()  # git sends nothing at all, not even the good tag

    git(guarded, "tag", "-d", "v0.2.0")
    assert push(guarded, "--tags").returncode == 0
    assert remote_tags(bare_remote) == {"v0.1.0"}


def test_follow_tags_with_the_release_commit(guarded: Path, bare_remote: Path) -> None:
    before = remote_refs(bare_remote)["refs/heads/main"]
    # version bumped in pyproject only: the tagged commit's files disagree
    commit(guarded, {"pyproject.toml": theo_pyproject("0.2.0"), "CHANGELOG.md": CHANGELOG_0_2_0})
    git(guarded, "tag", "-a", "-m", "0.2.0", "v0.2.0")
    refused = push(guarded, "--follow-tags", "main")
    assert_refused(refused, "RG104")
    assert remote_refs(bare_remote)["refs/heads/main"] == before  # the branch did not go either
    assert remote_tags(bare_remote) == set()

    git(guarded, "tag", "-d", "v0.2.0")
    fixed = commit(guarded, release_files("0.2.0"), "release 0.2.0")
    git(guarded, "tag", "-a", "-m", "0.2.0", "v0.2.0")
    accepted = push(guarded, "--follow-tags", "main")
    assert accepted.returncode == 0, accepted.stderr
    assert remote_refs(bare_remote)["refs/heads/main"] == fixed
    assert remote_tags(bare_remote) == {"v0.2.0"}


def test_branch_and_tag_in_one_push(guarded: Path, bare_remote: Path) -> None:
    unreleased = CHANGELOG_0_2_0.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- Not released yet.\n"
    )
    commit(guarded, release_files("0.2.0", unreleased))
    git(guarded, "tag", "v0.2.0")
    assert_refused(push(guarded, "main", "v0.2.0"), "RG303")
    assert remote_tags(bare_remote) == set()

    git(guarded, "tag", "-d", "v0.2.0")
    released = commit(guarded, release_files("0.2.0"))
    git(guarded, "tag", "v0.2.0")
    assert push(guarded, "main", "v0.2.0").returncode == 0
    assert remote_refs(bare_remote)["refs/heads/main"] == released
    assert remote_tags(bare_remote) == {"v0.2.0"}


# -- what is judged, and on which files ----------------------------------------------------------


def test_a_tag_is_judged_on_its_own_commit_not_the_working_tree(
    guarded: Path, bare_remote: Path
) -> None:
    first = git(guarded, "rev-parse", "HEAD")
    commit(guarded, release_files("0.2.0"))  # the working tree is ready for v0.2.0 ...
    git(guarded, "tag", "v0.2.0", first)  # ... but the tag is on the 0.1.0 commit
    git(guarded, "tag", "v0.1.0", first)
    refused = push(guarded, "v0.2.0")
    assert_refused(refused, "RG301")
    assert "does not match version 0.1.0" in refused.stderr
    assert push(guarded, "v0.1.0").returncode == 0  # an old commit's own files are fine
    assert remote_tags(bare_remote) == {"v0.1.0"}


def test_deletions_branches_and_non_release_tags_pass(guarded: Path, bare_remote: Path) -> None:
    unreleased = THEO_CHANGELOG.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- Pending.\n"
    )
    commit(guarded, {"CHANGELOG.md": unreleased})  # no release tag could go on this commit
    git(guarded, "tag", "v0.2.0")
    assert push(guarded, "--no-verify", "v0.2.0").returncode == 0  # bypassed: now on the remote
    git(guarded, "tag", "docs-build-7")
    git(guarded, "tag", "vendor-drop")  # follows "v{version}" in form only: no version there

    branch = push(guarded, "main")
    assert branch.returncode == 0, branch.stderr
    assert "release-guard" not in branch.stderr  # no tag pushed: the guard said nothing
    others = push(guarded, "docs-build-7", "vendor-drop")
    assert others.returncode == 0, others.stderr
    deletion = push(guarded, "--delete", "v0.2.0")
    assert deletion.returncode == 0, deletion.stderr
    assert remote_tags(bare_remote) == {"docs-build-7", "vendor-drop"}


@pytest.mark.parametrize("kind", ["tree", "blob"])
def test_a_tag_on_a_tree_or_blob_is_refused(guarded: Path, bare_remote: Path, kind: str) -> None:
    target = "HEAD^{tree}" if kind == "tree" else "HEAD:pyproject.toml"
    git(guarded, "tag", "v0.1.0", git(guarded, "rev-parse", target))
    refused = push(guarded, "v0.1.0")
    assert_refused(refused, "RG305")
    assert f"points to a {kind}" in refused.stderr
    assert remote_tags(bare_remote) == set()


def test_a_commit_whose_pyproject_cannot_be_read_is_refused(
    guarded: Path, bare_remote: Path
) -> None:
    commit(guarded, {"pyproject.toml": "[project\nname = 'theo'\n"})
    git(guarded, "tag", "v0.1.0")
    git(guarded, "tag", "docs-1")  # whatever its name: the guard cannot tell what it is
    refused = push(guarded, "v0.1.0", "docs-1")
    assert_refused(refused, "RG003")
    assert "v0.1.0:pyproject.toml:1:" in refused.stderr
    assert "docs-1:pyproject.toml:1:" in refused.stderr
    assert remote_tags(bare_remote) == set()


def test_a_release_tag_on_a_commit_without_pyproject_is_refused(
    guarded: Path, bare_remote: Path
) -> None:
    # a published-docs commit, made without touching the working tree
    blob = git(guarded, "hash-object", "-w", "--stdin", input="<p>docs</p>\n")
    tree = git(guarded, "mktree", input=f"100644 blob {blob}\tindex.html\n")
    site = git(guarded, "commit-tree", tree, "-m", "site")
    git(guarded, "tag", "v0.1.0", site)  # the seed's "tag on the wrong commit"
    git(guarded, "tag", "site-1", site)
    assert_refused(push(guarded, "v0.1.0"), "RG001")
    assert push(guarded, "site-1").returncode == 0
    assert remote_tags(bare_remote) == {"site-1"}


def test_same_codes_and_messages_as_check_tag(guarded: Path) -> None:
    unreleased = CHANGELOG_0_2_0.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- Not released yet.\n"
    )
    commit(
        guarded,
        {**release_files("0.2.0", unreleased), "src/theo/__init__.py": "__version__ = '0.2.1'\n"},
    )
    git(guarded, "tag", "v0.2.0")
    sha = git(guarded, "rev-parse", "HEAD")
    checked = json.loads(run_rg("check", "--tag", "v0.2.0", "--format", "json", cwd=guarded).stdout)
    guarded_json = json.loads(
        run_rg(
            "tag-guard",
            "origin",
            "--format",
            "json",
            cwd=guarded,
            input=f"refs/tags/v0.2.0 {sha} refs/tags/v0.2.0 {ZERO}\n",
        ).stdout
    )

    def essentials(document: dict[str, object], prefix: str = "") -> list[tuple[object, ...]]:
        findings = document["findings"]
        assert isinstance(findings, list)
        return sorted(
            (f["code"], f["message"], prefix + str(f["path"]), f["line"], f["hint"])
            for f in findings
        )

    assert {"RG104", "RG303"} <= {f["code"] for f in checked["findings"]}
    assert essentials(guarded_json) == essentials(checked, prefix="v0.2.0:")
    assert guarded_json["exit_code"] == checked["exit_code"] == 1


# -- release branches (RG304) --------------------------------------------------------------------

RELEASE_BRANCHES = '\n[tool.release-guard]\nrelease-branches = ["main", "maint/*"]\n'


def test_release_branches_local_and_remote_tracking(guarded: Path, bare_remote: Path) -> None:
    commit(guarded, {"pyproject.toml": theo_pyproject("0.1.0", RELEASE_BRANCHES)})
    git(guarded, "push", "-q", "--no-verify", "origin", "main")
    git(guarded, "checkout", "-q", "-b", "feature")
    off = commit(guarded, {"notes.txt": "work in progress\n"})
    git(guarded, "tag", "v0.1.0", off)
    refused = push(guarded, "v0.1.0")
    assert_refused(refused, "RG304")
    assert "is on no release branch (main, maint/*)" in refused.stderr
    assert remote_tags(bare_remote) == set()

    git(guarded, "branch", "-q", "maint/0.1", off)  # a glob of release-branches matches it
    assert push(guarded, "v0.1.0").returncode == 0
    git(guarded, "branch", "-q", "-D", "maint/0.1")

    # a commit that only origin/main (remote-tracking) reaches still counts
    git(guarded, "checkout", "-q", "main")
    on_main = git(guarded, "rev-parse", "HEAD")
    git(guarded, "checkout", "-q", "--detach")
    git(guarded, "branch", "-q", "-D", "main")
    git(guarded, "tag", "-f", "-a", "-m", "r", "v0.1.0", on_main)
    assert push(guarded, "-f", "v0.1.0").returncode == 0
    assert remote_refs(bare_remote)["refs/tags/v0.1.0"] == git(guarded, "rev-parse", "v0.1.0")


# -- the machinery: one cat-file, bad input, no tracebacks -----------------------------------------


def _count_git_processes(repo: Path, tags: int, tmp_path: Path) -> int:
    """Run tag-guard on `tags` pushed tags through a PATH shim that logs each git it starts."""
    shim_dir = tmp_path / f"shim{tags}"
    shim_dir.mkdir()
    log = shim_dir / "log"
    real_git = subprocess.run(
        ["sh", "-c", "command -v git"], capture_output=True, text=True, check=True
    ).stdout.strip()
    shim = shim_dir / "git"
    shim.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real_git}" "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    lines = []
    for number in range(tags):
        git(repo, "tag", "-f", f"v0.1.0+build{number}")
        sha = git(repo, "rev-parse", f"v0.1.0+build{number}")
        lines.append(f"refs/tags/v0.1.0+build{number} {sha} refs/tags/v0.1.0+build{number} {ZERO}")
    env = {"PATH": f"{shim_dir}{os.pathsep}{os.environ['PATH']}"}
    result = run_rg("tag-guard", cwd=repo, env=env, input="\n".join(lines) + "\n")
    assert result.returncode == 1, result.stdout + result.stderr  # RG301 for each: judged
    assert result.stdout.count("RG301") == tags
    return len(log.read_text().splitlines())


def test_git_processes_do_not_grow_with_the_number_of_tags(guarded: Path, tmp_path: Path) -> None:
    commit(guarded, {"pyproject.toml": theo_pyproject("0.1.0", RELEASE_BRANCHES)})
    one, many = (_count_git_processes(guarded, n, tmp_path) for n in (1, 12))
    assert one == many == 4  # cat-file --batch, for-each-ref (tag dates, RG306), rev-list,
    # for-each-ref (branch tips)


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("this is not what git sends\n", "line 1 of the input is not"),
        (f"refs/tags/v0.1.0 {'1' * 40} refs/tags/v0.1.0 {ZERO}\n", "git has no object 1111"),
    ],
    ids=["malformed", "missing-object"],
)
def test_bad_input_is_a_clear_error_exit_2(guarded: Path, stdin: str, message: str) -> None:
    result = run_rg("tag-guard", "origin", cwd=guarded, input=stdin)
    assert result.returncode == 2
    assert "RG006" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "git push --no-verify" in result.stderr


def test_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    line = f"refs/tags/v0.1.0 {'1' * 40} refs/tags/v0.1.0 {ZERO}\n"
    result = run_rg("tag-guard", cwd=tmp_path, input=line)
    assert result.returncode == 2
    assert "RG006" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_tag_in_the_input_passes_quietly(guarded: Path) -> None:
    sha = git(guarded, "rev-parse", "HEAD")
    result = run_rg(
        "tag-guard", "-q", cwd=guarded, input=f"refs/heads/main {sha} refs/heads/main {ZERO}\n"
    )
    assert result.returncode == 0
    assert result.stdout == result.stderr == ""


def test_the_hook_does_not_start_python_without_a_tag(guarded: Path, tmp_path: Path) -> None:
    """A branch push goes through the sh script alone: no interpreter is even looked up."""
    hook = Path(git(guarded, "rev-parse", "--git-path", "hooks")) / "pre-push"
    if not hook.is_absolute():
        hook = guarded / hook
    text = hook.read_text()
    assert "release_guard_python=''" not in text  # install recorded the interpreter
    gone = text.replace(
        f"release_guard_python={sys.executable}", "release_guard_python=/gone/python"
    )
    assert gone != text
    hook.write_text(gone)
    commit(guarded, {"notes.txt": "more\n"})
    assert push(guarded, "main").returncode == 0  # the missing interpreter was never needed


# -- pre-commit's tag-guard hook (for the pushes pre-commit dispatches) --------------------------


def test_pre_commit_environment_mode(guarded: Path) -> None:
    sha = git(guarded, "rev-parse", "HEAD")
    git(guarded, "tag", "v0.2.0")

    def guard(**env: str) -> subprocess.CompletedProcess[str]:
        return run_rg("tag-guard", "--pre-commit", cwd=guarded, env=env)

    bad = guard(PRE_COMMIT_REMOTE_BRANCH="refs/tags/v0.2.0", PRE_COMMIT_TO_REF=sha)
    assert bad.returncode == 1
    assert "v0.2.0:pyproject.toml:7: RG301" in bad.stdout
    # pre-commit sets no PRE_COMMIT_TO_REF when the remote has none of the history
    first_push = guard(
        PRE_COMMIT_REMOTE_BRANCH="refs/tags/v0.2.0", PRE_COMMIT_LOCAL_BRANCH="refs/tags/v0.2.0"
    )
    assert first_push.returncode == 1
    assert "RG301" in first_push.stdout
    branch = guard(PRE_COMMIT_REMOTE_BRANCH="refs/heads/main", PRE_COMMIT_TO_REF=sha)
    assert branch.returncode == 0
    assert "no release tag in this push" in branch.stdout
    by_hand = guard()  # `pre-commit run --hook-stage pre-push` outside a push: nothing pushed
    assert by_hand.returncode == 0
    assert "no release tag in this push" in by_hand.stdout
