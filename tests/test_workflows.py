"""ci.yml and release.yml: linted offline, and release.yml run locally on real tags.

The local run (tests/workflow_runner.py) executes the `run:` steps of the tagged commit's
release.yml in order, in fresh clones from a bare remote, with the GITHUB_* variables of a
tag build and a recording stand-in for `gh`. docs/workflows.md says what it substitutes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]  # PyYAML comes with pre-commit
from packaging.version import Version

from conftest import LOCAL_HOOK_CONFIG, THEO_CHANGELOG, THEO_PYPROJECT, MakeProject, git, run_rg
from release_guard import __version__
from release_guard.fit import Fit, render
from release_guard.resources import shipped_bytes
from workflow_runner import LocalRunner, RunResult, Unsupported, assert_workflows_clean

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
TOOLS_BIN = Path(sys.executable).parent
INSTALL_STEP = "Install the project and its tools"
BUILD_TOOLS_STEP = "Install the build tools (not the project)"
PUBLISH_TOOLS_STEP = "Install release-guard (not the project)"
HASH_CHECK_STEP = "Check the files are the ones verified (sha256)"
HOOKS_STEP = "Hooks (pre-commit run --all-files)"
TESTS_STEP = "Tests (pytest)"
# The install step would pip-install the project and its tools: the test's own environment
# already holds the tools, and each clone's src/ goes on PYTHONPATH instead.
INSTALLED = dict.fromkeys(
    (INSTALL_STEP, BUILD_TOOLS_STEP, PUBLISH_TOOLS_STEP),
    "the test environment's tools on PATH, the clone's src/ on PYTHONPATH",
)

THEO_RELEASE_FILES: dict[str, str | bytes | None] = {
    "pyproject.toml": THEO_PYPROJECT.format(version="{version}")
    + """
[tool.release-guard]
wheel-files = ["theo/__init__.py", "theo/py.typed", "theo/_types.py", "theo/proto/stt_worker.proto"]
""",
    ".pre-commit-config.yaml": LOCAL_HOOK_CONFIG,
    "tests/test_version.py": """\
import theo


def test_version_is_set() -> None:
    assert theo.__version__
""",
    ".gitignore": "/dist/\n__pycache__/\n",
}
# What init fits for it: on main, v-tags, a test, no ruff or mypy, the PyPI job off.
THEO_FIT = Fit("main", "v{version}", "3.13", frozenset({"pytest"}), f"release-guard=={__version__}")
THEO_RELEASE_FILES_AS_IS = {
    **{
        name: text.replace("{version}", "0.1.0") if isinstance(text, str) else text
        for name, text in THEO_RELEASE_FILES.items()
    },
    "pyproject.toml": THEO_PYPROJECT.format(version="0.1.0"),  # no config block: init writes it
}
THEO_NOTES = "### Added\n\n- M1 foundation: types, interfaces, configs, exceptions, protobuf."


def load(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return workflow


def all_jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, job_id, job)
        for name in ("ci.yml", "release.yml")
        for job_id, job in load(name)["jobs"].items()
    ]


# -- static checks ---------------------------------------------------------------------


def test_actionlint_and_zizmor_report_nothing() -> None:
    assert_workflows_clean(sorted(map(str, WORKFLOWS.glob("*.yml"))), [str(WORKFLOWS)], str(ROOT))


def test_the_workflows_init_writes_are_clean_too(make_project: MakeProject) -> None:
    """A project's fitted copies (PyPI switch, dropped steps, bare tags) lint as clean."""
    root = make_project(files={"pyproject.toml": THEO_PYPROJECT.format(version="0.1.0")})
    git(root, "tag", "0.1.0")
    assert run_rg("init", cwd=root).returncode == 0
    workflows = root / ".github" / "workflows"
    assert_workflows_clean(sorted(map(str, workflows.glob("*.yml"))), [str(workflows)], str(root))


