"""[tool.release-guard]: defaults, values, and every bad value as a one-line error (exit 2)."""

from __future__ import annotations

import pytest

from conftest import THEO_PYPROJECT, MakeProject, run_rg
from release_guard.config import VersionFile, load_project
from release_guard.source import WorkTree

PYPROJECT = THEO_PYPROJECT.format(version="0.1.0")
CONFIG_LINE = PYPROJECT.count("\n") + 2  # the table header, after one blank line


def with_config(body: str) -> str:
    return f"{PYPROJECT}\n[tool.release-guard]\n{body}\n"


def test_defaults(make_project: MakeProject) -> None:
    project = load_project(WorkTree(str(make_project())))
    config = project.config
    assert project.name == "theo-openvoice"
    assert config.version_files == (VersionFile("src/theo/__init__.py", required=False),)
    assert not config.version_files_configured
    assert (config.changelog, config.tag_format, config.version_scheme) == (
        "CHANGELOG.md",
        "v{version}",
        "pep440",
    )
    assert config.ignore == frozenset()


def test_every_key(make_project: MakeProject) -> None:
    body = (
        'version-files = ["src/theo/__init__.py", { path = "VERSION", pattern = "(.+)" }]\n'
        'changelog = "./docs//CHANGES.md"\n'
        'tag-format = "theo-{version}-final"\n'
        'version-scheme = "semver"\n'
        'ignore = ["RG210", "RG209"]\n'
        'release-branches = ["main", "release/*"]\n'
        'wheel-files = ["theo/py.typed"]\n'
        'sdist-files = ["CHANGELOG.md"]'
    )
    config = load_project(
        WorkTree(str(make_project(files={"pyproject.toml": with_config(body)})))
    ).config
    assert config.version_files == (
        VersionFile("src/theo/__init__.py"),
        VersionFile("VERSION", "(.+)"),
    )
    assert config.version_files_configured
    assert config.changelog == "docs/CHANGES.md"  # normalized
    assert config.tag_for("1.0.0") == "theo-1.0.0-final"
    assert config.version_in_tag("theo-1.0.0-final") == "1.0.0"
    assert config.version_scheme == "semver"
    assert config.ignore == frozenset({"RG209", "RG210"})
    assert config.release_branches == ("main", "release/*")
    assert (config.wheel_files, config.sdist_files) == (("theo/py.typed",), ("CHANGELOG.md",))


@pytest.mark.parametrize(
    ("tag", "version"),
    [
        ("v1.2.3", "1.2.3"),
        ("v", None),
        ("1.2.3", None),
        ("vv1", None),
        ("vendor-drop", None),
        ("v1.2.x", "1.2.x"),
        ("x-v1.0", None),
    ],
)
def test_version_in_tag(make_project: MakeProject, tag: str, version: str | None) -> None:
    config = load_project(WorkTree(str(make_project()))).config
    assert config.version_in_tag(tag) == version


BAD_CONFIGS = [
    # (body, the key's line offset below the header or 0 for the header, words in the message)
    ("colour = 1", 1, "unknown key 'colour'"),
    ('version-files = ["README.md"]', 1, "'README.md' is no file release-guard knows"),
    ('version-files = [{ path = "VERSION" }]', 1, "'VERSION' is no file release-guard knows"),
    ('changelogs = "x"', 1, "unknown key 'changelogs'"),
    ("changelog = 3", 1, "changelog must be a non-empty string"),
    ('changelog = ""', 1, "changelog must be a non-empty string"),
    ('tag-format = ["v"]', 1, "tag-format must be a non-empty string"),
    ("version-scheme = 1", 1, "version-scheme must be a non-empty string"),
    ('version-scheme = "calver"', 1, "'pep440' or 'semver'"),
    ('ignore = "RG104"', 1, "ignore must be a list"),
    ("ignore = [104]", 1, "ignore must be a list"),
    ('ignore = ["RG999"]', 1, "unknown rule 'RG999'"),
    ('ignore = ["rg104"]', 1, "unknown rule 'rg104'"),
    ('ignore = ["RG003"]', 1, "cannot silence RG003"),
    ('release-branches = "main"', 1, "release-branches must be a list"),
    ('wheel-files = [""]', 1, "wheel-files must be a list of non-empty strings"),
    ('version-files = "src/theo/__init__.py"', 1, "version-files must be a list"),
    ("version-files = [3]", 1, "version-files entries are paths or"),
    ('version-files = [{ path = "V", regex = "(.*)" }]', 1, "version-files entries"),
    ('version-files = [{ path = "V", pattern = 1 }]', 1, "pattern must be a string"),
    # where the version lives, when detection cannot tell
    ("version-source = 3", 1, 'version-source must be "vcs", a path, or'),
    ('version-source = "VERSION"', 1, "version-source 'VERSION' needs a pattern"),
    ('version-source = { path = "V", pattern = "(" }', 1, "is not a valid regex"),
    ('version-source = "../v.py"', 1, "is outside the repository"),
    # paths outside the repository
    ('changelog = "../CHANGELOG.md"', 1, "'../CHANGELOG.md' is outside the repository"),
    ('changelog = "/etc/passwd"', 1, "is outside the repository"),
    ('changelog = "C:/Users/x/CHANGELOG.md"', 1, "is outside the repository"),
    ('changelog = "docs/../../CHANGELOG.md"', 1, "is outside the repository"),
    ('changelog = "."', 1, "names the repository itself"),
    ('version-files = ["..\\\\theo\\\\__init__.py"]', 1, "is outside the repository"),
    # tag formats git would refuse or that cannot name a version
    ('tag-format = "v"', 1, "{version} exactly once"),
    ('tag-format = "{version}-{name}"', 1, "no other braces"),
    ('tag-format = "v{version}{version}"', 1, "{version} exactly once"),
    ('tag-format = "v {version}"', 1, "cannot be a git tag name"),
    ('tag-format = "release:{version}"', 1, "cannot be a git tag name"),
    # regular expressions
    ('version-files = [{ path = "V", pattern = "(" }]', 1, "is not a valid regex"),
    ('version-files = [{ path = "V", pattern = "v(\\\\d)\\\\.(\\\\d)" }]', 1, "exactly one group"),
    ('version-files = [{ path = "V", pattern = "v\\\\d" }]', 1, "exactly one group"),
]


