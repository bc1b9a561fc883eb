"""Every build backend's version source, end to end on a real project built by that backend.

Each project is written here in the shape real projects use, adopted with `init`, checked, given
a bad bump that the commit-time check refuses, released with `prepare` (running the commit
command it prints), tagged and pushed through the tag guard (a wrong tag refused), then built
for real with `python -m build --no-isolation` (the backends are in the test extra) and its
wheel and sdist verified. maturin and meson-python cannot build here: they are read-only
fixtures, checked and prepared.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import git, run_rg, write

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added

- Greeting in two languages.

## [0.1.0] - 2026-02-10

### Added

- First release.
"""
INIT = '"""Greeter."""\n\n__version__ = "0.1.0"\n'
README = "# Greeter\n"


def build_system(requires: str, backend: str) -> str:
    return f'[build-system]\nrequires = ["{requires}"]\nbuild-backend = "{backend}"\n\n'


class Backend(NamedTuple):
    files: dict[str, str]
    truth: str  # the file whose version the project's version source is
    origin: str  # how init names it
    rolled: tuple[str, ...]  # every file prepare must change (the changelog too)


BACKENDS = {
    "hatchling+uv": Backend(
        {
            "pyproject.toml": build_system("hatchling", "hatchling.build")
            + '[project]\nname = "Greeter"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n',
            "src/greeter/__init__.py": INIT,
            "CITATION.cff": 'cff-version: 1.2.0\ntitle: greeter\nversion: "0.1.0"\n'
            "date-released: 2026-02-10\nauthors:\n  - name: Ana\n",
        },
        "pyproject.toml",
        "0.1.0 ([project].version in pyproject.toml)",
        ("pyproject.toml", "src/greeter/__init__.py", "uv.lock", "CITATION.cff", "CHANGELOG.md"),
    ),
    "setuptools-attr": Backend(
        {
            "pyproject.toml": build_system("setuptools>=61", "setuptools.build_meta")
            + '[project]\nname = "greeter"\ndynamic = ["version"]\n\n'
            '[tool.setuptools.dynamic]\nversion = { attr = "greeter.__version__" }\n',
            "src/greeter/__init__.py": INIT,
        },
        "src/greeter/__init__.py",
        "0.1.0 (__version__ in src/greeter/__init__.py)",
        ("src/greeter/__init__.py", "CHANGELOG.md"),
    ),
    "setuptools-setup.cfg": Backend(
        {
            # no pyproject.toml at all: setup.cfg and a bare setup.py, as older projects have
            "setup.cfg": "[metadata]\nname = greeter\nversion = 0.1.0\n\n"
            "[options]\npackage_dir =\n    = src\npackages = find:\n\n"
            "[options.packages.find]\nwhere = src\n",
            "setup.py": "from setuptools import setup\n\nsetup()\n",
            "src/greeter/__init__.py": INIT,
        },
        "setup.cfg",
        "0.1.0 ([metadata] version in setup.cfg)",
        ("setup.cfg", "src/greeter/__init__.py", "CHANGELOG.md"),
    ),
    "flit_core": Backend(
        {
            "pyproject.toml": build_system("flit_core>=3.4", "flit_core.buildapi")
            + '[project]\nname = "greeter"\ndescription = "Greets."\ndynamic = ["version"]\n',
            "src/greeter/__init__.py": INIT,
            "docs/conf.py": 'project = "greeter"\nversion = "0.1"\nrelease = "0.1.0"\n',
        },
        "src/greeter/__init__.py",
        "0.1.0 (__version__ in src/greeter/__init__.py)",
        ("src/greeter/__init__.py", "docs/conf.py", "CHANGELOG.md"),
    ),
    "poetry-core": Backend(
        {
            # Poetry 1's layout: no [project] table at all
            "pyproject.toml": build_system("poetry-core>=1.0", "poetry.core.masonry.api")
            + '[tool.poetry]\nname = "greeter"\nversion = "0.1.0"\ndescription = "Greets."\n'
            'authors = ["Ana <ana@example.invalid>"]\npackages = [{ include = "greeter", '
            'from = "src" }]\n\n[tool.poetry.dependencies]\npython = ">=3.9"\n',
            "src/greeter/__init__.py": INIT,
        },
        "pyproject.toml",
        "0.1.0 ([tool.poetry].version in pyproject.toml)",
        ("pyproject.toml", "src/greeter/__init__.py", "CHANGELOG.md"),
    ),
    "pdm-backend": Backend(
        {
            "pyproject.toml": build_system("pdm-backend", "pdm.backend")
            + '[project]\nname = "greeter"\ndynamic = ["version"]\nrequires-python = ">=3.9"\n\n'
            '[tool.pdm.version]\nsource = "file"\npath = "src/greeter/__init__.py"\n',
            "src/greeter/__init__.py": INIT,
        },
        "src/greeter/__init__.py",
        "0.1.0 (src/greeter/__init__.py",
        ("src/greeter/__init__.py", "CHANGELOG.md"),
    ),
}


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def uv(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(cwd, str(Path(sys.executable).parent / "uv"), *args, "--offline", "--no-progress")


def adopted(tmp_path: Path, backend: Backend) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The project in a git repository with a bare remote, 0.1.0 tagged, then `init`."""
    root, remote = tmp_path / "greeter", tmp_path / "greeter.git"
    root.mkdir()
    write(root, {**backend.files, "CHANGELOG.md": CHANGELOG, "README.md": README})
    if "uv.lock" in backend.rolled:
        assert uv(root, "lock").returncode == 0
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "init", "-q")
    git(root, "remote", "add", "origin", str(remote))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "0.1.0")
    git(root, "tag", "v0.1.0")
    git(root, "push", "-q", "origin", "main", "v0.1.0")
    init = run_rg("init", cwd=root)
    assert init.returncode == 0, init.stdout + init.stderr
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Adopt release-guard")
    return root, init


def bump_only(root: Path, path: str, version: str) -> None:
    text = (root / path).read_text()
    (root / path).write_text(text.replace("0.1.0", version, 1))


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_release_with_every_backend(tmp_path: Path, name: str) -> None:
    backend = BACKENDS[name]
    root, init = adopted(tmp_path, backend)
    assert f"version: {backend.origin}" in init.stdout
    assert "git tags" not in init.stdout
    for path in backend.rolled[1:-1] if backend.truth == backend.rolled[0] else ():
        assert f"version also in: {path}" in init.stdout
    check = run_rg("check", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr

    # A bad bump: the version source alone moves on. Refused at commit.
    bump_only(root, backend.truth, "0.1.1")
    bad = run_rg("check", cwd=root)
    assert bad.returncode == 1
    assert "RG211" in bad.stdout  # 0.1.1 has no changelog section
    if len(backend.rolled) > 2:
        assert "RG104" in bad.stdout  # and the files that carry it disagree
    git(root, "checkout", "--", backend.truth)

    # The release: prepare, then the commands it prints.
    prepare = run_rg("prepare", "minor", "--date", "2026-02-20", cwd=root)
    assert prepare.returncode == 0, prepare.stdout + prepare.stderr
    commit = next(line for line in prepare.stdout.splitlines() if line.startswith("  git commit"))
    assert commit.split(" -- ")[1].split() == list(backend.rolled)
    assert run(root, *shlex.split(commit)).returncode == 0
    assert git(root, "status", "--porcelain") == ""  # every changed file was in the commit
    if "uv.lock" in backend.rolled:
        locked = uv(root, "lock", "--check")
        assert locked.returncode == 0, locked.stderr
    assert run_rg("check", "--tag", "v0.2.0", cwd=root).returncode == 0

    # A wrong tag is refused at push; the right one goes through the guard.
    git(root, "tag", "v0.3.0")
    refused = run(root, "git", "push", "origin", "v0.3.0")
    assert refused.returncode != 0
    assert "RG301" in refused.stderr + refused.stdout
    git(root, "tag", "-d", "v0.3.0")
    git(root, "tag", "v0.2.0")
    pushed = run(root, "git", "push", "origin", "main", "v0.2.0")
    assert pushed.returncode == 0, pushed.stderr

    # Built for real by the backend; verify-dist takes the name and version from the project.
    build = run(
        root, sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist")
    )
    assert build.returncode == 0, build.stdout + build.stderr
    dists = sorted(str(path) for path in (tmp_path / "dist").iterdir())
    assert len(dists) == 2
    verified = run_rg("verify-dist", *dists, cwd=root)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "1 wheel and 1 sdist of greeter 0.2.0" in verified.stdout.lower()
    wrong_version = run_rg("verify-dist", *dists, "--version", "0.3.0", cwd=root)
    assert "RG403" in wrong_version.stdout
    wheel = next(Path(path) for path in dists if path.endswith(".whl"))
    evil = tmp_path / wheel.name.replace("greeter", "evil")
    evil.write_bytes(wheel.read_bytes())
    impostor = run_rg("verify-dist", str(evil), "--version", "0.2.0", cwd=root)
    assert impostor.returncode == 1
    assert "RG404" in impostor.stdout


# -- maturin and meson-python: read-only fixtures ------------------------------------------------

READ_ONLY = {
    "maturin": (
        {
            "pyproject.toml": build_system("maturin>=1.0", "maturin")
            + '[project]\nname = "greeter"\ndynamic = ["version"]\n',
            "Cargo.toml": '[package]\nname = "greeter"\nversion = "0.1.0"\nedition = "2021"\n\n'
            '[lib]\nname = "greeter"\ncrate-type = ["cdylib"]\n',
        },
        "Cargo.toml",
    ),
    "maturin-workspace": (
        {
            "pyproject.toml": build_system("maturin>=1.0", "maturin")
            + '[project]\nname = "greeter"\ndynamic = ["version"]\n\n'
            '[tool.maturin]\nmanifest-path = "crates/py/Cargo.toml"\n',
            "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n\n'
            '[workspace.package]\nversion = "0.1.0"\n',
            "crates/py/Cargo.toml": '[package]\nname = "greeter"\nversion.workspace = true\n',
        },
        "Cargo.toml",
    ),
    "meson-python": (
        {
            "pyproject.toml": build_system("meson-python", "mesonpy")
            + '[project]\nname = "greeter"\ndynamic = ["version"]\n',
            "meson.build": "project(\n  'greeter',\n  'c',\n  version: '0.1.0',\n"
            "  meson_version: '>= 1.1',\n)\npy = import('python').find_installation()\n",
        },
        "meson.build",
    ),
}


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_read_only_backends_check_and_prepare(tmp_path: Path, name: str) -> None:
    files, truth = READ_ONLY[name]
    root = tmp_path / "greeter"
    root.mkdir()
    write(root, {**files, "CHANGELOG.md": CHANGELOG})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "0.1.0")
    assert run_rg("check", cwd=root).returncode == 0
    bump_only(root, truth, "0.1.1")
    assert "RG211" in run_rg("check", cwd=root).stdout
    git(root, "checkout", "--", truth)
    prepare = run_rg("prepare", "minor", "--date", "2026-02-20", cwd=root)
    assert prepare.returncode == 0, prepare.stdout + prepare.stderr
    assert f"-- {truth} CHANGELOG.md" in prepare.stdout
    rolled = (root / truth).read_text()
    assert "0.2.0" in rolled
    assert "0.1.0" not in rolled
    assert run_rg("check", "--tag", "v0.2.0", cwd=root).returncode == 0


# -- the seed's four mistakes, on a uv, a Poetry and a flit project ---------------------------

SEED_PROJECTS = {
    # (backend, the file a hurried release bumps, the file it forgets)
    "uv": ("hatchling+uv", "pyproject.toml", "uv.lock"),
    "poetry": ("poetry-core", "pyproject.toml", "src/greeter/__init__.py"),
    "flit": ("flit_core", "src/greeter/__init__.py", "docs/conf.py"),
}


@pytest.mark.parametrize("name", sorted(SEED_PROJECTS))
def test_seed_mistakes_are_refused(tmp_path: Path, name: str) -> None:
    backend_name, bumped, forgotten = SEED_PROJECTS[name]
    root, _ = adopted(tmp_path, BACKENDS[backend_name])
    assert run_rg("install", cwd=root).returncode == 0

    # 1. one file bumped, another that carries the version forgotten: refused at commit
    bump_only(root, bumped, "0.2.0")
    (root / "CHANGELOG.md").write_text(
        CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n## [0.2.0] - 2026-02-20\n")
    )
    first = run_rg("check", cwd=root)
    assert f"{forgotten}:" in first.stdout
    assert "RG104" in first.stdout

    # 2. the release section without a date: refused at commit
    assert run_rg("prepare", "minor", cwd=root).returncode == 2  # files are dirty: refused
    git(root, "checkout", "--", ".")
    assert run_rg("prepare", "minor", "--date", "2026-02-20", cwd=root).returncode == 0
    changelog = (root / "CHANGELOG.md").read_text()
    (root / "CHANGELOG.md").write_text(changelog.replace("## [0.2.0] - 2026-02-20", "## [0.2.0]"))
    assert "RG204" in run_rg("check", cwd=root).stdout
    (root / "CHANGELOG.md").write_text(changelog)

    # 3. an entry left in [Unreleased] at release: refused at push
    (root / "CHANGELOG.md").write_text(
        changelog.replace("## [Unreleased]\n", "## [Unreleased]\n\n- Forgotten.\n")
    )
    git(root, "commit", "-qam", "release: v0.2.0")
    git(root, "tag", "v0.2.0")
    pushed = run(root, "git", "push", "origin", "main", "v0.2.0")
    assert pushed.returncode != 0
    assert "RG303" in pushed.stderr + pushed.stdout
    git(root, "tag", "-d", "v0.2.0")
    (root / "CHANGELOG.md").write_text(changelog)
    git(root, "commit", "-qam", "release: v0.2.0, notes moved")

    # 4. a tag on a commit that still carries the previous version: refused at push
    git(root, "tag", "v0.2.0", "HEAD~2")
    stale = run(root, "git", "push", "origin", "v0.2.0")
    assert stale.returncode != 0
    assert "RG301" in stale.stderr + stale.stdout
    git(root, "tag", "-f", "v0.2.0")
    assert run(root, "git", "push", "origin", "main", "v0.2.0").returncode == 0
