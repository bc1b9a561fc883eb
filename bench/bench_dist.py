"""`release-guard verify-dist` against `check-wheel-contents` on one wheel of 10,000 files.

Run: .venv/bin/python bench/bench_dist.py [--runs N] [--files N]
(check-wheel-contents comes with the test extra: pip install -e ".[test]")

The wheel is a real one: a generated project of small modules built by `python -m build`
(hatchling). Both tools run as command-line processes from this interpreter environment,
interleaved round by round so machine noise hits both alike. verify-dist does more work than
its peer (it hashes every file against RECORD, which check-wheel-contents only reads).
Target (issue 4): verify-dist / check-wheel-contents <= 0.5.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import wall_ms

TARGET_RATIO = 0.5


def build_big_wheel(root: Path, files: int) -> Path:
    """A project `bigpkg` with `files` modules in subpackages of 100, built into dist/."""
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "bigpkg"\nversion = "1.0.0"\nrequires-python = ">=3.9"\n'
    )
    package = root / "src" / "bigpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('__version__ = "1.0.0"\n')
    (package / "py.typed").write_text("")
    for number in range(files - 2):
        sub = package / f"sub{number // 100:03d}"
        if not sub.exists():
            sub.mkdir()
        (sub / f"mod{number:05d}.py").write_text(f"VALUE = {number}\n" * 20)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", "dist", "."],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return next((root / "dist").glob("*.whl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        wheel = build_big_wheel(root, args.files)
        commands = {
            "release-guard verify-dist": [
                sys.executable, "-m", "release_guard", "verify-dist", str(wheel),
            ],
            "check-wheel-contents": [
                sys.executable, "-m", "check_wheel_contents", "--no-config", str(wheel),
            ],
        }  # fmt: skip
        for command in commands.values():
            wall_ms(command, root, check=True)  # both accept the wheel; bytecode written
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(wall_ms(command, root, check=True))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        size_kib = wheel.stat().st_size // 1024
    print(f"median wall time over {args.runs} interleaved runs, wheel of {args.files} files "
          f"({size_kib} KiB):")  # fmt: skip
    for name, value in medians.items():
        print(f"  {name:<26} {value:7.1f} ms")
    ratio = medians["release-guard verify-dist"] / medians["check-wheel-contents"]
    ok = ratio <= TARGET_RATIO
    print(f"verify-dist / check-wheel-contents: {ratio:.2f} (target <= {TARGET_RATIO})")
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
