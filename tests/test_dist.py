"""`release-guard verify-dist` on real wheels and sdists built by `python -m build` (hatchling).

The Theo project is built once per module; bad cases are copies of its archives,
tampered with through zipfile / tarfile.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import git, run_rg, theo_files, write

VERSION = "0.1.0"
WHEEL = f"theo_openvoice-{VERSION}-py3-none-any.whl"
SDIST = f"theo_openvoice-{VERSION}.tar.gz"
DIST_INFO = f"theo_openvoice-{VERSION}.dist-info"
TOP = f"theo_openvoice-{VERSION}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Theo project, committed and built with `python -m build` (wheel and sdist)."""
    root = tmp_path_factory.mktemp("theo")
    write(root, theo_files(VERSION))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", "dist", "."],
        cwd=root,
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in (root / "dist").iterdir()) == sorted([SDIST, WHEEL])
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project, its dist/ free to tamper with."""
    copy = tmp_path / "theo"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns(".git"))
    return copy


def verify(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_rg("verify-dist", "--format", "json", *args, cwd=root)


def codes(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [finding["code"] for finding in json.loads(result.stdout)["findings"]]


def messages(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(finding["message"] for finding in json.loads(result.stdout)["findings"])


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def rewrite_wheel(
    wheel: Path,
    add: dict[str, bytes] | None = None,
    remove: tuple[str, ...] = (),
    record: bool = True,
) -> None:
    """Rewrite a wheel in place: add or replace entries, drop some, and (by default) write
    a RECORD that matches, as a careless build tool would."""
    with zipfile.ZipFile(wheel) as source:
        entries = [
            (info.filename, source.read(info))
            for info in source.infolist()
            if info.filename not in remove
        ]
    record_name = f"{DIST_INFO}/RECORD"
    replaced = dict(add or {})
    entries = [(name, replaced.pop(name, data)) for name, data in entries] + list(replaced.items())
    if record:
        lines = [record_line(n, d) for n, d in entries if n != record_name]
        entries = [(n, d) for n, d in entries if n != record_name]
        entries.append((record_name, ("\n".join(lines) + f"\n{record_name},,\n").encode()))
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(name, data)


def rewrite_sdist(sdist: Path, add: dict[str, bytes], remove: tuple[str, ...] = ()) -> None:
    with tarfile.open(sdist, "r:gz") as source:
        members = [
            (member, source.extractfile(member).read())  # type: ignore[union-attr]
            for member in source.getmembers()
            if member.isfile() and member.name not in remove
        ]
    with tarfile.open(sdist, "w:gz") as target:
        for member, data in members:
            content = add.pop(member.name, data)
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
        for name, data in add.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))


# -- good builds --------------------------------------------------------------------------------


def test_fresh_build_passes_against_pyproject_tag_and_version(built: Path) -> None:
    for args in ((), ("--tag", "v0.1.0"), ("--version", "0.1.0")):
        result = run_rg("verify-dist", *args, cwd=built)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "verified 1 wheel and 1 sdist of theo-openvoice 0.1.0" in result.stdout


def test_named_files_and_directories_are_verified(built: Path, tmp_path: Path) -> None:
    result = run_rg(
        "verify-dist",
        str(built / "dist" / WHEEL),
        str(built / "dist"),
        "--root",
        str(built),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout
    assert "verified 1 wheel and 1 sdist" in result.stdout  # the wheel named twice, once


def test_wrong_tag_names_every_dist(built: Path) -> None:
    result = verify(built, "--tag", "v0.2.0")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["path"]) for f in findings] == [
        ("RG402", f"dist/{WHEEL}"),
        ("RG403", f"dist/{WHEEL}"),
        ("RG402", f"dist/{SDIST}"),
        ("RG403", f"dist/{SDIST}"),
    ]
    assert findings[0]["message"] == (
        "the file name names version 0.1.0, expected 0.2.0 (from tag v0.2.0)"
    )
    assert findings[3]["message"] == (
        f"{TOP}/PKG-INFO names version 0.1.0, expected 0.2.0 (from tag v0.2.0)"
    )


def test_expected_version_follows_pyproject(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "bumped"
    write(root, theo_files("0.2.0"))
    result = verify(root, str(built / "dist"))
    assert codes(result) == ["RG402", "RG403"] * 2


# -- nothing to verify, bad input -----------------------------------------------------------------


def test_missing_or_empty_dist_directory_fails(project: Path) -> None:
    shutil.rmtree(project / "dist")
    result = run_rg("verify-dist", cwd=project)
    assert result.returncode == 1
    assert "dist/: RG401 no dist/ directory: nothing was built" in result.stdout
    (project / "dist").mkdir()
    (project / "dist" / "notes.txt").write_text("not a dist")
    result = verify(project)
    assert codes(result) == ["RG401"]


def test_named_file_that_does_not_exist_is_a_finding(built: Path) -> None:
    result = verify(built, "dist/*.whl")
    assert result.returncode == 1
    assert codes(result) == ["RG412"]


def test_tag_outside_tag_format_and_invalid_version_are_usage_errors(built: Path) -> None:
    for tag in ("release-1", "vfoo"):
        result = run_rg("verify-dist", "--tag", tag, cwd=built)
        assert result.returncode == 2
        assert (
            f"RG004 --tag '{tag}' names no PEP 440 version under tag-format 'v{{version}}'"
            in result.stderr
        )
    result = run_rg("verify-dist", "--version", "not.a.version", cwd=built)
    assert result.returncode == 2
    assert "argument --version: 'not.a.version' is not a PEP 440 version" in result.stderr
    result = run_rg("verify-dist", "--tag", "v1", "--version", "1", cwd=built)
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_not_a_dist_and_bad_file_names(project: Path) -> None:
    dist = project / "dist"
    (dist / "foo.whl").write_bytes(b"")
    (dist / "theo_openvoice.tar.gz").write_bytes(b"")
    (dist / "theo_openvoice-0.1.0.zip").write_bytes(b"")
    result = verify(
        project, "dist/foo.whl", "dist/theo_openvoice.tar.gz", "dist/theo_openvoice-0.1.0.zip"
    )
    assert codes(result) == ["RG402", "RG402", "RG402"]
    assert "PEP 625" in messages(result)


def test_garbage_and_truncated_archives_are_findings(project: Path) -> None:
    dist = project / "dist"
    (dist / WHEEL).write_bytes(b"PK\x03\x04 this is no zip")
    data = (dist / SDIST).read_bytes()
    (dist / SDIST).write_bytes(data[: len(data) // 2])
    result = verify(project)
    assert result.returncode == 1
    assert codes(result) == ["RG412", "RG412"]
    assert "Traceback" not in result.stderr


# -- contents -----------------------------------------------------------------------------------


def test_stray_tests_package_and_module(project: Path) -> None:
    rewrite_wheel(
        project / "dist" / WHEEL,
        add={"tests/__init__.py": b"", "tests/test_theo.py": b"", "conftest.py": b""},
    )
    result = verify(project)
    assert codes(result) == ["RG407", "RG407"]
    assert "ships conftest.py at the top level" in messages(result)
    assert "ships tests/ at the top level: test code does not belong in a wheel" in messages(result)


def test_bytecode_and_pycache(project: Path) -> None:
    rewrite_wheel(
        project / "dist" / WHEEL,
        add={"theo/__pycache__/__init__.cpython-311.pyc": b"\x00", "theo/old.pyo": b"\x00"},
    )
    rewrite_sdist(project / "dist" / SDIST, add={f"{TOP}/src/theo/_types.pyc": b"\x00"})
    result = verify(project)
    assert codes(result) == ["RG406", "RG406", "RG406"]


def test_required_file_missing_by_default(project: Path) -> None:
    rewrite_wheel(project / "dist" / WHEEL, remove=("theo/py.typed",))
    rewrite_sdist(project / "dist" / SDIST, add={}, remove=(f"{TOP}/pyproject.toml",))
    result = verify(project)
    assert codes(result) == ["RG405", "RG405"]
    assert "required file theo/py.typed is missing from the wheel" in messages(result)
    assert "required file pyproject.toml is missing from the sdist" in messages(result)


def test_configured_globs_for_wheel_and_sdist(built: Path, tmp_path: Path) -> None:
    """The seed's list, with M2's compiled protobuf modules that this build lacks."""
    root = tmp_path / "configured"
    files = theo_files(VERSION)
    files["pyproject.toml"] = str(files["pyproject.toml"]) + (
        "\n[tool.release-guard]\n"
        'wheel-files = ["theo/__init__.py", "theo/py.typed", "theo/_types.py",'
        ' "theo/proto/stt_worker.proto", "theo/proto/*_pb2.py"]\n'
        'sdist-files = ["src/**/*.proto", "src/theo/*.py", "README.md"]\n'
    )
    write(root, files)
    result = verify(root, str(built / "dist"))
    assert codes(result) == ["RG405", "RG405"]
    assert "required file theo/proto/*_pb2.py is missing from the wheel" in messages(result)
    assert "required file README.md is missing from the sdist" in messages(result)


def test_star_does_not_cross_directories(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "configured"
    files = theo_files(VERSION)
    files["pyproject.toml"] = (
        str(files["pyproject.toml"]) + '\n[tool.release-guard]\nwheel-files = ["theo/*.proto"]\n'
    )
    write(root, files)
    assert codes(verify(root, str(built / "dist"))) == ["RG405"]


def test_project_without_a_valid_version_checks_agreement_only(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "unversioned"
    write(root, theo_files("not a version"))
    result = run_rg("verify-dist", str(built / "dist"), "--root", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "each dist is still checked to agree with itself" in result.stdout
    assert "1 check did not run" in result.stdout
    assert "verified 1 wheel and 1 sdist of theo-openvoice\n" in result.stdout


def test_another_project_name(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "other"
    files = theo_files(VERSION)
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace("theo-openvoice", "theo-other")
    write(root, files)
    result = verify(root, str(built / "dist"))
    assert codes(result) == ["RG404", "RG404"] * 2
    assert "the file name names project theo-openvoice, not theo-other" in messages(result)


def test_ignore_silences_a_rule(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "ignoring"
    files = theo_files(VERSION)
    files["pyproject.toml"] = (
        str(files["pyproject.toml"]) + '\n[tool.release-guard]\nignore = ["RG402", "RG403"]\n'
    )
    write(root, files)
    assert verify(root, str(built / "dist"), "--version", "9.0").returncode == 0


# -- RECORD ---------------------------------------------------------------------------------------


def test_edited_file_unlisted_file_and_listed_missing_file(project: Path) -> None:
    rewrite_wheel(
        project / "dist" / WHEEL,
        add={"theo/_types.py": b"Sample = str\n", "theo/extra.py": b""},
        remove=("theo/proto/stt_worker.proto",),
        record=False,
    )
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG411", "RG411", "RG411"]
    text = messages(result)
    assert "RECORD gives theo/_types.py size 15, the archive holds 13 bytes" in text
    assert "theo/extra.py is in the wheel but not in RECORD" in text
    assert "RECORD lists theo/proto/stt_worker.proto, which is not in the wheel" in text


def test_same_size_other_content_is_caught_by_the_hash(project: Path) -> None:
    rewrite_wheel(
        project / "dist" / WHEEL, add={"theo/_types.py": b"Sample = int\n  "}, record=False
    )
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG411"]
    assert "the sha256 hash of theo/_types.py differs from RECORD's" in messages(result)


def test_weak_or_missing_hashes_and_malformed_rows(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    with zipfile.ZipFile(wheel) as archive:
        record = archive.read(f"{DIST_INFO}/RECORD").decode().splitlines()
    rows = {line.split(",")[0]: line for line in record}
    rows["theo/__init__.py"] = "theo/__init__.py,md5=abc,10"
    rows["theo/_types.py"] = "theo/_types.py,,"
    rows["junk"] = "a,b"
    rewrite_wheel(
        wheel, add={f"{DIST_INFO}/RECORD": "\n".join(rows.values()).encode()}, record=False
    )
    text = messages(verify(project, f"dist/{WHEEL}"))
    assert "RECORD hashes theo/__init__.py with 'md5'; use sha256" in text
    assert "RECORD has no hash for theo/_types.py" in text
    assert f"{DIST_INFO}/RECORD line 8 has 2 fields, not 3" in text


def test_many_problems_of_one_kind_are_counted(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    rewrite_wheel(wheel, add={f"theo/gen_{n}.py": b"" for n in range(25)}, record=False)
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG411"] * 11
    assert "and 15 more RG411 problem(s) in this file" in messages(result)


def test_huge_entry_is_hashed_in_constant_memory(project: Path) -> None:
    """A 192 MiB entry (under the inflating budget's 256 MiB floor, 200 KiB compressed)
    listed with a wrong hash: the peak memory of the verifying process stays far below the
    entry's size."""
    size = 192 * 1024 * 1024
    wheel = project / "dist" / WHEEL
    bomb = project / "dist" / "bomb.whl"
    record_name = f"{DIST_INFO}/RECORD"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != record_name:
                out.writestr(info, source.read(info))
        with out.open("theo/blob.bin", "w", force_zip64=True) as handle:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                handle.write(chunk)
        record = source.read(record_name).decode()
        out.writestr(record_name, record + f"theo/blob.bin,sha256={'A' * 43},{size}\n")
    bomb.replace(wheel)
    # a wrapper process measures the peak RSS of its one child, the verifier
    script = (
        "import resource, subprocess, sys\n"
        "result = subprocess.run([sys.executable, '-m', 'release_guard', 'verify-dist',"
        " '--format', 'json', sys.argv[1]], capture_output=True, text=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(result.stdout)\n"
    )
    measured = subprocess.run(
        [sys.executable, "-c", script, str(wheel)],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    peak_kib, _, document = measured.partition("\n")
    findings = json.loads(document)["findings"]
    assert [f["message"] for f in findings] == [
        "the sha256 hash of theo/blob.bin differs from RECORD's"
    ]
    assert int(peak_kib) < 128 * 1024, f"peak RSS {peak_kib} KiB"


# -- metadata -----------------------------------------------------------------------------------


def test_broken_requires_dist_marker_and_extra(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{DIST_INFO}/METADATA")
    broken = metadata.replace(
        b"Requires-Python",
        b'Provides-Extra: -nemo-\nRequires-Dist: nemo-toolkit; extra == "nemo" and\nRequires-Python',
    )
    rewrite_wheel(wheel, add={f"{DIST_INFO}/METADATA": broken})
    result = verify(project)
    assert codes(result) == ["RG410", "RG410"]
    text = messages(result)
    assert "'-nemo-' is invalid for 'provides-extra'" in text
    assert "is invalid for 'requires-dist'" in text


def test_metadata_version_differs_from_file_name(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{DIST_INFO}/METADATA")
    rewrite_wheel(wheel, add={f"{DIST_INFO}/METADATA": metadata.replace(b"0.1.0", b"0.0.9")})
    rewrite_sdist(
        project / "dist" / SDIST,
        add={f"{TOP}/PKG-INFO": metadata.replace(b"theo-openvoice", b"someone-else")},
    )
    result = verify(project)
    assert codes(result) == ["RG403", "RG404"]  # the wheel, then the sdist
    assert (
        f"{DIST_INFO}/METADATA names version 0.0.9, expected 0.1.0 (from pyproject.toml)"
        in messages(result)
    )


def test_missing_metadata_and_record(project: Path) -> None:
    rewrite_wheel(project / "dist" / WHEEL, remove=(f"{DIST_INFO}/METADATA",))
    rewrite_sdist(project / "dist" / SDIST, add={}, remove=(f"{TOP}/PKG-INFO",))
    result = verify(project)
    assert codes(result) == ["RG410", "RG410"]
    assert f"the wheel has no {DIST_INFO}/METADATA" in messages(result)
    assert f"the sdist has no {TOP}/PKG-INFO" in messages(result)
    rewrite_wheel(project / "dist" / WHEEL, remove=(f"{DIST_INFO}/RECORD",), record=False)
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG410", "RG411"]
    assert f"the wheel has no {DIST_INFO}/RECORD" in messages(result)


def test_no_dist_info_at_all(project: Path) -> None:
    with zipfile.ZipFile(project / "dist" / WHEEL) as archive:
        names = tuple(n for n in archive.namelist() if n.startswith(DIST_INFO))
    rewrite_wheel(project / "dist" / WHEEL, remove=names, record=False)
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG410"]
    assert messages(result) == f"the wheel has no {DIST_INFO} directory"


def test_wheel_file_missing_or_of_another_major_version(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    pristine = wheel.read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        wheel_file = archive.read(f"{DIST_INFO}/WHEEL")
    rewrite_wheel(
        wheel,
        add={
            f"{DIST_INFO}/WHEEL": wheel_file.replace(
                b"Wheel-Version: 1.0", b"Wheel-Version: 2.0"
            ).replace(b"Root-Is-Purelib: true", b"")
        },
    )
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG410", "RG410"]
    assert "WHEEL: Wheel-Version 2.0; installers read 1.x" in messages(result)
    assert "WHEEL: Root-Is-Purelib must be true or false" in messages(result)
    wheel.write_bytes(pristine)
    rewrite_wheel(wheel, remove=(f"{DIST_INFO}/WHEEL",))
    assert messages(verify(project, f"dist/{WHEEL}")) == f"the wheel has no {DIST_INFO}/WHEEL"


def test_newer_metadata_minor_version_is_a_note(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{DIST_INFO}/METADATA")
    newer = re.sub(rb"Metadata-Version: \S+", b"Metadata-Version: 2.99", metadata)
    newer_major = re.sub(rb"Metadata-Version: \S+", b"Metadata-Version: 3.0", metadata)
    assert newer != metadata
    rewrite_wheel(wheel, add={f"{DIST_INFO}/METADATA": newer})
    result = verify(project, f"dist/{WHEEL}")
    assert result.returncode == 0, result.stdout
    assert "newer Metadata-Version" in result.stdout
    rewrite_wheel(wheel, add={f"{DIST_INFO}/METADATA": newer_major})
    assert codes(verify(project, f"dist/{WHEEL}")) == ["RG410"]


# -- hostile archives ---------------------------------------------------------------------------


def patch_directory(wheel: Path, name: str, field_offset: int, value: int) -> None:
    """Overwrite a 4-byte field of `name`'s central directory record (16: CRC, 24: size)."""
    data = bytearray(wheel.read_bytes())
    raw = name.encode()
    index = data.find(b"PK\x01\x02")
    while index >= 0:
        (name_length,) = struct.unpack_from("<H", data, index + 28)
        if data[index + 46 : index + 46 + name_length] == raw:
            struct.pack_into("<I", data, index + field_offset, value)
            wheel.write_bytes(bytes(data))
            return
        index = data.find(b"PK\x01\x02", index + 1)
    raise AssertionError(f"{name} has no directory record")


def test_overlapping_entries_are_refused_before_inflating(project: Path) -> None:
    """A non-recursive zip bomb: fifty directory records share one compressed kernel."""
    content = bytes(1_000_000)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    kernel = deflater.compress(content) + deflater.flush()
    crc = zlib.crc32(content)
    names = [f"theo/part{n}.bin".encode() for n in range(50)]
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(kernel), len(content), len(names[0]), 0
    )
    body = local + names[0] + kernel
    directory = b"".join(
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            *(0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(kernel), len(content)),
            *(len(name), 0, 0, 0, 0, 0, 0),
        )
        + name
        for name in names
    )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names), len(directory), len(body), 0
    )
    wheel = project / "dist" / WHEEL
    wheel.write_bytes(body + directory + end)
    with zipfile.ZipFile(wheel) as archive:  # zipfile lists it as fifty 1 MB files
        assert sum(info.file_size for info in archive.infolist()) == 50 * len(content)
    result = verify(project, f"dist/{WHEEL}")
    assert "zip entries overlap each other (a zip bomb technique)" in messages(result)


def test_impossible_ratio_and_bad_crc_are_refused(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    claimed = 200_000_000  # within the inflating budget's floor: the entry's own ratio refuses it
    with zipfile.ZipFile(wheel) as archive:
        record = archive.read(f"{DIST_INFO}/RECORD").decode()
    record += f"theo/claims.bin,sha256={'A' * 43},{claimed}\n"
    rewrite_wheel(
        wheel,
        add={"theo/claims.bin": b"tiny", f"{DIST_INFO}/RECORD": record.encode()},
        record=False,
    )
    patch_directory(wheel, "theo/claims.bin", 24, claimed)
    patch_directory(wheel, "theo/_types.py", 16, 0xDEADBEEF)
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG412", "RG412"]
    text = messages(result)
    assert "theo/claims.bin: it claims 200000000 bytes from" in text
    assert "no real compression reaches that ratio (a zip bomb?)" in text
    assert "cannot read theo/_types.py: its size or CRC differs from the zip directory's" in text


def test_local_header_naming_another_file_is_caught_as_zipfile_would(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    with zipfile.ZipFile(wheel) as archive:
        offset = archive.getinfo("theo/_types.py").header_offset
    data = bytearray(wheel.read_bytes())
    assert data[offset + 30 : offset + 44] == b"theo/_types.py"
    data[offset + 30 : offset + 44] = b"theo/_evil.py!"
    wheel.write_bytes(bytes(data))
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG412"]
    assert "File name in directory 'theo/_types.py' and header" in messages(result)


def test_hostile_wheel_paths(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    rewrite_wheel(
        wheel,
        add={"/etc/evil": b"x", "theo/../../evil.py": b"x", "theo\\..\\evil.py": b"x"},
    )
    link = zipfile.ZipInfo("theo/link")
    link.external_attr = 0o120777 << 16
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr("theo/_types.py", b"Sample = str\n")
    before = sorted(p.name for p in project.parent.iterdir())
    result = verify(project, f"dist/{WHEEL}")
    assert result.returncode == 1
    found = codes(result)
    assert found.count("RG409") == 4, result.stdout
    assert "RG408" in found
    assert "theo/_types.py appears more than once" in messages(result)
    assert sorted(p.name for p in project.parent.iterdir()) == before
    assert not Path("/etc/evil").exists()


def test_wheel_entry_without_a_name_is_a_finding(project: Path) -> None:
    """zipfile lists an entry whose name is empty; it once ended verify-dist in a traceback."""
    with zipfile.ZipFile(project / "dist" / WHEEL, "a") as archive:
        archive.writestr(zipfile.ZipInfo(""), b"x")
    result = verify(project, f"dist/{WHEEL}")
    assert codes(result) == ["RG409", "RG411"], result.stdout + result.stderr
    assert "entry '' has an empty name" in messages(result)


def test_hostile_sdist_paths_and_links(project: Path) -> None:
    sdist = project / "dist" / SDIST
    with tarfile.open(sdist, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(sdist, "w:gz") as target:
        for member, data in members:
            target.addfile(member, io.BytesIO(data))
        target.addfile(members[0][0], io.BytesIO(members[0][1]))  # a duplicate
        for name in ("../escape.py", "/abs.py", "stray.txt"):
            info = tarfile.TarInfo(name)
            target.addfile(info, io.BytesIO(b""))
        symlink = tarfile.TarInfo(f"{TOP}/evil")
        symlink.type = tarfile.SYMTYPE
        symlink.linkname = "/etc/passwd"
        target.addfile(symlink)
        fifo = tarfile.TarInfo(f"{TOP}/pipe")
        fifo.type = tarfile.FIFOTYPE
        target.addfile(fifo)
    result = verify(project, f"dist/{SDIST}")
    found = codes(result)
    assert found.count("RG409") == 4, result.stdout
    assert found.count("RG408") == 1
    text = messages(result)
    assert "'../escape.py' escapes the archive with .." in text
    assert f"'{TOP}/evil' is a link" in text
    assert "stray.txt is outside the sdist's top directory" in text


# -- output formats ---------------------------------------------------------------------------


def test_text_and_github_formats(project: Path) -> None:
    rewrite_wheel(project / "dist" / WHEEL, remove=("theo/py.typed",))
    text = run_rg("verify-dist", cwd=project)
    assert text.returncode == 1
    assert (
        f"dist/{WHEEL}: RG405 required file theo/py.typed is missing from the wheel\n"
        "  help: include it in the build" in text.stdout
    )
    github = run_rg("verify-dist", cwd=project, env={"GITHUB_ACTIONS": "true"})
    assert f"::error file=dist/{WHEEL},title=RG405 required-file-missing::" in github.stdout


# -- the same wheels through check-wheel-contents ---------------------------------------------


def check_wheel_contents(wheel: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "check_wheel_contents", "--no-config", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def test_agrees_with_check_wheel_contents_and_goes_further(project: Path) -> None:
    """docs/dist.md maps its checks to ours; here both judge the same wheels."""
    wheel = project / "dist" / WHEEL
    pristine = wheel.read_bytes()
    assert ": OK" in check_wheel_contents(wheel)
    rewrite_wheel(wheel, add={"theo/__pycache__/x.cpython-311.pyc": b"", "tests/__init__.py": b""})
    theirs = check_wheel_contents(wheel)
    assert "W001" in theirs
    assert "W005" in theirs  # 'tests' is one of its common top-level names
    assert set(codes(verify(project, f"dist/{WHEEL}"))) == {"RG406", "RG407"}
    # It lists what RECORD says, not what the zip holds: a file slipped in unrecorded
    # is invisible to it, and installed all the same.
    wheel.write_bytes(pristine)
    rewrite_wheel(wheel, add={"tests/test_secret.py": b""}, record=False)
    assert ": OK" in check_wheel_contents(wheel)
    assert sorted(codes(verify(project, f"dist/{WHEEL}"))) == ["RG407", "RG411"]
    # An edited file under a stale RECORD: check-wheel-contents trusts RECORD, we hash.
    wheel.write_bytes(pristine)
    rewrite_wheel(wheel, add={"theo/_types.py": b"Sample = int\n  "}, record=False)
    assert ": OK" in check_wheel_contents(wheel)
    assert codes(verify(project, f"dist/{WHEEL}")) == ["RG411"]


def test_damaged_archives_give_findings_never_exceptions(built: Path, tmp_path: Path) -> None:
    """Bytes flipped at random (seeded) and truncations of the real wheel and sdist: every
    run ends in findings of known codes, never an exception."""
    import random

    from release_guard.dist.expected import expected_from_project
    from release_guard.dist.sdist import verify_sdist
    from release_guard.dist.wheel import verify_wheel
    from release_guard.rules import RULES
    from release_guard.source import WorkTree

    expected = expected_from_project(WorkTree(str(built)), None, None, [])  # skipped: none
    seen_codes: set[str] = set()
    for name, verify_one in ((WHEEL, verify_wheel), (SDIST, verify_sdist)):
        original = (built / "dist" / name).read_bytes()
        target = tmp_path / name
        for seed in range(400):
            rng = random.Random(seed)
            data = bytearray(original)
            if seed % 4 == 0:
                data = data[: rng.randrange(len(data))]
            else:
                for _ in range(rng.randint(1, 8)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            target.write_bytes(bytes(data))
            findings = verify_one(str(target), name, expected, [], [])
            assert {finding.code for finding in findings} <= set(RULES), findings
            seen_codes.update(finding.code for finding in findings)
    assert "RG412" in seen_codes  # the damage was seen, not only survived
