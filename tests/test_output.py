"""Output formats: text like ruff, GitHub annotations, and the JSON schema of docs/output.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, run_rg
from release_guard import __version__
from release_guard.findings import Finding
from release_guard.report import Outcome, emit
from release_guard.rules import RULES

MISMATCH = {"src/theo/__init__.py": '"""Theo."""\n\n__version__ = "0.2.0"\n'}
VCS = (
    THEO_PYPROJECT.format(version="0.1.0").replace('version = "0.1.0"', 'dynamic = ["version"]')
    + '\n[tool.hatch.version]\nsource = "vcs"\n'
)


@pytest.fixture(autouse=True)
def _as_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """These projects have no tags: CI changes nothing they judge, and keeps `check` from
    noting the missing tag guard (tests/test_install.py judges that note)."""
    monkeypatch.setenv("CI", "true")


@pytest.fixture
def two_problems(make_project: MakeProject) -> Path:
    """RG104 in the package and RG209 in the changelog, in that order of path."""
    changelog = "# Changelog\n\n## [Unreleased]\n\n### added\n\n## [0.1.0] - 2026-02-07\n"
    return make_project(files={**MISMATCH, "CHANGELOG.md": changelog})


# -- text -------------------------------------------------------------------------------------


def test_text_is_ruff_like_with_hints_and_summary(two_problems: Path) -> None:
    result = run_rg("check", cwd=two_problems)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "CHANGELOG.md:5: RG209 subsection '### added' is the change type '### Added' spelled otherwise",
        f"  help: {RULES['RG209'].hint}",
        "src/theo/__init__.py:3: RG104 version '0.2.0' differs from '0.1.0' in pyproject.toml",
        f"  help: {RULES['RG104'].hint}",
        "Found 2 problems.",
    ]


def test_text_quiet_drops_hints_and_notes(make_project: MakeProject, two_problems: Path) -> None:
    result = run_rg("check", "--quiet", cwd=two_problems)
    assert result.returncode == 1
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == [
        "RG209",
        "RG104",
        "2",
    ]
    assert "help:" not in result.stdout
    clean = run_rg("check", "-q", cwd=make_project(files={"pyproject.toml": VCS}))
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_text_clean_run_prints_notes_and_summary(make_project: MakeProject) -> None:
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": VCS}))
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "note: the version is derived from git tags (hatch-vcs): there is no version file to keep in sync",
        "All checks passed.",
    ]


def test_text_finding_without_line(make_project: MakeProject) -> None:
    result = run_rg("check", "-q", cwd=make_project(files={"CHANGELOG.md": None}))
    assert (
        result.stdout.splitlines()[0] == "CHANGELOG.md: RG201 changelog CHANGELOG.md does not exist"
    )


def test_text_input_error_goes_to_stderr(make_project: MakeProject) -> None:
    result = run_rg("check", cwd=make_project(files={"CHANGELOG.md": b"\x00\x01\x02binary"}))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "CHANGELOG.md: RG002 CHANGELOG.md is a binary file, expected text",
        f"  help: {RULES['RG002'].hint}",
        "release-guard stopped: the input above cannot be judged.",
    ]


# -- GitHub annotations -------------------------------------------------------------------------


def test_github_is_the_default_under_github_actions(two_problems: Path) -> None:
    result = run_rg("check", cwd=two_problems, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=CHANGELOG.md,line=5,title=RG209 unknown-subsection::subsection '### added' "
        "is the change type '### Added' spelled otherwise"
        f"%0Ahelp: {RULES['RG209'].hint}",
        "::error file=src/theo/__init__.py,line=3,title=RG104 version-mismatch::version '0.2.0' "
        f"differs from '0.1.0' in pyproject.toml%0Ahelp: {RULES['RG104'].hint}",
        "Found 2 problems.",
    ]
    as_text = run_rg("check", "--format", "text", cwd=two_problems, env={"GITHUB_ACTIONS": "true"})
    assert as_text.stdout.startswith("CHANGELOG.md:5: RG209 ")
    not_actions = run_rg("check", cwd=two_problems, env={"GITHUB_ACTIONS": "false"})
    assert not_actions.stdout.startswith("CHANGELOG.md:5: RG209 ")


def test_github_notes_are_notices(make_project: MakeProject) -> None:
    result = run_rg("check", "--format", "github", cwd=make_project(files={"pyproject.toml": VCS}))
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith(
        "::notice title=release-guard::the version is derived from git tags"
    )


def test_github_escapes_properties_and_data(make_project: MakeProject) -> None:
    # a changelog path with every character the workflow command syntax reserves
    config = '\n[tool.release-guard]\nchangelog = "docs/notes,v1:100%.md"\n'
    root = make_project(files={"pyproject.toml": THEO_PYPROJECT.format(version="0.1.0") + config})
    result = run_rg("check", "--format", "github", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=docs/notes%2Cv1%3A100%25.md,title=RG201 changelog-missing::"
        "changelog docs/notes,v1:100%25.md does not exist"
        f"%0Ahelp: {RULES['RG201'].hint}"
    )


def test_github_escapes_line_breaks(capsys: pytest.CaptureFixture[str]) -> None:
    finding = Finding("RG203", "heading 'a\r\nb' 50%", "CHANGE,LOG:.md", 3, 7, "one\ntwo")
    emit("check", Outcome([finding], ["a note\non two lines"]), "github", False, 1)
    assert capsys.readouterr().out.splitlines() == [
        "::notice title=release-guard::a note%0Aon two lines",
        "::error file=CHANGE%2CLOG%3A.md,line=3,col=7,title=RG203 malformed-heading::"
        "heading 'a%0D%0Ab' 50%25%0Ahelp: one%0Atwo",
        "Found 1 problem.",
    ]


# -- JSON ---------------------------------------------------------------------------------------

FINDING_KEYS: dict[str, type | tuple[type, ...]] = {
    "code": str,
    "rule": str,
    "message": str,
    "hint": str,
    "path": (str, type(None)),
    "line": (int, type(None)),
    "column": (int, type(None)),
    "fatal": bool,
}


def assert_schema(document: dict[str, object]) -> None:
    assert set(document) == {
        "schema_version",
        "tool",
        "tool_version",
        "command",
        "exit_code",
        "findings",
        "notes",
        "skipped",
    }
    assert document["schema_version"] == 1
    assert document["tool"] == "release-guard"
    assert document["tool_version"] == __version__
    assert document["command"] == "check"
    assert document["exit_code"] in (0, 1, 2)
    findings, notes = document["findings"], document["notes"]
    assert isinstance(findings, list)
    assert isinstance(notes, list)
    assert all(isinstance(note, str) for note in notes)
    for finding in findings:
        assert set(finding) == set(FINDING_KEYS)
        for key, kind in FINDING_KEYS.items():
            assert isinstance(finding[key], kind), (key, finding)
        assert finding["code"] in RULES
        assert finding["rule"] == RULES[finding["code"]].name
        assert finding["fatal"] is finding["code"].startswith("RG0")


def test_json_findings(two_problems: Path) -> None:
    result = run_rg("check", "--format", "json", "--quiet", cwd=two_problems)
    assert result.returncode == 1
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert_schema(document)
    assert document["exit_code"] == 1
    assert [(f["path"], f["line"], f["code"]) for f in document["findings"]] == [
        ("CHANGELOG.md", 5, "RG209"),
        ("src/theo/__init__.py", 3, "RG104"),
    ]
    assert document["findings"][1] == {
        "code": "RG104",
        "rule": "version-mismatch",
        "message": "version '0.2.0' differs from '0.1.0' in pyproject.toml",
        "hint": RULES["RG104"].hint,
        "path": "src/theo/__init__.py",
        "line": 3,
        "column": None,
        "fatal": False,
    }


def test_json_clean_with_notes(make_project: MakeProject) -> None:
    result = run_rg("check", "--format", "json", cwd=make_project(files={"pyproject.toml": VCS}))
    document = json.loads(result.stdout)
    assert_schema(document)
    assert (result.returncode, document["exit_code"], document["findings"]) == (0, 0, [])
    assert len(document["notes"]) == 1


def test_json_input_error(make_project: MakeProject) -> None:
    root = make_project(files={"pyproject.toml": "[project]\nname = 'theo'\nversion =\n"})
    result = run_rg("check", "--format", "json", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert_schema(document)
    assert document["exit_code"] == 2
    (finding,) = document["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["fatal"]) == (
        "RG003",
        "pyproject.toml",
        3,
        True,
    )
    assert finding["column"] == 10


def test_paths_are_relative_to_the_project_root(two_problems: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_rg("check", "--root", str(two_problems), "-q", cwd=elsewhere)
    assert result.returncode == 1
    assert result.stdout.startswith("CHANGELOG.md:5: RG209 ")
    from_below = run_rg("check", "-q", cwd=two_problems / "src" / "theo")
    assert from_below.stdout == result.stdout  # the nearest pyproject.toml above is the root


def test_help_exits_0(tmp_path: Path) -> None:
    result = run_rg("check", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: release-guard check")


def test_text_a_console_cannot_show_is_escaped(make_project: MakeProject) -> None:
    changelog = "# Changelog\n\n## [Unreleased]\n\n## \U0001f680 Launch\n"
    root = make_project(files={"CHANGELOG.md": changelog})
    for fmt in ("text", "github"):
        result = run_rg("check", "--format", fmt, cwd=root, env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 1, result.stderr
        assert "'## \\U0001f680 Launch'" in result.stdout
