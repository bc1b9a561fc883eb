"""The tag guard at scale: a push of 1,000 release tags, and the cost of a push without tags.

Run: .venv/bin/python bench/bench_tagguard.py [--tags N] [--runs N]

Builds (with `git fast-import`) a repository of N release commits, each tagged with the version
it carries (half annotated, half lightweight), `release-branches = ["main"]` configured so the
reachability check runs too, each changelog section dated as its tag (RG306 checks it).
Releases are 10 minutes apart, so all N are new releases and every one is judged, the tag-date
check included (the worst case); a second repository spaces them a day apart, a whole history
of which only the last week is judged. Targets (issues 3 and 13): judging 1,000 tags <= 2 s
wall with a constant number of git processes; the whole-history push <= 2 s; a push without
tags adds <= 10 ms (the hook starts no Python).
Every figure is a median, next to a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ZERO = "0" * 40
CHANGELOG_DEPTH = 20  # release sections kept below the newest: a long-lived project's changelog
START = 1577836800  # 2020-01-01, the first release
# 1,000 releases 10 minutes apart span under a week: every tag of the push is a new release,
# judged with every check, the tag-date check (RG306) included: the worst case.
RECENT_SPACING = 600
HISTORY_SPACING = 24 * 3600  # a release a day: a whole history, all but the last week not judged


def _when(number: int, spacing: int) -> int:
    return START + number * spacing


def median_seconds(command: Sequence[str], runs: int, **kwargs: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True, **kwargs)  # type: ignore[call-overload]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=True)
    return result.stdout.decode().strip()


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def _changelog(number: int, spacing: int) -> str:
    parts = ["# Changelog\n\n## [Unreleased]\n"]
    for release in range(number, max(0, number - CHANGELOG_DEPTH), -1):
        moment = datetime.datetime.fromtimestamp(_when(release, spacing), datetime.timezone.utc)
        day = moment.date()
        parts.append(f"\n## [0.{release}.0] - {day}\n\n### Fixed\n\n- Fix number {release}.\n")
    return "".join(parts)


def fast_import_stream(tags: int, spacing: int) -> bytes:
    """N commits on main, commit i carrying version 0.i.0 everywhere, tagged v0.i.0."""
    out = []
    for number in range(1, tags + 1):
        version = f"0.{number}.0"
        pyproject = (
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            f'[project]\nname = "bench"\nversion = "{version}"\n\n'
            '[tool.hatch.build.targets.wheel]\npackages = ["src/bench"]\n\n'
            '[tool.release-guard]\nrelease-branches = ["main"]\n'
        )
        out.append(b"commit refs/heads/main\nmark :%d\n" % number)
        out.append(b"committer Bench <bench@example.invalid> %d +0000\n" % _when(number, spacing))
        out.append(_data(f"release {version}"))
        if number > 1:
            out.append(b"from :%d\n" % (number - 1))
        for path, text in (
            ("pyproject.toml", pyproject),
            ("src/bench/__init__.py", f'__version__ = "{version}"\n'),
            ("CHANGELOG.md", _changelog(number, spacing)),
        ):
            out.append(f"M 100644 inline {path}\n".encode() + _data(text))
        if number % 2:
            out.append(f"tag v{version}\nfrom :{number}\n".encode())
            out.append(b"tagger Bench <bench@example.invalid> %d +0000\n" % _when(number, spacing))
            out.append(_data(f"Release {version}"))
        else:
            out.append(f"reset refs/tags/v{version}\nfrom :{number}\n\n".encode())
    return b"".join(out)


def build_repository(root: Path, tags: int, spacing: int = RECENT_SPACING) -> list[str]:
    """The repository, and git's pre-push stdin lines for pushing every tag at once."""
    git(root, "init", "-q", "-b", "main")
    git(root, "fast-import", "--quiet", stdin=fast_import_stream(tags, spacing))
    git(root, "reset", "-q", "--hard", "main")
    listing = git(root, "for-each-ref", "--format=%(objectname) %(refname)", "refs/tags/")
    return [
        f"{ref} {sha} {ref} {ZERO}" for sha, ref in (line.split() for line in listing.splitlines())
    ]


def counting_shim(directory: Path) -> tuple[dict[str, str], Path]:
    """A `git` first on PATH that logs every git process started, then runs the real one."""
    real = subprocess.run(
        ["sh", "-c", "command -v git"], capture_output=True, text=True, check=True
    )
    log = directory / "git-processes.log"
    shim = directory / "git"
    shim.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real.stdout.strip()}" "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{directory}{os.pathsep}{os.environ['PATH']}"}, log


