"""Latency of `release-guard prepare --dry-run`, against the interpreter floor, `check` and a peer.

Run: .venv/bin/python bench/bench_prepare.py [--runs N]
(bump-my-version comes with the bench extra: pip install -e ".[test,bench]")

prepare does what `check --tag` does plus planning the edits (tomlkit, git status, a diff), so
`check --tag` on the same project is its baseline. Every command runs in the same copy of
examples/theo-openvoice, interleaved round by round so machine noise hits all alike.
Targets: prepare <= 3x `check --tag`, faster than `bump-my-version bump --dry-run` (which sets
the versions only), and <= 1 s on a changelog of 10,000 releases.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENVIRONMENT, big_changelog_project

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def elapsed_ms(command: list[str], cwd: Path) -> float:
    """Wall time of one run; exit 1 (findings) is a fair run, anything else stops the bench."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, env=ENVIRONMENT, check=False)
    took = (time.perf_counter() - start) * 1000
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout.decode()}{result.stderr.decode()}")
    return took


def git_project(target: Path) -> None:
    """Commit the project as it is: prepare asks git about the files it changes."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
            cwd=target,
            check=True,
        )


def theo(target: Path) -> None:
    shutil.copytree(REPO / "examples" / "theo-openvoice", target)
    changelog = target / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text().replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- gRPC STT worker.\n"
        )
    )
    (target / ".bumpversion.toml").write_text(
        '[tool.bumpversion]\ncurrent_version = "0.1.0"\n\n'
        '[[tool.bumpversion.files]]\nfilename = "pyproject.toml"\n\n'
        '[[tool.bumpversion.files]]\nfilename = "src/theo/__init__.py"\n'
    )
    git_project(target)


def big(target: Path, releases: int) -> None:
    """A project whose changelog has `releases` dated sections and one unreleased entry."""
    big_changelog_project(target, releases, pending_entry=True)
    git_project(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    rg = str(BIN / "release-guard")
    baseline = "check --tag (baseline)"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        # every rule prepare runs on its result; here RG303 (entries in [Unreleased]) is found
        baseline: [rg, "check", "--tag", "v0.1.0"],
        "prepare minor --dry-run": [rg, "prepare", "minor", "--dry-run"],
        "bump-my-version --dry-run": [str(BIN / "bump-my-version"), "bump", "minor", "--dry-run"],
    }
    if not Path(commands["bump-my-version --dry-run"][0]).exists():
        print("missing: bump-my-version (pip install -e '.[test,bench]')", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "theo"
        theo(project)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved rounds
            for name, command in commands.items():
                samples[name].append(elapsed_ms(command, project))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(f"median wall time over {args.runs} interleaved runs, on examples/theo-openvoice:")
        for name, value in medians.items():
            print(f"  {name:<26} {value:7.1f} ms")
        ours = medians["prepare minor --dry-run"]
        ratio = ours / medians[baseline]
        print(f"prepare / check --tag: {ratio:.2f}x (target <= 3.0x)")
        peer = medians["bump-my-version --dry-run"] / ours
        print(f"bump-my-version / prepare: {peer:.1f}x (target >= 1.0x)")
        ok = ratio <= 3.0 and peer >= 1.0

        large = Path(scratch) / "big"
        big(large, 10_000)
        big_ms = statistics.median(
            elapsed_ms([rg, "prepare", "patch", "--dry-run"], large) for _ in range(5)
        )
        print(f"prepare on a changelog of 10,000 releases: {big_ms:.0f} ms (target <= 1000 ms)")
        ok &= big_ms <= 1000
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
