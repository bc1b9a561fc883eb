"""One way to read a project's files: from the working tree or from a git commit.

The same checks run at commit time (working tree), at push time and in CI (a commit read
through a single `git cat-file --batch` process), so every check reads through a Source.
"""

from __future__ import annotations

import os
import stat
from typing import IO, Protocol

from release_guard.findings import input_error

MAX_TEXT_BYTES = 16 * 1024 * 1024


class Source(Protocol):
    """Read-only view of a project tree; paths are POSIX and relative to the project root."""

    def describe(self, path: str) -> str:
        """How to name `path` in a message."""

    def read_bytes(self, path: str) -> bytes | None:
        """The file's bytes, None when it does not exist; InputError for a directory."""

    def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
        """(name, is_dir) entries of a directory, None when it is not one."""


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
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        if _looks_binary(data):
            raise input_error("RG002", f"{where} is a binary file, expected text", path) from None
        line = body.count(b"\n", 0, error.start) + 1
        raise input_error(
            "RG002",
            f"{where} is not UTF-8 (byte 0x{body[error.start]:02x} on line {line})",
            path,
            line,
        ) from None
    if "\x00" in text and _looks_binary(data):
        raise input_error("RG002", f"{where} is a binary file, expected text", path)
    return text


def _looks_binary(data: bytes) -> bool:
    import io

    from identify.identify import is_text  # lazy: only a file that failed to decode gets here

    return not is_text(io.BytesIO(data))


class WorkTree:
    """The files on disk below `root`."""

    def __init__(self, root: str) -> None:
        self.root = root

    def describe(self, path: str) -> str:
        return path

    def _full(self, path: str) -> str:
        return os.path.join(self.root, *path.split("/"))

    def read_bytes(self, path: str) -> bytes | None:
        full = self._full(path)
        try:
            # O_NONBLOCK: a FIFO in place of a file must not hang the run (it is refused below)
            descriptor = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except IsADirectoryError:
            raise _not_a_file(path, "a directory") from None
        except OSError as error:
            raise input_error("RG002", f"{path}: {error.strerror}", path) from None
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
                return [(entry.name, _is_dir(entry)) for entry in entries]
        except OSError:
            return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A symlink loop is listed as a file, so that reading it reports the loop (RG002)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_capped(descriptor: int, expected: int) -> bytes:
    """The file's bytes, at most one byte past the size limit. Reads are sized from fstat: a
    16 MiB buffer per read made 200 small news fragments cost ~5 ms instead of ~0.6 ms."""
    chunks = []
    total = 0
    while total <= MAX_TEXT_BYTES:
        wanted = min(max(expected - total + 1, 4096), MAX_TEXT_BYTES + 1 - total)
        chunk = os.read(descriptor, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _not_a_file(path: str, what: str) -> Exception:
    return input_error("RG002", f"{path} is {what}, expected a file", path)


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
        detail = result.stderr.strip().splitlines()
        raise input_error(
            "RG006", f"git {args[0]} failed: {detail[-1] if detail else result.returncode}"
        )
    return result.stdout


class CatFile:
    """One `git cat-file --batch` process answering every object request of a run."""

    def __init__(self, git_dir_or_root: str) -> None:
        import subprocess  # lazy: ~3 ms that the commit-time path (a WorkTree) never needs

        self.requests = 0
        try:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
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

    def get(self, spec: str) -> tuple[str, str, bytes] | None:
        """(sha, type, content) of an object named like `<rev>:<path>`; None when missing."""
        if "\n" in spec:
            raise input_error("RG006", f"object name with a newline: {spec!r}")
        self.requests += 1
        try:
            self._stdin.write(spec.encode() + b"\n")
            self._stdin.flush()
            header = self._stdout.readline().decode().split()
        except OSError as error:
            raise input_error("RG006", f"git cat-file failed: {error}") from None
        if len(header) == 2 and header[1] in ("missing", "ambiguous"):
            return None
        if len(header) != 3:
            raise input_error("RG006", f"unexpected answer from git cat-file for {spec!r}")
        sha, kind, size = header[0], header[1], int(header[2])
        content = self._stdout.read(size)
        self._stdout.read(1)  # the newline after every object
        return sha, kind, content

    def close(self) -> None:
        import contextlib

        # git may have exited already (outside a repository): its error is the one to tell
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        self._process.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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
        return _tree_entries(found[2], hash_size=len(found[0]) // 2)


def _tree_entries(data: bytes, hash_size: int) -> list[tuple[str, bool]]:
    """Parse a raw tree object: entries of `<mode> <name>\\0<binary object id>`."""
    entries = []
    position = 0
    while position < len(data):
        space = data.index(b" ", position)
        nul = data.index(b"\0", space)
        mode = data[position:space]
        entries.append((data[space + 1 : nul].decode("utf-8", "surrogateescape"), mode == b"40000"))
        position = nul + 1 + hash_size  # 20 bytes for SHA-1, 32 for SHA-256 repositories
    return entries
