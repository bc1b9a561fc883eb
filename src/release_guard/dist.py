"""`release-guard verify-dist`: check built wheels and sdists before they are published.

Archives are read in place (zipfile, tarfile); nothing is ever extracted to disk, so a
hostile archive can only produce findings. docs/dist.md describes every check.
"""

from __future__ import annotations

# Imported at the top: this module is loaded only to run verify-dist, which needs them all.
import argparse
import binascii
import csv
import hashlib
import mmap
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from fnmatch import fnmatchcase
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata, parse_email
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from release_guard.check import add_output_arguments, find_root
from release_guard.config import Project, detect_package_init, load_project
from release_guard.findings import Finding, input_error
from release_guard.report import Outcome, default_format, run_command
from release_guard.source import Source, WorkTree
from release_guard.versions import check_versions

if TYPE_CHECKING:
    import tarfile  # imported when an sdist is verified: it costs a wheel-only run 6 ms

# METADATA, PKG-INFO and RECORD are read whole; anything larger is no honest metadata file.
MAX_METADATA_BYTES = 16 * 1024 * 1024
HASH_CHUNK = 1024 * 1024
# deflate inflates at most 1032 times; an entry claiming more is refused before inflating
MAX_DEFLATE_RATIO = 1100
# After this many findings of one code in one archive, the rest are counted, not listed:
# one wrong setting can touch every file of a 10,000-file wheel.
MAX_FINDINGS_PER_CODE = 10
SIGNATURE_FILES = ("RECORD.jws", "RECORD.p7s")
# The wheel spec: sha256 or better (never md5 or sha1); shake has no fixed digest length.
RECORD_HASHES = {
    name: getattr(hashlib, name)
    for name in ("sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512", "blake2b",
                 "blake2s")
}  # fmt: skip
WELL_KNOWN_STRAYS = {
    "test": "test code",
    "tests": "test code",
    "testing": "test code",
    "doc": "documentation",
    "docs": "documentation",
    "example": "examples",
    "examples": "examples",
    "bench": "benchmarks",
    "benchmarks": "benchmarks",
}


class Expected(NamedTuple):
    """What every dist must be: built from this project, at this version, with these files."""

    name: str | None
    version: Version | None
    origin: str  # where the version comes from, for messages
    wheel_files: tuple[str, ...]
    sdist_files: tuple[str, ...]
    top_level: tuple[str, ...]  # names or globs allowed at the wheel's top; empty: unknown
    ignore: frozenset[str] = frozenset()  # codes silenced by [tool.release-guard] ignore


class DistReport:
    """Findings about one dist file; past MAX_FINDINGS_PER_CODE of a code, only a count."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.findings: list[Finding] = []
        self._counts: dict[str, int] = {}

    def add(self, code: str, message: str) -> None:
        count = self._counts.get(code, 0) + 1
        self._counts[code] = count
        if count <= MAX_FINDINGS_PER_CODE:
            self.findings.append(Finding(code, message, self.shown))

    def finish(self) -> list[Finding]:
        for code, count in self._counts.items():
            if count > MAX_FINDINGS_PER_CODE:
                more = count - MAX_FINDINGS_PER_CODE
                self.findings.append(
                    Finding(code, f"and {more} more {code} problem(s) in this file", self.shown)
                )
        return self.findings


# -- what to expect ---------------------------------------------------------------------------


def expected_from_project(
    source: Source, tag: str | None, version: Version | None, notes: list[str]
) -> Expected:
    """The project, version and files every dist must show: the version is the tag's, else
    the one given, else the project's own."""
    project = load_project(source)
    config = project.config
    origin = "--version"
    if tag is not None:
        origin = f"tag {tag}"
        version = _as_version(config.version_in_tag(tag) or "")
        if version is None:
            raise input_error(
                "RG004",
                f"--tag {tag!r} names no PEP 440 version under tag-format {config.tag_format!r}",
                "pyproject.toml",
            )
    elif version is None:
        report = check_versions(project, source)
        origin = report.path
        version = _as_version(report.version or "")
        if version is None:
            notes.append(
                "the project has no valid version (see `release-guard check`) and neither --tag "
                "nor --version was given: each dist is only checked to agree with itself"
            )
    package_init = _package_init(project, source)
    return Expected(
        name=project.name,
        version=version,
        origin=origin,
        wheel_files=_default_wheel_files(project, source, package_init, notes),
        sdist_files=_default_sdist_files(project, source, package_init),
        top_level=_allowed_top_level(project, source, package_init),
        ignore=config.ignore,
    )


