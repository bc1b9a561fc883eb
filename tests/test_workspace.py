"""Workspaces: a real uv workspace (three members, one depending on another, a virtual root)
and a hatch-style repository (two packages, two changelogs in docs/), judged at commit, at
push (the installed guard, a real bare remote) and with `check --tag`."""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LOCAL_HOOK_CONFIG, git, run_rg, write
from workflow_runner import assert_workflows_clean

UV = str(Path(sys.executable).parent / "uv")
ZERO = "0" * 40

ROOT_PYPROJECT = """\
[tool.uv.workspace]
members = ["packages/*"]
"""


def member(name: str, version: str, dependencies: str = "") -> dict[str, str | bytes]:
    module = name.replace("-", "_")
    sources = "".join(
        f"{needed.split('>')[0].strip(chr(34))} = {{ workspace = true }}\n"
        for needed in dependencies.split(",")
        if needed
    )
    return {
        f"packages/{name}/pyproject.toml": f"""\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{name}"
version = "{version}"
requires-python = ">=3.9"
dependencies = [{dependencies}]
"""
        + (f"\n[tool.uv.sources]\n{sources}" if sources else ""),
        f"packages/{name}/src/{module}/__init__.py": f'__version__ = "{version}"\n',
        f"packages/{name}/CHANGELOG.md": changelog(version),
    }


def changelog(version: str, unreleased: str = "", date: str = " - 2026-02-07") -> str:
    return (
        "# Changelog\n\n## [Unreleased]\n"
        + (f"\n### Added\n\n- {unreleased}\n" if unreleased else "")
        + f"\n## [{version}]{date}\n\n### Added\n\n- First release.\n"
        # an older release: the file's shape says Keep a Changelog even when the newest is undated
        + "\n## [0.0.1] - 2026-01-01\n\n### Added\n\n- The start.\n"
    )


# the workspace's root as a package of its own (a uv workspace root with a [project] table)
ROOT_PACKAGE: dict[str, str | bytes] = {
    "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "root-pkg"\nversion = "2.0.0"\n\n' + ROOT_PYPROJECT,
    "src/root_pkg/__init__.py": '__version__ = "2.0.0"\n',
    "CHANGELOG.md": changelog("2.0.0"),
}


def workspace_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"pyproject.toml": ROOT_PYPROJECT}
    files.update(member("alpha", "1.0.0"))
    files.update(member("beta", "1.2.0"))
    files.update(member("gamma", "0.3.0", '"alpha>=1.0"'))
    return files


