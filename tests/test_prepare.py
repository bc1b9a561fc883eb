"""`release-guard prepare`: every byte outside the changed spans kept, refusals write nothing."""

from __future__ import annotations

import datetime
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THEO_CHANGELOG, MakeProject, git, run_rg
from release_guard.prepare import new_version

DAY = "2026-03-01"

CHANGELOG_WITH_ENTRIES = THEO_CHANGELOG.replace(
    "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- gRPC STT worker.\n"
)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project except git's own, as bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def prepare(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_rg("prepare", *args, "--date", DAY, cwd=root)


def test_minor_release_of_theo(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    before = snapshot(root)
    result = prepare(root, "minor")
    assert result.returncode == 0, result.stdout + result.stderr
    after = snapshot(root)
    assert after["pyproject.toml"] == before["pyproject.toml"].replace(
        b'version = "0.1.0"', b'version = "0.2.0"'
    )
    assert after["src/theo/__init__.py"] == b'"""Theo OpenVoice."""\n\n__version__ = "0.2.0"\n'
    assert after["CHANGELOG.md"] == before["CHANGELOG.md"].replace(
        b"## [Unreleased]\n", b"## [Unreleased]\n\n## [0.2.0] - 2026-03-01\n"
    )
    untouched = set(before) - {"pyproject.toml", "src/theo/__init__.py", "CHANGELOG.md"}
    assert {name: after[name] for name in untouched} == {name: before[name] for name in untouched}
    assert (
        'git commit -m "release: v0.2.0" -- pyproject.toml src/theo/__init__.py CHANGELOG.md'
        in (result.stdout)
    )
    assert "git tag v0.2.0" in result.stdout
    assert "git push origin main v0.2.0" in result.stdout
    # what the tag guard and CI will ask of the tag holds
    released = run_rg("check", "--tag", "v0.2.0", cwd=root)
    assert released.returncode == 0, released.stdout


def test_today_is_the_default_date(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    result = run_rg("prepare", "patch", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    today = datetime.date.today().isoformat()
    assert f"## [0.1.1] - {today}\n" in (root / "CHANGELOG.md").read_text()


# Each pyproject holds "0.1.0" once, as its version: the only bytes prepare may change.
TRICKY_PYPROJECTS = {
    "crlf-and-comments": (
        '# top comment\r\n[build-system]\r\nrequires = ["hatchling"]  # backend\r\n'
        'build-backend = "hatchling.build"\r\n\r\n[project]\r\nname = "theo-openvoice"\r\n'
        'version = "0.1.0"   # bumped by release-guard\r\n\r\n[tool.hatch.build.targets.wheel]\r\n'
        'packages = ["src/theo"]\r\n'
    ),
    "single-quotes-odd-spacing": (
        "[build-system]\nrequires=['hatchling']\nbuild-backend='hatchling.build'\n"
        "[ project ]\n  name='theo-openvoice'\n\tversion   =   '0.1.0'#c\n"
        "authors = [ {name='A', email='a@example.invalid'} , ]\n"
    ),
    "inline-project-table": (
        'project = {name="theo-openvoice",version="0.1.0" , requires-python=">=3.9"}\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    ),
    "dotted-keys": (
        'project.name = "theo-openvoice"\nproject . version = """0.1.0"""\n'
        "tool.hatch.build.targets.wheel.packages = ['src/theo']\n"
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    ),
    "bom-and-no-final-newline": (
        '\ufeff[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        "[project]\nname = 'theo-openvoice'\nversion = '''0.1.0'''"
    ),
}


@pytest.mark.parametrize("name", sorted(TRICKY_PYPROJECTS))
def test_pyproject_keeps_every_other_byte(make_project: MakeProject, name: str) -> None:
    text = TRICKY_PYPROJECTS[name]
    assert text.count("0.1.0") == 1
    root = make_project(files={"pyproject.toml": text, "CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    result = prepare(root, "0.2.0")
    assert result.returncode == 0, result.stdout + result.stderr
    written = (root / "pyproject.toml").read_bytes()
    assert written == text.replace("0.1.0", "0.2.0").encode("utf-8")


def test_crlf_bom_changelog_and_version_file(make_project: MakeProject) -> None:
    changelog = "\ufeff" + CHANGELOG_WITH_ENTRIES.replace("\n", "\r\n")
    init = '\ufeff"""Theo."""\r\n__all__ = ["x"]  # 0.1.0 stays in comments\r\n__version__ = \'0.1.0\'\r\n'
    root = make_project(files={"CHANGELOG.md": changelog, "src/theo/__init__.py": init})
    result = prepare(root, "0.2.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "CHANGELOG.md").read_bytes() == changelog.replace(
        "## [Unreleased]\r\n", "## [Unreleased]\r\n\r\n## [0.2.0] - 2026-03-01\r\n"
    ).encode("utf-8")
    assert (root / "src/theo/__init__.py").read_bytes() == init.replace(
        "'0.1.0'", "'0.2.0'"
    ).encode("utf-8")


LINKED = CHANGELOG_WITH_ENTRIES + (
    "\n[unreleased]: https://github.com/theo/openvoice/compare/v0.1.0...HEAD\n"
    "[0.1.0]: https://github.com/theo/openvoice/releases/tag/v0.1.0\n"
)


def test_link_references_move_to_the_new_tag(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": LINKED})
    assert prepare(root, "minor").returncode == 0
    assert (root / "CHANGELOG.md").read_text() == LINKED.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n## [0.2.0] - 2026-03-01\n"
    ).replace(
        "[unreleased]: https://github.com/theo/openvoice/compare/v0.1.0...HEAD\n",
        "[unreleased]: https://github.com/theo/openvoice/compare/v0.2.0...HEAD\n"
        "[0.2.0]: https://github.com/theo/openvoice/compare/v0.1.0...v0.2.0\n",
    )


def test_first_release_links_from_a_branch_view(make_project: MakeProject) -> None:
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Everything.\n\n"
        "[Unreleased]: https://gitlab.example/theo/openvoice/-/commits/main"
    )
    root = make_project(version="0.0.1.dev0", files={"CHANGELOG.md": changelog})
    result = prepare(root, "0.1.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "CHANGELOG.md").read_text() == (
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-03-01\n\n### Added\n\n- Everything.\n\n"
        "[Unreleased]: https://gitlab.example/theo/openvoice/-/compare/v0.1.0...HEAD\n"
        "[0.1.0]: https://gitlab.example/theo/openvoice/-/releases/tag/v0.1.0\n"
    )


def test_dynamic_version_file_and_extra_version_files(make_project: MakeProject) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "theo-openvoice"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\npath = "src/theo/__about__.py"\n\n'
        "[tool.release-guard]\nversion-files = [\n"
        '  "src/theo/__init__.py",\n'
        '  { path = "docs/conf.py", pattern = "release = .(\\\\d[^\'\\"]*)" },\n]\n'
    )
    root = make_project(
        files={
            "pyproject.toml": pyproject,
            "src/theo/__about__.py": "__version__ = '0.1.0'\n",
            "docs/conf.py": 'project = "theo"\nrelease = "0.1.0"  # from 0.1.0\n',
            "CHANGELOG.md": CHANGELOG_WITH_ENTRIES,
        }
    )
    result = prepare(root, "major")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "pyproject.toml").read_text() == pyproject
    assert (root / "src/theo/__about__.py").read_text() == "__version__ = '1.0.0'\n"
    assert (root / "src/theo/__init__.py").read_text().endswith('__version__ = "1.0.0"\n')
    assert (
        root / "docs/conf.py"
    ).read_text() == 'project = "theo"\nrelease = "1.0.0"  # from 0.1.0\n'


def test_version_from_git_tags_dates_only_the_changelog(make_project: MakeProject) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "theo-openvoice"\ndynamic = ["version"]\n'
        '[tool.hatch.version]\nsource = "vcs"\n'
    )
    init = '"""Theo."""\n'
    root = make_project(
        files={
            "pyproject.toml": pyproject,
            "src/theo/__init__.py": init,
            "CHANGELOG.md": CHANGELOG_WITH_ENTRIES,
        }
    )
    before = snapshot(root)
    result = prepare(root, "patch")
    assert result.returncode == 0, result.stdout + result.stderr
    after = snapshot(root)
    assert [name for name in after if after[name] != before[name]] == ["CHANGELOG.md"]
    assert "## [0.1.1] - 2026-03-01" in after["CHANGELOG.md"].decode()
    assert "git tag v0.1.1" in result.stdout


def test_dry_run_prints_the_diff_and_writes_nothing(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    before = snapshot(root)
    result = prepare(root, "minor", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(root) == before
    assert "--- a/src/theo/__init__.py\n+++ b/src/theo/__init__.py\n" in result.stdout
    assert '-__version__ = "0.1.0"\n+__version__ = "0.2.0"\n' in result.stdout
    assert "+## [0.2.0] - 2026-03-01\n" in result.stdout
    assert "git tag" not in result.stdout


def test_json_output_carries_the_next_steps(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    result = prepare(root, "minor", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["command"] == "prepare"
    assert document["findings"] == []
    assert "  git tag v0.2.0" in document["notes"]


def test_quiet_prints_nothing_when_all_is_well(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    result = prepare(root, "minor", "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert 'version = "0.2.0"' in (root / "pyproject.toml").read_text()


def test_file_mode_and_symlinks_are_kept(make_project: MakeProject) -> None:
    root = make_project(files={"docs/CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    (root / "CHANGELOG.md").unlink()
    (root / "CHANGELOG.md").symlink_to("docs/CHANGELOG.md")
    (root / "src/theo/__init__.py").chmod(0o640)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "changelog lives in docs/")
    assert prepare(root, "minor").returncode == 0
    assert (root / "CHANGELOG.md").is_symlink()
    assert "## [0.2.0] - 2026-03-01" in (root / "docs/CHANGELOG.md").read_text()
    assert (root / "src/theo/__init__.py").stat().st_mode & 0o777 == 0o640
    assert not list(root.rglob("*.tmp"))


def test_outside_git_it_still_prepares(tmp_path: Path, make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES}, commit=False)
    (root / ".git").rename(tmp_path / "moved-git-dir")
    result = prepare(root, "minor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'version = "0.2.0"' in (root / "pyproject.toml").read_text()
    assert "git push origin v0.2.0" in result.stdout


# -- refusals: exit 2 (or 1 for release findings) and not one byte written ------------------


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({}, "minor", "CHANGELOG.md:5: RG601 [Unreleased] in CHANGELOG.md holds no entries"),
        ({"CHANGELOG.md": CHANGELOG_WITH_ENTRIES}, "0.1.0", "RG602 0.1.0 is not greater than"),
        ({"CHANGELOG.md": CHANGELOG_WITH_ENTRIES}, "0.0.9", "RG602 0.0.9 is not greater than"),
        (
            {"CHANGELOG.md": CHANGELOG_WITH_ENTRIES},
            "two",
            "RG602 'two' is neither a PEP 440 version",
        ),
        (
            {"CHANGELOG.md": CHANGELOG_WITH_ENTRIES},
            "0.2.0+local",
            "RG602 0.2.0+local is a local version",
        ),
        (
            {"CHANGELOG.md": CHANGELOG_WITH_ENTRIES.replace("## [Unreleased]\n", "")},
            "minor",
            "RG601 CHANGELOG.md has no '## [Unreleased]' section",
        ),
        (
            {"CHANGELOG.md": CHANGELOG_WITH_ENTRIES.replace("[0.1.0]", "[0.3.0]")},
            "0.3.0",
            "CHANGELOG.md:11: RG603 CHANGELOG.md already has a section [0.3.0]",
        ),
        ({"CHANGELOG.md": None}, "minor", "RG601 CHANGELOG.md does not exist"),
        (
            {"pyproject.toml": '[project]\nname = "x"\n', "CHANGELOG.md": CHANGELOG_WITH_ENTRIES},
            "minor",
            "RG601 the project has no version to replace",
        ),
    ],
)
def test_refusals_write_nothing(
    make_project: MakeProject, files: dict[str, str | None], target: str, message: str
) -> None:
    root = make_project(files=files)
    before = snapshot(root)
    result = prepare(root, target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "help: " in result.stderr
    assert result.stderr.endswith("release-guard stopped: nothing was changed.\n")
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"pyproject.toml": "[project\nname = 1\n"}, "RG003"),
        ({"src/theo/__init__.py": "__version__ = (\n"}, "RG005"),
        ({"CHANGELOG.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "RG002"),
    ],
)
def test_invalid_files_are_input_errors(
    make_project: MakeProject, files: dict[str, str | bytes], code: str
) -> None:
    root = make_project(files=files)
    before = snapshot(root)
    result = prepare(root, "minor")
    assert result.returncode == 2
    assert code in result.stderr
    assert snapshot(root) == before


def test_uncommitted_changes_to_release_files_refuse(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    (root / "src/theo/__init__.py").write_text('__version__ = "0.1.0"  # edited\n')
    (root / "notes.txt").write_text("unrelated work in progress\n")
    before = snapshot(root)
    result = prepare(root, "minor")
    assert result.returncode == 2
    assert "uncommitted changes in src/theo/__init__.py" in result.stderr
    assert snapshot(root) == before
    git(root, "add", "src/theo/__init__.py")
    git(root, "commit", "-qm", "comment")
    # unrelated files may stay dirty: the printed commit names the release files only
    assert prepare(root, "minor").returncode == 0


def test_untracked_changelog_refuses(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": None})
    (root / "CHANGELOG.md").write_text(CHANGELOG_WITH_ENTRIES)
    result = prepare(root, "minor")
    assert result.returncode == 2
    assert "uncommitted changes in CHANGELOG.md" in result.stderr


def test_existing_tag_refuses(make_project: MakeProject) -> None:
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES})
    git(root, "tag", "v0.2.0")
    result = prepare(root, "minor")
    assert result.returncode == 2
    assert "the tag v0.2.0 already exists" in result.stderr


def test_a_result_that_fails_the_release_checks_is_not_written(make_project: MakeProject) -> None:
    misspelled = CHANGELOG_WITH_ENTRIES.replace("### Added\n\n- gRPC", "### added\n\n- gRPC")
    root = make_project(files={"CHANGELOG.md": misspelled})
    before = snapshot(root)
    result = prepare(root, "minor")
    assert result.returncode == 1
    assert "CHANGELOG.md:7: RG209 subsection '### added'" in result.stdout
    assert "nothing written: v0.2.0 would not pass the release checks" in result.stdout
    assert snapshot(root) == before


def test_a_failed_write_restores_the_files_already_written(make_project: MakeProject) -> None:
    """A real write failure: the changelog, written last, exceeds the file-size limit."""
    padding = "".join(f"- entry {n}.\n" for n in range(8000))
    root = make_project(files={"CHANGELOG.md": CHANGELOG_WITH_ENTRIES.replace("- gRPC", padding)})
    before = snapshot(root)
    limit = 64 * 1024
    assert len(before["CHANGELOG.md"]) > limit > len(before["pyproject.toml"])

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "release_guard", "prepare", "minor", "--date", DAY],
        cwd=root,
        capture_output=True,
        text=True,
        preexec_fn=limit_file_size,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "cannot write CHANGELOG.md: File too large" in result.stderr
    assert "2 file(s) already written were restored: nothing changed" in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        ("0.1.0", "minor", "0.2.0"),
        ("0.1.0", "major", "1.0.0"),
        ("0.1.0", "patch", "0.1.1"),
        ("1.2", "patch", "1.2.1"),
        ("1.2.3.post1", "patch", "1.2.4"),
        ("0.2.0rc1", "minor", "0.2.0"),
        ("0.2.1.dev0", "patch", "0.2.1"),
        ("0.2.1.dev0", "minor", "0.3.0"),
        ("1.0.0b1", "major", "1.0.0"),
        ("1!2.0.0", "minor", "1!2.1.0"),
        ("0.1.0", "v0.2.0", "0.2.0"),
        ("0.1.0", "0.2.0rc1", "0.2.0rc1"),
    ],
)
def test_new_version(current: str, target: str, expected: str) -> None:
    assert new_version(target, current) == expected


def test_refusal_in_json_is_one_coded_finding(make_project: MakeProject) -> None:
    root = make_project()  # [Unreleased] is empty
    result = prepare(root, "minor", "--format", "json")
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert document["exit_code"] == 2
    assert [(f["code"], f["rule"], f["fatal"]) for f in document["findings"]] == [
        ("RG601", "nothing-to-release", True)
    ]
