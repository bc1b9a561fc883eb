"""`release-guard notes VERSION|TAG`: the body of exactly that version's section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MakeProject, run_rg

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added

- not released yet

## [1.2.50] - 2026-02-09

### Fixed

- fifty, see [#12] and [the docs][docs]

## [1.2.5] - 2026-02-08

### Added

- five
- an example:

  ```markdown
  ## [9.9.9] - 2026-01-01
  - inside a fence, not a heading
  ```

- after the fence

## [1.2.0] - 2026-02-07

### Added

## [1.1.0] - 2026-01-01

- café ☕, in UTF-8, see [docs]


[#12]: https://example.invalid/issues/12
[docs]: https://example.invalid/docs
[unreleased]: https://example.invalid/compare/v1.2.50...HEAD
[1.2.50]: https://example.invalid/compare/v1.2.5...v1.2.50
"""


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project(files={"CHANGELOG.md": CHANGELOG})


def notes(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_rg("notes", *args, cwd=root)
    return result.returncode, result.stdout, result.stderr


def test_body_of_the_exact_version_without_heading(project: Path) -> None:
    code, out, err = notes(project, "1.2.5")
    assert (code, err) == (0, "")
    assert out == (
        "### Added\n\n- five\n- an example:\n\n  ```markdown\n  ## [9.9.9] - 2026-01-01\n"
        "  - inside a fence, not a heading\n  ```\n\n- after the fence\n"
    )


def test_tag_and_git_ref_name_the_version(project: Path) -> None:
    by_version = notes(project, "1.2.50")
    assert by_version[0] == 0
    assert notes(project, "v1.2.50") == by_version
    assert notes(project, "refs/tags/v1.2.50") == by_version


def test_link_references_do_not_leak_but_used_ones_come_along(project: Path) -> None:
    code, out, _ = notes(project, "v1.2.50")
    assert code == 0
    assert out == (
        "### Fixed\n\n- fifty, see [#12] and [the docs][docs]\n\n"
        "[#12]: https://example.invalid/issues/12\n"
        "[docs]: https://example.invalid/docs\n"
    )
    code, out, _ = notes(project, "1.1.0")
    assert out == "- café ☕, in UTF-8, see [docs]\n\n[docs]: https://example.invalid/docs\n"


def test_no_substring_and_no_first_section_fallback(project: Path) -> None:
    code, out, err = notes(project, "2.5")
    assert (code, out) == (1, "")
    assert "CHANGELOG.md: RG501 no section for version 2.5" in err
    code, out, err = notes(project, "1.2.500")
    assert (code, out) == (1, "")
    assert "RG501" in err


def test_empty_section_is_refused(project: Path) -> None:
    code, out, err = notes(project, "v1.2.0")
    assert (code, out) == (1, "")
    assert "CHANGELOG.md:29: RG502 [1.2.0] has no entries" in err


def test_unreleased_is_not_a_version(project: Path) -> None:
    code, out, err = notes(project, "Unreleased")
    assert (code, out) == (1, "")
    assert "'Unreleased' is neither a version nor a tag following tag-format" in err


def test_json_problems_go_to_stderr(project: Path) -> None:
    code, out, err = notes(project, "3.0.0", "--format", "json")
    assert (code, out) == (1, "")
    document = json.loads(err)
    assert [f["code"] for f in document["findings"]] == ["RG501"]


def test_missing_changelog_and_missing_pyproject(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": None})
    code, out, err = notes(root, "0.1.0")
    assert (code, out) == (1, "")
    assert "RG201" in err
    (root / "pyproject.toml").unlink()
    code, out, err = notes(root, "0.1.0", "--root", str(root))
    assert (code, out) == (2, "")
    assert "RG001" in err


def test_configured_changelog_and_tag_format(make_project: MakeProject) -> None:
    from conftest import THEO_PYPROJECT

    pyproject = THEO_PYPROJECT.format(version="1.2.5") + (
        '\n[tool.release-guard]\nchangelog = "docs/HISTORY.md"\ntag-format = "release-{version}"\n'
    )
    root = make_project(
        files={"pyproject.toml": pyproject, "CHANGELOG.md": None, "docs/HISTORY.md": CHANGELOG}
    )
    code, out, _ = notes(root, "release-1.2.5")
    assert code == 0
    assert out.startswith("### Added\n\n- five\n")


def test_output_file_is_written_whole_and_only_on_success(project: Path) -> None:
    target = project / "notes.md"
    assert notes(project, "v1.2.5", "--output", "notes.md")[:2] == (0, "")
    assert target.read_text(encoding="utf-8").endswith("- after the fence\n")
    target.write_text("previous notes\n")
    code, _, _ = notes(project, "v9.9.9", "--output", "notes.md")
    assert code == 1
    assert target.read_text() == "previous notes\n"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".release-notes")) == []


def test_output_that_cannot_be_written(project: Path) -> None:
    code, _, err = notes(project, "1.2.5", "--output", "no/such/dir/notes.md")
    assert code == 2
    assert "RG608 --output no/such/dir/notes.md: its directory does not exist" in err
    (project / "taken").mkdir()
    code, out, err = notes(project, "1.2.5", "--output", "taken")
    assert (code, out) == (2, "")
    assert "taken: RG608 --output taken: is a directory, not a regular file" in err
    code, out, err = notes(project, "1.2.5", "--output", "/proc/notes.md")  # even for root
    assert (code, out) == (2, "")
    assert "/proc/notes.md: RG606 cannot write /proc/notes.md: " in err
    assert "Traceback" not in err
    assert not [p.name for p in project.iterdir() if p.name.startswith(".release-notes")]


def test_crlf_changelog(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG.replace("\n", "\r\n")})
    code, out, _ = notes(root, "1.2.5")
    assert code == 0
    assert "\r" not in out
    assert out.startswith("### Added\n\n- five\n")


def test_a_comment_before_the_link_definitions_stays_out_of_the_oldest_notes(
    make_project: MakeProject,
) -> None:
    changelog = CHANGELOG.replace("\n\n[#12]:", "\n<!-- links -->\n[#12]:")
    result = run_rg("notes", "1.1.0", cwd=make_project(files={"CHANGELOG.md": changelog}))
    assert result.returncode == 0, result.stderr
    assert "<!--" not in result.stdout
    assert result.stdout.startswith("- café ☕, in UTF-8, see [docs]\n")


@pytest.mark.parametrize("target", ["CHANGELOG.md", "pyproject.toml", "src/theo/__init__.py"])
def test_output_never_overwrites_a_file_of_the_project(project: Path, target: str) -> None:
    before = (project / target).read_bytes()
    result = run_rg("notes", "1.2.5", "--output", target, cwd=project)
    assert result.returncode == 2
    assert "a file of the project" in result.stderr
    assert (project / target).read_bytes() == before