def git_processes(repo: Path, lines: list[str], shim_dir: Path) -> int:
    env, log = counting_shim(shim_dir)
    log.unlink(missing_ok=True)
    guard = [sys.executable, "-m", "release_guard", "tag-guard", "origin"]
    result = subprocess.run(
        guard, cwd=repo, input="\n".join(lines) + "\n", env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"the guard refused good tags:\n{result.stdout}{result.stderr}")
    return len(log.read_text().splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        repo = root / "repo"
        repo.mkdir()
        started = time.perf_counter()
        lines = build_repository(repo, args.tags)
        print(
            f"repository: {args.tags} release commits and tags, built in "
            f"{time.perf_counter() - started:.1f} s"
        )

        guard = [sys.executable, "-m", "release_guard", "tag-guard", "origin"]
        every = "\n".join(lines) + "\n"
        one = lines[-1] + "\n"
        all_tags = median_seconds(guard, args.runs, cwd=repo, input=every.encode())
        one_tag = median_seconds(guard, args.runs, cwd=repo, input=one.encode())
        print(f"\ntag-guard, {args.tags} tags: {all_tags:.3f} s  (target <= 2 s)")
        print(
            f"tag-guard, 1 tag (baseline): {one_tag:.3f} s  -> ratio {all_tags / one_tag:.1f}x, "
            f"{(all_tags - one_tag) / max(1, args.tags - 1) * 1000:.2f} ms per extra tag"
        )
        shims = root / "shim"
        shims.mkdir()
        few, many = git_processes(repo, lines[:1], shims), git_processes(repo, lines, shims)
        print(
            f"git processes: {few} for 1 tag, {many} for {args.tags} tags "
            f"({'constant' if few == many else 'NOT constant'})"
        )

        # a real push of every tag and main, guarded, against the same push with --no-verify
        subprocess.run(
            [sys.executable, "-m", "release_guard", "install"],
            cwd=repo,
            check=True,
            capture_output=True,
        )
        push_times: dict[str, list[float]] = {"guarded": [], "--no-verify": []}
        for run in range(args.runs):
            for label in push_times:
                remote = root / f"remote-{label}-{run}.git"
                git(root, "init", "-q", "--bare", str(remote))
                extra = ["--no-verify"] if label == "--no-verify" else []
                start = time.perf_counter()
                git(repo, "push", "-q", *extra, str(remote), "main", "--tags")
                push_times[label].append(time.perf_counter() - start)
        guarded = statistics.median(push_times["guarded"])
        bare = statistics.median(push_times["--no-verify"])
        print(
            f"\ngit push main --tags ({args.tags} tags): {guarded:.3f} s guarded, "
            f"{bare:.3f} s with --no-verify (baseline) -> the guard adds {guarded - bare:.3f} s"
        )

        # a whole history: a release a day, so all but the last week's tags are history
        old_repo = root / "history"
        old_repo.mkdir()
        old_lines = build_repository(old_repo, args.tags, HISTORY_SPACING)
        old_input = ("\n".join(old_lines) + "\n").encode()
        said = subprocess.run(guard, cwd=old_repo, input=old_input, capture_output=True, text=False)
        judged = [line for line in said.stdout.decode().splitlines() if "judged" in line]
        whole = median_seconds(guard, args.runs, cwd=old_repo, input=old_input)
        processes = git_processes(old_repo, old_lines, shims)
        print(
            f"\nwhole-history push, {args.tags} tags a day apart: {whole:.3f} s (target <= 2 s), "
            f"{processes} git processes, exit {said.returncode}; "
            f"{' / '.join(line[:90] for line in judged)}"
        )

        # a push without tags: the hook alone, on a branch line, against starting `true`
        hook = repo / ".git" / "hooks" / "pre-push"
        branch = f"refs/heads/main {ZERO.replace('0', '1')} refs/heads/main {ZERO}\n".encode()
        hook_alone = median_seconds([str(hook), "origin", "url"], 101, cwd=repo, input=branch)
        floor = median_seconds(["true"], 101, input=branch)
        print(
            f"\nhook, push without tags: {hook_alone * 1000:.1f} ms; starting `true` "
            f"(baseline): {floor * 1000:.1f} ms -> the hook adds "
            f"{(hook_alone - floor) * 1000:.1f} ms (target <= 10 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
