"""Hostile repositories: names, paths and objects shaped to fool the guard, real git throughout."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THEO_CHANGELOG, THEO_PYPROJECT, MakeProject, git, run_rg, theo_files, write
from release_guard.source import CatFile, GitCommit, git_failure
from release_guard.tagguard import parse_pushed_refs
from test_tagguard import ZERO, assert_refused, connect, install_guard, push, remote_tags


@pytest.fixture
def guarded(make_project: MakeProject, bare_remote: Path) -> Path:
    """A Theo project at 0.1.0 (release-ready), origin connected, the guard installed."""
    repo = make_project()
    connect(repo, bare_remote)
    install_guard(repo)
    return repo


# -- git's stdin, split as git writes it -------------------------------------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\u2000", "\u3000", "\u0085", "\u2028"])
def test_a_tag_name_ending_in_unicode_whitespace_is_judged_by_its_real_name(
    guarded: Path, bare_remote: Path, space: str
) -> None:
    """git pushes `v0.1.0` + the space; judging `v0.1.0` instead would let it through."""
    name = f"v0.1.0{space}"
    git(guarded, "tag", name)
    refused = push(guarded, name)
    assert_refused(refused, "RG301")
    assert remote_tags(bare_remote) == set()


@pytest.mark.parametrize(
    "line",
    [
        "refs/tags/v0.1.0  {sha} refs/tags/v0.1.0 {zero}",  # two spaces
        "refs/tags/v0.1.0\t{sha} refs/tags/v0.1.0 {zero}",  # a tab
        "refs/tags/v0.1.0 {sha} refs/tags/v0.1.0 {zero} ",  # a trailing space
    ],
    ids=["two-spaces", "tab", "trailing-space"],
)
def test_a_line_git_would_not_write_is_refused(guarded: Path, line: str) -> None:
    sha = git(guarded, "rev-parse", "HEAD")
    result = run_rg("tag-guard", cwd=guarded, input=line.format(sha=sha, zero=ZERO) + "\n")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG006" in result.stderr
    assert "line 1 of the input is not" in result.stderr


# -- git cat-file's answers, read by their grammar -----------------------------------------------


def test_paths_with_spaces_and_non_utf8_bytes_are_read_as_git_names_them(
    guarded: Path, bare_remote: Path
) -> None:
    """`src/My Docs/__init__.py` is missing (`<name> missing`, spaces in the name); a directory
    named in latin-1 is listed and asked for by its bytes: a valid release goes through."""
    # no packages configured: the guard lists src/ to find the package
    pyproject = THEO_PYPROJECT.format(version="0.1.0").split("[tool.hatch")[0]
    write(guarded, {"src/My Docs/readme.txt": "notes\n", "pyproject.toml": pyproject})
    latin1 = os.fsdecode(b"src/caf\xe9")
    os.makedirs(os.path.join(guarded, latin1))
    Path(guarded, latin1, "data.txt").write_text("x\n")
    git(guarded, "add", "-A")
    git(guarded, "commit", "-qm", "odd paths")
    git(guarded, "tag", "v0.1.0")
    pushed = push(guarded, "main", "v0.1.0")
    assert pushed.returncode == 0, pushed.stderr
    assert "Traceback" not in pushed.stderr
    assert remote_tags(bare_remote) == {"v0.1.0"}


def test_cat_file_answers_missing_for_a_name_with_spaces_and_reads_bytes_names(
    make_project: MakeProject,
) -> None:
    repo = make_project(files={"src/My Docs/a b.txt": "spaced\n", "x missing": "there\n"})
    head = git(repo, "rev-parse", "HEAD")
    with CatFile(str(repo)) as cat_file:
        assert cat_file.get(f"{head}:src/My Docs/missing one") is None
        assert cat_file.get(f"{head}:y missing") is None  # answered `<name> missing missing`
        found_there = cat_file.get(f"{head}:x missing")
        assert found_there is not None
        assert found_there[2] == b"there\n"
        assert cat_file.get(f"{head}:no such file") is None
        found = cat_file.get(f"{head}:src/My Docs/a b.txt")
        assert found is not None
        assert found[1:] == ("blob", b"spaced\n")
        commit = GitCommit(cat_file, head, label="HEAD")
        assert commit.read_bytes(os.fsdecode(b"src/caf\xe9/__init__.py")) is None


def _max_rss_of_tag_guard(repo: Path, stdin: str) -> tuple[int, str]:
    """(peak resident KiB, output) of the guard in a Python process of its own: VmHWM belongs
    to the process image (ru_maxrss would keep pytest's own size across the exec)."""
    script = (
        "import re, sys\n"
        "from release_guard.cli import main\n"
        "code = main(['tag-guard'])\n"
        "sys.stdout.flush()\n"
        "status = open('/proc/self/status').read()\n"
        "print('max_rss', re.search(r'VmHWM:\\s*(\\d+)', status).group(1), file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=repo, input=stdin, capture_output=True, text=True
    )
    rss = int(result.stderr.rsplit("max_rss ", 1)[1].split()[0])
    return rss, result.stdout + result.stderr


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads Linux's VmHWM")
def test_a_huge_blob_is_refused_by_its_size_without_holding_it(make_project: MakeProject) -> None:
    """cat-file gives the size first: a 96 MiB changelog never sits in the guard's memory."""
    repo = make_project()
    huge = Path(repo, "CHANGELOG.md")
    with huge.open("ab") as handle:
        handle.write(b"- more.\n" * (12 * 1024 * 1024))
    git(repo, "commit", "-qam", "huge changelog")
    git(repo, "tag", "v0.1.0")
    sha = git(repo, "rev-parse", "v0.1.0")
    rss, output = _max_rss_of_tag_guard(repo, f"refs/tags/v0.1.0 {sha} refs/tags/v0.1.0 {ZERO}\n")
    assert "RG002" in output
    assert "too large" in output
    assert rss < 64 * 1024, f"peak RSS {rss} KiB"


# -- printed commands: pasting one runs exactly what it says ------------------------------------

# `$(>pwned)` creates a file when a shell expands it, and git accepts it in ref names.
PAYLOAD = "$(>pwned)"


def _next_steps(output: str) -> list[str]:
    lines = output.split("Next:\n", 1)[1].splitlines()
    return [line.strip() for line in lines if line.startswith("  git ")]


def test_prepare_prints_commands_that_run_as_they_read(
    make_project: MakeProject, bare_remote: Path
) -> None:
    """A branch and a tag-format holding shell syntax: the printed commit, annotated tag and
    push, run by a shell, make the release and nothing else."""
    changelog = THEO_CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n")
    pyproject = THEO_PYPROJECT.format(version="0.1.0")
    pyproject += f'\n[tool.release-guard]\ntag-format = "v{{version}}{PAYLOAD}"\n'
    repo = make_project(files={"CHANGELOG.md": changelog, "pyproject.toml": pyproject})
    branch = f"rel{PAYLOAD}"
    git(repo, "checkout", "-qb", branch)
    git(repo, "remote", "add", "origin", str(bare_remote))
    result = run_rg("prepare", "minor", "--date", "2026-03-01", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    tag = f"v0.2.0{PAYLOAD}"
    steps = _next_steps(result.stdout)
    assert [shlex.split(step)[1] for step in steps] == ["commit", "tag", "push"]
    assert shlex.split(steps[1]) == ["git", "tag", "-a", tag, "-m", "release 0.2.0"]
    assert shlex.split(steps[2]) == ["git", "push", "origin", branch, tag]
    for step in steps:
        ran = subprocess.run(["sh", "-c", step], cwd=repo, capture_output=True, text=True)
        assert ran.returncode == 0, step + ran.stderr
    assert not (repo / "pwned").exists()
    assert git(repo, "cat-file", "-t", tag) == "tag"  # annotated: --follow-tags would carry it
    assert remote_tags(bare_remote) == {tag}
    assert git(repo, "status", "--porcelain") == ""  # the commit took every release file


def test_the_guards_retag_hint_quotes_the_tag(guarded: Path) -> None:
    tag = f"v0.2.0{PAYLOAD}"
    git(guarded, "tag", tag)
    refused = push(guarded, tag)
    assert_refused(refused)
    (hint,) = [line.strip() for line in refused.stderr.splitlines() if line.startswith("  git tag")]
    delete, _, retag = hint.partition(" && ")
    assert shlex.split(delete) == ["git", "tag", "-d", tag]
    assert shlex.split(retag, comments=True) == ["git", "tag", tag, "COMMIT"]
    subprocess.run(["sh", "-c", hint], cwd=guarded, capture_output=True, check=False)
    assert not (guarded / "pwned").exists()
    assert git(guarded, "tag", "--list", tag) == ""  # the delete ran on the real name


# -- notes --output writes regular files only -----------------------------------------------------


def _notes_to(repo: Path, output: str) -> subprocess.CompletedProcess[str]:
    return run_rg("notes", "0.1.0", "--output", output, cwd=repo)


def test_notes_output_refuses_a_symlink_and_leaves_it_and_its_target(
    make_project: MakeProject, tmp_path: Path
) -> None:
    repo = make_project()
    target = tmp_path / "elsewhere.md"
    target.write_text("keep me\n")
    (repo / "notes.md").symlink_to(target)
    result = _notes_to(repo, "notes.md")
    assert result.returncode == 2, result.stderr
    assert "notes.md: RG608" in result.stderr
    assert "symbolic link" in result.stderr
    assert (repo / "notes.md").is_symlink()
    assert target.read_text() == "keep me\n"


def test_notes_output_refuses_a_fifo_without_hanging(make_project: MakeProject) -> None:
    repo = make_project()
    os.mkfifo(repo / "notes.fifo")
    result = _notes_to(repo, "notes.fifo")
    assert result.returncode == 2, result.stderr
    assert "RG608" in result.stderr
    assert "FIFO" in result.stderr
    assert stat.S_ISFIFO(os.lstat(repo / "notes.fifo").st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root makes a device node")
def test_notes_output_refuses_a_device(make_project: MakeProject) -> None:
    """A node like /dev/null, made here: as root, the old write replaced it by a file."""
    repo = make_project()
    device = repo / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = _notes_to(repo, "null")
    assert result.returncode == 2, result.stderr
    assert "RG608" in result.stderr
    assert "device" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_notes_output_errors_carry_codes(make_project: MakeProject) -> None:
    repo = make_project()
    (repo / "taken").mkdir()
    for output, code in (
        ("no/such/dir/notes.md", "RG608"),
        ("taken", "RG608"),
        ("CHANGELOG.md", "RG608"),
    ):
        result = _notes_to(repo, output)
        assert result.returncode == 2, result.stderr
        assert f"{output}: {code} " in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


# -- messages that say what happened ---------------------------------------------------------------


def test_a_hook_that_cannot_be_written_says_so_with_a_hint_that_fits(
    make_project: MakeProject,
) -> None:
    repo = make_project()
    git(repo, "config", "core.hooksPath", "/proc/self")  # exists, and nobody writes there
    result = run_rg("install", cwd=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG606 cannot write /proc/self/pre-push" in result.stderr
    assert "UTF-8" not in result.stderr  # the hint of unreadable input files
    assert "help: " in result.stderr


@pytest.mark.parametrize(
    ("returncode", "stderr", "expected"),
    [
        (128, "warning: x\nfatal: not a git repository\n", "fatal: not a git repository"),
        (1, "", "exit status 1"),
        (-25, "", "killed by SIGXFSZ"),
    ],
)
def test_a_git_failure_is_described_even_when_git_says_nothing(
    returncode: int, stderr: str, expected: str
) -> None:
    assert git_failure(returncode, stderr) == expected


LATIN1_INIT = b'# -*- coding: latin-1 -*-\n"""Th\xe9o."""\n\n__version__ = "0.1.0"\n'


def test_a_latin1_version_file_with_its_coding_declaration_is_read_and_kept(
    make_project: MakeProject,
) -> None:
    changelog = THEO_CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n")
    repo = make_project(files={"src/theo/__init__.py": LATIN1_INIT, "CHANGELOG.md": changelog})
    checked = run_rg("check", cwd=repo)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    prepared = run_rg("prepare", "minor", cwd=repo)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    after = (repo / "src/theo/__init__.py").read_bytes()
    assert after == LATIN1_INIT.replace(b"0.1.0", b"0.2.0")


def test_a_version_file_that_breaks_its_own_coding_declaration(make_project: MakeProject) -> None:
    wrong = b'# coding: ascii\n"""Th\xc3\xa9o."""\n__version__ = "0.1.0"\n'
    unknown = b'# coding: klingon\n__version__ = "0.1.0"\n'
    for content, message in (
        (wrong, "src/theo/__init__.py is not ascii, as its coding declaration says (byte 0xc3"),
        (unknown, "src/theo/__init__.py declares an unknown encoding 'klingon'"),
    ):
        repo = make_project(files={"src/theo/__init__.py": content})
        result = run_rg("check", cwd=repo)
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"RG002 {message}" in result.stdout + result.stderr


# -- inputs that once took super-linear time: the answers stay right ------------------------------


def test_prepares_findings_point_at_the_lines_as_they_are_now(make_project: MakeProject) -> None:
    """One line mapping per planned file (not one diff per finding), still exact: the heading
    prepare inserts above them does not shift the lines the findings name (RG205, a version
    repeated: one finding per repeat)."""
    repeated = "".join(f"## [0.0.1] - 2020-01-0{k}\n\n- Change {k}.\n\n" for k in range(9, 0, -1))
    changelog = THEO_CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n\n")
    changelog += "\n" + repeated
    repo = make_project(files={"CHANGELOG.md": changelog})
    result = run_rg("prepare", "minor", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = (repo / "CHANGELOG.md").read_text().split("\n")
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "RG205"]
    assert len(found) == 8  # every repeat of the first [0.0.1]
    for finding in found:
        assert lines[finding["line"] - 1].startswith("## [0.0.1] - 2020-01-0"), finding


def test_prepare_sees_uncommitted_files_of_a_project_in_a_subdirectory(tmp_path: Path) -> None:
    """One `git status` for the whole project, its paths taken relative to the project, among
    files named in bytes that are not UTF-8."""
    repo = tmp_path / "mono"
    project_dir = repo / "packages" / "theo one"
    changelog = THEO_CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n")
    write(project_dir, {**theo_files(), "CHANGELOG.md": changelog})
    (project_dir / os.fsdecode(b"caf\xe9.txt")).write_text("untracked\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    init = project_dir / "src/theo/__init__.py"
    init.write_text(init.read_text() + "# edited\n")
    refused = run_rg("prepare", "minor", cwd=project_dir)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "RG604 uncommitted changes in src/theo/__init__.py" in refused.stdout + refused.stderr
    git(repo, "commit", "-qam", "edit")
    prepared = run_rg("prepare", "minor", cwd=project_dir)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr


def test_init_refuses_yaml_aliases_without_expanding_them(make_project: MakeProject) -> None:
    """30 nested aliases: a billion nodes once expanded, which comparing documents did."""
    pytest.importorskip("yaml", reason="init proves its edit only with PyYAML at hand")
    lines = ["base: &a0 [x]"] + [f"a{k}: &a{k} [*a{k - 1}, *a{k - 1}]" for k in range(1, 31)]
    config = "\n".join(lines) + "\nrepos:\n  - repo: local\n    hooks: []\n"
    repo = make_project(files={".pre-commit-config.yaml": config})
    result = run_rg("init", "--dry-run", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "uses YAML aliases (line 2): init does not expand them" in output
    assert "- id: release-guard" in output  # the item to add by hand


UNICODE_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in " \n"]


@pytest.mark.parametrize("space", UNICODE_SPACES, ids=[f"U+{ord(c):04X}" for c in UNICODE_SPACES])
def test_every_unicode_space_stays_part_of_the_ref_name(space: str) -> None:
    sha = "1" * 40
    name = f"refs/tags/v0.1.0{space}x{space}"
    (ref,) = parse_pushed_refs(f"{name} {sha} {name} {ZERO}\n")
    assert ref.tag == f"v0.1.0{space}x{space}"
