"""Commit-time latency of `release-guard check` for every version source, and the cost of
reading a 500-package uv.lock.

Run: .venv/bin/python bench/bench_sources.py [--runs N]

Targets (issue 9): check <= 3.0x `python -c pass` for each source; reading the project's entry
of a uv.lock of 500 packages <= 5 ms (measured in-process, beside a full TOML parse of the
same file for scale).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import as_clone, wall_ms

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-01-05\n\n- First.\n"
INIT = '"""Pkg."""\n\n__version__ = "1.2.0"\n'


def build_system(backend: str, requires: str) -> str:
    return f'[build-system]\nrequires = ["{requires}"]\nbuild-backend = "{backend}"\n\n'


HATCH = build_system("hatchling.build", "hatchling")
DYNAMIC = '[project]\nname = "pkg"\ndynamic = ["version"]\n'
SOURCES: dict[str, dict[str, str]] = {
    "static": {"pyproject.toml": HATCH + '[project]\nname = "pkg"\nversion = "1.2.0"\n'},
    "poetry": {
        "pyproject.toml": build_system("poetry.core.masonry.api", "poetry-core")
        + '[tool.poetry]\nname = "pkg"\nversion = "1.2.0"\n'
    },
    "hatch path": {
        "pyproject.toml": HATCH + DYNAMIC + '[tool.hatch.version]\npath = "src/pkg/__init__.py"\n'
    },
    "hatch vcs": {
        "pyproject.toml": build_system("hatchling.build", "hatch-vcs")
        + DYNAMIC
        + '[tool.hatch.version]\nsource = "vcs"\n'
    },
    "setuptools attr": {
        "pyproject.toml": build_system("setuptools.build_meta", "setuptools")
        + DYNAMIC
        + '[tool.setuptools.dynamic]\nversion = { attr = "pkg.__version__" }\n'
    },
    "setup.cfg": {
        "setup.cfg": "[metadata]\nname = pkg\nversion = 1.2.0\n",
        "setup.py": "from setuptools import setup\nsetup()\n",
    },
    "setup.py": {
        "setup.py": 'from setuptools import setup\nsetup(name="pkg", version="1.2.0")\n',
    },
    "flit": {"pyproject.toml": build_system("flit_core.buildapi", "flit_core") + DYNAMIC},
    "pdm file": {
        "pyproject.toml": build_system("pdm.backend", "pdm-backend")
        + DYNAMIC
        + '[tool.pdm.version]\nsource = "file"\npath = "src/pkg/__init__.py"\n'
    },
    "maturin": {
        "pyproject.toml": build_system("maturin", "maturin") + DYNAMIC,
        "Cargo.toml": '[package]\nname = "pkg"\nversion = "1.2.0"\nedition = "2021"\n',
    },
    "meson": {
        "pyproject.toml": build_system("mesonpy", "meson-python") + DYNAMIC,
        "meson.build": "project('pkg', 'c', version: '1.2.0')\n",
    },
}


def uv_lock(packages: int, own_version: str = "1.2.0") -> str:
    """A lock shaped as uv writes it: `packages` registry entries, the project's own last."""
    parts = ['version = 1\nrevision = 2\nrequires-python = ">=3.9"\n']
    for number in range(packages):
        parts.append(
            f'\n[[package]]\nname = "dep-{number:03d}"\nversion = "1.{number}.0"\n'
            'source = { registry = "https://pypi.org/simple" }\n'
            f'dependencies = [\n    {{ name = "dep-{(number + 1) % packages:03d}" }},\n]\n'
            f'sdist = {{ url = "https://files.example/dep-{number:03d}-1.{number}.0.tar.gz", '
            f'hash = "sha256:{number:064x}", size = {1000 + number} }}\n'
            f'wheels = [\n    {{ url = "https://files.example/dep_{number:03d}-1.{number}.0-py3-none-any.whl", '
            f'hash = "sha256:{number + 1:064x}", size = {900 + number} }},\n]\n'
        )
    parts.append(
        f'\n[[package]]\nname = "pkg"\nversion = "{own_version}"\nsource = {{ editable = "." }}\n'
        'dependencies = [\n    { name = "dep-000" },\n]\n'
    )
    return "".join(parts)


SOURCES["static + uv.lock (500) + CITATION.cff + docs/conf.py"] = {
    **SOURCES["static"],
    "uv.lock": uv_lock(500),
    "CITATION.cff": 'cff-version: 1.2.0\ntitle: pkg\nversion: "1.2.0"\ndate-released: 2026-01-05\n',
    "docs/conf.py": 'project = "pkg"\nversion = "1.2"\nrelease = "1.2.0"\n',
}


def write_project(root: Path, files: dict[str, str]) -> None:
    for name, text in {"CHANGELOG.md": CHANGELOG, "src/pkg/__init__.py": INIT, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    as_clone(root)


def uv_lock_read_ms(root: Path, repeats: int = 200) -> tuple[float, float, int]:
    """Median ms of reading the project's entry, of a full TOML parse, and the lock's size."""
    sys.path.insert(0, str(REPO / "src"))
    from release_guard.config import parse_toml
    from release_guard.source import WorkTree
    from release_guard.versions import VersionFile
    from release_guard.versions.files import read_version_file

    source = WorkTree(str(root))
    entry = VersionFile("uv.lock", kind="uv-lock", key="pkg")
    reading = read_version_file(source, entry)
    assert reading is not None, "no uv.lock"
    assert reading.version is not None, reading
    assert reading.version.value == "1.2.0"
    text = (root / "uv.lock").read_text()

    def median(run: object) -> float:
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()  # type: ignore[operator]
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    targeted = median(lambda: read_version_file(source, entry))
    full = median(lambda: parse_toml(text, "uv.lock", "uv.lock"))
    return targeted, full, len(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    ok = True
    check = [str(BIN / "release-guard"), "check"]
    floor_command = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory() as scratch:
        roots = {}
        for number, (name, files) in enumerate(SOURCES.items()):
            root = Path(scratch) / f"p{number}"
            write_project(root, files)
            wall_ms(check, root, check=True)  # passes, and its bytecode is written
            roots[name] = root
        samples: dict[str, list[float]] = {name: [] for name in ("python -c pass", *roots)}
        for _ in range(args.runs):  # interleaved rounds: noise hits every command alike
            samples["python -c pass"].append(wall_ms(floor_command, Path(scratch)))
            for name, root in roots.items():
                samples[name].append(wall_ms(check, root))
        floor = statistics.median(samples["python -c pass"])
        print(f"median wall time over {args.runs} interleaved runs; python -c pass {floor:.1f} ms")
        for name in roots:
            ratio = statistics.median(samples[name]) / floor
            ok &= ratio <= 3.0
            print(f"  check, {name:<52} {ratio:4.2f}x (target <= 3.0x)")
        lock_root = roots["static + uv.lock (500) + CITATION.cff + docs/conf.py"]
        targeted, full, size = uv_lock_read_ms(lock_root)
        ok &= targeted <= 5.0
        print(
            f"uv.lock of 500 packages ({size // 1024} KiB): project entry read in {targeted:.2f} ms "
            f"(target <= 5 ms); a full TOML parse takes {full:.1f} ms"
        )
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
