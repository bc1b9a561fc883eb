"""`release-guard install`: where the hook goes, what it chains, and how it comes out again.

Real repositories, a real bare remote, real pre-commit installs (both orders), core.hooksPath,
a worktree, and a real interpreter that disappears.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MakeProject, git, run_rg, write
from release_guard.install import (
    HOOK,
    PRE_COMMIT_LEGACY,
    PREVIOUS,
    config_declared_hooks,
    git_version,
    render,
)
from release_guard.resources import shipped_bytes
from test_tagguard import (
    assert_refused,
    commit,
    connect,
    install_guard,
    push,
    release_files,
    remote_tags,
)

REPO = Path(__file__).resolve().parent.parent
LOCAL = {"CI": ""}  # a developer's machine: `check` notes a missing tag guard


def hooks(repo: Path) -> Path:
    return repo / ".git" / "hooks"


def hook_files(repo: Path) -> set[str]:
    return {p.name for p in hooks(repo).iterdir() if p.name.startswith(HOOK)} - {"pre-push.sample"}


@pytest.fixture
def project(make_project: MakeProject, bare_remote: Path) -> Path:
    repo = make_project()
    connect(repo, bare_remote)
    return repo


# -- the file itself ---------------------------------------------------------------------------


def test_the_hook_is_the_shipped_file_with_its_settings_filled(project: Path) -> None:
    install_guard(project)
    installed = (hooks(project) / HOOK).read_bytes()
    assert os.access(hooks(project) / HOOK, os.X_OK)
    assert f"release_guard_python={sys.executable}\n".encode() in installed
    assert b"release_guard_previous=''\n" in installed
    shipped = shipped_bytes("pre-push")
    assert shipped == (REPO / "hooks" / "pre-push").read_bytes()  # one file, not a copy
    assert installed == render(sys.executable, None)
    # nothing but the two settings lines differs from the shipped file
    differing = [(a, b) for a, b in zip(shipped.splitlines(), installed.splitlines()) if a != b]
    assert [a for a, _ in differing] == [b"release_guard_python=''"]


def test_install_is_idempotent(project: Path) -> None:
    foreign = b"#!/bin/sh\nexit 0\n"
    write(project, {".git/hooks/pre-push": foreign})
    (hooks(project) / HOOK).chmod(0o755)
    install_guard(project)
    first = (hooks(project) / HOOK).read_bytes()
    again = run_rg("install", cwd=project)
    assert again.returncode == 0
    assert "already installed" in again.stdout
    assert (hooks(project) / HOOK).read_bytes() == first
    assert hook_files(project) == {HOOK, PREVIOUS}
    assert (hooks(project) / PREVIOUS).read_bytes() == foreign  # not chained to itself


def test_outside_a_repository(tmp_path: Path) -> None:
    result = run_rg("install", cwd=tmp_path)
    assert result.returncode == 2
    assert "RG006" in result.stderr
    assert "Traceback" not in result.stderr


# -- chaining a foreign hook ---------------------------------------------------------------------


FOREIGN = """#!/bin/sh
# a team's own pre-push hook: records what git gave it
echo "args: $*" > "{log}"
cat >> "{log}"
exit {status}
"""


def test_a_foreign_hook_is_chained_with_the_same_stdin_and_both_statuses_count(
    project: Path, bare_remote: Path, tmp_path: Path
) -> None:
    log = tmp_path / "foreign.log"
    write(project, {".git/hooks/pre-push": FOREIGN.format(log=log, status=0)})
    (hooks(project) / HOOK).chmod(0o755)
    original = (hooks(project) / HOOK).read_bytes()
    install_guard(project)
    assert (hooks(project) / PREVIOUS).read_bytes() == original

    git(project, "tag", "v0.1.0")
    accepted = push(project, "v0.1.0")
    assert accepted.returncode == 0, accepted.stderr
    sha = git(project, "rev-parse", "v0.1.0")
    assert log.read_text() == (
        f"args: origin {bare_remote}\nrefs/tags/v0.1.0 {sha} refs/tags/v0.1.0 {'0' * 40}\n"
    )

    git(project, "tag", "v0.2.0")  # bad: the guard refuses, though the foreign hook passes
    assert_refused(push(project, "v0.2.0"), "RG301")
    assert "refs/tags/v0.2.0" in log.read_text()  # the foreign hook ran too

    write(project, {f".git/hooks/{PREVIOUS}": FOREIGN.format(log=log, status=1)})
    git(project, "tag", "-d", "v0.2.0")
    commit(project, release_files("0.2.0"))
    git(project, "tag", "v0.2.0")  # good for the guard, but the foreign hook now refuses
    refused = push(project, "main", "v0.2.0")
    assert refused.returncode != 0
    assert remote_tags(bare_remote) == {"v0.1.0"}


def test_uninstall_restores_the_previous_hook_byte_for_byte(project: Path) -> None:
    original = b"#!/bin/sh\r\n# odd bytes \xff\xfe kept as they are\r\nexit 0\r\n"
    path = hooks(project) / HOOK
    path.write_bytes(original)
    path.chmod(0o750)
    install_guard(project)
    assert path.read_bytes() != original
    result = run_rg("install", "--uninstall", cwd=project)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == original
    assert path.stat().st_mode & 0o777 == 0o750
    assert hook_files(project) == {HOOK}

    again = run_rg("install", "--uninstall", cwd=project)
    assert again.returncode == 0
    assert "nothing to do" in again.stdout
    assert path.read_bytes() == original  # a foreign hook is never touched


def test_uninstall_without_a_previous_hook_removes_the_guard(project: Path) -> None:
    install_guard(project)
    assert run_rg("install", "--uninstall", cwd=project).returncode == 0
    assert hook_files(project) == set()


def test_a_leftover_previous_hook_stops_install_without_touching_anything(project: Path) -> None:
    write(project, {".git/hooks/pre-push": "#!/bin/sh\nexit 0\n"})
    write(project, {f".git/hooks/{PREVIOUS}": "#!/bin/sh\nexit 1\n"})
    result = run_rg("install", cwd=project)
    assert result.returncode == 2
    assert PREVIOUS in result.stderr
    assert (hooks(project) / HOOK).read_text() == "#!/bin/sh\nexit 0\n"
    assert (hooks(project) / PREVIOUS).read_text() == "#!/bin/sh\nexit 1\n"


# -- beside pre-commit's own pre-push hook, installed before or after ------------------------------


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One pre-commit store for the module: the local hooks below need no environment."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    saved = os.environ.get("PRE_COMMIT_HOME")
    os.environ["PRE_COMMIT_HOME"] = str(home)
    yield home
    if saved is None:
        os.environ.pop("PRE_COMMIT_HOME", None)
    else:
        os.environ["PRE_COMMIT_HOME"] = saved


PRE_COMMIT_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: marker
        name: marker
        entry: sh -c 'echo "$PRE_COMMIT_REMOTE_BRANCH" >> "{log}"'
        language: unsupported
        pass_filenames: false
        always_run: true
        stages: [pre-push]
"""


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("guard_first", [False, True], ids=["pre-commit-first", "guard-first"])
def test_beside_pre_commit_in_either_order(
    project: Path, bare_remote: Path, tmp_path: Path, pre_commit_home: Path, guard_first: bool
) -> None:
    log = tmp_path / "pre-commit.log"
    commit(project, {".pre-commit-config.yaml": PRE_COMMIT_CONFIG.format(log=log)})
    git(project, "push", "-q", "origin", "main")  # the remote has the commit the tag will name
    if guard_first:
        install_guard(project)
    pre_commit(project, "install", "-t", "pre-push")
    if not guard_first:
        install_guard(project)
    # the same layout whichever came first: pre-commit's script runs the guard as its legacy hook
    assert hook_files(project) == {HOOK, PRE_COMMIT_LEGACY}
    assert b"File generated by pre-commit" in (hooks(project) / HOOK).read_bytes()
    assert b"release_guard_python=" in (hooks(project) / PRE_COMMIT_LEGACY).read_bytes()

    # a tag-only push: pre-commit runs no hook at all, the guard still gets git's stdin
    git(project, "tag", "-a", "-m", "bad", "v0.2.0")
    assert_refused(push(project, "v0.2.0"), "RG301")
    assert remote_tags(bare_remote) == set()
    assert not log.exists()

    # a branch with a good tag: pre-commit's hook runs, and so does the guard
    git(project, "tag", "-d", "v0.2.0")
    commit(project, release_files("0.2.0"))
    git(project, "tag", "-a", "-m", "0.2.0", "v0.2.0")
    accepted = push(project, "--follow-tags", "main")
    assert accepted.returncode == 0, accepted.stderr
    assert "judged 1 release tag: v0.2.0" in accepted.stderr
    assert log.read_text() == "refs/heads/main\n"
    assert remote_tags(bare_remote) == {"v0.2.0"}

    # re-running either installer keeps the chain
    install_guard(project)
    pre_commit(project, "install", "-t", "pre-push")
    assert hook_files(project) == {HOOK, PRE_COMMIT_LEGACY}
    # pre-commit's uninstall puts the guard back in the pre-push slot; ours then leaves no trace
    pre_commit(project, "uninstall", "-t", "pre-push")
    assert b"release_guard_python=" in (hooks(project) / HOOK).read_bytes()
    assert run_rg("install", "--uninstall", cwd=project).returncode == 0
    assert hook_files(project) == set()


