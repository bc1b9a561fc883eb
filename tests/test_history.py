"""History is not re-judged: `git push --tags` of a long history to an empty remote judges the
new releases only (release_guard/history.py), and still refuses a bad newest release."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, git, run_rg

DAY = 24 * 3600
START = 1420070400  # 2015-01-01, the first historical release


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def _changelog(version: str, day: str) -> str:
    return (
        "# Changelog\n\n## [Unreleased]\n\n"
        f"## [{version}] - {day}\n\n### Added\n\n- The release {version}.\n"
    )


def history_stream(old: int, newest_version: str, newest_carries: str) -> bytes:
    """`old` releases in the old layout (setup.py, no pyproject.toml; bare tags, then
    `v` tags), then one release in today's layout tagged v{newest_version}."""
    out = []
    for number in range(1, old + 1):
        when = START + number * DAY
        bare = number <= old // 2  # mixed historical formats: 0.N.0, later v0.N.0
        tag = f"{'' if bare else 'v'}0.{number}.0"
        out.append(b"commit refs/heads/main\nmark :%d\n" % number)
        out.append(b"committer Dev <dev@example.invalid> %d +0000\n" % when)
        out.append(_data(f"release {tag}"))
        if number > 1:
            out.append(b"from :%d\n" % (number - 1))
        setup = f"from setuptools import setup\nsetup(name='theo', version='0.{number}.0')\n"
        out.append(b"M 100644 inline setup.py\n" + _data(setup))
        if number % 3 == 0:
            out.append(f"tag {tag}\nfrom :{number}\n".encode())
            out.append(b"tagger Dev <dev@example.invalid> %d +0000\n" % when)
            out.append(_data(f"Release {tag}"))
        else:
            out.append(f"reset refs/tags/{tag}\nfrom :{number}\n\n".encode())
    when = START + (old + 400) * DAY
    day = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).date().isoformat()
    out.append(b"commit refs/heads/main\nmark :%d\n" % (old + 1))
    out.append(b"committer Dev <dev@example.invalid> %d +0000\n" % when)
    out.append(_data("adopt pyproject.toml and release"))
    out.append(b"from :%d\n" % old)
    out.append(b"D setup.py\n")
    files = {
        "pyproject.toml": THEO_PYPROJECT.format(version=newest_carries),
        "src/theo/__init__.py": f'__version__ = "{newest_carries}"\n',
        "CHANGELOG.md": _changelog(newest_carries, day),
    }
    for path, text in files.items():
        out.append(f"M 100644 inline {path}\n".encode() + _data(text))
    out.append(f"tag v{newest_version}\nfrom :{old + 1}\n".encode())
    out.append(b"tagger Dev <dev@example.invalid> %d +0000\n" % when)
    out.append(_data(f"Release {newest_version}"))
    return b"".join(out)


def historical_repo(root: Path, newest_version: str, newest_carries: str) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    stream = history_stream(299, newest_version, newest_carries)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=stream, check=True)
    git(repo, "reset", "-q", "--hard", "main")
    assert len(git(repo, "tag").split()) == 300
    assert run_rg("install", cwd=repo).returncode == 0
    remote = root / "empty.git"
    git(root, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    return repo


@pytest.mark.parametrize(("carries", "passes"), [("1.0.0", True), ("0.9.9", False)])
def test_push_tags_of_300_historical_tags_judges_the_newest_release_only(
    tmp_path: Path, carries: str, passes: bool
) -> None:
    repo = historical_repo(tmp_path, "1.0.0", carries)
    pushed = subprocess.run(
        ["git", "push", "origin", "main", "--tags"], cwd=repo, capture_output=True, text=True
    )
    remote_tags = git(tmp_path / "empty.git", "tag").split()
    if passes:
        assert pushed.returncode == 0, pushed.stderr
        assert len(remote_tags) == 300
        assert "and 294 more: history, not judged" in pushed.stderr
        assert "judged 1 release tag: v1.0.0" in pushed.stderr
    else:
        assert pushed.returncode == 1
        assert remote_tags == []
        assert "v1.0.0:pyproject.toml:7: RG301 tag v1.0.0 does not match version 0.9.9" in (
            pushed.stderr
        )
        assert "never move it" in pushed.stderr  # no advice to move a published tag alone
        assert pushed.stderr.count(" RG") == 1  # RG301, and no finding on any historical tag


def test_a_tag_dated_in_the_future_does_not_make_the_others_history(tmp_path: Path) -> None:
    repo = historical_repo(tmp_path, "1.0.0", "0.9.9")  # the newest release is bad
    env = {**os.environ, "GIT_COMMITTER_DATE": "2099-01-01T00:00:00+00:00"}
    subprocess.run(["git", "tag", "-a", "-m", "x", "v0.9.9", "main"], cwd=repo, env=env, check=True)
    pushed = subprocess.run(
        ["git", "push", "origin", "main", "--tags"], cwd=repo, capture_output=True, text=True
    )
    assert pushed.returncode == 1
    assert "v1.0.0:pyproject.toml:7: RG301" in pushed.stderr