def _package_init(project: Project, source: Source) -> str | None:
    return detect_package_init(project.pyproject, project.name, source)


def _default_wheel_files(
    project: Project, source: Source, package_init: str | None, notes: list[str]
) -> tuple[str, ...]:
    if project.config.wheel_files is not None:
        return project.config.wheel_files
    if package_init is None:
        notes.append("no package __init__.py found: list required files in wheel-files")
        return ()
    package_dir = posixpath.dirname(package_init)
    in_wheel = posixpath.basename(package_dir)
    files = [f"{in_wheel}/__init__.py"]
    if source.read_bytes(f"{package_dir}/py.typed") is not None:
        files.append(f"{in_wheel}/py.typed")
    return tuple(files)


def _default_sdist_files(
    project: Project, source: Source, package_init: str | None
) -> tuple[str, ...]:
    if project.config.sdist_files is not None:
        return project.config.sdist_files
    files = ["pyproject.toml"]
    if package_init is not None:
        files.append(package_init)
        typed = f"{posixpath.dirname(package_init)}/py.typed"
        if source.read_bytes(typed) is not None:
            files.append(typed)
    return tuple(files)


def _allowed_top_level(
    project: Project, source: Source, package_init: str | None
) -> tuple[str, ...]:
    """What may sit at the wheel's top: the package, what wheel-files names, all of src/."""
    allowed = {pattern.split("/")[0] for pattern in project.config.wheel_files or ()}
    if package_init is not None:
        allowed.add(posixpath.basename(posixpath.dirname(package_init)))
    for name, is_dir in source.list_dir("src") or []:
        stem = name if is_dir else name.split(".")[0]
        if stem and not name.endswith(".egg-info") and name != "__pycache__":
            allowed.add(stem)
    return tuple(sorted(allowed))


# -- glob patterns of required files ----------------------------------------------------------


