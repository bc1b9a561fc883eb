"""Run a GitHub Actions workflow's `run:` steps locally, as a push of a tag would run them.

GitHub cannot be reached from the test machine, so this emulates just enough of a runner for
this repository's ci.yml and release.yml; docs/workflows.md ("The local run") says what is
emulated, substituted or skipped. Anything else a workflow asks for (another action, an
expression form, a shell, a key the emulation does not know) raises `Unsupported`, so a
workflow edit that outgrows the emulation fails the tests instead of passing unexamined.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Collection, Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Callable, NamedTuple

import yaml  # type: ignore[import-untyped]  # PyYAML comes with pre-commit

# What `gh` receives in the publish job: a stand-in records it instead of calling GitHub.
GH_STANDIN = """\
#!{python}
import hashlib, json, os, sys

VALUED = {{"--repo", "-R", "--title", "-t", "--notes-file", "-F", "--notes", "-n", "--target"}}
FLAGS = {{"--verify-tag", "--prerelease", "--draft", "--latest", "--generate-notes"}}
args = sys.argv[1:]
if args[:2] != ["release", "create"]:
    sys.exit(f"gh stand-in: only `gh release create` is emulated, got {{args}}")
if not os.environ.get("GH_TOKEN"):
    sys.exit("gh stand-in: GH_TOKEN is not set: the real gh could not authenticate")
options, positional, rest = {{}}, [], args[2:]
while rest:
    arg = rest.pop(0)
    if arg in VALUED:
        options[arg] = rest.pop(0)
    elif arg in FLAGS:
        options[arg] = True
    elif arg.startswith("-"):
        sys.exit(f"gh stand-in: unknown option {{arg}}")
    else:
        positional.append(arg)
files = {{}}
for path in positional[1:]:
    if not os.path.isfile(path):
        sys.exit(f"gh stand-in: no file {{path}} to attach")
    with open(path, "rb") as handle:
        files[os.path.basename(path)] = hashlib.sha256(handle.read()).hexdigest()