@pytest.mark.parametrize(("body", "offset", "words"), BAD_CONFIGS)
def test_bad_config_is_a_one_line_error(
    make_project: MakeProject, body: str, offset: int, words: str
) -> None:
    root = make_project(files={"pyproject.toml": with_config("# settings\n" + body)})
    result = run_rg("check", cwd=root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"pyproject.toml:{CONFIG_LINE + offset + 1}: RG004 ")
    assert "[tool.release-guard]" in first
    assert words in first


def test_config_error_line_inside_a_multiline_table(make_project: MakeProject) -> None:
    body = '\nchangelog = "CHANGELOG.md"\n\n"tag-format" = "v"\n'
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": with_config(body)}))
    assert result.returncode == 2
    assert result.stderr.startswith(f"pyproject.toml:{CONFIG_LINE + 4}: RG004 ")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (PYPROJECT + "\n[tool]\nrelease-guard = 1\n", "[tool.release-guard] must be a table"),
        ('project = "theo"\n', "[project] must be a table"),
        (
            PYPROJECT.replace('version = "0.1.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.version]\npath = "../VERSION"\n',
            "[tool.hatch.version] path: path '../VERSION' is outside the repository",
        ),
        (
            PYPROJECT.replace('version = "0.1.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.version]\npath = "src/theo/__init__.py"\npattern = "("\n',
            "[tool.hatch.version] pattern '(' is not a valid regex",
        ),
        (
            PYPROJECT.replace('version = "0.1.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.version]\npath = "src/theo/__init__.py"\npattern = "= (.+)"\n',
            "needs a group named 'version'",
        ),
        (
            PYPROJECT.replace('version = "0.1.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.version]\npath = "src/theo/__init__.py"\npattern = 3\n',
            "[tool.hatch.version] pattern must be a string",
        ),
    ],
    ids=[
        "config-not-table",
        "project-not-table",
        "hatch-path",
        "hatch-regex",
        "hatch-group",
        "hatch-type",
    ],
)
def test_bad_tables_are_one_line_errors(make_project: MakeProject, text: str, words: str) -> None:
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": text}))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("pyproject.toml")
    assert " RG004 " in first
    assert words in first


def test_bad_config_is_never_a_silent_fallback(make_project: MakeProject) -> None:
    # a typo in a key must not leave the defaults quietly in charge
    root = make_project(files={"pyproject.toml": with_config('tag_format = "theo-{version}"')})
    result = run_rg("check", "--tag", "v0.1.0", cwd=root)
    assert result.returncode == 2
    assert "unknown key 'tag_format'" in result.stderr


def test_version_source_settles_where_the_version_lives(make_project: MakeProject) -> None:
    root = make_project(files={"pyproject.toml": with_config('version-source = "vcs"')})
    project = load_project(WorkTree(str(root)))
    assert project.version_source.kind == "vcs"
    body = 'version-source = "src/theo/__init__.py"'
    project = load_project(WorkTree(str(make_project(files={"pyproject.toml": with_config(body)}))))
    assert project.version_source.file == VersionFile("src/theo/__init__.py")
