"""`release-guard completion bash|zsh|fish`: scripts derived from the commands, that complete."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from release_guard.cli import COMMANDS
from release_guard.completion import options
from release_guard.report import FORMATS

RG = [sys.executable, "-m", "release_guard"]


def script(shell: str) -> str:
    result = subprocess.run([*RG, "completion", shell], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def bash_complete(line: str) -> list[str]:
    """COMPREPLY for the command line typed so far (the cursor at its end)."""
    words = line.split(" ")
    program = f"""
{script("bash")}
COMP_WORDS=({" ".join(f"'{word}'" for word in words)})
COMP_CWORD={len(words) - 1}
_release_guard
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", program],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completes_commands_options_and_formats() -> None:
    assert bash_complete("release-guard ch") == ["check"]
    assert set(bash_complete("release-guard ")) >= set(COMMANDS)
    assert bash_complete("release-guard check --f") == ["--format"]
    assert bash_complete("release-guard check --format ") == list(FORMATS)
    assert bash_complete("release-guard check --format s") == ["sarif"]
    assert "--hook-repo" in bash_complete("release-guard init --")
    assert bash_complete("release-guard completion f") == ["fish"]


def test_each_command_s_options_come_from_its_own_help() -> None:
    assert options("check") == ["--format", "--quiet", "--root", "--tag", "--help"]
    for command in COMMANDS:
        if command == "completion":
            continue
        help_text = subprocess.run(
            [*RG, command, "--help"], capture_output=True, text=True, check=False
        ).stdout
        assert all(option in help_text for option in options(command)), command


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_script_loads_and_registers() -> None:
    program = f"autoload -U compinit && compinit -u -D\n{script('zsh')}\nprint -r -- $_comps[release-guard]"
    result = subprocess.run(
        ["zsh", "-f", "-c", program], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "_release_guard"


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes() -> None:
    program = (
        f"{script('fish')}\n"
        "complete -C'release-guard ch'\n"
        "echo ---\n"
        "complete -C'release-guard check --format s'\n"
    )
    result = subprocess.run(
        ["fish", "--no-config", "-c", program], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.split("---\n")
    assert before.startswith("check\t")
    assert after.split() == ["sarif"]
