"""Changelog rules RG201-RG215 on Keep a Changelog files (the other formats: test_changelog_formats.py),
with a fixed 'today'."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from conftest import THEO_PYPROJECT, MakeProject, checked, run_rg
from release_guard.changelog.dates import Day
from release_guard.findings import Finding

TODAY = Day(2026, 3, 1)
HEAD = "# Changelog\n\n## [Unreleased]\n\n"
RELEASE_010 = "## [0.1.0] - 2026-02-07\n\n### Added\n\n- M1 foundation.\n"


def findings(root: Path, today: Day = TODAY) -> list[Finding]:
    found = checked(root, today=today).findings
    return sorted(found, key=lambda f: (f.path or "", f.line or 0))  # as the report orders them


def lint(make_project: MakeProject, changelog: str, version: str = "0.1.0") -> list[Finding]:
    return findings(make_project(version=version, files={"CHANGELOG.md": changelog}))


def codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


# -- the file and its [Unreleased] section -----------------------------------------------------


def test_missing_changelog_is_rg201(make_project: MakeProject) -> None:
    found = findings(make_project(files={"CHANGELOG.md": None}))
    assert codes(found) == ["RG201"]
    assert found[0].path == "CHANGELOG.md"


def test_configured_changelog_path(make_project: MakeProject) -> None:
    config = '\n[tool.release-guard]\nchangelog = "docs/CHANGES.md"\n'
    files: dict[str, str | None] = {
        "pyproject.toml": THEO_PYPROJECT.format(version="0.1.0") + config,
        "CHANGELOG.md": None,
        "docs/CHANGES.md": HEAD + RELEASE_010,
    }
    assert findings(make_project(files=files)) == []
    files["docs/CHANGES.md"] = None
    found = findings(make_project(files=files))
    assert codes(found) == ["RG201"]
    assert found[0].path == "docs/CHANGES.md"


def test_no_unreleased_section_is_fine(make_project: MakeProject) -> None:
    # the spec recommends [Unreleased], it does not require it (RG202 is retired)
    assert lint(make_project, "# Changelog\n\n" + RELEASE_010) == []


@pytest.mark.parametrize(
    "heading",
    [
        "## Unreleased",
        "## [Unreleased][]",
        "## [UNRELEASED]",
        "## [Unreleased](https://example.invalid/compare/v0.1.0...HEAD)",
    ],
)
def test_unreleased_variants(make_project: MakeProject, heading: str) -> None:
    assert lint(make_project, f"# Changelog\n\n{heading}\n\n" + RELEASE_010) == []


def test_unreleased_label_is_case_insensitive(make_project: MakeProject) -> None:
    assert lint(make_project, "# Changelog\n\n## [unreleased]\n\n" + RELEASE_010) == []


def test_second_unreleased_section_is_rg205(make_project: MakeProject) -> None:
    # the release rules read the first one: entries in a second one would slip through
    found = lint(make_project, HEAD + "## [Unreleased]\n\n- hidden\n\n" + RELEASE_010)
    assert [(f.code, f.line) for f in found] == [("RG205", 5)]
    assert "line 3" in found[0].message


def test_unreleased_below_a_release_is_rg206(make_project: MakeProject) -> None:
    found = lint(make_project, "# Changelog\n\n" + RELEASE_010 + "\n## [Unreleased]\n")
    assert [(f.code, f.line) for f in found] == [("RG206", 9)]
    assert "[0.1.0] (line 3)" in found[0].message


# -- headings and dates -------------------------------------------------------------------------


NEXT = "## [0.2.0] - 2026-02-20\n\n- next\n\n"


@pytest.mark.parametrize(
    "heading",
    [
        "## Release 0.2.0 - 2026-02-20",
        "## [0.2.0 - 2026-02-20",
        "##",
        "## [0.2.0] - 2026-02-20 final",
    ],
)
def test_malformed_heading_is_rg203(make_project: MakeProject, heading: str) -> None:
    found = lint(make_project, HEAD + f"{heading}\n\n- next\n\n" + RELEASE_010)
    assert codes(found) == ["RG203"]
    assert found[0].line == 5


def test_style_is_not_judged_in_published_history(make_project: MakeProject) -> None:
    # older sections are published notes: their spelling is history, only integrity counts
    old = "\n## Release 0.0.9\n\n## Fixed\n\n### added\n\n- old\n"
    assert lint(make_project, HEAD + RELEASE_010 + old) == []


@pytest.mark.parametrize(
    "heading",
    [
        "## 0.2.0 - 2026-02-20",  # unbracketed, as python-kacl writes it
        "## [0.2.0][] - 2026-02-20",
        "## [0.2.0](https://example.invalid/compare/v0.1.0...v0.2.0) - 2026-02-20",
        "## v0.2.0 - 2026-02-20",
    ],
)
def test_heading_variants_of_the_spec_are_accepted(make_project: MakeProject, heading: str) -> None:
    found = lint(make_project, HEAD + f"{heading}\n\n- next\n\n" + RELEASE_010, version="0.2.0")
    assert found == []


@pytest.mark.parametrize(
    ("heading", "detail"),
    [
        ("## [0.0.9]", "has no date"),
        ("## [0.0.9] - 2026-02-30", "not a real calendar date"),
        ("## [0.0.9] - 2025-13-01", "not a real calendar date"),
        ("## [0.0.9] - 07/02/2026", "is not YYYY-MM-DD"),
        ("## [0.0.9] - 2026-2-7", "is not YYYY-MM-DD"),
        ("## [0.0.9] - \u0662\u0660\u0662\u0666-01-01", "is not YYYY-MM-DD"),  # Arabic digits
    ],
)
def test_bad_release_date_is_rg204(make_project: MakeProject, heading: str, detail: str) -> None:
    heading = heading.replace("0.0.9", "0.2.0")
    found = lint(make_project, HEAD + f"{heading}\n\n- next\n\n" + RELEASE_010, version="0.2.0")
    assert codes(found) == ["RG204"]
    assert found[0].line == 5
    assert detail in found[0].message


def test_a_date_that_is_no_day_is_caught_in_history_too(make_project: MakeProject) -> None:
    found = lint(make_project, HEAD + RELEASE_010 + "\n## [0.0.9] - 2025-02-30\n\n- old\n")
    assert [(f.code, f.line) for f in found] == [("RG204", 11)]


@pytest.mark.parametrize(
    "heading",
    [
        "## [0.0.9] - 2024-02-29",  # a leap day
        "## [0.0.9] - 2026-01-01 [YANKED]",
        "## [0.0.9] \u2013 2026-01-01",  # an en dash, as some editors write it
    ],
)
def test_well_formed_release_headings(make_project: MakeProject, heading: str) -> None:
    assert lint(make_project, HEAD + RELEASE_010 + f"\n{heading}\n") == []


def test_yanked_current_release_still_counts(make_project: MakeProject) -> None:
    changelog = HEAD + RELEASE_010.replace("2026-02-07", "2026-02-07 [YANKED]")
    assert lint(make_project, changelog) == []


def test_duplicate_version_is_rg205(make_project: MakeProject) -> None:
    # 0.1 and 0.1.0 are one version as parsed
    found = lint(make_project, HEAD + RELEASE_010 + "\n## [0.1] - 2026-02-01\n")
    assert codes(found) == ["RG205"]
    assert "line 5" in found[0].message


@pytest.mark.parametrize(
    ("lower", "code"),
    [("0.1.1", "RG206"), ("0.1.0.post1", "RG206"), ("0.0.9", None), ("0.1.0rc1", None)],
)
def test_versions_must_descend_within_a_series(
    make_project: MakeProject, lower: str, code: str | None
) -> None:
    found = lint(make_project, HEAD + RELEASE_010 + f"\n## [{lower}] - 2026-02-01\n")
    assert codes(found) == ([code] if code else [])


def test_a_backport_listed_by_date_is_fine(make_project: MakeProject) -> None:
    # 0.1.1 was released after 0.2.0b3, from a maintenance branch: listed above it, by time
    changelog = (
        HEAD
        + "## [0.1.1] - 2026-02-10\n\n- backport\n\n"
        + "## [0.2.0b3] - 2026-02-09\n\n- beta\n\n"
        + RELEASE_010
    )
    assert lint(make_project, changelog, version="0.1.1") == []


def test_a_backport_listed_by_version_is_fine(make_project: MakeProject) -> None:
    # the other habit: 1.1.4, released after 2.0.0, listed below it in version order
    changelog = (
        HEAD
        + "## [2.0.0] - 2026-02-10\n\n- two\n\n"
        + "## [1.1.4] - 2026-02-12\n\n- backport\n\n"
        + "## [1.1.3] - 2026-01-12\n\n- three\n"
    )
    assert lint(make_project, changelog, version="2.0.0") == []


def test_1_2_50_sorts_above_1_2_5(make_project: MakeProject) -> None:
    good = HEAD + "## [1.2.50] - 2026-02-07\n\n- x\n\n## [1.2.5] - 2026-01-01\n\n- y\n"
    assert lint(make_project, good, version="1.2.50") == []
    bad = HEAD + "## [1.2.5] - 2026-02-07\n\n- x\n\n## [1.2.50] - 2026-01-01\n\n- y\n"
    found = lint(make_project, bad, version="1.2.50")
    assert codes(found) == ["RG206"]
    assert found[0].line == 9


def test_1_2_50_never_satisfies_1_2_5(make_project: MakeProject) -> None:
    only_50 = HEAD + "## [1.2.50] - 2026-02-07\n"
    assert codes(lint(make_project, only_50, version="1.2.5")) == ["RG211", "RG212"]
    only_5 = HEAD + "## [1.2.5] - 2026-02-07\n"
    assert codes(lint(make_project, only_5, version="1.2.50")) == ["RG211"]


def test_dates_must_not_increase_downwards(make_project: MakeProject) -> None:
    newer = "## [0.1.1] - 2026-02-07\n\n- fix\n\n"
    same_day = HEAD + newer + RELEASE_010
    assert lint(make_project, same_day, version="0.1.1") == []
    # a typo of the year: 2025 for 2026, in the newer release of the series
    typo = HEAD + newer.replace("2026-02-07", "2025-02-07") + RELEASE_010
    found = lint(make_project, typo, version="0.1.1")
    assert codes(found) == ["RG207"]
    assert "2026-02-07" in found[0].message
    assert "2025-02-07" in found[0].message
    # a series' first release is never a backport: 0.2.0 dated before 0.1.0 is a typo
    first = HEAD + "## [0.2.0] - 2025-02-09\n\n- two\n\n" + RELEASE_010
    assert codes(lint(make_project, first, version="0.2.0")) == ["RG207"]


@pytest.mark.parametrize(
    ("date", "future"), [("2026-03-01", False), ("2026-03-02", False), ("2026-03-03", True)]
)
def test_future_date_is_rg208(make_project: MakeProject, date: str, future: bool) -> None:
    # today + 1 is allowed: somewhere on Earth that day has begun
    changelog = HEAD + f"## [0.2.0] - {date}\n\n- next\n\n" + RELEASE_010
    found = lint(make_project, changelog, version="0.2.0")
    assert codes(found) == (["RG208"] if future else [])


@pytest.mark.parametrize(
    "title", ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"]
)
def test_keep_a_changelog_subsections_pass(make_project: MakeProject, title: str) -> None:
    assert lint(make_project, HEAD + f"### {title}\n\n- x\n\n" + RELEASE_010) == []


@pytest.mark.parametrize("title", ["added", "FIXED", "Security:"])
def test_misspelled_change_type_is_rg209(make_project: MakeProject, title: str) -> None:
    found = lint(make_project, HEAD + RELEASE_010 + f"\n### {title}\n\n- x\n")
    assert codes(found) == ["RG209"]
    assert found[0].line == 11


@pytest.mark.parametrize("title", ["Docs", "Features", "Bug fixes", "Performance"])
def test_a_project_s_own_change_types_pass(make_project: MakeProject, title: str) -> None:
    assert lint(make_project, HEAD + RELEASE_010 + f"\n### {title}\n\n- x\n") == []


def test_repeated_subsection_in_one_section_is_rg214(make_project: MakeProject) -> None:
    found = lint(make_project, HEAD + RELEASE_010 + "\n### Fixed\n\n- y\n\n### Added\n\n- x\n")
    assert [(f.code, f.line) for f in found] == [("RG214", 15)]
    assert "line 7" in found[0].message
    # the same subsection in two sections is the normal case
    older = "\n## [0.0.9] - 2026-01-01\n\n### Added\n\n- old\n"
    assert lint(make_project, HEAD + "### Added\n\n- next\n\n" + RELEASE_010 + older) == []


def test_link_references_when_the_file_uses_them(make_project: MakeProject) -> None:
    refs = "\n[unreleased]: https://example.invalid/compare/v0.1.0...HEAD\n"
    refs += "[0.1.0]: https://example.invalid/releases/v0.1.0\n"
    assert lint(make_project, HEAD + RELEASE_010 + refs) == []
    newer = "## [0.2.0] - 2026-02-20\n\n- new\n\n"
    found = lint(make_project, HEAD + newer + RELEASE_010 + refs, version="0.2.0")
    assert codes(found) == ["RG210"]
    assert found[0].line == 5
    # an inline link counts as the section's link
    linked = newer.replace("[0.2.0]", "[0.2.0](https://example.invalid/releases/v0.2.0)")
    assert lint(make_project, HEAD + linked + RELEASE_010 + refs, version="0.2.0") == []
    # a file without link references to sections is not held to them
    assert lint(make_project, HEAD + newer + RELEASE_010, version="0.2.0") == []
    issue_only = "\n- Fixed [#12].\n\n[#12]: https://example.invalid/issues/12\n"
    assert lint(make_project, HEAD + RELEASE_010 + issue_only) == []


def test_invalid_changelog_version_is_rg213(make_project: MakeProject) -> None:
    found = lint(make_project, HEAD + RELEASE_010 + "\n## [0.0-final] - 2026-01-01\n")
    assert codes(found) == ["RG213"]
    assert "0.0-final" in found[0].message


# -- the current version and the changelog ------------------------------------------------------


def test_current_version_without_section_is_rg211(make_project: MakeProject) -> None:
    found = lint(make_project, HEAD + RELEASE_010, version="0.2.0")
    assert codes(found) == ["RG211"]
    assert (found[0].path, found[0].line) == ("CHANGELOG.md", 3)  # at [Unreleased]
    assert "0.2.0" in found[0].message


@pytest.mark.parametrize("version", ["0.2.0.dev0", "0.2.0rc1", "0.2.0a3"])
def test_prerelease_needs_no_section(make_project: MakeProject, version: str) -> None:
    assert lint(make_project, HEAD + RELEASE_010, version=version) == []


def test_post_release_is_documented_by_its_release(make_project: MakeProject) -> None:
    # 0.1.0.post1 (a re-upload, a packaging fix) is told by the section of 0.1.0
    assert lint(make_project, HEAD + RELEASE_010, version="0.1.0.post1") == []
    assert codes(lint(make_project, HEAD + RELEASE_010, version="0.1.1.post1")) == ["RG211"]


def test_version_behind_changelog_is_rg212(make_project: MakeProject) -> None:
    found = lint(make_project, HEAD + RELEASE_010, version="0.1.0.dev0")
    assert codes(found) == ["RG212"]
    assert (found[0].path, found[0].line) == ("pyproject.toml", 7)
    assert "0.1.0.dev0" in found[0].message


# -- what is not a heading ----------------------------------------------------------------------


@pytest.mark.parametrize("fence", ["```", "~~~", "````md"])
def test_headings_inside_fenced_code_are_text(make_project: MakeProject, fence: str) -> None:
    block = f"{fence}\n## [9.9.9] - not a date\n### Misc\n## bogus\n{fence[:4].rstrip('md')}\n"
    changelog = HEAD + "### Added\n\n- a fence:\n\n" + block + "\n" + RELEASE_010
    assert lint(make_project, changelog) == []
    # outside the fence the same heading is judged
    assert "RG203" in codes(lint(make_project, HEAD + "## bogus\n\n" + RELEASE_010))


def test_short_closing_fence_does_not_close(make_project: MakeProject) -> None:
    changelog = HEAD + "````\n```\n## bogus\n````\n\n" + RELEASE_010
    assert lint(make_project, changelog) == []


def test_headings_inside_html_comments_are_ignored(make_project: MakeProject) -> None:
    changelog = HEAD + "<!--\n## [9.9.9]\n### Misc\n-->\n\n" + RELEASE_010
    assert lint(make_project, changelog) == []


BROKEN = (
    HEAD
    + "### added\n\n- x\n\n"
    + "## [0.1.0] - 2026-02-30\n\n## 0.0.9\n\n## [0.0.8] - 2026-01-01\n\n## [0.0.8] - 2025-01-01\n"
)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    ],
    ids=["lf", "crlf", "bom", "bom-crlf"],
)
def test_crlf_and_bom_give_the_same_findings(
    make_project: MakeProject, encode: Callable[[str], bytes]
) -> None:
    root = make_project(files={"CHANGELOG.md": encode(BROKEN)})
    found = [(f.code, f.line) for f in findings(root)]
    assert found == [
        ("RG209", 5),
        ("RG204", 9),
        ("RG205", 15),
    ]
    assert lint(make_project, HEAD.replace("\n", "\r\n") + RELEASE_010.replace("\n", "\r\n")) == []


def test_unicode_line_separators_do_not_shift_line_numbers(make_project: MakeProject) -> None:
    changelog = HEAD + "- a form\x0cfeed and a line\u2028separator\n\n## bogus\n\n" + RELEASE_010
    found = lint(make_project, changelog)
    assert [(f.code, f.line) for f in found] == [("RG203", 7)]


def test_every_changelog_finding_in_one_run(make_project: MakeProject) -> None:
    result = run_rg("check", "--quiet", cwd=make_project(files={"CHANGELOG.md": BROKEN}))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "CHANGELOG.md:5: RG209 subsection '### added' is the change type '### Added' spelled otherwise",
        "CHANGELOG.md:9: RG204 [0.1.0] date 2026-02-30 is not a real calendar date",
        "CHANGELOG.md:15: RG205 [0.0.8] repeats the version of line 13",
        "Found 3 problems.",
    ]


SPEC_SHAPED = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

## [0.1.0] - 2026-02-07

### Added

- Streaming transcription.

### Fixed

- Worker shutdown, see [#4].

## [0.0.2] - 2026-01-20 [YANKED]

### Removed

- The old socket API.

## [0.0.1] - 2026-01-02

### Added

- First preview.

[#4]: https://example.invalid/theo/issues/4
[unreleased]: https://example.invalid/theo/compare/v0.1.0...HEAD
[0.1.0]: https://example.invalid/theo/compare/v0.0.2...v0.1.0
[0.0.2]: https://example.invalid/theo/compare/v0.0.1...v0.0.2
[0.0.1]: https://example.invalid/theo/releases/tag/v0.0.1
"""


