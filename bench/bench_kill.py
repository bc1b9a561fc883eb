"""kill -9 during every writer (install, prepare, init), then the next run's recovery.

Run: .venv/bin/python bench/bench_kill.py [--runs 200] [--only install|prepare|init]

Each run starts the writer on a fresh state, sends SIGKILL after a random delay spread over
the writer's own run time (measured first, so most kills land while it works), then runs
the recovery a user would: `release-guard install` again, or `release-guard recover`. It then
counts, per writer:
- lost hooks: the foreign pre-push hook that was there is no longer run (install: the guard
  installed without it as its previous hook, or `--uninstall` not giving it back byte for
  byte);
- mixed states: the project's files neither all as before nor all as the writer makes them;
- temporaries left: any release-guard temporary or staging file in the work tree or hooks.
Exit 1 when any count is not zero. tests/test_writers.py runs it with a few runs per writer.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ENVIRONMENT

RELEASE_GUARD = [sys.executable, "-m", "release_guard"]
FOREIGN_HOOK = b"#!/bin/sh\n# the user's own pre-push hook\nexit 0\n"
PYPROJECT = '[project]\nname = "acme"\nversion = "0.1.0"\n'
CHANGELOG = (
    "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- A feature.\n\n"
    "## [0.1.0] - 2026-01-01\n\n### Added\n\n- First.\n"
)
FILES = {
    "pyproject.toml": PYPROJECT,
    "CHANGELOG.md": CHANGELOG,
    "src/acme/__init__.py": '__version__ = "0.1.0"\n',
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=ENVIRONMENT
    ).stdout


def make_repository(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the work tree, git's own excepted."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def temporaries(root: Path) -> list[str]:
    hooks = root / ".git" / "hooks"
    found = [p for p in root.rglob("*") if ".git" not in p.relative_to(root).parts]
    found += list(hooks.iterdir()) if hooks.is_dir() else []
    return [
        str(path.relative_to(root))
        for path in found
        if path.name.endswith(".release-guard-tmp") or path.name == ".release-guard"
    ]


def killed_run(command: list[str], cwd: Path, delay: float) -> bool:
    """Start the command, SIGKILL it after `delay` seconds; whether it was still running."""
    process = subprocess.Popen(
        command, cwd=cwd, env=ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    alive = process.poll() is None
    if alive:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return alive


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENVIRONMENT)


def duration(command: list[str], cwd: Path, reset: Callable[[], None]) -> float:
    start = time.perf_counter()
    result = run(command, cwd)
    took = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    reset()
    return took


class Counts:
    def __init__(self) -> None:
        self.runs = self.killed = self.lost = self.mixed = self.left = 0

    def line(self, name: str) -> str:
        return (
            f"{name:8} runs {self.runs:4}  killed mid-run {self.killed:4}  lost hooks "
            f"{self.lost}  mixed states {self.mixed}  temporaries left {self.left}"
        )

    def clean(self) -> bool:
        return self.lost == self.mixed == self.left == 0


def bench_install(work: Path, runs: int, rng: random.Random) -> Counts:
    root = work / "install"
    root.mkdir()
    make_repository(root)
    slot = root / ".git" / "hooks" / "pre-push"
    previous = root / ".git" / "hooks" / "pre-push.release-guard-previous"

    def reset() -> None:
        run([*RELEASE_GUARD, "install", "--uninstall"], root)
        previous.unlink(missing_ok=True)
        slot.write_bytes(FOREIGN_HOOK)
        slot.chmod(0o755)

    reset()
    took = duration([*RELEASE_GUARD, "install"], root, reset)
    counts = Counts()
    for _ in range(runs):
        counts.runs += 1
        counts.killed += killed_run(
            [*RELEASE_GUARD, "install"], root, rng.uniform(0.2, 1.05) * took
        )
        run([*RELEASE_GUARD, "install"], root)  # the recovery: install again
        chained = previous.is_file() and previous.read_bytes() == FOREIGN_HOOK
        recorded = slot.is_file() and (
            b"release_guard_previous=pre-push.release-guard-previous" in slot.read_bytes()
        )
        counts.left += bool(temporaries(root))
        run([*RELEASE_GUARD, "install", "--uninstall"], root)
        restored = slot.is_file() and slot.read_bytes() == FOREIGN_HOOK and not previous.exists()
        counts.lost += not (chained and recorded and restored)
        reset()
    return counts


def bench_files(work: Path, name: str, command: list[str], runs: int, rng: random.Random) -> Counts:
    """prepare or init: the work tree all old or all new after `recover`."""
    root = work / name
    root.mkdir()
    make_repository(root)
    hooks = root / ".git" / "hooks"

    def reset() -> None:
        git(root, "checkout", "-q", "--", ".")
        git(root, "clean", "-qfdx")
        for hook in hooks.iterdir():
            if not hook.name.endswith(".sample"):
                hook.unlink()

    old = tree(root)
    took = duration(command, root, reset)
    run(command, root)
    new = tree(root)
    reset()
    counts = Counts()
    for _ in range(runs):
        counts.runs += 1
        counts.killed += killed_run(command, root, rng.uniform(0.2, 1.05) * took)
        run([*RELEASE_GUARD, "recover"], root)
        counts.left += bool(temporaries(root))
        counts.mixed += tree(root) not in (old, new)
        reset()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--only", choices=("install", "prepare", "init"))
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-kill-"))
    home = work / "home"
    home.mkdir()
    (home / "gitconfig").write_text(
        "[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n"
    )
    ENVIRONMENT.update(GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1")
    writers: dict[str, Callable[[], Counts]] = {
        "install": lambda: bench_install(work, args.runs, rng),
        "prepare": lambda: bench_files(
            work,
            "prepare",
            [*RELEASE_GUARD, "prepare", "minor", "--date", "2026-03-01"],
            args.runs,
            rng,
        ),
        "init": lambda: bench_files(work, "init", [*RELEASE_GUARD, "init"], args.runs, rng),
    }
    clean = True
    try:
        for name, bench in writers.items():
            if args.only in (None, name):
                counts = bench()
                print(counts.line(name), flush=True)
                clean = clean and counts.clean()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
