"""The pushed repository's files never run inside the guard, on every Python this machine has.

The hook and the pre-commit entries start Python isolated (`-I`): neither the current directory
(the repository being pushed) nor the environment (PYTHONPATH) reaches `sys.path`. Each
supported Python found here (pyenv's 3.9 to 3.13, or on PATH) gets a venv of its own, made
without pip for speed: a `.pth` file puts this checkout and its pure-Python dependencies on its
path, as an installed release-guard would be.
"""

from __future__ import annotations

import glob
import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

import release_guard
from conftest import MakeProject, git, write
from test_tagguard import assert_refused, connect, push, remote_tags

SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13")
DEPENDENCIES = ("packaging>=26.0", "tomlkit>=0.12", "identify>=2.5", "tomli>=1.1")
CHECKOUT_SRC = Path(release_guard.__file__).resolve().parents[1]
HIJACKED = ("release_guard", "argparse", "subprocess", "fnmatch", "tomli")


def _interpreter(version: str) -> str | None:
    """A working interpreter of that version: pyenv's, else one on PATH (a pyenv shim answers
    `command -v` without a Python behind it, so each candidate is asked its version)."""
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates = sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    candidates.append(f"python{version}")
    check = f"import sys; assert sys.version_info[:2] == {tuple(map(int, version.split('.')))}"
    for candidate in candidates:
        try:
            ok = subprocess.run([candidate, "-c", check], capture_output=True).returncode == 0
        except OSError:
            continue
        if ok:
            return candidate
    return None