def _has_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _glob_match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """Path segments against pattern segments: `*` stays inside a segment, `**` spans any."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_match(parts[skip:], pattern[1:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pattern[0]) and _glob_match(parts[1:], pattern[1:])


def missing_required(patterns: Iterable[str], files: set[str]) -> list[str]:
    """The patterns that match none of `files`."""
    missing = []
    split_files: list[list[str]] | None = None
    for pattern in patterns:
        if not _has_glob(pattern):
            if pattern not in files:
                missing.append(pattern)
            continue
        if split_files is None:
            split_files = [name.split("/") for name in files]
        pattern_parts = pattern.split("/")
        if not any(_glob_match(parts, pattern_parts) for parts in split_files):
            missing.append(pattern)
    return missing


# -- checks every archive gets ------------------------------------------------------------------


_BYTECODE_SUFFIXES = (".pyc", ".pyo")


def _unsafe_reason(name: str) -> str | None:
    if not ("\\" in name or ".." in name or "\x00" in name or name[:1] == "/" or name[1:2] == ":"):
        return None  # nearly every name: a few substring tests instead of a regex
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash, a path separator on Windows"
    if "\x00" in name:
        return "contains a NUL byte"
    if ".." in name.split("/"):
        return "escapes the archive with .."
    return None


# Substrings of the newline-joined names that call for a closer look: nearly every archive
# has none of them, and substring tests over one string are far cheaper than a loop.
_NOTEWORTHY = ("\\", "\x00", "..", "\n/", ":", ".pyc\n", ".pyo\n", "__pycache__/")


def check_members(members: Sequence[tuple[str, str]], report: DistReport) -> set[str]:
    """Unsafe paths, links and devices, duplicates and bytecode, over the (name, kind) of
    every entry; kind is "file", "dir", "link" or "special" (device, fifo).

    Returns the unsafe names, which no other check should judge: RG409 condemns them.
    """
    keys = [name[:-1] if kind == "dir" and name.endswith("/") else name for name, kind in members]
    joined = "\n" + "\n".join(keys) + "\n"
    if (
        len(set(keys)) == len(keys)
        and {kind for _, kind in members} <= {"file", "dir"}
        and not any(marker in joined for marker in _NOTEWORTHY)
    ):
        return set()
    seen: set[str] = set()
    unsafe: set[str] = set()
    for (name, kind), key in zip(members, keys):
        reason = _unsafe_reason(name)
        if reason is not None:
            unsafe.add(name)
            report.add("RG409", f"entry {name!r} {reason}")
        elif kind in ("link", "special"):
            what = "a link" if kind == "link" else "a device or fifo"
            report.add("RG409", f"entry {name!r} is {what}; a dist holds regular files only")
        if key in seen:
            report.add("RG408", f"{key} appears more than once")
        seen.add(key)
        if kind == "file" and (
            name.endswith(_BYTECODE_SUFFIXES)
            or name.startswith("__pycache__/")
            or "/__pycache__/" in name
        ):
            report.add("RG406", f"ships bytecode {name}")
    return unsafe


def check_metadata(
    data: bytes,
    where: str,
    filename: tuple[str, Version],
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    """METADATA / PKG-INFO parse and validate, and name the expected project and version
    (without an expectation, the ones of the file name)."""
    try:
        metadata = Metadata.from_email(data, validate=True)
        meta_name, meta_version = metadata.name, str(metadata.version)
    except ExceptionGroup as group:
        for error in group.exceptions:
            if isinstance(error, InvalidMetadata) and _newer_minor_metadata(data, error):
                notes.append(
                    f"{report.shown}: {where} uses a newer Metadata-Version than the installed "
                    "packaging knows; upgrade packaging to validate its new fields"
                )
            else:
                report.add("RG410", f"{where}: {error}")
        raw, _ = parse_email(data)
        meta_name, meta_version = raw.get("name", ""), raw.get("version", "")
    name, name_origin = (
        (expected.name, "pyproject.toml") if expected.name else (filename[0], "the file name")
    )
    version, version_origin = (
        (expected.version, expected.origin) if expected.version else (filename[1], "the file name")
    )
    if meta_name and canonicalize_name(meta_name) != canonicalize_name(name):
        report.add(
            "RG404", f"{where} names project {meta_name}, expected {name} (from {name_origin})"
        )
    if meta_version and _as_version(meta_version) != version:
        report.add(
            "RG403",
            f"{where} names version {meta_version}, expected {version} (from {version_origin})",
        )


def _newer_minor_metadata(data: bytes, error: InvalidMetadata) -> bool:
    """The core metadata spec: a newer minor Metadata-Version is a warning, not a failure."""
    if error.field != "metadata-version":
        return False
    declared = parse_email(data)[0].get("metadata_version", "")
    return re.fullmatch(r"2\.\d+", declared) is not None


def _as_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _read_limited(handle: IO[bytes]) -> bytes | None:
    data = handle.read(MAX_METADATA_BYTES + 1)
    return None if len(data) > MAX_METADATA_BYTES else data


# -- wheels -----------------------------------------------------------------------------------


# RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
_URLSAFE = bytes.maketrans(b"+/", b"-_")  # base64 to its urlsafe alphabet, as RECORD uses
_MAPPED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _zip_kind(info: zipfile.ZipInfo) -> str:
    if info.is_dir():
        return "dir"
    file_type = (info.external_attr >> 16) & 0o170000
    if file_type == 0o120000:
        return "link"
    if file_type not in (0, 0o100000):
        return "special"
    return "file"


class WheelReader:
    """The bytes of wheel entries, for the most part straight from a memory map of the file.

    zipfile's per-entry open (a seek, the local header, a ZipExtFile) costs about 10 us:
    hashing a 10,000-file wheel spent most of its time there. Stored and deflated entries
    are inflated here from the map, chunk by chunk with bounded output, and checked against
    their CRC and size as zipfile would; any other entry goes through zipfile itself.
    """

    def __init__(self, archive: zipfile.ZipFile, path: str) -> None:
        self.archive = archive
        self.size = os.path.getsize(path)
        self._map: mmap.mmap | None = None
        try:
            with open(path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            pass  # not mappable: zipfile reads every entry

    def close(self) -> None:
        if self._map is not None:
            self._map.close()

    def digest(self, info: zipfile.ZipInfo, algorithm: str) -> str:
        """The entry's urlsafe base64 digest, as RECORD writes it; zipfile's errors on damage.

        A huge entry is read in chunks: it costs time, never memory.
        """
        if info.file_size > MAX_DEFLATE_RATIO * info.compress_size + HASH_CHUNK:
            raise zipfile.BadZipFile(
                f"it claims {info.file_size} bytes from {info.compress_size}: "
                "no real compression reaches that ratio (a zip bomb?)"
            )
        span = self._data_span(info)
        if span is None or info.compress_size > HASH_CHUNK or info.file_size > HASH_CHUNK:
            hasher = self._hash_in_chunks(info, algorithm, span)
        else:  # nearly every file: read and inflated in one piece
            assert self._map is not None
            content = self._map[span[0] : span[1]]
            if info.compress_type == zipfile.ZIP_DEFLATED:
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                content = inflater.decompress(content, info.file_size + 1)  # +1 shows excess
                if not inflater.eof and len(content) <= info.file_size:
                    raise zipfile.BadZipFile("its compressed data ends early")
            if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
                raise zipfile.BadZipFile("its size or CRC differs from the zip directory's")
            hasher = RECORD_HASHES[algorithm](content)
        encoded = binascii.b2a_base64(hasher.digest(), newline=False)
        return encoded.translate(_URLSAFE).rstrip(b"=").decode()

    def _hash_in_chunks(
        self, info: zipfile.ZipInfo, algorithm: str, span: tuple[int, int] | None
    ) -> Any:
        hasher = RECORD_HASHES[algorithm]()
        crc = size = 0
        for chunk in self._chunks(info, span):
            hasher.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        if size != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile("its size or CRC differs from the zip directory's")
        return hasher

    def _chunks(self, info: zipfile.ZipInfo, span: tuple[int, int] | None) -> Iterator[bytes]:
        """The entry's content in pieces of at most HASH_CHUNK bytes."""
        if span is None:
            with self.archive.open(info) as handle:
                yield from iter(lambda: handle.read(HASH_CHUNK), b"")
            return

        assert self._map is not None
        start, end = span
        if info.compress_type == zipfile.ZIP_STORED:
            for offset in range(start, end, HASH_CHUNK):
                yield self._map[offset : min(offset + HASH_CHUNK, end)]
            return
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        produced = 0
        for offset in range(start, end, HASH_CHUNK):
            data = self._map[offset : min(offset + HASH_CHUNK, end)]
            while data:
                chunk = inflater.decompress(data, HASH_CHUNK)
                produced += len(chunk)
                if produced > info.file_size:
                    raise zipfile.BadZipFile("it inflates beyond its declared size")
                yield chunk
                data = inflater.unconsumed_tail
        if not inflater.eof:
            raise zipfile.BadZipFile("its compressed data ends early")

    def _data_span(self, info: zipfile.ZipInfo) -> tuple[int, int] | None:
        """Where the entry's compressed bytes are, None when zipfile should read it."""
        mapped = self._map
        if mapped is None or info.flag_bits & 0x1 or info.compress_type not in _MAPPED_METHODS:
            return None  # encrypted, or a compression left to zipfile
        offset = info.header_offset
        if mapped[offset : offset + 4] != b"PK\x03\x04" or offset + 30 > len(mapped):
            return None  # zipfile will name the damage
        name_length, extra_length = struct.unpack_from("<HH", mapped, offset + 26)
        start = offset + 30 + name_length + extra_length
        name = info.orig_filename
        # ASCII is the same in both zip encodings, and far faster to encode as UTF-8
        raw_name = (
            name.encode() if name.isascii() or info.flag_bits & 0x800 else name.encode("cp437")
        )
        # as zipfile does: the local header must name the entry the directory names
        if mapped[offset + 30 : offset + 30 + name_length] != raw_name:
            return None
        end = start + info.compress_size
        return (start, end) if end <= len(mapped) else None

    def read_small(self, info: zipfile.ZipInfo, report: DistReport) -> bytes | None:
        """A metadata file, whole; None (and a finding) when unreadable or too large."""
        if info.file_size > MAX_METADATA_BYTES:
            report.add("RG410", f"{info.filename} is larger than {MAX_METADATA_BYTES} bytes")
            return None
        try:
            with self.archive.open(info) as handle:
                data = _read_limited(handle)
        except _ZIP_ERRORS as error:
            report.add("RG412", f"cannot read {info.filename}: {error}")
            return None
        if data is None:
            report.add("RG410", f"{info.filename} inflates beyond {MAX_METADATA_BYTES} bytes")
        return data


