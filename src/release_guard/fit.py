"""The shipped workflows, fitted to one project: its branch, tags, Python, gate and pin.

The templates are this repository's own `.github/workflows/ci.yml` and `release.yml`: real,
linted workflows, not files with placeholders. Fitting one replaces a few known lines (each
must be found exactly once, else the template is damaged) and drops the gate steps of tools
the project does not use. Rendered for this repository, each file is itself (a test keeps it
so); docs/workflows.md, "What init fits".
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from release_guard.findings import Finding, InputError
from release_guard.source import Source

# Gate steps a project may not use: (tool, the step's name in ci.yml).
GATE_STEPS = (
    ("ruff", "Lint (ruff check)"),
    ("ruff", "Format (ruff format --check)"),
    ("mypy", "Types (mypy)"),
    ("pytest", "Tests (pytest)"),
)
# The same in the GitLab template: (tool, the start of its script line).
GITLAB_GATE_LINES = (
    ("ruff", "ruff check ."),
    ("ruff", "ruff format --check ."),
    ("mypy", "if [ -f mypy.ini ] || [ -f .mypy.ini ]; then mypy; else packages="),
    ("pytest", "python -m pytest"),
)
# The gate's tools as ci.yml installs them; pre-commit and build are always needed.
TOOLS_LINE = "python -m pip install ruff mypy pytest pre-commit build"
# The gate runs on the newest of these CPythons that the project's requires-python allows
# (newest first); a project that allows none of them gets the oldest newer one it allows.
PYTHONS = ("3.13", "3.12", "3.11", "3.10", "3.9", "3.8")
NEWER_PYTHONS = ("3.14",)
DEFAULT_PYTHON = PYTHONS[0]
# Lines fitted in every GitHub workflow: the Python a job sets up, the pinned release-guard.
PYTHON_LINE = r'(?m)^(\s+python-version: ")[^"\n]*(")$'
PIN_LINE = r"(?m)^(\s+RELEASE_GUARD: ).*()$"
# Off by default in a project's release.yml: no project is on PyPI before it chooses to be.
PYPI_SWITCH = """\
    # Off until this project publishes to PyPI: delete this `if:` line, or set the repository
    # variable PUBLISH_TO_PYPI to true (release-guard's docs/workflows.md, "PyPI").
    if: vars.PUBLISH_TO_PYPI == 'true'
"""
# Characters a GitHub Actions filter pattern treats as special, escaped in a literal prefix.
_FILTER_SPECIAL = re.compile(r"([*?+\[\]!\\])")


class Fit(NamedTuple):
    branch: str
    tag_format: str
    python: str
    gate: frozenset[str]  # the tools of GATE_STEPS the project uses
    release_guard: str  # pip's requirement for release-guard, pinned
    pypi: bool = False  # release.yml's PyPI job runs unconditionally (else: when switched on)
    tag_formats: tuple[str, ...] = ()  # a workspace's packages' formats; empty: tag_format

    def tag_patterns(self) -> list[str]:
        """release.yml's push filters: one per tag format."""
        return [tag_pattern(tag_format) for tag_format in self.tag_formats or (self.tag_format,)]

    def describe(self) -> str:
        gate = ", ".join(["pre-commit hooks", *sorted(self.gate)])
        return (
            f"branch {self.branch}, tags {' '.join(self.tag_patterns())}, Python {self.python}, "
            f"gate: {gate}; installs {self.release_guard}; "
            + ("publishes to PyPI" if self.pypi else "PyPI job off (PUBLISH_TO_PYPI)")
        )


def tag_pattern(tag_format: str) -> str:
    """The push filter for tags made by tag-format: `v{version}` -> `v[0-9]*`."""
    before, _, after = tag_format.partition("{version}")
    return _FILTER_SPECIAL.sub(r"\\\1", before) + "[0-9]*" + _FILTER_SPECIAL.sub(r"\\\1", after)