def test_pre_commits_tag_guard_hook_for_the_pushes_it_dispatches(
    project: Path, bare_remote: Path, pre_commit_home: Path
) -> None:
    """pre-commit hands its hooks one ref: enough for a tag on a commit the remote lacks."""
    config = (
        "repos:\n  - repo: local\n    hooks:\n      - id: tag-guard\n"
        "        name: tag-guard\n"
        f"        entry: {sys.executable} -m release_guard tag-guard --pre-commit\n"
        "        language: unsupported\n        pass_filenames: false\n"
        "        always_run: true\n        stages: [pre-push]\n"
    )
    commit(project, {".pre-commit-config.yaml": config})
    git(project, "push", "-q", "origin", "main")
    pre_commit(project, "install", "-t", "pre-push")
    commit(project, {"pyproject.toml": release_files("0.2.0")["pyproject.toml"]})
    git(project, "tag", "v0.2.0")  # pyproject says 0.2.0, __init__.py still 0.1.0
    refused = push(project, "v0.2.0")
    assert refused.returncode != 0
    assert "RG104" in refused.stdout + refused.stderr
    assert remote_tags(bare_remote) == set()


def test_the_shipped_manifest_offers_tag_guard(pre_commit_home: Path) -> None:
    result = pre_commit(REPO, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml"))
    assert result.returncode == 0
    manifest = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "id: tag-guard" in manifest
    assert "entry: python -I -m release_guard tag-guard --pre-commit" in manifest


# -- where git looks for hooks ------------------------------------------------------------------


def test_core_hooks_path_is_honoured(project: Path, bare_remote: Path) -> None:
    git(project, "config", "core.hooksPath", ".githooks")
    install_guard(project)
    assert (project / ".githooks" / HOOK).is_file()
    assert hook_files(project) == set()
    git(project, "tag", "v0.2.0")
    git(project, "tag", "v0.1.0")
    assert_refused(push(project, "v0.2.0"), "RG301")
    assert push(project, "v0.1.0").returncode == 0
    assert remote_tags(bare_remote) == {"v0.1.0"}


def test_a_worktree_shares_the_guard(project: Path, bare_remote: Path, tmp_path: Path) -> None:
    worktree = tmp_path / "worktree"
    git(project, "worktree", "add", "-q", "-b", "release", str(worktree))
    install_guard(worktree)
    assert (hooks(project) / HOOK).is_file()  # the common hooks directory
    commit(worktree, release_files("0.2.0"))
    git(worktree, "tag", "v0.2.0")
    git(worktree, "tag", "v0.3.0")
    assert_refused(push(worktree, "v0.3.0"), "RG301")
    assert push(worktree, "release", "v0.2.0").returncode == 0
    assert remote_tags(bare_remote) == {"v0.2.0"}
    # and the main checkout is guarded by the same hook
    git(project, "tag", "v0.4.0")
    assert_refused(push(project, "v0.4.0"), "RG301")


# -- the interpreter recorded at install ---------------------------------------------------------


def test_a_vanished_interpreter_is_a_clear_refusal(
    project: Path, bare_remote: Path, tmp_path: Path
) -> None:
    """A real venv installs the guard, works, then is deleted: the push is refused, clearly."""
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True
    )
    python = venv / "bin" / "python"
    site_dir = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # this venv sees release-guard's own installation, as a venv with release-guard would
    here = sysconfig.get_paths()["purelib"]
    Path(site_dir, "release_guard_dev.pth").write_text(f"import site; site.addsitedir({here!r})\n")
    installed = subprocess.run(
        [str(python), "-m", "release_guard", "install"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    assert f"release_guard_python={python}\n" in (hooks(project) / HOOK).read_text()
    git(project, "tag", "v0.1.0")
    assert push(project, "v0.1.0").returncode == 0

    shutil.rmtree(venv)
    git(project, "tag", "-f", "-a", "-m", "again", "v0.1.0")
    refused = push(project, "-f", "v0.1.0")
    assert refused.returncode != 0
    assert f"the Python that ran 'release-guard install' ({python}) is gone" in refused.stderr
    assert "git push --no-verify" in refused.stderr
    assert remote_tags(bare_remote) == {"v0.1.0"}
    assert git(bare_remote, "cat-file", "-t", "v0.1.0") == "commit"  # the retag never arrived


# -- git 2.54 hooks declared in config -----------------------------------------------------------


def test_config_declared_hooks_are_listed(project: Path) -> None:
    assert git_version(str(project)) >= (2, 0)
    git(project, "config", "hook.linter.event", "pre-commit")
    git(project, "config", "hook.pre-commit.event", "pre-push")
    git(project, "config", "hook.pre-commit.command", "pre-commit hook-impl --hook-type=pre-push")
    assert config_declared_hooks(str(project)) == ["pre-commit"]


# -- the hook inside a real wheel ------------------------------------------------------------------


def test_the_wheel_ships_the_hook_and_install_writes_it_from_there(
    project: Path, tmp_path: Path
) -> None:
    """Built by `build` with hatchling from a clone of the committed checkout, installed by pip."""
    clone = tmp_path / "release-guard"
    git(tmp_path, "clone", "-q", str(REPO), str(clone))
    dist, target = tmp_path / "dist", tmp_path / "site"

    def run(*command: str) -> None:
        result = subprocess.run(command, cwd=clone, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist))
    (wheel,) = dist.glob("*.whl")
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--target",
        str(target),
        str(wheel),
    )
    in_wheel = target / "release_guard" / "hooks" / "pre-push"
    assert in_wheel.read_bytes() == (clone / "hooks" / "pre-push").read_bytes()
    assert not (target / "hooks").exists()  # carried inside the package, not beside it

    env = {**os.environ, "PYTHONPATH": str(target)}  # the wheel's release_guard, not the checkout
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "from release_guard import resources as r; print(r.shipped_path('pre-push'))",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert Path(where.stdout.strip()) == in_wheel
    installed = subprocess.run(
        [sys.executable, "-m", "release_guard", "install"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    expected = in_wheel.read_bytes().replace(
        b"release_guard_python=''", f"release_guard_python={sys.executable}".encode()
    )
    assert (hooks(project) / HOOK).read_bytes() == expected


def test_pre_commit_install_f_replacing_the_guard_is_noted_and_install_rechains(
    project: Path, bare_remote: Path, tmp_path: Path, pre_commit_home: Path
) -> None:
    log = tmp_path / "foreign.log"
    write(project, {".git/hooks/pre-push": FOREIGN.format(log=log, status=0)})
    (hooks(project) / HOOK).chmod(0o755)
    install_guard(project)
    assert "tag guard is not installed" not in run_rg("check", cwd=project, env=LOCAL).stdout
    commit(project, {".pre-commit-config.yaml": PRE_COMMIT_CONFIG.format(log=tmp_path / "pc")})
    # -f: pre-commit deletes the hook it finds instead of chaining it
    pre_commit(project, "install", "-f", "-t", "pre-push")
    assert hook_files(project) == {HOOK, PREVIOUS}
    noted = run_rg("check", cwd=project, env=LOCAL)
    assert noted.returncode == 0
    assert (
        "note: the tag guard is not installed: .git/hooks/pre-push is another tool's"
        in noted.stdout
    )
    assert (
        "tag guard is not installed" not in run_rg("check", cwd=project, env={"CI": "true"}).stdout
    )

    result = run_rg("install", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"the hook an earlier installation moved to {PREVIOUS} runs first again" in result.stdout
    assert hook_files(project) == {HOOK, PRE_COMMIT_LEGACY, PREVIOUS}
    assert "tag guard is not installed" not in run_rg("check", cwd=project, env=LOCAL).stdout
    git(project, "push", "-q", "origin", "main")
    git(project, "tag", "v0.2.0")  # the commit is at 0.1.0: refused, and the foreign hook ran
    assert_refused(push(project, "v0.2.0"), "RG301")
    assert "refs/tags/v0.2.0" in log.read_text()
