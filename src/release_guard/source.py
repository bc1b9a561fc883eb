"""One way to read a project's files: from the working tree or from a git commit.

The same checks run at commit time (working tree), at push time and in CI (a commit read
through a single `git cat-file --batch` process), so every check reads through a Source.
"""

from __future__ import annotations

import os
import stat

from release_guard.findings import input_error

MAX_TEXT_BYTES = 16 * 1024 * 1024

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Protocol

    class Source(Protocol):
        """Read-only view of a project tree; paths are POSIX and relative to the project
        root."""

        def describe(self, path: str) -> str:
            """How to name `path` in a message."""

        def read_bytes(self, path: str) -> bytes | None:
            """The file's bytes, None when it does not exist; InputError for a directory."""

        def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
            """(name, is_dir) entries of a directory, None when it is not one."""

else:
    # A protocol for the type checker only: `typing` would cost ~2 ms of every commit-time
    # start (docs/design.md, "Start-up"); at run time nothing asks what a Source is.
    Source = object


def read_text(source: Source, path: str, allow_empty: bool = False) -> str | None:
    """Decode a file as UTF-8 text (a BOM is dropped, CRLF kept); None when missing.

    Anything that is not plain text is an input error, never a silent fallback; so is an
    empty (or blank) file, unless the caller can judge one (`allow_empty`).
    """
    data = source.read_bytes(path)
    if data is None:
        return None
    where = source.describe(path)
    # the BOM by hand: the utf-8-sig codec is one more module to import (~0.7 ms)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body.strip() and not allow_empty:
        raise input_error("RG002", f"{where} is empty", path)
    if len(data) > MAX_TEXT_BYTES:
        # sources stop reading one byte past the limit: the true size is unknown here
        limit = f"{MAX_TEXT_BYTES // (1024 * 1024)} MiB"
        raise input_error("RG002", f"{where} is too large (more than {limit})", path)
    declared = declared_encoding(path, body)
    try:
        text = body.decode(declared or "utf-8")
    except LookupError:
        raise input_error(
            "RG002", f"{where} declares an unknown encoding {declared!r}", path
        ) from None
    except UnicodeDecodeError as error:
        if _looks_binary(data):
            raise input_error("RG002", f"{where} is a binary file, expected text", path) from None
        line = body.count(b"\n", 0, error.start) + 1
        expected = f"{declared}, as its coding declaration says" if declared else "UTF-8"
        raise input_error(
            "RG002",
            f"{where} is not {expected} (byte 0x{body[error.start]:02x} on line {line})",
            path,
            line,
        ) from None
    if "\x00" in text and _looks_binary(data):
        raise input_error("RG002", f"{where} is a binary file, expected text", path)
    return text


def declared_encoding(path: str, data: bytes) -> str | None:
    """The encoding a Python file declares in its first two lines (PEP 263), as Python itself
    reads it: `# -*- coding: latin-1 -*-`. None for other files, or no declaration."""
    head = data[:1024]
    if not path.endswith(".py") or b"coding" not in head:
        return None  # the common case, without compiling a regular expression
    import re

    for number, line in enumerate(head.split(b"\n")[:2]):
        found = re.match(rb"[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", line)
        if found:
            return found.group(1).decode("ascii")
        if number == 0 and not re.match(rb"[ \t\f]*(?:#|\r?$)", line):
            break  # the second line counts only after a comment or blank first line
    return None


def _looks_binary(data: bytes) -> bool:
    import io

    from identify.identify import is_text  # lazy: only a file that failed to decode gets here

    return not is_text(io.BytesIO(data))


