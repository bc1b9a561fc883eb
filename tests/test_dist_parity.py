"""verify-dist on wheels and sdists built by real backends (hatchling, setuptools, flit,
pdm-backend, poetry-core): no check that switches itself off silently, check-wheel-contents'
W-codes, PEP 721 links, exact zip overlaps, bounded inflating, the long description."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import run_rg, write
from test_dist import check_wheel_contents, record_line

SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
HATCHLING = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
FLIT = '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n'
PDM = '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n'
POETRY = '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-02-07\n\n### Added\n\n- x\n"


def project(name: str = "acme", version: str = "0.1.0", readme: str = "") -> str:
    return f'[project]\nname = "{name}"\nversion = "{version}"\ndescription = "x"\n{readme}'


def build(root: Path, files: Mapping[str, str | bytes], sdist: bool = False) -> Path:
    """The project written and built by its own backend; the wheel (or the sdist)."""
    write(root, {"CHANGELOG.md": CHANGELOG, **files})
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist" if sdist else "--wheel"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    (built,) = (root / "dist").iterdir()
    return built


def verify(root: Path, *args: str) -> tuple[int, list[str], str, list[str]]:
    """Exit code, codes, messages and skipped checks of `verify-dist --format json`."""
    result = run_rg("verify-dist", "--format", "json", *args, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    document = json.loads(result.stdout or result.stderr)
    findings = document["findings"]
    text = "\n".join(f["message"] for f in findings)
    return result.returncode, [f["code"] for f in findings], text, document["skipped"]


# -- no check switches itself off silently -------------------------------------------------------


def test_no_package_found_says_which_checks_did_not_run(tmp_path: Path) -> None:
    """setuptools finds `acmelib/` by itself; nothing in the config names it."""
    root = tmp_path / "acme"
    build(root, {"pyproject.toml": SETUPTOOLS + project("acme-tools"), "acmelib/__init__.py": ""})
    text = run_rg("verify-dist", cwd=root)
    assert text.returncode == 0, text.stdout
    assert "All checks passed" not in text.stdout
    assert "No problems found, but 2 checks did not run" in text.stdout
    assert text.stdout.count("wheel-files") == 2  # the key that turns each check on
    github = run_rg("verify-dist", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert "::warning title=release-guard::not checked: required files" in github.stdout


def test_empty_wheel_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    pyproject = (
        HATCHLING
        + project()
        + '\n[tool.hatch.build.targets.wheel]\nbypass-selection = true\nexclude = ["acme"]\n'
    )
    wheel = build(root, {"pyproject.toml": pyproject, "acme/__init__.py": ""})
    theirs = check_wheel_contents(wheel)
    assert "W007" in theirs
    assert "W008" in theirs
    code, codes, text, _ = verify(root)
    assert code == 1
    assert "RG413" in codes
    assert "installs nothing but its metadata" in text


def test_tests_only_wheel_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    pyproject = HATCHLING + project() + '\n[tool.hatch.build.targets.wheel]\npackages = ["tests"]\n'
    files = {"pyproject.toml": pyproject, "tests/__init__.py": "", "tests/test_a.py": "x = 1\n"}
    wheel = build(root, files)
    assert "W005" in check_wheel_contents(wheel)
    code, codes, text, _ = verify(root)
    # tests/ is what the config declares, so it is no stray (RG407): but no library either
    assert (code, codes) == (1, ["RG413"])
    assert "holds only tests/" in text


def test_two_dist_info_directories(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    wheel = build(root, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""})
    add_entries(wheel, {"other-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: other\n"})
    code, _, text, _ = verify(root)
    assert code == 1
    assert "the wheel has 2 .dist-info directories" in text


def test_no_project_name_is_said_and_name_option(tmp_path: Path) -> None:
    """A project whose name is only in setup.py (never run, never parsed): without --name the
    name check cannot run, and says so; with it, another project's wheel is refused."""
    evil = tmp_path / "evil"
    evil_wheel = build(evil, {"pyproject.toml": HATCHLING + project("evil", "1.0"), "evil.py": ""})
    root = tmp_path / "acme"
    write(
        root,
        {
            "pyproject.toml": SETUPTOOLS + '\n[tool.release-guard]\nwheel-files = ["*.py"]\n',
            "CHANGELOG.md": CHANGELOG,
        },
    )
    code, codes, _, skipped = verify(root, str(evil_wheel), "--version", "1.0")
    assert (code, codes) == (0, [])
    assert any("--name" in what for what in skipped)
    text = run_rg("verify-dist", str(evil_wheel), "--version", "1.0", cwd=root)
    assert "All checks passed" not in text.stdout
    code, codes, _, _ = verify(root, str(evil_wheel), "--version", "1.0", "--name", "acme")
    assert (code, codes) == (1, ["RG404", "RG404"])  # the file name and METADATA


