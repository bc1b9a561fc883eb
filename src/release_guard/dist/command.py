"""`release-guard verify-dist`: check built wheels and sdists before they are published.

The command: which dists to verify, what they must be, and the report. Archives are read in
place (dist.archive); nothing is ever extracted to disk, so a hostile archive can only
produce findings. docs/dist.md describes every check.
"""

from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from release_guard.findings import Finding, InputError
from release_guard.report import Outcome, default_format, run_command
from release_guard.source import WorkTree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from packaging.version import Version

    from release_guard.dist.expected import Expected


def collect_dists(paths: Sequence[str], root: str) -> tuple[list[str], list[Finding]]:
    """The dist files to verify: those given (a directory stands for its dists), else dist/."""
    findings: list[Finding] = []
    found: list[str] = []
    for path in paths or [os.path.join(root, "dist")]:
        if os.path.isdir(path):
            try:
                entries = os.listdir(path)
            except OSError as error:
                findings.append(
                    Finding("RG412", f"cannot list: {error.strerror}", shown_path(path))
                )
                continue
            in_dir = sorted(
                os.path.join(path, entry)
                for entry in entries
                if entry.endswith((".whl", ".tar.gz")) and os.path.isfile(os.path.join(path, entry))
            )
            if not in_dir:
                findings.append(
                    Finding("RG401", "no wheel or sdist in this directory", shown_path(path) + "/")
                )
            found += in_dir
        elif os.path.isfile(path):
            found.append(path)
        elif paths:
            findings.append(Finding("RG412", "no such file", shown_path(path)))
        else:
            findings.append(
                Finding("RG401", "no dist/ directory: nothing was built", shown_path(path) + "/")
            )
    first_of_each: dict[str, str] = {}  # a file named twice is verified once
    for path in found:
        first_of_each.setdefault(os.path.realpath(path), path)
    return list(first_of_each.values()), findings


def shown_path(path: str) -> str:
    """The path as a message shows it: relative to the current directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return path
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def _verify_each(
    dists: Sequence[str], expected: Expected, notes: list[str], skipped: list[str]
) -> list[Finding]:
    findings: list[Finding] = []
    for path in dists:
        shown = shown_path(path)
        # imported here: a usage error or --help does not pay for zipfile, tarfile, packaging
        if path.endswith(".whl"):
            from release_guard.dist.wheel import verify_wheel

            findings += verify_wheel(path, shown, expected, notes, skipped)
        elif path.endswith(".tar.gz"):
            from release_guard.dist.sdist import verify_sdist

            findings += verify_sdist(path, shown, expected, notes, skipped)
        else:
            findings.append(
                Finding(
                    "RG402",
                    "not a wheel (.whl) or an sdist (.tar.gz, PEP 625)",
                    shown,
                    hint="pass wheels and sdists, or a directory that holds them",
                )
            )
    return findings


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Verifying a wheel allocates objects by the ten thousand (a ZipInfo per entry, RECORD's
    rows) and forms no reference cycles: the cyclic garbage collector would only walk them,
    and the modules imported on the way, again and again. Reference counting still frees
    everything.

    What is alive at the end is nearly all the imported modules' objects, which live until
    the process exits: frozen, the collector skips them from then on, its full passes at
    interpreter exit included (with the pause, about 12 ms of a 10,000-file wheel's run).
    A longer-lived process that calls main() keeps them out of cyclic collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _summary(dists: Sequence[str], expected: Expected) -> str:
    opened = [path for path in dists if os.path.isfile(path)]
    wheels = sum(path.endswith(".whl") for path in opened)
    sdists = sum(path.endswith(".tar.gz") for path in opened)
    what = f"{_count(wheels, 'wheel')} and {_count(sdists, 'sdist')}"
    project = expected.name or "the project"
    if expected.version is None:
        return f"verified {what} of {project}"
    return f"verified {what} of {project} {expected.version} (from {expected.origin})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _version_argument(text: str) -> Version:
    from release_guard.dist.expected import as_version

    version = as_version(text)
    if version is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a PEP 440 version")
    return version


def main(argv: Sequence[str] | None = None) -> int:
    with _collector_paused():
        return _verify_dist(argv)


def _verify_dist(argv: Sequence[str] | None) -> int:
    # imported here, with the collector paused (_collector_paused says why)
    from release_guard.arguments import add_output_arguments, add_root_argument, project_root
    from release_guard.config import LEGACY_FILES, PYPROJECT
    from release_guard.dist.expected import expected_from_arguments, expected_from_project

    parser = argparse.ArgumentParser(
        prog="release-guard verify-dist",
        description="Verify built wheels and sdists before publishing: version, project name, "
        "required files, stray or unsafe entries, metadata and the wheel's RECORD.",
    )
    parser.add_argument(
        "dists",
        nargs="*",
        metavar="DIST",
        help="wheel, sdist or directory of them (default: every *.whl and *.tar.gz in dist/)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--tag", help="expect the version this release tag names, e.g. v1.2.0")
    which.add_argument(
        "--version",
        type=_version_argument,
        help="expect this version (default: the project's)",
    )
    parser.add_argument(
        "--name", help="expect this project name (default: the project's [project] name)"
    )
    add_root_argument(parser)
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    root = project_root(parser, args.root)
    # Downloaded dists, judged without a project: only when the user says what to expect.
    # a project: pyproject.toml, or setup.cfg / setup.py alone
    has_project = any(os.path.isfile(os.path.join(root, name)) for name in (PYPROJECT, *LEGACY_FILES))
    without_project = not has_project and bool(
        args.dists and (args.name or args.version or args.tag)
    )

    def body() -> Outcome:
        from release_guard.config import load_project

        notes: list[str] = []
        skipped: list[str] = []
        if without_project:
            expected = expected_from_arguments(args.tag, args.version, args.name, skipped)
        elif not has_project:
            raise InputError(
                Finding(
                    "RG001",
                    f"no {PYPROJECT} found (nor setup.cfg or setup.py)",
                    PYPROJECT,
                    hint="run from the project root or pass --root DIR; to verify downloaded "
                    "dists without a project, name them with --version X.Y.Z and --name NAME",
                )
            )
        else:
            source = WorkTree(root)
            project = load_project(source)
            if project.is_workspace:
                from release_guard.workspace.dist import verify_workspace_dists

                dists, findings = collect_dists(args.dists, root)
                return verify_workspace_dists(
                    source, project, dists, findings, args.tag, args.version, _verify_each, _summary
                )
            expected = expected_from_project(
                source, args.tag, args.version, skipped, args.name, project
            )
        dists, findings = collect_dists(args.dists, root)
        findings += _verify_each(dists, expected, notes, skipped)
        if dists:
            notes.insert(0, _summary(dists, expected))
        kept = [f for f in findings if f.code not in expected.ignore]
        return Outcome(kept, notes, list(dict.fromkeys(skipped)))  # each said once

    return run_command("verify-dist", args.format or default_format(), args.quiet, body)
