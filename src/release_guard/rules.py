"""Every rule code, in one table: its name, what it checks and how to fix it.

docs/rules.md explains each code at length; a test keeps both in step.
Codes are stable: a code is never reused for another meaning.
RG0xx are input errors (exit 2); all others are findings (exit 1).
"""

from __future__ import annotations

from release_guard.record import Record


class Rule(Record):
    __slots__ = ("code", "hint", "name", "summary")

    def __init__(
        self,
        code: str,
        name: str,
        summary: str,
        hint: str,
    ) -> None:
        self.code = code
        self.name = name
        self.summary = summary
        self.hint = hint

    @property
    def fatal(self) -> bool:
        """Input errors and refusals stop the run with exit 2 instead of being findings."""
        return self.code.startswith(("RG0", "RG6"))

    @property
    def changes_nothing(self) -> bool:
        """A refusal of a command that edits files (prepare, init): nothing was written."""
        return self.code.startswith("RG6")


_RULES = (
    # Input and configuration: the tool cannot judge what it was given (exit 2).
    Rule(
        "RG001",
        "no-pyproject",
        "pyproject.toml is missing (and there is no setup.cfg or setup.py either)",
        "run release-guard from the project root or pass --root DIR",
    ),
    Rule(
        "RG002",
        "unreadable-file",
        "a file cannot be read as text",
        "the file must be a non-empty UTF-8 text file below 16 MiB",
    ),
    Rule(
        "RG003",
        "invalid-toml",
        "pyproject.toml (or uv.lock, Cargo.toml) is not valid TOML",
        "fix the syntax at the reported line and column",
    ),
    Rule(
        "RG004",
        "invalid-config",
        "[tool.release-guard] has an unknown key, a wrong type or a bad value",
        "see the configuration reference in README.md",
    ),
    Rule(
        "RG005",
        "invalid-python",
        "a Python file release-guard reads (a version file, setup.py) does not parse",
        "fix the syntax error at the reported line",
    ),
    Rule(
        "RG006",
        "git-error",
        "git could not give the files or refs to judge",
        "run it inside a git repository; check that git works and the objects exist",
    ),
    Rule(
        "RG007",
        "invalid-metadata-file",
        "setup.cfg is not valid INI, or CITATION.cff not the YAML release-guard reads",
        "fix the file at the reported line",
    ),
    Rule(
        "RG008",
        "invalid-workspace",
        "the workspace's packages cannot be told apart or found",
        "fix [tool.uv.workspace] or [[tool.release-guard.packages]] (docs/workspaces.md)",
    ),
    # Versions.
    Rule(
        "RG101",
        "no-version",
        "no version: none is set, or the build backend's version source cannot be read",
        "set the version, or name where it lives: [tool.release-guard] version-source",
    ),
    Rule(
        "RG102",
        "version-file-missing",
        "a version file does not exist",
        "create it, or fix version-files in [tool.release-guard]",
    ),
    Rule(
        "RG103",
        "version-not-found",
        "a version file listed in the config, or the version source, carries no version",
        'add __version__ = "X.Y.Z", or fix the pattern (version-files or [tool.hatch.version])',
    ),
    Rule(
        "RG104",
        "version-mismatch",
        "a file that carries the version disagrees with the version source",
        "set the same version in both files (release-guard prepare does it)",
    ),
    Rule(
        "RG105",
        "invalid-version",
        "the version is not a valid PEP 440 version",
        "use a version such as 1.2.3, 1.2.3rc1 or 1.2.3.dev0",
    ),
    Rule(
        "RG106",
        "non-normalized-version",
        "the version is not in PEP 440 normal form",
        "write the normalized form, as build tools will",
    ),
    Rule(
        "RG107",
        "not-semver",
        "the version is not X.Y.Z[-pre] (version-scheme = semver)",
        "use three numeric parts, with an optional -prerelease suffix",
    ),
    Rule(
        "RG108",
        "release-date-mismatch",
        "at release, CITATION.cff's date-released is not the changelog's date of the release",
        "set the same date in both (release-guard prepare does it)",
    ),
    Rule(
        "RG109",
        "member-pin-excludes-version",
        "a workspace member requires another member in a range its version is not in",
        "widen the requirement (and release the dependent package too), or fix the version",
    ),
    # Changelog.
    Rule(
        "RG201",
        "changelog-missing",
        "the changelog file does not exist",
        "create CHANGELOG.md in Keep a Changelog form (release-guard init does it)",
    ),
    Rule(
        "RG202",
        "no-unreleased-section",
        "retired: a missing [Unreleased] section is no longer reported",
        "nothing to do: Keep a Changelog recommends the section, it does not require it",
    ),
    Rule(
        "RG203",
        "malformed-heading",
        "a Keep a Changelog ## heading is neither [Unreleased] nor a release of the spec's form",
        "write release headings as '## [X.Y.Z] - YYYY-MM-DD'",
    ),
    Rule(
        "RG204",
        "bad-release-date",
        "a release's date is not a real calendar day (Keep a Changelog: missing or not YYYY-MM-DD)",
        "write the day of the release, e.g. 2024-12-06",
    ),
    Rule(
        "RG205",
        "duplicate-version",
        "two changelog sections carry the same version, or [Unreleased] appears twice",
        "merge the two sections",
    ),
    Rule(
        "RG206",
        "version-order",
        "undated releases are not listed by descending version, or [Unreleased] is below a release",
        "list release sections newest first",
    ),
    Rule(
        "RG207",
        "date-order",
        "a release is dated after the release listed above it",
        "check the dates: they must not increase downwards",
    ),
    Rule(
        "RG208",
        "future-date",
        "a release is dated in the future",
        "date the section with the day of the release",
    ),
    Rule(
        "RG209",
        "unknown-subsection",
        "a ### subsection spells a Keep a Changelog change type another way",
        "write Added, Changed, Deprecated, Removed, Fixed or Security exactly so",
    ),
    Rule(
        "RG210",
        "missing-link-reference",
        "a Keep a Changelog section has no link while others have one",
        "add '[X.Y.Z]: <compare URL>' at the end of the changelog, or link the heading",
    ),
    Rule(
        "RG211",
        "version-not-in-changelog",
        "the current version has no changelog section",
        "write the version's section (release-guard prepare does it)",
    ),
    Rule(
        "RG212",
        "version-behind-changelog",
        "the current version is older than a released section",
        "bump the version past the newest release in the changelog",
    ),
    Rule(
        "RG213",
        "invalid-changelog-version",
        "a changelog heading names an invalid version",
        "use a PEP 440 version in the heading",
    ),
    Rule(
        "RG214",
        "duplicate-subsection",
        "a section holds the same ### subsection twice",
        "merge the two lists under one heading",
    ),
    Rule(
        "RG215",
        "bad-fragment",
        "a news fragment would not build: unknown type, empty, a directory or not text",
        "name it <issue>.<type>.md with a type of the towncrier configuration, and write the entry",
    ),
    # Release: a tag is being built or pushed.
    Rule(
        "RG301",
        "tag-version-mismatch",
        "the tag does not name the version the commit carries",
        "tag the commit that carries the version, in tag-format (git tag -d TAG first if it "
        "is not published; a published tag stays: release anew)",
    ),
    Rule(
        "RG302",
        "no-release-section",
        "the changelog has no dated section with entries for the released version",
        "write the release's section (release-guard prepare does it, towncrier build too)",
    ),
    Rule(
        "RG303",
        "unreleased-not-empty",
        "entries are left unreleased at release: an Unreleased section or news fragments",
        "move the entries into the release section (towncrier build / scriv collect)",
    ),
    Rule(
        "RG304",
        "tag-not-on-release-branch",
        "the tagged commit is on no release branch",
        "tag a commit of a release branch (release-branches in [tool.release-guard])",
    ),
    Rule(
        "RG305",
        "tag-not-a-commit",
        "the tag points to something other than a commit",
        "tag a commit",
    ),
    Rule(
        "RG306",
        "changelog-date-vs-tag",
        "a release section's date is far from the date of its version's tag",
        "write the date the release was tagged (a typo of the year is the usual cause)",
    ),
    # Distributions.
    Rule(
        "RG401",
        "no-dist-files",
        "no wheel or sdist was given or found",
        "build first: python -m build",
    ),
    Rule(
        "RG402",
        "dist-filename",
        "a dist file name is invalid or names another version",
        "rebuild from the tagged commit",
    ),
    Rule(
        "RG403",
        "metadata-version-mismatch",
        "METADATA/PKG-INFO names another version",
        "rebuild from the tagged commit",
    ),
    Rule(
        "RG404",
        "project-name-mismatch",
        "the dist is of another project",
        "check which files are in dist/",
    ),
    Rule(
        "RG405",
        "required-file-missing",
        "a required file is missing from the dist",
        "include it in the build (wheel-files / sdist-files list what is required)",
    ),
    Rule(
        "RG406",
        "bytecode-shipped",
        "__pycache__ or .pyc files are in the dist",
        "build from a clean tree, or exclude them in the build backend config",
    ),
    Rule(
        "RG407",
        "stray-top-level",
        "a wheel ships a top-level name not the project's, or an sdist an entry outside name-version/",
        "exclude it from the build (tests/ and the like); an sdist keeps all under name-version/",
    ),
    Rule("RG408", "duplicate-entry", "an archive holds the same path twice", "rebuild the dist"),
    Rule(
        "RG409",
        "unsafe-path",
        "an archive entry is absolute, empty, escapes with .., or is a link or a device",
        "rebuild the dist; never publish this archive",
    ),
    Rule(
        "RG410",
        "invalid-metadata",
        "METADATA/PKG-INFO does not parse or validate",
        "fix the project metadata (dependencies, markers, extras) and rebuild",
    ),
    Rule(
        "RG411",
        "record-mismatch",
        "the wheel RECORD does not match the archive",
        "rebuild the wheel; never edit a built wheel by hand",
    ),
    Rule(
        "RG412",
        "unreadable-archive",
        "a dist file is missing, not a readable zip or tar.gz, corrupt, or a zip bomb",
        "rebuild the dist",
    ),
    Rule(
        "RG413",
        "empty-library",
        "a wheel installs no code of the project, or a top-level directory without a module",
        "check the build backend's package selection (which directories it includes)",
    ),
    Rule(
        "RG414",
        "unimportable-module",
        "a wheel ships a module at a path no import can reach",
        "rename the directory or file to a Python identifier (no dash, no leading digit)",
    ),
    # Release notes.
    Rule(
        "RG501",
        "notes-section-missing",
        "the changelog has no section for that version",
        "add '## [X.Y.Z] - YYYY-MM-DD' to the changelog",
    ),
    Rule(
        "RG502",
        "notes-section-empty",
        "that version's changelog section is empty",
        "write the release notes under the version's heading",
    ),
    # Refusals of the commands that edit files (prepare, init): nothing was written (exit 2).
    Rule(
        "RG601",
        "nothing-to-release",
        "there is nothing to release: no changelog, no [Unreleased] entries, or no version",
        "add the release's entries under ## [Unreleased], and a version to bump",
    ),
    Rule(
        "RG602",
        "bad-new-version",
        "the new version is not a valid PEP 440 version greater than the current one",
        "name a greater version, or a part to bump: major, minor, patch",
    ),
    Rule(
        "RG603",
        "release-exists",
        "the version already has a changelog section or a tag",
        "choose another version; a released tag is never moved",
    ),
    Rule(
        "RG604",
        "uncommitted-changes",
        "a file to edit has uncommitted changes",
        "commit or stash them first: the release commit must hold only the release",
    ),
    Rule(
        "RG605",
        "cannot-edit",
        "a file cannot be edited without changing more than the intended span",
        "make the edit by hand, then run release-guard check",
    ),
    Rule(
        "RG606",
        "write-failed",
        "a write failed or a file changed meanwhile; written files were restored",
        "fix the cause and run the command again",
    ),
    Rule(
        "RG607",
        "build-tool-missing",
        "the changelog is compiled by towncrier or scriv, which is not installed",
        "pip install 'release-guard[towncrier]' (or scriv), then run the command again",
    ),
    Rule(
        "RG608",
        "bad-output",
        "an output path names no place to write: a symlink, FIFO, device, directory, a file of "
        "the project, or a missing directory",
        "name a new or regular file for the output",
    ),
    Rule(
        "RG609",
        "interrupted-write",
        "a prepare or init was interrupted while writing: the files may be half old, half new",
        "run release-guard recover to finish the write, or release-guard recover --undo",
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def main(argv: list[str] | None = None) -> int:
    """`release-guard rules [CODE...]`: list the rule codes, or explain some."""
    import argparse

    parser = argparse.ArgumentParser(prog="release-guard rules", description=main.__doc__)
    parser.add_argument("codes", nargs="*", metavar="CODE", help="explain these codes")
    args = parser.parse_args(argv)
    unknown = [code for code in args.codes if code.upper() not in RULES]
    if unknown:
        parser.error(f"unknown rule code {unknown[0]!r}")
    if args.codes:
        for code in args.codes:
            rule = RULES[code.upper()]
            print(f"{rule.code} {rule.name}\n  {rule.summary}\n  help: {rule.hint}")
        return 0
    for rule in _RULES:
        print(f"{rule.code}  {rule.name:<28} {rule.summary}")
    print(
        "\nEach rule is explained in docs/rules.md; `release-guard rules CODE` shows its fix hint."
    )
    return 0
