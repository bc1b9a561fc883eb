"""Terminal manners: colour only where it is wanted, quiet ends to closed pipes and Ctrl-C."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MakeProject, git, run_rg

RG = [sys.executable, "-m", "release_guard"]
BROKEN = {"src/theo/__init__.py": '__version__ = "0.0.9"\n'}


def on_a_terminal(cwd: Path, env: dict[str, str], *args: str) -> str:
    """What a command prints to a pseudo-terminal."""
    leader, follower = pty.openpty()
    environment = {
        k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "FORCE_COLOR")
    }
    process = subprocess.Popen(
        [*RG, *args],
        cwd=cwd,
        stdout=follower,
        stderr=follower,
        env={**environment, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the last writer
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(leader)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal(make_project: MakeProject) -> None:
    root = make_project(files=BROKEN)
    output = on_a_terminal(root, {"TERM": "xterm"}, "check")
    assert "\x1b[1m\x1b[31mRG104\x1b[0m" in output
    assert "\x1b[31mFound 1 problem.\x1b[0m" in output


@pytest.mark.parametrize(
    "env",
    [{"NO_COLOR": "1"}, {"CI": "true"}, {"TERM": "dumb"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}],
    ids=["NO_COLOR", "CI", "dumb-terminal", "NO_COLOR-wins"],
)
def test_no_colour_when_asked_or_in_ci(make_project: MakeProject, env: dict[str, str]) -> None:
    root = make_project(files=BROKEN)
    output = on_a_terminal(root, {"TERM": "xterm", **env}, "check")
    assert "RG104" in output
    assert "\x1b[" not in output


def test_forced_colour_reaches_a_pipe_and_plain_otherwise(make_project: MakeProject) -> None:
    root = make_project(files=BROKEN)
    assert "\x1b[1m\x1b[31mRG104" in run_rg("check", cwd=root, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_rg("check", cwd=root).stdout


@pytest.mark.parametrize("args", [["--help"], ["rules"]])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        f"{' '.join(RG + args)} | head -1; echo status ${{PIPESTATUS[0]}} >&2",
        shell=True,
        executable="/bin/bash",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] in ("status 0", "status 141")


def test_ctrl_c_ends_without_a_traceback(make_project: MakeProject) -> None:
    root = make_project()
    # the tag guard waits for git's list of pushed refs on stdin: interrupt it there
    process = subprocess.Popen(
        [*RG, "tag-guard", "origin", "url"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in stderr


def test_rg001_at_push_says_the_tagged_commit_has_no_pyproject(
    make_project: MakeProject, bare_remote: Path
) -> None:
    root = make_project()
    git(root, "remote", "add", "origin", str(bare_remote))
    assert run_rg("install", cwd=root).returncode == 0
    git(root, "rm", "-q", "pyproject.toml")
    git(root, "commit", "-qm", "oops")
    git(root, "tag", "v0.1.0")
    push = subprocess.run(
        ["git", "push", "origin", "v0.1.0"], cwd=root, capture_output=True, text=True, check=False
    )
    assert push.returncode != 0
    assert "RG001" in push.stderr
    assert "the commit v0.1.0 points to has no pyproject.toml" in push.stderr
    assert "run release-guard from the project root" not in push.stderr
