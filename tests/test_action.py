"""action.yml, the composite action: linted, and its steps run locally on a real project.

The install step runs for real once (a venv, and pip installing this checkout as the action's
own commit); the other runs reuse that environment. tests/workflow_runner.py emulates the rest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MakeProject, git
from workflow_runner import ActionRun, assert_workflows_clean, run_composite_action

ROOT = Path(__file__).resolve().parents[1]
INSTALL_STEP = "Install release-guard from this action's commit"


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    root = make_project()
    git(root, "tag", "-a", "v0.1.0", "-m", "v0.1.0")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", "dist", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return root


def run_action(
    project: Path, runner_temp: Path, inputs: dict[str, str], tag: str | None = "v0.1.0"
) -> ActionRun:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GITHUB_", "RUNNER_", "PYTHON", "PYTEST_", "VIRTUAL_ENV"))
    }
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(project),
        RUNNER_TEMP=str(runner_temp),
        GITHUB_REF_TYPE="tag" if tag else "branch",
        GITHUB_REF_NAME=tag or "main",
    )
    installed = (runner_temp / "release-guard" / "bin" / "release-guard").exists()
    return run_composite_action(
        ROOT, inputs, project, env, done={INSTALL_STEP} if installed else set()
    )


def output_of(run: ActionRun) -> str:
    return "\n".join(step.output for step in run.steps)


def test_check_in_a_tag_build_installs_and_passes(project: Path, runner_temp: Path) -> None:
    run = run_action(project, runner_temp, {})
    assert [step.status for step in run.steps] in (
        ["success", "success"],
        ["replaced", "success"],
    ), output_of(run)
    assert run.outputs == {"version": "0.1.0", "notes-file": ""}
    assert (runner_temp / "release-guard" / "bin" / "release-guard").exists()


def test_check_refuses_a_tag_naming_another_version(project: Path, runner_temp: Path) -> None:
    run = run_action(project, runner_temp, {"tag": "v0.2.0"})
    assert run.steps[-1].status == "failure"
    assert "::error file=pyproject.toml" in run.steps[-1].output
    assert "RG301" in run.steps[-1].output
    assert run.outputs["version"] == "0.2.0"


def test_verify_dist_with_globs(project: Path, runner_temp: Path) -> None:
    run = run_action(
        project, runner_temp, {"command": "verify-dist", "dists": "dist/*.whl dist/*.tar.gz"}
    )
    assert run.steps[-1].status == "success", output_of(run)
    shutil.rmtree(project / "dist")
    missing = run_action(project, runner_temp, {"command": "verify-dist", "format": "text"})
    assert missing.steps[-1].status == "failure"
    assert "RG401" in missing.steps[-1].output


def test_notes_are_written_to_the_notes_file(project: Path, runner_temp: Path) -> None:
    run = run_action(project, runner_temp, {"command": "notes"})
    assert run.steps[-1].status == "success", output_of(run)
    notes = Path(run.outputs["notes-file"]).read_text()
    assert "M1 foundation" in notes
    untagged = run_action(project, runner_temp, {"command": "notes"}, tag=None)
    assert untagged.steps[-1].status == "failure"
    assert "notes needs a tag" in untagged.steps[-1].output


def test_an_unknown_command_fails(project: Path, runner_temp: Path) -> None:
    run = run_action(project, runner_temp, {"command": "publish"})
    assert run.steps[-1].status == "failure"
    assert "unknown command 'publish'" in run.steps[-1].output


def test_linted_as_a_caller_uses_it(tmp_path: Path) -> None:
    """actionlint checks an action's metadata and inputs where a workflow uses it; zizmor
    audits action.yml itself."""
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "use.yml").write_text(
        "on: push\npermissions: {}\njobs:\n  guard:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: ./\n        id: guard\n        with:\n"
        "          command: notes\n          tag: v1.0.0\n"
        '      - run: test -s "$NOTES"\n        env:\n'
        "          NOTES: ${{ steps.guard.outputs.notes-file }}\n"
    )
    assert_workflows_clean([str(workflows / "use.yml")], [str(ROOT / "action.yml")], str(tmp_path))
