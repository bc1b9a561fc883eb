"""Version rules RG101-RG107 and where the version lives, on real Theo-like repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, run_rg
from release_guard.check import run_checks
from release_guard.findings import Finding
from release_guard.report import Outcome
from release_guard.source import WorkTree

HATCH_PACKAGES = '[tool.hatch.build.targets.wheel]\npackages = ["src/theo"]\n'
THEO_INIT = "src/theo/__init__.py"


def check(root: Path) -> Outcome:
    return run_checks(WorkTree(str(root)))


def only(outcome: Outcome, code: str) -> Finding:
    """The one finding of `code`, after asserting it is the only finding of the run."""
    assert [f.code for f in outcome.findings] == [code], outcome.findings
    return outcome.findings[0]


def pyproject(version: str = "0.1.0", extra: str = "", packages: bool = True) -> str:
    text = THEO_PYPROJECT.format(version=version)
    if not packages:
        text = text.replace(HATCH_PACKAGES, "")
    return text + extra


def dynamic_pyproject(extra: str, requires: str = "hatchling") -> str:
    return (
        f'[build-system]\nrequires = ["{requires}"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "theo-openvoice"\ndynamic = ["version"]\n\n' + extra
    )


# -- the Theo layout passes; every mismatch is found --------------------------------------------


def test_theo_project_passes(make_project: MakeProject) -> None:
    outcome = check(make_project())
    assert outcome.findings == []
    assert outcome.notes == []


def test_mismatch_names_both_versions_file_and_line(make_project: MakeProject) -> None:
    root = make_project(files={THEO_INIT: '"""Theo."""\n\n__version__ = "0.2.0"\n'})
    finding = only(check(root), "RG104")
    assert (finding.path, finding.line) == (THEO_INIT, 3)
    assert "'0.2.0'" in finding.message
    assert "'0.1.0'" in finding.message
    assert "pyproject.toml" in finding.message


def test_versions_are_compared_as_exact_strings(make_project: MakeProject) -> None:
    # 0.1 and 0.1.0 are equal under PEP 440, but the seed wants both files to read the same
    root = make_project(files={THEO_INIT: '__version__ = "0.1"\n'})
    assert only(check(root), "RG104").message.startswith("version '0.1' differs")


@pytest.mark.parametrize(
    "init",
    [
        '__version__ = "0.1.0"\n',
        "__version__ = '0.1.0'\n",
        '__version__: str = "0.1.0"\n',
        "__version__: str = '0.1.0'\n",
        '__all__ = ["x"]\n__version__ = VERSION = "0.1.0"\n',
        '"""Doc."""\nimport os\n\n__version__ = (\n    "0.1.0"\n)\n',
    ],
    ids=["double", "single", "annotated", "annotated-single", "chained", "parenthesized"],
)
def test_python_version_file_forms(make_project: MakeProject, init: str) -> None:
    assert check(make_project(files={THEO_INIT: init})).findings == []
    bumped = init.replace("0.1.0", "0.9.0")
    assert only(check(make_project(files={THEO_INIT: bumped})), "RG104")


def test_last_top_level_assignment_wins(make_project: MakeProject) -> None:
    init = '__version__ = "0.1.0"\n__version__ = "0.2.0"\n'
    finding = only(check(make_project(files={THEO_INIT: init})), "RG104")
    assert finding.line == 2


def test_computed_version_is_a_note_not_a_finding(make_project: MakeProject) -> None:
    init = 'from importlib.metadata import version\n\n__version__ = version("theo-openvoice")\n'
    outcome = check(make_project(files={THEO_INIT: init}))
    assert outcome.findings == []
    assert any("computes __version__ at run time" in note for note in outcome.notes)


def test_imported_version_is_a_note_naming_the_module(make_project: MakeProject) -> None:
    init = '"""Theo."""\n\nfrom ._version import __version__\n'
    outcome = check(make_project(files={THEO_INIT: init, "src/theo/_version.py": "x = 1\n"}))
    assert outcome.findings == []
    assert outcome.notes == [
        "src/theo/__init__.py imports __version__ from ._version: "
        "list the file that sets it in [tool.release-guard] version-files"
    ]
    config = '\n[tool.release-guard]\nversion-files = ["src/theo/_version.py"]\n'
    files: dict[str, str | None] = {
        "pyproject.toml": pyproject(extra=config),
        THEO_INIT: init,
        "src/theo/_version.py": '__version__ = "0.1.1"\n',
    }
    assert only(check(make_project(files=files)), "RG104").path == "src/theo/_version.py"


def test_pyproject_line_despite_comments_and_unicode_breaks(make_project: MakeProject) -> None:
    # U+2028 inside a TOML string, a comment after the table header: line 8 is still line 8
    text = pyproject(version="0.2.0rc1x").replace(
        '[project]\nname = "theo-openvoice"\n',
        '[ project ]  # metadata\nname = "theo-openvoice"\nkeywords = ["a\u2028b"]\n',
    )
    assert text.split("\n")[7] == 'version = "0.2.0rc1x"'
    finding = only(
        check(make_project(version="0.2.0rc1x", files={"pyproject.toml": text})), "RG105"
    )
    assert finding.line == 8


# -- which file is the package's __init__.py ----------------------------------------------------


def test_detects_from_hatch_packages_among_several(make_project: MakeProject) -> None:
    # two packages under src/: only hatch's `packages` says which one is shipped
    root = make_project(
        files={
            "src/other/__init__.py": '__version__ = "0.1.0"\n',
            THEO_INIT: '__version__ = "0.3.0"\n',
        }
    )
    assert only(check(root), "RG104").path == THEO_INIT


def test_detects_the_single_package_under_src(make_project: MakeProject) -> None:
    root = make_project(
        files={
            "pyproject.toml": pyproject(packages=False),
            THEO_INIT: '__version__ = "0.3.0"\n',
            "src/notapackage/data.txt": "x\n",  # a directory without __init__.py is no package
        }
    )
    assert only(check(root), "RG104").path == THEO_INIT


def test_detects_by_project_name_when_src_has_several(make_project: MakeProject) -> None:
    root = make_project(
        files={
            "pyproject.toml": pyproject(packages=False).replace("theo-openvoice", "Theo"),
            THEO_INIT: '__version__ = "0.3.0"\n',
            "src/helpers/__init__.py": '__version__ = "9.9.9"\n',
        }
    )
    assert only(check(root), "RG104").path == THEO_INIT


def test_detects_flat_layout_by_project_name(make_project: MakeProject) -> None:
    root = make_project(
        files={
            "pyproject.toml": pyproject(packages=False).replace("theo-openvoice", "theo"),
            THEO_INIT: None,
            "src/theo/py.typed": None,
            "src/theo/_types.py": None,
            "src/theo/proto/stt_worker.proto": None,
            "theo/__init__.py": '__version__ = "0.3.0"\n',
        }
    )
    assert only(check(root), "RG104").path == "theo/__init__.py"


def test_detects_from_setuptools_packages_and_package_dir(make_project: MakeProject) -> None:
    setuptools = '[tool.setuptools]\npackages = ["theo"]\npackage-dir = {"" = "lib"}\n'
    root = make_project(
        files={
            "pyproject.toml": pyproject(packages=False, extra=setuptools),
            "lib/theo/__init__.py": '__version__ = "0.3.0"\n',
        }
    )
    assert only(check(root), "RG104").path == "lib/theo/__init__.py"


def test_no_package_found_is_a_note(make_project: MakeProject) -> None:
    root = make_project(
        files={
            "pyproject.toml": pyproject(packages=False).replace("theo-openvoice", "unrelated"),
            "src/helpers/__init__.py": '__version__ = "9.9.9"\n',
        }
    )
    outcome = check(root)
    assert outcome.findings == []
    assert len(outcome.notes) == 1
    assert "version-files" in outcome.notes[0]


# -- configured version files -------------------------------------------------------------------


def test_version_files_with_patterns(make_project: MakeProject) -> None:
    config = (
        "\n[tool.release-guard]\nversion-files = [\n"
        '  "src/theo/__init__.py",\n'
        '  { path = "docs/conf.py", pattern = "release = \'([^\']+)\'" },\n'
        '  { path = "chart/Chart.yaml", pattern = "^appVersion: (?P<version>\\\\S+)$" },\n'
        "]\n"
    )
    files: dict[str, str | None] = {
        "pyproject.toml": pyproject(extra=config),
        "docs/conf.py": "project = 'theo'\nrelease = '0.1.0'\n",
        "chart/Chart.yaml": "name: theo\nversion: 9.9.9\nappVersion: 0.1.0\n",
    }
    assert check(make_project(files=files)).findings == []
    files["chart/Chart.yaml"] = "name: theo\nversion: 0.1.0\nappVersion: 0.2.0\n"
    finding = only(check(make_project(files=files)), "RG104")
    assert (finding.path, finding.line) == ("chart/Chart.yaml", 3)


def test_missing_version_file_is_rg102(make_project: MakeProject) -> None:
    config = '\n[tool.release-guard]\nversion-files = ["src/theo/version.py"]\n'
    finding = only(check(make_project(files={"pyproject.toml": pyproject(extra=config)})), "RG102")
    assert finding.path == "src/theo/version.py"


def test_empty_version_files_list_checks_nothing(make_project: MakeProject) -> None:
    config = "\n[tool.release-guard]\nversion-files = []\n"
    root = make_project(
        files={"pyproject.toml": pyproject(extra=config), THEO_INIT: '__version__ = "7.0"\n'}
    )
    outcome = check(root)
    assert (outcome.findings, outcome.notes) == ([], [])


@pytest.mark.parametrize(
    ("files", "detail"),
    [
        ({THEO_INIT: '"""Theo, without a version."""\n'}, "no top-level __version__"),
        ({THEO_INIT: ""}, "no top-level __version__"),  # an empty __init__.py is a valid module
        (
            {
                "pyproject.toml": pyproject(
                    extra='\n[tool.release-guard]\nversion-files = [{ path = "VERSION", '
                    'pattern = "^v(\\\\S+)$" }]\n'
                ),
                "VERSION": "0.1.0\n",
            },
            "nothing matches the pattern",
        ),
    ],
    ids=["no-variable", "empty-init", "pattern-no-match"],
)
def test_file_without_version_is_rg103(
    make_project: MakeProject, files: dict[str, str | None], detail: str
) -> None:
    assert detail in only(check(make_project(files=files)), "RG103").message


# -- the version itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "code", "normal"),
    [
        ("1.0.0-foo", "RG105", None),
        ("one", "RG105", None),
        ("0.2.0-rc1", "RG106", "0.2.0rc1"),
        ("v0.1.0", "RG106", "0.1.0"),
        ("0.2.0.DEV0", "RG106", "0.2.0.dev0"),
    ],
)
def test_invalid_or_non_normalized_version(
    make_project: MakeProject, version: str, code: str, normal: str | None
) -> None:
    finding = only(check(make_project(version=version)), code)
    assert (finding.path, finding.line) == ("pyproject.toml", 7)
    assert repr(version) in finding.message
    if normal is not None:
        assert repr(normal) in finding.message


@pytest.mark.parametrize("version", ["0.2.0rc1", "0.2.0.dev3", "0.2.0a1", "1!0.2.0b2"])
def test_valid_pep440_prereleases_pass(make_project: MakeProject, version: str) -> None:
    assert check(make_project(version=version)).findings == []


SEMVER = '\n[tool.release-guard]\nversion-scheme = "semver"\n'


@pytest.mark.parametrize("version", ["0.1", "0.1.0rc1", "0.1.0.post1", "00.1.0"])
def test_semver_scheme_rejects_non_semver(make_project: MakeProject, version: str) -> None:
    root = make_project(
        version=version, files={"pyproject.toml": pyproject(version=version, extra=SEMVER)}
    )
    codes = [f.code for f in check(root).findings]
    assert "RG107" in codes
    assert "RG106" not in codes  # semver spellings are not held to PEP 440's normal form


@pytest.mark.parametrize("version", ["0.2.0", "0.2.0-rc.1", "0.2.0-alpha"])
def test_semver_scheme_accepts_semver(make_project: MakeProject, version: str) -> None:
    root = make_project(
        version=version, files={"pyproject.toml": pyproject(version=version, extra=SEMVER)}
    )
    assert [f.code for f in check(root).findings] in ([], ["RG211"])
    assert "RG107" not in [f.code for f in check(root).findings]


def test_no_version_at_all_is_rg101(make_project: MakeProject) -> None:
    text = pyproject().replace('version = "0.1.0"\n', "")
    finding = only(check(make_project(files={"pyproject.toml": text})), "RG101")
    assert finding.line == 5  # the [project] table


def test_non_string_version_is_rg101(make_project: MakeProject) -> None:
    text = pyproject().replace('version = "0.1.0"', "version = 0.1")
    assert (
        "must be a string"
        in only(check(make_project(files={"pyproject.toml": text})), "RG101").message
    )


def test_static_and_dynamic_version_at_once_is_rg101(make_project: MakeProject) -> None:
    text = pyproject().replace('version = "0.1.0"', 'version = "0.1.0"\ndynamic = ["version"]')
    finding = only(check(make_project(files={"pyproject.toml": text})), "RG101")
    assert "also lists it as dynamic" in finding.message


def test_dynamic_version_without_source_is_rg101(make_project: MakeProject) -> None:
    root = make_project(files={"pyproject.toml": dynamic_pyproject("")})
    assert "dynamic" in only(check(root), "RG101").message


# -- dynamic versions -------------------------------------------------------------------------


def test_hatch_path_is_the_version_of_truth(make_project: MakeProject) -> None:
    hatch = '[tool.hatch.version]\npath = "src/theo/__init__.py"\n'
    root = make_project(files={"pyproject.toml": dynamic_pyproject(hatch)})
    outcome = check(root)
    assert (outcome.findings, outcome.notes) == ([], [])
    # the version of truth is judged: here it is behind the changelog's newest release
    behind = make_project(
        files={"pyproject.toml": dynamic_pyproject(hatch), THEO_INIT: '__version__ = "0.0.9"\n'}
    )
    findings = check(behind).findings
    assert [f.code for f in findings] == ["RG211", "RG212"]
    assert findings[1].path == THEO_INIT


def test_hatch_path_uses_hatch_pattern_as_hatch_does(make_project: MakeProject) -> None:
    # hatch's default regex does not read an annotated assignment: its build would fail
    hatch = '[tool.hatch.version]\npath = "src/theo/__init__.py"\n'
    root = make_project(
        files={
            "pyproject.toml": dynamic_pyproject(hatch),
            THEO_INIT: '__version__: str = "0.1.0"\n',
        }
    )
    assert only(check(root), "RG103").path == THEO_INIT
    about = '[tool.hatch.version]\npath = "src/theo/__about__.py"\n'
    root = make_project(
        files={
            "pyproject.toml": dynamic_pyproject(about),
            "src/theo/__about__.py": "VERSION = 'v0.1.0'\n",
        }
    )
    assert check(root).findings == []


def test_hatch_custom_pattern_and_synced_files(make_project: MakeProject) -> None:
    hatch = (
        '[tool.hatch.version]\npath = "VERSION.txt"\npattern = "^(?P<version>\\\\S+)$"\n'
        '\n[tool.release-guard]\nversion-files = ["src/theo/__init__.py"]\n'
    )
    root = make_project(
        files={"pyproject.toml": dynamic_pyproject(hatch), "VERSION.txt": "0.1.0\n"}
    )
    assert check(root).findings == []
    root = make_project(
        files={
            "pyproject.toml": dynamic_pyproject(hatch),
            "VERSION.txt": "0.1.0\n",
            THEO_INIT: '__version__ = "0.1.1"\n',
        }
    )
    finding = only(check(root), "RG104")
    assert finding.path == THEO_INIT
    assert "VERSION.txt" in finding.message


def test_hatch_path_missing_is_rg102(make_project: MakeProject) -> None:
    hatch = '[tool.hatch.version]\npath = "src/theo/_version.py"\n'
    root = make_project(files={"pyproject.toml": dynamic_pyproject(hatch)})
    assert only(check(root), "RG102").path == "src/theo/_version.py"


def test_setuptools_attr_is_the_version_of_truth(make_project: MakeProject) -> None:
    setuptools = (
        '[tool.setuptools.dynamic]\nversion = { attr = "theo.__version__" }\n'
        '[tool.setuptools.package-dir]\n"" = "src"\n'
    )
    text = dynamic_pyproject(setuptools, requires="setuptools")
    assert check(make_project(files={"pyproject.toml": text})).findings == []
    root = make_project(files={"pyproject.toml": text, THEO_INIT: '__version__ = "0.2.0"\n'})
    finding = only(check(root), "RG211")  # 0.2.0 is read from the file: it needs a section
    assert "0.2.0" in finding.message


@pytest.mark.parametrize(
    "layout",
    ["", '[tool.setuptools.packages.find]\nwhere = ["src"]\n'],
    ids=["automatic discovery", "find where"],
)
def test_setuptools_attr_finds_the_src_layout(make_project: MakeProject, layout: str) -> None:
    setuptools = '[tool.setuptools.dynamic]\nversion = { attr = "theo.__version__" }\n' + layout
    text = dynamic_pyproject(setuptools, requires="setuptools")
    root = make_project(files={"pyproject.toml": text, THEO_INIT: '__version__ = "0.2.0"\n'})
    finding = only(check(root), "RG211")  # read from src/theo/__init__.py, not "missing"
    assert "0.2.0" in finding.message


def test_setuptools_file_is_the_version_of_truth(make_project: MakeProject) -> None:
    setuptools = '[tool.setuptools.dynamic]\nversion = { file = "VERSION" }\n'
    text = dynamic_pyproject(setuptools, requires="setuptools")
    root = make_project(files={"pyproject.toml": text, "VERSION": "0.1.0\n"})
    assert check(root).findings == []
    root = make_project(files={"pyproject.toml": text, "VERSION": "0.1.0\n", THEO_INIT: ""})
    assert only(check(root), "RG103").path == THEO_INIT


@pytest.mark.parametrize(
    ("extra", "requires"),
    [
        ('[tool.hatch.version]\nsource = "vcs"\n', "hatch-vcs"),
        ("[tool.setuptools_scm]\n", "setuptools"),
        ("", "setuptools-scm>=8"),
    ],
    ids=["hatch-vcs", "setuptools_scm-table", "setuptools-scm-requirement"],
)
def test_vcs_version_is_one_note_and_other_checks_run(
    make_project: MakeProject, extra: str, requires: str
) -> None:
    text = dynamic_pyproject(extra, requires=requires)
    outcome = check(make_project(files={"pyproject.toml": text}))
    assert outcome.findings == []
    assert len(outcome.notes) == 1
    assert "derived from git tags" in outcome.notes[0]
    changelog = "# Changelog\n\n## [0.1.0] - 2026-02-30\n\n- x\n"
    broken = make_project(files={"pyproject.toml": text, "CHANGELOG.md": changelog})
    assert [f.code for f in check(broken).findings] == ["RG204"]


def test_command_line_reports_every_version_finding_at_once(make_project: MakeProject) -> None:
    config = '\n[tool.release-guard]\nversion-files = ["src/theo/__init__.py", "src/theo/v.py"]\n'
    root = make_project(
        version="1.0.0-rc1",
        files={
            "pyproject.toml": pyproject(version="1.0.0-rc1", extra=config),
            THEO_INIT: '__version__ = "1.0.0rc1"\n',
        },
    )
    result = run_rg("check", cwd=root)
    assert result.returncode == 1
    for code in ("RG102", "RG104", "RG106"):
        assert f" {code} " in result.stdout
    assert "Found 3 problems." in result.stdout