def test_actions_are_pinned_by_commit_with_their_version() -> None:
    uses = [
        (name, line.strip())
        for name in ("ci.yml", "release.yml")
        for line in (WORKFLOWS / name).read_text().splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]
    declared = [job.get("uses") for _, _, job in all_jobs()] + [
        step.get("uses") for _, _, job in all_jobs() for step in job.get("steps", [])
    ]
    assert len(uses) == len([entry for entry in declared if entry]) == 13
    pinned = re.compile(r"(- )?uses: ([\w-]+/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+|\$/\S+\.yml)")
    assert [entry for entry in uses if not pinned.fullmatch(entry[1])] == []


def test_permissions_are_least_and_only_publish_writes() -> None:
    assert [load(name)["permissions"] for name in ("ci.yml", "release.yml")] == [{}, {}]
    grants = {(name, job_id): job.get("permissions") for name, job_id, job in all_jobs()}
    assert None not in grants.values()
    writers = {key[1]: grant for key, grant in grants.items() if "write" in (grant or {}).values()}
    assert writers == {
        "publish": {"contents": "write"},
        "provenance": {"id-token": "write", "attestations": "write"},
        "pypi": {"id-token": "write"},
    }
    assert load("release.yml")["jobs"]["pypi"]["environment"] == {"name": "pypi"}


def test_no_expression_is_expanded_inside_run() -> None:
    runs = [
        step["run"] for _, _, job in all_jobs() for step in job.get("steps", []) if "run" in step
    ]
    assert len(runs) > 5
    assert [run for run in runs if "${{" in run] == []


def test_checkouts_keep_no_credentials_and_fetch_all_history() -> None:
    checkouts = [
        step["with"]
        for _, _, job in all_jobs()
        for step in job.get("steps", [])
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts == [{"fetch-depth": 0, "persist-credentials": False}] * 3


# -- the local run -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Caches shared by every local run of this module, as a runner's tool cache would be."""
    caches = tmp_path_factory.mktemp("caches")
    return {"PRE_COMMIT_HOME": str(caches / "pre-commit"), "MYPY_CACHE_DIR": str(caches / "mypy")}


def push_tag(repo: Path, remote: Path, tag: str) -> None:
    git(repo, "tag", "-a", tag, "-m", f"release {tag}")
    git(repo, "push", "-q", str(remote), "HEAD:refs/heads/main", f"refs/tags/{tag}")


def run_release(
    remote: Path,
    tag: str,
    run_dir: Path,
    env: dict[str, str],
    replaced: dict[str, str],
    variables: dict[str, str] | None = None,
) -> tuple[RunResult, LocalRunner]:
    runner = LocalRunner(
        remote, tag, run_dir, TOOLS_BIN, replaced, env, "example/project", variables
    )
    return runner.run(".github/workflows/release.yml"), runner


def assert_released(
    result: RunResult,
    runner: LocalRunner,
    tag: str,
    dists: set[str],
    pypi: bool = False,
    prerelease: bool = False,
) -> str:
    """Every step passed, the dists were attested, gh published the tag with them (and PyPI
    got them when its job is on); the notes gh received."""
    failed = result.failed_step()
    assert failed is None, failed.report()
    assert result.jobs == {
        "build / gate": "success",
        "build / dist": "success",
        "build": "success",
        "provenance": "success",
        "pypi": "success" if pypi else "skipped",
        "publish": "success",
    }
    executed = [(job, name) for job, name, status in result.statuses() if status == "success"]
    assert ("build / gate", HOOKS_STEP) in executed
    assert ("publish", HASH_CHECK_STEP) in executed
    assert [name for job, name in executed if job == "publish"][-1] == "Create the GitHub Release"
    [call] = runner.gh_calls()
    assert call["tag"] == tag
    assert call["options"] == {
        "--repo": "example/project",
        "--verify-tag": True,
        "--title": tag,
        "--notes-file": "release/release-notes.md",
        **({"--prerelease": True} if prerelease else {}),
    }
    assert set(call["files"]) == dists
    built = runner.artifacts / "dist" / "dist"
    hashes = {name: sha256(built / name) for name in dists}
    assert hashes == call["files"]
    assert {name: digest for one in runner.attested for name, digest in one.items()} == hashes
    published = {name: digest for one in runner.published_to_pypi for name, digest in one.items()}
    assert published == (hashes if pypi else {})
    notes: str = call["notes"]
    return notes


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_theo_release_tag_is_published(
    make_project: MakeProject, bare_remote: Path, tmp_path: Path, shared_env: dict[str, str]
) -> None:
    project = make_project(version="0.1.0", files=theo_release_files("0.1.0"))
    push_tag(project, bare_remote, "v0.1.0")
    result, runner = run_release(bare_remote, "v0.1.0", tmp_path / "run", shared_env, INSTALLED)
    dists = {"theo_openvoice-0.1.0-py3-none-any.whl", "theo_openvoice-0.1.0.tar.gz"}
    notes = assert_released(result, runner, "v0.1.0", dists)
    assert notes.strip() == THEO_NOTES
    assert [step.name for step in result.steps if step.status == "replaced"] == [
        INSTALL_STEP,
        BUILD_TOOLS_STEP,
        PUBLISH_TOOLS_STEP,
    ]


def test_a_pre_release_tag_is_published_as_a_pre_release(
    make_project: MakeProject, bare_remote: Path, tmp_path: Path, shared_env: dict[str, str]
) -> None:
    files = theo_release_files("0.2.0rc1")
    changelog = THEO_CHANGELOG.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n## [0.2.0rc1] - 2026-03-01\n\n- Worker.\n"
    )
    project = make_project(version="0.2.0rc1", files={**files, "CHANGELOG.md": changelog})
    push_tag(project, bare_remote, "v0.2.0rc1")
    result, runner = run_release(bare_remote, "v0.2.0rc1", tmp_path / "run", shared_env, INSTALLED)
    dists = {"theo_openvoice-0.2.0rc1-py3-none-any.whl", "theo_openvoice-0.2.0rc1.tar.gz"}
    notes = assert_released(result, runner, "v0.2.0rc1", dists, prerelease=True)
    assert notes.strip() == "- Worker."


