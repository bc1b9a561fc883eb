"""Change a project's files without disturbing them: planned in memory, checked, then written.

`prepare` and `init` build a list of `Change`s, judge the result through an `Overlay` (the same
checks as `check`, on the files as they would be), and only then `apply` them: one atomic
replacement per file, and every file put back if any write fails. `run_git` and `inside_git`
give git's view of those files (uncommitted changes, tags) to the commands that ask.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable, Sequence
from typing import NamedTuple

from release_guard.findings import Finding, InputError
from release_guard.source import Source, declared_encoding, read_text

BOM = b"\xef\xbb\xbf"
# the suffix of write_atomic's temporary files: a run killed mid-write leaves one, and the
# next run of the same writer removes it (remove_temporaries)
TEMPORARY = ".release-guard-tmp"


class Refusal(InputError):
    """A command declines to change anything: exit 2, with an RG6xx code (RG006 for git),
    the reason and what to do; printed like every other error."""

    def __init__(
        self, code: str, message: str, hint: str, path: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(Finding(code, message, path, line, hint=hint))
        self.message = message


class TextFile(NamedTuple):
    """A text file as read, with what it takes to write it back the same way."""

    path: str
    text: str  # decoded; the BOM dropped, line ends kept
    bom: bool
    newline: str  # the file's line end, for any line added to it
    encoding: str = "utf-8"  # a Python file's declared encoding (PEP 263) is kept

    def encode(self, text: str) -> bytes:
        return (BOM if self.bom else b"") + text.encode(self.encoding)


def read_text_file(source: Source, path: str) -> TextFile | None:
    """The file for editing; None when missing; InputError (RG002) when not plain text."""
    text = read_text(source, path)
    if text is None:
        return None
    raw = source.read_bytes(path) or b""
    bom = raw.startswith(BOM)
    newline = "\r\n" if "\r\n" in text else "\n"
    encoding = declared_encoding(path, raw[3:] if bom else raw) or "utf-8"
    return TextFile(path, text, bom, newline, encoding)


class Change(NamedTuple):
    path: str  # POSIX, relative to the project root
    before: bytes | None  # None: the file is created
    after: bytes


def replace_span(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]


class Overlay:
    """A WorkTree as it will be once the changes are written: checks run on it first."""

    def __init__(self, base: Source, changes: Sequence[Change]) -> None:
        self.base = base
        self.changed = {change.path: change.after for change in changes}

    def describe(self, path: str) -> str:
        return self.base.describe(path)

    def read_bytes(self, path: str) -> bytes | None:
        if path in self.changed:
            return self.changed[path]
        return self.base.read_bytes(path)

    def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
        listed = self.base.list_dir(path)
        entries = dict(listed or [])
        prefix = "" if path in ("", ".") else path.rstrip("/") + "/"
        for changed in self.changed:
            if changed.startswith(prefix):
                name, _, rest = changed[len(prefix) :].partition("/")
                entries.setdefault(name, bool(rest))
        if listed is None and not entries:
            return None
        return sorted(entries.items())


def unified_diff(changes: Sequence[Change]) -> str:
    """What `apply` would do, as one unified diff (line ends shown as they are)."""
    import difflib

    chunks: list[str] = []
    for change in changes:
        before = (change.before or b"").decode("utf-8", "surrogateescape")
        after = change.after.decode("utf-8", "surrogateescape")
        chunks += difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            "/dev/null" if change.before is None else f"a/{change.path}",
            f"b/{change.path}",
        )
        if chunks and not chunks[-1].endswith("\n"):
            chunks.append("\n\\ No newline at end of file\n")
    return "".join(chunks)


def apply(root: str, changes: Sequence[Change], command: str) -> None:
    """Write every change, journalled (release_guard.journal): all new files staged and
    flushed first, then each renamed into place, the file's mode kept.

    Each target is re-read just before it is replaced: one that changed since it was read (an
    editor saved meanwhile) is refused (RG606). If any write fails, every file already
    written is put back as it was (created files and directories removed), and a Refusal
    says what happened: never a half-written release. A kill leaves the journal, from which
    `release-guard recover` finishes or undoes the write.
    """
    if not changes:
        return  # nothing to write: not even a staging directory
    from release_guard import journal

    journal.clear_leftovers(root)
    staging = journal.staging_dir(root)
    done: list[tuple[str, Change]] = []
    created_dirs: list[str] = []
    try:
        staged = journal.stage(root, command, changes)
    except OSError as error:  # nothing replaced yet
        journal.finish(root)
        raise _write_failure(error.filename or journal.STAGING, error, done, []) from None
    for change, entry in zip(changes, staged):
        target = os.path.realpath(os.path.join(root, *change.path.split("/")))
        try:
            new = os.path.join(staging, entry.new)
            os.chmod(new, _mode_for(target))
            _ensure_unchanged(target, change)
            created_dirs += _make_parents(os.path.dirname(target))
            os.replace(new, target)  # the re-read above and this rename: nothing in between
        except BaseException as error:
            failures = _restore(done, created_dirs)
            if not failures:
                journal.finish(root)
            if not isinstance(error, (OSError, Refusal)):
                raise
            raise _write_failure(change.path, error, done, failures) from None
        done.append((target, change))
    for directory in {os.path.dirname(target) for target, _ in done}:
        fsync_directory(directory)
    journal.finish(root)


def _mode_for(target: str) -> int:
    """The mode of the file being replaced; a new file's, under the umask, otherwise."""
    import stat

    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_directory(directory: str) -> None:
    """A rename or removal inside `directory` made durable (where the OS allows it)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # gone, or a platform that cannot open directories (Windows)
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _ensure_unchanged(target: str, change: Change) -> None:
    """Refuse when the file changed on disk since it was read (an editor saved meanwhile)."""
    try:
        with open(target, "rb") as handle:
            current: bytes | None = handle.read()
    except FileNotFoundError:
        current = None
    if current != change.before:
        raise Refusal(
            "RG606",
            f"{change.path} changed on disk while release-guard was working",
            "run the command again",
            change.path,
        )


def _make_parents(directory: str) -> list[str]:
    """Create missing parent directories; the ones created, outermost first."""
    missing = []
    while not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path)
    return list(reversed(missing))


def write_atomic(target: str, data: bytes, mode: int | None = None) -> None:
    """The whole file or nothing: a temporary file beside it, flushed to disk, then renamed
    over it. It keeps the mode of the file it replaces unless `mode` is given."""
    import tempfile

    if mode is None:
        mode = _mode_for(target)
    directory, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=TEMPORARY)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def restore_files(root: str, changes: Sequence[Change]) -> list[str]:
    """Put back the files `apply` wrote (created ones removed); the paths it could not."""
    done = [(os.path.realpath(os.path.join(root, *c.path.split("/"))), c) for c in changes]
    return _restore(done, [])


def remove_temporaries(directory: str, name: str) -> None:
    """write_atomic's temporaries for `name` in `directory`, left by a killed run."""
    prefix = f".{name}."
    with contextlib.suppress(OSError):
        for entry in os.listdir(directory):
            if entry.startswith(prefix) and entry.endswith(TEMPORARY):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(directory, entry))


