"""Input the tool cannot judge: a one-line error naming the file, exit 2, never a traceback.

Also: exit codes are exactly 0, 1 or 2, and `check` writes nothing, ever.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, run_rg
from release_guard.source import MAX_TEXT_BYTES
from release_guard.tomlcache import FILE_NAME

PYPROJECT = THEO_PYPROJECT.format(version="0.1.0")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def assert_input_error(result: subprocess.CompletedProcess[str], start: str, words: str) -> None:
    """Exit 2, nothing on stdout, no traceback; the first line locates and explains."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(start), first
    assert words in first, first
    assert result.stderr.rstrip().endswith(
        "release-guard stopped: the input above cannot be judged."
    )


# -- pyproject.toml -----------------------------------------------------------------------------


def test_missing_pyproject_is_rg001(tmp_path: Path) -> None:
    result = run_rg("check", "--root", str(tmp_path), cwd=tmp_path)
    assert_input_error(result, "pyproject.toml: RG001 ", "no pyproject.toml found")


@pytest.mark.parametrize(
    ("replace", "where", "words"),
    [
        (
            ('version = "0.1.0"', 'version = 0.1.0"'),
            "pyproject.toml:7:14: RG003 ",
            "not valid TOML",
        ),
        (('name = "theo-openvoice"', 'name = "theo'), "pyproject.toml:6:", "Illegal character"),
        (("[project]", "[project"), "pyproject.toml:5:", "not valid TOML"),
        (
            ("[tool.hatch", "[project]\n[tool.hatch"),
            "pyproject.toml:11:9: RG003 ",
            "Cannot declare",
        ),
        (
            ("\n[tool.hatch", '\ndescription = "twice"\n[tool.hatch'),
            "pyproject.toml:11:",
            "overwrite",
        ),
    ],
    ids=["value", "string", "table", "duplicate-table", "duplicate-key"],
)
def test_malformed_toml_reports_line_and_column(
    make_project: MakeProject, replace: tuple[str, str], where: str, words: str
) -> None:
    text = PYPROJECT.replace(*replace)
    assert text != PYPROJECT
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": text}))
    assert_input_error(result, where, words)
    assert "pyproject.toml is not valid TOML" in result.stderr


def test_toml_error_at_end_of_document_has_a_line(make_project: MakeProject) -> None:
    text = PYPROJECT + 'notes = """\nnever closed\n'
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": text}))
    assert_input_error(result, f"pyproject.toml:{text.count(chr(10))}: RG003 ", "Unterminated")


def test_deeply_nested_toml_is_not_a_traceback(make_project: MakeProject) -> None:
    text = PYPROJECT + "deep = " + "[" * 5000 + "]" * 5000 + "\n"
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": text}))
    assert_input_error(result, "pyproject.toml: RG003 ", "nested too deeply")


# -- files that are not text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "CHANGELOG.md",
            b"# Changelog\n\n## [Unreleased]\n\n- caf\xe9\n",
            "is not UTF-8 (byte 0xe9 on line 5)",
        ),
        ("CHANGELOG.md", b"\xff\xfe#\x00 \x00C\x00", "is a binary file"),  # UTF-16
        ("CHANGELOG.md", PNG, "is a binary file"),
        (
            "CHANGELOG.md",
            b"\xef\xbb\xbf## [Unreleased]\n\xe9\n",
            "is not UTF-8 (byte 0xe9 on line 2)",
        ),
        ("pyproject.toml", PNG, "is a binary file"),
        ("pyproject.toml", b"", "is empty"),
        ("pyproject.toml", PYPROJECT.encode("latin-1") + b"# \xa9\n", "is not UTF-8"),
        ("src/theo/__init__.py", PNG, "is a binary file"),
        ("src/theo/__init__.py", b'__version__ = "0.1.0"  # \xe9\n', "is not UTF-8"),
    ],
    ids=[
        "changelog-latin1",
        "changelog-utf16",
        "changelog-png",
        "changelog-bom-latin1",
        "pyproject-png",
        "pyproject-empty",
        "pyproject-latin1",
        "init-png",
        "init-latin1",
    ],
)
def test_file_that_is_not_text_is_rg002(
    make_project: MakeProject, name: str, content: bytes, words: str
) -> None:
    root = make_project(files={name: content})
    result = run_rg("check", cwd=root)
    assert_input_error(result, f"{name}", f"RG002 {name} {words}")


@pytest.mark.parametrize("content", [b"", b" \n\r\n\t\n", b"\xef\xbb\xbf\r\n"])
def test_an_empty_changelog_documents_no_release(make_project: MakeProject, content: bytes) -> None:
    """An empty (or blank) changelog is read as one with no releases: the version's missing
    section is the finding to act on, not an input that cannot be judged."""
    result = run_rg("check", cwd=make_project(files={"CHANGELOG.md": content}))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CHANGELOG.md: RG211 version 0.1.0" in result.stdout


def test_bom_and_crlf_are_text(make_project: MakeProject) -> None:
    def crlf(text: str) -> bytes:
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()

    init = '"""Theo."""\n\n__version__ = "0.2.0"\n'
    files = {
        "pyproject.toml": crlf(PYPROJECT),
        "src/theo/__init__.py": crlf(init),
        "CHANGELOG.md": crlf("# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-02-07\n"),
    }
    result = run_rg("check", "--quiet", cwd=make_project(files=files))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("src/theo/__init__.py:3: RG104 ")


@pytest.mark.parametrize("name", ["CHANGELOG.md", "pyproject.toml", "src/theo/__init__.py"])
def test_directory_where_a_file_was_expected(make_project: MakeProject, name: str) -> None:
    root = make_project(files={name: None})
    (root / name).mkdir()
    (root / name / "keep").write_text("x")
    assert_input_error(run_rg("check", cwd=root), f"{name}: RG002 ", "is a directory")