notes_file = options.get("--notes-file") or options.get("-F")
notes = open(notes_file, encoding="utf-8").read() if notes_file else None
record = {{"tag": positional[0] if positional else None, "options": options, "files": files,
          "notes": notes}}
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(record) + "\\n")
"""

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
CONTEXT_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*")
COMPARISON = re.compile(rf"({CONTEXT_PATH.pattern})\s*==\s*'([^']*)'")
PINNED = re.compile(r"(?P<action>[\w.-]+/[\w.-]+)@[0-9a-f]{40}")
WORKFLOW_KEYS = {"name", "on", "permissions", "concurrency", "defaults", "env", "jobs"}
JOB_KEYS = {
    "name",
    "needs",
    "if",
    "runs-on",
    "timeout-minutes",
    "permissions",
    "environment",
    "steps",
    "uses",
    "outputs",
}
STEP_KEYS = {"name", "id", "uses", "with", "run", "env", "if"}
# a GITHUB_OUTPUT line: `name=value`, or `name<<DELIMITER` opening a multi-line value
OUTPUT_LINE = re.compile(r"(?P<name>[\w-]+)(?:=(?P<value>.*)|<<(?P<delimiter>.+))")
DEFAULT_TIMEOUT_MINUTES = 360  # GitHub's own default for a job


def assert_workflows_clean(lint: list[str], audit: list[str], cwd: str) -> None:
    """actionlint says nothing at all about the files `lint`, and zizmor (offline, pedantic
    and auditor personas) finds nothing in each path of `audit`."""
    tools = os.path.dirname(sys.executable)
    if lint:
        result = subprocess.run(
            [os.path.join(tools, "actionlint"), "-no-color", *lint],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (result.returncode, result.stdout + result.stderr) == (0, "")
    for path in audit:
        for persona in ("pedantic", "auditor"):
            result = subprocess.run(
                [os.path.join(tools, "zizmor"), "--offline", f"--persona={persona}", path],
                cwd=cwd,
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            assert "No findings to report" in result.stdout, result.stdout + result.stderr


class Unsupported(Exception):
    """The workflow asks for something the local emulation does not do."""


class StepResult(NamedTuple):
    job: str  # "build / gate" for the job `gate` of the workflow the job `build` calls
    name: str
    status: str  # success, failure, skipped (condition false or an earlier failure), replaced
    output: str

    def report(self) -> str:
        return f"{self.job} / {self.name}: {self.status}\n{self.output}"


class RunResult(NamedTuple):
    steps: list[StepResult]
    jobs: dict[str, str]  # job -> success, failure or skipped

    def failed_step(self) -> StepResult | None:
        return next((step for step in self.steps if step.status == "failure"), None)

    def statuses(self) -> list[tuple[str, str, str]]:
        return [(step.job, step.name, step.status) for step in self.steps]


class Job(NamedTuple):
    """One job's place on the runner: its directories, its environment, and the contexts its
    expressions read (`steps` fills in as its steps write GITHUB_OUTPUT)."""

    workspace: Path
    temp: Path
    env: dict[str, str]
    deadline: float
    contexts: dict[str, Any]
    permissions: Mapping[str, str]


class LocalRunner:
    """Runs a workflow of `remote`'s tagged commit, as GitHub would for a push of `tag`.

    `tools_bin` stands in for what the workflows' install step would install (it goes first
    on PATH, and each workspace's src/ on PYTHONPATH, as an editable install would make it
    importable); `replaced` names steps not run, each with the reason, recorded as such.
    """

    def __init__(
        self,
        remote: Path,
        tag: str,
        run_dir: Path,
        tools_bin: Path,
        replaced: Mapping[str, str],
        env: Mapping[str, str],
        repository: str = "example/project",
        variables: Mapping[str, str] | None = None,
    ) -> None:
        self.remote = remote
        self.variables = dict(variables or {})  # the repository's `vars`
        self.tag = tag
        self.run_dir = run_dir
        self.replaced = dict(replaced)
        self.unused_replacements = set(replaced)
        self.sha = _git(remote, "rev-parse", f"{tag}^{{commit}}")
        self.artifacts = run_dir / "artifacts"
        self.gh_log = run_dir / "gh.jsonl"
        # What the emulated attest-build-provenance and gh-action-pypi-publish received.
        self.attested: list[dict[str, str]] = []
        self.published_to_pypi: list[dict[str, str]] = []
        stand_in_bin = run_dir / "bin"
        stand_in_bin.mkdir(parents=True)
        gh = stand_in_bin / "gh"
        gh.write_text(GH_STANDIN.format(python=sys.executable, log=str(self.gh_log)))
        gh.chmod(0o755)
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("GITHUB_", "RUNNER_", "PYTHON", "PYTEST_"))
        }
        self.base_env = {
            **inherited,
            "PATH": os.pathsep.join([str(stand_in_bin), str(tools_bin), os.environ["PATH"]]),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REF": f"refs/tags/{tag}",
            "GITHUB_REF_NAME": tag,
            "GITHUB_REF_TYPE": "tag",
            "GITHUB_SHA": self.sha,
            "GITHUB_REPOSITORY": repository,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "1",
            "RUNNER_OS": "Linux",
            **env,
        }
        self.github = {
            "event_name": "push",
            "ref": f"refs/tags/{tag}",
            "ref_name": tag,
            "ref_type": "tag",
            "sha": self.sha,
            "repository": repository,
            "token": "local-run-token",
        }
        self.job_outputs: dict[str, dict[str, str]] = {}  # label -> its outputs
        self.actions: dict[str, Callable[[dict[str, Any], Job], str]] = {
            "actions/checkout": self._checkout,
            "actions/setup-python": self._setup_python,
            "actions/upload-artifact": self._upload_artifact,
            "actions/download-artifact": self._download_artifact,
            "actions/attest-build-provenance": self._attest,
            "pypa/gh-action-pypi-publish": self._publish_to_pypi,
        }

    # -- workflows and jobs --------------------------------------------------------------

    def run(self, workflow_path: str) -> RunResult:
        """Run the workflow file of the tagged commit; every replaced step must exist in it."""
        workflow = self._load(workflow_path)
        patterns = _on(workflow).get("push", {}).get("tags", [])
        if not any(fnmatchcase(self.tag, pattern) for pattern in patterns):
            raise Unsupported(f"{workflow_path} does not run on a push of tag {self.tag}")
        result = RunResult([], {})
        self._run_jobs(workflow, "", result)
        if self.unused_replacements:
            raise Unsupported(f"no step named {sorted(self.unused_replacements)} was found")
        return result

    def _load(self, path: str) -> dict[str, Any]:
        text = _git(self.remote, "show", f"{self.sha}:{path}")
        workflow: dict[Any, Any] = yaml.safe_load(text)
        if True in workflow:  # YAML 1.1 reads the key `on` as true
            workflow["on"] = workflow.pop(True)
        _only(workflow, WORKFLOW_KEYS, path)
        return workflow

    def _run_jobs(self, workflow: dict[str, Any], prefix: str, result: RunResult) -> bool:
        """Run the jobs in dependency order; False when one failed."""
        jobs: dict[str, dict[str, Any]] = workflow["jobs"]
        outcome: dict[str, str] = {}
        while len(outcome) < len(jobs):
            ready = [
                job_id
                for job_id, job in jobs.items()
                if job_id not in outcome and all(need in outcome for need in _needs(job))
            ]
            if not ready:
                raise Unsupported(f"the needs of {sorted(set(jobs) - set(outcome))} form a cycle")
            job_id = ready[0]
            job = jobs[job_id]
            _only(job, JOB_KEYS, f"job {job_id}")
            label = f"{prefix}{job_id}"
            needs = {
                need: {"outputs": self.job_outputs.get(f"{prefix}{need}", {})}
                for need in _needs(job)
            }
            if any(outcome[need] != "success" for need in _needs(job)) or not self._condition(
                job.get("if"), {"needs": needs}
            ):
                outcome[job_id] = "skipped"
                self.job_outputs[label] = {}  # a skipped job's outputs are all empty
                self._mark_steps_found(job)
            elif "uses" in job:
                called = self._load(_local_workflow(job["uses"]))
                if "workflow_call" not in _on(called):
                    raise Unsupported(f"{job['uses']} has no workflow_call trigger")
                ok = self._run_jobs(called, f"{label} / ", result)
                outcome[job_id] = "success" if ok else "failure"
                called_jobs = {
                    name: {"outputs": self.job_outputs.get(f"{label} / {name}", {})}
                    for name in called["jobs"]
                }
                declared = _on(called)["workflow_call"].get("outputs", {})
                self.job_outputs[label] = {
                    name: self._expanded(spec["value"], {"jobs": called_jobs})
                    for name, spec in declared.items()
                }
            else:
                ok = self._run_steps(workflow, job, label, result, needs)
                outcome[job_id] = "success" if ok else "failure"
            result.jobs[label] = outcome[job_id]
        return all(status != "failure" for status in outcome.values())

    def _mark_steps_found(self, job: dict[str, Any]) -> None:
        """A skipped job's steps exist all the same: replacing one of them is no mistake."""
        jobs = self._load(_local_workflow(job["uses"]))["jobs"] if "uses" in job else {}
        for inner in jobs.values():
            self._mark_steps_found(inner)
        for step in job.get("steps", []):
            self.unused_replacements.discard(step.get("name") or step.get("run") or step["uses"])

    def _run_steps(
        self,
        workflow: dict[str, Any],
        job: dict[str, Any],
        label: str,
        result: RunResult,
        needs: dict[str, Any],
    ) -> bool:
        shell = workflow.get("defaults", {}).get("run", {}).get("shell", "bash")
        if shell != "bash":
            raise Unsupported(f"shell {shell!r}: only bash is emulated")
        job_dir = self.run_dir / "jobs" / label.replace(" / ", "--")
        workspace, temp = job_dir / "workspace", job_dir / "temp"
        workspace.mkdir(parents=True)
        temp.mkdir()
        env = {
            **self.base_env,
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_JOB": label.rsplit(" / ", 1)[-1],
            "RUNNER_TEMP": str(temp),
            "PYTHONPATH": str(workspace / "src"),
        }
        contexts: dict[str, Any] = {"needs": needs, "steps": {}}
        env.update(self._evaluated(workflow.get("env", {}), {**contexts, "env": env}))
        contexts["env"] = env
        minutes = job.get("timeout-minutes", DEFAULT_TIMEOUT_MINUTES)
        context = Job(
            workspace,
            temp,
            env,
            time.monotonic() + 60 * minutes,
            contexts,
            job.get("permissions", {}),
        )
        failed = False
        for number, step in enumerate(job["steps"], 1):
            _only(step, STEP_KEYS, f"step {number} of job {label}")
            name = step.get("name") or step.get("run") or step["uses"]
            self.unused_replacements.discard(name)
            if "id" in step:  # until it runs (if it does), its outputs are empty
                contexts["steps"][step["id"]] = {"outputs": {}}
            if failed or not self._condition(step.get("if"), contexts):
                result.steps.append(StepResult(label, name, "skipped", ""))
            elif name in self.replaced:
                result.steps.append(StepResult(label, name, "replaced", self.replaced[name]))
            else:
                ok, output, outputs = self._run_step(step, name, context)
                if "id" in step:
                    contexts["steps"][step["id"]] = {"outputs": outputs}
                result.steps.append(StepResult(label, name, "success" if ok else "failure", output))
                failed = not ok
        self.job_outputs[label] = {
            name: self._expanded(str(value), contexts)
            for name, value in job.get("outputs", {}).items()
        }
        return not failed

    # -- steps ---------------------------------------------------------------------------

    def _run_step(
        self, step: dict[str, Any], name: str, job: Job
    ) -> tuple[bool, str, dict[str, str]]:
        """Whether the step passed, its log, and the outputs it wrote to GITHUB_OUTPUT."""
        if "uses" in step:
            match = PINNED.fullmatch(step["uses"])
            emulate = self.actions.get(match.group("action")) if match else None
            if emulate is None:
                raise Unsupported(f"step {name!r}: action {step['uses']} is not emulated")
            try:
                return True, emulate(step.get("with", {}), job), {}
            except ActionFailed as failure:
                return False, str(failure), {}
        env = {**job.env, **self._evaluated(step.get("env", {}), job.contexts)}
        commands = job.temp / "files"
        shutil.rmtree(commands, ignore_errors=True)
        commands.mkdir()
        for variable in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"):
            env[variable] = str(commands / variable.lower())
            Path(env[variable]).touch()
        script = job.temp / "step.sh"
        script.write_text(step["run"])
        try:
            process = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=job.workspace,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=max(job.deadline - time.monotonic(), 1),
                check=False,
            )
        except subprocess.TimeoutExpired as expired:
            return False, f"{expired.output or ''}\nthe job's timeout-minutes ran out", {}
        for variable in ("GITHUB_ENV", "GITHUB_PATH"):
            if Path(env[variable]).stat().st_size:
                raise Unsupported(f"step {name!r} writes {variable}, which is not read back")
        outputs = _read_outputs(Path(env["GITHUB_OUTPUT"]).read_text(), name)
        if outputs and "id" not in step:
            raise Unsupported(f"step {name!r} writes GITHUB_OUTPUT but has no id to read it by")
        return process.returncode == 0, process.stdout, outputs

    def _condition(self, condition: object, contexts: dict[str, Any]) -> bool:
        if condition is None:
            return True
        match = EXPRESSION.fullmatch(str(condition).strip())
        value = self._evaluate(match.group(1) if match else str(condition), contexts)
        if not isinstance(value, bool):
            raise Unsupported(f"if: {condition!r} is not a comparison")
        return value

    def _evaluated(self, variables: Mapping[str, Any], contexts: dict[str, Any]) -> dict[str, str]:
        """An env: block, its ${{ }} expressions evaluated."""
        return {name: self._expanded(str(value), contexts) for name, value in variables.items()}

    def _expanded(self, text: str, contexts: dict[str, Any]) -> str:
        return EXPRESSION.sub(lambda match: str(self._evaluate(match.group(1), contexts)), text)

    def _evaluate(self, expression: str, contexts: dict[str, Any]) -> str | bool:
        """The two forms the workflows use: a context value (`github.ref_name`,
        `needs.build.outputs.sha256`), and a value == 'literal'."""
        available: dict[str, Any] = {"github": self.github, **contexts}
        comparison = COMPARISON.fullmatch(expression)
        path = comparison.group(1) if comparison else expression
        # GitHub gives an unset repository variable as the empty string
        available["vars"] = {path.partition(".")[2]: "", **self.variables}
        if not CONTEXT_PATH.fullmatch(path) or "." not in path:
            raise Unsupported(f"expression {expression!r} is not emulated")
        value: Any = available
        keys = path.split(".")
        for number, key in enumerate(keys):
            if number and keys[number - 1] == "outputs" and isinstance(value, Mapping):
                value = value.get(key, "")  # as GitHub: an output never set is empty
                continue
            if not isinstance(value, Mapping) or key not in value:
                raise Unsupported(f"expression {expression!r}: {path} is not emulated")
            value = value[key]
        if not isinstance(value, str):
            raise Unsupported(f"expression {expression!r}: {path} is not a value")
        return value == comparison.group(2) if comparison else value

    # -- the emulated actions: each returns its log, or raises ActionFailed -------------

    def _checkout(self, options: dict[str, Any], job: Job) -> str:
        _only(options, {"fetch-depth", "persist-credentials"}, "actions/checkout")
        if options.get("persist-credentials") is not False:
            raise Unsupported("actions/checkout without persist-credentials: false")
        depth = int(options.get("fetch-depth", 1))
        # fetch-depth 0 is the whole history; git clones a shallow depth only over a URL.
        shallow = ["--depth", str(depth), "--branch", self.tag] if depth else []
        source = self.remote.as_uri() if depth else str(self.remote)
        _git(job.workspace, "clone", "-q", "--no-checkout", *shallow, source, ".")
        _git(job.workspace, "checkout", "-q", "--detach", self.sha)
        return f"cloned {self.remote} at {self.tag} ({self.sha})"

    def _setup_python(self, options: dict[str, Any], job: Job) -> str:
        _only(options, {"python-version"}, "actions/setup-python")
        actual = sys.version.split()[0]
        return f"python {actual} on PATH stands in for {options['python-version']}"

    def _upload_artifact(self, options: dict[str, Any], job: Job) -> str:
        _only(options, {"name", "path", "if-no-files-found", "retention-days"}, "upload-artifact")
        lines = [line.strip() for line in str(options["path"]).splitlines() if line.strip()]
        if any("*" in line or ".." in Path(line).parts for line in lines):
            raise Unsupported("upload-artifact: globs and .. in path are not emulated")
        paths = [job.workspace / line for line in lines]
        # As upload-artifact does: the search paths' least common ancestor is the root.
        root = Path(os.path.commonpath(paths))
        if not root.is_dir():
            root = root.parent
        found = [path for path in paths if path.exists()]
        if not found and options.get("if-no-files-found") == "error":
            raise ActionFailed(f"upload-artifact: no files at {lines}")
        target = self.artifacts / str(options["name"])
        for path in found:
            destination = target / path.relative_to(root)
            if path.is_dir():
                shutil.copytree(path, destination)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
        uploaded = sorted(
            str(path.relative_to(target)) for path in target.rglob("*") if path.is_file()
        )
        return f"uploaded {options['name']}: {uploaded}"

    def _download_artifact(self, options: dict[str, Any], job: Job) -> str:
        _only(options, {"name", "path"}, "download-artifact")
        source = self.artifacts / str(options["name"])
        if not source.is_dir():
            raise ActionFailed(f"download-artifact: no artifact named {options['name']!r}")
        shutil.copytree(source, job.workspace / str(options.get("path", ".")), dirs_exist_ok=True)
        return f"downloaded {options['name']}"

    def _attest(self, options: dict[str, Any], job: Job) -> str:
        _only(options, {"subject-path"}, "attest-build-provenance")
        subjects = sorted(job.workspace.glob(str(options["subject-path"])))
        if not subjects:
            raise ActionFailed(f"attest-build-provenance: nothing at {options['subject-path']}")
        self.attested += [{path.name: _sha256(path)} for path in subjects]
        return f"attested {[path.name for path in subjects]}"

    def _publish_to_pypi(self, options: dict[str, Any], job: Job) -> str:
        _only(options, {"packages-dir"}, "gh-action-pypi-publish")
        if job.permissions.get("id-token") != "write":
            raise ActionFailed("gh-action-pypi-publish: no id-token: write for trusted publishing")
        packages = sorted((job.workspace / str(options["packages-dir"])).glob("*"))
        self.published_to_pypi += [{path.name: _sha256(path)} for path in packages]
        return f"published {[path.name for path in packages]}"

    def gh_calls(self) -> list[dict[str, Any]]:
        """What the stand-in gh received, one record per call."""
        if not self.gh_log.exists():
            return []
        return [json.loads(line) for line in self.gh_log.read_text().splitlines()]