@pytest.fixture(scope="session")
def dependencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """release-guard's runtime dependencies, pure Python, for every interpreter at once."""
    target = tmp_path_factory.mktemp("dependencies")
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
    result = subprocess.run(
        [*pip, *DEPENDENCIES],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot fetch the dependencies: {result.stderr.strip()[-300:]}")
    return target


@pytest.fixture(scope="session", params=SUPPORTED)
def venv_python(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dependencies: Path
) -> str:
    """The python of a venv of that version with this checkout installed."""
    version = request.param
    interpreter = _interpreter(version)
    if interpreter is None:
        pytest.skip(f"no Python {version} on this machine")
    venv = tmp_path_factory.mktemp(f"venv{version}")
    subprocess.run([interpreter, "-m", "venv", "--without-pip", str(venv)], check=True)
    (site,) = glob.glob(f"{venv}/lib/python{version}/site-packages")
    Path(site, "release-guard.pth").write_text(f"{CHECKOUT_SRC}\n{dependencies}\n")
    python = venv / "bin" / "python"
    script = venv / "bin" / "release-guard"  # the console script, as pip writes it
    script.write_text(
        f"#!{python}\nimport sys\nfrom release_guard.cli import main\nsys.exit(main())\n"
    )
    script.chmod(0o755)
    return str(python)


def _hijackers(repo: Path, markers: Path) -> None:
    """Modules at the top of the repository that, if imported, leave a mark and let the push
    through: a guard that imported any of them would say yes to anything."""
    for name in HIJACKED:
        body = f"open({str(markers / name)!r}, 'w').close()\nimport os\nos._exit(0)\n"
        if name == "release_guard":
            write(repo, {f"{name}/__init__.py": body, f"{name}/__main__.py": body})
        else:
            write(repo, {f"{name}.py": body})


@pytest.mark.parametrize("pythonpath", [False, True], ids=["cwd", "PYTHONPATH"])
def test_the_pushed_repository_cannot_replace_the_guard(
    venv_python: str, make_project: MakeProject, bare_remote: Path, tmp_path: Path, pythonpath: bool
) -> None:
    """A `v9.9.9` tag on a 0.1.0 commit, pushed from a repository whose top holds
    `release_guard/`, `argparse.py`, `subprocess.py`, `fnmatch.py` and `tomli.py` (the hook's
    current directory), or with PYTHONPATH naming it: refused, and none of them ran."""
    repo = make_project()
    connect(repo, bare_remote)
    installed = subprocess.run(
        [venv_python, "-m", "release_guard", "install"], cwd=repo, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    markers = tmp_path / "markers"
    markers.mkdir()
    _hijackers(repo, markers)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hijackers")
    git(repo, "tag", "v9.9.9")

    result = subprocess.run(
        ["git", "push", "origin", "v9.9.9"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **({"PYTHONPATH": str(repo)} if pythonpath else {})},
    )
    assert sorted(os.listdir(markers)) == []
    assert_refused(result, "RG301")
    assert remote_tags(bare_remote) == set()


def test_the_pre_commit_entries_run_isolated(
    venv_python: str, make_project: MakeProject, tmp_path: Path
) -> None:
    """Each hook's entry from .pre-commit-hooks.yaml, as pre-commit runs it (the hook
    environment's bin first on PATH), in a repository full of hijackers, PYTHONPATH too."""
    repo = make_project()
    markers = tmp_path / "markers"
    markers.mkdir()
    _hijackers(repo, markers)
    manifest = yaml.safe_load((CHECKOUT_SRC.parent / ".pre-commit-hooks.yaml").read_text())
    environment = {
        **os.environ,
        "PATH": f"{Path(venv_python).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(repo),
    }
    for hook in manifest:
        result = subprocess.run(
            shlex.split(hook["entry"]), cwd=repo, capture_output=True, text=True, env=environment
        )
        assert sorted(os.listdir(markers)) == [], hook["id"]
        assert result.returncode == 0, result.stdout + result.stderr
        assert "All checks passed" in result.stdout or "no release tag" in result.stdout


def _bare_venv(path: Path) -> Path:
    """A venv of this interpreter with nothing installed: its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return path / "bin" / "python"


def _site_packages(python: Path) -> Path:
    script = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(
        subprocess.run([python, "-c", script], capture_output=True, text=True).stdout.strip()
    )


def test_a_hook_whose_python_lost_release_guard_says_what_to_do(
    make_project: MakeProject, bare_remote: Path, tmp_path: Path
) -> None:
    repo = make_project()
    connect(repo, bare_remote)
    python = _bare_venv(tmp_path / "venv")
    here = sysconfig.get_paths()["purelib"]  # release-guard's own installation, and its deps
    link = _site_packages(python) / "release_guard_dev.pth"
    link.write_text(f"import site; site.addsitedir({here!r})\n")
    installed = subprocess.run(
        [python, "-m", "release_guard", "install"], cwd=repo, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    link.unlink()  # release-guard uninstalled from that venv
    git(repo, "tag", "v0.1.0")
    refused = push(repo, "v0.1.0")
    assert refused.returncode != 0
    assert (
        f"{python} cannot import release-guard (No module named 'release_guard')" in refused.stderr
    )
    assert "git push --no-verify" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert remote_tags(bare_remote) == set()


def test_install_refuses_a_python_that_finds_release_guard_only_through_pythonpath(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The hook runs isolated: a guard its Python cannot import in isolation would refuse
    every tag, so install says so now."""
    repo = make_project()
    python = _bare_venv(tmp_path / "venv")
    here = sysconfig.get_paths()["purelib"]
    paths = os.pathsep.join([str(CHECKOUT_SRC), here])
    result = subprocess.run(
        [python, "-m", "release_guard", "install"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": paths},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG006" in result.stderr
    assert "cannot import release-guard when run isolated" in result.stderr
    hooks = Path(git(repo, "rev-parse", "--absolute-git-dir")) / "hooks"
    assert not (hooks / "pre-push").exists()


def test_init_refuses_before_writing_when_the_guard_could_not_run(
    make_project: MakeProject, tmp_path: Path
) -> None:
    repo = make_project(files={"CHANGELOG.md": None})
    python = _bare_venv(tmp_path / "venv")
    paths = os.pathsep.join([str(CHECKOUT_SRC), sysconfig.get_paths()["purelib"]])
    result = subprocess.run(
        [python, "-m", "release_guard", "init"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": paths},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "cannot import release-guard when run isolated" in result.stdout + result.stderr
    assert git(repo, "status", "--porcelain") == ""  # nothing written: no CHANGELOG.md