def verify_wheel(path: str, shown: str, expected: Expected, notes: list[str]) -> list[Finding]:
    report = DistReport(shown)
    try:
        name, version, _, _ = parse_wheel_filename(os.path.basename(path))
    except InvalidWheelFilename as error:
        report.add("RG402", f"not a valid wheel file name: {error}")
        return report.finish()
    check_identity(name, version, expected, report)
    try:
        with zipfile.ZipFile(path) as archive:
            reader = WheelReader(archive, path)
            try:
                _verify_wheel_contents(reader, name, version, expected, report, notes)
            finally:
                reader.close()
    except _ZIP_ERRORS as error:
        report.add("RG412", f"cannot read the wheel: {error}")
    return report.finish()


def check_identity(name: str, version: Version, expected: Expected, report: DistReport) -> None:
    if expected.name is not None and canonicalize_name(expected.name) != name:
        report.add("RG404", f"the file name names project {name}, not {expected.name}")
    if expected.version is not None and version != expected.version:
        report.add(
            "RG402",
            f"the file name names version {version}, expected {expected.version} "
            f"(from {expected.origin})",
        )


def _verify_wheel_contents(
    reader: WheelReader,
    name: str,
    version: Version,
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    infos = reader.archive.infolist()
    kinds = [_zip_kind(info) for info in infos]
    unsafe = check_members([(info.filename, kind) for info, kind in zip(infos, kinds)], report)
    files = {info.filename: info for info, kind in zip(infos, kinds) if kind == "file"}
    dist_info = _find_dist_info(files, name, version)
    if dist_info is None:
        report.add(
            "RG410", f"the wheel has no {name.replace('-', '_')}-{version}.dist-info directory"
        )
    elif f"{dist_info}/METADATA" not in files:
        report.add("RG410", f"the wheel has no {dist_info}/METADATA")
    else:
        metadata = reader.read_small(files[f"{dist_info}/METADATA"], report)
        if metadata is not None:
            check_metadata(
                metadata, f"{dist_info}/METADATA", (name, version), expected, report, notes
            )
    if dist_info is not None:
        check_wheel_file(reader, files, dist_info, report)
    if _entries_overlap(infos, reader.size):
        # entries sharing bytes is how a small zip inflates to terabytes: hash none of them
        report.add("RG412", "zip entries overlap each other (a zip bomb technique)")
    elif dist_info is not None:
        check_record(reader, files, dist_info, report)
    for pattern in missing_required(expected.wheel_files, set(files)):
        report.add("RG405", f"required file {pattern} is missing from the wheel")
    check_top_level(files, unsafe, dist_info, expected.top_level, report)


def check_wheel_file(
    reader: WheelReader, files: dict[str, zipfile.ZipInfo], dist_info: str, report: DistReport
) -> None:
    """The WHEEL file installers read first: a 1.x Wheel-Version and Root-Is-Purelib."""
    from email.parser import BytesHeaderParser  # loaded already by packaging.metadata

    name = f"{dist_info}/WHEEL"
    data = reader.read_small(files[name], report) if name in files else None
    if data is None:
        if name not in files:
            report.add("RG410", f"the wheel has no {name}")
        return
    headers = BytesHeaderParser().parsebytes(data)
    wheel_version = str(headers.get("Wheel-Version", "")).strip()
    if not re.fullmatch(r"1\.\d+", wheel_version):
        report.add(
            "RG410", f"{name}: Wheel-Version {wheel_version or 'is missing'}; installers read 1.x"
        )
    purelib = str(headers.get("Root-Is-Purelib", "")).strip().lower()
    if purelib not in ("true", "false"):
        report.add("RG410", f"{name}: Root-Is-Purelib must be true or false")


def _entries_overlap(infos: list[zipfile.ZipInfo], archive_size: int) -> bool:
    """Entries that do not overlap fit, each after a 30-byte local header, in the file;
    past that, some must share bytes."""
    return sum(info.compress_size for info in infos) + 30 * len(infos) > archive_size


def _find_dist_info(files: dict[str, zipfile.ZipInfo], name: str, version: Version) -> str | None:
    """The .dist-info directory of this name and version, else the only one there is."""
    candidates = sorted(
        {entry.partition("/")[0] for entry in files if ".dist-info/" in entry}
        - {""}  # an absolute name is RG409's, not a .dist-info directory
    )
    candidates = [top for top in candidates if top.endswith(".dist-info")]
    for candidate in candidates:
        stem_name, _, stem_version = candidate[: -len(".dist-info")].rpartition("-")
        if canonicalize_name(stem_name) == name and _as_version(stem_version) == version:
            return candidate
    return candidates[0] if len(candidates) == 1 else None


def check_record(
    reader: WheelReader, files: dict[str, zipfile.ZipInfo], dist_info: str, report: DistReport
) -> None:
    """Every file is listed in RECORD with its right hash and size, and nothing else is."""
    record_name = f"{dist_info}/RECORD"
    if record_name not in files:
        report.add("RG411", f"the wheel has no {record_name}")
        return
    data = reader.read_small(files[record_name], report)
    if data is None:
        return
    rows = _parse_record(data, record_name, report)
    if rows is None:
        return
    unlisted = {record_name, *(f"{dist_info}/{name}" for name in SIGNATURE_FILES)}
    for name, info in files.items():
        if name in unlisted:
            continue
        row = rows.pop(name, None)
        if row is None:
            report.add("RG411", f"{name} is in the wheel but not in RECORD")
        else:
            _check_record_row(reader, info, row, report)
    rows.pop(record_name, None)
    for name in rows:
        report.add("RG411", f"RECORD lists {name}, which is not in the wheel")


def _parse_record(data: bytes, record_name: str, report: DistReport) -> dict[str, list[str]] | None:
    """RECORD's rows as path -> [path, hash, size], all as written."""
    try:
        lines = data.decode("utf-8").splitlines()
        # without a quote, CSV is a plain split, and a split is several times faster
        quoted = b'"' in data
        table = list(csv.reader(lines)) if quoted else [line.split(",") for line in lines]
    except (UnicodeDecodeError, csv.Error) as error:
        report.add("RG411", f"{record_name} is not a UTF-8 CSV file: {error}")
        return None
    rows = {fields[0]: fields for fields in table if len(fields) == 3}
    if len(rows) != len(table):  # a malformed or repeated row: find which, at what line
        seen: set[str] = set()
        for number, fields in enumerate(table, 1):
            if len(fields) != 3:
                if fields not in ([], [""]):
                    report.add(
                        "RG411", f"{record_name} line {number} has {len(fields)} fields, not 3"
                    )
            elif fields[0] in seen:
                report.add("RG411", f"{record_name} lists {fields[0]} twice")
            seen.add(fields[0])
    return rows


def _check_record_row(
    reader: WheelReader, info: zipfile.ZipInfo, row: list[str], report: DistReport
) -> None:
    name = info.filename
    _, hash_field, size_field = row
    algorithm, _, expected_digest = hash_field.partition("=")
    if not expected_digest:
        report.add("RG411", f"RECORD has no hash for {name}")
        return
    if algorithm not in RECORD_HASHES:
        report.add("RG411", f"RECORD hashes {name} with {algorithm!r}; use sha256")
        return
    if size_field != str(info.file_size):
        report.add(
            "RG411",
            f"RECORD gives {name} size {size_field or 'none'}, "
            f"the archive holds {info.file_size} bytes",
        )
        return  # hashing a file whose size is already wrong would only cost time
    try:
        digest = reader.digest(info, algorithm)
    except _ZIP_ERRORS as error:
        report.add("RG412", f"cannot read {name}: {error}")
        return
    if digest != expected_digest:
        report.add("RG411", f"the {algorithm} hash of {name} differs from RECORD's")


def check_top_level(
    files: Iterable[str],
    unsafe: set[str],
    dist_info: str | None,
    allowed: tuple[str, ...],
    report: DistReport,
) -> None:
    """Only the project's own packages and modules are installed at the top of site-packages."""
    if not allowed:
        return

    names = [name for name in files if name not in unsafe] if unsafe else list(files)
    tops = {name.partition("/")[0] for name in names}
    tops.discard(dist_info or "")
    data_dir = dist_info[: -len(".dist-info")] + ".data" if dist_info else None
    if data_dir in tops:
        tops.remove(data_dir)
        tops |= {_installed_top(name) for name in names if name.startswith(data_dir + "/")}
        tops.discard("")
    strays = [
        top
        for top in sorted(tops)
        if not any(fnmatchcase(top, pattern) or top.split(".")[0] == pattern for pattern in allowed)
    ]
    for top in strays:
        is_dir = any(name.startswith(top + "/") for name in names)
        shown = top + "/" if is_dir else top
        kind = WELL_KNOWN_STRAYS.get(top.split(".")[0].lower())
        why = (
            f"{kind} does not belong in a wheel" if kind else "it is none of the project's packages"
        )
        report.add("RG407", f"ships {shown} at the top level: {why} ({', '.join(allowed)})")


def _installed_top(name: str) -> str:
    """The top-level name a .data entry installs as: only purelib and platlib count."""
    _, _, rest = name.partition("/")
    scheme, _, inner = rest.partition("/")
    return inner.split("/")[0] if scheme in ("purelib", "platlib") else ""


# -- sdists -----------------------------------------------------------------------------------


def _tar_kind(member: tarfile.TarInfo) -> str:
    if member.isfile():
        return "file"
    if member.isdir():
        return "dir"
    if member.issym() or member.islnk():
        return "link"
    return "special"


def _tar_errors() -> tuple[type[BaseException], ...]:
    import tarfile

    return (tarfile.TarError, zlib.error, OSError, EOFError, ValueError)


def verify_sdist(path: str, shown: str, expected: Expected, notes: list[str]) -> list[Finding]:
    report = DistReport(shown)
    filename = os.path.basename(path)
    try:
        name, version = parse_sdist_filename(filename)
    except InvalidSdistFilename as error:
        report.add("RG402", f"not a valid sdist file name: {error}")
        return report.finish()
    check_identity(name, version, expected, report)
    top = filename[: -len(".tar.gz")]
    try:
        import tarfile

        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            _verify_sdist_contents(archive, members, top, name, version, expected, report, notes)
    except _tar_errors() as error:
        report.add("RG412", f"cannot read the sdist as tar.gz: {error}")
    return report.finish()


def _verify_sdist_contents(
    archive: tarfile.TarFile,
    members: list[tarfile.TarInfo],
    top: str,
    name: str,
    version: Version,
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    unsafe = check_members([(m.name, _tar_kind(m)) for m in members], report)
    files: dict[str, tarfile.TarInfo] = {}
    outside: set[str] = set()
    for member in members:
        if member.name in unsafe:
            continue
        inside, slash, rest = member.name.partition("/")
        if inside != top:
            outside.add(inside)
        elif slash and rest and member.isfile():
            files[rest] = member
    for entry in sorted(outside):
        report.add("RG407", f"{entry} is outside the sdist's top directory {top}/")
    pkg_info = files.get("PKG-INFO")
    if pkg_info is None:
        report.add("RG410", f"the sdist has no {top}/PKG-INFO")
    else:
        handle = archive.extractfile(pkg_info)
        data = _read_limited(handle) if handle is not None else None
        if data is None:
            report.add("RG410", f"{top}/PKG-INFO cannot be read or is too large")
        else:
            check_metadata(data, f"{top}/PKG-INFO", (name, version), expected, report, notes)
    for pattern in missing_required(expected.sdist_files, set(files)):
        report.add("RG405", f"required file {pattern} is missing from the sdist (under {top}/)")


# -- the command ------------------------------------------------------------------------------


def collect_dists(paths: Sequence[str], root: str) -> tuple[list[str], list[Finding]]:
    """The dist files to verify: those given (a directory stands for its dists), else dist/."""
    findings: list[Finding] = []
    found: list[str] = []
    for path in paths or [os.path.join(root, "dist")]:
        if os.path.isdir(path):
            try:
                entries = os.listdir(path)
            except OSError as error:
                findings.append(
                    Finding("RG412", f"cannot list: {error.strerror}", shown_path(path))
                )
                continue
            in_dir = sorted(
                os.path.join(path, entry)
                for entry in entries
                if entry.endswith((".whl", ".tar.gz")) and os.path.isfile(os.path.join(path, entry))
            )
            if not in_dir:
                findings.append(
                    Finding("RG401", "no wheel or sdist in this directory", shown_path(path) + "/")
                )
            found += in_dir
        elif os.path.isfile(path):
            found.append(path)
        elif paths:
            findings.append(Finding("RG412", "no such file", shown_path(path)))
        else:
            findings.append(
                Finding("RG401", "no dist/ directory: nothing was built", shown_path(path) + "/")
            )
    first_of_each: dict[str, str] = {}  # a file named twice is verified once
    for path in found:
        first_of_each.setdefault(os.path.realpath(path), path)
    return list(first_of_each.values()), findings


def shown_path(path: str) -> str:
    """The path as a message shows it: relative to the current directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return path
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def _verify_each(dists: Sequence[str], expected: Expected, notes: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path in dists:
        shown = shown_path(path)
        if path.endswith(".whl"):
            findings += verify_wheel(path, shown, expected, notes)
        elif path.endswith(".tar.gz"):
            findings += verify_sdist(path, shown, expected, notes)
        else:
            findings.append(
                Finding("RG402", "not a wheel (.whl) or an sdist (.tar.gz, PEP 625)", shown)
            )
    return findings


def _summary(dists: Sequence[str], expected: Expected) -> str:
    wheels = sum(path.endswith(".whl") for path in dists)
    what = f"{_count(wheels, 'wheel')} and {_count(len(dists) - wheels, 'sdist')}"
    project = expected.name or "the project"
    if expected.version is None:
        return f"verified {what} of {project}"
    return f"verified {what} of {project} {expected.version} (from {expected.origin})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _version_argument(text: str) -> Version:
    version = _as_version(text)
    if version is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a PEP 440 version")
    return version


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-guard verify-dist",
        description="Verify built wheels and sdists before publishing: version, project name, "
        "required files, stray or unsafe entries, metadata and the wheel's RECORD.",
    )
    parser.add_argument(
        "dists",
        nargs="*",
        metavar="DIST",
        help="wheel, sdist or directory of them (default: every *.whl and *.tar.gz in dist/)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--tag", help="expect the version this release tag names, e.g. v1.2.0")
    which.add_argument(
        "--version",
        type=_version_argument,
        help="expect this version (default: the project's)",
    )
    parser.add_argument(
        "--root", help="project directory (default: the nearest one with a pyproject.toml)"
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    root = args.root if args.root is not None else find_root(".")
    if not os.path.isdir(root):
        parser.error(f"--root {root}: not a directory")

    def body() -> Outcome:
        notes: list[str] = []
        expected = expected_from_project(WorkTree(root), args.tag, args.version, notes)
        dists, findings = collect_dists(args.dists, root)
        findings += _verify_each(dists, expected, notes)
        if dists:
            notes.insert(0, _summary(dists, expected))
        return Outcome([f for f in findings if f.code not in expected.ignore], notes)

    return run_command("verify-dist", args.format or default_format(), args.quiet, body)
