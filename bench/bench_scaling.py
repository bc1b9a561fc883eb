"""Every command linear in its input: each pathological input at size N and 10N, and the ratio.

Run: .venv/bin/python bench/bench_scaling.py [--case NAME ...] [--scale S]

Each case builds its input at N and at 10N in a temporary directory, and times the command on
both (the best of a few runs, fewer when a run is slow). Linear work gives a ratio near 10;
the target is <= 12 (linear, with noise). Each N is large enough that t(N) is tens of
milliseconds: below that, fixed costs and CPU caches make the ratio meaningless. Commands run in this process, through `cli.main`,
so interpreter start-up does not dilute the ratio; the pre-push hook is a shell script and runs
as one. The inputs are those of issues #12 and #14 (docs/design.md, "Linear time"):

- pyproject-header: a line `[` + N spaces inside a multi-line string (a table-header regex)
- prepare-findings: `prepare` refused by N findings, a version repeated N times (RG205)
- compare-link: `prepare` with an N-character compare link
- version-files: `prepare` with N version files
- hook-refs: the pre-push hook's shell part over N pushed refs (branches: no Python)
- heading-spaces: a changelog line `# a` + N spaces (the changelog parser, #8)
- unreleased-headings: N releases, then N `## [Unreleased]` headings (the changelog parser, #8)
- releases: `check` on N dated releases (#12)
- wheel-entries: `verify-dist` on a wheel of N modules (#12)
- yaml-aliases: `init` on a .pre-commit-config.yaml of N nested YAML aliases (refused unexpanded)
- big-blob: the tag guard on an N MiB changelog blob (time, and peak memory, which must not grow)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ENVIRONMENT

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 12.0
ZERO = "0" * 40
PYPROJECT = '[project]\nname = "big"\nversion = "1.0.0"\n'
INIT = '__version__ = "1.0.0"\n'
CHANGELOG_HEAD = (
    "# Changelog\n\n## [Unreleased]\n\n- Pending.\n\n## [1.0.0] - 2026-01-01\n\n- One.\n"
)


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    result = subprocess.run(
        ["git", *identity, *args], cwd=cwd, input=stdin, capture_output=True, check=True
    )
    return result.stdout.decode().strip()


def project(root: Path, files: dict[str, str], commit: bool = True) -> Path:
    """A small valid project `big` at 1.0.0, with `files` on top, committed to git."""
    contents = {"pyproject.toml": PYPROJECT, "src/big/__init__.py": INIT}
    contents["CHANGELOG.md"] = CHANGELOG_HEAD
    contents.update(files)
    for name, text in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "init", "-q")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-qm", "bench")
    return root


def run_cli(*args: str) -> object:
    """One command through cli.main, its output discarded."""
    from release_guard.cli import main

    sink = open(os.devnull, "w")  # noqa: SIM115 (closed below; one `with` would not fit 3.9)
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            return main(list(args))
    finally:
        sink.close()


# -- the inputs --------------------------------------------------------------------------------


def pyproject_header(root: Path, n: int) -> Callable[[], object]:
    # before `version`: locating the version reads every line above it
    text = PYPROJECT.replace("version", 'description = """\n[' + " " * n + '\n"""\nversion')
    project(root, {"pyproject.toml": text}, commit=False)
    return lambda: run_cli("check", "--root", str(root))


def prepare_findings(root: Path, n: int) -> Callable[[], object]:
    # one finding per section: the version repeated (RG205)
    sections = "".join(f"## [0.1.0] - 2020-01-01\n\n- Change {k}.\n\n" for k in range(n))
    project(root, {"CHANGELOG.md": CHANGELOG_HEAD + "\n" + sections})
    return lambda: run_cli("prepare", "minor", "--root", str(root), "--dry-run")


def compare_link(root: Path, n: int) -> Callable[[], object]:
    url = "https://example.invalid/compare/" + "a.." * (n // 3) + "/"
    changelog = CHANGELOG_HEAD + f"\n[unreleased]: {url}\n"
    project(root, {"CHANGELOG.md": changelog})
    return lambda: run_cli("prepare", "minor", "--root", str(root), "--dry-run")


def version_files(root: Path, n: int) -> Callable[[], object]:
    names = [f"src/big/v{k}.py" for k in range(n)]
    listed = ", ".join(f'"{name}"' for name in names)
    config = PYPROJECT + f"\n[tool.release-guard]\nversion-files = [{listed}]\n"
    project(root, {"pyproject.toml": config, **dict.fromkeys(names, INIT)})
    return lambda: run_cli("prepare", "minor", "--root", str(root), "--dry-run")


def hook_refs(root: Path, n: int) -> Callable[[], object]:
    from release_guard.install import render

    hook = root / "pre-push"
    hook.write_bytes(render(sys.executable, None))
    hook.chmod(0o755)
    line = f"refs/heads/b {'1' * 40} refs/heads/b {ZERO}\n"
    refs = (line * n).encode()
    return lambda: subprocess.run(
        [str(hook), "origin", "url"], input=refs, cwd=root, env=ENVIRONMENT
    )


def heading_spaces(root: Path, n: int) -> Callable[[], object]:
    # the spaces end before the end of the line: a lazy heading regex backtracks over them
    title = "# a" + " " * n + "b\n"
    project(root, {"CHANGELOG.md": title + CHANGELOG_HEAD[len("# Changelog\n") :]})
    return lambda: run_cli("check", "--root", str(root))


def unreleased_headings(root: Path, n: int) -> Callable[[], object]:
    day = datetime.date(2026, 1, 1)
    releases = "".join(
        f"## [{k}.0.0] - {day - datetime.timedelta(days=n - k)}\n\n- Fix {k}.\n\n"
        for k in range(n, 0, -1)
    )
    changelog = "# Changelog\n\n" + releases + "## [Unreleased]\n\n" * n
    project(
        root, {"CHANGELOG.md": changelog, "pyproject.toml": PYPROJECT.replace("1.0.0", f"{n}.0.0")}
    )
    return lambda: run_cli("check", "--root", str(root))


def releases(root: Path, n: int) -> Callable[[], object]:
    day = datetime.date(2026, 1, 1)
    sections = "".join(
        f"## [{k}.0.0] - {day - datetime.timedelta(days=n - k)}\n\n### Fixed\n\n- Fix {k}.\n\n"
        for k in range(n, 0, -1)
    )
    version = PYPROJECT.replace("1.0.0", f"{n}.0.0")
    init = INIT.replace("1.0.0", f"{n}.0.0")
    changelog = "# Changelog\n\n## [Unreleased]\n\n" + sections
    project(
        root, {"CHANGELOG.md": changelog, "pyproject.toml": version, "src/big/__init__.py": init}
    )
    return lambda: run_cli("check", "--root", str(root))


def yaml_aliases(root: Path, n: int) -> Callable[[], object]:
    """Each level an alias list of the previous level, twice: 2**n nodes once expanded."""
    lines = ["a0: &a0 [x]"]
    lines += [f"a{k}: &a{k} [*a{k - 1}, *a{k - 1}]" for k in range(1, n + 1)]
    config = "\n".join(lines) + "\nrepos: []\n"
    project(root, {".pre-commit-config.yaml": config})
    return lambda: run_cli("init", "--root", str(root), "--dry-run")


def big_blob(root: Path, n: int) -> Callable[[], object]:
    """A release commit whose changelog blob is n MiB: refused by its size, memory bounded."""
    project(root, {})
    with (root / "CHANGELOG.md").open("ab") as handle:
        handle.write(b"- more.\n" * (n * 1024 * 128))
    git(root, "commit", "-qam", "huge changelog")
    git(root, "tag", "v1.0.0")
    sha = git(root, "rev-parse", "v1.0.0")
    stdin = f"refs/tags/v1.0.0 {sha} refs/tags/v1.0.0 {ZERO}\n".encode()
    script = (
        "import re, sys\n"
        "from release_guard.cli import main\n"
        "main(['tag-guard'])\n"
        "status = open('/proc/self/status').read()\n"
        "print(re.search(r'VmHWM:\\s*(\\d+)', status).group(1), file=sys.__stdout__)\n"
    )

    def guard() -> object:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            input=stdin,
            capture_output=True,
            env=ENVIRONMENT,
        )
        PEAKS.append(int(result.stdout.split()[-1]))
        return result

    return guard


def wheel_entries(root: Path, n: int) -> Callable[[], object]:
    """verify-dist on a wheel of N modules, its RECORD right (#12: archive entries)."""
    import base64
    import hashlib
    import zipfile

    project(root, {"src/big/py.typed": ""})
    files = {f"big/m{k}.py": f"VALUE = {k}\n".encode() for k in range(n)}
    files["big/__init__.py"] = INIT.encode()
    files["big/py.typed"] = b""
    info = "big-1.0.0.dist-info"
    files[f"{info}/METADATA"] = b"Metadata-Version: 2.1\nName: big\nVersion: 1.0.0\n"
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    (root / "dist").mkdir()
    with zipfile.ZipFile(root / "dist" / "big-1.0.0-py3-none-any.whl", "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return lambda: run_cli("verify-dist", "--root", str(root))


PEAKS: list[int] = []

# name -> (build, N, unit)
CASES: dict[str, tuple[Callable[[Path, int], Callable[[], object]], int, str]] = {
    "pyproject-header": (pyproject_header, 200_000, "spaces"),
    "prepare-findings": (prepare_findings, 300, "repeated sections"),
    "compare-link": (compare_link, 300_000, "characters"),
    "version-files": (version_files, 1_000, "version files"),
    "hook-refs": (hook_refs, 16_000, "refs"),
    "heading-spaces": (heading_spaces, 12_000, "spaces"),
    "unreleased-headings": (unreleased_headings, 1_600, "headings"),
    "releases": (releases, 2_000, "releases"),
    "wheel-entries": (wheel_entries, 2_000, "wheel entries"),
    "yaml-aliases": (yaml_aliases, 3, "alias levels"),
    "big-blob": (big_blob, 20, "MiB"),
}


def best_seconds(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        if sum(times) > 5:  # slow enough that noise is small: stop early
            break
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only these cases")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every N by this")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (the best counts)")
    args = parser.parse_args()
    failed = []
    print(
        f"{'case':<20} {'N':>9} {'t(N) s':>9} {'t(10N) s':>9} {'ratio':>7}  target <= {TARGET_RATIO:g}"
    )
    for name in args.case or list(CASES):
        build, n, unit = CASES[name]
        n = max(1, int(n * args.scale))
        seconds: list[float] = []
        exits: set[int] = set()
        PEAKS.clear()
        for size in (n, 10 * n):
            with tempfile.TemporaryDirectory() as directory:
                run = build(Path(directory), size)
                result = run()  # warm up: imports, caches, the page cache
                exits.add(result if isinstance(result, int) else getattr(result, "returncode", 0))
                seconds.append(best_seconds(run, args.runs))
        ratio = seconds[1] / seconds[0]
        verdict = "ok" if ratio <= TARGET_RATIO else "SUPER-LINEAR"
        line = f"{name:<20} {n:>9,} {seconds[0]:>9.3f} {seconds[1]:>9.3f} {ratio:>7.1f}  {verdict}"
        if name == "yaml-aliases":
            line += f"  ({n} and {10 * n} levels: 2**{10 * n} nodes if expanded)"
        if PEAKS:
            line += f"  peak RSS {min(PEAKS[: args.runs + 1]) // 1024} / {max(PEAKS) // 1024} MiB"
        print(line + f"  [{unit}, exit {'/'.join(map(str, sorted(exits)))}]", flush=True)
        if ratio > TARGET_RATIO:
            failed.append(name)
    if failed:
        print(f"super-linear: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
