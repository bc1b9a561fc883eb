"""Inputs found by fuzzing and probing: one-line coded errors or findings, never a traceback;
text output that cannot carry a GitHub workflow command into a CI log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import THEO_CHANGELOG, MakeProject, run_rg

# Everything GitHub's runner (and any terminal) may take as the start of a new line.
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def workflow_command_lines(output: str) -> list[str]:
    """The lines of `output` a GitHub runner would run as workflow commands."""
    return [
        line
        for line in _LINE_BREAKS.split(output)
        if line.lstrip().startswith("::") or "##[" in line
    ]


def test_nul_byte_in_a_configured_path_is_a_coded_error(make_project: MakeProject) -> None:
    pyproject = (
        '[project]\nname = "x"\nversion = "0.1.0"\n\n'
        '[tool.release-guard]\nversion-files = ["src/x\\u0000/__init__.py"]\n'
    )
    root = make_project(files={"pyproject.toml": pyproject})
    result = run_rg("check", cwd=root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG002" in result.stderr + result.stdout
    assert "NUL" in result.stderr + result.stdout


def test_version_with_a_4300_digit_number_is_a_finding(make_project: MakeProject) -> None:
    huge = "1." + "9" * 4400
    root = make_project(
        files={
            "pyproject.toml": f'[project]\nname = "x"\nversion = "{huge}"\n',
            "src/theo/__init__.py": f'__version__ = "{huge}"\n',
        }
    )
    for args, code in (
        (["check"], "RG105"),
        (["check", "--tag", f"v{huge}"], "RG105"),
        (["prepare", "patch", "--dry-run"], "RG602"),  # the current version is not PEP 440
    ):
        result = run_rg(*args, cwd=root)
        assert "Traceback" not in result.stderr, args
        assert result.returncode in (1, 2), (args, result.stdout, result.stderr)
        assert code in result.stdout + result.stderr, args


@pytest.mark.parametrize("line_end", ["\r\x0c", "\r", "\x0c\r"])
def test_prepare_on_a_version_file_with_odd_line_ends(
    make_project: MakeProject, line_end: str
) -> None:
    """Python ends lines at a lone CR too (the form feed is whitespace): ast's line numbers
    count them, so prepare must find the value on the line Python means."""
    init = f'"""x"""{line_end}A = 1{line_end}__version__ = "0.1.0"{line_end}'
    pyproject = (
        '[project]\nname = "theo-openvoice"\nversion = "0.1.0"\n\n'
        '[tool.release-guard]\nversion-files = ["src/theo/__init__.py"]\n'
    )
    changelog = THEO_CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- y\n")
    root = make_project(
        files={"pyproject.toml": pyproject, "src/theo/__init__.py": init, "CHANGELOG.md": changelog}
    )
    result = run_rg("prepare", "patch", "--date", "2026-03-01", cwd=root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "src/theo/__init__.py").read_bytes() == init.replace("0.1.0", "0.1.1").encode()


@pytest.mark.parametrize("encoding", [None, "ascii"])
def test_text_output_neutralises_workflow_commands(
    make_project: MakeProject, encoding: str | None
) -> None:
    """A configured path quoted in a finding (and as its location) carries line breaks of
    every kind, each followed by a workflow command."""
    hostile = "src/x\\r::error::pwned\\u2028::warning::x\\u0085##[error]y.py"
    pyproject = (
        '[project]\nname = "x"\nversion = "0.1.0"\n\n'
        f'[tool.release-guard]\nversion-files = ["{hostile}"]\n'
    )
    root = make_project(files={"pyproject.toml": pyproject})
    env = {"PYTHONIOENCODING": encoding, "LC_ALL": "C"} if encoding else {}
    result = run_rg("check", cwd=root, env=env)
    output = result.stdout + result.stderr
    assert result.returncode in (1, 2), output
    assert "pwned" in output  # the path is quoted ...
    assert workflow_command_lines(output) == []  # ... harmlessly


def test_prepare_diff_neutralises_workflow_commands(make_project: MakeProject) -> None:
    changelog = THEO_CHANGELOG.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n::error::pwned\n- entry\n"
    )
    root = make_project(files={"CHANGELOG.md": changelog})
    result = run_rg("prepare", "patch", "--dry-run", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pwned" in result.stdout
    assert workflow_command_lines(result.stdout) == []


def test_neutralised_text_keeps_its_words(tmp_path: Path) -> None:
    from release_guard.report import neutralise_workflow_commands

    assert neutralise_workflow_commands("a\n  ::error::x") == "a\n  : :error::x"
    assert neutralise_workflow_commands("::x\r::y") == ": :x\r: :y"
    assert neutralise_workflow_commands("##[error]x") == "# #[error]x"
    assert neutralise_workflow_commands("plain: text :: here") == "plain: text :: here"
