"""Writes that survive a crash, and `release-guard recover [--undo]` for the ones that did not
finish.

`prepare` and `init` change several files; a kill or a power cut between two renames would
leave some old and some new. So they first stage everything in `.release-guard/` at the
project root (a directory whose own `.gitignore` hides it from git): each new file, each old
one, and last a journal naming them, all flushed to disk. Only then are the new files
renamed into place, and the journal and the staging directory removed. A run killed before
the journal exists changed nothing (its leftovers are removed by the next writer or
`recover`); a run killed after it can always be finished or undone from what was staged.
Every command that reads a project refuses to judge it while a journal is there (RG609).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from release_guard.edit import Refusal, fsync_directory, write_atomic
from release_guard.findings import input_error

if TYPE_CHECKING:
    from release_guard.edit import Change

STAGING = ".release-guard"
JOURNAL = "journal.json"


class Staged(NamedTuple):
    """One file of a journalled write: where it goes and what it was and will be."""

    path: str  # POSIX, relative to the root
    new: str  # the staged new content's file name, in the staging directory
    old: str | None  # the staged old content's file name; None when the file is created
    old_sha256: str | None
    new_sha256: str


def staging_dir(root: str) -> str:
    return os.path.join(root, STAGING)


def journal_path(root: str) -> str:
    return os.path.join(root, STAGING, JOURNAL)


def refuse_if_interrupted(root: str) -> None:
    """RG609 when a write was interrupted here: the files may be half old, half new."""
    if not os.path.exists(journal_path(root)):
        return
    command = _read_journal(root).get("command", "a command")
    raise Refusal(
        "RG609",
        f"an interrupted `release-guard {command}` left its files half written "
        f"({STAGING}/{JOURNAL} lists them)",
        "run `release-guard recover` to finish that write, or `release-guard recover --undo` "
        "to put every file back as it was",
        f"{STAGING}/{JOURNAL}",
    )


def clear_leftovers(root: str) -> bool:
    """Remove the staging directory of a run killed before its journal was written (it
    changed nothing); whether there was one."""
    directory = staging_dir(root)
    if not os.path.isdir(directory) or os.path.exists(journal_path(root)):
        return False
    shutil.rmtree(directory, ignore_errors=True)
    return True


def stage(root: str, command: str, changes: Sequence[Change]) -> list[Staged]:
    """Every new and old file, then the journal, durably in the staging directory."""
    directory = staging_dir(root)
    os.makedirs(directory, exist_ok=True)
    write_atomic(os.path.join(directory, ".gitignore"), b"# release-guard's staging area\n*\n")
    staged = []
    for number, change in enumerate(changes):
        new = f"{number}.new"
        old = None if change.before is None else f"{number}.old"
        try:
            write_atomic(os.path.join(directory, new), change.after)
            if change.before is not None:
                write_atomic(os.path.join(directory, f"{number}.old"), change.before)
        except OSError as error:  # named after the file it stands for
            raise OSError(error.errno, error.strerror, change.path) from None
        staged.append(
            Staged(
                change.path,
                new,
                old,
                None if change.before is None else _sha256(change.before),
                _sha256(change.after),
            )
        )
    document = {"command": command, "files": [entry._asdict() for entry in staged]}
    write_atomic(journal_path(root), json.dumps(document, indent=1).encode())
    fsync_directory(directory)
    return staged


def finish(root: str) -> None:
    """The write is complete (or fully undone): the journal goes first, then the rest."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal_path(root))
    fsync_directory(staging_dir(root))
    shutil.rmtree(staging_dir(root), ignore_errors=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_journal(root: str) -> dict[str, Any]:
    try:
        with open(journal_path(root), "rb") as handle:
            document = json.loads(handle.read())
    except (OSError, ValueError) as error:
        raise input_error(
            "RG002",
            f"{STAGING}/{JOURNAL} cannot be read ({error}): compare the files with git, "
            f"then delete {STAGING}/",
            f"{STAGING}/{JOURNAL}",
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("files"), list):
        raise input_error("RG002", f"{STAGING}/{JOURNAL} is not release-guard's journal")
    return document


def _entries(document: dict[str, Any]) -> list[Staged]:
    """The journal's files; RG002 for anything release-guard would not have written there
    (another shape, a path outside the project, a staged name outside the staging area)."""
    try:
        entries = [Staged(**raw) for raw in document["files"]]
    except TypeError:
        entries = []
    for entry in entries:
        parts = entry.path.split("/")
        staged = [name for name in (entry.new, entry.old) if name is not None]
        if (
            entry.path.startswith("/")
            or ".." in parts
            or any("/" in name or name.startswith(".") for name in staged)
        ):
            entries = []
            break
    if not entries and document["files"]:
        raise input_error("RG002", f"{STAGING}/{JOURNAL} is not release-guard's journal")
    return entries


def _current_sha256(target: str) -> str | None:
    try:
        with open(target, "rb") as handle:
            return _sha256(handle.read())
    except FileNotFoundError:
        return None


def recover(root: str, undo: bool) -> list[str]:
    """Finish (or undo) an interrupted write; what was done. A file that is neither its old
    nor its new content (edited since) is left alone and named, and the journal kept.
    Temporaries a killed `install` (or `init` installing) left in the hooks are removed too."""
    _remove_hook_temporaries(root)
    if clear_leftovers(root):
        return [f"removed {STAGING}/, left by a run stopped before it changed any file"]
    if not os.path.exists(journal_path(root)):
        return ["nothing to recover"]
    document = _read_journal(root)
    directory = staging_dir(root)
    done: list[str] = []
    conflicts: list[str] = []
    for entry in _entries(document):
        target = os.path.join(root, *entry.path.split("/"))
        current = _current_sha256(target)
        wanted, source = (entry.old_sha256, entry.old) if undo else (entry.new_sha256, entry.new)
        unwanted = entry.new_sha256 if undo else entry.old_sha256
        if current == wanted:
            continue
        if current != unwanted:
            conflicts.append(entry.path)
            continue
        try:
            if source is None:  # undoing a created file
                os.unlink(target)
            else:
                with open(os.path.join(directory, source), "rb") as handle:
                    content = handle.read()
                os.makedirs(os.path.dirname(target), exist_ok=True)  # killed before it was made
                write_atomic(target, content)
        except OSError as error:
            raise input_error(
                "RG002",
                f"cannot write {entry.path}: {error.strerror}; run recover again",
                entry.path,
            ) from None
        done.append(entry.path)
    if conflicts:
        raise Refusal(
            "RG609",
            f"{', '.join(conflicts)} changed since the interrupted write: left as they are",
            f"compare them with {STAGING}/ (N.old, N.new: {STAGING}/{JOURNAL} maps them), fix "
            f"them by hand, then delete {STAGING}/",
            conflicts[0],
        )
    finish(root)
    verb = "put back" if undo else "finished writing"
    command = document.get("command", "the command")
    if not done:
        state = "as before" if undo else "written"
        return [f"every file of the interrupted {command} was already {state}: journal removed"]
    return [f"{verb} {', '.join(done)} (the interrupted `release-guard {command}`)"]


def _remove_hook_temporaries(root: str) -> None:
    from release_guard.edit import inside_git, remove_temporaries

    if not inside_git(root):
        return
    from release_guard.install import HOOK, PRE_COMMIT_LEGACY, PREVIOUS, hooks_dir

    directory = hooks_dir(root)
    for name in (HOOK, PRE_COMMIT_LEGACY, PREVIOUS):
        remove_temporaries(directory, name)


def main(argv: Sequence[str] | None = None) -> int:
    from release_guard.arguments import add_root_argument

    parser = argparse.ArgumentParser(
        prog="release-guard recover",
        description="Finish the write of a `prepare` or `init` that was interrupted (killed, "
        "power cut), or with --undo put every file back as it was.",
    )
    add_root_argument(parser)
    parser.add_argument("--undo", action="store_true", help="restore the files as they were before")
    args = parser.parse_args(argv)
    from release_guard.arguments import find_root

    root = args.root if args.root is not None else find_root(".")
    for message in recover(root, args.undo):
        print(f"release-guard: {message}")
    return 0