def test_the_pypi_job_runs_once_switched_on(
    make_project: MakeProject, bare_remote: Path, tmp_path: Path, shared_env: dict[str, str]
) -> None:
    project = make_project(version="0.1.0", files=theo_release_files("0.1.0"))
    push_tag(project, bare_remote, "v0.1.0")
    switched_on = {"PUBLISH_TO_PYPI": "true"}
    result, runner = run_release(
        bare_remote, "v0.1.0", tmp_path / "run", shared_env, INSTALLED, switched_on
    )
    dists = {"theo_openvoice-0.1.0-py3-none-any.whl", "theo_openvoice-0.1.0.tar.gz"}
    assert_released(result, runner, "v0.1.0", dists, pypi=True)


def test_init_s_workflows_release_bare_tags_on_master_without_ruff_or_mypy(
    make_project: MakeProject, bare_remote: Path, tmp_path: Path, shared_env: dict[str, str]
) -> None:
    project = make_project(version="0.1.0", files=dict(THEO_RELEASE_FILES_AS_IS))
    git(project, "branch", "-m", "master")
    git(project, "tag", "0.0.9")  # the project's tags are bare versions
    init = run_rg("init", cwd=project)
    assert init.returncode == 0, init.stdout + init.stderr
    ci = (project / ".github/workflows/ci.yml").read_text()
    assert "ruff" not in ci.replace("ruff/mypy", "")
    assert "Types (mypy)" not in ci
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Adopt release-guard")
    push_tag(project, bare_remote, "0.1.0")
    result, runner = run_release(bare_remote, "0.1.0", tmp_path / "run", shared_env, INSTALLED)
    dists = {"theo_openvoice-0.1.0-py3-none-any.whl", "theo_openvoice-0.1.0.tar.gz"}
    assert_released(result, runner, "0.1.0", dists)
    ran = [name for job, name, status in result.statuses() if job == "build / gate"]
    assert TESTS_STEP in ran
    assert not [name for name in ran if "ruff" in name or "mypy" in name]


