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
from collections.abc import Sequence
from typing import NamedTuple

from release_guard.findings import Finding, InputError
from release_guard.source import Source, read_text

BOM = b"\xef\xbb\xbf"


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

    def encode(self, text: str) -> bytes:
        return (BOM if self.bom else b"") + text.encode("utf-8")


def read_text_file(source: Source, path: str) -> TextFile | None:
    """The file for editing; None when missing; InputError (RG002) when not plain text."""
    text = read_text(source, path)
    if text is None:
        return None
    raw = source.read_bytes(path) or b""
    return TextFile(path, text, raw.startswith(BOM), "\r\n" if "\r\n" in text else "\n")


class Change(NamedTuple):
    path: str  # POSIX, relative to the project root
    before: bytes | None  # None: the file is created
    after: bytes


def replace_span(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]


def line_offset(text: str, line: int) -> int:
    """Offset of the start of a 1-based line (line ends are "\\n" or "\\r\\n")."""
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


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


def apply(root: str, changes: Sequence[Change]) -> None:
    """Write every change atomically (temp file + rename, the file's mode kept).

    If any write fails, every file already written is put back as it was (created files and
    directories removed), and a Refusal says what happened: never a half-written release.
    """
    done: list[tuple[str, Change]] = []
    created_dirs: list[str] = []
    for change in changes:
        target = os.path.realpath(os.path.join(root, *change.path.split("/")))
        try:
            _ensure_unchanged(target, change)
            created_dirs += _make_parents(os.path.dirname(target))
            write_atomic(target, change.after)
        except BaseException as error:
            failures = _restore(done, created_dirs)
            if not isinstance(error, (OSError, Refusal)):
                raise
            raise _write_failure(change.path, error, done, failures) from None
        done.append((target, change))


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
    import stat
    import tempfile

    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    directory, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
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
            text=True,
            check=False,
        )
    except OSError:
        return None


def inside_git(root: str) -> bool:
    result = run_git(root, "rev-parse", "--is-inside-work-tree")
    return result is not None and result.returncode == 0 and result.stdout.strip() == "true"


def line_before(change: Change, line: int) -> int:
    """The line of the file as it is now that shows up as `line` once the change is written,
    so that findings on a planned file point at the lines the user sees."""
    import difflib

    if change.before is None:
        return line
    before = change.before.split(b"\n")
    after = change.after.split(b"\n")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, before_start, _, after_start, after_end in matcher.get_opcodes():
        if after_start < line <= after_end:
            offset = line - 1 - after_start if tag == "equal" else 0
            return before_start + offset + 1
    return line