def _restore(done: list[tuple[str, Change]], created_dirs: list[str]) -> list[str]:
    """Undo the writes already made; the paths that could not be restored."""
    failures = []
    for target, change in reversed(done):
        try:
            if change.before is None:
                os.unlink(target)
            else:
                write_atomic(target, change.before)
        except OSError:
            failures.append(change.path)
    for directory in reversed(created_dirs):
        with contextlib.suppress(OSError):  # not empty: something else lives there now
            os.rmdir(directory)
    return failures


def _write_failure(
    path: str, error: BaseException, done: list[tuple[str, Change]], failures: list[str]
) -> Refusal:
    if isinstance(error, Refusal):
        reason = error.message
    else:
        assert isinstance(error, OSError)
        reason = f"cannot write {path}: {error.strerror or error}"
    if failures:
        return Refusal(
            "RG606",
            f"{reason}; could NOT restore {', '.join(failures)}",
            "restore those files from git (git checkout -- FILE) and run the command again",
            path,
        )
    restored = f"; {len(done)} file(s) already written were restored" if done else ""
    return Refusal(
        "RG606", f"{reason}{restored}: nothing changed", "fix the cause and run it again", path
    )


def run_git(root: str, *args: str) -> subprocess.CompletedProcess[str] | None:
    """git's answer about the files being edited; None when git cannot run at all."""
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", *args],
            cwd=root,
            capture_output=True,
            # a path git prints in bytes that are not UTF-8 must not stop the command
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except OSError:
        return None


def inside_git(root: str) -> bool:
    result = run_git(root, "rev-parse", "--is-inside-work-tree")
    return result is not None and result.returncode == 0 and result.stdout.strip() == "true"


MAX_LINE_EDITS = 64  # prepare changes a handful of lines per file


def line_mapper(change: Change) -> Callable[[int], int]:
    """line -> the line of the file as it is now that shows up as `line` once the change is
    written, so that findings on a planned file point at the lines the user sees.

    One shortest edit script per change (Myers, O((N+M)·D) for D differing lines: linear for
    the few lines prepare edits, where difflib.SequenceMatcher is quadratic on the repeated
    lines of a changelog). A line the change added maps to where it goes in; past
    MAX_LINE_EDITS differing lines, lines are reported as they are in the planned file.
    """
    if change.before is None:
        return lambda line: line
    before = change.before.split(b"\n")
    after = change.after.split(b"\n")
    matches = _matching_lines(before, after)
    if matches is None:
        return lambda line: line
    mapping = []
    last_before = -1
    for index in range(len(after)):
        if index in matches:
            last_before = matches[index]
            mapping.append(last_before + 1)
        else:
            mapping.append(last_before + 2)
    return lambda line: mapping[line - 1] if 0 < line <= len(mapping) else line


def _matching_lines(before: list[bytes], after: list[bytes]) -> dict[int, int] | None:
    """after index -> before index of the lines a shortest edit script keeps; None when more
    than MAX_LINE_EDITS lines differ."""
    n, m = len(before), len(after)
    furthest = {1: 0}  # diagonal k = x - y -> furthest x reached on it
    trace = []
    for edits in range(MAX_LINE_EDITS + 1):
        trace.append(dict(furthest))
        for k in range(-edits, edits + 1, 2):
            down = k == -edits or (k != edits and furthest[k - 1] < furthest[k + 1])
            x = furthest[k + 1] if down else furthest[k - 1] + 1
            y = x - k
            while x < n and y < m and before[x] == after[y]:
                x, y = x + 1, y + 1
            furthest[k] = x
            if x >= n and y >= m:
                return _backtrack(trace, n, m)
    return None


def _backtrack(trace: list[dict[int, int]], x: int, y: int) -> dict[int, int]:
    matches = {}
    for edits in range(len(trace) - 1, -1, -1):
        furthest = trace[edits]
        k = x - y
        down = k == -edits or (k != edits and furthest[k - 1] < furthest[k + 1])
        previous_k = k + 1 if down else k - 1
        previous_x = furthest[previous_k]
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            x, y = x - 1, y - 1
            matches[y] = x
        x, y = previous_x, previous_y
    return matches
