"""Where each backend keeps the version, the files that carry it, and their bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git, run_rg, write
from release_guard.check import run_checks
from release_guard.config import load_project
from release_guard.report import Outcome
from release_guard.source import WorkTree

CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n- Next.\n\n## [1.2.0] - 2026-01-05\n\n- First.\n"
INIT = '__version__ = "1.2.0"\n'
DYNAMIC = '[project]\nname = "pkg"\ndynamic = ["version"]\n'


def build_system(requires: str, backend: str) -> str:
    return f'[build-system]\nrequires = ["{requires}"]\nbuild-backend = "{backend}"\n\n'


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    write(tmp_path, {"CHANGELOG.md": CHANGELOG, **files})
    return tmp_path


def check(root: Path, tag: str | None = None) -> Outcome:
    return run_checks(WorkTree(str(root)), tag)


def codes(outcome: Outcome) -> list[str]:
    return [finding.code for finding in outcome.findings]


# -- every source: (files, where the version of truth is read) -----------------------------------

SOURCES: dict[str, tuple[dict[str, str], str]] = {
    "poetry-1": (
        {
            "pyproject.toml": build_system("poetry-core", "poetry.core.masonry.api")
            + '[tool.poetry]\nname = "pkg"\nversion = "1.2.0"\n'
        },
        "pyproject.toml",
    ),
    "poetry-2-dynamic": (
        {
            "pyproject.toml": build_system("poetry-core>=2", "poetry.core.masonry.api")
            + DYNAMIC
            + '\n[tool.poetry]\nversion = "1.2.0"\n'
        },
        "pyproject.toml",
    ),
    "hatch-code-name": (
        {
            "pyproject.toml": build_system("hatchling", "hatchling.build")
            + DYNAMIC
            + '[tool.hatch.version]\nsource = "code"\npath = "src/pkg/about.py"\n'
            'expression = "VERSION"\n',
            "src/pkg/about.py": 'VERSION = "1.2.0"\n',
        },
        "src/pkg/about.py",
    ),
    "setup.cfg-attr": (
        {
            "setup.cfg": "[metadata]\nname = pkg\nversion = attr: pkg.__version__\n\n"
            "[options]\npackage_dir =\n    =src\n",
            "src/pkg/__init__.py": INIT,
        },
        "src/pkg/__init__.py",
    ),
    "setup.cfg-file": (
        {
            "pyproject.toml": build_system("setuptools", "setuptools.build_meta"),
            "setup.cfg": "[metadata]\nname = pkg\nversion = file: VERSION.txt\n",
            "VERSION.txt": "1.2.0\n",
        },
        "VERSION.txt",
    ),
    "setup.py-literal": (
        {"setup.py": 'from setuptools import setup\nsetup(name="pkg", version="1.2.0")\n'},
        "setup.py",
    ),
    "setup.py-reads-a-module": (
        {
            "setup.py": "import os, re\nfrom setuptools import setup\n\n"
            "with open(os.path.join('src', 'pkg', '_version.py')) as f:\n"
            "    version = re.search(r'__version__ = \"(.+)\"', f.read()).group(1)\n"
            "setup(name='pkg', version=version)\n",
            "src/pkg/_version.py": INIT,
        },
        "src/pkg/_version.py",
    ),
    "setup.py-imports-the-package": (
        {
            "setup.py": "from setuptools import setup\nfrom pkg import __version__\n"
            "setup(name='pkg', version=__version__)\n",
            "pkg/__init__.py": INIT,
        },
        "pkg/__init__.py",
    ),
    "setup.py-helper-with-a-package-argument": (
        {
            "setup.py": "import os, re\nfrom setuptools import setup\n\n"
            "def get_version(package):\n"
            "    with open(os.path.join(package, '__init__.py')) as f:\n"
            "        return re.search('__version__ = \"(.+)\"', f.read()).group(1)\n\n"
            "setup(name='pkg', version=get_version('pkg'))\n",
            "pkg/__init__.py": INIT,
        },
        "pkg/__init__.py",
    ),
    "setup.py-helper-with-path-parts": (
        {
            "setup.py": "import codecs, os\nfrom setuptools import setup\n"
            "here = os.path.abspath(os.path.dirname(__file__))\n\n"
            "def find_version(*parts):\n"
            "    return codecs.open(os.path.join(here, *parts)).read()\n\n"
            "setup(name='pkg', version=find_version('src', 'pkg', '__init__.py'))\n",
            "src/pkg/__init__.py": INIT,
        },
        "src/pkg/__init__.py",
    ),
    "setup.py-module-level-names": (
        {
            "setup.py": "import os\nfrom pathlib import Path\nfrom setuptools import setup\n"
            'NAME = "pkg"\nHERE = Path(__file__).parent\n'
            'META = (HERE / "src" / NAME / "__about__.py").read_text()\n'
            "VERSION = find_meta('version')\nsetup(name=NAME, version=VERSION)\n",
            "src/pkg/__about__.py": INIT,
        },
        "src/pkg/__about__.py",
    ),
    "poetry-behind-another-backend": (
        {
            "pyproject.toml": build_system("intreehooks", "intreehooks:loader")
            + '[tool.poetry]\nname = "pkg"\nversion = "1.2.0"\n'
        },
        "pyproject.toml",
    ),
    "pdm-0.x-tool-table": (
        {
            "pyproject.toml": build_system("intreehooks", "intreehooks:loader")
            + '[tool.pdm]\nname = "pkg"\nversion = "1.2.0"\n'
        },
        "pyproject.toml",
    ),
    "flit-module-name": (
        {
            "pyproject.toml": build_system("flit_core", "flit_core.buildapi")
            + '[project]\nname = "py-pkg"\ndynamic = ["version", "description"]\n\n'
            '[tool.flit.module]\nname = "pkg"\n',
            "pkg.py": '"""Pkg."""\n__version__ = "1.2.0"\n',
        },
        "pkg.py",
    ),
    "pdm-file": (
        {
            "pyproject.toml": build_system("pdm-backend", "pdm.backend")
            + DYNAMIC
            + '[tool.pdm.version]\nsource = "file"\npath = "src/pkg/__init__.py"\n',
            "src/pkg/__init__.py": INIT,
        },
        "src/pkg/__init__.py",
    ),
    "pdm-legacy-from": (
        {
            "pyproject.toml": build_system("pdm-pep517", "pdm.pep517.api")
            + DYNAMIC
            + '[tool.pdm]\nversion = { from = "pkg/__init__.py" }\n',
            "pkg/__init__.py": INIT,
        },
        "pkg/__init__.py",
    ),
    "version-source-config": (
        {
            "pyproject.toml": build_system("hatchling", "hatchling.build")
            + DYNAMIC
            + '[tool.hatch.version]\nsource = "code"\npath = "version.py"\n'
            'expression = "get()"\n\n[tool.release-guard]\n'
            'version-source = { path = "VERSION", pattern = "^(\\\\S+)" }\n',
            "VERSION": "1.2.0\n",
        },
        "VERSION",
    ),
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_source_is_read_and_judged(tmp_path: Path, name: str) -> None:
    files, truth = SOURCES[name]
    root = tree(tmp_path, files)
    project = load_project(WorkTree(str(root)))
    assert project.version_source.file is not None
    assert project.version_source.file.path == truth
    assert project.name in ("pkg", "py-pkg")
    assert check(root).findings == []
    # the version read is the one judged: a bump without a changelog section is RG211
    write(root, {truth: (root / truth).read_text().replace("1.2.0", "1.3.0")})
    assert codes(check(root)) == ["RG211"]


VCS = {
    "hatch-vcs": build_system("hatch-vcs", "hatchling.build")
    + DYNAMIC
    + '[tool.hatch.version]\nsource = "vcs"\n',
    "uv-dynamic-versioning": build_system("uv-dynamic-versioning", "hatchling.build")
    + DYNAMIC
    + '[tool.hatch.version]\nsource = "uv-dynamic-versioning"\n',
    "pdm-scm": build_system("pdm-backend", "pdm.backend")
    + DYNAMIC
    + '[tool.pdm.version]\nsource = "scm"\n',
    "pdm-pep517-project-table": build_system("pdm-pep517", "pdm.pep517.api")
    + '[project]\nname = "pkg"\ndynamic = ["version"]\nversion = { use_scm = true }\n',
    "pdm-legacy-use-scm": build_system("pdm-pep517", "pdm.pep517.api")
    + DYNAMIC
    + "[tool.pdm]\nversion = { use_scm = true }\n",
    "poetry-dynamic-versioning": build_system(
        "poetry-dynamic-versioning", "poetry_dynamic_versioning.backend"
    )
    + '[tool.poetry]\nname = "pkg"\nversion = "0.0.0"\n\n'
    "[tool.poetry-dynamic-versioning]\nenable = true\n",
    "setuptools-scm": build_system("setuptools-scm>=8", "setuptools.build_meta") + DYNAMIC,
    "versioneer": build_system("versioneer[toml]", "setuptools.build_meta") + DYNAMIC,
}


@pytest.mark.parametrize("name", sorted(VCS))
def test_vcs_versions_release_by_the_tag(tmp_path: Path, name: str) -> None:
    # a stale __version__ placeholder is never compared against anything
    root = tree(
        tmp_path,
        {"pyproject.toml": VCS[name], "src/pkg/__init__.py": '__version__ = "0.0.0.dev0"\n'},
    )
    outcome = check(root)
    assert outcome.findings == []
    assert "derived from git tags" in outcome.notes[0]
    assert check(root, "v1.2.0").findings[0].code == "RG303"  # the release rules still run
    assert codes(check(root, "v1.3.0")) == ["RG302", "RG303"]


def test_setup_py_with_scm_or_versioneer(tmp_path: Path) -> None:
    write(tmp_path, {"setup.py": "from setuptools import setup\nsetup(use_scm_version=True)\n"})
    assert load_project(WorkTree(str(tmp_path))).version_source.kind == "vcs"
    write(
        tmp_path,
        {
            "setup.py": "import versioneer\nfrom setuptools import setup\n"
            "setup(version=versioneer.get_version())\n"
        },
    )
    assert load_project(WorkTree(str(tmp_path))).version_source.detail == "versioneer"


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {
                "pyproject.toml": build_system("hatchling", "hatchling.build")
                + DYNAMIC
                + '[tool.hatch.version]\nsource = "code"\npath = "v.py"\nexpression = "get()"\n'
            },
            "expression 'get()'",
        ),
        (
            {
                "pyproject.toml": build_system("pdm-backend", "pdm.backend")
                + DYNAMIC
                + '[tool.pdm.version]\nsource = "call"\ngetter = "pkg.v:get"\n'
            },
            "calls 'pkg.v:get'",
        ),
        (
            {"setup.py": "from setuptools import setup\nsetup(version=compute())\n"},
            "setup.py computes version=",
        ),
        (
            {"pyproject.toml": build_system("whatever", "custom_backend") + DYNAMIC},
            "unknown build backend custom_backend",
        ),
    ],
    ids=["hatch-code-expression", "pdm-call", "setup.py-computed", "unknown-backend"],
)
def test_unreadable_source_names_the_config_key(
    tmp_path: Path, files: dict[str, str], words: str
) -> None:
    outcome = check(tree(tmp_path, files))
    assert codes(outcome) == ["RG101"]
    message = outcome.findings[0].message
    assert words in message
    assert "[tool.release-guard] version-source" in message


def test_poetry_without_project_is_not_from_git_tags(tmp_path: Path) -> None:
    files, _ = SOURCES["poetry-1"]
    root = tree(tmp_path, files)
    git(root, "init", "-q")
    init = run_rg("init", "--dry-run", cwd=root)
    assert init.returncode == 0, init.stdout + init.stderr
    assert "version: 1.2.0 ([tool.poetry].version in pyproject.toml)" in init.stdout
    assert "git tags" not in init.stdout


def test_nothing_at_all_is_still_rg001(tmp_path: Path) -> None:
    result = run_rg("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "RG001" in result.stderr


# -- uv.lock, CITATION.cff, docs/conf.py -------------------------------------------------------

STATIC = (
    build_system("hatchling", "hatchling.build") + '[project]\nname = "My.Pkg"\nversion = "{v}"\n'
)


def uv_lock(version: str, source: str = '{ editable = "." }') -> str:
    return (
        'version = 1\nrevision = 2\nrequires-python = ">=3.9"\n\n'
        '[[package]]\nname = "idna"\nversion = "3.10"\nsource = { registry = "https://pypi.org/simple" }\n\n'
        f'[[package]]\nname = "my-pkg"\nversion = "{version}"\nsource = {source}\n'
        'dependencies = [\n    { name = "idna" },\n]\n\n[package.metadata]\nrequires-dist = []\n'
    )


def test_uv_lock_compared_as_parsed_versions(tmp_path: Path) -> None:
    files = {"pyproject.toml": STATIC.format(v="1.3.0.dev0"), "uv.lock": uv_lock("1.3.0.dev")}
    assert check(tree(tmp_path, files)).findings == []
    write(tmp_path, {"uv.lock": uv_lock("1.2.0")})
    finding = check(tmp_path).findings[0]
    assert (finding.code, finding.path, finding.line) == ("RG104", "uv.lock", 12)
    write(tmp_path, {"uv.lock": uv_lock("1.2.0").replace("\n", "\r\n")})  # git's autocrlf
    assert [(f.code, f.line) for f in check(tmp_path).findings] == [("RG104", 12)]


@pytest.mark.parametrize(
    "lock",
    [
        uv_lock("", '{ editable = "." }').replace('version = ""\n', ""),  # a dynamic version
        uv_lock("9.9.9", '{ registry = "https://pypi.org/simple" }'),  # not the project's own
        'version = 1\nrevision = 2\n\n[[package]]\nname = "idna"\nversion = "3.10"\n',
    ],
    ids=["dynamic", "same-name-from-registry", "no-entry"],
)
def test_uv_lock_entries_without_a_version_of_ours_are_skipped(tmp_path: Path, lock: str) -> None:
    files = {"pyproject.toml": STATIC.format(v="1.2.0"), "uv.lock": lock}
    assert check(tree(tmp_path, files)).findings == []


CITATION = (
    "cff-version: 1.2.0\nmessage: Cite it.\ntitle: pkg\n"
    'version: "1.2.0"\ndate-released: 2026-01-05\nauthors:\n  - family-names: Lovelace\n'
)


def test_citation_version_and_release_date(tmp_path: Path) -> None:
    files = {"pyproject.toml": STATIC.format(v="1.2.0"), "CITATION.cff": CITATION}
    root = tree(tmp_path, {**files, "CHANGELOG.md": CHANGELOG.replace("- Next.\n", "")})
    assert check(root).findings == []
    assert check(root, "v1.2.0").findings == []
    write(root, {"CITATION.cff": CITATION.replace("2026-01-05", "2025-12-24")})
    assert check(root).findings == []  # the date is a release's: judged at release only
    finding = check(root, "v1.2.0").findings[0]
    assert (finding.code, finding.line) == ("RG108", 5)
    write(root, {"CITATION.cff": CITATION.replace('"1.2.0"', "1.1.9")})
    assert codes(check(root)) == ["RG104"]


def test_sphinx_conf_release_and_short_version(tmp_path: Path) -> None:
    conf = 'project = "pkg"\nversion = "1.2"\nrelease = "1.2.0"\n'
    root = tree(tmp_path, {"pyproject.toml": STATIC.format(v="1.2.0"), "docs/conf.py": conf})
    assert check(root).findings == []
    write(root, {"docs/conf.py": conf.replace('"1.2"', '"1.1"')})
    assert [(f.code, f.line) for f in check(root).findings] == [("RG104", 2)]
    write(root, {"docs/conf.py": "version = '1.2.1'\nrelease = version\n"})
    assert [(f.code, f.line) for f in check(root).findings] == [("RG104", 1)]
    write(root, {"docs/conf.py": 'release = ""\nversion = "0.0"\n'})
    assert check(root).findings == []  # an empty release: nothing to sync
    # set from the package inside a block: computed, left alone
    nested = "version = release = 'dev'\nwith open('x') as f:\n    release = f.read()\n"
    write(root, {"docs/conf.py": nested})
    assert check(root).findings == []
    computed = "from importlib.metadata import version as v\nrelease = v('pkg')\n"
    write(root, {"docs/conf.py": computed})
    assert check(root).findings == []  # computed: left alone


# -- bad input: one coded line, nothing written ------------------------------------------------

BAD = {
    "setup.cfg-not-ini": (
        {"setup.cfg": "[metadata\nname = pkg\n", "setup.py": "from setuptools import setup\n"},
        "setup.cfg:1: RG007 setup.cfg is not valid INI",
    ),
    "setup.py-syntax-error": (
        {"setup.py": "from setuptools import setup\nsetup(name='pkg', version='1.2.0'\n"},
        "setup.py:2:6: RG005 setup.py is not valid Python",
    ),
    "uv.lock-not-toml": (
        {
            "pyproject.toml": STATIC.format(v="1.2.0"),
            "uv.lock": uv_lock("1.2.0").replace('version = "1.2.0"', 'version = "1.2.0'),
        },
        "uv.lock:12:17: RG003 uv.lock is not valid TOML",
    ),
    "uv.lock-not-a-lock": (
        {"pyproject.toml": STATIC.format(v="1.2.0"), "uv.lock": "<html>oops</html>\n"},
        "uv.lock:1: RG003 uv.lock is not a uv lock file",
    ),
    "citation-not-yaml": (
        {"pyproject.toml": STATIC.format(v="1.2.0"), "CITATION.cff": "this is { not yaml\n"},
        "CITATION.cff:1: RG007 CITATION.cff is not YAML",
    ),
    "citation-wrong-type": (
        {
            "pyproject.toml": STATIC.format(v="1.2.0"),
            "CITATION.cff": CITATION.replace('"1.2.0"', "[1, 2]"),
        },
        "CITATION.cff:4: RG007 CITATION.cff version must be a single value",
    ),
    "citation-bad-date": (
        {
            "pyproject.toml": STATIC.format(v="1.2.0"),
            "CITATION.cff": CITATION.replace("2026-01-05", "January 5th"),
        },
        "CITATION.cff:5: RG007 CITATION.cff date-released 'January 5th' is not a YYYY-MM-DD date",
    ),
    "cargo-not-toml": (
        {
            "pyproject.toml": build_system("maturin", "maturin") + DYNAMIC,
            "Cargo.toml": "[package\n",
        },
        "Cargo.toml:1:",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_coded_line_and_prepare_writes_nothing(tmp_path: Path, name: str) -> None:
    files, expected = BAD[name]
    root = tree(tmp_path, {"src/pkg/__init__.py": INIT, **files})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bad")
    result = run_rg("check", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") <= 3  # the finding, its help line, the summary
    prepare = run_rg("prepare", "minor", cwd=root)
    assert prepare.returncode == 2
    assert expected in prepare.stderr
    assert git(root, "status", "--porcelain") == ""


def test_init_names_the_key_that_settles_an_unreadable_source(tmp_path: Path) -> None:
    pyproject = (
        build_system("pdm-backend", "pdm.backend")
        + DYNAMIC
        + '[tool.pdm.version]\nsource = "call"\ngetter = "pkg.v:get"\n'
    )
    root = tree(tmp_path, {"pyproject.toml": pyproject, "src/pkg/__init__.py": INIT})
    git(root, "init", "-q")
    init = run_rg("init", "--dry-run", cwd=root)
    facts = [line for line in init.stdout.splitlines() if line.startswith("  version:")]
    assert len(facts) == 1
    assert facts[0].startswith("  version: not found: [tool.pdm.version] calls 'pkg.v:get'")
    assert 'version-source = "..."' in facts[0]
    assert "RG101" in init.stdout
    assert "git tags" not in init.stdout


def test_citation_follows_the_tag_when_the_version_comes_from_git(tmp_path: Path) -> None:
    changelog = CHANGELOG.replace("- Next.\n", "")
    files = {
        "pyproject.toml": VCS["hatch-vcs"],
        "CITATION.cff": CITATION.replace('"1.2.0"', "1.1.0"),
        "CHANGELOG.md": changelog,
        "src/pkg/__init__.py": '__version__ = "0.0.0"\n',  # a placeholder: never compared
    }
    root = tree(tmp_path, files)
    assert check(root).findings == []  # between releases there is no version to compare
    finding = check(root, "v1.2.0").findings[0]
    assert (finding.code, finding.path, finding.line) == ("RG104", "CITATION.cff", 4)
    assert "differs from '1.2.0' in the tag" in finding.message
    write(root, {"CHANGELOG.md": CHANGELOG})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.2.0")
    prepare = run_rg("prepare", "minor", "--date", "2026-02-01", cwd=root)
    assert prepare.returncode == 0, prepare.stdout + prepare.stderr
    assert "-- CITATION.cff CHANGELOG.md" in prepare.stdout
    cited = (root / "CITATION.cff").read_text()
    assert "version: 1.3.0\ndate-released: 2026-02-01\n" in cited
    assert (root / "src/pkg/__init__.py").read_text() == '__version__ = "0.0.0"\n'
    assert check(root, "v1.3.0").findings == []