def commit_all(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def uv_workspace(tmp_path: Path) -> Path:
    """Three members under packages/, gamma depending on alpha, a virtual root, locked by uv."""
    repo = tmp_path / "ws"
    repo.mkdir()
    write(repo, workspace_files())
    locked = subprocess.run(
        [UV, "lock", "--offline"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert locked.returncode == 0, locked.stderr
    lock = (repo / "uv.lock").read_text()
    assert all(f'name = "{name}"' in lock for name in ("alpha", "beta", "gamma"))
    git(repo, "init", "-q")
    commit_all(repo, "initial")
    return repo


def test_a_clean_workspace_passes(uv_workspace: Path) -> None:
    result = run_rg("check", cwd=uv_workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout


def test_the_seed_mistakes_on_one_member_name_it_and_spare_the_others(uv_workspace: Path) -> None:
    # the forgotten __init__ bump, an undated section, leftover unreleased entries
    write(
        uv_workspace,
        {
            "packages/alpha/pyproject.toml": member("alpha", "1.1.0")[
                "packages/alpha/pyproject.toml"
            ],
            "packages/alpha/CHANGELOG.md": changelog("1.1.0", "Leftover.", date=""),
        },
    )
    result = run_rg("check", "--format", "json", cwd=uv_workspace)
    document = json.loads(result.stdout)
    found = {(f["package"], f["path"], f["code"]) for f in document["findings"]}
    assert found == {
        ("alpha", "packages/alpha/src/alpha/__init__.py", "RG104"),
        ("alpha", "uv.lock", "RG104"),  # the workspace's lock still has alpha at 1.0.0
        ("alpha", "packages/alpha/CHANGELOG.md", "RG204"),
    }
    text = run_rg("check", cwd=uv_workspace).stdout
    assert "alpha: packages/alpha/src/alpha/__init__.py:1: RG104 version '1.0.0'" in text
    annotations = run_rg("check", "--format", "github", cwd=uv_workspace).stdout
    assert (
        "::error file=packages/alpha/src/alpha/__init__.py,line=1,title=RG104 version-mismatch"
        "::alpha: version '1.0.0' differs from '1.1.0' in packages/alpha/pyproject.toml"
    ) in annotations

    # the release rules: a tag naming another version, unreleased entries at release
    released = run_rg("check", "--tag", "alpha-v2.0.0", cwd=uv_workspace)
    assert released.returncode == 1
    assert "alpha: packages/alpha/pyproject.toml:7: RG301 tag alpha-v2.0.0" in released.stdout
    assert "RG303" in released.stdout
    assert "beta" not in released.stdout  # only the tagged package is released
    assert run_rg("check", "--tag", "beta-v1.2.0", cwd=uv_workspace).returncode == 0


def test_a_tag_of_no_package_is_refused_with_the_formats(uv_workspace: Path) -> None:
    result = run_rg("check", "--tag", "alhpa-v1.0.0", cwd=uv_workspace)
    assert result.returncode == 1
    assert "RG301 tag alhpa-v1.0.0 follows no package's tag-format" in result.stdout
    assert "alpha-v{version}, beta-v{version}, gamma-v{version}" in result.stdout


def test_a_push_of_three_package_tags_with_one_bad_sends_nothing(
    uv_workspace: Path, tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(uv_workspace, "remote", "add", "origin", str(remote))
    git(uv_workspace, "push", "-q", "origin", "main")
    installed = run_rg("install", cwd=uv_workspace)
    assert installed.returncode == 0, installed.stderr
    for tag in ("alpha-v1.0.0", "beta-v1.2.0", "gamma-v0.4.0"):  # gamma is at 0.3.0
        git(uv_workspace, "tag", tag)

    pushed = push(uv_workspace, "origin", "--tags")
    assert pushed.returncode != 0
    assert "gamma-v0.4.0:packages/gamma/pyproject.toml:7: RG301" in pushed.stdout + pushed.stderr
    assert pushed.stderr.count("RG3") == 1, pushed.stderr  # the other two are fine
    assert git(remote, "tag", "--list") == ""  # nothing sent

    git(uv_workspace, "tag", "-d", "gamma-v0.4.0")
    git(uv_workspace, "tag", "gamma-v0.3.0")
    accepted = push(uv_workspace, "origin", "--tags")
    assert accepted.returncode == 0, accepted.stderr
    assert git(remote, "tag", "--list").split() == ["alpha-v1.0.0", "beta-v1.2.0", "gamma-v0.3.0"]


def test_the_guard_judges_a_tag_of_no_package(uv_workspace: Path) -> None:
    sha = git(uv_workspace, "rev-parse", "HEAD")
    lines = "".join(
        f"refs/tags/{tag} {sha} refs/tags/{tag} {ZERO}\n" for tag in ("beeta-v1.2.0", "docs-build")
    )
    result = run_rg("tag-guard", cwd=uv_workspace, input=lines)
    assert result.returncode == 1
    assert (
        "beeta-v1.2.0:pyproject.toml: RG301 tag beeta-v1.2.0 follows no package's" in result.stdout
    )
    assert "docs-build" not in result.stdout.split("RG301")[1]  # not a release: not judged


# -- declared packages: a hatch-style repository -------------------------------------------------

HATCH_ROOT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "hatch"
dynamic = ["version"]

[tool.hatch.version]
path = "src/hatch/__about__.py"

[[tool.release-guard.packages]]
path = "."
changelog = "docs/history/hatch.md"

[[tool.release-guard.packages]]
path = "backend"
changelog = "docs/history/hatchling.md"
"""

HATCHLING = """\
[build-system]
requires = []
build-backend = "hatchling.ouroboros"
backend-path = ["src"]

[project]
name = "hatchling"
dynamic = ["version"]

[tool.hatch.version]
path = "src/hatchling/__about__.py"
"""


@pytest.fixture
def hatch_style(tmp_path: Path) -> Path:
    repo = tmp_path / "hatch"
    repo.mkdir()
    write(
        repo,
        {
            "pyproject.toml": HATCH_ROOT,
            "src/hatch/__about__.py": '__version__ = "1.9.0"\n',
            "backend/pyproject.toml": HATCHLING,
            "backend/src/hatchling/__about__.py": '__version__ = "1.21.0"\n',
            "docs/history/hatch.md": changelog("1.9.0"),
            "docs/history/hatchling.md": changelog("1.21.0"),
        },
    )
    git(repo, "init", "-q")
    commit_all(repo, "initial")
    return repo


def test_a_declared_package_names_its_changelog_format(hatch_style: Path) -> None:
    """`changelog-format` in a package table: hatchling's notes in RST, hatch's detected."""
    rst = "Changelog\n=========\n\n1.21.0 (2026-02-07)\n-------------------\n\n- First release.\n"
    pyproject = hatch_style / "pyproject.toml"
    write(
        hatch_style,
        {
            "docs/history/hatchling.txt": rst,
            "pyproject.toml": pyproject.read_text().replace(
                'changelog = "docs/history/hatchling.md"',
                'changelog = "docs/history/hatchling.txt"\nchangelog-format = "rst"',
            ),
        },
    )
    assert run_rg("check", "--tag", "hatchling-v1.21.0", cwd=hatch_style).returncode == 0
    notes = run_rg("notes", "hatchling-v1.21.0", cwd=hatch_style)
    assert notes.stdout == "- First release.\n"
    # "none": hatchling's notes live elsewhere; without it, the missing file is RG201
    declared = pyproject.read_text()
    elsewhere = declared.replace(
        'changelog = "docs/history/hatchling.txt"\nchangelog-format = "rst"',
        'changelog = "docs/history/gone.md"\nchangelog-format = "none"',
    )
    write(hatch_style, {"pyproject.toml": elsewhere})
    assert run_rg("check", "--tag", "hatchling-v1.21.0", cwd=hatch_style).returncode == 0
    write(hatch_style, {"pyproject.toml": elsewhere.replace('changelog-format = "none"', "")})
    missing = run_rg("check", "--tag", "hatchling-v1.21.0", cwd=hatch_style)
    assert "hatchling: docs/history/gone.md: RG201" in missing.stdout
    bad = declared.replace('changelog-format = "rst"', 'changelog-format = "asciidoc"')
    write(hatch_style, {"pyproject.toml": bad})
    refused = run_rg("check", cwd=hatch_style)
    assert refused.returncode == 2
    assert "packages changelog-format must be one of" in refused.stderr


def test_hatch_style_packages_with_changelogs_in_docs(hatch_style: Path) -> None:
    assert run_rg("check", cwd=hatch_style).returncode == 0
    assert run_rg("check", "--tag", "hatch-v1.9.0", cwd=hatch_style).returncode == 0
    assert run_rg("check", "--tag", "hatchling-v1.21.0", cwd=hatch_style).returncode == 0
    wrong = run_rg("check", "--tag", "hatchling-v1.9.0", cwd=hatch_style)
    assert wrong.returncode == 1
    assert "hatchling: backend/src/hatchling/__about__.py:1: RG301" in wrong.stdout
    write(hatch_style, {"docs/history/hatchling.md": changelog("1.21.0", date="")})
    undated = run_rg("check", cwd=hatch_style)
    assert "hatchling: docs/history/hatchling.md:5: RG204" in undated.stdout
    write(hatch_style, {"backend/src/hatchling/__about__.py": '__version__ = "1.22.0"\n'})
    unlisted = run_rg("check", "--tag", "hatchling-v1.22.0", cwd=hatch_style)
    assert (
        "hatchling: docs/history/hatchling.md:3: RG302 docs/history/hatchling.md has no section "
        "for the release 1.22.0" in unlisted.stdout
    )


def test_init_declares_a_hatch_style_repository_from_its_tags(
    hatch_style: Path, tmp_path: Path
) -> None:
    """No package table yet, but tags of both packages: init declares the root and backend/
    (each changelog found in docs/history/), and the guard then judges a hatchling tag
    against hatchling at push, where a single project would leave it unjudged."""
    pyproject = hatch_style / "pyproject.toml"
    pyproject.write_text(HATCH_ROOT.split("[[tool.release-guard.packages]]")[0].rstrip() + "\n")
    commit_all(hatch_style, "no package table")
    for tag in ("hatchling-v1.21.0", "hatch-v1.9.0"):
        git(hatch_style, "tag", "-a", "-m", tag, tag)
    adopted = run_rg("init", cwd=hatch_style)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert (
        '[[tool.release-guard.packages]]\npath = "."\nchangelog = "docs/history/hatch.md"\n\n'
        '[[tool.release-guard.packages]]\npath = "backend"\n'
        'changelog = "docs/history/hatchling.md"\n'
    ) in pyproject.read_text()
    assert not (hatch_style / "backend/CHANGELOG.md").exists()
    assert run_rg("check", cwd=hatch_style).returncode == 0
    commit_all(hatch_style, "adopt release-guard")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(hatch_style, "push", "-q", str(remote), "HEAD:refs/heads/main")
    git(hatch_style, "tag", "hatchling-v1.22.0")  # hatchling is still at 1.21.0
    pushed = push(hatch_style, str(remote), "hatchling-v1.22.0")
    assert pushed.returncode != 0
    assert "hatchling-v1.22.0:backend/src/hatchling/__about__.py:1: RG301" in pushed.stderr


def test_an_old_package_tag_without_a_dotted_version_is_history(
    hatch_style: Path, tmp_path: Path
) -> None:
    """pypa/hatch's `hatch-v1rc2` (2021) names a release only by hatch's tag-format (`1rc2`
    has no dot): a whole-history push leaves it to history, instead of judging a commit whose
    layout predates the working tree's package table."""
    import os

    old = {**os.environ, "GIT_COMMITTER_DATE": "2021-12-29T12:00:00+00:00"}
    first = git(hatch_style, "rev-list", "--max-parents=0", "HEAD")
    write(hatch_style, {"backend/pyproject.toml": "[build-system]\nrequires = []\n"})
    git(hatch_style, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "old layout"], cwd=hatch_style, env=old, check=True)
    subprocess.run(["git", "tag", "hatch-v1rc2"], cwd=hatch_style, env=old, check=True)
    git(hatch_style, "reset", "-q", "--hard", first)
    git(hatch_style, "tag", "-a", "-m", "hatch 1.9.0", "hatch-v1.9.0")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    assert run_rg("install", cwd=hatch_style).returncode == 0
    pushed = push(hatch_style, str(remote), "--tags")
    assert pushed.returncode == 0, pushed.stderr
    assert "hatch-v1rc2: history, not judged" in pushed.stderr
    assert "judged 1 release tag: hatch-v1.9.0" in pushed.stderr


def test_hatch_style_push_judges_each_tag_against_its_package(hatch_style: Path) -> None:
    sha = git(hatch_style, "rev-parse", "HEAD")
    tags = ("hatch-v1.9.0", "hatchling-v1.21.0", "hatchling-v1.9.0")
    lines = "".join(f"refs/tags/{tag} {sha} refs/tags/{tag} {ZERO}\n" for tag in tags)
    result = run_rg("tag-guard", "--format", "json", cwd=hatch_style, input=lines)
    document = json.loads(result.stdout)
    assert result.returncode == 1
    assert [(f["package"], f["path"], f["code"]) for f in document["findings"]] == [
        ("hatchling", "hatchling-v1.9.0:backend/src/hatchling/__about__.py", "RG301")
    ]


# -- member globs, as uv expands them ------------------------------------------------------------


def _flat_member(name: str) -> dict[str, str | bytes]:
    """A member whose module lies at its top (no src/NAME below it to match a glob too)."""
    module = f"{posixpath.basename(name)}_mod"
    return {
        f"{name}/pyproject.toml": f'[build-system]\nrequires = ["hatchling"]\n'
        f'build-backend = "hatchling.build"\n\n[project]\nname = "{name.replace("/", "-")}"\n'
        f'version = "1.0.0"\n\n[tool.hatch.build.targets.wheel]\npackages = ["{module}"]\n',
        f"{name}/{module}/__init__.py": '__version__ = "1.0.0"\n',
    }


@pytest.mark.parametrize(
    ("members", "exclude"),
    [
        (["libs/**/core"], []),
        (["**/plugins/*"], []),
        (["libs/*/core", "apps/*"], []),
        (["libs/**/core", "apps/*"], ["apps/.hidden-ish", "libs/old/**"]),
    ],
)
def test_member_globs_select_what_uv_selects(
    tmp_path: Path, members: list[str], exclude: list[str]
) -> None:
    """`*` within a segment, `**` across any number of them, excludes: the packages are uv's
    own members (`uv workspace list --paths`), compared on real layouts."""
    repo = tmp_path / "globs"
    files: dict[str, str | bytes] = {
        "pyproject.toml": "[tool.uv.workspace]\n"
        f"members = {json.dumps(members)}\nexclude = {json.dumps(exclude)}\n",
    }
    for name in (
        "libs/core",
        "libs/net/core",
        "libs/old/core",
        "libs/net/plugins/http",
        "apps/web",
        "apps/cli",
    ):
        files.update(_flat_member(name))
    write(repo, files)
    listed = subprocess.run(
        [UV, "workspace", "list", "--paths", "--offline"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    by_uv = sorted(posixpath.relpath(line, str(repo)) for line in listed.stdout.split())
    result = run_rg("packages", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == by_uv


# -- bad input: one coded line, exit 2 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "extra", "message"),
    [
        (
            '[tool.uv.workspace]\nmembers = ["libs/*"]\n',
            {},
            "[tool.uv.workspace] members glob 'libs/*' matches no directory",
        ),
        (
            '[tool.uv.workspace]\nmembers = ["../elsewhere"]\n',
            {},
            "[tool.uv.workspace] glob '../elsewhere' is outside the repository",
        ),
        (
            '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            {"packages/empty/README.md": "no pyproject here\n"},
            "workspace member packages/empty has no pyproject.toml",
        ),
        (
            '[[tool.release-guard.packages]]\npath = "packages/alpha"\ntag-format = "v{version}"\n'
            '[[tool.release-guard.packages]]\npath = "packages/beta"\ntag-format = "v{version}"\n',
            {},
            "packages alpha (packages/alpha) and beta (packages/beta) share the tag-format",
        ),
        ("[tool.uv.workspace]\n", {}, "the workspace has no package"),
    ],
    ids=["glob-matches-nothing", "outside", "no-pyproject", "same-prefix", "no-package"],
)
def test_bad_workspaces_are_one_coded_line(
    tmp_path: Path, root: str, extra: dict[str, str | bytes], message: str
) -> None:
    files = workspace_files()
    files["pyproject.toml"] = root
    files.update(extra)
    write(tmp_path, files)
    result = run_rg("check", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("pyproject.toml"), result.stderr
    assert "RG008" in lines[0]
    assert message in lines[0]
    assert "Traceback" not in result.stderr


# -- notes and prepare ---------------------------------------------------------------------------


def test_notes_of_a_package_tag(uv_workspace: Path, hatch_style: Path) -> None:
    notes = run_rg("notes", "beta-v1.2.0", cwd=uv_workspace)
    assert notes.returncode == 0, notes.stderr
    assert notes.stdout == "### Added\n\n- First release.\n"
    assert run_rg("notes", "hatchling-v1.21.0", cwd=hatch_style).returncode == 0
    missing = run_rg("notes", "beta-v9.0.0", cwd=uv_workspace)
    assert missing.returncode == 1
    assert "beta: packages/beta/CHANGELOG.md: RG501 no section for version 9.0.0" in missing.stderr
    unknown = run_rg("notes", "1.2.0", cwd=uv_workspace)
    assert unknown.returncode == 1
    assert "RG501 tag 1.2.0 follows no package's tag-format" in unknown.stderr


def test_prepare_releases_the_named_packages_only(uv_workspace: Path) -> None:
    for name in ("alpha", "beta"):
        write(uv_workspace, {f"packages/{name}/CHANGELOG.md": changelog("1.0.0", "New thing.")})
    write(uv_workspace, {"packages/beta/CHANGELOG.md": changelog("1.2.0", "New thing.")})
    commit_all(uv_workspace, "entries")
    nothing = run_rg("prepare", "--package", "gamma", "minor", cwd=uv_workspace)
    assert nothing.returncode == 2
    assert "gamma: packages/gamma/CHANGELOG.md:3: RG601 [Unreleased] in" in nothing.stderr
    unnamed = run_rg("prepare", "minor", cwd=uv_workspace)
    assert unnamed.returncode == 2
    assert "RG601 a workspace releases the packages named with --package" in unnamed.stderr
    assert "packages: alpha, beta, gamma" in unnamed.stderr

    result = run_rg(
        "prepare",
        "--package",
        "alpha",
        "--package",
        "beta",
        "minor",
        "--date",
        "2026-02-20",
        cwd=uv_workspace,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "git tag -a alpha-v1.1.0 -m 'release 1.1.0'\n  git tag -a beta-v1.3.0 -m 'release 1.3.0'"
        in result.stdout
    )
    changed = git(uv_workspace, "status", "--porcelain").splitlines()
    assert sorted(line.split()[-1] for line in changed) == [
        "packages/alpha/CHANGELOG.md",
        "packages/alpha/pyproject.toml",
        "packages/alpha/src/alpha/__init__.py",
        "packages/beta/CHANGELOG.md",
        "packages/beta/pyproject.toml",
        "packages/beta/src/beta/__init__.py",
        "uv.lock",
    ]
    lock = (uv_workspace / "uv.lock").read_text()
    assert 'name = "alpha"\nversion = "1.1.0"' in lock
    assert 'name = "beta"\nversion = "1.3.0"' in lock
    in_step = subprocess.run(
        [UV, "lock", "--check", "--offline"], cwd=uv_workspace, capture_output=True, text=True
    )
    assert in_step.returncode == 0, in_step.stderr  # uv agrees: the lock is up to date
    assert run_rg("check", "--tag", "alpha-v1.1.0", cwd=uv_workspace).returncode == 0
    assert run_rg("check", "--tag", "beta-v1.3.0", cwd=uv_workspace).returncode == 0
    assert run_rg("check", cwd=uv_workspace).returncode == 0


# -- verify-dist ---------------------------------------------------------------------------------


def build(repo: Path, package: str) -> None:
    """A real wheel and sdist of one member, by hatchling, into the root's dist/."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            "--outdir",
            "dist",
            f"packages/{package}",
        ],
        cwd=repo,
        capture_output=True,
        check=True,
    )


def test_verify_dist_matches_each_dist_to_its_package(uv_workspace: Path) -> None:
    build(uv_workspace, "alpha")
    build(uv_workspace, "beta")
    result = run_rg("verify-dist", cwd=uv_workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "alpha: verified 1 wheel and 1 sdist of alpha 1.0.0" in result.stdout
    assert "beta: verified 1 wheel and 1 sdist of beta 1.2.0" in result.stdout

    tagged = run_rg("verify-dist", "--tag", "alpha-v1.0.0", "--format", "json", cwd=uv_workspace)
    document = json.loads(tagged.stdout)
    assert tagged.returncode == 1  # beta's dists do not belong in alpha's release
    assert {(f["package"], f["code"]) for f in document["findings"]} == {("alpha", "RG404")}
    assert all("beta" in f["path"] for f in document["findings"])


def test_a_member_pinned_out_of_range_is_reported_and_prepare_names_it(uv_workspace: Path) -> None:
    # gamma requires alpha>=1.0; pin it to 1.x, then release alpha 2.0.0
    gamma = uv_workspace / "packages/gamma/pyproject.toml"
    gamma.write_text(gamma.read_text().replace('"alpha>=1.0"', '"alpha>=1.0,<2"'))
    write(uv_workspace, {"packages/alpha/CHANGELOG.md": changelog("1.0.0", "Breaking.")})
    commit_all(uv_workspace, "pin")
    assert run_rg("check", cwd=uv_workspace).returncode == 0

    prepared = run_rg(
        "prepare", "--package", "alpha", "major", "--date", "2026-02-20", cwd=uv_workspace
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert (
        "gamma requires 'alpha>=1.0,<2', which excludes alpha 2.0.0: widen it and release it "
        "too (--package gamma)" in prepared.stdout
    )
    checked = run_rg("check", cwd=uv_workspace)
    assert checked.returncode == 1
    assert (
        "gamma: packages/gamma/pyproject.toml:9: RG109 gamma requires 'alpha>=1.0,<2', "
        "which excludes alpha 2.0.0" in checked.stdout
    )


# -- init and the CI steps -----------------------------------------------------------------------


def test_init_writes_a_package_table_only_where_detection_needs_help(uv_workspace: Path) -> None:
    (uv_workspace / "packages/beta/CHANGELOG.md").rename(uv_workspace / "packages/beta/CHANGES.md")
    commit_all(uv_workspace, "beta keeps CHANGES.md")
    git(uv_workspace, "tag", "gamma/v0.3.0")  # gamma's releases are tagged name/vX.Y.Z
    git(uv_workspace, "tag", "alpha-v1.0.0")
    result = run_rg("init", cwd=uv_workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    pyproject = (uv_workspace / "pyproject.toml").read_text()
    assert pyproject == ROOT_PYPROJECT + (
        '\n[[tool.release-guard.packages]]\npath = "packages/beta"\n'
        'changelog = "packages/beta/CHANGES.md"\n'
        '\n[[tool.release-guard.packages]]\npath = "packages/gamma"\n'
        'tag-format = "gamma/v{version}"\n'
    )
    release = (uv_workspace / ".github/workflows/release.yml").read_text()
    assert 'tags: ["alpha-v[0-9]*", "beta-v[0-9]*", "gamma/v[0-9]*"]' in release
    workflows = uv_workspace / ".github/workflows"
    lint = sorted(map(str, workflows.glob("*.yml")))
    assert_workflows_clean(lint, [str(workflows)], str(uv_workspace))
    assert not (uv_workspace / "CHANGELOG.md").exists()  # a virtual root releases nothing
    commit_all(uv_workspace, "adopt release-guard")
    again = run_rg("init", cwd=uv_workspace)
    assert again.returncode == 0
    assert git(uv_workspace, "status", "--porcelain") == ""  # nothing changed the second time


def test_init_gives_a_package_root_the_tags_that_name_no_package(uv_workspace: Path) -> None:
    """pydantic-ai tags `v2.33.0` for its whole uv workspace, its root being a package: init
    gives the root those tags (not `root-pkg-v*`, which would refuse every real tag)."""
    write(uv_workspace, ROOT_PACKAGE)
    commit_all(uv_workspace, "the root is a package")
    git(uv_workspace, "tag", "v2.0.0")
    adopted = run_rg("init", cwd=uv_workspace)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert (
        '[[tool.release-guard.packages]]\npath = "."\ntag-format = "v{version}"\n'
        in (uv_workspace / "pyproject.toml").read_text()
    )
    assert run_rg("check", "--tag", "v2.0.0", cwd=uv_workspace).returncode == 0
    wrong = run_rg("check", "--tag", "v2.0.1", cwd=uv_workspace)
    assert "root-pkg: pyproject.toml:7: RG301" in wrong.stdout  # the static version


def test_init_on_a_lockstep_workspace_refuses_none_of_its_tags(uv_workspace: Path) -> None:
    """opentelemetry-python: a root uv does not build (`package = false`), `v1.44.0` tags that
    release several members at once, and a member whose CHANGELOG.md is empty. init neither
    stops nor writes a configuration that refuses the project's own tags."""
    write(
        uv_workspace,
        {
            "pyproject.toml": '[project]\nname = "monorepo"\nversion = "0.0.0"\n\n'
            "[tool.uv]\npackage = false\n\n" + ROOT_PYPROJECT,
            "packages/alpha/CHANGELOG.md": "",
        },
    )
    commit_all(uv_workspace, "lockstep")
    git(uv_workspace, "tag", "v1.0.0")
    packages = run_rg("packages", cwd=uv_workspace)
    assert packages.stdout.split() == ["packages/alpha", "packages/beta", "packages/gamma"]
    adopted = run_rg("init", cwd=uv_workspace)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert "tags v* name no package" in adopted.stdout
    pyproject = (uv_workspace / "pyproject.toml").read_text()
    assert '[tool.release-guard]\nignore-tags = ["v*"]\n' in pyproject
    assert 'path = "packages/alpha"\nchangelog-format = "none"\n' in pyproject
    assert run_rg("check", cwd=uv_workspace).returncode == 0
    tagged = run_rg("check", "--tag", "v1.0.0", cwd=uv_workspace)
    assert tagged.returncode == 0, tagged.stdout
    assert "tag v1.0.0 is covered by ignore-tags" in tagged.stdout


def test_init_fits_the_gate_to_every_member(uv_workspace: Path) -> None:
    """The gate runs the tools any member uses (mypy configured in one, tests in another), on
    the newest Python every member allows."""
    write(
        uv_workspace,
        {
            "packages/alpha/pyproject.toml": (uv_workspace / "packages/alpha/pyproject.toml")
            .read_text()
            .replace('requires-python = ">=3.9"', 'requires-python = ">=3.9,<3.12"')
            + "\n[tool.mypy]\nstrict = true\n",
            "packages/beta/tests/test_beta.py": "def test_beta() -> None:\n    pass\n",
        },
    )
    assert run_rg("init", cwd=uv_workspace).returncode == 0
    ci = (uv_workspace / ".github/workflows/ci.yml").read_text()
    assert "- name: Types (mypy)" in ci
    assert "- name: Tests (pytest)" in ci
    assert "- name: Lint (ruff check)" not in ci  # no member configures ruff
    assert 'python-version: "3.11"' in ci
    assert 'python-version: "3.13"' not in ci


def ci_step(name: str) -> str:
    import yaml  # type: ignore[import-untyped]  # PyYAML comes with pre-commit

    from release_guard.resources import shipped_bytes

    workflow = yaml.safe_load(shipped_bytes("ci.yml"))
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    [step] = [s for s in steps if s.get("name") == name]
    script: str = step["run"]
    return script


VERIFY_STEP = "Verify the wheel and sdist, record their sha256"


def run_ci_step(
    repo: Path, name: str, tag: str | None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """One `run:` step of ci.yml, run by bash in the workspace as the runner would (the build
    without isolation: the test environment holds hatchling; uv builds in it too; pip
    offline); `env` adds to the runner's environment."""
    import os

    environment = {
        **os.environ,
        "UV_NO_BUILD_ISOLATION": "1",
        "VIRTUAL_ENV": sys.prefix,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_REF_TYPE": "tag" if tag else "branch",
        "GITHUB_REF_NAME": tag or "main",
        "GITHUB_OUTPUT": str(repo.parent / "github-output"),
        **(env or {}),
    }
    script = (
        ci_step(name)
        .replace("python -m build", "python -m build -n")
        .replace("python -m pip install", "python -m pip install --no-index --no-build-isolation")
    )
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def push(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`git push ARGS` through the installed guard: its outcome, output captured."""
    return subprocess.run(
        ["git", "push", *args], cwd=repo, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("tag", ["beta-v1.2.0", None], ids=["tag-build", "branch-build"])
def test_ci_build_verify_and_notes_steps_on_a_workspace(
    uv_workspace: Path, tag: str | None
) -> None:
    for name in ("Build the wheel and sdist", VERIFY_STEP):  # the notes too, at a tag
        ran = run_ci_step(uv_workspace, name, tag)
        assert ran.returncode == 0, f"{name}:\n{ran.stdout}\n{ran.stderr}"
        if name != VERIFY_STEP:  # a uv workspace (uv.lock) is built by uv
            assert "Successfully built dist/" in ran.stderr
    built = sorted(path.name for path in (uv_workspace / "dist").iterdir())
    if tag:
        assert built == ["beta-1.2.0-py3-none-any.whl", "beta-1.2.0.tar.gz"]  # only beta
        assert (uv_workspace / "release-notes.md").read_text() == "### Added\n\n- First release.\n"
    else:
        assert len(built) == 6  # every package's wheel and sdist


@pytest.mark.parametrize("root_package", [False, True], ids=["virtual-root", "root-package"])
def test_the_gate_installs_and_type_checks_every_member(
    uv_workspace: Path, tmp_path: Path, root_package: bool
) -> None:
    """ci.yml's gate on a workspace: the install step installs the root when it is a package
    and each member, editable (pip offline, in a fresh environment that sees the test
    environment's tools), and the mypy step, with no mypy configuration, checks each
    package's src/."""
    import os
    import sysconfig

    modules = ["alpha", "beta", "gamma"]
    if root_package:
        write(uv_workspace, ROOT_PACKAGE)
        modules.append("root_pkg")

    venv = tmp_path / "gate-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # the test environment's packages (release-guard, hatchling, mypy) seen from the new one
    [site_packages] = venv.glob("lib/python*/site-packages")
    tools = sysconfig.get_paths()["purelib"]
    (site_packages / "test-environment.pth").write_text(
        f"import site; site.addsitedir({tools!r})\n"
    )
    env = {
        "PATH": os.pathsep.join(
            [str(venv / "bin"), str(Path(sys.executable).parent), os.environ["PATH"]]
        ),
        "PROJECT_EXTRAS": "test",
        "RELEASE_GUARD": "release-guard==0.1.0",  # the test environment's own, already there
        "MYPY_CACHE_DIR": str(tmp_path / "mypy-cache"),
    }
    ran = run_ci_step(uv_workspace, "Install the project and its tools", None, env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    imported = subprocess.run(
        [str(venv / "bin/python"), "-c", f"import {', '.join(modules)}; print(alpha.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    assert str(uv_workspace / "packages/alpha/src/alpha") in imported.stdout  # editable
    types = run_ci_step(uv_workspace, "Types (mypy)", None, env)
    assert types.returncode == 0, types.stdout + types.stderr
    assert f"no issues found in {len(modules)} source files" in types.stdout


def test_init_ci_gitlab_in_a_workspace(uv_workspace: Path, tmp_path: Path) -> None:
    """The GitLab pipeline of a workspace: its rules take every package's tags, and the gate's
    script (run locally, as GitLab's shell would) builds only the tagged package, with uv."""
    import yaml

    from test_workflows import run_gitlab_gate

    assert run_rg("init", "--ci", "gitlab", cwd=uv_workspace).returncode == 0
    config = yaml.safe_load((uv_workspace / ".gitlab-ci.yml").read_text())
    assert config["release"]["rules"] == [
        {"if": r"$CI_COMMIT_TAG =~ /^(alpha\-v|beta\-v|gamma\-v)[0-9]/"}
    ]
    commit_all(uv_workspace, "adopt release-guard")
    env = {
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "UV_NO_BUILD_ISOLATION": "1",
        "VIRTUAL_ENV": sys.prefix,
    }
    ok, log = run_gitlab_gate(uv_workspace, "beta-v1.2.0", env)
    assert ok, log
    built = sorted(path.name for path in (uv_workspace / "dist").iterdir())
    assert built == ["beta-1.2.0-py3-none-any.whl", "beta-1.2.0.tar.gz"]
    assert (uv_workspace / "release-notes.md").read_text() == "### Added\n\n- First release.\n"


def test_a_member_wheel_without_py_typed_fails_the_verify_step(uv_workspace: Path) -> None:
    """The seed's fourth mistake, on one member: its wheel lacks a file its release needs."""
    pyproject = uv_workspace / "packages/alpha/pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + '\n[tool.release-guard]\nwheel-files = ["alpha/__init__.py", "alpha/py.typed"]\n'
    )
    ran = run_ci_step(uv_workspace, "Build the wheel and sdist", "alpha-v1.0.0")
    assert ran.returncode == 0, ran.stderr
    verify = run_ci_step(uv_workspace, VERIFY_STEP, "alpha-v1.0.0")
    assert verify.returncode == 1
    assert "alpha: dist/alpha-1.0.0-py3-none-any.whl: RG405" in verify.stdout
    assert "alpha/py.typed" in verify.stdout


def test_git_processes_do_not_grow_with_the_number_of_package_tags(tmp_path: Path) -> None:
    """A release of many packages at once: one cat-file, one for-each-ref, whatever the count."""
    import os
    import stat

    repo = tmp_path / "many"
    files: dict[str, str | bytes] = {"pyproject.toml": ROOT_PYPROJECT}
    for number in range(12):
        files.update(member(f"p{number:02d}", f"1.{number}.0"))
    write(repo, files)
    git(repo, "init", "-q")
    commit_all(repo, "many")
    sha = git(repo, "rev-parse", "HEAD")
    real_git = subprocess.run(
        ["sh", "-c", "command -v git"], capture_output=True, text=True, check=True
    ).stdout.strip()
    shim = tmp_path / "shim"
    shim.mkdir()
    log = shim / "log"
    (shim / "git").write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real_git}" "$@"\n')
    (shim / "git").chmod((shim / "git").stat().st_mode | stat.S_IEXEC)
    env = {"PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}

    def processes(tags: list[str]) -> int:
        log.write_text("")
        lines = "".join(f"refs/tags/{tag} {sha} refs/tags/{tag} {ZERO}\n" for tag in tags)
        result = run_rg("tag-guard", cwd=repo, env=env, input=lines)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"judged {len(tags)} release tag" in result.stdout
        return len(log.read_text().splitlines())

    tags = [f"p{number:02d}-v1.{number}.0" for number in range(12)]
    assert processes(tags[:1]) == processes(tags) == 2  # cat-file --batch, for-each-ref


def test_tag_matching_names_longest_prefix_and_ignore_tags(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": ROOT_PYPROJECT
        + '\n[tool.release-guard]\nignore-tags = ["legacy-v*"]\n'
        + '\n[[tool.release-guard.packages]]\npath = "packages/pkg"\ntag-format = "pkg-{version}"\n'
        + '\n[[tool.release-guard.packages]]\npath = "packages/pkg-2"\n'
        + 'tag-format = "pkg-2-{version}"\n',
    }
    files.update(member("pkg", "1.0.0"))
    files.update(member("pkg-2", "3.0.0"))
    files.update(member("My_Tool", "0.5.0"))
    write(tmp_path, files)
    # pkg-2-3.0.0 also follows pkg-{version} (version "2-3.0.0"): the longer prefix wins
    assert run_rg("check", "--tag", "pkg-2-3.0.0", cwd=tmp_path).returncode == 0
    assert run_rg("check", "--tag", "pkg-1.0.0", cwd=tmp_path).returncode == 0
    # a name as written and as PEP 503 writes it
    assert run_rg("check", "--tag", "my-tool-v0.5.0", cwd=tmp_path).returncode == 0
    assert run_rg("check", "--tag", "My_Tool-v0.5.0", cwd=tmp_path).returncode == 0
    wrong = run_rg("check", "--tag", "My_Tool-v0.6.0", cwd=tmp_path)
    assert "My_Tool: packages/My_Tool/pyproject.toml:7: RG301" in wrong.stdout
    assert "(expected tag My_Tool-v0.5.0 for version 0.5.0)" in wrong.stdout

    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "initial")
    sha = git(tmp_path, "rev-parse", "HEAD")
    lines = "".join(
        f"refs/tags/{tag} {sha} refs/tags/{tag} {ZERO}\n" for tag in ("legacy-v0.1.0", "pkg-1.0.0")
    )
    guarded = run_rg("tag-guard", cwd=tmp_path, input=lines)
    assert guarded.returncode == 0, guarded.stdout + guarded.stderr
    assert "judged 1 release tag: pkg-1.0.0" in guarded.stdout


def test_uv_exclude_takes_a_member_out(uv_workspace: Path) -> None:
    write(uv_workspace, {"pyproject.toml": ROOT_PYPROJECT + 'exclude = ["packages/gamma"]\n'})
    assert run_rg("packages", cwd=uv_workspace).stdout == "packages/alpha\npackages/beta\n"
    result = run_rg("check", "--tag", "gamma-v0.3.0", cwd=uv_workspace)
    assert result.returncode == 1
    assert "follows no package's tag-format (alpha-v{version}, beta-v{version})" in result.stdout


# -- release.yml, run locally on a workspace -----------------------------------------------------


def test_release_workflow_publishes_only_the_tagged_package(
    uv_workspace: Path, tmp_path: Path
) -> None:
    """init's release.yml and ci.yml, run locally (tests/workflow_runner.py) for `beta-v1.2.0`:
    the gate passes, only beta is built, verified and published, with beta's notes."""
    from release_guard.resources import shipped_bytes
    from workflow_runner import LocalRunner

    write(
        uv_workspace,
        {
            # mypy configured with no files: the gate checks each member's src/
            "pyproject.toml": ROOT_PYPROJECT
            + "\n[tool.mypy]\nstrict = true\n"
            + '\n[tool.pytest.ini_options]\npythonpath = ["packages/alpha/src"]\n',
            ".pre-commit-config.yaml": LOCAL_HOOK_CONFIG,
            "tests/test_members.py": "import alpha\n\n\ndef test_alpha() -> None:\n"
            '    assert alpha.__version__ == "1.0.0"\n',
            ".github/workflows/ci.yml": shipped_bytes("ci.yml"),
        },
    )
    assert run_rg("init", cwd=uv_workspace).returncode == 0  # writes release.yml's trigger
    commit_all(uv_workspace, "adopt release-guard")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(uv_workspace, "tag", "-a", "beta-v1.2.0", "-m", "beta 1.2.0")
    git(uv_workspace, "push", "-q", str(remote), "HEAD:refs/heads/main", "refs/tags/beta-v1.2.0")

    caches = tmp_path / "caches"
    env = {"PRE_COMMIT_HOME": str(caches / "pre-commit"), "MYPY_CACHE_DIR": str(caches / "mypy")}
    replaced = {"Install the project and its tools": "the test environment's tools on PATH"}
    runner = LocalRunner(
        remote, "beta-v1.2.0", tmp_path / "run", Path(sys.executable).parent, replaced, env
    )
    result = runner.run(".github/workflows/release.yml")
    failed = result.failed_step()
    assert failed is None, failed.report()
    [call] = runner.gh_calls()
    assert call["tag"] == "beta-v1.2.0"
    assert sorted(call["files"]) == ["beta-1.2.0-py3-none-any.whl", "beta-1.2.0.tar.gz"]
    assert call["notes"].strip() == "### Added\n\n- First release."


def test_check_inside_a_member_judges_the_workspace(uv_workspace: Path) -> None:
    member_dir = uv_workspace / "packages/gamma/src"
    result = run_rg("check", "--tag", "gamma-v0.4.0", cwd=member_dir)
    assert result.returncode == 1
    assert "gamma: packages/gamma/pyproject.toml:7: RG301" in result.stdout


def test_changelog_dates_are_compared_with_the_package_own_tags(
    uv_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RG306 in CI: beta's old 1.0.0 tag says nothing about alpha's 1.0.0 section."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2025-01-01T12:00:00+00:00")
    git(uv_workspace, "commit", "-q", "--allow-empty", "-m", "an old beta release")
    git(uv_workspace, "tag", "beta-v1.0.0")
    result = run_rg("check", cwd=uv_workspace, env={"CI": "true"})
    assert result.returncode == 0, result.stdout
    # the same tag under alpha's name is alpha's, and far from its section's date
    git(uv_workspace, "tag", "alpha-v1.0.0")
    far = run_rg("check", cwd=uv_workspace, env={"CI": "true"})
    assert far.returncode == 1
    assert "alpha: packages/alpha/CHANGELOG.md:5: RG306" in far.stdout