@pytest.mark.parametrize(
    ("version", "tag", "code"),
    [
        pytest.param("0.1.0", "v0.1.1", "RG301", id="tag-names-another-version"),
        pytest.param("0.2.0", "v0.2.0", "RG302", id="changelog-has-no-section"),
    ],
)
def test_bad_release_tag_fails_at_the_hooks_step(
    make_project: MakeProject,
    bare_remote: Path,
    tmp_path: Path,
    shared_env: dict[str, str],
    version: str,
    tag: str,
    code: str,
) -> None:
    project = make_project(version=version, files=theo_release_files(version))
    push_tag(project, bare_remote, tag)
    result, runner = run_release(bare_remote, tag, tmp_path / "run", shared_env, INSTALLED)
    failed = result.failed_step()
    assert failed is not None
    assert (failed.job, failed.name) == ("build / gate", HOOKS_STEP)
    assert code in failed.output, failed.report()
    assert result.jobs == {
        "build / gate": "failure",
        "build / dist": "skipped",
        "build": "failure",
        "provenance": "skipped",
        "pypi": "skipped",
        "publish": "skipped",
    }
    after = result.statuses()[result.steps.index(failed) + 1 :]
    assert {status for _, _, status in after} == {"skipped"}
    assert runner.gh_calls() == []
    assert not (runner.artifacts / "dist").exists()


# A step slipped in after verification, as a compromised build tool or a process it left
# behind could act: a backdoor added to the wheel (RECORD kept consistent, so the wheel
# still looks whole) and the notes rewritten.
TAMPER_STEP = """\
      - name: Tamper with the verified files
        run: |
          python - <<'PY'
          import base64, glob, hashlib, zipfile
          wheel = glob.glob("dist/*.whl")[0]
          with zipfile.ZipFile(wheel) as source:
              entries = {info.filename: source.read(info) for info in source.infolist()}
          entries["theo/_backdoor.py"] = b"import os\\n"
          record = next(name for name in entries if name.endswith(".dist-info/RECORD"))
          rows = []
          for name, data in entries.items():
              if name != record:
                  digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                  rows.append(f"{name},sha256={digest.decode()},{len(data)}")
          entries[record] = ("\\n".join(rows) + f"\\n{record},,\\n").encode()
          with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
              for name, data in entries.items():
                  target.writestr(name, data)
          open("release-notes.md", "w").write("Nothing to see here.\\n")
          PY

"""