def test_downloaded_dists_without_a_project(tmp_path: Path) -> None:
    built = tmp_path / "acme"
    wheel = build(built, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""})
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    code, codes, _, skipped = verify(elsewhere, str(wheel), "--version", "0.1.0", "--name", "acme")
    assert (code, codes) == (0, [])
    assert skipped == [
        "required files and the wheel's top-level names: no pyproject.toml to take them from"
    ]
    code, codes, _, _ = verify(elsewhere, str(wheel), "--version", "0.2.0", "--name", "other")
    assert code == 1
    assert set(codes) == {"RG402", "RG403", "RG404"}
    refused = run_rg("verify-dist", str(wheel), cwd=elsewhere)
    assert refused.returncode == 2
    assert "RG001" in refused.stderr
    assert "--version X.Y.Z and --name NAME" in refused.stderr


# -- backends' package configuration ------------------------------------------------------------


def test_setuptools_packages_find_include_is_read(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    pyproject = (
        SETUPTOOLS
        + project()
        + '\n[tool.setuptools.packages.find]\ninclude = ["acme*", "_acme_hack"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "acme/__init__.py": "",
        "acme/sub/__init__.py": "",
        "_acme_hack/__init__.py": "",
    }
    wheel = build(root, files)
    with zipfile.ZipFile(wheel) as archive:
        assert "_acme_hack/__init__.py" in archive.namelist()
    assert verify(root)[:2] == (0, [])


def test_setuptools_lib_layout_is_found(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    pyproject = (
        SETUPTOOLS
        + project()
        + '\n[tool.setuptools.packages.find]\nwhere = ["lib"]\nexclude = ["internal_tests*"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "lib/acme_core/__init__.py": "",
        "lib/acme_extra/__init__.py": "",
    }
    build(root, files)
    code, codes, text, skipped = verify(root)
    assert (code, codes) == (0, []), text
    assert not any("top-level" in what for what in skipped), skipped


@pytest.mark.parametrize(
    ("backend", "config", "files"),
    [
        (FLIT, "", {"acme.py": '"""A."""\n__version__ = "0.1.0"\n'}),
        (
            POETRY,
            '\n[tool.poetry]\npackages = [{ include = "acmekit", from = "src" }]\n',
            {"src/acmekit/__init__.py": ""},
        ),
        (PDM, '\n[tool.pdm.build]\nincludes = ["acmelib"]\n', {"acmelib/__init__.py": ""}),
    ],
)
def test_other_backends_package_config_is_read(
    tmp_path: Path, backend: str, config: str, files: dict[str, str]
) -> None:
    root = tmp_path / "acme"
    build(root, {"pyproject.toml": backend + project() + config, **files})
    code, codes, text, skipped = verify(root)
    assert (code, codes) == (0, []), text
    assert not any("top-level" in what for what in skipped), skipped


# -- check-wheel-contents parity: one real-backend wheel per W-code ------------------------------


def test_w004_module_at_an_unimportable_path(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    files = {
        "pyproject.toml": HATCHLING + project(),
        "src/acme/__init__.py": "",
        "src/acme/my-plugin/util.py": "",
    }
    wheel = build(root, files)
    assert "W004" in check_wheel_contents(wheel)
    code, codes, text, _ = verify(root)
    assert (code, codes) == (1, ["RG414"])
    assert "acme/my-plugin/util.py is not at an importable path" in text


def test_w010_top_level_directory_without_modules(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    pyproject = (
        HATCHLING
        + project()
        + '\n[tool.hatch.build.targets.wheel.force-include]\n"assets" = "acme_assets"\n'
    )
    files = {"pyproject.toml": pyproject, "acme/__init__.py": "", "assets/logo.svg": "<svg/>"}
    wheel = build(root, files)
    assert "W010" in check_wheel_contents(wheel)
    code, codes, text, _ = verify(root)
    assert (code, codes) == (1, ["RG413"])
    assert "acme_assets/ at the top level holds no Python module" in text


def test_w003_w006_non_module_and_init_at_the_top_level(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    pyproject = (
        HATCHLING
        + project()
        + '\n[tool.hatch.build.targets.wheel.force-include]\n"NOTES.txt" = "NOTES.txt"\n'
        + '"stray.py" = "__init__.py"\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "acme/__init__.py": "",
        "NOTES.txt": "notes\n",
        "stray.py": "",
    }
    wheel = build(root, files)
    theirs = check_wheel_contents(wheel)
    assert "W003" in theirs
    assert "W006" in theirs
    # force-include declares NOTES.txt: the project ships it on purpose, so only __init__.py
    code, codes, text, _ = verify(root)
    assert (code, codes) == (1, ["RG407"])
    assert "ships __init__.py at the top level" in text


def test_w002_duplicate_content_is_not_a_finding(tmp_path: Path) -> None:
    """docs/dist.md: two files with the same bytes are common and harmless (empty
    __init__.py, py.typed markers, a license copied twice)."""
    root = tmp_path / "acme"
    same = '"""Same."""\n'
    files = {"pyproject.toml": SETUPTOOLS + project(), "acme/__init__.py": same, "acme/a.py": same}
    wheel = build(root, files)
    assert "W002" in check_wheel_contents(wheel)
    assert verify(root)[:2] == (0, [])


# -- zip and tar details --------------------------------------------------------------------------


def add_entries(
    wheel: Path, entries: dict[str, bytes], attrs: dict[str, int] | None = None
) -> None:
    """Add entries to a built wheel, with RECORD rows, as a careless tool would."""
    with zipfile.ZipFile(wheel) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename.endswith(".dist-info/RECORD") and "other-" not in info.filename:
                rows = "".join(f"{record_line(n, d)}\n" for n, d in entries.items())
                data = data + rows.encode()
            target.writestr(info, data)
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (attrs or {}).get(name, 0o100644) << 16
            target.writestr(info, data)


def test_symlink_entry_in_a_wheel_is_one_clear_finding(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    wheel = build(root, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""})
    add_entries(wheel, {"acme/link.py": b"__init__.py"}, {"acme/link.py": 0o120777})
    code, codes, text, _ = verify(root)
    assert (code, codes) == (1, ["RG409"])
    assert "'acme/link.py' is a link" in text


def test_pep_721_in_tree_symlinks_in_an_sdist_are_allowed(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    sdist = build(
        root, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""}, sdist=True
    )
    top = "acme-0.1.0"
    with tarfile.open(sdist) as source:
        members = [(m, source.extractfile(m).read() if m.isfile() else b"") for m in source]  # type: ignore[union-attr]
    with tarfile.open(sdist, "w:gz") as target:
        for member, data in members:
            target.addfile(member, io.BytesIO(data))
        for name, link in (
            (f"{top}/docs/changelog.md", "../CHANGELOG.md"),  # in the tree: PEP 721 allows it
            (f"{top}/acme/alias", "."),
            (f"{top}/escape", "../../etc/passwd"),  # out of the tree: refused
            (f"{top}/absolute", "/etc/passwd"),
        ):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, link
            target.addfile(info)
    code, codes, text, _ = verify(root)
    assert (code, codes) == (1, ["RG409", "RG409"]), text
    assert "'acme-0.1.0/escape' is a link" in text
    assert "'acme-0.1.0/absolute' is a link" in text


def nested_entry_wheel(wheel: Path) -> None:
    """An entry whose local header and 60 bytes of data sit inside another entry's data:
    both have the right CRC and sizes, and together they fit in the file."""
    inner_data = b"x = 1\n" * 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as inner:
        inner.writestr("acme/inner.py", inner_data)
        inner_info = inner.getinfo("acme/inner.py")
    inner_bytes = buffer.getvalue()[: inner.start_dir]
    add_entries(wheel, {"acme/outer.bin": inner_bytes})
    with zipfile.ZipFile(wheel, "a", zipfile.ZIP_STORED) as archive:
        outer = archive.getinfo("acme/outer.bin")
        with open(wheel, "rb") as handle:
            handle.seek(outer.header_offset + 26)
            name_length, extra_length = struct.unpack("<HH", handle.read(4))
        nested = zipfile.ZipInfo("acme/inner.py", inner_info.date_time)
        nested.compress_type = zipfile.ZIP_STORED
        nested.CRC, nested.file_size, nested.compress_size = (
            inner_info.CRC,
            len(inner_data),
            len(inner_data),
        )
        nested.external_attr = 0o100644 << 16
        nested.header_offset = outer.header_offset + 30 + name_length + extra_length
        archive.filelist.append(nested)
        archive.NameToInfo[nested.filename] = nested
        archive._didModify = True  # type: ignore[attr-defined]  # rewrite the directory on close


def test_small_nested_zip_entry_is_an_overlap(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    wheel = build(root, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""})
    nested_entry_wheel(wheel)
    with zipfile.ZipFile(wheel) as archive:  # zipfile reads both, CRCs and all
        assert archive.read("acme/inner.py") == b"x = 1\n" * 10
        assert archive.testzip() is None
    code, _, text, _ = verify(root)
    assert code == 1
    assert "zip entries overlap each other" in text
    assert "acme/outer.bin runs into acme/inner.py" in text


def test_entries_claiming_past_the_inflating_budget_are_refused(tmp_path: Path) -> None:
    """Three 128 MiB entries of zeros (a few hundred KiB compressed): each ratio is one that
    deflate can reach, but together they claim more than 100 times the archive's size."""
    root = tmp_path / "acme"
    wheel = build(root, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""})
    with zipfile.ZipFile(wheel, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(3):
            with archive.open(f"acme/zeros{number}.bin", "w") as handle:
                for _ in range(128):
                    handle.write(bytes(1024 * 1024))
    code, codes, text, _ = verify(root)
    assert code == 1
    assert "RG412" in codes
    assert "refused before inflating" in text
    assert "bytes in all, more than 100 times the archive's" in text


def test_metadata_over_16_mib_says_so(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    wheel = build(root, {"pyproject.toml": HATCHLING + project(), "acme/__init__.py": ""})
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/METADATA"))
        metadata = archive.read(name)
    huge = metadata + b"\n" + b"The long description. " * 800_000  # 17.6 MB
    rewrite = {name: huge}
    with zipfile.ZipFile(wheel) as source:
        items = [
            (info, rewrite.get(info.filename, source.read(info))) for info in source.infolist()
        ]
    record_name = name.replace("METADATA", "RECORD")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == record_name:
                rows = [record_line(i.filename, d) for i, d in items if i.filename != record_name]
                data = ("\n".join(rows) + f"\n{record_name},,\n").encode()
            target.writestr(info.filename, data)
    code, _, text, _ = verify(root)
    assert code == 1
    assert f"{name} is larger than 16777216 bytes" in text
    assert "ends early" not in text


# -- the long description, rendered as PyPI renders it --------------------------------------------


def test_long_description_that_pypi_cannot_render(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    readme = 'readme = { file = "README.rst", content-type = "text/x-rst" }\n'
    broken = "Acme\n====\n\n.. this-directive-does-not-exist::\n\n`unclosed\n"
    files = {
        "pyproject.toml": HATCHLING + project(readme=readme),
        "acme/__init__.py": "",
        "README.rst": broken,
    }
    build(root, files)
    code, codes, text, _ = verify(root)
    assert (code, codes) == (1, ["RG410"])
    assert "the long description (text/x-rst) does not render on PyPI" in text
    (root / "README.rst").write_text("Acme\n====\n\nFine *text*.\n")
    for built in (root / "dist").iterdir():
        built.unlink()
    build(root, {})
    assert verify(root)[:2] == (0, [])


def test_without_readme_renderer_the_render_check_says_it_did_not_run(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    readme = 'readme = { file = "README.rst", content-type = "text/x-rst" }\n'
    files = {
        "pyproject.toml": HATCHLING + project(readme=readme),
        "acme/__init__.py": "",
        "README.rst": "Acme\n====\n",
    }
    build(root, files)
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "readme_renderer.py").write_text("raise ImportError('not installed')\n")
    env = {"PYTHONPATH": os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")])}
    result = run_rg("verify-dist", "--format", "json", cwd=root, env=env)
    skipped = json.loads(result.stdout)["skipped"]
    assert any("release-guard[render]" in what for what in skipped), skipped
