"""Reading zip and tar.gz entries in place, safely: nothing is extracted, memory is bounded,
zip bombs are refused before inflating, damage surfaces as the archive modules' errors."""

from __future__ import annotations

import mmap
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

from release_guard.dist.report import DistReport

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any
    import tarfile  # imported when an sdist is verified: it costs a wheel-only run 6 ms

# METADATA, PKG-INFO and RECORD are read whole; anything larger is no honest metadata file.
MAX_METADATA_BYTES = 16 * 1024 * 1024
HASH_CHUNK = 1024 * 1024
# deflate inflates at most 1032 times; an entry claiming more is refused before inflating
MAX_DEFLATE_RATIO = 1100
# RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
# file type bits of a Unix mode: none (a zip made elsewhere), a regular file, a symbolic link
_ZIP_KINDS = {0: "file", 0o100000: "file", 0o120000: "link"}
_MAPPED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# The largest compressed size read in one piece, by method: a deflated entry this small
# inflates to at most HASH_CHUNK bytes whatever its data says (deflate expands at most 1032
# times), so it is inflated in one call; anything larger goes chunk by chunk.
_ONE_PIECE = {zipfile.ZIP_STORED: HASH_CHUNK, zipfile.ZIP_DEFLATED: HASH_CHUNK // 1032}
# of a local file header: its signature, and the lengths of the name and extra field after it
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def read_limited(handle: IO[bytes]) -> bytes | None:
    """A metadata file's bytes, None when larger than MAX_METADATA_BYTES."""
    data = handle.read(MAX_METADATA_BYTES + 1)
    return None if len(data) > MAX_METADATA_BYTES else data


def zip_kinds(infos: list[zipfile.ZipInfo]) -> list[str]:
    """Each entry's kind, from its name and Unix mode: "file", "dir", "link" or "special"
    (device, fifo)."""
    return [
        "dir"
        if info.filename[-1:] == "/"
        else _ZIP_KINDS.get(info.external_attr >> 16 & 0o170000, "special")
        for info in infos
    ]


# All entries together may claim at most this many times the archive's size (or the floor
# below, whichever is more) before anything is inflated: it bounds the time verify-dist
# spends inflating (real wheels stay under 10 times; a 2 MiB wheel claiming 2 GiB does not).
MAX_TOTAL_RATIO = 100
TOTAL_FLOOR = 256 * 1024 * 1024
_DATA_DESCRIPTOR = 0x08  # flag bit 3: a data descriptor (12 or 16 bytes) follows the data


def entries_overlap(reader: ZipReader, infos: list[zipfile.ZipInfo]) -> str | None:
    """Which two entries share bytes, None when none do: entries sorted by offset, each
    entry's local header, name, extra field and data must end before the next begins (the
    "non-recursive zip bomb" points many entries at one compressed kernel)."""
    spans = []
    for info in infos:
        span = reader.data_span(info)
        # without a readable local header, its fixed part and the name are the least it holds
        end = (
            span[1]
            if span is not None
            else info.header_offset + 30 + len(info.orig_filename.encode()) + info.compress_size
        )
        if info.flag_bits & _DATA_DESCRIPTOR:
            end += 12  # the smallest descriptor: CRC and two 4-byte sizes, no signature
        spans.append((info.header_offset, end, info.filename))
    spans.sort()
    for (_, end, name), (start, _, following) in zip(spans, spans[1:]):
        if end > start:
            return f"{name} runs into {following}"
    if spans and spans[-1][1] > reader.directory_start:
        return f"{spans[-1][2]} runs into the zip's central directory"
    return None


def inflate_budget_exceeded(infos: list[zipfile.ZipInfo], archive_size: int) -> str | None:
    """A message when the entries together claim more than the inflating budget."""
    claimed = sum(info.file_size for info in infos)
    budget = max(MAX_TOTAL_RATIO * archive_size, TOTAL_FLOOR)
    if claimed <= budget:
        return None
    return (
        f"its entries claim {claimed:,} bytes in all, more than {MAX_TOTAL_RATIO} times the "
        f"archive's {archive_size:,}: refused before inflating (a zip bomb?)"
    )


class ZipReader:
    """The bytes of zip entries, for the most part straight from a memory map of the file.

    zipfile's per-entry open (a seek, the local header, a ZipExtFile) costs about 10 us:
    hashing a 10,000-file wheel spent most of its time there. Stored and deflated entries
    are inflated here from the map (a small one in one call, any other chunk by chunk, the
    output bounded either way) and checked against their CRC and size as zipfile would; any
    other entry goes through zipfile itself.
    """

    def __init__(self, archive: zipfile.ZipFile, path: str) -> None:
        self.archive = archive
        self.size = os.path.getsize(path)
        # where entries must end: the central directory (zipfile read its offset)
        self.directory_start: int = getattr(archive, "start_dir", self.size)
        self._spans: dict[int, tuple[int, int] | None] = {}  # by id(info): each read once
        self._map: mmap.mmap | None = None
        try:
            with open(path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            pass  # not mappable: zipfile reads every entry

    def close(self) -> None:
        if self._map is not None:
            self._map.close()

    def digest(self, info: zipfile.ZipInfo, new_hash: Callable[..., Any]) -> bytes:
        """The entry's digest under `new_hash` (a hashlib constructor); zipfile's errors on
        damage. A huge entry is read in chunks: it costs time, never memory.
        """
        size = info.file_size
        compressed = info.compress_size
        if size > MAX_DEFLATE_RATIO * compressed + HASH_CHUNK:
            raise zipfile.BadZipFile(
                f"it claims {size} bytes from {compressed}: "
                "no real compression reaches that ratio (a zip bomb?)"
            )
        span = self.data_span(info)
        if span is None or compressed > _ONE_PIECE[info.compress_type]:
            return self._digest_in_chunks(info, new_hash, span)
        # nearly every file: small enough to read and inflate in one piece
        content = self._map[span[0] : span[1]]  # type: ignore[index]  # a span means a map
        if info.compress_type == zipfile.ZIP_DEFLATED:
            try:
                content = zlib.decompress(content, -zlib.MAX_WBITS)
            except zlib.error as error:
                raise zipfile.BadZipFile(f"its compressed data is damaged ({error})") from None
        if len(content) != size or zlib.crc32(content) != info.CRC:
            raise zipfile.BadZipFile("its size or CRC differs from the zip directory's")
        digest: bytes = new_hash(content).digest()
        return digest

    def _digest_in_chunks(
        self, info: zipfile.ZipInfo, new_hash: Callable[..., Any], span: tuple[int, int] | None
    ) -> bytes:
        hasher = new_hash()
        crc = size = 0
        for chunk in self._chunks(info, span):
            hasher.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        if size != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile("its size or CRC differs from the zip directory's")
        digest: bytes = hasher.digest()
        return digest

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
        # all input consumed, output may still be pending (a highly compressed tail)
        while not inflater.eof:
            chunk = inflater.decompress(b"", HASH_CHUNK)
            if not chunk:
                break
            produced += len(chunk)
            if produced > info.file_size:
                raise zipfile.BadZipFile("it inflates beyond its declared size")
            yield chunk
        if not inflater.eof:
            raise zipfile.BadZipFile("its compressed data ends early")

    def data_span(self, info: zipfile.ZipInfo) -> tuple[int, int] | None:
        """Where the entry's compressed bytes are, None when zipfile should read it."""
        key = id(info)  # the reader's infos live as long as the reader
        if key not in self._spans:
            self._spans[key] = self._read_span(info)
        return self._spans[key]

    def _read_span(self, info: zipfile.ZipInfo) -> tuple[int, int] | None:
        mapped = self._map
        if mapped is None or info.flag_bits & 0x1 or info.compress_type not in _MAPPED_METHODS:
            return None  # encrypted, or a compression left to zipfile
        name = info.orig_filename
        # ASCII is the same in both zip encodings, and far faster to encode as UTF-8
        raw_name = (
            name.encode() if name.isascii() or info.flag_bits & 0x800 else name.encode("cp437")
        )
        offset = info.header_offset
        if not 0 <= offset <= len(mapped) - 30:
            return None  # zipfile will name the damage
        signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(mapped, offset)
        name_end = offset + 30 + name_length
        # as zipfile does: a local header that names the entry the directory names
        if signature != b"PK\x03\x04" or mapped[offset + 30 : name_end] != raw_name:
            return None  # zipfile will name the damage
        start = name_end + extra_length
        end = start + info.compress_size
        return (start, end) if end <= len(mapped) else None

    def read_small(self, info: zipfile.ZipInfo, report: DistReport) -> bytes | None:
        """A metadata file, whole; None (and a finding) when unreadable or too large."""
        if info.file_size > MAX_METADATA_BYTES:
            report.add("RG410", f"{info.filename} is larger than {MAX_METADATA_BYTES} bytes")
            return None
        try:
            with self.archive.open(info) as handle:
                data = read_limited(handle)
        except ZIP_ERRORS as error:
            report.add("RG412", f"cannot read {info.filename}: {error}")
            return None
        if data is None:
            report.add("RG410", f"{info.filename} inflates beyond {MAX_METADATA_BYTES} bytes")
        return data


def tar_kind(member: tarfile.TarInfo) -> str:
    """ "file", "dir", "link" (symbolic or hard) or "special" (device, fifo)."""
    if member.isfile():
        return "file"
    if member.isdir():
        return "dir"
    if member.issym() or member.islnk():
        return "link"
    return "special"


def tar_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged tar.gz raises."""
    import tarfile

    return (tarfile.TarError, zlib.error, OSError, EOFError, ValueError)
