"""A wheel's RECORD against the archive: every file listed once, with its right size and a
sha256-or-better digest, and nothing else listed (RG411)."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Collection
from binascii import b2a_base64

from release_guard.dist.archive import ZIP_ERRORS, ZipReader
from release_guard.dist.report import DistReport

SIGNATURE_FILES = ("RECORD.jws", "RECORD.p7s")
# The wheel spec: sha256 or better (never md5 or sha1); shake has no fixed digest length.
RECORD_HASHES = {
    name: getattr(hashlib, name)
    for name in ("sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512", "blake2b",
                 "blake2s")
}  # fmt: skip
_URLSAFE = bytes.maketrans(b"+/", b"-_")  # base64 to its urlsafe alphabet, as RECORD uses


def check_record(
    reader: ZipReader,
    files: dict[str, zipfile.ZipInfo],
    dist_info: str,
    report: DistReport,
    not_files: Collection[str] = (),
) -> None:
    """Every file is listed in RECORD with its right hash and size, and nothing else is.
    `not_files` (links, devices: RG409 names them) are in the wheel, listed or not."""
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
    # One pass, no helper call per row: this loop runs once per file of the wheel.
    for name, info in files.items():
        if name in unlisted:
            continue
        row = rows.pop(name, None)
        if row is None:
            report.add("RG411", f"{name} is in the wheel but not in RECORD")
            continue
        _, hash_field, size_field = row
        algorithm, _, expected_digest = hash_field.partition("=")
        new_hash = RECORD_HASHES.get(algorithm)
        if not expected_digest:
            report.add("RG411", f"RECORD has no hash for {name}")
        elif new_hash is None:
            report.add("RG411", f"RECORD hashes {name} with {algorithm!r}; use sha256")
        elif size_field != str(info.file_size):
            report.add(
                "RG411",
                f"RECORD gives {name} size {size_field or 'none'}, "
                f"the archive holds {info.file_size} bytes",
            )  # hashing a file whose size is already wrong would only cost time
        else:
            try:
                digest = reader.digest(info, new_hash)
            except ZIP_ERRORS as error:
                report.add("RG412", f"cannot read {name}: {error}")
                continue
            # RECORD writes digests in urlsafe base64 without padding
            encoded = b2a_base64(digest, newline=False).translate(_URLSAFE).rstrip(b"=")
            if encoded.decode() != expected_digest:
                report.add("RG411", f"the {algorithm} hash of {name} differs from RECORD's")
    rows.pop(record_name, None)
    for name in rows:
        if name in not_files:
            continue
        report.add("RG411", f"RECORD lists {name}, which is not in the wheel")


def _csv_rows(lines: list[str]) -> list[list[str]]:
    import csv  # only for a RECORD that quotes

    try:
        return list(csv.reader(lines))
    except csv.Error as error:
        raise ValueError(error) from None


def _parse_record(data: bytes, record_name: str, report: DistReport) -> dict[str, list[str]] | None:
    """RECORD's rows as path -> [path, hash, size], all as written."""
    try:
        lines = data.decode("utf-8").splitlines()
        # without a quote, CSV is a plain split, and a split is several times faster
        table = _csv_rows(lines) if b'"' in data else [line.split(",") for line in lines]
    except ValueError as error:  # UnicodeDecodeError is one
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
