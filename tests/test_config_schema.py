"""The JSON Schema of [tool.release-guard] (shipped, and a validate-pyproject plugin) agrees
with release-guard's own validation, on every documented example and on bad ones."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

from conftest import THEO_PYPROJECT, MakeProject, run_rg
from release_guard.config import _KEYS, parse_toml
from release_guard.schema import tool_schema

ROOT = Path(__file__).resolve().parents[1]
VALIDATE_PYPROJECT = Path(sys.executable).parent / "validate-pyproject"


def documented_examples() -> list[tuple[str, str]]:
    """Every ```toml block of README.md and docs/ that configures release-guard."""
    examples = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```toml\n(.*?)```", path.read_text(), re.DOTALL):
            if "[tool.release-guard]" in block:
                examples.append((path.name, block))
    return examples


def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(tool_schema())


def test_the_schema_knows_exactly_the_keys_release_guard_reads() -> None:
    assert set(tool_schema()["properties"]) == _KEYS
    jsonschema.Draft7Validator.check_schema(tool_schema())


def test_there_are_documented_examples() -> None:
    assert len(documented_examples()) >= 2


@pytest.mark.parametrize(("where", "block"), documented_examples())
def test_every_documented_example_is_valid_for_both(
    make_project: MakeProject, where: str, block: str
) -> None:
    table = parse_toml(block, where)["tool"]["release-guard"]
    assert list(validator().iter_errors(table)) == []
    pyproject = THEO_PYPROJECT.format(version="0.1.0") + "\n" + block
    root = make_project(files={"pyproject.toml": pyproject})
    result = run_rg("check", cwd=root)
    assert "RG004" not in result.stdout + result.stderr, result.stdout + result.stderr
    checked = subprocess.run(
        [str(VALIDATE_PYPROJECT), "pyproject.toml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


BAD = {
    "unknown-key": 'changelogs = "CHANGES.md"',
    "tag-format-without-version": 'tag-format = "v"',
    "tag-format-twice": 'tag-format = "{version}-{version}"',
    "tag-format-space": 'tag-format = "release {version}"',
    "unknown-scheme": 'version-scheme = "calver"',
    "ignore-an-input-error": 'ignore = ["RG001"]',
    "version-file-without-pattern": 'version-files = ["VERSION"]',
    "version-file-unknown-key": 'version-files = [{ path = "VERSION", regex = "(.*)" }]',
    "branches-not-a-list": 'release-branches = "main"',
    "empty-changelog": 'changelog = ""',
    "changelog-true": "changelog = true",
    "unknown-changelog-format": 'changelog-format = "asciidoc"',
    "unknown-pre-release-mode": 'pre-releases = "inline"',
}


@pytest.mark.parametrize("line", BAD.values(), ids=BAD.keys())
def test_a_bad_config_is_refused_by_both(make_project: MakeProject, line: str) -> None:
    table = parse_toml(f"[tool.release-guard]\n{line}\n", "bad")["tool"]["release-guard"]
    assert list(validator().iter_errors(table)) != []
    pyproject = THEO_PYPROJECT.format(version="0.1.0") + f"\n[tool.release-guard]\n{line}\n"
    root = make_project(files={"pyproject.toml": pyproject})
    result = run_rg("check", cwd=root)
    assert result.returncode == 2
    assert "RG004" in result.stderr
    checked = subprocess.run(
        [str(VALIDATE_PYPROJECT), "pyproject.toml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode != 0


def test_the_wheel_ships_the_schema_and_the_entry_point(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    import json
    import zipfile

    [wheel] = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert json.loads(archive.read("release_guard/config-schema.json")) == tool_schema()
        [entry_points] = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
        text = archive.read(entry_points).decode()
    assert (
        "[validate_pyproject.tool_schema]\nrelease-guard = release_guard.schema:tool_schema" in text
    )