def test_fifo_where_a_file_was_expected_does_not_hang(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": None})
    os.mkfifo(root / "CHANGELOG.md")
    assert_input_error(run_rg("check", cwd=root), "CHANGELOG.md: RG002 ", "FIFO")


def test_symlink_loop_is_rg002(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": None})
    (root / "CHANGELOG.md").symlink_to("CHANGELOG.md")
    assert_input_error(
        run_rg("check", cwd=root), "CHANGELOG.md: RG002 ", "symbolic link on this path loops"
    )


def test_huge_file_is_rg002(make_project: MakeProject) -> None:
    root = make_project(commit=False)
    with open(root / "CHANGELOG.md", "ab") as handle:
        handle.write(b"\n- entry" * (MAX_TEXT_BYTES // 8 + 1))
    assert (root / "CHANGELOG.md").stat().st_size > MAX_TEXT_BYTES
    result = run_rg("check", cwd=root)
    assert_input_error(result, "CHANGELOG.md: RG002 ", "is too large (more than 16 MiB)")


# -- Python version files that do not parse -----------------------------------------------------


@pytest.mark.parametrize(
    ("init", "start", "words"),
    [
        # the parser's wording and column vary across Python versions
        ('__version__ = "0.1.0\n', "src/theo/__init__.py:1:", "RG005"),
        ('"""Theo."""\n\ndef broken(:\n', "src/theo/__init__.py:3:", "invalid syntax"),
        (
            '__version__ = "0.1.0"\n' + "#" * 2000 + "\nx = 1\x00\n",
            "src/theo/__init__.py",
            "null bytes",
        ),
        ("x = " + "-" * 100_000 + "1\n", "src/theo/__init__.py", "RG005"),
    ],
    ids=["unterminated", "syntax", "nul-byte", "deep-nesting"],
)
def test_python_version_file_that_does_not_parse_is_rg005(
    make_project: MakeProject, init: str, start: str, words: str
) -> None:
    result = run_rg("check", cwd=make_project(files={"src/theo/__init__.py": init}))
    assert_input_error(result, start, words)
    assert "src/theo/__init__.py is not valid Python" in result.stderr


# -- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--format", "xml"], ["--colour"], ["--root"], ["--root", "does-not-exist"], ["extra"]],
)
def test_usage_errors_exit_2(make_project: MakeProject, args: list[str]) -> None:
    result = run_rg("check", *args, cwd=make_project())
    assert result.returncode == 2
    assert "usage: release-guard check" in result.stderr
    assert "Traceback" not in result.stderr


def test_input_errors_in_json_and_github_formats(make_project: MakeProject) -> None:
    root = make_project(files={"pyproject.toml": b""})
    as_json = run_rg("check", "--format", "json", cwd=root)
    assert as_json.returncode == 2
    assert '"exit_code": 2' in as_json.stdout
    assert '"fatal": true' in as_json.stdout
    as_github = run_rg("check", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert as_github.returncode == 2
    assert as_github.stdout.startswith("::error file=pyproject.toml,title=RG002 unreadable-file::")


# -- exit codes are 0, 1 or 2, never a count ----------------------------------------------------


@pytest.mark.parametrize("count", [1, 256, 300])
def test_exit_code_is_1_whatever_the_number_of_findings(
    make_project: MakeProject, count: int
) -> None:
    changelog = "# Changelog\n\n## [Unreleased]\n\n"
    changelog += "".join(f"## Misc {number}\n" for number in range(count))  # one RG203 each
    changelog += "\n## [0.1.0] - 2026-02-07\n\n- first\n"
    result = run_rg("check", "--quiet", cwd=make_project(files={"CHANGELOG.md": changelog}))
    assert result.returncode == 1
    assert result.stdout.count(": RG203 ") == min(count, 5)  # text output is bounded
    if count > 5:
        assert f"... and {count - 5} more RG203 findings not shown" in result.stdout
    assert result.stdout.endswith(f"Found {count} problem{'s' if count > 1 else ''}.\n")


# -- check writes nothing ---------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every path below root (the .git directory too): mode, mtime in ns and bytes."""
    state: dict[str, tuple[int, int, bytes]] = {}
    for directory, _, files in os.walk(root):
        for name in [".", *files]:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            data = b"" if name == "." or os.path.islink(path) else Path(path).read_bytes()
            state[os.path.relpath(path, root)] = (info.st_mode, info.st_mtime_ns, data)
    return state


@pytest.mark.parametrize(
    ("files", "args", "code"),
    [
        ({}, [], 0),
        ({"src/theo/__init__.py": '__version__ = "0.2.0"\n'}, ["--tag", "v0.2.0"], 1),
        ({"pyproject.toml": "[project\n"}, ["--format", "json"], 2),
        ({"src/theo/__init__.py": "def (\n"}, ["--format", "github"], 2),
    ],
    ids=["clean", "findings", "bad-toml", "bad-python"],
)
def test_check_writes_nothing(
    make_project: MakeProject, files: dict[str, str | None], args: list[str], code: int
) -> None:
    """Nothing but its parsed-TOML cache, in the git directory (release_guard/tomlcache.py)."""
    root = make_project(files=files)
    before = snapshot(root)
    assert run_rg("check", *args, cwd=root).returncode == code
    after = snapshot(root)
    if after.pop(os.path.join(".git", FILE_NAME), None) is not None:
        after[".git"] = before[".git"]  # the directory holding it has one more entry
    assert after == before