class WorkTree:
    """The files on disk below `root`."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._real_root: str | None = None
        self._real_directories: dict[str, str] = {}

    def describe(self, path: str) -> str:
        return path

    def _open_checked(self, full: str, path: str, flags: int) -> int | None:
        """The file opened, links followed, after checking they stay inside."""
        if not self._inside(full):
            raise link_error(path, path, "leads out of the repository")
        try:
            return self._open(full, path, flags)
        except _Link:
            raise link_error(path, path, "loops") from None

    def _open(self, full: str, path: str, flags: int) -> int | None:
        """A descriptor, None for a missing file; _Link for a link (with O_NOFOLLOW) or a
        loop of links."""
        try:
            return os.open(full, flags)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except IsADirectoryError:
            raise _not_a_file(path, "a directory") from None
        except OSError as error:
            import errno  # lazy: only a failed open gets here

            if error.errno == errno.ELOOP:
                raise _Link from None
            raise input_error("RG002", f"{path}: {error.strerror}", path) from None

    def _directory_inside(self, full: str) -> bool:
        """Whether the directory holding `full`, links resolved, is inside the repository."""
        return self._within(self._real_directory(os.path.dirname(full)))

    def _inside(self, full: str) -> bool:
        """Whether `full`, every symbolic link resolved, stays inside the repository."""
        directory, name = os.path.split(full)
        real = os.path.join(self._real_directory(directory), name)
        if os.path.islink(real):
            real = os.path.realpath(real)
        return self._within(real)

    def _within(self, real: str) -> bool:
        """Whether a resolved path is the repository's root or below it."""
        root = self._resolved_root()
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def _resolved_root(self) -> str:
        if self._real_root is None:
            self._real_root = self._real_directory(self.root)
        return self._real_root

    def _real_directory(self, directory: str) -> str:
        """`directory` with every link resolved, from its parent's: one `lstat` for each new
        directory, where `realpath` walks the whole path (a workspace reads from hundreds)."""
        real = self._real_directories.get(directory)
        if real is None:
            parent, name = os.path.split(directory)
            if name in ("", ".", "..") or parent == directory or not parent.startswith(self.root):
                real = os.path.realpath(directory)
            else:
                real = os.path.join(self._real_directory(parent), name)
                if os.path.islink(real):
                    real = os.path.realpath(real)
            self._real_directories[directory] = real
        return real

    def _full(self, path: str) -> str:
        if "\x00" in path:  # the OS cannot name it; configured paths can hold one
            raise input_error("RG002", f"{path!r} contains a NUL byte: no file has that name", path)
        return os.path.join(self.root, *path.split("/"))

    def read_bytes(self, path: str) -> bytes | None:
        full = self._full(path)
        # O_NONBLOCK: a FIFO in place of a file must not hang the run (it is refused below)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        if _NO_FOLLOW and self._directory_inside(full):
            # one system call in the common case, in a directory known to be inside: a file
            # that is no link opens, a missing one fails; only a link takes the full way
            try:
                descriptor = self._open(full, path, flags | _NO_FOLLOW)
            except _Link:
                descriptor = self._open_checked(full, path, flags)
        else:
            descriptor = self._open_checked(full, path, flags)
        if descriptor is None:
            return None
        try:
            status = os.fstat(descriptor)
            if stat.S_ISDIR(status.st_mode):
                raise _not_a_file(path, "a directory")
            if not stat.S_ISREG(status.st_mode):
                raise _not_a_file(path, "a FIFO, socket or device")
            return _read_capped(descriptor, status.st_size)
        except OSError as error:
            raise input_error("RG002", f"{path}: {error.strerror}", path) from None
        finally:
            os.close(descriptor)

    def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
        try:
            with os.scandir(self._full(path)) as entries:
                return [(entry.name, self._is_dir(entry)) for entry in entries]
        except OSError:
            return None

    def _is_dir(self, entry: os.DirEntry[str]) -> bool:
        """A directory, or a link to one inside the repository (as GitCommit sees it); a
        symlink loop is listed as a file, so that reading it reports the loop (RG002)."""
        try:
            if not entry.is_symlink():
                return entry.is_dir()
            return entry.is_dir() and self._inside(entry.path)
        except OSError:
            return False


# Opening with O_NOFOLLOW fails on a link: a file opened so needs no `lstat` of its own.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


class _Link(Exception):
    """open() met a symbolic link it was not to follow, or a loop of them (ELOOP)."""


def _read_capped(descriptor: int, expected: int) -> bytes:
    """The file's bytes, at most one byte past the size limit. Reads are sized from fstat: a
    16 MiB buffer per read made 200 small news fragments cost ~5 ms instead of ~0.6 ms."""
    chunks = []
    total = 0
    while total <= MAX_TEXT_BYTES:
        wanted = min(max(expected - total + 1, 4096), MAX_TEXT_BYTES + 1 - total)
        chunk = os.read(descriptor, wanted)
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < wanted:  # a regular file reads short only at its end
            break
    return b"".join(chunks)