@pytest.mark.parametrize("crlf", [False, True])
def test_a_file_in_the_spec_s_own_shape_passes(make_project: MakeProject, crlf: bool) -> None:
    text = SPEC_SHAPED.replace("\n", "\r\n") if crlf else SPEC_SHAPED
    root = make_project(files={"CHANGELOG.md": text})
    assert checked(root, tag="v0.1.0", today=TODAY).findings == []
    notes = run_rg("notes", "0.1.0", cwd=root)
    assert notes.stdout.endswith(
        "- Worker shutdown, see [#4].\n\n[#4]: https://example.invalid/theo/issues/4\n"
    )


def test_many_unreleased_headings_are_one_finding_each(make_project: MakeProject) -> None:
    changelog = "# Changelog\n\n" + "## [Unreleased]\n\n" * 2000 + RELEASE_010
    found = lint(make_project, changelog)
    assert codes(found) == ["RG205"] * 1999


def test_a_heading_of_many_spaces_is_read(make_project: MakeProject) -> None:
    changelog = HEAD + "# a" + " " * 100_000 + "b\n\n" + RELEASE_010
    assert lint(make_project, changelog) == []


def test_an_underlined_release_heading_is_not_keep_a_changelog(make_project: MakeProject) -> None:
    """Keep a Changelog writes `## [X.Y.Z] - date`; the same title underlined (a setext
    heading) is read as a release, and its form is RG203, as a malformed `##` heading is."""
    setext = "[0.1.0] - 2026-02-07\n--------------------\n\n### Added\n\n- M1 foundation.\n"
    found = lint(make_project, HEAD + setext)
    assert [(f.code, f.line) for f in found] == [("RG203", 5)]
    assert "is underlined, not a '## ' heading" in found[0].message
