"""`release-guard check` on each changelog format, against the interpreter floor.

Run: .venv/bin/python bench/bench_changelog.py [--runs N]

Targets (issue 8): check <= 3.0x `python -c pass` on a Keep a Changelog project, an RST project
and a towncrier project with 200 fragments; a changelog of 10,000 releases in each hand-written
format (Keep a Changelog, Markdown, RST) checked in <= 300 ms; parsing linear in the input
(`# a` followed by many spaces, thousands of `[Unreleased]` headings: 4x the input, at most
~4x the time, with slack for noise).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import as_clone, wall_ms

BIN = Path(sys.executable).parent
CHECK = [str(BIN / "release-guard"), "check"]
FLOOR = [sys.executable, "-c", "pass"]
DAY = datetime.date(2026, 1, 1)


def project(target: Path, version: str, files: dict[str, str], extra: str = "") -> Path:
    target.mkdir(parents=True)
    (target / "pyproject.toml").write_text(
        f'[project]\nname = "bench"\nversion = "{version}"\n{extra}'
    )
    for name, text in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text)
    return as_clone(target)


def heading(style: str, number: int, day: datetime.date) -> str:
    version = f"{number}.0.0"
    if style == "keep-a-changelog":
        return f"## [{version}] - {day}\n\n### Fixed\n\n- Fix number {number}.\n\n"
    if style == "markdown":
        return f"## {version} ({day:%B} {day.day}, {day.year})\n\n- Fix number {number}.\n\n"
    title = f"{version} ({day})"
    return f"{title}\n{'-' * len(title)}\n\n- Fix number {number}.\n\n"


def changelog(style: str, releases: int) -> tuple[str, str]:
    """(file name, text) of a changelog with that many releases, newest first."""
    parts = ["Changelog\n=========\n\n" if style == "rst" else "# Changelog\n\n"]
    for number in range(releases, 0, -1):
        parts.append(heading(style, number, DAY - datetime.timedelta(days=releases - number)))
    name = {"keep-a-changelog": "CHANGELOG.md", "markdown": "HISTORY.md", "rst": "CHANGES.rst"}
    return name[style], "".join(parts)


TOWNCRIER = '\n[tool.towncrier]\ndirectory = "news"\nfilename = "NEWS.rst"\n'


def median_ms(command: list[str], cwd: Path, runs: int) -> float:
    return statistics.median(wall_ms(command, cwd) for _ in range(runs))


def parse_ms(parse: Callable[[str, str], object], text: str, runs: int = 3) -> float:
    import time

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        parse(text, "CHANGELOG.md")
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        small = {
            "keep-a-changelog": project(
                root / "kac", "30.0.0", dict([changelog("keep-a-changelog", 30)])
            ),
            "rst": project(root / "rst", "30.0.0", dict([changelog("rst", 30)])),
            "towncrier, 200 fragments": project(
                root / "towncrier",
                "30.0.0",
                {
                    "NEWS.rst": changelog("rst", 30)[1],
                    **{f"news/{n}.feature.rst": f"Feature {n}.\n" for n in range(200)},
                },
                TOWNCRIER,
            ),
        }
        for cwd in small.values():
            wall_ms(CHECK, cwd, check=True)
        samples: dict[str, list[float]] = {"python -c pass": [], **{name: [] for name in small}}
        for _ in range(args.runs):  # interleaved rounds: noise hits all alike
            samples["python -c pass"].append(wall_ms(FLOOR, root))
            for name, cwd in small.items():
                samples[name].append(wall_ms(CHECK, cwd))
        floor = statistics.median(samples["python -c pass"])
        print(f"median wall time over {args.runs} interleaved runs:")
        print(f"  python -c pass              {floor:6.1f} ms")
        for name in small:
            value = statistics.median(samples[name])
            ratio = value / floor
            ok &= ratio <= 3.0
            print(f"  check, {name:<24} {value:6.1f} ms  {ratio:.2f}x (target <= 3.0x)")

        for style in ("keep-a-changelog", "markdown", "rst"):
            big = project(root / f"big-{style}", "10000.0.0", dict([changelog(style, 10_000)]))
            wall_ms(CHECK, big, check=True)
            value = median_ms(CHECK, big, 7)
            ok &= value <= 300
            print(f"check, 10,000 releases, {style:<17} {value:6.0f} ms (target <= 300 ms)")

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        from release_guard.changelog import keep_a_changelog, markdown, rst

        cases: dict[str, Callable[[int], str]] = {
            "'# a' + spaces": lambda n: "# a" + " " * n + "b\n",
            "[Unreleased] headings": lambda n: "## [Unreleased]\n" * (n // 16),
            "RST adornments": lambda n: ("x\n" + "=" * 40 + "\n") * (n // 43),
            "--- between releases": lambda n: (
                ("## 1.0.0 (2024-01-01)\n\n- x\n\n---\n\n") * (n // 32)
            ),
        }
        for name, make in cases.items():
            for reader in (keep_a_changelog.parse, markdown.parse, rst.parse):
                one, four = parse_ms(reader, make(1_000_000)), parse_ms(reader, make(4_000_000))
                ratio = four / max(one, 1.0)  # below 1 ms it is noise, not growth
                ok &= ratio <= 6
                print(
                    f"linear: {name:<22} {reader.__module__.rsplit('.', 1)[1]:<17} "
                    f"{one:6.1f} ms -> 4x input {four:6.1f} ms ({ratio:.1f}x, target <= 6x)"
                )
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