def _not_a_file(path: str, what: str) -> Exception:
    return input_error("RG002", f"{path} is {what}, expected a file", path)


def link_error(where: str, path: str, what: str) -> Exception:
    """A symbolic link both sources refuse alike: one leaving the repository, or a loop."""
    return input_error("RG002", f"{where}: a symbolic link on this path {what}", path)


def git_output(cwd: str, *args: str, stdin: str | None = None, check: bool = True) -> str:
    """git's stdout; RG006 when git cannot run or, with `check`, when the command fails."""
    import subprocess  # lazy: the commit-time path never runs git

    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise input_error("RG006", f"cannot run git: {error.strerror}") from None
    if check and result.returncode != 0:
        raise input_error(
            "RG006", f"git {args[0]} failed: {git_failure(result.returncode, result.stderr)}"
        )
    return result.stdout


def git_failure(returncode: int, stderr: str) -> str:
    """Why git failed, in a few words, even when it said nothing (killed by a signal, such as
    SIGXFSZ under `ulimit -f`)."""
    said = stderr.strip().splitlines()
    if said:
        return said[-1]
    if returncode < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


# `git cat-file --follow-symlinks` answers for a link it cannot resolve within the tree:
# "symlink" leaves it, "loop" never ends, "dangling"/"notdir" lead to nothing.
LINK_ANSWERS = ("symlink", "loop", "dangling", "notdir")
_LINK_ANSWERS = tuple(answer.encode("ascii") for answer in LINK_ANSWERS)


