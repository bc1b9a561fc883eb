"""The parsed-TOML cache of `check` (release_guard/tomlcache.py): never stale, never growing,
never in the way. Each test runs the real command line in a real clone."""

from __future__ import annotations

import marshal
from pathlib import Path

from conftest import MakeProject, git, run_rg
from release_guard.tomlcache import FILE_NAME, _load


def _cache(root: Path) -> Path:
    return root / ".git" / FILE_NAME


def test_an_edit_is_judged_at_once(make_project: MakeProject) -> None:
    root = make_project()
    assert run_rg("check", cwd=root).returncode == 0
    stored = _load(str(_cache(root)))
    assert list(stored) == [(root / "pyproject.toml").read_text()]
    # the edit keeps the file's size: only the text itself can tell the two apart
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.1.0"', 'version = "0.1.9"'))
    result = run_rg("check", cwd=root)
    assert result.returncode == 1
    assert "RG104" in result.stdout
    # only what the last run used is kept: the file does not grow with every edit
    assert list(_load(str(_cache(root)))) == [pyproject.read_text()]


def test_a_cached_parse_gives_the_same_findings(make_project: MakeProject) -> None:
    root = make_project(files={"src/theo/__init__.py": '__version__ = "0.0.9"\n'})
    first = run_rg("check", "--format", "json", cwd=root)
    assert _cache(root).exists()
    second = run_rg("check", "--format", "json", cwd=root)
    assert (first.returncode, first.stdout) == (second.returncode, second.stdout)
    assert first.returncode == 1
    assert "RG104" in first.stdout


def test_a_damaged_or_foreign_cache_is_parsed_anew(make_project: MakeProject) -> None:
    root = make_project()
    text = (root / "pyproject.toml").read_text()
    wrong = {"project": {"name": "theo", "version": "9.9.9"}}
    foreign = marshal.dumps((("another tool", 1, (3, 11)), {text: marshal.dumps(wrong)}))
    for content in [b"", b"\x00garbage", marshal.dumps([1, 2]), foreign]:
        _cache(root).write_bytes(content)
        result = run_rg("check", cwd=root)
        assert result.returncode == 0, result.stdout
        assert list(_load(str(_cache(root)))) == [text]


def test_a_cache_that_cannot_be_written_is_no_cache(make_project: MakeProject) -> None:
    root = make_project()
    _cache(root).mkdir()  # the name is taken by a directory: neither read nor replaced
    result = run_rg("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _cache(root).is_dir()
    assert [path.name for path in (root / ".git").glob(f"{FILE_NAME}*")] == [FILE_NAME]


def test_toml_dates_are_parsed_each_time(make_project: MakeProject) -> None:
    """marshal keeps no datetime: a text holding one is never cached, still judged."""
    root = make_project()
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n[tool.other]\nreleased = 2026-01-02\n")
    assert run_rg("check", cwd=root).returncode == 0
    assert _load(str(_cache(root))) == {}


def test_a_linked_worktree_shares_the_clone_cache(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project()
    other = tmp_path / "other"
    git(root, "worktree", "add", "-q", str(other))
    assert run_rg("check", cwd=other).returncode == 0
    assert not (other / ".git").is_dir()
    assert _cache(root).exists()


def test_outside_a_clone_nothing_is_written(tmp_path: Path, make_project: MakeProject) -> None:
    root = make_project(commit=False)
    git_dir = root / ".git"
    for path in sorted(git_dir.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    git_dir.rmdir()
    before = sorted(p.name for p in root.iterdir())
    assert run_rg("check", cwd=root).returncode == 0
    assert sorted(p.name for p in root.iterdir()) == before