def test_files_rewritten_after_verification_are_not_published(
    make_project: MakeProject, bare_remote: Path, tmp_path: Path, shared_env: dict[str, str]
) -> None:
    """The tamper scenario: the publish job finds the downloaded files are not the ones
    verified, fails, and gh publishes nothing."""
    files = theo_release_files("0.1.0")
    ci = shipped_bytes("ci.yml").decode()
    upload = "      - name: Upload the wheel, sdist and notes\n"
    assert upload in ci
    files[".github/workflows/ci.yml"] = ci.replace(upload, TAMPER_STEP + upload)
    project = make_project(version="0.1.0", files=files)
    push_tag(project, bare_remote, "v0.1.0")
    result, runner = run_release(bare_remote, "v0.1.0", tmp_path / "run", shared_env, INSTALLED)
    failed = result.failed_step()
    assert failed is not None
    assert (failed.job, failed.name) == ("publish", HASH_CHECK_STEP), failed.report()
    assert "FAILED" in failed.output  # sha256sum names the rewritten files
    assert result.jobs["build / dist"] == "success"  # the tampering itself went unnoticed there
    assert result.jobs["publish"] == "failure"
    assert runner.gh_calls() == []
    # the artifact did carry the tampered wheel: only the hash check stood in its way
    [wheel] = (runner.artifacts / "dist" / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "theo/_backdoor.py" in archive.namelist()


def theo_release_files(version: str) -> dict[str, str | bytes | None]:
    """A Theo-like project set up as `release-guard init` would: with the shipped workflows."""
    files: dict[str, str | bytes | None] = {
        name: text.replace("{version}", version) if isinstance(text, str) else text
        for name, text in THEO_RELEASE_FILES.items()
    }
    for name in ("ci.yml", "release.yml"):
        files[f".github/workflows/{name}"] = render(name, shipped_bytes(name), THEO_FIT)
    return files


def test_release_guard_releases_itself(
    tmp_path: Path, bare_remote: Path, shared_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # released and tagged today, the day `prepare` dates it (RG306), not on the fixtures' day
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    clone = tmp_path / "release-guard"
    # Without tags: in CI, the checkout of a release tag already holds that tag.
    git(tmp_path, "clone", "-q", "--no-tags", str(ROOT), str(clone))
    version = make_release_commit(clone)
    tag = f"v{version}"
    push_tag(clone, bare_remote, tag)
    # The outer run of the pytest step is this very test suite: the inner one would recurse.
    replaced = {**INSTALLED, TESTS_STEP: "this test suite is that step's run"}
    result, runner = run_release(bare_remote, tag, tmp_path / "run", shared_env, replaced)
    wheel = f"release_guard-{version}-py3-none-any.whl"
    notes = assert_released(
        result, runner, tag, {wheel, f"release_guard-{version}.tar.gz"}, pypi=True
    )
    # The notes of this changelog are judged by the notes tests; here: gh gets them unchanged.
    expected = run_rg("notes", tag, cwd=clone)
    assert expected.returncode == 0, expected.stderr
    assert notes == expected.stdout
    with zipfile.ZipFile(runner.artifacts / "dist" / "dist" / wheel) as archive:
        for name in ("ci.yml", "release.yml"):
            shipped = archive.read(f"release_guard/templates/{name}")
            assert shipped == (clone / ".github" / "workflows" / name).read_bytes()


def make_release_commit(repo: Path) -> str:
    """Make HEAD a release commit, the way the release checklist does: X.Y.Z.devN becomes
    X.Y.Z; a final version whose [Unreleased] holds entries (work after a release) becomes the
    next patch; a commit that passes the release rules already is released as it is."""
    current = _version_of(repo)
    parsed = Version(current)
    if parsed.is_prerelease:
        target = parsed.base_version
    elif run_rg("check", "--tag", f"v{current}", cwd=repo).returncode == 0:
        return current
    else:
        target = "patch"
    # Dated in UTC, as `check` judges dates (prepare's default is the local day).
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    result = run_rg("prepare", target, "--date", today, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    version = _version_of(repo)
    git(repo, "commit", "-qam", f"release: v{version}")
    return version


def _version_of(repo: Path) -> str:
    current = re.search(r'(?m)^version = "([^"]+)"', (repo / "pyproject.toml").read_text())
    assert current is not None
    return current.group(1)


CHECKOUT = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8"


@pytest.mark.parametrize(
    ("steps", "replaced", "message"),
    [
        pytest.param(
            "      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830\n",
            {},
            "actions/cache@.* is not emulated",
            id="unknown-action",
        ),
        pytest.param(
            f"      - uses: {CHECKOUT}\n",
            {},
            "without persist-credentials: false",
            id="credentials-kept",
        ),
        pytest.param(
            '      - run: echo "$M"\n        env:\n          M: ${{ github.event.head_commit.message }}\n',
            {},
            "github.event.head_commit.message.* is not emulated",
            id="unknown-expression",
        ),
        pytest.param(
            '      - run: echo "X=1" >> "$GITHUB_ENV"\n',
            {},
            "writes GITHUB_ENV",
            id="environment-file",
        ),
        pytest.param(
            "      - run: 'true'\n", {"Tests": "-"}, "no step named", id="replaced-step-gone"
        ),
    ],
)
def test_local_runner_refuses_what_it_does_not_emulate(
    make_project: MakeProject,
    bare_remote: Path,
    tmp_path: Path,
    steps: str,
    replaced: dict[str, str],
    message: str,
) -> None:
    workflow = (
        "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n"
        f"    steps:\n{steps}"
    )
    project = make_project(files={".github/workflows/release.yml": workflow})
    push_tag(project, bare_remote, "v0.1.0")
    with pytest.raises(Unsupported, match=message):
        run_release(bare_remote, "v0.1.0", tmp_path / "run", {}, replaced)


# -- GitLab CI: init --ci gitlab, and the gate's script run locally -----------------------------


def run_gitlab_gate(project: Path, tag: str, env: dict[str, str]) -> tuple[bool, str]:
    """The gate job's script lines, in order, as GitLab's shell runs them in a tag pipeline;
    the install lines are the test environment's tools (as for the GitHub runs)."""
    config = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert set(config["stages"]) == {"gate", "release"}
    lines = [line for line in config["gate"]["script"] if "pip install" not in line]
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST_"))},
        **env,
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_COMMIT_TAG": tag,
        "PATH": os.pathsep.join([str(TOOLS_BIN), os.environ["PATH"]]),
        "PYTHONPATH": str(project / "src"),
    }
    log = []
    for line in lines:
        step = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", line],
            cwd=project,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        log.append(f"$ {line}\n{step.stdout}{step.stderr}")
        if step.returncode != 0:
            return False, "\n".join(log)
    return True, "\n".join(log)


@pytest.fixture
def gitlab_project(make_project: MakeProject) -> Path:
    project = make_project(version="0.1.0", files=dict(THEO_RELEASE_FILES_AS_IS))
    git(project, "branch", "-m", "master")
    git(project, "tag", "0.0.9")  # bare-version tags
    init = run_rg("init", "--ci", "gitlab", cwd=project)
    assert init.returncode == 0, init.stdout + init.stderr
    return project


def test_init_ci_gitlab_fits_the_pipeline(gitlab_project: Path) -> None:
    assert not (gitlab_project / ".github").exists()
    text = (gitlab_project / ".gitlab-ci.yml").read_text()
    config = yaml.safe_load(text)
    assert config["workflow"]["rules"][1] == {"if": '$CI_COMMIT_BRANCH == "master"'}
    assert config["workflow"]["rules"][2] == {"if": "$CI_COMMIT_TAG =~ /^[0-9]/"}
    assert config["release"]["rules"] == [{"if": "$CI_COMMIT_TAG =~ /^[0-9]/"}]
    assert config["gate"]["image"] == "python:3.13"
    assert config["variables"]["RELEASE_GUARD"] == f"release-guard=={__version__}"
    script = config["gate"]["script"]
    assert "python -m pytest" in script
    assert not [line for line in script if "ruff" in line or "mypy" in line]
    assert config["gate"]["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}


def test_gitlab_gate_passes_a_release_tag(gitlab_project: Path, shared_env: dict[str, str]) -> None:
    git(gitlab_project, "add", "-A")
    git(gitlab_project, "commit", "-qm", "Adopt release-guard")
    ok, log = run_gitlab_gate(gitlab_project, "0.1.0", shared_env)
    assert ok, log
    assert json.loads((gitlab_project / "gl-code-quality-report.json").read_text()) == []
    assert (gitlab_project / "release-notes.md").read_text().strip() == THEO_NOTES
    assert sorted(p.name for p in (gitlab_project / "dist").iterdir()) == [
        "theo_openvoice-0.1.0-py3-none-any.whl",
        "theo_openvoice-0.1.0.tar.gz",
    ]


def test_gitlab_gate_stops_a_wrong_tag_first(
    gitlab_project: Path, shared_env: dict[str, str]
) -> None:
    git(gitlab_project, "add", "-A")
    git(gitlab_project, "commit", "-qm", "Adopt release-guard")
    ok, log = run_gitlab_gate(gitlab_project, "0.2.0", shared_env)
    assert not ok
    assert log.count("$ ") == 1  # the first line: release-guard check
    assert "RG301" in log
    [issue] = json.loads((gitlab_project / "gl-code-quality-report.json").read_text())
    assert issue["check_name"] == "RG301"
    assert not (gitlab_project / "dist").exists()
