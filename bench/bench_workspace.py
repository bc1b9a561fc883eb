"""A workspace of 50 packages: `check` at commit, and the tag guard on a push of 50 package tags.

Run: .venv/bin/python bench/bench_workspace.py [--packages N] [--runs N]

Targets (issue 10): `check` <= 6x `python -c pass` (measured in the same run, interleaved);
a push of one tag per package judged with a constant number of git processes, in <= 1 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ENVIRONMENT, wall_ms

BIN = Path(sys.executable).parent
ZERO = "0" * 40
RELEASED = datetime.date(2026, 2, 20)  # the newest release of each package: the tags' day


def workspace(root: Path, packages: int) -> list[str]:
    """A uv workspace of `packages` members (each: pyproject, __init__ with __version__,
    a changelog of 20 releases); its tags, one per package at the current version."""
    (root / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    tags = []
    for number in range(packages):
        name = f"pkg-{number:02d}"
        directory = root / "packages" / name
        (directory / "src" / name.replace("-", "_")).mkdir(parents=True)
        version = f"1.{number}.0"
        (directory / "pyproject.toml").write_text(
            f'[project]\nname = "{name}"\nversion = "{version}"\n'
        )
        (directory / "src" / name.replace("-", "_") / "__init__.py").write_text(
            f'__version__ = "{version}"\n'
        )
        sections = "".join(
            f"\n## [1.{minor}.0] - {RELEASED - datetime.timedelta(days=number - minor)}\n"
            f"\n### Fixed\n\n- Fix {minor}.\n"
            for minor in range(number, max(number - 20, -1), -1)
        )
        (directory / "CHANGELOG.md").write_text(f"# Changelog\n\n## [Unreleased]\n{sections}")
        tags.append(f"{name}-v{version}")
    return tags


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "ws"
        root.mkdir()
        tags = workspace(root, args.packages)
        env = {
            **ENVIRONMENT,
            "GIT_COMMITTER_DATE": "2026-02-20T12:00:00+00:00",
            "GIT_AUTHOR_DATE": "2026-02-20T12:00:00+00:00",
        }
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(
            root,
            "-c",
            "user.name=b",
            "-c",
            "user.email=b@example.invalid",
            "commit",
            "-qm",
            "ws",
            env=env,
        )
        sha = git(root, "rev-parse", "HEAD")
        for tag in tags:
            git(root, "tag", tag)

        floor_command = [sys.executable, "-c", "pass"]
        check = [str(BIN / "release-guard"), "check"]
        wall_ms(check, root, check=True)  # a failing check would time an error path
        floors, checks = [], []
        for _ in range(args.runs):
            floors.append(wall_ms(floor_command, root))
            checks.append(wall_ms(check, root))
        floor, ours = statistics.median(floors), statistics.median(checks)
        ratio = ours / floor
        print(f"{args.packages}-package workspace, median of {args.runs} interleaved runs:")
        print(f"  python -c pass        {floor:7.1f} ms")
        print(f"  release-guard check   {ours:7.1f} ms  ({ratio:.2f}x, target <= 6.0x)")

        # the push: one stdin line per tag, git processes counted through a PATH shim
        shim = Path(scratch) / "shim"
        shim.mkdir()
        log = shim / "log"
        real_git = subprocess.run(
            ["sh", "-c", "command -v git"], capture_output=True, text=True, check=True
        ).stdout.strip()
        (shim / "git").write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real_git}" "$@"\n')
        (shim / "git").chmod(0o755)
        stdin = "".join(f"refs/tags/{tag} {sha} refs/tags/{tag} {ZERO}\n" for tag in tags)
        guard_env = {**env, "PATH": f"{shim}{os.pathsep}{env['PATH']}"}
        guard = [str(BIN / "release-guard"), "tag-guard", "origin"]
        times = []
        for _ in range(5):
            log.write_text("")
            import time

            start = time.perf_counter()
            result = subprocess.run(
                guard, cwd=root, input=stdin, capture_output=True, text=True, env=guard_env
            )
            times.append(time.perf_counter() - start)
            if result.returncode != 0 or f"judged {len(tags)} release tags" not in result.stdout:
                print(result.stdout + result.stderr)
                return 1
        processes = len(log.read_text().splitlines())
        guard_s = statistics.median(times)
        print(
            f"  tag guard, {len(tags)} tags: {guard_s:.2f} s, {processes} git processes "
            "(target <= 1 s, constant)"
        )
        ok = ratio <= 6.0 and guard_s <= 1.0
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
