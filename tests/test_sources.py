"""One reading of files: the working tree and a git commit follow symbolic links alike.

`conftest.checked` already runs every `check` scenario of tests/test_check_*.py through both
sources and compares the findings; these are the cases only links make.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import THEO_CHANGELOG, THEO_PYPROJECT, MakeProject, checked, git, run_rg
from release_guard.findings import InputError
from release_guard.source import CatFile, GitCommit


def linked(make_project: MakeProject, links: dict[str, str], files: dict[str, str | None]) -> Path:
    """A Theo project whose `links` (path -> link text) are symbolic links, all committed."""
    root = make_project(files=files, commit=False)
    for path, target in links.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / path)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "links")
    return root


def test_a_changelog_linked_inside_the_repository_is_read_through_the_link(
    make_project: MakeProject,
) -> None:
    root = linked(
        make_project,
        {"CHANGELOG.md": "docs/changes.md"},
        {"CHANGELOG.md": None, "docs/changes.md": THEO_CHANGELOG},
    )
    assert checked(root, tag="v0.1.0").findings == []
    with CatFile(str(root)) as cat_file:
        commit = GitCommit(cat_file, "HEAD", label="HEAD")
        assert commit.read_bytes("CHANGELOG.md") == THEO_CHANGELOG.encode()


def test_the_guard_and_check_tag_agree_on_a_linked_changelog(
    make_project: MakeProject, bare_remote: Path
) -> None:
    root = linked(
        make_project,
        {"CHANGELOG.md": "docs/changes.md"},
        {"CHANGELOG.md": None, "docs/changes.md": THEO_CHANGELOG},
    )
    git(root, "remote", "add", "origin", str(bare_remote))
    assert run_rg("install", cwd=root).returncode == 0
    git(root, "tag", "v0.1.0")
    assert run_rg("check", "--tag", "v0.1.0", cwd=root).returncode == 0
    pushed = git(root, "push", "-q", "origin", "main", "v0.1.0", check=False)
    assert git(bare_remote, "tag") == "v0.1.0", pushed


def test_a_package_directory_linked_inside_the_repository(make_project: MakeProject) -> None:
    """Detection lists src/ through the link in both sources and finds the same version file."""
    root = linked(
        make_project,
        {"src/theo": "../lib/theo"},
        {
            "src/theo/__init__.py": None,
            "src/theo/py.typed": None,
            "src/theo/_types.py": None,
            "src/theo/proto/stt_worker.proto": None,
            "lib/theo/__init__.py": '__version__ = "0.0.9"\n',
        },
    )
    assert [f.code for f in checked(root).findings] == ["RG104"]


@pytest.mark.parametrize(
    ("target", "what"),
    [("../outside.md", "leads out of the repository"), ("CHANGELOG.md", "loops")],
    ids=["outside", "loop"],
)
def test_a_link_leaving_the_repository_or_looping_is_an_input_error_in_both(
    make_project: MakeProject, target: str, what: str
) -> None:
    root = linked(make_project, {"CHANGELOG.md": target}, {"CHANGELOG.md": None})
    (root.parent / "outside.md").write_text(THEO_CHANGELOG)
    with pytest.raises(InputError) as raised:
        checked(root)
    assert raised.value.finding.code == "RG002"
    assert what in raised.value.finding.message
    result = run_rg("check", cwd=root)
    assert result.returncode == 2
    assert f"RG002 CHANGELOG.md: a symbolic link on this path {what}" in result.stderr


def test_a_dangling_link_is_a_missing_file_in_both(make_project: MakeProject) -> None:
    root = linked(make_project, {"CHANGELOG.md": "docs/gone.md"}, {"CHANGELOG.md": None})
    assert [f.code for f in checked(root).findings] == ["RG201"]


def test_a_linked_package_directory_is_listed_as_a_directory_in_both(
    make_project: MakeProject,
) -> None:
    """No backend config: detection lists src/ and must see the link as a package directory."""
    pyproject = THEO_PYPROJECT.format(version="0.1.0").replace(
        '[tool.hatch.build.targets.wheel]\npackages = ["src/theo"]\n', ""
    )
    root = linked(
        make_project,
        {"src/theo": "../lib/theo"},
        {
            "pyproject.toml": pyproject,
            "src/theo/__init__.py": None,
            "src/theo/py.typed": None,
            "src/theo/_types.py": None,
            "src/theo/proto/stt_worker.proto": None,
            "lib/theo/__init__.py": '__version__ = "0.0.9"\n',
        },
    )
    found = checked(root).findings
    assert [(f.code, f.path) for f in found] == [("RG104", "src/theo/__init__.py")]
