"""Fuzzing the public entry points with hypothesis: whatever the input, a finding or a one-line
coded error (exit 1 or 2), never a traceback.

Entry points, not parsers: `run_checks` and `load_project` on a real tree in a temp dir, the
command line's `main`, the tag guard's stdin, `verify_wheel` / `verify_sdist` on archives.
Example counts are bounded and the examples derandomized, so the suite stays fast and
deterministic; raise FUZZ_EXAMPLES to search longer (`FUZZ_EXAMPLES=2000 pytest
tests/test_fuzz.py`).
"""

from __future__ import annotations

import io
import os
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import THEO_CHANGELOG, git, theo_files, write
from release_guard.check import run_checks
from release_guard.cli import main as cli_main
from release_guard.config import load_project
from release_guard.findings import InputError
from release_guard.report import Outcome, emit
from release_guard.rules import RULES
from release_guard.source import WorkTree

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every Unicode whitespace and line break, and what a hostile file carries.
ODD = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\x00\u202e"
)
TOKENS = [
    "# Changelog",
    "## [Unreleased]",
    "## [0.1.0] - 2026-02-07",
    "## [0.2.0] - 2026-13-45",
    "## 1.0.0",
    "### Added",
    "### Fixed",
    "### Misc",
    "- entry",
    "```",
    "[0.1.0]: https://example.com/compare/v0.0.9...v0.1.0",
    "[Unreleased]: https://example.com/compare/v0.1.0...HEAD",
    "=====",
    "::error::x",
    "1." + "9" * 4400,
    "",
]
lines = st.lists(
    st.one_of(
        st.sampled_from(TOKENS),
        st.text(alphabet=st.sampled_from(list(ODD) + list("#[]()-.:v0123 ab")), max_size=20),
    ),
    max_size=30,
)
text = st.text(max_size=200) | st.text(
    alphabet=st.sampled_from(list(ODD) + list("#[]=\"'.-v0123")), max_size=80
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Theo project in a git repository, rewritten by each example."""
    root = tmp_path_factory.mktemp("fuzz")
    write(root, theo_files())
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    return root


def judged(root: Path) -> None:
    """The checks on the tree end in findings or an input error, of known codes."""
    try:
        codes = {finding.code for finding in run_checks(WorkTree(str(root))).findings}
    except InputError as error:
        codes = {error.finding.code}
    assert codes <= set(RULES)


@FUZZ
@given(lines=lines, ends=st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_changelog(tree: Path, lines: list[str], ends: str) -> None:
    (tree / "CHANGELOG.md").write_bytes(ends.join(lines).encode("utf-8", "surrogatepass"))
    judged(tree)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_changelog_bytes(tree: Path, raw: bytes) -> None:
    (tree / "CHANGELOG.md").write_bytes(raw)
    judged(tree)


def toml_string(value: str) -> str:
    """A TOML basic string holding exactly `value` (every character escaped as TOML asks)."""
    escaped = "".join(
        char if char.isalnum() or char in " .-_/+*?[]" else f"\\U{ord(char):08x}" for char in value
    )
    return f'"{escaped}"'


@FUZZ
@given(
    version=text,
    version_file=text,
    changelog=text,
    tag_format=text,
    scheme=st.sampled_from(["pep440", "semver", "x"]),
)
def test_any_configuration(
    tree: Path, version: str, version_file: str, changelog: str, tag_format: str, scheme: str
) -> None:
    """Versions (huge numbers, whitespace), paths with spaces, NUL and any code point."""
    write(tree, theo_files())
    pyproject = (
        f'[project]\nname = "theo"\nversion = {toml_string(version)}\n\n'
        f"[tool.release-guard]\nversion-files = [{toml_string(version_file)}]\n"
        f"changelog = {toml_string(changelog)}\ntag-format = {toml_string(tag_format)}\n"
        f'version-scheme = "{scheme}"\n'
    )
    (tree / "pyproject.toml").write_text(pyproject, encoding="utf-8", errors="surrogatepass")
    try:
        load_project(WorkTree(str(tree)))
        code = None
    except InputError as error:
        code = error.finding.code
    assert code is None or code in RULES
    judged(tree)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_any_pyproject_bytes(tree: Path, raw: bytes) -> None:
    (tree / "pyproject.toml").write_bytes(raw)
    judged(tree)


@FUZZ
@given(source=st.binary(max_size=200) | text)
def test_any_version_file(tree: Path, source: bytes | str) -> None:
    write(tree, theo_files())
    data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
    (tree / "src/theo/__init__.py").write_bytes(data)
    judged(tree)


COMMANDS = ["check", "notes", "verify-dist", "prepare", "rules", "init", "recover", "nope"]


@FUZZ
@given(
    command=st.sampled_from(COMMANDS),
    args=st.lists(
        st.sampled_from(
            [
                "--tag",
                "--version",
                "--name",
                "--format",
                "json",
                "--quiet",
                "--dry-run",
                "v0.1.0",
                "patch",
            ]
        )
        | text,
        max_size=4,
    ),
)
def test_command_line(
    tree: Path, capsys: pytest.CaptureFixture[str], command: str, args: list[str]
) -> None:
    write(tree, {**theo_files(), "CHANGELOG.md": THEO_CHANGELOG})
    git(tree, "checkout", "-q", "--", ".")
    argv = [command, *args, "--root", str(tree)]
    if command in ("prepare", "init") and "--dry-run" not in argv:
        argv.append("--dry-run")  # the fuzzer judges reading, not writing
    if command == "verify-dist":
        argv.append(str(tree / "missing.whl"))  # in-process, never pause the collector
    try:
        code = cli_main(argv)
    except SystemExit as exit:  # argparse: usage errors and --help
        code = exit.code if isinstance(exit.code, int) else 2
    assert code in (0, 1, 2)
    capsys.readouterr()


@contextmanager
def stdin_bytes(data: bytes) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    try:
        yield
    finally:
        sys.stdin = saved


ZERO = "0" * 40
# a ref name with a trailing odd character: Unicode whitespace, shell text, nothing
REF_NAMES = st.builds(
    str.__add__,
    st.sampled_from(["refs/tags/v0.1.0", "refs/heads/main", "refs/tags/v9.9.9"]),
    st.sampled_from([*ODD, "", " x", "$(touch x)"]),
)


@FUZZ
@given(
    names=st.lists(REF_NAMES | text, max_size=4),
    separators=st.sampled_from([" ", "  ", "\t", "\xa0"]),
    raw=st.binary(max_size=100),
)
def test_tag_guard_stdin(
    tree: Path, capsys: pytest.CaptureFixture[str], names: list[str], separators: str, raw: bytes
) -> None:
    """Tag names with every Unicode whitespace, shell text, odd separators, raw bytes."""
    head = git(tree, "rev-parse", "HEAD")
    lines = [separators.join([name, head, name, ZERO]) for name in names]
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n" + raw
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        with stdin_bytes(data):
            code = cli_main(["tag-guard", "origin", "file:///nowhere"])
    finally:
        os.chdir(cwd)
    assert code in (0, 1, 2)
    capsys.readouterr()


def zip_bytes(entries: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


NAMES = st.sampled_from(
    [
        "theo/__init__.py",
        "theo-0.1.0.dist-info/METADATA",
        "theo-0.1.0.dist-info/RECORD",
        "theo-0.1.0.dist-info/WHEEL",
        "other-1.0.dist-info/METADATA",
        "../evil.py",
        "/abs.py",
        "C:/x.py",
        "a\\b.py",
        "tests/x.py",
        "my-pkg/m.py",
        "dir/",
        "",
    ]
) | st.text(max_size=20)
METADATA = b"Metadata-Version: 2.1\nName: theo\nVersion: 0.1.0\n\nLong `text\n"


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # a duplicate is fuzzed
@FUZZ
@given(
    entries=st.lists(
        st.tuples(
            NAMES,
            st.sampled_from([METADATA, b"", b"x" * 50, b"a,b,c\n,,\n"]) | st.binary(max_size=60),
            st.sampled_from([0o100644, 0o120777, 0o010644, 0o040755, 0]),
        ),
        max_size=8,
    ),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
)
def test_any_wheel(
    tmp_path: Path, entries: list[tuple[str, bytes, int]], flips: list[tuple[int, int]]
) -> None:
    from release_guard.dist.expected import Expected
    from release_guard.dist.wheel import verify_wheel

    try:
        data = bytearray(zip_bytes(entries))
    except (ValueError, UnicodeError):
        return  # zipfile itself refuses to write such a name
    for offset, value in flips:
        if data:
            data[offset % len(data)] = value
    wheel = tmp_path / "theo-0.1.0-py3-none-any.whl"
    wheel.write_bytes(bytes(data))
    expected = Expected("theo", None, "fuzz", ("theo/__init__.py",), (), ("theo",))
    findings = verify_wheel(str(wheel), wheel.name, expected, [], [])
    assert {finding.code for finding in findings} <= set(RULES)


@FUZZ
@given(
    members=st.lists(
        st.tuples(
            NAMES.map(lambda name: f"theo-0.1.0/{name}") | NAMES,
            st.sampled_from(
                [
                    tarfile.REGTYPE,
                    tarfile.SYMTYPE,
                    tarfile.LNKTYPE,
                    tarfile.DIRTYPE,
                    tarfile.FIFOTYPE,
                ]
            ),
            st.sampled_from(["", "../x", "/etc/passwd", "PKG-INFO", "."]) | st.text(max_size=10),
            st.sampled_from([METADATA, b""]) | st.binary(max_size=40),
        ),
        max_size=6,
    ),
    cut=st.integers(0, 2000),
)
def test_any_sdist(tmp_path: Path, members: list[tuple[str, bytes, str, bytes]], cut: int) -> None:
    from release_guard.dist.expected import Expected
    from release_guard.dist.sdist import verify_sdist

    buffer = io.BytesIO()
    try:
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name, kind, link, data in members:
                info = tarfile.TarInfo(name)
                info.type, info.linkname = kind, link
                info.size = len(data) if kind == tarfile.REGTYPE else 0
                archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    except (ValueError, UnicodeError, tarfile.TarError):
        return  # tarfile itself refuses to write such a member
    data = buffer.getvalue()
    sdist = tmp_path / "theo-0.1.0.tar.gz"
    sdist.write_bytes(data[: len(data) - cut % (len(data) + 1)] if cut % 3 == 0 else data)
    expected = Expected("theo", None, "fuzz", (), ("PKG-INFO",), ())
    findings = verify_sdist(str(sdist), sdist.name, expected, [], [])
    assert {finding.code for finding in findings} <= set(RULES)


@FUZZ
@given(message=text, path=st.none() | text)
def test_text_output_never_starts_a_workflow_command(message: str, path: str | None) -> None:
    from release_guard.findings import Finding

    stream = io.StringIO()
    outcome = Outcome([Finding("RG209", message, path)], [message], [message])
    emit("check", outcome, "text", False, 1, stream)
    for line in stream.getvalue().replace("\r", "\n").splitlines():
        assert not line.lstrip(" \t").startswith("::"), line
