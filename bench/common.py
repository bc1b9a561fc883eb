"""What the benchmarks share: how a command is timed, and a project with a huge changelog."""

from __future__ import annotations

import datetime
import os
import subprocess
import time
from pathlib import Path

# Installed code runs from its compiled bytecode: a source file edited since its .pyc was
# written would be compiled anew at every run when PYTHONDONTWRITEBYTECODE is set.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall_ms(command: list[str], cwd: Path, check: bool = False) -> float:
    """One run's wall time, output discarded; with `check`, a failing run stops the bench
    (it would time an error path)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENVIRONMENT)
    elapsed = (time.perf_counter() - start) * 1000
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def as_clone(root: Path) -> Path:
    """`root` made a git repository, as a project is where the commit-time check runs:
    `check` keeps its parsed TOML in the clone (docs/design.md, "Start-up")."""
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def big_changelog_project(target: Path, releases: int, pending_entry: bool = False) -> None:
    """A valid project `big` at version `releases`.0.0 whose changelog has that many dated
    releases, newest first; with `pending_entry`, one entry waits under [Unreleased]."""
    (target / "src" / "big").mkdir(parents=True)
    (target / "src" / "big" / "__init__.py").write_text(f'__version__ = "{releases}.0.0"\n')
    (target / "pyproject.toml").write_text(f'[project]\nname = "big"\nversion = "{releases}.0.0"\n')
    day = datetime.date(2026, 1, 1)
    parts = ["# Changelog\n\n## [Unreleased]\n"]
    if pending_entry:
        parts.append("\n### Added\n\n- One more.\n")
    for number in range(releases, 0, -1):
        parts.append(f"\n## [{number}.0.0] - {day - datetime.timedelta(days=releases - number)}\n")
        parts.append(f"\n### Fixed\n\n- Fix number {number}.\n")
    (target / "CHANGELOG.md").write_text("".join(parts))