def python_for(*requires_python: object) -> str:
    """The newest CPython in PYTHONS that every `requires-python` allows (a workspace's
    packages each have one); the default when none is given or none is allowed by all."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    specifiers = []
    for given in requires_python:
        if isinstance(given, str) and given.strip():
            try:
                specifiers.append(SpecifierSet(given))
            except InvalidSpecifier:
                continue
    candidates = (*PYTHONS, *NEWER_PYTHONS)
    return next(
        (
            python
            for python in candidates
            if all(allowed.contains(f"{python}.0") for allowed in specifiers)
        ),
        DEFAULT_PYTHON,
    )


def gate_tools(pyproject: dict[str, object], source: Source) -> frozenset[str]:
    """The tools the project uses: ruff and mypy when configured, pytest when it has tests."""
    tool = pyproject.get("tool")
    tables = set(tool) if isinstance(tool, dict) else set()
    tools = set()
    if "ruff" in tables or any(_exists(source, name) for name in ("ruff.toml", ".ruff.toml")):
        tools.add("ruff")
    if "mypy" in tables or any(_exists(source, name) for name in ("mypy.ini", ".mypy.ini")):
        tools.add("mypy")
    if _has_tests(source):
        tools.add("pytest")
    return frozenset(tools)


def _exists(source: Source, path: str) -> bool:
    return source.read_bytes(path) is not None


def _has_tests(source: Source) -> bool:
    """A test module in tests/ or test/ (one level of subdirectories too)."""
    for directory in ("tests", "test"):
        pending = [directory]
        for depth in range(2):
            found = []
            for path in pending:
                for name, is_dir in source.list_dir(path) or []:
                    if is_dir and depth == 0:
                        found.append(f"{path}/{name}")
                    elif _is_test_module(name):
                        return True
            pending = found
    return False


def _is_test_module(name: str) -> bool:
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def render(name: str, template: bytes, fit: Fit) -> bytes:
    """The shipped workflow `name` fitted to the project."""
    text = template.decode("utf-8")
    if name in ("ci.yml", "release.yml"):
        # Wherever a job sets Python up or installs release-guard (ci.yml does, at least once).
        least = 1 if name == "ci.yml" else 0
        text = _replace(text, name, PYTHON_LINE, fit.python, count=None, least=least)
        text = _replace(text, name, PIN_LINE, json.dumps(fit.release_guard), None, least)
    if name == "ci.yml":
        branch = fit.branch if re.fullmatch(r"[\w./-]+", fit.branch) else json.dumps(fit.branch)
        text = _replace(text, name, r"(?m)^(    branches: \[)[^\]\n]*(\])$", branch, count=2)
        tools = [tool for tool in ("ruff", "mypy", "pytest") if tool in fit.gate]
        line = " ".join(["python -m pip install", *tools, "pre-commit build"])
        text = _replace(text, name, rf"(?m)^(\s*){re.escape(TOOLS_LINE)}()$", line)
        for tool, step in GATE_STEPS:
            if tool not in fit.gate:
                text = _drop_step(text, name, step)
    elif name == "gitlab-ci.yml":
        text = _fit_gitlab(text, name, fit)
    elif name == "release.yml":
        patterns = [p.replace("\\", "\\\\").replace('"', '\\"') for p in fit.tag_patterns()]
        text = _replace(text, name, r'(?m)^(    tags: \[")[^\n]*("\])$', '", "'.join(patterns))
        if not fit.pypi:
            text = _replace(
                text, name, r"(?m)^(  pypi:\n    name: .*\n(?:    #.*\n)*)()", PYPI_SWITCH
            )
    return text.encode("utf-8")


def _fit_gitlab(text: str, name: str, fit: Fit) -> str:
    branch = json.dumps(fit.branch)
    text = _replace(text, name, r"(?m)^(    - if: \$CI_COMMIT_BRANCH == ).*()$", branch)
    prefixes = [
        re.escape(tag_format.partition("{version}")[0]).replace("/", "\\/")
        for tag_format in fit.tag_formats or (fit.tag_format,)
    ]
    # a workspace's tags: any package's prefix (GitLab's RE2 has alternation)
    prefix = prefixes[0] if len(prefixes) == 1 else f"({'|'.join(prefixes)})"
    text = _replace(text, name, r"(?m)^(    - if: \$CI_COMMIT_TAG =~ /\^).*(\[0-9\]/)$", prefix, 2)
    text = _replace(text, name, r"(?m)^(  image: python:).*()$", fit.python)
    text = _replace(text, name, PIN_LINE, json.dumps(fit.release_guard))
    tools = [tool for tool in ("ruff", "mypy", "pytest") if tool in fit.gate]
    line = " ".join(["python -m pip install", *tools, "pre-commit build"])
    text = _replace(text, name, rf"(?m)^(    - ){re.escape(TOOLS_LINE)}()$", line)
    for tool, command in GITLAB_GATE_LINES:
        if tool not in fit.gate:
            text = _replace(text, name, rf"(?m)^()    - {re.escape(command)}.*\n()", "")
    return text


def _replace(
    text: str, name: str, pattern: str, value: str, count: int | None = 1, least: int = 0
) -> str:
    """`pattern`'s two groups kept around `value`; found `count` times (None: `least` or more)."""
    result, found = re.subn(pattern, lambda match: match.group(1) + value + match.group(2), text)
    if found != count if count is not None else found < least:
        raise _damaged(name)
    return result


def _drop_step(text: str, name: str, step: str) -> str:
    """The workflow without the step named `step`: its lines up to the blank line after it."""
    match = re.search(rf"(?m)^      - name: {re.escape(step)}\n(?:.+\n)*\n", text)
    if match is None:
        raise _damaged(name)
    return text[: match.start()] + text[match.end() :]


def _damaged(name: str) -> Exception:
    message = f"release-guard's own workflow template {name} lacks a line it fits"
    return InputError(Finding("RG002", message, hint="reinstall release-guard"))