class ActionFailed(Exception):
    """An emulated action failed as the real one would (its message is the step's log)."""


def _read_outputs(text: str, step: str) -> dict[str, str]:
    """GITHUB_OUTPUT's `name=value` lines and `name<<DELIMITER` ... `DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        match = OUTPUT_LINE.fullmatch(line)
        if match is None:
            raise Unsupported(f"step {step!r}: GITHUB_OUTPUT line {line!r} is not emulated")
        if match.group("delimiter") is None:
            outputs[match.group("name")] = match.group("value")
            continue
        body = []
        for inner in lines:
            if inner == match.group("delimiter"):
                break
            body.append(inner)
        else:
            raise Unsupported(f"step {step!r}: GITHUB_OUTPUT block without its delimiter")
        outputs[match.group("name")] = "\n".join(body)
    return outputs


def _only(mapping: Mapping[str, Any], known: set[str], where: str) -> None:
    unknown = set(mapping) - known
    if unknown:
        raise Unsupported(f"{where}: {sorted(unknown)} not emulated")


def _on(workflow: dict[str, Any]) -> dict[str, Any]:
    triggers = workflow.get("on")
    if not isinstance(triggers, dict):
        raise Unsupported(f"triggers {triggers!r}: only the mapping form is emulated")
    return {name: spec or {} for name, spec in triggers.items()}


def _needs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _local_workflow(uses: str) -> str:
    """The path of a reusable workflow of the same repository and commit."""
    for prefix in ("$/", "./"):
        if uses.startswith(prefix):
            return uses[len(prefix) :]
    raise Unsupported(f"reusable workflow {uses}: only this repository's are emulated")


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ActionFailed(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


class ActionRun(NamedTuple):
    steps: list[StepResult]
    outputs: dict[str, str]


def run_composite_action(
    action_dir: Path,
    inputs: Mapping[str, str],
    workspace: Path,
    env: Mapping[str, str],
    done: Collection[str] = (),
) -> ActionRun:
    """Run a composite action's steps as a job step `uses: <action_dir>` would.

    `env` is the job's environment (GITHUB_*, RUNNER_TEMP, PATH). Expressions: `inputs.X`
    (declared inputs only, with their defaults) and `steps.ID.outputs.X` in the outputs.
    Steps named in `done` are not run (an earlier run of the action did their work).
    """
    action: dict[str, Any] = yaml.safe_load((action_dir / "action.yml").read_text())
    _only(
        action, {"name", "description", "author", "branding", "inputs", "outputs", "runs"}, "action"
    )
    if action["runs"].get("using") != "composite":
        raise Unsupported("only composite actions are emulated")
    declared = action.get("inputs", {})
    unknown = set(inputs) - set(declared)
    if unknown:
        raise Unsupported(f"inputs {sorted(unknown)} are not declared by the action")
    values = {
        name: inputs.get(name, str(spec.get("default", ""))) for name, spec in declared.items()
    }

    def evaluate(text: str, step_outputs: Mapping[str, Mapping[str, str]]) -> str:
        def one(match: re.Match[str]) -> str:
            path = match.group(1).split(".")
            if len(path) == 2 and path[0] == "inputs" and path[1] in values:
                return values[path[1]]
            if len(path) == 4 and path[0] == "steps" and path[2] == "outputs":
                return step_outputs.get(path[1], {}).get(path[3], "")
            raise Unsupported(f"expression {match.group(0)!r} is not emulated")

        return EXPRESSION.sub(one, text)

    results: list[StepResult] = []
    step_outputs: dict[str, dict[str, str]] = {}
    failed = False
    temp = Path(env["RUNNER_TEMP"])
    for number, step in enumerate(action["runs"]["steps"], 1):
        _only(step, {"name", "id", "shell", "run", "env"}, f"action step {number}")
        name = step.get("name", step["run"])
        if failed or name in done:
            results.append(StepResult("action", name, "skipped" if failed else "replaced", ""))
            continue
        if step.get("shell") != "bash":
            raise Unsupported(f"action step {name!r}: only shell: bash is emulated")
        output_file = temp / f"action-output-{number}"
        output_file.write_text("")
        step_env = {
            **env,
            **{
                key: evaluate(str(value), step_outputs)
                for key, value in step.get("env", {}).items()
            },
            "GITHUB_ACTION_PATH": str(action_dir),
            "GITHUB_OUTPUT": str(output_file),
        }
        script = temp / f"action-step-{number}.sh"
        script.write_text(step["run"])
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=step_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        failed = process.returncode != 0
        results.append(
            StepResult("action", name, "failure" if failed else "success", process.stdout)
        )
        if "id" in step:
            lines = output_file.read_text().splitlines()
            step_outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
    outputs = {
        name: evaluate(str(spec["value"]), step_outputs)
        for name, spec in action.get("outputs", {}).items()
    }
    return ActionRun(results, outputs)
