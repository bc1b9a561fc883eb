"""Writers under faults: the journal of prepare and init, `recover`, RG606 and RG609, the
durable aside copy of install, init's rollback, and kill -9 loops (bench/bench_kill.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THEO_CHANGELOG, MakeProject, git, run_rg
from release_guard.edit import Change, Refusal, apply

REPO = Path(__file__).resolve().parent.parent
CHANGELOG_WITH_ENTRIES = THEO_CHANGELOG.replace(
    "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- gRPC STT worker.\n"
)
PREPARED = ["pyproject.toml", "src/theo/__init__.py", "CHANGELOG.md"]


def read(root: Path, paths: list[str]) -> dict[str, bytes]:
    return {path: (root / path).read_bytes() for path in paths}


def interrupted_prepare(root: Path, replaced: int) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The state a prepare killed after `replaced` of its renames leaves: made by running
    prepare, then putting the journal back and the other files as they were. Returns the
    files before and after."""
    before = read(root, PREPARED)
    result = run_rg("prepare", "minor", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    after = read(root, PREPARED)
    changes = [Change(path, before[path], after[path]) for path in PREPARED]
    for path in PREPARED:
        (root / path).write_bytes(before[path])
    from release_guard import journal

    journal.stage(str(root), "prepare", changes)
    staging = root / ".release-guard"
    for number, path in enumerate(PREPARED[:replaced]):
        os.replace(staging / f"{number}.new", root / path)
    return before, after


@pytest.mark.parametrize("replaced", [0, 1, 2, 3])
def test_recover_finishes_an_interrupted_prepare(make_project: MakeProject, replaced: int) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    _, after = interrupted_prepare(root, replaced)
    for command in (["check"], ["prepare", "patch"], ["verify-dist"], ["notes", "0.1.0"]):
        refused = run_rg(*command, cwd=root)
        assert refused.returncode == 2, command
        assert "RG609" in refused.stdout + refused.stderr, command
        assert "release-guard recover" in refused.stdout + refused.stderr
    result = run_rg("recover", cwd=root)
    assert result.returncode == 0, result.stderr
    assert read(root, PREPARED) == after
    assert not (root / ".release-guard").exists()
    assert run_rg("check", cwd=root).returncode == 0


@pytest.mark.parametrize("replaced", [0, 2, 3])
def test_recover_undo_puts_every_file_back(make_project: MakeProject, replaced: int) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    before, _ = interrupted_prepare(root, replaced)
    result = run_rg("recover", "--undo", cwd=root)
    assert result.returncode == 0, result.stderr
    assert read(root, PREPARED) == before
    assert git(root, "status", "--porcelain", "--ignored") == ""


def test_recover_leaves_a_file_edited_since_alone(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    interrupted_prepare(root, 1)
    (root / "CHANGELOG.md").write_text("# Changelog\n\nedited by hand\n")
    result = run_rg("recover", cwd=root)
    assert result.returncode == 2
    assert "CHANGELOG.md changed since the interrupted write: left as they are" in result.stderr
    assert (root / "CHANGELOG.md").read_text() == "# Changelog\n\nedited by hand\n"
    assert (root / ".release-guard" / "journal.json").exists()


def test_staging_is_ignored_by_git_and_leftovers_are_removed(make_project: MakeProject) -> None:
    """A run killed before its journal leaves staged files only: git never lists them, and
    the next writer (or recover) removes them without a word about a journal."""
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    from release_guard import journal

    journal.stage(str(root), "prepare", [Change("CHANGELOG.md", b"a", b"b")])
    (root / ".release-guard" / "journal.json").unlink()
    assert git(root, "status", "--porcelain", "-uall") == ""
    assert run_rg("check", cwd=root).returncode == 0
    result = run_rg("recover", cwd=root)
    assert "left by a run stopped before it changed any file" in result.stdout
    assert not (root / ".release-guard").exists()


def test_a_file_changed_just_before_its_replacement_is_refused(make_project: MakeProject) -> None:
    """RG606: the target is re-read right before its rename. Here the second file's bytes
    differ from those the plan was made from, as when an editor saved meanwhile: the first
    file, already replaced, is put back, and the editor's save is kept."""
    root = make_project()
    saved = b'"""Theo OpenVoice, as saved by an editor."""\n\n__version__ = "0.1.0"\n'
    (root / "src/theo/__init__.py").write_bytes(saved)
    before = (root / "pyproject.toml").read_bytes()
    changes = [
        Change("pyproject.toml", before, before.replace(b"0.1.0", b"0.2.0")),
        Change(
            "src/theo/__init__.py",
            b'"""Theo OpenVoice."""\n\n__version__ = "0.1.0"\n',
            b'"""Theo OpenVoice."""\n\n__version__ = "0.2.0"\n',
        ),
    ]
    with pytest.raises(Refusal) as refusal:
        apply(str(root), changes, "prepare")
    assert refusal.value.finding.code == "RG606"
    assert "src/theo/__init__.py changed on disk" in refusal.value.finding.message
    assert "1 file(s) already written were restored" in refusal.value.finding.message
    assert (root / "pyproject.toml").read_bytes() == before
    assert (root / "src/theo/__init__.py").read_bytes() == saved
    assert not (root / ".release-guard").exists()


# -- install -------------------------------------------------------------------------------------

FOREIGN = b"#!/bin/sh\necho foreign hook ran >&2\n"


def test_install_rerun_after_a_crash_between_copy_and_slot(make_project: MakeProject) -> None:
    """Killed after the aside copy was written and before the slot was replaced: the slot
    still holds the foreign hook, and so does the copy. A re-run completes the chain."""
    root = make_project()
    hooks = root / ".git" / "hooks"
    (hooks / "pre-push").write_bytes(FOREIGN)
    (hooks / "pre-push").chmod(0o755)
    (hooks / "pre-push.release-guard-previous").write_bytes(FOREIGN)
    (hooks / ".pre-push.x1y2.release-guard-tmp").write_bytes(b"#!/bin/sh\n# half")
    result = run_rg("install", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        b"release_guard_previous=pre-push.release-guard-previous"
        in (hooks / "pre-push").read_bytes()
    )
    assert not list(hooks.glob("*release-guard-tmp"))
    assert run_rg("install", "--uninstall", cwd=root).returncode == 0
    assert (hooks / "pre-push").read_bytes() == FOREIGN


def test_install_rechains_a_hook_left_aside_with_an_empty_slot(make_project: MakeProject) -> None:
    """An earlier release-guard moved the hook aside and was killed before writing the slot:
    the hook is not lost, the next install runs it again."""
    root = make_project()
    hooks = root / ".git" / "hooks"
    (hooks / "pre-push.release-guard-previous").write_bytes(FOREIGN)
    result = run_rg("install", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "left by an interrupted installation" in result.stdout
    assert (
        b"release_guard_previous=pre-push.release-guard-previous"
        in (hooks / "pre-push").read_bytes()
    )


# -- init ----------------------------------------------------------------------------------------


def test_init_rolls_back_when_installing_the_hook_fails(make_project: MakeProject) -> None:
    """#14 item 5: the hooks directory cannot be written; init puts back what it wrote."""
    root = make_project()
    before = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }
    hooks = root / ".git" / "hooks"
    git(root, "config", "core.hooksPath", "no-hooks-here")
    (root / "no-hooks-here").write_text("a file where the hooks directory should be\n")
    before["no-hooks-here"] = (root / "no-hooks-here").read_bytes()
    result = run_rg("init", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG606 installing the tag guard failed" in result.stderr
    assert "file(s) init had written were put back" in result.stderr
    after = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }
    assert after == before
    assert hooks.is_dir()


# -- kill -9 -------------------------------------------------------------------------------------


def test_kill_loops_lose_nothing() -> None:
    """bench/bench_kill.py with a few runs per writer (200 each: docs/design.md)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_kill.py"), "--runs", "15"],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["install", "prepare", "init"]
    for line in lines:
        assert "lost hooks 0  mixed states 0  temporaries left 0" in line, line


def test_journal_is_plain_json(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    interrupted_prepare(root, 1)
    document = json.loads((root / ".release-guard" / "journal.json").read_text())
    assert document["command"] == "prepare"
    assert [entry["path"] for entry in document["files"]] == PREPARED


def test_recover_creates_the_directory_of_a_new_file(make_project: MakeProject) -> None:
    """init killed after its journal, before `.github/workflows/` existed (found by
    bench/bench_kill.py): recover makes the directory and finishes the write."""
    root = make_project()
    from release_guard import journal

    journal.stage(str(root), "init", [Change(".github/workflows/ci.yml", None, b"name: CI\n")])
    result = run_rg("recover", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / ".github/workflows/ci.yml").read_bytes() == b"name: CI\n"
    undone = run_rg("recover", "--undo", cwd=root)
    assert "nothing to recover" in undone.stdout


@pytest.mark.parametrize(
    "files",
    [
        [{"path": "../outside", "new": "0.new", "old": None, "old_sha256": None, "new_sha256": ""}],
        [
            {
                "path": "x",
                "new": "../../etc/passwd",
                "old": None,
                "old_sha256": None,
                "new_sha256": "",
            }
        ],
        [{"unexpected": 1}],
    ],
)
def test_a_journal_release_guard_did_not_write_is_refused(
    make_project: MakeProject, files: list[dict[str, object]]
) -> None:
    root = make_project()
    (root / ".release-guard").mkdir()
    (root / ".release-guard" / "journal.json").write_text(json.dumps({"files": files}))
    result = run_rg("recover", cwd=root)
    assert result.returncode == 2
    assert "RG002 .release-guard/journal.json is not release-guard's journal" in result.stderr
    assert not (root.parent / "outside").exists()