class CatFile:
    """One `git cat-file --batch` process answering every object request of a run."""

    def __init__(self, git_dir_or_root: str) -> None:
        import subprocess  # lazy: ~3 ms that the commit-time path (a WorkTree) never needs

        self.requests = 0
        try:
            self._process = subprocess.Popen(
                # in-repository links resolve as on disk; others come back as answers below
                ["git", "cat-file", "--batch", "--follow-symlinks"],
                cwd=git_dir_or_root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError as error:
            raise input_error("RG006", f"cannot run git: {error.strerror}") from None
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._stdin: IO[bytes] = self._process.stdin
        self._stdout: IO[bytes] = self._process.stdout

    def get(self, spec: str, limit: int = MAX_TEXT_BYTES + 1) -> tuple[str, str, bytes] | None:
        """(sha, type, content) of an object named like `<rev>:<path>`; None when missing.

        The name goes to git as the bytes it stands for (a path listed from a tree may hold
        bytes that are not UTF-8). Only the first `limit` bytes of a blob, tag or commit are
        kept, the rest drained unread: cat-file gives the size first, so a 200 MB file costs no
        memory (trees are kept whole: they are git's own structure, and parsed entire).
        A symbolic link git cannot follow inside the tree comes back with an empty sha and
        the kind git names (LINK_ANSWERS), its content what git tells about it.
        """
        name = spec.encode("utf-8", "surrogateescape")
        if b"\n" in name:
            raise input_error("RG006", f"object name with a newline: {spec!r}")
        self.requests += 1
        try:
            self._stdin.write(name + b"\n")
            self._stdin.flush()
            header = _batch_header(self._stdout.readline(), name)
            if header is None:
                return None
            sha, kind, size = header
            content = self._read_exactly(size if kind == "tree" else min(size, limit))
            self._drain(size - len(content) + 1)  # the rest, and the newline after every object
        except OSError as error:
            raise input_error("RG006", f"git cat-file failed: {error}") from None
        return sha, kind, content

    def _read_exactly(self, size: int) -> bytes:
        data = self._stdout.read(size)
        if len(data) != size:
            raise input_error("RG006", "git cat-file stopped in the middle of an object")
        return data

    def _drain(self, size: int) -> None:
        chunk = 1024 * 1024
        while size > 0:
            size -= len(self._read_exactly(min(size, chunk)))

    def close(self) -> None:
        import contextlib

        # git may have gone already: the request that found out has reported it (RG006)
        with contextlib.suppress(OSError):
            self._stdin.close()
        self._process.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_OBJECT_TYPES = (b"blob", b"tree", b"commit", b"tag")


def _batch_header(line: bytes, name: bytes) -> tuple[str, str, int] | None:
    """One header of `git cat-file --batch`, by its grammar: `<sha> SP <type> SP <size> LF`,
    or `<name> SP missing LF` / `<name> SP ambiguous LF` where `<name>` is the request as
    sent, spaces included. None for a missing object; RG006 for anything else."""
    if line in (name + b" missing\n", name + b" ambiguous\n"):
        return None
    fields = line[:-1].split(b" ") if line.endswith(b"\n") else []
    if len(fields) == 2 and fields[0] in _LINK_ANSWERS and fields[1].isdigit():
        return "", fields[0].decode("ascii"), int(fields[1])
    if (
        len(fields) == 3
        and len(fields[0]) in (40, 64)
        and all(c in b"0123456789abcdef" for c in fields[0])
        and fields[1] in _OBJECT_TYPES
        and fields[2].isdigit()
    ):
        return fields[0].decode("ascii"), fields[1].decode("ascii"), int(fields[2])
    shown = name.decode("utf-8", "replace")
    raise input_error("RG006", f"unexpected answer from git cat-file for {shown!r}: {line[:200]!r}")


class GitCommit:
    """The files of one commit, read through a shared CatFile, each object asked for once
    (config detection and the checks read some files twice)."""

    def __init__(self, cat_file: CatFile, commit: str, label: str) -> None:
        self.cat_file = cat_file
        self.commit = commit
        self.label = label
        self._objects: dict[str, tuple[str, str, bytes] | None] = {}

    def describe(self, path: str) -> str:
        return f"{path} (at {self.label})"

    def _get(self, path: str) -> tuple[str, str, bytes] | None:
        if path not in self._objects:
            self._objects[path] = self.cat_file.get(f"{self.commit}:{path}")
        return self._objects[path]

    def read_bytes(self, path: str) -> bytes | None:
        found = self._get(path)
        if found is None:
            return None
        _, kind, content = found
        if kind == "symlink":
            raise link_error(self.describe(path), path, "leads out of the repository")
        if kind == "loop":
            raise link_error(self.describe(path), path, "loops")
        if kind == "tree":
            raise input_error(
                "RG002", f"{self.describe(path)} is a directory, expected a file", path
            )
        if kind != "blob":
            return None
        return content

    def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
        found = self._get(path)
        if found is None or found[1] != "tree":
            return None
        entries = _tree_entries(found[2], hash_size=len(found[0]) // 2)
        return [(name, self._is_dir(path, name, mode)) for name, mode in entries]

    def _is_dir(self, path: str, name: str, mode: bytes) -> bool:
        """A directory, or a link to one inside the tree (as WorkTree sees it)."""
        if mode != SYMLINK_MODE:
            return mode == b"40000"
        found = self._get(f"{path}/{name}" if path not in ("", ".") else name)
        return found is not None and found[1] == "tree"


SYMLINK_MODE = b"120000"


def _tree_entries(data: bytes, hash_size: int) -> list[tuple[str, bytes]]:
    """Parse a raw tree object: entries of `<mode> <name>\\0<binary object id>`."""
    entries = []
    position = 0
    while position < len(data):
        space = data.index(b" ", position)
        nul = data.index(b"\0", space)
        mode = data[position:space]
        entries.append((data[space + 1 : nul].decode("utf-8", "surrogateescape"), mode))
        position = nul + 1 + hash_size  # 20 bytes for SHA-1, 32 for SHA-256 repositories
    return entries


class SubTree:
    """A directory of another source seen as a tree of its own: a workspace package.

    Paths are relative to the directory; `..` may reach the rest of the repository (a
    package's changelog kept in the root's `docs/`) but never above its root."""

    def __init__(self, base: Source, directory: str) -> None:
        self.base = base
        self.directory = directory

    def path_in_base(self, path: str) -> str:
        if path and not path.startswith(".") and "/." not in path:
            return f"{self.directory}/{path}"  # the common case, without normpath's cost
        import posixpath

        joined = posixpath.normpath(posixpath.join(self.directory, path))
        if joined == ".." or joined.startswith("../"):
            raise input_error("RG002", f"{path} (in {self.directory}) leaves the repository", path)
        return "" if joined == "." else joined  # "": the root, as git names it

    def describe(self, path: str) -> str:
        return self.base.describe(self.path_in_base(path))

    def read_bytes(self, path: str) -> bytes | None:
        return self.base.read_bytes(self.path_in_base(path))

    def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
        return self.base.list_dir(self.path_in_base(path))
