"""`release-guard version [TAG]`: key=value lines the workflows and the action read."""

from __future__ import annotations

import pytest

from conftest import THEO_PYPROJECT, MakeProject, run_rg


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("v1.2.0", "version=1.2.0\ntag=v1.2.0\nprerelease=false\n"),
        ("v1.2.0rc1", "version=1.2.0rc1\ntag=v1.2.0rc1\nprerelease=true\n"),
        ("v2.0.0.dev3", "version=2.0.0.dev3\ntag=v2.0.0.dev3\nprerelease=true\n"),
        ("v1.0.0-beta.2", "version=1.0.0-beta.2\ntag=v1.0.0-beta.2\nprerelease=true\n"),
    ],
)
def test_a_tag_s_version(make_project: MakeProject, tag: str, expected: str) -> None:
    result = run_rg("version", tag, cwd=make_project())
    assert (result.returncode, result.stdout) == (0, expected)


def test_without_a_tag_the_project_s_version_under_its_tag_format(
    make_project: MakeProject,
) -> None:
    pyproject = (
        THEO_PYPROJECT.format(version="0.3.0")
        + '\n[tool.release-guard]\ntag-format = "{version}"\n'
    )
    root = make_project(version="0.3.0", files={"pyproject.toml": pyproject})
    result = run_rg("version", cwd=root)
    assert result.stdout == "version=0.3.0\ntag=0.3.0\nprerelease=false\n"


def test_a_tag_outside_tag_format_is_an_input_error(make_project: MakeProject) -> None:
    result = run_rg("version", "release-1.0", cwd=make_project())
    assert result.returncode == 2
    assert result.stdout == ""
    assert "RG004 tag 'release-1.0' does not follow tag-format 'v{version}'" in result.stderr
